//! Cleaning: from what a page *contained* to what the article *says*, with a
//! record of every paragraph taken out.
//!
//! Text extracted from news sites carries two kinds of noise that distort
//! analysis. **Page furniture** — comment forms, "read more" blocks, share
//! buttons, CMS field labels, breaking-news tickers — adds words no
//! journalist wrote: `اترك تعليق` on every article of a site makes "comment"
//! look like a trending topic. **Repeated paragraphs** — pull-quotes that
//! print a sentence of the article a second time, sometimes shortened —
//! double the weight of whatever they quote, and make two outlets' copies of
//! the same wire story look less alike than they are.
//!
//! [`clean`] removes both, paragraph by paragraph, and never silently: each
//! removal is a [`Removal`] with its reason, its exact text and its byte span
//! in [`SourceDocument::body`], so `marsad doc` can show what was taken out
//! and a wrong removal can be seen and fixed. The original body stays in the
//! document.
//!
//! # Boilerplate
//!
//! Patterns live in `data/lexicon/boilerplate-ar.txt` (compiled in), one a
//! line with its kind and match mode; see that file. A pattern matches a
//! *whole* paragraph, or the start of a *short* one — never words in the
//! middle of a sentence, so `وقال إن عليه أن يترك تعليقا …` is safe. Matching
//! is on normalized words (`comparison_key`, then punctuation dropped and
//! Latin lowercased), so `اترك تعليقاً`, `اترك تعليقا` and `اترك تعليقا:`
//! are one pattern.
//!
//! Two kinds of boilerplate come in blocks, and the block is removed:
//!
//! * After a comment-form paragraph in the second half of an article, the
//!   paragraphs that follow, up to the end, belong to the form when all are
//!   short (≤ 40 words): comment rules such as `عدم الإساءة للكاتب …` match no
//!   fixed pattern but are never article text at that place.
//! * A "read more" heading (`اقرأ المزيد`, `مواضيع ذات صلة`) takes with it the
//!   lines right after it that are boilerplate themselves (a CMS leftover such
//!   as `Related Nodes field`) or look like a list of links (bullets,
//!   `|`-separated titles). A plain short line after it is kept: it cannot be
//!   told from the next subheading (`قمة الخمس ساعات`).
//!
//! # Repeated paragraphs
//!
//! Two paragraphs are compared on their normalized word sequence, so
//! diacritics, punctuation (a lost final period) and spacing do not matter.
//! A paragraph of at least 4 words equal to another is a repeat; a paragraph
//! of at least 8 words that appears, word for word, inside a longer one is an
//! excerpt (a pull-quote) and a repeat too. The fuller copy is kept (the
//! first, when equal) and the other is removed with
//! [`RemovalReason::RepeatedParagraph`] naming the kept one. Short lines
//! (1–3 words) are never treated as repeats: interview labels and
//! subheadings legitimately recur.
//!
//! Containment is found without comparing characters pairwise: every
//! paragraph's word 4-grams go into a hash map, and a paragraph is only
//! checked, word by word, against the places where its first 4-gram occurs.
//! That is linear in the article's length for ordinary text.

mod boilerplate;
mod repeats;

use std::ops::Range;

use xxhash_rust::xxh3::xxh3_128;

use crate::document::{CleanDocument, Removal, RemovalReason, SourceDocument};

/// Cleans one document: boilerplate and repeated paragraphs are removed
/// and recorded; the kept paragraphs become the analysed text.
pub fn clean(doc: SourceDocument) -> CleanDocument {
    let paragraphs = split_paragraphs(&doc.body);
    let keys: Vec<String> = paragraphs.iter().map(|p| paragraph_key(p.text)).collect();
    let words: Vec<Vec<&str>> = keys.iter().map(|k| split_words(k).collect()).collect();

    let texts: Vec<&str> = paragraphs.iter().map(|p| p.text).collect();
    let mut verdicts = boilerplate::classify(&words, &texts);
    for (index, of) in repeats::find_repeats(&words, &verdicts) {
        verdicts[index] = Some(RemovalReason::RepeatedParagraph { of });
    }

    let mut kept = Vec::new();
    let mut removed = Vec::new();
    for (paragraph, verdict) in paragraphs.iter().zip(verdicts) {
        match verdict {
            None => kept.push(paragraph.text.to_string()),
            Some(reason) => {
                removed.push(Removal { reason, text: paragraph.text.to_string(), span: paragraph.span.clone() })
            }
        }
    }
    let text = kept.join("\n");
    let title = doc.title.as_deref().unwrap_or("");
    let hashed = comparison_key(&format!("{title}\n{text}"));
    let content_hash = format!("{:032x}", xxh3_128(hashed.as_bytes()));
    CleanDocument { source: doc, paragraphs: kept, text, removed, content_hash }
}

/// One non-empty line of the body, trimmed, with its byte span.
struct Paragraph<'a> {
    text: &'a str,
    span: Range<usize>,
}

fn split_paragraphs(body: &str) -> Vec<Paragraph<'_>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in body.split('\n') {
        let trimmed_start = line.trim_start();
        let text = trimmed_start.trim_end();
        if !text.is_empty() {
            let start = line_start + (line.len() - trimmed_start.len());
            out.push(Paragraph { text, span: start..start + text.len() });
        }
        line_start += line.len() + 1;
    }
    out
}

