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
//! [`StoryClusterer`] is serde data, but a store need not keep it whole:
//! what one document reads is the vocabulary entries of its own terms and
//! entities, the placements of the documents it names, the stories those
//! are in, and the *open* stories (a closed story can only be joined
//! through shared text, by a document that names one of its documents).
//! So a store saves the parts apart, each as rows it can read by key:
//! a small [`SavedCore`] (settings, counts, the newest date), one
//! [`VocabularyEntry`] per term and per entity, one placement per document
//! and one [`SavedStory`] per story, and writes after each batch only what
//! the batch changed ([`StoryClusterer::take_changed`],
//! [`StoryClusterer::take_changed_terms`], [`StoryClusterer::take_placed`]).
//! To go on, it [`StoryClusterer::resume`]s from the core, loads the
//! stories open since [`StoryClusterer::open_since`], and before each slice
//! of documents loads what [`StoryClusterer::missing`] and then
//! [`StoryClusterer::missing_stories`] list. A clusterer resumed that way
//! places every document exactly as one that was never saved
//! (`tests/resumed.rs` checks it on real news), and holds the open window,
//! not the corpus. The inverted index is not serialized; it is rebuilt
//! from the open stories held on the first [`StoryClusterer::add`] after
//! loading.

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
///
/// It may hold all of its state or only part of it (see "Persistence" in
/// the module docs): a store resumes it from its [`SavedCore`] and loads
/// what [`StoryClusterer::missing`] asks for before adding documents.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct StoryClusterer {
    config: StoryConfig,
    /// Distinct documents seen (near-duplicates excluded).
    seen: u32,
    /// Term vocabulary (stems): document frequency, surface forms.
    terms: Vocabulary,
    /// Entity vocabulary (corpus ids) and document frequency.
    entities: Vocabulary,
    /// The stories held, by index (creation order).
    stories: FxHashMap<u32, StoryState>,
    /// Stories started in all, held or not.
    story_count: u32,
    /// Document id → story index, for the documents held.
    doc_story: FxHashMap<String, u32>,
    /// Newest date seen (days since 1970-01-01).
    watermark: Option<i32>,
    #[serde(skip)]
    index: Index,
    /// Stories changed since [`StoryClusterer::take_changed`] was last
    /// called.
    #[serde(skip)]
    changed: Vec<u32>,
    /// Documents placed since [`StoryClusterer::take_placed`] was last
    /// called, in order.
    #[serde(skip)]
    placed: Vec<(String, u32)>,
}

/// Terms or entities interned to dense ids, with their document frequency.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Vocabulary {
    rows: FxHashMap<u32, VocabularyEntry>,
    ids: FxHashMap<String, u32>,
    /// The id the next new entry gets.
    next: u32,
    #[serde(skip)]
    changed: Vec<u32>,
}

impl Vocabulary {
    fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.next;
        self.next += 1;
        self.ids.insert(text.to_owned(), id);
        self.rows.insert(id, VocabularyEntry { id, text: text.to_owned(), df: 0, surfaces: Vec::new() });
        id
    }

    fn entry(&mut self, id: u32) -> &mut VocabularyEntry {
        self.changed.push(id);
        self.rows.get_mut(&id).expect("interned ids have rows")
    }

    fn df(&self, id: u32) -> u32 {
        self.rows.get(&id).map_or(0, |r| r.df)
    }

    fn load(&mut self, entry: VocabularyEntry) -> bool {
        if entry.id >= self.next || self.ids.get(&entry.text).is_some_and(|&id| id != entry.id) {
            return false;
        }
        self.ids.insert(entry.text.clone(), entry.id);
        self.rows.insert(entry.id, entry);
        true
    }

    fn take_changed(&mut self) -> Vec<VocabularyEntry> {
        let mut ids = std::mem::take(&mut self.changed);
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().filter_map(|id| self.rows.get(&id).cloned()).collect()
    }
}

