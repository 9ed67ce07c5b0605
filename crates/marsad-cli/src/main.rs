//! `marsad`: the command-line shell over the Marsad library.
//!
//! Every command here parses arguments, calls one library function
//! (`marsad_store`), and renders the result either as a human-readable table or,
//! with `--json`, as exactly one JSON object on stdout. No analysis happens in
//! this crate, so the CLI and the HTTP server cannot drift apart.

mod demo;
mod render;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use marsad_store::pipeline::{self, IngestOptions, IngestProgress, IngestSummary};
use marsad_store::{SearchOptions, Store};

/// Marsad (مرصد): an Arabic-first news-intelligence engine.
#[derive(Parser, Debug)]
#[command(name = "marsad", version, about, long_about = None)]
struct Cli {
    /// The data directory (SQLite database + search index) [default: ./marsad-data;
    /// for `demo`: ./marsad-demo-data].
    #[arg(long, global = true, env = "MARSAD_DATA")]
    data: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Ingest files or folders (recursively): .txt .html .htm .json .jsonl .xml .rss .atom; `-` reads stdin.
    Ingest {
        /// Files or folders to ingest; `-` for standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Documents committed per atomic batch.
        #[arg(long, default_value_t = 500)]
        batch_size: usize,
        /// Format of standard input (text, html, json, jsonl, feed); sniffed when omitted.
        #[arg(long)]
        stdin_format: Option<String>,
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Ranked full-text search. Syntax: words, "a phrase", -excluded, source:NAME, after:YYYY-MM-DD, before:YYYY-MM-DD.
    Search {
        /// The query (quote it in the shell).
        query: String,
        /// How many hits to show.
        #[arg(long, short = 'n', default_value_t = 10)]
        limit: usize,
        /// Skip this many hits (paging).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long)]
        json: bool,
    },
    /// Show one document: cleaned text, metadata, and what cleaning removed and why.
    Doc {
        /// The document id (a file stem, a JSON `id`, or a content hash).
        id: String,
        /// Print the original (raw) input instead of the cleaned text.
        #[arg(long)]
        raw: bool,
        #[arg(long)]
        json: bool,
    },
    /// Counts: documents, duplicates, sources, dates, removals, sizes.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Ingest the built-in demo corpus into a data directory and show what Marsad found.
    Demo {
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let default_data = match cli.command {
        Command::Demo { .. } => "./marsad-demo-data",
        _ => "./marsad-data",
    };
    let data = cli.data.unwrap_or_else(|| PathBuf::from(default_data));
    match cli.command {
        Command::Ingest { paths, batch_size, stdin_format, json } => {
            let mut store = open_store(&data)?;
            let summary = ingest(&mut store, &paths, batch_size, stdin_format.as_deref())?;
            if json {
                render::print_json(&summary)?;
            } else {
                render::ingest_summary(&summary);
            }
            Ok(exit_code_for(&summary))
        }
        Command::Search { query, limit, offset, json } => {
            let store = open_store(&data)?;
            let results = store
                .search(&query, SearchOptions { limit, offset })
                .with_context(|| format!("search {query:?}"))?;
            if json {
                render::print_json(&results)?;
            } else {
                render::search_results(&query, &results);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Doc { id, raw, json } => {
            let store = open_store(&data)?;
            let Some(record) = store.document(&id)? else {
                anyhow::bail!("no document with id {id:?} in {}", data.display());
            };
            if json {
                render::print_json(&record)?;
            } else if raw {
                println!("{}", store.raw(&id)?.unwrap_or_default());
            } else {
                render::document(&record);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { json } => {
            let store = open_store(&data)?;
            let stats = store.stats()?;
            if json {
                render::print_json(&stats)?;
            } else {
                render::stats(&data, &stats);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { json } => demo::run(&data, json),
    }
}

fn open_store(data: &std::path::Path) -> Result<Store> {
    Store::open(data).with_context(|| format!("cannot open the data directory {}", data.display()))
}

/// Runs an ingest with a progress bar on stderr (hidden when stderr is not a
/// terminal) and returns the library's summary.
fn ingest(
    store: &mut Store,
    paths: &[PathBuf],
    batch_size: usize,
    stdin_format: Option<&str>,
) -> Result<IngestSummary> {
    let options = IngestOptions { batch_size: batch_size.max(1) };
    let (stdin, files): (Vec<&PathBuf>, Vec<&PathBuf>) =
        paths.iter().partition(|p| p.as_os_str() == "-");

    let bar = ProgressBar::new(0);
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}",
        )
        .expect("static template")
        .progress_chars("█▉▊▋▌▍▎▏ "),
    );
    let started = Instant::now();
    let mut on_progress = |p: IngestProgress| {
        bar.set_length(p.total_bytes);
        bar.set_position(p.bytes_done);
        let secs = started.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!(
            "{} docs, {:.0} docs/s",
            p.docs_done,
            p.docs_done as f64 / secs
        ));
    };

    let mut summary = if files.is_empty() {
        IngestSummary::default()
    } else {
        let owned: Vec<PathBuf> = files.into_iter().cloned().collect();
        pipeline::ingest_paths(store, &owned, options.clone(), &mut on_progress)?
    };
    if !stdin.is_empty() {
        let format = stdin_format
            .map(|f| {
                marsad_ingest::Format::parse(f)
                    .with_context(|| format!("unknown --stdin-format {f:?} (text, html, json, jsonl, feed)"))
            })
            .transpose()?;
        let from_stdin = pipeline::ingest_reader(
            store,
            "stdin",
            format,
            std::io::stdin().lock(),
            options,
            &mut on_progress,
        )?;
        summary.merge(from_stdin);
    }
    bar.finish_and_clear();
    Ok(summary)
}

/// Non-zero when anything failed, so scripts notice; what did go in stays in.
fn exit_code_for(summary: &IngestSummary) -> ExitCode {
    if summary.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
