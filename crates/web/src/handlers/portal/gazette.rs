//! The public gazette: issues by year, an issue's table of contents by section with its
//! official PDF and a print view, and search within the gazette.

use crate::app::gazette::{self, ArticleView, IssuePage, IssueView};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "portal/gazette.html")]
pub struct YearPage {
    pub years: Vec<i64>,
    pub year: i64,
    pub issues: Vec<IssueView>,
    pub q: String,
    pub hits: Vec<(IssueView, ArticleView)>,
}

#[derive(Deserialize)]
pub struct YearParams {
    year: Option<String>,
    #[serde(default)]
    q: String,
}

/// `/gazette?year=&q=`.
pub async fn index(State(state): State<AppState>, Query(p): Query<YearParams>) -> Result<Response, PageError> {
    let year = p.year.as_deref().and_then(|y| y.trim().parse::<i32>().ok()).filter(|y| (1949..=2200).contains(y));
    let (years, year, issues) = gazette::public_year(&state, year).await?;
    let q: String = p.q.trim().chars().take(50).collect();
    let hits = gazette::search(&state, &q).await?;
    Ok(YearPage { years, year, issues, q, hits }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/gazette_issue.html")]
pub struct IssuePageT {
    pub p: IssuePage,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/gazette_print.html")]
pub struct PrintPage {
    pub p: IssuePage,
}

fn id_of(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound("未找到该期公报".into()))
}

/// `/gazette/{id}`.
pub async fn issue(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, PageError> {
    Ok(IssuePageT { p: gazette::public_issue(&state, id_of(&id)?).await? }.into_response())
}

/// `/gazette/{id}/print`: the table of contents without the site's frame.
pub async fn print(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, PageError> {
    Ok(PrintPage { p: gazette::public_issue(&state, id_of(&id)?).await? }.into_response())
}
