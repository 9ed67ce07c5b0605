//! The words date extraction reads, compiled from
//! `data/lexicon/relative-dates-ar.txt` and `data/lexicon/months-ar.txt`
//! once, into one table keyed by the normalized bare word: a token costs one
//! hash lookup however many roles its word plays (عام is a year context and a
//! unit).

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

const RELATIVE: &str = include_str!("../../../../data/lexicon/relative-dates-ar.txt");
const MONTHS: &str = include_str!("../../../../data/lexicon/months-ar.txt");

/// Where a qualifier points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Direction {
    #[default]
    None,
    Past,
    Next,
    Current,
}

/// A duration unit: its size in days, months or years.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Days(i64),
    Months(i64),
    Years(i64),
}

/// Everything the table knows about one word.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct WordInfo {
    /// ISO weekday (Monday = 1), or 0.
    pub weekday: u32,
    pub direction: Direction,
    pub edge: bool,
    /// The unit and, for a dual form (أسبوعين), its implied count.
    pub unit: Option<(Unit, Option<i64>)>,
    /// The value of a number word, or 0.
    pub count: i64,
    /// First year of a decade word, or 0.
    pub decade: i32,
    pub year_context: bool,
    pub not_after_year: bool,
}

pub(crate) struct Words {
    pub table: FxHashMap<String, WordInfo>,
    /// First words of month names, folded with [`month_key`]: a cheap
    /// filter before asking `marsad_text::calendar` (which allocates).
    pub month_heads: FxHashSet<String>,
}

/// Month-name matching folds ة into ه, as the calendar table does.
pub(crate) fn month_key(word: &str) -> std::borrow::Cow<'_, str> {
    if word.contains('ة') {
        std::borrow::Cow::Owned(word.replace('ة', "ه"))
    } else {
        std::borrow::Cow::Borrowed(word)
    }
}

pub(crate) fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut table: FxHashMap<String, WordInfo> = FxHashMap::default();
        for line in RELATIVE.lines() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut f = line.split('\t');
            let (Some(class), Some(word)) = (f.next(), f.next()) else { continue };
            let value = f.next().unwrap_or("");
            let extra = f.next();
            let info = table.entry(marsad_text::normalize_key(word.trim())).or_default();
            match class {
                "weekday" => info.weekday = value.parse().unwrap_or(0),
                "past" => info.direction = Direction::Past,
                "next" => info.direction = Direction::Next,
                "current" => info.direction = Direction::Current,
                "edge" => info.edge = true,
                "unit" => {
                    let size: i64 = value.get(1..).and_then(|v| v.parse().ok()).unwrap_or(1);
                    let unit = match value.as_bytes().first() {
                        Some(b'd') => Unit::Days(size),
                        Some(b'm') => Unit::Months(size),
                        _ => Unit::Years(size),
                    };
                    info.unit = Some((unit, extra.and_then(|e| e.parse().ok())));
                }
                "count" => info.count = value.parse().unwrap_or(0),
                "decade" => info.decade = value.parse().unwrap_or(0),
                "year_context" => info.year_context = true,
                "not_after_year" => info.not_after_year = true,
                _ => {}
            }
        }
        let mut month_heads = FxHashSet::default();
        for line in MONTHS.lines() {
            if line.starts_with('#') {
                continue;
            }
            for name in line.split('\t').skip(1) {
                if let Some(head) = name.split_whitespace().next() {
                    month_heads.insert(month_key(&marsad_text::normalize_key(head)).into_owned());
                }
            }
        }
        Words { table, month_heads }
    })
}
