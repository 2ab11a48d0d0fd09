//! Snippets: the parts of the query marked in the text of each hit, from the store.

use super::*;
use crate::analysis::fold_char;
use crate::index::Running;
use tantivy::postings::Postings;

/// The snippet for a hit when the query's parts appear in the text: 160 characters around
/// the first one, every part highlighted. A part matches the text's word characters in
/// order, folded, whatever punctuation or spacing lies between them (政务，公开 for 政务公开),
/// as the bigram field matched it. `None` when no part appears.
#[cfg(test)]
pub(super) fn quick_snippet(text: &str, parts: &[Vec<char>]) -> Option<String> {
    quick_snippet_after(text, parts, 0)
}

/// The quick snippet of `text` when its first `seen` characters were already looked at
/// without a window found whole in them. Most texts show a part early: the text is folded
/// and searched a stretch at a time (a thousand characters, then four times more each
/// time), and the search stops at the first stretch that holds a whole window. Each stretch
/// starts a little before the previous one ended, so a window reaching back into it is
/// whole, but nothing looked at before is folded again.
pub(super) fn quick_snippet_after(text: &str, parts: &[Vec<char>], seen: usize) -> Option<String> {
    const HEAD: usize = 1000;
    let longest = parts.iter().map(Vec::len).max().unwrap_or(0);
    // A window is 160 characters from 40 before its first match: a stretch that found none
    // whole had no match before its last 160 + `longest` characters.
    let back = 200 + longest + 8;
    let mut from = if seen > back { byte_of(text, seen - back) } else { 0 };
    let mut size = HEAD;
    loop {
        let rest = &text[from..];
        let Some((cut, _)) = rest.char_indices().nth(size) else {
            return snippet_in(rest, parts).map(|(html, _)| html);
        };
        if let Some((html, end)) = snippet_in(&rest[..cut], parts)
            && end + longest <= size
        {
            return Some(html);
        }
        from += rest[..cut].char_indices().rev().nth(back - 1).map_or(0, |(i, _)| i);
        size *= 4;
    }
}

/// The quick snippet of a text and where its window ends (in characters).
pub(super) fn snippet_in(body: &str, parts: &[Vec<char>]) -> Option<(String, usize)> {
    if parts.is_empty() {
        return None;
    }
    // Most parts start with a Chinese character, which only itself folds to: they are found
    // where that character is written in the text made simplified, without folding it all.
    let w = if parts.iter().all(|p| found_as_written(p)) {
        match crate::analysis::simplified(body) {
            std::borrow::Cow::Borrowed(_) => window_as_written(body, parts)?,
            std::borrow::Cow::Owned(simple) => {
                // Made simplified character for character, or not at all (as when folded).
                if simple.chars().count() != body.chars().count() {
                    return None;
                }
                let w = window_as_written(&simple, parts)?;
                let start = w.end - w.marks.len();
                Window { bytes: byte_of(body, start)..byte_of(body, w.end), ..w }
            }
        }
    } else {
        window_folded(body, parts)?
    };
    Some(render(body, w))
}

/// The window's characters of `body`, escaped, the marked ones in `<b>`; and where it ends.
fn render(body: &str, w: Window) -> (String, usize) {
    let mut html = String::new();
    let mut open = false;
    for (c, marked) in body[w.bytes].chars().zip(w.marks) {
        if marked != open {
            html.push_str(if marked { "<b>" } else { "</b>" });
            open = marked;
        }
        let c = if c.is_control() { ' ' } else { c };
        gongkai_core::html::push_escaped(&mut html, c.encode_utf8(&mut [0; 4]));
    }
    if open {
        html.push_str("</b>");
    }
    (html.split_whitespace().collect::<Vec<_>>().join(" "), w.end)
}

/// The byte where character `chars` of `text` starts (its length past the last).
fn byte_of(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i)
}

/// What a snippet shows of a text: its bytes, the character after them, and a mark for each
/// character shown that is part of a match.
struct Window {
    bytes: std::ops::Range<usize>,
    end: usize,
    marks: Vec<bool>,
}

/// Characters a window shows before its first match, and in all.
const BEFORE: usize = 40;
const SHOWN: usize = 160;

/// True when a part is found, in the text made simplified, where its first character is
/// written: that character is a word character no other folds to (not ASCII, which
/// full-width letters and capitals fold to), and so are the others.
fn found_as_written(part: &[char]) -> bool {
    part.first().is_some_and(|c| !c.is_ascii()) && part.iter().all(|&c| crate::analysis::is_word_char(c))
}

