//! Quotations and their speakers on the five seed articles.
//!
//! Reads `../shared/corpus/seeds` at run time and skips when it is absent.

mod common;

use common::{doc, seeds};
use marsad_extract::SpeakerKind;

#[test]
fn direct_quotes_go_to_the_right_person() {
    let Some(docs) = seeds() else { return };
    let cases: &[(&str, &str, &str, bool)] = &[
        // (doc, words of the quote, speaker's entity, continuation)
        ("003", "إن الحرب أصبحت الآن المبدأ المنظم", "ألكسندر جابويف", false),
        ("003", "لقد كانت هذه تاريخياً علاقة تجارية", "سكوت أ. سنايدر", false),
        ("003", "يبدو أن هذين العنصرين", "سكوت أ. سنايدر", true),
        ("004", "أقدر قيام موسكو وبكين", "دونالد ترمب", false),
        ("004", "أعتقد أننا نحقق نتائج جيدة", "دونالد ترمب", true),
        ("004", "أقدر بيان الرئيس بوتين", "دونالد ترمب", true),
        ("004", "بالطبع، سأتحدث في بكين", "فلاديمير بوتين", false),
        ("004", "لا يوجد هنا أسرار ولا مؤامرات", "فلاديمير بوتين", true),
        ("004", "مصالح روسيا والولايات المتحدة متشابهة", "فلاديمير بوتين", false),
        ("000", "لم نرفضها", "فلاديمير بوتين", false),
        ("004", "الوضع في شبه الجزيرة الكورية", "كيم جونغ أون", false),
        ("004", "إن نتيجة قمة فيتنام", "كيم جونغ أون", false),
        ("004", "سأكون صبورا وأنتظر", "كيم جونغ أون", true),
        ("004", "المكسب الأكبر الذي يمكن", "جون بارك", false),
        ("004", "أن قمة بوتين وكيم مؤشر", "أندريه كورتونوف", false),
    ];
    for (id, words, speaker, continuation) in cases {
        let d = doc(&docs, id);
        let q = d.quote(words);
        assert!(q.direct, "{id}: {q:?}");
        assert_eq!(d.speaker_name(q), Some(*speaker), "{id}: {q:?}");
        assert_eq!(q.speaker_kind, SpeakerKind::Person, "{id}: {q:?}");
        assert_eq!(q.continuation, *continuation, "{id}: {q:?}");
    }
}

#[test]
fn peskov_reported_statement_in_both_articles() {
    let Some(docs) = seeds() else { return };
    for id in ["002", "004"] {
        let d = doc(&docs, id);
        let q = d.quote("المحادثات السداسية");
        assert!(!q.direct, "{id}: {q:?}");
        assert!(q.text.starts_with("الكرملين يعتقد"), "{id}: {q:?}");
        assert_eq!(d.speaker_name(q), Some("ديمتري بيسكوف"), "{id}: {q:?}");
    }
}

#[test]
fn reported_speech_of_groups_organisations_and_roles() {
    let Some(docs) = seeds() else { return };
    let d0 = doc(&docs, "000");
    let q = d0.quote("لديه معلومات جديدة");
    assert_eq!((q.speaker_kind, q.speaker_text.as_str()), (SpeakerKind::Organization, "البيت الأبيض"));
    let q = d0.quote("تبادلا بعد ذلك رسائل");
    assert_eq!(d0.speaker_name(q), Some("جون كيربي"));
    let d1 = doc(&docs, "001");
    let q = d1.quote("الغارق في وحل حربه");
    assert_eq!((q.speaker_kind, q.speaker_text.as_str(), q.speaker), (SpeakerKind::Group, "مسؤولون أمريكيون", None));
    let q = d1.quote("سيحث قادة العالم");
    assert_eq!(d1.speaker_name(q), Some("يون سوك يول"));
    let d3 = doc(&docs, "003");
    let q = d3.quote("روسيا تشعر بالقلق");
    assert_eq!((q.speaker_kind, q.speaker_text.as_str()), (SpeakerKind::Group, "محللون"));
    let d4 = doc(&docs, "004");
    let q = d4.quote("لا يرى الصين وروسيا خصمين");
    assert_eq!(d4.speaker_name(q), Some("دونالد ترمب"));
}

#[test]
fn quotes_are_exact_and_unique() {
    let Some(docs) = seeds() else { return };
    for d in &docs {
        let mut spans = Vec::new();
        for q in &d.quotes {
            assert_eq!(&d.text[q.span.clone()], q.text);
            assert!(q.sentence < marsad_text::split_sentences(&d.text).len());
            spans.push((q.span.start, q.span.end));
        }
        let n = spans.len();
        spans.sort();
        spans.dedup();
        assert_eq!(n, spans.len(), "{}: duplicate quote spans", d.id);
        // Names and scare words in quotation marks are not quotes.
        for q in &d.quotes {
            for name in ["نيويورك تايمز", "سي إن إن", "غارديان", "فارقة", "المحادثات السداسية"]
            {
                assert_ne!(q.text, name, "{}", d.id);
            }
        }
    }
}
