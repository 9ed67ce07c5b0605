//! Entity mentions: names with titles and roles kept apart, grouped per document.
//!
//! [`extract`] finds every name a document gives — persons, organisations,
//! places — and groups the mentions of one referent into a [`LocalEntity`].
//!
//! # Why a rule layer next to the tagger
//!
//! The statistical tagger ([`crate::ner`]) learnt from ANERcorp, a small
//! corpus of 2000s newswire. It has never seen ديمتري بيسكوف or رستم عمروف,
//! and what it has not seen it often misses or cuts wrong. Arabic news,
//! however, introduces people in a handful of fixed shapes, and those shapes
//! are evidence the tagger cannot use directly:
//!
//! * a title, its complement and nationality adjectives, then the name:
//!   الرئيس الروسي فلاديمير بوتين, المتحدث باسم الرئاسة الروسية، ديمتري بيسكوف;
//! * the name, then the role between commas (an appositive):
//!   ديمتري بيسكوف، المتحدث باسم الرئاسة الروسية،;
//! * a reporting verb, a name, and an appositive: وقال ألكسندر جابويف، مدير …;
//! * a known given name and the word after it: جون بارك;
//! * a listed name (the gazetteers of `data/gazetteer/`);
//! * a capitalised Latin-script name (a byline, a newspaper).
//!
//! So rules run first and the tagger's spans fill the gaps: each layer finds
//! what the other misses, and where both speak the rules win, because they
//! also know where the title stops and the name starts — a role is never
//! part of a name, and a nationality adjective (الروسي) belongs to the role.
//!
//! # Why names are cut after their clitics
//!
//! وبوتين and لبوتين are بوتين: a [`Mention`]'s span starts after the
//! conjunction and preposition, so the same person is written the same way
//! wherever the text puts him. A person's name also drops the article that
//! a title would carry (للرئيس is a title, never a name); organisations and
//! places keep theirs (الكرملين).
//!
//! # Why grouping is careful
//!
//! Grouping turns mentions into entities, and a wrong merge is worse than a
//! missed one: it puts one man's words in another's mouth. Full names merge
//! only when their keys are equal (the consonant skeleton of
//! [`crate::corpus::name_key`]), so كيم جونغ أون, كيم جونغ إيل and كيم إيل
//! سونغ stay three people, and so do فولوديمير زيلينسكي and أولينا
//! زيلينسكا. A lone family name (كيربي, or كيم, which Korean writes first)
//! goes to the full name it abbreviates; when several full names share it,
//! to the one mentioned most recently, else the most frequent. A lone given
//! name (ديمتري) joins a full name only when exactly one full name starts
//! with it.
//!
//! # Cost
//!
//! Everything is a few passes over the tokens with hash lookups; a name or a
//! role allocates its display string once. Long news text runs at tens of
//! megabytes a second.

use std::ops::Range;
use std::sync::OnceLock;

use marsad_text::{is_stopword, normalize_key, Token, TokenKind};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::gazetteer::{
    gazetteer, word_key, Flags, Gazetteer, FIRST_NAME, NATIONALITY, ORGANIZATION, ORG_HEAD, PERSON, PERSON_TITLE,
    PLACE, PLACE_HEAD, REPORTING_VERB, SPEAKER_GROUP, SPORTS_CLUB, START_SHIFT,
};
use crate::ner::NerSpan;
use crate::{display_name, EntityType, LocalEntity, Mention};

/// Korean (and Chinese) family names, written first: in كيم جونغ أون the
/// family name is كيم, and a lone كيم abbreviates the full name.
/// Weekday names (bases, normalized): الأربعاء after a name is a date.
const WEEKDAYS: &[&str] = &["احد", "اثنين", "ثلاثاء", "اربعاء", "خميس", "جمعة", "جمعه", "سبت"];

/// Words that place a date in its month or year (bases, normalized).
const DATE_WORDS: &[&str] = &["اواخر", "اوائل", "اواسط", "منتصف", "مطلع", "نهاية", "بداية", "اخر", "مستهل", "غرة"];

/// Capitalized English words of page furniture that are not names ("Next
/// Previous", "Read More", "Share This") — saved pages are full of them.
const LATIN_NOT_NAMES: &[&str] = &[
    "next",
    "previous",
    "prev",
    "read",
    "more",
    "share",
    "this",
    "home",
    "click",
    "here",
    "comments",
    "comment",
    "print",
    "email",
    "video",
    "photo",
    "photos",
    "related",
    "tags",
    "source",
    "posted",
    "by",
    "on",
    "page",
    "top",
    "back",
    "menu",
    "search",
    "login",
    "subscribe",
    "follow",
    "like",
    "tweet",
    "facebook",
    "twitter",
    "whatsapp",
    "news",
    "breaking",
    "update",
    "updated",
    "view",
];

/// Words that link the parts of an Arabic name (normalized): بن, بنت, ابن
/// (son/daughter of), آل (family of; normalized ال).
const NASAB_LINKS: &[&str] = &["بن", "بنت", "ابن", "ال"];
/// Words that begin a compound given name whose second word takes the
/// article (عبد الله, أبو الغيط).
const COMPOUND_HEADS: &[&str] = &["عبد", "ابو", "ابي", "ام"];

const FAMILY_FIRST: &[&str] = &["كيم", "يون", "مون", "بارك", "لي", "تشوي", "شي", "هان", "ري", "جانغ"];

/// Words that follow a title but are not names (أمريكي سابق, بارز).
const NOT_NAMES: &[&str] = &[
    "سابق",
    "اسبق",
    "حالي",
    "جديد",
    "بارز",
    "كبير",
    "مؤقت",
    "منتخب",
    "اول",
    "ثاني",
    "عام",
    "مساعد",
    "سابقا",
    "حاليا",
    "شخصيا",
    "نفسه",
    "نفسها",
    "ايضا",
    "كذلك",
    "امس",
    "اليوم",
    "حينها",
    "انذاك",
    "مجددا",
    "قبل",
    "بعد",
    "خلال",
    "عقب",
    "حول",
    "بشان",
    "امام",
    "الي",
    "علي",
    "منذ",
    "حتي",
    "ثم",
    "قد",
    "لقد",
    "كان",
    "كانت",
    "يكون",
    "بين",
    "عن",
    "مع",
    "عبر",
    "ضد",
    "دون",
    "وسط",
    "لدي",
    "اثناء",
];

/// Words in a role after a title that take the next word as their object
/// (المتحدث باسم الكرملين).
const ROLE_LINKS: &[&str] = &["باسم", "بلسان", "لشؤون", "لدى", "لدي", "في", "عن", "العام"];

/// Head words of media names, which take a Latin or quoted name after them
/// (صحيفة The Telegraph).
const MEDIA_HEADS: &[&str] = &["صحيفة", "شبكة", "وكالة", "قناة", "مجلة", "موقع", "اذاعة", "منصة", "تلفزيون"];

/// Titles that introduce a name but are not worth keeping as its role.
const RELATIONAL_TITLES: &[&str] = &["نظيره", "نظيرته", "نظيرها", "نظيرهم", "نظيريه"];

/// Letters Arabic news uses for an initial (سكوت أ. سنايدر).
fn is_initial(t: &Token) -> bool {
    t.kind == TokenKind::Word && t.normalized.chars().count() == 1
}

/// Whether `c` is a mark that belongs to the letter before it (diacritics,
/// tatweel, invisible joiners and direction marks).
pub(crate) fn is_mark(c: char) -> bool {
    marsad_text::normalize::is_removed(c)
}

/// Byte offset in `text` after the first `n` letters of `span` (and the
/// marks that follow them).
fn skip_letters(text: &str, span: &Range<usize>, n: usize) -> usize {
    if n == 0 {
        return span.start;
    }
    let Some(s) = text.get(span.clone()) else { return span.start };
    let mut seen = 0;
    for (i, c) in s.char_indices() {
        if is_mark(c) {
            continue;
        }
        if seen == n {
            return span.start + i;
        }
        seen += 1;
    }
    span.start
}

/// Where the name part of token `t` starts in `text`: after و/ف and ب/ل/ك,
/// and after the article too unless `keep_article`. The second value says
/// the article was elided (للكرملين) and so could not be kept.
pub(crate) fn name_start(text: &str, t: &Token, keep_article: bool) -> usize {
    if t.kind != TokenKind::Word || !t.segmentation.is_split() {
        return t.span.start;
    }
    let prefix = t.segmentation.prefix(&t.normalized);
    let mut n = prefix.chars().count();
    if keep_article && t.segmentation.article && prefix.ends_with("ال") {
        n -= 2;
    }
    if n >= t.normalized.chars().count() {
        return t.span.start;
    }
    skip_letters(text, &t.span, n)
}

/// The consonant skeleton of one normalized word: long vowels ا و ي
/// dropped inside it, first and last letters kept (ترامب and ترمب give
/// ترمب; زيلينسكي and زيلينسكا stay apart). ة is read as ه.
pub(crate) fn skeleton_into(word: &str, out: &mut String) {
    // Listed Arabic given names are distinct as written: سلمان is not
    // سليمان, سعد is not سعيد. The skeleton is for transliterations
    // (ترمب / ترامب), which the list does not hold.
    if crate::gazetteer::gazetteer().word_flags(word) & crate::gazetteer::FIRST_NAME != 0
        && word.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c))
        && !FAMILY_FIRST.contains(&word)
    {
        for c in word.chars() {
            out.push(match c {
                'ة' => 'ه',
                'ى' => 'ي',
                'أ' | 'إ' | 'آ' => 'ا',
                c => c,
            });
        }
        return;
    }
    let n = word.chars().count();
    for (i, c) in word.chars().enumerate() {
        let c = match c {
            'ة' => 'ه',
            'ى' => 'ي',
            'أ' | 'إ' | 'آ' => 'ا',
            _ => c,
        };
        if i != 0 && i + 1 != n && matches!(c, 'ا' | 'و' | 'ي') {
            continue;
        }
        out.extend(c.to_lowercase());
    }
}

