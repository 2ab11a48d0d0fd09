//! Queries: what a person types, understood as a Chinese reader expects — a document
//! number or index number finds that document first; "quoted text" is a phrase; every other
//! word must appear (as a substring: bigram phrases), and titles, words and valid documents
//! rank higher. Filters narrow by org (with the orgs below it), topic, genre, year, validity
//! and kind; facets count what the result contains.

mod build;
mod scan;
mod snippets;
mod suggest;
mod understand;

pub(crate) use build::bigram_query;
use build::*;
use scan::*;
use snippets::*;
use suggest::*;
use understand::*;

use crate::analysis::{BigramTokenizer, ZhTokenizer, fold};
use crate::facets::{FacetCollector, FacetCounts};
use crate::index::{PARALLEL_MATCHES, SearchError, SearchIndex};

/// The note of a search that found nothing (one part of [`SearchResults::note`], parts
/// joined by `；`).
pub const NOTHING_FOUND: &str = "没有找到相关信息，请换个说法或减少关键词";
use chrono::{DateTime, Utc};
use gongkai_core::{DocNo, index_no};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Bound;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocSet, Order, Score, Searcher, TERMINATED, TantivyDocument, Term};

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
    /// Where the document was also published: `gazette` for the 政府公报.
    pub source: Option<String>,
    /// An org's exact name (set when the whole query is one).
    pub org_name: Option<String>,
    /// The orgs a word of the query may name (濯水 for 重庆市黔江区濯水镇人民政府): a word
    /// inside the names of one to three orgs' subtrees also matches those subtrees' items.
    pub orgs: Option<std::sync::Arc<[NamedOrg]>>,
    pub sort: Sort,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

/// An org as a query's word may name it: its full and short names, folded to letters once
/// (the list is kept between changes and asked on every search), and its path.
#[derive(Debug, Clone)]
pub struct NamedOrg {
    /// Full name and short name, folded, letters only.
    names: [String; 2],
    /// The org's path (`/1/5/`): its items and those below carry it.
    path: String,
}

impl NamedOrg {
    pub fn new(name: &str, short_name: &str, path: &str) -> Self {
        NamedOrg { names: [letters(name), letters(short_name)], path: path.to_string() }
    }
}

/// The letters of a text, folded: what the search compares.
fn letters(text: &str) -> String {
    fold(text).chars().filter(|c| crate::analysis::is_word_char(*c)).collect()
}

/// The most subtrees a word may name and still stand for their items: 黔江 names one
/// district (and every org below it, whose names say 黔江 too); 人民政府 names every
/// government, which is no one in particular.
const MOST_ORGS_NAMED: usize = 3;

/// The paths of the subtrees whose orgs' names hold `part` (folded, letters only), when
/// there are one to [`MOST_ORGS_NAMED`] of them.
pub(super) fn orgs_named(orgs: &[NamedOrg], part: &str) -> Vec<String> {
    let word = letters(part);
    if word.chars().count() < 2 {
        return Vec::new();
    }
    let mut paths: Vec<&str> =
        orgs.iter().filter(|o| o.names.iter().any(|n| n.contains(&word))).map(|o| o.path.as_str()).collect();
    // The topmost of them: an org below another named one is in its subtree.
    paths.sort_unstable();
    let mut top: Vec<String> = Vec::new();
    for p in paths {
        if !top.iter().any(|t| p.starts_with(t.as_str())) {
            top.push(p.to_string());
        }
    }
    if top.len() > MOST_ORGS_NAMED { Vec::new() } else { top }
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
    /// HTML, escaped, with `<b>` around matches; written by [`SearchResults::with_snippets`].
    pub snippet: String,
    pub url: String,
    /// The opening of the text, from the index.
    #[serde(skip)]
    lead: String,
    /// Whether the index shows a part of the query in the text, not in the title alone
    /// (see `parts_in_texts`): only then is the text read for the snippet.
    #[serde(skip)]
    in_text: bool,
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
    /// `gazette`: carried in a published issue of the 政府公报.
    pub source: Vec<(String, u64)>,
}

/// What a search found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    /// Matches: exact up to [`crate::EXACT_UP_TO`], estimated beyond (then `total_is_estimate`).
    pub total: u64,
    /// True when `total` (and the facet counts) are estimates.
    pub total_is_estimate: bool,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// A note for the reader (the query was shortened, had nothing to search for …).
    pub note: Option<String>,
    /// A query to offer when this one found nothing as typed: the words of a title close to
    /// it (防汛条列 → 防汛条例), or the query without the words no document has.
    pub suggestion: Option<String>,
    /// What [`SearchResults::with_snippets`] highlights.
    #[serde(skip)]
    highlight: Option<std::sync::Arc<Highlight>>,
}

