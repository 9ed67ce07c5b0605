//! Store-level tests: ingest semantics, crash recovery, migrations, search.
//! Documents are built by hand; corpus-scale runs belong in benchmarks.

use std::path::Path;

use marsad_ingest::{CleanDocument, Format, Removal, RemovalReason, SourceDocument};
use rusqlite::Connection;

use crate::store::FailPoint;
use crate::{migrations, ListOptions, SearchOptions, Store, StoreError};

pub(crate) fn doc(
    id: &str,
    title: Option<&str>,
    source: Option<&str>,
    date: Option<&str>,
    text: &str,
) -> CleanDocument {
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
            .ingest_batch_until(
                vec![text_doc("new", "zulu words"), text_doc("r", "new wording")],
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
        store.ingest_batch_until(vec![text_doc("n", "november")], FailPoint::BeforeIndexCommit).unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(ids(&store, "november"), strings(&["n"]));
}

#[test]
fn deferred_batches_are_durable_at_once_and_searchable_after_flush() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        store.ingest_batch_deferred(vec![text_doc("a", "alpha")]).unwrap();
        store.ingest_batch_deferred(vec![text_doc("b", "bravo")]).unwrap();
        assert_eq!(store.unflushed_documents(), 2);
        assert!(ids(&store, "alpha").is_empty());
        assert!(store.document("a").unwrap().is_some(), "in the database already");
        assert!(store.flush_index().unwrap());
        assert!(!store.flush_index().unwrap());
        assert_eq!(ids(&store, "alpha"), strings(&["a"]));
        store.ingest_batch_deferred(vec![text_doc("c", "charlie")]).unwrap();
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
    store.ingest_batch_deferred(vec![text_doc("c", "charlie")]).unwrap();
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
    writer.ingest_batch_until(vec![text_doc("b", "bravo")], FailPoint::AfterDatabaseCommit).unwrap();
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

// -------------------------------------------------------------- pipeline

#[test]
fn ingest_paths_goes_on_past_bad_files_and_reports_progress() {
    let corpus = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &[u8]| std::fs::write(corpus.path().join(name), body).unwrap();
    write("a.txt", "First article about the summit.\nSecond paragraph of it.".as_bytes());
    write("b.txt", "Another article entirely, on markets.\nWith a second line.".as_bytes());
    write("b-again.txt", "Another article entirely, on markets.\nWith a second line.".as_bytes());
    write("broken.txt", b"\x00\x01binary\x00");
    write("picture.png", b"not read");
    write(
        "items.jsonl",
        concat!(
            r#"{"id":"j1","title":"Jay one","source":"Wire","date":"2015-07-21","content":"Item one text."}"#,
            "\n",
            r#"{"id":"j2","content":42}"#,
            "\n",
            r#"{"id":"j3","content":"Item three text."}"#,
            "\n"
        )
        .as_bytes(),
    );
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut reports = Vec::new();
    let summary = crate::ingest_paths(
        &mut store,
        &[corpus.path().to_path_buf()],
        crate::IngestOptions { batch_size: 2 },
        &mut |p| reports.push(p),
    )
    .unwrap();
    assert_eq!(summary.files, 5, "{summary:#?}");
    assert_eq!(summary.documents_read, 5, "{summary:#?}");
    assert_eq!(summary.added, 4);
    assert_eq!(summary.duplicates.len(), 1);
    // Reading order is kept, so the first file by name is the original:
    // `b-again.txt` sorts before `b.txt` ('-' < '.').
    assert_eq!(summary.duplicates[0], ("b".to_string(), "b-again".to_string()));
    assert_eq!(summary.failures.len(), 2, "{:#?}", summary.failures);
    assert!(summary.failures.iter().any(|f| f.origin.ends_with("broken.txt")));
    assert!(summary.failures.iter().any(|f| f.origin.ends_with("items.jsonl#2")));
    assert_eq!(summary.skipped.len(), 1);
    let last = reports.last().unwrap();
    assert_eq!((last.files_done, last.files_total, last.docs_done, last.docs_committed), (5, 5, 5, 5));
    assert_eq!(last.bytes_done, last.total_bytes);
    assert!(reports.windows(2).all(|w| w[0].docs_committed <= w[1].docs_committed));
    assert_eq!(ids(&store, "summit"), strings(&["a"]));
    assert_eq!(ids(&store, "source:wire"), strings(&["j1"]));

    // Again: nothing changes.
    let again =
        crate::ingest_paths(&mut store, &[corpus.path().to_path_buf()], Default::default(), &mut |_| {}).unwrap();
    assert_eq!((again.added, again.unchanged, again.duplicates.len()), (0, 4, 1));
}

#[test]
fn ingest_reader_reads_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let input = r#"[{"id":"s1","content":"Streamed text one."},{"id":"s2","content":"Streamed text two."}]"#;
    let summary =
        crate::ingest_reader(&mut store, "stdin", None, std::io::Cursor::new(input), Default::default(), &mut |_| {})
            .unwrap();
    assert_eq!((summary.documents_read, summary.added), (2, 2), "{summary:#?}");
    assert_eq!(sorted(ids(&store, "streamed")), strings(&["s1", "s2"]));
    assert_eq!(store.document("s1").unwrap().unwrap().origin, "stdin#1");
}

