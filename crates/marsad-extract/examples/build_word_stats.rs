//! Builds `data/models/word-clusters-ar.txt`: distributional word classes
//! and per-word corpus statistics learned from unlabeled news, read by the
//! NER features (see `ner::wordstats`).
//!
//! ```text
//! cargo run -p marsad-extract --release --example build_word_stats -- \
//!     ../shared/corpus/saudinewsnet data/models/word-clusters-ar.txt [VOCAB [SEED]]
//! ```
//!
//! The input is a directory of JSON arrays of articles (`title`, `content`),
//! as SaudiNewsNet. Every text goes through `marsad_text::tokenize`; a word
//! is keyed by its base (`gazetteer::word_key`), exactly the key the tagger
//! looks it up by. Sentences end where the tagger ends them (`.`, `!`, `?`,
//! `؟`, line breaks). `SHOW_CLUSTERS=1` prints some classes to look at.
//!
//! # Clusters
//!
//! For each of the `VOCAB` (default 80,000; SaudiNewsNet has ~50,000) most
//! frequent word keys seen at least 5 times, a sparse context vector:
//! positive PMI (context distribution smoothed with exponent 0.75) with each
//! of the 3,000 most frequent normalized words — clitics kept: الرئيس and
//! في are telling as they are — at positions −2, −1, +1, +2, plus the
//! sentence boundary; L2-normalized. The words are then clustered by
//! spherical k-means (cosine, k-means++ seeding from a fixed seed),
//! hierarchically: 32 classes, each split into 16, each of those into 8 —
//! 4,096 leaves, written as one number `c1·128 + c2·8 + c3`, so that
//! `id >> 7` and `id >> 3` are the coarser classes. A cheap stand-in for
//! Brown clusters: words used in the same contexts (given names; foreign
//! surnames; cities; organisation heads) share a class, also when ANERcorp
//! never saw them. It is done twice with different seeds: k-means lands in
//! a local optimum, and two clusterings as features average out some of the
//! luck of each (dev F1 +0.75 over one).
//!
//! Tried and dropped (dev F1 no better, see `data/models/ner-ar.md`): words
//! seen 3+ times instead of 5+ (rare words' vectors are noise), 1,500 or
//! 8,000 context words, a random projection to 128 dense dimensions (much
//! worse classes), a third clustering from positions ±1 only, and more
//! per-word shares (after a given name, after a reporting verb, after
//! في/من/إلى).
//!
//! # Statistics
//!
//! For each word key, bucketed: the share of its Arabic occurrences that
//! carry the article ال (names rarely do), the share that follow a person
//! title of the gazetteer, and log2 of its frequency.
//!
//! Deterministic: the same corpus and arguments give the same file. Takes
//! about 20 s on one core.

use std::collections::BinaryHeap;
use std::io::Write;

use marsad_extract::gazetteer::{self, gazetteer};
use marsad_text::{Token, TokenKind};
use rustc_hash::FxHashMap;

