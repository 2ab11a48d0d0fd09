//! Queries: what a person types, understood as a Chinese reader expects — a document
//! number or index number finds that document first; "quoted text" is a phrase; every other
//! word must appear (as a substring: bigram phrases), and titles, words and valid documents
//! rank higher. Filters narrow by org (with the orgs below it), topic, genre, year, validity
//! and kind; facets count what the result contains.

use crate::analysis::{BigramTokenizer, ZhTokenizer, fold};
use crate::facets::{FacetCollector, FacetCounts};
use crate::index::{SearchError, SearchIndex};
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
    /// An org's exact name (set when the whole query is one).
    pub org_name: Option<String>,
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
    /// HTML, escaped, with `<b>` around matches; written by [`SearchResults::with_snippets`].
    pub snippet: String,
    pub url: String,
    /// The opening of the text, from the index.
    #[serde(skip)]
    lead: String,
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
    /// Matches: exact up to [`EXACT_UP_TO`], estimated beyond (then `total_is_estimate`).
    pub total: u64,
    /// True when `total` (and the facet counts) are estimates.
    pub total_is_estimate: bool,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// A note for the reader (the query was shortened, had nothing to search for …).
    pub note: Option<String>,
    /// What [`SearchResults::with_snippets`] highlights.
    #[serde(skip)]
    highlight: Option<std::sync::Arc<Highlight>>,
}

/// Matches are counted (and ranked) exactly up to this many; beyond it the scan stops, the
/// total and facets are estimated from the part scanned, and documents with every part in
/// the title are still looked for everywhere.
pub const EXACT_UP_TO: usize = 10_000;

/// What a run of a query found.
struct Found {
    addresses: Vec<DocAddress>,
    total: usize,
    estimated: bool,
    facets: FacetCounts,
}

/// A scored match, ordered by score, then earlier documents first.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ranked {
    score: Score,
    addr: DocAddress,
}

impl Eq for Ranked {}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.score.total_cmp(&other.score).then_with(|| other.addr.cmp(&self.addr))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// What a scan found: the best `k` (best first), the count, whether it stopped early (then
/// the count and facets are scaled estimates), and the facets.
struct Scanned {
    top: Vec<Ranked>,
    total: usize,
    estimated: bool,
    facets: FacetCounts,
}

/// Indexes at least this large are scanned by two threads (see
/// [`SearchIndex::with_parallel_from`]); a look-up of a document number is not.
pub const PARALLEL_FROM: u64 = 200_000;

/// One worker's part of a scan: the documents from `from` to `to` in the index's order
/// (segment by segment), where it has got to, and what it found.
struct Cursor {
    from: u64,
    to: u64,
    /// Segment and document it is at (the next to look at when `step` is set).
    seg: usize,
    scorer: Option<Box<dyn tantivy::query::Scorer>>,
    facets: Option<crate::facets::FacetSegment>,
    step: bool,
    fruits: Vec<FacetCounts>,
    heap: BinaryHeap<Reverse<Ranked>>,
    counted: usize,
    /// Documents of the range looked at.
    scanned: u64,
    done: bool,
}

impl Cursor {
    fn new(from: u64, to: u64, starts: &[u64]) -> Self {
        let seg = starts.iter().rposition(|s| *s <= from).unwrap_or(0);
        Cursor {
            from,
            to,
            seg,
            scorer: None,
            facets: None,
            step: false,
            fruits: Vec::new(),
            heap: BinaryHeap::new(),
            counted: 0,
            scanned: 0,
            done: from >= to,
        }
    }

