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

use crate::records::DocumentRecord;
use crate::views::PeriodCount;

/// One document with what the extractors found in it: the record's fields at
/// the top level (flattened) plus `analysis` (`null` when the document has
/// not been analyzed yet). `marsad doc ID --json`, `GET /api/docs/{id}`.
#[derive(Clone, Debug, Serialize)]
pub struct DocumentWithAnalysis<'a> {
    #[serde(flatten)]
    pub record: &'a DocumentRecord,
    pub analysis: Option<&'a DocumentAnalysis>,
}

/// The merged timeline: `marsad timeline --json`, `GET /api/timeline`.
/// `total` and `counts` are there only when asked for (a page of the
/// timeline, `limit=`; the per-period overview, `counts=month`), so the
/// whole-timeline answer keeps its one field.
#[derive(Clone, Debug, Serialize)]
pub struct Timeline<'a> {
    pub events: &'a [TimelineEntry],
    /// Entries the filter matches, when `events` is a page of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<&'a [PeriodCount]>,
}

impl<'a> Timeline<'a> {
    /// The whole answer: just the events.
    pub fn all(events: &'a [TimelineEntry]) -> Timeline<'a> {
        Timeline { events, total: None, counts: None }
    }
}

/// Checks a `--from`/`--to` (`from=`/`to=`) timeline bound: an ISO date
/// prefix, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. The message is meant for the
/// person who typed the bound.
pub fn check_date_bound(d: &str) -> Result<(), String> {
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
        Err(format!("bad date {d:?}: use YYYY, YYYY-MM or YYYY-MM-DD"))
    }
}

#[cfg(test)]
mod tests {
    use super::check_date_bound;

    #[test]
    fn date_bounds() {
        for good in ["2019", "2019-04", "2019-04-25"] {
            assert!(check_date_bound(good).is_ok(), "{good}");
        }
        for bad in ["", "19", "2019-4", "2019/04/25", "٢٠١٩", "2019-04-2x", "abcd"] {
            assert!(check_date_bound(bad).is_err(), "{bad}");
        }
    }
}