/// The byte after the last character of `part` matched from byte `at` of `text`, where its
/// first character is written: the others are the text's next word characters, folded,
/// whatever lies between them.
fn match_end(text: &str, at: usize, part: &[char]) -> Option<usize> {
    let mut end = at + part[0].len_utf8();
    for &want in &part[1..] {
        let (i, c) = text[end..].char_indices().find(|&(_, c)| crate::analysis::is_word_char(fold_char(c)))?;
        if fold_char(c) != want {
            return None;
        }
        end += i + c.len_utf8();
    }
    Some(end)
}

/// The window of a text made simplified, every part [`found_as_written`].
fn window_as_written(body: &str, parts: &[Vec<char>]) -> Option<Window> {
    // The earliest of the parts: each later one is looked for only before the best so far.
    let mut first: Option<usize> = None;
    for p in parts {
        let before = first.unwrap_or(body.len());
        if let Some((at, _)) = body[..before].match_indices(p[0]).find(|&(at, _)| match_end(body, at, p).is_some()) {
            first = Some(at);
        }
    }
    let first = first?;
    let from = body[..first].char_indices().rev().nth(BEFORE - 1).map_or(0, |(i, _)| i);
    let start = body[..from].chars().count();
    let to = body[from..].char_indices().nth(SHOWN).map_or(body.len(), |(i, _)| from + i);
    let mut marks = vec![false; body[from..to].chars().count()];
    for p in parts {
        for (offset, _) in body[from..to].match_indices(p[0]) {
            let at = from + offset;
            let Some(end) = match_end(body, at, p) else { continue };
            // Only within the window: a match ending beyond it is not marked, nor any after.
            if end > to {
                break;
            }
            let first = body[from..at].chars().count();
            marks[first..first + body[at..end].chars().count()].fill(true);
        }
    }
    Some(Window { bytes: from..to, end: start + marks.len(), marks })
}

/// The window of any text: its word characters folded, then searched.
fn window_folded(body: &str, parts: &[Vec<char>]) -> Option<Window> {
    let length = body.chars().count();
    // The word characters, folded, and where each stands in the text.
    let mut words: Vec<char> = Vec::with_capacity(length);
    let mut at: Vec<usize> = Vec::with_capacity(length);
    let mut count = 0;
    crate::analysis::fold_each(body, |c| {
        if crate::analysis::is_word_char(c) {
            words.push(c);
            at.push(count);
        }
        count += 1;
    });
    if count != length {
        return None;
    }
    // The first character decides most places: the rest is compared only where it matches.
    let matches = |part: &[char], k: usize| words[k] == part[0] && words[k + 1..k + part.len()] == part[1..];
    let last_start = |part: &[char]| words.len().saturating_sub(part.len() - 1);
    // The earliest of the parts: each later one is looked for only before the best so far.
    let mut first: Option<usize> = None;
    for p in parts {
        let before = first.map_or(usize::MAX, |f| at[f]);
        if let Some(k) = (0..last_start(p)).take_while(|&k| at[k] < before).find(|&k| matches(p, k)) {
            first = Some(k);
        }
    }
    let first = at[first?];
    let start = first.saturating_sub(BEFORE);
    let end = (start + SHOWN).min(length);
    let mut marks = vec![false; end - start];
    let from = at.partition_point(|&i| i < start);
    for p in parts {
        let mut k = from;
        // Only within the window: what lies beyond it is never read.
        while let Some(found) = (k..last_start(p)).take_while(|&k| at[k + p.len() - 1] < end).find(|&k| matches(p, k)) {
            for m in &mut marks[at[found] - start..=at[found + p.len() - 1] - start] {
                *m = true;
            }
            k = found + 1;
        }
    }
    Some(Window { bytes: byte_of(body, start)..byte_of(body, end), end, marks })
}

/// What a search highlights in the texts of its hits: the parts of the query and, for what
/// they cannot mark (a relaxed query's nearest matches, single characters), tantivy's
/// snippet generator on the bigram field.
pub(crate) struct Highlight {
    pub(super) generator: Option<SnippetGenerator>,
    pub(super) parts: Vec<Vec<char>>,
}

impl std::fmt::Debug for Highlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlight").field("parts", &self.parts).finish_non_exhaustive()
    }
}

