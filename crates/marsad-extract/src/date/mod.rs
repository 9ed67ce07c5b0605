//! Dates: absolute and relative expressions, resolved against the article's date.
//!
//! An analyst's timeline is only as good as its dates, and Arabic news writes
//! them in more ways than any one pattern covers: both month series side by
//! side (`4 سبتمبر/أيلول`, `فبراير (شباط)`, `12 أكتوبر (تشرين الأول) 1948`),
//! misspelled (`أذار`, `ايلول`), with or without the year (`يوليو/تموز
//! الماضي`), bare years in a date context (`في عام 2019`, `في 2003`), ranges
//! (`بين عامي 2006 و2017`), decades (`ثمانينيات القرن الماضي`), numeric forms
//! (`2023-09-13`, `13/9/2023`), and relative expressions that mean nothing
//! without the article's own date (`أمس`, `الأربعاء الماضي`, `الشهر الماضي`,
//! `قبل أسبوعين`, `منذ 24 عاماً`).
//!
//! # How
//!
//! [`extract`] reads the tokens of [`marsad_text::tokenize`] once, left to
//! right. At each token, the word (after its clitics) says which patterns can
//! start there — a number, a month name, a weekday, عام, قبل, … — and the
//! longest expression that parses wins; scanning resumes after it. Patterns
//! are code over tokens rather than regular expressions: the alternatives
//! (two month series, clitics, Arabic-Indic digits, two-word month names) are
//! already folded by the tokenizer and [`marsad_text::calendar`], so a token
//! costs one hash lookup and there is nothing to compile. The words
//! themselves live in `data/lexicon/relative-dates-ar.txt`.
//!
//! Each expression is first parsed into a `Form` that says what it needs
//! (a full date needs nothing; `سبتمبر الماضي` needs the anchor's year;
//! `أمس` needs the anchor's day); the anchor is chosen; then every form is
//! resolved, or left with `value: None` when it needs an anchor there is not.
//!
//! # The anchor
//!
//! In order of trust: the metadata date ([`AnchorSource::Metadata`]); a full
//! date at the start of one of the first three lines, after at most three
//! words, where datelines and bylines go (`موسكو - 13 سبتمبر 2023`)
//! ([`AnchorSource::Dateline`]); else a full date in the body
//! ([`AnchorSource::Text`]) — but only one that is not older than the latest
//! year the article mentions (an article that cites 1948 and 2017 was not
//! written in 1948), preferring one said to be أمس or اليوم, then one written
//! with its weekday, then the latest.
//!
//! # Precision over recall
//!
//! A wrong date is worse than a missing one: it puts an event in the wrong
//! place on a timeline, silently. So a number is a year only in a date
//! context (after في, عام, منذ, …, or an event word: `لقاء 2019`), never
//! before a unit (`في 2000 موقع`), and never out of 1000–2100 (`القرار
//! 2397`); durations (`خلال عامين`) are not dates; `قبل يومين من القمة` is
//! relative to the summit, not to the article, so it is skipped; month names
//! that are also words (مارس "practised", آب "father") count only with a
//! year, the other series, شهر, or الماضي/المقبل. Day-level relative words
//! inside quotation marks (`"نلتقي اليوم"`) are left unresolved: the
//! speaker's today is not necessarily the article's.

mod civil;
mod words;

pub use civil::Day;

use std::ops::Range;

use marsad_text::{Token, TokenKind};

use crate::{Anchor, AnchorSource, DateMention, Granularity};
use words::{month_key, words, Direction, Unit, WordInfo, Words};

/// What an expression says, before the anchor is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// A complete date.
    Full(Day),
    /// Day and month; the year comes from the anchor.
    DayMonth {
        month: u32,
        day: u32,
        dir: Direction,
    },
    MonthYear {
        year: i32,
        month: u32,
    },
    /// A month; the year comes from the anchor.
    Month {
        month: u32,
        dir: Direction,
    },
    Year {
        year: i32,
        end: Option<i32>,
    },
    Decade(i32),
    /// Days from the anchor (أمس = -1, قبل أسبوعين = -14).
    Days(i64),
    /// A weekday near the anchor shifted by `from` days: before it (Past),
    /// after it (Next), the next including it (Current, after a future verb
    /// such as سيعقد), or, with no qualifier, the last including it — the
    /// nearest when shifted (أمس الجمعة).
    Weekday {
        weekday: u32,
        dir: Direction,
        from: i64,
    },
    Months(i64),
    Years(i64),
}

impl Form {
    fn relative(self) -> bool {
        !matches!(self, Form::Full(_) | Form::MonthYear { .. } | Form::Year { .. } | Form::Decade(_))
    }

    /// Whether a relative form is about a day (and so meaningless in a quote).
    fn day_level(self) -> bool {
        matches!(self, Form::Days(_) | Form::Weekday { .. })
    }
}

