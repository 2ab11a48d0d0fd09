//! Meeting attendance in the console: the meetings with the form to announce one (topics one
//! to a line, a leading `*` marking one consulted on publicly), and a meeting's applications
//! with selection within the seats and the list's publication.

use crate::app::meetings::{self, MeetingBody, MeetingView, Topic};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Template, WebTemplate)]
#[template(path = "console/meetings.html")]
pub struct ListPage {
    pub csrf: String,
    pub list: Vec<MeetingView>,
    pub message: Option<String>,
}

async fn list_page(state: &AppState, staff: &Staff, message: Option<String>) -> Result<ListPage, AppError> {
    Ok(ListPage { csrf: staff.csrf.clone(), list: meetings::workspace(state, &staff.actor).await?, message })
}

/// `/admin/meetings`.
pub async fn list(State(state): State<AppState>, staff: Staff) -> Result<ListPage, PageError> {
    Ok(list_page(&state, &staff, None).await?)
}

#[derive(Deserialize)]
pub struct AnnounceForm {
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    topics: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    apply_by: String,
    #[serde(default)]
    public: String,
    #[serde(default)]
    expert: String,
    #[serde(default)]
    media: String,
    #[serde(default)]
    deputy: String,
}

/// `POST /admin/meetings`.
pub async fn announce(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<AnnounceForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let n = |s: &str| s.trim().parse::<u32>().unwrap_or(0).min(100);
    let topics: Vec<Topic> = f
        .topics
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.strip_prefix('*').or_else(|| l.strip_prefix('＊')) {
            Some(t) => Topic { title: t.trim().to_string(), consulted: true },
            None => Topic { title: l.to_string(), consulted: false },
        })
        .collect();
    let result = async {
        let date = |s: &str, what: &'static str| {
            s.trim().parse().map_err(|_| AppError::invalid("invalid_date", format!("请填写{what}")))
        };
        let body = MeetingBody {
            title: f.title.clone(),
            topics,
            seats: [n(&f.public), n(&f.expert), n(&f.media), n(&f.deputy)],
            place: f.place.clone(),
            held_on: date(&f.held_on, "会议日期")?,
            apply_by: date(&f.apply_by, "报名截止日期")?,
        };
        meetings::announce(&state, &staff.actor, &audit_ctx(&staff.actor, ip), body).await
    }
    .await;
    match result {
        Ok(m) => Ok(Redirect::to(&format!("/admin/meetings/{}", m.id)).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, list_page(&state, &staff, Some(e.to_string())).await?).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/meeting.html")]
pub struct OnePage {
    pub csrf: String,
    pub m: MeetingView,
    pub message: Option<String>,
}

/// `/admin/meetings/{id}`.
pub async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<OnePage, PageError> {
    Ok(OnePage { csrf: staff.csrf.clone(), m: meetings::for_staff(&state, &staff.actor, id).await?, message: None })
}

/// `POST /admin/meetings/{id}`: select or decline an application (`application`, `select`,
/// `note`), or publish the list (`action=publish`).
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    staff.check_csrf(get("csrf"))?;
    let ctx = audit_ctx(&staff.actor, ip);
    let result = if get("action") == "publish" {
        meetings::publish(&state, &staff.actor, &ctx, id).await.map(|_| ())
    } else {
        match get("application").parse::<i64>() {
            Ok(a) => meetings::decide(&state, &staff.actor, &ctx, a, get("select") == "yes", get("note")).await,
            Err(_) => Err(AppError::invalid("invalid_application", "未指定报名")),
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/meetings/{id}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let m = meetings::for_staff(&state, &staff.actor, id).await?;
            Ok((status, OnePage { csrf: staff.csrf.clone(), m, message: Some(e.to_string()) }).into_response())
        }
    }
}
