//! Surveys in the console: the list with the form to create one (questions one to a line),
//! and a survey's live results with the leader's form to publish them with their use.

use crate::app::surveys::{self, SurveyBody, SurveyView};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/surveys.html")]
pub struct ListPage {
    pub csrf: String,
    pub list: Vec<SurveyView>,
    pub may_create: bool,
    pub today: chrono::NaiveDate,
    pub message: Option<String>,
    /// Text messages are configured (a survey may ask for phone confirmation).
    pub sms_on: bool,
    /// Showing one org's surveys (a drill-down from supervision).
    pub filtered: bool,
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    org: Option<i64>,
    message: Option<String>,
) -> Result<ListPage, AppError> {
    Ok(ListPage {
        csrf: staff.csrf.clone(),
        list: surveys::workspace(state, &staff.actor, org).await?,
        filtered: org.is_some(),
        sms_on: state.sms.is_some(),
        may_create: crate::app::consultations::may_open(&staff.actor),
        today: state.today(),
        message,
    })
}

/// `/admin/surveys` (`?org=` shows one org's, as supervision's figures link).
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<super::OrgQuery>,
) -> Result<ListPage, PageError> {
    Ok(list_page(&state, &staff, q.org, None).await?)
}

#[derive(Deserialize)]
pub struct CreateForm {
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    intro: String,
    #[serde(default)]
    questions: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    confirm_phone: Option<String>,
}

/// `POST /admin/surveys`.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<CreateForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let questions = gongkai_core::survey::parse_lines(&f.questions)
            .map_err(|e| AppError::invalid("invalid_questions", e.to_string()))?;
        let closes_on = f.closes_on.trim().parse().map_err(|_| AppError::invalid("invalid_date", "请填写截止日期"))?;
        let body = SurveyBody {
            title: f.title,
            intro: f.intro,
            questions,
            opens_on: f.opens_on.trim().parse().ok(),
            closes_on,
            confirm_phone: f.confirm_phone.is_some(),
        };
        surveys::create(&state, &staff.actor, &audit_ctx(&staff.actor, ip), body).await
    }
    .await;
    match result {
        Ok(s) => Ok(Redirect::to(&format!("/admin/surveys/{}", s.id)).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, list_page(&state, &staff, None, Some(e.to_string())).await?).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/survey.html")]
pub struct OnePage {
    pub csrf: String,
    pub s: SurveyView,
    pub message: Option<String>,
}

/// `/admin/surveys/{id}`.
pub async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<OnePage, PageError> {
    Ok(OnePage { csrf: staff.csrf.clone(), s: surveys::for_staff(&state, &staff.actor, id).await?, message: None })
}

#[derive(Deserialize)]
pub struct PublishForm {
    csrf: String,
    #[serde(default)]
    usage: String,
}

/// `POST /admin/surveys/{id}`: publishes the results with their use.
pub async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<PublishForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    match surveys::publish_results(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, &f.usage).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/surveys/{id}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let s = surveys::for_staff(&state, &staff.actor, id).await?;
            Ok((status, OnePage { csrf: staff.csrf.clone(), s, message: Some(e.to_string()) }).into_response())
        }
    }
}
