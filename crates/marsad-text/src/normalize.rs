//! Normalization for matching, with a map back to the original text.
//!
//! The same Arabic word reaches us in many spellings that a reader sees as
//! one: with or without diacritics (بُوتِين / بوتين), with any of four alefs
//! (إيران / ايران), stretched with tatweel (الـرئيس), in presentation-form
//! ligatures copied out of PDFs (ﻻ for لا), with Arabic-Indic or Persian
//! digits (٢٠١٩ / ۲۰۱۹ / 2019), with Persian ی and ک, and sprinkled with
//! invisible direction marks. Search must treat all of these as equal, so
//! every matching key in Marsad goes through [`fold_char`] first.
//!
//! # What is folded
//!
//! | input | output |
//! | --- | --- |
//! | presentation forms U+FB50–U+FDFF, U+FE70–U+FEFE | their compatibility decomposition, itself folded (ﻻ → لا, ﷲ → الله) |
//! | tashkeel U+064B–U+065F, superscript alef U+0670, Quranic marks U+0610–U+061A, U+06D6–U+06ED | removed |
//! | tatweel U+0640 | removed |
//! | أ إ آ ٱ (and the wavy-hamza alefs ٲ ٳ ٵ) | ا |
//! | ى | ي |
//! | Persian ی, ک | ي, ك |
//! | digits ٠–٩ and ۰–۹ | 0–9 |
//! | Arabic decimal and thousands separators ٫ ٬, percent ٪ | `.` `,` `%` |
//! | zero-width and bidi controls (U+200B–U+200F, U+202A–U+202E, U+2060, U+2066–U+2069, U+FEFF, U+061C, soft hyphen) | removed |
//! | quotes « » “ ” „ ‟ ″ / ‘ ’ ‚ ‛ | `"` / `'` |
//!
//! Everything else is kept as is. Two omissions are deliberate:
//!
//! * **ة (ta marbuta) is kept.** Folding it into ه everywhere would merge
//!   words that differ (مكتبة "library" and مكتبه "his office"); the stemmer,
//!   which knows it is looking at a word ending, treats both endings alike.
//! * **Case is kept.** Lowercasing Latin is a search decision, not a
//!   normalization one, so it happens in [`crate::analyze`](mod@crate::analyze).
//!
//! Every output character of [`fold_char`] is a fixed point of it, which is
//! what makes normalization idempotent: `normalize(normalize(x)) ==
//! normalize(x)`.
//!
//! # Why a map back
//!
//! Display text is never altered: what a reader sees, highlights, and copies
//! is the original. But matching happens on normalized text, so any match
//! found there must be translated back. [`normalize`] therefore returns a
//! [`Normalized`] that remembers, for every normalized byte, which original
//! bytes produced it. Removed diacritics belong to the letter before them, so
//! a highlighted word keeps its harakat; removed invisible controls belong to
//! nobody. When the map is not needed, [`normalize_key`] produces the same
//! string without it, faster.
//!
//! # Speed
//!
//! The hot path is a table lookup: one 128-entry table for ASCII and one
//! 256-entry table for the Arabic block U+0600–U+06FF, built at compile time.
//! Only characters outside both go through a `match` on ranges.

use std::ops::Range;

/// What normalization does with one character. See the module docs for the
/// full table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    /// Kept unchanged.
    Keep,
    /// Replaced by another single character (أ → ا, ٣ → 3, « → ").
    Replace(char),
    /// A diacritic, Quranic mark or tatweel: removed. It belongs to the
    /// letter before it, so it stays inside that word's span.
    Mark,
    /// An invisible joiner (ZWNJ, ZWJ, word joiner, soft hyphen): removed,
    /// and does not split a word.
    Joiner,
    /// An invisible separator or direction control (ZWSP, LRM, RLM, ALM,
    /// embeddings, overrides, isolates, BOM): removed, and separates words.
    Control,
    /// A presentation form or ligature: replaced by its compatibility
    /// decomposition, each character of which is folded in turn. Use
    /// [`fold_decomposed`] to get the characters.
    Decompose,
}

