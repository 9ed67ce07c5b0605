//! Store-level tests: ingest semantics, crash recovery, migrations, search
//! (documents without analyses: those are the engine's).
//! Documents are built by hand; corpus-scale runs belong in benchmarks.

use std::path::Path;

use marsad_ingest::{CleanDocument, Format, Removal, RemovalReason, SourceDocument};
use rusqlite::Connection;

use crate::FailPoint;
use crate::{migrations, ListOptions, SearchOptions, Store, StoreError};

fn doc(id: &str, title: Option<&str>, source: Option<&str>, date: Option<&str>, text: &str) -> CleanDocument {
    let hash = xxhash_rust::xxh3::xxh3_128(format!("{}\n{}", title.unwrap_or(""), text).as_bytes());
    CleanDocument {
        source: SourceDocument {
            id: id.to_string(),
            title: title.map(str::to_string),
            source: source.map(str::to_string),
            url: Some(format!("https://example.invalid/{id}")),
            author: None,
            date: date.map(str::to_string),
            body: text.to_string(),
            raw: format!("RAW:{text}"),
            origin: format!("{id}.txt"),
            format: Format::Text,
            encoding_note: None,
        },
        paragraphs: text.lines().map(str::to_string).collect(),
        text: text.to_string(),
        removed: Vec::new(),
        content_hash: format!("{hash:032x}"),
    }
}

/// Nothing beside a document.
fn no_rows(_: &Connection, _: usize) -> Result<(), StoreError> {
    Ok(())
}

fn text_doc(id: &str, text: &str) -> CleanDocument {
    doc(id, None, None, None, text)
}

fn ids(store: &Store, query: &str) -> Vec<String> {
    let results = store.search(query, SearchOptions { limit: 100, offset: 0 }).unwrap();
    assert_eq!(results.total, results.hits.len(), "{query}: all hits fit in one page");
    results.hits.into_iter().map(|h| h.doc).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------- ingest

#[test]
fn ingest_added_unchanged_replaced_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();

    let report = store
        .ingest_batch(vec![
            text_doc("a", "alpha bravo"),
            text_doc("b", "charlie delta"),
            // Same content as `a` under a new id, in the same batch.
            text_doc("a-copy", "alpha bravo"),
        ])
        .unwrap();
    assert_eq!(report.added, strings(&["a", "b"]));
    assert_eq!(report.duplicates, vec![("a-copy".to_string(), "a".to_string())]);
    assert!(report.replaced.is_empty() && report.unchanged.is_empty());

    let report = store
        .ingest_batch(vec![
            text_doc("a", "alpha bravo"),        // unchanged
            text_doc("b", "charlie echo"),       // replaced
            text_doc("b-copy", "charlie delta"), // b's *old* content: a new document now
            text_doc("a-copy2", "alpha bravo"),  // duplicate of a, from an earlier batch
        ])
        .unwrap();
    assert_eq!(report.unchanged, strings(&["a"]));
    assert_eq!(report.replaced, strings(&["b"]));
    assert_eq!(report.added, strings(&["b-copy"]));
    assert_eq!(report.duplicates, vec![("a-copy2".to_string(), "a".to_string())]);
    assert_eq!(report.len(), 4);

    // The old version of b is gone from SQLite and from the index.
    assert_eq!(store.document("b").unwrap().unwrap().text, "charlie echo");
    assert_eq!(ids(&store, "echo"), strings(&["b"]));
    assert_eq!(ids(&store, "delta"), strings(&["b-copy"]));
    // Duplicates are neither documents nor indexed, but recorded.
    assert!(store.document("a-copy").unwrap().is_none());
    assert_eq!(ids(&store, "alpha"), strings(&["a"]));
    assert_eq!(store.document("a").unwrap().unwrap().duplicates, strings(&["a-copy", "a-copy2"]));
    let stats = store.stats().unwrap();
    assert_eq!((stats.documents, stats.duplicates), (3, 2));
}

