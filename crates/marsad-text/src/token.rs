//! Tokenization, and conservative segmentation of Arabic proclitics.
//!
//! # Tokens
//!
//! [`tokenize`] cuts text into words, numbers and punctuation in one pass over
//! the *original* text, folding each character as it goes (see
//! [`crate::normalize`](mod@crate::normalize)), so spans are original byte ranges with no map to
//! consult. The rules are the ones a reader expects:
//!
//! * An Arabic word is a run of Arabic letters. Diacritics and tatweel inside
//!   it or right after it belong to it (the span of `قالَ` includes the
//!   fatha); invisible joiners (ZWNJ, ZWJ) do not split it; invisible
//!   separators and direction marks (ZWSP, RLM, …) do.
//! * Scripts do not mix: `2019م` is the number `2019` then the word `م`, and
//!   `Facebookفيسبوك` is two words.
//! * A word in another alphabet (Latin mostly) may continue with digits:
//!   `G20`, `covid19`. A number is a run of digits, with `.` or `,` (or the
//!   Arabic ٫ ٬) kept when a digit follows: `3.5`, `٣٫٥`, `1,000`.
//! * Every other visible character is a punctuation token of its own.
//!
//! # Clitics
//!
//! Arabic writes conjunctions, some prepositions and the article as part of
//! the next word: والصين is و + ال + صين, "and China"; للرئيس is ل + ال +
//! رئيس, "for the president". Search must see through them, or a query for
//! موسكو misses بموسكو. But the same letters also begin ordinary words:
//! وزير "minister" is not و + زير, and بوتين is not ب + وتين. Splitting
//! wrongly is worse than not splitting (the word is corrupted *and* collides
//! with another), so [`segment`] is deliberately conservative:
//!
//! * The grammar is `[و|ف]? [ب|ل|ك]? [ال]? base`, with لل for ل + ال (the
//!   alef of the article is not written after ل).
//! * *Known* words anchor every decision. Known means listed — a stop word,
//!   a word of `data/lexicon/clitic-exceptions-ar.txt` (وزير, ولاية,
//!   بداية), a name of `gazetteer-ar.txt` (كوريا, لبنان, فيتنام), a short
//!   word of `known-bases-ar.txt` (شكل, قال) — or an inflection of a listed
//!   word (وزارتها, كبيرا, فلسطيني; see the lexicon for which).
//! * A listed word is never split. Otherwise, in this order, longest strip
//!   first within each: an analysis whose base is listed (ولبنان → و +
//!   لبنان, not و + ل + بنان; بلغة → ب + لغة); the whole word, if it is an
//!   inflection of a listed word (وزارتها stays whole); an analysis whose
//!   base is such an inflection (وبطولة → و + بطولة, not و + ب + طولة, a
//!   form of طول). A stop word is known after a bare clitic (وفي → و + في)
//!   but not after the article (الان stays whole); a listed two-letter word
//!   only after the article (الخط → ال + خط, but لحق is a verb, not ل + حق).
//! * Failing those, the longest analysis whose base is long enough: 3
//!   letters after the article (الحرب → ال + حرب), 4 after a bare clitic
//!   (بموسكو → ب + موسكو, while بلد, لندن and بكين stay whole), 3 for an
//!   imperfect verb after و, ف or ل (ويعد, فيجب, ليصل).
//! * After ب, ل or ك, a base ending in an accusative tanween alif is never
//!   long enough: those prepositions govern the genitive, so in كبيرا and
//!   لافتا the first letter belongs to the word.
//! * The future prefix س is never stripped: سيارة, سنوات and سيطرة start
//!   with it too, and no length rule tells them from سيكون.

use std::ops::Range;

use crate::lexicon::{lexicon, Lexicon, KNOWN_BASE, STOP};
use crate::normalize::{decomposed, entry, Class};

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// An Arabic-script word.
    Word,
    /// A number, in ASCII digits after normalization.
    Number,
    /// A word in another alphabet: Latin mostly, also Cyrillic, Greek, CJK…
    Latin,
    /// One punctuation mark or symbol.
    Punct,
}

/// One token of [`tokenize`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte range of the token in the original text.
    pub span: Range<usize>,
    /// What the token is.
    pub kind: TokenKind,
    /// The token, normalized ([`normalize_key`](crate::normalize::normalize_key)
    /// of its surface).
    pub normalized: String,
    /// The clitics found at the start of `normalized` (none for non-words).
    pub segmentation: Segmentation,
}

impl Token {
    /// The normalized word without its proclitics and article.
    pub fn base(&self) -> &str {
        self.segmentation.base(&self.normalized)
    }

