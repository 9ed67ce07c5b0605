//! Text-layer throughput: `marsad_text::analyze` (normalize → tokenize →
//! strip clitics → stem → stop words) over every SaudiNewsNet article, on one
//! thread, median of several runs.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};

/// Reads the `content` of every article in the SaudiNewsNet JSON files.
pub fn load_saudinewsnet(corpus: &Path) -> Result<Vec<String>> {
    let mut texts = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(corpus)
        .with_context(|| format!("cannot read {}", corpus.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for file in files {
        let articles: Vec<serde_json::Value> =
            serde_json::from_slice(&std::fs::read(&file)?).with_context(|| format!("{}", file.display()))?;
        texts.extend(articles.iter().filter_map(|a| a["content"].as_str().map(str::to_string)));
    }
    Ok(texts)
}

pub fn run(corpus: &Path, runs: usize) -> Result<()> {
    let texts = load_saudinewsnet(corpus)?;
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut words = 0usize;
    let mut rates = Vec::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let mut count = 0usize;
        for text in &texts {
            marsad_text::analyze::analyze(text, |term| {
                std::hint::black_box(term.text);
                count += 1;
            });
        }
        let secs = started.elapsed().as_secs_f64();
        words = count;
        rates.push(secs);
    }
    let (median_secs, _) = crate::median_p99(&mut rates);
    let mb_s = bytes as f64 / 1e6 / median_secs;
    let terms_s = words as f64 / median_secs;
    println!("| articles | MB | runs | median s | MB/s | terms/s |");
    println!("|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {:.1} | {} | {:.3} | {:.1} | {:.0} |",
        texts.len(),
        bytes as f64 / 1e6,
        runs,
        median_secs,
        mb_s,
        terms_s
    );
    println!(
        "{}",
        serde_json::json!({"bench": "text", "articles": texts.len(), "bytes": bytes, "median_secs": median_secs, "mb_per_s": mb_s, "terms_per_s": terms_s})
    );
    Ok(())
}