#[test]
fn same_id_twice_in_one_batch_keeps_the_last_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let report = store
        .ingest_batch(vec![
            text_doc("x", "first version"),
            text_doc("x", "second version"),
            text_doc("x", "second version"),
        ])
        .unwrap();
    assert_eq!(report.added, strings(&["x"]));
    assert_eq!(report.replaced, strings(&["x"]));
    assert_eq!(report.unchanged, strings(&["x"]));
    assert_eq!(ids(&store, "second"), strings(&["x"]));
    assert!(ids(&store, "first").is_empty());
    assert_eq!(store.search("version", SearchOptions::default()).unwrap().total, 1);
}

#[test]
fn a_former_duplicate_with_new_content_becomes_a_document() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.ingest_batch(vec![text_doc("a", "same words"), text_doc("b", "same words")]).unwrap();
    let report = store.ingest_batch(vec![text_doc("b", "other words")]).unwrap();
    assert_eq!(report.added, strings(&["b"]));
    assert!(store.document("a").unwrap().unwrap().duplicates.is_empty());
    assert_eq!(store.stats().unwrap().duplicates, 0);
}

#[test]
fn document_record_keeps_everything_and_serializes_the_contract_fields() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut d = doc("d1", None, Some("Aawsat"), Some("2019-04-25"), "First sentence here. Second one.\nMore text");
    d.removed = vec![
        Removal { reason: RemovalReason::CommentForm, text: "اترك تعليقا".into(), span: 10..30 },
        Removal { reason: RemovalReason::RepeatedParagraph { of: 0 }, text: "First sentence".into(), span: 40..54 },
    ];
    store.ingest_batch(vec![d]).unwrap();
    let record = store.document("d1").unwrap().unwrap();
    assert_eq!(record.title, None);
    assert_eq!(record.display_title, "First sentence here.");
    assert_eq!(record.raw, "RAW:First sentence here. Second one.\nMore text");
    assert_eq!(store.raw("d1").unwrap().as_deref(), Some(record.raw.as_str()));
    assert_eq!(store.raw("nope").unwrap(), None);
    let json = serde_json::to_value(&record).unwrap();
    for key in ["id", "title", "source", "author", "date", "url", "origin", "format", "text", "removed", "duplicates"] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert!(json.get("raw").is_none() && json.get("body").is_none());
    assert_eq!(json["title"], serde_json::Value::Null);
    assert_eq!(json["format"], "text");
    assert_eq!(json["removed"][0]["reason"], "boilerplate: comment form");
    assert_eq!(json["removed"][0]["kind"], "comment_form");
    assert_eq!(json["removed"][1]["kind"], "repeated_paragraph");
    assert_eq!(json["removed"][1]["of"], 0);
    assert_eq!(json["removed"][1]["start"], 40);
    assert!(store.document("missing").unwrap().is_none());

    let stats = store.stats().unwrap();
    assert_eq!(stats.removals.len(), 2);
    assert_eq!(stats.sources[0].name.as_deref(), Some("Aawsat"));
    assert_eq!(stats.date_from.as_deref(), Some("2019-04-25"));
    assert_eq!(stats.text_bytes, record.text.len() as u64);
    assert!(stats.index_bytes > 0 && stats.store_bytes > stats.index_bytes);
    assert_eq!(stats.schema_version, migrations::latest_version());
}

#[test]
fn listing_is_newest_first_and_paged() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store
        .ingest_batch(vec![
            doc("old", Some("Old"), None, Some("2019-01-01"), "one"),
            doc("undated", Some("Undated"), None, None, "two"),
            doc("new", Some("New"), None, Some("2024-06-19T10:00:00"), "three"),
        ])
        .unwrap();
    let page = store.list_documents(ListOptions { offset: 0, limit: 2 }).unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(page.documents.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["new", "old"]);
    let page = store.list_documents(ListOptions { offset: 2, limit: 2 }).unwrap();
    assert_eq!(page.documents[0].id, "undated");
}

// ---------------------------------------------------------- crash safety

