//! Events (a dated sentence with a trigger) and typed relations.
//!
//! # Events
//!
//! An event is the smallest thing a timeline can show: *what* happened
//! (a trigger word: قمة, زيارة, تعترف, …), *when* (a resolved date in the
//! same sentence), *who* (the persons and organisations of the sentence) and,
//! if the text says, *where*. It is deliberately sentence-local: the sentence
//! is the evidence a reader checks, and pairing a date with a trigger three
//! sentences away is how timelines go wrong.
//!
//! Within a sentence, each date is paired with its nearest trigger, where a
//! comma counts as three words (in `قام الوزير بزيارة لباريس الأربعاء الماضي،
//! التقى خلالها …` the date belongs to the visit, not the meeting). Of the pairs,
//! one event per type is kept — per *family* for summit, meeting, talks and
//! visit, which are one occasion told in different words — the one with the
//! most specific date, then the nearest. Triggers that the sentence itself
//! places before or after its date are not dated by it: `بعد شهرين من
//! الحرب`, `فشل المباحثات`, `انهيار المحادثات`; `غداة القمة` dates the
//! summit one day before the sentence's day.
//!
//! Titles are built from the parts: `قمة فلاديمير بوتين وكيم جونغ أون في
//! فلاديفوستوك`, `زيارة سيرغي شويغو إلى بيونغ يانغ`; with no names, from the
//! trigger and the words after it (`قمة روسية كورية شمالية`).
//!
//! # Relations
//!
//! [`relations`] records only what the text says: `met` (a summit, meeting
//! or talks event, or التقى/اجتمع, with two persons), `visited` (a person and
//! the place after زيارة/زار), `quoted_about` (a quote's speaker and the
//! entities inside the quote), `supplies` (زود, تزويد, إمدادات, صفقة
//! أسلحة: the supplier before, the recipient after).

mod triggers;

use std::ops::Range;

use marsad_text::{Token, TokenKind};
use rustc_hash::FxHashSet;

use crate::date::Day;
use crate::{
    DateMention, DateSource, EntityType, Event, EventStatus, EventType, Granularity, LocalEntity, Mention, Quote,
    Relation, RelationKind,
};
use triggers::{trigger_at, Trigger};

pub(crate) use triggers::is_event_noun;

/// A sentence, tokenized on demand, with token spans shifted to document offsets.
struct SentenceTokens {
    tokens: Vec<Token>,
}

impl SentenceTokens {
    fn new(text: &str, range: &Range<usize>) -> SentenceTokens {
        let mut tokens = marsad_text::tokenize(&text[range.clone()]);
        for t in &mut tokens {
            t.span = t.span.start + range.start..t.span.end + range.start;
        }
        SentenceTokens { tokens }
    }

    /// Index of the first token starting at or after byte `at`.
    fn index_at(&self, at: usize) -> usize {
        self.tokens.partition_point(|t| t.span.start < at)
    }

    /// Triggers of `lex` in the sentence, skipping the ones the sentence
    /// dates by something else (see the module docs). The `i64` is a day
    /// shift (غداة: -1).
    fn triggers<K: Copy>(&self, lex: &triggers::Lexicon<K>) -> Vec<(Trigger<K>, i64)> {
        let mut out = Vec::new();
        let mut k = 0;
        while k < self.tokens.len() {
            let Some(t) = trigger_at(lex, &self.tokens, k) else {
                k += 1;
                continue;
            };
            k = t.tokens.end;
            let base =
                |i: usize| self.tokens.get(i).map_or("", |t| if t.kind == TokenKind::Word { t.base() } else { "" });
            let prev = t.tokens.start.checked_sub(1);
            let prev_base = prev.map_or("", base);
            if matches!(prev_base, "انهيار" | "فشل" | "استئناف" | "احياء") {
                continue;
            }
            if prev_base == "من" {
                let p = prev.unwrap_or(0);
                if (p.saturating_sub(3)..p).any(|i| matches!(base(i), "بعد" | "قبل")) {
                    continue;
                }
            }
            let shift = if prev_base == "غداة" { -1 } else { 0 };
            out.push((t, shift));
        }
        out
    }
}

