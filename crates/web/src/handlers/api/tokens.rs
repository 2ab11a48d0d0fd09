//! API tokens for scripts: list and create one's own, revoke one's own or (as an admin)
//! those of users in one's subtree.

use super::errors::*;
use super::{ApiJson, ApiPath};
use crate::app::accounts::{self, ApiToken};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(revoke))
}

#[derive(Serialize, utoipa::ToSchema)]
struct TokenInfo {
    id: i64,
    name: String,
    created_at: String,
    last_used_at: Option<String>,
    /// When it ends by itself (none: tokens from before tokens expired, valid until revoked).
    expires_at: Option<String>,
    revoked: bool,
}

impl From<ApiToken> for TokenInfo {
    fn from(t: ApiToken) -> Self {
        Self {
            id: t.id,
            name: t.name,
            created_at: t.created_at.to_rfc3339(),
            last_used_at: t.last_used_at.map(|t| t.to_rfc3339()),
            expires_at: t.expires_at.map(|t| t.to_rfc3339()),
            revoked: t.revoked_at.is_some(),
        }
    }
}

/// 本人的访问令牌。
#[utoipa::path(get, path = "/tokens", tag = "tokens",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenInfo>), E401))]
async fn list(State(state): State<AppState>, ApiActor(actor): ApiActor) -> Result<Json<Vec<TokenInfo>>, ApiError> {
    let tokens = accounts::tokens(&state, &actor).await?;
    Ok(Json(tokens.into_iter().map(TokenInfo::from).collect()))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct NewTokenBody {
    #[serde(default)]
    name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct NewToken {
    id: i64,
    name: String,
    token: String,
}

/// 生成访问令牌（令牌只在此返回一次）。
#[utoipa::path(post, path = "/tokens", tag = "tokens",
    security(("bearer" = [])),
    request_body = NewTokenBody,
    responses((status = 201, body = NewToken), E401, E422))]
async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<NewTokenBody>,
) -> Result<(StatusCode, Json<NewToken>), ApiError> {
    let ctx = audit_ctx(&actor, ip);
    let (token, secret) = accounts::create_token(&state, &actor, &ctx, &body.name).await?;
    Ok((StatusCode::CREATED, Json(NewToken { id: token.id, name: token.name, token: secret })))
}

/// 吊销令牌：本人的，或管理员吊销下级单位用户的。
#[utoipa::path(delete, path = "/tokens/{id}", tag = "tokens",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "令牌编号")),
    responses((status = 204), E401, E403, E404, E409))]
async fn revoke(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    accounts::revoke_token(&state, &actor, &audit_ctx(&actor, ip), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
