//! What to offer a reader whose query found nothing as typed: the words of a title close to
//! it (a character wrong or missing, words in another order — 防汛条列 → 防汛条例), or the
//! query without the words no document has.

use super::*;

/// Queries longer than this (in letters) are not corrected: a reader who typed a sentence
/// is shown the nearest documents, not a rewritten sentence.
const LONGEST_CORRECTED: usize = 40;

/// The length of the longest common subsequence of `a` and `b`.
fn common(a: &[char], b: &[char]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for &x in a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y { diagonal + 1 } else { above.max(row[j]) };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The stretch of one of `titles` closest to `query`: whole words of the title (as jieba
/// cuts it), one letter shorter than the query to one longer, sharing the most letters with
/// it in order — at least two thirds of the query's and all but two — and not the query
/// itself. The earlier title (the better ranked) wins a tie.
pub(super) fn closest_in_titles<'a>(query: &str, titles: impl Iterator<Item = &'a str>) -> Option<String> {
    let q: Vec<char> = letters(query).chars().collect();
    let n = q.len();
    if !(2..=LONGEST_CORRECTED).contains(&n) {
        return None;
    }
    let mut best: Option<(usize, Vec<char>)> = None;
    for title in titles {
        let text = letters(title);
        let t: Vec<char> = text.chars().collect();
        // Where the title's words start, in letters, and its end.
        let mut bounds = vec![0];
        for w in crate::analysis::JIEBA.cut(&text, false) {
            bounds.push(bounds.last().copied().unwrap_or(0) + w.word.chars().count());
        }
        for (i, &from) in bounds.iter().enumerate() {
            for &to in &bounds[i + 1..] {
                let len = to - from;
                if len + 1 < n || len > n + 1 {
                    continue;
                }
                let window = &t[from..to];
                let shared = common(&q, window);
                if shared * 3 < n * 2 || shared + 2 < n || window == q.as_slice() {
                    continue;
                }
                // More shared letters first; then the length nearest the query's.
                let better = match &best {
                    None => true,
                    Some((s, w)) => shared > *s || (shared == *s && len.abs_diff(n) < w.len().abs_diff(n)),
                };
                if better {
                    best = Some((shared, window.to_vec()));
                }
            }
        }
    }
    best.map(|(_, w)| w.into_iter().collect())
}

impl SearchIndex {
    /// The query without its parts that no document has (in any form), when some part does
    /// and what is left finds something with the request's filters. `None` otherwise.
    pub(super) fn without_missing_parts(
        &self,
        searcher: &Searcher,
        req: &SearchRequest,
        q: &str,
    ) -> Result<Option<String>, SearchError> {
        let all = parts(q);
        let mut kept = Vec::new();
        for part in &all {
            if letters(part).chars().count() < 2 || self.matches_at_most(searcher, req, part)? > 0 {
                kept.push(part.clone());
            }
        }
        if kept.is_empty() || kept.len() == all.len() {
            return Ok(None);
        }
        let rest = kept
            .iter()
            .map(|p| if p.contains(char::is_whitespace) { format!("\"{p}\"") } else { p.clone() })
            .collect::<Vec<_>>()
            .join(" ");
        let Built { query, has_text, .. } = self.build(req, &rest, false)?;
        Ok((has_text && searcher.search(&*query, &tantivy::collector::Count)? > 0).then_some(rest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_query_is_corrected_from_the_titles_found() {
        let titles = ["中华人民共和国防汛条例", "蓄滞洪区运用补偿暂行办法"];
        assert_eq!(closest_in_titles("防汛条列", titles.into_iter()).as_deref(), Some("防汛条例"));
        assert_eq!(
            closest_in_titles("法环境保护", ["中华人民共和国环境保护法"].into_iter()).as_deref(),
            Some("环境保护法")
        );
        assert_eq!(closest_in_titles("防汛条", titles.into_iter()).as_deref(), Some("防汛条例"), "a character missing");
        // Too far from every title, the query itself, or too short: nothing.
        assert_eq!(closest_in_titles("税收征管", titles.into_iter()), None);
        assert_eq!(closest_in_titles("防汛条例", titles.into_iter()), None);
        assert_eq!(closest_in_titles("汛", titles.into_iter()), None);
        assert_eq!(closest_in_titles(&"防汛".repeat(30), titles.into_iter()), None);
    }

    #[test]
    fn common_letters_are_counted_in_order() {
        let c = |a: &str, b: &str| common(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>());
        assert_eq!(c("防汛条列", "防汛条例"), 3);
        assert_eq!(c("法环境保护", "环境保护法"), 4);
        assert_eq!(c("", "abc"), 0);
    }
}
