//! The Marsad store: where ingested documents live and how they are found.
//!
//! A store is one directory holding a SQLite database — the source of truth
//! for documents, what cleaning removed from them, exact duplicates, ingest
//! batches and the tables the engine derives from them — and a tantivy
//! index derived from it for ranked Arabic search. The split is deliberate:
//! SQLite gives transactional, inspectable records; tantivy gives BM25
//! ranking, phrase matching and snippets; and because the index can always
//! be rebuilt from the database, a crash between the two is repaired on the
//! next open rather than corrupting anything (see [`Store`]).
//!
//! All text analysis — at indexing, at query time and for highlighting — is
//! [`marsad_text::analyze::analyze`], registered as a tantivy tokenizer
//! ([`register_tokenizer`]), so a query written with diacritics, another
//! alef, Arabic digits or an attached clitic finds the plain forms.
//!
//! This crate is persistence only: it knows documents, batches, the schema
//! and the index, and nothing of how a document is understood. Analyses,
//! corpus views and their queries belong to `marsad-engine`, which writes
//! its rows beside each document through [`Store::ingest_deferred_with`]
//! and reads them through [`Store::db`]; the schema of every table lives
//! here, in [`migrations`], so one place says what a store holds.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod error;
mod index;
pub mod migrations;
mod query;
mod records;
mod search;
mod store;
pub mod tables;
mod title;
mod tokenizer;

pub use error::StoreError;
pub use query::{parse as parse_query, Clause, ParsedQuery, QueryError};
pub use records::{
    BatchReport, DocumentPage, DocumentRecord, DocumentSummary, ListOptions, ReasonCount, RemovedPassage, SourceCount,
    Stats,
};
pub use search::{Hit, SearchOptions, SearchResults};
pub use store::{document_summary, DocumentRows, FailPoint, Store, DATABASE_FILE, DOCUMENT_SUMMARY_COLUMNS, INDEX_DIR};
pub use title::display_title;
pub use tokenizer::register as register_tokenizer;

#[cfg(test)]
mod tests;
