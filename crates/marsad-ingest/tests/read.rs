//! Readers, per format, on fixtures written for these tests.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use marsad_ingest::{
    discover, read_file, read_reader, ErrorReason, Format, IngestError, SourceDocument, MAX_DOCUMENT_BYTES,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn read_all(path: &Path) -> Vec<Result<SourceDocument, IngestError>> {
    let mut out = Vec::new();
    read_file(path, &mut |r| out.push(r));
    out
}

fn only_doc(path: &Path) -> SourceDocument {
    let mut out = read_all(path);
    assert_eq!(out.len(), 1, "{out:?}");
    out.pop().unwrap().unwrap_or_else(|e| panic!("{e}"))
}

fn only_error(path: &Path) -> IngestError {
    let mut out = read_all(path);
    assert_eq!(out.len(), 1, "{out:?}");
    out.pop().unwrap().expect_err("expected an error")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn html_article_is_extracted_with_metadata() {
    let doc = only_doc(&fixture("article.html"));
    assert_eq!(doc.format, Format::Html);
    assert_eq!(doc.id, "article");
    assert_eq!(doc.title.as_deref(), Some("الأمطار الغزيرة تغلق طرقا رئيسية في المدينة"));
    assert_eq!(doc.source.as_deref(), Some("صحيفة المرصد التجريبية"));
    assert_eq!(doc.url.as_deref(), Some("https://www.example.com/news/rain-closes-roads"));
    assert_eq!(doc.author.as_deref(), Some("ليلى حسن"));
    assert_eq!(doc.date.as_deref(), Some("2024-03-02T18:45:00"));
    let lines: Vec<&str> = doc.body.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("أغلقت السلطات المحلية")), "{}", doc.body);
    assert!(lines.contains(&"المدارس تعلق الدوام"), "subheading on its own line:\n{}", doc.body);
    assert!(lines.iter().any(|l| l.starts_with("وقالت إحدى الأمهات")), "blockquote kept apart");
    assert!(lines.contains(&"ولم تسجل أي إصابات حتى الآن."), "<br> splits lines:\n{}", doc.body);
    assert!(doc.body.contains("المرتفعة & الساحلية"), "entities decoded");
    assert!(!doc.body.contains("analytics") && !doc.body.contains("font-family"));
    assert!(!doc.body.contains("الرئيسية"), "navigation left out:\n{}", doc.body);
    assert!(doc.raw.starts_with("<!DOCTYPE html>"));
}

#[test]
fn malformed_html_does_not_panic_and_keeps_text() {
    let doc = only_doc(&fixture("malformed.html"));
    assert!(doc.body.contains("هذه فقرة أولى في صفحة غير مكتملة"), "{}", doc.body);
    assert!(doc.body.contains("وهذه فقرة ثانية بلا إغلاق"), "{}", doc.body);
    assert!(!doc.body.contains("if (a < b)"));
    assert!(doc.body.lines().count() >= 2, "paragraphs apart:\n{}", doc.body);
}

#[test]
fn html_without_text_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "blank.html", b"<html><head><title>t</title></head><body><img src=x></body></html>");
    let err = only_error(&path);
    assert!(matches!(err.reason, ErrorReason::NoReadableText), "{err}");
}

#[test]
fn rss_feed_gives_one_document_per_item() {
    let out = read_all(&fixture("feed.rss"));
    assert_eq!(out.len(), 3);
    let first = out[0].as_ref().unwrap();
    assert_eq!(first.format, Format::Feed);
    assert_eq!(first.id, "book-fair-2024");
    assert_eq!(first.title.as_deref(), Some("افتتاح معرض الكتاب في دورته الجديدة"));
    assert_eq!(first.source.as_deref(), Some("نشرة المرصد التجريبية"));
    assert_eq!(first.url.as_deref(), Some("https://example.com/news/book-fair"));
    assert_eq!(first.author.as_deref(), Some("سامي الخطيب"));
    assert_eq!(first.date.as_deref(), Some("2024-03-02T21:30:00"), "local date kept");
    assert_eq!(
        first.body,
        "افتتح وزير الثقافة مساء اليوم معرض الكتاب بمشاركة مئات دور النشر.\nويستمر المعرض عشرة أيام."
    );
    assert!(first.origin.ends_with("feed.rss#1"));
    assert!(first.raw.starts_with("<item>") && first.raw.contains("book-fair-2024"));

    let second = out[1].as_ref().unwrap();
    assert_eq!(second.id.len(), 16, "no guid: a content hash, stable across runs");
    assert_eq!(second.body, "سجلت أسعار الخضار ارتفاعا ملحوظا هذا الأسبوع بسبب الأحوال الجوية.");
    let again = read_all(&fixture("feed.rss"));
    assert_eq!(again[1].as_ref().unwrap().id, second.id);

    let third = out[2].as_ref().unwrap_err();
    assert_eq!(third.item, Some(3));
    assert!(third.to_string().ends_with("feed.rss#3: feed entry has no content or summary"), "{third}");
}

