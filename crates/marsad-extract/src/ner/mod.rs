//! Named-entity tagging: an averaged structured perceptron trained on
//! ANERcorp, decoded with Viterbi over tag bigrams.
//!
//! [`Tagger::tag`] reads the tokens of [`marsad_text::tokenize`] and returns
//! spans of persons, places, organisations and other names ([`NerSpan`]).
//! [`train`], [`evaluate`] and [`conll::parse`] back `marsad train ner` and
//! `marsad eval ner`; [`Tagger::default_model`] is the model shipped in
//! `data/models/ner-ar.bin`, compiled into the binary.
//!
//! # Why an averaged perceptron
//!
//! The tagger runs at ingest on every token of every article, so it must be
//! fast (hundreds of thousands of tokens a second on one core), small
//! enough to compile in, deterministic, and trainable in seconds by `marsad
//! train ner` without a GPU or a numerical library. A linear model over
//! sparse, hashed features does all of that; what a linear model can learn
//! is then decided by its features (see [`features`]), which is where the
//! work went.
//!
//! Among linear learners the averaged perceptron (Collins 2002) is the
//! simplest that is as accurate as a CRF on sequence labelling: it needs no
//! learning rate and no regularisation constant, only a number of epochs,
//! and averaging the weights over all updates gives most of the
//! generalisation a CRF gets from its prior. Training is structured: each
//! sentence is decoded with the current weights and, where the best tag
//! sequence differs from the gold one, the gold sequence's features are
//! rewarded and the predicted one's penalised — so the model learns to be
//! right about whole sequences, the way it is used.
//!
//! Training is cost-augmented ([`TrainOptions::margin`],
//! [`TrainOptions::miss_cost`]): while training, every wrong tag of a token
//! gets a head start before decoding (10), and `O` on a token of a gold
//! entity a larger one (30), so that updates continue until the gold
//! sequence wins by a margin, and most where the tagger would miss an
//! entity. A perceptron stops learning from a sentence as soon as it gets
//! it right, however narrowly; on unseen text those narrow wins turn into
//! misses, and misses (recall) were the weak side. Dev F1 +0.5 on average
//! over four shuffling seeds, most of it in recall.
//!
//! # Why Viterbi
//!
//! Tag history enters through a tag-bigram score added to each token's
//! feature scores, and the best sequence is found exactly by Viterbi. The
//! alternative, greedy left-to-right tagging with the previous tag as a
//! feature, is a little faster but commits early: the first word of
//! عبد الله is tagged before the second is considered. With nine tags
//! Viterbi costs 81 additions a token, small next to feature scoring. The
//! decoder also forbids the transitions IOB2 rules out (`I-X` after `O` or
//! after another type), so every output is a well-formed entity sequence.
//!
//! # Two passes
//!
//! A sentence alone often does not say what a name is: كافو in "طالت كافو"
//! is a guess, but the same article calls him "النجم البرازيلي كافو" two
//! sentences earlier. Articles repeat their names, and a name keeps its
//! type within an article. So the tagger runs twice (Krishnan & Manning
//! 2006): the first model tags every sentence on local features; the
//! second sees the same features plus, for each word, the first pass's tag
//! of it and its neighbours, and how the first pass tagged the *other*
//! occurrences of its base in the document (any/majority type, or never an
//! entity). On real text the document is the text given to [`Tagger::tag`];
//! CoNLL files have no document marks, so there a sentence's document is
//! the sentences within [`TrainOptions::conll_window`] on either side.
//!
//! The second model must learn how far to trust first-pass tags *on text
//! the first pass has not seen*, so its training data is tagged by
//! cross-validation ([`TrainOptions::folds`] first-pass models, each tagging
//! the fold it was not trained on); the first-pass model shipped is trained
//! on everything. On the dev split the second pass adds about 1.5 F1.
//! When tagging, the second pass reuses the first pass's local features of
//! each sentence and only adds its own ([`features::with_first_pass`]).
//!
//! # Latin text
//!
//! ANERcorp is almost all Arabic script; entities containing a lowercase
//! Latin word of four letters or more are dropped after decoding (see
//! `drop_lowercase_latin`), so stray English sentences in a page are not
//! taken for organisations.
//!
//! # Model file
//!
//! Little-endian, versioned, checked on load ([`Tagger::from_bytes`] never
//! panics; every failure is a [`NerError`]):
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `MRSDNER` + 0x1A |
//! | 4 | format version (u32, [`MODEL_FORMAT_VERSION`]) |
//! | 4 | feature set version (u32, [`features::FEATURE_SET_VERSION`]) |
//! | 4 | number of tags (u32, 9: `O` and `B-`/`I-` of PERS, LOC, ORG, MISC) |
//! | 4 | number of passes (u32, 1 or 2) |
//! | 4 | CoNLL document window (u32, sentences on each side) |
//! | 8 | FNV-1a 64 of the word vectors file the model reads, 0 for none (u64; not in version 1) |
//! | … | one model section per pass, below |
//! | 8 | FNV-1a 64 of everything before |
//!
//! A model section:
//!
//! | bytes | content |
//! |---|---|
//! | 4 | number of features *n* (u32) |
//! | 4 | weight scale (f32) |
//! | 4 × 10 × 9 | tag-bigram weights (f32), rows: previous tag, then sentence start |
//! | 4 | word vector dimensions *d* (u32, 0 for none; not in version 1) |
//! | 4 × 5 × *d* × 9 | word vector weights (f32), for positions −2…+2, then dimension, then tag |
//! | 8 × *n* | feature hashes (u64), strictly increasing |
//! | 2 × 9 × *n* | feature weights (i16, times the scale), one row of 9 per feature |
//!
//! Feature weights are quantized to 16 bits against one scale (the largest
//! weight maps to 32767) and features whose weights are all near zero are
//! pruned after training ([`TrainOptions::prune_below`]; 1.0, in the units
//! of the integer perceptron updates): that keeps the file about 3 MB with
//! no measurable loss (pruning at 0.05 kept twice as many features and
//! scored the same within noise).
//!
//! # Word vectors
//!
//! A model may also score dense word vectors ([`embeddings`], made by
//! `marsad train embeddings`) of the words at −2…+2 around each token,
//! linearly, beside the sparse features; it then records the vectors'
//! checksum and loads only with them. Measured on the dev split, this did
//! not help (see `data/models/ner-ar.md`), so the shipped model uses none
//! and no vectors file is shipped.
//!
//! The features also read a second compiled-in file,
//! `data/models/word-clusters-ar.txt` ([`wordstats`]); a model is only
//! valid with the table it was trained with. The trained tagger
//! returned by [`train`] is already quantized, so it tags exactly as the
//! file it writes.

use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;
use std::time::Instant;

use marsad_text::{Token, TokenKind};
use rustc_hash::FxHashMap;
use serde::Serialize;
use thiserror::Error;

use crate::EntityType;

pub mod conll;
pub mod embeddings;
pub mod features;
pub mod wordstats;

pub use conll::{ConllError, ConllSentence};

use embeddings::WordVectors;
use features::SentenceFeatures;

