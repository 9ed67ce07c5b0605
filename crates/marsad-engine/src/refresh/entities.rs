//! The entities view, kept up to date one batch at a time.
//!
//! [`marsad_extract::corpus::resolve_entities`] merges every document's
//! entities into corpus entities in one pass over the corpus. Rerunning it
//! after each batch made an increment cost the whole corpus. This module
//! reaches the same result (a test compares them) by keeping, on disk,
//! what that pass keeps in memory:
//!
//! * `entity_locals`: each local entity taken in, with its name's key,
//!   words, family name and the cluster it was put in;
//! * counts the cluster decisions read: documents and mentions per name
//!   key (`entity_keys`, `entity_key_docs`) and the full-name keys of each
//!   family name (`entity_families`);
//! * each cluster's totals (`entity_clusters`, `entity_cluster_docs`,
//!   `entity_cluster_names`, `entity_cluster_variants`,
//!   `entity_cluster_roles`), from which its name, variants and roles are
//!   drawn by [`marsad_extract::corpus::cluster_names`].
//!
//! A refreshed document's old rows are retracted (every count taken back),
//! its new rows added, and only the decisions those counts feed are asked
//! again: the cluster of each name key it touched, of the lone family names
//! its full names carry, and of the shorter nasab chains its chains begin.
//! Names whose decision changed move between clusters; only clusters that
//! gained or lost a row are summarized again. The work is proportional to
//! the batch and to the names it touches, not to the corpus.
//!
//! The documents whose local entities now point at another corpus entity
//! (a new id, or a new canonical name) are returned: the timeline and the
//! graph redo exactly those.

use std::collections::{BTreeSet, HashMap};

use marsad_extract::corpus::{self, ClusterTotals, NameInfo};
use marsad_extract::EntityType;
use rusqlite::{params, Connection, OptionalExtension, ToSql};

use crate::rows::{bump, decode, encode, parse_type};
use marsad_store::StoreError;

/// One local entity as the view holds it.
struct LocalRow {
    doc: String,
    local: i64,
    ty: String,
    name: String,
    key: String,
    words: i64,
    family: Option<String>,
    variants: Vec<String>,
    roles: Vec<String>,
    mentions: i64,
    /// The cluster it is in (empty: none yet).
    cluster: String,
}

/// The columns [`LocalRow::read`] reads, in its order.
const ROW_COLUMNS: &str = "doc_id, local, type, name, key, words, family, variants, roles, mentions, cluster";

impl LocalRow {
    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<(LocalRow, String, String)> {
        Ok((
            LocalRow {
                doc: r.get(0)?,
                local: r.get(1)?,
                ty: r.get(2)?,
                name: r.get(3)?,
                key: r.get(4)?,
                words: r.get(5)?,
                family: r.get(6)?,
                variants: Vec::new(),
                roles: Vec::new(),
                mentions: r.get(9)?,
                cluster: r.get(10)?,
            },
            r.get(7)?,
            r.get(8)?,
        ))
    }
}

/// Rows of `entity_locals` matching `filter` (a `WHERE` clause on `args`).
fn select_rows(db: &Connection, filter: &str, args: &[&dyn ToSql]) -> Result<Vec<LocalRow>, StoreError> {
    let mut stmt = db.prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM entity_locals WHERE {filter}"))?;
    let rows = stmt.query_map(args, LocalRow::read)?;
    let mut out = Vec::new();
    for row in rows {
        let (mut row, variants, roles) = row?;
        row.variants = decode(&variants, "variants")?;
        row.roles = decode(&roles, "roles")?;
        out.push(row);
    }
    Ok(out)
}

/// Count changes gathered over a refresh and written once per key, so a
/// name seen in a thousand documents of a batch costs one row update, not
/// a thousand.
#[derive(Default)]
struct Deltas {
    key_docs: HashMap<(String, String, String), i64>,
    key_mentions: HashMap<(String, String), i64>,
    families: HashMap<(String, String), i64>,
    cluster_docs: HashMap<(String, String, String), i64>,
    /// (mentions, locals) per cluster.
    clusters: HashMap<(String, String), (i64, i64)>,
    /// (locals, mentions, words) per cluster name.
    names: HashMap<(String, String, String), (i64, i64, i64)>,
    variants: HashMap<(String, String, String), i64>,
    roles: HashMap<(String, String, String), i64>,
}

