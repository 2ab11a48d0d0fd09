//! Mailboxes and letters (领导信箱, 咨询, 投诉, 建议), the use cases: the public form and its
//! confirmation, what the writer sees with the query code and their rating, the public list
//! of replied letters (personal data masked), each mailbox's published figures, the FAQ and
//! similar questions; for staff the workspace, a letter with the steps they may take, the
//! steps, mailbox settings, and the alarms the dashboards raise. The rules are
//! `core::letter` and the clock `core::clock`.

use crate::{AppError, AppState};
use chrono::{Datelike, NaiveDate};
use gongkai_core::calendar::Calendar;
use gongkai_core::clock::{LONG_OPEN_DAYS, Urgency, long_open, open_days};
pub use gongkai_core::letter::{
    HandOffRoute, InvalidGround, LetterState, LetterStep, MailboxFigures, MailboxKind, Satisfaction, step_label,
};
use gongkai_core::letter::{LetterInput, check_letter, masked_name, public_text};
use gongkai_core::{Actor, Role};
use gongkai_store::{AuditCtx, NewLetter, Org};
pub use gongkai_store::{FaqEntry, Letter, LetterRow, Mailbox, MailboxInput};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What the writer fills in.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct LetterForm {
    /// The mailbox written to.
    #[serde(default, deserialize_with = "crate::util::lenient_i64")]
    pub mailbox: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub text: String,
    /// 同意公开: the letter and its reply may be shown publicly, personal data masked.
    #[serde(default, deserialize_with = "crate::util::checkbox")]
    pub consent: bool,
    /// A question to this online interview.
    #[serde(default, deserialize_with = "crate::util::lenient_opt_i64")]
    pub interview: Option<i64>,
    /// An objection to this 公示.
    #[serde(default, deserialize_with = "crate::util::lenient_opt_i64")]
    pub notice: Option<i64>,
}

/// What a filing answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LetterFiled {
    pub tracking_no: String,
    pub query_code: String,
    pub mailbox: String,
    pub org_name: String,
    pub received_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    /// 答复期限为暂定（所在年度节假日安排尚未公布）.
    pub provisional: bool,
}

/// A mailbox as the public sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MailboxView {
    pub id: i64,
    pub org_code: String,
    pub org_name: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub name: String,
    pub reply_days: i64,
    pub intro: String,
    pub active: bool,
}

fn mailbox_view(m: &Mailbox, orgs: &HashMap<i64, Org>) -> MailboxView {
    let org = orgs.get(&m.org_id);
    MailboxView {
        id: m.id,
        org_code: org.map(|o| o.code().to_string()).unwrap_or_default(),
        org_name: org.map(|o| o.name.clone()).unwrap_or_default(),
        kind: m.kind.as_str().into(),
        kind_label: m.kind.label(),
        name: m.name.clone(),
        reply_days: m.reply_days,
        intro: m.intro.clone(),
        active: m.active,
    }
}

async fn orgs_by_id(state: &AppState) -> Result<HashMap<i64, Org>, AppError> {
    Ok(state.store.orgs().await?.into_iter().map(|o| (o.id, o)).collect())
}

/// The active mailboxes, by org (the platform's own first) and kind.
pub async fn mailboxes(state: &AppState) -> Result<Vec<MailboxView>, AppError> {
    let orgs = orgs_by_id(state).await?;
    let mut out: Vec<MailboxView> =
        state.store.mailboxes().await?.iter().filter(|m| m.active).map(|m| mailbox_view(m, &orgs)).collect();
    let depth = |code: &str| orgs.values().find(|o| o.code() == code).map(|o| o.path.depth()).unwrap_or(0);
    out.sort_by_key(|m| (depth(&m.org_code), m.org_code.clone(), m.id));
    Ok(out)
}

