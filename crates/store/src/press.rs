//! Press conferences, briefings and online interviews in the store: scheduled by an org,
//! then their record published (speakers, transcript, video, linked items) or cancelled;
//! questions to an interview are letters to the org's 访谈提问 mailbox carrying the
//! interview's id. Progress against the yearly targets is counted here; the rules are
//! `core::press`.

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx, Update, org_path};
use crate::tracking::clean;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use gongkai_core::Actor;
use gongkai_core::letter::MailboxKind;
use gongkai_core::press::{
    PlanEntry, PressKind, PressRefusal, PressState, Progress, Speaker, check_photo, check_plan, check_record,
    check_schedule, may_run,
};
use serde_json::json;
use std::collections::HashMap;

/// A stored event.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PressEvent {
    pub id: i64,
    pub org_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: PressKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub summary: String,
    pub speakers: String,
    pub principal: bool,
    pub transcript: String,
    pub video_url: String,
    #[sqlx(try_from = "String")]
    pub state: PressState,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i64,
}

const COLUMNS: &str = "id, org_id, kind, title, starts_at, place, summary, speakers, principal, transcript, video_url, \
    state, published_at, version";

impl PressEvent {
    pub fn speakers(&self) -> Vec<Speaker> {
        serde_json::from_str(&self.speakers).unwrap_or_default()
    }
}

/// Errors of press operations.
#[derive(Debug, thiserror::Error)]
pub enum PressError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Refused(#[from] PressRefusal),
}

impl From<sqlx::Error> for PressError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

/// What a schedule sets.
#[derive(Debug, Clone)]
pub struct PressInput {
    pub kind: PressKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub summary: String,
}

/// What a published record sets.
#[derive(Debug, Clone, Default)]
pub struct PressRecord {
    pub speakers: Vec<Speaker>,
    pub transcript: String,
    pub video_url: String,
    /// Policies and interpretations it explains.
    pub items: Vec<i64>,
}

async fn load(tx: &mut Tx, id: i64) -> Result<PressEvent, StoreError> {
    tx.ex()
        .fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM press_events WHERE id = $1"), vec![id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("发布活动 {id}")))
}

