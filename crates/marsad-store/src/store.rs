//! [`Store`]: one data directory holding a SQLite database (the source of
//! truth) and a tantivy index (derived from it, for ranked search).
//!
//! ```text
//! dir/marsad.sqlite3   documents, removals, duplicates, batches (WAL mode)
//! dir/index/           tantivy; each commit's payload = last batch generation
//! ```
//!
//! # Why it survives being killed
//!
//! Every ingest batch gets the next *generation* number. All of its rows
//! (documents stamped with that generation, removals, duplicates, the batch
//! row) are written in **one** SQLite transaction, committed **first**. Only
//! then is the batch applied to tantivy and committed with the generation as
//! commit payload (bulk ingest commits the index every few thousand
//! documents instead, see [`Store::ingest_deferred_with`]; the payload is
//! still the newest generation the commit contains). A process killed at any
//! point therefore leaves SQLite
//! either without the batch (nothing happened) or with it, and the index at
//! most behind. [`Store::open`] compares the index payload with SQLite and
//! re-indexes every document of a newer generation (delete by id, then add:
//! idempotent, and it also removes the previous version of replaced
//! documents). If the index is unusable — missing, another layout, ahead of
//! the database, or holding a different number of documents — it is rebuilt
//! from SQLite. tantivy's writer lock is an OS file lock, released when the
//! process dies, so a SIGKILL leaves nothing to clean up by hand.
//!
//! A store open for reading only never takes the writer lock (except briefly
//! to repair the index), so `marsad search` works while `marsad ingest` runs;
//! two concurrent writers get [`StoreError::Busy`].

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use marsad_ingest::CleanDocument;
use rusqlite::{params, Connection, OptionalExtension};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term};

use crate::error::StoreError;
use crate::index::{self, IndexFields, IndexState, IndexedDoc};
use crate::migrations;
use crate::records::{
    BatchReport, DocumentPage, DocumentRecord, DocumentSummary, ListOptions, ReasonCount, RemovedPassage, SourceCount,
    Stats,
};
use crate::title::display_title;

/// File name of the database inside the store directory.
pub const DATABASE_FILE: &str = "marsad.sqlite3";
/// Directory name of the search index inside the store directory.
pub const INDEX_DIR: &str = "index";

/// What a caller writes beside each document of a batch, inside the
/// batch's transaction: `rows(tx, i)` for the `i`-th input document.
pub type DocumentRows<'a> = dyn FnMut(&Connection, usize) -> Result<(), StoreError> + 'a;

/// Segments smaller than this many documents are one merge level.
const MERGE_MIN_LAYER: u32 = 100;

/// Memory the tantivy writer may use before flushing a segment (split
/// between its threads).
const WRITER_MEMORY: usize = 160 * 1024 * 1024;
/// Indexing threads: the analysis is CPU-bound and the target machines are
/// small; two threads keep both cores busy while the caller cleans the next
/// batch.
const WRITER_THREADS: usize = 2;

/// A Marsad data directory: documents in SQLite, ranked search in tantivy.
pub struct Store {
    dir: PathBuf,
    db: Connection,
    pub(crate) index: Index,
    pub(crate) fields: IndexFields,
    pub(crate) reader: IndexReader,
    writer: Option<IndexWriter>,
    /// Batches handed to the writer but not committed in the index.
    unflushed: Option<Unflushed>,
}

#[derive(Clone, Copy, Debug)]
struct Unflushed {
    /// The newest batch generation in the writer.
    generation: i64,
    documents: usize,
}

/// Where a test wants [`Store::ingest_until`] to stop, simulating a crash.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailPoint {
    /// Run to completion.
    None,
    /// Stop after the SQLite commit, before anything reaches tantivy.
    AfterDatabaseCommit,
    /// Stop after documents were handed to tantivy but before its commit.
    BeforeIndexCommit,
}