/// How the tokenizer sees a character, after folding. Internal: the public
/// view is [`Fold`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Class {
    /// A letter of the Arabic script.
    Letter,
    /// A letter (or non-ASCII numeral) of any other script.
    Alpha,
    /// An ASCII digit, after folding.
    Digit,
    /// Kept whitespace (and C0 controls).
    Space,
    /// Kept punctuation or symbol.
    Punct,
    /// A kept combining mark of another script (e + U+0301): stays in its word.
    Combining,
    /// Removed, attached to the letter before.
    Mark,
    /// Removed, does not split words.
    Joiner,
    /// Removed, splits words.
    Control,
    /// Presentation form, decomposed.
    Decompose,
}

/// One table entry: the class of a character and what it becomes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub(crate) class: Class,
    /// The output character (the input itself when unchanged). Meaningless
    /// for removed and decomposed classes.
    pub(crate) to: char,
}

impl Entry {
    const fn new(class: Class, to: char) -> Entry {
        Entry { class, to }
    }
}

const fn ch(u: u32) -> char {
    match char::from_u32(u) {
        Some(c) => c,
        None => '\u{FFFD}',
    }
}

const fn ascii_entry(u: u32) -> Entry {
    let c = ch(u);
    match u {
        0x30..=0x39 => Entry::new(Class::Digit, c),
        0x41..=0x5A | 0x61..=0x7A => Entry::new(Class::Alpha, c),
        0x00..=0x20 | 0x7F => Entry::new(Class::Space, c),
        _ => Entry::new(Class::Punct, c),
    }
}

const fn arabic_entry(u: u32) -> Entry {
    let c = ch(u);
    match u {
        0x0610..=0x061A | 0x0640 | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED => Entry::new(Class::Mark, c),
        0x061C => Entry::new(Class::Control, c),
        0x0622 | 0x0623 | 0x0625 | 0x0671..=0x0673 | 0x0675 => Entry::new(Class::Letter, 'ا'),
        0x0649 | 0x06CC => Entry::new(Class::Letter, 'ي'),
        0x06A9 => Entry::new(Class::Letter, 'ك'),
        0x0660..=0x0669 => Entry::new(Class::Digit, ch(u - 0x0660 + 0x30)),
        0x06F0..=0x06F9 => Entry::new(Class::Digit, ch(u - 0x06F0 + 0x30)),
        0x066A => Entry::new(Class::Punct, '%'),
        0x066B => Entry::new(Class::Punct, '.'),
        0x066C => Entry::new(Class::Punct, ','),
        0x0620..=0x063F
        | 0x0641..=0x064A
        | 0x066E..=0x066F
        | 0x0674
        | 0x0676..=0x06D3
        | 0x06D5
        | 0x06EE..=0x06EF
        | 0x06FA..=0x06FC
        | 0x06FF => Entry::new(Class::Letter, c),
        _ => Entry::new(Class::Punct, c),
    }
}

const fn build_ascii() -> [Entry; 128] {
    let mut t = [Entry::new(Class::Punct, ' '); 128];
    let mut i = 0;
    while i < 128 {
        t[i] = ascii_entry(i as u32);
        i += 1;
    }
    t
}

const fn build_arabic() -> [Entry; 256] {
    let mut t = [Entry::new(Class::Punct, ' '); 256];
    let mut i = 0;
    while i < 256 {
        t[i] = arabic_entry(0x0600 + i as u32);
        i += 1;
    }
    t
}

static ASCII: [Entry; 128] = build_ascii();
static ARABIC: [Entry; 256] = build_arabic();

/// The table entry of `c`.
#[inline(always)]
pub(crate) fn entry(c: char) -> Entry {
    let u = c as u32;
    if u < 0x80 {
        ASCII[u as usize]
    } else if (0x0600..0x0700).contains(&u) {
        ARABIC[(u - 0x0600) as usize]
    } else {
        other_entry(c)
    }
}