#[test]
fn database_committed_index_not_is_repaired_on_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        store.ingest_batch(vec![text_doc("keep", "stable words"), text_doc("r", "old wording")]).unwrap();
        store
            .ingest_until(
                &[text_doc("new", "zulu words"), text_doc("r", "new wording")],
                &mut no_rows,
                FailPoint::AfterDatabaseCommit,
            )
            .unwrap();
        // The index has not seen the batch yet.
        assert!(ids(&store, "zulu").is_empty());
        assert_eq!(ids(&store, "old"), strings(&["r"]));
        // "Crash": drop without any further index work.
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(ids(&store, "zulu"), strings(&["new"]));
    assert_eq!(ids(&store, "new"), strings(&["r"]));
    assert!(ids(&store, "old").is_empty(), "replaced version is gone from the index");
    assert_eq!(store.search("words", SearchOptions::default()).unwrap().total, 2);
    // Opening again is a no-op.
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.search("wording", SearchOptions::default()).unwrap().total, 1);
}

#[test]
fn killed_before_the_index_commit_is_repaired_on_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        store.ingest_until(&[text_doc("n", "november")], &mut no_rows, FailPoint::BeforeIndexCommit).unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(ids(&store, "november"), strings(&["n"]));
}

#[test]
fn deferred_batches_are_durable_at_once_and_searchable_after_flush() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        store.ingest_deferred_with(&[text_doc("a", "alpha")], &mut no_rows).unwrap();
        store.ingest_deferred_with(&[text_doc("b", "bravo")], &mut no_rows).unwrap();
        assert_eq!(store.unflushed_documents(), 2);
        assert!(ids(&store, "alpha").is_empty());
        assert!(store.document("a").unwrap().is_some(), "in the database already");
        assert!(store.flush_index().unwrap());
        assert!(!store.flush_index().unwrap());
        assert_eq!(ids(&store, "alpha"), strings(&["a"]));
        store.ingest_deferred_with(&[text_doc("c", "charlie")], &mut no_rows).unwrap();
        // Dropped without a flush, as a killed ingest would be.
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(ids(&store, "charlie"), strings(&["c"]));
    assert_eq!(ids(&store, "bravo"), strings(&["b"]));
}

#[test]
fn rebuild_index_matches_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.ingest_batch(vec![text_doc("a", "alpha"), text_doc("b", "bravo")]).unwrap();
    store.ingest_deferred_with(&[text_doc("c", "charlie")], &mut no_rows).unwrap();
    assert_eq!(store.rebuild_index().unwrap(), 3);
    assert_eq!(store.unflushed_documents(), 0);
    assert_eq!(ids(&store, "charlie"), strings(&["c"]));
    assert_eq!(store.search("-zzz", SearchOptions::default()).unwrap().total, 3);
}

#[test]
fn a_lost_or_foreign_index_is_rebuilt_from_the_database() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        store.ingest_batch(vec![text_doc("a", "alpha"), text_doc("b", "bravo")]).unwrap();
    }
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(ids(&store, "alpha"), strings(&["a"]));
    }
    // An index ahead of its database (the database was replaced): rebuilt.
    let other = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(other.path()).unwrap();
        store.ingest_batch(vec![text_doc("x", "xray")]).unwrap();
        store.ingest_batch(vec![text_doc("y", "yankee")]).unwrap();
    }
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    copy_dir(&other.path().join("index"), &dir.path().join("index"));
    {
        let store = Store::open(dir.path()).unwrap();
        assert!(ids(&store, "xray").is_empty());
        assert_eq!(ids(&store, "bravo"), strings(&["b"]));
    }
    // An index tantivy cannot read at all: rebuilt too.
    std::fs::write(dir.path().join("index").join("meta.json"), b"{ not json").unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(ids(&store, "alpha"), strings(&["a"]));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn a_second_writer_is_refused_but_readers_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer = Store::open(dir.path()).unwrap();
    writer.ingest_batch(vec![text_doc("a", "alpha")]).unwrap();
    // The first store now holds the writer lock (kept between batches).
    writer.ingest_until(&[text_doc("b", "bravo")], &mut no_rows, FailPoint::AfterDatabaseCommit).unwrap();
    let mut reader = Store::open(dir.path()).expect("open while another process writes");
    assert_eq!(ids(&reader, "alpha"), strings(&["a"]));
    assert!(matches!(reader.ingest_batch(vec![text_doc("c", "charlie")]), Err(StoreError::Busy)));
    drop(writer);
    drop(reader);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(ids(&store, "bravo"), strings(&["b"]));
    assert!(store.document("c").unwrap().is_none(), "a refused batch writes nothing");
}

