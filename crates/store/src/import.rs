//! Importing documents that already exist (published before gongkai, or from another
//! system): each becomes a published item in one transaction with its revision, register,
//! audit and outbox rows. Import is idempotent — the same source twice is one item — and
//! imported items keep their own 索引号 whatever local variant it follows; a public one that
//! came without one (or with one another item holds) is numbered as a first publication is,
//! in the year of its publication date.

use crate::audit::{self, AuditCtx, Change};
use crate::db::{Sql, insert_rows, insert_rows_returning, placeholders};
use crate::items::{
    EVENT_INTO, ITEM_COLUMNS, Item, ItemDraft, OUTBOX_INTO, REGISTER_INTO, REVISION_INTO, RegisterNames, clean,
    hash_with_attachments, outbox_row, register_row, reserve_index_nos, revision_row,
};
use crate::{Store, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use gongkai_core::item::{DisclosureAttr, ItemState, Validity};
use sea_query::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

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
    /// Its files, already kept (`Files::put`): attached in the import's transaction, public
    /// with the item's first revision and part of its content hash.
    pub attachments: Vec<crate::attachments::NewAttachment>,
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
    /// batch asks once which of its sources and 索引号 are already stored, checks every
    /// document, then writes the new items many to a statement and their revision, register,
    /// event, outbox and audit rows likewise: a few statements for the batch, not nine per
    /// item. A document that is invalid on its own (no title, a malformed field) gets its own
    /// error and the others go in; a database error rolls the whole batch back.
    pub async fn import_items(
        &self,
        ctx: &AuditCtx,
        org_id: i64,
        batch: Vec<ImportedItem>,
    ) -> Result<Vec<Result<ImportOutcome, StoreError>>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let org: Option<(String,)> =
            tx.ex().fetch_optional(Sql("SELECT name FROM orgs WHERE id = $1", vec![org_id.into()])).await?;
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
        let mut fresh = Vec::new();
        let plans: Vec<Plan> = batch
            .into_iter()
            .map(|imported| plan(tx.now, org_id, org_name.as_deref(), &mut known, &mut fresh, imported))
            .collect();
        let numbered = number_unnumbered(&mut tx, &self.index_pattern, org_id, &known, &mut fresh).await?;
        let ids = write_items(&mut tx, ctx, fresh).await?;
        let id_of = |r: Ref| match r {
            Ref::Stored(id) => id,
            Ref::New(k) => ids[k],
        };
        let out = plans
            .into_iter()
            .map(|p| match p {
                Plan::Invalid(e) => Err(e),
                Plan::Repeat(r) => Ok(ImportOutcome::Skipped { id: id_of(r) }),
                Plan::New(k, taken) => Ok(ImportOutcome::Created {
                    id: ids[k],
                    warnings: taken
                        .into_iter()
                        .map(|(no, by)| {
                            let new = numbered.get(&k).map(String::as_str).unwrap_or("（无）");
                            format!("索引号 {no} 已被信息 {} 使用，本条另编索引号 {new}", id_of(by))
                        })
                        .collect(),
                }),
            })
            .collect();
        tx.commit().await?;
        Ok(out)
    }
}

/// An item a batch refers to: one stored before it, or its `k`-th new item.
#[derive(Debug, Clone, Copy)]
enum Ref {
    Stored(i64),
    New(usize),
}

/// Which sources and 索引号 are taken: by items stored before the batch and by the batch's
/// own new items before this one.
struct Known {
    sources: HashMap<String, Ref>,
    index_nos: HashMap<String, Ref>,
}

/// What one document of a batch becomes.
enum Plan {
    /// Not importable on its own.
    Invalid(StoreError),
    /// A source already stored (or earlier in the batch): nothing is written.
    Repeat(Ref),
    /// The `k`-th new item, with the 索引号 it could not keep and the item holding it.
    New(usize, Option<(String, Ref)>),
}

/// What the rows written after a new item need of it (its own row goes beside it).
struct Fresh {
    source_key: String,
    /// The body as written (not read back: the database is not asked for it again).
    body: String,
    source: String,
    public: bool,
    state: ItemState,
    /// The year to number it in: public, and no 索引号 of its own.
    number_in: Option<i32>,
    attachments: Vec<crate::attachments::NewAttachment>,
}

