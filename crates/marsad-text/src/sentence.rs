//! Sentence and clause splitting.
//!
//! Sentences are the unit of snippets, of claim and quote extraction, and of
//! near-duplicate detection, so a wrong boundary shows up everywhere: a quote
//! cut in half, a name torn from its initial. The splitter is rule-based and
//! works on the original text (ranges point into it, no map needed).
//!
//! # Where a sentence ends
//!
//! * At a line break, always: a paragraph never continues into the next.
//! * After a run of terminators `.` `!` `?` `؟` `…` `۔` (so `؟!` and `...`
//!   end one sentence, not three), together with any closing quotes and
//!   brackets that follow it.
//!
//! # Where it does not
//!
//! * After an initial or a title: a single Arabic or Latin letter before the
//!   dot (سكوت أ. سنايدر, د. محمد, أ.د. علي, U.S.), or a Latin abbreviation
//!   such as `Dr.` `Mr.` `Prof.`.
//! * Inside a number (`3.5`; ٣٫٥ has no dot to worry about) or a list
//!   number (`1. …`), and before a Latin letter or digit glued to the dot
//!   (`spa.gov.sa`, `index.php?id=3`).
//! * Inside a quote: a terminator inside «…», “…” or "…" ends nothing until
//!   the quote closes; if the terminator is the last thing in the quote, the
//!   sentence ends with the closing quote. A quote that never closes within
//!   its paragraph protects nothing, so a stray « cannot swallow the rest of
//!   the paragraph.
//!
//! `،` and `؛` are clause separators, not sentence ends; [`split_clauses`]
//! splits on them (and on `;` and a `,` that is not between digits).
//!
//! Every range is trimmed of whitespace and invisible controls, non-empty,
//! and ranges are in order and do not overlap; together they cover every
//! other character of the text.

use std::ops::Range;

use crate::normalize::{entry, Class};

/// Splits `text` into sentences: byte ranges into `text`, in order.
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut chars: Vec<(usize, char)> = Vec::new();
    let mut inside: Vec<i32> = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if is_line_break(c) {
            split_line(text, start..i, &mut chars, &mut inside, &mut out);
            start = i + c.len_utf8();
        }
    }
    split_line(text, start..text.len(), &mut chars, &mut inside, &mut out);
    out
}

/// Splits `text` into clauses: its sentences, further cut at `،` `؛` `;`
/// and at a `,` not between digits.
pub fn split_clauses(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for sentence in split_sentences(text) {
        let s = &text[sentence.clone()];
        let mut start = 0;
        let mut prev: Option<char> = None;
        let mut it = s.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            let next = it.peek().map(|&(_, n)| n);
            let cut = match c {
                '،' | '؛' | ';' => true,
                ',' => !(prev.is_some_and(is_digit) && next.is_some_and(is_digit)),
                _ => false,
            };
            if cut {
                push_trimmed(text, sentence.start + start..sentence.start + i + c.len_utf8(), &mut out);
                start = i + c.len_utf8();
            }
            prev = Some(c);
        }
        push_trimmed(text, sentence.start + start..sentence.end, &mut out);
    }
    out
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}')
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '…' | '۔' | '‼' | '⁇' | '⁈' | '⁉')
}

/// Closing quotes and brackets that stay with the sentence they close.
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '»' | '”' | '’' | ')' | ']' | '}' | '″' | '›')
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || entry(c).class == Class::Digit
}

/// A letter of any script, for initials.
fn is_letter(c: char) -> bool {
    matches!(entry(c).class, Class::Letter | Class::Alpha) && !c.is_numeric()
}

/// Whitespace or an invisible character: trimmed from sentence ends.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(entry(c).class, Class::Joiner | Class::Control)
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start_matches(is_blank).len();
    let trimmed = s.trim_matches(is_blank);
    if !trimmed.is_empty() {
        out.push(r.start + lead..r.start + lead + trimmed.len());
    }
}

