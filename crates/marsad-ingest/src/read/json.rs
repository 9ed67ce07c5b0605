//! JSON and JSON Lines: article objects, streamed one at a time.
//!
//! News dumps come as a JSON array (`[{…}, {…}, …]`, as in SaudiNewsNet), as
//! JSON Lines (one object a line), or as a single object; `.json` files are
//! found holding any of the three. They can be hundreds of megabytes, so none
//! of them is ever parsed into one `serde_json::Value`:
//!
//! * **Arrays** are read with serde's `deserialize_seq`, through a visitor
//!   that takes one element at a time as a `Box<RawValue>` (its exact text,
//!   kept as `raw`) and hands the article to the sink before reading the
//!   next. Memory is bounded by the largest element, not the file.
//! * **JSON Lines** are read line by line from a `BufReader`; one bad line is
//!   an error for that item and the next line is read normally. Lines longer
//!   than [`MAX_DOCUMENT_BYTES`] are skipped without being buffered.
//! * A `.json` file starting with `{` is JSON Lines when its first line is a
//!   complete object, otherwise one (pretty-printed) object, or several
//!   concatenated.
//!
//! Field names are matched case-insensitively, with aliases for the names
//! different exporters use:
//!
//! | field    | accepted names                                              |
//! |----------|-------------------------------------------------------------|
//! | body     | `content`, `text`, `body` (string, or array of strings)     |
//! | title    | `title`, `headline`                                         |
//! | source   | `source`, `site`, `outlet` (string, or object with `name`)  |
//! | url      | `url`, `link`                                               |
//! | date     | `date`, `published`, `published_at`, `date_extracted`, `pubDate` (string, or Unix timestamp) |
//! | author   | `author`, `byline` (string, or array of strings)            |
//! | id       | `id` (string or number)                                     |
//!
//! An item without a body field is an error for that item; a body field that
//! is present but empty gives a document with an empty body (the data says
//! so, and it is counted, not lost). Bodies that carry HTML markup are turned
//! into text. An item without `id` gets a content hash of url, title and
//! body.

use std::fmt;
use std::io::{BufRead, Cursor, Read};

use serde::de::{Deserializer as _, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::date::{from_unix_timestamp, normalize_date};
use crate::document::{Format, SourceDocument};
use crate::error::ErrorReason;

use super::{
    content_id, html_fragment_to_text, looks_like_html, paragraph_lines, read_line_limited, LineRead, Sink, SourceName,
    MAX_DOCUMENT_BYTES,
};

const BODY_FIELDS: &[&str] = &["content", "text", "body"];
const TITLE_FIELDS: &[&str] = &["title", "headline"];
const SOURCE_FIELDS: &[&str] = &["source", "site", "outlet"];
const URL_FIELDS: &[&str] = &["url", "link"];
const DATE_FIELDS: &[&str] = &["date", "published", "published_at", "date_extracted", "pubdate"];
const AUTHOR_FIELDS: &[&str] = &["author", "byline"];
const ID_FIELDS: &[&str] = &["id"];

/// A `.json` file: an array, one object, or JSON Lines.
pub(crate) fn read_json<R: BufRead>(source: &SourceName<'_>, mut reader: R, sink: Sink<'_>) {
    let (first, skipped_lines) = match skip_to_content(&mut reader) {
        Ok(Some(found)) => found,
        Ok(None) => return sink(Err(source.error(ErrorReason::Empty))),
        Err(e) => return sink(Err(source.error(ErrorReason::Io(e)))),
    };
    match first {
        b'[' => read_array(source, reader, skipped_lines, sink),
        b'{' => read_object_or_lines(source, reader, skipped_lines, sink),
        _ => {
            // Not JSON at all: let serde_json describe where and why.
            let err = serde_json::from_reader::<_, Value>(reader).err();
            let reason = err.map_or(ErrorReason::NotAnObject { found: "a scalar" }, |e| malformed(&e, skipped_lines));
            sink(Err(source.error(reason)))
        }
    }
}

/// A `.jsonl` / `.ndjson` file.
pub(crate) fn read_json_lines<R: BufRead>(source: &SourceName<'_>, mut reader: R, sink: Sink<'_>) {
    let skipped_lines = match skip_to_content(&mut reader) {
        Ok(Some((_, skipped_lines))) => skipped_lines,
        Ok(None) => return sink(Err(source.error(ErrorReason::Empty))),
        Err(e) => return sink(Err(source.error(ErrorReason::Io(e)))),
    };
    read_lines(source, reader, 1, skipped_lines, sink);
}

/// Consumes a UTF-8 BOM and the blank lines before the content; returns the
/// first significant byte (not consumed) and the number of lines consumed,
/// so that line numbers in messages stay those of the file.
fn skip_to_content<R: BufRead>(reader: &mut R) -> std::io::Result<Option<(u8, usize)>> {
    let mut newlines = 0;
    let mut at_start = true;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        if at_start && buf.starts_with(b"\xEF\xBB\xBF") {
            reader.consume(3);
            at_start = false;
            continue;
        }
        at_start = false;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                newlines += buf[..i].iter().filter(|&&b| b == b'\n').count();
                let byte = buf[i];
                // Consume whole lines only: up to the last newline before
                // the content.
                let consume = buf[..i].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
                reader.consume(consume);
                return Ok(Some((byte, newlines)));
            }
            None => {
                newlines += buf.iter().filter(|&&b| b == b'\n').count();
                let len = buf.len();
                reader.consume(len);
            }
        }
    }
}

