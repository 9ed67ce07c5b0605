//! Dense word vectors with subwords, learned from unlabeled Arabic news
//! (skip-gram with negative sampling over words and their character
//! n-grams, as fastText does), compiled in from
//! `data/models/embeddings-ar.bin`.
//!
//! # Why, beside the word classes of [`super::wordstats`]
//!
//! The word classes give an unseen word a class only if it was seen five
//! times in the unlabeled corpus; a name that is rare there too (a new
//! minister, a transliterated footballer) gets nothing but its letters.
//! Vectors built from character n-grams give *every* word a position, also
//! one never seen anywhere: فانباستن shares its n-grams with other
//! transliterations, بلقاسم with given names, الهيئة… with institutions.
//! And a vector is graded where a class is all or nothing: the tagger
//! scores it linearly, per position around the word, beside its sparse
//! features (see [`super::features`]), so "how person-like the word after
//! this one is" enters every decision.
//!
//! # How they are learned
//!
//! [`train_embeddings`] reads token streams made by [`EmbeddingCorpus`]:
//! every text through [`marsad_text::tokenize`], words keyed by their base
//! ([`crate::gazetteer::word_key`], the tagger's key), numbers as one
//! `<num>` word, sentences cut where the tagger cuts them. Words seen at
//! least [`EmbeddingOptions::min_count`] times form the vocabulary; each has
//! an input row of its own and one per character n-gram of `<key>`
//! (lengths [`EmbeddingOptions::min_n`]..=[`EmbeddingOptions::max_n`],
//! hashed into [`EmbeddingOptions::buckets`] shared rows). A word's input
//! is the mean of its rows; skip-gram trains it to predict the words within
//! a random window around it against negative samples drawn from the
//! unigram distribution raised to 0.75 (Mikolov et al. 2013; Bojanowski et
//! al. 2017). Frequent words are subsampled. One thread and a fixed seed:
//! the same corpus and options give the same file.
//!
//! # What is shipped
//!
//! Only what tagging needs: for each vocabulary word its final vector (mean
//! of its word and n-gram rows), and the n-gram rows for words outside the
//! vocabulary — each row quantized to 8 bits against its own scale.
//! [`WordVectors::vector`] returns unit-length vectors, so the tagger's
//! weights see one scale for known and unknown words.
//!
//! # File layout
//!
//! Little-endian: magic `MRSDVEC` + 0x1A; u32 format version; u32 dim, u32
//! vocabulary size *V*, u32 buckets *B*, u32 min n, u32 max n; *V* keys
//! (u16 byte length + UTF-8); *V* + *B* rows, each an f32 scale and *dim*
//! i8 values; FNV-1a 64 of everything before. [`WordVectors::from_bytes`]
//! never panics. An empty file reads as "no vectors".

use std::sync::OnceLock;
use std::time::Instant;

use marsad_text::{Token, TokenKind};
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::NerError;
use crate::gazetteer;

const MAGIC: &[u8; 8] = b"MRSDVEC\x1a";
/// Version of the vectors file layout.
pub const VECTORS_FORMAT_VERSION: u32 = 1;

/// The key of numbers in the vocabulary.
const NUMBER_KEY: &str = "<num>";

/// The vectors shipped in `data/models/` (may be empty: no vectors).
static DEFAULT_VECTORS: &[u8] = include_bytes!("../../../../data/models/embeddings-ar.bin");

/// Word vectors: a vocabulary of word keys with their vectors, and n-gram
/// rows for keys outside it.
pub struct WordVectors {
    dim: usize,
    min_n: usize,
    max_n: usize,
    buckets: usize,
    index: FxHashMap<String, u32>,
    keys: Vec<String>,
    /// `V × dim`, unit length (before quantizing).
    words: Vec<f32>,
    /// `B × dim`, as trained.
    ngrams: Vec<f32>,
    checksum: u64,
}

impl std::fmt::Debug for WordVectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordVectors")
            .field("dim", &self.dim)
            .field("vocabulary", &self.keys.len())
            .field("buckets", &self.buckets)
            .finish()
    }
}

/// FNV-1a 64 of one n-gram's bytes: the bucket hash (fixed on every
/// platform, so files stay valid across builds).
fn ngram_hash(bytes: &[u8]) -> u64 {
    super::fnv1a(bytes)
}

