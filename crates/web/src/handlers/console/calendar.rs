//! The working-day calendar in the console: the years loaded, each with its State Council
//! notice, and — for administrators of a top-level org — loading a new year's schedule
//! pasted in the data/holidays format. A year not loaded is refused by every deadline
//! computation, so this is how a new year is made usable.

use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::Role;
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
}

fn may_load(staff: &Staff) -> bool {
    staff.actor.has(Role::Admin) && staff.actor.org_path.depth() == 1
}

async fn page(state: &AppState, staff: &Staff, message: Option<String>, text: String) -> Result<Page, AppError> {
    let cal = state.calendar().await?;
    let mut years: Vec<YearRow> = cal
        .years()
        .map(|y| YearRow { year: y.year, title: y.title.clone(), notice: y.notice.clone(), days: y.days.len() })
        .collect();
    years.sort_by_key(|y| std::cmp::Reverse(y.year));
    Ok(Page { csrf: staff.csrf.clone(), years, may_load: may_load(staff), message, text })
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
    if !may_load(&staff) {
        return Err(AppError::Forbidden {
            code: "forbidden_org",
            message: "节假日安排只能由顶级单位的管理员载入".into(),
        }
        .into());
    }
    let ctx = audit_ctx(&staff.actor, ip);
    match state.store.load_holiday_year(&ctx, &f.text).await {
        Ok(_) => {
            state.forget_calendar().await;
            Ok(Redirect::to("/admin/calendar").into_response())
        }
        Err(e) => {
            let e: AppError = e.into();
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page(&state, &staff, Some(e.to_string()), f.text).await?)
                .into_response())
        }
    }
}