/// How far a trigger (tokens `a`) is from a date (tokens `b`): the tokens
/// between, a comma or a relative pronoun (التي, الذي) counting as three,
/// plus two when the trigger comes after the date (Arabic names the event,
/// then dates it: زيارة … في سبتمبر الماضي).
fn distance(tokens: &[Token], a: &Range<usize>, b: &Range<usize>) -> usize {
    let (gap, after) = if a.end <= b.start {
        (a.end..b.start, 0)
    } else if b.end <= a.start {
        (b.end..a.start, 2)
    } else {
        (0..0, 0)
    };
    after
        + tokens[gap]
            .iter()
            .map(|t| match t.kind {
                TokenKind::Punct if matches!(t.normalized.as_str(), "," | "،" | "؛" | ";" | ":") => 3,
                TokenKind::Word if matches!(t.normalized.as_str(), "التي" | "الذي" | "الذين" | "اللذين" | "اللتين") => {
                    3
                }
                _ => 1,
            })
            .sum::<usize>()
}

/// "This year" (هذا العام, العام الجاري): true of half of all news, it
/// dates nothing in particular, so it makes no event.
fn is_current_year(m: &DateMention) -> bool {
    if !m.relative || m.granularity != crate::Granularity::Year {
        return false;
    }
    let key = marsad_text::normalize_key(&m.text);
    ["هذا العام", "هذه السنة", "هذا الع", "الجاري", "الحالي", "الحاليه", "الحالية"].iter().any(|w| key.contains(w))
}

/// Finds the events of a document dated only by the dates in their own
/// sentences (no article date to fall back on).
pub fn extract(
    text: &str,
    sentences: &[Range<usize>],
    entities: &[LocalEntity],
    mentions: &[Mention],
    dates: &[DateMention],
) -> Vec<Event> {
    extract_anchored(text, sentences, entities, mentions, dates, None)
}

/// A date the sentence gives as background: `منذ عام 2011` dates the state
/// that began then, never the sentence's news.
fn is_background(st: &SentenceTokens, m: &DateMention) -> bool {
    if marsad_text::normalize_key(&m.text).starts_with("منذ") {
        return true;
    }
    let at = st.index_at(m.span.start);
    (at.saturating_sub(2)..at).any(|i| {
        let t = &st.tokens[i];
        t.kind == TokenKind::Word && matches!(t.base(), "منذ" | "مطلع" | "اواخر")
    })
}

/// Words that deny the event right before its trigger (لم يزر، لن يلتقي،
/// عدم توقيع), or a denial verb earlier in the sentence (نفى أن …).
fn is_denied(st: &SentenceTokens, trigger: &Trigger) -> bool {
    let k = trigger.tokens.start;
    let word = |i: usize| {
        let t = &st.tokens[i];
        if t.kind == TokenKind::Word {
            t.base()
        } else {
            ""
        }
    };
    if (k.saturating_sub(3)..k).any(|i| {
        matches!(word(i), "لم" | "لن" | "لا" | "عدم" | "ليس" | "دون" | "بدون" | "لما" | "الغاء" | "تاجيل" | "تعليق")
    }) {
        return true;
    }
    (k.saturating_sub(12)..k).any(|i| matches!(word(i), "نفى" | "نفت" | "ينفي" | "تنفي" | "نفي" | "نافيا" | "نافية"))
}

/// Words that announce an event rather than report it: من المقرر، يعتزم،
/// ينوي، يستعد، المرتقب, and future time words (غدا، المقبل، القادم).
fn planning_cue(st: &SentenceTokens, trigger: &Trigger) -> bool {
    let k = trigger.tokens.start;
    let before = st.tokens[k.saturating_sub(8)..k].iter();
    let cue_before = before.filter(|t| t.kind == TokenKind::Word).any(|t| {
        matches!(
            t.base(),
            "مقرر"
                | "يعتزم"
                | "تعتزم"
                | "ينوي"
                | "تنوي"
                | "يستعد"
                | "تستعد"
                | "مزمع"
                | "سوف"
                | "يرتقب"
                | "مرتقب"
                | "متوقع"
                | "يتوقع"
                | "يتوقع ان"
                | "تعتزمان"
                | "يعتزمون"
                | "تخطط"
                | "يخطط"
        )
    });
    let lo = k.saturating_sub(12);
    let hi = (trigger.tokens.end + 12).min(st.tokens.len());
    let time_word = st.tokens[lo..hi]
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .any(|t| matches!(t.base(), "غدا" | "مقبل" | "مقبلة" | "قادم" | "قادمة" | "المقبل" | "القادم" | "لاحقا"));
    cue_before || time_word
}