/// The tags, in the order of the model's weight rows.
pub const TAGS: [&str; NUM_TAGS] = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"];

const NUM_TAGS: usize = 9;
/// Row of the bigram table used for the first token of a sentence.
const START: usize = NUM_TAGS;

/// Version of the model file layout written; version 1 (no word vectors)
/// is still read.
pub const MODEL_FORMAT_VERSION: u32 = 2;
const MAGIC: &[u8; 8] = b"MRSDNER\x1a";

/// The entity type of a tag index (`None` for `O`).
fn tag_type(tag: usize) -> Option<EntityType> {
    match tag {
        1 | 2 => Some(EntityType::Person),
        3 | 4 => Some(EntityType::Place),
        5 | 6 => Some(EntityType::Organization),
        7 | 8 => Some(EntityType::Misc),
        _ => None,
    }
}

fn is_inside(tag: usize) -> bool {
    tag != 0 && tag.is_multiple_of(2)
}

/// Whether IOB2 allows `tag` after `prev` (`START` for the first token).
fn transition_allowed(prev: usize, tag: usize) -> bool {
    !is_inside(tag) || prev == tag || prev + 1 == tag
}

fn tag_index(tag: &str) -> usize {
    TAGS.iter().position(|t| *t == tag).unwrap_or(0)
}

/// One entity found by the tagger.
#[derive(Clone, Debug, PartialEq)]
pub struct NerSpan {
    /// Token index range into the `tokens` given to [`Tagger::tag`].
    pub tokens: Range<usize>,
    /// Byte range in the text, from the first token's start to the last's end.
    pub span: Range<usize>,
    /// The type of the entity's tags.
    pub entity_type: EntityType,
}

/// Why a model could not be loaded.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum NerError {
    /// The file does not start with the model's magic bytes.
    #[error("not a Marsad NER model (bad magic header)")]
    BadMagic,
    /// The file layout is of another version than this build reads.
    #[error("model file format version {found}; this build reads version {expected}")]
    FormatVersion {
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// The model's weights are for other features than this build
    /// computes: loading it would tag with meaningless scores.
    #[error("model trained with feature set {found}; this build computes feature set {expected} (retrain the model)")]
    FeatureSetVersion {
        /// Feature set the model was trained with.
        found: u32,
        /// Feature set this build computes.
        expected: u32,
    },
    /// The model has another tag set than this build's.
    #[error("model has {found} tags; expected {expected}")]
    TagCount {
        /// Tags in the file.
        found: u32,
        /// Tags this build uses.
        expected: u32,
    },
    /// The file size is not what its header implies (truncated or padded).
    #[error("model file has {found} bytes; its header implies {expected}")]
    Length {
        /// Bytes in the file.
        found: usize,
        /// Bytes the header implies.
        expected: usize,
    },
    /// The trailing checksum does not match the contents.
    #[error("model checksum mismatch: the file is corrupted")]
    Checksum,
    /// The contents are inconsistent in some other way (the reason says how).
    #[error("invalid model: {0}")]
    Invalid(&'static str),
    /// The model was trained with dense word-vector features, and the
    /// vectors given (if any) are not the ones it was trained with.
    #[error("model trained with word vectors {expected:016x}; the vectors given are {found:016x} (0: none)")]
    VectorsMismatch {
        /// Checksum of the vectors the model was trained with.
        expected: u64,
        /// Checksum of the vectors given, 0 when none were.
        found: u64,
    },
}

/// One linear model: feature weights per tag plus tag-bigram weights.
struct Model {
    /// Feature hashes, strictly increasing (the file order).
    keys: Vec<u64>,
    /// Quantized weights, `NUM_TAGS` per key.
    quantized: Vec<i16>,
    scale: f32,
    /// `(NUM_TAGS + 1) × NUM_TAGS` tag-bigram weights; the last row is the
    /// sentence start.
    transitions: Vec<f32>,
    /// Feature hash → row of `weights`.
    index: FxHashMap<u64, u32>,
    /// `quantized × scale`.
    weights: Vec<f32>,
    /// Weights of the word vectors around a token: `DENSE_POSITIONS.len()
    /// × dim × NUM_TAGS`, empty when the model uses no vectors.
    dense: Vec<f32>,
    /// Dimensions of the word vectors `dense` reads (0: none).
    dense_dim: usize,
}

/// Positions, relative to a token, whose word vectors score its tags.
const DENSE_POSITIONS: [isize; 5] = [-2, -1, 0, 1, 2];

/// Adds the dense scores of one sentence to its emissions: for each token
/// `j` and position `k`, `vectors[j] · W[k]` goes to token `j - k`.
fn add_dense(dense: &[f32], dim: usize, vectors: &[f32], emissions: &mut [[f32; NUM_TAGS]]) {
    if dim == 0 || dense.is_empty() {
        return;
    }
    let n = emissions.len();
    for j in 0..n {
        let v = &vectors[j * dim..][..dim];
        for (k, &offset) in DENSE_POSITIONS.iter().enumerate() {
            let i = j as isize - offset;
            if i < 0 || i >= n as isize {
                continue;
            }
            let w = &dense[k * dim * NUM_TAGS..][..dim * NUM_TAGS];
            let mut s = [0f32; NUM_TAGS];
            for (x, row) in v.iter().zip(w.chunks_exact(NUM_TAGS)) {
                for (s, w) in s.iter_mut().zip(row) {
                    *s += x * w;
                }
            }
            for (e, s) in emissions[i as usize].iter_mut().zip(s) {
                *e += s;
            }
        }
    }
}

/// The word vectors of a sentence's tokens, `dim` floats each (zeros for
/// punctuation), into `out`.
fn sentence_vectors(tokens: &[Token], vectors: Option<&WordVectors>, out: &mut Vec<f32>) {
    out.clear();
    let Some(wv) = vectors else { return };
    let dim = wv.dim();
    out.resize(tokens.len() * dim, 0.0);
    for (t, row) in tokens.iter().zip(out.chunks_exact_mut(dim)) {
        if let Some(key) = WordVectors::token_key(t) {
            wv.vector(key, row);
        }
    }
}

impl Model {
    fn from_parts(
        keys: Vec<u64>,
        quantized: Vec<i16>,
        scale: f32,
        transitions: Vec<f32>,
        dense: Vec<f32>,
        dense_dim: usize,
    ) -> Model {
        let mut index = FxHashMap::with_capacity_and_hasher(keys.len(), Default::default());
        for (row, &k) in keys.iter().enumerate() {
            index.insert(k, row as u32);
        }
        let weights = quantized.iter().map(|&q| f32::from(q) * scale).collect();
        Model { keys, quantized, scale, transitions, index, weights, dense, dense_dim }
    }

    fn empty() -> Model {
        Model::from_parts(Vec::new(), Vec::new(), 1.0, vec![0.0; (NUM_TAGS + 1) * NUM_TAGS], Vec::new(), 0)
    }

    /// Tag indexes of one sentence (features already in `buffers`) into
    /// `buffers.tags`.
    fn decode(&self, buffers: &mut DecodeBuffers) {
        buffers.emissions.clear();
        for i in 0..buffers.features.len() {
            let mut scores = [0f32; NUM_TAGS];
            for id in buffers.features.token(i) {
                if let Some(&row) = self.index.get(id) {
                    let w = &self.weights[row as usize * NUM_TAGS..][..NUM_TAGS];
                    for (s, w) in scores.iter_mut().zip(w) {
                        *s += w;
                    }
                }
            }
            buffers.emissions.push(scores);
        }
        add_dense(&self.dense, self.dense_dim, &buffers.vectors, &mut buffers.emissions);
        viterbi(&buffers.emissions, &self.transitions, &mut buffers.back, &mut buffers.tags);
    }

    fn byte_len(&self) -> usize {
        4 + 4 + 4 * (NUM_TAGS + 1) * NUM_TAGS + 4 + 4 * self.dense.len() + self.keys.len() * (8 + 2 * NUM_TAGS)
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.keys.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        for t in &self.transitions {
            out.extend_from_slice(&t.to_le_bytes());
        }
        out.extend_from_slice(&(self.dense_dim as u32).to_le_bytes());
        for w in &self.dense {
            out.extend_from_slice(&w.to_le_bytes());
        }
        for k in &self.keys {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for q in &self.quantized {
            out.extend_from_slice(&q.to_le_bytes());
        }
    }

    /// Reads one model section; `format` 1 has no word-vector weights.
    fn read(r: &mut Reader<'_>, format: u32) -> Result<Model, NerError> {
        let truncated = NerError::Invalid("model section truncated");
        let n = r.u32().ok_or(NerError::Invalid("model section truncated"))? as usize;
        let needed = (n as u128) * (8 + 2 * NUM_TAGS as u128) + 4 + 4 * ((NUM_TAGS + 1) * NUM_TAGS) as u128;
        if needed > (r.bytes.len() - r.at) as u128 {
            return Err(truncated);
        }
        let scale = r.f32().ok_or(NerError::Invalid("model section truncated"))?;
        if !scale.is_finite() || scale <= 0.0 {
            return Err(NerError::Invalid("weight scale is not a positive number"));
        }
        let mut transitions = Vec::with_capacity((NUM_TAGS + 1) * NUM_TAGS);
        for _ in 0..(NUM_TAGS + 1) * NUM_TAGS {
            let t = r.f32().ok_or(NerError::Invalid("model section truncated"))?;
            if !t.is_finite() {
                return Err(NerError::Invalid("tag-bigram weight is not finite"));
            }
            transitions.push(t);
        }
        let dense_dim =
            if format >= 2 { r.u32().ok_or(NerError::Invalid("model section truncated"))? as usize } else { 0 };
        if dense_dim > 1024 {
            return Err(NerError::Invalid("word vector dimensions out of range"));
        }
        let dense_len = dense_dim * DENSE_POSITIONS.len() * NUM_TAGS;
        if (dense_len as u128) * 4 + (n as u128) * (8 + 2 * NUM_TAGS as u128) > (r.bytes.len() - r.at) as u128 {
            return Err(NerError::Invalid("model section truncated"));
        }
        let mut dense = Vec::with_capacity(dense_len);
        for _ in 0..dense_len {
            let w = r.f32().ok_or(NerError::Invalid("model section truncated"))?;
            if !w.is_finite() {
                return Err(NerError::Invalid("word vector weight is not finite"));
            }
            dense.push(w);
        }
        let mut keys = Vec::with_capacity(n);
        for _ in 0..n {
            let k = r.u64().ok_or(NerError::Invalid("model section truncated"))?;
            if keys.last().is_some_and(|&last| last >= k) {
                return Err(NerError::Invalid("feature hashes are not strictly increasing"));
            }
            keys.push(k);
        }
        let mut quantized = Vec::with_capacity(n * NUM_TAGS);
        for _ in 0..n * NUM_TAGS {
            quantized.push(r.i16().ok_or(NerError::Invalid("model section truncated"))?);
        }
        Ok(Model::from_parts(keys, quantized, scale, transitions, dense, dense_dim))
    }
}

/// A trained tagger: a first-pass model, and optionally a second-pass
/// model that also sees the first pass's tags over the whole document.
pub struct Tagger {
    first: Model,
    second: Option<Model>,
    /// For CoNLL input, which has no document boundaries: how many
    /// sentences on each side count as "the document" of a sentence.
    conll_window: u32,
    /// The word vectors the models' dense weights read, if they have any.
    vectors: Option<&'static WordVectors>,
}

impl fmt::Debug for Tagger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tagger")
            .field("first_pass_features", &self.first.keys.len())
            .field("second_pass_features", &self.second.as_ref().map(|m| m.keys.len()))
            .field("conll_window", &self.conll_window)
            .finish()
    }
}

