//! Stories and summaries in the store.
//!
//! # Stories are placed once, as documents arrive
//!
//! [`marsad_stories::StoryClusterer`] is online: a new article joins the
//! most similar open story or starts one, and nothing already placed moves.
//! The store keeps the clusterer in parts read by key (see `STATE_MAGIC`):
//! at the end of each ingest run it resumes the clusterer with the open
//! stories and what the new documents name, feeds it the documents the
//! reuse index has just taken in, in the same date order, with their
//! near-duplicate origin (so a syndicated copy joins its original's story
//! and counts once) and their corpus entities, heaviest first; then it
//! writes what changed and rewrites the stories those documents joined
//! (`stories`, `story_docs`). A story's label is made when it is read,
//! naming its entities as the resolver calls them then.
//!
//! Online placement means the stories depend on arrival order, as they do in
//! any news monitor: ingesting a corpus in one run places its articles in
//! date order; ingesting it in several runs places each run's articles after
//! the earlier ones. When the reuse history is rebuilt (a document changed
//! content), the stories are rebuilt with it from scratch, in date order.
//! Corpus entity ids are stable (type + canonical name), so a story's
//! entities keep meaning the same thing across refreshes, except when a
//! later document makes the resolver pick another canonical name.
//!
//! # Summaries read stored analyses
//!
//! [`Engine::summary`] gathers the documents of a story, of an entity, of a
//! list of ids or of the whole corpus, with their stored analyses, corpus
//! entity ids and how often each sentence is reused elsewhere, and hands
//! them to [`marsad_stories::summarize`]. Large scopes are capped at
//! [`SUMMARY_MAX_DOCS`] documents (for the corpus: those of the largest
//! stories; for an entity: the documents that mention it most), and the
//! answer says so.

use std::collections::BTreeMap;

use marsad_stories::{SavedCore, SavedStory, StoryClusterer, StoryConfig, StoryDoc, VocabularyEntry};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::NewlyIndexed;
use marsad_store::StoreError;

/// Places the newly indexed documents into stories and rewrites the stories
/// they joined. `entities_of` gives a document's corpus entities, heaviest
/// first. `carried` is the clusterer an earlier slice of the same refresh
/// left (as saved, so equal to one resumed from the rows, without reading
/// them again); this call leaves its own there.
pub(crate) fn update(
    db: &Connection,
    added: &[NewlyIndexed],
    rebuilt: bool,
    entities_of: &dyn Fn(&str) -> Vec<String>,
    partners_of: &dyn Fn(&str) -> Result<Vec<String>, StoreError>,
    carried: &mut Option<StoryClusterer>,
) -> Result<(), StoreError> {
    // The clusterer an earlier slice of this refresh left, as saved.
    let kept = carried.take();
    let has_state = kept.is_some()
        || db.query_row("SELECT EXISTS (SELECT 1 FROM story_state WHERE key = ?1)", [STATE_KEY], |r| r.get(0))?;
    if added.is_empty() && !rebuilt && has_state {
        // Labels are made when read, so nothing else can have changed.
        *carried = kept;
        return Ok(());
    }
    // No state (a new store, a store from before stories, a rebuilt reuse
    // history) or state another version wrote (it holds only derived data):
    // place every indexed document again, in order.
    let resumed = if rebuilt {
        None
    } else if kept.is_some() {
        kept
    } else {
        resume(db)?
    };
    let Some(mut clusterer) = resumed else {
        *carried = Some(rebuild_all(db, entities_of, partners_of)?);
        return Ok(());
    };
    // In slices, so the texts and weighted terms of a large ingest are
    // never all in memory at once, nor the stories closed meanwhile.
    for slice in added.chunks(WEIGHING_SLICE) {
        let mut inputs = Vec::with_capacity(slice.len());
        for d in slice {
            inputs.push(story_input(
                db,
                &d.id,
                d.date.clone(),
                d.title.clone(),
                d.near_duplicate_of.clone(),
                entities_of,
                partners_of,
            )?);
        }
        if !place(db, &mut clusterer, story_docs(inputs))? {
            *carried = Some(rebuild_all(db, entities_of, partners_of)?);
            return Ok(());
        }
    }
    *carried = Some(clusterer);
    Ok(())
}

