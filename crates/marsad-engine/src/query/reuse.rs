//! Reuse and near-duplicate groups as listed, and how much of a document's
//! text is reused elsewhere (for summaries).

use std::collections::HashMap;

use marsad_reuse::{DuplicateGroup, ReuseGroup};
use marsad_store::StoreError;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::rows::{sql_limit, GROUP_MIN_WORDS};
use crate::Engine;

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
    /// Groups to skip (for paging).
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
    /// The document's title.
    pub title: String,
    /// Text just before the passage.
    pub before: String,
    /// Text just after the passage.
    pub after: String,
}

/// A reuse group as listed: the passage, where it occurs, and counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReuseGroupRecord {
    /// Group id (stable until the group is regrouped).
    pub id: i64,
    /// Words in the passage (as `text` has it).
    pub words: usize,
    /// Distinct documents it occurs in (1 for a repeat inside one article).
    pub documents: usize,
    /// The passage, its occurrences and its origin.
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
    /// Groups the filter matches.
    pub total: usize,
    /// This page.
    pub groups: Vec<ReuseGroupRecord>,
}

/// A page of near-duplicate groups, largest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DuplicateList {
    /// Near-duplicate groups in all (1 or 0 with a document).
    pub total: usize,
    /// This page.
    pub groups: Vec<DuplicateGroup>,
}

impl Engine {
    /// Reuse groups (see [`ReuseFilter`]), most documents first, then
    /// longest.
    pub fn reuse_groups(&self, filter: &ReuseFilter) -> Result<ReuseList, StoreError> {
        const WHERE: &str = "g.words >= ?1 AND (?2 = 0 OR g.docs >= 2)
             AND (?3 IS NULL OR g.id IN (SELECT group_id FROM reuse_occurrences WHERE doc_id = ?3))";
        let min = i64::from(filter.min_words.max(GROUP_MIN_WORDS));
        let across = filter.across_documents as i64;
        let doc = filter.doc.as_deref();
        let total: i64 = self.db().query_row(
            &format!("SELECT COUNT(*) FROM reuse_groups g WHERE {WHERE}"),
            params![min, across, doc],
            |r| r.get(0),
        )?;
        let mut stmt = self.db().prepare(&format!(
            "SELECT g.id, g.words, g.docs, g.json FROM reuse_groups g WHERE {WHERE}
             ORDER BY g.docs DESC, g.words DESC, g.size DESC, g.first_doc, g.first_start, g.id LIMIT ?4 OFFSET ?5"
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
        let mut stmt = self.db().prepare_cached("SELECT display_title, text FROM documents WHERE id = ?1")?;
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
                    .db()
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
                let total = self.db().query_row("SELECT COUNT(*) FROM duplicate_groups", [], |r| r.get(0))?;
                let jsons = self
                    .db()
                    .prepare("SELECT json FROM duplicate_groups ORDER BY size DESC, first_doc LIMIT ?1 OFFSET ?2")?
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
        let mut stmt = self.db().prepare_cached(
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