// ------------------------------------------------------------ seed files

fn seeds_dir() -> Option<std::path::PathBuf> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds"));
    dir.is_dir().then(|| dir.to_path_buf())
}

#[test]
fn seeds_search_for_peskov() {
    let Some(seeds) = seeds_dir() else {
        eprintln!("SKIPPED seeds_search_for_peskov: shared corpus not present");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    // The five articles, not SOURCE.txt.
    let mut files: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("00"))
        .collect();
    files.sort();
    let summary = crate::ingest_paths(&mut store, &files, Default::default(), &mut |_| {}).unwrap();
    assert_eq!(summary.documents_read, 5, "{summary:?}");
    assert!(summary.failures.is_empty(), "{summary:?}");
    let results = store.search("بيسكوف", SearchOptions::default()).unwrap();
    let top: Vec<_> = results.hits.iter().take(2).map(|h| h.doc.as_str()).collect();
    let mut top_sorted = top.clone();
    top_sorted.sort();
    assert_eq!(top_sorted, ["002_da7ccb45ff20fa50", "004_b4ac602b67b6769e"], "{results:#?}");
    for hit in &results.hits[..2] {
        assert!(hit.snippet.contains("<mark>"), "{}", hit.snippet);
        assert!(!hit.title.is_empty());
    }
}

mod views {
    //! The corpus views over analyses written at ingest, on sentences of
    //! our own.
    use super::*;
    use crate::{EntityFilter, EntityLookup, QuoteFilter, TimelineFilter};
    use marsad_extract::EntityType;

    pub(super) fn agency() -> CleanDocument {
        doc(
            "agency",
            None,
            Some("agency"),
            Some("2024-03-15"),
            "التقى الرئيس الأمريكي دونالد ترمب نظيره الفرنسي إيمانويل ماكرون في باريس أمس الخميس.\n\
             وقال ترمب للصحفيين: \"المحادثات كانت مثمرة جدا\".\n\
             وأضاف: \"سنلتقي مجددا قريبا\".",
        )
    }

    pub(super) fn paper() -> CleanDocument {
        doc(
            "paper",
            None,
            Some("paper"),
            Some("2024-03-16"),
            "عقد الرئيس ترامب قمة مع الرئيس إيمانويل ماكرون في باريس يوم 14 مارس 2024.\n\
             وأكد ماكرون أن العلاقات بين البلدين متينة.",
        )
    }

    #[test]
    fn entities_quotes_and_timeline_across_documents() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store.ingest_batch(vec![agency(), paper()]).unwrap();
        assert!(!store.views_current().unwrap());
        store.ensure_views().unwrap();
        assert!(store.views_current().unwrap());

        let persons =
            store.entities(&EntityFilter { entity_type: Some(EntityType::Person), ..Default::default() }).unwrap();
        let trump: Vec<_> =
            persons.entities.iter().filter(|e| e.name.contains("ترمب") || e.name.contains("ترامب")).collect();
        assert_eq!(trump.len(), 1, "{:#?}", persons.entities);
        assert_eq!(trump[0].docs, vec!["agency".to_string(), "paper".to_string()]);
        assert!(trump[0].variants.iter().any(|v| v.contains("ترامب")));
        assert!(persons.entities.iter().any(|e| e.name == "إيمانويل ماكرون"));
        let paris = store.entities(&EntityFilter { name: Some("باريس".into()), ..Default::default() }).unwrap();
        assert_eq!(paris.entities[0].entity_type, EntityType::Place);

        // Quotes: the continuation carries the speaker; lookup by any spelling.
        let quotes = store.quotes(&QuoteFilter { speaker: Some("ترامب".into()), ..Default::default() }).unwrap();
        let direct: Vec<_> = quotes.quotes.iter().filter(|q| q.direct).collect();
        assert_eq!(direct.len(), 2, "{:#?}", quotes.quotes);
        assert!(direct.iter().any(|q| q.continuation && q.text == "سنلتقي مجددا قريبا"));
        assert!(direct.iter().all(|q| q.speaker.as_ref().is_some_and(|s| s.id == trump[0].id)));

        // One meeting on 14 March 2024, told by both.
        let timeline = store.timeline(&TimelineFilter::default()).unwrap();
        let march: Vec<_> = timeline.iter().filter(|e| e.date == "2024-03-14").collect();
        assert_eq!(march.len(), 1, "{timeline:#?}");
        assert_eq!(march[0].docs, vec!["agency".to_string(), "paper".to_string()]);
        assert!(store
            .timeline(&TimelineFilter { from: Some("2025".into()), ..Default::default() })
            .unwrap()
            .is_empty());