impl Deltas {
    /// Counts a row in (or out of) its key's documents and mentions and
    /// its family's full names.
    fn count_key(&mut self, row: &LocalRow, sign: i64) {
        *self.key_docs.entry((row.ty.clone(), row.key.clone(), row.doc.clone())).or_default() += sign;
        *self.key_mentions.entry((row.ty.clone(), row.key.clone())).or_default() += sign * row.mentions;
        if let Some(f) = &row.family {
            *self.families.entry((f.clone(), row.key.clone())).or_default() += sign;
        }
    }

    /// Adds a row to (or takes it from) a cluster's totals.
    fn apply(&mut self, row: &LocalRow, cluster: &str, sign: i64) {
        let (ty, c) = (row.ty.clone(), cluster.to_owned());
        *self.cluster_docs.entry((ty.clone(), c.clone(), row.doc.clone())).or_default() += sign;
        let totals = self.clusters.entry((ty.clone(), c.clone())).or_default();
        totals.0 += sign * row.mentions;
        totals.1 += sign;
        let name = self.names.entry((ty.clone(), c.clone(), row.name.clone())).or_default();
        name.0 += sign;
        name.1 += sign * row.mentions;
        name.2 = row.words;
        for v in &row.variants {
            *self.variants.entry((ty.clone(), c.clone(), v.clone())).or_default() += sign;
        }
        for r in &row.roles {
            *self.roles.entry((ty.clone(), c.clone(), r.clone())).or_default() += sign;
        }
    }

    /// Writes the key counts.
    fn flush_keys(&mut self, db: &Connection) -> Result<(), StoreError> {
        let mut docs: HashMap<(String, String), i64> = HashMap::new();
        for ((ty, key, doc), d) in self.key_docs.drain() {
            if d == 0 {
                continue;
            }
            let now = bump(db, "entity_key_docs", &["type", "key", "doc_id"], &[&ty, &key, &doc], d)?;
            *docs.entry((ty, key)).or_default() += i64::from(now > 0) - i64::from(now - d > 0);
        }
        let mut keys: BTreeSet<(String, String)> = docs.keys().cloned().collect();
        keys.extend(self.key_mentions.keys().cloned());
        for (ty, key) in keys {
            let d = docs.get(&(ty.clone(), key.clone())).copied().unwrap_or(0);
            let m = self.key_mentions.get(&(ty.clone(), key.clone())).copied().unwrap_or(0);
            if d == 0 && m == 0 {
                continue;
            }
            let left: i64 = db
                .prepare_cached(
                    "INSERT INTO entity_keys (type, key, docs, mentions) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT DO UPDATE SET docs = docs + excluded.docs, mentions = mentions + excluded.mentions
                     RETURNING docs",
                )?
                .query_row(params![ty, key, d, m], |r| r.get(0))?;
            if left <= 0 {
                db.prepare_cached("DELETE FROM entity_keys WHERE type = ?1 AND key = ?2")?.execute([&ty, &key])?;
            }
        }
        self.key_mentions.clear();
        for ((family, key), d) in self.families.drain() {
            if d != 0 {
                bump(db, "entity_families", &["family", "key"], &[&family, &key], d)?;
            }
        }
        Ok(())
    }

