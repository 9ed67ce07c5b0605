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
//!   joined in pass 2. A group clustered again keeps the units that come
//!   out the same (key and hash) and writes only the others. A month whose
//!   units changed has its month units attached again (reading its units
//!   only); a family's year whose units changed has its year units
//!   attached again. A year's units run to thousands (every attack of
//!   2015), but a year unit can only join a finer cluster that names
//!   someone it names, or the only one there is: `timeline_unit_names`
//!   (bucket, entity id, unit) finds the former, a two-row range of the
//!   bucket index the latter, and the year is never read whole.
//! * `timeline`: one entry per final cluster, keyed by its *anchor* (the
//!   finest unit, which the others joined) with a signature of its units'
//!   hashes. The anchors to look at again are the units that changed and
//!   the units they joined before and after; an entry is made again, from
//!   its members' events, only when its signature changed, and removed when
//!   its anchor is gone or joined another.
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
use rustc_hash::{FxHashMap, FxHasher};
use serde::{Deserialize, Serialize};

use crate::rows::{decode, encode, parse_type};
use marsad_store::StoreError;

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

    /// Every id it names, in any role.
    fn all(&self) -> impl Iterator<Item = &String> {
        self.persons.iter().chain(&self.others).chain(&self.places)
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
        // Documents still pending for a later slice of the refresh come
        // with their slice (their entity rows are not current yet).
        let every: Vec<String> = db
            .prepare("SELECT DISTINCT doc_id FROM doc_events WHERE doc_id NOT IN (SELECT doc_id FROM view_pending)")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        docs.extend(every);
        for table in ["timeline", "timeline_actors", "timeline_units", "timeline_unit_names"] {
            db.execute(&format!("DELETE FROM {table}"), [])?;
        }
        db.execute("DELETE FROM view_state WHERE key = 'timeline_all'", [])?;
    }
    let mut groups: BTreeSet<String> = BTreeSet::new();
    for doc in &docs {
        rewrite_items(db, doc, &mut groups)?;
    }
    // Pass 1 on every touched group first: a unit is keyed by its first
    // event, which may have moved to another group, so every group's stale
    // units go before any new one is written.
    let mut fresh: Vec<(&str, Vec<NewUnit>)> = Vec::with_capacity(groups.len());
    for grp in &groups {
        fresh.push((grp, cluster_group(db, grp)?));
    }
    let mut touched = Touched::default();
    for (grp, units) in &mut fresh {
        remove_stale_units(db, grp, units, &mut touched)?;
    }
    for (_, units) in &fresh {
        for unit in units.iter().filter(|u| !u.kept) {
            insert_unit(db, unit, &mut touched)?;
        }
    }
    for month in &touched.months.clone() {
        attach_months(db, month, &mut touched)?;
    }
    for bucket in &touched.buckets.clone() {
        attach_years(db, bucket, &mut touched)?;
    }
    for (bucket, anchors) in &touched.anchors {
        for anchor in anchors {
            settle_entry(db, bucket, anchor)?;
        }
    }
    Ok(())
}

/// What pass 1 changed, for pass 2 and the entries.
#[derive(Default)]
struct Touched {
    /// Family-months whose units changed.
    months: BTreeSet<String>,
    /// Family-years whose units changed.
    buckets: BTreeSet<String>,
    /// By bucket, the units an entry may have been or may now be anchored
    /// on: those that changed, and the units they joined before and after.
    anchors: BTreeMap<String, BTreeSet<String>>,
}

impl Touched {
    fn anchor(&mut self, bucket: &str, unit: &str) {
        if let Some(set) = self.anchors.get_mut(bucket) {
            set.insert(unit.to_owned());
        } else {
            self.anchors.insert(bucket.to_owned(), BTreeSet::from([unit.to_owned()]));
        }
    }
}

/// A unit as pass 1 makes it.
struct NewUnit {
    key: String,
    grp: String,
    bucket: String,
    month: Option<String>,
    granularity: u8,
    date: String,
    who: Names,
    members: String,
    hash: i64,
    /// Stored already as it is.
    kept: bool,
}

/// A stored unit as pass 1 compares it: key, bucket, month, hash, who,
/// granularity, joins.
type StoredUnit = (String, String, Option<String>, i64, String, u8, Option<String>);

