//! The text layer on the five reference articles of `shared/corpus/seeds`.
//!
//! The articles are read at test time, never copied into the project; when
//! the shared directory is absent (a checkout without it) the tests say so
//! and pass.

use std::path::{Path, PathBuf};

use marsad_text::{analyze, normalize, split_sentences, tokenize, TokenKind};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");

/// The seed articles as (file name, text), or `None` when absent.
fn seeds() -> Option<Vec<(String, String)>> {
    let dir = Path::new(SEEDS);
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipping: {SEEDS} is absent");
        return None;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter(|p| p.file_name().is_some_and(|n| n != "SOURCE.txt"))
        .collect();
    paths.sort();
    let seeds: Vec<(String, String)> = paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect();
    assert!(!seeds.is_empty(), "no seed articles in {SEEDS}");
    Some(seeds)
}

#[test]
fn an_initial_does_not_end_a_sentence() {
    let Some(seeds) = seeds() else { return };
    let Some((_, text)) = seeds.iter().find(|(name, _)| name.starts_with("003")) else {
        eprintln!("skipping: seed 003 is absent");
        return;
    };
    let sentences = split_sentences(text);
    let with_initial: Vec<&str> = sentences.iter().map(|r| &text[r.clone()]).filter(|s| s.contains("سنايدر")).collect();
    assert_eq!(with_initial.len(), 1, "{with_initial:#?}");
    let sentence = with_initial[0];
    assert!(sentence.contains("سكوت أ. سنايدر"), "{sentence}");
    assert!(sentence.starts_with("وقال"), "the sentence starts with its verb: {sentence}");
    assert!(sentence.contains("للغاية"), "the quote that follows is in the same sentence: {sentence}");
}

#[test]
fn sentences_partition_every_seed() {
    let Some(seeds) = seeds() else { return };
    for (name, text) in &seeds {
        let sentences = split_sentences(text);
        assert!(sentences.len() > 10, "{name}: only {} sentences", sentences.len());
        let mut covered = vec![false; text.len()];
        let mut prev_end = 0;
        for r in &sentences {
            assert!(r.start >= prev_end && r.start < r.end, "{name}: {r:?}");
            let s = &text[r.clone()];
            assert_eq!(s, s.trim(), "{name}: untrimmed {s:?}");
            assert!(!s.contains('\n'), "{name}: a sentence spans paragraphs: {s:?}");
            covered[r.clone()].iter_mut().for_each(|b| *b = true);
            prev_end = r.end;
        }
        for (i, c) in text.char_indices() {
            assert!(covered[i] || c.is_whitespace(), "{name}: {c:?} at {i} in no sentence");
        }
        // Decimal numbers and initials never end a sentence.
        for r in &sentences {
            let s = &text[r.clone()];
            let last_word =
                s.trim_end_matches(['.', '!', '?', '؟', '…', '"', '”', '»']).rsplit(' ').next().unwrap_or("");
            assert!(last_word.chars().count() != 1 || !s.ends_with('.'), "{name}: ends after an initial: {s:?}");
        }
    }
}

#[test]
fn analysis_of_every_seed_has_valid_spans() {
    let Some(seeds) = seeds() else { return };
    for (name, text) in &seeds {
        let mut terms = 0;
        let mut last_position = None;
        let mut last_start = 0;
        analyze(text, |t| {
            terms += 1;
            assert!(!t.text.is_empty(), "{name}");
            assert!(t.span.start < t.span.end && t.span.end <= text.len(), "{name}: {:?}", t.span);
            let surface =
                text.get(t.span.clone()).unwrap_or_else(|| panic!("{name}: {:?} not on char boundaries", t.span));
            assert!(!surface.trim().is_empty() && surface.trim() == surface, "{name}: {surface:?}");
            assert!(t.span.start >= last_start, "{name}: spans out of order");
            if let Some(p) = last_position {
                assert!(t.position > p, "{name}: positions must increase");
            }
            last_position = Some(t.position);
            last_start = t.span.start;
        });
        assert!(terms > 300, "{name}: only {terms} terms");
    }
}

#[test]
fn known_words_of_the_seeds_analyze_as_expected() {
    let Some(seeds) = seeds() else { return };
    let all: String = seeds.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("\n");
    let mut found = std::collections::HashMap::<String, usize>::new();
    analyze(&all, |t| *found.entry(t.text.to_owned()).or_default() += 1);
    for term in ["بوتين", "كيم", "موسكو", "كوريا", "روسيا", "فلاديفوستوك", "وزير"]
    {
        assert!(found.contains_key(term), "{term} missing from the seeds' terms");
    }
    for wrong in ["زير", "وتين", "وريا"] {
        assert!(!found.contains_key(wrong), "{wrong}: a word was split wrongly");
    }
}

#[test]
fn tokens_and_normalization_map_back_on_every_seed() {
    let Some(seeds) = seeds() else { return };
    for (name, text) in &seeds {
        for t in tokenize(text) {
            assert!(text.get(t.span.clone()).is_some(), "{name}: {:?}", t.span);
            if t.kind == TokenKind::Word {
                assert!(!t.base().is_empty());
            }
        }
        let norm = normalize(text);
        let r = norm.original_range(0..norm.as_str().len());
        assert!(r.start <= r.end && r.end <= text.len());
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "{name}");
    }
}