    /// Writes the cluster totals.
    fn flush_clusters(&mut self, db: &Connection) -> Result<(), StoreError> {
        let mut docs: HashMap<(String, String), i64> = HashMap::new();
        for ((ty, cluster, doc), d) in self.cluster_docs.drain() {
            if d == 0 {
                continue;
            }
            let now = bump(db, "entity_cluster_docs", &["type", "cluster", "doc_id"], &[&ty, &cluster, &doc], d)?;
            *docs.entry((ty, cluster)).or_default() += i64::from(now > 0) - i64::from(now - d > 0);
        }
        for ((ty, cluster), (mentions, locals)) in self.clusters.drain() {
            let d = docs.get(&(ty.clone(), cluster.clone())).copied().unwrap_or(0);
            db.prepare_cached(
                "INSERT INTO entity_clusters (type, cluster, id, docs, mentions, locals) VALUES (?1, ?2, '', ?3, ?4, ?5)
                 ON CONFLICT DO UPDATE SET docs = docs + excluded.docs, mentions = mentions + excluded.mentions,
                     locals = locals + excluded.locals",
            )?
            .execute(params![ty, cluster, d, mentions, locals])?;
        }
        for ((ty, cluster, name), (n, mentions, words)) in self.names.drain() {
            if n == 0 && mentions == 0 {
                continue;
            }
            let left: i64 = db
                .prepare_cached(
                    "INSERT INTO entity_cluster_names (type, cluster, name, n, mentions, words)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT DO UPDATE SET n = n + excluded.n, mentions = mentions + excluded.mentions
                     RETURNING n",
                )?
                .query_row(params![ty, cluster, name, n, mentions, words], |r| r.get(0))?;
            if left <= 0 {
                db.prepare_cached("DELETE FROM entity_cluster_names WHERE type = ?1 AND cluster = ?2 AND name = ?3")?
                    .execute(params![ty, cluster, name])?;
            }
        }
        for ((ty, cluster, v), d) in self.variants.drain() {
            if d != 0 {
                bump(db, "entity_cluster_variants", &["type", "cluster", "variant"], &[&ty, &cluster, &v], d)?;
            }
        }
        for ((ty, cluster, r), d) in self.roles.drain() {
            if d != 0 {
                bump(db, "entity_cluster_roles", &["type", "cluster", "role"], &[&ty, &cluster, &r], d)?;
            }
        }
        Ok(())
    }
}

const PERSON: &str = "person";

