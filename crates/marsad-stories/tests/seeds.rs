//! The seed articles (Putin–Kim meetings of 2019, 2023 and 2024): the
//! summary of all five and their stories.
//!
//! Reads `../shared/corpus/seeds` at run time and skips when it is absent;
//! no seed text is copied into the project.

use marsad_extract::corpus::{resolve_entities, DocEntities};
use marsad_extract::{analyze_document, DocumentAnalysis, DocumentInput};
use marsad_stories::{summarize, StoryClusterer, StoryConfig, StoryDoc, SummaryInput, SummaryOptions};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");

/// Publication dates of the seeds (fixtures: the files carry no metadata).
const DATES: [(&str, &str); 5] =
    [("000", "2023-09-05"), ("001", "2023-09-05"), ("002", "2024-06-22"), ("003", "2023-09-13"), ("004", "2019-04-27")];

struct Seed {
    id: String,
    date: &'static str,
    text: String,
    analysis: DocumentAnalysis,
    entity_ids: Vec<String>,
}

fn seeds() -> Option<Vec<Seed>> {
    let Ok(dir) = std::fs::read_dir(SEEDS) else {
        eprintln!("skipping: seed articles not found at {SEEDS}");
        return None;
    };
    let mut paths: Vec<_> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "txt")
                && p.file_stem().is_some_and(|s| s.to_string_lossy().starts_with('0'))
        })
        .collect();
    paths.sort();
    let mut seeds: Vec<Seed> = paths
        .iter()
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            let date = DATES.iter().find(|(k, _)| id.starts_with(k)).map(|d| d.1).expect("known seed");
            let text = std::fs::read_to_string(p).expect("seed readable");
            let analysis = analyze_document(&DocumentInput { text: &text, title: None, date: Some(date) });
            Seed { id, date, text, analysis, entity_ids: Vec::new() }
        })
        .collect();
    let input: Vec<DocEntities<'_>> =
        seeds.iter().map(|s| DocEntities { doc: &s.id, entities: &s.analysis.entities }).collect();
    let res = resolve_entities(&input);
    for (s, assignment) in seeds.iter_mut().zip(&res.assignment) {
        s.entity_ids = assignment.iter().map(|&g| res.entities[g].id.clone()).collect();
    }
    Some(seeds)
}

/// Normalized word set of a sentence (not stems: the check is independent of
/// the summarizer's own similarity).
fn word_set(s: &str) -> std::collections::BTreeSet<String> {
    marsad_text::tokenize(s)
        .into_iter()
        .filter(|t| t.kind != marsad_text::TokenKind::Punct)
        .map(|t| t.base().to_owned())
        .collect()
}

fn word_jaccard(a: &str, b: &str) -> f32 {
    let (a, b) = (word_set(a), word_set(b));
    let shared = a.intersection(&b).count();
    shared as f32 / (a.len() + b.len() - shared).max(1) as f32
}

/// Meeting words: summit, meeting, visit, talks, met.
const MEETING: [&str; 9] = ["قمه", "لقاء", "زياره", "اجتماع", "محادثات", "التقي", "يلتقي", "مباحثات", "زار"];

/// The years of the Putin–Kim meetings a sentence is about.
///
/// A sentence is about a meeting when it uses a meeting word; it is about
/// the year(s) it names explicitly (2019, 2023, 2024 as digits), and when it
/// names none, about its article's year — a 2024 article that recalls "their
/// first meeting in 2019" names the year, while "the summit will be held on
/// Wednesday" in a 2023 article does not. The 2019 summit is also
/// recognised by its place, Vladivostok, and the 2024 visit by Pyongyang
/// together with a 2024 article (the 2023 summit was in Russia).
fn meeting_years(text: &str, doc_date: &str) -> Vec<&'static str> {
    let key = marsad_text::normalize_key(text);
    let words = word_set(text);
    let about_meeting = MEETING.iter().any(|m| key.contains(m)) || words.iter().any(|w| w.starts_with("قم"));
    let mut years: Vec<&'static str> = ["2019", "2023", "2024"].into_iter().filter(|y| key.contains(y)).collect();
    if key.contains("فلاديفوستوك") && !years.contains(&"2019") {
        years.push("2019");
    }
    if years.is_empty() {
        years.push(["2019", "2023", "2024"].into_iter().find(|y| doc_date.starts_with(y)).unwrap_or(""));
    }
    if about_meeting {
        years
    } else {
        Vec::new()
    }
}

