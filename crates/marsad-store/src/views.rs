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
//! `view_pending`; [`Store::refresh_views`] then takes the pending
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
//! after batches, replacements and reanalysis (and [`Store::rebuild_views`]
//! rebuilds from scratch). A refresh runs at the end of every ingest run; a
//! reader that finds the views older than the newest batch (an ingest
//! killed before its end) refreshes them first if it can take the writer
//! lock, and otherwise answers from the previous views.
//!
//! Queries ([`Store::entities`], [`Store::entity`], [`Store::quotes`],
//! [`Store::timeline`], [`Store::graph`]) then read small indexed tables.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use marsad_extract::corpus::{self, Graph, GraphEdge, GraphNode, TimelineEntry};
use marsad_extract::{DocumentAnalysis, DocumentInput, EntityType, SpeakerKind};
use marsad_ingest::CleanDocument;
use rusqlite::{params, Connection, OptionalExtension, ToSql};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::store::Store;
use crate::timeline_view::{TIMELINE_ORDER, TIMELINE_ORDER_DESC};

/// Version of the analysis written with each document. Bump when the
/// extractors change what they produce; `marsad reanalyze` brings older
/// documents up to date.
pub const ANALYSIS_VERSION: i64 = 1;

/// A cleaned document with its analysis, as the ingest pipeline hands it to
/// the store.
#[derive(Clone, Debug)]
pub struct AnalyzedDocument {
    pub clean: CleanDocument,
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

/// Runs the extractors on a cleaned document.
pub fn analyze(doc: &CleanDocument) -> DocumentAnalysis {
    let input = DocumentInput { text: &doc.text, title: doc.source.title.as_deref(), date: doc.source.date.as_deref() };
    catch_unwind(AssertUnwindSafe(|| marsad_extract::analyze_document(&input))).unwrap_or_default()
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
            add.execute(params![id, r.source as i64, r.target as i64, r.kind])?;
        }
    }
    Ok(())
}

pub(crate) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("cannot encode: {e}")))
}

pub(crate) fn decode<T: for<'de> Deserialize<'de>>(json: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
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

pub(crate) fn parse_type(s: &str) -> Result<EntityType, StoreError> {
    EntityType::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown entity type {s:?}")))
}

/// What [`Store::refresh_views`] built.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ViewSummary {
    pub documents: usize,
    pub entities: usize,
    pub timeline: usize,
    pub edges: usize,
}

/// An entity of the corpus, as listed by [`Store::entities`]: the
/// resolver's own record, stored as it came out.
pub use marsad_extract::corpus::GlobalEntity as EntityRecord;

/// Filter and page of [`Store::entities`].
#[derive(Clone, Debug, Default)]
pub struct EntityFilter {
    pub entity_type: Option<EntityType>,
    /// Only entities with a name or variant containing this (normalized).
    pub name: Option<String>,
    pub offset: usize,
    /// `None`: all.
    pub limit: Option<usize>,
    /// Keep at most this many ids in each entity's `docs` (`None`: all).
    /// A list page shows the count (`doc_count`), not the ids: the top
    /// entities of a large corpus appear in thousands of documents.
    pub doc_ids: Option<usize>,
}

/// A page of entities, most documents first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EntityList {
    pub total: usize,
    pub entities: Vec<ListedEntity>,
}

/// An entity as listed: the record plus how many documents it appears in,
/// which stays right when `docs` is cut short ([`EntityFilter::doc_ids`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListedEntity {
    #[serde(flatten)]
    pub entity: EntityRecord,
    pub doc_count: usize,
}

impl std::ops::Deref for ListedEntity {
    type Target = EntityRecord;
    fn deref(&self) -> &EntityRecord {
        &self.entity
    }
}

/// A quotation with its speaker resolved to a corpus entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRecord {
    pub speaker: Option<SpeakerRef>,
    pub speaker_text: String,
    pub speaker_kind: String,
    pub text: String,
    pub direct: bool,
    pub continuation: bool,
    pub verb: Option<String>,
    pub doc: String,
    /// The sentence the quote starts in.
    pub sentence: String,
    pub start: usize,
    pub end: usize,
}

/// The speaker of a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerRef {
    pub id: String,
    pub name: String,
}

