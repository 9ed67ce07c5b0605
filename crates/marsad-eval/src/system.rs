//! What Marsad finds in the gold articles, as [`Annotations`].
//!
//! The evaluation runs the product, not a copy of it: the gold articles are
//! written, as the JSON objects they are in SaudiNewsNet (plus their gold id
//! as `id`), to a JSON Lines file in a temporary directory and ingested into
//! a fresh store by [`marsad_engine::Engine::ingest`], exactly as
//! `marsad ingest` would. What the store then holds — the cleaned text, the
//! stored analysis, the corpus entities and stories — is converted here to
//! the gold set's terms: spans into the body, entity keys, event classes.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use marsad_engine::{Engine, EntityFilter};
use marsad_engine::{IngestInput, IngestOptions};
use marsad_extract::EntityType;
use serde_json::Value;

use crate::gold::{Annotations, ArticleRef, EntityMark, EventClass, EventMark, EventStatus, MentionType, QuoteMark};
use crate::EvalError;

/// Marsad's side of the comparison.
#[derive(Clone, Debug, Default)]
pub struct SystemRun {
    /// By gold id.
    pub annotations: BTreeMap<String, Annotations>,
    /// Corpus entity id → canonical name.
    pub names: HashMap<String, String>,
    /// Each article's body as Marsad read it (what gold spans index).
    pub bodies: BTreeMap<String, String>,
}

/// Reads the gold articles' JSON objects from the SaudiNewsNet folder
/// `corpus`, each with `"id"` set to its gold id.
fn gold_objects(corpus: &Path, articles: &[&ArticleRef]) -> Result<Vec<Value>, EvalError> {
    let mut by_file: BTreeMap<&str, Vec<&ArticleRef>> = BTreeMap::new();
    for a in articles {
        by_file.entry(a.file.as_str()).or_default().push(a);
    }
    let mut out: HashMap<&str, Value> = HashMap::new();
    for (file, refs) in by_file {
        let path = corpus.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| EvalError::io(&path, e))?;
        let Value::Array(items) = serde_json::from_str::<Value>(&text).map_err(|e| EvalError::Malformed {
            path: path.clone(),
            line: e.line(),
            reason: e.to_string(),
        })?
        else {
            return Err(EvalError::Corpus(format!("{} is not a JSON array", path.display())));
        };
        for a in refs {
            let Some(Value::Object(object)) = items.get(a.index) else {
                return Err(EvalError::Corpus(format!(
                    "{}: no article object at index {} (for {})",
                    path.display(),
                    a.index,
                    a.id
                )));
            };
            let mut object = object.clone();
            object.insert("id".into(), Value::String(a.id.clone()));
            out.insert(a.id.as_str(), Value::Object(object));
        }
    }
    Ok(articles.iter().filter_map(|a| out.remove(a.id.as_str())).collect())
}

/// A fresh store of gold articles, as [`ingest`] left it.
struct Ingested {
    /// The temporary directory holding the store; dropping it deletes it.
    _dir: tempfile::TempDir,
    store: Engine,
    /// The exact duplicates `(id, original)` ingest set aside.
    duplicates: Vec<(String, String)>,
}

/// Ingests the articles into a fresh store in a temporary directory, as
/// `marsad ingest` would, and returns the store (kept alive with its
/// directory) and the exact duplicates `(id, original)`.
fn ingest(corpus: &Path, articles: &[&ArticleRef]) -> Result<Ingested, EvalError> {
    let objects = gold_objects(corpus, articles)?;
    let dir = tempfile::tempdir().map_err(|e| EvalError::io(Path::new("temporary directory"), e))?;
    let input = dir.path().join("gold-articles.jsonl");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&input).map_err(|e| EvalError::io(&input, e))?);
        for object in &objects {
            serde_json::to_writer(&mut file, object).map_err(|e| EvalError::Corpus(e.to_string()))?;
            file.write_all(b"\n").map_err(|e| EvalError::io(&input, e))?;
        }
        file.flush().map_err(|e| EvalError::io(&input, e))?;
    }
    let mut store = Engine::open(&dir.path().join("store"))?;
    let summary = store.ingest(IngestInput::Paths(&[input]), IngestOptions::default(), &mut |_| {})?;
    if let Some(failure) = summary.failures.first() {
        return Err(EvalError::Corpus(format!("{}: {}", failure.origin, failure.reason)));
    }
    Ok(Ingested { _dir: dir, store, duplicates: summary.duplicates })
}

/// Maps byte offsets in a document's cleaned `text` to offsets in its `body`:
/// each kept paragraph is a line of the body (cleaning keeps or removes
/// whole lines), found in order.
struct OffsetMap {
    /// (start in text, start in body, length), in order.
    pieces: Vec<(usize, usize, usize)>,
}

impl OffsetMap {
    fn new(text: &str, body: &str) -> OffsetMap {
        let mut pieces = Vec::new();
        let mut body_lines = body.split('\n').scan(0usize, |pos, line| {
            let start = *pos;
            *pos += line.len() + 1;
            Some((start, line))
        });
        let mut text_pos = 0;
        for para in text.split('\n') {
            for (body_start, line) in body_lines.by_ref() {
                if line == para {
                    pieces.push((text_pos, body_start, para.len()));
                    break;
                }
            }
            text_pos += para.len() + 1;
        }
        OffsetMap { pieces }
    }

    /// The body span of a text span that lies within one paragraph.
    fn span(&self, start: usize, end: usize) -> Option<[usize; 2]> {
        let i = self.pieces.partition_point(|p| p.0 <= start).checked_sub(1)?;
        let (t, b, len) = self.pieces[i];
        if end > t + len {
            // A span over a paragraph break: map both ends separately.
            let j = self.pieces.partition_point(|p| p.0 <= end).checked_sub(1)?;
            let (t2, b2, len2) = self.pieces[j];
            return (end <= t2 + len2).then(|| [b + start - t, b2 + end - t2]);
        }
        Some([b + start - t, b + end - t])
    }
}

