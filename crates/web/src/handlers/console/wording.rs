//! 表述检查词表 in the console: the office keeps its site's own wrong forms and its office
//! holders with their titles beside the shipped list; the self-check and the item editor
//! scan with both.

use crate::app::wording;
use crate::auth::{ClientIp, Staff, audit_ctx};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/wording.html")]
pub struct WordingPage {
    pub csrf: String,
    pub p: wording::Page,
    pub message: Option<String>,
    pub saved: bool,
}

async fn page(state: &AppState, staff: &Staff) -> Result<WordingPage, AppError> {
    Ok(WordingPage {
        csrf: staff.csrf.clone(),
        p: wording::page(state, &staff.actor).await?,
        message: None,
        saved: false,
    })
}

#[derive(Deserialize, Default)]
pub struct Shown {
    #[serde(default)]
    saved: Option<String>,
}

/// `/admin/wording`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    axum::extract::Query(q): axum::extract::Query<Shown>,
) -> Result<WordingPage, PageError> {
    let mut p = page(&state, &staff).await?;
    p.saved = q.saved.is_some();
    Ok(p)
}

#[derive(Deserialize)]
pub struct WordingForm {
    csrf: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    version: Option<i64>,
}

/// `POST /admin/wording`.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    axum::Form(f): axum::Form<WordingForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    match wording::save(&state, &staff.actor, &audit_ctx(&staff.actor, ip), &f.text, f.version).await {
        Ok(_) => Ok(Redirect::to("/admin/wording?saved=1").into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let mut p = page(&state, &staff).await?;
            p.p.text = f.text;
            p.message = Some(format!("词表未保存：{e}"));
            Ok((status, p).into_response())
        }
    }
}
