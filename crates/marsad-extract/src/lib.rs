//! Who, what, when: the extraction layer of Marsad.
//!
//! This crate turns one cleaned document into a [`DocumentAnalysis`] —
//! sentences, entity mentions grouped into the document's own entities,
//! quotations with their speakers, dates, events and typed relations — and
//! turns many stored analyses into the corpus views an analyst asks for:
//! entities merged across documents ([`corpus::resolve_entities`]), one
//! timeline ([`corpus::build_timeline`]) and an actor graph
//! ([`corpus::build_graph`]).
//!
//! # Why two levels
//!
//! Everything that can be decided from one article is decided at ingest, by
//! [`analyze_document`], and stored: it is the expensive part (tagging every
//! token), it never changes unless the article does, and it keeps the store
//! fast to query. What needs the whole corpus — that ترمب in one outlet and
//! دونالد ترامب in another are one man, that three articles report the same
//! summit — is a cheap pass over the stored analyses, re-run after each
//! ingest. Both levels are pure functions over values, so each is tested on
//! a string.
//!
//! # Where to start reading
//!
//! [`analyze_document`] is the pipeline in a dozen lines: sentences →
//! [`ner`] (the statistical tagger) → [`mention`] (names with titles and
//! roles kept apart, grouped per document) → [`date`] → [`quote`] →
//! [`event`]. Then [`corpus`].
//!
//! Offsets are byte ranges into the text handed to [`analyze_document`]
//! (the cleaned document text), always on character boundaries.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

use std::ops::Range;

use serde::{Deserialize, Serialize};

pub mod corpus;
pub mod date;
pub mod event;
pub mod gazetteer;
pub mod mention;
pub mod ner;
pub mod quote;
mod vocabulary;

pub use vocabulary::{EventType, RelationKind};

/// The kind of a named entity. Serialized in lowercase English
/// (`"person"`, `"organization"`, `"place"`, `"misc"`), which is also what the
/// CLI's `--type` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    /// A person (CoNLL `PERS`).
    Person,
    /// An organisation: government body, company, party, team (`ORG`).
    Organization,
    /// A place: country, city, region, site (`LOC`).
    Place,
    /// Any other name the tagger marks: events, nationalities, works (`MISC`).
    Misc,
}

impl EntityType {
    /// Every type, in display order.
    pub const ALL: [EntityType; 4] =
        [EntityType::Person, EntityType::Organization, EntityType::Place, EntityType::Misc];

    /// The lowercase English name (`person`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Organization => "organization",
            EntityType::Place => "place",
            EntityType::Misc => "misc",
        }
    }

    /// Parses `person|organization|place|misc`, also the CoNLL tags
    /// (`PERS`, `ORG`, `LOC`, `MISC`) and short forms (`org`, `loc`).
    pub fn parse(s: &str) -> Option<EntityType> {
        match s.to_ascii_lowercase().as_str() {
            "person" | "pers" | "per" | "people" | "persons" => Some(EntityType::Person),
            "organization" | "organisation" | "org" | "orgs" | "organizations" => Some(EntityType::Organization),
            "place" | "loc" | "location" | "places" | "gpe" => Some(EntityType::Place),
            "misc" => Some(EntityType::Misc),
            _ => None,
        }
    }

    /// The Arabic label shown to readers.
    pub fn label_ar(self) -> &'static str {
        match self {
            EntityType::Person => "شخص",
            EntityType::Organization => "منظمة",
            EntityType::Place => "مكان",
            EntityType::Misc => "أخرى",
        }
    }
}

/// What [`analyze_document`] reads.
#[derive(Clone, Copy, Debug, Default)]
pub struct DocumentInput<'a> {
    /// The cleaned text of the document (paragraphs separated by blank lines).
    pub text: &'a str,
    /// The title, if any (not part of `text`; used as context only).
    pub title: Option<&'a str>,
    /// The publication date from metadata, ISO `YYYY-MM-DD` (a longer ISO
    /// timestamp is accepted: only its first ten characters are read).
    pub date: Option<&'a str>,
}

/// One entity mention: a name as written, with its title or role apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// Byte range of the name (without clitics such as و/ب/ل and without the
    /// title) in the document text. For وبوتين the span starts after و.
    pub span: Range<usize>,
    /// The name as written at `span`, diacritics and tatweel removed
    /// (فلاديمير بوتين).
    pub name: String,
    /// The type of the entity the mention belongs to.
    pub entity_type: EntityType,
    /// The title or role written with this mention, if any (الرئيس الروسي;
    /// المتحدث باسم الرئاسة الروسية), diacritics removed.
    pub role: Option<String>,
    /// Index of the sentence in [`DocumentAnalysis::sentences`].
    pub sentence: usize,
    /// Index of the document-level entity in [`DocumentAnalysis::entities`].
    pub entity: usize,
}

