//! The search query language, parsed into a typed [`ParsedQuery`].
//!
//! Marsad has its own small parser instead of tantivy's `QueryParser` for two
//! reasons. First, every word must go through Marsad's Arabic analyzer with
//! its positions intact (so `"رئيس الوزراء"` keeps the gap of a removed stop
//! word), and the ranking (title boost, an all-terms bonus) is Marsad's
//! choice, not a generic default. Second, a search box must never fail
//! mysteriously: every malformed input becomes a [`QueryError`] whose message
//! can be shown to the person who typed it, and no input panics.
//!
//! The language:
//!
//! | input               | meaning                                               |
//! |---------------------|-------------------------------------------------------|
//! | `word word`         | documents with any of the words; more words rank higher |
//! | `"a phrase"`        | the words adjacent and in order (required)            |
//! | `-word`, `-"a b"`   | exclude documents containing it                       |
//! | `source:NAME`       | only that outlet (case-insensitive; several are OR'd) |
//! | `source:"Two Words"`| a quoted outlet name                                  |
//! | `-source:NAME`      | not that outlet                                       |
//! | `after:YYYY-MM-DD`  | published on or after that day                        |
//! | `before:YYYY-MM-DD` | published on or before that day                       |
//!
//! Dates may be typed with Arabic-Indic digits (`after:٢٠١٩-٠١-٠١`). An
//! unknown `key:value` is searched as ordinary words. This module only parses;
//! analysis and the tantivy query are built by the search module.

use chrono::NaiveDate;

/// Why a query could not be parsed. The `Display` text is user-facing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Nothing to search for: blank, or only `-` and empty quotes.
    #[error("empty query")]
    Empty,
    /// A `"` without its closing partner.
    #[error("unterminated quote: the \" at character {at} is never closed")]
    UnterminatedQuote {
        /// 1-based character position of the opening quote.
        at: usize,
    },
    /// `after:` / `before:` with something other than a calendar date.
    #[error("{filter}: expects YYYY-MM-DD, got {value:?}")]
    BadDate {
        /// The filter (`after`, `before`, …).
        filter: &'static str,
        /// What was given.
        value: String,
    },
    /// A filter key with nothing after the colon.
    #[error("{filter}: expects {expected}")]
    MissingValue {
        /// The filter.
        filter: &'static str,
        /// What it takes.
        expected: &'static str,
    },
    /// `-after:` / `-before:` — use the other filter instead.
    #[error("-{filter}: cannot be negated; use {instead}: instead")]
    NegatedDate {
        /// The negated filter.
        filter: &'static str,
        /// The filter to use instead.
        instead: &'static str,
    },
}

/// One searchable unit of a query, before analysis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clause {
    /// A bare word, as typed.
    Word(String),
    /// The inside of a pair of quotes, as typed.
    Phrase(String),
}

impl Clause {
    /// The typed text of the clause.
    pub fn text(&self) -> &str {
        match self {
            Clause::Word(s) | Clause::Phrase(s) => s,
        }
    }
}

/// A parsed query: what to look for, what to exclude, and the filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Words and phrases to look for.
    pub include: Vec<Clause>,
    /// Words and phrases whose documents are excluded.
    pub exclude: Vec<Clause>,
    /// `source:` values as typed (trimmed); a document matches any of them.
    pub sources: Vec<String>,
    /// `-source:` values as typed (trimmed).
    pub excluded_sources: Vec<String>,
    /// Inclusive lower date bound (the latest `after:` wins).
    pub after: Option<NaiveDate>,
    /// Inclusive upper date bound (the earliest `before:` wins).
    pub before: Option<NaiveDate>,
}

impl ParsedQuery {
    /// True when the query restricts the result set by something other than
    /// words to look for (filters or exclusions).
    pub fn has_filters(&self) -> bool {
        !self.exclude.is_empty()
            || !self.sources.is_empty()
            || !self.excluded_sources.is_empty()
            || self.after.is_some()
            || self.before.is_some()
    }
}

