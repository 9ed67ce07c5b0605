//! [`IngestError`]: what went wrong, and where.
//!
//! Ingest runs over folders of thousands of files written by other people's
//! tools, so failures are expected and must be actionable: every error names
//! the file (and, for multi-document files, the item number, 1-based, as
//! `path#12`) and says what was wrong in words a user can act on. An error
//! never stops the run: readers report it through the sink and carry on with
//! the next file or item.
//!
//! The reason is a typed enum ([`ErrorReason`]) so callers can count or filter
//! errors by kind (for example, to print folder skips as notes and everything
//! else as errors) without parsing messages.

use std::fmt;
use std::io;

/// An error reading one file, or one item of a multi-document file.
#[derive(Debug, thiserror::Error)]
#[error("{}: {reason}", self.location())]
pub struct IngestError {
    /// The path as given (or `stdin`).
    pub path: String,
    /// The 1-based item number inside a multi-document file (JSON array
    /// element, JSON Lines item, feed entry); `None` for the file as a whole.
    pub item: Option<usize>,
    /// What was wrong.
    #[source]
    pub reason: ErrorReason,
}

impl IngestError {
    /// An error about a whole file.
    pub fn file(path: impl Into<String>, reason: ErrorReason) -> Self {
        IngestError { path: path.into(), item: None, reason }
    }

    /// An error about item `item` (1-based) of a multi-document file.
    pub fn item(path: impl Into<String>, item: usize, reason: ErrorReason) -> Self {
        IngestError { path: path.into(), item: Some(item), reason }
    }

    /// `path` or `path#N`: the same form as [`crate::SourceDocument::origin`].
    pub fn location(&self) -> String {
        match self.item {
            Some(n) => format!("{}#{}", self.path, n),
            None => self.path.clone(),
        }
    }

    /// True for a file that [`crate::discover`] passed over inside a folder
    /// because its type is not supported: a note, not a failure.
    pub fn is_skip(&self) -> bool {
        matches!(self.reason, ErrorReason::UnsupportedInFolder { .. } | ErrorReason::DatasetNoteInFolder)
    }
}

