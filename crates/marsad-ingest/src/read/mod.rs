//! Readers: files and streams → [`SourceDocument`]s, one sink call per
//! document or error.
//!
//! # Why a sink and not a `Vec` or an iterator
//!
//! A JSON Lines dump or a JSON array of a few hundred megabytes holds hundreds
//! of thousands of articles. Collecting them would hold the whole corpus in
//! memory twice (text and parsed), and an iterator over a serde stream would
//! need the deserializer's state to outlive each call. A callback keeps
//! exactly one article in memory at a time and lets the caller index, count
//! or print as documents arrive. Errors go to the same sink, in order, so a
//! caller sees `file.jsonl#3: …` between documents 2 and 4, and a bad item
//! never stops the rest of the file from being read.
//!
//! # Formats
//!
//! | extension                | format               | documents                           |
//! |--------------------------|----------------------|-------------------------------------|
//! | `.txt`, `.text`          | [`Format::Text`]     | one; title and dateline recognized  |
//! | `.html`, `.htm`          | [`Format::Html`]     | one; main content via Readability   |
//! | `.json`                  | [`Format::Json`]     | an object, an array, or JSON Lines  |
//! | `.jsonl`, `.ndjson`      | [`Format::JsonLines`]| one per line                        |
//! | `.xml`, `.rss`, `.atom`  | [`Format::Feed`]     | one per feed entry                  |
//!
//! Plain-text and HTML files are one document each, so they are read whole,
//! up to [`MAX_DOCUMENT_BYTES`]; anything bigger is not one article and is
//! refused with an error. JSON and JSON Lines are streamed at any size; feeds
//! are parsed whole (feed-rs has no streaming API) up to the same limit.
//!
//! Every body is normalized the same way: one paragraph a line, lines
//! trimmed, blank lines dropped. That is the form [`clean`](crate::clean()) and the
//! store expect.

mod feed;
mod html;
mod json;
mod text;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::Path;

use xxhash_rust::xxh3::xxh3_128;

use crate::document::{Format, SourceDocument};
use crate::error::{ErrorReason, IngestError};

pub(crate) use html::html_fragment_to_text;

/// The largest plain-text or HTML file accepted as one document, and the
/// largest feed parsed (64 MiB). A news article is a few kilobytes; a file
/// this big is a dump in the wrong format.
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// Where readers send each document or error.
pub type Sink<'a> = &'a mut dyn FnMut(Result<SourceDocument, IngestError>);

/// The format of a file, from its extension (case-insensitive); `None` for an
/// unsupported or missing extension.
pub fn format_for_path(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some(Format::Text),
        "html" | "htm" => Some(Format::Html),
        "json" => Some(Format::Json),
        "jsonl" | "ndjson" => Some(Format::JsonLines),
        "xml" | "rss" | "atom" => Some(Format::Feed),
        _ => None,
    }
}

/// Reads one file, calling `sink` once per document found or per error.
///
/// The format comes from the extension ([`format_for_path`]); an unsupported
/// extension is one error. One-document files (text, HTML) get the file stem
/// as id; items of multi-document files get `origin` = `path#N` (N 1-based).
pub fn read_file(path: &Path, sink: &mut dyn FnMut(Result<SourceDocument, IngestError>)) {
    let name = path.display().to_string();
    let Some(format) = format_for_path(path) else {
        let extension = path.extension().map(|e| e.to_string_lossy().into_owned());
        sink(Err(IngestError::file(name, ErrorReason::UnknownFormat { extension })));
        return;
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) => return sink(Err(IngestError::file(name, ErrorReason::Io(e)))),
    };
    let size = file.metadata().ok().map(|m| m.len());
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    let source = SourceName { name: &name, stem, size };
    read_format(&source, format, BufReader::with_capacity(1 << 16, file), sink);
}

/// Reads a stream (standard input), calling `sink` once per document or
/// error. `name` is used in origins and messages (`stdin`, or a file name
/// whose stem becomes the id of a one-document input); when `format` is
/// `None` it is sniffed from the first bytes: `{` or `[` → JSON (or JSON
/// Lines), `<rss`/`<feed`/`<rdf`/`<?xml` → feed, `<html`/`<!doctype` → HTML,
/// anything else → text.
pub fn read_reader(
    name: &str,
    format: Option<Format>,
    reader: impl Read,
    sink: &mut dyn FnMut(Result<SourceDocument, IngestError>),
) {
    let mut reader = reader;
    let mut head = Vec::with_capacity(1024);
    if let Err(e) = (&mut reader).take(1024).read_to_end(&mut head) {
        return sink(Err(IngestError::file(name, ErrorReason::Io(e))));
    }
    let format = format.unwrap_or_else(|| sniff_format(&head));
    let stem = match name {
        "" | "-" | "stdin" | "<stdin>" => None,
        _ => Path::new(name).file_stem().map(|s| s.to_string_lossy().into_owned()),
    };
    let source = SourceName { name, stem, size: None };
    let chained = BufReader::with_capacity(1 << 16, Cursor::new(head).chain(reader));
    read_format(&source, format, chained, sink);
}

