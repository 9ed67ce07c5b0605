//! The features the tagger scores: what it may look at around a word.
//!
//! # One word view for training and tagging
//!
//! A model is only as good as the agreement between the features it was
//! trained on and the features it sees later. ANERcorp gives words as
//! whitespace tokens; real text comes through [`marsad_text::tokenize`].
//! Both end up as [`marsad_text::Token`]s — for a CoNLL word,
//! [`token_from_word`] builds the token `tokenize` would have made of it
//! (normalized with [`marsad_text::normalize_key`], proclitics split with
//! [`marsad_text::segment`]) — and [`extract`] reads only tokens, so there
//! is exactly one feature function.
//!
//! # The features, and why
//!
//! Arabic has no capital letters, the cue that carries most of English NER,
//! so the tagger leans on the word itself, its parts, its neighbours and what
//! we know in advance:
//!
//! * **The word, its base and its light stem.** The normalized word
//!   (وبموسكو), its base without proclitics (موسكو) and the base's stem
//!   ([`marsad_text::stem`](fn@marsad_text::stem)). The base is what makes
//!   ANERcorp's 125k words go far: وموسكو, بموسكو and لموسكو are one
//!   feature. The clitic prefix itself (`وب`, `ال`) is a feature too: names
//!   rarely take the article, organisations' heads often do.
//! * **Prefixes and suffixes of the base, 1–3 letters.** Unknown words are
//!   the norm in news; a foreign name ending in ـوف/ـسكي, a nisba adjective in
//!   ـية, a verb starting with ي or ت are visible in the letters.
//! * **Shape.** Token kind (Arabic word, number, Latin, punctuation) and base
//!   length; numbers are seen with their digits folded to `0` (a year is
//!   `0000`), so they generalise.
//! * **Context words.** The words and bases two to each side, and the
//!   bigrams with the previous and next base. قال before a word, الرئيس or
//!   وزير before it, في or من before a place: most of Arabic NER is in the
//!   left context.
//! * **Gazetteers.** Every list bit of the word and of its neighbours
//!   ([`crate::gazetteer::Gazetteer::word_flags`]), and membership in a
//!   listed multi-word phrase (`B`/`I` position and the list), found by a
//!   greedy left-to-right longest match. These carry what ANERcorp (mostly
//!   2000s newswire) cannot know: شويغو, بيسكوف, بيونغ يانغ.
//! * **Titles and reporting verbs.** Whether the word follows a person title
//!   (الرئيس, also through a nationality: الرئيس الروسي) or a reporting verb
//!   (قال): the strongest cues that a person's name starts here.
//! * **Word classes from unlabeled news** ([`super::wordstats`]). Most names
//!   in news are not in ANERcorp, and the word features above know nothing
//!   of an unseen word. Two hierarchical k-means clusterings of 50,000 word
//!   bases by their contexts in SaudiNewsNet put it next to words the model
//!   did see (بوتين with بلاتر, مورينيو; موسكو with روسيا, القاهرة); each is
//!   a feature at three granularities (32, 512, 4,096 classes), and the
//!   coarse and middle classes of the neighbours too. A word the table does
//!   not have (seen fewer than 5 times) is a feature of its own: rare words
//!   are often names. Alongside, from the same corpus: how often the word
//!   takes the article ال (names almost never do — and a word that usually
//!   does but not here is telling too, so the share is also paired with
//!   whether this occurrence has it), how often it follows a person title,
//!   and its frequency. Together +2.7 dev F1, the largest gain of any
//!   feature since the gazetteers; recall on PERS went from 67% to 75%.
//! * **Noun chains.** Organisation names are genitive chains behind a head
//!   word (مجلس الاحتياطي الاتحادي, الاتحاد الدولي لكرة القدم), too long for
//!   the ±2 window to see the head from the last word. Walking back over
//!   the chain (up to four words, stopping at punctuation or a stop word):
//!   the distance to a listed org head (`org-heads-ar.txt`), paired with
//!   whether this word has the article, and the middle word class of each
//!   chain word within three. Plus the class bigrams (previous, this) and
//!   (this, next), so that two name-like words in a row read as one name.
//!
//! Tag history is not a feature here: the decoder scores tag bigrams itself
//! (see the module docs of [`crate::ner`]).
//!
//! # Hashing
//!
//! Each feature is a template number plus one or more strings, hashed with
//! FNV-1a to a `u64` as it is generated — no `String` is built per feature.
//! FNV-1a is specified byte by byte, so the hashes do not depend on the
//! platform, the compiler or the build: a model file stays valid across
//! builds as long as [`FEATURE_SET_VERSION`] does. Change any template and
//! bump that version; a model made with another version is refused on load.

