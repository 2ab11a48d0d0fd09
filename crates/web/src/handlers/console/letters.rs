//! Letters in the console: the workspace (open letters by deadline, the long-open alarm), a
//! letter with its writer, timeline and only the steps core allows this staff member now,
//! the steps themselves, FAQ promotion, and the administrators' mailbox settings.

use crate::app::letters::{
    self, HandOffRoute, InvalidGround, LetterStep, LetterView, MailboxInput, MailboxKind, MailboxView, WorkspaceLetter,
};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/letters.html")]
pub struct ListPage {
    pub csrf: String,
    pub letters: Vec<WorkspaceLetter>,
    pub open_only: bool,
    pub alarm_days: i64,
}

#[derive(Deserialize)]
pub struct ListQuery {
    all: Option<String>,
    /// Only the letters with this org (the supervision page's drill-down).
    org: Option<String>,
}

/// `/admin/letters`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, PageError> {
    let open_only = q.all.is_none();
    let mut letters = letters::workspace(&state, &staff.actor, open_only).await?;
    if let Some(code) = q.org.as_deref().filter(|c| !c.is_empty()) {
        letters.retain(|l| l.org_code == code);
    }
    Ok(ListPage { csrf: staff.csrf.clone(), letters, open_only, alarm_days: letters::ALARM_DAYS })
}

#[derive(Template, WebTemplate)]
#[template(path = "console/letter.html")]
pub struct LetterPage {
    pub csrf: String,
    pub v: LetterView,
    pub steps: Vec<&'static str>,
    pub targets: Vec<(i64, String)>,
    pub grounds: &'static [InvalidGround],
    pub routes: &'static [HandOffRoute],
    pub message: Option<String>,
}

impl LetterPage {
    fn may(&self, step: &str) -> bool {
        self.steps.contains(&step)
    }
}

async fn letter_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    message: Option<String>,
) -> Result<LetterPage, AppError> {
    let v = letters::for_staff(state, &staff.actor, id).await?;
    let (steps, targets) = v.staff.as_ref().map(|s| (s.steps.clone(), s.targets.clone())).unwrap_or_default();
    Ok(LetterPage {
        csrf: staff.csrf.clone(),
        v,
        steps,
        targets,
        grounds: InvalidGround::ALL,
        routes: HandOffRoute::ALL,
        message,
    })
}

/// `/admin/letters/{id}`.
pub async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<LetterPage, PageError> {
    Ok(letter_page(&state, &staff, id, None).await?)
}

#[derive(Deserialize)]
pub struct StepForm {
    csrf: String,
    step: String,
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    public: Option<String>,
    #[serde(default)]
    ground: String,
    #[serde(default)]
    route: String,
    #[serde(default)]
    days: String,
}

fn step_of(f: &StepForm) -> Result<LetterStep, AppError> {
    let org_id = || f.org_id.trim().parse::<i64>().map_err(|_| AppError::invalid("invalid_target", "请选择单位"));
    Ok(match f.step.as_str() {
        "assign" => LetterStep::Assign { org_id: org_id()? },
        "transfer" => LetterStep::Transfer { org_id: org_id()?, reason: f.reason.clone() },
        "close_invalid" => LetterStep::CloseInvalid {
            ground: InvalidGround::parse(&f.ground)
                .ok_or_else(|| AppError::invalid("invalid_ground", "请选择不予受理的理由"))?,
            reason: f.reason.clone(),
        },
        "hand_off" => LetterStep::HandOff {
            route: HandOffRoute::parse(&f.route).ok_or_else(|| AppError::invalid("invalid_route", "请选择转办渠道"))?,
            reason: f.reason.clone(),
        },
        "draft_reply" => LetterStep::DraftReply { text: f.text.clone(), public: f.public.is_some() },
        "approve_reply" => LetterStep::ApproveReply,
        "return_reply" => LetterStep::ReturnReply { reason: f.reason.clone() },
        "extend" => LetterStep::Extend {
            days: f.days.trim().parse().map_err(|_| AppError::invalid("invalid_days", "请填写延长的工作日数"))?,
            reason: f.reason.clone(),
        },
        _ => return Err(AppError::invalid("unknown_step", "未知的办理步骤")),
    })
}

