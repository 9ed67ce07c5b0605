//! Ranked search: a [`ParsedQuery`] compiled to tantivy queries with Marsad's
//! analyzer, executed, and dressed with highlighted snippets.
//!
//! Ranking choices, and why:
//! - Bare words are alternatives (any word finds a document) because Arabic
//!   news uses many spellings and synonyms for one thing; but a document with
//!   *all* the words gets an extra clause's score on top, so it ranks above
//!   one that mentions a single word many times.
//! - A title match weighs twice a text match: headlines state the subject.
//! - Phrases are required and exact (stop words inside keep their gaps).
//!   With a phrase, the bare words still form one required "any of these"
//!   clause: `"كوريا الشمالية" بوتين` finds the phrase *and* Putin.
//! - Filters (`source:`, `after:`, `before:`) restrict without scoring.
//! - A query of filters and exclusions only lists documents newest first.

use std::ops::{Bound, Range};

use chrono::Days;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument, Term};

use crate::error::StoreError;
use crate::index::{day_start, IndexFields};
use crate::query::{self, Clause, ParsedQuery};
use crate::store::Store;
use crate::tokenizer;

/// Weight of a title match relative to a text match.
const TITLE_BOOST: f32 = 2.0;
/// Extra weight of the clause that matches only documents having every word.
const ALL_TERMS_BOOST: f32 = 1.5;
/// Snippet length in characters (tantivy measures bytes; see `snippet`).
const SNIPPET_CHARS: usize = 200;

/// Paging for [`Store::search`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchOptions {
    /// Hits to return at most.
    pub limit: usize,
    /// Hits to skip (for paging).
    pub offset: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { limit: 10, offset: 0 }
    }
}

/// A page of results and the number of matching documents.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchResults {
    /// Documents matching the query.
    pub total: usize,
    /// This page of hits, best first.
    pub hits: Vec<Hit>,
}

/// One matching document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// Document id.
    pub doc: String,
    /// The title, or the display title derived from the text; never empty.
    pub title: String,
    /// The outlet.
    pub source: Option<String>,
    /// ISO date as ingested, or `null`.
    pub date: Option<String>,
    /// Relevance (0 for filter-only queries, which are ordered by date).
    pub score: f32,
    /// An HTML fragment of the text: matches in `<mark>…</mark>`, the rest
    /// escaped, `…` where the text was cut.
    pub snippet: String,
}

/// A query ready to run.
struct Compiled {
    query: Box<dyn Query>,
    /// false: no words to rank by, order by date instead.
    ranked: bool,
    /// Analyzed terms to highlight in snippets.
    highlight: Vec<String>,
}

impl Store {
    /// Searches the store. See [`crate::query`] for the query language.
    pub fn search(&self, query: &str, options: SearchOptions) -> Result<SearchResults, StoreError> {
        let parsed = query::parse(query)?;
        let Some(compiled) = compile(&parsed, &self.fields) else {
            // Every word was a stop word: nothing can match.
            return Ok(SearchResults { total: 0, hits: Vec::new() });
        };
        let searcher = self.reader.searcher();
        // No page can reach past the number of documents; clamping also
        // keeps tantivy from sizing a heap for an absurd offset.
        let documents = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let limit = options.limit.min(documents.saturating_sub(options.offset));
        if limit == 0 {
            let total = searcher.search(&*compiled.query, &Count)?;
            return Ok(SearchResults { total, hits: Vec::new() });
        }
        let top = TopDocs::with_limit(limit).and_offset(options.offset);
        let (total, found): (usize, Vec<(f32, DocAddress)>) = if compiled.ranked {
            searcher.search(&*compiled.query, &(Count, top.order_by_score()))?
        } else {
            let by_date = top.order_by_fast_field::<DateTime>("date", Order::Desc);
            let (total, found) = searcher.search(&*compiled.query, &(Count, by_date))?;
            (total, found.into_iter().map(|(_, addr)| (0.0, addr)).collect())
        };
        let mut snippets = snippet_generator(&searcher, &self.fields, &compiled.highlight)?;
        let mut hits = Vec::with_capacity(found.len());
        for (score, addr) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = stored(&doc, self.fields.text).unwrap_or_default();
            hits.push(Hit {
                doc: stored(&doc, self.fields.id).unwrap_or_default().to_string(),
                title: stored(&doc, self.fields.display_title).unwrap_or_default().to_string(),
                source: stored(&doc, self.fields.source).map(str::to_string),
                date: stored(&doc, self.fields.date_text).map(str::to_string),
                score,
                snippet: snippet(&mut snippets, text),
            });
        }
        Ok(SearchResults { total, hits })
    }
}

