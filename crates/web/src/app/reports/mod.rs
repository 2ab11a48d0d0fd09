//! Annual reports (年度报告), the use cases: the report a caller may see (published for
//! anyone, the live draft for the org's staff and supervisors), saving the office's part,
//! approving, publishing, the published list and the statuses of the orgs one oversees. The
//! lifecycle itself is `core::report::ReportStep`.

pub mod view;

pub use gongkai_core::report::{ReportState, Scope};
pub use gongkai_store::ReportDraft;
pub use view::*;

use crate::{AppError, AppState};
use chrono::NaiveDate;
use gongkai_core::report;
use gongkai_core::{Actor, OrgPath};
use gongkai_store::{AuditCtx, Org};

/// Which report: an org's, for a year, in a scope.
#[derive(Debug, Clone, Copy)]
pub struct Which<'a> {
    pub org: &'a Org,
    pub year: i32,
    pub scope: Scope,
}

fn may_see_draft(actor: Option<&Actor>, path: &OrgPath) -> bool {
    actor.is_some_and(|a| a.may_supervise(path).is_ok())
}

/// May this staff member write the office's part of the org's report?
pub fn may_draft(actor: &Actor, org: &Org) -> bool {
    gongkai_store::reports::may_draft(actor, &org.path).is_ok()
}

/// May this staff member approve and publish the org's report?
pub fn may_approve(actor: &Actor, org: &Org) -> bool {
    gongkai_store::reports::may_approve(actor, &org.path).is_ok()
}

/// The report body for a caller: published reports for anyone, drafts for staff.
pub async fn body_for(state: &AppState, actor: Option<&Actor>, w: Which<'_>) -> Result<ReportBody, AppError> {
    let (org, year) = (w.org, w.year);
    let (report, row) = state.store.annual_report(org, year, w.scope).await?;
    let st = row.as_ref().map(|r| r.state);
    if st != Some(ReportState::Published) && !may_see_draft(actor, &org.path) {
        return Err(AppError::NotFound(format!("{}{year}年度报告（尚未发布）", org.name)));
    }
    let problems = if st.is_some_and(|s| s != ReportState::Draft) {
        Vec::new()
    } else {
        state.store.report_problems(&report, org.id).await?
    };
    Ok(ReportBody {
        state: st.map(ReportState::as_str).unwrap_or("none"),
        published_on: view::published_on(row.as_ref()),
        due_on: report::due_on(org.kind, year),
        problems,
        report,
    })
}

/// Saves the office's texts and figures; answers the report as the saver sees it.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    w: Which<'_>,
    draft: ReportDraft,
) -> Result<ReportBody, AppError> {
    state.store.save_report(ctx, Some(actor), w.org, w.year, w.scope, draft).await?;
    body_for(state, Some(actor), w).await
}

/// Approves (refused with the problems when the tables do not tie out).
pub async fn approve(state: &AppState, actor: &Actor, ctx: &AuditCtx, w: Which<'_>) -> Result<ReportBody, AppError> {
    state.store.approve_report(ctx, Some(actor), w.org, w.year, w.scope).await?;
    body_for(state, Some(actor), w).await
}

/// Publishes the approved snapshot.
pub async fn publish(state: &AppState, actor: &Actor, ctx: &AuditCtx, w: Which<'_>) -> Result<ReportBody, AppError> {
    state.store.publish_report(ctx, Some(actor), w.org, w.year, w.scope).await?;
    body_for(state, Some(actor), w).await
}

/// One published report in an org's list.
pub struct Published {
    pub year: i64,
    pub scope: Scope,
    pub title: String,
    pub published_on: Option<NaiveDate>,
}

impl Published {
    /// The published report of a stored row.
    fn of(r: &gongkai_store::reports::ReportRow) -> Self {
        Published {
            year: r.year,
            scope: r.scope,
            title: r.frozen().map(|f| f.title).unwrap_or_default(),
            published_on: view::published_on(Some(r)),
        }
    }

    /// The query string that selects its scope on the report's URL.
    pub fn scope_query(&self) -> &'static str {
        if self.scope == Scope::Tree { "?scope=tree" } else { "" }
    }
}

/// An org's published reports, newest year first.
pub async fn published(state: &AppState, org: &Org) -> Result<Vec<Published>, AppError> {
    Ok(state.store.published_reports(org.id).await?.iter().map(Published::of).collect())
}

/// One year of every org's published reports: (the org, its report), orgs in tree order.
pub struct YearOfReports {
    pub year: i64,
    pub reports: Vec<(Org, Published)>,
}

/// Every org's published reports by year, newest first: what the portal's 年报 column lists.
pub async fn published_by_year(state: &AppState) -> Result<Vec<YearOfReports>, AppError> {
    let orgs = crate::app::accounts::orgs_kept(state).await?;
    // Each org's place in the tree order, found once.
    let place: std::collections::HashMap<i64, usize> = orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    let mut years: Vec<YearOfReports> = Vec::new();
    for r in state.store.all_published_reports().await? {
        let Some(org) = place.get(&r.org_id).map(|&i| &orgs[i]) else { continue };
        let p = Published::of(&r);
        match years.last_mut() {
            Some(y) if y.year == r.year => y.reports.push((org.clone(), p)),
            _ => years.push(YearOfReports { year: r.year, reports: vec![(org.clone(), p)] }),
        }
    }
    // Within a year, in the order the orgs are listed (parents first).
    for y in &mut years {
        y.reports.sort_by_key(|(o, _)| place.get(&o.id).copied().unwrap_or(usize::MAX));
    }
    Ok(years)
}

/// An org's own-scope report status for a year, as the console lists it.
pub struct Status {
    pub org: Org,
    /// `None`: not started.
    pub state: Option<ReportState>,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

/// The report statuses of the orgs a staff member oversees, for a year.
pub async fn statuses(state: &AppState, actor: &Actor, year: i32) -> Result<Vec<Status>, AppError> {
    let orgs = super::orgs::overseen(state, actor).await?;
    let rows = state.store.report_rows_for_year(year).await?;
    let today = state.today();
    Ok(orgs
        .into_iter()
        .map(|org| {
            let st = rows.iter().find(|r| r.org_id == org.id && r.scope == Scope::Org).map(|r| r.state);
            let due_on = report::due_on(org.kind, year);
            Status { overdue: st != Some(ReportState::Published) && today > due_on, state: st, due_on, org }
        })
        .collect())
}
