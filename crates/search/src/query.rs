//! Queries: what a person types, understood as a Chinese reader expects — a document
//! number or index number finds that document first; "quoted text" is a phrase; every other
//! word must appear (as a substring: bigram phrases), and titles, words and valid documents
//! rank higher. Filters narrow by org (with the orgs below it), topic, genre, year, validity
//! and kind; facets count what the result contains.

use crate::analysis::{BigramTokenizer, ZhTokenizer, fold};
use crate::index::{SearchError, SearchIndex};
use chrono::{DateTime, Utc};
use gongkai_core::{DocNo, index_no};
use serde::Serialize;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, TantivyDocument, Term};

/// How to order results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// By relevance.
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// A search.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    /// An org's path: the org and everything below it.
    pub org_path: Option<String>,
    pub topic: Option<String>,
    pub genre: Option<String>,
    pub year: Option<u64>,
    pub validity: Option<String>,
    pub kind: Option<String>,
    pub sort: Sort,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: u64,
    pub kind: String,
    pub title: String,
    pub doc_no: String,
    pub index_no: String,
    pub org: String,
    pub org_name: String,
    pub validity: String,
    pub published_at: Option<DateTime<Utc>>,
    /// HTML, escaped, with `<b>` around matches.
    pub snippet: String,
    pub url: String,
}

/// Counts per value of each facet.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub org: Vec<(String, u64)>,
    pub topic: Vec<(String, u64)>,
    pub genre: Vec<(String, u64)>,
    pub year: Vec<(String, u64)>,
    pub validity: Vec<(String, u64)>,
    pub kind: Vec<(String, u64)>,
}

/// What a search found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// A note for the reader (the query was shortened, had nothing to search for …).
    pub note: Option<String>,
}

/// The longest query taken (longer ones are cut, with a note).
const MAX_QUERY_CHARS: usize = 200;

fn clean_query(q: &str) -> (String, Option<String>) {
    let no_controls: String = q.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let n = no_controls.chars().count();
    if n > MAX_QUERY_CHARS {
        (
            no_controls.chars().take(MAX_QUERY_CHARS).collect(),
            Some(format!("搜索词过长，只按前 {MAX_QUERY_CHARS} 个字检索")),
        )
    } else {
        (no_controls, None)
    }
}

/// Splits a query into phrases: "quoted" runs and whitespace-separated words. An unmatched
/// quote is taken as a space.
fn parts(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let normalised = q.replace(['“', '”', '＂'], "\"");
    let quotes = normalised.matches('"').count();
    let text = if quotes % 2 == 1 { normalised.replacen('"', " ", quotes) } else { normalised };
    for (i, chunk) in text.split('"').enumerate() {
        if i % 2 == 1 {
            if !chunk.trim().is_empty() {
                out.push(chunk.trim().to_string());
            }
        } else {
            out.extend(chunk.split_whitespace().map(str::to_string));
        }
    }
    out
}

fn bigram_query(field: Field, text: &str) -> Option<Box<dyn Query>> {
    let terms: Vec<(usize, Term)> = BigramTokenizer::tokens(text)
        .into_iter()
        .map(|t| (t.position, Term::from_field_text(field, &t.text)))
        .collect();
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(terms[0].1.clone(), IndexRecordOption::WithFreqs))),
        _ => Some(Box::new(PhraseQuery::new_with_offset(terms))),
    }
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
}

