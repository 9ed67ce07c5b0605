//! Documents as sequences of word keys, with the way back to the text.
//!
//! Reuse is about wording, so the unit is the word as written, normalized
//! the way search normalizes it (`marsad_text::tokenize`: diacritics,
//! alef/yeh/teh-marbuta variants and tatweel folded) and *without its
//! proclitics*: `والمتوقفة` and `المتوقفة` are the same word here. Copy
//! editors add and drop و and ال all the time; a stemmer would go further
//! and make different words collide, which for reuse is wrong. Stop words
//! are kept: "إن الكرملين يعتقد أن" is the wording, and copied text is
//! recognised by exactly such sequences. Punctuation is dropped, so a comma
//! turned into parentheses changes nothing.
//!
//! Each word becomes a 32-bit key (FNV-1a of its bytes, fixed forever), and
//! keeps its byte span, so whatever is matched over keys maps back to exact
//! character spans of the original text. Sentences (from
//! `marsad_text::split_sentences`) are kept as word ranges plus their byte
//! ranges, because passages are snapped to sentence boundaries.

use marsad_text::{split_sentences, tokenize, TokenKind};
use serde::{Deserialize, Serialize};

/// FNV-1a, 64 bits: tiny, and its output never changes.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// One sentence: its words `words.0..words.1` and its bytes `bytes.0..bytes.1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Sentence {
    pub(crate) words: (u32, u32),
    pub(crate) bytes: (u32, u32),
}

/// A document's words: keys and byte spans, and its sentences.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Words {
    pub(crate) keys: Vec<u32>,
    pub(crate) starts: Vec<u32>,
    pub(crate) ends: Vec<u32>,
    pub(crate) sentences: Vec<Sentence>,
}

impl Words {
    pub(crate) fn new(text: &str) -> Words {
        let mut words = Words::default();
        for token in tokenize(text) {
            if token.kind == TokenKind::Punct {
                continue;
            }
            let base = token.base();
            let key = if base.is_empty() { &token.normalized } else { base };
            let h = fnv1a(key.as_bytes());
            words.keys.push((h ^ (h >> 32)) as u32);
            words.starts.push(token.span.start as u32);
            words.ends.push(token.span.end as u32);
        }
        words.keys.shrink_to_fit();
        words.starts.shrink_to_fit();
        words.ends.shrink_to_fit();
        let mut w = 0usize;
        for range in split_sentences(text) {
            while w < words.starts.len() && (words.starts[w] as usize) < range.start {
                w += 1;
            }
            let first = w;
            while w < words.starts.len() && (words.ends[w] as usize) <= range.end {
                w += 1;
            }
            if w > first {
                words
                    .sentences
                    .push(Sentence { words: (first as u32, w as u32), bytes: (range.start as u32, range.end as u32) });
            }
        }
        words.sentences.shrink_to_fit();
        words
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The index of the sentence holding word `w`, if any.
    pub(crate) fn sentence_of(&self, w: u32) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.words.1 <= w);
        (i < self.sentences.len() && self.sentences[i].words.0 <= w).then_some(i)
    }

    /// The hashes of the `k`-word shingles of words `from..to`.
    pub(crate) fn shingles(&self, from: usize, to: usize, k: usize, out: &mut Vec<u64>) {
        out.clear();
        let keys = &self.keys[from..to];
        if keys.len() < k {
            if !keys.is_empty() {
                out.push(shingle_hash(keys));
            }
            return;
        }
        for window in keys.windows(k) {
            out.push(shingle_hash(window));
        }
    }
}

pub(crate) fn shingle_hash(keys: &[u32]) -> u64 {
    let mut h = 0x9E37_79B9_7F4A_7C15u64;
    for &k in keys {
        h = crate::minhash::mix64(h ^ u64::from(k));
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clitics_and_punctuation_do_not_matter() {
        let a = Words::new("المحادثات السداسية (المتوقفة آنذاك) هي");
        let b = Words::new("المحادثات السداسية، والمتوقفة حاليًا، هي");
        assert_eq!(a.len(), 5);
        assert_eq!(a.keys[..3], b.keys[..3]);
        assert_eq!(a.keys[4], b.keys[4]);
        assert_ne!(a.keys[3], b.keys[3]);
    }

    #[test]
    fn sentences_map_to_words() {
        let text = "قال الوزير إن الاجتماع انتهى. وأضاف أن الوفد غادر!";
        let w = Words::new(text);
        assert_eq!(w.sentences.len(), 2);
        assert_eq!(w.sentences[0].words, (0, 5));
        assert_eq!(w.sentences[1].words, (5, 9));
        assert_eq!(w.sentence_of(6), Some(1));
        let s = w.sentences[1].bytes;
        assert_eq!(&text[s.0 as usize..s.1 as usize], "وأضاف أن الوفد غادر!");
    }
}
