//! The request and response types of the engine's queries, shared by the
//! CLI and the HTTP server so both page, bound and filter alike: a list's
//! page size when the request gives none ([`List::default_limit`]), what a
//! date bound may be (checked by the queries themselves, so a front end
//! cannot forget), and which summary scope a request names
//! ([`SummaryScope::from_request`]). A request the engine cannot answer
//! is [`StoreError::Invalid`]; a thing that does not exist is
//! [`StoreError::NotFound`], whichever front end asked.

use marsad_extract::corpus::TimelineEntry;
use marsad_extract::EntityType;
use marsad_store::StoreError;
use serde::{Deserialize, Serialize};

/// What [`Engine::refresh_views`] built.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ViewSummary {
    /// Documents with an analysis.
    pub documents: usize,
    /// Corpus entities.
    pub entities: usize,
    /// Timeline entries.
    pub timeline: usize,
    /// Graph edges.
    pub edges: usize,
}

/// An entity of the corpus, as listed by [`Engine::entities`]: the
/// resolver's own record, stored as it came out.
pub use marsad_extract::corpus::GlobalEntity as EntityRecord;

/// Filter and page of [`Engine::entities`].
#[derive(Clone, Debug, Default)]
pub struct EntityFilter {
    /// Only entities of this type.
    pub entity_type: Option<EntityType>,
    /// Only entities with a name or variant containing this (normalized).
    pub name: Option<String>,
    /// Entities to skip (for paging).
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
    /// Entities the filter matches.
    pub total: usize,
    /// This page.
    pub entities: Vec<ListedEntity>,
}

/// An entity as listed: the record plus how many documents it appears in,
/// which stays right when `docs` is cut short ([`EntityFilter::doc_ids`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListedEntity {
    /// The entity.
    #[serde(flatten)]
    pub entity: EntityRecord,
    /// Its documents (`docs` may be cut, see [`EntityFilter::doc_ids`]).
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
    /// The corpus entity it resolved to, if any.
    pub speaker: Option<SpeakerRef>,
    /// The speaker as the text names them.
    pub speaker_text: String,
    /// `person`, `organization`, `group`, `description` or `unknown`.
    pub speaker_kind: String,
    /// What was said.
    pub text: String,
    /// Direct speech (quoted) or reported.
    pub direct: bool,
    /// Continues the previous speaker (وأضاف، وتابع).
    pub continuation: bool,
    /// The reporting verb, if any (قال، أكد).
    pub verb: Option<String>,
    /// The document.
    pub doc: String,
    /// The sentence the quote starts in.
    pub sentence: String,
    /// Start of the quote in the document's text (byte offset).
    pub start: usize,
    /// End of the quote in the document's text (byte offset).
    pub end: usize,
}

/// The speaker of a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerRef {
    /// Corpus entity id.
    pub id: String,
    /// Its canonical name.
    pub name: String,
}

/// Filter and page of [`Engine::quotes`].
#[derive(Clone, Debug, Default)]
pub struct QuoteFilter {
    /// An entity id or a name (matched like [`Engine::entity`]), or the
    /// words of an unresolved speaker (محللون).
    pub speaker: Option<String>,
    /// Only quotes of this document.
    pub doc: Option<String>,
    /// Quotes to skip (for paging).
    pub offset: usize,
    /// Quotes to return at most (`None`: all).
    pub limit: Option<usize>,
}

/// A page of quotations, in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct QuoteList {
    /// Quotes the filter matches.
    pub total: usize,
    /// This page.
    pub quotes: Vec<QuoteRecord>,
}

/// Date bounds of [`Engine::timeline`]: ISO prefixes (`2019`, `2019-04`,
/// `2019-04-25`), both inclusive.
#[derive(Clone, Debug, Default)]
pub struct TimelineFilter {
    /// Earliest date (ISO prefix), inclusive.
    pub from: Option<String>,
    /// Latest date (ISO prefix), inclusive.
    pub to: Option<String>,
    /// Only events with this entity (id or name) among the actors.
    pub entity: Option<String>,
    /// Include sports fixtures and results (type `sports`), which the
    /// default timeline leaves out: they are their own calendar.
    pub sports: bool,
    /// Page of the (date-sorted) entries; `None`: all.
    pub limit: Option<usize>,
    /// Entries to skip (for paging).
    pub offset: usize,
    /// Count the page from the latest entry back (still returned in date
    /// order): `limit: Some(300), latest: true` is the newest 300.
    pub latest: bool,
}