use marsad_text::{Token, TokenKind};

use crate::gazetteer::{self, Flags, Gazetteer};

use super::wordstats::{self, WordStat};

/// Version of the feature templates below; stored in the model file.
pub const FEATURE_SET_VERSION: u32 = 2;

/// Makes the token [`marsad_text::tokenize`] would make of one CoNLL word.
///
/// A CoNLL word that `tokenize` would cut in several (`(د`, `2002م`) stays
/// one token here, of the kind of its first non-punctuation part.
pub fn token_from_word(word: &str) -> Token {
    let normalized = marsad_text::normalize_key(word);
    let kind = word_kind(word);
    let segmentation = if kind == TokenKind::Word { marsad_text::segment(&normalized) } else { Default::default() };
    Token { span: 0..word.len(), kind, normalized, segmentation }
}

fn word_kind(word: &str) -> TokenKind {
    let mut kind = TokenKind::Punct;
    for c in word.chars() {
        let k = if c.is_ascii_digit() || ('\u{660}'..='\u{669}').contains(&c) || ('\u{6F0}'..='\u{6F9}').contains(&c) {
            TokenKind::Number
        } else if ('\u{600}'..='\u{6FF}').contains(&c)
            || ('\u{750}'..='\u{77F}').contains(&c)
            || ('\u{FB50}'..='\u{FEFC}').contains(&c)
        {
            // Arabic letters, and marks, which only occur on letters.
            if matches!(c, '\u{60C}' | '\u{61B}' | '\u{61F}' | '\u{66A}'..='\u{66D}' | '\u{6D4}') {
                TokenKind::Punct
            } else {
                TokenKind::Word
            }
        } else if c.is_alphabetic() {
            TokenKind::Latin
        } else {
            TokenKind::Punct
        };
        if k != TokenKind::Punct {
            return k;
        }
        kind = k;
    }
    kind
}

/// The key under which the occurrences of a token are pooled across a
/// document for the second pass: the base of an Arabic or Latin word of at
/// least two letters that is not a stop word. `None` for other tokens.
pub fn document_key(token: &Token) -> Option<&str> {
    if !matches!(token.kind, TokenKind::Word | TokenKind::Latin) {
        return None;
    }
    let key = gazetteer::word_key(token);
    if key.chars().nth(1).is_none() || marsad_text::is_stopword(key) || marsad_text::is_stopword(&token.normalized) {
        return None;
    }
    Some(key)
}

/// The features of every token of one sentence, flat: token `i` has
/// `ids[offsets[i]..offsets[i + 1]]`.
#[derive(Clone, Debug, Default)]
pub struct SentenceFeatures {
    /// Hashed feature ids of all tokens, token after token.
    pub ids: Vec<u64>,
    /// Where each token's features start in `ids`, plus the end: one more
    /// entry than there are tokens.
    pub offsets: Vec<usize>,
}

