//! The requests workspace of the console: every open request with its due date and days
//! left (coloured near due and overdue), and a request's page with every handling step,
//! its notices and its review records.

use crate::app::requests::{
    self, Remedy, RemedyBody, StaffView, StatusView, StepBody, WorkItem, notices, staff_request, status_view, workspace,
};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::notice::NoticeKind;
use gongkai_core::report::{RemedyKind, RemedyResult};
use gongkai_core::request::{OUTCOMES, Outcome};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/requests.html")]
pub struct WorkspacePage {
    pub csrf: String,
    pub rows: Vec<WorkItem>,
    pub all: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    all: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<WorkspacePage, PageError> {
    let all = q.all.is_some();
    let rows = workspace(&state, &staff.actor, None, !all).await?;
    Ok(WorkspacePage { csrf: staff.csrf.clone(), rows, all })
}

#[derive(Template, WebTemplate)]
#[template(path = "console/request.html")]
pub struct RequestPage {
    pub csrf: String,
    pub v: StatusView,
    pub s: StaffView,
    pub notices: Vec<(&'static str, &'static str)>,
    pub outcomes: &'static [Outcome],
    pub error: Option<String>,
    pub may_handle: bool,
    pub may_extend: bool,
    /// May transfer it (its handlers, or the disclosure office above it).
    pub may_route: bool,
    /// The orgs it can be transferred to, by name: (code, name, depth below the top).
    pub route_to: Vec<(String, String, usize)>,
    pub remedies: Vec<Remedy>,
    pub remedy_kinds: &'static [RemedyKind],
    pub remedy_results: &'static [RemedyResult],
    pub may_propose: bool,
    /// The step that was refused and what was typed in its form (kept, the reason next to it).
    pub failed: Option<(String, StepForm)>,
}

impl RequestPage {
    /// What was typed in a field of the refused step's form (empty for the other forms).
    pub fn typed(&self, step: &str, field: &str) -> &str {
        let Some((s, f)) = &self.failed else { return "" };
        if s != step {
            return "";
        }
        match field {
            "on" => &f.on,
            "outcome" => &f.outcome,
            "reason" => &f.reason,
            "days" => &f.days,
            "party" => &f.party,
            "fee_basis" => &f.fee_basis,
            "pages" => &f.pages,
            "target_org" => &f.target_org,
            "comment" => &f.comment,
            _ => "",
        }
    }

    /// The refusal, shown in the form of the step it refused.
    pub fn step_error(&self, step: &str) -> Option<&str> {
        match &self.failed {
            Some((s, _)) if s == step => self.error.as_deref(),
            _ => None,
        }
    }
}

async fn page(
    state: &AppState,
    staff: &Staff,
    tracking_no: &str,
    error: Option<String>,
    failed: Option<(String, StepForm)>,
) -> Result<RequestPage, AppError> {
    let h = requests::handling(state, &staff.actor, tracking_no).await?;
    let notices = notices::available(&h.request, h.has_pause).into_iter().map(|k| (k.as_str(), k.title())).collect();
    let v = status_view(state, &h.request, true).await?;
    let s = v.staff_detail().ok_or_else(|| AppError::NotFound("申请".into()))?;
    Ok(RequestPage {
        csrf: staff.csrf.clone(),
        s,
        v,
        notices,
        outcomes: OUTCOMES,
        error,
        may_handle: h.may_handle,
        may_route: h.may_route,
        route_to: h
            .route_to
            .into_iter()
            .map(|o| (o.ident.as_str().to_string(), o.name, o.path.depth().saturating_sub(1)))
            .collect(),
        may_extend: h.may_extend,
        remedies: h.remedies,
        remedy_kinds: RemedyKind::ALL,
        remedy_results: RemedyResult::ALL,
        may_propose: h.may_propose,
        failed,
    })
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(tracking_no): Path<String>,
) -> Result<RequestPage, PageError> {
    Ok(page(&state, &staff, &tracking_no, None, None).await?)
}

#[derive(Deserialize, Clone, Default)]
pub struct StepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    party: String,
    #[serde(default)]
    fee_basis: String,
    #[serde(default)]
    pages: String,
    #[serde(default)]
    target_org: String,
    #[serde(default)]
    comment: String,
}