        match store.entity("ترمب").unwrap() {
            EntityLookup::Found(p) => {
                assert_eq!(p.documents.len(), 2);
                assert!(p.neighbours.iter().any(|n| n.name == "إيمانويل ماكرون"));
                assert!(!p.events.is_empty());
            }
            other => panic!("{other:?}"),
        }
        let graph = store.graph(&Default::default()).unwrap();
        assert!(graph.edges.iter().any(|e| e.kinds.contains(&"met".to_string())), "{graph:#?}");
    }

    #[test]
    fn replacing_a_document_replaces_its_analysis() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store.ingest_batch(vec![agency(), paper()]).unwrap();
        let mut changed = paper();
        changed.text = "وصل المستشار الألماني أولاف شولتس إلى روما.".into();
        changed.content_hash = "changed".into();
        store.ingest_batch(vec![changed]).unwrap();
        store.ensure_views().unwrap();
        let all = store.entities(&EntityFilter::default()).unwrap();
        let trump = all.entities.iter().find(|e| e.name.contains("ترمب")).unwrap();
        assert_eq!(trump.docs, vec!["agency".to_string()]);
        assert!(all.entities.iter().any(|e| e.name == "أولاف شولتس"), "{:#?}", all.entities);
        let analysis = store.analysis("paper").unwrap().unwrap();
        assert!(analysis.quotes.is_empty());
        assert!(!analysis.sentences.is_empty());
    }

    #[test]
    fn reanalyze_rebuilds_from_stored_text() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store.ingest_batch(vec![agency(), paper()]).unwrap();
        // Simulate documents stored by an older version: analyses gone.
        store.db.execute_batch("DELETE FROM analyses; DELETE FROM doc_entities; DELETE FROM doc_quotes;").unwrap();
        assert_eq!(store.stale_analyses().unwrap(), 2);
        let mut seen = Vec::new();
        assert_eq!(store.reanalyze(false, |done, total| seen.push((done, total))).unwrap(), 2);
        assert_eq!(seen.last(), Some(&(2, 2)));
        assert_eq!(store.stale_analyses().unwrap(), 0);
        assert!(store.views_current().unwrap());
        assert!(!store.quotes(&QuoteFilter::default()).unwrap().quotes.is_empty());
    }
}

mod reuse_and_stories {
    //! Reuse groups, near-duplicates, stories and summaries as the store
    //! keeps them across ingest runs, on sentences of our own.
    use super::*;
    use crate::{ReuseFilter, SummaryScope};

    const SHARED: &str =
        "وقال المتحدث باسم الوزارة إن المفاوضات بين الطرفين ستستأنف في العاصمة الأسبوع المقبل بحضور وسطاء دوليين.";

    fn original() -> CleanDocument {
        doc(
            "wire",
            Some("استئناف المفاوضات"),
            Some("agency"),
            Some("2024-05-01"),
            &format!(
                "أعلنت الحكومة اليوم عن خطة جديدة لتطوير شبكة الطرق في المحافظات الشمالية خلال العامين القادمين.\n\
                 {SHARED}\n\
                 وأضاف أن الجولة السابقة من المحادثات انتهت دون اتفاق على جدول زمني لتبادل الأسرى بين الجانبين.\n\
                 وأشار إلى أن الوفد الحكومي سيضم خبراء في القانون الدولي وممثلين عن وزارة الدفاع والداخلية.\n\
                 ومن المتوقع أن تستمر الجولة الجديدة ثلاثة أيام على الأقل بحسب مصادر مطلعة على الملف."
            ),
        )
    }

    /// A syndicated copy: same story, a sentence dropped, a word changed.
    fn copy() -> CleanDocument {
        doc(
            "copy",
            Some("المفاوضات تستأنف الأسبوع المقبل"),
            Some("paper"),
            Some("2024-05-02"),
            &format!(
                "أعلنت الحكومة اليوم عن خطة جديدة لتطوير شبكة الطرق في المحافظات الشمالية خلال العامين المقبلين.\n\
                 {SHARED}\n\
                 وأضاف أن الجولة السابقة من المحادثات انتهت دون اتفاق على جدول زمني لتبادل الأسرى بين الجانبين.\n\
                 ومن المتوقع أن تستمر الجولة الجديدة ثلاثة أيام على الأقل بحسب مصادر مطلعة على الملف."
            ),
        )
    }

    /// Another story that quotes the shared sentence once.
    fn column() -> CleanDocument {
        doc(
            "column",
            Some("أسعار القمح"),
            Some("weekly"),
            Some("2024-05-03"),
            &format!(
                "ارتفعت أسعار القمح في الأسواق العالمية بنسبة كبيرة بسبب موجة الجفاف التي ضربت مناطق الإنتاج الرئيسية.\n\
                 ويتوقع التجار أن تواصل الأسعار صعودها حتى نهاية الموسم الزراعي الحالي في معظم الدول المصدرة.\n\
                 وفي خبر آخر، {SHARED}"
            ),
        )
    }

