//! Logging in and out of the console. The login form is protected against cross-site
//! posting by a double-submit token (cookie + hidden field); a successful login replaces
//! it with a session whose own CSRF token guards every later form.

use super::CsrfForm;
use crate::app::accounts::{self, new_secret};
use crate::auth::{ClientIp, LOGIN_COOKIE, SESSION_COOKIE, Staff, cookie, csrf_error};
use crate::util::{safe_next, same_secret};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/login.html")]
pub struct LoginPage {
    pub csrf: String,
    pub next: String,
    pub username: String,
    pub error: Option<String>,
    /// The password was just changed: log in with the new one.
    pub changed: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    #[serde(default)]
    changed: Option<String>,
}

pub async fn form(State(state): State<AppState>, jar: CookieJar, Query(q): Query<NextQuery>) -> Response {
    let csrf = match jar.get(LOGIN_COOKIE) {
        Some(c) if c.value().len() > 20 => c.value().to_string(),
        _ => new_secret("l"),
    };
    let page = LoginPage {
        csrf: csrf.clone(),
        next: safe_next(q.next.as_deref()),
        username: String::new(),
        error: None,
        changed: q.changed.is_some(),
    };
    (jar.add(cookie(&state, LOGIN_COOKIE, csrf)), page).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    /// The second factor's code (accounts that have one).
    #[serde(default)]
    totp: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let expected = jar.get(LOGIN_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    if expected.is_empty() || !same_secret(&form.csrf, &expected) {
        return Err(csrf_error().into());
    }
    let next = safe_next(form.next.as_deref());
    let code = Some(form.totp.as_str());
    let credentials = accounts::Credentials { username: &form.username, password: &form.password, code };
    match accounts::log_in(&state, credentials, &ip).await {
        Ok(session) => {
            let jar =
                jar.remove(Cookie::build(LOGIN_COOKIE).path("/")).add(cookie(&state, SESSION_COOKIE, session.secret));
            let to = if session.change_due { "/admin/password" } else { next.as_str() };
            Ok((jar, Redirect::to(to)).into_response())
        }
        Err(
            e @ (AppError::BadCredentials
            | AppError::SecondFactor(_)
            | AppError::TooManyRequests
            | AppError::Locked { .. }),
        ) => {
            let status = if matches!(e, AppError::TooManyRequests | AppError::Locked { .. }) {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNAUTHORIZED
            };
            let page =
                LoginPage { csrf: expected, next, username: form.username, error: Some(e.to_string()), changed: false };
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&form.csrf)?;
    accounts::log_out(&state, &crate::auth::audit_ctx(&staff.actor, ip), &staff.session).await?;
    Ok(signed_out(jar, "/login"))
}

/// The answer after the person's logins ended (logout, a password change, the second factor
/// turned off): the session cookie removed, on to `to`.
pub fn signed_out(jar: CookieJar, to: &str) -> Response {
    (jar.remove(Cookie::build(SESSION_COOKIE).path("/")), Redirect::to(to)).into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "console/password.html")]
pub struct PasswordPage {
    pub csrf: String,
    /// The change is required before anything else.
    pub required: bool,
    /// The account has a second factor: its code is asked too.
    pub has_factor: bool,
    pub message: Option<String>,
    pub fields: crate::error::FieldErrors,
}

async fn password_page(
    state: &AppState,
    staff: Staff,
    message: Option<String>,
    fields: crate::error::FieldErrors,
) -> Result<PasswordPage, AppError> {
    let (required, has_factor) =
        state.store.login_obligations(staff.actor.user_id, state.config.password_max_days).await?;
    Ok(PasswordPage { csrf: staff.csrf, required, has_factor, message, fields })
}

/// `/admin/password`: change one's own password (required after an administrator set it, or
/// when it is too old).
pub async fn password_form(State(state): State<AppState>, staff: Staff) -> Result<PasswordPage, PageError> {
    Ok(password_page(&state, staff, None, Default::default()).await?)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    totp: String,
}

/// `POST /admin/password`: the current password, the new one twice (and the second factor's
/// code, if the account has one). Every session of the account ends; log in again with the
/// new password.
pub async fn change_password(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(f): Form<PasswordForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = if f.new_password != f.confirm {
        Err(AppError::invalid_field("confirm_mismatch", "confirm", "两次输入的新密码不一致"))
    } else {
        let username = staff.actor.username.as_str();
        let credentials = accounts::Credentials { username, password: &f.current, code: Some(f.totp.as_str()) };
        accounts::change_password(&state, credentials, &f.new_password, &ip).await
    };
    let e = match result {
        Ok(()) => {
            return Ok(signed_out(jar, "/login?changed=1"));
        }
        Err(e) => e,
    };
    let (status, fields) = match &e {
        AppError::BadCredentials => {
            (StatusCode::UNPROCESSABLE_ENTITY, crate::error::FieldErrors::one("current", "原密码不正确"))
        }
        AppError::SecondFactor(m) => (StatusCode::UNPROCESSABLE_ENTITY, crate::error::FieldErrors::one("totp", m)),
        AppError::TooManyRequests | AppError::Locked { .. } => (StatusCode::TOO_MANY_REQUESTS, Default::default()),
        other => match other.form_refusal_status() {
            Some(status) => (status, other.field_errors()),
            None => return Err(e.into()),
        },
    };
    let message = fields.is_empty().then(|| e.to_string());
    Ok((status, password_page(&state, staff, message, fields).await?).into_response())
}
