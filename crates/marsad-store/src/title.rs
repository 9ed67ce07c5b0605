//! Display titles for documents that arrived without one.
//!
//! Plain-text articles often have no title field. Search results and listings
//! still need something a reader can recognise, so the store derives a
//! *display title* from the opening sentence of the cleaned text and keeps it
//! next to — never instead of — the real title: JSON output reports `title`
//! exactly as ingested (possibly null), human output uses the display title.

/// At most this many words of the first sentence make a display title.
pub const MAX_WORDS: usize = 12;

/// The title to show for a document: its own title when it has a non-blank
/// one, else the first sentence of `text` (at most [`MAX_WORDS`] words, `…`
/// when cut), else `fallback` (the document id).
pub fn display_title(title: Option<&str>, text: &str, fallback: &str) -> String {
    if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
        return t.to_string();
    }
    let first_line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let sentence = first_sentence(first_line);
    let mut words = sentence.split_whitespace();
    let mut out = String::new();
    for word in words.by_ref().take(MAX_WORDS) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        return fallback.to_string();
    }
    let cut = words.next().is_some();
    if cut {
        // Do not leave a dangling comma before the ellipsis.
        let trimmed = out.trim_end_matches([',', '،', ';', '؛', ':', '-', '–', '—']).len();
        out.truncate(trimmed);
        out.push('…');
    }
    out
}

/// The prefix of `line` up to and including the first sentence terminator
/// that ends a word (followed by whitespace or the end).
fn first_sentence(line: &str) -> &str {
    let mut iter = line.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if matches!(c, '.' | '!' | '?' | '؟' | '…') {
            let at_boundary = iter.peek().is_none_or(|&(_, next)| next.is_whitespace());
            if at_boundary {
                return &line[..i + c.len_utf8()];
            }
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_a_real_title() {
        assert_eq!(display_title(Some("  قمة بوتين وكيم "), "نص", "id"), "قمة بوتين وكيم");
    }

    #[test]
    fn short_first_sentence_is_kept_whole() {
        let text = "\nزار بوتين بيونغ يانغ. ثم عاد إلى موسكو.\nفقرة ثانية";
        assert_eq!(display_title(None, text, "id"), "زار بوتين بيونغ يانغ.");
        assert_eq!(display_title(Some("  "), "Hello world? More.", "id"), "Hello world?");
    }

    #[test]
    fn long_sentence_is_cut_at_twelve_words() {
        let text = "وصل رئيس الوزراء إلى العاصمة مساء الخميس في جولة إقليمية، واجتمع فيها بالرئيس ووزير الخارجية وعدد من النواب.";
        let title = display_title(None, text, "id");
        assert!(title.ends_with('…'), "{title}");
        assert_eq!(title.trim_end_matches('…').split_whitespace().count(), MAX_WORDS);
        assert!(!title.contains("،…"), "trailing comma dropped: {title}");
    }

    #[test]
    fn decimal_points_do_not_end_a_sentence() {
        assert_eq!(display_title(None, "Growth was 3.5 percent. Then", "id"), "Growth was 3.5 percent.");
    }

    #[test]
    fn empty_text_falls_back_to_the_id() {
        assert_eq!(display_title(None, " \n ", "doc-7"), "doc-7");
    }
}