/// Whether an undated trigger reports a new occurrence rather than names
/// one already told, a kind of thing or a purpose:
///
/// - no trigger after a preposition (على قتل, لتحقيق, بالضبط, ليصل: a
///   verbal noun or a purpose, not a finite event), nor in a condition
///   (لو تم القبض);
/// - a noun only when indefinite, singular and without a pronoun suffix
///   (وقع حادث مروري; not المعرض, زيارته, مباريات: the anaphoric, generic
///   or plural uses), and not the object of the trigger just before it
///   (دشن مهرجان: one occasion, told by the verb);
/// - an arrival (وصل) only with إلى and a place after it.
fn reports_news(st: &SentenceTokens, trigger: &Trigger, previous: Option<&Trigger>, place_after: bool) -> bool {
    let k = trigger.tokens.start;
    let t = &st.tokens[k];
    let word = |i: usize| {
        let t = &st.tokens[i];
        if t.kind == TokenKind::Word {
            t.base()
        } else {
            ""
        }
    };
    if t.segmentation.preposition.is_some() {
        return false;
    }
    if k > 0
        && matches!(
            word(k - 1),
            "في" | "علي"
                | "من"
                | "الي"
                | "عن"
                | "مع"
                | "حول"
                | "خلال"
                | "بعد"
                | "قبل"
                | "اثناء"
                | "عقب"
                | "بين"
                | "ضد"
        )
    {
        return false;
    }
    if (k.saturating_sub(4)..k).any(|i| matches!(word(i), "لو" | "اذا" | "لولا")) {
        return false;
    }
    if st.tokens[..k].iter().filter(|t| t.kind == TokenKind::Word).count()
        + st.tokens[k..].iter().filter(|t| t.kind == TokenKind::Word).count()
        < 6
    {
        // A tag line or a caption (سمات الأفلاج حادث وافد).
        return false;
    }
    if trigger.noun {
        if t.segmentation.article
            || t.base().ends_with("ات")
            || matches!(t.base(), "حوادث" | "حرائق" | "زلازل" | "معارك")
        {
            return false;
        }
        // A suffix pronoun (زيارته) points back at an occasion already told.
        if triggers::has_pronoun_suffix(t.base()) {
            return false;
        }
        if previous.is_some_and(|p| p.tokens.end <= k && k - p.tokens.end <= 2) {
            return false;
        }
        return true;
    }
    if matches!(t.base(), "وصل" | "وصلت" | "وصلوا") {
        return place_after
            && st.tokens[trigger.tokens.end..].iter().take(3).any(|n| n.kind == TokenKind::Word && n.base() == "الي");
    }
    true
}

/// The day the article reports on: the first day-precise date of its
/// opening sentences that is at most a week before its anchor and not after
/// it (اليوم، أمس، الثلاثاء الماضي), else the anchor itself.
fn article_day(dates: &[DateMention], anchor: Option<Day>) -> Option<Day> {
    let anchor = anchor?;
    let lead = dates
        .iter()
        .take_while(|m| m.sentence < 3)
        .filter(|m| m.granularity == Granularity::Day && m.end.is_none())
        .filter_map(|m| Day::parse_iso(m.value.as_deref()?))
        .find(|d| (-7..=0).contains(&(d.number() - anchor.number())));
    Some(lead.unwrap_or(anchor))
}

