//! Per-document analyses: what the extractors say about one document,
//! written in the same transaction as the document itself.
//!
//! The per-document tables (`analyses`, `doc_entities`, `doc_quotes`,
//! `doc_events`, `doc_relations`) hold document-local indexes (local entity
//! 3 of document X), never corpus ids, so writing them needs nothing but
//! the document: a document is never stored without its analysis, and
//! replacing a document replaces its analysis. Writing one marks the
//! document in `view_pending` for the next refresh.

use std::borrow::Borrow;
use std::panic::{catch_unwind, AssertUnwindSafe};

use marsad_extract::{DocumentAnalysis, DocumentInput, SpeakerKind};
use marsad_ingest::CleanDocument;
use marsad_store::tables::analyses::{self, AnalysisRows, EntityRow, QuoteRow, RelationRow};
use marsad_store::StoreError;
use rusqlite::Connection;

use crate::rows::{decode, encode};
use crate::Engine;

/// Version of the analysis written with each document. Bump when the
/// extractors change what they produce; `marsad reanalyze` brings older
/// documents up to date.
pub const ANALYSIS_VERSION: i64 = 1;

/// A cleaned document with its analysis, as the ingest pipeline hands it to
/// the store.
#[derive(Clone, Debug)]
pub struct AnalyzedDocument {
    /// The document as cleaning left it.
    pub clean: CleanDocument,
    /// What the extractors found in it.
    pub analysis: DocumentAnalysis,
}

impl AnalyzedDocument {
    /// Analyzes `clean`. A panic in an extractor costs the analysis, never
    /// the document: it is stored with an empty analysis.
    pub fn new(clean: CleanDocument) -> AnalyzedDocument {
        let analysis = analyze(&clean);
        AnalyzedDocument { clean, analysis }
    }
}

impl Borrow<CleanDocument> for AnalyzedDocument {
    fn borrow(&self) -> &CleanDocument {
        &self.clean
    }
}

/// Runs the extractors on a cleaned document.
pub fn analyze(doc: &CleanDocument) -> DocumentAnalysis {
    analyze_guarded(&DocumentInput {
        text: &doc.text,
        title: doc.source.title.as_deref(),
        date: doc.source.date.as_deref(),
    })
}

/// The extractors, a panic in them costing the analysis only.
fn analyze_guarded(input: &DocumentInput<'_>) -> DocumentAnalysis {
    catch_unwind(AssertUnwindSafe(|| marsad_extract::analyze_document(input))).unwrap_or_default()
}

/// Removes a deleted document's analysis inside the caller's transaction
/// and marks it for the views, which take back what it gave.
pub(crate) fn delete_analysis(db: &Connection, id: &str) -> Result<(), StoreError> {
    analyses::delete(db, id)
}

/// Writes one document's analysis (replacing any previous one) inside the
/// caller's transaction.
pub(crate) fn write_analysis(
    db: &Connection,
    id: &str,
    date: Option<&str>,
    text: &str,
    analysis: &DocumentAnalysis,
) -> Result<(), StoreError> {
    analyses::write(db, id, date, &rows_of(analysis, text)?)
}