/// One parsed expression: tokens `tokens`, bytes `span`.
#[derive(Clone, Debug)]
struct Found {
    tokens: Range<usize>,
    span: Range<usize>,
    form: Form,
    /// Written with its weekday (الاثنين 4 سبتمبر 2023): a fresh date.
    with_weekday: bool,
}

/// Finds the date expressions of a document; `metadata_date` is the
/// publication date from metadata (ISO), if known.
///
/// Returns the anchor (see the module docs) and the expressions in text
/// order, each with its value resolved against the anchor when it needs one.
pub fn extract(
    text: &str,
    tokens: &[Token],
    sentences: &[Range<usize>],
    metadata_date: Option<&str>,
) -> (Option<Anchor>, Vec<DateMention>) {
    let scan = Scan { text, tokens, w: words() };
    let found = scan.all();
    let quoted = quoted_tokens(text, tokens);

    let anchor = metadata_date
        .and_then(Day::parse_iso)
        .map(|d| (d, AnchorSource::Metadata))
        .or_else(|| dateline(text, &found).map(|d| (d, AnchorSource::Dateline)))
        .or_else(|| text_anchor(&found).map(|d| (d, AnchorSource::Text)));

    let mut out = Vec::with_capacity(found.len());
    for f in &found {
        let in_quote = quoted.get(f.tokens.start).copied().unwrap_or(false);
        let resolved = if in_quote && f.form.day_level() { None } else { resolve(f.form, anchor.map(|a| a.0)) };
        let (value, granularity, end) = match resolved {
            Some(r) => (Some(r.0), r.1, r.2),
            None => (None, granularity_of(f.form), None),
        };
        out.push(DateMention {
            span: f.span.clone(),
            text: text[f.span.clone()].to_owned(),
            value,
            granularity,
            relative: f.form.relative(),
            end,
            sentence: sentence_of(sentences, f.span.start),
        });
    }
    let anchor = anchor.map(|(d, source)| Anchor { date: d.iso(), source });
    (anchor, out)
}

/// Whether a bare word belongs to date expressions (عام, الماضي, a month or
/// weekday name): titles stop before it.
pub(crate) fn is_date_word(base: &str) -> bool {
    let w = words();
    w.table.get(base).is_some_and(|i| i.weekday != 0 || i.direction != Direction::None || i.unit.is_some())
        || w.month_heads.contains(month_key(base).as_ref())
        || matches!(base, "امس" | "غدا" | "لاحقا" | "هذا" | "هذه")
}

/// Index of the sentence containing byte `at` (or the next one; the last if
/// none follows).
pub(crate) fn sentence_of(sentences: &[Range<usize>], at: usize) -> usize {
    let i = sentences.partition_point(|s| s.end <= at);
    i.min(sentences.len().saturating_sub(1))
}

fn granularity_of(form: Form) -> Granularity {
    match form {
        Form::Full(_) | Form::DayMonth { .. } | Form::Days(_) | Form::Weekday { .. } => Granularity::Day,
        Form::MonthYear { .. } | Form::Month { .. } | Form::Months(_) => Granularity::Month,
        Form::Year { .. } | Form::Years(_) => Granularity::Year,
        Form::Decade(_) => Granularity::Decade,
    }
}

fn month_iso(year: i32, month: u32) -> String {
    format!("{year:04}-{month:02}")
}

/// The ISO value, granularity and range end of a form, given the anchor.
fn resolve(form: Form, anchor: Option<Day>) -> Option<(String, Granularity, Option<String>)> {
    let g = granularity_of(form);
    let year = |y: i32| format!("{y:04}");
    let value = match form {
        Form::Full(d) => d.iso(),
        Form::MonthYear { year, month } => month_iso(year, month),
        Form::Year { year: y, end } => return Some((year(y), g, end.map(year))),
        Form::Decade(y) => year(y),
        _ => {
            let a = anchor?;
            match form {
                Form::DayMonth { month, day, dir } => {
                    let before = (month, day) <= (a.month, a.day);
                    let y = match dir {
                        Direction::Past if !before => a.year - 1,
                        Direction::Next if before => a.year + 1,
                        _ => a.year,
                    };
                    Day::new(y, month, day)?.iso()
                }
                Form::Month { month, dir } => {
                    let y = match dir {
                        Direction::Past if month > a.month => a.year - 1,
                        Direction::Next if month <= a.month => a.year + 1,
                        _ => a.year,
                    };
                    month_iso(y, month)
                }
                Form::Days(k) => a.add_days(k).iso(),
                Form::Weekday { weekday, dir, from } => {
                    let base = a.add_days(from);
                    let ahead = (weekday as i64 - base.weekday() as i64).rem_euclid(7);
                    let offset = match dir {
                        Direction::Past => {
                            if ahead == 0 {
                                -7
                            } else {
                                ahead - 7
                            }
                        }
                        Direction::Next => {
                            if ahead == 0 {
                                7
                            } else {
                                ahead
                            }
                        }
                        Direction::Current => ahead,
                        // أمس الجمعة: the Friday nearest to yesterday.
                        Direction::None if from != 0 => {
                            if ahead > 3 {
                                ahead - 7
                            } else {
                                ahead
                            }
                        }
                        // الثلاثاء: news tells of the days just past.
                        Direction::None => {
                            if ahead == 0 {
                                0
                            } else {
                                ahead - 7
                            }
                        }
                    };
                    base.add_days(offset).iso()
                }
                Form::Months(k) => {
                    let (y, m) = civil::add_months(a.year, a.month, k);
                    month_iso(y, m)
                }
                Form::Years(k) => year(a.year + k as i32),
                _ => return None,
            }
        }
    };
    Some((value, g, None))
}