    /// Scores matches, keeping the best `k`, until `budget` matches have been counted or
    /// the range ends.
    fn run(
        &mut self,
        weight: &dyn tantivy::query::Weight,
        segments: &[tantivy::SegmentReader],
        starts: &[u64],
        k: usize,
        budget: usize,
    ) -> Result<(), SearchError> {
        while !self.done && self.counted < budget {
            let Some(reader) = segments.get(self.seg) else {
                self.done = true;
                break;
            };
            let start = starts[self.seg];
            if start >= self.to {
                self.done = true;
                break;
            }
            let first = self.from.saturating_sub(start) as u32;
            let end = (self.to - start).min(u64::from(reader.max_doc())) as u32;
            if self.scorer.is_none() {
                let mut scorer = weight.scorer(reader, 1.0)?;
                if first > 0 && scorer.doc() < first {
                    scorer.seek(first);
                }
                self.scorer = Some(scorer);
                self.facets = Some(FacetCollector.for_segment(self.seg as u32, reader)?);
                self.step = false;
            }
            let (Some(scorer), Some(facets)) = (self.scorer.as_mut(), self.facets.as_mut()) else { break };
            let alive = reader.alive_bitset();
            let mut doc = if self.step { scorer.advance() } else { scorer.doc() };
            self.step = false;
            while doc != TERMINATED && doc < end {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    self.counted += 1;
                    let score = if k > 0 { scorer.score() } else { 0.0 };
                    facets.collect(doc, score);
                    let r = Ranked { score, addr: DocAddress::new(self.seg as u32, doc) };
                    if self.heap.len() < k {
                        self.heap.push(Reverse(r));
                    } else if self.heap.peek().is_some_and(|Reverse(min)| r > *min) {
                        self.heap.pop();
                        self.heap.push(Reverse(r));
                    }
                    if self.counted >= budget {
                        // Stopped inside the segment: looked at everything up to this one.
                        self.scanned = start + u64::from(doc) + 1 - self.from;
                        self.step = true;
                        return Ok(());
                    }
                }
                doc = scorer.advance();
            }
            if let Some(f) = self.facets.take() {
                self.fruits.push(f.harvest());
            }
            self.scorer = None;
            self.scanned = start + u64::from(end) - self.from;
            self.seg += 1;
        }
        Ok(())
    }

    /// The facets counted so far, the segment in progress included.
    fn harvest(&mut self) -> Vec<FacetCounts> {
        if let Some(f) = self.facets.take() {
            self.fruits.push(f.harvest());
        }
        std::mem::take(&mut self.fruits)
    }
}

