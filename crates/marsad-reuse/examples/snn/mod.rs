//! What the SaudiNewsNet examples share: reading the corpus, the crate's
//! word keys as a test oracle, and the peak-memory reading. Included with
//! `#[path = "snn/mod.rs"] mod snn;` (not an example of its own).
#![allow(dead_code)]

use std::path::PathBuf;

use marsad_text::{tokenize, TokenKind};

/// One article: `file-stem#index`, its `date_extracted`, its `content`.
pub struct Article {
    pub id: String,
    pub date: Option<String>,
    pub text: String,
}

/// The corpus folder: the first argument, or `../shared/corpus/saudinewsnet`
/// beside the repository.
pub fn corpus_dir(arg: Option<String>) -> PathBuf {
    arg.map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/saudinewsnet")))
}

/// Every article of every `*.json` file in `dir`, files in name order.
pub fn articles(dir: &std::path::Path) -> Vec<Article> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("corpus folder {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in &files {
        let items: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (i, item) in items.into_iter().enumerate() {
            out.push(Article {
                id: format!("{}#{i}", file.file_stem().unwrap().to_string_lossy()),
                date: item["date_extracted"].as_str().map(str::to_string),
                text: item["content"].as_str().unwrap_or("").to_string(),
            });
        }
    }
    out
}

/// Normalized word keys with clitics off, as the crate's `Words` keys
/// words (spelled out here so the examples can check the crate against it).
pub fn word_keys(text: &str) -> Vec<String> {
    tokenize(text)
        .into_iter()
        .filter(|t| t.kind != TokenKind::Punct)
        .map(|t| {
            let b = t.base();
            if b.is_empty() {
                t.normalized.clone()
            } else {
                b.to_string()
            }
        })
        .collect()
}

/// Peak resident memory of this process (`VmHWM`), as /proc prints it.
pub fn vm_hwm() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "?".into())
}
