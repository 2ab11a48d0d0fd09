//! `POST /api/v1/session`: trade a user name and password for a bearer token (a session
//! that expires); `DELETE` ends it; `GET /api/v1/me` tells who the token belongs to.

use super::ApiJson;
use crate::auth::{ApiActor, ClientIp, authenticate};
use crate::{ApiError, AppError, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new().route("/session", post(create).delete(delete)).route("/me", get(me))
}

#[derive(Deserialize)]
struct LoginBody {
    username: String,
    password: String,
}

#[derive(Serialize)]
struct TokenBody {
    token: String,
    expires_at: String,
}

async fn create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<(StatusCode, Json<TokenBody>), ApiError> {
    let user = authenticate(&state, &body.username, &body.password, &ip).await?;
    let ttl = Duration::hours(state.config.session_hours);
    let (token, _csrf) = state.store.create_session(user.id, ttl).await?;
    tracing::info!(user.id = user.id, "api session opened");
    let expires_at = (Utc::now() + ttl).to_rfc3339();
    Ok((StatusCode::CREATED, Json(TokenBody { token, expires_at })))
}

async fn delete(State(state): State<AppState>, _actor: ApiActor, headers: HeaderMap) -> Result<StatusCode, ApiError> {
    let secret = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .filter(|s| s.starts_with("s_"))
        .ok_or_else(|| AppError::invalid("not_a_session", "只能用登录会话令牌注销；API 令牌请用吊销接口"))?;
    state.store.delete_session(secret.trim()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
struct Me {
    username: String,
    display_name: String,
    org: String,
    org_name: String,
    roles: Vec<&'static str>,
}

async fn me(State(state): State<AppState>, ApiActor(actor): ApiActor) -> Result<Json<Me>, ApiError> {
    let user = state.store.user_by_id(actor.user_id).await?.ok_or(AppError::Unauthorized)?;
    let org = state.store.org_by_id(actor.org_id).await?.ok_or(AppError::Unauthorized)?;
    Ok(Json(Me {
        username: user.username.as_str().to_string(),
        display_name: user.display_name,
        org: org.code().to_string(),
        org_name: org.name,
        roles: actor.roles.iter().map(|r| r.as_str()).collect(),
    }))
}
