//! Trigger words: `data/lexicon/event-triggers-ar.txt` (event types) and
//! `data/lexicon/supply-triggers-ar.txt` (who supplies whom), matched on
//! tokens.
//!
//! A word matches on its bare form (clitics and article split off by the
//! tokenizer), then with a pronoun suffix removed and a final ت restored to
//! ة (زيارته → زيارة, قمتهما → قمة): the list stays one entry per word
//! instead of one per inflection.

use std::ops::Range;
use std::sync::OnceLock;

use marsad_text::{Token, TokenKind};
use rustc_hash::FxHashMap;

use crate::EventType;

const EVENT_TRIGGERS: &str = include_str!("../../../../data/lexicon/event-triggers-ar.txt");
const SUPPLY_TRIGGERS: &str = include_str!("../../../../data/lexicon/supply-triggers-ar.txt");

/// The part of speech of a trigger: a noun, a past-tense verb or an
/// imperfect verb (present or, with سـ, future).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tense {
    Noun,
    Past,
    Imperfect,
}

/// One entry: an optional second word, what it means (`K`: an
/// [`EventType`] for event triggers, nothing for supply triggers), and its
/// part of speech.
#[derive(Clone, Debug)]
pub(crate) struct Entry<K> {
    pub second: Option<String>,
    pub event_type: K,
    pub noun: bool,
    pub tense: Tense,
}

pub(crate) struct Lexicon<K> {
    /// First word → entries (two-word entries first).
    pub by_first: FxHashMap<String, Vec<Entry<K>>>,
    /// What قرار before a number (القرار 2397) means, if anything.
    numbered_decision: Option<K>,
}

/// The lines of a trigger list: (form, type field, part of speech), with
/// `types` fields per line before the part of speech (1 for the event list,
/// 0 for the supply list). Errors name the line.
fn lines(
    data: &'static str,
    types: usize,
) -> impl Iterator<Item = Result<(&'static str, &'static str, &'static str), String>> {
    data.lines().enumerate().filter_map(move |(n, line)| {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 1 + types {
            return Some(Err(format!("line {}: {line:?} has no type", n + 1)));
        }
        let ty = if types == 1 { fields[1] } else { "" };
        Some(Ok((fields[0], ty, fields.get(1 + types).copied().unwrap_or("n"))))
    })
}

/// Parses a trigger list; `meaning` turns a line's type field into `K`
/// (or says why it cannot).
fn parse<K: Copy>(
    data: &'static str,
    types: usize,
    meaning: impl Fn(&str) -> Result<K, String>,
    numbered_decision: Option<K>,
) -> Result<Lexicon<K>, String> {
    let mut by_first: FxHashMap<String, Vec<Entry<K>>> = FxHashMap::default();
    for line in lines(data, types) {
        let (form, ty, pos) = line?;
        let event_type = meaning(ty).map_err(|e| format!("{form}: {e}"))?;
        let mut words = form.split_whitespace().map(marsad_text::normalize_key);
        let Some(first) = words.next() else { continue };
        let tense = match pos {
            "v" => Tense::Past,
            "i" => Tense::Imperfect,
            _ => Tense::Noun,
        };
        let entry = Entry { second: words.next(), event_type, noun: tense == Tense::Noun, tense };
        let list = by_first.entry(first).or_default();
        list.push(entry);
        list.sort_by_key(|e| e.second.is_none());
    }
    Ok(Lexicon { by_first, numbered_decision })
}

fn parse_events() -> Result<Lexicon<EventType>, String> {
    parse(EVENT_TRIGGERS, 1, |ty| ty.parse::<EventType>(), Some(EventType::Resolution))
}

fn parse_supplies() -> Result<Lexicon<()>, String> {
    parse(SUPPLY_TRIGGERS, 0, |_| Ok(()), None)
}

/// The event trigger list. A line with an unknown type is a bug in the
/// list, caught by `every_trigger_line_has_a_known_type`; at run time it
/// would leave the list empty rather than panic.
pub(crate) fn events() -> &'static Lexicon<EventType> {
    static L: OnceLock<Lexicon<EventType>> = OnceLock::new();
    L.get_or_init(|| {
        parse_events().unwrap_or_else(|_| Lexicon { by_first: FxHashMap::default(), numbered_decision: None })
    })
}

/// The supply trigger list (who supplies whom).
pub(crate) fn supplies() -> &'static Lexicon<()> {
    static L: OnceLock<Lexicon<()>> = OnceLock::new();
    L.get_or_init(|| {
        parse_supplies().unwrap_or_else(|_| Lexicon { by_first: FxHashMap::default(), numbered_decision: None })
    })
}

