//! Structured public lists (清单) in the store: the kinds (shipped schemas kept in step with
//! `data/lists/`, and kinds an admin adds), rows changed only by adjustments that pass the
//! review path of `core::review` and apply in the transaction that signs them off, each row's
//! history, and the public table — removed rows and rows past their 公示期限 never shown, never
//! deleted. What the public reads and searches is the masked form of a row.

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx, Update, insert_rows, insert_rows_returning, like_escape, org_path};
use crate::tracking::clean;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::Actor;
use gongkai_core::list::{
    AdjustKind, ListKind, ListRefusal, RowChange, SchemaError, Values, check_adjustment, may_draft,
};
use gongkai_core::review::{ReviewRefusal, ReviewState, ReviewStep, decide};
use sea_query::Value;
use serde_json::json;

/// A stored list kind.
#[derive(Debug, Clone)]
pub struct StoredKind {
    pub kind: ListKind,
    /// Shipped in `data/lists/` (else added by an admin).
    pub shipped: bool,
}

/// A stored row, with its values as stored (unmasked: for staff and the public masking).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListRow {
    pub id: i64,
    pub kind: String,
    pub org_id: i64,
    pub row_values: String,
    pub title: String,
    pub notice_until: Option<NaiveDate>,
    pub created_on: NaiveDate,
    pub updated_on: NaiveDate,
    pub removed_on: Option<NaiveDate>,
    pub removed_as: String,
}

impl ListRow {
    /// The stored values.
    pub fn values(&self) -> Values {
        serde_json::from_str(&self.row_values).unwrap_or_default()
    }

    /// True when the public sees it on `today`: not removed, its 公示期限 not over.
    pub fn is_public(&self, today: NaiveDate) -> bool {
        self.removed_on.is_none() && self.notice_until.is_none_or(|d| d >= today)
    }
}

/// The outbox kind of a list row: the search index follows rows as it follows items.
pub const ROW_OUTBOX: &str = "list_row";

/// What the search index keeps of a row the public may see (not removed; a 公示期限 is
/// checked when searching): its masked text and what it is filtered by.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RowDoc {
    pub id: i64,
    pub kind: String,
    pub org_id: i64,
    /// The masked values, lower-cased (what the public table's keyword searched).
    pub haystack: String,
    pub filter1: String,
    pub filter2: String,
    pub notice_until: Option<NaiveDate>,
}

const ROW_COLUMNS: &str =
    "id, kind, org_id, row_values, title, notice_until, created_on, updated_on, removed_on, removed_as";

/// A stored adjustment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Adjustment {
    pub id: i64,
    pub kind: String,
    pub org_id: i64,
    #[sqlx(try_from = "String")]
    pub adjust: AdjustKind,
    pub basis: String,
    pub effective_on: NaiveDate,
    #[sqlx(try_from = "String")]
    pub state: ReviewState,
    pub changes: String,
    pub row_count: i64,
    pub drafted_by: String,
    pub reviewed_by: String,
    pub approved_by: String,
    pub return_reason: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

impl Adjustment {
    /// The row changes it carries.
    pub fn changes(&self) -> Vec<RowChange> {
        serde_json::from_str(&self.changes).unwrap_or_default()
    }
}

const ADJ_COLUMNS: &str = "id, kind, org_id, adjust, basis, effective_on, state, changes, row_count, drafted_by, \
    reviewed_by, approved_by, return_reason, version, created_at, published_at";

/// One entry of a row's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RowChangeRecord {
    pub adjustment_id: i64,
    #[sqlx(try_from = "String")]
    pub adjust: AdjustKind,
    pub before_values: String,
    pub after_values: String,
    pub effective_on: NaiveDate,
    pub basis: String,
}

/// An adjustment to draft.
#[derive(Debug, Clone)]
pub struct NewAdjustment {
    pub kind: String,
    pub org_id: i64,
    pub adjust: AdjustKind,
    pub basis: String,
    pub effective_on: NaiveDate,
    pub changes: Vec<RowChange>,
}

