//! Text reuse in the store: the incremental reuse index kept as rows,
//! read and extended where a new document touches it, and the reuse and
//! near-duplicate groups regrouped where new pairs land.
//!
//! # Why rows, read in place
//!
//! The reuse index is the expensive part of reuse detection: every new
//! document is signed, looked up in the LSH tables and aligned word by word
//! against its candidates. That work must happen once per document, when it
//! arrives, and it must not cost the corpus: loading the index whole to add
//! ten articles cost seconds and half a gigabyte on 26k articles. Adding a
//! document reads little ([`marsad_reuse::ReuseTables`]): a few hundred
//! bucket entries, a few signatures, the words of at most 64 candidates. So
//! the index lives in tables and is read in place:
//!
//! * `reuse_docs`: one row per document in the order it entered the index,
//!   with its content hash, what the index derived from its text (word keys
//!   and spans, sentences: [`DocumentRow::derived_bytes`]) and its
//!   document signature; the text itself is the document's.
//! * `reuse_buckets`: the LSH tables, one row per (table, folded band key,
//!   document), read newest first through an index.
//! * `reuse_pairs` and `reuse_duplicate_pairs`: the passages and
//!   near-duplicate pairs the index found, by position in `reuse_docs`.
//!
//! `update` adds the refresh's new documents in date order (so the earlier
//! article is the one a later copy is compared against) through
//! `SqlTables`, which keeps the current slice's bucket entries in memory
//! and writes them sorted. A document whose content changed or that was
//! deleted, or a saved row that no longer decodes, makes the appended
//! history wrong; then, and only
//! then, the index is rebuilt from scratch over the stored documents.
//!
//! # Groups, regrouped where pairs land
//!
//! The groups shown to readers (`reuse_groups`, `reuse_occurrences`,
//! `duplicate_groups`, `duplicate_members`) are connected components of
//! pairs. A new pair can join two old groups, and a new occurrence can even
//! split one (overlaps within a document are decided by a sweep that a new
//! span changes), so the groups the new pairs' documents were in are
//! deleted and the components reachable from those documents found again
//! (`regroup_passages`, `regroup_duplicates`); the rest of the corpus
//! is not read. The test `tests::incremental` checks the result against
//! grouping every stored pair at once.

use std::borrow::Cow;
use std::collections::BTreeSet;

use marsad_reuse::{
    add_document_to, assemble_group, sweep_unions, BucketKeys, DocumentRow, DuplicateRow, GroupSpan, LshTable,
    PassageRow, ReuseConfig, ReuseGroup, ReuseTables, Side,
};
use rusqlite::{params, Connection, OptionalExtension};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::NewlyIndexed;
use crate::rows::GROUP_MIN_WORDS;
use marsad_store::StoreError;

/// What [`update`] did.
pub(crate) struct ReuseUpdate {
    /// Documents added to the index, in the order they were added.
    pub added: Vec<NewlyIndexed>,
    /// The index was rebuilt from scratch (everything is in `added`).
    pub rebuilt: bool,
}

/// What one refresh carries from slice to slice of its pending documents
/// (each slice is its own transaction, see `Engine::refresh_views`): the
/// band-key filter of a large refresh, built once from the stored keys and
/// kept up to date as documents are added, instead of a scan of the bucket
/// index per slice.
pub(crate) struct ReuseCarry {
    /// Documents the whole refresh takes in: whether a filter pays, and its
    /// size.
    adding: usize,
    filter: Option<KeyFilter>,
}

impl ReuseCarry {
    /// For a refresh of `adding` pending documents in all.
    pub(crate) fn new(adding: usize) -> ReuseCarry {
        ReuseCarry { adding, filter: None }
    }
}

