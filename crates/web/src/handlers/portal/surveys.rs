//! The public side of surveys: the list, one survey with its form (one answer per browser:
//! a random token in a cookie, its hash the voter; CSRF and the rate limit per address), and
//! the published results as counts and SVG charts readable without JavaScript.

use super::requests::FORM_COOKIE;
use crate::app::accounts::new_secret;
use crate::app::surveys::{self, Answer, QuestionKind, SurveyView};
use crate::auth::{ClientIp, cookie};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
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
    pub done: bool,
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
    Ok((jar, OnePage { s, csrf, error: None, done: false }).into_response())
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

/// `POST /surveys/{id}/answers`.
pub async fn answer(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = id_of(&id)?;
    let given = pairs.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
    let expected = super::forms::guard(&state, &jar, given, "", &ip)?;
    let Some(voter) = jar.get(VOTER_COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() > 20) else {
        return Err(AppError::invalid("no_voter", "请允许本网站使用 Cookie 后重新打开调查页面").into());
    };
    let voter = surveys::voter_of(&voter);
    let s = surveys::public_one(&state, id, Some(&voter)).await?;
    let result = surveys::answer(&state, id, &voter, answers_of(&s, &pairs)).await;
    let s = surveys::public_one(&state, id, Some(&voter)).await?;
    match result {
        Ok(()) => Ok(OnePage { s, csrf: expected, error: None, done: true }.into_response()),
        Err(e) if e.form_refusal_status().is_some() => {
            let status = e.form_refusal_status().unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            Ok((status, OnePage { s, csrf: expected, error: Some(e.to_string()), done: false }).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
