//! Online story clustering: each new article joins the most similar open
//! story or starts one.
//!
//! # Why online, and why this way
//!
//! News arrives in order and a monitor must place each article when it
//! arrives, without re-clustering the corpus: the classic single-pass
//! ("topic detection and tracking") design. Each story keeps a *centroid* —
//! the sum of its articles' unit TF-IDF vectors — and a new article is
//! compared with the centroids of the stories it could belong to:
//!
//! * **Terms**: cosine between the article's TF-IDF vector (stems from
//!   [`marsad_text::analyze`](fn@marsad_text::analyze), IDF as known when
//!   it arrives, smoothed while the corpus is small: see below) and the
//!   centroid. Only the article's `doc_terms` heaviest terms and each
//!   centroid's `centroid_terms` heaviest terms are kept, which bounds every
//!   comparison and keeps a growing story from drifting into a bag of
//!   everything.
//! * **Entities**: how many of the article's entities (corpus ids, rare ones
//!   weighing more) the story's articles share. Names are the strongest
//!   signal that two articles are about the same thing, but alone they
//!   over-merge (every Saudi article names Saudi Arabia), hence a minority
//!   weight. Without entities on either side, terms decide alone.
//! * **Time**: a story is *open* while its last article is within
//!   `window_days` of the newest date seen; articles further than the window
//!   from a story's date span cannot join it, and closer ones are scored
//!   down linearly with the gap. Undated articles are matched on terms and
//!   entities only.
//!
//! # IDF on a small corpus
//!
//! The IDF is learned online from the articles seen so far, and on a handful
//! of articles it is noise: in a five-article collection about one summit
//! the words every article shares (the two leaders, their countries, the
//! summit) are in five of five documents and get the *lowest* weight, while
//! each article's incidental words get the highest, so two reports of the
//! same meeting look unrelated. A document frequency of `df` in `n` articles
//! is an estimate of how common a word is, and with small `n` it should not
//! be trusted. So it is smoothed toward a flat prior, as if
//! `idf_prior_docs` (`m`, default 100) more articles had been seen in which
//! every term and entity occurs at the base rate `idf_prior_rate` (`p0`,
//! default 1%):
//!
//! ```text
//! idf = ln(1 + (n + m) / (df + m·p0))
//! ```
//!
//! With `n` much smaller than `m` all weights are nearly equal (plain term
//! frequency, which is what a few documents can support); as `n` grows past
//! `m` the observed frequencies take over and the formula tends to the plain
//! `ln(1 + n / df)` — on the 26k SaudiNewsNet articles a word seen once
//! weighs 7% less than unsmoothed, one seen ten times 1% less. The same smoothing weighs
//! entities. `m = 0` turns it off.
//!
//! # Joining
//!
//! An article joins the open story with the best combined similarity when
//! it reaches `threshold`; otherwise
//! it starts a new story whose id is the article's id, so ids are stable as
//! long as the first article is.
//!
//! The default weights come from real news (the SaudiNewsNet story gold
//! set, dev half): reports of one happening share the headline and the lead
//! (see [`crate::terms::weighted_terms`]) far more than their bodies, which
//! is why a modest `threshold` of 0.2 on the lead-weighted cosine separates
//! them; and the extracted entities of real articles are noisy (the country
//! every article names, a title read as a name), so they get a small share,
//! `entity_weight` 0.1.
//!
//! # Shared text decides
//!
//! Two articles that share text are one story, whatever their vectors say:
//!
//! * **Near-duplicates** (syndicated copies, found by the reuse layer and
//!   passed in as [`StoryDoc::near_duplicate_of`]) join their original's
//!   story without touching its centroid, document frequencies or size: a
//!   wire story printed by ten outlets is one article, not ten.
//! * **Shared passages** (a sentence or more that the reuse layer found in
//!   both, [`StoryDoc::shares_passage_with`]: one outlet's copy of another's
//!   paragraph, an agency statement quoted by several) put the article in
//!   the story of the earlier article it shares with, as a member.
//!
//! A shared passage counts within the time window only (`window_days` from
//! the story's date span, as for any join): a background paragraph an outlet
//! reprints years later (the history of the six-party talks, in 2019 and in
//! 2024) does not make two happenings one story.
//!
//! When an article's shared text ties it to several stories, it joins the
//! oldest; the stories are not merged. Merging would make the rule hold for
//! every pair, but on SaudiNewsNet formulae that recur across unrelated
//! stories (the Quranic verse quoted in every execution statement, and by a
//! statement on a bombing) chain whole stories together through one
//! article. Boilerplate that repeats across unrelated articles (a
//! columnist's contact lines) is the cleaner's to remove before reuse is
//! detected, or it would tie them.
//!
//! # Speed
//!
//! Candidates come from an inverted index (term or entity → stories whose
//! centroid holds it); very common terms (in more than `max_df_fraction` of
//! the articles) are not used to find candidates, and closed stories are
//! dropped from the index as it is read. Candidates are pre-ranked by the
//! weight of the index hits and only the best `candidates` are scored in
//! full. Terms and entities are interned to `u32`, vectors are sorted by id
//! and compared by merge. Ties always break on story creation order, so the
//! result does not depend on hash order.
//!
//! # Persistence
//!
//! [`StoryClusterer`] is serde data. The lookup tables and the inverted index
//! are not serialized; they are rebuilt from the vocabulary and the
//! centroids on the first [`StoryClusterer::add`] after loading.