/// Calls `f` with the bucket of every character n-gram of `<key>`.
fn for_each_ngram(key: &str, min_n: usize, max_n: usize, buckets: usize, mut f: impl FnMut(usize)) {
    if buckets == 0 {
        return;
    }
    let mut word = String::with_capacity(key.len() + 2);
    word.push('<');
    word.push_str(key);
    word.push('>');
    let starts: Vec<usize> = word.char_indices().map(|(i, _)| i).chain([word.len()]).collect();
    let chars = starts.len() - 1;
    for n in min_n..=max_n {
        if n > chars {
            break;
        }
        for s in 0..=chars - n {
            // The whole `<key>` is the word row's job, not an n-gram's.
            if n == chars {
                continue;
            }
            let gram = &word.as_bytes()[starts[s]..starts[s + n]];
            f((ngram_hash(gram) % buckets as u64) as usize);
        }
    }
}

fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in v {
            *x /= norm;
        }
    }
}

impl WordVectors {
    /// The vectors shipped in `data/models/`, loaded once; `None` if that
    /// file is empty (no vectors shipped) or does not load.
    pub fn default_vectors() -> Option<&'static WordVectors> {
        static V: OnceLock<Option<WordVectors>> = OnceLock::new();
        V.get_or_init(|| WordVectors::from_bytes(DEFAULT_VECTORS).ok().flatten()).as_ref()
    }

    /// Dimensions of a vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Words with a vector of their own.
    pub fn vocabulary_len(&self) -> usize {
        self.keys.len()
    }

    /// FNV-1a 64 of the file these vectors were read from or written to: a
    /// tagger trained with them records it, and refuses other vectors.
    pub fn checksum(&self) -> u64 {
        self.checksum
    }

    /// The key a token is looked up by: its word key for words, `<num>` for
    /// numbers, `None` for punctuation.
    pub fn token_key(token: &Token) -> Option<&str> {
        match token.kind {
            TokenKind::Word | TokenKind::Latin => Some(gazetteer::word_key(token)),
            TokenKind::Number => Some(NUMBER_KEY),
            _ => None,
        }
    }

    /// Writes the unit-length vector of `key` into `out` (`dim` long):
    /// its own if it is in the vocabulary, else the mean of its n-gram rows.
    /// Returns whether the key is in the vocabulary; `out` is all zero for a
    /// key with neither.
    pub fn vector(&self, key: &str, out: &mut [f32]) -> bool {
        let d = self.dim;
        if let Some(&row) = self.index.get(key) {
            out.copy_from_slice(&self.words[row as usize * d..][..d]);
            // Unit length before quantizing; again after it.
            normalize(out);
            return true;
        }
        out.fill(0.0);
        for_each_ngram(key, self.min_n, self.max_n, self.buckets, |b| {
            for (o, x) in out.iter_mut().zip(&self.ngrams[b * d..][..d]) {
                *o += x;
            }
        });
        normalize(out);
        false
    }

    /// The `k` vocabulary words nearest to `key` by cosine (for inspecting
    /// what the vectors learned; linear in the vocabulary).
    pub fn nearest(&self, key: &str, k: usize) -> Vec<(String, f32)> {
        let d = self.dim;
        let mut v = vec![0f32; d];
        self.vector(key, &mut v);
        let mut scored: Vec<(f32, usize)> = (0..self.keys.len())
            .filter(|&i| self.keys[i] != key)
            .map(|i| (self.words[i * d..][..d].iter().zip(&v).map(|(a, b)| a * b).sum(), i))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(k).map(|(s, i)| (self.keys[i].clone(), s)).collect()
    }

    /// The file (see the module docs for the layout).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        for v in [
            VECTORS_FORMAT_VERSION,
            self.dim as u32,
            self.keys.len() as u32,
            self.buckets as u32,
            self.min_n as u32,
            self.max_n as u32,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for k in &self.keys {
            out.extend_from_slice(&(k.len() as u16).to_le_bytes());
            out.extend_from_slice(k.as_bytes());
        }
        for row in self.words.chunks(self.dim.max(1)).chain(self.ngrams.chunks(self.dim.max(1))) {
            let max = row.iter().fold(0f32, |m, x| m.max(x.abs()));
            let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
            out.extend_from_slice(&scale.to_le_bytes());
            out.extend(row.iter().map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8 as u8));
        }
        let sum = super::fnv1a(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads a file written by [`WordVectors::to_bytes`]; `Ok(None)` for an
    /// empty file. Never panics.
    pub fn from_bytes(bytes: &[u8]) -> Result<Option<WordVectors>, NerError> {
        if bytes.is_empty() {
            return Ok(None);
        }
        let invalid = NerError::Invalid("word vectors file truncated");
        if bytes.len() < 8 + 24 + 8 {
            return Err(invalid);
        }
        if &bytes[..8] != MAGIC {
            return Err(NerError::BadMagic);
        }
        let body = bytes.len() - 8;
        let stored = u64::from_le_bytes(bytes[body..].try_into().map_err(|_| NerError::Checksum)?);
        if super::fnv1a(&bytes[..body]) != stored {
            return Err(NerError::Checksum);
        }
        let mut r = super::Reader { bytes: &bytes[..body], at: 8 };
        let mut header = [0usize; 6];
        for h in &mut header {
            *h = r.u32().ok_or(NerError::Invalid("word vectors file truncated"))? as usize;
        }
        let [version, dim, vocab, buckets, min_n, max_n] = header;
        if version != VECTORS_FORMAT_VERSION as usize {
            return Err(NerError::FormatVersion { found: version as u32, expected: VECTORS_FORMAT_VERSION });
        }
        if dim == 0 || dim > 1024 || min_n == 0 || max_n < min_n || max_n > 16 {
            return Err(NerError::Invalid("word vectors header out of range"));
        }
        let rows_len = (vocab as u128 + buckets as u128) * (4 + dim as u128);
        if rows_len > body as u128 {
            return Err(NerError::Invalid("word vectors file truncated"));
        }
        let mut keys = Vec::with_capacity(vocab);
        let mut index = FxHashMap::with_capacity_and_hasher(vocab, Default::default());
        for i in 0..vocab {
            let len = r
                .take(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .ok_or(NerError::Invalid("word vectors file truncated"))?;
            let key = r
                .take(len as usize)
                .and_then(|b| std::str::from_utf8(b).ok())
                .ok_or(NerError::Invalid("word vectors key truncated or not UTF-8"))?;
            index.insert(key.to_owned(), i as u32);
            keys.push(key.to_owned());
        }
        let mut read_rows = |n: usize| -> Result<Vec<f32>, NerError> {
            let mut out = Vec::with_capacity(n * dim);
            for _ in 0..n {
                let scale = r.f32().ok_or(NerError::Invalid("word vectors file truncated"))?;
                if !scale.is_finite() {
                    return Err(NerError::Invalid("word vector scale is not finite"));
                }
                let row = r.take(dim).ok_or(NerError::Invalid("word vectors file truncated"))?;
                out.extend(row.iter().map(|&b| f32::from(b as i8) * scale));
            }
            Ok(out)
        };
        let words = read_rows(vocab)?;
        let ngrams = read_rows(buckets)?;
        if r.at != body {
            return Err(NerError::Length { found: bytes.len(), expected: r.at + 8 });
        }
        Ok(Some(WordVectors { dim, min_n, max_n, buckets, index, keys, words, ngrams, checksum: stored }))
    }
}

// ---------------------------------------------------------------------------
// Training

/// Settings of [`train_embeddings`].
#[derive(Clone, Debug, PartialEq)]
pub struct EmbeddingOptions {
    /// Dimensions of a vector.
    pub dim: usize,
    /// Passes over the corpus.
    pub epochs: usize,
    /// Largest context window on each side (each center word draws its own
    /// window from 1 up to this).
    pub window: usize,
    /// Negative samples per context word.
    pub negatives: usize,
    /// Words seen fewer times are left out of the vocabulary (and of the
    /// training contexts); they still get vectors from their n-grams.
    pub min_count: u32,
    /// Shortest and longest character n-grams of `<key>`.
    pub min_n: usize,
    /// See `min_n`.
    pub max_n: usize,
    /// Hash buckets shared by all n-grams.
    pub buckets: usize,
    /// Starting learning rate, decayed linearly to zero.
    pub learning_rate: f32,
    /// Subsampling threshold of frequent words (word2vec's `t`).
    pub subsample: f64,
    /// Seed of initialisation, windows, subsampling and negatives.
    pub seed: u64,
}

impl Default for EmbeddingOptions {
    fn default() -> EmbeddingOptions {
        EmbeddingOptions {
            dim: 64,
            epochs: 5,
            window: 5,
            negatives: 5,
            min_count: 5,
            min_n: 3,
            max_n: 5,
            buckets: 131_072,
            learning_rate: 0.05,
            subsample: 1e-4,
            seed: 1,
        }
    }
}

/// Token streams to learn vectors from: texts cut into sentences of word
/// ids, the way the tagger reads them.
#[derive(Default)]
pub struct EmbeddingCorpus {
    ids: FxHashMap<String, u32>,
    keys: Vec<String>,
    counts: Vec<u64>,
    sentences: Vec<Vec<u32>>,
    tokens: u64,
    texts: u64,
}

impl EmbeddingCorpus {
    /// An empty corpus.
    pub fn new() -> EmbeddingCorpus {
        EmbeddingCorpus::default()
    }

    /// Adds one text: tokenized, keyed, cut into sentences at `.`, `!`,
    /// `?`, `؟` and line breaks; other punctuation is skipped.
    pub fn add_text(&mut self, text: &str) {
        let tokens = marsad_text::tokenize(text);
        let mut sentence: Vec<u32> = Vec::new();
        let mut prev_end: Option<usize> = None;
        for t in &tokens {
            if let Some(end) = prev_end {
                if text.get(end..t.span.start).unwrap_or("").contains('\n') {
                    self.flush(&mut sentence);
                }
            }
            prev_end = Some(t.span.end);
            match WordVectors::token_key(t) {
                Some(key) => {
                    let id = match self.ids.get(key) {
                        Some(&id) => id,
                        None => {
                            let id = self.keys.len() as u32;
                            self.ids.insert(key.to_owned(), id);
                            self.keys.push(key.to_owned());
                            self.counts.push(0);
                            id
                        }
                    };
                    self.counts[id as usize] += 1;
                    self.tokens += 1;
                    sentence.push(id);
                }
                None => {
                    if matches!(t.normalized.as_str(), "." | "!" | "?" | "؟") {
                        self.flush(&mut sentence);
                    }
                }
            }
        }
        self.flush(&mut sentence);
        self.texts += 1;
    }

    fn flush(&mut self, sentence: &mut Vec<u32>) {
        if sentence.len() >= 2 {
            self.sentences.push(std::mem::take(sentence));
        } else {
            sentence.clear();
        }
    }

    /// Word tokens added.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Texts added.
    pub fn texts(&self) -> u64 {
        self.texts
    }
}

/// Reported after each epoch of [`train_embeddings`].
#[derive(Clone, Debug, Serialize)]
pub struct EmbeddingProgress {
    /// 1-based.
    pub epoch: usize,
    /// Epochs planned in all.
    pub epochs: usize,
    /// Vocabulary size.
    pub vocabulary: usize,
    /// Center words trained on this epoch (after subsampling).
    pub trained_tokens: u64,
    /// Mean logistic loss over this epoch's positive and negative pairs.
    pub loss: f64,
    /// Wall-clock time since training started.
    pub elapsed_seconds: f64,
}

/// Learns word vectors from `corpus` (see the module docs). Deterministic.
pub fn train_embeddings(
    corpus: &EmbeddingCorpus,
    options: &EmbeddingOptions,
    mut progress: impl FnMut(&EmbeddingProgress),
) -> WordVectors {
    let started = Instant::now();
    let dim = options.dim.max(1);
    let buckets = options.buckets.max(1);
    // Vocabulary: words seen min_count times, most frequent first (ties by
    // key, so the order does not depend on the corpus order).
    let mut vocab: Vec<u32> = (0..corpus.keys.len() as u32)
        .filter(|&i| corpus.counts[i as usize] >= u64::from(options.min_count.max(1)))
        .collect();
    vocab.sort_by(|&a, &b| {
        corpus.counts[b as usize]
            .cmp(&corpus.counts[a as usize])
            .then_with(|| corpus.keys[a as usize].cmp(&corpus.keys[b as usize]))
    });
    let mut to_vocab = vec![u32::MAX; corpus.keys.len()];
    for (v, &id) in vocab.iter().enumerate() {
        to_vocab[id as usize] = v as u32;
    }
    let v_len = vocab.len();
    let counts: Vec<u64> = vocab.iter().map(|&id| corpus.counts[id as usize]).collect();
    let total: u64 = counts.iter().sum();
    // Input rows of each word: its own, then its n-grams' (offset by V).
    let rows: Vec<Vec<u32>> = vocab
        .iter()
        .enumerate()
        .map(|(v, &id)| {
            let mut r = vec![v as u32];
            for_each_ngram(&corpus.keys[id as usize], options.min_n, options.max_n, buckets, |b| {
                r.push((v_len + b) as u32)
            });
            r
        })
        .collect();
    let keep: Vec<f64> = counts
        .iter()
        .map(|&c| {
            let f = c as f64 / total.max(1) as f64;
            if options.subsample > 0.0 {
                ((options.subsample / f).sqrt() + options.subsample / f).min(1.0)
            } else {
                1.0
            }
        })
        .collect();
    // Negative sampling table, unigram^0.75.
    const TABLE: usize = 1 << 22;
    let mut table: Vec<u32> = Vec::with_capacity(TABLE);
    if v_len > 0 {
        let z: f64 = counts.iter().map(|&c| (c as f64).powf(0.75)).sum();
        let mut acc = 0f64;
        let mut w = 0usize;
        for i in 0..TABLE {
            while w + 1 < v_len && (i as f64 / TABLE as f64) >= (acc + (counts[w] as f64).powf(0.75)) / z {
                acc += (counts[w] as f64).powf(0.75);
                w += 1;
            }
            table.push(w as u32);
        }
    }

    let mut rng = super::SplitMix(options.seed);
    let mut input: Vec<f32> = (0..(v_len + buckets) * dim)
        .map(|_| ((rng.next() >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 2.0 / dim as f32)
        .collect();
    let mut output = vec![0f32; v_len * dim];
    let planned: u64 = (0..v_len).map(|v| (counts[v] as f64 * keep[v]) as u64).sum::<u64>() * options.epochs as u64;
    let mut processed: u64 = 0;
    let mut h = vec![0f32; dim];
    let mut grad = vec![0f32; dim];
    let mut buf: Vec<u32> = Vec::new();
    for epoch in 1..=options.epochs {
        let mut loss = 0f64;
        let mut pairs = 0u64;
        let mut trained = 0u64;
        for sentence in &corpus.sentences {
            buf.clear();
            for &id in sentence {
                let v = to_vocab[id as usize];
                if v == u32::MAX {
                    continue;
                }
                let p = keep[v as usize];
                if p < 1.0 && (rng.next() >> 11) as f64 / (1u64 << 53) as f64 >= p {
                    continue;
                }
                buf.push(v);
            }
            for i in 0..buf.len() {
                let progress_share = processed as f32 / planned.max(1) as f32;
                let lr = options.learning_rate * (1.0 - progress_share).max(1e-4);
                processed += 1;
                trained += 1;
                let center = &rows[buf[i] as usize];
                h.fill(0.0);
                for &r in center {
                    for (h, x) in h.iter_mut().zip(&input[r as usize * dim..][..dim]) {
                        *h += x;
                    }
                }
                let inv = 1.0 / center.len() as f32;
                for x in h.iter_mut() {
                    *x *= inv;
                }
                grad.fill(0.0);
                let b = 1 + (rng.next() % options.window.max(1) as u64) as usize;
                let lo = i.saturating_sub(b);
                let hi = (i + b).min(buf.len() - 1);
                for (j, &target) in buf.iter().enumerate().take(hi + 1).skip(lo) {
                    if j == i {
                        continue;
                    }
                    let target = target as usize;
                    for n in 0..=options.negatives {
                        let (word, label) = if n == 0 {
                            (target, 1.0f32)
                        } else {
                            let w = table[(rng.next() % TABLE as u64) as usize] as usize;
                            if w == target {
                                continue;
                            }
                            (w, 0.0)
                        };
                        let out = &mut output[word * dim..][..dim];
                        let dot: f32 = out.iter().zip(&h).map(|(a, b)| a * b).sum();
                        let score = 1.0 / (1.0 + (-dot.clamp(-30.0, 30.0)).exp());
                        loss -=
                            f64::from(if label > 0.5 { score.max(1e-7).ln() } else { (1.0 - score).max(1e-7).ln() });
                        pairs += 1;
                        let alpha = lr * (label - score);
                        for ((g, o), x) in grad.iter_mut().zip(out.iter_mut()).zip(&h) {
                            *g += alpha * *o;
                            *o += alpha * x;
                        }
                    }
                }
                for &r in center {
                    for (x, g) in input[r as usize * dim..][..dim].iter_mut().zip(&grad) {
                        *x += g;
                    }
                }
            }
        }
        progress(&EmbeddingProgress {
            epoch,
            epochs: options.epochs,
            vocabulary: v_len,
            trained_tokens: trained,
            loss: if pairs == 0 { 0.0 } else { loss / pairs as f64 },
            elapsed_seconds: started.elapsed().as_secs_f64(),
        });
    }

    // Final vectors of the vocabulary: mean of each word's rows.
    let mut words = vec![0f32; v_len * dim];
    for (v, r) in rows.iter().enumerate() {
        let out = &mut words[v * dim..][..dim];
        for &row in r {
            for (o, x) in out.iter_mut().zip(&input[row as usize * dim..][..dim]) {
                *o += x;
            }
        }
        normalize(out);
    }
    let ngrams = input[v_len * dim..].to_vec();
    let keys: Vec<String> = vocab.iter().map(|&id| corpus.keys[id as usize].clone()).collect();
    let mut vectors = WordVectors {
        dim,
        min_n: options.min_n,
        max_n: options.max_n,
        buckets,
        index: keys.iter().enumerate().map(|(i, k)| (k.clone(), i as u32)).collect(),
        keys,
        words,
        ngrams,
        checksum: 0,
    };
    // Round-trip through the file so that the vectors returned are exactly
    // the ones a reader of the file gets (quantized), with its checksum.
    let bytes = vectors.to_bytes();
    if let Ok(Some(v)) = WordVectors::from_bytes(&bytes) {
        vectors = v;
    }
    vectors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> WordVectors {
        let mut corpus = EmbeddingCorpus::new();
        for _ in 0..30 {
            corpus.add_text("قال الرئيس محمد إن الوزير أحمد زار القاهرة. وقال الرئيس علي إن الوزير خالد زار دمشق.");
        }
        let options = EmbeddingOptions { dim: 8, epochs: 2, buckets: 1024, min_count: 2, ..Default::default() };
        train_embeddings(&corpus, &options, |_| {})
    }

    #[test]
    fn file_round_trips_and_rejects_damage() {
        let v = tiny();
        assert!(v.vocabulary_len() > 5);
        let bytes = v.to_bytes();
        let back = WordVectors::from_bytes(&bytes).unwrap().unwrap();
        assert!(back.to_bytes() == bytes, "re-encoding a read file changes it");
        assert_eq!(back.checksum(), v.checksum());
        let mut a = vec![0f32; 8];
        let mut b = vec![0f32; 8];
        let key = crate::gazetteer::phrase_key("القاهرة");
        assert!(v.vector(&key, &mut a));
        back.vector(&key, &mut b);
        assert_eq!(a, b);
        let mut broken = bytes.clone();
        let mid = broken.len() / 2;
        broken[mid] ^= 1;
        assert_eq!(WordVectors::from_bytes(&broken).unwrap_err(), NerError::Checksum);
        for cut in [0usize, 3, 20, bytes.len() - 1] {
            let r = WordVectors::from_bytes(&bytes[..cut]);
            assert!(cut == 0 && matches!(r, Ok(None)) || r.is_err(), "cut {cut}");
        }
    }

    #[test]
    fn unknown_words_get_unit_vectors_from_their_ngrams() {
        let v = tiny();
        let mut out = vec![0f32; 8];
        assert!(!v.vector("القاهرية", &mut out));
        let norm: f32 = out.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-3, "{norm}");
    }

    #[test]
    fn training_is_deterministic() {
        assert_eq!(tiny().to_bytes(), tiny().to_bytes());
    }
}
