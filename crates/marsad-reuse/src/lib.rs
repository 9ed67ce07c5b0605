//! Text reuse: what was copied, from where, and how closely.
//!
//! Arabic outlets syndicate agency copy, copy each other with light edits,
//! and repeat their own pull-quotes. This crate finds three things, over
//! documents added one at a time to a [`ReuseIndex`]:
//!
//! * **Passages shared between documents** — a sentence or longer, with the
//!   exact byte span in every document, even when the copies differ by a
//!   word, a clitic, punctuation or a moved name ([`ReuseIndex::groups`]).
//! * **Repeats inside one document** — pull-quotes, a pasted paragraph —
//!   reported in the same shape, with one document.
//! * **Whole-document near-duplicates** — syndicated copies with sentences
//!   dropped or reordered, words changed, boilerplate added
//!   ([`ReuseIndex::near_duplicates`]).
//!
//! It is pure: no I/O, no threads, no clock. The text layer
//! ([`marsad_text`]) supplies tokens and sentences.
//!
//! ```
//! use marsad_reuse::ReuseIndex;
//!
//! let mut index = ReuseIndex::new();
//! index.add_document("a", Some("2024-05-01"), "خبر أول. قال المتحدث إن المحادثات هي الطريقة الوحيدة الفعالة لمعالجة الأزمة في المنطقة.");
//! let found = index.add_document("b", Some("2024-05-02"), "وقال المتحدث إن المحادثات هي الطريقة الوحيدة الفعالة لمعالجة الأزمة في المنطقة. خبر آخر.");
//! assert_eq!(found.passages[0].other, "a");
//! let groups = index.groups(8);
//! assert_eq!(groups.len(), 1);
//! let g = &groups[0];
//! assert_eq!(g.origin, Some(0)); // "a" is the earlier
//! assert!(g.occurrences[1].text.starts_with("وقال المتحدث"));
//! assert!(g.occurrences[1].text.ends_with("المنطقة."));
//! ```
//!
//! # How
//!
//! Documents become word keys (normalized, clitics off; see `words.rs`).
//!
//! *Candidates* come from MinHash + LSH (see `minhash.rs`), at two scales.
//! Every sentence of at least [`ReuseConfig::unit_min_words`] words (long
//! sentences: overlapping 30-word windows) gets a 30-value signature over
//! word *bigrams*, cut into 10 bands of 3: two sentences whose bigram sets
//! have Jaccard 0.5 collide in some band with probability 0.74, at 0.7 with
//! probability 0.985. Bigrams rather than longer shingles because a
//! sentence is short: one changed word removes two bigrams but three
//! trigrams, and a 20-word sentence has only 18 trigrams to lose. Every
//! document also gets a 126-value signature over word bigrams, in 42 bands
//! of 3 (collision probability 0.68 at J = 0.3, 0.94 at 0.4, 0.996 at
//! 0.5), for near-duplicates.
//!
//! Near-duplicates are decided in two steps, because word-bigram Jaccard
//! alone cannot tell a syndicated copy from two outlets' accounts of one
//! event: both share names, titles and formulae, and on SaudiNewsNet pairs
//! of different royal decrees or of two reports on one Security Council
//! vote reach 0.5. "Light edits" cost more than they look, too: dropping
//! two sentences of ten, swapping two and changing one word in twenty-five
//! leaves bigram Jaccard anywhere in 0.46–0.8 in the planted test
//! (`tests/planted.rs`). So the Jaccard estimate (≥
//! [`ReuseConfig::duplicate_threshold`], 0.4) only admits a candidate, and
//! the pair is kept when the alignment of the two texts covers at least
//! [`ReuseConfig::duplicate_coverage`] (0.7) of the shorter one's words:
//! planted copies cover 0.74–1.0 of their original, articles that share a
//! paragraph about 0.15. The planted test gives precision 1.0 and recall
//! 1.0 (150 copies, 100 distractors, 400 originals).
//!
//! *Verification* is exact. A pair of documents with colliding sentences is
//! aligned word by word (see `align.rs`): exact runs, chained across small
//! gaps, snapped to sentence boundaries, kept only when they cover whole
//! sentences. So LSH decides only what is compared, never what is
//! reported; a false candidate costs microseconds and shows nowhere. A
//! near-duplicate candidate is verified by alignment coverage (above).
//!
//! # Incremental
//!
//! [`ReuseIndex::add_document`] signs the new document, looks its bands up,
//! aligns it against the candidates (and itself), records what it found,
//! and inserts its bands: nothing about earlier documents is recomputed, and
//! the cost of a document does not grow with the corpus except through
//! genuine matches (bucket scans are capped at
//! [`ReuseConfig::max_bucket_scan`] most recent entries, so a sentence
//! repeated in ten thousand articles costs no more than one repeated in a
//! hundred, and is still found, through the most recent ones).
//! [`ReuseIndex::groups`] and [`ReuseIndex::near_duplicates`] assemble the
//! recorded pairs into groups on demand; they sort everything, so the same
//! documents give the same groups whatever the order they were added in
//! (up to which pairs the caps let through).
//!
//! # Persisting
//!
//! A `ReuseIndex` serializes (serde) as rows — the config, one
//! [`DocumentRow`] per document (id, date, text, word keys and spans,
//! sentences, document signature), the pairwise passages and the
//! near-duplicate pairs — and *not* its LSH tables, which are rebuilt from
//! the rows on deserialization (one pass of hashing, no alignment). A store
//! can keep the serialized index as one blob, or take [`ReuseIndex::rows`]
//! apart into tables and rebuild with [`ReuseIndex::from_rows`]; adding
//! documents to a rebuilt index continues exactly where it stopped.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod align;
mod grouping;
mod minhash;
mod tables;
mod words;

