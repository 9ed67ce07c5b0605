//! Orchestration of an ingest run: paths (or a stream) → read → clean →
//! batches committed to the store, with progress and a summary.
//!
//! It lives here, not in the CLI, so every front end (the `marsad` command, a
//! future HTTP server) ingests the same way with a few lines of glue. A bad
//! file or item never stops a run: it becomes an [`IngestFailure`] in the
//! summary and reading goes on. Only a store error (disk full, database
//! damaged) aborts — and since every committed batch is durable and atomic,
//! re-running the same command afterwards picks up where it stopped (known
//! documents come back as `unchanged`).
//!
//! Documents are committed in batches of [`IngestOptions::batch_size`]:
//! large enough that SQLite and tantivy commits (each an fsync) are a small
//! share of the time, small enough that a killed run loses little work.
//!
//! # Threads
//!
//! Cleaning is the most expensive step before indexing, so it runs on a few
//! worker threads while the calling thread keeps reading files and committing
//! batches (and tantivy's own threads analyze and index). Cleaned documents
//! are put back in reading order before they are batched, so a run is
//! deterministic: which of two identical articles counts as the duplicate
//! never depends on thread timing. The reader, the progress callback and the
//! store all stay on the calling thread, so none of them needs to be `Send`
//! (standard input's lock is not).

use std::collections::BTreeMap;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError};
use std::sync::Mutex;

use marsad_ingest::{Format, IngestError, SourceDocument};

use marsad_store::{BatchReport, StoreError};
use serde::Serialize;

use crate::analysis::AnalyzedDocument;
use crate::Engine;

/// Make ingested documents searchable (commit the index) at least every this
/// many documents…
const INDEX_COMMIT_DOCUMENTS: usize = 10_000;
/// …or this often, so a long run shows progress in searches and a crash
/// leaves little to re-index.
const INDEX_COMMIT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(15);

/// How to run an ingest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IngestOptions {
    /// Documents per committed batch (at least 1).
    pub batch_size: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { batch_size: 500 }
    }
}

/// Where an ingest run stands; reported after each file and each batch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IngestProgress {
    /// Files read so far.
    pub files_done: usize,
    /// Files to read in all.
    pub files_total: usize,
    /// Bytes of the files completely read so far.
    pub bytes_done: u64,
    /// Bytes of all files to read.
    pub total_bytes: u64,
    /// Documents read and cleaned so far (committed or waiting in a batch).
    pub docs_done: usize,
    /// Documents committed to the store so far.
    pub docs_committed: usize,
    /// The file being read, when there is one.
    pub current_file: Option<String>,
}

/// A file or item that could not be ingested, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IngestFailure {
    /// `path`, `path#N` (item N of a multi-document file) or `stdin`.
    pub origin: String,
    /// Why it failed, for a reader.
    pub reason: String,
}

impl From<&IngestError> for IngestFailure {
    fn from(e: &IngestError) -> Self {
        IngestFailure { origin: e.location(), reason: e.reason.to_string() }
    }
}

/// What an ingest run did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IngestSummary {
    /// Files read.
    pub files: usize,
    /// Documents read successfully; each is counted in exactly one of
    /// `added`, `replaced`, `unchanged`, `duplicates`.
    pub documents_read: usize,
    /// Documents new to the store.
    pub added: usize,
    /// Documents whose content changed (same id).
    pub replaced: usize,
    /// Documents already stored as they are.
    pub unchanged: usize,
    /// `(id, duplicate_of)` for each exact duplicate.
    pub duplicates: Vec<(String, String)>,
    /// Files and items that could not be read.
    pub failures: Vec<IngestFailure>,
    /// Files passed over inside folders (unsupported type): notes, not errors.
    pub skipped: Vec<IngestFailure>,
}

impl IngestSummary {
    /// Adds another run's results to this one (e.g. files, then stdin).
    pub fn merge(&mut self, other: IngestSummary) {
        self.files += other.files;
        self.documents_read += other.documents_read;
        self.added += other.added;
        self.replaced += other.replaced;
        self.unchanged += other.unchanged;
        self.duplicates.extend(other.duplicates);
        self.failures.extend(other.failures);
        self.skipped.extend(other.skipped);
    }

    fn absorb(&mut self, report: BatchReport) {
        self.added += report.added.len();
        self.replaced += report.replaced.len();
        self.unchanged += report.unchanged.len();
        self.duplicates.extend(report.duplicates);
    }
}

/// What an ingest run reads.
pub enum IngestInput<'a> {
    /// Files and folders, recursively (see [`marsad_ingest::discover`]).
    Paths(&'a [PathBuf]),
    /// One stream (standard input, an uploaded file): `name` names it in
    /// origins and messages; `format` `None` sniffs it from the first bytes.
    Stream {
        /// The stream's name (`stdin`, the uploaded file's name).
        name: &'a str,
        /// Its format, when known.
        format: Option<Format>,
        /// The bytes.
        reader: Box<dyn Read + 'a>,
    },
}