/// Brings the reuse index and its groups up to the `pending` documents (new,
/// replaced or reanalysed since the last refresh). Runs inside the refresh
/// transaction; reads only what the new documents touch.
pub(crate) fn update(db: &Connection, pending: &[String], carry: &mut ReuseCarry) -> Result<ReuseUpdate, StoreError> {
    let mut rebuild = false;
    let mut fresh: Vec<(String, Option<String>, String)> = Vec::new(); // id, date, hash
    {
        let mut current = db.prepare_cached("SELECT content_hash, date FROM documents WHERE id = ?1")?;
        let mut indexed = db.prepare_cached("SELECT content_hash FROM reuse_docs WHERE doc_id = ?1")?;
        for id in pending {
            let Some((hash, date)) =
                current.query_row([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))).optional()?
            else {
                // A deleted document: later documents were compared with
                // it, so the history is made again without it.
                if indexed.query_row([id], |r| r.get::<_, String>(0)).optional()?.is_some() {
                    rebuild = true;
                }
                continue;
            };
            match indexed.query_row([id], |r| r.get::<_, String>(0)).optional()? {
                None => fresh.push((id.clone(), date, hash)),
                Some(old) if old == hash => {}
                // A document whose text changed makes the appended history
                // wrong (later documents were compared with its old text).
                Some(_) => rebuild = true,
            }
        }
    }
    let unfiled: bool =
        db.query_row("SELECT EXISTS (SELECT 1 FROM reuse_docs WHERE signature IS NULL)", [], |r| r.get(0))?;
    let mut regroup_all = false;
    if unfiled && !rebuild {
        match refile(db) {
            Ok(()) => regroup_all = true,
            Err(StoreError::Corrupt(_)) => rebuild = true,
            Err(e) => return Err(e),
        }
    }
    if rebuild {
        fresh = start_over(db)?;
        regroup_all = true;
    }
    if rebuild {
        // The buckets were emptied: the filter would only be looser, but
        // the history is made again in this slice anyway.
        carry.filter = None;
    }
    let mut added = match add_fresh(db, &mut fresh, carry) {
        Ok(added) => added,
        // A saved row that does not decode (another version, a damaged
        // blob) is found when a new document is compared with it: the
        // history cannot be trusted, so it is made again.
        Err(StoreError::Corrupt(_)) if !rebuild => {
            rebuild = true;
            regroup_all = true;
            fresh = start_over(db)?;
            carry.filter = None;
            add_fresh(db, &mut fresh, carry)?
        }
        Err(e) => return Err(e),
    };
    let (mut touched_passages, mut touched_duplicates) =
        (std::mem::take(&mut added.touched_passages), std::mem::take(&mut added.touched_duplicates));
    if regroup_all {
        for table in ["reuse_groups", "reuse_occurrences", "duplicate_groups", "duplicate_members"] {
            db.execute(&format!("DELETE FROM {table}"), [])?;
        }
        let n: i64 = db.query_row("SELECT COUNT(*) FROM reuse_docs", [], |r| r.get(0))?;
        touched_passages = (0..n as u32).collect();
        touched_duplicates = touched_passages.clone();
        let ids: Vec<String> = db
            .prepare("SELECT doc_id FROM reuse_docs ORDER BY seq")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in &ids {
            regroup_cleaner_repeats(db, id)?;
        }
    } else {
        for id in pending {
            regroup_cleaner_repeats(db, id)?;
        }
    }
    regroup_passages(db, &touched_passages)?;
    regroup_duplicates(db, &touched_duplicates)?;
    Ok(ReuseUpdate { added: added.documents, rebuilt: rebuild })
}

/// Empties the index's rows; returns every stored document, to be added
/// again.
fn start_over(db: &Connection) -> Result<Vec<(String, Option<String>, String)>, StoreError> {
    for table in ["reuse_docs", "reuse_pairs", "reuse_duplicate_pairs", "reuse_buckets"] {
        db.execute(&format!("DELETE FROM {table}"), [])?;
    }
    Ok(db
        .prepare("SELECT id, date, content_hash FROM documents")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?)
}

/// What [`add_fresh`] added and where it found something.
struct Added {
    documents: Vec<NewlyIndexed>,
    /// Documents on either side of the new passages.
    touched_passages: BTreeSet<u32>,
    /// Documents with new near-duplicate pairs.
    touched_duplicates: BTreeSet<u32>,
}

/// Adds the `fresh` documents (id, date, content hash) to the index, in
/// date order (undated last), then id: the earlier article enters first, as
/// it would have in a live feed.
fn add_fresh(
    db: &Connection,
    fresh: &mut [(String, Option<String>, String)],
    carry: &mut ReuseCarry,
) -> Result<Added, StoreError> {
    fresh.sort_by(|a, b| {
        (a.1.is_none(), a.1.as_deref(), a.0.as_str()).cmp(&(b.1.is_none(), b.1.as_deref(), b.0.as_str()))
    });
    let config = ReuseConfig::default();
    let mut tables = SqlTables::new(db, fresh.len().max(carry.adding), carry.filter.take())?;
    let mut out = Added {
        documents: Vec::with_capacity(fresh.len()),
        touched_passages: BTreeSet::new(),
        touched_duplicates: BTreeSet::new(),
    };
    let mut text_of = db.prepare_cached("SELECT text, title FROM documents WHERE id = ?1")?;
    for (id, date, hash) in fresh.iter() {
        let (text, title): (String, Option<String>) = text_of.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let seq = tables.document_count();
        tables.next_hash = hash.clone();
        let found = add_document_to(&mut tables, &config, id, date.as_deref(), &text)?;
        let near_duplicate_of = found
            .duplicates
            .iter()
            .max_by(|x, y| x.coverage.total_cmp(&y.coverage).then(y.other.cmp(&x.other)))
            .map(|d| d.other.clone());
        out.touched_passages.extend(tables.last_passage_docs.drain(..));
        if !found.duplicates.is_empty() {
            out.touched_duplicates.insert(seq);
        }
        out.documents.push(NewlyIndexed { id: id.clone(), date: date.clone(), title, near_duplicate_of });
    }
    tables.flush()?;
    carry.filter = tables.filter.take();
    Ok(out)
}

