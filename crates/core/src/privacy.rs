//! The checks that keep personal data and secrets off the public side: mainland ID-card
//! numbers with a valid check digit, mobile numbers, bank-card numbers passing Luhn, e-mail
//! addresses, secrecy markings (绝密, 机密, 秘密★ …) and the words of a configurable negative
//! list. A finding gives its place as character offsets (`start` inclusive, `end`
//! exclusive, counted in Unicode characters, as a browser counts them) so an editor can be
//! shown exactly where. [`deidentify`] masks what can be masked.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// What was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// 居民身份证号码 with a valid check digit and birth date.
    IdNumber,
    /// 手机号码.
    Mobile,
    /// 银行卡号 (16-19 digits passing Luhn).
    BankCard,
    /// 电子邮箱.
    Email,
    /// 密级标志 (绝密, 机密, 秘密★, 内部资料, 涉密 …).
    SecrecyMarking,
    /// A word of the deployment's 负面清单.
    NegativeList,
}

impl FindingKind {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::IdNumber => "身份证号码",
            Self::Mobile => "手机号码",
            Self::BankCard => "银行卡号",
            Self::Email => "电子邮箱",
            Self::SecrecyMarking => "密级标志",
            Self::NegativeList => "负面清单词语",
        }
    }

    /// True when [`deidentify`] can mask it (markings and listed words must be removed or
    /// justified instead).
    pub fn maskable(self) -> bool {
        matches!(self, Self::IdNumber | Self::Mobile | Self::BankCard | Self::Email)
    }
}

/// One place where something was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What.
    pub kind: FindingKind,
    /// In which field (`title`, `summary`, `body`, `attachment:NAME`), set by the caller.
    pub field: String,
    /// First character (0-based, in characters).
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The text found.
    pub text: String,
}

impl Finding {
    /// Where it was found, as a clerk reads it: 标题, 内容概述, 正文, 附件“名称”.
    pub fn field_label(&self) -> String {
        match self.field.as_str() {
            "title" => "标题".into(),
            "summary" => "内容概述".into(),
            "body" => "正文".into(),
            "doc_no" => "发文字号".into(),
            other => match other.strip_prefix("attachment:") {
                Some(name) => format!("附件“{name}”"),
                None => other.to_string(),
            },
        }
    }
}

/// Secrecy markings as they appear on documents that must not go out.
pub const SECRECY_MARKINGS: &[&str] =
    &["绝密", "机密", "秘密★", "秘密 ★", "★秘密", "内部资料", "内部文件", "涉密", "注意保密", "不得外传"];

static DIGIT_RUN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[0-9]+[Xx]?").expect("static regex"));
static GROUPED_CARD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -][0-9]{1,3})?").expect("static regex"));
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}").expect("static regex")
});

/// True when `s` is an 18-character mainland ID number with a plausible birth date and a
/// valid GB 11643 check character.
pub fn is_id_number(s: &str) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let c: Vec<char> = s.chars().collect();
    if c.len() != 18 || !c[..17].iter().all(char::is_ascii_digit) || c[0] == '0' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| c[r].iter().fold(0u32, |a, d| a * 10 + d.to_digit(10).unwrap_or(0));
    let (year, month, day) = (num(6..10), num(10..12), num(12..14));
    if !(1900..=2100).contains(&year) || chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_none() {
        return false;
    }
    let sum: u32 = c[..17].iter().zip(W).map(|(d, w)| d.to_digit(10).unwrap_or(0) * w).sum();
    c[17].to_ascii_uppercase() == CHECK[(sum % 11) as usize]
}

/// True for an 18-character run shaped like an ID number (region, a real birth date) whose
/// check digit is wrong: a mistyped ID number is still someone's, and is masked as one.
pub fn looks_like_id_number(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    if c.len() != 18 || !c[..17].iter().all(char::is_ascii_digit) || c[0] == '0' {
        return false;
    }
    if !(c[17].is_ascii_digit() || c[17] == 'X' || c[17] == 'x') {
        return false;
    }
    let num = |r: std::ops::Range<usize>| c[r].iter().fold(0u32, |a, d| a * 10 + d.to_digit(10).unwrap_or(0));
    let (year, month, day) = (num(6..10), num(10..12), num(12..14));
    (1900..=2100).contains(&year) && chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_some()
}

/// True when the digits pass the Luhn check.
pub fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else {
            return false;
        };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum % 10 == 0
}