/// One term (a stem) or entity (a corpus id) of a clusterer's vocabulary:
/// its id, in how many distinct documents it was seen and, for terms, the
/// most common ways it was written. A store keeps one row per entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VocabularyEntry {
    /// Dense id, in the order first seen.
    pub id: u32,
    /// The stem or entity id.
    pub text: String,
    /// Distinct documents it was seen in.
    pub df: u32,
    /// Surface forms with counts (terms only; at most four).
    pub surfaces: Vec<(String, u32)>,
}

/// A story's saved state, as [`StoryClusterer::saved_story`] gives it
/// and [`StoryClusterer::load_story`] takes it back (serde data; opaque).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SavedStory(StoryState);

impl SavedStory {
    /// Its latest document date (days since 1970-01-01): a store loads the
    /// stories still open by it ([`StoryClusterer::open_since`]).
    pub fn last_day(&self) -> Option<i32> {
        self.0.to
    }
}

/// What a clusterer holds besides its vocabularies, placements and stories:
/// settings, counts, the newest date (serde data; opaque). Small, so a store
/// writes it at every save.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SavedCore {
    config: StoryConfig,
    seen: u32,
    watermark: Option<i32>,
    stories: u32,
    next_term: u32,
    next_entity: u32,
}

/// What a clusterer resumed from its core lacks to place some documents:
/// the vocabulary entries of their terms and entities, and the placements
/// of the documents they name (themselves, their near-duplicate origin,
/// the documents they share passages with). Whatever the store does not
/// have is new.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Missing {
    /// Stems not held.
    pub terms: Vec<String>,
    /// Corpus entity ids not held.
    pub entities: Vec<String>,
    /// Document ids whose placement is not held.
    pub documents: Vec<String>,
}

/// Rebuildable lookups: inverted indexes over the open stories held, scratch.
#[derive(Clone, Debug, Default)]
struct Index {
    built: bool,
    term_postings: FxHashMap<u32, Vec<u32>>,
    entity_postings: FxHashMap<u32, Vec<u32>>,
    hits: FxHashMap<u32, f32>,
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

    /// The settings, counts and newest date, for saving apart from the
    /// vocabularies, placements and stories.
    pub fn saved_core(&self) -> SavedCore {
        SavedCore {
            config: self.config.clone(),
            seen: self.seen,
            watermark: self.watermark,
            stories: self.story_count,
            next_term: self.terms.next,
            next_entity: self.entities.next,
        }
    }

    /// A clusterer from its saved core, holding nothing else yet: load what
    /// [`StoryClusterer::missing`] asks for, and the stories open since
    /// [`StoryClusterer::open_since`], before adding documents.
    pub fn resume(core: SavedCore) -> StoryClusterer {
        StoryClusterer {
            config: core.config,
            seen: core.seen,
            watermark: core.watermark,
            story_count: core.stories,
            terms: Vocabulary { next: core.next_term, ..Vocabulary::default() },
            entities: Vocabulary { next: core.next_entity, ..Vocabulary::default() },
            ..StoryClusterer::default()
        }
    }

    /// Stories whose last date is on or after this day (and undated ones)
    /// are open: a new document may join them by similarity. `None`: all
    /// are (nothing dated seen yet).
    pub fn open_since(&self) -> Option<i32> {
        self.watermark.map(|w| w - self.config.window_days as i32)
    }

    /// What [`StoryClusterer::add`] would read for these documents and this
    /// clusterer does not hold.
    pub fn missing(&self, docs: &[StoryDoc]) -> Missing {
        let mut m = Missing::default();
        for doc in docs {
            for wt in &doc.terms {
                if !self.terms.ids.contains_key(&wt.term) {
                    m.terms.push(wt.term.clone());
                }
            }
            for e in &doc.entities {
                if !self.entities.ids.contains_key(e) {
                    m.entities.push(e.clone());
                }
            }
            let named = std::iter::once(&doc.id).chain(&doc.near_duplicate_of).chain(&doc.shares_passage_with);
            m.documents.extend(named.filter(|d| !self.doc_story.contains_key(*d)).cloned());
        }
        for list in [&mut m.terms, &mut m.entities, &mut m.documents] {
            list.sort_unstable();
            list.dedup();
        }
        m
    }

