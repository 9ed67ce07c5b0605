//! The contract of every recorded passage, whatever the input:
//! `similarity` (matched words over the longer span's words) is in [0, 1];
//! both spans have at least `passage_min_words` words; each span covers a
//! whole sentence on both sides, or on one side when it is long (≥ 20
//! words); a repeat's two copies do not overlap. And `groups()` only
//! averages such rows.
//!
//! Regression: snapping a chain's ends inwards to sentence boundaries used
//! to keep the chain's matched-word count, so a chain made of the end of
//! one long sentence and the start of the next around a short line that
//! differs (numbered list items) came out as the short line alone, 3 words
//! against 3, with similarity 3.3.

use marsad_reuse::{PassageRow, ReuseConfig, ReuseIndex};
use marsad_text::{split_sentences, tokenize, TokenKind};
use proptest::prelude::*;

fn word_count(text: &str) -> u32 {
    tokenize(text).iter().filter(|t| t.kind != TokenKind::Punct).count() as u32
}

/// Whether bytes `start..end` of `text` hold a whole sentence with a word.
fn holds_sentence(text: &str, start: u32, end: u32) -> bool {
    split_sentences(text)
        .into_iter()
        .any(|r| r.start >= start as usize && r.end <= end as usize && word_count(&text[r]) > 0)
}

fn check_row(texts: &[String], p: &PassageRow, min_words: u32) {
    let ta = &texts[p.a.0 as usize];
    let tb = &texts[p.b.0 as usize];
    let sa = ta.get(p.a.1 as usize..p.a.2 as usize).expect("a span on char boundaries");
    let sb = tb.get(p.b.1 as usize..p.b.2 as usize).expect("b span on char boundaries");
    assert!(
        p.similarity.is_finite() && (0.0..=1.0).contains(&p.similarity),
        "similarity out of [0, 1]: {p:?}\n A: {sa:?}\n B: {sb:?}"
    );
    assert!(
        p.words.0 >= min_words && p.words.1 >= min_words,
        "span under {min_words} words: {p:?}\n A: {sa:?}\n B: {sb:?}"
    );
    assert_eq!(
        (word_count(sa), word_count(sb)),
        p.words,
        "word counts do not match the spans: {p:?}\n A: {sa:?}\n B: {sb:?}"
    );
    let (whole_a, whole_b) = (holds_sentence(ta, p.a.1, p.a.2), holds_sentence(tb, p.b.1, p.b.2));
    assert!(
        whole_a && whole_b || (whole_a || whole_b) && p.words.0.min(p.words.1) >= 20,
        "no whole sentence (a: {whole_a}, b: {whole_b}): {p:?}\n A: {sa:?}\n B: {sb:?}"
    );
    if p.a.0 == p.b.0 {
        assert!(p.a.2 <= p.b.1, "repeat overlaps itself: {p:?}\n A: {sa:?}\n B: {sb:?}");
    }
}

fn check(texts: &[String]) -> ReuseIndex {
    let mut index = ReuseIndex::new();
    let min_words = ReuseConfig::default().passage_min_words;
    for (i, t) in texts.iter().enumerate() {
        let found = index.add_document(&format!("d{i}"), Some("2020-01-01"), t);
        for p in &found.passages {
            assert!((0.0..=1.0).contains(&p.similarity), "{p:?}");
            assert!(word_count(&p.here.text) >= min_words, "{p:?}");
            assert!(word_count(&p.there.text) >= min_words, "{p:?}");
        }
    }
    for p in index.passages() {
        check_row(texts, p, min_words);
    }
    for g_min in [1, min_words, 8] {
        for g in index.groups(g_min) {
            assert!((0.0..=1.0).contains(&g.similarity), "{g:?}");
            assert!(g.occurrences.len() >= 2, "{g:?}");
            for o in &g.occurrences {
                let t = &texts[o.doc[1..].parse::<usize>().unwrap()];
                assert_eq!(t.get(o.start..o.end), Some(o.text.as_str()));
                assert!(word_count(&o.text) >= min_words.max(g_min), "{g:?}");
            }
        }
    }
    index
}

const VOCAB: [&str; 24] = [
    "قال",
    "الرئيس",
    "والرئيس",
    "إن",
    "المحادثات",
    "السداسية",
    "هي",
    "الطريقة",
    "الوحيدة",
    "كوريا",
    "الوزير",
    "أعلن",
    "المجلس",
    "جلسة",
    "اليوم",
    "أمس",
    "بلاده",
    "الحكومة",
    "1-",
    "2-",
    "3-",
    "7-",
    "6-",
    "الشمالية",
];

