//! The rows of the structured public lists (清单) in search: a second tantivy index beside
//! the items', kept in a folder inside theirs and following the same outbox. A row is
//! indexed in its masked form (what the public table shows), with what the table filters by;
//! a row past its 公示期限 is left out when searching, on the day it ends. This is what makes
//! a keyword in a table of a million rows answer in milliseconds (a `LIKE` over the rows took
//! seconds), and what lets the site's search find rows.

use crate::analysis::BigramTokenizer;
use crate::facets::FacetColumns;
use crate::index::SearchError;
use crate::query::bigram_query;
use chrono::NaiveDate;
use gongkai_store::{RowDoc, Store};
use std::ops::Bound;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, RegexQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, Order, TantivyDocument, Term, doc};

/// The fields of a row's document.
#[derive(Clone, Copy)]
pub(crate) struct RowFields {
    id: Field,
    kind: Field,
    org_id: Field,
    /// The org's path and every ancestor's (`/1/`, `/1/4/`): rows of an org's tree.
    org_path: Field,
    filter1: Field,
    filter2: Field,
    /// The last day of the 公示期限 as days from the Common Era; rows without one have
    /// `i64::MAX`.
    until: Field,
    /// The masked values in one bigram field.
    text: Field,
}

pub(crate) fn schema() -> (Schema, RowFields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(crate::index::BI)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let f = RowFields {
        id: b.add_u64_field("id", INDEXED | STORED | FAST),
        kind: b.add_text_field("kind", STRING | FAST),
        org_id: b.add_u64_field("org_id", INDEXED),
        org_path: b.add_text_field("org_path", STRING),
        filter1: b.add_text_field("filter1", STRING),
        filter2: b.add_text_field("filter2", STRING),
        until: b.add_i64_field("until", INDEXED | FAST),
        text: b.add_text_field("text", text),
    };
    (b.build(), f)
}

/// What a search of the rows asks: words in the masked values, and the public table's filters.
#[derive(Debug, Clone, Default)]
pub struct RowRequest {
    /// Words, each of which a row must contain (at most eight are read).
    pub q: String,
    /// One list kind (else every kind).
    pub kind: Option<String>,
    /// The value of the kind's first and second filter field (empty: any).
    pub filter1: String,
    pub filter2: String,
    /// Rows of this org only.
    pub org_id: Option<i64>,
    /// Rows of orgs under this path (`/1/4/`).
    pub org_path: Option<String>,
    /// Rows whose 公示期限 ended before this day are not public.
    pub today: NaiveDate,
    pub offset: usize,
    pub limit: usize,
}

/// The rows found: a page of ids, newest first, the total and the count per kind.
#[derive(Debug, Clone, Default)]
pub struct RowResults {
    pub ids: Vec<i64>,
    pub total: u64,
    /// (kind, rows), most first.
    pub kinds: Vec<(String, u64)>,
}

/// The words of a row query: at most eight, each at most 50 characters, without those that
/// hold no letter or digit.
fn words(q: &str) -> Vec<String> {
    q.split_whitespace()
        .take(8)
        .map(|w| w.chars().take(50).collect::<String>())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

/// A row's day as a number, for the `until` field.
fn day(d: NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&d))
}

/// The index of rows.
pub(crate) struct RowIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    f: RowFields,
    /// Whether it holds the rows (committed at least once): until then the store answers.
    ready: std::sync::atomic::AtomicBool,
    /// Each segment's facet columns, opened once per searcher generation.
    facet_columns: FacetColumns,
}

impl RowIndex {
    pub(crate) fn new(index: Index) -> Result<Self, SearchError> {
        let (_, f) = schema();
        let reader = index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into()?;
        let this = Self {
            index,
            reader,
            f,
            ready: std::sync::atomic::AtomicBool::new(false),
            facet_columns: FacetColumns::default(),
        };
        this.ready.store(this.applied().is_some(), std::sync::atomic::Ordering::Relaxed);
        Ok(this)
    }

