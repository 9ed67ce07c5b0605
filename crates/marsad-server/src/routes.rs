//! The `/api` handlers: parse parameters, call one store function on a
//! pooled handle, serialize what it returns.
//!
//! The answers are the same types the CLI prints with `--json`
//! ([`marsad_engine::SearchResults`], [`marsad_engine::responses`], …), so
//! `marsad search Q --json` and `GET /api/search?q=Q` give the same JSON.
//! No handler does analysis of its own, and none can panic on input: every
//! bad parameter is a 400 with a message, every unknown id a 404.
//!
//! Paging: every list takes `limit` and `offset`. A `limit` above the
//! route's maximum is lowered to it (a client asking for "everything" gets a
//! full page, not an error); an `offset` above [`MAX_OFFSET`] is a 400,
//! since no one pages that far and ranking that deep costs memory.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use marsad_engine::marsad_extract::EntityType;
use marsad_engine::{
    CountStep, EntityFilter, EntityLookup, GraphOptions, List, ListOptions, QuoteFilter, ReuseFilter, SearchOptions,
    SummaryScope, TimelineFilter, GROUP_MIN_WORDS,
};
use marsad_engine::{DocumentWithAnalysis, Timeline};
use marsad_engine::{IngestInput, IngestOptions, IngestSummary};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::extract::{Params, Segment};
use crate::pool::Stores;

/// The deepest `offset` any list accepts.
pub const MAX_OFFSET: usize = 100_000;
/// Largest search page.
pub const MAX_SEARCH_LIMIT: usize = 100;
/// Largest page of entities, quotes, reuse groups, stories.
pub const MAX_LIST_LIMIT: usize = 1_000;
/// Hits counted by search facets (see [`marsad_engine::facets`]).
pub const FACET_HITS: usize = 1_000;
/// Largest actor graph served.
pub const MAX_GRAPH_NODES: usize = 2_000;
/// Most titles per story in a story list's preview.
pub const MAX_STORY_PREVIEW: usize = 20;
/// Most characters of context on each side of a reuse occurrence.
pub const MAX_REUSE_CONTEXT: usize = 1_000;

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct AppState {
    pub stores: Arc<Stores>,
    pub token: Option<Arc<str>>,
    pub max_body_bytes: usize,
}

type Answer = Result<JsonText, ApiError>;

/// A JSON body serialized from the typed value on the blocking thread that
/// computed it — directly, not through `serde_json::Value`, which would
/// widen `f32` scores to `f64` and print them differently from the CLI.
pub(crate) struct JsonText(Vec<u8>);

impl IntoResponse for JsonText {
    fn into_response(self) -> Response {
        ([(header::CONTENT_TYPE, "application/json")], self.0).into_response()
    }
}

fn to_json<T: Serialize>(value: &T) -> Answer {
    serde_json::to_vec(value).map(JsonText).map_err(|e| ApiError::internal(format!("cannot encode the answer: {e}")))
}

fn page(limit: Option<usize>, offset: Option<usize>, default: usize, max: usize) -> Result<(usize, usize), ApiError> {
    let offset = offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(ApiError::bad_request(format!("offset {offset} is too large (at most {MAX_OFFSET})")));
    }
    Ok((limit.unwrap_or(default).min(max), offset))
}

/// An optional text parameter: empty counts as absent (`?type=` from a form).
fn given(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

// ---------------------------------------------------------------- search

#[derive(Deserialize)]
pub(crate) struct SearchParams {
    q: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    /// `true`/`1`: add facet counts over the best hits.
    facets: Option<String>,
}

/// `SearchResults` plus, when asked for, `facets`.
#[derive(Serialize)]
struct SearchAnswer {
    #[serde(flatten)]
    results: marsad_engine::SearchResults,
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<marsad_engine::SearchFacets>,
}

pub(crate) async fn search(State(state): State<AppState>, Params(p): Params<SearchParams>) -> Answer {
    let Some(q) = p.q.filter(|q| !q.trim().is_empty()) else {
        return Err(ApiError::bad_request("missing query: /api/search?q=…"));
    };
    let (limit, offset) = page(p.limit, p.offset, List::Search.default_limit(), MAX_SEARCH_LIMIT)?;
    let facets = flag(p.facets.as_deref());
    state
        .stores
        .read(move |store| {
            let results = store.search(&q, SearchOptions { limit, offset })?;
            let facets = if facets { Some(store.search_facets(&q, FACET_HITS)?) } else { None };
            to_json(&SearchAnswer { results, facets })
        })
        .await
}

fn to_value<T: Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError::internal(format!("cannot encode the answer: {e}")))
}

