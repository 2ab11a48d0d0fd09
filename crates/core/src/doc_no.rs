//! 发文字号 (document numbers) such as `黔江府办发〔2017〕53号`: an agency prefix, the year in
//! brackets, a serial and 号. Clerks and web pages write the brackets many ways — `〔〕`,
//! `[]`, `［］`, `()`, `（）`, `【】`, `﹝﹞` — and we store the official `〔〕` form, so
//! one document number is one string however it was typed.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// Why a string is not a document number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DocNoError {
    /// No agency prefix before the year.
    #[error("发文字号缺少机关代字，例如「黔江府办发〔2017〕53号」")]
    NoPrefix,
    /// No bracketed four-digit year.
    #[error("发文字号缺少用六角括号括起的年份，例如「〔2017〕」")]
    NoYear,
    /// No serial number after the year.
    #[error("发文字号缺少序号，例如「53号」")]
    NoSerial,
}

/// A parsed 发文字号.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocNo {
    /// 机关代字, e.g. `黔江府办发`.
    pub prefix: String,
    /// 年份.
    pub year: i32,
    /// 发文顺序号 (without leading zeros).
    pub serial: u32,
}

const OPEN: [char; 8] = ['〔', '[', '［', '(', '（', '【', '﹝', '〖'];
const CLOSE: [char; 8] = ['〕', ']', '］', ')', '）', '】', '﹞', '〗'];

fn fold_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

impl DocNo {
    /// Parses a document number in any common bracket variant, with full- or half-width
    /// digits and spaces anywhere.
    pub fn parse(input: &str) -> Result<Self, DocNoError> {
        let s: Vec<char> = input.chars().filter(|c| !c.is_whitespace()).collect();
        let open = s.iter().position(|c| OPEN.contains(c)).ok_or(DocNoError::NoYear)?;
        let prefix: String = s[..open].iter().collect();
        if prefix.is_empty() || prefix.chars().all(|c| fold_digit(c).is_some()) {
            return Err(DocNoError::NoPrefix);
        }
        let mut i = open + 1;
        let mut year = 0i32;
        let mut digits = 0;
        while let Some(d) = s.get(i).and_then(|c| fold_digit(*c)) {
            year = year * 10 + d as i32;
            digits += 1;
            i += 1;
        }
        if digits != 4 || !s.get(i).is_some_and(|c| CLOSE.contains(c)) {
            return Err(DocNoError::NoYear);
        }
        i += 1;
        let mut serial = 0u32;
        let mut serial_digits = 0;
        while let Some(d) = s.get(i).and_then(|c| fold_digit(*c)) {
            serial = serial.saturating_mul(10).saturating_add(d);
            serial_digits += 1;
            i += 1;
        }
        if serial_digits == 0 {
            return Err(DocNoError::NoSerial);
        }
        // What follows the serial is 号 and nothing else worth keeping.
        Ok(Self { prefix, year, serial })
    }

    /// Finds the first document number inside a longer text (a title line, a header).
    pub fn find_in(text: &str) -> Option<(Self, String)> {
        let chars: Vec<char> = text.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if !OPEN.contains(c) {
                continue;
            }
            // The prefix is the run of CJK/ASCII letters right before the bracket.
            let mut start = i;
            while start > 0 && is_prefix_char(chars[start - 1]) {
                start -= 1;
            }
            if start == i {
                continue;
            }
            let mut end = i + 1;
            while end < chars.len() && end < i + 16 && !matches!(chars[end], '号' | '號') {
                end += 1;
            }
            if end >= chars.len() || !matches!(chars[end], '号' | '號') {
                continue;
            }
            let candidate: String = chars[start..=end].iter().collect();
            if let Ok(no) = Self::parse(&candidate) {
                return Some((no, candidate));
            }
        }
        None
    }
}

fn is_prefix_char(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || c.is_ascii_alphabetic()
}

impl fmt::Display for DocNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}〔{}〕{}号", self.prefix, self.year, self.serial)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_forms_parse_and_normalise() {
        let cases = [
            ("黔江府办发〔2017〕53号", "黔江府办发", 2017, 53),
            ("永政办函〔2018〕42号", "永政办函", 2018, 42),
            ("黔江府办发[2017]53号", "黔江府办发", 2017, 53),
            ("黔江府办发(2017)53号", "黔江府办发", 2017, 53),
            ("黔江府办发（2017）53号", "黔江府办发", 2017, 53),
            ("国办发【2016】80号", "国办发", 2016, 80),
            ("苏政传发〔2014〕203号", "苏政传发", 2014, 203),
            ("渝府办发 ﹝2017﹞ 060号", "渝府办发", 2017, 60),
            ("国办公开办函〔２０２１〕３０号", "国办公开办函", 2021, 30),
            ("中办发〔2016〕8号", "中办发", 2016, 8),
        ];
        for (input, prefix, year, serial) in cases {
            let no = DocNo::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!((no.prefix.as_str(), no.year, no.serial), (prefix, year, serial), "{input}");
        }
        assert_eq!(DocNo::parse("黔江府办发[2017]53号").map(|d| d.to_string()), Ok("黔江府办发〔2017〕53号".into()));
    }

    #[test]
    fn broken_forms_are_refused_with_the_reason() {
        assert_eq!(DocNo::parse("〔2017〕53号"), Err(DocNoError::NoPrefix));
        assert_eq!(DocNo::parse("黔江府办发2017-53号"), Err(DocNoError::NoYear));
        assert_eq!(DocNo::parse("黔江府办发〔17〕53号"), Err(DocNoError::NoYear));
        assert_eq!(DocNo::parse("黔江府办发〔2017〕号"), Err(DocNoError::NoSerial));
        // The damaged text of corpus 003 ("常经信办?018?11叶").
        assert!(DocNo::parse("常经信办?018?11叶").is_err());
    }

    #[test]
    fn numbers_are_found_inside_text() {
        let (no, raw) =
            DocNo::find_in("根据《重庆市人民政府办公厅关于认真做好政务公开有关工作的通知》(渝府办发〔2017〕60号)精神")
                .expect("found");
        assert_eq!(no.to_string(), "渝府办发〔2017〕60号");
        assert_eq!(raw, "渝府办发〔2017〕60号");
        assert_eq!(DocNo::find_in("没有文号的文字（2017年）"), None);
        let (no, _) = DocNo::find_in("《關于印發分解表的通知》(漳薌政辦〔2016〕91號)").expect("traditional 號");
        assert_eq!(no.to_string(), "漳薌政辦〔2016〕91号");
    }
}