/// Every mailbox a letter may be written to on the mailbox pages: not the 访谈提问 and
/// 公示异议 mailboxes, whose letters are written on the interview's or the 公示's page.
pub async fn writable_mailboxes(state: &AppState) -> Result<Vec<MailboxView>, AppError> {
    let mut out = mailboxes(state).await?;
    out.retain(|m| {
        m.kind != gongkai_core::letter::MailboxKind::Interview.as_str()
            && m.kind != gongkai_core::letter::MailboxKind::Objection.as_str()
    });
    Ok(out)
}

/// Every mailbox an administrator may configure (their org and below).
pub async fn mailboxes_to_configure(state: &AppState, actor: &Actor) -> Result<Vec<MailboxView>, AppError> {
    let orgs = orgs_by_id(state).await?;
    Ok(state
        .store
        .mailboxes()
        .await?
        .iter()
        .filter(|m| orgs.get(&m.org_id).is_some_and(|o| actor.may_administer(&o.path).is_ok()))
        .map(|m| mailbox_view(m, &orgs))
        .collect())
}

/// A field error of the form.
pub use crate::error::FieldError;

/// An attachment as the writer sent it.
pub struct LetterUpload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Checks attachments (images or PDF told by content, at most three, within the upload
/// limit) and keeps them in the file store; answers what the letter records.
async fn keep_files(
    state: &AppState,
    uploads: Vec<LetterUpload>,
) -> Result<Vec<gongkai_store::NewLetterFile>, AppError> {
    use gongkai_store::files::{FileKind, detect};
    if uploads.len() > gongkai_store::letters::MAX_FILES {
        return Err(AppError::invalid_field(
            "too_many_files",
            "files",
            format!("附件最多 {} 个", gongkai_store::letters::MAX_FILES),
        ));
    }
    let limit = state.config.attachment_limit_bytes;
    let mut kept = Vec::new();
    for u in uploads {
        if u.bytes.len() > limit {
            return Err(AppError::invalid_field(
                "file_too_large",
                "files",
                format!("附件不能超过 {} MB", limit / 1024 / 1024),
            ));
        }
        let kind = detect(&u.bytes).filter(|k| {
            matches!(
                k,
                FileKind::Pdf
                    | FileKind::Jpeg
                    | FileKind::Png
                    | FileKind::Gif
                    | FileKind::Webp
                    | FileKind::Bmp
                    | FileKind::Tiff
            )
        });
        let Some(kind) = kind else {
            return Err(AppError::invalid_field(
                "unsupported_type",
                "files",
                format!("附件「{}」不是图片或 PDF（按文件内容判断）", u.name.chars().take(60).collect::<String>()),
            ));
        };
        let size = u.bytes.len() as i64;
        let sha256 = state.blobs.put(&u.bytes).await.map_err(|e| AppError::Internal(e.into()))?;
        kept.push(gongkai_store::NewLetterFile { name: u.name, mime: kind.mime().to_string(), size, sha256 });
    }
    Ok(kept)
}

/// Files a letter from the public form or the API, once per idempotency key.
pub async fn file(
    state: &AppState,
    form: LetterForm,
    key: Option<String>,
    uploads: Vec<LetterUpload>,
) -> Result<(LetterFiled, bool), AppError> {
    let errors = check_letter(&LetterInput {
        name: &form.name,
        phone: &form.phone,
        email: &form.email,
        subject: &form.subject,
        text: &form.text,
    });
    let mailbox = state.store.mailbox(form.mailbox).await?.filter(|m| m.active);
    let mut fields: Vec<(&'static str, String)> = Vec::new();
    if mailbox.is_none() {
        fields.push(("mailbox", "请选择要写信的信箱".into()));
    }
    fields.extend(errors.into_iter().map(|e| (e.field, e.message)));
    if !fields.is_empty() {
        return Err(AppError::invalid_fields("invalid_fields", fields));
    }
    let mailbox = mailbox.ok_or_else(|| AppError::NotFound("未找到信箱".into()))?;
    let files = keep_files(state, uploads).await?;
    let now = state.now();
    let key = key.filter(|k| !k.trim().is_empty() && k.len() <= 100);
    let new = NewLetter {
        mailbox_id: mailbox.id,
        name: form.name,
        phone: form.phone,
        email: form.email,
        subject: form.subject,
        body: form.text,
        consent: form.consent,
        submitted_at: now,
        received_on: gongkai_core::index_no::beijing_date(now),
        idempotency_key: key,
        files,
        interview_id: form.interview,
        notice_id: form.notice,
    };
    let (letter, created) = state.store.file_letter(&AuditCtx::system(), new).await?;
    let cal = state.calendar().await?;
    let clock = letter.clock();
    let org_name = state.store.org_by_id(mailbox.org_id).await?.map(|o| o.name).unwrap_or_default();
    let filed = LetterFiled {
        tracking_no: letter.tracking_no,
        query_code: letter.query_code,
        mailbox: mailbox.name,
        org_name,
        received_on: letter.received_on,
        due_on: clock.due_on(&cal).ok(),
        provisional: clock.is_provisional(&cal),
    };
    Ok((filed, created))
}

/// An entry of a letter's timeline as the writer sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LetterEventView {
    pub step: String,
    pub label: &'static str,
    pub org_name: String,
    pub note: String,
    pub on: NaiveDate,
}

/// A letter's deadline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LetterClockView {
    pub due_on: Option<NaiveDate>,
    pub provisional: bool,
    /// Working days left (negative: overdue), while open.
    pub days_left: Option<i64>,
    /// overdue, near, ok; empty when closed.
    pub status: String,
    pub status_label: &'static str,
    /// Calendar days open, while open.
    pub open_days: Option<i64>,
    /// Open for 60 days or more: the hard alarm.
    pub long_open: bool,
}

