//! The actor graph: who appears with whom, and how.
//!
//! Nodes are corpus entities; an edge joins two entities named in the same
//! sentence, weighted by the number of such sentences across the corpus.
//! Co-occurrence alone says nothing of the relation, so an edge also carries
//! the *kinds* the text states somewhere ([`Relation`]: `met`, `visited`,
//! `quoted_about`, `supplies`); a typed relation between two entities in
//! different sentences still makes an edge.
//!
//! Edges are undirected for weight (sorted endpoint ids) — the question an
//! analyst asks of a co-occurrence graph is "who is close to whom" — while
//! the kinds keep their direction in the text (`supplies` from the first
//! named); the exports list them as attributes.
//!
//! Three exports: JSON (serde, the shape of [`Graph`]), GraphML for Gephi
//! and yEd, and DOT for Graphviz. Names are escaped for each format, and
//! output is deterministic (nodes by mentions then id, edges by weight then
//! endpoints), so exports diff cleanly between runs.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::EntityRef;
use crate::{EntityType, Relation};

/// One document's contribution, with its local entities resolved.
#[derive(Clone, Copy, Debug)]
pub struct DocGraphInput<'a> {
    /// For each local entity, the sentences it is mentioned in (any order).
    pub entity_sentences: &'a [Vec<usize>],
    /// `entities[l]` is the corpus entity of local entity `l`.
    pub entities: &'a [EntityRef],
    /// Typed relations between local entities.
    pub relations: &'a [Relation],
}

/// A node: a corpus entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphNode {
    /// The corpus entity id.
    pub id: String,
    /// Its canonical name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    /// Sentences of the corpus the entity is mentioned in.
    pub mentions: usize,
}

/// An edge between two nodes (`source` < `target` by id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphEdge {
    /// Id of one node, the smaller.
    pub source: String,
    /// Id of the other node.
    pub target: String,
    /// Sentences naming both.
    pub weight: usize,
    /// Relation kinds the text states (`met`, `visited`, `quoted_about`,
    /// `supplies`), sorted.
    pub kinds: Vec<String>,
}

/// The actor graph.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Graph {
    /// The entities.
    pub nodes: Vec<GraphNode>,
    /// Pairs of entities named in one sentence.
    pub edges: Vec<GraphEdge>,
}

/// Builds the graph from every document's resolved entities.
pub fn build_graph(docs: &[DocGraphInput<'_>]) -> Graph {
    let mut nodes: FxHashMap<&str, GraphNode> = FxHashMap::default();
    let mut edges: FxHashMap<(&str, &str), (usize, BTreeSet<&str>)> = FxHashMap::default();
    for doc in docs {
        // sentence → corpus entities named in it (deduplicated: two local
        // entities may resolve to one corpus entity).
        let mut by_sentence: FxHashMap<usize, Vec<&EntityRef>> = FxHashMap::default();
        for (local, sentences) in doc.entity_sentences.iter().enumerate() {
            let Some(entity) = doc.entities.get(local) else { continue };
            let mut seen: Vec<usize> = sentences.clone();
            seen.sort_unstable();
            seen.dedup();
            let node = nodes.entry(entity.id.as_str()).or_insert_with(|| GraphNode {
                id: entity.id.clone(),
                name: entity.name.clone(),
                entity_type: entity.entity_type,
                mentions: 0,
            });
            node.mentions += seen.len();
            for s in seen {
                by_sentence.entry(s).or_default().push(entity);
            }
        }
        for members in by_sentence.values_mut() {
            members.sort_by(|a, b| a.id.cmp(&b.id));
            members.dedup_by(|a, b| a.id == b.id);
            for (i, a) in members.iter().enumerate() {
                for b in &members[i + 1..] {
                    edges.entry((a.id.as_str(), b.id.as_str())).or_default().0 += 1;
                }
            }
        }
        for relation in doc.relations {
            let (Some(a), Some(b)) = (doc.entities.get(relation.source), doc.entities.get(relation.target)) else {
                continue;
            };
            if a.id == b.id {
                continue;
            }
            for e in [a, b] {
                nodes.entry(e.id.as_str()).or_insert_with(|| GraphNode {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    entity_type: e.entity_type,
                    mentions: 0,
                });
            }
            let key = if a.id < b.id { (a.id.as_str(), b.id.as_str()) } else { (b.id.as_str(), a.id.as_str()) };
            edges.entry(key).or_default().1.insert(relation.kind.as_str());
        }
    }
    let mut nodes: Vec<GraphNode> = nodes.into_values().collect();
    nodes.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.id.cmp(&b.id)));
    let mut edges: Vec<GraphEdge> = edges
        .into_iter()
        .map(|((a, b), (weight, kinds))| GraphEdge {
            source: a.to_owned(),
            target: b.to_owned(),
            weight,
            kinds: kinds.into_iter().map(str::to_owned).collect(),
        })
        .collect();
    sort_edges(&mut edges);
    Graph { nodes, edges }
}

