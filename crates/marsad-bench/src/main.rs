//! `marsad-bench`: the measurements behind BENCHMARKS.md.
//!
//! Each subcommand measures one claim and prints a Markdown table row set plus
//! the raw figures as JSON on the last line, so `bench/run` can both show and
//! record them. Timed work is repeated and the median reported. Nothing here
//! runs in the test suite except `tests/smoke.rs`, which runs `bench/run
//! --smoke` (tiny inputs, every peer) so the harness cannot rot; the
//! criterion micro-benchmarks of the hot functions are `benches/hot.rs`
//! (`cargo bench -p marsad-bench`).

mod arcd;
mod dates;
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
        /// Write the query strings, one a line, so the peers (bench/peers.py) ask the same.
        #[arg(long)]
        queries_out: Option<PathBuf>,
    },
    /// Date extraction on the seed articles: every expression found with its value (JSON), timed, for bench/peers.py dates to score against the gold list.
    Dates {
        #[arg(long, default_value = "../shared/corpus/seeds")]
        seeds: PathBuf,
        /// The gold TSV (bench/dates-gold.tsv): its `@anchor` rows give each document's publication date.
        #[arg(long, default_value = "bench/dates-gold.tsv")]
        gold: PathBuf,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Arcd { file } => arcd::run(&file),
        Command::Text { corpus, runs } => throughput::run(&corpus, runs),
        Command::Latency { data, queries, queries_out } => latency::run(&data, queries, queries_out.as_deref()),
        Command::Dates { seeds, gold, runs } => dates::run(&seeds, &gold, runs),
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
