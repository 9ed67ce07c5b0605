//! Adds every SaudiNewsNet article (`../shared/corpus/saudinewsnet/*.json` beside the repository,
//! or the folder given as the first argument) to a `ReuseIndex` and prints
//! the time, the peak resident memory (VmHWM) and what was found.
//!
//! `cargo run -p marsad-reuse --release --example reuse_snn [DIR]`; with
//! `REVERSE=1` the articles go in in reverse order, with `SHOW_BORDERLINE=1`
//! a few near-duplicate pairs close to the threshold are printed.

use std::time::Instant;

use marsad_reuse::ReuseIndex;

#[path = "snn/mod.rs"]
mod snn;
use snn::vm_hwm;

fn main() {
    let dir = snn::corpus_dir(std::env::args().nth(1));
    let mut articles: Vec<(String, Option<String>, String)> =
        snn::articles(&dir).into_iter().map(|a| (a.id, a.date, a.text)).collect();
    if std::env::var_os("REVERSE").is_some() {
        // To see how far the caps make the answer depend on the order.
        articles.reverse();
    }
    let bytes: usize = articles.iter().map(|a| a.2.len()).sum();
    println!("{} articles, {:.1} MB of content (loaded; VmHWM {})", articles.len(), bytes as f64 / 1e6, vm_hwm());

    // The floor: what the text layer alone costs (tokens and sentences).
    let t = Instant::now();
    let mut tokens = 0usize;
    for (_, _, content) in &articles {
        tokens += marsad_text::tokenize(content).len() + marsad_text::split_sentences(content).len();
    }
    println!("tokenize + split_sentences alone: {:.2} s ({tokens} tokens and sentences)", t.elapsed().as_secs_f64());

    let start = Instant::now();
    let mut index = ReuseIndex::new();
    let (mut passages, mut dups) = (0usize, 0usize);
    let count = articles.len();
    // Consumed as we go, so VmHWM measures the index rather than two copies.
    for (id, date, content) in articles {
        let found = index.add_document(&id, date.as_deref(), &content);
        passages += found.passages.len();
        dups += found.duplicates.len();
    }
    let added = start.elapsed();
    let t = Instant::now();
    let groups = index.groups(8);
    let duplicates = index.near_duplicates();
    let grouped = t.elapsed();
    println!(
        "add_document × {}: {:.2} s ({:.0} docs/s, {:.1} MB/s)",
        count,
        added.as_secs_f64(),
        count as f64 / added.as_secs_f64(),
        bytes as f64 / 1e6 / added.as_secs_f64()
    );
    println!("groups + near_duplicates: {:.2} s", grouped.as_secs_f64());
    println!("total: {:.2} s, VmHWM {}", start.elapsed().as_secs_f64(), vm_hwm());
    println!("pairwise passages: {passages}, near-duplicate pairs: {dups}");
    println!("reuse groups (≥ 8 words): {}, near-duplicate groups: {}", groups.len(), duplicates.len());
    let occurrences: usize = groups.iter().map(|g| g.occurrences.len()).sum();
    let dup_docs: usize = duplicates.iter().map(|d| d.docs.len()).sum();
    println!("occurrences in groups: {occurrences}, documents in near-duplicate groups: {dup_docs}");
    let in_doc = groups.iter().filter(|g| g.occurrences.windows(2).any(|w| w[0].doc == w[1].doc)).count();
    println!("groups with an in-document repeat: {in_doc}");
    for g in groups.iter().take(5) {
        let text: String = g.text.chars().take(100).collect();
        println!("  {} × sim {:.2}: {text}", g.occurrences.len(), g.similarity);
    }
    for d in duplicates.iter().take(3) {
        println!("  dup {} docs, sim ≥ {:.2}: {:?}", d.docs.len(), d.similarity, &d.docs[..d.docs.len().min(4)]);
    }
    if std::env::var_os("SHOW_BORDERLINE").is_some() {
        // Near-duplicate pairs just above the threshold, to judge precision.
        let docs = index.documents();
        for d in index.duplicate_pairs().iter().filter(|d| d.coverage < 0.78).step_by(23).take(6) {
            let (a, b) = (&docs[d.a as usize], &docs[d.b as usize]);
            println!(
                "\n== J {:.2} cov {:.2} {} ({} B) / {} ({} B)",
                d.similarity,
                d.coverage,
                a.id,
                a.text.len(),
                b.id,
                b.text.len()
            );
            println!("A: {}", a.text.chars().take(300).collect::<String>().replace('\n', " "));
            println!("B: {}", b.text.chars().take(300).collect::<String>().replace('\n', " "));
        }
    }
}
