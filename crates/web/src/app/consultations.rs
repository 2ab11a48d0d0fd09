//! Consultations on drafts (意见征集), the use cases: an org opens one on its draft with the
//! period and channels, the public comments (name optional, contact kept private), staff
//! moderate with reasons, the feedback report (意见采纳情况) is drafted and published by a
//! leader other than its drafter, and the final policy waits for it. The rules are
//! `core::consultation`.

use crate::{AppError, AppState};
use chrono::NaiveDate;
pub use gongkai_core::consultation::{Adoption, CommentState, ConsultationKind, ConsultationStage, OpinionGroup};
use gongkai_core::{Actor, Role};
use gongkai_store::{AuditCtx, Consultation, NewComment, NewConsultation, Org};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A consultation to open.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OpenBody {
    /// normative、rule、major_decision、other.
    pub kind: String,
    pub title: String,
    /// 征求意见稿（本单位的信息编号）.
    pub draft_item_id: Option<i64>,
    /// 起草说明与决策依据.
    #[serde(default)]
    pub explanation: String,
    /// 开始日期（缺省今天）.
    pub opens_on: Option<NaiveDate>,
    /// 截止日期（缺省 30 天）.
    pub closes_on: Option<NaiveDate>,
    /// 期限少于 30 日的理由（规章、重大行政决策）.
    #[serde(default)]
    pub short_reason: String,
    /// 其他反馈渠道（信函、电子邮件、座谈会等）.
    #[serde(default)]
    pub channels: String,
    #[serde(default = "yes")]
    pub show_comments: bool,
    /// 正式文件（本单位的信息编号）：意见采纳情况公布前不能发布.
    pub final_item_id: Option<i64>,
    #[serde(default = "yes")]
    pub block_final: bool,
}

fn yes() -> bool {
    true
}

/// A comment shown publicly.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CommentView {
    pub id: i64,
    pub name: String,
    pub article: String,
    pub body: String,
    pub on: NaiveDate,
    pub state: String,
    pub state_label: &'static str,
    pub reason: String,
    /// Staff only.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub contact: String,
}

/// A consultation as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConsultationView {
    pub id: i64,
    pub org_name: String,
    pub org_code: String,
    pub kind_label: &'static str,
    pub title: String,
    pub draft_item_id: Option<i64>,
    pub final_item_id: Option<i64>,
    pub explanation: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub days: i64,
    pub short_reason: String,
    pub channels: String,
    pub stage: String,
    pub stage_label: &'static str,
    pub comment_count: usize,
    pub comments: Vec<CommentView>,
    #[schema(value_type = Vec<Object>)]
    pub feedback: Vec<OpinionGroup>,
    pub feedback_note: String,
    pub feedback_published_on: Option<NaiveDate>,
    /// Staff: what they may do now: moderate, feedback, publish.
    pub may: Vec<&'static str>,
    pub feedback_by: String,
}

