//! Gazetteers and trigger lexicons: the names and words we know in advance.
//!
//! A statistical tagger learns from its training corpus, and ANERcorp is
//! small (125k words, mostly 2000s newswire): it has never seen سيرغي شويغو
//! or the Kremlin's current spokesman. Lists written by hand carry what any
//! news reader knows — countries and capitals, major organisations, common
//! given names, the titles that precede a name (الرئيس, وزير الخارجية) — and
//! feed the tagger as features, and the rule layer ([`crate::mention`]) as
//! evidence.
//!
//! # Files
//!
//! Each list is a UTF-8 file under `data/gazetteer/`, one entry a line, `#`
//! for comments, compiled into the binary. Its first comment line says where
//! it comes from. An entry may have several words (كوريا الشمالية, مجلس
//! الأمن); it is matched against the *bases* of tokens (clitics and the
//! article stripped, text normalized, see [`marsad_text::tokenize`]), so
//! `وكوريا الشمالية` and `لمجلس الأمن` match too, and the article written in
//! an entry does not matter.
//!
//! # Lookup
//!
//! Every entry sets a bit of [`Flags`] for its whole phrase; the first word
//! of a multi-word entry additionally gets the matching `*_START` bit via
//! [`Gazetteer::word_flags`], so a per-token feature can see that a phrase
//! may begin here. [`Gazetteer::longest_match`] finds the longest listed
//! phrase starting at a token.
//!
//! # The article
//!
//! Keys drop the article, so that الصين and والصين meet. But a name listed
//! *without* it must not match a word that has it: مصر, جدة, مالي, عدن and
//! تويتر are names, while المالي is "financial" and الجدة "the grandmother".
//! [`Gazetteer::token_flags`] and [`Gazetteer::longest_match_tokens`] take
//! the tokens themselves and drop the name bits of such a match; an entry
//! listed only with the article does not match a word without it either
//! (هند is a woman's name, الهند is India); the article elided after لل
//! (للهند) counts as written.

use std::sync::OnceLock;

use marsad_text::TokenKind;
use rustc_hash::FxHashMap;

/// Bit set of the lists a word or phrase belongs to.
pub type Flags = u32;

/// A place: country, capital, city, region.
pub const PLACE: Flags = 1 << 0;
/// An organisation: institutions, parties, agencies, companies.
pub const ORGANIZATION: Flags = 1 << 1;
/// A well-known person (full name or distinctive surname).
pub const PERSON: Flags = 1 << 2;
/// A given name (فلاديمير, محمد, جون).
pub const FIRST_NAME: Flags = 1 << 3;
/// A title or role word that precedes a person's name (الرئيس, وزير, الشيخ).
pub const PERSON_TITLE: Flags = 1 << 4;
/// A head word that starts an organisation name (وزارة, شركة, حزب, جامعة).
pub const ORG_HEAD: Flags = 1 << 5;
/// A nationality or gentilic adjective (الروسي, الأمريكية).
pub const NATIONALITY: Flags = 1 << 6;
/// A reporting verb (قال, أضاف, أكد).
pub const REPORTING_VERB: Flags = 1 << 7;
/// A word naming an unnamed group of speakers (مسؤولون, محللون, مصادر).
pub const SPEAKER_GROUP: Flags = 1 << 8;
/// A head word that starts a place name (مدينة, جزيرة, محافظة).
pub const PLACE_HEAD: Flags = 1 << 9;
/// A sports club whose name is also a common word or a place (الاتحاد,
/// الشباب, الرياض): a name only in a sports context.
pub const SPORTS_CLUB: Flags = 1 << 10;
/// Set by [`Gazetteer::word_flags`] on the first word of a multi-word
/// entry, shifted: `flag << START_SHIFT`.
pub const START_SHIFT: u32 = 16;

struct ListFile {
    flags: Flags,
    text: &'static str,
}