    /// The token as written in `text` (the text it was tokenized from).
    pub fn surface<'t>(&self, text: &'t str) -> &'t str {
        &text[self.span.clone()]
    }
}

/// The proclitics of a normalized Arabic word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Segmentation {
    /// The conjunction و or ف, if any.
    pub conjunction: Option<char>,
    /// The preposition ب, ل or ك, if any.
    pub preposition: Option<char>,
    /// Whether the article ال follows (including its elided form in لل).
    pub article: bool,
    /// Byte offset of the base in the normalized word.
    pub base_start: usize,
}

impl Segmentation {
    /// The base: `word` (the normalized word that was segmented) without its
    /// proclitics.
    pub fn base<'w>(&self, word: &'w str) -> &'w str {
        word.get(self.base_start..).unwrap_or(word)
    }

    /// The proclitics: `word` up to its base (`"وال"` for والصين).
    pub fn prefix<'w>(&self, word: &'w str) -> &'w str {
        word.get(..self.base_start).unwrap_or("")
    }

    /// Whether anything was split off.
    pub fn is_split(&self) -> bool {
        self.base_start > 0
    }
}

/// Splits the proclitics off a normalized Arabic word (see the module docs
/// for the rules). Words that are not split, and non-Arabic input, give the
/// default segmentation, whose base is the whole word.
pub fn segment(normalized_word: &str) -> Segmentation {
    segment_with(lexicon(), normalized_word)
}

/// Most words need at most 4 leading letters examined.
const MAX_PREFIX_CHARS: usize = 4;

pub(crate) fn segment_with(lex: &Lexicon, w: &str) -> Segmentation {
    let none = Segmentation::default();
    if !matches!(w.chars().next(), Some('و' | 'ف' | 'ب' | 'ل' | 'ك' | 'ا')) {
        return none;
    }
    // Leading letters with their byte offsets, and the letter count.
    let mut lead = [('\0', 0usize); MAX_PREFIX_CHARS + 1];
    let mut n = 0usize;
    for (i, c) in w.char_indices() {
        if n <= MAX_PREFIX_CHARS {
            lead[n] = (c, i);
        }
        n += 1;
    }
    if n < 3 || lex.flags(w) != 0 {
        return none;
    }
    let at = |k: usize| if k < n && k <= MAX_PREFIX_CHARS { lead[k].0 } else { '\0' };
    let offset = |k: usize| if k < n && k <= MAX_PREFIX_CHARS { lead[k].1 } else { w.len() };

    // Every analysis the grammar allows: at most 2 × 2 × 2.
    let mut candidates = [Candidate::default(); 8];
    let mut count = 0;
    let conjunctions: &[Option<char>] = if matches!(at(0), 'و' | 'ف') { &[Some(at(0)), None] } else { &[None] };
    for &conjunction in conjunctions {
        let p = conjunction.is_some() as usize;
        let prepositions: &[Option<char>] =
            if matches!(at(p), 'ب' | 'ل' | 'ك') { &[Some(at(p)), None] } else { &[None] };
        for &preposition in prepositions {
            let q = p + preposition.is_some() as usize;
            // Where the base starts with and without the article.
            let with_article = if preposition == Some('ل') {
                (at(q) == 'ل').then_some(q + 1)
            } else {
                (at(q) == 'ا' && at(q + 1) == 'ل').then_some(q + 2)
            };
            for (article, r) in [(true, with_article), (false, Some(q))] {
                let Some(r) = r else { continue };
                if r == 0 || r > MAX_PREFIX_CHARS || n - r < 2 {
                    continue;
                }
                let seg = Segmentation { conjunction, preposition, article, base_start: offset(r) };
                let base = &w[seg.base_start..];
                let letters = n - r;
                let long = if article {
                    letters >= 3
                } else if letters >= 4 {
                    // ب ل ك govern the genitive: an accusative tanween alif
                    // after them (كبيرا, لافتا) means the letter was the
                    // word's own. Names in ا are known, or stay whole.
                    preposition.is_none() || !ends_in_tanween(base)
                } else {
                    // و/ف/ل + an imperfect verb: ويعد, فيجب, ليصل.
                    letters == 3 && matches!(preposition, None | Some('ل')) && matches!(at(r), 'ي' | 'ت')
                };
                // A stop word after the article is no base (الان, الذين…).
                // A two-letter base after a bare clitic must be a stop word
                // (وفي); known two-letter words only follow the article
                // (الخط, not لحق → ل + حق).
                let mask = match (article, letters) {
                    (true, _) => KNOWN_BASE,
                    (false, 2) => STOP,
                    (false, _) => !0,
                };
                let flags = lex.flags(base);
                candidates[count] =
                    Candidate { strip: r, seg, mask, listed: flags & mask != 0, long: long && flags & STOP == 0 };
                count += 1;
            }
        }
    }
    let candidates = &candidates[..count];
    let longest = |keep: &dyn Fn(&Candidate) -> bool| {
        candidates.iter().filter(|c| keep(c)).max_by_key(|c| c.strip).map(|c| c.seg)
    };
    if let Some(seg) = longest(&|c| c.listed) {
        return seg;
    }
    // A word that is itself an inflection of a listed word (وزارتها) is a
    // unit, unless a listed base was found above (بلغة is ب + لغة, not a
    // form of بلغ).
    if lex.inflection_flags(w) != 0 {
        return none;
    }
    if let [only] = candidates {
        // Alone, a long enough analysis wins whatever an inflection says.
        if only.long {
            return only.seg;
        }
    }
    longest(&|c| lex.inflection_flags(c.seg.base(w)) & c.mask != 0).or_else(|| longest(&|c| c.long)).unwrap_or(none)
}