/// The units a changed group had and no longer has as they were go, with
/// their names; the others are marked kept.
fn remove_stale_units(
    db: &Connection,
    grp: &str,
    units: &mut [NewUnit],
    touched: &mut Touched,
) -> Result<(), StoreError> {
    let old: Vec<StoredUnit> = db
        .prepare_cached("SELECT unit, bucket, month, hash, who, granularity, joins FROM timeline_units WHERE grp = ?1")?
        .query_map([grp], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?
        .collect::<Result<_, _>>()?;
    for (key, bucket, month, hash, who, granularity, joins) in old {
        if let Some(unit) = units.iter_mut().find(|u| u.key == key && u.hash == hash) {
            unit.kept = true;
            continue;
        }
        db.prepare_cached("DELETE FROM timeline_units WHERE unit = ?1")?.execute([&key])?;
        let who: Names = decode(&who, "timeline who")?;
        let mut forget =
            db.prepare_cached("DELETE FROM timeline_unit_names WHERE bucket = ?1 AND name = ?2 AND unit = ?3")?;
        for name in who.all() {
            forget.execute(params![bucket, name, key])?;
        }
        touched.anchor(&bucket, anchor_of(&key, granularity, joins.as_deref()));
        touched.months.extend(month);
        touched.buckets.insert(bucket);
    }
    Ok(())
}

fn insert_unit(db: &Connection, unit: &NewUnit, touched: &mut Touched) -> Result<(), StoreError> {
    db.prepare_cached(
        "INSERT INTO timeline_units (unit, grp, bucket, month, granularity, date, who, members, hash, joins)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL)",
    )?
    .execute(params![
        unit.key,
        unit.grp,
        unit.bucket,
        unit.month,
        unit.granularity,
        unit.date,
        encode(&unit.who)?,
        unit.members,
        unit.hash,
    ])?;
    let mut name =
        db.prepare_cached("INSERT OR IGNORE INTO timeline_unit_names (bucket, name, unit) VALUES (?1, ?2, ?3)")?;
    for n in unit.who.all() {
        name.execute(params![unit.bucket, n, unit.key])?;
    }
    touched.anchor(&unit.bucket, &unit.key);
    touched.months.extend(unit.month.clone());
    touched.buckets.insert(unit.bucket.clone());
    Ok(())
}

/// The unit whose entry a unit is in: the one it joined in pass 2, or
/// itself.
fn anchor_of<'a>(key: &'a str, granularity: u8, joins: Option<&'a str>) -> &'a str {
    match joins {
        Some(target) if granularity == Granularity::Month as u8 || granularity == Granularity::Year as u8 => target,
        _ => key,
    }
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
            event.event_type.as_str(),
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

/// Pass 1 on one group: its units as its items make them now.
fn cluster_group(db: &Connection, grp: &str) -> Result<Vec<NewUnit>, StoreError> {
    let key = parse_group(grp)?;
    let bucket = bucket_of(&key);
    let month = month_of(&key);
    // The canonical order (document, sentence, type, date, title); the date
    // is the group's.
    let items: Vec<(String, i64, String, i64)> = db
        .prepare_cached(
            "SELECT doc_id, seq, who, hash FROM timeline_items WHERE grp = ?1
             ORDER BY doc_id, sentence, type, title, seq",
        )?
        .query_map([grp], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    let names: Vec<Names> = items.iter().map(|i| decode(&i.2, "timeline who")).collect::<Result<_, _>>()?;
    let mut intern = Interner::default();
    let whos: Vec<Who> = names.iter().map(|n| n.numbered(&mut intern)).collect();
    let refs: Vec<&Who> = whos.iter().collect();
    let mut out = Vec::new();
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
        out.push(NewUnit {
            key: unit_key(&first.0, first.1),
            grp: grp.to_owned(),
            bucket: bucket.clone(),
            month: month.clone(),
            granularity: key.granularity,
            date: key.date.to_owned(),
            who,
            members: encode(&members)?,
            hash: hash_of(&hashes),
            kept: false,
        });
    }
    Ok(out)
}

/// One unit as pass 2 reads it.
struct Unit {
    key: String,
    granularity: u8,
    date: String,
    who: Names,
    joins: Option<String>,
}

fn read_units(db: &Connection, sql: &str, arg: &str) -> Result<Vec<Unit>, StoreError> {
    let rows: Vec<(String, u8, String, String, Option<String>)> = db
        .prepare_cached(sql)?
        .query_map([arg], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(key, granularity, date, who, joins)| {
            Ok(Unit { key, granularity, date, who: decode(&who, "timeline who")?, joins })
        })
        .collect()
}

/// Records what a coarse unit joins now; a change moves it from one entry
/// to another, and both are settled again.
fn set_joins(
    db: &Connection,
    bucket: &str,
    unit: &Unit,
    joins: Option<&str>,
    touched: &mut Touched,
) -> Result<(), StoreError> {
    if unit.joins.as_deref() != joins {
        db.prepare_cached("UPDATE timeline_units SET joins = ?2 WHERE unit = ?1")?.execute(params![unit.key, joins])?;
        touched.anchor(bucket, anchor_of(&unit.key, unit.granularity, unit.joins.as_deref()));
        touched.anchor(bucket, anchor_of(&unit.key, unit.granularity, joins));
        touched.buckets.insert(bucket.to_owned());
    }
    Ok(())
}

/// Pass 2, months: each month unit of a family's month attached to the
/// best day unit of that month, or to none.
fn attach_months(db: &Connection, month: &str, touched: &mut Touched) -> Result<(), StoreError> {
    let units = read_units(
        db,
        "SELECT unit, granularity, date, who, joins FROM timeline_units WHERE month = ?1 ORDER BY unit",
        month,
    )?;
    let Some((family, m)) = month.rsplit_once('/') else {
        return Err(StoreError::Corrupt(format!("timeline month {month:?}")));
    };
    let bucket = format!("{family}/{}", m.split('-').next().unwrap_or(""));
    let mut intern = Interner::default();
    let whos: Vec<Who> = units.iter().map(|u| u.who.numbered(&mut intern)).collect();
    let days: Vec<usize> = (0..units.len()).filter(|&i| units[i].granularity == Granularity::Day as u8).collect();
    // Every day unit of the month is in a month unit's period; the only
    // ones `attach_to` needs are those sharing a name with it (and the
    // one there is, if there is one): found by name, not by comparing
    // every month unit with every day unit (a month of a large store holds
    // thousands of each).
    let mut by_name: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for &d in &days {
        for name in whos[d].all() {
            by_name.entry(name).or_default().push(d);
        }
    }
    for (i, unit) in units.iter().enumerate() {
        if unit.granularity != Granularity::Month as u8 {
            continue;
        }
        let mut candidates: Vec<usize> = if days.len() == 1 {
            days.clone()
        } else {
            whos[i].all().filter_map(|name| by_name.get(&name)).flatten().copied().collect()
        };
        candidates.sort_unstable();
        candidates.dedup();
        candidates.retain(|&d| units[d].date.starts_with(&unit.date) && units[d].date.len() > unit.date.len());
        let target = corpus::attach_to(&whos[i], candidates.iter().map(|&d| (d, &whos[d])), days.len());
        set_joins(db, &bucket, unit, target.map(|d| units[d].key.as_str()), touched)?;
    }
    Ok(())
}

/// Pass 2, years: each year unit of a family's year attached to the best
/// finer cluster of that year (a day unit with the months that joined it,
/// or a month unit that joined none). The candidates are found through
/// `timeline_unit_names`: the finer clusters that share a name with the
/// year unit, which is all [`corpus::attach_to`] needs besides whether the
/// year holds exactly one finer cluster; so a year of thousands of units is
/// not read.
fn attach_years(db: &Connection, bucket: &str, touched: &mut Touched) -> Result<(), StoreError> {
    let (day, month, year) = (Granularity::Day as u8, Granularity::Month as u8, Granularity::Year as u8);
    let years = read_units(
        db,
        "SELECT unit, granularity, date, who, joins FROM timeline_units WHERE bucket = ?1 AND granularity = 2
         ORDER BY unit",
        bucket,
    )?;
    for unit in &years {
        let in_period = |date: &str| date.starts_with(&unit.date) && date.len() > unit.date.len();
        // The finer clusters of the period, as far as "exactly one" needs
        // (dates of a year's period are `YYYY-…`: a range of the index).
        let (from, to) = (format!("{}-", unit.date), format!("{}.", unit.date));
        let mut first_two: Vec<String> = Vec::new();
        for sql in [
            "SELECT unit FROM timeline_units WHERE bucket = ?1 AND granularity = 0 AND date >= ?2 AND date < ?3 LIMIT 2",
            "SELECT unit FROM timeline_units WHERE bucket = ?1 AND granularity = 1 AND date >= ?2 AND date < ?3
             AND joins IS NULL LIMIT 2",
        ] {
            let found: Vec<String> = db
                .prepare_cached(sql)?
                .query_map(params![bucket, from, to], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            first_two.extend(found);
        }
        first_two.truncate(2);
        let total = first_two.len();
        let mut fine: BTreeSet<String> = BTreeSet::new();
        if total == 1 {
            fine.insert(first_two[0].clone());
        }
        for name in unit.who.all() {
            let named: Vec<(String, u8, String, Option<String>)> = db
                .prepare_cached(
                    "SELECT u.unit, u.granularity, u.date, u.joins FROM timeline_unit_names n
                     JOIN timeline_units u ON u.unit = n.unit WHERE n.bucket = ?1 AND n.name = ?2",
                )?
                .query_map(params![bucket, name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<Result<_, _>>()?;
            for (key, granularity, date, joins) in named {
                if !in_period(&date) {
                    continue;
                }
                match (granularity, joins) {
                    (g, _) if g == day => fine.insert(key),
                    (g, None) if g == month => fine.insert(key),
                    (g, Some(target)) if g == month => fine.insert(target),
                    _ => false,
                };
            }
        }
        let mut intern = Interner::default();
        let who = unit.who.numbered(&mut intern);
        let mut candidates: Vec<(String, Who)> = Vec::with_capacity(fine.len());
        for key in fine {
            let (granularity, date, own): (u8, String, String) = db
                .prepare_cached("SELECT granularity, date, who FROM timeline_units WHERE unit = ?1")?
                .query_row([&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            if !(granularity == day || granularity == month) || !in_period(&date) {
                continue;
            }
            let mut names: Names = decode(&own, "timeline who")?;
            let joined: Vec<String> = db
                .prepare_cached("SELECT who FROM timeline_units WHERE joins = ?1 AND granularity = 1")?
                .query_map([&key], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for j in &joined {
                names.extend(&decode(j, "timeline who")?);
            }
            candidates.push((key, names.numbered(&mut intern)));
        }
        let target = corpus::attach_to(&who, candidates.iter().map(|(k, w)| (k.as_str(), w)), total);
        debug_assert!(unit.granularity == year);
        set_joins(db, bucket, unit, target, touched)?;
    }
    Ok(())
}

/// The entry anchored on `anchor`: made again when its members' signature
/// changed, removed when the unit is gone or joined another.
fn settle_entry(db: &Connection, bucket: &str, anchor: &str) -> Result<(), StoreError> {
    // A unit keeps its key when its first event moves to another date, so
    // it may be in another bucket now.
    let row: Option<(u8, Option<String>, i64)> = db
        .prepare_cached("SELECT granularity, joins, hash FROM timeline_units WHERE unit = ?1 AND bucket = ?2")?
        .query_row([anchor, bucket], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let stored: Option<(i64, i64)> = db
        .prepare_cached("SELECT seq, sig FROM timeline WHERE bucket = ?1 AND anchor = ?2")?
        .query_row([bucket, anchor], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let own = row.filter(|(granularity, joins, _)| anchor_of(anchor, *granularity, joins.as_deref()) == anchor);
    let Some((_, _, hash)) = own else {
        if let Some((seq, _)) = stored {
            delete_entry(db, seq)?;
        }
        return Ok(());
    };
    let mut parts: Vec<(String, i64)> = db
        .prepare_cached("SELECT unit, hash FROM timeline_units WHERE joins = ?1 AND granularity IN (1, 2)")?
        .query_map([anchor], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    parts.push((anchor.to_owned(), hash));
    parts.sort_unstable();
    let borrowed: Vec<(&str, i64)> = parts.iter().map(|(k, h)| (k.as_str(), *h)).collect();
    let sig = hash_of(&borrowed);
    match stored {
        Some((_, old)) if old == sig => return Ok(()),
        Some((seq, _)) => delete_entry(db, seq)?,
        None => {}
    }
    let keys: Vec<&str> = parts.iter().map(|(k, _)| k.as_str()).collect();
    write_entry(db, bucket, anchor, sig, &entry_of(db, &keys)?)
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
        entry.event_type.as_str(),
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
