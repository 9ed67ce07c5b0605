//! Event and relation tests on hand-built mentions (the mention layer is
//! tested on its own; here its output is given).

use super::*;
use crate::{DocumentAnalysis, SpeakerKind};

/// Analyzes `text` with `names` as the document's entities: every
/// occurrence of a name is a mention.
fn analyze(text: &str, date: Option<&str>, names: &[(&str, EntityType)]) -> DocumentAnalysis {
    let sentences = marsad_text::split_sentences(text);
    let tokens = marsad_text::tokenize(text);
    let (anchor, dates) = crate::date::extract(text, &tokens, &sentences, date);
    let mut entities = Vec::new();
    let mut mentions = Vec::new();
    for (e, (name, ty)) in names.iter().enumerate() {
        entities.push(LocalEntity {
            name: (*name).to_owned(),
            entity_type: *ty,
            variants: vec![(*name).to_owned()],
            roles: vec![],
            mentions: 0,
        });
        for (at, _) in text.match_indices(name) {
            mentions.push(Mention {
                span: at..at + name.len(),
                name: (*name).to_owned(),
                entity_type: *ty,
                role: None,
                sentence: crate::date::sentence_of(&sentences, at),
                entity: e,
            });
        }
    }
    mentions.sort_by_key(|m| m.span.start);
    let events = extract(text, &sentences, &entities, &mentions, &dates);
    let relations = relations(text, &sentences, &entities, &mentions, &[], &events);
    DocumentAnalysis { sentences, entities, mentions, quotes: vec![], dates, anchor, events, relations }
}

const P: EntityType = EntityType::Person;
const L: EntityType = EntityType::Place;

#[test]
fn summit_with_actors_and_place() {
    let a = analyze(
        "عقد الرئيس فلاديمير بوتين قمة مع كيم جونغ أون في فلاديفوستوك يوم 25 أبريل 2019. وقال إنها ناجحة.",
        None,
        &[("فلاديمير بوتين", P), ("كيم جونغ أون", P), ("فلاديفوستوك", L)],
    );
    assert_eq!(a.events.len(), 1, "{:#?}", a.events);
    let e = &a.events[0];
    assert_eq!((e.event_type.as_str(), e.date.as_str()), ("summit", "2019-04-25"));
    assert_eq!(e.title, "قمة فلاديمير بوتين وكيم جونغ أون في فلاديفوستوك");
    assert_eq!(e.actors, [0, 1]);
    assert_eq!(e.place, Some(2));
    assert!(a.relations.iter().any(|r| r.kind == "met" && r.source == 0 && r.target == 1));
}

#[test]
fn visit_goes_to_its_object() {
    let a = analyze(
        "وزار وزير الخارجية الصيني وانغ يي طهران في مارس/آذار الماضي وبحث ملفات عدة.",
        Some("2023-09-13"),
        &[("وانغ يي", P), ("طهران", L)],
    );
    let e = &a.events[0];
    assert_eq!((e.event_type.as_str(), e.date.as_str()), ("visit", "2023-03"));
    assert_eq!(e.title, "زيارة وانغ يي إلى طهران");
    assert!(a.relations.iter().any(|r| r.kind == "visited" && r.source == 0 && r.target == 1));
}

#[test]
fn a_date_belongs_to_the_nearest_trigger_across_commas() {
    let a = analyze(
        "قام رئيس الوزراء الهندي ناريندرا مودي بزيارة لفرنسا الأربعاء الماضي، التقى خلالها إيمانويل ماكرون.",
        Some("2024-06-22"),
        &[("ناريندرا مودي", P), ("فرنسا", L), ("إيمانويل ماكرون", P)],
    );
    assert_eq!(a.events.len(), 1, "{:#?}", a.events);
    let e = &a.events[0];
    assert_eq!((e.event_type.as_str(), e.date.as_str()), ("visit", "2024-06-19"));
    assert_eq!(e.place, Some(1));
    assert_eq!(e.title, "زيارة ناريندرا مودي وإيمانويل ماكرون إلى فرنسا");
    assert!(a.relations.iter().any(|r| r.kind == "met" && r.source == 0 && r.target == 2));
    assert!(a.relations.iter().any(|r| r.kind == "visited" && r.source == 0 && r.target == 1));
}

