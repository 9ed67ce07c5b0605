//! Scoring one set of annotations against another, layer by layer.
//!
//! Pure: the inputs are [`Annotations`] per article (the gold, and a
//! "system" that is Marsad or a second annotator) and the result is a
//! [`Report`]. Each layer's rule is written where it is computed; the
//! choices that matter:
//!
//! - **Mentions** match on exact span and type (strict, as in conlleval).
//! - **Clusters** are scored with B-cubed over the gold mentions the system
//!   found at the exact span, whatever type it gave, across all articles at
//!   once: this measures merging and splitting, not detection.
//! - **Canonical names**: a gold entity's system entity is the one most of
//!   its found mentions went to; its name is right when it equals the gold
//!   canonical name once diacritics and tatweel are removed.
//! - **Quotes** match when they overlap by at least half of the shorter
//!   span (reported speech has no marks to agree on where it ends), one to
//!   one. The speaker is right when it is the system entity the gold
//!   speaker's mentions went to (or, if those were not found, has the gold
//!   name), or, for unnamed groups and descriptions, when the system also
//!   says group or description.
//! - **Events** match when the system's span (Marsad: the evidence
//!   sentence) overlaps the gold trigger, one to one. A system event matched
//!   to a gold event marked *denied* counts as wrong: a denied event is not
//!   an event.
//! - **Stories**: pairwise precision and recall over all pairs of articles.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::gold::{Annotations, EventStatus, MentionType, SpeakerClass};

/// Precision, recall and F1 from counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// System items that are right.
    pub system_right: usize,
    /// System items in all.
    pub system: usize,
    /// Gold items that were found.
    pub gold_found: usize,
    /// Gold items in all.
    pub gold: usize,
    /// `system_right / system` (0 when the system found nothing).
    pub precision: f64,
    /// `gold_found / gold` (0 when there is no gold).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Prf {
    /// The scores from the four counts. The right-counts are separate
    /// because a match need not be one-to-one (one system item can cover
    /// two gold items).
    pub fn new(system_right: usize, system: usize, gold_found: usize, gold: usize) -> Prf {
        let precision = ratio(system_right, system);
        let recall = ratio(gold_found, gold);
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        Prf { system_right, system, gold_found, gold, precision, recall, f1 }
    }
}

/// A share: `right` of `total`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Share {
    /// Items that are right.
    pub right: usize,
    /// Items considered.
    pub total: usize,
    /// `right / total`, 0 when there are none.
    pub value: f64,
}

impl Share {
    /// The share of `right` in `total`.
    pub fn new(right: usize, total: usize) -> Share {
        Share { right, total, value: ratio(right, total) }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// One article's two sides.
#[derive(Clone, Copy, Debug)]
pub struct ArticlePair<'a> {
    /// Gold id of the article.
    pub id: &'a str,
    /// The reference marks (gold, or the first annotator).
    pub gold: &'a Annotations,
    /// The marks being scored (Marsad, or the second annotator).
    pub system: &'a Annotations,
}

/// Entity layers.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct EntityScores {
    /// Strict span + type, all types.
    pub mentions: Prf,
    /// Strict span + type, per type (`PERS`, `ORG`, `LOC`).
    pub by_type: BTreeMap<&'static str, Prf>,
    /// B-cubed over gold mentions found at the exact span.
    pub clusters: Prf,
    /// Gold entities whose system entity carries the gold name.
    pub canonical: Share,
    /// Some gold entities whose system name differs: (gold, system).
    pub canonical_misses: Vec<(String, String)>,
}

/// Quote layers.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct QuoteScores {
    /// Quotes found (overlap), whatever the speaker.
    pub found: Prf,
    /// Quotes found with the right speaker: precision is the share of the
    /// system's quotes that are real quotes with the right speaker.
    pub with_speaker: Prf,
    /// Of the found gold quotes whose speaker the article names, those
    /// linked to the right entity.
    pub named_linked: Share,
    /// System quotes of at most three words that match no gold quote
    /// (scare quotes, names in quotation marks).
    pub short_false: usize,
}

