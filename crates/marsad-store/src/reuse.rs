//! Text reuse in the store: the incremental [`ReuseIndex`] kept as rows,
//! and the reuse and near-duplicate groups built from them.
//!
//! # Why rows, appended
//!
//! The reuse index is the expensive part of reuse detection: every new
//! document is signed, looked up in the LSH tables and aligned word by word
//! against its candidates. That work must happen once per document, when it
//! arrives — re-running it over the corpus at every ingest would cost the
//! whole corpus (seconds on 26k articles, minutes on 250k) to add one
//! article. So the store keeps what the index recorded as rows that are only
//! ever appended:
//!
//! * `reuse_docs`: one row per document in the order it entered the index,
//!   with its content hash and what the index derived from its text (word
//!   keys and spans, sentences, document signature:
//!   [`DocumentRow::derived_bytes`]); the text itself is the document's.
//! * `reuse_pairs` and `reuse_duplicate_pairs`: the passages and
//!   near-duplicate pairs the index found, by position in `reuse_docs`.
//!
//! At the end of an ingest run ([`crate::Store::refresh_views`]) the index
//! is rebuilt from those rows — the LSH tables are recomputed from stored
//! signatures, nothing is re-aligned — the new documents are added in date
//! order (so the earlier article is the one a later copy is compared
//! against), and the new rows appended. A document whose content changed, or
//! rows made by another version of the index, make the appended history
//! wrong; then, and only then, the index is rebuilt from scratch over the
//! stored documents.
//!
//! The groups shown to readers (`reuse_groups`, `reuse_occurrences`,
//! `duplicate_groups`, `duplicate_members`) are rebuilt from the pairs at
//! each refresh, because one new pair can join two old groups; that is a
//! union-find over the pairs, not alignment, and takes well under a second
//! on SaudiNewsNet.

use std::collections::HashMap;

use marsad_reuse::{DocumentRow, DuplicateGroup, ReuseConfig, ReuseGroup, ReuseIndex, ReuseRows};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::StoreError;
use crate::store::Store;

/// Shortest passage (in words) kept in the reuse groups: a sentence, not a
/// formula. `marsad reuse --min-words` filters further.
pub const GROUP_MIN_WORDS: u32 = 8;

/// A document the reuse index has just taken in, for the stages that follow
/// (stories).
#[derive(Clone, Debug)]
pub(crate) struct NewlyIndexed {
    pub id: String,
    pub date: Option<String>,
    pub title: Option<String>,
    pub text: String,
    /// The earlier document it most closely duplicates, if any.
    pub near_duplicate_of: Option<String>,
}

/// What [`update`] did.
pub(crate) struct ReuseUpdate {
    /// Documents added to the index, in the order they were added.
    pub added: Vec<NewlyIndexed>,
    /// The index was rebuilt from scratch (everything is in `added`).
    pub rebuilt: bool,
}

struct StoredDoc {
    id: String,
    hash: String,
    date: Option<String>,
    title: Option<String>,
}

