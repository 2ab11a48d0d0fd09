//! Consultations on drafts in the store: the consultation with its period, comments filed by
//! the public (idempotent) and moderated, the feedback report saved as a draft and published
//! by a leader other than its drafter — every rule from `core::consultation`, every change
//! with its audit row.

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx, Update, org_path};
use crate::tracking::clean;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::Actor;
use gongkai_core::consultation::{
    CommentState, ConsultationKind, ConsultationRefusal, ConsultationStage, OpinionGroup, check_comment,
    check_feedback, check_period, may_publish_feedback, may_run, stage,
};
use sea_query::Value;
use serde_json::json;

/// A stored consultation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Consultation {
    pub id: i64,
    pub org_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: ConsultationKind,
    pub title: String,
    pub draft_item_id: Option<i64>,
    pub explanation: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub short_reason: String,
    pub channels: String,
    pub show_comments: bool,
    pub final_item_id: Option<i64>,
    pub block_final: bool,
    pub feedback: String,
    pub feedback_note: String,
    pub feedback_by: String,
    pub feedback_published_on: Option<NaiveDate>,
    pub version: i64,
}

const COLUMNS: &str = "id, org_id, kind, title, draft_item_id, explanation, opens_on, closes_on, short_reason, \
    channels, show_comments, final_item_id, block_final, feedback, feedback_note, feedback_by, feedback_published_on, version";

impl Consultation {
    /// The stage on `today`.
    pub fn stage(&self, today: NaiveDate) -> ConsultationStage {
        stage(self.closes_on, self.feedback_published_on.is_some(), today)
    }

    /// The feedback report's groups (saved or published).
    pub fn groups(&self) -> Vec<OpinionGroup> {
        serde_json::from_str(&self.feedback).unwrap_or_default()
    }
}

/// A consultation to open.
#[derive(Debug, Clone)]
pub struct NewConsultation {
    pub org_id: i64,
    pub kind: ConsultationKind,
    pub title: String,
    pub draft_item_id: Option<i64>,
    pub explanation: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub short_reason: String,
    pub channels: String,
    pub show_comments: bool,
    pub final_item_id: Option<i64>,
    pub block_final: bool,
}

/// A comment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Comment {
    pub id: i64,
    pub consultation_id: i64,
    pub name: String,
    pub contact: String,
    pub article: String,
    pub body: String,
    #[sqlx(try_from = "String")]
    pub state: CommentState,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// A comment from the public.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub name: String,
    pub contact: String,
    pub article: String,
    pub body: String,
    pub idempotency_key: Option<String>,
}

/// Errors of consultation operations.
#[derive(Debug, thiserror::Error)]
pub enum ConsultationError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Refused(#[from] ConsultationRefusal),
}

impl From<sqlx::Error> for ConsultationError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

async fn load(tx: &mut Tx, id: i64) -> Result<Consultation, StoreError> {
    tx.ex()
        .fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM consultations WHERE id = $1"), vec![id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("意见征集 {id}")))
}

/// An item of `org_id`, for linking as the draft or the final policy.
async fn own_item(tx: &mut Tx, item: Option<i64>, org_id: i64, what: &str) -> Result<(), StoreError> {
    let Some(item) = item else { return Ok(()) };
    let row: Option<(i64,)> =
        tx.ex().fetch_optional(Sql("SELECT org_id FROM items WHERE id = $1", vec![item.into()])).await?;
    match row {
        Some((o,)) if o == org_id => Ok(()),
        _ => Err(StoreError::Invalid(format!("{what}须为本单位的信息（编号 {item}）"))),
    }
}

const COMMENT_COLUMNS: &str = "id, consultation_id, name, contact, article, body, state, reason, created_at";

