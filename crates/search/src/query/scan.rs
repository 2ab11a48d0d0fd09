//! The scan: every match visited once, the best kept by a heap, the facets counted, two
//! threads on a large index, an estimate beyond [`crate::EXACT_UP_TO`].

use super::*;

/// What a run of a query found.
pub(super) struct Found {
    pub(super) addresses: Vec<DocAddress>,
    pub(super) total: usize,
    pub(super) estimated: bool,
    pub(super) facets: FacetCounts,
}

/// A scored match, ordered by score, then earlier documents first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Ranked {
    pub(super) score: Score,
    pub(super) addr: DocAddress,
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
/// the count and facets are scaled estimates), the facets, and the ranges of documents (in
/// the index's order) it did not reach.
pub(super) struct Scanned {
    pub(super) top: Vec<Ranked>,
    pub(super) total: usize,
    pub(super) estimated: bool,
    pub(super) facets: FacetCounts,
    pub(super) unreached: Vec<(u64, u64)>,
}

/// Where a scan looks, and what it counts.
#[derive(Clone, Copy)]
pub(super) enum Over<'a> {
    /// The whole index, counting facets: split in two halves from `parallel_from` documents.
    Index { parallel_from: u64 },
    /// Only these ranges (those a capped scan did not reach), for the best matches alone:
    /// no facets are counted, and its count is not the query's.
    Ranges(&'a [(u64, u64)]),
}

/// One worker's part of a scan: the documents from `from` to `to` in the index's order
/// (segment by segment), where it has got to, and what it found.
pub(super) struct Cursor {
    pub(super) from: u64,
    pub(super) to: u64,
    /// Segment and document it is at (the next to look at when `step` is set).
    pub(super) seg: usize,
    pub(super) scorer: Option<Box<dyn tantivy::query::Scorer>>,
    /// Whether facets are counted.
    pub(super) faceted: bool,
    pub(super) facets: Option<crate::facets::FacetSegment>,
    pub(super) step: bool,
    pub(super) fruits: Vec<FacetCounts>,
    pub(super) heap: BinaryHeap<Reverse<Ranked>>,
    pub(super) counted: usize,
    /// Documents of the range looked at.
    pub(super) scanned: u64,
    pub(super) done: bool,
}

impl Cursor {
    pub(super) fn new(from: u64, to: u64, starts: &[u64], faceted: bool) -> Self {
        let seg = starts.iter().rposition(|s| *s <= from).unwrap_or(0);
        Cursor {
            from,
            to,
            seg,
            scorer: None,
            faceted,
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
    pub(super) fn run(
        &mut self,
        weight: &dyn tantivy::query::Weight,
        facet_collector: &FacetCollector<'_>,
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
                if self.faceted {
                    self.facets = Some(facet_collector.for_segment(self.seg as u32, reader)?);
                }
                self.step = false;
            }
            let Some(scorer) = self.scorer.as_mut() else { break };
            let mut facets = self.facets.as_mut();
            let alive = reader.alive_bitset();
            let mut doc = if self.step { scorer.advance() } else { scorer.doc() };
            self.step = false;
            while doc != TERMINATED && doc < end {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    self.counted += 1;
                    let score = if k > 0 { scorer.score() } else { 0.0 };
                    if let Some(f) = facets.as_mut() {
                        f.collect(doc, score);
                    }
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
    pub(super) fn harvest(&mut self) -> Vec<FacetCounts> {
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
/// same page every time, and a total of up to `cap` is exact. A search that is not alone
/// (`running`) scans the two halves one after the other on its own thread: the same halves,
/// so the same page, without taking a core another search is using.
///
/// With `k` 0 nothing is ranked: the query is run without scores (a phrase is then only
/// checked to be there, not counted, and clauses that only rank are left out), for the count
/// and the facets alone. Over [`Over::Ranges`] each range is a part, scanned as the halves
/// are, and no facets are counted.
pub(super) fn scan(
    looked: &crate::index::Statistics<'_>,
    query: &dyn Query,
    k: usize,
    cap: usize,
    over: Over<'_>,
    running: &crate::index::Running<'_>,
) -> Result<Scanned, SearchError> {
    let searcher = looked.searcher;
    let scoring = if k > 0 {
        EnableScoring::enabled_from_statistics_provider(looked, searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    let weight = query.weight(scoring)?;
    let facet_collector = looked.facet_columns.collector(searcher);
    let segments = searcher.segment_readers();
    let mut starts = Vec::with_capacity(segments.len());
    let mut all_docs = 0u64;
    for s in segments {
        starts.push(all_docs);
        all_docs += u64::from(s.max_doc());
    }
    let mut cursors = match over {
        Over::Index { parallel_from } if all_docs >= parallel_from => {
            let mid = all_docs / 2;
            vec![Cursor::new(0, mid, &starts, true), Cursor::new(mid, all_docs, &starts, true)]
        }
        Over::Index { .. } => vec![Cursor::new(0, all_docs, &starts, true)],
        Over::Ranges(ranges) => {
            ranges.iter().map(|&(from, to)| Cursor::new(from, to.min(all_docs), &starts, false)).collect()
        }
    };
    let span: u64 = cursors.iter().map(|c| c.to.saturating_sub(c.from)).sum();
    let share = cap.div_ceil(cursors.len());
    if let [a, b] = cursors.as_mut_slice()
        && running.alone()
    {
        let (weight, starts, fc) = (&*weight, &starts[..], &facet_collector);
        let (here, there) = crate::index::in_two(
            || a.run(weight, fc, segments, starts, k, share),
            || b.run(weight, fc, segments, starts, k, share),
        );
        here.and(there)?;
    } else {
        for cursor in &mut cursors {
            cursor.run(&*weight, &facet_collector, segments, &starts, k, share)?;
        }
    }
    for i in 0..cursors.len() {
        let counted: usize = cursors.iter().map(|c| c.counted).sum();
        if counted < cap && !cursors[i].done {
            let budget = cursors[i].counted + (cap - counted);
            cursors[i].run(&*weight, &facet_collector, segments, &starts, k, budget)?;
        }
    }
    let counted: usize = cursors.iter().map(|c| c.counted).sum();
    let scanned: u64 = cursors.iter().map(|c| c.scanned).sum();
    let stopped = cursors.iter().any(|c| !c.done);
    let mut facets = facet_collector.merge_fruits(cursors.iter_mut().flat_map(Cursor::harvest).collect())?;
    let estimated = stopped && scanned < span;
    let unreached: Vec<(u64, u64)> =
        cursors.iter().filter(|c| !c.done && c.from + c.scanned < c.to).map(|c| (c.from + c.scanned, c.to)).collect();
    let total = if estimated {
        let factor = span as f64 / scanned.max(1) as f64;
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
    Ok(Scanned { top, total, estimated, facets, unreached })
}
