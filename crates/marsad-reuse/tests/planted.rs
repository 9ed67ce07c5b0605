//! Planted near-duplicates in synthetic Arabic text.
//!
//! Documents are generated from a word list (real function words, which
//! every article shares, plus synthetic content words, so that unrelated
//! documents share common phrases the way news does). Each of the planted
//! copies is an original with light edits: one or two sentences dropped,
//! two sentences swapped, about 4% of the words replaced, and a line of
//! boilerplate added. Distractors share one paragraph with an original
//! (passage reuse, not duplication). Whole-document detection must reach
//! precision and recall ≥ 0.95 on the planted pairs.
//!
//! `PLANTED_THRESHOLD=0.3 cargo test -p marsad-reuse --test planted -- --nocapture`
//! runs it at another threshold and prints the similarity distribution.

use std::collections::BTreeSet;

use marsad_reuse::ReuseIndex;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const FUNCTION_WORDS: &[&str] = &[
    "في",
    "من",
    "إلى",
    "على",
    "عن",
    "أن",
    "إن",
    "التي",
    "الذي",
    "قال",
    "وقال",
    "كما",
    "بعد",
    "قبل",
    "مع",
    "هذا",
    "هذه",
    "وأضاف",
    "وأكد",
    "خلال",
    "حيث",
    "اليوم",
    "أمس",
    "المملكة",
    "الوزير",
    "الرئيس",
    "الحكومة",
    "العام",
];
const LETTERS: &[char] =
    &['ب', 'ت', 'ج', 'د', 'ر', 'س', 'ش', 'ع', 'ف', 'ق', 'ك', 'ل', 'م', 'ن', 'ه', 'و', 'ي', 'ح', 'ص', 'ط'];

fn vocabulary(rng: &mut Rng, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            let len = 3 + rng.below(4);
            (0..len).map(|_| LETTERS[rng.below(LETTERS.len())]).collect()
        })
        .collect()
}

fn sentence(rng: &mut Rng, vocab: &[String]) -> Vec<String> {
    let len = 8 + rng.below(14);
    (0..len)
        .map(|_| {
            if rng.below(3) == 0 {
                FUNCTION_WORDS[rng.below(FUNCTION_WORDS.len())].to_string()
            } else {
                vocab[rng.below(vocab.len())].clone()
            }
        })
        .collect()
}

fn render(sentences: &[Vec<String>]) -> String {
    sentences.iter().map(|s| s.join(" ") + ".").collect::<Vec<_>>().join("\n")
}

