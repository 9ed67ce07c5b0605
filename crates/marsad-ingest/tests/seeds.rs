//! Reading and cleaning the five reference articles in
//! `../shared/corpus/seeds` (not part of the project: skipped when absent).

use std::path::{Path, PathBuf};

use marsad_ingest::{clean, read_file, CleanDocument, RemovalReason, SourceDocument};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");

fn seed_path(prefix: &str) -> Option<PathBuf> {
    let dir = Path::new(SEEDS);
    let found =
        std::fs::read_dir(dir).ok()?.filter_map(Result::ok).map(|e| e.path()).find(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
        });
    if found.is_none() {
        eprintln!("skipping: seed {prefix} not found under {SEEDS}");
    }
    found
}

fn read_seed(prefix: &str) -> Option<SourceDocument> {
    let path = seed_path(prefix)?;
    let mut docs = Vec::new();
    read_file(&path, &mut |r| docs.push(r.expect("seed reads")));
    assert_eq!(docs.len(), 1);
    docs.pop()
}

fn clean_seed(prefix: &str) -> Option<CleanDocument> {
    read_seed(prefix).map(clean)
}

fn count_in(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

#[test]
fn seed_000_pull_quotes_are_removed_once() {
    let Some(cleaned) = clean_seed("000_") else {
        return;
    };
    assert_eq!(cleaned.source.title, None, "opens with a paragraph");
    let zelensky = "يريد الرئيس الأوكراني فولوديمير زيلينسكي";
    let umerov = "تستعد لجولة جديدة من محادثات";
    assert_eq!(count_in(&cleaned.source.body, zelensky), 2);
    assert_eq!(count_in(&cleaned.text, zelensky), 1);
    assert_eq!(count_in(&cleaned.text, umerov), 1);
    assert_eq!(cleaned.removed.len(), 2, "{:#?}", cleaned.removed);
    for removal in &cleaned.removed {
        let RemovalReason::RepeatedParagraph { of } = removal.reason else {
            panic!("unexpected removal {removal:?}");
        };
        let paragraphs: Vec<&str> = cleaned.source.body.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(of < paragraphs.len());
        assert!(cleaned.paragraphs.iter().any(|p| p == paragraphs[of].trim()), "points at a kept paragraph");
    }
    // The Zelensky copy kept is the first one, with its final period.
    let kept = cleaned.paragraphs.iter().find(|p| p.starts_with(zelensky)).unwrap();
    assert!(kept.ends_with('.'));
    // The Umerov excerpt goes; the longer paragraph (starting with لقد) stays.
    assert!(cleaned.paragraphs.iter().any(|p| p.starts_with("لقد برزت مؤشرات")));
    assert!(!cleaned.paragraphs.iter().any(|p| p.starts_with("برزت مؤشرات")));
}

#[test]
fn seed_003_comment_form_and_ticker_are_removed() {
    let Some(cleaned) = clean_seed("003_") else {
        return;
    };
    let source = &cleaned.source;
    assert_eq!(source.id, "003_a85c5ca27367db1f");
    assert!(source.title.as_deref().unwrap().starts_with("قمة كيم-بوتين"));
    assert_eq!(source.author.as_deref(), Some("Brahim Dodouche"));
    assert_eq!(source.date.as_deref(), Some("2023-09-13"));
    assert!(!source.body.contains("Dodouche"), "dateline left the body");
    assert!(!source.body.contains("قمة كيم-بوتين تسلط"), "title left the body");

    for form_text in ["اترك تعليق", "لن يتم نشر عنوان بريدك", "شروط التعليق", "عدم الإساءة للكاتب", "الاخبار العاجلة"]
    {
        assert!(!cleaned.text.contains(form_text), "{form_text} still in text");
        assert!(cleaned.removed.iter().any(|r| r.text.contains(form_text)), "{form_text} not recorded");
    }
    let reasons: Vec<&RemovalReason> = cleaned.removed.iter().map(|r| &r.reason).collect();
    assert_eq!(
        reasons,
        vec![
            &RemovalReason::CommentForm,
            &RemovalReason::CommentForm,
            &RemovalReason::CommentForm,
            &RemovalReason::CommentForm,
            &RemovalReason::NewsTicker
        ]
    );
    assert!(cleaned.paragraphs.last().unwrap().starts_with("وحذر المسؤولون الأمريكيون"));
}

#[test]
fn seed_004_read_more_block_goes_and_subheading_stays() {
    let Some(cleaned) = clean_seed("004_") else {
        return;
    };
    assert_eq!(cleaned.removed.len(), 2, "{:#?}", cleaned.removed);
    assert_eq!(cleaned.removed[0].text, "اقرأ المزيد");
    assert_eq!(cleaned.removed[0].reason, RemovalReason::ReadMore);
    assert!(cleaned.removed[1].text.contains("Related Nodes field"));
    assert_eq!(cleaned.removed[1].reason, RemovalReason::CmsLeftover);
    assert!(cleaned.paragraphs.iter().any(|p| p == "قمة الخمس ساعات"));
    assert!(!cleaned.text.contains("Related Nodes"));
}

#[test]
fn seeds_001_and_002_are_left_alone() {
    for prefix in ["001_", "002_"] {
        let Some(cleaned) = clean_seed(prefix) else {
            return;
        };
        assert!(cleaned.removed.is_empty(), "{prefix}: {:#?}", cleaned.removed);
        assert_eq!(cleaned.source.title, None, "{prefix}");
        let lines = cleaned.source.body.lines().count();
        assert_eq!(cleaned.paragraphs.len(), lines);
    }
}

#[test]
fn removals_point_into_the_body() {
    for prefix in ["000_", "001_", "002_", "003_", "004_"] {
        let Some(cleaned) = clean_seed(prefix) else {
            return;
        };
        for r in &cleaned.removed {
            assert_eq!(&cleaned.source.body[r.span.clone()], r.text);
        }
    }
}
