//! Entity mentions and cross-document resolution on the five seed articles.
//!
//! Reads `../shared/corpus/seeds` at run time and skips when it is absent.

mod common;

use common::{doc, resolve, seeds};
use marsad_extract::EntityType;

/// Every person named in the seeds, by document, with its fullest name.
#[test]
fn every_named_person_is_found() {
    let Some(docs) = seeds() else { return };
    let expect: &[(&str, &[&str])] = &[
        (
            "000",
            &[
                "كيم جونغ أون",
                "فولوديمير زيلينسكي",
                "رستم عمروف",
                "أوليكسي ريزنيكوف",
                "أولينا زيلينسكا",
                "فلاديمير بوتين",
                "رجب طيب إردوغان",
                "جون كيربي",
                "سيرغي شويغو",
                "بايدن",
            ],
        ),
        ("001", &["كيم جونغ أون", "فلاديمير بوتين", "يون سوك يول"]),
        ("002", &["فلاديمير بوتين", "كيم جونغ أون", "دونالد ترامب", "ديمتري بيسكوف"]),
        (
            "003",
            &["فلاديمير بوتين", "كيم جونغ أون", "ألكسندر جابويف", "سيرغي شويغو", "سكوت أ. سنايدر", "Brahim Dodouche"],
        ),
        (
            "004",
            &[
                "فلاديمير بوتين",
                "كيم جونغ أون",
                "دونالد ترمب",
                "جون بارك",
                "أندريه كورتونوف",
                "مايك بومبيو",
                "ديمتري بيسكوف",
                "كيم إيل سونغ",
                "كيم جونغ إيل",
                "ديمتري مدفيديف",
            ],
        ),
    ];
    for (id, names) in expect {
        let d = doc(&docs, id);
        for name in *names {
            assert!(d.person(name).is_some(), "{id}: {name} missing; persons: {:?}", persons(d));
        }
    }
}

fn persons(d: &common::Doc) -> Vec<&str> {
    d.entities.iter().filter(|e| e.entity_type == EntityType::Person).map(|e| e.name.as_str()).collect()
}

#[test]
fn surnames_link_to_full_names_and_people_stay_apart() {
    let Some(docs) = seeds() else { return };
    let d0 = doc(&docs, "000");
    let kirby = d0.person("جون كيربي").unwrap();
    assert!(kirby.variants.contains(&"كيربي".to_owned()) && kirby.mentions >= 2, "{kirby:?}");
    let umerov = d0.person("رستم عمروف").unwrap();
    assert!(umerov.mentions >= 3, "{umerov:?}");
    // Zelensky and Olena Zelenska are two people.
    assert!(d0.person("فولوديمير زيلينسكي").unwrap().mentions >= 3);
    assert_eq!(d0.person("أولينا زيلينسكا").unwrap().mentions, 1);
    // السيد كيم is Kim Jong Un.
    let d3 = doc(&docs, "003");
    assert!(d3.person("كيم جونغ أون").unwrap().mentions >= 4);
    // Three Kims, two Dmitrys in one article.
    let d4 = doc(&docs, "004");
    let kims: Vec<_> = persons(d4).into_iter().filter(|n| n.starts_with("كيم")).collect();
    assert_eq!(kims.len(), 3, "{kims:?}");
    assert!(d4.person("كيم جونغ أون").unwrap().mentions > 10);
    assert_ne!(d4.person("ديمتري بيسكوف"), d4.person("ديمتري مدفيديف"));
    // Trump's surname alone belongs to his full name.
    assert!(d4.person("دونالد ترمب").unwrap().mentions >= 5);
    // No name keeps a clitic or a title.
    for d in &docs {
        for m in &d.mentions {
            assert_eq!(marsad_extract::display_name(&d.text[m.span.clone()]), m.name);
            if m.entity_type == EntityType::Person {
                for bad in ["الرئيس", "الزعيم", "السيد", "وبوتين", "لبوتين", "المتحدث"]
                {
                    assert!(!m.name.contains(bad), "{}: {}", d.id, m.name);
                }
                assert!(!m.name.starts_with("ال"), "{}: {}", d.id, m.name);
            }
        }
    }
}