/// Latin abbreviations that do not end a sentence, lowercase.
const TITLES: [&str; 17] =
    ["dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "vs", "gen", "col", "lt", "sgt", "rep", "sen", "gov", "mt"];

/// Quote kinds for pairing: indexes into the stacks of [`pair_quotes`].
const GUILLEMET: usize = 0;
const CURLY: usize = 1;
const STRAIGHT: usize = 2;

/// Marks in `inside[k]` how many matched quote pairs enclose character `k`
/// of the line (the opening quote itself is outside, the closing one inside).
fn pair_quotes(chars: &[(usize, char)], inside: &mut Vec<i32>) {
    // A difference array: +1 after each opening quote, -1 after its closing
    // one; the prefix sums are the depths. One stack of open positions per
    // kind; closing a quote discards the openers of other kinds opened
    // inside it, which can no longer match. Linear on any input.
    inside.clear();
    inside.resize(chars.len() + 2, 0);
    let mut stacks: [Vec<usize>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let close = |stacks: &mut [Vec<usize>; 3], kind: usize, k: usize, inside: &mut Vec<i32>| -> bool {
        let Some(open) = stacks[kind].pop() else { return false };
        for other in stacks.iter_mut() {
            while other.last().is_some_and(|&o| o > open) {
                other.pop();
            }
        }
        inside[open + 1] += 1;
        inside[k + 1] -= 1;
        true
    };
    for (k, &(_, c)) in chars.iter().enumerate() {
        match c {
            '«' => stacks[GUILLEMET].push(k),
            '»' => {
                close(&mut stacks, GUILLEMET, k, inside);
            }
            '“' | '„' | '‟' => stacks[CURLY].push(k),
            // Unmatched, they open (writers use ” and " on both sides).
            '”' if !close(&mut stacks, CURLY, k, inside) => stacks[CURLY].push(k),
            '"' | '″' if !close(&mut stacks, STRAIGHT, k, inside) => stacks[STRAIGHT].push(k),
            _ => {}
        }
    }
    let mut depth = 0;
    for d in inside.iter_mut() {
        depth += *d;
        *d = depth;
    }
}

/// Whether the `.` at `k` follows an initial or an abbreviation.
fn after_abbreviation(chars: &[(usize, char)], text: &str, k: usize) -> bool {
    // The word before the dot, skipping diacritics and tatweel.
    let mut j = k;
    let mut letters = 0;
    let mut word_start = k;
    while j > 0 {
        let c = chars[j - 1].1;
        match entry(c).class {
            Class::Mark => {}
            _ if is_letter(c) => {
                letters += 1;
                word_start = j - 1;
            }
            _ => break,
        }
        j -= 1;
    }
    if letters == 1 {
        return true;
    }
    if (2..=4).contains(&letters) {
        let word = &text[chars[word_start].0..chars[k].0];
        return word.is_ascii() && TITLES.iter().any(|t| t.eq_ignore_ascii_case(word));
    }
    false
}

fn split_line(
    text: &str,
    line: Range<usize>,
    chars: &mut Vec<(usize, char)>,
    inside: &mut Vec<i32>,
    out: &mut Vec<Range<usize>>,
) {
    chars.clear();
    chars.extend(text[line.clone()].char_indices().map(|(i, c)| (line.start + i, c)));
    if chars.is_empty() {
        return;
    }
    pair_quotes(chars, inside);
    let n = chars.len();
    let byte = |k: usize| if k < n { chars[k].0 } else { line.end };
    let mut seg_start = line.start;
    let mut k = 0;
    while k < n {
        let c = chars[k].1;
        if !is_terminator(c) {
            k += 1;
            continue;
        }
        // The run of terminators, then the closers that go with it.
        let mut j = k + 1;
        while j < n && is_terminator(chars[j].1) {
            j += 1;
        }
        let single_dot = c == '.' && j == k + 1;
        while j < n && is_closer(chars[j].1) {
            j += 1;
        }
        let next = chars.get(k + 1).map(|&(_, c)| c);
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let glued = next.is_some_and(|d| d.is_ascii_alphanumeric() || is_digit(d)) && j == k + 1;
        let decimal = prev.is_some_and(is_digit) && next.is_some_and(is_digit);
        let list_number = single_dot && {
            let before = text[seg_start..chars[k].0].trim_matches(is_blank);
            !before.is_empty() && before.len() <= 3 && before.chars().all(|d| d.is_ascii_digit() || is_digit(d))
        };
        let abbreviation = single_dot && after_abbreviation(chars, text, k);
        let quoted = inside[j.min(n)] > 0 && j < n;
        if glued || decimal || list_number || abbreviation || quoted {
            k = j;
            continue;
        }
        push_trimmed(text, seg_start..byte(j), out);
        seg_start = byte(j);
        k = j;
    }
    push_trimmed(text, seg_start..line.end, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sentences(text: &str) -> Vec<&str> {
        split_sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn terminators_and_paragraphs() {
        assert_eq!(sentences("قال الرئيس. ثم غادر! هل عاد؟ لا…"), ["قال الرئيس.", "ثم غادر!", "هل عاد؟", "لا…"]);
        assert_eq!(sentences("سطر أول\nسطر ثان\n\n  ثالث  "), ["سطر أول", "سطر ثان", "ثالث"]);
        assert_eq!(sentences("حقا؟! نعم... ربما"), ["حقا؟!", "نعم...", "ربما"]);
        assert_eq!(sentences("انتهى.وقال"), ["انتهى.", "وقال"]);
    }

    #[test]
    fn commas_and_semicolons_do_not_end_sentences() {
        assert_eq!(sentences("قال، ثم أضاف؛ وانتهى."), ["قال، ثم أضاف؛ وانتهى."]);
        assert_eq!(split_clauses("قال، ثم أضاف؛ وانتهى 1,000 مرة.").len(), 3);
    }

    #[test]
    fn initials_and_titles_do_not_end_sentences() {
        assert_eq!(sentences("وقال سكوت أ. سنايدر، زميل الدراسات."), ["وقال سكوت أ. سنايدر، زميل الدراسات."]);
        assert_eq!(sentences("التقى د. محمد و م. أحمد. ثم عاد."), ["التقى د. محمد و م. أحمد.", "ثم عاد."]);
        assert_eq!(sentences("قال أ.د. علي إن الوضع صعب."), ["قال أ.د. علي إن الوضع صعب."]);
        assert_eq!(
            sentences("Dr. Smith met Mr. Jones in the U.S. yesterday. Then left."),
            ["Dr. Smith met Mr. Jones in the U.S. yesterday.", "Then left."]
        );
        assert_eq!(sentences("زار دَ. محمد"), ["زار دَ. محمد"], "a diacritic on the initial");
    }

    #[test]
    fn numbers_and_domains_do_not_end_sentences() {
        assert_eq!(sentences("ارتفع 3.5 بالمئة و٣٫٥ أيضا. ثم"), ["ارتفع 3.5 بالمئة و٣٫٥ أيضا.", "ثم"]);
        assert_eq!(sentences("زوروا spa.gov.sa اليوم."), ["زوروا spa.gov.sa اليوم."]);
        assert_eq!(sentences("1. البند الأول"), ["1. البند الأول"]);
        assert_eq!(sentences("في عام 2019. وقال"), ["في عام 2019.", "وقال"]);
    }

    #[test]
    fn quotes_hold_sentences_together() {
        assert_eq!(
            sentences("قال: «لن نتراجع. سنواصل» ثم غادر. وانتهى."),
            ["قال: «لن نتراجع. سنواصل» ثم غادر.", "وانتهى."]
        );
        assert_eq!(
            sentences("قال: “هذا مهم”. “يبدو أن الأمر تغير. كثيرا.” وأضاف آخر."),
            ["قال: “هذا مهم”.", "“يبدو أن الأمر تغير. كثيرا.”", "وأضاف آخر."]
        );
        assert_eq!(sentences("قال \"نعم. لا\" ثم ذهب."), ["قال \"نعم. لا\" ثم ذهب."]);
        // Never closed: ordinary splitting.
        assert_eq!(sentences("قال «نعم. ثم ذهب. وعاد"), ["قال «نعم.", "ثم ذهب.", "وعاد"]);
        // A quote never spans paragraphs.
        assert_eq!(sentences("«نعم.\nلا»"), ["«نعم.", "لا»"]);
    }

    #[test]
    fn empty_and_blank_text() {
        assert!(split_sentences("").is_empty());
        assert!(split_sentences(" \n\t\u{200F} ").is_empty());
        assert_eq!(sentences("..."), ["..."]);
    }

    proptest! {
        #[test]
        fn ranges_are_ordered_trimmed_and_cover_everything(s in crate::normalize::tests::messy()) {
            let ranges = split_sentences(&s);
            let mut covered = vec![false; s.len()];
            let mut prev_end = 0;
            for r in &ranges {
                prop_assert!(r.start < r.end);
                prop_assert!(r.start >= prev_end);
                prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
                let t = &s[r.clone()];
                prop_assert!(!t.starts_with(is_blank) && !t.ends_with(is_blank));
                for b in covered[r.clone()].iter_mut() { *b = true; }
                prev_end = r.end;
            }
            for (i, c) in s.char_indices() {
                if !is_blank(c) {
                    prop_assert!(covered[i], "{:?} at {} not covered", c, i);
                }
            }
            for r in split_clauses(&s) {
                prop_assert!(r.start < r.end && s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
            }
        }
    }
}
