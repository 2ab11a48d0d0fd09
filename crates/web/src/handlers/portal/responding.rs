//! The public side of interpretation and responding (解读回应): the 政策解读 list by form,
//! the 回应关切 list of published responses, press conferences and briefings with their
//! records and each org's progress, online interviews with the question form while they
//! collect questions (no account; CSRF, honeypot, rate limit) and the answered questions,
//! masked. An org's sub-site shows the same filtered to it (`?org=`).

use super::forms::{OnPageForm, OnPageLetter};
use super::requests::FORM_COOKIE;
use crate::app::concerns::{self, ResponseList};
use crate::app::interpretations::{self, InterpList};
use crate::app::letters::{self, LetterForm};
use crate::app::press::{self, PressView, ProgressRow, QuestionView};
use crate::auth::{ClientIp, cookie};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    org: Option<String>,
    form: Option<String>,
    page: Option<i64>,
}

impl ListQuery {
    fn org(&self) -> Option<&str> {
        self.org.as_deref().filter(|c| !c.trim().is_empty())
    }
}

pub(super) async fn org_of(state: &AppState, code: Option<&str>) -> Result<Option<(String, String)>, AppError> {
    Ok(match code {
        Some(c) => {
            let o = crate::app::orgs::by_code(state, c).await?;
            Some((o.code().to_string(), o.name))
        }
        None => None,
    })
}

