//! The values the store hands out: batch reports, document records, listings
//! and statistics. All serialize to the JSON the CLI prints with `--json`, so
//! their field names are part of Marsad's interface.

use marsad_ingest::RemovalReason;
use serde::Serialize;

/// What one [`crate::Store::ingest_batch`] did with each input document. Every
/// input document lands in exactly one list, judged against the store as it
/// stood when that document was reached (earlier documents of the same batch
/// included).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BatchReport {
    /// New ids, stored and indexed.
    pub added: Vec<String>,
    /// Known ids whose content changed: the old version is gone.
    pub replaced: Vec<String>,
    /// Known ids with the same content: nothing was written.
    pub unchanged: Vec<String>,
    /// New ids whose content exactly equals a stored document's:
    /// `(id, duplicate_of)`. Recorded, not stored as documents, not indexed.
    pub duplicates: Vec<(String, String)>,
}

impl BatchReport {
    /// Number of input documents the report accounts for.
    pub fn len(&self) -> usize {
        self.added.len() + self.replaced.len() + self.unchanged.len() + self.duplicates.len()
    }

    /// True when the batch was empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One stored document with everything known about it.
///
/// `raw` (the original file or item) and `body` (the extracted text before
/// cleaning) are available as fields but left out of the JSON, which would
/// otherwise carry every document three times.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentRecord {
    /// The document's id (from the input, or derived from its origin).
    pub id: String,
    /// The title as ingested; `null` when the document had none.
    pub title: Option<String>,
    /// `title`, or a title derived from the first sentence; never empty.
    pub display_title: String,
    /// The outlet, when the input names one.
    pub source: Option<String>,
    /// The author, when the input names one.
    pub author: Option<String>,
    /// ISO 8601 date (or date-time) as ingested.
    pub date: Option<String>,
    /// Where the article was published, when known.
    pub url: Option<String>,
    /// Path (or `path#N`, or `stdin`) it was read from.
    pub origin: String,
    /// Input format name (`text`, `html`, `json`, `jsonl`, `feed`).
    pub format: String,
    /// What decoding had to guess or repair, if anything.
    pub encoding_note: Option<String>,
    /// Hash of title and cleaned text: equal content, equal hash.
    pub content_hash: String,
    /// When this version was stored (RFC 3339, UTC).
    pub ingested_at: String,
    /// Batch generation that stored this version.
    pub generation: i64,
    /// The cleaned text: what is indexed and searched.
    pub text: String,
    /// What cleaning removed, in order.
    pub removed: Vec<RemovedPassage>,
    /// Ids that were recorded as exact duplicates of this document.
    pub duplicates: Vec<String>,
    /// The text as read, before cleaning (one paragraph a line).
    #[serde(skip)]
    pub body: String,
    /// The input exactly as it was read.
    #[serde(skip)]
    pub raw: String,
}

/// One passage cleaning removed from a document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RemovedPassage {
    /// Human-readable reason ([`RemovalReason::describe`]).
    pub reason: String,
    /// Machine-readable reason: serializes flattened as `"kind": "…"` plus
    /// any detail (`"of"` for repeated paragraphs).
    #[serde(flatten)]
    pub kind: RemovalReason,
    /// The passage removed.
    pub text: String,
    /// Byte span of the passage in the document's body.
    pub start: usize,
    /// End of the passage in `body` (byte offset).
    pub end: usize,
}

/// A line of a document listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentSummary {
    /// Document id.
    pub id: String,
    /// The title as the input gave it.
    pub title: Option<String>,
    /// The title to show (the input's, or the text's first words).
    pub display_title: String,
    /// The outlet.
    pub source: Option<String>,
    /// Publication date (ISO), when known.
    pub date: Option<String>,
}

/// Paging for [`crate::Store::list_documents`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListOptions {
    /// Documents to skip.
    pub offset: usize,
    /// Documents to return at most.
    pub limit: usize,
}

impl Default for ListOptions {
    fn default() -> Self {
        ListOptions { offset: 0, limit: 50 }
    }
}

/// One page of documents, newest first (undated last), and how many exist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentPage {
    /// Documents in the store.
    pub total: usize,
    /// This page, newest first.
    pub documents: Vec<DocumentSummary>,
}

/// What a store holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Documents stored.
    pub documents: usize,
    /// Exact duplicates recorded (not stored as documents).
    pub duplicates: usize,
    /// Documents per outlet, most first; `source: null` for unknown.
    pub sources: Vec<SourceCount>,
    /// Earliest publication date; `null` when nothing is dated.
    pub date_from: Option<String>,
    /// Latest publication date; `null` when nothing is dated.
    pub date_to: Option<String>,
    /// Removed passages per reason, most first.
    pub removals: Vec<ReasonCount>,
    /// Total bytes of cleaned text.
    pub text_bytes: u64,
    /// Bytes on disk of the search index.
    pub index_bytes: u64,
    /// Bytes on disk of the whole store directory (database and index).
    pub store_bytes: u64,
    /// Database schema version.
    pub schema_version: u32,
    /// Ingest batches committed so far.
    pub batches: usize,
}

/// Documents of one outlet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceCount {
    /// The outlet; `null` for documents without one.
    pub name: Option<String>,
    /// Its documents.
    pub documents: usize,
}

/// How many passages cleaning removed for one reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReasonCount {
    /// The reason, as described to readers.
    pub reason: String,
    /// Passages removed for it.
    pub count: usize,
}
