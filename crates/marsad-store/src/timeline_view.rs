//! The timeline view, kept in the three passes of
//! [`marsad_extract::corpus::build_timeline`], each redone only where a
//! batch changes its input.
//!
//! # Why three levels
//!
//! `build_timeline` joins events in two passes. Pass 1 unites the events of
//! one *group* — one type family, granularity and exact date
//! ([`corpus::same_date_group`]) — that name the same people
//! ([`corpus::cluster_same_date`]). Pass 2 attaches each month cluster to
//! the best day cluster of its month, then each year cluster to the best
//! finer cluster of its year ([`corpus::attach_to`]). Rebuilding the whole
//! year of a family for every new article read thousands of documents
//! (seconds on 26k articles); but each pass reads far less than that:
//!
//! * `timeline_items`: each event as pass 1 reads it — its group, who it
//!   names (corpus entity ids by role) and a hash of what an entry shows of
//!   it. A changed document rewrites its items; the groups they were or are
//!   in are clustered again, from their items alone.
//! * `timeline_units`: the clusters of pass 1, each with the union of who
//!   its members name, a hash of its members, and `joins`, the cluster it
//!   joined in pass 2. A month whose units changed has its month units
//!   attached again (reading its units only); a family's year whose units
//!   changed has its year units attached again, reading the units of that
//!   year (a few columns each, not documents).
//! * `timeline`: one entry per final cluster, keyed by its *anchor* (the
//!   finest unit, which the others joined) with a signature of its units'
//!   hashes. Only entries whose signature changed are made again, from
//!   their members' events, and written.
//!
//! The units are keyed by their first member (document and event number), so
//! a cluster that comes out the same keeps its key, and an entry whose
//! members did not change is not touched. The test `tests::incremental`
//! checks the result against `build_timeline` over every stored document.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

use marsad_extract::corpus::{self, EntityRef, TimelineEntry, TimelineMember, Who};
use marsad_extract::{Event, Granularity};
use rusqlite::{params, Connection, OptionalExtension};
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::views::{decode, encode, parse_type};

/// The order of the timeline, as an `ORDER BY` list of its columns.
pub(crate) const TIMELINE_ORDER: &str = "date, granularity, type, title, docs_key, tie, seq";
/// [`TIMELINE_ORDER`] backwards.
pub(crate) const TIMELINE_ORDER_DESC: &str =
    "date DESC, granularity DESC, type DESC, title DESC, docs_key DESC, tie DESC, seq DESC";

/// Who an event or unit names, by corpus entity id, as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Names {
    persons: Vec<String>,
    others: Vec<String>,
    places: Vec<String>,
}

impl Names {
    fn numbered(&self, intern: &mut Interner) -> Who {
        let mut who = Who {
            persons: self.persons.iter().map(|id| intern.number(id)).collect(),
            others: self.others.iter().map(|id| intern.number(id)).collect(),
            places: self.places.iter().map(|id| intern.number(id)).collect(),
        };
        // Numbers are given in any order: sort again.
        let plain = std::mem::take(&mut who);
        who.extend(&plain);
        who
    }

    fn extend(&mut self, o: &Names) {
        for (a, b) in [(&mut self.persons, &o.persons), (&mut self.others, &o.others), (&mut self.places, &o.places)] {
            a.extend(b.iter().cloned());
            a.sort_unstable();
            a.dedup();
        }
    }
}

/// Entity id → number, for one computation.
#[derive(Default)]
struct Interner {
    numbers: FxHashMap<String, u32>,
    ids: Vec<String>,
}

impl Interner {
    fn number(&mut self, id: &str) -> u32 {
        if let Some(&n) = self.numbers.get(id) {
            return n;
        }
        let n = self.ids.len() as u32;
        self.ids.push(id.to_owned());
        self.numbers.insert(id.to_owned(), n);
        n
    }
}

/// What a group key says: family, granularity, date.
struct GroupKey<'a> {
    family: &'a str,
    granularity: u8,
    date: &'a str,
}

fn parse_group(grp: &str) -> Result<GroupKey<'_>, StoreError> {
    let mut parts = grp.splitn(3, '|');
    let (Some(family), Some(g), Some(date)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(StoreError::Corrupt(format!("timeline group {grp:?}")));
    };
    let granularity = g.parse().map_err(|_| StoreError::Corrupt(format!("timeline group {grp:?}")))?;
    Ok(GroupKey { family, granularity, date })
}

