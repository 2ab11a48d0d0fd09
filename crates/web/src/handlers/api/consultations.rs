//! Consultations on drafts over the API: the public lists and reads them and comments
//! (idempotent with `Idempotency-Key`, rate-limited); staff open them, moderate comments,
//! save and publish the feedback report.

use super::errors::*;
use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::consultations::{self, CommentBody, ConsultationView, OpenBody, OpinionGroup};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, open))
        .routes(routes!(one))
        .routes(routes!(comment))
        .routes(routes!(staff_view))
        .routes(routes!(moderate))
        .routes(routes!(save_feedback))
        .routes(routes!(publish_feedback))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct OrgQuery {
    /// 单位代码（只列该单位的）.
    org: Option<String>,
}

/// 意见征集列表（征集中的在前）。
#[utoipa::path(get, path = "/consultations", tag = "consultations", params(OrgQuery),
    responses((status = 200, body = Vec<ConsultationView>), E404))]
async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<Vec<ConsultationView>>, ApiError> {
    let org = crate::app::orgs::sub_site(&state, q.org.as_deref()).await?;
    Ok(Json(consultations::public_list(&state, org.as_ref()).await?))
}

/// 发起意见征集（本单位信息编辑或公开办）。
#[utoipa::path(post, path = "/consultations", tag = "consultations",
    security(("bearer" = [])),
    request_body = OpenBody,
    responses((status = 201, body = ConsultationView), E401, E403, E422))]
async fn open(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<OpenBody>,
) -> Result<(StatusCode, Json<ConsultationView>), ApiError> {
    Ok((StatusCode::CREATED, Json(consultations::open(&state, &actor, &audit_ctx(&actor, ip), b).await?)))
}

/// 一项意见征集：征求意见稿、起草说明、公开的意见、意见采纳情况。
#[utoipa::path(get, path = "/consultations/{id}", tag = "consultations",
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, body = ConsultationView), E404))]
async fn one(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> Result<Json<ConsultationView>, ApiError> {
    Ok(Json(consultations::public_one(&state, id).await?))
}

/// 提交意见（公众，姓名可不填，联系方式不公开）。
#[utoipa::path(post, path = "/consultations/{id}/comments", tag = "consultations",
    params(("id" = i64, Path, description = "编号"), ("Idempotency-Key" = Option<String>, Header, description = "重复提交同一键不会产生第二条意见")),
    request_body = CommentBody,
    responses((status = 201, description = "已收到，待审核"), (status = 200, description = "同一 Idempotency-Key 已提交过"), E404, E409, E422, E429))]
async fn comment(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<CommentBody>,
) -> Result<StatusCode, ApiError> {
    let key = super::public_filing(&state, &ip, &headers).await?;
    let created = consultations::comment(&state, id, b, key).await?;
    Ok(if created { StatusCode::CREATED } else { StatusCode::OK })
}

/// 意见征集详情（工作人员）：全部意见（含联系方式）、采纳情况草稿、当前可办理的操作。
#[utoipa::path(get, path = "/consultations/{id}/review", tag = "consultations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, body = ConsultationView), E401, E403, E404))]
async fn staff_view(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ConsultationView>, ApiError> {
    Ok(Json(consultations::for_staff(&state, &actor, id).await?))
}

/// A moderation decision.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct ModerationBody {
    pub accept: bool,
    #[serde(default)]
    pub reason: String,
}

/// 审核意见：收录，或不予收录并说明理由。
#[utoipa::path(post, path = "/consultations/comments/{id}/moderation", tag = "consultations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "意见编号")),
    request_body = ModerationBody,
    responses((status = 204, description = "已审核"), E401, E403, E404, E422))]
async fn moderate(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ModerationBody>,
) -> Result<StatusCode, ApiError> {
    consultations::moderate(&state, &actor, &audit_ctx(&actor, ip), id, b.accept, &b.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The feedback report's draft.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct FeedbackBody {
    /// [{summary, count, adoption: adopted|partly|not_adopted, reason}].
    #[schema(value_type = Vec<Object>)]
    pub groups: Vec<OpinionGroup>,
    #[serde(default)]
    pub note: String,
}

/// 保存意见采纳情况（征集期结束后；不予采纳、部分采纳须说明理由）。
#[utoipa::path(put, path = "/consultations/{id}/feedback", tag = "consultations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号")),
    request_body = FeedbackBody,
    responses((status = 200, body = ConsultationView), E401, E403, E409, E422))]
async fn save_feedback(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<FeedbackBody>,
) -> Result<Json<ConsultationView>, ApiError> {
    Ok(Json(consultations::save_feedback(&state, &actor, &audit_ctx(&actor, ip), id, b.groups, &b.note).await?))
}

/// 公布意见采纳情况（本单位负责人，非起草人）；此后正式文件方可发布。
#[utoipa::path(post, path = "/consultations/{id}/feedback/publish", tag = "consultations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, body = ConsultationView), E401, E403, E409))]
async fn publish_feedback(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ConsultationView>, ApiError> {
    Ok(Json(consultations::publish_feedback(&state, &actor, &audit_ctx(&actor, ip), id).await?))
}