fn clock_view(
    cal: &Calendar,
    today: NaiveDate,
    state: LetterState,
    clock: gongkai_core::clock::WorkdayClock,
) -> LetterClockView {
    let open = state.is_open();
    let urgency = if open { clock.urgency(cal, today).ok() } else { None };
    LetterClockView {
        due_on: clock.due_on(cal).ok(),
        provisional: clock.is_provisional(cal),
        days_left: if open { clock.days_left(cal, today).ok() } else { None },
        status: urgency.map(|u| u.as_str().to_string()).unwrap_or_default(),
        status_label: urgency.map(Urgency::label).unwrap_or(""),
        open_days: open.then(|| open_days(clock.start, today)),
        long_open: open && long_open(clock.start, today),
    }
}

/// A letter as the writer sees it with the query code (their own data unmasked), or as
/// staff see it (with `staff`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LetterView {
    pub id: i64,
    pub tracking_no: String,
    pub mailbox: String,
    pub mailbox_org: String,
    pub org_name: String,
    pub subject: String,
    pub text: String,
    pub received_on: NaiveDate,
    pub state: String,
    pub state_label: &'static str,
    pub clock: LetterClockView,
    pub extension_days: i64,
    /// The reply, once it went out.
    pub reply: Option<String>,
    pub replied_on: Option<NaiveDate>,
    /// Why it was closed without a reply (the ground or route, and what was said).
    pub closing_note: String,
    pub consent: bool,
    pub public: bool,
    pub satisfaction: Option<String>,
    pub satisfaction_label: Option<&'static str>,
    pub timeline: Vec<LetterEventView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff: Option<LetterStaffView>,
}

/// What staff see besides.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LetterStaffView {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub draft: String,
    pub draft_public: bool,
    pub drafted_by: String,
    pub satisfaction_note: String,
    /// The steps this staff member may take now (codes of `LetterStep`).
    pub steps: Vec<&'static str>,
    /// Orgs a letter may be assigned or transferred to: (id, name).
    pub targets: Vec<(i64, String)>,
    /// Every event with who took it.
    pub events: Vec<(String, &'static str, String, String)>,
    /// The attachments: (id, name, size in KB).
    pub files: Vec<(i64, String, i64)>,
}