/// Sentences over a small vocabulary (so that reuse happens a lot), short
/// numbered lines among them, and whole sentences repeated.
fn document() -> impl Strategy<Value = String> {
    let sentence = prop::collection::vec(0..VOCAB.len(), 1..16)
        .prop_map(|ws| ws.iter().map(|&w| VOCAB[w]).collect::<Vec<_>>().join(" "));
    let end = prop_oneof![Just(".\n"), Just(". "), Just("\n"), Just("، "), Just("! ")];
    prop::collection::vec((sentence, end, 0..4usize), 1..24).prop_map(|parts| {
        let mut out = String::new();
        let mut done: Vec<String> = Vec::new();
        for (s, e, again) in parts {
            // Sometimes repeat an earlier sentence, to make in-document
            // repeats and long chains.
            let s = match again {
                0 if !done.is_empty() => done[s.len() % done.len()].clone(),
                _ => s,
            };
            out.push_str(&s);
            out.push_str(e);
            done.push(s);
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn recorded_passages_keep_the_contract(texts in prop::collection::vec(document(), 1..5)) {
        check(&texts);
    }

    #[test]
    fn documents_that_share_a_block_keep_the_contract(
        shared in document(),
        heads in prop::collection::vec(document(), 2..4),
        tails in prop::collection::vec(document(), 2..4),
    ) {
        let texts: Vec<String> = heads
            .iter()
            .zip(&tails)
            .map(|(h, t)| format!("{h}\n{shared}\n{t}\n{shared}"))
            .collect();
        check(&texts);
    }
}

/// Eight made-up words, distinct for each tag, to fill a long sentence
/// (letters only: a digit would be a word of its own, shared by all).
fn filler(tag: &str) -> String {
    "بتثجحخذز".chars().map(|c| format!("كلمة{tag}{c}")).collect::<Vec<_>>().join(" ")
}

#[test]
fn short_numbered_lines_between_partly_repeated_sentences() {
    // The same five words end two different long sentences, each followed
    // by a different numbered line, then the same five words start two
    // different long sentences: one chain of ten matched words around two
    // three-word lines that differ. Snapped inwards, nothing matched is
    // left, so there is no passage there.
    let tail = "في مدينة الرياض صباح اليوم";
    let head = "وأكد المنظمون أن الدورة المقبلة";
    let quote = "قال رئيس اللجنة المنظمة إن المعرض سيبقى مفتوحا للزوار حتى نهاية الشهر الجاري.";
    let text = format!(
        "{} {tail}.\n7- سليم البرقاوي\n{head} {}.\n{quote}\n\
         {} {tail}.\n6- ماهر الدباغ\n{head} {}.\n{quote}\n",
        filler("ا"),
        filler("ب"),
        filler("ج"),
        filler("د"),
    );
    let texts = vec![text.clone()];
    let index = check(&texts);
    let rows = index.passages();
    // The repeated quote is still found, and nothing else.
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let p = rows[0];
    assert_eq!(&text[p.a.1 as usize..p.a.2 as usize], quote);
    assert_eq!(&text[p.b.1 as usize..p.b.2 as usize], quote);
    assert_eq!(p.similarity, 1.0);
}

#[test]
fn numbered_list_repeated_in_one_document() {
    let intro = "وهذه قائمة بأبرز الفائزين بجوائز المسابقة في دورتها الأخيرة كما أعلنتها اللجنة.";
    let names = [
        "سليم البرقاوي",
        "ماهر الدباغ",
        "نادر الصفدي",
        "عادل المنصوري",
        "رامي الخياط",
        "باسل القباني",
        "شادي العمري",
        "حازم الزعبي",
    ];
    let list = |order: &[usize]| order.iter().map(|&i| format!("{}- {}\n", i + 1, names[i])).collect::<String>();
    let forward: Vec<usize> = (0..names.len()).collect();
    let backward: Vec<usize> = (0..names.len()).rev().collect();
    let text = format!(
        "{intro}\n{}وتقام الدورة المقبلة في الربيع بمشاركة أوسع من المعتاد.\n{}{intro}\n{}",
        list(&forward),
        list(&backward),
        list(&forward),
    );
    let texts = vec![text.clone()];
    let index = check(&texts);
    // The intro and the list after it are found repeated, as one passage.
    assert!(
        index.passages().iter().any(|p| {
            let a = &text[p.a.1 as usize..p.a.2 as usize];
            a.starts_with("وهذه قائمة") && a.contains(names[names.len() - 1])
        }),
        "{:#?}",
        index.passages()
    );
}
