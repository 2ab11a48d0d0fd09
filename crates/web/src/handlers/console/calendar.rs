//! The working-day calendar in the console: the years loaded, each with its State Council
//! notice, and — for administrators of a top-level org — loading a new year's schedule
//! pasted in the data/holidays format. A year not loaded is computed provisionally (暂定)
//! from the statutory holidays; loading its notice makes its deadlines final and lists the
//! requests whose deadline moved.

use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

pub struct YearRow {
    pub year: i32,
    pub title: String,
    pub notice: String,
    pub days: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/calendar.html")]
pub struct Page {
    pub csrf: String,
    pub years: Vec<YearRow>,
    pub may_load: bool,
    pub message: Option<String>,
    pub text: String,
    /// The year whose notice the dashboards ask for, with its provisional days.
    pub missing: Option<(i32, Vec<(String, String)>)>,
    /// After a load: the requests whose provisional deadline moved.
    pub loaded: Option<(i32, Vec<crate::app::calendar::Recomputed>)>,
}

async fn page(state: &AppState, staff: &Staff, message: Option<String>, text: String) -> Result<Page, AppError> {
    let cal = state.calendar().await?;
    let missing = cal.missing_notice(state.today()).map(|y| {
        let days = gongkai_core::calendar::provisional_year(y)
            .map(|p| p.days.into_iter().map(|(d, _, name)| (d.to_string(), name)).collect())
            .unwrap_or_default();
        (y, days)
    });
    let mut years: Vec<YearRow> = cal
        .years()
        .map(|y| YearRow { year: y.year, title: y.title.clone(), notice: y.notice.clone(), days: y.days.len() })
        .collect();
    years.sort_by_key(|y| std::cmp::Reverse(y.year));
    Ok(Page {
        csrf: staff.csrf.clone(),
        years,
        may_load: crate::app::calendar::may_load(&staff.actor),
        message,
        text,
        missing,
        loaded: None,
    })
}

/// `/admin/calendar`.
pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<Page, PageError> {
    Ok(page(&state, &staff, None, String::new()).await?)
}

#[derive(Deserialize)]
pub struct LoadForm {
    csrf: String,
    #[serde(default)]
    text: String,
}

/// `POST /admin/calendar`: load a year.
pub async fn load(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<LoadForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    match crate::app::calendar::load_year(&state, &staff.actor, &ctx, &f.text).await {
        Ok(loaded) => {
            let mut p = page(&state, &staff, None, String::new()).await?;
            p.loaded = Some((loaded.year.year, loaded.recomputed));
            Ok(p.into_response())
        }
        Err(e @ AppError::Forbidden { .. }) => Err(e.into()),
        Err(e) => {
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page(&state, &staff, Some(e.to_string()), f.text).await?)
                .into_response())
        }
    }
}