// ------------------------------------------------------------ migrations

#[test]
fn an_old_version_database_is_migrated_on_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = Connection::open(dir.path().join("marsad.sqlite3")).unwrap();
        db.execute_batch(migrations::MIGRATIONS[0].sql).unwrap();
        db.execute_batch("PRAGMA user_version = 1").unwrap();
        db.execute(
            "INSERT INTO documents (id, title, source, url, author, date, text, body, raw, origin, format,
                 encoding_note, content_hash, ingested_at, generation)
             VALUES ('old', NULL, 'src', NULL, NULL, '2015-07-21', 'Legacy kilo text. More.', 'b', 'r',
                 'old.txt', 'text', NULL, 'h', '2020-01-01T00:00:00Z', 1)",
            [],
        )
        .unwrap();
        db.execute("INSERT INTO batches VALUES (1, '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', 1)", []).unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::latest_version());
    assert!(migrations::latest_version() > 1);
    assert_eq!(store.document("old").unwrap().unwrap().display_title, "Legacy kilo text.");
    let results = store.search("kilo", SearchOptions::default()).unwrap();
    assert_eq!(results.hits[0].doc, "old");
    assert_eq!(results.hits[0].title, "Legacy kilo text.");
}

#[test]
fn a_newer_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = Connection::open(dir.path().join("marsad.sqlite3")).unwrap();
        db.execute_batch("PRAGMA user_version = 99").unwrap();
    }
    assert!(matches!(Store::open(dir.path()), Err(StoreError::SchemaTooNew { found: 99, .. })));
}

// ---------------------------------------------------------------- search

fn search_fixture() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store
        .ingest_batch(vec![
            doc(
                "all",
                Some("Summit report"),
                Some("Aawsat"),
                Some("2019-04-25"),
                "The leaders met. Trade and security were discussed at the summit in Vladivostok.",
            ),
            doc(
                "one",
                Some("Weather"),
                Some("Okaz"),
                Some("2023-09-13"),
                "Trade trade trade. Markets and more markets, nothing else of note here.",
            ),
            doc(
                "phrase",
                Some("Fruit"),
                Some("okaz"),
                Some("2024-06-19T08:30:00"),
                "She baked a red apple pie for the guests.",
            ),
            doc(
                "reversed",
                None,
                Some("Riyadh"),
                None,
                "An apple, red and ripe, fell from the tree <into> the grass & mud.",
            ),
        ])
        .unwrap();
    (dir, store)
}

#[test]
fn a_document_with_all_terms_ranks_above_one_with_a_single_term() {
    let (_dir, store) = search_fixture();
    let found = ids(&store, "trade security");
    assert_eq!(found, strings(&["all", "one"]));
    let results = store.search("trade security", SearchOptions::default()).unwrap();
    assert!(results.hits[0].score > results.hits[1].score);
}

#[test]
fn title_matches_count_and_weigh_more() {
    let (_dir, store) = search_fixture();
    assert_eq!(ids(&store, "weather"), strings(&["one"]));
    // "summit" is in the title and the text of "all".
    let results = store.search("summit", SearchOptions::default()).unwrap();
    assert_eq!(results.hits[0].doc, "all");
}

#[test]
fn phrase_versus_bag_of_words() {
    let (_dir, store) = search_fixture();
    assert_eq!(sorted(ids(&store, "red apple")), strings(&["phrase", "reversed"]));
    assert_eq!(ids(&store, "\"red apple\""), strings(&["phrase"]));
    assert_eq!(ids(&store, "\"apple red\""), strings(&["reversed"]));
    // A phrase is required; words beside it only rank.
    assert_eq!(ids(&store, "\"red apple\" grass"), Vec::<String>::new());
    assert_eq!(ids(&store, "\"red apple\" pie"), strings(&["phrase"]));
    // A one-word phrase is a plain term.
    assert_eq!(ids(&store, "\"apple\""), ids(&store, "apple"));
}