    fn open(dir: &Path) -> Store {
        Store::open(dir).unwrap()
    }

    fn refreshed(store: &mut Store, docs: Vec<CleanDocument>) {
        store.ingest_batch(docs).unwrap();
        store.refresh_views().unwrap();
    }

    #[test]
    fn passages_duplicates_and_stories_across_two_ingest_runs() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        refreshed(&mut store, vec![original()]);
        let first_blob: Vec<u8> =
            store.db.query_row("SELECT derived FROM reuse_docs WHERE doc_id = 'wire'", [], |r| r.get(0)).unwrap();
        // Second run: only the new documents are added to the index.
        refreshed(&mut store, vec![column(), copy()]);
        let seqs: Vec<(i64, String)> = store
            .db
            .prepare("SELECT seq, doc_id FROM reuse_docs ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // Date order within the run: copy (05-02) before column (05-03).
        assert_eq!(seqs, vec![(0, "wire".into()), (1, "copy".into()), (2, "column".into())]);
        let blob_after: Vec<u8> =
            store.db.query_row("SELECT derived FROM reuse_docs WHERE doc_id = 'wire'", [], |r| r.get(0)).unwrap();
        assert_eq!(first_blob, blob_after, "the first document was not re-indexed");

        let shared = store.reuse_groups(&ReuseFilter { across_documents: true, ..Default::default() }).unwrap();
        let group = shared
            .groups
            .iter()
            .find(|g| g.group.occurrences.iter().any(|o| o.doc == "column"))
            .expect("the shared sentence is a group");
        let docs: Vec<&str> = group.group.occurrences.iter().map(|o| o.doc.as_str()).collect();
        assert_eq!(docs, ["column", "copy", "wire"]);
        assert_eq!(group.documents, 3);
        // The earliest dated occurrence is the origin.
        assert_eq!(group.group.occurrences[group.group.origin.unwrap()].doc, "wire");
        for o in &group.group.occurrences {
            let text = store.document(&o.doc).unwrap().unwrap().text;
            assert_eq!(&text[o.start..o.end], o.text);
            assert!(o.text.contains("المفاوضات بين الطرفين ستستأنف"));
        }
        // Filter by document, and by length.
        let of_column = store.reuse_groups(&ReuseFilter { doc: Some("column".into()), ..Default::default() }).unwrap();
        assert_eq!(of_column.total, 1);
        let long = store.reuse_groups(&ReuseFilter { min_words: 200, ..Default::default() }).unwrap();
        assert_eq!(long.total, 0);

        // The copy is a near-duplicate of the wire story; the column is not.
        let dups = store.duplicates(None, None, 0).unwrap();
        assert_eq!(dups.total, 1, "{dups:?}");
        assert_eq!(dups.groups[0].docs, ["copy", "wire"]);
        assert_eq!(dups.groups[0].docs[dups.groups[0].origin.unwrap()], "wire");
        assert_eq!(store.duplicates(Some("column"), None, 0).unwrap().total, 0);

        // Stories: the copy joins the wire story and counts once; the column
        // shares a sentence with it, so it is in that story too, however
        // different the rest of it is.
        let stories = store.stories(None, 0).unwrap();
        assert_eq!(stories.total, 1, "{stories:#?}");
        let wire = stories.stories.iter().find(|s| s.docs.contains(&"wire".to_string())).unwrap();
        assert_eq!(wire.id, "wire");
        assert_eq!(wire.docs, ["wire", "copy", "column"]);
        assert_eq!(wire.size, 2);
        assert_eq!(store.story_of("copy").unwrap().as_deref(), Some("wire"));
        assert_eq!(store.story_of("column").unwrap().as_deref(), Some("wire"));
        let detail = store.story("wire").unwrap().unwrap();
        assert_eq!(detail.documents.len(), 3);
        assert!(store.story("nope").unwrap().is_none());
    }