#[inline(never)]
fn other_entry(c: char) -> Entry {
    let class = match c as u32 {
        0xAB | 0xBB | 0x201C..=0x201F | 0x2033 => return Entry::new(Class::Punct, '"'),
        0x2018..=0x201B => return Entry::new(Class::Punct, '\''),
        0xAD | 0x200C | 0x200D | 0x2060 => Class::Joiner,
        0x200B | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069 | 0xFEFF => Class::Control,
        0xFB50..=0xFDFF | 0xFE70..=0xFEFE => Class::Decompose,
        0x0750..=0x077F | 0x0870..=0x0887 | 0x0889..=0x088E | 0x08A0..=0x08C9 => Class::Letter,
        0x0898..=0x089F | 0x08CA..=0x08E1 | 0x08E3..=0x08FF => Class::Mark,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F => {
            Class::Combining
        }
        _ => base_class(c),
    };
    Entry::new(class, c)
}

/// Class of a character that has no special treatment.
fn base_class(c: char) -> Class {
    if c.is_whitespace() {
        Class::Space
    } else if c.is_alphanumeric() {
        Class::Alpha
    } else {
        Class::Punct
    }
}

impl Class {
    /// Removed from normalized text.
    #[inline]
    pub(crate) fn is_removed(self) -> bool {
        matches!(self, Class::Mark | Class::Joiner | Class::Control)
    }
}

/// Whether `c` is a diacritic, Quranic mark or tatweel ([`Fold::Mark`]):
/// part of the letter before it. The one definition of "Arabic mark" of the
/// workspace; the other crates ask here instead of writing the ranges.
pub fn is_mark(c: char) -> bool {
    fold_char(c) == Fold::Mark
}

/// Whether `c` disappears from normalized text: a mark ([`is_mark`]) or an
/// invisible joiner, separator or direction control. What a name shown to
/// a reader drops.
pub fn is_removed(c: char) -> bool {
    entry(c).class.is_removed()
}

/// What normalization does with `c`. The building block of [`normalize`] and
/// of the tokenizer.
pub fn fold_char(c: char) -> Fold {
    let e = entry(c);
    match e.class {
        Class::Mark => Fold::Mark,
        Class::Joiner => Fold::Joiner,
        Class::Control => Fold::Control,
        Class::Decompose => Fold::Decompose,
        _ if e.to != c => Fold::Replace(e.to),
        _ => Fold::Keep,
    }
}

/// Calls `out` with the folded characters that the presentation form `c`
/// stands for (nothing for the isolated forms of diacritics such as U+FE70).
/// For characters that are not presentation forms it calls `out` with the
/// folded character, or not at all when the character is removed.
pub fn fold_decomposed(c: char, mut out: impl FnMut(char)) {
    decomposed(c, |e| out(e.to));
}

/// The compatibility decomposition of a presentation form, recomposed (so
/// that ﺅ gives ؤ as the precomposed letter does, not و + hamza) and
/// folded; `out` receives each kept character with its entry.
pub(crate) fn decomposed(c: char, mut out: impl FnMut(Entry)) {
    let e = entry(c);
    if e.class != Class::Decompose {
        if !e.class.is_removed() {
            out(e);
        }
        return;
    }
    // The longest decomposition in the range (U+FDFA) has 18 characters.
    let mut buf = ['\0'; 32];
    let mut n = 0;
    unicode_normalization::char::decompose_compatible(c, |d| {
        if n > 0 {
            if let Some(composed) = unicode_normalization::char::compose(buf[n - 1], d) {
                buf[n - 1] = composed;
                return;
            }
        }
        if n < buf.len() {
            buf[n] = d;
            n += 1;
        }
    });
    let entries = buf[..n].iter().map(|&d| {
        if d == c {
            // Unassigned or without decomposition: classify it plainly.
            Entry::new(base_class(c), c)
        } else {
            entry(d)
        }
    });
    // Isolated diacritic forms decompose to a space plus the mark: once the
    // mark is removed nothing meaningful is left, so drop them whole.
    if !entries.clone().any(|e| !e.class.is_removed() && e.class != Class::Space) {
        return;
    }
    for e in entries {
        if !e.class.is_removed() {
            out(e);
        }
    }
}

