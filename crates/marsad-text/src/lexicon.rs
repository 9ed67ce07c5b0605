//! The word lists compiled into the crate, as one hash map.
//!
//! Four small hand-written lists (and the month names of the calendar) steer
//! the tokenizer and stemmer where rules alone would go wrong:
//!
//! * `stopwords-ar.txt`: function words, dropped from the index. They also
//!   count as a known remainder when a clitic is stripped (`وفي` → `و` + `في`).
//! * `clitic-exceptions-ar.txt`: words that begin with a clitic letter without
//!   being prefixed (وزير, وكالة, بداية, …). They are never split, but are
//!   stemmed normally (وزارة and وزارات share a stem).
//! * `known-bases-ar.txt`: short words that often follow a bare clitic
//!   (شكل, قال), so that بشكل and وقال are split although only three letters
//!   remain.
//! * `gazetteer-ar.txt`: places and names. Never split *and* never stemmed:
//!   a suffix rule has no business turning البحرين into بحر. An entry spelled
//!   with the bare article (الصين) is stored without it, so that the article
//!   is stripped as usual and the base `صين` is what is known.
//!
//! Entries are normalized when loaded, so the files can use the ordinary
//! spelling with hamza and diacritics. Two kinds of entries are derived from
//! them: the ه spelling of every word in ة (مكه is known as مكة is), and the
//! *cores* that inflected forms are matched against (وزارت for وزارتها, فرنس
//! for فرنسية), so that the lists need not spell out every inflection.
//!
//! One map answers every question with a single lookup, keyed by bytes and
//! hashed with FxHash. These lookups sit on the hot path of indexing (several
//! per word, most of them misses), so a 64 Kibit filter, indexed by a hash of
//! a key's length and of its first and last four bytes, answers most misses
//! before the map is consulted: the lists make under two thousand keys, so
//! fewer than one bit in thirty is set.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::normalize::normalize_key;

/// A stop word.
pub(crate) const STOP: u8 = 1;
/// A word that starts with a clitic letter but is not prefixed.
pub(crate) const EXCEPTION: u8 = 2;
/// A name (place, person, month): not split, not stemmed.
pub(crate) const NAME: u8 = 4;
/// A short word known to follow bare clitics (شكل in بشكل).
pub(crate) const BASE: u8 = 8;
/// Flags that make a word known as the base of a segmentation.
pub(crate) const KNOWN_BASE: u8 = EXCEPTION | NAME | BASE;
/// The flags of listed words (and of their ه spelling) are the low four
/// bits; the high four are those of the listed words that a *core* belongs
/// to (see [`Lexicon::inflection_flags`]).
const EXACT: u8 = 0x0F;
const CORE_SHIFT: u8 = 4;

const STOPWORDS: &str = include_str!("../../../data/lexicon/stopwords-ar.txt");
const EXCEPTIONS: &str = include_str!("../../../data/lexicon/clitic-exceptions-ar.txt");
const GAZETTEER: &str = include_str!("../../../data/lexicon/gazetteer-ar.txt");
const BASES: &str = include_str!("../../../data/lexicon/known-bases-ar.txt");
const MONTHS: &str = include_str!("../../../data/lexicon/months-ar.txt");

pub(crate) struct Lexicon {
    map: FxHashMap<Box<[u8]>, u8>,
    /// One bit per [`filter_slot`]: set when some key falls in the slot.
    filter: Box<[u64]>,
    /// Longest key in bytes: longer words skip the lookup.
    max_len: usize,
    /// Names in ة by their ه spelling.
    names: FxHashMap<Box<[u8]>, Box<str>>,
    /// Longest stop word in bytes.
    max_stop_len: usize,
}

const FILTER_BITS: u32 = 16;

/// The filter slot of `key`: a hash of its length and its first and last
/// (up to) four bytes, which for Arabic are its first and last two letters.
#[inline(always)]
fn filter_slot(key: &[u8]) -> usize {
    let n = key.len();
    let (head, tail) = if n >= 4 {
        (
            u32::from_le_bytes([key[0], key[1], key[2], key[3]]),
            u32::from_le_bytes([key[n - 4], key[n - 3], key[n - 2], key[n - 1]]),
        )
    } else {
        let v = key.iter().fold(0u32, |a, &b| a << 8 | b as u32);
        (v, v)
    };
    let h = head.wrapping_mul(0x9E37_79B1)
        ^ tail.rotate_left(16).wrapping_mul(0x85EB_CA77)
        ^ (n as u32).wrapping_mul(0xC2B2_AE3D);
    let h = (h ^ (h >> 15)).wrapping_mul(0x2C1B_3C6D);
    (h >> (32 - FILTER_BITS)) as usize
}

/// The lexicon, built on first use.
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::load)
}

/// The entries of a word-list file: one a line, `#` starts a comment.
fn entries(file: &str) -> impl Iterator<Item = &str> {
    file.lines().map(|l| l.split('#').next().unwrap_or("").trim()).filter(|l| !l.is_empty())
}

