//! Boilerplate patterns (`data/lexicon/boilerplate-ar.txt`) and the
//! paragraph classifier built on them. See the [`clean`](mod@crate::clean) module docs for the
//! rules and why they are shaped this way.

use std::sync::OnceLock;

use crate::document::RemovalReason;

use super::key_words;

const PATTERNS: &str = include_str!("../../../../data/lexicon/boilerplate-ar.txt");

/// A paragraph may carry this many words after a `line` pattern and still
/// count as that boilerplate (`اقرأ أيضا: <a headline>`).
const LINE_EXTRA_WORDS: usize = 12;
/// A `contains` pattern only matches paragraphs up to this length.
const CONTAINS_MAX_WORDS: usize = 30;
/// Paragraphs after a comment form belong to it when none is longer.
const COMMENT_SECTION_MAX_WORDS: usize = 40;
/// At most this many list lines follow a read-more heading.
const READ_MORE_MAX_LINES: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Line,
    Exact,
    Contains,
}

#[derive(Debug)]
struct Pattern {
    reason: RemovalReason,
    words: Vec<String>,
    mode: Mode,
}

fn patterns() -> &'static [Pattern] {
    static COMPILED: OnceLock<Vec<Pattern>> = OnceLock::new();
    COMPILED.get_or_init(|| parse_patterns(PATTERNS))
}

fn parse_patterns(source: &str) -> Vec<Pattern> {
    let mut out = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let kind = fields.next().unwrap_or("").trim();
        let text = fields.next().unwrap_or("").trim();
        let mode = match fields.next().map(str::trim) {
            None | Some("") | Some("line") => Mode::Line,
            Some("exact") => Mode::Exact,
            Some("contains") => Mode::Contains,
            Some(other) => panic!("boilerplate-ar.txt line {}: unknown mode {other:?}", n + 1),
        };
        let reason = match kind {
            "comment_form" => RemovalReason::CommentForm,
            "read_more" => RemovalReason::ReadMore,
            "cms_leftover" => RemovalReason::CmsLeftover,
            "share_line" => RemovalReason::ShareLine,
            "news_ticker" => RemovalReason::NewsTicker,
            other => panic!("boilerplate-ar.txt line {}: unknown kind {other:?}", n + 1),
        };
        let words = key_words(text);
        assert!(!words.is_empty(), "boilerplate-ar.txt line {}: empty pattern", n + 1);
        out.push(Pattern { reason, words, mode });
    }
    out
}

/// Whether paragraph words equal pattern words.
fn same_words(words: &[&str], pattern: &[String]) -> bool {
    words.len() == pattern.len() && words.iter().zip(pattern).all(|(w, p)| *w == p)
}

/// The paragraph without trailing numbers (`التعليقات (3)`).
fn without_trailing_numbers<'a, 'w>(words: &'a [&'w str]) -> &'a [&'w str] {
    let end = words.iter().rposition(|w| !w.chars().all(|c| c.is_ascii_digit())).map_or(0, |i| i + 1);
    &words[..end]
}

/// The pattern a paragraph matches on its own, and whether it matched as a
/// whole (a heading) rather than as a prefix.
fn match_paragraph(words: &[&str]) -> Option<(&'static Pattern, bool)> {
    if words.is_empty() {
        return None;
    }
    let bare = without_trailing_numbers(words);
    let mut best: Option<(&Pattern, bool)> = None;
    for pattern in patterns() {
        let p = pattern.words.as_slice();
        let found = match pattern.mode {
            Mode::Exact => same_words(bare, p).then_some(true),
            Mode::Line => {
                if same_words(bare, p) {
                    Some(true)
                } else if words.len() > p.len()
                    && words.len() <= p.len() + LINE_EXTRA_WORDS
                    && same_words(&words[..p.len()], p)
                {
                    Some(false)
                } else {
                    None
                }
            }
            Mode::Contains => (words.len() <= CONTAINS_MAX_WORDS && contains_run(words, p)).then_some(false),
        };
        if let Some(whole) = found {
            // Prefer a whole-paragraph match, then the longest pattern.
            let better = match best {
                None => true,
                Some((b, b_whole)) => (whole && !b_whole) || (whole == b_whole && p.len() > b.words.len()),
            };
            if better {
                best = Some((pattern, whole));
            }
        }
    }
    best
}

fn contains_run(words: &[&str], run: &[String]) -> bool {
    run.len() <= words.len() && words.windows(run.len()).any(|w| same_words(w, run))
}

/// A line of related links: starts with a bullet, or is several titles
/// joined by separators.
fn looks_like_link_list(text_words: &[&str], raw: &str) -> bool {
    let raw = raw.trim();
    let bullet = raw.starts_with(['•', '·', '-', '*', '►', '◄', '»', '▪', '■', '●', '◆', '–']);
    let separators = raw.matches(" | ").count() + raw.matches('•').count() + raw.matches(" · ").count();
    (bullet && text_words.len() <= 25) || separators >= 2
}