/// Normalizes `input` for matching: the same string as [`normalize`], without
/// the offset map.
pub fn normalize_key(input: &str) -> String {
    if input.is_ascii() {
        return input.to_owned();
    }
    let mut out = String::with_capacity(input.len());
    push_key(input, &mut out);
    out
}

/// Appends the normalized form of `input` to `out`.
pub(crate) fn push_key(input: &str, out: &mut String) {
    for c in input.chars() {
        let e = entry(c);
        match e.class {
            Class::Mark | Class::Joiner | Class::Control => {}
            Class::Decompose => decomposed(c, |e| out.push(e.to)),
            _ => out.push(e.to),
        }
    }
}

/// Normalized text plus the map from its bytes back to the original's.
///
/// Obtained from [`normalize`]. All offsets are byte offsets; those returned
/// by [`original_offset`](Normalized::original_offset) and
/// [`original_range`](Normalized::original_range) always fall on character
/// boundaries of the original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalized {
    text: String,
    pieces: Vec<Piece>,
    original_len: usize,
}

/// A run of normalized bytes and the original bytes it came from.
///
/// A *same-length* piece is a run of characters each replaced by a character
/// of the same UTF-8 length (unchanged ones, but also أ → ا), so byte `k` of
/// the run came from original byte `orig + k`. Any other piece (a digit
/// ٣ → 3, a ligature ﻻ → لا) is indivisible: all its bytes map to the whole
/// original character. `orig_end` may lie past the run's own length when
/// removed diacritics followed its last character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    norm: usize,
    orig: usize,
    orig_end: usize,
    same_len: bool,
}

/// Normalizes `input` for matching (see the module docs for the rules) and
/// keeps the map back to `input`'s byte offsets.
pub fn normalize(input: &str) -> Normalized {
    let mut text = String::with_capacity(input.len());
    let mut pieces: Vec<Piece> = Vec::new();
    for (s, c) in input.char_indices() {
        let e_ = s + c.len_utf8();
        let en = entry(c);
        match en.class {
            Class::Mark => {
                if let Some(last) = pieces.last_mut() {
                    if last.orig_end == s {
                        last.orig_end = e_;
                    }
                }
            }
            Class::Joiner | Class::Control => {}
            Class::Decompose => {
                let before = text.len();
                decomposed(c, |d| text.push(d.to));
                if text.len() > before {
                    pieces.push(Piece { norm: before, orig: s, orig_end: e_, same_len: false });
                }
            }
            _ => {
                let out = en.to;
                let norm = text.len();
                if out.len_utf8() == c.len_utf8() {
                    match pieces.last_mut() {
                        Some(last)
                            if last.same_len && last.orig_end == s && last.orig_end - last.orig == norm - last.norm =>
                        {
                            last.orig_end = e_;
                        }
                        _ => pieces.push(Piece { norm, orig: s, orig_end: e_, same_len: true }),
                    }
                } else {
                    pieces.push(Piece { norm, orig: s, orig_end: e_, same_len: false });
                }
                text.push(out);
            }
        }
    }
    Normalized { text, pieces, original_len: input.len() }
}

impl Normalized {
    /// The normalized text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The normalized text, owned.
    pub fn into_string(self) -> String {
        self.text
    }

    /// Length in bytes of the original text.
    pub fn original_len(&self) -> usize {
        self.original_len
    }

    /// Index of the piece holding normalized byte `n` (`n < text.len()`).
    fn piece_at(&self, n: usize) -> usize {
        self.pieces.partition_point(|p| p.norm <= n) - 1
    }

