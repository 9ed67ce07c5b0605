//! The JSON shapes that front ends wrap around store results.
//!
//! Most store results serialize as they are ([`crate::SearchResults`],
//! [`crate::Stats`], [`crate::EntityList`], …). A few answers are made of
//! several calls — a document *and* its analysis — or need an object around
//! a list so the output can grow new fields without breaking readers — the
//! timeline's `{"events": […]}`. Those wrappers live here, once, so that
//! `marsad doc ID --json` and `GET /api/docs/ID` (and the timeline, and the
//! search facets) cannot drift apart: both front ends serialize these types
//! and nothing else.

use marsad_extract::corpus::TimelineEntry;
use marsad_extract::DocumentAnalysis;
use serde::Serialize;

use crate::requests::PeriodCount;
use marsad_store::DocumentRecord;

/// One document with what the extractors found in it: the record's fields at
/// the top level (flattened) plus `analysis` (`null` when the document has
/// not been analyzed yet). `marsad doc ID --json`, `GET /api/docs/{id}`.
#[derive(Clone, Debug, Serialize)]
pub struct DocumentWithAnalysis<'a> {
    /// The document.
    #[serde(flatten)]
    pub record: &'a DocumentRecord,
    /// Its analysis, when it has one.
    pub analysis: Option<&'a DocumentAnalysis>,
}

/// The merged timeline: `marsad timeline --json`, `GET /api/timeline`.
/// `total` and `counts` are there only when asked for (a page of the
/// timeline, `limit=`; the per-period overview, `counts=month`), so the
/// whole-timeline answer keeps its one field.
#[derive(Clone, Debug, Serialize)]
pub struct Timeline<'a> {
    /// This page of entries, in date order.
    pub events: &'a [TimelineEntry],
    /// Entries the filter matches, when `events` is a page of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
    /// Entries per period, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<&'a [PeriodCount]>,
}

impl<'a> Timeline<'a> {
    /// The whole answer: just the events.
    pub fn all(events: &'a [TimelineEntry]) -> Timeline<'a> {
        Timeline { events, total: None, counts: None }
    }
}
