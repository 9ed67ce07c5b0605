//! HTML pages: the article, not the page.
//!
//! A saved news page is mostly navigation, related links, comment widgets and
//! scripts; the article is a few `<p>` elements somewhere in the middle.
//! [dom_smoothie] (a port of Mozilla's Readability, the algorithm behind
//! Firefox Reader View) scores the DOM and returns the main content. Its
//! "formatted" text mode ends every block element (`p`, `div`, headings,
//! `blockquote`, list items, `br`) with a line break, so paragraphs stay apart
//! — essential here, since cleaning and the store work paragraph by paragraph.
//!
//! Metadata is read from the page head, in order of reliability: Open Graph
//! and `article:` meta tags, JSON-LD (through dom_smoothie), `<time
//! datetime>`, then generic `<meta name=…>` tags. Dates are normalized to ISO
//! by [`crate::normalize_date`].
//!
//! Readability gives up on pages without an article-like block (a list page,
//! a one-paragraph notice). Then all visible text of `<body>` is used, without
//! scripts and styles; only a page with no visible text at all is an error.
//! The HTML parser (html5ever) accepts any input the way browsers do, and the
//! extraction runs behind `catch_unwind`, so malformed HTML never panics the
//! reader.

use std::panic::{catch_unwind, AssertUnwindSafe};

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};

use crate::date::normalize_date;
use crate::decode::{declared_html_charset, decode_text};
use crate::document::{Format, SourceDocument};
use crate::error::ErrorReason;

use super::{content_id, paragraph_lines, SourceName};

pub(crate) fn read_html(source: &SourceName<'_>, bytes: &[u8]) -> Result<SourceDocument, ErrorReason> {
    let decoded = decode_text(bytes, declared_html_charset(bytes))?;
    let raw = decoded.text;
    let page = PageMetadata::from_html(&raw);
    let article = catch_unwind(AssertUnwindSafe(|| readable_article(&raw))).ok().flatten();

    let mut body = article.as_ref().map(|a| paragraph_lines(&a.text)).unwrap_or_default();
    if body.is_empty() {
        body = catch_unwind(AssertUnwindSafe(|| visible_body_text(&raw))).unwrap_or_default();
    }
    if body.is_empty() {
        return Err(ErrorReason::NoReadableText);
    }

    let pick = |values: &[Option<&String>]| {
        values.iter().flatten().map(|s| s.trim()).find(|s| !s.is_empty()).map(str::to_string)
    };
    let a = article.as_ref();
    let title = pick(&[a.map(|a| &a.title), page.og_title.as_ref(), page.title_element.as_ref()]);
    let url = pick(&[page.og_url.as_ref(), page.canonical.as_ref(), a.and_then(|a| a.url.as_ref())]);
    let source_name = pick(&[page.site_name.as_ref(), a.and_then(|a| a.site_name.as_ref())])
        .or_else(|| url.as_deref().and_then(host_of));
    let author = pick(&[page.author.as_ref(), a.and_then(|a| a.byline.as_ref())]);
    let date = [
        page.published.as_ref(),
        a.and_then(|a| a.published_time.as_ref()),
        page.time_element.as_ref(),
        page.meta_date.as_ref(),
    ]
    .into_iter()
    .flatten()
    .find_map(|d| normalize_date(d));

    let id = source.stem.clone().unwrap_or_else(|| content_id(&[url.as_deref().unwrap_or(""), &body]));
    Ok(SourceDocument {
        id,
        title,
        source: source_name,
        url,
        author,
        date,
        body,
        raw,
        origin: source.name.to_string(),
        format: Format::Html,
        encoding_note: decoded.note,
    })
}

/// What Readability found.
struct ReadableArticle {
    title: String,
    text: String,
    byline: Option<String>,
    site_name: Option<String>,
    published_time: Option<String>,
    url: Option<String>,
}

fn readable_article(html: &str) -> Option<ReadableArticle> {
    let config = Config { text_mode: TextMode::Formatted, ..Config::default() };
    let mut readability = Readability::new(html, None, Some(config)).ok()?;
    let article = readability.parse().ok()?;
    Some(ReadableArticle {
        title: article.title,
        text: article.text_content.to_string(),
        byline: article.byline,
        site_name: article.site_name,
        published_time: article.published_time,
        url: article.url,
    })
}

/// Elements whose text is never shown.
const INVISIBLE: &str = "script, style, noscript, template, svg, iframe, object, head";

