//! The tantivy side of the store: schema, opening, and the commit payload.
//!
//! The index is a *derived* structure: everything in it can be rebuilt from
//! SQLite. Each tantivy commit carries a payload recording the highest batch
//! generation it contains ([`IndexState`]); on open the store compares that
//! with SQLite and re-indexes whatever is missing (see `store.rs`). A change
//! to the index layout bumps [`LAYOUT`], which makes the store rebuild the
//! index from SQLite instead of mixing old and new documents.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};
use tantivy::{DateTime, Index, TantivyDocument};

use crate::error::StoreError;
use crate::tokenizer;

/// Version of the index layout (schema + what goes in which field). Bump it
/// whenever [`build_schema`] or [`to_document`] changes meaning.
pub const LAYOUT: u32 = 1;

/// Field handles of the index schema.
#[derive(Clone, Copy, Debug)]
pub struct IndexFields {
    /// Document id, indexed whole: the key for `delete_term`.
    pub id: Field,
    /// The real title, analyzed, with positions (phrases can match titles).
    pub title: Field,
    /// Stored only: what to show when there is no title.
    pub display_title: Field,
    /// The cleaned text, analyzed with positions, stored for snippets.
    pub text: Field,
    /// The outlet, indexed whole and lower-cased, stored as given.
    pub source: Field,
    /// Publication time (UTC seconds): range filters and date sorting.
    pub date: Field,
    /// Stored only: the ISO date string exactly as ingested.
    pub date_text: Field,
}

/// Builds the index schema and its field handles.
pub fn build_schema() -> (Schema, IndexFields) {
    let mut builder = Schema::builder();
    let analyzed = |stored: bool| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer::ARABIC)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let id = builder.add_text_field("id", STRING | STORED);
    let title = builder.add_text_field("title", analyzed(true));
    let display_title = builder.add_text_field("display_title", STORED);
    let text = builder.add_text_field("text", analyzed(true));
    let source = builder.add_text_field(
        "source",
        TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer::KEYWORD)
                    .set_index_option(IndexRecordOption::Basic),
            )
            .set_stored(),
    );
    let date = builder.add_date_field(
        "date",
        DateOptions::default().set_indexed().set_fast().set_stored().set_precision(DateTimePrecision::Seconds),
    );
    let date_text = builder.add_text_field("date_text", STORED);
    let fields = IndexFields { id, title, display_title, text, source, date, date_text };
    (builder.build(), fields)
}

/// Opens the index in `path`, creating it when absent and recreating it
/// (empty) when its schema is not this build's. Returns the index and whether
/// it was created empty (so the caller must index everything).
pub fn open(path: &Path) -> Result<(Index, IndexFields, bool), StoreError> {
    std::fs::create_dir_all(path).map_err(|e| StoreError::io("cannot create", path, e))?;
    let (schema, fields) = build_schema();
    let directory = MmapDirectory::open(path).map_err(tantivy::TantivyError::from)?;
    let mut created = false;
    let index = if Index::exists(&directory).map_err(tantivy::TantivyError::from)? {
        match Index::open(directory) {
            Ok(existing) if existing.schema() == schema => existing,
            // Another layout, or files tantivy cannot read: the index is
            // only a cache of the database, so start it afresh.
            _ => {
                wipe(path)?;
                created = true;
                Index::create_in_dir(path, schema)?
            }
        }
    } else {
        created = true;
        Index::create(directory, schema, Default::default())?
    };
    tokenizer::register(index.tokenizers());
    Ok((index, fields, created))
}

/// Removes every file of the index directory (not the directory itself).
pub fn wipe(path: &Path) -> Result<(), StoreError> {
    let entries = std::fs::read_dir(path).map_err(|e| StoreError::io("cannot read", path, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io("cannot read", path, e))?;
        let p = entry.path();
        let result = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
        result.map_err(|e| StoreError::io("cannot remove", &p, e))?;
    }
    Ok(())
}

/// What the last tantivy commit contains, carried as its payload.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexState {
    /// Every SQLite batch with a generation ≤ this one is in the index.
    pub generation: i64,
    /// [`LAYOUT`] of the build that committed.
    pub layout: u32,
}

impl IndexState {
    /// Reads the payload of the last commit. An index never committed to (or
    /// with a payload we did not write) reads as generation 0; a foreign
    /// payload additionally reads as layout 0, forcing a rebuild.
    pub fn load(index: &Index) -> Result<IndexState, StoreError> {
        let metas = index.load_metas()?;
        Ok(match metas.payload {
            None => IndexState { generation: 0, layout: LAYOUT },
            Some(payload) => serde_json::from_str(&payload).unwrap_or_default(),
        })
    }