/// A trigger found in a token slice.
#[derive(Clone, Debug)]
pub(crate) struct Trigger<K = EventType> {
    /// Tokens of the trigger.
    pub tokens: Range<usize>,
    pub event_type: K,
    pub noun: bool,
    pub tense: Tense,
    /// An imperfect verb with the future prefix سـ (سيزور).
    pub future: bool,
}

/// Object pronouns a trigger may carry (زيارته, استقبله). Not ي (a nisba
/// adjective: اجتماعي is "social") and not نا (قررنا: we, in a quote).
const PRONOUN_SUFFIXES: [&str; 4] = ["هما", "هم", "ها", "ه"];

/// The word's entries, trying the bare form, then without a pronoun suffix.
fn lookup<'l, K>(lex: &'l Lexicon<K>, base: &str) -> Option<&'l Vec<Entry<K>>> {
    if let Some(e) = lex.by_first.get(base) {
        return Some(e);
    }
    for suffix in PRONOUN_SUFFIXES {
        if let Some(stem) = base.strip_suffix(suffix) {
            if stem.chars().count() < 2 {
                continue;
            }
            if let Some(e) = lex.by_first.get(stem) {
                return Some(e);
            }
            if let Some(s) = stem.strip_suffix('ت') {
                let mut restored = String::with_capacity(s.len() + 2);
                restored.push_str(s);
                restored.push('ة');
                if let Some(e) = lex.by_first.get(&restored) {
                    return Some(e);
                }
            }
        }
    }
    None
}

/// The trigger starting at token `k` of `tokens`, if any.
pub(crate) fn trigger_at<K: Copy>(lex: &Lexicon<K>, tokens: &[Token], k: usize) -> Option<Trigger<K>> {
    let t = tokens.get(k)?;
    if t.kind != TokenKind::Word {
        return None;
    }
    // القرار 2397: a resolution by number.
    if let Some(numbered) = lex.numbered_decision {
        if t.base() == "قرار" && tokens.get(k + 1).is_some_and(|n| n.kind == TokenKind::Number) {
            return Some(Trigger {
                tokens: k..k + 1,
                event_type: numbered,
                noun: true,
                tense: Tense::Noun,
                future: false,
            });
        }
    }
    let base = t.base();
    // سيزور, ستعقد: the future prefix on an imperfect verb.
    let future_stem =
        base.strip_prefix('س').filter(|rest| rest.chars().count() >= 3 && rest.starts_with(['ي', 'ت', 'ن']));
    let (entries, future) = match lookup(lex, base) {
        Some(e) => (e, false),
        None => {
            let stem = future_stem?;
            let e = lookup(lex, stem)?;
            (e, true)
        }
    };
    let next = tokens.get(k + 1).filter(|n| n.kind == TokenKind::Word).map(|n| n.base());
    for e in entries {
        if future && e.tense != Tense::Imperfect {
            continue;
        }
        let found =
            |len: usize| Trigger { tokens: k..k + len, event_type: e.event_type, noun: e.noun, tense: e.tense, future };
        match &e.second {
            Some(second) if next == Some(second.as_str()) => return Some(found(2)),
            Some(_) => {}
            None => return Some(found(1)),
        }
    }
    None
}

/// Whether `base` is a one-word event noun (قمة, لقاء, انتخابات): before a
/// four-digit number, it makes the number a year (لقاء 2019).
pub(crate) fn is_event_noun(base: &str) -> bool {
    // القرار 1701: a decision noun is followed by its number, not a year.
    if matches!(base, "قرار" | "قرارات" | "مرسوم") {
        return false;
    }
    events().by_first.get(base).is_some_and(|es| es.iter().any(|e| e.noun && e.second.is_none()))
}

/// Whether `base` is a listed event word with an object pronoun glued to it
/// (زيارته), and not a listed form itself.
pub(crate) fn has_pronoun_suffix(base: &str) -> bool {
    let lex = events();
    !lex.by_first.contains_key(base) && lookup(lex, base).is_some()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_trigger_line_has_a_known_type() {
        let events = super::parse_events().unwrap_or_else(|e| panic!("event-triggers-ar.txt: {e}"));
        assert!(events.by_first.len() > 100);
        super::parse_supplies().unwrap_or_else(|e| panic!("supply-triggers-ar.txt: {e}"));
        let bad = "قمة\tsumit\tn\n";
        assert!(super::parse(Box::leak(bad.to_string().into_boxed_str()), 1, |t| t.parse::<crate::EventType>(), None)
            .is_err());
    }
}
