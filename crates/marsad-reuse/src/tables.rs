//! Where an index keeps what it knows, and how a document is added to it.
//!
//! # Why a trait
//!
//! Adding a document reads very little of the index: the entries of its
//! own band keys in two LSH tables (at most [`ReuseConfig::max_bucket_scan`]
//! each, newest first), the signatures of the near-duplicate candidates
//! those name, and the word keys of at most [`ReuseConfig::max_candidates`]
//! documents to align against. Everything else — the other documents, the
//! rest of each bucket — is never touched. So the index does not need to
//! be in memory: a store can answer those reads from indexed rows and keep
//! its working set per document, however large the corpus. The algorithm
//! ([`add_document_to`]) is written once against [`ReuseTables`]; the
//! in-memory [`crate::ReuseIndex`] is one implementation and a database
//! another, so both find exactly the same passages for the same inputs.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::align;
use crate::minhash::{band_keys, estimate_jaccard, fold, sign};
use crate::words::Words;
use crate::{
    round3, unit_ranges, DocumentReuse, DocumentRow, DuplicateOf, DuplicateRow, PassageRow, ReuseConfig, SharedPassage,
    Span, DOC_HASHES, DOC_ROWS, DOC_SHINGLE, UNIT_HASHES, UNIT_ROWS, UNIT_SHINGLE,
};

/// The two LSH tables of an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LshTable {
    /// Bands of whole-document signatures (near-duplicate candidates).
    Documents,
    /// Bands of sentence signatures (shared-passage candidates).
    Sentences,
}

impl LshTable {
    /// A small integer for storage (0 and 1).
    pub fn code(self) -> u8 {
        match self {
            LshTable::Documents => 0,
            LshTable::Sentences => 1,
        }
    }
}

/// The band keys a document is filed under, folded to 32 bits (a folded
/// collision only adds a candidate, which verification discards). One entry
/// per filing: a key may repeat, and lookups count every entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BucketKeys {
    /// Keys in [`LshTable::Documents`], one per band (none for a document
    /// too short to sign).
    pub documents: Vec<u32>,
    /// Keys in [`LshTable::Sentences`]: its sentences' bands, distinct
    /// before folding.
    pub sentences: Vec<u32>,
}

/// What an index is made of, as [`add_document_to`] reads and extends it.
///
/// Documents are numbered from 0 in the order they were added;
/// [`PassageRow`] and [`DuplicateRow`] refer to them by that number.
pub trait ReuseTables {
    /// What a failed read or write reports.
    type Error;

    /// Number of documents added so far (the next document's number).
    fn document_count(&self) -> u32;

    /// Calls `f` on the documents filed under `key` in `table`, newest
    /// first, at most `limit` entries (a document filed twice under one key
    /// counts twice).
    fn bucket(&mut self, table: LshTable, key: u32, limit: usize, f: &mut dyn FnMut(u32)) -> Result<(), Self::Error>;

    /// The whole-document signature of document `doc` (empty when it was
    /// too short to sign).
    fn signature(&mut self, doc: u32) -> Result<Cow<'_, [u32]>, Self::Error>;

    /// Document `doc` as it was added.
    fn document(&mut self, doc: u32) -> Result<Cow<'_, DocumentRow>, Self::Error>;

    /// Records a new document (numbered [`ReuseTables::document_count`]),
    /// the keys to file it under, and what was found for it.
    fn push(
        &mut self,
        row: DocumentRow,
        keys: BucketKeys,
        passages: Vec<PassageRow>,
        duplicates: Vec<DuplicateRow>,
    ) -> Result<(), Self::Error>;
}

impl DocumentRow {
    /// The band keys this document is filed under (what
    /// [`add_document_to`] files it under, recomputed from its words and
    /// signature: for a store that keeps rows but lost or never had its
    /// LSH tables).
    pub fn bucket_keys(&self, config: &ReuseConfig) -> BucketKeys {
        let mut keys = BucketKeys::default();
        if self.signature.len() == DOC_HASHES {
            keys.documents.extend(band_keys(&self.signature, DOC_ROWS).map(fold));
        }
        let (mut shingles, mut sig, mut units) = (Vec::new(), Vec::new(), Vec::new());
        unit_ranges(&self.words, config.unit_min_words, |from, to| {
            self.words.shingles(from, to, UNIT_SHINGLE, &mut shingles);
            sign(&shingles, UNIT_HASHES, &mut sig);
            units.extend(band_keys(&sig, UNIT_ROWS));
        });
        units.sort_unstable();
        units.dedup();
        keys.sentences = units.into_iter().map(fold).collect();
        keys
    }
}

