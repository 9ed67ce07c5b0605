//! Stories as listed and read, and extractive summaries of a story, an
//! entity, some documents or the corpus.
//!
//! [`Engine::summary`] gathers the documents of its scope with their stored
//! analyses, corpus entity ids and how often each sentence is reused
//! elsewhere, and hands them to [`marsad_stories::summarize`]. Large scopes
//! are capped at [`SUMMARY_MAX_DOCS`] documents (for the corpus: those of
//! the largest stories; for an entity: the documents that mention it most),
//! and the answer says so.

use marsad_extract::corpus::EntityRef;
use marsad_store::{document_summary, DocumentSummary, SourceCount, StoreError, DOCUMENT_SUMMARY_COLUMNS};
use marsad_stories::{story_label, summarize, Story, SummaryInput, SummaryOptions, SummarySentence};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::requests::{EntityLookup, SummaryScope};
use crate::Engine;

/// Most documents a summary reads.
pub const SUMMARY_MAX_DOCS: usize = 400;

/// A story as listed: the clusterer's story with its entities named.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoryRecord {
    /// Story id.
    pub id: String,
    /// A label made of its top entities and terms.
    pub label: String,
    /// Top corpus entities, most documents first.
    pub entities: Vec<EntityRef>,
    /// Key terms as written.
    pub terms: Vec<String>,
    /// Its first document's date.
    pub from: Option<String>,
    /// Its last document's date.
    pub to: Option<String>,
    /// Its documents, in the order they joined (near-duplicates included).
    pub docs: Vec<String>,
    /// Distinct documents: near-duplicates counted once.
    pub size: usize,
}

/// A page of stories, largest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoryList {
    /// Stories in all.
    pub total: usize,
    /// This page.
    pub stories: Vec<ListedStory>,
}

/// A story as listed. With [`Engine::stories_with_preview`], also what a
/// list shows of it without asking again per story: its outlets and its
/// first documents' titles (a page of stories is then one request however
/// large the corpus).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListedStory {
    /// The story.
    #[serde(flatten)]
    pub story: StoryRecord,
    /// Outlets of its documents, most documents first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<SourceCount>>,
    /// Its first documents (in `docs` order) with titles and dates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub titles: Option<Vec<DocumentSummary>>,
}

impl std::ops::Deref for ListedStory {
    type Target = StoryRecord;
    fn deref(&self) -> &StoryRecord {
        &self.story
    }
}

/// One story with its documents' titles, sources and dates.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoryDetail {
    /// The story.
    #[serde(flatten)]
    pub story: StoryRecord,
    /// Its documents in `docs` order.
    pub documents: Vec<DocumentSummary>,
}

/// A summary and what it was made from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SummaryView {
    /// `corpus`, `story`, `entity` or `documents`.
    pub scope: &'static str,
    /// The story or entity id, when the scope has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Documents read.
    pub documents: usize,
    /// More documents were in scope than [`SUMMARY_MAX_DOCS`].
    pub truncated: bool,
    /// The summary's sentences, in reading order.
    pub sentences: Vec<SummarySentence>,
}

impl Engine {
    /// Stories, largest first.
    pub fn stories(&self, limit: Option<usize>, offset: usize) -> Result<StoryList, StoreError> {
        self.stories_with_preview(limit, offset, None)
    }