/// Finds the events of a document; `anchor` (the article's date) dates the
/// reported past events whose sentences name no date.
pub fn extract_anchored(
    text: &str,
    sentences: &[Range<usize>],
    entities: &[LocalEntity],
    mentions: &[Mention],
    dates: &[DateMention],
    anchor: Option<&crate::Anchor>,
) -> Vec<Event> {
    let mut events: Vec<(usize, Event)> = Vec::new();
    let lex = triggers::events();
    let by_sentence = mentions_by_sentence(text, sentences, entities, mentions);
    let anchor_day = anchor.and_then(|a| Day::parse_iso(&a.date));
    let today = article_day(dates, anchor_day);
    for (s, range) in sentences.iter().enumerate() {
        if !text.is_char_boundary(range.start)
            || !text.is_char_boundary(range.end)
            || range.start > range.end
            || range.end > text.len()
        {
            continue;
        }
        let first = dates.partition_point(|m| m.sentence < s);
        let last = dates.partition_point(|m| m.sentence <= s);
        let sentence_dates = first..last.max(first);
        let st = SentenceTokens::new(text, range);
        // A denied event is no event; a verb after ل/ب is a purpose (ليصل), not an occurrence.
        let found: Vec<(Trigger, i64)> = st
            .triggers(lex)
            .into_iter()
            .filter(|(t, _)| !is_denied(&st, t))
            .filter(|(t, _)| t.noun || st.tokens[t.tokens.start].segmentation.preposition.is_none())
            // الحرب: an ongoing state the sentence refers to, not an occurrence of its day.
            .filter(|(t, _)| !(t.event_type == EventType::War && st.tokens[t.tokens.start].segmentation.article))
            .collect();
        if found.is_empty() {
            continue;
        }
        // Each resolved date picks its nearest trigger.
        let mut pairs: Vec<(usize, usize, usize)> = Vec::new(); // (date, trigger, distance)
        for di in sentence_dates {
            let m = &dates[di];
            if m.value.is_none() || m.span.end > text.len() || is_current_year(m) || is_background(&st, m) {
                continue;
            }
            let dt = st.index_at(m.span.start)..st.index_at(m.span.end);
            let best = found
                .iter()
                .enumerate()
                // غداة القمة: the sentence's day is the day after the summit.
                .map(|(ti, (t, shift))| (if *shift != 0 { 0 } else { distance(&st.tokens, &t.tokens, &dt) }, ti))
                .min();
            if let Some((dist, ti)) = best {
                if dist <= 25 {
                    pairs.push((di, ti, dist));
                }
            }
        }
        // One event per family: the most specific date, then the nearest.
        pairs.sort_by_key(|&(di, ti, dist)| (found[ti].0.event_type.family(), dates[di].granularity, dist, di));
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        for (di, ti, _) in pairs {
            let (trigger, shift) = &found[ti];
            if !seen.insert(trigger.event_type.family()) {
                continue;
            }
            let m = &dates[di];
            let Some(mut date) = m.value.clone() else { continue };
            if *shift != 0 && m.granularity == Granularity::Day {
                if let Some(day) = Day::parse_iso(&date) {
                    date = day.add_days(*shift).iso();
                }
            }
            let future = anchor_day.is_some_and(|a| date.as_str() > a.iso().get(..date.len()).unwrap_or(""));
            let status = if trigger.future || future || planning_cue(&st, trigger) {
                EventStatus::Planned
            } else {
                EventStatus::Happened
            };
            let mut event =
                build_event(text, s, range, &st, trigger, entities, &by_sentence[s], date, m.granularity, &m.span);
            event.date_mention = Some(di);
            event.status = status;
            // "An agreement in 2015", with nobody, nowhere and nothing but
            // the trigger for a title: too vague for a timeline. A month or
            // a day is specific enough on its own (القرار 2397 في ديسمبر
            // 2017), and so is a described one (قمة عربية صينية عام 2022).
            if event.actors.is_empty()
                && event.place.is_none()
                && event.granularity >= crate::Granularity::Year
                && event.title.split_whitespace().count() < 2
            {
                continue;
            }
            events.push((trigger.tokens.start, event));
        }
        // Undated triggers: a reported past event is the article's news,
        // dated by the article's day. A planned one with no date is not
        // placed on a day it has not got.
        let Some(today) = today else { continue };
        for (trigger, shift) in &found {
            // A war is a state (حرب أوكرانيا), not the news of the article's
            // day; an encounter noun (زيارة، قمة) without a date is as often
            // one announced as one held: only its verb is dated by the article.
            let encounter_noun = trigger.noun && trigger.event_type.family() == "encounter";
            if *shift != 0
                || trigger.event_type == EventType::War
                || encounter_noun
                || seen.contains(trigger.event_type.family())
            {
                continue;
            }
            if trigger.future || trigger.tense == triggers::Tense::Imperfect || planning_cue(&st, trigger) {
                continue;
            }
            let previous = found.iter().map(|(t, _)| t).rfind(|t| t.tokens.end <= trigger.tokens.start);
            let trigger_end = st.tokens[trigger.tokens.end - 1].span.end;
            let place_after = by_sentence[s].iter().any(|m| {
                m.span.start >= trigger_end
                    && m.span.start - trigger_end <= 40
                    && entities.get(m.entity).is_some_and(|e| e.entity_type == EntityType::Place)
            });
            if !reports_news(&st, trigger, previous, place_after) {
                continue;
            }
            seen.insert(trigger.event_type.family());
            let none = 0..0;
            let mut event = build_event(
                text,
                s,
                range,
                &st,
                trigger,
                entities,
                &by_sentence[s],
                today.iso(),
                Granularity::Day,
                &none,
            );
            event.date_source = DateSource::Article;
            events.push((trigger.tokens.start, event));
        }
    }
    events.sort_by_key(|(at, e)| (e.sentence, *at));
    events.into_iter().map(|(_, e)| e).collect()
}