/// Why a file or item could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ErrorReason {
    /// The operating system refused (missing file, permissions, I/O error).
    #[error("cannot read: {0}")]
    Io(#[source] io::Error),
    /// Zero bytes, or only whitespace.
    #[error("empty file")]
    Empty,
    /// NUL bytes: not a text file.
    #[error("binary file (NUL bytes)")]
    Binary,
    /// Not UTF-8, and no single-byte encoding decodes it into letters.
    #[error("invalid UTF-8 and not windows-1256 text{}", guess_suffix(.guessed))]
    Undecodable {
        /// What chardetng guessed, when its decoding was rejected.
        guessed: Option<&'static str>,
    },
    /// A plain-text or HTML file larger than one document can be.
    #[error(
        "file too large for one document ({} > {} limit)",
        megabytes(*.size),
        megabytes(*.limit)
    )]
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The one-document limit in bytes.
        limit: u64,
    },
    /// A file named explicitly whose extension is not a supported format.
    #[error("unknown format {}", extension_label(.extension))]
    UnknownFormat {
        /// The extension without the dot; `None` when the name has none.
        extension: Option<String>,
    },
    /// A file found inside a folder whose extension is not supported; it is
    /// skipped, not read.
    #[error("skipped: unsupported file type {}", extension_label(.extension))]
    UnsupportedInFolder {
        /// The extension without the dot; `None` when the name has none.
        extension: Option<String>,
    },
    /// A file found inside a folder that describes the collection rather than
    /// being an article (README, SOURCE, LICENSE …): skipped, not read. Named
    /// explicitly on the command line, it is read like any other file.
    #[error("skipped: a note about the collection (README/SOURCE/LICENSE), not an article")]
    DatasetNoteInFolder,
    /// JSON that does not parse. Line and column are 1-based, in the file.
    #[error("malformed JSON at line {line} column {column}: {message}")]
    MalformedJson {
        /// Line in the file.
        line: usize,
        /// Column in that line.
        column: usize,
        /// serde_json's description of the problem.
        message: String,
    },
    /// A JSON item that is not an object.
    #[error("expected a JSON object, found {found}")]
    NotAnObject {
        /// The JSON type found instead (`an array`, `a string`, …).
        found: &'static str,
    },
    /// A JSON article without any of the text fields.
    #[error("missing \"content\"/\"text\" field")]
    MissingText,
    /// A JSON field of the wrong type.
    #[error("field \"{field}\" is {found}, expected {expected}")]
    WrongType {
        /// The field's name.
        field: String,
        /// The JSON type found.
        found: &'static str,
        /// The type that field must have.
        expected: &'static str,
    },
    /// A JSON Lines line longer than the one-document limit.
    #[error("line {line} too long for one document ({} > {} limit)", megabytes(*.size), megabytes(*.limit))]
    LineTooLong {
        /// 1-based line number in the file.
        line: usize,
        /// The line's length in bytes.
        size: u64,
        /// The one-document limit in bytes.
        limit: u64,
    },
    /// A JSON Lines line that is not UTF-8.
    #[error("line {line} is not valid UTF-8")]
    LineNotUtf8 {
        /// 1-based line number in the file.
        line: usize,
    },
    /// A feed that feed-rs could not parse.
    #[error("malformed feed: {0}")]
    MalformedFeed(String),
    /// A feed entry with neither content nor summary.
    #[error("feed entry has no content or summary")]
    EmptyEntry,
    /// An HTML page with no visible text at all.
    #[error("no readable text in HTML page")]
    NoReadableText,
    /// A text document whose only lines were a title or dateline.
    #[error("no body text (only a title or dateline)")]
    NoBody,
}

fn guess_suffix(guessed: &Option<&'static str>) -> String {
    match guessed {
        Some(name) => format!(" (decoding as {name} gives mostly non-letters)"),
        None => String::new(),
    }
}

fn extension_label(extension: &Option<String>) -> String {
    match extension {
        Some(ext) => format!("'.{ext}'"),
        None => "(no file extension)".to_string(),
    }
}

/// `70.3 MB` style sizes, with MB = 2^20 bytes.
fn megabytes(bytes: u64) -> Megabytes {
    Megabytes(bytes)
}

struct Megabytes(u64);

impl fmt::Display for Megabytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mb = self.0 as f64 / (1024.0 * 1024.0);
        if mb.fract() == 0.0 {
            write!(f, "{mb:.0} MB")
        } else {
            write!(f, "{mb:.1} MB")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_path_item_and_reason() {
        let e = IngestError::item("a/b.json", 12, ErrorReason::MissingText);
        assert_eq!(e.to_string(), "a/b.json#12: missing \"content\"/\"text\" field");
        let e = IngestError::file("x.docx", ErrorReason::UnknownFormat { extension: Some("docx".into()) });
        assert_eq!(e.to_string(), "x.docx: unknown format '.docx'");
        let e = IngestError::file(
            "big.txt",
            ErrorReason::TooLarge { size: 70 * 1024 * 1024 + 300_000, limit: 64 * 1024 * 1024 },
        );
        assert_eq!(e.to_string(), "big.txt: file too large for one document (70.3 MB > 64 MB limit)");
        let e = IngestError::file("f.txt", ErrorReason::Undecodable { guessed: None });
        assert_eq!(e.to_string(), "f.txt: invalid UTF-8 and not windows-1256 text");
        let e = IngestError::file(
            "f.json",
            ErrorReason::MalformedJson { line: 3, column: 7, message: "expected value".into() },
        );
        assert_eq!(e.to_string(), "f.json: malformed JSON at line 3 column 7: expected value");
    }
}
