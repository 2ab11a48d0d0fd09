//! Training in the console: the year's sessions and hearings of the orgs a clerk answers
//! for, coverage per org against 轮训全覆盖, a form to record one, and a session's page.

use crate::app::trainings::{self, CoverageRow, TrainingFields, TrainingPage, TrainingView};
use crate::auth::{ClientIp, Staff, audit_ctx};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_store::Org;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/trainings.html")]
pub struct ListPage {
    pub csrf: String,
    pub year: i32,
    pub trainings: Vec<TrainingView>,
    pub coverage: Vec<CoverageRow>,
    pub orgs: Vec<Org>,
    /// Staff who may be listed as attendees: (login name, "name（org）").
    pub candidates: Vec<(String, String)>,
    pub today: String,
    pub message: Option<String>,
}

async fn list_page(state: &AppState, staff: &Staff, year: i32, message: Option<String>) -> Result<ListPage, AppError> {
    Ok(ListPage {
        csrf: staff.csrf.clone(),
        year,
        trainings: trainings::list(state, &staff.actor, year).await?,
        coverage: trainings::coverage(state, &staff.actor, year).await?,
        orgs: crate::app::orgs::overseen(state, &staff.actor).await?,
        candidates: trainings::candidates(state, &staff.actor).await?,
        today: state.today().to_string(),
        message,
    })
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

/// `/admin/trainings?year=`.
pub async fn index(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> Result<ListPage, PageError> {
    let year = trainings::year_or_this(&state, q.year.and_then(|y| y.trim().parse().ok()));
    Ok(list_page(&state, &staff, year, None).await?)
}

/// `POST /admin/trainings`: the form arrives as pairs, attendees repeated.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = super::Pairs(pairs);
    let field = |name: &str| form.one(name);
    staff.check_csrf(&field("csrf"))?;
    let result = async {
        let held_on = crate::util::form_date(&field("held_on"))?
            .ok_or_else(|| AppError::invalid_field("held_on", "held_on", "请填写举办日期"))?;
        let number = |name: &str, label: &str| -> Result<i64, AppError> {
            match field(name).trim() {
                "" => Ok(0),
                n => n.parse().map_err(|_| AppError::invalid("invalid_number", format!("{label}应为整数"))),
            }
        };
        let f = TrainingFields {
            org: field("org"),
            kind: field("kind"),
            held_on,
            topic: field("topic"),
            hours: number("hours", "学时")?,
            lecturer: field("lecturer"),
            place: field("place"),
            note: field("note"),
            attendees: form.all(&["attendees"]),
            others: number("others", "其他参训人数")?,
        };
        trainings::create(&state, &staff.actor, &audit_ctx(&staff.actor, ip), &f).await
    }
    .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/admin/trainings/{id}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let year = trainings::year_or_this(&state, None);
            Ok((status, list_page(&state, &staff, year, Some(format!("未能登记：{e}"))).await?).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/training.html")]
pub struct OnePage {
    pub csrf: String,
    pub p: TrainingPage,
}

/// `/admin/trainings/{id}`.
pub async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<OnePage, PageError> {
    Ok(OnePage { csrf: staff.csrf.clone(), p: trainings::one(&state, &staff.actor, id).await? })
}