/// The family-and-year bucket of a group ([`corpus::timeline_bucket`]).
fn bucket_of(key: &GroupKey<'_>) -> String {
    format!("{}/{}", key.family, key.date.split('-').next().unwrap_or(""))
}

/// The family-and-month of a day or month group (where pass 2 attaches
/// months to days).
fn month_of(key: &GroupKey<'_>) -> Option<String> {
    let month = key.date.get(..7)?;
    (key.granularity <= Granularity::Month as u8).then(|| format!("{}/{month}", key.family))
}

/// A unit's key: its first member's document and event number.
fn unit_key(doc: &str, seq: i64) -> String {
    format!("{doc}\u{1}{seq}")
}

fn hash_of<T: Hash + ?Sized>(value: &T) -> i64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    h.finish() as i64
}

/// Brings the timeline up to the `changed` documents (new, replaced, or
/// their entities resolved otherwise); with `all`, every document with
/// events is taken as changed (a new store layout).
pub(crate) fn update(db: &Connection, changed: &BTreeSet<String>) -> Result<(), StoreError> {
    let all: bool = db
        .query_row("SELECT value FROM view_state WHERE key = 'timeline_all'", [], |r| r.get::<_, i64>(0))
        .optional()?
        .is_some();
    let mut docs: BTreeSet<String> = changed.clone();
    if all {
        let every: Vec<String> = db
            .prepare("SELECT DISTINCT doc_id FROM doc_events")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        docs.extend(every);
        db.execute("DELETE FROM view_state WHERE key = 'timeline_all'", [])?;
    }
    let mut groups: BTreeSet<String> = BTreeSet::new();
    for doc in &docs {
        rewrite_items(db, doc, &mut groups)?;
    }
    let mut months: BTreeSet<String> = BTreeSet::new();
    let mut buckets: BTreeSet<String> = BTreeSet::new();
    // Every touched group's old units go first: a unit is keyed by its
    // first event, which may have moved to another group.
    for grp in &groups {
        db.prepare_cached("DELETE FROM timeline_units WHERE grp = ?1")?.execute([grp])?;
    }
    for grp in &groups {
        cluster_group(db, grp, &mut months, &mut buckets)?;
    }
    for month in &months {
        attach_months(db, month)?;
    }
    for bucket in &buckets {
        settle_bucket(db, bucket)?;
    }
    Ok(())
}