/// The normalized words of a paragraph: [`comparison_key`], split on
/// anything that is not a letter or digit, Latin lowercased.
fn key_words(text: &str) -> Vec<String> {
    split_words(&paragraph_key(text)).map(str::to_string).collect()
}

/// [`comparison_key`], lowercased when it has anything to lowercase.
fn paragraph_key(text: &str) -> String {
    let key = comparison_key(text);
    if key.chars().any(|c| !is_caseless(c)) {
        key.to_lowercase()
    } else {
        key
    }
}

/// Characters that have no case (lowercasing leaves them alone): digits,
/// ASCII lowercase, punctuation, and the Arabic block that news text is
/// made of. Checked first because Unicode case tables are slow.
fn is_caseless(c: char) -> bool {
    matches!(c, '\0'..='@' | '['..='`' | 'a'..='\u{7F}' | '\u{0600}'..='\u{06FF}') || c.is_whitespace()
}

/// The words of a key: runs of letters and digits.
fn split_words(key: &str) -> impl Iterator<Item = &str> {
    key.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty())
}

/// A letter or digit, with a fast path for ASCII and Arabic letters (the
/// Unicode alphabetic table is a binary search).
fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\0'..='\u{7F}' => false,
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{0669}' => true,
        _ => c.is_alphanumeric(),
    }
}

/// The form two texts are compared in: the text layer's normalization key
/// (diacritics and tatweel removed, alef and ya forms folded, Arabic-Indic
/// digits to ASCII, quotes unified), so cleaning, duplicate hashing and search
/// agree on what "the same text" means.
fn comparison_key(text: &str) -> String {
    marsad_text::normalize::normalize_key(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;

    pub(crate) fn doc(body: &str) -> SourceDocument {
        SourceDocument {
            id: "t".into(),
            title: None,
            source: None,
            url: None,
            author: None,
            date: None,
            body: body.into(),
            raw: body.into(),
            origin: "test".into(),
            format: Format::Text,
            encoding_note: None,
        }
    }

    #[test]
    fn key_ignores_diacritics_punctuation_and_alef_forms() {
        assert_eq!(key_words("إِنَّ الأخبارَ: «عاجلة»!"), vec!["ان", "الاخبار", "عاجلة"]);
        assert_eq!(key_words("Related Nodes  field"), vec!["related", "nodes", "field"]);
        assert_eq!(key_words("عام ٢٠٢٣"), vec!["عام", "2023"]);
        assert_eq!(key_words("Ünïcode ÉTÉ"), vec!["ünïcode", "été"]);
        assert_eq!(key_words("ـــ"), Vec::<String>::new());
    }

    #[test]
    fn spans_are_trimmed_lines() {
        let body = "  أولى \n\n\tثانية\r\n";
        let ps = split_paragraphs(body);
        assert_eq!(ps.len(), 2);
        assert_eq!(&body[ps[0].span.clone()], "أولى");
        assert_eq!(&body[ps[1].span.clone()], "ثانية");
    }

    #[test]
    fn hash_depends_on_normalized_text_and_title() {
        let a = clean(doc("فقرةٌ أولى."));
        let b = clean(doc("فقرة أولى."));
        assert_eq!(a.content_hash, b.content_hash);
        assert_eq!(a.content_hash.len(), 32);
        let mut titled = doc("فقرة أولى.");
        titled.title = Some("عنوان".into());
        assert_ne!(clean(titled).content_hash, b.content_hash);
    }

    #[test]
    fn repeats_keep_the_fuller_copy() {
        let long = "وقال الوزير إن المحادثات مع الجانب الآخر ستستأنف الأسبوع المقبل في العاصمة بحضور الوسطاء.";
        let excerpt = "المحادثات مع الجانب الآخر ستستأنف الأسبوع المقبل في العاصمة";
        let body = format!("{excerpt}\nفقرة أخرى لا علاقة لها بما سبق من كلام.\n{long}\n{}", long.trim_end_matches('.'));
        let cleaned = clean(doc(&body));
        assert_eq!(cleaned.paragraphs, vec!["فقرة أخرى لا علاقة لها بما سبق من كلام.", long]);
        assert_eq!(cleaned.removed.len(), 2);
        assert_eq!(cleaned.removed[0].reason, RemovalReason::RepeatedParagraph { of: 2 });
        assert_eq!(cleaned.removed[1].reason, RemovalReason::RepeatedParagraph { of: 2 });
    }

    #[test]
    fn short_repeated_lines_are_kept() {
        let cleaned = clean(doc("س:\nماذا حدث في القمة؟\nج:\nانتهت القمة ببيان.\nس:\nثم ماذا؟\nج:\nعاد الوفد."));
        assert!(cleaned.removed.is_empty());
        // Seven words inside a longer paragraph: too short to call an excerpt.
        let cleaned = clean(doc(
            "الرئيس يصل إلى العاصمة في زيارة رسمية\nوقال المتحدث إن الرئيس يصل إلى العاصمة في زيارة رسمية تستمر يومين.",
        ));
        assert!(cleaned.removed.is_empty());
    }
}
