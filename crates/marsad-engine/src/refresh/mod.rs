//! Extraction in the store: per-document analyses, and the corpus views
//! (entities, quotes, timeline, graph) built from them.
//!
//! # Two kinds of tables
//!
//! *Per-document* tables (`analyses`, `doc_entities`, `doc_quotes`,
//! `doc_events`, `doc_relations`) are written by the ingest batch, in the
//! same SQLite transaction as the document itself: a document is never
//! stored without its analysis, and replacing a document replaces its
//! analysis. They hold document-local indexes (local entity 3 of document
//! X), never corpus ids, so writing them needs nothing but the document.
//!
//! *Corpus views* (entities, timeline, graph) depend on every document:
//! that ترمب in one article is دونالد ترامب in another, that three articles
//! tell one summit. Writing an analysis marks its document in
//! `view_pending`; [`Engine::refresh_views`] then takes the pending
//! documents in, one transaction per slice of 20,000 (each as an increment
//! of its documents would), and records the batch generation it saw in
//! `view_state` with the last. Each view is kept by its own module and writes only
//! its own tables: `entity_view` (what each document gave, counted, so a
//! document's contribution can be taken back and only the name decisions
//! it feeds are asked again), `timeline_view` (the three passes of the
//! timeline kept as rows, each redone only where its input changed) and
//! `graph_view` (per-document edges added to and
//! taken from the totals). Entities are resolved first; the documents whose
//! local entities now resolve otherwise are handed to the other two. The
//! cost of a refresh follows the batch and the names, buckets and edges it
//! touches, not the corpus; and the result is the one the whole-corpus
//! functions of [`marsad_extract::corpus`] give, which the tests check
//! after batches, replacements and reanalysis (and [`Engine::rebuild_views`]
//! rebuilds from scratch). A refresh runs at the end of every ingest run; a
//! reader that finds the views older than the newest batch (an ingest
//! killed before its end) refreshes them first if it can take the writer
//! lock, and otherwise answers from the previous views.
//!
//! Queries ([`Engine::entities`], [`Engine::entity`], [`Engine::quotes`],
//! [`Engine::timeline`], [`Engine::graph`]) then read small indexed tables.

mod entities;
mod graph;
mod reuse;
mod stories;
mod timeline;

use marsad_store::StoreError;
use rusqlite::{Connection, OptionalExtension};

use crate::requests::ViewSummary;
use crate::Engine;

impl Engine {
    /// Whether the corpus views reflect every stored batch.
    pub fn views_current(&self) -> Result<bool, StoreError> {
        let (seen, newest) = self.view_generations()?;
        Ok(seen >= newest)
    }

