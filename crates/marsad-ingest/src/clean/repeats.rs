//! Repeated paragraphs: equal copies and pull-quote excerpts. See the
//! [`crate::clean`] docs for the rules.

use std::collections::HashMap;

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
pub(super) fn find_repeats(words: &[Vec<String>], verdicts: &[Option<RemovalReason>]) -> Vec<(usize, usize)> {
    // Words as small integers, so comparisons are cheap.
    let mut vocabulary: HashMap<&str, u32> = HashMap::new();
    let ids: Vec<Vec<u32>> = words
        .iter()
        .map(|ws| {
            ws.iter()
                .map(|w| {
                    let next = vocabulary.len() as u32;
                    *vocabulary.entry(w.as_str()).or_insert(next)
                })
                .collect()
        })
        .collect();
    let candidate = |i: usize| verdicts[i].is_none() && ids[i].len() >= MIN_EQUAL_WORDS;

    // Every 4-gram of every candidate paragraph → where it occurs.
    let mut grams: HashMap<&[u32], Vec<(usize, usize)>> = HashMap::new();
    for (q, seq) in ids.iter().enumerate().filter(|&(q, _)| candidate(q)) {
        for (pos, gram) in seq.windows(GRAM).enumerate() {
            grams.entry(gram).or_default().push((q, pos));
        }
    }

    let mut repeats = Vec::new();
    for (p, seq) in ids.iter().enumerate().filter(|&(p, _)| candidate(p)) {
        let Some(places) = grams.get(&seq[..GRAM]) else { continue };
        let mut best: Option<usize> = None;
        for &(q, pos) in places {
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
            let better = match best {
                None => true,
                Some(b) => fuller(other.len(), q, ids[b].len(), b),
            };
            if better {
                best = Some(q);
            }
        }
        if let Some(of) = best {
            repeats.push((p, of));
        }
    }
    repeats
}

/// Whether paragraph `a` (of `a_len` words) is the copy to keep over `b`:
/// longer, or as long and earlier.
fn fuller(a_len: usize, a: usize, b_len: usize, b: usize) -> bool {
    a_len > b_len || (a_len == b_len && a < b)
}