/// JSON Lines from the current position. `first_item` and `line_offset` let
/// [`read_object_or_lines`] hand over after reading the first line itself.
fn read_lines<R: BufRead>(
    source: &SourceName<'_>,
    mut reader: R,
    first_item: usize,
    line_offset: usize,
    sink: Sink<'_>,
) {
    let mut item = first_item;
    let mut line_no = line_offset;
    let mut buf = Vec::new();
    loop {
        line_no += 1;
        match read_line_limited(&mut reader, &mut buf, MAX_DOCUMENT_BYTES as usize) {
            Ok(LineRead::Eof) => return,
            Ok(LineRead::Line) => {
                if buf.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                sink(line_item(source, item, line_no, &buf));
                item += 1;
            }
            Ok(LineRead::TooLong(size)) => {
                let reason = ErrorReason::LineTooLong { line: line_no, size, limit: MAX_DOCUMENT_BYTES };
                sink(Err(source.item_error(item, reason)));
                item += 1;
            }
            Err(e) => return sink(Err(source.item_error(item, ErrorReason::Io(e)))),
        }
    }
}

fn line_item(
    source: &SourceName<'_>,
    item: usize,
    line_no: usize,
    line: &[u8],
) -> Result<SourceDocument, crate::IngestError> {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    let text =
        std::str::from_utf8(line).map_err(|_| source.item_error(item, ErrorReason::LineNotUtf8 { line: line_no }))?;
    article_from_json(text.trim(), source.origin(item), Format::JsonLines).map_err(|reason| {
        let reason = match reason {
            ErrorReason::MalformedJson { line, column, message } => {
                ErrorReason::MalformedJson { line: line + line_no - 1, column, message }
            }
            other => other,
        };
        source.item_error(item, reason)
    })
}

/// A `.json` file starting with `{`: JSON Lines if the first line is a whole
/// object, else one object (or several concatenated).
fn read_object_or_lines<R: BufRead>(source: &SourceName<'_>, mut reader: R, skipped_lines: usize, sink: Sink<'_>) {
    let mut first_line = Vec::new();
    match read_line_limited(&mut reader, &mut first_line, MAX_DOCUMENT_BYTES as usize) {
        Ok(LineRead::Line) => {}
        Ok(LineRead::Eof) => return sink(Err(source.error(ErrorReason::Empty))),
        Ok(LineRead::TooLong(size)) => {
            let reason = ErrorReason::LineTooLong { line: 1, size, limit: MAX_DOCUMENT_BYTES };
            return sink(Err(source.item_error(1, reason)));
        }
        Err(e) => return sink(Err(source.error(ErrorReason::Io(e)))),
    }
    if serde_json::from_slice::<&RawValue>(&first_line).is_err() {
        // Not a whole object on line 1: one pretty-printed object, or several.
        first_line.push(b'\n');
        let chained = Cursor::new(first_line).chain(reader);
        return read_concatenated_objects(source, chained, skipped_lines, sink);
    }
    // The first line is a whole object. If anything follows, the file is JSON
    // Lines and the first line is item 1; if nothing does, it is a
    // one-document file. Hold the first item until the next one shows up.
    let mut pending = Some(first_line);
    {
        let mut forward = |result: Result<SourceDocument, crate::IngestError>| {
            if let Some(first) = pending.take() {
                sink(line_item(source, 1, skipped_lines + 1, &first));
            }
            sink(result);
        };
        read_lines(source, reader, 2, skipped_lines + 1, &mut forward);
    }
    if let Some(first) = pending {
        let doc = std::str::from_utf8(&first)
            .map_err(|_| ErrorReason::LineNotUtf8 { line: skipped_lines + 1 })
            .and_then(|text| article_from_json(text.trim(), source.name.to_string(), Format::Json));
        sink(doc.map_err(|reason| source.error(reason)));
    }
}

