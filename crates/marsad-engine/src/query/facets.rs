//! Search facets: what the best hits of a query have in common.
//!
//! A person looking at a result list wants to narrow it — to one outlet, one
//! month, one actor. [`Engine::search_facets`] counts, over the `top` best
//! hits of a query (not over every match), their sources, their months and
//! the corpus entities they mention.
//!
//! Why only the top hits: counting every match of a broad query over a large
//! corpus means loading every matching document, which costs time in
//! proportion to the corpus; the best few hundred hits are what a reader
//! will actually narrow, and they cost the same whatever the corpus size.
//! [`SearchFacets::considered`] says how many hits were counted, so a front
//! end can say "in the top 1,000 of 25,000".
//!
//! Entity counts come from the corpus views (`entity_docs`), so they are as
//! fresh as the views (refreshed after each ingest run).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Engine;
use marsad_store::SearchOptions;
use marsad_store::StoreError;

/// How many values of each facet are returned at most.
const MAX_VALUES: usize = 20;

/// Counts over the best hits of a query ([`Engine::search_facets`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SearchFacets {
    /// How many hits were counted (at most the `top` asked for).
    pub considered: usize,
    /// Documents per source, most first (documents without a source are not
    /// counted).
    pub sources: Vec<FacetCount>,
    /// Documents per month (`YYYY-MM`), in date order.
    pub months: Vec<FacetCount>,
    /// The corpus entities mentioned in most of these documents.
    pub entities: Vec<EntityFacet>,
}

/// One value of a facet and the number of documents having it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The value (an outlet, a month `YYYY-MM`).
    pub value: String,
    /// Hits with it.
    pub count: usize,
}

/// An entity and the number of counted documents mentioning it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityFacet {
    /// Corpus entity id.
    pub id: String,
    /// Its canonical name.
    pub name: String,
    /// `person`, `organization`, `location` or `misc`.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// Hits that mention it.
    pub count: usize,
}

impl Engine {
    /// Facets of the `top` best hits of `query` (see the module docs). A
    /// malformed query is [`StoreError::Query`], as with [`Engine::search`].
    pub fn search_facets(&self, query: &str, top: usize) -> Result<SearchFacets, StoreError> {
        let results = self.search(query, SearchOptions { limit: top, offset: 0 })?;
        let mut sources: BTreeMap<&str, usize> = BTreeMap::new();
        let mut months: BTreeMap<&str, usize> = BTreeMap::new();
        for hit in &results.hits {
            if let Some(source) = hit.source.as_deref().filter(|s| !s.is_empty()) {
                *sources.entry(source).or_default() += 1;
            }
            if let Some(month) = hit.date.as_deref().and_then(|d| d.get(..7)) {
                *months.entry(month).or_default() += 1;
            }
        }
        let mut sources: Vec<FacetCount> =
            sources.into_iter().map(|(value, count)| FacetCount { value: value.to_string(), count }).collect();
        sources.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        sources.truncate(MAX_VALUES);
        let months = months.into_iter().map(|(value, count)| FacetCount { value: value.to_string(), count }).collect();

        let entities = if results.hits.is_empty() {
            Vec::new()
        } else {
            let ids: Vec<&str> = results.hits.iter().map(|h| h.doc.as_str()).collect();
            let ids = serde_json::to_string(&ids).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let mut statement = self.db().prepare_cached(
                "SELECT e.id, e.name, e.type, COUNT(DISTINCT d.doc_id) AS n
                 FROM entity_docs d JOIN entities e ON e.id = d.entity_id
                 WHERE d.doc_id IN (SELECT value FROM json_each(?1))
                 GROUP BY e.id ORDER BY n DESC, e.id LIMIT ?2",
            )?;
            let rows = statement.query_map(rusqlite::params![ids, MAX_VALUES as i64], |r| {
                Ok(EntityFacet {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    entity_type: r.get(2)?,
                    count: r.get::<_, i64>(3)?.max(0) as usize,
                })
            })?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        Ok(SearchFacets { considered: results.hits.len(), sources, months, entities })
    }
}
