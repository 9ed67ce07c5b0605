//! The store's error type.
//!
//! One enum for everything the store can fail at, so callers (the CLI, a
//! future server) can tell "your query is malformed" (show it to the user)
//! from "the disk is full" (abort) without parsing strings.

use std::path::PathBuf;

use crate::query::QueryError;

/// Everything [`crate::Store`] and [`crate::pipeline`] can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file-system operation on the data directory failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What failed ("cannot read", …).
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// SQLite (the source of truth) reported an error.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),

    /// The tantivy search index reported an error.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),

    /// The database was written by a newer Marsad with a schema this build
    /// does not know; opening it could corrupt it.
    #[error("database schema version {found} is newer than this build supports ({supported}); upgrade marsad")]
    SchemaTooNew {
        /// The database's schema version.
        found: u32,
        /// The newest this build knows.
        supported: u32,
    },

    /// Another process holds the index writer lock (e.g. a running
    /// `marsad ingest`); writing now would race with it.
    #[error("another process is writing to this store; try again when it has finished")]
    Busy,

    /// The search query could not be parsed; the message is meant for the
    /// person who typed it.
    #[error(transparent)]
    Query(#[from] QueryError),

    /// The thing asked for (a document, story, entity) is not in the store.
    #[error("no {what} {id:?} in this store")]
    NotFound {
        /// What was looked for ("document", "story", "entity").
        what: &'static str,
        /// The id or name asked for.
        id: String,
    },

    /// A request the store cannot answer as asked (e.g. a name that fits
    /// several entities); the message says what to do instead.
    #[error("{0}")]
    Invalid(String),

    /// A stored value did not have the shape the store wrote (e.g. a removal
    /// kind that is not valid JSON). Indicates a damaged or foreign database.
    #[error("corrupt store: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StoreError::Io { action, path: path.into(), source }
    }

    /// Maps tantivy's "lock busy" to [`StoreError::Busy`], everything else to
    /// [`StoreError::Index`].
    pub(crate) fn from_writer_error(error: tantivy::TantivyError) -> Self {
        match error {
            tantivy::TantivyError::LockFailure(tantivy::directory::error::LockError::LockBusy, _) => StoreError::Busy,
            other => StoreError::Index(other),
        }
    }
}
