//! End-to-end tests of `reuse`, `duplicates`, `stories`, `story` and
//! `summary` on the real seed articles (dated as in `common::PUBLISHED`).
//! They skip with a message when `../shared/corpus/seeds` is absent.

use std::collections::BTreeSet;

use serde_json::Value;

mod common;
use common::{dated_store, run, run_json};

fn docs_of(group: &Value) -> Vec<String> {
    group["occurrences"].as_array().unwrap().iter().map(|o| o["doc"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn peskovs_passage_is_shared_and_the_pull_quotes_repeat() {
    let Some((_dir, data)) = dated_store() else { return };
    let list = run_json(&data, &["reuse", "-n", "0", "--json"]);
    let groups = list["groups"].as_array().expect("groups");
    for g in groups {
        for key in ["text", "similarity", "origin", "occurrences", "words", "documents"] {
            assert!(g.get(key).is_some(), "group without {key}: {g}");
        }
        for o in g["occurrences"].as_array().unwrap() {
            for key in ["doc", "start", "end", "text"] {
                assert!(o.get(key).is_some(), "occurrence without {key}: {o}");
            }
        }
    }
    // The Kremlin spokesman's statement on the six-party talks: one group,
    // in 002 and 004, the 2019 article its origin.
    let peskov: Vec<&Value> =
        groups.iter().filter(|g| g["text"].as_str().unwrap().contains("بيسكوف") && g["documents"] == 2).collect();
    assert_eq!(peskov.len(), 1, "{groups:#?}");
    let g = peskov[0];
    let docs = docs_of(g);
    assert!(docs[0].starts_with("002_") && docs[1].starts_with("004_"), "{docs:?}");
    let origin = g["origin"].as_u64().expect("an origin") as usize;
    assert!(docs[origin].starts_with("004_"));
    for o in g["occurrences"].as_array().unwrap() {
        let text = o["text"].as_str().unwrap();
        assert!(text.contains("المحادثات السداسية"), "{text}");
        // The span is exact: the document's text holds it there.
        let doc = run_json(&data, &["doc", o["doc"].as_str().unwrap(), "--json"]);
        let full = doc["text"].as_str().unwrap();
        let (s, e) = (o["start"].as_u64().unwrap() as usize, o["end"].as_u64().unwrap() as usize);
        assert_eq!(&full[s..e], text);
    }

    // In 000 the Zelensky and Umerov pull-quotes are repeats inside the
    // article (the cleaner kept one copy of each; the other is marked).
    let repeats = run_json(&data, &["reuse", "--doc", "000_7f7829b64ebcc593", "--json"]);
    let in_doc: Vec<&Value> = repeats["groups"].as_array().unwrap().iter().filter(|g| g["documents"] == 1).collect();
    assert_eq!(in_doc.len(), 2, "{repeats:#?}");
    let texts: Vec<&str> = in_doc.iter().map(|g| g["text"].as_str().unwrap()).collect();
    assert!(texts.iter().any(|t| t.contains("زيلينسكي")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("عمروف") || t.contains("كييف")), "{texts:?}");
    for g in in_doc {
        let occ = g["occurrences"].as_array().unwrap();
        assert_eq!(occ.len(), 2);
        assert!(occ.iter().all(|o| o["doc"] == "000_7f7829b64ebcc593"));
        assert_eq!(occ.iter().filter(|o| o["removed"] == true).count(), 1);
    }
    // --across leaves only passages shared between documents.
    let across = run_json(&data, &["reuse", "--across", "-n", "0", "--json"]);
    assert!(across["groups"].as_array().unwrap().iter().all(|g| g["documents"].as_u64().unwrap() >= 2));

    // Five different articles: no whole-document near-duplicates.
    let dups = run_json(&data, &["duplicates", "--json"]);
    assert_eq!(dups["total"], 0, "{dups:#}");
    assert!(dups["groups"].as_array().unwrap().is_empty());
}

#[test]
fn stories_follow_the_meetings_and_the_summary_covers_them() {
    let Some((_dir, data)) = dated_store() else { return };
    let list = run_json(&data, &["stories", "--json"]);
    let stories = list["stories"].as_array().expect("stories");
    for s in stories {
        for key in ["id", "label", "entities", "terms", "from", "to", "docs", "size"] {
            assert!(s.get(key).is_some(), "story without {key}: {s}");
        }
    }
    let story_of = |prefix: &str| -> String {
        stories
            .iter()
            .find(|s| s["docs"].as_array().unwrap().iter().any(|d| d.as_str().unwrap().starts_with(prefix)))
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("{prefix} in no story"))
    };
    // The September 2023 summit (000, 001, 003); June 2024 and April 2019 apart.
    assert_eq!(story_of("000"), story_of("001"));
    assert_eq!(story_of("000"), story_of("003"));
    assert_ne!(story_of("000"), story_of("002"));
    assert_ne!(story_of("000"), story_of("004"));
    assert_ne!(story_of("002"), story_of("004"));
    assert_eq!(stories.len(), 3, "{list:#}");
    let summit = &stories[0];
    assert_eq!(summit["size"], 3);
    assert_eq!(summit["from"], "2023-09-05");
    assert_eq!(summit["to"], "2023-09-13");
    let names: Vec<&str> = summit["entities"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"فلاديمير بوتين") && names.contains(&"كيم جونغ أون"), "{names:?}");
    assert!(summit["label"].as_str().unwrap().contains("بوتين"));

    let detail = run_json(&data, &["story", summit["id"].as_str().unwrap(), "--json"]);
    assert_eq!(detail["documents"].as_array().unwrap().len(), 3);
    let summary =
        run_json(&data, &["summary", "--story", summit["id"].as_str().unwrap(), "--sentences", "3", "--json"]);
    let sentences = summary["sentences"].as_array().unwrap();
    assert!(!sentences.is_empty() && sentences.len() <= 3);
    let summit_docs: BTreeSet<&str> = summit["docs"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
    assert!(sentences.iter().all(|s| summit_docs.contains(s["doc"].as_str().unwrap())));

    // The whole corpus in five sentences: no two say the same thing, and
    // the 2019, 2023 and 2024 meetings are all there.
    let summary = run_json(&data, &["summary", "--sentences", "5", "--json"]);
    let sentences = summary["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), 5, "{summary:#}");
    let words = |s: &Value| -> BTreeSet<String> { marsad_text_words(s["text"].as_str().unwrap()) };
    for (i, a) in sentences.iter().enumerate() {
        for b in &sentences[i + 1..] {
            let (wa, wb) = (words(a), words(b));
            let shared = wa.intersection(&wb).count() as f32;
            let jaccard = shared / (wa.len() as f32 + wb.len() as f32 - shared);
            assert!(jaccard < 0.5, "redundant ({jaccard}):\n{a}\n{b}");
        }
    }
    let mut years = BTreeSet::new();
    for s in sentences {
        let (text, date) = (s["text"].as_str().unwrap(), s["date"].as_str().unwrap_or(""));
        let named: Vec<&str> = ["2019", "2023", "2024"].into_iter().filter(|y| text.contains(y)).collect();
        if named.is_empty() {
            years.insert(date.get(..4).unwrap_or("").to_owned());
        }
        years.extend(named.into_iter().map(str::to_owned));
        if text.contains("فلاديفوستوك") {
            years.insert("2019".into());
        }
    }
    for y in ["2019", "2023", "2024"] {
        assert!(years.contains(y), "no sentence about {y}: {summary:#}");
    }
    let dates: Vec<&str> = sentences.iter().map(|s| s["date"].as_str().unwrap_or("")).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "not in date order: {dates:?}");

    // An entity summary, and clear errors.
    let putin = run_json(&data, &["summary", "--entity", "بوتين", "--sentences", "3", "--json"]);
    assert_eq!(putin["scope"], "entity");
    assert!(!putin["sentences"].as_array().unwrap().is_empty());
    let out = run(&data, &["summary", "--story", "no-such-story"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-story"));
    let out = run(&data, &["story", "no-such-story"]);
    assert!(!out.status.success());
}

/// Words of a sentence, normalized the way search sees them.
fn marsad_text_words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() > 1).map(str::to_owned).collect()
}
