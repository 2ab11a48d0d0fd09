//! Press conferences, policy briefings and online interviews, the use cases: an org schedules
//! an event (an interview opens its 访谈提问 mailbox), publishes its record after it is held
//! (speakers with the principal leader flagged, transcript, video, the policies and
//! interpretations it explains) or cancels it; the public reads the 预告 and the records,
//! asks an interview questions beforehand (letters, masked and moderated like any letter),
//! and sees the questions answered; each org's progress against its yearly targets. The
//! rules are `core::press`.

use crate::{AppError, AppState};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use gongkai_core::Actor;
use gongkai_core::letter::LetterStep;
pub use gongkai_core::press::{PressKind, PressState, Progress, Speaker, Targets};
use gongkai_store::{AuditCtx, PressEvent, PressInput, PressRecord};
use serde::{Deserialize, Serialize};

/// An event to schedule, as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ScheduleBody {
    /// `conference`, `briefing` or `interview`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    /// Beijing time, `YYYY-MM-DDTHH:MM` (the datetime-local input) or `YYYY-MM-DD HH:MM`.
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub place: String,
    /// 预告: what it will be about.
    #[serde(default)]
    pub summary: String,
}

/// A record to publish, as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RecordBody {
    /// One per line: 「姓名 职务」, ending in 「*」 for the principal leader.
    #[serde(default)]
    pub speakers: String,
    #[serde(default)]
    pub transcript: String,
    #[serde(default)]
    pub video_url: String,
    /// Item ids (信息编号) of the policies and interpretations explained, separated by
    /// spaces, commas or lines.
    #[serde(default)]
    pub items: String,
}

/// Reads a Beijing-time instant as typed.
pub fn parse_beijing(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim().replace('T', " ");
    let naive = NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S"))
        .ok()?;
    Some(Utc.from_utc_datetime(&naive) - chrono::Duration::hours(8))
}

/// Formats an instant in Beijing time to the minute.
pub fn beijing_minute(at: DateTime<Utc>) -> String {
    gongkai_core::index_no::beijing(at).format("%Y-%m-%d %H:%M").to_string()
}

/// An event as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PressView {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_code: String,
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    /// Beijing time.
    pub starts_at: String,
    pub place: String,
    pub summary: String,
    pub state: String,
    pub state_label: String,
    #[schema(value_type = Vec<Object>)]
    pub speakers: Vec<Speaker>,
    pub principal: bool,
    pub transcript: String,
    pub video_url: String,
    /// Public items explained: (id, title).
    pub items: Vec<(i64, String)>,
    /// An interview still collecting questions.
    pub collecting: bool,
    /// Photos of the held event.
    pub photos: Vec<PhotoView>,
}

/// A photo as pages show it: its caption stands for it (alt text) and under it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PhotoView {
    pub id: i64,
    pub caption: String,
    pub url: String,
}

async fn view(state: &AppState, e: PressEvent) -> Result<PressView, AppError> {
    let org = state.store.org_by_id(e.org_id).await?;
    let mut items = Vec::new();
    for i in state.store.press_items(e.id).await? {
        if let Some(t) = crate::app::items::public_title(state, i).await? {
            items.push(t);
        }
    }
    let speakers = e.speakers();
    let photos = state
        .store
        .press_photos(e.id)
        .await?
        .into_iter()
        .map(|p| PhotoView { url: format!("/press/{}/photos/{}", e.id, p.id), id: p.id, caption: p.caption })
        .collect();
    Ok(PressView {
        id: e.id,
        org_id: e.org_id,
        org_name: org.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
        org_code: org.as_ref().map(|o| o.code().to_string()).unwrap_or_default(),
        kind: e.kind.as_str().into(),
        kind_label: e.kind.label().into(),
        title: e.title,
        starts_at: beijing_minute(e.starts_at),
        place: e.place,
        summary: e.summary,
        state: e.state.as_str().into(),
        state_label: e.state.label().into(),
        principal: speakers.iter().any(|s| s.principal),
        speakers,
        transcript: e.transcript,
        video_url: e.video_url,
        items,
        collecting: e.kind == PressKind::Interview && e.state == PressState::Scheduled,
        photos,
    })
}