fn stored(doc: &TantivyDocument, field: Field) -> Option<&str> {
    doc.get_first(field).and_then(|v| v.as_str())
}

/// Runs the analyzer; returns `(position, term)` pairs.
fn analyze(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    marsad_text::analyze::analyze(text, |t| out.push((t.position, t.text.to_string())));
    out
}

/// Builds the tantivy query; `None` when the query asked for words and every
/// one of them analyzed to nothing (stop words), so nothing can match.
fn compile(parsed: &ParsedQuery, fields: &IndexFields) -> Option<Compiled> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut highlight: Vec<String> = Vec::new();

    let mut words: Vec<String> = Vec::new();
    for clause in &parsed.include {
        if let Clause::Word(w) = clause {
            for (_, term) in analyze(w) {
                if !words.contains(&term) {
                    words.push(term);
                }
            }
        }
    }
    if !words.is_empty() {
        clauses.push((Occur::Must, any_of_words(&words, fields)));
        highlight.extend(words.iter().cloned());
    }
    for clause in &parsed.include {
        if let Clause::Phrase(p) = clause {
            let terms = analyze(p);
            if let Some(q) = sequence(&terms, fields) {
                clauses.push((Occur::Must, q));
                highlight.extend(terms.into_iter().map(|(_, t)| t));
            }
        }
    }
    let ranked = !clauses.is_empty();
    if !ranked {
        if !parsed.include.is_empty() {
            return None;
        }
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }

    for clause in &parsed.exclude {
        // `-word` that analyzes to several terms (a hyphenated word, a
        // word with an attached number) excludes that sequence.
        if let Some(q) = sequence(&analyze(clause.text()), fields) {
            clauses.push((Occur::MustNot, Box::new(Excluded(q))));
        }
    }
    if !parsed.sources.is_empty() {
        let any: Vec<(Occur, Box<dyn Query>)> =
            parsed.sources.iter().map(|s| (Occur::Should, source_term(s, fields))).collect();
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0))));
    }
    for s in &parsed.excluded_sources {
        clauses.push((Occur::MustNot, source_term(s, fields)));
    }
    if parsed.after.is_some() || parsed.before.is_some() {
        let lower = match parsed.after {
            Some(day) => Bound::Included(Term::from_field_date(fields.date, day_start(day))),
            None => Bound::Unbounded,
        };
        // `before:` is inclusive of the whole day: stop at the next midnight.
        let upper = match parsed.before.and_then(|d| d.checked_add_days(Days::new(1))) {
            Some(next) => Bound::Excluded(Term::from_field_date(fields.date, day_start(next))),
            None => Bound::Unbounded,
        };
        let range = RangeQuery::new(lower, upper);
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(range), 0.0))));
    }
    highlight.sort();
    highlight.dedup();
    Some(Compiled { query: Box::new(BooleanQuery::new(clauses)), ranked, highlight })
}

fn source_term(name: &str, fields: &IndexFields) -> Box<dyn Query> {
    let term = Term::from_field_text(fields.source, &tokenizer::keyword_key(name));
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// One analyzed term in the title (boosted) or the text.
fn term_in_fields(term: &str, fields: &IndexFields) -> Box<dyn Query> {
    let in_field = |field: Field| -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::WithFreqs))
    };
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, Box::new(BoostQuery::new(in_field(fields.title), TITLE_BOOST))),
        (Occur::Should, in_field(fields.text)),
    ]))
}

