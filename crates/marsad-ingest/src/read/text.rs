//! Plain text: one paragraph a line, with an optional title line and an
//! optional dateline at the top.
//!
//! Text saved from news sites usually starts with the headline and a
//! byline/date line (`Brahim Dodouche13 سبتمبر 2023`, where the page put the
//! author and date in adjacent elements with no space between). Left in the
//! body, the headline would be counted twice and the dateline would be
//! analysed as a sentence with a person name in it. So:
//!
//! * **Title**: the first non-empty line is the title when it is short
//!   (≤ 20 words), does not end with sentence punctuation, and is followed by
//!   a blank line or by a longer paragraph. An article that opens directly
//!   with its first paragraph gets no title (the store derives one).
//! * **Dateline**: a short line within the first three non-empty lines after
//!   the title that consists of a date (`13 سبتمبر 2023`, `2023-09-13`,
//!   `13/09/2023`) plus at most a few words of author or place, or a byline
//!   (`بقلم محمد علي`, `By …`). It gives `author` and `date` and leaves the
//!   body.

use crate::date::{find_date, FoundDate};
use crate::decode::decode_text;
use crate::document::{Format, SourceDocument};
use crate::error::ErrorReason;

use super::{content_id, SourceName};

const TITLE_MAX_WORDS: usize = 20;
const DATELINE_MAX_WORDS: usize = 12;
const DATELINE_MAX_CHARS: usize = 120;
const AUTHOR_MAX_WORDS: usize = 6;

pub(crate) fn read_text(source: &SourceName<'_>, bytes: &[u8]) -> Result<SourceDocument, ErrorReason> {
    let decoded = decode_text(bytes, None)?;
    let raw = decoded.text;
    let lines: Vec<&str> = raw.split(['\n', '\r', '\u{2028}', '\u{2029}']).map(str::trim).collect();
    let layout = find_layout(&lines);
    let body_lines: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|&(i, line)| !line.is_empty() && Some(i) != layout.title && Some(i) != layout.dateline_line)
        .map(|(_, line)| *line)
        .collect();
    let (title, body) = if body_lines.is_empty() {
        // Only a title (and dateline): the "title" is the text.
        match layout.title {
            Some(t) => (None, lines[t].to_string()),
            None => return Err(ErrorReason::NoBody),
        }
    } else {
        (layout.title.map(|t| lines[t].to_string()), body_lines.join("\n"))
    };
    let (author, date) = match layout.dateline {
        Some(d) => (d.author, d.date),
        None => (None, None),
    };
    let id = source.stem.clone().unwrap_or_else(|| content_id(&[&raw]));
    Ok(SourceDocument {
        id,
        title,
        source: None,
        url: None,
        author,
        date,
        body,
        raw,
        origin: source.name.to_string(),
        format: Format::Text,
        encoding_note: decoded.note,
    })
}

/// Which lines are the title and the dateline.
#[derive(Debug, Default)]
struct Layout {
    title: Option<usize>,
    dateline_line: Option<usize>,
    dateline: Option<Dateline>,
}

fn find_layout(lines: &[&str]) -> Layout {
    let non_empty: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_empty()).collect();
    let mut layout = Layout::default();
    let Some(&first) = non_empty.first() else {
        return layout;
    };
    // A dateline may come first, before the title.
    let mut title_candidate = 0;
    if let Some(d) = parse_dateline(lines[first]) {
        layout.dateline_line = Some(first);
        layout.dateline = Some(d);
        title_candidate = 1;
    }
    if let Some(&t) = non_empty.get(title_candidate) {
        let next = non_empty.get(title_candidate + 1).copied();
        if let Some(next) = next {
            let blank_follows = next > t + 1;
            let longer_follows = word_count(lines[next]) > word_count(lines[t]);
            if is_title_like(lines[t]) && (blank_follows || longer_follows) && parse_dateline(lines[t]).is_none() {
                layout.title = Some(t);
            }
        }
    }
    if layout.dateline.is_none() {
        let after = if layout.title.is_some() { title_candidate + 1 } else { title_candidate };
        for &i in non_empty.iter().skip(after).take(3) {
            if let Some(d) = parse_dateline(lines[i]) {
                layout.dateline_line = Some(i);
                layout.dateline = Some(d);
                break;
            }
        }
    }
    layout
}

fn word_count(line: &str) -> usize {
    line.split_whitespace().count()
}

