//! Aligning two documents (or one with itself) into shared passages.
//!
//! LSH only says "these two sentences look alike"; an analyst needs the
//! exact passage in each document. Alignment works on word keys (see
//! [`crate::words`]) in three steps:
//!
//! 1. **Runs.** Every three-word sequence of one document is looked up in a
//!    table of the other's; a hit is extended forward for as long as the
//!    words agree. A run is a maximal exact match on one diagonal; a
//!    diagonal already covered is not searched again, so this is linear in
//!    practice. Sequences that occur more than [`MAX_SEED_HITS`] times in
//!    the other document (a word repeated a hundred times) are not followed.
//! 2. **Chains.** Light edits cut a copied passage into runs: `(المتوقفة
//!    آنذاك)` against `، والمتوقفة حاليًا،` leaves a one-word gap, and
//!    moving the speaker's name leaves a run out of order. A chain is a
//!    sequence of runs, in order in both documents, with at most
//!    [`MAX_GAP`] unmatched words between consecutive runs on either side;
//!    the heaviest chains (most matched words) are found by dynamic
//!    programming over the runs and taken greedily, each run used once.
//! 3. **Sentences.** Reuse is reported as passages of at least one
//!    sentence. A chain's ends are snapped to the nearest sentence boundary
//!    at most [`SNAP_WORDS`] words away, outwards (the displaced name, a
//!    dropped وقال) or inwards (a stray common word before the copied
//!    sentence), so the same passage gets the same span whichever copy it
//!    was aligned with. A chain must then cover a whole
//!    sentence in both documents, or in one of them if it is at least
//!    [`ONE_SIDED_MIN_WORDS`] words long (a pull-quote of its own cut from
//!    the first half of a long sentence). That is what keeps formulae —
//!    "صاحب السمو الملكي الأمير محمد بن سلمان بن عبدالعزيز ولي ولي العهد
//!    النائب الثاني لرئيس مجلس الوزراء وزير الدفاع", fifteen words in
//!    thousands of articles, a sentence of its own in a few captions — from
//!    being called reuse.
//!
//! Inside one document the same machinery runs with the document on both
//! sides, keeping only runs that lie strictly after themselves (no overlap),
//! which finds pull-quotes and pasted paragraphs.

use rustc_hash::FxHashMap;

use crate::words::{shingle_hash, Words};

/// Words per seed.
pub(crate) const SEED: usize = 3;
/// A seed occurring more often than this in the other document is skipped.
pub(crate) const MAX_SEED_HITS: usize = 24;
/// Most unmatched words between two runs of one chain, on either side.
pub(crate) const MAX_GAP: u32 = 4;
/// Most unmatched words between a chain's end and its sentence boundary
/// for the passage to be snapped to that boundary.
pub(crate) const SNAP_WORDS: u32 = 5;
/// Fewest matched words for a passage that is a whole sentence on one side
/// only (a pull-quote cut from a longer sentence).
pub(crate) const ONE_SIDED_MIN_WORDS: u32 = 20;
/// Most runs considered per pair (beyond, the text is degenerate).
const MAX_RUNS: usize = 4096;

/// One shared passage between documents `a` and `b` (word and byte ranges).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Alignment {
    pub(crate) a_words: (u32, u32),
    pub(crate) b_words: (u32, u32),
    pub(crate) a_bytes: (u32, u32),
    pub(crate) b_bytes: (u32, u32),
    pub(crate) matched: u32,
}

