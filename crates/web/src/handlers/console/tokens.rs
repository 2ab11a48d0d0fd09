//! The staff member's own API tokens: list, create (the secret is shown once), revoke.

use crate::app::accounts;
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::util::beijing;
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub last_used_at: String,
    /// 有效期至 …, 已过期, or 吊销前一直有效 (tokens from before they expired).
    pub expiry: String,
    pub expired: bool,
    pub revoked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/tokens.html")]
pub struct TokensPage {
    pub csrf: String,
    pub tokens: Vec<TokenRow>,
    pub new_secret: Option<String>,
    pub name: String,
    pub error: Option<String>,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    new_secret: Option<String>,
    error: Option<String>,
    name: String,
) -> Result<TokensPage, PageError> {
    let now = state.now();
    let tokens = accounts::tokens(state, &staff.actor)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            expiry: match t.expires_at {
                Some(e) if e <= now => format!("已于 {} 过期", beijing(&e)),
                Some(e) => format!("有效期至 {}", beijing(&e)),
                None => "吊销前一直有效（旧令牌，建议吊销后重建）".into(),
            },
            expired: t.expires_at.is_some_and(|e| e <= now),
            id: t.id,
            name: t.name,
            created_at: beijing(&t.created_at),
            last_used_at: t.last_used_at.as_ref().map(beijing).unwrap_or_else(|| "从未使用".into()),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    Ok(TokensPage { csrf: staff.csrf.clone(), tokens, new_secret, name, error })
}

pub async fn list(State(state): State<AppState>, staff: Staff) -> Result<TokensPage, PageError> {
    page(&state, &staff, None, None, String::new()).await
}

#[derive(Deserialize)]
pub struct NewTokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(form): Form<NewTokenForm>,
) -> Result<TokensPage, PageError> {
    staff.check_csrf(&form.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    match accounts::create_token(&state, &staff.actor, &ctx, &form.name).await {
        Ok((_, secret)) => page(&state, &staff, Some(secret), None, String::new()).await,
        Err(crate::AppError::Invalid { message, .. }) => page(&state, &staff, None, Some(message), form.name).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf: String,
}

pub async fn revoke(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(form): Form<RevokeForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&form.csrf)?;
    accounts::revoke_token(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id).await?;
    Ok(Redirect::to("/admin/tokens").into_response())
}