async fn view(state: &AppState, l: &Letter, staff: Option<&Actor>) -> Result<LetterView, AppError> {
    let orgs = orgs_by_id(state).await?;
    let mailbox = state.store.mailbox(l.mailbox_id).await?.ok_or_else(|| AppError::NotFound("未找到信箱".into()))?;
    let cal = state.calendar().await?;
    let today = state.today();
    let events = state.store.letter_events(l.id).await?;
    let files = match staff {
        Some(_) => state.store.letter_files(l.id).await?,
        None => Vec::new(),
    };
    let name_of = |id: i64| orgs.get(&id).map(|o| o.name.clone()).unwrap_or_default();
    let timeline = events
        .iter()
        .filter(|e| e.step != "draft_reply" && e.step != "return_reply")
        .map(|e| LetterEventView {
            step: e.step.clone(),
            label: step_label(&e.step),
            org_name: name_of(e.org_id),
            note: if e.step == "file" || e.step == "assign" { String::new() } else { e.note.clone() },
            on: gongkai_core::index_no::beijing_date(e.at),
        })
        .collect();
    let staff = staff.map(|actor| LetterStaffView {
        name: l.name.clone(),
        phone: l.phone.clone(),
        email: l.email.clone(),
        draft: if l.state == LetterState::Replied { String::new() } else { l.reply.clone() },
        draft_public: l.reply_public,
        drafted_by: l.drafted_by.clone(),
        satisfaction_note: l.satisfaction_note.clone(),
        steps: allowed_steps(&orgs, &mailbox, l, actor, today, &cal),
        targets: targets(&orgs, &mailbox),
        events: events
            .iter()
            .map(|e| {
                (
                    e.at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                    step_label(&e.step),
                    e.actor.clone(),
                    e.note.clone(),
                )
            })
            .collect(),
        files: files.iter().map(|f| (f.id, f.name.clone(), (f.size + 1023) / 1024)).collect(),
    });
    Ok(LetterView {
        id: l.id,
        tracking_no: l.tracking_no.clone(),
        mailbox: mailbox.name.clone(),
        mailbox_org: name_of(mailbox.org_id),
        org_name: name_of(l.org_id),
        subject: l.subject.clone(),
        text: l.body.clone(),
        received_on: l.received_on,
        state: l.state.as_str().into(),
        state_label: l.state.label(),
        clock: clock_view(&cal, today, l.state, l.clock()),
        extension_days: l.extension_days,
        reply: (l.state == LetterState::Replied).then(|| l.reply.clone()),
        replied_on: l.replied_on,
        closing_note: l.closing_note.clone(),
        consent: l.consent,
        public: l.is_public(),
        satisfaction: l.satisfaction.0.map(|s| s.as_str().to_string()),
        satisfaction_label: l.satisfaction.0.map(Satisfaction::label),
        timeline,
        staff,
    })
}

/// The orgs a letter of this mailbox may go to: its org and those below.
fn targets(orgs: &HashMap<i64, Org>, mailbox: &Mailbox) -> Vec<(i64, String)> {
    let Some(root) = orgs.get(&mailbox.org_id) else { return Vec::new() };
    let mut out: Vec<&Org> = orgs.values().filter(|o| o.path.is_within(&root.path)).collect();
    out.sort_by_key(|o| (o.path.depth(), o.id));
    out.into_iter().map(|o| (o.id, o.name.clone())).collect()
}