/// Documents kept in memory between flushes of the LSH rows.
const FLUSH_EVERY: usize = 2048;

/// From this many new documents in one refresh, [`SqlTables`] first reads
/// every stored band key into a [`KeyFilter`] (a hundred in the unit
/// tests, so that their batches build one and carry it across slices).
const FILTER_FROM: usize = if cfg!(test) { 100 } else { 1000 };

/// Which band keys the bucket table may hold: a Bloom filter (about ten
/// bits a key, four probes, under 1% false positives).
///
/// Nine in ten band keys are a sentence or document no other document has,
/// so nine in ten bucket lookups find nothing; each costs a statement on
/// the database (a few microseconds), which is nothing for a batch of ten
/// and minutes for a first ingest of a corpus. A large batch reads the keys
/// once (a scan of the bucket index) and asks the database only about keys
/// the filter may hold. A small batch does not build it: reading every key
/// would cost more than its lookups.
struct KeyFilter {
    bits: Vec<u64>,
}

impl KeyFilter {
    fn with_capacity(keys: usize) -> KeyFilter {
        let words = (keys.max(1024) * 10).div_ceil(64).next_power_of_two();
        KeyFilter { bits: vec![0; words] }
    }

    fn probes(&self, table: LshTable, key: u32) -> impl Iterator<Item = usize> {
        let mask = self.bits.len() * 64 - 1;
        let h = mix64(u64::from(key) << 1 | u64::from(table.code()));
        let (h1, h2) = (h as usize, (h >> 32) as usize | 1);
        (0..4).map(move |i| h1.wrapping_add(i * h2) & mask)
    }

    fn insert(&mut self, table: LshTable, key: u32) {
        let probes: Vec<usize> = self.probes(table, key).collect();
        for p in probes {
            self.bits[p / 64] |= 1 << (p % 64);
        }
    }

    fn may_hold(&self, table: LshTable, key: u32) -> bool {
        self.probes(table, key).all(|p| self.bits[p / 64] & (1 << (p % 64)) != 0)
    }
}

/// SplitMix64's finalizer.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The reuse index's tables in SQLite ([`marsad_reuse::ReuseTables`]).
///
/// A document's rows (`reuse_docs`, its passages and near-duplicate pairs)
/// are written as it is added; its bucket entries wait in memory with its
/// words until [`FLUSH_EVERY`] documents have come, then go in sorted, so
/// a large ingest writes the bucket index in order instead of at random.
/// Lookups read the waiting entries first (they are the newest), then the
/// table.
struct SqlTables<'a> {
    db: &'a Connection,
    /// Documents in `reuse_docs`, including the waiting ones.
    count: u32,
    /// Number of the first waiting document.
    first_waiting: u32,
    waiting: Vec<DocumentRow>,
    waiting_buckets: [FxHashMap<u32, Vec<u32>>; 2],
    /// Content hash of the document being added (for its `reuse_docs` row).
    next_hash: String,
    /// Documents on either side of the passages the last push recorded.
    last_passage_docs: Vec<u32>,
    /// The keys the bucket table may hold, for a large batch.
    filter: Option<KeyFilter>,
}