/// One analysis considered by [`segment_with`].
#[derive(Clone, Copy, Default)]
struct Candidate {
    /// Letters stripped.
    strip: usize,
    seg: Segmentation,
    /// Flags that make its base known.
    mask: u8,
    /// Its base is a listed word.
    listed: bool,
    /// Its base is long enough to be split off without being known.
    long: bool,
}

/// Whether `word` ends in what can only be an accusative tanween alif.
fn ends_in_tanween(word: &str) -> bool {
    let mut rev = word.chars().rev();
    rev.next() == Some('ا') && !matches!(rev.next(), Some('ه' | 'ن' | 'ي' | 'ا' | 'و' | 'ء'))
}

/// A token found by [`scan`]: what [`tokenize`] and the analyzer build on.
pub(crate) struct Raw<'b> {
    pub(crate) kind: TokenKind,
    pub(crate) span: Range<usize>,
    /// The normalized token (lives in the scanner's buffer).
    pub(crate) text: &'b mut String,
}

/// The token being built.
#[derive(Clone, Copy)]
struct Open {
    kind: TokenKind,
    start: usize,
    end: usize,
}

/// Scans `text` once and calls `emit` for every token in order. `buf` is the
/// scratch buffer the normalized token is built in; it is cleared before
/// every token and may be modified by `emit`.
#[inline]
pub(crate) fn scan(text: &str, buf: &mut String, mut emit: impl FnMut(Raw<'_>)) {
    let mut open: Option<Open> = None;
    buf.clear();
    let mut chars = text.char_indices();
    while let Some((s, c)) = chars.next() {
        let e = s + c.len_utf8();
        let en = entry(c);
        match en.class {
            Class::Decompose => {
                // A ligature of several words (ﷺ) stands alone, so that its
                // words, which all span it, overlap no other token.
                let mut phrase = false;
                decomposed(c, |d| phrase |= d.class == Class::Space);
                if phrase {
                    flush(&mut open, buf, &mut emit);
                }
                decomposed(c, |d| step(d.class, d.to, s, e, false, &mut open, buf, &mut emit));
                if phrase {
                    flush(&mut open, buf, &mut emit);
                }
            }
            Class::Punct if open.is_some_and(|o| o.kind == TokenKind::Number) && matches!(en.to, '.' | ',') => {
                // What normalization removes is invisible to the number:
                // ٣٫َ٣ is 3.3.
                let digit_next = chars
                    .clone()
                    .map(|(_, d)| (d, entry(d).class))
                    .find(|&(d, class)| match class {
                        Class::Mark | Class::Joiner => false,
                        Class::Decompose => {
                            let mut vanishes = true;
                            decomposed(d, |_| vanishes = false);
                            !vanishes
                        }
                        _ => true,
                    })
                    .is_some_and(|(_, class)| class == Class::Digit);
                step(en.class, en.to, s, e, digit_next, &mut open, buf, &mut emit);
            }
            class => step(class, en.to, s, e, false, &mut open, buf, &mut emit),
        }
    }
    flush(&mut open, buf, &mut emit);
}

#[inline(always)]
fn flush(open: &mut Option<Open>, buf: &mut String, emit: &mut impl FnMut(Raw<'_>)) {
    if let Some(o) = open.take() {
        emit(Raw { kind: o.kind, span: o.start..o.end, text: buf });
        buf.clear();
    }
}

/// Feeds one folded character `to` of class `class`, from original bytes
/// `s..e`. `separator_in_number` says that a `.`/`,` continues a number.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn step(
    class: Class,
    to: char,
    s: usize,
    e: usize,
    separator_in_number: bool,
    open: &mut Option<Open>,
    buf: &mut String,
    emit: &mut impl FnMut(Raw<'_>),
) {
    let kind = match class {
        Class::Letter => TokenKind::Word,
        Class::Alpha => TokenKind::Latin,
        Class::Digit => match open {
            Some(o) if o.kind == TokenKind::Latin => TokenKind::Latin,
            _ => TokenKind::Number,
        },
        Class::Combining => match open {
            Some(o) => o.kind,
            None => TokenKind::Punct,
        },
        Class::Mark => {
            if let Some(o) = open {
                o.end = e;
            }
            return;
        }
        Class::Joiner => return,
        Class::Space | Class::Control => {
            flush(open, buf, emit);
            return;
        }
        Class::Punct if separator_in_number => TokenKind::Number,
        Class::Punct | Class::Decompose => TokenKind::Punct,
    };
    if kind == TokenKind::Punct {
        flush(open, buf, emit);
        buf.push(to);
        emit(Raw { kind, span: s..e, text: buf });
        buf.clear();
        return;
    }
    match open {
        Some(o) if o.kind == kind => o.end = e,
        _ => {
            flush(open, buf, emit);
            *open = Some(Open { kind, start: s, end: e });
        }
    }
    buf.push(to);
}

/// Cuts `text` into tokens (see the module docs), each with its original
/// span, its normalized form and, for Arabic words, its segmentation.
pub fn tokenize(text: &str) -> Vec<Token> {
    let lex = lexicon();
    let mut out = Vec::new();
    let mut buf = String::new();
    scan(text, &mut buf, |raw| {
        let segmentation =
            if raw.kind == TokenKind::Word { segment_with(lex, raw.text) } else { Segmentation::default() };
        out.push(Token { span: raw.span, kind: raw.kind, normalized: raw.text.clone(), segmentation });
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_key;
    use proptest::prelude::*;

    /// `word` split as "prefix|base".
    fn split(word: &str) -> String {
        let w = normalize_key(word);
        let seg = segment(&w);
        if seg.is_split() {
            format!("{}|{}", seg.prefix(&w), seg.base(&w))
        } else {
            w
        }
    }

    #[test]
    fn words_that_only_look_prefixed_stay_whole() {
        for w in [
            "وزير",
            "والي",
            "فلاديفوستوك",
            "بوتين",
            "لبنان",
            "بيونغ",
            "كيم",
            "لندن",
            "بكين",
            "فيتنام",
            "وكالة",
            "ولاية",
            "بلد",
            "كوريا",
            "وزارة",
            "وزراء",
            "وقت",
            "وطن",
            "ولي",
            "الله",
            "الان",
            "الذي",
            "التي",
            "بداية",
            "برنامج",
            "فرنسا",
            "بريطانيا",
            "واشنطن",
            "كانت",
            "لكن",
            "فبراير",
            "ألمانيا",
            // inflections of listed words
            "وزارتها",
            "كبيرا",
            "فلسطيني",
            "بريطانية",
            "لاعبين",
            "بينها",
            // a bare clitic before a two-letter word, or before tanween
            "لحق",
            "كبر",
            "لافتا",
            "بعيدا",
        ] {
            assert_eq!(split(w), normalize_key(w), "{w}");
        }
    }

    #[test]
    fn real_clitics_are_split() {
        for (w, expected) in [
            ("والصين", "وال|صين"),
            ("بموسكو", "ب|موسكو"),
            ("للرئيس", "لل|رئيس"),
            ("وبالتالي", "وبال|تالي"),
            ("كالعادة", "كال|عادة"),
            ("الحرب", "ال|حرب"),
            ("وبوتين", "و|بوتين"),
            ("لكوريا", "ل|كوريا"),
            ("ولبنان", "و|لبنان"),
            ("للبنان", "ل|لبنان"),
            ("وزارة", "وزارة"),
            ("بوزارة", "ب|وزارة"),
            ("ووزير", "و|وزير"),
            ("ويحتاج", "و|يحتاج"),
            ("وفي", "و|في"),
            ("بأن", "ب|ان"),
            ("والتي", "و|التي"),
            ("وألمانيا", "و|المانيا"),
            ("بشكل", "ب|شكل"),
            ("لروسيا", "ل|روسيا"),
            ("فالمسألة", "فال|مسالة"),
            ("بلغة", "ب|لغة"),
            ("الخط", "ال|خط"),
            ("وقال", "و|قال"),
            ("ويعد", "و|يعد"),
            ("ليصل", "ل|يصل"),
        ] {
            assert_eq!(split(w), expected, "{w}");
        }
        let seg = segment("وبالتالي");
        assert_eq!((seg.conjunction, seg.preposition, seg.article), (Some('و'), Some('ب'), true));
        let seg = segment("للرئيس");
        assert_eq!((seg.conjunction, seg.preposition, seg.article), (None, Some('ل'), true));
    }

    #[test]
    fn future_sin_is_never_stripped() {
        assert_eq!(split("سيكون"), "سيكون");
        assert_eq!(split("سيارة"), "سيارة");
        assert_eq!(split("وسيكون"), "و|سيكون");
    }

    #[test]
    fn short_and_foreign_words_are_not_segmented() {
        assert_eq!(segment(""), Segmentation::default());
        assert_eq!(segment("و"), Segmentation::default());
        assert_eq!(segment("بل"), Segmentation::default());
        assert_eq!(segment("Putin"), Segmentation::default());
    }

    fn kinds(text: &str) -> Vec<(TokenKind, String)> {
        tokenize(text).into_iter().map(|t| (t.kind, t.normalized)).collect()
    }

    #[test]
    fn tokens_of_mixed_text() {
        use TokenKind::*;
        assert_eq!(
            kinds("قالَ بوتين: «عام ٢٠١٩م» G20 3.5، و1,000."),
            vec![
                (Word, "قال".into()),
                (Word, "بوتين".into()),
                (Punct, ":".into()),
                (Punct, "\"".into()),
                (Word, "عام".into()),
                (Number, "2019".into()),
                (Word, "م".into()),
                (Punct, "\"".into()),
                (Latin, "G20".into()),
                (Number, "3.5".into()),
                (Punct, "،".into()),
                (Word, "و".into()),
                (Number, "1,000".into()),
                (Punct, ".".into()),
            ]
        );
    }

    #[test]
    fn spans_cover_the_word_as_written() {
        let text = "\u{200F}بُوتِينَ الـرئيس ﻻ كلمة\u{200C}ين x\u{200B}y";
        let toks = tokenize(text);
        let surfaces: Vec<&str> = toks.iter().map(|t| t.surface(text)).collect();
        assert_eq!(surfaces, ["بُوتِينَ", "الـرئيس", "ﻻ", "كلمة\u{200C}ين", "x", "y"]);
        assert_eq!(toks[0].normalized, "بوتين");
        assert_eq!(toks[1].base(), "رئيس");
        assert_eq!(toks[2].normalized, "لا");
        assert_eq!(toks[3].normalized, "كلمةين");
    }

    #[test]
    fn numbers_keep_separators_only_between_digits() {
        use TokenKind::*;
        assert_eq!(
            kinds("٣٫٥ 2019. 1,"),
            vec![
                (Number, "3.5".into()),
                (Number, "2019".into()),
                (Punct, ".".into()),
                (Number, "1".into()),
                (Punct, ",".into())
            ]
        );
    }

    #[test]
    fn scripts_do_not_mix() {
        use TokenKind::*;
        assert_eq!(kinds("Facebookفيسبوك"), vec![(Latin, "Facebook".into()), (Word, "فيسبوك".into())]);
        assert_eq!(kinds("café\u{0301}"), vec![(Latin, "café\u{0301}".into())]);
    }

    proptest! {
        #[test]
        fn tokens_are_ordered_nonempty_and_on_boundaries(s in crate::normalize::tests::messy()) {
            let toks = tokenize(&s);
            let mut prev = 0..0;
            for t in &toks {
                prop_assert!(t.span.start < t.span.end);
                // Tokens never overlap, except the words of one ligature
                // (ﷺ), which all span that one character.
                prop_assert!(t.span.start >= prev.end || t.span == prev, "overlap at {:?}", t.span);
                prop_assert!(s.is_char_boundary(t.span.start) && s.is_char_boundary(t.span.end));
                prop_assert!(!t.normalized.is_empty());
                prop_assert!(!t.base().is_empty());
                prop_assert!(t.normalized.ends_with(t.base()));
                prev = t.span.clone();
                if t.kind != TokenKind::Punct {
                    // The normalized text is that of the surface (ligatures
                    // that decompose to several words aside).
                    let surface = normalize_key(t.surface(&s));
                    prop_assert!(surface.contains(t.normalized.as_str()), "{:?} vs {:?}", surface, t.normalized);
                }
            }
        }

        #[test]
        fn segmentation_never_panics(s in "\\PC{0,12}") {
            let w = normalize_key(&s);
            let seg = segment(&w);
            prop_assert!(w.is_char_boundary(seg.base_start));
        }
    }
}
