//! Consultations in the console: the list with the form to open one, and a consultation's
//! page where its staff moderate comments, draft the feedback report (up to eight groups)
//! and a leader other than the drafter publishes it.

use crate::app::consultations::{self, Adoption, ConsultationKind, ConsultationView, OpenBody, OpinionGroup};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Template, WebTemplate)]
#[template(path = "console/consultations.html")]
pub struct ListPage {
    pub csrf: String,
    pub list: Vec<ConsultationView>,
    pub may_open: bool,
    pub kinds: &'static [ConsultationKind],
    pub today: chrono::NaiveDate,
    pub message: Option<String>,
    /// Showing one org's consultations (a drill-down from supervision).
    pub filtered: bool,
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    org: Option<i64>,
    message: Option<String>,
) -> Result<ListPage, AppError> {
    Ok(ListPage {
        csrf: staff.csrf.clone(),
        list: consultations::workspace(state, &staff.actor, org).await?,
        filtered: org.is_some(),
        may_open: consultations::may_open(&staff.actor),
        kinds: ConsultationKind::ALL,
        today: state.today(),
        message,
    })
}

/// `/admin/consultations` (`?org=` shows one org's, as supervision's figures link).
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<super::OrgQuery>,
) -> Result<ListPage, PageError> {
    Ok(list_page(&state, &staff, q.org, None).await?)
}

#[derive(Deserialize)]
pub struct OpenForm {
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    draft_item_id: String,
    #[serde(default)]
    final_item_id: String,
    #[serde(default)]
    explanation: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    short_reason: String,
    #[serde(default)]
    channels: String,
    #[serde(default)]
    show_comments: Option<String>,
    #[serde(default)]
    block_final: Option<String>,
}

fn opt_id(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

fn opt_date(s: &str) -> Option<chrono::NaiveDate> {
    s.trim().parse().ok()
}

/// `POST /admin/consultations`: opens one.
pub async fn open(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<OpenForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let body = OpenBody {
        kind: f.kind,
        title: f.title,
        draft_item_id: opt_id(&f.draft_item_id),
        explanation: f.explanation,
        opens_on: opt_date(&f.opens_on),
        closes_on: opt_date(&f.closes_on),
        short_reason: f.short_reason,
        channels: f.channels,
        show_comments: f.show_comments.is_some(),
        final_item_id: opt_id(&f.final_item_id),
        block_final: f.block_final.is_some(),
    };
    match consultations::open(&state, &staff.actor, &audit_ctx(&staff.actor, ip), body).await {
        Ok(c) => Ok(Redirect::to(&format!("/admin/consultations/{}", c.id)).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, list_page(&state, &staff, None, Some(e.to_string())).await?).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/consultation.html")]
pub struct OnePage {
    pub csrf: String,
    pub c: ConsultationView,
    pub adoptions: &'static [Adoption],
    /// The feedback rows to edit: the saved groups and empty rows up to eight.
    pub rows: Vec<OpinionGroup>,
    pub message: Option<String>,
}

impl OnePage {
    fn may(&self, what: &str) -> bool {
        self.c.may.contains(&what)
    }
}

const ROWS: usize = 8;

async fn one_page(state: &AppState, staff: &Staff, id: i64, message: Option<String>) -> Result<OnePage, AppError> {
    let c = consultations::for_staff(state, &staff.actor, id).await?;
    let mut rows = c.feedback.clone();
    while rows.len() < ROWS {
        rows.push(OpinionGroup {
            summary: String::new(),
            count: 0,
            adoption: Adoption::Adopted,
            reason: String::new(),
        });
    }
    Ok(OnePage { csrf: staff.csrf.clone(), c, adoptions: Adoption::ALL, rows, message })
}

/// `/admin/consultations/{id}`.
pub async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<OnePage, PageError> {
    Ok(one_page(&state, &staff, id, None).await?)
}

/// `POST /admin/consultations/{id}`: moderation (`comment`, `accept`, `reason`), the feedback
/// draft (`feedback`, rows `summary_N`, `count_N`, `adoption_N`, `reason_N`, `note`) or its
/// publication (`publish`).
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    staff.check_csrf(f.get("csrf").map(String::as_str).unwrap_or(""))?;
    let ctx = audit_ctx(&staff.actor, ip);
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let result = match get("action") {
        "moderate" => match get("comment").parse::<i64>() {
            Ok(comment) => {
                consultations::moderate(&state, &staff.actor, &ctx, comment, get("accept") == "yes", get("reason"))
                    .await
            }
            Err(_) => Err(AppError::invalid("invalid_comment", "未指定意见")),
        },
        "feedback" => {
            let groups: Vec<OpinionGroup> = (0..ROWS)
                .filter(|i| !get(&format!("summary_{i}")).trim().is_empty())
                .map(|i| OpinionGroup {
                    summary: get(&format!("summary_{i}")).to_string(),
                    count: get(&format!("count_{i}")).trim().parse().unwrap_or(0),
                    adoption: Adoption::parse(get(&format!("adoption_{i}"))).unwrap_or(Adoption::NotAdopted),
                    reason: get(&format!("reason_{i}")).to_string(),
                })
                .collect();
            consultations::save_feedback(&state, &staff.actor, &ctx, id, groups, get("note")).await.map(|_| ())
        }
        "publish" => consultations::publish_feedback(&state, &staff.actor, &ctx, id).await.map(|_| ()),
        _ => Err(AppError::invalid("unknown_action", "未知的操作")),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/consultations/{id}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, one_page(&state, &staff, id, Some(e.to_string())).await?).into_response())
        }
    }
}
