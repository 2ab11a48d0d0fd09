//! `/admin/second-factor`: a staff member turns on their second factor (scan the QR code or
//! type the secret, then prove it with a code) or turns it off with a code; a security
//! administrator resets someone's (a lost phone).

use super::CsrfForm;
use crate::app::accounts::{self, SecondFactorView};
use crate::auth::{ClientIp, Staff, audit_ctx};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/second_factor.html")]
pub struct SecondFactorPage {
    pub csrf: String,
    pub view: SecondFactorView,
    pub message: Option<String>,
    pub fields: crate::error::FieldErrors,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    again: Option<&str>,
    e: Option<AppError>,
) -> Result<Response, PageError> {
    let mut view = accounts::second_factor(state, &staff.actor, again).await?;
    // The SVG inline: without the XML declaration, named for screen readers.
    if let Some(start) = view.qr_svg.find("<svg") {
        view.qr_svg = view.qr_svg[start..].replacen("<svg", "<svg role=\"img\" aria-label=\"两步验证二维码\"", 1);
    }
    let status = e.as_ref().and_then(AppError::form_refusal_status);
    let fields = e.as_ref().map(AppError::field_errors).unwrap_or_default();
    let message = e.filter(|_| fields.is_empty()).map(|e| e.to_string());
    let page = SecondFactorPage { csrf: staff.csrf.clone(), view, message, fields };
    Ok(match status {
        Some(s) => (s, page).into_response(),
        None => page.into_response(),
    })
}

/// `/admin/second-factor`.
pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<Response, PageError> {
    page(&state, &staff, None, None).await
}

#[derive(Deserialize)]
pub struct FactorForm {
    #[serde(default)]
    csrf: String,
    /// `on` or `off`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
}

/// `POST /admin/second-factor`: turn it on (secret and code) or off (code).
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(f): Form<FactorForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    let result = match f.action.as_str() {
        "on" => accounts::enable_second_factor(&state, &staff.actor, &ctx, &f.secret, &f.code).await,
        "off" => accounts::disable_second_factor(&state, &staff.actor, &ctx, &f.code).await,
        _ => Err(AppError::invalid("invalid_action", "未知操作")),
    };
    match result {
        Ok(()) if f.action == "off" => {
            // Every login of the account ended with it.
            Ok(super::login::signed_out(jar, "/login"))
        }
        Ok(()) => Ok(Redirect::to("/admin/second-factor").into_response()),
        Err(e) if e.form_refusal_status().is_some() => page(&state, &staff, Some(&f.secret), Some(e)).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/users/{id}/second-factor/reset`: the security administrator resets a staff
/// member's second factor.
pub async fn reset(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    accounts::reset_second_factor(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id).await?;
    Ok(Redirect::to("/admin/orgs").into_response())
}