impl Store {
    /// Schedules an event of the actor's org; an interview opens the org's 访谈提问 mailbox
    /// (created on first use) for questions.
    pub async fn schedule_press(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        input: PressInput,
    ) -> Result<PressEvent, PressError> {
        may_run(actor, &actor.org_path).map_err(PressRefusal::from)?;
        let now = self.now();
        check_schedule(&input.title, input.starts_at, now, true)?;
        let mut tx = self.pool.begin().await?;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO press_events (org_id, kind, title, starts_at, place, summary, state, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                vec![
                    actor.org_id.into(),
                    input.kind.as_str().into(),
                    clean(&input.title, 200).into(),
                    input.starts_at.into(),
                    clean(&input.place, 200).into(),
                    clean(&input.summary, 2000).into(),
                    PressState::Scheduled.as_str().into(),
                    actor.username.as_str().into(),
                    now.into(),
                    now.into(),
                ],
            ))
            .await?;
        if input.kind == PressKind::Interview {
            let days = self.site_settings().await?.interview_answer_days;
            crate::letters::ensure_mailbox(
                &mut tx,
                actor.org_id,
                MailboxKind::Interview,
                i64::from(days),
                "在线访谈前征集网友提问；访谈中未现场答复的，访谈后书面答复。",
                now,
            )
            .await?;
        }
        tx.audit(
            ctx,
            "press.schedule",
            "press",
            id.to_string(),
            String::new(),
            json!({ "kind": input.kind.as_str(), "title": input.title }).to_string(),
        )
        .await?;
        let e = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(e)
    }

    /// Publishes the record of a held event: speakers, transcript, video and linked items.
    pub async fn publish_press_record(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        record: PressRecord,
    ) -> Result<PressEvent, PressError> {
        let now = self.now();
        for &item in &record.items {
            if self.public_item(item).await?.is_none() {
                return Err(StoreError::Invalid(format!("关联的信息 {item} 尚未公开")).into());
            }
        }
        let mut tx = self.pool.begin().await?;
        let before = load(&mut tx, id).await?;
        may_run(actor, &org_path(&mut tx, before.org_id).await?).map_err(PressRefusal::from)?;
        check_record(before.state, before.starts_at, &record.speakers, &record.transcript, &record.video_url, now)?;
        let mut update = Update::new("press_events");
        update.set("speakers", serde_json::to_string(&record.speakers).unwrap_or_default());
        update.set("principal", record.speakers.iter().any(|s| s.principal));
        update.set("transcript", clean(&record.transcript, 200_000));
        update.set("video_url", clean(&record.video_url, 500));
        update.set("state", PressState::Held.as_str());
        update.set("updated_at", now);
        if before.published_at.is_none() {
            update.set("published_at", now);
        }
        if !update.run(&mut tx, id, before.version).await? {
            return Err(StoreError::Conflict("活动已被他人修改，请刷新后重试".into()).into());
        }
        tx.ex().execute(Sql("DELETE FROM press_links WHERE press_id = $1", vec![id.into()])).await?;
        let mut seen = Vec::new();
        for &item in record.items.iter().take(30) {
            if !seen.contains(&item) {
                seen.push(item);
                tx.ex()
                    .execute(Sql(
                        "INSERT INTO press_links (press_id, item_id) VALUES ($1, $2)",
                        vec![id.into(), item.into()],
                    ))
                    .await?;
            }
        }
        tx.audit(
            ctx,
            "press.publish",
            "press",
            id.to_string(),
            before.state.as_str().into(),
            json!({ "state": "held", "items": seen }).to_string(),
        )
        .await?;
        let e = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(e)
    }

    /// Cancels a scheduled event, with the reason.
    pub async fn cancel_press(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        reason: &str,
    ) -> Result<PressEvent, PressError> {
        if reason.trim().is_empty() {
            return Err(PressRefusal::Required("取消原因").into());
        }
        let mut tx = self.pool.begin().await?;
        let before = load(&mut tx, id).await?;
        may_run(actor, &org_path(&mut tx, before.org_id).await?).map_err(PressRefusal::from)?;
        if before.state != PressState::Scheduled {
            return Err(PressRefusal::NotInState(before.state, "取消").into());
        }
        let mut update = Update::new("press_events");
        update.set("state", PressState::Cancelled.as_str());
        update.set("summary", clean(&format!("{}\n（已取消：{}）", before.summary, reason.trim()), 2500));
        update.set("updated_at", self.now());
        if !update.run(&mut tx, id, before.version).await? {
            return Err(StoreError::Conflict("活动已被他人修改，请刷新后重试".into()).into());
        }
        tx.audit(ctx, "press.cancel", "press", id.to_string(), before.state.as_str().into(), clean(reason, 500))
            .await?;
        let e = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(e)
    }

    /// An event by id.
    pub async fn press_event(&self, id: i64) -> Result<Option<PressEvent>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM press_events WHERE id = $1"), vec![id.into()]))
            .await
    }

    /// Events, the latest first: of the orgs in `org_ids` (all when empty), of one kind
    /// (conferences and briefings together when `interviews` is false).
    pub async fn press_events(&self, org_ids: &[i64], interviews: Option<bool>) -> Result<Vec<PressEvent>, StoreError> {
        let mut cond = String::from("WHERE 1 = 1");
        let mut values: Vec<sea_query::Value> = Vec::new();
        match interviews {
            Some(true) => cond.push_str(" AND kind = 'interview'"),
            Some(false) => cond.push_str(" AND kind <> 'interview'"),
            None => {}
        }
        if !org_ids.is_empty() {
            values.extend(org_ids.iter().map(|&o| sea_query::Value::from(o)));
            let list = (1..=org_ids.len()).map(|k| format!("${k}")).collect::<Vec<_>>().join(", ");
            cond.push_str(&format!(" AND org_id IN ({list})"));
        }
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {COLUMNS} FROM press_events {cond} ORDER BY starts_at DESC, id DESC LIMIT 500"),
                values,
            ))
            .await
    }

    /// The items an event explains.
    pub async fn press_items(&self, id: i64) -> Result<Vec<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64,)> = conn
            .ex()
            .fetch_all(Sql("SELECT item_id FROM press_links WHERE press_id = $1 ORDER BY item_id", vec![id.into()]))
            .await?;
        Ok(rows.into_iter().map(|(i,)| i).collect())
    }

    /// Each org's progress in the events held from `from` to `to` (exclusive).
    pub async fn press_progress(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<HashMap<i64, Progress>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64, String, bool, i64)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT org_id, kind, principal, COUNT(*) FROM press_events WHERE state = 'held' AND starts_at >= $1 AND starts_at < $2 \
                 GROUP BY org_id, kind, principal",
                vec![from.into(), to.into()],
            ))
            .await?;
        let mut out: HashMap<i64, Progress> = HashMap::new();
        for (org, kind, principal, n) in rows {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            let p = out.entry(org).or_default();
            match PressKind::parse(&kind) {
                Some(k) if k.counts_as_press() => {
                    p.held += n;
                    if principal {
                        p.principal += n;
                    }
                }
                Some(_) => p.interviews += n,
                None => {}
            }
        }
        Ok(out)
    }

    /// The questions to an interview, oldest first.
    pub async fn interview_questions(&self, id: i64) -> Result<Vec<crate::Letter>, StoreError> {
        let ids: Vec<(i64,)> = {
            let mut conn = self.pool.conn().await?;
            conn.ex()
                .fetch_all(Sql(
                    "SELECT id FROM letters WHERE interview_id = $1 ORDER BY id LIMIT 2000",
                    vec![id.into()],
                ))
                .await?
        };
        let mut out = Vec::new();
        for (lid,) in ids {
            if let Some(l) = self.letter(lid).await? {
                out.push(l);
            }
        }
        Ok(out)
    }

    /// The 访谈提问 mailbox of an org, if it has one.
    pub async fn interview_mailbox(&self, org_id: i64) -> Result<Option<crate::letters::Mailbox>, StoreError> {
        Ok(self
            .mailboxes()
            .await?
            .into_iter()
            .find(|m| m.org_id == org_id && m.kind == MailboxKind::Interview && m.active))
    }
}

