//! Extractive summaries: the salient sentences of a set of documents, each
//! said once, in date order, with its exact source.
//!
//! # How sentences are chosen
//!
//! 1. **Candidates.** Every sentence of every document (the extraction
//!    layer's sentence split), trimmed; sentences with fewer than
//!    [`MIN_TERMS`] content terms (bylines, datelines, captions) are not
//!    candidates. With a focus entity, only sentences that mention it (a
//!    mention whose local entity maps to that corpus id) are.
//! 2. **One copy per statement.** Sentences whose stem sets overlap heavily
//!    (Jaccard ≥ [`SAME_JACCARD`]) or whose TF-IDF cosine is at least
//!    [`SAME_COSINE`] are grouped: a sentence syndicated across outlets is
//!    one candidate, represented by its earliest occurrence. The group's
//!    reuse count (the larger of the reuse layer's count and the number of
//!    other documents in the group) raises its salience instead of letting
//!    it appear several times.
//! 3. **Salience.** Centrality is LexRank (PageRank over the cosine graph of
//!    the groups, edges below 0.1 dropped): a sentence many others echo is
//!    what the documents agree on. It is combined with what makes a news
//!    sentence informative to an analyst — entities that recur across the
//!    documents, resolved dates and events, quotations, reuse, and lead
//!    position — and discounted for very short, very long and unterminated
//!    (headline-like) sentences. Weights are in `salience`.
//! 4. **Selection** is greedy maximal marginal relevance: the next sentence
//!    maximises salience minus its similarity to what is already chosen,
//!    and a sentence too close to a chosen one (Jaccard ≥ [`REDUNDANT_JACCARD`],
//!    cosine ≥ [`REDUNDANT_COSINE`], or 40% of the shorter one's stems in the
//!    other, [`REDUNDANT_OVERLAP`]) is never chosen. Sentences whose
//!    dated events are already covered are scored down, so a summary of a
//!    story that spans several meetings covers each rather than the best
//!    documented one five times.
//! 5. **Order.** The chosen sentences are returned by document date, then
//!    document, then position, each with its document id, date and byte
//!    span.

use std::ops::Range;

use marsad_extract::DocumentAnalysis;
use marsad_text::UnionFind;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::terms::sparse_dot;

/// Content terms a sentence needs to be a candidate.
pub const MIN_TERMS: usize = 5;
/// Stem-set Jaccard at which two sentences are one statement (copies).
pub const SAME_JACCARD: f32 = 0.6;
/// TF-IDF cosine at which two sentences are one statement.
pub const SAME_COSINE: f32 = 0.8;
/// Stem-set Jaccard with a chosen sentence that rules a candidate out.
pub const REDUNDANT_JACCARD: f32 = 0.3;
/// TF-IDF cosine with a chosen sentence that rules a candidate out.
pub const REDUNDANT_COSINE: f32 = 0.45;
/// Share of the shorter sentence's stems found in the other that rules a
/// candidate out: two outlets' wordings of one fact (applied to sentences of
/// documents at most [`SAME_FACT_DAYS`] apart).
pub const REDUNDANT_OVERLAP: f32 = 0.4;
/// Days between two documents within which two sentences sharing most words
/// can report one fact; further apart, the same names and words describe
/// another happening (the 2023 and the 2024 meeting of the same leaders).
pub const SAME_FACT_DAYS: i32 = 3;
/// Candidates considered at most (the leading sentences of each document
/// are preferred when there are more).
pub const MAX_CANDIDATES: usize = 3000;
/// Sentences in a summary when neither a sentence nor a word budget is set.
pub const DEFAULT_SENTENCES: usize = 5;