const CONTEXTS: usize = 3000;
const POSITIONS: [isize; 4] = [-2, -1, 1, 2];
const SPLITS: [usize; 3] = [32, 16, 8];
const MIN_FREQ: u32 = 5;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "../shared/corpus/saudinewsnet".to_owned());
    let out_path = args.next().unwrap_or_else(|| "data/models/word-clusters-ar.txt".to_owned());
    let vocab_size: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(80_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);

    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut texts: Vec<String> = Vec::new();
    for p in &paths {
        let raw = std::fs::read_to_string(p).expect("read");
        let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(&raw) else { continue };
        for item in items {
            for field in ["title", "content"] {
                if let Some(c) = item.get(field).and_then(|c| c.as_str()) {
                    texts.push(c.to_owned());
                }
            }
        }
    }
    eprintln!("{} texts from {} files", texts.len(), paths.len());

    // Pass 1: interned keys and context words, frequencies, statistics.
    let gaz = gazetteer();
    let mut key_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut keys: Vec<String> = Vec::new();
    let mut ctx_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut ctx_words: Vec<String> = Vec::new();
    // Per key: occurrences, Arabic-script occurrences, with the article,
    // right after a person title.
    let mut freq: Vec<[u32; 4]> = Vec::new();
    let mut ctx_freq: Vec<u32> = Vec::new();
    // Each text as sentences of (key id, context id), u32::MAX for none.
    let mut docs: Vec<Vec<(u32, u32)>> = Vec::with_capacity(texts.len());
    let mut total_tokens = 0usize;
    for text in &texts {
        let tokens = marsad_text::tokenize(text);
        total_tokens += tokens.len();
        let mut seq = Vec::with_capacity(tokens.len() + 1);
        let mut prev_title = false;
        let mut prev: Option<&Token> = None;
        for t in &tokens {
            // Sentence breaks as the tagger sees them: . ! ? ؟ and line breaks.
            if let Some(p) = prev {
                let gap = text.get(p.span.end..t.span.start).unwrap_or("");
                if gap.contains('\n') {
                    seq.push((u32::MAX - 1, u32::MAX - 1));
                    prev_title = false;
                }
            }
            prev = Some(t);
            let ctx_word: &str = match t.kind {
                TokenKind::Number => "<num>",
                _ => &t.normalized,
            };
            let c = *ctx_ids.entry(ctx_word.to_owned()).or_insert_with(|| {
                ctx_words.push(ctx_word.to_owned());
                ctx_freq.push(0);
                (ctx_words.len() - 1) as u32
            });
            ctx_freq[c as usize] += 1;
            let mut k = u32::MAX;
            let key = gazetteer::word_key(t);
            if matches!(t.kind, TokenKind::Word | TokenKind::Latin) {
                k = *key_ids.entry(key.to_owned()).or_insert_with(|| {
                    keys.push(key.to_owned());
                    freq.push([0; 4]);
                    (keys.len() - 1) as u32
                });
                let f = &mut freq[k as usize];
                f[0] += 1;
                if t.kind == TokenKind::Word {
                    f[1] += 1;
                    if t.segmentation.article {
                        f[2] += 1;
                    }
                    if prev_title {
                        f[3] += 1;
                    }
                }
            }
            let flags = gaz.word_flags(key);
            prev_title = t.kind != TokenKind::Punct && flags & gazetteer::PERSON_TITLE != 0;
            seq.push((k, c));
            if t.kind == TokenKind::Punct && matches!(t.normalized.as_str(), "." | "!" | "?" | "؟") {
                seq.push((u32::MAX - 1, u32::MAX - 1));
                prev_title = false;
            }
        }
        docs.push(seq);
    }
    drop(texts);
    eprintln!("{total_tokens} tokens, {} word keys, {} context words", keys.len(), ctx_words.len());

    // Vocabulary: most frequent keys (ties by key, for determinism).
    let mut order: Vec<u32> = (0..keys.len() as u32).filter(|&k| freq[k as usize][0] >= MIN_FREQ).collect();
    order.sort_by(|&a, &b| freq[b as usize][0].cmp(&freq[a as usize][0]).then(keys[a as usize].cmp(&keys[b as usize])));
    order.truncate(vocab_size);
    let mut vocab_of = vec![u32::MAX; keys.len()];
    for (v, &k) in order.iter().enumerate() {
        vocab_of[k as usize] = v as u32;
    }
    let mut corder: Vec<u32> = (0..ctx_words.len() as u32).collect();
    corder.sort_by(|&a, &b| {
        ctx_freq[b as usize].cmp(&ctx_freq[a as usize]).then(ctx_words[a as usize].cmp(&ctx_words[b as usize]))
    });
    corder.truncate(CONTEXTS);
    let mut cvocab_of = vec![u32::MAX; ctx_words.len()];
    for (v, &c) in corder.iter().enumerate() {
        cvocab_of[c as usize] = v as u32;
    }
    // Boundary context: index CONTEXTS.
    let nctx = CONTEXTS + 1;
    let ctx_index = |c: u32| -> Option<usize> {
        if c == u32::MAX - 1 {
            Some(CONTEXTS)
        } else {
            let v = cvocab_of[c as usize];
            (v != u32::MAX).then_some(v as usize)
        }
    };

    // Pass 2: co-occurrence counts.
    let nv = order.len();
    let mut pairs: FxHashMap<u64, u32> = FxHashMap::default();
    let mut pos_totals = [0u64; POSITIONS.len()];
    let mut ctx_totals = vec![[0u64; POSITIONS.len()]; nctx];
    let mut word_totals = vec![[0u64; POSITIONS.len()]; nv];
    for seq in &docs {
        let n = seq.len() as isize;
        for i in 0..n {
            let (k, _) = seq[i as usize];
            if k >= u32::MAX - 1 {
                continue;
            }
            let v = vocab_of[k as usize];
            if v == u32::MAX {
                continue;
            }
            for (pi, &d) in POSITIONS.iter().enumerate() {
                let j = i + d;
                // Stop at a sentence break; beyond the text is a break too.
                let mut crossed = j < 0 || j >= n;
                if !crossed {
                    let (lo, hi) = if d < 0 { (j, i) } else { (i + 1, j + 1) };
                    crossed = seq[lo as usize..hi as usize].iter().any(|&(k, _)| k == u32::MAX - 1);
                }
                let c = if crossed { Some(CONTEXTS) } else { ctx_index(seq[j as usize].1) };
                if let Some(c) = c {
                    *pairs.entry(((pi as u64) << 56) | ((v as u64) << 24) | c as u64).or_default() += 1;
                    pos_totals[pi] += 1;
                    ctx_totals[c][pi] += 1;
                    word_totals[v as usize][pi] += 1;
                }
            }
        }
    }
    drop(docs);
    eprintln!("{} co-occurrence pairs", pairs.len());

    // PPMI vectors (sparse; context distribution smoothed, alpha 0.75).
    let smoothed: Vec<[f64; POSITIONS.len()]> = ctx_totals
        .iter()
        .map(|t| {
            let mut s = [0f64; POSITIONS.len()];
            for (s, &t) in s.iter_mut().zip(t) {
                *s = (t as f64).powf(0.75);
            }
            s
        })
        .collect();
    let mut smoothed_totals = [0f64; POSITIONS.len()];
    for s in &smoothed {
        for (t, x) in smoothed_totals.iter_mut().zip(s) {
            *t += x;
        }
    }
    let mut rows: Vec<Vec<(u32, f32)>> = vec![Vec::new(); nv];
    let mut entries: Vec<(u64, u32)> = pairs.into_iter().collect();
    entries.sort_unstable();
    for (key, n) in entries {
        let pi = (key >> 56) as usize;
        let v = ((key >> 24) & 0xFFFF_FFFF) as usize;
        let c = (key & 0xFF_FFFF) as usize;
        let p_wc = n as f64 / word_totals[v][pi] as f64;
        let p_c = smoothed[c][pi] / smoothed_totals[pi];
        let pmi = (p_wc / p_c).ln();
        if pmi <= 0.0 {
            continue;
        }
        rows[v].push(((pi * nctx + c) as u32, pmi as f32));
    }
    for r in &mut rows {
        let n = r.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
        if n > 0.0 {
            r.iter_mut().for_each(|(_, x)| *x /= n);
        }
    }
    let dims = POSITIONS.len() * nctx;

    // Hierarchical spherical k-means, twice with different seeds.
    let cluster = |rows: &[Vec<(u32, f32)>], seed: u64| -> Vec<u32> {
        let mut ids = vec![0u32; nv];
        let mut groups: Vec<Vec<usize>> = vec![(0..nv).collect()];
        for (level, &k) in SPLITS.iter().enumerate() {
            let mut next_groups = Vec::new();
            for (g, members) in groups.iter().enumerate() {
                let assign = kmeans(rows, dims, members, k, seed + (level * 10_000 + g) as u64);
                let mut sub: Vec<Vec<usize>> = vec![Vec::new(); k];
                for (&m, &a) in members.iter().zip(&assign) {
                    ids[m] = ids[m] * k as u32 + a as u32;
                    sub[a].push(m);
                }
                next_groups.extend(sub);
            }
            groups = next_groups;
            eprintln!("seed {seed}, level {}: {} classes", level + 1, groups.len());
        }
        ids
    };
    let ids = cluster(&rows, seed);
    let ids2 = cluster(&rows, seed + 1000);

    // Write.
    let mut out = std::io::BufWriter::new(std::fs::File::create(&out_path).expect("create output"));
    writeln!(
        out,
        "# source: build_word_stats over {} ({} files, {} tokens; SaudiNewsNet, CC BY-NC-SA 4.0); {} word keys with >= {} occurrences",
        dir, paths.len(), total_tokens, nv, MIN_FREQ
    )
    .unwrap();
    writeln!(
        out,
        "# command: cargo run -p marsad-extract --release --example build_word_stats -- {dir} {out_path} {vocab_size}"
    )
    .unwrap();
    writeln!(out, "# columns: word key (base); cluster (c1*128+c2*8+c3 of a 32/16/8 hierarchical spherical k-means over PPMI context vectors); second cluster (same, k-means seeded differently); article share bucket 0-4; after-title share bucket 0-3; log2 frequency").unwrap();
    for (v, &k) in order.iter().enumerate() {
        let f = freq[k as usize];
        let al = bucket(f[2], f[1], &[0.02, 0.15, 0.5, 0.85]);
        let title = bucket(f[3], f[1], &[0.01, 0.05, 0.2]);
        let lf = 31 - f[0].leading_zeros();
        writeln!(out, "{}\t{}\t{}\t{}\t{}\t{}", keys[k as usize], ids[v], ids2[v], al, title, lf).unwrap();
    }
    out.flush().unwrap();
    // A few classes, for a look.
    if std::env::var_os("SHOW_CLUSTERS").is_some() {
        let mut by: FxHashMap<u32, Vec<&str>> = FxHashMap::default();
        for (v, &k) in order.iter().enumerate() {
            by.entry(ids[v]).or_default().push(&keys[k as usize]);
        }
        let mut heap: BinaryHeap<(usize, u32)> = by.iter().map(|(&c, w)| (w.len(), c)).collect();
        for _ in 0..40 {
            if let Some((_, c)) = heap.pop() {
                let w = &by[&c];
                eprintln!("{c}: {}", w.iter().take(15).copied().collect::<Vec<_>>().join(" "));
            }
        }
        for probe in ["محمد", "بوتين", "موسكو", "وزارة", "شركة", "فيفا", "الرياض", "جون", "ميسي"]
        {
            if let Some(&k) = key_ids.get(marsad_text::tokenize(probe)[0].base()) {
                let v = vocab_of[k as usize];
                if v != u32::MAX {
                    let c = ids[v as usize];
                    eprintln!("{probe} -> {c}: {}", by[&c].iter().take(20).copied().collect::<Vec<_>>().join(" "));
                }
            }
        }
    }
    eprintln!("wrote {out_path}");
}

