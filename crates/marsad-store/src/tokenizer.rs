//! The bridge between Marsad's Arabic analyzer and tantivy.
//!
//! Search only works if the *same* analysis runs when a document is indexed,
//! when a query is parsed, and when a snippet is highlighted: a query typed as
//! `بموسكو` must become the very term `موسكو` that indexing produced for
//! `وموسكو`. So the store never uses tantivy's own tokenizers for text; it
//! registers [`MarsadTokenizer`] — a thin wrapper around
//! [`marsad_text::analyze::analyze`] — under the name [`ARABIC`] on every
//! index it opens, and the query compiler calls the same function directly.
//!
//! Spans are byte offsets into the original (un-normalized) text, so tantivy's
//! snippet generator highlights exactly the word the reader sees, diacritics
//! and all. Positions come from the analyzer too: stop words are skipped but
//! keep their position, so phrase queries stay exact.

use tantivy::tokenizer::{LowerCaser, RawTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};

/// Tokenizer name of the Arabic search analyzer (title and text fields).
pub const ARABIC: &str = "marsad_ar";

/// Tokenizer name for keyword fields matched whole but case-insensitively
/// (the `source` field: `source:Aawsat` finds `aawsat`).
pub const KEYWORD: &str = "marsad_keyword";

/// Registers the store's tokenizers on an index's tokenizer manager. Must be
/// called every time an index is opened: tantivy persists tokenizer *names*
/// in the schema, not the tokenizers themselves.
pub fn register(manager: &TokenizerManager) {
    manager.register(ARABIC, MarsadTokenizer::default());
    manager.register(KEYWORD, TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).build());
}

/// Normalizes a `source:` value the way [`KEYWORD`] does at index time.
pub fn keyword_key(value: &str) -> String {
    value.trim().to_lowercase()
}

/// A tantivy [`Tokenizer`] that runs [`marsad_text::analyze::analyze`].
///
/// Tokens are collected into a buffer owned by the tokenizer and reused from
/// one text to the next (tantivy clones one tokenizer per indexing thread), so
/// indexing does not allocate per token once the buffer has grown.
#[derive(Clone, Default)]
pub struct MarsadTokenizer {
    tokens: Vec<Token>,
}

impl Tokenizer for MarsadTokenizer {
    type TokenStream<'a> = MarsadTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MarsadTokenStream<'a> {
        let mut len = 0;
        let tokens = &mut self.tokens;
        marsad_text::analyze::analyze(text, |term| {
            if len == tokens.len() {
                tokens.push(Token::default());
            }
            let token = &mut tokens[len];
            token.text.clear();
            token.text.push_str(term.text);
            token.offset_from = term.span.start;
            token.offset_to = term.span.end;
            token.position = term.position as usize;
            token.position_length = 1;
            len += 1;
        });
        MarsadTokenStream { tokens: &mut self.tokens[..len], current: None }
    }
}

/// The tokens of one text, as produced by [`MarsadTokenizer`].
pub struct MarsadTokenStream<'a> {
    tokens: &'a mut [Token],
    current: Option<usize>,
}

impl TokenStream for MarsadTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let next = self.current.map_or(0, |i| i + 1);
        if next < self.tokens.len() {
            self.current = Some(next);
            true
        } else {
            // Park past the end so repeated calls keep returning false.
            self.current = Some(self.tokens.len());
            false
        }
    }

    /// # Panics
    /// When called before [`advance`](TokenStream::advance) returned `true`
    /// (tantivy never does).
    fn token(&self) -> &Token {
        &self.tokens[self.current.expect("token() called before advance()")]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.current.expect("token_mut() called before advance()")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = MarsadTokenizer::default();
        let mut out = Vec::new();
        let mut stream = tokenizer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        assert!(!stream.advance(), "stream stays exhausted");
        out
    }

    #[test]
    fn mirrors_the_analyzer_exactly() {
        for text in ["Alpha beta, GAMMA", "قال الرئيس الروسي فلاديمير بوتين", "", "  \n "] {
            let mut expected = Vec::new();
            marsad_text::analyze::analyze(text, |t| {
                expected.push((t.text.to_string(), t.span.start, t.span.end, t.position as usize))
            });
            assert_eq!(tokens(text), expected, "{text:?}");
        }
    }

    #[test]
    fn buffer_is_reused_without_leaking_old_tokens() {
        let mut tokenizer = MarsadTokenizer::default();
        let mut stream = tokenizer.token_stream("one two three four");
        let mut n = 0;
        while stream.advance() {
            n += 1;
        }
        assert_eq!(n, 4);
        let mut stream = tokenizer.token_stream("five");
        let mut seen = Vec::new();
        while let Some(t) = stream.next() {
            seen.push(t.text.clone());
        }
        assert_eq!(seen.len(), 1);
        assert_eq!(tokenizer.tokens.len(), 4, "allocated tokens are kept for reuse");
    }

    #[test]
    fn spans_are_char_boundaries_of_the_original_text() {
        let text = "Hello, World — قال بوتينُ: «والصين»";
        let found = tokens(text);
        assert!(!found.is_empty());
        for (_, from, to, _) in found {
            assert!(from < to && text.get(from..to).is_some(), "{from}..{to}");
        }
    }
}