/// Event layers.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct EventScores {
    /// Found: the system's events that match a gold event that is not
    /// denied, and the gold events (not denied) found.
    pub found: Prf,
    /// Recall over gold events that have a date.
    pub recall_dated: Share,
    /// System events matched to a gold event marked denied.
    pub denied_reported: usize,
    /// Of matched events with a gold date, the same date.
    pub date_right: Share,
    /// Of matched events, the same status.
    pub status_right: Share,
    /// Of matched events, the same type.
    pub type_right: Share,
}

/// Story membership.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StoryScores {
    /// Articles in the story sample.
    pub articles: usize,
    /// Distinct stories the gold puts them in.
    pub gold_stories: usize,
    /// Distinct stories Marsad puts them in.
    pub system_stories: usize,
    /// Pairwise: system pairs in one gold story / gold pairs in one system
    /// story.
    pub pairs: Prf,
}

/// All layers.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    /// The split scored (`dev`, `test`, `all`).
    pub split: String,
    /// Annotated articles scored.
    pub articles: usize,
    /// Entity mentions, types and clusters.
    pub entities: EntityScores,
    /// Quotes and their speakers.
    pub quotes: QuoteScores,
    /// Events, their dates, statuses and types.
    pub events: EventScores,
    /// Story membership, when asked for.
    pub stories: Option<StoryScores>,
}

fn overlap(a: [usize; 2], b: [usize; 2]) -> usize {
    a[1].min(b[1]).saturating_sub(a[0].max(b[0]))
}

/// Removes diacritics and tatweel and collapses spaces, as names are shown.
fn plain(name: &str) -> String {
    marsad_extract::display_name(name)
}

/// Scores entity mentions, clusters and canonical names. `system_name` gives
/// the shown name of a system entity key.
pub fn score_entities(pairs: &[ArticlePair<'_>], system_name: &dyn Fn(&str) -> Option<String>) -> EntityScores {
    let mut by_type_counts: HashMap<MentionType, [usize; 4]> = HashMap::new();
    // B-cubed items: (gold key, system key), one per found gold mention.
    let mut items: Vec<(String, String)> = Vec::new();
    for pair in pairs {
        let mut system_at: HashMap<[usize; 2], &crate::gold::EntityMark> = HashMap::new();
        for m in &pair.system.entities {
            system_at.entry(m.span).or_insert(m);
        }
        let mut gold_at: HashMap<([usize; 2], MentionType), ()> = HashMap::new();
        for g in &pair.gold.entities {
            gold_at.insert((g.span, g.mention_type), ());
            let c = by_type_counts.entry(g.mention_type).or_default();
            c[3] += 1;
            if let Some(s) = system_at.get(&g.span) {
                if s.mention_type == g.mention_type {
                    c[2] += 1;
                }
                items.push((format!("{}|{}", g.mention_type, g.entity), s.entity.clone()));
            }
        }
        for s in &pair.system.entities {
            let c = by_type_counts.entry(s.mention_type).or_default();
            c[1] += 1;
            if gold_at.contains_key(&(s.span, s.mention_type)) {
                c[0] += 1;
            }
        }
    }
    let mut total = [0usize; 4];
    let mut by_type = BTreeMap::new();
    for t in MentionType::ALL {
        let c = by_type_counts.get(&t).copied().unwrap_or_default();
        for k in 0..4 {
            total[k] += c[k];
        }
        by_type.insert(t.as_str(), Prf::new(c[0], c[1], c[2], c[3]));
    }

    // B-cubed.
    let mut gold_size: HashMap<&str, usize> = HashMap::new();
    let mut system_size: HashMap<&str, usize> = HashMap::new();
    let mut both: HashMap<(&str, &str), usize> = HashMap::new();
    for (g, s) in &items {
        *gold_size.entry(g).or_default() += 1;
        *system_size.entry(s).or_default() += 1;
        *both.entry((g, s)).or_default() += 1;
    }
    let (mut p_sum, mut r_sum) = (0.0, 0.0);
    for (g, s) in &items {
        let shared = both[&(g.as_str(), s.as_str())] as f64;
        p_sum += shared / system_size[s.as_str()] as f64;
        r_sum += shared / gold_size[g.as_str()] as f64;
    }
    let n = items.len().max(1) as f64;
    let (bp, br) = (p_sum / n, r_sum / n);
    let clusters = Prf {
        system_right: items.len(),
        system: items.len(),
        gold_found: items.len(),
        gold: total[3],
        precision: bp,
        recall: br,
        f1: if bp + br > 0.0 { 2.0 * bp * br / (bp + br) } else { 0.0 },
    };

    // Canonical names: the majority system entity of each gold entity.
    let majority = majority_system_key(&items);
    let mut right = 0;
    let mut misses = Vec::new();
    let mut keys: Vec<&String> = majority.keys().collect();
    keys.sort();
    for gold_key in keys {
        let gold_name = gold_key.split_once('|').map_or(gold_key.as_str(), |(_, n)| n);
        let system_key = &majority[gold_key];
        let shown = system_name(system_key).unwrap_or_else(|| system_key.clone());
        if plain(&shown) == plain(gold_name) {
            right += 1;
        } else {
            misses.push((gold_name.to_string(), shown));
        }
    }
    EntityScores {
        mentions: Prf::new(total[0], total[1], total[2], total[3]),
        by_type,
        clusters,
        canonical: Share::new(right, majority.len()),
        canonical_misses: misses,
    }
}

/// For each gold entity key (`TYPE|name`), the system key most of its found
/// mentions carry (ties: the smallest key, for determinism).
fn majority_system_key(items: &[(String, String)]) -> HashMap<String, String> {
    let mut counts: HashMap<&str, BTreeMap<&str, usize>> = HashMap::new();
    for (g, s) in items {
        *counts.entry(g).or_default().entry(s).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(g, by)| {
            let best = by
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(s, _)| s.to_string())
                .unwrap_or_default();
            (g.to_string(), best)
        })
        .collect()
}

