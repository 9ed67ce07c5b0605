//! A light stemmer for search, and the stop-word list.
//!
//! Arabic inflects mostly by affixes around a stable stem: مكتبة, مكتبات,
//! مكتبتين, مكتبتها are one word to a reader. A *light* stemmer removes those
//! affixes and nothing else; it does not dig for the three-letter root
//! (كتب), which would merge مكتبة "library" with كاتب "writer" and كتاب
//! "book" and ruin precision. Prefixes are not this module's job: the
//! tokenizer has already split off و ف ب ل ك and the article, so [`stem`]
//! works on a normalized, clitic-free *base*.
//!
//! # Why not Snowball
//!
//! tantivy's stock Arabic stemmer is Snowball's. On news text it fails in
//! three ways that matter: it strips prefixes blindly, so وزير "minister"
//! becomes زير; it stems والمكتبات and المكتبة differently; and it treats the
//! common misspelling مكتبه (final ه for ة) as a different word. This stemmer
//! avoids all three by construction: no prefix stripping at all, one rule set
//! that ends plural, dual, feminine and pronoun forms on the same stem, and
//! final ه handled exactly like ة.
//!
//! # The rules
//!
//! All rules remove a suffix only when at least three letters remain, so
//! short words (وجه, قمة, بيت) come out unchanged. In order:
//!
//! 1. A name from the gazetteer is returned unchanged (البحرين must not
//!    become بحر "sea"); spelled with ه for ة, it is returned in its ة
//!    spelling.
//! 2. The alef of accusative tanween (شريكاً → شريكا → شريك), unless it
//!    follows a letter that makes it part of a suffix (ها, نا) or of the word
//!    (قضايا, روسيا).
//! 3. One pronoun suffix: ها, and — when four letters remain — هما هم هن نا.
//!    ة turns into ت before a pronoun (مكتبة → مكتبتها), so a ت left bare by
//!    the pronoun is removed as the ة it was.
//! 4. One inflectional suffix, longest first: يتين يتان, يات يين يون تين تان,
//!    ات ون ين ان ية يه, and finally ة ه ي (feminine, the ه misspelling, and
//!    the nisba adjective).
//!
//! The output is always a prefix of the input (or a gazetteer entry), so
//! [`stem`] borrows and never allocates.

use crate::lexicon::{cut_suffix, lexicon, Lexicon, NAME, STOP};

/// Pronoun suffixes ending in the letter `last`, each with the letters that
/// must remain after it.
#[inline(always)]
fn pronouns(last: char) -> &'static [(&'static str, usize)] {
    match last {
        'ا' => &[("هما", 4), ("نا", 4), ("ها", 3)],
        'م' => &[("هم", 4)],
        'ن' => &[("هن", 4)],
        _ => &[],
    }
}

/// Inflectional suffixes ending in the letter `last`, longest first.
#[inline(always)]
fn suffixes(last: char) -> &'static [&'static str] {
    match last {
        'ن' => &["يتين", "يتان", "يين", "يون", "تين", "تان", "ون", "ين", "ان"],
        'ت' => &["يات", "ات"],
        'ة' => &["ية", "ة"],
        'ه' => &["يه", "ه"],
        'ي' => &["ي"],
        _ => &[],
    }
}

/// Letters that a stem keeps at least.
const MIN_STEM: usize = 3;

/// The search stem of a normalized, clitic-free Arabic word (see the module
/// docs). Non-Arabic input comes back unchanged.
pub fn stem(base: &str) -> &str {
    stem_with(lexicon(), base)
}

/// [`stem`] with the lexicon at hand.
#[inline]
pub(crate) fn stem_with<'a>(lex: &'static Lexicon, base: &'a str) -> &'a str {
    stem_flagged(lex, base, lex.flags(base))
}

/// [`stem`] of a word whose lexicon flags are known (the analyzer's hot
/// path: one lookup serves the stop-word test and the stemmer).
#[inline]
pub(crate) fn stem_flagged<'a>(lex: &'static Lexicon, base: &'a str, flags: u8) -> &'a str {
    if flags & NAME != 0 {
        if cut_suffix(base, "ه").is_some() {
            if let Some(listed) = lex.canonical_name(base) {
                return listed;
            }
        }
        return base;
    }
    light_stem(base)
}

