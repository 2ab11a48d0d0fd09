//! 政务新媒体 over the API: the accounts of the orgs the caller answers for, registering and
//! editing one, recording an update (typed, or an item republished there), and closing or
//! merging an account.

use super::errors::*;
use super::{ApiJson, ApiPath};
use crate::app::media::{self, AccountFields, AccountPage, AccountView, Ending, UpdateFields};
use crate::auth::{ApiActor, ClientIp, audit_ctx};
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one, edit))
        .routes(routes!(update))
        .routes(routes!(end))
}

/// 政务新媒体账号：本人负责的单位的账号，停更风险在前，附最近更新日期和应更新日期。
#[utoipa::path(get, path = "/media-accounts", tag = "supervision", security(("bearer" = [])),
    responses((status = 200, body = Vec<AccountView>), E401))]
async fn list(State(state): State<AppState>, ApiActor(actor): ApiActor) -> Result<Json<Vec<AccountView>>, ApiError> {
    Ok(Json(media::list(&state, &actor).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct NewAccount {
    /// 开办主体（单位）的机构代码.
    org: String,
    #[serde(flatten)]
    fields: AccountFields,
}

/// 登记政务新媒体账号（本单位信息编辑或上级公开办）：须写明运营单位和内容发布审核机制。
#[utoipa::path(post, path = "/media-accounts", tag = "supervision", security(("bearer" = [])),
    request_body = NewAccount, responses((status = 201, body = AccountPage), E401, E403, E404, E422))]
async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<NewAccount>,
) -> Result<(StatusCode, Json<AccountPage>), ApiError> {
    let id = media::create(&state, &actor, &audit_ctx(&actor, ip), &b.org, &b.fields).await?;
    Ok((StatusCode::CREATED, Json(media::one(&state, &actor, id).await?)))
}

/// 一个账号：登记信息、运营状态、更新时限和最近 50 次更新。
#[utoipa::path(get, path = "/media-accounts/{id}", tag = "supervision", security(("bearer" = [])),
    params(("id" = i64, Path, description = "账号编号")), responses((status = 200, body = AccountPage), E401, E403, E404))]
async fn one(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AccountPage>, ApiError> {
    Ok(Json(media::one(&state, &actor, id).await?))
}

/// 修改运营中账号的登记信息。
#[utoipa::path(put, path = "/media-accounts/{id}", tag = "supervision", security(("bearer" = [])),
    params(("id" = i64, Path, description = "账号编号")), request_body = AccountFields,
    responses((status = 200, body = AccountPage), E401, E403, E404, E409, E422))]
async fn edit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(f): ApiJson<AccountFields>,
) -> Result<Json<AccountPage>, ApiError> {
    media::edit(&state, &actor, &audit_ctx(&actor, ip), id, &f).await?;
    Ok(Json(media::one(&state, &actor, id).await?))
}

/// 登记一次更新：自行填写，或登记本站已公开信息的转发（item_id）；日期不晚于今天。
#[utoipa::path(post, path = "/media-accounts/{id}/updates", tag = "supervision", security(("bearer" = [])),
    params(("id" = i64, Path, description = "账号编号")), request_body = UpdateFields,
    responses((status = 201, body = AccountPage), E401, E403, E404, E409, E422))]
async fn update(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(f): ApiJson<UpdateFields>,
) -> Result<(StatusCode, Json<AccountPage>), ApiError> {
    media::record_update(&state, &actor, &audit_ctx(&actor, ip), id, &f).await?;
    Ok((StatusCode::CREATED, Json(media::one(&state, &actor, id).await?)))
}

/// 关停（close）或整合（merge，到另一运营中账号）：须写明原因；账号保留，不再登记更新。
#[utoipa::path(post, path = "/media-accounts/{id}/ending", tag = "supervision", security(("bearer" = [])),
    params(("id" = i64, Path, description = "账号编号")), request_body = Ending,
    responses((status = 200, body = AccountPage), E401, E403, E404, E409, E422))]
async fn end(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(e): ApiJson<Ending>,
) -> Result<Json<AccountPage>, ApiError> {
    media::end(&state, &actor, &audit_ctx(&actor, ip), id, &e).await?;
    Ok(Json(media::one(&state, &actor, id).await?))
}