/// The rows of an analysis: the whole of it encoded (sentences left out:
/// recomputed on load, cheap, and a third of the JSON), and per entity,
/// quote, event and relation what the views read.
fn rows_of<'a>(analysis: &'a DocumentAnalysis, text: &'a str) -> Result<AnalysisRows<'a>, StoreError> {
    let stored = DocumentAnalysis { sentences: Vec::new(), ..analysis.clone() };
    let mut sentences_of: Vec<Vec<usize>> = vec![Vec::new(); analysis.entities.len()];
    for m in &analysis.mentions {
        if let Some(s) = sentences_of.get_mut(m.entity) {
            if s.last() != Some(&m.sentence) {
                s.push(m.sentence);
            }
        }
    }
    let entities = analysis
        .entities
        .iter()
        .enumerate()
        .map(|(local, e)| {
            Ok(EntityRow {
                local,
                entity_type: e.entity_type.as_str(),
                name: &e.name,
                variants_json: encode(&e.variants)?,
                roles_json: encode(&e.roles)?,
                mentions: e.mentions,
                sentences_json: encode(&sentences_of[local])?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let quotes = analysis
        .quotes
        .iter()
        .map(|q| QuoteRow {
            speaker_local: q.speaker,
            speaker_text: &q.speaker_text,
            speaker_key: marsad_text::normalize_key(&q.speaker_text),
            speaker_kind: speaker_kind_str(q.speaker_kind),
            text: &q.text,
            direct: q.direct,
            verb: q.verb.as_deref(),
            continuation: q.continuation,
            sentence: analysis.sentences.get(q.sentence).and_then(|r| text.get(r.clone())).unwrap_or("").trim(),
            start: q.span.start,
            end: q.span.end,
        })
        .collect();
    Ok(AnalysisRows {
        version: ANALYSIS_VERSION,
        json: encode(&stored)?,
        entities,
        quotes,
        events_json: analysis.events.iter().map(encode).collect::<Result<_, _>>()?,
        relations: analysis
            .relations
            .iter()
            .map(|r| RelationRow { source: r.source, target: r.target, kind: r.kind.as_str() })
            .collect(),
    })
}

fn speaker_kind_str(kind: SpeakerKind) -> &'static str {
    match kind {
        SpeakerKind::Person => "person",
        SpeakerKind::Organization => "organization",
        SpeakerKind::Group => "group",
        SpeakerKind::Description => "description",
        SpeakerKind::Unknown => "unknown",
    }
}

impl Engine {
    /// The stored analysis of a document (sentences recomputed from its
    /// text), if it has one.
    pub fn analysis(&self, id: &str) -> Result<Option<DocumentAnalysis>, StoreError> {
        let Some((json, text)) = analyses::read(self.db(), id)? else {
            return Ok(None);
        };
        let mut analysis: DocumentAnalysis = decode(&json, "analysis")?;
        analysis.sentences = marsad_text::split_sentences(&text);
        Ok(Some(analysis))
    }

    /// Documents whose analysis is missing or older than this build's.
    pub fn stale_analyses(&self) -> Result<usize, StoreError> {
        analyses::stale(self.db(), ANALYSIS_VERSION)
    }

    /// Re-runs the extractors on stored documents (`all`, or only those
    /// whose analysis is missing or outdated), then refreshes the views.
    /// `progress` gets (done, total). Returns the documents analyzed.
    pub fn reanalyze(&mut self, all: bool, mut progress: impl FnMut(usize, usize)) -> Result<usize, StoreError> {
        self.store.lock_writer()?;
        let ids = analyses::to_redo(self.db(), ANALYSIS_VERSION, all)?;
        let total = ids.len();
        for (n, chunk) in ids.chunks(500).enumerate() {
            let mut loaded = Vec::with_capacity(chunk.len());
            for id in chunk {
                if let Some(input) = analyses::input_of(self.db(), id)? {
                    loaded.push((id.clone(), input.text, input.title, input.date));
                }
            }
            let analyses = analyze_parallel(&loaded);
            let tx = self.db_mut().transaction()?;
            for ((id, text, _, date), analysis) in loaded.iter().zip(&analyses) {
                write_analysis(&tx, id, date.as_deref(), text, analysis)?;
            }
            tx.commit()?;
            progress((n * 500 + chunk.len()).min(total), total);
        }
        self.db().execute("DELETE FROM view_state", [])?;
        self.refresh_views()?;
        Ok(total)
    }
}

/// Analyzes stored documents (id, text, title, date) on the worker threads.
fn analyze_parallel(docs: &[(String, String, Option<String>, Option<String>)]) -> Vec<DocumentAnalysis> {
    crate::workers::map(docs, 1, |(_, text, title, date)| {
        analyze_guarded(&DocumentInput { text, title: title.as_deref(), date: date.as_deref() })
    })
}
