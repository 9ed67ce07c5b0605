//! Pairs of passages into groups: the two pieces of
//! [`crate::ReuseIndex::groups`] that a store needs to regroup only the
//! part of the corpus a new document touches.
//!
//! # Why two pieces
//!
//! A group is a connected component of occurrences, joined by two kinds of
//! edges: the two sides of one passage row, and two occurrences of one
//! document that overlap enough ([`sweep_unions`]). The second kind depends
//! only on the occurrences of that one document, so a new passage changes
//! the edges of the two documents it touches and nothing else: a store can
//! recompute the components reachable from those documents, and rebuild
//! just those groups ([`assemble_group`]), and get what regrouping every
//! pair would give.

use crate::{earliest, round3, Occurrence, ReuseGroup};

/// One side of a passage row (an occurrence), as grouping sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Side {
    /// Byte offset of the start in its document's text.
    pub start: u32,
    /// Byte offset of the end (exclusive).
    pub end: u32,
    /// The caller's number for this side, increasing in the order the rows
    /// were found (`2 × row + side`): ties between equal spans break on it.
    pub key: u64,
}

/// The overlap edges among the occurrences of **one** document: sorted by
/// span, each occurrence joins the running cluster when it overlaps the
/// cluster's span by at least half of the longer of the two (so a short
/// formula inside a long passage does not chain unrelated passages
/// together), else starts a new one. Returns pairs of indexes into `sides`
/// to unite.
pub fn sweep_unions(sides: &[Side]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..sides.len()).collect();
    order.sort_unstable_by_key(|&i| (sides[i].start, sides[i].end, sides[i].key));
    let mut out = Vec::new();
    let mut cluster: Option<(u32, u32, usize)> = None; // start, end, member
    for i in order {
        let Side { start, end, .. } = sides[i];
        match cluster {
            Some((cstart, cend, member)) if start < cend => {
                let overlap = cend.min(end) - start;
                let longer = (end - start).max(cend - cstart).max(1);
                if 2 * overlap >= longer {
                    out.push((member, i));
                    cluster = Some((cstart, cend.max(end), member));
                } else {
                    cluster = Some((start, end, i));
                }
            }
            _ => cluster = Some((start, end, i)),
        }
    }
    out
}

/// One occurrence of a component, with what its group needs of its
/// document.
#[derive(Clone, Copy, Debug)]
pub struct GroupSpan<'a> {
    /// The document's id.
    pub doc: &'a str,
    /// The document's number in the index (tells two documents with one id
    /// apart).
    pub number: u32,
    /// Byte span in the document's text.
    pub start: u32,
    /// End of the span (exclusive).
    pub end: u32,
    /// The document's text.
    pub text: &'a str,
    /// The document's date, for the origin.
    pub date: Option<&'a str>,
}

/// The group of one component: overlapping occurrences of one document
/// merged into their union, sorted by document id then start, the origin
/// the strictly earliest dated one, the text the origin's (or the first
/// occurrence's). `similarity` is the mean alignment similarity of the
/// component's rows. `None` when fewer than two occurrences remain after
/// merging.
pub fn assemble_group(mut spans: Vec<GroupSpan<'_>>, similarity: f32) -> Option<ReuseGroup> {
    spans.sort_unstable_by(|x, y| (x.doc, x.start, x.end, x.number).cmp(&(y.doc, y.start, y.end, y.number)));
    let mut merged: Vec<GroupSpan<'_>> = Vec::new();
    for s in spans {
        match merged.last_mut() {
            Some(last) if last.number == s.number && s.start < last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    if merged.len() < 2 {
        return None;
    }
    let occurrences: Vec<Occurrence> = merged
        .iter()
        .map(|m| Occurrence {
            removed: false,
            doc: m.doc.to_string(),
            start: m.start as usize,
            end: m.end as usize,
            text: m.text[m.start as usize..m.end as usize].to_string(),
        })
        .collect();
    let origin = earliest(merged.iter().enumerate().map(|(i, m)| (i, m.doc, m.date)));
    Some(ReuseGroup {
        text: occurrences[origin.unwrap_or(0)].text.clone(),
        similarity: round3(similarity),
        origin,
        occurrences,
    })
}
