//! Dates: absolute and relative expressions, resolved against the article's date.
//!
//! CONTRACT (filled in by the dates/events helper).

use std::ops::Range;

use marsad_text::Token;

use crate::{Anchor, DateMention};

/// Finds the date expressions of a document; `metadata_date` is the
/// publication date from metadata (ISO), if known.
pub fn extract(
    _text: &str,
    _tokens: &[Token],
    _sentences: &[Range<usize>],
    _metadata_date: Option<&str>,
) -> (Option<Anchor>, Vec<DateMention>) {
    (None, Vec::new())
}