impl Lexicon {
    fn load() -> Lexicon {
        let mut lex = Lexicon {
            map: FxHashMap::default(),
            filter: vec![0u64; 1 << (FILTER_BITS - 6)].into_boxed_slice(),
            max_len: 0,
            names: FxHashMap::default(),
            max_stop_len: 0,
        };
        for w in entries(STOPWORDS) {
            lex.add(&normalize_key(w), STOP);
        }
        for w in entries(EXCEPTIONS) {
            lex.add(&normalize_key(w), EXCEPTION);
        }
        for w in entries(BASES) {
            lex.add(&normalize_key(w), BASE);
        }
        for w in entries(GAZETTEER) {
            // The bare article (not أل/إل, which are part of the word) is
            // stripped: the known unit is what remains after segmentation.
            let key = normalize_key(w);
            match w.strip_prefix("ال") {
                Some(rest) if rest.chars().count() >= 3 => lex.add(&normalize_key(rest), NAME),
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
        lex.derive();
        lex
    }

    /// Adds what is derived from the listed words: the ه spelling of words
    /// in ة (exact, as an alias), and the cores that inflections are matched
    /// against (see [`inflection_flags`](Lexicon::inflection_flags)).
    fn derive(&mut self) {
        let listed: Vec<(String, u8)> = self
            .map
            .iter()
            .filter(|(_, f)| **f & EXACT != 0)
            .filter_map(|(k, f)| Some((String::from_utf8(k.to_vec()).ok()?, *f & EXACT)))
            .collect();
        for (key, flags) in listed {
            self.add(&key, flags << CORE_SHIFT);
            let letters = key.chars().count();
            if let Some(stem) = key.strip_suffix('ة') {
                let alias = format!("{stem}ه");
                self.add(&alias, flags);
                if flags & NAME != 0 {
                    self.names.insert(alias.into_bytes().into(), key.clone().into());
                }
                if letters > 3 {
                    self.add(stem, flags << CORE_SHIFT);
                    self.add(&format!("{stem}ت"), flags << CORE_SHIFT);
                }
            }
            if flags & NAME != 0 {
                for tail in ["يا", "ا"] {
                    if let Some(stem) = key.strip_suffix(tail) {
                        if stem.chars().count() >= 3 {
                            self.add(stem, NAME << CORE_SHIFT);
                        }
                        break;
                    }
                }
            }
        }
    }

    fn add(&mut self, key: &str, flag: u8) {
        if key.is_empty() {
            return;
        }
        let key = key.as_bytes();
        self.max_len = self.max_len.max(key.len());
        if flag & STOP != 0 {
            self.max_stop_len = self.max_stop_len.max(key.len());
        }
        let slot = filter_slot(key);
        self.filter[slot >> 6] |= 1 << (slot & 63);
        *self.map.entry(key.into()).or_insert(0) |= flag;
    }

    /// All flags of exactly `key`, listed and core.
    #[inline(always)]
    fn probe(&self, key: &[u8]) -> u8 {
        let slot = filter_slot(key);
        if key.len() > self.max_len || self.filter[slot >> 6] & (1 << (slot & 63)) == 0 {
            return 0;
        }
        self.map.get(key).copied().unwrap_or(0)
    }

    /// Flags of `word` as listed (or of its ه-for-ة spelling: مكه is مكة).
    #[inline]
    pub(crate) fn flags(&self, word: &str) -> u8 {
        self.probe(word.as_bytes()) & EXACT
    }

    /// The listed spelling of a name written with ه for ة (مكه → مكة).
    pub(crate) fn canonical_name(&self, word: &str) -> Option<&str> {
        self.names.get(word.as_bytes()).map(|k| &**k)
    }

    /// Flags of `word` as listed, else of the listed word it is an
    /// inflection of.
    #[cfg(test)]
    pub(crate) fn unit_flags(&self, word: &str) -> u8 {
        match self.flags(word) {
            0 => self.inflection_flags(word),
            f => f,
        }
    }

    /// The flags of the listed word that `word` is an inflection of, if any.
    /// One suffix is removed, and what remains is matched against the cores
    /// derived from the lists, which undo the spelling changes of suffixation
    /// (ة becomes ت before a suffix, and is dropped before ات تين تان):
    ///
    /// * a pronoun (ه ها هم هما هن كم نا): وزارتها → وزارة, بينها → بين
    ///   (a stop word counts here: بينها and لكنهم are function words);
    /// * tanween alif, plural, dual and verb endings (ا ات ون ين وا و تين
    ///   تان), and ة: كبيرا → كبير, لاعبو → لاعب, وجبات → وجبة, فترتين → فترة;
    /// * the nisba (ي ية يين يون يات), also of names in ا and يا:
    ///   فلسطيني → فلسطين, فرنسية → فرنسا, بريطانية → بريطانيا.
    ///
    /// One lookup per suffix that `word` ends with; no allocation.
    pub(crate) fn inflection_flags(&self, word: &str) -> u8 {
        for &(suffix, kind) in variant_suffixes(word) {
            let Some(rest) = cut_suffix(word, suffix) else { continue };
            if rest.len() < 4 {
                // Fewer than two letters left.
                continue;
            }
            let mask = if kind == Variant::Pronoun { KNOWN_BASE | STOP } else { KNOWN_BASE };
            let f = (self.probe(rest.as_bytes()) >> CORE_SHIFT) & mask;
            if f != 0 {
                return f;
            }
        }
        0
    }

    /// Whether `word` is a stop word, or one with a pronoun suffix (بعدها,
    /// لكنهم): function words either way.
    #[cfg(test)]
    pub(crate) fn is_stop_like(&self, word: &str) -> bool {
        let f = self.flags(word);
        f & STOP != 0 || (f == 0 && self.is_stop_with_pronoun(word))
    }

    /// Whether `word` is a stop word followed by a pronoun suffix.
    #[inline]
    pub(crate) fn is_stop_with_pronoun(&self, word: &str) -> bool {
        if word.len() > self.max_stop_len + "هما".len() {
            return false;
        }
        for &(suffix, kind) in variant_suffixes(word) {
            if kind != Variant::Pronoun {
                break;
            }
            if let Some(rest) = cut_suffix(word, suffix) {
                if rest.len() >= 4 && self.probe(rest.as_bytes()) & STOP != 0 {
                    return true;
                }
            }
        }
        false
    }
}

/// What removing a suffix undoes, for [`Lexicon::inflection_flags`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Variant {
    Pronoun,
    /// Plural, dual and verb endings, tanween alif.
    Inflection,
    /// Endings that replace a ة: ات, تين, تان.
    Feminine,
    Nisba,
}

/// The suffixes [`Lexicon::inflection_flags`] tries on `word`: those ending
/// in its last letter, pronouns first, longest first within a kind.
#[inline(always)]
fn variant_suffixes(word: &str) -> &'static [(&'static str, Variant)] {
    use Variant::*;
    match word.chars().next_back() {
        Some('ا') => &[("هما", Pronoun), ("ها", Pronoun), ("نا", Pronoun), ("وا", Inflection), ("ا", Inflection)],
        Some('م') => &[("هم", Pronoun), ("كم", Pronoun)],
        Some('ن') => &[
            ("هن", Pronoun),
            ("يين", Nisba),
            ("يون", Nisba),
            ("تين", Feminine),
            ("تان", Feminine),
            ("ون", Inflection),
            ("ين", Inflection),
        ],
        Some('ه') => &[("ه", Pronoun)],
        Some('ت') => &[("يات", Nisba), ("ات", Feminine)],
        Some('ة') => &[("ية", Nisba), ("ة", Inflection)],
        Some('ي') => &[("ي", Nisba)],
        Some('و') => &[("و", Inflection)],
        _ => &[],
    }
}