use std::borrow::Cow;

use marsad_text::UnionFind;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use crate::grouping::{assemble_group, sweep_unions, GroupSpan, Side};
pub use crate::tables::{add_document_to, BucketKeys, LshTable, ReuseTables};

use crate::minhash::{sign, Buckets};
use crate::words::Words;

/// Hash functions in a document signature.
pub(crate) const DOC_HASHES: usize = 126;
/// Rows per band of a document signature (42 bands).
pub(crate) const DOC_ROWS: usize = 3;
/// Words per document shingle.
pub(crate) const DOC_SHINGLE: usize = 2;
/// Hash functions in a sentence (unit) signature.
pub(crate) const UNIT_HASHES: usize = 30;
/// Rows per band of a unit signature (10 bands).
pub(crate) const UNIT_ROWS: usize = 3;
/// Words per unit shingle.
pub(crate) const UNIT_SHINGLE: usize = 2;
/// Sentences longer than this are signed as overlapping windows.
const UNIT_MAX_WORDS: usize = 40;
/// Window length and stride for long sentences.
const WINDOW: usize = 30;
const STRIDE: usize = 15;

/// Tuning of a [`ReuseIndex`]. The defaults are the tested ones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReuseConfig {
    /// Sentences shorter than this are not signed (they can still be part of
    /// a passage found through a neighbour).
    pub unit_min_words: u32,
    /// Fewest matched words for a passage to be recorded at all;
    /// [`ReuseIndex::groups`] filters further by its `min_words`.
    pub passage_min_words: u32,
    /// Lowest Jaccard estimate (word bigrams) for two documents to be
    /// near-duplicate candidates.
    pub duplicate_threshold: f32,
    /// Lowest share of the shorter document matched in the longer one (in
    /// aligned chains of at least `passage_min_words` words) for candidates
    /// to be near-duplicates.
    pub duplicate_coverage: f32,
    /// Most entries read from one LSH bucket (newest first).
    pub max_bucket_scan: usize,
    /// Most documents aligned against a new one (those with the most
    /// colliding sentences first).
    pub max_candidates: usize,
}

impl Default for ReuseConfig {
    fn default() -> Self {
        ReuseConfig {
            unit_min_words: 6,
            passage_min_words: 6,
            duplicate_threshold: 0.4,
            duplicate_coverage: 0.7,
            max_bucket_scan: 64,
            max_candidates: 64,
        }
    }
}

/// One document as the index keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentRow {
    /// The caller's id.
    pub id: String,
    /// Its date, as an ISO string (`2015-07-21` or with a time): compared as
    /// text to find the origin of a reuse group.
    pub date: Option<String>,
    /// The text as given to [`ReuseIndex::add_document`].
    pub text: String,
    words: Words,
    signature: Vec<u32>,
}

/// Version of the word keys and signatures in [`DocumentRow::derived_bytes`]:
/// bumped whenever `Words::new` or the signing would give different values
/// for the same text, so a store knows its saved rows are stale.
pub const DERIVED_VERSION: u32 = 1;

