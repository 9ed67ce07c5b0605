//! Read-only answers over the engine's tables, one module per view. Query
//! modules read; they never refresh, and never import `refresh`.

pub(crate) mod entities;
pub(crate) mod facets;
pub(crate) mod graph;
pub(crate) mod quotes;
pub(crate) mod reuse;
pub(crate) mod stories;
pub(crate) mod timeline;
