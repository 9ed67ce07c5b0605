//! Publication dates in whatever form sources write them → ISO 8601.
//!
//! Dates reach ingest as `2015-08-06 01:00:00` (database dumps), RFC 3339
//! (`2023-09-13T10:00:00+03:00`, HTML meta tags), RFC 2822 (`Wed, 13 Sep 2023
//! 10:00:00 GMT`, RSS), day-first numeric (`13/09/2023`, the usual order in
//! the Arab world), and written out in Arabic (`13 سبتمبر 2023`,
//! `الأربعاء 13 أيلول/سبتمبر 2023`), often with Arabic-Indic digits. They all
//! become `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` when a time is known.
//!
//! A UTC offset, when given, is dropped rather than applied: the local date
//! and time printed on the article is the one readers and reporters cite
//! ("the summit of 13 September"), and converting to UTC would move
//! late-evening articles to the next day.
//!
//! Arabic month names of both series come from
//! [`marsad_text::calendar::month_prefix`], so ingest and the text layer
//! agree on spellings.

use std::ops::Range;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// Normalizes a date string to `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`; `None`
/// when no date can be read from it.
///
/// ```
/// use marsad_ingest::normalize_date;
/// assert_eq!(normalize_date("2015-08-06 01:00:00").as_deref(), Some("2015-08-06T01:00:00"));
/// assert_eq!(normalize_date("2015-08-06").as_deref(), Some("2015-08-06"));
/// assert_eq!(normalize_date("Wed, 13 Sep 2023 10:30:00 +0300").as_deref(), Some("2023-09-13T10:30:00"));
/// assert_eq!(normalize_date("١٣ سبتمبر ٢٠٢٣").as_deref(), Some("2023-09-13"));
/// ```
pub fn normalize_date(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // ISO first: it is by far the most common, and unambiguous.
    if let Some(found) = iso_at(&chars, 0) {
        return Some(found.iso);
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(text) {
        return Some(format_datetime(dt.naive_local()));
    }
    for format in ["%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%A, %B %d, %Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return Some(format_date(date));
        }
    }
    find_date(text).map(|found| found.iso)
}

/// A date found inside a line of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FoundDate {
    /// The normalized date.
    pub iso: String,
    /// Byte range of the date (and its time, if any) in the line.
    pub span: Range<usize>,
}

/// The first date written anywhere in `line`: ISO (`2023-09-13`, optionally
/// with a time), day-first numeric (`13/09/2023`), or day, month name and year
/// (`13 سبتمبر 2023`, `13 أيلول/سبتمبر 2023`, `13 September 2023`). The day
/// may be glued to the word before it, as in `Brahim Dodouche13 سبتمبر 2023`.
pub(crate) fn find_date(line: &str) -> Option<FoundDate> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_run = digit_value(chars[i].1).is_some() && (i == 0 || digit_value(chars[i - 1].1).is_none());
        if starts_run {
            if let Some(found) = iso_at(&chars, i)
                .or_else(|| day_first_numeric_at(&chars, i))
                .or_else(|| day_month_name_year_at(line, &chars, i))
            {
                return Some(found);
            }
        }
        i += 1;
    }
    None
}

/// The value of an ASCII, Arabic-Indic or Extended Arabic-Indic digit.
pub(crate) fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

/// A run of digits starting at `i`: (value, number of digits). At most 9
/// digits are read, so the value cannot overflow.
fn digits_at(chars: &[(usize, char)], i: usize) -> Option<(u32, usize)> {
    let mut value = 0u32;
    let mut len = 0;
    while let Some(d) = chars.get(i + len).and_then(|&(_, c)| digit_value(c)) {
        if len == 9 {
            return None;
        }
        value = value * 10 + d;
        len += 1;
    }
    (len > 0).then_some((value, len))
}

fn byte_end(chars: &[(usize, char)], i: usize, line_len: usize) -> usize {
    chars.get(i).map_or(line_len, |&(b, _)| b)
}

fn line_len(chars: &[(usize, char)]) -> usize {
    chars.last().map_or(0, |&(b, c)| b + c.len_utf8())
}

fn char_at(chars: &[(usize, char)], i: usize) -> Option<char> {
    chars.get(i).map(|&(_, c)| c)
}

