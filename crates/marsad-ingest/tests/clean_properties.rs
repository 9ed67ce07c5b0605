//! Properties of cleaning on arbitrary bodies.

use marsad_ingest::{clean, Format, SourceDocument};
use proptest::prelude::*;

fn doc(body: String) -> SourceDocument {
    SourceDocument {
        id: "p".into(),
        title: None,
        source: None,
        url: None,
        author: None,
        date: None,
        raw: body.clone(),
        body,
        origin: "prop".into(),
        format: Format::Text,
        encoding_note: None,
    }
}

/// Lines mixing article-like words, boilerplate phrases, repeats and noise.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("اترك تعليق".to_string()),
        Just("اقرأ المزيد".to_string()),
        Just("Related Nodes field".to_string()),
        Just("الأخبار العاجلة".to_string()),
        Just("• رابط أول | رابط ثان | رابط ثالث".to_string()),
        Just("وقال المتحدث إن الاجتماع المقبل سيعقد في العاصمة خلال الأسبوع المقبل.".to_string()),
        Just("الاجتماع المقبل سيعقد في العاصمة خلال الأسبوع المقبل".to_string()),
        Just("   ".to_string()),
        Just(String::new()),
        "[ \\tا-ي٠-٩a-z.،:!«»\u{064B}-\u{0652}\r]{0,60}",
        any::<String>(),
    ]
}

/// The non-empty lines of a body, trimmed, with their byte starts.
fn lines_with_starts(body: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in body.split('\n') {
        let lead = line.len() - line.trim_start().len();
        if !line.trim().is_empty() {
            out.push((start + lead, line.trim()));
        }
        start += line.len() + 1;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_line_is_kept_or_removed_exactly(lines in prop::collection::vec(line(), 0..40)) {
        let body = lines.join("\n");
        let cleaned = clean(doc(body.clone()));
        for removal in &cleaned.removed {
            prop_assert_eq!(&body[removal.span.clone()], removal.text.as_str());
        }
        let all = lines_with_starts(&body);
        prop_assert_eq!(cleaned.paragraphs.len() + cleaned.removed.len(), all.len());
        // Walking the body's lines in order: each is either the next removal
        // (same start) or the next kept paragraph.
        let mut removed = cleaned.removed.iter().peekable();
        let mut kept = cleaned.paragraphs.iter();
        let mut removed_index = std::collections::HashSet::new();
        for (i, (start, text)) in all.iter().enumerate() {
            if removed.peek().is_some_and(|r| r.span.start == *start) {
                removed.next();
                removed_index.insert(i);
            } else {
                prop_assert_eq!(kept.next().map(String::as_str), Some(*text));
            }
        }
        prop_assert!(removed.next().is_none() && kept.next().is_none());
        // A repeat names a paragraph that was kept.
        for removal in &cleaned.removed {
            if let marsad_ingest::RemovalReason::RepeatedParagraph { of } = removal.reason {
                prop_assert!(of < all.len() && !removed_index.contains(&of));
            }
        }
        prop_assert_eq!(cleaned.text, cleaned.paragraphs.join("\n"));
    }

    #[test]
    fn clean_never_panics_on_any_text(body in any::<String>()) {
        let _ = clean(doc(body));
    }
}