/// Short and without sentence-final punctuation.
fn is_title_like(line: &str) -> bool {
    let words = word_count(line);
    if words == 0 || words > TITLE_MAX_WORDS {
        return false;
    }
    let end = line.trim_end_matches(['"', '\'', '”', '“', '»', '«', ')', ']', ' ']);
    !end.ends_with(['.', '؟', '?', '!', ':', '…', '؛', ';', '،', ','])
}

/// Author and date from a dateline or byline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Dateline {
    pub author: Option<String>,
    pub date: Option<String>,
}

/// Words that introduce an author in a byline.
const AUTHOR_MARKERS: &[&str] =
    &["بقلم", "كتب", "كتبت", "كتبه", "إعداد", "اعداد", "بواسطة", "تقرير", "by", "author", "الكاتب"];

/// Author markers that are also ordinary words (كتب "books", تقرير "a
/// report"): without a date on the line they count only when followed by a
/// colon, as in `كتب: محمد علي`.
const AMBIGUOUS_MARKERS: &[&str] = &["كتب", "كتبت", "كتبه", "تقرير", "الكاتب", "author"];

/// Words that may surround a date in a dateline without being an author.
const DATE_FILLERS: &[&str] = &[
    "نشر",
    "نشرت",
    "في",
    "بتاريخ",
    "تاريخ",
    "النشر",
    "آخر",
    "اخر",
    "تحديث",
    "التحديث",
    "محدث",
    "published",
    "updated",
    "on",
    "at",
    "last",
    "posted",
    "الساعة",
    "ص",
    "م",
    "am",
    "pm",
    "gmt",
    "utc",
    "الأحد",
    "الاحد",
    "الإثنين",
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الاربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sun",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
];

/// Recognizes a dateline (`Brahim Dodouche13 سبتمبر 2023`,
/// `بقلم محمد علي - 4 سبتمبر 2023`, `13 سبتمبر 2023`, `2023-09-13`) or a
/// byline (`بقلم محمد علي`).
pub(crate) fn parse_dateline(line: &str) -> Option<Dateline> {
    if word_count(line) > DATELINE_MAX_WORDS || line.chars().count() > DATELINE_MAX_CHARS {
        return None;
    }
    match find_date(line) {
        Some(FoundDate { iso, span }) => {
            let before = meaningful_words(&line[..span.start]);
            let after = meaningful_words(&line[span.end..]);
            if before.len() + after.len() > AUTHOR_MAX_WORDS {
                return None;
            }
            let words = if before.is_empty() { after } else { before };
            let author = (!words.is_empty()).then(|| words.join(" "));
            Some(Dateline { author, date: Some(iso) })
        }
        None => {
            // A byline without a date: it must start with an author marker.
            let first_word = line.split_whitespace().next()?;
            let first = strip_punctuation(first_word).to_lowercase();
            if !AUTHOR_MARKERS.contains(&first.as_str()) {
                return None;
            }
            let colon_follows = first_word.ends_with(':') || line[first_word.len()..].trim_start().starts_with(':');
            if AMBIGUOUS_MARKERS.contains(&first.as_str()) && !colon_follows {
                return None;
            }
            let words = meaningful_words(line);
            if words.is_empty() || words.len() > AUTHOR_MAX_WORDS - 1 {
                return None;
            }
            Some(Dateline { author: Some(words.join(" ")), date: None })
        }
    }
}

/// The words of a dateline fragment that can be an author or place name:
/// without separators, times, weekday names and filler words.
fn meaningful_words(fragment: &str) -> Vec<&str> {
    fragment
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '•' | '–' | '—' | '،' | ',' | '(' | ')' | '/'))
        .map(strip_punctuation)
        .filter(|w| !w.is_empty())
        .filter(|w| w.chars().any(char::is_alphabetic))
        .filter(|w| {
            let lower = w.to_lowercase();
            !DATE_FILLERS.contains(&lower.as_str()) && !AUTHOR_MARKERS.contains(&lower.as_str())
        })
        .collect()
}

