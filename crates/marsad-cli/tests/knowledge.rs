//! End-to-end tests of who, what, when: `entities`, `entity`, `quotes`,
//! `timeline` and `graph` on the real seed articles.
//!
//! The seed files are plain text and, except 003_…, carry no date. A user
//! who knows when an article was published says so; here the test gives the
//! publication dates as metadata by ingesting the seeds as JSON Lines, the
//! way an analyst's export would arrive.
//! The dates are fixtures of this test, not part of the project's data:
//! 000 and 001 were published on 5 September 2023 (001: "أمس، الاثنين 4
//! سبتمبر"), 002 after Putin's visit to Pyongyang of Wednesday 19 June 2024,
//! 004 the day after the Vladivostok summit's aftermath of Friday 26 April
//! 2019, and 003 gives its own date (13 September 2023) in its byline.
//!
//! Tests skip with a message when `../shared/corpus/seeds` is absent.

use std::path::Path;

use serde_json::Value;

mod common;
use common::{dated_store, run, run_json};

fn str_list(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

/// The person entity whose canonical name is `name`.
fn person<'a>(entities: &'a [Value], name: &str) -> &'a Value {
    entities.iter().find(|e| e["name"] == name).unwrap_or_else(|| {
        let names: Vec<&str> = entities.iter().filter_map(|e| e["name"].as_str()).collect();
        panic!("no person named {name:?}; persons: {names:?}")
    })
}

#[test]
fn persons_are_found_merged_and_kept_apart() {
    let Some((_dir, data)) = dated_store() else { return };
    let list = run_json(&data, &["entities", "--type", "person", "-n", "0", "--json"]);
    let entities = list["entities"].as_array().expect("entities");
    for e in entities {
        assert_eq!(e["type"], "person");
        for key in ["id", "name", "variants", "roles", "docs", "mentions"] {
            assert!(!e[key].is_null(), "{key} missing in {e}");
        }
    }
    for name in [
        "فلاديمير بوتين",
        "كيم جونغ أون",
        "كيم جونغ إيل",
        "كيم إيل سونغ",
        "ديمتري بيسكوف",
        "ديمتري مدفيديف",
        "فولوديمير زيلينسكي",
        "أولينا زيلينسكا",
        "رستم عمروف",
        "أوليكسي ريزنيكوف",
        "جون كيربي",
        "سيرغي شويغو",
        "ألكسندر جابويف",
        "جون بارك",
        "أندريه كورتونوف",
        "مايك بومبيو",
        "رجب طيب إردوغان",
    ] {
        person(entities, name);
    }
    // Three Kims, three people.
    let kims: Vec<&str> = ["كيم جونغ أون", "كيم جونغ إيل", "كيم إيل سونغ"]
        .iter()
        .map(|n| person(entities, n)["id"].as_str().unwrap())
        .collect();
    assert!(kims[0] != kims[1] && kims[1] != kims[2] && kims[0] != kims[2]);
    // Trump: one entity, both spellings, documents of both spellings.
    let trumps: Vec<&Value> = entities
        .iter()
        .filter(|e| str_list(&e["variants"]).iter().any(|v| v.contains("ترمب") || v.contains("ترامب")))
        .collect();
    assert_eq!(trumps.len(), 1, "Trump is one entity: {trumps:?}");
    let variants = str_list(&trumps[0]["variants"]);
    assert!(variants.iter().any(|v| v.contains("ترمب")) && variants.iter().any(|v| v.contains("ترامب")));
    let docs = str_list(&trumps[0]["docs"]);
    assert!(docs.contains(&"002_da7ccb45ff20fa50".to_string()) && docs.contains(&"004_b4ac602b67b6769e".to_string()));
    // Putin is in every article, with his role kept apart.
    let putin = person(entities, "فلاديمير بوتين");
    assert_eq!(str_list(&putin["docs"]).len(), 5);
    assert!(str_list(&putin["roles"]).iter().any(|r| r == "الرئيس الروسي"), "{putin}");
    assert!(!str_list(&putin["variants"]).iter().any(|v| v.contains("الرئيس")));
    // Zelensky and his wife; Peskov and Medvedev.
    assert_ne!(person(entities, "فولوديمير زيلينسكي")["id"], person(entities, "أولينا زيلينسكا")["id"]);
    assert_ne!(person(entities, "ديمتري بيسكوف")["id"], person(entities, "ديمتري مدفيديف")["id"]);
    // Kirby's surname alone belongs to him.
    assert!(!entities.iter().any(|e| e["name"] == "كيربي"));
}

