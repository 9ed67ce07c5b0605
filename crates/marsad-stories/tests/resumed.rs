//! A clusterer saved in parts and resumed holding only what a batch reads
//! places every document as one that was never saved.
//!
//! `Tables` stands for a store: the core, one row per vocabulary entry,
//! placement and story, written after each batch with only what it
//! changed, and read back by key. The real-news case reads
//! `../shared/corpus/saudinewsnet` at run time and skips when it is absent.

use std::collections::{BTreeMap, HashMap};

use marsad_stories::{SavedCore, SavedStory, Story, StoryClusterer, StoryConfig, StoryDoc, VocabularyEntry};

#[derive(Default)]
struct Tables {
    core: Option<SavedCore>,
    terms: HashMap<String, VocabularyEntry>,
    term_ids: HashMap<u32, String>,
    entities: HashMap<String, VocabularyEntry>,
    entity_ids: HashMap<u32, String>,
    placements: HashMap<String, u32>,
    stories: BTreeMap<u32, SavedStory>,
    /// Rows written, all saves together.
    written: usize,
}

impl Tables {
    fn save(&mut self, c: &mut StoryClusterer) {
        self.core = Some(c.saved_core());
        for e in c.take_changed_terms() {
            self.term_ids.insert(e.id, e.text.clone());
            self.terms.insert(e.text.clone(), e);
            self.written += 1;
        }
        for e in c.take_changed_entities() {
            self.entity_ids.insert(e.id, e.text.clone());
            self.entities.insert(e.text.clone(), e);
            self.written += 1;
        }
        for (doc, s) in c.take_placed() {
            assert!(self.placements.insert(doc, s).is_none(), "a document is placed once");
            self.written += 1;
        }
        for s in c.take_changed() {
            self.stories.insert(s as u32, c.saved_story(s).expect("changed stories are held"));
            self.written += 1;
        }
    }

    /// The clusterer as a store resumes it: the core and the open stories.
    fn resume(&self) -> StoryClusterer {
        let mut c = StoryClusterer::resume(self.core.clone().expect("saved"));
        let since = c.open_since();
        for (&i, st) in &self.stories {
            if since.is_none_or(|d| st.last_day().is_none_or(|last| last >= d)) {
                assert!(c.load_story(i, st.clone()));
            }
        }
        c
    }

    /// Loads what placing `docs` reads.
    fn prepare(&self, c: &mut StoryClusterer, docs: &[StoryDoc]) {
        let missing = c.missing(docs);
        for t in &missing.terms {
            if let Some(e) = self.terms.get(t) {
                assert!(c.load_term(e.clone()));
            }
        }
        for t in &missing.entities {
            if let Some(e) = self.entities.get(t) {
                assert!(c.load_entity(e.clone()));
            }
        }
        for d in &missing.documents {
            if let Some(&s) = self.placements.get(d) {
                assert!(c.load_placement(d, s));
            }
        }
        for s in c.missing_stories() {
            assert!(c.load_story(s, self.stories[&s].clone()));
        }
    }

    /// Loads the terms and entities the labels of `stories` name.
    fn prepare_labels(&self, c: &mut StoryClusterer, stories: &[usize]) {
        for t in c.missing_label_terms(stories) {
            assert!(c.load_term(self.terms[&self.term_ids[&t]].clone()));
        }
        for e in c.missing_label_entities(stories) {
            assert!(c.load_entity(self.entities[&self.entity_ids[&e]].clone()));
        }
    }

    /// Everything, as one clusterer.
    fn whole(&self) -> StoryClusterer {
        let mut c = StoryClusterer::resume(self.core.clone().expect("saved"));
        for e in self.terms.values() {
            assert!(c.load_term(e.clone()));
        }
        for e in self.entities.values() {
            assert!(c.load_entity(e.clone()));
        }
        for (d, &s) in &self.placements {
            assert!(c.load_placement(d, s));
        }
        for (&i, st) in &self.stories {
            assert!(c.load_story(i, st.clone()));
        }
        c
    }
}