#[test]
fn exclusions() {
    let (_dir, store) = search_fixture();
    assert_eq!(ids(&store, "apple -pie"), strings(&["reversed"]));
    assert_eq!(ids(&store, "apple -\"red apple\""), strings(&["reversed"]));
    // Exclusions alone: everything else, newest first.
    assert_eq!(ids(&store, "-apple"), strings(&["one", "all"]));
}

#[test]
fn source_and_date_filters() {
    let (_dir, store) = search_fixture();
    assert_eq!(sorted(ids(&store, "source:OKAZ")), strings(&["one", "phrase"]));
    assert_eq!(ids(&store, "trade source:okaz"), strings(&["one"]));
    assert_eq!(sorted(ids(&store, "source:aawsat source:riyadh")), strings(&["all", "reversed"]));
    assert_eq!(ids(&store, "source:okaz -source:Okaz"), Vec::<String>::new());
    assert_eq!(sorted(ids(&store, "-source:okaz")), strings(&["all", "reversed"]));
    // Inclusive bounds, whole days; undated documents never pass a date filter.
    assert_eq!(ids(&store, "after:2019-04-25 before:2023-09-13"), strings(&["one", "all"]));
    assert_eq!(ids(&store, "after:2023-09-14"), strings(&["phrase"]));
    assert_eq!(ids(&store, "before:2024-06-19"), strings(&["phrase", "one", "all"]));
    assert_eq!(ids(&store, "before:2024-06-18"), strings(&["one", "all"]));
    assert_eq!(ids(&store, "apple after:٢٠٢٤-٠١-٠١"), strings(&["phrase"]));
    assert!(ids(&store, "after:2025-01-01 before:2020-01-01").is_empty());
    // Filters only: newest first, score 0.
    let results = store.search("source:okaz", SearchOptions::default()).unwrap();
    assert_eq!(results.hits.iter().map(|h| h.doc.as_str()).collect::<Vec<_>>(), ["phrase", "one"]);
    assert_eq!(results.hits[0].score, 0.0);
}

#[test]
fn search_never_panics_on_arbitrary_input() {
    use proptest::test_runner::{Config, TestRunner};
    let (_dir, store) = search_fixture();
    let mut runner = TestRunner::new(Config { cases: 200, ..Config::default() });
    runner
        .run(&"[-\" :a-zا-ي0-9٠-٩ًٌٍَُِّْ]{0,24}|\\PC{0,24}", |query| {
            let _ = store.search(&query, SearchOptions { limit: 3, offset: 1 });
            Ok(())
        })
        .unwrap();
    let huge = SearchOptions { limit: usize::MAX, offset: usize::MAX };
    assert_eq!(store.search("apple", huge).unwrap().total, 2);
    let big_page = SearchOptions { limit: usize::MAX, offset: 1 };
    assert_eq!(store.search("apple", big_page).unwrap().hits.len(), 1);
}

#[test]
fn store_can_move_to_another_thread() {
    fn send<T: Send>() {}
    send::<Store>();
}

