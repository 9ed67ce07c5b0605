//! Prints what the readers make of files, and what cleaning removes.
//! `cargo run -p marsad-ingest --example show -- FILE…`
fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let found = marsad_ingest::discover(&paths);
    for e in &found.skipped {
        eprintln!("{e}");
    }
    for path in &found.files {
        marsad_ingest::read_file(path, &mut |r| match r {
            Ok(doc) => {
                let c = marsad_ingest::clean(doc);
                let s = &c.source;
                println!("== {} id={} format={}", s.origin, s.id, s.format.as_str());
                println!(
                    "title={:?} author={:?} date={:?} source={:?} url={:?} note={:?}",
                    s.title, s.author, s.date, s.source, s.url, s.encoding_note
                );
                for p in &c.paragraphs {
                    println!("  | {}", p.chars().take(100).collect::<String>());
                }
                for r in &c.removed {
                    println!("  - [{}] {}", r.reason.describe(), r.text.chars().take(100).collect::<String>());
                }
            }
            Err(e) => println!("!! {e}"),
        });
    }
}
