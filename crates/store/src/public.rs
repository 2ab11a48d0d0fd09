//! What the public sees: the published revision of items that are public (a public
//! attribute, published, not withdrawn, publication time reached), with filters for the
//! catalog pages, feeds and the JSON list. `OnRequest` and `Withheld` items never appear.

use crate::db::{LongText, Sql};
use crate::items::JsonList;
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use gongkai_core::OrgPath;
use gongkai_core::item::Validity;
use sea_query::Value;

/// A public item: the published revision with the item's public facts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicItem {
    pub id: i64,
    pub org_id: i64,
    pub org_code: String,
    pub org_name: String,
    pub title: String,
    pub doc_no: String,
    pub index_no: Option<String>,
    pub issuer_name: String,
    #[sqlx(try_from = "String")]
    pub co_issuers: JsonList,
    pub topic: String,
    pub genre: String,
    pub section_id: Option<i64>,
    pub written_on: Option<NaiveDate>,
    pub published_at: DateTime<Utc>,
    pub repealed_on: Option<NaiveDate>,
    pub validity: String,
    pub summary: String,
    pub body: String,
    pub disclosure_attr: String,
    pub withheld_parts: String,
    #[sqlx(try_from = "String")]
    pub channels: JsonList,
    pub replaced_by: Option<i64>,
    pub rev: i64,
    pub revised_at: DateTime<Utc>,
    /// 转载来源 of the public revision (empty for the org's own).
    pub reprinted_from: String,
    /// 原文地址 of a reprint.
    pub reprint_url: String,
}

impl PublicItem {
    /// The validity as a value.
    pub fn validity(&self) -> Validity {
        Validity::parse(&self.validity).unwrap_or(Validity::Valid)
    }
}

/// Filters of the public list.
#[derive(Debug, Clone, Default)]
pub struct PublicQuery {
    /// An org and everything below it.
    pub org_path: Option<OrgPath>,
    pub section_id: Option<i64>,
    pub topic: Option<String>,
    pub genre: Option<String>,
    /// Year of publication (Beijing time).
    pub year: Option<i32>,
    pub validity: Option<Validity>,
    /// Only items changed (published, revised, withdrawn …) after this time.
    pub since: Option<DateTime<Utc>>,
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
    /// Count exactly up to this many (the total is then at most one more, meaning "more");
    /// `Some(0)` skips counting; `None` counts everything.
    pub count_up_to: Option<i64>,
}

/// What makes an item public: a public revision with a public attribute, not withdrawn,
/// publication time reached (`$1` is now).
macro_rules! public_from {
    () => {
        concat!($crate::public::public_join!(), " ", $crate::public::public_where!())
    };
}

pub(crate) use public_from;

/// The tables of [`public_from`], before its conditions (to join more).
macro_rules! public_join {
    () => {
        "FROM items i JOIN item_revisions r ON r.item_id = i.id AND r.rev = i.public_rev JOIN orgs o ON o.id = i.org_id"
    };
}
pub(crate) use public_join;

/// The conditions of [`public_from`].
macro_rules! public_where {
    () => {
        "WHERE i.state <> 'withdrawn' AND i.published_at <= $1 AND r.disclosure_attr IN ('proactive', 'partial')"
    };
}
pub(crate) use public_where;

/// [`public_where`] over the items `i` alone, for counts over many items that need nothing
/// of the public revision: every public revision is of a public attribute — core refuses to
/// publish an item of another (`Refusal::NotPublicAttr`) and an import gives a public
/// revision only to a public attribute — so the revision's attribute is not looked up
/// again for each item (the year's policies of a city: 17,740 look-ups).
macro_rules! public_items_where {
    () => {
        "WHERE i.public_rev IS NOT NULL AND i.state <> 'withdrawn' AND i.published_at <= $1"
    };
}
pub(crate) use public_items_where;

/// What is searched of a public item: its 内容概述, its body (HTML) and the texts of the
/// attachments of its public revision, in their order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicText {
    pub id: i64,
    pub summary: String,
    pub body: String,
    pub attachments: Vec<String>,
}

const PUBLIC_SELECT: &str = concat!(
    "SELECT i.id, i.org_id, o.code AS org_code, o.name AS org_name, r.title, r.doc_no, i.index_no, \
    r.issuer_name, r.co_issuers, r.topic, r.genre, r.section_id, r.written_on, i.published_at, i.repealed_on, i.validity, \
    r.summary, r.body, r.disclosure_attr, r.withheld_parts, r.channels, i.replaced_by, r.rev, r.created_at AS revised_at, \
    r.reprinted_from, r.reprint_url ",
    public_from!()
);

/// The same rows, for counting: only indexed columns are touched.
const PUBLIC_COUNT_FROM: &str = concat!("SELECT 1 ", public_from!());

fn beijing_year_start(year: i32) -> DateTime<Utc> {
    // 00:00 on 1 January in Beijing is 16:00 on 31 December UTC.
    Utc.with_ymd_and_hms(year - 1, 12, 31, 16, 0, 0).single().unwrap_or_default()
}