/// Which word of a person's name is the family name: the first for the
/// Korean/Chinese order (كيم جونغ أون), else the last.
pub(crate) fn family_word<'a>(words: &[&'a str]) -> Option<&'a str> {
    // An Arabic nasab (محمد بن سلمان): the word after بن is the father's
    // name, not a surname, so a lone سلمان is not this man. With a family
    // name (سلمان بن عبدالعزيز آل سعود) the lone family name is still too
    // wide (every prince is آل سعود): no family word at all.
    if words.len() >= 2 && words.iter().any(|w| NASAB_LINKS.contains(w)) {
        return None;
    }
    match words {
        [] => None,
        [w] => Some(w),
        [first, ..] if words.len() >= 3 && FAMILY_FIRST.contains(first) => Some(first),
        [.., last] => Some(last),
    }
}

/// Per-token facts the rules read.
struct Tk<'a> {
    key: &'a str,
    flags: Flags,
    kind: TokenKind,
    /// The token is a single punctuation mark (the char).
    punct: Option<char>,
    /// Clitics were split off.
    split: bool,
    article: bool,
    stop: bool,
}

/// A mention before grouping.
#[derive(Clone, Debug)]
struct Cand {
    tokens: Range<usize>,
    span: Range<usize>,
    ty: EntityType,
    role: Option<String>,
    /// Whether the name stands on its own; a weak single word (after a
    /// title) is kept only if it links to a full name or recurs.
    strong: bool,
}

struct Ctx<'a> {
    text: &'a str,
    tokens: &'a [Token],
    tk: Vec<Tk<'a>>,
    keys: Vec<&'a str>,
    gaz: &'static Gazetteer,
    /// Token index → the candidate covering it.
    covered: Vec<bool>,
    /// Token index → inside an appositive role (only listed orgs/places there).
    in_role: Vec<bool>,
    ner_person_at: FxHashMap<usize, usize>,
    /// Normalized forms of the words the segmenter left whole: a name seen
    /// bare elsewhere in the document (بوتين) makes لبوتين ل + بوتين.
    seen_whole: FxHashSet<&'a str>,
    /// The document is about sport (several words of matches, leagues,
    /// players): club names that are also common words are names here.
    sports: bool,
}

/// Word keys of sport: three of them in a document make it sports news.
const SPORTS_WORDS: &[&str] = &[
    "مباراة",
    "مباريات",
    "دوري",
    "مدرب",
    "لاعب",
    "لاعبين",
    "لاعبي",
    "فريق",
    "منتخب",
    "ملعب",
    "بطولة",
    "هدف",
    "اهداف",
    "نادي",
    "موسم",
    "كاس",
    "حارس",
    "مهاجم",
];

fn sports_words() -> &'static FxHashSet<String> {
    static SET: OnceLock<FxHashSet<String>> = OnceLock::new();
    SET.get_or_init(|| SPORTS_WORDS.iter().map(|w| crate::gazetteer::phrase_key(w)).collect())
}

/// Names the text layer knows (its segmentation lexicon): a base listed
/// there is a real split, so لبوتين is ل + بوتين even when بوتين is not
/// written bare in the document.
fn known_names() -> &'static FxHashSet<String> {
    static N: OnceLock<FxHashSet<String>> = OnceLock::new();
    N.get_or_init(|| {
        include_str!("../../../data/lexicon/gazetteer-ar.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(normalize_key)
            .collect()
    })
}