/// The steps `actor` may take on the letter now, as core decides them.
fn allowed_steps(
    orgs: &HashMap<i64, Org>,
    mailbox: &Mailbox,
    l: &Letter,
    actor: &Actor,
    today: NaiveDate,
    cal: &Calendar,
) -> Vec<&'static str> {
    let (Some(mailbox_org), Some(handling)) = (orgs.get(&mailbox.org_id), orgs.get(&l.org_id)) else {
        return Vec::new();
    };
    let facts = gongkai_core::letter::LetterFacts {
        state: l.state,
        mailbox_org: &mailbox_org.path,
        handling_org: &handling.path,
        reply_days: u32::try_from(l.reply_days).unwrap_or(0),
        extension_days: u32::try_from(l.extension_days).unwrap_or(0),
        // The step is taken today (it carries no date): after the period it is not offered.
        today,
        due_on: l.clock().due_on(cal).ok(),
        drafted_by: &l.drafted_by,
        consent: l.consent,
        question: &l.body,
        reply: &l.reply,
        // Live answers are offered on the interview's own page.
        interview_held: false,
    };
    // Each step tried with plausible input: a target other than the current org.
    let other = orgs.values().find(|o| o.path.is_within(&mailbox_org.path) && o.id != l.org_id).unwrap_or(mailbox_org);
    let probes = [
        (LetterStep::Assign { org_id: other.id }, Some(&other.path)),
        (LetterStep::Transfer { org_id: other.id, reason: "x".into() }, Some(&other.path)),
        (LetterStep::DraftReply { text: "x".into(), public: true }, None),
        (LetterStep::ApproveReply, None),
        (LetterStep::ReturnReply { reason: "x".into() }, None),
        (LetterStep::Extend { days: 1, reason: "x".into() }, None),
        (LetterStep::CloseInvalid { ground: InvalidGround::Duplicate, reason: String::new() }, None),
        (LetterStep::HandOff { route: HandOffRoute::Hotline, reason: String::new() }, None),
    ];
    probes
        .iter()
        .filter(|(step, target)| gongkai_core::letter::decide(&facts, actor, step, *target).is_ok())
        .map(|(step, _)| step.code())
        .collect()
}

/// The letter for its writer, by tracking number and query code.
pub async fn for_writer(state: &AppState, tracking_no: &str, code: &str) -> Result<LetterView, AppError> {
    let l = state
        .store
        .letter_for_writer(tracking_no, code)
        .await?
        .ok_or_else(|| AppError::NotFound("未找到来信：请核对来信编号和查询码".into()))?;
    view(state, &l, None).await
}

/// The writer rates the reply.
pub async fn rate(
    state: &AppState,
    tracking_no: &str,
    code: &str,
    rating: Satisfaction,
    note: &str,
) -> Result<LetterView, AppError> {
    let l = state.store.rate_letter(tracking_no, code, rating, note).await?;
    view(state, &l, None).await
}

/// A replied letter as the public sees it: the writer's name and personal data masked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicLetter {
    pub id: i64,
    pub mailbox: String,
    pub writer: String,
    pub subject: String,
    pub text: String,
    pub reply: String,
    pub org_name: String,
    pub received_on: NaiveDate,
    pub replied_on: Option<NaiveDate>,
}

fn public_letter(l: &Letter, mailbox: &str, org: &str) -> PublicLetter {
    PublicLetter {
        id: l.id,
        mailbox: mailbox.to_string(),
        writer: masked_name(&l.name),
        subject: public_text(&l.subject),
        text: public_text(&l.body),
        reply: public_text(&l.reply),
        org_name: org.to_string(),
        received_on: l.received_on,
        replied_on: l.replied_on,
    }
}

/// A page of public letters.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicLetters {
    pub letters: Vec<PublicLetter>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// Replied public letters, of one org's mailboxes or all, 20 to a page.
pub async fn public_letters(state: &AppState, org_code: Option<&str>, page: i64) -> Result<PublicLetters, AppError> {
    let org_id = match org_code.filter(|c| !c.trim().is_empty()) {
        Some(code) => {
            Some(state.store.org_by_code(code).await?.ok_or_else(|| AppError::NotFound("未找到单位".into()))?.id)
        }
        None => None,
    };
    let page = page.clamp(1, 10_000);
    let (rows, total) = state.store.public_letters(org_id, (page - 1) * 20, 20).await?;
    let orgs = orgs_by_id(state).await?;
    let boxes: HashMap<i64, Mailbox> = state.store.mailboxes().await?.into_iter().map(|m| (m.id, m)).collect();
    let letters = rows
        .iter()
        .map(|l| {
            let mb = boxes.get(&l.mailbox_id).map(|m| m.name.as_str()).unwrap_or("");
            public_letter(l, mb, orgs.get(&l.org_id).map(|o| o.name.as_str()).unwrap_or(""))
        })
        .collect();
    Ok(PublicLetters { letters, total, page, pages: ((total + 19) / 20).max(1) })
}

