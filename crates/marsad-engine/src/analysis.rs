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
use marsad_store::StoreError;
use rusqlite::{params, Connection, OptionalExtension};

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
    for table in ["analyses", "doc_entities", "doc_quotes", "doc_events", "doc_relations"] {
        db.prepare_cached(&format!("DELETE FROM {table} WHERE doc_id = ?1"))?.execute([id])?;
    }
    db.prepare_cached("INSERT OR IGNORE INTO view_pending (doc_id) VALUES (?1)")?.execute([id])?;
    Ok(())
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
    for table in ["analyses", "doc_entities", "doc_quotes", "doc_events", "doc_relations"] {
        db.prepare_cached(&format!("DELETE FROM {table} WHERE doc_id = ?1"))?.execute([id])?;
    }
    // The views take it in at their next refresh.
    db.prepare_cached("INSERT OR IGNORE INTO view_pending (doc_id) VALUES (?1)")?.execute([id])?;
    // Sentences are recomputed on load (cheap, and a third of the JSON).
    let stored = DocumentAnalysis { sentences: Vec::new(), ..analysis.clone() };
    let json = encode(&stored)?;
    db.prepare_cached("INSERT INTO analyses (doc_id, version, json) VALUES (?1, ?2, ?3)")?.execute(params![
        id,
        ANALYSIS_VERSION,
        json
    ])?;

    let mut sentences_of: Vec<Vec<usize>> = vec![Vec::new(); analysis.entities.len()];
    for m in &analysis.mentions {
        if let Some(s) = sentences_of.get_mut(m.entity) {
            if s.last() != Some(&m.sentence) {
                s.push(m.sentence);
            }
        }
    }
    {
        let mut add = db.prepare_cached(
            "INSERT INTO doc_entities (doc_id, local, type, name, variants, roles, mentions, sentences)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (local, e) in analysis.entities.iter().enumerate() {
            add.execute(params![
                id,
                local as i64,
                e.entity_type.as_str(),
                e.name,
                encode(&e.variants)?,
                encode(&e.roles)?,
                e.mentions as i64,
                encode(&sentences_of[local])?,
            ])?;
        }
    }
    {
        let mut add = db.prepare_cached(
            r#"INSERT INTO doc_quotes (doc_id, seq, speaker_local, speaker_text, speaker_key, speaker_kind,
                   text, direct, verb, continuation, sentence, "start", "end", doc_date)
               VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"#,
        )?;
        for (seq, q) in analysis.quotes.iter().enumerate() {
            let sentence = analysis.sentences.get(q.sentence).and_then(|r| text.get(r.clone())).unwrap_or("").trim();
            add.execute(params![
                id,
                seq as i64,
                q.speaker.map(|s| s as i64),
                q.speaker_text,
                marsad_text::normalize_key(&q.speaker_text),
                speaker_kind_str(q.speaker_kind),
                q.text,
                q.direct,
                q.verb,
                q.continuation,
                sentence,
                q.span.start as i64,
                q.span.end as i64,
                date,
            ])?;
        }
    }
    {
        let mut add = db.prepare_cached("INSERT INTO doc_events (doc_id, seq, json) VALUES (?1, ?2, ?3)")?;
        for (seq, e) in analysis.events.iter().enumerate() {
            add.execute(params![id, seq as i64, encode(e)?])?;
        }
    }
    {
        let mut add =
            db.prepare_cached("INSERT INTO doc_relations (doc_id, source, target, kind) VALUES (?1, ?2, ?3, ?4)")?;
        for r in &analysis.relations {
            add.execute(params![id, r.source as i64, r.target as i64, r.kind.as_str()])?;
        }
    }
    Ok(())
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
        let row: Option<(String, String)> = self
            .db()
            .query_row(
                "SELECT a.json, d.text FROM analyses a JOIN documents d ON d.id = a.doc_id WHERE a.doc_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((json, text)) = row else {
            return Ok(None);
        };
        let mut analysis: DocumentAnalysis = decode(&json, "analysis")?;
        analysis.sentences = marsad_text::split_sentences(&text);
        Ok(Some(analysis))
    }

    /// Documents whose analysis is missing or older than this build's.
    pub fn stale_analyses(&self) -> Result<usize, StoreError> {
        // Two counts over narrow tables (an index for documents), not a
        // join that would read every document row.
        let documents: i64 = self.db().query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))?;
        let current: i64 =
            self.db()
                .query_row("SELECT COUNT(*) FROM analyses WHERE version = ?1", [ANALYSIS_VERSION], |r| r.get(0))?;
        Ok((documents - current).max(0) as usize)
    }

    /// Re-runs the extractors on stored documents (`all`, or only those
    /// whose analysis is missing or outdated), then refreshes the views.
    /// `progress` gets (done, total). Returns the documents analyzed.
    pub fn reanalyze(&mut self, all: bool, mut progress: impl FnMut(usize, usize)) -> Result<usize, StoreError> {
        self.store.lock_writer()?;
        let sql = if all {
            "SELECT d.id FROM documents d ORDER BY d.id"
        } else {
            "SELECT d.id FROM documents d LEFT JOIN analyses a ON a.doc_id = d.id
             WHERE a.doc_id IS NULL OR a.version <> ?1 ORDER BY d.id"
        };
        let ids: Vec<String> = {
            let mut stmt = self.db().prepare(sql)?;
            let rows = if all {
                stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?
            } else {
                stmt.query_map([ANALYSIS_VERSION], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?
            };
            rows
        };
        let total = ids.len();
        for (n, chunk) in ids.chunks(500).enumerate() {
            let mut loaded = Vec::with_capacity(chunk.len());
            {
                let mut stmt = self.db().prepare_cached("SELECT text, title, date FROM documents WHERE id = ?1")?;
                for id in chunk {
                    let (text, title, date): (String, Option<String>, Option<String>) =
                        stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                    loaded.push((id.clone(), text, title, date));
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