/// Brings the reuse index and its groups up to the stored documents. Runs
/// inside the refresh transaction.
pub(crate) fn update(db: &Connection) -> Result<ReuseUpdate, StoreError> {
    let known: Vec<(i64, String, String)> = db
        .prepare("SELECT seq, doc_id, content_hash FROM reuse_docs ORDER BY seq")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let documents: Vec<StoredDoc> = db
        .prepare("SELECT id, content_hash, date, title FROM documents")?
        .query_map([], |r| Ok(StoredDoc { id: r.get(0)?, hash: r.get(1)?, date: r.get(2)?, title: r.get(3)? }))?
        .collect::<Result<_, _>>()?;
    let current: std::collections::HashMap<&str, &str> =
        documents.iter().map(|d| (d.id.as_str(), d.hash.as_str())).collect();
    // History is valid when every indexed document is still stored with the
    // content it was indexed with, and positions are 0..n.
    let mut valid = known
        .iter()
        .enumerate()
        .all(|(i, (seq, id, hash))| *seq == i as i64 && current.get(id.as_str()) == Some(&hash.as_str()));

    let indexed: std::collections::HashSet<&str> = known.iter().map(|k| k.1.as_str()).collect();
    let mut fresh: Vec<&StoredDoc> = documents.iter().filter(|d| !valid || !indexed.contains(d.id.as_str())).collect();
    if valid && fresh.is_empty() {
        return Ok(ReuseUpdate { added: Vec::new(), rebuilt: false });
    }

    let mut index = if valid {
        match load_index(db, &known) {
            Ok(index) => index,
            Err(StoreError::Corrupt(_)) => {
                valid = false;
                ReuseIndex::new()
            }
            Err(e) => return Err(e),
        }
    } else {
        ReuseIndex::new()
    };
    if !valid {
        for table in ["reuse_docs", "reuse_pairs", "reuse_duplicate_pairs"] {
            db.execute(&format!("DELETE FROM {table}"), [])?;
        }
        fresh = documents.iter().collect();
    }
    // Date order (undated last), then id: the earlier article enters first,
    // as it would have in a live feed.
    fresh.sort_by(|a, b| {
        (a.date.is_none(), a.date.as_deref(), a.id.as_str()).cmp(&(b.date.is_none(), b.date.as_deref(), b.id.as_str()))
    });

    let (passages_before, duplicates_before) = (index.passages().len(), index.duplicate_pairs().len());
    let mut added = Vec::with_capacity(fresh.len());
    {
        let mut text_of = db.prepare_cached("SELECT text FROM documents WHERE id = ?1")?;
        let mut add_doc =
            db.prepare_cached("INSERT INTO reuse_docs (seq, doc_id, content_hash, derived) VALUES (?1, ?2, ?3, ?4)")?;
        for doc in fresh {
            let text: String = text_of.query_row([&doc.id], |r| r.get(0))?;
            let found = index.add_document(&doc.id, doc.date.as_deref(), &text);
            let seq = index.len() - 1;
            add_doc.execute(params![seq as i64, doc.id, doc.hash, index.documents()[seq].derived_bytes()])?;
            let near_duplicate_of = found
                .duplicates
                .iter()
                .max_by(|x, y| x.coverage.total_cmp(&y.coverage).then(y.other.cmp(&x.other)))
                .map(|d| d.other.clone());
            added.push(NewlyIndexed {
                id: doc.id.clone(),
                date: doc.date.clone(),
                title: doc.title.clone(),
                text,
                near_duplicate_of,
            });
        }
        let mut add_pair = db.prepare_cached(
            "INSERT INTO reuse_pairs (a, a_start, a_end, b, b_start, b_end, a_words, b_words, similarity)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for p in &index.passages()[passages_before..] {
            add_pair.execute(params![p.a.0, p.a.1, p.a.2, p.b.0, p.b.1, p.b.2, p.words.0, p.words.1, p.similarity])?;
        }
        let mut add_dup = db
            .prepare_cached("INSERT INTO reuse_duplicate_pairs (a, b, similarity, coverage) VALUES (?1, ?2, ?3, ?4)")?;
        for d in &index.duplicate_pairs()[duplicates_before..] {
            add_dup.execute(params![d.a, d.b, d.similarity, d.coverage])?;
        }
    }
    write_groups(db, &index)?;
    Ok(ReuseUpdate { added, rebuilt: !valid })
}

