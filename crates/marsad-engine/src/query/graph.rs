//! The actor graph, pruned for reading.

use marsad_extract::corpus::{Graph, GraphEdge, GraphNode};
use marsad_store::tables::graph;
use marsad_store::StoreError;

use crate::requests::GraphOptions;
use crate::rows::{decode, parse_type};
use crate::Engine;

impl Engine {
    /// The actor graph, pruned to the most mentioned nodes.
    pub fn graph(&self, options: &GraphOptions) -> Result<Graph, StoreError> {
        let mut nodes = Vec::new();
        {
            let mut stmt = self.db().prepare(
                "SELECT id, name, type, mentions FROM entities ORDER BY docs DESC, mentions DESC, id LIMIT ?1",
            )?;
            let rows = stmt.query_map([options.max_nodes as i64], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?))
            })?;
            for row in rows {
                let (id, name, t, mentions) = row?;
                nodes.push(GraphNode { id, name, entity_type: parse_type(&t)?, mentions: mentions.max(0) as usize });
            }
        }
        let kept: std::collections::HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
        let mut edges = Vec::new();
        for row in graph::edges(self.db(), options.min_weight as i64)? {
            if kept.contains(row.source.as_str()) && kept.contains(row.target.as_str()) {
                edges.push(GraphEdge {
                    source: row.source,
                    target: row.target,
                    weight: row.weight.max(0) as usize,
                    kinds: decode(&row.kinds_json, "edge kinds")?,
                });
            }
        }
        edges.sort_by(|a, b| {
            b.weight.cmp(&a.weight).then_with(|| a.source.cmp(&b.source)).then_with(|| a.target.cmp(&b.target))
        });
        if let Some(max) = options.max_edges {
            edges.truncate(max);
        }
        let linked: std::collections::HashSet<String> =
            edges.iter().flat_map(|e| [e.source.clone(), e.target.clone()]).collect();
        nodes.retain(|n| linked.contains(&n.id));
        Ok(Graph { nodes, edges })
    }
}
