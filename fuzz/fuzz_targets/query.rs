//! Fuzzes the query language and search: any input, parsed by
//! `marsad_store::parse_query` and run by `Store::search` with any page, on a
//! small store built once (a few hand-written Arabic sentences). Any panic is
//! a failure; a malformed query must come back as a `QueryError`.
//!
//! Input layout: the first 2 bytes pick the limit, the next 4 the offset;
//! the rest is the query (decoded lossily, so invalid UTF-8 is covered too).
//!
//!   cargo +nightly fuzz run query -- -max_total_time=240
#![no_main]

use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use marsad_store::{parse_query, IngestOptions, SearchOptions, Store};

/// Hand-written test sentences (not from any corpus), as JSON Lines.
const DOCS: &str = r#"{"id":"f1","title":"اجتماع وزراء الخارجية في الرياض","source":"وكالة التجربة","date":"2019-03-14","text":"عقد وزراء الخارجية اجتماعاً في الرياض يوم الخميس لبحث التعاون الاقتصادي.\nوقال المتحدث باسم الوزارة إن الاجتماع كان مثمراً."}
{"id":"f2","title":"أمطار غزيرة على المنطقة الشرقية","source":"صحيفة المثال","date":"2020-11-02","text":"هطلت أمطار غزيرة على الدمام والخبر، وأعلن الدفاع المدني رفع درجة الاستعداد.\nونصح المواطنين بالابتعاد عن الأودية."}
{"id":"f3","title":"افتتاح معرض الكتاب","source":"Test Wire","date":"2018-01-20","text":"افتتح أمير المنطقة معرض الكتاب الدولي بمشاركة ٣٠٠ دار نشر من ٢٥ دولة.\nويستمر المعرض عشرة أيام."}
{"id":"f4","text":"ارتفعت أسعار النفط 3% في تعاملات اليوم، بينما تراجعت الأسهم الآسيوية.\n\"السوق متقلبة\" قال أحد المحللين."}
{"id":"f5","title":"Mixed العربية and English","source":"وكالة التجربة","date":"2021-07-07","text":"فريق الهلال فاز على النصر 2-1 في مباراة مثيرة. The match ended late.\nسجل اللاعب هدفين."}
"#;

fn store() -> &'static Mutex<(tempfile::TempDir, Store)> {
    static STORE: OnceLock<Mutex<(tempfile::TempDir, Store)>> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path()).expect("open store");
        marsad_store::ingest_reader(
            &mut store,
            "fuzz.jsonl",
            None,
            DOCS.as_bytes(),
            IngestOptions::default(),
            &mut |_| {},
        )
        .expect("ingest the fuzz documents");
        Mutex::new((dir, store))
    })
}

fuzz_target!(|data: &[u8]| {
    let (limit, offset, query) = if data.len() >= 6 {
        let limit = u16::from_le_bytes([data[0], data[1]]) as usize;
        let offset = u32::from_le_bytes([data[2], data[3], data[4], data[5]]) as usize;
        (limit, offset, &data[6..])
    } else {
        (10, 0, data)
    };
    let text = String::from_utf8_lossy(query);
    let parsed = parse_query(&text);
    let guard = store().lock().unwrap_or_else(|p| p.into_inner());
    let result = guard.1.search(&text, SearchOptions { limit, offset });
    // The route's `facets=true` path: the same query over the best hits.
    if limit % 2 == 1 {
        let facets = guard.1.search_facets(&text, 1_000);
        assert_eq!(facets.is_ok(), result.is_ok(), "facets and search disagree: {text:?}");
    }
    // Parsing and search agree on what is malformed.
    if parsed.is_err() {
        assert!(result.is_err(), "parse failed but search succeeded: {text:?}");
    }
    if let Ok(results) = result {
        assert!(results.hits.len() <= limit);
        assert!(results.hits.len() <= results.total.saturating_sub(offset));
        for hit in &results.hits {
            assert!(!hit.title.is_empty());
        }
    }
    // A raw byte string that is valid UTF-8 parses the same as its lossy form.
    if let Ok(s) = std::str::from_utf8(query) {
        assert_eq!(parse_query(s), parse_query(&text));
    }
});
