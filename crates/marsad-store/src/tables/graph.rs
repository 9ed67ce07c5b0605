//! The actor graph's tables: `graph_docs` (each document's own edges, as
//! the engine encoded them, so they can be taken back), `graph_edges` (the
//! summed weight and the kinds of each edge) and `graph_edge_kinds` (how
//! many documents state each kind of each edge).

use rusqlite::{params, Connection, OptionalExtension};

use crate::StoreError;

/// An edge as stored: its ends (sorted ids), summed weight and kinds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EdgeRow {
    /// The lower entity id.
    pub source: String,
    /// The higher entity id.
    pub target: String,
    /// Sentences naming both, summed over documents.
    pub weight: i64,
    /// The kinds stated, as a JSON list of keys.
    pub kinds_json: String,
}

/// The edges `doc` gave, as encoded when it did, if it gave any.
pub fn doc_edges(db: &Connection, doc: &str) -> Result<Option<String>, StoreError> {
    Ok(db
        .prepare_cached("SELECT edges FROM graph_docs WHERE doc_id = ?1")?
        .query_row([doc], |r| r.get(0))
        .optional()?)
}

/// Records the edges `doc` gives now (`None`: none), replacing what it gave.
pub fn set_doc_edges(db: &Connection, doc: &str, edges_json: Option<&str>) -> Result<(), StoreError> {
    db.prepare_cached("DELETE FROM graph_docs WHERE doc_id = ?1")?.execute([doc])?;
    if let Some(json) = edges_json {
        db.prepare_cached("INSERT INTO graph_docs (doc_id, edges) VALUES (?1, ?2)")?.execute(params![doc, json])?;
    }
    Ok(())
}

/// Adds `delta` to an edge's weight, creating the edge (without kinds) if
/// it is new.
pub fn add_weight(db: &Connection, source: &str, target: &str, delta: i64) -> Result<(), StoreError> {
    db.prepare_cached(
        "INSERT INTO graph_edges (source, target, weight, kinds) VALUES (?1, ?2, ?3, '[]')
         ON CONFLICT DO UPDATE SET weight = weight + excluded.weight",
    )?
    .execute(params![source, target, delta])?;
    Ok(())
}

/// Adds `delta` to the documents stating `kind` of an edge, forgetting the
/// kind at zero.
pub fn add_kind(db: &Connection, source: &str, target: &str, kind: &str, delta: i64) -> Result<(), StoreError> {
    let n: i64 = db
        .prepare_cached(
            "INSERT INTO graph_edge_kinds (source, target, kind, n) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO UPDATE SET n = n + excluded.n RETURNING n",
        )?
        .query_row(params![source, target, kind, delta], |r| r.get(0))?;
    if n <= 0 {
        db.prepare_cached("DELETE FROM graph_edge_kinds WHERE source = ?1 AND target = ?2 AND kind = ?3")?
            .execute(params![source, target, kind])?;
    }
    Ok(())
}

/// The kinds some document states of an edge, sorted.
pub fn kinds(db: &Connection, source: &str, target: &str) -> Result<Vec<String>, StoreError> {
    Ok(db
        .prepare_cached("SELECT kind FROM graph_edge_kinds WHERE source = ?1 AND target = ?2 ORDER BY kind")?
        .query_map([source, target], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

/// An edge's summed weight, if the edge is stored.
pub fn weight(db: &Connection, source: &str, target: &str) -> Result<Option<i64>, StoreError> {
    Ok(db
        .prepare_cached("SELECT weight FROM graph_edges WHERE source = ?1 AND target = ?2")?
        .query_row([source, target], |r| r.get(0))
        .optional()?)
}

/// Writes an edge's kinds (a JSON list of keys).
pub fn set_kinds(db: &Connection, source: &str, target: &str, kinds_json: &str) -> Result<(), StoreError> {
    db.prepare_cached("UPDATE graph_edges SET kinds = ?3 WHERE source = ?1 AND target = ?2")?
        .execute(params![source, target, kinds_json])?;
    Ok(())
}

/// Removes an edge left with nothing.
pub fn delete_edge(db: &Connection, source: &str, target: &str) -> Result<(), StoreError> {
    db.prepare_cached("DELETE FROM graph_edges WHERE source = ?1 AND target = ?2")?.execute([source, target])?;
    Ok(())
}

/// The edges of weight at least `min_weight`, and those with a kind
/// whatever their weight.
pub fn edges(db: &Connection, min_weight: i64) -> Result<Vec<EdgeRow>, StoreError> {
    Ok(db
        .prepare("SELECT source, target, weight, kinds FROM graph_edges WHERE weight >= ?1 OR kinds <> '[]'")?
        .query_map([min_weight], |r| {
            Ok(EdgeRow { source: r.get(0)?, target: r.get(1)?, weight: r.get(2)?, kinds_json: r.get(3)? })
        })?
        .collect::<Result<_, _>>()?)
}