/// One public letter; not found unless it is public.
pub async fn public_letter_by_id(state: &AppState, id: i64) -> Result<PublicLetter, AppError> {
    let l = state
        .store
        .letter(id)
        .await?
        .filter(Letter::is_public)
        .ok_or_else(|| AppError::NotFound("未找到来信".into()))?;
    let mb = state.store.mailbox(l.mailbox_id).await?.map(|m| m.name).unwrap_or_default();
    let org = state.store.org_by_id(l.org_id).await?.map(|o| o.name).unwrap_or_default();
    Ok(public_letter(&l, &mb, &org))
}

/// A mailbox's figures for a year, by month and in all.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MailboxStats {
    pub mailbox: MailboxView,
    #[schema(value_type = Object)]
    pub year: MailboxFigures,
    /// The months of the year so far, January first.
    #[schema(value_type = Vec<Object>)]
    pub months: Vec<MailboxFigures>,
}

/// Every active mailbox's published figures for `year`.
pub async fn statistics(state: &AppState, year: i32) -> Result<Vec<MailboxStats>, AppError> {
    let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return Err(AppError::invalid("invalid_year", "年份不正确"));
    };
    let cal = state.calendar().await?;
    let rows = state.store.letters_received(from, to).await?;
    let today = state.today();
    let months_so_far = if year == today.year() { today.month() as usize } else { 12 };
    let mut out = Vec::new();
    for m in mailboxes(state).await? {
        let mut stats = MailboxStats {
            mailbox: m,
            year: MailboxFigures::default(),
            months: vec![MailboxFigures::default(); months_so_far],
        };
        for r in rows.iter().filter(|r| r.mailbox_id == stats.mailbox.id) {
            let clock = r.clock();
            let reply = r.replied_on.and_then(|on| Some((clock.used(&cal, on).ok()?, clock.in_time(&cal, on).ok()?)));
            stats.year.add(r.state, reply);
            if let Some(month) = stats.months.get_mut(r.received_on.month0() as usize) {
                month.add(r.state, reply);
            }
        }
        out.push(stats);
    }
    Ok(out)
}

/// A letter in the staff workspace.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkspaceLetter {
    pub id: i64,
    pub org_code: String,
    pub tracking_no: String,
    pub subject: String,
    pub org_name: String,
    pub received_on: NaiveDate,
    pub state: String,
    pub state_label: &'static str,
    pub clock: LetterClockView,
}

/// The letters a staff member works on or oversees: those with their org (letter handlers,
/// reviewers, approvers), and for the office (supervisors) every letter of the orgs at and
/// below theirs; open ones first by deadline, then the closed, newest first.
pub async fn workspace(state: &AppState, actor: &Actor, open_only: bool) -> Result<Vec<WorkspaceLetter>, AppError> {
    let orgs = orgs_by_id(state).await?;
    let ids: Vec<i64> = if actor.has(Role::Supervisor) {
        orgs.values().filter(|o| o.path.is_within(&actor.org_path)).map(|o| o.id).collect()
    } else if [Role::LetterHandler, Role::Reviewer, Role::Approver].iter().any(|r| actor.has(*r)) {
        vec![actor.org_id]
    } else {
        Vec::new()
    };
    let rows = state.store.letters_with(&ids, open_only).await?;
    let cal = state.calendar().await?;
    let today = state.today();
    let mut out: Vec<WorkspaceLetter> = rows
        .iter()
        .map(|r| WorkspaceLetter {
            id: r.id,
            org_code: orgs.get(&r.org_id).map(|o| o.code().to_string()).unwrap_or_default(),
            tracking_no: r.tracking_no.clone(),
            subject: r.subject.clone(),
            org_name: orgs.get(&r.org_id).map(|o| o.name.clone()).unwrap_or_default(),
            received_on: r.received_on,
            state: r.state.as_str().into(),
            state_label: r.state.label(),
            clock: clock_view(&cal, today, r.state, r.clock()),
        })
        .collect();
    out.sort_by_key(|w| (!w.clock.status.is_empty(), w.clock.days_left.unwrap_or(i64::MAX)));
    out.sort_by_key(|w| w.clock.status.is_empty());
    Ok(out)
}

