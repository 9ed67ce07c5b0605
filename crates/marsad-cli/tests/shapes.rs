//! The shape of every `--json` answer of the CLI and of every JSON answer
//! of the HTTP API, on the seeds, against `tests/shapes.txt`.
//!
//! A user's scripts and the web UI read these answers by key: a refactor
//! that renames a field, turns a number into a string or drops a list
//! breaks them without failing any test that checks values. So this test
//! reduces each answer to its shape (every key path with its JSON type;
//! nulls left out, as an optional field is null on some items and not on
//! others) and compares it with the shapes the previous version gave,
//! committed as text (paths and types only, nothing of the seeds' text).
//!
//! A change of shape that is meant (an issue asks for it) is recorded by
//! running the test with `MARSAD_BLESS_SHAPES=1`, and shows in review as a
//! diff of `tests/shapes.txt`. Needs `../shared/corpus/seeds` (skips with a
//! message when it is absent).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

mod common;
use common::{dated_store, get_json, run_json, start};

/// Every key path of `value` with its type, under `path`.
fn shape(value: &Value, path: &str, out: &mut BTreeSet<String>) {
    let kind = match value {
        Value::Null => return,
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(items) => {
            for item in items {
                shape(item, &format!("{path}[]"), out);
            }
            "array"
        }
        Value::Object(map) => {
            for (key, item) in map {
                shape(item, &format!("{path}.{key}"), out);
            }
            "object"
        }
    };
    out.insert(format!("{path}: {kind}"));
}

#[test]
fn cli_and_api_answers_keep_their_shape() {
    let Some((_dir, data)) = dated_store() else { return };
    let mut lines: BTreeSet<String> = BTreeSet::new();
    let mut record = |what: &str, value: &Value| {
        let mut paths = BTreeSet::new();
        shape(value, "", &mut paths);
        lines.extend(paths.into_iter().map(|p| format!("{what} {p}")));
    };

    // The ids the detail commands take, from the lists.
    let persons = run_json(&data, &["entities", "--type", "person", "--json"]);
    let entity = persons["entities"][0]["id"].as_str().expect("a person on the seeds").to_owned();
    let stories = run_json(&data, &["stories", "--json"]);
    let story = stories["stories"][0]["id"].as_str().expect("a story on the seeds").to_owned();
    let doc = "003_a85c5ca27367db1f";

    let cli: Vec<(&str, Vec<&str>)> = vec![
        ("search", vec!["search", "بوتين", "--json"]),
        ("doc", vec!["doc", doc, "--json"]),
        ("stats", vec!["stats", "--json"]),
        ("entities", vec!["entities", "--json"]),
        ("entity", vec!["entity", &entity, "--json"]),
        ("quotes", vec!["quotes", "--json"]),
        ("timeline", vec!["timeline", "--json"]),
        ("graph", vec!["graph"]), // JSON is its default format
        ("reuse", vec!["reuse", "--json"]),
        ("duplicates", vec!["duplicates", "--json"]),
        ("stories", vec!["stories", "--json"]),
        ("story", vec!["story", &story, "--json"]),
        ("summary", vec!["summary", "--json"]),
        ("summary-story", vec!["summary", "--story", &story, "--json"]),
        ("vocabulary", vec!["vocabulary", "--json"]),
    ];
    for (name, args) in &cli {
        record(&format!("cli {name}"), &run_json(&data, args));
    }

    let server = start(&data, &["serve", "--addr", "127.0.0.1:0"]);
    let api = [
        ("search", "/api/search?q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86".to_owned()),
        ("docs", "/api/docs".to_owned()),
        ("doc", format!("/api/docs/{doc}")),
        ("stats", "/api/stats".to_owned()),
        ("entities", "/api/entities".to_owned()),
        ("entity", format!("/api/entities/{entity}")),
        ("quotes", "/api/quotes".to_owned()),
        ("timeline", "/api/timeline".to_owned()),
        ("graph", "/api/graph".to_owned()),
        ("reuse", "/api/reuse".to_owned()),
        ("duplicates", "/api/duplicates".to_owned()),
        ("stories", "/api/stories".to_owned()),
        ("story", format!("/api/stories/{story}")),
        ("summary", "/api/summary".to_owned()),
        ("summary-story", format!("/api/summary?story={story}")),
        ("vocabulary", "/api/vocabulary".to_owned()),
    ];
    for (name, path) in &api {
        record(&format!("api {name}"), &get_json(&server.addr, path));
    }

    let now: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shapes.txt");
    if std::env::var_os("MARSAD_BLESS_SHAPES").is_some() {
        std::fs::write(&file, &now).unwrap();
        eprintln!("wrote {}", file.display());
        return;
    }
    let before = std::fs::read_to_string(&file).unwrap_or_default();
    let before: BTreeSet<&str> = before.lines().collect();
    let after: BTreeSet<&str> = now.lines().collect();
    let gone: Vec<&&str> = before.difference(&after).collect();
    let new: Vec<&&str> = after.difference(&before).collect();
    assert!(
        gone.is_empty() && new.is_empty(),
        "the answers changed shape (MARSAD_BLESS_SHAPES=1 records it if meant):\n  gone: {gone:#?}\n  new: {new:#?}"
    );
}
