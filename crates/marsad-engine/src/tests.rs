//! Engine tests: the ingest pipeline, analyses, every corpus view kept
//! incrementally against the whole-corpus functions and a rebuild.
//! Documents are built by hand (and read from ../shared when present);
//! corpus-scale runs belong in benchmarks.

use std::path::Path;

use marsad_ingest::{CleanDocument, Format, Removal, RemovalReason, SourceDocument};

use crate::{Engine, SearchOptions, StoreError};

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

fn ids(store: &Engine, query: &str) -> Vec<String> {
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
    let mut store = Engine::open(dir.path()).unwrap();
    let mut reports = Vec::new();
    let summary = store
        .ingest(
            crate::IngestInput::Paths(&[corpus.path().to_path_buf()]),
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
    let again = store
        .ingest(crate::IngestInput::Paths(&[corpus.path().to_path_buf()]), Default::default(), &mut |_| {})
        .unwrap();
    assert_eq!((again.added, again.unchanged, again.duplicates.len()), (0, 4, 1));
}

#[test]
fn ingest_reader_reads_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Engine::open(dir.path()).unwrap();
    let input = r#"[{"id":"s1","content":"Streamed text one."},{"id":"s2","content":"Streamed text two."}]"#;
    let summary = store
        .ingest(
            crate::IngestInput::Stream { name: "stdin", format: None, reader: Box::new(std::io::Cursor::new(input)) },
            Default::default(),
            &mut |_| {},
        )
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
    let mut store = Engine::open(dir.path()).unwrap();
    // The five articles, not SOURCE.txt.
    let mut files: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("00"))
        .collect();
    files.sort();
    let summary = store.ingest(crate::IngestInput::Paths(&files), Default::default(), &mut |_| {}).unwrap();
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
        let mut store = Engine::open(dir.path()).unwrap();
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
        let mut store = Engine::open(dir.path()).unwrap();
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
        let mut store = Engine::open(dir.path()).unwrap();
        store.ingest_batch(vec![agency(), paper()]).unwrap();
        // Simulate documents stored by an older version: analyses gone.
        store.db().execute_batch("DELETE FROM analyses; DELETE FROM doc_entities; DELETE FROM doc_quotes;").unwrap();
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

    fn open(dir: &Path) -> Engine {
        Engine::open(dir).unwrap()
    }

    fn refreshed(store: &mut Engine, docs: Vec<CleanDocument>) {
        store.ingest_batch(docs).unwrap();
        store.refresh_views().unwrap();
    }

    #[test]
    fn passages_duplicates_and_stories_across_two_ingest_runs() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        refreshed(&mut store, vec![original()]);
        let first_blob: Vec<u8> =
            store.db().query_row("SELECT derived FROM reuse_docs WHERE doc_id = 'wire'", [], |r| r.get(0)).unwrap();
        // Second run: only the new documents are added to the index.
        refreshed(&mut store, vec![column(), copy()]);
        let seqs: Vec<(i64, String)> = store
            .db()
            .prepare("SELECT seq, doc_id FROM reuse_docs ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // Date order within the run: copy (05-02) before column (05-03).
        assert_eq!(seqs, vec![(0, "wire".into()), (1, "copy".into()), (2, "column".into())]);
        let blob_after: Vec<u8> =
            store.db().query_row("SELECT derived FROM reuse_docs WHERE doc_id = 'wire'", [], |r| r.get(0)).unwrap();
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
        let n: i64 = store.db().query_row("SELECT COUNT(*) FROM reuse_docs", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 2);
        assert_eq!(store.stories(None, 0).unwrap().total, 2);
    }

    #[test]
    fn damaged_reuse_rows_are_rebuilt_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        refreshed(&mut store, vec![original()]);
        store.db().execute("UPDATE reuse_docs SET derived = x'0102'", []).unwrap();
        store.db().execute("UPDATE story_state SET json = '{not json'", []).unwrap();
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

mod incremental {
    //! The incremental views against the whole-corpus functions of
    //! `marsad_extract::corpus` and against a rebuild from scratch: after
    //! batches, replacements and reanalysis, all three agree exactly.
    use std::collections::{BTreeMap, BTreeSet};