// ---------------------------------------------------------------- documents

/// Deletes one document (and what the views took from it). Needs the
/// bearer token, like every write; 404 for an unknown id.
pub(crate) async fn delete_document(
    State(state): State<AppState>,
    Segment(id): Segment<String>,
    headers: HeaderMap,
) -> Answer {
    authorize(&state, &headers)?;
    let deletion = state.stores.write(move |store| Ok(store.delete(std::slice::from_ref(&id))?)).await?;
    if deletion.deleted.is_empty() {
        return Err(ApiError::not_found(format!("no document with id {:?}", deletion.missing.join(", "))));
    }
    to_json(&deletion)
}

pub(crate) async fn document(State(state): State<AppState>, Segment(id): Segment<String>) -> Answer {
    state
        .stores
        .read(move |store| {
            let Some(record) = store.document(&id)? else {
                return Err(ApiError::not_found(format!("no document with id {id:?}")));
            };
            let analysis = store.analysis(&id)?;
            to_json(&DocumentWithAnalysis { record: &record, analysis: analysis.as_ref() })
        })
        .await
}

#[derive(Deserialize)]
pub(crate) struct DocumentsParams {
    limit: Option<usize>,
    offset: Option<usize>,
}

/// A page of documents (titles, sources, dates), newest first.
pub(crate) async fn documents(State(state): State<AppState>, Params(p): Params<DocumentsParams>) -> Answer {
    let (limit, offset) = page(p.limit, p.offset, List::Documents.default_limit(), MAX_LIST_LIMIT)?;
    state.stores.read(move |store| to_json(&store.list_documents(ListOptions { offset, limit })?)).await
}

/// The original input as it was ingested, as text (`nosniff`: a stored HTML
/// page is shown as source, never rendered).
pub(crate) async fn document_raw(
    State(state): State<AppState>,
    Segment(id): Segment<String>,
) -> Result<Response, ApiError> {
    let raw = state
        .stores
        .read(move |store| store.raw(&id)?.ok_or_else(|| ApiError::not_found(format!("no document with id {id:?}"))))
        .await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], raw).into_response())
}

// ---------------------------------------------------------------- entities

#[derive(Deserialize)]
pub(crate) struct EntitiesParams {
    #[serde(rename = "type")]
    entity_type: Option<String>,
    name: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    /// At most this many ids in each entity's `docs` (`doc_count` has them all).
    doc_ids: Option<usize>,
}

pub(crate) async fn entities(State(state): State<AppState>, Params(p): Params<EntitiesParams>) -> Answer {
    let entity_type =
        match given(p.entity_type) {
            None => None,
            Some(t) => Some(EntityType::parse(&t).ok_or_else(|| {
                ApiError::bad_request(format!("unknown type {t:?} (person, organization, place, misc)"))
            })?),
        };
    let (limit, offset) = page(p.limit, p.offset, List::Entities.default_limit(), MAX_LIST_LIMIT)?;
    let filter = EntityFilter { entity_type, name: given(p.name), offset, limit: Some(limit), doc_ids: p.doc_ids };
    state.stores.read(move |store| to_json(&store.entities(&filter)?)).await
}

/// Found → the profile (200); a name fitting several entities → 300 with
/// `candidates` (the best first), so a client can offer a choice; none → 404.
#[derive(Deserialize)]
pub(crate) struct EntityParams {
    /// At most this many documents, quotes and events (then `totals`).
    limit: Option<usize>,
}

pub(crate) async fn entity(
    State(state): State<AppState>,
    Segment(id_or_name): Segment<String>,
    Params(p): Params<EntityParams>,
) -> Result<Response, ApiError> {
    let key = id_or_name.clone();
    let limit = p.limit.map(|l| l.min(MAX_LIST_LIMIT));
    let lookup = state.stores.read(move |store| Ok(store.entity_limited(&key, limit)?)).await?;
    match lookup {
        EntityLookup::Found(profile) => Ok(Json(profile).into_response()),
        EntityLookup::Ambiguous(candidates) => Err(ApiError::new(
            StatusCode::MULTIPLE_CHOICES,
            format!("{id_or_name:?} matches {} entities; ask for one by id", candidates.len()),
        )
        .with("candidates", to_value(&candidates)?)),
        EntityLookup::NotFound => Err(ApiError::not_found(format!("no entity {id_or_name:?}"))),
    }
}

