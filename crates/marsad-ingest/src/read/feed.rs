//! RSS and Atom feeds: one document per entry.
//!
//! [feed-rs] parses RSS 0.9x/1.0/2.0, Atom and JSON Feed into one model, so
//! the reader only maps fields: entry title, the first (alternate) link,
//! published (else updated) date, first author, content (else summary) as
//! text with paragraphs apart, and the feed's title as the source.
//!
//! Three details feed-rs does not decide for us:
//!
//! * **Ids.** feed-rs invents an id for entries without one, from a hash of
//!   the link or, failing that, a random UUID — which would give the same
//!   entry a new id on every ingest. The parser is built with an id generator
//!   that returns nothing, and such entries get a content hash instead. Ids
//!   that are present are sanitized (whitespace and control characters
//!   replaced) and kept.
//! * **Raw text.** The entry's own `<item>`/`<entry>` XML is kept as `raw`,
//!   found by a scan of the document; if the scan and feed-rs disagree on
//!   the number of entries, the parsed entry is stored as JSON instead.
//! * **Dates.** feed-rs converts dates to UTC. The date written in the
//!   entry is read from its raw XML first, so the local date is kept, as for
//!   every other format (see [`crate::normalize_date`]).

use feed_rs::model::{Entry, Text};

use crate::date::normalize_date;
use crate::decode::looks_like_text;
use crate::document::{Format, SourceDocument};
use crate::error::ErrorReason;

use super::{content_id, html_fragment_to_text, looks_like_html, paragraph_lines, Sink, SourceName};

pub(crate) fn read_feed(source: &SourceName<'_>, bytes: &[u8], sink: Sink<'_>) {
    let parser = feed_rs::parser::Builder::new().id_generator(|_, _, _| String::new()).build();
    let feed = match parser.parse(bytes) {
        Ok(feed) => feed,
        Err(e) => return sink(Err(source.error(ErrorReason::MalformedFeed(e.to_string())))),
    };
    let feed_title = feed.title.as_ref().map(text_of).filter(|t| !t.is_empty());
    let document = decode_for_scan(bytes);
    let raw_items = item_slices(&document);
    let raw_items = (raw_items.len() == feed.entries.len()).then_some(raw_items);
    if feed.entries.is_empty() {
        return sink(Err(source.error(ErrorReason::MalformedFeed("the feed has no entries".into()))));
    }
    for (i, entry) in feed.entries.iter().enumerate() {
        let item = i + 1;
        let raw_item = raw_items.as_ref().map(|items| items[i]);
        let doc = entry_document(source, item, entry, raw_item, feed_title.clone());
        sink(doc.map_err(|reason| source.item_error(item, reason)));
    }
}

fn entry_document(
    source: &SourceName<'_>,
    item: usize,
    entry: &Entry,
    raw_item: Option<&str>,
    feed_title: Option<String>,
) -> Result<SourceDocument, ErrorReason> {
    let html = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .filter(|b| !b.trim().is_empty())
        .or_else(|| entry.summary.as_ref().map(|s| s.content.as_str()).filter(|s| !s.trim().is_empty()));
    let Some(html) = html else {
        return Err(ErrorReason::EmptyEntry);
    };
    let body = if looks_like_html(html) { html_fragment_to_text(html) } else { paragraph_lines(html) };
    if body.is_empty() {
        return Err(ErrorReason::EmptyEntry);
    }
    let title = entry.title.as_ref().map(text_of).filter(|t| !t.is_empty());
    let url = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|h| !h.is_empty());
    let author = entry.authors.first().and_then(|p| p.name.as_deref()).and_then(person_name);
    let date = raw_item
        .and_then(written_date)
        .or_else(|| entry.published.or(entry.updated).map(|d| d.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string()));
    let id = sanitize_id(&entry.id)
        .unwrap_or_else(|| content_id(&[url.as_deref().unwrap_or(""), title.as_deref().unwrap_or(""), &body]));
    let raw = match raw_item {
        Some(xml) => xml.to_string(),
        None => serde_json::to_string(entry).unwrap_or_default(),
    };
    Ok(SourceDocument {
        id,
        title,
        source: feed_title,
        url,
        author,
        date,
        body,
        raw,
        origin: source.origin(item),
        format: Format::Feed,
        encoding_note: None,
    })
}

