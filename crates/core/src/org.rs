//! Orgs (行政机关) and the two national codes that identify them: the 18-character
//! 统一社会信用代码 (GB 32100-2015) and the older 9-character 组织机构代码 (GB 11714).
//! Both carry a check character; a code whose check fails is refused at parse time, so an
//! [`OrgIdent`] in hand is always well formed. The index-number prefix (索引号前缀) of an org
//! is its code as written in its 索引号 (e.g. `11500114009130039C/2017-00861`).

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// Why a string is not a valid org code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OrgCodeError {
    /// The code has the wrong number of characters.
    #[error("机构代码长度不正确：统一社会信用代码为 18 位，组织机构代码为 9 位（收到 {0} 位）")]
    Length(usize),
    /// A character outside the code's alphabet.
    #[error("机构代码含有不允许的字符「{0}」")]
    Character(char),
    /// The check character does not match the body.
    #[error("机构代码校验位错误：应为「{expected}」，实为「{found}」")]
    Check { expected: char, found: char },
}

/// The GB 32100-2015 alphabet: digits and capitals without I, O, Z, S, V.
const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// 统一社会信用代码 (unified social credit code), GB 32100-2015.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

impl CreditCode {
    /// Parses an 18-character code (spaces trimmed, letters upper-cased) and checks its
    /// check character.
    pub fn parse(input: &str) -> Result<Self, OrgCodeError> {
        let code: String = input.trim().to_ascii_uppercase();
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 18 {
            return Err(OrgCodeError::Length(chars.len()));
        }
        let mut sum = 0u32;
        for (i, c) in chars.iter().enumerate() {
            let value = CREDIT_ALPHABET.find(*c).ok_or(OrgCodeError::Character(*c))? as u32;
            if i < 17 {
                sum += value * CREDIT_WEIGHTS[i];
            }
        }
        let check = (31 - sum % 31) % 31;
        let expected = CREDIT_ALPHABET.as_bytes()[check as usize] as char;
        if chars[17] != expected {
            return Err(OrgCodeError::Check { expected, found: chars[17] });
        }
        Ok(Self(code))
    }

    /// Completes 17 characters with their check character (for generating codes).
    pub fn complete(first17: &str) -> Result<Self, OrgCodeError> {
        let body = first17.trim().to_ascii_uppercase();
        if body.chars().count() != 17 {
            return Err(OrgCodeError::Length(body.chars().count()));
        }
        // Any valid character in the check position gives the expected one in the error.
        match Self::parse(&format!("{body}0")) {
            Err(OrgCodeError::Check { expected, .. }) => Self::parse(&format!("{body}{expected}")),
            other => other,
        }
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CreditCode {
    type Error = OrgCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(value: CreditCode) -> Self {
        value.0
    }
}

/// 组织机构代码 (organisation code), GB 11714: eight characters and a check character,
/// accepted with or without the hyphen (`01410945-3`), kept without it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgCode(String);

impl OrgCode {
    /// Parses a 9-character code (an optional `-` before the check character) and checks it.
    pub fn parse(input: &str) -> Result<Self, OrgCodeError> {
        let code: String = input.trim().to_ascii_uppercase().replace('-', "");
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 9 {
            return Err(OrgCodeError::Length(chars.len()));
        }
        let mut sum = 0u32;
        for (i, c) in chars[..8].iter().enumerate() {
            let value = match c {
                '0'..='9' => *c as u32 - '0' as u32,
                'A'..='Z' => *c as u32 - 'A' as u32 + 10,
                _ => return Err(OrgCodeError::Character(*c)),
            };
            sum += value * ORG_WEIGHTS[i];
        }
        let expected = match 11 - sum % 11 {
            10 => 'X',
            11 => '0',
            n => char::from_digit(n, 10).unwrap_or('0'),
        };
        if chars[8] != expected {
            if !chars[8].is_ascii_digit() && chars[8] != 'X' {
                return Err(OrgCodeError::Character(chars[8]));
            }
            return Err(OrgCodeError::Check { expected, found: chars[8] });
        }
        Ok(Self(code))
    }

    /// Completes 8 characters with their check character (for generating codes).
    pub fn complete(first8: &str) -> Result<Self, OrgCodeError> {
        let body = first8.trim().to_ascii_uppercase();
        if body.chars().count() != 8 {
            return Err(OrgCodeError::Length(body.chars().count()));
        }
        match Self::parse(&format!("{body}0")) {
            Err(OrgCodeError::Check { expected, .. }) => Self::parse(&format!("{body}{expected}")),
            other => other,
        }
    }

    /// The code as a string slice, without hyphen.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrgCode {
    type Error = OrgCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OrgCode> for String {
    fn from(value: OrgCode) -> Self {
        value.0
    }
}

/// The code an org is known by: its credit code when it has one, else its org code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OrgIdent {
    /// 统一社会信用代码.
    Credit(CreditCode),
    /// 组织机构代码.
    Org(OrgCode),
}

impl OrgIdent {
    /// Parses either kind of code, telling them apart by length.
    pub fn parse(input: &str) -> Result<Self, OrgCodeError> {
        let len = input.trim().replace('-', "").chars().count();
        match len {
            18 => CreditCode::parse(input).map(Self::Credit),
            9 => OrgCode::parse(input).map(Self::Org),
            n => Err(OrgCodeError::Length(n)),
        }
    }

    /// The code as stored and shown.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Credit(c) => c.as_str(),
            Self::Org(c) => c.as_str(),
        }
    }

