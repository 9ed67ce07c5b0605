//! Corpus views: what needs every document at once.
//!
//! The store keeps each document's [`DocumentAnalysis`](crate::DocumentAnalysis)
//! and, after an ingest, hands the relevant parts of all of them to these
//! functions: [`resolve_entities`] merges the documents' own entities into
//! corpus entities, [`build_timeline`] merges events told by several articles
//! into one entry, and [`build_graph`] weighs who appears with whom. Each is
//! a pure function of its input, and deterministic: the same analyses in any
//! order give the same ids and the same output.

use serde::{Deserialize, Serialize};

use crate::EntityType;

mod entities;
mod graph;
mod timeline;

pub use entities::{
    cluster_key, cluster_names, entity_id, is_nasab_prefix, listed_alias, lone_name_target, name_info, name_key,
    nasab_full, nasab_prefixes, resolve_entities, ClusterTotals, DocEntities, GlobalEntity, NameInfo, Resolution,
};
pub use graph::{build_graph, DocGraphInput, Graph, GraphEdge, GraphNode};
pub use timeline::{
    attach_to, build_timeline, canonical_order, cluster_same_date, entry_tiebreak, same_date_group, timeline_bucket,
    timeline_entry, DocEvents, TimelineEntry, TimelineMember, Who, MAX_COMPARISONS,
};

/// A reference to a corpus entity, as shown in quotes, events and graphs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntityRef {
    /// The corpus entity id.
    pub id: String,
    /// Its canonical name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub entity_type: EntityType,
}
