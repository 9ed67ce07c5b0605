//! Human-readable rendering of library results for a terminal.
//!
//! `--json` output is the library types serialized as they are; this module
//! only decides how a person reads them. Arabic text is printed in logical
//! order and left to the terminal's bidi support; the columns that matter for
//! scanning (rank, score, id, date) are ASCII and come first so they line up.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Result;
use marsad_engine::marsad_extract::corpus::TimelineEntry;
use marsad_engine::IngestSummary;
use marsad_engine::{
    DocumentRecord, DuplicateList, EntityList, EntityProfile, QuoteList, ReuseList, SearchResults, Stats, StoryDetail,
    StoryList, SummaryView,
};
use serde::Serialize;

/// Prints `value` as JSON (`--json`) or for a person (`human`); a read
/// command's whole output.
pub fn show<T: Serialize>(json: bool, value: &T, human: impl FnOnce(&T)) -> Result<std::process::ExitCode> {
    if json {
        print_json(value)?;
    } else {
        human(value);
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// Prints one JSON object on stdout, followed by a newline.
pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// How `<mark>…</mark>` highlights are shown: bold on a terminal, `[…]` in a pipe.
fn highlight(snippet: &str) -> String {
    let (open, close) = if std::io::stdout().is_terminal() { ("\x1b[1;33m", "\x1b[0m") } else { ("[", "]") };
    unescape_html(&snippet.replace("<mark>", open).replace("</mark>", close))
}

/// Undoes the HTML escaping of snippets (they are HTML for the web UI).
fn unescape_html(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b if b >= 1_000 => format!("{:.1} kB", b as f64 / 1e3),
        b => format!("{b} B"),
    }
}

/// `2015-08-06T01:00:00` → `2015-08-06`: the day is what a reader scans for.
fn date_only(iso: &str) -> &str {
    iso.get(..10).unwrap_or(iso)
}

pub fn search_results(query: &str, results: &SearchResults) {
    println!("{} result(s) for {query}", results.total);
    for (rank, hit) in results.hits.iter().enumerate() {
        println!();
        println!(
            "{:>2}. {:>7.3}  {}  {}  {}",
            rank + 1,
            hit.score,
            hit.doc,
            hit.date.as_deref().map_or("----------", date_only),
            hit.source.as_deref().unwrap_or("-"),
        );
        println!("    {}", hit.title);
        println!("    {}", highlight(&hit.snippet));
    }
}

pub fn document(record: &DocumentRecord) {
    println!("id:      {}", record.id);
    println!("title:   {}", record.title.as_deref().unwrap_or("(none)"));
    println!("source:  {}", record.source.as_deref().unwrap_or("-"));
    println!("author:  {}", record.author.as_deref().unwrap_or("-"));
    println!("date:    {}", record.date.as_deref().unwrap_or("-"));
    if let Some(url) = &record.url {
        println!("url:     {url}");
    }
    println!("origin:  {} ({})", record.origin, record.format);
    if !record.duplicates.is_empty() {
        println!("exact duplicates seen: {}", record.duplicates.join(", "));
    }
    println!();
    println!("{}", record.text);
    if !record.removed.is_empty() {
        println!();
        println!("removed by cleaning ({}):", record.removed.len());
        for removal in &record.removed {
            println!("  - [{}] {}", removal.reason, removal.text);
        }
    }
}

pub fn stats(data: &Path, stats: &Stats) {
    println!("data directory:  {}", data.display());
    println!("documents:       {}", stats.documents);
    println!("exact duplicates:{:>4}", stats.duplicates);
    if let (Some(from), Some(to)) = (&stats.date_from, &stats.date_to) {
        println!("dates:           {} … {}", date_only(from), date_only(to));
    }
    println!("text:            {}", human_bytes(stats.text_bytes));
    println!("on disk:         {} (index {})", human_bytes(stats.store_bytes), human_bytes(stats.index_bytes));
    if !stats.sources.is_empty() {
        println!("sources:");
        for source in stats.sources.iter().take(20) {
            println!("  {:>7}  {}", source.documents, source.name.as_deref().unwrap_or("(no source)"));
        }
        if stats.sources.len() > 20 {
            println!("  … and {} more", stats.sources.len() - 20);
        }
    }
    if !stats.removals.is_empty() {
        println!("removed by cleaning:");
        for removal in &stats.removals {
            println!("  {:>7}  {}", removal.count, removal.reason);
        }
    }
}

pub fn ingest_summary(summary: &IngestSummary) {
    println!(
        "read {} document(s) from {} file(s): {} added, {} replaced, {} unchanged, {} exact duplicate(s), {} failure(s)",
        summary.documents_read,
        summary.files,
        summary.added,
        summary.replaced,
        summary.unchanged,
        summary.duplicates.len(),
        summary.failures.len(),
    );
    const SHOWN: usize = 10;
    for (id, of) in summary.duplicates.iter().take(SHOWN) {
        println!("  duplicate: {id} is an exact copy of {of} (not counted again)");
    }
    if summary.duplicates.len() > SHOWN {
        println!("  … and {} more duplicates (all of them with --json)", summary.duplicates.len() - SHOWN);
    }
    for skip in &summary.skipped {
        println!("  {}: {}", skip.origin, skip.reason);
    }
    for failure in &summary.failures {
        eprintln!("error: {}: {}", failure.origin, failure.reason);
    }
}

fn shorten(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    format!("{cut}…")
}

pub fn entities(list: &EntityList, offset: usize) {
    println!("{} entit{} ({} shown)", list.total, if list.total == 1 { "y" } else { "ies" }, list.entities.len());
    for (i, e) in list.entities.iter().enumerate() {
        println!(
            "{:>4}. {:<11} {:<12} {:>4} docs {:>5} mentions  {}",
            offset + i + 1,
            e.id,
            e.entity_type.as_str(),
            e.docs.len(),
            e.mentions,
            e.name
        );
        let others: Vec<&str> = e.variants.iter().filter(|v| **v != e.name).map(String::as_str).collect();
        if !others.is_empty() {
            println!("{:>32}also: {}", "", others.join(" · "));
        }
        if !e.roles.is_empty() {
            let roles: Vec<&str> = e.roles.iter().take(3).map(String::as_str).collect();
            println!("{:>32}role: {}", "", roles.join(" · "));
        }
    }
}

pub fn entity_profile(p: &EntityProfile) {
    let e = &p.entity;
    println!("{}  {}  ({})", e.id, e.name, e.entity_type.as_str());
    println!("mentions: {} in {} document(s)", e.mentions, e.docs.len());
    if e.variants.len() > 1 {
        println!("variants: {}", e.variants.join(" · "));
    }
    if !e.roles.is_empty() {
        println!("roles:    {}", e.roles.join(" · "));
    }
    println!();
    println!("documents:");
    for d in &p.documents {
        println!(
            "  {}  {}  {:>3}×  {}",
            d.id,
            d.date.as_deref().map_or("----------", date_only),
            d.mentions,
            shorten(&d.title, 70)
        );
    }
    if !p.quotes.is_empty() {
        println!();
        println!("quotes ({}):", p.quotes.len());
        for q in &p.quotes {
            println!("  [{}] {} «{}»", q.doc, if q.direct { "said" } else { "reported" }, shorten(&q.text, 160));
        }
    }
    if !p.events.is_empty() {
        println!();
        println!("events:");
        for ev in &p.events {
            println!("  {:<10} {:<12} {}", ev.date, ev.event_type, ev.title);
        }
    }
    if !p.neighbours.is_empty() {
        println!();
        println!("neighbours:");
        for n in p.neighbours.iter().take(15) {
            let kinds = if n.kinds.is_empty() { String::new() } else { format!(" [{}]", n.kinds.join(", ")) };
            println!("  {:>3}  {}  {}{kinds}", n.weight, n.id, n.name);
        }
    }
}

pub fn quotes(list: &QuoteList) {
    println!("{} quotation(s)", list.total);
    for q in &list.quotes {
        let who = match &q.speaker {
            Some(s) => format!("{} ({})", s.name, s.id),
            None if q.speaker_text.is_empty() => "(unknown speaker)".to_owned(),
            None => format!("{} [{}]", q.speaker_text, q.speaker_kind),
        };
        let how = match (q.direct, q.continuation) {
            (true, false) => "direct",
            (true, true) => "direct, continued",
            (false, false) => "reported",
            (false, true) => "reported, continued",
        };
        println!();
        println!("{who} — {how} — {}", q.doc);
        println!("    «{}»", shorten(&q.text, 300));
    }
}

pub fn timeline(events: &[TimelineEntry]) {
    println!("{} event(s)", events.len());
    for ev in events {
        let actors: Vec<&str> = ev.actors.iter().map(|a| a.name.as_str()).collect();
        println!();
        println!("{:<10}  {:<6}  {}", ev.date, ev.granularity.as_str(), ev.title);
        println!("            type: {}  sources: {}", ev.event_type, ev.docs.join(", "));
        if !actors.is_empty() {
            println!("            actors: {}", actors.join(" · "));
        }
        if let Some(place) = &ev.place {
            println!("            place: {}", place.name);
        }
        if let Some(first) = ev.evidence.first() {
            println!("            «{}»", shorten(first, 200));
        }
    }
}

/// What extraction found in one document: entities with roles, dates with
/// their values, quotes with speakers, events.
pub fn document_analysis(text: &str, a: &marsad_engine::marsad_extract::DocumentAnalysis) {
    if !a.entities.is_empty() {
        println!();
        println!("entities ({}):", a.entities.len());
        for e in &a.entities {
            let role = if e.roles.is_empty() { String::new() } else { format!("  — {}", e.roles.join(" · ")) };
            println!("  {:<12} {:>2}×  {}{role}", e.entity_type.as_str(), e.mentions, e.name);
        }
    }
    if !a.dates.is_empty() {
        println!();
        match &a.anchor {
            Some(anchor) => println!("dates (article date {} from {:?}):", anchor.date, anchor.source),
            None => println!("dates (article date unknown: relative dates left unresolved):"),
        }
        for d in &a.dates {
            let value = d.value.as_deref().unwrap_or("?");
            let end = d.end.as_deref().map(|e| format!("…{e}")).unwrap_or_default();
            println!("  {:<12} {:<7} {}", format!("{value}{end}"), d.granularity.as_str(), d.text.trim());
        }
    }
    if !a.quotes.is_empty() {
        println!();
        println!("quotes ({}):", a.quotes.len());
        for q in &a.quotes {
            let who =
                a.entities.get(q.speaker.unwrap_or(usize::MAX)).map_or(q.speaker_text.as_str(), |e| e.name.as_str());
            let who = if who.is_empty() { "?" } else { who };
            println!("  {who}: «{}»{}", shorten(&q.text, 160), if q.direct { "" } else { " (reported)" });
        }
    }
    if !a.events.is_empty() {
        println!();
        println!("events ({}):", a.events.len());
        for e in &a.events {
            println!("  {:<10} {:<12} {}", e.date, e.event_type, e.title);
        }
    }
    let _ = text;
}

pub fn reuse(list: &ReuseList, offset: usize) {
    println!("{} reused passage(s) ({} shown)", list.total, list.groups.len());
    for (i, g) in list.groups.iter().enumerate() {
        let r = &g.group;
        let kind = if g.documents == 1 {
            "repeated in one document".to_owned()
        } else {
            format!("in {} documents", g.documents)
        };
        println!();
        println!("{:>4}. {} words, {kind}, similarity {:.2}", offset + i + 1, g.words, r.similarity);
        println!("      «{}»", shorten(&r.text, 220));
        for (j, o) in r.occurrences.iter().enumerate() {
            let origin = if r.origin == Some(j) { "  (origin)" } else { "" };
            let removed = if o.removed { "  (removed by the cleaner; offsets in the extracted body)" } else { "" };
            println!("      {}  {}..{}{origin}{removed}", o.doc, o.start, o.end);
        }
    }
}

pub fn duplicates(list: &DuplicateList, offset: usize) {
    println!("{} near-duplicate group(s) ({} shown)", list.total, list.groups.len());
    for (i, g) in list.groups.iter().enumerate() {
        println!();
        println!(
            "{:>4}. {} documents, similarity ≥ {:.2}, coverage ≥ {:.2}",
            offset + i + 1,
            g.docs.len(),
            g.similarity,
            g.coverage
        );
        for (j, d) in g.docs.iter().enumerate() {
            let origin = if g.origin == Some(j) { "  (origin)" } else { "" };
            println!("      {d}{origin}");
        }
    }
}

fn date_span(from: Option<&str>, to: Option<&str>) -> String {
    match (from, to) {
        (Some(a), Some(b)) if a == b => a.to_owned(),
        (Some(a), Some(b)) => format!("{a} … {b}"),
        (Some(a), None) | (None, Some(a)) => a.to_owned(),
        (None, None) => "undated".to_owned(),
    }
}

pub fn stories(list: &StoryList, offset: usize) {
    println!("{} stor{} ({} shown)", list.total, if list.total == 1 { "y" } else { "ies" }, list.stories.len());
    for (i, s) in list.stories.iter().enumerate() {
        println!();
        println!(
            "{:>4}. {}  {} doc(s)  {}",
            offset + i + 1,
            s.id,
            s.size,
            date_span(s.from.as_deref(), s.to.as_deref())
        );
        println!("      {}", s.label);
    }
}

pub fn story(detail: &StoryDetail) {
    let s = &detail.story;
    println!("{}  {}", s.id, s.label);
    println!("{} distinct document(s), {}", s.size, date_span(s.from.as_deref(), s.to.as_deref()));
    if !s.entities.is_empty() {
        let names: Vec<String> = s.entities.iter().map(|e| format!("{} ({})", e.name, e.id)).collect();
        println!("entities: {}", names.join(" · "));
    }
    if !s.terms.is_empty() {
        println!("terms:    {}", s.terms.join(" · "));
    }
    println!();
    for d in &detail.documents {
        println!(
            "  {}  {}  {}",
            d.id,
            d.date.as_deref().map_or("----------", date_only),
            shorten(&d.display_title, 80)
        );
    }
}

pub fn summary(view: &SummaryView) {
    let of = match &view.id {
        Some(id) => format!("{} {id}", view.scope),
        None => view.scope.to_owned(),
    };
    let truncated = if view.truncated { " (capped)" } else { "" };
    println!("summary of {of}: {} sentence(s) from {} document(s){truncated}", view.sentences.len(), view.documents);
    for s in &view.sentences {
        println!();
        println!("  [{}  {}]", s.date.as_deref().map_or("undated", date_only), s.doc);
        println!("  {}", s.text.trim());
    }
}

/// The vocabularies, one key and label a line.
pub fn vocabulary(v: &marsad_engine::Vocabulary) {
    for (heading, terms) in
        [("entity types", &v.entity_types), ("event types", &v.event_types), ("relation kinds", &v.relation_kinds)]
    {
        println!("{heading}:");
        for t in terms {
            match t.family.filter(|f| *f != t.key) {
                Some(family) => println!("  {:<14} {}  ({family})", t.key, t.label),
                None => println!("  {:<14} {}", t.key, t.label),
            }
        }
    }
}

/// What `marsad delete` did.
pub fn deletion(d: &marsad_engine::Deletion) {
    for id in &d.deleted {
        println!("deleted {id}");
    }
    for id in &d.missing {
        eprintln!("no document with id {id:?}");
    }
}
