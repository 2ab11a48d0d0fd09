//! The supervision page of the console: every org below the staff member's, ranked, with
//! its figures for the period, this year's annual-report deadlines, and a drill-down to the
//! sections, items and requests behind each number.

use crate::app::supervision::{self, Asked, Org, OrgDetail};
use crate::auth::Staff;
use crate::handlers::console::reports::{StatusRow, statuses};
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use gongkai_core::supervision::OrgFigures;
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
    pub letters: Vec<crate::app::letters::OrgLetters>,
    pub participation: Vec<supervision::Participation>,
    pub responding: Vec<supervision::Responding>,
    /// Concerns answered on time by severity, over every org supervised.
    pub concern_figures: crate::app::concerns::ConcernFigures,
    pub year: i32,
}

impl RankedPage {
    pub fn letter_pct(&self, l: &crate::app::letters::OrgLetters) -> String {
        crate::handlers::portal::mailbox::percent(l.figures.on_time_rate())
    }

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
    let asked = Asked { from: q.from.as_deref(), to: q.to.as_deref() };
    if q.format.as_deref() == Some("csv") {
        let (_, from, to, rows) = supervision::ranked(&state, &staff.actor, None, asked).await?;
        return Ok(supervision::csv(&rows, from, to)?);
    }
    let report_year = state.today().year() - 1;
    let year = state.today().year();
    // The page's parts read apart from one another, each on its own connection: the page
    // takes as long as its longest part, not their sum.
    let ((root, from, to, rows), reports, letters, participation, responding, concern_figures) = tokio::try_join!(
        supervision::ranked(&state, &staff.actor, None, asked),
        statuses(&state, &staff, report_year),
        crate::app::letters::supervision(&state, &staff.actor),
        supervision::participation(&state, &staff.actor),
        supervision::responding(&state, &staff.actor, year),
        crate::app::concerns::figures(&state, year, &staff.actor.org_path),
    )?;
    Ok(RankedPage {
        csrf: staff.csrf.clone(),
        root,
        from,
        to,
        rows,
        report_year,
        reports,
        letters,
        participation,
        responding,
        concern_figures,
        year,
    }
    .into_response())
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
    let asked = Asked { from: q.from.as_deref(), to: q.to.as_deref() };
    let (org, from, to, d) = supervision::detail(&state, &staff.actor, &code, asked).await?;
    Ok(DetailPage { csrf: staff.csrf.clone(), org, from, to, d })
}

#[derive(Template, WebTemplate)]
#[template(path = "console/supervision_interpretations.html")]
pub struct CoveragePage {
    pub csrf: String,
    pub year: i32,
    /// The org asked for (`?org=`).
    pub org: Option<i64>,
    pub org_name: Option<String>,
    pub rows: Vec<crate::app::interpretations::CoverageRow>,
    pub orgs: std::collections::HashMap<i64, String>,
    pub page: u32,
    pub more: bool,
}

impl CoveragePage {
    fn org(&self, id: &i64) -> &str {
        self.orgs.get(id).map(String::as_str).unwrap_or("")
    }

    /// The address of another page of the same list.
    fn page_href(&self, page: u32) -> String {
        let org = self.org.map(|o| format!("&org={o}")).unwrap_or_default();
        format!("/admin/supervision/interpretations?year={}{org}&page={page}", self.year)
    }
}

#[derive(Deserialize)]
pub struct CoverageQuery {
    year: Option<i32>,
    org: Option<i64>,
    page: Option<u32>,
}

/// `/admin/supervision/interpretations`: the policies behind the coverage figures, of one
/// responsible org (`?org=`) or every org the staff member supervises.
pub async fn interpretations(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<CoverageQuery>,
) -> Result<CoveragePage, PageError> {
    let year = q.year.unwrap_or_else(|| state.today().year());
    let crate::app::interpretations::Supervised { org_name, rows, orgs, page, more } =
        crate::app::interpretations::supervised_coverage(&state, &staff.actor, year, q.org, q.page.unwrap_or(1))
            .await?;
    Ok(CoveragePage { csrf: staff.csrf.clone(), year, org: q.org, org_name, rows, orgs, page, more })
}
