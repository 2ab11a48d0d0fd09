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

pub(crate) fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c).to_ascii_lowercase(),
        c => c.to_ascii_lowercase(),
    }
}

/// The characters fast2s may change, as a bit per character of the Basic Multilingual Plane
/// (it converts three-byte UTF-8 characters only, all in that plane): those it converts on
/// their own, found by asking it once for each, and those its context rules convert only
/// beside certain others (藉口 → 借口, 看著 → 看着, 苧麻 → 苎麻; the rest of its rules keep
/// or change characters it also converts alone). Most text of a mainland government has
/// none of them, and is then folded without a look-up per character.
static CONVERTIBLE: LazyLock<Box<[u64]>> = LazyLock::new(|| {
    let mut bits = vec![0u64; 0x10000 / 64];
    let mut buf = [0u8; 4];
    let mut set = |c: char| bits[c as usize / 64] |= 1 << (c as usize % 64);
    for c in (0x800..0x10000).filter_map(char::from_u32) {
        let s = c.encode_utf8(&mut buf);
        if fast2s::convert(s) != *s {
            set(c);
        }
    }
    for c in ['藉', '著', '苧', '闔', '鍾', '讎', '畫', '兒', '覆', '夥', '瞭', '麽', '幺', '於', '乾'] {
        set(c);
    }
    bits.into()
});

fn convertible(c: char) -> bool {
    convertible_at(c as usize)
}

/// Whether fast2s may change the character of code point `u`.
fn convertible_at(u: usize) -> bool {
    u < 0x10000 && CONVERTIBLE[u / 64] >> (u % 64) & 1 == 1
}

/// Where the first character fast2s may change starts in `text`. Read a byte at a time:
/// such a character is three bytes long (it lies in the Basic Multilingual Plane above
/// U+0800), and every other character is stepped over by its first byte without being
/// decoded — the check runs on every character of every snippet's text.
fn find_convertible(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(&lead) = b.get(i) {
        match lead {
            // ASCII, a two-byte character's bytes, or the rest of a longer one.
            ..0xE0 => i += 1,
            0xE0..0xF0 => {
                let [_, b1, b2] = b.get(i..i + 3)?.try_into().ok()?;
                let u = (usize::from(lead & 0x0F) << 12) | (usize::from(b1 & 0x3F) << 6) | usize::from(b2 & 0x3F);
                if convertible_at(u) {
                    return Some(i);
                }
                i += 3;
            }
            _ => i += 4,
        }
    }
    None
}

/// The text with traditional characters made simplified, borrowed when fast2s changes
/// nothing in it. fast2s decides each character by it and its two neighbours, so only the
/// runs of characters it may change are given to it, each with the neighbour on either side
/// (which it leaves as they are): a page of simplified text quoting a traditional line costs
/// the line, not the page; and one whose only candidates stay as they are (著 of 显著, 覆
/// of 覆盖) is not copied at all.
pub(crate) fn simplified(text: &str) -> std::borrow::Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut window = String::new();
    // `copied`: bytes of `text` already in `out`; `at`: where to look for the next run.
    let (mut copied, mut at) = (0, 0);
    while let Some(found) = find_convertible(&text[at..]) {
        let run_start = at + found;
        let run_end = text[run_start..].find(|c| !convertible(c)).map_or(text.len(), |n| run_start + n);
        let before = text[..run_start].chars().next_back();
        let after = text[run_end..].chars().next();
        window.clear();
        window.extend(before);
        window.push_str(&text[run_start..run_end]);
        window.extend(after);
        let converted = fast2s::convert(&window);
        let inner = &converted[before.map_or(0, char::len_utf8)..converted.len() - after.map_or(0, char::len_utf8)];
        if inner != &text[run_start..run_end] {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..run_start]);
            out.push_str(inner);
            copied = run_end;
        }
        at = run_end;
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            out.into()
        }
        None => text.into(),
    }
}

/// OpenCC's Taiwan-to-mainland conversion with its phrase tables (`tw2sp`): words, not
/// only characters — 資訊 → 信息, 軟體 → 软件, 印表機 → 打印机. `None` if its dictionaries
/// could not be loaded (they are compiled into the binary, so only a broken build).
static MAINLAND_WORDS: LazyLock<Option<ferrous_opencc::OpenCC>> = LazyLock::new(|| {
    ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::Tw2sp)
        .inspect_err(|e| tracing::error!("OpenCC tw2sp could not be loaded: {e}"))
        .ok()
});

