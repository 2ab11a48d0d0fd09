//! `POST /api/v1/users`: a security administrator (安全管理员) adds a staff user to an org in their own subtree.

use super::ApiJson;
use super::errors::*;
use crate::app::accounts::{self, NewStaff};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use gongkai_core::{Password, Role, Username};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct NewUserBody {
    org: String,
    username: String,
    #[serde(default)]
    display_name: String,
    password: String,
    #[serde(default)]
    roles: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct UserBody {
    username: String,
    display_name: String,
    org: String,
    roles: Vec<&'static str>,
}

/// 为本单位或下级单位添加工作人员（安全管理员）。
#[utoipa::path(post, path = "/users", tag = "users",
    security(("bearer" = [])),
    request_body = NewUserBody,
    responses((status = 201, body = UserBody), E400, E401, E403, E409, E422))]
async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<NewUserBody>,
) -> Result<(StatusCode, Json<UserBody>), ApiError> {
    let org = accounts::find_org(&state, &body.org)
        .await?
        .ok_or_else(|| AppError::invalid("unknown_org", format!("单位「{}」不存在", body.org)))?;
    actor.may_manage_accounts(&org.path)?;
    let username = Username::parse(&body.username).map_err(|e| AppError::invalid("invalid_username", e.to_string()))?;
    let password = Password::parse_for(&body.password, username.as_str())
        .map_err(|e| AppError::invalid("weak_password", e.to_string()))?;
    let roles = body
        .roles
        .iter()
        .map(|r| Role::parse(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| AppError::invalid("invalid_role", e.to_string()))?;
    let ctx = audit_ctx(&actor, ip);
    let new = NewStaff { username, display_name: body.display_name, password, roles };
    let user = accounts::add_staff(&state, &actor, &ctx, &org, new).await?;
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