#[allow(clippy::too_many_arguments)]
fn build_event(
    text: &str,
    s: usize,
    range: &Range<usize>,
    st: &SentenceTokens,
    trigger: &Trigger,
    entities: &[LocalEntity],
    in_sentence: &[&Mention],
    date: String,
    granularity: Granularity,
    date_span: &Range<usize>,
) -> Event {
    let trigger_span = st.tokens[trigger.tokens.start].span.start..st.tokens[trigger.tokens.end - 1].span.end;
    let visit = (trigger.event_type == EventType::Visit).then_some(trigger.noun);
    let place = place_after(text, in_sentence, entities, &trigger_span, visit);
    let actors = actors_near(st, trigger, in_sentence, entities, place);
    let title = title(text, st, trigger, entities, &actors, place, date_span);
    Event {
        event_type: trigger.event_type,
        date,
        granularity,
        trigger: text[trigger_span].to_owned(),
        title,
        actors,
        place,
        sentence: s,
        evidence: text[range.clone()].trim().to_owned(),
        date_mention: None,
        status: EventStatus::Happened,
        date_source: DateSource::Text,
    }
}

/// Who takes part: the persons and organisations named near the trigger
/// (starting at most ten words before it or sixteen after, inside the sentence and not across
/// ؛ or :), in text order; failing that, the nearest one named before it in
/// the sentence (the subject of a long sentence); failing that, the places
/// named near it other than the event's place (countries acting).
fn actors_near(
    st: &SentenceTokens,
    trigger: &Trigger,
    in_sentence: &[&Mention],
    entities: &[LocalEntity],
    place: Option<usize>,
) -> Vec<usize> {
    let hard_stop = |t: &Token| t.kind == TokenKind::Punct && matches!(t.normalized.as_str(), "؛" | ";" | ":");
    let mut lo = trigger.tokens.start;
    while lo > 0 && trigger.tokens.start - lo < 10 && !hard_stop(&st.tokens[lo - 1]) {
        lo -= 1;
    }
    let mut hi = trigger.tokens.end;
    while hi < st.tokens.len() && hi - trigger.tokens.end < 16 && !hard_stop(&st.tokens[hi]) {
        hi += 1;
    }
    let window = st.tokens[lo].span.start..st.tokens[hi.max(lo + 1) - 1].span.end;
    let agent = |x: &&&Mention| matches!(entities[x.entity].entity_type, EntityType::Person | EntityType::Organization);
    let near = |x: &&&Mention| x.span.start >= window.start && x.span.start < window.end;
    let mut out: Vec<usize> = Vec::new();
    let add = |e: usize, out: &mut Vec<usize>| {
        if !out.contains(&e) {
            out.push(e);
        }
    };
    for x in in_sentence.iter().filter(agent).filter(near) {
        add(x.entity, &mut out);
    }
    if out.is_empty() {
        let start = st.tokens[trigger.tokens.start].span.start;
        if let Some(x) = in_sentence.iter().filter(agent).rfind(|x| x.span.end <= start) {
            add(x.entity, &mut out);
        }
    }
    if out.is_empty() {
        for x in in_sentence.iter().filter(near) {
            if entities[x.entity].entity_type == EntityType::Place && Some(x.entity) != place {
                add(x.entity, &mut out);
            }
        }
    }
    out
}