/// Scores matches, keeping the best `k`, until `cap` matches have been seen. A large index
/// is split into two halves scanned by two threads, each up to half the cap; a half that
/// stopped then goes on, one after the other, with what the cap has left. What is counted
/// depends only on the index, never on which thread was faster: the same query gives the
/// same page every time, and a total of up to `cap` is exact.
///
/// With `k` 0 nothing is ranked: the query is run without scores (a phrase is then only
/// checked to be there, not counted, and clauses that only rank are left out), for the count
/// and the facets alone.
fn scan(
    searcher: &Searcher,
    query: &dyn Query,
    k: usize,
    cap: usize,
    parallel_from: u64,
) -> Result<Scanned, SearchError> {
    let scoring = if k > 0 {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    let weight = query.weight(scoring)?;
    let segments = searcher.segment_readers();
    let mut starts = Vec::with_capacity(segments.len());
    let mut all_docs = 0u64;
    for s in segments {
        starts.push(all_docs);
        all_docs += u64::from(s.max_doc());
    }
    let two = all_docs >= parallel_from;
    let mut cursors = if two {
        let mid = all_docs / 2;
        vec![Cursor::new(0, mid, &starts), Cursor::new(mid, all_docs, &starts)]
    } else {
        vec![Cursor::new(0, all_docs, &starts)]
    };
    let share = cap.div_ceil(cursors.len());
    if let [a, b] = cursors.as_mut_slice() {
        let (weight, starts) = (&*weight, &starts[..]);
        std::thread::scope(|scope| {
            let other = scope.spawn(move || b.run(weight, segments, starts, k, share));
            let here = a.run(weight, segments, starts, k, share);
            other.join().map_err(|_| SearchError::Query("搜索线程异常退出".into())).and_then(|r| r).and(here)
        })?;
    } else {
        cursors[0].run(&*weight, segments, &starts, k, share)?;
    }
    for i in 0..cursors.len() {
        let counted: usize = cursors.iter().map(|c| c.counted).sum();
        if counted < cap && !cursors[i].done {
            let budget = cursors[i].counted + (cap - counted);
            cursors[i].run(&*weight, segments, &starts, k, budget)?;
        }
    }
    let counted: usize = cursors.iter().map(|c| c.counted).sum();
    let scanned: u64 = cursors.iter().map(|c| c.scanned).sum();
    let stopped = cursors.iter().any(|c| !c.done);
    let mut facets = FacetCollector.merge_fruits(cursors.iter_mut().flat_map(Cursor::harvest).collect())?;
    let estimated = stopped && scanned < all_docs;
    let total = if estimated {
        let factor = all_docs as f64 / scanned.max(1) as f64;
        for map in facets.strings.iter_mut() {
            for n in map.values_mut() {
                *n = (*n as f64 * factor).round() as u64;
            }
        }
        for n in facets.years.values_mut() {
            *n = (*n as f64 * factor).round() as u64;
        }
        (counted as f64 * factor).round() as usize
    } else {
        counted
    };
    let mut top: Vec<Ranked> = cursors.into_iter().flat_map(|c| c.heap.into_iter().map(|Reverse(r)| r)).collect();
    top.sort_by(|a, b| b.cmp(a));
    top.truncate(k);
    Ok(Scanned { top, total, estimated, facets })
}

/// The snippet for a hit when the query's parts appear in the body as written (folded):
/// 160 characters around the first one, every part highlighted. `None` when they do not
/// (matches across punctuation): then the snippet generator of the bigram field is used.
fn quick_snippet(body: &str, parts: &[Vec<char>]) -> Option<String> {
    // Most bodies show a part early: the first thousand characters are folded and searched
    // first, the whole body only when the snippet could reach beyond them.
    const HEAD: usize = 1000;
    let longest = parts.iter().map(Vec::len).max().unwrap_or(0);
    if let Some((cut, _)) = body.char_indices().nth(HEAD)
        && let Some((html, end)) = snippet_in(&body[..cut], parts)
        && end + longest <= HEAD
    {
        return Some(html);
    }
    snippet_in(body, parts).map(|(html, _)| html)
}

/// The quick snippet of a text and where its window ends (in characters).
fn snippet_in(body: &str, parts: &[Vec<char>]) -> Option<(String, usize)> {
    if parts.is_empty() {
        return None;
    }
    let original: Vec<char> = body.chars().collect();
    let folded: Vec<char> = fold(body).chars().collect();
    if folded.len() != original.len() {
        return None;
    }
    let find_from = |part: &[char], from: usize| -> Option<usize> {
        (from..folded.len().saturating_sub(part.len() - 1)).find(|&i| folded[i..i + part.len()] == *part)
    };
    let first = parts.iter().filter_map(|p| find_from(p, 0)).min()?;
    let start = first.saturating_sub(40);
    let end = (start + 160).min(original.len());
    let mut marks = vec![false; end - start];
    for p in parts {
        let mut at = start;
        while let Some(i) = find_from(p, at) {
            if i + p.len() > end {
                break;
            }
            for m in &mut marks[i - start..i + p.len() - start] {
                *m = true;
            }
            at = i + 1;
        }
    }
    let mut html = String::new();
    let mut open = false;
    for (k, c) in original[start..end].iter().enumerate() {
        if marks[k] != open {
            html.push_str(if marks[k] { "<b>" } else { "</b>" });
            open = marks[k];
        }
        let c = if c.is_control() { ' ' } else { *c };
        gongkai_core::html::push_escaped(&mut html, c.encode_utf8(&mut [0; 4]));
    }
    if open {
        html.push_str("</b>");
    }
    Some((html.split_whitespace().collect::<Vec<_>>().join(" "), end))
}

/// The longest query taken (longer ones are cut, with a note).
const MAX_QUERY_CHARS: usize = 200;
/// The most parts (words and quoted phrases) a query is searched by; the rest are left out,
/// with a note. Each part adds clauses, so this bounds what a query may build.
pub const MAX_QUERY_PARTS: usize = 12;
/// The most ranking clauses nested one inside another by [`ranked_by`]; any beyond are
/// joined side by side in one clause. Nesting costs stack in tantivy's recursive scorer
/// building and dropping, so its depth must not follow the length of the input.
const MAX_NESTED_BOOSTS: usize = 16;

/// Adds a sentence to the reader's note (a cut query and an empty result are both said).
fn add_note(note: &mut Option<String>, text: impl Into<String>) {
    let text = text.into();
    *note = Some(match note.take() {
        Some(before) => format!("{before}；{text}"),
        None => text,
    });
}

fn clean_query(q: &str) -> (String, Option<String>) {
    let no_controls: String = q.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let n = no_controls.chars().count();
    let (mut q, mut note) = if n > MAX_QUERY_CHARS {
        (
            no_controls.chars().take(MAX_QUERY_CHARS).collect::<String>(),
            Some(format!("搜索词过长，只按前 {MAX_QUERY_CHARS} 个字检索")),
        )
    } else {
        (no_controls, None)
    };
    let parts = parts(&q);
    if parts.len() > MAX_QUERY_PARTS {
        q = parts[..MAX_QUERY_PARTS]
            .iter()
            .map(|p| if p.contains(char::is_whitespace) { format!("\"{p}\"") } else { p.clone() })
            .collect::<Vec<_>>()
            .join(" ");
        note = Some(format!("搜索词过多，只按前 {MAX_QUERY_PARTS} 个词检索"));
    }
    (q, note)
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

/// The bigrams that cover a text: every other one, and the last — 政务公开 is 政务 at 0 and
/// 公开 at 2, which together pin down every character, with half the terms to intersect.
fn covering_bigrams(text: &str) -> Vec<(usize, String)> {
    let all = BigramTokenizer::tokens(text);
    let last = all.len().saturating_sub(1);
    all.into_iter().filter(|t| t.position % 2 == 0 || t.position == last).map(|t| (t.position, t.text)).collect()
}

fn bigram_query(field: Field, text: &str) -> Option<Box<dyn Query>> {
    let terms: Vec<(usize, Term)> =
        covering_bigrams(text).into_iter().map(|(p, t)| (p, Term::from_field_text(field, &t))).collect();
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(terms[0].1.clone(), IndexRecordOption::WithFreqs))),
        _ => Some(Box::new(PhraseQuery::new_with_offset(terms))),
    }
}

