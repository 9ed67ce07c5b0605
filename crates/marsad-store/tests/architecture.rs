//! The invariants `ARCHITECTURE.md` states about who may use whom, checked
//! on the source so they cannot rot: a change that breaks one fails here
//! with the file and the line.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The code lines of a Rust file (comment lines left out).
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().enumerate().map(|(i, l)| (i + 1, l.trim().to_string())).filter(|(_, l)| !l.starts_with("//")).collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules that keep one corpus view each never use one another: each
/// reads its inputs (the per-document tables, the entity tables through
/// `views`) and writes only its own tables; `views::refresh_views`
/// orchestrates them and hands one stage's output to the next.
#[test]
fn corpus_view_modules_never_use_each_other() {
    let views = ["entity_view", "timeline_view", "graph_view", "reuse", "stories"];
    let src = workspace().join("crates/marsad-store/src");
    let mut broken = Vec::new();
    for module in views {
        let path = src.join(format!("{module}.rs"));
        for (n, line) in code_lines(&path) {
            for other in views.iter().filter(|&&o| o != module) {
                let uses = line.starts_with(&format!("use crate::{other}"))
                    || line.contains(&format!("crate::{other}::"))
                    || line.contains(&format!("super::{other}::"));
                if uses {
                    broken.push(format!("{}:{n}: {line}", path.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "a corpus view module uses another:\n{}", broken.join("\n"));
}

/// The text layer and the understanding crates know nothing of storage:
/// no dependency on the store, SQLite or the search index.
#[test]
fn libraries_below_the_store_do_not_depend_on_storage() {
    for krate in ["marsad-text", "marsad-ingest", "marsad-extract", "marsad-reuse", "marsad-stories"] {
        let path = workspace().join("crates").join(krate).join("Cargo.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let deps = text.split("[dependencies]").nth(1).unwrap_or("").split("\n[").next().unwrap_or("");
        for forbidden in ["marsad-store", "rusqlite", "tantivy"] {
            assert!(
                !deps.lines().any(|l| l.trim_start().starts_with(forbidden)),
                "{} depends on {forbidden}",
                path.display()
            );
        }
    }
}

/// The pure crates do no I/O: no files, no network, no database. (Reading
/// a file is the caller's job; a function over strings is testable on a
/// string.)
#[test]
fn pure_crates_do_no_io() {
    for krate in ["marsad-text", "marsad-extract", "marsad-reuse", "marsad-stories"] {
        let mut files = Vec::new();
        rust_files(&workspace().join("crates").join(krate).join("src"), &mut files);
        let mut broken = Vec::new();
        for path in &files {
            for (n, line) in code_lines(path) {
                if ["std::fs", "std::net", "rusqlite", "tantivy::", "File::open"].iter().any(|w| line.contains(w)) {
                    broken.push(format!("{}:{n}: {line}", path.display()));
                }
            }
        }
        assert!(broken.is_empty(), "{krate} does I/O:\n{}", broken.join("\n"));
    }
}

/// One place for Arabic marks: the diacritic range (U+064B…) is written in
/// `marsad-text`'s normalization table only; every other crate asks
/// `marsad_text::normalize::{is_mark, is_removed}`, so the crates cannot
/// come to disagree about what a mark is.
#[test]
fn arabic_marks_are_defined_once() {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(workspace().join("crates")).unwrap() {
        let src = entry.unwrap().path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    let home = workspace().join("crates/marsad-text/src/normalize.rs");
    let mut broken = Vec::new();
    for path in files.iter().filter(|p| p.canonicalize().ok() != home.canonicalize().ok()) {
        for (n, line) in code_lines(path) {
            let lower = line.to_ascii_lowercase();
            if ["0x064b", "u{064b}", "u{64b}", "0x64b"].iter().any(|p| lower.contains(p)) {
                broken.push(format!("{}:{n}: {line}", path.display()));
            }
        }
    }
    assert!(broken.is_empty(), "Arabic marks written outside marsad_text::normalize:\n{}", broken.join("\n"));
}
