//! Planted near-duplicates and passages in real SaudiNewsNet text.
//!
//! Takes 5,000 SaudiNewsNet articles (fixed-seed shuffle of all of them),
//! picks 200 with at least 8 sentences and makes a light-edit copy of each:
//! one or two sentences dropped, two sentences swapped, about one word in
//! 25 replaced by a word from another article, one to three boilerplate
//! lines added (a "read more" line, a comment-form line, a share line) at
//! the top or the bottom, and a date one to five days later. The 5,200
//! documents go into a `ReuseIndex` in a random order (copies at random
//! positions; `ORDER=date` feeds them in date order instead), then:
//!
//! * **(a) near-duplicates**: the reported pairs (`duplicate_pairs`)
//!   against the 200 planted (copy, original) pairs. SaudiNewsNet has
//!   genuine near-duplicates of its own, so a reported pair that is not
//!   planted is a false positive only when it is not a genuine
//!   near-duplicate by an independent check: the share of the shorter
//!   document's word 5-grams (normalized words, clitics off) found in the
//!   other, `containment5 ≥ 0.5`. Raw precision counts every non-planted
//!   pair as false; adjusted precision only those under the bar.
//! * **(b) passages**: for each copy, the kept sentences (≥ 8 words, with or
//!   without a changed word) must be found in a passage shared with the
//!   original. Recall = kept sentences whose words are ≥ 90% inside the
//!   copy-side span of some reported copy↔original passage / kept
//!   sentences (and, stricter, whose original sentence is also inside the
//!   passage's original-side span). Precision (copy↔original) = reported
//!   copy↔original passages whose copy-side span's kept sentences all map
//!   into its original-side span (and that hold at least one kept
//!   sentence); precision (all) = reported passages over all pairs whose two
//!   spans have word-set Jaccard ≥ 0.5.
//!
//! `cargo run -p marsad-reuse --release --example planted_snn [DIR]`

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Instant;

use marsad_reuse::ReuseIndex;
use marsad_text::{split_sentences, tokenize, TokenKind};

#[path = "snn/mod.rs"]
mod snn;
use snn::word_keys;

const CORPUS: usize = 5000;
const PLANTED: usize = 200;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

/// Boilerplate lines of the kind outlets append (our own wording).
const READ_MORE: &[&str] = &[
    "اقرأ أيضاً: آخر الأخبار المحلية والدولية على موقعنا",
    "للمزيد من التفاصيل اقرأ المزيد على الموقع الإلكتروني للصحيفة",
];
const COMMENT: &[&str] = &[
    "أضف تعليقك: الاسم، البريد الإلكتروني، التعليق، إرسال",
    "التعليقات المنشورة تعبر عن رأي أصحابها ولا تعبر عن رأي الصحيفة",
];
const SHARE: &[&str] =
    &["شارك هذا الخبر عبر فيسبوك وتويتر وواتساب", "تابعونا على تويتر وانستغرام لمتابعة آخر المستجدات"];

/// Word tokens with their byte spans.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    tokenize(text).into_iter().filter(|t| t.kind != TokenKind::Punct).map(|t| (t.span.start, t.span.end)).collect()
}

fn containment5(a: &[String], b: &[String]) -> f64 {
    let grams = |w: &[String]| -> HashSet<String> { w.windows(5).map(|g| g.join(" ")).collect() };
    let (ga, gb) = (grams(a), grams(b));
    let (small, big) = if ga.len() <= gb.len() { (&ga, &gb) } else { (&gb, &ga) };
    if small.is_empty() {
        return 0.0;
    }
    small.iter().filter(|g| big.contains(*g)).count() as f64 / small.len() as f64
}

/// Share of the shorter document's words that lie inside some word 6-gram
/// the other document also has: an exact, gap-free version of the crate's
/// alignment coverage.
fn coverage6(a: &[String], b: &[String]) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let grams: HashSet<&[String]> = long.windows(6).collect();
    let mut covered = vec![false; short.len()];
    for (i, g) in short.windows(6).enumerate() {
        if grams.contains(g) {
            covered[i..i + 6].iter_mut().for_each(|c| *c = true);
        }
    }
    covered.iter().filter(|&&c| c).count() as f64 / short.len().max(1) as f64
}