/// One object, or several concatenated (pretty-printed JSON Lines).
fn read_concatenated_objects<R: Read>(source: &SourceName<'_>, reader: R, skipped_lines: usize, sink: Sink<'_>) {
    let stream = serde_json::Deserializer::from_reader(reader).into_iter::<Box<RawValue>>();
    // Held back one step: a file holding exactly one object is a one-document
    // file (origin = path), which is only known at the end.
    let mut pending: Option<Box<RawValue>> = None;
    let mut count = 0;
    for next in stream {
        match next {
            Ok(raw) => {
                if let Some(prev) = pending.replace(raw) {
                    sink(numbered_item(source, count, prev.get()));
                }
                count += 1;
            }
            Err(e) => {
                if let Some(prev) = pending.take() {
                    sink(numbered_item(source, count, prev.get()));
                }
                let reason = malformed(&e, skipped_lines);
                return sink(Err(source.item_error(count + 1, reason)));
            }
        }
    }
    if let Some(last) = pending {
        if count == 1 {
            let doc = article_from_json(last.get(), source.name.to_string(), Format::Json);
            sink(doc.map_err(|reason| source.error(reason)));
        } else {
            sink(numbered_item(source, count, last.get()));
        }
    }
}

fn numbered_item(source: &SourceName<'_>, item: usize, raw: &str) -> Result<SourceDocument, crate::IngestError> {
    article_from_json(raw, source.origin(item), Format::Json).map_err(|reason| source.item_error(item, reason))
}

/// A JSON array, one element at a time.
fn read_array<R: Read>(source: &SourceName<'_>, reader: R, skipped_lines: usize, sink: Sink<'_>) {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut visitor = ArrayVisitor { source, sink: &mut *sink, count: 0 };
    let result = (&mut de).deserialize_seq(&mut visitor);
    let count = visitor.count;
    let result = result.and_then(|()| de.end());
    if let Err(e) = result {
        let reason = malformed(&e, skipped_lines);
        // The error is in the element after the last one delivered (or after
        // the array).
        sink(Err(source.item_error(count + 1, reason)));
    }
}

struct ArrayVisitor<'s, 'n, 'k> {
    source: &'s SourceName<'n>,
    sink: Sink<'k>,
    count: usize,
}

impl<'de> Visitor<'de> for &mut ArrayVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of article objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            self.count += 1;
            let item = self.count;
            let doc = article_from_json(raw.get(), self.source.origin(item), Format::Json)
                .map_err(|r| self.source.item_error(item, r));
            (self.sink)(doc);
        }
        Ok(())
    }
}

/// A serde_json error as [`ErrorReason::MalformedJson`], its line shifted by
/// `line_offset`.
fn malformed(e: &serde_json::Error, line_offset: usize) -> ErrorReason {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    ErrorReason::MalformedJson { line: e.line() + line_offset, column: e.column(), message }
}

