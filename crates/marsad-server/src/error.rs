//! Errors: [`ServerError`] for what stops the server from starting, and
//! [`ApiError`] for what one request gets back.
//!
//! Every failure a client can see is an `ApiError`, rendered as
//! `{"error": {"status": 404, "message": "…"}}` with that status. The
//! message is meant for the person behind the client: a malformed query
//! carries the query parser's own words ("unclosed quote at …"), an unknown
//! document names the id. Internal failures (the disk, the database) are
//! 500s whose message says what failed, never a panic and never an HTML
//! page.

use std::net::SocketAddr;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use marsad_engine::StoreError;

/// What can stop [`crate::router`] or [`crate::serve`].
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The data directory could not be opened (or its views refreshed).
    #[error("cannot open the data directory {dir}: {source}")]
    Store {
        /// The data directory.
        dir: std::path::PathBuf,
        /// What the store reported.
        #[source]
        source: StoreError,
    },
    /// The address could not be bound (in use, or not allowed).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the operating system reported.
        #[source]
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
    /// A background task (opening the store) died.
    #[error("server task failed: {0}")]
    Task(String),
}

/// An error answer: a status and a message, rendered as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// What went wrong, in words for the person behind the client.
    pub message: String,
    /// Extra fields merged into the top-level object (e.g. `candidates`).
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

impl ApiError {
    /// An error with any status.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into(), extra: None }
    }

    /// 400: the request itself is wrong (a malformed query or parameter).
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404: the thing asked for does not exist.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// 500: the server failed (disk, database); the message says what.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// Adds a top-level field next to `error`.
    pub fn with(mut self, key: &str, value: serde_json::Value) -> ApiError {
        self.extra.get_or_insert_with(Default::default).insert(key.to_string(), value);
        self
    }

    /// The JSON body.
    pub fn body(&self) -> serde_json::Value {
        let mut object = self.extra.clone().unwrap_or_default();
        object.insert(
            "error".to_string(),
            serde_json::json!({ "status": self.status.as_u16(), "message": self.message }),
        );
        serde_json::Value::Object(object)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

impl std::error::Error for ApiError {}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        let status = match &error {
            StoreError::Query(_) | StoreError::Invalid(_) => StatusCode::BAD_REQUEST,
            StoreError::NotFound { .. } => StatusCode::NOT_FOUND,
            // Another process (a `marsad ingest`) holds the writer lock:
            // the request may succeed later.
            StoreError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, error.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}