/// Checks one document and decides what it becomes; validation happens before anything is
/// written, in the order a user reads the errors: the fields, a repeated source, the org.
fn plan(
    now: chrono::DateTime<Utc>,
    org_id: i64,
    org_name: Option<&str>,
    known: &mut Known,
    fresh: &mut Vec<(Vec<Value>, Fresh)>,
    imported: ImportedItem,
) -> Plan {
    let mut c = match clean(imported.draft, false) {
        Ok(c) => c,
        Err(e) => return Plan::Invalid(e),
    };
    if c.d.title.is_empty() {
        return Plan::Invalid(StoreError::Invalid("缺少标题，无法导入".into()));
    }
    if let Some(&r) = known.sources.get(&imported.source_key) {
        return Plan::Repeat(r);
    }
    let Some(org_name) = org_name else { return Plan::Invalid(StoreError::NotFound(format!("单位 {org_id}"))) };
    if c.d.issuer_name.trim().is_empty() {
        c.d.issuer_name = org_name.to_string();
    }
    let k = fresh.len();
    let mut index_no = imported.index_no.filter(|n| !n.trim().is_empty());
    let taken = index_no.take_if(|no| known.index_nos.contains_key(no.as_str())).map(|no| {
        let by = known.index_nos[&no];
        (no, by)
    });
    if let Some(no) = &index_no {
        known.index_nos.insert(no.clone(), Ref::New(k));
    }
    known.sources.insert(imported.source_key.clone(), Ref::New(k));
    let attr = c.d.disclosure_attr.unwrap_or(DisclosureAttr::Proactive);
    let public = attr.is_public();
    let state = if public { ItemState::Published } else { ItemState::Approved };
    let d = c.d;
    // A public item without a 索引号 of its own is numbered in its publication year.
    let number_in =
        (public && index_no.is_none()).then(|| gongkai_core::index_no::beijing(imported.published_at).year());
    // Public items go in with their first revision already public (one write of the row).
    let row = vec![
        org_id.into(),
        Value::BigInt(None),
        state.as_str().into(),
        d.title.into(),
        d.doc_no.into(),
        Value::String(c.doc_no.as_ref().map(|n| n.prefix.clone())),
        Value::BigInt(c.doc_no.as_ref().map(|n| i64::from(n.year))),
        Value::BigInt(c.doc_no.as_ref().map(|n| i64::from(n.serial))),
        Value::String(index_no),
        d.issuer_name.into(),
        serde_json::to_string(&d.co_issuers).unwrap_or_else(|_| "[]".into()).into(),
        d.topic.into(),
        d.genre.into(),
        Value::ChronoDate(d.written_on),
        Value::ChronoDateTimeUtc(public.then_some(imported.published_at)),
        Value::ChronoDate(imported.repealed_on),
        imported.validity.as_str().into(),
        d.summary.into(),
        d.body.as_str().into(),
        attr.as_str().into(),
        serde_json::to_string(&d.channels).unwrap_or_else(|_| "[]".into()).into(),
        imported.source_key.as_str().into(),
        now.into(),
        now.into(),
        d.withhold_reason.into(),
        d.withheld_parts.into(),
        Value::ChronoDate(d.withhold_review_on),
        Value::BigInt(public.then_some(1)),
        d.reprinted_from.into(),
        d.reprint_url.into(),
    ];
    debug_assert!(matches!(row[*INDEX_NO_AT], Value::String(_)));
    fresh.push((
        row,
        Fresh {
            source_key: imported.source_key,
            body: d.body,
            source: imported.source,
            public,
            state,
            number_in,
            attachments: imported.attachments,
        },
    ));
    Plan::New(k, taken)
}

