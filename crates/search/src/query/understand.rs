//! Understanding a query: cut to its bounds, split into words and quoted phrases, with a
//! note to the reader of what was left out.

/// The longest query taken (longer ones are cut, with a note).
pub(super) const MAX_QUERY_CHARS: usize = 200;
/// The most parts (words and quoted phrases) a query is searched by; the rest are left out,
/// with a note. Each part adds clauses, so this bounds what a query may build.
pub const MAX_QUERY_PARTS: usize = 12;
/// The most ranking clauses nested one inside another by [`super::build::ranked_by`]; any beyond are
/// joined side by side in one clause. Nesting costs stack in tantivy's recursive scorer
/// building and dropping, so its depth must not follow the length of the input.
pub(super) const MAX_NESTED_BOOSTS: usize = 16;

/// Adds a sentence to the reader's note (a cut query and an empty result are both said).
pub(super) fn add_note(note: &mut Option<String>, text: impl Into<String>) {
    let text = text.into();
    *note = Some(match note.take() {
        Some(before) => format!("{before}；{text}"),
        None => text,
    });
}

pub(super) fn clean_query(q: &str) -> (String, Option<String>) {
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
pub(super) fn parts(q: &str) -> Vec<String> {
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

/// The forms a part is searched in: as typed and, when it is traditional text whose
/// mainland words differ from its characters (政府資訊公開: 政府信息公开), in those words
/// too — a document having either matches.
pub(super) fn forms(part: &str) -> Vec<String> {
    let mut out = vec![part.to_string()];
    out.extend(crate::analysis::mainland_words(part));
    out
}