impl<'a> Ctx<'a> {
    fn new(text: &'a str, tokens: &'a [Token], tagged: &[NerSpan]) -> Ctx<'a> {
        let gaz = gazetteer();
        let mut tk = Vec::with_capacity(tokens.len());
        let mut keys = Vec::with_capacity(tokens.len());
        for t in tokens {
            let key = word_key(t);
            let punct = if t.kind == TokenKind::Punct { t.normalized.chars().next() } else { None };
            let stop = t.kind == TokenKind::Word && (is_stopword(&t.normalized) || is_stopword(key));
            tk.push(Tk {
                key,
                flags: if t.kind == TokenKind::Punct { 0 } else { gaz.token_flags(t) },
                kind: t.kind,
                punct,
                split: t.segmentation.is_split(),
                article: t.segmentation.article,
                stop,
            });
            keys.push(key);
        }
        let mut ner_person_at = FxHashMap::default();
        for s in tagged {
            if s.entity_type == EntityType::Person && s.tokens.end <= tokens.len() && !s.tokens.is_empty() {
                ner_person_at.insert(s.tokens.start, s.tokens.end);
            }
        }
        let n = tokens.len();
        let seen_whole = tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Word && !t.segmentation.is_split())
            .map(|t| t.normalized.as_str())
            .collect();
        let sports = keys.iter().filter(|k| sports_words().contains(**k)).take(3).count() >= 3;
        Ctx {
            text,
            tokens,
            tk,
            keys,
            gaz,
            covered: vec![false; n],
            in_role: vec![false; n],
            ner_person_at,
            seen_whole,
            sports,
        }
    }

    /// How many letters of token `i` are clitics when it starts a person's
    /// name. The segmenter's guesses are checked: a bare preposition is split
    /// off only when the rest is a name known bare (بوتين, not يربي from
    /// كيربي), and ال only when written with a bare alef (ألكسندر keeps it).
    fn person_strip(&self, i: usize, keep_article: bool) -> usize {
        let t = &self.tokens[i];
        if t.kind != TokenKind::Word || !t.segmentation.is_split() {
            return 0;
        }
        let seg = t.segmentation;
        let prefix = seg.prefix(&t.normalized);
        let all = prefix.chars().count();
        let conj = usize::from(seg.conjunction.is_some());
        let prep = usize::from(seg.preposition.is_some());
        if seg.article {
            if prefix.ends_with("لل") {
                return all;
            }
            let at = skip_letters(self.text, &t.span, conj + prep);
            let bare_alef = self.text.get(at..).is_some_and(|r| r.starts_with('ا'));
            if bare_alef && !keep_article {
                return all;
            }
            return conj + prep;
        }
        if prep > 0 {
            let base = t.base();
            if self.seen_whole.contains(base) || known_names().contains(base) {
                return conj + prep;
            }
            return conj;
        }
        conj
    }

    /// The word of a person's name at token `i` (the first word without the
    /// clitics [`Ctx::person_strip`] allows; later words whole).
    fn person_word(&self, i: usize, first: bool) -> &'a str {
        let t = &self.tokens[i];
        if !first {
            return t.normalized.as_str();
        }
        let n = self.person_strip(i, false);
        match t.normalized.char_indices().nth(n) {
            Some((b, _)) => &t.normalized[b..],
            None => t.normalized.as_str(),
        }
    }

    fn len(&self) -> usize {
        self.tk.len()
    }

    fn punct_at(&self, i: usize) -> Option<char> {
        self.tk.get(i).and_then(|t| t.punct)
    }

    fn is_comma(&self, i: usize) -> bool {
        matches!(self.punct_at(i), Some('،' | ','))
    }

    /// Longest gazetteer phrase at `i`, not crossing punctuation.
    fn phrase_at(&self, i: usize) -> Option<(usize, Flags)> {
        let t = self.tk.get(i)?;
        if t.punct.is_some() || t.flags == 0 {
            return None;
        }
        let mut end = i + 1;
        while end < self.len() && end - i < 8 && self.tk[end].punct.is_none() {
            end += 1;
        }
        self.gaz.longest_match_tokens(&self.tokens[i..end], &self.keys[i..end])
    }

    /// Whether token `i` could be a word of a name (not a function word,
    /// title, verb, adjective with the article, …). `first` allows
    /// proclitics (وبوتين).
    fn name_word(&self, i: usize, first: bool) -> bool {
        let Some(t) = self.tk.get(i) else { return false };
        if t.kind != TokenKind::Word || t.stop || t.article {
            return false;
        }
        // بن, آل link the parts of a name; they do not begin one (بن
        // سلمان is the tail of a name cut by a title, not a name).
        if first && self.nasab_link(i) && t.flags & PERSON == 0 {
            return false;
        }
        if t.split && !first {
            return false;
        }
        let own = t.flags & ((1 << START_SHIFT) - 1);
        let excluded =
            PERSON_TITLE | REPORTING_VERB | SPEAKER_GROUP | NATIONALITY | ORG_HEAD | PLACE_HEAD | PLACE | ORGANIZATION;
        // A listed given name written without the article is a name even
        // when its key is also a nationality's (تركي, not التركي).
        let given_not_nationality = own & FIRST_NAME != 0 && own & excluded == NATIONALITY & own;
        if own & excluded != 0 && own & PERSON == 0 && !given_not_nationality {
            return false;
        }
        if t.flags & (PERSON_TITLE << START_SHIFT) != 0 && own & (PERSON | FIRST_NAME) == 0 {
            return false;
        }
        let key = t.key;
        if key.chars().count() < 2 || NOT_NAMES.contains(&key) {
            return false;
        }
        // Dates are not names, whatever the tagger thinks (أواخر يوليو).
        if WEEKDAYS.contains(&key) || DATE_WORDS.contains(&key) || marsad_text::calendar::month_number(key).is_some() {
            return false;
        }
        true
    }

    /// Whether an unlisted name word looks like a foreign or proper name
    /// rather than an indefinite noun: not ending in tanween alif or ة.
    fn proper_looking(&self, i: usize) -> bool {
        let t = &self.tk[i];
        if is_initial(&self.tokens[i]) {
            return true;
        }
        if t.flags & (PERSON | FIRST_NAME) != 0 {
            return true;
        }
        !(t.key.ends_with('ا') || t.key.ends_with('ة') || t.key.ends_with("ات"))
    }

    /// Whether a word looks transliterated: a long vowel inside it, four
    /// letters or more, and not the shape of an imperfect verb (يتطلع).
    /// Arabic nouns and verbs rarely carry a long vowel in every syllable;
    /// كيربي, شويغو, ريزنيكوف, بومبيو do.
    fn foreign_looking(&self, i: usize) -> bool {
        let t = &self.tk[i];
        if t.flags & (PERSON | FIRST_NAME) != 0 {
            return true;
        }
        let w = self.tokens[i].normalized.as_str();
        let n = w.chars().count();
        if n < 4 || !self.proper_looking(i) {
            return false;
        }
        if ["يت", "تت", "نت", "يست", "تست", "مت", "مست", "است"].iter().any(|p| w.starts_with(p)) {
            return false;
        }
        w.chars().skip(1).take(n.saturating_sub(2)).any(|c| matches!(c, 'ا' | 'و' | 'ي'))
    }

    /// A person's name from a given name at `j`: `(end, strong)`. A Korean
    /// family name (كيم) needs the whole three-word name; a given name needs
    /// a word after it that is listed, looks transliterated, or closes the
    /// name before punctuation.
    fn given_name_run(&self, j: usize) -> Option<(usize, bool)> {
        let (end, words) = self.name_run(j, 3);
        if words < 2 {
            return None;
        }
        let second = (j + 1..end).find(|&k| !is_initial(&self.tokens[k]) && self.tk[k].punct.is_none())?;
        if self.nasab_link(second) {
            return Some((end, true));
        }
        if second == j + 1 && self.arabic_family_name(second) {
            return Some((second + 1, true));
        }
        if FAMILY_FIRST.contains(&self.tk[j].key) {
            let all = (j..end).all(|k| {
                self.tk[k].punct.is_some()
                    || self.foreign_looking(k)
                    || self.tk[k].key.chars().count() <= 4 && self.proper_looking(k)
            });
            return (words == 3 && all && self.closed_after(end)).then_some((end, true));
        }
        // Given name, father's name, family name with the article
        // (عماد منسي الزهراني): the family name vouches for the middle word.
        if words == 3 && second + 2 == end && self.arabic_family_name(end - 1) && self.family_closes(end - 1) {
            return Some((end, true));
        }
        if !self.proper_looking(second) {
            return None;
        }
        let closed2 = self.closed_after(second + 1);
        if !(self.foreign_looking(second) || closed2 || self.tk[second].flags & (PERSON | FIRST_NAME) != 0) {
            return None;
        }
        let third_closes = self.closed_after(end) && self.proper_looking(end - 1) || self.arabic_family_name(end - 1);
        let take = if words == 3 && third_closes { end } else { second + 1 };
        Some((take, true))
    }

    /// A run of name words at `i`: up to `max` words, with initials
    /// (أ.) inside. Returns the end token index (exclusive) and the number
    /// of words.
    fn name_run(&self, i: usize, max: usize) -> (usize, usize) {
        let mut j = i;
        let mut words = 0;
        let mut nasab = false;
        while j < self.len() {
            // A nasab link (بن, بنت, آل) between name words: محمد بن سلمان
            // بن عبدالعزيز آل سعود is one name, however long.
            if words > 0 && self.nasab_link(j) {
                match self.nasab_next(j + 1) {
                    Some(next) => {
                        j = next;
                        nasab = true;
                        continue;
                    }
                    None => break,
                }
            }
            // After a nasab only another link continues the name — or the
            // family name with the article that Arabic names end in
            // (وليد بن عبدالله الحسين); the next plain word (سلمان بن
            // عبدالعزيز شبل) belongs to the sentence.
            if nasab {
                if self.arabic_family_name(j) && self.family_closes(j) {
                    j += 1;
                    words += 1;
                }
                break;
            }
            if words >= max {
                break;
            }
            // A compound given name (عبد الله) is one word of the name.
            if COMPOUND_HEADS.contains(&self.tokens[j].normalized.as_str())
                && self.tk.get(j + 1).is_some_and(|n| n.kind == TokenKind::Word)
            {
                j += 2;
                words += 1;
                continue;
            }
            if self.name_word(j, j == i) {
                j += 1;
                words += 1;
                continue;
            }
            // An Arabic family name with the article after a given name
            // (سامر الحداد, هند السعدي), or after a given name and the
            // father's (عماد منسي الزهراني), ends the name.
            if (1..=2).contains(&words)
                && self.tk[i].flags & FIRST_NAME != 0
                && self.arabic_family_name(j)
                && (words == 1 || self.family_closes(j))
            {
                j += 1;
                words += 1;
                break;
            }
            // An initial: one letter and a dot, followed by a name word.
            if words > 0
                && is_initial(&self.tokens[j])
                && self.punct_at(j + 1) == Some('.')
                && self.name_word(j + 2, false)
            {
                j += 2;
                continue;
            }
            break;
        }
        (j, words)
    }

    /// Whether token `i` can be an Arabic family name written with the
    /// article (الحداد, السعدي, القحطاني): a word with the article and no
    /// other clitic, not a function word, title, nationality, place,
    /// organisation, weekday or other listed word.
    fn arabic_family_name(&self, i: usize) -> bool {
        let Some(t) = self.tk.get(i) else { return false };
        if t.kind != TokenKind::Word || !t.article || t.stop {
            return false;
        }
        let seg = &self.tokens[i].segmentation;
        if seg.conjunction.is_some() || seg.preposition.is_some() {
            return false;
        }
        let listed =
            PERSON_TITLE | REPORTING_VERB | SPEAKER_GROUP | NATIONALITY | ORG_HEAD | PLACE_HEAD | PLACE | ORGANIZATION;
        if t.flags & listed != 0 {
            return false;
        }
        let base = t.key;
        // Feminine nouns and adjectives (المقررة), plurals (المفاوضات) and
        // verbal nouns in ـاء (اللقاء) after a name are not family names;
        // a Korean family name (كيم) is followed by given names, not these.
        if base.ends_with('ة') || base.ends_with("ات") || base.ends_with('ء') {
            return false;
        }
        if i > 0 && FAMILY_FIRST.contains(&self.tk[i - 1].key) {
            return false;
        }
        base.chars().count() >= 3
            && !NOT_NAMES.contains(&base)
            && !WEEKDAYS.contains(&base)
            && marsad_text::calendar::month_number(&self.tokens[i].normalized).is_none()
            && !is_stopword(base)
    }

    /// Whether a family name at `i` ends the name phrase: what follows is
    /// punctuation, the end, a title or role word, a verb of saying, a
    /// preposition or conjunction — not a noun phrase the word could be the
    /// head of (عبدالله الحسين المدير is a name; محمد علي المنتخب is not
    /// decided here, the following word is).
    fn family_closes(&self, i: usize) -> bool {
        let Some(next) = self.tk.get(i + 1) else { return true };
        if next.kind != TokenKind::Word {
            return true;
        }
        let seg = &self.tokens[i + 1].segmentation;
        next.stop
            || seg.conjunction.is_some()
            || seg.preposition.is_some()
            || next.flags & (PERSON_TITLE | (PERSON_TITLE << START_SHIFT) | REPORTING_VERB | NATIONALITY | ORG_HEAD)
                != 0
            || next.article
    }

    /// Whether token `i` is a word linking the parts of an Arabic name.
    fn nasab_link(&self, i: usize) -> bool {
        let Some(t) = self.tk.get(i) else { return false };
        t.kind == TokenKind::Word && !t.split && NASAB_LINKS.contains(&self.tokens[i].normalized.as_str())
    }

    /// After a nasab link, where the linked name ends: one name word, or a
    /// compound (عبد الله, عبد العزيز). `None` if no name follows.
    fn nasab_next(&self, i: usize) -> Option<usize> {
        let t = self.tk.get(i)?;
        if t.kind != TokenKind::Word {
            return None;
        }
        let w = self.tokens[i].normalized.as_str();
        if COMPOUND_HEADS.contains(&w) {
            let n = self.tk.get(i + 1)?;
            // The second word takes the article (الله, العزيز, الغيط).
            return (n.kind == TokenKind::Word && n.punct.is_none()).then_some(i + 2);
        }
        self.name_word(i, false).then_some(i + 1)
    }

    /// Whether the token after `end` closes a name (punctuation, end of text,
    /// or a reporting context).
    fn closed_after(&self, end: usize) -> bool {
        match self.tk.get(end) {
            None => true,
            Some(t) => t.punct.is_some(),
        }
    }

    /// Byte span of tokens `r` for a name of type `ty`.
    fn name_span(&self, r: &Range<usize>, ty: EntityType, keep_article: bool) -> Range<usize> {
        let first = &self.tokens[r.start];
        let start = if ty == EntityType::Person {
            skip_letters(self.text, &first.span, self.person_strip(r.start, keep_article))
        } else {
            name_start(self.text, first, true)
        };
        let mut end = self.tokens[r.end - 1].span.end;
        // Latin names glued to a date: Dodouche13.
        let last = &self.tokens[r.end - 1];
        if last.kind == TokenKind::Latin {
            let s = &self.text[last.span.clone()];
            let trimmed = s.trim_end_matches(|c: char| c.is_ascii_digit());
            if !trimmed.is_empty() {
                end = last.span.start + trimmed.len();
            }
        }
        start..end.max(start)
    }

    /// Display text of a role over tokens `r` (clitics dropped from its
    /// first word, the article restored after لل).
    fn role_text(&self, r: Range<usize>) -> Option<String> {
        if r.is_empty() {
            return None;
        }
        let mut r = r;
        while !r.is_empty() && self.tk[r.end - 1].punct.is_some() {
            r.end -= 1;
        }
        if r.is_empty() {
            return None;
        }
        let first = &self.tokens[r.start];
        let start = name_start(self.text, first, true);
        let end = self.tokens[r.end - 1].span.end;
        let mut s = String::new();
        if first.kind == TokenKind::Word && first.segmentation.article {
            let prefix = first.segmentation.prefix(&first.normalized);
            if !prefix.ends_with("ال") {
                s.push_str("ال");
            }
        }
        s.push_str(&display_name(&self.text[start..end]));
        Some(s)
    }

    /// The role tail after a title ending at `j`: complements, adjectives,
    /// listed organisations and places. Returns the end of the tail.
    fn role_tail(&self, mut j: usize, limit: usize) -> usize {
        let stop = (j + limit).min(self.len());
        while j < stop {
            let t = &self.tk[j];
            if t.punct.is_some() || t.kind != TokenKind::Word {
                break;
            }
            if let Some((n, f)) = self.phrase_at(j) {
                if f & (ORGANIZATION | PLACE) != 0 && f & PERSON == 0 {
                    j += n;
                    continue;
                }
                // A nationality adjective agrees with its title: after a
                // title it carries the article (الأمير التركي); without it a
                // listed given name is the name (الأمير تركي الفيصل).
                if f & NATIONALITY != 0 && (t.article || f & FIRST_NAME == 0) {
                    j += n;
                    continue;
                }
            }
            if t.article && !t.stop && t.flags & (PERSON | REPORTING_VERB) == 0 {
                j += 1;
                continue;
            }
            if ROLE_LINKS.contains(&t.key) && j + 1 < stop && self.tk[j + 1].punct.is_none() {
                j += 1;
                continue;
            }
            break;
        }
        j
    }

    /// A name starting at `j` after a title: `(tokens, strong)`.
    fn name_after_title(&self, j: usize, after_comma: bool) -> Option<(Range<usize>, bool)> {
        let (r, strong) = self.name_after_title_start(j, after_comma)?;
        Some((j..self.extend_nasab(r.end), strong))
    }

    /// Extends a name ending at `end` over nasab links (… بن عبدالعزيز آل
    /// سعود).
    fn extend_nasab(&self, mut end: usize) -> usize {
        while self.nasab_link(end) {
            match self.nasab_next(end + 1) {
                Some(next) => end = next,
                None => break,
            }
        }
        end
    }

    fn name_after_title_start(&self, j: usize, after_comma: bool) -> Option<(Range<usize>, bool)> {
        if j >= self.len() {
            return None;
        }
        if let Some((n, f)) = self.phrase_at(j) {
            if f & PERSON != 0 {
                return Some((j..j + n, true));
            }
            if f & (PLACE | ORGANIZATION) != 0 && f & FIRST_NAME == 0 {
                return None;
            }
        }
        // The tagger's span wins when it is a full name; a one-word span
        // (سامر of سامر الحداد) only when the rules find nothing longer.
        let mut tagged_weak = None;
        let ruled = self.name_after_title_rules(j, after_comma);
        if let Some(&end) = self.ner_person_at.get(&j) {
            if let Some(found) = self.trim_tagged_person(j..end) {
                if found.1 {
                    // Unless the rules see the family name it stopped short
                    // of (عماد منسي الزهراني).
                    if let Some(r) = &ruled {
                        if r.1 && r.0.end > found.0.end && self.arabic_family_name(r.0.end - 1) {
                            return ruled;
                        }
                    }
                    return Some(found);
                }
                tagged_weak = Some(found);
            }
        }
        match (ruled, tagged_weak) {
            (Some(r), _) if r.1 => Some(r),
            (_, Some(t)) => Some(t),
            (r, None) => r,
        }
    }

    fn name_after_title_rules(&self, j: usize, after_comma: bool) -> Option<(Range<usize>, bool)> {
        let (end, words) = self.name_run(j, 3);
        if words == 0 {
            return None;
        }
        let closed = self.closed_after(end);
        if after_comma && closed && (j..end).all(|k| self.proper_looking(k)) {
            // الرئيس الكوري الجنوبي، يون سوك يول،
            return Some((j..end, words >= 2));
        }
        if self.tk[j].flags & FIRST_NAME != 0 {
            if let Some((e, strong)) = self.given_name_run(j) {
                return Some((j..e, strong));
            }
        } else if words >= 2
            && self.proper_looking(j)
            && self.proper_looking(j + 1)
            && (self.foreign_looking(j) || self.foreign_looking(j + 1))
        {
            let take = if closed && words == 3 && self.proper_looking(end - 1) { end } else { self.skip_word(j, 2) };
            return Some((j..take, true));
        }
        if self.proper_looking(j) {
            return Some((j..self.skip_word(j, 1), false));
        }
        None
    }

    /// A person span from the tagger, without the words it ran on into
    /// (كيم سابقا): `(tokens, strong)`.
    fn trim_tagged_person(&self, mut r: Range<usize>) -> Option<(Range<usize>, bool)> {
        while !r.is_empty() {
            let k = r.end - 1;
            let latin = self.tk[k].kind == TokenKind::Latin;
            if latin || self.name_word(k, k == r.start) && self.proper_looking(k) {
                break;
            }
            r.end -= 1;
        }
        if r.is_empty() {
            return None;
        }
        // A Korean family name needs its whole name.
        if FAMILY_FIRST.contains(&self.tk[r.start].key) && r.len() < 3 {
            r.end = r.start + 1;
        }
        let strong = r.len() >= 2;
        Some((r, strong))
    }

    /// The end of `n` name words from `j` (initials included).
    fn skip_word(&self, j: usize, n: usize) -> usize {
        let (end, _) = self.name_run(j, n);
        end
    }

    /// An appositive role after a name ending at `end`: `، ROLE،`. Returns
    /// the role's token range.
    fn appositive_role(&self, end: usize) -> Option<Range<usize>> {
        if !self.is_comma(end) {
            return None;
        }
        let s = end + 1;
        let t = self.tk.get(s)?;
        let title = t.flags & (PERSON_TITLE | (PERSON_TITLE << START_SHIFT)) != 0;
        if !title || t.flags & PERSON != 0 || self.tokens[s].segmentation.conjunction.is_some() {
            return None;
        }
        let mut j = s;
        while j < self.len() && j - s < 12 {
            if self.tk[j].punct.is_some() {
                break;
            }
            if j > s && (self.tk[j].flags & REPORTING_VERB != 0 || THAT.contains(&self.tokens[j].normalized.as_str())) {
                return None;
            }
            j += 1;
        }
        // The role closes at punctuation (or the end of the text).
        (j > s && (j == self.len() || self.tk[j].punct.is_some())).then_some(s..j)
    }
}

