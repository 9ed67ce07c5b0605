//! Corpus entities: the list, lookups by id or name, and an entity's
//! profile (its documents, quotes, events and neighbours).

use marsad_extract::corpus;
use marsad_store::StoreError;
use rusqlite::{params, Connection, OptionalExtension};

use crate::requests::{
    EntityDocument, EntityFilter, EntityList, EntityLookup, EntityProfile, EntityRecord, ListedEntity, Neighbour,
    ProfileTotals, QuoteFilter, TimelineFilter,
};
use crate::rows::{decode, parse_type, sql_limit};
use crate::Engine;

const ENTITY_COLUMNS: &str = "id, name, type, variants, roles, cluster, mentions";

/// The order entities are listed in: most documents, then most mentions.
const ENTITY_ORDER: &str = "docs DESC, mentions DESC, id";

fn entity_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<[String; 6]> {
    Ok([row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?])
}

/// An entity record from its row, with the first `docs` of its documents
/// (`None`: all).
fn entity_record(
    db: &Connection,
    cols: [String; 6],
    mentions: i64,
    docs: Option<usize>,
) -> Result<EntityRecord, StoreError> {
    let [id, name, t, variants, roles, cluster] = cols;
    let doc_ids: Vec<String> = db
        .prepare_cached(
            "SELECT doc_id FROM entity_cluster_docs WHERE type = ?1 AND cluster = ?2 ORDER BY doc_id LIMIT ?3",
        )?
        .query_map(params![t, cluster, sql_limit(docs)], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(EntityRecord {
        entity_type: parse_type(&t)?,
        variants: decode(&variants, "entity variants")?,
        roles: decode(&roles, "entity roles")?,
        docs: doc_ids,
        id,
        name,
        mentions: mentions.max(0) as usize,
    })
}

impl Engine {
    /// Corpus entities, most documents first.
    pub fn entities(&self, filter: &EntityFilter) -> Result<EntityList, StoreError> {
        let mut clauses = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if let Some(t) = filter.entity_type {
            clauses.push(format!("type = ?{}", args.len() + 1));
            args.push(t.as_str().to_owned());
        }
        if let Some(name) = filter.name.as_deref() {
            let key = corpus::name_key(name);
            if !key.is_empty() {
                clauses.push(format!(
                    "id IN (SELECT entity_id FROM entity_names WHERE instr(key, ?{}) > 0)",
                    args.len() + 1
                ));
                args.push(key);
            }
        }
        let filter_sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        let total: i64 = self.db().query_row(
            &format!("SELECT COUNT(*) FROM entities {filter_sql}"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let limit = filter.limit.map_or(-1, |l| l as i64);
        let sql = format!(
            "SELECT {ENTITY_COLUMNS}, docs FROM entities {filter_sql} ORDER BY {ENTITY_ORDER} LIMIT {limit} OFFSET {}",
            filter.offset
        );
        let mut stmt = self.db().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |row| {
            Ok((entity_from_row(row)?, row.get::<_, i64>(6)?, row.get::<_, i64>(7)?))
        })?;
        let mut entities = Vec::new();
        for row in rows {
            let (cols, mentions, docs) = row?;
            let entity = entity_record(self.db(), cols, mentions, filter.doc_ids)?;
            entities.push(ListedEntity { entity, doc_count: docs.max(0) as usize });
        }
        Ok(EntityList { total: total as usize, entities })
    }

    /// Finds entities by id, or by name: the name's key equal to a
    /// variant's, else contained in one; best ranked first.
    pub fn find_entities(&self, id_or_name: &str) -> Result<Vec<EntityRecord>, StoreError> {
        let query = id_or_name.trim();
        let by_id = self
            .db()
            .query_row(&format!("SELECT {ENTITY_COLUMNS} FROM entities WHERE id = ?1"), [query], |row| {
                Ok((entity_from_row(row)?, row.get::<_, i64>(6)?))
            })
            .optional()?;
        if let Some((cols, mentions)) = by_id {
            return Ok(vec![entity_record(self.db(), cols, mentions, None)?]);
        }
        let key = corpus::name_key(query);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        for sql in [
            "SELECT DISTINCT entity_id FROM entity_names WHERE key = ?1",
            "SELECT DISTINCT entity_id FROM entity_names WHERE (' ' || key || ' ') LIKE ('% ' || ?1 || ' %')",
            "SELECT DISTINCT entity_id FROM entity_names WHERE instr(key, ?1) > 0",
        ] {
            let ids: Vec<String> =
                self.db().prepare(sql)?.query_map([&key], |r| r.get(0))?.collect::<Result<_, _>>()?;
            if ids.is_empty() {
                continue;
            }
            let mut found = Vec::new();
            let mut stmt = self.db().prepare(&format!("SELECT {ENTITY_COLUMNS}, docs FROM entities WHERE id = ?1"))?;
            let mut ranked = Vec::new();
            for id in ids {
                if let Some((cols, mentions, docs)) = stmt
                    .query_row([&id], |row| Ok((entity_from_row(row)?, row.get::<_, i64>(6)?, row.get::<_, i64>(7)?)))
                    .optional()?
                {
                    ranked.push((
                        std::cmp::Reverse(docs),
                        std::cmp::Reverse(mentions),
                        cols[0].clone(),
                        cols,
                        mentions,
                    ));
                }
            }
            ranked.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
            for (.., cols, mentions) in ranked {
                found.push(entity_record(self.db(), cols, mentions, None)?);
            }
            return Ok(found);
        }
        Ok(Vec::new())
    }

    /// The profile of one entity, by id or name. A name that matches
    /// several entities equally well is [`EntityLookup::Ambiguous`].
    pub fn entity(&self, id_or_name: &str) -> Result<EntityLookup, StoreError> {
        self.entity_limited(id_or_name, None)
    }

    /// [`Engine::entity`] with its documents, quotes and events cut to the
    /// first `limit` each (`None`: all), and then [`EntityProfile::totals`]
    /// set. A page shows the first of each and asks for more; the most
    /// present entities of a large corpus have thousands of each.
    pub fn entity_limited(&self, id_or_name: &str, limit: Option<usize>) -> Result<EntityLookup, StoreError> {
        let found = self.find_entities(id_or_name)?;
        let entity = match found.len() {
            0 => return Ok(EntityLookup::NotFound),
            1 => found.into_iter().next().expect("one"),
            _ => {
                // An exact name wins; otherwise let the user choose.
                let key = corpus::name_key(id_or_name);
                let exact: Vec<&EntityRecord> = found.iter().filter(|e| corpus::name_key(&e.name) == key).collect();
                if exact.len() == 1 {
                    exact[0].clone()
                } else {
                    return Ok(EntityLookup::Ambiguous(found));
                }
            }
        };
        let mut documents = Vec::new();
        {
            let mut stmt = self.db().prepare(
                "SELECT d.id, d.display_title, d.date, SUM(ed.mentions) FROM entity_docs ed
                 JOIN documents d ON d.id = ed.doc_id
                 WHERE ed.entity_id = ?1 GROUP BY d.id ORDER BY d.date, d.id LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![&entity.id, sql_limit(limit)], |r| {
                Ok(EntityDocument {
                    id: r.get(0)?,
                    title: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    date: r.get(2)?,
                    mentions: r.get::<_, i64>(3)?.max(0) as usize,
                })
            })?;
            for row in rows {
                documents.push(row?);
            }
        }
        let quote_list =
            self.quotes(&QuoteFilter { speaker: Some(entity.id.clone()), limit, ..QuoteFilter::default() })?;
        let quotes = quote_list.quotes;
        let event_filter = TimelineFilter { entity: Some(entity.id.clone()), limit, ..TimelineFilter::default() };
        let events = self.timeline(&event_filter)?;
        let mut entity = entity;
        let totals = match limit {
            None => None,
            Some(cap) => {
                let totals = ProfileTotals {
                    documents: entity.docs.len(),
                    quotes: quote_list.total,
                    events: self.timeline_total(&event_filter)?,
                };
                entity.docs.truncate(cap);
                Some(totals)
            }
        };
        let mut neighbours = Vec::new();
        {
            let mut stmt = self.db().prepare(
                "SELECT e.id, e.name, e.type, g.weight, g.kinds FROM graph_edges g
                 JOIN entities e ON e.id = CASE WHEN g.source = ?1 THEN g.target ELSE g.source END
                 WHERE g.source = ?1 OR g.target = ?1
                 ORDER BY g.weight DESC, e.docs DESC, e.mentions DESC, e.id LIMIT 50",
            )?;
            let rows = stmt.query_map([&entity.id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?;
            for row in rows {
                let (id, name, t, weight, kinds) = row?;
                neighbours.push(Neighbour {
                    id,
                    name,
                    entity_type: parse_type(&t)?,
                    weight: weight.max(0) as usize,
                    kinds: decode(&kinds, "edge kinds")?,
                });
            }
        }
        Ok(EntityLookup::Found(Box::new(EntityProfile { entity, documents, quotes, events, neighbours, totals })))
    }

    /// The corpus entity id of each of a document's local entities, by local
    /// index ([`marsad_extract::Mention::entity`]); `None` where the views
    /// list none (a document not yet refreshed).
    pub fn entity_ids_of(&self, doc: &str) -> Result<Vec<Option<String>>, StoreError> {
        let mut stmt = self.db().prepare_cached("SELECT local, entity_id FROM entity_docs WHERE doc_id = ?1")?;
        let rows = stmt.query_map([doc], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut ids: Vec<Option<String>> = Vec::new();
        for row in rows {
            let (local, id) = row?;
            let local = usize::try_from(local).unwrap_or(usize::MAX);
            if local >= ids.len() {
                if local == usize::MAX {
                    continue;
                }
                ids.resize(local + 1, None);
            }
            ids[local] = Some(id);
        }
        Ok(ids)
    }
}
