//! One timeline from the events of all documents.
//!
//! Five articles about one summit give five events; the analyst wants one
//! line with five sources. Two events are told about the same occasion when
//! they agree on three things:
//!
//! * **Kind.** The same family of type: a summit, a meeting, talks and a
//!   visit are one occasion in different words ([`EventType::family`]); anything
//!   else must match its own family.
//! * **When.** The same date at the same granularity — or, a coarser date
//!   that contains a finer one (`2023-09` and `2023-09-13`): one article
//!   says "later this month", another gives the day. The finest date wins.
//! * **Who or where.** Shared actors by corpus entity id — persons when both
//!   name persons (at least two shared, or the smaller side's only one, so
//!   that Putin–Erdogan and Putin–Kim on one day stay apart), else
//!   organisations and countries — or the same place. An event with nothing
//!   to compare joins the only candidate there is, and stays alone when
//!   there are none or several to choose from.
//!
//! # How
//!
//! In two passes, both over canonically sorted events so that the output
//! does not depend on the order of the input:
//!
//! 1. Events with the same family and the same exact date are grouped; inside
//!    a group, events sharing an actor or place are compared and united
//!    (union-find), so the work is linear in the group unless everyone shares
//!    an actor, and even then bounded by a fixed number of comparisons.
//! 2. Coarser clusters (month, then year) are attached to the best matching
//!    finer cluster of the same family inside their period: the most shared
//!    actors and places, or the only candidate for an event with neither.
//!
//! The passes are public pieces ([`same_date_group`] and
//! [`cluster_same_date`] for pass 1, [`attach_to`] for pass 2,
//! [`timeline_entry`] for an entry), so that a store can keep each pass's
//! result and redo only the part a new article changes; [`build_timeline`]
//! is those pieces over a whole corpus.
//!
//! Each entry then takes its date and type from its finest members, its
//! title from its most informative member (the finest date, then the most
//! actors and a place), and
//! one evidence sentence per source document.

use marsad_text::UnionFind;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::EntityRef;
use crate::{EntityType, Event, EventStatus, EventType, Granularity};

/// One document's events, with its local entities already resolved.
#[derive(Clone, Copy, Debug)]
pub struct DocEvents<'a> {
    /// The document's id.
    pub doc: &'a str,
    /// The document's publication date (ISO), if known.
    pub doc_date: Option<&'a str>,
    /// Its events, from [`crate::DocumentAnalysis::events`].
    pub events: &'a [Event],
    /// `entities[l]` is the corpus entity of local entity `l`.
    pub entities: &'a [EntityRef],
}

/// One entry of the timeline: an event as told by one or more documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// ISO date at `granularity`.
    pub date: String,
    /// How precise `date` is.
    pub granularity: Granularity,
    /// Event type, as in [`Event::event_type`].
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// Short Arabic title, from the most informative member event.
    pub title: String,
    /// Who took part, as corpus entities.
    pub actors: Vec<EntityRef>,
    /// Where it happened, if a source says.
    pub place: Option<EntityRef>,
    /// Source documents, sorted.
    pub docs: Vec<String>,
    /// One evidence sentence per source document, in `docs` order.
    pub evidence: Vec<String>,
    /// `planned` when every source announces it; `happened` as soon as one
    /// reports it done.
    #[serde(default)]
    pub status: EventStatus,
}

/// One event with its entities interned.
struct Item<'a> {
    member: TimelineMember<'a>,
    family: &'a str,
    /// Who the event is about, interned.
    who: Who,
}

/// One event as an entry is made from it: its document, the event, and the
/// document's local entities resolved (`refs[l]` for local entity `l`).
#[derive(Clone, Copy, Debug)]
pub struct TimelineMember<'a> {
    /// The document's id.
    pub doc: &'a str,
    /// The event.
    pub event: &'a Event,
    /// The document's local entities as corpus entities.
    pub refs: &'a [EntityRef],
}

/// Who an event, or a cluster of events, is about: corpus entities as
/// numbers the caller gives them (one number per entity id, any numbering),
/// sorted and distinct, in three roles — persons among the actors, the
/// other actors (organisations, countries), and places.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Who {
    /// Persons among the actors.
    pub persons: Vec<u32>,
    /// Organisations and countries among the actors.
    pub others: Vec<u32>,
    /// The place.
    pub places: Vec<u32>,
}