/// The particle that opens a reported clause: a role never contains it.
const THAT: &[&str] = &["ان", "انه", "انها", "بان", "بانه", "وان", "فان"];

/// Honorifics that are not worth keeping as a role (السيد بوتين).
const HONORIFICS: &[&str] = &["السيد", "السيدة", "الانسة", "سيد", "سيدة"];

/// Finds the entity mentions of a document and groups them into its entities.
///
/// `tagged` are the tagger's spans over `tokens`; the rules below work
/// without them. Mentions come out in text order; entities in order of
/// their first mention.
pub fn extract(
    text: &str,
    tokens: &[Token],
    sentences: &[Range<usize>],
    tagged: &[NerSpan],
) -> (Vec<LocalEntity>, Vec<Mention>) {
    let mut cx = Ctx::new(text, tokens, tagged);
    let mut cands = rule_candidates(&mut cx);
    add_tagger_spans(&mut cx, tagged, &mut cands);
    add_family_names(&mut cx, &mut cands);
    cands.sort_by_key(|c| (c.span.start, c.span.end));
    group(&cx, cands, sentences)
}

/// The rule layer: one left-to-right pass.
fn rule_candidates(cx: &mut Ctx<'_>) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::new();
    let mut i = 0;
    let n = cx.len();
    while i < n {
        if cx.tk[i].punct.is_some() || cx.covered[i] {
            i += 1;
            continue;
        }
        let kind = cx.tk[i].kind;
        if kind == TokenKind::Latin {
            i = latin_name(cx, i, &mut out);
            continue;
        }
        if kind != TokenKind::Word {
            i += 1;
            continue;
        }
        if let Some(end) = quoted_outlet(cx, i) {
            push(cx, &mut out, i..end, EntityType::Organization, None, true, false);
            i = end + 1;
            continue;
        }
        let phrase = cx.phrase_at(i);
        if cx.in_role[i] {
            if let Some((len, f)) = phrase {
                if let Some(ty) = listed_type(f & !(PERSON_TITLE | PERSON)) {
                    push(cx, &mut out, i..i + len, ty, None, true, false);
                    i += len;
                    continue;
                }
            }
            i += 1;
            continue;
        }
        match phrase {
            // A club: in sports news, or right after نادي / فريق.
            Some((len, f))
                if f & SPORTS_CLUB != 0
                    && (cx.sports || i > 0 && matches!(cx.tk[i - 1].key, "نادي" | "فريق"))
                    && cx.tk[i].flags & (PERSON_TITLE | REPORTING_VERB) == 0 =>
            {
                push(cx, &mut out, i..i + len, EntityType::Organization, None, true, false);
                i += len;
            }
            Some((len, f)) if f & PERSON_TITLE != 0 && f & PERSON == 0 => {
                i = title_name(cx, i, len, &mut out);
            }
            Some((len, f)) if f & PERSON != 0 => {
                let listed_single = len == 1 && cx.tk[i].article;
                let r = i..i + len;
                push(cx, &mut out, r.clone(), EntityType::Person, None, true, listed_single);
                i = after_person(cx, r.end, &mut out);
            }
            Some((len, f)) if listed_type(f).is_some() && f & FIRST_NAME == 0 => {
                let ty = listed_type(f).unwrap_or(EntityType::Misc);
                // A listed org may continue with nationality adjectives.
                push(cx, &mut out, i..i + len, ty, None, true, false);
                i += len;
            }
            _ => {
                let f = cx.tk[i].flags;
                if f & REPORTING_VERB != 0 && !cx.tk[i].article {
                    i = verb_appositive(cx, i, &mut out);
                } else if f & FIRST_NAME != 0 && cx.tokens[i].segmentation.preposition.is_none() {
                    i = first_name(cx, i, &mut out);
                } else if f & ORG_HEAD != 0 {
                    i = org_head(cx, i, &mut out);
                } else {
                    i += 1;
                }
            }
        }
    }
    out
}