use marsad_extract::date::Day;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::terms::{sparse_dot, weighted_terms, WeightedTerm};

/// A story's id: the id of its first document.
pub type StoryId = String;

/// One document as the clusterer sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryDoc {
    /// The document's id; a story's id is its first document's.
    pub id: String,
    /// Publication date, ISO `YYYY-MM-DD` (a longer timestamp is fine: only
    /// the first ten characters are read).
    pub date: Option<String>,
    /// Weighted stemmed terms (see [`StoryDoc::from_text`]).
    pub terms: Vec<WeightedTerm>,
    /// Corpus entity ids, most important first (only the first ten count).
    pub entities: Vec<String>,
    /// The document this one is a near-duplicate of, if the reuse layer
    /// found one.
    pub near_duplicate_of: Option<String>,
    /// Documents this one shares a sentence-length passage with (the reuse
    /// layer's groups), in any order; it joins the oldest story among those
    /// already placed and within the time window, whatever the similarity
    /// (see "Shared text decides" in the module docs).
    #[serde(default)]
    pub shares_passage_with: Vec<String>,
}

impl StoryDoc {
    /// A document from its title and text: terms by
    /// [`crate::terms::weighted_terms`] (title terms count double).
    pub fn from_text(
        id: impl Into<String>,
        date: Option<&str>,
        title: Option<&str>,
        text: &str,
        entity_ids: &[String],
        near_duplicate_of: Option<String>,
    ) -> StoryDoc {
        StoryDoc {
            id: id.into(),
            date: date.map(str::to_owned),
            terms: weighted_terms(title, text),
            entities: entity_ids.to_vec(),
            near_duplicate_of,
            shares_passage_with: Vec::new(),
        }
    }

    /// The same document, sharing passages with `docs`.
    pub fn sharing_passages_with(mut self, docs: Vec<String>) -> StoryDoc {
        self.shares_passage_with = docs;
        self
    }
}

/// Tuning of [`StoryClusterer`]; the defaults are what the tests and the
/// SaudiNewsNet run use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryConfig {
    /// Sliding window: how far (days) an article may be from a story's date
    /// span and still join it, and how long a story stays open after its
    /// last article.
    pub window_days: u32,
    /// Minimum combined similarity to join a story.
    pub threshold: f32,
    /// Share of the entity overlap in the similarity (the rest is terms).
    pub entity_weight: f32,
    /// Heaviest terms kept per article.
    pub doc_terms: usize,
    /// Heaviest terms kept per story centroid.
    pub centroid_terms: usize,
    /// Stories scored in full per article.
    pub candidates: usize,
    /// Terms in more than this share of articles do not propose candidates.
    pub max_df_fraction: f32,
    /// IDF smoothing: document frequencies are estimated as if this many
    /// more documents had been seen (see "IDF on a small corpus" in the
    /// module docs); 0 gives the plain IDF.
    #[serde(default = "default_idf_prior_docs")]
    pub idf_prior_docs: f32,
    /// IDF smoothing: the share of those prior documents every term or
    /// entity is assumed to occur in.
    #[serde(default = "default_idf_prior_rate")]
    pub idf_prior_rate: f32,
}

fn default_idf_prior_docs() -> f32 {
    100.0
}

fn default_idf_prior_rate() -> f32 {
    0.01
}

impl Default for StoryConfig {
    fn default() -> Self {
        StoryConfig {
            window_days: 14,
            threshold: 0.2,
            entity_weight: 0.1,
            doc_terms: 60,
            centroid_terms: 120,
            candidates: 40,
            max_df_fraction: 0.05,
            idf_prior_docs: default_idf_prior_docs(),
            idf_prior_rate: default_idf_prior_rate(),
        }
    }
}

/// A story as shown to a reader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Story {
    /// The id of its first document.
    pub id: StoryId,
    /// Top entities and key terms, for a reader.
    pub label: String,
    /// Top corpus entity ids, by number of documents.
    pub entities: Vec<String>,
    /// Key terms as written (surface forms, not stems).
    pub terms: Vec<String>,
    /// Earliest document date, ISO.
    pub from: Option<String>,
    /// Latest document date, ISO.
    pub to: Option<String>,
    /// Every document, in the order added (near-duplicates included).
    pub docs: Vec<String>,
    /// Distinct documents: near-duplicates counted once.
    pub size: usize,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct StoryState {
    id: String,
    /// Sum of member unit vectors, sorted by term id, truncated.
    centroid: Vec<(u32, f32)>,
    norm: f32,
    /// Entity id → distinct documents naming it, sorted by entity id.
    entities: Vec<(u32, u32)>,
    docs: Vec<String>,
    size: u32,
    from: Option<i32>,
    to: Option<i32>,
}