    fn piece_norm_end(&self, i: usize) -> usize {
        self.pieces.get(i + 1).map_or(self.text.len(), |p| p.norm)
    }

    /// The original byte offset where the character holding normalized byte
    /// `norm_byte` starts; the original length for offsets at or past the end.
    pub fn original_offset(&self, norm_byte: usize) -> usize {
        if norm_byte >= self.text.len() {
            return self.original_len;
        }
        let p = self.pieces[self.piece_at(norm_byte)];
        if p.same_len {
            let mut n = norm_byte;
            while !self.text.is_char_boundary(n) {
                n -= 1;
            }
            p.orig + (n - p.norm)
        } else {
            p.orig
        }
    }

    /// The original byte offset where the character holding normalized byte
    /// `norm_byte - 1` ends, diacritics that followed it included.
    fn original_end(&self, norm_byte: usize) -> usize {
        let k = norm_byte.min(self.text.len()) - 1;
        let i = self.piece_at(k);
        let p = self.pieces[i];
        if !p.same_len {
            return p.orig_end;
        }
        let mut end = k + 1;
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        if end == self.piece_norm_end(i) {
            p.orig_end
        } else {
            p.orig + (end - p.norm)
        }
    }

    /// The smallest original byte range that covers the normalized bytes
    /// `norm`, widened to whole characters, including diacritics and tatweel
    /// that follow its last letter. Empty ranges map to empty ranges;
    /// out-of-bounds ends are clamped.
    pub fn original_range(&self, norm: Range<usize>) -> Range<usize> {
        let len = self.text.len();
        let (start, end) = (norm.start.min(len), norm.end.min(len));
        if start >= end {
            let o = self.original_offset(start);
            return o..o;
        }
        self.original_offset(start)..self.original_end(end)
    }
}

impl AsRef<str> for Normalized {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for Normalized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    fn n(s: &str) -> String {
        normalize_key(s)
    }

    #[test]
    fn diacritics_and_tatweel_are_removed() {
        assert_eq!(n("بُوتِين"), "بوتين");
        assert_eq!(n("مُحَمَّدٌ"), "محمد");
        assert_eq!(n("الـــرئيس"), "الرئيس");
        assert_eq!(n("هٰذا"), "هذا");
        assert_eq!(n("ٱلْحَمْدُ"), "الحمد");
        assert_eq!(n("عليهِۖ"), "عليه");
    }

    #[test]
    fn alef_ya_and_persian_letters_fold() {
        assert_eq!(n("إيران أحمد آسيا ٱلله"), "ايران احمد اسيا الله");
        assert_eq!(n("مصطفى"), "مصطفي");
        assert_eq!(n("کتاب فارسی"), "كتاب فارسي");
        assert_eq!(n("ة"), "ة", "ta marbuta is kept");
        assert_eq!(n("ؤ ئ ء"), "ؤ ئ ء", "hamza seats other than alef are kept");
    }

    #[test]
    fn digits_become_ascii() {
        assert_eq!(n("٢٠١٩"), "2019");
        assert_eq!(n("۲۰۱۹"), "2019");
        assert_eq!(n("٣٫٥٪"), "3.5%");
        assert_eq!(n("١٬٠٠٠"), "1,000");
    }

    #[test]
    fn presentation_forms_decompose() {
        assert_eq!(n("ﻻ"), "لا");
        assert_eq!(n("ﻷ"), "لا");
        assert_eq!(n("ﷲ"), "الله");
        assert_eq!(n("ﺑﻮﺗﻴﻦ"), "بوتين");
        assert_eq!(n("ﺅ"), "ؤ", "recomposed like the precomposed letter");
        assert_eq!(n("ﻯ"), "ي");
        assert_eq!(n("a\u{FE70}b"), "ab", "isolated tanween form disappears whole");
        assert_eq!(n("ﷺ"), "صلي الله عليه وسلم");
        assert_eq!(n("\u{FD3E}\u{FDC8}"), "\u{FD3E}\u{FDC8}", "no decomposition: kept");
    }

