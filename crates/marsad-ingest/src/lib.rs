//! Ingest: reading files into [`SourceDocument`]s and cleaning them into
//! [`CleanDocument`]s.
//!
//! Marsad reads what newsrooms and scrapers actually produce: plain-text
//! saves, whole HTML pages, JSON and JSON Lines dumps, RSS and Atom feeds —
//! in UTF-8 or in legacy Arabic encodings, sometimes broken, sometimes
//! hundreds of megabytes. This crate turns all of that into one shape, and
//! nothing else: it does no analysis and never touches the store.
//!
//! The pipeline has three steps, each usable on its own:
//!
//! 1. [`discover`] expands the paths a user gave (files and folders) into the
//!    files to read, listing what it skips and why.
//! 2. [`read_file`] / [`read_reader`] read one file or stream and call a sink
//!    once per [`SourceDocument`] found or per [`IngestError`]: one bad item
//!    never stops the rest, and large files are streamed (see [`read`]).
//! 3. [`clean()`] removes boilerplate and repeated paragraphs from one
//!    document, recording each removal with its reason and byte span (see
//!    [`clean`](mod@clean)).
//!
//! ```no_run
//! use std::path::PathBuf;
//! use marsad_ingest::{clean, discover, read_file};
//!
//! let found = discover(&[PathBuf::from("corpus/")]);
//! for skipped in &found.skipped {
//!     eprintln!("{skipped}");
//! }
//! for path in &found.files {
//!     read_file(path, &mut |result| match result {
//!         Ok(doc) => {
//!             let cleaned = clean(doc);
//!             println!("{} ({} removed)", cleaned.source.id, cleaned.removed.len());
//!         }
//!         Err(e) => eprintln!("{e}"),
//!     });
//! }
//! ```

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod clean;
mod date;
mod decode;
mod discover;
pub mod document;
mod error;
pub mod read;

pub use clean::clean;
pub use date::normalize_date;
pub use discover::{discover, Discovery};
pub use document::{CleanDocument, Format, Removal, RemovalReason, SourceDocument};
pub use error::{ErrorReason, IngestError};
pub use read::{format_for_path, read_file, read_reader, sniff_format, Sink, MAX_DOCUMENT_BYTES};