/// A letter for staff, with the steps they may take; refused outside their view.
pub async fn for_staff(state: &AppState, actor: &Actor, id: i64) -> Result<LetterView, AppError> {
    let l = state.store.letter(id).await?.ok_or_else(|| AppError::NotFound("未找到来信".into()))?;
    let org = state.store.org_by_id(l.org_id).await?.ok_or_else(|| AppError::NotFound("未找到单位".into()))?;
    let mailbox = state.store.mailbox(l.mailbox_id).await?.ok_or_else(|| AppError::NotFound("未找到信箱".into()))?;
    let mailbox_org =
        state.store.org_by_id(mailbox.org_id).await?.ok_or_else(|| AppError::NotFound("未找到单位".into()))?;
    gongkai_core::letter::may_read(actor, &mailbox_org.path, &org.path)?;
    view(state, &l, Some(actor)).await
}

/// An attachment of a letter with its bytes, for staff who may see the letter.
pub async fn file_for_staff(
    state: &AppState,
    actor: &Actor,
    id: i64,
    file_id: i64,
) -> Result<(gongkai_store::LetterFile, Vec<u8>), AppError> {
    for_staff(state, actor, id).await?;
    let f = state
        .store
        .letter_files(id)
        .await?
        .into_iter()
        .find(|f| f.id == file_id)
        .ok_or_else(|| AppError::NotFound("未找到附件".into()))?;
    let bytes = state
        .blobs
        .get(&f.sha256)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("letter file {file_id} missing: {e}")))?;
    Ok((f, bytes))
}

/// Takes a step on a letter.
pub async fn step(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    step: LetterStep,
) -> Result<LetterView, AppError> {
    let l = state.store.apply_letter_step(ctx, actor, id, step).await?;
    if l.state == LetterState::Replied {
        crate::mail::letter_replied(state, &l);
    }
    view(state, &l, Some(actor)).await
}

/// Creates a mailbox for an org (its administrator).
pub async fn create_mailbox(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    org_code: &str,
    input: MailboxInput,
) -> Result<Mailbox, AppError> {
    let org = state.store.org_by_code(org_code).await?.ok_or_else(|| AppError::NotFound("未找到单位".into()))?;
    Ok(state.store.create_mailbox(ctx, actor, org.id, input).await?)
}

/// Changes a mailbox's settings.
pub async fn update_mailbox(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    input: MailboxInput,
) -> Result<Mailbox, AppError> {
    Ok(state.store.update_mailbox(ctx, actor, id, input).await?)
}

/// Promotes a replied letter to the FAQ.
pub async fn promote_faq(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    topic: &str,
    question: &str,
    answer: &str,
) -> Result<FaqEntry, AppError> {
    Ok(state.store.promote_faq(ctx, actor, id, topic, question, answer).await?)
}

/// The FAQ grouped by topic.
pub async fn faq(state: &AppState) -> Result<Vec<(String, Vec<FaqEntry>)>, AppError> {
    let mut groups: Vec<(String, Vec<FaqEntry>)> = Vec::new();
    for e in state.store.faq_entries().await? {
        match groups.iter_mut().find(|(t, _)| *t == e.topic) {
            Some((_, list)) => list.push(e),
            None => groups.push((e.topic.clone(), vec![e])),
        }
    }
    Ok(groups)
}

/// An answered question like the one being typed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Similar {
    pub title: String,
    pub answer: String,
    pub href: String,
}