/// The place a trigger happened at or went to: a place mention shortly after
/// it, introduced by في, ب, إلى (or ل, for a visit); failing that, for a
/// visit, the place that is its object (زار … بيونغ يانغ; زيارة موسكو).
fn place_after(
    text: &str,
    mentions: &[&Mention],
    entities: &[LocalEntity],
    trigger: &Range<usize>,
    visit: Option<bool>,
) -> Option<usize> {
    let places = || {
        mentions.iter().filter(move |x| {
            x.span.start >= trigger.end
                && x.span.start <= text.len()
                && x.span.start - trigger.end <= 150
                && entities[x.entity].entity_type == EntityType::Place
        })
    };
    if let Some(x) = places().find(|x| introduced(text, x.span.start, visit.is_some())) {
        return Some(x.entity);
    }
    let noun = visit?;
    let x = places().next()?;
    // A noun's object follows it at once (زيارة موسكو); a verb's may come
    // after its subject (زار وزير الدفاع سيرغي شويغو بيونغ يانغ).
    (!noun || text[trigger.end..x.span.start].trim().is_empty()).then_some(x.entity)
}

/// Whether the word at byte `at` is introduced by a locative preposition:
/// a clitic ب (or ل for a visit) glued to it, or في/إلى before it (with
/// مدينة, العاصمة, … between).
fn introduced(text: &str, at: usize, visit: bool) -> bool {
    let before = &text[..at];
    let glued: String = before.chars().rev().take_while(|c| c.is_alphabetic()).collect();
    if !glued.is_empty() {
        return glued.contains('ب') || (visit && glued.contains('ل'));
    }
    let mut words = before.split_whitespace().rev();
    for _ in 0..2 {
        let Some(w) = words.next() else { return false };
        let key = marsad_text::normalize_key(w);
        let bare = key.trim_start_matches('و');
        if matches!(bare, "في" | "الي" | "نحو" | "داخل") || (visit && bare == "ل") {
            return true;
        }
        let head = bare.strip_prefix('ب').unwrap_or(bare);
        let head = head.strip_prefix("ال").unwrap_or(head);
        if !matches!(head, "مدينة" | "عاصمة" | "جزيرة" | "منطقة" | "ولاية" | "مقاطعة") {
            return false;
        }
        if bare.starts_with('ب') {
            // بمدينة فلاديفوستوك, بالعاصمة موسكو
            return true;
        }
    }
    false
}

