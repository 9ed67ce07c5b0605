//! SaudiNewsNet (../shared/corpus/saudinewsnet, not part of the project):
//! real JSON arrays must ingest as they are. Skipped when absent.

use std::path::{Path, PathBuf};
use std::time::Instant;

use marsad_ingest::{clean, read_file};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/saudinewsnet");

fn files() -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(Path::new(DIR)) else {
        eprintln!("skipping: {DIR} not found");
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// (documents, errors) of one file, cleaning each document too.
fn ingest(path: &Path) -> (usize, Vec<String>) {
    let mut docs = 0;
    let mut errors = Vec::new();
    read_file(path, &mut |r| match r {
        Ok(doc) => {
            assert!(doc.origin.contains('#'));
            let cleaned = clean(doc);
            for removal in &cleaned.removed {
                assert_eq!(&cleaned.source.body[removal.span.clone()], removal.text);
            }
            docs += 1;
        }
        Err(e) => errors.push(e.to_string()),
    });
    (docs, errors)
}

#[test]
fn one_day_reads_without_errors() {
    let Some(path) = files().into_iter().find(|p| p.ends_with("2015-07-23.json")) else {
        return;
    };
    let mut first = None;
    read_file(&path, &mut |r| {
        if first.is_none() {
            first = Some(r.unwrap());
        }
    });
    let first = first.unwrap();
    assert!(first.date.as_deref().unwrap().starts_with("2015-07-"));
    assert!(first.date.as_deref().unwrap().contains('T'));
    assert!(first.source.is_some() && first.url.is_some());
    assert_eq!(first.id.len(), 16);
    let (docs, errors) = ingest(&path);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(docs > 1000, "{docs}");
}

/// About 3–4 s in the test profile on 2 cores, so not `#[ignore]`d.
#[test]
fn all_files_read_26368_documents_without_errors() {
    let files = files();
    if files.is_empty() {
        return;
    }
    let start = Instant::now();
    let mut total = 0;
    let mut all_errors = Vec::new();
    for path in &files {
        let (docs, errors) = ingest(path);
        total += docs;
        all_errors.extend(errors);
    }
    eprintln!("SaudiNewsNet: {total} documents from {} files in {:.2?}", files.len(), start.elapsed());
    assert!(all_errors.is_empty(), "{:?}", &all_errors[..all_errors.len().min(10)]);
    assert_eq!(total, 26_368);
}
