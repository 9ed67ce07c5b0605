//! The HTTP API against a small store built from this file's own Arabic
//! sentences: each route answers what the store (and so the CLI) answers,
//! errors are JSON with the right status, writes need the token.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use marsad_engine::{DocumentWithAnalysis, Timeline};
use marsad_engine::{Engine, SearchOptions, TimelineFilter};
use marsad_engine::{IngestInput, IngestOptions};
use marsad_server::{router, ServerOptions, OPENAPI, ROUTES};
use serde_json::Value;
use tower::ServiceExt;

/// Four short articles written for these tests.
const ARTICLES: &str = r#"{"id": "t1", "title": "وزير الخارجية يزور القاهرة", "text": "وصل وزير الخارجية أحمد الخطيب إلى القاهرة يوم الاثنين في زيارة رسمية تستمر يومين.\nوقال الخطيب إن المحادثات ستتناول التعاون الاقتصادي بين البلدين.", "date": "2021-03-15", "source": "وكالة الشرق", "url": "https://example.invalid/t1"}
{"id": "t2", "title": "افتتاح معرض الكتاب في عمّان", "text": "افتتح معرض عمّان الدولي للكتاب أبوابه أمس بمشاركة مئات دور النشر العربية.\nوأكد مدير المعرض سامي النجار أن الإقبال فاق التوقعات هذا العام.", "date": "2021-04-02", "source": "صحيفة الغد", "url": "https://example.invalid/t2"}
{"id": "t3", "title": "الخطيب يلتقي نظيره المصري", "text": "التقى وزير الخارجية أحمد الخطيب نظيره المصري في القاهرة لبحث ملفات المنطقة.\nوأعلن الجانبان عن اتفاق لتعزيز التبادل التجاري.", "date": "2021-03-16", "source": "وكالة الشرق", "url": "https://example.invalid/t3"}
{"id": "t4", "title": "أمطار غزيرة في الشمال", "text": "هطلت أمطار غزيرة على المناطق الشمالية مساء الأحد وتسببت في إغلاق عدد من الطرق.\nوحذرت الأرصاد الجوية من استمرار الحالة الجوية حتى نهاية الأسبوع.", "date": "2021-11-21", "source": "صحيفة الغد", "url": "https://example.invalid/t4"}
"#;

fn build_store(dir: &Path) {
    let mut store = Engine::open(dir).expect("open store");
    let input = IngestInput::Stream {
        name: "articles.jsonl",
        format: Some(marsad_ingest::Format::JsonLines),
        reader: Box::new(ARTICLES.as_bytes()),
    };
    store.ingest(input, IngestOptions::default(), &mut |_| {}).expect("ingest");
}

struct Fixture {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    app: Router,
}

