//! Arbitrary input: no panic, and every span is on char boundaries with its
//! text exactly the document's text there.

use marsad_reuse::ReuseIndex;
use proptest::prelude::*;

fn check(texts: &[String]) {
    let mut index = ReuseIndex::new();
    for (i, t) in texts.iter().enumerate() {
        let found = index.add_document(&format!("d{i}"), Some("2020-01-01"), t);
        for p in &found.passages {
            assert_eq!(t.get(p.here.start..p.here.end), Some(p.here.text.as_str()));
        }
    }
    for g in index.groups(1) {
        assert!(g.occurrences.len() >= 2);
        for o in &g.occurrences {
            let t = &texts[o.doc[1..].parse::<usize>().unwrap()];
            assert_eq!(t.get(o.start..o.end), Some(o.text.as_str()));
        }
    }
    for d in index.near_duplicates() {
        assert!(d.docs.len() >= 2);
    }
}

/// Text built from a few Arabic words, punctuation and line breaks, so that
/// reuse actually happens.
fn wordy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("قال"),
        Just("الرئيس"),
        Just("والرئيس"),
        Just("إن"),
        Just("المحادثات"),
        Just("السداسية"),
        Just("هي"),
        Just("الطريقة"),
        Just("الوحيدة"),
        Just("كوريا"),
        Just("."),
        Just("،"),
        Just("\n"),
        Just("«"),
        Just("»"),
        Just("ـ"),
        Just("َ"),
        Just("2019"),
        Just("a.b"),
        Just("😀"),
    ];
    prop::collection::vec(piece, 0..120).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_strings(texts in prop::collection::vec(any::<String>(), 1..4)) {
        check(&texts);
    }

    #[test]
    fn repetitive_arabic(texts in prop::collection::vec(wordy(), 1..5)) {
        check(&texts);
    }
}

#[test]
fn derived_bytes_round_trip_and_reject_damage() {
    use marsad_reuse::{DocumentRow, ReuseIndex, ReuseRows};
    let a = "قال المتحدث إن المحادثات هي الطريقة الوحيدة الفعالة لمعالجة الأزمة في المنطقة. خبر أول قصير.";
    let b = "خبر ثان. وقال المتحدث إن المحادثات هي الطريقة الوحيدة الفعالة لمعالجة الأزمة في المنطقة.";
    let mut index = ReuseIndex::new();
    index.add_document("a", Some("2024-01-01"), a);
    index.add_document("b", Some("2024-01-02"), b);
    let rows = index.rows();
    let rebuilt: Vec<DocumentRow> = rows
        .documents
        .iter()
        .map(|r| {
            DocumentRow::from_derived_bytes(r.id.clone(), r.date.clone(), r.text.clone(), &r.derived_bytes()).unwrap()
        })
        .collect();
    assert_eq!(rebuilt, rows.documents);
    let restored = ReuseIndex::from_rows(ReuseRows { documents: rebuilt, ..rows.clone() });
    assert_eq!(restored.groups(8), index.groups(8));

    let bytes = rows.documents[0].derived_bytes();
    let text = rows.documents[0].text.clone();
    // Truncated, trailing garbage, other text (spans beyond it), other version.
    assert!(DocumentRow::from_derived_bytes("a".into(), None, text.clone(), &bytes[..bytes.len() - 3]).is_err());
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(DocumentRow::from_derived_bytes("a".into(), None, text.clone(), &longer).is_err());
    assert!(DocumentRow::from_derived_bytes("a".into(), None, "قصير".into(), &bytes).is_err());
    let mut other = bytes.clone();
    other[0] ^= 0xff;
    assert!(DocumentRow::from_derived_bytes("a".into(), None, text, &other).is_err());
}

#[test]
fn locate_finds_a_passage_whatever_its_spelling() {
    let text = "خبر أول. وقال الوزيرُ إنّ الاجتماع انتهى، وغادر الوفد! خبر آخر.";
    let found = marsad_reuse::locate(text, "قال الوزير إن الاجتماع انتهى وغادر الوفد").unwrap();
    assert_eq!(&text[found.start..found.end], found.text);
    assert!(found.text.starts_with("وقال الوزيرُ") && found.text.ends_with("الوفد"));
    assert!(marsad_reuse::locate(text, "قال الوزير إن الاجتماع تأجل").is_none());
    assert!(marsad_reuse::locate(text, "  ").is_none());
}
