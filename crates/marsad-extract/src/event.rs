//! Events (a dated sentence with a trigger) and typed relations.
//!
//! CONTRACT (filled in by the dates/events helper).

use std::ops::Range;

use crate::{DateMention, Event, LocalEntity, Mention, Quote, Relation};

/// Finds the events of a document.
pub fn extract(
    _text: &str,
    _sentences: &[Range<usize>],
    _entities: &[LocalEntity],
    _mentions: &[Mention],
    _dates: &[DateMention],
) -> Vec<Event> {
    Vec::new()
}

/// Typed relations between entities (met, visited, quoted_about, supplies).
pub fn relations(
    _text: &str,
    _sentences: &[Range<usize>],
    _entities: &[LocalEntity],
    _mentions: &[Mention],
    _quotes: &[Quote],
    _events: &[Event],
) -> Vec<Relation> {
    Vec::new()
}