impl Who {
    /// Who `event` is about, its local entities resolved by `refs`, each
    /// corpus entity id numbered by `number` (`None`: not counted). A local
    /// entity past `refs` does not count.
    pub fn of(event: &Event, refs: &[EntityRef], mut number: impl FnMut(&str) -> Option<u32>) -> Who {
        let mut who = Who::default();
        let mut id_of = |l: usize| refs.get(l).and_then(|r| number(&r.id).map(|n| (r, n)));
        for &a in &event.actors {
            if let Some((r, id)) = id_of(a) {
                if r.entity_type == EntityType::Person {
                    who.persons.push(id);
                } else {
                    who.others.push(id);
                }
            }
        }
        who.places.extend(event.place.and_then(|p| id_of(p).map(|(_, id)| id)));
        let mut sorted = Who::default();
        sorted.extend(&who);
        sorted
    }

    /// Names nobody: it can only join a cluster as the only candidate.
    pub fn loose(&self) -> bool {
        self.persons.is_empty() && self.others.is_empty() && self.places.is_empty()
    }

    /// Adds `o`'s entities (a cluster is about everyone its members are).
    pub fn extend(&mut self, o: &Who) {
        for (a, b) in [(&mut self.persons, &o.persons), (&mut self.others, &o.others), (&mut self.places, &o.places)] {
            a.extend_from_slice(b);
            a.sort_unstable();
            a.dedup();
        }
    }

    /// Every entity it names, in any role.
    pub fn all(&self) -> impl Iterator<Item = u32> + '_ {
        self.persons.iter().chain(&self.others).chain(&self.places).copied()
    }
}

/// How two events' participants compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Agreement {
    /// They share enough: how much.
    Agree(usize),
    /// Nothing to compare (one names persons, the other only countries).
    Loose,
    Disagree,
}

/// Persons decide when both name persons: at least two shared, or all of
/// the smaller side's one; else organisations and countries, one shared
/// being enough; the same place always agrees.
fn agreement(a: &Who, b: &Who) -> Agreement {
    // A place may be named as the place of one telling and among the
    // actors of another (اجتماعهم في العقبة / ستستضيف العقبة الاجتماع).
    let place = shared(&a.places, &b.places) + shared(&a.places, &b.others) + shared(&a.others, &b.places);
    let score = |n: usize| Agreement::Agree(n + 2 * place);
    if !a.persons.is_empty() && !b.persons.is_empty() {
        let n = shared(&a.persons, &b.persons);
        let need = 2.min(a.persons.len()).min(b.persons.len());
        return if n >= need || place > 0 { score(n) } else { Agreement::Disagree };
    }
    if !a.others.is_empty() && !b.others.is_empty() {
        let n = shared(&a.others, &b.others);
        return if n > 0 || place > 0 { score(n) } else { Agreement::Disagree };
    }
    if place > 0 {
        return score(0);
    }
    if !a.places.is_empty() && !b.places.is_empty() {
        return Agreement::Disagree;
    }
    Agreement::Loose
}

fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The part of the timeline an event can share an entry with: its type's
/// family and the year of its date (`encounter/2023`). Both passes only
/// join events of one family within one period, so the timeline of a
/// corpus is the timelines of its buckets side by side.
pub fn timeline_bucket(event: &Event) -> String {
    let year = event.date.split('-').next().unwrap_or("");
    format!("{}/{year}", event.event_type.family())
}

/// How many comparisons one event makes per shared actor in pass 1.
pub const MAX_COMPARISONS: usize = 64;

/// The order events are considered in, within a group of pass 1: by
/// document, sentence, type, date and title. A store that keeps the groups
/// apart sorts each group's events by this key to get the same clusters.
pub fn canonical_order(a: (&str, &Event), b: (&str, &Event)) -> std::cmp::Ordering {
    (a.0, a.1.sentence, &a.1.event_type, &a.1.date, &a.1.title).cmp(&(
        b.0,
        b.1.sentence,
        &b.1.event_type,
        &b.1.date,
        &b.1.title,
    ))
}