/// Filter and page of [`Store::quotes`].
#[derive(Clone, Debug, Default)]
pub struct QuoteFilter {
    /// An entity id or a name (matched like [`Store::entity`]), or the
    /// words of an unresolved speaker (محللون).
    pub speaker: Option<String>,
    pub doc: Option<String>,
    pub offset: usize,
    pub limit: Option<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct QuoteList {
    pub total: usize,
    pub quotes: Vec<QuoteRecord>,
}

/// Date bounds of [`Store::timeline`]: ISO prefixes (`2019`, `2019-04`,
/// `2019-04-25`), both inclusive.
#[derive(Clone, Debug, Default)]
pub struct TimelineFilter {
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only events with this entity (id or name) among the actors.
    pub entity: Option<String>,
    /// Include sports fixtures and results (type `sports`), which the
    /// default timeline leaves out: they are their own calendar.
    pub sports: bool,
    /// Page of the (date-sorted) entries; `None`: all.
    pub limit: Option<usize>,
    pub offset: usize,
    /// Count the page from the latest entry back (still returned in date
    /// order): `limit: Some(300), latest: true` is the newest 300.
    pub latest: bool,
}

/// How finely [`Store::timeline_counts`] buckets entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountStep {
    Year,
    Month,
    Day,
}

impl CountStep {
    pub fn parse(s: &str) -> Option<CountStep> {
        match s {
            "year" => Some(CountStep::Year),
            "month" => Some(CountStep::Month),
            "day" => Some(CountStep::Day),
            _ => None,
        }
    }

    /// Characters of the ISO date that name the bucket.
    fn prefix(self) -> usize {
        match self {
            CountStep::Year => 4,
            CountStep::Month => 7,
            CountStep::Day => 10,
        }
    }
}

/// Timeline entries in one period: `period` is the date cut to the step
/// (`2015-07`), or the entry's own shorter date when it is less precise
/// (`2015` for a year-only event counted by month).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodCount {
    pub period: String,
    pub count: usize,
}

/// A document an entity appears in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityDocument {
    pub id: String,
    pub title: String,
    pub date: Option<String>,
    pub mentions: usize,
}

/// A neighbour in the actor graph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Neighbour {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub weight: usize,
    pub kinds: Vec<String>,
}

/// Everything about one entity ([`Store::entity`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityProfile {
    #[serde(flatten)]
    pub entity: EntityRecord,
    pub documents: Vec<EntityDocument>,
    pub quotes: Vec<QuoteRecord>,
    pub events: Vec<TimelineEntry>,
    pub neighbours: Vec<Neighbour>,
    /// When the lists were cut short ([`Store::entity_limited`]): how long
    /// they are in full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totals: Option<ProfileTotals>,
}

/// The full lengths of a profile's lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProfileTotals {
    pub documents: usize,
    pub quotes: usize,
    pub events: usize,
}

/// The answer to an entity lookup by id or name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntityLookup {
    Found(Box<EntityProfile>),
    /// The name matches several entities; the best first.
    Ambiguous(Vec<EntityRecord>),
    NotFound,
}

/// Options of [`Store::graph`].
#[derive(Clone, Debug)]
pub struct GraphOptions {
    /// Keep the most mentioned nodes only.
    pub max_nodes: usize,
    /// Drop untyped edges lighter than this.
    pub min_weight: usize,
    /// Keep the heaviest edges only (`None`: all); nodes left without an
    /// edge go too. Among a few hundred of the most present entities of a
    /// large corpus nearly every pair co-occurs somewhere.
    pub max_edges: Option<usize>,
}

impl Default for GraphOptions {
    fn default() -> Self {
        GraphOptions { max_nodes: 300, min_weight: 1, max_edges: None }
    }
}

const ENTITY_COLUMNS: &str = "id, name, type, variants, roles, cluster, mentions";

/// The order entities are listed in: most documents, then most mentions.
const ENTITY_ORDER: &str = "docs DESC, mentions DESC, id";

fn entity_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<[String; 6]> {
    Ok([row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?])
}