#[test]
fn planted_near_duplicates_precision_and_recall() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let vocab = vocabulary(&mut rng, 3000);
    let originals: Vec<Vec<Vec<String>>> =
        (0..400).map(|_| (0..8 + rng.below(10)).map(|_| sentence(&mut rng, &vocab)).collect()).collect();
    let boilerplate = [
        "تابعونا على حسابنا في تويتر للمزيد من الأخبار العاجلة والتقارير",
        "جميع الحقوق محفوظة للصحيفة ولا يجوز النقل دون إذن",
    ];

    let mut docs: Vec<(String, String)> = Vec::new();
    for (i, o) in originals.iter().enumerate() {
        docs.push((format!("orig-{i:03}"), render(o)));
    }
    let mut planted = BTreeSet::new();
    for i in 0..150 {
        let mut copy = originals[i].clone();
        for _ in 0..1 + rng.below(2) {
            if copy.len() > 4 {
                let k = rng.below(copy.len());
                copy.remove(k);
            }
        }
        let (a, b) = (rng.below(copy.len()), rng.below(copy.len()));
        copy.swap(a, b);
        for s in copy.iter_mut() {
            for w in s.iter_mut() {
                if rng.below(25) == 0 {
                    *w = vocab[rng.below(vocab.len())].clone();
                }
            }
        }
        let line: Vec<String> = boilerplate[i % 2].split(' ').map(str::to_string).collect();
        if i % 3 == 0 {
            copy.insert(0, line);
        } else {
            copy.push(line);
        }
        let id = format!("copy-{i:03}");
        planted.insert((id.clone(), format!("orig-{i:03}")));
        docs.push((id, render(&copy)));
    }
    // Distractors: new documents that reuse one paragraph of an original.
    for i in 0..100 {
        let mut d: Vec<Vec<String>> = (0..8 + rng.below(6)).map(|_| sentence(&mut rng, &vocab)).collect();
        let source = &originals[200 + i];
        d.insert(d.len() / 2, source[0].clone());
        d.insert(d.len() / 2, source[1].clone());
        docs.push((format!("part-{i:03}"), render(&d)));
    }

    // Interleave deterministically so copies do not always follow originals.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut index = ReuseIndex::new();
    if let Ok(t) = std::env::var("PLANTED_THRESHOLD") {
        index = ReuseIndex::with_config(marsad_reuse::ReuseConfig {
            duplicate_threshold: t.parse().unwrap(),
            ..Default::default()
        });
    }
    for &i in &order {
        index.add_document(&docs[i].0, None, &docs[i].1);
    }
    let mut predicted = BTreeSet::new();
    for group in index.near_duplicates() {
        for (i, a) in group.docs.iter().enumerate() {
            for b in &group.docs[i + 1..] {
                predicted.insert((a.clone(), b.clone()));
            }
        }
    }
    if std::env::var("PLANTED_THRESHOLD").is_ok() {
        let mut sims: Vec<(f32, f32, String, String)> = index
            .duplicate_pairs()
            .iter()
            .map(|d| {
                (d.coverage, d.similarity, docs[order[d.a as usize]].0.clone(), docs[order[d.b as usize]].0.clone())
            })
            .collect();
        sims.sort_by(|x, y| x.0.partial_cmp(&y.0).unwrap());
        for s in sims.iter().step_by(5) {
            eprintln!("{s:?}");
        }
    }
    let correct = predicted.intersection(&planted).count();
    let precision = if predicted.is_empty() { 0.0 } else { correct as f64 / predicted.len() as f64 };
    let recall = correct as f64 / planted.len() as f64;
    eprintln!(
        "planted {}, predicted {}, correct {correct}: precision {precision:.3}, recall {recall:.3}",
        planted.len(),
        predicted.len()
    );
    assert!(precision >= 0.95, "precision {precision}");
    assert!(recall >= 0.95, "recall {recall}");

    // The distractors' shared paragraphs are passage reuse.
    let groups = index.groups(8);
    let found = (0..100)
        .filter(|i| {
            let part = format!("part-{i:03}");
            let orig = format!("orig-{:03}", 200 + i);
            groups
                .iter()
                .any(|g| g.occurrences.iter().any(|o| o.doc == part) && g.occurrences.iter().any(|o| o.doc == orig))
        })
        .count();
    // Precision of passage reuse: every pair of documents in a group must be
    // a planted pair (an original with its copy, or with its distractor);
    // the boilerplate lines, shared by every copy, are reuse too.
    let related = |a: &str, b: &str| {
        let (ka, na) = a.split_once('-').unwrap();
        let (kb, nb) = b.split_once('-').unwrap();
        let (na, nb): (usize, usize) = (na.parse().unwrap(), nb.parse().unwrap());
        let canon = |k: &str, n: usize| if k == "part" { n + 200 } else { n };
        a == b || canon(ka, na) == canon(kb, nb)
    };
    let (mut pairs, mut wrong) = (0, 0);
    for g in &groups {
        if boilerplate.iter().any(|b| g.text.contains(b)) {
            continue;
        }
        for (i, x) in g.occurrences.iter().enumerate() {
            for y in &g.occurrences[i + 1..] {
                pairs += 1;
                wrong += usize::from(!related(&x.doc, &y.doc));
            }
        }
    }
    let passage_precision = 1.0 - wrong as f64 / pairs.max(1) as f64;
    eprintln!("shared paragraphs found: {found}/100; passage pairs {pairs}, unplanted {wrong}: precision {passage_precision:.3}");
    assert!(found >= 95);
    assert!(passage_precision >= 0.95);

    // Another order, the same answer.
    let mut again = ReuseIndex::new();
    for (id, text) in &docs {
        again.add_document(id, None, text);
    }
    if std::env::var("PLANTED_THRESHOLD").is_err() {
        assert_eq!(again.near_duplicates(), index.near_duplicates());
        let other = again.groups(8);
        for (x, y) in other.iter().zip(&groups) {
            if x != y {
                let brief = |g: &marsad_reuse::ReuseGroup| {
                    (
                        g.similarity,
                        g.origin,
                        g.occurrences.iter().map(|o| (o.doc.clone(), o.start, o.end)).collect::<Vec<_>>(),
                    )
                };
                eprintln!("{:?}\n{:?}", brief(x), brief(y));
                break;
            }
        }
        assert_eq!(other.len(), groups.len());
        assert_eq!(other, groups);
    }
}
