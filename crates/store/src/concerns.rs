//! Concerns (政务舆情) in the store: logged by staff, each step decided by
//! `core::concern::decide` and applied in one transaction with its event and audit row; a
//! response links a public item, a held press conference or a held interview, and stamps
//! the times its clocks are measured against. The log is staff-only; the public sees the
//! responses ([`Store::public_responses`]).

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx, Update, org_path};
use crate::tracking::clean;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use gongkai_core::Actor;
use gongkai_core::concern::{
    ConcernFacts, ConcernRefusal, ConcernSource, ConcernStage, ConcernStep, ResponseKind, Severity, check_new, decide,
    may_handle,
};
use gongkai_core::press::{PressKind, PressState};
use sea_query::Value;
use serde_json::json;

/// A stored concern.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Concern {
    pub id: i64,
    pub org_id: i64,
    pub logged_org_id: i64,
    #[sqlx(try_from = "String")]
    pub source: ConcernSource,
    pub source_detail: String,
    pub first_seen_at: DateTime<Utc>,
    pub topic: String,
    pub summary: String,
    #[sqlx(try_from = "String")]
    pub severity: Severity,
    #[sqlx(try_from = "String")]
    pub stage: ConcernStage,
    pub police: bool,
    pub evaluation: String,
    pub first_response_at: Option<DateTime<Utc>>,
    pub first_press_at: Option<DateTime<Utc>>,
    pub version: i64,
}

const COLUMNS: &str = "id, org_id, logged_org_id, source, source_detail, first_seen_at, topic, summary, severity, stage, \
    police, evaluation, first_response_at, first_press_at, version";

impl Concern {
    /// The clocks at `now`.
    pub fn clocks(&self, now: DateTime<Utc>) -> Vec<gongkai_core::concern::ClockState> {
        gongkai_core::concern::clock_states(
            self.severity,
            self.first_seen_at,
            self.first_response_at,
            self.first_press_at,
            now,
        )
    }
}

/// An event on a concern's timeline.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConcernEvent {
    pub id: i64,
    pub step: String,
    pub actor: String,
    pub org_id: i64,
    pub note: String,
    pub ref_kind: Option<String>,
    pub ref_id: Option<i64>,
    pub done_id: Option<i64>,
    pub at: DateTime<Utc>,
}

/// A new concern as logged.
#[derive(Debug, Clone)]
pub struct NewConcern {
    pub source: ConcernSource,
    pub source_detail: String,
    pub first_seen_at: DateTime<Utc>,
    pub topic: String,
    pub summary: String,
    pub severity: Severity,
    /// 属地: the local org of a local event.
    pub local_org_id: Option<i64>,
    /// The org in charge of the matter (the lead org when several).
    pub in_charge_org_id: Option<i64>,
}

/// A published response as the public 回应关切 page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicResponse {
    pub concern_id: i64,
    pub topic: String,
    pub org_id: i64,
    pub first_seen_at: DateTime<Utc>,
    pub at: DateTime<Utc>,
    pub ref_kind: String,
    pub ref_id: i64,
    pub title: String,
    pub evaluation: String,
}

/// Errors of concern operations.
#[derive(Debug, thiserror::Error)]
pub enum ConcernError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Refused(#[from] ConcernRefusal),
}

impl From<sqlx::Error> for ConcernError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

async fn load(tx: &mut Tx, id: i64) -> Result<Concern, StoreError> {
    tx.ex()
        .fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM concerns WHERE id = $1"), vec![id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("舆情 {id}")))
}

#[allow(clippy::too_many_arguments)]
async fn event(
    tx: &mut Tx,
    id: i64,
    step: &str,
    actor: &str,
    org_id: i64,
    note: &str,
    reference: Option<(&str, i64)>,
    done: Option<i64>,
) -> Result<(), StoreError> {
    let now = tx.now;
    tx.ex()
        .execute(Sql(
            "INSERT INTO concern_events (concern_id, step, actor, org_id, note, ref_kind, ref_id, done_id, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            vec![
                id.into(),
                step.into(),
                actor.into(),
                org_id.into(),
                clean(note, 5000).into(),
                Value::String(reference.map(|(k, _)| k.to_string())),
                Value::BigInt(reference.map(|(_, r)| r)),
                Value::BigInt(done),
                now.into(),
            ],
        ))
        .await?;
    Ok(())
}

