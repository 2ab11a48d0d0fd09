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
pub async fn guard(
    state: &AppState,
    jar: &CookieJar,
    csrf: &str,
    honeypot: &str,
    ip: &str,
) -> Result<String, PageError> {
    let expected = jar.get(FORM_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    if expected.is_empty() || !same_secret(csrf, &expected) {
        return Err(crate::auth::csrf_error().into());
    }
    if !honeypot.is_empty() {
        return Err(AppError::invalid("rejected", "提交未通过校验，请刷新页面后重新填写").into());
    }
    if !state.allow(crate::Limit::Post, ip).await {
        return Err(AppError::TooManyRequests.into());
    }
    Ok(expected)
}

/// A letter written on the page of something else (a question to an online interview, an
/// objection to a 公示): the form as posted.
#[derive(serde::Deserialize)]
pub struct OnPageForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub key: String,
    #[serde(flatten)]
    pub f: crate::app::letters::LetterForm,
}

/// The letter form of such a page: its token and idempotency key, what was typed, what is
/// wrong with it, and the filing once made.
pub struct OnPageLetter {
    pub csrf: String,
    pub key: String,
    pub f: crate::app::letters::LetterForm,
    pub errors: crate::error::FieldErrors,
    pub message: Option<String>,
    pub filed: Option<crate::app::letters::LetterFiled>,
}

impl OnPageLetter {
    /// A blank form (`f` with its defaults) under the browser's token.
    pub fn fresh(csrf: String, f: crate::app::letters::LetterForm) -> Self {
        Self { csrf, key: new_secret("k"), f, errors: Default::default(), message: None, filed: None }
    }

    /// The form after a filing: on success a fresh form (`blank`) showing the filing; on a
    /// refusal the typed form with what is wrong, and the status to answer; any other error
    /// is the caller's.
    pub fn after(
        csrf: String,
        posted: OnPageForm,
        typed: crate::app::letters::LetterForm,
        result: Result<(crate::app::letters::LetterFiled, bool), AppError>,
        blank: crate::app::letters::LetterForm,
    ) -> Result<(axum::http::StatusCode, Self), AppError> {
        let mut form = Self { csrf, key: posted.key, f: typed, errors: Default::default(), message: None, filed: None };
        match result {
            Ok((filed, _)) => {
                form.filed = Some(filed);
                form.f = blank;
                form.key = new_secret("k");
                Ok((axum::http::StatusCode::OK, form))
            }
            Err(e) => match e.form_refusal_status() {
                Some(status) => {
                    form.errors = e.field_errors();
                    form.message = Some(e.to_string());
                    Ok((status, form))
                }
                None => Err(e),
            },
        }
    }
}