/// Why saved derived bytes could not be turned back into a [`DocumentRow`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowDecodeError(pub &'static str);

impl std::fmt::Display for RowDecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "saved reuse row is unusable: {}", self.0)
    }
}

impl std::error::Error for RowDecodeError {}

impl DocumentRow {
    /// The whole-document MinHash signature (empty for a document too short
    /// to sign).
    pub fn signature(&self) -> &[u32] {
        &self.signature
    }

    /// What the index derived from the text (word keys and spans,
    /// sentences, document signature) as compact little-endian bytes,
    /// without the id, date and text, which a store keeps anyway. Saving
    /// them spares tokenizing the whole corpus again when the index is
    /// reloaded.
    pub fn derived_bytes(&self) -> Vec<u8> {
        let w = &self.words;
        let mut out = Vec::with_capacity(4 * (5 + 3 * w.keys.len() + 4 * w.sentences.len() + self.signature.len()));
        let mut put = |x: u32| out.extend_from_slice(&x.to_le_bytes());
        put(DERIVED_VERSION);
        put(w.keys.len() as u32);
        for i in 0..w.keys.len() {
            put(w.keys[i]);
            put(w.starts[i]);
            put(w.ends[i]);
        }
        put(w.sentences.len() as u32);
        for s in &w.sentences {
            put(s.words.0);
            put(s.words.1);
            put(s.bytes.0);
            put(s.bytes.1);
        }
        put(self.signature.len() as u32);
        for &h in &self.signature {
            put(h);
        }
        out
    }

    /// The row back from [`DocumentRow::derived_bytes`] and the text it was
    /// made from. Every span is checked against `text`, so a damaged or
    /// mismatched blob is an error here, never a panic later.
    pub fn from_derived_bytes(
        id: String,
        date: Option<String>,
        text: String,
        bytes: &[u8],
    ) -> Result<DocumentRow, RowDecodeError> {
        let mut at = 0usize;
        let mut get = || -> Result<u32, RowDecodeError> {
            let b = bytes.get(at..at + 4).ok_or(RowDecodeError("truncated"))?;
            at += 4;
            Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        if get()? != DERIVED_VERSION {
            return Err(RowDecodeError("made by another version"));
        }
        let n = get()? as usize;
        if n > bytes.len() / 12 {
            return Err(RowDecodeError("word count larger than the data"));
        }
        let mut words = Words::default();
        let boundary = |x: u32| text.is_char_boundary(x as usize) && (x as usize) <= text.len();
        for _ in 0..n {
            let (key, start, end) = (get()?, get()?, get()?);
            if start > end || !boundary(start) || !boundary(end) {
                return Err(RowDecodeError("word span outside the text"));
            }
            words.keys.push(key);
            words.starts.push(start);
            words.ends.push(end);
        }
        let s = get()? as usize;
        if s > bytes.len() / 16 {
            return Err(RowDecodeError("sentence count larger than the data"));
        }
        for _ in 0..s {
            let sentence = crate::words::Sentence { words: (get()?, get()?), bytes: (get()?, get()?) };
            if sentence.words.0 > sentence.words.1
                || sentence.words.1 as usize > n
                || sentence.bytes.0 > sentence.bytes.1
                || !boundary(sentence.bytes.0)
                || !boundary(sentence.bytes.1)
            {
                return Err(RowDecodeError("sentence outside the text"));
            }
            words.sentences.push(sentence);
        }
        let k = get()? as usize;
        if k != 0 && k != DOC_HASHES {
            return Err(RowDecodeError("signature of the wrong length"));
        }
        let mut signature = Vec::with_capacity(k);
        for _ in 0..k {
            signature.push(get()?);
        }
        if at != bytes.len() {
            return Err(RowDecodeError("trailing bytes"));
        }
        Ok(DocumentRow { id, date, text, words, signature })
    }
}

/// A passage found in two documents (or twice in one): the index's record.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PassageRow {
    /// Index of the first document (in insertion order) and its byte span.
    pub a: (u32, u32, u32),
    /// The second document and its span; `a.0 == b.0` for a repeat.
    pub b: (u32, u32, u32),
    /// Words in each span.
    pub words: (u32, u32),
    /// Matched words over the longer span's words.
    pub similarity: f32,
}