/// A traditional text in mainland words when they differ from its characters folded one by
/// one: 政府資訊公開 is 政府资讯公开 character by character, 政府信息公开 as a mainland
/// reader says it. `None` for a text without traditional characters, or whose words are
/// the same either way. The index folds characters only (a text keeps its length, so
/// snippets line up), so a query is searched in both forms.
pub fn mainland_words(text: &str) -> Option<String> {
    find_convertible(text)?;
    let words = MAINLAND_WORDS.as_ref()?.convert(text);
    (fold(&words) != fold(text)).then_some(words)
}

/// Calls `each` with every character of `text` folded as [`fold`] folds it, in order,
/// without making the folded text when no character in it is traditional.
pub(crate) fn fold_each(text: &str, mut each: impl FnMut(char)) {
    match simplified(text) {
        std::borrow::Cow::Borrowed(t) => t.chars().for_each(|c| each(fold_char(c))),
        std::borrow::Cow::Owned(t) => t.chars().for_each(|c| each(fold_char(c))),
    }
}

/// Folds text for indexing and querying; the result has as many characters as the input.
pub fn fold(text: &str) -> String {
    let simple = simplified(text);
    let mut out = String::with_capacity(simple.len());
    // Runs of characters folding leaves alone are copied whole.
    let mut from = 0;
    for (i, c) in simple.char_indices() {
        let f = fold_char(c);
        if f != c {
            out.push_str(&simple[from..i]);
            out.push(f);
            from = i + c.len_utf8();
        }
    }
    out.push_str(&simple[from..]);
    out
}

/// A title as a key for exact-title matching: folded, without a leading 中华人民共和国 and
/// without bracketed parts (（试行）, （2019年修订）), letters and digits only — so a reader
/// who types 防汛条例 or 中華人民共和國防汛條例 matches 中华人民共和国防汛条例.
pub fn title_key(title: &str) -> String {
    key_of(title, false)
}

/// A title as a key for matching it whole: as [`title_key`], with its bracketed parts — so
/// 「…若干问题的规定」 typed is told from its sequel 「…若干问题的规定（二）」, which has the
/// same [`title_key`].
pub fn whole_title_key(title: &str) -> String {
    key_of(title, true)
}

