//! 规范性文件清理 in the store: the documents a 清理 decision (an item, the 清理结果) lists
//! with their verdicts, saved while the decision is unpublished and applied — validity,
//! 废止/失效日期, register line, event and index — to every document in the transaction that
//! first publishes the decision. The rules are `core::cleanup`.

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx, org_path};
use crate::items::{Item, load_item};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use gongkai_core::cleanup::{CleanupRefusal, Entry, TargetFacts, Verdict, changes, check};
use gongkai_core::item::Validity;
use gongkai_core::{Actor, Role};
use sea_query::Value;
use serde_json::json;

impl From<CleanupRefusal> for StoreError {
    fn from(e: CleanupRefusal) -> Self {
        match e {
            CleanupRefusal::Published => Self::Conflict(e.to_string()),
            _ => Self::Invalid(e.to_string()),
        }
    }
}

/// A document listed in a decision, as pages show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CleanupRow {
    pub target_id: i64,
    pub title: String,
    pub doc_no: String,
    #[sqlx(try_from = "String")]
    pub verdict: Verdict,
    pub note: String,
    pub applied_at: Option<DateTime<Utc>>,
}

/// The decision that last named a document, for its page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CleanedBy {
    pub decision_id: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub verdict: Verdict,
    pub note: String,
}

impl Store {
    /// Saves the documents a 清理 decision lists (none: the item is no decision), by an
    /// editor of the decision's org, while the decision is unpublished.
    pub async fn save_cleanup(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        decision_id: i64,
        entries: Vec<Entry>,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let decision = load_item(&mut tx, decision_id).await?;
        let path = org_path(&mut tx, decision.org_id).await?;
        actor.may_work_in(Role::Editor, &path)?;
        if decision.public_rev.is_some() {
            return Err(CleanupRefusal::Published.into());
        }
        if !entries.is_empty() {
            let mut facts = Vec::with_capacity(entries.len());
            for e in entries.iter().take(gongkai_core::cleanup::MAX_ENTRIES + 1) {
                let Some(t) = tx
                    .ex()
                    .fetch_optional::<Item>(Sql(
                        &format!("SELECT {} FROM items WHERE id = $1", crate::items::ITEM_COLUMNS),
                        vec![e.target.into()],
                    ))
                    .await?
                else {
                    continue;
                };
                let tpath = org_path(&mut tx, t.org_id).await?;
                facts.push(TargetFacts {
                    id: t.id,
                    public: t.is_public(now),
                    genre: t.genre.clone(),
                    within: tpath.is_within(&path),
                    ended: matches!(t.validity.0, Validity::Repealed | Validity::Expired),
                    title: t.title,
                });
            }
            check(&entries, &facts)?;
        }
        let before: Vec<(i64, String)> = tx
            .ex()
            .fetch_all(Sql(
                "SELECT target_id, verdict FROM cleanup_entries WHERE decision_id = $1 ORDER BY position",
                vec![decision_id.into()],
            ))
            .await?;
        tx.ex().execute(Sql("DELETE FROM cleanup_entries WHERE decision_id = $1", vec![decision_id.into()])).await?;
        for (i, e) in entries.iter().enumerate() {
            tx.ex()
                .execute(Sql(
                    "INSERT INTO cleanup_entries (decision_id, target_id, position, verdict, note) VALUES ($1, $2, $3, $4, $5)",
                    vec![
                        decision_id.into(),
                        e.target.into(),
                        (i as i64).into(),
                        e.verdict.as_str().into(),
                        e.note.trim().into(),
                    ],
                ))
                .await?;
        }
        let after: Vec<(i64, &str)> = entries.iter().map(|e| (e.target, e.verdict.as_str())).collect();
        tx.audit(
            ctx,
            "item.cleanup",
            "item",
            decision_id.to_string(),
            json!(before).to_string(),
            json!(after).to_string(),
        )
        .await?;
        tx.commit().await
    }