#[test]
fn query_errors_surface_as_store_errors() {
    let (_dir, store) = search_fixture();
    for bad in ["", "   ", "\"open", "after:2019-1-1", "before:"] {
        match store.search(bad, SearchOptions::default()) {
            Err(StoreError::Query(_)) => {}
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    let e = store.search("after:20190101", SearchOptions::default()).unwrap_err();
    assert!(e.to_string().starts_with("after: expects YYYY-MM-DD"), "{e}");
}

#[test]
fn paging_and_counting() {
    let (_dir, store) = search_fixture();
    let all = store.search("the", SearchOptions { limit: 10, offset: 0 }).unwrap();
    let second = store.search("the", SearchOptions { limit: 1, offset: 1 }).unwrap();
    assert_eq!(second.total, all.total);
    assert_eq!(second.hits[0].doc, all.hits[1].doc);
    let none = store.search("the", SearchOptions { limit: 0, offset: 0 }).unwrap();
    assert_eq!((none.total, none.hits.len()), (all.total, 0));
    let past = store.search("the", SearchOptions { limit: 5, offset: 100 }).unwrap();
    assert!(past.hits.is_empty() && past.total == all.total);
}

#[test]
fn snippets_mark_matches_and_escape_the_rest() {
    let (_dir, store) = search_fixture();
    let results = store.search("grass", SearchOptions::default()).unwrap();
    let snippet = &results.hits[0].snippet;
    assert!(snippet.contains("<mark>grass</mark>"), "{snippet}");
    assert!(snippet.contains("&lt;into&gt;") && snippet.contains("&amp;"), "{snippet}");
    // A title-only match shows the opening of the text.
    let results = store.search("weather", SearchOptions::default()).unwrap();
    assert!(results.hits[0].snippet.starts_with("Trade trade trade."), "{}", results.hits[0].snippet);
    assert!(!results.hits[0].snippet.contains("<mark>"));
}

#[test]
fn long_texts_get_a_bounded_snippet_around_the_match() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let text = format!("{} needle {}", "filler ".repeat(200), "padding ".repeat(200));
    store.ingest_batch(vec![text_doc("long", &text)]).unwrap();
    let hit = &store.search("needle", SearchOptions::default()).unwrap().hits[0];
    assert!(hit.snippet.contains("<mark>needle</mark>"));
    assert!(hit.snippet.starts_with('…') && hit.snippet.ends_with('…'), "{}", hit.snippet);
    let visible = hit.snippet.replace("<mark>", "").replace("</mark>", "");
    assert!(visible.chars().count() <= 210, "{}", visible.chars().count());
}

#[test]
fn results_serialize_to_the_contract_shape() {
    let (_dir, store) = search_fixture();
    let results = store.search("apple", SearchOptions::default()).unwrap();
    let json = serde_json::to_value(&results).unwrap();
    assert_eq!(json.as_object().unwrap().keys().collect::<Vec<_>>(), ["hits", "total"]);
    let hit = json["hits"].as_array().unwrap().iter().find(|h| h["doc"] == "reversed").unwrap();
    let mut keys: Vec<_> = hit.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["date", "doc", "score", "snippet", "source", "title"]);
    assert_eq!(hit["date"], serde_json::Value::Null);
    // Untitled: the display title from the first sentence.
    assert_eq!(hit["title"], "An apple, red and ripe, fell from the tree <into> the grass…");
    let dated = json["hits"].as_array().unwrap().iter().find(|h| h["doc"] == "phrase").unwrap();
    assert_eq!(dated["date"], "2024-06-19T08:30:00");
    assert_eq!(dated["source"], "okaz");
}

// ------------------------------------------------------ Arabic analysis

#[test]
fn arabic_queries_find_plain_forms() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store
        .ingest_batch(vec![
            text_doc("putin", "التقى بوتين الزعيم الكوري في موسكو"),
            text_doc("china", "المحادثات السداسية بمشاركة الصين وروسيا"),
            text_doc("year", "عقد الاجتماع الأول في عام 2019"),
            text_doc("alef", "وقال إن الأمر انتهى"),
            text_doc("pm", "التقى رئيس الوزراء بالوفد"),
        ])
        .unwrap();
    assert_eq!(ids(&store, "بُوتِين"), strings(&["putin"]), "diacritics");
    assert_eq!(ids(&store, "والصين"), strings(&["china"]), "clitic و");
    assert_eq!(ids(&store, "بموسكو"), strings(&["putin"]), "clitic ب");
    assert_eq!(ids(&store, "٢٠١٩"), strings(&["year"]), "Arabic-Indic digits");
    assert_eq!(ids(&store, "انتهي"), strings(&["alef"]), "alef maqsura / ya");
    assert_eq!(ids(&store, "الامر"), strings(&["alef"]), "hamza on alef");
    // Stop words only: nothing, not an error.
    assert_eq!(store.search("في من على", SearchOptions::default()).unwrap().total, 0);
    // A phrase keeps the gap of a stop word inside it.
    assert_eq!(ids(&store, "\"الأول في عام\""), strings(&["year"]));
    assert!(ids(&store, "\"الأول عام\"").is_empty());
    // Highlighting marks the word as written.
    let hit = &store.search("الصين", SearchOptions::default()).unwrap().hits[0];
    assert!(hit.snippet.contains("<mark>الصين</mark>"), "{}", hit.snippet);
    let hit = &store.search("صين", SearchOptions::default()).unwrap().hits[0];
    assert!(hit.snippet.contains("<mark>الصين</mark>"), "{}", hit.snippet);
}