/// The online clusterer (see the module docs). Serializable.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct StoryClusterer {
    config: StoryConfig,
    /// Distinct documents seen (near-duplicates excluded).
    seen: u32,
    /// Term vocabulary: stem, document frequency, surface forms with counts.
    terms: Vec<String>,
    term_df: Vec<u32>,
    surfaces: Vec<Vec<(String, u32)>>,
    /// Entity vocabulary and document frequency.
    entity_ids: Vec<String>,
    entity_df: Vec<u32>,
    stories: Vec<StoryState>,
    /// Document id → story index.
    doc_story: FxHashMap<String, u32>,
    /// Newest date seen (days since 1970-01-01).
    watermark: Option<i32>,
    #[serde(skip)]
    index: Index,
    /// Stories changed since [`StoryClusterer::take_changed`] was last
    /// called.
    #[serde(skip)]
    changed: Vec<u32>,
}

/// A story's saved state, as [`StoryClusterer::changed_stories`] gives it
/// and [`StoryClusterer::from_parts`] takes it back (serde data; opaque).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SavedStory(StoryState);

/// Everything a clusterer holds but its stories: settings, vocabulary and
/// document frequencies, where each document went, the newest date (serde
/// data; opaque). With the stories apart, saving after a few documents
/// writes the stories they joined, not every story.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SavedCore {
    config: StoryConfig,
    seen: u32,
    terms: Vec<String>,
    term_df: Vec<u32>,
    surfaces: Vec<Vec<(String, u32)>>,
    entity_ids: Vec<String>,
    entity_df: Vec<u32>,
    doc_story: FxHashMap<String, u32>,
    watermark: Option<i32>,
    stories: u32,
}

/// Rebuildable lookups: interning tables, inverted indexes, scratch.
#[derive(Clone, Debug, Default)]
struct Index {
    built: bool,
    term_ids: FxHashMap<String, u32>,
    entity_ids: FxHashMap<String, u32>,
    term_postings: Vec<Vec<u32>>,
    entity_postings: Vec<Vec<u32>>,
    hits: Vec<f32>,
}

/// Surface forms remembered per stem.
const SURFACES_PER_TERM: usize = 4;
/// Entities of an article that count.
const DOC_ENTITIES: usize = 10;

impl StoryClusterer {
    /// An empty clusterer with these settings.
    pub fn new(config: StoryConfig) -> StoryClusterer {
        StoryClusterer { config, ..StoryClusterer::default() }
    }

    /// Everything but the stories, for saving apart from them.
    pub fn saved_core(&self) -> SavedCore {
        SavedCore {
            config: self.config.clone(),
            seen: self.seen,
            terms: self.terms.clone(),
            term_df: self.term_df.clone(),
            surfaces: self.surfaces.clone(),
            entity_ids: self.entity_ids.clone(),
            entity_df: self.entity_df.clone(),
            doc_story: self.doc_story.clone(),
            watermark: self.watermark,
            stories: self.stories.len() as u32,
        }
    }

    /// Story `index` (in the order stories were started), for saving.
    pub fn saved_story(&self, index: usize) -> Option<SavedStory> {
        self.stories.get(index).cloned().map(SavedStory)
    }