/// Replaces a document's items; adds the groups they were and are in.
fn rewrite_items(db: &Connection, doc: &str, groups: &mut BTreeSet<String>) -> Result<(), StoreError> {
    let old: Vec<String> = db
        .prepare_cached("SELECT grp FROM timeline_items WHERE doc_id = ?1")?
        .query_map([doc], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    groups.extend(old);
    db.prepare_cached("DELETE FROM timeline_items WHERE doc_id = ?1")?.execute([doc])?;
    let events = events_of(db, doc)?;
    if events.is_empty() {
        return Ok(());
    }
    let named: BTreeSet<usize> = events.iter().flat_map(|(_, e)| e.actors.iter().copied().chain(e.place)).collect();
    let refs = named_refs(db, doc, &named)?;
    let mut add = db.prepare_cached(
        "INSERT INTO timeline_items (doc_id, seq, grp, sentence, type, title, who, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (seq, event) in &events {
        let grp = corpus::same_date_group(event);
        let mut intern = Interner::default();
        let who = Who::of(event, &refs, |id| Some(intern.number(id)));
        let names = |list: &[u32]| -> Vec<String> {
            let mut v: Vec<String> = list.iter().map(|&n| intern.ids[n as usize].clone()).collect();
            v.sort_unstable();
            v
        };
        let names = Names { persons: names(&who.persons), others: names(&who.others), places: names(&who.places) };
        // What an entry shows of it: the event and the entities it names.
        let shown: Vec<Option<&EntityRef>> =
            event.actors.iter().chain(event.place.iter()).map(|&l| refs.get(l)).collect();
        let hash = hash_of(&(encode(event)?, encode(&shown)?));
        add.execute(params![
            doc,
            seq,
            grp,
            event.sentence as i64,
            event.event_type,
            event.title,
            encode(&names)?,
            hash
        ])?;
        groups.insert(grp);
    }
    Ok(())
}

/// A document's events with their numbers.
fn events_of(db: &Connection, doc: &str) -> Result<Vec<(i64, Event)>, StoreError> {
    let mut stmt = db.prepare_cached("SELECT seq, json FROM doc_events WHERE doc_id = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([doc], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, json) = row?;
        out.push((seq, decode(&json, "event")?));
    }
    Ok(out)
}

/// Pass 1 on one group: its units made again from its items (its old
/// units are gone).
fn cluster_group(
    db: &Connection,
    grp: &str,
    months: &mut BTreeSet<String>,
    buckets: &mut BTreeSet<String>,
) -> Result<(), StoreError> {
    let key = parse_group(grp)?;
    let bucket = bucket_of(&key);
    let month = month_of(&key);
    buckets.insert(bucket.clone());
    months.extend(month.clone());
    // The canonical order (document, sentence, type, date, title); the date
    // is the group's.
    let items: Vec<(String, i64, String, i64)> = db
        .prepare_cached(
            "SELECT doc_id, seq, who, hash FROM timeline_items WHERE grp = ?1
             ORDER BY doc_id, sentence, type, title, seq",
        )?
        .query_map([grp], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    if items.is_empty() {
        return Ok(());
    }
    let names: Vec<Names> = items.iter().map(|i| decode(&i.2, "timeline who")).collect::<Result<_, _>>()?;
    let mut intern = Interner::default();
    let whos: Vec<Who> = names.iter().map(|n| n.numbered(&mut intern)).collect();
    let refs: Vec<&Who> = whos.iter().collect();
    let mut add = db.prepare_cached(
        "INSERT INTO timeline_units (unit, grp, bucket, month, granularity, date, who, members, hash, joins)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL)",
    )?;
    for cluster in corpus::cluster_same_date(&refs) {
        let first = &items[cluster[0]];
        let mut who = Names::default();
        let mut members: Vec<(&str, i64)> = Vec::with_capacity(cluster.len());
        let mut hashes: Vec<(&str, i64, i64)> = Vec::with_capacity(cluster.len());
        for &i in &cluster {
            who.extend(&names[i]);
            members.push((&items[i].0, items[i].1));
            hashes.push((&items[i].0, items[i].1, items[i].3));
        }
        add.execute(params![
            unit_key(&first.0, first.1),
            grp,
            bucket,
            month,
            key.granularity,
            key.date,
            encode(&who)?,
            encode(&members)?,
            hash_of(&hashes),
        ])?;
    }
    Ok(())
}

/// One unit as pass 2 reads it.
struct Unit {
    key: String,
    granularity: u8,
    date: String,
    who: Names,
    hash: i64,
    joins: Option<String>,
}

fn read_units(db: &Connection, sql: &str, arg: &str) -> Result<Vec<Unit>, StoreError> {
    let rows: Vec<(String, u8, String, String, i64, Option<String>)> = db
        .prepare_cached(sql)?
        .query_map([arg], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(key, granularity, date, who, hash, joins)| {
            Ok(Unit { key, granularity, date, who: decode(&who, "timeline who")?, hash, joins })
        })
        .collect()
}

fn set_joins(db: &Connection, unit: &Unit, joins: Option<&str>) -> Result<(), StoreError> {
    if unit.joins.as_deref() != joins {
        db.prepare_cached("UPDATE timeline_units SET joins = ?2 WHERE unit = ?1")?.execute(params![unit.key, joins])?;
    }
    Ok(())
}

/// Pass 2, months: each month unit of a family's month attached to the
/// best day unit of that month, or to none.
fn attach_months(db: &Connection, month: &str) -> Result<(), StoreError> {
    let units = read_units(
        db,
        "SELECT unit, granularity, date, who, hash, joins FROM timeline_units WHERE month = ?1 ORDER BY unit",
        month,
    )?;
    let mut intern = Interner::default();
    let whos: Vec<Who> = units.iter().map(|u| u.who.numbered(&mut intern)).collect();
    let days: Vec<usize> = (0..units.len()).filter(|&i| units[i].granularity == Granularity::Day as u8).collect();
    for (i, unit) in units.iter().enumerate() {
        if unit.granularity != Granularity::Month as u8 {
            continue;
        }
        let candidates: Vec<usize> = days
            .iter()
            .copied()
            .filter(|&d| units[d].date.starts_with(&unit.date) && units[d].date.len() > unit.date.len())
            .collect();
        let target = corpus::attach_to(&whos[i], candidates.iter().map(|&d| (d, &whos[d])), candidates.len());
        set_joins(db, unit, target.map(|d| units[d].key.as_str()))?;
    }
    Ok(())
}

/// Pass 2, years, and the entries: each year unit of a family's year
/// attached to the best finer cluster of that year; then every entry of the
/// year whose members changed is made again.
fn settle_bucket(db: &Connection, bucket: &str) -> Result<(), StoreError> {
    let mut units = read_units(
        db,
        "SELECT unit, granularity, date, who, hash, joins FROM timeline_units WHERE bucket = ?1 ORDER BY unit",
        bucket,
    )?;
    let index: FxHashMap<String, usize> = units.iter().enumerate().map(|(i, u)| (u.key.clone(), i)).collect();
    let (day, month, year) = (Granularity::Day as u8, Granularity::Month as u8, Granularity::Year as u8);
    // The clusters after the month pass: a day unit with the months that
    // joined it; a month unit that joined none.
    let mut fine: Vec<(usize, Names)> = Vec::new();
    let mut fine_of: FxHashMap<usize, usize> = FxHashMap::default();
    for (i, u) in units.iter().enumerate() {
        if u.granularity == day || (u.granularity == month && u.joins.is_none()) {
            fine_of.insert(i, fine.len());
            fine.push((i, u.who.clone()));
        }
    }
    for u in &units {
        if u.granularity == month {
            if let Some(&d) = u.joins.as_ref().and_then(|j| index.get(j)) {
                if let Some(&f) = fine_of.get(&d) {
                    fine[f].1.extend(&u.who);
                }
            }
        }
    }
    let mut intern = Interner::default();
    let fine_whos: Vec<Who> = fine.iter().map(|(_, n)| n.numbered(&mut intern)).collect();
    let mut postings: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (f, who) in fine_whos.iter().enumerate() {
        for id in who.all() {
            let list = postings.entry(id).or_default();
            if list.last() != Some(&f) {
                list.push(f);
            }
        }
    }
    let mut year_joins: Vec<(usize, Option<String>)> = Vec::new();
    for (i, u) in units.iter().enumerate() {
        if u.granularity != year {
            continue;
        }
        let in_period = |f: usize| {
            let d = &units[fine[f].0].date;
            d.starts_with(&u.date) && d.len() > u.date.len()
        };
        let total = (0..fine.len()).filter(|&f| in_period(f)).count();
        let who = u.who.numbered(&mut intern);
        let mut candidates: Vec<usize> =
            who.all().flat_map(|id| postings.get(&id).into_iter().flatten().copied()).collect();
        if total == 1 {
            candidates.extend((0..fine.len()).filter(|&f| in_period(f)));
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.retain(|&f| in_period(f));
        let target = corpus::attach_to(&who, candidates.iter().map(|&f| (f, &fine_whos[f])), total);
        year_joins.push((i, target.map(|f| units[fine[f].0].key.clone())));
    }
    for (i, joins) in year_joins {
        set_joins(db, &units[i], joins.as_deref())?;
        units[i].joins = joins;
    }

    // The final clusters, by anchor: the unit the others joined.
    let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, u) in units.iter().enumerate() {
        let anchor = match &u.joins {
            Some(target) if u.granularity == month || u.granularity == year => target.as_str(),
            _ => u.key.as_str(),
        };
        members.entry(anchor).or_default().push(i);
    }
    let stored: FxHashMap<String, (i64, i64)> = db
        .prepare_cached("SELECT anchor, seq, sig FROM timeline WHERE bucket = ?1")?
        .query_map([bucket], |r| Ok((r.get::<_, String>(0)?, (r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))))?
        .collect::<Result<_, _>>()?;
    let mut keep: FxHashSet<&str> = FxHashSet::default();
    for (anchor, list) in &members {
        let mut parts: Vec<(&str, i64)> = list.iter().map(|&i| (units[i].key.as_str(), units[i].hash)).collect();
        parts.sort_unstable();
        let sig = hash_of(&parts);
        match stored.get(*anchor) {
            Some(&(_, old)) if old == sig => {
                keep.insert(anchor);
                continue;
            }
            Some(&(seq, _)) => delete_entry(db, seq)?,
            None => {}
        }
        let keys: Vec<&str> = list.iter().map(|&i| units[i].key.as_str()).collect();
        write_entry(db, bucket, anchor, sig, &entry_of(db, &keys)?)?;
        keep.insert(anchor);
    }
    for (anchor, &(seq, _)) in &stored {
        if !keep.contains(anchor.as_str()) {
            delete_entry(db, seq)?;
        }
    }
    Ok(())
}

/// The entry of the events of these units, from the stored events.
fn entry_of(db: &Connection, units: &[&str]) -> Result<TimelineEntry, StoreError> {
    let mut wanted: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for unit in units {
        let json: String =
            db.prepare_cached("SELECT members FROM timeline_units WHERE unit = ?1")?.query_row([unit], |r| r.get(0))?;
        for (doc, seq) in decode::<Vec<(String, i64)>>(&json, "timeline members")? {
            wanted.entry(doc).or_default().push(seq);
        }
    }
    let mut loaded: Vec<(String, Vec<Event>, Vec<EntityRef>)> = Vec::with_capacity(wanted.len());
    for (doc, seqs) in wanted {
        let mut events = Vec::with_capacity(seqs.len());
        for seq in seqs {
            let json: String = db
                .prepare_cached("SELECT json FROM doc_events WHERE doc_id = ?1 AND seq = ?2")?
                .query_row(params![doc, seq], |r| r.get(0))?;
            events.push(decode::<Event>(&json, "event")?);
        }
        let named: BTreeSet<usize> = events.iter().flat_map(|e| e.actors.iter().copied().chain(e.place)).collect();
        let refs = named_refs(db, &doc, &named)?;
        loaded.push((doc, events, refs));
    }
    let members: Vec<TimelineMember<'_>> = loaded
        .iter()
        .flat_map(|(doc, events, refs)| events.iter().map(move |event| TimelineMember { doc, event, refs }))
        .collect();
    Ok(corpus::timeline_entry(&members))
}

/// The corpus entities of the local entities the events name; the others
/// are left unresolved, as the timeline reads only actors and places.
fn named_refs(db: &Connection, doc: &str, named: &BTreeSet<usize>) -> Result<Vec<EntityRef>, StoreError> {
    let mut refs: Vec<EntityRef> = Vec::new();
    for &local in named {
        let found: Option<(String, String, String)> = db
            .prepare_cached(
                "SELECT e.id, e.name, e.type FROM entity_docs d JOIN entities e ON e.id = d.entity_id
                 WHERE d.doc_id = ?1 AND d.local = ?2",
            )?
            .query_row(params![doc, local as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((id, name, t)) = found else { continue };
        if refs.len() <= local {
            refs.resize(local + 1, unresolved());
        }
        refs[local] = EntityRef { id, name, entity_type: parse_type(&t)? };
    }
    Ok(refs)
}

fn unresolved() -> EntityRef {
    EntityRef { id: String::new(), name: String::new(), entity_type: marsad_extract::EntityType::Misc }
}

fn delete_entry(db: &Connection, seq: i64) -> Result<(), StoreError> {
    db.prepare_cached("DELETE FROM timeline_actors WHERE seq = ?1")?.execute([seq])?;
    db.prepare_cached("DELETE FROM timeline WHERE seq = ?1")?.execute([seq])?;
    Ok(())
}

fn write_entry(db: &Connection, bucket: &str, anchor: &str, sig: i64, entry: &TimelineEntry) -> Result<(), StoreError> {
    db.prepare_cached(
        "INSERT INTO timeline (bucket, date, granularity, type, title, docs_key, json, anchor, sig, tie)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        bucket,
        entry.date,
        entry.granularity as i64,
        entry.event_type,
        entry.title,
        // Joined with the lowest character, so that the text order is
        // the order of the sorted lists.
        entry.docs.join("\u{1}"),
        encode(entry)?,
        anchor,
        sig,
        corpus::entry_tiebreak(entry),
    ])?;
    let seq = db.last_insert_rowid();
    for a in entry.actors.iter().chain(entry.place.iter()) {
        db.prepare_cached("INSERT INTO timeline_actors (seq, entity_id) VALUES (?1, ?2)")?
            .execute(params![seq, a.id])?;
    }
    Ok(())
}
