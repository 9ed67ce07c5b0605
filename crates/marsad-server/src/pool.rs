//! The store handles a server shares between requests.
//!
//! A [`Engine`] owns a SQLite connection, which may move between threads but
//! not be used by two at once, and a tantivy reader, which is cheap to query
//! but costly to open. So the server opens its handles once, at start, and
//! lends them out:
//!
//! * **Readers**: `readers` handles in a pool. A request waits (without
//!   blocking a thread) for a permit, takes a handle, runs its store calls on
//!   tokio's blocking threads, and puts the handle back. Searches therefore
//!   run in parallel up to the pool size, and nothing is opened per request.
//! * **The writer**: writes (ingest) are serialized by one lock and run on a
//!   handle opened for the write and closed after it, so the server holds
//!   tantivy's writer lock only while it writes and `marsad ingest` can run
//!   beside an idle server.
//!
//! Freshness: every finished write bumps a generation counter. A reader
//! whose handle has seen an older generation reloads its search view
//! ([`Engine::refresh`]) before use; SQLite (in WAL mode) shows each new read
//! the latest committed rows by itself. So the first request after a write
//! sees the new document, and readers never reload when nothing changed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use marsad_engine::Engine;
use tokio::sync::Semaphore;

use crate::error::{ApiError, ServerError};

/// A reader handle and the write generation its search view reflects.
struct Reader {
    store: Engine,
    seen: u64,
}

/// Shared store access for all requests (see the module docs).
pub(crate) struct Stores {
    dir: PathBuf,
    readers: Mutex<Vec<Reader>>,
    permits: Arc<Semaphore>,
    writer: Arc<Mutex<()>>,
    generation: AtomicU64,
}

impl Stores {
    /// Opens `readers` handles (at least one) and brings the corpus views up
    /// to date once, so no read has to.
    pub(crate) fn open(dir: &Path, readers: usize) -> Result<Stores, ServerError> {
        let failed = |source| ServerError::Store { dir: dir.to_path_buf(), source };
        let mut first = Engine::open(dir).map_err(failed)?;
        first.ensure_views().map_err(failed)?;
        let mut handles = vec![Reader { store: first, seen: 0 }];
        for _ in 1..readers.max(1) {
            handles.push(Reader { store: Engine::open(dir).map_err(failed)?, seen: 0 });
        }
        Ok(Stores {
            dir: dir.to_path_buf(),
            permits: Arc::new(Semaphore::new(handles.len())),
            readers: Mutex::new(handles),
            writer: Arc::new(Mutex::new(())),
            generation: AtomicU64::new(0),
        })
    }

    /// Runs `f` with a reader handle on a blocking thread.
    pub(crate) async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Engine) -> Result<T, ApiError> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| ApiError::internal("the store pool is closed"))?;
        let taken = self.lock_readers().pop();
        let Some(mut reader) = taken else {
            // Cannot happen while permits == handles; answer rather than panic.
            return Err(ApiError::internal("no store handle available"));
        };
        let generation = self.generation.load(Ordering::Acquire);
        let pool = Arc::clone(self);
        let joined = tokio::task::spawn_blocking(move || {
            let result = if reader.seen < generation {
                match reader.store.refresh() {
                    Ok(()) => {
                        reader.seen = generation;
                        f(&reader.store)
                    }
                    Err(e) => Err(ApiError::from(e)),
                }
            } else {
                f(&reader.store)
            };
            pool.lock_readers().push(reader);
            result
        })
        .await;
        match joined {
            Ok(result) => {
                drop(permit);
                result
            }
            Err(join_error) => {
                // The handler panicked and its handle is gone: open a
                // replacement so the pool keeps its size.
                let dir = self.dir.clone();
                let pool = Arc::clone(self);
                let reopened = tokio::task::spawn_blocking(move || Engine::open(&dir)).await;
                match reopened {
                    Ok(Ok(store)) => {
                        pool.lock_readers().push(Reader { store, seen: 0 });
                        drop(permit);
                    }
                    // No replacement: the pool shrinks by one, and so do
                    // its permits.
                    _ => permit.forget(),
                }
                Err(ApiError::internal(format!("the request failed: {join_error}")))
            }
        }
    }

    /// Runs `f` with a freshly opened writable handle, one write at a time,
    /// then makes readers reload.
    pub(crate) async fn write<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Engine) -> Result<T, ApiError> + Send + 'static,
    {
        let pool = Arc::clone(self);
        let joined = tokio::task::spawn_blocking(move || {
            let _write = pool.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let mut store = Engine::open(&pool.dir).map_err(ApiError::from)?;
            let result = f(&mut store);
            drop(store);
            pool.generation.fetch_add(1, Ordering::AcqRel);
            result
        })
        .await;
        joined.map_err(|e| ApiError::internal(format!("the write failed: {e}")))?
    }

    fn lock_readers(&self) -> std::sync::MutexGuard<'_, Vec<Reader>> {
        // A panic never happens while the lock is held (only push/pop), but
        // a poisoned lock still holds valid handles.
        self.readers.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
