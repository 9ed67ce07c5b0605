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
//! *Corpus views* (`entities`, `entity_names`, `entity_docs`, `timeline`,
//! `timeline_actors`, `graph_edges`) depend on every document: that ترمب in
//! one article is دونالد ترامب in another, that three articles tell one
//! summit. [`Store::refresh_views`] rebuilds them whole from the
//! per-document tables with the pure functions of
//! [`marsad_extract::corpus`], in one transaction, and records the batch
//! generation it saw in `view_state`. It runs at the end of every ingest
//! run; a reader that finds the views older than the newest batch (an
//! ingest killed before its end) refreshes them first if it can take the
//! writer lock, and otherwise answers from the previous views. Rebuilding
//! rather than patching keeps the views a function of the documents —
//! the same corpus always gives the same ids — at a cost linear in the
//! number of entity mentions (about a second for 26k articles).
//!
//! Queries ([`Store::entities`], [`Store::entity`], [`Store::quotes`],
//! [`Store::timeline`], [`Store::graph`]) then read small indexed tables.

use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};

use marsad_extract::corpus::{
    self, DocEntities, DocEvents, DocGraphInput, EntityRef, Graph, GraphEdge, GraphNode, TimelineEntry,
};
use marsad_extract::{DocumentAnalysis, DocumentInput, EntityType, Event, LocalEntity, Relation, SpeakerKind};
use marsad_ingest::CleanDocument;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::store::Store;

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

fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("cannot encode: {e}")))
}

