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
use marsad_store::tables::{analyses, graph};
use rusqlite::Connection;

use crate::rows::{decode, encode, refs_of};
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
        if let Some(old) = graph::doc_edges(db, doc)? {
            let edges: Vec<DocEdge> = decode(&old, "document edges")?;
            add(&edges, -1);
        }
        let edges = edges_of(db, doc)?;
        add(&edges, 1);
        let json = if edges.is_empty() { None } else { Some(encode(&edges)?) };
        graph::set_doc_edges(db, doc, json.as_deref())?;
    }
    // Pairs whose kinds changed, and pairs that lost something (they may
    // be left with nothing); on a batch of new documents, few of either.
    let mut pairs: BTreeSet<(String, String)> = BTreeSet::new();
    for ((source, target), w) in weights {
        graph::add_weight(db, &source, &target, w)?;
        if w < 0 {
            pairs.insert((source, target));
        }
    }
    for ((source, target, kind), d) in kinds {
        if d != 0 {
            graph::add_kind(db, &source, &target, &kind, d)?;
            pairs.insert((source, target));
        }
    }
    // Kinds, and edges left with nothing.
    for (source, target) in pairs {
        let kinds = graph::kinds(db, &source, &target)?;
        match graph::weight(db, &source, &target)? {
            Some(w) if w <= 0 && kinds.is_empty() => graph::delete_edge(db, &source, &target)?,
            Some(_) => graph::set_kinds(db, &source, &target, &encode(&kinds)?)?,
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
    for (local, json) in analyses::entity_sentences(db, doc)? {
        if let Some(slot) = sentences.get_mut(local.max(0) as usize) {
            *slot = decode(&json, "sentences")?;
        }
    }
    let relations = analyses::relations(db, doc)?
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
