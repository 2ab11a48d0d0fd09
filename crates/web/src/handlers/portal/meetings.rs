//! The public side of meeting attendance: the meetings with their topics and seats, the
//! application form while open (CSRF, honeypot, rate limit), and the published list.

use super::requests::FORM_COOKIE;
use crate::app::accounts::new_secret;
use crate::app::meetings::{self, ApplyBody, MeetingView};
use crate::auth::{ClientIp, cookie};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "portal/meetings.html")]
pub struct ListPage {
    pub list: Vec<MeetingView>,
}

/// `/meetings`.
pub async fn list(State(state): State<AppState>) -> Result<Response, PageError> {
    Ok(ListPage { list: meetings::public_list(&state).await? }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/meeting.html")]
pub struct OnePage {
    pub m: MeetingView,
    pub csrf: String,
    /// The form's idempotency key: a double click files one application.
    pub key: String,
    pub f: ApplyBody,
    pub error: Option<String>,
    /// Errors by field (shown next to each field).
    pub fields: crate::error::FieldErrors,
    pub done: bool,
}

fn id_of(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound("未找到会议".into()))
}

/// `/meetings/{id}`.
pub async fn one(State(state): State<AppState>, jar: CookieJar, Path(id): Path<String>) -> Result<Response, PageError> {
    let m = meetings::public_one(&state, id_of(&id)?).await?;
    let csrf = super::forms::csrf_token(&jar);
    let page = OnePage {
        m,
        csrf: csrf.clone(),
        key: new_secret("k"),
        f: ApplyBody::default(),
        error: None,
        fields: Default::default(),
        done: false,
    };
    Ok((jar.add(cookie(&state, FORM_COOKIE, csrf)), page).into_response())
}

#[derive(Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    website: String,
    #[serde(flatten)]
    f: ApplyBody,
}

/// `POST /meetings/{id}/applications`.
pub async fn apply(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(form): Form<ApplyForm>,
) -> Result<Response, PageError> {
    let id = id_of(&id)?;
    let expected = super::forms::guard(&state, &jar, &form.csrf, &form.website, &ip).await?;
    let key = Some(form.key.clone()).filter(|k| !k.is_empty());
    let result = meetings::apply(&state, id, form.f.clone(), key).await;
    let m = meetings::public_one(&state, id).await?;
    match result {
        Ok(_) => Ok(OnePage {
            m,
            csrf: expected,
            key: new_secret("k"),
            f: ApplyBody::default(),
            error: None,
            fields: Default::default(),
            done: true,
        }
        .into_response()),
        Err(e) if e.form_refusal_status().is_some() => {
            let status = e.form_refusal_status().unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let fields = e.field_errors();
            let error = fields.is_empty().then(|| e.to_string());
            let page = OnePage { m, csrf: expected, key: form.key, f: form.f, error, fields, done: false };
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
