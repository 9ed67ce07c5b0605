//! The date gold table: our own sentences, each with the one date expression
//! it contains and the value it must resolve to. It covers every form the
//! extractor reads, and doubles as the gold for comparing with other date
//! parsers (dateparser). Then: sentences with no date at all, property tests
//! (no panic, spans on character boundaries), and a timed run kept out of the
//! default test run.

use marsad_extract::date;
use marsad_extract::{DateMention, Granularity};
use proptest::prelude::*;

use Granularity::{Day as D, Decade as X, Month as M, Year as Y};

fn extract(text: &str, anchor: Option<&str>) -> Vec<DateMention> {
    let tokens = marsad_text::tokenize(text);
    let sentences = marsad_text::split_sentences(text);
    date::extract(text, &tokens, &sentences, anchor).1
}

/// (sentence, anchor, expression as written, value, granularity, range end)
type Row = (&'static str, &'static str, &'static str, &'static str, Granularity, Option<&'static str>);

const GOLD: &[Row] = &[
    // Absolute, both month series, misspellings, numeric forms.
    ("وصل الوفد في 13 سبتمبر 2023 إلى موسكو.", "2024-06-22", "13 سبتمبر 2023", "2023-09-13", D, None),
    ("أعلنت الشركة الاثنين 4 سبتمبر/أيلول نتائجها.", "2023-09-05", "الاثنين 4 سبتمبر/أيلول", "2023-09-04", D, None),
    ("افتتح المعرض في فبراير (شباط) في الرياض.", "2019-04-26", "فبراير (شباط)", "2019-02", M, None),
    ("ارتفعت الأسعار في شهر مارس/ أذار 2022 بحدة.", "2024-06-22", "شهر مارس/ أذار 2022", "2022-03", M, None),
    ("ولد الكاتب في 12 أكتوبر (تشرين الأول) 1948.", "2024-06-22", "12 أكتوبر (تشرين الأول) 1948", "1948-10-12", D, None),
    ("افتتح الجسر الجديد في يوليو/تموز الماضي.", "2023-09-05", "يوليو/تموز الماضي", "2023-07", M, None),
    ("جرت الانتخابات في عام 2019 بهدوء.", "2024-06-22", "عام 2019", "2019", Y, None),
    ("وتأسس النادي في 2003 في المدينة.", "2024-06-22", "2003", "2003", Y, None),
    ("ارتفع عدد السكان بين عامي 2006 و2017 بشكل كبير.", "2024-06-22", "بين عامي 2006 و2017", "2006", Y, Some("2017")),
    ("وفي ثمانينيات القرن الماضي انتشرت أجهزة الفيديو.", "2024-06-22", "ثمانينيات القرن الماضي", "1980", X, None),
    ("ازدهرت الصناعة في الثمانينيات كثيرا.", "2024-06-22", "الثمانينيات", "1980", X, None),
    ("تأسست الشركة في تسعينيات القرن العشرين.", "2024-06-22", "تسعينيات القرن العشرين", "1990", X, None),
    ("نشر البيان بتاريخ 2023-09-13 على الموقع.", "2024-06-22", "2023-09-13", "2023-09-13", D, None),
    ("صدر القرار في 13/9/2023 بالإجماع.", "2024-06-22", "13/9/2023", "2023-09-13", D, None),
    ("صدر المرسوم في 5-11-2020 ونشر لاحقا.", "2024-06-22", "5-11-2020", "2020-11-05", D, None),
    ("وقعت الاتفاقية في 1 يناير 2020م في الرياض.", "2024-06-22", "1 يناير 2020م", "2020-01-01", D, None),
    ("عاد السفير في كانون الأول 2017 إلى بلاده.", "2024-06-22", "كانون الأول 2017", "2017-12", M, None),
    ("وصلت البعثة في ايلول 2015 إلى المنطقة.", "2024-06-22", "ايلول 2015", "2015-09", M, None),
    ("افتتح المطار في مارس (آذار) عام 2000 رسميا.", "2024-06-22", "مارس (آذار) عام 2000", "2000-03", M, None),
    ("وتعود العلاقات إلى العام 1950 تقريبا.", "2024-06-22", "العام 1950", "1950", Y, None),
    ("وقد عقد الاجتماع يوم 25 أبريل 2019 في المدينة.", "2024-06-22", "يوم 25 أبريل 2019", "2019-04-25", D, None),
    ("انطلقت المفاوضات في الـ13 من سبتمبر 2023 رسميا.", "2024-06-22", "الـ13 من سبتمبر 2023", "2023-09-13", D, None),
    ("صدر في ١٣ سبتمبر ٢٠٢٣ بيان مشترك.", "2024-06-22", "١٣ سبتمبر ٢٠٢٣", "2023-09-13", D, None),
    ("ووقع الهجوم في 10 حزيران 2014 فجرا.", "2024-06-22", "10 حزيران 2014", "2014-06-10", D, None),
    ("وتنتهي الولاية في نهاية عام 2026 رسميا.", "2024-06-22", "نهاية عام 2026", "2026", Y, None),
    ("وقد أقر الدستور في آب 1990 بعد جدل.", "2024-06-22", "آب 1990", "1990-08", M, None),
    // Relative, resolved against the anchor (2024-06-22 is a Saturday).
    ("وصل الوزير أمس إلى بكين.", "2024-06-22", "أمس", "2024-06-21", D, None),
    ("يصل الوزير اليوم إلى بكين.", "2024-06-22", "اليوم", "2024-06-22", D, None),
    ("يصل الوزير غدا إلى بكين.", "2024-06-22", "غدا", "2024-06-23", D, None),
    ("غادر الوفد البارحة على عجل.", "2024-06-22", "البارحة", "2024-06-21", D, None),
    ("التقى الوزيران الأربعاء الماضي في العاصمة.", "2024-06-22", "الأربعاء الماضي", "2024-06-19", D, None),
    ("افتتح الوزير أمس الجمعة المعرض.", "2024-06-22", "أمس الجمعة", "2024-06-21", D, None),
    ("وتعقد الجلسة يوم الأربعاء المقبل في جنيف.", "2024-06-22", "يوم الأربعاء المقبل", "2024-06-26", D, None),
    ("وقد أعلن ذلك يوم الثلاثاء في مؤتمر صحفي.", "2024-06-22", "يوم الثلاثاء", "2024-06-18", D, None),
    ("وسيعقد الاجتماع يوم الأربعاء في موسكو.", "2024-06-22", "يوم الأربعاء", "2024-06-26", D, None),
    ("ارتفعت الأسعار الشهر الماضي بشكل حاد.", "2024-06-22", "الشهر الماضي", "2024-05", M, None),
    ("تجرى الانتخابات العام المقبل في موعدها.", "2024-06-22", "العام المقبل", "2025", Y, None),
    ("وتراجعت الصادرات السنة الماضية بنسبة كبيرة.", "2024-06-22", "السنة الماضية", "2023", Y, None),
    ("وارتفع التضخم خلال العام الحالي بسرعة.", "2024-06-22", "العام الحالي", "2024", Y, None),
    ("وقبل أسبوعين افتتح المعرض أبوابه.", "2024-06-22", "قبل أسبوعين", "2024-06-08", D, None),
    ("وكانت الزيارة قبل ثلاثة أيام فقط.", "2024-06-22", "قبل ثلاثة أيام", "2024-06-19", D, None),
    ("وتنتهي المهلة هذا الشهر دون تمديد.", "2024-06-22", "هذا الشهر", "2024-06", M, None),
    ("يفتتح الوزير المصنع لاحقا هذا الشهر.", "2023-09-05", "لاحقا هذا الشهر", "2023-09", M, None),
    ("افتتح المهرجان في القاهرة أواخر يوليو الماضي.", "2023-09-05", "أواخر يوليو الماضي", "2023-07", M, None),
    ("وكانت هذه أول رحلة للوزير إلى هناك منذ 24 عاماً.", "2024-06-22", "منذ 24 عاماً", "2000", Y, None),
    ("التقى الزعيمان في سبتمبر الماضي في الشرق.", "2024-06-22", "سبتمبر الماضي", "2023-09", M, None),
    ("يزور الرئيس بكين في مايو المقبل.", "2024-06-22", "مايو المقبل", "2025-05", M, None),
    ("ويتوقع أن يتحسن الاقتصاد مطلع العام المقبل.", "2024-06-22", "مطلع العام المقبل", "2025", Y, None),
];

/// Sentences with numbers, durations and month-like words, but no date.
const NO_DATE: &[&str] = &[
    "وينص القرار 1701 على انسحاب القوات خلال عامين.",
    "يعمل في الشركة 2000 موظف بدوام كامل.",
    "مارس الرئيس ضغوطا كبيرة على الحكومة.",
    "وصل الوفد قبل يومين من القمة إلى المدينة.",
    "وتعمل الشركات هناك منذ سنوات طويلة.",
    "بلغت الأرباح 34 مليون دولار فقط.",
    "ويضم الأسطول 21 سفينة حديثة.",
    "وفي اليوم التالي عاد الوفد إلى بلاده.",
    "وقال الأب إن ابنه سافر إلى الخارج.",
    "وقتل 1500 شخص في الهجوم.",
];

#[test]
fn gold_table() {
    assert!(GOLD.len() >= 40);
    let mut failures = Vec::new();
    for &(sentence, anchor, expr, value, granularity, end) in GOLD {
        let found = extract(sentence, Some(anchor));
        let got: Vec<_> =
            found.iter().map(|m| (m.text.as_str(), m.value.as_deref(), m.granularity, m.end.as_deref())).collect();
        if got != [(expr, Some(value), granularity, end)] {
            failures.push(format!(
                "{sentence}\n    expected {expr:?} → {value} {granularity:?} {end:?}\n    got      {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} rows differ:\n{}", failures.len(), GOLD.len(), failures.join("\n"));
}

#[test]
fn relative_expressions_stay_unresolved_without_anchor() {
    for &(sentence, _, _, _, _, _) in GOLD {
        for m in extract(sentence, None) {
            assert_eq!(m.value.is_some(), !m.relative, "{sentence}: {m:?}");
        }
    }
}

#[test]
fn no_dates_out_of_numbers_durations_or_words() {
    for s in NO_DATE {
        let found = extract(s, Some("2024-06-22"));
        assert!(found.is_empty(), "{s}: {found:?}");
    }
}

#[test]
fn mentions_carry_sentence_and_text() {
    let text = "قال الوزير أمس إن الوفد سيصل.\nوفي عام 2019 جرت القمة الأولى، ثم في 13 سبتمبر 2023 الثانية.";
    let found = extract(text, Some("2024-06-22"));
    assert_eq!(found.iter().map(|m| m.sentence).collect::<Vec<_>>(), [0, 1, 1]);
    for m in &found {
        assert_eq!(&text[m.span.clone()], m.text);
    }
    assert!(found[0].relative && !found[1].relative);
}

fn arabicish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "في",
        "عام",
        "2019",
        "13",
        "سبتمبر",
        "/",
        "أيلول",
        "(",
        ")",
        "الماضي",
        "المقبل",
        "أمس",
        "اليوم",
        "الأربعاء",
        "قبل",
        "منذ",
        "أسبوعين",
        "24",
        "عاماً",
        "بين",
        "عامي",
        "و2017",
        "الشهر",
        "هذا",
        "لاحقا",
        "ثمانينيات",
        "القرن",
        "قمة",
        "زيارة",
        "غداة",
        "\"",
        "،",
        ".",
        "\n",
        "يوم",
        "الـ",
        "من",
        "2023-09-13",
        "١٣",
        "٢٠٢٣",
        "Dodouche13",
        "مارس",
        "آب",
        "كانون",
        "الأول",
        "م",
        "ـ",
        "\u{64e}",
        "🙂",
        "x",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.join(" "))
}

fn check(text: &str, anchor: Option<&str>) {
    let tokens = marsad_text::tokenize(text);
    let sentences = marsad_text::split_sentences(text);
    let (_, dates) = date::extract(text, &tokens, &sentences, anchor);
    for m in &dates {
        assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
        assert_eq!(&text[m.span.clone()], m.text);
        assert!(m.sentence < sentences.len().max(1));
    }
    let events = marsad_extract::event::extract(text, &sentences, &[], &[], &dates);
    for e in &events {
        // Without an article date, every event is dated by a date of its sentence.
        assert!(e.date_mention.is_some_and(|d| d < dates.len()));
    }
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_strings(s in ".*", anchor in prop::option::of("[0-9-]{0,12}")) {
        check(&s, anchor.as_deref());
    }

    #[test]
    fn never_panics_on_date_like_text(s in arabicish()) {
        check(&s, Some("2024-02-29"));
        check(&s, None);
        let a = marsad_extract::analyze_document(&marsad_extract::DocumentInput { text: &s, title: None, date: Some("2023-09-13") });
        for d in &a.dates {
            prop_assert_eq!(&s[d.span.clone()], d.text.as_str());
        }
    }
}

/// Throughput of date extraction on long news-like text. Timed, so not in
/// the default run: `cargo test -p marsad-extract --test dates -- --ignored --nocapture`.
#[test]
#[ignore]
fn throughput() {
    let paragraph = "وقال المتحدث باسم الوزارة أمس الاثنين 4 سبتمبر/أيلول إن الوفد الذي يضم 21 عضوا سيصل إلى موسكو \
        لاحقا هذا الشهر، بعد زيارة سابقة في يوليو/تموز الماضي، وإن المحادثات التي بدأت في عام 2003 ستستأنف. \
        وبلغ حجم التجارة 34 مليون دولار في العام الماضي، مقارنة بما كان عليه في ثمانينيات القرن الماضي.\n";
    let text = paragraph.repeat(20_000);
    let tokens = marsad_text::tokenize(&text);
    let sentences = marsad_text::split_sentences(&text);
    let start = std::time::Instant::now();
    let (_, dates) = date::extract(&text, &tokens, &sentences, Some("2023-09-05"));
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "date::extract: {:.1} MB in {:.3}s = {:.1} MB/s ({} dates)",
        text.len() as f64 / 1e6,
        secs,
        text.len() as f64 / 1e6 / secs,
        dates.len()
    );
    let start = std::time::Instant::now();
    let events = marsad_extract::event::extract(&text, &sentences, &[], &[], &dates);
    let secs = start.elapsed().as_secs_f64();
    eprintln!("event::extract: {:.1} MB/s ({} events)", text.len() as f64 / 1e6 / secs, events.len());
}
