//! What the public follows a filing with (a request, a letter): a tracking number and a
//! query code, both random, and the text they typed, trimmed and bounded.

use chrono::NaiveDate;

/// Query codes avoid characters people confuse (0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    // The OS random source failing is not recoverable.
    getrandom::fill(&mut b).expect("operating system random source");
    b
}

/// A new query code: 8 characters of [`CODE_ALPHABET`].
pub(crate) fn new_query_code() -> String {
    random_bytes::<8>().iter().map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char).collect()
}

/// A new tracking number: the prefix, the day as `YYYYMMDD`, and 8 random digits.
pub(crate) fn new_tracking_no(prefix: &str, day: NaiveDate) -> String {
    let n = u64::from_le_bytes(random_bytes::<8>()) % 100_000_000;
    format!("{prefix}{}{:08}", day.format("%Y%m%d"), n)
}

/// Typed text trimmed, without control characters (but newlines), at most `max` characters.
pub(crate) fn clean(s: &str, max: usize) -> String {
    s.trim().chars().filter(|c| !c.is_control() || *c == '\n').take(max).collect()
}

/// True when `given` (as typed: spaces and case do not matter) is the stored query code,
/// compared in constant time.
pub(crate) fn same_code(stored: &str, given: &str) -> bool {
    let given = given.trim().to_ascii_uppercase();
    let (a, b) = (stored.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