/// A removal reason (or none) for every paragraph, from patterns alone and
/// the two block rules. `texts` are the paragraphs as written, for the
/// link-list check.
pub(super) fn classify(words: &[Vec<&str>], texts: &[&str]) -> Vec<Option<RemovalReason>> {
    let n = words.len();
    let matches: Vec<Option<(&Pattern, bool)>> = words.iter().map(|w| match_paragraph(w)).collect();
    let mut verdicts: Vec<Option<RemovalReason>> = matches.iter().map(|m| m.map(|(p, _)| p.reason.clone())).collect();

    // Read-more blocks: the heading takes the boilerplate or link-list lines
    // right after it.
    for (i, found) in matches.iter().enumerate() {
        let heading = matches!(found, Some((p, true)) if p.reason == RemovalReason::ReadMore);
        if !heading {
            continue;
        }
        for j in (i + 1..n).take(READ_MORE_MAX_LINES) {
            if verdicts[j].is_some() {
                continue;
            }
            if looks_like_link_list(&words[j], texts[j]) {
                verdicts[j] = Some(RemovalReason::ReadMore);
            } else {
                break;
            }
        }
    }

    // A comment form near the end takes the short paragraphs after it, if
    // they run to the end of the document.
    let first_form = (0..n).find(|&i| verdicts[i] == Some(RemovalReason::CommentForm) && i * 2 >= n.saturating_sub(1));
    if let Some(start) = first_form {
        let tail = start + 1..n;
        let all_short = tail.clone().all(|j| verdicts[j].is_some() || words[j].len() <= COMMENT_SECTION_MAX_WORDS);
        if all_short {
            for j in tail {
                if verdicts[j].is_none() {
                    verdicts[j] = Some(RemovalReason::CommentForm);
                }
            }
        }
    }
    verdicts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::clean;
    use crate::clean::tests::doc;

    fn reasons(body: &str) -> Vec<(String, RemovalReason)> {
        clean(doc(body)).removed.into_iter().map(|r| (r.text, r.reason)).collect()
    }

    #[test]
    fn patterns_compile() {
        assert!(patterns().len() > 50);
        assert!(patterns().iter().any(|p| p.mode == Mode::Contains));
    }

    #[test]
    fn whole_and_prefix_matches() {
        let removed = reasons(
            "فقرة أولى من الخبر فيها كلام كثير عن القمة.\nاقرأ أيضاً: الرئيس يصل إلى موسكو\nشارك\nالتعليقات (3)\nعاجل\nإعلان\nتابعونا على فيسبوك وتويتر",
        );
        let kinds: Vec<RemovalReason> = removed.iter().map(|(_, r)| r.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                RemovalReason::ReadMore,
                RemovalReason::ShareLine,
                RemovalReason::CommentForm,
                RemovalReason::NewsTicker,
                RemovalReason::CmsLeftover,
                RemovalReason::ShareLine,
            ]
        );
    }

    #[test]
    fn words_inside_sentences_are_not_boilerplate() {
        let body = "وقال المتحدث إن على القراء أن يتركوا تعليقا على الموقع إذا أرادوا.\n\
                    عاجل: الرئيس يغادر القمة قبل موعدها\n\
                    شارك الرئيس في القمة التي عقدت أمس في العاصمة.\n\
                    إعلان الحكومة حالة الطوارئ جاء بعد اجتماع طويل.\n\
                    التعليقات التي نشرها الوزير على حسابه أثارت جدلا واسعا.\n\
                    وكتب على حسابه: اقرأ المزيد عن القمة في تقريرنا المطول.\n\
                    اشترك الطرفان في إعداد البيان الختامي للقمة.";
        assert_eq!(reasons(body), vec![]);
    }

    #[test]
    fn read_more_takes_lists_and_leftovers_but_not_subheadings() {
        let body = "فقرة من الخبر تتحدث عن القمة بالتفصيل.\nمواضيع ذات صلة\n• الرئيس يصل\n• الوفد يغادر\nعنوان فرعي\nفقرة أخرى من الخبر.";
        let removed = reasons(body);
        assert_eq!(removed.len(), 3);
        assert!(removed.iter().all(|(_, r)| *r == RemovalReason::ReadMore));
        assert!(clean(doc(body)).paragraphs.contains(&"عنوان فرعي".to_string()));
    }

    #[test]
    fn comment_section_only_at_the_end() {
        let article = "فقرة طويلة من المقال تشرح ما جرى في القمة بين الزعيمين بالتفصيل.\n\
                       وفقرة ثانية عن ردود الفعل الدولية على نتائج القمة.\n\
                       وفقرة ثالثة عن الخطوات المقبلة بعد عودة الوفدين.";
        let body = format!("{article}\nأضف تعليقك\nيرجى الالتزام بآداب الحوار.\nيمنع نشر الروابط.");
        let removed = reasons(&body);
        assert_eq!(removed.len(), 3);
        assert!(removed.iter().all(|(_, r)| *r == RemovalReason::CommentForm));
        // A long paragraph after the form: the form was not the end; only the
        // form line itself goes.
        let long = "كلمة ".repeat(45);
        let body = format!("{article}\nأضف تعليقك\nسطر قصير\n{long}");
        assert_eq!(reasons(&body).len(), 1);
    }
}