// ---------------------------------------------------------------- quotes, timeline, graph, stats

#[derive(Deserialize)]
pub(crate) struct QuotesParams {
    speaker: Option<String>,
    doc: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

pub(crate) async fn quotes(State(state): State<AppState>, Params(p): Params<QuotesParams>) -> Answer {
    let (limit, offset) = page(p.limit, p.offset, List::Quotes.default_limit(), MAX_LIST_LIMIT)?;
    let filter = QuoteFilter { speaker: given(p.speaker), doc: given(p.doc), offset, limit: Some(limit) };
    state.stores.read(move |store| to_json(&store.quotes(&filter)?)).await
}

#[derive(Deserialize)]
pub(crate) struct TimelineParams {
    from: Option<String>,
    to: Option<String>,
    entity: Option<String>,
    /// `sports=1` (or `true`) includes sports fixtures.
    sports: Option<String>,
    /// A page of the entries (then `total`); without `limit`, all of them.
    limit: Option<usize>,
    offset: Option<usize>,
    /// `year`, `month` or `day`: add `counts`, entries per period.
    counts: Option<String>,
    /// `1`/`true`: the page counts back from the latest entry.
    latest: Option<String>,
}

pub(crate) async fn timeline(State(state): State<AppState>, Params(p): Params<TimelineParams>) -> Answer {
    let (from, to) = (given(p.from), given(p.to));
    let sports = given(p.sports).is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes"));
    let step = match given(p.counts) {
        None => None,
        Some(s) => Some(
            CountStep::parse(&s)
                .ok_or_else(|| ApiError::bad_request(format!("counts={s:?}: use year, month or day")))?,
        ),
    };
    let paged = p.limit.is_some() || p.offset.is_some();
    let (limit, offset) = match paged {
        true => {
            let (limit, offset) = page(p.limit, p.offset, MAX_LIST_LIMIT, MAX_LIST_LIMIT)?;
            (Some(limit), offset)
        }
        false => (None, 0),
    };
    let latest = flag(p.latest.as_deref());
    let filter = TimelineFilter { from, to, entity: given(p.entity), sports, limit, offset, latest };
    state
        .stores
        .read(move |store| {
            let events = store.timeline(&filter)?;
            let total = if paged { Some(store.timeline_total(&filter)?) } else { None };
            let counts = match step {
                Some(step) => Some(store.timeline_counts(&filter, step)?),
                None => None,
            };
            to_json(&Timeline { events: &events, total, counts: counts.as_deref() })
        })
        .await
}

#[derive(Deserialize)]
pub(crate) struct GraphParams {
    max_nodes: Option<usize>,
    min_weight: Option<usize>,
    /// Keep the heaviest edges only.
    max_edges: Option<usize>,
}

pub(crate) async fn graph(State(state): State<AppState>, Params(p): Params<GraphParams>) -> Answer {
    let options = GraphOptions {
        max_nodes: p.max_nodes.unwrap_or(300).min(MAX_GRAPH_NODES),
        min_weight: p.min_weight.unwrap_or(1),
        max_edges: p.max_edges,
    };
    state.stores.read(move |store| to_json(&store.graph(&options)?)).await
}

pub(crate) async fn stats(State(state): State<AppState>) -> Answer {
    state.stores.read(|store| to_json(&store.stats()?)).await
}

// ---------------------------------------------------------------- reuse, stories, summaries

#[derive(Deserialize)]
pub(crate) struct ReuseParams {
    min_words: Option<u32>,
    doc: Option<String>,
    /// `true`/`1`: only passages shared by two or more documents.
    across: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    /// Add `contexts`: this many characters around each occurrence.
    context: Option<usize>,
    /// At most this many occurrences per group (then `occurrence_count`).
    occurrences: Option<usize>,
}

pub(crate) async fn reuse(State(state): State<AppState>, Params(p): Params<ReuseParams>) -> Answer {
    let (limit, offset) = page(p.limit, p.offset, List::Reuse.default_limit(), MAX_LIST_LIMIT)?;
    let filter = ReuseFilter {
        min_words: p.min_words.unwrap_or(GROUP_MIN_WORDS),
        doc: given(p.doc),
        across_documents: flag(p.across.as_deref()),
        limit: Some(limit),
        offset,
        context: p.context.map(|n| n.min(MAX_REUSE_CONTEXT)),
        occurrences: p.occurrences,
    };
    state.stores.read(move |store| to_json(&store.reuse_groups(&filter)?)).await
}

#[derive(Deserialize)]
pub(crate) struct DuplicatesParams {
    doc: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

pub(crate) async fn duplicates(State(state): State<AppState>, Params(p): Params<DuplicatesParams>) -> Answer {
    let (limit, offset) = page(p.limit, p.offset, List::Duplicates.default_limit(), MAX_LIST_LIMIT)?;
    let doc = given(p.doc);
    state.stores.read(move |store| to_json(&store.duplicates(doc.as_deref(), Some(limit), offset)?)).await
}

#[derive(Deserialize)]
pub(crate) struct StoriesParams {
    limit: Option<usize>,
    offset: Option<usize>,
    /// Add each story's `sources` and its first `preview` `titles`.
    preview: Option<usize>,
}

pub(crate) async fn stories(State(state): State<AppState>, Params(p): Params<StoriesParams>) -> Answer {
    let (limit, offset) = page(p.limit, p.offset, List::Stories.default_limit(), MAX_LIST_LIMIT)?;
    let preview = p.preview.map(|n| n.min(MAX_STORY_PREVIEW));
    state.stores.read(move |store| to_json(&store.stories_with_preview(Some(limit), offset, preview)?)).await
}

/// One story with its documents (`marsad story ID --json`).
pub(crate) async fn story(State(state): State<AppState>, Segment(id): Segment<String>) -> Answer {
    state
        .stores
        .read(move |store| match store.story(&id)? {
            Some(story) => to_json(&story),
            None => Err(ApiError::not_found(format!("no story with id {id:?}"))),
        })
        .await
}

#[derive(Deserialize)]
pub(crate) struct SummaryParams {
    story: Option<String>,
    entity: Option<String>,
    /// Document ids, comma-separated.
    docs: Option<String>,
    sentences: Option<usize>,
    words: Option<usize>,
}

/// At most this many sentences or words in a summary.
const MAX_SUMMARY_SENTENCES: usize = 50;
const MAX_SUMMARY_WORDS: usize = 2_000;

/// One of `story=`, `entity=`, `docs=ID,ID`, or none (the whole corpus).
pub(crate) async fn summary(State(state): State<AppState>, Params(p): Params<SummaryParams>) -> Answer {
    let docs = p.docs.map(|d| d.split(',').map(str::to_string).collect());
    let scope = SummaryScope::from_request(p.story, p.entity, docs)?;
    let sentences = p.sentences.map(|n| n.clamp(1, MAX_SUMMARY_SENTENCES));
    let words = p.words.map(|n| n.clamp(1, MAX_SUMMARY_WORDS));
    state.stores.read(move |store| to_json(&store.summary(&scope, sentences, words)?)).await
}

/// The closed vocabularies with their Arabic labels (entity types, event
/// types, relation kinds): what the UI shows for a key.
pub(crate) async fn vocabulary() -> Answer {
    to_json(&marsad_engine::Vocabulary::all())
}

fn flag(value: Option<&str>) -> bool {
    matches!(value, Some("1" | "true" | "yes"))
}

// ---------------------------------------------------------------- writes

/// Checks the bearer token before anything else of a write is read.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = state.token.as_deref() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "writes are disabled: start the server with a token (`marsad serve --token SECRET` or MARSAD_TOKEN=SECRET) \
             and send `Authorization: Bearer SECRET`",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    match given {
        Some(token) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(StatusCode::UNAUTHORIZED, "wrong token")),
        None => Err(ApiError::new(StatusCode::UNAUTHORIZED, "missing `Authorization: Bearer TOKEN`")),
    }
}