impl Alignment {
    pub(crate) fn similarity(&self) -> f32 {
        let len = (self.a_words.1 - self.a_words.0).max(self.b_words.1 - self.b_words.0);
        if len == 0 {
            0.0
        } else {
            self.matched as f32 / len as f32
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Run {
    a: u32,
    b: u32,
    len: u32,
}

/// Every three-word seed of one document, to look the seeds of others up
/// in. Built once per new document and shared by all its alignments.
pub(crate) struct SeedTable {
    heads: FxHashMap<u64, u32>,
    /// Previous position with the same seed, or `u32::MAX`.
    next: Vec<u32>,
}

impl SeedTable {
    pub(crate) fn new(b: &Words) -> SeedTable {
        let mut heads = FxHashMap::with_capacity_and_hasher(b.len(), Default::default());
        let mut next = vec![u32::MAX; b.len()];
        for (j, window) in b.keys.windows(SEED).enumerate() {
            next[j] = heads.insert(shingle_hash(window), j as u32).unwrap_or(u32::MAX);
        }
        SeedTable { heads, next }
    }
}

/// The maximal exact runs between `a` and `b` (`table` is `b`'s).
fn runs(a: &Words, b: &Words, table: &SeedTable, same: bool) -> Vec<Run> {
    let mut out = Vec::new();
    if a.len() < SEED || b.len() < SEED {
        return out;
    }
    let SeedTable { heads, next } = table;
    // Diagonal (b - a, offset by a.len()) → first `a` position not yet
    // covered by a run on it.
    let mut covered = vec![0u32; a.len() + b.len() + 1];
    for i in 0..=a.len() - SEED {
        let h = shingle_hash(&a.keys[i..i + SEED]);
        let mut at = heads.get(&h).copied().unwrap_or(u32::MAX);
        let mut hits = 0;
        while at != u32::MAX && hits < MAX_SEED_HITS {
            let j = at as usize;
            at = next[j];
            hits += 1;
            if same && j <= i {
                continue;
            }
            let diag = j + a.len() - i;
            if covered[diag] as usize > i {
                continue;
            }
            let mut len = 0;
            while i + len < a.len()
                && j + len < b.len()
                && a.keys[i + len] == b.keys[j + len]
                && !(same && i + len >= j)
            {
                len += 1;
            }
            covered[diag] = (i + len) as u32;
            if len >= SEED {
                out.push(Run { a: i as u32, b: j as u32, len: len as u32 });
                if out.len() >= MAX_RUNS {
                    return out;
                }
            }
        }
    }
    out
}

/// One chain: its runs in order (in both documents, non-overlapping on
/// either side) and their matched words.
struct Chain {
    runs: Vec<Run>,
    matched: u32,
}

impl Chain {
    /// Words `a0..a1` of the first document and `b0..b1` of the second that
    /// the chain spans.
    fn spans(&self) -> ((u32, u32), (u32, u32)) {
        let (first, last) = (self.runs[0], self.runs[self.runs.len() - 1]);
        ((first.a, last.a + last.len), (first.b, last.b + last.len))
    }

    /// Matched words lying inside both `a` and `b` (word ranges): what is
    /// left of the chain once its spans have been snapped, inwards ends
    /// included. Never more than either range's length, since the runs of a
    /// chain do not overlap on either side.
    fn matched_within(&self, a: (u32, u32), b: (u32, u32)) -> u32 {
        self.runs
            .iter()
            .map(|r| {
                let lo = a.0.saturating_sub(r.a).max(b.0.saturating_sub(r.b));
                let hi = a.1.saturating_sub(r.a).min(b.1.saturating_sub(r.b)).min(r.len);
                hi.saturating_sub(lo)
            })
            .sum()
    }
}

/// The heaviest chains of runs, greedily, each run used once.
fn chains(runs: &mut [Run]) -> Vec<Chain> {
    runs.sort_by_key(|r| (r.a, r.b));
    let n = runs.len();
    let mut best = vec![0u32; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        best[i] = runs[i].len;
        for j in 0..i {
            let (p, r) = (runs[j], runs[i]);
            let (pa, pb) = (p.a + p.len, p.b + p.len);
            if pa <= r.a && pb <= r.b && r.a - pa <= MAX_GAP && r.b - pb <= MAX_GAP && best[j] + r.len > best[i] {
                best[i] = best[j] + r.len;
                prev[i] = j;
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(best[i]), i));
    let mut used = vec![false; n];
    let mut out = Vec::new();
    for end in order {
        if used[end] {
            continue;
        }
        let (mut members, mut matched, mut at) = (Vec::new(), 0, end);
        loop {
            if used[at] {
                break;
            }
            used[at] = true;
            matched += runs[at].len;
            members.push(runs[at]);
            if prev[at] == usize::MAX {
                break;
            }
            at = prev[at];
        }
        members.reverse();
        out.push(Chain { runs: members, matched });
    }
    out
}

/// The share of the shorter document's words matched by chains of at least
/// `min_words` words: how much of one text the other contains, sentence
/// boundaries aside. This is what tells a syndicated copy (most of it
/// matched, in order, across small edits) from two outlets' accounts of one
/// event, whose word-bigram sets can be as alike (names, titles, formulae)
/// while hardly a sentence is shared.
pub(crate) fn coverage(a: &Words, b: &Words, table: &SeedTable, min_words: u32) -> f32 {
    let shorter = a.len().min(b.len());
    if shorter == 0 {
        return 0.0;
    }
    let mut runs = runs(a, b, table, false);
    let matched: u32 = chains(&mut runs).iter().map(|c| c.matched).filter(|&m| m >= min_words).sum();
    (matched as f32 / shorter as f32).min(1.0)
}

/// Word range `w0..w1` of `doc` snapped to sentence boundaries (empty,
/// `w0..w0`, when snapping inwards left nothing). Whether it covers a whole
/// sentence is [`snap_whole`]'s to say, on the final range.
///
/// Each end moves to the nearest boundary within [`SNAP_WORDS`]: outwards
/// (the displaced name, a dropped وقال) or inwards, when the chain merely
/// starts with the last few words of the previous sentence or ends with
/// the first few of the next (a common word that happens to precede the
/// copied sentence in both documents). Snapping inwards is what makes the
/// span of a passage the same whichever copy it was aligned with.
fn snap(doc: &Words, mut w0: u32, mut w1: u32) -> (u32, u32) {
    if let Some(s) = doc.sentence_of(w0) {
        let s = doc.sentences[s].words;
        if w0 - s.0 <= SNAP_WORDS {
            w0 = s.0;
        } else if s.1 < w1 && s.1 - w0 <= SNAP_WORDS {
            w0 = s.1;
        }
    }
    if let Some(s) = doc.sentence_of(w1 - 1) {
        let s = doc.sentences[s].words;
        if s.1 - w1 <= SNAP_WORDS {
            w1 = s.1;
        } else if s.0 > w0 && w1 - s.0 <= SNAP_WORDS {
            w1 = s.0;
        }
    }
    if w1 <= w0 {
        return (w0, w0);
    }
    (w0, w1)
}

/// Whether words `w0..w1` cover at least one whole sentence of `doc`.
fn snap_whole(doc: &Words, w0: u32, w1: u32) -> bool {
    let k = doc.sentences.partition_point(|s| s.words.0 < w0);
    k < doc.sentences.len() && doc.sentences[k].words.1 <= w1
}

/// Byte range of words `w0..w1`, extended to the sentence's first or last
/// byte (opening quote, final period) when the range starts or ends one.
fn bytes(doc: &Words, w0: u32, w1: u32) -> (u32, u32) {
    let mut start = doc.starts[w0 as usize];
    let mut end = doc.ends[w1 as usize - 1];
    if let Some(s) = doc.sentence_of(w0) {
        if doc.sentences[s].words.0 == w0 {
            start = doc.sentences[s].bytes.0;
        }
    }
    if let Some(s) = doc.sentence_of(w1 - 1) {
        if doc.sentences[s].words.1 == w1 {
            end = doc.sentences[s].bytes.1;
        }
    }
    (start, end)
}

/// The passages shared by `a` and `b` (or repeated inside `a` when `same`;
/// `table` is `b`'s seeds),
/// each with at least `min_words` matched words and whole sentences as
/// described in the module docs.
pub(crate) fn align(a: &Words, b: &Words, table: &SeedTable, same: bool, min_words: u32) -> Vec<Alignment> {
    let mut runs = runs(a, b, table, same);
    let mut out = Vec::new();
    for chain in chains(&mut runs) {
        if chain.matched < min_words {
            continue;
        }
        let ((a0, a1), (b0, b1)) = chain.spans();
        let (sa0, mut sa1) = snap(a, a0, a1);
        let (mut sb0, sb1) = snap(b, b0, b1);
        if same && sa1 > sb0 {
            // Snapping made the two copies overlap: where they meet, keep
            // the chain's own end rather than the boundary, on one side if
            // that is enough.
            if a1 <= sb0 {
                sa1 = a1;
            } else if sa1 <= b0 {
                sb0 = b0;
            } else {
                (sa1, sb0) = (a1, b0);
            }
            if sa1 > sb0 {
                continue;
            }
        }
        if sa1 <= sa0 || sb1 <= sb0 {
            continue;
        }
        // Snapping inwards drops the words of the chain outside the
        // sentences kept (all of them, when a chain is the end of one long
        // sentence and the start of another around a short one that
        // differs): only what is left counts, so that `similarity` stays
        // at most 1 and both spans have at least `min_words` words.
        let matched = chain.matched_within((sa0, sa1), (sb0, sb1));
        if matched < min_words {
            continue;
        }
        let (whole_a, whole_b) = (snap_whole(a, sa0, sa1), snap_whole(b, sb0, sb1));
        if !(whole_a && whole_b || (whole_a || whole_b) && matched >= ONE_SIDED_MIN_WORDS) {
            continue;
        }
        out.push(Alignment {
            a_words: (sa0, sa1),
            b_words: (sb0, sb1),
            a_bytes: bytes(a, sa0, sa1),
            b_bytes: bytes(b, sb0, sb1),
            matched,
        });
    }
    out.sort_by_key(|x| (x.a_words, x.b_words));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str, r: (u32, u32)) -> &str {
        &text[r.0 as usize..r.1 as usize]
    }

    #[test]
    fn edited_copy_aligns_to_whole_sentences() {
        let a = "مقدمة لا علاقة لها بالموضوع. وقال ديمتري بيسكوف، المتحدث باسم الرئاسة الروسية، إن الكرملين يعتقد أن المحادثات السداسية بشأن كوريا الشمالية (المتوقفة آنذاك) هي الطريقة الوحيدة الفعالة لمعالجة التسلح النووي في شبه الجزيرة الكورية. وكانت اللجنة قد تشكلت.";
        let b = "وقال المتحدث باسم الرئاسة الروسية، ديمتري بيسكوف، إن الكرملين يعتقد أن المحادثات السداسية بشأن كوريا الشمالية، والمتوقفة حاليًا، هي الطريقة الوحيدة الفعالة لمعالجة التسلح النووي في شبه الجزيرة الكورية. خاتمة مختلفة تماما هنا.";
        let (wa, wb) = (Words::new(a), Words::new(b));
        let found = align(&wa, &wb, &SeedTable::new(&wb), false, 8);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(cut(a, found[0].a_bytes).starts_with("وقال ديمتري"));
        assert!(cut(a, found[0].a_bytes).ends_with("الكورية."));
        assert!(cut(b, found[0].b_bytes).starts_with("وقال المتحدث"));
        assert!(cut(b, found[0].b_bytes).ends_with("الكورية."));
    }

    #[test]
    fn a_repeated_paragraph_is_found_inside_one_document() {
        let text = "قال الرئيس إن بلاده لن تتراجع عن مواقفها مهما كانت الضغوط الخارجية.\nوفي سياق آخر عقد المجلس جلسة.\nقال الرئيس إن بلاده لن تتراجع عن مواقفها مهما كانت الضغوط الخارجية.";
        let w = Words::new(text);
        let found = align(&w, &w, &SeedTable::new(&w), true, 8);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(cut(text, found[0].a_bytes), cut(text, found[0].b_bytes));
        assert!(found[0].a_bytes.1 <= found[0].b_bytes.0);
    }

    #[test]
    fn a_shared_title_is_not_reuse() {
        let a = "استقبل خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود وفدا من رجال الأعمال اليابانيين في الرياض اليوم.";
        let b = "أصدر خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود أمرا ملكيا بتعيين وزير جديد للصحة بعد ظهر أمس.";
        let b = Words::new(b);
        assert!(align(&Words::new(a), &b, &SeedTable::new(&b), false, 8).is_empty());
    }
}