/// Adds a photo to a held event: a JPEG, PNG or WebP told by its content, within the upload
/// limit, kept in the file store, with its caption.
pub async fn add_photo(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    caption: &str,
    bytes: Vec<u8>,
) -> Result<(), AppError> {
    use gongkai_store::files::{FileKind, detect};
    let refused = |r: gongkai_core::press::PressRefusal| AppError::from(gongkai_store::PressError::from(r));
    let kind = detect(&bytes).filter(|k| matches!(k, FileKind::Jpeg | FileKind::Png | FileKind::Webp));
    let Some(kind) = kind else { return Err(refused(gongkai_core::press::PressRefusal::NotAPhoto)) };
    if bytes.len() > state.config.attachment_limit_bytes {
        return Err(AppError::TooLarge);
    }
    // Rights, state and room are checked before anything is written (a refused upload
    // leaves no file); the store checks them again in its transaction.
    may_add_photo(state, actor, id, Some(caption)).await?;
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let sha = state.blobs.put(&bytes).await.map_err(|e| AppError::Internal(e.into()))?;
    state.store.add_press_photo(ctx, actor, id, caption, kind.mime(), size, &sha).await?;
    Ok(())
}

/// Whether the actor may add a photo to the event now (with `caption`, when known).
pub async fn may_add_photo(state: &AppState, actor: &Actor, id: i64, caption: Option<&str>) -> Result<(), AppError> {
    let e = state.store.press_event(id).await?.ok_or_else(|| AppError::NotFound(format!("活动 {id}")))?;
    let org = state.store.org_by_id(e.org_id).await?.ok_or_else(|| AppError::NotFound("未找到单位".into()))?;
    let refused = |r: gongkai_core::press::PressRefusal| AppError::from(gongkai_store::PressError::from(r));
    gongkai_core::press::may_run(actor, &org.path).map_err(|d| refused(d.into()))?;
    let count = state.store.press_photos(id).await?.len();
    gongkai_core::press::check_photo(e.state, caption.unwrap_or("图片说明"), count).map_err(refused)
}

/// Removes a photo from an event.
pub async fn remove_photo(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    photo: i64,
) -> Result<(), AppError> {
    Ok(state.store.remove_press_photo(ctx, actor, id, photo).await?)
}

/// A photo of a held event with its bytes, for anyone.
pub async fn public_photo(
    state: &AppState,
    id: i64,
    photo: i64,
) -> Result<(gongkai_store::PressPhoto, Vec<u8>), AppError> {
    let missing = || AppError::NotFound("未找到图片".into());
    let e = state.store.press_event(id).await?.filter(|e| e.state == PressState::Held).ok_or_else(missing)?;
    let p = state.store.press_photos(e.id).await?.into_iter().find(|p| p.id == photo).ok_or_else(missing)?;
    let bytes = state
        .blobs
        .get(&p.sha256)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("press photo {photo} missing: {e}")))?;
    Ok((p, bytes))
}

/// Schedules an event of the actor's org.
pub async fn schedule(state: &AppState, actor: &Actor, ctx: &AuditCtx, b: ScheduleBody) -> Result<PressView, AppError> {
    let kind =
        PressKind::parse(&b.kind).ok_or_else(|| AppError::invalid_field("invalid_kind", "kind", "请选择活动类型"))?;
    let starts_at = parse_beijing(&b.starts_at)
        .ok_or_else(|| AppError::invalid_field("invalid_time", "starts_at", "请填写举行时间（如 2026-12-18 10:00）"))?;
    let e = state
        .store
        .schedule_press(ctx, actor, PressInput { kind, title: b.title, starts_at, place: b.place, summary: b.summary })
        .await?;
    view(state, e).await
}