    /// The prefix of the org's index numbers (索引号): the code itself, as in
    /// `11500114009130039C/2017-00861` and `014109453/2018-00070`.
    pub fn index_prefix(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for OrgIdent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of an org in the tree 区/市政府 → 部门 / 镇 / 街道 / 开发区 → 村/居.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 人民政府 (district or city government) and its office.
    Government,
    /// 政府工作部门 (department).
    Department,
    /// 镇/乡人民政府 (town or township).
    Town,
    /// 街道办事处 (sub-district).
    Subdistrict,
    /// 开发区/园区管委会 (development zone).
    Zone,
    /// 村/居民委员会 (village or residents' committee).
    Village,
}

impl OrgKind {
    /// Every kind, in the order the forms list them.
    pub const ALL: [OrgKind; 6] =
        [Self::Government, Self::Department, Self::Town, Self::Subdistrict, Self::Zone, Self::Village];

    /// The code name used in storage and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Government => "government",
            Self::Department => "department",
            Self::Town => "town",
            Self::Subdistrict => "subdistrict",
            Self::Zone => "zone",
            Self::Village => "village",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Government => "人民政府",
            Self::Department => "部门",
            Self::Town => "乡镇",
            Self::Subdistrict => "街道",
            Self::Zone => "开发区",
            Self::Village => "村（居）",
        }
    }

    /// Parses the code name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An org's place in the tree as the ids from the root down, e.g. `/1/4/9/`. A path is a
/// prefix of every path below it, so "is X under Y" is a string test.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrgPath(String);

impl OrgPath {
    /// The path of a root org with this id.
    pub fn root(id: i64) -> Self {
        Self(format!("/{id}/"))
    }

    /// The path of a child with `id` under this path.
    pub fn child(&self, id: i64) -> Self {
        Self(format!("{}{id}/", self.0))
    }

    /// Wraps a stored path (as written by [`OrgPath::root`] / [`OrgPath::child`]).
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    /// True when `self` is `other` or lies below it.
    pub fn is_within(&self, other: &OrgPath) -> bool {
        self.0.starts_with(&other.0)
    }

    /// The id of the root org above (or at) this path: the site it belongs to.
    pub fn root_id(&self) -> Option<i64> {
        self.0.split('/').find(|s| !s.is_empty()).and_then(|s| s.parse().ok())
    }

    /// The number of levels (a root is depth 1).
    pub fn depth(&self) -> usize {
        self.0.matches('/').count().saturating_sub(1)
    }

