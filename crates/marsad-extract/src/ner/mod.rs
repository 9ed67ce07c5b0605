//! Named-entity tagging: an averaged perceptron trained on ANERcorp.
//!
//! CONTRACT (the NER helper fills this module in; signatures are fixed):
//! - `Tagger::default_model()` loads `data/models/ner-ar.bin` (compiled in).
//! - `Tagger::tag(text, tokens)` returns entity spans over marsad-text tokens.
//! - `conll::parse`, `train`, `evaluate` back `marsad train ner` / `marsad eval ner`.

use std::ops::Range;
use std::sync::OnceLock;

use marsad_text::Token;

use crate::EntityType;

pub mod conll;

/// One entity found by the tagger.
#[derive(Clone, Debug, PartialEq)]
pub struct NerSpan {
    /// Token index range into the `tokens` given to [`Tagger::tag`].
    pub tokens: Range<usize>,
    /// Byte range in the text, from the first token's start to the last's end.
    pub span: Range<usize>,
    pub entity_type: EntityType,
}

/// A trained tagger.
pub struct Tagger {
    _private: (),
}

impl Tagger {
    /// The model shipped in `data/models/`, loaded once.
    pub fn default_model() -> &'static Tagger {
        static T: OnceLock<Tagger> = OnceLock::new();
        T.get_or_init(|| Tagger { _private: () })
    }

    /// Tags `tokens` (from [`marsad_text::tokenize`] of `text`).
    pub fn tag(&self, _text: &str, _tokens: &[Token]) -> Vec<NerSpan> {
        Vec::new()
    }
}
