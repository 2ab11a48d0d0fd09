//! The public side of surveys: the list, one survey with its form (one answer per browser:
//! a random token in a cookie, its hash the voter; CSRF and the rate limit per address), and
//! the published results as counts and SVG charts readable without JavaScript.

use super::requests::FORM_COOKIE;
use crate::app::accounts::new_secret;
use crate::app::surveys::{self, Answer, PhoneCode, QuestionKind, SurveyView};
use crate::auth::{ClientIp, cookie};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;

/// The browser's survey token.
const VOTER_COOKIE: &str = "gk_voter";

#[derive(Template, WebTemplate)]
#[template(path = "portal/surveys.html")]
pub struct ListPage {
    /// The sub-site's org: (code, name).
    pub org: Option<(String, String)>,
    pub list: Vec<SurveyView>,
}

/// `/surveys` (`?org=` on an org's sub-site).
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<super::consultations::OrgQuery>,
) -> Result<Response, PageError> {
    let org = crate::app::orgs::sub_site(&state, q.org.as_deref()).await?;
    let list = surveys::public_list(&state, org.as_ref()).await?;
    Ok(ListPage { org: org.map(|o| (o.code().to_string(), o.name)), list }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/survey.html")]
pub struct OnePage {
    pub s: SurveyView,
    pub csrf: String,
    pub error: Option<String>,
    /// Errors by field (the phone and the code).
    pub fields: crate::error::FieldErrors,
    pub done: bool,
    /// What the form sent, kept when it is shown again.
    pub given: Vec<(String, String)>,
    /// A code was sent to this number (masked).
    pub code_sent_to: Option<String>,
}

impl OnePage {
    fn new(s: SurveyView, csrf: String) -> Self {
        Self { s, csrf, error: None, fields: Default::default(), done: false, given: Vec::new(), code_sent_to: None }
    }

    /// The value the form sent for `name` (first of a repeated one).
    fn value(&self, name: &str) -> &str {
        self.given.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Question `qi`'s option `v` was chosen.
    fn chose(&self, qi: &usize, v: &str) -> bool {
        let name = format!("q{qi}");
        self.given.iter().any(|(k, x)| *k == name && x == v)
    }

    /// The text typed for question `qi`.
    fn text(&self, qi: &usize) -> &str {
        self.value(&format!("q{qi}"))
    }

    /// Shows the form again after a refusal: the message, or each field's error.
    fn refused(mut self, e: &AppError, given: Vec<(String, String)>) -> Self {
        self.fields = e.field_errors();
        self.error = self.fields.is_empty().then(|| e.to_string());
        self.given = kept(given);
        self
    }
}

fn id_of(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound("未找到调查".into()))
}

fn token(jar: &CookieJar, name: &str, prefix: &str) -> String {
    match jar.get(name) {
        Some(c) if c.value().len() > 20 => c.value().to_string(),
        _ => new_secret(prefix),
    }
}

/// `/surveys/{id}`.
pub async fn one(State(state): State<AppState>, jar: CookieJar, Path(id): Path<String>) -> Result<Response, PageError> {
    let voter = token(&jar, VOTER_COOKIE, "v");
    let csrf = super::forms::csrf_token(&jar);
    let s = surveys::public_one(&state, id_of(&id)?, Some(&surveys::voter_of(&voter))).await?;
    let jar = jar.add(cookie(&state, FORM_COOKIE, csrf.clone())).add(cookie(&state, VOTER_COOKIE, voter));
    Ok((jar, OnePage::new(s, csrf)).into_response())
}

/// The answers of the form: `q{N}` once (single, rating, text) or repeated (multiple).
fn answers_of(s: &SurveyView, pairs: &[(String, String)]) -> Vec<Option<Answer>> {
    s.questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let name = format!("q{i}");
            let values: Vec<&str> =
                pairs.iter().filter(|(k, _)| *k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty()).collect();
            if values.is_empty() {
                return None;
            }
            match q.kind {
                QuestionKind::Text => Some(Answer::Text(values.join("\n"))),
                _ => Some(Answer::Choices(values.iter().map(|v| v.parse().unwrap_or(u32::MAX)).collect())),
            }
        })
        .collect()
}

/// What a form sent that it shows again: not its token, the honeypot or the code.
fn kept(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.into_iter().filter(|(k, _)| !matches!(k.as_str(), "csrf" | "code" | "website")).collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// `POST /surveys/{id}/answers`.
pub async fn answer(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = id_of(&id)?;
    let expected = super::forms::guard(&state, &jar, field(&pairs, "csrf"), field(&pairs, "website"), &ip).await?;
    let Some(voter) = jar.get(VOTER_COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() > 20) else {
        return Err(AppError::invalid("no_voter", "请允许本网站使用 Cookie 后重新打开调查页面").into());
    };
    let voter = surveys::voter_of(&voter);
    let s = surveys::public_one(&state, id, Some(&voter)).await?;
    let phone = PhoneCode { phone: field(&pairs, "phone").into(), code: field(&pairs, "code").into() };
    match surveys::answer(&state, id, &voter, &phone, answers_of(&s, &pairs)).await {
        Ok(()) => {
            // Read again: the answer is counted and the page says so.
            let s = surveys::public_one(&state, id, Some(&voter)).await?;
            Ok(OnePage { done: true, ..OnePage::new(s, expected) }.into_response())
        }
        Err(e) => shown_again(OnePage::new(s, expected), e, pairs),
    }
}

/// The form again after a refusal, with what was chosen and typed kept (or the error page
/// for what a form cannot answer).
fn shown_again(page: OnePage, e: AppError, pairs: Vec<(String, String)>) -> Result<Response, PageError> {
    let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
    Ok((status, page.refused(&e, pairs)).into_response())
}

/// `POST /surveys/{id}/code`: the form's 获取验证码 button — sends a code to the number and
/// shows the form again with everything chosen so far.
pub async fn code(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = id_of(&id)?;
    let expected = super::forms::guard(&state, &jar, field(&pairs, "csrf"), field(&pairs, "website"), &ip).await?;
    let s = surveys::public_one(&state, id, None).await?;
    match surveys::send_code(&state, id, field(&pairs, "phone")).await {
        Ok(masked) => {
            Ok(OnePage { given: kept(pairs), code_sent_to: Some(masked), ..OnePage::new(s, expected) }.into_response())
        }
        Err(e) => shown_again(OnePage::new(s, expected), e, pairs),
    }
}
