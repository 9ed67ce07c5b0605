//! The web UI: the files of `assets/`, compiled into the binary.
//!
//! Why embedded: `marsad serve` must work from a single copied binary, with
//! no install step that puts files somewhere. In release builds every file
//! under `assets/` is part of the binary; debug builds read the folder at
//! run time (rust-embed's default), so editing the UI needs no rebuild.
//!
//! The UI is one page with hash routing (`/#/doc/ID`), so the server has
//! only `/` → `index.html` and `/assets/{*path}` → any file, with the
//! content type from the extension. Caching: file names carry no version, so
//! the page, scripts and styles are `no-cache` — the browser keeps them but
//! revalidates each use by ETag (the content hash; a 304 costs a few
//! bytes), and a new build is picked up at once. Fonts, which do not change
//! between builds, are cached for a week without asking.
//!
//! One asset is written by the server instead of read from the folder:
//! `js/vocabulary.js`, the closed vocabularies with their Arabic labels
//! (what `/api/vocabulary` answers) as an ES module. The UI imports it, so
//! it keeps no copy of the labels of its own and a page needs no extra API
//! request for them.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::error::ApiError;
use crate::extract::Segment;

#[derive(RustEmbed)]
#[folder = "assets/"]
#[allow_missing = true]
struct Assets;

/// `GET /`: the page.
pub(crate) async fn index(headers: HeaderMap) -> Response {
    match serve_file("index.html", &headers, "no-cache") {
        Some(response) => response,
        None => ApiError::not_found("the web UI is not built into this server (assets/index.html is missing)")
            .into_response(),
    }
}

/// The path of the written asset under `/assets/`.
const VOCABULARY_MODULE: &str = "js/vocabulary.js";

/// `GET /assets/{*path}`.
pub(crate) async fn file(Segment(path): Segment<String>, headers: HeaderMap) -> Response {
    if path == VOCABULARY_MODULE {
        return vocabulary_module(&headers);
    }
    let cache = if path.starts_with("fonts/") { "public, max-age=604800" } else { "no-cache" };
    match serve_file(&path, &headers, cache) {
        Some(response) => response,
        None => ApiError::not_found(format!("no asset {path:?}")).into_response(),
    }
}

fn serve_file(path: &str, headers: &HeaderMap, cache: &'static str) -> Option<Response> {
    if path.split('/').any(|part| part == ".." || part.is_empty()) {
        return None;
    }
    let file = Assets::get(path)?;
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()[..16]));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let mut response =
        if matches { StatusCode::NOT_MODIFIED.into_response() } else { file.data.into_owned().into_response() };
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&content_type).ok()?);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::ETAG, HeaderValue::from_str(&etag).ok()?);
    Some(response)
}

/// `js/vocabulary.js`: `export default {…}` of [`marsad_engine::Vocabulary::all`].
fn vocabulary_module(headers: &HeaderMap) -> Response {
    use std::hash::{Hash, Hasher};
    let json = serde_json::to_string(&marsad_engine::Vocabulary::all()).unwrap_or_else(|_| "{}".to_string());
    let body = format!("// Written by marsad serve from marsad_engine::Vocabulary.\nexport default {json};\n");
    // The default hasher's keys are fixed: the same text, the same tag.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    let etag = format!("\"v{:016x}\"", hasher.finish());
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if matches { StatusCode::NOT_MODIFIED.into_response() } else { body.into_response() };
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(tag) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, tag);
    }
    response
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every asset path: the embedded files and the written module (for tests
/// and the startup log).
pub fn asset_paths() -> Vec<String> {
    let mut paths: Vec<String> = Assets::iter().map(|p| p.into_owned()).collect();
    paths.push(VOCABULARY_MODULE.to_string());
    paths
}
