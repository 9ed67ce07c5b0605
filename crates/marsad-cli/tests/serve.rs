//! `marsad serve` and `marsad demo` as a user starts them: the real binary
//! on port 0, asked over plain HTTP/1.1. The seed test skips with a message
//! when `../shared/corpus/seeds` is absent.

use serde_json::Value;

mod common;
use common::{dated_store, get_json, request, request_with, run, run_json, start};

#[test]
fn serve_answers_like_the_cli_on_the_seeds() {
    let Some((_dir, data)) = dated_store() else { return };
    let server = start(&data, &["serve", "--addr", "127.0.0.1:0"]);
    let addr = &server.addr;

    // بيسكوف, percent-encoded.
    let hits = get_json(addr, "/api/search?q=%D8%A8%D9%8A%D8%B3%D9%83%D9%88%D9%81");
    let ids: Vec<&str> = hits["hits"].as_array().unwrap().iter().map(|h| h["doc"].as_str().unwrap()).collect();
    assert!(ids.iter().any(|d| d.starts_with("002_")) && ids.iter().any(|d| d.starts_with("004_")), "{ids:?}");

    // The same JSON as the CLI.
    assert_eq!(get_json(addr, "/api/timeline"), run_json(&data, &["timeline", "--json"]));
    let stories = get_json(addr, "/api/stories");
    assert_eq!(stories, run_json(&data, &["stories", "--json"]));
    let first = stories["stories"][0]["id"].as_str().unwrap();
    assert_eq!(get_json(addr, &format!("/api/stories/{first}")), run_json(&data, &["story", first, "--json"]));
    assert_eq!(get_json(addr, "/api/reuse"), run_json(&data, &["reuse", "--json"]));
    let summary = get_json(addr, "/api/summary?sentences=5");
    assert_eq!(summary, run_json(&data, &["summary", "--sentences", "5", "--json"]));
    assert_eq!(summary["sentences"].as_array().unwrap().len(), 5);

    // Clear JSON errors.
    let (status, body) = request(addr, "GET", "/api/search?q=%22%D8%A8%D9%88%D8%AA%D9%8A%D9%86", "");
    assert_eq!(status, 400, "{body}");
    assert!(serde_json::from_str::<Value>(&body).unwrap()["error"]["message"].is_string());
    let (status, _) = request(addr, "GET", "/api/docs/no-such-doc", "");
    assert_eq!(status, 404);
    // Read-only without a token: writes are refused with a way forward.
    let (status, body) = request(addr, "POST", "/api/documents", r#"{"title":"x","text":"نص"}"#);
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("--token"), "{body}");
    // The page itself is served, right to left.
    let (status, page) = request(addr, "GET", "/", "");
    assert_eq!(status, 200);
    assert!(page.contains("dir=\"rtl\""), "{page}");
}

#[test]
fn serve_with_a_token_takes_uploads() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let input = dir.path().join("first.txt");
    std::fs::write(&input, "افتتحت البلدية حديقة عامة جديدة في وسط المدينة صباح اليوم.").unwrap();
    assert!(run(&data, &["ingest", input.to_str().unwrap()]).status.success());
    let server = start(&data, &["serve", "--addr", "127.0.0.1:0", "--token", "s3cret"]);
    let article = serde_json::json!({
        "id": "upload-1",
        "title": "مكتبة جديدة",
        "date": "2026-05-01",
        "text": "افتتحت وزارة الثقافة مكتبة عامة كبيرة تضم آلاف الكتب العربية النادرة."
    })
    .to_string();
    let (status, _) = request(&server.addr, "POST", "/api/documents", &article);
    assert_eq!(status, 401, "no token sent");
    let (status, body) =
        request_with(&server.addr, "POST", "/api/documents", "Authorization: Bearer s3cret\r\n", &article);
    assert_eq!(status, 201, "{body}");
    let hits = get_json(&server.addr, "/api/search?q=%D8%A7%D9%84%D9%86%D8%A7%D8%AF%D8%B1%D8%A9");
    assert_eq!(hits["hits"][0]["doc"], "upload-1", "{hits}");
}

#[test]
fn serve_refuses_a_missing_store_and_demo_serves_the_ui() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&dir.path().join("nothing-here"), &["serve", "--addr", "127.0.0.1:0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ingest"), "{}", String::from_utf8_lossy(&out.stderr));

    let data = dir.path().join("demo");
    let server = start(&data, &["demo", "--addr", "127.0.0.1:0"]);
    let stats = get_json(&server.addr, "/api/stats");
    assert_eq!(stats["documents"], 7, "{stats}");
    let (status, page) = request(&server.addr, "GET", "/", "");
    assert_eq!(status, 200);
    assert!(page.contains("lang=\"ar\""));
}