/// Two documents that are near-duplicates (indexes in insertion order).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateRow {
    /// The earlier-added document.
    pub a: u32,
    /// The later-added document, which was found to duplicate `a`.
    pub b: u32,
    /// Jaccard estimate of their word-bigram sets.
    pub similarity: f32,
    /// Share of the shorter document's words aligned with the other.
    pub coverage: f32,
}

/// Everything a [`ReuseIndex`] needs to be rebuilt.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReuseRows {
    /// The thresholds the index was built with.
    pub config: ReuseConfig,
    /// Every document, in insertion order (the indexes the other rows use).
    pub documents: Vec<DocumentRow>,
    /// Every shared or repeated passage found.
    pub passages: Vec<PassageRow>,
    /// Every near-duplicate pair found.
    pub duplicates: Vec<DuplicateRow>,
}

#[derive(Serialize)]
struct ReuseRowsRef<'a> {
    config: &'a ReuseConfig,
    documents: &'a [DocumentRow],
    passages: &'a [PassageRow],
    duplicates: &'a [DuplicateRow],
}

/// A span of a document's text; `text == document_text[start..end]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the start in the document text.
    pub start: usize,
    /// Byte offset of the end (exclusive).
    pub end: usize,
    /// The text between them.
    pub text: String,
}

/// A passage the new document shares with another one (or repeats).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedPassage {
    /// The other document's id; the new document's own id for a repeat.
    pub other: String,
    /// Alignment similarity: matched words over the longer span's words,
    /// 1.0 for a verbatim copy.
    pub similarity: f32,
    /// The passage in the new document.
    pub here: Span,
    /// The passage in the other document (or the repeat).
    pub there: Span,
}

/// An earlier document the new one nearly duplicates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateOf {
    /// The earlier document's id.
    pub other: String,
    /// Jaccard estimate of the word-bigram sets.
    pub similarity: f32,
    /// Share of the shorter document's words aligned with the other.
    pub coverage: f32,
}

/// What [`ReuseIndex::add_document`] found for the new document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentReuse {
    /// Passages shared with earlier documents, or repeated within this one.
    pub passages: Vec<SharedPassage>,
    /// Earlier documents this one nearly duplicates.
    pub duplicates: Vec<DuplicateOf>,
}

/// One occurrence of a reused passage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    /// Document id.
    pub doc: String,
    /// Byte offset of the start in the document text (see `removed`).
    pub start: usize,
    /// Byte offset of the end (exclusive).
    pub end: usize,
    /// `document_text[start..end]`.
    pub text: String,
    /// The copy was taken out of the document by the cleaner (a repeated
    /// pull-quote or pasted paragraph): `start..end` are then offsets in
    /// the document's extracted body, before cleaning, not in its text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
}

/// A passage and everywhere it occurs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReuseGroup {
    /// The passage as the origin (or else the first occurrence) has it.
    pub text: String,
    /// Mean alignment similarity of the pairs behind the group (matched
    /// words over passage words, 1.0 for verbatim copies).
    pub similarity: f32,
    /// Index into `occurrences` of the earliest dated one, when one
    /// document is strictly earliest.
    pub origin: Option<usize>,
    /// Sorted by document id, then start.
    pub occurrences: Vec<Occurrence>,
}

/// Documents that are near-duplicates of one another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateGroup {
    /// Document ids, sorted.
    pub docs: Vec<String>,
    /// The lowest Jaccard estimate among the pairs that join the group.
    pub similarity: f32,
    /// The lowest alignment coverage among those pairs.
    pub coverage: f32,
    /// Index into `docs` of the strictly earliest dated document.
    pub origin: Option<usize>,
}

/// The incremental reuse index. See the crate docs.
#[derive(Debug, Default)]
pub struct ReuseIndex {
    config: ReuseConfig,
    documents: Vec<DocumentRow>,
    passages: Vec<PassageRow>,
    duplicates: Vec<DuplicateRow>,
    /// Sentence band keys → documents.
    unit_buckets: Buckets,
    /// Document band keys → documents.
    doc_buckets: Buckets,
}

/// The word ranges of a document that get a sentence signature.
pub(crate) fn unit_ranges(words: &Words, min_words: u32, mut f: impl FnMut(usize, usize)) {
    for s in &words.sentences {
        let (from, to) = (s.words.0 as usize, s.words.1 as usize);
        if to - from < min_words as usize {
            continue;
        }
        if to - from <= UNIT_MAX_WORDS {
            f(from, to);
            continue;
        }
        let mut at = from;
        loop {
            let end = (at + WINDOW).min(to);
            f(at, end);
            if end == to {
                break;
            }
            at = (at + STRIDE).min(to - WINDOW);
        }
    }
}