fn title(
    text: &str,
    st: &SentenceTokens,
    trigger: &Trigger,
    entities: &[LocalEntity],
    actors: &[usize],
    place: Option<usize>,
    date_span: &Range<usize>,
) -> String {
    let label = trigger.event_type.label();
    let mut out = String::new();
    if actors.is_empty() {
        let first = &st.tokens[trigger.tokens.start];
        if trigger.noun {
            // The trigger as written, without و/ب/ل (القمة, المحادثات السداسية).
            let surface = crate::display_name(&text[first.span.start..st.tokens[trigger.tokens.end - 1].span.end]);
            let seg = first.segmentation;
            let clitics = usize::from(seg.conjunction.is_some()) + usize::from(seg.preposition.is_some());
            let mut head: String = surface.chars().skip(clitics).collect();
            if seg.preposition == Some('ل') && seg.article && !head.starts_with("ال") {
                head = format!("ا{head}");
            }
            out.push_str(&head);
        } else {
            out.push_str(label);
        }
        if place.is_none() {
            // The words after the trigger: قمة روسية كورية شمالية.
            for (taken, t) in st.tokens[trigger.tokens.end..].iter().enumerate() {
                if taken == 4
                    || t.kind == TokenKind::Punct
                    || t.span.start < date_span.end && t.span.end > date_span.start
                    || (t.kind == TokenKind::Word && marsad_text::is_stopword(t.base()))
                    || (t.kind == TokenKind::Word && crate::date::is_date_word(t.base()))
                {
                    break;
                }
                out.push(' ');
                out.push_str(&crate::display_name(&text[t.span.clone()]));
            }
        }
    } else {
        // The noun as written names it best (حادث, افتتاح, مؤتمر); the
        // older types keep their label (زيارة for بزيارته and زار alike).
        let first = &st.tokens[trigger.tokens.start];
        let own = trigger.noun
            && trigger.tokens.len() == 1
            && trigger.event_type.rank() == 4
            && !matches!(
                trigger.event_type,
                EventType::Agreement
                    | EventType::Sanctions
                    | EventType::Resolution
                    | EventType::NuclearTest
                    | EventType::MissileTest
                    | EventType::Invasion
                    | EventType::War
                    | EventType::Election
                    | EventType::Attack
                    | EventType::Recognition
                    | EventType::Exercise
            )
            && !triggers::has_pronoun_suffix(first.base());
        if own {
            let surface = crate::display_name(&text[first.span.clone()]);
            let seg = first.segmentation;
            let skip = usize::from(seg.conjunction.is_some())
                + usize::from(seg.preposition.is_some())
                + if seg.article {
                    if seg.preposition == Some('ل') {
                        1
                    } else {
                        2
                    }
                } else {
                    0
                };
            out.extend(surface.chars().skip(skip));
        } else {
            out.push_str(label);
        }
        for (n, &a) in actors.iter().take(3).enumerate() {
            out.push_str(if n == 0 { " " } else { " و" });
            out.push_str(&entities[a].name);
        }
    }
    if let Some(p) = place {
        out.push_str(if trigger.event_type == EventType::Visit { " إلى " } else { " في " });
        out.push_str(&entities[p].name);
    }
    out
}