/// An org's interview plan for a year.
#[derive(Debug, Clone)]
pub struct InterviewPlan {
    pub org_id: i64,
    pub entries: Vec<PlanEntry>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

impl Store {
    /// Replaces an org's interview plan for `year` (its editors or office; the lines checked by
    /// `core::press::check_plan`; an empty plan removes it).
    pub async fn save_interview_plan(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        org_id: i64,
        year: i32,
        entries: Vec<PlanEntry>,
    ) -> Result<(), PressError> {
        let mut tx = self.pool.begin().await?;
        let path = org_path(&mut tx, org_id).await?;
        may_run(actor, &path).map_err(PressRefusal::from)?;
        check_plan(&entries)?;
        let entries: Vec<PlanEntry> = entries
            .into_iter()
            .map(|e| PlanEntry { month: e.month, topic: clean(&e.topic, 100), guests: clean(&e.guests, 200) })
            .collect();
        let now = tx.now;
        let before = plan_in(&mut tx, org_id, year).await?;
        tx.ex()
            .execute(Sql(
                "DELETE FROM interview_plans WHERE org_id = $1 AND year = $2",
                vec![org_id.into(), year.into()],
            ))
            .await?;
        if !entries.is_empty() {
            tx.ex()
                .execute(Sql(
                    "INSERT INTO interview_plans (org_id, year, entries, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)",
                    vec![
                        org_id.into(),
                        year.into(),
                        serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into()).into(),
                        actor.username.as_str().into(),
                        now.into(),
                    ],
                ))
                .await?;
        }
        tx.audit(
            ctx,
            "interview_plan.save",
            "org",
            org_id.to_string(),
            before.map(|p| json!({ "year": year, "entries": p.entries.len() }).to_string()).unwrap_or_default(),
            json!({ "year": year, "entries": entries.len() }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The interview plans of `year`, one per org that has one.
    pub async fn interview_plans(&self, year: i32) -> Result<Vec<InterviewPlan>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64, String, String, DateTime<Utc>)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT org_id, entries, updated_by, updated_at FROM interview_plans WHERE year = $1 ORDER BY org_id",
                vec![year.into()],
            ))
            .await?;
        Ok(rows.into_iter().map(plan_of).collect())
    }
}