fn jaccard(a: &[String], b: &[String]) -> f64 {
    let sa: HashSet<&String> = a.iter().collect();
    let sb: HashSet<&String> = b.iter().collect();
    let inter = sa.intersection(&sb).count();
    let union = sa.len() + sb.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}
fn later(date: &str, days: i64) -> String {
    let p = |r: std::ops::Range<usize>| date.get(r).and_then(|s| s.parse::<i64>().ok());
    match (p(0..4), p(5..7), p(8..10)) {
        (Some(y), Some(m), Some(d)) => {
            let (y, m, d) = civil_from_days(days_from_civil(y, m, d) + days);
            format!("{y:04}-{m:02}-{d:02}{}", date.get(10..).unwrap_or(""))
        }
        _ => "2015-12-31".into(),
    }
}

struct Doc {
    id: String,
    date: Option<String>,
    text: String,
}

/// A kept sentence: byte range in the copy, byte range in the original,
/// words.
type Kept = ((usize, usize), (usize, usize), usize);

/// A planted copy: its original, and its kept sentences as
/// (byte range in the copy, byte range in the original, words).
struct Copy {
    original: usize,
    kept: Vec<Kept>,
}

fn main() {
    let dir = snn::corpus_dir(std::env::args().nth(1));
    let mut all: Vec<Doc> =
        snn::articles(&dir).into_iter().map(|a| Doc { id: a.id, date: a.date, text: a.text }).collect();
    let total = all.len();
    let mut rng = Rng(0x4D41_5253_4144_0004);
    rng.shuffle(&mut all);
    all.truncate(CORPUS);
    let mut docs = all;

    // Replacement words: a pool from the sample itself.
    let mut pool: Vec<String> = Vec::new();
    for d in docs.iter().step_by(25) {
        for (s, e) in word_spans(&d.text) {
            if e - s >= 6 {
                pool.push(d.text[s..e].to_string());
            }
        }
    }

    // Originals: ≥ 8 sentences of which ≥ 6 have ≥ 8 words.
    let mut eligible: Vec<usize> = (0..docs.len())
        .filter(|&i| {
            let t = &docs[i].text;
            let s = split_sentences(t);
            s.len() >= 8 && s.iter().filter(|r| word_spans(&t[(*r).clone()]).len() >= 8).count() >= 6
        })
        .collect();
    println!("{total} articles; sample {CORPUS}; {} eligible originals (≥ 8 sentences)", eligible.len());
    rng.shuffle(&mut eligible);
    eligible.truncate(PLANTED);
    eligible.sort_unstable();

    let mut copies: Vec<Copy> = Vec::new();
    let (mut dropped, mut changed, mut bp_lines) = (0usize, 0usize, 0usize);
    for (n, &o) in eligible.iter().enumerate() {
        let text = docs[o].text.clone();
        let mut sentences: Vec<(usize, usize)> = split_sentences(&text).into_iter().map(|r| (r.start, r.end)).collect();
        // Drop one or two sentences.
        for _ in 0..1 + rng.below(2) {
            let k = rng.below(sentences.len());
            sentences.remove(k);
            dropped += 1;
        }
        // Swap two sentences.
        let (a, b) = (rng.below(sentences.len()), rng.below(sentences.len()));
        sentences.swap(a, b);
        // Boilerplate: one to three lines, top or bottom.
        let mut lines: Vec<&str> = vec![READ_MORE[rng.below(2)]];
        if rng.below(2) == 0 {
            lines.push(COMMENT[rng.below(2)]);
        }
        if rng.below(2) == 0 {
            lines.push(SHARE[rng.below(2)]);
        }
        bp_lines += lines.len();
        let top = rng.below(3) == 0;
        let mut out = String::new();
        if top {
            out.push_str(lines[0]);
            out.push('\n');
        }
        let mut kept = Vec::new();
        for (i, &(s, e)) in sentences.iter().enumerate() {
            let original = &text[s..e];
            // Change about one word in 25.
            let spans = word_spans(original);
            let mut edited = String::new();
            let mut at = 0;
            for &(ws, we) in &spans {
                if rng.below(25) == 0 {
                    edited.push_str(&original[at..ws]);
                    edited.push_str(&pool[rng.below(pool.len())]);
                    at = we;
                    changed += 1;
                }
            }
            edited.push_str(&original[at..]);
            let start = out.len();
            out.push_str(&edited);
            let end = out.len();
            if spans.len() >= 8 {
                kept.push(((start, end), (s, e), spans.len()));
            }
            out.push_str(if i % 4 == 3 { "\n" } else { " " });
        }
        for (i, line) in lines.iter().enumerate() {
            if top && i == 0 {
                continue;
            }
            out.push('\n');
            out.push_str(line);
        }
        let date = docs[o].date.as_deref().map(|d| later(d, 1 + (n % 5) as i64));
        docs.push(Doc { id: format!("copy-{n:03}-of-{}", docs[o].id), date, text: out });
        copies.push(Copy { original: o, kept });
    }
    println!(
        "planted {} copies: {dropped} sentences dropped, {changed} words changed, {bp_lines} boilerplate lines",
        copies.len()
    );

    // Insertion order: random (copies anywhere), or by date.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    rng.shuffle(&mut order);
    let by_date = std::env::var("ORDER").is_ok_and(|v| v == "date");
    if by_date {
        order.sort_by(|&a, &b| docs[a].date.cmp(&docs[b].date));
    }
    let mut slot = vec![0u32; docs.len()]; // doc index → index position
    for (p, &d) in order.iter().enumerate() {
        slot[d] = p as u32;
    }
    let start = Instant::now();
    let mut index = ReuseIndex::new();
    for &d in &order {
        index.add_document(&docs[d].id, docs[d].date.as_deref(), &docs[d].text);
    }
    println!(
        "order: {}; {} documents added in {:.2} s",
        if by_date { "date" } else { "random" },
        docs.len(),
        start.elapsed().as_secs_f64()
    );

    // (a) Whole-document near-duplicates.
    let copy_base = CORPUS;
    let planted: BTreeSet<(u32, u32)> = copies
        .iter()
        .enumerate()
        .map(|(c, cp)| {
            let (x, y) = (slot[copy_base + c], slot[cp.original]);
            (x.min(y), x.max(y))
        })
        .collect();
    let reported: BTreeMap<(u32, u32), (f32, f32)> =
        index.duplicate_pairs().iter().map(|d| ((d.a.min(d.b), d.a.max(d.b)), (d.similarity, d.coverage))).collect();
    let keys: Vec<Vec<String>> = order.iter().map(|&d| word_keys(&docs[d].text)).collect();
    let tp = reported.keys().filter(|k| planted.contains(k)).count();
    let mut genuine = 0usize;
    let mut false_pos = Vec::new();
    let mut genuine_between_copies = 0usize;
    let mut genuine_cov6 = 0usize;
    let mut nonplanted_c5 = Vec::new();
    for (&(a, b), &(j, cov)) in &reported {
        if planted.contains(&(a, b)) {
            continue;
        }
        let c5 = containment5(&keys[a as usize], &keys[b as usize]);
        let c6 = coverage6(&keys[a as usize], &keys[b as usize]);
        genuine_cov6 += (c6 >= 0.7) as usize;
        nonplanted_c5.push(c5);
        if c5 >= 0.5 {
            genuine += 1;
            if order[a as usize] >= copy_base || order[b as usize] >= copy_base {
                genuine_between_copies += 1;
            }
        } else {
            false_pos.push((a, b, j, cov, c5, c6));
        }
    }
    let missed: Vec<(u32, u32)> = planted.iter().filter(|k| !reported.contains_key(k)).copied().collect();
    let n_rep = reported.len();
    println!("\n(a) whole-document near-duplicates (pairs from duplicate_pairs)");
    println!("| measure | value |");
    println!("|---|---|");
    println!("| planted pairs | {} |", planted.len());
    println!("| reported pairs | {n_rep} |");
    println!("| planted pairs found (TP) | {tp} |");
    println!(
        "| non-planted, genuine (containment5 ≥ 0.5) | {genuine} (of which {genuine_between_copies} involve a copy) |"
    );
    println!("| non-planted, not genuine (FP) | {} |", false_pos.len());
    println!(
        "| (alternative bar: exact 6-gram coverage of the shorter ≥ 0.7) adjusted precision | {:.3} |",
        (tp + genuine_cov6) as f64 / n_rep.max(1) as f64
    );
    let planted_c5: Vec<f64> =
        planted.iter().map(|&(a, b)| containment5(&keys[a as usize], &keys[b as usize])).collect();
    let hist = |v: &[f64]| -> String {
        let mut h = [0usize; 10];
        for &x in v {
            h[((x * 10.0) as usize).min(9)] += 1;
        }
        format!("{h:?}")
    };
    println!("| containment5 histogram (deciles), planted pairs | {} |", hist(&planted_c5));
    println!("| containment5 histogram (deciles), non-planted reported | {} |", hist(&nonplanted_c5));
    println!("| recall | {:.3} |", tp as f64 / planted.len() as f64);
    println!("| raw precision (TP / reported) | {:.3} |", tp as f64 / n_rep.max(1) as f64);
    println!("| adjusted precision ((TP + genuine) / reported) | {:.3} |", (tp + genuine) as f64 / n_rep.max(1) as f64);
    let show = |a: u32, b: u32| {
        let (da, db) = (&docs[order[a as usize]], &docs[order[b as usize]]);
        let head = |t: &str| t.chars().take(160).collect::<String>().replace('\n', " / ");
        println!("    {} ({} B): {}", da.id, da.text.len(), head(&da.text));
        println!("    {} ({} B): {}", db.id, db.text.len(), head(&db.text));
    };
    for (k, &(a, b, j, cov, c5, c6)) in false_pos.iter().enumerate() {
        let (da, db) = (&docs[order[a as usize]], &docs[order[b as usize]]);
        println!("  FP J {j:.2} cov {cov:.2} containment5 {c5:.2} cov6 {c6:.2}: {} / {}", da.id, db.id);
        if k < 8 && std::env::var_os("SHOW_FP").is_some() {
            show(a, b);
        }
    }
    for &(a, b) in missed.iter().take(8) {
        let sig_j = {
            let (x, y) = (&index.documents()[a as usize], &index.documents()[b as usize]);
            (x.id.clone(), y.id.clone())
        };
        let c5 = containment5(&keys[a as usize], &keys[b as usize]);
        let bj = {
            let big = |w: &[String]| -> HashSet<String> { w.windows(2).map(|g| g.join(" ")).collect() };
            let (x, y) = (big(&keys[a as usize]), big(&keys[b as usize]));
            x.intersection(&y).count() as f64 / x.union(&y).count().max(1) as f64
        };
        println!(
            "  missed {} / {}: exact bigram Jaccard {bj:.2}, containment5 {c5:.2}, words {} / {}",
            sig_j.0,
            sig_j.1,
            keys[a as usize].len(),
            keys[b as usize].len()
        );
    }

    // (b) Passages.
    let passages = index.passages();
    let mut by_pair: HashMap<(u32, u32), Vec<usize>> = HashMap::new();
    for (i, p) in passages.iter().enumerate() {
        by_pair.entry((p.a.0, p.b.0)).or_default().push(i);
    }
    let (mut kept_total, mut kept_found, mut kept_found_strict) = (0usize, 0usize, 0usize);
    let (mut co_passages, mut co_correct, mut co_no_kept) = (0usize, 0usize, 0usize);
    let mut missed_sentences = Vec::new();
    for (c, cp) in copies.iter().enumerate() {
        let (cs, os) = (slot[copy_base + c], slot[cp.original]);
        // Passages between the two, as (copy span, original span).
        let mut spans: Vec<((usize, usize), (usize, usize))> = Vec::new();
        for key in [(cs, os), (os, cs)] {
            for &i in by_pair.get(&key).into_iter().flatten() {
                let p = passages[i];
                let (pa, pb) = ((p.a.1 as usize, p.a.2 as usize), (p.b.1 as usize, p.b.2 as usize));
                spans.push(if p.a.0 == cs { (pa, pb) } else { (pb, pa) });
            }
        }
        let copy_text = &docs[copy_base + c].text;
        let copy_words = word_spans(copy_text);
        for &((s, e), (os_, oe), _) in &cp.kept {
            kept_total += 1;
            let inside: Vec<&(usize, usize)> = copy_words.iter().filter(|w| w.0 >= s && w.1 <= e).collect();
            let covered = |span: (usize, usize)| {
                inside.iter().filter(|w| w.0 >= span.0 && w.1 <= span.1).count() as f64 / inside.len().max(1) as f64
            };
            let hit = spans.iter().any(|&(cspan, _)| covered(cspan) >= 0.9);
            let strict =
                spans.iter().any(|&(cspan, ospan)| covered(cspan) >= 0.9 && os_ >= ospan.0 && oe <= ospan.1 + 2);
            kept_found += hit as usize;
            kept_found_strict += strict as usize;
            if !hit {
                missed_sentences.push((c, s, e));
            }
        }
        for &(cspan, ospan) in &spans {
            co_passages += 1;
            let inside: Vec<_> = cp.kept.iter().filter(|k| k.0 .0 + 1 >= cspan.0 && k.0 .1 <= cspan.1 + 2).collect();
            if inside.is_empty() {
                co_no_kept += 1;
                continue;
            }
            if inside.iter().all(|k| k.1 .0 + 1 >= ospan.0 && k.1 .1 <= ospan.1 + 2) {
                co_correct += 1;
            }
        }
    }
    let docs_in_index = index.documents();
    let mut all_ok = 0usize;
    let mut all_bad = Vec::new();
    for p in passages {
        let ta = &docs_in_index[p.a.0 as usize].text[p.a.1 as usize..p.a.2 as usize];
        let tb = &docs_in_index[p.b.0 as usize].text[p.b.1 as usize..p.b.2 as usize];
        let j = jaccard(&word_keys(ta), &word_keys(tb));
        if j >= 0.5 {
            all_ok += 1;
        } else {
            all_bad.push((j, ta.to_string(), tb.to_string(), p.a.0 == p.b.0, p.words, p.similarity));
        }
    }
    println!("\n(b) passages (copy ↔ original, kept sentences ≥ 8 words)");
    println!("| measure | value |");
    println!("|---|---|");
    println!("| kept sentences | {kept_total} |");
    println!(
        "| recall: ≥ 90% of the sentence's words inside a reported copy↔original passage | {:.3} ({kept_found}) |",
        kept_found as f64 / kept_total as f64
    );
    println!(
        "| recall, strict: and the original sentence inside the passage's other span | {:.3} ({kept_found_strict}) |",
        kept_found_strict as f64 / kept_total as f64
    );
    println!("| reported copy↔original passages | {co_passages} |");
    println!(
        "| precision: passages whose kept sentences all map into the other span | {:.3} ({co_correct} of {}; {co_no_kept} hold no whole kept sentence) |",
        co_correct as f64 / (co_passages - co_no_kept).max(1) as f64,
        co_passages - co_no_kept
    );
    println!("| all reported passages (all pairs, incl. repeats) | {} |", passages.len());
    println!(
        "| precision (all): span word-set Jaccard ≥ 0.5 | {:.3} ({all_ok}) |",
        all_ok as f64 / passages.len().max(1) as f64
    );
    for &(c, s, e) in missed_sentences.iter().take(6) {
        let t = &docs[copy_base + c].text[s..e];
        println!("  missed sentence in copy-{c:03}: {}", t.chars().take(200).collect::<String>());
    }
    all_bad.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
    let odd = passages.iter().filter(|p| p.similarity > 1.0 + 1e-6 || p.words.0.min(p.words.1) < 6).count();
    let odd_repeats = passages
        .iter()
        .filter(|p| p.a.0 == p.b.0 && (p.similarity > 1.0 + 1e-6 || p.words.0.min(p.words.1) < 6))
        .count();
    let over_one = passages.iter().filter(|p| p.similarity > 1.0 + 1e-6).count();
    println!(
        "  passage rows with similarity > 1 or a span under 6 words: {odd} ({odd_repeats} repeats inside one document; {over_one} with similarity > 1)"
    );
    let repeats_bad = all_bad.iter().filter(|x| x.3).count();
    println!("  passages under the bar: {} ({repeats_bad} of them repeats inside one document)", all_bad.len());
    for (j, a, b, same, w, sim) in all_bad.iter().take(4) {
        println!(
            "  low-Jaccard passage {j:.2} (same doc: {same}, words {w:?}, similarity {sim:.2}):\n    A: {}\n    B: {}",
            a.chars().take(160).collect::<String>(),
            b.chars().take(160).collect::<String>()
        );
    }
}
