//! Event and relation tests on hand-built mentions (the mention layer is
//! tested on its own; here its output is given).

use super::*;
use crate::{DateSource, DocumentAnalysis, EventStatus, SpeakerKind};

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
        Mention {
            span: at..at + name.len(),
            name: name.into(),
            entity_type: entities[e].entity_type,
            role: None,
            sentence: 0,
            entity: e,
        }
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

/// Like [`analyze`], with the article's date as its anchor for undated events.
fn analyze_anchored(text: &str, date: &str, names: &[(&str, EntityType)]) -> Vec<Event> {
    let a = analyze(text, Some(date), names);
    extract_anchored(text, &a.sentences, &a.entities, &a.mentions, &a.dates, a.anchor.as_ref())
}

#[test]
fn past_verbs_are_dated_by_the_article() {
    // No date in the second sentence: the lead's أمس dates the article's news.
    let events = analyze_anchored(
        "وصل وزير الخارجية سامي الأحمد إلى عمّان أمس قادما من بلاده. واستقبل الوزير نظيره الأردني في مقر الوزارة وبحثا التعاون بين البلدين.",
        "2021-03-10",
        &[("سامي الأحمد", P), ("عمّان", L)],
    );
    let types: Vec<(&str, &str, EventStatus, DateSource)> =
        events.iter().map(|e| (e.event_type.as_str(), e.date.as_str(), e.status, e.date_source)).collect();
    assert_eq!(
        types,
        [
            ("visit", "2021-03-09", EventStatus::Happened, DateSource::Text),
            ("meeting", "2021-03-09", EventStatus::Happened, DateSource::Article),
        ]
    );
    assert_eq!(events[0].title, "زيارة سامي الأحمد إلى عمّان");
    assert_eq!(events[1].date_mention, None);
}

#[test]
fn planned_events_are_marked_and_undated_ones_left_out() {
    // سيزور with a date: planned, on its date.
    let events = analyze_anchored("سيزور رئيس الوزراء مدينة جدة يوم الأحد المقبل.", "2021-03-10", &[("جدة", L)]);
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!((events[0].event_type.as_str(), events[0].status), ("visit", EventStatus::Planned));
    assert!(events[0].date.as_str() > "2021-03-10", "{}", events[0].date);
    // من المقرر with no date: no day to put it on.
    let events = analyze_anchored(
        "ومن المقرر أن يفتتح الأمير المعرض الدولي للكتاب في الرياض خلال زيارته للمنطقة.",
        "2021-03-10",
        &[("الرياض", L)],
    );
    assert!(events.is_empty(), "{events:#?}");
}

#[test]
fn denied_and_stated_are_not_events() {
    let text = "نفت الوزارة أن يكون الوزير قد التقى المبعوث الدولي في جنيف. ولم يزر الرئيس العاصمة منذ عامين. وقال المتحدث في بيان إن الحكومة ملتزمة بالاتفاق.";
    let events = analyze_anchored(text, "2021-03-10", &[("جنيف", L)]);
    assert!(events.is_empty(), "{events:#?}");
}

#[test]
fn background_years_do_not_date_todays_news() {
    // منذ عام 2011 is the background; the arrest is the article's news.
    let events = analyze_anchored(
        "اعتقلت قوات الأمن مساء اليوم خمسة مطلوبين في المدينة التي تشهد اضطرابات منذ عام 2011.",
        "2021-03-10",
        &[],
    );
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!((events[0].event_type.as_str(), events[0].date.as_str()), ("arrest", "2021-03-10"));
}

#[test]
fn sports_and_new_classes_have_their_own_types() {
    let events = analyze_anchored(
        "تعادل فريق النجوم مع فريق الساحل في مباراة مثيرة أمس. ووقع حادث مروري على الطريق السريع أسفر عن إصابة ثلاثة أشخاص.",
        "2021-03-10",
        &[],
    );
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types, ["sports", "accident"], "{events:#?}");
    assert_eq!(events[1].date, "2021-03-09", "the article's day, from its lead");
    assert!(events[1].title.starts_with("حادث"), "{}", events[1].title);
}

#[test]
fn generic_and_anaphoric_nouns_are_not_news() {
    // المعرض (already told), مباريات (plural, generic), لتحقيق (purpose).
    let text = "ويضم المعرض أجنحة متنوعة للزوار من مختلف الأعمار. وتقام مباريات الفريق عادة في ملعبه الرئيسي. وتسعى الشركة لتحقيق أهدافها في السوق.";
    let events = analyze_anchored(text, "2021-03-10", &[]);
    assert!(events.is_empty(), "{events:#?}");
}
