//! Information requests over the API: public filing (idempotent with `Idempotency-Key`,
//! rate-limited) and status (tracking number + query code; a wrong code answers like an
//! unknown number), and for staff the workspace list, recording letters and visits, every
//! handling step (409 from a wrong state) and review/litigation records.

use super::{ApiJson, ApiQuery};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::requests_view::{
    ClockView, FieldError, FilingInput, TimelineEntry, check_filing, clock_view, fields_error, state_label, timeline,
};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::NaiveDate;
use gongkai_core::index_no::beijing_date;
use gongkai_core::request::{Channel, Fee, Outcome, ReceiptFacts, Step, receipt_date};
use gongkai_core::{Actor, Role};
use gongkai_store::{AuditCtx, NewRemedy, NewRequest, Org, Request, StepExtra};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, file))
        .routes(routes!(record))
        .routes(routes!(status))
        .routes(routes!(apply_step))
        .routes(routes!(add_remedy))
        .routes(routes!(notice))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct FormatQuery {
    /// html（默认）或 docx.
    format: Option<String>,
}

/// 生成文书：acknowledgement、clarification、consultation、extension、fee、reply（网页或 DOCX）。
#[utoipa::path(get, path = "/requests/{tracking_no}/notices/{kind}", tag = "requests", security(("bearer" = [])),
    params(("tracking_no" = String, Path, description = "申请编号"), ("kind" = String, Path, description = "文书种类"), FormatQuery),
    responses((status = 200, description = "文书（text/html 或 DOCX）"), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
async fn notice(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((tracking_no, kind)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> Result<axum::response::Response, ApiError> {
    let r = staff_request(&state, &actor, &tracking_no).await?;
    let kind =
        gongkai_core::notice::NoticeKind::parse(&kind).ok_or_else(|| AppError::NotFound(format!("文书「{kind}」")))?;
    let has_pause = !state.store.request_pauses(r.id).await?.is_empty();
    if !crate::notices::available(&r, has_pause).contains(&kind) {
        return Err(AppError::NotFound("该申请尚无此文书".into()).into());
    }
    let n = crate::notices::compose_for(&state, &r, kind).await?;
    Ok(crate::notices::respond(&n, kind, &r.tracking_no, q.format.as_deref() == Some("docx"))?)
}

#[derive(Serialize, utoipa::ToSchema)]
struct Filed {
    tracking_no: String,
    query_code: String,
    received_on: NaiveDate,
    due_on: Option<NaiveDate>,
    /// 答复期限为暂定：所在年度的节假日安排尚未公布，按法定节假日推算。
    provisional: bool,
}

/// The org a filing goes to: the one named, or (not sure) the platform's first top-level org,
/// whose disclosure office routes it on.
pub async fn target_org(state: &AppState, code: &str) -> Result<Org, AppError> {
    if !code.trim().is_empty() {
        return state.store.org_by_code(code).await?.ok_or_else(|| AppError::Detailed {
            status: 422,
            code: "invalid_fields",
            message: "申请有 1 处需要修改".into(),
            details: crate::error::Details::Fields(vec![FieldError {
                field: "org",
                message: format!("机关「{code}」不存在"),
            }]),
        });
    }
    let orgs = state.store.orgs().await?;
    orgs.into_iter().find(|o| o.parent_id.is_none()).ok_or_else(|| AppError::invalid("no_org", "平台尚未设置受理机关"))
}

/// Files an online request and answers what the applicant needs to follow it.
pub async fn file_online(
    state: &AppState,
    input: FilingInput,
    key: Option<String>,
) -> Result<(Request, bool), AppError> {
    let checked = check_filing(&input).map_err(fields_error)?;
    let org = target_org(state, &input.org).await?;
    let now = state.now();
    let received_on =
        receipt_date(Channel::Online, ReceiptFacts { submitted_on: Some(beijing_date(now)), ..Default::default() })
            .map_err(|e| AppError::invalid("receipt", e.to_string()))?;
    let key = key.filter(|k| !k.trim().is_empty() && k.len() <= 100);
    let new = new_request(input, checked.applicant_type, org.id, checked.channel, received_on, key, now);
    let (r, created) = state.store.file_request(&AuditCtx::system(), new).await?;
    if created {
        // The applicant gets the numbers by e-mail too, when they gave an address.
        let due = due_of(state, &r).await.ok();
        crate::mail::confirm_filing(state, &r, &org.name, due);
    }
    Ok((r, created))
}

/// A filing as the store takes it.
fn new_request(
    f: FilingInput,
    applicant_type: gongkai_core::request::ApplicantType,
    org_id: i64,
    channel: Channel,
    received_on: NaiveDate,
    idempotency_key: Option<String>,
    submitted_at: chrono::DateTime<chrono::Utc>,
) -> NewRequest {
    NewRequest {
        org_id,
        channel,
        applicant_type,
        name: f.name,
        id_type: f.id_type,
        id_number: f.id_number.trim().to_ascii_uppercase(),
        credit_code: f.credit_code.trim().to_ascii_uppercase(),
        legal_rep: f.legal_rep,
        contact_person: f.contact_person,
        phone: f.phone,
        email: f.email,
        address: f.address,
        description: f.description,
        doc_ref: f.doc_ref,
        purpose: f.purpose,
        form: f.form,
        delivery: f.delivery,
        submitted_at,
        received_on,
        idempotency_key,
    }
}

/// The reply deadline of a request, and whether it is provisional (暂定).
pub async fn due_of(state: &AppState, r: &Request) -> Result<(Option<NaiveDate>, bool), AppError> {
    let cal = state.calendar().await?;
    let pauses = state.store.request_pauses(r.id).await?;
    let clock = r.clock(&pauses);
    Ok((clock.due_on(&cal).ok().flatten(), clock.due_is_provisional(&cal)))
}

/// 提交政府信息公开申请（公众，无需账号）。
#[utoipa::path(post, path = "/requests", tag = "requests", request_body = FilingInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "重复提交同一键不会产生第二件申请")),
    responses((status = 201, body = Filed), (status = 200, description = "同一 Idempotency-Key 已提交过", body = Filed), (status = 422, body = super::ErrorBody), (status = 429, body = super::ErrorBody)))]
async fn file(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(input): ApiJson<FilingInput>,
) -> Result<(StatusCode, Json<Filed>), ApiError> {
    if state.post_limiter.check_key(&ip).is_err() {
        return Err(AppError::TooManyRequests.into());
    }
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_string);
    let (r, created) = file_online(&state, input, key).await?;
    let (due_on, provisional) = due_of(&state, &r).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((
        status,
        Json(Filed {
            tracking_no: r.tracking_no,
            query_code: r.query_code,
            received_on: r.received_on,
            due_on,
            provisional,
        }),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct RecordBody {
    #[serde(flatten)]
    filing: FilingInput,
    /// in_person, registered_post, ordinary_letter, fax, email.
    channel: String,
    submitted_on: Option<NaiveDate>,
    /// 邮寄：签收日期.
    signed_on: Option<NaiveDate>,
    /// 平常信函、传真、电子邮件：确认日期.
    confirmed_on: Option<NaiveDate>,
}

/// 登记以信函、传真、电子邮件或当面提交的申请（依申请办理人员）。
#[utoipa::path(post, path = "/requests/record", tag = "requests", security(("bearer" = [])), request_body = RecordBody,
    responses((status = 201, body = Filed), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn record(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<RecordBody>,
) -> Result<(StatusCode, Json<Filed>), ApiError> {
    let channel = Channel::parse(&body.channel).filter(|c| *c != Channel::Online).ok_or_else(|| {
        AppError::invalid("invalid_channel", "渠道须为 in_person、registered_post、ordinary_letter、fax 或 email")
    })?;
    let received_on = receipt_date(
        channel,
        ReceiptFacts { submitted_on: body.submitted_on, signed_on: body.signed_on, confirmed_on: body.confirmed_on },
    )
    .map_err(|e| AppError::invalid("receipt_date", e.to_string()))?;
    let checked = check_filing(&body.filing).map_err(fields_error)?;
    let org = if body.filing.org.trim().is_empty() {
        state.store.org_by_id(actor.org_id).await?.ok_or(AppError::Unauthorized)?
    } else {
        target_org(&state, &body.filing.org).await?
    };
    actor.may_work_in(Role::RequestHandler, &org.path)?;
    let new = new_request(body.filing, checked.applicant_type, org.id, channel, received_on, None, state.now());
    let ctx = audit_ctx(&actor, ip);
    let (r, _) = state.store.file_request(&ctx, new).await?;
    let (due_on, provisional) = due_of(&state, &r).await?;
    Ok((
        StatusCode::CREATED,
        Json(Filed {
            tracking_no: r.tracking_no,
            query_code: r.query_code,
            received_on: r.received_on,
            due_on,
            provisional,
        }),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReplyView {
    pub outcome: String,
    pub outcome_label: String,
    pub group_label: String,
    pub replied_on: Option<NaiveDate>,
    pub notice_url: String,
}

/// What the applicant sees.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StatusView {
    pub tracking_no: String,
    pub state: String,
    pub state_label: &'static str,
    pub org_name: String,
    pub received_on: NaiveDate,
    pub clock: ClockView,
    pub timeline: Vec<TimelineEntry>,
    pub reply: Option<ReplyView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    staff: Option<StaffDetail>,
}

impl StatusView {
    /// The staff part, when present.
    pub fn staff_detail(&self) -> Option<StaffDetail> {
        self.staff.clone()
    }
}

/// What staff see besides.
pub type StaffView = StaffDetail;

/// What staff see besides.
#[derive(Serialize, Clone, utoipa::ToSchema)]
pub struct StaffDetail {
    pub applicant_type: String,
    pub applicant_type_label: &'static str,
    pub channel_label: &'static str,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub credit_code: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub description: String,
    pub doc_ref: String,
    pub form: String,
    pub channel: String,
    pub extension_days: i64,
    pub clarification_asked: bool,
    pub reason: String,
    pub fee_amount: i64,
    pub fee_basis: String,
    pub applicant_requests_this_month: i64,
}

impl StatusView {
    /// The reply deadline, if it can be told.
    /// The deadline as the applicant reads it (`（暂定）` when provisional).
    pub fn clock_due(&self) -> Option<String> {
        self.clock.due_on.map(|d| gongkai_core::request::due_label(d, self.clock.provisional))
    }

    /// The responsible org's name.
    pub fn org(&self) -> String {
        self.org_name.clone()
    }
}

pub async fn status_view(state: &AppState, r: &Request, staff: bool) -> Result<StatusView, AppError> {
    let cal = state.calendar().await?;
    let pauses = state.store.request_pauses(r.id).await?;
    let events = state.store.request_events(r.id).await?;
    let org = state.store.org_by_id(r.org_id).await?.map(|o| o.name).unwrap_or_default();
    let reply = r.outcome().map(|o| ReplyView {
        outcome: o.code.to_string(),
        outcome_label: o.label.to_string(),
        group_label: o.group.label().to_string(),
        replied_on: r.replied_on,
        notice_url: format!("/requests/{}/notice", r.tracking_no),
    });
    let staff = if staff {
        Some(StaffDetail {
            applicant_type: r.applicant_type.clone(),
            applicant_type_label: r.applicant_type().label(),
            channel_label: Channel::parse(&r.channel).map(|c| c.label()).unwrap_or("其他"),
            name: r.name.clone(),
            id_type: r.id_type.clone(),
            id_number: r.id_number.clone(),
            credit_code: r.credit_code.clone(),
            phone: r.phone.clone(),
            email: r.email.clone(),
            address: r.address.clone(),
            description: r.description.clone(),
            doc_ref: r.doc_ref.clone(),
            form: r.form.clone(),
            channel: r.channel.clone(),
            extension_days: r.extension_days,
            clarification_asked: r.clarification_asked,
            reason: r.reason.clone(),
            fee_amount: r.fee_amount,
            fee_basis: r.fee_basis.clone(),
            applicant_requests_this_month: state.store.applicant_month_count(r).await?,
        })
    } else {
        None
    };
    Ok(StatusView {
        tracking_no: r.tracking_no.clone(),
        state: r.state.clone(),
        state_label: state_label(r),
        org_name: org,
        received_on: r.received_on,
        clock: clock_view(&cal, r, &pauses, state.today()),
        timeline: timeline(&events),
        reply,
        staff,
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CodeQuery {
    /// 查询码（公众必填）.
    code: Option<String>,
}

/// A request that staff may see (own org or supervised).
pub async fn staff_request(state: &AppState, actor: &Actor, tracking_no: &str) -> Result<Request, AppError> {
    let not_found = || AppError::NotFound("申请".into());
    let r = state.store.request_by_tracking(tracking_no).await?.ok_or_else(not_found)?;
    let org = state.store.org_by_id(r.org_id).await?.ok_or_else(not_found)?;
    actor.may_supervise(&org.path).map_err(|_| not_found())?;
    Ok(r)
}

/// 查询申请办理情况：公众凭申请编号和查询码；工作人员凭令牌。
#[utoipa::path(get, path = "/requests/{tracking_no}", tag = "requests", params(("tracking_no" = String, Path, description = "申请编号"), CodeQuery),
    responses((status = 200, body = StatusView), (status = 404, description = "编号或查询码不正确", body = super::ErrorBody), (status = 429, body = super::ErrorBody)))]
async fn status(
    State(state): State<AppState>,
    actor: Option<ApiActor>,
    ClientIp(ip): ClientIp,
    Path(tracking_no): Path<String>,
    ApiQuery(q): ApiQuery<CodeQuery>,
) -> Result<Json<StatusView>, ApiError> {
    if let Some(ApiActor(actor)) = actor {
        let r = staff_request(&state, &actor, &tracking_no).await?;
        return Ok(Json(status_view(&state, &r, true).await?));
    }
    if state.status_limiter.check_key(&ip).is_err() {
        return Err(AppError::TooManyRequests.into());
    }
    let r = state
        .store
        .request_for_applicant(&tracking_no, q.code.as_deref().unwrap_or(""))
        .await?
        .ok_or_else(|| AppError::NotFound("申请（编号或查询码不正确）".into()))?;
    Ok(Json(status_view(&state, &r, false).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// 机关代码（默认本单位，含下级）.
    org: Option<String>,
    /// 只列未办结的（默认 true）.
    open: Option<bool>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WorkItem {
    pub tracking_no: String,
    pub org_name: String,
    pub applicant_type: String,
    pub description: String,
    pub state: String,
    pub state_label: &'static str,
    pub received_on: NaiveDate,
    pub clock: ClockView,
    /// Flags: `many_applicants` (3 or more requests for the same information: consider
    /// proactive disclosure, article 44), `frequent_applicant` (more than 10 this month),
    /// `clarify_warn` / `clarify_late` (article 30's 7 working days).
    pub flags: Vec<&'static str>,
}

/// 工作台：申请列表（按收到日期），含答复期限、剩余工作日和提示。
#[utoipa::path(get, path = "/requests", tag = "requests", security(("bearer" = [])), params(ListQuery), responses((status = 200, body = Vec<WorkItem>), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Vec<WorkItem>>, ApiError> {
    Ok(Json(workspace(&state, &actor, q.org.as_deref(), q.open.unwrap_or(true)).await?))
}

/// The workspace rows of the requests under an org the actor may supervise.
pub async fn workspace(
    state: &AppState,
    actor: &Actor,
    org: Option<&str>,
    open: bool,
) -> Result<Vec<WorkItem>, AppError> {
    let org = match org {
        Some(code) => {
            state.store.org_by_code(code).await?.ok_or_else(|| AppError::NotFound(format!("单位「{code}」")))?
        }
        None => state.store.org_by_id(actor.org_id).await?.ok_or(AppError::Unauthorized)?,
    };
    actor.may_supervise(&org.path)?;
    let cal = state.calendar().await?;
    let today = state.today();
    let all = state.store.requests_under(&org.path, false, 10_000).await?;
    let orgs = state.store.orgs().await?;
    // Applicants per piece of information (article 44), counted once for all rows.
    let mut applicants: std::collections::HashMap<String, std::collections::HashSet<&str>> = Default::default();
    for o in &all {
        let key = gongkai_core::request::same_information_key(&o.doc_ref, &o.description);
        applicants.entry(key).or_default().insert(o.name.as_str());
    }
    let mut rows = Vec::new();
    for r in all.iter().filter(|r| !open || r.state().is_open()) {
        let pauses = state.store.request_pauses(r.id).await?;
        let mut flags = Vec::new();
        let key = gongkai_core::request::same_information_key(&r.doc_ref, &r.description);
        if applicants.get(&key).map_or(0, |names| names.len()) >= 3 {
            flags.push("many_applicants");
        }
        if state.store.applicant_month_count(r).await? > 10 {
            flags.push("frequent_applicant");
        }
        if r.state() == gongkai_core::request::RequestState::Received && !r.clarification_asked {
            match gongkai_core::request::clarify_window(&cal, r.received_on, today) {
                Ok(gongkai_core::request::ClarifyWindow::Warn) => flags.push("clarify_warn"),
                Ok(gongkai_core::request::ClarifyWindow::Late) => flags.push("clarify_late"),
                _ => {}
            }
        }
        rows.push(WorkItem {
            tracking_no: r.tracking_no.clone(),
            org_name: orgs.iter().find(|o| o.id == r.org_id).map(|o| o.name.clone()).unwrap_or_default(),
            applicant_type: r.applicant_type().label().to_string(),
            description: r.description.chars().take(80).collect(),
            state: r.state.clone(),
            state_label: state_label(r),
            received_on: r.received_on,
            clock: clock_view(&cal, r, &pauses, today),
            flags,
        });
    }
    rows.sort_by_key(|w| (w.clock.days_left.unwrap_or(i64::MAX), w.received_on));
    Ok(rows)
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct StepBody {
    /// 日期（默认今天）：补正收到日、征求意见发出或收到日、缴费日、答复日.
    #[serde(default)]
    pub on: Option<NaiveDate>,
    /// 答复结果代码（reply）.
    #[serde(default)]
    pub outcome: Option<String>,
    /// 理由（答复、转办）.
    #[serde(default)]
    pub reason: String,
    /// 延长的工作日数（extend）.
    #[serde(default)]
    pub days: Option<u32>,
    /// 征求意见的对象.
    #[serde(default)]
    pub party: String,
    /// by_count 或 by_pages（fee）.
    #[serde(default)]
    pub fee_basis: Option<String>,
    /// 页数（按量收费）.
    #[serde(default)]
    pub pages: Option<u32>,
    /// 转办的目标机关代码；为空表示平台外机关.
    #[serde(default)]
    pub target_org: Option<String>,
    /// 备注.
    #[serde(default)]
    pub comment: String,
}

/// Turns a step name and its body into a step and its extras.
pub async fn parse_step(state: &AppState, r: &Request, name: &str, b: StepBody) -> Result<(Step, StepExtra), AppError> {
    let mut extra = StepExtra { on: b.on, party: b.party, comment: b.comment, ..Default::default() };
    let s = match name {
        "accept" => Step::Accept,
        "clarify" => Step::RequestClarification,
        "clarified" => Step::Clarified { received_on: b.on.unwrap_or_else(|| state.today()) },
        "clarification-lapsed" => Step::ClarificationLapsed,
        "consult" => Step::StartConsultation,
        "consulted" => Step::EndConsultation,
        "extend" => Step::Extend { days: b.days.unwrap_or(0) },
        "fee" => {
            let fee = match b.fee_basis.as_deref() {
                Some("by_count") => Fee::ByCount { nth: state.store.applicant_month_count(r).await?.max(1) as u32 },
                Some("by_pages") => Fee::ByPages {
                    pages: b.pages.ok_or_else(|| AppError::invalid("pages_required", "按量收费须填写页数"))?,
                },
                _ => {
                    return Err(AppError::invalid(
                        "invalid_fee_basis",
                        "收费方式须为 by_count（按件）或 by_pages（按量）",
                    ));
                }
            };
            extra.fee = Some(fee);
            Step::NotifyFee
        }
        "fee-paid" => Step::FeePaid,
        "fee-lapsed" => Step::FeeLapsed,
        "reply" => {
            let code = b.outcome.unwrap_or_default();
            let outcome = Outcome::parse(&code)
                .ok_or_else(|| AppError::invalid("invalid_outcome", format!("答复结果「{code}」无效")))?;
            Step::Reply { outcome, reason: b.reason }
        }
        "close" => Step::Close,
        "transfer" => {
            let target = match b.target_org.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(code) => Some(
                    state
                        .store
                        .org_by_code(code)
                        .await?
                        .ok_or_else(|| AppError::invalid("unknown_org", format!("单位「{code}」不存在")))?
                        .id,
                ),
                None => None,
            };
            extra.target_org = target;
            Step::Transfer { inside: target.is_some(), reason: b.reason }
        }
        "withdraw" => Step::Withdraw,
        other => return Err(AppError::NotFound(format!("办理步骤「{other}」"))),
    };
    Ok((s, extra))
}

/// 办理步骤：accept、clarify、clarified、clarification-lapsed、consult、consulted、extend（审批人）、fee、fee-paid、fee-lapsed、reply、close、transfer、withdraw。
#[utoipa::path(post, path = "/requests/{tracking_no}/{step}", tag = "requests", security(("bearer" = [])),
    params(("tracking_no" = String, Path, description = "申请编号"), ("step" = String, Path, description = "步骤")),
    request_body(content = StepBody, description = "可省略"),
    responses((status = 200, body = StatusView), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn apply_step(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    Path((tracking_no, step_name)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Json<StatusView>, ApiError> {
    let r = staff_request(&state, &actor, &tracking_no).await?;
    let b: StepBody = super::items::optional_json(&body)?;
    let (s, extra) = parse_step(&state, &r, &step_name, b).await?;
    let ctx = audit_ctx(&actor, ip);
    let r = state.store.apply_request_step(&ctx, &actor, r.id, s, extra).await?;
    Ok(Json(status_view(&state, &r, true).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct RemedyBody {
    /// review, litigation_direct, litigation_after_review.
    kind: String,
    #[serde(default)]
    body: String,
    filed_on: NaiveDate,
    /// upheld, corrected, other, pending.
    result: String,
    decided_on: Option<NaiveDate>,
    #[serde(default)]
    note: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct RemedyView {
    id: i64,
    kind: String,
    result: String,
    filed_on: NaiveDate,
}

/// 登记行政复议或行政诉讼。
#[utoipa::path(post, path = "/requests/{tracking_no}/remedies", tag = "requests", security(("bearer" = [])), params(("tracking_no" = String, Path, description = "申请编号")), request_body = RemedyBody,
    responses((status = 201, body = RemedyView), (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn add_remedy(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    Path(tracking_no): Path<String>,
    ApiJson(b): ApiJson<RemedyBody>,
) -> Result<(StatusCode, Json<RemedyView>), ApiError> {
    let r = staff_request(&state, &actor, &tracking_no).await?;
    let org = state.store.org_by_id(r.org_id).await?.ok_or(AppError::Unauthorized)?;
    actor.may_work_in(Role::RequestHandler, &org.path)?;
    let ctx = audit_ctx(&actor, ip);
    let m = state
        .store
        .add_remedy(
            &ctx,
            r.id,
            NewRemedy {
                kind: b.kind,
                body: b.body,
                filed_on: b.filed_on,
                result: b.result,
                decided_on: b.decided_on,
                note: b.note,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(RemedyView { id: m.id, kind: m.kind, result: m.result, filed_on: m.filed_on })))
}
