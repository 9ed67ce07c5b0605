//! Word classes and corpus statistics learned from unlabeled news, compiled
//! in from `data/models/word-clusters-ar.txt`.
//!
//! ANERcorp has 125k words; most names in today's news are not among them.
//! What an unseen word *is* can still be read off how it is used in a large
//! unlabeled corpus: words that appear in the same contexts (after الرئيس,
//! before قال, after في) fall into the same class, so a foreign surname the
//! tagger never saw shares a class with the ones it did. The file is made
//! by `examples/build_word_stats.rs` from SaudiNewsNet (8.7M tokens; see
//! its docs and `data/models/ner-ar.md` for the command): for the ~50,000
//! word bases seen at least 5 times, two hierarchical spherical k-means
//! classings over their PPMI context vectors (4,096 leaves in 512 and 32
//! coarser classes — a cheap stand-in for Brown clusters), plus per-word
//! statistics that separate names from common words: the share of
//! occurrences carrying the article ال (names almost never do), the share
//! following a person title, and frequency.
//!
//! Changing the file changes what the features mean: retrain the model
//! (`FEATURE_SET_VERSION` guards the templates, not this table's content).
//!
//! The table is keyed by the word key of [`crate::gazetteer::word_key`]
//! (normalized base), the same key for CoNLL words and tokenized text.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

static TABLE: &str = include_str!("../../../../data/models/word-clusters-ar.txt");

/// What the table knows about one word key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordStat {
    /// Leaf class `c1·128 + c2·8 + c3` (c1 < 32, c2 < 16, c3 < 8).
    pub cluster: u16,
    /// A second leaf class, same method, k-means seeded differently.
    pub cluster2: u16,
    /// Share of occurrences with the article, bucketed 0 (< 2%) … 4 (≥ 85%).
    pub article: u8,
    /// Share of occurrences right after a person title, 0 (< 1%) … 3 (≥ 20%).
    pub after_title: u8,
    /// ⌊log2 frequency⌋ in the corpus.
    pub log_freq: u8,
}

/// The compiled-in table, parsed once (lines that do not parse are skipped).
pub fn table() -> &'static FxHashMap<&'static str, WordStat> {
    static T: OnceLock<FxHashMap<&'static str, WordStat>> = OnceLock::new();
    T.get_or_init(|| {
        let mut map = FxHashMap::with_capacity_and_hasher(90_000, Default::default());
        for line in TABLE.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut f = line.split('\t');
            let Some(key) = f.next() else { continue };
            let mut n = [0u16; 5];
            let mut ok = true;
            for x in &mut n {
                match f.next().and_then(|v| v.parse().ok()) {
                    Some(v) => *x = v,
                    None => ok = false,
                }
            }
            if !ok {
                continue;
            }
            let b = |v: u16| v.min(255) as u8;
            map.insert(
                key,
                WordStat { cluster: n[0], cluster2: n[1], article: b(n[2]), after_title: b(n[3]), log_freq: b(n[4]) },
            );
        }
        map
    })
}

/// The statistics of one word key, if it is in the table.
#[inline]
pub fn lookup(key: &str) -> Option<WordStat> {
    table().get(key).copied()
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_loads_and_groups_names() {
        let t = super::table();
        assert!(t.len() > 50_000, "{}", t.len());
        let a = super::lookup("محمد").expect("محمد");
        let b = super::lookup("عبدالله").expect("عبدالله");
        // Given names share at least their coarse class.
        assert_eq!(a.cluster >> 7, b.cluster >> 7);
    }
}
