//! What every end-to-end test of the `marsad` binary needs: running it on a
//! data directory, reading its JSON, finding the shared seed corpus.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub fn marsad(data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_marsad"));
    command.arg("--data").arg(data).env_remove("MARSAD_DATA");
    command
}

pub fn run(data: &Path, args: &[&str]) -> Output {
    marsad(data).args(args).output().expect("run marsad")
}

pub fn run_json(data: &Path, args: &[&str]) -> Value {
    let out = run(data, args);
    assert!(
        out.status.success(),
        "marsad {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("marsad {args:?} printed invalid JSON ({e}): {}", String::from_utf8_lossy(&out.stdout))
    })
}

pub fn seeds() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is absent (the shared seed corpus)", dir.display());
        None
    }
}

