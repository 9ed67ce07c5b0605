//! Ingest: reading files into [`SourceDocument`]s and cleaning them into
//! [`CleanDocument`]s.

pub mod document;

pub use document::{CleanDocument, Format, Removal, RemovalReason, SourceDocument};