    #[test]
    fn a_changed_document_rebuilds_the_reuse_history() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        refreshed(&mut store, vec![original(), column()]);
        assert_eq!(store.reuse_groups(&ReuseFilter::default()).unwrap().total, 1);
        // The column is rewritten without the shared sentence.
        let text = "ارتفعت أسعار القمح في الأسواق العالمية بنسبة كبيرة بسبب موجة الجفاف.".to_string();
        let changed = doc("column", Some("أسعار القمح"), Some("weekly"), Some("2024-05-03"), &text);
        refreshed(&mut store, vec![changed]);
        assert_eq!(store.reuse_groups(&ReuseFilter::default()).unwrap().total, 0);
        let n: i64 = store.db.query_row("SELECT COUNT(*) FROM reuse_docs", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 2);
        assert_eq!(store.stories(None, 0).unwrap().total, 2);
    }

    #[test]
    fn damaged_reuse_rows_are_rebuilt_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        refreshed(&mut store, vec![original()]);
        store.db.execute("UPDATE reuse_docs SET derived = x'0102'", []).unwrap();
        store.db.execute("UPDATE story_state SET json = '{not json'", []).unwrap();
        refreshed(&mut store, vec![copy(), column()]);
        let shared = store.reuse_groups(&ReuseFilter::default()).unwrap();
        assert_eq!(shared.groups[0].documents, 3);
        assert_eq!(store.duplicates(None, None, 0).unwrap().total, 1);
        // One story: the copy is a near-duplicate, the column shares a passage.
        assert_eq!(store.stories(None, 0).unwrap().total, 1);
    }

    #[test]
    fn a_paragraph_the_cleaner_removed_as_repeated_is_an_in_document_repeat() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        let mut d = original();
        // As the cleaner records it: the removed copy with offsets in the body.
        let body = format!("{}\n{SHARED}", d.text);
        let start = body.rfind(SHARED).unwrap();
        d.source.body = body;
        d.removed.push(Removal {
            reason: RemovalReason::RepeatedParagraph { of: 1 },
            text: SHARED.to_string(),
            span: start..start + SHARED.len(),
        });
        refreshed(&mut store, vec![d]);
        let list = store.reuse_groups(&ReuseFilter { doc: Some("wire".into()), ..Default::default() }).unwrap();
        assert_eq!(list.total, 1, "{list:#?}");
        let g = &list.groups[0];
        assert_eq!(g.documents, 1);
        let kept = &g.group.occurrences[0];
        let text = store.document("wire").unwrap().unwrap().text;
        assert!(!kept.removed);
        assert_eq!(&text[kept.start..kept.end], kept.text);
        assert!(g.group.occurrences[1].removed);
        assert_eq!(g.group.occurrences[1].start, start);
    }

    #[test]
    fn summaries_of_documents_stories_and_the_corpus() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        refreshed(&mut store, vec![original(), copy(), column()]);
        let all = store.summary(&SummaryScope::Corpus, Some(3), None).unwrap();
        assert_eq!(all.documents, 3);
        assert!(!all.sentences.is_empty() && all.sentences.len() <= 3);
        // Said once, though three documents carry it.
        let shared = all.sentences.iter().filter(|s| s.text.contains("ستستأنف")).count();
        assert!(shared <= 1, "{all:#?}");
        for s in &all.sentences {
            let text = store.document(&s.doc).unwrap().unwrap().text;
            assert_eq!(&text[s.start..s.end], s.text);
        }
        // Date order.
        let dates: Vec<_> = all.sentences.iter().map(|s| s.date.clone()).collect();
        let mut sorted_dates = dates.clone();
        sorted_dates.sort();
        assert_eq!(dates, sorted_dates);

        let story = store.summary(&SummaryScope::Story("wire".into()), Some(2), None).unwrap();
        assert_eq!(story.documents, 3);
        assert!(!story.sentences.is_empty() && story.sentences.len() <= 2);
        let docs = store.summary(&SummaryScope::Documents(vec!["wire".into()]), None, Some(40)).unwrap();
        let words: usize = docs.sentences.iter().map(|s| s.text.split_whitespace().count()).sum();
        assert!(words <= 40 && !docs.sentences.is_empty());
        assert!(matches!(
            store.summary(&SummaryScope::Documents(vec!["missing".into()]), None, None),
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            store.summary(&SummaryScope::Story("missing".into()), None, None),
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            store.summary(&SummaryScope::Entity("لا أحد بهذا الاسم".into()), None, None),
            Err(StoreError::NotFound { .. })
        ));
    }
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

mod incremental {
    //! The incremental views against the whole-corpus functions of
    //! `marsad_extract::corpus` and against a rebuild from scratch: after
    //! batches, replacements and reanalysis, all three agree exactly.
    use std::collections::{BTreeMap, BTreeSet};

    use marsad_extract::corpus::{self, DocEntities, DocEvents, DocGraphInput, EntityRef, GlobalEntity, TimelineEntry};
    use marsad_extract::{EntityType, Event, LocalEntity, Relation};

    use super::*;
    use crate::views::{decode, parse_type};
    use crate::{EntityFilter, TimelineFilter};

    /// What the views hold: entities in list order, the local → entity
    /// table, the timeline in order, the edges.
    #[derive(Debug, PartialEq, Eq)]
    struct Views {
        entities: Vec<GlobalEntity>,
        locals: BTreeSet<(String, String, i64, i64)>,
        timeline: Vec<TimelineEntry>,
        edges: BTreeSet<(String, String, usize, Vec<String>)>,
    }

