//! The Marsad HTTP server: the store's library API as a JSON API, and the
//! web UI.
//!
//! `marsad serve` runs [`serve`]; tests and embedders can take the
//! [`router`] and drive it directly. Every `/api` route calls the same
//! [`marsad_engine::Engine`] functions as a CLI command and answers with the
//! same JSON the command prints with `--json` — the wrapper shapes are
//! shared through [`marsad_engine::responses`] — so the CLI and the server
//! cannot drift apart. `GET /api/openapi.json` describes every route.
//!
//! ```no_run
//! # async fn run() -> Result<(), marsad_server::ServerError> {
//! use marsad_server::{serve, ServerOptions};
//! let options = ServerOptions { token: Some("s3cret".into()), ..ServerOptions::default() };
//! serve(std::path::Path::new("marsad-data"), options, |addr| {
//!     eprintln!("listening on http://{addr}/");
//! })
//! .await
//! # }
//! ```
//!
//! # Why it is built this way
//!
//! **Handles are opened once.** A `Engine` holds a SQLite connection (usable
//! by one thread at a time) and a tantivy reader (cheap to query, costly to
//! open). The server opens [`ServerOptions::readers`] handles at start and
//! lends them to requests, which run their store calls on tokio's blocking
//! threads; searches run in parallel, and nothing is opened per read (see
//! the `pool` module). Writes take one lock, and after each write the
//! readers reload their search view before their next use, so a document
//! posted is found by the next search.
//!
//! **Reads are open, writes need a token.** The server binds loopback by
//! default. `POST /api/documents` needs `Authorization: Bearer TOKEN`
//! matching [`ServerOptions::token`]; with no token configured writes are
//! refused (403, with a message saying how to enable them), with a missing or
//! wrong one they get 401. The token is checked before the body is read.
//!
//! **Every answer is JSON, including failures.** Errors are
//! `{"error": {"status": N, "message": "…"}}`: a malformed query is a 400
//! carrying the query parser's message, an unknown document or route a 404,
//! a body over [`ServerOptions::max_body_bytes`] a 413, a request running
//! past [`ServerOptions::request_timeout`] a 503. Handlers do not panic on
//! any input; should one panic anyway, the panic is caught and answered as a
//! 500, and the server goes on.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod assets;
mod error;
mod extract;
mod pool;
mod routes;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;

pub use assets::asset_paths;
pub use error::{ApiError, ServerError};
pub use routes::{FACET_HITS, MAX_GRAPH_NODES, MAX_LIST_LIMIT, MAX_OFFSET, MAX_SEARCH_LIMIT};

use pool::Stores;
use routes::AppState;

/// The OpenAPI 3.1 description of every route (`GET /api/openapi.json`).
pub const OPENAPI: &str = include_str!("openapi.json");

/// How the server runs. `Default` is loopback port 8080, no writes.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// Where to listen (port 0: any free port; [`serve`] reports the one
    /// bound). Default `127.0.0.1:8080`: only this machine can connect.
    pub addr: SocketAddr,
    /// The bearer token that enables writes; `None` disables them.
    pub token: Option<String>,
    /// Largest request body accepted (default 32 MiB); larger ones get 413.
    pub max_body_bytes: usize,
    /// Longest a request may take (default 30 s); then it gets 503.
    pub request_timeout: Duration,
    /// Engine handles for reads, i.e. how many reads run at once (default:
    /// twice the number of cores).
    pub readers: usize,
}

impl Default for ServerOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ServerOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            max_body_bytes: 32 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            readers: 2 * cores,
        }
    }
}

/// Every route path the router serves (the OpenAPI test checks each is
/// described).
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/search"),
    ("GET", "/api/docs"),
    ("GET", "/api/docs/{id}"),
    ("GET", "/api/docs/{id}/raw"),
    ("DELETE", "/api/docs/{id}"),
    ("GET", "/api/entities"),
    ("GET", "/api/entities/{id_or_name}"),
    ("GET", "/api/quotes"),
    ("GET", "/api/timeline"),
    ("GET", "/api/graph"),
    ("GET", "/api/stats"),
    ("GET", "/api/reuse"),
    ("GET", "/api/duplicates"),
    ("GET", "/api/stories"),
    ("GET", "/api/stories/{id}"),
    ("GET", "/api/summary"),
    ("GET", "/api/vocabulary"),
    ("POST", "/api/documents"),
    ("GET", "/api/openapi.json"),
];

/// Opens the store in `store_dir` (creating it when absent, like the CLI)
/// and builds the application: `/api/*`, `/` and `/assets/{*path}`.
///
/// This opens [`ServerOptions::readers`] store handles and refreshes the
/// corpus views if an earlier ingest left them behind, so it blocks; call
/// it before starting a runtime or from a blocking task.
pub fn router(store_dir: &Path, options: &ServerOptions) -> Result<Router, ServerError> {
    let stores = Arc::new(Stores::open(store_dir, options.readers)?);
    let state =
        AppState { stores, token: options.token.as_deref().map(Arc::from), max_body_bytes: options.max_body_bytes };
    let api = Router::new()
        .route("/api/search", get(routes::search))
        .route("/api/docs", get(routes::documents))
        .route("/api/docs/{id}", get(routes::document).delete(routes::delete_document))
        .route("/api/docs/{id}/raw", get(routes::document_raw))
        .route("/api/entities", get(routes::entities))
        .route("/api/entities/{id_or_name}", get(routes::entity))
        .route("/api/quotes", get(routes::quotes))
        .route("/api/timeline", get(routes::timeline))
        .route("/api/graph", get(routes::graph))
        .route("/api/stats", get(routes::stats))
        .route("/api/reuse", get(routes::reuse))
        .route("/api/duplicates", get(routes::duplicates))
        .route("/api/stories", get(routes::stories))
        .route("/api/stories/{id}", get(routes::story))
        .route("/api/summary", get(routes::summary))
        .route("/api/vocabulary", get(routes::vocabulary))
        .route("/api/documents", post(routes::ingest))
        .route("/api/openapi.json", get(openapi))
        .route("/", get(assets::index))
        .route("/assets/{*path}", get(assets::file))
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .with_state(state);
    let timeout = options.request_timeout;
    Ok(api
        .layer(DefaultBodyLimit::max(options.max_body_bytes))
        .layer(middleware::from_fn_with_state(timeout, time_limit))
        .layer(middleware::from_fn(security_headers))
        .layer(CatchPanicLayer::custom(panic_answer)))
}

/// Binds `options.addr`, calls `ready` with the address bound (useful with
/// port 0), and serves until Ctrl-C or SIGTERM; then stops accepting and
/// lets requests in flight finish.
pub async fn serve(
    store_dir: &Path,
    options: ServerOptions,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let dir = store_dir.to_path_buf();
    let opts = options.clone();
    let app = tokio::task::spawn_blocking(move || router(&dir, &opts))
        .await
        .map_err(|e| ServerError::Task(e.to_string()))??;
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .map_err(|source| ServerError::Bind { addr: options.addr, source })?;
    let bound = listener.local_addr()?;
    ready(bound);
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

/// Resolves on Ctrl-C, or on SIGTERM on Unix (what `kill` and service
/// managers send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// A request still running after the limit is answered with 503 (the
/// blocking work it started finishes on its own and is discarded).
async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the request took longer than {} s", limit.as_secs_f64()),
        )
        .into_response(),
    }
}

/// `nosniff` everywhere: a document's raw text is never run as a page.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

fn panic_answer(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    ApiError::internal(format!("internal error: {detail}")).into_response()
}
