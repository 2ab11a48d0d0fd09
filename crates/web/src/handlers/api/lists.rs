//! Structured lists over the API: the public reads the kinds, a kind's schema and its rows
//! (masked, filtered, paged); staff draft adjustments (JSON rows) and take review steps; an
//! admin of the top org adds a kind or a new version of one.

use super::errors::*;
use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::lists::{self, AdjustmentBody, AdjustmentView, ListEntry, RowView, TableParams};
use crate::auth::{ApiActor, ClientIp, audit_ctx};
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(index))
        .routes(routes!(schema, save_kind))
        .routes(routes!(rows))
        .routes(routes!(draft))
        .routes(routes!(adjustment))
        .routes(routes!(step))
}

/// 公开清单目录（含当前公开条目数）。
#[utoipa::path(get, path = "/lists", tag = "lists", responses((status = 200, body = Vec<ListEntry>)))]
async fn index(State(state): State<AppState>) -> Result<Json<Vec<ListEntry>>, ApiError> {
    Ok(Json(lists::index(&state).await?))
}

/// 清单定义：字段、类型、必填、代码值、个人信息字段、公示期限字段、版本。
#[utoipa::path(get, path = "/lists/{code}", tag = "lists",
    params(("code" = String, Path, description = "清单代码，如 power、penalty")),
    responses((status = 200, body = Object), E404))]
async fn schema(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let kind = lists::kind(&state, &code).await?;
    Ok(Json(serde_json::to_value(&kind).unwrap_or_default()))
}

/// 新增清单或清单的新版本（顶层单位系统管理员；版本号须高于现有版本）。
#[utoipa::path(put, path = "/lists/{code}", tag = "lists",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "清单代码")),
    request_body(content = Object, description = "清单定义（与 data/lists/*.toml 的字段相同）"),
    responses((status = 204), E401, E403, E409, E422))]
async fn save_kind(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(code): ApiPath<String>,
    ApiJson(kind): ApiJson<gongkai_core::list::ListKind>,
) -> Result<StatusCode, ApiError> {
    if kind.code != code {
        return Err(crate::AppError::invalid("invalid", "路径中的清单代码与定义不一致").into());
    }
    lists::save_kind(&state, &actor, &audit_ctx(&actor, ip), kind).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One page of rows.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RowsPage {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub rows: Vec<RowView>,
}

/// 清单条目（已脱敏；公示期满和已取消的不含），每页 20 条。
#[utoipa::path(get, path = "/lists/{code}/rows", tag = "lists",
    params(("code" = String, Path, description = "清单代码"), TableParams),
    responses((status = 200, body = RowsPage), E404))]
async fn rows(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(p): ApiQuery<TableParams>,
) -> Result<Json<RowsPage>, ApiError> {
    let t = lists::table(&state, &code, p).await?;
    Ok(Json(RowsPage { total: t.total, page: t.page, pages: t.pages, rows: t.rows }))
}

/// 起草清单调整（本单位信息编辑）：新增、调整、取消、下放、承接，须注明依据；签发后生效公开。
#[utoipa::path(post, path = "/lists/{code}/adjustments", tag = "lists",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "清单代码")),
    request_body = AdjustmentBody,
    responses((status = 201, body = AdjustmentView), E401, E403, E404, E422))]
async fn draft(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<AdjustmentBody>,
) -> Result<(StatusCode, Json<AdjustmentView>), ApiError> {
    Ok((StatusCode::CREATED, Json(lists::draft(&state, &actor, &audit_ctx(&actor, ip), &code, b).await?)))
}

/// 清单调整详情（工作人员）：状态与当前可办理的操作。
#[utoipa::path(get, path = "/list-adjustments/{id}", tag = "lists",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "调整编号")),
    responses((status = 200, body = AdjustmentView), E401, E403, E404))]
async fn adjustment(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AdjustmentView>, ApiError> {
    Ok(Json(lists::staff_adjustment(&state, &actor, id).await?.0))
}

/// A review step.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StepBody {
    /// submit（提交审查）、pass（保密审查通过）、approve（审批签发）、return（退回）.
    pub step: String,
    /// 退回理由（退回时必填）.
    #[serde(default)]
    pub reason: String,
}

/// 办理清单调整：提交、审查通过、签发（生效并公开）、退回（须说明理由）；审查和签发不能由起草人办理。
#[utoipa::path(post, path = "/list-adjustments/{id}/steps", tag = "lists",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "调整编号")),
    request_body = StepBody,
    responses((status = 200, body = AdjustmentView), E401, E403, E404, E409, E422))]
async fn step(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<StepBody>,
) -> Result<Json<AdjustmentView>, ApiError> {
    Ok(Json(lists::step(&state, &actor, &audit_ctx(&actor, ip), id, &b.step, &b.reason).await?))
}