fn plan_of((org_id, entries, updated_by, updated_at): (i64, String, String, DateTime<Utc>)) -> InterviewPlan {
    InterviewPlan { org_id, entries: serde_json::from_str(&entries).unwrap_or_default(), updated_by, updated_at }
}

async fn plan_in(tx: &mut Tx, org_id: i64, year: i32) -> Result<Option<InterviewPlan>, StoreError> {
    let row: Option<(i64, String, String, DateTime<Utc>)> = tx
        .ex()
        .fetch_optional(Sql(
            "SELECT org_id, entries, updated_by, updated_at FROM interview_plans WHERE org_id = $1 AND year = $2",
            vec![org_id.into(), year.into()],
        ))
        .await?;
    Ok(row.map(plan_of))
}

/// A photo of an event.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PressPhoto {
    pub id: i64,
    pub event_id: i64,
    pub caption: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
}

const PHOTO_COLUMNS: &str = "id, event_id, caption, mime, size, sha256";

impl Store {
    /// Adds a photo (already in the file store) to a held event of an org the actor runs
    /// press events for (`core::press::check_photo`).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_press_photo(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        event_id: i64,
        caption: &str,
        mime: &str,
        size: i64,
        sha256: &str,
    ) -> Result<PressPhoto, PressError> {
        let mut tx = self.pool.begin().await?;
        let e = load(&mut tx, event_id).await?;
        may_run(actor, &org_path(&mut tx, e.org_id).await?).map_err(PressRefusal::from)?;
        let (count,): (i64,) = tx
            .ex()
            .fetch_one(Sql("SELECT COUNT(*) FROM press_photos WHERE event_id = $1", vec![event_id.into()]))
            .await?;
        check_photo(e.state, caption, usize::try_from(count).unwrap_or(usize::MAX))?;
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO press_photos (event_id, caption, mime, size, sha256, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                vec![
                    event_id.into(),
                    clean(caption, 200).into(),
                    mime.into(),
                    size.into(),
                    sha256.into(),
                    actor.username.as_str().into(),
                    now.into(),
                ],
            ))
            .await?;
        tx.audit(
            ctx,
            "press.photo_add",
            "press",
            event_id.to_string(),
            String::new(),
            json!({ "photo": id, "caption": caption }).to_string(),
        )
        .await?;
        let p = tx
            .ex()
            .fetch_one(Sql(&format!("SELECT {PHOTO_COLUMNS} FROM press_photos WHERE id = $1"), vec![id.into()]))
            .await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Removes a photo from its event (the audit trail keeps its record).
    pub async fn remove_press_photo(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        event_id: i64,
        photo_id: i64,
    ) -> Result<(), PressError> {
        let mut tx = self.pool.begin().await?;
        let e = load(&mut tx, event_id).await?;
        may_run(actor, &org_path(&mut tx, e.org_id).await?).map_err(PressRefusal::from)?;
        let p: Option<PressPhoto> = tx
            .ex()
            .fetch_optional(Sql(
                &format!("SELECT {PHOTO_COLUMNS} FROM press_photos WHERE id = $1 AND event_id = $2"),
                vec![photo_id.into(), event_id.into()],
            ))
            .await?;
        let p = p.ok_or_else(|| StoreError::NotFound(format!("图片 {photo_id}")))?;
        tx.ex().execute(Sql("DELETE FROM press_photos WHERE id = $1", vec![photo_id.into()])).await?;
        tx.audit(
            ctx,
            "press.photo_remove",
            "press",
            event_id.to_string(),
            json!({ "photo": p.id, "caption": p.caption, "sha256": p.sha256 }).to_string(),
            String::new(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An event's photos, in the order added.
    pub async fn press_photos(&self, event_id: i64) -> Result<Vec<PressPhoto>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {PHOTO_COLUMNS} FROM press_photos WHERE event_id = $1 ORDER BY id"),
                vec![event_id.into()],
            ))
            .await
    }
}