/// All visible text of `<body>`, one block a line.
fn visible_body_text(html: &str) -> String {
    let doc = Document::from(html);
    doc.select(INVISIBLE).remove();
    paragraph_lines(&doc.select("body").formatted_text())
}

/// An HTML fragment (feed item content, a CMS export field) as text, one
/// block a line, entities decoded.
pub(crate) fn html_fragment_to_text(html: &str) -> String {
    catch_unwind(AssertUnwindSafe(|| {
        let doc = Document::fragment(html);
        doc.select(INVISIBLE).remove();
        paragraph_lines(&doc.formatted_text())
    }))
    .unwrap_or_default()
}

/// Metadata read directly from the page head.
#[derive(Debug, Default)]
struct PageMetadata {
    og_title: Option<String>,
    title_element: Option<String>,
    site_name: Option<String>,
    og_url: Option<String>,
    canonical: Option<String>,
    author: Option<String>,
    published: Option<String>,
    time_element: Option<String>,
    meta_date: Option<String>,
}

impl PageMetadata {
    fn from_html(html: &str) -> PageMetadata {
        catch_unwind(AssertUnwindSafe(|| PageMetadata::extract(&Document::from(html)))).unwrap_or_default()
    }

    fn extract(doc: &Document) -> PageMetadata {
        // (key, content) of every <meta>, key = property / name / itemprop,
        // lowercased, so look-ups are case-insensitive.
        let mut metas: Vec<(String, String)> = Vec::new();
        for node in doc.select("meta").nodes() {
            let Some(content) = node.attr("content") else {
                continue;
            };
            let content = content.trim().to_string();
            if content.is_empty() {
                continue;
            }
            for key_attr in ["property", "name", "itemprop"] {
                if let Some(key) = node.attr(key_attr) {
                    metas.push((key.trim().to_ascii_lowercase(), content.clone()));
                }
            }
        }
        let meta =
            |keys: &[&str]| keys.iter().find_map(|k| metas.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()));
        let text_of = |selector: &str| {
            let sel = doc.select(selector);
            let text = sel.first().text().trim().to_string();
            (!text.is_empty()).then_some(text)
        };
        let attr_of = |selector: &str, attr: &str| {
            doc.select(selector)
                .nodes()
                .iter()
                .find_map(|n| n.attr(attr).map(|v| v.trim().to_string()).filter(|v| !v.is_empty()))
        };
        let author = meta(&["author", "article:author", "byl", "dc.creator", "sailthru.author", "parsely-author"])
            .filter(|a| !a.starts_with("http"));
        PageMetadata {
            og_title: meta(&["og:title", "twitter:title"]),
            title_element: text_of("title"),
            site_name: meta(&["og:site_name", "application-name"]),
            og_url: meta(&["og:url"]),
            canonical: attr_of("link[rel=canonical]", "href"),
            author,
            published: meta(&["article:published_time", "og:published_time", "datepublished"]),
            time_element: attr_of("time[datetime]", "datetime"),
            meta_date: meta(&[
                "date",
                "pubdate",
                "publishdate",
                "publish-date",
                "dc.date.issued",
                "dc.date",
                "dcterms.created",
                "sailthru.date",
                "parsely-pub-date",
                "article:modified_time",
            ]),
        }
    }
}

/// The host of an absolute URL, without `www.`: the outlet when the page
/// names no site.
pub(crate) fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> SourceName<'static> {
        SourceName { name: "page.html", stem: Some("page".into()), size: None }
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://www.example.com/a/b?c").as_deref(), Some("example.com"));
        assert_eq!(host_of("http://news.example.org:8080").as_deref(), Some("news.example.org"));
        assert_eq!(host_of("/relative"), None);
    }

    #[test]
    fn fragments_keep_paragraphs_apart() {
        let text = html_fragment_to_text("<p>الفقرة&nbsp;الأولى</p><p>الثانية<br>سطر &amp; آخر</p><script>x()</script>");
        assert_eq!(text, "الفقرة الأولى\nالثانية\nسطر & آخر");
    }

    #[test]
    fn page_without_article_falls_back_to_body() {
        let doc =
            read_html(&source(), "<html><body><div>سطر قصير</div><script>var a;</script></body></html>".as_bytes())
                .unwrap();
        assert_eq!(doc.body, "سطر قصير");
        assert!(matches!(
            read_html(&source(), b"<html><body><script>x</script></body></html>"),
            Err(ErrorReason::NoReadableText)
        ));
    }
}
