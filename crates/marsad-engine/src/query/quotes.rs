//! Quotations with their speakers resolved to corpus entities.

use marsad_store::StoreError;

use crate::requests::{QuoteFilter, QuoteList, QuoteRecord, SpeakerRef};
use crate::Engine;

impl Engine {
    /// Quotations, in document order, with speakers resolved.
    pub fn quotes(&self, filter: &QuoteFilter) -> Result<QuoteList, StoreError> {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if let Some(doc) = filter.doc.as_deref() {
            args.push(doc.to_owned());
            clauses.push(format!("q.doc_id = ?{}", args.len()));
        }
        if let Some(speaker) = filter.speaker.as_deref() {
            let ids: Vec<String> = self.find_entities(speaker)?.into_iter().map(|e| e.id).collect();
            // An id is no speaker's words: then only resolved speakers.
            let by_id = ids.len() == 1 && ids[0] == speaker.trim();
            let mut alternatives = Vec::new();
            for id in ids {
                args.push(id);
                // Through the entity's index rather than `ed.entity_id = ?`
                // on the outer join, which reads every quote of the corpus.
                alternatives.push(format!(
                    "q.rowid IN (SELECT q2.rowid FROM entity_docs ed2 JOIN doc_quotes q2
                                 ON q2.doc_id = ed2.doc_id AND q2.speaker_local = ed2.local
                                 WHERE ed2.entity_id = ?{})",
                    args.len()
                ));
            }
            let key = marsad_text::normalize_key(speaker.trim());
            if !key.is_empty() && !by_id {
                args.push(key);
                alternatives.push(format!("(ed.entity_id IS NULL AND instr(q.speaker_key, ?{}) > 0)", args.len()));
            }
            if alternatives.is_empty() {
                return Ok(QuoteList::default());
            }
            clauses.push(format!("({})", alternatives.join(" OR ")));
        }
        let filter_sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        // speaker_key: the normalized speaker text, for matching unresolved
        // speakers (محللون) by their words.
        let base = format!(
            r#"FROM doc_quotes q
               LEFT JOIN entity_docs ed ON ed.doc_id = q.doc_id AND ed.local = q.speaker_local
               LEFT JOIN entities e ON e.id = ed.entity_id
               {filter_sql}"#
        );
        let mut quotes = Vec::new();
        let limit = filter.limit.map_or(-1, |l| l as i64);
        let sql = format!(
            r#"SELECT e.id, e.name, q.speaker_text, q.speaker_kind, q.text, q.direct, q.continuation,
                      q.verb, q.doc_id, q.sentence, q."start", q."end"
               {base} ORDER BY q.doc_date, q.doc_id, q.seq LIMIT {limit} OFFSET {}"#,
            filter.offset
        );
        let mut rows_out = Vec::new();
        {
            let mut stmt = self.db().prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
                let id: Option<String> = r.get(0)?;
                let name: Option<String> = r.get(1)?;
                Ok(QuoteRecord {
                    speaker: id.zip(name).map(|(id, name)| SpeakerRef { id, name }),
                    speaker_text: r.get(2)?,
                    speaker_kind: r.get(3)?,
                    text: r.get(4)?,
                    direct: r.get(5)?,
                    continuation: r.get(6)?,
                    verb: r.get(7)?,
                    doc: r.get(8)?,
                    sentence: r.get(9)?,
                    start: r.get::<_, i64>(10)?.max(0) as usize,
                    end: r.get::<_, i64>(11)?.max(0) as usize,
                })
            })?;
            for row in rows {
                rows_out.push(row?);
            }
        }
        quotes.extend(rows_out);
        let count_sql = if clauses.is_empty() {
            "SELECT COUNT(*) FROM doc_quotes".to_owned()
        } else {
            format!("SELECT COUNT(*) {base}")
        };
        let total: i64 = self.db().query_row(&count_sql, rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
        Ok(QuoteList { total: total as usize, quotes })
    }
}