/// Publishes the record of a held event.
pub async fn publish_record(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    b: RecordBody,
) -> Result<PressView, AppError> {
    let mut items = Vec::new();
    for part in
        b.items.split(|c: char| c.is_whitespace() || c == ',' || c == '，' || c == '、').filter(|p| !p.is_empty())
    {
        let n = part.parse::<i64>().map_err(|_| {
            AppError::invalid_field("invalid_items", "items", format!("「{part}」不是信息编号（填写数字编号）"))
        })?;
        items.push(n);
    }
    let record = PressRecord {
        speakers: gongkai_core::press::parse_speakers(&b.speakers),
        transcript: b.transcript,
        video_url: b.video_url,
        items,
    };
    let e = state.store.publish_press_record(ctx, actor, id, record).await?;
    view(state, e).await
}

/// Cancels a scheduled event.
pub async fn cancel(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    reason: &str,
) -> Result<PressView, AppError> {
    let e = state.store.cancel_press(ctx, actor, id, reason).await?;
    view(state, e).await
}

/// The public list: conferences and briefings (`interviews` false) or interviews, of one
/// org's sub-site or all; scheduled and held, not cancelled.
pub async fn public_list(
    state: &AppState,
    org_code: Option<&str>,
    interviews: bool,
) -> Result<Vec<PressView>, AppError> {
    let orgs = match org_code {
        Some(c) => vec![crate::app::orgs::by_code(state, c).await?.id],
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for e in state.store.press_events(&orgs, Some(interviews)).await? {
        if e.state != PressState::Cancelled {
            out.push(view(state, e).await?);
        }
    }
    Ok(out)
}

/// One public event.
pub async fn public_one(state: &AppState, id: i64) -> Result<PressView, AppError> {
    let e = state
        .store
        .press_event(id)
        .await?
        .filter(|e| e.state != PressState::Cancelled)
        .ok_or_else(|| AppError::NotFound("未找到该发布活动".into()))?;
    view(state, e).await
}

/// The events of the orgs a staff member answers for (all states), or of one of them.
pub async fn staff_list(state: &AppState, actor: &Actor, org: Option<i64>) -> Result<Vec<PressView>, AppError> {
    let mut orgs: Vec<i64> = crate::app::orgs::overseen(state, actor).await?.into_iter().map(|o| o.id).collect();
    if let Some(o) = org {
        orgs.retain(|id| *id == o);
        if orgs.is_empty() {
            return Ok(Vec::new());
        }
    }
    let mut out = Vec::new();
    for e in state.store.press_events(&orgs, None).await? {
        out.push(view(state, e).await?);
    }
    Ok(out)
}

/// One event for its staff.
pub async fn staff_one(state: &AppState, actor: &Actor, id: i64) -> Result<(PressView, bool), AppError> {
    let e = state.store.press_event(id).await?.ok_or_else(|| AppError::NotFound("未找到该发布活动".into()))?;
    let org = state.store.org_by_id(e.org_id).await?.ok_or_else(|| AppError::NotFound("单位".into()))?;
    actor.may_supervise(&org.path)?;
    let may_run = gongkai_core::press::may_run(actor, &org.path).is_ok();
    Ok((view(state, e).await?, may_run))
}

/// The org's held conferences and briefings, for an interpretation's 新闻发布会 form.
pub async fn held_conferences(state: &AppState, org_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(state
        .store
        .press_events(&[org_id], Some(false))
        .await?
        .into_iter()
        .filter(|e| e.state == PressState::Held)
        .map(|e| (e.id, format!("{}（{}）", e.title, gongkai_core::index_no::beijing_date(e.starts_at))))
        .collect())
}

/// An org's progress against its targets in a year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProgressRow {
    pub org_id: i64,
    pub org_code: String,
    pub org_name: String,
    pub held: u32,
    pub principal: u32,
    pub interviews: u32,
    /// Interviews in the org's plan for the year (0: no plan).
    pub interviews_planned: u32,
    pub target: u32,
    pub target_principal: u32,
    pub met: bool,
}