impl Store {
    /// Opens (creating when needed) the store in `dir`: applies pending
    /// database migrations and brings the index up to date with the database.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io("cannot create", dir, e))?;
        let db_path = dir.join(DATABASE_FILE);
        let mut db = Connection::open(&db_path)?;
        // WAL: readers (a search) never block the writer (an ingest).
        // synchronous=FULL: a committed batch survives power loss too, so the
        // index (which fsyncs its commits) is never ahead of the database.
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "FULL")?;
        db.busy_timeout(std::time::Duration::from_secs(10))?;
        // The views refresh cycles through some sixty statements; the
        // default cache of sixteen would prepare most of them again each time.
        db.set_prepared_statement_cache_capacity(256);
        // The views' count tables are updated in key order, not insertion
        // order: with SQLite's default 8 MB page cache, a refresh on a large
        // store re-reads pages it just wrote. 32 MB is a measured middle
        // (a 128 MB cache saved a fifth of a full build and cost its RSS).
        db.pragma_update(None, "cache_size", -32_768)?;
        let found = migrations::migrate(&mut db)?;
        if found < migrations::DISPLAY_TITLE_VERSION {
            backfill_display_titles(&mut db)?;
        }

        let (index, fields, created) = index::open(&dir.join(INDEX_DIR))?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let mut store = Store { dir: dir.to_path_buf(), db, index, fields, reader, writer: None, unflushed: None };
        store.reconcile(created)?;
        Ok(store)
    }

    /// The database, for the engine's tables (read, or written inside a
    /// transaction from [`Store::db_mut`] after [`Store::lock_writer`]).
    pub fn db(&self) -> &Connection {
        &self.db
    }

    /// The database, to open a transaction on.
    pub fn db_mut(&mut self) -> &mut Connection {
        &mut self.db
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The database schema version.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        migrations::current_version(&self.db)
    }

    /// Reloads the search view, picking up commits made by other processes.
    pub fn refresh(&self) -> Result<(), StoreError> {
        Ok(self.reader.reload()?)
    }

    /// Stores and indexes a batch atomically, with nothing beside each
    /// document: after a crash either the whole batch is in the store or
    /// none of it is (and the index catches up on the next [`Store::open`]).
    /// On return the batch is durable and searchable. See [`BatchReport`]
    /// for what happens to each document. The engine stores its analyses
    /// with [`Store::ingest_deferred_with`] instead.
    pub fn ingest_batch(&mut self, docs: Vec<CleanDocument>) -> Result<BatchReport, StoreError> {
        let report = self.ingest_until(&docs, &mut |_, _| Ok(()), FailPoint::None)?;
        self.flush_index()?;
        Ok(report)
    }

    /// Stores a batch atomically and hands it to the index, leaving the
    /// index commit for later: the batch is durable in the database on
    /// return, and searchable after the next [`Store::flush_index`]. Bulk
    /// ingest defers because every index commit cuts new segments that
    /// tantivy must then merge; committing every few thousand documents
    /// instead of every batch halves the indexing time. Crash safety is
    /// unchanged: documents not yet in a committed index are re-indexed on
    /// the next open.
    ///
    /// `rows(tx, i)` writes what belongs beside the `i`-th document (its
    /// analysis) inside the batch's transaction, after the document row,
    /// for each document written (not for unchanged ones or duplicates):
    /// a document is never stored without it.
    pub fn ingest_deferred_with<D: Borrow<CleanDocument>>(
        &mut self,
        docs: &[D],
        rows: &mut DocumentRows<'_>,
    ) -> Result<BatchReport, StoreError> {
        self.ingest_until(docs, rows, FailPoint::None)
    }

    /// Commits documents handed to the index since its last commit, making
    /// them searchable. Returns whether there was anything to commit.
    pub fn flush_index(&mut self) -> Result<bool, StoreError> {
        match self.unflushed.take() {
            Some(pending) => {
                self.commit_index(pending.generation)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Waits for the index merges the last commits started, and lets the
    /// writer go. tantivy merges segments in the background after a commit;
    /// a process that exits first abandons the merge, and the next run
    /// starts it again from the beginning (on 26k articles, a second and a
    /// half of work thrown away per ingest, and segments that pile up). A
    /// run that is about to end calls this last, so the merge it started
    /// lands once. Does nothing while documents wait for a commit.
    pub fn finish_merges(&mut self) -> Result<(), StoreError> {
        if self.unflushed.is_some() {
            return Ok(());
        }
        if let Some(writer) = self.writer.take() {
            writer.wait_merging_threads()?;
            self.reader.reload()?;
        }
        Ok(())
    }

    /// Documents ingested but not yet searchable (see
    /// [`Store::ingest_deferred_with`]).
    pub fn unflushed_documents(&self) -> usize {
        self.unflushed.map_or(0, |p| p.documents)
    }

    /// [`Store::ingest_deferred_with`], stopping where a test wants to
    /// simulate a crash.
    #[doc(hidden)]
    pub fn ingest_until<D: Borrow<CleanDocument>>(
        &mut self,
        docs: &[D],
        rows: &mut DocumentRows<'_>,
        fail: FailPoint,
    ) -> Result<BatchReport, StoreError> {
        // Take the writer lock before writing anything, so a concurrent
        // writer is refused up front instead of after its rows are committed.
        self.writer()?;
        let written = write_batch(&mut self.db, docs, rows)?;
        if fail == FailPoint::AfterDatabaseCommit || written.to_index.is_empty() {
            return Ok(written.report);
        }
        let fields = self.fields;
        let writer = self.writer()?;
        for (i, needs_delete) in &written.to_index {
            let doc: &CleanDocument = docs[*i].borrow();
            if *needs_delete {
                writer.delete_term(Term::from_field_text(fields.id, &doc.source.id));
            }
            let title = display_title(doc.source.title.as_deref(), &doc.text, &doc.source.id);
            writer.add_document(index::to_document(&fields, &indexed_from_clean(doc, &title)))?;
        }
        if fail == FailPoint::BeforeIndexCommit {
            // Dropping the writer discards the uncommitted documents, as a
            // killed process would.
            self.writer = None;
            self.unflushed = None;
            return Ok(written.report);
        }
        let documents = self.unflushed_documents() + written.to_index.len();
        self.unflushed = Some(Unflushed { generation: written.generation, documents });
        Ok(written.report)
    }

    /// Deletes documents by id, with what the caller keeps beside each
    /// (`rows(tx, id)`, inside the same transaction): one batch under a new
    /// generation, recorded with a negative document count so that a crash
    /// before the index commit makes the next [`Store::open`] rebuild the
    /// index instead of keeping the deleted documents searchable. Exact
    /// duplicates recorded against a deleted document go with it. Returns
    /// the ids that were stored (unknown ids are left out, not an error).
    pub fn delete_documents(
        &mut self,
        ids: &[String],
        rows: &mut dyn FnMut(&Connection, &str) -> Result<(), StoreError>,
    ) -> Result<Vec<String>, StoreError> {
        self.writer()?;
        let started_at = now();
        let tx = self.db.transaction()?;
        let generation: i64 = tx.query_row("SELECT COALESCE(MAX(generation), 0) + 1 FROM batches", [], |r| r.get(0))?;
        let mut deleted = Vec::new();
        for id in ids {
            let n = tx.prepare_cached("DELETE FROM documents WHERE id = ?1")?.execute([id])?;
            if n == 0 || deleted.contains(id) {
                continue;
            }
            tx.prepare_cached("DELETE FROM removals WHERE doc_id = ?1")?.execute([id])?;
            tx.prepare_cached("DELETE FROM duplicates WHERE duplicate_of = ?1")?.execute([id])?;
            rows(&tx, id)?;
            deleted.push(id.clone());
        }
        if deleted.is_empty() {
            return Ok(deleted);
        }
        tx.execute(
            "INSERT INTO batches (generation, started_at, committed_at, docs) VALUES (?1, ?2, ?3, ?4)",
            params![generation, started_at, now(), -(deleted.len() as i64)],
        )?;
        tx.commit()?;
        let fields = self.fields;
        let writer = self.writer()?;
        for id in &deleted {
            writer.delete_term(Term::from_field_text(fields.id, id));
        }
        // Whatever was waiting for a commit goes in with the deletion.
        self.commit_index(generation)?;
        Ok(deleted)
    }

    /// Re-creates the index from the database. Returns the documents indexed.
    pub fn rebuild_index(&mut self) -> Result<usize, StoreError> {
        let fields = self.fields;
        let (generation, _) = database_state(&self.db)?;
        // Discard uncommitted work first: it is in the database and is
        // about to be indexed again.
        self.writer = None;
        self.unflushed = None;
        let writer = open_writer(&mut self.writer, &self.index)?;
        writer.delete_all_documents()?;
        let n = index_rows(&self.db, writer, &fields, None)?;
        self.commit_index(generation)?;
        Ok(n)
    }

    /// Brings the index in line with the database (see the module docs).
    fn reconcile(&mut self, created: bool) -> Result<(), StoreError> {
        let needs_work = |store: &Store| -> Result<Repair, StoreError> {
            let state = IndexState::load(&store.index)?;
            let (generation, documents) = database_state(&store.db)?;
            if created || state.layout != index::LAYOUT || state.generation > generation {
                return Ok(Repair::Rebuild);
            }
            // A deletion the index has not seen: rebuilding is the one
            // repair that cannot leave a deleted document searchable.
            let deletions: bool = store.db.query_row(
                "SELECT EXISTS (SELECT 1 FROM batches WHERE generation > ?1 AND docs < 0)",
                [state.generation],
                |r| r.get(0),
            )?;
            if deletions {
                return Ok(Repair::Rebuild);
            }
            let pending: i64 = store.db.query_row(
                "SELECT COUNT(*) FROM documents WHERE generation > ?1",
                [state.generation],
                |r| r.get(0),
            )?;
            if pending > 0 {
                return Ok(Repair::Since(state.generation));
            }
            let indexed = store.reader.searcher().num_docs();
            if indexed != documents as u64 {
                return Ok(Repair::Rebuild);
            }
            Ok(Repair::Nothing)
        };
        if needs_work(self)? == Repair::Nothing {
            return Ok(());
        }
        // Another process holding the writer is mid-ingest and will finish
        // the job; searching its committed state meanwhile is fine.
        match self.writer() {
            Ok(_) => {}
            Err(StoreError::Busy) => return Ok(()),
            Err(e) => return Err(e),
        }
        // Re-check under the lock: the other writer may just have finished.
        self.reader.reload()?;
        let repair = needs_work(self)?;
        let fields = self.fields;
        let (generation, _) = database_state(&self.db)?;
        match repair {
            Repair::Nothing => {}
            Repair::Rebuild => {
                let writer = open_writer(&mut self.writer, &self.index)?;
                writer.delete_all_documents()?;
                index_rows(&self.db, writer, &fields, None)?;
                self.commit_index(generation)?;
            }
            Repair::Since(after) => {
                let writer = open_writer(&mut self.writer, &self.index)?;
                index_rows(&self.db, writer, &fields, Some(after))?;
                self.commit_index(generation)?;
            }
        }
        // Leave the lock free for other processes; an ingest takes it again.
        self.writer = None;
        Ok(())
    }

    /// Takes the writer lock (the index writer's), or [`StoreError::Busy`].
    pub fn lock_writer(&mut self) -> Result<(), StoreError> {
        self.writer().map(|_| ())
    }

    fn writer(&mut self) -> Result<&mut IndexWriter, StoreError> {
        open_writer(&mut self.writer, &self.index)
    }

    fn commit_index(&mut self, generation: i64) -> Result<(), StoreError> {
        let payload = IndexState { generation, layout: index::LAYOUT }.payload();
        let writer = self.writer()?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.unflushed = None;
        self.reader.reload()?;
        Ok(())
    }

    /// The document with this id, or `None`.
    pub fn document(&self, id: &str) -> Result<Option<DocumentRecord>, StoreError> {
        let record = self
            .db
            .query_row(
                "SELECT id, title, display_title, source, author, date, url, origin, format,
                        encoding_note, content_hash, ingested_at, generation, text, body, raw
                 FROM documents WHERE id = ?1",
                [id],
                |r| {
                    Ok(DocumentRecord {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        display_title: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                        source: r.get(3)?,
                        author: r.get(4)?,
                        date: r.get(5)?,
                        url: r.get(6)?,
                        origin: r.get(7)?,
                        format: r.get(8)?,
                        encoding_note: r.get(9)?,
                        content_hash: r.get(10)?,
                        ingested_at: r.get(11)?,
                        generation: r.get(12)?,
                        text: r.get(13)?,
                        body: r.get(14)?,
                        raw: r.get(15)?,
                        removed: Vec::new(),
                        duplicates: Vec::new(),
                    })
                },
            )
            .optional()?;
        let Some(mut record) = record else {
            return Ok(None);
        };
        if record.body.is_empty() {
            // Stored empty when equal to the cleaned text (see write_batch).
            record.body = record.text.clone();
        }
        let mut removals = self.db.prepare_cached(
            r#"SELECT reason, kind, text, "start", "end" FROM removals WHERE doc_id = ?1 ORDER BY seq"#,
        )?;
        let rows = removals.query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?))
        })?;
        for row in rows {
            let (reason, kind, text, start, end) = row?;
            let kind = serde_json::from_str(&kind)
                .map_err(|e| StoreError::Corrupt(format!("removal kind {kind:?} of {id}: {e}")))?;
            record.removed.push(RemovedPassage { reason, kind, text, start: start as usize, end: end as usize });
        }
        let mut dups = self.db.prepare_cached("SELECT id FROM duplicates WHERE duplicate_of = ?1 ORDER BY id")?;
        record.duplicates = dups.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(Some(record))
    }

    /// The original input of a document (file or item) exactly as read.
    pub fn raw(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.db.query_row("SELECT raw FROM documents WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }

    /// A page of documents, newest first; undated documents last, by id.
    pub fn list_documents(&self, options: ListOptions) -> Result<DocumentPage, StoreError> {
        let total: i64 = self.db.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))?;
        let mut stmt = self.db.prepare_cached(&format!(
            "SELECT {DOCUMENT_SUMMARY_COLUMNS} FROM documents
                 ORDER BY date IS NULL, date DESC, id LIMIT ?1 OFFSET ?2"
        ))?;
        let documents = stmt
            .query_map(params![options.limit as i64, options.offset as i64], document_summary)?
            .collect::<Result<_, _>>()?;
        Ok(DocumentPage { total: total as usize, documents })
    }

    /// Counts, sources, date range, removals and sizes.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let count = |sql: &str| -> Result<usize, StoreError> {
            Ok(self.db.query_row(sql, [], |r| r.get::<_, i64>(0))? as usize)
        };
        let documents = count("SELECT COUNT(*) FROM documents")?;
        let duplicates = count("SELECT COUNT(*) FROM duplicates")?;
        let batches = count("SELECT COUNT(*) FROM batches")?;
        let text_bytes: i64 =
            self.db
                .query_row("SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) FROM documents", [], |r| r.get(0))?;
        let mut stmt =
            self.db.prepare("SELECT source, COUNT(*) AS n FROM documents GROUP BY source ORDER BY n DESC, source")?;
        let sources = stmt
            .query_map([], |r| Ok(SourceCount { name: r.get(0)?, documents: r.get::<_, i64>(1)? as usize }))?
            .collect::<Result<_, _>>()?;
        let (date_from, date_to): (Option<String>, Option<String>) =
            self.db.query_row("SELECT MIN(date), MAX(date) FROM documents WHERE date IS NOT NULL", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let mut stmt = self.db.prepare(
            // Grouped by kind, not by the per-removal description, which names
            // the kept paragraph of each repeat.
            "SELECT CASE json_extract(kind, '$.kind') WHEN 'repeated_paragraph' THEN 'repeated paragraph' \
                    ELSE MIN(reason) END AS label, COUNT(*) AS n \
             FROM removals GROUP BY json_extract(kind, '$.kind') ORDER BY n DESC, label",
        )?;
        let removals = stmt
            .query_map([], |r| Ok(ReasonCount { reason: r.get(0)?, count: r.get::<_, i64>(1)? as usize }))?
            .collect::<Result<_, _>>()?;
        Ok(Stats {
            documents,
            duplicates,
            sources,
            date_from,
            date_to,
            removals,
            text_bytes: text_bytes as u64,
            index_bytes: disk_usage(&self.dir.join(INDEX_DIR))?,
            store_bytes: disk_usage(&self.dir)?,
            schema_version: self.schema_version()?,
            batches,
        })
    }
}

