//! The supervision page of the console: every org below the staff member's, ranked, with
//! its figures for the period, this year's annual-report deadlines, and a drill-down to the
//! sections, items and requests behind each number.

use crate::auth::Staff;
use crate::handlers::console::reports::{StatusRow, statuses};
use crate::supervision_view;
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use gongkai_core::supervision::OrgFigures;
use gongkai_store::Org;
use gongkai_store::supervision::OrgDetail;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/supervision.html")]
pub struct RankedPage {
    pub csrf: String,
    pub root: Org,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<OrgFigures>,
    pub report_year: i32,
    pub reports: Vec<StatusRow>,
}

impl RankedPage {
    pub fn pct(&self, r: &OrgFigures) -> String {
        if r.requests_replied == 0 { "—".into() } else { format!("{:.0}%", r.on_time_rate() * 100.0) }
    }

    pub fn avg(&self, r: &OrgFigures) -> String {
        r.avg_workdays.map(|d| format!("{d:.1}")).unwrap_or_else(|| "—".into())
    }
}

/// `/admin/supervision`.
pub async fn ranked(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let root = state.store.org_by_id(staff.actor.org_id).await?.ok_or(AppError::Unauthorized)?;
    staff.actor.may_supervise(&root.path)?;
    let (from, to, today) = supervision_view::period(state.today(), q.from.as_deref(), q.to.as_deref())?;
    let cal = state.calendar().await?;
    let rows = state.store.supervision(&root, &cal, from, to, today).await?;
    if q.format.as_deref() == Some("csv") {
        return Ok(supervision_view::csv(&rows, from, to)?);
    }
    let report_year = today.year() - 1;
    let reports = statuses(&state, &staff, report_year).await?;
    Ok(RankedPage { csrf: staff.csrf.clone(), root, from, to, rows, report_year, reports }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "console/supervision_org.html")]
pub struct DetailPage {
    pub csrf: String,
    pub org: Org,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub d: OrgDetail,
}

impl DetailPage {
    pub fn pct(&self) -> String {
        let r = &self.d.figures;
        if r.requests_replied == 0 { "—".into() } else { format!("{:.0}%", r.on_time_rate() * 100.0) }
    }

    pub fn avg(&self) -> String {
        self.d.figures.avg_workdays.map(|d| format!("{d:.1}")).unwrap_or_else(|| "—".into())
    }

    pub fn last(&self, d: &Option<NaiveDate>) -> String {
        d.map(|d| d.to_string()).unwrap_or_else(|| "从未".into())
    }
}

/// `/admin/supervision/{code}`.
pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<DetailPage, PageError> {
    let org = crate::app::orgs::by_code(&state, &code).await?;
    staff.actor.may_supervise(&org.path)?;
    let (from, to, today) = supervision_view::period(state.today(), q.from.as_deref(), q.to.as_deref())?;
    let cal = state.calendar().await?;
    let d = state.store.org_detail(&org, &cal, from, to, today).await?;
    Ok(DetailPage { csrf: staff.csrf.clone(), org, from, to, d })
}
