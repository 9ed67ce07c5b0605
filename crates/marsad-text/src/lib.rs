//! The Arabic text layer of Marsad: pure functions over `&str`, no I/O.
//!
//! Everything Marsad knows about Arabic as *text* lives here, below ingest,
//! storage and search, which all call into it:
//!
//! * [`normalize`](mod@normalize) folds the many spellings of one word into one key
//!   (diacritics, alef and ya variants, presentation forms, Arabic-Indic
//!   digits, invisible controls, quote marks) and keeps a map from the
//!   normalized text back to the original.
//! * [`sentence`] splits text into sentences and clauses without breaking on
//!   initials (سكوت أ. سنايدر), decimals or quoted sentences.
//! * [`token`] cuts text into words, numbers and punctuation, and splits the
//!   proclitics و ف ب ل ك and the article off Arabic words, conservatively:
//!   وزير and بوتين stay whole, والصين is و + ال + صين.
//! * [`stem`](mod@stem) is a light suffix stemmer for search (مكتبة, مكتبات, مكتبه →
//!   مكتب) and the stop-word list.
//! * [`analyze`](mod@analyze) chains all of the above into the search analyzer that
//!   indexing and querying share.
//! * [`calendar`] knows the month names of both Arabic series.
//!
//! # Example
//!
//! ```
//! use marsad_text::{analyze, normalize, split_sentences};
//!
//! // Diacritics, clitics and stop words: the terms a search index sees.
//! let text = "قال بُوتين في موسكو والصين";
//! let mut terms = Vec::new();
//! analyze(text, |t| terms.push((t.text.to_owned(), &text[t.span], t.position)));
//! assert_eq!(terms, [
//!     ("قال".to_owned(), "قال", 0),
//!     ("بوتين".to_owned(), "بُوتين", 1),
//!     ("موسكو".to_owned(), "موسكو", 3),
//!     ("صين".to_owned(), "والصين", 4),
//! ]);
//!
//! // Normalized text maps back to the original.
//! let norm = normalize("إيران ٢٠١٩");
//! assert_eq!(norm.as_str(), "ايران 2019");
//! assert_eq!(norm.original_range(11..15), 11..19);
//!
//! // An initial is not the end of a sentence.
//! let s = "وقال سكوت أ. سنايدر إن العلاقة تغيرت. ثم غادر.";
//! assert_eq!(split_sentences(s).len(), 2);
//! ```
//!
//! # Invariants
//!
//! * **Pure.** No I/O, no global mutable state (the word lists of
//!   `data/lexicon/` are compiled in and parsed once), and no errors: every
//!   function is total, on any `&str`, including lone combining marks and
//!   unpaired quotes.
//! * **Display text is never altered.** Normalization produces *keys* for
//!   matching; what the reader sees is always the original.
//! * **Offsets point into the original.** Every span and range this crate
//!   returns is a byte range of the text it was given, on character
//!   boundaries, so callers can slice it and highlight it as is.
//! * **One analysis.** Index-time and query-time terms come from the same
//!   function, [`analyze::analyze`]; matching is only as good as that
//!   agreement.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod analyze;
pub mod calendar;
mod lexicon;
pub mod normalize;
pub mod sentence;
pub mod stem;
pub mod token;
mod union_find;

pub use analyze::{analyze, Analyzer, Term};
pub use normalize::{normalize, normalize_key, Normalized};
pub use sentence::{split_clauses, split_sentences};
pub use stem::{is_stopword, stem};
pub use token::{segment, tokenize, Segmentation, Token, TokenKind};
pub use union_find::UnionFind;