fn decode<T: for<'de> Deserialize<'de>>(json: &str, what: &str) -> Result<T, StoreError> {
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

const ENTITY_COLUMNS: &str = "id, name, type, variants, roles, doc_ids, mentions";

fn entity_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<[String; 6]> {
    Ok([row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?])
}

fn entity_record(cols: [String; 6], mentions: i64) -> Result<EntityRecord, StoreError> {
    let [id, name, t, variants, roles, docs] = cols;
    Ok(EntityRecord {
        entity_type: parse_type(&t)?,
        variants: decode(&variants, "entity variants")?,
        roles: decode(&roles, "entity roles")?,
        docs: decode(&docs, "entity documents")?,
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

    /// Rebuilds the corpus views from the per-document analyses (see the
    /// module docs).
    pub fn refresh_views(&mut self) -> Result<ViewSummary, StoreError> {
        self.lock_writer()?;
        let (_, generation) = self.view_generations()?;
        let docs = load_doc_entities(&self.db)?;
        let inputs: Vec<DocEntities<'_>> =
            docs.iter().map(|d| DocEntities { doc: &d.doc, entities: &d.entities }).collect();
        let resolution = corpus::resolve_entities(&inputs);
        let refs: Vec<EntityRef> = resolution
            .entities
            .iter()
            .map(|e| EntityRef { id: e.id.clone(), name: e.name.clone(), entity_type: e.entity_type })
            .collect();
        // Per document: local entity → corpus entity.
        let local_refs: HashMap<&str, Vec<EntityRef>> = docs
            .iter()
            .zip(&resolution.assignment)
            .map(|(d, assigned)| {
                let refs = assigned.iter().map(|&g| refs.get(g).cloned().unwrap_or_else(unresolved_ref)).collect();
                (d.doc.as_str(), refs)
            })
            .collect();

        // Timeline.
        let events = load_doc_events(&self.db)?;
        let empty: Vec<EntityRef> = Vec::new();
        let event_inputs: Vec<DocEvents<'_>> = events
            .iter()
            .map(|(doc, date, evs)| DocEvents {
                doc,
                doc_date: date.as_deref(),
                events: evs,
                entities: local_refs.get(doc.as_str()).unwrap_or(&empty),
            })
            .collect();
        let timeline = corpus::build_timeline(&event_inputs);

        // Graph.
        let relations = load_doc_relations(&self.db)?;
        let no_relations: Vec<Relation> = Vec::new();
        let graph_inputs: Vec<DocGraphInput<'_>> = docs
            .iter()
            .map(|d| DocGraphInput {
                entity_sentences: &d.sentences,
                entities: local_refs.get(d.doc.as_str()).unwrap_or(&empty),
                relations: relations.get(d.doc.as_str()).unwrap_or(&no_relations),
            })
            .collect();
        let graph = corpus::build_graph(&graph_inputs);

        let tx = self.db.transaction()?;
        for table in ["entities", "entity_names", "entity_docs", "timeline", "timeline_actors", "graph_edges"] {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        {
            let mut add_entity = tx.prepare(
                "INSERT OR REPLACE INTO entities (id, rank, type, name, variants, roles, docs, doc_ids, mentions)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            let mut add_name = tx.prepare("INSERT INTO entity_names (key, entity_id) VALUES (?1, ?2)")?;
            for (rank, e) in resolution.entities.iter().enumerate() {
                add_entity.execute(params![
                    e.id,
                    rank as i64,
                    e.entity_type.as_str(),
                    e.name,
                    encode(&e.variants)?,
                    encode(&e.roles)?,
                    e.docs.len() as i64,
                    encode(&e.docs)?,
                    e.mentions as i64,
                ])?;
                let mut keys: Vec<String> = e
                    .variants
                    .iter()
                    .chain(std::iter::once(&e.name))
                    .map(|v| corpus::name_key(v))
                    .filter(|k| !k.is_empty())
                    .collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    add_name.execute(params![k, e.id])?;
                }
            }
            let mut add_doc = tx.prepare(
                "INSERT OR REPLACE INTO entity_docs (entity_id, doc_id, local, mentions) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (d, assigned) in docs.iter().zip(&resolution.assignment) {
                for (local, &g) in assigned.iter().enumerate() {
                    if let Some(e) = resolution.entities.get(g) {
                        let mentions = d.entities.get(local).map_or(0, |l| l.mentions);
                        add_doc.execute(params![e.id, d.doc, local as i64, mentions as i64])?;
                    }
                }
            }
            let mut add_entry = tx.prepare("INSERT INTO timeline (seq, date, json) VALUES (?1, ?2, ?3)")?;
            let mut add_actor = tx.prepare("INSERT INTO timeline_actors (seq, entity_id) VALUES (?1, ?2)")?;
            for (seq, entry) in timeline.iter().enumerate() {
                add_entry.execute(params![seq as i64, entry.date, encode(entry)?])?;
                for a in entry.actors.iter().chain(entry.place.iter()) {
                    add_actor.execute(params![seq as i64, a.id])?;
                }
            }
            let mut add_edge =
                tx.prepare("INSERT INTO graph_edges (source, target, weight, kinds) VALUES (?1, ?2, ?3, ?4)")?;
            for e in &graph.edges {
                add_edge.execute(params![e.source, e.target, e.weight as i64, encode(&e.kinds)?])?;
            }
            // Reuse and stories: incremental, see reuse.rs and stories.rs.
            let reuse = crate::reuse::update(&tx)?;
            let mentions: HashMap<&str, &DocEntityRows> = docs.iter().map(|d| (d.doc.as_str(), d)).collect();
            let entities_of = |doc: &str| -> Vec<String> {
                let (Some(refs), Some(rows)) = (local_refs.get(doc), mentions.get(doc)) else {
                    return Vec::new();
                };
                let mut weighted: Vec<(usize, &str)> = refs
                    .iter()
                    .zip(&rows.entities)
                    .filter(|(r, _)| !r.id.is_empty())
                    .map(|(r, l)| (l.mentions, r.id.as_str()))
                    .collect();
                weighted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
                let mut ids: Vec<String> = Vec::new();
                for (_, id) in weighted {
                    if !ids.iter().any(|x| x == id) {
                        ids.push(id.to_string());
                    }
                }
                ids
            };
            let names: HashMap<String, EntityRef> = refs.iter().map(|r| (r.id.clone(), r.clone())).collect();
            crate::stories::update(&tx, &reuse.added, reuse.rebuilt, &entities_of, &names)?;
            tx.execute("INSERT OR REPLACE INTO view_state (key, value) VALUES ('generation', ?1)", [generation])?;
        }
        tx.commit()?;
        Ok(ViewSummary {
            documents: docs.len(),
            entities: resolution.entities.len(),
            timeline: timeline.len(),
            edges: graph.edges.len(),
        })
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
            "SELECT {ENTITY_COLUMNS} FROM entities {filter_sql} ORDER BY rank LIMIT {limit} OFFSET {}",
            filter.offset
        );
        let mut stmt = self.db.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |row| {
            Ok((entity_from_row(row)?, row.get::<_, i64>(6)?))
        })?;
        let mut entities = Vec::new();
        for row in rows {
            let (cols, mentions) = row?;
            let mut entity = entity_record(cols, mentions)?;
            let doc_count = entity.docs.len();
            if let Some(cap) = filter.doc_ids {
                entity.docs.truncate(cap);
            }
            entities.push(ListedEntity { entity, doc_count });
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
            return Ok(vec![entity_record(cols, mentions)?]);
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
            let mut stmt = self.db.prepare(&format!("SELECT {ENTITY_COLUMNS}, rank FROM entities WHERE id = ?1"))?;
            let mut ranked = Vec::new();
            for id in ids {
                if let Some((cols, mentions, rank)) = stmt
                    .query_row([&id], |row| Ok((entity_from_row(row)?, row.get::<_, i64>(6)?, row.get::<_, i64>(7)?)))
                    .optional()?
                {
                    ranked.push((rank, cols, mentions));
                }
            }
            ranked.sort_by_key(|r| r.0);
            for (_, cols, mentions) in ranked {
                found.push(entity_record(cols, mentions)?);
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
            let rows = stmt.query_map(params![&entity.id, crate::reuse::sql_limit(limit)], |r| {
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
                 ORDER BY g.weight DESC, e.rank LIMIT 50",
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
        let (limit, offset) = (crate::reuse::sql_limit(filter.limit), filter.offset);
        let sql = if filter.latest {
            format!(
                "SELECT json FROM (SELECT seq, json FROM timeline {filter_sql} ORDER BY seq DESC LIMIT {limit} OFFSET {offset})
                 ORDER BY seq"
            )
        } else {
            format!("SELECT json FROM timeline {filter_sql} ORDER BY seq LIMIT {limit} OFFSET {offset}")
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
            let mut stmt = self.db.prepare("SELECT id, name, type, mentions FROM entities ORDER BY rank LIMIT ?1")?;
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

fn unresolved_ref() -> EntityRef {
    EntityRef { id: String::new(), name: String::new(), entity_type: EntityType::Misc }
}

struct DocEntityRows {
    doc: String,
    entities: Vec<LocalEntity>,
    sentences: Vec<Vec<usize>>,
}

fn load_doc_entities(db: &Connection) -> Result<Vec<DocEntityRows>, StoreError> {
    let mut stmt = db.prepare(
        "SELECT doc_id, local, type, name, variants, roles, mentions, sentences
         FROM doc_entities ORDER BY doc_id, local",
    )?;
    let mut rows = stmt.query([])?;
    let mut out: Vec<DocEntityRows> = Vec::new();
    while let Some(r) = rows.next()? {
        let doc: String = r.get(0)?;
        let local: i64 = r.get(1)?;
        let t: String = r.get(2)?;
        let entity = LocalEntity {
            name: r.get(3)?,
            entity_type: parse_type(&t)?,
            variants: decode(&r.get::<_, String>(4)?, "variants")?,
            roles: decode(&r.get::<_, String>(5)?, "roles")?,
            mentions: r.get::<_, i64>(6)?.max(0) as usize,
        };
        let sentences: Vec<usize> = decode(&r.get::<_, String>(7)?, "sentences")?;
        if out.last().map(|d| d.doc != doc).unwrap_or(true) {
            out.push(DocEntityRows { doc: doc.clone(), entities: Vec::new(), sentences: Vec::new() });
        }
        let d = out.last_mut().expect("pushed");
        // Locals are dense from 0; keep positions aligned even if not.
        while d.entities.len() < local as usize {
            d.entities.push(LocalEntity {
                name: String::new(),
                entity_type: EntityType::Misc,
                variants: Vec::new(),
                roles: Vec::new(),
                mentions: 0,
            });
            d.sentences.push(Vec::new());
        }
        d.entities.push(entity);
        d.sentences.push(sentences);
    }
    Ok(out)
}

type DocEventRows = (String, Option<String>, Vec<Event>);

fn load_doc_events(db: &Connection) -> Result<Vec<DocEventRows>, StoreError> {
    let mut stmt = db.prepare(
        "SELECT e.doc_id, d.date, e.json FROM doc_events e JOIN documents d ON d.id = e.doc_id
         ORDER BY e.doc_id, e.seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut out: Vec<DocEventRows> = Vec::new();
    while let Some(r) = rows.next()? {
        let doc: String = r.get(0)?;
        let date: Option<String> = r.get(1)?;
        let event: Event = decode(&r.get::<_, String>(2)?, "event")?;
        match out.last_mut() {
            Some(last) if last.0 == doc => last.2.push(event),
            _ => out.push((doc, date, vec![event])),
        }
    }
    Ok(out)
}

fn load_doc_relations(db: &Connection) -> Result<BTreeMap<String, Vec<Relation>>, StoreError> {
    let mut stmt = db.prepare("SELECT doc_id, source, target, kind FROM doc_relations")?;
    let mut rows = stmt.query([])?;
    let mut out: BTreeMap<String, Vec<Relation>> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(Relation {
            source: r.get::<_, i64>(1)?.max(0) as usize,
            target: r.get::<_, i64>(2)?.max(0) as usize,
            kind: r.get(3)?,
            sentence: 0,
        });
    }
    Ok(out)
}