/// `YYYY-MM-DD` (or `/`, `.`) at `i`, with an optional `THH:MM[:SS]` or
/// ` HH:MM[:SS]`; fractional seconds and a UTC offset are consumed and
/// dropped.
fn iso_at(chars: &[(usize, char)], i: usize) -> Option<FoundDate> {
    let (year, ylen) = digits_at(chars, i)?;
    if ylen != 4 {
        return None;
    }
    let sep = char_at(chars, i + 4)?;
    if !matches!(sep, '-' | '/' | '.') {
        return None;
    }
    let (month, mlen) = digits_at(chars, i + 5)?;
    if mlen > 2 || char_at(chars, i + 5 + mlen) != Some(sep) {
        return None;
    }
    let dpos = i + 5 + mlen + 1;
    let (day, dlen) = digits_at(chars, dpos)?;
    if dlen > 2 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let mut end = dpos + dlen;
    let mut time = None;
    if matches!(char_at(chars, end), Some('T' | ' ')) {
        if let Some((t, tend)) = time_at(chars, end + 1) {
            time = Some(t);
            end = tend;
            // Fractional seconds and offset: consumed, not applied.
            if char_at(chars, end) == Some('.') {
                end += 1;
                while char_at(chars, end).and_then(digit_value).is_some() {
                    end += 1;
                }
            }
            match char_at(chars, end) {
                Some('Z') => end += 1,
                Some('+' | '-') if digits_at(chars, end + 1).is_some() => {
                    end += 1;
                    while char_at(chars, end).is_some_and(|c| digit_value(c).is_some() || c == ':') {
                        end += 1;
                    }
                }
                _ => {}
            }
        }
    }
    let iso = match time {
        Some(t) => format_datetime(NaiveDateTime::new(date, t)),
        None => format_date(date),
    };
    Some(FoundDate { iso, span: chars[i].0..byte_end(chars, end, line_len(chars)) })
}

/// `HH:MM` or `HH:MM:SS` at `i`: the time and the index after it.
fn time_at(chars: &[(usize, char)], i: usize) -> Option<(NaiveTime, usize)> {
    let (hour, hlen) = digits_at(chars, i)?;
    if hlen > 2 || char_at(chars, i + hlen) != Some(':') {
        return None;
    }
    let (minute, mlen) = digits_at(chars, i + hlen + 1)?;
    if mlen != 2 {
        return None;
    }
    let mut end = i + hlen + 1 + mlen;
    let mut second = 0;
    if char_at(chars, end) == Some(':') {
        if let Some((s, 2)) = digits_at(chars, end + 1) {
            second = s;
            end += 3;
        }
    }
    Some((NaiveTime::from_hms_opt(hour, minute, second)?, end))
}

/// `DD/MM/YYYY` (or `-`, `.`) at `i`: day first, as written in the region.
fn day_first_numeric_at(chars: &[(usize, char)], i: usize) -> Option<FoundDate> {
    let (day, dlen) = digits_at(chars, i)?;
    if dlen > 2 {
        return None;
    }
    let sep = char_at(chars, i + dlen)?;
    if !matches!(sep, '-' | '/' | '.') {
        return None;
    }
    let mpos = i + dlen + 1;
    let (month, mlen) = digits_at(chars, mpos)?;
    if mlen > 2 || char_at(chars, mpos + mlen) != Some(sep) {
        return None;
    }
    let ypos = mpos + mlen + 1;
    let (year, 4) = digits_at(chars, ypos)? else {
        return None;
    };
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let end = ypos + 4;
    Some(FoundDate { iso: format_date(date), span: chars[i].0..byte_end(chars, end, line_len(chars)) })
}

/// `13 سبتمبر 2023`, `13 أيلول/سبتمبر 2023`, `13 سبتمبر (أيلول) 2023`,
/// `13 September, 2023` at `i`.
fn day_month_name_year_at(line: &str, chars: &[(usize, char)], i: usize) -> Option<FoundDate> {
    let (day, dlen) = digits_at(chars, i)?;
    if dlen > 2 {
        return None;
    }
    let after_day = byte_end(chars, i + dlen, line.len());
    let rest = &line[after_day..];
    let (month, consumed) = month_name_prefix(rest)?;
    let mut pos = after_day + consumed;
    // An optional second name for the same month: `/أيلول` or `(أيلول)`.
    let trimmed = line[pos..].trim_start();
    let ws = line[pos..].len() - trimmed.len();
    if let Some(alt) = trimmed.strip_prefix('/').or_else(|| trimmed.strip_prefix('(')) {
        let skip = trimmed.len() - alt.len();
        if let Some((alt_month, alt_len)) = month_name_prefix(alt) {
            if alt_month == month {
                pos += ws + skip + alt_len;
                if line[pos..].trim_start().starts_with(')') {
                    pos += line[pos..].find(')').unwrap_or(0) + 1;
                }
            }
        }
    }
    // Separators before the year: spaces and a comma at most.
    let rest = &line[pos..];
    let year_start =
        rest.char_indices().find(|&(_, c)| !(c.is_whitespace() || c == ',' || c == '،')).map_or(rest.len(), |(b, _)| b);
    if rest[..year_start].chars().filter(|c| !c.is_whitespace()).count() > 1 {
        return None;
    }
    let year_byte = pos + year_start;
    let yi = chars.iter().position(|&(b, _)| b == year_byte)?;
    let (year, 4) = digits_at(chars, yi)? else {
        return None;
    };
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    Some(FoundDate { iso: format_date(date), span: chars[i].0..byte_end(chars, yi + 4, line.len()) })
}