/// One document to summarize, with its analysis.
#[derive(Clone, Copy, Debug)]
pub struct SummaryInput<'a> {
    /// The document's id, copied into [`SummarySentence::doc`].
    pub id: &'a str,
    /// Publication date, ISO; when `None`, the analysis's anchor date is
    /// used.
    pub date: Option<&'a str>,
    /// The text the analysis was made on.
    pub text: &'a str,
    /// The extraction result for `text`: sentences, entities, dates.
    pub analysis: &'a DocumentAnalysis,
    /// For each local entity of `analysis`, its corpus entity id.
    pub entity_ids: &'a [String],
    /// For each sentence of `analysis`, in how many other documents it is
    /// reused (may be empty: no reuse information).
    pub sentence_reuse: &'a [usize],
}

/// How long a summary is and what it is about.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryOptions {
    /// At most this many sentences.
    pub sentences: Option<usize>,
    /// At most this many words in all.
    pub words: Option<usize>,
    /// Only sentences mentioning this corpus entity id.
    pub focus_entity: Option<String>,
}

/// One sentence of a summary; `text == doc_text[start..end]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummarySentence {
    /// The sentence as written.
    pub text: String,
    /// Id of the document it comes from.
    pub doc: String,
    /// That document's date, ISO, if known.
    pub date: Option<String>,
    /// Byte offset of the sentence in the document text.
    pub start: usize,
    /// Byte offset of its end (exclusive).
    pub end: usize,
}

/// A candidate sentence.
struct Candidate {
    doc: usize,
    /// Index of the sentence in its document.
    position: usize,
    span: Range<usize>,
    words: usize,
    /// Unit TF-IDF vector, sorted by term id.
    vector: Vec<(u32, f32)>,
    /// Stem set, sorted.
    stems: Vec<u32>,
    entities: Vec<String>,
    /// Year-months of the non-relative dates it states.
    months: Vec<String>,
    has_date: f32,
    has_event: bool,
    quote: f32,
    reuse: usize,
    terminated: bool,
}