fn sort_edges(edges: &mut [GraphEdge]) {
    edges.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then_with(|| b.kinds.len().cmp(&a.kinds.len()))
            .then_with(|| a.source.cmp(&b.source))
            .then_with(|| a.target.cmp(&b.target))
    });
}

impl Graph {
    /// Keeps the `max_nodes` most mentioned nodes and the edges among them
    /// of at least `min_weight` (typed edges are kept whatever their weight),
    /// then drops nodes left without edges unless `keep_isolated`.
    pub fn pruned(&self, max_nodes: usize, min_weight: usize, keep_isolated: bool) -> Graph {
        let kept: BTreeSet<&str> = self.nodes.iter().take(max_nodes).map(|n| n.id.as_str()).collect();
        let edges: Vec<GraphEdge> = self
            .edges
            .iter()
            .filter(|e| kept.contains(e.source.as_str()) && kept.contains(e.target.as_str()))
            .filter(|e| e.weight >= min_weight || !e.kinds.is_empty())
            .cloned()
            .collect();
        let linked: BTreeSet<&str> = edges.iter().flat_map(|e| [e.source.as_str(), e.target.as_str()]).collect();
        let nodes = self
            .nodes
            .iter()
            .take(max_nodes)
            .filter(|n| keep_isolated || linked.contains(n.id.as_str()))
            .cloned()
            .collect();
        Graph { nodes, edges }
    }

    /// GraphML (for Gephi, yEd): node attributes `label`, `type`,
    /// `mentions`; edge attributes `weight`, `kinds` (comma-separated).
    pub fn to_graphml(&self) -> String {
        let mut out = String::new();
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
        out.push_str("  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n");
        out.push_str("  <key id=\"type\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n");
        out.push_str("  <key id=\"mentions\" for=\"node\" attr.name=\"mentions\" attr.type=\"int\"/>\n");
        out.push_str("  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n");
        out.push_str("  <key id=\"kinds\" for=\"edge\" attr.name=\"kinds\" attr.type=\"string\"/>\n");
        out.push_str("  <graph id=\"marsad\" edgedefault=\"undirected\">\n");
        for n in &self.nodes {
            let _ = writeln!(
                out,
                "    <node id=\"{}\"><data key=\"label\">{}</data><data key=\"type\">{}</data><data key=\"mentions\">{}</data></node>",
                xml_escape(&n.id),
                xml_escape(&n.name),
                n.entity_type.as_str(),
                n.mentions
            );
        }
        for (i, e) in self.edges.iter().enumerate() {
            let _ = writeln!(
                out,
                "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"weight\">{}</data><data key=\"kinds\">{}</data></edge>",
                xml_escape(&e.source),
                xml_escape(&e.target),
                e.weight,
                xml_escape(&e.kinds.join(","))
            );
        }
        out.push_str("  </graph>\n</graphml>\n");
        out
    }