/// One entity of one document: the mentions of one referent grouped
/// (a surname alone is grouped with the full name it abbreviates).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalEntity {
    /// The fullest name the document gives (كيم جونغ أون), diacritics removed.
    pub name: String,
    /// The entity's type (one per entity, decided over its mentions).
    pub entity_type: EntityType,
    /// Every distinct name form used in the document (including `name`).
    pub variants: Vec<String>,
    /// Distinct roles/titles given in the document.
    pub roles: Vec<String>,
    /// Number of mentions.
    pub mentions: usize,
}

/// Who a quotation is attributed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerKind {
    /// A named person, or a role that resolved to one.
    Person,
    /// An organisation or institution (الكرملين, البيت الأبيض, a news agency).
    Organization,
    /// A group the text does not name (مسؤولون أمريكيون, محللون).
    Group,
    /// A role or description that did not resolve to a name (مصدر مطلع).
    Description,
    /// No speaker could be found.
    Unknown,
}

/// A quotation: direct (between quotation marks) or reported (قال … إن …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Byte range of the quoted words in the document text (inside the
    /// quotation marks for a direct quote; the clause after إن/أن for a
    /// reported one).
    pub span: Range<usize>,
    /// Exactly the text at `span`.
    pub text: String,
    /// Between quotation marks (verbatim) rather than reported speech.
    pub direct: bool,
    /// The speaker as the text refers to it, diacritics removed (ديمتري
    /// بيسكوف; المتحدث باسم البيت الأبيض; محللون). Empty if unknown.
    pub speaker_text: String,
    /// What kind of speaker `speaker_text` is.
    pub speaker_kind: SpeakerKind,
    /// The document-level entity the speaker resolves to, if any.
    pub speaker: Option<usize>,
    /// The reporting verb (قال, أضاف, …) if any, as written.
    pub verb: Option<String>,
    /// Whether the speaker was carried over from the previous quote
    /// (وأضاف، وتابع without a subject).
    pub continuation: bool,
    /// Index of the sentence where the quote starts.
    pub sentence: usize,
}

/// How precise a date is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// A calendar day (`2023-09-13`).
    Day,
    /// A month (`2023-09`).
    Month,
    /// A year (`2023`).
    Year,
    /// A decade, written as its first year (`1980` for الثمانينيات).
    Decade,
}

impl Granularity {
    /// The lowercase English name, as serialized (`day`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Month => "month",
            Granularity::Year => "year",
            Granularity::Decade => "decade",
        }
    }
}

/// A date expression found in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    /// Byte range of the whole expression (الاثنين 4 سبتمبر/أيلول 2023).
    pub span: Range<usize>,
    /// The text at `span`.
    pub text: String,
    /// ISO value at its granularity: `2023-09-13`, `2023-09`, `2023`, or the
    /// first year of a decade `1980` with granularity `decade`. `None` when a
    /// relative expression could not be resolved (no anchor).
    pub value: Option<String>,
    /// How precise `value` (and `end`) is.
    pub granularity: Granularity,
    /// Whether the expression is relative (أمس, الشهر الماضي, قبل أسبوعين).
    pub relative: bool,
    /// For a range (بين عامي 2006 و2017), the end value; `value` is the start.
    pub end: Option<String>,
    /// Index of the sentence.
    pub sentence: usize,
}

/// Where the reference date for relative expressions came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnchorSource {
    /// The document's metadata (publication date).
    Metadata,
    /// A dateline at the start of the text (موسكو - 13 سبتمبر 2023).
    Dateline,
    /// The most reliable explicit full date in the text.
    Text,
}

/// The article's own date, against which relative dates are resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// ISO `YYYY-MM-DD`.
    pub date: String,
    /// Where `date` came from.
    pub source: AnchorSource,
}

/// Whether an event took place or is announced to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    /// It happened or is happening (past tense, a past or present date).
    #[default]
    Happened,
    /// It is planned or announced (سيزور، من المقرر، يعتزم، غدا، المقبل).
    Planned,
}

impl EventStatus {
    /// The lowercase English name, as serialized (`happened`, `planned`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Happened => "happened",
            EventStatus::Planned => "planned",
        }
    }
}

