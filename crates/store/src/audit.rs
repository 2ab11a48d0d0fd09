//! The append-only audit trail. Every mutating store method takes an [`AuditCtx`] and writes
//! its row in the same transaction as the change. Rows are chained by hash (see
//! `gongkai_core::audit`); the database refuses UPDATE and DELETE on the table, and
//! [`crate::Store::verify_audit_chain`] finds any row changed behind its back.

use crate::db::{Sql, Tx, insert_rows};
use crate::{Store, StoreError};
use chrono::{DateTime, TimeZone, Utc};
use gongkai_core::audit::{AuditEvent, ChainBreak, ChainVerifier};
use sea_query::Value;

/// Who is acting and from where, carried into every audit row.
#[derive(Debug, Clone)]
pub struct AuditCtx {
    /// User name, or `cli` / `system`.
    pub actor: String,
    /// Staff member's address, or `cli` / `system`.
    pub origin: String,
}

impl AuditCtx {
    /// An action taken from the command line by the operator.
    pub fn cli() -> Self {
        Self { actor: "cli".into(), origin: "cli".into() }
    }

    /// An action taken by the platform itself (demo set-up, scheduled jobs).
    pub fn system() -> Self {
        Self { actor: "system".into(), origin: "system".into() }
    }
}

/// One stored audit row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    /// Position in the chain.
    pub seq: i64,
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// What, as `area.verb`.
    pub action: String,
    /// Kind of object.
    pub object_kind: String,
    /// Which object.
    pub object_id: String,
    /// From where.
    pub origin: String,
    /// Before (JSON summary).
    pub before: String,
    /// After (JSON summary).
    pub after: String,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

impl AuditRow {
    fn event(&self) -> AuditEvent {
        AuditEvent {
            seq: self.seq,
            at: self.at,
            actor: self.actor.clone(),
            action: self.action.clone(),
            object_kind: self.object_kind.clone(),
            object_id: self.object_id.clone(),
            origin: self.origin.clone(),
            before: self.before.clone(),
            after: self.after.clone(),
        }
    }
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Rows checked and found intact, from the first.
    pub verified: i64,
    /// Where the chain breaks, if it does.
    pub broken: Option<ChainBreak>,
}

/// What an audited change records besides the actor.
pub(crate) struct Change<'a> {
    pub action: &'a str,
    pub object_kind: &'a str,
    pub object_id: String,
    pub before: String,
    pub after: String,
}

impl Tx {
    /// Records one audited change in this transaction: the action, the object (kind and id),
    /// and its state before and after.
    pub(crate) async fn audit(
        &mut self,
        ctx: &AuditCtx,
        action: &str,
        object_kind: &str,
        object_id: String,
        before: String,
        after: String,
    ) -> Result<(), StoreError> {
        append(self, ctx, Change { action, object_kind, object_id, before, after }).await
    }
}

/// Appends one audit row inside `tx`.
pub(crate) async fn append(tx: &mut Tx, ctx: &AuditCtx, change: Change<'_>) -> Result<(), StoreError> {
    append_many(tx, ctx, vec![change]).await
}

/// Appends audit rows inside `tx`, in order. Moving the head row first serialises
/// concurrent writers (a row lock in PostgreSQL, the write lock in SQLite) so the chain stays
/// linear; a batch takes the head once, chains its rows in memory and writes them together.
pub(crate) async fn append_many(tx: &mut Tx, ctx: &AuditCtx, changes: Vec<Change<'_>>) -> Result<(), StoreError> {
    if changes.is_empty() {
        return Ok(());
    }
    let n = changes.len() as i64;
    let (last_seq, mut prev_hash): (i64, String) = tx
        .ex()
        .fetch_one(Sql("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash", vec![n.into()]))
        .await?;
    let now = tx.now;
    // Stored precision is microseconds on both backends; hash what will be read back.
    let at = Utc.timestamp_micros(now.timestamp_micros()).single().unwrap_or(now);
    let mut rows = Vec::with_capacity(changes.len());
    for (seq, change) in (last_seq - n + 1..).zip(changes) {
        let event = AuditEvent {
            seq,
            at,
            actor: ctx.actor.clone(),
            action: change.action.to_string(),
            object_kind: change.object_kind.to_string(),
            object_id: change.object_id,
            origin: ctx.origin.clone(),
            before: change.before,
            after: change.after,
        };
        let hash = event.chain_hash_as(tx.chain, &prev_hash);
        rows.push(vec![
            Value::from(seq),
            Value::from(at),
            event.actor.into(),
            event.action.into(),
            event.object_kind.into(),
            event.object_id.into(),
            event.origin.into(),
            event.before.into(),
            event.after.into(),
            std::mem::replace(&mut prev_hash, hash.clone()).into(),
            hash.into(),
        ]);
    }
    insert_rows(
        tx,
        "audit_log (seq, at, actor, action, object_kind, object_id, origin, before, after, prev_hash, hash)",
        rows,
    )
    .await?;
    tx.ex().execute(Sql("UPDATE audit_head SET hash = $1 WHERE id = 1", vec![prev_hash.into()])).await?;
    Ok(())
}