    /// The payload string for a commit.
    pub fn payload(&self) -> String {
        serde_json::to_string(self).expect("IndexState serializes")
    }
}

/// The fields of one document as the index needs them, borrowed from either
/// a freshly cleaned document or a SQLite row.
pub struct IndexedDoc<'a> {
    pub id: &'a str,
    pub title: Option<&'a str>,
    pub display_title: &'a str,
    pub source: Option<&'a str>,
    pub date: Option<&'a str>,
    pub text: &'a str,
}

/// Builds the tantivy document for `doc`.
pub fn to_document(fields: &IndexFields, doc: &IndexedDoc<'_>) -> TantivyDocument {
    let mut out = TantivyDocument::new();
    out.add_text(fields.id, doc.id);
    if let Some(title) = doc.title {
        out.add_text(fields.title, title);
    }
    out.add_text(fields.display_title, doc.display_title);
    out.add_text(fields.text, doc.text);
    if let Some(source) = doc.source.map(str::trim).filter(|s| !s.is_empty()) {
        out.add_text(fields.source, source);
    }
    if let Some(date) = doc.date {
        if let Some(when) = parse_iso_date(date) {
            out.add_date(fields.date, when);
        }
        out.add_text(fields.date_text, date);
    }
    out
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (anything after the seconds,
/// such as a fraction or a zone, is ignored) as a UTC time.
pub fn parse_iso_date(date: &str) -> Option<DateTime> {
    let date = date.trim();
    let seconds = if let Some(head) = date.get(..19) {
        let head = head.replacen(' ', "T", 1);
        NaiveDateTime::parse_from_str(&head, "%Y-%m-%dT%H:%M:%S").ok()?.and_utc().timestamp()
    } else {
        NaiveDate::parse_from_str(date.get(..10)?, "%Y-%m-%d").ok()?.and_hms_opt(0, 0, 0)?.and_utc().timestamp()
    };
    Some(index_date(seconds))
}

/// Seconds since the epoch as an index date. tantivy counts nanoseconds in
/// an i64 (years 1678 to 2262); a date outside that (a document dated
/// 1009-01-01, a query `after:1009-01-01`) clamps to the nearest end
/// instead of overflowing.
fn index_date(seconds: i64) -> DateTime {
    const LIMIT: i64 = i64::MAX / 1_000_000_000;
    DateTime::from_timestamp_secs(seconds.clamp(-LIMIT, LIMIT))
}

/// Midnight UTC at the start of `day`, as an index date.
pub fn day_start(day: NaiveDate) -> DateTime {
    let seconds = day.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp());
    index_date(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by `fuzz/fuzz_targets/query.rs`: `after:1009-01-01` overflowed.
    #[test]
    fn day_start_clamps_dates_tantivy_cannot_hold() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let early = day_start(day(1009, 1, 1));
        let late = day_start(day(9999, 12, 31));
        assert!(early < day_start(day(1970, 1, 1)) && early <= day_start(day(1677, 1, 1)));
        assert!(late > day_start(day(2100, 1, 1)));
        assert_eq!(day_start(day(1970, 1, 2)).into_timestamp_secs(), 86_400);
        // Document dates too.
        assert_eq!(parse_iso_date("1009-01-01"), Some(early));
        assert!(parse_iso_date("9999-12-31T23:59:59").unwrap() >= late);
    }

    #[test]
    fn iso_dates() {
        let day = parse_iso_date("2019-04-25").unwrap().into_timestamp_secs();
        assert_eq!(parse_iso_date("2019-04-25T00:00:00").unwrap().into_timestamp_secs(), day);
        assert_eq!(parse_iso_date("2019-04-25T10:30:00Z").unwrap().into_timestamp_secs(), day + 37_800);
        assert_eq!(parse_iso_date("2019-04-25 10:30:00").unwrap().into_timestamp_secs(), day + 37_800);
        assert!(parse_iso_date("25/04/2019").is_none());
        assert!(parse_iso_date("").is_none());
        assert!(parse_iso_date("2019-04-25Tgarbage-here").is_none());
    }

    #[test]
    fn payload_round_trips_and_foreign_payload_forces_rebuild() {
        let state = IndexState { generation: 42, layout: LAYOUT };
        assert_eq!(serde_json::from_str::<IndexState>(&state.payload()).unwrap(), state);
        let foreign: IndexState = serde_json::from_str("not json").unwrap_or_default();
        assert_ne!(foreign.layout, LAYOUT);
    }
}