#[test]
fn places_and_organisations_are_typed() {
    let Some((_dir, data)) = dated_store() else { return };
    let places = run_json(&data, &["entities", "--type", "place", "-n", "0", "--json"]);
    let names: Vec<String> =
        places["entities"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap().to_owned()).collect();
    for place in ["كوريا الشمالية", "موسكو", "فلاديفوستوك"] {
        assert!(names.iter().any(|n| n == place), "{place} not among places {names:?}");
    }
    let orgs = run_json(&data, &["entities", "--type", "organization", "-n", "0", "--json"]);
    let names: Vec<String> =
        orgs["entities"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap().to_owned()).collect();
    assert!(names.iter().any(|n| n == "الكرملين"), "organisations: {names:?}");
}

fn quotes_of(data: &Path, speaker: &str) -> Vec<Value> {
    let list = run_json(data, &["quotes", "--speaker", speaker, "--json"]);
    list["quotes"].as_array().expect("quotes").clone()
}

#[test]
fn direct_quotes_are_attributed_with_continuations() {
    let Some((_dir, data)) = dated_store() else { return };
    for (speaker, canonical) in [
        ("جابويف", "ألكسندر جابويف"),
        ("سنايدر", "سكوت أ. سنايدر"),
        ("ترمب", ""),
        ("بوتين", "فلاديمير بوتين"),
        ("كيم جونغ أون", "كيم جونغ أون"),
        ("جون بارك", "جون بارك"),
        ("كورتونوف", "أندريه كورتونوف"),
    ] {
        let quotes = quotes_of(&data, speaker);
        let direct: Vec<&Value> = quotes.iter().filter(|q| q["direct"] == true).collect();
        assert!(!direct.is_empty(), "no direct quote by {speaker}: {quotes:?}");
        for q in &direct {
            let name = q["speaker"]["name"].as_str().unwrap_or_default();
            if !canonical.is_empty() {
                assert_eq!(name, canonical, "{q}");
            }
            let text = q["text"].as_str().unwrap();
            assert!(!text.is_empty() && !text.starts_with('"') && !text.starts_with('«'));
        }
    }
    // Trump and Putin go on speaking: continuations carry the speaker over.
    for speaker in ["ترمب", "بوتين"] {
        let quotes = quotes_of(&data, speaker);
        assert!(
            quotes.iter().any(|q| q["continuation"] == true),
            "no continuation attributed to {speaker}: {quotes:?}"
        );
    }
}

#[test]
fn peskovs_reported_statement_is_in_both_articles() {
    let Some((_dir, data)) = dated_store() else { return };
    let quotes = quotes_of(&data, "بيسكوف");
    let docs: Vec<&str> = quotes
        .iter()
        .filter(|q| q["direct"] == false && q["text"].as_str().unwrap_or("").contains("السداسية"))
        .map(|q| q["doc"].as_str().unwrap())
        .collect();
    assert!(docs.contains(&"002_da7ccb45ff20fa50") && docs.contains(&"004_b4ac602b67b6769e"), "{quotes:?}");
    for q in &quotes {
        assert_eq!(q["speaker"]["name"], "ديمتري بيسكوف");
    }
}