/// How finely [`Engine::timeline_counts`] buckets entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountStep {
    /// One count per year.
    Year,
    /// One count per month.
    Month,
    /// One count per day.
    Day,
}

impl CountStep {
    /// `year`, `month` or `day`.
    pub fn parse(s: &str) -> Option<CountStep> {
        match s {
            "year" => Some(CountStep::Year),
            "month" => Some(CountStep::Month),
            "day" => Some(CountStep::Day),
            _ => None,
        }
    }

    /// Characters of the ISO date that name the bucket.
    pub(crate) fn prefix(self) -> usize {
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
    /// The period (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub period: String,
    /// Entries in it.
    pub count: usize,
}

/// A document an entity appears in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityDocument {
    /// Document id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its date, when known.
    pub date: Option<String>,
    /// Mentions of the entity in it.
    pub mentions: usize,
}

/// A neighbour in the actor graph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Neighbour {
    /// Corpus entity id.
    pub id: String,
    /// Its canonical name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    /// Sentences naming both, summed over documents.
    pub weight: usize,
    /// Relation kinds stated between them.
    pub kinds: Vec<String>,
}

/// Everything about one entity ([`Engine::entity`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityProfile {
    /// The entity.
    #[serde(flatten)]
    pub entity: EntityRecord,
    /// Documents that mention it, most mentions first.
    pub documents: Vec<EntityDocument>,
    /// What it said.
    pub quotes: Vec<QuoteRecord>,
    /// Timeline entries it takes part in.
    pub events: Vec<TimelineEntry>,
    /// Entities it is most often named with.
    pub neighbours: Vec<Neighbour>,
    /// When the lists were cut short ([`Engine::entity_limited`]): how long
    /// they are in full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totals: Option<ProfileTotals>,
}

/// The full lengths of a profile's lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProfileTotals {
    /// Documents in all.
    pub documents: usize,
    /// Quotes in all.
    pub quotes: usize,
    /// Timeline entries in all.
    pub events: usize,
}

/// The answer to an entity lookup by id or name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntityLookup {
    /// One entity.
    Found(Box<EntityProfile>),
    /// The name matches several entities; the best first.
    Ambiguous(Vec<EntityRecord>),
    /// No entity has this id or name.
    NotFound,
}

/// Options of [`Engine::graph`].
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

/// One word of a closed vocabulary: its stable key and its Arabic label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Term {
    /// The key answers use (`person`, `summit`, `met`).
    pub key: &'static str,
    /// What a reader is shown.
    pub label: &'static str,
    /// A plural label, where the UI needs one (entity types).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plural: Option<&'static str>,
    /// The family events of this type merge within (event types).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<&'static str>,
}

/// The closed vocabularies answers use, with their Arabic labels: what a
/// front end shows for a key, so the web UI keeps no copy of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Vocabulary {
    /// Entity types.
    pub entity_types: Vec<Term>,
    /// Event types.
    pub event_types: Vec<Term>,
    /// Relation kinds (edge kinds of the actor graph).
    pub relation_kinds: Vec<Term>,
}

impl Vocabulary {
    /// Every vocabulary, in display order.
    pub fn all() -> Vocabulary {
        use marsad_extract::{EventType, RelationKind};
        let term = |key, label| Term { key, label, plural: None, family: None };
        Vocabulary {
            entity_types: EntityType::ALL
                .into_iter()
                .map(|t| Term { plural: Some(t.plural_label()), ..term(t.as_str(), t.label()) })
                .collect(),
            event_types: EventType::ALL
                .into_iter()
                .map(|t| Term { family: Some(t.family()), ..term(t.as_str(), t.label()) })
                .collect(),
            relation_kinds: RelationKind::ALL.into_iter().map(|k| term(k.as_str(), k.label())).collect(),
        }
    }
}

