//! Importing documents that already exist (published before gongkai, or from another
//! system): each becomes a published item in one transaction with its revision, register,
//! audit and outbox rows. Import is idempotent — the same source twice is one item — and
//! imported items keep their own 索引号 whatever local variant it follows.

use crate::audit::{self, AuditCtx, Change};
use crate::db::{Sql, insert_rows, placeholders};
use crate::items::{
    EVENT_INTO, ITEM_COLUMNS, Item, ItemDraft, OUTBOX_INTO, REGISTER_INTO, REVISION_INTO, RegisterNames, clean,
    hash_with_attachments, outbox_row, register_row, revision_row,
};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::item::{DisclosureAttr, ItemState, Validity};
use sea_query::Value;
use std::collections::HashMap;

/// A document to import.
#[derive(Debug, Clone)]
pub struct ImportedItem {
    /// The fields (body as HTML; sanitised on the way in).
    pub draft: ItemDraft,
    /// 索引号 as printed, kept as is.
    pub index_no: Option<String>,
    /// 发布日期.
    pub published_at: DateTime<Utc>,
    /// 有效性.
    pub validity: Validity,
    /// 废止日期.
    pub repealed_on: Option<NaiveDate>,
    /// A key identifying the source (a hash of its content), for idempotency.
    pub source_key: String,
    /// Where it came from (file name), for the register.
    pub source: String,
}

/// What happened to one imported document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A new item, with any warnings raised while storing it.
    Created { id: i64, warnings: Vec<String> },
    /// Already imported before: nothing changed.
    Skipped { id: i64 },
}

impl Store {
    /// Imports one document into an org as a published item (or, for `OnRequest` and
    /// `Withheld` documents, as an approved item that never goes public).
    pub async fn import_item(
        &self,
        ctx: &AuditCtx,
        org_id: i64,
        imported: ImportedItem,
    ) -> Result<ImportOutcome, StoreError> {
        let mut outcomes = self.import_items(ctx, org_id, vec![imported]).await?;
        outcomes.pop().unwrap_or_else(|| Err(StoreError::Invalid("没有要导入的文件".into())))
    }

    /// Imports many documents in one transaction (bulk loads: one commit, one fsync). The
    /// batch asks once which of its sources and 索引号 are already stored, and writes the
    /// revision, register, event, outbox and audit rows of all its items together at the end:
    /// one statement per item, not nine. A document that is invalid on its own (no title, a
    /// malformed field) gets its own error and the others go in; a database error rolls the
    /// whole batch back.
    pub async fn import_items(
        &self,
        ctx: &AuditCtx,
        org_id: i64,
        batch: Vec<ImportedItem>,
    ) -> Result<Vec<Result<ImportOutcome, StoreError>>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let org: Option<(String,)> =
            tx.ex().fetch_optional(&Sql("SELECT name FROM orgs WHERE id = $1", vec![org_id.into()])).await?;
        let org_name = org.map(|(name,)| name);
        let mut known = Known {
            sources: stored_ids(&mut tx, "source_key", batch.iter().map(|i| i.source_key.as_str())).await?,
            index_nos: stored_ids(
                &mut tx,
                "index_no",
                batch.iter().filter_map(|i| i.index_no.as_deref()).filter(|n| !n.trim().is_empty()),
            )
            .await?,
        };
        let mut rows = Deferred::default();
        let mut out = Vec::with_capacity(batch.len());
        for imported in batch {
            match import_in(&mut tx, ctx, org_id, org_name.as_deref(), &mut known, &mut rows, imported).await {
                Err(e @ (StoreError::Invalid(_) | StoreError::NotFound(_))) => out.push(Err(e)),
                Err(e) => return Err(e),
                Ok(o) => out.push(Ok(o)),
            }
        }
        rows.write(&mut tx, ctx).await?;
        tx.commit().await?;
        Ok(out)
    }
}

/// Which sources and 索引号 are taken, by item id: those stored before the batch and those
/// the batch has written so far.
struct Known {
    sources: HashMap<String, i64>,
    index_nos: HashMap<String, i64>,
}

/// The items already stored with one of `values` in `column` (`source_key` or `index_no`).
async fn stored_ids<'a>(
    tx: &mut crate::db::Tx,
    column: &str,
    values: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, i64>, StoreError> {
    let values: Vec<&str> = values.collect();
    let mut found = HashMap::new();
    for chunk in values.chunks(500) {
        let sql = format!("SELECT {column}, id FROM items WHERE {column} IN ({})", placeholders(1, chunk.len()));
        let rows: Vec<(String, i64)> =
            tx.ex().fetch_all(&Sql(&sql, chunk.iter().map(|v| Value::from(*v)).collect())).await?;
        found.extend(rows);
    }
    Ok(found)
}

/// The rows a batch writes after its items, many to a statement.
#[derive(Default)]
struct Deferred {
    revisions: Vec<Vec<Value>>,
    register: Vec<Vec<Value>>,
    events: Vec<Vec<Value>>,
    outbox: Vec<Vec<Value>>,
    audit: Vec<Change<'static>>,
}