#[test]
fn the_timeline_tells_the_story() {
    let Some((_dir, data)) = dated_store() else { return };
    let timeline = run_json(&data, &["timeline", "--json"]);
    let events = timeline["events"].as_array().expect("events");
    let dates: Vec<&str> = events.iter().map(|e| e["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "sorted by date");
    for e in events {
        for key in ["date", "granularity", "type", "title", "actors", "place", "docs", "evidence"] {
            assert!(e.get(key).is_some(), "{key} missing in {e}");
        }
    }
    let on = |prefix: &str| -> Vec<&Value> {
        events.iter().filter(|e| e["date"].as_str().unwrap().starts_with(prefix)).collect()
    };
    for (prefix, what) in [
        ("1948-10-12", "recognition of the DPRK"),
        ("2003", "six-party talks"),
        ("2011", "Kim Jong Il and Medvedev"),
        ("2017-12", "resolution 2397"),
        ("2019-02", "Hanoi summit"),
        ("2019-04", "Vladivostok summit"),
        ("2023-07", "Shoigu in Pyongyang"),
        ("2023-09-13", "Vostochny summit"),
        ("2024-06", "Putin in Pyongyang"),
    ] {
        assert!(!on(prefix).is_empty(), "no event on {prefix} ({what}); timeline: {dates:?}");
    }
    // The 13 September 2023 summit and the June 2024 visit: once each,
    // with every article that tells them.
    let summit: Vec<&Value> =
        on("2023-09-13").into_iter().filter(|e| e["type"] == "summit" || e["type"] == "meeting").collect();
    assert_eq!(summit.len(), 1, "{summit:?}");
    let visit: Vec<&Value> =
        on("2024-06").into_iter().filter(|e| e["type"] == "visit" || e["type"] == "summit").collect();
    assert_eq!(visit.len(), 1, "{visit:?}");
    assert!(str_list(&visit[0]["docs"]).contains(&"002_da7ccb45ff20fa50".to_string()));
    // Bounds.
    let recent = run_json(&data, &["timeline", "--from", "2023", "--json"]);
    assert!(recent["events"].as_array().unwrap().iter().all(|e| e["date"].as_str().unwrap() >= "2023"));
    let out = run(&data, &["timeline", "--from", "September"]);
    assert!(!out.status.success());
}

#[test]
fn entity_profiles_and_graph_exports() {
    let Some((_dir, data)) = dated_store() else { return };
    // By a spelling variant, with clitic and diacritics.
    let profile = run_json(&data, &["entity", "ترامب", "--json"]);
    assert!(profile["name"].as_str().unwrap().contains("ترمب") || profile["name"].as_str().unwrap().contains("ترامب"));
    assert!(profile["documents"].as_array().unwrap().len() >= 2);
    assert!(!profile["quotes"].as_array().unwrap().is_empty());
    let putin = run_json(&data, &["entity", "بوتين", "--json"]);
    let neighbours: Vec<&str> =
        putin["neighbours"].as_array().unwrap().iter().map(|n| n["name"].as_str().unwrap()).collect();
    assert!(neighbours.contains(&"كيم جونغ أون"), "{neighbours:?}");
    assert!(!putin["events"].as_array().unwrap().is_empty());

    let graph = run_json(&data, &["graph", "--format", "json"]);
    let nodes = graph["nodes"].as_array().unwrap();
    let edges = graph["edges"].as_array().unwrap();
    assert!(nodes.len() >= 10 && !edges.is_empty());
    let id_of = |name: &str| nodes.iter().find(|n| n["name"] == name).map(|n| n["id"].as_str().unwrap().to_owned());
    let (p, k) = (id_of("فلاديمير بوتين").unwrap(), id_of("كيم جونغ أون").unwrap());
    let pk = edges
        .iter()
        .find(|e| {
            (e["source"] == p.as_str() && e["target"] == k.as_str())
                || (e["source"] == k.as_str() && e["target"] == p.as_str())
        })
        .expect("Putin–Kim edge");
    assert!(str_list(&pk["kinds"]).contains(&"met".to_string()), "{pk}");

    let graphml = run(&data, &["graph", "--format", "graphml"]);
    let graphml = String::from_utf8(graphml.stdout).unwrap();
    assert!(graphml.starts_with("<?xml") && graphml.contains("<graphml") && graphml.contains("فلاديمير بوتين"));
    let dot = String::from_utf8(run(&data, &["graph", "--format", "dot"]).stdout).unwrap();
    assert!(dot.starts_with("graph marsad {") && dot.contains(" -- "));
    let out = run(&data, &["entity", "لا أحد بهذا الاسم"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no entity"));
}
