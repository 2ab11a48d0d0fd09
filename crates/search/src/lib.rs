//! Search: Chinese full-text over everything public, in a tantivy index that follows the
//! store's outbox. Words come from jieba (ranking) and character bigrams (recall), both on
//! folded text (`analysis`). One writer, held behind a mutex by whoever indexes; readers are
//! cheap. The last outbox row applied is the commit's payload, so a node that was down
//! catches up from where it stopped, and an index that cannot be opened is rebuilt.
#![forbid(unsafe_code)]

pub mod analysis;
pub mod facets;
mod index;
mod query;
mod rows;

pub use index::EXACT_UP_TO;
pub use index::{SearchError, SearchIndex, generation};
pub use query::{Facets, Hit, NOTHING_FOUND, NamedOrg, SearchRequest, SearchResults, Sort};
pub use rows::{RowRequest, RowResults};