    /// The stories changed (joined, extended or started) since the last
    /// call, by index, each once; then forgets them.
    pub fn take_changed(&mut self) -> Vec<usize> {
        let mut out: Vec<usize> = self.changed.drain(..).map(|s| s as usize).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// A clusterer from its saved core and all its saved stories, in index
    /// order. `None` when they do not fit together (a story missing, or a
    /// document placed in a story that is not there).
    pub fn from_parts(core: SavedCore, stories: Vec<SavedStory>) -> Option<StoryClusterer> {
        if stories.len() != core.stories as usize || core.doc_story.values().any(|&s| s as usize >= stories.len()) {
            return None;
        }
        if core.term_df.len() != core.terms.len()
            || core.surfaces.len() != core.terms.len()
            || core.entity_df.len() != core.entity_ids.len()
        {
            return None;
        }
        let clusterer = StoryClusterer {
            config: core.config,
            seen: core.seen,
            terms: core.terms,
            term_df: core.term_df,
            surfaces: core.surfaces,
            entity_ids: core.entity_ids,
            entity_df: core.entity_df,
            stories: stories.into_iter().map(|s| s.0).collect(),
            doc_story: core.doc_story,
            watermark: core.watermark,
            index: Index::default(),
            changed: Vec::new(),
        };
        let (terms, entities) = (clusterer.terms.len() as u32, clusterer.entity_ids.len() as u32);
        let fits = clusterer
            .stories
            .iter()
            .all(|st| st.centroid.iter().all(|&(t, _)| t < terms) && st.entities.iter().all(|&(e, _)| e < entities));
        fits.then_some(clusterer)
    }

    /// The settings it clusters with.
    pub fn config(&self) -> &StoryConfig {
        &self.config
    }

    /// Number of stories.
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    /// Whether no story has been started yet.
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// The story a document was placed in.
    pub fn story_of(&self, doc: &str) -> Option<&str> {
        self.doc_story.get(doc).map(|&s| self.stories[s as usize].id.as_str())
    }

    /// Places one document and returns its story's id. Adding a document id
    /// again returns its story and changes nothing.
    pub fn add(&mut self, doc: &StoryDoc) -> StoryId {
        self.build_index();
        if let Some(&s) = self.doc_story.get(&doc.id) {
            return self.stories[s as usize].id.clone();
        }
        let date = doc.date.as_deref().and_then(parse_days);
        if let Some(d) = date {
            self.watermark = Some(self.watermark.map_or(d, |w| w.max(d)));
        }
        // The oldest story within the time window this document shares a
        // passage with.
        let window = self.config.window_days as i32;
        let linked: Option<u32> = doc
            .shares_passage_with
            .iter()
            .filter_map(|o| self.doc_story.get(o).copied())
            .filter(|&s| {
                let st = &self.stories[s as usize];
                match (date, st.from, st.to) {
                    (Some(d), Some(from), Some(to)) => (from - d).max(d - to) <= window,
                    _ => true,
                }
            })
            .min();
        if let Some(&s) = doc.near_duplicate_of.as_deref().and_then(|o| self.doc_story.get(o)) {
            self.changed.push(s);
            let story = &mut self.stories[s as usize];
            story.docs.push(doc.id.clone());
            extend_span(story, date);
            self.doc_story.insert(doc.id.clone(), s);
            return story.id.clone();
        }

        self.seen += 1;
        let vector = self.doc_vector(&doc.terms);
        let entities = self.doc_entities(&doc.entities);
        let best = match linked {
            Some(s) => Some(s),
            None => self.best_story(&vector, &entities, date),
        };
        let s = match best {
            Some(s) => s,
            None => {
                self.stories.push(StoryState { id: doc.id.clone(), norm: 0.0, ..StoryState::default() });
                self.index.hits.push(0.0);
                (self.stories.len() - 1) as u32
            }
        };
        self.join(s, &doc.id, &vector, &entities, date);
        self.stories[s as usize].id.clone()
    }

    /// All stories, largest (distinct documents) first, then oldest created.
    /// Labels use key terms only; see [`StoryClusterer::stories_named`].
    pub fn stories(&self) -> Vec<Story> {
        self.stories_named(|_| None)
    }

    /// All stories, with labels naming their top entities by `name_of`
    /// (corpus entity id → display name).
    pub fn stories_named(&self, name_of: impl Fn(&str) -> Option<String>) -> Vec<Story> {
        let mut order: Vec<usize> = (0..self.stories.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(self.stories[i].size), i));
        order.into_iter().map(|i| self.story(i, &name_of)).collect()
    }

    /// The story a document is in, with its creation number (stories are
    /// numbered in the order they were started; a list shows the largest
    /// first, then the earliest started).
    pub fn story_with_document(&self, doc: &str) -> Option<(usize, Story)> {
        let &s = self.doc_story.get(doc)?;
        Some((s as usize, self.story(s as usize, &|_: &str| None)))
    }

    fn story(&self, i: usize, name_of: &impl Fn(&str) -> Option<String>) -> Story {
        let st = &self.stories[i];
        let mut ents = st.entities.clone();
        ents.sort_by_key(|&(e, n)| (std::cmp::Reverse(n), e));
        let entities: Vec<String> = ents
            .iter()
            .filter(|&&(_, n)| n * 4 >= st.size.max(1) || n >= 2)
            .take(5)
            .map(|&(e, _)| self.entity_ids[e as usize].clone())
            .collect();
        let mut cent = st.centroid.clone();
        cent.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut terms: Vec<String> = Vec::new();
        for &(t, _) in &cent {
            let surface = self.surface(t);
            // على folds to the name علي, so the analyzer keeps it; it is no
            // label.
            if surface != "على" && !terms.contains(&surface) {
                terms.push(surface);
            }
            if terms.len() == 8 {
                break;
            }
        }
        let label = story_label(&entities, &terms, |e| name_of(e));
        Story {
            id: st.id.clone(),
            label,
            entities,
            terms,
            from: st.from.map(format_days),
            to: st.to.map(format_days),
            docs: st.docs.clone(),
            size: st.size as usize,
        }
    }

