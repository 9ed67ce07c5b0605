//! What the refresh and query modules share about the engine's rows: how
//! values are encoded in them, how counts are kept, how a document's local
//! entities map to corpus entities, and the orders and thresholds both
//! sides must agree on. Neither side owns these, so neither imports the
//! other for them.

use std::collections::BTreeMap;

use marsad_extract::corpus;
use marsad_extract::EntityType;
use marsad_store::StoreError;
use rusqlite::{Connection, ToSql};
use serde::{Deserialize, Serialize};

/// Shortest passage (in words) kept in the reuse groups: a sentence, not a
/// formula. `marsad reuse --min-words` filters further.
pub const GROUP_MIN_WORDS: u32 = 8;

/// The order of the timeline, as an `ORDER BY` list of its columns.
pub(crate) const TIMELINE_ORDER: &str = "date, granularity, type, title, docs_key, tie, seq";
/// [`TIMELINE_ORDER`] backwards.
pub(crate) const TIMELINE_ORDER_DESC: &str =
    "date DESC, granularity DESC, type DESC, title DESC, docs_key DESC, tie DESC, seq DESC";

pub(crate) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("cannot encode: {e}")))
}

pub(crate) fn decode<T: for<'de> Deserialize<'de>>(json: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

pub(crate) fn parse_type(s: &str) -> Result<EntityType, StoreError> {
    EntityType::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown entity type {s:?}")))
}

/// Adds `delta` to the count `n` of the row of `table` keyed by `cols` =
/// `values`, deleting the row at zero. Returns the new count.
pub(crate) fn bump(
    db: &Connection,
    table: &str,
    cols: &[&str],
    values: &[&dyn ToSql],
    delta: i64,
) -> Result<i64, StoreError> {
    let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}, n) VALUES ({}, ?{}) ON CONFLICT DO UPDATE SET n = n + excluded.n RETURNING n",
        cols.join(", "),
        marks.join(", "),
        cols.len() + 1
    );
    let mut args: Vec<&dyn ToSql> = values.to_vec();
    args.push(&delta);
    let n: i64 = db.prepare_cached(&sql)?.query_row(&args[..], |r| r.get(0))?;
    if n <= 0 {
        let by: Vec<String> = cols.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 1)).collect();
        db.prepare_cached(&format!("DELETE FROM {table} WHERE {}", by.join(" AND ")))?.execute(values)?;
    }
    Ok(n)
}

/// The corpus entity of each local entity of a document, by local index
/// (an unresolved one where the view has none).
pub(crate) fn refs_of(db: &Connection, doc: &str) -> Result<Vec<corpus::EntityRef>, StoreError> {
    let mut stmt = db.prepare_cached(
        "SELECT l.local, e.id, e.name, e.type FROM entity_locals l
         JOIN entity_clusters c ON c.type = l.type AND c.cluster = l.cluster
         JOIN entities e ON e.id = c.id
         WHERE l.doc_id = ?1 ORDER BY l.local",
    )?;
    let rows = stmt.query_map([doc], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    let mut refs: BTreeMap<usize, corpus::EntityRef> = BTreeMap::new();
    for row in rows {
        let (local, id, name, t) = row?;
        refs.insert(local.max(0) as usize, corpus::EntityRef { id, name, entity_type: parse_type(&t)? });
    }
    let len = refs.keys().next_back().map_or(0, |l| l + 1);
    Ok((0..len)
        .map(|l| {
            refs.remove(&l).unwrap_or(corpus::EntityRef {
                id: String::new(),
                name: String::new(),
                entity_type: EntityType::Misc,
            })
        })
        .collect())
}

/// SQLite's `LIMIT`: -1 is no limit.
pub(crate) fn sql_limit(limit: Option<usize>) -> i64 {
    limit.map_or(-1, |n| n.min(i64::MAX as usize) as i64)
}
