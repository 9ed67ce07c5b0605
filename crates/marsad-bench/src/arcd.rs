//! Search quality on ARCD (Arabic Reading Comprehension Dataset, train split):
//! every paragraph is a document, every question a query whose one relevant
//! document is the paragraph it was asked about.
//!
//! Two engines see exactly the same documents and the same query strings:
//! Marsad's store (its Arabic analyzer, its query parser, bare words = any
//! term matches, all terms rank higher) and a plain tantivy index with
//! tantivy's stock Arabic pipeline (SimpleTokenizer → RemoveLong → LowerCaser →
//! Snowball Arabic stemmer) queried with tantivy's QueryParser in OR mode.
//! Query-syntax characters (`"`, `-`, `:`) are replaced by spaces in the
//! questions for both, so neither engine's syntax decides the outcome.

use std::path::Path;

use anyhow::{Context, Result};
use marsad_engine::{Engine, SearchOptions};
use marsad_ingest::{CleanDocument, Format, SourceDocument};
use serde::Deserialize;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING};
use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer};
use tantivy::{doc, Index, TantivyDocument};

#[derive(Deserialize)]
struct Squad {
    data: Vec<Article>,
}
#[derive(Deserialize)]
struct Article {
    paragraphs: Vec<Paragraph>,
}
#[derive(Deserialize)]
struct Paragraph {
    context: String,
    qas: Vec<Question>,
}
#[derive(Deserialize)]
struct Question {
    question: String,
}

/// (paragraph id, paragraph text) and (question, id of its paragraph).
pub struct ArcdSet {
    pub paragraphs: Vec<(String, String)>,
    pub questions: Vec<(String, String)>,
}

pub fn load(file: &Path) -> Result<ArcdSet> {
    let squad: Squad =
        serde_json::from_slice(&std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?)
            .with_context(|| format!("{} is not SQuAD JSON", file.display()))?;
    let mut set = ArcdSet { paragraphs: Vec::new(), questions: Vec::new() };
    for (a, article) in squad.data.iter().enumerate() {
        for (p, paragraph) in article.paragraphs.iter().enumerate() {
            let id = format!("arcd-{a}-{p}");
            set.paragraphs.push((id.clone(), paragraph.context.clone()));
            for q in &paragraph.qas {
                set.questions.push((sanitize(&q.question), id.clone()));
            }
        }
    }
    Ok(set)
}

fn sanitize(question: &str) -> String {
    question.chars().map(|c| if matches!(c, '"' | '-' | ':' | '«' | '»' | '“' | '”') { ' ' } else { c }).collect()
}

#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Quality {
    pub mrr10: f64,
    pub recall1: f64,
    pub recall10: f64,
}

fn score(ranked: impl Iterator<Item = Vec<String>>, questions: &[(String, String)]) -> Quality {
    let mut q = Quality::default();
    for (ids, (_, relevant)) in ranked.zip(questions) {
        if let Some(rank) = ids.iter().take(10).position(|id| id == relevant) {
            q.mrr10 += 1.0 / (rank as f64 + 1.0);
            q.recall10 += 1.0;
            if rank == 0 {
                q.recall1 += 1.0;
            }
        }
    }
    let n = questions.len().max(1) as f64;
    Quality { mrr10: q.mrr10 / n, recall1: q.recall1 / n, recall10: q.recall10 / n }
}

pub fn marsad_quality(set: &ArcdSet) -> Result<Quality> {
    let dir = tempfile::tempdir()?;
    let mut store = Engine::open(dir.path())?;
    let docs = set
        .paragraphs
        .iter()
        .map(|(id, text)| CleanDocument {
            source: SourceDocument {
                id: id.clone(),
                title: None,
                source: Some("arcd".into()),
                url: None,
                author: None,
                date: None,
                body: text.clone(),
                raw: text.clone(),
                origin: id.clone(),
                format: Format::Text,
                encoding_note: None,
            },
            paragraphs: vec![text.clone()],
            text: text.clone(),
            removed: Vec::new(),
            content_hash: id.clone(),
        })
        .collect();
    store.ingest_batch(docs)?;
    let mut ranked = Vec::with_capacity(set.questions.len());
    for (question, _) in &set.questions {
        let ids = match store.search(question, SearchOptions { limit: 10, offset: 0 }) {
            Ok(results) => results.hits.into_iter().map(|h| h.doc).collect(),
            Err(_) => Vec::new(),
        };
        ranked.push(ids);
    }
    Ok(score(ranked.into_iter(), &set.questions))
}

pub fn tantivy_stock_quality(set: &ArcdSet) -> Result<Quality> {
    let mut builder = Schema::builder();
    let id = builder.add_text_field("id", STRING | STORED);
    let indexing = TextFieldIndexing::default()
        .set_tokenizer("stock_ar")
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text = builder.add_text_field("text", TextOptions::default().set_indexing_options(indexing));
    let index = Index::create_in_ram(builder.build());
    index.tokenizers().register(
        "stock_ar",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::Arabic))
            .build(),
    );
    let mut writer = index.writer(50_000_000)?;
    for (pid, ptext) in &set.paragraphs {
        writer.add_document(doc!(id => pid.as_str(), text => ptext.as_str()))?;
    }
    writer.commit()?;
    let searcher = index.reader()?.searcher();
    let parser = QueryParser::for_index(&index, vec![text]);
    let mut ranked = Vec::with_capacity(set.questions.len());
    for (question, _) in &set.questions {
        let (query, _errors) = parser.parse_query_lenient(question);
        let top = searcher.search(&query, &TopDocs::with_limit(10).order_by_score())?;
        let ids = top
            .into_iter()
            .filter_map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address).ok()?;
                doc.get_first(id).and_then(|v| v.as_str()).map(str::to_string)
            })
            .collect();
        ranked.push(ids);
    }
    Ok(score(ranked.into_iter(), &set.questions))
}

pub fn run(file: &Path) -> Result<()> {
    let set = load(file)?;
    let marsad = marsad_quality(&set)?;
    let stock = tantivy_stock_quality(&set)?;
    println!("ARCD train: {} paragraphs, {} questions", set.paragraphs.len(), set.questions.len());
    println!("| analyzer | MRR@10 | Recall@1 | Recall@10 |");
    println!("|---|---:|---:|---:|");
    for (name, q) in [("Marsad (marsad_text::analyze)", marsad), ("tantivy stock Snowball Arabic", stock)] {
        println!("| {name} | {:.3} | {:.3} | {:.3} |", q.mrr10, q.recall1, q.recall10);
    }
    println!(
        "{}",
        serde_json::json!({"bench": "arcd", "paragraphs": set.paragraphs.len(), "questions": set.questions.len(), "marsad": marsad, "tantivy_stock": stock})
    );
    Ok(())
}