    /// True once the rows are in it (a new folder is filled at the first catch-up).
    pub(crate) fn is_ready(&self) -> bool {
        self.ready.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Records a commit and lets searches see it.
    pub(crate) fn committed(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        self.ready.store(true, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// The last outbox row applied, or `None` when the index was never committed (a new
    /// folder: the rows are to be read from the store).
    pub(crate) fn applied(&self) -> Option<i64> {
        self.index.load_metas().ok().and_then(|m| m.payload).and_then(|p| p.parse().ok())
    }

    fn document(&self, r: &RowDoc, paths: &[String]) -> TantivyDocument {
        let f = &self.f;
        let mut d = doc!(
            f.id => r.id as u64,
            f.kind => r.kind.clone(),
            f.org_id => r.org_id as u64,
            f.filter1 => r.filter1.clone(),
            f.filter2 => r.filter2.clone(),
            f.until => r.notice_until.map(day).unwrap_or(i64::MAX),
            f.text => r.haystack.clone(),
        );
        for p in paths {
            d.add_text(f.org_path, p);
        }
        d
    }

    /// Puts the current public state of these rows in the index: each one's document
    /// replaced, or removed when the row is removed.
    pub(crate) async fn upsert(
        &self,
        store: &Store,
        writer: &IndexWriter,
        ids: &[i64],
        paths: &mut Vec<(i64, String)>,
    ) -> Result<(), SearchError> {
        for chunk in ids.chunks(1000) {
            for id in chunk {
                writer.delete_term(Term::from_field_u64(self.f.id, *id as u64));
            }
            self.add(store, writer, chunk, paths).await?;
        }
        Ok(())
    }

    /// Adds the documents of the rows among `ids` (at most 1,000) the public may see.
    async fn add(
        &self,
        store: &Store,
        writer: &IndexWriter,
        ids: &[i64],
        paths: &mut Vec<(i64, String)>,
    ) -> Result<(), SearchError> {
        for r in store.row_docs(ids).await? {
            let path = crate::index::org_path_of(store, paths, r.org_id).await?;
            writer.add_document(self.document(&r, &crate::index::ancestors(&path)))?;
        }
        Ok(())
    }

    /// Empties the writer and adds every row not removed, from the store.
    pub(crate) async fn refill(
        &self,
        store: &Store,
        writer: &IndexWriter,
        paths: &mut Vec<(i64, String)>,
    ) -> Result<u64, SearchError> {
        writer.delete_all_documents()?;
        let mut after = 0;
        let mut done = 0u64;
        loop {
            let ids = store.row_ids_after(after, 1000).await?;
            let Some(last) = ids.last() else { break };
            after = *last;
            self.add(store, writer, &ids, paths).await?;
            done += ids.len() as u64;
        }
        Ok(done)
    }

    /// A word as a query: its bigrams in order; a single character, any bigram holding it.
    fn word(&self, w: &str) -> Result<Option<Box<dyn Query>>, SearchError> {
        let folded: Vec<String> = BigramTokenizer::tokens(w).into_iter().map(|t| t.text).collect();
        if folded.len() == 1 && folded[0].chars().count() == 1 {
            // A token is letters and digits only (`analysis::is_word_char`): nothing in it is
            // special to a regular expression.
            let c = &folded[0];
            let q = RegexQuery::from_pattern(&format!("{c}.?|.{c}"), self.f.text)?;
            return Ok(Some(Box::new(q)));
        }
        Ok(bigram_query(self.f.text, w))
    }

    /// Searches the rows the public sees on `r.today`.
    pub(crate) fn search(&self, r: &RowRequest) -> Result<RowResults, SearchError> {
        let f = &self.f;
        let filter =
            |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) { (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))) };
        let term = |field: Field, v: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![filter(Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_i64(f.until, day(r.today))),
            Bound::Unbounded,
        )))];
        let words = words(&r.q);
        if !r.q.trim().is_empty() && words.is_empty() {
            return Ok(RowResults::default());
        }
        for w in &words {
            match self.word(w)? {
                Some(q) => clauses.push(filter(q)),
                None => return Ok(RowResults::default()),
            }
        }
        if let Some(k) = r.kind.as_deref() {
            clauses.push(filter(term(f.kind, k)));
        }
        for (field, v) in [(f.filter1, &r.filter1), (f.filter2, &r.filter2)] {
            if !v.is_empty() {
                clauses.push(filter(term(field, v)));
            }
        }
        if let Some(o) = r.org_id {
            clauses.push(filter(Box::new(TermQuery::new(
                Term::from_field_u64(f.org_id, o as u64),
                IndexRecordOption::Basic,
            ))));
        }
        if let Some(p) = r.org_path.as_deref() {
            clauses.push(filter(term(f.org_path, p)));
        }
        clauses.push((Occur::Must, Box::new(AllQuery)));
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(r.limit.clamp(1, 1000))
            .and_offset(r.offset)
            .order_by_fast_field::<u64>("id", Order::Desc);
        let (found, total, facets) = searcher.search(&query, &(top, Count, self.facet_columns.collector(&searcher)))?;
        Ok(RowResults {
            ids: found.into_iter().filter_map(|(id, _)| id.map(|i| i as i64)).collect(),
            total: total as u64,
            kinds: crate::facets::FacetCounts::top(&facets.strings[4], 100),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_bounded_and_meaningful() {
        let long = "长".repeat(500);
        let w = words(&format!("a {long} 、、 b c d e f g h i j"));
        assert_eq!(w.len(), 7, "eight read, the punctuation one dropped: {w:?}");
        assert_eq!(w[1].chars().count(), 50);
        assert!(words("。。 ，").is_empty());
    }

    #[test]
    fn days_order_as_dates() {
        let d = |s: &str| day(NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date"));
        assert!(d("2026-12-31") < d("2027-01-01"));
        assert_eq!(d("2026-01-02") - d("2026-01-01"), 1);
    }
}