impl Store {
    /// Logs a concern; the responsible org follows the seeds (属地, the org in charge, else
    /// the office: the logging staff's top-level org).
    pub async fn log_concern(&self, ctx: &AuditCtx, actor: &Actor, new: NewConcern) -> Result<Concern, ConcernError> {
        let now = self.now();
        check_new(&new.topic, new.first_seen_at, now)?;
        may_handle(actor, &actor.org_path).map_err(ConcernRefusal::from)?;
        let office = self.top_org_of(actor.org_id).await?;
        let org_id = gongkai_core::concern::responsible_org(new.local_org_id, new.in_charge_org_id, office);
        let path = self.org_by_id(org_id).await?.ok_or_else(|| StoreError::Invalid("找不到所选的单位".into()))?.path;
        // Staff log for their own org, or (the office) for any org under it.
        if may_handle(actor, &path).is_err() && gongkai_core::concern::is_office_over(actor, &path).is_err() {
            let root = self.org_by_id(office).await?.map(|o| o.path);
            if !root.is_some_and(|r| path.is_within(&r)) {
                return Err(ConcernRefusal::Denied(gongkai_core::Denied::OutsideOrg).into());
            }
        }
        let mut tx = self.pool.begin().await?;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO concerns (org_id, logged_org_id, source, source_detail, first_seen_at, topic, summary, severity, stage, \
                 created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                vec![
                    org_id.into(),
                    actor.org_id.into(),
                    new.source.as_str().into(),
                    clean(&new.source_detail, 500).into(),
                    new.first_seen_at.into(),
                    clean(&new.topic, 200).into(),
                    clean(&new.summary, 5000).into(),
                    new.severity.as_str().into(),
                    ConcernStage::Collected.as_str().into(),
                    actor.username.as_str().into(),
                    now.into(),
                    now.into(),
                ],
            ))
            .await?;
        let rule = match (new.local_org_id, new.in_charge_org_id) {
            (Some(_), _) => "属地管理",
            (None, Some(_)) => "谁主管谁负责",
            (None, None) => "涉及多个单位或职责不清，由政务公开办公室牵头",
        };
        event(&mut tx, id, "log", actor.username.as_str(), org_id, rule, None, None).await?;
        tx.audit(
            ctx,
            "concern.log",
            "concern",
            id.to_string(),
            String::new(),
            json!({ "severity": new.severity.as_str(), "org_id": org_id }).to_string(),
        )
        .await?;
        let c = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(c)
    }

    async fn top_org_of(&self, org_id: i64) -> Result<i64, StoreError> {
        let org = self.org_by_id(org_id).await?.ok_or_else(|| StoreError::NotFound("单位".into()))?;
        let root = org.path.as_str().trim_matches('/').split('/').next().and_then(|s| s.parse().ok());
        Ok(root.unwrap_or(org_id))
    }

    /// Applies a step decided by core, with its event and audit row, in one transaction.
    pub async fn apply_concern_step(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        step: ConcernStep,
    ) -> Result<Concern, ConcernError> {
        let now = self.now();
        // A response names something the public can read.
        let press_kind = match &step {
            ConcernStep::Respond { kind: ResponseKind::Item, target_id, .. } => {
                if self.public_item(*target_id).await?.is_none() {
                    return Err(
                        StoreError::Invalid(format!("回应须关联已公开的信息（信息 {target_id} 尚未公开）")).into()
                    );
                }
                None
            }
            ConcernStep::Respond { kind, target_id, .. } => {
                let e = self
                    .press_event(*target_id)
                    .await?
                    .filter(|e| e.state == PressState::Held)
                    .ok_or_else(|| StoreError::Invalid("回应须关联已举行并发布实录的发布会或访谈".into()))?;
                let wanted_interview = *kind == ResponseKind::Interview;
                if (e.kind == PressKind::Interview) != wanted_interview {
                    return Err(StoreError::Invalid("所选活动的类型与回应方式不符".into()).into());
                }
                Some(e.kind)
            }
            _ => None,
        };
        let mut tx = self.pool.begin().await?;
        let before = load(&mut tx, id).await?;
        let path = org_path(&mut tx, before.org_id).await?;
        let new_path = match &step {
            ConcernStep::Reassign { org_id, .. } => Some(org_path(&mut tx, *org_id).await?),
            _ => None,
        };
        let open: Vec<(i64,)> = tx
            .ex()
            .fetch_all(Sql(
                "SELECT e.id FROM concern_events e WHERE e.concern_id = $1 AND e.step = 'instruction' \
                 AND NOT EXISTS (SELECT 1 FROM concern_events d WHERE d.concern_id = e.concern_id AND d.done_id = e.id)",
                vec![id.into()],
            ))
            .await?;
        let open: Vec<i64> = open.into_iter().map(|(i,)| i).collect();
        let facts = ConcernFacts {
            stage: before.stage,
            org_path: &path,
            org_id: before.org_id,
            open_instructions: &open,
            new_org_path: new_path.as_ref(),
        };
        let d = decide(&facts, actor, &step)?;
        let mut update = Update::new("concerns");
        update.set("stage", d.stage.as_str());
        update.set("org_id", d.org_id);
        update.set("updated_at", now);
        if let Some(s) = d.severity {
            update.set("severity", s.as_str());
        }
        let mut reference = None;
        let mut done = None;
        match &step {
            ConcernStep::Respond { kind, target_id, .. } => {
                reference = Some((kind.as_str(), *target_id));
                if before.first_response_at.is_none() {
                    update.set("first_response_at", now);
                }
                if press_kind.is_some_and(PressKind::counts_as_press) && before.first_press_at.is_none() {
                    update.set("first_press_at", now);
                }
            }
            ConcernStep::Evaluate { .. } => update.set("evaluation", clean(&d.note, 5000)),
            ConcernStep::Police { .. } => update.set("police", true),
            ConcernStep::InstructionDone { event_id, .. } => done = Some(*event_id),
            _ => {}
        }
        if !update.run(&mut tx, id, before.version).await? {
            return Err(StoreError::Conflict("舆情已被他人处理，请刷新后重试".into()).into());
        }
        event(&mut tx, id, step.code(), actor.username.as_str(), d.org_id, &d.note, reference, done).await?;
        let after = load(&mut tx, id).await?;
        tx.audit(
            ctx,
            &format!("concern.{}", step.code()),
            "concern",
            id.to_string(),
            json!({ "stage": before.stage.as_str(), "org_id": before.org_id }).to_string(),
            json!({ "stage": after.stage.as_str(), "org_id": after.org_id }).to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A concern by id.
    pub async fn concern(&self, id: i64) -> Result<Option<Concern>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex().fetch_optional(Sql(&format!("SELECT {COLUMNS} FROM concerns WHERE id = $1"), vec![id.into()])).await
    }

    /// A concern's timeline, oldest first.
    pub async fn concern_events(&self, id: i64) -> Result<Vec<ConcernEvent>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT id, step, actor, org_id, note, ref_kind, ref_id, done_id, at FROM concern_events WHERE concern_id = $1 ORDER BY id",
                vec![id.into()],
            ))
            .await
    }

    /// Concerns of the orgs in `org_ids`, the latest first; open ones only when asked.
    pub async fn concerns_with(&self, org_ids: &[i64], open_only: bool) -> Result<Vec<Concern>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = (1..=org_ids.len()).map(|k| format!("${k}")).collect::<Vec<_>>().join(", ");
        let open = if open_only { " AND stage <> 'evaluated'" } else { "" };
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT {COLUMNS} FROM concerns WHERE org_id IN ({list}){open} ORDER BY first_seen_at DESC, id DESC LIMIT 1000"
                ),
                org_ids.iter().map(|&o| Value::from(o)).collect(),
            ))
            .await
    }

    /// Concerns first seen from `from` to `to` (exclusive), for supervision.
    pub async fn concerns_seen(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Concern>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT {COLUMNS} FROM concerns WHERE first_seen_at >= $1 AND first_seen_at < $2 ORDER BY first_seen_at, id"),
                vec![from.into(), to.into()],
            ))
            .await
    }

    /// Published responses, the latest first: responses by a public item or a held event,
    /// of the orgs in `org_ids` (all when empty); a page with the total.
    pub async fn public_responses(
        &self,
        org_ids: &[i64],
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<PublicResponse>, i64), StoreError> {
        let now = self.now();
        let mut values: Vec<Value> = vec![now.into()];
        let mut cond = String::new();
        if !org_ids.is_empty() {
            values.extend(org_ids.iter().map(|&o| Value::from(o)));
            let list = (2..2 + org_ids.len()).map(|k| format!("${k}")).collect::<Vec<_>>().join(", ");
            cond = format!(" AND c.org_id IN ({list})");
        }
        // The title of what answered: the item's public revision, or the event's title.
        let from = format!(
            "FROM concern_events e JOIN concerns c ON c.id = e.concern_id \
             LEFT JOIN items i ON e.ref_kind = 'item' AND i.id = e.ref_id AND i.state <> 'withdrawn' AND i.published_at <= $1 \
             LEFT JOIN item_revisions r ON r.item_id = i.id AND r.rev = i.public_rev AND r.disclosure_attr IN ('proactive', 'partial') \
             LEFT JOIN press_events p ON e.ref_kind IN ('press', 'interview') AND p.id = e.ref_id AND p.state = 'held' \
             WHERE e.step = 'respond' AND (r.title IS NOT NULL OR p.title IS NOT NULL){cond}"
        );
        let mut conn = self.pool.conn().await?;
        let (total,): (i64,) = conn.ex().fetch_one(Sql(&format!("SELECT COUNT(*) {from}"), values.clone())).await?;
        let n = values.len();
        values.push(limit.clamp(1, 200).into());
        values.push(offset.max(0).into());
        let rows = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT c.id AS concern_id, c.topic, c.org_id, c.first_seen_at, e.at, e.ref_kind, e.ref_id, \
                     COALESCE(r.title, p.title) AS title, c.evaluation {from} ORDER BY e.at DESC, e.id DESC LIMIT ${} OFFSET ${}",
                    n + 1,
                    n + 2
                ),
                values,
            ))
            .await?;
        Ok((rows, total))
    }
}
