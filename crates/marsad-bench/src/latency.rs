//! Search latency over an existing store (e.g. all of SaudiNewsNet): queries
//! are two or three words drawn deterministically from the stored documents'
//! titles, so they are realistic and always have matches. Each query runs
//! through the full `Engine::search` path, snippets included.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use marsad_engine::{Engine, ListOptions, SearchOptions};

pub fn run(data: &Path, queries: usize, queries_out: Option<&Path>) -> Result<()> {
    let store = Engine::open(data)?;
    let titles: Vec<String> = store
        .list_documents(ListOptions { offset: 0, limit: 5_000 })?
        .documents
        .into_iter()
        .map(|d| d.title.unwrap_or(d.display_title))
        .collect();
    anyhow::ensure!(!titles.is_empty(), "the store at {} has no titled documents", data.display());
    let mut samples = Vec::with_capacity(queries);
    let mut total_hits = 0usize;
    let mut asked: Vec<String> = Vec::with_capacity(queries);
    // Warm up the page cache and the reader.
    for title in titles.iter().take(50) {
        let _ = store.search(title, SearchOptions { limit: 10, offset: 0 });
    }
    for i in 0..queries {
        let title = &titles[(i * 7919) % titles.len()];
        let words: Vec<&str> = title.split_whitespace().filter(|w| w.chars().count() > 3).collect();
        if words.is_empty() {
            continue;
        }
        let take = 2 + i % 2;
        let start = (i * 31) % words.len();
        let query: Vec<&str> = words.iter().cycle().skip(start).take(take.min(words.len())).copied().collect();
        let query = query.join(" ").replace(['"', ':', '-'], " ");
        let started = Instant::now();
        let results = store.search(&query, SearchOptions { limit: 10, offset: 0 })?;
        samples.push(started.elapsed().as_secs_f64() * 1e3);
        total_hits += results.hits.len();
        asked.push(query);
    }
    if let Some(out) = queries_out {
        std::fs::write(out, asked.join("\n") + "\n")?;
    }
    let n = samples.len();
    let (median, p99) = crate::median_p99(&mut samples);
    let stats = store.stats()?;
    println!("| documents | queries | median ms | p99 ms | mean hits |");
    println!("|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {} | {:.2} | {:.2} | {:.1} |",
        stats.documents,
        n,
        median,
        p99,
        total_hits as f64 / n.max(1) as f64
    );
    println!(
        "{}",
        serde_json::json!({"bench": "latency", "documents": stats.documents, "queries": n, "median_ms": median, "p99_ms": p99})
    );
    Ok(())
}