pub(crate) fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// [`UnionFind`] over `u32` items (document and occurrence numbers).
struct Partition(UnionFind);

impl Partition {
    fn new(n: usize) -> Partition {
        Partition(UnionFind::new(n))
    }

    fn find(&mut self, x: u32) -> u32 {
        self.0.find(x as usize) as u32
    }

    fn union(&mut self, a: u32, b: u32) {
        self.0.union(a as usize, b as usize);
    }
}

/// The index of the strictly earliest dated item, if any.
pub(crate) fn earliest<'a>(dates: impl Iterator<Item = (usize, &'a str, Option<&'a str>)>) -> Option<usize> {
    // (index, doc, date): ties between different documents give no origin.
    let mut best: Option<(usize, &str, &str)> = None;
    let mut tied = false;
    for (i, doc, date) in dates {
        let Some(date) = date else { continue };
        match best {
            None => best = Some((i, doc, date)),
            Some((_, bdoc, bdate)) => {
                if date < bdate {
                    best = Some((i, doc, date));
                    tied = false;
                } else if date == bdate && doc != bdoc {
                    tied = true;
                }
            }
        }
    }
    if tied {
        None
    } else {
        best.map(|b| b.0)
    }
}

impl ReuseIndex {
    /// An empty index with the default config.
    pub fn new() -> ReuseIndex {
        ReuseIndex::default()
    }

    /// An empty index with `config`.
    pub fn with_config(config: ReuseConfig) -> ReuseIndex {
        ReuseIndex { config, ..ReuseIndex::default() }
    }

    /// Number of documents added.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// Whether no document was added.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// The documents, in insertion order.
    pub fn documents(&self) -> &[DocumentRow] {
        &self.documents
    }

    /// Adds a document and returns what it shares with the documents already
    /// in the index, and within itself. Ids are the caller's; they should be
    /// unique (a repeated id is simply another document).
    pub fn add_document(&mut self, id: &str, date: Option<&str>, text: &str) -> DocumentReuse {
        let config = self.config.clone();
        match add_document_to(self, &config, id, date, text) {
            Ok(found) => found,
            Err(never) => match never {},
        }
    }

    /// The passages of at least `min_words` words found in two or more
    /// places, grouped: pairs that share an occurrence are one group, where
    /// two spans of one document are the same occurrence when they overlap
    /// by at least half of the longer one (so a short formula inside a long
    /// passage does not chain unrelated passages together); overlapping
    /// occurrences of one document within a group are merged into their
    /// union. Sorted by number of
    /// occurrences (most first), then by first occurrence.
    pub fn groups(&self, min_words: u32) -> Vec<ReuseGroup> {
        let rows: Vec<&PassageRow> =
            self.passages.iter().filter(|r| r.words.0 >= min_words && r.words.1 >= min_words).collect();
        // Occurrence 2k and 2k+1 are the two sides of rows[k].
        let occ: Vec<(u32, Side)> = rows
            .iter()
            .enumerate()
            .flat_map(|(k, r)| {
                let k = 2 * k as u64;
                [
                    (r.a.0, Side { start: r.a.1, end: r.a.2, key: k }),
                    (r.b.0, Side { start: r.b.1, end: r.b.2, key: k + 1 }),
                ]
            })
            .collect();
        let mut uf = Partition::new(occ.len());
        for k in 0..rows.len() {
            uf.union(2 * k as u32, 2 * k as u32 + 1);
        }
        let mut by_doc: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for (i, (doc, _)) in occ.iter().enumerate() {
            by_doc.entry(*doc).or_default().push(i as u32);
        }
        for list in by_doc.values() {
            let sides: Vec<Side> = list.iter().map(|&i| occ[i as usize].1).collect();
            for (x, y) in sweep_unions(&sides) {
                uf.union(list[x], list[y]);
            }
        }
        let mut components: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for i in 0..occ.len() as u32 {
            components.entry(uf.find(i)).or_default().push(i);
        }
        let mut groups = Vec::new();
        for members in components.values() {
            let spans: Vec<GroupSpan<'_>> = members
                .iter()
                .map(|&i| {
                    let (doc, side) = occ[i as usize];
                    let row = &self.documents[doc as usize];
                    GroupSpan {
                        doc: &row.id,
                        number: doc,
                        start: side.start,
                        end: side.end,
                        text: &row.text,
                        date: row.date.as_deref(),
                    }
                })
                .collect();
            let mut pair_rows: Vec<u32> = members.iter().map(|&i| i / 2).collect();
            pair_rows.sort_unstable();
            pair_rows.dedup();
            let similarity =
                pair_rows.iter().map(|&k| rows[k as usize].similarity).sum::<f32>() / pair_rows.len() as f32;
            groups.extend(assemble_group(spans, similarity));
        }
        groups.sort_by(|x, y| {
            let key = |g: &ReuseGroup| {
                (std::cmp::Reverse(g.occurrences.len()), g.occurrences[0].doc.clone(), g.occurrences[0].start)
            };
            key(x).cmp(&key(y))
        });
        groups
    }