/// A full date at the start of one of the first three lines, after at most
/// three words (a place, an agency, a byline), that ends its line or is
/// followed by a dash or colon (`موسكو - 13 سبتمبر 2023 - قال …`): a
/// dateline. `ولد في 12 أكتوبر 1948، …` is prose.
fn dateline(text: &str, found: &[Found]) -> Option<Day> {
    let mut line_start = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if n >= 3 {
            break;
        }
        let line_end = line_start + line.len();
        for f in found {
            if f.span.start >= line_start && f.span.end <= line_end {
                if let Form::Full(d) = f.form {
                    let before = text[line_start..f.span.start].split_whitespace().count();
                    let next = text[f.span.end..line_end].trim_start().chars().next();
                    let ends = next.is_none_or(|c| matches!(c, '-' | '–' | '—' | ':' | '|' | '/' | ')'));
                    if before <= 3 && (ends || line.trim().chars().count() <= 60) {
                        return Some(d);
                    }
                }
            }
        }
        line_start = line_end;
    }
    None
}

/// The most reliable full date of the body (see the module docs).
fn text_anchor(found: &[Found]) -> Option<Day> {
    let latest_year = found
        .iter()
        .filter_map(|f| match f.form {
            Form::Full(d) => Some(d.year),
            Form::MonthYear { year, .. } => Some(year),
            Form::Year { year, end } => Some(end.unwrap_or(year)),
            _ => None,
        })
        .max()?;
    let mut best: Option<(u8, Day)> = None;
    for (i, f) in found.iter().enumerate() {
        let Form::Full(d) = f.form else { continue };
        // أمس، الاثنين 4 سبتمبر 2023: the article is a day later.
        let told = i.checked_sub(1).map(|p| &found[p]).filter(|p| p.tokens.end + 2 >= f.tokens.start).and_then(|p| {
            match p.form {
                Form::Days(k) if (-1..=0).contains(&k) => Some(k),
                _ => None,
            }
        });
        let (rank, day) = match told {
            Some(k) => (2, d.add_days(-k)),
            None => (u8::from(f.with_weekday), d),
        };
        if day.year < latest_year {
            continue;
        }
        if best.is_none_or(|b| (rank, day) > b) {
            best = Some((rank, day));
        }
    }
    best.map(|b| b.1)
}

/// For each token, whether it lies between quotation marks (which reset at
/// each line).
fn quoted_tokens(text: &str, tokens: &[Token]) -> Vec<bool> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut open = false;
    let mut last_end = 0;
    for t in tokens {
        if text.as_bytes().get(last_end..t.span.start).is_some_and(|gap| gap.contains(&b'\n')) {
            open = false;
        }
        last_end = t.span.end;
        if t.kind == TokenKind::Punct && t.normalized == "\"" {
            open = !open;
            out.push(false);
            continue;
        }
        out.push(open);
    }
    out
}

/// The token scanner: one pass, longest expression at each position.
struct Scan<'a> {
    text: &'a str,
    tokens: &'a [Token],
    w: &'static Words,
}

/// Month names that are also ordinary words: they need support.
const AMBIGUOUS_MONTHS: [&str; 6] = ["مارس", "اب", "ماي", "نيسان", "جوان", "اوت"];