    /// Stories placements point to that are not held.
    pub fn missing_stories(&self) -> Vec<u32> {
        let mut out: Vec<u32> = self.doc_story.values().copied().filter(|s| !self.stories.contains_key(s)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Terms the labels of these stories (by index) name and this
    /// clusterer does not hold.
    pub fn missing_label_terms(&self, stories: &[usize]) -> Vec<u32> {
        self.missing_named(stories, |st| st.centroid.iter().map(|e| e.0).collect(), &self.terms)
    }

    /// Entities the labels of these stories (by index) name and this
    /// clusterer does not hold.
    pub fn missing_label_entities(&self, stories: &[usize]) -> Vec<u32> {
        self.missing_named(stories, |st| st.entities.iter().map(|e| e.0).collect(), &self.entities)
    }

    fn missing_named(&self, stories: &[usize], ids: impl Fn(&StoryState) -> Vec<u32>, held: &Vocabulary) -> Vec<u32> {
        let mut out: Vec<u32> = stories
            .iter()
            .filter_map(|&s| self.stories.get(&(s as u32)))
            .flat_map(ids)
            .filter(|t| !held.rows.contains_key(t))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Holds a saved term. `false` when it does not fit (an id this
    /// clusterer never gave, or a stem held under another id).
    pub fn load_term(&mut self, entry: VocabularyEntry) -> bool {
        self.terms.load(entry)
    }

    /// Holds a saved entity; see [`StoryClusterer::load_term`].
    pub fn load_entity(&mut self, entry: VocabularyEntry) -> bool {
        self.entities.load(entry)
    }

    /// Holds a saved placement. `false` when the story index is out of range.
    pub fn load_placement(&mut self, doc: &str, story: u32) -> bool {
        if story >= self.story_count {
            return false;
        }
        self.doc_story.insert(doc.to_owned(), story);
        true
    }

    /// Holds saved story `index`. `false` when it does not fit (out of
    /// range, or naming terms or entities never interned).
    pub fn load_story(&mut self, index: u32, story: SavedStory) -> bool {
        let st = story.0;
        let fits = index < self.story_count
            && st.centroid.iter().all(|&(t, _)| t < self.terms.next)
            && st.entities.iter().all(|&(e, _)| e < self.entities.next);
        if fits {
            self.stories.insert(index, st);
            self.index.built = false;
        }
        fits
    }

    /// Forgets the stories no longer open and the placements into them:
    /// what a store does after saving, to hold the open window and not the
    /// corpus. The vocabularies stay (a new document needs most of them
    /// again). Call only when everything changed has been saved: what is
    /// forgotten is loaded again from the saved parts when a document names
    /// it ([`StoryClusterer::missing`]).
    pub fn forget_closed(&mut self) {
        let (watermark, window) = (self.watermark, self.config.window_days);
        self.stories.retain(|_, st| is_open(st, watermark, window));
        let stories = &self.stories;
        self.doc_story.retain(|_, s| stories.contains_key(s));
        self.index.built = false;
    }

    /// Story `index` (in the order stories were started), for saving.
    pub fn saved_story(&self, index: usize) -> Option<SavedStory> {
        self.stories.get(&(index as u32)).cloned().map(SavedStory)
    }

    /// The stories changed (joined, extended or started) since the last
    /// call, by index, each once; then forgets them.
    pub fn take_changed(&mut self) -> Vec<usize> {
        let mut out: Vec<usize> = self.changed.drain(..).map(|s| s as usize).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The terms whose document frequency or surface forms changed (new
    /// ones included) since the last call, by id; then forgets them.
    pub fn take_changed_terms(&mut self) -> Vec<VocabularyEntry> {
        self.terms.take_changed()
    }

    /// The entities changed since the last call; see
    /// [`StoryClusterer::take_changed_terms`].
    pub fn take_changed_entities(&mut self) -> Vec<VocabularyEntry> {
        self.entities.take_changed()
    }

    /// The documents placed since the last call, with their story's index,
    /// in order; then forgets them.
    pub fn take_placed(&mut self) -> Vec<(String, u32)> {
        std::mem::take(&mut self.placed)
    }

    /// The settings it clusters with.
    pub fn config(&self) -> &StoryConfig {
        &self.config
    }

    /// Number of stories (held or not).
    pub fn len(&self) -> usize {
        self.story_count as usize
    }

    /// Whether no story has been started yet.
    pub fn is_empty(&self) -> bool {
        self.story_count == 0
    }

    /// The story a document was placed in (held documents only).
    pub fn story_of(&self, doc: &str) -> Option<&str> {
        self.doc_story.get(doc).and_then(|s| self.stories.get(s)).map(|st| st.id.as_str())
    }

    /// Places one document and returns its story's id. Adding a document id
    /// again returns its story and changes nothing.
    pub fn add(&mut self, doc: &StoryDoc) -> StoryId {
        self.build_index();
        if let Some(st) = self.doc_story.get(&doc.id).and_then(|s| self.stories.get(s)) {
            return st.id.clone();
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
            .filter(|s| {
                let Some(st) = self.stories.get(s) else { return false };
                match (date, st.from, st.to) {
                    (Some(d), Some(from), Some(to)) => (from - d).max(d - to) <= window,
                    _ => true,
                }
            })
            .min();
        let origin = doc.near_duplicate_of.as_deref().and_then(|o| self.doc_story.get(o)).copied();
        if let Some(s) = origin.filter(|s| self.stories.contains_key(s)) {
            self.changed.push(s);
            let story = self.stories.get_mut(&s).expect("held");
            story.docs.push(doc.id.clone());
            extend_span(story, date);
            self.doc_story.insert(doc.id.clone(), s);
            self.placed.push((doc.id.clone(), s));
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
                let s = self.story_count;
                self.story_count += 1;
                self.stories.insert(s, StoryState { id: doc.id.clone(), norm: 0.0, ..StoryState::default() });
                s
            }
        };
        self.join(s, &doc.id, &vector, &entities, date);
        self.stories[&s].id.clone()
    }

    /// All stories held, largest (distinct documents) first, then oldest
    /// created. Labels use key terms only; see
    /// [`StoryClusterer::stories_named`].
    pub fn stories(&self) -> Vec<Story> {
        self.stories_named(|_| None)
    }

    /// All stories held, with labels naming their top entities by `name_of`
    /// (corpus entity id → display name).
    pub fn stories_named(&self, name_of: impl Fn(&str) -> Option<String>) -> Vec<Story> {
        let mut order: Vec<u32> = self.stories.keys().copied().collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(self.stories[&i].size), i));
        order.into_iter().map(|i| self.story(i, &name_of)).collect()
    }

    /// Story `index` (the order stories were started in; a list shows the
    /// largest first, then the earliest started), if held. Its terms are
    /// those held: load [`StoryClusterer::missing_label_terms`] first.
    pub fn story_at(&self, index: usize) -> Option<Story> {
        let s = u32::try_from(index).ok()?;
        self.stories.contains_key(&s).then(|| self.story(s, &|_: &str| None))
    }

    /// The story a document is in (held documents only), with its index.
    pub fn story_with_document(&self, doc: &str) -> Option<(usize, Story)> {
        let &s = self.doc_story.get(doc)?;
        Some((s as usize, self.story_at(s as usize)?))
    }

    fn story(&self, i: u32, name_of: &impl Fn(&str) -> Option<String>) -> Story {
        let st = &self.stories[&i];
        let mut ents = st.entities.clone();
        ents.sort_by_key(|&(e, n)| (std::cmp::Reverse(n), e));
        let entities: Vec<String> = ents
            .iter()
            .filter(|&&(_, n)| n * 4 >= st.size.max(1) || n >= 2)
            .take(5)
            .filter_map(|&(e, _)| self.entities.rows.get(&e).map(|r| r.text.clone()))
            .collect();
        let mut cent = st.centroid.clone();
        cent.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut terms: Vec<String> = Vec::new();
        for surface in cent.iter().filter_map(|&(t, _)| self.surface(t)) {
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

    /// The most common way term `t` was written (`None` when not held).
    fn surface(&self, t: u32) -> Option<String> {
        let row = self.terms.rows.get(&t)?;
        Some(
            row.surfaces
                .iter()
                .enumerate()
                .max_by(|a, b| a.1 .1.cmp(&b.1 .1).then(b.0.cmp(&a.0)))
                .map(|(_, (s, _))| s.clone())
                .unwrap_or_else(|| row.text.clone()),
        )
    }

    /// The inverted indexes over the open stories held, rebuilt after
    /// loading.
    fn build_index(&mut self) {
        if self.index.built {
            return;
        }
        let mut index = Index { built: true, ..Index::default() };
        let mut held: Vec<u32> = self.stories.keys().copied().collect();
        held.sort_unstable();
        for s in held {
            let st = &self.stories[&s];
            if !is_open(st, self.watermark, self.config.window_days) {
                continue;
            }
            for &(t, _) in &st.centroid {
                index.term_postings.entry(t).or_default().push(s);
            }
            for &(e, _) in &st.entities {
                index.entity_postings.entry(e).or_default().push(s);
            }
        }
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
            let id = self.terms.id(&wt.term);
            if v.iter().any(|&(t, _)| t == id) {
                continue;
            }
            let row = self.terms.entry(id);
            row.df += 1;
            if let Some(e) = row.surfaces.iter_mut().find(|(s, _)| *s == wt.surface) {
                e.1 += 1;
            } else if row.surfaces.len() < SURFACES_PER_TERM {
                row.surfaces.push((wt.surface.clone(), 1));
            }
            v.push((id, wt.weight));
        }
        for e in &mut v {
            e.1 *= self.idf(self.terms.df(e.0));
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
            let id = self.entities.id(e);
            if !out.contains(&id) {
                self.entities.entry(id).df += 1;
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
            if self.terms.df(t) as f32 > max_df {
                continue;
            }
            let Some(list) = term_postings.get_mut(&t) else { continue };
            list.retain(|s| {
                let st = &stories[s];
                let keep = is_open(st, watermark, window) && st.centroid.binary_search_by_key(&t, |e| e.0).is_ok();
                if keep {
                    let h = hits.entry(*s).or_insert(0.0);
                    if *h == 0.0 {
                        found.push(*s);
                    }
                    *h += w;
                }
                keep
            });
        }
        for &e in entities {
            if self.entities.df(e) as f32 > max_df {
                continue;
            }
            let Some(list) = entity_postings.get_mut(&e) else { continue };
            list.retain(|s| {
                let keep = is_open(&stories[s], watermark, window);
                if keep {
                    let h = hits.entry(*s).or_insert(0.0);
                    if *h == 0.0 {
                        found.push(*s);
                    }
                    *h += 0.1;
                }
                keep
            });
        }
        found.sort_by(|a, b| hits[b].total_cmp(&hits[a]).then(a.cmp(b)));
        hits.clear();
        found.truncate(config.candidates);
        let mut best: Option<(f32, u32)> = None;
        for s in found {
            let score = self.score(&stories[&s], vector, entities, date);
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
                let w = self.idf(self.entities.df(e));
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
        let st = self.stories.get_mut(&s).expect("joined stories are held");
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
                self.index.term_postings.entry(t).or_default().push(s);
            }
        }
        for &e in entities {
            match st.entities.binary_search_by_key(&e, |x| x.0) {
                Ok(i) => st.entities[i].1 += 1,
                Err(i) => {
                    st.entities.insert(i, (e, 1));
                    self.index.entity_postings.entry(e).or_default().push(s);
                }
            }
        }
        st.docs.push(doc.to_owned());
        st.size += 1;
        extend_span(st, date);
        self.doc_story.insert(doc.to_owned(), s);
        self.placed.push((doc.to_owned(), s));
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