/// Brings the entities view up to the analyses of `pending` documents
/// (added, replaced or reanalyzed). Returns every document whose local
/// entities resolve differently now, `pending` included.
pub(crate) fn update(db: &Connection, pending: &[String]) -> Result<BTreeSet<String>, StoreError> {
    let mut changed: BTreeSet<String> = pending.iter().cloned().collect();
    // Name keys whose counts changed: (type, key).
    let mut touched: BTreeSet<(String, String)> = BTreeSet::new();
    // Clusters that gained or lost rows: (type, cluster).
    let mut clusters: BTreeSet<(String, String)> = BTreeSet::new();

    let mut deltas = Deltas::default();
    // 1. Take back what the pending documents gave before.
    for doc in pending {
        for row in select_rows(db, "doc_id = ?1", params![doc])? {
            deltas.count_key(&row, -1);
            if !row.cluster.is_empty() {
                deltas.apply(&row, &row.cluster, -1);
                clusters.insert((row.ty.clone(), row.cluster.clone()));
            }
            touch(&mut touched, &row);
        }
        db.prepare_cached("DELETE FROM entity_locals WHERE doc_id = ?1")?.execute([doc])?;
    }

    // 2. Count what they give now; their rows are written once their
    // clusters are known (step 4).
    let mut new_rows: Vec<LocalRow> = Vec::new();
    let mut infos: HashMap<(EntityType, String), NameInfo> = HashMap::new();
    for doc in pending {
        let mut stmt = db.prepare_cached(
            "SELECT local, type, name, variants, roles, mentions FROM doc_entities WHERE doc_id = ?1 ORDER BY local",
        )?;
        let rows = stmt.query_map([doc], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?;
        let rows: Vec<_> = rows.collect::<Result<_, _>>()?;
        for (local, ty, name, variants, roles, mentions) in rows {
            let entity_type = parse_type(&ty)?;
            let info = infos
                .entry((entity_type, name.clone()))
                .or_insert_with(|| corpus::name_info(entity_type, &name))
                .clone();
            let row = LocalRow {
                doc: doc.clone(),
                local,
                ty,
                name,
                key: info.key,
                words: info.words as i64,
                family: info.family,
                variants: decode(&variants, "variants")?,
                roles: decode(&roles, "roles")?,
                mentions,
                cluster: String::new(),
            };
            deltas.count_key(&row, 1);
            touch(&mut touched, &row);
            new_rows.push(row);
        }
    }
    deltas.flush_keys(db)?;

    // 3. The decisions those counts feed: the keys themselves, the lone
    // family names (already in `touched`), the shorter chains each
    // person key begins, and the lone names that stand for those chains.
    let mut decide: BTreeSet<(String, String)> = touched.clone();
    for (ty, key) in &touched {
        if ty != PERSON {
            continue;
        }
        for prefix in corpus::nasab_prefixes(key) {
            let families: Vec<String> = db
                .prepare_cached("SELECT DISTINCT family FROM entity_families WHERE key = ?1")?
                .query_map([&prefix], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for f in families {
                decide.insert((PERSON.to_owned(), f));
            }
            decide.insert((PERSON.to_owned(), prefix));
        }
    }

    // 4. Ask each decision again; move the rows whose cluster changed.
    let mut new_words: HashMap<(&str, &str), BTreeSet<i64>> = HashMap::new();
    for row in &new_rows {
        new_words.entry((row.ty.as_str(), row.key.as_str())).or_default().insert(row.words);
    }
    let mut decided: HashMap<(String, String, i64), String> = HashMap::new();
    for (ty, key) in &decide {
        let entity_type = parse_type(ty)?;
        // Only a person's lone name and a nasab chain that begins a longer
        // one depend on the corpus; any other name's cluster is fixed by
        // the name, so its stored rows cannot move and are not read (a
        // country is in tens of thousands of rows).
        let depends = |w: i64| entity_type == EntityType::Person && (w == 1 || corpus::is_nasab_prefix(key));
        let mut words: BTreeSet<i64> = new_words.get(&(ty.as_str(), key.as_str())).cloned().unwrap_or_default();
        if entity_type == EntityType::Person {
            words.extend(stored_words(db, ty, key)?);
        }
        for w in words {
            let info = NameInfo { key: key.clone(), words: w.max(0) as usize, family: None };
            let cluster = corpus::cluster_key(entity_type, &info, |k| lone_target(db, k), |k| nasab_alias(db, k));
            let mut moving = Vec::new();
            if depends(w) {
                for other in ["cluster < ?4", "cluster > ?4"] {
                    let filter = format!("type = ?1 AND key = ?2 AND words = ?3 AND {other}");
                    moving.extend(select_rows(db, &filter, params![ty, key, w, cluster])?);
                }
            }
            for row in moving {
                if !row.cluster.is_empty() {
                    deltas.apply(&row, &row.cluster, -1);
                    clusters.insert((ty.clone(), row.cluster.clone()));
                }
                deltas.apply(&row, &cluster, 1);
                db.prepare_cached("UPDATE entity_locals SET cluster = ?3 WHERE doc_id = ?1 AND local = ?2")?
                    .execute(params![row.doc, row.local, cluster])?;
                changed.insert(row.doc);
            }
            clusters.insert((ty.clone(), cluster.clone()));
            decided.insert((ty.clone(), key.clone(), w), cluster);
        }
    }
    for mut row in new_rows {
        row.cluster = decided.get(&(row.ty.clone(), row.key.clone(), row.words)).cloned().unwrap_or_default();
        deltas.apply(&row, &row.cluster, 1);
        db.prepare_cached(
            "INSERT INTO entity_locals (doc_id, local, type, name, key, words, family, variants, roles, mentions, cluster)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            row.doc,
            row.local,
            row.ty,
            row.name,
            row.key,
            row.words,
            row.family,
            encode(&row.variants)?,
            encode(&row.roles)?,
            row.mentions,
            row.cluster
        ])?;
    }

    deltas.flush_clusters(db)?;

    // 5. Summarize again each cluster that gained or lost rows.
    for (ty, cluster) in &clusters {
        if summarize(db, ty, cluster)? {
            let docs: Vec<String> = db
                .prepare_cached("SELECT doc_id FROM entity_cluster_docs WHERE type = ?1 AND cluster = ?2")?
                .query_map([ty, cluster], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            changed.extend(docs);
        }
    }

    // 6. Local → corpus entity, for every document that changed.
    for doc in &changed {
        db.prepare_cached("DELETE FROM entity_docs WHERE doc_id = ?1")?.execute([doc])?;
        db.prepare_cached(
            "INSERT INTO entity_docs (entity_id, doc_id, local, mentions)
             SELECT c.id, l.doc_id, l.local, l.mentions FROM entity_locals l
             JOIN entity_clusters c ON c.type = l.type AND c.cluster = l.cluster
             WHERE l.doc_id = ?1",
        )?
        .execute([doc])?;
    }
    Ok(changed)
}

fn touch(touched: &mut BTreeSet<(String, String)>, row: &LocalRow) {
    touched.insert((row.ty.clone(), row.key.clone()));
    if let Some(f) = &row.family {
        touched.insert((PERSON.to_owned(), f.clone()));
    }
}

/// The distinct word counts stored under a (type, key), one index seek
/// each.
fn stored_words(db: &Connection, ty: &str, key: &str) -> Result<Vec<i64>, StoreError> {
    let mut out = Vec::new();
    let mut next = db.prepare_cached(
        "SELECT words FROM entity_locals WHERE type = ?1 AND key = ?2 AND words > ?3 ORDER BY words LIMIT 1",
    )?;
    let mut after = i64::MIN;
    while let Some(w) = next.query_row(params![ty, key, after], |r| r.get::<_, i64>(0)).optional()? {
        out.push(w);
        after = w;
    }
    Ok(out)
}

/// The full name a lone family name stands for, from the counts.
fn lone_target(db: &Connection, family: &str) -> Option<String> {
    let fulls: Vec<(String, usize, usize)> = (|| -> rusqlite::Result<_> {
        db.prepare_cached(
            // CROSS JOIN keeps the family's few names as the outer loop;
            // left to itself the planner may scan every person key.
            "SELECT f.key, k.docs, k.mentions FROM entity_families f
             CROSS JOIN entity_keys k ON k.type = 'person' AND k.key = f.key WHERE f.family = ?1",
        )?
        .query_map([family], |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as usize, r.get::<_, i64>(2)?.max(0) as usize))
        })?
        .collect()
    })()
    .unwrap_or_default();
    let refs: Vec<(&str, usize, usize)> = fulls.iter().map(|(k, d, m)| (k.as_str(), *d, *m)).collect();
    corpus::lone_name_target(&refs).map(str::to_owned)
}