    #[test]
    fn invisible_controls_are_removed() {
        assert_eq!(n("\u{FEFF}\u{200F}بوتين\u{200C}\u{202B}x\u{202C}\u{2067}y\u{2069}\u{061C}"), "بوتينxy");
        assert_eq!(n("a\u{200B}b\u{00AD}c"), "abc");
    }

    #[test]
    fn quotes_are_unified_and_case_is_kept() {
        assert_eq!(n("«نعم» “yes” „ja‟ ‘x’ ‚y‛ 12″"), "\"نعم\" \"yes\" \"ja\" 'x' 'y' 12\"");
        assert_eq!(n("Putin"), "Putin");
    }

    #[test]
    fn fold_char_reports_each_rule() {
        assert_eq!(fold_char('ب'), Fold::Keep);
        assert_eq!(fold_char('أ'), Fold::Replace('ا'));
        assert_eq!(fold_char('\u{064E}'), Fold::Mark);
        assert_eq!(fold_char('\u{0640}'), Fold::Mark);
        assert_eq!(fold_char('\u{200C}'), Fold::Joiner);
        assert_eq!(fold_char('\u{200F}'), Fold::Control);
        assert_eq!(fold_char('ﻻ'), Fold::Decompose);
        let mut out = String::new();
        fold_decomposed('ﻷ', |c| out.push(c));
        assert_eq!(out, "لا");
    }

    #[test]
    fn marks_and_removed_characters() {
        for c in ['\u{064B}', '\u{0651}', '\u{065F}', '\u{0670}', '\u{0640}', '\u{0615}', '\u{06D6}'] {
            assert!(is_mark(c) && is_removed(c), "{:04X}", c as u32);
        }
        for c in ['\u{200C}', '\u{200F}', '\u{FEFF}', '\u{061C}'] {
            assert!(!is_mark(c) && is_removed(c), "{:04X}", c as u32);
        }
        for c in ['ب', 'أ', 'ة', '٣', ' ', 'a', '،'] {
            assert!(!is_mark(c) && !is_removed(c), "{c}");
        }
    }

    #[test]
    fn map_points_back_to_the_original() {
        let text = "قالَ «بُوتِين» ٢٠١٩ ﻻ";
        let norm = normalize(text);
        assert_eq!(norm.as_str(), "قال \"بوتين\" 2019 لا");
        let s = norm.as_str();
        let at = |needle: &str| {
            let i = s.find(needle).unwrap();
            &text[norm.original_range(i..i + needle.len())]
        };
        assert_eq!(at("قال"), "قالَ", "a trailing diacritic belongs to the word");
        assert_eq!(at("بوتين"), "بُوتِين");
        assert_eq!(at("\"بوتين\""), "«بُوتِين»");
        assert_eq!(at("2019"), "٢٠١٩");
        assert_eq!(at("01"), "٠١");
        let lam = s.rfind('ل').unwrap();
        assert_eq!(&text[norm.original_range(lam..lam + 2)], "ﻻ", "part of a ligature maps to the whole ligature");
        assert_eq!(&text[norm.original_range(lam + 2..lam + 4)], "ﻻ");
        assert_eq!(norm.original_range(0..s.len()), 0..text.len());
        assert_eq!(norm.original_offset(s.len()), text.len());
        assert_eq!(norm.original_range(3..3), norm.original_offset(3)..norm.original_offset(3));
    }

    #[test]
    fn leading_controls_are_outside_every_range() {
        let text = "\u{200F}أحمد\u{200E}";
        let norm = normalize(text);
        assert_eq!(norm.as_str(), "احمد");
        let r = norm.original_range(0..norm.as_str().len());
        assert_eq!(&text[r], "أحمد");
    }