fn listed_type(f: Flags) -> Option<EntityType> {
    if f & PERSON != 0 {
        Some(EntityType::Person)
    } else if f & ORGANIZATION != 0 {
        Some(EntityType::Organization)
    } else if f & PLACE != 0 {
        Some(EntityType::Place)
    } else {
        None
    }
}

#[allow(clippy::too_many_arguments)]
fn push(
    cx: &mut Ctx<'_>,
    out: &mut Vec<Cand>,
    r: Range<usize>,
    ty: EntityType,
    role: Option<String>,
    strong: bool,
    listed_single: bool,
) {
    if r.is_empty() || r.end > cx.len() {
        return;
    }
    let span = cx.name_span(&r, ty, listed_single);
    if span.is_empty() {
        return;
    }
    for c in &mut cx.covered[r.clone()] {
        *c = true;
    }
    out.push(Cand { tokens: r, span, ty, role, strong });
}

/// A title at `i` (`len` tokens): its role tail, then a name.
fn title_name(cx: &mut Ctx<'_>, i: usize, len: usize, out: &mut Vec<Cand>) -> usize {
    let tail = cx.role_tail(i + len, 8);
    let mut j = tail;
    let after_comma = cx.is_comma(j);
    if after_comma {
        j += 1;
    }
    let Some((r, strong)) = cx.name_after_title(j, after_comma) else {
        return tail.max(i + 1);
    };
    // Organisations and places named inside the role are mentions too
    // (المتحدث باسم مجلس الأمن القومي).
    let mut k = i + len;
    while k < tail {
        match cx.phrase_at(k) {
            Some((n, f)) if k + n <= tail && f & (ORGANIZATION | PLACE) != 0 && f & PERSON == 0 => {
                let ty = if f & ORGANIZATION != 0 { EntityType::Organization } else { EntityType::Place };
                push(cx, out, k..k + n, ty, None, true, false);
                k += n;
            }
            _ => k += 1,
        }
    }
    let relational = len == 1 && RELATIONAL_TITLES.contains(&cx.tk[i].key);
    let role = if relational { None } else { cx.role_text(i..tail) }.filter(|r| !HONORIFICS.contains(&r.as_str()));
    let end = r.end;
    push(cx, out, r, EntityType::Person, role, strong, false);
    after_person(cx, end, out)
}

/// After a person ending at `end`: an appositive role attaches to it.
fn after_person(cx: &mut Ctx<'_>, end: usize, out: &mut [Cand]) -> usize {
    let Some(r) = cx.appositive_role(end) else { return end };
    if let Some(last) = out.last_mut() {
        if last.role.is_none() {
            last.role = cx.role_text(r.clone());
        }
    }
    for k in r.clone() {
        cx.in_role[k] = true;
    }
    r.start
}

/// A listed given name and the name words after it.
fn first_name(cx: &mut Ctx<'_>, i: usize, out: &mut Vec<Cand>) -> usize {
    match cx.given_name_run(i) {
        Some((end, strong)) => {
            push(cx, out, i..end, EntityType::Person, None, strong, false);
            after_person(cx, end, out)
        }
        None => {
            // A lone given name: weak, joins a full name only if unambiguous.
            if cx.name_word(i, true) && cx.proper_looking(i) {
                push(cx, out, i..i + 1, EntityType::Person, None, false, false);
            }
            i + 1
        }
    }
}

/// `وقال ألكسندر جابويف، مدير …`: a reporting verb, name words, and an
/// appositive role.
fn verb_appositive(cx: &mut Ctx<'_>, i: usize, out: &mut Vec<Cand>) -> usize {
    let j = i + 1;
    let (end, words) = cx.name_run(j, 3);
    if words == 0
        || cx.appositive_role(end).is_none()
        || !(j..end).all(|k| cx.tk[k].punct.is_some() || cx.proper_looking(k))
    {
        return i + 1;
    }
    if cx.tk[j].split {
        return i + 1;
    }
    push(cx, out, j..end, EntityType::Person, None, true, false);
    after_person(cx, end, out)
}

/// Organisation heads that name an institution whenever a definite
/// complement follows (وزارة الحج, أمانة الطائف, مستشفى الطوال); the other
/// heads of `org-heads-ar.txt` (مركز, مجلس, لجنة, إدارة) are common nouns
/// just as often (مركز المدينة, مجلس الإدارة) and need stronger evidence.
const STRONG_ORG_HEADS: &[&str] = &[
    "وزارة",
    "هيئة",
    "مؤسسة",
    "جمعية",
    "أمانة",
    "مستشفى",
    "جامعة",
    "كلية",
    "مديرية",
    "شركة",
    "بنك",
    "مصرف",
    "صندوق",
    "معهد",
    "أكاديمية",
    "محكمة",
    "نقابة",
    "رابطة",
    "حزب",
    "منظمة",
    "وكالة",
    "اتحاد",
    "نادي",
    "بلدية",
    "شرطة",
    "غرفة",
    "حرس",
];

/// Complements that make a head a common noun (أعضاء هيئة التدريس).
const NOT_ORG_COMPLEMENTS: &[&str] = &["تدريس", "ادارة", "امناء"];

/// [`STRONG_ORG_HEADS`] as word keys.
fn strong_org_heads() -> &'static FxHashSet<String> {
    static SET: OnceLock<FxHashSet<String>> = OnceLock::new();
    SET.get_or_init(|| STRONG_ORG_HEADS.iter().map(|w| crate::gazetteer::phrase_key(w)).collect())
}

/// What an organisation name is made of after its head.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OrgPart {
    /// A definite noun or adjective (الحج, العامة, الثقافة والفنون).
    Definite,
    /// A listed place or organisation, or a person's name (الطائف, الملك
    /// فيصل): the strongest evidence.
    Named,
    /// ل with a definite noun (للسياحة, للدراسات).
    Purpose,
    /// A nationality adjective (الأمريكية).
    Nationality,
}

