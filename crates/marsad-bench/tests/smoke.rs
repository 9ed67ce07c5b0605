//! `bench/run --smoke` inside `cargo test --workspace`: the benchmark harness,
//! Marsad's side and every peer (PyStemmer, PostgreSQL 15, SQLite FTS5,
//! dateparser) on tiny inputs, so the harness cannot rot unnoticed.
//!
//! It uses the binaries this test run already built (`marsad-bench` here,
//! `marsad` from marsad-cli in the same target directory), so it needs no
//! release build. It skips, saying why, when something is missing: the
//! `marsad` binary (run `cargo test --workspace`, not `-p marsad-bench`
//! alone), python3, or one of the peers (`python3 bench/peers.py check`;
//! `bench/run` installs them). The shared corpora are optional: without
//! them the smoke run covers the demo corpus only.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Says why the smoke run cannot happen here; a failure instead when
/// `MARSAD_BENCH_REQUIRED=1` (CI sets it after installing the peers).
fn skip(why: String) {
    if std::env::var_os("MARSAD_BENCH_REQUIRED").is_some_and(|v| v == "1") {
        panic!("bench smoke required but impossible: {why}");
    }
    eprintln!("skipping bench smoke: {why}");
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

#[test]
fn bench_run_smoke() {
    let bench_bin = PathBuf::from(env!("CARGO_BIN_EXE_marsad-bench"));
    let bin_dir = bench_bin.parent().expect("binary directory").to_path_buf();
    let marsad = bin_dir.join(format!("marsad{}", std::env::consts::EXE_SUFFIX));
    if !marsad.exists() {
        skip(format!("{} not built (cargo test --workspace builds it)", marsad.display()));
        return;
    }
    let root = repo();
    let check = match Command::new("python3").arg("bench/peers.py").arg("check").current_dir(&root).output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).to_string(),
        Ok(out) => {
            skip(format!("bench/peers.py check failed: {}", String::from_utf8_lossy(&out.stderr)));
            return;
        }
        Err(e) => {
            skip(format!("no python3 ({e})"));
            return;
        }
    };
    let peers: serde_json::Value = serde_json::from_str(check.trim()).expect("peers.py check prints JSON");
    let missing: Vec<&str> = peers
        .as_object()
        .expect("object")
        .iter()
        .filter(|(_, v)| v != &&serde_json::Value::Bool(true))
        .map(|(k, _)| k.as_str())
        .collect();
    if !missing.is_empty() {
        skip(format!("peers missing here: {missing:?} (bench/run installs them)"));
        return;
    }
    let out = Command::new("bash")
        .arg("bench/run")
        .arg("--smoke")
        .arg("--no-install")
        .env("MARSAD_BENCH_BIN", &bin_dir)
        .current_dir(&root)
        .output()
        .expect("bench/run starts");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "bench/run --smoke failed\nstdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stdout.contains("smoke: ok"), "no 'smoke: ok' in:\n{stdout}");
    // Every peer that ran printed its table: the comparisons are wired up.
    for (needed, what) in [
        ("| pystemmer |", "PyStemmer"),
        ("| postgresql |", "PostgreSQL"),
        ("| sqlite-fts5 |", "SQLite FTS5"),
        ("| dateparser |", "dateparser"),
    ] {
        if root.join("../shared/corpus/saudinewsnet").exists() || what == "dateparser" {
            if what == "dateparser" && !root.join("../shared/corpus/seeds").exists() {
                continue;
            }
            assert!(stdout.contains(needed), "{what} row missing from the smoke output:\n{stdout}");
        }
    }
}