    fn view_generations(&self) -> Result<(i64, i64), StoreError> {
        let seen: i64 = self
            .db()
            .query_row("SELECT value FROM view_state WHERE key = 'generation'", [], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        let newest: i64 = self.db().query_row("SELECT COALESCE(MAX(generation), 0) FROM batches", [], |r| r.get(0))?;
        Ok((seen, newest))
    }

    /// Refreshes the views if they are behind the documents and no other
    /// process is writing (it would refresh them itself when done).
    pub fn ensure_views(&mut self) -> Result<(), StoreError> {
        if self.views_current()? {
            return Ok(());
        }
        match self.refresh_views() {
            Ok(_) | Err(StoreError::Busy) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Brings the corpus views up to the per-document analyses (see the
    /// module docs): only what the documents analyzed since the last
    /// refresh touch.
    pub fn refresh_views(&mut self) -> Result<ViewSummary, StoreError> {
        self.store.lock_writer()?;
        let (_, generation) = self.view_generations()?;
        let (pending, seen_before) = pending_in_arrival_order(self.db())?;
        let mut clock = StageClock::new();
        // In slices, each its own transaction: a whole corpus pending (a
        // first ingest, a migration) is taken in with a bounded working
        // set and a bounded write-ahead log (one transaction over 250,000
        // articles grew it to gigabytes, and every page read searched it).
        // A slice leaves the views as an increment of its documents would;
        // the generation is recorded with the last, so a refresh cut off
        // between slices is taken up again from the documents still
        // pending. The documents whose contributions the views hold
        // (replaced, reanalysed, deleted) go first, all in one slice: until
        // they are taken back, such a document's stored rows and its new
        // analysis disagree, and the timeline reads stored rows.
        // The new documents follow in the reuse index's arrival order
        // (date, then id), so reuse and stories see them as one refresh
        // would.
        let slices = refresh_slices(&pending, seen_before);
        let mut reuse_carry = reuse::ReuseCarry::new(pending.len());
        let mut clusterer = None;
        let last = slices.len() - 1;
        // A slice that rebuilt the reuse history (a document changed text)
        // leaves placing every document in stories to the last slice, when
        // every document's entities are current.
        let mut reuse_rebuilt = false;
        for (i, slice) in slices.into_iter().enumerate() {
            let tx = self.db_mut().transaction()?;
            let changed = entities::update(&tx, slice)?;
            clock.lap("entities");
            timeline::update(&tx, &changed)?;
            clock.lap("timeline");
            graph::update(&tx, &changed)?;
            clock.lap("graph");
            {
                let mut done = tx.prepare_cached("DELETE FROM view_pending WHERE doc_id = ?1")?;
                for id in slice {
                    done.execute([id])?;
                }
            }
            // Reuse and stories: incremental, see reuse.rs and stories.rs.
            let reuse = reuse::update(&tx, slice, &mut reuse_carry)?;
            reuse_rebuilt |= reuse.rebuilt;
            clock.lap("reuse");
            if !reuse_rebuilt || i == last {
                let entities_of = |doc: &str| -> Vec<String> { heaviest_entities(&tx, doc).unwrap_or_default() };
                let partners_of = |doc: &str| reuse::passage_partners(&tx, doc);
                let added = if reuse_rebuilt { &[][..] } else { &reuse.added[..] };
                stories::update(&tx, added, reuse_rebuilt, &entities_of, &partners_of, &mut clusterer)?;
                clock.lap("stories");
            }
            if i == last {
                tx.execute("INSERT OR REPLACE INTO view_state (key, value) VALUES ('generation', ?1)", [generation])?;
            }
            tx.commit()?;
            clock.lap("commit");
        }
        let count = |sql: &str| -> Result<usize, StoreError> {
            Ok(self.db().query_row(sql, [], |r| r.get::<_, i64>(0))?.max(0) as usize)
        };
        Ok(ViewSummary {
            documents: count("SELECT COUNT(*) FROM analyses")?,
            entities: count("SELECT COUNT(*) FROM entities")?,
            timeline: count("SELECT COUNT(*) FROM timeline")?,
            edges: count("SELECT COUNT(*) FROM graph_edges")?,
        })
    }

    /// Clears the corpus views and builds them again from every analysis,
    /// as one batch: what the incremental refresh must always agree with.
    pub fn rebuild_views(&mut self) -> Result<ViewSummary, StoreError> {
        self.store.lock_writer()?;
        {
            let tx = self.db_mut().transaction()?;
            for table in VIEW_TABLES {
                tx.execute(&format!("DELETE FROM {table}"), [])?;
            }
            tx.execute("INSERT OR IGNORE INTO view_pending (doc_id) SELECT doc_id FROM analyses", [])?;
            tx.commit()?;
        }
        self.refresh_views()
    }
}

/// Pending documents one transaction of a refresh takes in (a few in the
/// unit tests, so that every refresh of more than a handful of documents
/// they make goes through several slices).
const REFRESH_SLICE: usize = if cfg!(test) { 7 } else { 20_000 };

/// The pending documents, those whose earlier contributions the views
/// still hold first (how many is the second value: deleted documents, and
/// those with rows in `entity_locals`, `timeline_items` or `graph_docs`,
/// which is none after `rebuild_views` cleared the views, so a rebuild is
/// sliced like a first ingest), then the new ones in the order the reuse
/// index takes them in: dated first, by date, then by id (see
/// `reuse::add_fresh`).
fn pending_in_arrival_order(db: &Connection) -> Result<(Vec<String>, usize), StoreError> {
    let rows: Vec<(String, bool)> = db
        .prepare(
            "SELECT p.doc_id,
                    d.id IS NULL
                    OR EXISTS (SELECT 1 FROM entity_locals e WHERE e.doc_id = p.doc_id)
                    OR EXISTS (SELECT 1 FROM timeline_items t WHERE t.doc_id = p.doc_id)
                    OR EXISTS (SELECT 1 FROM graph_docs g WHERE g.doc_id = p.doc_id) AS seen
             FROM view_pending p LEFT JOIN documents d ON d.id = p.doc_id
             ORDER BY seen DESC, d.date IS NULL, d.date, p.doc_id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let seen = rows.iter().take_while(|(_, seen)| *seen).count();
    Ok((rows.into_iter().map(|(id, _)| id).collect(), seen))
}

/// The slices of a refresh: the first `seen_before` pending documents
/// together, then the rest by [`REFRESH_SLICE`]; always at least one.
fn refresh_slices(pending: &[String], seen_before: usize) -> Vec<&[String]> {
    let (seen, new) = pending.split_at(seen_before);
    let mut slices: Vec<&[String]> = Vec::new();
    if !seen.is_empty() {
        slices.push(seen);
    }
    slices.extend(new.chunks(REFRESH_SLICE));
    if slices.is_empty() {
        slices.push(pending);
    }
    slices
}

/// Stage timings of a refresh on stderr, when `MARSAD_TIMINGS` is set: how
/// a slow increment is taken apart.
struct StageClock(Option<std::time::Instant>);

impl StageClock {
    fn new() -> StageClock {
        StageClock(std::env::var_os("MARSAD_TIMINGS").map(|_| std::time::Instant::now()))
    }

    fn lap(&mut self, stage: &str) {
        if let Some(start) = self.0.as_mut() {
            eprintln!("refresh: {stage} {:.3} s", start.elapsed().as_secs_f64());
            *start = std::time::Instant::now();
        }
    }
}

/// The tables the incremental views keep (reuse and stories aside).
const VIEW_TABLES: [&str; 22] = [
    "entities",
    "entity_names",
    "entity_docs",
    "entity_locals",
    "entity_keys",
    "entity_key_docs",
    "entity_families",
    "entity_clusters",
    "entity_cluster_docs",
    "entity_cluster_names",
    "entity_cluster_variants",
    "entity_cluster_roles",
    "timeline",
    "timeline_actors",
    "timeline_items",
    "timeline_units",
    "timeline_unit_names",
    "graph_edges",
    "graph_edge_kinds",
    "graph_docs",
    "view_state",
    "view_pending",
];

/// A document's corpus entities, most mentioned first.
fn heaviest_entities(db: &Connection, doc: &str) -> Result<Vec<String>, StoreError> {
    let mut weighted: Vec<(i64, String)> = db
        .prepare_cached("SELECT mentions, entity_id FROM entity_docs WHERE doc_id = ?1")?
        .query_map([doc], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    weighted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut ids: Vec<String> = Vec::new();
    for (_, id) in weighted {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// A document the reuse index has just taken in, for the stages that follow
/// (stories).
#[derive(Clone, Debug)]
pub(crate) struct NewlyIndexed {
    pub id: String,
    pub date: Option<String>,
    pub title: Option<String>,
    /// The earlier document it most closely duplicates, if any.
    pub near_duplicate_of: Option<String>,
}
