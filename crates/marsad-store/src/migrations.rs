//! Versioned SQLite schema.
//!
//! The database records its schema version in `PRAGMA user_version`.
//! [`MIGRATIONS`] is the ordered list of steps; step *n* (1-based) brings a
//! database from version *n − 1* to *n*. Opening a store applies every step
//! the database has not seen yet, each in its own transaction together with
//! the version bump, so an interrupted upgrade leaves a valid older version
//! and simply resumes next time. Steps are append-only: never edit a released
//! step, add a new one.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::StoreError;

/// One schema step: SQL run in a transaction.
pub struct Migration {
    /// What the step does, for humans reading the list.
    pub description: &'static str,
    /// The statements that bring the schema to this version.
    pub sql: &'static str,
}

/// All schema steps, oldest first. The schema version of a fully migrated
/// database is `MIGRATIONS.len()`.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        description: "documents, removals, duplicates and batches",
        sql: r#"
            CREATE TABLE documents (
                id            TEXT PRIMARY KEY NOT NULL,
                title         TEXT,
                source        TEXT,
                url           TEXT,
                author        TEXT,
                date          TEXT,
                text          TEXT NOT NULL,
                body          TEXT NOT NULL,
                raw           TEXT NOT NULL,
                origin        TEXT NOT NULL,
                format        TEXT NOT NULL,
                encoding_note TEXT,
                content_hash  TEXT NOT NULL,
                ingested_at   TEXT NOT NULL,
                generation    INTEGER NOT NULL
            );
            CREATE INDEX documents_content_hash ON documents(content_hash);
            CREATE INDEX documents_generation ON documents(generation);

            CREATE TABLE removals (
                doc_id  TEXT NOT NULL,
                seq     INTEGER NOT NULL,
                reason  TEXT NOT NULL,
                kind    TEXT NOT NULL,
                text    TEXT NOT NULL,
                "start" INTEGER NOT NULL,
                "end"   INTEGER NOT NULL,
                PRIMARY KEY (doc_id, seq)
            ) WITHOUT ROWID;

            CREATE TABLE duplicates (
                id           TEXT PRIMARY KEY NOT NULL,
                duplicate_of TEXT NOT NULL,
                origin       TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                seen_at      TEXT NOT NULL
            );
            CREATE INDEX duplicates_duplicate_of ON duplicates(duplicate_of);

            CREATE TABLE batches (
                generation   INTEGER PRIMARY KEY,
                started_at   TEXT NOT NULL,
                committed_at TEXT NOT NULL,
                docs         INTEGER NOT NULL
            );
        "#,
    },
    Migration {
        description: "display titles for untitled documents; source and date indexes for stats and listings",
        sql: r#"
            ALTER TABLE documents ADD COLUMN display_title TEXT;
            CREATE INDEX documents_source ON documents(source);
            CREATE INDEX documents_date ON documents(date);
        "#,
    },
    Migration {
        description:
            "extraction: per-document analyses (entities, quotes, events) and the corpus views built from them",
        sql: r#"
            -- Per document, written in the batch's transaction (see views.rs).
            CREATE TABLE analyses (
                doc_id   TEXT PRIMARY KEY NOT NULL,
                version  INTEGER NOT NULL,
                json     TEXT NOT NULL
            );
            CREATE TABLE doc_entities (
                doc_id    TEXT NOT NULL,
                local     INTEGER NOT NULL,
                type      TEXT NOT NULL,
                name      TEXT NOT NULL,
                variants  TEXT NOT NULL,
                roles     TEXT NOT NULL,
                mentions  INTEGER NOT NULL,
                sentences TEXT NOT NULL,
                PRIMARY KEY (doc_id, local)
            );
            CREATE TABLE doc_quotes (
                doc_id        TEXT NOT NULL,
                seq           INTEGER NOT NULL,
                speaker_local INTEGER,
                speaker_text  TEXT NOT NULL,
                speaker_key   TEXT NOT NULL,
                speaker_kind  TEXT NOT NULL,
                text          TEXT NOT NULL,
                direct        INTEGER NOT NULL,
                verb          TEXT,
                continuation  INTEGER NOT NULL,
                sentence      TEXT NOT NULL,
                "start"       INTEGER NOT NULL,
                "end"         INTEGER NOT NULL,
                doc_date      TEXT,
                PRIMARY KEY (doc_id, seq)
            );
            -- Quotes are listed in date order: keep the document's date here
            -- so that a page of them is an index range, not a sort of all.
            CREATE INDEX doc_quotes_order ON doc_quotes(doc_date, doc_id, seq);
            CREATE TABLE doc_events (
                doc_id  TEXT NOT NULL,
                seq     INTEGER NOT NULL,
                json    TEXT NOT NULL,
                PRIMARY KEY (doc_id, seq)
            );
            CREATE TABLE doc_relations (
                doc_id  TEXT NOT NULL,
                source  INTEGER NOT NULL,
                target  INTEGER NOT NULL,
                kind    TEXT NOT NULL
            );
            CREATE INDEX doc_relations_doc ON doc_relations(doc_id);
            -- Corpus views (since migration 5, kept up to date incrementally).
            CREATE TABLE entities (
                id        TEXT PRIMARY KEY NOT NULL,
                rank      INTEGER NOT NULL,
                type      TEXT NOT NULL,
                name      TEXT NOT NULL,
                variants  TEXT NOT NULL,
                roles     TEXT NOT NULL,
                docs      INTEGER NOT NULL,
                doc_ids   TEXT NOT NULL,
                mentions  INTEGER NOT NULL
            );
            CREATE INDEX entities_rank ON entities(rank);
            CREATE TABLE entity_names (
                key        TEXT NOT NULL,
                entity_id  TEXT NOT NULL
            );
            CREATE INDEX entity_names_key ON entity_names(key);
            CREATE TABLE entity_docs (
                entity_id  TEXT NOT NULL,
                doc_id     TEXT NOT NULL,
                local      INTEGER NOT NULL,
                mentions   INTEGER NOT NULL,
                PRIMARY KEY (doc_id, local)
            );
            CREATE INDEX entity_docs_entity ON entity_docs(entity_id);
            CREATE TABLE timeline (
                seq         INTEGER PRIMARY KEY NOT NULL,
                date        TEXT NOT NULL,
                json        TEXT NOT NULL
            );
            CREATE INDEX timeline_date ON timeline(date);
            CREATE TABLE timeline_actors (
                seq        INTEGER NOT NULL,
                entity_id  TEXT NOT NULL
            );
            CREATE INDEX timeline_actors_entity ON timeline_actors(entity_id);
            CREATE TABLE graph_edges (
                source  TEXT NOT NULL,
                target  TEXT NOT NULL,
                weight  INTEGER NOT NULL,
                kinds   TEXT NOT NULL
            );
            CREATE INDEX graph_edges_source ON graph_edges(source);
            CREATE INDEX graph_edges_target ON graph_edges(target);
            CREATE TABLE view_state (
                key    TEXT PRIMARY KEY NOT NULL,
                value  INTEGER NOT NULL
            );
        "#,
    },
    Migration {
        description:
            "reuse (incremental index rows, passage and duplicate groups) and stories (clusterer state, stories)",
        sql: r#"
            -- The reuse index, appended to as documents arrive (reuse.rs).
            CREATE TABLE reuse_docs (
                seq           INTEGER PRIMARY KEY NOT NULL,
                doc_id        TEXT NOT NULL UNIQUE,
                content_hash  TEXT NOT NULL,
                derived       BLOB NOT NULL
            );
            CREATE TABLE reuse_pairs (
                a INTEGER NOT NULL, a_start INTEGER NOT NULL, a_end INTEGER NOT NULL,
                b INTEGER NOT NULL, b_start INTEGER NOT NULL, b_end INTEGER NOT NULL,
                a_words INTEGER NOT NULL, b_words INTEGER NOT NULL,
                similarity REAL NOT NULL
            );
            CREATE TABLE reuse_duplicate_pairs (
                a INTEGER NOT NULL, b INTEGER NOT NULL,
                similarity REAL NOT NULL, coverage REAL NOT NULL
            );
            -- Views rebuilt from the pairs at each refresh.
            CREATE TABLE reuse_groups (
                id     INTEGER PRIMARY KEY NOT NULL,
                words  INTEGER NOT NULL,
                docs   INTEGER NOT NULL,
                json   TEXT NOT NULL
            );
            CREATE TABLE reuse_occurrences (
                group_id  INTEGER NOT NULL,
                doc_id    TEXT NOT NULL,
                "start"   INTEGER NOT NULL,
                "end"     INTEGER NOT NULL
            );
            CREATE INDEX reuse_occurrences_doc ON reuse_occurrences(doc_id);
            CREATE TABLE duplicate_groups (
                id    INTEGER PRIMARY KEY NOT NULL,
                json  TEXT NOT NULL
            );
            CREATE TABLE duplicate_members (
                group_id  INTEGER NOT NULL,
                doc_id    TEXT NOT NULL
            );
            CREATE INDEX duplicate_members_doc ON duplicate_members(doc_id);
            -- Story clustering (stories.rs): the online clusterer's state and
            -- the stories as last listed.
            CREATE TABLE story_state (
                key    TEXT PRIMARY KEY NOT NULL,
                json   TEXT NOT NULL
            );
            CREATE TABLE stories (
                id     TEXT PRIMARY KEY NOT NULL,
                rank   INTEGER NOT NULL,
                size   INTEGER NOT NULL,
                json   TEXT NOT NULL
            );
            CREATE INDEX stories_rank ON stories(rank);
            CREATE TABLE story_docs (
                doc_id    TEXT PRIMARY KEY NOT NULL,
                story_id  TEXT NOT NULL
            );
            CREATE INDEX story_docs_story ON story_docs(story_id);
        "#,
    },
    Migration {
        description: "incremental corpus views: what each view has taken in, counted, so a batch costs what it adds",
        sql: r#"
            -- Documents whose analysis the views have not taken in yet.
            CREATE TABLE view_pending (doc_id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
            INSERT INTO view_pending (doc_id) SELECT doc_id FROM analyses;
            DELETE FROM view_state;

            -- Entities (entity_view.rs).
            DROP TABLE entities;
            CREATE TABLE entities (
                id        TEXT PRIMARY KEY NOT NULL,
                type      TEXT NOT NULL,
                cluster   TEXT NOT NULL,
                name      TEXT NOT NULL,
                variants  TEXT NOT NULL,
                roles     TEXT NOT NULL,
                docs      INTEGER NOT NULL,
                mentions  INTEGER NOT NULL
            );
            CREATE INDEX entities_order ON entities(docs DESC, mentions DESC, id);
            CREATE INDEX entities_type_order ON entities(type, docs DESC, mentions DESC, id);
            DELETE FROM entity_names;
            CREATE INDEX entity_names_entity ON entity_names(entity_id);
            DELETE FROM entity_docs;
            CREATE TABLE entity_locals (
                doc_id    TEXT NOT NULL,
                local     INTEGER NOT NULL,
                type      TEXT NOT NULL,
                name      TEXT NOT NULL,
                key       TEXT NOT NULL,
                words     INTEGER NOT NULL,
                family    TEXT,
                variants  TEXT NOT NULL,
                roles     TEXT NOT NULL,
                mentions  INTEGER NOT NULL,
                cluster   TEXT NOT NULL,
                PRIMARY KEY (doc_id, local)
            );
            CREATE INDEX entity_locals_key ON entity_locals(type, key, words, cluster);
            CREATE TABLE entity_keys (
                type TEXT NOT NULL, key TEXT NOT NULL, docs INTEGER NOT NULL, mentions INTEGER NOT NULL,
                PRIMARY KEY (type, key)
            ) WITHOUT ROWID;
            CREATE TABLE entity_key_docs (
                type TEXT NOT NULL, key TEXT NOT NULL, doc_id TEXT NOT NULL, n INTEGER NOT NULL,
                PRIMARY KEY (type, key, doc_id)
            ) WITHOUT ROWID;
            CREATE TABLE entity_families (
                family TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL,
                PRIMARY KEY (family, key)
            ) WITHOUT ROWID;
            CREATE INDEX entity_families_key ON entity_families(key);
            CREATE TABLE entity_clusters (
                type TEXT NOT NULL, cluster TEXT NOT NULL, id TEXT NOT NULL,
                docs INTEGER NOT NULL, mentions INTEGER NOT NULL, locals INTEGER NOT NULL,
                PRIMARY KEY (type, cluster)
            ) WITHOUT ROWID;
            CREATE TABLE entity_cluster_docs (
                type TEXT NOT NULL, cluster TEXT NOT NULL, doc_id TEXT NOT NULL, n INTEGER NOT NULL,
                PRIMARY KEY (type, cluster, doc_id)
            ) WITHOUT ROWID;
            CREATE TABLE entity_cluster_names (
                type TEXT NOT NULL, cluster TEXT NOT NULL, name TEXT NOT NULL,
                n INTEGER NOT NULL, mentions INTEGER NOT NULL, words INTEGER NOT NULL,
                PRIMARY KEY (type, cluster, name)
            ) WITHOUT ROWID;
            CREATE TABLE entity_cluster_variants (
                type TEXT NOT NULL, cluster TEXT NOT NULL, variant TEXT NOT NULL, n INTEGER NOT NULL,
                PRIMARY KEY (type, cluster, variant)
            ) WITHOUT ROWID;
            CREATE TABLE entity_cluster_roles (
                type TEXT NOT NULL, cluster TEXT NOT NULL, role TEXT NOT NULL, n INTEGER NOT NULL,
                PRIMARY KEY (type, cluster, role)
            ) WITHOUT ROWID;

            -- Timeline (timeline_view.rs): entries by bucket, in the order
            -- the timeline lists them.
            DROP TABLE timeline;
            CREATE TABLE timeline (
                seq          INTEGER PRIMARY KEY NOT NULL,
                bucket       TEXT NOT NULL,
                date         TEXT NOT NULL,
                granularity  INTEGER NOT NULL,
                type         TEXT NOT NULL,
                title        TEXT NOT NULL,
                docs_key     TEXT NOT NULL,
                json         TEXT NOT NULL
            );
            CREATE INDEX timeline_bucket ON timeline(bucket);
            CREATE INDEX timeline_order ON timeline(date, granularity, type, title, docs_key, seq);
            DELETE FROM timeline_actors;
            CREATE INDEX timeline_actors_seq ON timeline_actors(seq);
            CREATE TABLE timeline_docs (
                bucket  TEXT NOT NULL,
                doc_id  TEXT NOT NULL,
                PRIMARY KEY (bucket, doc_id)
            ) WITHOUT ROWID;
            CREATE INDEX timeline_docs_doc ON timeline_docs(doc_id);

            -- Graph (graph_view.rs): each document's edges, to take back.
            DROP TABLE graph_edges;
            CREATE TABLE graph_edges (
                source  TEXT NOT NULL,
                target  TEXT NOT NULL,
                weight  INTEGER NOT NULL,
                kinds   TEXT NOT NULL,
                PRIMARY KEY (source, target)
            ) WITHOUT ROWID;
            CREATE INDEX graph_edges_target ON graph_edges(target);
            CREATE TABLE graph_edge_kinds (
                source TEXT NOT NULL, target TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL,
                PRIMARY KEY (source, target, kind)
            ) WITHOUT ROWID;
            CREATE TABLE graph_docs (
                doc_id  TEXT PRIMARY KEY NOT NULL,
                edges   TEXT NOT NULL
            ) WITHOUT ROWID;
        "#,
    },
    Migration {
        description: "reuse index on disk: LSH tables as rows, groups regrouped where new pairs land",
        sql: r#"
            -- The LSH tables (reuse.rs): a document's folded band keys, read
            -- newest first; a key may repeat for one document.
            CREATE TABLE reuse_buckets (
                tbl  INTEGER NOT NULL,
                key  INTEGER NOT NULL,
                doc  INTEGER NOT NULL
            );
            CREATE INDEX reuse_buckets_lookup ON reuse_buckets(tbl, key, doc);
            -- Rows without a signature have no bucket entries yet: filed
            -- again from their saved words at the next refresh.
            ALTER TABLE reuse_docs ADD COLUMN signature BLOB;
            CREATE INDEX reuse_docs_unfiled ON reuse_docs(seq) WHERE signature IS NULL;
            CREATE INDEX reuse_pairs_a ON reuse_pairs(a);
            CREATE INDEX reuse_pairs_b ON reuse_pairs(b);
            CREATE INDEX reuse_duplicate_pairs_a ON reuse_duplicate_pairs(a);
            CREATE INDEX reuse_duplicate_pairs_b ON reuse_duplicate_pairs(b);
            -- Groups keep the columns they are listed by, so rewriting one
            -- group does not renumber the others.
            DROP TABLE reuse_groups;
            CREATE TABLE reuse_groups (
                id           INTEGER PRIMARY KEY NOT NULL,
                words        INTEGER NOT NULL,
                docs         INTEGER NOT NULL,
                size         INTEGER NOT NULL,
                first_doc    TEXT NOT NULL,
                first_start  INTEGER NOT NULL,
                cleaner_doc  TEXT,
                json         TEXT NOT NULL
            );
            CREATE INDEX reuse_groups_order ON reuse_groups(docs DESC, words DESC, size DESC, first_doc, first_start);
            CREATE INDEX reuse_groups_cleaner ON reuse_groups(cleaner_doc) WHERE cleaner_doc IS NOT NULL;
            DELETE FROM reuse_occurrences;
            CREATE INDEX reuse_occurrences_group ON reuse_occurrences(group_id);
            DROP TABLE duplicate_groups;
            CREATE TABLE duplicate_groups (
                id         INTEGER PRIMARY KEY NOT NULL,
                size       INTEGER NOT NULL,
                first_doc  TEXT NOT NULL,
                json       TEXT NOT NULL
            );
            CREATE INDEX duplicate_groups_order ON duplicate_groups(size DESC, first_doc);
            DELETE FROM duplicate_members;
            CREATE INDEX duplicate_members_group ON duplicate_members(group_id);
            -- Stories (stories.rs) are rewritten only where documents join
            -- them, so a story's rank is the order it was started in and
            -- lists sort by size, then rank; placed again from scratch once.
            DELETE FROM story_state;
            DELETE FROM stories;
            DELETE FROM story_docs;
            CREATE INDEX stories_order ON stories(size DESC, rank);
        "#,
    },
    Migration {
        description: "timeline kept in its three passes, so a batch rewrites only the entries it changes",
        sql: r#"
            -- Each event as pass 1 reads it (timeline_view.rs): its group
            -- (family, granularity, date), who it names (entity ids by role)
            -- and a hash of what an entry shows of it.
            DROP TABLE timeline_docs;
            CREATE TABLE timeline_items (
                doc_id    TEXT NOT NULL,
                seq       INTEGER NOT NULL,
                grp       TEXT NOT NULL,
                sentence  INTEGER NOT NULL,
                type      TEXT NOT NULL,
                title     TEXT NOT NULL,
                who       TEXT NOT NULL,
                hash      INTEGER NOT NULL,
                PRIMARY KEY (doc_id, seq)
            ) WITHOUT ROWID;
            CREATE INDEX timeline_items_grp ON timeline_items(grp);
            -- The clusters of pass 1, and the finer cluster each coarser one
            -- joined in pass 2.
            CREATE TABLE timeline_units (
                unit         TEXT PRIMARY KEY NOT NULL,
                grp          TEXT NOT NULL,
                bucket       TEXT NOT NULL,
                month        TEXT,
                granularity  INTEGER NOT NULL,
                date         TEXT NOT NULL,
                who          TEXT NOT NULL,
                members      TEXT NOT NULL,
                hash         INTEGER NOT NULL,
                joins        TEXT
            ) WITHOUT ROWID;
            CREATE INDEX timeline_units_grp ON timeline_units(grp);
            CREATE INDEX timeline_units_month ON timeline_units(month) WHERE month IS NOT NULL;
            CREATE INDEX timeline_units_bucket ON timeline_units(bucket);
            -- Entries know the unit they are anchored on and a signature of
            -- their members, to be rewritten only when those change.
            DELETE FROM timeline;
            DELETE FROM timeline_actors;
            ALTER TABLE timeline ADD COLUMN anchor TEXT NOT NULL DEFAULT '';
            ALTER TABLE timeline ADD COLUMN sig INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX timeline_anchor ON timeline(bucket, anchor);
            -- Entries that agree on every listed column are ordered by a
            -- hash of the entry (corpus::entry_tiebreak), not by when they
            -- were written.
            ALTER TABLE timeline ADD COLUMN tie INTEGER NOT NULL DEFAULT 0;
            DROP INDEX timeline_order;
            CREATE INDEX timeline_order ON timeline(date, granularity, type, title, docs_key, tie, seq);
            INSERT OR REPLACE INTO view_state (key, value) VALUES ('timeline_all', 1);
        "#,
    },
    Migration {
        description: "story clusterer saved as a core and one row per story (stories.rs)",
        sql: r#"
            CREATE TABLE story_rows (
                idx    INTEGER PRIMARY KEY NOT NULL,
                state  BLOB NOT NULL
            );
            DELETE FROM story_state;
        "#,
    },
    Migration {
        description: "story clusterer vocabulary, placements and open stories as rows read by key (stories.rs)",
        sql: r#"
            CREATE TABLE story_terms (
                id        INTEGER PRIMARY KEY NOT NULL,
                term      TEXT NOT NULL UNIQUE,
                df        INTEGER NOT NULL,
                surfaces  BLOB NOT NULL
            );
            CREATE TABLE story_entity_df (
                id        INTEGER PRIMARY KEY NOT NULL,
                entity    TEXT NOT NULL UNIQUE,
                df        INTEGER NOT NULL
            );
            ALTER TABLE story_docs ADD COLUMN idx INTEGER;
            ALTER TABLE story_rows ADD COLUMN last_day INTEGER;
            CREATE INDEX story_rows_last ON story_rows(last_day);
            -- The old core held all of this in one value: place every
            -- document again at the next refresh.
            DELETE FROM story_state;
        "#,
    },
    Migration {
        description: "timeline year pass through a name index, entries settled by anchor (timeline_view.rs)",
        sql: r#"
            -- Which units of a family's year name an entity: the candidates
            -- of a year unit, found without reading the year.
            CREATE TABLE timeline_unit_names (
                bucket  TEXT NOT NULL,
                name    TEXT NOT NULL,
                unit    TEXT NOT NULL,
                PRIMARY KEY (bucket, name, unit)
            ) WITHOUT ROWID;
            DROP INDEX timeline_units_bucket;
            CREATE INDEX timeline_units_bucket ON timeline_units(bucket, granularity, date);
            CREATE INDEX timeline_units_joins ON timeline_units(joins) WHERE joins IS NOT NULL;
            INSERT OR REPLACE INTO view_state (key, value) VALUES ('timeline_all', 1);
        "#,
    },
];

