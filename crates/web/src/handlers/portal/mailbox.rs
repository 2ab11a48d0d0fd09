//! The public side of mailboxes: the mailboxes with the latest public letters, the form (no
//! account; errors next to their fields with everything typed kept; similar answered
//! questions shown first), the confirmation with the tracking number and query code, the
//! writer's status page with the rating, the public letters, each mailbox's figures and the
//! FAQ. An org's sub-site shows the same filtered to it (`?org=`).

use super::requests::FORM_COOKIE;
use crate::app::accounts::new_secret;
use crate::app::letters::{
    self, FaqEntry, FieldError, LetterFiled, LetterForm, LetterView, MailboxStats, MailboxView, PublicLetter,
    PublicLetters, Satisfaction, Similar,
};
use crate::auth::{ClientIp, cookie};
use crate::util::same_secret;
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

fn check_csrf(jar: &CookieJar, given: &str) -> Result<String, PageError> {
    let expected = jar.get(FORM_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    if expected.is_empty() || !same_secret(given, &expected) {
        return Err(crate::auth::csrf_error().into());
    }
    Ok(expected)
}

#[derive(Deserialize)]
pub struct IndexQuery {
    org: Option<String>,
    page: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/mailbox.html")]
pub struct IndexPage {
    pub org: Option<(String, String)>,
    pub mailboxes: Vec<MailboxView>,
    pub letters: PublicLetters,
}

impl IndexPage {
    fn page_href(&self, page: i64) -> String {
        match &self.org {
            Some((code, _)) => format!("/mailbox?org={code}&page={page}"),
            None => format!("/mailbox?page={page}"),
        }
    }
}

/// `/mailbox`: the mailboxes, and the public letters a page at a time.
pub async fn index(State(state): State<AppState>, Query(q): Query<IndexQuery>) -> Result<Response, PageError> {
    let code = q.org.filter(|c| !c.trim().is_empty());
    let org = match &code {
        Some(c) => Some(crate::app::orgs::by_code(&state, c).await?),
        None => None,
    };
    let mut mailboxes = letters::writable_mailboxes(&state).await?;
    if let Some(o) = &org {
        mailboxes.retain(|m| m.org_code == o.code());
    }
    let letters = letters::public_letters(&state, code.as_deref(), q.page.unwrap_or(1)).await?;
    let org = org.map(|o| (o.code().to_string(), o.name));
    Ok(IndexPage { org, mailboxes, letters }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/letter_form.html")]
pub struct FormPage {
    pub csrf: String,
    pub key: String,
    pub f: LetterForm,
    pub errors: Vec<FieldError>,
    pub mailboxes: Vec<MailboxView>,
    pub similar: Vec<Similar>,
}

impl FormPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

#[derive(Deserialize)]
pub struct FormQuery {
    mailbox: Option<i64>,
    /// The page a 网站找错 report is about (prefilled into the letter).
    about: Option<String>,
}

#[derive(Deserialize)]
pub struct ReportQuery {
    /// The page the visitor was on (the link sends it; else the Referer).
    page: Option<String>,
}

/// `/report-error` (网站找错): the letter form opened on the site's error-report mailbox, the
/// page the visitor came from written in; a clear message when the site has none.
pub async fn report_error(
    State(state): State<AppState>,
    Query(q): Query<ReportQuery>,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageError> {
    let mailboxes = letters::writable_mailboxes(&state).await?;
    let Some(m) =
        mailboxes.iter().find(|m| m.active && m.kind == gongkai_core::letter::MailboxKind::ErrorReport.as_str())
    else {
        let message = "本网站尚未开通网站找错信箱，请通过领导信箱或咨询信箱反映，或按下列方式联系。".to_string();
        let page = super::site_pages::contact_page(&state, Some(message)).await?;
        return Ok((axum::http::StatusCode::NOT_FOUND, page).into_response());
    };
    let page = q
        .page
        .or_else(|| headers.get(axum::http::header::REFERER).and_then(|v| v.to_str().ok()).map(str::to_string))
        .filter(|p| p.chars().count() <= 500 && !p.chars().any(char::is_control))
        .unwrap_or_default();
    let mut to = format!("/mailbox/write?mailbox={}", m.id);
    if !page.is_empty() {
        to += &format!("&about={}", crate::util::url_encode(&page));
    }
    Ok(axum::response::Redirect::to(&to).into_response())
}

/// `/mailbox/write`: the form, the mailbox chosen when the link named one.
pub async fn form(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(q): Query<FormQuery>,
) -> Result<Response, PageError> {
    let csrf = super::forms::csrf_token(&jar);
    let mailboxes = letters::writable_mailboxes(&state).await?;
    let mailbox = q.mailbox.or_else(|| mailboxes.first().map(|m| m.id)).unwrap_or(0);
    let error_report =
        mailboxes.iter().any(|m| m.id == mailbox && m.kind == gongkai_core::letter::MailboxKind::ErrorReport.as_str());
    let about = q.about.filter(|p| p.chars().count() <= 500 && !p.chars().any(char::is_control));
    let (subject, text) = match (error_report, about) {
        (true, Some(page)) => ("网站找错".to_string(), format!("出错页面：{page}\n问题描述：")),
        (true, None) => ("网站找错".to_string(), "出错页面：\n问题描述：".to_string()),
        _ => (String::new(), String::new()),
    };
    let f = LetterForm { mailbox, consent: true, subject, text, ..Default::default() };
    let page =
        FormPage { csrf: csrf.clone(), key: new_secret("k"), f, errors: Vec::new(), mailboxes, similar: Vec::new() };
    Ok((jar.add(cookie(&state, FORM_COOKIE, csrf)), page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/letter_filed.html")]
pub struct FiledPage {
    pub filed: LetterFiled,
}

/// The letter form's fields from a multipart body.
fn letter_form(fields: &std::collections::HashMap<String, String>) -> LetterForm {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    LetterForm {
        mailbox: get("mailbox").trim().parse().unwrap_or(0),
        name: get("name"),
        phone: get("phone"),
        email: get("email"),
        subject: get("subject"),
        text: get("text"),
        consent: fields.contains_key("consent"),
        interview: get("interview").trim().parse().ok(),
        notice: None,
    }
}

/// `POST /mailbox/letters` (multipart, with up to three attachments): files the letter, or
/// shows the form again with what is wrong (or, when asked, with similar answered questions).
pub async fn submit(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    mut body: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let (fields, files) = crate::handlers::files::read_form_with_files(&state, &mut body, "files", 3, 6000).await?;
    let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or("");
    let checking = fields.contains_key("check");
    // The rate limit is not spent on asking for similar questions.
    let csrf = if checking {
        check_csrf(&jar, get("csrf"))?
    } else {
        super::forms::guard(&state, &jar, get("csrf"), get("website"), &ip).await?
    };
    let key = fields.get("key").cloned().unwrap_or_default();
    let f = letter_form(&fields);
    let again = |f: LetterForm, errors: Vec<FieldError>, similar: Vec<Similar>, mailboxes: Vec<MailboxView>| FormPage {
        csrf: csrf.clone(),
        key: key.clone(),
        f,
        errors,
        mailboxes,
        similar,
    };
    if checking {
        let similar = letters::similar(&state, &format!("{} {}", f.subject, f.text)).await?;
        let mailboxes = letters::writable_mailboxes(&state).await?;
        return Ok(again(f, Vec::new(), similar, mailboxes).into_response());
    }
    let uploads = files.into_iter().map(|(name, bytes)| letters::LetterUpload { name, bytes }).collect();
    match letters::file(&state, f.clone(), Some(key.clone()), uploads).await {
        Ok((filed, _)) => Ok(FiledPage { filed }.into_response()),
        Err(e @ AppError::Detailed { .. }) => {
            let errors: Vec<FieldError> = e.fields().map(<[FieldError]>::to_vec).unwrap_or_default();
            let mailboxes = letters::writable_mailboxes(&state).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, again(f, errors, Vec::new(), mailboxes)).into_response())
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
#[template(path = "portal/letter_status.html")]
pub struct StatusPage {
    pub csrf: String,
    pub tracking_no: String,
    pub code: String,
    pub view: Option<LetterView>,
    pub not_found: bool,
    pub ratings: &'static [Satisfaction],
    pub message: Option<String>,
}

async fn status_page(
    state: &AppState,
    jar: CookieJar,
    tracking_no: String,
    code: String,
    message: Option<String>,
) -> Result<Response, PageError> {
    let csrf = super::forms::csrf_token(&jar);
    let view = match letters::for_writer(state, &tracking_no, &code).await {
        Ok(v) => Some(v),
        Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let not_found = view.is_none();
    let status = if not_found { StatusCode::NOT_FOUND } else { StatusCode::OK };
    let page =
        StatusPage { csrf: csrf.clone(), tracking_no, code, view, not_found, ratings: Satisfaction::ALL, message };
    Ok((status, jar.add(cookie(state, FORM_COOKIE, csrf)), page).into_response())
}

/// `/mailbox/status`: the writer's letter, by tracking number and query code.
pub async fn status(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Query(q): Query<StatusQuery>,
) -> Result<Response, PageError> {
    let tracking_no = q.tracking_no.unwrap_or_default().trim().to_string();
    let code = q.code.unwrap_or_default().trim().to_string();
    if tracking_no.is_empty() || code.is_empty() {
        let page = StatusPage {
            csrf: String::new(),
            tracking_no,
            code,
            view: None,
            not_found: false,
            ratings: Satisfaction::ALL,
            message: None,
        };
        return Ok(page.into_response());
    }
    if !state.allow(crate::Limit::Status, &ip).await {
        return Err(AppError::TooManyRequests.into());
    }
    status_page(&state, jar, tracking_no, code, None).await
}

#[derive(Deserialize)]
pub struct RateForm {
    #[serde(default)]
    csrf: String,
    tracking_no: String,
    code: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    note: String,
}

/// `POST /mailbox/rating`: the writer rates the reply, once.
pub async fn rate(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Form(f): Form<RateForm>,
) -> Result<Response, PageError> {
    check_csrf(&jar, &f.csrf)?;
    if !state.allow(crate::Limit::Status, &ip).await {
        return Err(AppError::TooManyRequests.into());
    }
    let message = match Satisfaction::parse(&f.rating) {
        None => "请选择满意程度".to_string(),
        Some(rating) => match letters::rate(&state, &f.tracking_no, &f.code, rating, &f.note).await {
            Ok(_) => "感谢您的评价。".to_string(),
            Err(e @ (AppError::Conflict { .. } | AppError::NotFound(_))) => e.to_string(),
            Err(e) => return Err(e.into()),
        },
    };
    status_page(&state, jar, f.tracking_no.trim().to_string(), f.code.trim().to_string(), Some(message)).await
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/letter_public.html")]
pub struct PublicPage {
    pub l: PublicLetter,
}

/// `/mailbox/letters/{id}`: one public letter and its reply.
pub async fn public_letter(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, PageError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound("未找到来信".into()))?;
    Ok(PublicPage { l: letters::public_letter_by_id(&state, id).await? }.into_response())
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/mailbox_stats.html")]
pub struct StatsPage {
    pub year: i32,
    pub years: Vec<i32>,
    pub stats: Vec<MailboxStats>,
}

/// `/mailbox/statistics`: each mailbox's figures for a year, by month.
pub async fn statistics(State(state): State<AppState>, Query(q): Query<YearQuery>) -> Result<Response, PageError> {
    let this_year = chrono::Datelike::year(&state.today());
    let year =
        q.year.and_then(|y| y.trim().parse().ok()).filter(|y| (2000..=this_year).contains(y)).unwrap_or(this_year);
    let stats = letters::statistics(&state, year).await?;
    Ok(StatsPage { year, years: (this_year - 4..=this_year).rev().collect(), stats }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/faq.html")]
pub struct FaqPage {
    pub groups: Vec<(String, Vec<FaqEntry>)>,
}

/// `/mailbox/faq`: the knowledge base by topic.
pub async fn faq(State(state): State<AppState>) -> Result<Response, PageError> {
    Ok(FaqPage { groups: letters::faq(&state).await? }.into_response())
}

/// A percentage for the figures table.
pub fn percent(v: Option<f64>) -> String {
    v.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "—".into())
}

/// An average for the figures table.
pub fn average(v: &Option<f64>) -> String {
    v.map(|d| format!("{d:.1}")).unwrap_or_else(|| "—".into())
}

/// `/mailbox/feed.atom`: the latest replied public letters (masked).
pub async fn feed(State(state): State<AppState>, Query(q): Query<IndexQuery>) -> Result<Response, PageError> {
    let list = letters::public_letters(&state, q.org.as_deref(), 1).await?;
    let at =
        |d: Option<chrono::NaiveDate>| d.and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc()).unwrap_or_default();
    let entries: Vec<super::feeds::Entry> = list
        .letters
        .iter()
        .map(|l| super::feeds::Entry {
            title: l.subject.clone(),
            path: format!("/mailbox/letters/{}", l.id),
            published: at(l.replied_on),
            updated: at(l.replied_on),
            author: l.org_name.clone(),
            summary: l.reply.chars().take(200).collect(),
        })
        .collect();
    Ok(super::feeds::atom_of("来信选登", "/mailbox/feed.atom", &entries))
}
