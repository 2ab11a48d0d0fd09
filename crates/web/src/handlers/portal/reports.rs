//! An org's annual reports on the portal: the list by year and each published report as a
//! page laid out like the template, with Markdown, JSON and XLSX downloads.

use crate::app::orgs::{self, Org};
use crate::app::reports::{self, Format, ReportHtml, Scope, Which};
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

pub struct Listed {
    pub year: i64,
    pub title: String,
    pub published: String,
    pub query: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/reports.html")]
pub struct ListPage {
    pub org: Org,
    pub reports: Vec<Listed>,
}

/// `/orgs/{code}/reports`.
pub async fn list(State(state): State<AppState>, Path(code): Path<String>) -> Result<ListPage, PageError> {
    let org = orgs::by_code(&state, &code).await?;
    let reports = reports::published(&state, &org)
        .await?
        .into_iter()
        .map(|r| Listed {
            query: r.scope_query(),
            year: r.year,
            title: r.title,
            published: r.published_on.map(|d| d.to_string()).unwrap_or_default(),
        })
        .collect();
    Ok(ListPage { org, reports })
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/reports_all.html")]
pub struct AllPage {
    pub years: Vec<reports::YearOfReports>,
}

/// `/reports`: every org's published annual reports, by year.
pub async fn all(State(state): State<AppState>) -> Result<AllPage, PageError> {
    Ok(AllPage { years: reports::published_by_year(&state).await? })
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/report.html")]
pub struct ReportPage {
    pub org: Org,
    pub v: ReportHtml,
    pub scope_qs: &'static str,
}

#[derive(Deserialize)]
pub struct ReportQuery {
    scope: Option<String>,
    format: Option<String>,
}

/// `/orgs/{code}/reports/{year}`: the published report (HTML, or `?format=md|json|xlsx`).
pub async fn show(
    State(state): State<AppState>,
    Path((code, year)): Path<(String, String)>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let org = orgs::by_code(&state, &code).await?;
    let year: i32 = year.parse().map_err(|_| crate::AppError::NotFound(format!("{year}年度报告")))?;
    let scope = reports::scope(q.scope.as_deref())?;
    let format = Format::parse(q.format.as_deref(), Format::Html)?;
    // The portal shows published reports only, whoever asks.
    let body = reports::body_for(&state, None, Which { org: &org, year, scope }).await?;
    if format != Format::Html {
        return Ok(reports::respond(format, body)?);
    }
    let v = ReportHtml::new(&org, body.report, body.published_on);
    let scope_qs = if scope == Scope::Tree { "&scope=tree" } else { "" };
    Ok(ReportPage { org, v, scope_qs }.into_response())
}