impl SentenceFeatures {
    /// The feature ids of token `i`. Panics if `i >= self.len()`.
    pub fn token(&self, i: usize) -> &[u64] {
        &self.ids[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether the sentence has no tokens.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

// Template numbers. Never reuse a number for another meaning without
// bumping FEATURE_SET_VERSION.
const T_BIAS: u8 = 1;
const T_WORD: u8 = 2;
const T_BASE: u8 = 3;
const T_STEM: u8 = 4;
const T_CLITICS: u8 = 5;
const T_PREFIX: u8 = 6;
const T_SUFFIX: u8 = 7;
const T_SHAPE: u8 = 8;
const T_CONTEXT_WORD: u8 = 9;
const T_CONTEXT_BASE: u8 = 10;
const T_BIGRAM_LEFT: u8 = 11;
const T_BIGRAM_RIGHT: u8 = 12;
const T_GAZ_WORD: u8 = 13;
const T_GAZ_PHRASE: u8 = 14;
const T_TITLE_BEFORE: u8 = 15;
const T_REPORTING_BEFORE: u8 = 16;
const T_CONTEXT_KIND: u8 = 17;
const T_STOPWORD: u8 = 18;
const T_FIRST_IN_SENTENCE: u8 = 19;
const T_CONTEXT_SUFFIX: u8 = 20;
const T_STEM_CONTEXT: u8 = 21;
const T_GAZ_PHRASE_CONTEXT: u8 = 22;
const T_WORD_PREFIX_BASE: u8 = 23;
const T_FIRST_PASS: u8 = 24;
const T_FIRST_PASS_LEFT: u8 = 25;
const T_FIRST_PASS_RIGHT: u8 = 26;
const T_ELSEWHERE_MAJORITY: u8 = 27;
const T_ELSEWHERE_ANY: u8 = 28;
const T_ELSEWHERE_ONLY_O: u8 = 29;
const T_CLUSTER: u8 = 30;
const T_CONTEXT_CLUSTER: u8 = 31;
const T_ARTICLE_SHARE: u8 = 32;
const T_TITLE_SHARE: u8 = 33;
const T_FREQ: u8 = 34;
const T_ORG_HEAD_CHAIN: u8 = 35;
const T_CHAIN_CLUSTER: u8 = 36;
const T_CLUSTER_BIGRAM: u8 = 37;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over a template number and the feature's parts.
#[derive(Clone, Copy)]
struct FeatureHash(u64);

impl FeatureHash {
    #[inline]
    fn template(t: u8) -> FeatureHash {
        FeatureHash(FNV_OFFSET).byte(t)
    }

    #[inline]
    fn byte(self, b: u8) -> FeatureHash {
        FeatureHash((self.0 ^ u64::from(b)).wrapping_mul(FNV_PRIME))
    }

    #[inline]
    fn u16(self, v: u16) -> FeatureHash {
        let [a, b] = v.to_le_bytes();
        self.byte(a).byte(b)
    }

    /// A string part, ended by 0xFF (never a byte of UTF-8), so that
    /// ("ab", "c") and ("a", "bc") differ.
    #[inline]
    fn str(mut self, s: &str) -> FeatureHash {
        for &b in s.as_bytes() {
            self = self.byte(b);
        }
        self.byte(0xFF)
    }

    /// The word part of a token: digits folded to `0` for numbers.
    #[inline]
    fn word(mut self, info: &TokenInfo<'_>) -> FeatureHash {
        if info.kind == TokenKind::Number {
            for &b in info.word.as_bytes() {
                self = self.byte(if b.is_ascii_digit() { b'0' } else { b });
            }
            self.byte(0xFF)
        } else {
            self.str(info.word)
        }
    }

    #[inline]
    fn base(self, info: &TokenInfo<'_>) -> FeatureHash {
        if info.kind == TokenKind::Number {
            self.word(info)
        } else {
            self.str(info.base)
        }
    }

    #[inline]
    fn finish(self) -> u64 {
        // FNV's low bits are weak; a final mix (splitmix64's) spreads them
        // for the hash table.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// What the templates read of one token, computed once per sentence.
#[derive(Clone, Copy)]
struct TokenInfo<'t> {
    word: &'t str,
    base: &'t str,
    clitics: &'t str,
    stem: &'t str,
    kind: TokenKind,
    /// Gazetteer flags of the word key.
    flags: Flags,
    /// Lists of the listed phrase the token is in (low bits only), 0 if none.
    phrase: Flags,
    /// Whether the token begins that phrase.
    phrase_begin: bool,
    /// Whether the token ends a listed person-title phrase (وزير الخارجية).
    ends_title: bool,
    /// What the unlabeled corpus says of the word key (see [`wordstats`]).
    stat: Option<WordStat>,
    /// Whether the word or its base is a stop word.
    stop: bool,
}

const BOUNDARY_BEFORE: TokenInfo<'static> = TokenInfo {
    word: "<s>",
    base: "<s>",
    clitics: "",
    stem: "<s>",
    kind: TokenKind::Punct,
    flags: 0,
    phrase: 0,
    phrase_begin: false,
    ends_title: false,
    stat: None,
    stop: false,
};

const BOUNDARY_AFTER: TokenInfo<'static> = TokenInfo {
    word: "</s>",
    base: "</s>",
    clitics: "",
    stem: "</s>",
    kind: TokenKind::Punct,
    flags: 0,
    phrase: 0,
    phrase_begin: false,
    ends_title: false,
    stat: None,
    stop: false,
};

const LOW_BITS: Flags = (1 << gazetteer::START_SHIFT) - 1;

fn kind_code(kind: TokenKind) -> u8 {
    match kind {
        TokenKind::Word => b'w',
        TokenKind::Number => b'n',
        TokenKind::Latin => b'l',
        TokenKind::Punct => b'p',
    }
}

/// The first `n` characters of `s`, if it has at least `n`.
#[inline]
fn char_prefix(s: &str, n: usize) -> Option<&str> {
    let mut count = 0;
    for (i, _) in s.char_indices() {
        if count == n {
            return Some(&s[..i]);
        }
        count += 1;
    }
    (count == n).then_some(s)
}

/// The last `n` characters of `s`, if it has at least `n`.
#[inline]
fn char_suffix(s: &str, n: usize) -> Option<&str> {
    let mut count = 0;
    for (i, _) in s.char_indices().rev() {
        count += 1;
        if count == n {
            return Some(&s[i..]);
        }
    }
    None
}

fn token_infos<'t>(tokens: &'t [Token], gaz: &Gazetteer) -> Vec<TokenInfo<'t>> {
    let mut infos: Vec<TokenInfo<'t>> = tokens
        .iter()
        .map(|t| {
            let key = gazetteer::word_key(t);
            let (base, clitics) = match t.kind {
                TokenKind::Word => (t.base(), t.segmentation.prefix(&t.normalized)),
                _ => (t.normalized.as_str(), ""),
            };
            let stem = if t.kind == TokenKind::Word { marsad_text::stem(base) } else { base };
            TokenInfo {
                word: &t.normalized,
                base,
                clitics,
                stem,
                kind: t.kind,
                flags: gaz.word_flags(key),
                phrase: 0,
                phrase_begin: false,
                ends_title: false,
                stat: if matches!(t.kind, TokenKind::Word | TokenKind::Latin) { wordstats::lookup(key) } else { None },
                stop: marsad_text::is_stopword(&t.normalized) || marsad_text::is_stopword(base),
            }
        })
        .collect();
    // Listed phrases, greedy longest match from the left. Punctuation never
    // starts or continues a phrase.
    let keys: Vec<&str> = tokens.iter().map(gazetteer::word_key).collect();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].kind == TokenKind::Punct || infos[i].flags == 0 {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < tokens.len() && tokens[end].kind != TokenKind::Punct {
            end += 1;
        }
        match gaz.longest_match(&keys[i..end]) {
            Some((n, flags)) if n > 0 => {
                let flags = flags & LOW_BITS;
                for (k, info) in infos[i..i + n].iter_mut().enumerate() {
                    info.phrase = flags;
                    info.phrase_begin = k == 0;
                }
                if flags & gazetteer::PERSON_TITLE != 0 {
                    infos[i + n - 1].ends_title = true;
                }
                i += n;
            }
            _ => i += 1,
        }
    }
    infos
}

