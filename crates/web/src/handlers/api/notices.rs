//! 公示 over the API: the public list and one 公示 with its status; objections within the
//! period (no account, rate-limited, idempotent like any letter); an editor sets an item's
//! 公示 settings.

use super::errors::*;
use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::letters::{LetterFiled, LetterForm};
use crate::app::public_notices::{self, NoticeBody, NoticeList, NoticeView};
use crate::auth::{ApiActor, ClientIp, audit_ctx};
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(one)).routes(routes!(object)).routes(routes!(set))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// 单位代码.
    org: Option<String>,
    /// open（公示中，缺省）、ended（已结束）、all.
    status: Option<String>,
    /// 页码（每页 20 项）.
    page: Option<i64>,
}

/// 公示列表：公示中、已结束或全部，附公示期、状态和结果公告。
#[utoipa::path(get, path = "/notices", tag = "notices", params(ListQuery),
    responses((status = 200, body = NoticeList), E404))]
async fn list(State(state): State<AppState>, ApiQuery(q): ApiQuery<ListQuery>) -> Result<Json<NoticeList>, ApiError> {
    let org = q.org.as_deref().filter(|c| !c.trim().is_empty());
    let status = q.status.as_deref().unwrap_or("open");
    Ok(Json(public_notices::public_list(&state, org, status, q.page.unwrap_or(1)).await?))
}

/// 一项公示：公示期、状态、异议件数、结果公告及其时限。
#[utoipa::path(get, path = "/notices/{id}", tag = "notices",
    params(("id" = i64, Path, description = "信息编号")), responses((status = 200, body = NoticeView), E404))]
async fn one(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> Result<Json<NoticeView>, ApiError> {
    Ok(Json(public_notices::public_one(&state, id).await?))
}

/// 对公示事项提出异议（公示期内；无需账号，须实名并留联系方式；按来信办理）。
#[utoipa::path(post, path = "/notices/{id}/objections", tag = "notices",
    params(("id" = i64, Path, description = "信息编号"),
        ("Idempotency-Key" = Option<String>, Header, description = "重复提交同一键不会产生第二件异议")),
    request_body = LetterForm,
    responses((status = 201, body = LetterFiled), (status = 200, description = "同一 Idempotency-Key 已提交过", body = LetterFiled),
        E404, E409, E422, E429))]
async fn object(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    ApiJson(form): ApiJson<LetterForm>,
) -> Result<(StatusCode, Json<LetterFiled>), ApiError> {
    let key = super::public_filing(&state, &ip, &headers).await?;
    let (filed, created) = public_notices::object(&state, id, form, key).await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(filed)))
}

/// 设置信息的公示：公示（公示期、是否受理异议、是否公告结果）、结果公告（对应的公示）或不是公示（stage 为空，仅限未发布的信息）。已发布的公示只能延长公示期。
#[utoipa::path(put, path = "/items/{id}/public-notice", tag = "notices", security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")), request_body = NoticeBody,
    responses((status = 200, body = Option<NoticeView>), E401, E403, E404, E409, E422))]
async fn set(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<NoticeBody>,
) -> Result<Json<Option<NoticeView>>, ApiError> {
    Ok(Json(public_notices::save(&state, &actor, &audit_ctx(&actor, ip), id, b).await?))
}
