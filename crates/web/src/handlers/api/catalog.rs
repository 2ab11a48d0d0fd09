//! Catalog structure over the API: the topic and genre lists in force, each org's section
//! tree (public), and its editing by admins, including seeding from a baseline catalog.

use super::errors::*;
use super::{ApiJson, ApiPath};
use crate::app::catalog::{self, Org, Section, SectionInput};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use gongkai_core::catalog::Baseline;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(topics))
        .routes(routes!(genres))
        .routes(routes!(list, create))
        .routes(routes!(baseline))
        .routes(routes!(update, remove))
}

/// 主题分类表。
#[utoipa::path(get, path = "/topics", tag = "catalog", responses((status = 200, body = Vec<String>)))]
async fn topics(State(state): State<AppState>) -> Json<Vec<String>> {
    Json(state.topics().await)
}

/// 体裁分类表。
#[utoipa::path(get, path = "/genres", tag = "catalog", responses((status = 200, body = Vec<String>)))]
async fn genres(State(state): State<AppState>) -> Json<Vec<String>> {
    Json(state.genres().await)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SectionView {
    id: i64,
    parent: Option<i64>,
    name: String,
    position: i64,
    update_rule: String,
    /// 公开依据.
    basis: String,
    /// The list kinds (清单) whose tables belong in the section.
    list_kinds: Vec<String>,
}

impl From<Section> for SectionView {
    fn from(s: Section) -> Self {
        Self {
            id: s.id,
            parent: s.parent_id,
            list_kinds: s.list_codes().into_iter().map(str::to_string).collect(),
            name: s.name,
            position: s.position,
            update_rule: s.update_rule,
            basis: s.basis,
        }
    }
}

async fn org(state: &AppState, code: &str) -> Result<Org, AppError> {
    crate::app::orgs::by_code(state, code).await
}

/// 单位的目录栏目（公开）。
#[utoipa::path(get, path = "/orgs/{code}/sections", tag = "catalog",
    params(("code" = String, Path, description = "机构代码")),
    responses((status = 200, body = Vec<SectionView>), E404))]
async fn list(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Vec<SectionView>>, ApiError> {
    let org = org(&state, &code).await?;
    Ok(Json(catalog::sections(&state, &org).await?.into_iter().map(SectionView::from).collect()))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct SectionBody {
    name: String,
    #[serde(default)]
    parent: Option<i64>,
    #[serde(default)]
    position: i64,
    #[serde(default)]
    update_rule: String,
    /// 公开依据 (kept from when the section is added).
    #[serde(default)]
    basis: String,
    /// The list kinds that feed it, by code (kept from when the section is added).
    #[serde(default)]
    list_kinds: Vec<String>,
}

impl From<SectionBody> for SectionInput {
    fn from(b: SectionBody) -> Self {
        Self {
            parent_id: b.parent,
            name: b.name,
            position: b.position,
            update_rule: b.update_rule,
            basis: b.basis,
            list_kinds: b.list_kinds,
        }
    }
}

/// 添加栏目（管理员）。
#[utoipa::path(post, path = "/orgs/{code}/sections", tag = "catalog",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "机构代码")),
    request_body = SectionBody,
    responses((status = 201, body = SectionView), E401, E403, E409, E422))]
async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<SectionBody>,
) -> Result<(StatusCode, Json<SectionView>), ApiError> {
    let org = org(&state, &code).await?;
    let ctx = audit_ctx(&actor, ip);
    let s = catalog::add(&state, &actor, &ctx, &org, body.into(), false).await?;
    Ok((StatusCode::CREATED, Json(s.into())))
}

/// 修改栏目（管理员）。
#[utoipa::path(put, path = "/sections/{id}", tag = "catalog",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "栏目编号")),
    request_body = SectionBody,
    responses((status = 200, body = SectionView), E401, E403, E404, E409, E422))]
async fn update(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SectionBody>,
) -> Result<Json<SectionView>, ApiError> {
    let ctx = audit_ctx(&actor, ip);
    Ok(Json(catalog::update(&state, &actor, &ctx, id, body.into()).await?.into()))
}

/// 删除空栏目（管理员）。
#[utoipa::path(delete, path = "/sections/{id}", tag = "catalog",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "栏目编号")),
    responses((status = 204), E401, E403, E404, E409))]
async fn remove(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let ctx = audit_ctx(&actor, ip);
    catalog::remove(&state, &actor, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
struct BaselineBody {
    kind: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct BaselineResult {
    added: usize,
}

/// 按主动公开基本目录补齐栏目（管理员）：district 或 town。
#[utoipa::path(post, path = "/orgs/{code}/sections/baseline", tag = "catalog",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "机构代码")),
    request_body = BaselineBody,
    responses((status = 200, body = BaselineResult), E401, E403, E422))]
async fn baseline(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<BaselineBody>,
) -> Result<Json<BaselineResult>, ApiError> {
    let kind = Baseline::parse(&body.kind).ok_or_else(|| {
        AppError::invalid("invalid_baseline", format!("基本目录「{}」无效，可选：district、town", body.kind))
    })?;
    let org = org(&state, &code).await?;
    let ctx = audit_ctx(&actor, ip);
    let added = catalog::apply_baseline(&state, &actor, &ctx, &org, kind).await?;
    Ok(Json(BaselineResult { added }))
}
