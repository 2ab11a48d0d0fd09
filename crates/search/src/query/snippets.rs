//! Snippets: the parts of the query marked in the text of each hit, from the store.

use super::*;

/// The snippet for a hit when the query's parts appear in the body as written (folded):
/// 160 characters around the first one, every part highlighted. `None` when they do not
/// (matches across punctuation): then the snippet generator of the bigram field is used.
pub(super) fn quick_snippet(body: &str, parts: &[Vec<char>]) -> Option<String> {
    // Most bodies show a part early: the first thousand characters are folded and searched
    // first, the whole body only when the snippet could reach beyond them.
    pub(super) const HEAD: usize = 1000;
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
pub(super) fn snippet_in(body: &str, parts: &[Vec<char>]) -> Option<(String, usize)> {
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

/// What a search highlights in the texts of its hits: the parts of the query as written and,
/// for matches across punctuation, tantivy's snippet generator on the bigram field.
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

    /// The snippet of one text: 160 characters around the first match, matches in `<b>`, or
    /// the text's opening when nothing in it is highlighted.
    pub(super) fn snippet(&self, text: &str) -> String {
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