/// The shipped model file.
static DEFAULT_MODEL: &[u8] = include_bytes!("../../../../data/models/ner-ar.bin");

/// Sentence boundaries of a token sequence, as the model was trained: a
/// sentence ends after `.`, `!`, `?` or `؟`, and at a line break in `text`.
fn sentence_ranges(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < tokens.len() {
        let mut end = start + 1;
        while end < tokens.len() {
            let prev = &tokens[end - 1];
            if prev.kind == TokenKind::Punct && matches!(prev.normalized.as_str(), "." | "!" | "?" | "؟") {
                break;
            }
            let gap = text.get(prev.span.end..tokens[end].span.start).unwrap_or("");
            if gap.contains('\n') {
                break;
            }
            end += 1;
        }
        out.push(start..end);
        start = end;
    }
    out
}

/// Unmarks entities that contain a lowercase Latin word of four letters or
/// more ("about the Russia", "read more").
///
/// ANERcorp has almost no Latin text, so the model has learned little more
/// than "Latin words are often organisations" (CNN, BBC); on real pages,
/// whole English sentences then come out as one organisation. A Latin name
/// is capitalized, apart from short particles (de, al, van), so this rule
/// keeps The New York Times and drops the sentences.
fn drop_lowercase_latin(tokens: &[Token], tags: &mut [u8]) {
    for chunk in chunks(tags.iter().map(|&t| usize::from(t))) {
        let lowercase = tokens[chunk.start..chunk.end].iter().any(|t| {
            t.kind == TokenKind::Latin
                && t.normalized.chars().next().is_some_and(char::is_lowercase)
                && t.normalized.chars().nth(3).is_some()
        });
        if lowercase {
            tags[chunk.start..chunk.end].fill(0);
        }
    }
}

/// Type slot of a tag for [`features::FirstPass::elsewhere`]: 0 for `O`,
/// 1–4 for PERS, LOC, ORG, MISC.
fn type_slot(tag: u8) -> usize {
    usize::from(tag).div_ceil(2)
}