const FILES: &[ListFile] = &[
    ListFile { flags: PLACE, text: include_str!("../../../data/gazetteer/places-ar.txt") },
    ListFile { flags: ORGANIZATION, text: include_str!("../../../data/gazetteer/organizations-ar.txt") },
    ListFile { flags: PERSON, text: include_str!("../../../data/gazetteer/persons-ar.txt") },
    ListFile { flags: FIRST_NAME, text: include_str!("../../../data/gazetteer/first-names-ar.txt") },
    ListFile { flags: PERSON_TITLE, text: include_str!("../../../data/gazetteer/person-titles-ar.txt") },
    ListFile { flags: ORG_HEAD, text: include_str!("../../../data/gazetteer/org-heads-ar.txt") },
    ListFile { flags: NATIONALITY, text: include_str!("../../../data/gazetteer/nationalities-ar.txt") },
    ListFile { flags: REPORTING_VERB, text: include_str!("../../../data/gazetteer/reporting-verbs-ar.txt") },
    ListFile { flags: SPEAKER_GROUP, text: include_str!("../../../data/gazetteer/speaker-groups-ar.txt") },
    ListFile { flags: PLACE_HEAD, text: include_str!("../../../data/gazetteer/place-heads-ar.txt") },
    ListFile { flags: SPORTS_CLUB, text: include_str!("../../../data/gazetteer/sports-clubs-ar.txt") },
];

/// All lists, loaded once.
pub struct Gazetteer {
    /// Key: the bases of an entry's words joined by one space.
    phrases: FxHashMap<String, Flags>,
    /// Flags of single words, with `*_START` bits for phrase starts.
    words: FxHashMap<String, Flags>,
    /// Keys of name entries (places, organisations, persons) written
    /// without the article on their first word, and never with it.
    bare: rustc_hash::FxHashSet<String>,
    /// Keys of name entries written with the article, and never without.
    articled: rustc_hash::FxHashSet<String>,
    max_words: usize,
}

/// The bits of a name list, cleared by the article rule.
const NAME_BITS: Flags = PLACE | ORGANIZATION | PERSON;

/// The compiled-in gazetteer.
pub fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(Gazetteer::load)
}

/// The key a word is looked up by: its normalized base (clitics and article
/// stripped). For a non-Arabic token, its normalized form.
pub fn word_key(token: &marsad_text::Token) -> &str {
    match token.kind {
        TokenKind::Word => token.base(),
        _ => &token.normalized,
    }
}

/// The lookup key of a phrase written in a list or typed by a user: the
/// word keys of its tokens (punctuation dropped), joined by a space.
pub fn phrase_key(phrase: &str) -> String {
    let mut key = String::new();
    for t in marsad_text::tokenize(phrase) {
        if t.kind == TokenKind::Punct {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word_key(&t));
    }
    key
}