/// Typed relations between entities (met, visited, quoted_about, supplies).
pub fn relations(
    text: &str,
    sentences: &[Range<usize>],
    entities: &[LocalEntity],
    mentions: &[Mention],
    quotes: &[Quote],
    events: &[Event],
) -> Vec<Relation> {
    let mut out: Vec<Relation> = Vec::new();
    let mut seen: FxHashSet<(usize, usize, RelationKind, usize)> = FxHashSet::default();
    let mut push = |out: &mut Vec<Relation>, source: usize, target: usize, kind: RelationKind, sentence: usize| {
        if source != target
            && source < entities.len()
            && target < entities.len()
            && seen.insert((source, target, kind, sentence))
        {
            out.push(Relation { source, target, kind, sentence });
        }
    };
    let kind_of = |e: usize| entities.get(e).map(|x| x.entity_type);

    // met: encounter events with two persons.
    for ev in events {
        if matches!(ev.event_type, EventType::Summit | EventType::Meeting | EventType::Talks) {
            let persons: Vec<usize> =
                ev.actors.iter().copied().filter(|&a| kind_of(a) == Some(EntityType::Person)).collect();
            for &b in persons.iter().skip(1) {
                push(&mut out, persons[0], b, RelationKind::Met, ev.sentence);
            }
        }
    }

    // Per sentence: met verbs, visits, supplies.
    let by_sentence = mentions_by_sentence(text, sentences, entities, mentions);
    let event_lex = triggers::events();
    let supply_lex = triggers::supplies();
    for (s, ms) in by_sentence.iter().enumerate() {
        if ms.len() < 2 {
            continue;
        }
        let range = &sentences[s];
        if !text.is_char_boundary(range.start) || !text.is_char_boundary(range.end) || range.start > range.end {
            continue;
        }
        let st = SentenceTokens::new(text, range);
        let persons: Vec<&Mention> =
            ms.iter().copied().filter(|m| kind_of(m.entity) == Some(EntityType::Person)).collect();
        for (t, _) in st.triggers(event_lex) {
            let span = st.tokens[t.tokens.start].span.start..st.tokens[t.tokens.end - 1].span.end;
            match t.event_type {
                EventType::Meeting if !t.noun => {
                    let mut distinct: Vec<usize> = Vec::new();
                    for p in &persons {
                        if !distinct.contains(&p.entity) {
                            distinct.push(p.entity);
                        }
                    }
                    for &b in distinct.iter().skip(1).take(3) {
                        push(&mut out, distinct[0], b, RelationKind::Met, s);
                    }
                }
                EventType::Visit => {
                    let Some(place) = place_after(text, ms, entities, &span, Some(t.noun)) else { continue };
                    let nearest = persons.iter().min_by_key(|p| {
                        if p.span.start >= span.end {
                            p.span.start - span.end
                        } else {
                            span.start.saturating_sub(p.span.end) + 1
                        }
                    });
                    if let Some(p) = nearest {
                        push(&mut out, p.entity, place, RelationKind::Visited, s);
                    }
                }
                _ => {}
            }
        }
        for (t, _) in st.triggers(supply_lex) {
            let span = st.tokens[t.tokens.start].span.start..st.tokens[t.tokens.end - 1].span.end;
            if let Some((a, b)) = supply_parties(text, ms, &span, t.noun) {
                push(&mut out, a, b, RelationKind::Supplies, s);
            }
        }
    }

    // quoted_about: the speaker and who or what the quote names.
    let mut by_start: Vec<&Mention> = mentions.iter().collect();
    by_start.sort_by_key(|m| (m.span.start, m.span.end));
    for q in quotes {
        let Some(speaker) = q.speaker else { continue };
        let first = by_start.partition_point(|m| m.span.start < q.span.start);
        for m in by_start[first..].iter().take_while(|m| m.span.start < q.span.end) {
            if m.span.end <= q.span.end && m.entity != speaker {
                push(&mut out, speaker, m.entity, RelationKind::QuotedAbout, q.sentence);
            }
        }
    }
    out
}

/// The valid mentions of each sentence, in text order.
fn mentions_by_sentence<'m>(
    text: &str,
    sentences: &[Range<usize>],
    entities: &[LocalEntity],
    mentions: &'m [Mention],
) -> Vec<Vec<&'m Mention>> {
    let mut by_sentence: Vec<Vec<&Mention>> = vec![Vec::new(); sentences.len()];
    for m in mentions {
        let valid = m.entity < entities.len()
            && m.span.start <= m.span.end
            && m.span.end <= text.len()
            && text.is_char_boundary(m.span.start)
            && text.is_char_boundary(m.span.end);
        if valid {
            if let Some(v) = by_sentence.get_mut(m.sentence) {
                v.push(m);
            }
        }
    }
    for v in &mut by_sentence {
        v.sort_by_key(|m| m.span.start);
    }
    by_sentence
}

/// Supplier and recipient around a supply trigger (see the module docs).
fn supply_parties(text: &str, ms: &[&Mention], trigger: &Range<usize>, noun: bool) -> Option<(usize, usize)> {
    let after: Vec<&Mention> = ms
        .iter()
        .copied()
        .filter(|m| m.span.start >= trigger.end && m.span.start - trigger.end <= if noun { 40 } else { 60 })
        .collect();
    let clause_start = text[..trigger.start].rfind([',', '،', '؛', ';', ':', '.']).map_or(0, |i| i + 1);
    let before_in_clause = ms.iter().rfind(|m| m.span.end <= trigger.start && m.span.start >= clause_start);
    let first_before = ms.iter().find(|m| m.span.end <= trigger.start);
    let supplier_before = before_in_clause.or(first_before).map(|m| m.entity);
    let (a, b) = if !noun && after.len() >= 2 && after[0].entity != after[1].entity {
        (after[0].entity, after[1].entity)
    } else {
        (supplier_before?, after.first()?.entity)
    };
    (a != b).then_some((a, b))
}

#[cfg(test)]
mod tests;