/// The second pass's view of the first pass: for every token, its own
/// first-pass tag and the first-pass types of the other occurrences of its
/// base within `window` sentences on each side (the whole document when
/// `window` ≥ the number of sentences).
fn first_pass_context<'t>(sentences: &[&'t [Token]], tags: &[Vec<u8>], window: usize) -> Vec<Vec<features::FirstPass>> {
    fn add<'t>(counts: &mut FxHashMap<&'t str, [u16; 5]>, sentence: &'t [Token], tags: &[u8], sign: i32) {
        for (t, &tag) in sentence.iter().zip(tags) {
            if let Some(key) = features::document_key(t) {
                let c = &mut counts.entry(key).or_default()[type_slot(tag)];
                *c = (i32::from(*c) + sign).clamp(0, i32::from(u16::MAX)) as u16;
            }
        }
    }
    let n = sentences.len();
    let mut counts: FxHashMap<&'t str, [u16; 5]> = FxHashMap::default();
    let mut out = Vec::with_capacity(n);
    for s in 0..n {
        if s == 0 {
            for j in 0..n.min(window.saturating_add(1)) {
                add(&mut counts, sentences[j], &tags[j], 1);
            }
        } else {
            if let Some(j) = s.checked_add(window).filter(|&j| j < n) {
                add(&mut counts, sentences[j], &tags[j], 1);
            }
            if s > window {
                add(&mut counts, sentences[s - 1 - window], &tags[s - 1 - window], -1);
            }
        }
        let context = sentences[s]
            .iter()
            .zip(&tags[s])
            .map(|(t, &tag)| {
                let mut elsewhere = features::document_key(t).and_then(|k| counts.get(k)).copied().unwrap_or_default();
                if features::document_key(t).is_some() {
                    let own = &mut elsewhere[type_slot(tag)];
                    *own = own.saturating_sub(1);
                }
                features::FirstPass { tag, elsewhere }
            })
            .collect();
        out.push(context);
    }
    out
}

impl Tagger {
    /// The model shipped in `data/models/`, loaded once.
    ///
    /// Should the compiled-in file not load (it is checked by a test, so
    /// this means a broken build), the tagger is empty and finds nothing
    /// rather than panicking at ingest.
    pub fn default_model() -> &'static Tagger {
        static T: OnceLock<Tagger> = OnceLock::new();
        T.get_or_init(|| Tagger::from_bytes(DEFAULT_MODEL).unwrap_or_else(|_| Tagger::empty()))
    }

    /// A tagger with no features: tags everything `O`.
    pub fn empty() -> Tagger {
        Tagger { first: Model::empty(), second: None, conll_window: 0, vectors: None }
    }

    /// Whether the model scores word vectors (see [`embeddings`]).
    pub fn uses_vectors(&self) -> bool {
        self.vectors.is_some()
    }

    /// Number of features the model scores (both passes).
    pub fn feature_count(&self) -> usize {
        self.first.keys.len() + self.second.as_ref().map_or(0, |m| m.keys.len())
    }

    /// Tags the sentences of one document; `window`: see
    /// [`first_pass_context`].
    fn tag_document(&self, sentences: &[&[Token]], window: usize) -> Vec<Vec<u8>> {
        let mut buffers = DecodeBuffers::default();
        let mut tags: Vec<Vec<u8>> = Vec::with_capacity(sentences.len());
        // The local features are kept for the second pass, which adds its
        // own to them rather than computing them again.
        let mut local: Vec<SentenceFeatures> = Vec::with_capacity(sentences.len());
        let mut vectors: Vec<Vec<f32>> = Vec::with_capacity(sentences.len());
        for s in sentences {
            features::extract(s, None, &mut buffers.features);
            sentence_vectors(s, self.vectors, &mut buffers.vectors);
            self.first.decode(&mut buffers);
            tags.push(std::mem::take(&mut buffers.tags));
            if self.second.is_some() {
                local.push(std::mem::take(&mut buffers.features));
                vectors.push(std::mem::take(&mut buffers.vectors));
            }
        }
        if let Some(second) = &self.second {
            let context = first_pass_context(sentences, &tags, window);
            for (((fp, local), v), out) in context.iter().zip(&local).zip(&mut vectors).zip(tags.iter_mut()) {
                features::with_first_pass(local, fp, &mut buffers.features);
                std::mem::swap(&mut buffers.vectors, v);
                second.decode(&mut buffers);
                out.clone_from(&buffers.tags);
            }
        }
        for (s, tags) in sentences.iter().zip(tags.iter_mut()) {
            drop_lowercase_latin(s, tags);
        }
        tags
    }

    /// Tags `tokens` (from [`marsad_text::tokenize`] of `text`).
    ///
    /// The tokens are tagged sentence by sentence, as the model was trained:
    /// a sentence ends after `.`, `!`, `?` or `؟`, and at a line break in
    /// `text`; the whole of `text` is the document the second pass pools
    /// over. Never panics; tokens whose spans do not fit `text` are tagged
    /// all the same (`text` is only read for line breaks).
    pub fn tag(&self, text: &str, tokens: &[Token]) -> Vec<NerSpan> {
        let ranges = sentence_ranges(text, tokens);
        let sentences: Vec<&[Token]> = ranges.iter().map(|r| &tokens[r.clone()]).collect();
        let tags = self.tag_document(&sentences, usize::MAX);
        let mut out = Vec::new();
        for (range, tags) in ranges.iter().zip(&tags) {
            let sentence = &tokens[range.clone()];
            for chunk in chunks(tags.iter().map(|&t| usize::from(t))) {
                let first = &sentence[chunk.start];
                let last = &sentence[chunk.end - 1];
                out.push(NerSpan {
                    tokens: range.start + chunk.start..range.start + chunk.end,
                    span: first.span.start..last.span.end.max(first.span.start),
                    entity_type: chunk.entity_type,
                });
            }
        }
        out
    }

    /// IOB2 tags for pre-split words (one sentence, its own document), as
    /// in a CoNLL file.
    pub fn tag_words(&self, words: &[&str]) -> Vec<String> {
        let tokens: Vec<Token> = words.iter().map(|w| features::token_from_word(w)).collect();
        let tags = self.tag_document(&[&tokens], 0);
        tags.into_iter().flatten().map(|t| TAGS[usize::from(t)].to_owned()).collect()
    }

    /// IOB2 tags for consecutive CoNLL sentences. CoNLL files have no
    /// document boundaries, so each sentence's document is the sentences
    /// within the model's window on each side (as in training).
    pub fn tag_conll(&self, sentences: &[Vec<&str>]) -> Vec<Vec<String>> {
        let tokens: Vec<Vec<Token>> =
            sentences.iter().map(|s| s.iter().map(|w| features::token_from_word(w)).collect()).collect();
        let refs: Vec<&[Token]> = tokens.iter().map(Vec::as_slice).collect();
        self.tag_document(&refs, self.conll_window as usize)
            .into_iter()
            .map(|tags| tags.into_iter().map(|t| TAGS[usize::from(t)].to_owned()).collect())
            .collect()
    }

    /// The model file (see the module docs for the layout).
    pub fn to_bytes(&self) -> Vec<u8> {
        let len = HEADER_LEN + self.first.byte_len() + self.second.as_ref().map_or(0, Model::byte_len) + 8;
        let mut out = Vec::with_capacity(len);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&MODEL_FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&features::FEATURE_SET_VERSION.to_le_bytes());
        out.extend_from_slice(&(NUM_TAGS as u32).to_le_bytes());
        out.extend_from_slice(&(1 + u32::from(self.second.is_some())).to_le_bytes());
        out.extend_from_slice(&self.conll_window.to_le_bytes());
        out.extend_from_slice(&self.vectors.map_or(0, WordVectors::checksum).to_le_bytes());
        self.first.write(&mut out);
        if let Some(m) = &self.second {
            m.write(&mut out);
        }
        let sum = fnv1a(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads a model file written by [`Tagger::to_bytes`], with the word
    /// vectors shipped in `data/models/` if the model uses vectors. Never
    /// panics.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, NerError> {
        Tagger::from_bytes_with_vectors(bytes, WordVectors::default_vectors())
    }

    /// Reads a model file trained with the word vectors `vectors` (the
    /// model records their checksum; other vectors are refused).
    pub fn from_bytes_with_vectors(bytes: &[u8], vectors: Option<&'static WordVectors>) -> Result<Tagger, NerError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(8).ok_or(NerError::BadMagic)? != MAGIC {
            return Err(NerError::BadMagic);
        }
        let short = || NerError::Length { found: bytes.len(), expected: HEADER_LEN + 8 };
        if bytes.len() < HEADER_LEN + 8 {
            return Err(short());
        }
        let format = r.u32().ok_or_else(short)?;
        if !(1..=MODEL_FORMAT_VERSION).contains(&format) {
            return Err(NerError::FormatVersion { found: format, expected: MODEL_FORMAT_VERSION });
        }
        let feature_set = r.u32().ok_or_else(short)?;
        if feature_set != features::FEATURE_SET_VERSION {
            return Err(NerError::FeatureSetVersion { found: feature_set, expected: features::FEATURE_SET_VERSION });
        }
        let tags = r.u32().ok_or_else(short)?;
        if tags != NUM_TAGS as u32 {
            return Err(NerError::TagCount { found: tags, expected: NUM_TAGS as u32 });
        }
        let passes = r.u32().ok_or_else(short)?;
        if !(1..=2).contains(&passes) {
            return Err(NerError::Invalid("number of passes is not 1 or 2"));
        }
        let conll_window = r.u32().ok_or_else(short)?;
        let vectors_checksum = if format >= 2 { r.u64().ok_or_else(short)? } else { 0 };
        let vectors = match (vectors_checksum, vectors) {
            (0, _) => None,
            (sum, Some(v)) if v.checksum() == sum => Some(v),
            (sum, _) => {
                return Err(NerError::VectorsMismatch {
                    expected: sum,
                    found: vectors.map_or(0, WordVectors::checksum),
                })
            }
        };
        let body = bytes.len() - 8;
        let stored = u64::from_le_bytes(bytes[body..].try_into().map_err(|_| NerError::Checksum)?);
        if fnv1a(&bytes[..body]) != stored {
            return Err(NerError::Checksum);
        }
        let mut r = Reader { bytes: &bytes[..body], at: r.at };
        let first = Model::read(&mut r, format)?;
        let second = if passes == 2 { Some(Model::read(&mut r, format)?) } else { None };
        if r.at != body {
            return Err(NerError::Length { found: bytes.len(), expected: r.at + 8 });
        }
        if vectors.map(WordVectors::dim).unwrap_or(0) != first.dense_dim
            || second.as_ref().is_some_and(|m| m.dense_dim != first.dense_dim)
        {
            return Err(NerError::Invalid("word vector dimensions differ from the model's"));
        }
        Ok(Tagger { first, second, conll_window, vectors })
    }
}

