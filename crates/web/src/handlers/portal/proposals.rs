//! The public side of NPC suggestions and CPPCC proposals: a year's published replies with
//! each lead org's summary (办理工作总体情况), and one reply in full.

use crate::app::proposals::{self, OrgSummary, ProposalView};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    year: Option<String>,
    org: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/proposals.html")]
pub struct ListPage {
    pub year: i32,
    pub years: Vec<i32>,
    pub org: Option<String>,
    pub list: Vec<ProposalView>,
    pub summary: Vec<OrgSummary>,
}

/// `/proposals`.
pub async fn list(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Result<Response, PageError> {
    let this_year = proposals::this_year(&state);
    let year =
        q.year.and_then(|y| y.trim().parse().ok()).filter(|y| (2000..=this_year).contains(y)).unwrap_or(this_year);
    let org = q.org.filter(|c| !c.trim().is_empty());
    let list = proposals::public_list(&state, year, org.as_deref()).await?;
    let mut summary = proposals::summary(&state, year).await?;
    if let Some(code) = &org {
        summary.retain(|s| &s.org_code == code);
    }
    Ok(ListPage { year, years: (this_year - 4..=this_year).rev().collect(), org, list, summary }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/proposal.html")]
pub struct OnePage {
    pub p: ProposalView,
}

/// `/proposals/{id}`.
pub async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, PageError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound("未找到建议提案答复".into()))?;
    Ok(OnePage { p: proposals::public_one(&state, id).await? }.into_response())
}
