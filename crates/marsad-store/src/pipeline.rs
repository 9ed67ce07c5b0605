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

use std::io::Read;
use std::path::{Path, PathBuf};

use marsad_ingest::{CleanDocument, Format, IngestError, SourceDocument};
use serde::Serialize;

use crate::error::StoreError;
use crate::records::BatchReport;
use crate::store::Store;

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
    pub files_done: usize,
    pub files_total: usize,
    /// Bytes of the files completely read so far.
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Documents read and cleaned so far (committed or waiting in a batch).
    pub documents_done: usize,
    /// Documents committed to the store so far.
    pub documents_committed: usize,
    /// The file being read, when there is one.
    pub current_file: Option<String>,
}

/// A file or item that could not be ingested, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IngestFailure {
    /// `path`, `path#N` (item N of a multi-document file) or `stdin`.
    pub origin: String,
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
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    /// `(id, duplicate_of)` for each exact duplicate.
    pub duplicates: Vec<(String, String)>,
    /// Files and items that could not be read.
    pub failures: Vec<IngestFailure>,
    /// Files passed over inside folders (unsupported type): notes, not errors.
    pub skipped: Vec<IngestFailure>,
}

impl IngestSummary {
    fn absorb(&mut self, report: BatchReport) {
        self.added += report.added.len();
        self.replaced += report.replaced.len();
        self.unchanged += report.unchanged.len();
        self.duplicates.extend(report.duplicates);
    }
}

/// Ingests files and folders (recursively; see [`marsad_ingest::discover`]).
pub fn ingest_paths(
    store: &mut Store,
    paths: &[PathBuf],
    options: IngestOptions,
    progress: &mut dyn FnMut(IngestProgress),
) -> Result<IngestSummary, StoreError> {
    let discovery = marsad_ingest::discover(paths);
    let mut run = Run::new(store, options, progress);
    for error in &discovery.skipped {
        if error.is_skip() {
            run.summary.skipped.push(error.into());
        } else {
            run.summary.failures.push(error.into());
        }
    }
    run.state.files_total = discovery.files.len();
    run.state.bytes_total = discovery.total_bytes;
    for path in &discovery.files {
        run.state.current_file = Some(path.display().to_string());
        run.report();
        marsad_ingest::read_file(path, &mut |item| run.accept(item));
        run.check()?;
        run.finish_file(file_size(path));
    }
    run.finish()
}

/// Ingests one stream (standard input). `name` names it in origins and
/// messages; `format` `None` sniffs it from the first bytes.
pub fn ingest_reader(
    store: &mut Store,
    name: &str,
    format: Option<Format>,
    reader: impl Read,
    options: IngestOptions,
    progress: &mut dyn FnMut(IngestProgress),
) -> Result<IngestSummary, StoreError> {
    let mut run = Run::new(store, options, progress);
    run.state.files_total = 1;
    run.state.current_file = Some(name.to_string());
    run.report();
    marsad_ingest::read_reader(name, format, reader, &mut |item| run.accept(item));
    run.check()?;
    run.finish_file(0);
    run.finish()
}

/// The state of one run, shared by the reader callback and the loop.
struct Run<'a> {
    store: &'a mut Store,
    options: IngestOptions,
    progress: &'a mut dyn FnMut(IngestProgress),
    batch: Vec<CleanDocument>,
    summary: IngestSummary,
    state: IngestProgress,
    /// A store error raised inside the reader callback, which cannot return
    /// it; once set, further documents are ignored and the run stops after
    /// the current file.
    fatal: Option<StoreError>,
}

impl<'a> Run<'a> {
    fn new(store: &'a mut Store, options: IngestOptions, progress: &'a mut dyn FnMut(IngestProgress)) -> Self {
        let options = IngestOptions { batch_size: options.batch_size.max(1) };
        Run {
            store,
            options,
            progress,
            batch: Vec::with_capacity(options.batch_size),
            summary: IngestSummary::default(),
            state: IngestProgress::default(),
            fatal: None,
        }
    }

    fn accept(&mut self, item: Result<SourceDocument, IngestError>) {
        if self.fatal.is_some() {
            return;
        }
        match item {
            Ok(doc) => {
                self.batch.push(marsad_ingest::clean::clean(doc));
                self.state.documents_done += 1;
                if self.batch.len() >= self.options.batch_size {
                    if let Err(e) = self.commit() {
                        self.fatal = Some(e);
                    }
                }
            }
            Err(e) => self.summary.failures.push((&e).into()),
        }
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(self.options.batch_size));
        let n = batch.len();
        let report = self.store.ingest_batch(batch)?;
        self.summary.documents_read += n;
        self.state.documents_committed += n;
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
        self.commit()?;
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
