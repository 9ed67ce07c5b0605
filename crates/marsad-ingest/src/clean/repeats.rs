//! Repeated paragraphs: equal copies and pull-quote excerpts. See the
//! [`clean`](mod@crate::clean) module docs for the rules.

use xxhash_rust::xxh3::xxh3_64;

use crate::document::RemovalReason;

/// Equal word sequences of at least this many words are repeats.
const MIN_EQUAL_WORDS: usize = 4;
/// A paragraph of at least this many words found inside a longer one is an
/// excerpt. Shorter runs recur naturally (names, titles, set phrases).
const MIN_EXCERPT_WORDS: usize = 8;
/// Paragraphs are located by their first this-many words.
const GRAM: usize = 4;

/// `(index, of)` for every paragraph that repeats another: `index` is removed,
/// `of` is the kept, fuller copy. Paragraphs that already have a verdict
/// (boilerplate) take no part.
pub(super) fn find_repeats(words: &[Vec<&str>], verdicts: &[Option<RemovalReason>]) -> Vec<(usize, usize)> {
    // Words as 64-bit hashes, so comparisons are integer comparisons. Two
    // different words colliding would take 2^32 words of one article.
    let ids: Vec<Vec<u64>> = words.iter().map(|ws| ws.iter().map(|w| xxh3_64(w.as_bytes())).collect()).collect();
    let candidate = |i: usize| verdicts[i].is_none() && ids[i].len() >= MIN_EQUAL_WORDS;

    // Every 4-gram of every candidate paragraph, as (gram hash, paragraph,
    // position), sorted so the places of a gram are one binary search away.
    let mut grams: Vec<(u64, usize, usize)> = Vec::new();
    for (q, seq) in ids.iter().enumerate().filter(|&(q, _)| candidate(q)) {
        grams.extend(seq.windows(GRAM).enumerate().map(|(pos, g)| (gram_hash(g), q, pos)));
    }
    grams.sort_unstable();

    let mut repeats = Vec::new();
    for (p, seq) in ids.iter().enumerate().filter(|&(p, _)| candidate(p)) {
        let key = gram_hash(&seq[..GRAM]);
        let first = grams.partition_point(|&(g, _, _)| g < key);
        let mut best: Option<usize> = None;
        for &(_, q, pos) in grams[first..].iter().take_while(|&&(g, _, _)| g == key) {
            let other = &ids[q];
            if q == p || !fuller(other.len(), q, seq.len(), p) {
                continue;
            }
            if other.len() != seq.len() && seq.len() < MIN_EXCERPT_WORDS {
                continue;
            }
            if other.get(pos..pos + seq.len()) != Some(seq.as_slice()) {
                continue;
            }
            // The longest container, then the earliest: it is never itself
            // removed (anything containing it would contain `p` and be
            // better still).
            if best.is_none_or(|b| fuller(other.len(), q, ids[b].len(), b)) {
                best = Some(q);
            }
        }
        if let Some(of) = best {
            repeats.push((p, of));
        }
    }
    repeats
}

fn gram_hash(gram: &[u64]) -> u64 {
    gram.iter().fold(0u64, |h, &w| h.rotate_left(17).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ w)
}

/// Whether paragraph `a` (of `a_len` words) is the copy to keep over `b`:
/// longer, or as long and earlier.
fn fuller(a_len: usize, a: usize, b_len: usize, b: usize) -> bool {
    a_len > b_len || (a_len == b_len && a < b)
}