/// Progress of every org with a target (governments and departments) in `year`, within the
/// orgs `within` (all when none).
pub async fn progress(
    state: &AppState,
    year: i32,
    within: Option<&gongkai_core::OrgPath>,
) -> Result<Vec<ProgressRow>, AppError> {
    let targets = state.store.site_settings().await?.press_targets;
    let start = crate::util::beijing_year_start;
    let figures = state.store.press_progress(start(year), start(year + 1)).await?;
    let planned: std::collections::HashMap<i64, u32> = state
        .store
        .interview_plans(year)
        .await?
        .into_iter()
        .map(|p| (p.org_id, u32::try_from(p.entries.len()).unwrap_or(u32::MAX)))
        .collect();
    let mut orgs = state.store.orgs().await?;
    orgs.sort_by_key(|o| (o.path.depth(), o.id));
    let mut out = Vec::new();
    for o in orgs {
        if within.is_some_and(|w| !o.path.is_within(w)) {
            continue;
        }
        let Some((target, target_principal)) = targets.for_org(o.kind) else { continue };
        let p = figures.get(&o.id).copied().unwrap_or_default();
        out.push(ProgressRow {
            org_id: o.id,
            org_code: o.code().to_string(),
            org_name: o.name.clone(),
            held: p.held,
            principal: p.principal,
            interviews: p.interviews,
            interviews_planned: planned.get(&o.id).copied().unwrap_or(0),
            target,
            target_principal,
            met: p.meets((target, target_principal)),
        });
    }
    Ok(out)
}

/// The current year in Beijing.
pub fn this_year(state: &AppState) -> i32 {
    gongkai_core::index_no::beijing_date(state.now()).year()
}

/// A question to an interview as the public sees it (masked), with how it was answered.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuestionView {
    pub id: i64,
    pub tracking_no: String,
    /// Masked name.
    pub name: String,
    pub subject: String,
    /// Masked text.
    pub text: String,
    pub state: String,
    pub state_label: String,
    pub live: bool,
    pub reply: String,
    pub due_on: Option<NaiveDate>,
}

/// The questions to an interview: the public sees the answered ones whose writers agreed
/// (masked); staff see all with their state.
pub async fn questions(state: &AppState, id: i64, staff: bool) -> Result<Vec<QuestionView>, AppError> {
    let cal = state.calendar().await?;
    let mut out = Vec::new();
    for l in state.store.interview_questions(id).await? {
        if !staff && !l.is_public() {
            continue;
        }
        out.push(QuestionView {
            id: l.id,
            tracking_no: l.tracking_no.clone(),
            name: gongkai_core::letter::masked_name(&l.name),
            subject: gongkai_core::letter::public_text(&l.subject),
            text: gongkai_core::letter::public_text(&l.body),
            state: l.state.as_str().into(),
            state_label: l.state.label().into(),
            live: l.reply == gongkai_core::letter::LIVE_ANSWER,
            reply: gongkai_core::letter::public_text(&l.reply),
            due_on: if l.state.is_open() { l.clock().due_on(&cal).ok() } else { None },
        });
    }
    Ok(out)
}

/// Marks a question answered live (after the interview is held; core decides).
pub async fn answered_live(state: &AppState, actor: &Actor, ctx: &AuditCtx, letter: i64) -> Result<(), AppError> {
    state.store.apply_letter_step(ctx, actor, letter, LetterStep::AnsweredLive { public: true }).await?;
    Ok(())
}

/// The interview's 访谈提问 mailbox id, while it collects questions.
pub async fn question_mailbox(state: &AppState, id: i64) -> Result<i64, AppError> {
    let e = state.store.press_event(id).await?.ok_or_else(|| AppError::NotFound("未找到该访谈".into()))?;
    if e.kind != PressKind::Interview || e.state != PressState::Scheduled {
        return Err(AppError::Conflict { code: "not_collecting", message: "该访谈不在征集提问期间".into() });
    }
    let mb = state
        .store
        .interview_mailbox(e.org_id)
        .await?
        .ok_or_else(|| AppError::Conflict {
            code: "not_collecting", message: "该访谈不在征集提问期间".into()
        })?;
    Ok(mb.id)
}

/// A line of an org's interview plan as pages show it, with where it stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanLine {
    pub month: u32,
    pub topic: String,
    pub guests: String,
    /// `held`, `upcoming` or `missed`.
    pub status: &'static str,
    pub status_label: &'static str,
    /// The interview that fulfilled it.
    pub interview_id: Option<i64>,
}