/// Parses a query string. Never panics.
pub fn parse(input: &str) -> Result<ParsedQuery, QueryError> {
    let mut parsed = ParsedQuery::default();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let negated = chars[i] == '-' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
        if negated {
            i += 1;
        }
        if chars[i] == '"' {
            let (inside, next) = quoted(&chars, i)?;
            i = next;
            if !inside.trim().is_empty() {
                let clause = Clause::Phrase(inside.trim().to_string());
                push_clause(&mut parsed, clause, negated);
            }
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        match filter_key(&word) {
            Some((key, value)) => {
                let value = if value.is_empty() && chars.get(i) == Some(&'"') {
                    let (inside, next) = quoted(&chars, i)?;
                    i = next;
                    inside
                } else {
                    value.to_string()
                };
                apply_filter(&mut parsed, key, value.trim(), negated)?;
            }
            None => {
                if word != "-" {
                    push_clause(&mut parsed, Clause::Word(word), negated);
                }
            }
        }
    }
    let nothing = parsed.include.is_empty() && !parsed.has_filters();
    if nothing {
        return Err(QueryError::Empty);
    }
    Ok(parsed)
}

/// Reads a quoted string whose opening `"` is at `open`; returns the inside
/// and the index just past the closing quote.
fn quoted(chars: &[char], open: usize) -> Result<(String, usize), QueryError> {
    let close = chars[open + 1..]
        .iter()
        .position(|&c| c == '"')
        .map(|p| open + 1 + p)
        .ok_or(QueryError::UnterminatedQuote { at: open + 1 })?;
    Ok((chars[open + 1..close].iter().collect(), close + 1))
}

fn push_clause(parsed: &mut ParsedQuery, clause: Clause, negated: bool) {
    if negated {
        parsed.exclude.push(clause);
    } else {
        parsed.include.push(clause);
    }
}

#[derive(Clone, Copy)]
enum FilterKey {
    Source,
    After,
    Before,
}

/// Splits `key:value` when key is a known filter (case-insensitive).
fn filter_key(word: &str) -> Option<(FilterKey, &str)> {
    let (key, value) = word.split_once(':')?;
    let key = match key.to_ascii_lowercase().as_str() {
        "source" => FilterKey::Source,
        "after" => FilterKey::After,
        "before" => FilterKey::Before,
        _ => return None,
    };
    Some((key, value))
}

fn apply_filter(parsed: &mut ParsedQuery, key: FilterKey, value: &str, negated: bool) -> Result<(), QueryError> {
    match key {
        FilterKey::Source => {
            if value.is_empty() {
                return Err(QueryError::MissingValue { filter: "source", expected: "a source name" });
            }
            if negated {
                parsed.excluded_sources.push(value.to_string());
            } else {
                parsed.sources.push(value.to_string());
            }
        }
        FilterKey::After | FilterKey::Before => {
            let (filter, instead) = match key {
                FilterKey::After => ("after", "before"),
                _ => ("before", "after"),
            };
            if negated {
                return Err(QueryError::NegatedDate { filter, instead });
            }
            if value.is_empty() {
                return Err(QueryError::MissingValue { filter, expected: "YYYY-MM-DD" });
            }
            let date = parse_date(value).ok_or_else(|| QueryError::BadDate { filter, value: value.to_string() })?;
            if filter == "after" {
                parsed.after = Some(parsed.after.map_or(date, |d| d.max(date)));
            } else {
                parsed.before = Some(parsed.before.map_or(date, |d| d.min(date)));
            }
        }
    }
    Ok(())
}