    fn surface(&self, t: u32) -> String {
        let list = &self.surfaces[t as usize];
        list.iter()
            .enumerate()
            .max_by(|a, b| a.1 .1.cmp(&b.1 .1).then(b.0.cmp(&a.0)))
            .map(|(_, (s, _))| s.clone())
            .unwrap_or_else(|| self.terms[t as usize].clone())
    }

    /// The interning tables and inverted indexes, rebuilt after loading.
    fn build_index(&mut self) {
        if self.index.built {
            return;
        }
        let mut index = Index { built: true, ..Index::default() };
        index.term_ids = self.terms.iter().enumerate().map(|(i, t)| (t.clone(), i as u32)).collect();
        index.entity_ids = self.entity_ids.iter().enumerate().map(|(i, t)| (t.clone(), i as u32)).collect();
        index.term_postings = vec![Vec::new(); self.terms.len()];
        index.entity_postings = vec![Vec::new(); self.entity_ids.len()];
        for (s, st) in self.stories.iter().enumerate() {
            if !is_open(st, self.watermark, self.config.window_days) {
                continue;
            }
            for &(t, _) in &st.centroid {
                index.term_postings[t as usize].push(s as u32);
            }
            for &(e, _) in &st.entities {
                index.entity_postings[e as usize].push(s as u32);
            }
        }
        index.hits = vec![0.0; self.stories.len()];
        self.index = index;
    }

    /// IDF of a term or entity seen in `df` of the distinct documents so far.
    fn idf(&self, df: u32) -> f32 {
        idf(self.seen, df, self.config.idf_prior_docs, self.config.idf_prior_rate)
    }

    /// Interns the terms, counts their document frequency, and returns the
    /// document's unit TF-IDF vector over its heaviest terms, sorted by id.
    fn doc_vector(&mut self, terms: &[WeightedTerm]) -> Vec<(u32, f32)> {
        let mut v: Vec<(u32, f32)> = Vec::with_capacity(terms.len());
        for wt in terms {
            if !(wt.weight.is_finite() && wt.weight > 0.0) || wt.term.is_empty() {
                continue;
            }
            let id = match self.index.term_ids.get(&wt.term) {
                Some(&id) => id,
                None => {
                    let id = self.terms.len() as u32;
                    self.terms.push(wt.term.clone());
                    self.term_df.push(0);
                    self.surfaces.push(Vec::new());
                    self.index.term_postings.push(Vec::new());
                    self.index.term_ids.insert(wt.term.clone(), id);
                    id
                }
            };
            if v.iter().any(|&(t, _)| t == id) {
                continue;
            }
            self.term_df[id as usize] += 1;
            let list = &mut self.surfaces[id as usize];
            if let Some(e) = list.iter_mut().find(|(s, _)| *s == wt.surface) {
                e.1 += 1;
            } else if list.len() < SURFACES_PER_TERM {
                list.push((wt.surface.clone(), 1));
            }
            v.push((id, wt.weight));
        }
        for e in &mut v {
            e.1 *= self.idf(self.term_df[e.0 as usize]);
        }
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(self.config.doc_terms);
        normalize(&mut v);
        v.sort_by_key(|e| e.0);
        v
    }