/// A feed text element as plain text (titles may be typed `html`).
fn text_of(text: &Text) -> String {
    let content = text.content.trim();
    let plain = if looks_like_html(content) { html_fragment_to_text(content) } else { content.to_string() };
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// RSS `<author>` is an e-mail address, often `name@example.com (Name)`:
/// keep the name when there is one.
fn person_name(name: &str) -> Option<String> {
    let name = name.trim();
    let name = match (name.find('('), name.rfind(')')) {
        (Some(open), Some(close)) if open < close && (open == 0 || name[..open].contains('@')) => {
            name[open + 1..close].trim()
        }
        _ => name,
    };
    (!name.is_empty()).then(|| name.to_string())
}

/// Entry ids are kept (they are the publisher's stable key) with whitespace
/// and control characters replaced, and length capped.
fn sanitize_id(id: &str) -> Option<String> {
    let id: String =
        id.trim().chars().map(|c| if c.is_whitespace() || c.is_control() { '_' } else { c }).take(200).collect();
    (!id.is_empty()).then_some(id)
}

/// The document as text, for finding raw entries: UTF-8, or the encoding the
/// XML declaration names, or lossy UTF-8.
fn decode_for_scan(bytes: &[u8]) -> String {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.trim_start_matches('\u{FEFF}').to_string();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_string();
    let declared = head
        .split_once("encoding=")
        .and_then(|(_, rest)| {
            let rest = rest.trim_start_matches(['"', '\'']);
            rest.split(['"', '\'']).next()
        })
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));
    if let Some(encoding) = declared {
        let (text, _, _) = encoding.decode(bytes);
        if looks_like_text(&text) {
            return text.into_owned();
        }
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// The `<item>…</item>` (RSS) or `<entry>…</entry>` (Atom) elements of a feed,
/// in document order.
fn item_slices(document: &str) -> Vec<&str> {
    for tag in ["item", "entry"] {
        let open = format!("<{tag}");
        let close = format!("</{tag}>");
        let mut items = Vec::new();
        let mut pos = 0;
        while let Some(found) = document[pos..].find(&open) {
            let start = pos + found;
            let after = document[start + open.len()..].chars().next();
            if !matches!(after, Some(c) if c == '>' || c == '/' || c.is_whitespace()) {
                pos = start + open.len();
                continue;
            }
            let Some(end) = document[start..].find(&close) else {
                break;
            };
            let end = start + end + close.len();
            items.push(&document[start..end]);
            pos = end;
        }
        if !items.is_empty() {
            return items;
        }
    }
    Vec::new()
}

/// The publication date as written in the entry's XML.
fn written_date(item: &str) -> Option<String> {
    for tag in ["pubDate", "published", "dc:date", "updated"] {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        if let Some(start) = item.find(&open) {
            let rest = &item[start + open.len()..];
            if let Some(end) = rest.find(&close) {
                let value = rest[..end].trim().trim_start_matches("<![CDATA[").trim_end_matches("]]>");
                if let Some(date) = normalize_date(value) {
                    return Some(date);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_people() {
        assert_eq!(sanitize_id(" tag:x.org,2023:1 ").as_deref(), Some("tag:x.org,2023:1"));
        assert_eq!(sanitize_id("a b\tc").as_deref(), Some("a_b_c"));
        assert_eq!(sanitize_id("  "), None);
        assert_eq!(person_name("news@example.com (سارة أحمد)").as_deref(), Some("سارة أحمد"));
        assert_eq!(person_name("سارة أحمد").as_deref(), Some("سارة أحمد"));
        assert_eq!(person_name("(سارة أحمد)").as_deref(), Some("سارة أحمد"));
    }

    #[test]
    fn item_scan() {
        let xml = "<rss><channel><item><title>a</title></item><items/><item >b</item></channel></rss>";
        assert_eq!(item_slices(xml), vec!["<item><title>a</title></item>", "<item >b</item>"]);
        assert_eq!(
            written_date("<item><pubDate>Wed, 13 Sep 2023 23:30:00 +0300</pubDate></item>").as_deref(),
            Some("2023-09-13T23:30:00")
        );
    }
}