/// The group of pass 1 an event belongs to: its type's family, its
/// granularity and its exact date (`encounter|0|2023-09-13`).
pub fn same_date_group(event: &Event) -> String {
    format!("{}|{}|{}", event.event_type.family(), event.granularity as u8, event.date)
}

/// Pass 1 on one group (events of one family, granularity and exact date,
/// [`same_date_group`]), given in [`canonical_order`]: events sharing enough
/// actors or a place are united (each event compared with at most
/// [`MAX_COMPARISONS`] earlier ones per shared entity); events naming nobody
/// join the only cluster there is, else stay alone. Returns the clusters as
/// sorted indexes into `members`, listed by their first member.
pub fn cluster_same_date(members: &[&Who]) -> Vec<Vec<usize>> {
    let mut uf = UnionFind::new(members.len());
    let mut by_key: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (i, w) in members.iter().enumerate() {
        for key in w.all() {
            let list = by_key.entry(key).or_default();
            for &j in list.iter().rev().take(MAX_COMPARISONS) {
                if matches!(agreement(w, members[j]), Agreement::Agree(_)) {
                    uf.union(i, j);
                }
            }
            list.push(i);
        }
    }
    // Loose events: into the only named cluster, else alone. Two loose
    // events of one type and date share nothing but the type ("an
    // agreement this year"): uniting them would invent a story.
    let mut roots: Vec<usize> = (0..members.len()).filter(|&i| !members[i].loose()).map(|i| uf.find(i)).collect();
    roots.sort_unstable();
    roots.dedup();
    if roots.len() == 1 {
        for i in (0..members.len()).filter(|&i| members[i].loose()) {
            uf.union(i, roots[0]);
        }
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut slot: FxHashMap<usize, usize> = FxHashMap::default();
    for i in 0..members.len() {
        let root = uf.find(i);
        let k = *slot.entry(root).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[k].push(i);
    }
    out
}

/// Pass 2: the finer cluster a coarser one (a month, a year) joins, among
/// the finer clusters of its family inside its period: the one with the most
/// shared actors and places when it is the only one with that many, or the
/// only candidate there is when the coarse cluster names nobody it could
/// share with. `candidates` must hold every finer cluster that shares an
/// entity with `coarse` (others may be given too), and the only one when
/// `total`, the number of finer clusters in the period, is 1.
pub fn attach_to<'a, K: Copy>(
    coarse: &Who,
    candidates: impl IntoIterator<Item = (K, &'a Who)>,
    total: usize,
) -> Option<K> {
    let mut best: Option<(usize, K)> = None;
    let mut tied = false;
    for (key, f) in candidates {
        let score = match agreement(coarse, f) {
            Agreement::Agree(n) => n,
            Agreement::Loose => 0,
            Agreement::Disagree => continue,
        };
        match best {
            Some((s, _)) if s > score => {}
            Some((s, _)) if s == score => tied = true,
            _ => {
                best = Some((score, key));
                tied = false;
            }
        }
    }
    match best {
        Some((score, key)) if !tied && (score > 0 || total == 1) => Some(key),
        _ => None,
    }
}

/// Merges events that tell the same thing; sorted by date.
pub fn build_timeline(docs: &[DocEvents<'_>]) -> Vec<TimelineEntry> {
    // Intern ids in sorted order, so numbers do not depend on input order.
    let mut ids: Vec<&str> = docs.iter().flat_map(|d| d.entities.iter().map(|e| e.id.as_str())).collect();
    ids.sort_unstable();
    ids.dedup();
    let intern: FxHashMap<&str, u32> = ids.iter().enumerate().map(|(i, id)| (*id, i as u32)).collect();

    let mut items: Vec<Item<'_>> = Vec::new();
    for d in docs {
        for e in d.events {
            items.push(Item {
                member: TimelineMember { doc: d.doc, event: e, refs: d.entities },
                family: e.event_type.family(),
                who: Who::of(e, d.entities, |id| intern.get(id).copied()),
            });
        }
    }
    items.sort_by(|a, b| canonical_order((a.member.doc, a.member.event), (b.member.doc, b.member.event)));
    let mut uf = UnionFind::new(items.len());

    // Pass 1: same family, same date.
    let mut groups: FxHashMap<(&str, Granularity, &str), Vec<usize>> = FxHashMap::default();
    for (i, it) in items.iter().enumerate() {
        groups.entry((it.family, it.member.event.granularity, it.member.event.date.as_str())).or_default().push(i);
    }
    for members in groups.values() {
        let whos: Vec<&Who> = members.iter().map(|&i| &items[i].who).collect();
        for cluster in cluster_same_date(&whos) {
            for &k in &cluster[1..] {
                uf.union(members[cluster[0]], members[k]);
            }
        }
    }

    // Pass 2: months into days, then years into months and days.
    for coarse in [Granularity::Month, Granularity::Year] {
        let clusters = clusters(&mut uf, &items);
        let mut fine: Vec<&Cluster> = clusters.iter().filter(|c| c.granularity < coarse).collect();
        fine.sort_by(|a, b| (a.family, a.date, a.root).cmp(&(b.family, b.date, b.root)));
        for c in clusters.iter().filter(|c| c.granularity == coarse) {
            // The finer clusters of its family inside its period: one run of
            // the sorted list.
            let from = fine.partition_point(|f| (f.family, f.date) <= (c.family, c.date));
            let to = from + fine[from..].partition_point(|f| f.family == c.family && f.date.starts_with(c.date));
            let candidates = &fine[from..to];
            if let Some(root) = attach_to(&c.who, candidates.iter().map(|f| (f.root, &f.who)), candidates.len()) {
                uf.union(c.root, root);
            }
        }
    }

    let mut entries: Vec<TimelineEntry> = clusters(&mut uf, &items)
        .iter()
        .map(|c| timeline_entry(&c.members.iter().map(|&i| items[i].member).collect::<Vec<_>>()))
        .collect();
    entries.sort_by(|a, b| {
        (&a.date, a.granularity, &a.event_type, &a.title, &a.docs)
            .cmp(&(&b.date, b.granularity, &b.event_type, &b.title, &b.docs))
            .then_with(|| entry_tiebreak(a).cmp(&entry_tiebreak(b)))
    });
    entries
}

/// Orders two entries that agree on date, granularity, type, title and
/// sources (two events of one article on one day with one trigger word): a
/// hash of the whole entry, so the order does not depend on how the
/// entries were computed. A store keeps it as a column.
pub fn entry_tiebreak(entry: &TimelineEntry) -> i64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    serde_json::to_string(entry).unwrap_or_default().hash(&mut h);
    h.finish() as i64
}

/// A union-find class, summarized.
struct Cluster<'a> {
    root: usize,
    members: Vec<usize>,
    family: &'a str,
    /// The finest date of its members.
    date: &'a str,
    granularity: Granularity,
    who: Who,
}