/// Any of the words; documents with all of them score an extra clause.
fn any_of_words(words: &[String], fields: &IndexFields) -> Box<dyn Query> {
    let mut should: Vec<(Occur, Box<dyn Query>)> =
        words.iter().map(|w| (Occur::Should, term_in_fields(w, fields))).collect();
    if words.len() > 1 {
        let all: Vec<(Occur, Box<dyn Query>)> =
            words.iter().map(|w| (Occur::Must, term_in_fields(w, fields))).collect();
        should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(BooleanQuery::new(all)), ALL_TERMS_BOOST))));
    }
    Box::new(BooleanQuery::new(should))
}

/// The analyzed terms in sequence (positions relative to the first term, so
/// removed stop words keep their gap) in the title or the text. A single term
/// is a plain term query; no terms, `None`.
fn sequence(terms: &[(u32, String)], fields: &IndexFields) -> Option<Box<dyn Query>> {
    match terms {
        [] => None,
        [(_, only)] => Some(term_in_fields(only, fields)),
        [_, _, ..] => {
            let first = terms.iter().map(|(pos, _)| *pos).min().unwrap_or(0);
            let phrase = |field: Field| -> Box<dyn Query> {
                let with_offsets =
                    terms.iter().map(|(pos, t)| ((pos - first) as usize, Term::from_field_text(field, t))).collect();
                Box::new(PhraseQuery::new_with_offset(with_offsets))
            };
            Some(Box::new(BooleanQuery::new(vec![
                (Occur::Should, Box::new(BoostQuery::new(phrase(fields.title), TITLE_BOOST))),
                (Occur::Should, phrase(fields.text)),
            ])))
        }
    }
}

/// The snippet maker of one search: the highlight terms with tantivy's
/// weights and an analyzer whose scratch buffers are reused from one hit to
/// the next.
///
/// It picks the same fragment, and writes the same HTML, as tantivy's
/// `SnippetGenerator` (fixed-length windows over the analyzed tokens, each
/// scored by the sum of its matching terms' weights, the first best window
/// wins, `htmlescape`'s minimal escaping), but it runs the analyzer directly
/// instead of through a cloned tokenizer: no `String` per token, no
/// lowercased copy per token (analyzed terms are lowercase already). On a
/// search of ten hits over news articles that was most of the time.
struct Snippets {
    /// `(term, weight)`; only terms that occur in the text field.
    terms: Vec<(String, f32)>,
    analyzer: marsad_text::analyze::Analyzer,
    /// Highlight spans of the fragment being built and of the best one.
    current: Vec<Range<usize>>,
    best: Vec<Range<usize>>,
}

fn snippet_generator(searcher: &Searcher, fields: &IndexFields, highlight: &[String]) -> Result<Snippets, StoreError> {
    let mut terms = Vec::with_capacity(highlight.len());
    for text in highlight {
        let doc_freq = searcher.doc_freq(&Term::from_field_text(fields.text, text))?;
        if doc_freq > 0 {
            // tantivy's own weighting: rarer terms make better fragments.
            terms.push((text.clone(), 1.0 / (1.0 + doc_freq as f32)));
        }
    }
    Ok(Snippets { terms, analyzer: marsad_text::analyze::Analyzer::new(), current: Vec::new(), best: Vec::new() })
}

impl Snippets {
    /// The best fragment of `text` no longer than `max_bytes` (unless one
    /// word is): its byte range, with its highlighted spans left in
    /// `self.best`. `None` when no term occurs in `text`.
    fn best_fragment(&mut self, text: &str, max_bytes: usize) -> Option<Range<usize>> {
        if self.terms.is_empty() {
            return None;
        }
        let Snippets { terms, analyzer, current, best } = self;
        current.clear();
        best.clear();
        let (mut start, mut stop, mut score) = (0usize, 0usize, 0f32);
        let mut found: Option<(f32, Range<usize>)> = None;
        // Keeps the fragment just closed if it beats the best so far; on a
        // tie the earlier one stays (tantivy's order).
        let mut close = |start: usize, stop: usize, score: f32, current: &mut Vec<Range<usize>>| {
            if score > 0.0 && found.as_ref().is_none_or(|(s, _)| score > *s) {
                found = Some((score, start..stop));
                std::mem::swap(best, current);
            }
            current.clear();
        };
        analyzer.analyze(text, |term| {
            if term.span.end.saturating_sub(start) > max_bytes {
                close(start, stop, score, current);
                start = term.span.start;
                score = 0.0;
            }
            stop = term.span.end;
            if let Some((_, weight)) = terms.iter().find(|(t, _)| t == term.text) {
                score += weight;
                current.push(term.span.clone());
            }
        });
        close(start, stop, score, current);
        found.map(|(_, range)| range)
    }
}