/// An organisation head (وزارة, هيئة, مستشفى, جامعة…) and the name that
/// follows it: definite nouns and adjectives, coordinated ones
/// (الثقافة والفنون), a purpose (للسياحة والتراث الوطني), a listed place or
/// a person it is named after (مركز الملك فيصل للدراسات الإسلامية),
/// nationality adjectives, and a branch's place (بالباحة). A head with the
/// article (الهيئة العامة للسياحة) needs a purpose; a weak head (مركز,
/// مجلس) needs a purpose, a name or a nationality.
fn org_head(cx: &mut Ctx<'_>, i: usize, out: &mut Vec<Cand>) -> usize {
    let head = &cx.tokens[i];
    if head.segmentation.conjunction.is_some() && head.segmentation.preposition.is_some() {
        return i + 1;
    }
    let strong_head = strong_org_heads().contains(cx.tk[i].key) && !cx.tk[i].article;
    let plain = |cx: &Ctx<'_>, k: usize| {
        let t = &cx.tokens[k];
        let tk = &cx.tk[k];
        tk.kind == TokenKind::Word
            && tk.article
            && !tk.stop
            && t.segmentation.conjunction.is_none()
            && t.segmentation.preposition.is_none()
            && tk.flags & (PERSON_TITLE | REPORTING_VERB | SPEAKER_GROUP) == 0
            && !WEEKDAYS.contains(&tk.key)
            && marsad_text::calendar::month_number(&t.normalized).is_none()
    };
    let mut parts: Vec<OrgPart> = Vec::new();
    let mut end = i + 1;
    while end < cx.len() && end - i < 12 {
        let t = &cx.tokens[end];
        let tk = &cx.tk[end];
        if tk.kind != TokenKind::Word {
            break;
        }
        // A listed place or organisation (without a preposition).
        if t.segmentation.preposition.is_none() && t.segmentation.conjunction.is_none() {
            if let Some((n, f)) = cx.phrase_at(end) {
                if f & (PLACE | ORGANIZATION) != 0 && f & PERSON == 0 {
                    end += n;
                    parts.push(OrgPart::Named);
                    continue;
                }
                if f & NATIONALITY != 0 && tk.article && !parts.is_empty() {
                    end += n;
                    parts.push(OrgPart::Nationality);
                    continue;
                }
                // A person it is named after: a title and a name
                // (الملك فيصل, الأمير محمد بن فهد), or a listed person.
                if f & PERSON_TITLE != 0 && f & PERSON == 0 && parts.is_empty() {
                    let (name_end, words) = cx.name_run(end + n, 3);
                    if words > 0 {
                        end = name_end;
                        parts.push(OrgPart::Named);
                        continue;
                    }
                }
                // (A weak head and a bare name are a person's
                // administration or office: إدارة بايدن names بايدن.)
                if f & PERSON != 0 && parts.is_empty() && strong_head {
                    end = cx.extend_nasab(end + n);
                    parts.push(OrgPart::Named);
                    continue;
                }
            }
        }
        // A place written with its head (أمانة محافظة جدة).
        if cx.tk[end].flags & PLACE_HEAD != 0 && !tk.article && t.segmentation.preposition.is_none() && parts.is_empty()
        {
            if let Some(next) = cx.tk.get(end + 1) {
                if next.kind == TokenKind::Word && !next.stop && cx.tokens[end + 1].segmentation.preposition.is_none() {
                    end += 2;
                    parts.push(OrgPart::Named);
                    continue;
                }
            }
        }
        if plain(cx, end) {
            let nationality = tk.flags & NATIONALITY != 0;
            // After the person an institution is named after, only its
            // purpose or a nationality follows (مدير جامعة الملك عبدالعزيز
            // المكلف: المكلف is the director's).
            if !nationality && parts.last() == Some(&OrgPart::Named) {
                break;
            }
            if parts.is_empty() && NOT_ORG_COMPLEMENTS.contains(&tk.key.trim_start_matches("ال")) {
                return i + 1;
            }
            end += 1;
            parts.push(if nationality { OrgPart::Nationality } else { OrgPart::Definite });
            continue;
        }
        // و + a definite noun, inside a name already begun
        // (الثقافة والفنون, السياحة والتراث).
        if !parts.is_empty()
            && tk.article
            && !tk.stop
            && t.segmentation.conjunction == Some('و')
            && t.segmentation.preposition.is_none()
            && matches!(parts.last(), Some(OrgPart::Definite | OrgPart::Purpose))
        {
            end += 1;
            parts.push(OrgPart::Definite);
            continue;
        }
        // ل + a definite noun: the institution's purpose.
        if tk.article && !tk.stop && t.segmentation.preposition == Some('ل') && t.segmentation.conjunction.is_none() {
            end += 1;
            parts.push(OrgPart::Purpose);
            continue;
        }
        // ب + a listed place, last: a branch (جمعية الثقافة والفنون بالباحة).
        if t.segmentation.preposition == Some('ب') && t.segmentation.conjunction.is_none() && !parts.is_empty() {
            if let Some((n, f)) = cx.phrase_at(end) {
                if f & PLACE != 0 && f & PERSON == 0 {
                    end += n;
                    parts.push(OrgPart::Named);
                }
            }
        }
        break;
    }
    let has = |p: OrgPart| parts.contains(&p);
    let enough = if cx.tk[i].article {
        // الهيئة العامة للسياحة, الاتحاد الدولي للنقل الجوي, الحكومة
        // اليمنية — not وكيل الجامعة للمشاريع.
        let adjective_then_purpose =
            matches!(parts.first(), Some(OrgPart::Definite | OrgPart::Nationality)) && has(OrgPart::Purpose);
        adjective_then_purpose || parts.first() == Some(&OrgPart::Nationality)
    } else if strong_head {
        !parts.is_empty()
    } else {
        has(OrgPart::Purpose) || has(OrgPart::Named) || has(OrgPart::Nationality)
    };
    if !enough {
        return i + 1;
    }
    push(cx, out, i..end, EntityType::Organization, None, true, false);
    end
}

/// An outlet named in quotation marks where only an outlet can stand: the
/// addressee of a statement (قال لـ«عكاظ», صرح لـ"سبق") or after a media
/// head (صحيفة «الوطن»). `i` is the first word inside the marks; returns the
/// end of the name (the closing mark's index).
fn quoted_outlet(cx: &Ctx<'_>, i: usize) -> Option<usize> {
    let open = i.checked_sub(1)?;
    if !matches!(cx.tk[open].punct, Some('«' | '"' | '“')) {
        return None;
    }
    let before = open.checked_sub(1)?;
    let b = &cx.tokens[before];
    let addressee = b.kind == TokenKind::Word && matches!(b.normalized.trim_end_matches('ـ'), "ل" | "ول");
    let media = MEDIA_HEADS.contains(&cx.tk[before].key) && !cx.tk[before].article;
    if !(addressee || media) {
        return None;
    }
    let close = (i..cx.len().min(i + 4)).find(|&k| matches!(cx.tk[k].punct, Some('»' | '"' | '”')))?;
    ((i..close).all(|k| cx.tk[k].kind != TokenKind::Punct) && close > i).then_some(close)
}

/// A capitalised Latin-script name: a person (a byline) or, after a media
/// head or with "The", an organisation.
fn latin_name(cx: &mut Ctx<'_>, i: usize, out: &mut Vec<Cand>) -> usize {
    let mut j = i;
    while j < cx.len() && cx.tk[j].kind == TokenKind::Latin {
        j += 1;
    }
    let cap = |k: usize| {
        let s = &cx.text[cx.tokens[k].span.clone()];
        let mut cs = s.chars();
        cs.next().is_some_and(|c| c.is_uppercase()) && cs.any(|c| c.is_lowercase())
    };
    let mut end = i;
    while end < j && cap(end) {
        end += 1;
    }
    if end == i {
        return j;
    }
    let first = &cx.text[cx.tokens[i].span.clone()];
    let media = i > 0 && MEDIA_HEADS.contains(&cx.tk[i - 1].key);
    let preceded_by_latin = i > 0 && cx.tk[i - 1].kind == TokenKind::Latin;
    let paren = i > 0 && cx.tk[i - 1].punct == Some('(');
    if media || first == "The" {
        push(cx, out, i..end, EntityType::Organization, None, true, false);
    } else if (2..=3).contains(&(end - i))
        && end == j
        && !preceded_by_latin
        && !paren
        && !(i..end)
            .any(|k| LATIN_NOT_NAMES.contains(&cx.text[cx.tokens[k].span.clone()].to_ascii_lowercase().as_str()))
    {
        push(cx, out, i..end, EntityType::Person, None, true, false);
    }
    j
}

/// The tagger's spans that the rules did not cover.
fn add_tagger_spans(cx: &mut Ctx<'_>, tagged: &[NerSpan], out: &mut Vec<Cand>) {
    for s in tagged {
        if s.tokens.is_empty() || s.tokens.end > cx.len() {
            continue;
        }
        if s.tokens.clone().any(|k| cx.covered[k] || cx.in_role[k]) {
            continue;
        }
        let mut r = s.tokens.clone();
        if s.entity_type == EntityType::Person {
            // Titles and adjectives the tagger took with the name.
            while !r.is_empty() {
                let t = &cx.tk[r.start];
                let title = t.flags & (PERSON_TITLE | (PERSON_TITLE << START_SHIFT)) != 0
                    && t.flags & (PERSON | FIRST_NAME) == 0;
                if title || t.article || t.stop || t.punct.is_some() {
                    r.start += 1;
                } else {
                    break;
                }
            }
            let Some((r, strong)) = cx.trim_tagged_person(r) else { continue };
            push(cx, out, r, EntityType::Person, None, strong, false);
        } else {
            if cx.tk[r.start].stop || cx.tk[r.start].punct.is_some() {
                continue;
            }
            // A lone common word tagged MISC (دولار) is not a name.
            if s.entity_type == EntityType::Misc && r.len() == 1 && cx.tk[r.start].flags == 0 {
                continue;
            }
            push(cx, out, r, s.entity_type, None, true, false);
        }
    }
}

/// Words of a person candidate: the keys of its name tokens (initials and
/// punctuation dropped).
fn cand_words<'a>(cx: &Ctx<'a>, c: &Cand) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(c.tokens.len());
    for k in c.tokens.clone() {
        if cx.tk[k].punct.is_some() || is_initial(&cx.tokens[k]) {
            continue;
        }
        if cx.tokens[k].kind == TokenKind::Latin {
            out.push(cx.keys[k]);
            continue;
        }
        out.push(cx.person_word(k, k == c.tokens.start));
    }
    out
}