impl Highlight {
    /// True when nothing is highlighted (a look-up by number, a list by filters alone): every
    /// snippet is then the text's opening.
    pub(super) fn marks_nothing(&self) -> bool {
        self.parts.is_empty() && self.generator.is_none()
    }

    /// The snippet of a hit's text in the store. Most texts show the query early: the window
    /// is looked for first in the summary and the opening of the body made plain, and the
    /// whole text (every attachment too) is made, and searched past what was already looked
    /// at, only when it is not there.
    pub(super) fn snippet_of(&self, t: &gongkai_store::PublicText) -> String {
        /// Bytes of the body's HTML made plain for the first look.
        const OPENING: usize = 6000;
        let mut seen = 0;
        if !self.parts.is_empty() && t.body.len() > OPENING {
            let cut = t.body.floor_char_boundary(OPENING);
            let head = crate::index::searchable_text(&t.summary, &t.body[..cut], "");
            // The last characters of the cut text may differ from the whole one's (an entity
            // or a line cut short): a window must end before them.
            const MARGIN: usize = 8;
            let longest = self.parts.iter().map(Vec::len).max().unwrap_or(0);
            let chars = head.chars().count();
            if let Some((html, end)) = snippet_in(&head, &self.parts)
                && end + longest + MARGIN <= chars
            {
                return html;
            }
            seen = chars.saturating_sub(MARGIN);
        }
        self.snippet_after(&crate::index::searchable_text(&t.summary, &t.body, &t.attachments.join("\n")), seen)
    }