/// A link to another page of a list, keeping its filters.
fn href(base: &str, org: &Option<(String, String)>, form: Option<&str>, page: i64) -> String {
    let mut q = vec![format!("page={page}")];
    if let Some((code, _)) = org {
        q.insert(0, format!("org={code}"));
    }
    if let Some(f) = form {
        q.insert(0, format!("form={f}"));
    }
    format!("{base}?{}", q.join("&"))
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/interpretations.html")]
pub struct InterpretationsPage {
    pub org: Option<(String, String)>,
    pub form: String,
    pub forms: Vec<(&'static str, &'static str)>,
    pub list: InterpList,
}

impl InterpretationsPage {
    fn page_href(&self, page: i64) -> String {
        href("/interpretations", &self.org, Some(&self.form).filter(|f| !f.is_empty()).map(String::as_str), page)
    }
}

/// `/interpretations`: public interpretations, newest first, by form and org.
pub async fn interpretations(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Result<Response, PageError> {
    let org = org_of(&state, q.org()).await?;
    let form = q.form.clone().unwrap_or_default();
    let list = interpretations::public_list(
        &state,
        q.org(),
        Some(form.as_str()).filter(|f| !f.is_empty()),
        q.page.unwrap_or(1),
    )
    .await?;
    Ok(InterpretationsPage { org, form, forms: interpretations::forms(), list }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/responses.html")]
pub struct ResponsesPage {
    pub org: Option<(String, String)>,
    pub list: ResponseList,
}

impl ResponsesPage {
    fn page_href(&self, page: i64) -> String {
        href("/responses", &self.org, None, page)
    }
}

/// `/responses`: the published responses to public concerns.
pub async fn responses(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Result<Response, PageError> {
    let org = org_of(&state, q.org()).await?;
    let list = concerns::public_responses(&state, q.org(), q.page.unwrap_or(1)).await?;
    Ok(ResponsesPage { org, list }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/press_list.html")]
pub struct PressListPage {
    pub org: Option<(String, String)>,
    pub interviews: bool,
    pub list: Vec<PressView>,
    pub year: i32,
    pub progress: Vec<ProgressRow>,
    pub targets: press::Targets,
    /// Interviews: the year's plans (of the sub-site's org, or every org's).
    pub plans: Vec<press::PlanView>,
}

impl PressListPage {
    fn base(&self) -> &'static str {
        if self.interviews { "/interviews" } else { "/press" }
    }

    fn title(&self) -> &'static str {
        if self.interviews { "在线访谈" } else { "新闻发布会" }
    }
}

async fn press_list(state: &AppState, q: &ListQuery, interviews: bool) -> Result<Response, PageError> {
    let org = org_of(state, q.org()).await?;
    let list = press::public_list(state, q.org(), interviews).await?;
    let year = press::this_year(state);
    let sub = crate::app::orgs::sub_site(state, q.org()).await?;
    let (progress, plans) = if interviews {
        (Vec::new(), press::plans(state, year, sub.as_ref().map(|o| o.id)).await?)
    } else {
        (press::progress(state, year, sub.as_ref().map(|o| &o.path)).await?, Vec::new())
    };
    let targets = state.store.site_settings().await?.press_targets;
    Ok(PressListPage { org, interviews, list, year, progress, targets, plans }.into_response())
}

/// `/press`: conferences and briefings, with each org's progress this year.
pub async fn press_index(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Result<Response, PageError> {
    press_list(&state, &q, false).await
}

/// `/interviews`: online interviews, the plan and the records.
pub async fn interviews(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Result<Response, PageError> {
    press_list(&state, &q, true).await
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/press_one.html")]
pub struct PressPage {
    pub e: PressView,
    pub questions: Vec<QuestionView>,
    /// The question form.
    pub letter: OnPageLetter,
}

impl PressPage {
    fn base(&self) -> &'static str {
        if self.e.kind == "interview" { "/interviews" } else { "/press" }
    }
}

fn id_of(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound("未找到该发布活动".into()))
}

async fn one(state: &AppState, jar: CookieJar, id: &str, interview: bool) -> Result<Response, PageError> {
    let e = press::public_one(state, id_of(id)?).await?;
    if (e.kind == "interview") != interview {
        return Err(AppError::NotFound("未找到该发布活动".into()).into());
    }
    let questions = if interview { press::questions(state, e.id, false).await? } else { Vec::new() };
    let csrf = super::forms::csrf_token(&jar);
    let page = PressPage { e, questions, letter: OnPageLetter::fresh(csrf.clone(), consenting()) };
    Ok((jar.add(cookie(state, FORM_COOKIE, csrf)), page).into_response())
}

/// `/press/{id}`.
pub async fn press_one(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    one(&state, jar, &id, false).await
}

/// `/interviews/{id}`.
pub async fn interview(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    one(&state, jar, &id, true).await
}

/// A blank question form, agreeing to publication as most askers do.
fn consenting() -> LetterForm {
    LetterForm { consent: true, ..Default::default() }
}

/// `POST /interviews/{id}/questions`: a question from the public before the interview.
pub async fn ask(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(form): Form<OnPageForm>,
) -> Result<Response, PageError> {
    let id = id_of(&id)?;
    let expected = super::forms::guard(&state, &jar, &form.csrf, &form.website, &ip).await?;
    let e = press::public_one(&state, id).await?;
    let mailbox = press::question_mailbox(&state, id).await?;
    let typed = form.f.clone();
    let letter = LetterForm { mailbox, interview: Some(id), ..form.f.clone() };
    let result = letters::file(&state, letter, Some(form.key.clone()), Vec::new()).await;
    let questions = press::questions(&state, id, false).await?;
    let (status, letter) = OnPageLetter::after(expected, form, typed, result, consenting())?;
    Ok((status, PressPage { e, questions, letter }).into_response())
}

/// `/interpretations/feed.atom`: the latest public interpretations (of one org with `?org=`).
pub async fn interpretations_feed(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let list = interpretations::public_list(&state, q.org(), None, 1).await?;
    let entries: Vec<super::feeds::Entry> = list
        .rows
        .iter()
        .map(|r| super::feeds::Entry {
            title: r.title.clone(),
            path: format!("/items/{}", r.id),
            published: r.published_at,
            updated: r.published_at,
            author: r.org_name.clone(),
            summary: r.form_label().to_string(),
        })
        .collect();
    let path = match q.org() {
        Some(c) => format!("/interpretations/feed.atom?org={c}"),
        None => "/interpretations/feed.atom".to_string(),
    };
    Ok(super::feeds::atom_of("政策解读", &path, &entries))
}

/// `/responses/feed.atom`: the latest published responses.
pub async fn responses_feed(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Result<Response, PageError> {
    let list = concerns::public_responses(&state, q.org(), 1).await?;
    let entries: Vec<super::feeds::Entry> = list
        .rows
        .iter()
        .map(|r| {
            let at = crate::app::press::parse_beijing(&r.responded_at).unwrap_or_default();
            super::feeds::Entry {
                title: format!("{}：{}", r.topic, r.title),
                path: r.href.clone(),
                published: at,
                updated: at,
                author: r.org_name.clone(),
                summary: r.kind_label.clone(),
            }
        })
        .collect();
    Ok(super::feeds::atom_of("回应关切", "/responses/feed.atom", &entries))
}

/// `/press/{id}/photos/{photo}`: a photo of a held event (conference, briefing or interview).
pub async fn photo(
    State(state): State<AppState>,
    Path((id, photo)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (Ok(id), Ok(photo)) = (id.parse::<i64>(), photo.parse::<i64>()) else {
        return Err(AppError::NotFound("未找到图片".into()).into());
    };
    let (p, bytes) = press::public_photo(&state, id, photo).await?;
    let name = format!("photo-{}.{}", p.id, p.mime.rsplit('/').next().unwrap_or("img"));
    Ok(crate::handlers::files::serve_bytes(p.id, &name, &p.mime, bytes, "public, max-age=86400"))
}
