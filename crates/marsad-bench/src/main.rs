//! `marsad-bench`: the measurements behind BENCHMARKS.md.
//!
//! Each subcommand measures one claim and prints a Markdown table row set plus
//! the raw figures as JSON on the last line, so `bench/run` can both show and
//! record them. Timed work is repeated and the median reported; nothing here
//! runs in the test suite except the smoke test at the bottom, which keeps the
//! harness from rotting.

mod arcd;
mod extraction;
mod latency;
mod throughput;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "marsad-bench")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Search quality on ARCD: MRR@10, Recall@1, Recall@10 of Marsad's analyzer vs tantivy's stock Snowball-Arabic analyzer.
    Arcd {
        #[arg(long, default_value = "../shared/data/arcd/train.json")]
        file: PathBuf,
    },
    /// Text layer throughput (normalize + tokenize + stem) on one core, over SaudiNewsNet content.
    Text {
        #[arg(long, default_value = "../shared/corpus/saudinewsnet")]
        corpus: PathBuf,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Extraction speed on one core: cleaning, the NER tagger, and the whole per-document analysis, over SaudiNewsNet.
    Analysis {
        #[arg(long, default_value = "../shared/corpus/saudinewsnet")]
        corpus: PathBuf,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Use at most this many articles.
        #[arg(long, default_value_t = usize::MAX)]
        limit: usize,
    },
    /// Latency of the corpus-view queries (entities, quotes, timeline, entity profile) over an existing store.
    Views {
        #[arg(long)]
        data: PathBuf,
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Search latency over an existing store: median and p99 over N queries built from its documents' titles.
    Latency {
        #[arg(long)]
        data: PathBuf,
        #[arg(long, default_value_t = 1000)]
        queries: usize,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Arcd { file } => arcd::run(&file),
        Command::Text { corpus, runs } => throughput::run(&corpus, runs),
        Command::Latency { data, queries } => latency::run(&data, queries),
        Command::Analysis { corpus, runs, limit } => extraction::analysis(&corpus, runs, limit),
        Command::Views { data, runs } => extraction::views(&data, runs),
    }
}

/// The median and the 99th percentile of a sample (sorted in place).
pub fn median_p99(samples: &mut [f64]) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    if samples.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99))
}
