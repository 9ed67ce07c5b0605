//! One timeline from the events of all documents.
//!
//! CONTRACT (filled in by the dates/events helper).

use serde::{Deserialize, Serialize};

use super::EntityRef;
use crate::{Event, Granularity};

/// One document's events, with its local entities already resolved.
#[derive(Clone, Copy, Debug)]
pub struct DocEvents<'a> {
    pub doc: &'a str,
    /// The document's publication date (ISO), if known.
    pub doc_date: Option<&'a str>,
    pub events: &'a [Event],
    /// `entities[l]` is the corpus entity of local entity `l`.
    pub entities: &'a [EntityRef],
}

/// One entry of the timeline: an event as told by one or more documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub date: String,
    pub granularity: Granularity,
    #[serde(rename = "type")]
    pub event_type: String,
    pub title: String,
    pub actors: Vec<EntityRef>,
    pub place: Option<EntityRef>,
    /// Source documents, sorted.
    pub docs: Vec<String>,
    /// One evidence sentence per source document, in `docs` order.
    pub evidence: Vec<String>,
}

/// Merges events that tell the same thing; sorted by date.
pub fn build_timeline(_docs: &[DocEvents<'_>]) -> Vec<TimelineEntry> {
    Vec::new()
}