fn view(
    c: &Consultation,
    comments: Vec<gongkai_store::Comment>,
    org: Option<&Org>,
    today: NaiveDate,
    staff: Option<&Actor>,
) -> ConsultationView {
    let stage = c.stage(today);
    let published = c.feedback_published_on.is_some();
    let accepted = comments.iter().filter(|m| m.state == CommentState::Accepted).count();
    let shown: Vec<CommentView> = comments
        .into_iter()
        .filter(|m| staff.is_some() || (c.show_comments && m.state == CommentState::Accepted))
        .map(|m| CommentView {
            id: m.id,
            name: if staff.is_some() {
                m.name.clone()
            } else if m.name.trim().is_empty() {
                "匿名".into()
            } else {
                gongkai_core::letter::masked_name(&m.name)
            },
            article: m.article,
            body: if staff.is_some() { m.body } else { gongkai_core::letter::public_text(&m.body) },
            on: gongkai_core::index_no::beijing_date(m.created_at),
            state: m.state.as_str().into(),
            state_label: m.state.label(),
            reason: m.reason,
            contact: if staff.is_some() { m.contact } else { String::new() },
        })
        .collect();
    let may = match (staff, org) {
        (Some(a), Some(o)) => {
            let mut may = Vec::new();
            if gongkai_core::consultation::may_run(a, &o.path).is_ok() {
                may.push("moderate");
                if stage == ConsultationStage::Closed {
                    may.push("feedback");
                }
            }
            if gongkai_core::consultation::may_publish_feedback(a, &o.path, stage, &c.feedback_by).is_ok() {
                may.push("publish");
            }
            may
        }
        _ => Vec::new(),
    };
    ConsultationView {
        id: c.id,
        org_name: org.map(|o| o.name.clone()).unwrap_or_default(),
        org_code: org.map(|o| o.code().to_string()).unwrap_or_default(),
        kind_label: c.kind.label(),
        title: c.title.clone(),
        draft_item_id: c.draft_item_id,
        final_item_id: c.final_item_id,
        explanation: c.explanation.clone(),
        opens_on: c.opens_on,
        closes_on: c.closes_on,
        days: (c.closes_on - c.opens_on).num_days() + 1,
        short_reason: c.short_reason.clone(),
        channels: c.channels.clone(),
        stage: stage.as_str().into(),
        stage_label: stage.label(),
        comment_count: accepted,
        comments: shown,
        // The public sees the report once published; staff see the draft.
        feedback: if published || staff.is_some() { c.groups() } else { Vec::new() },
        feedback_note: if published || staff.is_some() { c.feedback_note.clone() } else { String::new() },
        feedback_published_on: c.feedback_published_on,
        may,
        feedback_by: if staff.is_some() { c.feedback_by.clone() } else { String::new() },
    }
}

async fn orgs_by_id(state: &AppState) -> Result<HashMap<i64, Org>, AppError> {
    Ok(state.store.orgs().await?.into_iter().map(|o| (o.id, o)).collect())
}

/// Opens a consultation for the staff member's org.
pub async fn open(state: &AppState, actor: &Actor, ctx: &AuditCtx, b: OpenBody) -> Result<ConsultationView, AppError> {
    let kind = ConsultationKind::parse(&b.kind)
        .ok_or_else(|| AppError::invalid_field("invalid_kind", "kind", "请选择征集事项类别"))?;
    let opens_on = b.opens_on.unwrap_or_else(|| state.today());
    let closes_on =
        b.closes_on.unwrap_or(opens_on + chrono::Duration::days(gongkai_core::consultation::DEFAULT_DAYS - 1));
    let new = NewConsultation {
        org_id: actor.org_id,
        kind,
        title: b.title,
        draft_item_id: b.draft_item_id,
        explanation: b.explanation,
        opens_on,
        closes_on,
        short_reason: b.short_reason,
        channels: b.channels,
        show_comments: b.show_comments,
        final_item_id: b.final_item_id,
        block_final: b.block_final,
    };
    let c = state.store.open_consultation(ctx, actor, new).await?;
    for_staff(state, actor, c.id).await
}

/// Every consultation as the public sees it, open ones first; of one org on its sub-site.
pub async fn public_list(state: &AppState, of: Option<&Org>) -> Result<Vec<ConsultationView>, AppError> {
    let orgs = orgs_by_id(state).await?;
    let counts = state.store.accepted_comment_counts().await?;
    let today = state.today();
    let mut out: Vec<ConsultationView> = state
        .store
        .consultations()
        .await?
        .iter()
        .filter(|c| c.opens_on <= today && of.is_none_or(|o| o.id == c.org_id))
        .map(|c| listed(c, &counts, orgs.get(&c.org_id), today, None))
        .collect();
    out.sort_by_key(|v| v.stage != ConsultationStage::Open.as_str());
    Ok(out)
}

/// A consultation as a list shows it: its accepted comments counted, none shown.
fn listed(
    c: &Consultation,
    counts: &HashMap<i64, usize>,
    org: Option<&Org>,
    today: NaiveDate,
    staff: Option<&Actor>,
) -> ConsultationView {
    let mut v = view(c, Vec::new(), org, today, staff);
    v.comment_count = counts.get(&c.id).copied().unwrap_or(0);
    v
}