/// What the public table asks for.
#[derive(Debug, Clone, Default)]
pub struct RowQuery {
    /// Words the masked row must contain.
    pub q: String,
    /// The value of the kind's first and second filter field.
    pub filter1: String,
    pub filter2: String,
    pub org_id: Option<i64>,
    pub offset: i64,
    pub limit: i64,
}

/// Errors of list operations.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Refused(#[from] ListRefusal),
    #[error(transparent)]
    Review(#[from] ReviewRefusal),
    #[error(transparent)]
    Schema(#[from] SchemaError),
}

impl From<sqlx::Error> for ListError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

/// The text the public table searches: the masked values, lower-cased.
fn haystack(kind: &ListKind, values: &Values) -> String {
    let public = kind.public_values(values);
    let mut s: String = public.values().map(String::as_str).collect::<Vec<_>>().join(" ").to_lowercase();
    if s.len() > 4000 {
        let mut cut = 4000;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

fn filter_value(kind: &ListKind, values: &Values, n: usize) -> String {
    kind.filters.get(n).and_then(|k| values.get(k)).cloned().unwrap_or_default()
}

async fn load_kind(tx: &mut Tx, code: &str) -> Result<ListKind, StoreError> {
    let row: Option<(String,)> =
        tx.ex().fetch_optional(Sql("SELECT schema FROM list_kinds WHERE code = $1", vec![code.into()])).await?;
    let (schema,) = row.ok_or_else(|| StoreError::NotFound(format!("清单「{code}」")))?;
    serde_json::from_str(&schema).map_err(|e| StoreError::Invalid(format!("清单「{code}」的定义已损坏：{e}")))
}

async fn load_adjustment(tx: &mut Tx, id: i64) -> Result<Adjustment, StoreError> {
    tx.ex()
        .fetch_optional(Sql(&format!("SELECT {ADJ_COLUMNS} FROM list_adjustments WHERE id = $1"), vec![id.into()]))
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("清单调整 {id}")))
}

async fn write_kind(tx: &mut Tx, kind: &ListKind, shipped: bool) -> Result<(), StoreError> {
    let schema = serde_json::to_string(kind).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let now = tx.now;
    tx.ex()
        .execute(Sql(
            "DELETE FROM list_kinds WHERE code = $1 AND version < $2",
            vec![kind.code.as_str().into(), i64::from(kind.version).into()],
        ))
        .await?;
    tx.ex()
        .execute(Sql(
            "INSERT INTO list_kinds (code, name, version, position, schema, shipped, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO NOTHING",
            vec![
                kind.code.as_str().into(),
                kind.name.as_str().into(),
                i64::from(kind.version).into(),
                i64::from(kind.order).into(),
                schema.into(),
                shipped.into(),
                now.into(),
            ],
        ))
        .await?;
    Ok(())
}

impl Store {
    /// Brings the shipped list kinds into the store: a kind not stored yet, or stored with a
    /// lower version, is written; nothing else changes.
    pub async fn sync_list_kinds(&self) -> Result<usize, StoreError> {
        let stored: Vec<(String, i64)> = {
            let mut conn = self.pool.conn().await?;
            conn.ex().fetch_all(Sql("SELECT code, version FROM list_kinds", vec![])).await?
        };
        let due: Vec<ListKind> = gongkai_core::list::shipped()
            .into_iter()
            .filter(|k| !stored.iter().any(|(c, v)| *c == k.code && *v >= i64::from(k.version)))
            .collect();
        if due.is_empty() {
            return Ok(0);
        }
        let mut tx = self.pool.begin().await?;
        for k in &due {
            write_kind(&mut tx, k, true).await?;
        }
        tx.commit().await?;
        Ok(due.len())
    }

    /// Every list kind, in order.
    pub async fn list_kinds(&self) -> Result<Vec<StoredKind>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(String, bool)> =
            conn.ex().fetch_all(Sql("SELECT schema, shipped FROM list_kinds ORDER BY position, code", vec![])).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(s, shipped)| serde_json::from_str(&s).ok().map(|kind| StoredKind { kind, shipped }))
            .collect())
    }

    /// One list kind.
    pub async fn list_kind(&self, code: &str) -> Result<Option<ListKind>, StoreError> {
        let mut tx = self.pool.begin().await?;
        match load_kind(&mut tx, code).await {
            Ok(k) => Ok(Some(k)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Adds a list kind, or a new version of one (an admin of the top org); a shipped kind's
    /// version must be raised to change it.
    pub async fn save_list_kind(&self, ctx: &AuditCtx, actor: &Actor, kind: ListKind) -> Result<(), ListError> {
        kind.check()?;
        if !actor.has(gongkai_core::Role::Admin) || actor.org_path.depth() != 1 {
            return Err(StoreError::Forbidden(gongkai_core::Denied::MissingRole(gongkai_core::Role::Admin)).into());
        }
        let mut tx = self.pool.begin().await?;
        let stored: Option<(i64,)> = tx
            .ex()
            .fetch_optional(Sql("SELECT version FROM list_kinds WHERE code = $1", vec![kind.code.as_str().into()]))
            .await?;
        if let Some((v,)) = stored
            && v >= i64::from(kind.version)
        {
            return Err(
                StoreError::Conflict(format!("清单「{}」已有第 {v} 版；修改定义须提高版本号", kind.name)).into()
            );
        }
        write_kind(&mut tx, &kind, false).await?;
        let after = json!({ "name": kind.name, "version": kind.version, "fields": kind.fields.len() });
        tx.audit(ctx, "list_kind.save", "list_kind", kind.code.clone(), String::new(), after.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Drafts an adjustment (an editor of the org): every change checked against the schema,
    /// every named row a current row of this list and org.
    pub async fn draft_list_adjustment(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        mut new: NewAdjustment,
    ) -> Result<Adjustment, ListError> {
        let mut tx = self.pool.begin().await?;
        let kind = load_kind(&mut tx, &new.kind).await?;
        let path = org_path(&mut tx, new.org_id).await?;
        may_draft(actor, &path).map_err(ListRefusal::from)?;
        check_adjustment(&kind, new.adjust, &new.basis, &mut new.changes)?;
        for c in &new.changes {
            if let Some(row) = c.row_id {
                let found: Option<(i64,)> = tx
                    .ex()
                    .fetch_optional(Sql(
                        "SELECT id FROM list_rows WHERE id = $1 AND kind = $2 AND org_id = $3 AND removed_on IS NULL",
                        vec![row.into(), new.kind.as_str().into(), new.org_id.into()],
                    ))
                    .await?;
                if found.is_none() {
                    return Err(StoreError::Invalid(format!("清单行 {row} 不是本单位本清单的现行内容")).into());
                }
            }
        }
        let changes = serde_json::to_string(&new.changes).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let now = tx.now;
        let (id,): (i64,) = tx
            .ex()
            .fetch_one(Sql(
                "INSERT INTO list_adjustments (kind, org_id, adjust, basis, effective_on, state, changes, row_count, drafted_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                vec![
                    new.kind.as_str().into(),
                    new.org_id.into(),
                    new.adjust.as_str().into(),
                    clean(&new.basis, 500).into(),
                    new.effective_on.into(),
                    ReviewState::Draft.as_str().into(),
                    changes.into(),
                    (new.changes.len() as i64).into(),
                    actor.username.as_str().into(),
                    now.into(),
                ],
            ))
            .await?;
        let after =
            json!({ "kind": new.kind, "adjust": new.adjust.as_str(), "rows": new.changes.len(), "basis": new.basis });
        tx.audit(ctx, "list.adjustment.draft", "list_adjustment", id.to_string(), String::new(), after.to_string())
            .await?;
        let a = load_adjustment(&mut tx, id).await?;
        tx.commit().await?;
        Ok(a)
    }

    /// Takes a review step on an adjustment; signing it off applies every change in the same
    /// transaction, dated its effective day, each row's history written.
    pub async fn list_adjustment_step(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        id: i64,
        step: ReviewStep,
    ) -> Result<Adjustment, ListError> {
        let mut tx = self.pool.begin().await?;
        let a = load_adjustment(&mut tx, id).await?;
        let path = org_path(&mut tx, a.org_id).await?;
        let next = decide(actor, &path, a.state, &a.drafted_by, &step)?;
        let mut update = Update::new("list_adjustments");
        update.set("state", next.as_str());
        match &step {
            ReviewStep::Submit => update.set("return_reason", ""),
            ReviewStep::Pass => update.set("reviewed_by", actor.username.as_str()),
            ReviewStep::Approve => {
                update.set("approved_by", actor.username.as_str());
                update.set("published_at", tx.now);
            }
            ReviewStep::Return(reason) => update.set("return_reason", clean(reason, 500)),
        }
        if !update.run(&mut tx, id, a.version).await? {
            return Err(StoreError::Conflict("该调整已被他人处理，请刷新后重试".into()).into());
        }
        if step == ReviewStep::Approve {
            let kind = load_kind(&mut tx, &a.kind).await?;
            apply(&mut tx, &kind, &a).await?;
        }
        let reason = match &step {
            ReviewStep::Return(r) => r.clone(),
            _ => String::new(),
        };
        let after = json!({ "step": step.label(), "state": next.as_str(), "reason": reason });
        tx.audit(
            ctx,
            "list.adjustment.step",
            "list_adjustment",
            id.to_string(),
            a.state.as_str().to_string(),
            after.to_string(),
        )
        .await?;
        let a = load_adjustment(&mut tx, id).await?;
        tx.commit().await?;
        Ok(a)
    }

    /// An adjustment by id.
    pub async fn list_adjustment(&self, id: i64) -> Result<Option<Adjustment>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(&format!("SELECT {ADJ_COLUMNS} FROM list_adjustments WHERE id = $1"), vec![id.into()]))
            .await
    }

    /// Adjustments, newest first: of one kind and/or org, or published only (the public history).
    pub async fn list_adjustments(
        &self,
        kind: Option<&str>,
        org_id: Option<i64>,
        published_only: bool,
        limit: i64,
    ) -> Result<Vec<Adjustment>, StoreError> {
        let mut cond = String::from("1 = 1");
        let mut values: Vec<Value> = Vec::new();
        if let Some(k) = kind {
            values.push(k.into());
            cond.push_str(&format!(" AND kind = ${}", values.len()));
        }
        if let Some(o) = org_id {
            values.push(o.into());
            cond.push_str(&format!(" AND org_id = ${}", values.len()));
        }
        if published_only {
            cond.push_str(" AND state = 'published'");
        }
        values.push(limit.clamp(1, 1000).into());
        let sql =
            format!("SELECT {ADJ_COLUMNS} FROM list_adjustments WHERE {cond} ORDER BY id DESC LIMIT ${}", values.len());
        let mut conn = self.pool.conn().await?;
        conn.ex().fetch_all(Sql(&sql, values)).await
    }

    /// One row (removed or not).
    pub async fn list_row(&self, id: i64) -> Result<Option<ListRow>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(&format!("SELECT {ROW_COLUMNS} FROM list_rows WHERE id = $1"), vec![id.into()]))
            .await
    }

    /// Rows by id (removed or not), in no promised order; at most 1,000 ids are read.
    pub async fn list_rows_by_ids(&self, ids: &[i64]) -> Result<Vec<ListRow>, StoreError> {
        let ids = &ids[..ids.len().min(1000)];
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.conn().await?;
        let sql =
            format!("SELECT {ROW_COLUMNS} FROM list_rows WHERE id IN ({})", crate::db::placeholders(1, ids.len()));
        conn.ex().fetch_all(Sql(&sql, ids.iter().map(|i| (*i).into()).collect())).await
    }

    /// The rows among `ids` the public may see (not removed), as the search index keeps
    /// them; at most 1,000 ids are read.
    pub async fn row_docs(&self, ids: &[i64]) -> Result<Vec<RowDoc>, StoreError> {
        let ids = &ids[..ids.len().min(1000)];
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.conn().await?;
        let sql = format!(
            "SELECT id, kind, org_id, haystack, filter1, filter2, notice_until FROM list_rows \
             WHERE removed_on IS NULL AND id IN ({})",
            crate::db::placeholders(1, ids.len())
        );
        conn.ex().fetch_all(Sql(&sql, ids.iter().map(|i| (*i).into()).collect())).await
    }

    /// The ids of rows not removed after `after`, in order, at most `limit` (a rebuild of
    /// the index walks them).
    pub async fn row_ids_after(&self, after: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64,)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT id FROM list_rows WHERE removed_on IS NULL AND id > $1 ORDER BY id LIMIT $2",
                vec![after.into(), limit.into()],
            ))
            .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// A row's history, oldest first, with each adjustment's basis.
    pub async fn list_row_history(&self, id: i64) -> Result<Vec<RowChangeRecord>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT c.adjustment_id, c.adjust, c.before_values, c.after_values, c.effective_on, a.basis \
                 FROM list_row_changes c JOIN list_adjustments a ON a.id = c.adjustment_id \
                 WHERE c.row_id = $1 ORDER BY c.id",
                vec![id.into()],
            ))
            .await
    }

    /// The rows the public sees on `today`, filtered, with the total.
    pub async fn public_list_rows(
        &self,
        kind: &str,
        query: &RowQuery,
        today: NaiveDate,
    ) -> Result<(Vec<ListRow>, i64), StoreError> {
        let mut values: Vec<Value> = vec![kind.into(), today.into()];
        let mut cond =
            String::from("kind = $1 AND removed_on IS NULL AND (notice_until IS NULL OR notice_until >= $2)");
        for word in query.q.split_whitespace().take(8) {
            let word: String = word.to_lowercase().chars().take(50).collect();
            values.push(format!("%{}%", like_escape(&word)).into());
            cond.push_str(&format!(" AND haystack LIKE ${} ESCAPE '\\'", values.len()));
        }
        for (col, v) in [("filter1", &query.filter1), ("filter2", &query.filter2)] {
            if !v.is_empty() {
                values.push(v.as_str().into());
                cond.push_str(&format!(" AND {col} = ${}", values.len()));
            }
        }
        if let Some(o) = query.org_id {
            values.push(o.into());
            cond.push_str(&format!(" AND org_id = ${}", values.len()));
        }
        let mut conn = self.pool.conn().await?;
        let (total,): (i64,) =
            conn.ex().fetch_one(Sql(&format!("SELECT COUNT(*) FROM list_rows WHERE {cond}"), values.clone())).await?;
        values.push(query.limit.clamp(1, 1000).into());
        values.push(query.offset.max(0).into());
        let n = values.len();
        // The page's ids first, from the indexes where the filters allow, then those rows.
        let ids: Vec<(i64,)> = conn
            .ex()
            .fetch_all(Sql(
                &format!("SELECT id FROM list_rows WHERE {cond} ORDER BY id DESC LIMIT ${} OFFSET ${n}", n - 1),
                values,
            ))
            .await?;
        drop(conn);
        let ids: Vec<i64> = ids.into_iter().map(|(i,)| i).collect();
        let mut rows = self.list_rows_by_ids(&ids).await?;
        rows.sort_by_key(|r| std::cmp::Reverse(r.id));
        Ok((rows, total))
    }

    /// The values the public rows of a kind hold in its filter field `n` (0 or 1), sorted.
    pub async fn list_filter_values(&self, kind: &str, n: usize, today: NaiveDate) -> Result<Vec<String>, StoreError> {
        let col = if n == 0 { "filter1" } else { "filter2" };
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(String,)> = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT DISTINCT {col} FROM list_rows WHERE kind = $1 AND removed_on IS NULL \
                     AND (notice_until IS NULL OR notice_until >= $2) AND {col} <> '' ORDER BY {col} LIMIT 200"
                ),
                vec![kind.into(), today.into()],
            ))
            .await?;
        Ok(rows.into_iter().map(|(v,)| v).collect())
    }

    /// How many rows each kind shows the public on `today`.
    pub async fn public_list_counts(&self, today: NaiveDate) -> Result<Vec<(String, i64)>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT kind, COUNT(*) FROM list_rows WHERE removed_on IS NULL \
                 AND (notice_until IS NULL OR notice_until >= $1) GROUP BY kind",
                vec![today.into()],
            ))
            .await
    }

    /// The part 二 figures the lists produce for an org (or its tree, `path_prefix`) in a year:
    /// (figure, list name, decisions dated in the year) for every list with a report figure
    /// that the org keeps (has rows in, any year). Rows cancelled or delegated do not count;
    /// rows past their 公示期限 do (the decision was made).
    pub async fn list_report_figures(
        &self,
        org_id: i64,
        path_prefix: Option<&str>,
        year: i32,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        let kinds: Vec<ListKind> =
            self.list_kinds().await?.into_iter().map(|s| s.kind).filter(|k| k.report_figure.is_some()).collect();
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        let (org_cond, org_value): (&str, Value) = match path_prefix {
            Some(p) => ("org_id IN (SELECT id FROM orgs WHERE path LIKE $2)", format!("{p}%").into()),
            None => ("org_id = $2", org_id.into()),
        };
        let mut out = Vec::new();
        let mut conn = self.pool.conn().await?;
        for k in kinds {
            let (kept, counted): (i64, i64) = conn
                .ex()
                .fetch_one(Sql(
                    &format!(
                        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN row_on >= $3 AND row_on <= $4 \
                         AND removed_as NOT IN ('cancel', 'delegate') THEN 1 ELSE 0 END), 0) \
                         FROM list_rows WHERE kind = $1 AND {org_cond}"
                    ),
                    vec![k.code.as_str().into(), org_value.clone(), first.into(), last.into()],
                ))
                .await?;
            if kept > 0 {
                out.push((k.report_figure.clone().unwrap_or_default(), k.name.clone(), counted));
            }
        }
        Ok(out)
    }

    /// Marks the rows whose 公示期限 ended before `today` as expired (the public query already
    /// leaves them out): each one stays stored, with an audit row saying when it left.
    pub async fn expire_list_rows(&self, ctx: &AuditCtx, today: NaiveDate) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await?;
        let due: Vec<(i64, String, NaiveDate)> = tx
            .ex()
            .fetch_all(Sql(
                "SELECT id, kind, notice_until FROM list_rows WHERE removed_on IS NULL AND notice_until < $1 ORDER BY id LIMIT 5000",
                vec![today.into()],
            ))
            .await?;
        let now = tx.now;
        for (id, kind, until) in &due {
            let off = until.succ_opt().unwrap_or(*until);
            tx.ex()
                .execute(Sql(
                    "UPDATE list_rows SET removed_on = $1, removed_as = 'expired' WHERE id = $2",
                    vec![off.into(), (*id).into()],
                ))
                .await?;
            crate::items::outbox(&mut tx, ROW_OUTBOX, *id, now).await?;
            let after = json!({ "kind": kind, "notice_until": until, "removed_on": off });
            tx.audit(ctx, "list_row.expire", "list_row", id.to_string(), String::new(), after.to_string()).await?;
        }
        tx.commit().await?;
        Ok(due.len())
    }
}