/// Where an event's date comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// A date expression in the event's sentence ([`Event::date_mention`]).
    #[default]
    Text,
    /// The sentence names no date: the article's own day (the date its lead
    /// gives, else its anchor), for a reported past event.
    Article,
}

/// An event: a sentence with an event trigger, dated by a date in the
/// sentence or, for a reported past event, by the article's day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// What kind of event (serialized as its stable English key:
    /// `summit`, `visit`, …); see `data/lexicon/event-triggers-ar.txt`.
    pub event_type: EventType,
    /// ISO date at `granularity`.
    pub date: String,
    /// How precise `date` is.
    pub granularity: Granularity,
    /// The trigger word as written (قمة).
    pub trigger: String,
    /// A short Arabic title (قمة بوتين وكيم جونغ أون في فلاديفوستوك).
    pub title: String,
    /// Document-level entities taking part (indexes into
    /// [`DocumentAnalysis::entities`]); persons and organisations, places
    /// excluded.
    pub actors: Vec<usize>,
    /// Where it happened, a place entity, if the sentence says.
    pub place: Option<usize>,
    /// Index of the evidence sentence.
    pub sentence: usize,
    /// The evidence sentence's text.
    pub evidence: String,
    /// Index into [`DocumentAnalysis::dates`] of the date used; `None` when
    /// the date is the article's ([`DateSource::Article`]).
    pub date_mention: Option<usize>,
    /// Happened or planned (a denied event is no event).
    #[serde(default)]
    pub status: EventStatus,
    /// Whether the date was written in the sentence or is the article's.
    #[serde(default)]
    pub date_source: DateSource,
}

/// A typed relation between two document-level entities, where the text
/// says how they relate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// The entity that acts (the visitor, the supplier, the speaker), an
    /// index into [`DocumentAnalysis::entities`].
    pub source: usize,
    /// The entity acted on or with (who was met or visited, supplied, or
    /// spoken about), an index into [`DocumentAnalysis::entities`].
    pub target: usize,
    /// How they relate (`met`, `visited`, `quoted_about`, `supplies`).
    pub kind: RelationKind,
    /// Index of the sentence that says so.
    pub sentence: usize,
}

/// Everything extracted from one document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentAnalysis {
    /// Byte ranges of the sentences of the text.
    pub sentences: Vec<Range<usize>>,
    /// The document's entities; [`Mention::entity`] and the other entity
    /// indexes point here.
    pub entities: Vec<LocalEntity>,
    /// Every entity mention.
    pub mentions: Vec<Mention>,
    /// Quotations, direct and reported.
    pub quotes: Vec<Quote>,
    /// Date expressions.
    pub dates: Vec<DateMention>,
    /// The date relative expressions were resolved against, if one was found.
    pub anchor: Option<Anchor>,
    /// Dated events.
    pub events: Vec<Event>,
    /// Typed relations between entities.
    pub relations: Vec<Relation>,
}

/// Analyzes one document: the whole per-document pipeline.
///
/// Never panics on any input (see the property tests); an empty text gives
/// an empty analysis.
pub fn analyze_document(input: &DocumentInput<'_>) -> DocumentAnalysis {
    let text = input.text;
    let sentences = marsad_text::split_sentences(text);
    let tokens = marsad_text::tokenize(text);
    let tagged = ner::Tagger::default_model().tag(text, &tokens);
    let (entities, mentions) = mention::extract(text, &tokens, &sentences, &tagged);
    let (anchor, dates) = date::extract(text, &tokens, &sentences, input.date);
    let quotes = quote::extract(text, &tokens, &sentences, &entities, &mentions);
    let events = event::extract_anchored(text, &sentences, &entities, &mentions, &dates, anchor.as_ref());
    let relations = event::relations(text, &sentences, &entities, &mentions, &quotes, &events);
    DocumentAnalysis { sentences, entities, mentions, quotes, dates, anchor, events, relations }
}

/// Removes Arabic diacritics, tatweel and invisible marks from a name for
/// display, and collapses runs of whitespace; letters are otherwise kept as
/// written (أ stays أ).
pub fn display_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if marsad_text::normalize::is_removed(c) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_name_strips_marks() {
        assert_eq!(display_name("الزعيمَ  كيم\u{640}"), "الزعيم كيم");
    }

    #[test]
    fn entity_type_parses() {
        assert_eq!(EntityType::parse("PERS"), Some(EntityType::Person));
        assert_eq!(EntityType::parse("organization"), Some(EntityType::Organization));
        assert_eq!(EntityType::parse("loc"), Some(EntityType::Place));
        assert_eq!(EntityType::parse("x"), None);
    }
}
