//! The merged timeline: a page of entries, how many a filter matches, and
//! entries per period.

use marsad_extract::corpus::TimelineEntry;
use marsad_store::StoreError;

use crate::requests::{check_date_bound, CountStep, PeriodCount, TimelineFilter};
use crate::rows::{decode, sql_limit, TIMELINE_ORDER, TIMELINE_ORDER_DESC};
use crate::Engine;

impl Engine {
    /// The timeline, sorted by date (the page of it the filter asks for).
    pub fn timeline(&self, filter: &TimelineFilter) -> Result<Vec<TimelineEntry>, StoreError> {
        let Some((filter_sql, args)) = self.timeline_where(filter)? else { return Ok(Vec::new()) };
        let (limit, offset) = (sql_limit(filter.limit), filter.offset);
        let sql = if filter.latest {
            format!(
                "SELECT json FROM (SELECT * FROM timeline {filter_sql} ORDER BY {TIMELINE_ORDER_DESC} LIMIT {limit} OFFSET {offset})
                 ORDER BY {TIMELINE_ORDER}"
            )
        } else {
            format!("SELECT json FROM timeline {filter_sql} ORDER BY {TIMELINE_ORDER} LIMIT {limit} OFFSET {offset}")
        };
        let mut stmt = self.db().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(decode(&row?, "timeline entry")?);
        }
        Ok(out)
    }

    /// How many entries the filter matches (its `limit` and `offset` aside).
    pub fn timeline_total(&self, filter: &TimelineFilter) -> Result<usize, StoreError> {
        let Some((filter_sql, args)) = self.timeline_where(filter)? else { return Ok(0) };
        let n: i64 = self.db().query_row(
            &format!("SELECT COUNT(*) FROM timeline {filter_sql}"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        Ok(n.max(0) as usize)
    }

    /// Entries per period (its `limit` and `offset` aside), in date order:
    /// the overview a timeline draws before it loads the entries of the
    /// range in view.
    pub fn timeline_counts(&self, filter: &TimelineFilter, step: CountStep) -> Result<Vec<PeriodCount>, StoreError> {
        let Some((filter_sql, args)) = self.timeline_where(filter)? else { return Ok(Vec::new()) };
        let mut stmt = self.db().prepare(&format!(
            "SELECT substr(date, 1, {n}) AS p, COUNT(*) FROM timeline {filter_sql} GROUP BY p ORDER BY p",
            n = step.prefix()
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok(PeriodCount { period: r.get(0)?, count: r.get::<_, i64>(1)?.max(0) as usize })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The `WHERE` clause and its arguments for a timeline filter; `None`
    /// when it can match nothing (an unknown entity).
    fn timeline_where(&self, filter: &TimelineFilter) -> Result<Option<(String, Vec<String>)>, StoreError> {
        for bound in filter.from.iter().chain(filter.to.iter()) {
            check_date_bound(bound)?;
        }
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if let Some(from) = filter.from.as_deref() {
            args.push(from.to_owned());
            // An entry dated 2019 (year) is within --from 2019-04.
            clauses.push(format!("(date >= ?{n} OR substr(?{n}, 1, length(date)) = date)", n = args.len()));
        }
        if let Some(to) = filter.to.as_deref() {
            args.push(to.to_owned());
            clauses.push(format!("(date <= ?{n} OR substr(date, 1, length(?{n})) = ?{n})", n = args.len()));
        }
        if let Some(entity) = filter.entity.as_deref() {
            let ids: Vec<String> = self.find_entities(entity)?.into_iter().map(|e| e.id).collect();
            if ids.is_empty() {
                return Ok(None);
            }
            let mut alternatives = Vec::new();
            for id in ids {
                args.push(id);
                alternatives.push(format!("?{}", args.len()));
            }
            clauses.push(format!(
                "seq IN (SELECT seq FROM timeline_actors WHERE entity_id IN ({}))",
                alternatives.join(", ")
            ));
        }
        if !filter.sports {
            // In SQL rather than after decoding, so pages and counts agree.
            clauses.push("json_extract(json, '$.type') IS NOT 'sports'".to_owned());
        }
        let filter_sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        Ok(Some((filter_sql, args)))
    }
}
