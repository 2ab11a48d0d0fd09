//! The org's catalog sections (目录栏目) in the console (administrators): the list with each
//! section's update rule, adding and removing sections, and adding the baseline catalog
//! (主动公开基本目录) of a district or of a town.

use super::CsrfForm;
use crate::app::catalog::{self, Org, Section, SectionInput};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::catalog::Baseline;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/sections.html")]
pub struct Page {
    pub csrf: String,
    pub org: Org,
    pub sections: Vec<Section>,
    pub message: Option<String>,
    /// The new section's name and rule as typed (kept after a refusal).
    pub typed: (String, String),
}

async fn page(
    state: &AppState,
    staff: &Staff,
    message: Option<String>,
    typed: (String, String),
) -> Result<Page, AppError> {
    let (org, sections) = catalog::own_sections(state, &staff.actor).await?;
    Ok(Page { csrf: staff.csrf.clone(), sections, org, message, typed })
}

/// `/admin/sections`.
pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<Page, PageError> {
    Ok(page(&state, &staff, None, Default::default()).await?)
}

#[derive(Deserialize)]
pub struct SectionForm {
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    update_rule: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    baseline: String,
}

async fn done(
    state: &AppState,
    staff: &Staff,
    r: Result<(), AppError>,
    typed: (String, String),
) -> Result<Response, PageError> {
    match r {
        Ok(()) => Ok(Redirect::to("/admin/sections").into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => {
            let page = page(state, staff, Some(e.to_string()), typed).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/sections`: add one section, or the baseline catalog.
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<SectionForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let typed = (f.name.clone(), f.update_rule.clone());
    let org = crate::app::orgs::own(&state, &staff.actor).await?;
    let ctx = audit_ctx(&staff.actor, ip);
    let r = if let Some(kind) = Baseline::parse(&f.baseline) {
        catalog::apply_baseline(&state, &staff.actor, &ctx, &org, kind).await.map(|_| ())
    } else {
        let input = SectionInput {
            parent_id: None,
            name: f.name,
            position: 0,
            update_rule: f.update_rule.trim().to_string(),
            basis: f.basis,
            list_kinds: Vec::new(),
        };
        catalog::add(&state, &staff.actor, &ctx, &org, input, true).await.map(|_| ())
    };
    done(&state, &staff, r, typed).await
}

/// `POST /admin/sections/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let r = catalog::remove(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id).await;
    done(&state, &staff, r, Default::default()).await
}