/// Compares without stopping at the first difference, so response time
/// does not tell how much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Deserialize)]
pub(crate) struct UploadParams {
    /// A file name for a body sent as is (`article.txt`): its extension
    /// gives the format, its stem the id of a one-document input.
    filename: Option<String>,
}

/// Ingests the request body: a JSON article (or array, or JSON Lines, or a
/// text/HTML/feed document, by `Content-Type`), or `multipart/form-data`
/// with one or more files. 201 when a document was added or replaced, 200
/// when everything was already there, 422 when nothing could be read.
pub(crate) async fn ingest(
    State(state): State<AppState>,
    Params(params): Params<UploadParams>,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let content_type =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let mut inputs: Vec<(String, Option<marsad_ingest::Format>, axum::body::Bytes)> = Vec::new();
    if content_type.starts_with("multipart/form-data") {
        let mut multipart = axum::extract::Multipart::from_request(request, &state)
            .await
            .map_err(|r| ApiError::new(r.status(), r.body_text()))?;
        while let Some(field) = multipart.next_field().await.map_err(|e| ApiError::new(e.status(), e.body_text()))? {
            let Some(name) = field.file_name().map(safe_name) else { continue };
            let format = marsad_ingest::format_for_path(std::path::Path::new(&name));
            let bytes = field.bytes().await.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
            inputs.push((name, format, bytes));
        }
        if inputs.is_empty() {
            return Err(ApiError::bad_request(
                "the form holds no file (send files as multipart fields with a filename)",
            ));
        }
    } else {
        let bytes = read_body(request.into_body(), state.max_body_bytes).await?;
        let (name, format) = match params.filename.map(|f| safe_name(&f)) {
            Some(f) => {
                let format = marsad_ingest::format_for_path(std::path::Path::new(&f));
                (f, format)
            }
            None => ("-".to_string(), format_for_content_type(&content_type)),
        };
        inputs.push((name, format, bytes));
    }
    let summary = state
        .stores
        .write(move |store| {
            let mut summary = IngestSummary::default();
            for (name, format, bytes) in inputs {
                let input = IngestInput::Stream { name: &name, format, reader: Box::new(std::io::Cursor::new(bytes)) };
                let one = store.ingest(input, IngestOptions::default(), &mut |_| {})?;
                summary.merge(one);
            }
            Ok(summary)
        })
        .await?;
    if summary.documents_read == 0 && !summary.failures.is_empty() {
        let reasons: Vec<String> = summary.failures.iter().map(|f| format!("{}: {}", f.origin, f.reason)).collect();
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("nothing could be ingested: {}", reasons.join("; ")),
        )
        .with("summary", to_value(&summary)?));
    }
    let status = if summary.added + summary.replaced > 0 { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(summary)).into_response())
}

