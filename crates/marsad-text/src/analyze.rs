//! Index-time and query-time analysis: text → search terms with spans.
//!
//! Search only works if indexing and querying agree on every term, so there
//! is exactly one pipeline, used for both (the store's tantivy tokenizer and
//! its query compiler call [`analyze`]):
//!
//! 1. **Tokenize** the original text ([`crate::token`]), folding each
//!    character as in [`crate::normalize`](mod@crate::normalize): diacritics, alef variants,
//!    presentation forms and Arabic-Indic digits are gone, spans still point
//!    at the original bytes.
//! 2. **Segment** each Arabic word: strip و ف ب ل ك and the article, but only
//!    when that is safe ([`crate::token::segment`]).
//! 3. **Drop stop words**, also with a pronoun suffix (بعدها, لكنهم); they
//!    still take a position so that phrase queries stay exact
//!    ([`crate::stem::is_stopword`]).
//! 4. **Stem** what is left ([`crate::stem::stem`]).
//!
//! Latin words are lowercased and not stemmed; numbers are kept in ASCII
//! digits, so ٢٠١٩ and 2019 are the same term. Punctuation gives no term and
//! takes no position.
//!
//! The result: a query typed as بُوتِين, إيران, والصين, بموسكو or ٢٠١٩ yields
//! the same terms as بوتين, ايران, الصين, موسكو and 2019.
//!
//! # Speed
//!
//! Analysis runs over every article ingested, so it is built to allocate
//! nothing per token: one pass over the characters with table lookups, the
//! token built in a reusable buffer, segmentation and stemming done on slices
//! of it, and every lexicon question answered by one FxHash lookup. An
//! [`Analyzer`] keeps its buffers between texts; [`analyze`] makes a fresh
//! one per call, which costs a handful of allocations per text.

use std::ops::Range;

use crate::lexicon::{lexicon, STOP};
use crate::stem::stem_flagged;
use crate::token::{scan, segment_with, TokenKind};

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

impl Term<'_> {
    /// An owned copy of the term.
    pub fn to_buf(&self) -> TermBuf {
        TermBuf { text: self.text.to_owned(), span: self.span.clone(), position: self.position }
    }
}

/// An owned [`Term`], for callers that keep terms beyond the callback.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TermBuf {
    /// The term as indexed.
    pub text: String,
    /// Byte span of the word it came from, in the original input.
    pub span: Range<usize>,
    /// Word position.
    pub position: u32,
}

/// The analysis pipeline with its scratch buffers, reusable across texts.
#[derive(Clone, Debug, Default)]
pub struct Analyzer {
    /// The normalized token being built.
    word: String,
    /// Lowercased non-ASCII Latin words.
    lower: String,
}

