//! Measures the shipped tagger's speed on real news text, on one core.
//!
//! ```text
//! cargo run -p marsad-extract --release --example ner_speed -- [DIR] [MAX_FILES]
//! ```
//!
//! DIR defaults to `../shared/corpus/saudinewsnet` (JSON arrays of articles
//! with a `content` field). Tokenizing is timed apart from tagging: the
//! figure that matters for the tagger is tagging time over given tokens.

use std::time::Instant;

use marsad_extract::ner::Tagger;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/saudinewsnet").to_owned());
    let max_files: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let mut paths: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(d) => d.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            eprintln!("{dir}: {e}");
            return;
        }
    };
    paths.sort();
    let mut texts = Vec::new();
    for p in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "json")).take(max_files) {
        let Ok(raw) = std::fs::read_to_string(p) else { continue };
        let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(&raw) else { continue };
        for item in items {
            if let Some(c) = item.get("content").and_then(|c| c.as_str()) {
                texts.push(c.to_owned());
            }
        }
    }
    let tagger = Tagger::default_model();
    let started = Instant::now();
    let tokenized: Vec<_> = texts.iter().map(|t| marsad_text::tokenize(t)).collect();
    let tokenize_seconds = started.elapsed().as_secs_f64();
    let tokens: usize = tokenized.iter().map(Vec::len).sum();
    // Warm up (loads the model).
    let _ = tagger.tag("قال الرئيس", &marsad_text::tokenize("قال الرئيس"));
    let started = Instant::now();
    let mut entities = 0;
    for (text, toks) in texts.iter().zip(&tokenized) {
        entities += tagger.tag(text, toks).len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} articles, {} tokens, {} entities; tagging {:.2}s = {:.0} tokens/s; tokenizing {:.2}s = {:.0} tokens/s",
        texts.len(),
        tokens,
        entities,
        seconds,
        tokens as f64 / seconds,
        tokenize_seconds,
        tokens as f64 / tokenize_seconds
    );
}
