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

/// Dependencies named in a crate's `[dependencies]` table.
fn dependencies(krate: &str) -> Vec<String> {
    let path = workspace().join("crates").join(krate).join("Cargo.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let deps = text.split("\n[dependencies]").nth(1).unwrap_or("").split("\n[").next().unwrap_or("");
    deps.lines().filter_map(|l| l.split(['=', ' ', '.']).next()).filter(|d| !d.is_empty()).map(str::to_string).collect()
}

/// The refresh modules, one per corpus view, never use one another: each
/// reads its inputs (the per-document tables, the entity tables through
/// `rows`) and writes only its own tables; `refresh/mod.rs` orchestrates
/// them and hands one stage's output to the next.
#[test]
fn refresh_modules_never_use_each_other() {
    let views = ["entities", "timeline", "graph", "reuse", "stories"];
    let src = workspace().join("crates/marsad-engine/src/refresh");
    let mut broken = Vec::new();
    for module in views {
        let path = src.join(format!("{module}.rs"));
        for (n, line) in code_lines(&path) {
            for other in views.iter().filter(|&&o| o != module) {
                let uses = line.contains(&format!("crate::refresh::{other}"))
                    || line.contains(&format!("super::{other}"))
                    || line.starts_with(&format!("use super::{{{other}"));
                if uses {
                    broken.push(format!("{}:{n}: {line}", path.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "a refresh module uses another:\n{}", broken.join("\n"));
}

/// Queries only read: no query module imports the refresh side (what both
/// need lives in `rows`), so answering a question can never start one.
#[test]
fn query_never_imports_refresh() {
    let mut files = Vec::new();
    rust_files(&workspace().join("crates/marsad-engine/src/query"), &mut files);
    let mut broken = Vec::new();
    for path in &files {
        for (n, line) in code_lines(path) {
            if line.contains("crate::refresh")
                || line.contains("super::super::refresh")
                || line.contains("refresh_views")
            {
                broken.push(format!("{}:{n}: {line}", path.display()));
            }
        }
    }
    assert!(broken.is_empty(), "a query module reaches the refresh side:\n{}", broken.join("\n"));
}

/// The store is persistence only: it names no crate that understands text
/// (extraction, reuse, stories) and not the engine above it, in its
/// manifest or its source.
#[test]
fn the_store_names_no_algorithm_crate() {
    let forbidden = ["marsad-extract", "marsad-reuse", "marsad-stories", "marsad-engine"];
    for dep in dependencies("marsad-store") {
        assert!(!forbidden.contains(&dep.as_str()), "marsad-store depends on {dep}");
    }
    let mut files = Vec::new();
    rust_files(&workspace().join("crates/marsad-store/src"), &mut files);
    let mut broken = Vec::new();
    for path in &files {
        for (n, line) in code_lines(path) {
            if ["marsad_extract", "marsad_reuse", "marsad_stories", "marsad_engine"].iter().any(|c| line.contains(c)) {
                broken.push(format!("{}:{n}: {line}", path.display()));
            }
        }
    }
    assert!(broken.is_empty(), "marsad-store names an algorithm crate:\n{}", broken.join("\n"));
}

/// The front ends are thin shells over one library API: the CLI, the
/// server, the evaluation and the benchmarks reach the store through the
/// engine, never around it.
#[test]
fn front_ends_go_through_the_engine() {
    for krate in ["marsad-cli", "marsad-server", "marsad-eval", "marsad-bench"] {
        let deps = dependencies(krate);
        assert!(deps.iter().any(|d| d == "marsad-engine"), "{krate} does not use marsad-engine");
        assert!(!deps.iter().any(|d| d == "marsad-store"), "{krate} uses marsad-store directly");
    }
}

/// The text layer and the understanding crates know nothing of storage:
/// no dependency on the store, SQLite or the search index.
#[test]
fn libraries_below_the_store_do_not_depend_on_storage() {
    for krate in ["marsad-text", "marsad-ingest", "marsad-extract", "marsad-reuse", "marsad-stories"] {
        let deps = dependencies(krate);
        for forbidden in ["marsad-store", "marsad-engine", "rusqlite", "tantivy"] {
            assert!(!deps.iter().any(|d| d == forbidden), "{krate} depends on {forbidden}");
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

/// One partition structure and one thread policy: `marsad_text::UnionFind`
/// is the only union-find (three crates each had their own), and the
/// engine's threads are counted in `workers.rs` only, so every parallel
/// step uses the same number of cores.
#[test]
fn one_union_find_and_one_worker_policy() {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(workspace().join("crates")).unwrap() {
        let src = entry.unwrap().path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    let home = workspace().join("crates/marsad-text/src/union_find.rs").canonicalize().unwrap();
    let workers = workspace().join("crates/marsad-engine/src/workers.rs").canonicalize().unwrap();
    let engine = workspace().join("crates/marsad-engine/src").canonicalize().unwrap();
    let mut broken = Vec::new();
    for path in &files {
        let here = path.canonicalize().unwrap();
        for (n, line) in code_lines(path) {
            let union_find = here != home && (line.contains("struct UnionFind") || line.contains("parent[parent["));
            let threads = here.starts_with(&engine) && here != workers && line.contains("available_parallelism");
            if union_find || threads {
                broken.push(format!("{}:{n}: {line}", path.display()));
            }
        }
    }
    assert!(broken.is_empty(), "a second union-find or thread policy:\n{}", broken.join("\n"));
}

/// The store's table modules (`marsad_store::tables`, one per table
/// family) never use one another: each holds the SQL of its own tables.
#[test]
fn table_modules_never_use_each_other() {
    let dir = workspace().join("crates/marsad-store/src/tables");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let modules: Vec<String> = files
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|m| m != "mod")
        .collect();
    assert!(!modules.is_empty(), "no table modules under {}", dir.display());
    let mut broken = Vec::new();
    for path in &files {
        let own = path.file_stem().unwrap().to_string_lossy().into_owned();
        for (n, line) in code_lines(path) {
            for other in modules.iter().filter(|m| **m != own) {
                if line.contains(&format!("super::{other}")) || line.contains(&format!("tables::{other}")) {
                    broken.push(format!("{}:{n}: {line}", path.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "a table module uses another:\n{}", broken.join("\n"));
}