/// The index from its rows. A row that does not decode (another version, a
/// damaged blob) is reported as [`StoreError::Corrupt`]; the caller then
/// rebuilds from the documents.
fn load_index(db: &Connection, known: &[(i64, String, String)]) -> Result<ReuseIndex, StoreError> {
    let mut documents = Vec::with_capacity(known.len());
    {
        let mut stmt = db.prepare(
            "SELECT r.doc_id, d.date, d.text, r.derived FROM reuse_docs r JOIN documents d ON d.id = r.doc_id
             ORDER BY r.seq",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (id, date, text, derived): (String, Option<String>, String, Vec<u8>) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let row = DocumentRow::from_derived_bytes(id.clone(), date, text, &derived)
                .map_err(|e| StoreError::Corrupt(format!("reuse row of {id}: {e}")))?;
            documents.push(row);
        }
    }
    if documents.len() != known.len() {
        return Err(StoreError::Corrupt("reuse rows and documents disagree".into()));
    }
    let n = documents.len() as u32;
    let passages = db
        .prepare(
            "SELECT a, a_start, a_end, b, b_start, b_end, a_words, b_words, similarity FROM reuse_pairs ORDER BY rowid",
        )?
        .query_map([], |r| {
            Ok(marsad_reuse::PassageRow {
                a: (r.get(0)?, r.get(1)?, r.get(2)?),
                b: (r.get(3)?, r.get(4)?, r.get(5)?),
                words: (r.get(6)?, r.get(7)?),
                similarity: r.get::<_, f64>(8)? as f32,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let duplicates = db
        .prepare("SELECT a, b, similarity, coverage FROM reuse_duplicate_pairs ORDER BY rowid")?
        .query_map([], |r| {
            Ok(marsad_reuse::DuplicateRow {
                a: r.get(0)?,
                b: r.get(1)?,
                similarity: r.get::<_, f64>(2)? as f32,
                coverage: r.get::<_, f64>(3)? as f32,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    // Spans are checked against the text by `from_derived_bytes`; pair rows
    // must point at documents and inside their texts, or `groups` would
    // slice out of bounds.
    let in_text = |doc: u32, start: u32, end: u32| {
        documents.get(doc as usize).is_some_and(|d| {
            start <= end
                && d.text.is_char_boundary(start as usize)
                && d.text.is_char_boundary(end as usize)
                && (end as usize) <= d.text.len()
        })
    };
    if passages.iter().any(|p| !in_text(p.a.0, p.a.1, p.a.2) || !in_text(p.b.0, p.b.1, p.b.2))
        || duplicates.iter().any(|d| d.a >= n || d.b >= n)
    {
        return Err(StoreError::Corrupt("reuse pair outside its documents".into()));
    }
    Ok(ReuseIndex::from_rows(ReuseRows { config: ReuseConfig::default(), documents, passages, duplicates }))
}

fn write_groups(db: &Connection, index: &ReuseIndex) -> Result<(), StoreError> {
    for table in ["reuse_groups", "reuse_occurrences", "duplicate_groups", "duplicate_members"] {
        db.execute(&format!("DELETE FROM {table}"), [])?;
    }
    let mut add_group =
        db.prepare_cached("INSERT INTO reuse_groups (id, words, docs, json) VALUES (?1, ?2, ?3, ?4)")?;
    let mut add_occurrence = db.prepare_cached(
        r#"INSERT INTO reuse_occurrences (group_id, doc_id, "start", "end") VALUES (?1, ?2, ?3, ?4)"#,
    )?;
    let mut groups = index.groups(GROUP_MIN_WORDS);
    groups.extend(cleaner_repeats(db)?);
    for (id, group) in groups.iter().enumerate() {
        let words = word_count(&group.text);
        let mut docs: Vec<&str> = group.occurrences.iter().map(|o| o.doc.as_str()).collect();
        docs.dedup();
        add_group.execute(params![id as i64, words as i64, docs.len() as i64, encode(group)?])?;
        for o in &group.occurrences {
            add_occurrence.execute(params![id as i64, o.doc, o.start as i64, o.end as i64])?;
        }
    }
    let mut add_dup = db.prepare_cached("INSERT INTO duplicate_groups (id, json) VALUES (?1, ?2)")?;
    let mut add_member = db.prepare_cached("INSERT INTO duplicate_members (group_id, doc_id) VALUES (?1, ?2)")?;
    for (id, group) in index.near_duplicates().iter().enumerate() {
        add_dup.execute(params![id as i64, encode(group)?])?;
        for d in &group.docs {
            add_member.execute(params![id as i64, d])?;
        }
    }
    Ok(())
}

/// SQLite's `LIMIT`: -1 is no limit.
pub(crate) fn sql_limit(limit: Option<usize>) -> i64 {
    limit.map_or(-1, |n| n.min(i64::MAX as usize) as i64)
}

/// Paragraphs the cleaner removed as repeats of another paragraph of the
/// same document (pull-quotes, pasted paragraphs), as in-document reuse
/// groups: the copy it kept (located in the clean text) and the copies it
/// removed (`removed`, with offsets in the extracted body). The reuse index
/// cannot see these — it reads the clean text, where only one copy is left —
/// but a reader asking what an article repeats must.
fn cleaner_repeats(db: &Connection) -> Result<Vec<ReuseGroup>, StoreError> {
    #[derive(serde::Deserialize)]
    struct Kind {
        of: Option<usize>,
    }
    let mut stmt = db.prepare(
        r#"SELECT r.doc_id, r.kind, r.text, r."start", r."end", d.text FROM removals r
           JOIN documents d ON d.id = r.doc_id
           WHERE r.kind LIKE '%"repeated_paragraph"%' ORDER BY r.doc_id, r.seq"#,
    )?;
    let mut rows = stmt.query([])?;
    // (doc, paragraph) → group.
    let mut groups: Vec<((String, Option<usize>), ReuseGroup)> = Vec::new();
    while let Some(r) = rows.next()? {
        let (doc, kind, removed, start, end, text): (String, String, String, i64, i64, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
        let of = serde_json::from_str::<Kind>(&kind).ok().and_then(|k| k.of);
        if word_count(&removed) < GROUP_MIN_WORDS as usize {
            continue;
        }
        let copy = marsad_reuse::Occurrence {
            doc: doc.clone(),
            start: start.max(0) as usize,
            end: end.max(0) as usize,
            text: removed.clone(),
            removed: true,
        };
        let key = (doc.clone(), of);
        if let Some((_, group)) = groups.iter_mut().find(|(k, _)| *k == key) {
            group.occurrences.push(copy);
            continue;
        }
        let Some(kept) = marsad_reuse::locate(&text, &removed) else { continue };
        let kept = marsad_reuse::Occurrence { doc, start: kept.start, end: kept.end, text: kept.text, removed: false };
        groups.push((
            key,
            ReuseGroup { text: kept.text.clone(), similarity: 1.0, origin: None, occurrences: vec![kept, copy] },
        ));
    }
    Ok(groups.into_iter().map(|(_, g)| g).collect())
}

fn word_count(text: &str) -> usize {
    marsad_text::tokenize(text).iter().filter(|t| t.kind != marsad_text::TokenKind::Punct).count()
}

fn encode<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("encoding reuse: {e}")))
}

/// Which reuse groups to list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReuseFilter {
    /// Only passages of at least this many words (at least
    /// [`GROUP_MIN_WORDS`]).
    pub min_words: u32,
    /// Only groups with an occurrence in this document.
    pub doc: Option<String>,
    /// Only groups spanning two or more documents (no in-document repeats).
    pub across_documents: bool,
    /// Page size; `None` for all.
    pub limit: Option<usize>,
    pub offset: usize,
    /// Add [`ReuseGroupRecord::contexts`] with this many characters of
    /// text on each side of every occurrence (`None`: no contexts). A page
    /// that shows passages in their surroundings then needs no request per
    /// document.
    pub context: Option<usize>,
    /// Keep at most this many occurrences per group (`None`: all), the
    /// origin and the filter's document among them; `occurrence_count`
    /// then tells how many there are. Boilerplate passages occur in
    /// hundreds of articles.
    pub occurrences: Option<usize>,
}

impl Default for ReuseFilter {
    fn default() -> Self {
        ReuseFilter {
            min_words: GROUP_MIN_WORDS,
            doc: None,
            across_documents: false,
            limit: Some(50),
            offset: 0,
            context: None,
            occurrences: None,
        }
    }
}

/// Cuts a group's occurrences to `cap` (at least 1), keeping their order
/// but making room for the origin and for an occurrence in `doc`, and
/// re-pointing `origin`.
fn keep_occurrences(group: &mut ReuseGroup, cap: usize, doc: Option<&str>) {
    let cap = cap.max(1);
    let origin = group.origin;
    let mut must: Vec<usize> = origin.into_iter().collect();
    if let Some(doc) = doc {
        if let Some(i) = group.occurrences.iter().position(|o| o.doc == doc) {
            must.push(i);
        }
    }
    let mut keep: Vec<usize> = must.iter().copied().take(cap).collect();
    for i in 0..group.occurrences.len() {
        if keep.len() >= cap {
            break;
        }
        if !keep.contains(&i) {
            keep.push(i);
        }
    }
    keep.sort_unstable();
    group.origin = origin.and_then(|o| keep.iter().position(|&i| i == o));
    let all = std::mem::take(&mut group.occurrences);
    group.occurrences = all.into_iter().enumerate().filter(|(i, _)| keep.contains(i)).map(|(_, o)| o).collect();
}

/// Where an occurrence stands in its document: the document's title and
/// the text just before and after the passage.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OccurrenceContext {
    pub title: String,
    pub before: String,
    pub after: String,
}

/// A reuse group as listed: the passage, where it occurs, and counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReuseGroupRecord {
    pub id: i64,
    /// Words in the passage (as `text` has it).
    pub words: usize,
    /// Distinct documents it occurs in (1 for a repeat inside one article).
    pub documents: usize,
    #[serde(flatten)]
    pub group: ReuseGroup,
    /// One per occurrence, in `occurrences` order, when the filter asked
    /// for them ([`ReuseFilter::context`]); empty `before`/`after` for a
    /// copy cleaning removed (its offsets are not into `text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contexts: Option<Vec<OccurrenceContext>>,
    /// All occurrences, when `occurrences` was cut ([`ReuseFilter::occurrences`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrence_count: Option<usize>,
}

/// A page of reuse groups, most documents first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReuseList {
    pub total: usize,
    pub groups: Vec<ReuseGroupRecord>,
}

/// A page of near-duplicate groups, largest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DuplicateList {
    pub total: usize,
    pub groups: Vec<DuplicateGroup>,
}

impl Store {
    /// Reuse groups (see [`ReuseFilter`]), most documents first, then
    /// longest.
    pub fn reuse_groups(&self, filter: &ReuseFilter) -> Result<ReuseList, StoreError> {
        const WHERE: &str = "g.words >= ?1 AND (?2 = 0 OR g.docs >= 2)
             AND (?3 IS NULL OR g.id IN (SELECT group_id FROM reuse_occurrences WHERE doc_id = ?3))";
        let min = i64::from(filter.min_words.max(GROUP_MIN_WORDS));
        let across = filter.across_documents as i64;
        let doc = filter.doc.as_deref();
        let total: i64 = self.db.query_row(
            &format!("SELECT COUNT(*) FROM reuse_groups g WHERE {WHERE}"),
            params![min, across, doc],
            |r| r.get(0),
        )?;
        let mut stmt = self.db.prepare(&format!(
            "SELECT g.id, g.words, g.docs, g.json FROM reuse_groups g WHERE {WHERE}
             ORDER BY g.docs DESC, g.words DESC, g.id LIMIT ?4 OFFSET ?5"
        ))?;
        let rows = stmt.query_map(params![min, across, doc, sql_limit(filter.limit), filter.offset as i64], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?))
        });
        let mut groups = Vec::new();
        let mut texts: HashMap<String, (String, String)> = HashMap::new();
        for row in rows? {
            let (id, words, docs, json) = row?;
            let mut group: ReuseGroup =
                serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(format!("reuse group {id}: {e}")))?;
            let occurrence_count = match filter.occurrences {
                Some(cap) if group.occurrences.len() > cap => {
                    let n = group.occurrences.len();
                    keep_occurrences(&mut group, cap, filter.doc.as_deref());
                    Some(n)
                }
                Some(_) => Some(group.occurrences.len()),
                None => None,
            };
            let contexts = match filter.context {
                None => None,
                Some(chars) => Some(self.occurrence_contexts(&group, chars, &mut texts)?),
            };
            groups.push(ReuseGroupRecord {
                id,
                words: words as usize,
                documents: docs as usize,
                group,
                contexts,
                occurrence_count,
            });
        }
        Ok(ReuseList { total: total as usize, groups })
    }

    fn occurrence_contexts(
        &self,
        group: &ReuseGroup,
        chars: usize,
        texts: &mut HashMap<String, (String, String)>,
    ) -> Result<Vec<OccurrenceContext>, StoreError> {
        let mut stmt = self.db.prepare_cached("SELECT display_title, text FROM documents WHERE id = ?1")?;
        let mut out = Vec::with_capacity(group.occurrences.len());
        for o in &group.occurrences {
            if !texts.contains_key(&o.doc) {
                let found: Option<(Option<String>, String)> =
                    stmt.query_row([&o.doc], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
                let (title, text) = found.unwrap_or_default();
                texts.insert(o.doc.clone(), (title.unwrap_or_default(), text));
            }
            let (title, text) = &texts[&o.doc];
            let mut context = OccurrenceContext { title: title.clone(), ..OccurrenceContext::default() };
            if !o.removed
                && o.start <= o.end
                && o.end <= text.len()
                && text.is_char_boundary(o.start)
                && text.is_char_boundary(o.end)
            {
                let before = &text[..o.start];
                let skip = before.chars().count().saturating_sub(chars);
                context.before = before.chars().skip(skip).collect();
                context.after = text[o.end..].chars().take(chars).collect();
            }
            out.push(context);
        }
        Ok(out)
    }

    /// Whole-document near-duplicate groups, largest first (optionally only
    /// the one holding `doc`).
    pub fn duplicates(
        &self,
        doc: Option<&str>,
        limit: Option<usize>,
        offset: usize,
    ) -> Result<DuplicateList, StoreError> {
        let (total, jsons): (i64, Vec<String>) = match doc {
            Some(doc) => {
                let json: Option<String> = self
                    .db
                    .query_row(
                        "SELECT g.json FROM duplicate_groups g JOIN duplicate_members m ON m.group_id = g.id
                         WHERE m.doc_id = ?1",
                        [doc],
                        |r| r.get(0),
                    )
                    .optional()?;
                (json.is_some() as i64, json.into_iter().collect())
            }
            None => {
                let total = self.db.query_row("SELECT COUNT(*) FROM duplicate_groups", [], |r| r.get(0))?;
                let jsons = self
                    .db
                    .prepare("SELECT json FROM duplicate_groups ORDER BY id LIMIT ?1 OFFSET ?2")?
                    .query_map(params![sql_limit(limit), offset as i64], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                (total, jsons)
            }
        };
        let groups = jsons
            .iter()
            .map(|j| serde_json::from_str(j).map_err(|e| StoreError::Corrupt(format!("duplicate group: {e}"))))
            .collect::<Result<_, _>>()?;
        Ok(DuplicateList { total: total as usize, groups })
    }

    /// For each sentence range of `doc`'s text, the number of *other*
    /// documents that share a reuse group with it (for summaries: a passage
    /// copied by three outlets is salient).
    pub(crate) fn sentence_reuse(
        &self,
        doc: &str,
        sentences: &[std::ops::Range<usize>],
    ) -> Result<Vec<usize>, StoreError> {
        let mut stmt = self.db.prepare_cached(
            r#"SELECT o."start", o."end", g.docs FROM reuse_occurrences o JOIN reuse_groups g ON g.id = o.group_id
               WHERE o.doc_id = ?1"#,
        )?;
        let spans: Vec<(usize, usize, usize)> = stmt
            .query_map([doc], |r| {
                Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize, r.get::<_, i64>(2)? as usize))
            })?
            .collect::<Result<_, _>>()?;
        Ok(sentences
            .iter()
            .map(|s| {
                spans
                    .iter()
                    .filter(|(start, end, _)| *start < s.end && s.start < *end)
                    .map(|(_, _, docs)| docs.saturating_sub(1))
                    .max()
                    .unwrap_or(0)
            })
            .collect())
    }
}