    fn removed(c: char) -> bool {
        // Presentation-form code points without a decomposition (ornate
        // parentheses, unassigned ones) are kept as they are.
        let decomposes = fold_char(c) == Fold::Decompose && {
            let mut out = String::new();
            fold_decomposed(c, |d| out.push(d));
            out != c.to_string()
        };
        decomposes
            || matches!(fold_char(c), Fold::Mark | Fold::Joiner | Fold::Control)
            || matches!(c, 'أ' | 'إ' | 'آ' | 'ٱ' | 'ى' | 'ی' | 'ک' | '«' | '»' | '“' | '”')
            || ('\u{0660}'..='\u{0669}').contains(&c)
            || ('\u{06F0}'..='\u{06F9}').contains(&c)
    }

    /// Strings mixing Arabic, marks, ligatures, controls and anything else.
    pub(crate) fn messy() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => proptest::sample::select(vec![
                "ب", "و", "ال", "ة", "ه", "أ", "إ", "آ", "ى", "\u{064E}", "\u{0651}", "\u{0670}",
                "\u{0640}", "ﻻ", "ﷺ", "\u{FE70}", "ﺅ", "٣", "۴", "٫", ".", "،", "؟", " ", "\n",
                "«", "»", "“", "”", "\"", "\u{200B}", "\u{200C}", "\u{200F}", "\u{FEFF}", "\u{0301}",
                "e", "A", "1", "د.", "\u{06DD}", "ی",
            ]).prop_map(str::to_owned),
            1 => any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn idempotent(s in messy()) {
            let once = normalize_key(&s);
            prop_assert_eq!(normalize_key(&once), once.clone());
            let again = normalize(&once);
            prop_assert_eq!(again.as_str(), once.as_str());
        }

        #[test]
        fn key_and_map_agree(s in messy()) {
            let (a, b) = (normalize(&s), normalize_key(&s));
            prop_assert_eq!(a.as_str(), b.as_str());
        }

        #[test]
        fn removed_chars_never_survive(s in messy()) {
            let out = normalize_key(&s);
            for c in out.chars() {
                prop_assert!(!removed(c), "{:?} survived in {:?}", c, out);
            }
        }

        #[test]
        fn ranges_are_monotonic_char_boundaries(s in messy(), a in 0usize..200, b in 0usize..200) {
            let norm = normalize(&s);
            let len = norm.as_str().len();
            let mut prev = 0;
            for i in 0..=len {
                let o = norm.original_offset(i);
                prop_assert!(s.is_char_boundary(o));
                prop_assert!(o >= prev);
                prev = o;
            }
            let (a, b) = (a.min(len), b.min(len));
            let (a, b) = (a.min(b), a.max(b));
            let r = norm.original_range(a..b);
            prop_assert!(r.start <= r.end && r.end <= s.len());
            prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
            if a < b {
                prop_assert!(r.start < r.end, "non-empty range {}..{} maps to empty", a, b);
            }
        }

        #[test]
        fn full_range_covers_every_kept_char(s in messy()) {
            let norm = normalize(&s);
            let r = norm.original_range(0..norm.as_str().len());
            for (i, c) in s.char_indices() {
                let removed = matches!(fold_char(c), Fold::Mark | Fold::Joiner | Fold::Control);
                let vanishes = fold_char(c) == Fold::Decompose && normalize_key(&c.to_string()).is_empty();
                let kept = !removed && !vanishes;
                if kept {
                    prop_assert!(r.start <= i && i + c.len_utf8() <= r.end, "{:?} at {} outside {:?}", c, i, r);
                }
            }
        }

        #[test]
        fn each_char_maps_inside_its_range(s in messy()) {
            // Every normalized character maps to original bytes that
            // normalize to a string containing it.
            let norm = normalize(&s);
            let t = norm.as_str();
            for (i, c) in t.char_indices() {
                let r = norm.original_range(i..i + c.len_utf8());
                let back = normalize_key(&s[r]);
                prop_assert!(back.contains(c), "{:?} -> {:?}", c, back);
            }
        }
    }
}