fn strip_punctuation(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> SourceName<'static> {
        SourceName { name: "dir/004_story.txt", stem: Some("004_story".into()), size: None }
    }

    #[test]
    fn datelines() {
        let d = parse_dateline("Brahim Dodouche13 سبتمبر 2023").unwrap();
        assert_eq!(d.author.as_deref(), Some("Brahim Dodouche"));
        assert_eq!(d.date.as_deref(), Some("2023-09-13"));
        let d = parse_dateline("بقلم محمد علي - 4 سبتمبر 2023").unwrap();
        assert_eq!(d.author.as_deref(), Some("محمد علي"));
        assert_eq!(d.date.as_deref(), Some("2023-09-04"));
        let d = parse_dateline("13 سبتمبر 2023").unwrap();
        assert_eq!((d.author, d.date.as_deref()), (None, Some("2023-09-13")));
        let d = parse_dateline("2023-09-13").unwrap();
        assert_eq!(d.date.as_deref(), Some("2023-09-13"));
        let d = parse_dateline("نشر في: الأربعاء 13 سبتمبر 2023 - 10:30 ص").unwrap();
        assert_eq!((d.author, d.date.as_deref()), (None, Some("2023-09-13")));
        let d = parse_dateline("بقلم سارة أحمد").unwrap();
        assert_eq!((d.author.as_deref(), d.date), (Some("سارة أحمد"), None));
        // A sentence that mentions a date is not a dateline.
        assert!(parse_dateline("وصل الوفد الروسي إلى العاصمة الكورية يوم 13 سبتمبر 2023 في زيارة رسمية").is_none());
        assert!(parse_dateline("كتب التاريخ فصلا جديدا في العلاقات بين البلدين هذا الأسبوع").is_none());
        assert!(parse_dateline("كتب جديدة في معرض الكتاب").is_none());
        let d = parse_dateline("كتب: خالد يوسف").unwrap();
        assert_eq!(d.author.as_deref(), Some("خالد يوسف"));
    }

    #[test]
    fn title_dateline_and_body() {
        let text = "القمة تنتهي ببيان مشترك\n\nكتبت هدى سالم - 2 مارس 2024\n\nاجتمع الزعيمان ساعتين وناقشا ملفات عدة.\n\nوقال مسؤول إن المحادثات كانت بناءة.\n";
        let doc = read_text(&source(), text.as_bytes()).unwrap();
        assert_eq!(doc.title.as_deref(), Some("القمة تنتهي ببيان مشترك"));
        assert_eq!(doc.author.as_deref(), Some("هدى سالم"));
        assert_eq!(doc.date.as_deref(), Some("2024-03-02"));
        assert_eq!(doc.body, "اجتمع الزعيمان ساعتين وناقشا ملفات عدة.\nوقال مسؤول إن المحادثات كانت بناءة.");
        assert_eq!(doc.id, "004_story");
        assert_eq!(doc.origin, "dir/004_story.txt");
        assert_eq!(doc.raw, text);
    }

    #[test]
    fn no_title_when_first_line_is_a_sentence() {
        let text = "اجتمع الزعيمان ساعتين وناقشا ملفات عدة.\nوقال مسؤول إن المحادثات كانت بناءة.";
        let doc = read_text(&source(), text.as_bytes()).unwrap();
        assert_eq!(doc.title, None);
        assert_eq!(doc.body, text);
        // A long first paragraph without a final period is not a title either.
        let long = format!("{}\nثانية.", "كلمة ".repeat(30).trim());
        assert_eq!(read_text(&source(), long.as_bytes()).unwrap().title, None);
    }

    #[test]
    fn title_needs_a_following_paragraph() {
        let doc = read_text(&source(), "سطر وحيد بلا نقطة".as_bytes()).unwrap();
        assert_eq!(doc.title, None);
        assert_eq!(doc.body, "سطر وحيد بلا نقطة");
        // Title followed directly (no blank) by a longer paragraph.
        let doc = read_text(&source(), "عنوان قصير\nفقرة أطول من العنوان بكثير في عدد الكلمات.".as_bytes()).unwrap();
        assert_eq!(doc.title.as_deref(), Some("عنوان قصير"));
        // Followed directly by a shorter line: not a title (a list of lines).
        let doc = read_text(&source(), "سطر أول من ثلاث كلمات\nسطر ثان".as_bytes()).unwrap();
        assert_eq!(doc.title, None);
    }

    #[test]
    fn stdin_gets_a_content_id() {
        let src = SourceName { name: "stdin", stem: None, size: None };
        let a = read_text(&src, "نص أول".as_bytes()).unwrap();
        let b = read_text(&src, "نص ثان".as_bytes()).unwrap();
        assert_eq!(a.id.len(), 16);
        assert_ne!(a.id, b.id);
    }
}