    /// The stored form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_codes_of_real_issuers_pass_their_check_character() {
        for code in ["11500114009130039C", "91110000802100433B", "11320412014109453W"] {
            assert_eq!(CreditCode::parse(code).map(|c| c.0), Ok(code.to_string()));
        }
    }

    #[test]
    fn credit_code_with_wrong_check_character_is_refused() {
        assert_eq!(CreditCode::parse("11500114009130039D"), Err(OrgCodeError::Check { expected: 'C', found: 'D' }));
    }

    #[test]
    fn credit_code_refuses_letters_outside_the_alphabet_and_wrong_lengths() {
        assert_eq!(CreditCode::parse("1150011400913003IC"), Err(OrgCodeError::Character('I')));
        assert_eq!(CreditCode::parse("1150011400913003"), Err(OrgCodeError::Length(16)));
    }

    #[test]
    fn credit_code_is_trimmed_and_upper_cased() {
        assert_eq!(CreditCode::parse(" 11500114009130039c ").map(|c| c.0), Ok("11500114009130039C".into()));
    }

    #[test]
    fn org_code_checks_with_and_without_hyphen() {
        assert_eq!(OrgCode::parse("014109453").map(|c| c.0), Ok("014109453".into()));
        assert_eq!(OrgCode::parse("01410945-3").map(|c| c.0), Ok("014109453".into()));
        assert_eq!(OrgCode::parse("014109454"), Err(OrgCodeError::Check { expected: '3', found: '4' }));
        // 00913003-9 is the org code inside 黔江区政府's credit code.
        assert!(OrgCode::parse("009130039").is_ok());
    }

    #[test]
    fn org_code_check_values_ten_and_eleven_are_written_x_and_zero() {
        // 1·3 + 1·9 = 12 → 11 - 1 = 10 → X; an all-zero body gives 11 → 0.
        assert!(OrgCode::parse("10100000X").is_ok());
        assert!(OrgCode::parse("000000000").is_ok());
        // A letter in the body counts A = 10: 10·2 = 20 → 11 - 9 = 2.
        assert!(OrgCode::parse("0000000A2").is_ok());
        assert_eq!(OrgCode::parse("101000001"), Err(OrgCodeError::Check { expected: 'X', found: '1' }));
    }

    #[test]
    fn codes_can_be_completed_with_their_check_character() {
        assert_eq!(CreditCode::complete("11500114009130039").map(|c| c.0), Ok("11500114009130039C".into()));
        assert_eq!(OrgCode::complete("01410945").map(|c| c.0), Ok("014109453".into()));
        assert_eq!(OrgCode::complete("10100000").map(|c| c.0), Ok("10100000X".into()));
        assert_eq!(CreditCode::complete("1150011400913003I"), Err(OrgCodeError::Character('I')));
    }

    #[test]
    fn ident_tells_the_two_codes_apart_and_gives_the_index_prefix() {
        let credit = OrgIdent::parse("11500114009130039C").expect("valid");
        assert!(matches!(credit, OrgIdent::Credit(_)));
        assert_eq!(credit.index_prefix(), "11500114009130039C");
        let org = OrgIdent::parse("01410945-3").expect("valid");
        assert!(matches!(org, OrgIdent::Org(_)));
        assert_eq!(org.index_prefix(), "014109453");
        assert_eq!(OrgIdent::parse("12345"), Err(OrgCodeError::Length(5)));
    }

    #[test]
    fn paths_nest() {
        let district = OrgPath::root(1);
        let dept = district.child(4);
        let village = dept.child(9);
        assert_eq!(village.as_str(), "/1/4/9/");
        assert!(village.is_within(&district));
        assert!(dept.is_within(&dept));
        assert!(!district.is_within(&dept));
        // id 1 is not a prefix of id 14.
        assert!(!OrgPath::root(14).is_within(&OrgPath::root(1)));
        assert_eq!(village.depth(), 3);
    }

    #[test]
    fn kinds_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(OrgKind::parse("ministry"), None);
    }
}
