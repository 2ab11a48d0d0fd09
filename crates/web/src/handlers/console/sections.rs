//! The org's catalog sections (目录栏目) in the console (administrators): the list with each
//! section's update rule, adding and removing sections, and adding the baseline catalog
//! (主动公开基本目录) of a district or of a town.

use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::catalog::Baseline;
use gongkai_store::{Org, Section, SectionInput};
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
    let org = state.store.org_by_id(staff.actor.org_id).await?.ok_or(AppError::Unauthorized)?;
    staff.actor.may_administer(&org.path)?;
    Ok(Page { csrf: staff.csrf.clone(), sections: state.store.sections(org.id).await?, org, message, typed })
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
    baseline: String,
}

async fn done(
    state: &AppState,
    staff: &Staff,
    r: Result<(), gongkai_store::StoreError>,
    typed: (String, String),
) -> Result<Response, PageError> {
    match r {
        Ok(()) => Ok(Redirect::to("/admin/sections").into_response()),
        Err(gongkai_store::StoreError::Invalid(m)) | Err(gongkai_store::StoreError::Conflict(m)) => {
            let page = page(state, staff, Some(m), typed).await?;
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
    let org_id = staff.actor.org_id;
    let typed = (f.name.clone(), f.update_rule.clone());
    let r = if let Some(kind) = Baseline::parse(&f.baseline) {
        state.store.apply_baseline(&audit_ctx(&staff.actor, ip), Some(&staff.actor), org_id, kind).await.map(|_| ())
    } else {
        let position = state.store.sections(org_id).await?.len() as i64;
        let input =
            SectionInput { parent_id: None, name: f.name, position, update_rule: f.update_rule.trim().to_string() };
        state.store.create_section(&audit_ctx(&staff.actor, ip), Some(&staff.actor), org_id, input).await.map(|_| ())
    };
    done(&state, &staff, r, typed).await
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
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
    let r = state.store.delete_section(&audit_ctx(&staff.actor, ip), Some(&staff.actor), id).await;
    done(&state, &staff, r, Default::default()).await
}