fn bigrams(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// Answered questions (FAQ entries and public letters) sharing the most two-character words
/// with `q`, at most 5: shown on the form before the writer files.
pub async fn similar(state: &AppState, q: &str) -> Result<Vec<Similar>, AppError> {
    let q: String = q.chars().take(200).collect();
    let words = bigrams(&q);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let score = |text: &str| words.iter().filter(|w| text.contains(w.as_str())).count();
    let mut found: Vec<(usize, Similar)> = Vec::new();
    for e in state.store.faq_entries().await? {
        let s = score(&e.question);
        if s * 3 >= words.len() {
            found.push((s + 1, Similar { title: e.question, answer: e.answer, href: "/mailbox/faq".into() }));
        }
    }
    let (letters, _) = state.store.public_letters(None, 0, 100).await?;
    for l in letters {
        let s = score(&format!("{} {}", l.subject, l.body));
        if s * 3 >= words.len() {
            let shown = public_text(&l.reply);
            found.push((
                s,
                Similar { title: public_text(&l.subject), answer: shown, href: format!("/mailbox/letters/{}", l.id) },
            ));
        }
    }
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    Ok(found.into_iter().take(5).map(|(_, s)| s).collect())
}

/// The letters that raise the dashboards' alarms for `actor`: overdue, and open 60 days or
/// more, in the orgs they work in or oversee.
pub async fn alarms(state: &AppState, actor: &Actor) -> Result<(usize, usize, usize), AppError> {
    let open = workspace(state, actor, true).await?;
    let overdue = open.iter().filter(|w| w.clock.status == Urgency::Overdue.as_str()).count();
    let near = open.iter().filter(|w| w.clock.status == Urgency::Near.as_str()).count();
    let long = open.iter().filter(|w| w.clock.long_open).count();
    Ok((overdue, near, long))
}

/// Per org: the on-time rate of letters replied this year and the oldest open letter's days
/// (supervision).
pub async fn org_figures(state: &AppState, year: i32) -> Result<HashMap<i64, (MailboxFigures, Option<i64>)>, AppError> {
    let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return Err(AppError::invalid("invalid_year", "年份不正确"));
    };
    let cal = state.calendar().await?;
    let today = state.today();
    let mut out: HashMap<i64, (MailboxFigures, Option<i64>)> = HashMap::new();
    for r in state.store.letters_received(from, to).await? {
        let clock = r.clock();
        let reply = r.replied_on.and_then(|on| Some((clock.used(&cal, on).ok()?, clock.in_time(&cal, on).ok()?)));
        out.entry(r.org_id).or_default().0.add(r.state, reply);
    }
    for r in state.store.open_letters().await? {
        let days = open_days(r.received_on, today);
        let oldest = &mut out.entry(r.org_id).or_default().1;
        *oldest = Some(oldest.map_or(days, |d: i64| d.max(days)));
    }
    Ok(out)
}

/// One org's letters for supervision.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgLetters {
    pub org_code: String,
    pub org_name: String,
    pub depth: usize,
    #[schema(value_type = Object)]
    pub figures: MailboxFigures,
    /// Calendar days the oldest open letter has waited.
    pub oldest_open_days: Option<i64>,
    /// The oldest open letter raises the long-open alarm.
    pub alarm: bool,
}

/// The letters of every org the staff member supervises (theirs and below) received this
/// year: on-time rate, the oldest open letter; orgs with no letters left out.
pub async fn supervision(state: &AppState, actor: &Actor) -> Result<Vec<OrgLetters>, AppError> {
    let figures = org_figures(state, state.today().year()).await?;
    let mut orgs: Vec<Org> =
        state.store.orgs().await?.into_iter().filter(|o| actor.may_supervise(&o.path).is_ok()).collect();
    orgs.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
    Ok(orgs
        .into_iter()
        .filter_map(|o| {
            let (f, oldest) = figures.get(&o.id)?.clone();
            Some(OrgLetters {
                org_code: o.code().to_string(),
                depth: o.path.depth(),
                org_name: o.name,
                figures: f,
                oldest_open_days: oldest,
                alarm: oldest.is_some_and(|d| d >= LONG_OPEN_DAYS),
            })
        })
        .collect())
}

/// The long-open threshold, for pages.
pub const ALARM_DAYS: i64 = LONG_OPEN_DAYS;