impl Store {
    /// Opens a consultation of an org (its editors or office).
    pub async fn open_consultation(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        new: NewConsultation,
    ) -> Result<Consultation, ConsultationError> {
        if new.title.trim().is_empty() {
            return Err(ConsultationRefusal::Required("标题").into());
        }
        check_period(new.kind, new.opens_on, new.closes_on, &new.short_reason)?;
        let mut tx = self.pool.begin().await?;
        let path = org_path(&mut tx, new.org_id).await?;
        may_run(actor, &path).map_err(ConsultationRefusal::from)?;
        own_item(&mut tx, new.draft_item_id, new.org_id, "征求意见稿").await?;
        own_item(&mut tx, new.final_item_id, new.org_id, "正式文件").await?;
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO consultations (org_id, kind, title, draft_item_id, explanation, opens_on, closes_on, short_reason, \
                 channels, show_comments, final_item_id, block_final, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                vec![
                    new.org_id.into(),
                    new.kind.as_str().into(),
                    clean(&new.title, 200).into(),
                    Value::BigInt(new.draft_item_id),
                    clean(&new.explanation, 20_000).into(),
                    new.opens_on.into(),
                    new.closes_on.into(),
                    clean(&new.short_reason, 500).into(),
                    clean(&new.channels, 1000).into(),
                    new.show_comments.into(),
                    Value::BigInt(new.final_item_id),
                    new.block_final.into(),
                    actor.username.as_str().into(),
                    now.into(),
                ],
            ))
            .await?;
        let after = json!({ "title": new.title, "opens_on": new.opens_on, "closes_on": new.closes_on, "final_item_id": new.final_item_id });
        tx.audit(ctx, "consultation.open", "consultation", id.to_string(), String::new(), after.to_string()).await?;
        let c = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(c)
    }

    /// A consultation by id.
    pub async fn consultation(&self, id: i64) -> Result<Option<Consultation>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM consultations WHERE id = $1"), vec![id.into()]))
            .await
    }

    /// The consultations whose final policy is `item_id` (normally one).
    pub async fn consultations_of_final(&self, item_id: i64) -> Result<Vec<Consultation>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {COLUMNS} FROM consultations WHERE final_item_id = $1 ORDER BY id"),
                vec![item_id.into()],
            ))
            .await
    }

    /// Every consultation, newest first.
    pub async fn consultations(&self) -> Result<Vec<Consultation>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {COLUMNS} FROM consultations ORDER BY opens_on DESC, id DESC LIMIT 2000"),
                vec![],
            ))
            .await
    }

    /// Files a comment while the consultation is open; the same key again answers the comment
    /// filed then. Comments wait for moderation.
    pub async fn comment(
        &self,
        id: i64,
        today: NaiveDate,
        new: NewComment,
    ) -> Result<(Comment, bool), ConsultationError> {
        check_comment(&new.name, &new.contact, &new.article, &new.body)?;
        let c = self.consultation(id).await?.ok_or_else(|| StoreError::NotFound("意见征集".into()))?;
        if c.stage(today) != ConsultationStage::Open || today < c.opens_on {
            return Err(ConsultationRefusal::NotOpen.into());
        }
        if let Some(key) = &new.idempotency_key {
            let mut conn = self.pool.conn().await?;
            let seen: Option<Comment> = conn
                .ex()
                .fetch_optional(Sql(
                    &format!("SELECT {COMMENT_COLUMNS} FROM consultation_comments WHERE idempotency_key = $1"),
                    vec![key.as_str().into()],
                ))
                .await?;
            if let Some(seen) = seen {
                if seen.consultation_id == id && seen.body == clean(&new.body, 5000) {
                    return Ok((seen, false));
                }
                return Err(StoreError::KeyReused.into());
            }
        }
        let mut tx = self.pool.begin().await?;
        let now = tx.now;
        let (cid,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO consultation_comments (consultation_id, name, contact, article, body, state, idempotency_key, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                vec![
                    id.into(),
                    clean(&new.name, 50).into(),
                    clean(&new.contact, 100).into(),
                    clean(&new.article, 50).into(),
                    clean(&new.body, 5000).into(),
                    CommentState::Pending.as_str().into(),
                    Value::String(new.idempotency_key.clone()),
                    now.into(),
                ],
            ))
            .await?;
        tx.audit(
            &AuditCtx::system(),
            "consultation.comment",
            "consultation",
            id.to_string(),
            String::new(),
            cid.to_string(),
        )
        .await?;
        let comment = tx
            .ex()
            .fetch_one(Sql(
                &format!("SELECT {COMMENT_COLUMNS} FROM consultation_comments WHERE id = $1"),
                vec![cid.into()],
            ))
            .await?;
        tx.commit().await?;
        Ok((comment, true))
    }

    /// How many accepted comments each consultation has (those without any are left out).
    pub async fn accepted_comment_counts(&self) -> Result<std::collections::HashMap<i64, usize>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64, i64)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT consultation_id, COUNT(*) FROM consultation_comments WHERE state = $1 GROUP BY consultation_id",
                vec![CommentState::Accepted.as_str().into()],
            ))
            .await?;
        Ok(rows.into_iter().map(|(id, n)| (id, usize::try_from(n).unwrap_or(0))).collect())
    }

    /// A consultation's comments, oldest first.
    pub async fn comments(&self, id: i64) -> Result<Vec<Comment>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {COMMENT_COLUMNS} FROM consultation_comments WHERE consultation_id = $1 ORDER BY id LIMIT 10000"),
                vec![id.into()],
            ))
            .await
    }

    /// Moderates a comment: accepted, or rejected with the reason.
    pub async fn moderate(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        comment_id: i64,
        accept: bool,
        reason: &str,
    ) -> Result<Comment, ConsultationError> {
        if !accept && reason.trim().is_empty() {
            return Err(ConsultationRefusal::Required("不予收录的理由").into());
        }
        let mut tx = self.pool.begin().await?;
        let comment: Comment = tx
            .ex()
            .fetch_optional(Sql(
                &format!("SELECT {COMMENT_COLUMNS} FROM consultation_comments WHERE id = $1"),
                vec![comment_id.into()],
            ))
            .await?
            .ok_or_else(|| StoreError::NotFound("意见".into()))?;
        let c = load(&mut tx, comment.consultation_id).await?;
        let path = org_path(&mut tx, c.org_id).await?;
        may_run(actor, &path).map_err(ConsultationRefusal::from)?;
        let state = if accept { CommentState::Accepted } else { CommentState::Rejected };
        tx.ex()
            .execute(Sql(
                "UPDATE consultation_comments SET state = $1, reason = $2 WHERE id = $3",
                vec![state.as_str().into(), clean(reason, 500).into(), comment_id.into()],
            ))
            .await?;
        tx.audit(
            ctx,
            "consultation.moderate",
            "consultation",
            c.id.to_string(),
            comment.state.as_str().to_string(),
            json!({ "comment": comment_id, "state": state.as_str() }).to_string(),
        )
        .await?;
        let after = tx
            .ex()
            .fetch_one(Sql(
                &format!("SELECT {COMMENT_COLUMNS} FROM consultation_comments WHERE id = $1"),
                vec![comment_id.into()],
            ))
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Saves the feedback report's draft (after the period; by the org's editors or office).
    pub async fn save_feedback(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        groups: Vec<OpinionGroup>,
        note: &str,
    ) -> Result<Consultation, ConsultationError> {
        let mut tx = self.pool.begin().await?;
        let c = load(&mut tx, id).await?;
        let path = org_path(&mut tx, c.org_id).await?;
        may_run(actor, &path).map_err(ConsultationRefusal::from)?;
        match c.stage(gongkai_core::index_no::beijing_date(tx.now)) {
            ConsultationStage::Open => return Err(ConsultationRefusal::StillOpen.into()),
            ConsultationStage::Answered => return Err(ConsultationRefusal::Answered.into()),
            ConsultationStage::Closed => {}
        }
        check_feedback(&groups)?;
        let groups: Vec<OpinionGroup> = groups
            .into_iter()
            .map(|g| OpinionGroup { summary: clean(&g.summary, 1000), reason: clean(&g.reason, 2000), ..g })
            .collect();
        let mut update = Update::new("consultations");
        update.set("feedback", serde_json::to_string(&groups).unwrap_or_else(|_| "[]".into()));
        update.set("feedback_note", clean(note, 5000));
        update.set("feedback_by", actor.username.as_str());
        if !update.run(&mut tx, id, c.version).await? {
            return Err(StoreError::Conflict("意见采纳情况已被他人修改，请刷新后重试".into()).into());
        }
        tx.audit(
            ctx,
            "consultation.feedback",
            "consultation",
            id.to_string(),
            c.feedback.clone(),
            serde_json::to_string(&groups).unwrap_or_default(),
        )
        .await?;
        let after = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Publishes the feedback report (the org's approver, not its drafter); the final policy
    /// may then be published.
    pub async fn publish_feedback(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
    ) -> Result<Consultation, ConsultationError> {
        let mut tx = self.pool.begin().await?;
        let c = load(&mut tx, id).await?;
        let path = org_path(&mut tx, c.org_id).await?;
        let today = gongkai_core::index_no::beijing_date(tx.now);
        may_publish_feedback(actor, &path, c.stage(today), &c.feedback_by)?;
        let mut update = Update::new("consultations");
        update.set("feedback_published_on", today);
        if !update.run(&mut tx, id, c.version).await? {
            return Err(StoreError::Conflict("意见采纳情况已被他人修改，请刷新后重试".into()).into());
        }
        tx.audit(
            ctx,
            "consultation.publish_feedback",
            "consultation",
            id.to_string(),
            String::new(),
            today.to_string(),
        )
        .await?;
        let after = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(after)
    }
}
