//! The requests workspace of the console: every open request with its due date and days
//! left (coloured near due and overdue), and a request's page with every handling step,
//! its notices and its review records.

use super::CsrfForm;
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
    /// The steps the staff member may take now, next expected first.
    pub steps: Vec<&'static str>,
    pub outcomes: &'static [Outcome],
    pub error: Option<String>,
    pub may_handle: bool,
    /// The orgs it can be transferred to, by name: (code, name, depth below the top).
    pub route_to: Vec<(String, String, usize)>,
    pub remedies: Vec<Remedy>,
    pub remedy_kinds: &'static [RemedyKind],
    pub remedy_results: &'static [RemedyResult],
    pub may_propose: bool,
    /// The step that was refused and what was typed in its form (kept, the reason next to it).
    pub failed: Option<(String, StepForm)>,
    /// Which replies go to an approver first.
    pub sign_off_note: String,
    pub delivery_methods: &'static [gongkai_core::request::DeliveryMethod],
}

/// What the reply form says of sign-off under the configured outcomes.
fn sign_off_note(rule: &[String]) -> String {
    let needing: Vec<&str> = gongkai_core::request::OutcomeGroup::ALL
        .iter()
        .filter(|g| OUTCOMES.iter().any(|o| o.group == **g && gongkai_core::request::needs_sign_off(rule, *o)))
        .map(|g| g.label())
        .collect();
    if needing.is_empty() {
        "答复直接发出。".into()
    } else {
        format!("答复为「{}」的，须经本机关其他审批人签批后发出。", needing.join("」「"))
    }
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

    /// A step's label on its button.
    pub fn step_label(&self, step: &str) -> &'static str {
        match step {
            "accept" => "开始办理",
            "clarification-lapsed" => "逾期未补正办结",
            "fee-paid" => "登记缴费",
            "fee-lapsed" => "逾期未缴费办结",
            "close" => "办结",
            "withdraw" => "登记撤回",
            _ => "办理",
        }
    }

    /// A file's size as people read it.
    pub fn size_label(&self, bytes: &i64) -> String {
        crate::util::human_size(*bytes)
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
    ctx: &gongkai_store::AuditCtx,
    tracking_no: &str,
    error: Option<String>,
    failed: Option<(String, StepForm)>,
) -> Result<RequestPage, AppError> {
    let h = requests::handling(state, &staff.actor, tracking_no).await?;
    let v = status_view(state, &h.request, Some((&staff.actor, ctx))).await?;
    let s = v.staff_detail().ok_or_else(|| AppError::NotFound("申请".into()))?;
    Ok(RequestPage {
        csrf: staff.csrf.clone(),
        s,
        v,
        steps: h.steps,
        outcomes: OUTCOMES,
        error,
        may_handle: h.may_handle,
        sign_off_note: sign_off_note(&state.config.sign_off_outcomes),
        delivery_methods: gongkai_core::request::DeliveryMethod::ALL,
        route_to: h
            .route_to
            .into_iter()
            .map(|o| (o.ident.as_str().to_string(), o.name, o.path.depth().saturating_sub(1)))
            .collect(),
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
    ClientIp(ip): ClientIp,
    Path(tracking_no): Path<String>,
) -> Result<RequestPage, PageError> {
    Ok(page(&state, &staff, &audit_ctx(&staff.actor, ip), &tracking_no, None, None).await?)
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
    settle(&state, &staff, &ctx, &tracking_no, (&step_name, typed), result.map(|_| ()), "").await
}

/// After a form on the request's page: back to the page (at `anchor`), or the page again with
/// the refusal next to the form `slot` and what was typed kept.
async fn settle(
    state: &AppState,
    staff: &Staff,
    ctx: &gongkai_store::AuditCtx,
    tracking_no: &str,
    (slot, typed): (&str, StepForm),
    result: Result<(), AppError>,
    anchor: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/requests/{tracking_no}{anchor}")).into_response()),
        Err(
            e @ (AppError::Invalid { .. }
            | AppError::Detailed { .. }
            | AppError::Conflict { .. }
            | AppError::Forbidden { .. }
            | AppError::NotFound(_)),
        ) => {
            let status = match &e {
                AppError::Conflict { .. } => axum::http::StatusCode::CONFLICT,
                AppError::Forbidden { .. } => axum::http::StatusCode::FORBIDDEN,
                _ => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            };
            let page =
                page(state, staff, ctx, tracking_no, Some(e.to_string()), Some((slot.to_string(), typed))).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/requests/{tracking_no}/files`: a file released with the reply.
pub async fn add_file(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(tracking_no): Path<String>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    requests::records::check_upload(&state, &staff.actor, &tracking_no).await?;
    let upload = crate::handlers::files::read_upload(&state, &mut multipart).await?;
    staff.check_csrf(upload.fields.get("csrf").map(String::as_str).unwrap_or(""))?;
    let ctx = audit_ctx(&staff.actor, ip);
    let result = requests::records::add_file(&state, &staff.actor, &ctx, &tracking_no, upload).await.map(|_| ());
    settle(&state, &staff, &ctx, &tracking_no, ("files", StepForm::default()), result, "#files").await
}

/// `POST /admin/requests/{tracking_no}/files/{id}/remove`.
pub async fn remove_file(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path((tracking_no, id)): Path<(String, i64)>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    let result = requests::records::remove_file(&state, &staff.actor, &ctx, &tracking_no, id).await;
    settle(&state, &staff, &ctx, &tracking_no, ("files", StepForm::default()), result, "#files").await
}

/// `GET /admin/requests/{tracking_no}/files/{id}`.
pub async fn file(
    State(state): State<AppState>,
    staff: Staff,
    Path((tracking_no, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let (f, bytes) = requests::records::staff_file(&state, &staff.actor, &tracking_no, id).await?;
    Ok(crate::handlers::files::serve_bytes(f.id, &f.name, &f.mime, bytes, "private, no-store"))
}

#[derive(Deserialize)]
pub struct DeliveryForm {
    csrf: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    delivered_on: String,
    #[serde(default)]
    proof: String,
}

/// `POST /admin/requests/{tracking_no}/deliveries`: how the reply reached the applicant.
pub async fn delivery(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(tracking_no): Path<String>,
    Form(f): Form<DeliveryForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let body = requests::records::DeliveryBody {
        method: f.method,
        delivered_on: chrono::NaiveDate::parse_from_str(f.delivered_on.trim(), "%Y-%m-%d").ok(),
        proof: f.proof,
    };
    let ctx = audit_ctx(&staff.actor, ip);
    let result = requests::records::deliver(&state, &staff.actor, &ctx, &tracking_no, body).await.map(|_| ());
    settle(&state, &staff, &ctx, &tracking_no, ("delivery", StepForm::default()), result, "#delivery").await
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    format: Option<String>,
    /// Which notice of its kind (1 the first); the latest when absent.
    seq: Option<i64>,
}

pub async fn notice(
    State(state): State<AppState>,
    staff: Staff,
    Path((tracking_no, kind)): Path<(String, String)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let r = staff_request(&state, &staff.actor, &tracking_no).await?;
    let kind = NoticeKind::parse(&kind).ok_or_else(|| AppError::NotFound("文书".into()))?;
    let n = notices::issued(&state, &r, kind, q.seq).await?;
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
            page(&state, &staff, &ctx, &tracking_no, Some(e.to_string()), None).await?,
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
                page(&state, &staff, &ctx, &tracking_no, Some(e.to_string()), None).await?,
            )
                .into_response()),
            other => Err(other.into()),
        },
    }
}

/// What the record form was typed with.
#[derive(Deserialize, Clone, Default)]
pub struct RecordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    submitted_on: String,
    #[serde(default)]
    signed_on: String,
    #[serde(default)]
    confirmed_on: String,
    #[serde(default)]
    applicant_type: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    id_type: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    legal_rep: String,
    #[serde(default)]
    contact_person: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    doc_ref: String,
    #[serde(default)]
    form: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/request_record.html")]
pub struct RecordPage {
    pub csrf: String,
    pub f: RecordForm,
    pub error: Option<String>,
    pub channels: Vec<gongkai_core::request::Channel>,
    pub types: &'static [gongkai_core::request::ApplicantType],
    pub id_types: &'static [&'static str],
    pub forms: &'static [&'static str],
    /// The orgs the staff member may file for: (code, name).
    pub orgs: Vec<(String, String)>,
}

async fn record_page(
    state: &AppState,
    staff: &Staff,
    f: RecordForm,
    error: Option<String>,
) -> Result<RecordPage, AppError> {
    let orgs = crate::app::accounts::all_orgs(state)
        .await?
        .into_iter()
        .filter(|o| o.path.is_within(&staff.actor.org_path))
        .map(|o| (o.code().to_string(), o.name))
        .collect();
    Ok(RecordPage {
        csrf: staff.csrf.clone(),
        f,
        error,
        channels: gongkai_core::request::Channel::ALL
            .iter()
            .copied()
            .filter(|c| *c != gongkai_core::request::Channel::Online)
            .collect(),
        types: gongkai_core::request::ApplicantType::ALL,
        id_types: gongkai_core::request::ID_TYPES,
        forms: gongkai_core::request::FORMS,
        orgs,
    })
}

/// `GET /admin/requests/record`: the form for a request that came by letter, visit, fax or
/// e-mail.
pub async fn record_form(State(state): State<AppState>, staff: Staff) -> Result<RecordPage, PageError> {
    let f = RecordForm {
        channel: "in_person".into(),
        applicant_type: "natural_person".into(),
        id_type: "居民身份证".into(),
        form: "纸质".into(),
        ..Default::default()
    };
    Ok(record_page(&state, &staff, f, None).await?)
}

/// `POST /admin/requests/record`: registers it with its article 31 receipt date.
pub async fn record(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<RecordForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let body = requests::RecordBody {
        filing: requests::FilingInput {
            applicant_type: f.applicant_type.clone(),
            name: f.name.clone(),
            id_type: f.id_type.clone(),
            id_number: f.id_number.clone(),
            credit_code: f.credit_code.clone(),
            legal_rep: f.legal_rep.clone(),
            contact_person: f.contact_person.clone(),
            phone: f.phone.clone(),
            email: f.email.clone(),
            address: f.address.clone(),
            postcode: f.postcode.clone(),
            description: f.description.clone(),
            doc_ref: f.doc_ref.clone(),
            purpose: String::new(),
            org: f.org.clone(),
            form: f.form.clone(),
            delivery: String::new(),
        },
        channel: f.channel.clone(),
        submitted_on: date(&f.submitted_on),
        signed_on: date(&f.signed_on),
        confirmed_on: date(&f.confirmed_on),
    };
    match requests::record(&state, &staff.actor, &audit_ctx(&staff.actor, ip), body).await {
        Ok(filed) => Ok(Redirect::to(&format!("/admin/requests/{}", filed.tracking_no)).into_response()),
        Err(e @ (AppError::Invalid { .. } | AppError::Detailed { .. } | AppError::Forbidden { .. })) => {
            let status = match &e {
                AppError::Forbidden { .. } => axum::http::StatusCode::FORBIDDEN,
                _ => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            };
            Ok((status, record_page(&state, &staff, f, Some(e.to_string())).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
