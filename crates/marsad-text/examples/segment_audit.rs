//! Audits clitic segmentation on a corpus, to curate the word lists of
//! `data/lexicon/`.
//!
//! Counts every Arabic word of the SaudiNewsNet `content` fields (or of the
//! directory given as the first argument), then prints two lists:
//!
//! * **doubtful splits**: frequent words split off a bare clitic whose base
//!   is rarely seen on its own, with or without the article (candidates for
//!   `clitic-exceptions-ar.txt`);
//! * **missed splits**: frequent words left whole that are a clitic letter
//!   plus a frequent word of three letters (candidates for
//!   `known-bases-ar.txt`, after checking they are not words of their own).
//!
//! ```text
//! cargo run --release -p marsad-text --example segment_audit [DIR] [N]
//! ```

use std::collections::HashMap;
use std::path::PathBuf;

use marsad_text::{tokenize, TokenKind};

fn main() {
    let mut args = std::env::args_os().skip(1);
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/saudinewsnet")));
    let top: usize = args.next().and_then(|a| a.to_str()?.parse().ok()).unwrap_or(60);
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut splits: HashMap<String, (String, String)> = HashMap::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    for path in paths {
        let articles: Vec<serde_json::Value> =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        for a in articles {
            let Some(text) = a.get("content").and_then(|c| c.as_str()) else { continue };
            for t in tokenize(text) {
                if t.kind != TokenKind::Word {
                    continue;
                }
                if t.segmentation.is_split() && !splits.contains_key(&t.normalized) {
                    let prefix = t.segmentation.prefix(&t.normalized).to_owned();
                    splits.insert(t.normalized.clone(), (prefix, t.base().to_owned()));
                }
                *counts.entry(t.normalized).or_default() += 1;
            }
        }
    }
    let seen = |w: &str| counts.get(w).copied().unwrap_or(0) + counts.get(&format!("ال{w}")).copied().unwrap_or(0);

    let mut doubtful: Vec<(u64, &str, &str, &str, u64)> = splits
        .iter()
        .filter(|(_, (prefix, _))| !prefix.ends_with("ال") && !prefix.ends_with("لل"))
        .map(|(w, (p, b))| (counts[w], w.as_str(), p.as_str(), b.as_str(), seen(b)))
        .filter(|&(n, _, _, _, alone)| alone * 10 < n)
        .collect();
    doubtful.sort_by_key(|x| std::cmp::Reverse(x.0));
    println!("# doubtful splits: count word = prefix + base (base seen alone)");
    for (n, w, p, b, alone) in doubtful.iter().take(top) {
        println!("{n}\t{w}\t= {p} + {b}\t({alone})");
    }

    let mut missed: Vec<(u64, &str, u64)> = counts
        .iter()
        .filter(|(w, _)| !splits.contains_key(*w))
        .filter_map(|(w, &n)| {
            let mut chars = w.chars();
            let first = chars.next()?;
            let rest = chars.as_str();
            (matches!(first, 'و' | 'ف' | 'ب' | 'ل' | 'ك') && rest.chars().count() == 3)
                .then(|| (n, w.as_str(), seen(rest)))
        })
        .filter(|&(n, _, alone)| alone > n)
        .collect();
    missed.sort_by_key(|x| std::cmp::Reverse(x.0));
    println!("\n# missed splits: count word (rest seen alone)");
    for (n, w, alone) in missed.iter().take(top) {
        println!("{n}\t{w}\t({alone})");
    }

    let mut article: Vec<(u64, &str, &str, u64)> = splits
        .iter()
        .filter(|(_, (prefix, _))| prefix == "ال")
        .map(|(w, (_, b))| (counts[w], w.as_str(), b.as_str(), counts.get(b.as_str()).copied().unwrap_or(0)))
        .filter(|&(n, _, _, alone)| alone == 0 && n >= 20)
        .collect();
    article.sort_by_key(|x| std::cmp::Reverse(x.0));
    println!("\n# article splits whose base never occurs alone");
    for (n, w, b, _) in article.iter().take(top) {
        println!("{n}\t{w}\t= ال + {b}");
    }
}
