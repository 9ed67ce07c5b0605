//! Prints what Marsad extracts from a text: `cargo run -p marsad-extract --example analyze -- [DATE] < article.txt`.
use std::io::Read;

fn main() {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).expect("read stdin");
    let date = std::env::args().nth(1);
    let a = marsad_extract::analyze_document(&marsad_extract::DocumentInput {
        text: &text,
        title: None,
        date: date.as_deref(),
    });
    for e in &a.entities {
        println!("{:<13} {} | roles: {:?} | variants: {:?}", e.entity_type.as_str(), e.name, e.roles, e.variants);
    }
    for q in &a.quotes {
        println!("QUOTE {} [{}] {}", q.speaker_text, if q.direct { "direct" } else { "reported" }, q.text);
    }
    for d in &a.dates {
        println!("DATE {} -> {:?} {:?}", d.text, d.value, d.granularity);
    }
    for e in &a.events {
        println!("EVENT {} {} {}", e.date, e.event_type, e.title);
    }
}
