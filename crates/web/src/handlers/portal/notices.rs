//! 公示 on the portal: the list of 公示 running and ended (of one org with `?org=`), a
//! 公示's page with its period, status and result, and the objection form while the period
//! runs (no account; CSRF, honeypot and the filing rate limit, as for every public form).

use super::forms::{OnPageForm, OnPageLetter};
use super::requests::FORM_COOKIE;
use crate::app::letters::LetterForm;
use crate::app::public_notices::{self, FILTERS, NoticeList, NoticeView};
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
pub struct NoticeQuery {
    org: Option<String>,
    status: Option<String>,
    page: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/notices.html")]
pub struct NoticesPage {
    pub org: Option<(String, String)>,
    pub status: String,
    pub filters: [(&'static str, &'static str); 3],
    pub list: NoticeList,
}

impl NoticesPage {
    fn page_href(&self, page: i64) -> String {
        let mut q = vec![format!("status={}", self.status), format!("page={page}")];
        if let Some((code, _)) = &self.org {
            q.insert(0, format!("org={code}"));
        }
        format!("/notices?{}", q.join("&"))
    }
}

/// `/notices`: 公示 running (default), ended or all.
pub async fn list(State(state): State<AppState>, Query(q): Query<NoticeQuery>) -> Result<Response, PageError> {
    let code = q.org.as_deref().filter(|c| !c.trim().is_empty());
    let org = super::responding::org_of(&state, code).await?;
    let status = match q.status.as_deref() {
        Some(s @ ("ended" | "all")) => s.to_string(),
        _ => "open".to_string(),
    };
    let list = public_notices::public_list(&state, code, &status, q.page.unwrap_or(1)).await?;
    Ok(NoticesPage { org, status, filters: FILTERS, list }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/notice.html")]
pub struct NoticePage {
    pub n: NoticeView,
    /// The objection form.
    pub letter: OnPageLetter,
}

fn id_of(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound("公示".into()))
}

/// `/notices/{id}`: a 公示 and, while it runs, the objection form.
pub async fn one(State(state): State<AppState>, jar: CookieJar, Path(id): Path<String>) -> Result<Response, PageError> {
    let n = public_notices::public_one(&state, id_of(&id)?).await?;
    let csrf = super::forms::csrf_token(&jar);
    let page = NoticePage { n, letter: OnPageLetter::fresh(csrf.clone(), LetterForm::default()) };
    Ok((jar.add(cookie(&state, FORM_COOKIE, csrf)), page).into_response())
}

/// `POST /notices/{id}/objections`: an objection within the period.
pub async fn object(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(form): Form<OnPageForm>,
) -> Result<Response, PageError> {
    let id = id_of(&id)?;
    let expected = super::forms::guard(&state, &jar, &form.csrf, &form.website, &ip).await?;
    let typed = form.f.clone();
    let result = public_notices::object(&state, id, form.f.clone(), Some(form.key.clone())).await;
    let (status, letter) = OnPageLetter::after(expected, form, typed, result, LetterForm::default())?;
    let n = public_notices::public_one(&state, id).await?;
    Ok((status, NoticePage { n, letter }).into_response())
}
