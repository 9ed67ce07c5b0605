//! MinHash signing speed, to compare with datasketch on the same shingles
//! (`bench/reuse/run.sh` drives both sides).
//!
//! * `sign_speed dump OUT [N] [DIR]` writes the word-bigram shingles of the
//!   first `N` (2,000) SaudiNewsNet articles in file order as text: the
//!   normalized word keys the crate uses (`marsad_text::tokenize`, clitics
//!   off, punctuation dropped) joined by a space, one shingle per line
//!   (repeats kept, text order), an empty line after each document.
//!   Articles with fewer than two words are skipped.
//! * `sign_speed bench FILE [HASHES] [RUNS] [DIR]` reads that file back and
//!   times, median of `RUNS` (5):
//!   - hashing every shingle's bytes (`shingle_bytes_hash`) and signing each
//!     document with `HASHES` (128) functions (`minhash_signature`): the
//!     same work as datasketch's `update_batch` (hash + permute + min);
//!   - signing alone, on the already hashed shingles;
//!   - the crate's own path from raw text for the same articles
//!     (`document_shingles` + `minhash_signature`), which includes
//!     tokenizing;
//!   - a `ReuseIndex` with sentence signing turned off
//!     (`unit_min_words = u32::MAX`), i.e. only the document-level work:
//!     tokenizing, signing, LSH look-up and insert, and alignment of the
//!     near-duplicate candidates. Not the same work as datasketch's LSH
//!     (which has no tokenizing and no verification), so it is printed
//!     for context only.
//!
//! `cargo run -p marsad-reuse --release --example sign_speed -- dump /tmp/shingles.txt`

use std::io::Write;
use std::time::Instant;

use marsad_reuse::{document_shingles, minhash_signature, shingle_bytes_hash, ReuseConfig, ReuseIndex};

#[path = "snn/mod.rs"]
mod snn;
use snn::word_keys;

/// The first `n` articles with at least two words.
fn load(dir: &std::path::Path, n: usize) -> Vec<(String, Option<String>, String)> {
    snn::articles(dir)
        .into_iter()
        .filter(|a| word_keys(&a.text).len() >= 2)
        .take(n)
        .map(|a| (a.id, a.date, a.text))
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("dump") => {
            let out = args.get(2).expect("output file");
            let n: usize = args.get(3).map_or(2000, |x| x.parse().unwrap());
            let dir = snn::corpus_dir(args.get(4).cloned());
            let docs = load(&dir, n);
            let mut w = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
            let mut shingles = 0usize;
            for (_, _, text) in &docs {
                let keys = word_keys(text);
                for pair in keys.windows(2) {
                    writeln!(w, "{} {}", pair[0], pair[1]).unwrap();
                    shingles += 1;
                }
                writeln!(w).unwrap();
            }
            w.flush().unwrap();
            println!("dumped {} documents, {shingles} shingles to {out}", docs.len());
        }
        Some("bench") => {
            let file = args.get(2).expect("shingle file");
            let hashes: usize = args.get(3).map_or(128, |x| x.parse().unwrap());
            let runs: usize = args.get(4).map_or(5, |x| x.parse().unwrap());
            let dir = snn::corpus_dir(args.get(5).cloned());
            let text = std::fs::read_to_string(file).unwrap();
            let mut docs: Vec<Vec<&[u8]>> = vec![Vec::new()];
            for line in text.split('\n') {
                if line.is_empty() {
                    if !docs.last().unwrap().is_empty() {
                        docs.push(Vec::new());
                    }
                } else {
                    docs.last_mut().unwrap().push(line.as_bytes());
                }
            }
            if docs.last().unwrap().is_empty() {
                docs.pop();
            }
            let n_docs = docs.len();
            let n_sh: usize = docs.iter().map(Vec::len).sum();
            println!("{n_docs} documents, {n_sh} shingles, {hashes} hashes, median of {runs} runs");
            let report = |what: &str, secs: f64| {
                println!(
                    "| marsad: {what} | {:.4} s | {:.0} shingles/s | {:.0} docs/s |",
                    secs,
                    n_sh as f64 / secs,
                    n_docs as f64 / secs
                );
            };
            let mut check = 0u64;
            // Hash bytes + sign.
            let mut times = Vec::new();
            for _ in 0..runs {
                let t = Instant::now();
                let mut hashed = Vec::new();
                for d in &docs {
                    hashed.clear();
                    hashed.extend(d.iter().map(|s| shingle_bytes_hash(s)));
                    let sig = minhash_signature(&hashed, hashes);
                    check = check.wrapping_add(u64::from(sig[0]));
                }
                times.push(t.elapsed().as_secs_f64());
            }
            report("hash shingle bytes + sign", median(times));
            // Sign only.
            let prehashed: Vec<Vec<u64>> =
                docs.iter().map(|d| d.iter().map(|s| shingle_bytes_hash(s)).collect()).collect();
            let mut times = Vec::new();
            for _ in 0..runs {
                let t = Instant::now();
                for h in &prehashed {
                    let sig = minhash_signature(h, hashes);
                    check = check.wrapping_add(u64::from(sig[0]));
                }
                times.push(t.elapsed().as_secs_f64());
            }
            report("sign only (pre-hashed)", median(times));
            // From raw text, the crate's path, and the doc-level index.
            let articles = load(&dir, n_docs);
            let mut times = Vec::new();
            let mut own = 0usize;
            for _ in 0..runs {
                let t = Instant::now();
                own = 0;
                for (_, _, text) in &articles {
                    let sh = document_shingles(text);
                    own += sh.len();
                    let sig = minhash_signature(&sh, hashes);
                    check = check.wrapping_add(u64::from(sig[0]));
                }
                times.push(t.elapsed().as_secs_f64());
            }
            let secs = median(times);
            println!(
                "| marsad: document_shingles (tokenize) + sign, from raw text | {secs:.4} s | {:.0} shingles/s | {:.0} docs/s |  ({own} shingles)",
                own as f64 / secs,
                n_docs as f64 / secs
            );
            let mut times = Vec::new();
            let mut dups = 0usize;
            for _ in 0..runs {
                let t = Instant::now();
                let mut index = ReuseIndex::with_config(ReuseConfig { unit_min_words: u32::MAX, ..Default::default() });
                for (id, date, text) in &articles {
                    dups += index.add_document(id, date.as_deref(), text).duplicates.len();
                }
                times.push(t.elapsed().as_secs_f64());
            }
            let secs = median(times);
            println!(
                "| marsad: ReuseIndex doc-level only (tokenize + sign + LSH + verify) | {secs:.4} s | {:.0} shingles/s | {:.0} docs/s |  ({} near-dup pairs)",
                own as f64 / secs,
                n_docs as f64 / secs,
                dups / runs
            );
            eprintln!("(checksum {check})");
        }
        _ => {
            eprintln!("usage: sign_speed dump OUT [N] [DIR] | sign_speed bench FILE [HASHES] [RUNS] [DIR]");
            std::process::exit(2);
        }
    }
}