/// Magic, format version, feature set version, tags, passes, CoNLL window,
/// word vectors checksum.
const HEADER_LEN: usize = 8 + 4 * 5 + 8;

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Little-endian reads that fail instead of panicking.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn f32(&mut self) -> Option<f32> {
        Some(f32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn i16(&mut self) -> Option<i16> {
        Some(i16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
}

/// Scratch space reused across the sentences of one call.
#[derive(Default)]
struct DecodeBuffers {
    features: SentenceFeatures,
    /// Word vectors of the sentence's tokens (empty without vectors).
    vectors: Vec<f32>,
    emissions: Vec<[f32; NUM_TAGS]>,
    back: Vec<[u8; NUM_TAGS]>,
    tags: Vec<u8>,
}

/// The best tag sequence under `emissions` (per token) plus `transitions`
/// (`(NUM_TAGS + 1) × NUM_TAGS`, last row the start), IOB2-invalid
/// transitions excluded. Writes one tag index per token into `tags`.
fn viterbi(emissions: &[[f32; NUM_TAGS]], transitions: &[f32], back: &mut Vec<[u8; NUM_TAGS]>, tags: &mut Vec<u8>) {
    tags.clear();
    back.clear();
    if emissions.is_empty() {
        return;
    }
    let mut score = [f32::NEG_INFINITY; NUM_TAGS];
    for (y, s) in score.iter_mut().enumerate() {
        if transition_allowed(START, y) {
            *s = emissions[0][y] + transitions[START * NUM_TAGS + y];
        }
    }
    back.push([0; NUM_TAGS]);
    for e in &emissions[1..] {
        let mut next = [f32::NEG_INFINITY; NUM_TAGS];
        let mut from = [0u8; NUM_TAGS];
        for y in 0..NUM_TAGS {
            for (p, &ps) in score.iter().enumerate() {
                if !transition_allowed(p, y) || ps == f32::NEG_INFINITY {
                    continue;
                }
                let s = ps + transitions[p * NUM_TAGS + y];
                if s > next[y] {
                    next[y] = s;
                    from[y] = p as u8;
                }
            }
            next[y] += e[y];
        }
        score = next;
        back.push(from);
    }
    // `O` (index 0) is always reachable, so the argmax is finite unless
    // weights are; ties go to the lowest index, deterministically.
    let mut best = 0;
    for y in 1..NUM_TAGS {
        if score[y] > score[best] {
            best = y;
        }
    }
    tags.resize(emissions.len(), 0);
    let mut y = best;
    for i in (0..emissions.len()).rev() {
        tags[i] = y as u8;
        y = back[i][y] as usize;
    }
}

/// An entity of a tag sequence: token range and type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Chunk {
    start: usize,
    end: usize,
    entity_type: EntityType,
}

/// Entities of a tag sequence with conlleval's rules: `B-X` starts one; so
/// does `I-X` after `O` or after another type; `I-X` after `X` continues.
fn chunks(tags: impl Iterator<Item = usize>) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::new();
    let mut open: Option<Chunk> = None;
    for (i, tag) in tags.enumerate() {
        let ty = tag_type(tag);
        let continues = is_inside(tag) && open.as_ref().is_some_and(|c| Some(c.entity_type) == ty);
        if continues {
            if let Some(c) = open.as_mut() {
                c.end = i + 1;
            }
        } else {
            out.extend(open.take());
            if let Some(entity_type) = ty {
                open = Some(Chunk { start: i, end: i + 1, entity_type });
            }
        }
    }
    out.extend(open);
    out
}

// ---------------------------------------------------------------------------
// Training

/// Settings of [`train`].
#[derive(Clone, Debug, PartialEq)]
pub struct TrainOptions {
    /// Passes over the training sentences, for each model trained.
    pub epochs: usize,
    /// Seed of the sentence order shuffle (training is deterministic for a
    /// given seed and data).
    pub seed: u64,
    /// Features seen fewer times than this in training are not learned.
    pub min_feature_count: usize,
    /// After training, features whose averaged weights are all below this
    /// in absolute value are dropped (keeps the model small).
    pub prune_below: f32,
    /// Train the second, document-level pass (see the module docs).
    pub two_pass: bool,
    /// Folds for the first-pass tags the second pass is trained on (each
    /// fold tagged by a first-pass model that did not see it).
    pub folds: usize,
    /// Sentences on each side that make a CoNLL sentence's document.
    pub conll_window: usize,
    /// Cost-augmented training: during training, a wrong tag's score is
    /// raised by this before decoding, so the model must win by a margin.
    pub margin: f32,
    /// The same for `O` on a token of a gold entity (missing an entity).
    pub miss_cost: f32,
    /// Word vectors are multiplied by this while training: the step size
    /// of their weights next to the sparse features' unit steps (folded
    /// into the weights saved, so tagging reads the vectors as they are).
    pub dense_scale: f32,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            epochs: 12,
            seed: 1,
            min_feature_count: 1,
            prune_below: 1.0,
            two_pass: true,
            folds: 5,
            conll_window: 10,
            margin: 10.0,
            miss_cost: 30.0,
            dense_scale: 1.0,
        }
    }
}