impl Analyzer {
    /// A new analyzer (allocates nothing until used).
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// Calls `sink` once per search term of `text`, in order.
    pub fn analyze(&mut self, text: &str, mut sink: impl FnMut(Term<'_>)) {
        let lex = lexicon();
        let Analyzer { word, lower } = self;
        let mut position = 0u32;
        scan(text, word, |raw| {
            let span = raw.span;
            match raw.kind {
                TokenKind::Punct => return,
                TokenKind::Word => {
                    let w = raw.text.as_str();
                    let base = segment_with(lex, w).base(w);
                    let flags = lex.flags(base);
                    let stop = flags & STOP != 0 || (flags == 0 && lex.is_stop_with_pronoun(base));
                    if !stop {
                        sink(Term { text: stem_flagged(lex, base, flags), span, position });
                    }
                }
                TokenKind::Number => sink(Term { text: raw.text, span, position }),
                TokenKind::Latin => {
                    if raw.text.is_ascii() {
                        raw.text.make_ascii_lowercase();
                        sink(Term { text: raw.text, span, position });
                    } else {
                        lower.clear();
                        lower.extend(raw.text.chars().flat_map(char::to_lowercase));
                        sink(Term { text: lower, span, position });
                    }
                }
            }
            position = position.saturating_add(1);
        });
    }
}

/// Calls `sink` once per search term of `text`, in order.
pub fn analyze(text: &str, sink: impl FnMut(Term<'_>)) {
    Analyzer::new().analyze(text, sink);
}

/// All the terms of `text`, owned.
pub fn analyze_to_vec(text: &str) -> Vec<TermBuf> {
    let mut out = Vec::new();
    analyze(text, |t| out.push(t.to_buf()));
    out
}

/// Just the term texts of `text`, in order: what a query compiler needs.
pub fn query_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    analyze(text, |t| out.push(t.text.to_owned()));
    out
}

/// The term of a single query word, or `None` when it is a stop word or
/// holds no word at all. When `word` holds several tokens, the first term.
pub fn analyze_word(word: &str) -> Option<String> {
    let mut out = None;
    analyze(word, |t| {
        if out.is_none() {
            out = Some(t.text.to_owned());
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn terms(text: &str) -> Vec<String> {
        query_terms(text)
    }

    #[test]
    fn query_variants_give_the_same_terms() {
        for (a, b) in [
            ("بُوتِين", "بوتين"),
            ("إيران", "ايران"),
            ("٢٠١٩", "2019"),
            ("۲۰۱۹", "2019"),
            ("والصين", "الصين"),
            ("بموسكو", "موسكو"),
            ("وموسكو", "موسكو"),
            ("للرئيس", "الرئيس"),
            ("الـرئيس", "رئيس"),
            ("ﺑﻮﺗﻴﻦ", "بوتين"),
            ("المكتبه", "مكتبات"),
            ("Putin", "PUTIN"),
            ("كوريا", "لكوريا"),
            ("\u{200F}أوكرانيا\u{200F}", "اوكرانيا"),
            ("الخط", "خط"),
            ("والحق", "حق"),
        ] {
            assert_eq!(terms(a), terms(b), "{a} / {b}");
            assert!(!terms(a).is_empty(), "{a}");
        }
    }

    #[test]
    fn stop_words_take_positions_but_give_no_terms() {
        let text = "قال الرئيس في موسكو إن الحرب";
        let found = analyze_to_vec(text);
        let view: Vec<(&str, u32)> = found.iter().map(|t| (t.text.as_str(), t.position)).collect();
        assert_eq!(view, [("قال", 0), ("رئيس", 1), ("موسكو", 3), ("حرب", 5)]);
        assert_eq!(&text[found[1].span.clone()], "الرئيس");
    }

    #[test]
    fn function_words_with_pronouns_are_dropped() {
        let found = analyze_to_vec("وصل بعدها الوزير لكنهم غادروا");
        let view: Vec<(&str, u32)> = found.iter().map(|t| (t.text.as_str(), t.position)).collect();
        assert_eq!(view, [("وصل", 0), ("وزير", 2), ("غادروا", 4)]);
    }

    #[test]
    fn numbers_see_through_removed_marks() {
        assert_eq!(terms("٣٫\u{064E}٥ و١٬٠٠٠"), ["3.5", "1,000"]);
    }

    #[test]
    fn spans_cover_the_whole_surface_word() {
        let text = "«والصِّينُ» بموسكو، Putin's ٢٠١٩";
        let found = analyze_to_vec(text);
        let view: Vec<(&str, &str)> = found.iter().map(|t| (t.text.as_str(), &text[t.span.clone()])).collect();
        assert_eq!(view, [("صين", "والصِّينُ"), ("موسكو", "بموسكو"), ("putin", "Putin"), ("s", "s"), ("2019", "٢٠١٩")]);
    }

    #[test]
    fn latin_is_lowercased_not_stemmed() {
        assert_eq!(terms("NATO Élysée Ökonomie"), ["nato", "élysée", "ökonomie"]);
    }

    #[test]
    fn owned_and_query_forms_agree_with_analyze() {
        assert_eq!(analyze_word("والصين").as_deref(), Some("صين"));
        assert_eq!(analyze_word("في"), None);
        assert_eq!(analyze_word(""), None);
        let mut a = Analyzer::new();
        for text in ["قال بوتين", "Alpha beta", "في من"] {
            let mut v = Vec::new();
            a.analyze(text, |t| v.push(t.to_buf()));
            assert_eq!(v, analyze_to_vec(text));
        }
    }

    #[test]
    fn store_contract_examples() {
        // What the store's tokenizer tests rely on.
        assert_eq!(terms("one two three four").len(), 4);
        assert_eq!(terms("five"), ["five"]);
        assert_eq!(terms("Alpha beta, GAMMA"), ["alpha", "beta", "gamma"]);
    }

    proptest! {
        #[test]
        fn never_panics_and_spans_are_sound(s in crate::normalize::tests::messy()) {
            let mut last_pos = None;
            let mut last_end = 0;
            analyze(&s, |t| {
                assert!(!t.text.is_empty());
                assert!(t.span.start < t.span.end && t.span.end <= s.len());
                assert!(s.is_char_boundary(t.span.start) && s.is_char_boundary(t.span.end));
                assert!(t.span.start >= last_end);
                last_end = t.span.start;
                if let Some(p) = last_pos {
                    assert!(t.position >= p);
                }
                last_pos = Some(t.position);
            });
        }

        #[test]
        fn any_unicode_is_fine(s in "\\PC{0,64}") {
            analyze(&s, |t| assert!(s.get(t.span.clone()).is_some()));
        }

        #[test]
        fn analysis_is_stable_under_normalization(s in crate::normalize::tests::messy()) {
            // Analyzing the normalized text gives the same terms.
            // Removed separators (ZWSP, RLM…) split words in the original
            // only, and ligatures of several words (ﷺ) stand alone there:
            // replace the first by spaces, drop the second.
            use crate::normalize::{fold_char, normalize_key, Fold};
            let s: String = s
                .chars()
                .filter(|&c| !(fold_char(c) == Fold::Decompose && normalize_key(c.encode_utf8(&mut [0; 4])).contains(' ')))
                .map(|c| if fold_char(c) == Fold::Control { ' ' } else { c })
                .collect();
            let norm = normalize_key(&s);
            prop_assert_eq!(terms(&s), terms(&norm));
        }
    }
}

#[cfg(test)]
mod name_ali_tests {
    use super::*;

    /// على (on) and علي (Ali) are one key after ى → ي; the stop-word list
    /// must not swallow the name.
    #[test]
    fn the_name_ali_is_searchable() {
        let terms = analyze_to_vec("التقى الوزير علي حسن");
        assert!(terms.iter().any(|t| t.text == "علي"), "{terms:?}");
    }
}
