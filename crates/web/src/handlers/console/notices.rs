//! The org's own notice texts: administrators replace the built-in text of any request
//! notice with their own (placeholders filled at printing), or go back to the built-in one.
//! The remedy paragraph of a reply cannot be removed.

use crate::app::orgs::Org;
use crate::app::requests::notices;
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::notice::PLACEHOLDERS;
use serde::Deserialize;

pub struct KindRow {
    pub code: &'static str,
    pub title: &'static str,
    pub body: String,
    pub inherited: bool,
    /// Why the text typed for this kind was refused (shown next to it; the text is kept).
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/notice_templates.html")]
pub struct Page {
    pub csrf: String,
    pub org: Org,
    pub kinds: Vec<KindRow>,
    pub placeholders: &'static [(&'static str, &'static str)],
    pub message: Option<String>,
}

/// The page; after a refusal, the kind's text as typed with the reason next to it.
async fn page(state: &AppState, staff: &Staff, refused: Option<(&str, &str, String)>) -> Result<Page, AppError> {
    let (org, texts) = notices::templates(state, &staff.actor).await?;
    let mut kinds = Vec::new();
    for t in texts {
        let k = t.kind;
        let (body, inherited) = (t.body, t.inherited);
        let mut row = KindRow { code: k.as_str(), title: k.title(), body, inherited, error: None };
        if let Some((kind, typed, why)) = &refused
            && *kind == k.as_str()
        {
            row.body = typed.to_string();
            row.inherited = false;
            row.error = Some(why.clone());
        }
        kinds.push(row);
    }
    let message = refused.map(|(_, _, why)| why);
    Ok(Page { csrf: staff.csrf.clone(), org, kinds, placeholders: PLACEHOLDERS, message })
}

/// `/admin/notice-templates`.
pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<Page, PageError> {
    Ok(page(&state, &staff, None).await?)
}

#[derive(Deserialize)]
pub struct SaveForm {
    csrf: String,
    kind: String,
    #[serde(default)]
    body: String,
}

/// `POST /admin/notice-templates`: save one kind's text (empty: back to the built-in).
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<SaveForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    match notices::save_template(&state, &staff.actor, &ctx, &f.kind, &f.body).await {
        Ok(()) => Ok(Redirect::to("/admin/notice-templates").into_response()),
        Err(e @ AppError::Invalid { .. }) => {
            let refused = Some((f.kind.as_str(), f.body.as_str(), e.to_string()));
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page(&state, &staff, refused).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
