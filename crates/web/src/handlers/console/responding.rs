//! Responding in the console: the concern log (政务舆情) with the form to log one and each
//! concern's clocks, timeline and steps; press conferences, briefings and interviews with
//! the form to schedule one, each event's record form, cancellation and the questions to an
//! interview (marked answered live, or answered in writing in 来信办理); each org's
//! progress against its yearly targets.

use crate::app::concerns::{self, ConcernView, EventView, LogBody};
use crate::app::press::{self, PressView, ProgressRow, QuestionView, RecordBody, ScheduleBody};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::concern::{ConcernStep, ResponseKind, Severity};
use serde::Deserialize;
use std::collections::HashMap;

use crate::app::concerns::Choices;

#[derive(Template, WebTemplate)]
#[template(path = "console/concerns.html")]
pub struct ConcernsPage {
    pub csrf: String,
    pub list: Vec<ConcernView>,
    pub sources: Choices,
    pub severities: Choices,
    pub orgs: Vec<(i64, String)>,
    pub f: LogForm,
    pub message: Option<String>,
    pub fields: crate::error::FieldErrors,
    pub now: String,
    /// Showing part of the list (a drill-down from supervision).
    pub filtered: bool,
}

#[derive(Deserialize, Default, Clone)]
pub struct LogForm {
    #[serde(default)]
    csrf: String,
    /// The fields as typed (kept on a refusal).
    #[serde(flatten)]
    pub b: LogBody,
}

async fn concerns_page(
    state: &AppState,
    staff: &Staff,
    filter: &concerns::Filter,
    f: LogForm,
    refusal: Option<&AppError>,
) -> Result<ConcernsPage, AppError> {
    let (sources, severities, _) = concerns::choices();
    let own = crate::app::orgs::own(state, &staff.actor).await?;
    Ok(ConcernsPage {
        csrf: staff.csrf.clone(),
        list: concerns::workspace(state, &staff.actor, filter).await?,
        filtered: filter.org.is_some() || filter.severity.as_deref().is_some_and(|s| !s.is_empty()),
        sources,
        severities,
        orgs: crate::app::orgs::within_top(state, &own).await?,
        f,
        message: refusal.map(ToString::to_string),
        fields: refusal.map(AppError::field_errors).unwrap_or_default(),
        now: gongkai_core::index_no::beijing(state.now()).format("%Y-%m-%dT%H:%M").to_string(),
    })
}

/// `/admin/concerns` (`?org=` and `?severity=` narrow it, as supervision's figures link).
pub async fn concerns_list(
    State(state): State<AppState>,
    staff: Staff,
    Query(filter): Query<concerns::Filter>,
) -> Result<ConcernsPage, PageError> {
    Ok(concerns_page(&state, &staff, &filter, LogForm::default(), None).await?)
}