/// The best-matching fragment of `text` as HTML, or its opening when the
/// text has no match (the document matched on its title).
fn snippet(snippets: &mut Snippets, text: &str) -> String {
    // tantivy's limit counts bytes; scale it so the fragment holds about
    // SNIPPET_CHARS characters whatever the script (Arabic is 2 bytes/char).
    let chars = text.chars().count().max(1);
    let max_bytes = SNIPPET_CHARS * text.len() / chars;
    let Some(range) = snippets.best_fragment(text, max_bytes) else {
        return opening(text);
    };
    let marks = &mut snippets.best;
    marks.sort_by_key(|r| (r.start, r.end));
    marks.dedup();
    let mut html = String::with_capacity(range.len() + range.len() / 4 + 16);
    if range.start > 0 {
        html.push('…');
    }
    let mut at = range.start;
    let mut i = 0;
    while i < marks.len() {
        // Overlapping spans (several terms from one word) become one mark.
        let mut mark = marks[i].clone();
        i += 1;
        while i < marks.len() && mark.end > marks[i].start {
            mark.end = mark.end.max(marks[i].end);
            i += 1;
        }
        escape_minimal(&mut html, &text[at..mark.start]);
        html.push_str("<mark>");
        escape_minimal(&mut html, &text[mark.clone()]);
        html.push_str("</mark>");
        at = mark.end;
    }
    escape_minimal(&mut html, &text[at..range.end]);
    if range.end < text.trim_end().len() {
        html.push('…');
    }
    flatten_lines(html)
}