    use marsad_extract::corpus::{self, DocEntities, DocEvents, DocGraphInput, EntityRef, GlobalEntity, TimelineEntry};
    use marsad_extract::{EntityType, Event, LocalEntity, Relation};

    use super::*;
    use crate::rows::{decode, parse_type};
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

    fn stored(store: &Engine) -> Views {
        let entities =
            store.entities(&EntityFilter::default()).unwrap().entities.into_iter().map(|e| e.entity).collect();
        let locals = store
            .db()
            .prepare("SELECT entity_id, doc_id, local, mentions FROM entity_docs")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let timeline = store.timeline(&TimelineFilter { sports: true, ..Default::default() }).unwrap();
        let edges = store
            .db()
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
    fn reference(store: &Engine) -> Views {
        let db = store.db();
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
                kind: r.get::<_, String>(3).unwrap().parse().unwrap(),
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
    fn reuse_index(store: &Engine) -> marsad_reuse::ReuseIndex {
        let db = store.db();
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
    fn check_reuse(store: &Engine, what: &str) {
        let index = reuse_index(store);
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        let reference =
            sorted(index.groups(crate::GROUP_MIN_WORDS).iter().map(|g| serde_json::to_string(g).unwrap()).collect());
        let column = |sql: &str| -> Vec<String> {
            sorted(
                store
                    .db()
                    .prepare(sql)
                    .unwrap()
                    .query_map([], |r| r.get(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap(),
            )
        };
        let stored = column("SELECT json FROM reuse_groups WHERE cleaner_doc IS NULL");
        assert_eq!(stored.len(), reference.len(), "{what}: reuse group count");
        assert!(stored == reference, "{what}: reuse groups differ");
        let reference = sorted(index.near_duplicates().iter().map(|g| serde_json::to_string(g).unwrap()).collect());
        let stored = column("SELECT json FROM duplicate_groups");
        assert!(stored == reference, "{what}: near-duplicate groups differ");
        let buckets: i64 = store.db().query_row("SELECT COUNT(*) FROM reuse_buckets", [], |r| r.get(0)).unwrap();
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
    fn check(store: &mut Engine, what: &str) {
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
        let mut store = Engine::open(dir.path()).unwrap();
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
        // Delete a few stored documents, replaced ones among them.
        let gone: Vec<String> = stored_ids.iter().step_by(37).take(12).cloned().collect();
        assert_eq!(store.delete(&gone).unwrap().deleted, gone);
        check(&mut store, "after deletions");
        let entities = store.entities(&EntityFilter::default()).unwrap();
        assert!(entities.total > 3000, "{}", entities.total);
        assert!(store.timeline_total(&TimelineFilter { sports: true, ..Default::default() }).unwrap() > 100);
    }

    #[test]
    fn our_documents_agree_after_every_step() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Engine::open(dir.path()).unwrap();
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
        let paper = super::views::paper().source.id;
        let deletion = store.delete(&[paper.clone(), "no-such-id".to_string()]).unwrap();
        assert_eq!((deletion.deleted, deletion.missing), (vec![paper.clone()], vec!["no-such-id".to_string()]));
        check(&mut store, "deleted");
        assert!(store.document(&paper).unwrap().is_none() && store.analysis(&paper).unwrap().is_none());
        assert!(store.entities(&EntityFilter::default()).unwrap().entities.iter().all(|e| !e.docs.contains(&paper)));
    }

    /// A lone family name joins the one full name, leaves it when a second
    /// full name shares it, and a short nasab joins its full chain: rows
    /// move between clusters and the views follow.
    #[test]
    fn names_move_between_clusters_as_the_corpus_grows() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Engine::open(dir.path()).unwrap();
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
        let mut store = Engine::open(dir.path()).unwrap();
        let mut files: Vec<_> = std::fs::read_dir(&seeds)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("00"))
            .collect();
        files.sort();
        for file in &files {
            store
                .ingest(crate::IngestInput::Paths(std::slice::from_ref(file)), Default::default(), &mut |_| {})
                .unwrap();
        }
        check(&mut store, "seeds one by one");
        let _ = EntityType::Person;
    }
}