/// Places `docs` in one clusterer never saved, and in batches of the given
/// sizes through `Tables`; both must agree on every placement, every
/// story, and on the labels of the stories each batch touched.
fn check(docs: &[StoryDoc], batches: &[usize]) -> (Vec<Story>, usize) {
    let mut never = StoryClusterer::new(StoryConfig::default());
    let mut tables = Tables::default();
    let mut first = StoryClusterer::new(StoryConfig::default());
    tables.save(&mut first);
    let mut at = 0;
    let mut sizes = batches.iter().cycle();
    let mut held_most = 0;
    // Every other batch goes on with the clusterer of the batch before,
    // which forgot its closed stories once saved (a store's first ingest);
    // the others resume from the tables (a store's next ingest).
    let mut kept: Option<StoryClusterer> = None;
    let mut kept_turn = true;
    while at < docs.len() {
        let end = (at + sizes.next().unwrap()).min(docs.len());
        let batch = &docs[at..end];
        let mut c = kept.take().unwrap_or_else(|| tables.resume());
        tables.prepare(&mut c, batch);
        for doc in batch {
            assert_eq!(c.add(doc), never.add(doc), "{}: placed elsewhere", doc.id);
        }
        let touched: Vec<usize> = batch.iter().filter_map(|d| c.story_with_document(&d.id)).map(|(i, _)| i).collect();
        tables.prepare_labels(&mut c, &touched);
        for doc in batch {
            let (_, mine) = c.story_with_document(&doc.id).unwrap();
            let (_, theirs) = never.story_with_document(&doc.id).unwrap();
            assert_eq!(mine, theirs, "{}: its story differs", doc.id);
        }
        held_most = held_most.max(c.stories().len());
        tables.save(&mut c);
        c.forget_closed();
        if kept_turn {
            kept = Some(c);
        }
        kept_turn = !kept_turn;
        at = end;
    }
    let whole = tables.whole();
    assert_eq!(whole.stories(), never.stories(), "the saved stories differ");
    assert_eq!(whole.len(), never.len());
    (never.stories(), held_most)
}

fn doc(id: &str, date: &str, title: &str, text: &str) -> StoryDoc {
    StoryDoc::from_text(id, Some(date), Some(title), text, &[], None)
}

#[test]
fn a_few_documents_in_two_batches() {
    let docs = vec![
        doc("a", "2015-08-01", "أسعار الذهب", "تراجعت أسعار الذهب في الأسواق العالمية مع صعود الدولار الأمريكي."),
        doc("b", "2015-08-01", "مباراة الهلال", "فاز فريق الهلال على النصر في مباراة الدوري بهدفين نظيفين."),
        doc("c", "2015-08-02", "الذهب يتراجع", "تراجعت أسعار الذهب مجددا في الأسواق العالمية مع صعود الدولار."),
        doc("d", "2015-08-03", "الهلال يفوز", "فاز الهلال على النصر في الدوري بهدفين."),
        doc("e", "2015-09-30", "حفل فني", "أقيم حفل فني في جدة بحضور جمهور كبير.")
            .sharing_passages_with(vec!["a".into()]),
        doc("f", "2015-09-30", "الذهب", "تراجعت أسعار الذهب في الأسواق العالمية.")
            .sharing_passages_with(vec!["a".into()]),
    ];
    let (stories, _) = check(&docs, &[2, 3, 1]);
    assert_eq!(stories.len(), 4, "{stories:#?}");
}

/// The date of an article, ISO.
fn date_of(v: &serde_json::Value) -> Option<String> {
    v.get("date_extracted")?.as_str().map(|s| s.chars().take(10).collect())
}

#[test]
fn real_news_in_batches_of_every_size() {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/saudinewsnet"));
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipping: SaudiNewsNet not found at {}", dir.display());
        return;
    };
    let mut files: Vec<_> =
        entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    files.sort();
    let mut raw: Vec<serde_json::Value> = Vec::new();
    for f in &files {
        let list: Vec<serde_json::Value> = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        raw.extend(list.into_iter().take(150));
    }
    raw.sort_by_key(date_of);
    let mut docs: Vec<StoryDoc> = Vec::new();
    for (i, v) in raw.iter().enumerate() {
        let title = v.get("title").and_then(|t| t.as_str()).unwrap_or("");
        let text = v.get("content").and_then(|t| t.as_str()).unwrap_or("");
        // Stand-ins for corpus entities, near-duplicates and shared
        // passages, so every part of the state is exercised.
        let entities: Vec<String> = title.split_whitespace().take(3).map(|w| format!("E:{w}")).collect();
        let origin = (i % 17 == 5).then(|| format!("n{}", i - 3));
        let mut d = StoryDoc::from_text(format!("n{i}"), date_of(v).as_deref(), Some(title), text, &entities, origin);
        if i % 11 == 7 {
            d = d.sharing_passages_with(vec![format!("n{}", i / 2), "unknown".into()]);
        }
        docs.push(d);
    }
    let (stories, held_most) = check(&docs, &[1, 40, 7, 150, 3]);
    eprintln!("{} documents, {} stories; at most {held_most} held at once", docs.len(), stories.len());
    assert!(stories.len() > 50);
}