/// Places every indexed document again, in the reuse index's order.
fn rebuild_all(
    db: &Connection,
    entities_of: &dyn Fn(&str) -> Vec<String>,
    partners_of: &dyn Fn(&str) -> Result<Vec<String>, StoreError>,
) -> Result<StoryClusterer, StoreError> {
    for table in ["stories", "story_docs", "story_rows", "story_terms", "story_entity_df", "story_state"] {
        db.execute(&format!("DELETE FROM {table}"), [])?;
    }
    let mut clusterer = StoryClusterer::new(StoryConfig::default());
    save(db, &mut clusterer)?;
    let mut next = 0i64;
    loop {
        let rows: Vec<(i64, String, Option<String>, Option<String>)> = db
            .prepare_cached(
                "SELECT r.seq, d.id, d.date, d.title FROM reuse_docs r JOIN documents d ON d.id = r.doc_id
                 WHERE r.seq >= ?1 ORDER BY r.seq LIMIT ?2",
            )?
            .query_map(params![next, WEIGHING_SLICE as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
        let Some(last) = rows.last() else { break };
        next = last.0 + 1;
        let mut inputs = Vec::with_capacity(rows.len());
        for (seq, id, date, title) in rows {
            let origin = near_duplicate_origin(db, seq)?;
            inputs.push(story_input(db, &id, date, title, origin, entities_of, partners_of)?);
        }
        if !place(db, &mut clusterer, story_docs(inputs))? {
            return Err(StoreError::Corrupt("stories written in this run do not read back".into()));
        }
    }
    Ok(clusterer)
}

/// Places one slice of documents: loads what the slice reads and the
/// clusterer does not hold, adds the documents in order, saves what changed
/// and rewrites the stories they joined, then forgets the stories closed
/// meanwhile, so that a first ingest holds the open window, not the corpus.
/// `false` when the saved state does not fit together (then everything is
/// placed again).
fn place(db: &Connection, clusterer: &mut StoryClusterer, docs: Vec<StoryDoc>) -> Result<bool, StoreError> {
    let clusterer = &mut *clusterer;
    if !prepare(db, clusterer, &docs)? {
        return Ok(false);
    }
    for doc in &docs {
        clusterer.add(doc);
    }
    let changed = clusterer.take_changed();
    if !prepare_labels(db, clusterer, &changed)? {
        return Ok(false);
    }
    let placed = clusterer.take_placed();
    write_stories(db, clusterer, &changed, &placed)?;
    save_rows(db, clusterer, &changed)?;
    clusterer.forget_closed();
    Ok(true)
}

/// Documents whose terms are weighed at once (in parallel) before placing.
const WEIGHING_SLICE: usize = 2048;

struct StoryInput {
    id: String,
    date: Option<String>,
    title: Option<String>,
    text: String,
    entities: Vec<String>,
    near_duplicate_of: Option<String>,
    shares_passage_with: Vec<String>,
}

fn story_input(
    db: &Connection,
    id: &str,
    date: Option<String>,
    title: Option<String>,
    near_duplicate_of: Option<String>,
    entities_of: &dyn Fn(&str) -> Vec<String>,
    partners_of: &dyn Fn(&str) -> Result<Vec<String>, StoreError>,
) -> Result<StoryInput, StoreError> {
    let text: String = db.prepare_cached("SELECT text FROM documents WHERE id = ?1")?.query_row([id], |r| r.get(0))?;
    Ok(StoryInput {
        id: id.to_owned(),
        date,
        title,
        text,
        entities: entities_of(id),
        near_duplicate_of,
        shares_passage_with: partners_of(id)?,
    })
}

/// The clusterer's view of each document. Weighing terms means analyzing
/// every text, a third of the clustering's cost on a large ingest, and is
/// independent per document, so it runs on all cores (at most four
/// threads); placing the documents stays sequential and in order.
fn story_docs(inputs: Vec<StoryInput>) -> Vec<StoryDoc> {
    crate::workers::map(&inputs, 64, |d| {
        StoryDoc::from_text(
            d.id.as_str(),
            d.date.as_deref(),
            d.title.as_deref(),
            &d.text,
            &d.entities,
            d.near_duplicate_of.clone(),
        )
        .sharing_passages_with(d.shares_passage_with.clone())
    })
}

/// The earlier document that document `seq` of the reuse index nearly
/// duplicates, by best coverage (ties: the smallest id), as the reuse
/// update reports it when the document is added.
fn near_duplicate_origin(db: &Connection, seq: i64) -> Result<Option<String>, StoreError> {
    Ok(db
        .prepare_cached(
            "SELECT a.doc_id FROM reuse_duplicate_pairs p JOIN reuse_docs a ON a.seq = p.a
             WHERE p.b = ?1 ORDER BY p.coverage DESC, a.doc_id LIMIT 1",
        )?
        .query_row([seq], |r| r.get(0))
        .optional()?)
}

/// The `story_state` key of the clusterer's core ([`marsad_stories::SavedCore`]).
const STATE_KEY: &str = "core.bin";

/// What the saved core and every saved story start with: the format and
/// the clusterer version. The state is bincode, not JSON (most of it is
/// floats), and it holds only derived data, so a state another version
/// wrote is simply rebuilt.
///
/// The clusterer is kept in parts read by key (see "Persistence" in
/// [`marsad_stories`]'s stories module): the small core here; one row per
/// term (`story_terms`) and per entity (`story_entity_df`) with its
/// document frequency; each document's story index in `story_docs.idx`;
/// each story a row of `story_rows` with its last day, so that the open
/// stories are read by an index range. An ingest reads the open stories
/// and what its documents name, and writes what they changed: its cost
/// follows the batch and the open window, not the corpus.
const STATE_MAGIC: &[u8] = b"marsad-stories/bincode/3\n";

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    bincode::deserialize(bytes.strip_prefix(STATE_MAGIC)?).ok()
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut bytes = STATE_MAGIC.to_vec();
    bincode::serialize_into(&mut bytes, value).map_err(|e| StoreError::Corrupt(format!("encoding stories: {e}")))?;
    Ok(bytes)
}

/// The saved clusterer with its open stories, or `None` when there is none
/// or it does not decode.
fn resume(db: &Connection) -> Result<Option<StoryClusterer>, StoreError> {
    let core: Option<Vec<u8>> = db
        .query_row("SELECT json FROM story_state WHERE key = ?1", [STATE_KEY], |r| r.get(0))
        .optional()
        .ok()
        .flatten();
    let Some(core) = core.and_then(|bytes| decode::<SavedCore>(&bytes)) else { return Ok(None) };
    let mut clusterer = StoryClusterer::resume(core);
    let mut stmt =
        db.prepare_cached("SELECT idx, state FROM story_rows WHERE last_day IS NULL OR last_day >= ?1 ORDER BY idx")?;
    let mut rows = stmt.query([clusterer.open_since().map_or(i64::MIN, i64::from)])?;
    while let Some(r) = rows.next()? {
        let (idx, bytes): (i64, Vec<u8>) = (r.get(0)?, r.get(1)?);
        let fits = match (u32::try_from(idx), decode::<SavedStory>(&bytes)) {
            (Ok(idx), Some(story)) => clusterer.load_story(idx, story),
            _ => false,
        };
        if !fits {
            return Ok(None);
        }
    }
    Ok(Some(clusterer))
}

/// Loads what placing `docs` reads: their terms' and entities' rows, the
/// placements of the documents they name and those documents' stories.
/// `false` when a saved part does not fit.
fn prepare(db: &Connection, clusterer: &mut StoryClusterer, docs: &[StoryDoc]) -> Result<bool, StoreError> {
    let missing = clusterer.missing(docs);
    let mut term = db.prepare_cached("SELECT id, df, surfaces FROM story_terms WHERE term = ?1")?;
    for t in missing.terms {
        let row: Option<(i64, i64, Vec<u8>)> =
            term.query_row([&t], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
        if let Some(row) = row {
            let Some(entry) = term_entry(t, row) else { return Ok(false) };
            if !clusterer.load_term(entry) {
                return Ok(false);
            }
        }
    }
    let mut entity = db.prepare_cached("SELECT id, df FROM story_entity_df WHERE entity = ?1")?;
    for e in missing.entities {
        let row: Option<(i64, i64)> = entity.query_row([&e], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        if let Some((id, df)) = row {
            let entry = VocabularyEntry { id: id as u32, text: e, df: df as u32, surfaces: Vec::new() };
            if !clusterer.load_entity(entry) {
                return Ok(false);
            }
        }
    }
    let mut placement = db.prepare_cached("SELECT idx FROM story_docs WHERE doc_id = ?1")?;
    for d in missing.documents {
        let idx: Option<Option<i64>> = placement.query_row([&d], |r| r.get(0)).optional()?;
        match idx {
            None => {}
            Some(Some(idx)) if clusterer.load_placement(&d, idx as u32) => {}
            Some(_) => return Ok(false),
        }
    }
    let stories = clusterer.missing_stories();
    load_stories(db, clusterer, &stories)
}

fn term_entry(text: String, (id, df, surfaces): (i64, i64, Vec<u8>)) -> Option<VocabularyEntry> {
    let surfaces = bincode::deserialize(&surfaces).ok()?;
    Some(VocabularyEntry { id: u32::try_from(id).ok()?, text, df: u32::try_from(df).ok()?, surfaces })
}

fn load_stories(db: &Connection, clusterer: &mut StoryClusterer, stories: &[u32]) -> Result<bool, StoreError> {
    let mut story = db.prepare_cached("SELECT state FROM story_rows WHERE idx = ?1")?;
    for &s in stories {
        let bytes: Option<Vec<u8>> = story.query_row([s], |r| r.get(0)).optional()?;
        let fits = bytes.and_then(|b| decode::<SavedStory>(&b)).is_some_and(|saved| clusterer.load_story(s, saved));
        if !fits {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Loads the terms and entities the labels of these stories name.
fn prepare_labels(db: &Connection, clusterer: &mut StoryClusterer, stories: &[usize]) -> Result<bool, StoreError> {
    let mut term = db.prepare_cached("SELECT term, df, surfaces FROM story_terms WHERE id = ?1")?;
    for id in clusterer.missing_label_terms(stories) {
        let row: Option<(String, i64, Vec<u8>)> =
            term.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
        let entry = row.and_then(|(text, df, surfaces)| term_entry(text, (i64::from(id), df, surfaces)));
        if !entry.is_some_and(|e| clusterer.load_term(e)) {
            return Ok(false);
        }
    }
    let mut entity = db.prepare_cached("SELECT entity, df FROM story_entity_df WHERE id = ?1")?;
    for id in clusterer.missing_label_entities(stories) {
        let row: Option<(String, i64)> = entity.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        let entry = row.map(|(text, df)| VocabularyEntry { id, text, df: df as u32, surfaces: Vec::new() });
        if !entry.is_some_and(|e| clusterer.load_entity(e)) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Saves the core (nothing else: a new clusterer).
fn save(db: &Connection, clusterer: &mut StoryClusterer) -> Result<(), StoreError> {
    save_rows(db, clusterer, &[])
}

/// Saves the core, the vocabulary entries changed and the stories
/// `changed`. Upserts, not `INSERT OR REPLACE`: a replace deletes and
/// inserts the row again, and with it its entry in every index (the term's
/// unique index, a story's last day), where an update leaves the indexes
/// whose columns did not change alone.
fn save_rows(db: &Connection, clusterer: &mut StoryClusterer, changed: &[usize]) -> Result<(), StoreError> {
    db.execute("DELETE FROM story_state WHERE key <> ?1", [STATE_KEY])?;
    db.execute(
        "INSERT OR REPLACE INTO story_state (key, json) VALUES (?1, ?2)",
        params![STATE_KEY, encode(&clusterer.saved_core())?],
    )?;
    let mut put = db.prepare_cached(
        "INSERT INTO story_terms (id, term, df, surfaces) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET df = excluded.df, surfaces = excluded.surfaces",
    )?;
    for e in clusterer.take_changed_terms() {
        let surfaces = bincode::serialize(&e.surfaces)
            .map_err(|err| StoreError::Corrupt(format!("encoding story terms: {err}")))?;
        put.execute(params![e.id, e.text, e.df, surfaces])?;
    }
    let mut put = db.prepare_cached(
        "INSERT INTO story_entity_df (id, entity, df) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET df = excluded.df",
    )?;
    for e in clusterer.take_changed_entities() {
        put.execute(params![e.id, e.text, e.df])?;
    }
    let mut put = db.prepare_cached(
        "INSERT INTO story_rows (idx, state, last_day) VALUES (?1, ?2, ?3)
         ON CONFLICT (idx) DO UPDATE SET state = excluded.state, last_day = excluded.last_day",
    )?;
    for &idx in changed {
        if let Some(story) = clusterer.saved_story(idx) {
            put.execute(params![idx as i64, encode(&story)?, story.last_day()])?;
        }
    }
    Ok(())
}

/// Rewrites the stories `changed` (by index) and files the documents
/// `placed`. A story's `rank` is the order it was started in; lists show
/// the largest first, then the earliest started.
fn write_stories(
    db: &Connection,
    clusterer: &StoryClusterer,
    changed: &[usize],
    placed: &[(String, u32)],
) -> Result<(), StoreError> {
    let mut add_story = db.prepare_cached(
        "INSERT INTO stories (id, rank, size, json) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET size = excluded.size, json = excluded.json",
    )?;
    let mut ids: BTreeMap<usize, String> = BTreeMap::new();
    for &created in changed {
        let Some(story) = clusterer.story_at(created) else { continue };
        let json = serde_json::to_string(&story).map_err(|e| StoreError::Corrupt(format!("encoding story: {e}")))?;
        add_story.execute(params![story.id, created as i64, story.size as i64, json])?;
        ids.insert(created, story.id);
    }
    let mut add_doc =
        db.prepare_cached("INSERT OR REPLACE INTO story_docs (doc_id, story_id, idx) VALUES (?1, ?2, ?3)")?;
    for (doc, s) in placed {
        let Some(id) = ids.get(&(*s as usize)) else {
            return Err(StoreError::Corrupt(format!("document {doc} placed in a story not written")));
        };
        add_doc.execute(params![doc, id, s])?;
    }
    Ok(())
}