pub async fn step(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path((tracking_no, step_name)): Path<(String, String)>,
    Form(f): Form<StepForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let typed = f.clone();
    let body = StepBody {
        on: chrono::NaiveDate::parse_from_str(f.on.trim(), "%Y-%m-%d").ok(),
        outcome: Some(f.outcome).filter(|s| !s.is_empty()),
        reason: f.reason,
        days: f.days.trim().parse().ok(),
        party: f.party,
        fee_basis: Some(f.fee_basis).filter(|s| !s.is_empty()),
        pages: f.pages.trim().parse().ok(),
        target_org: Some(f.target_org).filter(|s| !s.is_empty()),
        comment: f.comment,
    };
    let ctx = audit_ctx(&staff.actor, ip);
    let result = requests::apply_step(&state, &staff.actor, &ctx, &tracking_no, &step_name, body).await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/admin/requests/{tracking_no}")).into_response()),
        Err(
            e @ (AppError::Invalid { .. }
            | AppError::Conflict { .. }
            | AppError::Forbidden { .. }
            | AppError::NotFound(_)),
        ) => {
            let status = match &e {
                AppError::Conflict { .. } => axum::http::StatusCode::CONFLICT,
                AppError::Forbidden { .. } => axum::http::StatusCode::FORBIDDEN,
                _ => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            };
            let page = page(&state, &staff, &tracking_no, Some(e.to_string()), Some((step_name, typed))).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    format: Option<String>,
}

pub async fn notice(
    State(state): State<AppState>,
    staff: Staff,
    Path((tracking_no, kind)): Path<(String, String)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let r = staff_request(&state, &staff.actor, &tracking_no).await?;
    let kind = NoticeKind::parse(&kind).ok_or_else(|| AppError::NotFound("文书".into()))?;
    let n = notices::issued(&state, &r, kind).await?;
    Ok(notices::respond(&n, kind, &r.tracking_no, q.format.as_deref() == Some("docx"))?)
}

#[derive(Deserialize)]
pub struct RemedyForm {
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    filed_on: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    note: String,
    /// Set when deciding an existing record.
    #[serde(default)]
    remedy: String,
}

fn form_date(label: &str, s: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
    match s.trim() {
        "" => Ok(None),
        t => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::invalid("invalid_date", format!("{label}格式有误"))),
    }
}

/// `POST /admin/requests/{tracking_no}/remedies`: add a review or litigation record, or
/// record the result of one.
pub async fn remedy(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(tracking_no): Path<String>,
    Form(f): Form<RemedyForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    let result: Result<(), AppError> = async {
        let decided_on = form_date("审结日期", &f.decided_on)?;
        if let Ok(id) = f.remedy.trim().parse::<i64>() {
            requests::decide_remedy(&state, &staff.actor, &ctx, &tracking_no, id, &f.result, decided_on).await?;
        } else {
            let filed_on = form_date("立案日期", &f.filed_on)?
                .ok_or_else(|| AppError::invalid("invalid_date", "请填写申请复议或起诉的日期"))?;
            let result = if f.result.trim().is_empty() { "pending".to_string() } else { f.result.clone() };
            let body = RemedyBody {
                kind: f.kind.clone(),
                body: f.body.clone(),
                filed_on,
                result,
                decided_on,
                note: f.note.clone(),
            };
            requests::add_remedy(&state, &staff.actor, &ctx, &tracking_no, body).await?;
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/requests/{tracking_no}#remedies")).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::NotFound(_))) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, &staff, &tracking_no, Some(e.to_string()), None).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

/// `POST /admin/requests/{tracking_no}/propose`: propose the information for proactive
/// publication (a draft for the org's editors).
pub async fn propose(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(tracking_no): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    match requests::propose(&state, &staff.actor, &ctx, &tracking_no).await {
        Ok(item) => Ok(Redirect::to(&format!("/admin/items/{item}")).into_response()),
        Err(e) => match e {
            AppError::Conflict { .. } | AppError::Forbidden { .. } => Ok((
                axum::http::StatusCode::CONFLICT,
                page(&state, &staff, &tracking_no, Some(e.to_string()), None).await?,
            )
                .into_response()),
            other => Err(other.into()),
        },
    }
}
