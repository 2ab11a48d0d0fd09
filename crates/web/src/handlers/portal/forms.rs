//! What every public form shares: the double-submit CSRF token (a cookie and a hidden field),
//! the honeypot a person never fills, and the rate limit per client address.

use super::requests::FORM_COOKIE;
use crate::app::accounts::new_secret;
use crate::util::same_secret;
use crate::{AppError, AppState, PageError};
use axum_extra::extract::cookie::CookieJar;

/// The browser's form token: the cookie's, or a new one to set.
pub fn csrf_token(jar: &CookieJar) -> String {
    match jar.get(FORM_COOKIE) {
        Some(c) if c.value().len() > 20 => c.value().to_string(),
        _ => new_secret("f"),
    }
}

/// Checks a public form's submission in order: the CSRF token against the cookie, the
/// honeypot empty, the address within its rate. Answers the token to render again.
pub fn guard(state: &AppState, jar: &CookieJar, csrf: &str, honeypot: &str, ip: &str) -> Result<String, PageError> {
    let expected = jar.get(FORM_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    if expected.is_empty() || !same_secret(csrf, &expected) {
        return Err(crate::auth::csrf_error().into());
    }
    if !honeypot.is_empty() {
        return Err(AppError::invalid("rejected", "提交未通过校验，请刷新页面后重新填写").into());
    }
    if state.post_limiter.check_key(&ip.to_string()).is_err() {
        return Err(AppError::TooManyRequests.into());
    }
    Ok(expected)
}
