//! MinHash signatures and banded LSH buckets.
//!
//! # Why our own MinHash
//!
//! We need two very different signatures: 128 values over a whole article
//! (near-duplicates) and 30 values over each sentence (passage candidates,
//! several hundred thousand of them on a news corpus). Crates such as gaoya
//! or probminhash are generic over hashers and storage and bring their own
//! hashing of the input; we already hold every shingle as a well-mixed
//! `u64`, and what we need on top is twenty lines: a fixed family of
//! multiply-add-shift hash functions (`(a·h + b) >> 32`, `a` odd), which is
//! the classical universal family, vectorizes, and — the property the store
//! relies on — is a compile-time constant, so a signature computed today
//! equals one computed after an upgrade of any dependency. The constants come
//! from SplitMix64 with a fixed seed, in a `const fn`.
//!
//! Minimums are kept as `u32`: 32 bits make accidental equal minimums
//! (which bias the Jaccard estimate upwards) one in four billion, and halve
//! the memory of 64-bit values.
//!
//! # Buckets
//!
//! [`Buckets`] is the LSH table: a signature is cut into bands of `rows`
//! values; each band is hashed (with its band number, so bands never
//! collide with each other) into one map from band key to the most recent
//! item (keys folded to 32 bits), plus a `next` chain through earlier items with the same key. That
//! is one map entry per key and eight bytes per (item, band), instead of a
//! `Vec` per bucket, and inserting is `O(bands)`, which is what makes the
//! index incremental.

use rustc_hash::FxHashMap;

/// SplitMix64's finalizer: a bijective mix of 64 bits.
pub(crate) const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The most hash functions any signature uses.
pub(crate) const MAX_HASHES: usize = 128;

const fn family() -> ([u64; MAX_HASHES], [u64; MAX_HASHES]) {
    let mut a = [0u64; MAX_HASHES];
    let mut b = [0u64; MAX_HASHES];
    let mut state: u64 = 0x4D41_5253_4144_0001; // "MARSAD" + 1
    let mut i = 0;
    while i < MAX_HASHES {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        a[i] = mix64(state) | 1;
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        b[i] = mix64(state);
        i += 1;
    }
    (a, b)
}

const FAMILY: ([u64; MAX_HASHES], [u64; MAX_HASHES]) = family();

/// The MinHash signature of a set of shingle hashes, with `n` (≤ 128) hash
/// functions, written into `out` (resized to `n`). An empty set gives all
/// `u32::MAX`, which callers must not compare.
pub(crate) fn sign(shingles: &[u64], n: usize, out: &mut Vec<u32>) {
    debug_assert!(n <= MAX_HASHES);
    out.clear();
    out.resize(n, u32::MAX);
    let (a, b) = (&FAMILY.0[..n], &FAMILY.1[..n]);
    for &h in shingles {
        for ((m, &a), &b) in out.iter_mut().zip(a).zip(b) {
            let v = (h.wrapping_mul(a).wrapping_add(b) >> 32) as u32;
            *m = (*m).min(v);
        }
    }
}

/// The fraction of positions where two signatures agree: an unbiased
/// estimate of the Jaccard similarity of the two shingle sets.
pub(crate) fn estimate_jaccard(x: &[u32], y: &[u32]) -> f32 {
    if x.is_empty() || x.len() != y.len() {
        return 0.0;
    }
    let same = x.iter().zip(y).filter(|(a, b)| a == b).count();
    same as f32 / x.len() as f32
}

/// The keys of the bands of `signature` (`rows` values per band).
pub(crate) fn band_keys(signature: &[u32], rows: usize) -> impl Iterator<Item = u64> + '_ {
    signature.chunks_exact(rows).enumerate().map(|(band, values)| {
        let mut h = mix64(band as u64 + 1);
        for &v in values {
            h = mix64(h ^ u64::from(v));
        }
        h
    })
}

const END: u32 = u32::MAX;

pub(crate) fn fold(key: u64) -> u32 {
    (key ^ (key >> 32)) as u32
}

/// An LSH table: band key → the items inserted under it, newest first.
#[derive(Debug, Default, Clone)]
pub(crate) struct Buckets {
    /// Band key folded to 32 bits → newest entry. A folded collision only
    /// adds a candidate, which verification discards; the map is half the
    /// size of one keyed by `u64`, and it is the largest table we keep.
    heads: FxHashMap<u32, u32>,
    /// (item, index of the previous entry with the same key or `END`).
    entries: Vec<(u32, u32)>,
}

impl Buckets {
    /// Files `item` under a folded key ([`fold`]).
    pub(crate) fn insert(&mut self, key: u32, item: u32) {
        let index = self.entries.len() as u32;
        let next = self.heads.insert(key, index).unwrap_or(END);
        self.entries.push((item, next));
    }

    /// Calls `f` on at most `limit` items under a folded key, newest first.
    pub(crate) fn for_each(&self, key: u32, limit: usize, mut f: impl FnMut(u32)) {
        let mut at = self.heads.get(&key).copied().unwrap_or(END);
        let mut seen = 0;
        while at != END && seen < limit {
            let (item, next) = self.entries[at as usize];
            f(item);
            at = next;
            seen += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_tracks_jaccard() {
        // Two sets of 1000 with 600 in common: J = 600 / 1400 ≈ 0.43.
        let x: Vec<u64> = (0..1000).map(mix64).collect();
        let y: Vec<u64> = (400..1400).map(mix64).collect();
        let (mut sx, mut sy) = (Vec::new(), Vec::new());
        sign(&x, 128, &mut sx);
        sign(&y, 128, &mut sy);
        let j = estimate_jaccard(&sx, &sy);
        assert!((j - 0.4286).abs() < 0.12, "{j}");
        assert_eq!(estimate_jaccard(&sx, &sx), 1.0);
    }

    #[test]
    fn the_family_is_fixed() {
        // A change here changes every stored signature: it must be deliberate.
        let mut s = Vec::new();
        sign(&[mix64(42)], 3, &mut s);
        assert_eq!(s, [2008207392, 117526351, 1441890596]);
        assert!(FAMILY.0.iter().all(|a| a & 1 == 1));
    }
}