/// Builds a document from one article object's JSON text.
pub(crate) fn article_from_json(raw: &str, origin: String, format: Format) -> Result<SourceDocument, ErrorReason> {
    let value: Value = serde_json::from_str(raw).map_err(|e| malformed(&e, 0))?;
    let Value::Object(object) = value else {
        return Err(ErrorReason::NotAnObject { found: type_name(&value) });
    };
    let fields = Fields(&object);

    let content = match fields.get(BODY_FIELDS) {
        None => return Err(ErrorReason::MissingText),
        Some((name, value)) => joined_strings(name, value, "\n")?,
    };
    let title = fields.string(TITLE_FIELDS)?;
    let url = fields.string(URL_FIELDS)?;
    let source = match fields.get(SOURCE_FIELDS) {
        Some((_, Value::Object(inner))) => match inner.get("name") {
            Some(Value::String(s)) => non_empty(s),
            _ => None,
        },
        Some((name, value)) => string_value(name, value)?,
        None => None,
    };
    let author = match fields.get(AUTHOR_FIELDS) {
        Some((name, value)) => non_empty(&joined_strings(name, value, "، ")?),
        None => None,
    };
    let date = match fields.get(DATE_FIELDS) {
        Some((_, Value::String(s))) => normalize_date(s),
        Some((_, Value::Number(n))) => n.as_f64().and_then(from_unix_timestamp),
        Some((name, value)) => {
            return Err(wrong_type(name, value, "a string or a number"));
        }
        None => None,
    };
    let id = match fields.get(ID_FIELDS) {
        Some((_, Value::String(s))) => non_empty(s),
        Some((_, Value::Number(n))) => Some(n.to_string()),
        Some((name, value)) => return Err(wrong_type(name, value, "a string or a number")),
        None => None,
    };
    let id =
        id.unwrap_or_else(|| content_id(&[url.as_deref().unwrap_or(""), title.as_deref().unwrap_or(""), &content]));
    let body = if looks_like_html(&content) { html_fragment_to_text(&content) } else { paragraph_lines(&content) };
    Ok(SourceDocument {
        id,
        title,
        source,
        url,
        author,
        date,
        body,
        raw: raw.to_string(),
        origin,
        format,
        encoding_note: None,
    })
}

/// Case-insensitive, alias-aware field look-up; `null` counts as absent.
struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    fn get(&self, names: &[&str]) -> Option<(&'a str, &'a Value)> {
        names.iter().find_map(|name| {
            self.0
                .get_key_value(*name)
                .or_else(|| self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.as_str(), v))
        })
    }

    fn string(&self, names: &[&str]) -> Result<Option<String>, ErrorReason> {
        match self.get(names) {
            Some((name, value)) => string_value(name, value),
            None => Ok(None),
        }
    }
}

fn string_value(name: &str, value: &Value) -> Result<Option<String>, ErrorReason> {
    match value {
        Value::String(s) => Ok(non_empty(s)),
        other => Err(wrong_type(name, other, "a string")),
    }
}

