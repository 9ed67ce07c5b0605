//! Date extraction on the five seed articles, for the comparison with
//! dateparser (`bench/peers.py dates` scores both sides against
//! `bench/dates-gold.tsv`). The seeds are read at run time, never copied.
//!
//! Every document gets its publication date from the gold file's `@anchor`
//! rows (the same date dateparser gets as `RELATIVE_BASE`); the timed work is
//! what extraction needs from raw text: tokenize, split sentences, extract.
//! Prints one JSON object: per document the expressions found (character
//! offsets, surface, ISO value) and the median time over `runs`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use marsad_engine::marsad_extract::date;

pub fn anchors(gold: &Path) -> Result<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(gold).with_context(|| format!("cannot read {}", gold.display()))?;
    Ok(text
        .lines()
        .filter_map(|l| {
            let mut f = l.split('\t');
            let (doc, surface, value) = (f.next()?, f.next()?, f.next()?);
            (surface == "@anchor").then(|| (doc.to_string(), value.to_string()))
        })
        .collect())
}

pub fn run(seeds: &Path, gold: &Path, runs: usize) -> Result<()> {
    let anchors = anchors(gold)?;
    let mut docs = Vec::new();
    for (id, anchor) in &anchors {
        let path = std::fs::read_dir(seeds)
            .with_context(|| format!("cannot read {}", seeds.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(&format!("{id}_"))))
            .with_context(|| format!("no seed file for {id}"))?;
        docs.push((id.clone(), anchor.clone(), std::fs::read_to_string(path)?));
    }
    let mut secs = Vec::new();
    let mut found = Vec::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        found = docs
            .iter()
            .map(|(_, anchor, text)| {
                let tokens = marsad_text::tokenize(text);
                let sentences = marsad_text::split_sentences(text);
                date::extract(text, &tokens, &sentences, Some(anchor)).1
            })
            .collect();
        secs.push(started.elapsed().as_secs_f64());
    }
    let (median, _) = crate::median_p99(&mut secs);
    let out: Vec<_> = docs
        .iter()
        .zip(&found)
        .map(|((id, _, text), mentions)| {
            let chars = |byte: usize| text[..byte].chars().count();
            serde_json::json!({
                "id": id,
                "found": mentions.iter().map(|m| serde_json::json!({
                    "start": chars(m.span.start), "end": chars(m.span.end), "text": m.text, "value": m.value,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    println!(
        "{}",
        serde_json::json!({"bench": "dates", "engine": "marsad", "runs": runs, "median_secs": median, "docs": out})
    );
    Ok(())
}