    /// [`Engine::stories`], and with `preview: Some(n)` each story's
    /// outlets and first `n` titles ([`ListedStory`]).
    pub fn stories_with_preview(
        &self,
        limit: Option<usize>,
        offset: usize,
        preview: Option<usize>,
    ) -> Result<StoryList, StoreError> {
        let total: i64 = self.db().query_row("SELECT COUNT(*) FROM stories", [], |r| r.get(0))?;
        let jsons: Vec<String> = self
            .db()
            .prepare("SELECT json FROM stories ORDER BY size DESC, rank LIMIT ?1 OFFSET ?2")?
            .query_map(params![crate::rows::sql_limit(limit), offset as i64], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut stories = Vec::with_capacity(jsons.len());
        for json in &jsons {
            let story = self.story_record(json)?;
            let (sources, titles) = match preview {
                None => (None, None),
                Some(n) => {
                    (Some(self.story_sources(&story.id)?), Some(self.document_summaries(story.docs.iter().take(n))?))
                }
            };
            stories.push(ListedStory { story, sources, titles });
        }
        Ok(StoryList { total: total as usize, stories })
    }

    /// The outlets of a story's documents, most documents first.
    fn story_sources(&self, story: &str) -> Result<Vec<SourceCount>, StoreError> {
        let mut stmt = self.db().prepare_cached(
            "SELECT d.source, COUNT(*) AS n FROM story_docs s JOIN documents d ON d.id = s.doc_id
             WHERE s.story_id = ?1 GROUP BY d.source ORDER BY n DESC, d.source",
        )?;
        let rows = stmt.query_map([story], |r| {
            Ok(SourceCount { name: r.get(0)?, documents: r.get::<_, i64>(1)?.max(0) as usize })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Titles, sources and dates of these documents, in this order (unknown
    /// ids left out).
    fn document_summaries<'a>(
        &self,
        ids: impl Iterator<Item = &'a String>,
    ) -> Result<Vec<DocumentSummary>, StoreError> {
        let mut stmt =
            self.db().prepare_cached(&format!("SELECT {DOCUMENT_SUMMARY_COLUMNS} FROM documents WHERE id = ?1"))?;
        let mut out = Vec::new();
        for d in ids {
            if let Some(summary) = stmt.query_row([d], document_summary).optional()? {
                out.push(summary);
            }
        }
        Ok(out)
    }

    /// The story a document belongs to.
    pub fn story_of(&self, doc: &str) -> Result<Option<String>, StoreError> {
        Ok(self.db().query_row("SELECT story_id FROM story_docs WHERE doc_id = ?1", [doc], |r| r.get(0)).optional()?)
    }

    /// One story with its documents.
    pub fn story(&self, id: &str) -> Result<Option<StoryDetail>, StoreError> {
        let json: Option<String> =
            self.db().query_row("SELECT json FROM stories WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        let Some(json) = json else { return Ok(None) };
        let story = self.story_record(&json)?;
        let documents = self.document_summaries(story.docs.iter())?;
        Ok(Some(StoryDetail { story, documents }))
    }

    fn story_record(&self, json: &str) -> Result<StoryRecord, StoreError> {
        let s: Story = serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("story: {e}")))?;
        let mut stmt = self.db().prepare_cached("SELECT name, type FROM entities WHERE id = ?1")?;
        let mut entities = Vec::with_capacity(s.entities.len());
        for id in &s.entities {
            let found: Option<(String, String)> = stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
            if let Some((name, ty)) = found {
                let entity_type = crate::rows::parse_type(&ty)?;
                entities.push(EntityRef { id: id.clone(), name, entity_type });
            }
        }
        let label =
            story_label(&s.entities, &s.terms, |id| entities.iter().find(|e| e.id == id).map(|e| e.name.clone()));
        Ok(StoryRecord {
            id: s.id,
            label,
            entities,
            terms: s.terms,
            from: s.from,
            to: s.to,
            docs: s.docs,
            size: s.size,
        })
    }

    /// An extractive summary of `scope` (see the module docs). `sentences`
    /// and `words` bound its length (5 sentences when neither is given).
    pub fn summary(
        &self,
        scope: &SummaryScope,
        sentences: Option<usize>,
        words: Option<usize>,
    ) -> Result<SummaryView, StoreError> {
        let mut focus = None;
        let (name, id, mut docs): (&'static str, Option<String>, Vec<String>) = match scope {
            SummaryScope::Corpus => {
                let mut docs = Vec::new();
                let total: i64 = self.db().query_row("SELECT COUNT(*) FROM story_docs", [], |r| r.get(0))?;
                let mut stmt = self.db().prepare("SELECT json FROM stories ORDER BY size DESC, rank")?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    if docs.len() > SUMMARY_MAX_DOCS {
                        break;
                    }
                    let s: Story = serde_json::from_str(&r.get::<_, String>(0)?)
                        .map_err(|e| StoreError::Corrupt(format!("story: {e}")))?;
                    docs.extend(s.docs);
                }
                if total == 0 {
                    docs = self
                        .db()
                        .prepare("SELECT id FROM documents ORDER BY date, id LIMIT ?1")?
                        .query_map([SUMMARY_MAX_DOCS as i64 + 1], |r| r.get(0))?
                        .collect::<Result<_, _>>()?;
                }
                ("corpus", None, docs)
            }
            SummaryScope::Story(id) => {
                let story = self.story(id)?.ok_or_else(|| StoreError::NotFound { what: "story", id: id.clone() })?;
                ("story", Some(id.clone()), story.story.docs)
            }
            // The profile's lists are not read, only which entity it is.
            SummaryScope::Entity(id_or_name) => match self.entity_limited(id_or_name, Some(0))? {
                EntityLookup::Found(profile) => {
                    let e = &profile.entity;
                    focus = Some(e.id.clone());
                    // Documents that mention it most first.
                    let docs: Vec<String> = self
                        .db()
                        .prepare(
                            "SELECT doc_id FROM entity_docs WHERE entity_id = ?1
                             GROUP BY doc_id ORDER BY SUM(mentions) DESC, doc_id",
                        )?
                        .query_map([&e.id], |r| r.get(0))?
                        .collect::<Result<_, _>>()?;
                    ("entity", Some(e.id.clone()), docs)
                }
                EntityLookup::Ambiguous(candidates) => {
                    let list: Vec<String> =
                        candidates.iter().take(5).map(|c| format!("{} ({})", c.id, c.name)).collect();
                    return Err(StoreError::Invalid(format!(
                        "{id_or_name:?} fits several entities: {}; give one id",
                        list.join(", ")
                    )));
                }
                EntityLookup::NotFound => {
                    return Err(StoreError::NotFound { what: "entity", id: id_or_name.clone() });
                }
            },
            SummaryScope::Documents(ids) => {
                for id in ids {
                    let exists: Option<i64> =
                        self.db().query_row("SELECT 1 FROM documents WHERE id = ?1", [id], |r| r.get(0)).optional()?;
                    if exists.is_none() {
                        return Err(StoreError::NotFound { what: "document", id: id.clone() });
                    }
                }
                ("documents", None, ids.clone())
            }
        };
        let mut seen = std::collections::HashSet::new();
        docs.retain(|d| seen.insert(d.clone()));
        let truncated = docs.len() > SUMMARY_MAX_DOCS;
        docs.truncate(SUMMARY_MAX_DOCS);

        struct Loaded {
            id: String,
            date: Option<String>,
            text: String,
            analysis: marsad_extract::DocumentAnalysis,
            entity_ids: Vec<String>,
            reuse: Vec<usize>,
        }
        let mut loaded = Vec::with_capacity(docs.len());
        {
            let mut doc_stmt = self.db().prepare_cached("SELECT text, date FROM documents WHERE id = ?1")?;
            let mut ent_stmt =
                self.db().prepare_cached("SELECT local, entity_id FROM entity_docs WHERE doc_id = ?1")?;
            for id in &docs {
                let Some((text, date)) = doc_stmt
                    .query_row([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))
                    .optional()?
                else {
                    continue;
                };
                let Some(analysis) = self.analysis(id)? else { continue };
                let mut entity_ids = vec![String::new(); analysis.entities.len()];
                for row in ent_stmt.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
                    let (local, entity) = row?;
                    if let Some(slot) = entity_ids.get_mut(local as usize) {
                        *slot = entity;
                    }
                }
                let reuse = self.sentence_reuse(id, &analysis.sentences)?;
                loaded.push(Loaded { id: id.clone(), date, text, analysis, entity_ids, reuse });
            }
        }
        let inputs: Vec<SummaryInput<'_>> = loaded
            .iter()
            .map(|d| SummaryInput {
                id: &d.id,
                date: d.date.as_deref(),
                text: &d.text,
                analysis: &d.analysis,
                entity_ids: &d.entity_ids,
                sentence_reuse: &d.reuse,
            })
            .collect();
        let sentences = summarize(&inputs, SummaryOptions { sentences, words, focus_entity: focus });
        Ok(SummaryView { scope: name, id, documents: loaded.len(), truncated, sentences })
    }
}
