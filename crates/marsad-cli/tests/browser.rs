//! The web UI in a real browser: runs the Playwright suite of
//! `crates/marsad-server/tests/browser/` (headless Debian chromium, never a
//! downloaded browser) against this build's `marsad serve` on the seed
//! corpus, so `cargo test --workspace` covers the UI too.
//!
//! Skips with a message when chromium, node or the seed corpus is missing,
//! unless `MARSAD_BROWSER_REQUIRED=1` (CI sets it, after installing
//! chromium). Screenshots stay in `crates/marsad-server/tests/browser/artifacts/`.

use std::path::Path;
use std::process::Command;

#[test]
fn web_ui_in_headless_chromium() {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("../marsad-server/tests/browser/run.sh");
    let out = Command::new("bash")
        .arg(&suite)
        .env("MARSAD_BIN", env!("CARGO_BIN_EXE_marsad"))
        .output()
        .expect("run the browser suite");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}\n{stderr}");
    assert!(out.status.success(), "browser tests failed:\n{stdout}\n{stderr}");
}
