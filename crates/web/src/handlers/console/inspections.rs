//! Self-inspection in the console: the disclosure office starts the year's inspection for
//! the orgs below it and sees who has submitted; an org answers each entry (keep withheld
//! with the reason, or publish) and submits; the result is a printable page.

use super::CsrfForm;
use crate::app::inspections::{self, Entry, Inspection, Org};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;

pub struct OrgRow {
    pub name: String,
    pub code: String,
    pub depth: usize,
    pub inspection: Option<Inspection>,
    pub open: usize,
    pub total: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/inspections.html")]
pub struct ListPage {
    pub csrf: String,
    pub year: i32,
    pub runs: bool,
    pub rows: Vec<OrgRow>,
    pub message: Option<String>,
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

async fn list_page(state: &AppState, staff: &Staff, year: i32, message: Option<String>) -> Result<ListPage, AppError> {
    let depth = staff.actor.org_path.depth();
    let rows = inspections::overview(state, &staff.actor, year)
        .await?
        .into_iter()
        .map(|o| OrgRow {
            depth: o.org.path.depth().saturating_sub(depth),
            code: o.org.code().to_string(),
            name: o.org.name,
            inspection: o.inspection,
            open: o.open,
            total: o.total,
        })
        .collect();
    Ok(ListPage { csrf: staff.csrf.clone(), year, runs: inspections::runs(&staff.actor), rows, message })
}

/// `/admin/inspections`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> Result<ListPage, PageError> {
    let year = q
        .year
        .and_then(|y| y.trim().parse().ok())
        .filter(|y| (2008..=2100).contains(y))
        .unwrap_or_else(|| state.today().year());
    Ok(list_page(&state, &staff, year, None).await?)
}

#[derive(Deserialize)]
pub struct StartForm {
    csrf: String,
    year: String,
    /// One org, or every org below the office when empty.
    #[serde(default)]
    org: String,
}

/// `POST /admin/inspections`: start for one org or for every org without one.
pub async fn start(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<StartForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let year: i32 = f.year.trim().parse().map_err(|_| AppError::invalid("invalid_year", "年度无效"))?;
    let ctx = audit_ctx(&staff.actor, ip);
    if let Err(e) = inspections::start(&state, &staff.actor, &ctx, year, Some(&f.org)).await {
        let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
        return Ok((status, list_page(&state, &staff, year, Some(e.to_string())).await?).into_response());
    }
    Ok(Redirect::to(&format!("/admin/inspections?year={year}")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "console/inspection.html")]
pub struct DetailPage {
    pub csrf: String,
    pub org: Org,
    pub inspection: Inspection,
    pub entries: Vec<Entry>,
    pub answering: bool,
    pub follow_ups: Vec<inspections::FollowUp>,
    pub today: chrono::NaiveDate,
    pub message: Option<String>,
}

async fn detail_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    message: Option<String>,
) -> Result<DetailPage, AppError> {
    let inspections::Detail { org, inspection, entries, answering, follow_ups } =
        inspections::detail(state, &staff.actor, id).await?;
    Ok(DetailPage {
        csrf: staff.csrf.clone(),
        org,
        inspection,
        entries,
        answering,
        follow_ups,
        today: state.today(),
        message,
    })
}

/// `/admin/inspections/{id}`.
pub async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<DetailPage, PageError> {
    Ok(detail_page(&state, &staff, id, None).await?)
}

#[derive(Deserialize)]
pub struct AnswerForm {
    csrf: String,
    decision: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/inspections/{id}/entries/{entry}`.
pub async fn answer(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path((id, entry)): Path<(i64, i64)>,
    Form(f): Form<AnswerForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    match inspections::answer(&state, &staff.actor, &ctx, entry, &f.decision, &f.reason).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/inspections/{id}#entry-{entry}")).into_response()),
        Err(e @ AppError::Invalid { .. }) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            detail_page(&state, &staff, id, Some(e.to_string())).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/inspections/{id}/submit`.
pub async fn submit(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    match inspections::submit(&state, &staff.actor, &ctx, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/inspections/{id}")).into_response()),
        Err(e @ AppError::Invalid { .. }) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            detail_page(&state, &staff, id, Some(e.to_string())).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