/// What the second pass knows about a token from the first pass over the
/// whole document (see "Two passes" in [`crate::ner`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FirstPass {
    /// The first pass's tag index of this token.
    pub tag: u8,
    /// How often the first pass gave the other occurrences of this token's
    /// base in the document each type: `[O, PERS, LOC, ORG, MISC]`.
    pub elsewhere: [u16; 5],
}

/// Computes the features of every token of one sentence into `out`; with
/// `first_pass` (one per token), the second pass's features too.
pub fn extract(tokens: &[Token], first_pass: Option<&[FirstPass]>, out: &mut SentenceFeatures) {
    out.ids.clear();
    out.offsets.clear();
    out.offsets.push(0);
    let gaz = gazetteer::gazetteer();
    let infos = token_infos(tokens, gaz);
    let n = infos.len() as isize;
    let at = |j: isize| -> &TokenInfo<'_> {
        if j < 0 {
            &BOUNDARY_BEFORE
        } else if j >= n {
            &BOUNDARY_AFTER
        } else {
            &infos[j as usize]
        }
    };
    for i in 0..n {
        let ids = &mut out.ids;
        let cur = at(i);
        let mut push = |h: FeatureHash| ids.push(h.finish());
        push(FeatureHash::template(T_BIAS));
        push(FeatureHash::template(T_WORD).word(cur));
        push(FeatureHash::template(T_BASE).base(cur));
        push(FeatureHash::template(T_STEM).str(cur.stem));
        push(FeatureHash::template(T_CLITICS).str(cur.clitics));
        push(FeatureHash::template(T_WORD_PREFIX_BASE).str(cur.clitics).str(cur.stem));
        if cur.kind == TokenKind::Word || cur.kind == TokenKind::Latin {
            for len in 1..=3u8 {
                if let Some(p) = char_prefix(cur.base, len as usize) {
                    push(FeatureHash::template(T_PREFIX).byte(len).str(p));
                }
                if let Some(s) = char_suffix(cur.base, len as usize) {
                    push(FeatureHash::template(T_SUFFIX).byte(len).str(s));
                }
            }
        }
        let chars = cur.base.chars().count().min(9) as u8;
        push(FeatureHash::template(T_SHAPE).byte(kind_code(cur.kind)).byte(chars));
        if cur.stop {
            push(FeatureHash::template(T_STOPWORD));
        }
        if i == 0 {
            push(FeatureHash::template(T_FIRST_IN_SENTENCE));
        }
        // Distributional class and corpus statistics of the word.
        match cur.stat {
            Some(st) => {
                let c = u32::from(st.cluster);
                for (level, id) in [(1u8, c >> 7), (2, c >> 3), (3, c)] {
                    push(FeatureHash::template(T_CLUSTER).byte(level).u16(id as u16));
                }
                let c = u32::from(st.cluster2);
                for (level, id) in [(4u8, c >> 7), (5, c >> 3), (6, c)] {
                    push(FeatureHash::template(T_CLUSTER).byte(level).u16(id as u16));
                }

                let has_article = u8::from(cur.clitics.ends_with("ال") || cur.clitics == "لل");
                push(FeatureHash::template(T_ARTICLE_SHARE).byte(st.article));
                push(FeatureHash::template(T_ARTICLE_SHARE).byte(st.article).byte(has_article));
                push(FeatureHash::template(T_TITLE_SHARE).byte(st.after_title));
                push(FeatureHash::template(T_FREQ).byte(st.log_freq / 2));
            }
            None if cur.kind == TokenKind::Word || cur.kind == TokenKind::Latin => {
                push(FeatureHash::template(T_CLUSTER).byte(0));
            }
            None => {}
        }
        // Noun chains: organisation names are genitive chains behind a head
        // (مجلس الاحتياطي الاتحادي, الاتحاد الدولي لكرة القدم). Walk back over
        // the words of the chain (no punctuation, no stop word) up to 4; a
        // listed org head there, or the class of each word there, tells
        // whether this word continues a name.
        {
            let article = if cur.clitics.ends_with("ال") || cur.clitics == "لل" {
                b'a'
            } else if cur.clitics.is_empty() {
                b'-'
            } else {
                b'c'
            };
            let mut j = i - 1;
            let mut head_found = false;
            while j >= 0 && i - j <= 4 {
                let w = at(j);
                if w.kind == TokenKind::Punct || w.stop {
                    break;
                }
                let dist = (i - j) as u8;
                if !head_found
                    && (w.flags & (gazetteer::ORG_HEAD | (gazetteer::ORG_HEAD << gazetteer::START_SHIFT)) != 0)
                {
                    head_found = true;
                    push(FeatureHash::template(T_ORG_HEAD_CHAIN).byte(dist).byte(article));
                    push(FeatureHash::template(T_ORG_HEAD_CHAIN).byte(0).byte(article));
                }
                if dist <= 3 {
                    if let Some(st) = w.stat {
                        push(FeatureHash::template(T_CHAIN_CLUSTER).byte(dist).byte(article).u16(st.cluster >> 3));
                    }
                }
                j -= 1;
            }
        }
        {
            let prev_c = at(i - 1).stat.map_or(u16::MAX, |s| s.cluster >> 3);
            let cur_c = cur.stat.map_or(u16::MAX, |s| s.cluster >> 3);
            let next_c = at(i + 1).stat.map_or(u16::MAX, |s| s.cluster >> 3);
            push(FeatureHash::template(T_CLUSTER_BIGRAM).byte(b'l').u16(prev_c).u16(cur_c));
            push(FeatureHash::template(T_CLUSTER_BIGRAM).byte(b'r').u16(cur_c).u16(next_c));
        }
        for d in [-2isize, -1, 1, 2] {
            let ctx = at(i + d);
            let pos = d as i8 as u8;
            if let Some(st) = ctx.stat {
                let c = u32::from(st.cluster);
                push(FeatureHash::template(T_CONTEXT_CLUSTER).byte(pos).byte(1).u16((c >> 7) as u16));
                if d.abs() == 1 {
                    push(FeatureHash::template(T_CONTEXT_CLUSTER).byte(pos).byte(2).u16((c >> 3) as u16));
                    push(FeatureHash::template(T_CONTEXT_CLUSTER).byte(pos).byte(5).u16(st.cluster2 >> 3));
                }
            }
        }
        for d in [-2isize, -1, 1, 2] {
            let ctx = at(i + d);
            let pos = d as i8 as u8;
            push(FeatureHash::template(T_CONTEXT_WORD).byte(pos).word(ctx));
            push(FeatureHash::template(T_CONTEXT_BASE).byte(pos).base(ctx));
            push(FeatureHash::template(T_CONTEXT_KIND).byte(pos).byte(kind_code(ctx.kind)));
        }
        for d in [-1isize, 1] {
            let ctx = at(i + d);
            let pos = d as i8 as u8;
            push(FeatureHash::template(T_STEM_CONTEXT).byte(pos).str(ctx.stem));
            if let Some(s) = char_suffix(ctx.base, 2) {
                push(FeatureHash::template(T_CONTEXT_SUFFIX).byte(pos).str(s));
            }
        }
        let prev = at(i - 1);
        let next = at(i + 1);
        push(FeatureHash::template(T_BIGRAM_LEFT).base(prev).base(cur));
        push(FeatureHash::template(T_BIGRAM_RIGHT).base(cur).base(next));
        // Gazetteer bits of the word and its neighbours.
        for d in [-2isize, -1, 0, 1, 2] {
            let ctx = at(i + d);
            let pos = d as i8 as u8;
            let mut bits = ctx.flags;
            while bits != 0 {
                let bit = bits.trailing_zeros() as u8;
                bits &= bits - 1;
                push(FeatureHash::template(T_GAZ_WORD).byte(pos).byte(bit));
            }
        }
        // Listed phrases: the token's own membership, and the neighbours'.
        {
            let mut bits = cur.phrase;
            let position = if cur.phrase_begin { b'B' } else { b'I' };
            while bits != 0 {
                let bit = bits.trailing_zeros() as u8;
                bits &= bits - 1;
                push(FeatureHash::template(T_GAZ_PHRASE).byte(position).byte(bit));
            }
            for d in [-1isize, 1] {
                let ctx = at(i + d);
                let mut bits = ctx.phrase;
                let position = if ctx.phrase_begin { b'B' } else { b'I' };
                while bits != 0 {
                    let bit = bits.trailing_zeros() as u8;
                    bits &= bits - 1;
                    push(FeatureHash::template(T_GAZ_PHRASE_CONTEXT).byte(d as i8 as u8).byte(position).byte(bit));
                }
            }
        }
        // A person title right before, or before one or two nationality
        // adjectives (الرئيس الروسي فلاديمير).
        {
            let mut j = i - 1;
            let mut skipped = 0u8;
            while j >= 0 && skipped < 2 && at(j).flags & gazetteer::NATIONALITY != 0 {
                j -= 1;
                skipped += 1;
            }
            let title = at(j);
            if j >= 0 && (title.ends_title || title.flags & gazetteer::PERSON_TITLE != 0) {
                push(FeatureHash::template(T_TITLE_BEFORE).byte(skipped));
                push(FeatureHash::template(T_TITLE_BEFORE).byte(skipped).str(cur.clitics));
            }
            for d in [1isize, 2] {
                if at(i - d).flags & gazetteer::REPORTING_VERB != 0 {
                    push(FeatureHash::template(T_REPORTING_BEFORE).byte(d as u8));
                }
            }
        }
        out.offsets.push(out.ids.len());
    }
    if let Some(fp) = first_pass {
        let local = std::mem::take(out);
        with_first_pass(&local, fp, out);
    }
}

