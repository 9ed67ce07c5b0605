//! Trains the named-entity tagger on a CoNLL file, reports dev scores, and
//! writes a model.
//!
//! ```text
//! cargo run -p marsad-extract --release --example train_ner -- \
//!     --conll ../shared/data/anercorp/train.txt [--dev-fraction 0.1667] \
//!     [--epochs N] [--seed S] [--prune F] [--min-count N] [--one-pass] \
//!     [--window W] [--margin C] [--miss-cost C] [--out data/models/ner-ar.bin]
//! ```
//!
//! Options left out keep their `TrainOptions::default()` values (what the
//! shipped model uses). `NER_ERRORS=1` also prints the dev sentences the
//! tagger gets wrong, `word[gold|predicted]`.
//!
//! With `--dev-fraction F > 0` the model is trained on all but the last F of
//! the sentences and scored on those; with `--out` it is then written (if
//! F is 0, trained on everything).

use std::process::ExitCode;

use marsad_extract::ner::{self, conll, TrainOptions};

fn main() -> ExitCode {
    let mut conll_path = None;
    let mut out = None;
    let mut dev_fraction = 0.0;
    let mut options = TrainOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match a.as_str() {
            "--conll" => conll_path = Some(value()),
            "--out" => out = Some(value()),
            "--dev-fraction" => dev_fraction = value().parse().unwrap_or(0.0),
            "--epochs" => options.epochs = value().parse().unwrap_or(options.epochs),
            "--seed" => options.seed = value().parse().unwrap_or(options.seed),
            "--prune" => options.prune_below = value().parse().unwrap_or(options.prune_below),
            "--min-count" => options.min_feature_count = value().parse().unwrap_or(1),
            "--one-pass" => options.two_pass = false,
            "--margin" => options.margin = value().parse().unwrap_or(options.margin),
            "--miss-cost" => options.miss_cost = value().parse().unwrap_or(options.miss_cost),
            "--window" => options.conll_window = value().parse().unwrap_or(options.conll_window),
            other => {
                eprintln!("unknown argument {other}");
                return ExitCode::FAILURE;
            }
        }
    }
    let Some(path) = conll_path else {
        eprintln!("usage: train_ner --conll FILE [--dev-fraction F] [--epochs N] [--out MODEL]");
        return ExitCode::FAILURE;
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let sentences = match conll::parse(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (train, dev) = ner::split_dev(&sentences, dev_fraction);
    eprintln!("{options:?}: {} training sentences, {} dev", train.len(), dev.len());
    let tagger = ner::train(&train, &options, |p| {
        eprintln!(
            "epoch {}/{}: {} token errors of {}, {} features, {:.1}s",
            p.epoch, p.epochs, p.token_errors, p.tokens, p.features, p.elapsed_seconds
        );
    });
    eprintln!("model: {} features kept, {} bytes", tagger.feature_count(), tagger.to_bytes().len());
    if !dev.is_empty() {
        let report = ner::evaluate(&tagger, &dev);
        println!("{report}");
        if std::env::var_os("NER_ERRORS").is_some() {
            for s in &dev {
                let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
                let predicted = tagger.tag_words(&words);
                if predicted != s.tags {
                    let line: Vec<String> = words
                        .iter()
                        .zip(&s.tags)
                        .zip(&predicted)
                        .map(|((w, g), p)| {
                            if g == p {
                                if g == "O" {
                                    w.to_string()
                                } else {
                                    format!("{w}[{g}]")
                                }
                            } else {
                                format!("{w}[{g}|{p}]")
                            }
                        })
                        .collect();
                    println!("{}", line.join(" "));
                }
            }
        }
    }
    if let Some(out) = out {
        if let Err(e) = std::fs::write(&out, tagger.to_bytes()) {
            eprintln!("{out}: {e}");
            return ExitCode::FAILURE;
        }
        eprintln!("wrote {out}");
    }
    ExitCode::SUCCESS
}