impl<'a> SqlTables<'a> {
    /// The tables, about to take `adding` new documents (in this call and
    /// the refresh's later slices), with the filter an earlier slice built.
    fn new(db: &'a Connection, adding: usize, kept: Option<KeyFilter>) -> Result<SqlTables<'a>, StoreError> {
        let count: i64 = db.query_row("SELECT COALESCE(MAX(seq) + 1, 0) FROM reuse_docs", [], |r| r.get(0))?;
        let filter = if kept.is_some() {
            kept
        } else if adding >= FILTER_FROM {
            let stored: i64 = db.query_row("SELECT COUNT(*) FROM reuse_buckets", [], |r| r.get(0))?;
            // About 260 keys a document.
            let mut filter = KeyFilter::with_capacity(stored as usize + adding * 260);
            let mut stmt = db.prepare("SELECT tbl, key FROM reuse_buckets")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let table = if r.get::<_, u8>(0)? == 0 { LshTable::Documents } else { LshTable::Sentences };
                filter.insert(table, r.get(1)?);
            }
            Some(filter)
        } else {
            None
        };
        Ok(SqlTables {
            db,
            count: count as u32,
            first_waiting: count as u32,
            waiting: Vec::new(),
            waiting_buckets: [FxHashMap::default(), FxHashMap::default()],
            next_hash: String::new(),
            last_passage_docs: Vec::new(),
            filter,
        })
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        let mut rows: Vec<(u8, u32, u32)> = Vec::new();
        for (tbl, map) in self.waiting_buckets.iter_mut().enumerate() {
            for (key, docs) in map.drain() {
                rows.extend(docs.into_iter().map(|d| (tbl as u8, key, d)));
            }
        }
        rows.sort_unstable();
        let mut add = self.db.prepare_cached("INSERT INTO reuse_buckets (tbl, key, doc) VALUES (?1, ?2, ?3)")?;
        for (tbl, key, doc) in rows {
            add.execute(params![tbl, key, doc])?;
        }
        self.waiting.clear();
        self.first_waiting = self.count;
        Ok(())
    }
}

impl marsad_reuse::ReuseTables for SqlTables<'_> {
    type Error = StoreError;

    fn document_count(&self) -> u32 {
        self.count
    }

    fn bucket(&mut self, table: LshTable, key: u32, limit: usize, f: &mut dyn FnMut(u32)) -> Result<(), StoreError> {
        let mut seen = 0;
        if let Some(docs) = self.waiting_buckets[table.code() as usize].get(&key) {
            for &d in docs.iter().rev().take(limit) {
                f(d);
                seen += 1;
            }
        }
        if seen < limit && self.filter.as_ref().is_none_or(|f| f.may_hold(table, key)) {
            // The limit is written into the statement, not bound: the
            // planner reads a bound LIMIT, so SQLite prepares the statement
            // again whenever its value changes (a fifth of a large ingest's
            // time went to parsing). The limit is the configuration's, one
            // statement; the rows the waiting entries took are skipped here.
            let mut stmt = self.db.prepare_cached(&format!(
                "SELECT doc FROM reuse_buckets WHERE tbl = ?1 AND key = ?2 ORDER BY doc DESC LIMIT {limit}"
            ))?;
            let mut rows = stmt.query(params![table.code(), key])?;
            let mut left = limit - seen;
            while left > 0 {
                let Some(r) = rows.next()? else { break };
                f(r.get(0)?);
                left -= 1;
            }
        }
        Ok(())
    }

    fn signature(&mut self, doc: u32) -> Result<Cow<'_, [u32]>, StoreError> {
        if doc >= self.first_waiting {
            return Ok(Cow::Owned(self.waiting[(doc - self.first_waiting) as usize].signature().to_vec()));
        }
        let bytes: Vec<u8> = self
            .db
            .prepare_cached("SELECT signature FROM reuse_docs WHERE seq = ?1")?
            .query_row([doc], |r| r.get(0))?;
        Ok(Cow::Owned(bytes.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()))
    }

    fn document(&mut self, doc: u32) -> Result<Cow<'_, DocumentRow>, StoreError> {
        if doc >= self.first_waiting {
            return Ok(Cow::Borrowed(&self.waiting[(doc - self.first_waiting) as usize]));
        }
        Ok(Cow::Owned(load_row(self.db, doc)?))
    }

    fn push(
        &mut self,
        row: DocumentRow,
        keys: BucketKeys,
        passages: Vec<PassageRow>,
        duplicates: Vec<DuplicateRow>,
    ) -> Result<(), StoreError> {
        let doc = self.count;
        let signature: Vec<u8> = row.signature().iter().flat_map(|h| h.to_le_bytes()).collect();
        self.db
            .prepare_cached(
                "INSERT INTO reuse_docs (seq, doc_id, content_hash, derived, signature) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![doc, row.id, self.next_hash, row.derived_bytes(), signature])?;
        let mut add_pair = self.db.prepare_cached(
            "INSERT INTO reuse_pairs (a, a_start, a_end, b, b_start, b_end, a_words, b_words, similarity)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for p in &passages {
            add_pair.execute(params![p.a.0, p.a.1, p.a.2, p.b.0, p.b.1, p.b.2, p.words.0, p.words.1, p.similarity])?;
            self.last_passage_docs.extend([p.a.0, p.b.0]);
        }
        let mut add_dup = self
            .db
            .prepare_cached("INSERT INTO reuse_duplicate_pairs (a, b, similarity, coverage) VALUES (?1, ?2, ?3, ?4)")?;
        for d in &duplicates {
            add_dup.execute(params![d.a, d.b, d.similarity, d.coverage])?;
        }
        for (table, list) in [(LshTable::Documents, keys.documents), (LshTable::Sentences, keys.sentences)] {
            let map = &mut self.waiting_buckets[table.code() as usize];
            for key in list {
                if let Some(filter) = &mut self.filter {
                    filter.insert(table, key);
                }
                map.entry(key).or_default().push(doc);
            }
        }
        self.waiting.push(row);
        self.count += 1;
        if self.waiting.len() >= FLUSH_EVERY {
            self.flush()?;
        }
        Ok(())
    }
}