/// Applies a signed-off adjustment's changes.
/// Every row it adds, changes or removes gets an outbox row, so the search index follows.
async fn apply(tx: &mut Tx, kind: &ListKind, a: &Adjustment) -> Result<(), StoreError> {
    let changes = a.changes();
    let on = a.effective_on;
    let now = tx.now;
    if a.adjust.carries_values() && !a.adjust.names_rows() {
        let rows: Vec<Vec<Value>> = changes
            .iter()
            .map(|c| {
                let v = &c.values;
                vec![
                    a.kind.as_str().into(),
                    a.org_id.into(),
                    serde_json::to_string(v).unwrap_or_default().into(),
                    kind.title_of(v).into(),
                    haystack(kind, v).into(),
                    filter_value(kind, v, 0).into(),
                    filter_value(kind, v, 1).into(),
                    Value::ChronoDate(kind.notice_until(v)),
                    Value::ChronoDate(kind.row_on(v)),
                    on.into(),
                    on.into(),
                ]
            })
            .collect();
        let ids: Vec<(i64, String)> = insert_rows_returning(
            tx,
            "list_rows (kind, org_id, row_values, title, haystack, filter1, filter2, notice_until, row_on, created_on, updated_on)",
            rows,
            "id, row_values",
        )
        .await?;
        let outbox = ids.iter().map(|(id, _)| crate::items::outbox_row(ROW_OUTBOX, *id, now)).collect();
        insert_rows(tx, crate::items::OUTBOX_INTO, outbox).await?;
        let history: Vec<Vec<Value>> = ids
            .into_iter()
            .map(|(id, after)| {
                vec![id.into(), a.id.into(), a.adjust.as_str().into(), String::new().into(), after.into(), on.into()]
            })
            .collect();
        insert_rows(
            tx,
            "list_row_changes (row_id, adjustment_id, adjust, before_values, after_values, effective_on)",
            history,
        )
        .await?;
        return Ok(());
    }
    for c in &changes {
        let Some(row_id) = c.row_id else { continue };
        let current: Option<(String,)> = tx
            .ex()
            .fetch_optional(Sql(
                "SELECT row_values FROM list_rows WHERE id = $1 AND kind = $2 AND org_id = $3 AND removed_on IS NULL",
                vec![row_id.into(), a.kind.as_str().into(), a.org_id.into()],
            ))
            .await?;
        let Some((before,)) = current else {
            return Err(StoreError::Conflict(format!("清单行 {row_id} 已被其他调整取消或修改，本调整不能签发")));
        };
        let after = if a.adjust.carries_values() {
            let v = &c.values;
            let stored = serde_json::to_string(v).unwrap_or_default();
            tx.ex()
                .execute(Sql(
                    "UPDATE list_rows SET row_values = $1, title = $2, haystack = $3, filter1 = $4, filter2 = $5, \
                     notice_until = $6, updated_on = $7, row_on = $8 WHERE id = $9",
                    vec![
                        stored.clone().into(),
                        kind.title_of(v).into(),
                        haystack(kind, v).into(),
                        filter_value(kind, v, 0).into(),
                        filter_value(kind, v, 1).into(),
                        Value::ChronoDate(kind.notice_until(v)),
                        on.into(),
                        Value::ChronoDate(kind.row_on(v)),
                        row_id.into(),
                    ],
                ))
                .await?;
            stored
        } else {
            tx.ex()
                .execute(Sql(
                    "UPDATE list_rows SET removed_on = $1, removed_as = $2, updated_on = $1 WHERE id = $3",
                    vec![on.into(), a.adjust.as_str().into(), row_id.into()],
                ))
                .await?;
            String::new()
        };
        tx.ex()
            .execute(Sql(
                "INSERT INTO list_row_changes (row_id, adjustment_id, adjust, before_values, after_values, effective_on) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                vec![row_id.into(), a.id.into(), a.adjust.as_str().into(), before.into(), after.into(), on.into()],
            ))
            .await?;
        crate::items::outbox(tx, ROW_OUTBOX, row_id, now).await?;
    }
    Ok(())
}