/// `required`, scored up by each `optional` clause a document also matches. Each optional
/// clause is asked only about the documents `required` matched: tantivy joins several
/// optional clauses into a union that walks, window by window, every document any of them
/// matches — over a million documents far more than the few thousand a filtered query
/// looks at. Nested one by one, each is a single optional clause, looked up per match.
/// Past [`MAX_NESTED_BOOSTS`] the remaining clauses form one union, nested once.
fn ranked_by(required: Box<dyn Query>, mut optional: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if optional.len() > MAX_NESTED_BOOSTS {
        let rest: Vec<(Occur, Box<dyn Query>)> =
            optional.split_off(MAX_NESTED_BOOSTS - 1).into_iter().map(|q| (Occur::Should, q)).collect();
        optional.push(Box::new(BooleanQuery::new(rest)));
    }
    optional.into_iter().fold(required, |q, o| Box::new(BooleanQuery::new(vec![(Occur::Must, q), (Occur::Should, o)])))
}

/// A filter: it narrows and adds nothing to the score (every result has it), so no score
/// is computed for it.
fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
}

/// A request made into a query.
struct Built {
    query: Box<dyn Query>,
    /// Whether it has text to match (not only filters).
    has_text: bool,
    /// Strict queries: the query with the condition "every part is in the title" added, for
    /// finding the title matches a capped scan may not reach. It scores every document as
    /// `query` does (the condition adds nothing to the score), so the two scans' results
    /// merge.
    titled: Option<Box<dyn Query>>,
    /// Whether it is the look-up of a document or index number some document has.
    lookup: bool,
}

