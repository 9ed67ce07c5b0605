//! End-to-end tests of the `marsad` binary: what a user types, what they get.
//!
//! Tests that need the real seed articles read them from `../shared/corpus/seeds`
//! beside the repository and skip (with a message) when it is absent, so a
//! fresh clone without the shared data still passes; CI always has it.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
use common::{marsad, run, run_json, seeds};

fn hit_ids(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .expect("hits array")
        .iter()
        .map(|h| h["doc"].as_str().expect("doc id").to_string())
        .collect()
}

/// Ingests the seeds once per test (each test has its own data directory).
fn seeded_store() -> Option<(tempfile::TempDir, PathBuf)> {
    let seeds = seeds()?;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = run(&data, &["ingest", seeds.to_str().unwrap()]);
    assert!(out.status.success(), "ingest seeds: {}", String::from_utf8_lossy(&out.stderr));
    Some((dir, data))
}

#[test]
fn seeds_search_peskov_returns_the_two_articles_that_quote_him_first() {
    let Some((_dir, data)) = seeded_store() else { return };
    let results = run_json(&data, &["search", "بيسكوف", "--json"]);
    let ids = hit_ids(&results);
    assert!(ids.len() >= 2, "{results}");
    let mut first_two = ids[..2].to_vec();
    first_two.sort();
    assert_eq!(first_two, ["002_da7ccb45ff20fa50", "004_b4ac602b67b6769e"]);
    let hit = &results["hits"][0];
    for field in ["doc", "title", "source", "date", "score", "snippet"] {
        assert!(hit.get(field).is_some(), "hit lacks {field}: {hit}");
    }
    assert!(hit["snippet"].as_str().unwrap().contains("<mark>"), "{hit}");
}

#[test]
fn seeds_queries_with_clitics_diacritics_and_indic_digits_find_plain_forms() {
    let Some((_dir, data)) = seeded_store() else { return };
    // والصين: the plain form الصين / الصين occurs in several articles.
    let china = run_json(&data, &["search", "والصين", "--json"]);
    assert!(china["total"].as_u64().unwrap() >= 3, "{china}");
    // بُوتِين with diacritics finds بوتين, which all five articles name.
    let putin = run_json(&data, &["search", "بُوتِين", "--json"]);
    assert_eq!(putin["total"].as_u64().unwrap(), 5, "{putin}");
    // ٢٠١٩ in Arabic-Indic digits finds 2019.
    let year = run_json(&data, &["search", "٢٠١٩", "--json"]);
    let ids = hit_ids(&year);
    assert!(ids.contains(&"002_da7ccb45ff20fa50".to_string()), "{year}");
    assert!(ids.contains(&"003_a85c5ca27367db1f".to_string()), "{year}");
    // بموسكو (b + Moscow) finds documents naming موسكو.
    let moscow = run_json(&data, &["search", "بموسكو", "--json"]);
    assert!(moscow["total"].as_u64().unwrap() >= 3, "{moscow}");
}

#[test]
fn seeds_doc_003_lists_the_comment_form_under_removed() {
    let Some((_dir, data)) = seeded_store() else { return };
    let doc = run_json(&data, &["doc", "003_a85c5ca27367db1f", "--json"]);
    let text = doc["text"].as_str().unwrap();
    for boilerplate in ["اترك تعليق", "لن يتم نشر عنوان بريدك الإلكتروني", "شروط التعليق", "عدم الإساءة"]
    {
        assert!(!text.contains(boilerplate), "cleaned text still has {boilerplate:?}");
    }
    let removed: Vec<&str> = doc["removed"].as_array().unwrap().iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert!(removed.iter().any(|t| t.contains("اترك تعليق")), "{removed:?}");
    assert!(removed.iter().any(|t| t.contains("لن يتم نشر عنوان بريدك الإلكتروني")), "{removed:?}");
    for r in doc["removed"].as_array().unwrap() {
        assert!(!r["reason"].as_str().unwrap().is_empty());
    }
    assert_eq!(doc["author"], "Brahim Dodouche");
    assert_eq!(doc["date"], "2023-09-13");
    for field in ["id", "title", "source", "author", "date", "text", "removed"] {
        assert!(doc.get(field).is_some(), "doc lacks {field}");
    }
}