/// `POST /admin/concerns`: log a concern.
pub async fn log(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<LogForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    match concerns::log(&state, &staff.actor, &audit_ctx(&staff.actor, ip), f.b.clone()).await {
        Ok(c) => Ok(Redirect::to(&format!("/admin/concerns/{}", c.id)).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let all = concerns::Filter::default();
            Ok((status, concerns_page(&state, &staff, &all, f, Some(&e)).await?).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/concern.html")]
pub struct ConcernPage {
    pub csrf: String,
    pub c: ConcernView,
    pub events: Vec<EventView>,
    pub may_handle: bool,
    pub may_reassign: bool,
    pub severities: Choices,
    pub kinds: Choices,
    pub orgs: Vec<(i64, String)>,
    /// Held events of the org, to link a response: (id, label, kind).
    pub events_to_link: Vec<(i64, String, String)>,
    pub message: Option<String>,
}

async fn concern_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    message: Option<String>,
) -> Result<ConcernPage, AppError> {
    let (c, events, may_handle, may_reassign) = concerns::one(state, &staff.actor, id).await?;
    let (_, severities, kinds) = concerns::choices();
    let own = crate::app::orgs::own(state, &staff.actor).await?;
    let events_to_link = press::staff_list(state, &staff.actor, None)
        .await?
        .into_iter()
        .filter(|e| e.state == "held")
        .map(|e| (e.id, format!("{}：{}（{}）", e.kind_label, e.title, e.starts_at), e.kind))
        .collect();
    Ok(ConcernPage {
        csrf: staff.csrf.clone(),
        c,
        events,
        may_handle,
        may_reassign,
        severities,
        kinds,
        orgs: crate::app::orgs::within_top(state, &own).await?,
        events_to_link,
        message,
    })
}

/// `/admin/concerns/{id}`.
pub async fn concern(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<ConcernPage, PageError> {
    Ok(concern_page(&state, &staff, id, None).await?)
}

/// A step from the concern page's forms (`step` and its fields).
fn step_of(f: &HashMap<String, String>) -> Result<ConcernStep, AppError> {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let num = |k: &str| get(k).trim().parse::<i64>().ok();
    Ok(match get("step").as_str() {
        "consult" => ConcernStep::Consult { note: get("note") },
        "assess" => ConcernStep::Assess { note: get("note"), severity: Severity::parse(&get("severity")) },
        "respond" => {
            let kind = ResponseKind::parse(&get("kind")).unwrap_or(ResponseKind::Item);
            let target = match kind {
                ResponseKind::Item => num("item_id"),
                _ => num("event_id"),
            }
            .ok_or_else(|| AppError::invalid("invalid_target", "请填写回应的信息编号或选择发布活动"))?;
            ConcernStep::Respond { kind, target_id: target, note: get("note") }
        }
        "evaluate" => ConcernStep::Evaluate { note: get("note"), adopted: get("adopted") },
        "reassign" => ConcernStep::Reassign {
            org_id: num("org_id").ok_or_else(|| AppError::invalid("invalid_org", "请选择改派单位"))?,
            reason: get("note"),
        },
        "instruction" => ConcernStep::Instruction { note: get("note") },
        "instruction_done" => ConcernStep::InstructionDone {
            event_id: num("event").ok_or_else(|| AppError::invalid("invalid_event", "未指定批示"))?,
            note: get("note"),
        },
        "police" => ConcernStep::Police { note: get("note") },
        _ => return Err(AppError::invalid("invalid_step", "未知的处置操作")),
    })
}

/// `POST /admin/concerns/{id}`: a step.
pub async fn concern_step(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    staff.check_csrf(f.get("csrf").map(String::as_str).unwrap_or(""))?;
    let result = match step_of(&f) {
        Ok(step) => concerns::step(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, step).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/concerns/{id}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, concern_page(&state, &staff, id, Some(e.to_string())).await?).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/press.html")]
pub struct PressPage {
    pub csrf: String,
    pub list: Vec<PressView>,
    pub year: i32,
    pub progress: Vec<ProgressRow>,
    pub f: ScheduleForm,
    pub message: Option<String>,
    pub fields: crate::error::FieldErrors,
    /// Showing one org's events (a drill-down from supervision).
    pub filtered: bool,
    /// The own org's interview plan for the year (its lines with their status).
    pub plan: Option<press::PlanView>,
    /// The plan as typed (kept on a refusal).
    pub plan_text: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct ScheduleForm {
    #[serde(default)]
    csrf: String,
    /// The fields as typed (kept on a refusal).
    #[serde(flatten)]
    pub b: ScheduleBody,
}

async fn press_page(
    state: &AppState,
    staff: &Staff,
    org: Option<i64>,
    f: ScheduleForm,
    refusal: Option<&AppError>,
) -> Result<PressPage, AppError> {
    let year = press::this_year(state);
    let own = crate::app::orgs::own(state, &staff.actor).await?;
    let plan = press::plans(state, year, Some(own.id)).await?.into_iter().next();
    Ok(PressPage {
        csrf: staff.csrf.clone(),
        list: press::staff_list(state, &staff.actor, org).await?,
        filtered: org.is_some(),
        plan_text: plan.as_ref().map(|p| p.text.clone()).unwrap_or_default(),
        plan,
        year,
        progress: press::progress(state, year, Some(&own.path)).await?,
        f,
        message: refusal.map(ToString::to_string),
        fields: refusal.map(AppError::field_errors).unwrap_or_default(),
    })
}

/// `/admin/press` (`?org=` shows one org's events, as supervision's figures link).
pub async fn press_list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<super::OrgQuery>,
) -> Result<PressPage, PageError> {
    let f = ScheduleForm { b: ScheduleBody { kind: "conference".into(), ..Default::default() }, ..Default::default() };
    Ok(press_page(&state, &staff, q.org, f, None).await?)
}

#[derive(Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
}

/// `POST /admin/press/plan`: replaces the own org's interview plan for this year.
pub async fn save_plan(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<PlanForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let year = press::this_year(&state);
    let body = press::PlanBody { text: Some(f.text.clone()), entries: None };
    match press::save_plan(&state, &staff.actor, &audit_ctx(&staff.actor, ip), year, body).await {
        Ok(()) => Ok(Redirect::to("/admin/press#plan-h").into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let mut page = press_page(&state, &staff, None, ScheduleForm::default(), Some(&e)).await?;
            page.plan_text = f.text;
            Ok((status, page).into_response())
        }
    }
}

/// `POST /admin/press`: schedule an event.
pub async fn schedule(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<ScheduleForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    match press::schedule(&state, &staff.actor, &audit_ctx(&staff.actor, ip), f.b.clone()).await {
        Ok(e) => Ok(Redirect::to(&format!("/admin/press/{}", e.id)).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, press_page(&state, &staff, None, f, Some(&e)).await?).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/press_one.html")]
pub struct PressOnePage {
    pub csrf: String,
    pub e: PressView,
    pub may_run: bool,
    pub questions: Vec<QuestionView>,
    pub speakers: String,
    pub items: String,
    pub message: Option<String>,
}

async fn press_one_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    message: Option<String>,
) -> Result<PressOnePage, AppError> {
    let (e, may_run) = press::staff_one(state, &staff.actor, id).await?;
    let questions = if e.kind == "interview" { press::questions(state, id, true).await? } else { Vec::new() };
    Ok(PressOnePage {
        csrf: staff.csrf.clone(),
        speakers: gongkai_core::press::speakers_text(&e.speakers),
        items: e.items.iter().map(|(i, _)| i.to_string()).collect::<Vec<_>>().join(" "),
        e,
        may_run,
        questions,
        message,
    })
}

/// `/admin/press/{id}`.
pub async fn press_one(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<PressOnePage, PageError> {
    Ok(press_one_page(&state, &staff, id, None).await?)
}

/// `POST /admin/press/{id}`: publish the record (`action=record`), cancel (`action=cancel`),
/// or mark a question answered live (`action=live`, `letter`).
pub async fn press_act(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    staff.check_csrf(&get("csrf"))?;
    let ctx = audit_ctx(&staff.actor, ip);
    let result = match get("action").as_str() {
        "record" => {
            let body = RecordBody {
                speakers: get("speakers"),
                transcript: get("transcript"),
                video_url: get("video_url"),
                items: get("items"),
            };
            press::publish_record(&state, &staff.actor, &ctx, id, body).await.map(|_| ())
        }
        "cancel" => press::cancel(&state, &staff.actor, &ctx, id, &get("reason")).await.map(|_| ()),
        "live" => match get("letter").parse::<i64>() {
            Ok(l) => press::answered_live(&state, &staff.actor, &ctx, l).await,
            Err(_) => Err(AppError::invalid("invalid_letter", "未指定提问")),
        },
        _ => Err(AppError::invalid("invalid_action", "未知的操作")),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/press/{id}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, press_one_page(&state, &staff, id, Some(e.to_string())).await?).into_response())
        }
    }
}

/// `POST /admin/press/{id}/photos`: adds a photo (`file`) with its `caption` to a held event.
pub async fn add_photo(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    form: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let up = super::Upload::read(form).await?;
    staff.check_csrf(up.get("csrf"))?;
    let ctx = audit_ctx(&staff.actor, ip);
    let caption = up.get("caption").to_string();
    match press::add_photo(&state, &staff.actor, &ctx, id, &caption, up.file).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/press/{id}#photos-h")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, press_one_page(&state, &staff, id, Some(e.to_string())).await?).into_response())
        }
    }
}

/// `POST /admin/press/{id}/photos/{photo}/remove`.
pub async fn remove_photo(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path((id, photo)): Path<(i64, i64)>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    staff.check_csrf(f.get("csrf").map(String::as_str).unwrap_or(""))?;
    let ctx = audit_ctx(&staff.actor, ip);
    match press::remove_photo(&state, &staff.actor, &ctx, id, photo).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/press/{id}#photos-h")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, press_one_page(&state, &staff, id, Some(e.to_string())).await?).into_response())
        }
    }
}