    /// Whole-document near-duplicates: documents joined by verified pairs
    /// (see the crate docs), grouped transitively — so a daily market report
    /// and its template siblings form one group. Sorted
    /// by size (largest first), then by first id.
    pub fn near_duplicates(&self) -> Vec<DuplicateGroup> {
        let mut uf = Partition::new(self.documents.len());
        for d in &self.duplicates {
            uf.union(d.a, d.b);
        }
        let mut lowest: FxHashMap<u32, (f32, f32)> = FxHashMap::default();
        for d in &self.duplicates {
            let root = uf.find(d.a);
            let e = lowest.entry(root).or_insert((1.0, 1.0));
            *e = (e.0.min(d.similarity), e.1.min(d.coverage));
        }
        let mut members: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for d in &self.duplicates {
            for x in [d.a, d.b] {
                members.entry(uf.find(x)).or_default().push(x);
            }
        }
        let mut groups: Vec<DuplicateGroup> = members
            .into_iter()
            .map(|(root, docs)| {
                let docs = docs
                    .iter()
                    .map(|&d| (self.documents[d as usize].id.as_str(), self.documents[d as usize].date.as_deref()));
                duplicate_group(docs.collect(), lowest[&root].0, lowest[&root].1)
            })
            .collect();
        groups.sort_by(|x, y| y.docs.len().cmp(&x.docs.len()).then_with(|| x.docs.cmp(&y.docs)));
        groups
    }

    /// The pairwise passages recorded so far (document indexes are insertion
    /// order), for callers that group differently.
    pub fn passages(&self) -> &[PassageRow] {
        &self.passages
    }

    /// The near-duplicate pairs recorded so far.
    pub fn duplicate_pairs(&self) -> &[DuplicateRow] {
        &self.duplicates
    }

    /// The index as rows (a copy), for storage.
    pub fn rows(&self) -> ReuseRows {
        ReuseRows {
            config: self.config.clone(),
            documents: self.documents.clone(),
            passages: self.passages.clone(),
            duplicates: self.duplicates.clone(),
        }
    }

    /// Rebuilds an index from its rows: the LSH tables are recomputed from
    /// the documents' words and signatures; nothing is re-aligned.
    pub fn from_rows(rows: ReuseRows) -> ReuseIndex {
        let mut index = ReuseIndex::with_config(rows.config);
        for (doc, row) in rows.documents.iter().enumerate() {
            index.file(doc as u32, row.bucket_keys(&index.config));
        }
        index.documents = rows.documents;
        index.passages = rows.passages;
        index.duplicates = rows.duplicates;
        index
    }

    fn file(&mut self, doc: u32, keys: BucketKeys) {
        for key in keys.documents {
            self.doc_buckets.insert(key, doc);
        }
        for key in keys.sentences {
            self.unit_buckets.insert(key, doc);
        }
    }
}

/// The in-memory tables: nothing fails.
impl ReuseTables for ReuseIndex {
    type Error = std::convert::Infallible;

    fn document_count(&self) -> u32 {
        self.documents.len() as u32
    }

    fn bucket(&mut self, table: LshTable, key: u32, limit: usize, f: &mut dyn FnMut(u32)) -> Result<(), Self::Error> {
        let buckets = match table {
            LshTable::Documents => &self.doc_buckets,
            LshTable::Sentences => &self.unit_buckets,
        };
        buckets.for_each(key, limit, f);
        Ok(())
    }