/// An entity record from its row, with the first `docs` of its documents
/// (`None`: all).
fn entity_record(
    db: &Connection,
    cols: [String; 6],
    mentions: i64,
    docs: Option<usize>,
) -> Result<EntityRecord, StoreError> {
    let [id, name, t, variants, roles, cluster] = cols;
    let doc_ids: Vec<String> = db
        .prepare_cached(
            "SELECT doc_id FROM entity_cluster_docs WHERE type = ?1 AND cluster = ?2 ORDER BY doc_id LIMIT ?3",
        )?
        .query_map(params![t, cluster, sql_limit(docs)], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(EntityRecord {
        entity_type: parse_type(&t)?,
        variants: decode(&variants, "entity variants")?,
        roles: decode(&roles, "entity roles")?,
        docs: doc_ids,
        id,
        name,
        mentions: mentions.max(0) as usize,
    })
}

impl Store {
    /// Whether the corpus views reflect every stored batch.
    pub fn views_current(&self) -> Result<bool, StoreError> {
        let (seen, newest) = self.view_generations()?;
        Ok(seen >= newest)
    }

    fn view_generations(&self) -> Result<(i64, i64), StoreError> {
        let seen: i64 = self
            .db
            .query_row("SELECT value FROM view_state WHERE key = 'generation'", [], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        let newest: i64 = self.db.query_row("SELECT COALESCE(MAX(generation), 0) FROM batches", [], |r| r.get(0))?;
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
        self.lock_writer()?;
        let (_, generation) = self.view_generations()?;
        let (pending, seen_before) = pending_in_arrival_order(&self.db)?;
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
        let mut reuse_carry = crate::reuse::ReuseCarry::new(pending.len());
        let mut clusterer = None;
        let last = slices.len() - 1;
        // A slice that rebuilt the reuse history (a document changed text)
        // leaves placing every document in stories to the last slice, when
        // every document's entities are current.
        let mut reuse_rebuilt = false;
        for (i, slice) in slices.into_iter().enumerate() {
            let tx = self.db.transaction()?;
            let changed = crate::entity_view::update(&tx, slice)?;
            clock.lap("entities");
            crate::timeline_view::update(&tx, &changed)?;
            clock.lap("timeline");
            crate::graph_view::update(&tx, &changed)?;
            clock.lap("graph");
            {
                let mut done = tx.prepare_cached("DELETE FROM view_pending WHERE doc_id = ?1")?;
                for id in slice {
                    done.execute([id])?;
                }
            }
            // Reuse and stories: incremental, see reuse.rs and stories.rs.
            let reuse = crate::reuse::update(&tx, slice, &mut reuse_carry)?;
            reuse_rebuilt |= reuse.rebuilt;
            clock.lap("reuse");
            if !reuse_rebuilt || i == last {
                let entities_of = |doc: &str| -> Vec<String> { heaviest_entities(&tx, doc).unwrap_or_default() };
                let partners_of = |doc: &str| crate::reuse::passage_partners(&tx, doc);
                let added = if reuse_rebuilt { &[][..] } else { &reuse.added[..] };
                crate::stories::update(&tx, added, reuse_rebuilt, &entities_of, &partners_of, &mut clusterer)?;
                clock.lap("stories");
            }
            if i == last {
                tx.execute("INSERT OR REPLACE INTO view_state (key, value) VALUES ('generation', ?1)", [generation])?;
            }
            tx.commit()?;
            clock.lap("commit");
        }
        let count = |sql: &str| -> Result<usize, StoreError> {
            Ok(self.db.query_row(sql, [], |r| r.get::<_, i64>(0))?.max(0) as usize)
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
        self.lock_writer()?;
        {
            let tx = self.db.transaction()?;
            for table in VIEW_TABLES {
                tx.execute(&format!("DELETE FROM {table}"), [])?;
            }
            tx.execute("INSERT OR IGNORE INTO view_pending (doc_id) SELECT doc_id FROM analyses", [])?;
            tx.commit()?;
        }
        self.refresh_views()
    }

    /// Corpus entities, most documents first.
    pub fn entities(&self, filter: &EntityFilter) -> Result<EntityList, StoreError> {
        let mut clauses = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if let Some(t) = filter.entity_type {
            clauses.push(format!("type = ?{}", args.len() + 1));
            args.push(t.as_str().to_owned());
        }
        if let Some(name) = filter.name.as_deref() {
            let key = corpus::name_key(name);
            if !key.is_empty() {
                clauses.push(format!(
                    "id IN (SELECT entity_id FROM entity_names WHERE instr(key, ?{}) > 0)",
                    args.len() + 1
                ));
                args.push(key);
            }
        }
        let filter_sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        let total: i64 = self.db.query_row(
            &format!("SELECT COUNT(*) FROM entities {filter_sql}"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let limit = filter.limit.map_or(-1, |l| l as i64);
        let sql = format!(
            "SELECT {ENTITY_COLUMNS}, docs FROM entities {filter_sql} ORDER BY {ENTITY_ORDER} LIMIT {limit} OFFSET {}",
            filter.offset
        );
        let mut stmt = self.db.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |row| {
            Ok((entity_from_row(row)?, row.get::<_, i64>(6)?, row.get::<_, i64>(7)?))
        })?;
        let mut entities = Vec::new();
        for row in rows {
            let (cols, mentions, docs) = row?;
            let entity = entity_record(&self.db, cols, mentions, filter.doc_ids)?;
            entities.push(ListedEntity { entity, doc_count: docs.max(0) as usize });
        }
        Ok(EntityList { total: total as usize, entities })
    }

    /// Finds entities by id, or by name: the name's key equal to a
    /// variant's, else contained in one; best ranked first.
    pub fn find_entities(&self, id_or_name: &str) -> Result<Vec<EntityRecord>, StoreError> {
        let query = id_or_name.trim();
        let by_id = self
            .db
            .query_row(&format!("SELECT {ENTITY_COLUMNS} FROM entities WHERE id = ?1"), [query], |row| {
                Ok((entity_from_row(row)?, row.get::<_, i64>(6)?))
            })
            .optional()?;
        if let Some((cols, mentions)) = by_id {
            return Ok(vec![entity_record(&self.db, cols, mentions, None)?]);
        }
        let key = corpus::name_key(query);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        for sql in [
            "SELECT DISTINCT entity_id FROM entity_names WHERE key = ?1",
            "SELECT DISTINCT entity_id FROM entity_names WHERE (' ' || key || ' ') LIKE ('% ' || ?1 || ' %')",
            "SELECT DISTINCT entity_id FROM entity_names WHERE instr(key, ?1) > 0",
        ] {
            let ids: Vec<String> = self.db.prepare(sql)?.query_map([&key], |r| r.get(0))?.collect::<Result<_, _>>()?;
            if ids.is_empty() {
                continue;
            }
            let mut found = Vec::new();
            let mut stmt = self.db.prepare(&format!("SELECT {ENTITY_COLUMNS}, docs FROM entities WHERE id = ?1"))?;
            let mut ranked = Vec::new();
            for id in ids {
                if let Some((cols, mentions, docs)) = stmt
                    .query_row([&id], |row| Ok((entity_from_row(row)?, row.get::<_, i64>(6)?, row.get::<_, i64>(7)?)))
                    .optional()?
                {
                    ranked.push((
                        std::cmp::Reverse(docs),
                        std::cmp::Reverse(mentions),
                        cols[0].clone(),
                        cols,
                        mentions,
                    ));
                }
            }
            ranked.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
            for (.., cols, mentions) in ranked {
                found.push(entity_record(&self.db, cols, mentions, None)?);
            }
            return Ok(found);
        }
        Ok(Vec::new())
    }

    /// The profile of one entity, by id or name. A name that matches
    /// several entities equally well is [`EntityLookup::Ambiguous`].
    pub fn entity(&self, id_or_name: &str) -> Result<EntityLookup, StoreError> {
        self.entity_limited(id_or_name, None)
    }

    /// [`Store::entity`] with its documents, quotes and events cut to the
    /// first `limit` each (`None`: all), and then [`EntityProfile::totals`]
    /// set. A page shows the first of each and asks for more; the most
    /// present entities of a large corpus have thousands of each.
    pub fn entity_limited(&self, id_or_name: &str, limit: Option<usize>) -> Result<EntityLookup, StoreError> {
        let found = self.find_entities(id_or_name)?;
        let entity = match found.len() {
            0 => return Ok(EntityLookup::NotFound),
            1 => found.into_iter().next().expect("one"),
            _ => {
                // An exact name wins; otherwise let the user choose.
                let key = corpus::name_key(id_or_name);
                let exact: Vec<&EntityRecord> = found.iter().filter(|e| corpus::name_key(&e.name) == key).collect();
                if exact.len() == 1 {
                    exact[0].clone()
                } else {
                    return Ok(EntityLookup::Ambiguous(found));
                }
            }
        };
        let mut documents = Vec::new();
        {
            let mut stmt = self.db.prepare(
                "SELECT d.id, d.display_title, d.date, SUM(ed.mentions) FROM entity_docs ed
                 JOIN documents d ON d.id = ed.doc_id
                 WHERE ed.entity_id = ?1 GROUP BY d.id ORDER BY d.date, d.id LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![&entity.id, sql_limit(limit)], |r| {
                Ok(EntityDocument {
                    id: r.get(0)?,
                    title: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    date: r.get(2)?,
                    mentions: r.get::<_, i64>(3)?.max(0) as usize,
                })
            })?;
            for row in rows {
                documents.push(row?);
            }
        }
        let quote_list =
            self.quotes(&QuoteFilter { speaker: Some(entity.id.clone()), limit, ..QuoteFilter::default() })?;
        let quotes = quote_list.quotes;
        let event_filter = TimelineFilter { entity: Some(entity.id.clone()), limit, ..TimelineFilter::default() };
        let events = self.timeline(&event_filter)?;
        let mut entity = entity;
        let totals = match limit {
            None => None,
            Some(cap) => {
                let totals = ProfileTotals {
                    documents: entity.docs.len(),
                    quotes: quote_list.total,
                    events: self.timeline_total(&event_filter)?,
                };
                entity.docs.truncate(cap);
                Some(totals)
            }
        };
        let mut neighbours = Vec::new();
        {
            let mut stmt = self.db.prepare(
                "SELECT e.id, e.name, e.type, g.weight, g.kinds FROM graph_edges g
                 JOIN entities e ON e.id = CASE WHEN g.source = ?1 THEN g.target ELSE g.source END
                 WHERE g.source = ?1 OR g.target = ?1
                 ORDER BY g.weight DESC, e.docs DESC, e.mentions DESC, e.id LIMIT 50",
            )?;
            let rows = stmt.query_map([&entity.id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?;
            for row in rows {
                let (id, name, t, weight, kinds) = row?;
                neighbours.push(Neighbour {
                    id,
                    name,
                    entity_type: parse_type(&t)?,
                    weight: weight.max(0) as usize,
                    kinds: decode(&kinds, "edge kinds")?,
                });
            }
        }
        Ok(EntityLookup::Found(Box::new(EntityProfile { entity, documents, quotes, events, neighbours, totals })))
    }

    /// Quotations, in document order, with speakers resolved.
    pub fn quotes(&self, filter: &QuoteFilter) -> Result<QuoteList, StoreError> {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if let Some(doc) = filter.doc.as_deref() {
            args.push(doc.to_owned());
            clauses.push(format!("q.doc_id = ?{}", args.len()));
        }
        if let Some(speaker) = filter.speaker.as_deref() {
            let ids: Vec<String> = self.find_entities(speaker)?.into_iter().map(|e| e.id).collect();
            // An id is no speaker's words: then only resolved speakers.
            let by_id = ids.len() == 1 && ids[0] == speaker.trim();
            let mut alternatives = Vec::new();
            for id in ids {
                args.push(id);
                // Through the entity's index rather than `ed.entity_id = ?`
                // on the outer join, which reads every quote of the corpus.
                alternatives.push(format!(
                    "q.rowid IN (SELECT q2.rowid FROM entity_docs ed2 JOIN doc_quotes q2
                                 ON q2.doc_id = ed2.doc_id AND q2.speaker_local = ed2.local
                                 WHERE ed2.entity_id = ?{})",
                    args.len()
                ));
            }
            let key = marsad_text::normalize_key(speaker.trim());
            if !key.is_empty() && !by_id {
                args.push(key);
                alternatives.push(format!("(ed.entity_id IS NULL AND instr(q.speaker_key, ?{}) > 0)", args.len()));
            }
            if alternatives.is_empty() {
                return Ok(QuoteList::default());
            }
            clauses.push(format!("({})", alternatives.join(" OR ")));
        }
        let filter_sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        // speaker_key: the normalized speaker text, for matching unresolved
        // speakers (محللون) by their words.
        let base = format!(
            r#"FROM doc_quotes q
               LEFT JOIN entity_docs ed ON ed.doc_id = q.doc_id AND ed.local = q.speaker_local
               LEFT JOIN entities e ON e.id = ed.entity_id
               {filter_sql}"#
        );
        let mut quotes = Vec::new();
        let limit = filter.limit.map_or(-1, |l| l as i64);
        let sql = format!(
            r#"SELECT e.id, e.name, q.speaker_text, q.speaker_kind, q.text, q.direct, q.continuation,
                      q.verb, q.doc_id, q.sentence, q."start", q."end"
               {base} ORDER BY q.doc_date, q.doc_id, q.seq LIMIT {limit} OFFSET {}"#,
            filter.offset
        );
        let mut rows_out = Vec::new();
        {
            let mut stmt = self.db.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
                let id: Option<String> = r.get(0)?;
                let name: Option<String> = r.get(1)?;
                Ok(QuoteRecord {
                    speaker: id.zip(name).map(|(id, name)| SpeakerRef { id, name }),
                    speaker_text: r.get(2)?,
                    speaker_kind: r.get(3)?,
                    text: r.get(4)?,
                    direct: r.get(5)?,
                    continuation: r.get(6)?,
                    verb: r.get(7)?,
                    doc: r.get(8)?,
                    sentence: r.get(9)?,
                    start: r.get::<_, i64>(10)?.max(0) as usize,
                    end: r.get::<_, i64>(11)?.max(0) as usize,
                })
            })?;
            for row in rows {
                rows_out.push(row?);
            }
        }
        quotes.extend(rows_out);
        let count_sql = if clauses.is_empty() {
            "SELECT COUNT(*) FROM doc_quotes".to_owned()
        } else {
            format!("SELECT COUNT(*) {base}")
        };
        let total: i64 = self.db.query_row(&count_sql, rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
        Ok(QuoteList { total: total as usize, quotes })
    }

    /// The timeline, sorted by date (the page of it the filter asks for).
    pub fn timeline(&self, filter: &TimelineFilter) -> Result<Vec<TimelineEntry>, StoreError> {
        let Some((filter_sql, args)) = self.timeline_where(filter)? else { return Ok(Vec::new()) };
        let (limit, offset) = (sql_limit(filter.limit), filter.offset);
        let sql = if filter.latest {
            format!(
                "SELECT json FROM (SELECT * FROM timeline {filter_sql} ORDER BY {TIMELINE_ORDER_DESC} LIMIT {limit} OFFSET {offset})
                 ORDER BY {TIMELINE_ORDER}"
            )
        } else {
            format!("SELECT json FROM timeline {filter_sql} ORDER BY {TIMELINE_ORDER} LIMIT {limit} OFFSET {offset}")
        };
        let mut stmt = self.db.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(decode(&row?, "timeline entry")?);
        }
        Ok(out)
    }

    /// How many entries the filter matches (its `limit` and `offset` aside).
    pub fn timeline_total(&self, filter: &TimelineFilter) -> Result<usize, StoreError> {
        let Some((filter_sql, args)) = self.timeline_where(filter)? else { return Ok(0) };
        let n: i64 = self.db.query_row(
            &format!("SELECT COUNT(*) FROM timeline {filter_sql}"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        Ok(n.max(0) as usize)
    }

    /// Entries per period (its `limit` and `offset` aside), in date order:
    /// the overview a timeline draws before it loads the entries of the
    /// range in view.
    pub fn timeline_counts(&self, filter: &TimelineFilter, step: CountStep) -> Result<Vec<PeriodCount>, StoreError> {
        let Some((filter_sql, args)) = self.timeline_where(filter)? else { return Ok(Vec::new()) };
        let mut stmt = self.db.prepare(&format!(
            "SELECT substr(date, 1, {n}) AS p, COUNT(*) FROM timeline {filter_sql} GROUP BY p ORDER BY p",
            n = step.prefix()
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok(PeriodCount { period: r.get(0)?, count: r.get::<_, i64>(1)?.max(0) as usize })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The `WHERE` clause and its arguments for a timeline filter; `None`
    /// when it can match nothing (an unknown entity).
    fn timeline_where(&self, filter: &TimelineFilter) -> Result<Option<(String, Vec<String>)>, StoreError> {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if let Some(from) = filter.from.as_deref() {
            args.push(from.to_owned());
            // An entry dated 2019 (year) is within --from 2019-04.
            clauses.push(format!("(date >= ?{n} OR substr(?{n}, 1, length(date)) = date)", n = args.len()));
        }
        if let Some(to) = filter.to.as_deref() {
            args.push(to.to_owned());
            clauses.push(format!("(date <= ?{n} OR substr(date, 1, length(?{n})) = ?{n})", n = args.len()));
        }
        if let Some(entity) = filter.entity.as_deref() {
            let ids: Vec<String> = self.find_entities(entity)?.into_iter().map(|e| e.id).collect();
            if ids.is_empty() {
                return Ok(None);
            }
            let mut alternatives = Vec::new();
            for id in ids {
                args.push(id);
                alternatives.push(format!("?{}", args.len()));
            }
            clauses.push(format!(
                "seq IN (SELECT seq FROM timeline_actors WHERE entity_id IN ({}))",
                alternatives.join(", ")
            ));
        }
        if !filter.sports {
            // In SQL rather than after decoding, so pages and counts agree.
            clauses.push("json_extract(json, '$.type') IS NOT 'sports'".to_owned());
        }
        let filter_sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        Ok(Some((filter_sql, args)))
    }

    /// The actor graph, pruned to the most mentioned nodes.
    pub fn graph(&self, options: &GraphOptions) -> Result<Graph, StoreError> {
        let mut nodes = Vec::new();
        {
            let mut stmt = self.db.prepare(
                "SELECT id, name, type, mentions FROM entities ORDER BY docs DESC, mentions DESC, id LIMIT ?1",
            )?;
            let rows = stmt.query_map([options.max_nodes as i64], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?))
            })?;
            for row in rows {
                let (id, name, t, mentions) = row?;
                nodes.push(GraphNode { id, name, entity_type: parse_type(&t)?, mentions: mentions.max(0) as usize });
            }
        }
        let kept: std::collections::HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
        let mut edges = Vec::new();
        {
            let mut stmt = self.db.prepare(
                "SELECT source, target, weight, kinds FROM graph_edges
                 WHERE weight >= ?1 OR kinds <> '[]'",
            )?;
            let rows = stmt.query_map([options.min_weight as i64], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?))
            })?;
            for row in rows {
                let (source, target, weight, kinds) = row?;
                if kept.contains(source.as_str()) && kept.contains(target.as_str()) {
                    edges.push(GraphEdge {
                        source,
                        target,
                        weight: weight.max(0) as usize,
                        kinds: decode(&kinds, "edge kinds")?,
                    });
                }
            }
        }
        edges.sort_by(|a, b| {
            b.weight.cmp(&a.weight).then_with(|| a.source.cmp(&b.source)).then_with(|| a.target.cmp(&b.target))
        });
        if let Some(max) = options.max_edges {
            edges.truncate(max);
        }
        let linked: std::collections::HashSet<String> =
            edges.iter().flat_map(|e| [e.source.clone(), e.target.clone()]).collect();
        nodes.retain(|n| linked.contains(&n.id));
        Ok(Graph { nodes, edges })
    }

    /// The corpus entity id of each of a document's local entities, by local
    /// index ([`marsad_extract::Mention::entity`]); `None` where the views
    /// list none (a document not yet refreshed).
    pub fn entity_ids_of(&self, doc: &str) -> Result<Vec<Option<String>>, StoreError> {
        let mut stmt = self.db.prepare_cached("SELECT local, entity_id FROM entity_docs WHERE doc_id = ?1")?;
        let rows = stmt.query_map([doc], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut ids: Vec<Option<String>> = Vec::new();
        for row in rows {
            let (local, id) = row?;
            let local = usize::try_from(local).unwrap_or(usize::MAX);
            if local >= ids.len() {
                if local == usize::MAX {
                    continue;
                }
                ids.resize(local + 1, None);
            }
            ids[local] = Some(id);
        }
        Ok(ids)
    }

    /// The stored analysis of a document (sentences recomputed from its
    /// text), if it has one.
    pub fn analysis(&self, id: &str) -> Result<Option<DocumentAnalysis>, StoreError> {
        let row: Option<(String, String)> = self
            .db
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
        let documents: i64 = self.db.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))?;
        let current: i64 =
            self.db.query_row("SELECT COUNT(*) FROM analyses WHERE version = ?1", [ANALYSIS_VERSION], |r| r.get(0))?;
        Ok((documents - current).max(0) as usize)
    }

    /// Re-runs the extractors on stored documents (`all`, or only those
    /// whose analysis is missing or outdated), then refreshes the views.
    /// `progress` gets (done, total). Returns the documents analyzed.
    pub fn reanalyze(&mut self, all: bool, mut progress: impl FnMut(usize, usize)) -> Result<usize, StoreError> {
        self.lock_writer()?;
        let sql = if all {
            "SELECT d.id FROM documents d ORDER BY d.id"
        } else {
            "SELECT d.id FROM documents d LEFT JOIN analyses a ON a.doc_id = d.id
             WHERE a.doc_id IS NULL OR a.version <> ?1 ORDER BY d.id"
        };
        let ids: Vec<String> = {
            let mut stmt = self.db.prepare(sql)?;
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
                let mut stmt = self.db.prepare_cached("SELECT text, title, date FROM documents WHERE id = ?1")?;
                for id in chunk {
                    let (text, title, date): (String, Option<String>, Option<String>) =
                        stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                    loaded.push((id.clone(), text, title, date));
                }
            }
            let analyses = analyze_parallel(&loaded);
            let tx = self.db.transaction()?;
            for ((id, text, _, date), analysis) in loaded.iter().zip(&analyses) {
                write_analysis(&tx, id, date.as_deref(), text, analysis)?;
            }
            tx.commit()?;
            progress((n * 500 + chunk.len()).min(total), total);
        }
        self.db.execute("DELETE FROM view_state", [])?;
        self.refresh_views()?;
        Ok(total)
    }
}

