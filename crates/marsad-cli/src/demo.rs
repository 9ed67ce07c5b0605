//! `marsad demo`: the first thing a newcomer runs.
//!
//! The demo corpus (under `demo/corpus/` in the repository, written by the
//! Marsad team) is compiled into the binary, so the demo works from any
//! directory with nothing but the binary. It is written out to
//! `<data>/demo-corpus/` so the user can open the files Marsad read, then
//! ingested through the same library pipeline as `marsad ingest`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use marsad_engine::{Engine, SearchOptions};
use marsad_engine::{IngestInput, IngestOptions, IngestSummary};
use serde::Serialize;

use crate::render;

/// The demo files: (file name, contents).
const DEMO_FILES: &[(&str, &str)] = &[
    ("2026-03-02_al-sabah.txt", include_str!("../../../demo/corpus/2026-03-02_al-sabah.txt")),
    ("2026-03-02_wakalat-al-anbaa.html", include_str!("../../../demo/corpus/2026-03-02_wakalat-al-anbaa.html")),
    ("markets.jsonl", include_str!("../../../demo/corpus/markets.jsonl")),
    ("water-news.rss", include_str!("../../../demo/corpus/water-news.rss")),
];

/// The example searches the demo runs: plain words with a clitic, a phrase
/// with a filter.
const DEMO_QUERIES: &[&str] = &["والجفاف", "\"صندوق إقليمي\" after:2026-03-01"];

#[derive(Serialize)]
struct DemoReport {
    data: String,
    ingest: IngestSummary,
    stats: marsad_engine::Stats,
    searches: Vec<(String, marsad_engine::SearchResults)>,
    entities: marsad_engine::EntityList,
    quotes: marsad_engine::QuoteList,
    timeline: Vec<marsad_engine::marsad_extract::corpus::TimelineEntry>,
    reuse: marsad_engine::ReuseList,
    stories: marsad_engine::StoryList,
}

pub fn run(data: &Path, json: bool) -> Result<ExitCode> {
    let corpus = data.join("demo-corpus");
    std::fs::create_dir_all(&corpus).with_context(|| format!("cannot create {}", corpus.display()))?;
    for (name, contents) in DEMO_FILES {
        let path = corpus.join(name);
        std::fs::write(&path, contents).with_context(|| format!("cannot write {}", path.display()))?;
    }

    let mut store = Engine::open(data).with_context(|| format!("cannot open the data directory {}", data.display()))?;
    let summary =
        store.ingest(IngestInput::Paths(std::slice::from_ref(&corpus)), IngestOptions::default(), &mut |_| {})?;
    let stats = store.stats()?;
    let mut searches = Vec::new();
    for query in DEMO_QUERIES {
        let results = store.search(query, SearchOptions { limit: 5, offset: 0 })?;
        searches.push((query.to_string(), results));
    }

    let entities = store.entities(&marsad_engine::EntityFilter { limit: Some(8), ..Default::default() })?;
    let quotes = store.quotes(&marsad_engine::QuoteFilter { limit: Some(3), ..Default::default() })?;
    let timeline = store.timeline(&Default::default())?;
    let reuse = store.reuse_groups(&marsad_engine::ReuseFilter {
        across_documents: true,
        limit: Some(3),
        ..Default::default()
    })?;
    let stories = store.stories(Some(5), 0)?;
    if json {
        render::print_json(&DemoReport {
            data: data.display().to_string(),
            ingest: summary,
            stats,
            searches,
            entities,
            quotes,
            timeline,
            reuse,
            stories,
        })?;
        return Ok(ExitCode::SUCCESS);
    }

    println!("Marsad demo — ingested the demo corpus from {}", corpus.display());
    println!();
    render::ingest_summary(&summary);
    println!();
    render::stats(data, &stats);
    for (query, results) in &searches {
        println!();
        println!("$ marsad --data {} search '{query}'", data.display());
        render::search_results(query, results);
    }
    let d = data.display();
    println!();
    println!("$ marsad --data {d} entities -n 8");
    render::entities(&entities, 0);
    println!();
    println!("$ marsad --data {d} quotes -n 3");
    render::quotes(&quotes);
    println!();
    println!("$ marsad --data {d} timeline");
    render::timeline(&timeline);
    println!();
    println!("$ marsad --data {d} reuse --across -n 3");
    render::reuse(&reuse, 0);
    println!();
    println!("$ marsad --data {d} stories -n 5");
    render::stories(&stories, 0);
    println!();
    println!("Next: see what cleaning removed from an article:");
    println!("  marsad --data {d} doc 2026-03-02_al-sabah");
    println!("summarize a story:  marsad --data {d} summary --story ID --sentences 3");
    println!("and ingest your own files:  marsad ingest PATH...   (then: marsad search QUERY, or marsad serve)");
    Ok(if summary.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