/// The format of content, from its first bytes.
pub fn sniff_format(head: &[u8]) -> Format {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    let lower: Vec<u8> = head[start..].iter().take(1024).map(u8::to_ascii_lowercase).collect();
    let contains = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    match lower.first() {
        Some(b'{') | Some(b'[') => Format::Json,
        Some(b'<') => {
            if lower.starts_with(b"<rss") || lower.starts_with(b"<feed") || lower.starts_with(b"<rdf") {
                Format::Feed
            } else if lower.starts_with(b"<html") || lower.starts_with(b"<!doctype") || contains(b"<html") {
                Format::Html
            } else if lower.starts_with(b"<?xml") || contains(b"<rss") || contains(b"<feed") {
                Format::Feed
            } else if contains(b"<body") || contains(b"<p>") || contains(b"<div") {
                Format::Html
            } else {
                Format::Text
            }
        }
        _ => Format::Text,
    }
}

/// Name, id stem and known size of what is being read.
pub(crate) struct SourceName<'a> {
    /// Path or `stdin`: the origin and the error location.
    pub name: &'a str,
    /// File stem: the id of a one-document input. `None` for standard input,
    /// where the id is a content hash.
    pub stem: Option<String>,
    /// Size in bytes when known in advance (files).
    pub size: Option<u64>,
}

impl SourceName<'_> {
    pub fn origin(&self, item: usize) -> String {
        format!("{}#{}", self.name, item)
    }

    pub fn error(&self, reason: ErrorReason) -> IngestError {
        IngestError::file(self.name, reason)
    }

    pub fn item_error(&self, item: usize, reason: ErrorReason) -> IngestError {
        IngestError::item(self.name, item, reason)
    }
}

fn read_format<R: BufRead>(source: &SourceName<'_>, format: Format, reader: R, sink: Sink<'_>) {
    match format {
        Format::Json => json::read_json(source, reader, sink),
        Format::JsonLines => json::read_json_lines(source, reader, sink),
        Format::Text | Format::Html | Format::Feed => {
            let bytes = match read_bounded(source, reader) {
                Ok(bytes) => bytes,
                Err(reason) => return sink(Err(source.error(reason))),
            };
            let dated = |doc: Result<SourceDocument, ErrorReason>| {
                doc.map(|mut d| {
                    if d.date.is_none() {
                        d.date = source.stem.as_deref().and_then(date_from_stem);
                    }
                    d
                })
                .map_err(|r| source.error(r))
            };
            match format {
                Format::Text => sink(dated(text::read_text(source, &bytes))),
                Format::Html => sink(dated(html::read_html(source, &bytes))),
                _ => feed::read_feed(source, &bytes, sink),
            }
        }
    }
}

/// The date a file name starts with, `YYYY-MM-DD` (as in
/// `2024-06-22_tass.txt`): the usual way to keep the publication date of a
/// saved page whose text does not carry one. Used only when the document
/// itself gives no date.
pub(crate) fn date_from_stem(stem: &str) -> Option<String> {
    let head = stem.get(..10)?;
    let rest = &stem[10..];
    if !(rest.is_empty() || rest.starts_with(['_', '-', ' ', '.'])) {
        return None;
    }
    crate::date::normalize_date(head).filter(|d| d.len() >= 10 && d.starts_with(head))
}

/// Reads a whole one-document input, refusing more than
/// [`MAX_DOCUMENT_BYTES`] (checked before reading when the size is known).
fn read_bounded<R: Read>(source: &SourceName<'_>, reader: R) -> Result<Vec<u8>, ErrorReason> {
    if let Some(size) = source.size.filter(|&s| s > MAX_DOCUMENT_BYTES) {
        return Err(ErrorReason::TooLarge { size, limit: MAX_DOCUMENT_BYTES });
    }
    let mut bytes = Vec::with_capacity(source.size.unwrap_or(0) as usize);
    reader.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut bytes).map_err(ErrorReason::Io)?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(ErrorReason::TooLarge { size: bytes.len() as u64, limit: MAX_DOCUMENT_BYTES });
    }
    if bytes.is_empty() {
        return Err(ErrorReason::Empty);
    }
    Ok(bytes)
}

/// The body form every reader produces: one paragraph a line, each line
/// trimmed, blank lines dropped.
pub(crate) fn paragraph_lines(text: &str) -> String {
    let mut body = String::with_capacity(text.len());
    for line in text.split(['\n', '\r', '\u{2028}', '\u{2029}']) {
        let line = line.trim();
        if !line.is_empty() {
            if !body.is_empty() {
                body.push('\n');
            }
            body.push_str(line);
        }
    }
    body
}

