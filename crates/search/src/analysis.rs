//! Chinese text analysis for the index. Text is folded before it is tokenised —
//! traditional to simplified (政務公開 → 政务公开), full-width to half-width, ASCII to lower
//! case — one character for one character, so token offsets still point into the original
//! text and snippets highlight what the reader sees. Two tokenisers share the folding:
//! jieba words (ranking) and overlapping character bigrams (recall: any substring of two or
//! more characters is a phrase of bigrams).

use jieba_rs::Jieba;
use std::sync::{Arc, LazyLock};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The shared jieba instance (its dictionary costs about 30 MB and 100 ms once).
pub static JIEBA: LazyLock<Arc<Jieba>> = LazyLock::new(|| {
    let mut j = Jieba::new();
    for word in [
        "政务公开",
        "依申请公开",
        "主动公开",
        "不予公开",
        "部分公开",
        "政府信息公开",
        "保密审查",
        "公开属性",
        "索引号",
        "发文字号",
        "行政规范性文件",
        "政策解读",
        "三安全一稳定",
    ] {
        j.add_word(word, Some(100_000), None);
    }
    Arc::new(j)
});

fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c).to_ascii_lowercase(),
        c => c.to_ascii_lowercase(),
    }
}

/// Folds text for indexing and querying; the result has as many characters as the input.
pub fn fold(text: &str) -> String {
    fast2s::convert(text).chars().map(fold_char).collect()
}

/// True for characters that carry meaning (letters, digits, CJK), not spacing or punctuation.
/// A title as a key for exact-title matching: folded, without a leading 中华人民共和国 and
/// without bracketed parts (（试行）, （2019年修订）), letters and digits only — so a reader
/// who types 防汛条例 or 中華人民共和國防汛條例 matches 中华人民共和国防汛条例.
pub fn title_key(title: &str) -> String {
    let folded = fold(title);
    let t = folded.trim();
    let t = t.strip_prefix("中华人民共和国").unwrap_or(t);
    let mut out = String::new();
    let mut depth = 0usize;
    for c in t.chars() {
        match c {
            '（' | '(' | '〔' | '[' | '【' => depth += 1,
            '）' | ')' | '〕' | ']' | '】' => depth = depth.saturating_sub(1),
            c if depth == 0 && is_word_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Folded characters with the byte offsets of their originals.
fn folded_with_offsets(text: &str) -> (Vec<char>, Vec<usize>) {
    let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    offsets.push(text.len());
    let chars: Vec<char> = fold(text).chars().collect();
    (chars, offsets)
}

/// A token stream over precomputed tokens.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.index < self.tokens.len() {
            self.index += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

/// jieba words over folded text.
#[derive(Clone, Default)]
pub struct ZhTokenizer;

impl ZhTokenizer {
    /// The tokens of a text.
    pub fn tokens(text: &str) -> Vec<Token> {
        let (chars, offsets) = folded_with_offsets(text);
        let folded: String = chars.iter().collect();
        let mut out = Vec::new();
        for t in JIEBA.cut_for_search(&folded, true) {
            if !t.word.chars().any(is_word_char) {
                continue;
            }
            let end = t.end.min(offsets.len() - 1);
            out.push(Token {
                offset_from: offsets[t.start.min(end)],
                offset_to: offsets[end],
                position: 0,
                text: t.word.to_string(),
                position_length: 1,
            });
        }
        // Search mode yields a word's parts before the word; snippets need tokens in text order.
        out.sort_by_key(|t| (t.offset_from, t.offset_to));
        for (i, t) in out.iter_mut().enumerate() {
            t.position = i;
        }
        out
    }
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream { tokens: Self::tokens(text), index: 0 }
    }
}

/// Overlapping character bigrams of the meaningful characters (punctuation and spaces
/// skipped, so a substring typed with or without them matches alike). A run of one
/// character gives that character alone.
#[derive(Clone, Default)]
pub struct BigramTokenizer;

/// Separates fields indexed together in one bigram field (title, document number, body):
/// no bigram spans it, and positions jump across it, so no phrase matches across fields.
pub const FIELD_BREAK: char = '\u{1e}';

impl BigramTokenizer {
    pub fn tokens(text: &str) -> Vec<Token> {
        let (chars, offsets) = folded_with_offsets(text);
        let mut out = Vec::with_capacity(chars.len());
        // Runs of word characters between hard breaks; positions continue across runs with
        // a gap at each break.
        let mut position = 0usize;
        let mut run: Vec<(usize, char)> = Vec::new();
        let flush = |run: &mut Vec<(usize, char)>, position: &mut usize, out: &mut Vec<Token>| {
            if run.len() == 1 {
                let (i, c) = run[0];
                out.push(Token {
                    offset_from: offsets[i],
                    offset_to: offsets[i + 1],
                    position: *position,
                    text: c.to_string(),
                    position_length: 1,
                });
                *position += 1;
            }
            for pair in run.windows(2) {
                let (i, a) = pair[0];
                let (j, b) = pair[1];
                let mut text = String::with_capacity(a.len_utf8() + b.len_utf8());
                text.push(a);
                text.push(b);
                out.push(Token {
                    offset_from: offsets[i],
                    offset_to: offsets[j + 1],
                    position: *position,
                    text,
                    position_length: 1,
                });
                *position += 1;
            }
            if !run.is_empty() {
                *position += 2;
            }
            run.clear();
        };
        for (i, c) in chars.iter().copied().enumerate() {
            if c == FIELD_BREAK {
                flush(&mut run, &mut position, &mut out);
            } else if is_word_char(c) {
                run.push((i, c));
            }
        }
        flush(&mut run, &mut position, &mut out);
        out
    }
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream { tokens: Self::tokens(text), index: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_is_one_character_for_one() {
        assert_eq!(fold("政務公開"), "政务公开");
        assert_eq!(fold("ＡＢＣ１２３　ｘ"), "abc123 x");
        let t = "鄉鎮政務公開實施方案（２０１６）";
        assert_eq!(fold(t).chars().count(), t.chars().count());
    }

    #[test]
    fn bigrams_skip_punctuation_and_point_into_the_original() {
        let text = "政務，公開";
        let toks = BigramTokenizer::tokens(text);
        let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(words, ["政务", "务公", "公开"]);
        assert_eq!(&text[toks[2].offset_from..toks[2].offset_to], "公開");
        assert_eq!(BigramTokenizer::tokens("政").len(), 1);
    }

    #[test]
    fn no_bigram_spans_a_field_break() {
        let toks = BigramTokenizer::tokens("通知\u{1e}正文");
        let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(words, ["通知", "正文"]);
        assert!(toks[1].position > toks[0].position + 1, "a gap in positions");
    }

    #[test]
    fn word_tokens_come_in_text_order() {
        let toks = ZhTokenizer::tokens("进一步推进政务公开工作要点实施方案");
        assert!(
            toks.windows(2).all(|w| w[0].offset_from <= w[1].offset_from),
            "{:?}",
            toks.iter().map(|t| (&t.text, t.offset_from)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn jieba_finds_words_in_folded_text() {
        let words: Vec<String> = ZhTokenizer::tokens("推進政務公開工作").into_iter().map(|t| t.text).collect();
        assert!(words.contains(&"政务公开".to_string()), "{words:?}");
        assert!(words.contains(&"推进".to_string()), "{words:?}");
    }
}
