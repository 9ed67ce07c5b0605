//! The actor graph view, kept as a sum of per-document contributions.
//!
//! An edge's weight is the number of sentences naming both entities,
//! summed over documents, and its kinds are the union of what documents
//! state ([`marsad_extract::corpus::build_graph`]). Both are sums, so each
//! document's own edges are kept (`graph_docs`) and added to, or taken from,
//! the totals (`graph_edges`, with `graph_edge_kinds` counting the
//! documents behind each kind) when the document arrives, is replaced, or
//! its entities resolve otherwise. A batch touches its documents' edges
//! only.

use std::collections::{BTreeSet, HashMap};

use marsad_extract::corpus::{self, DocGraphInput};
use marsad_extract::Relation;
use rusqlite::{params, Connection, OptionalExtension};

use crate::rows::{bump, decode, encode, refs_of};
use marsad_store::StoreError;

/// One document's edge: source, target (ids, sorted), weight, kinds.
type DocEdge = (String, String, usize, Vec<String>);

/// Takes back the `changed` documents' old edges and adds their new ones.
/// Changes are summed per edge first and written once.
pub(crate) fn update(db: &Connection, changed: &BTreeSet<String>) -> Result<(), StoreError> {
    let mut weights: HashMap<(String, String), i64> = HashMap::new();
    let mut kinds: HashMap<(String, String, String), i64> = HashMap::new();
    let mut add = |edges: &[DocEdge], sign: i64| {
        for (source, target, weight, edge_kinds) in edges {
            *weights.entry((source.clone(), target.clone())).or_default() += sign * *weight as i64;
            for kind in edge_kinds {
                *kinds.entry((source.clone(), target.clone(), kind.clone())).or_default() += sign;
            }
        }
    };
    for doc in changed {
        let old: Option<String> = db
            .prepare_cached("SELECT edges FROM graph_docs WHERE doc_id = ?1")?
            .query_row([doc], |r| r.get(0))
            .optional()?;
        if let Some(old) = old {
            let edges: Vec<DocEdge> = decode(&old, "document edges")?;
            add(&edges, -1);
            db.prepare_cached("DELETE FROM graph_docs WHERE doc_id = ?1")?.execute([doc])?;
        }
        let edges = edges_of(db, doc)?;
        if edges.is_empty() {
            continue;
        }
        add(&edges, 1);
        db.prepare_cached("INSERT INTO graph_docs (doc_id, edges) VALUES (?1, ?2)")?
            .execute(params![doc, encode(&edges)?])?;
    }
    // Pairs whose kinds changed, and pairs that lost something (they may
    // be left with nothing); on a batch of new documents, few of either.
    let mut pairs: BTreeSet<(String, String)> = BTreeSet::new();
    for ((source, target), w) in weights {
        db.prepare_cached(
            "INSERT INTO graph_edges (source, target, weight, kinds) VALUES (?1, ?2, ?3, '[]')
             ON CONFLICT DO UPDATE SET weight = weight + excluded.weight",
        )?
        .execute(params![source, target, w])?;
        if w < 0 {
            pairs.insert((source, target));
        }
    }
    for ((source, target, kind), d) in kinds {
        if d != 0 {
            bump(db, "graph_edge_kinds", &["source", "target", "kind"], &[&source, &target, &kind], d)?;
            pairs.insert((source, target));
        }
    }
    // Kinds, and edges left with nothing.
    for (source, target) in pairs {
        let kinds: Vec<String> = db
            .prepare_cached("SELECT kind FROM graph_edge_kinds WHERE source = ?1 AND target = ?2 ORDER BY kind")?
            .query_map([&source, &target], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let weight: Option<i64> = db
            .prepare_cached("SELECT weight FROM graph_edges WHERE source = ?1 AND target = ?2")?
            .query_row([&source, &target], |r| r.get(0))
            .optional()?;
        match weight {
            Some(w) if w <= 0 && kinds.is_empty() => {
                db.prepare_cached("DELETE FROM graph_edges WHERE source = ?1 AND target = ?2")?
                    .execute([&source, &target])?;
            }
            Some(_) => {
                db.prepare_cached("UPDATE graph_edges SET kinds = ?3 WHERE source = ?1 AND target = ?2")?
                    .execute(params![source, target, encode(&kinds)?])?;
            }
            None => {}
        }
    }
    Ok(())
}

/// A document's own edges, from its entities' sentences and relations.
fn edges_of(db: &Connection, doc: &str) -> Result<Vec<DocEdge>, StoreError> {
    let refs = refs_of(db, doc)?;
    if refs.is_empty() {
        return Ok(Vec::new());
    }
    let mut sentences: Vec<Vec<usize>> = vec![Vec::new(); refs.len()];
    {
        let mut stmt = db.prepare_cached("SELECT local, sentences FROM doc_entities WHERE doc_id = ?1")?;
        let rows = stmt.query_map([doc], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (local, json) = row?;
            if let Some(slot) = sentences.get_mut(local.max(0) as usize) {
                *slot = decode(&json, "sentences")?;
            }
        }
    }
    let rows: Vec<(i64, i64, String)> = db
        .prepare_cached("SELECT source, target, kind FROM doc_relations WHERE doc_id = ?1")?
        .query_map([doc], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let relations = rows
        .into_iter()
        .map(|(source, target, kind)| {
            Ok(Relation {
                source: source.max(0) as usize,
                target: target.max(0) as usize,
                kind: kind.parse().map_err(StoreError::Corrupt)?,
                sentence: 0,
            })
        })
        .collect::<Result<Vec<Relation>, StoreError>>()?;
    let graph =
        corpus::build_graph(&[DocGraphInput { entity_sentences: &sentences, entities: &refs, relations: &relations }]);
    Ok(graph.edges.into_iter().map(|e| (e.source, e.target, e.weight, e.kinds)).collect())
}