/// A string, or an array of strings joined with `separator`.
fn joined_strings(name: &str, value: &Value, separator: &str) -> Result<String, ErrorReason> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Array(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s) => parts.push(s.as_str()),
                    other => return Err(wrong_type(name, other, "a string or an array of strings")),
                }
            }
            Ok(parts.join(separator))
        }
        other => Err(wrong_type(name, other, "a string")),
    }
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn wrong_type(name: &str, value: &Value, expected: &'static str) -> ErrorReason {
    ErrorReason::WrongType { field: name.to_string(), found: type_name(value), expected }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IngestError;

    fn collect(format: Format, input: &str) -> Vec<Result<SourceDocument, IngestError>> {
        let mut out = Vec::new();
        crate::read_reader("in.json", Some(format), input.as_bytes(), &mut |r| out.push(r));
        out
    }

    #[test]
    fn aliases_dates_and_ids() {
        let doc = article_from_json(
            r#"{"Headline":"عنوان","text":"فقرة أولى\n\n فقرة ثانية","site":"مرصد","link":"http://x/1","published_at":"2015-08-06 01:00:00","byline":["أ","ب"],"id":42}"#,
            "f#1".into(),
            Format::Json,
        )
        .unwrap();
        assert_eq!(doc.title.as_deref(), Some("عنوان"));
        assert_eq!(doc.body, "فقرة أولى\nفقرة ثانية");
        assert_eq!(doc.source.as_deref(), Some("مرصد"));
        assert_eq!(doc.url.as_deref(), Some("http://x/1"));
        assert_eq!(doc.date.as_deref(), Some("2015-08-06T01:00:00"));
        assert_eq!(doc.author.as_deref(), Some("أ، ب"));
        assert_eq!(doc.id, "42");
        let a = article_from_json(r#"{"content":"نص"}"#, "f#1".into(), Format::Json).unwrap();
        let b = article_from_json(r#"{"content":"نص آخر"}"#, "f#2".into(), Format::Json).unwrap();
        assert_eq!(a.id.len(), 16);
        assert_ne!(a.id, b.id);
    }

    #[test]
    fn item_errors() {
        let e = article_from_json(r#"{"title":"t"}"#, "o".into(), Format::Json).unwrap_err();
        assert!(matches!(e, ErrorReason::MissingText));
        let e = article_from_json(r#"{"content":5}"#, "o".into(), Format::Json).unwrap_err();
        assert_eq!(e.to_string(), "field \"content\" is a number, expected a string");
        let e = article_from_json("[1]", "o".into(), Format::Json).unwrap_err();
        assert_eq!(e.to_string(), "expected a JSON object, found an array");
    }

    #[test]
    fn one_pretty_object_is_one_document() {
        let out = collect(Format::Json, "{\n  \"title\": \"ع\",\n  \"content\": \"نص\"\n}\n");
        assert_eq!(out.len(), 1);
        let doc = out[0].as_ref().unwrap();
        assert_eq!(doc.origin, "in.json");
        assert_eq!(doc.format, Format::Json);
    }

    #[test]
    fn jsonl_inside_a_json_file() {
        let out = collect(Format::Json, "{\"content\":\"أ\"}\n\n{\"content\":\"ب\"}\n{bad\n{\"content\":\"ج\"}\n");
        assert_eq!(out.len(), 4);
        assert_eq!(out[0].as_ref().unwrap().origin, "in.json#1");
        assert_eq!(out[1].as_ref().unwrap().body, "ب");
        assert_eq!(out[1].as_ref().unwrap().format, Format::JsonLines);
        let err = out[2].as_ref().unwrap_err();
        assert_eq!(err.item, Some(3));
        assert!(err.to_string().starts_with("in.json#3: malformed JSON at line 4 column 2"), "{err}");
        assert_eq!(out[3].as_ref().unwrap().origin, "in.json#4");
    }

    #[test]
    fn array_with_bad_elements_continues() {
        let out = collect(
            Format::Json,
            "\u{FEFF}[{\"content\":\"أ\"}, 7, {\"title\":\"بلا نص\"}, {\"content\":\"د\",\"id\":\"x\"}]",
        );
        assert_eq!(out.len(), 4);
        assert_eq!(out[0].as_ref().unwrap().origin, "in.json#1");
        assert_eq!(out[1].as_ref().unwrap_err().to_string(), "in.json#2: expected a JSON object, found a number");
        assert_eq!(out[2].as_ref().unwrap_err().to_string(), "in.json#3: missing \"content\"/\"text\" field");
        assert_eq!(out[3].as_ref().unwrap().id, "x");
    }

    #[test]
    fn truncated_array_reports_position() {
        let out = collect(Format::Json, "[{\"content\":\"أ\"},\n {\"content\": ");
        assert_eq!(out.len(), 2);
        let err = out[1].as_ref().unwrap_err();
        assert!(err.to_string().starts_with("in.json#2: malformed JSON at line 2"), "{err}");
    }

    #[test]
    fn line_numbers_count_leading_blank_lines() {
        let out = collect(Format::JsonLines, "\n\n{\"content\":\"أ\"}\n{oops}\n");
        let err = out[1].as_ref().unwrap_err();
        assert!(err.to_string().starts_with("in.json#2: malformed JSON at line 4 column 2"), "{err}");
        let out = collect(Format::Json, "\n\n[{\"content\":\"أ\"},\n oops]");
        let err = out[1].as_ref().unwrap_err();
        assert!(err.to_string().starts_with("in.json#2: malformed JSON at line 4 column 2"), "{err}");
    }

    #[test]
    fn empty_inputs() {
        for format in [Format::Json, Format::JsonLines] {
            let out = collect(format, "  \n ");
            assert_eq!(out.len(), 1);
            assert!(matches!(out[0].as_ref().unwrap_err().reason, ErrorReason::Empty));
        }
    }

    #[test]
    fn html_content_is_converted() {
        let doc = article_from_json(r#"{"content":"<p>أولى</p><p>ثانية</p>"}"#, "o".into(), Format::Json).unwrap();
        assert_eq!(doc.body, "أولى\nثانية");
    }
}