/// Analyzes documents on all cores (at most four threads).
fn analyze_parallel(docs: &[(String, String, Option<String>, Option<String>)]) -> Vec<DocumentAnalysis> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let chunk = docs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = docs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(_, text, title, date)| {
                            let input = DocumentInput { text, title: title.as_deref(), date: date.as_deref() };
                            catch_unwind(AssertUnwindSafe(|| marsad_extract::analyze_document(&input)))
                                .unwrap_or_default()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    })
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

/// Adds `delta` to the count `n` of the row of `table` keyed by `cols` =
/// `values`, deleting the row at zero. Returns the new count.
pub(crate) fn bump(
    db: &Connection,
    table: &str,
    cols: &[&str],
    values: &[&dyn ToSql],
    delta: i64,
) -> Result<i64, StoreError> {
    let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}, n) VALUES ({}, ?{}) ON CONFLICT DO UPDATE SET n = n + excluded.n RETURNING n",
        cols.join(", "),
        marks.join(", "),
        cols.len() + 1
    );
    let mut args: Vec<&dyn ToSql> = values.to_vec();
    args.push(&delta);
    let n: i64 = db.prepare_cached(&sql)?.query_row(&args[..], |r| r.get(0))?;
    if n <= 0 {
        let by: Vec<String> = cols.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 1)).collect();
        db.prepare_cached(&format!("DELETE FROM {table} WHERE {}", by.join(" AND ")))?.execute(values)?;
    }
    Ok(n)
}