impl SearchIndex {
    /// The query for a request. Strict: every part must appear as written. Relaxed (when the
    /// strict one finds nothing): any of the parts' bigrams may appear, and the documents
    /// sharing the most of them — in the title above all — come first.
    fn build(&self, req: &SearchRequest, q: &str, relaxed: bool) -> Result<Built, SearchError> {
        let mut in_titles: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let f = &self.f;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut has_text = false;
        // An exact document or index number.
        let trimmed = q.trim();
        let exact_term = if let Ok(no) = DocNo::parse(trimmed) {
            Some(Term::from_field_text(f.doc_no, &no.to_string()))
        } else if index_no::looks_like(trimmed) {
            Some(Term::from_field_text(f.index_no, trimmed))
        } else {
            None
        };
        // A document or index number that some document has is a look-up: that document,
        // without matching its characters as text.
        let known = match &exact_term {
            Some(t) => self.reader.searcher().doc_freq(t)? > 0,
            None => false,
        };
        let exact: Option<Box<dyn Query>> = exact_term.map(|t| {
            Box::new(BoostQuery::new(Box::new(TermQuery::new(t, IndexRecordOption::Basic)), 1000.0)) as Box<dyn Query>
        });
        // What the text must match, and what ranks a match higher.
        let mut required: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut boosts: Vec<Box<dyn Query>> = Vec::new();
        let mut parts = parts(q);
        // A single character is not a word a bigram index can look up; next to longer parts
        // (第一条 typed as 条 + text) it is left out rather than failing the whole query.
        let chars = |p: &String| p.chars().filter(|c| c.is_alphanumeric()).count();
        if parts.iter().any(|p| chars(p) >= 2) {
            parts.retain(|p| chars(p) >= 2);
        }
        for part in &parts {
            if relaxed {
                // Each bigram, in the title (weighing most) or the body; at least half of
                // them must be there.
                let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for t in BigramTokenizer::tokens(part) {
                    let q = |field| TermQuery::new(Term::from_field_text(field, &t.text), IndexRecordOption::WithFreqs);
                    any.push((
                        Occur::Should,
                        Box::new(BooleanQuery::new(vec![
                            (Occur::Should, Box::new(BoostQuery::new(Box::new(q(f.title_bi)), 4.0))),
                            (Occur::Should, Box::new(q(f.body_bi))),
                        ])),
                    ));
                }
                if !any.is_empty() {
                    has_text = true;
                    let need = any.len().div_ceil(2);
                    required.push((Occur::Must, Box::new(BooleanQuery::with_minimum_required_clauses(any, need))));
                }
                continue;
            }
            let (Some(in_title), Some(in_body)) = (bigram_query(f.title_bi, part), bigram_query(f.body_bi, part))
            else {
                continue;
            };
            has_text = true;
            // The part must appear (the bigram field holds title, number and body); in the
            // title it weighs more.
            required.push((Occur::Must, in_body));
            in_titles.push((Occur::Must, in_title.box_clone()));
            boosts.push(Box::new(BoostQuery::new(in_title, 5.0)));
            // Words rank: in the title more than in the summary. In the body the part itself
            // ranks, by how often it occurs (the required phrase above scores that).
            for t in ZhTokenizer::tokens(part) {
                boosts.push(Box::new(BoostQuery::new(term(f.title, &t.text), 2.0)));
                boosts.push(Box::new(BoostQuery::new(term(f.summary, &t.text), 1.5)));
            }
        }
        if has_text {
            // The title typed as it is (or nearly: without 中华人民共和国, brackets or
            // punctuation) puts that document first.
            let key = crate::analysis::title_key(q);
            if key.chars().count() >= 2 {
                boosts.push(Box::new(BoostQuery::new(term(f.title_key, &key), 40.0)));
            }
            // Parts close together, in order, rank above parts scattered through a text: for
            // each pair of neighbouring parts, the end of one within 24 positions before the
            // start of the next (two terms per pair keep this cheap).
            if !relaxed && parts.len() > 1 {
                for pair in parts.windows(2) {
                    let (Some((_, end)), Some((_, start))) =
                        (covering_bigrams(&pair[0]).pop(), covering_bigrams(&pair[1]).into_iter().next())
                    else {
                        continue;
                    };
                    let mut near = PhraseQuery::new_with_offset(vec![
                        (0, Term::from_field_text(f.body_bi, &end)),
                        (1, Term::from_field_text(f.body_bi, &start)),
                    ]);
                    near.set_slop(24);
                    boosts.push(Box::new(BoostQuery::new(Box::new(near), 2.0)));
                }
            }
        }
        let text_query: Option<Box<dyn Query>> =
            (has_text && !known).then(|| ranked_by(Box::new(BooleanQuery::new(required)), boosts));
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
            (f.org_name, &req.org_name),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                clauses.push((Occur::Must, filter(term(field, v))));
            }
        }
        if let Some(y) = req.year {
            clauses.push((
                Occur::Must,
                filter(Box::new(TermQuery::new(Term::from_field_u64(f.year, y), IndexRecordOption::Basic))),
            ));
        }
        // Valid documents above repealed and expired ones, unless the reader asked for those.
        if req.validity.is_none() {
            clauses.push((Occur::Should, Box::new(BoostQuery::new(term(f.validity, "valid"), 3.0))));
        }
        // The title condition joins the clauses rather than wrapping the query: beside the
        // filters, tantivy checks the cheapest condition first — here the short titles, and
        // the bodies' phrase only for documents whose titles have every part.
        let titled: Option<Box<dyn Query>> = (!in_titles.is_empty()).then(|| {
            let mut with_title: Vec<(Occur, Box<dyn Query>)> =
                clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect();
            with_title.push((Occur::Must, filter(Box::new(BooleanQuery::new(in_titles)))));
            Box::new(BooleanQuery::new(with_title)) as Box<dyn Query>
        });
        Ok(Built {
            query: Box::new(BooleanQuery::new(clauses)),
            has_text: has_text || !matches!(q.trim(), ""),
            titled,
            lookup: known,
        })
    }

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
        let searcher = self.reader.searcher();
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
            if searcher.doc_freq(&t)? > 0 {
                req.org_name = Some(name.clone());
                q = String::new();
                add_note(&mut note, format!("已按发布机构“{name}”筛选"));
            }
        }
        let req = &req;
        let Built { query, titled, lookup, .. } = self.build(req, &q, false)?;
        // A look-up finds a document or two: a second thread would cost more than it saves.
        let parallel_from = if lookup { u64::MAX } else { self.parallel_from };
        let per_page = req.per_page.clamp(1, 100);
        let offset = (req.page.max(1) - 1) * per_page;
        let words = !q.trim().is_empty();
        let sort_by_date = req.sort == Sort::Date || !words;
        let run = |query: &dyn Query, titled: Option<&dyn Query>| -> Result<Found, SearchError> {
            if sort_by_date && words {
                // Words, newest first: counted (and faceted) as a relevance search counts
                // them, exactly up to the cap, and the page taken from the newest matches.
                let k = offset + per_page;
                let counted = scan(&searcher, query, 0, self.exact_up_to, parallel_from)?;
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
                let (docs, total, facets) = searcher.search(query, &(top, Count, FacetCollector))?;
                return Ok(Found {
                    addresses: docs.into_iter().map(|(_, a)| a).collect(),
                    total,
                    estimated: false,
                    facets,
                });
            }
            let k = offset + per_page;
            let mut found = scan(&searcher, query, k, self.exact_up_to, parallel_from)?;
            // A capped scan ranks the matches it reached; documents with every part in
            // the title are looked for everywhere, so the best of them are not missed.
            if found.estimated
                && let Some(titled) = titled
            {
                let extra = scan(&searcher, titled, k, self.exact_up_to, parallel_from)?;
                found.top.extend(extra.top);
                found.top.sort_by(|a, b| b.cmp(a));
                found.top.dedup_by(|a, b| a.addr == b.addr);
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
            }
        }
        // Snippets come from the bigram field: its tokens advance in order, so fragments and
        // highlights line up (jieba's search-mode tokens overlap, which the snippet code does
        // not expect), and what is highlighted is exactly the text that matched. A query
        // with nothing to highlight (a 发文字号 look-up) makes none: it would read through
        // each body to highlight nothing, which cost more than the look-up itself.
        let mut highlights = false;
        query.query_terms(&mut |t, _| highlights |= t.field() == self.f.body_bi);
        let snippets = highlights
            .then(|| SnippetGenerator::create(&searcher, &*query, self.f.body_bi).ok())
            .flatten()
            .map(|mut g| {
                g.set_max_num_chars(160);
                g
            });
        let snippet_parts: Vec<Vec<char>> = parts(&q)
            .iter()
            .map(|p| fold(p).chars().filter(|c| c.is_alphanumeric()).collect::<Vec<char>>())
            .filter(|p| p.len() >= 2)
            .collect();
        let mut hits = Vec::with_capacity(addresses.len());
        for addr in addresses {
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
            });
        }
        let [org, topic, genre, validity, kind] = &counts.strings;
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
        };
        if total == 0 && words {
            add_note(&mut note, "没有找到相关信息，请换个说法或减少关键词");
        }
        let highlight = Some(std::sync::Arc::new(Highlight { generator: snippets, parts: snippet_parts }));
        Ok(SearchResults { total: total as u64, total_is_estimate: estimated, hits, facets, note, highlight })
    }
}