/// The last path component of an uploaded file name (no directories, no
/// `..`), or `upload` when nothing is left.
fn safe_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if last.is_empty() || last == "." || last == ".." {
        "upload".to_string()
    } else {
        last.to_string()
    }
}

fn format_for_content_type(content_type: &str) -> Option<marsad_ingest::Format> {
    use marsad_ingest::Format;
    let essence = content_type.split(';').next().unwrap_or("").trim();
    match essence {
        "application/json" => Some(Format::Json),
        "application/x-ndjson" | "application/jsonl" | "application/x-jsonlines" => Some(Format::JsonLines),
        "text/plain" => Some(Format::Text),
        "text/html" | "application/xhtml+xml" => Some(Format::Html),
        "application/rss+xml" | "application/atom+xml" | "application/xml" | "text/xml" => Some(Format::Feed),
        // Anything else (or none): sniffed from the first bytes.
        _ => None,
    }
}

/// Reads the whole body, or 413 past `limit`.
async fn read_body(body: Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let too_large =
            std::error::Error::source(&e).map(|s| s.is::<http_body_util::LengthLimitError>()).unwrap_or(false)
                || e.to_string().contains("length limit");
        if too_large {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("the request body is larger than {limit} bytes"))
        } else {
            ApiError::bad_request(format!("cannot read the request body: {e}"))
        }
    })
}

// ---------------------------------------------------------------- fallbacks

pub(crate) async fn not_found(request: Request) -> ApiError {
    ApiError::not_found(format!("no route {} {}", request.method(), request.uri().path()))
}

pub(crate) async fn method_not_allowed(request: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} is not allowed on {}", request.method(), request.uri().path()),
    )
}