/// An Arabic (either series) or English month name at the start of `text`
/// (after spaces): (month number, bytes consumed).
fn month_name_prefix(text: &str) -> Option<(u32, usize)> {
    if let Some(found) = marsad_text::calendar::month_prefix(text) {
        return Some(found);
    }
    let trimmed = text.trim_start();
    let lead = text.len() - trimmed.len();
    let word_len = trimmed.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(trimmed.len());
    let word = trimmed[..word_len].to_ascii_lowercase();
    const ENGLISH: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let month = ENGLISH
        .iter()
        .position(|name| word == *name || (word.len() >= 3 && name.starts_with(&word) && word.len() <= 4))?;
    Some((month as u32 + 1, lead + word_len))
}

fn format_date(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

fn format_datetime(dt: NaiveDateTime) -> String {
    format!("{}T{:02}:{:02}:{:02}", format_date(dt.date()), dt.hour(), dt.minute(), dt.second())
}

/// Seconds (or milliseconds, when the number is that large) since the Unix
/// epoch, as JSON exports sometimes give them; rendered in UTC.
pub(crate) fn from_unix_timestamp(value: f64) -> Option<String> {
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    let seconds = if value > 1e11 { value / 1000.0 } else { value };
    let dt = chrono::DateTime::from_timestamp(seconds as i64, 0)?;
    Some(format_datetime(dt.naive_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_and_database_forms() {
        assert_eq!(normalize_date("2015-08-06 01:00:00").as_deref(), Some("2015-08-06T01:00:00"));
        assert_eq!(normalize_date("2015-08-06").as_deref(), Some("2015-08-06"));
        assert_eq!(normalize_date("2023-09-13T10:00:00+03:00").as_deref(), Some("2023-09-13T10:00:00"));
        assert_eq!(normalize_date("2023-09-13T22:15:30.123Z").as_deref(), Some("2023-09-13T22:15:30"));
        assert_eq!(normalize_date("2023/09/13").as_deref(), Some("2023-09-13"));
        assert_eq!(normalize_date("2023-02-30"), None);
        assert_eq!(normalize_date("not a date"), None);
        assert_eq!(normalize_date(""), None);
    }

    #[test]
    fn rfc2822_and_english() {
        assert_eq!(normalize_date("Wed, 13 Sep 2023 10:30:00 GMT").as_deref(), Some("2023-09-13T10:30:00"));
        assert_eq!(normalize_date("13 September 2023").as_deref(), Some("2023-09-13"));
        assert_eq!(normalize_date("September 13, 2023").as_deref(), Some("2023-09-13"));
    }

    #[test]
    fn arabic_forms() {
        assert_eq!(normalize_date("13 سبتمبر 2023").as_deref(), Some("2023-09-13"));
        assert_eq!(normalize_date("الأربعاء 13 أيلول/سبتمبر 2023").as_deref(), Some("2023-09-13"));
        assert_eq!(normalize_date("4 سبتمبر (أيلول) 2023").as_deref(), Some("2023-09-04"));
        assert_eq!(normalize_date("٤ كانون الأول ٢٠١٧").as_deref(), Some("2017-12-04"));
        assert_eq!(normalize_date("13/09/2023").as_deref(), Some("2023-09-13"));
    }

    #[test]
    fn found_span_covers_glued_day() {
        let line = "Brahim Dodouche13 سبتمبر 2023";
        let found = find_date(line).unwrap();
        assert_eq!(found.iso, "2023-09-13");
        assert_eq!(&line[found.span.clone()], "13 سبتمبر 2023");
        assert_eq!(&line[..found.span.start], "Brahim Dodouche");
    }

    #[test]
    fn timestamps() {
        assert_eq!(from_unix_timestamp(1694600000.0).as_deref(), Some("2023-09-13T10:13:20"));
        assert_eq!(from_unix_timestamp(1694600000000.0).as_deref(), Some("2023-09-13T10:13:20"));
    }
}
