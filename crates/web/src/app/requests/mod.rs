//! Information requests (依申请公开), the use cases: filing online and recording letters and
//! visits, what the applicant and staff see of a request, the workspace, the handling steps
//! and review/litigation records. The API, the portal and the console call these; none of
//! them calls another.

pub mod notices;
pub mod records;
pub mod view;

pub use view::*;

use crate::{AppError, AppState};
use chrono::NaiveDate;
use gongkai_core::index_no::beijing_date;
use gongkai_core::report::{RemedyKind, RemedyResult};
use gongkai_core::request::{ApplicantKey, Channel, FeeChoice, Outcome, ReceiptFacts, Step, receipt_date};
use gongkai_core::{Actor, Role};
pub use gongkai_store::Remedy;
use gongkai_store::{AuditCtx, NewRemedy, NewRequest, Org, Request, StepExtra};
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
/// What a filing answers: the numbers the applicant follows it with, and the deadline.
pub struct Filed {
    pub tracking_no: String,
    pub query_code: String,
    pub received_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    /// 答复期限为暂定：所在年度的节假日安排尚未公布，按法定节假日推算。
    pub provisional: bool,
}

/// The org a filing goes to: the one named, or (not sure) the platform's first top-level org,
/// whose disclosure office routes it on.
pub async fn target_org(state: &AppState, code: &str) -> Result<Org, AppError> {
    if !code.trim().is_empty() {
        let refuse = |message: String| AppError::Detailed {
            status: 422,
            code: "invalid_fields",
            message: "申请有 1 处需要修改".into(),
            details: crate::error::Details::Fields(vec![FieldError { field: "org", message }]),
        };
        let org = state.store.org_by_code(code).await?.ok_or_else(|| refuse(format!("机关「{code}」不存在")))?;
        // A villagers' committee is not an administrative organ (条例 第二条): its affairs
        // are published under 村务公开, not answered as information requests.
        if org.kind == gongkai_core::OrgKind::Village {
            return Err(refuse(format!(
                "{}不是行政机关，不受理政府信息公开申请；村务信息请向所在乡镇人民政府申请",
                org.name
            )));
        }
        return Ok(org);
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
    notices::issue_due(state, &r).await?;
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
        applicant: gongkai_core::request::Applicant {
            kind: applicant_type,
            name: f.name,
            id_type: f.id_type,
            id_number: f.id_number.trim().to_ascii_uppercase(),
            credit_code: f.credit_code.trim().to_ascii_uppercase(),
            legal_rep: f.legal_rep,
            contact_person: f.contact_person,
            phone: f.phone,
            email: f.email,
            address: f.address,
            postcode: f.postcode.trim().to_string(),
        },
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

#[derive(Deserialize, utoipa::ToSchema)]
/// A letter, visit, fax or e-mail recorded by staff, with its article 31 receipt facts.
pub struct RecordBody {
    #[serde(flatten)]
    pub filing: FilingInput,
    /// in_person, registered_post, ordinary_letter, fax, email.
    pub channel: String,
    pub submitted_on: Option<NaiveDate>,
    /// 邮寄：签收日期.
    pub signed_on: Option<NaiveDate>,
    /// 平常信函、传真、电子邮件：确认日期.
    pub confirmed_on: Option<NaiveDate>,
}

/// Records a request that came by letter, visit, fax or e-mail, its receipt date fixed by
/// article 31 from the channel's facts.
pub async fn record(state: &AppState, actor: &Actor, ctx: &AuditCtx, body: RecordBody) -> Result<Filed, AppError> {
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
        target_org(state, &body.filing.org).await?
    };
    actor.may_work_in(Role::RequestHandler, &org.path)?;
    let new = new_request(body.filing, checked.applicant_type, org.id, channel, received_on, None, state.now());
    let (r, _) = state.store.file_request(ctx, new).await?;
    notices::issue_due(state, &r).await?;
    filed(state, r).await
}

/// The answer to a filing.
pub async fn filed(state: &AppState, r: Request) -> Result<Filed, AppError> {
    let (due_on, provisional) = due_of(state, &r).await?;
    Ok(Filed { tracking_no: r.tracking_no, query_code: r.query_code, received_on: r.received_on, due_on, provisional })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReplyView {
    pub outcome: String,
    pub outcome_label: String,
    /// What the outcome means, in words for the applicant.
    pub explained: &'static str,
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
    /// The files released with the reply (downloaded with the query code).
    pub files: Vec<FileView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    staff: Option<StaffDetail>,
}

/// A file released with a reply.
#[derive(Serialize, Clone, utoipa::ToSchema)]
pub struct FileView {
    pub id: i64,
    pub name: String,
    pub size: i64,
}

/// A notice as issued.
#[derive(Serialize, Clone, utoipa::ToSchema)]
pub struct IssuedView {
    pub kind: String,
    pub title: &'static str,
    pub seq: i64,
    pub doc_no: String,
    pub issued_on: NaiveDate,
}

/// A 送达 record.
#[derive(Serialize, Clone, utoipa::ToSchema)]
pub struct DeliveryView {
    pub method: String,
    pub method_label: &'static str,
    pub delivered_on: NaiveDate,
    pub proof: String,
    pub recorded_by: String,
}

impl From<gongkai_store::Delivery> for DeliveryView {
    fn from(d: gongkai_store::Delivery) -> Self {
        DeliveryView {
            method: d.method.as_str().to_string(),
            method_label: d.method.label(),
            delivered_on: d.delivered_on,
            proof: d.proof,
            recorded_by: d.recorded_by,
        }
    }
}

/// A reply waiting for sign-off.
#[derive(Serialize, Clone, utoipa::ToSchema)]
pub struct ProposalView {
    pub outcome: String,
    pub outcome_label: String,
    pub reason: String,
    pub proposed_on: Option<NaiveDate>,
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
    /// The applicant's personal data is masked: the viewer neither handles the request nor
    /// is the disclosure office over it.
    pub masked: bool,
    /// The notices issued, in order, with their numbers.
    pub notices: Vec<IssuedView>,
    pub deliveries: Vec<DeliveryView>,
    pub proposal: Option<ProposalView>,
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

/// A request as the applicant (`staff` None) or a staff member sees it. Staff who neither
/// handle it nor route it as the disclosure office see the applicant's personal data masked;
/// every unmasked view is written to the audit trail.
pub async fn status_view(
    state: &AppState,
    r: &Request,
    staff: Option<(&Actor, &AuditCtx)>,
) -> Result<StatusView, AppError> {
    let cal = state.calendar().await?;
    let pauses = state.store.request_pauses(r.id).await?;
    let events = state.store.request_events(r.id).await?;
    let org = state.store.org_by_id(r.org_id).await?;
    let reply = r.outcome().map(|o| ReplyView {
        outcome: o.code.to_string(),
        outcome_label: o.plain_label().to_string(),
        explained: o.explained(),
        group_label: o.group.label().to_string(),
        replied_on: r.replied_on,
        notice_url: format!("/requests/{}/notice", r.tracking_no),
    });
    let files = if r.outcome().is_some() || staff.is_some() {
        state
            .store
            .request_files(r.id)
            .await?
            .into_iter()
            .map(|f| FileView { id: f.id, name: f.name, size: f.size })
            .collect()
    } else {
        Vec::new()
    };
    let staff = match staff {
        Some((actor, ctx)) => {
            let masked = org.as_ref().is_none_or(|o| actor.may_route(&o.path).is_err());
            let a = if masked { r.applicant().masked() } else { r.applicant() };
            if !masked {
                state.store.audit_event(ctx, "request.applicant_view", "request", &r.tracking_no).await?;
            }
            let notices = notices::issue_due(state, r)
                .await?
                .into_iter()
                .map(|n| IssuedView {
                    title: gongkai_core::notice::NoticeKind::parse(&n.kind).map(|k| k.title()).unwrap_or("文书"),
                    kind: n.kind,
                    seq: n.seq,
                    doc_no: n.doc_no,
                    issued_on: n.issued_on,
                })
                .collect();
            let deliveries = state.store.deliveries(r.id).await?.into_iter().map(DeliveryView::from).collect();
            let proposal = r.proposal().map(|p| ProposalView {
                outcome: p.outcome.code.to_string(),
                outcome_label: p.outcome.plain_label().to_string(),
                reason: p.reason,
                proposed_on: r.proposed_on,
            });
            Some(StaffDetail {
                applicant_type: r.applicant_type.as_str().to_string(),
                applicant_type_label: r.applicant_type().label(),
                channel_label: r.channel.label(),
                name: a.name,
                id_type: a.id_type,
                id_number: a.id_number,
                credit_code: a.credit_code,
                phone: a.phone,
                email: a.email,
                address: a.address,
                description: r.description.clone(),
                doc_ref: r.doc_ref.clone(),
                form: r.form.clone(),
                channel: r.channel.as_str().to_string(),
                extension_days: r.extension_days,
                clarification_asked: r.clarification_asked,
                reason: r.reason.clone(),
                fee_amount: r.fee_amount,
                fee_basis: r.fee_basis.clone(),
                applicant_requests_this_month: state.store.applicant_month_count(r).await?,
                masked,
                notices,
                deliveries,
                proposal,
            })
        }
        None => None,
    };
    Ok(StatusView {
        tracking_no: r.tracking_no.clone(),
        state: r.state.as_str().to_string(),
        state_label: state_label(r),
        org_name: org.map(|o| o.name).unwrap_or_default(),
        received_on: r.received_on,
        clock: clock_view(&cal, r, &pauses, state.today()),
        timeline: timeline(&events, staff.is_some()),
        reply,
        files,
        staff,
    })
}

/// A request that staff may see (own org or supervised).
pub async fn staff_request(state: &AppState, actor: &Actor, tracking_no: &str) -> Result<Request, AppError> {
    let not_found = || AppError::NotFound("申请".into());
    let r = state.store.request_by_tracking(tracking_no).await?.ok_or_else(not_found)?;
    let org = state.store.org_by_id(r.org_id).await?.ok_or_else(not_found)?;
    actor.may_supervise(&org.path).map_err(|_| not_found())?;
    Ok(r)
}

/// The request a member of the public follows with its tracking number and query code (a
/// wrong code answers like an unknown number).
pub async fn for_applicant(state: &AppState, tracking_no: &str, code: &str) -> Result<StatusView, AppError> {
    let r = state
        .store
        .request_for_applicant(tracking_no, code)
        .await?
        .ok_or_else(|| AppError::NotFound("申请（编号或查询码不正确）".into()))?;
    status_view(state, &r, None).await
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
    /// `clarify_warn` / `clarify_late` (article 30's 7 working days), `to_route` (the org has
    /// no request handler: the disclosure office routes it, e.g. a filing marked 不确定).
    pub flags: Vec<&'static str>,
}

/// The open requests of an org and below, counted for the dashboard: past their deadline,
/// near it, all open, and open in an org with no request handler (待分办).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenCounts {
    pub overdue: usize,
    pub near: usize,
    pub open: usize,
    pub to_route: usize,
}

/// Counts every open request of the actor's org and below — the workspace lists at most
/// 10,000 — from the requests' clocks alone, without their applicants or texts.
pub async fn open_counts(state: &AppState, actor: &Actor) -> Result<OpenCounts, AppError> {
    let org = state.store.org_by_id(actor.org_id).await?.ok_or(AppError::Unauthorized)?;
    actor.may_supervise(&org.path)?;
    let cal = state.calendar().await?;
    let today = state.today();
    let handled = state.store.orgs_with_handlers().await?;
    // Counted in SQL from the clocks (a city's open requests read one by one were seconds).
    let mut counts = OpenCounts::default();
    for (org_id, c) in state.store.request_counts_under(&org, &cal, (today, today, today)).await? {
        let n = |v: i64| usize::try_from(v).unwrap_or(0);
        counts.open += n(c.open);
        counts.overdue += n(c.overdue);
        counts.near += n(c.near);
        if !handled.contains(&org_id) {
            counts.to_route += n(c.open);
        }
    }
    Ok(counts)
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
    let pauses_of = state.store.request_pauses_under(&org.path).await?;
    let handled = state.store.orgs_with_handlers().await?;
    let orgs = state.store.orgs().await?;
    // Applicants per piece of information (article 44), counted once for all rows.
    let mut applicants: std::collections::HashMap<String, std::collections::HashSet<ApplicantKey>> = Default::default();
    for o in &all {
        let key = gongkai_core::request::same_information_key(&o.doc_ref, &o.description);
        applicants.entry(key).or_default().insert(o.applicant_key());
    }
    let shown: Vec<&Request> = all.iter().filter(|r| !open || r.state().is_open()).collect();
    let month_counts = state.store.applicant_month_counts(&shown).await?;
    let mut rows = Vec::new();
    for r in shown {
        let pauses = pauses_of.get(&r.id).map(Vec::as_slice).unwrap_or_default();
        let mut flags = Vec::new();
        let key = gongkai_core::request::same_information_key(&r.doc_ref, &r.description);
        if applicants.get(&key).map_or(0, |who| who.len()) >= gongkai_core::request::MANY_APPLICANTS {
            flags.push("many_applicants");
        }
        if r.state().is_open() && !handled.contains(&r.org_id) {
            flags.push("to_route");
        }
        if month_counts.get(&r.id).copied().unwrap_or(0) > gongkai_core::request::FREE_REQUESTS_PER_MONTH {
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
            state: r.state.as_str().to_string(),
            state_label: state_label(r),
            received_on: r.received_on,
            clock: clock_view(&cal, r, pauses, today),
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
pub async fn parse_step(state: &AppState, name: &str, b: StepBody) -> Result<(Step, StepExtra), AppError> {
    let mut extra = StepExtra {
        on: b.on,
        party: b.party,
        comment: b.comment,
        sign_off: state.config.sign_off_outcomes.clone(),
        ..Default::default()
    };
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
                Some("by_count") => FeeChoice::ByCount,
                Some("by_pages") => FeeChoice::ByPages {
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
        "sign" => Step::SignOff,
        "return" => Step::ReturnReply,
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

/// Applies a handling step named `name` to a request the actor may see, and answers the
/// staff view of it after.
pub async fn apply_step(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    tracking_no: &str,
    name: &str,
    body: StepBody,
) -> Result<StatusView, AppError> {
    let r = staff_request(state, actor, tracking_no).await?;
    let (s, extra) = parse_step(state, name, body).await?;
    let r = state.store.apply_request_step(ctx, actor, r.id, s, extra).await?;
    // The staff view issues the notices the step reached (`notices::issue_due`).
    status_view(state, &r, Some((actor, ctx))).await
}

/// The name of a step in URLs and forms (`/steps/{name}`), the inverse of [`parse_step`].
pub fn step_path(s: &Step) -> &'static str {
    match s {
        Step::Accept => "accept",
        Step::RequestClarification => "clarify",
        Step::Clarified { .. } => "clarified",
        Step::ClarificationLapsed => "clarification-lapsed",
        Step::StartConsultation => "consult",
        Step::EndConsultation => "consulted",
        Step::Extend { .. } => "extend",
        Step::NotifyFee => "fee",
        Step::FeePaid => "fee-paid",
        Step::FeeLapsed => "fee-lapsed",
        Step::Reply { .. } => "reply",
        Step::SignOff => "sign",
        Step::ReturnReply => "return",
        Step::Close => "close",
        Step::Transfer { .. } => "transfer",
        Step::Withdraw => "withdraw",
    }
}

/// The steps the actor may take on a request now, next expected first (`core::request::
/// allowed_steps`), by their names in URLs.
pub async fn allowed(state: &AppState, actor: &Actor, r: &Request, org: &Org) -> Result<Vec<&'static str>, AppError> {
    let cal = state.calendar().await?;
    let today = state.today();
    let facts = gongkai_core::request::RequestFacts {
        state: r.state(),
        org_path: &org.path,
        clarification_asked: r.clarification_asked,
        extension_days: u32::try_from(r.extension_days).unwrap_or(0),
        received_on: r.received_on,
        today,
        clarify_late: gongkai_core::request::clarify_window(&cal, r.received_on, today)
            == Ok(gongkai_core::request::ClarifyWindow::Late),
        applicant_nth_this_month: 1,
        sign_off: &state.config.sign_off_outcomes,
        proposal: r.proposal(),
        // An extension is offered even after the period: a letter sent in time may be
        // recorded later, and the step itself refuses one dated after it.
        due_on: None,
    };
    Ok(gongkai_core::request::allowed_steps(&facts, actor).iter().map(step_path).collect())
}

#[derive(Deserialize, utoipa::ToSchema)]
/// A review or lawsuit recorded against a request.
pub struct RemedyBody {
    /// review, litigation_direct, litigation_after_review.
    pub kind: String,
    #[serde(default)]
    pub body: String,
    pub filed_on: NaiveDate,
    /// upheld, corrected, other, pending.
    pub result: String,
    pub decided_on: Option<NaiveDate>,
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize, utoipa::ToSchema)]
/// A recorded remedy.
pub struct RemedyView {
    pub id: i64,
    pub kind: String,
    pub result: String,
    pub filed_on: NaiveDate,
}

impl RemedyBody {
    /// The typed record, or the field errors.
    fn parse(self) -> Result<NewRemedy, AppError> {
        let kind = RemedyKind::parse(&self.kind);
        let result = RemedyResult::parse(&self.result);
        let mut errors = Vec::new();
        if kind.is_none() {
            errors.push((
                "kind",
                format!("类型「{}」无效，可选：{}", self.kind, codes(RemedyKind::ALL.iter().map(|k| k.as_str()))),
            ));
        }
        if result.is_none() {
            errors.push((
                "result",
                format!("结果「{}」无效，可选：{}", self.result, codes(RemedyResult::ALL.iter().map(|k| k.as_str()))),
            ));
        }
        let (Some(kind), Some(result)) = (kind, result) else {
            return Err(AppError::invalid_fields("invalid_remedy", errors));
        };
        Ok(NewRemedy {
            kind,
            body: self.body,
            filed_on: self.filed_on,
            result,
            decided_on: self.decided_on,
            note: self.note,
        })
    }
}

fn codes<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join("、")
}

/// The request as its handler may record remedies on it.
async fn handled_request(state: &AppState, actor: &Actor, tracking_no: &str) -> Result<Request, AppError> {
    let r = staff_request(state, actor, tracking_no).await?;
    let org = state.store.org_by_id(r.org_id).await?.ok_or(AppError::Unauthorized)?;
    actor.may_work_in(Role::RequestHandler, &org.path)?;
    Ok(r)
}

/// Records an administrative review or a lawsuit against a request's handling.
pub async fn add_remedy(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    tracking_no: &str,
    b: RemedyBody,
) -> Result<RemedyView, AppError> {
    let r = handled_request(state, actor, tracking_no).await?;
    let m = state.store.add_remedy(ctx, r.id, b.parse()?).await?;
    Ok(RemedyView { id: m.id, kind: m.kind.as_str().into(), result: m.result.as_str().into(), filed_on: m.filed_on })
}

/// Records how a review or lawsuit ended.
pub async fn decide_remedy(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    tracking_no: &str,
    remedy: i64,
    result: &str,
    decided_on: Option<NaiveDate>,
) -> Result<(), AppError> {
    let r = handled_request(state, actor, tracking_no).await?;
    let result = RemedyResult::parse(result)
        .ok_or_else(|| AppError::invalid_field("invalid_remedy", "result", "请选择审结结果"))?;
    state.store.decide_remedy(ctx, r.id, remedy, result, decided_on).await?;
    Ok(())
}

/// A request as its handling page needs it: what the staff member may do to it, where it
/// may be transferred, its remedies.
pub struct Handling {
    pub request: Request,
    pub org: Org,
    /// Its clock has been paused (a clarification or consultation happened).
    pub has_pause: bool,
    pub may_handle: bool,
    /// May grant an extension (an approver over its org).
    pub may_extend: bool,
    /// May transfer it (its handlers, or the disclosure office above it).
    pub may_route: bool,
    /// The orgs it can be transferred to.
    pub route_to: Vec<Org>,
    pub remedies: Vec<Remedy>,
    /// May propose what it disclosed for proactive publication (article 44).
    pub may_propose: bool,
    /// The steps the actor may take now, next expected first.
    pub steps: Vec<&'static str>,
}

/// A request with what the staff member may do to it.
pub async fn handling(state: &AppState, actor: &Actor, tracking_no: &str) -> Result<Handling, AppError> {
    let request = staff_request(state, actor, tracking_no).await?;
    let org = state.store.org_by_id(request.org_id).await?.ok_or_else(|| AppError::NotFound("单位".into()))?;
    let has_pause = !state.store.request_pauses(request.id).await?.is_empty();
    let may_handle = actor.may_work_in(Role::RequestHandler, &org.path).is_ok();
    let route_to = state
        .store
        .orgs()
        .await?
        .into_iter()
        .filter(|o| o.id != org.id && o.kind != gongkai_core::OrgKind::Village)
        .collect();
    let steps = allowed(state, actor, &request, &org).await?;
    Ok(Handling {
        steps,
        has_pause,
        may_handle,
        may_extend: actor.may_work_in(Role::Approver, &org.path).is_ok(),
        may_route: actor.may_route(&org.path).is_ok(),
        route_to,
        remedies: state.store.remedies(request.id).await?,
        may_propose: may_handle && gongkai_core::request::Outcome::code_disclosed_it(request.outcome.as_deref()),
        request,
        org,
    })
}

/// Proposes what a request disclosed for proactive publication (article 44): a draft item
/// for the org's editors; answers its id.
pub async fn propose(state: &AppState, actor: &Actor, ctx: &AuditCtx, tracking_no: &str) -> Result<i64, AppError> {
    let r = staff_request(state, actor, tracking_no).await?;
    Ok(state.store.propose_from_request(ctx, actor, r.id).await?.id)
}