/// The writer in `slot`, opened (taking the index lock) when absent.
/// The columns [`document_summary`] reads, in its order.
pub const DOCUMENT_SUMMARY_COLUMNS: &str = "id, title, display_title, source, date";

/// A listing row (selected as [`DOCUMENT_SUMMARY_COLUMNS`]).
pub fn document_summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentSummary> {
    Ok(DocumentSummary {
        id: r.get(0)?,
        title: r.get(1)?,
        display_title: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        source: r.get(3)?,
        date: r.get(4)?,
    })
}

fn open_writer<'a>(slot: &'a mut Option<IndexWriter>, index: &Index) -> Result<&'a mut IndexWriter, StoreError> {
    if slot.is_none() {
        let writer: IndexWriter =
            index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY).map_err(StoreError::from_writer_error)?;
        // tantivy's default puts every segment under 10,000 documents in one
        // merge level, so the few-document segment of a small ingest is
        // merged with the bulk segments of a first ingest (rewriting the
        // whole index of 26k articles to add ten). With levels down to 100
        // documents, small segments merge with small ones.
        let mut policy = tantivy::merge_policy::LogMergePolicy::default();
        policy.set_min_layer_size(MERGE_MIN_LAYER);
        writer.set_merge_policy(Box::new(policy));
        *slot = Some(writer);
    }
    Ok(slot.as_mut().expect("writer was just set"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Repair {
    Nothing,
    /// Re-index documents of generations after this one.
    Since(i64),
    Rebuild,
}

/// The last committed batch generation and the number of documents.
fn database_state(db: &Connection) -> Result<(i64, i64), StoreError> {
    Ok(db.query_row(
        "SELECT (SELECT COALESCE(MAX(generation), 0) FROM batches), (SELECT COUNT(*) FROM documents)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Adds documents from the database to the index: all of them, or those of
/// generations after `after` (each preceded by a delete of its id, which
/// makes re-running it harmless).
fn index_rows(
    db: &Connection,
    writer: &IndexWriter,
    fields: &IndexFields,
    after: Option<i64>,
) -> Result<usize, StoreError> {
    let mut stmt =
        db.prepare("SELECT id, title, display_title, source, date, text FROM documents WHERE generation > ?1")?;
    let mut rows = stmt.query([after.unwrap_or(i64::MIN)])?;
    let mut n = 0;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let title: Option<String> = row.get(1)?;
        let text: String = row.get(5)?;
        let shown = match row.get::<_, Option<String>>(2)? {
            Some(t) => t,
            None => display_title(title.as_deref(), &text, &id),
        };
        let source: Option<String> = row.get(3)?;
        let date: Option<String> = row.get(4)?;
        if after.is_some() {
            writer.delete_term(Term::from_field_text(fields.id, &id));
        }
        let doc = IndexedDoc {
            id: &id,
            title: title.as_deref(),
            display_title: &shown,
            source: source.as_deref(),
            date: date.as_deref(),
            text: &text,
        };
        writer.add_document(index::to_document(fields, &doc))?;
        n += 1;
    }
    Ok(n)
}

fn indexed_from_clean<'a>(doc: &'a CleanDocument, display_title: &'a str) -> IndexedDoc<'a> {
    IndexedDoc {
        id: &doc.source.id,
        title: doc.source.title.as_deref(),
        display_title,
        source: doc.source.source.as_deref(),
        date: doc.source.date.as_deref(),
        text: &doc.text,
    }
}

/// The outcome of the database half of a batch.
struct WrittenBatch {
    report: BatchReport,
    generation: i64,
    /// Input positions to index (the last version of each id), and whether
    /// an older version may be in the index and must be deleted first.
    to_index: Vec<(usize, bool)>,
}

/// Writes a batch in one transaction. See [`BatchReport`] for the rules.
fn write_batch<D: Borrow<CleanDocument>>(
    db: &mut Connection,
    docs: &[D],
    rows: &mut DocumentRows<'_>,
) -> Result<WrittenBatch, StoreError> {
    let started_at = now();
    let tx = db.transaction()?;
    let generation: i64 = tx.query_row("SELECT COALESCE(MAX(generation), 0) + 1 FROM batches", [], |r| r.get(0))?;
    let mut report = BatchReport::default();
    // id → (input position, needs delete), in first-seen order.
    let mut to_index: Vec<(usize, bool)> = Vec::new();
    let mut slot: HashMap<&str, usize> = HashMap::new();
    let mut replaced_seen: HashSet<&str> = HashSet::new();
    {
        let mut find_by_id = tx.prepare_cached("SELECT content_hash FROM documents WHERE id = ?1")?;
        let mut find_by_hash =
            tx.prepare_cached("SELECT id FROM documents WHERE content_hash = ?1 ORDER BY generation, id LIMIT 1")?;
        let mut upsert = tx.prepare_cached(
            "INSERT OR REPLACE INTO documents (id, title, display_title, source, url, author, date,
                 text, body, raw, origin, format, encoding_note, content_hash, ingested_at, generation)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?;
        let mut clear_removals = tx.prepare_cached("DELETE FROM removals WHERE doc_id = ?1")?;
        let mut add_removal = tx.prepare_cached(
            r#"INSERT INTO removals (doc_id, seq, reason, kind, text, "start", "end")
               VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"#,
        )?;
        let mut record_duplicate = tx.prepare_cached(
            "INSERT OR REPLACE INTO duplicates (id, duplicate_of, origin, content_hash, seen_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut forget_duplicate = tx.prepare_cached("DELETE FROM duplicates WHERE id = ?1")?;
        // Once a document's content changes, what duplicated its old content
        // no longer duplicates it.
        let mut forget_stale_duplicates =
            tx.prepare_cached("DELETE FROM duplicates WHERE duplicate_of = ?1 AND content_hash <> ?2")?;

        for (i, doc) in docs.iter().enumerate() {
            let doc: &CleanDocument = doc.borrow();
            let id = doc.source.id.as_str();
            let hash = doc.content_hash.as_str();
            let existing: Option<String> = find_by_id.query_row([id], |r| r.get(0)).optional()?;
            let replacing = match existing {
                Some(old) if old == hash => {
                    report.unchanged.push(id.to_string());
                    continue;
                }
                Some(_) => true,
                None => {
                    let original: Option<String> = find_by_hash.query_row([hash], |r| r.get(0)).optional()?;
                    if let Some(original) = original {
                        record_duplicate.execute(params![id, original, doc.source.origin, hash, started_at])?;
                        report.duplicates.push((id.to_string(), original));
                        continue;
                    }
                    false
                }
            };
            let src = &doc.source;
            let shown = display_title(src.title.as_deref(), &doc.text, id);
            upsert.execute(params![
                id,
                src.title,
                shown,
                src.source,
                src.url,
                src.author,
                src.date,
                doc.text,
                // Most bodies lose nothing in cleaning; store those once.
                if src.body == doc.text { "" } else { src.body.as_str() },
                src.raw,
                src.origin,
                src.format.as_str(),
                src.encoding_note,
                hash,
                started_at,
                generation,
            ])?;
            clear_removals.execute([id])?;
            for (seq, removal) in doc.removed.iter().enumerate() {
                let kind = serde_json::to_string(&removal.reason)
                    .map_err(|e| StoreError::Corrupt(format!("cannot encode removal of {id}: {e}")))?;
                add_removal.execute(params![
                    id,
                    seq as i64,
                    removal.reason.describe(),
                    kind,
                    removal.text,
                    removal.span.start as i64,
                    removal.span.end as i64,
                ])?;
            }
            rows(&tx, i)?;
            if replacing {
                forget_stale_duplicates.execute([id, hash])?;
                report.replaced.push(id.to_string());
                replaced_seen.insert(id);
            } else {
                forget_duplicate.execute([id])?;
                report.added.push(id.to_string());
            }
            let needs_delete = replaced_seen.contains(id);
            match slot.get(id) {
                Some(&k) => to_index[k] = (i, needs_delete),
                None => {
                    slot.insert(id, to_index.len());
                    to_index.push((i, needs_delete));
                }
            }
        }
    }
    let written = (report.added.len() + report.replaced.len()) as i64;
    tx.execute(
        "INSERT INTO batches (generation, started_at, committed_at, docs) VALUES (?1, ?2, ?3, ?4)",
        params![generation, started_at, now(), written],
    )?;
    tx.commit()?;
    Ok(WrittenBatch { report, generation, to_index })
}

/// Fills `display_title` for rows written before that column existed.
fn backfill_display_titles(db: &mut Connection) -> Result<(), StoreError> {
    let tx = db.transaction()?;
    {
        let mut select = tx.prepare("SELECT id, title, text FROM documents WHERE display_title IS NULL")?;
        let rows: Vec<(String, Option<String>, String)> =
            select.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
        let mut update = tx.prepare("UPDATE documents SET display_title = ?2 WHERE id = ?1")?;
        for (id, title, text) in rows {
            update.execute(params![id, display_title(title.as_deref(), &text, &id)])?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Total size of the files under `path`.
fn disk_usage(path: &Path) -> Result<u64, StoreError> {
    let mut total = 0;
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(StoreError::io("cannot read", path, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io("cannot read", path, e))?;
        let meta = entry.metadata().map_err(|e| StoreError::io("cannot stat", entry.path(), e))?;
        total += if meta.is_dir() { disk_usage(&entry.path())? } else { meta.len() };
    }
    Ok(total)
}