/// `POST /admin/letters/{id}/steps`: a step; a refusal is shown on the letter's page.
pub async fn step(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = match step_of(&f) {
        Ok(step) => letters::step(&state, &staff.actor, &audit_ctx(&staff.actor, ip), id, step).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/letters/{id}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, letter_page(&state, &staff, id, Some(e.to_string())).await?).into_response())
        }
    }
}

/// `/admin/letters/{id}/files/{file}`: an attachment, for staff who may see the letter.
pub async fn file(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let (f, bytes) = letters::file_for_staff(&state, &staff.actor, id, file).await?;
    Ok(crate::handlers::files::serve_bytes(f.id, &f.name, &f.mime, bytes, "private, no-store"))
}

#[derive(Deserialize)]
pub struct FaqForm {
    csrf: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    answer: String,
}

/// `POST /admin/letters/{id}/faq`.
pub async fn promote(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<FaqForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    let message = match letters::promote_faq(&state, &staff.actor, &ctx, id, &f.topic, &f.question, &f.answer).await {
        Ok(_) => "已选入常见问题知识库。".to_string(),
        Err(e) if e.form_refusal_status().is_some() => e.to_string(),
        Err(e) => return Err(e.into()),
    };
    Ok(letter_page(&state, &staff, id, Some(message)).await?.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "console/mailboxes.html")]
pub struct MailboxesPage {
    pub csrf: String,
    pub mailboxes: Vec<MailboxView>,
    pub orgs: Vec<(String, String)>,
    pub kinds: &'static [MailboxKind],
    pub message: Option<String>,
}

async fn mailboxes_page(state: &AppState, staff: &Staff, message: Option<String>) -> Result<MailboxesPage, AppError> {
    let orgs = crate::app::orgs::overseen(state, &staff.actor)
        .await?
        .into_iter()
        .filter(|o| staff.actor.may_administer(&o.path).is_ok())
        .map(|o| (o.code().to_string(), o.name))
        .collect();
    Ok(MailboxesPage {
        csrf: staff.csrf.clone(),
        mailboxes: letters::mailboxes_to_configure(state, &staff.actor).await?,
        orgs,
        kinds: MailboxKind::ALL,
        message,
    })
}

/// `/admin/mailboxes`.
pub async fn mailboxes(State(state): State<AppState>, staff: Staff) -> Result<MailboxesPage, PageError> {
    Ok(mailboxes_page(&state, &staff, None).await?)
}

#[derive(Deserialize)]
pub struct MailboxForm {
    csrf: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    reply_days: String,
    #[serde(default)]
    public_default: Option<String>,
    #[serde(default)]
    intro: String,
    #[serde(default)]
    active: Option<String>,
}

fn mailbox_input(f: &MailboxForm, active: bool) -> Result<MailboxInput, AppError> {
    let kind = MailboxKind::parse(&f.kind).ok_or_else(|| AppError::invalid("invalid_kind", "请选择信箱类型"))?;
    let reply_days = match f.reply_days.trim() {
        "" => kind.default_days(),
        d => d.parse().map_err(|_| AppError::invalid("invalid_days", "答复期限须为工作日数"))?,
    };
    Ok(MailboxInput {
        kind,
        name: f.name.clone(),
        reply_days,
        public_default: f.public_default.is_some(),
        intro: f.intro.clone(),
        active,
    })
}

/// `POST /admin/mailboxes`: opens a mailbox.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<MailboxForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    let result = match mailbox_input(&f, true) {
        Ok(input) => letters::create_mailbox(&state, &staff.actor, &ctx, &f.org, input).await.map(|_| ()),
        Err(e) => Err(e),
    };
    respond(&state, &staff, result, "信箱已开设。").await
}

/// `POST /admin/mailboxes/{id}`: changes a mailbox.
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<MailboxForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    let result = match mailbox_input(&f, f.active.is_some()) {
        Ok(input) => letters::update_mailbox(&state, &staff.actor, &ctx, id, input).await.map(|_| ()),
        Err(e) => Err(e),
    };
    respond(&state, &staff, result, "信箱设置已保存。").await
}

async fn respond(
    state: &AppState,
    staff: &Staff,
    result: Result<(), AppError>,
    done: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(mailboxes_page(state, staff, Some(done.to_string())).await?.into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, mailboxes_page(state, staff, Some(e.to_string())).await?).into_response())
        }
    }
}
