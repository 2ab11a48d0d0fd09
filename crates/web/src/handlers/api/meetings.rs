//! Meetings the public may attend over the API: the list and one meeting with its published
//! attendees; applications (rate-limited); for the organising org the announcement, the
//! applications, selection and the list's publication.

use super::errors::*;
use super::{ApiJson, ApiPath};
use crate::app::meetings::{self, ApplyBody, MeetingBody, MeetingView};
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
        .routes(routes!(list, announce))
        .routes(routes!(one))
        .routes(routes!(apply, staff_view))
        .routes(routes!(decide))
        .routes(routes!(publish))
}

/// 公众列席会议列表。
#[utoipa::path(get, path = "/meetings", tag = "meetings", responses((status = 200, body = Vec<MeetingView>)))]
async fn list(State(state): State<AppState>) -> Result<Json<Vec<MeetingView>>, ApiError> {
    Ok(Json(meetings::public_list(&state).await?))
}

/// 发布会议列席公告（本单位公开办或信息编辑）。
#[utoipa::path(post, path = "/meetings", tag = "meetings",
    security(("bearer" = [])),
    request_body = MeetingBody,
    responses((status = 201, body = MeetingView), E401, E403, E422))]
async fn announce(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<MeetingBody>,
) -> Result<(StatusCode, Json<MeetingView>), ApiError> {
    Ok((StatusCode::CREATED, Json(meetings::announce(&state, &actor, &audit_ctx(&actor, ip), b).await?)))
}

/// 一次会议：议题、席位、已公布的列席名单。
#[utoipa::path(get, path = "/meetings/{id}", tag = "meetings",
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, body = MeetingView), E404))]
async fn one(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> Result<Json<MeetingView>, ApiError> {
    Ok(Json(meetings::public_one(&state, id).await?))
}

/// 报名列席（公众）。
#[utoipa::path(post, path = "/meetings/{id}/applications", tag = "meetings",
    params(("id" = i64, Path, description = "编号"), ("Idempotency-Key" = Option<String>, Header, description = "重复提交同一键不会产生第二份报名")),
    request_body = ApplyBody,
    responses((status = 201, description = "已报名，待遴选"), (status = 200, description = "同一 Idempotency-Key 已报名过"), E404, E409, E422, E429))]
async fn apply(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ApplyBody>,
) -> Result<StatusCode, ApiError> {
    let key = super::public_filing(&state, &ip, &headers).await?;
    let created = meetings::apply(&state, id, b, key).await?;
    Ok(if created { StatusCode::CREATED } else { StatusCode::OK })
}

/// 会议详情（工作人员）：全部报名。
#[utoipa::path(get, path = "/meetings/{id}/applications", tag = "meetings",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, body = MeetingView), E401, E403, E404))]
async fn staff_view(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MeetingView>, ApiError> {
    Ok(Json(meetings::for_staff(&state, &actor, id).await?))
}

/// A selection decision.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct DecideBody {
    pub select: bool,
    #[serde(default)]
    pub note: String,
}

/// 遴选：确定列席（不超过席位）或未安排（说明原因）。
#[utoipa::path(post, path = "/meetings/applications/{id}", tag = "meetings",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "报名编号")),
    request_body = DecideBody,
    responses((status = 204, description = "已处理"), E401, E403, E404, E409, E422))]
async fn decide(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<DecideBody>,
) -> Result<StatusCode, ApiError> {
    meetings::decide(&state, &actor, &audit_ctx(&actor, ip), id, b.select, &b.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 公布列席名单。
#[utoipa::path(post, path = "/meetings/{id}/attendees", tag = "meetings",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, body = MeetingView), E401, E403, E409))]
async fn publish(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MeetingView>, ApiError> {
    Ok(Json(meetings::publish(&state, &actor, &audit_ctx(&actor, ip), id).await?))
}
