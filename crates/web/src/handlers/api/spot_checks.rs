//! 抽查 and 整改 over the API: the office draws a spot check and records findings; the
//! org answers its 整改; the office accepts or returns them. Each check shows its seed and
//! whether drawing again from it gives the same records.

use super::errors::*;
use super::{ApiJson, ApiPath};
use crate::app::spot_checks::{self, CheckView, Step};
use crate::auth::{ApiActor, ClientIp, audit_ctx};
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(batch)).routes(routes!(one)).routes(routes!(step))
}

/// 抽查列表：本人负责的单位的抽查，附整改情况。
#[utoipa::path(get, path = "/spot-checks", tag = "supervision", security(("bearer" = [])),
    responses((status = 200, body = Vec<CheckView>), E401))]
async fn list(State(state): State<AppState>, ApiActor(actor): ApiActor) -> Result<Json<Vec<CheckView>>, ApiError> {
    Ok(Json(spot_checks::list(&state, &actor).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct NewCheck {
    /// 被抽查单位的机构代码.
    org: String,
    /// items（主动公开信息）、requests（依申请公开）或 letters（留言）.
    kind: String,
    /// 抽查数量（1–200）.
    size: usize,
    #[serde(default)]
    note: String,
}

/// 发起抽查（公开办）：以新的随机种子从该单位的全部记录中抽取，种子和总体一并记录，可复核。
#[utoipa::path(post, path = "/spot-checks", tag = "supervision", security(("bearer" = [])),
    request_body = NewCheck, responses((status = 201, body = CheckView), E401, E403, E404, E422))]
async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<NewCheck>,
) -> Result<(StatusCode, Json<CheckView>), ApiError> {
    let id = spot_checks::create(&state, &actor, &audit_ctx(&actor, ip), &b.org, &b.kind, b.size, &b.note).await?;
    Ok((StatusCode::CREATED, Json(spot_checks::one(&state, &actor, id).await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct NewBatch {
    /// 被抽查单位的机构代码（1–100 个）.
    orgs: Vec<String>,
    /// items、requests 或 letters.
    kind: String,
    /// 每个单位的抽查数量（1–200）.
    size: usize,
    #[serde(default)]
    note: String,
}

/// 多个单位的抽查结果.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct BatchOut {
    checks: Vec<CheckView>,
    /// 没有可抽查记录而未抽取的单位.
    skipped: Vec<String>,
}

/// 同时抽查多个单位（公开办）：每个单位各以新的随机种子抽取一次；没有可抽查记录的单位列出未抽取。
#[utoipa::path(post, path = "/spot-checks/batch", tag = "supervision", security(("bearer" = [])),
    request_body = NewBatch, responses((status = 201, body = BatchOut), E401, E403, E404, E422))]
async fn batch(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<NewBatch>,
) -> Result<(StatusCode, Json<BatchOut>), ApiError> {
    let (ids, skipped) =
        spot_checks::create_many(&state, &actor, &audit_ctx(&actor, ip), &b.orgs, &b.kind, b.size, &b.note).await?;
    let mut checks = Vec::with_capacity(ids.len());
    for id in ids {
        checks.push(spot_checks::one(&state, &actor, id).await?);
    }
    Ok((StatusCode::CREATED, Json(BatchOut { checks, skipped })))
}

/// 一次抽查：种子、总体数量、复核结果、抽中的记录及其检查结论和整改情况。
#[utoipa::path(get, path = "/spot-checks/{id}", tag = "supervision", security(("bearer" = [])),
    params(("id" = i64, Path, description = "抽查编号")), responses((status = 200, body = CheckView), E401, E403, E404))]
async fn one(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CheckView>, ApiError> {
    Ok(Json(spot_checks::one(&state, &actor, id).await?))
}

/// 抽中记录的一步：find（公开办记录检查结论；发现问题须写明并给出整改期限）、answer（被抽查单位填报整改情况）、accept / return（公开办确认或退回）。
#[utoipa::path(post, path = "/spot-checks/{id}/records/{position}", tag = "supervision", security(("bearer" = [])),
    params(("id" = i64, Path, description = "抽查编号"), ("position" = i64, Path, description = "记录序号（从 0 起）")),
    request_body = Step, responses((status = 200, body = CheckView), E401, E403, E404, E409, E422))]
async fn step(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath((id, position)): ApiPath<(i64, i64)>,
    ApiJson(s): ApiJson<Step>,
) -> Result<Json<CheckView>, ApiError> {
    spot_checks::step(&state, &actor, &audit_ctx(&actor, ip), id, position, &s).await?;
    Ok(Json(spot_checks::one(&state, &actor, id).await?))
}
