//! The Marsad store: where ingested documents live and how they are found.
//!
//! A store is one directory holding a SQLite database — the source of truth
//! for documents, what cleaning removed from them, exact duplicates, and
//! ingest batches — and a tantivy index derived from it for ranked Arabic
//! search. The split is deliberate: SQLite gives transactional, inspectable
//! records; tantivy gives BM25 ranking, phrase matching and snippets; and
//! because the index can always be rebuilt from the database, a crash between
//! the two is repaired on the next open rather than corrupting anything (see
//! [`Store`]).
//!
//! All text analysis — at indexing, at query time and for highlighting — is
//! [`marsad_text::analyze::analyze`], registered as a tantivy tokenizer
//! ([`tokenizer`]), so a query written with diacritics, another alef, Arabic
//! digits or an attached clitic finds the plain forms.
//!
//! The CLI and a future HTTP server stay thin: [`pipeline`] turns paths or a
//! reader into committed batches with progress, [`Store::search`] parses and
//! runs queries ([`query`] is the language), and [`Store::document`],
//! [`Store::stats`] and [`Store::list_documents`] serve the rest.

mod entity_view;
pub mod error;
pub mod facets;
mod graph_view;
pub mod index;
pub mod migrations;
pub mod pipeline;
pub mod query;
pub mod records;
pub mod responses;
pub mod reuse;
pub mod search;
pub mod store;
pub mod stories;
mod timeline_view;
pub mod title;
pub mod tokenizer;
pub mod views;

pub use error::StoreError;
pub use facets::{EntityFacet, FacetCount, SearchFacets};
pub use marsad_extract;
pub use marsad_reuse;
pub use marsad_stories;
pub use pipeline::{ingest_paths, ingest_reader, IngestFailure, IngestOptions, IngestProgress, IngestSummary};
pub use query::{parse as parse_query, Clause, ParsedQuery, QueryError};
pub use records::{
    BatchReport, DocumentPage, DocumentRecord, DocumentSummary, ListOptions, ReasonCount, RemovedPassage, SourceCount,
    Stats,
};
pub use responses::{DocumentWithAnalysis, Timeline};
pub use reuse::{DuplicateList, OccurrenceContext, ReuseFilter, ReuseGroupRecord, ReuseList, GROUP_MIN_WORDS};
pub use search::{Hit, SearchOptions, SearchResults};
pub use store::Store;
pub use stories::{ListedStory, StoryDetail, StoryList, StoryRecord, SummaryScope, SummaryView, SUMMARY_MAX_DOCS};
pub use views::{
    AnalyzedDocument, CountStep, EntityDocument, EntityFilter, EntityList, EntityLookup, EntityProfile, EntityRecord,
    GraphOptions, ListedEntity, Neighbour, PeriodCount, ProfileTotals, QuoteFilter, QuoteList, QuoteRecord, SpeakerRef,
    TimelineFilter, ViewSummary, ANALYSIS_VERSION,
};

#[cfg(test)]
mod tests;
