//! Fuzzes the whole per-document extraction: any text, any metadata date.
//! Checks the invariants the store relies on, beyond "does not panic":
//! every span is on character boundaries and its text is what it says.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marsad_extract::{analyze_document, DocumentInput};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (date, text) = match text.split_once('\u{1}') {
        Some((d, t)) => (Some(d), t),
        None => (None, text.as_ref()),
    };
    let a = analyze_document(&DocumentInput { text, title: None, date });
    for m in &a.mentions {
        assert!(text.get(m.span.clone()).is_some());
        assert!(m.entity < a.entities.len());
    }
    for q in &a.quotes {
        assert_eq!(text.get(q.span.clone()), Some(q.text.as_str()));
    }
    for d in &a.dates {
        assert_eq!(text.get(d.span.clone()), Some(d.text.as_str()));
    }
    for e in &a.events {
        assert!(e.actors.iter().all(|&x| x < a.entities.len()));
    }
});
