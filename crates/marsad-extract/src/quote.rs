//! Quotations, direct and reported, with their speakers.
//!
//! CONTRACT (filled in by the entities/quotes helper).

use std::ops::Range;

use marsad_text::Token;

use crate::{LocalEntity, Mention, Quote};

/// Finds the quotations of a document and attributes them.
pub fn extract(
    _text: &str,
    _tokens: &[Token],
    _sentences: &[Range<usize>],
    _entities: &[LocalEntity],
    _mentions: &[Mention],
) -> Vec<Quote> {
    Vec::new()
}
