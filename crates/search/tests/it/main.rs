//! The search crate's integration tests, in one binary: one link instead of one per file.

mod ranking;
mod rows;
mod search;
