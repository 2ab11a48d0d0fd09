//! NPC suggestions and CPPCC proposals over the API: the office records them, the lead org's
//! leader records the signed reply, the rating and the publication; staff list a year's
//! records; anyone reads the published replies and the yearly summary.

use super::errors::*;
use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::proposals::{self, OrgSummary, ProposalStep, ProposalView, RecordBody, ReplyCategory, Satisfaction};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(record, workspace))
        .routes(routes!(public_list))
        .routes(routes!(public_one))
        .routes(routes!(summary))
        .routes(routes!(staff_one))
        .routes(routes!(reply))
        .routes(routes!(rate))
        .routes(routes!(publication))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct YearQuery {
    /// 年度（按交办日期，缺省为今年）.
    year: Option<i32>,
    /// 主办单位代码.
    org: Option<String>,
}

/// 登记并交办建议提案（公开办）。
#[utoipa::path(post, path = "/proposals", tag = "proposals",
    security(("bearer" = [])),
    request_body = RecordBody,
    responses((status = 201, body = ProposalView), E401, E403, E409, E422))]
async fn record(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<RecordBody>,
) -> Result<(StatusCode, Json<ProposalView>), ApiError> {
    Ok((StatusCode::CREATED, Json(proposals::record(&state, &actor, &audit_ctx(&actor, ip), b).await?)))
}

/// 本单位（及所督办单位）的建议提案，未答复的按期限在前。
#[utoipa::path(get, path = "/proposals", tag = "proposals",
    security(("bearer" = [])),
    params(YearQuery),
    responses((status = 200, body = Vec<ProposalView>), E401))]
async fn workspace(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<ProposalView>>, ApiError> {
    let year = q.year.unwrap_or_else(|| proposals::this_year(&state));
    Ok(Json(proposals::workspace(&state, &actor, year, None).await?))
}

/// 已公开的建议提案答复全文。
#[utoipa::path(get, path = "/proposals/public", tag = "proposals",
    params(YearQuery),
    responses((status = 200, body = Vec<ProposalView>)))]
async fn public_list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<ProposalView>>, ApiError> {
    let year = q.year.unwrap_or_else(|| proposals::this_year(&state));
    Ok(Json(proposals::public_list(&state, year, q.org.as_deref()).await?))
}

/// 一件已公开的答复。
#[utoipa::path(get, path = "/proposals/public/{id}", tag = "proposals",
    params(("id" = i64, Path, description = "编号（数字）")),
    responses((status = 200, body = ProposalView), E404))]
async fn public_one(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> Result<Json<ProposalView>, ApiError> {
    Ok(Json(proposals::public_one(&state, id).await?))
}

/// 各主办单位建议提案办理工作总体情况。
#[utoipa::path(get, path = "/proposals/summary", tag = "proposals",
    params(YearQuery),
    responses((status = 200, body = Vec<OrgSummary>)))]
async fn summary(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<OrgSummary>>, ApiError> {
    let year = q.year.unwrap_or_else(|| proposals::this_year(&state));
    Ok(Json(proposals::summary(&state, year).await?))
}

/// 建议提案详情（工作人员），含当前可办理的操作。
#[utoipa::path(get, path = "/proposals/{id}", tag = "proposals",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号（数字）")),
    responses((status = 200, body = ProposalView), E401, E403, E404))]
async fn staff_one(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProposalView>, ApiError> {
    Ok(Json(proposals::for_staff(&state, &actor, id).await?))
}

/// The reply letter.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct ReplyBody {
    pub text: String,
    /// a、b、c（A类已解决或采纳，B类正在解决或列入计划，C类留作参考）.
    #[schema(value_type = String)]
    pub category: ReplyCategory,
}

/// 登记答复函（主办单位负责人签发）。
#[utoipa::path(post, path = "/proposals/{id}/reply", tag = "proposals",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号（数字）")),
    request_body = ReplyBody,
    responses((status = 200, body = ProposalView), E401, E403, E409, E422))]
async fn reply(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ReplyBody>,
) -> Result<Json<ProposalView>, ApiError> {
    let step = ProposalStep::Reply { text: b.text, category: b.category };
    Ok(Json(proposals::step(&state, &actor, &audit_ctx(&actor, ip), id, step).await?))
}

/// The proposer's rating.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct RatingBody {
    /// satisfied、basic、dissatisfied.
    #[schema(value_type = String)]
    pub rating: Satisfaction,
    #[serde(default)]
    pub note: String,
}

/// 登记代表（委员）对办理的评价。
#[utoipa::path(post, path = "/proposals/{id}/rating", tag = "proposals",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号（数字）")),
    request_body = RatingBody,
    responses((status = 200, body = ProposalView), E401, E403, E409))]
async fn rate(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RatingBody>,
) -> Result<Json<ProposalView>, ApiError> {
    let step = ProposalStep::Rate { rating: b.rating, note: b.note };
    Ok(Json(proposals::step(&state, &actor, &audit_ctx(&actor, ip), id, step).await?))
}

/// Publication or the reason for not publishing.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct PublicationBody {
    pub publish: bool,
    #[serde(default)]
    pub reason: String,
}

/// 公开答复全文，或登记不公开的理由。
#[utoipa::path(post, path = "/proposals/{id}/publication", tag = "proposals",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号（数字）")),
    request_body = PublicationBody,
    responses((status = 200, body = ProposalView), E401, E403, E409, E422))]
async fn publication(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PublicationBody>,
) -> Result<Json<ProposalView>, ApiError> {
    let step = ProposalStep::Publish { publish: b.publish, reason: b.reason };
    Ok(Json(proposals::step(&state, &actor, &audit_ctx(&actor, ip), id, step).await?))
}