impl Engine {
    /// The one way documents come in: reads `input`, cleans and analyzes
    /// on the worker threads, stores in atomic batches, and refreshes the
    /// corpus views at the end. A bad file or item is an
    /// [`IngestFailure`] in the summary and reading goes on; only a store
    /// error stops the run (see the module docs).
    pub fn ingest(
        &mut self,
        input: IngestInput<'_>,
        options: IngestOptions,
        progress: &mut dyn FnMut(IngestProgress),
    ) -> Result<IngestSummary, StoreError> {
        match input {
            IngestInput::Paths(paths) => ingest_paths(self, paths, options, progress),
            IngestInput::Stream { name, format, reader } => {
                ingest_reader(self, name, format, reader, options, progress)
            }
        }
    }
}

/// Ingests files and folders (recursively; see [`marsad_ingest::discover`]).
fn ingest_paths(
    engine: &mut Engine,
    paths: &[PathBuf],
    options: IngestOptions,
    progress: &mut dyn FnMut(IngestProgress),
) -> Result<IngestSummary, StoreError> {
    let discovery = marsad_ingest::discover(paths);
    with_cleaners(|cleaners| {
        let mut run = Run::new(engine, options, progress, cleaners);
        for error in &discovery.skipped {
            if error.is_skip() {
                run.summary.skipped.push(error.into());
            } else {
                run.summary.failures.push(error.into());
            }
        }
        run.state.files_total = discovery.files.len();
        run.state.total_bytes = discovery.total_bytes;
        for path in &discovery.files {
            run.state.current_file = Some(path.display().to_string());
            run.report();
            marsad_ingest::read_file(path, &mut |item| run.accept(item));
            run.check()?;
            run.finish_file(file_size(path));
        }
        run.finish()
    })
}

/// Ingests one stream (standard input). `name` names it in origins and
/// messages; `format` `None` sniffs it from the first bytes.
fn ingest_reader(
    engine: &mut Engine,
    name: &str,
    format: Option<Format>,
    reader: impl Read,
    options: IngestOptions,
    progress: &mut dyn FnMut(IngestProgress),
) -> Result<IngestSummary, StoreError> {
    with_cleaners(|cleaners| {
        let mut run = Run::new(engine, options, progress, cleaners);
        run.state.files_total = 1;
        run.state.current_file = Some(name.to_string());
        run.report();
        marsad_ingest::read_reader(name, format, reader, &mut |item| run.accept(item));
        run.check()?;
        run.finish_file(0);
        run.finish()
    })
}

/// A cleaned document, or why cleaning failed.
type Cleaned = Result<AnalyzedDocument, IngestFailure>;

/// The calling thread's end of the cleaning workers.
struct Cleaners {
    /// Documents to clean, numbered in reading order. `None` once closed.
    work: Option<SyncSender<(u64, SourceDocument)>>,
    done: Receiver<(u64, Cleaned)>,
    /// Number the next document sent gets.
    sent: u64,
    /// Number of the next document to hand on (reading order).
    next: u64,
    /// Cleaned documents that arrived before an earlier one.
    waiting: BTreeMap<u64, Cleaned>,
}

/// Runs `body` with cleaning workers ([`crate::workers::count`]).
fn with_cleaners<R>(body: impl FnOnce(Cleaners) -> R) -> R {
    let workers = crate::workers::count();
    let (work_tx, work_rx) = mpsc::sync_channel::<(u64, SourceDocument)>(workers * 32);
    let (done_tx, done_rx) = mpsc::channel::<(u64, Cleaned)>();
    let work_rx = Mutex::new(work_rx);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let work_rx = &work_rx;
            scope.spawn(move || loop {
                // Hold the lock only to take a job, not while cleaning it.
                let job = work_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((seq, doc)) = job else { break };
                if done_tx.send((seq, clean_guarded(doc))).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        // `body` owns the sender; when it returns (or unwinds) the sender is
        // dropped, the workers see the channel close and the scope can join.
        body(Cleaners { work: Some(work_tx), done: done_rx, sent: 0, next: 0, waiting: BTreeMap::new() })
    })
}

/// Cleans one document; a panic in the cleaner costs that document only.
fn clean_guarded(doc: SourceDocument) -> Cleaned {
    let origin = doc.origin.clone();
    catch_unwind(AssertUnwindSafe(|| marsad_ingest::clean(doc))).map(AnalyzedDocument::new).map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        IngestFailure { origin, reason: format!("internal error while cleaning: {message}") }
    })
}

