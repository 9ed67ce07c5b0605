//! Reading CoNLL two-column files (`token TAG`, blank line between sentences).
//!
//! The format ANERcorp is distributed in: one word a line, the word and its
//! IOB2 tag separated by whitespace, a blank line after each sentence. The
//! tag is the *last* whitespace-separated field, so a line with extra
//! columns (`word POS TAG`) still reads. Tags are checked — `O`, or `B-`/`I-`
//! followed by one of `PERS`, `LOC`, `ORG`, `MISC` — because a typo in a tag
//! would otherwise silently become a new entity type in training.
//!
//! A file may start with a byte-order mark and use CRLF line ends; lines
//! starting with `-DOCSTART-` (the CoNLL-2003 document separator) end the
//! current sentence and are otherwise skipped.

use thiserror::Error;

/// One sentence: its words and their IOB2 tags, same length.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConllSentence {
    /// The words, as written in the file.
    pub words: Vec<String>,
    /// One IOB2 tag per word (`O`, `B-PERS`, `I-LOC`, …), already checked.
    pub tags: Vec<String>,
}

/// Why a CoNLL file could not be read; `line` is 1-based.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConllError {
    /// A non-blank line with a single field: a word without a tag.
    #[error("line {line}: expected `word TAG`, found one field: {text:?}")]
    MissingTag {
        /// Where.
        line: usize,
        /// The line as found.
        text: String,
    },
    /// A tag that is not `O`, `B-X` or `I-X` with a known type `X`.
    #[error("line {line}: unknown tag {tag:?} (expected O, B-X or I-X with X one of PERS, LOC, ORG, MISC)")]
    BadTag {
        /// Where.
        line: usize,
        /// The tag as found.
        tag: String,
    },
}

/// The entity types a tag may carry.
pub const ENTITY_LABELS: [&str; 4] = ["PERS", "LOC", "ORG", "MISC"];

fn tag_is_valid(tag: &str) -> bool {
    if tag == "O" {
        return true;
    }
    match tag.split_once('-') {
        Some(("B" | "I", label)) => ENTITY_LABELS.contains(&label),
        _ => false,
    }
}

/// Parses a CoNLL text into sentences. Empty sentences are not produced.
pub fn parse(text: &str) -> Result<Vec<ConllSentence>, ConllError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut current = ConllSentence::default();
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            if !current.words.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let mut fields = line.split_whitespace();
        let word = fields.next().unwrap_or_default();
        let Some(tag) = fields.last() else {
            return Err(ConllError::MissingTag { line: line_no, text: line.to_owned() });
        };
        if !tag_is_valid(tag) {
            return Err(ConllError::BadTag { line: line_no, tag: tag.to_owned() });
        }
        current.words.push(word.to_owned());
        current.tags.push(tag.to_owned());
    }
    if !current.words.is_empty() {
        out.push(current);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sentences_and_skips_blank_runs() {
        let s = parse("\u{feff}موسكو B-LOC\r\nقال O\r\n\r\n\r\nبوتين B-PERS\n").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].words, ["موسكو", "قال"]);
        assert_eq!(s[0].tags, ["B-LOC", "O"]);
        assert_eq!(s[1].tags, ["B-PERS"]);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse("a O\nb\n"), Err(ConllError::MissingTag { line: 2, text: "b".into() }));
        assert_eq!(parse("a O\n\nb B-PER\n"), Err(ConllError::BadTag { line: 3, tag: "B-PER".into() }));
        let msg = parse("x Q").unwrap_err().to_string();
        assert!(msg.starts_with("line 1:"), "{msg}");
    }

    #[test]
    fn extra_columns_take_the_last_as_tag() {
        let s = parse("بوتين NNP B-PERS\n").unwrap();
        assert_eq!(s[0].tags, ["B-PERS"]);
    }
}