impl Store {
    /// A public item, or `None` for anything the public may not see.
    pub async fn public_item(&self, id: i64) -> Result<Option<PublicItem>, StoreError> {
        Ok(self.public_items_by_ids(&[id]).await?.pop())
    }

    /// The public items among these ids, in id order (ids not public are left out): the
    /// search index reads what changed this way, a page of outbox rows in one query.
    pub async fn public_items_by_ids(&self, ids: &[i64]) -> Result<Vec<PublicItem>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut values: Vec<Value> = vec![self.now().into()];
        values.extend(ids.iter().map(|id| Value::from(*id)));
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("{PUBLIC_SELECT} AND i.id IN ({}) ORDER BY i.id", crate::db::placeholders(2, ids.len())),
                values,
            ))
            .await
    }

    /// The public items among `ids`, in id order (ids not public are left out), each with its
    /// text when it is among `texts` (its summary, body and public attachments, in their
    /// order) and none otherwise, in one query: what search results make their snippets from.
    pub async fn public_texts_by_ids(&self, ids: &[i64], texts: &[i64]) -> Result<Vec<PublicText>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut values: Vec<Value> = vec![self.now().into()];
        values.extend(ids.iter().chain(texts).map(|id| Value::from(*id)));
        // Texts for `texts` alone: the others' columns are not read (nor their overflow pages).
        let read = if texts.is_empty() {
            "0 = 1".to_string()
        } else {
            format!("i.id IN ({})", crate::db::placeholders(2 + ids.len(), texts.len()))
        };
        let sql = format!(
            concat!(
                "SELECT i.id, CASE WHEN {read} THEN r.summary ELSE '' END, CASE WHEN {read} THEN r.body ELSE '' END, a.text ",
                public_join!(),
                " LEFT JOIN attachments a ON {read} AND a.item_id = i.id AND a.added_rev <= r.rev \
                AND (a.removed_rev IS NULL OR a.removed_rev > r.rev) ",
                public_where!(),
                " AND i.id IN ({ids}) ORDER BY i.id, a.position, a.id"
            ),
            read = read,
            ids = crate::db::placeholders(2, ids.len())
        );
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64, String, LongText, Option<LongText>)> = conn.ex().fetch_all(Sql(&sql, values)).await?;
        let mut out: Vec<PublicText> = Vec::new();
        for (id, summary, LongText(body), attachment) in rows {
            if out.last().is_none_or(|t| t.id != id) {
                out.push(PublicText { id, summary, body, attachments: Vec::new() });
            }
            if let (Some(LongText(text)), Some(t)) = (attachment, out.last_mut()) {
                t.attachments.push(text);
            }
        }
        Ok(out)
    }

    /// The public item with this index number or 发文字号 (in any bracket form: numbers that
    /// parse are stored in their canonical form), the newest when several share it.
    pub async fn public_item_by_number(&self, number: &str) -> Result<Option<PublicItem>, StoreError> {
        let number = number.trim();
        let doc_no = gongkai_core::DocNo::parse(number).map(|d| d.to_string()).unwrap_or_else(|_| number.to_string());
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_optional(Sql(
                &format!("{PUBLIC_SELECT} AND (i.index_no = $2 OR r.doc_no = $3) ORDER BY i.published_at DESC LIMIT 1"),
                vec![self.now().into(), number.into(), doc_no.into()],
            ))
            .await
    }

    /// How many public items each section of an org holds (sections without any are absent).
    pub async fn public_section_counts(&self, org_id: i64) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!("SELECT r.section_id, COUNT(*) {} AND i.org_id = $2 AND r.section_id IS NOT NULL GROUP BY r.section_id", public_from!()),
                vec![self.now().into(), org_id.into()],
            ))
            .await
    }

    /// Outbox rows after `after`, oldest first: (row id, kind, object id).
    pub async fn outbox_after(&self, after: i64, limit: i64) -> Result<Vec<(i64, String, i64)>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                "SELECT id, kind, object_id FROM outbox WHERE id > $1 ORDER BY id LIMIT $2",
                vec![after.into(), limit.into()],
            ))
            .await
    }

    /// Public items whose publication time falls in `(from, to]` (scheduled publications
    /// that have just come due).
    pub async fn items_published_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64,)> = conn
            .ex()
            .fetch_all(Sql(
                // No ORDER BY: ordering by id would make SQLite walk the whole table in id
                // order instead of the few index entries of the time range.
                &format!("SELECT i.id {} AND i.published_at > $2", public_from!()),
                vec![to.into(), from.into()],
            ))
            .await?;
        let mut ids: Vec<i64> = rows.into_iter().map(|(id,)| id).collect();
        ids.sort_unstable();
        Ok(ids)
    }

    /// The newest outbox row id (0 when empty).
    pub async fn outbox_head(&self) -> Result<i64, StoreError> {
        let mut conn = self.pool.conn().await?;
        let (n,): (Option<i64>,) = conn.ex().fetch_one(Sql("SELECT MAX(id) FROM outbox", vec![])).await?;
        Ok(n.unwrap_or(0))
    }

    /// How many items are public now, and the ids and last changes of one page of them in id
    /// order (`page` from 0), for the sitemap.
    pub async fn public_item_page(
        &self,
        page: i64,
        per_page: i64,
    ) -> Result<(i64, Vec<(i64, DateTime<Utc>)>), StoreError> {
        let mut conn = self.pool.conn().await?;
        let (total,): (i64,) =
            conn.ex().fetch_one(Sql(&format!("SELECT COUNT(*) {}", public_from!()), vec![self.now().into()])).await?;
        let rows: Vec<(i64, DateTime<Utc>)> = conn
            .ex()
            .fetch_all(Sql(
                &format!("SELECT i.id, r.created_at {} ORDER BY i.id LIMIT $2 OFFSET $3", public_from!()),
                vec![self.now().into(), per_page.into(), (page.max(0) * per_page).into()],
            ))
            .await?;
        Ok((total, rows))
    }

    /// Ids of public items after `after`, in id order (for rebuilding the index in pages).
    pub async fn public_item_ids(&self, after: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64,)> = conn
            .ex()
            .fetch_all(Sql(
                &format!("SELECT i.id {} AND i.id > $2 ORDER BY i.id LIMIT $3", public_from!()),
                vec![self.now().into(), after.into(), limit.into()],
            ))
            .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// A page of public items, newest first, and the total matching.
    pub async fn public_items(&self, q: &PublicQuery) -> Result<(Vec<PublicItem>, i64), StoreError> {
        let (cond, mut values) = self.public_cond(q);
        let per_page = q.per_page.clamp(1, 200);
        let offset = (q.page.max(1) - 1) * per_page;
        let total = self.public_count(q).await?;
        let mut conn = self.pool.conn().await?;
        let n = values.len();
        values.push(per_page.into());
        values.push(offset.into());
        let list_sql =
            format!("{PUBLIC_SELECT}{cond} ORDER BY i.published_at DESC, i.id DESC LIMIT ${} OFFSET ${}", n + 1, n + 2);
        let items = conn.ex().fetch_all(Sql(&list_sql, values)).await?;
        Ok((items, total))
    }

    /// How many public items `q` selects, counted up to `q.count_up_to` (and one more, to tell
    /// "more than"); 0 when that is `Some(0)`.
    pub async fn public_count(&self, q: &PublicQuery) -> Result<i64, StoreError> {
        let (cond, values) = self.public_cond(q);
        match q.count_up_to {
            Some(0) => Ok(0),
            limit => {
                let cap = limit.map(|n| format!(" LIMIT {}", n.max(0) + 1)).unwrap_or_default();
                let count_sql = format!("SELECT COUNT(*) FROM ({PUBLIC_COUNT_FROM}{cond}{cap}) t");
                let mut conn = self.pool.conn().await?;
                let (total,): (i64,) = conn.ex().fetch_one(Sql(&count_sql, values)).await?;
                Ok(total)
            }
        }
    }

    /// The conditions of `q` after [`public_from`]'s, with their values (`$1` the time now).
    fn public_cond(&self, q: &PublicQuery) -> (String, Vec<Value>) {
        let mut cond = String::new();
        let mut values: Vec<Value> = vec![self.now().into()];
        let mut add = |sql: &str, v: Value, cond: &mut String| {
            values.push(v);
            cond.push_str(&sql.replace("$?", &format!("${}", values.len())));
        };
        if let Some(p) = &q.org_path {
            add(" AND o.path LIKE $?", format!("{}%", p.as_str()).into(), &mut cond);
        }
        if let Some(s) = q.section_id {
            // A section and its subsections.
            add(
                " AND (r.section_id = $? OR r.section_id IN (SELECT id FROM catalog_sections WHERE parent_id = $?))",
                s.into(),
                &mut cond,
            );
        }
        if let Some(t) = &q.topic {
            add(" AND r.topic = $?", t.as_str().into(), &mut cond);
        }
        if let Some(g) = &q.genre {
            add(" AND r.genre = $?", g.as_str().into(), &mut cond);
        }
        if let Some(y) = q.year {
            add(" AND i.published_at >= $?", beijing_year_start(y).into(), &mut cond);
            add(" AND i.published_at < $?", beijing_year_start(y + 1).into(), &mut cond);
        }
        if let Some(v) = q.validity {
            add(" AND i.validity = $?", v.as_str().into(), &mut cond);
        }
        if let Some(s) = q.since {
            add(" AND i.updated_at > $?", s.into(), &mut cond);
        }
        (cond, values)
    }
}

#[cfg(test)]
mod tests {
    use gongkai_core::item::{DisclosureAttr, ItemState};

    /// The public conditions are spelled out for `concat!`; they must say what core says.
    #[test]
    fn the_public_conditions_name_the_states_and_attributes_core_does() {
        let w = public_where!();
        assert!(w.contains(&format!("i.state <> '{}'", ItemState::Withdrawn.as_str())), "{w}");
        let public = DisclosureAttr::ALL.iter().filter(|a| a.is_public()).map(|a| a.as_str());
        assert!(w.contains(&format!("r.disclosure_attr IN {}", crate::db::code_list(public))), "{w}");
    }
}