impl SearchIndex {
    fn build_query(&self, req: &SearchRequest, q: &str) -> Result<(Box<dyn Query>, bool), SearchError> {
        let f = &self.f;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut has_text = false;
        // An exact document or index number.
        let trimmed = q.trim();
        let exact: Option<Box<dyn Query>> = if let Ok(no) = DocNo::parse(trimmed) {
            Some(Box::new(BoostQuery::new(term(f.doc_no, &no.to_string()), 1000.0)))
        } else if index_no::looks_like(trimmed) {
            Some(Box::new(BoostQuery::new(term(f.index_no, trimmed), 1000.0)))
        } else {
            None
        };
        let mut text_clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for part in parts(q) {
            let (Some(in_title), Some(in_body)) = (bigram_query(f.title_bi, &part), bigram_query(f.body_bi, &part))
            else {
                continue;
            };
            has_text = true;
            let title_boosted: Box<dyn Query> = Box::new(BoostQuery::new(in_title.box_clone(), 5.0));
            // The part must appear, in the title or the body.
            text_clauses.push((
                Occur::Must,
                Box::new(BooleanQuery::new(vec![(Occur::Should, title_boosted), (Occur::Should, in_body)])),
            ));
            // Words rank: in the title more than in the body.
            for t in ZhTokenizer::tokens(&part) {
                text_clauses.push((Occur::Should, Box::new(BoostQuery::new(term(f.title, &t.text), 2.0))));
                text_clauses.push((Occur::Should, term(f.body, &t.text)));
            }
        }
        let text_query: Option<Box<dyn Query>> =
            has_text.then(|| Box::new(BooleanQuery::new(text_clauses)) as Box<dyn Query>);
        match (exact, text_query) {
            (Some(e), Some(t)) => {
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(vec![(Occur::Should, e), (Occur::Should, t)]))))
            }
            (Some(e), None) => clauses.push((Occur::Must, e)),
            (None, Some(t)) => clauses.push((Occur::Must, t)),
            (None, None) => clauses.push((Occur::Must, Box::new(AllQuery))),
        }
        for (field, value) in [
            (f.org_path, &req.org_path),
            (f.topic, &req.topic),
            (f.genre, &req.genre),
            (f.validity, &req.validity),
            (f.kind, &req.kind),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                clauses.push((Occur::Must, term(field, v)));
            }
        }
        if let Some(y) = req.year {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(Term::from_field_u64(f.year, y), IndexRecordOption::Basic)),
            ));
        }
        // Valid documents above repealed and expired ones, unless the reader asked for those.
        if req.validity.is_none() {
            clauses.push((Occur::Should, Box::new(BoostQuery::new(term(f.validity, "valid"), 3.0))));
        }
        Ok((Box::new(BooleanQuery::new(clauses)), has_text || !matches!(q.trim(), "")))
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        let (q, mut note) = clean_query(&req.q);
        let meaningful = fold(&q).chars().any(char::is_alphanumeric);
        if !q.trim().is_empty() && !meaningful {
            return Ok(SearchResults {
                note: Some("请输入要搜索的文字（只有标点符号无法检索）".into()),
                ..Default::default()
            });
        }
        let (query, _) = self.build_query(req, &q)?;
        let searcher = self.reader.searcher();
        let per_page = req.per_page.clamp(1, 100);
        let offset = (req.page.max(1) - 1) * per_page;
        let aggs: Aggregations = serde_json::from_value(serde_json::json!({
            "org": { "terms": { "field": "org_code", "size": 100 } },
            "topic": { "terms": { "field": "topic", "size": 50 } },
            "genre": { "terms": { "field": "genre", "size": 50 } },
            "year": { "terms": { "field": "year", "size": 50 } },
            "validity": { "terms": { "field": "validity", "size": 10 } },
            "kind": { "terms": { "field": "kind", "size": 10 } }
        }))
        .map_err(|e| SearchError::Query(e.to_string()))?;
        let agg = AggregationCollector::from_aggs(aggs, Default::default());
        let sort_by_date = req.sort == Sort::Date || q.trim().is_empty();
        let (addresses, total, agg_res): (Vec<DocAddress>, usize, _) = if sort_by_date {
            let top =
                TopDocs::with_limit(per_page).and_offset(offset).order_by_fast_field::<i64>("published", Order::Desc);
            let (docs, total, aggs) = searcher.search(&*query, &(top, Count, agg))?;
            (docs.into_iter().map(|(_, a)| a).collect(), total, aggs)
        } else {
            let top = TopDocs::with_limit(per_page).and_offset(offset).order_by_score();
            let (docs, total, aggs) = searcher.search(&*query, &(top, Count, agg))?;
            (docs.into_iter().map(|(_, a)| a).collect(), total, aggs)
        };
        let snippets = SnippetGenerator::create(&searcher, &*query, self.f.body).ok().map(|mut g| {
            g.set_max_num_chars(160);
            g
        });
        let mut hits = Vec::with_capacity(addresses.len());
        for addr in addresses {
            let d: TantivyDocument = searcher.doc(addr)?;
            let s = |field: Field| d.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let id = d.get_first(self.f.id).and_then(|v| v.as_u64()).unwrap_or_default();
            let snippet = match &snippets {
                Some(g) => {
                    let sn = g.snippet_from_doc(&d);
                    let html = sn.to_html();
                    if html.trim().is_empty() {
                        gongkai_core::html::escape(&s(self.f.body).chars().take(120).collect::<String>())
                    } else {
                        html
                    }
                }
                None => gongkai_core::html::escape(&s(self.f.body).chars().take(120).collect::<String>()),
            };
            hits.push(Hit {
                id,
                kind: s(self.f.kind),
                title: s(self.f.title),
                doc_no: s(self.f.doc_no),
                index_no: s(self.f.index_no),
                org: s(self.f.org_code),
                org_name: s(self.f.org_name),
                validity: s(self.f.validity),
                published_at: d
                    .get_first(self.f.published)
                    .and_then(|v| v.as_i64())
                    .and_then(|t| DateTime::from_timestamp(t, 0)),
                snippet,
                url: format!("/items/{id}"),
            });
        }
        let json = serde_json::to_value(&agg_res).map_err(|e| SearchError::Query(e.to_string()))?;
        let buckets = |name: &str| -> Vec<(String, u64)> {
            json[name]["buckets"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|b| {
                            let key = match &b["key"] {
                                serde_json::Value::String(s) => s.clone(),
                                serde_json::Value::Number(n) => {
                                    n.as_f64().map(|f| (f as i64).to_string()).unwrap_or_default()
                                }
                                _ => return None,
                            };
                            Some((key, b["doc_count"].as_u64().unwrap_or(0)))
                        })
                        .filter(|(k, _)| !k.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        let facets = Facets {
            org: buckets("org"),
            topic: buckets("topic"),
            genre: buckets("genre"),
            year: buckets("year"),
            validity: buckets("validity"),
            kind: buckets("kind"),
        };
        if total == 0 && note.is_none() && !q.trim().is_empty() {
            note = Some("没有找到相关信息，请换个说法或减少关键词".into());
        }
        Ok(SearchResults { total: total as u64, hits, facets, note })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_split_into_phrases_and_words() {
        let p = parts("政务公开 \"重点任务分工\" 黔江");
        assert_eq!(p, vec!["政务公开".to_string(), "重点任务分工".to_string(), "黔江".to_string()]);
        assert_eq!(parts("“政务公开”"), vec!["政务公开".to_string()]);
        assert_eq!(parts("\"未闭合 引号"), vec!["未闭合".to_string(), "引号".to_string()]);
    }

    #[test]
    fn long_and_control_characters_are_tamed() {
        let (q, note) = clean_query(&"政".repeat(10_000));
        assert_eq!(q.chars().count(), MAX_QUERY_CHARS);
        assert!(note.is_some());
        assert_eq!(clean_query("政务\u{0}公开").0, "政务 公开");
    }
}