/// The version that added `documents.display_title`; databases older than
/// it have the column filled in by the store after migrating (deriving a
/// title needs Rust, not SQL).
pub const DISPLAY_TITLE_VERSION: u32 = 2;

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// The database's current schema version.
pub fn current_version(db: &Connection) -> Result<u32, StoreError> {
    Ok(db.query_row("PRAGMA user_version", [], |row| row.get::<_, u32>(0))?)
}

/// Brings the database to [`latest_version`]; returns the version it had.
///
/// Each step runs in an `IMMEDIATE` transaction that re-reads the version
/// first, so two processes opening a new store at once do not both try to
/// create the tables: the second waits for the first, then finds nothing to do.
pub fn migrate(db: &mut Connection) -> Result<u32, StoreError> {
    let found = current_version(db)?;
    let latest = latest_version();
    if found > latest {
        return Err(StoreError::SchemaTooNew { found, supported: latest });
    }
    if found == latest {
        // The common case: no write lock, so opening never waits for an
        // ingest running in another process.
        return Ok(found);
    }
    loop {
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = current_version(&tx)?;
        if version >= latest {
            return Ok(found);
        }
        tx.execute_batch(MIGRATIONS[version as usize].sql)?;
        // PRAGMA does not take bound parameters; the value is our own integer.
        tx.execute_batch(&format!("PRAGMA user_version = {}", version + 1))?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_database_reaches_latest() {
        let mut db = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut db).unwrap(), 0);
        assert_eq!(current_version(&db).unwrap(), latest_version());
        // Idempotent.
        assert_eq!(migrate(&mut db).unwrap(), latest_version());
    }

    #[test]
    fn newer_database_is_refused() {
        let mut db = Connection::open_in_memory().unwrap();
        db.execute_batch("PRAGMA user_version = 999").unwrap();
        assert!(matches!(migrate(&mut db), Err(StoreError::SchemaTooNew { found: 999, .. })));
    }
}
