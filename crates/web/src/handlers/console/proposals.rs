//! NPC suggestions and CPPCC proposals in the console: the year's records with their
//! 3-month clock, the office's form to record and assign one, and a record's page with the
//! reply, rating and publication forms this staff member may use.

use crate::app::proposals::{self, ProposalKind, ProposalStep, ProposalView, RecordBody, ReplyCategory, Satisfaction};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::Role;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/proposals.html")]
pub struct ListPage {
    pub csrf: String,
    pub year: i32,
    pub list: Vec<ProposalView>,
    pub records: bool,
    pub orgs: Vec<(String, String)>,
    pub kinds: &'static [ProposalKind],
    pub message: Option<String>,
    /// Showing one lead org's records (a drill-down from supervision).
    pub filtered: bool,
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
    /// One lead org's records (a drill-down from supervision).
    #[serde(default, deserialize_with = "crate::util::lenient_opt_i64")]
    org: Option<i64>,
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    year: i32,
    org: Option<i64>,
    message: Option<String>,
) -> Result<ListPage, AppError> {
    let records = staff.actor.has(Role::Supervisor);
    let orgs = if records {
        crate::app::orgs::overseen(state, &staff.actor)
            .await?
            .into_iter()
            .map(|o| (o.code().to_string(), o.name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(ListPage {
        csrf: staff.csrf.clone(),
        year,
        list: proposals::workspace(state, &staff.actor, year, org).await?,
        filtered: org.is_some(),
        records,
        orgs,
        kinds: ProposalKind::ALL,
        message,
    })
}

/// `/admin/proposals`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> Result<ListPage, PageError> {
    let year = q.year.unwrap_or_else(|| proposals::this_year(&state));
    Ok(list_page(&state, &staff, year, q.org, None).await?)
}

#[derive(Deserialize)]
pub struct RecordForm {
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    session: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    proposer: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    lead_org: String,
    #[serde(default)]
    co_org: String,
    #[serde(default)]
    months: String,
}

/// `POST /admin/proposals`: records and assigns one.
pub async fn record(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<RecordForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let body = RecordBody {
        kind: f.kind,
        number: f.number,
        session: f.session,
        title: f.title,
        proposer: f.proposer,
        summary: f.summary,
        lead_org: f.lead_org,
        co_orgs: vec![f.co_org],
        assigned_on: None,
        months: f.months.trim().parse().ok(),
    };
    match proposals::record(&state, &staff.actor, &audit_ctx(&staff.actor, ip), body).await {
        Ok(p) => Ok(Redirect::to(&format!("/admin/proposals/{}", p.id)).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let year = proposals::this_year(&state);
            Ok((status, list_page(&state, &staff, year, None, Some(e.to_string())).await?).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/proposal.html")]
pub struct OnePage {
    pub csrf: String,
    pub p: ProposalView,
    pub categories: &'static [ReplyCategory],
    pub ratings: &'static [Satisfaction],
    pub message: Option<String>,
}

impl OnePage {
    fn may(&self, what: &str) -> bool {
        self.p.may.contains(&what)
    }
}

async fn one_page(state: &AppState, staff: &Staff, id: i64, message: Option<String>) -> Result<OnePage, AppError> {
    Ok(OnePage {
        csrf: staff.csrf.clone(),
        p: proposals::for_staff(state, &staff.actor, id).await?,
        categories: ReplyCategory::ALL,
        ratings: Satisfaction::ALL,
        message,
    })
}

/// `/admin/proposals/{id}`.
pub async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<OnePage, PageError> {
    Ok(one_page(&state, &staff, id, None).await?)
}

#[derive(Deserialize)]
pub struct StepForm {
    csrf: String,
    step: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    publish: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/proposals/{id}`: reply, rating or publication.
pub async fn step(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let step = match f.step.as_str() {
        "reply" => ReplyCategory::parse(&f.category)
            .map(|category| ProposalStep::Reply { text: f.text.clone(), category })
            .ok_or_else(|| AppError::invalid("invalid_category", "请选择答复类别")),
        "rate" => Satisfaction::parse(&f.rating)
            .map(|rating| ProposalStep::Rate { rating, note: f.note.clone() })
            .ok_or_else(|| AppError::invalid("invalid_rating", "请选择评价")),
        "publish" => Ok(ProposalStep::Publish { publish: f.publish == "yes", reason: f.reason.clone() }),
        _ => Err(AppError::invalid("unknown_step", "未知的操作")),
    };
    let result = match step {
        Ok(step) => proposals::step(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, step).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/proposals/{id}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, one_page(&state, &staff, id, Some(e.to_string())).await?).into_response())
        }
    }
}