    fn signature(&mut self, doc: u32) -> Result<Cow<'_, [u32]>, Self::Error> {
        Ok(Cow::Borrowed(&self.documents[doc as usize].signature))
    }

    fn document(&mut self, doc: u32) -> Result<Cow<'_, DocumentRow>, Self::Error> {
        Ok(Cow::Borrowed(&self.documents[doc as usize]))
    }

    fn push(
        &mut self,
        row: DocumentRow,
        keys: BucketKeys,
        passages: Vec<PassageRow>,
        duplicates: Vec<DuplicateRow>,
    ) -> Result<(), Self::Error> {
        let doc = self.documents.len() as u32;
        self.file(doc, keys);
        self.documents.push(row);
        self.passages.extend(passages);
        self.duplicates.extend(duplicates);
        Ok(())
    }
}

impl Serialize for ReuseIndex {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ReuseRowsRef {
            config: &self.config,
            documents: &self.documents,
            passages: &self.passages,
            duplicates: &self.duplicates,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ReuseIndex {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ReuseRows::deserialize(deserializer).map(ReuseIndex::from_rows)
    }
}

/// The near-duplicate group of these documents (id, date; in any order,
/// repeats allowed), joined by pairs whose lowest Jaccard estimate and
/// coverage are `similarity` and `coverage`: ids sorted, the strictly
/// earliest dated one the origin.
pub fn duplicate_group(mut docs: Vec<(&str, Option<&str>)>, similarity: f32, coverage: f32) -> DuplicateGroup {
    docs.sort_unstable();
    docs.dedup_by(|x, y| x.0 == y.0);
    let origin = earliest(docs.iter().enumerate().map(|(i, &(id, date))| (i, id, date)));
    DuplicateGroup {
        docs: docs.iter().map(|d| d.0.to_string()).collect(),
        similarity: round3(similarity),
        coverage: round3(coverage),
        origin,
    }
}

/// The hashes of a text's word-bigram shingles, exactly as
/// [`ReuseIndex::add_document`] shingles a whole document for its
/// near-duplicate signature (normalized word keys, clitics off,
/// punctuation dropped; one hash per bigram, in text order, repeats
/// kept). For benchmarks and tools that want the crate's shingles without
/// an index.
pub fn document_shingles(text: &str) -> Vec<u64> {
    let words = Words::new(text);
    let mut out = Vec::new();
    words.shingles(0, words.len(), DOC_SHINGLE, &mut out);
    out
}

/// The crate's fixed-seed MinHash signature of a set of shingle hashes,
/// with `hashes` hash functions (at most 128; the document signature uses
/// 126). An empty set gives all `u32::MAX`.
///
/// # Panics
///
/// When `hashes` is more than 128.
pub fn minhash_signature(shingles: &[u64], hashes: usize) -> Vec<u32> {
    assert!(hashes <= minhash::MAX_HASHES, "at most {} hashes", minhash::MAX_HASHES);
    let mut out = Vec::with_capacity(hashes);
    sign(shingles, hashes, &mut out);
    out
}

/// A shingle given as bytes (for example normalized words joined by a
/// space) hashed to the `u64` that [`minhash_signature`] takes: 64-bit
/// FNV-1a (the hash the crate uses for word keys) then SplitMix64's
/// finalizer, so the bits are well mixed. The crate's own
/// shingles hash word keys instead ([`document_shingles`]); this is for
/// signing shingles that arrive as text.
pub fn shingle_bytes_hash(bytes: &[u8]) -> u64 {
    minhash::mix64(words::fnv1a(bytes))
}

/// Where `passage` occurs in `text`, word for word after normalization
/// (diacritics, letter variants, clitics and punctuation do not matter), as
/// the span from its first word to its last; the first occurrence if there
/// are several. Used to find the copy a cleaner kept of a paragraph it
/// removed as repeated.
pub fn locate(text: &str, passage: &str) -> Option<Span> {
    let needle = Words::new(passage);
    if needle.is_empty() {
        return None;
    }
    let hay = Words::new(text);
    let n = needle.len();
    let at = hay.keys.windows(n).position(|w| w == needle.keys.as_slice())?;
    let (start, end) = (hay.starts[at] as usize, hay.ends[at + n - 1] as usize);
    Some(Span { start, end, text: text[start..end].to_string() })
}
