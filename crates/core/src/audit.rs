//! The audit trail's hash chain. Each row stores the hash of the row before it and its own
//! hash over its content and that previous hash, so changing, removing or reordering any
//! stored row breaks every hash after it. The store writes rows; this module decides what
//! a row's hash is and whether a sequence of rows is intact.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audited action: who did what to which object, when, from where, with before/after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When it happened (UTC).
    pub at: DateTime<Utc>,
    /// The acting user's name, or `system` / `cli` for actions without a logged-in user.
    pub actor: String,
    /// What was done, as `area.verb` (`org.create`, `user.set_password`, `token.revoke`).
    pub action: String,
    /// The kind of object acted on (`org`, `user`, `token`).
    pub object_kind: String,
    /// The object's id or code.
    pub object_id: String,
    /// Where from: the staff member's address, or `cli`.
    pub origin: String,
    /// A summary of the object before the change (JSON), empty for creations.
    pub before: String,
    /// A summary after the change (JSON), empty for deletions.
    pub after: String,
}

impl AuditEvent {
    /// The hash of this event chained to `prev_hash`: SHA-256 over the fields, each
    /// length-prefixed so no two different rows can serialise alike.
    pub fn chain_hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let at = self.at.to_rfc3339_opts(SecondsFormat::Micros, true);
        let seq = self.seq.to_string();
        for part in [
            prev_hash,
            &seq,
            &at,
            &self.actor,
            &self.action,
            &self.object_kind,
            &self.object_id,
            &self.origin,
            &self.before,
            &self.after,
        ] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// Where a stored chain stops being intact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The row's `seq` is not one more than the previous row's (a row removed or inserted).
    Gap { expected: i64, found: i64 },
    /// The row's stored `prev_hash` is not the previous row's hash.
    PrevMismatch { seq: i64 },
    /// The row's stored hash does not match its content.
    HashMismatch { seq: i64 },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Gap { expected, found } => {
                write!(f, "第 {expected} 条记录缺失（下一条为第 {found} 条）")
            }
            Self::PrevMismatch { seq } => write!(f, "第 {seq} 条记录的前序哈希与上一条不符"),
            Self::HashMismatch { seq } => {
                write!(f, "第 {seq} 条记录的内容与其哈希不符（已被改动）")
            }
        }
    }
}

/// Incremental verification of a chain read in `seq` order, so the store can stream rows.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self { expected_seq: 1, prev_hash: GENESIS_HASH.to_string() }
    }
}

impl ChainVerifier {
    /// Checks the next stored row (`event` with its stored `prev_hash` and `hash`).
    pub fn check(&mut self, event: &AuditEvent, prev_hash: &str, hash: &str) -> Result<(), ChainBreak> {
        if event.seq != self.expected_seq {
            return Err(ChainBreak::Gap { expected: self.expected_seq, found: event.seq });
        }
        if prev_hash != self.prev_hash {
            return Err(ChainBreak::PrevMismatch { seq: event.seq });
        }
        if event.chain_hash(prev_hash) != hash {
            return Err(ChainBreak::HashMismatch { seq: event.seq });
        }
        self.expected_seq += 1;
        self.prev_hash = hash.to_string();
        Ok(())
    }

    /// How many rows have been verified.
    pub fn verified(&self) -> i64 {
        self.expected_seq - 1
    }

    /// The hash of the last verified row (the chain head).
    pub fn head(&self) -> &str {
        &self.prev_hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn event(seq: i64, action: &str) -> AuditEvent {
        AuditEvent {
            seq,
            at: Utc.with_ymd_and_hms(2026, 11, 21, 8, 0, 0).single().expect("valid time"),
            actor: "admin".into(),
            action: action.into(),
            object_kind: "org".into(),
            object_id: "11500114009130039C".into(),
            origin: "cli".into(),
            before: String::new(),
            after: r#"{"name":"重庆市黔江区人民政府"}"#.into(),
        }
    }

    fn chain(n: i64) -> Vec<(AuditEvent, String, String)> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let e = event(seq, "org.create");
                let h = e.chain_hash(&prev);
                let row = (e, prev.clone(), h.clone());
                prev = h;
                row
            })
            .collect()
    }

    #[test]
    fn intact_chain_verifies() {
        let mut v = ChainVerifier::default();
        for (e, p, h) in chain(5) {
            assert_eq!(v.check(&e, &p, &h), Ok(()));
        }
        assert_eq!(v.verified(), 5);
    }

    #[test]
    fn edited_row_is_detected() {
        let mut rows = chain(3);
        rows[1].0.after = r#"{"name":"改过的名字"}"#.into();
        let mut v = ChainVerifier::default();
        assert_eq!(v.check(&rows[0].0, &rows[0].1, &rows[0].2), Ok(()));
        assert_eq!(v.check(&rows[1].0, &rows[1].1, &rows[1].2), Err(ChainBreak::HashMismatch { seq: 2 }));
    }

    #[test]
    fn removed_row_is_detected() {
        let rows = chain(3);
        let mut v = ChainVerifier::default();
        assert_eq!(v.check(&rows[0].0, &rows[0].1, &rows[0].2), Ok(()));
        assert_eq!(v.check(&rows[2].0, &rows[2].1, &rows[2].2), Err(ChainBreak::Gap { expected: 2, found: 3 }));
    }

    #[test]
    fn rehashed_row_breaks_the_next_link() {
        let mut rows = chain(3);
        rows[1].0.actor = "mallory".into();
        rows[1].2 = rows[1].0.chain_hash(&rows[1].1);
        let mut v = ChainVerifier::default();
        for r in &rows[..2] {
            assert_eq!(v.check(&r.0, &r.1, &r.2), Ok(()));
        }
        assert_eq!(v.check(&rows[2].0, &rows[2].1, &rows[2].2), Err(ChainBreak::PrevMismatch { seq: 3 }));
    }

    #[test]
    fn field_boundaries_matter() {
        let mut a = event(1, "org.create");
        let mut b = event(1, "org.create");
        a.actor = "ab".into();
        a.action = "c".into();
        b.actor = "a".into();
        b.action = "bc".into();
        assert_ne!(a.chain_hash(GENESIS_HASH), b.chain_hash(GENESIS_HASH));
    }
}