/// What a search highlights in the texts of its hits: the parts of the query as written and,
/// for matches across punctuation, tantivy's snippet generator on the bigram field.
pub(crate) struct Highlight {
    generator: Option<SnippetGenerator>,
    parts: Vec<Vec<char>>,
}

impl std::fmt::Debug for Highlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlight").field("parts", &self.parts).finish_non_exhaustive()
    }
}

impl Highlight {
    /// True when nothing is highlighted (a look-up by number, a list by filters alone): every
    /// snippet is then the text's opening.
    fn marks_nothing(&self) -> bool {
        self.parts.is_empty() && self.generator.is_none()
    }

    /// The snippet of one text: 160 characters around the first match, matches in `<b>`, or
    /// the text's opening when nothing in it is highlighted.
    fn snippet(&self, text: &str) -> String {
        let lead = || gongkai_core::html::escape(&crate::index::lead(text));
        match quick_snippet(text, &self.parts) {
            Some(html) => html,
            None => match &self.generator {
                Some(g) => {
                    let html = g.snippet(text).to_html();
                    if html.trim().is_empty() { lead() } else { html }
                }
                None => lead(),
            },
        }
    }
}

impl SearchResults {
    /// Writes each hit's snippet from its text in the store (the index keeps no bodies: they
    /// would double its size). A hit the store no longer shows the public — withdrawn since
    /// the index last caught up — keeps an empty snippet. When nothing is highlighted the
    /// snippets are the texts' openings, which the index keeps: the store is not asked.
    pub async fn with_snippets(mut self, store: &gongkai_store::Store) -> Result<Self, SearchError> {
        let Some(highlight) = self.highlight.take() else { return Ok(self) };
        if highlight.marks_nothing() {
            for hit in &mut self.hits {
                hit.snippet = gongkai_core::html::escape(&hit.lead);
            }
            return Ok(self);
        }
        let ids: Vec<i64> = self.hits.iter().map(|h| h.id as i64).collect();
        let texts: std::collections::HashMap<i64, String> = store
            .public_texts_by_ids(&ids)
            .await?
            .into_iter()
            .map(|t| (t.id, crate::index::searchable_text(&t.summary, &t.body, &t.attachments.join("\n"))))
            .collect();
        for hit in &mut self.hits {
            if let Some(text) = texts.get(&(hit.id as i64)) {
                hit.snippet = highlight.snippet(text);
            }
        }
        Ok(self)
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
    fn quick_snippets_highlight_the_parts_in_the_original_text() {
        let parts = vec!["政务公开".chars().collect::<Vec<char>>()];
        let html = quick_snippet("推進政務公開工作，<b>重點</b>", &parts).expect("snippet");
        assert_eq!(html, "推進<b>政務公開</b>工作，&lt;b&gt;重點&lt;/b&gt;");
        assert_eq!(quick_snippet("政务，公开", &parts), None, "across punctuation: the generator's job");
    }

    #[test]
    fn a_long_body_gives_the_snippet_the_whole_body_gives() {
        let parts = vec!["政务公开".chars().collect::<Vec<char>>()];
        for at in [10, 900, 990, 1500] {
            let body = format!("{}推进政务公开工作{}", "文".repeat(at), "字".repeat(2000));
            assert_eq!(quick_snippet(&body, &parts), snippet_in(&body, &parts).map(|(h, _)| h), "at {at}");
            assert!(quick_snippet(&body, &parts).is_some_and(|h| h.contains("<b>政务公开</b>")), "at {at}");
        }
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