fn key_of(title: &str, with_brackets: bool) -> String {
    let folded = fold(title);
    let t = folded.trim();
    let t = t.strip_prefix("中华人民共和国").unwrap_or(t);
    let mut out = String::new();
    let mut depth = 0usize;
    for c in t.chars() {
        match c {
            '（' | '(' | '〔' | '[' | '【' => depth += 1,
            '）' | ')' | '〕' | ']' | '】' => depth = depth.saturating_sub(1),
            c if (depth == 0 || with_brackets) && is_word_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// True for characters that carry meaning (letters, digits, CJK), not spacing or
/// punctuation. The common cases (ASCII, the CJK block, the punctuation of Chinese text:
/// “”…— and 、。《》【】) are answered without Unicode tables.
pub(crate) fn is_word_char(c: char) -> bool {
    match c {
        c if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{4e00}'..='\u{9fff}' => true,
        '\u{2000}'..='\u{206f}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}' => false,
        c => c.is_alphanumeric(),
    }
}

/// A token before its text is written: where it is in the original text, where its text is
/// in the analysed (folded) text, and its position.
#[derive(Debug, Clone, Copy)]
struct Span {
    from: usize,
    to: usize,
    text_from: usize,
    text_to: usize,
    position: usize,
}

/// Tokens of one text: the analysed text and the spans into it. The stream writes each
/// token's text into one reused buffer, so indexing a text allocates a few vectors, not a
/// string per token.
pub struct SpanTokenStream {
    text: String,
    spans: Vec<Span>,
    index: usize,
    token: Token,
}

impl SpanTokenStream {
    fn new(text: String, spans: Vec<Span>) -> Self {
        Self { text, spans, index: 0, token: Token::default() }
    }

    /// Every token, each with its own text (for building queries).
    fn collect(mut self) -> Vec<Token> {
        let mut out = Vec::with_capacity(self.spans.len());
        while self.advance() {
            out.push(self.token.clone());
        }
        out
    }
}

impl TokenStream for SpanTokenStream {
    fn advance(&mut self) -> bool {
        let Some(s) = self.spans.get(self.index).copied() else { return false };
        self.index += 1;
        self.token.offset_from = s.from;
        self.token.offset_to = s.to;
        self.token.position = s.position;
        self.token.position_length = 1;
        self.token.text.clear();
        self.token.text.push_str(&self.text[s.text_from..s.text_to]);
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// jieba words over folded text.
#[derive(Clone, Default)]
pub struct ZhTokenizer;

impl ZhTokenizer {
    fn stream(text: &str) -> SpanTokenStream {
        let folded = fold(text);
        // Folding keeps every character but may shorten some (full-width letters become
        // ASCII): then byte offsets in the folded text are mapped back through character
        // positions.
        let same_layout =
            folded.len() == text.len() && folded.char_indices().zip(text.char_indices()).all(|((a, _), (b, _))| a == b);
        let char_offsets: Vec<usize> = if same_layout {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect()
        };
        let original = |byte: usize, chars: usize| {
            if same_layout { byte } else { char_offsets[chars.min(char_offsets.len() - 1)] }
        };
        // Search mode yields a word's parts before the word. Word fields keep no positions
        // and snippets come from the bigram field, so the order is left as it comes.
        let spans: Vec<Span> = JIEBA
            .cut_for_search(&folded, true)
            .into_iter()
            .filter(|t| t.word.chars().any(is_word_char))
            .enumerate()
            .map(|(position, t)| Span {
                from: original(t.byte_start, t.start),
                to: original(t.byte_end, t.end),
                text_from: t.byte_start,
                text_to: t.byte_end,
                position,
            })
            .collect();
        SpanTokenStream::new(folded, spans)
    }

    /// The tokens of a text.
    pub fn tokens(text: &str) -> Vec<Token> {
        Self::stream(text).collect()
    }
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = SpanTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanTokenStream {
        Self::stream(text)
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
    fn stream(text: &str) -> SpanTokenStream {
        // The folded word characters, one after another: every bigram is a slice of it.
        let mut chars = String::with_capacity(text.len());
        let mut spans = Vec::with_capacity(text.len() / 3 + 1);
        // The current run (between field breaks): original start and end, and start in
        // `chars`, of each of its characters.
        let mut run: Vec<(usize, usize, usize)> = Vec::new();
        let mut position = 0usize;
        let mut flush = |run: &mut Vec<(usize, usize, usize)>, chars_len: usize, spans: &mut Vec<Span>| {
            let end_of = |k: usize, run: &[(usize, usize, usize)]| run.get(k + 1).map_or(chars_len, |c| c.2);
            if run.len() == 1 {
                let (from, to, at) = run[0];
                spans.push(Span { from, to, text_from: at, text_to: chars_len, position });
                position += 1;
            }
            for k in 0..run.len().saturating_sub(1) {
                spans.push(Span {
                    from: run[k].0,
                    to: run[k + 1].1,
                    text_from: run[k].2,
                    text_to: end_of(k + 1, run),
                    position,
                });
                position += 1;
            }
            if !run.is_empty() {
                position += 2;
            }
            run.clear();
        };
        let simple = simplified(text);
        for ((i, original), c) in text.char_indices().zip(simple.chars().map(fold_char)) {
            if c == FIELD_BREAK {
                flush(&mut run, chars.len(), &mut spans);
            } else if is_word_char(c) {
                run.push((i, i + original.len_utf8(), chars.len()));
                chars.push(c);
            }
        }
        flush(&mut run, chars.len(), &mut spans);
        SpanTokenStream::new(chars, spans)
    }

    pub fn tokens(text: &str) -> Vec<Token> {
        Self::stream(text).collect()
    }
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = SpanTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanTokenStream {
        Self::stream(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taiwan_words_read_as_mainland_words() {
        assert_eq!(mainland_words("政府資訊公開").as_deref(), Some("政府信息公开"));
        assert_eq!(mainland_words("軟體").as_deref(), Some("软件"));
        assert_eq!(mainland_words("印表機").as_deref(), Some("打印机"));
        // The same either way, or nothing traditional: nothing to add.
        assert_eq!(mainland_words("政府信息公開條例"), None);
        assert_eq!(mainland_words("政府资讯公开"), None);
        assert_eq!(mainland_words("政府信息公开"), None);
    }

    #[test]
    fn folding_is_one_character_for_one() {
        assert_eq!(fold("政務公開"), "政务公开");
        assert_eq!(fold("ＡＢＣ１２３　ｘ"), "abc123 x");
        let t = "鄉鎮政務公開實施方案（２０１６）";
        assert_eq!(fold(t).chars().count(), t.chars().count());
    }

    /// Folding skips fast2s for text without a character it would change: the answer is the
    /// one fast2s gives, on the corpus (one document is in traditional characters) and on the
    /// words its context rules convert.
    #[test]
    fn folding_without_lookups_answers_as_fast2s() {
        let reference = |t: &str| fast2s::convert(t).chars().map(fold_char).collect::<String>();
        let corpus = [
            include_str!("../../../demo/corpus/001_48fbd0a234bc08f9.txt"),
            include_str!("../../../demo/corpus/000_a46ebe3c9fae9831.txt"),
            include_str!("../../../demo/corpus/002_b0d84d08535e947a.txt"),
            include_str!("../../../demo/corpus/003_b2b1b5630be58451.txt"),
            include_str!("../../../demo/corpus/004_0bc03b790c89a567.txt"),
        ];
        let words = "藉口 憑藉 慰藉 看著 苧麻 闔家 鍾書 校讎 計畫 企畫 畫圖 兒寬 批覆 甚夥 瞭望 幺麽 樊於期 乾隆 乾淨 Ｇｏｖ　ＡＢＣ";
        let mixed = corpus.concat();
        for text in corpus.iter().flat_map(|t| t.lines()).chain(words.split(' ')).chain([words, mixed.as_str()]) {
            assert_eq!(fold(text), reference(text), "{text}");
        }
        // Runs cut at every place: each run's neighbours, at the ends of the text or not.
        let chars: Vec<char> = format!("{words}{}", corpus[0].chars().take(400).collect::<String>()).chars().collect();
        for from in 0..chars.len() {
            let text: String = chars[from..(from + 7).min(chars.len())].iter().collect();
            assert_eq!(fold(&text), reference(&text), "{text}");
        }
        assert!(corpus[0].chars().any(convertible), "the traditional document has characters to convert");
    }

    /// The byte scan finds what decoding every character finds: each character of every
    /// plane, between characters of one, two and four bytes.
    #[test]
    fn the_byte_scan_finds_the_first_convertible_character() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            for text in [format!("{c}"), format!("aé😀{c}政"), format!("政{c}é")] {
                assert_eq!(find_convertible(&text), text.find(convertible), "{c:?} in {text:?}");
            }
        }
    }

    /// A text whose only candidates stay as they are is not copied; one with a character to
    /// change is, changed.
    #[test]
    fn text_fast2s_leaves_alone_is_borrowed() {
        use std::borrow::Cow;
        assert!(matches!(simplified("显著提升，全面覆盖"), Cow::Borrowed(_)));
        assert!(matches!(simplified("政务公开"), Cow::Borrowed(_)));
        assert_eq!(simplified("显著提升，推進政務公開"), Cow::<str>::Owned("显著提升，推进政务公开".into()));
        assert_eq!(simplified("看著"), fast2s::convert("看著"));
    }

    #[test]
    fn word_characters_are_the_letters_and_digits() {
        // The shortcuts answer as the Unicode tables do (the CJK block counts whole).
        for c in (0..=0x10ffff).filter_map(char::from_u32).filter(|c| !('\u{4e00}'..='\u{9fff}').contains(c)) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
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

    /// Every token's offsets point at the original text it came from, whatever folding did
    /// to the lengths (full-width letters, the ideographic space, traditional characters).
    #[test]
    fn offsets_point_into_the_original_text() {
        let words_of = |s: &str| fold(s).chars().filter(|c| is_word_char(*c)).collect::<String>();
        for text in [
            "推進政務公開工作，重點做好ＧＤＰ統計　數據公開（２０１６年）",
            "abc 政务公开 XYZ-5.4.5 條例\u{1e}第一条",
            "政",
            "",
            "，。、",
        ] {
            for t in BigramTokenizer::tokens(text) {
                assert_eq!(words_of(&text[t.offset_from..t.offset_to]), t.text, "bigram in {text:?}");
            }
            for t in ZhTokenizer::tokens(text) {
                assert_eq!(fold(&text[t.offset_from..t.offset_to]), t.text, "word in {text:?}");
            }
        }
        let toks = ZhTokenizer::tokens("ＧＤＰ統計");
        assert_eq!(toks.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(), ["gdp", "统计"]);
    }

    #[test]
    fn jieba_finds_words_in_folded_text() {
        let words: Vec<String> = ZhTokenizer::tokens("推進政務公開工作").into_iter().map(|t| t.text).collect();
        assert!(words.contains(&"政务公开".to_string()), "{words:?}");
        assert!(words.contains(&"推进".to_string()), "{words:?}");
    }
}
