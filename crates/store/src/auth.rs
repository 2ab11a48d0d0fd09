//! Secrets: password hashes (argon2id, PHC strings) and the random bearer secrets behind API
//! tokens and web sessions, of which only a SHA-256 is stored, so a copy of the database
//! lets nobody log in.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gongkai_core::Password;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

use crate::StoreError;

/// Hashes a password with argon2id and a random salt. CPU-heavy (tens of milliseconds):
/// call it off the async executor.
pub fn hash_password(password: &Password) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(password.expose().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Other(format!("密码哈希失败：{e}").into()))
}

/// Checks a password against a stored PHC hash. False for a malformed hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
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
