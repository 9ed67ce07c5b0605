//! Extraction speed: how fast one core turns SaudiNewsNet articles into
//! analyses, stage by stage, and how fast the corpus views answer.
//!
//! `analysis` reads every article through the real ingest reader, then on
//! one thread times, each as the median of several runs: cleaning alone, the
//! NER tagger alone (tokens/s, tokens from `marsad_text::tokenize`), and the
//! whole per-document analysis (cleaning + entities + quotes + dates +
//! events), in MB/s of article text. `views` times the corpus-view queries
//! of an existing store (`entities`, `quotes`, `timeline`, one entity
//! profile) as the CLI runs them.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use marsad_engine::marsad_extract::{self, ner, DocumentInput};
use marsad_engine::{Engine, EntityFilter, EntityLookup, QuoteFilter, TimelineFilter};
use marsad_ingest::{CleanDocument, SourceDocument};

fn load_documents(corpus: &Path, limit: usize) -> Result<Vec<SourceDocument>> {
    let mut files: Vec<_> = std::fs::read_dir(corpus)
        .with_context(|| format!("cannot read {}", corpus.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut docs = Vec::new();
    for file in files {
        marsad_ingest::read_file(&file, &mut |item| {
            if let Ok(doc) = item {
                docs.push(doc);
            }
        });
        if docs.len() >= limit {
            docs.truncate(limit);
            break;
        }
    }
    Ok(docs)
}

fn median(mut v: Vec<f64>) -> f64 {
    crate::median_p99(&mut v).0
}

pub fn analysis(corpus: &Path, runs: usize, limit: usize) -> Result<()> {
    let docs = load_documents(corpus, limit)?;
    let bytes: usize = docs.iter().map(|d| d.body.len()).sum();
    let runs = runs.max(1);

    let mut clean_secs = Vec::new();
    let mut cleaned: Vec<CleanDocument> = Vec::new();
    for _ in 0..runs {
        let input = docs.clone();
        let started = Instant::now();
        cleaned = input.into_iter().map(marsad_ingest::clean).collect();
        clean_secs.push(started.elapsed().as_secs_f64());
    }

    let tokens: Vec<Vec<marsad_text::Token>> = cleaned.iter().map(|d| marsad_text::tokenize(&d.text)).collect();
    let token_count: usize = tokens.iter().map(Vec::len).sum();
    let tagger = ner::Tagger::default_model();
    let mut ner_secs = Vec::new();
    let mut spans = 0;
    for _ in 0..runs {
        let started = Instant::now();
        spans = 0;
        for (d, t) in cleaned.iter().zip(&tokens) {
            spans += std::hint::black_box(tagger.tag(&d.text, t)).len();
        }
        ner_secs.push(started.elapsed().as_secs_f64());
    }

    let mut analysis_secs = Vec::new();
    let mut totals = (0usize, 0usize, 0usize, 0usize);
    for _ in 0..runs {
        let input = docs.clone();
        let started = Instant::now();
        totals = (0, 0, 0, 0);
        for doc in input {
            let clean = marsad_ingest::clean(doc);
            let a = marsad_extract::analyze_document(&DocumentInput {
                text: &clean.text,
                title: clean.source.title.as_deref(),
                date: clean.source.date.as_deref(),
            });
            totals.0 += a.mentions.len();
            totals.1 += a.quotes.len();
            totals.2 += a.dates.len();
            totals.3 += a.events.len();
            std::hint::black_box(a);
        }
        analysis_secs.push(started.elapsed().as_secs_f64());
    }
    let mb = bytes as f64 / 1e6;
    let (c, n, a) = (median(clean_secs), median(ner_secs), median(analysis_secs));
    println!("| stage (one thread) | articles | MB | median s | MB/s | tokens/s |");
    println!("|---|---:|---:|---:|---:|---:|");
    println!("| cleaning | {} | {mb:.1} | {c:.2} | {:.1} | |", docs.len(), mb / c);
    println!(
        "| NER tagger ({token_count} tokens, {spans} entities) | {} | {mb:.1} | {n:.2} | {:.1} | {:.0} |",
        docs.len(),
        mb / n,
        token_count as f64 / n
    );
    println!(
        "| whole analysis: cleaning + entities + quotes + dates + events | {} | {mb:.1} | {a:.2} | {:.1} | {:.0} |",
        docs.len(),
        mb / a,
        token_count as f64 / a
    );
    println!("found: {} mentions, {} quotes, {} dates, {} events", totals.0, totals.1, totals.2, totals.3);
    println!(
        "{}",
        serde_json::json!({
            "articles": docs.len(), "mb": mb, "runs": runs,
            "clean_mb_s": mb / c, "ner_tokens_s": token_count as f64 / n,
            "analysis_mb_s": mb / a, "mentions": totals.0, "quotes": totals.1,
            "dates": totals.2, "events": totals.3
        })
    );
    Ok(())
}

pub fn views(data: &Path, runs: usize) -> Result<()> {
    let mut store = Engine::open(data).with_context(|| format!("open {}", data.display()))?;
    store.ensure_views()?;
    let runs = runs.max(1);
    let mut rows = Vec::new();
    let mut time = |name: &str, f: &mut dyn FnMut() -> Result<usize>| -> Result<()> {
        let mut secs = Vec::new();
        let mut n = 0;
        for _ in 0..runs {
            let started = Instant::now();
            n = f()?;
            secs.push(started.elapsed().as_secs_f64());
        }
        let (m, p) = crate::median_p99(&mut secs);
        rows.push((name.to_owned(), n, m * 1e3, p * 1e3));
        Ok(())
    };
    time("entities (top 50, as `marsad entities`)", &mut || {
        Ok(store.entities(&EntityFilter { limit: Some(50), ..Default::default() })?.entities.len())
    })?;
    time("entities --type person (top 50)", &mut || {
        Ok(store
            .entities(&EntityFilter {
                entity_type: Some(marsad_extract::EntityType::Person),
                limit: Some(50),
                ..Default::default()
            })?
            .entities
            .len())
    })?;
    time("quotes (first 100)", &mut || {
        Ok(store.quotes(&QuoteFilter { limit: Some(100), ..Default::default() })?.quotes.len())
    })?;
    time("quotes (all)", &mut || Ok(store.quotes(&QuoteFilter::default())?.quotes.len()))?;
    time("timeline (all)", &mut || Ok(store.timeline(&TimelineFilter::default())?.len()))?;
    let top = store.entities(&EntityFilter { limit: Some(1), ..Default::default() })?.entities.into_iter().next();
    if let Some(top) = top {
        let name = top.name.clone();
        time(&format!("entity profile ({name})"), &mut || {
            Ok(match store.entity(&top.id)? {
                EntityLookup::Found(p) => p.documents.len(),
                _ => 0,
            })
        })?;
    }
    println!("| query | results | median ms | p99 ms |");
    println!("|---|---:|---:|---:|");
    for (name, n, m, p) in &rows {
        println!("| {name} | {n} | {m:.1} | {p:.1} |");
    }
    Ok(())
}