impl SearchIndex {
    /// The `k` newest matches of `query`, newest first. Sorting every match by date would
    /// check the words in every one of them (a million, for a common word); instead the
    /// matches of the index's last 30 days of dates are sorted, then of a window eight times
    /// as long, and so on until one holds `k` or reaches the oldest date. Every match
    /// outside a window is older than every match inside it, so the page is the one sorting
    /// every match gives, in its order.
    fn newest(&self, searcher: &Searcher, query: &dyn Query, k: usize) -> Result<Vec<DocAddress>, SearchError> {
        let mut dates: Option<(i64, i64)> = None;
        for segment in searcher.segment_readers() {
            if segment.num_docs() == 0 {
                continue;
            }
            let column = segment.fast_fields().i64("published")?;
            let (lo, hi) = (column.min_value(), column.max_value());
            dates = Some(dates.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
        }
        let Some((oldest, latest)) = dates else { return Ok(Vec::new()) };
        let top = TopDocs::with_limit(k.max(1)).order_by_fast_field::<i64>("published", Order::Desc);
        let mut span: i64 = 30 * 24 * 3600;
        loop {
            let from = latest.saturating_sub(span);
            let every_date = from <= oldest;
            let docs = if every_date {
                searcher.search(query, &top)?
            } else {
                let since =
                    RangeQuery::new(Bound::Included(Term::from_field_i64(self.f.published, from)), Bound::Unbounded);
                searcher.search(
                    &BooleanQuery::new(vec![(Occur::Must, query.box_clone()), (Occur::Must, filter(Box::new(since)))]),
                    &top,
                )?
            };
            if docs.len() >= k || every_date {
                return Ok(docs.into_iter().map(|(_, a)| a).collect());
            }
            span = span.saturating_mul(8);
        }
    }

    /// At most how many documents have every part of `q` (as the strict query matches
    /// them): for each part, the fewest that have any one of its covering bigrams, in each
    /// of its forms, plus the items of the orgs it names (濯水 also matches the town's
    /// items); the fewest of the parts. Unbounded when there is no part to look up.
    fn matches_at_most(&self, searcher: &Searcher, req: &SearchRequest, q: &str) -> Result<u64, SearchError> {
        let mut fewest = u64::MAX;
        for part in parts(q) {
            // A part in two forms: at most the documents of one plus those of the other.
            let mut of_part = 0u64;
            for form in forms(&part) {
                let mut of_form = u64::MAX;
                for (_, bigram) in covering_bigrams(&form) {
                    of_form =
                        of_form.min(self.doc_freqs.get(searcher, &Term::from_field_text(self.f.body_bi, &bigram))?);
                }
                of_part = of_part.saturating_add(of_form);
            }
            for path in orgs_named(req.orgs.as_deref().unwrap_or_default(), &part) {
                of_part = of_part
                    .saturating_add(self.doc_freqs.get(searcher, &Term::from_field_text(self.f.org_path, &path))?);
            }
            fewest = fewest.min(of_part);
        }
        Ok(fewest)
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
        let running = crate::index::Running::enter(&self.running);
        let searcher = self.reader.searcher();
        let looked = crate::index::Statistics {
            searcher: &searcher,
            doc_freqs: &self.doc_freqs,
            facet_columns: &self.facet_columns,
        };
        // A query that is only a year, or only an org's name, filters instead of matching words.
        let mut req = req.clone();
        let mut q = q;
        let trimmed = q.trim().trim_end_matches('年').to_string();
        if let Ok(y) = trimmed.parse::<u64>()
            && (1949..=2100).contains(&y)
            && trimmed.len() == 4
            && req.year.is_none()
        {
            req.year = Some(y);
            q = String::new();
            add_note(&mut note, format!("已按年份 {y} 筛选"));
        } else if !q.trim().is_empty() && req.org_path.is_none() {
            let name = q.trim().to_string();
            let t = Term::from_field_text(self.f.org_name, &name);
            if self.doc_freqs.get(&searcher, &t)? > 0 {
                req.org_name = Some(name.clone());
                q = String::new();
                add_note(&mut note, format!("已按发布机构“{name}”筛选"));
            }
        }
        let req = &req;
        let Built { query, titled, lookup, .. } = self.build(req, &q, false)?;
        // A look-up finds a document or two: a second thread would cost more than it saves.
        // Words that thousands of documents have are counted by two threads whatever the
        // size of the index (on a machine that has two cores): the page waits for the count.
        let parallel_from = if lookup {
            u64::MAX
        } else if self.parallel_from == u64::MAX || searcher.num_docs() >= self.parallel_from {
            // One core, or an index scanned by two threads already: nothing to look up.
            self.parallel_from
        } else if self.matches_at_most(&searcher, req, &q)? >= PARALLEL_MATCHES {
            0
        } else {
            self.parallel_from
        };
        let per_page = req.per_page.clamp(1, 100);
        let offset = (req.page.max(1) - 1) * per_page;
        let words = !q.trim().is_empty();
        let sort_by_date = req.sort == Sort::Date || !words;
        let run = |query: &dyn Query, titled: Option<&dyn Query>| -> Result<Found, SearchError> {
            if sort_by_date && words {
                // Words, newest first: counted (and faceted) as a relevance search counts
                // them, exactly up to the cap, and the page taken from the newest matches.
                let k = offset + per_page;
                let counted = scan(&looked, query, 0, self.exact_up_to, Over::Index { parallel_from }, &running)?;
                let newest = self.newest(&searcher, query, k)?;
                return Ok(Found {
                    addresses: newest.into_iter().skip(offset).collect(),
                    total: counted.total,
                    estimated: counted.estimated,
                    facets: counted.facets,
                });
            }
            if sort_by_date {
                // Filters alone: every match is counted; no words to check makes that cheap.
                let top = TopDocs::with_limit(per_page)
                    .and_offset(offset)
                    .order_by_fast_field::<i64>("published", Order::Desc);
                let (docs, total, facets) =
                    searcher.search(query, &(top, Count, self.facet_columns.collector(&searcher)))?;
                return Ok(Found {
                    addresses: docs.into_iter().map(|(_, a)| a).collect(),
                    total,
                    estimated: false,
                    facets,
                });
            }
            let k = offset + per_page;
            let mut found = scan(&looked, query, k, self.exact_up_to, Over::Index { parallel_from }, &running)?;
            // A capped scan ranks the matches it reached; documents with every part in
            // the title are looked for where it did not reach, so the best of them are not
            // missed.
            if found.estimated
                && let Some(titled) = titled
            {
                let extra = scan(&looked, titled, k, self.exact_up_to, Over::Ranges(&found.unreached), &running)?;
                // The two scans looked at different documents: none is found twice.
                found.top.extend(extra.top);
                found.top.sort_by(|a, b| b.cmp(a));
                found.top.truncate(k);
            }
            Ok(Found {
                addresses: found.top.into_iter().skip(offset).map(|r| r.addr).collect(),
                total: found.total,
                estimated: found.estimated,
                facets: found.facets,
            })
        };
        let Found { mut addresses, mut total, mut estimated, facets: mut counts } = run(&*query, titled.as_deref())?;
        let mut query = query;
        let mut relaxed_query = false;
        if total == 0 && words {
            // Nothing has every part as written: offer the closest (a character wrong or
            // missing, words in another order).
            let Built { query: relaxed, has_text, .. } = self.build(req, &q, true)?;
            if has_text {
                let found = run(&*relaxed, None)?;
                (addresses, total, estimated, counts) = (found.addresses, found.total, found.estimated, found.facets);
                if total > 0 {
                    add_note(&mut note, "没有完全匹配的结果，以下是最接近的信息");
                }
                query = relaxed;
                relaxed_query = true;
            }
        }
        let snippet_parts: Vec<Vec<char>> = parts(&q)
            .iter()
            .flat_map(|p| forms(p))
            .map(|p| fold(&p).chars().filter(|c| c.is_alphanumeric()).collect::<Vec<char>>())
            .filter(|p| p.len() >= 2)
            .collect();
        // The parts are highlighted where they appear in a text (`quick_snippet`). Only what
        // they cannot mark — a relaxed query's nearest matches, a query of single characters —
        // is left to tantivy's snippet generator on the bigram field (its tokens advance in
        // order, so fragments and highlights line up), which reads through each whole text.
        // A query with nothing to highlight (a 发文字号 look-up) makes none.
        let mut highlights = false;
        query.query_terms(&mut |t, _| highlights |= t.field() == self.f.body_bi);
        let snippets = (highlights && (relaxed_query || snippet_parts.is_empty()))
            .then(|| SnippetGenerator::create(&searcher, &*query, self.f.body_bi).ok())
            .flatten()
            .map(|mut g| {
                g.set_max_num_chars(160);
                g
            });
        let mut hits = Vec::with_capacity(addresses.len());
        for &addr in &addresses {
            let d: TantivyDocument = searcher.doc(addr)?;
            let s = |field: Field| d.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let id = d.get_first(self.f.id).and_then(|v| v.as_u64()).unwrap_or_default();
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
                snippet: String::new(),
                url: format!("/items/{id}"),
                lead: s(self.f.lead),
                in_text: true,
            });
        }
        // With parts to mark (and nothing left to the generator), a hit whose parts are in
        // its title alone shows its opening.
        if snippets.is_none() && !snippet_parts.is_empty() {
            let titled: Vec<(DocAddress, &str)> =
                addresses.iter().copied().zip(hits.iter().map(|h| h.title.as_str())).collect();
            let held = parts_in_texts(&searcher, self.f.body_bi, &titled, &snippet_parts)?;
            for (hit, held) in hits.iter_mut().zip(held) {
                hit.in_text = held;
            }
        }
        let [org, topic, genre, validity, kind, source] = &counts.strings;
        let mut years: Vec<(String, u64)> = counts.years.iter().map(|(y, n)| (y.to_string(), *n)).collect();
        years.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
        years.truncate(50);
        let facets = Facets {
            org: FacetCounts::top(org, 100),
            topic: FacetCounts::top(topic, 50),
            genre: FacetCounts::top(genre, 50),
            year: years,
            validity: FacetCounts::top(validity, 10),
            kind: FacetCounts::top(kind, 10),
            source: FacetCounts::top(source, 10),
        };
        let suggestion = if relaxed_query && total > 0 {
            closest_in_titles(&q, hits.iter().take(3).map(|h| h.title.as_str()))
        } else if total == 0 && words {
            self.without_missing_parts(&searcher, req, &q)?
        } else {
            None
        };
        if total == 0 && words {
            add_note(&mut note, NOTHING_FOUND);
        }
        let highlight = Some(std::sync::Arc::new(Highlight { generator: snippets, parts: snippet_parts }));
        Ok(SearchResults {
            total: total as u64,
            total_is_estimate: estimated,
            hits,
            facets,
            note,
            suggestion,
            highlight,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_names_the_topmost_orgs_holding_it_and_no_more_than_three() {
        let o = |name: &str, path: &str| NamedOrg::new(name, "", path);
        let orgs = vec![
            o("重庆市黔江区人民政府", "/1/"),
            o("重庆市黔江区濯水镇人民政府", "/1/2/"),
            o("重庆市黔江区发展和改革委员会", "/1/3/"),
            o("常州市武进区人民政府", "/4/"),
            o("永州市人民政府", "/5/"),
            o("漳州市芗城区人民政府", "/6/"),
        ];
        assert_eq!(orgs_named(&orgs, "濯水"), vec!["/1/2/"]);
        assert_eq!(orgs_named(&orgs, "黔江"), vec!["/1/"], "the district, not each org below it");
        assert_eq!(orgs_named(&orgs, "黔江區"), vec!["/1/"], "folded");
        assert!(orgs_named(&orgs, "人民政府").is_empty(), "four governments name no one");
        assert!(orgs_named(&orgs, "水").is_empty(), "one character is not a name");
    }

    #[test]
    fn queries_split_into_phrases_and_words() {
        let p = parts("政务公开 \"重点任务分工\" 黔江");
        assert_eq!(p, vec!["政务公开".to_string(), "重点任务分工".to_string(), "黔江".to_string()]);
        assert_eq!(parts("“政务公开”"), vec!["政务公开".to_string()]);
        assert_eq!(parts("\"未闭合 引号"), vec!["未闭合".to_string(), "引号".to_string()]);
    }

    #[test]
    fn quick_snippets_highlight_the_parts_in_the_original_text() {
        let parts = vec!["政务公开".chars().collect::<Vec<char>>()];
        let html = quick_snippet("推進政務公開工作，<b>重點</b>", &parts).expect("snippet");
        assert_eq!(html, "推進<b>政務公開</b>工作，&lt;b&gt;重點&lt;/b&gt;");
        assert_eq!(
            quick_snippet("推进政务，公开工作", &parts).as_deref(),
            Some("推进<b>政务，公开</b>工作"),
            "across punctuation, as the bigram field matched it"
        );
        assert_eq!(quick_snippet("政务工作公开", &parts), None, "other words between: no match");
        let two = vec!["政务".chars().collect::<Vec<char>>(), "公开".chars().collect()];
        assert_eq!(quick_snippet("公开透明的政务", &two).as_deref(), Some("<b>公开</b>透明的<b>政务</b>"));
    }

    #[test]
    fn a_long_body_gives_the_snippet_the_whole_body_gives() {
        let parts = vec!["政务公开".chars().collect::<Vec<char>>()];
        for at in [10, 39, 41, 790, 800, 830, 900, 990, 1500, 3_900, 4_000, 4_700, 4_950, 5_000, 12_000, 24_000] {
            let body = format!("{}推进政务公开工作{}", "文".repeat(at), "字".repeat(2000));
            assert_eq!(quick_snippet(&body, &parts), snippet_in(&body, &parts).map(|(h, _)| h), "at {at}");
            assert!(quick_snippet(&body, &parts).is_some_and(|h| h.contains("<b>政务公开</b>")), "at {at}");
        }
    }

    #[test]
    fn the_opening_of_a_long_body_gives_the_snippet_the_whole_text_gives() {
        let h = Highlight { generator: None, parts: vec!["政务公开".chars().collect()] };
        // Paragraphs with tags and entities, the part early, near the cut of the opening, and
        // only after it; and in an attachment alone.
        for at in [0, 1_500, 1_700, 1_800, 1_960, 1_990, 1_995, 2_000, 2_010, 2_400, 5_000, 5_800] {
            let mut body = String::from("<p>");
            for k in 0..6_000 {
                if k == at {
                    body.push_str("推进政务公开工作");
                }
                body.push(if k % 97 == 0 { '&' } else { '文' });
                if k % 50 == 49 {
                    body.push_str("</p>\n<p>");
                }
            }
            body = body.replace('&', "&amp;");
            let t =
                gongkai_store::PublicText { id: 1, summary: "摘要".into(), body, attachments: vec!["附件".into()] };
            let whole = crate::index::searchable_text(&t.summary, &t.body, "附件");
            let expected = quick_snippet(&whole, &h.parts).expect("found in the whole text");
            assert_eq!(h.snippet_of(&t), expected, "part at {at}");
        }
        let t = gongkai_store::PublicText {
            id: 1,
            summary: String::new(),
            body: "字".repeat(9_000),
            attachments: vec!["附件里写着政务公开".into()],
        };
        assert!(h.snippet_of(&t).contains("<b>政务公开</b>"), "found in an attachment");
        // Not there at all: the text's opening.
        let t =
            gongkai_store::PublicText { id: 1, summary: String::new(), body: "字".repeat(9_000), attachments: vec![] };
        let lead = h.snippet_of(&t);
        assert!(!lead.contains("<b>") && lead.trim().starts_with("字字字"), "{lead}");
    }

    #[test]
    fn many_parts_are_cut_to_the_first_ones_with_a_note() {
        let (q, note) = clean_query(&"a ".repeat(300));
        assert_eq!(parts(&q).len(), MAX_QUERY_PARTS);
        assert_eq!(note.as_deref(), Some("搜索词过多，只按前 12 个词检索"));
        let (q, _) = clean_query("\"政务 公开\" 1 2 3 4 5 6 7 8 9 10 11 12 13");
        assert_eq!(parts(&q)[0], "政务 公开", "a quoted phrase stays one part");
        assert_eq!(clean_query("政务 公开").1, None);
    }

    #[test]
    fn ranking_clauses_nest_no_deeper_than_the_bound() {
        fn depth(q: &dyn Query) -> usize {
            let mut deepest = 0;
            if let Some(b) = q.downcast_ref::<BooleanQuery>() {
                for (_, c) in b.clauses() {
                    deepest = deepest.max(depth(c.as_ref()));
                }
            }
            deepest + 1
        }
        let optional: Vec<Box<dyn Query>> = (0..500).map(|_| Box::new(AllQuery) as Box<dyn Query>).collect();
        let q = ranked_by(Box::new(AllQuery), optional);
        assert_eq!(depth(q.as_ref()), MAX_NESTED_BOOSTS + 1);
    }

    #[test]
    fn long_and_control_characters_are_tamed() {
        let (q, note) = clean_query(&"政".repeat(10_000));
        assert_eq!(q.chars().count(), MAX_QUERY_CHARS);
        assert!(note.is_some());
        assert_eq!(clean_query("政务\u{0}公开").0, "政务 公开");
    }
}
