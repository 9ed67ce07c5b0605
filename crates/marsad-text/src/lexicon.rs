//! The word lists compiled into the crate, as one hash map.
//!
//! Three small hand-written lists (and the month names of the calendar) steer
//! the tokenizer and stemmer where rules alone would go wrong:
//!
//! * `stopwords-ar.txt`: function words, dropped from the index. They also
//!   count as a known remainder when a clitic is stripped (`وفي` → `و` + `في`).
//! * `clitic-exceptions-ar.txt`: words that begin with a clitic letter without
//!   being prefixed (وزير, وكالة, بداية, …). They are never split, but are
//!   stemmed normally (وزارة and وزارات share a stem).
//! * `gazetteer-ar.txt`: places and names. Never split *and* never stemmed:
//!   a suffix rule has no business turning البحرين into بحر. An entry spelled
//!   with the bare article (الصين) is stored without it, so that the article
//!   is stripped as usual and the base `صين` is what is known.
//!
//! Entries are normalized when loaded, so the files can use the ordinary
//! spelling with hamza and diacritics. One map answers every question with a
//! single lookup, keyed by short strings and hashed with FxHash: these lookups
//! sit on the hot path of indexing.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::normalize::normalize_key;

/// A stop word.
pub(crate) const STOP: u8 = 1;
/// A word that starts with a clitic letter but is not prefixed.
pub(crate) const EXCEPTION: u8 = 2;
/// A name (place, person, month): not split, not stemmed.
pub(crate) const NAME: u8 = 4;

const STOPWORDS: &str = include_str!("../../../data/lexicon/stopwords-ar.txt");
const EXCEPTIONS: &str = include_str!("../../../data/lexicon/clitic-exceptions-ar.txt");
const GAZETTEER: &str = include_str!("../../../data/lexicon/gazetteer-ar.txt");
const MONTHS: &str = include_str!("../../../data/lexicon/months-ar.txt");

pub(crate) struct Lexicon {
    map: FxHashMap<Box<str>, u8>,
    /// Longest key in bytes: longer words skip the lookup.
    max_len: usize,
}

/// The lexicon, built on first use.
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::load)
}

/// The entries of a word-list file: one a line, `#` starts a comment.
fn entries(file: &str) -> impl Iterator<Item = &str> {
    file.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
}

impl Lexicon {
    fn load() -> Lexicon {
        let mut lex = Lexicon { map: FxHashMap::default(), max_len: 0 };
        for w in entries(STOPWORDS) {
            lex.add(&normalize_key(w), STOP);
        }
        for w in entries(EXCEPTIONS) {
            lex.add(&normalize_key(w), EXCEPTION);
        }
        for w in entries(GAZETTEER) {
            // The bare article (not أل/إل, which are part of the word) is
            // stripped: the known unit is what remains after segmentation.
            let key = normalize_key(w);
            match w.strip_prefix("ال") {
                Some(rest) if rest.chars().count() >= 2 => lex.add(&normalize_key(rest), NAME),
                _ => lex.add(&key, NAME),
            }
        }
        for line in entries(MONTHS) {
            // month-number<TAB>name<TAB>…; the first word of each name
            // (كانون of كانون الثاني) is the part that is a name.
            for name in line.split('\t').skip(1) {
                if let Some(first) = name.split_whitespace().next() {
                    lex.add(&normalize_key(first), NAME);
                }
            }
        }
        lex
    }

    fn add(&mut self, key: &str, flag: u8) {
        if key.is_empty() {
            return;
        }
        self.max_len = self.max_len.max(key.len());
        *self.map.entry(key.into()).or_insert(0) |= flag;
    }

    /// Flags of exactly `word`.
    #[inline]
    pub(crate) fn flags(&self, word: &str) -> u8 {
        if word.len() > self.max_len {
            return 0;
        }
        self.map.get(word).copied().unwrap_or(0)
    }

    /// The stored key and flags of `word`, or of `word` with a final ه read
    /// as ة (مكه for مكة), the commonest misspelling in news copy.
    pub(crate) fn entry(&self, word: &str) -> Option<(&str, u8)> {
        if word.len() <= self.max_len {
            if let Some((k, f)) = self.map.get_key_value(word) {
                return Some((k, *f));
            }
        }
        let stem = word.strip_suffix('ه')?;
        let mut buf = [0u8; 64];
        let key = with_ta_marbuta(stem, &mut buf)?;
        self.map.get_key_value(key).map(|(k, f)| (&**k, *f))
    }

    /// Flags that make `word` a unit for segmentation: its own flags, those of
    /// its ه-for-ة spelling, and (for exceptions and names) those of the word
    /// with a pronoun suffix removed, ت read back as ة (وزارتها → وزارة,
    /// وقته → وقت).
    pub(crate) fn unit_flags(&self, word: &str) -> u8 {
        if let Some((_, f)) = self.entry(word) {
            return f;
        }
        for suffix in ["هما", "هم", "ها", "ه", "نا"] {
            let Some(rest) = word.strip_suffix(suffix) else { continue };
            if rest.chars().count() < 2 {
                continue;
            }
            let f = self.flags(rest) & (EXCEPTION | NAME);
            if f != 0 {
                return f;
            }
            if let Some(stem) = rest.strip_suffix('ت') {
                let mut buf = [0u8; 64];
                if let Some(key) = with_ta_marbuta(stem, &mut buf) {
                    let f = self.flags(key) & (EXCEPTION | NAME);
                    if f != 0 {
                        return f;
                    }
                }
            }
        }
        0
    }
}

/// `stem` followed by ة, built in `buf` (no allocation); `None` when too long.
fn with_ta_marbuta<'b>(stem: &str, buf: &'b mut [u8; 64]) -> Option<&'b str> {
    let tail = "ة".as_bytes();
    let n = stem.len() + tail.len();
    if n > buf.len() {
        return None;
    }
    buf[..stem.len()].copy_from_slice(stem.as_bytes());
    buf[stem.len()..n].copy_from_slice(tail);
    std::str::from_utf8(&buf[..n]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_and_normalize() {
        let lex = lexicon();
        assert_ne!(lex.flags("في") & STOP, 0);
        assert_ne!(lex.flags("الي") & STOP, 0, "إلى is stored normalized");
        assert_ne!(lex.flags("وزير") & EXCEPTION, 0);
        assert_ne!(lex.flags("موسكو") & NAME, 0);
        assert_ne!(lex.flags("صين") & NAME, 0, "الصين is stored without its article");
        assert_ne!(lex.flags("المانيا") & NAME, 0, "ألمانيا keeps its alef");
        assert_ne!(lex.flags("فبراير") & NAME, 0, "months come from the calendar file");
        assert_eq!(lex.flags("كتاب"), 0);
    }

    #[test]
    fn unit_flags_see_through_pronouns_and_ha() {
        let lex = lexicon();
        assert_ne!(lex.unit_flags("وزارتها") & EXCEPTION, 0);
        assert_ne!(lex.unit_flags("وزاره") & EXCEPTION, 0);
        assert_ne!(lex.unit_flags("وقته") & EXCEPTION, 0);
        assert_eq!(lex.entry("مكه").map(|(k, _)| k), Some("مكة"));
        assert_eq!(lex.unit_flags("زارتها"), 0);
    }

    #[test]
    fn every_list_has_a_source_line() {
        for (name, file) in [
            ("stopwords", STOPWORDS),
            ("exceptions", EXCEPTIONS),
            ("gazetteer", GAZETTEER),
        ] {
            assert!(file.starts_with("# source:"), "{name} must start with a source line");
        }
    }
}