#[test]
fn seeds_doc_000_keeps_one_copy_of_the_repeated_zelensky_paragraph() {
    let Some((_dir, data)) = seeded_store() else { return };
    let doc = run_json(&data, &["doc", "000_7f7829b64ebcc593", "--json"]);
    let text = doc["text"].as_str().unwrap();
    let opening = "يريد الرئيس الأوكراني فولوديمير زيلينسكي";
    assert_eq!(text.matches(opening).count(), 1, "{text}");
    assert!(doc["removed"].as_array().unwrap().iter().any(
        |r| r["text"].as_str().unwrap().starts_with(opening) && r["reason"].as_str().unwrap().contains("repeated")
    ));
}

#[test]
fn reingesting_is_a_no_op_and_changed_content_replaces_the_old_version() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let article = corpus.join("article.txt");
    std::fs::write(&article, "وصل وفد الاتحاد إلى مدينة الزرقاء صباح اليوم.\nوقال رئيس الوفد إن الزيارة ناجحة.\n")
        .unwrap();

    let first = run_json(&data, &["ingest", corpus.to_str().unwrap(), "--json"]);
    assert_eq!(first["added"], 1, "{first}");
    let again = run_json(&data, &["ingest", corpus.to_str().unwrap(), "--json"]);
    assert_eq!(again["added"], 0, "{again}");
    assert_eq!(again["unchanged"], 1, "{again}");

    std::fs::write(&article, "غادر وفد الاتحاد مدينة المفرق مساء اليوم.\n").unwrap();
    let changed = run_json(&data, &["ingest", corpus.to_str().unwrap(), "--json"]);
    assert_eq!(changed["replaced"], 1, "{changed}");
    let old = run_json(&data, &["search", "الزرقاء", "--json"]);
    assert_eq!(old["total"], 0, "old version still searchable: {old}");
    let new = run_json(&data, &["search", "المفرق", "--json"]);
    assert_eq!(hit_ids(&new), ["article"]);
    let stats = run_json(&data, &["stats", "--json"]);
    assert_eq!(stats["documents"], 1, "{stats}");
}

/// `marsad delete` on the seeds: the document leaves search, stats, the
/// entity lists and the timeline; an unknown id is reported and fails.
#[test]
fn deleting_a_seed_article_removes_it_everywhere() {
    let Some((_dir, data)) = seeded_store() else {
        eprintln!("SKIPPED deleting_a_seed_article_removes_it_everywhere: shared corpus not present");
        return;
    };
    let before = run_json(&data, &["search", "بيسكوف", "--json"]);
    let gone = hit_ids(&before)[0].clone();
    let deletion = run_json(&data, &["delete", &gone, "--json"]);
    assert_eq!(deletion["deleted"], serde_json::json!([gone]), "{deletion}");
    let after = run_json(&data, &["search", "بيسكوف", "--json"]);
    assert!(!hit_ids(&after).contains(&gone), "{after}");
    assert_eq!(run_json(&data, &["stats", "--json"])["documents"], 4);
    let doc = run(&data, &["doc", &gone]);
    assert!(!doc.status.success());
    let lists: [(&[&str], &str); 3] = [
        (&["entities", "--json", "-n", "0"], "entities"),
        (&["quotes", "--json", "-n", "0"], "quotes"),
        (&["timeline", "--json"], "events"),
    ];
    for (args, list) in lists {
        let answer = run_json(&data, args);
        assert!(answer[list].as_array().is_some_and(|l| !l.is_empty()), "{args:?}: {answer}");
        assert!(!answer[list].to_string().contains(&gone), "{args:?} still names {gone}");
    }
    let missing = run(&data, &["delete", &gone]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains(&gone), "{}", String::from_utf8_lossy(&missing.stderr));
}

