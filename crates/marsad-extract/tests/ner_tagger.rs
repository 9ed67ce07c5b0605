//! The shipped tagger on arbitrary input (never panics, deterministic) and
//! on the real seed articles.

use marsad_extract::ner::Tagger;
use marsad_extract::EntityType;
use proptest::prelude::*;

fn tag(text: &str) -> Vec<(String, EntityType)> {
    let tokens = marsad_text::tokenize(text);
    Tagger::default_model().tag(text, &tokens).into_iter().map(|s| (text[s.span].to_owned(), s.entity_type)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn tag_never_panics_and_spans_fit(text in "(\\PC|[ \\n.،؟بوتينموسكوالرئيس0-9a-z]){0,200}") {
        let tokens = marsad_text::tokenize(&text);
        let spans = Tagger::default_model().tag(&text, &tokens);
        for s in &spans {
            prop_assert!(s.tokens.start < s.tokens.end && s.tokens.end <= tokens.len());
            prop_assert!(text.get(s.span.clone()).is_some());
        }
        prop_assert_eq!(spans, Tagger::default_model().tag(&text, &tokens));
    }

    #[test]
    fn tag_words_gives_one_valid_tag_per_word(words in proptest::collection::vec("\\PC{0,8}", 0..40)) {
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let tags = Tagger::default_model().tag_words(&refs);
        prop_assert_eq!(tags.len(), words.len());
        for (i, t) in tags.iter().enumerate() {
            if let Some(ty) = t.strip_prefix("I-") {
                prop_assert!(i > 0 && tags[i - 1].ends_with(ty));
            }
        }
    }
}

#[test]
fn lowercase_latin_is_not_an_entity() {
    let found = tag("Five real Arabic news articles about the Russia summit, read more");
    assert!(found.is_empty(), "found {found:?}");
}

#[test]
fn odd_inputs() {
    for text in ["", " ", "....", "،،،", "12345 678", "Hello World", "\n\n\n", &"بوتين ".repeat(20_000)] {
        let _ = tag(text);
    }
    // Mismatched tokens must not panic either.
    let tokens = marsad_text::tokenize("فلاديمير بوتين في موسكو");
    let _ = Tagger::default_model().tag("", &tokens);
}

#[test]
fn tags_a_news_sentence() {
    let found = tag("وقال الرئيس الروسي فلاديمير بوتين في موسكو إن كوريا الشمالية شريك مهم.");
    assert!(found.contains(&("فلاديمير بوتين".into(), EntityType::Person)), "{found:?}");
    assert!(found.contains(&("موسكو".into(), EntityType::Place)), "{found:?}");
    assert!(found.contains(&("كوريا الشمالية".into(), EntityType::Place)), "{found:?}");
}

fn is_seed_article(p: &std::path::Path) -> bool {
    p.extension().is_some_and(|e| e == "txt")
        && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
}

/// Runs over the real seed articles (skipped when absent) and prints what
/// it finds; checks the names every reader would.
#[test]
fn seed_articles() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipping: {dir} not found");
        return;
    };
    let mut found = Vec::new();
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths.iter().filter(|p| is_seed_article(p)) {
        let text = std::fs::read_to_string(p).unwrap_or_default();
        let spans = tag(&text);
        eprintln!("{}: {:?}", p.display(), spans);
        found.extend(spans.into_iter().map(|(s, t)| (marsad_extract::display_name(&s), t)));
    }
    if found.is_empty() {
        eprintln!("skipping: no seed articles");
        return;
    }
    let has = |name: &str, ty: EntityType| {
        found
            .iter()
            .any(|(s, t)| *t == ty && (s == name || s.ends_with(name) && s.chars().count() <= name.chars().count() + 2))
    };
    let mut missing = Vec::new();
    for (name, ty) in [
        ("فلاديمير بوتين", EntityType::Person),
        ("كيم جونغ أون", EntityType::Person),
        ("ديمتري بيسكوف", EntityType::Person),
        ("سيرغي شويغو", EntityType::Person),
        ("كوريا الشمالية", EntityType::Place),
        ("موسكو", EntityType::Place),
        ("الكرملين", EntityType::Organization),
    ] {
        if !has(name, ty) {
            missing.push((name, ty));
        }
    }
    assert!(missing.is_empty(), "not found in the seeds: {missing:?}");
}