impl Deferred {
    async fn write(self, tx: &mut crate::db::Tx, ctx: &AuditCtx) -> Result<(), StoreError> {
        insert_rows(tx, REVISION_INTO, self.revisions).await?;
        insert_rows(tx, REGISTER_INTO, self.register).await?;
        insert_rows(tx, EVENT_INTO, self.events).await?;
        insert_rows(tx, OUTBOX_INTO, self.outbox).await?;
        audit::append_many(tx, ctx, self.audit).await
    }
}

/// One import inside a transaction; validation happens before anything is written. A new
/// item has no attachments, events or reviewers yet, so its revision and register rows are
/// written without looking them up.
async fn import_in(
    tx: &mut crate::db::Tx,
    ctx: &AuditCtx,
    org_id: i64,
    org_name: Option<&str>,
    known: &mut Known,
    rows: &mut Deferred,
    imported: ImportedItem,
) -> Result<ImportOutcome, StoreError> {
    let mut warnings = Vec::new();
    let mut c = clean(imported.draft, false)?;
    if c.d.title.is_empty() {
        return Err(StoreError::Invalid("缺少标题，无法导入".into()));
    }
    if let Some(&id) = known.sources.get(&imported.source_key) {
        return Ok(ImportOutcome::Skipped { id });
    }
    let org_name = org_name.ok_or_else(|| StoreError::NotFound(format!("单位 {org_id}")))?;
    if c.d.issuer_name.trim().is_empty() {
        c.d.issuer_name = org_name.to_string();
    }
    let mut index_no = imported.index_no.filter(|n| !n.trim().is_empty());
    if let Some((no, other)) = index_no.as_ref().and_then(|no| Some((no, known.index_nos.get(no)?))) {
        warnings.push(format!("索引号 {no} 已被信息 {other} 使用，本条导入时未保留索引号"));
        index_no = None;
    }
    let attr = c.d.disclosure_attr.unwrap_or(DisclosureAttr::Proactive);
    c.d.disclosure_attr = Some(attr);
    let public = attr.is_public();
    let state = if public { ItemState::Published } else { ItemState::Approved };
    let now = Utc::now();
    let d = &c.d;
    // Public items go in with their first revision already public (one write of the row).
    let item: Item = tx
            .ex()
            .fetch_one(&Sql(
                &format!("INSERT INTO items (org_id, author_id, state, title, doc_no, doc_no_prefix, doc_no_year, doc_no_serial, index_no, \
                 issuer_name, co_issuers, topic, genre, written_on, published_at, repealed_on, validity, summary, body, \
                 disclosure_attr, channels, source_key, created_at, updated_at, withhold_reason, withheld_parts, withhold_review_on, public_rev) \
                 VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27) RETURNING {ITEM_COLUMNS}"),
                vec![
                    org_id.into(),
                    state.as_str().into(),
                    d.title.as_str().into(),
                    d.doc_no.as_str().into(),
                    Value::String(c.doc_no.as_ref().map(|n| n.prefix.clone())),
                    Value::BigInt(c.doc_no.as_ref().map(|n| i64::from(n.year))),
                    Value::BigInt(c.doc_no.as_ref().map(|n| i64::from(n.serial))),
                    Value::String(index_no),
                    d.issuer_name.as_str().into(),
                    serde_json::to_string(&d.co_issuers).unwrap_or_else(|_| "[]".into()).into(),
                    d.topic.as_str().into(),
                    d.genre.as_str().into(),
                    Value::ChronoDate(d.written_on),
                    Value::ChronoDateTimeUtc(public.then_some(imported.published_at)),
                    Value::ChronoDate(imported.repealed_on),
                    imported.validity.as_str().into(),
                    d.summary.as_str().into(),
                    d.body.as_str().into(),
                    attr.as_str().into(),
                    serde_json::to_string(&d.channels).unwrap_or_else(|_| "[]".into()).into(),
                    imported.source_key.as_str().into(),
                    now.into(),
                    now.into(),
                    d.withhold_reason.as_str().into(),
                    d.withheld_parts.as_str().into(),
                    Value::ChronoDate(d.withhold_review_on),
                    Value::BigInt(public.then_some(1)),
                ],
            ))
            .await?;
    let id = item.id;
    known.sources.insert(imported.source_key, id);
    if let Some(no) = &item.index_no {
        known.index_nos.insert(no.clone(), id);
    }
    if public {
        let hash = hash_with_attachments(&item, &[]);
        rows.revisions.push(revision_row(&item, 1, &hash, now));
        let names = RegisterNames {
            author: "导入".into(),
            reviewer: String::new(),
            approver: String::new(),
            publisher: ctx.actor.clone(),
        };
        let note = format!("导入自 {}", imported.source);
        rows.register.push(register_row(&item, "import", Some(1), &hash, &names, &note, now));
        rows.outbox.push(outbox_row("item", id, now));
    }
    rows.events.push(vec![
        id.into(),
        "import".into(),
        Value::BigInt(None),
        ctx.actor.as_str().into(),
        imported.source.as_str().into(),
        state.as_str().into(),
        now.into(),
    ]);
    rows.audit.push(Change {
        action: "item.import",
        object_kind: "item",
        object_id: id.to_string(),
        before: String::new(),
        after: serde_json::json!({ "title": item.title, "doc_no": item.doc_no, "index_no": item.index_no, "source": imported.source })
            .to_string(),
    });
    Ok(ImportOutcome::Created { id, warnings })
}
