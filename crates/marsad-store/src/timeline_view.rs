//! The timeline view, rebuilt one bucket at a time.
//!
//! [`marsad_extract::corpus::build_timeline`] only ever joins events of one
//! type family within one year ([`marsad_extract::corpus::timeline_bucket`]),
//! so the corpus timeline is the timelines of its buckets side by side.
//! `timeline_docs` records which documents have events in which bucket;
//! when documents change (new, replaced, or their entities resolved
//! otherwise), the buckets they were and are in are rebuilt from their
//! members' events, and nothing else. Entries keep the columns the
//! timeline is listed by (date, granularity, type, title, sources), so the
//! order is an index, whatever order the buckets were written in.

use std::collections::BTreeSet;

use marsad_extract::corpus::{self, DocEvents, EntityRef, TimelineEntry};
use marsad_extract::Event;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::StoreError;
use crate::views::{decode, encode, parse_type};

/// The order of the timeline, as an `ORDER BY` list of its columns.
pub(crate) const TIMELINE_ORDER: &str = "date, granularity, type, title, docs_key, seq";
/// [`TIMELINE_ORDER`] backwards.
pub(crate) const TIMELINE_ORDER_DESC: &str =
    "date DESC, granularity DESC, type DESC, title DESC, docs_key DESC, seq DESC";

/// Rebuilds the buckets the `changed` documents were or are in.
pub(crate) fn update(db: &Connection, changed: &BTreeSet<String>) -> Result<(), StoreError> {
    let mut buckets: BTreeSet<String> = BTreeSet::new();
    for doc in changed {
        let old: Vec<String> = db
            .prepare_cached("SELECT bucket FROM timeline_docs WHERE doc_id = ?1")?
            .query_map([doc], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        buckets.extend(old);
        db.prepare_cached("DELETE FROM timeline_docs WHERE doc_id = ?1")?.execute([doc])?;
        let mut now: BTreeSet<String> = BTreeSet::new();
        for event in events_of(db, doc)? {
            now.insert(corpus::timeline_bucket(&event));
        }
        for bucket in now {
            db.prepare_cached("INSERT INTO timeline_docs (bucket, doc_id) VALUES (?1, ?2)")?.execute([&bucket, doc])?;
            buckets.insert(bucket);
        }
    }
    for bucket in &buckets {
        rebuild_bucket(db, bucket)?;
    }
    Ok(())
}

fn events_of(db: &Connection, doc: &str) -> Result<Vec<Event>, StoreError> {
    let mut stmt = db.prepare_cached("SELECT json FROM doc_events WHERE doc_id = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([doc], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(decode(&row?, "event")?);
    }
    Ok(out)
}

/// One member document of a bucket: its date, its events in the bucket
/// and its local entities resolved.
struct Member {
    doc: String,
    date: Option<String>,
    events: Vec<Event>,
    refs: Vec<EntityRef>,
}

fn rebuild_bucket(db: &Connection, bucket: &str) -> Result<(), StoreError> {
    db.prepare_cached("DELETE FROM timeline_actors WHERE seq IN (SELECT seq FROM timeline WHERE bucket = ?1)")?
        .execute([bucket])?;
    db.prepare_cached("DELETE FROM timeline WHERE bucket = ?1")?.execute([bucket])?;
    let docs: Vec<String> = db
        .prepare_cached("SELECT doc_id FROM timeline_docs WHERE bucket = ?1 ORDER BY doc_id")?
        .query_map([bucket], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut members = Vec::with_capacity(docs.len());
    for doc in docs {
        let date: Option<String> =
            db.prepare_cached("SELECT date FROM documents WHERE id = ?1")?.query_row([&doc], |r| r.get(0))?;
        let events: Vec<Event> =
            events_of(db, &doc)?.into_iter().filter(|e| corpus::timeline_bucket(e) == bucket).collect();
        let named: BTreeSet<usize> = events.iter().flat_map(|e| e.actors.iter().copied().chain(e.place)).collect();
        let refs = named_refs(db, &doc, &named)?;
        members.push(Member { doc, date, events, refs });
    }
    let inputs: Vec<DocEvents<'_>> = members
        .iter()
        .map(|m| DocEvents { doc: &m.doc, doc_date: m.date.as_deref(), events: &m.events, entities: &m.refs })
        .collect();
    for entry in corpus::build_timeline(&inputs) {
        write_entry(db, bucket, &entry)?;
    }
    Ok(())
}

/// The corpus entities of the local entities the events name; the others
/// are left unresolved, as the timeline reads only actors and places.
fn named_refs(db: &Connection, doc: &str, named: &BTreeSet<usize>) -> Result<Vec<EntityRef>, StoreError> {
    let mut refs: Vec<EntityRef> = Vec::new();
    for &local in named {
        let found: Option<(String, String, String)> = db
            .prepare_cached(
                "SELECT e.id, e.name, e.type FROM entity_docs d JOIN entities e ON e.id = d.entity_id
                 WHERE d.doc_id = ?1 AND d.local = ?2",
            )?
            .query_row(params![doc, local as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((id, name, t)) = found else { continue };
        if refs.len() <= local {
            refs.resize(local + 1, unresolved());
        }
        refs[local] = EntityRef { id, name, entity_type: parse_type(&t)? };
    }
    Ok(refs)
}

fn unresolved() -> EntityRef {
    EntityRef { id: String::new(), name: String::new(), entity_type: marsad_extract::EntityType::Misc }
}

fn write_entry(db: &Connection, bucket: &str, entry: &TimelineEntry) -> Result<(), StoreError> {
    db.prepare_cached(
        "INSERT INTO timeline (bucket, date, granularity, type, title, docs_key, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        bucket,
        entry.date,
        entry.granularity as i64,
        entry.event_type,
        entry.title,
        // Joined with the lowest character, so that the text order is
        // the order of the sorted lists.
        entry.docs.join("\u{1}"),
        encode(entry)?,
    ])?;
    let seq = db.last_insert_rowid();
    for a in entry.actors.iter().chain(entry.place.iter()) {
        db.prepare_cached("INSERT INTO timeline_actors (seq, entity_id) VALUES (?1, ?2)")?
            .execute(params![seq, a.id])?;
    }
    Ok(())
}