/// An org's interview plan for a year (年度在线访谈计划).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanView {
    pub org_id: i64,
    pub org_code: String,
    pub org_name: String,
    pub year: i32,
    pub lines: Vec<PlanLine>,
    /// Lines held / lines in all.
    pub held: usize,
    pub planned: usize,
    /// The plan as typed (`月份｜主题｜嘉宾`, one a line), for editing.
    pub text: String,
}

/// The interview plans of `year` with their status: every org's, or one org's.
pub async fn plans(state: &AppState, year: i32, org: Option<i64>) -> Result<Vec<PlanView>, AppError> {
    let today = gongkai_core::index_no::beijing_date(state.now());
    let orgs: std::collections::HashMap<i64, gongkai_store::Org> =
        state.store.orgs().await?.into_iter().map(|o| (o.id, o)).collect();
    // The interviews held that year, by org, oldest first: (id, month).
    let mut held: std::collections::HashMap<i64, Vec<(i64, u32)>> = std::collections::HashMap::new();
    let mut events = state.store.press_events(&[], Some(true)).await?;
    events.reverse();
    for e in events.iter().filter(|e| e.state == PressState::Held) {
        let day = gongkai_core::index_no::beijing_date(e.starts_at);
        if day.year() == year {
            held.entry(e.org_id).or_default().push((e.id, day.month()));
        }
    }
    let mut out = Vec::new();
    for p in state.store.interview_plans(year).await?.into_iter().filter(|p| org.is_none_or(|o| o == p.org_id)) {
        let Some(o) = orgs.get(&p.org_id) else { continue };
        let status = gongkai_core::press::plan_status(
            &p.entries,
            year,
            held.get(&p.org_id).map_or(&[][..], Vec::as_slice),
            today,
        );
        let lines: Vec<PlanLine> = p
            .entries
            .iter()
            .zip(status)
            .map(|(e, (s, id))| PlanLine {
                month: e.month,
                topic: e.topic.clone(),
                guests: e.guests.clone(),
                status: s.as_str(),
                status_label: s.label(),
                interview_id: id,
            })
            .collect();
        out.push(PlanView {
            org_id: o.id,
            org_code: o.code().to_string(),
            org_name: o.name.clone(),
            year,
            held: lines.iter().filter(|l| l.interview_id.is_some()).count(),
            planned: lines.len(),
            text: plan_text(&p.entries),
            lines,
        });
    }
    Ok(out)
}

/// A plan as typed, one line an entry.
fn plan_text(entries: &[gongkai_core::press::PlanEntry]) -> String {
    entries
        .iter()
        .map(|e| {
            if e.guests.is_empty() {
                format!("{}月｜{}", e.month, e.topic)
            } else {
                format!("{}月｜{}｜{}", e.month, e.topic, e.guests)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A plan to save: the lines as typed, or as data.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PlanBody {
    /// 每行一场：「月份｜主题｜嘉宾」，如「3月｜优化营商环境｜区发展改革委主任」.
    #[serde(default)]
    pub text: Option<String>,
    /// Or the lines as data: [{month, topic, guests}].
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub entries: Option<Vec<gongkai_core::press::PlanEntry>>,
}

/// Replaces the staff member's org's interview plan for `year` (a year from last year on).
pub async fn save_plan(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    year: i32,
    b: PlanBody,
) -> Result<(), AppError> {
    let this = this_year(state);
    if year < this - 1 || year > this + 1 {
        return Err(AppError::invalid_field(
            "invalid_year",
            "year",
            format!("只能编制 {} 至 {} 年的访谈计划", this - 1, this + 1),
        ));
    }
    let entries = match (b.text, b.entries) {
        (_, Some(e)) => e,
        (Some(t), None) => gongkai_core::press::parse_plan(&t).map_err(gongkai_store::PressError::from)?,
        (None, None) => Vec::new(),
    };
    Ok(state.store.save_interview_plan(ctx, actor, actor.org_id, year, entries).await?)
}