#[test]
fn atom_feed() {
    let out = read_all(&fixture("feed.atom"));
    assert_eq!(out.len(), 2);
    let first = out[0].as_ref().unwrap();
    assert_eq!(first.id, "tag:example.org,2024:posts/elections");
    assert_eq!(first.source.as_deref(), Some("مدونة المرصد"));
    assert_eq!(first.author.as_deref(), Some("نادية منصور"));
    assert_eq!(first.url.as_deref(), Some("https://example.org/posts/elections"));
    assert_eq!(first.date.as_deref(), Some("2024-03-04T09:15:00"));
    assert_eq!(
        first.body,
        "جاءت نتائج الانتخابات البلدية مخالفة لتوقعات معظم المراقبين.\nوارتفعت نسبة المشاركة إلى أعلى مستوى منذ عقد."
    );
    let second = out[1].as_ref().unwrap();
    assert_eq!(second.body, "ملخص قصير للتدوينة عن المشاريع الجديدة في الحي.");
    assert_eq!(second.date.as_deref(), Some("2024-03-05T12:00:00"));
}

#[test]
fn malformed_feed_is_one_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "broken.xml", b"<rss version=\"2.0\"><channel><item><title>x</ti");
    let out = read_all(&path);
    assert_eq!(out.len(), 1);
    assert!(out[0].as_ref().is_err());
}

#[test]
fn windows_1256_text_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let text = "سوق الذهب تشهد إقبالا كبيرا\n\nارتفع الطلب على الذهب في الأسواق المحلية خلال الأسبوع الماضي بشكل لافت.\nوقال تجار إن الأسعار ما زالت مستقرة رغم الإقبال.";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err());
    let path = write(dir.path(), "legacy.txt", &bytes);
    let doc = only_doc(&path);
    assert_eq!(doc.encoding_note.as_deref(), Some("decoded from windows-1256"));
    assert_eq!(doc.title.as_deref(), Some("سوق الذهب تشهد إقبالا كبيرا"));
    assert!(doc.body.starts_with("ارتفع الطلب على الذهب"));
    assert_eq!(doc.raw, text);
}

#[test]
fn invalid_bytes_empty_and_binary_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    // Bytes that are neither UTF-8 nor text in any code page.
    let mut noise = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..600 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let b = (x >> 16) as u8;
        noise.push(if b == 0 { 1 } else { b });
    }
    let err = only_error(&write(dir.path(), "noise.txt", &noise));
    assert!(err.to_string().contains("invalid UTF-8 and not windows-1256 text"), "{err}");

    let err = only_error(&write(dir.path(), "empty.txt", b""));
    assert!(err.to_string().ends_with("empty.txt: empty file"), "{err}");
    let err = only_error(&write(dir.path(), "blank.txt", b" \n\n \t\n"));
    assert!(matches!(err.reason, ErrorReason::Empty));

    let err = only_error(&write(dir.path(), "image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
    assert!(err.to_string().ends_with("image.txt: binary file (NUL bytes)"), "{err}");
}

#[test]
fn mostly_utf8_with_a_broken_byte_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "نص عربي سليم في معظمه لكنه يحتوي على بايت تالف في المنتصف ".as_bytes().to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice("ثم يكمل النص بشكل طبيعي حتى النهاية.".as_bytes());
    let doc = only_doc(&write(dir.path(), "broken.txt", &bytes));
    assert!(doc.body.contains('\u{FFFD}'));
    assert!(doc.encoding_note.unwrap().contains("invalid UTF-8"));
}