    /// DOT (Graphviz): an undirected graph, labels in Arabic, pen width by
    /// weight, typed edges labelled.
    pub fn to_dot(&self) -> String {
        let mut out = String::from("graph marsad {\n  node [shape=box, fontname=\"Noto Naskh Arabic\"];\n");
        for n in &self.nodes {
            let shape = match n.entity_type {
                EntityType::Person => "box",
                EntityType::Organization => "hexagon",
                EntityType::Place => "ellipse",
                EntityType::Misc => "note",
            };
            let _ = writeln!(
                out,
                "  \"{}\" [label=\"{}\", shape={shape}, type=\"{}\", mentions={}];",
                dot_escape(&n.id),
                dot_escape(&n.name),
                n.entity_type.as_str(),
                n.mentions
            );
        }
        for e in &self.edges {
            let width = 1.0 + (e.weight as f64).ln_1p();
            let label = if e.kinds.is_empty() {
                String::new()
            } else {
                format!(", label=\"{}\"", dot_escape(&e.kinds.join(",")))
            };
            let _ = writeln!(
                out,
                "  \"{}\" -- \"{}\" [weight={}, penwidth={width:.2}{label}];",
                dot_escape(&e.source),
                dot_escape(&e.target),
                e.weight
            );
        }
        out.push_str("}\n");
        out
    }
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn dot_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RelationKind;

    fn r(id: &str, name: &str, t: EntityType) -> EntityRef {
        EntityRef { id: id.into(), name: name.into(), entity_type: t }
    }

    #[test]
    fn cooccurrence_and_kinds() {
        let ents = vec![
            r("P-1", "فلاديمير بوتين", EntityType::Person),
            r("P-2", "كيم جونغ أون", EntityType::Person),
            r("L-1", "فلاديفوستوك", EntityType::Place),
        ];
        let sentences = vec![vec![0, 1, 1], vec![0, 2], vec![1]];
        let relations = vec![Relation { source: 0, target: 1, kind: RelationKind::Met, sentence: 0 }];
        let g = build_graph(&[DocGraphInput { entity_sentences: &sentences, entities: &ents, relations: &relations }]);
        assert_eq!(g.nodes.len(), 3);
        let pk = g.edges.iter().find(|e| e.source == "P-1" && e.target == "P-2").unwrap();
        assert_eq!(pk.weight, 1);
        assert_eq!(pk.kinds, vec!["met".to_string()]);
        let pl = g.edges.iter().find(|e| e.source == "L-1" && e.target == "P-1").unwrap();
        assert_eq!(pl.weight, 1);
        let ml = g.to_graphml();
        assert!(ml.contains("<node id=\"P-1\"><data key=\"label\">فلاديمير بوتين</data>"));
        assert!(ml.contains("<data key=\"kinds\">met</data>"));
        let dot = g.to_dot();
        assert!(dot.contains("\"P-1\" -- \"P-2\" [weight=1"));
        assert!(dot.contains("label=\"met\""));
    }

    #[test]
    fn escapes_markup() {
        let ents = vec![r("O-1", "A&B <\"x\">", EntityType::Organization), r("O-2", "q\"\\", EntityType::Organization)];
        let sentences = vec![vec![0], vec![0]];
        let g = build_graph(&[DocGraphInput { entity_sentences: &sentences, entities: &ents, relations: &[] }]);
        assert!(g.to_graphml().contains("A&amp;B &lt;&quot;x&quot;&gt;"));
        assert!(g.to_dot().contains("q\\\"\\\\"));
    }

    #[test]
    fn pruning_keeps_typed_edges() {
        let ents = vec![
            r("P-1", "a", EntityType::Person),
            r("P-2", "b", EntityType::Person),
            r("P-3", "c", EntityType::Person),
        ];
        let sentences = vec![vec![0, 1], vec![0, 1], vec![2]];
        let relations = vec![Relation { source: 0, target: 2, kind: RelationKind::Supplies, sentence: 5 }];
        let g = build_graph(&[DocGraphInput { entity_sentences: &sentences, entities: &ents, relations: &relations }]);
        let p = g.pruned(10, 2, false);
        assert_eq!(p.edges.len(), 2);
        let p = g.pruned(2, 1, false);
        assert!(p.nodes.iter().all(|n| n.id != "P-3"));
    }
}