/// `word` without `suffix`, if it ends with it. Like [`str::strip_suffix`],
/// but compares the few bytes inline: the suffix tables are looped over for
/// every word, and a call to `memcmp` per comparison dominated the profile.
#[inline(always)]
pub(crate) fn cut_suffix<'a>(word: &'a str, suffix: &str) -> Option<&'a str> {
    let (w, s) = (word.as_bytes(), suffix.as_bytes());
    let k = w.len().checked_sub(s.len())?;
    let mut i = s.len();
    while i > 0 {
        i -= 1;
        if w[k + i] != s[i] {
            return None;
        }
    }
    word.get(..k)
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
        assert_ne!(lex.flags("شكل") & BASE, 0);
        assert_eq!(lex.flags("حديقة"), 0);
    }

    #[test]
    fn unit_flags_see_through_pronouns_and_ha() {
        let lex = lexicon();
        assert_ne!(lex.unit_flags("وزارتها") & EXCEPTION, 0);
        assert_ne!(lex.unit_flags("وزاره") & EXCEPTION, 0);
        assert_ne!(lex.unit_flags("وقته") & EXCEPTION, 0);
        assert_eq!(lex.canonical_name("مكه"), Some("مكة"));
        assert_ne!(lex.flags("مكه") & NAME, 0);
        assert_eq!(lex.unit_flags("زارتها"), 0);
        assert_ne!(lex.unit_flags("كبيرا") & EXCEPTION, 0);
        assert_ne!(lex.unit_flags("وجبات") & EXCEPTION, 0);
        assert_ne!(lex.unit_flags("فترتين") & EXCEPTION, 0);
        assert_ne!(lex.unit_flags("فلسطينية") & NAME, 0);
        assert_ne!(lex.unit_flags("فرنسية") & NAME, 0);
        assert_ne!(lex.unit_flags("بريطانية") & NAME, 0);
        assert_ne!(lex.unit_flags("بينها") & STOP, 0);
        assert!(lex.is_stop_like("بعدها") && lex.is_stop_like("في") && !lex.is_stop_like("بيتها"));
    }

    #[test]
    fn every_list_has_a_source_line() {
        for (name, file) in
            [("stopwords", STOPWORDS), ("exceptions", EXCEPTIONS), ("gazetteer", GAZETTEER), ("bases", BASES)]
        {
            assert!(file.starts_with("# source:"), "{name} must start with a source line");
        }
    }
}