/// The full chain a shorter nasab chain stands for, from the counts.
fn nasab_alias(db: &Connection, prefix: &str) -> Option<String> {
    if !corpus::is_nasab_prefix(prefix) {
        return None;
    }
    let (lo, hi) = (format!("{prefix} "), format!("{prefix}!"));
    let longer: Vec<(String, usize)> = (|| -> rusqlite::Result<_> {
        db.prepare_cached("SELECT key, docs FROM entity_keys WHERE type = 'person' AND key >= ?1 AND key < ?2")?
            .query_map([&lo, &hi], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as usize)))?
            .collect()
    })()
    .unwrap_or_default();
    let refs: Vec<(&str, usize)> = longer
        .iter()
        .filter(|(k, _)| corpus::nasab_prefixes(k).iter().any(|p| p == prefix))
        .map(|(k, d)| (k.as_str(), *d))
        .collect();
    corpus::nasab_full(&refs).map(str::to_owned)
}

/// Draws a cluster's entity from its totals and writes it (or removes it
/// when empty). True when the entity its rows point at changed: another
/// id, name or type.
fn summarize(db: &Connection, ty: &str, cluster: &str) -> Result<bool, StoreError> {
    let totals: Option<(String, i64, i64, i64)> = db
        .prepare_cached("SELECT id, docs, mentions, locals FROM entity_clusters WHERE type = ?1 AND cluster = ?2")?
        .query_row([ty, cluster], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((old_id, docs, mentions, locals)) = totals else { return Ok(false) };
    let old_name: Option<String> = if old_id.is_empty() {
        None
    } else {
        db.prepare_cached("SELECT name FROM entities WHERE id = ?1 AND cluster = ?2")?
            .query_row([&old_id, cluster], |r| r.get(0))
            .optional()?
    };
    if locals <= 0 {
        remove_entity(db, &old_id, cluster)?;
        db.prepare_cached("DELETE FROM entity_clusters WHERE type = ?1 AND cluster = ?2")?.execute([ty, cluster])?;
        return Ok(false);
    }
    let entity_type = parse_type(ty)?;
    let names: Vec<(String, usize, usize, usize)> = db
        .prepare_cached("SELECT name, n, mentions, words FROM entity_cluster_names WHERE type = ?1 AND cluster = ?2")?
        .query_map([ty, cluster], |r| {
            Ok((
                r.get(0)?,
                r.get::<_, i64>(1)?.max(0) as usize,
                r.get::<_, i64>(2)?.max(0) as usize,
                r.get::<_, i64>(3)?.max(0) as usize,
            ))
        })?
        .collect::<Result<_, _>>()?;
    let counted = |table: &str, col: &str| -> Result<Vec<(String, usize)>, StoreError> {
        Ok(db
            .prepare_cached(&format!("SELECT {col}, n FROM {table} WHERE type = ?1 AND cluster = ?2"))?
            .query_map([ty, cluster], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as usize)))?
            .collect::<Result<_, _>>()?)
    };
    let variants = counted("entity_cluster_variants", "variant")?;
    let roles = counted("entity_cluster_roles", "role")?;
    let totals = ClusterTotals {
        entity_type,
        names: names.iter().map(|(n, l, m, w)| (n.as_str(), *l, *m, *w)).collect(),
        variants: variants.iter().map(|(v, n)| (v.as_str(), *n)).collect(),
        roles: roles.iter().map(|(r, n)| (r.as_str(), *n)).collect(),
    };
    let (name, variants, roles) = corpus::cluster_names(&totals);
    let id = corpus::entity_id(entity_type, &name);
    if id != old_id {
        remove_entity(db, &old_id, cluster)?;
    }
    db.prepare_cached(
        // An upsert leaves the id's index alone (a replace would delete and
        // insert the row again, and its entry in every index).
        "INSERT INTO entities (id, type, cluster, name, variants, roles, docs, mentions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET type = excluded.type, cluster = excluded.cluster, name = excluded.name,
             variants = excluded.variants, roles = excluded.roles, docs = excluded.docs, mentions = excluded.mentions",
    )?
    .execute(params![id, ty, cluster, name, encode(&variants)?, encode(&roles)?, docs, mentions])?;
    db.prepare_cached("UPDATE entity_clusters SET id = ?3 WHERE type = ?1 AND cluster = ?2")?
        .execute(params![ty, cluster, id])?;
    // The name keys it is found by: only those that changed are written.
    let keys: BTreeSet<String> =
        variants.iter().chain(std::iter::once(&name)).map(|v| corpus::name_key(v)).filter(|k| !k.is_empty()).collect();
    let stored: BTreeSet<String> = db
        .prepare_cached("SELECT key FROM entity_names WHERE entity_id = ?1")?
        .query_map([&id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for k in stored.difference(&keys) {
        db.prepare_cached("DELETE FROM entity_names WHERE entity_id = ?1 AND key = ?2")?.execute([&id, k])?;
    }
    for k in keys.difference(&stored) {
        db.prepare_cached("INSERT INTO entity_names (key, entity_id) VALUES (?1, ?2)")?.execute([k, &id])?;
    }
    Ok(id != old_id || old_name.as_deref() != Some(name.as_str()))
}

fn remove_entity(db: &Connection, id: &str, cluster: &str) -> Result<(), StoreError> {
    if id.is_empty() {
        return Ok(());
    }
    let removed = db.prepare_cached("DELETE FROM entities WHERE id = ?1 AND cluster = ?2")?.execute([id, cluster])?;
    if removed > 0 {
        db.prepare_cached("DELETE FROM entity_names WHERE entity_id = ?1")?.execute([id])?;
    }
    Ok(())
}
