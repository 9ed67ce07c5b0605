use super::*;

fn sentence(pairs: &[(&str, &str)]) -> ConllSentence {
    ConllSentence {
        words: pairs.iter().map(|(w, _)| (*w).to_owned()).collect(),
        tags: pairs.iter().map(|(_, t)| (*t).to_owned()).collect(),
    }
}

fn toy_corpus() -> Vec<ConllSentence> {
    let mut out = Vec::new();
    for (first, last, city) in [
        ("فلاديمير", "بوتين", "موسكو"),
        ("دونالد", "ترامب", "واشنطن"),
        ("كيم", "جونغ", "بيونغ"),
        ("محمد", "علي", "القاهرة"),
    ] {
        out.push(sentence(&[
            ("قال", "O"),
            ("الرئيس", "O"),
            (first, "B-PERS"),
            (last, "I-PERS"),
            ("في", "O"),
            (city, "B-LOC"),
            ("إن", "O"),
            ("الأمم", "B-ORG"),
            ("المتحدة", "I-ORG"),
            ("فشلت", "O"),
            (".", "O"),
        ]));
    }
    out
}

#[test]
fn chunks_follow_conlleval() {
    // B-PERS I-PERS O I-LOC I-LOC B-LOC I-ORG
    let tags = [1, 2, 0, 4, 4, 3, 6];
    let c = chunks(tags.into_iter());
    let spans: Vec<(usize, usize)> = c.iter().map(|c| (c.start, c.end)).collect();
    assert_eq!(spans, [(0, 2), (3, 5), (5, 6), (6, 7)]);
    assert_eq!(c[3].entity_type, EntityType::Organization);
}

#[test]
fn viterbi_never_outputs_invalid_iob2() {
    // Emissions that greedily would say I-LOC first.
    let emissions = vec![[0.0, 0.0, 0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0]; 3];
    let transitions = vec![0.0; (NUM_TAGS + 1) * NUM_TAGS];
    let (mut back, mut tags) = (Vec::new(), Vec::new());
    viterbi(&emissions, &transitions, &mut back, &mut tags);
    let mut prev = START;
    for &t in &tags {
        assert!(transition_allowed(prev, t as usize), "{tags:?}");
        prev = t as usize;
    }
}

#[test]
fn learns_a_toy_corpus_and_round_trips() {
    let data = toy_corpus();
    let mut epochs_seen = 0;
    let tagger = train(&data, &TrainOptions { epochs: 5, prune_below: 0.0, ..Default::default() }, |p| {
        epochs_seen = p.epoch;
    });
    assert_eq!(epochs_seen, 5);
    let report = evaluate(&tagger, &data);
    assert_eq!(report.micro.f1, 1.0, "{report}");
    let bytes = tagger.to_bytes();
    let loaded = Tagger::from_bytes(&bytes).unwrap();
    assert_eq!(loaded.to_bytes(), bytes);
    let words: Vec<&str> = data[0].words.iter().map(String::as_str).collect();
    assert_eq!(loaded.tag_words(&words), data[0].tags);
    // Deterministic training.
    let again = train(&data, &TrainOptions { epochs: 5, prune_below: 0.0, ..Default::default() }, |_| {});
    assert_eq!(again.to_bytes(), bytes);
}

#[test]
fn from_bytes_rejects_garbage_with_typed_errors() {
    let tagger = train(&toy_corpus(), &TrainOptions { epochs: 2, ..Default::default() }, |_| {});
    let bytes = tagger.to_bytes();
    assert_eq!(Tagger::from_bytes(b"").unwrap_err(), NerError::BadMagic);
    assert_eq!(Tagger::from_bytes(b"hello world").unwrap_err(), NerError::BadMagic);
    assert!(matches!(Tagger::from_bytes(&bytes[..bytes.len() - 1]), Err(NerError::Length { .. } | NerError::Checksum)));
    assert!(matches!(Tagger::from_bytes(&bytes[..12]), Err(NerError::Length { .. })));
    let mut flipped = bytes.clone();
    let last_weight = flipped.len() - 9;
    flipped[last_weight] ^= 1;
    assert_eq!(Tagger::from_bytes(&flipped).unwrap_err(), NerError::Checksum);
    let mut version = bytes.clone();
    version[8] = 99;
    assert!(matches!(Tagger::from_bytes(&version), Err(NerError::FormatVersion { found: 99, .. })));
    // Every truncation fails cleanly.
    for n in 0..bytes.len().min(600) {
        assert!(Tagger::from_bytes(&bytes[..n]).is_err());
    }
}

#[test]
fn tag_spans_point_into_the_text() {
    let tagger = train(&toy_corpus(), &TrainOptions { epochs: 5, prune_below: 0.0, ..Default::default() }, |_| {});
    let text = "قال الرئيس فلاديمير بوتين في موسكو إن الأمم المتحدة فشلت.\nوقال الرئيس دونالد ترامب";
    let tokens = marsad_text::tokenize(text);
    let spans = tagger.tag(text, &tokens);
    let found: Vec<(&str, EntityType)> = spans.iter().map(|s| (&text[s.span.clone()], s.entity_type)).collect();
    assert!(found.contains(&("فلاديمير بوتين", EntityType::Person)), "{found:?}");
    assert!(found.contains(&("موسكو", EntityType::Place)), "{found:?}");
    assert!(found.contains(&("الأمم المتحدة", EntityType::Organization)), "{found:?}");
    for s in &spans {
        assert_eq!(s.span.start, tokens[s.tokens.start].span.start);
        assert_eq!(s.span.end, tokens[s.tokens.end - 1].span.end);
    }
}

#[test]
fn split_dev_takes_the_last_fraction() {
    let data: Vec<ConllSentence> = (0..12).map(|i| sentence(&[(&i.to_string(), "O")])).collect();
    let (train, dev) = split_dev(&data, 1.0 / 6.0);
    assert_eq!((train.len(), dev.len()), (10, 2));
    assert_eq!(dev[0].words[0], "10");
    assert_eq!(split_dev(&data, f64::NAN).1.len(), 0);
    assert_eq!(split_dev(&data, 7.0).1.len(), 12);
}

#[test]
fn the_shipped_model_loads() {
    let tagger = Tagger::from_bytes(DEFAULT_MODEL).expect("data/models/ner-ar.bin loads");
    assert!(tagger.feature_count() > 1000);
}
