//! Staff user names and the password policy. Hashing happens outside `core` (it needs
//! randomness); the rules about what is acceptable live here.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a user name is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UsernameError {
    /// Too short or too long.
    #[error("用户名长度应为 2 到 32 个字符")]
    Length,
    /// A character other than ASCII letters, digits, `.`, `_`, `-`.
    #[error("用户名只能包含字母、数字、点、下划线和连字符")]
    Character,
}

/// A login name: 2-32 ASCII letters, digits, `.`, `_` or `-`, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    /// Parses and lower-cases a user name.
    pub fn parse(input: &str) -> Result<Self, UsernameError> {
        let name = input.trim().to_ascii_lowercase();
        if !(2..=32).contains(&name.chars().count()) {
            return Err(UsernameError::Length);
        }
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
            return Err(UsernameError::Character);
        }
        Ok(Self(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = UsernameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Username> for String {
    fn from(value: Username) -> Self {
        value.0
    }
}

/// Why a new password is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PasswordError {
    /// Shorter than [`Password::MIN_CHARS`].
    #[error("密码至少需要 10 个字符")]
    TooShort,
    /// Longer than [`Password::MAX_CHARS`] (bounds the hashing work an attacker can cause).
    #[error("密码不能超过 128 个字符")]
    TooLong,
    /// Only one kind of character.
    #[error("密码需要至少包含字母、数字、符号中的两类")]
    TooSimple,
    /// A common password, or one with only digits or symbols added (password2026!).
    #[error("这是常见密码或由常见密码加数字组成，容易被猜中，请换一个")]
    Common,
    /// It contains the user name.
    #[error("密码不能包含用户名")]
    ContainsUsername,
}

/// The common passwords and stems refused (`data/common_passwords.txt`).
const COMMON: &str = include_str!("../data/common_passwords.txt");

/// Whether `input` is a common password, or a common stem with only digits or symbols added
/// before or after it.
fn is_common(input: &str) -> bool {
    let lower = input.to_lowercase();
    let stem = lower.trim_matches(|c: char| !c.is_alphabetic());
    let common =
        |w: &str| COMMON.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).any(|l| l == w);
    common(&lower) || stem.is_empty() || common(stem)
}

/// A new password that meets the policy. Its text never appears in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl Password {
    /// Minimum length in characters.
    pub const MIN_CHARS: usize = 10;
    /// Maximum length in characters.
    pub const MAX_CHARS: usize = 128;

    /// Checks a proposed password against the policy.
    pub fn parse(input: &str) -> Result<Self, PasswordError> {
        let n = input.chars().count();
        if n < Self::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if n > Self::MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        let letters = input.chars().any(char::is_alphabetic);
        let digits = input.chars().any(|c| c.is_ascii_digit());
        let others = input.chars().any(|c| !c.is_alphanumeric());
        if [letters, digits, others].iter().filter(|b| **b).count() < 2 {
            return Err(PasswordError::TooSimple);
        }
        Ok(Self(input.to_string()))
    }

    /// Checks a password someone is given or chooses for the account `username` (等保 2.0 level 3:
    /// not a common password, not the user name).
    pub fn parse_for(input: &str, username: &str) -> Result<Self, PasswordError> {
        let p = Self::parse(input)?;
        let name = username.trim().to_lowercase();
        if name.chars().count() >= 3 && input.to_lowercase().contains(&name) {
            return Err(PasswordError::ContainsUsername);
        }
        if is_common(input) {
            return Err(PasswordError::Common);
        }
        Ok(p)
    }

    /// The password text, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lowercased_and_checked() {
        assert_eq!(Username::parse(" Zhang.Wei ").map(|u| u.0), Ok("zhang.wei".into()));
        assert_eq!(Username::parse("a"), Err(UsernameError::Length));
        assert_eq!(Username::parse("张伟"), Err(UsernameError::Character));
        assert_eq!(Username::parse("a b"), Err(UsernameError::Character));
    }

    #[test]
    fn password_policy_needs_length_and_two_kinds() {
        assert_eq!(Password::parse("short1"), Err(PasswordError::TooShort));
        assert_eq!(Password::parse("abcdefghijkl"), Err(PasswordError::TooSimple));
        assert_eq!(Password::parse("1234567890"), Err(PasswordError::TooSimple));
        assert!(Password::parse("gongkai2026").is_ok());
        // For an account: not common, not with only digits or symbols added, not the name.
        for common in ["password123", "Passw0rd!2026", "2026woaini!!", "1qaz2wsx3edc", "qwerty123456", "1234567890!"] {
            assert_eq!(Password::parse_for(common, "zhang"), Err(PasswordError::Common), "{common}");
        }
        assert_eq!(Password::parse_for("zhangsan-2026", "zhangsan"), Err(PasswordError::ContainsUsername));
        assert!(Password::parse_for("river-lamp-2026", "zhangsan").is_ok());
        assert!(Password::parse_for("gongkai-2026-qj", "editor").is_ok(), "a common stem inside a longer word is fine");
        assert!(Password::parse("政务公开密码很安全2026").is_ok());
        assert_eq!(Password::parse(&"a1".repeat(65)), Err(PasswordError::TooLong));
        assert_eq!(format!("{:?}", Password::parse("gongkai2026")), "Ok(Password(<redacted>))");
    }
}
