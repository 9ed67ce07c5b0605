//! Weighted stemmed terms with a display form per stem.
//!
//! Both clustering and summarizing compare bags of stems produced by
//! [`marsad_text::analyze`](fn@marsad_text::analyze). A stem (مكتب for
//! مكتبات) is the right key for matching but not for a reader, so each stem
//! also carries the surface form it most often had, with its diacritics and
//! its conjunction or preposition (و ف ب ل ك) removed but the article kept:
//! والصين is shown as الصين.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// One term of a document: a stem, how it was written, and its weight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightedTerm {
    /// The stem, as `marsad_text::analyze` produces it.
    pub term: String,
    /// The most frequent surface form in the document, for display.
    pub surface: String,
    /// Sublinear term frequency, `1 + ln(tf)` (title and lead occurrences
    /// count double).
    pub weight: f32,
}

/// How a word is shown: diacritics and tatweel removed (via
/// [`marsad_extract::display_name`]), leading و/ف/ب/ل/ك proclitics removed
/// when the text layer's segmenter splits them, the article kept.
pub fn surface_form(word: &str) -> String {
    let shown = marsad_extract::display_name(word);
    let key = marsad_text::normalize_key(&shown);
    let seg = marsad_text::segment(&key);
    // The normalized key folds characters one for one (diacritics are
    // already gone), so the prefix's length in chars carries over.
    let prefix = seg.prefix(&key).chars().count();
    let base: String = shown.chars().skip(prefix).collect();
    if base.is_empty() || key.chars().count() != shown.chars().count() {
        return shown;
    }
    if seg.article {
        format!("ال{base}")
    } else {
        base
    }
}

/// Weight of a title occurrence.
pub const TITLE_BOOST: f32 = 2.0;
/// Words at the start of the text that form its lead.
pub const LEAD_WORDS: u32 = 50;
/// Weight of a lead occurrence.
pub const LEAD_BOOST: f32 = 2.0;

/// Terms of `title` and `text`, in order of first occurrence. Title terms
/// and lead terms (the first [`LEAD_WORDS`] words of the text) count twice:
/// news is written as an inverted pyramid, and the headline and the lead
/// state what happened; the rest is reactions, background and detail that
/// differ from one report of the story to the next.
pub fn weighted_terms(title: Option<&str>, text: &str) -> Vec<WeightedTerm> {
    let mut order: Vec<String> = Vec::new();
    let mut counts: FxHashMap<String, (f32, FxHashMap<String, u32>)> = FxHashMap::default();
    let mut analyzer = marsad_text::Analyzer::new();
    for (part, boost, lead) in [(title.unwrap_or(""), TITLE_BOOST, 0), (text, 1.0, LEAD_WORDS)] {
        analyzer.analyze(part, |t| {
            let boost = if t.position < lead { LEAD_BOOST } else { boost };
            // Single letters and bare numbers other than years are noise for
            // topic similarity.
            if t.text.chars().count() < 2
                || (t.text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') && t.text.len() != 4)
            {
                return;
            }
            let entry = counts.entry(t.text.to_owned()).or_insert_with(|| {
                order.push(t.text.to_owned());
                (0.0, FxHashMap::default())
            });
            entry.0 += boost;
            *entry.1.entry(surface_form(&part[t.span.clone()])).or_insert(0) += 1;
        });
    }
    order
        .into_iter()
        .map(|term| {
            let (tf, surfaces) = &counts[&term];
            let surface = best_surface(surfaces).unwrap_or_else(|| term.clone());
            WeightedTerm { weight: 1.0 + tf.ln(), surface, term }
        })
        .collect()
}

/// The most frequent surface; ties go to the shortest, then the smallest,
/// so the choice does not depend on hash order.
pub(crate) fn best_surface(surfaces: &FxHashMap<String, u32>) -> Option<String> {
    surfaces
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.len().cmp(&a.0.len())).then_with(|| b.0.cmp(a.0)))
        .map(|(s, _)| s.clone())
}

/// Dot product of two sparse vectors sorted by id (the cosine when both
/// are unit vectors), by merge.
pub(crate) fn sparse_dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surface_drops_conjunctions_keeps_article() {
        assert_eq!(surface_form("والصِّين"), "الصين");
        assert_eq!(surface_form("بموسكو"), "موسكو");
        assert_eq!(surface_form("وزير"), "وزير");
        assert_eq!(surface_form("للرئيس"), "الرئيس");
    }

    #[test]
    fn title_terms_weigh_more() {
        let t = weighted_terms(Some("قمة موسكو"), "عقدت القمة في موسكو. وصل الرئيس.");
        let w = |s: &str| t.iter().find(|x| x.surface == s).map(|x| x.weight).unwrap();
        assert!(w("موسكو") > w("الرئيس"));
    }

    #[test]
    fn lead_terms_weigh_more_than_later_ones() {
        let filler = "وتحدث المشاركون عن قضايا كثيرة متنوعة خلال الجلسات. ".repeat(12);
        let text = format!("افتتح الوزير معرض الكتاب في الرياض. {filler} وزار الوفد متحف الفنون.");
        let t = weighted_terms(None, &text);
        let w = |s: &str| t.iter().find(|x| x.surface == s).map(|x| x.weight).unwrap();
        assert!(w("معرض") > w("متحف"), "{} vs {}", w("معرض"), w("متحف"));
        assert_eq!(w("متحف"), 1.0);
    }
}