    /// Interned, deduplicated entities of a document (first ten), counting
    /// their document frequency.
    fn doc_entities(&mut self, entities: &[String]) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        for e in entities {
            if out.len() == DOC_ENTITIES {
                break;
            }
            if e.is_empty() {
                continue;
            }
            let id = match self.index.entity_ids.get(e) {
                Some(&id) => id,
                None => {
                    let id = self.entity_ids.len() as u32;
                    self.entity_ids.push(e.clone());
                    self.entity_df.push(0);
                    self.index.entity_postings.push(Vec::new());
                    self.index.entity_ids.insert(e.clone(), id);
                    id
                }
            };
            if !out.contains(&id) {
                self.entity_df[id as usize] += 1;
                out.push(id);
            }
        }
        out.sort_unstable();
        out
    }

    /// The best open story for a document, if it clears the threshold.
    fn best_story(&mut self, vector: &[(u32, f32)], entities: &[u32], date: Option<i32>) -> Option<u32> {
        let config = &self.config;
        let window = config.window_days;
        let watermark = self.watermark;
        let max_df = ((self.seen as f32) * config.max_df_fraction).max(20.0);
        let stories = &self.stories;
        let Index { term_postings, entity_postings, hits, .. } = &mut self.index;
        let mut found: Vec<u32> = Vec::new();
        for &(t, w) in vector {
            if self.term_df[t as usize] as f32 > max_df {
                continue;
            }
            let list = &mut term_postings[t as usize];
            list.retain(|&s| {
                let st = &stories[s as usize];
                let keep = is_open(st, watermark, window) && st.centroid.binary_search_by_key(&t, |e| e.0).is_ok();
                if keep {
                    if hits[s as usize] == 0.0 {
                        found.push(s);
                    }
                    hits[s as usize] += w;
                }
                keep
            });
        }
        for &e in entities {
            if self.entity_df[e as usize] as f32 > max_df {
                continue;
            }
            let list = &mut entity_postings[e as usize];
            list.retain(|&s| {
                let keep = is_open(&stories[s as usize], watermark, window);
                if keep {
                    if hits[s as usize] == 0.0 {
                        found.push(s);
                    }
                    hits[s as usize] += 0.1;
                }
                keep
            });
        }
        found.sort_by(|&a, &b| hits[b as usize].total_cmp(&hits[a as usize]).then(a.cmp(&b)));
        for &s in &found {
            hits[s as usize] = 0.0;
        }
        found.truncate(config.candidates);
        let mut best: Option<(f32, u32)> = None;
        for s in found {
            let score = self.score(&stories[s as usize], vector, entities, date);
            if score >= config.threshold && best.is_none_or(|(b, bs)| score > b || (score == b && s < bs)) {
                best = Some((score, s));
            }
        }
        best.map(|(_, s)| s)
    }

    /// Combined similarity of a document with a story (0 when out of the
    /// time window).
    fn score(&self, st: &StoryState, vector: &[(u32, f32)], entities: &[u32], date: Option<i32>) -> f32 {
        let window = self.config.window_days.max(1) as f32;
        let time = match (date, st.from, st.to) {
            (Some(d), Some(from), Some(to)) => {
                let gap = (from - d).max(d - to).max(0) as f32;
                if gap > window {
                    return 0.0;
                }
                1.0 - 0.3 * gap / window
            }
            _ => 1.0,
        };
        let cos = if st.norm > 0.0 { sparse_dot(vector, &st.centroid) / st.norm } else { 0.0 };
        let ew = self.config.entity_weight;
        let sim = if entities.is_empty() || st.entities.is_empty() {
            cos
        } else {
            let (mut shared, mut total) = (0.0f32, 0.0f32);
            for &e in entities {
                let w = self.idf(self.entity_df[e as usize]);
                total += w;
                if let Ok(i) = st.entities.binary_search_by_key(&e, |x| x.0) {
                    shared += w * (st.entities[i].1 as f32 / st.size.max(1) as f32).min(1.0);
                }
            }
            (1.0 - ew) * cos + ew * if total > 0.0 { shared / total } else { 0.0 }
        };
        sim * time
    }

    /// Adds a document's vector, entities and date to a story.
    fn join(&mut self, s: u32, doc: &str, vector: &[(u32, f32)], entities: &[u32], date: Option<i32>) {
        self.changed.push(s);
        let cap = self.config.centroid_terms.max(1);
        let st = &mut self.stories[s as usize];
        let before: Vec<u32> = st.centroid.iter().map(|e| e.0).collect();
        let mut merged: Vec<(u32, f32)> = Vec::with_capacity(st.centroid.len() + vector.len());
        let (mut i, mut j) = (0, 0);
        while i < st.centroid.len() || j < vector.len() {
            match (st.centroid.get(i), vector.get(j)) {
                (Some(a), Some(b)) if a.0 == b.0 => {
                    merged.push((a.0, a.1 + b.1));
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.0 < b.0 => {
                    merged.push(*a);
                    i += 1;
                }
                (Some(a), None) => {
                    merged.push(*a);
                    i += 1;
                }
                (_, Some(b)) => {
                    merged.push(*b);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        if merged.len() > cap {
            merged.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            merged.truncate(cap);
            merged.sort_by_key(|e| e.0);
        }
        st.norm = merged.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
        st.centroid = merged;
        for &(t, _) in &st.centroid {
            if before.binary_search(&t).is_err() {
                self.index.term_postings[t as usize].push(s);
            }
        }
        for &e in entities {
            match st.entities.binary_search_by_key(&e, |x| x.0) {
                Ok(i) => st.entities[i].1 += 1,
                Err(i) => {
                    st.entities.insert(i, (e, 1));
                    self.index.entity_postings[e as usize].push(s);
                }
            }
        }
        st.docs.push(doc.to_owned());
        st.size += 1;
        extend_span(st, date);
        self.doc_story.insert(doc.to_owned(), s);
    }
}

fn extend_span(st: &mut StoryState, date: Option<i32>) {
    if let Some(d) = date {
        st.from = Some(st.from.map_or(d, |f| f.min(d)));
        st.to = Some(st.to.map_or(d, |t| t.max(d)));
    }
}

/// A story's label: the names of its first three entities (those `name_of`
/// knows) and up to four key terms the names do not already say. Made
/// when the story is read, so it names entities as they are called now.
pub fn story_label(entities: &[String], terms: &[String], name_of: impl Fn(&str) -> Option<String>) -> String {
    let names: Vec<String> = entities.iter().take(3).filter_map(|e| name_of(e)).collect();
    let key_terms: Vec<&str> = terms
        .iter()
        .filter(|t| !names.iter().any(|n| n.contains(t.as_str()) || n.contains(t.trim_start_matches("ال"))))
        .take(4)
        .map(String::as_str)
        .collect();
    match (names.is_empty(), key_terms.is_empty()) {
        (false, false) => format!("{} — {}", names.join("، "), key_terms.join("، ")),
        (false, true) => names.join("، "),
        _ => key_terms.join("، "),
    }
}

/// A story is open while its last date is within the window of the newest
/// date seen; undated stories stay open.
fn is_open(st: &StoryState, watermark: Option<i32>, window: u32) -> bool {
    match (st.to, watermark) {
        (Some(to), Some(w)) => to + window as i32 >= w,
        _ => true,
    }
}

/// Smoothed inverse document frequency (see "IDF on a small corpus" in the
/// module docs): `ln(1 + (n + m) / (df + m·p0))` with `m` prior documents at
/// base rate `p0`; `m = 0` is the plain `ln(1 + n / df)`.
fn idf(n: u32, df: u32, prior_docs: f32, prior_rate: f32) -> f32 {
    let m = if prior_docs.is_finite() { prior_docs.max(0.0) } else { 0.0 };
    let p0 = if prior_rate.is_finite() { prior_rate.clamp(0.0, 1.0) } else { 0.0 };
    let pseudo_df = (df as f32 + m * p0).max(1.0);
    (1.0 + (n.max(1) as f32 + m) / pseudo_df).ln()
}

fn normalize(v: &mut [(u32, f32)]) {
    let norm = v.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        for e in v {
            e.1 /= norm;
        }
    }
}

/// Days since 1970-01-01 of an ISO date (`YYYY-MM-DD…`): the calendar of
/// the date extractor, so stories and timelines count days alike.
pub fn parse_days(iso: &str) -> Option<i32> {
    i32::try_from(Day::parse_iso(iso)?.number()).ok()
}

/// ISO date of a day number (inverse of [`parse_days`]).
pub fn format_days(z: i32) -> String {
    Day::from_number(i64::from(z)).iso()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for s in ["1970-01-01", "2015-07-21", "2024-02-29", "2000-12-31"] {
            assert_eq!(format_days(parse_days(s).unwrap()), s);
        }
        assert_eq!(parse_days("2015-07-21 02:51:32"), parse_days("2015-07-21"));
        assert_eq!(parse_days("2015-08-01").unwrap() - parse_days("2015-07-21").unwrap(), 11);
        assert_eq!(parse_days("2015"), None);
        assert_eq!(parse_days("2015-13-01"), None);
    }

    #[test]
    fn idf_smoothing_flattens_small_corpora_and_fades_on_large_ones() {
        let plain = |n: u32, df: u32| idf(n, df, 0.0, 0.01);
        let smooth = |n: u32, df: u32| idf(n, df, 100.0, 0.01);
        assert_eq!(plain(5, 5), (2.0f32).ln());
        // Five documents: a word in all of them is not a common word.
        assert!(plain(5, 1) / plain(5, 5) > 2.5);
        assert!(smooth(5, 1) / smooth(5, 5) < 1.4);
        // 26k documents: the observed frequencies decide.
        for df in [1, 10, 100, 1000] {
            let (p, s) = (plain(26_000, df), smooth(26_000, df));
            assert!((s - p).abs() < 0.08 * p, "df {df}: {s} vs {p}");
        }
        // Never NaN, never negative.
        for (m, p0) in [(f32::NAN, 0.01), (100.0, f32::INFINITY), (-3.0, -1.0)] {
            let w = idf(0, 0, m, p0);
            assert!(w.is_finite() && w > 0.0);
        }
    }

    #[test]
    fn configs_saved_before_idf_smoothing_load_with_its_defaults() {
        let mut json = serde_json::to_value(StoryConfig::default()).unwrap();
        let obj = json.as_object_mut().unwrap();
        obj.remove("idf_prior_docs");
        obj.remove("idf_prior_rate");
        let back: StoryConfig = serde_json::from_value(json).unwrap();
        assert_eq!(back, StoryConfig::default());
    }

    fn doc(id: &str, title: &str, text: &str) -> StoryDoc {
        StoryDoc::from_text(id, Some("2015-08-06"), Some(title), text, &[], None)
    }

    #[test]
    fn a_shared_passage_puts_unrelated_looking_articles_in_one_story() {
        let mut c = StoryClusterer::new(StoryConfig::default());
        let a = c.add(&doc("a", "أسعار الذهب", "تراجعت أسعار الذهب في الأسواق العالمية مع صعود الدولار الأمريكي."));
        let b = c.add(&doc("b", "مباراة الهلال", "فاز فريق الهلال على النصر في مباراة الدوري بهدفين نظيفين."));
        assert_ne!(a, b, "unrelated texts are two stories");
        // Shares text with "a": joins it although nothing else is alike.
        let c3 = c
            .add(&doc("c", "حفل فني", "أقيم حفل فني في جدة بحضور جمهور كبير.").sharing_passages_with(vec!["a".into()]));
        assert_eq!(c3, a);
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn shared_text_with_two_stories_joins_the_oldest_without_merging() {
        let mut c = StoryClusterer::new(StoryConfig::default());
        c.add(&doc("a", "أسعار الذهب", "تراجعت أسعار الذهب في الأسواق العالمية مع صعود الدولار الأمريكي."));
        c.add(&doc("b", "مباراة الهلال", "فاز فريق الهلال على النصر في مباراة الدوري بهدفين نظيفين."));
        let d = c.add(
            &doc("d", "خبر", "نص آخر لا يشبه شيئا مما سبق ذكره هنا.")
                .sharing_passages_with(vec!["b".into(), "a".into()]),
        );
        assert_eq!(d, "a", "the oldest linked story");
        assert_eq!(c.len(), 2);
        assert_eq!(c.story_of("b"), Some("b"));
        let mut back: StoryClusterer = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        let e = back.add(&doc("e", "خبر", "نص مختلف تماما.").sharing_passages_with(vec!["d".into()]));
        assert_eq!(e, "a");
    }

    #[test]
    fn saved_in_parts_it_goes_on_as_if_never_saved() {
        let texts = [
            ("a", "أسعار الذهب", "تراجعت أسعار الذهب في الأسواق العالمية مع صعود الدولار الأمريكي."),
            ("b", "مباراة الهلال", "فاز فريق الهلال على النصر في مباراة الدوري بهدفين نظيفين."),
            ("c", "الذهب يتراجع", "تراجعت أسعار الذهب مجددا في الأسواق العالمية مع صعود الدولار."),
            ("d", "الهلال يفوز", "فاز الهلال على النصر في الدوري بهدفين."),
            ("e", "حفل فني", "أقيم حفل فني في جدة بحضور جمهور كبير."),
        ];
        let mut whole = StoryClusterer::new(StoryConfig::default());
        for (id, title, text) in &texts[..2] {
            whole.add(&doc(id, title, text));
        }
        // Saved after the first two: the core and every changed story.
        let changed = whole.take_changed();
        assert_eq!(changed, vec![0, 1]);
        let core = whole.saved_core();
        let stories: Vec<SavedStory> = (0..whole.len()).map(|i| whole.saved_story(i).unwrap()).collect();
        let mut parts = StoryClusterer::from_parts(core.clone(), stories.clone()).unwrap();
        for (id, title, text) in &texts[2..] {
            assert_eq!(whole.add(&doc(id, title, text)), parts.add(&doc(id, title, text)));
        }
        assert_eq!(whole.stories(), parts.stories());
        // Only the stories the new documents joined or started are changed.
        assert_eq!(parts.take_changed(), vec![0, 1, 2]);
        // Parts that do not fit together are refused.
        assert!(StoryClusterer::from_parts(core, stories[..1].to_vec()).is_none());
    }

    #[test]
    fn links_to_unknown_documents_change_nothing() {
        let mut c = StoryClusterer::new(StoryConfig::default());
        c.add(&doc("a", "أسعار الذهب", "تراجعت أسعار الذهب في الأسواق العالمية مع صعود الدولار الأمريكي."));
        let b = c.add(
            &doc("b", "مباراة الهلال", "فاز فريق الهلال على النصر في مباراة الدوري.")
                .sharing_passages_with(vec!["zzz".into()]),
        );
        assert_eq!(b, "b");
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn a_passage_shared_across_years_is_background_not_the_same_story() {
        let mut c = StoryClusterer::new(StoryConfig::default());
        let at = |id: &str, date: &str, title: &str, text: &str| {
            StoryDoc::from_text(id, Some(date), Some(title), text, &[], None)
        };
        c.add(&at("old", "2019-04-27", "أسعار الذهب", "تراجعت أسعار الذهب في الأسواق العالمية مع صعود الدولار الأمريكي."));
        let new = c.add(
            &at("new", "2024-06-22", "مباراة الهلال", "فاز فريق الهلال على النصر في مباراة الدوري.")
                .sharing_passages_with(vec!["old".into()]),
        );
        assert_eq!(new, "new");
        let near = c.add(
            &at("near", "2024-06-25", "حفل فني", "أقيم حفل فني في جدة بحضور جمهور كبير.")
                .sharing_passages_with(vec!["new".into()]),
        );
        assert_eq!(near, "new");
    }
}