fn is_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11 && b.iter().all(u8::is_ascii_digit) && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// Scans a text; findings are ordered by position.
pub fn scan(field: &str, text: &str, negative_list: &[String]) -> Vec<Finding> {
    let mut spans: Vec<(FindingKind, usize, usize)> = Vec::new();
    for m in DIGIT_RUN.find_iter(text) {
        let s = m.as_str();
        let kind = if is_id_number(s) || looks_like_id_number(s) {
            Some(FindingKind::IdNumber)
        } else if s.ends_with(['X', 'x']) {
            None
        } else if is_mobile(s) {
            Some(FindingKind::Mobile)
        } else if (16..=19).contains(&s.len()) && luhn(s) {
            Some(FindingKind::BankCard)
        } else {
            None
        };
        if let Some(kind) = kind {
            spans.push((kind, m.start(), m.end()));
        }
    }
    for m in GROUPED_CARD.find_iter(text) {
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        if (16..=19).contains(&digits.len()) && luhn(&digits) {
            spans.push((FindingKind::BankCard, m.start(), m.end()));
        }
    }
    for m in EMAIL.find_iter(text) {
        spans.push((FindingKind::Email, m.start(), m.end()));
    }
    for marking in SECRECY_MARKINGS {
        for (at, _) in text.match_indices(marking) {
            spans.push((FindingKind::SecrecyMarking, at, at + marking.len()));
        }
    }
    for word in negative_list.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
        for (at, _) in text.match_indices(word) {
            spans.push((FindingKind::NegativeList, at, at + word.len()));
        }
    }
    spans.sort_by_key(|(_, s, e)| (*s, std::cmp::Reverse(*e)));
    // Drop spans inside an earlier one (秘密★ also contains no 机密, but 「秘密 ★」 and 「★秘密」 overlap).
    let mut kept: Vec<(FindingKind, usize, usize)> = Vec::new();
    for span in spans {
        if kept.last().is_some_and(|last| span.1 < last.2) {
            continue;
        }
        kept.push(span);
    }
    kept.into_iter()
        .map(|(kind, s, e)| Finding {
            kind,
            field: field.to_string(),
            start: text[..s].chars().count(),
            end: text[..e].chars().count(),
            text: text[s..e].to_string(),
        })
        .collect()
}

/// The masked form of a maskable finding's text.
pub fn mask(kind: FindingKind, text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let keep =
        |head: usize, tail: usize| -> String {
            c.iter()
                .enumerate()
                .map(|(i, ch)| {
                    if i < head || i >= c.len().saturating_sub(tail) || !ch.is_ascii_alphanumeric() { *ch } else { '*' }
                })
                .collect()
        };
    match kind {
        FindingKind::IdNumber => keep(6, 4),
        FindingKind::Mobile => keep(3, 4),
        FindingKind::BankCard => keep(4, 4),
        FindingKind::Email => match text.find('@') {
            Some(at) => {
                let first: String = text[..at].chars().take(1).collect();
                format!("{first}***{}", &text[at..])
            }
            None => text.to_string(),
        },
        _ => text.to_string(),
    }
}

/// Masks every maskable finding of a text (ID numbers as `110101********1234`, mobiles as
/// `138****5678`, cards as `6222********1234`, e-mail as `z***@example.com`). Markings and
/// negative-list words are left for the editor to remove or justify.
pub fn deidentify(text: &str) -> String {
    let findings = scan("", text, &[]);
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    for f in findings.iter().filter(|f| f.kind.maskable()) {
        out.extend(&chars[i..f.start]);
        out.push_str(&mask(f.kind, &f.text));
        i = f.end;
    }
    out.extend(&chars[i..]);
    out
}

