//! What an archive export (条例 §25: copies for the 档案馆 and 图书馆) reads: every revision of
//! an org's items that went public in a period, with the item's numbers and validity, and the
//! publication register of those items.

use crate::db::Sql;
use crate::items::RegisterRow;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};

/// One public revision of an item, as published.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ArchiveRevision {
    pub item_id: i64,
    pub rev: i64,
    /// When this revision went public.
    pub published_at: DateTime<Utc>,
    /// When the item first did.
    pub first_published_at: Option<DateTime<Utc>>,
    pub index_no: Option<String>,
    pub org_code: String,
    pub org_name: String,
    pub title: String,
    pub doc_no: String,
    pub issuer_name: String,
    pub co_issuers: String,
    pub topic: String,
    pub genre: String,
    pub written_on: Option<NaiveDate>,
    pub summary: String,
    pub body: String,
    pub disclosure_attr: String,
    pub channels: String,
    pub content_hash: String,
    /// The item's validity now, and the day it ended, if it did.
    pub validity: String,
    pub repealed_on: Option<NaiveDate>,
    /// 转载来源 and 原文地址 of this revision (empty for the org's own).
    pub reprinted_from: String,
    pub reprint_url: String,
}

impl Store {
    /// The revisions of `org_id`'s items published in `[from, to)` (an imported item by its
    /// own publication date, not the day it was imported), in item and revision order,
    /// `limit` at a time after `(item_id, rev)`.
    pub async fn archive_revisions(
        &self,
        org_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        after: (i64, i64),
        limit: i64,
    ) -> Result<Vec<ArchiveRevision>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT r.item_id, r.rev, MIN(CASE WHEN r.event = 'import' THEN i.published_at ELSE r.at END) AS published_at, i.published_at AS first_published_at, \
                 i.index_no, o.code AS org_code, o.name AS org_name, v.title, v.doc_no, v.issuer_name, v.co_issuers, \
                 v.topic, v.genre, v.written_on, v.summary, v.body, v.disclosure_attr, v.channels, v.content_hash, \
                 i.validity, i.repealed_on, v.reprinted_from, v.reprint_url \
                 FROM publication_register r \
                 JOIN item_revisions v ON v.item_id = r.item_id AND v.rev = r.rev \
                 JOIN items i ON i.id = r.item_id JOIN orgs o ON o.id = i.org_id \
                 WHERE r.org_id = $1 AND r.event IN ('publish', 'import') \
                 AND (CASE WHEN r.event = 'import' THEN i.published_at ELSE r.at END) >= $2 \
                 AND (CASE WHEN r.event = 'import' THEN i.published_at ELSE r.at END) < $3 \
                 AND (r.item_id > $4 OR (r.item_id = $4 AND r.rev > $5)) \
                 GROUP BY r.item_id, r.rev, i.published_at, i.index_no, o.code, o.name, v.title, v.doc_no, \
                 v.issuer_name, v.co_issuers, v.topic, v.genre, v.written_on, v.summary, v.body, v.disclosure_attr, \
                 v.channels, v.content_hash, i.validity, i.repealed_on, v.reprinted_from, v.reprint_url \
                 ORDER BY r.item_id, r.rev LIMIT $6",
                vec![org_id.into(), from.into(), to.into(), after.0.into(), after.1.into(), limit.into()],
            ))
            .await
    }

    /// The publication register of these items (publication, withdrawal and validity
    /// changes), oldest first.
    pub async fn register_of(&self, item_ids: &[i64]) -> Result<Vec<RegisterRow>, StoreError> {
        let mut out = Vec::new();
        for chunk in item_ids.chunks(500) {
            let mut conn = self.pool.conn().await?;
            let rows: Vec<RegisterRow> = conn
                .ex()
                .fetch_all(Sql(
                    &format!(
                        "SELECT * FROM publication_register WHERE item_id IN ({}) ORDER BY id",
                        crate::db::placeholders(1, chunk.len())
                    ),
                    chunk.iter().map(|&i| i.into()).collect(),
                ))
                .await?;
            out.extend(rows);
        }
        out.sort_by_key(|r| r.id);
        Ok(out)
    }
}
