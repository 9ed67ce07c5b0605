//! Throughput of the search analyzer on real news text.
//!
//! Loads the `content` of every SaudiNewsNet article under
//! `../shared/corpus/saudinewsnet` (or the directory given as the first
//! argument), runs [`marsad_text::Analyzer`] over all of it five times on one
//! thread, and prints the median rate in MB/s of input and in words/s.
//!
//! ```text
//! cargo run --release -p marsad-text --example throughput [DIR]
//! ```

use std::path::PathBuf;
use std::time::Instant;

use marsad_text::Analyzer;

const RUNS: usize = 5;

fn main() {
    let dir = std::env::args_os().nth(1).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/saudinewsnet"))
    });
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    files.sort();

    let mut texts: Vec<String> = Vec::new();
    for path in &files {
        let raw = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let articles: Vec<serde_json::Value> =
            serde_json::from_slice(&raw).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        texts.extend(
            articles
                .into_iter()
                .filter_map(|a| a.get("content").and_then(|c| c.as_str()).map(str::to_owned)),
        );
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{} articles from {} files, {:.1} MB of content",
        texts.len(),
        files.len(),
        bytes as f64 / 1e6
    );

    let mut analyzer = Analyzer::new();
    let mut rates = Vec::new();
    let mut words = 0u64;
    let mut terms = 0u64;
    let mut checksum = 0usize;
    for run in 0..RUNS {
        words = 0;
        terms = 0;
        let start = Instant::now();
        for text in &texts {
            let mut last = None;
            analyzer.analyze(text, |t| {
                terms += 1;
                checksum = checksum.wrapping_add(t.text.len());
                last = Some(t.position);
            });
            words += last.map_or(0, |p| p as u64 + 1);
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "run {}: {:.3} s, {:.1} MB/s, {:.2} M words/s",
            run + 1,
            secs,
            bytes as f64 / 1e6 / secs,
            words as f64 / 1e6 / secs
        );
        rates.push(secs);
    }
    rates.sort_by(f64::total_cmp);
    let median = rates[RUNS / 2];
    println!(
        "median of {RUNS}: {:.1} MB/s, {:.2} M words/s ({} words, {} terms, checksum {})",
        bytes as f64 / 1e6 / median,
        words as f64 / 1e6 / median,
        words,
        terms,
        checksum
    );
}