/// Masks a text that a file stores in pieces — the runs of a Word paragraph, the rich-text
/// runs of a spreadsheet cell — without moving a piece: the findings are sought in the
/// pieces joined (a number split over two runs is still one number), and each masked form
/// goes into the piece where its finding starts, the rest of the finding's characters
/// leaving the pieces they were in. `None` when there is nothing to mask.
pub fn deidentify_pieces<S: AsRef<str>>(pieces: &[S]) -> Option<Vec<String>> {
    let joined: String = pieces.iter().map(AsRef::as_ref).collect();
    let findings: Vec<Finding> = scan("", &joined, &[]).into_iter().filter(|f| f.kind.maskable()).collect();
    if findings.is_empty() {
        return None;
    }
    // Each piece's characters, with the offset of its first in the joined text.
    let mut out: Vec<String> = Vec::with_capacity(pieces.len());
    let mut at = 0;
    for piece in pieces {
        let chars: Vec<char> = piece.as_ref().chars().collect();
        let (from, to) = (at, at + chars.len());
        let mut text = String::with_capacity(piece.as_ref().len());
        for (i, ch) in chars.iter().enumerate() {
            let pos = from + i;
            match findings.iter().find(|f| f.start <= pos && pos < f.end) {
                Some(f) if pos == f.start => text.push_str(&mask(f.kind, &f.text)),
                Some(_) => {}
                None => text.push(*ch),
            }
        }
        out.push(text);
        at = to;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // 11010519491231002X is the GB 11643 standard's own example.
    const ID: &str = "11010519491231002X";

    #[test]
    fn a_finding_names_its_field_in_chinese() {
        let at = |field: &str| Finding {
            kind: FindingKind::Mobile,
            field: field.into(),
            start: 0,
            end: 1,
            text: "x".into(),
        };
        assert_eq!(at("body").field_label(), "正文");
        assert_eq!(at("title").field_label(), "标题");
        assert_eq!(at("summary").field_label(), "内容概述");
        assert_eq!(at("attachment:名单.docx").field_label(), "附件“名单.docx”");
    }

    #[test]
    fn id_numbers_need_a_valid_check_digit_and_date() {
        assert!(is_id_number(ID));
        assert!(is_id_number("11010519491231002x"));
        assert!(is_id_number("440524198001010013"));
        assert!(!is_id_number("440524188001010014"), "born before 1900");
        assert!(!is_id_number("110105194912310021"), "wrong check digit");
        assert!(looks_like_id_number("110105194912310021"), "but shaped like one");
        assert!(!looks_like_id_number("110105194913310028"), "month 13");
        assert_eq!(
            deidentify("身份证号500114199001011234。"),
            "身份证号500114********1234。",
            "masked even when mistyped"
        );
        assert!(!is_id_number("110105194913310028"), "month 13");
        assert!(!is_id_number("11010519491231002"), "17 characters");
        assert!(!is_id_number("010105194912310029"), "no region starts with 0");
    }

    #[test]
    fn luhn_checks() {
        assert!(luhn("6222021234567890128"));
        assert!(luhn("4111111111111111"));
        assert!(!luhn("4111111111111112"));
    }

    #[test]
    fn scan_finds_each_kind_with_character_offsets() {
        let text = format!(
            "申请人张三，身份证{ID}，手机13812345678，卡号6222 0212 3456 7890 128，邮箱zhang.san@example.com。此件机密。"
        );
        let found = scan("body", &text, &["张三".to_string()]);
        let kinds: Vec<FindingKind> = found.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            vec![
                FindingKind::NegativeList,
                FindingKind::IdNumber,
                FindingKind::Mobile,
                FindingKind::BankCard,
                FindingKind::Email,
                FindingKind::SecrecyMarking
            ]
        );
        let id = &found[1];
        assert_eq!((id.start, id.end), (9, 27));
        assert_eq!(text.chars().skip(id.start).take(id.end - id.start).collect::<String>(), ID);
        assert_eq!(found[1].field, "body");
        assert_eq!(found[3].text, "6222 0212 3456 7890 128");
    }

    #[test]
    fn ordinary_numbers_are_not_findings() {
        let text = "索引号11500114009130039C/2017-00861，电话0746-8379670，湘公网安备43110302000125号，2017年6月1日，经费12345678901234元";
        assert_eq!(scan("body", text, &[]), vec![]);
    }

    #[test]
    fn deidentification_masks_what_can_be_masked() {
        let text = format!("身份证{ID}，手机13812345678，卡6222021234567890128，邮件zhang@example.com，秘密★");
        assert_eq!(
            deidentify(&text),
            "身份证110105********002X，手机138****5678，卡6222***********0128，邮件z***@example.com，秘密★"
        );
        let after = scan("body", &deidentify(&text), &[]);
        assert_eq!(after.iter().map(|f| f.kind).collect::<Vec<_>>(), vec![FindingKind::SecrecyMarking]);
    }

    #[test]
    fn a_number_split_over_pieces_is_masked_where_it_starts() {
        // Word splits runs at a spelling mark or a change of font: 1101 | 0519491231002X.
        let pieces = ["身份证号码1101", "0519491231002X", "，电话13800138000。"];
        let masked = deidentify_pieces(&pieces).expect("masked");
        assert_eq!(masked.concat(), deidentify(&pieces.concat()));
        assert_eq!(masked[0], "身份证号码110105********002X");
        assert_eq!(masked[1], "");
        assert_eq!(masked[2], "，电话138****8000。");
        // An e-mail address changes length; the pieces after it are unmoved.
        let masked = deidentify_pieces(&["联系 zhang", "san@example.com", " 即可"]).expect("masked");
        assert_eq!(masked, ["联系 z***@example.com", "", " 即可"]);
        assert_eq!(deidentify_pieces(&["没有", "个人信息"]), None);
    }
}