#[test]
fn oversized_text_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    let file = fs::File::create(&path).unwrap();
    file.set_len(MAX_DOCUMENT_BYTES + 1).unwrap(); // sparse: no disk used
    let err = only_error(&path);
    assert!(err.to_string().contains("file too large for one document (64.0 MB > 64 MB limit)"), "{err}");
}

#[test]
fn unknown_extension_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let err = only_error(&write(dir.path(), "report.docx", b"PK"));
    assert!(err.to_string().ends_with("report.docx: unknown format '.docx'"), "{err}");
}

#[test]
fn jsonl_with_a_bad_line_keeps_going() {
    let dir = tempfile::tempdir().unwrap();
    let content = concat!(
        "{\"id\": \"a1\", \"title\": \"الأول\", \"content\": \"نص الخبر الأول.\", \"date\": \"2015-08-06 01:00:00\"}\n",
        "\n",
        "{\"title\": \"بلا نص\"}\n",
        "{\"content\": \"سطر مقطوع\n",
        "{\"content\": 17}\n",
        "{\"id\": 99, \"text\": \"نص الخبر الأخير.\", \"source\": \"مرصد\"}\n",
    );
    let path = write(dir.path(), "items.jsonl", content.as_bytes());
    let out = read_all(&path);
    assert_eq!(out.len(), 5, "{out:?}");
    let first = out[0].as_ref().unwrap();
    assert_eq!((first.id.as_str(), first.date.as_deref()), ("a1", Some("2015-08-06T01:00:00")));
    assert_eq!(first.format, Format::JsonLines);
    assert!(first.origin.ends_with("items.jsonl#1"));
    assert!(first.raw.starts_with("{\"id\": \"a1\""));
    let e = out[1].as_ref().unwrap_err();
    assert!(e.to_string().ends_with("items.jsonl#2: missing \"content\"/\"text\" field"), "{e}");
    let e = out[2].as_ref().unwrap_err();
    assert!(e.to_string().contains("items.jsonl#3: malformed JSON at line 4 column"), "{e}");
    let e = out[3].as_ref().unwrap_err();
    assert!(e.to_string().ends_with("items.jsonl#4: field \"content\" is a number, expected a string"), "{e}");
    let last = out[4].as_ref().unwrap();
    assert_eq!((last.id.as_str(), last.source.as_deref()), ("99", Some("مرصد")));
    assert!(last.origin.ends_with("items.jsonl#5"));
}

#[test]
fn json_array_with_a_bad_element() {
    let dir = tempfile::tempdir().unwrap();
    let content = r#"[
  {"title": "أول", "content": "نص أول.", "url": "https://example.com/1"},
  {"title": "ثان", "content": ["فقرة أولى.", "فقرة ثانية."]},
  "ليس كائنا",
  {"title": "رابع", "content": "نص رابع.", "author": 5}
]"#;
    let out = read_all(&write(dir.path(), "array.json", content.as_bytes()));
    assert_eq!(out.len(), 4);
    assert_eq!(
        out[0].as_ref().unwrap().raw,
        r#"{"title": "أول", "content": "نص أول.", "url": "https://example.com/1"}"#
    );
    assert_eq!(out[1].as_ref().unwrap().body, "فقرة أولى.\nفقرة ثانية.");
    assert!(out[2].as_ref().unwrap_err().to_string().ends_with("array.json#3: expected a JSON object, found a string"));
    assert!(out[3]
        .as_ref()
        .unwrap_err()
        .to_string()
        .ends_with("array.json#4: field \"author\" is a number, expected a string"));
}

