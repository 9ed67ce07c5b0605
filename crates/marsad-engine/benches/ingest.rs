//! Ingest + index + a few searches over a real corpus, timed.
//!
//! `cargo bench -p marsad-engine --bench ingest [-- PATH...]`; by default the
//! SaudiNewsNet dump in the shared corpus (26,368 articles). The target is
//! under 20 s for that corpus on a 2-core machine.

use std::path::PathBuf;
use std::time::Instant;

use marsad_engine::{Engine, IngestInput, IngestOptions, SearchOptions};

fn main() {
    let args: Vec<PathBuf> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).map(PathBuf::from).collect();
    let paths = if args.is_empty() {
        vec![PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/saudinewsnet"))]
    } else {
        args
    };
    if !paths.iter().all(|p| p.exists()) {
        eprintln!("corpus not found: {paths:?}; nothing to measure");
        return;
    }
    if std::env::var_os("MARSAD_PHASES").is_some() {
        phases(&paths);
    }
    let batch_size = std::env::var("MARSAD_BATCH").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let mut store = Engine::open(dir.path()).expect("open");
    let summary = store.ingest(IngestInput::Paths(&paths), IngestOptions { batch_size }, &mut |_| {}).expect("ingest");
    let ingest = started.elapsed();
    println!(
        "ingest: {} files, {} documents ({} added, {} duplicates, {} failures) in {:.2?}",
        summary.files,
        summary.documents_read,
        summary.added,
        summary.duplicates.len(),
        summary.failures.len(),
        ingest
    );
    drop(store);
    let started = Instant::now();
    let store = Engine::open(dir.path()).expect("reopen");
    println!("reopen: {:.2?}", started.elapsed());
    let stats = store.stats().expect("stats");
    println!(
        "store: {} documents, text {:.1} MB, index {:.1} MB, total {:.1} MB",
        stats.documents,
        stats.text_bytes as f64 / 1e6,
        stats.index_bytes as f64 / 1e6,
        stats.store_bytes as f64 / 1e6
    );
    for query in [
        "السعودية",
        "ولي العهد",
        "\"مجلس الوزراء\"",
        "النفط -ايران source:aawsat",
        "after:2015-08-01 before:2015-08-05",
    ] {
        let started = Instant::now();
        let results = store.search(query, SearchOptions::default()).expect("search");
        println!("search {query:?}: {} hits in {:.2?}", results.total, started.elapsed());
        if let Some(hit) = results.hits.first() {
            println!(
                "  1. {} [{}] {:?} {:.2}: {}\n     {}",
                hit.doc,
                hit.source.as_deref().unwrap_or("-"),
                hit.date,
                hit.score,
                hit.title,
                hit.snippet
            );
        }
    }
}

/// Times the stages separately: read, read + clean, read + clean + analyze.
fn phases(paths: &[PathBuf]) {
    let found = marsad_ingest::discover(paths);
    let started = Instant::now();
    let mut docs = Vec::new();
    for path in &found.files {
        marsad_ingest::read_file(path, &mut |r| {
            if let Ok(d) = r {
                docs.push(d)
            }
        });
    }
    println!("read: {} documents in {:.2?}", docs.len(), started.elapsed());
    let started = Instant::now();
    let cleaned: Vec<_> = docs.into_iter().map(marsad_ingest::clean).collect();
    println!("clean: {:.2?}", started.elapsed());
    let started = Instant::now();
    let mut terms = 0usize;
    for d in &cleaned {
        marsad_text::analyze::analyze(&d.text, |_| terms += 1);
    }
    println!("analyze: {terms} terms in {:.2?}", started.elapsed());
}
