//! The public side of information requests: the filing form (no account; errors shown next
//! to their fields with everything typed kept), the confirmation with the tracking number
//! and query code, the status page, and the reply notice.

use crate::app::accounts::new_secret;
use crate::app::requests::{FORMS, FieldError, FilingInput, ID_TYPES, StatusView, file_online, notices, status_view};
use crate::auth::{ClientIp, cookie};
use crate::util::same_secret;
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use gongkai_core::request::ApplicantType;
use serde::Deserialize;

/// The public forms' double-submit CSRF cookie.
pub const FORM_COOKIE: &str = "gk_form";

pub struct OrgOption {
    pub code: String,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/request_form.html")]
pub struct RequestFormPage {
    pub csrf: String,
    pub key: String,
    pub f: FilingInput,
    pub errors: Vec<FieldError>,
    pub orgs: Vec<OrgOption>,
    pub types: &'static [ApplicantType],
    pub id_types: &'static [&'static str],
    pub forms: &'static [&'static str],
}

impl RequestFormPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

async fn org_options(state: &AppState) -> Result<Vec<OrgOption>, AppError> {
    Ok(crate::app::accounts::all_orgs(state)
        .await?
        .into_iter()
        .filter(|o| o.kind != gongkai_core::OrgKind::Village)
        .map(|o| OrgOption {
            label: format!("{}{}", "　".repeat(o.path.depth().saturating_sub(1)), o.name),
            code: o.code().to_string(),
        })
        .collect())
}

fn form_csrf(jar: &CookieJar) -> String {
    match jar.get(FORM_COOKIE) {
        Some(c) if c.value().len() > 20 => c.value().to_string(),
        _ => new_secret("f"),
    }
}

#[derive(Deserialize, Default)]
pub struct Prefill {
    /// What to ask for, e.g. the words of a search that found nothing.
    description: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(pre): Query<Prefill>,
) -> Result<Response, PageError> {
    let csrf = form_csrf(&jar);
    let page = RequestFormPage {
        csrf: csrf.clone(),
        key: new_secret("k"),
        f: FilingInput {
            applicant_type: "natural_person".into(),
            id_type: "居民身份证".into(),
            form: "电子邮件".into(),
            description: pre.description.unwrap_or_default().chars().filter(|c| !c.is_control()).take(200).collect(),
            ..Default::default()
        },
        errors: Vec::new(),
        orgs: org_options(&state).await?,
        types: ApplicantType::ALL,
        id_types: ID_TYPES,
        forms: FORMS,
    };
    Ok((jar.add(cookie(&state, FORM_COOKIE, csrf)), page).into_response())
}

#[derive(Deserialize)]
pub struct FilingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
    #[serde(flatten)]
    f: FilingInput,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/request_filed.html")]
pub struct FiledPage {
    pub tracking_no: String,
    pub query_code: String,
    pub received_on: String,
    pub due_on: String,
    pub org_name: String,
}

pub async fn submit(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Form(form): Form<FilingForm>,
) -> Result<Response, PageError> {
    let expected = jar.get(FORM_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    if expected.is_empty() || !same_secret(&form.csrf, &expected) {
        return Err(crate::auth::csrf_error().into());
    }
    if !state.allow(crate::Limit::Post, &ip).await {
        return Err(AppError::TooManyRequests.into());
    }
    match file_online(&state, form.f.clone(), Some(form.key.clone())).await {
        Ok((r, _)) => {
            let view: StatusView = status_view(&state, &r, None).await?;
            let page = FiledPage {
                tracking_no: r.tracking_no.clone(),
                query_code: r.query_code.clone(),
                received_on: r.received_on.to_string(),
                due_on: view.clock_due().unwrap_or_else(|| "（暂无法计算）".into()),
                org_name: view.org(),
            };
            Ok(page.into_response())
        }
        Err(e @ AppError::Detailed { .. }) => {
            let errors: Vec<FieldError> = e.fields().map(<[FieldError]>::to_vec).unwrap_or_default();
            let page = RequestFormPage {
                csrf: expected,
                key: form.key,
                f: form.f,
                errors,
                orgs: org_options(&state).await?,
                types: ApplicantType::ALL,
                id_types: ID_TYPES,
                forms: FORMS,
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct StatusQuery {
    tracking_no: Option<String>,
    code: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/request_status.html")]
pub struct StatusPage {
    pub tracking_no: String,
    pub code: String,
    pub view: Option<StatusView>,
    pub not_found: bool,
}

pub async fn status(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(q): Query<StatusQuery>,
) -> Result<Response, PageError> {
    let tracking_no = q.tracking_no.unwrap_or_default().trim().to_string();
    let code = q.code.unwrap_or_default().trim().to_string();
    if tracking_no.is_empty() || code.is_empty() {
        return Ok(StatusPage { tracking_no, code, view: None, not_found: false }.into_response());
    }
    if !state.allow(crate::Limit::Status, &ip).await {
        return Err(AppError::TooManyRequests.into());
    }
    let view = match crate::app::requests::for_applicant(&state, &tracking_no, &code).await {
        Ok(v) => Some(v),
        Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let not_found = view.is_none();
    let status = if not_found { axum::http::StatusCode::NOT_FOUND } else { axum::http::StatusCode::OK };
    Ok((status, StatusPage { tracking_no, code, view, not_found }).into_response())
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    code: Option<String>,
    format: Option<String>,
}

/// The reply notice, for the applicant.
pub async fn notice(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(tracking_no): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    if !state.allow(crate::Limit::Status, &ip).await {
        return Err(AppError::TooManyRequests.into());
    }
    let (n, no) = notices::reply_for_applicant(&state, &tracking_no, q.code.as_deref().unwrap_or("")).await?;
    let kind = gongkai_core::notice::NoticeKind::Reply;
    Ok(notices::respond(&n, kind, &no, q.format.as_deref() == Some("docx"))?)
}

/// A file released with the reply, for the applicant with the query code.
pub async fn file(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path((tracking_no, id)): Path<(String, i64)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    if !state.allow(crate::Limit::Status, &ip).await {
        return Err(AppError::TooManyRequests.into());
    }
    let code = q.code.as_deref().unwrap_or("");
    let (f, bytes) = crate::app::requests::records::applicant_file(&state, &tracking_no, code, id).await?;
    Ok(crate::handlers::files::serve_bytes(f.id, &f.name, &f.mime, bytes, "private, no-store"))
}
