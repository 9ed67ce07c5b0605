//! Month names of both Arabic series (يناير…ديسمبر and كانون الثاني…كانون الأول).
//!
//! News copy mixes the two series, often side by side (سبتمبر/أيلول,
//! فبراير (شباط)), and misspells them; a single table, compiled from
//! `data/lexicon/months-ar.txt`, answers for all of them so that ingest
//! (datelines) and date extraction agree.

use std::collections::HashMap;
use std::sync::OnceLock;

const MONTHS: &str = include_str!("../../../data/lexicon/months-ar.txt");

/// Folds the letter variants that month names are spelled with, so that
/// أذار/آذار/اذار and يونية/يونيه compare equal (a lighter fold than
/// [`crate::normalize()`]: the ta marbuta folds to ha here).
fn fold(name: &str) -> String {
    name.chars()
        .filter(|&c| !crate::normalize::is_mark(c))
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' | 'ی' => 'ي',
            'ة' => 'ه',
            _ => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn table() -> &'static HashMap<String, u32> {
    static TABLE: OnceLock<HashMap<String, u32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::new();
        for line in MONTHS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let number: u32 = fields
                .next()
                .and_then(|n| n.trim().parse().ok())
                .expect("months-ar.txt: each line starts with a month number");
            for name in fields {
                map.insert(fold(name), number);
            }
        }
        map
    })
}

/// The month number (1–12) of an Arabic month name of either series, or
/// `None`. Accepts diacritics, alef and ya variants, and multi-word names
/// (`تشرين الأول`). Does not strip clitics: pass `سبتمبر`, not `وسبتمبر`.
pub fn month_number(name: &str) -> Option<u32> {
    table().get(&fold(name)).copied()
}

/// The longest month name that starts `text` (after leading whitespace):
/// returns the month number and the byte length consumed, so callers can parse
/// `كانون الأول 2017` as well as `سبتمبر 2023`.
pub fn month_prefix(text: &str) -> Option<(u32, usize)> {
    let trimmed = text.trim_start();
    let lead = text.len() - trimmed.len();
    // Try two words first (تشرين الأول), then one.
    let mut ends: Vec<usize> = Vec::with_capacity(2);
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in trimmed.char_indices() {
        let letter = c.is_alphabetic() || crate::normalize::is_mark(c);
        if letter && !in_word {
            in_word = true;
        } else if !letter && in_word {
            in_word = false;
            words += 1;
            ends.push(i);
            if words == 2 || c != ' ' {
                break;
            }
        }
    }
    if in_word && words < 2 {
        ends.push(trimmed.len());
    }
    ends.iter().rev().find_map(|&end| month_number(&trimmed[..end]).map(|m| (m, lead + end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_series_and_variants() {
        assert_eq!(month_number("سبتمبر"), Some(9));
        assert_eq!(month_number("أيلول"), Some(9));
        assert_eq!(month_number("ايلول"), Some(9));
        assert_eq!(month_number("أذار"), Some(3));
        assert_eq!(month_number("آذار"), Some(3));
        assert_eq!(month_number("كانون الأول"), Some(12));
        assert_eq!(month_number("كانون الثاني"), Some(1));
        assert_eq!(month_number("تشرين الاول"), Some(10));
        assert_eq!(month_number("يونيه"), Some(6));
        assert_eq!(month_number("يونية"), Some(6));
        assert_eq!(month_number("موسكو"), None);
    }

    #[test]
    fn prefix_takes_the_longest_name() {
        assert_eq!(month_prefix("كانون الأول 2017"), Some((12, "كانون الأول".len())));
        assert_eq!(month_prefix(" سبتمبر 2023"), Some((9, 1 + "سبتمبر".len())));
        assert_eq!(month_prefix("سبتمبر/أيلول"), Some((9, "سبتمبر".len())));
        assert_eq!(month_prefix("2023"), None);
    }
}