    /// The snippet of a text whose first `seen` characters hold no whole window: 160
    /// characters around the first match, matches in `<b>`, or the text's opening when
    /// nothing in it is highlighted.
    fn snippet_after(&self, text: &str, seen: usize) -> String {
        let lead = || gongkai_core::html::escape(&crate::index::lead(text));
        match quick_snippet_after(text, &self.parts, seen) {
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

/// For each hit (its document and title), whether the index shows a part of the query in
/// its text — summary, body and attachments, where a snippet is looked for — and not in its
/// title alone. A hit whose title does not show a part as written (folded) matched in its
/// number or its text, and holds it. For the others: a part found in a text has its first
/// bigram there — in the bigram field, which holds the title, the document number and the
/// text in that order, at a position past the title's. A hit whose parts are in its title
/// alone (a search for 第150 finding …（第150号）) has no window in its text: its snippet is
/// its opening, which the index keeps, and its text is not read from the store nor walked
/// to the end to find nothing. A part with no bigram to look for counts every hit as
/// holding it.
pub(super) fn parts_in_texts(
    searcher: &Searcher,
    field: Field,
    hits: &[(DocAddress, &str)],
    parts: &[Vec<char>],
) -> Result<Vec<bool>, SearchError> {
    let written: Vec<String> = parts.iter().map(|p| p.iter().collect()).collect();
    let mut held: Vec<bool> = hits
        .iter()
        .map(|(_, title)| {
            let title = fold(title);
            !written.iter().any(|p| title.contains(p.as_str()))
        })
        .collect();
    if held.iter().all(|&h| h) {
        return Ok(held);
    }
    let mut terms = Vec::with_capacity(parts.len());
    for part in &written {
        let Some(first) = BigramTokenizer::tokens(part).into_iter().next() else {
            return Ok(vec![true; hits.len()]);
        };
        terms.push(Term::from_field_text(field, &first.text));
    }
    terms.sort();
    terms.dedup();
    // The hits to look at, each with where its title's bigrams end (the number and the text
    // come after), a segment's in the order of their documents: each term's postings are
    // read forward once.
    let mut order: Vec<(usize, u32)> = (0..hits.len())
        .filter(|&i| !held[i])
        .map(|i| (i, BigramTokenizer::tokens(hits[i].1).last().map_or(0, |t| t.position as u32 + 1)))
        .collect();
    order.sort_by_key(|&(i, _)| (hits[i].0.segment_ord, hits[i].0.doc_id));
    let mut positions = Vec::new();
    for group in order.chunk_by(|&(a, _), &(b, _)| hits[a].0.segment_ord == hits[b].0.segment_ord) {
        let inverted = searcher.segment_reader(hits[group[0].0].0.segment_ord).inverted_index(field)?;
        for term in &terms {
            let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? else {
                continue;
            };
            for &(i, title_end) in group {
                let doc = hits[i].0.doc_id;
                // Postings only go forward: past this hit's document already, it has no term.
                if held[i] || postings.doc() > doc || postings.seek(doc) != doc {
                    continue;
                }
                positions.clear();
                postings.positions(&mut positions);
                held[i] = positions.last().is_some_and(|&p| p >= title_end);
            }
        }
    }
    Ok(held)
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
        // The texts of the hits that hold a part of the query; of the others (a part in the
        // title alone) only whether the public may still see them: their snippet is their
        // opening.
        let ids: Vec<i64> = self.hits.iter().map(|h| h.id as i64).collect();
        let read: Vec<i64> = self.hits.iter().filter(|h| h.in_text).map(|h| h.id as i64).collect();
        let texts: std::collections::HashMap<i64, gongkai_store::PublicText> =
            store.public_texts_by_ids(&ids, &read).await?.into_iter().map(|t| (t.id, t)).collect();
        let write = |hits: &mut [Hit]| {
            for hit in hits {
                match texts.get(&(hit.id as i64)) {
                    Some(text) if hit.in_text => hit.snippet = highlight.snippet_of(text),
                    Some(_) => hit.snippet = gongkai_core::html::escape(&hit.lead),
                    None => {}
                }
            }
        };
        // Alone on an idle node a page's snippets are made on two cores, half each, as its
        // search is scanned (see `Running`); beside other pages each makes its own.
        let making = Running::enter(&MAKING);
        if self.hits.len() >= 4 && making.alone() && *CORES >= 2 {
            let half = self.hits.len() / 2;
            let (first, second) = self.hits.split_at_mut(half);
            crate::index::in_two(|| write(first), || write(second));
        } else {
            write(&mut self.hits);
        }
        Ok(self)
    }
}

/// Pages making their snippets now.
static MAKING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The cores this process may use (read once: the count reads the control groups' files).
static CORES: std::sync::LazyLock<usize> =
    std::sync::LazyLock::new(|| std::thread::available_parallelism().map_or(1, |n| n.get()));

#[cfg(test)]
mod tests {
    use super::*;

    /// A text of `n` characters drawn from `alphabet` (xorshift: the same texts every run).
    fn texts(seed: u64, count: usize, alphabet: &[char]) -> impl Iterator<Item = String> {
        let mut x = seed;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        (0..count).map(move |_| {
            let n = (next() % 400) as usize;
            (0..n).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect()
        })
    }

    #[test]
    fn parts_found_where_written_give_the_window_folding_gives() {
        // The parts' characters, other Chinese, punctuation and spaces between them, capitals
        // and full-width letters that fold to a part's, markup and control characters, and
        // traditional characters made simplified to a part's.
        let alphabet: Vec<char> = "政务公开条例政务公开的工作，。、 \n\u{3000}aAＡ1１<&>\u{1}務開條".chars().collect();
        let part_sets: Vec<Vec<Vec<char>>> =
            ["政务", "公开 政务", "务公开", "开条例 的工", "政a", "公1开", "政务公开条例"]
                .iter()
                .map(|s| s.split(' ').map(|p| p.chars().collect()).collect())
                .collect();
        let mut compared = 0;
        for (i, text) in texts(0x9e37_79b9_7f4a_7c15, 3000, &alphabet).enumerate() {
            let parts = &part_sets[i % part_sets.len()];
            assert!(parts.iter().all(|p| found_as_written(p)));
            let fast = snippet_in(&text, parts);
            let folded = window_folded(&text, parts).map(|w| render(&text, w));
            assert_eq!(fast, folded, "{text:?} {parts:?}");
            compared += usize::from(fast.is_some());
        }
        assert!(compared > 1000, "most texts hold a part: {compared}");
    }

    #[test]
    fn what_is_not_found_as_written_is_folded() {
        assert!(!found_as_written(&['a', '政']), "capitals and full-width letters fold to a");
        assert!(!found_as_written(&['政', '，']), "punctuation is no word character");
        assert_eq!(
            snippet_in("推進政務公開工作", &[vec!['政', '务', '公', '开']]).map(|(h, _)| h).as_deref(),
            Some("推進<b>政務公開</b>工作")
        );
        assert_eq!(snippet_in("ＡＢ政务", &[vec!['a', 'b']]).map(|(h, _)| h).as_deref(), Some("<b>ＡＢ</b>政务"));
    }
}
