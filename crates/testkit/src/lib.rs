//! The test kit, for the tests of every crate (a dev-dependency only):
//!
//! - [`stores`]: a fresh store on SQLite always and on PostgreSQL when
//!   `GONGKAI_TEST_PG_URL` names a server (CI sets it), so each store test runs on both;
//! - [`seed`]: the seed org tree (two district governments and an office) with staff of
//!   each role, all with [`seed::PASSWORD`];
//! - [`requests`]: a request to file, to change with struct update syntax;
//! - [`app`]: the real server on 127.0.0.1:0 against a fresh SQLite file, seeded, with one
//!   method per endpoint the tests use.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

pub mod app;
pub mod lists;
pub mod pdf;
pub mod requests;
pub mod seed;
pub mod stores;