/// `YYYY-MM-DD`, with ASCII, Arabic-Indic or Eastern Arabic-Indic digits.
fn parse_date(value: &str) -> Option<NaiveDate> {
    let ascii: String = value
        .chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            _ => c,
        })
        .collect();
    let bytes = ascii.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    NaiveDate::parse_from_str(&ascii, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(s: &str) -> Clause {
        Clause::Word(s.to_string())
    }
    fn phrase(s: &str) -> Clause {
        Clause::Phrase(s.to_string())
    }
    fn date(s: &str) -> Option<NaiveDate> {
        Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn table_of_queries() {
        let cases: Vec<(&str, ParsedQuery)> = vec![
            ("بوتين", ParsedQuery { include: vec![word("بوتين")], ..Default::default() }),
            ("  بوتين   كيم ", ParsedQuery { include: vec![word("بوتين"), word("كيم")], ..Default::default() }),
            (
                "\"كوريا الشمالية\" بوتين",
                ParsedQuery {
                    include: vec![phrase("كوريا الشمالية"), word("بوتين")], ..Default::default()
                },
            ),
            (
                "بوتين -ترامب -\"البيت الأبيض\"",
                ParsedQuery {
                    include: vec![word("بوتين")],
                    exclude: vec![word("ترامب"), phrase("البيت الأبيض")],
                    ..Default::default()
                },
            ),
            (
                "source:Aawsat SOURCE:\"Al Riyadh\" -source:okaz x",
                ParsedQuery {
                    include: vec![word("x")],
                    sources: vec!["Aawsat".into(), "Al Riyadh".into()],
                    excluded_sources: vec!["okaz".into()],
                    ..Default::default()
                },
            ),
            (
                "after:2019-01-01 before:2024-06-30 after:2020-02-29",
                ParsedQuery { after: date("2020-02-29"), before: date("2024-06-30"), ..Default::default() },
            ),
            (
                "after:٢٠١٩-٠٤-٢٥ قمة",
                ParsedQuery { include: vec![word("قمة")], after: date("2019-04-25"), ..Default::default() },
            ),
            // An unknown key is just words; a lone dash is nothing.
            ("title:x - y", ParsedQuery { include: vec![word("title:x"), word("y")], ..Default::default() }),
            // A hyphen inside a word is part of the word.
            ("co-operation", ParsedQuery { include: vec![word("co-operation")], ..Default::default() }),
            // A quote right after a word starts a phrase.
            ("a\"b c\"d", ParsedQuery { include: vec![word("a"), phrase("b c"), word("d")], ..Default::default() }),
            ("\"\" x", ParsedQuery { include: vec![word("x")], ..Default::default() }),
        ];
        for (input, expected) in cases {
            assert_eq!(parse(input), Ok(expected), "{input:?}");
        }
    }

    #[test]
    fn errors() {
        let cases: Vec<(&str, QueryError)> = vec![
            ("", QueryError::Empty),
            ("   \t\n", QueryError::Empty),
            ("- \"\"", QueryError::Empty),
            ("\"كوريا الشمالية", QueryError::UnterminatedQuote { at: 1 }),
            ("x -\"y", QueryError::UnterminatedQuote { at: 4 }),
            ("source:\"abc", QueryError::UnterminatedQuote { at: 8 }),
            ("after:2019-13-01", QueryError::BadDate { filter: "after", value: "2019-13-01".into() }),
            ("after:2019", QueryError::BadDate { filter: "after", value: "2019".into() }),
            ("before:yesterday", QueryError::BadDate { filter: "before", value: "yesterday".into() }),
            ("after:", QueryError::MissingValue { filter: "after", expected: "YYYY-MM-DD" }),
            ("source:", QueryError::MissingValue { filter: "source", expected: "a source name" }),
            ("-after:2019-01-01", QueryError::NegatedDate { filter: "after", instead: "before" }),
        ];
        for (input, expected) in cases {
            assert_eq!(parse(input), Err(expected), "{input:?}");
        }
        assert_eq!(
            QueryError::BadDate { filter: "after", value: "x".into() }.to_string(),
            "after: expects YYYY-MM-DD, got \"x\""
        );
        assert_eq!(QueryError::Empty.to_string(), "empty query");
    }

    #[test]
    fn filters_alone_and_exclusions_alone_are_queries() {
        assert!(parse("source:x").is_ok());
        assert!(parse("-x").is_ok());
        assert!(parse("-x").unwrap().has_filters());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(input in "\\PC{0,40}") {
            let _ = parse(&input);
        }

        #[test]
        fn parse_never_panics_on_query_syntax(input in "[-\" :a-zأ-ي0-9٠-٩]{0,30}(source|after|before)?:?[-\"0-9٠-٩ ]{0,12}") {
            let _ = parse(&input);
        }
    }
}