impl<'a> Scan<'a> {
    fn all(&self) -> Vec<Found> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            match self.at(i) {
                Some(f) if f.tokens.end > i => {
                    i = f.tokens.end;
                    out.push(f);
                }
                _ => i += 1,
            }
        }
        out
    }

    // ---- token views -------------------------------------------------

    fn tok(&self, i: usize) -> Option<&'a Token> {
        self.tokens.get(i)
    }

    /// The bare word (no clitics, no article) of a word token, else "".
    fn base(&self, i: usize) -> &'a str {
        match self.tok(i) {
            Some(t) if t.kind == TokenKind::Word => t.base(),
            _ => "",
        }
    }

    fn has_article(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| t.segmentation.article)
    }

    fn info(&self, i: usize) -> Option<&'static WordInfo> {
        let b = self.base(i);
        if b.is_empty() {
            None
        } else {
            self.w.table.get(b)
        }
    }

    fn punct(&self, i: usize) -> Option<char> {
        match self.tok(i) {
            Some(t) if t.kind == TokenKind::Punct => t.normalized.chars().next(),
            _ => None,
        }
    }

    /// The value of a number token of at most `max_digits` plain digits.
    fn number(&self, i: usize, max_digits: usize) -> Option<(i64, usize)> {
        let t = self.tok(i)?;
        if t.kind != TokenKind::Number {
            return None;
        }
        let n = &t.normalized;
        if n.is_empty() || n.len() > max_digits || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((n.parse().ok()?, n.len()))
    }

    /// A year at `i` (a four-digit number, with an optional م after it):
    /// the year and the token after it.
    fn year(&self, i: usize) -> Option<(i32, usize)> {
        let (y, digits) = self.number(i, 4)?;
        if digits != 4 || !(1000..=2100).contains(&y) {
            return None;
        }
        let mut end = i + 1;
        if self.tok(end).is_some_and(|t| t.kind == TokenKind::Word && t.normalized == "م") {
            end += 1;
        }
        Some((y as i32, end))
    }

    /// A day of the month at `i`.
    fn day(&self, i: usize) -> Option<u32> {
        let (d, _) = self.number(i, 2)?;
        (1..=31).contains(&d).then_some(d as u32)
    }

    /// A month name starting at token `i`: the month, the token after it,
    /// and whether the name is also an ordinary word.
    fn month(&self, i: usize) -> Option<(u32, usize, bool)> {
        let t = self.tok(i)?;
        if t.kind != TokenKind::Word || t.segmentation.article {
            return None;
        }
        let whole = month_key(&t.normalized);
        if self.w.month_heads.contains(whole.as_ref()) {
            let (m, len) = marsad_text::calendar::month_prefix(&self.text[t.span.start..])?;
            let end_byte = t.span.start + len;
            let mut j = i + 1;
            while self.tok(j).is_some_and(|t| t.span.end <= end_byte) {
                j += 1;
            }
            return Some((m, j, AMBIGUOUS_MONTHS.contains(&t.normalized.as_str())));
        }
        let base = t.base();
        if t.segmentation.is_split() && self.w.month_heads.contains(month_key(base).as_ref()) {
            let m = marsad_text::calendar::month_number(base)?;
            return Some((m, i + 1, AMBIGUOUS_MONTHS.contains(&base)));
        }
        None
    }

    /// After a month ending before `j`: the other series' name, as
    /// `/أيلول`, `- أيلول` or `(أيلول)`. Returns the token after it (`j` if
    /// none).
    fn alternate_month(&self, j: usize) -> usize {
        match self.punct(j) {
            Some('/') | Some('-') => self.month(j + 1).map_or(j, |(_, e, _)| e),
            Some('(') => match self.month(j + 1) {
                Some((_, e, _)) if self.punct(e) == Some(')') => e + 1,
                _ => j,
            },
            _ => j,
        }
    }

    /// A year after a month: `2023`, `، 2023`, `عام 2023`. Returns the year
    /// and the token after it.
    fn year_after_month(&self, j: usize) -> Option<(i32, usize)> {
        let j = if matches!(self.punct(j), Some(',') | Some('،')) { j + 1 } else { j };
        if let Some(y) = self.year(j) {
            return Some(y);
        }
        if matches!(self.base(j), "عام" | "سنة") {
            return self.year(j + 1);
        }
        None
    }

    /// A direction word (الماضي, المقبل, الحالي) at `j`.
    fn direction(&self, j: usize) -> Direction {
        match self.info(j) {
            Some(info) if self.has_article(j) => info.direction,
            _ => Direction::None,
        }
    }

    fn weekday(&self, i: usize) -> Option<u32> {
        let info = self.info(i)?;
        (info.weekday != 0 && self.has_article(i)).then_some(info.weekday)
    }

    fn found(&self, tokens: Range<usize>, form: Form) -> Found {
        let first = &self.tokens[tokens.start];
        let mut start = first.span.start;
        if first.kind == TokenKind::Word && first.segmentation.conjunction.is_some() {
            // وقبل أسبوعين: the conjunction is not part of the date.
            let surface = &self.text[first.span.clone()];
            let mut chars = surface.char_indices().skip(1);
            let skip = chars.find(|&(_, c)| !marsad_text::normalize::is_mark(c)).map_or(0, |(i, _)| i);
            start += skip;
        }
        let span = start..self.tokens[tokens.end - 1].span.end;
        Found { tokens, span, form, with_weekday: false }
    }

    // ---- patterns ----------------------------------------------------

    /// The longest date expression starting at token `i`.
    fn at(&self, i: usize) -> Option<Found> {
        let t = self.tok(i)?;
        match t.kind {
            TokenKind::Number => self.numeric(i).or_else(|| self.day_month(i, i)).or_else(|| self.bare_year(i)),
            TokenKind::Latin => self.latin_day(i),
            TokenKind::Word => self.word_led(i),
            TokenKind::Punct => None,
        }
    }

    /// `2023-09-13`, `2023/9/13`, `13/9/2023`, `13-09-2023`, `13.09.2023`.
    fn numeric(&self, i: usize) -> Option<Found> {
        let t = self.tok(i)?;
        // 13.09.2023 is one number token.
        if t.normalized.matches('.').count() == 2 {
            let mut parts = t.normalized.split('.');
            let d: u32 = parts.next()?.parse().ok()?;
            let m: u32 = parts.next()?.parse().ok()?;
            let y = parts.next()?;
            if y.len() != 4 {
                return None;
            }
            let day = Day::new(y.parse().ok()?, m, d)?;
            return Some(self.found(i..i + 1, Form::Full(day)));
        }
        let tight = |a: usize| match (self.tok(a), self.tok(a + 1)) {
            (Some(x), Some(y)) => x.span.end == y.span.start,
            _ => false,
        };
        let sep = self.punct(i + 1).filter(|c| matches!(c, '-' | '/'))?;
        if !(tight(i) && tight(i + 1) && tight(i + 2) && tight(i + 3) && self.punct(i + 3) == Some(sep)) {
            return None;
        }
        let (a, da) = self.number(i, 4)?;
        let (b, _) = self.number(i + 2, 2)?;
        let (c, dc) = self.number(i + 4, 4)?;
        let day = if da == 4 && dc <= 2 {
            Day::new(a as i32, b as u32, c as u32)
        } else if da <= 2 && dc == 4 {
            Day::new(c as i32, b as u32, a as u32)
        } else {
            None
        }?;
        let mut end = i + 5;
        if self.tok(end).is_some_and(|t| t.kind == TokenKind::Word && t.normalized == "م") {
            end += 1;
        }
        Some(self.found(i..end, Form::Full(day)))
    }

    /// `Dodouche13 سبتمبر 2023`: a byline glued to the day. The day's
    /// digits end a Latin token; the expression starts at them.
    fn latin_day(&self, i: usize) -> Option<Found> {
        let t = self.tok(i)?;
        let surface = &self.text[t.span.clone()];
        let digits: usize = surface.bytes().rev().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 2 || digits == surface.len() {
            return None;
        }
        let d: u32 = surface[surface.len() - digits..].parse().ok()?;
        if !(1..=31).contains(&d) {
            return None;
        }
        let mut f = self.after_day(i, i + 1, d)?;
        f.span.start = t.span.end - digits;
        Some(f)
    }

    /// A day number at `day_at` followed by a month; the expression starts
    /// at token `start`.
    fn day_month(&self, start: usize, day_at: usize) -> Option<Found> {
        let d = self.day(day_at)?;
        self.after_day(start, day_at + 1, d)
    }

    fn after_day(&self, start: usize, month_at: usize, d: u32) -> Option<Found> {
        let (m, mut j, _) = self.month(month_at)?;
        j = self.alternate_month(j);
        if let Some((y, e)) = self.year_after_month(j) {
            let day = Day::new(y, m, d)?;
            return Some(self.found(start..e, Form::Full(day)));
        }
        if d > civil::days_in_month(2024, m) {
            return None;
        }
        let dir = self.direction(j);
        let end = if dir == Direction::None { j } else { j + 1 };
        Some(self.found(start..end, Form::DayMonth { month: m, day: d, dir }))
    }

    /// A four-digit year in a date context: after في, منذ, …, or an event
    /// word (لقاء 2019), or written 2019م; a range `2006 و2017` with it.
    fn bare_year(&self, i: usize) -> Option<Found> {
        let (y, mut end) = self.year(i)?;
        let suffixed = end > i + 1;
        let prev = i.checked_sub(1);
        let context = prev
            .is_some_and(|p| self.info(p).is_some_and(|w| w.year_context) || crate::event::is_event_noun(self.base(p)));
        if !(suffixed || context) {
            return None;
        }
        if self.info(end).is_some_and(|w| w.not_after_year) || self.punct(end) == Some('%') {
            return None;
        }
        let mut year_end = None;
        if let Some((y2, e)) = self.range_end(end) {
            year_end = Some(y2);
            end = e;
        }
        Some(self.found(i..end, Form::Year { year: y, end: year_end }))
    }

    /// `و2017`, `إلى 2017`, `حتى عام 2017` after a first year: the end year.
    fn range_end(&self, j: usize) -> Option<(i32, usize)> {
        if !matches!(self.tok(j)?.normalized.as_str(), "و" | "الي" | "حتي") {
            return None;
        }
        let k = if matches!(self.base(j + 1), "عام" | "سنة") { j + 2 } else { j + 1 };
        self.year(k)
    }

    fn word_led(&self, i: usize) -> Option<Found> {
        let base = self.base(i);
        let info = self.info(i);
        // يوم الأربعاء, يوم أمس, يوم غد: يوم joins the expression.
        if base == "يوم" && !self.has_article(i) {
            if let Some(mut f) =
                self.weekday_led(i + 1).or_else(|| self.relative_day(i + 1)).or_else(|| self.day_month(i + 1, i + 1))
            {
                let with_weekday = f.with_weekday;
                f = self.found(i..f.tokens.end, f.form);
                f.with_weekday = with_weekday;
                return Some(f);
            }
            return None;
        }
        if let Some(f) = self.weekday_led(i) {
            return Some(f);
        }
        if let Some(f) = self.month_led(i) {
            return Some(f);
        }
        if let Some(info) = info {
            if info.edge {
                // أواخر يوليو الماضي, مطلع العام المقبل, نهاية عام 2019.
                let next = self.word_led(i + 1)?;
                return matches!(
                    next.form,
                    Form::Month { .. } | Form::MonthYear { .. } | Form::Year { .. } | Form::Months(_) | Form::Years(_)
                )
                .then(|| self.found(i..next.tokens.end, next.form));
            }
            if info.decade != 0 {
                return Some(self.decade(i, info.decade));
            }
        }
        match base {
            "بين" | "عامي" | "عام" | "سنة" => {
                if let Some(f) = self.year_led(i) {
                    return Some(f);
                }
            }
            // الـ13 من سبتمبر
            "ال" if self.day(i + 1).is_some() => {
                let j = if self.base(i + 2) == "من" { i + 2 } else { i + 1 };
                let d = self.day(i + 1)?;
                return self.after_day(i, j + 1, d);
            }
            _ => {}
        }
        self.relative_day(i).or_else(|| self.period(i)).or_else(|| self.ago(i))
    }

    /// `[شهر] مارس/أذار 2022 [الماضي]`.
    fn month_led(&self, i: usize) -> Option<Found> {
        let named = self.base(i) == "شهر" && !self.has_article(i);
        let (m, j, ambiguous) = self.month(if named { i + 1 } else { i })?;
        let after_alt = self.alternate_month(j);
        let alt = after_alt > j;
        if let Some((y, e)) = self.year_after_month(after_alt) {
            return Some(self.found(i..e, Form::MonthYear { year: y, month: m }));
        }
        let dir = self.direction(after_alt);
        let end = if dir == Direction::None { after_alt } else { after_alt + 1 };
        if ambiguous && !(named || alt || dir != Direction::None) {
            return None;
        }
        Some(self.found(i..end, Form::Month { month: m, dir }))
    }

    /// `[يوم] الأربعاء 13 سبتمبر 2023`, or a weekday alone: `الأربعاء
    /// الماضي`, `الخميس`.
    fn weekday_led(&self, i: usize) -> Option<Found> {
        let wd = self.weekday(i)?;
        let mut j = i + 1;
        if matches!(self.punct(j), Some(',') | Some('،')) {
            j += 1;
        }
        if let Some(mut f) = self.day_month(i, j) {
            f.with_weekday = true;
            return Some(f);
        }
        let dir = self.direction(i + 1);
        let end = if dir == Direction::None { i + 1 } else { i + 2 };
        let dir = if dir == Direction::None && self.future_before(i) { Direction::Current } else { dir };
        Some(self.found(i..end, Form::Weekday { weekday: wd, dir, from: 0 }))
    }

    /// Whether a future verb (سيعقد, ستبدأ) comes shortly before token `i`.
    fn future_before(&self, i: usize) -> bool {
        (i.saturating_sub(4)..i).any(|k| {
            let t = &self.tokens[k];
            let w = t.normalized.strip_prefix(['و', 'ف']).unwrap_or(&t.normalized);
            t.kind == TokenKind::Word
                && !t.segmentation.article
                && w.chars().count() >= 4
                && (w.starts_with("سي") || w.starts_with("ست"))
                && !w.ends_with('ة')
                && !w.ends_with("ات")
        })
    }

    /// `عام 2019`, `العام 2019`, `عامي 2006 و2017`, `بين عامي 2006 و2017`,
    /// `بين 2006 و2017`.
    fn year_led(&self, i: usize) -> Option<Found> {
        let mut j = i;
        let between = self.base(i) == "بين";
        if between {
            j += 1;
        }
        if matches!(self.base(j), "عامي" | "عام" | "سنة" | "سنتي") {
            j += 1;
        } else if !between {
            return None;
        }
        let (y, mut end) = self.year(j)?;
        let mut year_end = None;
        if let Some((y2, e)) = self.range_end(end) {
            year_end = Some(y2);
            end = e;
        } else if between {
            return None;
        }
        Some(self.found(i..end, Form::Year { year: y, end: year_end }))
    }

    /// `ثمانينيات القرن الماضي`, `الثمانينيات`.
    fn decade(&self, i: usize, twentieth: i32) -> Found {
        let mut j = i + 1;
        if self.base(j) == "من" {
            j += 1;
        }
        let mut century = 1900;
        let mut end = i + 1;
        if self.base(j) == "قرن" {
            let k = j + 1;
            match (self.direction(k), self.base(k)) {
                (Direction::Past, _) | (_, "عشرين") => {
                    end = k + 1;
                }
                (Direction::Current, _) => {
                    century = 2000;
                    end = k + 1;
                }
                (_, "حادي") if self.base(k + 1) == "عشرين" => {
                    century = 2000;
                    end = k + 2;
                }
                (_, "تاسع") if self.base(k + 1) == "عشر" => {
                    century = 1800;
                    end = k + 2;
                }
                _ => {}
            }
        }
        self.found(i..end, Form::Decade(century + (twentieth - 1900)))
    }

    /// أمس, أمس الأول, أمس الجمعة, البارحة, اليوم, اليوم الخميس, غدا, بعد غد.
    fn relative_day(&self, i: usize) -> Option<Found> {
        let base = self.base(i);
        let article = self.has_article(i);
        match base {
            "امس" => {
                if self.base(i + 1) == "اول" && self.has_article(i + 1) {
                    return Some(self.found(i..i + 2, Form::Days(-2)));
                }
                if let Some(wd) = self.weekday(i + 1) {
                    if self.day_month(i + 2, i + 2).is_none() {
                        return Some(
                            self.found(i..i + 2, Form::Weekday { weekday: wd, dir: Direction::None, from: -1 }),
                        );
                    }
                }
                Some(self.found(i..i + 1, Form::Days(-1)))
            }
            "بارحة" if article => Some(self.found(i..i + 1, Form::Days(-1))),
            "يوم" if article => {
                if let Some(wd) = self.weekday(i + 1) {
                    if self.day_month(i + 2, i + 2).is_none() {
                        return Some(
                            self.found(i..i + 2, Form::Weekday { weekday: wd, dir: Direction::None, from: 0 }),
                        );
                    }
                    return Some(self.found(i..i + 1, Form::Days(0)));
                }
                // اليوم التالي, اليوم الأول, اليوم نفسه are not today.
                let next = self.tok(i + 1);
                let not_today = next.is_some_and(|t| {
                    (t.kind == TokenKind::Word
                        && (t.segmentation.article || matches!(t.base(), "نفسه" | "ذاته" | "ذات" | "نفس")))
                        || t.kind == TokenKind::Number
                });
                let prev_ordinal = i.checked_sub(1).is_some_and(|p| matches!(self.base(p), "ذلك" | "هذا" | "نفس"));
                (!not_today && !prev_ordinal).then(|| self.found(i..i + 1, Form::Days(0)))
            }
            "غدا" if !article => Some(self.found(i..i + 1, Form::Days(1))),
            "غد" => Some(self.found(i..i + 1, Form::Days(1))),
            "بعد" if self.base(i + 1) == "غد" && !self.has_article(i + 1) => {
                Some(self.found(i..i + 2, Form::Days(2)))
            }
            _ => None,
        }
    }

    /// الشهر الماضي, العام المقبل, السنة الحالية, هذا الشهر, لاحقا هذا الشهر.
    fn period(&self, i: usize) -> Option<Found> {
        let base = self.base(i);
        let is_period = |k: usize| self.has_article(k) && matches!(self.base(k), "شهر" | "عام" | "سنة");
        let form = |k: usize, n: i64| {
            if self.base(k) == "شهر" {
                Form::Months(n)
            } else {
                Form::Years(n)
            }
        };
        if is_period(i) {
            let n = match self.direction(i + 1) {
                Direction::Past => -1,
                Direction::Next => 1,
                Direction::Current => 0,
                Direction::None => return None,
            };
            return Some(self.found(i..i + 2, form(i, n)));
        }
        if matches!(base, "هذا" | "هذه") && is_period(i + 1) {
            return Some(self.found(i..i + 2, form(i + 1, 0)));
        }
        if matches!(base, "لاحقا" | "اواخر" | "مطلع") && matches!(self.base(i + 1), "هذا" | "هذه") && is_period(i + 2)
        {
            return Some(self.found(i..i + 3, form(i + 2, 0)));
        }
        None
    }

    /// قبل أسبوعين, منذ 24 عاماً, قبل ثلاثة أيام — but not قبل يومين من
    /// القمة (relative to the summit) nor منذ سنوات (no count).
    fn ago(&self, i: usize) -> Option<Found> {
        if !matches!(self.base(i), "قبل" | "منذ") {
            return None;
        }
        let mut j = i + 1;
        if matches!(self.base(j), "نحو" | "حوالي" | "قرابة") {
            j += 1;
        }
        let mut count = None;
        if let Some((n, _)) = self.number(j, 3) {
            count = Some(n);
            j += 1;
        } else if let Some(w) = self.info(j).filter(|w| w.count > 0) {
            count = Some(w.count);
            j += 1;
        }
        let (unit, dual) = self.info(j)?.unit?;
        if self.has_article(j) {
            return None;
        }
        let n = match (count, dual) {
            (Some(n), None) => n,
            (None, Some(d)) => d,
            // قبل عام, منذ أسبوع: one; but منذ سنوات has no count.
            (None, None) if matches!(self.base(j), "عام" | "سنة" | "شهر" | "اسبوع" | "يوم") => 1,
            _ => return None,
        };
        if n <= 0 || n > 500 {
            return None;
        }
        let end = j + 1;
        // قبل عام 2019 is a year; قبل يومين من القمة is not about the article.
        if self.year(end).is_some() || matches!(self.base(end), "من" | "علي") {
            return None;
        }
        let form = match unit {
            Unit::Days(s) => Form::Days(-n * s),
            Unit::Months(s) => Form::Months(-n * s),
            Unit::Years(s) => Form::Years(-n * s),
        };
        Some(self.found(i..end, form))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, date: Option<&str>) -> (Option<Anchor>, Vec<DateMention>) {
        let tokens = marsad_text::tokenize(text);
        let sentences = marsad_text::split_sentences(text);
        extract(text, &tokens, &sentences, date)
    }

    fn values(text: &str, date: Option<&str>) -> Vec<(String, Option<String>)> {
        run(text, date).1.into_iter().map(|m| (m.text, m.value)).collect()
    }

    #[test]
    fn absolute_forms() {
        let v = values("التقى الرئيسان في 13 سبتمبر 2023 ثم في مارس/ أذار 2022.", None);
        assert_eq!(
            v,
            [("13 سبتمبر 2023".into(), Some("2023-09-13".into())), ("مارس/ أذار 2022".into(), Some("2022-03".into()))]
        );
    }

    #[test]
    fn months_need_the_anchor_year() {
        let v = values("زار موسكو في سبتمبر الماضي وسيزور بكين في مايو المقبل.", Some("2024-06-22"));
        assert_eq!(v[0].1.as_deref(), Some("2023-09"));
        assert_eq!(v[1].1.as_deref(), Some("2025-05"));
        let v = values("زار موسكو في سبتمبر الماضي.", None);
        assert_eq!(v[0].1, None);
    }

    #[test]
    fn ordinary_numbers_are_not_years() {
        assert!(values("ويطالب القرار 1701 بإعادة 2000 عامل خلال عامين.", None).is_empty());
        assert!(values("مارس الضغط على الحكومة.", None).is_empty());
    }

    #[test]
    fn anchor_sources() {
        let (a, _) = run("موسكو - 13 سبتمبر 2023\nقال بوتين أمس إن ...", None);
        assert_eq!(a.map(|a| (a.date, a.source)), Some(("2023-09-13".into(), AnchorSource::Dateline)));
        let (a, _) = run(
            "نص طويل بما يكفي لكي لا يكون سطرا قصيرا في أعلى المقال، ويتحدث عن الحرب الباردة والقمم. \
             وفي عام 1948 حدث شيء، وقال الوزير أمس، الاثنين 4 سبتمبر 2023، إن المحادثات مستمرة.",
            None,
        );
        assert_eq!(a.map(|a| (a.date, a.source)), Some(("2023-09-05".into(), AnchorSource::Text)));
        let (a, _) = run("ولد الشاعر في 12 أكتوبر 1948، وفي عام 2017 صدر ديوانه الأخير.", None);
        assert_eq!(a, None, "an old date is not the article's");
    }

    #[test]
    fn quoted_today_is_left_unresolved() {
        let v = values("وقال الوزير \"نعقد اجتماع اليوم\" مع الوفد، وغادر اليوم.", Some("2019-04-26"));
        assert_eq!(v[0].1, None);
        assert_eq!(v[1].1.as_deref(), Some("2019-04-26"));
    }
}
