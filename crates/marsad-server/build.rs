//! Rebuild when anything under `assets/` changes: release builds embed the
//! folder (rust-embed), and cargo does not otherwise notice a new file.
fn main() {
    println!("cargo:rerun-if-changed=assets");
    println!("cargo:rerun-if-changed=src/openapi.json");
}
