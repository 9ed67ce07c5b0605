//! `marsad`: the command-line shell over the Marsad library.
//!
//! Every command here parses arguments, calls one library function
//! (`marsad_engine`), and renders the result either as a human-readable table or,
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
use marsad_engine::marsad_extract::{ner, EntityType};
use marsad_engine::{
    Engine, EntityFilter, EntityLookup, GraphOptions, List, QuoteFilter, ReuseFilter, SearchOptions, SummaryScope,
    TimelineFilter,
};
use marsad_engine::{IngestInput, IngestOptions, IngestProgress, IngestSummary};

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
        #[arg(long, short = 'n', default_value_t = List::Search.default_limit())]
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
    /// Delete documents (with their analyses and what the corpus views took from them).
    Delete {
        /// Document ids.
        #[arg(required = true)]
        ids: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// The keys answers use (entity types, event types, relation kinds) with their Arabic labels.
    Vocabulary {
        #[arg(long)]
        json: bool,
    },
    /// Ingest the built-in demo corpus into a data directory and show what Marsad found.
    Demo {
        /// Only ingest and print what was found; do not start the web UI.
        #[arg(long)]
        no_serve: bool,
        /// Where the web UI listens.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Print the report as JSON (implies --no-serve).
        #[arg(long)]
        json: bool,
    },
    /// Serve the HTTP JSON API and the right-to-left web UI.
    Serve {
        /// Address to listen on (loopback by default; port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Enables POST /api/documents for clients sending `Authorization: Bearer TOKEN`.
        #[arg(long, env = "MARSAD_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Engine handles for concurrent reads [default: 2 × cores].
        #[arg(long)]
        readers: Option<usize>,
    },
    /// People, organisations and places, merged across documents and spellings.
    Entities {
        /// Only this type: person, organization, place, misc.
        #[arg(long = "type", value_parser = parse_entity_type)]
        entity_type: Option<EntityType>,
        /// Only entities whose name or a variant contains this.
        #[arg(long)]
        name: Option<String>,
        /// How many to show (most documents first); 0 for all.
        #[arg(long, short = 'n', default_value_t = List::Entities.default_limit())]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long)]
        json: bool,
    },
    /// One entity's profile: roles, variants, documents, quotes, events, neighbours.
    Entity {
        /// An entity id (P-…, O-…, L-…) or a name in any spelling.
        id_or_name: String,
        #[arg(long)]
        json: bool,
    },
    /// Who said what: direct and reported quotations with their speakers.
    Quotes {
        /// Only quotes by this speaker (entity id or name, or words of an unnamed speaker such as محللون).
        #[arg(long)]
        speaker: Option<String>,
        /// Only quotes from this document.
        #[arg(long)]
        doc: Option<String>,
        /// How many to show (in date order); 0 for all.
        #[arg(long, short = 'n', default_value_t = List::Quotes.default_limit())]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long)]
        json: bool,
    },
    /// Events of all documents on one timeline, sorted by date.
    Timeline {
        /// From this date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.
        #[arg(long)]
        from: Option<String>,
        /// Up to this date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.
        #[arg(long)]
        to: Option<String>,
        /// Only events with this entity (id or name) among the actors or as the place.
        #[arg(long)]
        entity: Option<String>,
        /// Include sports fixtures and results (left out by default).
        #[arg(long)]
        sports: bool,
        #[arg(long)]
        json: bool,
    },
    /// The actor graph: entities linked by co-occurrence and stated relations.
    Graph {
        /// json, graphml (Gephi, yEd) or dot (Graphviz).
        #[arg(long, default_value = "json", value_parser = ["json", "graphml", "dot"])]
        format: String,
        /// Keep the N most mentioned entities.
        #[arg(long, default_value_t = 300)]
        max_nodes: usize,
        /// Drop co-occurrence edges seen in fewer sentences than this (typed edges are kept).
        #[arg(long, default_value_t = 1)]
        min_weight: usize,
    },
    /// Reused passages: text shared between documents, and repeated inside one.
    Reuse {
        /// Only passages of at least N words.
        #[arg(long, default_value_t = marsad_engine::GROUP_MIN_WORDS)]
        min_words: u32,
        /// Only passages found in this document.
        #[arg(long)]
        doc: Option<String>,
        /// Only passages shared by two or more documents (no repeats inside one).
        #[arg(long)]
        across: bool,
        /// How many groups to show (most documents first); 0 for all.
        #[arg(long, short = 'n', default_value_t = List::Reuse.default_limit())]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long)]
        json: bool,
    },
    /// Whole-document near-duplicates: syndicated copies and light edits.
    Duplicates {
        /// Only the group holding this document.
        #[arg(long)]
        doc: Option<String>,
        /// How many groups to show (largest first); 0 for all.
        #[arg(long, short = 'n', default_value_t = List::Duplicates.default_limit())]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long)]
        json: bool,
    },
    /// Stories: documents clustered by content and time, largest first.
    Stories {
        /// How many to show; 0 for all.
        #[arg(long, short = 'n', default_value_t = List::Stories.default_limit())]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long)]
        json: bool,
    },
    /// One story: its label, entities, terms, dates and documents.
    Story {
        /// A story id (the id of its first document; see `marsad stories`).
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// An extractive summary of a story, an entity, some documents, or everything.
    Summary {
        /// Summarize this story.
        #[arg(long, conflicts_with_all = ["entity", "docs"])]
        story: Option<String>,
        /// Summarize what the documents say about this entity (id or name).
        #[arg(long, conflicts_with = "docs")]
        entity: Option<String>,
        /// Summarize these documents (comma-separated ids).
        #[arg(long, value_delimiter = ',')]
        docs: Option<Vec<String>>,
        /// At most N sentences [default: 5 unless --words is given].
        #[arg(long)]
        sentences: Option<usize>,
        /// At most N words.
        #[arg(long)]
        words: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// Train a model (the named-entity tagger) from annotated data.
    Train {
        #[command(subcommand)]
        what: TrainCommand,
    },
    /// Evaluate a model against annotated data.
    Eval {
        #[command(subcommand)]
        what: EvalCommand,
    },
    /// Re-run the extractors (entities, quotes, dates, events) on stored documents.
    Reanalyze {
        /// All documents, not only those analyzed by an older version.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Subcommand, Debug)]
enum TrainCommand {
    /// Train the named-entity tagger (averaged perceptron) on a CoNLL file (`word TAG`, IOB2 PERS/LOC/ORG/MISC).
    Ner {
        /// The training data.
        #[arg(long)]
        conll: PathBuf,
        /// Where to write the model (load it with `eval ner --model`, or ship it as data/models/ner-ar.bin).
        #[arg(long)]
        out: PathBuf,
        /// Passes over the data.
        #[arg(long)]
        epochs: Option<usize>,
        /// Hold out the last FRACTION of the sentences as a dev split, train on the rest and report dev scores.
        #[arg(long, default_value_t = 0.0)]
        dev_fraction: f64,
        /// Seed of the sentence shuffle (training is deterministic for a seed).
        #[arg(long)]
        seed: Option<u64>,
        /// Word vectors made by `train embeddings` [default: the built-in data/models/embeddings-ar.bin].
        #[arg(long, value_name = "FILE")]
        vectors: Option<PathBuf>,
        /// Train without word vectors.
        #[arg(long, conflicts_with = "vectors")]
        no_vectors: bool,
        /// Step size of the word-vector weights next to the sparse features' [default: the shipped setting].
        #[arg(long)]
        dense_scale: Option<f32>,
    },
    /// Learn word vectors with subwords (skip-gram, negative sampling) from unlabeled text, for the tagger.
    Embeddings {
        /// Files or folders of articles, in any format `ingest` reads (text, HTML, JSON, JSON Lines, feeds).
        #[arg(long, required = true, num_args = 1..)]
        corpus: Vec<PathBuf>,
        /// Where to write the vectors (ship them as data/models/embeddings-ar.bin, then retrain the tagger).
        #[arg(long)]
        out: PathBuf,
        /// Dimensions [default: 64].
        #[arg(long)]
        dim: Option<usize>,
        /// Passes over the corpus [default: 5].
        #[arg(long)]
        epochs: Option<usize>,
        /// Words seen fewer times get vectors from their letters only [default: 5].
        #[arg(long)]
        min_count: Option<u32>,
        /// Print the nearest words of these words after training, to look at what was learned.
        #[arg(long, num_args = 1..)]
        show: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
enum EvalCommand {
    /// Strict entity-level precision, recall and F1 (conlleval semantics) per type and micro-averaged.
    Ner {
        /// Gold data in CoNLL format.
        #[arg(long)]
        conll: PathBuf,
        /// A model written by `train ner` [default: the built-in model].
        #[arg(long)]
        model: Option<PathBuf>,
        /// Evaluate only the last FRACTION of the sentences (the dev split `train ner --dev-fraction` held out).
        #[arg(long, default_value_t = 0.0)]
        dev_fraction: f64,
        /// The word vectors the model was trained with, if not the built-in ones.
        #[arg(long, value_name = "FILE", requires = "model")]
        vectors: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Score entities, entity clusters, canonical names, quotes, events and stories on the real-news gold set.
    Extract {
        /// The gold set (articles.tsv, annotations/, story-articles.tsv).
        #[arg(long, default_value = "data/gold/news")]
        gold: PathBuf,
        /// The SaudiNewsNet folder the gold articles come from.
        #[arg(long, default_value = "../shared/corpus/saudinewsnet")]
        corpus: PathBuf,
        /// Which half: test (report it), dev (tune on it) or all.
        #[arg(long, default_value = "test")]
        split: marsad_eval::SplitChoice,
        /// Score a second annotator's annotation folder against the gold instead of Marsad (agreement).
        #[arg(long)]
        against: Option<PathBuf>,
        /// Skip the story sample.
        #[arg(long)]
        no_stories: bool,
        /// Also write what Marsad found in each gold article to DIR (gold format), to compare by hand.
        #[arg(long, value_name = "DIR")]
        dump: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

fn read_conll(path: &std::path::Path) -> Result<Vec<ner::ConllSentence>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let sentences = ner::conll::parse(&text).with_context(|| format!("{}", path.display()))?;
    anyhow::ensure!(!sentences.is_empty(), "{}: no sentences", path.display());
    Ok(sentences)
}

fn check_fraction(f: f64) -> Result<()> {
    anyhow::ensure!((0.0..1.0).contains(&f), "--dev-fraction must be in [0, 1), got {f}");
    Ok(())
}

/// Word vectors read from a file, kept for the rest of the process (a
/// tagger borrows them for `'static`, as it does the built-in ones).
fn load_vectors(path: &std::path::Path) -> Result<&'static ner::embeddings::WordVectors> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let vectors = ner::embeddings::WordVectors::from_bytes(&bytes)
        .with_context(|| format!("cannot load the word vectors {}", path.display()))?
        .with_context(|| format!("{} is empty", path.display()))?;
    Ok(Box::leak(Box::new(vectors)))
}

/// What `train ner` is given beyond the data.
struct NerTraining {
    epochs: Option<usize>,
    dev_fraction: f64,
    seed: Option<u64>,
    vectors: Option<PathBuf>,
    no_vectors: bool,
    dense_scale: Option<f32>,
}

fn train_ner(conll: &std::path::Path, out: &std::path::Path, how: NerTraining) -> Result<ExitCode> {
    let NerTraining { epochs, dev_fraction, seed, vectors, no_vectors, dense_scale } = how;
    check_fraction(dev_fraction)?;
    let vectors = match (&vectors, no_vectors) {
        (_, true) => None,
        (Some(path), false) => Some(load_vectors(path)?),
        (None, false) => ner::embeddings::WordVectors::default_vectors(),
    };
    let sentences = read_conll(conll)?;
    let (train, dev) =
        if dev_fraction > 0.0 { ner::split_dev(&sentences, dev_fraction) } else { (sentences, Vec::new()) };
    let mut options = ner::TrainOptions::default();
    if let Some(e) = epochs {
        options.epochs = e.max(1);
    }
    if let Some(s) = seed {
        options.seed = s;
    }
    if let Some(s) = dense_scale {
        options.dense_scale = s;
    }
    eprintln!("training on {} sentences ({} held out for dev), {} epochs", train.len(), dev.len(), options.epochs);
    let tagger = ner::train_with_vectors(&train, &options, vectors, |p| {
        eprintln!(
            "  epoch {:>2}/{}: {} token errors, {} features, {:.1} s",
            p.epoch, p.epochs, p.token_errors, p.features, p.elapsed_seconds
        );
    });
    let bytes = tagger.to_bytes();
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!("wrote {} ({:.1} MB, {} features)", out.display(), bytes.len() as f64 / 1e6, tagger.feature_count());
    if !dev.is_empty() {
        println!("dev split (last {:.0}% of {}):", dev_fraction * 100.0, conll.display());
        print!("{}", ner::evaluate(&tagger, &dev));
    }
    Ok(ExitCode::SUCCESS)
}

fn eval_extract(
    gold: &std::path::Path,
    corpus: &std::path::Path,
    split: marsad_eval::SplitChoice,
    against: Option<&std::path::Path>,
    stories: bool,
    dump: Option<&std::path::Path>,
    json: bool,
) -> Result<ExitCode> {
    let set =
        marsad_eval::GoldSet::load(gold).with_context(|| format!("cannot load the gold set {}", gold.display()))?;
    let report = match against {
        Some(other) => marsad_eval::agreement(&set, other, split)?,
        None => {
            if !corpus.is_dir() {
                anyhow::bail!("the SaudiNewsNet folder {} is missing (give it with --corpus)", corpus.display());
            }
            marsad_eval::evaluate(&marsad_eval::EvalOptions { gold: &set, corpus, split, stories, dump })?
        }
    };
    if json {
        render::print_json(&report)?;
    } else {
        print!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

fn train_embeddings(
    corpus: &[PathBuf],
    out: &std::path::Path,
    options: &ner::embeddings::EmbeddingOptions,
    show: &[String],
) -> Result<ExitCode> {
    let found = marsad_ingest::discover(corpus);
    let mut failed = 0usize;
    for skipped in &found.skipped {
        eprintln!("skipped: {skipped}");
    }
    let mut texts = ner::embeddings::EmbeddingCorpus::new();
    for path in &found.files {
        marsad_ingest::read_file(path, &mut |result| match result {
            Ok(doc) => {
                let cleaned = marsad_ingest::clean(doc);
                if let Some(title) = &cleaned.source.title {
                    texts.add_text(title);
                }
                texts.add_text(&cleaned.paragraphs.join("\n"));
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}");
            }
        });
    }
    anyhow::ensure!(
        texts.tokens() > 0,
        "no text found in {}",
        corpus.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    );
    eprintln!(
        "{} texts, {} word tokens; {} dimensions, {} epochs",
        texts.texts(),
        texts.tokens(),
        options.dim,
        options.epochs
    );
    let vectors = ner::embeddings::train_embeddings(&texts, options, |p| {
        eprintln!(
            "  epoch {}/{}: {} words trained, vocabulary {}, loss {:.4}, {:.0} s",
            p.epoch, p.epochs, p.trained_tokens, p.vocabulary, p.loss, p.elapsed_seconds
        );
    });
    let bytes = vectors.to_bytes();
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!("wrote {} ({:.1} MB, {} words)", out.display(), bytes.len() as f64 / 1e6, vectors.vocabulary_len());
    for word in show {
        let key = marsad_engine::marsad_extract::gazetteer::phrase_key(word);
        let near: Vec<String> = vectors.nearest(&key, 10).into_iter().map(|(w, s)| format!("{w} {s:.2}")).collect();
        println!("{word}: {}", near.join(", "));
    }
    Ok(if failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn eval_ner(
    conll: &std::path::Path,
    model: Option<&std::path::Path>,
    vectors: Option<&std::path::Path>,
    dev_fraction: f64,
    json: bool,
) -> Result<ExitCode> {
    check_fraction(dev_fraction)?;
    let sentences = read_conll(conll)?;
    let gold = if dev_fraction > 0.0 { ner::split_dev(&sentences, dev_fraction).1 } else { sentences };
    let loaded;
    let tagger = match model {
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            loaded = match vectors {
                Some(v) => ner::Tagger::from_bytes_with_vectors(&bytes, Some(load_vectors(v)?)),
                None => ner::Tagger::from_bytes(&bytes),
            }
            .with_context(|| format!("cannot load the model {}", path.display()))?;
            &loaded
        }
        None => ner::Tagger::default_model(),
    };
    let report = ner::evaluate(tagger, &gold);
    if json {
        render::print_json(&report)?;
    } else {
        print!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_entity_type(s: &str) -> Result<EntityType, String> {
    EntityType::parse(s).ok_or_else(|| format!("unknown type {s:?} (person, organization, place, misc)"))
}

fn limit_of(n: usize) -> Option<usize> {
    (n > 0).then_some(n)
}

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs the HTTP server until Ctrl-C or SIGTERM. The first line on stdout
/// is `listening on http://ADDR/`, for people and for scripts that start it
/// on port 0.
fn serve(
    data: &std::path::Path,
    addr: std::net::SocketAddr,
    token: Option<String>,
    readers: Option<usize>,
) -> Result<ExitCode> {
    use std::io::Write;
    anyhow::ensure!(
        data.join(marsad_engine::DATABASE_FILE).exists(),
        "no store in {} (ingest something first: marsad --data {} ingest PATH…)",
        data.display(),
        data.display()
    );
    let mut options = marsad_server::ServerOptions { addr, token, ..Default::default() };
    if let Some(n) = readers {
        options.readers = n.max(1);
    }
    let writable = options.token.is_some();
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the server runtime")?;
    runtime
        .block_on(marsad_server::serve(data, options, |bound| {
            println!("listening on http://{bound}/");
            let _ = std::io::stdout().flush();
            eprintln!(
                "serving {} — open http://{bound}/ in a browser; API at http://{bound}/api/ ({}); Ctrl-C stops",
                data.display(),
                if writable { "uploads enabled" } else { "read-only: --token or MARSAD_TOKEN enables uploads" }
            );
        }))
        .with_context(|| format!("cannot serve on {addr}"))?;
    Ok(ExitCode::SUCCESS)
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
            let results =
                store.search(&query, SearchOptions { limit, offset }).with_context(|| format!("search {query:?}"))?;
            render::show(json, &results, |v| render::search_results(&query, v))
        }
        Command::Doc { id, raw, json } => {
            let store = open_store(&data)?;
            let Some(record) = store.document(&id)? else {
                anyhow::bail!("no document with id {id:?} in {}", data.display());
            };
            let analysis = store.analysis(&id)?;
            if json {
                render::print_json(&marsad_engine::DocumentWithAnalysis {
                    record: &record,
                    analysis: analysis.as_ref(),
                })?;
            } else if raw {
                println!("{}", store.raw(&id)?.unwrap_or_default());
            } else {
                render::document(&record);
                if let Some(a) = &analysis {
                    render::document_analysis(&record.text, a);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { json } => {
            let store = open_store(&data)?;
            let stats = store.stats()?;
            render::show(json, &stats, |v| render::stats(&data, v))
        }
        Command::Delete { ids, json } => {
            let mut store = open_store(&data)?;
            let deletion = store.delete(&ids)?;
            render::show(json, &deletion, render::deletion)?;
            // Asking to delete what is not there is an error the caller should see.
            Ok(if deletion.missing.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Vocabulary { json } => render::show(json, &marsad_engine::Vocabulary::all(), render::vocabulary),
        Command::Demo { no_serve, addr, json } => {
            let code = demo::run(&data, json)?;
            if json || no_serve || code != ExitCode::SUCCESS {
                return Ok(code);
            }
            println!();
            println!("Starting the web UI (read-only; `marsad serve --token …` enables uploads).");
            serve(&data, addr, None, None)
        }
        Command::Serve { addr, token, readers } => serve(&data, addr, token, readers),
        Command::Entities { entity_type, name, limit, offset, json } => {
            let store = open_views(&data)?;
            let list =
                store.entities(&EntityFilter { entity_type, name, offset, limit: limit_of(limit), doc_ids: None })?;
            render::show(json, &list, |v| render::entities(v, offset))
        }
        Command::Entity { id_or_name, json } => {
            let store = open_views(&data)?;
            match store.entity(&id_or_name)? {
                EntityLookup::Found(profile) => render::show(json, &profile, |v| render::entity_profile(v)),
                EntityLookup::Ambiguous(candidates) => {
                    let list: Vec<String> = candidates
                        .iter()
                        .take(10)
                        .map(|e| format!("  {}  {} ({}, {} docs)", e.id, e.name, e.entity_type.as_str(), e.docs.len()))
                        .collect();
                    anyhow::bail!(
                        "{id_or_name:?} matches {} entities; give an id:\n{}",
                        candidates.len(),
                        list.join("\n")
                    )
                }
                EntityLookup::NotFound => {
                    anyhow::bail!("no entity {id_or_name:?} in {} (try `marsad entities --name ...`)", data.display())
                }
            }
        }
        Command::Quotes { speaker, doc, limit, offset, json } => {
            let store = open_views(&data)?;
            let list = store.quotes(&QuoteFilter { speaker, doc, offset, limit: limit_of(limit) })?;
            render::show(json, &list, render::quotes)
        }
        Command::Timeline { from, to, entity, sports, json } => {
            let store = open_views(&data)?;
            let events = store.timeline(&TimelineFilter { from, to, entity, sports, ..TimelineFilter::default() })?;
            render::show(json, &marsad_engine::Timeline::all(&events), |t| render::timeline(t.events))
        }
        Command::Graph { format, max_nodes, min_weight } => {
            let store = open_views(&data)?;
            let graph = store.graph(&GraphOptions { max_nodes, min_weight, max_edges: None })?;
            match format.as_str() {
                "graphml" => print!("{}", graph.to_graphml()),
                "dot" => print!("{}", graph.to_dot()),
                _ => render::print_json(&graph)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Reuse { min_words, doc, across, limit, offset, json } => {
            let store = open_views(&data)?;
            let list = store.reuse_groups(&ReuseFilter {
                min_words,
                doc,
                across_documents: across,
                limit: limit_of(limit),
                offset,
                context: None,
                occurrences: None,
            })?;
            render::show(json, &list, |v| render::reuse(v, offset))
        }
        Command::Duplicates { doc, limit, offset, json } => {
            let store = open_views(&data)?;
            let list = store.duplicates(doc.as_deref(), limit_of(limit), offset)?;
            render::show(json, &list, |v| render::duplicates(v, offset))
        }
        Command::Stories { limit, offset, json } => {
            let store = open_views(&data)?;
            let list = store.stories(limit_of(limit), offset)?;
            render::show(json, &list, |v| render::stories(v, offset))
        }
        Command::Story { id, json } => {
            let store = open_views(&data)?;
            let Some(story) = store.story(&id)? else {
                anyhow::bail!("no story {id:?} in {} (see `marsad stories`)", data.display())
            };
            render::show(json, &story, render::story)
        }
        Command::Summary { story, entity, docs, sentences, words, json } => {
            let scope = SummaryScope::from_request(story, entity, docs)?;
            let store = open_views(&data)?;
            let summary = store.summary(&scope, sentences, words)?;
            render::show(json, &summary, render::summary)
        }
        Command::Train {
            what: TrainCommand::Ner { conll, out, epochs, dev_fraction, seed, vectors, no_vectors, dense_scale },
        } => train_ner(&conll, &out, NerTraining { epochs, dev_fraction, seed, vectors, no_vectors, dense_scale }),
        Command::Train { what: TrainCommand::Embeddings { corpus, out, dim, epochs, min_count, show } } => {
            let mut options = ner::embeddings::EmbeddingOptions::default();
            if let Some(d) = dim {
                options.dim = d.clamp(1, 1024);
            }
            if let Some(e) = epochs {
                options.epochs = e.max(1);
            }
            if let Some(m) = min_count {
                options.min_count = m.max(1);
            }
            train_embeddings(&corpus, &out, &options, &show)
        }
        Command::Eval { what: EvalCommand::Ner { conll, model, vectors, dev_fraction, json } } => {
            eval_ner(&conll, model.as_deref(), vectors.as_deref(), dev_fraction, json)
        }
        Command::Eval { what: EvalCommand::Extract { gold, corpus, split, against, no_stories, dump, json } } => {
            eval_extract(&gold, &corpus, split, against.as_deref(), !no_stories, dump.as_deref(), json)
        }
        Command::Reanalyze { all } => {
            let mut store = open_store(&data)?;
            let bar = ProgressBar::new(0);
            if !std::io::stderr().is_terminal() {
                bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
            }
            let started = Instant::now();
            let n = store.reanalyze(all, |done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })?;
            bar.finish_and_clear();
            println!("analyzed {n} document(s) in {:.1} s", started.elapsed().as_secs_f64());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Opens the store for a corpus-view query, bringing the views up to date
/// first when an earlier ingest did not finish.
fn open_views(data: &std::path::Path) -> Result<Engine> {
    let mut store = open_store(data)?;
    store.ensure_views().context("cannot refresh the corpus views")?;
    let stale = store.stale_analyses()?;
    if stale > 0 {
        eprintln!("note: {stale} document(s) were analyzed by an older version or not at all; run `marsad reanalyze`");
    }
    Ok(store)
}

/// `marsad entities | head` should stop quietly when `head` has read enough,
/// as Unix tools do, not panic on the closed pipe: Rust ignores SIGPIPE by
/// default, so restore the default action.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists;
    // setting a signal's disposition to SIG_DFL has no other precondition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn open_store(data: &std::path::Path) -> Result<Engine> {
    Engine::open(data).with_context(|| format!("cannot open the data directory {}", data.display()))
}

/// Runs an ingest with a progress bar on stderr (hidden when stderr is not a
/// terminal) and returns the library's summary.
fn ingest(
    store: &mut Engine,
    paths: &[PathBuf],
    batch_size: usize,
    stdin_format: Option<&str>,
) -> Result<IngestSummary> {
    let options = IngestOptions { batch_size: batch_size.max(1) };
    let (stdin, files): (Vec<&PathBuf>, Vec<&PathBuf>) = paths.iter().partition(|p| p.as_os_str() == "-");

    let bar = ProgressBar::new(0);
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}")
            .expect("static template")
            .progress_chars("█▉▊▋▌▍▎▏ "),
    );
    let started = Instant::now();
    let mut on_progress = |p: IngestProgress| {
        bar.set_length(p.total_bytes);
        bar.set_position(p.bytes_done);
        let secs = started.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!("{} docs, {:.0} docs/s", p.docs_done, p.docs_done as f64 / secs));
    };

    let mut summary = if files.is_empty() {
        IngestSummary::default()
    } else {
        let owned: Vec<PathBuf> = files.into_iter().cloned().collect();
        store.ingest(IngestInput::Paths(&owned), options, &mut on_progress)?
    };
    if !stdin.is_empty() {
        let format = stdin_format
            .map(|f| {
                marsad_ingest::Format::parse(f)
                    .with_context(|| format!("unknown --stdin-format {f:?} (text, html, json, jsonl, feed)"))
            })
            .transpose()?;
        let from_stdin = store.ingest(stdin_input(format), options, &mut on_progress)?;
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

/// Standard input as an ingest stream.
fn stdin_input(format: Option<marsad_ingest::Format>) -> IngestInput<'static> {
    IngestInput::Stream { name: "stdin", format, reader: Box::new(std::io::stdin().lock()) }
}