/// A stable id from content, for items without one: the first 16 hex digits
/// of xxh3-128 over the parts, each followed by a newline.
pub(crate) fn content_id(parts: &[&str]) -> String {
    let mut joined = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for part in parts {
        joined.push_str(part);
        joined.push('\n');
    }
    let hex = format!("{:032x}", xxh3_128(joined.as_bytes()));
    hex[..16].to_string()
}

/// True when `text` carries HTML markup worth converting (a JSON `content`
/// field exported from a CMS, a feed summary).
pub(crate) fn looks_like_html(text: &str) -> bool {
    let lower_has = |tag: &str| {
        text.match_indices('<')
            .any(|(i, _)| text[i + 1..].get(..tag.len()).is_some_and(|t| t.eq_ignore_ascii_case(tag)))
    };
    ["p>", "p ", "br", "div", "/p>", "li>", "h1", "h2", "h3", "blockquote", "span", "a "]
        .iter()
        .any(|tag| lower_has(tag))
}

/// Reads one line (up to `\n`) into `buf` without its terminator, refusing to
/// buffer more than `limit` bytes: a longer line is skipped to its end.
pub(crate) fn read_line_limited<R: BufRead>(reader: &mut R, buf: &mut Vec<u8>, limit: usize) -> io::Result<LineRead> {
    buf.clear();
    let mut total = 0u64;
    let mut any = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (part, found_newline) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], true),
            None => (chunk, false),
        };
        total += part.len() as u64;
        if total <= limit as u64 {
            buf.extend_from_slice(part);
        }
        let used = part.len() + usize::from(found_newline);
        reader.consume(used);
        if found_newline {
            break;
        }
    }
    if !any {
        return Ok(LineRead::Eof);
    }
    if total > limit as u64 {
        buf.clear();
        return Ok(LineRead::TooLong(total));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(LineRead::Line)
}

/// What [`read_line_limited`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LineRead {
    Eof,
    Line,
    /// A line of this many bytes, skipped.
    TooLong(u64),
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_may_carry_the_date() {
        assert_eq!(super::date_from_stem("2024-06-22_tass").as_deref(), Some("2024-06-22"));
        assert_eq!(super::date_from_stem("2024-06-22").as_deref(), Some("2024-06-22"));
        assert_eq!(super::date_from_stem("2024-13-22_x"), None);
        assert_eq!(super::date_from_stem("20240622_x"), None);
        assert_eq!(super::date_from_stem("002_da7c"), None);
    }

    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(format_for_path(Path::new("a/b.TXT")), Some(Format::Text));
        assert_eq!(format_for_path(Path::new("a.htm")), Some(Format::Html));
        assert_eq!(format_for_path(Path::new("a.ndjson")), Some(Format::JsonLines));
        assert_eq!(format_for_path(Path::new("a.atom")), Some(Format::Feed));
        assert_eq!(format_for_path(Path::new("a.docx")), None);
        assert_eq!(format_for_path(Path::new("README")), None);
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff_format(b"  [{\"a\":1}]"), Format::Json);
        assert_eq!(sniff_format(b"{\"a\":1}\n{\"a\":2}"), Format::Json);
        assert_eq!(sniff_format(b"<?xml version=\"1.0\"?><rss>"), Format::Feed);
        assert_eq!(sniff_format(b"<feed xmlns=\"http://www.w3.org/2005/Atom\">"), Format::Feed);
        assert_eq!(sniff_format(b"<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(sniff_format(b"<?xml version=\"1.0\"?><html>"), Format::Html);
        assert_eq!(sniff_format("نص عادي".as_bytes()), Format::Text);
    }

    #[test]
    fn paragraph_lines_trims_and_drops_blanks() {
        assert_eq!(paragraph_lines("  أ \r\n\r\n ب\n\n\nج  "), "أ\nب\nج");
        assert_eq!(paragraph_lines(" \n "), "");
    }

    #[test]
    fn limited_lines() {
        let mut r = Cursor::new(b"abc\r\n0123456789\nxy".to_vec());
        let mut buf = Vec::new();
        assert_eq!(read_line_limited(&mut r, &mut buf, 5).unwrap(), LineRead::Line);
        assert_eq!(buf, b"abc");
        assert_eq!(read_line_limited(&mut r, &mut buf, 5).unwrap(), LineRead::TooLong(10));
        assert_eq!(read_line_limited(&mut r, &mut buf, 5).unwrap(), LineRead::Line);
        assert_eq!(buf, b"xy");
        assert_eq!(read_line_limited(&mut r, &mut buf, 5).unwrap(), LineRead::Eof);
    }
}