/// The lists front ends page through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    /// Search hits.
    Search,
    /// Stored documents.
    Documents,
    /// Corpus entities.
    Entities,
    /// Quotations.
    Quotes,
    /// Reuse groups.
    Reuse,
    /// Near-duplicate groups.
    Duplicates,
    /// Stories.
    Stories,
}

impl List {
    /// The page size when a request gives none: the same for `marsad` and
    /// the API, so `marsad x --json` and `GET /api/x` answer alike.
    pub const fn default_limit(self) -> usize {
        match self {
            List::Search => 10,
            List::Quotes => 100,
            List::Documents | List::Entities | List::Reuse | List::Duplicates | List::Stories => 50,
        }
    }
}

/// Checks a timeline bound (`--from`/`--to`, `from=`/`to=`): an ISO date
/// prefix, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. The message is meant for the
/// person who typed it.
pub(crate) fn check_date_bound(d: &str) -> Result<(), StoreError> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok = d.is_ascii()
        && match d.len() {
            4 => digits(d),
            7 => digits(&d[..4]) && &d[4..5] == "-" && digits(&d[5..]),
            10 => digits(&d[..4]) && &d[4..5] == "-" && digits(&d[5..7]) && &d[7..8] == "-" && digits(&d[8..]),
            _ => false,
        };
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!("bad date {d:?}: use YYYY, YYYY-MM or YYYY-MM-DD")))
    }
}

/// What a summary is of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SummaryScope {
    /// Everything (capped: the documents of the largest stories).
    Corpus,
    /// One story, by id.
    Story(String),
    /// An entity id or name; sentences must mention it.
    Entity(String),
    /// These documents, by id.
    Documents(Vec<String>),
}

impl SummaryScope {
    /// The scope a request names: at most one of a story, an entity or some
    /// documents, and none for the whole corpus. Blank values count as not
    /// given; document ids are trimmed.
    pub fn from_request(
        story: Option<String>,
        entity: Option<String>,
        docs: Option<Vec<String>>,
    ) -> Result<SummaryScope, StoreError> {
        let given = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let docs = docs.map(|ids| {
            ids.iter().map(|i| i.trim()).filter(|i| !i.is_empty()).map(str::to_string).collect::<Vec<String>>()
        });
        match (given(story), given(entity), docs) {
            (None, None, None) => Ok(SummaryScope::Corpus),
            (Some(story), None, None) => Ok(SummaryScope::Story(story)),
            (None, Some(entity), None) => Ok(SummaryScope::Entity(entity)),
            (None, None, Some(ids)) if ids.is_empty() => {
                Err(StoreError::Invalid("the document list names no document id".to_string()))
            }
            (None, None, Some(ids)) => Ok(SummaryScope::Documents(ids)),
            _ => Err(StoreError::Invalid(
                "give one of a story, an entity or documents (or none for the whole corpus)".to_string(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{check_date_bound, SummaryScope};

    #[test]
    fn date_bounds() {
        for good in ["2019", "2019-04", "2019-04-25"] {
            assert!(check_date_bound(good).is_ok(), "{good}");
        }
        for bad in ["", "19", "2019-4", "2019/04/25", "٢٠١٩", "2019-04-2x", "abcd"] {
            assert!(check_date_bound(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn one_summary_scope_at_most() {
        let s = |v: &str| Some(v.to_string());
        assert_eq!(SummaryScope::from_request(None, Some(" ".into()), None).unwrap(), SummaryScope::Corpus);
        assert_eq!(SummaryScope::from_request(s("S1"), None, None).unwrap(), SummaryScope::Story("S1".into()));
        assert_eq!(
            SummaryScope::from_request(None, None, Some(vec![" a ".into(), "".into()])).unwrap(),
            SummaryScope::Documents(vec!["a".into()])
        );
        assert!(SummaryScope::from_request(None, None, Some(vec![" ".into()])).is_err());
        assert!(SummaryScope::from_request(s("S1"), s("P-1"), None).is_err());
    }
}