const PAGE: i64 = 1000;

/// Adds a bound value and answers its placeholder (`$n`).
fn bind(values: &mut Vec<Value>, v: Value) -> String {
    values.push(v);
    format!("${}", values.len())
}

/// What the audit administrator looks for in the trail; every part optional.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only rows written by staff of this org and below (an auditor below the top).
    pub within: Option<gongkai_core::OrgPath>,
    /// Who (the user name, `cli` or `system`), exactly.
    pub actor: Option<String>,
    /// What: the action, or its area (`user` finds `user.create`, `user.roles`, …).
    pub action: Option<String>,
    /// The kind of object.
    pub object_kind: Option<String>,
    /// Which object.
    pub object_id: Option<String>,
    /// From this moment on.
    pub from: Option<DateTime<Utc>>,
    /// Before this moment.
    pub until: Option<DateTime<Utc>>,
    /// Rows older than this position (the next page).
    pub before_seq: Option<i64>,
    /// At most this many rows.
    pub limit: i64,
}

impl Store {
    /// Reads the whole chain in order and checks every link.
    pub async fn verify_audit_chain(&self) -> Result<ChainReport, StoreError> {
        let mut verifier = ChainVerifier::default();
        let mut after = 0i64;
        let mut conn = self.pool.conn().await?;
        loop {
            let rows: Vec<AuditRow> = conn
                .ex()
                .fetch_all(Sql(
                    "SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                    vec![after.into(), PAGE.into()],
                ))
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.seq;
            for row in &rows {
                if let Err(broken) = verifier.check(&row.event(), &row.prev_hash, &row.hash) {
                    return Ok(ChainReport { verified: verifier.verified(), broken: Some(broken) });
                }
            }
        }
        // The head must point at the last row, or rows were cut from the end.
        let (seq, hash): (i64, String) =
            conn.ex().fetch_one(Sql("SELECT seq, hash FROM audit_head WHERE id = 1", vec![])).await?;
        let broken = (seq != verifier.verified() || hash != verifier.head())
            .then_some(ChainBreak::Gap { expected: verifier.verified() + 1, found: seq });
        Ok(ChainReport { verified: verifier.verified(), broken })
    }

    /// Audit rows matching `q`, newest first.
    pub async fn audit_rows(&self, q: &AuditQuery) -> Result<Vec<AuditRow>, StoreError> {
        let mut cond = String::from("1 = 1");
        let mut v: Vec<Value> = Vec::new();
        if let Some(p) = &q.within {
            let p = bind(&mut v, format!("{}%", p.as_str()).into());
            cond += &format!(
                " AND a.actor IN (SELECT u.username FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.path LIKE {p})"
            );
        }
        if let Some(actor) = &q.actor {
            cond += &format!(" AND a.actor = {}", bind(&mut v, actor.clone().into()));
        }
        if let Some(action) = &q.action {
            let exact = bind(&mut v, action.clone().into());
            let escaped = action.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            let area = bind(&mut v, format!("{escaped}.%").into());
            cond += &format!(" AND (a.action = {exact} OR a.action LIKE {area} ESCAPE '\\')");
        }
        if let Some(kind) = &q.object_kind {
            cond += &format!(" AND a.object_kind = {}", bind(&mut v, kind.clone().into()));
        }
        if let Some(id) = &q.object_id {
            cond += &format!(" AND a.object_id = {}", bind(&mut v, id.clone().into()));
        }
        if let Some(from) = q.from {
            cond += &format!(" AND a.at >= {}", bind(&mut v, from.into()));
        }
        if let Some(until) = q.until {
            cond += &format!(" AND a.at < {}", bind(&mut v, until.into()));
        }
        if let Some(before) = q.before_seq {
            cond += &format!(" AND a.seq < {}", bind(&mut v, before.into()));
        }
        let limit = bind(&mut v, q.limit.clamp(1, 1000).into());
        let sql = format!("SELECT a.* FROM audit_log a WHERE {cond} ORDER BY a.seq DESC LIMIT {limit}");
        let values = v;
        let mut conn = self.pool.conn().await?;
        conn.ex().fetch_all(Sql(&sql, values)).await
    }

    /// The most recent audit rows, newest first, optionally for one object.
    pub async fn recent_audit(&self, object: Option<(&str, &str)>, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
        let mut conn = self.pool.conn().await?;
        match object {
            Some((kind, id)) => {
                conn.ex()
                    .fetch_all(Sql(
                        "SELECT * FROM audit_log WHERE object_kind = $1 AND object_id = $2 ORDER BY seq DESC LIMIT $3",
                        vec![kind.into(), id.into(), limit.into()],
                    ))
                    .await
            }
            None => {
                conn.ex().fetch_all(Sql("SELECT * FROM audit_log ORDER BY seq DESC LIMIT $1", vec![limit.into()])).await
            }
        }
    }
}