/// Reported after each epoch of [`train`].
#[derive(Clone, Debug, Serialize)]
pub struct TrainProgress {
    /// What is being trained: `first pass`, `first pass, fold 2/5`,
    /// `second pass`.
    pub stage: String,
    /// 1-based.
    pub epoch: usize,
    /// Epochs of this stage in all.
    pub epochs: usize,
    /// Training sentences.
    pub sentences: usize,
    /// Training tokens.
    pub tokens: usize,
    /// Tokens whose predicted tag (before the update) was wrong this epoch.
    pub token_errors: usize,
    /// Distinct features seen.
    pub features: usize,
    /// Wall-clock time since training started.
    pub elapsed_seconds: f64,
}

/// splitmix64: a small, fixed PRNG for the shuffle (no dependency, and the
/// same sequence on every platform).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// One training sentence with its features mapped to weight rows.
struct TrainSentence<'g> {
    rows: Vec<u32>,
    offsets: Vec<usize>,
    gold: &'g [u8],
    /// Word vectors, `dim` per token (scaled), or empty.
    vectors: &'g [f32],
}

/// Weights with the running sums averaging needs: the averaged weight is
/// `w - u / c` where every update `d` at step `c` adds `c·d` to `u`
/// (Daumé's trick: no per-step pass over all weights).
struct AveragedWeights {
    w: Vec<i32>,
    u: Vec<i64>,
}

impl AveragedWeights {
    fn new(len: usize) -> AveragedWeights {
        AveragedWeights { w: vec![0; len], u: vec![0; len] }
    }

    #[inline]
    fn update(&mut self, i: usize, delta: i32, step: i64) {
        self.w[i] += delta;
        self.u[i] += step * i64::from(delta);
    }

    fn averaged(&self, i: usize, step: i64) -> f32 {
        (f64::from(self.w[i]) - self.u[i] as f64 / step as f64) as f32
    }
}

/// Trains a tagger on CoNLL sentences (IOB2 tags; unknown tags read as `O`),
/// with the word vectors shipped in `data/models/` if there are any.
///
/// Deterministic: the same sentences and options give the same model.
pub fn train(sentences: &[ConllSentence], options: &TrainOptions, progress: impl FnMut(&TrainProgress)) -> Tagger {
    train_with_vectors(sentences, options, WordVectors::default_vectors(), progress)
}

/// [`train`] with the given word vectors (`None`: a model without dense
/// features).
pub fn train_with_vectors(
    sentences: &[ConllSentence],
    options: &TrainOptions,
    vectors: Option<&'static WordVectors>,
    mut progress: impl FnMut(&TrainProgress),
) -> Tagger {
    let started = Instant::now();
    let mut tokens: Vec<Vec<Token>> = Vec::with_capacity(sentences.len());
    let mut gold: Vec<Vec<u8>> = Vec::with_capacity(sentences.len());
    for s in sentences {
        let n = s.words.len().min(s.tags.len());
        if n == 0 {
            continue;
        }
        tokens.push(s.words[..n].iter().map(|w| features::token_from_word(w)).collect());
        gold.push(s.tags[..n].iter().map(|t| tag_index(t) as u8).collect());
    }
    let refs: Vec<&[Token]> = tokens.iter().map(Vec::as_slice).collect();
    let dim = vectors.map_or(0, WordVectors::dim);
    let vecs: Vec<Vec<f32>> = refs
        .iter()
        .map(|s| {
            let mut v = Vec::new();
            sentence_vectors(s, vectors, &mut v);
            for x in &mut v {
                *x *= options.dense_scale;
            }
            v
        })
        .collect();
    let mut report = |stage: &str, p: EpochReport| {
        progress(&TrainProgress {
            stage: stage.to_owned(),
            epoch: p.epoch,
            epochs: options.epochs,
            sentences: p.sentences,
            tokens: p.tokens,
            token_errors: p.token_errors,
            features: p.features,
            elapsed_seconds: started.elapsed().as_secs_f64(),
        })
    };
    let first = train_model(&refs, &gold, None, &vecs, dim, options, |p| report("first pass", p));
    if !options.two_pass || refs.len() < 2 {
        return Tagger { first, second: None, conll_window: options.conll_window as u32, vectors };
    }
    // First-pass tags for the training sentences, each fold tagged by a
    // model trained on the other folds: the second pass must learn how far
    // to trust first-pass tags as they are on unseen text, not on text the
    // first pass has memorised.
    let folds = options.folds.clamp(2, refs.len());
    let mut first_tags: Vec<Vec<u8>> = vec![Vec::new(); refs.len()];
    let mut buffers = DecodeBuffers::default();
    for k in 0..folds {
        let range = refs.len() * k / folds..refs.len() * (k + 1) / folds;
        let rest: Vec<&[Token]> = refs[..range.start].iter().chain(&refs[range.end..]).copied().collect();
        let rest_gold: Vec<Vec<u8>> = gold[..range.start].iter().chain(&gold[range.end..]).cloned().collect();
        let rest_vecs: Vec<Vec<f32>> = vecs[..range.start].iter().chain(&vecs[range.end..]).cloned().collect();
        let stage = format!("first pass, fold {}/{}", k + 1, folds);
        let model = train_model(&rest, &rest_gold, None, &rest_vecs, dim, options, |p| report(&stage, p));
        for i in range {
            features::extract(refs[i], None, &mut buffers.features);
            buffers.vectors.clone_from(&vecs[i]);
            model.decode(&mut buffers);
            first_tags[i] = std::mem::take(&mut buffers.tags);
        }
    }
    let context = first_pass_context(&refs, &first_tags, options.conll_window);
    let second = train_model(&refs, &gold, Some(&context), &vecs, dim, options, |p| report("second pass", p));
    Tagger { first, second: Some(second), conll_window: options.conll_window as u32, vectors }
}

