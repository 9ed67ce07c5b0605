//! How good is Marsad on news it was never tuned on? This crate answers with
//! numbers.
//!
//! The gold set (`data/gold/news/`, see its README and GUIDELINES) is real
//! SaudiNewsNet articles annotated by hand — entity mentions with their
//! canonical entity, quotations with their speakers, events with dates and
//! status, and, on a separate sample, which story each article belongs to —
//! stored as spans and labels only. [`evaluate`] runs the real pipeline over
//! those articles ([`system`]) and scores every layer ([`score`]);
//! [`agreement`] scores a second annotator's marks the same way, which is
//! how much two careful people agree, the ceiling any system can be held to.
//!
//! # Why a separate crate
//!
//! Scoring needs the whole product (reading, cleaning, extraction, corpus
//! entity resolution, stories) and nothing of it needs scoring. Keeping the
//! measurement apart keeps the product's crates free of gold-set types, and
//! keeps the measurement honest: it can only call what a user can.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

use std::fmt;
use std::path::{Path, PathBuf};

pub mod gold;
pub mod score;
pub mod system;

pub use gold::{Annotations, ArticleRef, GoldSet, Split, SplitChoice};
pub use score::Report;

/// What an evaluation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A gold file (TSV row or annotation JSON) does not parse.
    #[error("{path}:{line}: {reason}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The SaudiNewsNet corpus is not as expected (a missing day file or
    /// article), ingesting a gold article failed, or JSON could not be
    /// written.
    #[error("corpus: {0}")]
    Corpus(String),
    /// A gold article cannot be used as given.
    #[error("gold article {id}: {reason}")]
    Gold {
        /// Gold id.
        id: String,
        /// What does not agree.
        reason: String,
    },
    /// The evaluation store failed.
    #[error(transparent)]
    Engine(#[from] marsad_engine::StoreError),
}

impl EvalError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> EvalError {
        EvalError::Io { path: path.to_path_buf(), source }
    }
}

/// What to evaluate.
#[derive(Clone, Debug)]
pub struct EvalOptions<'a> {
    /// The gold set to score against.
    pub gold: &'a GoldSet,
    /// The SaudiNewsNet folder (`../shared/corpus/saudinewsnet`).
    pub corpus: &'a Path,
    /// Which articles of the gold set to score.
    pub split: SplitChoice,
    /// Score stories too (ingests the story sample: a few seconds more).
    pub stories: bool,
    /// Write what Marsad found in each article to this folder, as
    /// `ID.json` in the gold format (entity keys are corpus entity ids), to
    /// compare by hand.
    pub dump: Option<&'a Path>,
}

/// Runs Marsad over the gold articles of the split and scores every layer.
pub fn evaluate(options: &EvalOptions<'_>) -> Result<Report, EvalError> {
    let annotated = options.gold.annotated(options.split);
    let refs: Vec<&ArticleRef> = annotated.iter().map(|(a, _)| *a).collect();
    let run = system::run_extraction(options.corpus, &refs)?;
    if let Some(dir) = options.dump {
        std::fs::create_dir_all(dir).map_err(|e| EvalError::io(dir, e))?;
        for a in &refs {
            let marks = run.annotations.get(&a.id).cloned().unwrap_or_default();
            let file = gold::ArticleAnnotations {
                id: a.id.clone(),
                file: a.file.clone(),
                index: a.index,
                source: a.source.clone(),
                split: a.split,
                marks,
            };
            let path = dir.join(format!("{}.json", a.id));
            let json = serde_json::to_string_pretty(&file).map_err(|e| EvalError::Corpus(e.to_string()))?;
            std::fs::write(&path, json).map_err(|e| EvalError::io(&path, e))?;
        }
        let path = dir.join("entity-names.json");
        let json = serde_json::to_string_pretty(&run.names).map_err(|e| EvalError::Corpus(e.to_string()))?;
        std::fs::write(&path, json).map_err(|e| EvalError::io(&path, e))?;
    }
    let empty = Annotations::default();
    let pairs: Vec<score::ArticlePair<'_>> = annotated
        .iter()
        .map(|(a, gold)| score::ArticlePair { id: &a.id, gold, system: run.annotations.get(&a.id).unwrap_or(&empty) })
        .collect();
    let names = |key: &str| run.names.get(key).cloned();
    let stories = if options.stories {
        let sample = options.gold.story_articles(options.split);
        if sample.is_empty() {
            None
        } else {
            let refs: Vec<&ArticleRef> = sample.iter().map(|(a, _)| *a).collect();
            let system = system::run_stories(options.corpus, &refs)?;
            let gold: Vec<&str> = sample.iter().map(|(_, s)| *s).collect();
            let system: Vec<&str> = system.iter().map(String::as_str).collect();
            Some(score::score_stories(&gold, &system))
        }
    } else {
        None
    };
    Ok(Report {
        split: options.split.as_str().to_string(),
        articles: pairs.len(),
        entities: score::score_entities(&pairs, &names),
        quotes: score::score_quotes(&pairs, &names),
        events: score::score_events(&pairs),
        stories,
    })
}