    fn stored(store: &Store) -> Views {
        let entities =
            store.entities(&EntityFilter::default()).unwrap().entities.into_iter().map(|e| e.entity).collect();
        let locals = store
            .db
            .prepare("SELECT entity_id, doc_id, local, mentions FROM entity_docs")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let timeline = store.timeline(&TimelineFilter { sports: true, ..Default::default() }).unwrap();
        let edges = store
            .db
            .prepare("SELECT source, target, weight, kinds FROM graph_edges")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as usize, r.get::<_, String>(3)?)))
            .unwrap()
            .map(|r| {
                let (s, t, w, k) = r.unwrap();
                (s, t, w, decode::<Vec<String>>(&k, "kinds").unwrap())
            })
            .collect();
        Views { entities, locals, timeline, edges }
    }

    /// The views as the whole-corpus functions compute them from the
    /// per-document tables.
    fn reference(store: &Store) -> Views {
        let db = &store.db;
        let mut docs: BTreeMap<String, (Vec<LocalEntity>, Vec<Vec<usize>>)> = BTreeMap::new();
        let mut stmt = db
            .prepare(
                "SELECT doc_id, local, type, name, variants, roles, mentions, sentences FROM doc_entities
                 ORDER BY doc_id, local",
            )
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let entry = docs.entry(r.get(0).unwrap()).or_default();
            assert_eq!(entry.0.len() as i64, r.get::<_, i64>(1).unwrap());
            entry.0.push(LocalEntity {
                name: r.get(3).unwrap(),
                entity_type: parse_type(&r.get::<_, String>(2).unwrap()).unwrap(),
                variants: decode(&r.get::<_, String>(4).unwrap(), "v").unwrap(),
                roles: decode(&r.get::<_, String>(5).unwrap(), "r").unwrap(),
                mentions: r.get::<_, i64>(6).unwrap() as usize,
            });
            entry.1.push(decode(&r.get::<_, String>(7).unwrap(), "s").unwrap());
        }
        let inputs: Vec<DocEntities<'_>> =
            docs.iter().map(|(doc, (entities, _))| DocEntities { doc, entities }).collect();
        let resolution = corpus::resolve_entities(&inputs);
        let mut refs: BTreeMap<&str, Vec<EntityRef>> = BTreeMap::new();
        let mut locals = BTreeSet::new();
        for ((doc, (entities, _)), assigned) in docs.iter().zip(&resolution.assignment) {
            let mut row = Vec::new();
            for (local, &g) in assigned.iter().enumerate() {
                let e = &resolution.entities[g];
                row.push(EntityRef { id: e.id.clone(), name: e.name.clone(), entity_type: e.entity_type });
                locals.insert((e.id.clone(), doc.clone(), local as i64, entities[local].mentions as i64));
            }
            refs.insert(doc, row);
        }
        let mut events: BTreeMap<String, (Option<String>, Vec<Event>)> = BTreeMap::new();
        let mut stmt = db
            .prepare("SELECT e.doc_id, d.date, e.json FROM doc_events e JOIN documents d ON d.id = e.doc_id ORDER BY e.doc_id, e.seq")
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let entry = events.entry(r.get(0).unwrap()).or_insert_with(|| (r.get(1).unwrap(), Vec::new()));
            entry.1.push(decode(&r.get::<_, String>(2).unwrap(), "e").unwrap());
        }
        let none: Vec<EntityRef> = Vec::new();
        let event_inputs: Vec<DocEvents<'_>> = events
            .iter()
            .map(|(doc, (date, evs))| DocEvents {
                doc,
                doc_date: date.as_deref(),
                events: evs,
                entities: refs.get(doc.as_str()).unwrap_or(&none),
            })
            .collect();
        let timeline = corpus::build_timeline(&event_inputs);
        let mut relations: BTreeMap<String, Vec<Relation>> = BTreeMap::new();
        let mut stmt = db.prepare("SELECT doc_id, source, target, kind FROM doc_relations").unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            relations.entry(r.get(0).unwrap()).or_default().push(Relation {
                source: r.get::<_, i64>(1).unwrap() as usize,
                target: r.get::<_, i64>(2).unwrap() as usize,
                kind: r.get(3).unwrap(),
                sentence: 0,
            });
        }
        let no_relations = Vec::new();
        let graph_inputs: Vec<DocGraphInput<'_>> = docs
            .iter()
            .map(|(doc, (_, sentences))| DocGraphInput {
                entity_sentences: sentences,
                entities: &refs[doc.as_str()],
                relations: relations.get(doc).unwrap_or(&no_relations),
            })
            .collect();
        let edges = corpus::build_graph(&graph_inputs)
            .edges
            .into_iter()
            .map(|e| (e.source, e.target, e.weight, e.kinds))
            .collect();
        Views { entities: resolution.entities, locals, timeline, edges }
    }

    /// The reuse index from its rows, as one in-memory index.
    fn reuse_index(store: &Store) -> marsad_reuse::ReuseIndex {
        let db = &store.db;
        let documents = db
            .prepare(
                "SELECT r.doc_id, d.date, d.text, r.derived FROM reuse_docs r JOIN documents d ON d.id = r.doc_id
                 ORDER BY r.seq",
            )
            .unwrap()
            .query_map([], |r| {
                let derived: Vec<u8> = r.get(3)?;
                Ok(marsad_reuse::DocumentRow::from_derived_bytes(r.get(0)?, r.get(1)?, r.get(2)?, &derived).unwrap())
            })
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let passages = db
            .prepare("SELECT a, a_start, a_end, b, b_start, b_end, a_words, b_words, similarity FROM reuse_pairs ORDER BY rowid")
            .unwrap()
            .query_map([], |r| {
                Ok(marsad_reuse::PassageRow {
                    a: (r.get(0)?, r.get(1)?, r.get(2)?),
                    b: (r.get(3)?, r.get(4)?, r.get(5)?),
                    words: (r.get(6)?, r.get(7)?),
                    similarity: r.get::<_, f64>(8)? as f32,
                })
            })
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let duplicates = db
            .prepare("SELECT a, b, similarity, coverage FROM reuse_duplicate_pairs ORDER BY rowid")
            .unwrap()
            .query_map([], |r| {
                Ok(marsad_reuse::DuplicateRow {
                    a: r.get(0)?,
                    b: r.get(1)?,
                    similarity: r.get::<_, f64>(2)? as f32,
                    coverage: r.get::<_, f64>(3)? as f32,
                })
            })
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        marsad_reuse::ReuseIndex::from_rows(marsad_reuse::ReuseRows {
            config: marsad_reuse::ReuseConfig::default(),
            documents,
            passages,
            duplicates,
        })
    }

    /// The reuse groups and near-duplicate groups regrouped where pairs
    /// landed are those of grouping every pair at once; and the LSH rows
    /// are those an in-memory index builds from the same documents.
    fn check_reuse(store: &Store, what: &str) {
        let index = reuse_index(store);
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        let reference = sorted(
            index.groups(crate::reuse::GROUP_MIN_WORDS).iter().map(|g| serde_json::to_string(g).unwrap()).collect(),
        );
        let column = |sql: &str| -> Vec<String> {
            sorted(
                store.db.prepare(sql).unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap(),
            )
        };
        let stored = column("SELECT json FROM reuse_groups WHERE cleaner_doc IS NULL");
        assert_eq!(stored.len(), reference.len(), "{what}: reuse group count");
        assert!(stored == reference, "{what}: reuse groups differ");
        let reference = sorted(index.near_duplicates().iter().map(|g| serde_json::to_string(g).unwrap()).collect());
        let stored = column("SELECT json FROM duplicate_groups");
        assert!(stored == reference, "{what}: near-duplicate groups differ");
        let buckets: i64 = store.db.query_row("SELECT COUNT(*) FROM reuse_buckets", [], |r| r.get(0)).unwrap();
        let expected: usize = index
            .documents()
            .iter()
            .map(|d| {
                let k = d.bucket_keys(&marsad_reuse::ReuseConfig::default());
                k.documents.len() + k.sentences.len()
            })
            .sum();
        assert_eq!(buckets as usize, expected, "{what}: LSH rows");
        // The tables on disk find what the in-memory index finds when given
        // the same documents in the same order: passage for passage.
        let mut fresh = marsad_reuse::ReuseIndex::new();
        for d in index.documents() {
            fresh.add_document(&d.id, d.date.as_deref(), &d.text);
        }
        assert!(fresh.passages() == index.passages(), "{what}: passages differ from an in-memory index");
        assert!(fresh.duplicate_pairs() == index.duplicate_pairs(), "{what}: near-duplicate pairs differ");
        eprintln!("{what}: {} reuse groups, {} near-duplicate groups agree", index.groups(8).len(), stored.len());
    }

    /// Incremental == whole-corpus reference == rebuilt from scratch.
    fn check(store: &mut Store, what: &str) {
        check_reuse(store, what);
        let incremental = stored(store);
        let reference = reference(store);
        assert_eq!(incremental.entities.len(), reference.entities.len(), "{what}: entity count");
        for (a, b) in incremental.entities.iter().zip(&reference.entities) {
            assert_eq!(a, b, "{what}: entities differ");
        }
        assert!(incremental.locals == reference.locals, "{what}: entity_docs differ");
        assert_eq!(incremental.timeline.len(), reference.timeline.len(), "{what}: timeline length");
        for (a, b) in incremental.timeline.iter().zip(&reference.timeline) {
            assert_eq!(a, b, "{what}: timeline differs");
        }
        assert!(incremental.edges == reference.edges, "{what}: graph differs");
        eprintln!(
            "{what}: {} entities, {} entity rows, {} timeline entries, {} edges agree",
            incremental.entities.len(),
            incremental.locals.len(),
            incremental.timeline.len(),
            incremental.edges.len()
        );
        store.rebuild_views().unwrap();
        assert!(stored(store) == incremental, "{what}: a rebuild from scratch differs");
    }

    fn sample(n: usize) -> Option<Vec<CleanDocument>> {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/saudinewsnet"));
        let mut files: Vec<_> = std::fs::read_dir(dir).ok()?.map(|e| e.unwrap().path()).collect();
        files.sort();
        let mut docs = Vec::new();
        for file in files {
            marsad_ingest::read_file(&file, &mut |r| {
                if let Ok(doc) = r {
                    docs.push(marsad_ingest::clean(doc));
                }
            });
            if docs.len() >= n {
                break;
            }
        }
        // Every 3rd document of the first files: several days, all outlets.
        Some(docs.into_iter().step_by(3).take(n / 3).collect())
    }

    #[test]
    fn batches_replacements_and_reanalysis_agree_with_a_full_rebuild() {
        // Needs ../shared/corpus/saudinewsnet (real news, several outlets).
        let Some(mut docs) = sample(6000) else {
            eprintln!("SKIPPED batches_replacements_and_reanalysis_agree_with_a_full_rebuild: shared corpus absent");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        // Our two documents first, then the real ones in uneven batches.
        store.ingest_batch(vec![super::views::agency(), super::views::paper()]).unwrap();
        store.refresh_views().unwrap();
        check(&mut store, "two documents");
        let rest = docs.split_off(docs.len() / 2);
        for (i, batch) in docs.chunks(docs.len().div_ceil(3)).enumerate() {
            store.ingest_batch(batch.to_vec()).unwrap();
            store.refresh_views().unwrap();
            if i == 0 {
                check(&mut store, "first batch");
            }
        }
        // Replace a tenth of the stored documents by others' texts, and add
        // the rest in small batches.
        let stored_ids: Vec<String> = docs.iter().map(|d| d.source.id.clone()).collect();
        let mut replaced = Vec::new();
        for (k, id) in stored_ids.iter().step_by(10).enumerate() {
            let mut other = rest[k].clone();
            other.source.id = id.clone();
            replaced.push(other);
        }
        let n = replaced.len();
        store.ingest_batch(replaced).unwrap();
        store.refresh_views().unwrap();
        for batch in rest[n..].chunks(97).take(6) {
            store.ingest_batch(batch.to_vec()).unwrap();
            store.refresh_views().unwrap();
        }
        check(&mut store, "after replacements and small batches");
        let entities = store.entities(&EntityFilter::default()).unwrap();
        assert!(entities.total > 3000, "{}", entities.total);
        assert!(store.timeline_total(&TimelineFilter { sports: true, ..Default::default() }).unwrap() > 100);
    }

    #[test]
    fn our_documents_agree_after_every_step() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        store.ingest_batch(vec![super::views::agency()]).unwrap();
        store.refresh_views().unwrap();
        check(&mut store, "one document");
        store.ingest_batch(vec![super::views::paper()]).unwrap();
        store.refresh_views().unwrap();
        check(&mut store, "two documents");
        let mut changed = super::views::paper();
        changed.text = "وصل المستشار الألماني أولاف شولتس إلى روما.".into();
        changed.content_hash = "changed".into();
        store.ingest_batch(vec![changed]).unwrap();
        store.refresh_views().unwrap();
        check(&mut store, "replaced");
        assert!(store.entities(&EntityFilter::default()).unwrap().entities.iter().all(|e| !e.docs.is_empty()));
    }

    /// A lone family name joins the one full name, leaves it when a second
    /// full name shares it, and a short nasab joins its full chain: rows
    /// move between clusters and the views follow.
    #[test]
    fn names_move_between_clusters_as_the_corpus_grows() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let steps = [
            ("a", "قال ترامب للصحفيين في واشنطن إن المحادثات كانت مثمرة."),
            ("b", "التقى الرئيس الأمريكي دونالد ترامب نظيره الفرنسي إيمانويل ماكرون في باريس."),
            ("c", "وصل رجل الأعمال إريك ترامب إلى دبي أمس في زيارة تستمر يومين."),
            ("d", "استقبل ولي العهد الأمير محمد بن سلمان وزير الخارجية الأمريكي في الرياض."),
            ("e", "أصدر الأمير محمد بن سلمان بن عبدالعزيز أمرا بتعيين وزير جديد."),
        ];
        let mut lone_joined = false;
        for (i, (id, text)) in steps.iter().enumerate() {
            let date = format!("2024-05-0{}", i + 1);
            store.ingest_batch(vec![doc(id, None, Some("agency"), Some(&date), text)]).unwrap();
            store.refresh_views().unwrap();
            check(&mut store, &format!("step {id}"));
            let all = store.entities(&EntityFilter::default()).unwrap();
            if *id == "b" {
                lone_joined = all.entities.iter().any(|e| e.docs == ["a", "b"]);
            }
        }
        assert!(lone_joined, "the lone ترامب joined دونالد ترامب");
    }

    #[test]
    fn seeds_agree_one_by_one() {
        let Some(seeds) = seeds_dir() else {
            eprintln!("SKIPPED seeds_agree_one_by_one: shared corpus not present");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let mut files: Vec<_> = std::fs::read_dir(&seeds)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("00"))
            .collect();
        files.sort();
        for file in &files {
            crate::ingest_paths(&mut store, std::slice::from_ref(file), Default::default(), &mut |_| {}).unwrap();
        }
        check(&mut store, "seeds one by one");
        let _ = EntityType::Person;
    }
}