#[test]
fn no_names_title_from_the_words() {
    let a = analyze("وفي أول قمة عربية صينية عام 2022 أعلن القادة خطة مشتركة.", None, &[]);
    assert_eq!(a.events[0].title, "قمة عربية صينية");
    assert_eq!(a.events[0].date, "2022");
    let a = analyze("وينص القرار الدولي 1701 الصادر في أغسطس (آب) 2006 على وقف القتال.", None, &[]);
    assert_eq!((a.events[0].event_type.as_str(), a.events[0].date.as_str()), ("resolution", "2006-08"));
    assert_eq!(a.events[0].title, "القرار الدولي 1701 الصادر");
}

#[test]
fn unresolved_and_displaced_dates_make_no_event() {
    // Relative, no anchor.
    assert!(analyze("عقدت القمة أمس في موسكو.", None, &[]).events.is_empty());
    // The invasion is a month before the date, not at it.
    let a = analyze("بدأت المفاوضات في شهر مايو 2021، بعد شهرين من الغزو.", None, &[]);
    assert!(a.events.iter().all(|e| e.event_type != "invasion"), "{:#?}", a.events);
    // غداة: the summit was the day before.
    let a = analyze("غداة قمة في جنيف، أشاد الوزير أمس الجمعة بالنتائج.", Some("2019-04-27"), &[]);
    assert_eq!(a.events[0].date, "2019-04-25");
}

#[test]
fn supplies_and_quotes() {
    let a = analyze(
        "وهددت واشنطن بالرد إذا زودت إيران روسيا بالصواريخ. وقد برزت بيلاروس شريكا؛ إذ زودت موسكو بالوقود.",
        None,
        &[("إيران", L), ("روسيا", L), ("بيلاروس", L), ("موسكو", L)],
    );
    let sup: Vec<(usize, usize)> =
        a.relations.iter().filter(|r| r.kind == "supplies").map(|r| (r.source, r.target)).collect();
    assert_eq!(sup, [(0, 1), (2, 3)]);

    let text = "وقال بوتين إن \"روسيا تريد السلام مع كيم\".";
    let entities: Vec<LocalEntity> = [("بوتين", P), ("روسيا", L), ("كيم", P)]
        .iter()
        .map(|(n, t)| LocalEntity { name: (*n).into(), entity_type: *t, variants: vec![], roles: vec![], mentions: 1 })
        .collect();
    let mention = |name: &str, e: usize| {
        let at = text.find(name).unwrap();
        Mention { span: at..at + name.len(), name: name.into(), entity_type: entities[e].entity_type, role: None, sentence: 0, entity: e }
    };
    let mentions = vec![mention("بوتين", 0), mention("روسيا", 1), mention("كيم", 2)];
    let q0 = text.find("روسيا").unwrap();
    let q1 = text.rfind('"').unwrap();
    let quote = Quote {
        span: q0..q1,
        text: text[q0..q1].into(),
        direct: true,
        speaker_text: "بوتين".into(),
        speaker_kind: SpeakerKind::Person,
        speaker: Some(0),
        verb: Some("قال".into()),
        continuation: false,
        sentence: 0,
    };
    let sentences = marsad_text::split_sentences(text);
    let rel = relations(text, &sentences, &entities, &mentions, &[quote], &[]);
    let about: Vec<(usize, usize)> =
        rel.iter().filter(|r| r.kind == "quoted_about").map(|r| (r.source, r.target)).collect();
    assert_eq!(about, [(0, 1), (0, 2)]);
}