/// One consultation as the public sees it.
pub async fn public_one(state: &AppState, id: i64) -> Result<ConsultationView, AppError> {
    let today = state.today();
    let c = state
        .store
        .consultation(id)
        .await?
        .filter(|c| c.opens_on <= today)
        .ok_or_else(|| AppError::NotFound("未找到意见征集".into()))?;
    let org = state.store.org_by_id(c.org_id).await?;
    let comments = state.store.comments(c.id).await?;
    Ok(view(&c, comments, org.as_ref(), today, None))
}

/// One consultation for the org's staff (and the office above).
pub async fn for_staff(state: &AppState, actor: &Actor, id: i64) -> Result<ConsultationView, AppError> {
    let c = state.store.consultation(id).await?.ok_or_else(|| AppError::NotFound("未找到意见征集".into()))?;
    let org = state.store.org_by_id(c.org_id).await?.ok_or_else(|| AppError::NotFound("未找到单位".into()))?;
    actor.may_supervise(&org.path)?;
    let comments = state.store.comments(c.id).await?;
    Ok(view(&c, comments, Some(&org), state.today(), Some(actor)))
}

/// The consultations of the orgs a staff member works in or oversees; of one org when asked.
pub async fn workspace(state: &AppState, actor: &Actor, of: Option<i64>) -> Result<Vec<ConsultationView>, AppError> {
    let orgs = orgs_by_id(state).await?;
    let counts = state.store.accepted_comment_counts().await?;
    let today = state.today();
    Ok(state
        .store
        .consultations()
        .await?
        .iter()
        .filter(|c| of.is_none_or(|o| o == c.org_id))
        .filter_map(|c| {
            let org = orgs.get(&c.org_id)?;
            actor.may_supervise(&org.path).ok()?;
            Some(listed(c, &counts, Some(org), today, Some(actor)))
        })
        .collect())
}

/// A comment from the public.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CommentBody {
    #[serde(default)]
    pub name: String,
    /// 联系方式（不公开）.
    #[serde(default)]
    pub contact: String,
    /// 针对的条款（如 第三条；不填为总体意见）.
    #[serde(default)]
    pub article: String,
    pub body: String,
}

/// Files a comment; answers whether it was new.
pub async fn comment(state: &AppState, id: i64, b: CommentBody, key: Option<String>) -> Result<bool, AppError> {
    let key = key.filter(|k| !k.trim().is_empty() && k.len() <= 100);
    let (_, created) = state
        .store
        .comment(
            id,
            state.today(),
            NewComment { name: b.name, contact: b.contact, article: b.article, body: b.body, idempotency_key: key },
        )
        .await?;
    Ok(created)
}

/// Moderates a comment.
pub async fn moderate(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    comment: i64,
    accept: bool,
    reason: &str,
) -> Result<(), AppError> {
    state.store.moderate(ctx, actor, comment, accept, reason).await?;
    Ok(())
}

/// Saves the feedback report's draft.
pub async fn save_feedback(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    groups: Vec<OpinionGroup>,
    note: &str,
) -> Result<ConsultationView, AppError> {
    state.store.save_feedback(ctx, actor, id, groups, note).await?;
    for_staff(state, actor, id).await
}

/// Publishes the feedback report.
pub async fn publish_feedback(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
) -> Result<ConsultationView, AppError> {
    state.store.publish_feedback(ctx, actor, id).await?;
    for_staff(state, actor, id).await
}

/// A consultation the item is the final policy of, as its editor sees it.
#[derive(Debug, Clone)]
pub struct FinalHold {
    pub consultation_id: i64,
    pub title: String,
    /// The feedback report is published.
    pub feedback_published: bool,
    /// Publication waits for the feedback report (else it only warns).
    pub blocks: bool,
}

/// The consultations holding the item as their final policy.
pub async fn holds_on_final(state: &AppState, item_id: i64) -> Result<Vec<FinalHold>, AppError> {
    Ok(state
        .store
        .consultations_of_final(item_id)
        .await?
        .into_iter()
        .map(|c| FinalHold {
            consultation_id: c.id,
            title: c.title,
            feedback_published: c.feedback_published_on.is_some(),
            blocks: c.block_final,
        })
        .collect())
}

/// May this staff member open consultations (an editor or the office of their org)?
pub fn may_open(actor: &Actor) -> bool {
    actor.has(Role::Editor) || actor.has(Role::Supervisor)
}
