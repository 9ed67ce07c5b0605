//! `cargo bench -p marsad-bench`: criterion micro-benchmarks of the hot
//! functions, so a regression shows as a change against the last run
//! (criterion keeps its baselines in target/criterion/). Input is the
//! built-in demo article (`demo/corpus/2026-03-02_al-sabah.txt`, made up for
//! the project), so the suite needs nothing outside the repository.
//! Measurement times are short: the whole suite runs in about two minutes.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use marsad_engine::marsad_extract::{date, ner};
use marsad_engine::{Engine, SearchOptions};
use marsad_ingest::{CleanDocument, Format, SourceDocument};

const ARTICLE: &str = include_str!("../../../demo/corpus/2026-03-02_al-sabah.txt");

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

fn text_layer(c: &mut Criterion) {
    let mut g = c.benchmark_group("text");
    g.throughput(Throughput::Bytes(ARTICLE.len() as u64));
    g.bench_function("normalize", |b| b.iter(|| black_box(marsad_text::normalize(black_box(ARTICLE)))));
    g.bench_function("tokenize", |b| b.iter(|| black_box(marsad_text::tokenize(black_box(ARTICLE)))));
    g.bench_function("analyze", |b| {
        b.iter(|| {
            let mut n = 0usize;
            marsad_text::analyze(black_box(ARTICLE), |t| {
                black_box(t.text);
                n += 1;
            });
            n
        })
    });
    g.bench_function("split_sentences", |b| b.iter(|| black_box(marsad_text::split_sentences(black_box(ARTICLE)))));
    let keys: Vec<String> = words(ARTICLE).iter().map(|w| marsad_text::normalize_key(w)).collect();
    g.bench_function("stem (every word, normalized)", |b| {
        b.iter(|| keys.iter().map(|k| marsad_text::stem(black_box(k)).len()).sum::<usize>())
    });
    g.finish();
}

fn extract(c: &mut Criterion) {
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Bytes(ARTICLE.len() as u64));
    let tokens = marsad_text::tokenize(ARTICLE);
    let sentences = marsad_text::split_sentences(ARTICLE);
    let tagger = ner::Tagger::default_model();
    g.bench_function("ner tag", |b| b.iter(|| black_box(tagger.tag(black_box(ARTICLE), &tokens))));
    g.bench_function("date extract", |b| {
        b.iter(|| black_box(date::extract(black_box(ARTICLE), &tokens, &sentences, Some("2026-03-02"))))
    });
    g.finish();
}

fn reuse(c: &mut Criterion) {
    let mut g = c.benchmark_group("reuse");
    g.throughput(Throughput::Bytes(ARTICLE.len() as u64));
    let shingles = marsad_reuse::document_shingles(ARTICLE);
    g.bench_function("minhash sign (128)", |b| {
        b.iter(|| black_box(marsad_reuse::minhash_signature(black_box(&shingles), 128)))
    });
    g.bench_function("shingles + sign", |b| {
        b.iter(|| black_box(marsad_reuse::minhash_signature(&marsad_reuse::document_shingles(black_box(ARTICLE)), 128)))
    });
    // add_document: each sample starts from an index of 20 variants of the
    // article (paragraphs rotated) and adds `iters` more variants, timed.
    let paragraphs: Vec<&str> = ARTICLE.lines().filter(|l| !l.trim().is_empty()).collect();
    let variant = |i: usize| -> String {
        let mut p = paragraphs.clone();
        let n = p.len().max(1);
        p.rotate_left(i % n);
        format!("{}\nرقم {i}", p.join("\n"))
    };
    let texts: Vec<String> = (0..64).map(variant).collect();
    g.bench_function("add_document (small index)", |b| {
        b.iter_custom(|iters| {
            let mut index = marsad_reuse::ReuseIndex::new();
            for (i, t) in texts.iter().take(20).enumerate() {
                index.add_document(&format!("base{i}"), Some("2026-03-02"), t);
            }
            let started = std::time::Instant::now();
            for i in 0..iters as usize {
                black_box(index.add_document(&format!("d{i}"), Some("2026-03-03"), &texts[i % texts.len()]));
            }
            started.elapsed()
        })
    });
    g.finish();
}

fn search(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Engine::open(dir.path()).expect("store");
    let paragraphs: Vec<&str> = ARTICLE.lines().filter(|l| l.split_whitespace().count() > 5).collect();
    let docs = (0..500)
        .map(|i| {
            let text = format!("{}\n{}", paragraphs[i % paragraphs.len()], paragraphs[(i * 7 + 3) % paragraphs.len()]);
            let id = format!("doc{i}");
            CleanDocument {
                source: SourceDocument {
                    id: id.clone(),
                    title: Some(words(&text).into_iter().take(6).collect::<Vec<_>>().join(" ")),
                    source: Some("bench".into()),
                    url: None,
                    author: None,
                    date: Some("2026-03-02".into()),
                    body: text.clone(),
                    raw: text.clone(),
                    origin: id.clone(),
                    format: Format::Text,
                    encoding_note: None,
                },
                paragraphs: vec![text.clone()],
                text,
                removed: Vec::new(),
                content_hash: id,
            }
        })
        .collect();
    store.ingest_batch(docs).expect("ingest");
    let query: String =
        words(paragraphs[0]).into_iter().filter(|w| w.chars().count() > 3).take(2).collect::<Vec<_>>().join(" ");
    let mut g = c.benchmark_group("store");
    g.bench_function("search top 10 (500 docs)", |b| {
        b.iter(|| black_box(store.search(black_box(&query), SearchOptions { limit: 10, offset: 0 }).expect("search")))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = text_layer, extract, reuse, search
}
criterion_main!(benches);