impl Gazetteer {
    fn load() -> Gazetteer {
        let mut g = Gazetteer {
            phrases: FxHashMap::default(),
            words: FxHashMap::default(),
            bare: Default::default(),
            articled: Default::default(),
            max_words: 1,
        };
        let mut with_article = rustc_hash::FxHashSet::default();
        for file in FILES {
            for line in file.text.lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                g.insert(line, file.flags);
                if file.flags & NAME_BITS != 0 {
                    let first = marsad_text::tokenize(line).into_iter().next();
                    let key = phrase_key(line);
                    match first {
                        Some(t) if t.segmentation.article => {
                            with_article.insert(key);
                        }
                        Some(_) => {
                            g.bare.insert(key);
                        }
                        None => {}
                    }
                }
            }
        }
        g.articled = with_article.iter().filter(|k| !g.bare.contains(*k)).cloned().collect();
        g.bare.retain(|k| !with_article.contains(k));
        g
    }

    /// Whether the article rule rejects a name match starting at `token`
    /// for the listed phrase `key`.
    fn article_mismatch(&self, token: &marsad_text::Token, key: &str) -> bool {
        if token.segmentation.article {
            self.bare.contains(key)
        } else {
            token.kind == marsad_text::TokenKind::Word && self.articled.contains(key)
        }
    }

    /// [`Gazetteer::word_flags`] of a token, with the article rule (see
    /// the module docs): a bare-listed name does not match a word with the
    /// article.
    pub fn token_flags(&self, token: &marsad_text::Token) -> Flags {
        let key = word_key(token);
        let flags = self.word_flags(key);
        if flags & NAME_BITS != 0 && self.article_mismatch(token, key) {
            flags & !NAME_BITS
        } else {
            flags
        }
    }

    /// [`Gazetteer::longest_match`] over tokens, with the article rule
    /// applied to the first word. `keys[i]` must be `word_key(&tokens[i])`.
    pub fn longest_match_tokens(&self, tokens: &[marsad_text::Token], keys: &[&str]) -> Option<(usize, Flags)> {
        let first = tokens.first()?;
        // Try ever shorter prefixes until one passes the article rule.
        let mut limit = keys.len();
        while limit > 0 {
            let (n, flags) = self.longest_match(&keys[..limit])?;
            if flags & NAME_BITS == 0 || !self.article_mismatch(first, &keys[..n].join(" ")) {
                return Some((n, flags));
            }
            let rest = flags & !NAME_BITS;
            if rest != 0 {
                return Some((n, rest));
            }
            limit = n - 1;
        }
        None
    }

    fn insert(&mut self, entry: &str, flags: Flags) {
        let key = phrase_key(entry);
        if key.is_empty() {
            return;
        }
        let n = key.split(' ').count();
        self.max_words = self.max_words.max(n);
        *self.phrases.entry(key.clone()).or_default() |= flags;
        let first = key.split(' ').next().unwrap_or_default().to_owned();
        let bits = if n == 1 { flags } else { flags << START_SHIFT };
        *self.words.entry(first).or_default() |= bits;
    }

    /// Flags of one word key (see [`word_key`]): the lists it is an entry of
    /// as a single word, plus `flag << START_SHIFT` for each list with a
    /// multi-word entry starting with it.
    pub fn word_flags(&self, key: &str) -> Flags {
        self.words.get(key).copied().unwrap_or(0)
    }

    /// Flags of a whole phrase key (see [`phrase_key`]), 0 if not listed.
    pub fn phrase_flags(&self, key: &str) -> Flags {
        self.phrases.get(key).copied().unwrap_or(0)
    }

    /// The longest listed phrase made of `keys[0..n]`, with its flags.
    /// `keys` are consecutive word keys; returns `(n, flags)`.
    pub fn longest_match(&self, keys: &[&str]) -> Option<(usize, Flags)> {
        let first = *keys.first()?;
        let wf = self.word_flags(first);
        if wf == 0 {
            return None;
        }
        let mut best = None;
        if wf & ((1 << START_SHIFT) - 1) != 0 {
            if let Some(&f) = self.phrases.get(first) {
                best = Some((1, f));
            }
        }
        if wf >> START_SHIFT != 0 {
            let mut key = String::from(first);
            for (i, k) in keys.iter().enumerate().skip(1).take(self.max_words - 1) {
                key.push(' ');
                key.push_str(k);
                if let Some(&f) = self.phrases.get(&key) {
                    best = Some((i + 1, f));
                }
            }
        }
        best
    }

    /// Number of phrases listed (for tests and reports).
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    /// Whether no phrase is listed.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiword_entries_match_through_clitics() {
        let g = gazetteer();
        let toks = marsad_text::tokenize("وكوريا الشمالية");
        let keys: Vec<&str> = toks.iter().map(word_key).collect();
        let (n, f) = g.longest_match(&keys).expect("listed");
        assert_eq!(n, 2);
        assert!(f & PLACE != 0);
    }

    #[test]
    fn bare_names_do_not_match_words_with_the_article() {
        let g = gazetteer();
        let flags = |w: &str| {
            let t = &marsad_text::tokenize(w)[0];
            g.token_flags(t) & NAME_BITS
        };
        assert_ne!(flags("مصر"), 0);
        assert_ne!(flags("لمصر"), 0);
        assert_eq!(flags("المصر"), 0);
        assert_ne!(flags("الصين"), 0);
        assert_ne!(flags("للهند"), 0);
        assert_eq!(flags("هند"), 0);
        assert_ne!(flags("والصين"), 0);
        let toks = marsad_text::tokenize("المالي");
        let keys: Vec<&str> = toks.iter().map(word_key).collect();
        assert!(g.longest_match_tokens(&toks, &keys).is_none_or(|(_, f)| f & NAME_BITS == 0));
    }

    #[test]
    fn every_file_has_a_source_line() {
        for file in FILES {
            let first = file.text.lines().next().unwrap_or_default();
            assert!(first.starts_with("# source:"), "{first}");
        }
    }
}