#[test]
fn summary_of_the_seeds_covers_the_three_meetings_without_repeats() {
    let Some(seeds) = seeds() else { return };
    let inputs: Vec<SummaryInput<'_>> = seeds
        .iter()
        .map(|s| SummaryInput {
            id: &s.id,
            date: Some(s.date),
            text: &s.text,
            analysis: &s.analysis,
            entity_ids: &s.entity_ids,
            sentence_reuse: &[],
        })
        .collect();
    let summary = summarize(&inputs, SummaryOptions { sentences: Some(5), ..SummaryOptions::default() });
    for s in &summary {
        eprintln!("[{} {}] {}", s.date.as_deref().unwrap_or("-"), &s.doc[..3], s.text);
    }
    assert_eq!(summary.len(), 5);
    for s in &summary {
        let seed = seeds.iter().find(|x| x.id == s.doc).unwrap();
        assert_eq!(&seed.text[s.start..s.end], s.text);
    }
    for (i, a) in summary.iter().enumerate() {
        for b in &summary[i + 1..] {
            let j = word_jaccard(&a.text, &b.text);
            assert!(j < 0.5, "too similar ({j}):\n{}\n{}", a.text, b.text);
        }
    }
    let mut covered: Vec<&str> =
        summary.iter().flat_map(|s| meeting_years(&s.text, s.date.as_deref().unwrap_or(""))).collect();
    covered.sort();
    covered.dedup();
    for year in ["2019", "2023", "2024"] {
        assert!(covered.contains(&year), "no sentence about the {year} meeting; covered {covered:?}");
    }
    // Ordered by date.
    assert!(summary.windows(2).all(|w| w[0].date <= w[1].date));
}

#[test]
fn summary_focused_on_an_entity_only_has_its_sentences() {
    let Some(seeds) = seeds() else { return };
    // Kim Jong Un's corpus id: the person named in every seed.
    let kim = seeds[0]
        .analysis
        .entities
        .iter()
        .position(|e| e.name.contains("كيم"))
        .map(|l| seeds[0].entity_ids[l].clone())
        .expect("Kim in 000");
    let inputs: Vec<SummaryInput<'_>> = seeds
        .iter()
        .map(|s| SummaryInput {
            id: &s.id,
            date: Some(s.date),
            text: &s.text,
            analysis: &s.analysis,
            entity_ids: &s.entity_ids,
            sentence_reuse: &[],
        })
        .collect();
    let summary =
        summarize(&inputs, SummaryOptions { sentences: Some(4), words: None, focus_entity: Some(kim.clone()) });
    assert!(!summary.is_empty());
    for s in &summary {
        let seed = seeds.iter().find(|x| x.id == s.doc).unwrap();
        let a = &seed.analysis;
        let sentence = a.sentences.iter().position(|r| r.start <= s.start && s.end <= r.end).unwrap();
        assert!(a.mentions.iter().any(|m| m.sentence == sentence && seed.entity_ids[m.entity] == kim), "{}", s.text);
    }
    // A word budget is respected.
    let short = summarize(&inputs, SummaryOptions { sentences: None, words: Some(60), focus_entity: None });
    assert!(!short.is_empty());
    assert!(short.iter().map(|s| s.text.split_whitespace().count()).sum::<usize>() <= 60);
}

fn story_docs(seeds: &[Seed], dated: bool) -> Vec<StoryDoc> {
    seeds
        .iter()
        .map(|s| {
            let mut ents: Vec<(usize, String)> =
                s.analysis.entities.iter().zip(&s.entity_ids).map(|(e, id)| (e.mentions, id.clone())).collect();
            ents.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let ids: Vec<String> = ents.into_iter().map(|e| e.1).collect();
            StoryDoc::from_text(s.id.clone(), dated.then_some(s.date), None, &s.text, &ids, None)
        })
        .collect()
}

fn cluster(docs: Vec<StoryDoc>, config: StoryConfig) -> StoryClusterer {
    let mut c = StoryClusterer::new(config);
    for d in docs {
        c.add(&d);
    }
    for s in c.stories() {
        eprintln!("{} {:?}..{:?} {:?} | {}", s.id, s.from, s.to, s.docs, s.label);
    }
    c
}

fn in_date_order(mut docs: Vec<StoryDoc>) -> Vec<StoryDoc> {
    docs.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    docs
}

/// The sliding window keeps the 2019 summit (004) and the
/// 2024 visit (002, nine months after the 2023 summit) out of any 2023
/// story, whatever the content similarity.
#[test]
fn seed_stories_respect_the_time_window() {
    let Some(seeds) = seeds() else { return };
    let c = cluster(in_date_order(story_docs(&seeds, true)), StoryConfig::default());
    let story = |p: &str| c.story_of(&seeds.iter().find(|s| s.id.starts_with(p)).unwrap().id).unwrap().to_owned();
    for p in ["000", "001", "003"] {
        assert_ne!(story(p), story("004"));
        assert_ne!(story(p), story("002"));
    }
}

/// The seeds are one topic but three stories in the news-monitor sense —
/// the 2023 summit (000, 001, 003, one week apart), the 2024 Pyongyang
/// visit (002) and the 2019 Vladivostok summit (004) — and without dates,
/// one story. This needs the IDF smoothing of `stories` (five documents are
/// too few for an online IDF: unsmoothed, 000–001 scored 0.24 against the
/// 0.3 threshold and each seed was its own story).
#[test]
fn seed_stories_follow_the_meetings() {
    let Some(seeds) = seeds() else { return };
    let c = cluster(in_date_order(story_docs(&seeds, true)), StoryConfig::default());
    let story = |p: &str| c.story_of(&seeds.iter().find(|s| s.id.starts_with(p)).unwrap().id).unwrap().to_owned();
    assert_eq!(story("000"), story("001"));
    assert_eq!(story("000"), story("003"));
    assert_eq!(c.len(), 3);
    let undated = cluster(story_docs(&seeds, false), StoryConfig::default());
    assert_eq!(undated.len(), 1, "without dates the five seeds are one topic");
}