/// The suffix rules alone (steps 2–4 of the module docs).
fn light_stem(base: &str) -> &str {
    let mut n = base.chars().count();
    if n <= MIN_STEM {
        return base;
    }
    let mut s = base;

    // 2. Tanween alif.
    if let Some(rest) = cut_suffix(s, "ا") {
        let keeps = matches!(rest.chars().next_back(), Some('ا' | 'و' | 'ي' | 'ه' | 'ن' | 'ء' | 'ئ' | 'ؤ' | 'ة'));
        if !keeps {
            s = rest;
            n -= 1;
        }
    }

    // 3. One pronoun suffix.
    for &(suffix, min) in pronouns(s.chars().next_back().unwrap_or(' ')) {
        if let Some(rest) = cut_suffix(s, suffix) {
            let left = n - suffix.chars().count();
            if left >= min {
                s = rest;
                n = left;
                // A bare ت here was a ة (مكتبتها), unless it ends a plural
                // ات that leaves a long enough stem (سياساتها).
                if let Some(before_ta) = cut_suffix(s, "ت") {
                    let plural = cut_suffix(s, "ات").is_some() && n - 2 >= MIN_STEM;
                    if !plural && n > MIN_STEM {
                        return before_ta;
                    }
                }
                break;
            }
        }
    }

    // 4. One inflectional suffix.
    for &suffix in suffixes(s.chars().next_back().unwrap_or(' ')) {
        if let Some(rest) = cut_suffix(s, suffix) {
            if n - suffix.chars().count() >= MIN_STEM {
                return rest;
            }
        }
    }
    s
}

/// Whether `normalized` (a word already passed through
/// [`normalize_key`](crate::normalize::normalize_key), clitics removed) is a
/// stop word: a particle, preposition, pronoun, demonstrative, relative or
/// auxiliary from `data/lexicon/stopwords-ar.txt`.
pub fn is_stopword(normalized: &str) -> bool {
    lexicon().flags(normalized) & STOP != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_key;
    use crate::token::segment;

    /// Normalize, strip clitics, stem: what the analyzer does to one word.
    fn full(word: &str) -> String {
        let w = normalize_key(word);
        let seg = segment(&w);
        stem(seg.base(&w)).to_owned()
    }

    #[test]
    fn minister_is_not_a_pot() {
        assert_eq!(full("وزير"), "وزير");
        assert_eq!(full("الوزير"), "وزير");
        assert_eq!(full("والوزير"), "وزير");
        assert_eq!(full("وزيرة"), "وزير");
        assert_eq!(full("وزراء"), "وزراء");
    }

    #[test]
    fn library_forms_share_a_stem() {
        let forms = ["والمكتبات", "المكتبة", "مكتبة", "مكتبه", "المكتبات", "مكتبات", "للمكتبة", "مكتبتها", "المكتبتين"];
        for f in forms {
            assert_eq!(full(f), "مكتب", "{f}");
        }
    }

    #[test]
    fn president_forms_share_a_stem() {
        for f in ["الرئيس", "رئيس", "والرئيس", "للرئيس", "ورئيس", "برئيس", "الرئيسي", "رئيسها"]
        {
            assert_eq!(full(f), "رئيس", "{f}");
        }
    }

    #[test]
    fn final_ha_is_read_as_ta_marbuta() {
        for (a, b) in [("حكومة", "حكومه"), ("الدولة", "الدوله"), ("السياسية", "السياسيه"), ("مدرسة", "مدرسه")]
        {
            assert_eq!(full(a), full(b), "{a} / {b}");
        }
        assert_eq!(full("حكومتها"), full("حكومة"));
        assert_eq!(full("حكوماتهم"), full("حكومات"));
        assert_eq!(full("سياساتها"), full("سياسات"));
    }

    #[test]
    fn plural_dual_and_nisba() {
        assert_eq!(full("اللاعبين"), "لاعب");
        assert_eq!(full("لاعبون"), "لاعب");
        assert_eq!(full("الاقتصادية"), full("اقتصادي"));
        assert_eq!(full("الاقتصادية"), "اقتصاد");
        assert_eq!(full("الأمريكيين"), full("أمريكي"));
        assert_eq!(full("الأمريكيتين"), full("أمريكية"));
        assert_eq!(full("شريكاً"), full("شريك"));
    }

    #[test]
    fn short_words_are_untouched() {
        for w in ["وجه", "قمة", "بيت", "ملك", "علم", "يوم"] {
            assert_eq!(stem(w), w);
        }
        assert_eq!(stem(""), "");
        assert_eq!(stem("hello"), "hello");
    }

    #[test]
    fn names_are_not_stemmed() {
        assert_eq!(full("البحرين"), "بحرين");
        assert_eq!(full("بوتين"), "بوتين");
        assert_eq!(full("فلسطين"), "فلسطين");
        assert_eq!(full("إيران"), "ايران");
        assert_eq!(full("مكه"), "مكة");
    }

    #[test]
    fn stopwords_are_function_words_only() {
        for w in [
            "في", "من", "الي", "عن", "مع", "ان", "و", "او", "ثم", "لا", "لم", "لن", "كان", "قد", "لقد", "هذا", "هذه",
            "التي", "الذي",
        ] {
            assert!(is_stopword(w), "{w}");
        }
        // علي stays: it is على after ى → ي, but also the name Ali.
        for w in ["وزير", "رئيس", "حرب", "روسيا", "قال", "يوم", "دولة", "كوريا", "بوتين", "علي"]
        {
            assert!(!is_stopword(w), "{w}");
        }
    }
}