/// The gold event class of one of Marsad's event type keys
/// (`data/lexicon/event-triggers-ar.txt`).
pub fn event_class(key: &str) -> EventClass {
    match key {
        "summit" | "meeting" | "talks" => EventClass::Meeting,
        "visit" => EventClass::Visit,
        "agreement" => EventClass::Agreement,
        "attack" => EventClass::Attack,
        "military" | "war" | "invasion" | "nuclear_test" | "missile_test" | "exercise" => EventClass::Military,
        "decision" | "sanctions" | "resolution" | "recognition" => EventClass::Decision,
        "election" => EventClass::Election,
        "arrest" => EventClass::Arrest,
        "legal" => EventClass::Legal,
        "accident" => EventClass::Accident,
        "disaster" => EventClass::Disaster,
        "health" => EventClass::Health,
        "protest" => EventClass::Protest,
        "appointment" => EventClass::Appointment,
        "launch" => EventClass::Launch,
        "conference" => EventClass::Conference,
        "business" => EventClass::Business,
        "sports" => EventClass::Sports,
        "death" => EventClass::Death,
        _ => EventClass::Other,
    }
}

fn mention_type(t: EntityType) -> Option<MentionType> {
    match t {
        EntityType::Person => Some(MentionType::Person),
        EntityType::Organization => Some(MentionType::Organization),
        EntityType::Place => Some(MentionType::Place),
        EntityType::Misc => None,
    }
}

/// Ingests the articles and converts what Marsad found in each.
pub fn run_extraction(corpus: &Path, articles: &[&ArticleRef]) -> Result<SystemRun, EvalError> {
    let Ingested { _dir, store, .. } = ingest(corpus, articles)?;
    let names =
        store.entities(&EntityFilter::default())?.entities.into_iter().map(|e| (e.entity.id, e.entity.name)).collect();
    let mut annotations = BTreeMap::new();
    let mut bodies = BTreeMap::new();
    for a in articles {
        // An exact duplicate of another gold article is not stored: it
        // gets nothing, as a user would see.
        let Some(record) = store.document(&a.id)? else {
            annotations.insert(a.id.clone(), Annotations::default());
            continue;
        };
        let analysis = store.analysis(&a.id)?.unwrap_or_default();
        let ids = store.entity_ids_of(&a.id)?;
        let map = OffsetMap::new(&record.text, &record.body);
        let key_of = |local: usize| ids.get(local).cloned().flatten().unwrap_or_else(|| format!("{}#{local}", a.id));
        let mut marks = Annotations::default();
        for m in &analysis.mentions {
            let (Some(t), Some(span)) = (mention_type(m.entity_type), map.span(m.span.start, m.span.end)) else {
                continue;
            };
            marks.entities.push(EntityMark { span, text: m.name.clone(), mention_type: t, entity: key_of(m.entity) });
        }
        for q in &analysis.quotes {
            let Some(span) = map.span(q.span.start, q.span.end) else {
                continue;
            };
            marks.quotes.push(QuoteMark {
                span,
                direct: q.direct,
                speaker: q.speaker.map(key_of).unwrap_or_else(|| q.speaker_text.clone()),
                speaker_kind: q.speaker_kind,
                named: false,
                cue: q.verb.clone().unwrap_or_default(),
                words: q.text.split_whitespace().count(),
            });
        }
        for e in &analysis.events {
            let Some(sentence) = analysis.sentences.get(e.sentence) else {
                continue;
            };
            let Some(span) = map.span(sentence.start, sentence.end) else {
                continue;
            };
            marks.events.push(EventMark {
                span,
                trigger: e.trigger.clone(),
                event_type: event_class(e.event_type.as_str()),
                status: match e.status {
                    marsad_extract::EventStatus::Happened => EventStatus::Happened,
                    marsad_extract::EventStatus::Planned => EventStatus::Planned,
                },
                date: Some(e.date.clone()),
                granularity: Some(e.granularity.as_str().to_string()),
                actors: e.actors.iter().map(|&l| key_of(l)).collect(),
                place: e.place.map(key_of),
            });
        }
        annotations.insert(a.id.clone(), marks);
        bodies.insert(a.id.clone(), record.body);
    }
    Ok(SystemRun { annotations, names, bodies })
}

/// Ingests the story articles (in the order given; the pipeline places them
/// into stories in date order) and returns each one's story id. An exact
/// duplicate gets its original's story.
pub fn run_stories(corpus: &Path, articles: &[&ArticleRef]) -> Result<Vec<String>, EvalError> {
    let Ingested { _dir, store, duplicates } = ingest(corpus, articles)?;
    let original: HashMap<String, String> = duplicates.into_iter().collect();
    articles
        .iter()
        .map(|a| {
            let id = original.get(&a.id).unwrap_or(&a.id);
            Ok(store.story_of(id)?.unwrap_or_else(|| format!("alone:{id}")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::OffsetMap;

    #[test]
    fn offsets_skip_removed_lines() {
        let body = "أول\nمحذوف\nثالث سطر";
        let text = "أول\nثالث سطر";
        let map = OffsetMap::new(text, body);
        let start = text.find("سطر").unwrap();
        let span = map.span(start, start + "سطر".len()).unwrap();
        assert_eq!(&body[span[0]..span[1]], "سطر");
        assert_eq!(map.span(0, text.len()).map(|s| &body[s[0]..s[1]]), Some("أول\nمحذوف\nثالث سطر"));
    }
}