fn bucket(part: u32, whole: u32, edges: &[f64]) -> usize {
    if whole == 0 {
        return 0;
    }
    let share = part as f64 / whole as f64;
    edges.iter().take_while(|&&e| share >= e).count()
}

/// Spherical k-means of `members` (sparse unit rows) into `k` classes,
/// k-means++ seeding from a fixed seed. Returns one class per member.
fn kmeans(rows: &[Vec<(u32, f32)>], dims: usize, members: &[usize], k: usize, seed: u64) -> Vec<usize> {
    let n = members.len();
    let mut assign = vec![0usize; n];
    if n <= k {
        for (i, a) in assign.iter_mut().enumerate() {
            *a = i;
        }
        return assign;
    }
    let sdot = |r: &[(u32, f32)], c: &[f32]| -> f32 { r.iter().map(|&(d, x)| x * c[d as usize]).sum() };
    let densify = |r: &[(u32, f32)], out: &mut [f32]| {
        out.iter_mut().for_each(|x| *x = 0.0);
        for &(d, x) in r {
            out[d as usize] = x;
        }
    };
    let mut rng = SplitMix(seed);
    let mut centers = vec![0f32; k * dims];
    densify(&rows[members[(rng.next() % n as u64) as usize]], &mut centers[..dims]);
    let mut best = vec![f32::MAX; n];
    for c in 1..k {
        let last = &centers[(c - 1) * dims..][..dims];
        let mut total = 0f64;
        for (i, &m) in members.iter().enumerate() {
            let d = (1.0 - sdot(&rows[m], last)).max(0.0);
            if d < best[i] {
                best[i] = d;
            }
            total += f64::from(best[i] * best[i]);
        }
        let mut target = (rng.next() as f64 / u64::MAX as f64) * total;
        let mut pick = n - 1;
        for (i, &b) in best.iter().enumerate() {
            target -= f64::from(b * b);
            if target <= 0.0 {
                pick = i;
                break;
            }
        }
        let (_, rest) = centers.split_at_mut(c * dims);
        densify(&rows[members[pick]], &mut rest[..dims]);
    }
    for _ in 0..25 {
        let mut changed = 0;
        for (i, &m) in members.iter().enumerate() {
            let r = &rows[m];
            let mut bi = 0;
            let mut bs = f32::MIN;
            for c in 0..k {
                let s = sdot(r, &centers[c * dims..][..dims]);
                if s > bs {
                    bs = s;
                    bi = c;
                }
            }
            if assign[i] != bi {
                changed += 1;
                assign[i] = bi;
            }
        }
        centers.iter_mut().for_each(|x| *x = 0.0);
        for (i, &m) in members.iter().enumerate() {
            let c = &mut centers[assign[i] * dims..][..dims];
            for &(d, x) in &rows[m] {
                c[d as usize] += x;
            }
        }
        for c in centers.chunks_mut(dims) {
            let n = c.iter().map(|x| x * x).sum::<f32>().sqrt();
            if n > 0.0 {
                c.iter_mut().for_each(|x| *x /= n);
            }
        }
        if changed * 1000 < n {
            break;
        }
    }
    assign
}

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}