    /// The documents a decision lists, in its order.
    pub async fn cleanup_rows(&self, decision_id: i64) -> Result<Vec<CleanupRow>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT c.target_id, i.title, i.doc_no, c.verdict, c.note, c.applied_at FROM cleanup_entries c \
                 JOIN items i ON i.id = c.target_id WHERE c.decision_id = $1 ORDER BY c.position",
                vec![decision_id.into()],
            ))
            .await
    }

    /// The public decision that last named `target`, if any.
    pub async fn cleaned_by(&self, target: i64) -> Result<Option<CleanedBy>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(
                "SELECT c.decision_id, d.title, c.verdict, c.note FROM cleanup_entries c JOIN items d ON d.id = c.decision_id \
                 WHERE c.target_id = $1 AND c.applied_at IS NOT NULL AND d.public_rev IS NOT NULL AND d.state <> 'withdrawn' \
                 ORDER BY c.applied_at DESC, c.decision_id DESC LIMIT 1",
                vec![target.into()],
            ))
            .await
    }
}

/// Applies a decision's verdicts in the transaction that publishes it (once): each document
/// ends as core decides, with a register line, an event naming the decision and a new index
/// entry. `published_at` dates the 废止/失效.
pub(crate) async fn apply_in(
    tx: &mut Tx,
    decision: &Item,
    actor: &Actor,
    published_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let rows: Vec<(i64, String, String)> = tx
        .ex()
        .fetch_all(Sql(
            "SELECT target_id, verdict, note FROM cleanup_entries WHERE decision_id = $1 AND applied_at IS NULL ORDER BY position",
            vec![decision.id.into()],
        ))
        .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let entries: Vec<Entry> = rows
        .into_iter()
        .filter_map(|(target, v, note)| Verdict::try_from(v).ok().map(|verdict| Entry { target, verdict, note }))
        .collect();
    let day = gongkai_core::index_no::beijing_date(published_at);
    let verdicts: std::collections::HashMap<i64, Verdict> = entries.iter().map(|e| (e.target, e.verdict)).collect();
    for c in changes(&entries, day) {
        let verdict = verdicts.get(&c.target).copied().unwrap_or(Verdict::Keep);
        if let Some(validity) = c.validity {
            tx.ex()
                .execute(Sql(
                    "UPDATE items SET validity = $1, repealed_on = $2, version = version + 1, updated_at = $3 WHERE id = $4",
                    vec![validity.as_str().into(), Value::ChronoDate(c.ended_on), now.into(), c.target.into()],
                ))
                .await?;
        }
        let target = load_item(tx, c.target).await?;
        let note = format!("经《{}》清理：{}", decision.title, verdict.label());
        if c.validity.is_some() {
            crate::items::write_register(
                tx,
                &target,
                "set_validity",
                target.public_rev,
                actor.username.as_str(),
                &note,
                now,
            )
            .await?;
        }
        crate::items::event(tx, &target, "cleanup", actor, &note, now).await?;
        crate::items::outbox(tx, "item", c.target, now).await?;
    }
    tx.ex()
        .execute(Sql(
            "UPDATE cleanup_entries SET applied_at = $1 WHERE decision_id = $2 AND applied_at IS NULL",
            vec![now.into(), decision.id.into()],
        ))
        .await?;
    Ok(entries.len())
}

/// A document in force, for a decision's draft.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InForce {
    pub id: i64,
    pub title: String,
    pub doc_no: String,
    pub index_no: Option<String>,
}

impl Store {
    /// The public 规章 and 行政规范性文件 in force of the org `path` and below, oldest first
    /// (at most `limit`): what a 清理 reviews.
    pub async fn documents_in_force(
        &self,
        path: &gongkai_core::OrgPath,
        limit: i64,
    ) -> Result<Vec<InForce>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT i.id, i.title, i.doc_no, i.index_no FROM items i JOIN orgs o ON o.id = i.org_id \
                 WHERE o.path LIKE $1 AND i.public_rev IS NOT NULL AND i.state <> 'withdrawn' AND i.validity IN ('valid', 'amended') \
                 AND i.genre IN ('规章', '行政规范性文件') ORDER BY i.published_at, i.id LIMIT $2",
                vec![format!("{}%", path.as_str()).into(), limit.into()],
            ))
            .await
    }
}
