//! An org's annual reports on the portal: the list by year and each published report as a
//! page laid out like the template, with Markdown, JSON and XLSX downloads.

use crate::handlers::api::reports::{body_for, org_by_code};
use crate::reports_view::{self, Format, ReportHtml};
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use gongkai_store::Org;
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
    let org = org_by_code(&state, &code).await?;
    let rows = state.store.published_reports(org.id).await?;
    let reports = rows
        .iter()
        .map(|r| Listed {
            year: r.year,
            title: r.frozen().map(|f| f.title).unwrap_or_default(),
            published: reports_view::published_on(Some(r)).map(|d| d.to_string()).unwrap_or_default(),
            query: if r.scope == "tree" { "?scope=tree" } else { "" },
        })
        .collect();
    Ok(ListPage { org, reports })
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
    let org = org_by_code(&state, &code).await?;
    let year: i32 = year.parse().map_err(|_| crate::AppError::NotFound(format!("{year}年度报告")))?;
    let scope = reports_view::scope(q.scope.as_deref())?;
    let format = Format::parse(q.format.as_deref(), Format::Html)?;
    // The portal shows published reports only, whoever asks.
    let body = body_for(&state, None, &org, year, scope).await?;
    if format != Format::Html {
        return Ok(reports_view::respond(format, body)?);
    }
    let v = ReportHtml::new(&org, body.report, body.published_on);
    let scope_qs = if scope == gongkai_core::report::Scope::Tree { "&scope=tree" } else { "" };
    Ok(ReportPage { org, v, scope_qs }.into_response())
}