fn fixture(token: Option<&str>) -> Fixture {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    build_store(&dir);
    let options = ServerOptions {
        token: token.map(str::to_string),
        readers: 2,
        max_body_bytes: 1024 * 1024,
        ..ServerOptions::default()
    };
    let app = router(&dir, &options).expect("router");
    Fixture { _tmp: tmp, dir, app }
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn call(app: &Router, request: Request<Body>) -> (StatusCode, Vec<u8>, axum::http::HeaderMap) {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
    (status, body, headers)
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    let (status, body, headers) = call(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(content_type.starts_with("application/json"), "{uri}: content type {content_type:?}");
    let value = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {}", String::from_utf8_lossy(&body)));
    (status, value)
}

/// What a value looks like after the trip through JSON text, as the CLI
/// prints it and a client parses it (f32 scores print in their shortest
/// form, which `to_value`'s f64 widening would not match).
fn json_of<T: serde::Serialize>(value: T) -> Value {
    serde_json::from_str(&serde_json::to_string(&value).unwrap()).unwrap()
}

fn assert_error(value: &Value, status: StatusCode) {
    assert_eq!(value["error"]["status"], status.as_u16(), "{value}");
    assert!(value["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{value}");
}

#[tokio::test]
async fn search_answers_what_the_store_answers() {
    let f = fixture(None);
    let (status, value) = get(&f.app, &format!("/api/search?q={}&limit=5", encode("الخطيب القاهرة"))).await;
    assert_eq!(status, StatusCode::OK, "{value}");
    let store = Engine::open(&f.dir).unwrap();
    let expected = store.search("الخطيب القاهرة", SearchOptions { limit: 5, offset: 0 }).unwrap();
    assert_eq!(value, json_of(&expected));
    assert!(expected.total >= 2, "{expected:?}");
    let ids: Vec<&str> = value["hits"].as_array().unwrap().iter().map(|h| h["doc"].as_str().unwrap()).collect();
    assert!(ids.contains(&"t1") && ids.contains(&"t3"), "{ids:?}");

    // Paging and the limit maximum.
    let (_, page) = get(&f.app, &format!("/api/search?q={}&limit=1&offset=1", encode("الخطيب"))).await;
    let expected = store.search("الخطيب", SearchOptions { limit: 1, offset: 1 }).unwrap();
    assert_eq!(page, json_of(&expected));
    let (status, _) = get(&f.app, &format!("/api/search?q={}&limit=100000", encode("الخطيب"))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, value) = get(&f.app, &format!("/api/search?q={}&offset=999999999", encode("الخطيب"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&value, status);
}

#[tokio::test]
async fn search_facets_count_the_hits() {
    let f = fixture(None);
    let (status, value) = get(&f.app, &format!("/api/search?q={}&facets=1", encode("الخطيب الكتاب"))).await;
    assert_eq!(status, StatusCode::OK, "{value}");
    let facets = &value["facets"];
    assert_eq!(facets["considered"], 3, "{value}");
    let sources = facets["sources"].as_array().unwrap();
    assert_eq!(sources[0]["value"], "وكالة الشرق");
    assert_eq!(sources[0]["count"], 2);
    let months: Vec<&str> = facets["months"].as_array().unwrap().iter().map(|m| m["value"].as_str().unwrap()).collect();
    assert_eq!(months, ["2021-03", "2021-04"]);
    assert!(facets["entities"].is_array());
    // Without the flag, no facets key: the same JSON as the CLI.
    let (_, plain) = get(&f.app, &format!("/api/search?q={}", encode("الخطيب"))).await;
    assert!(plain.get("facets").is_none());
}

#[tokio::test]
async fn malformed_queries_are_400_with_the_parser_message() {
    let f = fixture(None);
    let (status, value) = get(&f.app, &format!("/api/search?q={}", encode("\"بوتين"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&value, status);
    let message = value["error"]["message"].as_str().unwrap();
    let parser = marsad_engine::parse_query("\"بوتين").unwrap_err().to_string();
    assert_eq!(message, parser);

    for bad in ["after:yesterday", "source:"] {
        let (status, value) = get(&f.app, &format!("/api/search?q={}", encode(bad))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {value}");
        assert_error(&value, status);
    }
    // Missing q, a non-numeric limit.
    let (status, value) = get(&f.app, "/api/search").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&value, status);
    let (status, value) = get(&f.app, "/api/search?q=x&limit=ten").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&value, status);
    // A lone parenthesis is not a syntax error in Marsad's language: it has
    // no searchable terms, so it matches nothing.
    let (status, value) = get(&f.app, "/api/search?q=%28").await;
    assert_eq!(status, StatusCode::OK, "{value}");
    assert_eq!(value["total"], 0);
}

#[tokio::test]
async fn documents_and_raw() {
    let f = fixture(None);
    let (status, value) = get(&f.app, "/api/docs/t2").await;
    assert_eq!(status, StatusCode::OK);
    let store = Engine::open(&f.dir).unwrap();
    let record = store.document("t2").unwrap().unwrap();
    let analysis = store.analysis("t2").unwrap();
    let expected = DocumentWithAnalysis { record: &record, analysis: analysis.as_ref() };
    assert_eq!(value, json_of(&expected));

    let (status, body, headers) = call(&f.app, Request::get("/api/docs/t2/raw").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(String::from_utf8(body).unwrap(), store.raw("t2").unwrap().unwrap());
    assert_eq!(headers[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");

    let (status, value) = get(&f.app, "/api/docs/no-such-doc").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&value, status);
    let (status, body, _) = call(&f.app, Request::get("/api/docs/no-such-doc/raw").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&serde_json::from_slice(&body).unwrap(), status);
}

#[tokio::test]
async fn views_answer_what_the_store_answers() {
    let f = fixture(None);
    let mut store = Engine::open(&f.dir).unwrap();
    store.ensure_views().unwrap();

    let (status, value) = get(&f.app, "/api/timeline").await;
    assert_eq!(status, StatusCode::OK);
    let events = store.timeline(&TimelineFilter::default()).unwrap();
    assert_eq!(value, json_of(Timeline::all(&events)));
    assert_eq!(value, serde_json::json!({ "events": events }));

    let (status, value) = get(&f.app, "/api/timeline?from=2021-04&to=2021").await;
    assert_eq!(status, StatusCode::OK);
    let filter = TimelineFilter {
        from: Some("2021-04".into()),
        to: Some("2021".into()),
        entity: None,
        sports: false,
        ..Default::default()
    };
    assert_eq!(value, serde_json::json!({ "events": store.timeline(&filter).unwrap() }));
    let (status, value) = get(&f.app, "/api/timeline?from=March").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&value, status);

    // Pages, the overview and the newest entries (issue 13): the same
    // entries as the whole timeline, cut where asked.
    let all = store.timeline(&TimelineFilter::default()).unwrap();
    let (status, value) = get(&f.app, "/api/timeline?limit=2&offset=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(value["total"], all.len());
    assert_eq!(value["events"], serde_json::json!(all.iter().skip(1).take(2).collect::<Vec<_>>()));
    let (_, value) = get(&f.app, "/api/timeline?limit=2&latest=1&counts=month").await;
    assert_eq!(value["events"], serde_json::json!(all[all.len().saturating_sub(2)..].to_vec()));
    let counted: u64 = value["counts"].as_array().unwrap().iter().map(|c| c["count"].as_u64().unwrap()).sum();
    assert_eq!(counted as usize, all.len());
    let (status, value) = get(&f.app, "/api/timeline?counts=week").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&value, status);

    let (status, value) = get(&f.app, "/api/stats").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(value, json_of(store.stats().unwrap()));

    let (status, value) = get(&f.app, "/api/entities?limit=5").await;
    assert_eq!(status, StatusCode::OK);
    let list = store.entities(&marsad_engine::EntityFilter { limit: Some(5), ..Default::default() }).unwrap();
    assert_eq!(value, json_of(&list));
    let (status, value) = get(&f.app, "/api/entities?type=planet").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&value, status);

    if let Some(first) = list.entities.first() {
        let (status, value) = get(&f.app, &format!("/api/entities/{}", encode(&first.id))).await;
        assert_eq!(status, StatusCode::OK, "{value}");
        assert_eq!(value["id"], first.id.as_str());
        // limit= cuts the profile's lists and says how long they are
        let (status, value) = get(&f.app, &format!("/api/entities/{}?limit=1", encode(&first.id))).await;
        assert_eq!(status, StatusCode::OK, "{value}");
        assert!(value["documents"].as_array().unwrap().len() <= 1);
        assert!(value["docs"].as_array().unwrap().len() <= 1);
        assert_eq!(value["totals"]["documents"], first.doc_count);
        // doc_ids= keeps the count, not the ids
        let (_, value) = get(&f.app, "/api/entities?limit=5&doc_ids=0").await;
        assert_eq!(value["entities"][0]["docs"], serde_json::json!([]));
        assert_eq!(value["entities"][0]["doc_count"], first.docs.len());
    }
    let (status, value) = get(&f.app, &format!("/api/entities/{}", encode("لا أحد بهذا الاسم"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&value, status);

    let (status, value) = get(&f.app, "/api/quotes").await;
    assert_eq!(status, StatusCode::OK);
    let quotes = store.quotes(&marsad_engine::QuoteFilter { limit: Some(100), ..Default::default() }).unwrap();
    assert_eq!(value, json_of(&quotes));

    let (status, value) = get(&f.app, "/api/graph?max_nodes=10").await;
    assert_eq!(status, StatusCode::OK);
    let graph = store.graph(&marsad_engine::GraphOptions { max_nodes: 10, min_weight: 1, max_edges: None }).unwrap();
    assert_eq!(value, json_of(&graph));

    for uri in ["/api/reuse", "/api/duplicates", "/api/stories", "/api/summary", "/api/summary?docs=t1,t3&sentences=2"]
    {
        let (status, value) = get(&f.app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {value}");
    }
    // one request for a page of stories with what the list shows
    let (_, value) = get(&f.app, "/api/stories?preview=2").await;
    for story in value["stories"].as_array().unwrap() {
        assert!(story["titles"].as_array().unwrap().len() <= 2);
        let in_sources: u64 =
            story["sources"].as_array().unwrap().iter().map(|s| s["documents"].as_u64().unwrap()).sum();
        assert_eq!(in_sources as usize, story["docs"].as_array().unwrap().len());
    }
    let (_, value) = get(&f.app, "/api/stories").await;
    assert!(value["stories"].as_array().unwrap().iter().all(|s| s.get("titles").is_none()));
    let (status, value) = get(&f.app, "/api/docs?limit=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(value, json_of(store.list_documents(marsad_engine::ListOptions { offset: 0, limit: 2 }).unwrap()));
    let (status, value) = get(&f.app, "/api/reuse?context=20&occurrences=2").await;
    assert_eq!(status, StatusCode::OK);
    for g in value["groups"].as_array().unwrap() {
        assert_eq!(g["contexts"].as_array().unwrap().len(), g["occurrences"].as_array().unwrap().len());
        assert!(g["occurrences"].as_array().unwrap().len() <= 2);
        assert!(g["occurrence_count"].as_u64().unwrap() >= 2);
    }

    let (status, value) = get(&f.app, "/api/summary?story=S-none&entity=x").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&value, status);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_json() {
    let f = fixture(None);
    let (status, value) = get(&f.app, "/api/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&value, status);
    let (status, body, _) = call(&f.app, Request::delete("/api/stats").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error(&serde_json::from_slice(&body).unwrap(), status);
    let (status, value) = get(&f.app, "/assets/no/such/file.js").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&value, status);
}

#[tokio::test]
async fn assets_are_served_with_types_and_cache_headers() {
    let f = fixture(None);
    for path in marsad_server::asset_paths() {
        let (status, body, headers) =
            call(&f.app, Request::get(format!("/assets/{path}")).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!body.is_empty() || path.ends_with(".txt"), "{path}");
        let expected = mime_guess::from_path(&path).first_or_octet_stream();
        let ct = headers[header::CONTENT_TYPE].to_str().unwrap();
        assert!(ct.starts_with(expected.essence_str()), "{path}: {ct}");
        assert!(headers.contains_key(header::CACHE_CONTROL) && headers.contains_key(header::ETAG), "{path}");
        let etag = headers[header::ETAG].clone();
        let (status, _, _) = call(
            &f.app,
            Request::get(format!("/assets/{path}")).header(header::IF_NONE_MATCH, etag).body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "{path}");
    }
    let (status, _, headers) = call(&f.app, Request::get("/").body(Body::empty()).unwrap()).await;
    if marsad_server::asset_paths().iter().any(|p| p == "index.html") {
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    } else {
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

fn post(uri: &str, token: Option<&str>, content_type: &str, body: impl Into<Body>) -> Request<Body> {
    let mut builder = Request::builder().method(Method::POST).uri(uri).header(header::CONTENT_TYPE, content_type);
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    builder.body(body.into()).unwrap()
}

const NEW_ARTICLE: &str = r#"{"id": "n1", "title": "إطلاق قمر صناعي جديد", "text": "أطلقت وكالة الفضاء قمرا صناعيا جديدا لرصد الطقس من قاعدة الإطلاق الجنوبية.\nوقال المتحدث باسم الوكالة إن القمر سيعمل عشر سنوات.", "date": "2022-01-10", "source": "وكالة الشرق"}"#;

#[tokio::test]
async fn writes_need_a_configured_token() {
    let f = fixture(None);
    let (status, body, _) =
        call(&f.app, post("/api/documents", Some("anything"), "application/json", NEW_ARTICLE)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert_error(&value, status);
    let message = value["error"]["message"].as_str().unwrap();
    assert!(message.contains("--token") && message.contains("MARSAD_TOKEN"), "{message}");
}

/// `DELETE /api/docs/{id}`: a write (the token), then the document is gone
/// from every reader handle, and a second delete is 404.
#[tokio::test]
async fn deleting_a_document_needs_the_token_and_removes_it_everywhere() {
    let f = fixture(Some("s3cret"));
    let delete = |token: Option<&str>| {
        let mut builder = Request::builder().method("DELETE").uri("/api/docs/t3");
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        builder.body(Body::empty()).unwrap()
    };
    for token in [None, Some("wrong")] {
        let (status, body, _) = call(&f.app, delete(token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_error(&serde_json::from_slice(&body).unwrap(), status);
    }
    let (status, _) = get(&f.app, "/api/docs/t3").await;
    assert_eq!(status, StatusCode::OK);
    let trade = format!("/api/search?q={}", encode("التبادل"));
    let (_, found) = get(&f.app, &trade).await;
    assert_eq!(found["hits"][0]["doc"], "t3", "{found}");
    let (status, body, _) = call(&f.app, delete(Some("s3cret"))).await;
    let answer: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer, serde_json::json!({ "deleted": ["t3"], "missing": [] }));
    for _ in 0..4 {
        let (status, _) = get(&f.app, "/api/docs/t3").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, found) = get(&f.app, &trade).await;
        assert_eq!(found["total"], 0, "{found}");
    }
    let (_, entities) = get(&f.app, "/api/entities").await;
    assert!(!entities.to_string().contains("\"t3\""), "{entities}");
    let (status, body, _) = call(&f.app, delete(Some("s3cret"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&serde_json::from_slice(&body).unwrap(), status);
}

#[tokio::test]
async fn writes_with_the_token_are_searchable_at_once() {
    let f = fixture(Some("s3cret"));
    let satellite = format!("/api/search?q={}", encode("قمر صناعي"));
    let (_, before) = get(&f.app, &satellite).await;
    assert_eq!(before["total"], 0);

    for token in [None, Some("wrong")] {
        let (status, body, _) = call(&f.app, post("/api/documents", token, "application/json", NEW_ARTICLE)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_error(&serde_json::from_slice(&body).unwrap(), status);
    }

    let (status, body, _) = call(&f.app, post("/api/documents", Some("s3cret"), "application/json", NEW_ARTICLE)).await;
    let summary: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, StatusCode::CREATED, "{summary}");
    assert_eq!(summary["added"], 1);

    let (_, after) = get(&f.app, &satellite).await;
    assert_eq!(after["total"], 1, "{after}");
    assert_eq!(after["hits"][0]["doc"], "n1");
    let (status, _) = get(&f.app, "/api/docs/n1").await;
    assert_eq!(status, StatusCode::OK);
    // Every reader handle sees it, not only the one that happened to refresh.
    for _ in 0..6 {
        let (_, again) = get(&f.app, &satellite).await;
        assert_eq!(again["total"], 1);
    }

    // The same article again: nothing new, 200.
    let (status, body, _) = call(&f.app, post("/api/documents", Some("s3cret"), "application/json", NEW_ARTICLE)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));

    // Plain text with a file name: the stem is the id.
    let text = "انطلقت اليوم في الرياض فعاليات مؤتمر الطاقة المتجددة بحضور خبراء من عشرين دولة.";
    let (status, body, _) =
        call(&f.app, post("/api/documents?filename=energy-talk.txt", Some("s3cret"), "text/plain", text)).await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    let (status, _) = get(&f.app, "/api/docs/energy-talk").await;
    assert_eq!(status, StatusCode::OK);

    // A multipart upload of a JSON Lines file.
    let boundary = "XbOuNdArY";
    let file = r#"{"id": "m1", "title": "مباراة ودية", "text": "فاز المنتخب الوطني في مباراة ودية على ملعب المدينة بثلاثة أهداف."}"#;
    let form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"batch.jsonl\"\r\nContent-Type: application/octet-stream\r\n\r\n{file}\n\r\n--{boundary}--\r\n"
    );
    let (status, body, _) = call(
        &f.app,
        post("/api/documents", Some("s3cret"), &format!("multipart/form-data; boundary={boundary}"), form),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    let (_, found) = get(&f.app, &format!("/api/search?q={}", encode("مباراة ودية"))).await;
    assert_eq!(found["hits"][0]["doc"], "m1", "{found}");

    // Unreadable input: 422 with the summary.
    let (status, body, _) =
        call(&f.app, post("/api/documents", Some("s3cret"), "application/json", "{\"title\": 1")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", String::from_utf8_lossy(&body));
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert_error(&value, status);
    assert!(value["summary"]["failures"].is_array());
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    build_store(&dir);
    // The default limit (32 MiB) against a 50 MB body.
    let options = ServerOptions { token: Some("t".into()), readers: 1, ..ServerOptions::default() };
    let app = router(&dir, &options).unwrap();
    let big = vec![b'a'; 50 * 1000 * 1000];
    let (status, body, _) = call(&app, post("/api/documents", Some("t"), "text/plain", big.clone())).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error(&serde_json::from_slice(&body).unwrap(), status);
    // Multipart too.
    let mut form = b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n".to_vec();
    form.extend_from_slice(&big);
    form.extend_from_slice(b"\r\n--B--\r\n");
    let (status, body, _) =
        call(&app, post("/api/documents", Some("t"), "multipart/form-data; boundary=B", form)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{}", String::from_utf8_lossy(&body));
    assert_error(&serde_json::from_slice(&body).unwrap(), status);
}

#[tokio::test]
async fn openapi_describes_every_route() {
    let f = fixture(None);
    let (status, spec) = get(&f.app, "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(spec, serde_json::from_str::<Value>(OPENAPI).unwrap());
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = spec["paths"].as_object().unwrap();
    for (method, path) in ROUTES {
        let described = paths.get(*path).and_then(|p| p.get(method.to_ascii_lowercase()));
        assert!(described.is_some(), "{method} {path} is not in openapi.json");
        // And the router really serves it (not the 404 fallback).
        let uri = path.replace("{id}", "t1").replace("{id_or_name}", "x");
        let request = Request::builder().method(*method).uri(&uri).body(Body::empty()).unwrap();
        let (status, body, _) = call(&f.app, request).await;
        let message = serde_json::from_slice::<Value>(&body).ok().map(|v| v["error"]["message"].to_string());
        let fallback = message.is_some_and(|m| m.contains("no route"));
        assert!(!fallback, "{method} {uri} is not routed ({status})");
    }
    // Every described path is routed.
    for path in paths.keys() {
        assert!(ROUTES.iter().any(|(_, p)| p == path), "{path} is described but not in ROUTES");
    }
}

/// A real server on a free port: `serve` binds, reports the address, and
/// answers HTTP/1.1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_binds_and_answers() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    build_store(&dir);
    let options = ServerOptions { addr: "127.0.0.1:0".parse().unwrap(), readers: 2, ..ServerOptions::default() };
    let (tx, rx) = tokio::sync::oneshot::channel();
    let server = tokio::spawn(async move {
        marsad_server::serve(&dir, options, move |addr| {
            let _ = tx.send(addr);
        })
        .await
    });
    let addr = tokio::time::timeout(std::time::Duration::from_secs(60), rx).await.unwrap().unwrap();
    assert!(addr.ip().is_loopback() && addr.port() != 0);
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"GET /api/stats HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"documents\""), "{response}");
    server.abort();
}

/// Many searches at once over few handles: all answered, all the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_searches_share_the_pool() {
    let f = fixture(None);
    let uri = format!("/api/search?q={}", encode("الخطيب"));
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let app = f.app.clone();
        let uri = uri.clone();
        tasks.push(tokio::spawn(async move { get(&app, &uri).await }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        let (status, value) = task.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        answers.push(value);
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]));
}

/// The shared seed corpus (outside the repository; skipped when absent).
#[tokio::test]
async fn seeds_search() {
    let seeds = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds"));
    if !seeds.is_dir() {
        eprintln!("skipped: no seed corpus at {}", seeds.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    {
        let mut store = Engine::open(&dir).unwrap();
        let summary =
            store.ingest(IngestInput::Paths(&[seeds.to_path_buf()]), IngestOptions::default(), &mut |_| {}).unwrap();
        assert!(summary.documents_read > 0, "{summary:?}");
    }
    let app = router(&dir, &ServerOptions { readers: 2, ..ServerOptions::default() }).unwrap();
    let (status, value) = get(&app, &format!("/api/search?q={}&limit=50", encode("بيسكوف"))).await;
    assert_eq!(status, StatusCode::OK, "{value}");
    let ids: Vec<&str> = value["hits"].as_array().unwrap().iter().map(|h| h["doc"].as_str().unwrap()).collect();
    assert!(ids.iter().any(|d| d.starts_with("002_")), "{ids:?}");
    assert!(ids.iter().any(|d| d.starts_with("004_")), "{ids:?}");
    assert!(ids.iter().all(|d| d.starts_with("002_") || d.starts_with("004_")), "{ids:?}");
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Whatever the query string, the answer is JSON and never a 5xx.
        #[test]
        fn random_queries_never_fail_the_server(q in "(\\PC|[\"()\\-:*]|after:|before:|source:| ){0,40}") {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let status = runtime.block_on(async {
                let app = shared_app();
                let uri = format!("/api/search?q={}&facets=1", encode(&q));
                let (status, body, _) = call(app, Request::get(uri).body(Body::empty()).unwrap()).await;
                let value: Value = serde_json::from_slice(&body).expect("JSON");
                if !status.is_success() {
                    assert_error(&value, status);
                }
                status
            });
            prop_assert!(!status.is_server_error(), "{q:?} → {status}");
        }
    }

    /// One store for all cases.
    fn shared_app() -> &'static Router {
        static APP: std::sync::OnceLock<(tempfile::TempDir, Router)> = std::sync::OnceLock::new();
        let (_, app) = APP.get_or_init(|| {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("data");
            build_store(&dir);
            let app = router(&dir, &ServerOptions { readers: 2, ..ServerOptions::default() }).unwrap();
            (tmp, app)
        });
        app
    }
}

/// Not a benchmark (see marsad-bench): a rough look at the server's own
/// overhead per search, run by hand with `--ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn throughput_smoke() {
    let f = fixture(None);
    let uri = format!("/api/search?q={}", encode("الخطيب القاهرة"));
    let started = std::time::Instant::now();
    let n = 4000;
    let mut tasks = Vec::new();
    for worker in 0..16 {
        let app = f.app.clone();
        let uri = uri.clone();
        tasks.push(tokio::spawn(async move {
            let mut worst = std::time::Duration::ZERO;
            for _ in (worker..n).step_by(16) {
                let t = std::time::Instant::now();
                let (status, _) = get(&app, &uri).await;
                assert_eq!(status, StatusCode::OK);
                worst = worst.max(t.elapsed());
            }
            worst
        }));
    }
    let mut worst = std::time::Duration::ZERO;
    for t in tasks {
        worst = worst.max(t.await.unwrap());
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!("{n} searches in {secs:.2} s: {:.0}/s, slowest {:?}", n as f64 / secs, worst);
}