/// The state of one run, shared by the reader callback and the loop.
struct Run<'a> {
    engine: &'a mut Engine,
    options: IngestOptions,
    progress: &'a mut dyn FnMut(IngestProgress),
    cleaners: Cleaners,
    batch: Vec<AnalyzedDocument>,
    summary: IngestSummary,
    state: IngestProgress,
    /// A store error raised inside the reader callback, which cannot return
    /// it; once set, further documents are ignored and the run stops after
    /// the current file.
    fatal: Option<StoreError>,
    last_index_commit: std::time::Instant,
}

impl<'a> Run<'a> {
    fn new(
        engine: &'a mut Engine,
        options: IngestOptions,
        progress: &'a mut dyn FnMut(IngestProgress),
        cleaners: Cleaners,
    ) -> Self {
        let options = IngestOptions { batch_size: options.batch_size.max(1) };
        Run {
            engine,
            options,
            progress,
            cleaners,
            batch: Vec::with_capacity(options.batch_size),
            summary: IngestSummary::default(),
            state: IngestProgress::default(),
            fatal: None,
            last_index_commit: std::time::Instant::now(),
        }
    }

    /// The reader's sink: hand documents to the cleaners, record errors,
    /// and take whatever cleaned documents are ready.
    fn accept(&mut self, item: Result<SourceDocument, IngestError>) {
        if self.fatal.is_some() {
            return;
        }
        match item {
            Ok(doc) => {
                let seq = self.cleaners.sent;
                let unsent = match &self.cleaners.work {
                    Some(work) => work.send((seq, doc)).err().map(|e| e.0 .1),
                    None => Some(doc),
                };
                if let Some(doc) = unsent {
                    // No workers (cannot happen short of a panic in one):
                    // clean here rather than lose the document.
                    self.cleaners.waiting.insert(seq, clean_guarded(doc));
                }
                self.cleaners.sent += 1;
            }
            Err(e) => self.summary.failures.push((&e).into()),
        }
        self.collect(false);
    }

    /// Moves cleaned documents, in reading order, into batches; commits full
    /// batches. With `wait`, blocks until every document sent is back.
    fn collect(&mut self, wait: bool) {
        loop {
            while let Some(cleaned) = self.cleaners.waiting.remove(&self.cleaners.next) {
                self.cleaners.next += 1;
                self.take(cleaned);
            }
            if self.cleaners.next == self.cleaners.sent {
                return;
            }
            let received = if wait {
                self.cleaners.done.recv().map_err(|_| TryRecvError::Disconnected)
            } else {
                self.cleaners.done.try_recv()
            };
            match received {
                Ok((seq, cleaned)) => {
                    self.cleaners.waiting.insert(seq, cleaned);
                }
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    // Every worker is gone with documents outstanding.
                    let lost = self.cleaners.sent - self.cleaners.next;
                    self.summary.failures.push(IngestFailure {
                        origin: self.state.current_file.clone().unwrap_or_default(),
                        reason: format!("internal error: {lost} document(s) lost by the cleaning workers"),
                    });
                    self.cleaners.next = self.cleaners.sent;
                    return;
                }
            }
        }
    }

    fn take(&mut self, cleaned: Cleaned) {
        match cleaned {
            Ok(doc) => {
                self.batch.push(doc);
                self.state.docs_done += 1;
                if self.batch.len() >= self.options.batch_size && self.fatal.is_none() {
                    if let Err(e) = self.commit() {
                        self.fatal = Some(e);
                    }
                }
            }
            Err(failure) => self.summary.failures.push(failure),
        }
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(self.options.batch_size));
        let n = batch.len();
        let report = self.engine.ingest_analyzed_deferred(batch)?;
        if self.engine.store.unflushed_documents() >= INDEX_COMMIT_DOCUMENTS
            || self.last_index_commit.elapsed() >= INDEX_COMMIT_INTERVAL
        {
            self.engine.store.flush_index()?;
            self.last_index_commit = std::time::Instant::now();
        }
        self.summary.documents_read += n;
        self.state.docs_committed += n;
        self.summary.absorb(report);
        self.report();
        Ok(())
    }

    fn check(&mut self) -> Result<(), StoreError> {
        match self.fatal.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn finish_file(&mut self, bytes: u64) {
        self.summary.files += 1;
        self.state.files_done += 1;
        self.state.bytes_done += bytes;
        self.report();
    }

    fn finish(mut self) -> Result<IngestSummary, StoreError> {
        self.cleaners.work = None;
        self.collect(true);
        self.check()?;
        self.commit()?;
        self.engine.store.flush_index()?;
        // Entities, timeline and graph need every document: one pass at the
        // end of the run, not one per batch.
        // The index merges its commits started ran beside the views.
        self.engine.refresh_views()?;
        self.engine.store.finish_merges()?;
        self.state.current_file = None;
        self.report();
        Ok(self.summary)
    }

    fn report(&mut self) {
        (self.progress)(self.state.clone());
    }
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}