/// Numbers the new public items that came without a 索引号 (or lost theirs to an item
/// holding it), a batch of numbers per year in publication order, skipping the numbers the
/// batch's own items keep. Answers the numbers given, by the item's place in the batch.
async fn number_unnumbered(
    tx: &mut crate::db::Tx,
    pattern: &str,
    org_id: i64,
    known: &Known,
    fresh: &mut [(Vec<Value>, Fresh)],
) -> Result<HashMap<usize, String>, StoreError> {
    let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (k, (_, f)) in fresh.iter().enumerate() {
        if let Some(year) = f.number_in {
            by_year.entry(year).or_default().push(k);
        }
    }
    let kept: HashSet<String> = known.index_nos.keys().cloned().collect();
    let mut given = HashMap::new();
    for (year, mut ks) in by_year {
        // Oldest first, as they were published.
        ks.sort_by_key(|&k| match &fresh[k].0[*PUBLISHED_AT] {
            Value::ChronoDateTimeUtc(Some(t)) => Some(*t),
            _ => None,
        });
        let nos = reserve_index_nos(tx, pattern, org_id, year, ks.len(), &kept).await?;
        for (k, no) in ks.into_iter().zip(nos) {
            fresh[k].0[*INDEX_NO_AT] = Value::String(Some(no.clone()));
            given.insert(k, no);
        }
    }
    Ok(given)
}

/// Where `index_no` and `published_at` stand among [`ITEM_INTO`]'s columns (read from the
/// list itself, so a column added to it cannot move them unnoticed).
static INDEX_NO_AT: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| column_at("index_no"));
static PUBLISHED_AT: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| column_at("published_at"));

/// The place of `name` among [`ITEM_INTO`]'s columns.
fn column_at(name: &str) -> usize {
    let columns = ITEM_INTO.split_once('(').map(|(_, c)| c).unwrap_or_default();
    columns.split(',').position(|c| c.trim().trim_end_matches(')') == name).unwrap_or(usize::MAX)
}

const ITEM_INTO: &str = "items (org_id, author_id, state, title, doc_no, doc_no_prefix, doc_no_year, doc_no_serial, \
    index_no, issuer_name, co_issuers, topic, genre, written_on, published_at, repealed_on, validity, summary, body, \
    disclosure_attr, channels, source_key, created_at, updated_at, withhold_reason, withheld_parts, \
    withhold_review_on, public_rev, reprinted_from, reprint_url)";

/// A new item as written, with the source that identifies it among the rows returned.
#[derive(sqlx::FromRow)]
struct Written {
    source_key: String,
    #[sqlx(flatten)]
    item: Item,
}

/// Writes the new items of a batch, then their attachment, revision, register, event,
/// outbox and audit rows (a new item has no events or reviewers yet, so none is looked up).
/// Answers the new items' ids in order.
async fn write_items(
    tx: &mut crate::db::Tx,
    ctx: &AuditCtx,
    fresh: Vec<(Vec<Value>, Fresh)>,
) -> Result<Vec<i64>, StoreError> {
    let (rows, fresh): (Vec<Vec<Value>>, Vec<Fresh>) = fresh.into_iter().unzip();
    // Every column but the body, which is ours already.
    let returning = format!("source_key, {}", ITEM_COLUMNS.replacen(" body,", " '' AS body,", 1));
    debug_assert!(returning.contains("'' AS body"), "ITEM_COLUMNS lists body");
    let mut written: HashMap<String, Item> = insert_rows_returning::<Written>(tx, ITEM_INTO, rows, &returning)
        .await?
        .into_iter()
        .map(|w| (w.source_key, w.item))
        .collect();
    let mut deferred = Deferred::default();
    let mut ids = Vec::with_capacity(fresh.len());
    for mut f in fresh {
        let mut item = written
            .remove(&f.source_key)
            .ok_or_else(|| StoreError::Other(format!("导入的文件 {} 写入后未返回", f.source).into()))?;
        item.body = std::mem::take(&mut f.body);
        deferred.attach(&item, &f);
        deferred.add(ctx, &item, &f);
        ids.push(item.id);
    }
    deferred.write(tx, ctx).await?;
    Ok(ids)
}