#[test]
fn huge_jsonl_is_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let mut file = std::io::BufWriter::new(fs::File::create(&path).unwrap());
    const LINES: usize = 50_000;
    for i in 0..LINES {
        writeln!(
            file,
            "{{\"id\":\"{i}\",\"title\":\"خبر رقم {i}\",\"content\":\"هذا نص الخبر رقم {i} وهو نص قصير لاختبار القراءة المتدفقة.\"}}"
        )
        .unwrap();
    }
    drop(file);
    let (mut docs, mut errors) = (0usize, 0usize);
    read_file(&path, &mut |r| match r {
        Ok(_) => docs += 1,
        Err(_) => errors += 1,
    });
    assert_eq!((docs, errors), (LINES, 0));

    // The same as one JSON array: elements are visited one at a time.
    let path = dir.path().join("big.json");
    let mut file = std::io::BufWriter::new(fs::File::create(&path).unwrap());
    write!(file, "[").unwrap();
    for i in 0..LINES {
        let comma = if i + 1 < LINES { "," } else { "" };
        writeln!(file, "{{\"title\":\"خبر {i}\",\"content\":\"نص الخبر رقم {i}.\"}}{comma}").unwrap();
    }
    write!(file, "]").unwrap();
    drop(file);
    let (mut docs, mut errors, mut last_origin) = (0usize, 0usize, String::new());
    read_file(&path, &mut |r| match r {
        Ok(doc) => {
            docs += 1;
            last_origin = doc.origin;
        }
        Err(_) => errors += 1,
    });
    assert_eq!((docs, errors), (LINES, 0));
    assert!(last_origin.ends_with(&format!("big.json#{LINES}")));
}

#[test]
fn reader_sniffs_formats() {
    let mut docs = Vec::new();
    read_reader("stdin", None, "[{\"content\":\"أ\"},{\"content\":\"ب\"}]".as_bytes(), &mut |r| {
        docs.push(r.unwrap())
    });
    read_reader(
        "stdin",
        None,
        "<!doctype html><html><body><p>فقرة من صفحة.</p></body></html>".as_bytes(),
        &mut |r| docs.push(r.unwrap()),
    );
    let rss = fs::read(fixture("feed.rss")).unwrap();
    read_reader("stdin", None, &rss[..], &mut |r| {
        if let Ok(d) = r {
            docs.push(d)
        }
    });
    read_reader("stdin", None, "عنوان\n\nنص عادي من الإدخال القياسي.".as_bytes(), &mut |r| docs.push(r.unwrap()));
    let formats: Vec<Format> = docs.iter().map(|d| d.format).collect();
    assert_eq!(formats, vec![Format::Json, Format::Json, Format::Html, Format::Feed, Format::Feed, Format::Text]);
    assert_eq!(docs[0].origin, "stdin#1");
    assert_eq!(docs[5].origin, "stdin");
    assert_eq!(docs[5].title.as_deref(), Some("عنوان"));
}

#[test]
fn discover_walks_sorted_and_reports_skips() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("b/nested")).unwrap();
    fs::create_dir_all(root.join(".git")).unwrap();
    write(root, "z.txt", b"z");
    write(root, "a.json", b"[]");
    write(root, "b/nested/c.HTML", b"<p>x</p>");
    write(root, "b/readme.md", b"# notes");
    write(root, ".hidden.txt", b"h");
    write(root, ".git/config.txt", b"g");
    let explicit = write(root, "notes.docx", b"PK");

    let found = discover(&[root.to_path_buf(), explicit.clone(), root.join("z.txt"), root.join("missing.txt")]);
    let names: Vec<String> = found.files.iter().map(|p| p.strip_prefix(root).unwrap().display().to_string()).collect();
    assert_eq!(names, vec!["a.json", "b/nested/c.HTML", "z.txt"]);
    assert_eq!(found.total_bytes, 2 + 8 + 1);

    let skips: Vec<&IngestError> = found.skipped.iter().filter(|e| e.is_skip()).collect();
    assert_eq!(skips.len(), 2, "{:?}", found.skipped); // readme.md and notes.docx inside the folder
    assert!(skips.iter().any(|e| e.to_string().ends_with("readme.md: skipped: unsupported file type '.md'")));
    let errors: Vec<String> = found.skipped.iter().filter(|e| !e.is_skip()).map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].ends_with("notes.docx: unknown format '.docx'"));
    assert!(errors[1].contains("missing.txt: cannot read:"));
}