/// Adds a document to `tables`: signs it, looks its bands up, verifies the
/// candidates by alignment (and the document against itself, when two of
/// its sentences collide), files it, and returns what it shares with the
/// documents already there and within itself. See the crate docs.
pub fn add_document_to<T: ReuseTables>(
    tables: &mut T,
    config: &ReuseConfig,
    id: &str,
    date: Option<&str>,
    text: &str,
) -> Result<DocumentReuse, T::Error> {
    let words = Words::new(text);
    let seeds = align::SeedTable::new(&words);
    let doc = tables.document_count();
    let mut shingles = Vec::new();
    let mut signature = Vec::new();
    let mut result = DocumentReuse::default();
    let mut keys = BucketKeys::default();
    let mut duplicates = Vec::new();

    // Whole-document near-duplicates.
    if words.len() >= DOC_SHINGLE + 5 {
        words.shingles(0, words.len(), DOC_SHINGLE, &mut shingles);
        sign(&shingles, DOC_HASHES, &mut signature);
        keys.documents = band_keys(&signature, DOC_ROWS).map(fold).collect();
        let mut candidates = FxHashSet::default();
        for &key in &keys.documents {
            tables.bucket(LshTable::Documents, key, config.max_bucket_scan, &mut |d| {
                candidates.insert(d);
            })?;
        }
        let mut candidates: Vec<u32> = candidates.into_iter().collect();
        candidates.sort_unstable();
        for other in candidates {
            let j = estimate_jaccard(&signature, &tables.signature(other)?);
            if j < config.duplicate_threshold {
                continue;
            }
            let row = tables.document(other)?;
            let coverage = align::coverage(&row.words, &words, &seeds, config.passage_min_words);
            if coverage >= config.duplicate_coverage {
                duplicates.push(DuplicateRow { a: other, b: doc, similarity: j, coverage });
                result.duplicates.push(DuplicateOf { other: row.id.clone(), similarity: j, coverage });
            }
        }
    }

    // Sentence candidates: documents with a sentence in a common bucket.
    let mut hits: FxHashMap<u32, u32> = FxHashMap::default();
    let mut own: FxHashMap<u64, usize> = FxHashMap::default();
    let mut repeats = false;
    let mut unit_keys = Vec::new();
    let mut unit_sig = Vec::new();
    let mut local = 0usize;
    let mut failed = None;
    unit_ranges(&words, config.unit_min_words, |from, to| {
        words.shingles(from, to, UNIT_SHINGLE, &mut shingles);
        sign(&shingles, UNIT_HASHES, &mut unit_sig);
        for key in band_keys(&unit_sig, UNIT_ROWS) {
            if failed.is_none() {
                let found = tables.bucket(LshTable::Sentences, fold(key), config.max_bucket_scan, &mut |d| {
                    *hits.entry(d).or_default() += 1;
                });
                if let Err(e) = found {
                    failed = Some(e);
                }
            }
            if let Some(&earlier) = own.get(&key) {
                repeats |= earlier != local;
            }
            own.insert(key, local);
            unit_keys.push(key);
        }
        local += 1;
    });
    if let Some(e) = failed {
        return Err(e);
    }
    unit_keys.sort_unstable();
    unit_keys.dedup();
    keys.sentences = unit_keys.into_iter().map(fold).collect();

    let mut candidates: Vec<(u32, u32)> = hits.into_iter().collect();
    candidates.sort_unstable_by_key(|&(d, n)| (std::cmp::Reverse(n), d));
    candidates.truncate(config.max_candidates);
    candidates.sort_unstable();

    let min = config.passage_min_words;
    let span = |text: &str, (start, end): (u32, u32)| {
        let (start, end) = (start as usize, end as usize);
        Span { start, end, text: text[start..end].to_string() }
    };
    let mut passages = Vec::new();
    let mut record = |other: u32, other_id: &str, other_text: &str, al: align::Alignment| {
        // `a` of the alignment is the earlier document (or copy).
        passages.push(PassageRow {
            a: (other, al.a_bytes.0, al.a_bytes.1),
            b: (doc, al.b_bytes.0, al.b_bytes.1),
            words: (al.a_words.1 - al.a_words.0, al.b_words.1 - al.b_words.0),
            similarity: al.similarity(),
        });
        result.passages.push(SharedPassage {
            other: other_id.to_string(),
            similarity: round3(al.similarity()),
            here: span(text, al.b_bytes),
            there: span(other_text, al.a_bytes),
        });
    };
    for &(other, _) in &candidates {
        let row = tables.document(other)?;
        for al in align::align(&row.words, &words, &seeds, false, min) {
            record(other, &row.id, &row.text, al);
        }
    }
    if repeats {
        for al in align::align(&words, &words, &seeds, true, min) {
            record(doc, id, text, al);
        }
    }
    let row =
        DocumentRow { id: id.to_string(), date: date.map(str::to_string), text: text.to_string(), words, signature };
    tables.push(row, keys, passages, duplicates)?;
    Ok(result)
}
