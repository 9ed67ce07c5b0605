//! The seed articles: the Peskov passage shared by 002 and 004, and the
//! pull-quotes repeated inside 000. Read raw at test time from
//! `../shared/corpus/seeds`; skipped with a message when absent.

use std::path::Path;

use marsad_reuse::{ReuseGroup, ReuseIndex};

fn seeds() -> Option<Vec<(String, String)>> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds"));
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipping: no seed corpus at {}", dir.display());
        return None;
    };
    let mut docs: Vec<(String, String)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt") && !p.ends_with("SOURCE.txt"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    docs.sort();
    Some(docs)
}

fn index(docs: &[(String, String)]) -> ReuseIndex {
    let mut index = ReuseIndex::new();
    for (id, text) in docs {
        index.add_document(id, None, text);
    }
    index
}

fn check_spans(groups: &[ReuseGroup], docs: &[(String, String)]) {
    for g in groups {
        for o in &g.occurrences {
            let text = &docs.iter().find(|d| d.0 == o.doc).unwrap().1;
            assert_eq!(&text[o.start..o.end], o.text);
        }
    }
}

#[test]
fn peskov_passage_is_one_group_in_002_and_004() {
    let Some(docs) = seeds() else { return };
    let groups = index(&docs).groups(8);
    check_spans(&groups, &docs);
    let peskov: Vec<&ReuseGroup> =
        groups.iter().filter(|g| g.occurrences.iter().any(|o| o.text.contains("المحادثات السداسية"))).collect();
    assert_eq!(peskov.len(), 1, "{peskov:#?}");
    let g = peskov[0];
    let docs_of: Vec<&str> = g.occurrences.iter().map(|o| &o.doc[..4]).collect();
    assert_eq!(docs_of, ["002_", "004_"], "{g:#?}");
    for o in &g.occurrences {
        assert!(o.text.contains("بيسكوف") && o.text.contains("الجزيرة الكورية"), "{o:#?}");
    }
    assert!(g.occurrences[0].text.contains("(المتوقفة آنذاك)"));
    assert!(g.occurrences[1].text.contains("، والمتوقفة حاليًا،"));
}

#[test]
fn pull_quotes_repeat_inside_000() {
    let Some(docs) = seeds() else { return };
    let groups = index(&docs).groups(8);
    let repeats: Vec<&ReuseGroup> =
        groups.iter().filter(|g| g.occurrences.iter().filter(|o| o.doc.starts_with("000_")).count() >= 2).collect();
    for name in ["زيلينسكي", "عمروف"] {
        assert!(
            repeats.iter().any(|g| g.occurrences.iter().all(|o| o.text.contains(name))),
            "no repeat with {name}: {repeats:#?}"
        );
    }
}

#[test]
fn any_order_gives_the_same_groups() {
    let Some(docs) = seeds() else { return };
    let mut reversed = docs.clone();
    reversed.reverse();
    assert_eq!(index(&docs).groups(8), index(&reversed).groups(8));
    assert_eq!(index(&docs).near_duplicates(), index(&reversed).near_duplicates());
}

#[test]
fn serialized_index_continues_where_it_stopped() {
    let Some(docs) = seeds() else { return };
    let (first, rest) = docs.split_at(3);
    let json = serde_json::to_string(&index(first)).unwrap();
    let mut restored: ReuseIndex = serde_json::from_str(&json).unwrap();
    for (id, text) in rest {
        restored.add_document(id, None, text);
    }
    assert_eq!(restored.groups(8), index(&docs).groups(8));
}

/// `cargo test -p marsad-reuse --test seeds show -- --ignored --nocapture`
/// prints every group found in the seeds, for a reader to judge.
#[test]
#[ignore]
fn show() {
    let Some(docs) = seeds() else { return };
    let index = index(&docs);
    for g in index.groups(8) {
        println!("== sim {} origin {:?}", g.similarity, g.origin);
        for o in &g.occurrences {
            println!("  {} {}..{}: {}", &o.doc[..3], o.start, o.end, o.text);
        }
    }
    for d in index.near_duplicates() {
        println!("dup {:?} {} {}", d.docs, d.similarity, d.coverage);
    }
}