/// What one epoch of [`train_model`] reports.
struct EpochReport {
    epoch: usize,
    sentences: usize,
    tokens: usize,
    token_errors: usize,
    features: usize,
}

/// Trains one model: the structured averaged perceptron.
fn train_model(
    sentences: &[&[Token]],
    gold: &[Vec<u8>],
    first_pass: Option<&[Vec<features::FirstPass>]>,
    vectors: &[Vec<f32>],
    dim: usize,
    options: &TrainOptions,
    mut progress: impl FnMut(EpochReport),
) -> Model {
    // Features of every sentence, computed once.
    let mut counts: FxHashMap<u64, u32> = FxHashMap::default();
    let mut hashed: Vec<SentenceFeatures> = Vec::with_capacity(sentences.len());
    for (i, s) in sentences.iter().enumerate() {
        let mut f = SentenceFeatures::default();
        features::extract(s, first_pass.map(|fp| fp[i].as_slice()), &mut f);
        for &id in &f.ids {
            *counts.entry(id).or_default() += 1;
        }
        hashed.push(f);
    }
    let min_count = options.min_feature_count.max(1) as u32;
    let mut row_of: FxHashMap<u64, u32> = FxHashMap::default();
    let mut keys: Vec<u64> = Vec::new();
    let data: Vec<TrainSentence<'_>> = hashed
        .into_iter()
        .zip(gold)
        .zip(vectors)
        .map(|((f, gold), vectors)| {
            let mut rows = Vec::with_capacity(f.ids.len());
            let mut offsets = vec![0];
            for i in 0..f.len() {
                for id in f.token(i) {
                    if counts[id] >= min_count {
                        let row = *row_of.entry(*id).or_insert_with(|| {
                            keys.push(*id);
                            (keys.len() - 1) as u32
                        });
                        rows.push(row);
                    }
                }
                offsets.push(rows.len());
            }
            TrainSentence { rows, offsets, gold, vectors }
        })
        .collect();
    drop(counts);
    drop(row_of);
    let tokens: usize = data.iter().map(|s| s.gold.len()).sum();

    let mut emission = AveragedWeights::new(keys.len() * NUM_TAGS);
    let mut transition = AveragedWeights::new((NUM_TAGS + 1) * NUM_TAGS);
    let dense_len = if dim > 0 { DENSE_POSITIONS.len() * dim * NUM_TAGS } else { 0 };
    let mut dense = vec![0f32; dense_len];
    let mut dense_sum = vec![0f64; dense_len];
    let mut rng = SplitMix(options.seed);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut step: i64 = 1;
    let mut emissions = Vec::new();
    let mut transitions_f = vec![0f32; (NUM_TAGS + 1) * NUM_TAGS];
    let mut back = Vec::new();
    let mut predicted = Vec::new();
    for epoch in 1..=options.epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut token_errors = 0;
        for &s in &order {
            let sentence = &data[s];
            emissions.clear();
            for i in 0..sentence.gold.len() {
                let mut scores = [0f32; NUM_TAGS];
                for &row in &sentence.rows[sentence.offsets[i]..sentence.offsets[i + 1]] {
                    let w = &emission.w[row as usize * NUM_TAGS..][..NUM_TAGS];
                    for (s, &w) in scores.iter_mut().zip(w) {
                        *s += w as f32;
                    }
                }
                // Cost-augmented decoding: every wrong tag gets a head
                // start, more so `O` on a gold entity.
                let g = sentence.gold[i] as usize;
                for (t, s) in scores.iter_mut().enumerate() {
                    if t != g {
                        *s += if g != 0 && t == 0 { options.miss_cost } else { options.margin };
                    }
                }
                emissions.push(scores);
            }
            if dim > 0 {
                add_dense(&dense, dim, sentence.vectors, &mut emissions);
            }
            for (t, &w) in transitions_f.iter_mut().zip(&transition.w) {
                *t = w as f32;
            }
            viterbi(&emissions, &transitions_f, &mut back, &mut predicted);
            if predicted != sentence.gold {
                let mut prev_gold = START;
                let mut prev_pred = START;
                for (i, (&g, &p)) in sentence.gold.iter().zip(&predicted).enumerate() {
                    let (g, p) = (g as usize, p as usize);
                    if g != p {
                        token_errors += 1;
                        for &row in &sentence.rows[sentence.offsets[i]..sentence.offsets[i + 1]] {
                            emission.update(row as usize * NUM_TAGS + g, 1, step);
                            emission.update(row as usize * NUM_TAGS + p, -1, step);
                        }
                        if dim > 0 {
                            for (k, &offset) in DENSE_POSITIONS.iter().enumerate() {
                                let j = i as isize + offset;
                                if j < 0 || j >= sentence.gold.len() as isize {
                                    continue;
                                }
                                let v = &sentence.vectors[j as usize * dim..][..dim];
                                for (d, &x) in v.iter().enumerate() {
                                    let at = (k * dim + d) * NUM_TAGS;
                                    dense[at + g] += x;
                                    dense_sum[at + g] += step as f64 * f64::from(x);
                                    dense[at + p] -= x;
                                    dense_sum[at + p] -= step as f64 * f64::from(x);
                                }
                            }
                        }
                    }
                    if (prev_gold, g) != (prev_pred, p) {
                        transition.update(prev_gold * NUM_TAGS + g, 1, step);
                        transition.update(prev_pred * NUM_TAGS + p, -1, step);
                    }
                    prev_gold = g;
                    prev_pred = p;
                }
            }
            step += 1;
        }
        progress(EpochReport { epoch, sentences: data.len(), tokens, token_errors, features: keys.len() });
    }

    // Average, prune, quantize.
    let transitions: Vec<f32> = (0..transition.w.len()).map(|i| transition.averaged(i, step)).collect();
    let mut kept: Vec<(u64, [f32; NUM_TAGS])> = Vec::new();
    for (row, &key) in keys.iter().enumerate() {
        let mut w = [0f32; NUM_TAGS];
        for (t, w) in w.iter_mut().enumerate() {
            *w = emission.averaged(row * NUM_TAGS + t, step);
        }
        if w.iter().any(|w| w.abs() >= options.prune_below) {
            kept.push((key, w));
        }
    }
    kept.sort_unstable_by_key(|(k, _)| *k);
    let max = kept.iter().flat_map(|(_, w)| w.iter()).fold(0f32, |m, w| m.max(w.abs()));
    let scale = if max > 0.0 { max / f32::from(i16::MAX) } else { 1.0 };
    let mut keys = Vec::with_capacity(kept.len());
    let mut quantized = Vec::with_capacity(kept.len() * NUM_TAGS);
    for (k, w) in kept {
        let q: Vec<i16> = w.iter().map(|w| (w / scale).round().clamp(-32767.0, 32767.0) as i16).collect();
        if q.iter().all(|&q| q == 0) {
            continue;
        }
        keys.push(k);
        quantized.extend(q);
    }
    // Averaged dense weights, with the training scale folded in.
    let dense: Vec<f32> = dense
        .iter()
        .zip(&dense_sum)
        .map(|(&w, &u)| ((f64::from(w) - u / step as f64) * f64::from(options.dense_scale)) as f32)
        .collect();
    Model::from_parts(keys, quantized, scale, transitions, dense, dim)
}

