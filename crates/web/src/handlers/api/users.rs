//! `POST /api/v1/users`: an admin adds a staff user to an org in their own subtree.

use super::ApiJson;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use gongkai_core::{Password, Role, Username};
use gongkai_store::auth::hash_password;
use gongkai_store::{AuditCtx, NewUser};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new().route("/users", post(create))
}

#[derive(Deserialize)]
struct NewUserBody {
    org: String,
    username: String,
    #[serde(default)]
    display_name: String,
    password: String,
    #[serde(default)]
    roles: Vec<String>,
}

#[derive(Serialize)]
struct UserBody {
    username: String,
    display_name: String,
    org: String,
    roles: Vec<&'static str>,
}

async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<NewUserBody>,
) -> Result<(StatusCode, Json<UserBody>), ApiError> {
    let org = state
        .store
        .org_by_code(&body.org)
        .await?
        .ok_or_else(|| AppError::invalid("unknown_org", format!("单位「{}」不存在", body.org)))?;
    actor.may_administer(&org.path)?;
    let username = Username::parse(&body.username).map_err(|e| AppError::invalid("invalid_username", e.to_string()))?;
    let password = Password::parse(&body.password).map_err(|e| AppError::invalid("weak_password", e.to_string()))?;
    let roles = body
        .roles
        .iter()
        .map(|r| Role::parse(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| AppError::invalid("invalid_role", e.to_string()))?;
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    let ctx = AuditCtx { actor: actor.username.as_str().to_string(), origin: ip };
    let user = state
        .store
        .create_user(
            &ctx,
            NewUser {
                org_code: org.code().to_string(),
                username,
                display_name: body.display_name,
                password_hash,
                roles,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(UserBody {
            username: user.username.as_str().to_string(),
            display_name: user.display_name,
            org: org.code().to_string(),
            roles: user.roles.iter().map(|r| r.as_str()).collect(),
        }),
    ))
}