#[test]
fn roles_are_kept_apart_from_names() {
    let Some(docs) = seeds() else { return };
    for id in ["000", "001", "002", "003", "004"] {
        let putin = doc(&docs, id).person("فلاديمير بوتين").unwrap();
        assert!(putin.roles.contains(&"الرئيس الروسي".to_owned()), "{id}: {putin:?}");
    }
    for id in ["002", "004"] {
        let peskov = doc(&docs, id).person("ديمتري بيسكوف").unwrap();
        assert_eq!(peskov.roles, ["المتحدث باسم الرئاسة الروسية"], "{id}");
    }
    let d0 = doc(&docs, "000");
    assert_eq!(d0.person("جون كيربي").unwrap().roles, ["المتحدث باسم مجلس الأمن القومي الأميركي"]);
    assert_eq!(d0.person("أوليكسي ريزنيكوف").unwrap().roles, ["وزير الدفاع الأوكراني السابق"]);
    assert_eq!(doc(&docs, "001").person("يون سوك يول").unwrap().roles, ["الرئيس الكوري الجنوبي"]);
    assert_eq!(doc(&docs, "004").person("ديمتري مدفيديف").unwrap().roles, ["الرئيس الروسي السابق"]);
    let kremlin = doc(&docs, "002").entities.iter().find(|e| e.name == "الكرملين").unwrap();
    assert_eq!(kremlin.entity_type, EntityType::Organization);
}

#[test]
fn resolution_merges_spellings_and_keeps_the_kims_apart() {
    let Some(docs) = seeds() else { return };
    let r = resolve(&docs);
    let find = |name: &str| {
        r.entities
            .iter()
            .filter(|e| e.entity_type == EntityType::Person && e.variants.iter().any(|v| v == name))
            .collect::<Vec<_>>()
    };
    // Trump, both spellings: one entity in 002 and 004.
    let trump = find("دونالد ترمب");
    assert_eq!(trump.len(), 1);
    assert!(trump[0].variants.contains(&"دونالد ترامب".to_owned()), "{:?}", trump[0]);
    assert_eq!(trump[0].docs.len(), 2);
    // Putin everywhere.
    let putin = find("فلاديمير بوتين");
    assert_eq!((putin.len(), putin[0].docs.len()), (1, 5));
    assert_eq!(putin[0].roles[0], "الرئيس الروسي");
    // Three Kims.
    let kims: Vec<_> =
        r.entities.iter().filter(|e| e.entity_type == EntityType::Person && e.name.starts_with("كيم")).collect();
    let names: Vec<_> = kims.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(kims.len(), 3, "{names:?}");
    assert_eq!(find("كيم جونغ أون")[0].docs.len(), 5);
    // Peskov in both articles; Shoigu in two.
    assert_eq!(find("ديمتري بيسكوف")[0].docs.len(), 2);
    assert_eq!(find("سيرغي شويغو")[0].docs.len(), 2);
    // Zelensky and Zelenska stay apart; so do Peskov and Medvedev.
    assert_ne!(find("فولوديمير زيلينسكي")[0].id, find("أولينا زيلينسكا")[0].id);
    assert_ne!(find("ديمتري بيسكوف")[0].id, find("ديمتري مدفيديف")[0].id);
    // Assignment points at the right entity.
    for (d, row) in docs.iter().zip(&r.assignment) {
        for (l, &g) in row.iter().enumerate() {
            assert_eq!(r.entities[g].entity_type, d.entities[l].entity_type);
            assert!(r.entities[g].docs.contains(&d.id));
        }
    }
    // Sorted by documents, then mentions.
    for w in r.entities.windows(2) {
        assert!((w[0].docs.len(), w[0].mentions) >= (w[1].docs.len(), w[1].mentions));
    }
}

#[test]
fn resolution_is_order_independent() {
    let Some(mut docs) = seeds() else { return };
    let a = resolve(&docs);
    docs.reverse();
    let b = resolve(&docs);
    assert_eq!(a.entities, b.entities);
    let n = docs.len();
    for (i, row) in b.assignment.iter().enumerate() {
        assert_eq!(row, &a.assignment[n - 1 - i]);
    }
}
