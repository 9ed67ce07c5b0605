//! The per-document analysis tables: `analyses` (the whole analysis as the
//! engine encoded it, with its version), `doc_entities`, `doc_quotes`,
//! `doc_events` and `doc_relations` (document-local rows: local entity 3
//! of document X, never a corpus id), and the `view_pending` mark that
//! hands the document to the next refresh of the corpus views.
//!
//! They are written in the same transaction as their document (see
//! [`crate::Store::ingest_deferred_with`]): a document is never stored
//! without its analysis, and replacing or deleting it replaces or deletes
//! the analysis.

use rusqlite::{params, Connection, OptionalExtension};

use crate::StoreError;

/// One local entity of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityRow<'a> {
    /// Its index among the document's entities.
    pub local: usize,
    /// `person`, `organization`, `place` or `misc`.
    pub entity_type: &'a str,
    /// Its name in the document.
    pub name: &'a str,
    /// Other spellings in the document (JSON list).
    pub variants_json: String,
    /// Titles and roles (JSON list).
    pub roles_json: String,
    /// Mentions in the document.
    pub mentions: usize,
    /// Sentences that mention it (JSON list of indexes).
    pub sentences_json: String,
}

/// One quotation of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteRow<'a> {
    /// The speaker's local entity, if resolved in the document.
    pub speaker_local: Option<usize>,
    /// The speaker as the text names them.
    pub speaker_text: &'a str,
    /// Its matching key (normalized), for lookups by name.
    pub speaker_key: String,
    /// `person`, `organization`, `group`, `description` or `unknown`.
    pub speaker_kind: &'a str,
    /// What was said.
    pub text: &'a str,
    /// Direct (quoted) or reported speech.
    pub direct: bool,
    /// The reporting verb, if any.
    pub verb: Option<&'a str>,
    /// Continues the previous speaker (وأضاف).
    pub continuation: bool,
    /// The sentence it stands in, as text.
    pub sentence: &'a str,
    /// Byte span of the quote in the document's text.
    pub start: usize,
    /// End of that span.
    pub end: usize,
}

/// One typed relation between two local entities.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelationRow<'a> {
    /// The local entity that acts.
    pub source: usize,
    /// The local entity acted on or with.
    pub target: usize,
    /// The relation kind's key.
    pub kind: &'a str,
}

/// A document's whole analysis as rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalysisRows<'a> {
    /// The version of the extractors that made it.
    pub version: i64,
    /// The analysis as the engine encoded it.
    pub json: String,
    /// Its entities, by local index.
    pub entities: Vec<EntityRow<'a>>,
    /// Its quotations, in order.
    pub quotes: Vec<QuoteRow<'a>>,
    /// Its events, each as the engine encoded it, in order.
    pub events_json: Vec<String>,
    /// Its relations.
    pub relations: Vec<RelationRow<'a>>,
}

const TABLES: [&str; 5] = ["analyses", "doc_entities", "doc_quotes", "doc_events", "doc_relations"];

/// Writes `doc`'s analysis (replacing any earlier one) inside the caller's
/// transaction, and marks the document for the views. `date` is the
/// document's, kept with its quotes for date-ordered listing.
pub fn write(db: &Connection, doc: &str, date: Option<&str>, rows: &AnalysisRows<'_>) -> Result<(), StoreError> {
    delete(db, doc)?;
    db.prepare_cached("INSERT INTO analyses (doc_id, version, json) VALUES (?1, ?2, ?3)")?.execute(params![
        doc,
        rows.version,
        rows.json
    ])?;
    let mut add = db.prepare_cached(
        "INSERT INTO doc_entities (doc_id, local, type, name, variants, roles, mentions, sentences)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for e in &rows.entities {
        add.execute(params![
            doc,
            e.local as i64,
            e.entity_type,
            e.name,
            e.variants_json,
            e.roles_json,
            e.mentions as i64,
            e.sentences_json
        ])?;
    }
    let mut add = db.prepare_cached(
        r#"INSERT INTO doc_quotes (doc_id, seq, speaker_local, speaker_text, speaker_key, speaker_kind,
               text, direct, verb, continuation, sentence, "start", "end", doc_date)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"#,
    )?;
    for (seq, q) in rows.quotes.iter().enumerate() {
        add.execute(params![
            doc,
            seq as i64,
            q.speaker_local.map(|s| s as i64),
            q.speaker_text,
            q.speaker_key,
            q.speaker_kind,
            q.text,
            q.direct,
            q.verb,
            q.continuation,
            q.sentence,
            q.start as i64,
            q.end as i64,
            date,
        ])?;
    }
    let mut add = db.prepare_cached("INSERT INTO doc_events (doc_id, seq, json) VALUES (?1, ?2, ?3)")?;
    for (seq, json) in rows.events_json.iter().enumerate() {
        add.execute(params![doc, seq as i64, json])?;
    }
    let mut add =
        db.prepare_cached("INSERT INTO doc_relations (doc_id, source, target, kind) VALUES (?1, ?2, ?3, ?4)")?;
    for r in &rows.relations {
        add.execute(params![doc, r.source as i64, r.target as i64, r.kind])?;
    }
    Ok(())
}