#[test]
fn exact_duplicate_documents_are_reported_not_counted_twice() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let text = "أعلنت الحكومة خطة جديدة لدعم المزارعين في الجنوب.\nوتشمل الخطة قروضا ميسرة.\n";
    std::fs::write(corpus.join("a.txt"), text).unwrap();
    std::fs::write(corpus.join("b.txt"), text).unwrap();
    let summary = run_json(&data, &["ingest", corpus.to_str().unwrap(), "--json"]);
    assert_eq!(summary["added"], 1, "{summary}");
    assert_eq!(summary["duplicates"].as_array().unwrap().len(), 1, "{summary}");
    let stats = run_json(&data, &["stats", "--json"]);
    assert_eq!(stats["documents"], 1, "{stats}");
    let results = run_json(&data, &["search", "المزارعين", "--json"]);
    assert_eq!(results["total"], 1, "{results}");
}

#[test]
fn bad_input_is_reported_by_file_and_the_rest_goes_in() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("good.txt"), "افتتح المعرض الدولي للكتاب أبوابه أمس في مدينة جدة.\n").unwrap();
    std::fs::write(corpus.join("empty.txt"), "").unwrap();
    std::fs::write(corpus.join("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    std::fs::write(corpus.join("broken.json"), "{\"title\": \"عنوان\", \"content\": ").unwrap();
    std::fs::write(
        corpus.join("mixed.jsonl"),
        "{\"id\": \"ok-1\", \"content\": \"انطلقت بطولة الشطرنج العربية في تونس.\"}\nnot json at all\n{\"id\": \"ok-2\", \"content\": \"فاز المنتخب المغربي بالمباراة الافتتاحية.\"}\n",
    )
    .unwrap();
    let out = run(&data, &["ingest", corpus.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["added"], 3, "{summary}");
    let failures = summary["failures"].as_array().unwrap();
    let origins: Vec<&str> = failures.iter().map(|f| f["origin"].as_str().unwrap()).collect();
    for name in ["empty.txt", "binary.txt", "broken.json", "mixed.jsonl"] {
        assert!(origins.iter().any(|o| o.contains(name)), "no failure for {name}: {failures:?}");
    }
    for failure in failures {
        assert!(!failure["reason"].as_str().unwrap().is_empty());
    }

    // A second bad batch loses nothing that is already stored.
    let unknown = dir.path().join("notes.docx");
    std::fs::write(&unknown, "PK\u{3}\u{4}").unwrap();
    let out = run(&data, &["ingest", unknown.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("notes.docx"));
    let stats = run_json(&data, &["stats", "--json"]);
    assert_eq!(stats["documents"], 3, "{stats}");
}

#[test]
fn windows_1256_text_is_detected_and_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("legacy.txt");
    let text = "افتتحت وزارة الثقافة مهرجان المسرح العربي في مدينة الرباط بحضور فنانين من عشرين دولة.\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(text);
    std::fs::write(&file, &bytes).unwrap();
    let summary = run_json(&data, &["ingest", file.to_str().unwrap(), "--json"]);
    assert_eq!(summary["added"], 1, "{summary}");
    let results = run_json(&data, &["search", "المسرح", "--json"]);
    assert_eq!(hit_ids(&results), ["legacy"]);
}

#[test]
fn stdin_is_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut child =
        marsad(&data).args(["ingest", "-", "--json"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            "{\"id\": \"from-stdin\", \"title\": \"خبر\", \"content\": \"هطلت أمطار غزيرة على مدينة صلالة.\"}\n"
                .as_bytes(),
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let results = run_json(&data, &["search", "صلالة", "--json"]);
    assert_eq!(hit_ids(&results), ["from-stdin"]);
}

#[test]
fn search_rejects_a_malformed_query_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = run(&data, &["search", "\"unterminated phrase"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).to_lowercase().contains("quote"));
    let out = run(&data, &["search", "after:yesterday"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("after:"));
}

#[test]
fn demo_runs_and_shows_cleaning_and_search() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let report = run_json(&data, &["demo", "--json"]);
    assert_eq!(report["ingest"]["failures"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(report["stats"]["documents"], 7, "{report}");
    for (query, results) in report["searches"].as_array().unwrap().iter().map(|s| (&s[0], &s[1])) {
        assert!(results["total"].as_u64().unwrap() >= 1, "demo search {query} found nothing");
    }
    // The agency's opening paragraph, reprinted by the paper, is shared reuse
    // with the earlier copy as its origin; the stories are listed.
    let reuse = report["reuse"]["groups"].as_array().unwrap();
    assert!(
        reuse.iter().any(|g| {
            let docs: Vec<&str> =
                g["occurrences"].as_array().unwrap().iter().map(|o| o["doc"].as_str().unwrap()).collect();
            docs.contains(&"2026-03-02_al-sabah") && docs.contains(&"2026-03-02_wakalat-al-anbaa")
        }),
        "{reuse:#?}"
    );
    assert!(report["stories"]["total"].as_u64().unwrap() >= 1);
    // The text article's pull-quote and comment form were removed, and recorded.
    let doc = run_json(&data, &["doc", "2026-03-02_al-sabah", "--json"]);
    let reasons: Vec<&str> = doc["removed"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert!(reasons.iter().any(|r| r.contains("repeated")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("comment")), "{reasons:?}");
    // Human output too.
    let out = run(&data, &["demo", "--no-serve"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("result(s) for"));
}

/// Generates `n` distinct synthetic Arabic articles as JSON Lines.
fn synthetic_jsonl(n: usize) -> String {
    let cities = ["عمان", "بيروت", "دمشق", "بغداد", "القاهرة", "الرباط", "تونس", "الجزائر"];
    let mut out = String::new();
    for i in 0..n {
        let city = cities[i % cities.len()];
        let body = format!(
            "مرصدتجربة رقم {i}: افتتحت بلدية {city} مشروعا جديدا للنقل العام يضم {} حافلة كهربائية. \
             وقال رئيس البلدية إن المشروع سيخدم نحو {} راكب يوميا، مشيرا إلى أن المرحلة الثانية تبدأ العام المقبل. \
             وأضاف أن كلفة المشروع بلغت {} مليون دينار بتمويل من صندوق التنمية.",
            i % 97 + 3,
            (i * 37) % 9000 + 1000,
            i % 41 + 2
        );
        out.push_str(&serde_json::json!({"id": format!("synthetic-{i}"), "title": format!("مشروع النقل في {city} رقم {i}"), "content": body}).to_string());
        out.push('\n');
    }
    out
}

#[test]
fn an_ingest_killed_with_sigkill_leaves_a_consistent_store_and_rerunning_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let total = 20_000usize;
    let batch = 100usize;
    let corpus = dir.path().join("big.jsonl");
    std::fs::write(&corpus, synthetic_jsonl(total)).unwrap();

    let mut child = marsad(&data)
        .args(["ingest", corpus.to_str().unwrap(), "--batch-size", &batch.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until at least one batch is committed, then kill without warning.
    let db = data.join("marsad.sqlite3");
    let started = Instant::now();
    loop {
        let committed = std::fs::metadata(data.join("marsad.sqlite3-wal")).map(|m| m.len()).unwrap_or(0)
            + std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
        if committed > 2_000_000 {
            break;
        }
        assert!(child.try_wait().unwrap().is_none(), "ingest ended before it could be killed; enlarge the corpus");
        assert!(started.elapsed() < Duration::from_secs(120), "ingest made no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    let stats = run_json(&data, &["stats", "--json"]);
    let stored = stats["documents"].as_u64().unwrap() as usize;
    assert!(stored > 0 && stored < total, "killed ingest stored {stored} of {total}: kill it earlier");
    assert_eq!(stored % batch, 0, "a partial batch was stored ({stored} docs, batch {batch})");
    // The index agrees with the database: every stored doc is searchable.
    let found = run_json(&data, &["search", "مرصدتجربة", "--json", "--limit", "1"]);
    assert_eq!(found["total"].as_u64().unwrap() as usize, stored, "index and database disagree");

    let rerun = run_json(&data, &["ingest", corpus.to_str().unwrap(), "--batch-size", &batch.to_string(), "--json"]);
    assert_eq!(rerun["added"].as_u64().unwrap() as usize, total - stored, "{rerun}");
    assert_eq!(rerun["unchanged"].as_u64().unwrap() as usize, stored, "{rerun}");
    let stats = run_json(&data, &["stats", "--json"]);
    assert_eq!(stats["documents"].as_u64().unwrap() as usize, total);
    let found = run_json(&data, &["search", "مرصدتجربة", "--json", "--limit", "1"]);
    assert_eq!(found["total"].as_u64().unwrap() as usize, total);
}