/// The items already stored with one of `values` in `column` (`source_key` or `index_no`).
async fn stored_ids<'a>(
    tx: &mut crate::db::Tx,
    column: &str,
    values: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, Ref>, StoreError> {
    let values: Vec<&str> = values.collect();
    let mut found = HashMap::new();
    for chunk in values.chunks(500) {
        let sql = format!("SELECT {column}, id FROM items WHERE {column} IN ({})", placeholders(1, chunk.len()));
        let rows: Vec<(String, i64)> =
            tx.ex().fetch_all(Sql(&sql, chunk.iter().map(|v| Value::from(*v)).collect())).await?;
        found.extend(rows.into_iter().map(|(value, id)| (value, Ref::Stored(id))));
    }
    Ok(found)
}

/// The rows a batch writes after its items, many to a statement.
#[derive(Default)]
struct Deferred {
    attachments: Vec<Vec<Value>>,
    revisions: Vec<Vec<Value>>,
    register: Vec<Vec<Value>>,
    events: Vec<Vec<Value>>,
    outbox: Vec<Vec<Value>>,
    audit: Vec<Change<'static>>,
}

impl Deferred {
    /// The attachment rows of one new item, in their order; a public item's are public
    /// with its first revision.
    fn attach(&mut self, item: &Item, f: &Fresh) {
        for (n, a) in f.attachments.iter().enumerate() {
            self.attachments.push(vec![
                item.id.into(),
                crate::attachments::file_name(&a.name, a.kind).into(),
                a.kind.mime().into(),
                a.size.into(),
                a.sha256.as_str().into(),
                a.text.as_str().into(),
                (n as i64 + 1).into(),
                Value::BigInt(f.public.then_some(1)),
                item.created_at.into(),
            ]);
        }
    }

    /// The rows of one new item: a public one gets its first revision, its register entry
    /// and an outbox row; every one an event and an audit entry.
    fn add(&mut self, ctx: &AuditCtx, item: &Item, f: &Fresh) {
        let now = item.created_at;
        if f.public {
            let shas: Vec<String> = f.attachments.iter().map(|a| a.sha256.clone()).collect();
            let hash = hash_with_attachments(item, &shas);
            self.revisions.push(revision_row(item, 1, &hash, now));
            let names = RegisterNames {
                author: "导入".into(),
                reviewer: String::new(),
                approver: String::new(),
                publisher: ctx.actor.clone(),
            };
            let note = format!("导入自 {}", f.source);
            self.register.push(register_row(item, "import", Some(1), &hash, &names, &note, now));
            self.outbox.push(outbox_row("item", item.id, now));
        }
        self.events.push(vec![
            item.id.into(),
            "import".into(),
            Value::BigInt(None),
            ctx.actor.as_str().into(),
            f.source.as_str().into(),
            f.state.as_str().into(),
            now.into(),
        ]);
        self.audit.push(Change {
            action: "item.import",
            object_kind: "item",
            object_id: item.id.to_string(),
            before: String::new(),
            after: serde_json::json!({ "title": item.title, "doc_no": item.doc_no, "index_no": item.index_no, "source": f.source })
                .to_string(),
        });
    }

    async fn write(self, tx: &mut crate::db::Tx, ctx: &AuditCtx) -> Result<(), StoreError> {
        insert_rows(
            tx,
            "attachments (item_id, name, mime, size, sha256, text, position, added_rev, created_at)",
            self.attachments,
        )
        .await?;
        insert_rows(tx, REVISION_INTO, self.revisions).await?;
        insert_rows(tx, REGISTER_INTO, self.register).await?;
        insert_rows(tx, EVENT_INTO, self.events).await?;
        insert_rows(tx, OUTBOX_INTO, self.outbox).await?;
        audit::append_many(tx, ctx, self.audit).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_numbered_at_import_are_found_by_name() {
        assert_eq!((*INDEX_NO_AT, *PUBLISHED_AT), (8, 14));
        // The last column is found too (its closing parenthesis trimmed).
        assert_eq!(column_at("reprint_url"), ITEM_INTO.matches(',').count());
        assert_eq!(column_at("public_rev"), ITEM_INTO.matches(',').count() - 2);
        assert_eq!(column_at("org_id"), 0);
    }
}