/// The corpus entity of each local entity of a document, by local index
/// (an unresolved one where the view has none).
pub(crate) fn refs_of(db: &Connection, doc: &str) -> Result<Vec<corpus::EntityRef>, StoreError> {
    let mut stmt = db.prepare_cached(
        "SELECT l.local, e.id, e.name, e.type FROM entity_locals l
         JOIN entity_clusters c ON c.type = l.type AND c.cluster = l.cluster
         JOIN entities e ON e.id = c.id
         WHERE l.doc_id = ?1 ORDER BY l.local",
    )?;
    let rows = stmt.query_map([doc], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    let mut refs: BTreeMap<usize, corpus::EntityRef> = BTreeMap::new();
    for row in rows {
        let (local, id, name, t) = row?;
        refs.insert(local.max(0) as usize, corpus::EntityRef { id, name, entity_type: parse_type(&t)? });
    }
    let len = refs.keys().next_back().map_or(0, |l| l + 1);
    Ok((0..len)
        .map(|l| {
            refs.remove(&l).unwrap_or(corpus::EntityRef {
                id: String::new(),
                name: String::new(),
                entity_type: EntityType::Misc,
            })
        })
        .collect())
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

/// SQLite's `LIMIT`: -1 is no limit.
pub(crate) fn sql_limit(limit: Option<usize>) -> i64 {
    limit.map_or(-1, |n| n.min(i64::MAX as usize) as i64)
}