/// Document `seq` of the index from its row and its text. A row that does
/// not decode (another version, a damaged blob) is [`StoreError::Corrupt`].
fn load_row(db: &Connection, seq: u32) -> Result<DocumentRow, StoreError> {
    let (id, date, text, derived): (String, Option<String>, String, Vec<u8>) = db
        .prepare_cached(
            "SELECT r.doc_id, d.date, d.text, r.derived FROM reuse_docs r JOIN documents d ON d.id = r.doc_id
             WHERE r.seq = ?1",
        )?
        .query_row([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?
        .ok_or_else(|| StoreError::Corrupt(format!("reuse row {seq} without its document")))?;
    DocumentRow::from_derived_bytes(id.clone(), date, text, &derived)
        .map_err(|e| StoreError::Corrupt(format!("reuse row of {id}: {e}")))
}

/// Files every row without a signature again from its saved words (a store
/// from before the LSH tables were rows), one row at a time.
fn refile(db: &Connection) -> Result<(), StoreError> {
    let config = ReuseConfig::default();
    let seqs: Vec<u32> = db
        .prepare("SELECT seq FROM reuse_docs WHERE signature IS NULL ORDER BY seq")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut add = db.prepare_cached("INSERT INTO reuse_buckets (tbl, key, doc) VALUES (?1, ?2, ?3)")?;
    let mut sign = db.prepare_cached("UPDATE reuse_docs SET signature = ?2 WHERE seq = ?1")?;
    for seq in seqs {
        let row = load_row(db, seq)?;
        let keys = row.bucket_keys(&config);
        for (table, list) in [(LshTable::Documents, keys.documents), (LshTable::Sentences, keys.sentences)] {
            for key in list {
                add.execute(params![table.code(), key, seq])?;
            }
        }
        let signature: Vec<u8> = row.signature().iter().flat_map(|h| h.to_le_bytes()).collect();
        sign.execute(params![seq, signature])?;
    }
    Ok(())
}

/// One side of a passage row, located.
#[derive(Clone, Copy)]
struct StoredSide {
    doc: u32,
    side: Side,
    /// The document of the row's other side.
    other: u32,
    /// The row's similarity.
    similarity: f32,
}

/// The grouped sides (both sides at least [`GROUP_MIN_WORDS`] words) of
/// the passages of document `doc`, keyed `2 × rowid + side`.
fn sides_of(db: &Connection, doc: u32) -> Result<Vec<StoredSide>, StoreError> {
    let mut stmt = db.prepare_cached(
        "SELECT rowid, a, a_start, a_end, b, b_start, b_end, similarity FROM reuse_pairs
         WHERE a = ?1 AND a_words >= ?2 AND b_words >= ?2
         UNION ALL
         SELECT rowid, a, a_start, a_end, b, b_start, b_end, similarity FROM reuse_pairs
         WHERE b = ?1 AND a <> ?1 AND a_words >= ?2 AND b_words >= ?2",
    )?;
    let mut out = Vec::new();
    let mut rows = stmt.query(params![doc, GROUP_MIN_WORDS])?;
    while let Some(r) = rows.next()? {
        let rowid: i64 = r.get(0)?;
        let (a, b): (u32, u32) = (r.get(1)?, r.get(4)?);
        let similarity = r.get::<_, f64>(7)? as f32;
        for (side, col, other) in [(0u64, 2usize, b), (1, 5, a)] {
            if r.get::<_, u32>(col - 1)? == doc {
                let side = Side { start: r.get(col)?, end: r.get(col + 1)?, key: 2 * rowid as u64 + side };
                out.push(StoredSide { doc, side, other, similarity });
            }
        }
    }
    Ok(out)
}

/// Sides loaded so far, with the overlap edges of their documents.
#[derive(Default)]
struct SideGraph {
    nodes: Vec<StoredSide>,
    /// Side key → node.
    index: FxHashMap<u64, usize>,
    /// Overlap edges within a document ([`marsad_reuse::sweep_unions`]).
    overlaps: Vec<Vec<usize>>,
    loaded: FxHashSet<u32>,
}

impl SideGraph {
    /// Loads a document's sides (once) and its overlap edges, which depend
    /// on all of its sides.
    fn load(&mut self, db: &Connection, doc: u32) -> Result<(), StoreError> {
        if !self.loaded.insert(doc) {
            return Ok(());
        }
        let sides = sides_of(db, doc)?;
        let first = self.nodes.len();
        for s in &sides {
            self.index.insert(s.side.key, self.nodes.len());
            self.nodes.push(*s);
            self.overlaps.push(Vec::new());
        }
        for (x, y) in sweep_unions(&sides.iter().map(|s| s.side).collect::<Vec<_>>()) {
            self.overlaps[first + x].push(first + y);
            self.overlaps[first + y].push(first + x);
        }
        Ok(())
    }
}

/// Regroups the passages reachable from documents `docs`: the groups those
/// documents were in are deleted, and the components of occurrences that
/// reach them — through the two sides of a row, and through overlaps within
/// one document ([`marsad_reuse::sweep_unions`]) — are found again and
/// written as groups ([`marsad_reuse::assemble_group`]). A component that
/// does not reach these documents keeps its group: nothing that joins its
/// occurrences changed (new rows have both sides in `docs`, and a
/// document's overlaps change only with its own sides). The work is the
/// size of the components touched, whatever the size of the corpus.
fn regroup_passages(db: &Connection, docs: &BTreeSet<u32>) -> Result<(), StoreError> {
    if docs.is_empty() {
        return Ok(());
    }
    let mut old: BTreeSet<i64> = BTreeSet::new();
    {
        let mut stmt = db.prepare_cached(
            "SELECT DISTINCT o.group_id FROM reuse_occurrences o JOIN reuse_groups g ON g.id = o.group_id
             WHERE o.doc_id = (SELECT doc_id FROM reuse_docs WHERE seq = ?1) AND g.cleaner_doc IS NULL",
        )?;
        for &d in docs {
            for id in stmt.query_map([d], |r| r.get(0))? {
                old.insert(id?);
            }
        }
    }
    for &id in &old {
        delete_group(db, id)?;
    }
    let mut graph = SideGraph::default();
    let mut starts = Vec::new();
    for &d in docs {
        let first = graph.nodes.len();
        graph.load(db, d)?;
        starts.extend(first..graph.nodes.len());
    }
    let mut seen = vec![false; graph.nodes.len()];
    let mut texts: FxHashMap<u32, (String, Option<String>, String)> = FxHashMap::default();
    for start in starts {
        if seen[start] {
            continue;
        }
        // One component, breadth first.
        seen[start] = true;
        let mut members = vec![start];
        let mut at = 0;
        while at < members.len() {
            let i = members[at];
            at += 1;
            let node = graph.nodes[i];
            graph.load(db, node.other)?;
            seen.resize(graph.nodes.len(), false);
            let partner = graph.index[&(node.side.key ^ 1)];
            for j in std::iter::once(partner).chain(graph.overlaps[i].clone()) {
                if !seen[j] {
                    seen[j] = true;
                    members.push(j);
                }
            }
        }
        for &i in &members {
            let d = graph.nodes[i].doc;
            if let std::collections::hash_map::Entry::Vacant(e) = texts.entry(d) {
                let found: (String, Option<String>, String) = db
                    .prepare_cached(
                        "SELECT r.doc_id, d.date, d.text FROM reuse_docs r JOIN documents d ON d.id = r.doc_id
                         WHERE r.seq = ?1",
                    )?
                    .query_row([d], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                e.insert(found);
            }
        }
        let spans: Vec<GroupSpan<'_>> = members
            .iter()
            .map(|&i| {
                let n = &graph.nodes[i];
                let (id, date, text) = &texts[&n.doc];
                GroupSpan { doc: id, number: n.doc, start: n.side.start, end: n.side.end, text, date: date.as_deref() }
            })
            .collect();
        let mut rows: Vec<(u64, f32)> =
            members.iter().map(|&i| (graph.nodes[i].side.key / 2, graph.nodes[i].similarity)).collect();
        rows.sort_by_key(|r| r.0);
        rows.dedup_by_key(|r| r.0);
        let similarity = rows.iter().map(|r| r.1).sum::<f32>() / rows.len() as f32;
        if let Some(group) = assemble_group(spans, similarity) {
            write_group(db, &group, None)?;
        }
        // Keep the texts of a bounded number of documents at once.
        if texts.len() > 4096 {
            texts.clear();
        }
    }
    Ok(())
}

/// Deletes one passage group and its occurrences.
fn delete_group(db: &Connection, id: i64) -> Result<(), StoreError> {
    db.prepare_cached("DELETE FROM reuse_occurrences WHERE group_id = ?1")?.execute([id])?;
    db.prepare_cached("DELETE FROM reuse_groups WHERE id = ?1")?.execute([id])?;
    Ok(())
}

/// Writes one passage group (`cleaner_doc`: the document whose cleaner
/// removed the repeats, for in-document groups made from removals).
fn write_group(db: &Connection, group: &ReuseGroup, cleaner_doc: Option<&str>) -> Result<(), StoreError> {
    let words = word_count(&group.text);
    let mut docs: Vec<&str> = group.occurrences.iter().map(|o| o.doc.as_str()).collect();
    docs.dedup();
    let first = &group.occurrences[0];
    db.prepare_cached(
        "INSERT INTO reuse_groups (words, docs, size, first_doc, first_start, cleaner_doc, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        words as i64,
        docs.len() as i64,
        group.occurrences.len() as i64,
        first.doc,
        first.start as i64,
        cleaner_doc,
        encode(group)?
    ])?;
    let id = db.last_insert_rowid();
    let mut add = db.prepare_cached(
        r#"INSERT INTO reuse_occurrences (group_id, doc_id, "start", "end") VALUES (?1, ?2, ?3, ?4)"#,
    )?;
    for o in &group.occurrences {
        add.execute(params![id, o.doc, o.start as i64, o.end as i64])?;
    }
    Ok(())
}

/// Regroups the near-duplicate groups of the documents in `docs`: their
/// old groups go, and the documents joined to them by duplicate pairs
/// (transitively) become one group each, as
/// [`marsad_reuse::ReuseIndex::near_duplicates`] groups them.
fn regroup_duplicates(db: &Connection, docs: &BTreeSet<u32>) -> Result<(), StoreError> {
    let mut done: FxHashSet<u32> = FxHashSet::default();
    let mut pairs_of = db.prepare_cached(
        "SELECT a, b, similarity, coverage FROM reuse_duplicate_pairs WHERE a = ?1
         UNION ALL SELECT a, b, similarity, coverage FROM reuse_duplicate_pairs WHERE b = ?1",
    )?;
    for &start in docs {
        if done.contains(&start) {
            continue;
        }
        let mut members: BTreeSet<u32> = BTreeSet::from([start]);
        let mut queue = vec![start];
        let (mut similarity, mut coverage) = (1.0f32, 1.0f32);
        let mut any = false;
        while let Some(d) = queue.pop() {
            let rows: Vec<(u32, u32, f64, f64)> = pairs_of
                .query_map([d], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<Result<_, _>>()?;
            for (a, b, s, c) in rows {
                any = true;
                // Each pair is seen from both ends; min is idempotent.
                similarity = similarity.min(s as f32);
                coverage = coverage.min(c as f32);
                for x in [a, b] {
                    if members.insert(x) {
                        queue.push(x);
                    }
                }
            }
        }
        done.extend(members.iter().copied());
        let mut rows: Vec<(String, Option<String>)> = Vec::with_capacity(members.len());
        for &m in &members {
            rows.push(
                db.prepare_cached(
                    "SELECT r.doc_id, d.date FROM reuse_docs r JOIN documents d ON d.id = r.doc_id WHERE r.seq = ?1",
                )?
                .query_row([m], |r| Ok((r.get(0)?, r.get(1)?)))?,
            );
        }
        for (id, _) in &rows {
            let old: Vec<i64> = db
                .prepare_cached("SELECT group_id FROM duplicate_members WHERE doc_id = ?1")?
                .query_map([id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for g in old {
                db.prepare_cached("DELETE FROM duplicate_members WHERE group_id = ?1")?.execute([g])?;
                db.prepare_cached("DELETE FROM duplicate_groups WHERE id = ?1")?.execute([g])?;
            }
        }
        if !any {
            continue;
        }
        rows.sort();
        rows.dedup_by(|x, y| x.0 == y.0);
        let group = marsad_reuse::duplicate_group(
            rows.iter().map(|(id, date)| (id.as_str(), date.as_deref())).collect(),
            similarity,
            coverage,
        );
        db.prepare_cached("INSERT INTO duplicate_groups (size, first_doc, json) VALUES (?1, ?2, ?3)")?
            .execute(params![group.docs.len() as i64, group.docs[0], encode(&group)?])?;
        let id = db.last_insert_rowid();
        for d in &group.docs {
            db.prepare_cached("INSERT INTO duplicate_members (group_id, doc_id) VALUES (?1, ?2)")?
                .execute(params![id, d])?;
        }
    }
    Ok(())
}

/// Paragraphs the cleaner removed from `doc` as repeats of another of its
/// paragraphs (pull-quotes, pasted paragraphs), as in-document reuse
/// groups: the copy it kept (located in the clean text) and the copies it
/// removed (`removed`, with offsets in the extracted body). The reuse index
/// cannot see these — it reads the clean text, where only one copy is left —
/// but a reader asking what an article repeats must. Replaces the
/// document's earlier such groups.
fn regroup_cleaner_repeats(db: &Connection, doc: &str) -> Result<(), StoreError> {
    #[derive(serde::Deserialize)]
    struct Kind {
        of: Option<usize>,
    }
    let old: Vec<i64> = db
        .prepare_cached("SELECT id FROM reuse_groups WHERE cleaner_doc = ?1")?
        .query_map([doc], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for id in old {
        delete_group(db, id)?;
    }
    let mut stmt = db.prepare_cached(
        r#"SELECT r.kind, r.text, r."start", r."end", d.text FROM removals r
           JOIN documents d ON d.id = r.doc_id
           WHERE r.doc_id = ?1 AND r.kind LIKE '%"repeated_paragraph"%' ORDER BY r.seq"#,
    )?;
    let mut rows = stmt.query([doc])?;
    // paragraph → group.
    let mut groups: Vec<(Option<usize>, ReuseGroup)> = Vec::new();
    while let Some(r) = rows.next()? {
        let (kind, removed, start, end, text): (String, String, i64, i64, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        let of = serde_json::from_str::<Kind>(&kind).ok().and_then(|k| k.of);
        if word_count(&removed) < GROUP_MIN_WORDS as usize {
            continue;
        }
        let copy = marsad_reuse::Occurrence {
            doc: doc.to_string(),
            start: start.max(0) as usize,
            end: end.max(0) as usize,
            text: removed.clone(),
            removed: true,
        };
        if let Some((_, group)) = groups.iter_mut().find(|(k, _)| *k == of) {
            group.occurrences.push(copy);
            continue;
        }
        let Some(kept) = marsad_reuse::locate(&text, &removed) else { continue };
        let kept = marsad_reuse::Occurrence {
            doc: doc.to_string(),
            start: kept.start,
            end: kept.end,
            text: kept.text,
            removed: false,
        };
        groups.push((
            of,
            ReuseGroup { text: kept.text.clone(), similarity: 1.0, origin: None, occurrences: vec![kept, copy] },
        ));
    }
    for (_, group) in &groups {
        write_group(db, group, Some(doc))?;
    }
    Ok(())
}

fn word_count(text: &str) -> usize {
    marsad_text::tokenize(text).iter().filter(|t| t.kind != marsad_text::TokenKind::Punct).count()
}

fn encode<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("encoding reuse: {e}")))
}

/// The other documents `doc` shares a passage with, as the reuse groups
/// count passages (at least [`GROUP_MIN_WORDS`] words on both sides;
/// repeats inside one document do not count), sorted.
pub(crate) fn passage_partners(db: &Connection, doc: &str) -> Result<Vec<String>, StoreError> {
    let mut out: Vec<String> = db
        .prepare_cached(
            "SELECT o.doc_id FROM reuse_docs r JOIN reuse_pairs p ON p.a = r.seq JOIN reuse_docs o ON o.seq = p.b
             WHERE r.doc_id = ?1 AND p.a <> p.b AND p.a_words >= ?2 AND p.b_words >= ?2
             UNION
             SELECT o.doc_id FROM reuse_docs r JOIN reuse_pairs p ON p.b = r.seq JOIN reuse_docs o ON o.seq = p.a
             WHERE r.doc_id = ?1 AND p.a <> p.b AND p.a_words >= ?2 AND p.b_words >= ?2",
        )?
        .query_map(params![doc, GROUP_MIN_WORDS], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    out.sort();
    out.dedup();
    Ok(out)
}