/// The summary of `docs` (see the module docs).
pub fn summarize(docs: &[SummaryInput<'_>], options: SummaryOptions) -> Vec<SummarySentence> {
    let max_sentences = match (options.sentences, options.words) {
        (Some(n), _) => n,
        (None, Some(_)) => usize::MAX,
        (None, None) => DEFAULT_SENTENCES,
    };
    let max_words = options.words.unwrap_or(usize::MAX);
    if max_sentences == 0 || max_words == 0 {
        return Vec::new();
    }
    let dates: Vec<Option<String>> = docs
        .iter()
        .map(|d| {
            d.date
                .and_then(|s| s.get(..10).or(Some(s)))
                .map(str::to_owned)
                .or_else(|| d.analysis.anchor.as_ref().map(|a| a.date.clone()))
        })
        .collect();
    let days: Vec<Option<i32>> = dates.iter().map(|d| d.as_deref().and_then(crate::stories::parse_days)).collect();
    let mut cands = candidates(docs, options.focus_entity.as_deref());
    if cands.is_empty() {
        return Vec::new();
    }

    // Groups of sentences that say the same thing.
    let n = cands.len();
    let sims = similarity_lists(&cands);
    let mut same = UnionFind::new(n);
    for (i, list) in sims.iter().enumerate() {
        for &(j, cos) in list {
            if cos >= SAME_COSINE || jaccard(&cands[i].stems, &cands[j].stems) >= SAME_JACCARD {
                same.union(i, j);
            }
        }
    }
    let mut members: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for i in 0..n {
        let r = same.find(i);
        members.entry(r).or_default().push(i);
    }
    // Representative: earliest dated, then first document, then position.
    let order_key = |c: &Candidate| (dates[c.doc].is_none(), dates[c.doc].clone(), c.doc, c.position);
    let mut groups: Vec<Vec<usize>> = members.into_values().collect();
    for g in &mut groups {
        g.sort_by_key(|&i| order_key(&cands[i]));
    }
    groups.sort_by_key(|g| g[0]);
    let reps: Vec<usize> = groups.iter().map(|g| g[0]).collect();
    for g in &groups {
        let mut other_docs: Vec<usize> = g.iter().map(|&i| cands[i].doc).collect();
        other_docs.sort_unstable();
        other_docs.dedup();
        let reuse = g.iter().map(|&i| cands[i].reuse).max().unwrap_or(0).max(other_docs.len() - 1);
        cands[g[0]].reuse = reuse;
    }

    let salience = salience(&cands, &reps, &sims, docs.len());

    // Greedy MMR over the representatives.
    let mut chosen: Vec<usize> = Vec::new();
    let mut covered_months: FxHashSet<&str> = FxHashSet::default();
    let mut words = 0usize;
    let mut open: Vec<usize> = (0..reps.len()).collect();
    while chosen.len() < max_sentences && !open.is_empty() {
        let mut best: Option<(f32, usize)> = None;
        open.retain(|&g| {
            let c = &cands[reps[g]];
            if words + c.words > max_words {
                return false;
            }
            let mut max_sim = 0.0f32;
            for &k in &chosen {
                let o = &cands[reps[k]];
                let cos = sparse_dot(&c.vector, &o.vector);
                let near = match (days[c.doc], days[o.doc]) {
                    (Some(a), Some(b)) => (a - b).abs() <= SAME_FACT_DAYS,
                    _ => true,
                };
                if cos >= REDUNDANT_COSINE || redundant_stems(&c.stems, &o.stems, near) {
                    return false;
                }
                max_sim = max_sim.max(cos);
            }
            let mut score = salience[g] - 0.7 * max_sim;
            if !c.months.is_empty() && c.months.iter().all(|m| covered_months.contains(m.as_str())) {
                score -= 0.15;
            }
            score -= 0.05 * chosen.iter().filter(|&&k| cands[reps[k]].doc == c.doc).count() as f32;
            if best.is_none_or(|(b, bg)| score > b || (score == b && g < bg)) {
                best = Some((score, g));
            }
            true
        });
        let Some((_, g)) = best else { break };
        open.retain(|&x| x != g);
        let c = &cands[reps[g]];
        words += c.words;
        covered_months.extend(c.months.iter().map(String::as_str));
        chosen.push(g);
    }

    let mut out: Vec<&Candidate> = chosen.iter().map(|&g| &cands[reps[g]]).collect();
    out.sort_by_key(|c| order_key(c));
    out.into_iter()
        .map(|c| SummarySentence {
            text: docs[c.doc].text[c.span.clone()].to_owned(),
            doc: docs[c.doc].id.to_owned(),
            date: dates[c.doc].clone(),
            start: c.span.start,
            end: c.span.end,
        })
        .collect()
}

/// Every candidate sentence with its features, vectors over a shared
/// vocabulary (IDF over the candidate sentences).
fn candidates(docs: &[SummaryInput<'_>], focus: Option<&str>) -> Vec<Candidate> {
    let mut vocab: FxHashMap<String, u32> = FxHashMap::default();
    let mut cands: Vec<Candidate> = Vec::new();
    let mut tfs: Vec<Vec<(u32, f32)>> = Vec::new();
    let mut analyzer = marsad_text::Analyzer::new();
    for (d, doc) in docs.iter().enumerate() {
        let a = doc.analysis;
        for (s, range) in a.sentences.iter().enumerate() {
            let Some(span) = trimmed(doc.text, range) else { continue };
            let entities: Vec<String> = {
                let mut e: Vec<String> = a
                    .mentions
                    .iter()
                    .filter(|m| m.sentence == s)
                    .filter_map(|m| doc.entity_ids.get(m.entity).cloned())
                    .filter(|id| !id.is_empty())
                    .collect();
                e.sort();
                e.dedup();
                e
            };
            if let Some(f) = focus {
                if !entities.iter().any(|e| e == f) {
                    continue;
                }
            }
            let text = &doc.text[span.clone()];
            let mut tf: FxHashMap<u32, f32> = FxHashMap::default();
            analyzer.analyze(text, |t| {
                let next = vocab.len() as u32;
                let id = *vocab.entry(t.text.to_owned()).or_insert(next);
                *tf.entry(id).or_insert(0.0) += 1.0;
            });
            if tf.len() < MIN_TERMS {
                continue;
            }
            let mut stems: Vec<u32> = tf.keys().copied().collect();
            stems.sort_unstable();
            let mut tfv: Vec<(u32, f32)> = tf.into_iter().map(|(t, f)| (t, 1.0 + f.ln())).collect();
            tfv.sort_unstable_by_key(|e| e.0);
            let mut months: Vec<String> = Vec::new();
            let mut has_date = 0.0f32;
            for dm in a.dates.iter().filter(|dm| dm.sentence == s) {
                if let Some(v) = &dm.value {
                    has_date = has_date.max(if dm.relative { 0.5 } else { 1.0 });
                    if !dm.relative {
                        months.push(v.get(..7).unwrap_or(v).to_owned());
                    }
                }
            }
            months.sort();
            months.dedup();
            let quote = a
                .quotes
                .iter()
                .filter(|q| q.sentence == s)
                .map(|q| if q.direct { 1.0 } else { 0.6 })
                .fold(0.0f32, f32::max);
            let last = text.trim_end_matches(['"', '»', '”', ')', ' ']).chars().last();
            cands.push(Candidate {
                doc: d,
                position: s,
                words: text.split_whitespace().count(),
                span,
                vector: Vec::new(),
                stems,
                entities,
                months,
                has_date,
                // An event that happened on a date the sentence gives; one
                // dated only by the article's day says no more than any news
                // sentence does, and a plan is not yet news.
                has_event: a.events.iter().any(|e| {
                    e.sentence == s
                        && e.date_source == marsad_extract::DateSource::Text
                        && e.status == marsad_extract::EventStatus::Happened
                }),
                quote,
                reuse: doc.sentence_reuse.get(s).copied().unwrap_or(0),
                terminated: matches!(last, Some('.' | '!' | '?' | '؟' | '…' | '।')),
            });
            tfs.push(tfv);
        }
    }
    if cands.len() > MAX_CANDIDATES {
        // Keep the leading sentences of every document first.
        let mut idx: Vec<usize> = (0..cands.len()).collect();
        idx.sort_by_key(|&i| (cands[i].position, cands[i].doc));
        let mut keep = vec![false; cands.len()];
        for &i in idx.iter().take(MAX_CANDIDATES) {
            keep[i] = true;
        }
        let mut k = keep.iter();
        cands.retain(|_| *k.next().unwrap());
        let mut k = keep.iter();
        tfs.retain(|_| *k.next().unwrap());
    }
    let mut df = vec![0u32; vocab.len()];
    for tf in &tfs {
        for &(t, _) in tf {
            df[t as usize] += 1;
        }
    }
    let n = tfs.len() as f32;
    for (c, mut tf) in cands.iter_mut().zip(tfs) {
        for e in &mut tf {
            e.1 *= (1.0 + n / df[e.0 as usize] as f32).ln();
        }
        let norm = tf.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
        if norm > 0.0 {
            for e in &mut tf {
                e.1 /= norm;
            }
        }
        c.vector = tf;
    }
    cands
}

/// A sentence range trimmed of surrounding whitespace, if it is a valid,
/// non-empty range of `text`.
fn trimmed(text: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let s = text.get(range.clone())?;
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let start = range.start + lead;
    Some(start..start + t.len())
}

/// For each candidate, the earlier candidates with a positive cosine, via an
/// inverted index over terms.
fn similarity_lists(cands: &[Candidate]) -> Vec<Vec<(usize, f32)>> {
    let mut postings: FxHashMap<u32, Vec<(usize, f32)>> = FxHashMap::default();
    let mut acc = vec![0.0f32; cands.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(cands.len());
    for (i, c) in cands.iter().enumerate() {
        for &(t, w) in &c.vector {
            if let Some(list) = postings.get(&t) {
                for &(j, wj) in list {
                    if acc[j] == 0.0 {
                        touched.push(j);
                    }
                    acc[j] += w * wj;
                }
            }
        }
        touched.sort_unstable();
        let list: Vec<(usize, f32)> = touched.iter().map(|&j| (j, acc[j])).filter(|e| e.1 > 0.0).collect();
        for &j in &touched {
            acc[j] = 0.0;
        }
        touched.clear();
        out.push(list);
        for &(t, w) in &c.vector {
            postings.entry(t).or_default().push((i, w));
        }
    }
    out
}

/// Salience of each group representative, in `0..=1`-ish: the weighted sum
/// below, times a length and form factor.
///
/// Centrality carries the most weight because it is the only signal that
/// looks at what the documents say together; the others are cheap cues for
/// news: recurring entities (who the documents are about), dates and events
/// (what happened when), quotations (what was said), reuse (what outlets
/// chose to repeat) and lead position (what editors put first).
fn salience(cands: &[Candidate], reps: &[usize], sims: &[Vec<(usize, f32)>], n_docs: usize) -> Vec<f32> {
    let centrality = lexrank(cands, reps, sims);
    // Entities: in how many documents each appears.
    let mut entity_docs: FxHashMap<&str, FxHashSet<usize>> = FxHashMap::default();
    for c in cands {
        for e in &c.entities {
            entity_docs.entry(e.as_str()).or_default().insert(c.doc);
        }
    }
    let ent_raw: Vec<f32> = reps
        .iter()
        .map(|&i| {
            cands[i].entities.iter().map(|e| entity_docs[e.as_str()].len() as f32 / n_docs.max(1) as f32).sum::<f32>()
        })
        .collect();
    let ent_max = ent_raw.iter().copied().fold(0.0f32, f32::max);
    let reuse_max = reps.iter().map(|&i| cands[i].reuse).max().unwrap_or(0);
    reps.iter()
        .enumerate()
        .map(|(g, &i)| {
            let c = &cands[i];
            let ent = if ent_max > 0.0 { ent_raw[g] / ent_max } else { 0.0 };
            let when = if c.has_event { 1.0 } else { 0.7 * c.has_date };
            let reuse = if reuse_max > 0 { (1.0 + c.reuse as f32).ln() / (1.0 + reuse_max as f32).ln() } else { 0.0 };
            let lead = 1.0 / (1.0 + c.position as f32).sqrt();
            let base = 0.40 * centrality[g] + 0.15 * ent + 0.15 * when + 0.10 * c.quote + 0.10 * reuse + 0.10 * lead;
            let length = if c.words < 8 {
                0.5
            } else if c.words > 60 {
                60.0 / c.words as f32
            } else {
                1.0
            };
            base * length * if c.terminated { 1.0 } else { 0.7 }
        })
        .collect()
}

/// LexRank over the representatives: PageRank (damping 0.85) on the cosine
/// graph, edges below 0.1 dropped; scaled so the most central is 1.
fn lexrank(cands: &[Candidate], reps: &[usize], sims: &[Vec<(usize, f32)>]) -> Vec<f32> {
    let n = reps.len();
    let mut group_of = vec![usize::MAX; cands.len()];
    for (g, &i) in reps.iter().enumerate() {
        group_of[i] = g;
    }
    let mut edges: Vec<Vec<(usize, f32)>> = vec![Vec::new(); n];
    for (g, &i) in reps.iter().enumerate() {
        for &(j, cos) in &sims[i] {
            let h = group_of[j];
            if h != usize::MAX && h != g && cos >= 0.1 {
                edges[g].push((h, cos));
                edges[h].push((g, cos));
            }
        }
    }
    let out_weight: Vec<f32> = edges.iter().map(|e| e.iter().map(|x| x.1).sum()).collect();
    let mut rank = vec![1.0 / n as f32; n];
    for _ in 0..40 {
        let mut next = vec![0.15 / n as f32; n];
        let mut dangling = 0.0;
        for g in 0..n {
            if out_weight[g] == 0.0 {
                dangling += rank[g];
                continue;
            }
            for &(h, w) in &edges[g] {
                next[h] += 0.85 * rank[g] * w / out_weight[g];
            }
        }
        for x in &mut next {
            *x += 0.85 * dangling / n as f32;
        }
        rank = next;
    }
    let max = rank.iter().copied().fold(0.0f32, f32::max);
    if max > 0.0 {
        rank.iter_mut().for_each(|x| *x /= max);
    }
    rank
}

/// Whether two sentences' stem sets say the same thing: Jaccard at least
/// [`REDUNDANT_JACCARD`], or, for sentences of documents `near` in time, the
/// shorter one's stems mostly in the other ([`REDUNDANT_OVERLAP`]). The second catches what the first misses on real
/// news: two outlets reporting one fact in sentences of different length
/// (أعلنت تركيا أنها ستطلق قريبا معركة شاملة ضد داعش … / قالت تركيا إن
/// التحالف سيشن قريبا معركة شاملة ضد داعش في شمال سوريا …), where the
/// longer one's extra words keep the Jaccard low, and the fact's own words,
/// shared by every sentence of the story, weigh little in the cosine.
fn redundant_stems(a: &[u32], b: &[u32], near: bool) -> bool {
    let shared = shared_count(a, b);
    let union = a.len() + b.len() - shared;
    let smaller = a.len().min(b.len());
    (union > 0 && shared as f32 / union as f32 >= REDUNDANT_JACCARD)
        || (near && smaller > 0 && shared as f32 / smaller as f32 >= REDUNDANT_OVERLAP)
}

/// Elements two sorted sets share.
fn shared_count(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    shared
}

/// Jaccard of two sorted sets.
fn jaccard(a: &[u32], b: &[u32]) -> f32 {
    let shared = shared_count(a, b);
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f32 / union as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stem sets of sentences over one vocabulary, as `candidates` makes them.
    fn stems(sentences: &[&str]) -> Vec<Vec<u32>> {
        let mut vocab: FxHashMap<String, u32> = FxHashMap::default();
        sentences
            .iter()
            .map(|s| {
                let mut set: Vec<u32> = Vec::new();
                marsad_text::analyze(s, |t| {
                    let next = vocab.len() as u32;
                    set.push(*vocab.entry(t.text.to_owned()).or_insert(next));
                });
                set.sort_unstable();
                set.dedup();
                set
            })
            .collect()
    }

    #[test]
    fn two_wordings_of_one_fact_are_redundant_two_facts_are_not() {
        // SaudiNewsNet, 2015-08-06: two outlets, one announcement.
        let s = stems(&[
            "قال وزير الخارجية التركي مولود تشاووش أوغلو اليوم إن مقاتلات وطائرات أمريكية بدون طيار ستصل قريبا إلى قواعد جوية تركية وإن معركة شاملة ضد تنظيم داعش ستنطلق قريبا.",
            "قالت تركيا امس ان التحالف الذي تقوده الولايات المتحدة سيشن قريبًا من القواعد الجوية التركية «معركة شاملة» ضد متشددي تنظيم داعش في شمال سوريا.",
            // Same story, another fact.
            "واعلنت انقرة في تموز/يوليو انها سمحت للطائرات العسكرية الاميركية بشن هجمات على تنظيم داعش انطلاقا من قاعدة انجرليك الجوية في جنوب تركيا.",
        ]);
        assert!(jaccard(&s[0], &s[1]) < REDUNDANT_JACCARD, "the Jaccard alone misses it");
        assert!(redundant_stems(&s[0], &s[1], true));
        assert!(redundant_stems(&s[1], &s[0], true));
        assert!(!redundant_stems(&s[0], &s[2], true));
        assert!(!redundant_stems(&s[1], &s[2], true));
        assert!(!redundant_stems(&[], &s[0], true));
        // Months apart, the same words are another happening.
        assert!(!redundant_stems(&s[0], &s[1], false));
    }
}