/// A matter of the 政务公开负面清单, as a ground to withhold on.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Matter {
    pub id: i64,
    pub org_id: i64,
    pub title: String,
    /// 复核日期.
    pub row_on: Option<chrono::NaiveDate>,
}

impl Store {
    /// The current matters of the 负面清单 of the orgs on `path` and above it (a department
    /// withholds on its own matters and on its government's), at most 500.
    pub async fn negative_matters(&self, path: &gongkai_core::OrgPath) -> Result<Vec<Matter>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(Matter, String)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT r.id, r.org_id, r.title, r.row_on, o.path FROM list_rows r JOIN orgs o ON o.id = r.org_id \
                 WHERE r.kind = $1 AND r.removed_on IS NULL ORDER BY r.id LIMIT 500",
                vec![gongkai_core::list::NEGATIVE.into()],
            ))
            .await?
            .into_iter()
            .map(|(id, org_id, title, row_on, p): (i64, i64, String, Option<chrono::NaiveDate>, String)| {
                (Matter { id, org_id, title, row_on }, p)
            })
            .collect();
        Ok(rows
            .into_iter()
            .filter(|(_, p)| path.is_within(&gongkai_core::OrgPath::from_stored(p.clone())))
            .map(|(m, _)| m)
            .collect())
    }

    /// The matter an item is withheld on, if one is named.
    pub async fn withhold_ground(&self, item_id: i64) -> Result<Option<Matter>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(
                "SELECT r.id, r.org_id, r.title, r.row_on FROM withhold_grounds g JOIN list_rows r ON r.id = g.row_id WHERE g.item_id = $1",
                vec![item_id.into()],
            ))
            .await
    }

    /// Names the matter of the 负面清单 an item is withheld on (`None`: none), by an editor
    /// of the item's org; the matter must be current and of the org or an org above it.
    pub async fn set_withhold_ground(
        &self,
        ctx: &crate::AuditCtx,
        actor: &gongkai_core::Actor,
        item_id: i64,
        row_id: Option<i64>,
    ) -> Result<(), StoreError> {
        let item = self.item(item_id).await?.ok_or_else(|| StoreError::NotFound(format!("信息 {item_id}")))?;
        let org = self.org_by_id(item.org_id).await?.ok_or_else(|| StoreError::NotFound("单位".into()))?;
        actor.may_work_in(gongkai_core::Role::Editor, &org.path)?;
        if let Some(r) = row_id
            && !self.negative_matters(&org.path).await?.iter().any(|m| m.id == r)
        {
            return Err(StoreError::Invalid("所选事项不在本单位适用的政务公开负面清单中".into()));
        }
        let before = self.withhold_ground(item_id).await?.map(|m| m.title).unwrap_or_default();
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        tx.ex().execute(Sql("DELETE FROM withhold_grounds WHERE item_id = $1", vec![item_id.into()])).await?;
        if let Some(r) = row_id {
            tx.ex()
                .execute(Sql(
                    "INSERT INTO withhold_grounds (item_id, row_id, set_by, set_at) VALUES ($1, $2, $3, $4)",
                    vec![item_id.into(), r.into(), ctx.actor.as_str().into(), now.into()],
                ))
                .await?;
        }
        tx.audit(
            ctx,
            "item.withhold_ground",
            "item",
            item_id.to_string(),
            before,
            row_id.map(|r| r.to_string()).unwrap_or_default(),
        )
        .await?;
        tx.commit().await
    }
}