/// Removes `doc`'s analysis inside the caller's transaction and marks the
/// document for the views, which take back what it gave.
pub fn delete(db: &Connection, doc: &str) -> Result<(), StoreError> {
    for table in TABLES {
        db.prepare_cached(&format!("DELETE FROM {table} WHERE doc_id = ?1"))?.execute([doc])?;
    }
    db.prepare_cached("INSERT OR IGNORE INTO view_pending (doc_id) VALUES (?1)")?.execute([doc])?;
    Ok(())
}

/// `doc`'s encoded analysis and the document's text, if it has one.
pub fn read(db: &Connection, doc: &str) -> Result<Option<(String, String)>, StoreError> {
    Ok(db
        .prepare_cached(
            "SELECT a.json, d.text FROM analyses a JOIN documents d ON d.id = a.doc_id WHERE a.doc_id = ?1",
        )?
        .query_row([doc], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// How many stored documents have no analysis of `version`. Two counts
/// over narrow tables (an index for documents), not a join that would read
/// every document row.
pub fn stale(db: &Connection, version: i64) -> Result<usize, StoreError> {
    let documents: i64 = db.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))?;
    let current: i64 = db.query_row("SELECT COUNT(*) FROM analyses WHERE version = ?1", [version], |r| r.get(0))?;
    Ok((documents - current).max(0) as usize)
}

/// The documents to analyze again, by id: all of them, or those whose
/// analysis is missing or not of `version`.
pub fn to_redo(db: &Connection, version: i64, all: bool) -> Result<Vec<String>, StoreError> {
    let ids = if all {
        db.prepare("SELECT id FROM documents ORDER BY id")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
    } else {
        db.prepare(
            "SELECT d.id FROM documents d LEFT JOIN analyses a ON a.doc_id = d.id
             WHERE a.doc_id IS NULL OR a.version <> ?1 ORDER BY d.id",
        )?
        .query_map([version], |r| r.get(0))?
        .collect::<Result<_, _>>()?
    };
    Ok(ids)
}

/// What the extractors read of a stored document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalysisInput {
    /// The cleaned text.
    pub text: String,
    /// The title, if the input gave one.
    pub title: Option<String>,
    /// The publication date, if known.
    pub date: Option<String>,
}

/// What the extractors read of a stored document, if it is stored.
pub fn input_of(db: &Connection, doc: &str) -> Result<Option<AnalysisInput>, StoreError> {
    Ok(db
        .prepare_cached("SELECT text, title, date FROM documents WHERE id = ?1")?
        .query_row([doc], |r| Ok(AnalysisInput { text: r.get(0)?, title: r.get(1)?, date: r.get(2)? }))
        .optional()?)
}

/// Each local entity of `doc` with the sentences that mention it (a JSON
/// list of indexes), by local index.
pub fn entity_sentences(db: &Connection, doc: &str) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(db
        .prepare_cached("SELECT local, sentences FROM doc_entities WHERE doc_id = ?1")?
        .query_map([doc], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?)
}

/// The relations `doc` states: (source local, target local, kind key).
pub fn relations(db: &Connection, doc: &str) -> Result<Vec<(i64, i64, String)>, StoreError> {
    Ok(db
        .prepare_cached("SELECT source, target, kind FROM doc_relations WHERE doc_id = ?1")?
        .query_map([doc], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?)
}
