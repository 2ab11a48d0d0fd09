//! `POST /api/v1/session`: trade a user name and password for a bearer token (a session
//! that expires); `DELETE` ends it; `GET /api/v1/me` tells who the token belongs to.

use super::ApiJson;
use super::ErrorBody;
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
    /// 动态口令（已启用两步验证的账号必填）：身份验证器应用显示的 6 位数字.
    #[serde(default)]
    totp: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct TokenBody {
    token: String,
    expires_at: String,
}

/// 用户名和密码换取会话令牌（登录）。
#[utoipa::path(post, path = "/session", tag = "session",
    request_body = LoginBody,
    responses((status = 201, body = TokenBody),
        (status = 401, description = "用户名或密码错误（bad_credentials），或动态口令缺少、错误、已用过（second_factor）", body = ErrorBody),
        (status = 403, description = "须先修改密码（password_change_required），或本平台要求先在工作台启用两步验证（second_factor_required）", body = ErrorBody),
        E429))]
async fn create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<(StatusCode, Json<TokenBody>), ApiError> {
    let credentials =
        accounts::Credentials { username: &body.username, password: &body.password, code: body.totp.as_deref() };
    let session = accounts::log_in_api(&state, credentials, &ip).await?;
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
    /// 动态口令（已启用两步验证的账号必填）.
    #[serde(default)]
    totp: Option<String>,
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
    let credentials =
        accounts::Credentials { username: &body.username, password: &body.password, code: body.totp.as_deref() };
    accounts::change_password(&state, credentials, &body.new_password, &ip).await?;
    Ok(StatusCode::NO_CONTENT)
}
