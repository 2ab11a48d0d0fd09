//! The web tests' kit: `gongkai-testkit`'s server and seed.

#![allow(unused_imports)]

pub use gongkai_testkit::app::*;
pub use gongkai_testkit::seed::*;
