//! Three clearly different topics, with near-duplicate copies, make three
//! stories; and nothing panics on arbitrary input.

use marsad_extract::{analyze_document, DocumentInput};
use marsad_stories::{summarize, StoryClusterer, StoryConfig, StoryDoc, SummaryInput, SummaryOptions};
use proptest::prelude::*;

const TOPICS: [[&str; 3]; 3] = [
    [
        "ارتفعت أسعار النفط في الأسواق العالمية بعد تراجع المخزون الأمريكي وارتفع خام برنت إلى سبعين دولارا للبرميل.",
        "واصلت أسعار النفط الخام صعودها اليوم وسجل خام برنت أعلى مستوى له منذ شهرين مع تراجع المخزون.",
        "قال محللون إن أسعار النفط قد تواصل الارتفاع إذا استمر تراجع المخزون الأمريكي من الخام وبقي برنت فوق سبعين دولارا.",
    ],
    [
        "فاز المنتخب الوطني لكرة القدم على نظيره بثلاثة أهداف في المباراة النهائية للبطولة وسط حضور جماهيري كبير.",
        "احتفل لاعبو المنتخب الوطني بالفوز في المباراة النهائية بعد أن سجل المهاجم هدفين وأحرز المنتخب لقب البطولة.",
        "أشاد مدرب المنتخب الوطني بأداء اللاعبين في المباراة النهائية وقال إن الفوز بلقب البطولة ثمرة عمل الجماهير واللاعبين.",
    ],
    [
        "ضرب زلزال بقوة ست درجات المنطقة الجبلية فجر اليوم وأدى إلى انهيار عشرات المنازل وإصابة السكان.",
        "ارتفع عدد ضحايا الزلزال الذي ضرب المنطقة الجبلية وتواصل فرق الإنقاذ البحث عن السكان تحت أنقاض المنازل المنهارة.",
        "أعلنت فرق الإنقاذ انتشال ناجين من تحت أنقاض المنازل التي انهارت في الزلزال وقالت إن هزات ارتدادية ضربت المنطقة.",
    ],
];

/// Each topic's headline words: articles of one story share them.
const HEADLINES: [&str; 3] =
    ["أسعار النفط وخام برنت", "المنتخب الوطني يفوز بلقب البطولة", "الزلزال يضرب المنطقة الجبلية"];

fn docs(with_copies: bool) -> Vec<StoryDoc> {
    let mut out = Vec::new();
    // Interleaved, as a feed mixes topics.
    for i in 0..3 {
        for (t, topic) in TOPICS.iter().enumerate() {
            let id = format!("t{t}-{i}");
            out.push(StoryDoc::from_text(
                id.clone(),
                Some(&format!("2024-03-0{}", i + 1)),
                Some(HEADLINES[t]),
                topic[i],
                &[],
                None,
            ));
            if with_copies {
                // A syndicated copy with a wire prefix, marked by the reuse layer.
                let copy = format!("(وكالات) {}", topic[i]);
                out.push(StoryDoc::from_text(
                    format!("{id}-copy"),
                    Some(&format!("2024-03-0{}", i + 1)),
                    Some(HEADLINES[t]),
                    &copy,
                    &[],
                    Some(id),
                ));
            }
        }
    }
    out
}

fn cluster(docs: &[StoryDoc]) -> StoryClusterer {
    let mut c = StoryClusterer::new(StoryConfig::default());
    for d in docs {
        c.add(d);
    }
    c
}

#[test]
fn three_topics_make_three_stories_with_or_without_copies() {
    for with_copies in [false, true] {
        let c = cluster(&docs(with_copies));
        let stories = c.stories();
        for s in &stories {
            eprintln!("{} size {} docs {:?} | {}", s.id, s.size, s.docs, s.label);
        }
        assert_eq!(stories.len(), 3, "copies: {with_copies}");
        for s in &stories {
            let topic = &s.id[..2];
            assert!(s.docs.iter().all(|d| d.starts_with(topic)), "{s:?}");
            assert_eq!(s.size, 3, "near-duplicates count once");
            assert_eq!(s.docs.len(), if with_copies { 6 } else { 3 });
            assert_eq!(s.from.as_deref(), Some("2024-03-01"));
            assert_eq!(s.to.as_deref(), Some("2024-03-03"));
        }
    }
}

#[test]
fn clustering_is_deterministic_and_survives_serialization() {
    let all = docs(true);
    let (first, rest) = all.split_at(9);
    let whole = cluster(&all);
    let mut part = cluster(first);
    let json = serde_json::to_string(&part).unwrap();
    part = serde_json::from_str(&json).unwrap();
    for d in rest {
        part.add(d);
    }
    assert_eq!(whole.stories(), part.stories());
    assert_eq!(whole.stories(), cluster(&all).stories());
}

#[test]
fn labels_use_surface_forms() {
    let c = cluster(&docs(false));
    let oil = c.stories().into_iter().find(|s| s.id.starts_with("t0")).unwrap();
    assert!(oil.terms.iter().any(|t| t == "النفط" || t == "برنت"), "{:?}", oil.terms);
    assert!(!oil.label.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn summaries_never_panic_and_spans_are_exact(
        texts in prop::collection::vec("[ ابتثجحخدذرزسشصضطظعغفقكلمنهوي\\.،؟\n0-9«»\"a-z]{0,300}", 1..4),
        n in 0usize..6,
        words in prop::option::of(0usize..80),
    ) {
        let analyses: Vec<_> = texts.iter().map(|t| analyze_document(&DocumentInput { text: t, title: None, date: Some("2024-01-01") })).collect();
        let ids: Vec<String> = (0..texts.len()).map(|i| format!("d{i}")).collect();
        let entity_ids: Vec<Vec<String>> = analyses.iter().map(|a| a.entities.iter().map(|e| e.name.clone()).collect()).collect();
        let reuse = [1usize, 0, 3];
        let inputs: Vec<SummaryInput<'_>> = (0..texts.len()).map(|i| SummaryInput {
            id: &ids[i], date: None, text: &texts[i], analysis: &analyses[i], entity_ids: &entity_ids[i], sentence_reuse: &reuse,
        }).collect();
        let out = summarize(&inputs, SummaryOptions { sentences: Some(n), words, focus_entity: None });
        prop_assert!(out.len() <= n);
        for s in &out {
            let i: usize = s.doc[1..].parse().unwrap();
            prop_assert_eq!(texts[i].get(s.start..s.end), Some(s.text.as_str()));
            prop_assert_eq!(s.text.trim(), s.text.as_str());
        }
        let mut c = StoryClusterer::new(StoryConfig::default());
        for (i, t) in texts.iter().enumerate() {
            c.add(&StoryDoc::from_text(ids[i].clone(), Some("2024-01-01"), Some(t), t, &entity_ids[i], (i > 0).then(|| ids[0].clone())));
        }
        prop_assert!(c.stories().iter().map(|s| s.docs.len()).sum::<usize>() == texts.len());
    }
}
