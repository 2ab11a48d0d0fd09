//! Secrets: password hashes (argon2id, or PBKDF2-HMAC-SM3 under 国密; PHC strings) and the random bearer secrets behind API
//! tokens and web sessions, of which only a SHA-256 is stored, so a copy of the database
//! lets nobody log in.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use gongkai_core::Password;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

use crate::StoreError;

/// How new password hashes are made: argon2id (the default), or PBKDF2 with HMAC-SM3 where
/// a deployment must use 国密 algorithms (`guomi = true`). Stored hashes of either kind are
/// verified whatever the setting, so switching needs no migration: each password takes the
/// new kind when it is next set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PasswordScheme {
    #[default]
    Argon2id,
    Pbkdf2Sm3,
}

/// Rounds of PBKDF2-HMAC-SM3 (two SM3 compressions each; about as slow as argon2id's default
/// here). Stored in each hash, so it can grow later.
pub const PBKDF2_SM3_ROUNDS: u32 = 210_000;

const PBKDF2_SM3_ID: &str = "$pbkdf2-sm3$";

/// Hashes a password with argon2id and a random salt. CPU-heavy (tens of milliseconds):
/// call it off the async executor.
pub fn hash_password(password: &Password) -> Result<String, StoreError> {
    hash_password_as(password, PasswordScheme::Argon2id)
}

/// Hashes a password with `scheme` and a random salt, as a PHC-style string
/// (`$argon2id$…`, `$pbkdf2-sm3$i=210000$SALT$HASH`). CPU-heavy: call it off the executor.
pub fn hash_password_as(password: &Password, scheme: PasswordScheme) -> Result<String, StoreError> {
    match scheme {
        PasswordScheme::Argon2id => Argon2::default()
            .hash_password(password.expose().as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Other(format!("密码哈希失败：{e}").into())),
        PasswordScheme::Pbkdf2Sm3 => {
            let mut salt = [0u8; 16];
            getrandom::fill(&mut salt).map_err(|e| StoreError::Other(format!("随机数：{e}").into()))?;
            let key = pbkdf2_sm3(password.expose().as_bytes(), &salt, PBKDF2_SM3_ROUNDS);
            Ok(format!(
                "{PBKDF2_SM3_ID}i={PBKDF2_SM3_ROUNDS}${}${}",
                STANDARD_NO_PAD.encode(salt),
                STANDARD_NO_PAD.encode(key)
            ))
        }
    }
}

fn pbkdf2_sm3(password: &[u8], salt: &[u8], rounds: u32) -> [u8; 32] {
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sm3::Sm3>(password, salt, rounds, &mut key);
    key
}

/// Checks a password against a stored hash of either scheme. False for a malformed hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    match hash.strip_prefix(PBKDF2_SM3_ID) {
        Some(rest) => verify_pbkdf2_sm3(password, rest),
        None => Argon2::default().verify_password(password.as_bytes(), hash).is_ok(),
    }
}

fn verify_pbkdf2_sm3(password: &str, rest: &str) -> bool {
    let mut parts = rest.split('$');
    let (Some(rounds), Some(salt), Some(key), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let Some(rounds) =
        rounds.strip_prefix("i=").and_then(|r| r.parse::<u32>().ok()).filter(|r| (1..=10_000_000).contains(r))
    else {
        return false;
    };
    let (Ok(salt), Ok(key)) = (STANDARD_NO_PAD.decode(salt), STANDARD_NO_PAD.decode(key)) else { return false };
    let derived = pbkdf2_sm3(password.as_bytes(), &salt, rounds);
    key.len() == derived.len() && key.iter().zip(derived).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// A valid hash of nothing anyone knows, verified against when a user name is unknown so
/// that the answer takes as long as for a known one (no user enumeration by timing).
pub static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let random = new_secret("x");
    Password::parse(&format!("{random}-1")).ok().and_then(|p| hash_password(&p).ok()).unwrap_or_default()
});

/// A new random secret: `prefix_` and 32 random bytes in URL-safe base64.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    // getrandom only fails when the OS has no entropy source at all; a panic is right there.
    getrandom::fill(&mut bytes).expect("operating system random source");
    format!("{prefix}_{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored for a secret: its SHA-256 in hex.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip_and_wrong_password() {
        let p = Password::parse("gongkai2026!").expect("valid");
        let h = hash_password(&p).expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("gongkai2026!", &h));
        assert!(!verify_password("gongkai2027!", &h));
        assert!(!verify_password("gongkai2026!", "not a hash"));
    }

    #[test]
    fn sm3_password_hashes_round_trip_beside_argon2() {
        let p = Password::parse("gongkai2026!").expect("valid");
        let h = hash_password_as(&p, PasswordScheme::Pbkdf2Sm3).expect("hash");
        assert!(h.starts_with("$pbkdf2-sm3$i=210000$"), "{h}");
        assert_ne!(h, hash_password_as(&p, PasswordScheme::Pbkdf2Sm3).expect("hash"), "salted");
        assert!(verify_password("gongkai2026!", &h));
        assert!(!verify_password("gongkai2027!", &h));
        assert!(!verify_password("gongkai2026!", "$pbkdf2-sm3$i=0$AAAA$AAAA"));
        assert!(!verify_password("gongkai2026!", "$pbkdf2-sm3$i=5$x"));
        // Known values, from OpenSSL's SM3 (Python: hashlib.pbkdf2_hmac("sm3", …, 32)).
        assert_eq!(
            hex::encode(pbkdf2_sm3(b"password", b"salt", 1)),
            "4612f922a1fdcefaf4312fc6f8f3322b489cbf24f2ea361b44c2bd8fa2c6dcb0"
        );
        assert_eq!(
            hex::encode(pbkdf2_sm3(b"password", b"salt", 1000)),
            "e8b635a41dfe5aaab7cf828cff6f3608e22cac59ba16edd70e000b293d00bc91"
        );
    }

    #[test]
    fn secrets_are_random_and_hashed() {
        let a = new_secret("gk");
        let b = new_secret("gk");
        assert_ne!(a, b);
        assert!(a.starts_with("gk_"));
        assert_eq!(a.len(), 3 + 43);
        assert_eq!(secret_hash(&a).len(), 64);
        assert_eq!(secret_hash(&a), secret_hash(&a));
    }
}