/// Splits sentences into (train, dev): dev is the *last* `fraction` of the
/// sentences, contiguous — the way the held-out ANERcorp test split is the
/// last sixth of the corpus, so dev measures the same kind of distance from
/// the training text (later articles, new names). `fraction` is clamped to
/// `[0, 1]`; NaN reads as 0.
pub fn split_dev(sentences: &[ConllSentence], fraction: f64) -> (Vec<ConllSentence>, Vec<ConllSentence>) {
    let fraction = if fraction.is_nan() { 0.0 } else { fraction.clamp(0.0, 1.0) };
    let dev_len = ((sentences.len() as f64) * fraction).round() as usize;
    let cut = sentences.len() - dev_len.min(sentences.len());
    (sentences[..cut].to_vec(), sentences[cut..].to_vec())
}

// ---------------------------------------------------------------------------
// Evaluation

/// Entity-level scores of one type (or a micro-average over several).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TypeScore {
    /// `PERS`, `LOC`, `ORG`, `MISC`, `micro`, or `micro PERS/LOC/ORG`.
    pub label: String,
    /// Entities in the gold tags.
    pub gold: usize,
    /// Entities the tagger found.
    pub predicted: usize,
    /// Found entities with exactly the gold boundaries and type.
    pub correct: usize,
    /// `correct / predicted` (0 when nothing was predicted).
    pub precision: f64,
    /// `correct / gold` (0 when there is no gold entity).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl TypeScore {
    fn new(label: &str, gold: usize, predicted: usize, correct: usize) -> TypeScore {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(correct, predicted);
        let recall = ratio(correct, gold);
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        TypeScore { label: label.to_owned(), gold, predicted, correct, precision, recall, f1 }
    }
}

/// What [`evaluate`] measures: strict entity-level scores with conlleval's
/// semantics (exact boundaries and type), token accuracy and tagging speed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvalReport {
    /// Sentences evaluated.
    pub sentences: usize,
    /// Tokens evaluated.
    pub tokens: usize,
    /// Share of tokens whose tag is exactly the gold tag.
    pub token_accuracy: f64,
    /// PERS, LOC, ORG, MISC in that order.
    pub per_type: Vec<TypeScore>,
    /// Micro-average over all four types.
    pub micro: TypeScore,
    /// Micro-average over PERS, LOC and ORG (MISC left out, as most
    /// published ANERcorp figures do).
    pub micro_pers_loc_org: TypeScore,
    /// Wall time spent tagging (building the word views, features, both
    /// passes, decoding).
    pub seconds: f64,
    /// `tokens / seconds`.
    pub tokens_per_second: f64,
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} sentences, {} tokens; token accuracy {:.2}%; tagged at {:.0} tokens/s",
            self.sentences,
            self.tokens,
            100.0 * self.token_accuracy,
            self.tokens_per_second
        )?;
        writeln!(
            f,
            "{:<20} {:>6} {:>6} {:>7} {:>9} {:>7} {:>7}",
            "type", "gold", "found", "correct", "precision", "recall", "F1"
        )?;
        for s in self.per_type.iter().chain([&self.micro, &self.micro_pers_loc_org]) {
            writeln!(
                f,
                "{:<20} {:>6} {:>6} {:>7} {:>8.2}% {:>6.2}% {:>6.2}%",
                s.label,
                s.gold,
                s.predicted,
                s.correct,
                100.0 * s.precision,
                100.0 * s.recall,
                100.0 * s.f1
            )?;
        }
        Ok(())
    }
}

/// Scores `tagger` against gold CoNLL sentences.
pub fn evaluate(tagger: &Tagger, sentences: &[ConllSentence]) -> EvalReport {
    const LABELS: [(&str, EntityType); 4] = [
        ("PERS", EntityType::Person),
        ("LOC", EntityType::Place),
        ("ORG", EntityType::Organization),
        ("MISC", EntityType::Misc),
    ];
    let mut gold_n = [0usize; 4];
    let mut pred_n = [0usize; 4];
    let mut correct_n = [0usize; 4];
    let mut tokens = 0;
    let mut right_tokens = 0;
    let slot = |t: EntityType| LABELS.iter().position(|(_, e)| *e == t).unwrap_or(3);
    let words: Vec<Vec<&str>> = sentences
        .iter()
        .map(|s| s.words[..s.words.len().min(s.tags.len())].iter().map(String::as_str).collect())
        .collect();
    let started = Instant::now();
    let all_predicted = tagger.tag_conll(&words);
    let seconds = started.elapsed().as_secs_f64();
    for (s, predicted) in sentences.iter().zip(&all_predicted) {
        let n = s.words.len().min(s.tags.len());
        let gold_tags: Vec<usize> = s.tags[..n].iter().map(|t| tag_index(t)).collect();
        let pred_tags: Vec<usize> = predicted.iter().map(|t| tag_index(t)).collect();
        tokens += n;
        right_tokens += gold_tags.iter().zip(&pred_tags).filter(|(g, p)| g == p).count();
        let gold = chunks(gold_tags.into_iter());
        let pred = chunks(pred_tags.into_iter());
        for c in &gold {
            gold_n[slot(c.entity_type)] += 1;
        }
        for c in &pred {
            pred_n[slot(c.entity_type)] += 1;
            if gold.contains(c) {
                correct_n[slot(c.entity_type)] += 1;
            }
        }
    }
    let per_type: Vec<TypeScore> =
        (0..4).map(|i| TypeScore::new(LABELS[i].0, gold_n[i], pred_n[i], correct_n[i])).collect();
    let sum = |a: &[usize; 4], k: usize| a[..k].iter().sum::<usize>();
    EvalReport {
        sentences: sentences.len(),
        tokens,
        token_accuracy: if tokens == 0 { 0.0 } else { right_tokens as f64 / tokens as f64 },
        per_type,
        micro: TypeScore::new("micro", sum(&gold_n, 4), sum(&pred_n, 4), sum(&correct_n, 4)),
        micro_pers_loc_org: TypeScore::new("micro PERS/LOC/ORG", sum(&gold_n, 3), sum(&pred_n, 3), sum(&correct_n, 3)),
        seconds,
        tokens_per_second: if seconds > 0.0 { tokens as f64 / seconds } else { 0.0 },
    }
}

#[cfg(test)]
mod tests;
