//! The document types that flow out of ingest: [`SourceDocument`] (what a
//! reader found in a file) and [`CleanDocument`] (what cleaning kept, and what
//! it removed and why).
//!
//! These are the contract between ingest and the store: the store never reads
//! files, and ingest never touches the store.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// The input format a document was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text, one paragraph a line.
    Text,
    /// An HTML page; the main content is extracted.
    Html,
    /// A JSON object or an array of objects.
    Json,
    /// JSON Lines: one object a line.
    JsonLines,
    /// An RSS or Atom feed: one document an item.
    Feed,
}

impl Format {
    /// A short lowercase name, as stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Json => "json",
            Format::JsonLines => "jsonl",
            Format::Feed => "feed",
        }
    }

    /// The format named by `name`, case-insensitively: a name from
    /// [`Format::as_str`] or a file extension (`txt`, `htm`, `ndjson`, `rss`,
    /// `atom`, `xml`, with or without the dot). For `--stdin-format`.
    pub fn parse(name: &str) -> Option<Format> {
        let name = name.trim().trim_start_matches('.').to_ascii_lowercase();
        match name.as_str() {
            "text" | "txt" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" | "jsonlines" | "json-lines" => Some(Format::JsonLines),
            "feed" | "rss" | "atom" | "xml" => Some(Format::Feed),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in [Format::Text, Format::Html, Format::Json, Format::JsonLines, Format::Feed] {
            assert_eq!(Format::parse(format.as_str()), Some(format));
        }
        assert_eq!(Format::parse(".RSS"), Some(Format::Feed));
        assert_eq!(Format::parse("ndjson"), Some(Format::JsonLines));
        assert_eq!(Format::parse("docx"), None);
    }
}

/// One document as a reader found it, before cleaning.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceDocument {
    /// Stable id: the file stem for a one-document file, the `id` field of a
    /// JSON article or feed item when present, else a content hash.
    pub id: String,
    /// The headline, from the format's title field or a title line of a
    /// text file.
    pub title: Option<String>,
    /// The outlet (JSON `source`, feed title, or the site of the URL).
    pub source: Option<String>,
    /// The article's address on the web, when the input gives one.
    pub url: Option<String>,
    /// The byline, when the input gives one.
    pub author: Option<String>,
    /// Publication date, normalized to ISO 8601: `YYYY-MM-DD`, or
    /// `YYYY-MM-DDTHH:MM:SS` when a time is known.
    pub date: Option<String>,
    /// The article text after format extraction (HTML → text), one paragraph
    /// a line (`\n` separated). Title and dateline lines are not part of it.
    pub body: String,
    /// The original as read and decoded: the whole file for one-document
    /// files, the JSON object or feed item for multi-document files.
    pub raw: String,
    /// Where it came from: a path, `path#N` for item N of a multi-document
    /// file, or `stdin`.
    pub origin: String,
    /// The format it was read as.
    pub format: Format,
    /// Set when the input was not UTF-8 and was decoded from another encoding,
    /// e.g. `decoded from windows-1256`.
    pub encoding_note: Option<String>,
}

/// Why cleaning removed a paragraph from the analysed text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RemovalReason {
    /// A comment form: اترك تعليق, لن يتم نشر عنوان بريدك الإلكتروني, شروط التعليق …
    CommentForm,
    /// A "read more" / related-articles block: اقرأ المزيد, اقرأ أيضا …
    ReadMore,
    /// Leftovers of the publishing system, e.g. `Related Nodes field`.
    CmsLeftover,
    /// Share / follow / subscribe lines.
    ShareLine,
    /// A breaking-news ticker heading such as الاخبار العاجلة.
    NewsTicker,
    /// A paragraph that repeats an earlier paragraph of the same article
    /// (a pull-quote), compared on normalized text; `of` is the index, in
    /// [`CleanDocument::paragraphs`] terms of the body's lines, of the kept copy.
    RepeatedParagraph {
        /// Index of the kept copy among the body's lines.
        of: usize,
    },
}

impl RemovalReason {
    /// A short human-readable reason, as printed by `marsad doc` and stored.
    pub fn describe(&self) -> String {
        match self {
            RemovalReason::CommentForm => "boilerplate: comment form".to_string(),
            RemovalReason::ReadMore => "boilerplate: read-more block".to_string(),
            RemovalReason::CmsLeftover => "boilerplate: CMS leftover".to_string(),
            RemovalReason::ShareLine => "boilerplate: share/subscribe line".to_string(),
            RemovalReason::NewsTicker => "boilerplate: news ticker".to_string(),
            RemovalReason::RepeatedParagraph { of } => {
                format!("repeated paragraph (copy of paragraph {})", of + 1)
            }
        }
    }
}

/// One removal: what was taken out of the analysed text, where, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Removal {
    /// Why it was removed.
    pub reason: RemovalReason,
    /// The removed text, exactly as it stood in the body.
    pub text: String,
    /// Byte span of the removed text in [`SourceDocument::body`].
    pub span: Range<usize>,
}

/// A document after cleaning: the text to analyse, plus the record of what
/// was removed. The original is kept in `source.raw` and `source.body`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CleanDocument {
    /// The document as read, unchanged.
    pub source: SourceDocument,
    /// The kept paragraphs, in order, each trimmed.
    pub paragraphs: Vec<String>,
    /// The kept paragraphs joined with `\n`: the text that is analysed and
    /// indexed.
    pub text: String,
    /// What cleaning took out, in body order.
    pub removed: Vec<Removal>,
    /// Hex xxh3-128 of the normalized cleaned text (and title): two documents
    /// with equal hashes are exact duplicates.
    pub content_hash: String,
}