fn clusters<'a>(uf: &mut UnionFind, items: &[Item<'a>]) -> Vec<Cluster<'a>> {
    let mut index: FxHashMap<usize, usize> = FxHashMap::default();
    let mut out: Vec<Cluster<'a>> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let root = uf.find(i);
        let event = it.member.event;
        let k = *index.entry(root).or_insert_with(|| {
            out.push(Cluster {
                root,
                members: Vec::new(),
                family: it.family,
                date: &event.date,
                granularity: event.granularity,
                who: Who::default(),
            });
            out.len() - 1
        });
        let c = &mut out[k];
        c.members.push(i);
        if (event.granularity, event.date.as_str()) < (c.granularity, c.date) {
            c.granularity = event.granularity;
            c.date = &event.date;
        }
        c.who.extend(&it.who);
    }
    out
}

/// The entry of one cluster of events (in any order): date and type from
/// its finest members, title from its most informative member (the finest
/// date, then the most actors and a place), actors by how many members name
/// them, one evidence sentence per source document.
pub fn timeline_entry(members: &[TimelineMember<'_>]) -> TimelineEntry {
    // Ties below go to the first in the canonical order.
    let mut sorted = members.to_vec();
    sorted.sort_by(|a, b| canonical_order((a.doc, a.event), (b.doc, b.event)));
    let members = &sorted[..];
    let (granularity, date) =
        members.iter().map(|m| (m.event.granularity, m.event.date.as_str())).min().expect("a cluster has members");
    let finest: Vec<&TimelineMember> =
        members.iter().filter(|it| it.event.granularity == granularity && it.event.date == date).collect();
    // Type: the most frequent among the finest members, then the more specific.
    let mut counts: Vec<(EventType, usize)> = Vec::new();
    for it in &finest {
        match counts.iter_mut().find(|(t, _)| *t == it.event.event_type) {
            Some(c) => c.1 += 1,
            None => counts.push((it.event.event_type, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.rank().cmp(&b.0.rank())).then(a.0.cmp(&b.0)));
    let event_type = counts.first().map_or(members[0].event.event_type, |c| c.0);

    // Title: the most informative member.
    let informative = |it: &TimelineMember| {
        (it.event.actors.len().min(3) + usize::from(it.event.place.is_some()), it.event.title.chars().count())
    };
    let best = members
        .iter()
        .max_by(|a, b| {
            b.event
                .granularity
                .cmp(&a.event.granularity)
                .then(informative(a).cmp(&informative(b)))
                .then(b.event.title.cmp(&a.event.title))
                .then(b.doc.cmp(a.doc))
        })
        .expect("a cluster has members");

    // Actors: the title member's first, then by how many members name them.
    let mut actors: Vec<EntityRef> = Vec::new();
    let mut tally: Vec<(usize, &EntityRef)> = Vec::new();
    for it in members {
        for &a in &it.event.actors {
            if let Some(r) = it.refs.get(a) {
                match tally.iter_mut().find(|(_, x)| x.id == r.id) {
                    Some(t) => t.0 += 1,
                    None => tally.push((1, r)),
                }
            }
        }
    }
    for &a in &best.event.actors {
        if let Some(r) = best.refs.get(a) {
            if !actors.iter().any(|x| x.id == r.id) {
                actors.push(r.clone());
            }
        }
    }
    tally.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    for (_, r) in tally {
        if !actors.iter().any(|x| x.id == r.id) {
            actors.push(r.clone());
        }
    }
    let place = best
        .event
        .place
        .and_then(|p| best.refs.get(p))
        .or_else(|| {
            let mut places: Vec<&EntityRef> =
                members.iter().filter_map(|it| it.event.place.and_then(|p| it.refs.get(p))).collect();
            places.sort_by(|a, b| a.id.cmp(&b.id));
            places.first().copied()
        })
        .cloned();

    // One evidence sentence per document: its finest, earliest member.
    let mut per_doc: Vec<&TimelineMember> = Vec::new();
    for it in members {
        match per_doc.iter_mut().find(|x| x.doc == it.doc) {
            Some(x) => {
                if (it.event.granularity, it.event.sentence) < (x.event.granularity, x.event.sentence) {
                    *x = it;
                }
            }
            None => per_doc.push(it),
        }
    }
    per_doc.sort_by(|a, b| a.doc.cmp(b.doc));
    TimelineEntry {
        date: date.to_owned(),
        granularity,
        event_type,
        title: best.event.title.clone(),
        actors,
        place,
        docs: per_doc.iter().map(|it| it.doc.to_owned()).collect(),
        evidence: per_doc.iter().map(|it| it.event.evidence.clone()).collect(),
        status: if members.iter().any(|it| it.event.status == EventStatus::Happened) {
            EventStatus::Happened
        } else {
            EventStatus::Planned
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str) -> EntityRef {
        EntityRef { id: format!("P-{name}"), name: name.into(), entity_type: EntityType::Person }
    }

    fn place(name: &str) -> EntityRef {
        EntityRef { id: format!("L-{name}"), name: name.into(), entity_type: EntityType::Place }
    }

    fn event(ty: &str, date: &str, g: Granularity, actors: &[usize], place: Option<usize>, title: &str) -> Event {
        Event {
            event_type: ty.parse().unwrap(),
            date: date.into(),
            granularity: g,
            trigger: String::new(),
            title: title.into(),
            actors: actors.to_vec(),
            place,
            sentence: 0,
            evidence: format!("{title}."),
            date_mention: Some(0),
            status: crate::EventStatus::Happened,
            date_source: crate::DateSource::Text,
        }
    }

    #[test]
    fn one_summit_many_sources_order_independent() {
        let refs = vec![person("بوتين"), person("كيم"), place("فلاديفوستوك"), person("ترمب")];
        let a = [event("summit", "2023-09-13", Granularity::Day, &[0, 1], Some(2), "قمة بوتين وكيم في فلاديفوستوك")];
        let b = [event("visit", "2023-09", Granularity::Month, &[1], None, "زيارة كيم")];
        let c = [
            event("meeting", "2023-09-13", Granularity::Day, &[1, 0], None, "لقاء كيم وبوتين"),
            event("summit", "2019-02", Granularity::Month, &[1, 3], None, "قمة كيم وترمب"),
        ];
        let d = [event("talks", "2023-09", Granularity::Month, &[], None, "محادثات")];
        let docs = [
            DocEvents { doc: "a", doc_date: None, events: &a, entities: &refs },
            DocEvents { doc: "b", doc_date: None, events: &b, entities: &refs },
            DocEvents { doc: "c", doc_date: None, events: &c, entities: &refs },
            DocEvents { doc: "d", doc_date: None, events: &d, entities: &refs },
        ];
        let t = build_timeline(&docs);
        assert_eq!(t.len(), 2, "{t:#?}");
        assert_eq!(t[0].date, "2019-02");
        let s = &t[1];
        assert_eq!((s.date.as_str(), s.event_type.as_str()), ("2023-09-13", "summit"));
        assert_eq!(s.docs, ["a", "b", "c", "d"]);
        assert_eq!(s.evidence.len(), 4);
        assert_eq!(s.title, "قمة بوتين وكيم في فلاديفوستوك");
        assert_eq!(s.place.as_ref().map(|p| p.name.as_str()), Some("فلاديفوستوك"));
        let mut rev = docs;
        rev.reverse();
        assert_eq!(build_timeline(&rev), t);
    }

    #[test]
    fn different_people_same_day_stay_apart() {
        let refs = vec![person("أ"), person("ب"), person("ج"), person("د")];
        let a = [event("meeting", "2024-01-01", Granularity::Day, &[0, 1], None, "لقاء أ وب")];
        let b = [event("meeting", "2024-01-01", Granularity::Day, &[2, 3], None, "لقاء ج ود")];
        let docs = [
            DocEvents { doc: "a", doc_date: None, events: &a, entities: &refs },
            DocEvents { doc: "b", doc_date: None, events: &b, entities: &refs },
        ];
        assert_eq!(build_timeline(&docs).len(), 2);
    }

    #[test]
    fn two_hundred_thousand_events_merge() {
        let refs: Vec<EntityRef> = (0..500).map(|i| person(&format!("p{i}"))).collect();
        let evs: Vec<Vec<Event>> = (0..2000)
            .map(|d| {
                (0..100)
                    .map(|k| {
                        let day = (d * 7 + k) % 28 + 1;
                        let month = (d + k) % 12 + 1;
                        let ty = ["summit", "visit", "sanctions", "attack"][k % 4];
                        let date = format!("20{:02}-{month:02}-{day:02}", 10 + (d % 14));
                        event(ty, &date, Granularity::Day, &[(d + k) % 500, (d * 3 + k) % 500], None, "ح")
                    })
                    .collect()
            })
            .collect();
        let names: Vec<String> = (0..2000).map(|d| format!("doc{d}")).collect();
        let docs: Vec<DocEvents> = evs
            .iter()
            .zip(&names)
            .map(|(e, n)| DocEvents { doc: n, doc_date: None, events: e, entities: &refs })
            .collect();
        // Its speed is a benchmark's business (BENCHMARKS.md, corpus views),
        // not a timed test's: a loaded CI machine failed a time bound here.
        let t = build_timeline(&docs);
        assert!(!t.is_empty());
        assert!(t.len() < 200_000, "events with shared actors and dates merge: {}", t.len());
    }
}