/// Checks that every gold entity span holds its name in the body Marsad's
/// reader makes of the article: the gold set and the reader agree on what
/// the offsets index. Returns one line per disagreement.
pub fn check_spans(gold: &GoldSet, corpus: &Path, split: SplitChoice) -> Result<Vec<String>, EvalError> {
    let annotated = gold.annotated(split);
    let refs: Vec<&ArticleRef> = annotated.iter().map(|(a, _)| *a).collect();
    let run = system::run_extraction(corpus, &refs)?;
    let mut problems = Vec::new();
    for (article, marks) in annotated {
        let Some(body) = run.bodies.get(&article.id) else {
            problems.push(format!("{}: not stored", article.id));
            continue;
        };
        for e in &marks.entities {
            let found = body.get(e.span[0]..e.span[1]);
            if found != Some(e.text.as_str()) {
                problems.push(format!("{} {:?}: {:?} where the gold says {:?}", article.id, e.span, found, e.text));
            }
        }
    }
    Ok(problems)
}

/// Scores a second annotator's marks (an `annotations/` folder of files in
/// the gold format) against the gold, on the articles both annotated.
pub fn agreement(gold: &GoldSet, other: &Path, split: SplitChoice) -> Result<Report, EvalError> {
    let mut theirs = Vec::new();
    for (article, marks) in gold.annotated(split) {
        let path = other.join(format!("{}.json", article.id));
        if let Some(other_marks) = gold::read_annotations(&path, &article.id)? {
            theirs.push((article, marks, other_marks));
        }
    }
    let pairs: Vec<score::ArticlePair<'_>> =
        theirs.iter().map(|(a, g, o)| score::ArticlePair { id: &a.id, gold: g, system: o }).collect();
    let names = |key: &str| Some(key.to_string());
    Ok(Report {
        split: split.as_str().to_string(),
        articles: pairs.len(),
        entities: score::score_entities(&pairs, &names),
        quotes: score::score_quotes(&pairs, &names),
        events: score::score_events(&pairs),
        stories: None,
    })
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let row = |f: &mut fmt::Formatter<'_>, name: &str, p: &score::Prf| {
            writeln!(
                f,
                "{name:<34} {:>6.3} {:>6.3} {:>6.3}   ({}/{} system, {}/{} gold)",
                p.precision, p.recall, p.f1, p.system_right, p.system, p.gold_found, p.gold
            )
        };
        let share = |f: &mut fmt::Formatter<'_>, name: &str, s: &score::Share| {
            writeln!(f, "{name:<34} {:>6.3}   ({}/{})", s.value, s.right, s.total)
        };
        writeln!(f, "split {}: {} annotated articles", self.split, self.articles)?;
        writeln!(f, "{:<34} {:>6} {:>6} {:>6}", "layer", "P", "R", "F1")?;
        row(f, "entity mentions (strict)", &self.entities.mentions)?;
        for (t, p) in &self.entities.by_type {
            row(f, &format!("  {t}"), p)?;
        }
        let c = &self.entities.clusters;
        writeln!(
            f,
            "{:<34} {:>6.3} {:>6.3} {:>6.3}   (B-cubed over {} found gold mentions)",
            "entity clusters", c.precision, c.recall, c.f1, c.gold_found
        )?;
        share(f, "canonical names right", &self.entities.canonical)?;
        row(f, "quotes found", &self.quotes.found)?;
        row(f, "quotes with the right speaker", &self.quotes.with_speaker)?;
        share(f, "named speakers linked", &self.quotes.named_linked)?;
        writeln!(f, "{:<34} {:>6}", "short direct quotes, not quotes", self.quotes.short_false)?;
        row(f, "events found", &self.events.found)?;
        share(f, "  recall of dated events", &self.events.recall_dated)?;
        share(f, "  date right (matched)", &self.events.date_right)?;
        share(f, "  status right (matched)", &self.events.status_right)?;
        share(f, "  type right (matched)", &self.events.type_right)?;
        writeln!(f, "{:<34} {:>6}", "  denied events reported", self.events.denied_reported)?;
        if let Some(s) = &self.stories {
            row(f, "story pairs", &s.pairs)?;
            writeln!(
                f,
                "{:<34} {} articles, {} gold stories, {} system stories",
                "", s.articles, s.gold_stories, s.system_stories
            )?;
        }
        if !self.entities.canonical_misses.is_empty() {
            writeln!(f, "canonical names that differ (gold → system), first 15:")?;
            for (g, s) in self.entities.canonical_misses.iter().take(15) {
                writeln!(f, "  {g} → {s}")?;
            }
        }
        Ok(())
    }
}
