//! Index-time and query-time analysis: text → search terms with spans.
//!
//! TEMPORARY STUB: lowercases whitespace-separated words. The real pipeline
//! (normalize → tokenize → strip clitics → stem → drop stop words) replaces it;
//! the signature below is the contract the store's tantivy tokenizer uses.

use std::ops::Range;

/// One search term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term<'a> {
    /// The term as indexed (normalized, clitics removed, stemmed).
    pub text: &'a str,
    /// Byte span of the word it came from, in the *original* input.
    pub span: Range<usize>,
    /// Word position; stop words are not emitted but still take a position,
    /// so phrase queries stay exact.
    pub position: u32,
}

/// Calls `sink` once per search term of `text`, in order.
pub fn analyze(text: &str, mut sink: impl FnMut(Term<'_>)) {
    let mut position = 0u32;
    let mut buf = String::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            buf.clear();
            buf.extend(text[s..i].chars().flat_map(char::to_lowercase));
            sink(Term { text: &buf, span: s..i, position });
            position += 1;
        }
    }
}