#[test]
fn documents_dated_outside_the_index_range_are_stored_and_filtered() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store
        .ingest_batch(vec![
            doc("old", None, None, Some("1009-01-01"), "مخطوطة قديمة عن تاريخ المدينة وأسواقها."),
            doc("far", None, None, Some("9999-12-31"), "مخطوطة من المستقبل البعيد عن المدينة."),
        ])
        .unwrap();
    assert_eq!(sorted(ids(&store, "مخطوطة")), strings(&["far", "old"]));
    assert_eq!(ids(&store, "مخطوطة before:1900-01-01"), strings(&["old"]));
    assert_eq!(ids(&store, "مخطوطة after:2300-01-01"), strings(&["far"]));
    assert_eq!(store.document("old").unwrap().unwrap().date.as_deref(), Some("1009-01-01"));
}

/// Found by `fuzz/fuzz_targets/query.rs`: an excluded phrase whose words
/// are in documents that also match the rest of the query.
#[test]
fn excluded_phrases_do_not_trip_the_phrase_scorer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let docs: Vec<CleanDocument> = (0..6)
        .map(|i| {
            let text = if i % 2 == 0 {
                format!("تقرير رقم {i} عن 3 1 في المدينة القديمة.")
            } else {
                format!("تقرير رقم {i} عن 1 ثم 3 في المدينة.")
            };
            text_doc(&format!("d{i}"), &text)
        })
        .collect();
    store.ingest_batch(docs).unwrap();
    for q in ["1 -\"3 1\"", "تقرير -\"3 1\"", "1 - -٣\u{0}\u{0}١", "تقرير -\"المدينة القديمة\" -\"1 ثم\""]
    {
        for offset in [0, 1, 3, 4096] {
            let _ = store.search(q, SearchOptions { limit: 10, offset });
        }
    }
    assert_eq!(sorted(ids(&store, "تقرير -\"3 1\"")), strings(&["d1", "d3", "d5"]));
}

#[test]
fn deleted_documents_leave_the_store_and_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.ingest_batch(vec![text_doc("a", "alpha words"), text_doc("b", "bravo words")]).unwrap();
    let mut seen = Vec::new();
    let deleted = store
        .delete_documents(&strings(&["a", "nope", "a"]), &mut |_, id| {
            seen.push(id.to_string());
            Ok(())
        })
        .unwrap();
    assert_eq!((deleted, seen), (strings(&["a"]), strings(&["a"])));
    assert!(store.document("a").unwrap().is_none());
    assert_eq!(ids(&store, "words"), strings(&["b"]));
    assert!(store.delete_documents(&strings(&["a"]), &mut |_, _| Ok(())).unwrap().is_empty());
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(ids(&store, "words"), strings(&["b"]));
    assert_eq!(store.stats().unwrap().documents, 1);
}

/// A deletion committed to the database whose index commit never happened
/// (a kill in between): the next open rebuilds the index, so the deleted
/// document is not found.
#[test]
fn a_deletion_the_index_missed_is_repaired_on_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        store.ingest_batch(vec![text_doc("a", "alpha words"), text_doc("b", "bravo words")]).unwrap();
    }
    {
        let db = Connection::open(dir.path().join(crate::DATABASE_FILE)).unwrap();
        db.execute_batch(
            "DELETE FROM documents WHERE id = 'a';
             INSERT INTO batches (generation, started_at, committed_at, docs)
             SELECT MAX(generation) + 1, 'x', 'x', -1 FROM batches;",
        )
        .unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(ids(&store, "words"), strings(&["b"]));
}
