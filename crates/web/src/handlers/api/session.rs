//! `POST /api/v1/session`: trade a user name and password for a bearer token (a session
//! that expires); `DELETE` ends it; `GET /api/v1/me` tells who the token belongs to.

use super::ApiJson;
use super::errors::*;
use crate::app::accounts;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create, delete)).routes(routes!(me)).routes(routes!(change_password))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct LoginBody {
    username: String,
    password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct TokenBody {
    token: String,
    expires_at: String,
}

/// 用户名和密码换取会话令牌（登录）。
#[utoipa::path(post, path = "/session", tag = "session",
    request_body = LoginBody,
    responses((status = 201, body = TokenBody), E401, (status = 403, description = "须先修改密码（password_change_required）"), E429))]
async fn create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<(StatusCode, Json<TokenBody>), ApiError> {
    let session = accounts::log_in_api(&state, &body.username, &body.password, &ip).await?;
    let expires_at = session.expires_at.to_rfc3339();
    Ok((StatusCode::CREATED, Json(TokenBody { token: session.secret, expires_at })))
}

/// 注销会话令牌。
#[utoipa::path(delete, path = "/session", tag = "session",
    security(("bearer" = [])),
    responses((status = 204), E401, E422))]
async fn delete(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let secret = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .filter(|s| s.starts_with("s_"))
        .ok_or_else(|| AppError::invalid("not_a_session", "只能用登录会话令牌注销；API 令牌请用吊销接口"))?;
    accounts::log_out(&state, &crate::auth::audit_ctx(&actor, ip), secret).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
struct Me {
    username: String,
    display_name: String,
    org: String,
    org_name: String,
    roles: Vec<&'static str>,
}

/// 当前令牌对应的用户、单位和角色。
#[utoipa::path(get, path = "/me", tag = "session",
    security(("bearer" = [])),
    responses((status = 200, body = Me), E401))]
async fn me(State(state): State<AppState>, ApiActor(actor): ApiActor) -> Result<Json<Me>, ApiError> {
    let (user, org) = accounts::me(&state, &actor).await?;
    Ok(Json(Me {
        username: user.username.as_str().to_string(),
        display_name: user.display_name,
        org: org.code().to_string(),
        org_name: org.name,
        roles: actor.roles.iter().map(|r| r.as_str()).collect(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct PasswordBody {
    username: String,
    /// 当前密码.
    password: String,
    /// 新密码：至少 10 个字符、两类字符，不是常见密码，不含用户名.
    new_password: String,
}

/// 修改本人密码（凭当前密码；管理员设置的初始密码或已到期的密码须先修改才能登录）。修改后本账号的会话和令牌全部失效。
#[utoipa::path(post, path = "/session/password", tag = "session",
    request_body = PasswordBody,
    responses((status = 204, description = "已修改，请用新密码登录"), E401, E422, E429))]
async fn change_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<PasswordBody>,
) -> Result<StatusCode, ApiError> {
    accounts::change_password(&state, &body.username, &body.password, &body.new_password, &ip).await?;
    Ok(StatusCode::NO_CONTENT)
}
