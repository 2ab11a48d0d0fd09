//! The store tests' kit: `gongkai-testkit`'s stores on both backends.

#![allow(unused_imports)]

pub use gongkai_testkit::stores::*;
