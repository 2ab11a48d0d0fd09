//! Self-inspection in the console: the disclosure office starts the year's inspection for
//! the orgs below it and sees who has submitted; an org answers each entry (keep withheld
//! with the reason, or publish) and submits; the result is a printable page.

use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gongkai_core::Role;
use gongkai_store::Org;
use gongkai_store::inspections::{Entry, Inspection};
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
    let actor = &staff.actor;
    let runs = actor.has(Role::Supervisor) || actor.has(Role::Admin);
    let orgs: Vec<Org> = state
        .store
        .orgs()
        .await?
        .into_iter()
        .filter(|o| if runs { o.path.is_within(&actor.org_path) } else { o.id == actor.org_id })
        .collect();
    let inspections = state.store.inspections_of_year(year).await?;
    let mut rows = Vec::new();
    for o in orgs {
        let inspection = inspections.iter().find(|i| i.org_id == o.id).cloned();
        let (open, total) = match &inspection {
            Some(i) => {
                let e = state.store.inspection_entries(i.id).await?;
                (e.iter().filter(|e| e.decision.is_none()).count(), e.len())
            }
            None => (0, 0),
        };
        rows.push(OrgRow {
            depth: o.path.depth().saturating_sub(actor.org_path.depth()),
            code: o.code().to_string(),
            name: o.name,
            inspection,
            open,
            total,
        });
    }
    Ok(ListPage { csrf: staff.csrf.clone(), year, runs, rows, message })
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
    let today = state.today();
    let targets: Vec<Org> = if f.org.trim().is_empty() {
        let started: Vec<i64> = state.store.inspections_of_year(year).await?.iter().map(|i| i.org_id).collect();
        state
            .store
            .orgs()
            .await?
            .into_iter()
            .filter(|o| o.path.is_within(&staff.actor.org_path) && !started.contains(&o.id))
            .collect()
    } else {
        vec![crate::app::orgs::by_code(&state, f.org.trim()).await?]
    };
    for org in &targets {
        if let Err(e) = state.store.start_inspection(&ctx, Some(&staff.actor), org, year, today).await {
            let e: AppError = e.into();
            return Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                list_page(&state, &staff, year, Some(e.to_string())).await?,
            )
                .into_response());
        }
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
    pub message: Option<String>,
}

impl DetailPage {
    pub fn label(&self, decision: &str) -> &'static str {
        match decision {
            "keep" => "继续不予公开",
            "publish" => "予以公开",
            _ => "未提出",
        }
    }
}

async fn detail_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    message: Option<String>,
) -> Result<DetailPage, AppError> {
    let inspection = state.store.inspection(id).await?.ok_or_else(|| AppError::NotFound(format!("自查 {id}")))?;
    let org = state.store.org_by_id(inspection.org_id).await?.ok_or_else(|| AppError::NotFound("单位".into()))?;
    staff.actor.may_supervise(&org.path)?;
    let answering = staff.actor.org_id == org.id && inspection.submitted_at.is_none();
    let entries = state.store.inspection_entries(id).await?;
    Ok(DetailPage { csrf: staff.csrf.clone(), org, inspection, entries, answering, message })
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
    match state.store.answer_entry(&ctx, &staff.actor, entry, &f.decision, &f.reason).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/inspections/{id}#entry-{entry}")).into_response()),
        Err(gongkai_store::StoreError::Invalid(m)) => {
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, detail_page(&state, &staff, id, Some(m)).await?)
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
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
    match state.store.submit_inspection(&ctx, &staff.actor, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/inspections/{id}")).into_response()),
        Err(gongkai_store::StoreError::Invalid(m)) => {
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, detail_page(&state, &staff, id, Some(m)).await?)
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