/// Lone family names of the full names found: every uncovered token whose
/// key (or the key after a clitic the segmenter kept, لكيم) is one.
fn add_family_names(cx: &mut Ctx<'_>, out: &mut Vec<Cand>) {
    let mut families: FxHashSet<String> = FxHashSet::default();
    for c in out.iter() {
        if c.ty != EntityType::Person || !c.strong {
            continue;
        }
        let words = cand_words(cx, c);
        if words.len() >= 2 {
            if let Some(f) = family_word(&words) {
                families.insert(f.to_owned());
            }
        }
    }
    if families.is_empty() {
        return;
    }
    for i in 0..cx.len() {
        let norm = cx.tokens[i].normalized.as_str();
        // A family name with the article (الحداد) is found as written.
        let article_family = cx.tk[i].article && families.contains(norm);
        if cx.covered[i] || cx.tk[i].kind != TokenKind::Word || cx.in_role[i] || cx.tk[i].article && !article_family {
            continue;
        }
        // Candidate readings: whole, then one or two clitic letters off
        // (و/ف, then ب/ل/ك), whatever the segmenter decided.
        let mut found = None;
        let mut rest = norm;
        let mut stripped = 0;
        for step in 0..3 {
            if families.contains(rest) {
                found = Some(stripped);
                break;
            }
            let next = match step {
                0 => rest.strip_prefix(['و', 'ف']).or_else(|| rest.strip_prefix(['ب', 'ل', 'ك'])),
                _ => rest.strip_prefix(['ب', 'ل', 'ك']),
            };
            match next {
                Some(r) if r.chars().count() >= 2 => {
                    rest = r;
                    stripped += 1;
                }
                _ => break,
            }
        }
        let Some(n) = found else { continue };
        let t = &cx.tokens[i];
        let start = skip_letters(cx.text, &t.span, n);
        if start < t.span.end {
            cx.covered[i] = true;
            out.push(Cand {
                tokens: i..i + 1,
                span: start..t.span.end,
                ty: EntityType::Person,
                role: None,
                strong: false,
            });
        }
    }
}

/// The grouping key of a name: skeletons of its words.
fn words_key(words: &[&str]) -> String {
    let mut key = String::new();
    for w in words {
        if !key.is_empty() {
            key.push(' ');
        }
        skeleton_into(w, &mut key);
    }
    key
}

/// Groups candidates into entities and mentions.
fn group(cx: &Ctx<'_>, cands: Vec<Cand>, sentences: &[Range<usize>]) -> (Vec<LocalEntity>, Vec<Mention>) {
    // Resolve each candidate to a group key.
    let n = cands.len();
    let mut words_of: Vec<Vec<&str>> = Vec::with_capacity(n);
    for c in &cands {
        let words = if c.ty == EntityType::Person {
            cand_words(cx, c)
        } else {
            c.tokens.clone().filter(|&k| cx.tk[k].punct.is_none()).map(|k| cx.keys[k]).collect()
        };
        words_of.push(words);
    }
    // Full person names: key → candidate indexes.
    let mut full: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    let mut group_of: Vec<Option<String>> = vec![None; n];
    for (ci, c) in cands.iter().enumerate() {
        if c.ty == EntityType::Person && words_of[ci].len() >= 2 {
            let key = words_key(&words_of[ci]);
            full.entry(key.clone()).or_default().push(ci);
            group_of[ci] = Some(format!("P:{key}"));
        } else if c.ty != EntityType::Person {
            let key = words_key(&words_of[ci]);
            group_of[ci] = Some(format!("{}:{key}", c.ty.as_str()));
        }
    }
    // Family and given names of the full names.
    let mut by_family: FxHashMap<String, Vec<&str>> = FxHashMap::default();
    let mut by_given: FxHashMap<String, Vec<&str>> = FxHashMap::default();
    let mut full_keys: Vec<&String> = full.keys().collect();
    full_keys.sort();
    for key in &full_keys {
        let ci = full[*key][0];
        let words = &words_of[ci];
        let mut fam = String::new();
        if let Some(f) = family_word(words) {
            skeleton_into(f, &mut fam);
        }
        by_family.entry(fam.clone()).or_default().push(key.as_str());
        // A family name with the article is also found without it when it
        // stands alone (the article of a first word is stripped).
        if let Some(f) = family_word(words).and_then(|f| f.strip_prefix("ال")).filter(|f| f.chars().count() >= 3) {
            let mut bare = String::new();
            skeleton_into(f, &mut bare);
            let list = by_family.entry(bare).or_default();
            if !list.contains(&key.as_str()) {
                list.push(key.as_str());
            }
        }
        let mut given = String::new();
        let g = if fam_is_first(words) { words.last() } else { words.first() };
        if let Some(g) = g {
            skeleton_into(g, &mut given);
        }
        by_given.entry(given).or_default().push(key.as_str());
    }
    // Singles: link to a full name.
    let mut single_count: FxHashMap<String, usize> = FxHashMap::default();
    for (ci, c) in cands.iter().enumerate() {
        if c.ty == EntityType::Person && words_of[ci].len() == 1 {
            *single_count.entry(words_key(&words_of[ci])).or_default() += 1;
        }
    }
    let mut keep = vec![true; n];
    for ci in 0..n {
        let c = &cands[ci];
        if c.ty != EntityType::Person || words_of[ci].len() != 1 {
            continue;
        }
        let w = words_key(&words_of[ci]);
        let target = if let Some(fulls) = by_family.get(&w) {
            if fulls.len() == 1 {
                Some(fulls[0].to_owned())
            } else {
                Some(pick_among(&cands, &full, fulls, c.span.start))
            }
        } else if let Some(fulls) = by_given.get(&w) {
            (fulls.len() == 1).then(|| fulls[0].to_owned())
        } else {
            None
        };
        match target {
            Some(k) => group_of[ci] = Some(format!("P:{k}")),
            None => {
                let recurring = single_count.get(&w).copied().unwrap_or(0) >= 2;
                // A given name alone (محمد, سعود) names nobody in particular:
                // it is kept only with a title (الملك سلمان).
                let own = cx.tk[c.tokens.start].flags & ((1 << START_SHIFT) - 1);
                let bare_given = own & FIRST_NAME != 0 && own & PERSON == 0;
                if c.strong || recurring && !by_given.contains_key(&w) && !bare_given {
                    group_of[ci] = Some(format!("P:{w}"));
                } else {
                    keep[ci] = false;
                }
            }
        }
    }
    // Build entities in order of first mention.
    let mut entity_of_group: FxHashMap<String, usize> = FxHashMap::default();
    let mut entities: Vec<LocalEntity> = Vec::new();
    let mut name_words: Vec<usize> = Vec::new();
    let mut mentions = Vec::with_capacity(n);
    let mut sentence = 0;
    for (ci, c) in cands.into_iter().enumerate() {
        if !keep[ci] {
            continue;
        }
        let Some(g) = group_of[ci].take() else { continue };
        let written = display_name(&cx.text[c.span.clone()]);
        if written.is_empty() {
            continue;
        }
        // للهلال الأحمر: the span starts after لل, whose second ل is the
        // article's; the entity (not the mention, which is what is written)
        // is named with it.
        let mut name = written.clone();
        if c.ty != EntityType::Person {
            let first = &cx.tokens[c.tokens.start];
            if first.segmentation.article && first.segmentation.prefix(&first.normalized).ends_with("لل") {
                name.insert_str(0, "ال");
            }
        }
        while sentence + 1 < sentences.len() && sentences[sentence].end <= c.span.start {
            sentence += 1;
        }
        let e = *entity_of_group.entry(g).or_insert_with(|| {
            entities.push(LocalEntity {
                name: String::new(),
                entity_type: c.ty,
                variants: Vec::new(),
                roles: Vec::new(),
                mentions: 0,
            });
            name_words.push(0);
            entities.len() - 1
        });
        let ent = &mut entities[e];
        ent.mentions += 1;
        let nw = words_of[ci].len() * 2 + usize::from(name.starts_with("ال"));
        if nw > name_words[e] {
            name_words[e] = nw;
            ent.name = name.clone();
        }
        if !ent.variants.contains(&name) {
            ent.variants.push(name.clone());
        }
        if let Some(role) = &c.role {
            if !ent.roles.contains(role) {
                ent.roles.push(role.clone());
            }
        }
        mentions.push(Mention { span: c.span, name: written, entity_type: c.ty, role: c.role, sentence, entity: e });
    }
    for ent in &mut entities {
        if let Some(p) = ent.variants.iter().position(|v| *v == ent.name) {
            let v = ent.variants.remove(p);
            ent.variants.insert(0, v);
        }
    }
    (entities, mentions)
}

fn fam_is_first(words: &[&str]) -> bool {
    words.len() >= 3 && FAMILY_FIRST.contains(&words[0])
}

