//! The second factor of staff logins (等保 2.0 level 3, GB/T 22239-2019 8.1.4.1 d: 两种或两种
//! 以上组合的鉴别技术): a time-based one-time password (TOTP, RFC 6238) from any authenticator
//! app — 6 digits, a 30-second step, HMAC-SHA1 (what every app reads from the QR code), one
//! step of clock drift either way. A code is accepted once: a step used is never used again
//! (RFC 6238 5.2), which the store enforces atomically across nodes.

use thiserror::Error;
use totp_rs::{Algorithm, Secret, Totp};

/// Digits of a code.
pub const DIGITS: usize = 6;
/// Seconds a code lasts.
pub const STEP_SECONDS: u64 = 30;
/// Bytes of a secret (160 bits, RFC 4226's recommendation).
pub const SECRET_BYTES: usize = 20;

/// Why a code is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CodeRefusal {
    /// Not six digits.
    #[error("动态口令是 6 位数字")]
    Malformed,
    /// Not the code of now (or the step before or after).
    #[error("动态口令不正确或已过期")]
    Wrong,
    /// The code of a step already used.
    #[error("该动态口令已使用过，请等待下一个口令")]
    Reused,
}

/// A secret that is not one of ours (damaged in storage or typed by hand).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("两步验证密钥无效")]
pub struct BadSecret;

/// A staff member's authenticator: the shared secret and the account it is for.
#[derive(Debug, Clone)]
pub struct SecondFactor(Totp);

impl SecondFactor {
    /// The factor of a stored secret (base32, as the app shows it).
    pub fn from_base32(secret: &str, issuer: &str, account: &str) -> Result<Self, BadSecret> {
        let bytes = Secret::try_from_base32(secret.trim()).map_err(|_| BadSecret)?;
        if bytes.as_ref().len() < 16 {
            return Err(BadSecret);
        }
        let totp = totp_rs::Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS as u8)
            .with_skew(1)
            .with_step_duration(STEP_SECONDS)
            .with_secret(bytes)
            .with_issuer(Some(issuer.replace(':', "：")))
            .with_account_name(account.replace(':', "："))
            .build()
            .map_err(|_| BadSecret)?;
        Ok(Self(totp))
    }

    /// A new secret from `random` bytes (the caller's CSPRNG), as base32.
    pub fn new_secret(random: [u8; SECRET_BYTES]) -> String {
        Secret::from(random.to_vec()).to_base32()
    }

    /// The secret as base32, in groups of four for typing by hand.
    pub fn grouped(secret: &str) -> String {
        let chars: Vec<char> = secret.chars().collect();
        chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
    }

    /// The `otpauth://` address an authenticator app reads from the QR code.
    pub fn uri(&self) -> String {
        self.0.to_url().unwrap_or_default()
    }

    /// Checks `code` at `unix` seconds: answers the step it belongs to, which must be later
    /// than `last_step` (the last one accepted for this account).
    pub fn check(&self, code: &str, unix: u64, last_step: Option<i64>) -> Result<i64, CodeRefusal> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeRefusal::Malformed);
        }
        let step = self.0.check(&code, unix).ok_or(CodeRefusal::Wrong)?;
        let step = i64::try_from(step).map_err(|_| CodeRefusal::Wrong)?;
        if last_step.is_some_and(|last| step <= last) {
            return Err(CodeRefusal::Reused);
        }
        Ok(step)
    }

    /// The code of `unix` seconds (for tests and the demo's printed example).
    pub fn code_at(&self, unix: u64) -> String {
        self.0.generate(unix).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B: the SHA-1 secret "12345678901234567890".
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_follow_rfc_6238() {
        let f = SecondFactor::from_base32(RFC_SECRET, "黔江区政务公开平台", "editor").expect("secret");
        // The RFC's 8-digit values end in these 6 digits.
        assert_eq!(f.code_at(59), "287082");
        assert_eq!(f.code_at(1_111_111_109), "081804");
        assert_eq!(f.code_at(2_000_000_000), "279037");
        assert_eq!(f.check("287082", 59, None), Ok(1));
        assert_eq!(f.check("287 082", 80, None), Ok(1), "one step late is accepted");
        assert_eq!(f.check("287082", 120, None), Err(CodeRefusal::Wrong), "two steps late is not");
        assert_eq!(f.check("28708", 59, None), Err(CodeRefusal::Malformed));
        assert_eq!(f.check("28708a", 59, None), Err(CodeRefusal::Malformed));
        assert_eq!(f.check("287082", 59, Some(1)), Err(CodeRefusal::Reused), "once only");
        assert_eq!(f.check(&f.code_at(89), 89, Some(1)), Ok(2));
    }

    #[test]
    fn secrets_are_160_bits_in_base32_and_read_by_apps() {
        let s = SecondFactor::new_secret([7; SECRET_BYTES]);
        assert_eq!(s.len(), 32);
        assert_eq!(SecondFactor::grouped(&s).split(' ').count(), 8);
        let f = SecondFactor::from_base32(&s, "黔江:平台", "qj-admin").expect("secret");
        let uri = f.uri();
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        assert!(uri.contains(&format!("secret={s}")) && uri.contains("qj-admin"), "{uri}");
        assert_eq!(SecondFactor::from_base32("not base32!", "i", "a").err(), Some(BadSecret));
        assert_eq!(SecondFactor::from_base32("GEZDGNBV", "i", "a").err(), Some(BadSecret), "too short");
    }
}
