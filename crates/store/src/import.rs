//! Importing documents that already exist (published before gongkai, or from another
//! system): each becomes a published item in one transaction with its revision, register,
//! audit and outbox rows. Import is idempotent — the same source twice is one item — and
//! imported items keep their own 索引号 whatever local variant it follows.

use crate::audit::{self, AuditCtx, Change};
use crate::db::Sql;
use crate::items::{
    ITEM_COLUMNS, Item, ItemDraft, RegisterNames, clean, hash_with_attachments, insert_register,
    insert_revision_hashed, outbox,
};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::item::{DisclosureAttr, ItemState, Validity};
use sea_query::Value;

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
        let mut tx = self.pool.begin().await?;
        let org_name = org_name(&mut tx, org_id).await?;
        let outcome = import_in(&mut tx, ctx, org_id, org_name.as_deref(), imported).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Imports many documents in one transaction (bulk loads: one commit, one fsync).
    /// A document that is invalid on its own (no title, a malformed field) gets its own
    /// error and the others go in; a database error rolls the whole batch back.
    pub async fn import_items(
        &self,
        ctx: &AuditCtx,
        org_id: i64,
        batch: Vec<ImportedItem>,
    ) -> Result<Vec<Result<ImportOutcome, StoreError>>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let org_name = org_name(&mut tx, org_id).await?;
        let mut out = Vec::with_capacity(batch.len());
        for imported in batch {
            match import_in(&mut tx, ctx, org_id, org_name.as_deref(), imported).await {
                Err(e @ (StoreError::Invalid(_) | StoreError::NotFound(_))) => out.push(Err(e)),
                Err(e) => return Err(e),
                Ok(o) => out.push(Ok(o)),
            }
        }
        tx.commit().await?;
        Ok(out)
    }
}

/// The name of the org imported into, if it exists.
async fn org_name(tx: &mut crate::db::Tx, org_id: i64) -> Result<Option<String>, StoreError> {
    let org: Option<(String,)> =
        tx.ex().fetch_optional(&Sql("SELECT name FROM orgs WHERE id = $1", vec![org_id.into()])).await?;
    Ok(org.map(|(name,)| name))
}

/// One import inside a transaction; validation happens before anything is written. A new
/// item has no attachments, events or reviewers yet, so its revision and register rows are
/// written without looking them up.
async fn import_in(
    tx: &mut crate::db::Tx,
    ctx: &AuditCtx,
    org_id: i64,
    org_name: Option<&str>,
    imported: ImportedItem,
) -> Result<ImportOutcome, StoreError> {
    let mut warnings = Vec::new();
    let mut c = clean(imported.draft, false)?;
    if c.d.title.is_empty() {
        return Err(StoreError::Invalid("缺少标题，无法导入".into()));
    }
    let seen: Option<(i64,)> = tx
        .ex()
        .fetch_optional(&Sql("SELECT id FROM items WHERE source_key = $1", vec![imported.source_key.as_str().into()]))
        .await?;
    if let Some((id,)) = seen {
        return Ok(ImportOutcome::Skipped { id });
    }
    let org_name = org_name.ok_or_else(|| StoreError::NotFound(format!("单位 {org_id}")))?;
    if c.d.issuer_name.trim().is_empty() {
        c.d.issuer_name = org_name.to_string();
    }
    let mut index_no = imported.index_no.filter(|n| !n.trim().is_empty());
    if let Some(no) = &index_no {
        let taken: Option<(i64,)> =
            tx.ex().fetch_optional(&Sql("SELECT id FROM items WHERE index_no = $1", vec![no.as_str().into()])).await?;
        if let Some((other,)) = taken {
            warnings.push(format!("索引号 {no} 已被信息 {other} 使用，本条导入时未保留索引号"));
            index_no = None;
        }
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
    if public {
        let hash = hash_with_attachments(&item, &[]);
        insert_revision_hashed(tx, &item, 1, &hash, now).await?;
        let names = RegisterNames {
            author: "导入".into(),
            reviewer: String::new(),
            approver: String::new(),
            publisher: ctx.actor.clone(),
        };
        let note = format!("导入自 {}", imported.source);
        insert_register(tx, &item, "import", Some(1), &hash, &names, &note, now).await?;
        outbox(tx, "item", id, now).await?;
    }
    tx.ex()
            .execute(&Sql(
                "INSERT INTO item_events (item_id, event, actor_id, actor, comment, state_after, at) VALUES ($1, 'import', NULL, $2, $3, $4, $5)",
                vec![id.into(), ctx.actor.as_str().into(), imported.source.as_str().into(), state.as_str().into(), now.into()],
            ))
            .await?;
    audit::append(
            tx,
            ctx,
            Change {
                action: "item.import",
                object_kind: "item",
                object_id: id.to_string(),
                before: String::new(),
                after: serde_json::json!({ "title": item.title, "doc_no": item.doc_no, "index_no": item.index_no, "source": imported.source }).to_string(),
            },
        )
        .await?;
    Ok(ImportOutcome::Created { id, warnings })
}