/// Among full names sharing a family name, the one mentioned last before
/// `at`, else the most frequent (then the first).
fn pick_among(cands: &[Cand], full: &FxHashMap<String, Vec<usize>>, fulls: &[&str], at: usize) -> String {
    let mut best_recent: Option<(usize, &str)> = None;
    for k in fulls {
        for &ci in &full[*k] {
            let s = cands[ci].span.start;
            if s < at && best_recent.is_none_or(|(b, _)| s > b) {
                best_recent = Some((s, k));
            }
        }
    }
    if let Some((_, k)) = best_recent {
        return k.to_owned();
    }
    let mut best: Option<(usize, usize, &str)> = None;
    for k in fulls {
        let count = full[*k].len();
        let first = full[*k].iter().map(|&ci| cands[ci].span.start).min().unwrap_or(usize::MAX);
        if best.is_none_or(|(c, f, _)| count > c || count == c && first < f) {
            best = Some((count, first, k));
        }
    }
    best.map(|(_, _, k)| k.to_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<LocalEntity>, Vec<Mention>) {
        let sentences = marsad_text::split_sentences(text);
        let tokens = marsad_text::tokenize(text);
        extract(text, &tokens, &sentences, &[])
    }

    fn person<'a>(es: &'a [LocalEntity], name: &str) -> Option<&'a LocalEntity> {
        es.iter().find(|e| e.entity_type == EntityType::Person && e.name == name)
    }

    #[test]
    fn skeleton_drops_inner_long_vowels() {
        let key = |s: &str| {
            let mut k = String::new();
            skeleton_into(s, &mut k);
            k
        };
        assert_eq!(key("ترامب"), key("ترمب"));
        assert_ne!(key("زيلينسكي"), key("زيلينسكا"));
        assert_ne!(key("اون"), key("ايل"));
    }

    #[test]
    fn arabic_names_with_nasab_are_whole_and_apart() {
        let (es, _) = run("وقال خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود إن المملكة ماضية في الإصلاح. واستقبل ولي العهد الأمير محمد بن سلمان في الرياض وفدا. وحضر الأمير خالد بن عبد الله اللقاء.");
        let salman = person(&es, "سلمان بن عبدالعزيز آل سعود").expect("king");
        assert!(salman.roles.iter().any(|r| r.contains("الملك")), "{salman:?}");
        let mbs = person(&es, "محمد بن سلمان").expect("crown prince");
        assert_eq!(mbs.mentions, 1, "the king's name is not the prince's: {es:?}");
        assert!(person(&es, "خالد بن عبد الله").is_some(), "{es:?}");
    }

    #[test]
    fn organisation_heads_take_their_names() {
        let (es, _) = run("أقامت وزارة العدل ورشة. وشاركت الهيئة العامة للتراث والآثار ومركز الأمير سعود للبحوث البحرية. وقالت الحكومة البرتغالية إن. وزار مركز المدينة ومجلس الإدارة وأعضاء هيئة التدريس.");
        let orgs: Vec<&str> =
            es.iter().filter(|e| e.entity_type == EntityType::Organization).map(|e| e.name.as_str()).collect();
        for name in
            ["وزارة العدل", "الهيئة العامة للتراث والآثار", "مركز الأمير سعود للبحوث البحرية", "الحكومة البرتغالية"]
        {
            assert!(orgs.contains(&name), "{name}: {orgs:?}");
        }
        for common in ["مركز المدينة", "مجلس الإدارة", "هيئة التدريس"] {
            assert!(!orgs.contains(&common), "{common}: {orgs:?}");
        }
        // A vice-rector's title is not an institution.
        let (es, _) = run("وحضر وكيل الجامعة للشؤون الأكاديمية الحفل.");
        assert!(es.iter().all(|e| e.entity_type != EntityType::Organization), "{es:?}");
    }

    #[test]
    fn family_name_after_given_and_father_or_nasab() {
        let (es, _) = run("وقال المتحدث الرسمي سامي فهد الغامدي، إن الفرق وصلت. وأوضح خالد بن سعد الدوسري أن العمل مستمر. وحضر الأمير تركي الفيصل.");
        for name in ["سامي فهد الغامدي", "خالد بن سعد الدوسري", "تركي الفيصل"] {
            assert!(person(&es, name).is_some(), "{name}: {es:?}");
        }
    }

    #[test]
    fn clubs_only_in_sports_and_outlets_in_quotes() {
        let (es, _) = run("فاز الاتحاد على الشباب في مباراة الدوري، وقال مدرب الفريق لـ«الوئام» إن اللاعب جاهز.");
        let orgs: Vec<&str> =
            es.iter().filter(|e| e.entity_type == EntityType::Organization).map(|e| e.name.as_str()).collect();
        for name in ["الاتحاد", "الشباب", "الوئام"] {
            assert!(orgs.contains(&name), "{name}: {orgs:?}");
        }
        let (es, _) = run("دعا الاتحاد إلى دعم الشباب في سوق العمل.");
        assert!(es.iter().all(|e| e.entity_type != EntityType::Organization), "{es:?}");
    }

    #[test]
    fn arabic_family_names_with_the_article() {
        let (es, _) = run("وقال وزير المياه الأردني سامر الحداد للصحفيين: \"الصندوق جاهز\". وأوضحت الخبيرة الدكتورة هند السعدي أن التمويل كاف. والتقى الرئيس فلاديمير بوتين الأربعاء وفدا.");
        let haddad = person(&es, "سامر الحداد").expect("haddad");
        assert_eq!(haddad.roles, ["وزير المياه الأردني"]);
        assert!(person(&es, "هند السعدي").is_some(), "{es:?}");
        assert!(person(&es, "فلاديمير بوتين").is_some(), "{es:?}");
        let (es, _) = run("وقال الوزير سامر الحداد إن الخطة جاهزة. وأضاف الحداد أن التنفيذ يبدأ غدا.");
        assert_eq!(person(&es, "سامر الحداد").map(|p| p.mentions), Some(2), "{es:?}");
    }

    #[test]
    fn title_and_name_apart() {
        let (es, ms) = run("قال الرئيس الروسي فلاديمير بوتين إن الحرب مستمرة. وأضاف بوتين أن روسيا قوية.");
        let p = person(&es, "فلاديمير بوتين").expect("putin");
        assert_eq!(p.roles, ["الرئيس الروسي"]);
        assert_eq!(p.mentions, 2);
        assert!(ms.iter().all(|m| !m.name.contains("الرئيس")));
    }

    #[test]
    fn clitic_stripped_from_names() {
        let text = "التقى الرئيس الأمريكي جو بايدن ثم قال لبايدن وبايدن كلاما.";
        let (es, ms) = run(text);
        let p = person(&es, "جو بايدن").expect("biden");
        assert_eq!(p.mentions, 3, "{ms:?}");
        for m in &ms {
            assert_eq!(&text[m.span.clone()], m.name);
            assert!(!m.name.starts_with('و') && !m.name.starts_with('ل'), "{}", m.name);
        }
    }

    #[test]
    fn unknown_name_after_title_and_appositive() {
        let (es, _) =
            run("وصرح وزير الدفاع الأوكراني السابق أوليكسي ريزنيكوف، في مقابلة، إن الوضع صعب. ثم أكد ريزنيكوف ذلك.");
        let p = person(&es, "أوليكسي ريزنيكوف").expect("reznikov");
        assert_eq!(p.roles, ["وزير الدفاع الأوكراني السابق"]);
        assert_eq!(p.mentions, 2);
    }

    #[test]
    fn appositive_role_after_name() {
        let (es, _) = run("وقال زاك ميرفيل، مدير البحوث في معهد الدراسات، إن الاتفاق هش.");
        let p = person(&es, "زاك ميرفيل").expect("name");
        assert_eq!(p.roles, ["مدير البحوث في معهد الدراسات"]);
    }

    #[test]
    fn different_people_sharing_words_stay_apart() {
        let (es, _) =
            run("التقى كيم جونغ أون. وكان كيم جونغ إيل والده. وأسس كيم إيل سونغ الدولة. وقال كيم إن الوضع صعب.");
        let kims: Vec<_> = es.iter().filter(|e| e.name.starts_with("كيم")).collect();
        assert_eq!(kims.len(), 3, "{es:?}");
        // The lone كيم goes to the most recently mentioned Kim.
        assert_eq!(person(&es, "كيم إيل سونغ").unwrap().mentions, 2);
    }

    #[test]
    fn lone_given_name_links_only_when_unambiguous() {
        let (es, _) = run("قال ديمتري بيسكوف إن ديمتري مدفيديف غادر. ثم قال ديمتري شيئا.");
        assert_eq!(person(&es, "ديمتري بيسكوف").unwrap().mentions, 1);
        assert_eq!(person(&es, "ديمتري مدفيديف").unwrap().mentions, 1);
    }

    #[test]
    fn ordinary_words_after_titles_are_not_names() {
        let (es, _) =
            run("ولا يتوقع أن يبدي الزعيم الروسي اهتماما واسعا بالتسوية. وجاء طلب الرئيس الكوري الجنوبي تقديم العون.");
        assert!(es.iter().all(|e| e.entity_type != EntityType::Person), "{es:?}");
    }

    #[test]
    fn latin_byline_and_newspaper() {
        let (es, _) = run("وترى صحيفة The Telegraph البريطانية أن الأمر صعب.\nBrahim Dodouche13 سبتمبر 2023");
        assert!(es.iter().any(|e| e.entity_type == EntityType::Organization && e.name == "The Telegraph"));
        assert!(person(&es, "Brahim Dodouche").is_some(), "{es:?}");
    }

    #[test]
    fn orgs_keep_their_article() {
        let (es, _) = run("وقال البيت الأبيض إن الكرملين يعلم. ونفى الكرملين ذلك.");
        let k = es.iter().find(|e| e.name == "الكرملين").expect("kremlin");
        assert_eq!(k.entity_type, EntityType::Organization);
        assert_eq!(k.mentions, 2);
    }
}
