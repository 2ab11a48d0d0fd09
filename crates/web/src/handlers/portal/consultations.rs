//! The public side of consultations: the list (open ones first), one consultation with its
//! draft, explanation, comment form (CSRF, honeypot, rate limit, idempotency; name optional,
//! contact private), the accepted comments when shown, and the feedback report once published.

use super::requests::FORM_COOKIE;
use crate::app::accounts::new_secret;
use crate::app::consultations::{self, CommentBody, ConsultationView};
use crate::auth::{ClientIp, cookie};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "portal/consultations.html")]
pub struct ListPage {
    /// The sub-site's org: (code, name).
    pub org: Option<(String, String)>,
    pub list: Vec<ConsultationView>,
}

#[derive(Deserialize)]
pub struct OrgQuery {
    pub(super) org: Option<String>,
}

/// `/consultations` (`?org=` on an org's sub-site).
pub async fn list(State(state): State<AppState>, Query(q): Query<OrgQuery>) -> Result<Response, PageError> {
    let org = crate::app::orgs::sub_site(&state, q.org.as_deref()).await?;
    let list = consultations::public_list(&state, org.as_ref()).await?;
    Ok(ListPage { org: org.map(|o| (o.code().to_string(), o.name)), list }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/consultation.html")]
pub struct OnePage {
    pub c: ConsultationView,
    pub csrf: String,
    pub key: String,
    pub f: CommentBody,
    pub error: Option<String>,
    /// Errors by field (shown next to each field).
    pub fields: crate::error::FieldErrors,
    pub done: bool,
}

fn id_of(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound("未找到意见征集".into()))
}

/// `/consultations/{id}`.
pub async fn one(State(state): State<AppState>, jar: CookieJar, Path(id): Path<String>) -> Result<Response, PageError> {
    let c = consultations::public_one(&state, id_of(&id)?).await?;
    let csrf = super::forms::csrf_token(&jar);
    let page = OnePage {
        c,
        csrf: csrf.clone(),
        key: new_secret("k"),
        f: CommentBody::default(),
        error: None,
        fields: Default::default(),
        done: false,
    };
    Ok((jar.add(cookie(&state, FORM_COOKIE, csrf)), page).into_response())
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    website: String,
    #[serde(flatten)]
    f: CommentBody,
}

/// `POST /consultations/{id}/comments`.
pub async fn comment(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(form): Form<CommentForm>,
) -> Result<Response, PageError> {
    let id = id_of(&id)?;
    let expected = super::forms::guard(&state, &jar, &form.csrf, &form.website, &ip).await?;
    let result = consultations::comment(&state, id, form.f.clone(), Some(form.key.clone())).await;
    let c = consultations::public_one(&state, id).await?;
    match result {
        Ok(_) => Ok(OnePage {
            c,
            csrf: expected,
            key: new_secret("k"),
            f: CommentBody::default(),
            error: None,
            fields: Default::default(),
            done: true,
        }
        .into_response()),
        Err(e) if e.form_refusal_status().is_some() => {
            let status = e.form_refusal_status().unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let fields = e.field_errors();
            let error = fields.is_empty().then(|| e.to_string());
            let page = OnePage { c, csrf: expected, key: form.key, f: form.f, error, fields, done: false };
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `/consultations/feed.atom`: the consultations open for comment.
pub async fn feed(State(state): State<AppState>) -> Result<Response, PageError> {
    let list = consultations::public_list(&state, None).await?;
    let at = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
    let entries: Vec<super::feeds::Entry> = list
        .iter()
        .filter(|c| c.stage == "open")
        .map(|c| super::feeds::Entry {
            title: c.title.clone(),
            path: format!("/consultations/{}", c.id),
            published: at(c.opens_on),
            updated: at(c.opens_on),
            author: c.org_name.clone(),
            summary: format!(
                "征集期 {} 至 {}。{}",
                c.opens_on,
                c.closes_on,
                c.explanation.chars().take(150).collect::<String>()
            ),
        })
        .collect();
    Ok(super::feeds::atom_of("意见征集（征集中）", "/consultations/feed.atom", &entries))
}