/// `htmlescape::encode_minimal` (what tantivy's snippets use), appended to
/// `out`.
fn escape_minimal(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find(['"', '&', '\'', '<', '>']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'"' => "&quot;",
            b'&' => "&amp;",
            b'\'' => "&#x27;",
            b'<' => "&lt;",
            _ => "&gt;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// The first [`SNIPPET_CHARS`] characters of `text`, cut at a word boundary,
/// HTML-escaped.
fn opening(text: &str) -> String {
    let text = text.trim();
    let cut = text.char_indices().nth(SNIPPET_CHARS).map(|(i, _)| i);
    let mut html = match cut {
        None => escape_html(text),
        Some(at) => {
            let head = &text[..at];
            let head = head.rfind(char::is_whitespace).map_or(head, |ws| &head[..ws]);
            let mut s = escape_html(head.trim_end());
            s.push('…');
            s
        }
    };
    html = flatten_lines(html);
    html
}

/// Paragraph breaks become spaces: a snippet is one line.
fn flatten_lines(html: String) -> String {
    if html.contains('\n') {
        html.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
    } else {
        html
    }
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the snippets were before `Snippets`: tantivy's generator over
    /// the same tokenizer. The two must agree byte for byte.
    fn tantivy_snippet(terms: &[(String, f32)], text: &str) -> String {
        use tantivy::snippet::SnippetGenerator;
        use tantivy::tokenizer::TextAnalyzer;
        let map = terms.iter().cloned().collect();
        let analyzer = TextAnalyzer::from(crate::tokenizer::MarsadTokenizer::default());
        let mut generator = SnippetGenerator::new(map, analyzer, Field::from_field_id(0), SNIPPET_CHARS);
        let chars = text.chars().count().max(1);
        generator.set_max_num_chars(SNIPPET_CHARS * text.len() / chars);
        let mut found = generator.snippet(text);
        if found.is_empty() {
            return opening(text);
        }
        found.set_snippet_prefix_postfix("<mark>", "</mark>");
        let range = found.fragment_range();
        let mut html = String::new();
        if range.start > 0 {
            html.push('…');
        }
        html.push_str(&found.to_html());
        if range.end < text.trim_end().len() {
            html.push('…');
        }
        flatten_lines(html)
    }

    #[test]
    fn snippets_match_tantivys_generator() {
        let para = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة جدة بسعة ٣٠٠ سرير، \
                    وقال الوزير إن المستشفى سيخدم سكان المنطقة & ما حولها <قريباً>. ";
        let other = "Markets closed higher on Tuesday as oil prices rose; analysts said 'it's early'. ";
        let texts = [
            para.to_string(),
            para.repeat(6),
            format!("{}{}{}", other.repeat(5), para, other.repeat(5)),
            format!("{}\n{}\n\n{}", other, para.repeat(3), other),
            "مستشفى".to_string(),
            String::new(),
            other.repeat(8),
        ];
        let queries =
            ["مستشفى جدة", "الوزير", "oil prices", "سرير 300 markets", "غائب", "المستشفى وزارة الصحة analysts"];
        for query in queries {
            let terms: Vec<(String, f32)> =
                analyze(query).into_iter().enumerate().map(|(i, (_, t))| (t, 1.0 / (2.0 + i as f32))).collect();
            let mut snippets = Snippets {
                terms: terms.clone(),
                analyzer: marsad_text::analyze::Analyzer::new(),
                current: Vec::new(),
                best: Vec::new(),
            };
            for text in &texts {
                assert_eq!(snippet(&mut snippets, text), tantivy_snippet(&terms, text), "{query:?} in {text:?}");
            }
        }
    }

    #[test]
    fn opening_is_escaped_and_cut_at_a_word() {
        assert_eq!(opening("a < b & c"), "a &lt; b &amp; c");
        let long = "word ".repeat(100);
        let o = opening(&long);
        assert!(o.ends_with("word…"), "{o}");
        assert!(o.chars().count() <= SNIPPET_CHARS + 1);
        assert_eq!(opening("line one\nline two"), "line one line two");
    }
}

/// An excluded clause, shielded from tantivy 0.27's phrase-scorer
/// `seek_danger`, which requires a target at or past its current document:
/// an exclusion set asks whether *each* candidate is excluded, so once the
/// phrase's documents run out (or are past the candidate) the precondition
/// breaks — a debug-build panic, found by `fuzz/fuzz_targets/query.rs` on
/// `-"3 1"`, and in release a check against a scorer in an undefined state.
/// The wrapper's scorer answers `seek_danger` with the default, safe
/// implementation (`doc()` first, `seek` only forward).
#[derive(Debug)]
struct Excluded(Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(
        &self,
        enable_scoring: tantivy::query::EnableScoring<'_>,
    ) -> tantivy::Result<Box<dyn tantivy::query::Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExcludedWeight(Box<dyn tantivy::query::Weight>);

impl tantivy::query::Weight for ExcludedWeight {
    fn scorer(
        &self,
        reader: &tantivy::SegmentReader,
        boost: tantivy::Score,
    ) -> tantivy::Result<Box<dyn tantivy::query::Scorer>> {
        Ok(Box::new(ExcludedScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(
        &self,
        reader: &tantivy::SegmentReader,
        doc: tantivy::DocId,
    ) -> tantivy::Result<tantivy::query::Explanation> {
        self.0.explain(reader, doc)
    }
}

struct ExcludedScorer(Box<dyn tantivy::query::Scorer>);

impl tantivy::DocSet for ExcludedScorer {
    fn advance(&mut self) -> tantivy::DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: tantivy::DocId) -> tantivy::DocId {
        self.0.seek(target)
    }

    // `seek_danger` is left to the trait's default on purpose.

    fn doc(&self) -> tantivy::DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl tantivy::query::Scorer for ExcludedScorer {
    fn score(&mut self) -> tantivy::Score {
        self.0.score()
    }
}
