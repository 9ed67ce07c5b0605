//! The Marsad engine: the library API the `marsad` command and the HTTP
//! server stand on.
//!
//! [`marsad_store`] keeps documents, their index and the schema; it knows
//! nothing of what a document says. This crate is everything that does:
//!
//! * **ingest** ([`Engine::ingest`]; [`Engine::ingest_batch`] for documents
//!   already cleaned):
//!   read → clean → analyze on worker threads → one atomic batch per few
//!   hundred documents, the analysis written in the same transaction as its
//!   document (`analysis`), then the corpus views refreshed;
//! * **refresh** (`refresh/`, [`Engine::refresh_views`]): one module per
//!   corpus view — entities, timeline, graph, reuse, stories — each reading
//!   its inputs and writing only its own tables, kept incrementally (a
//!   refresh costs what its new documents touch), orchestrated in one place
//!   (`refresh/mod.rs`);
//! * **query** (`query/`): read-only answers over those tables — entities,
//!   quotes, timeline, graph, reuse, stories and summaries, search facets —
//!   with the request and response types both front ends share
//!   (`requests`, `responses`).
//!
//! The layering is checked by `tests/architecture.rs`:
//! query modules never import refresh modules, refresh modules never import
//! one another, and the store names no crate that understands text.
//!
//! Start with [`Engine`]; then `refresh/mod.rs` for how a refresh runs.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

use std::path::Path;

use marsad_ingest::CleanDocument;
use marsad_store::Store;
use rusqlite::Connection;

mod analysis;
mod ingest;
mod query;
mod refresh;
mod requests;
mod responses;
mod rows;
mod workers;

pub use analysis::{analyze, AnalyzedDocument, ANALYSIS_VERSION};
pub use ingest::{IngestFailure, IngestInput, IngestOptions, IngestProgress, IngestSummary};
pub use marsad_extract;
pub use marsad_reuse;
pub use marsad_store::{
    parse_query, BatchReport, Clause, DocumentPage, DocumentRecord, DocumentSummary, Hit, ListOptions, ParsedQuery,
    QueryError, ReasonCount, RemovedPassage, SearchOptions, SearchResults, SourceCount, Stats, StoreError,
    DATABASE_FILE,
};
pub use marsad_stories;
pub use query::facets::{EntityFacet, FacetCount, SearchFacets};
pub use query::reuse::{DuplicateList, OccurrenceContext, ReuseFilter, ReuseGroupRecord, ReuseList};
pub use query::stories::{ListedStory, StoryDetail, StoryList, StoryRecord, SummaryView, SUMMARY_MAX_DOCS};
pub use requests::{
    CountStep, EntityDocument, EntityFilter, EntityList, EntityLookup, EntityProfile, EntityRecord, GraphOptions, List,
    ListedEntity, Neighbour, PeriodCount, ProfileTotals, QuoteFilter, QuoteList, QuoteRecord, SpeakerRef, SummaryScope,
    Term, TimelineFilter, ViewSummary, Vocabulary,
};
pub use responses::{DocumentWithAnalysis, Timeline};
pub use rows::GROUP_MIN_WORDS;

/// What [`Engine::delete`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Deletion {
    /// Ids deleted, in the order asked.
    pub deleted: Vec<String>,
    /// Ids asked for that no stored document has.
    pub missing: Vec<String>,
}

/// A Marsad data directory with everything Marsad knows about it: the
/// documents and their search index ([`Store`]), the analyses and the
/// corpus views.
pub struct Engine {
    store: Store,
}

impl Engine {
    /// Opens (creating when needed) the data directory `dir`: the store's
    /// migrations and index repair run first (see [`Store::open`]).
    pub fn open(dir: &Path) -> Result<Engine, StoreError> {
        Ok(Engine { store: Store::open(dir)? })
    }

    /// The store underneath: documents, batches and search.
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn db(&self) -> &Connection {
        self.store.db()
    }

    fn db_mut(&mut self) -> &mut Connection {
        self.store.db_mut()
    }

    /// Analyzes, stores and indexes a batch atomically (the document and its
    /// analysis in one transaction), searchable on return. The views are
    /// refreshed by the next [`Engine::refresh_views`].
    pub fn ingest_batch(&mut self, docs: Vec<CleanDocument>) -> Result<BatchReport, StoreError> {
        let docs: Vec<AnalyzedDocument> = docs.into_iter().map(AnalyzedDocument::new).collect();
        let report = self.ingest_analyzed_deferred(docs)?;
        self.store.flush_index()?;
        Ok(report)
    }

    /// Stores documents already analyzed (the ingest pipeline analyzes on
    /// its worker threads), leaving the index commit for later
    /// ([`Store::ingest_deferred_with`]).
    pub(crate) fn ingest_analyzed_deferred(&mut self, docs: Vec<AnalyzedDocument>) -> Result<BatchReport, StoreError> {
        self.store.ingest_deferred_with(&docs, &mut |tx, i| {
            let doc = &docs[i];
            analysis::write_analysis(
                tx,
                &doc.clean.source.id,
                doc.clean.source.date.as_deref(),
                &doc.clean.text,
                &doc.analysis,
            )
        })
    }

    /// Deletes documents by id: the documents, their analyses and what
    /// the corpus views took from them (the views are refreshed before this
    /// returns; reuse and stories are rebuilt when a deleted document was in
    /// them, as for a changed one). Unknown ids are reported, not an error.
    pub fn delete(&mut self, ids: &[String]) -> Result<Deletion, StoreError> {
        let deleted = self.store.delete_documents(ids, &mut analysis::delete_analysis)?;
        let mut missing: Vec<String> = ids.iter().filter(|id| !deleted.contains(id)).cloned().collect();
        missing.dedup();
        if !deleted.is_empty() {
            self.refresh_views()?;
        }
        Ok(Deletion { deleted, missing })
    }

    /// Ranked search ([`Store::search`]).
    pub fn search(&self, query: &str, options: SearchOptions) -> Result<SearchResults, StoreError> {
        self.store.search(query, options)
    }

    /// One document ([`Store::document`]).
    pub fn document(&self, id: &str) -> Result<Option<DocumentRecord>, StoreError> {
        self.store.document(id)
    }

    /// A document's input as it was read ([`Store::raw`]).
    pub fn raw(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.store.raw(id)
    }

    /// A page of documents, newest first ([`Store::list_documents`]).
    pub fn list_documents(&self, options: ListOptions) -> Result<DocumentPage, StoreError> {
        self.store.list_documents(options)
    }

    /// What the store holds ([`Store::stats`]).
    pub fn stats(&self) -> Result<Stats, StoreError> {
        self.store.stats()
    }

    /// Picks up commits other processes made ([`Store::refresh`]).
    pub fn refresh(&self) -> Result<(), StoreError> {
        self.store.refresh()
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        self.store.dir()
    }

    /// Re-creates the search index from the database ([`Store::rebuild_index`]).
    pub fn rebuild_index(&mut self) -> Result<usize, StoreError> {
        self.store.rebuild_index()
    }
}

#[cfg(test)]
mod tests;