/// The second pass's features of a sentence: its local features (from
/// [`extract`] without `first_pass`) plus those read off the first pass.
/// The same as `extract(tokens, Some(first_pass), out)`, without computing
/// the local features again: the tagger keeps them from the first pass.
pub fn with_first_pass(local: &SentenceFeatures, fp: &[FirstPass], out: &mut SentenceFeatures) {
    out.ids.clear();
    out.offsets.clear();
    out.offsets.push(0);
    for i in 0..local.len() as isize {
        out.ids.extend_from_slice(local.token(i as usize));
        let ids = &mut out.ids;
        let mut push = |h: FeatureHash| ids.push(h.finish());
        let tag_at = |j: isize| -> u8 {
            if j < 0 {
                0xFE
            } else {
                fp.get(j as usize).map_or(0xFF, |f| f.tag)
            }
        };
        let own = tag_at(i);
        push(FeatureHash::template(T_FIRST_PASS).byte(own));
        push(FeatureHash::template(T_FIRST_PASS_LEFT).byte(tag_at(i - 1)).byte(own));
        push(FeatureHash::template(T_FIRST_PASS_RIGHT).byte(own).byte(tag_at(i + 1)));
        if let Some(f) = fp.get(i as usize) {
            let entity_total: u16 = f.elsewhere[1..].iter().sum();
            if entity_total > 0 {
                let mut best = 1;
                for t in 2..5 {
                    if f.elsewhere[t] > f.elsewhere[best] {
                        best = t;
                    }
                }
                push(FeatureHash::template(T_ELSEWHERE_MAJORITY).byte(best as u8));
                let mostly = f.elsewhere[best] >= f.elsewhere[0];
                push(FeatureHash::template(T_ELSEWHERE_MAJORITY).byte(best as u8).byte(u8::from(mostly)).byte(own));
                for t in 1..5 {
                    if f.elsewhere[t] > 0 {
                        push(FeatureHash::template(T_ELSEWHERE_ANY).byte(t as u8));
                    }
                }
            } else if f.elsewhere[0] > 0 {
                push(FeatureHash::template(T_ELSEWHERE_ONLY_O).byte(f.elsewhere[0].min(3) as u8));
            }
        }
        out.offsets.push(out.ids.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conll_words_look_like_tokenized_words() {
        for w in ["وبموسكو", "بوتين", "2002", "G20", ".", "،", "الصين"] {
            let a = token_from_word(w);
            let b = marsad_text::tokenize(w);
            assert_eq!(b.len(), 1, "{w}");
            assert_eq!(a.kind, b[0].kind, "{w}");
            assert_eq!(a.normalized, b[0].normalized, "{w}");
            assert_eq!(a.segmentation, b[0].segmentation, "{w}");
        }
    }

    #[test]
    fn features_are_the_same_for_both_views() {
        let text = "قال الرئيس الروسي فلاديمير بوتين في موسكو .";
        let tokens = marsad_text::tokenize(text);
        let words: Vec<Token> = text.split_whitespace().map(token_from_word).collect();
        let mut a = SentenceFeatures::default();
        let mut b = SentenceFeatures::default();
        extract(&tokens, None, &mut a);
        extract(&words, None, &mut b);
        assert_eq!(a.ids, b.ids);
        assert_eq!(a.len(), tokens.len());
    }

    #[test]
    fn second_pass_features_extend_the_local_ones() {
        let tokens = marsad_text::tokenize("قال الرئيس الروسي فلاديمير بوتين في موسكو .");
        let fp: Vec<FirstPass> =
            (0..tokens.len()).map(|i| FirstPass { tag: (i % 3) as u8, elsewhere: [i as u16, 0, 1, 0, 0] }).collect();
        let mut direct = SentenceFeatures::default();
        extract(&tokens, Some(&fp), &mut direct);
        let mut local = SentenceFeatures::default();
        extract(&tokens, None, &mut local);
        let mut reused = SentenceFeatures::default();
        with_first_pass(&local, &fp, &mut reused);
        assert_eq!(direct.ids, reused.ids);
        assert_eq!(direct.offsets, reused.offsets);
        assert!(direct.ids.len() > local.ids.len());
    }

    #[test]
    fn word_classes_are_features() {
        // A word of the unlabeled corpus gets class features; an unknown
        // Arabic word gets the "not in the table" feature instead.
        let known = marsad_text::tokenize("بوتين");
        let unknown = marsad_text::tokenize("قزبلطونيش");
        assert!(wordstats::lookup(known[0].base()).is_some());
        assert!(wordstats::lookup(unknown[0].base()).is_none());
        let mut a = SentenceFeatures::default();
        let mut b = SentenceFeatures::default();
        extract(&known, None, &mut a);
        extract(&unknown, None, &mut b);
        let unknown_id = FeatureHash::template(T_CLUSTER).byte(0).finish();
        assert!(!a.ids.contains(&unknown_id));
        assert!(b.ids.contains(&unknown_id));
    }

    #[test]
    fn prefixes_and_suffixes_count_characters() {
        assert_eq!(char_prefix("موسكو", 2), Some("مو"));
        assert_eq!(char_suffix("موسكو", 3), Some("سكو"));
        assert_eq!(char_prefix("مو", 3), None);
        assert_eq!(char_suffix("مو", 2), Some("مو"));
        assert_eq!(char_prefix("مو", 2), Some("مو"));
    }
}