/// Scores quotations. Speakers are compared through the entity mapping of
/// the found mentions (see the module docs).
pub fn score_quotes(pairs: &[ArticlePair<'_>], system_name: &dyn Fn(&str) -> Option<String>) -> QuoteScores {
    // Gold canonical name → system keys, from found mentions (any type).
    let mut items = Vec::new();
    for pair in pairs {
        let system_at: HashMap<[usize; 2], &str> =
            pair.system.entities.iter().map(|m| (m.span, m.entity.as_str())).collect();
        for g in &pair.gold.entities {
            if let Some(s) = system_at.get(&g.span) {
                items.push((g.entity.clone(), s.to_string()));
            }
        }
    }
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    for (g, s) in items {
        let keys = by_name.entry(g).or_default();
        if !keys.contains(&s) {
            keys.push(s);
        }
    }

    let (mut sys_total, mut sys_found, mut sys_right) = (0, 0, 0);
    let (mut gold_total, mut gold_found, mut gold_right) = (0, 0, 0);
    let (mut named_total, mut named_right) = (0, 0);
    let mut short_false = 0;
    for pair in pairs {
        let matches = match_one_to_one(
            &pair.gold.quotes.iter().map(|q| q.span).collect::<Vec<_>>(),
            &pair.system.quotes.iter().map(|q| q.span).collect::<Vec<_>>(),
            |g, s| {
                let o = overlap(g, s);
                o > 0 && 2 * o >= (g[1] - g[0]).min(s[1] - s[0])
            },
        );
        sys_total += pair.system.quotes.len();
        gold_total += pair.gold.quotes.len();
        for (si, s) in pair.system.quotes.iter().enumerate() {
            if !matches.iter().any(|&(_, m)| m == si) && s.direct && (1..=3).contains(&s.words) {
                short_false += 1;
            }
        }
        for &(gi, si) in &matches {
            let g = &pair.gold.quotes[gi];
            let s = &pair.system.quotes[si];
            sys_found += 1;
            gold_found += 1;
            let right = speaker_right(g, s, &by_name, system_name);
            if right {
                sys_right += 1;
                gold_right += 1;
            }
            if g.named {
                named_total += 1;
                if right {
                    named_right += 1;
                }
            }
        }
    }
    QuoteScores {
        found: Prf::new(sys_found, sys_total, gold_found, gold_total),
        with_speaker: Prf::new(sys_right, sys_total, gold_right, gold_total),
        named_linked: Share::new(named_right, named_total),
        short_false,
    }
}

fn speaker_right(
    gold: &crate::gold::QuoteMark,
    system: &crate::gold::QuoteMark,
    by_name: &HashMap<String, Vec<String>>,
    system_name: &dyn Fn(&str) -> Option<String>,
) -> bool {
    match gold.speaker_kind {
        SpeakerClass::Person | SpeakerClass::Organization => {
            if !matches!(system.speaker_kind, SpeakerClass::Person | SpeakerClass::Organization) {
                return false;
            }
            if let Some(keys) = by_name.get(&gold.speaker) {
                return keys.iter().any(|k| k == &system.speaker);
            }
            let shown = system_name(&system.speaker).unwrap_or_else(|| system.speaker.clone());
            plain(&shown) == plain(&gold.speaker)
        }
        SpeakerClass::Group | SpeakerClass::Description => {
            matches!(system.speaker_kind, SpeakerClass::Group | SpeakerClass::Description)
        }
        SpeakerClass::Unknown => system.speaker_kind == SpeakerClass::Unknown,
    }
}

/// Greedy one-to-one matching: each gold item, in order, takes the first
/// unused system item that `fits` it. Returns (gold index, system index).
fn match_one_to_one(
    gold: &[[usize; 2]],
    system: &[[usize; 2]],
    fits: impl Fn([usize; 2], [usize; 2]) -> bool,
) -> Vec<(usize, usize)> {
    let mut used = vec![false; system.len()];
    let mut out = Vec::new();
    for (gi, &g) in gold.iter().enumerate() {
        // Prefer the system item with the largest overlap.
        let best = system
            .iter()
            .enumerate()
            .filter(|&(si, &s)| !used[si] && fits(g, s))
            .max_by_key(|&(si, &s)| (overlap(g, s), std::cmp::Reverse(si)));
        if let Some((si, _)) = best {
            used[si] = true;
            out.push((gi, si));
        }
    }
    out
}

/// Scores events.
pub fn score_events(pairs: &[ArticlePair<'_>]) -> EventScores {
    let (mut sys_total, mut sys_right, mut denied_reported) = (0, 0, 0);
    let (mut gold_total, mut gold_found) = (0, 0);
    let (mut dated_total, mut dated_found) = (0, 0);
    let (mut date_total, mut date_right) = (0, 0);
    let (mut status_total, mut status_right) = (0, 0);
    let (mut type_total, mut type_right) = (0, 0);
    for pair in pairs {
        let matches = match_one_to_one(
            &pair.gold.events.iter().map(|e| e.span).collect::<Vec<_>>(),
            &pair.system.events.iter().map(|e| e.span).collect::<Vec<_>>(),
            |g, s| overlap(g, s) > 0,
        );
        sys_total += pair.system.events.len();
        for g in &pair.gold.events {
            if g.status != EventStatus::Denied {
                gold_total += 1;
                if g.date.is_some() {
                    dated_total += 1;
                }
            }
        }
        for &(gi, si) in &matches {
            let g = &pair.gold.events[gi];
            let s = &pair.system.events[si];
            if g.status == EventStatus::Denied {
                denied_reported += 1;
                continue;
            }
            sys_right += 1;
            gold_found += 1;
            if g.date.is_some() {
                dated_found += 1;
                date_total += 1;
                if g.date == s.date {
                    date_right += 1;
                }
            }
            status_total += 1;
            if g.status == s.status {
                status_right += 1;
            }
            type_total += 1;
            if g.event_type == s.event_type {
                type_right += 1;
            }
        }
    }
    EventScores {
        found: Prf::new(sys_right, sys_total, gold_found, gold_total),
        recall_dated: Share::new(dated_found, dated_total),
        denied_reported,
        date_right: Share::new(date_right, date_total),
        status_right: Share::new(status_right, status_total),
        type_right: Share::new(type_right, type_total),
    }
}

/// Pairwise story scores: `gold[i]` and `system[i]` are article i's story
/// keys.
pub fn score_stories(gold: &[&str], system: &[&str]) -> StoryScores {
    assert_eq!(gold.len(), system.len(), "one system story per gold article");
    let (mut both, mut gold_pairs, mut system_pairs) = (0, 0, 0);
    for i in 0..gold.len() {
        for j in i + 1..gold.len() {
            let g = gold[i] == gold[j];
            let s = system[i] == system[j];
            gold_pairs += usize::from(g);
            system_pairs += usize::from(s);
            both += usize::from(g && s);
        }
    }
    let distinct = |keys: &[&str]| {
        let mut k: Vec<&str> = keys.to_vec();
        k.sort_unstable();
        k.dedup();
        k.len()
    };
    StoryScores {
        articles: gold.len(),
        gold_stories: distinct(gold),
        system_stories: distinct(system),
        pairs: Prf::new(both, system_pairs, both, gold_pairs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gold::{EntityMark, EventClass, EventMark, QuoteMark};

    fn ent(span: [usize; 2], t: MentionType, e: &str) -> EntityMark {
        EntityMark { span, text: String::new(), mention_type: t, entity: e.into() }
    }

    #[test]
    fn strict_mentions_and_bcubed() {
        let gold = Annotations {
            entities: vec![
                ent([0, 5], MentionType::Person, "أ"),
                ent([10, 15], MentionType::Person, "أ"),
                ent([20, 25], MentionType::Place, "ب"),
            ],
            ..Default::default()
        };
        let system = Annotations {
            entities: vec![
                ent([0, 5], MentionType::Person, "P-1"),
                ent([10, 15], MentionType::Person, "P-2"),
                ent([20, 26], MentionType::Place, "L-1"),
                ent([30, 35], MentionType::Organization, "O-1"),
            ],
            ..Default::default()
        };
        let names = |k: &str| Some(if k == "P-1" { "أ".to_string() } else { k.to_string() });
        let s = score_entities(&[ArticlePair { id: "x", gold: &gold, system: &system }], &names);
        assert_eq!((s.mentions.system_right, s.mentions.system, s.mentions.gold_found, s.mentions.gold), (2, 4, 2, 3));
        // Two found gold mentions of one entity split over two system
        // entities: precision 1, recall 1/2.
        assert!((s.clusters.precision - 1.0).abs() < 1e-9);
        assert!((s.clusters.recall - 0.5).abs() < 1e-9);
        assert_eq!(s.canonical.total, 1);
    }

    #[test]
    fn quotes_match_by_overlap_and_speaker_through_mentions() {
        let gold = Annotations {
            entities: vec![ent([0, 5], MentionType::Person, "أ")],
            quotes: vec![QuoteMark {
                span: [20, 120],
                direct: false,
                speaker: "أ".into(),
                speaker_kind: SpeakerClass::Person,
                named: true,
                cue: String::new(),
                words: 20,
            }],
            ..Default::default()
        };
        let mut q = gold.quotes[0].clone();
        q.span = [30, 140];
        q.speaker = "P-1".into();
        let system = Annotations {
            entities: vec![ent([0, 5], MentionType::Person, "P-1")],
            quotes: vec![q],
            ..Default::default()
        };
        let s = score_quotes(&[ArticlePair { id: "x", gold: &gold, system: &system }], &|_| None);
        assert_eq!(s.with_speaker.system_right, 1);
        assert_eq!(s.named_linked.right, 1);
    }

    #[test]
    fn denied_events_count_against() {
        let ev = |span, status| EventMark {
            span,
            trigger: String::new(),
            event_type: EventClass::Visit,
            status,
            date: Some("2015-08-06".into()),
            granularity: Some("day".into()),
            actors: vec![],
            place: None,
        };
        let gold = Annotations {
            events: vec![ev([5, 9], EventStatus::Happened), ev([50, 55], EventStatus::Denied)],
            ..Default::default()
        };
        let system = Annotations {
            events: vec![ev([0, 40], EventStatus::Happened), ev([45, 90], EventStatus::Happened)],
            ..Default::default()
        };
        let s = score_events(&[ArticlePair { id: "x", gold: &gold, system: &system }]);
        assert_eq!(s.found.system_right, 1);
        assert_eq!(s.found.system, 2);
        assert_eq!(s.denied_reported, 1);
        assert_eq!(s.date_right.right, 1);
    }

    #[test]
    fn pairwise_stories() {
        let s = score_stories(&["a", "a", "b", "c"], &["x", "x", "x", "y"]);
        assert_eq!(s.pairs.gold, 1);
        assert_eq!(s.pairs.system, 3);
        assert_eq!(s.pairs.system_right, 1);
    }
}
