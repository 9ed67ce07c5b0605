//! Quotations, direct and reported, with their speakers.
//!
//! [`extract`] finds two kinds of quotation:
//!
//! * **Direct**: words between quotation marks — `"…"`, `“…”` or `«…»` —
//!   within one paragraph, across sentence ends (a quote often holds
//!   several sentences). Quotation marks in Arabic news also wrap names and
//!   scare words (صحيفة "نيويورك تايمز", قمة "فارقة"), so a span of one or
//!   two words counts as a quote only when a reporting verb precedes it in
//!   its sentence, and never right after صحيفة, شبكة, وكالة…
//! * **Reported**: a reporting verb, its subject, then إن / أن / بأن and a
//!   clause: `قال بوتين للصحافيين إنه …`. The quote is the clause, to the end
//!   of the sentence. A reporting verb followed by a direct quote
//!   (`وأشار بوتين إلى أن "…"`) gives one direct quote, not two, and a short
//!   direct quote inside a reported clause stays part of that clause.
//!
//! # Who said it
//!
//! Arabic news attributes speech in a few shapes, tried in this order:
//!
//! 1. The nearest reporting verb before the quote in its sentence, and the
//!    subject right after it: a name (`وقال بوتين: "…"`), a title that
//!    leads to a name (`وقال المتحدث باسم الحكومة، فلان الفلاني،`),
//!    an organisation (`قال البيت الأبيض إن`), a group (`ويقول محللون إن`).
//! 2. No subject after a continuing verb (`وأضاف`, `وتابع`, `مضيفا`): the
//!    previous quote's speaker, marked as a continuation.
//! 3. `بحسب` / `وفقا ل` + a name before the quote.
//! 4. After the quote: `"…"، قال بوتين`, `"…"، بحسب الوكالة`.
//! 5. A quote that follows another in the same paragraph with nothing
//!    between them (two quoted sentences of one speaker).
//!
//! A title alone (الرئيس الروسي) resolves to the document's entity that was
//! given that role, so a later `علق الرئيس الروسي قائلا` is still Putin's;
//! a title that resolves to no one is a [`SpeakerKind::Description`].
//!
//! # Cost
//!
//! One pass over the characters for the quotation marks and one over the
//! tokens for the verbs, with a token→mention table built once: linear in
//! the text.

use std::ops::Range;
use std::sync::OnceLock;

use marsad_text::{Token, TokenKind};
use rustc_hash::FxHashSet;

use crate::gazetteer::{
    gazetteer, phrase_key, word_key, Flags, NATIONALITY, ORG_HEAD, PERSON_TITLE, REPORTING_VERB, SPEAKER_GROUP,
    START_SHIFT,
};
use crate::mention::name_start;
use crate::{display_name, EntityType, LocalEntity, Mention, Quote, SpeakerKind};

/// Verbs that continue the previous speaker's words when they have no
/// subject (وأضاف "…"), and the participles that do so always (مضيفا).
const CONTINUING: &[&str] = &[
    "أضاف",
    "أضافت",
    "تابع",
    "تابعت",
    "أوضح",
    "أوضحت",
    "استطرد",
    "استطردت",
    "أكد",
    "أكدت",
    "أشار",
    "أشارت",
    "قال",
    "قالت",
    "لفت",
    "شدد",
    "اختتم",
];
const PARTICIPLES: &[&str] = &[
    "قائلا",
    "قائلة",
    "مضيفا",
    "مضيفة",
    "متابعا",
    "مستطردا",
    "مؤكدا",
    "مؤكدة",
    "مشيرا",
    "مشيرة",
    "موضحا",
    "موضحة",
    "محذرا",
    "معتبرا",
    "واصفا",
    "كاشفا",
    "معلنا",
    "لافتا",
    "مشددا",
    "معلقا",
    "معربا",
    "نافيا",
    "متسائلا",
    "داعيا",
    "مطالبا",
    "مختتما",
];
/// Attribution without a verb: بحسب جون بارك، …، فإن "…".
const ACCORDING_TO: &[&str] = &["حسب", "بحسب", "وفقا", "وفق", "طبقا", "نقلا"];
/// Words before which a quoted span is a name, not a quote.
const MEDIA_HEADS: &[&str] = &[
    "صحيفة",
    "شبكة",
    "وكالة",
    "قناة",
    "مجلة",
    "موقع",
    "اذاعة",
    "منصة",
    "تلفزيون",
    "برنامج",
    "عملية",
    "يسمى",
    "تسمى",
    "عنوان",
    "بعنوان",
    "هاشتاغ",
    "وسم",
];
/// The particle that opens a reported clause, with its pronoun forms.
/// Words that make a following أن a conjunction of time or manner.
const NOT_SPEECH_BEFORE_THAT: &[&str] = &["قبل", "بعد", "منذ", "حتي", "دون", "بدون", "بدل", "لدرجة", "بمجرد"];

const THAT: &[&str] = &[
    "ان",
    "انه",
    "انها",
    "انهم",
    "انهما",
    "انني",
    "اننا",
    "انهن",
    "انك",
    "بان",
    "بانه",
    "بانها",
    "بانهم",
    "بانهما",
    "باننا",
    "بانني",
];
/// Words after a verb that are not its subject.
const NOT_SUBJECTS: &[&str] =
    &["قبيل", "بعد", "عقب", "امام", "خلال", "اليوم", "امس", "مؤخرا", "سابقا", "مرارا", "حينها", "انذاك", "فيه", "فيها"];
/// Singular speaker words: a description, not a group.
const SINGULAR_SPEAKERS: &[&str] = &["مسؤول", "مسئول", "مسؤولة", "مصدر", "خبير", "دبلوماسي", "شاهد عيان"];

struct Lexicon {
    continuing: FxHashSet<String>,
    participles: FxHashSet<String>,
    according: FxHashSet<String>,
    media: FxHashSet<String>,
    singular: FxHashSet<String>,
}

fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(|| {
        let set = |ws: &[&str]| ws.iter().map(|w| phrase_key(w)).collect::<FxHashSet<String>>();
        Lexicon {
            continuing: set(CONTINUING),
            participles: set(PARTICIPLES),
            according: set(ACCORDING_TO),
            media: set(MEDIA_HEADS),
            singular: set(SINGULAR_SPEAKERS),
        }
    })
}

/// Per-token facts.
struct Tk<'a> {
    key: &'a str,
    flags: Flags,
    punct: Option<char>,
    /// The mention covering this token, if any.
    mention: Option<usize>,
}

struct Ctx<'a> {
    text: &'a str,
    tokens: &'a [Token],
    tk: Vec<Tk<'a>>,
    mentions: &'a [Mention],
    entities: &'a [LocalEntity],
    /// Token index → sentence index.
    sent_of: Vec<usize>,
    /// Sentence → first token index.
    sent_first: Vec<usize>,
    lex: &'static Lexicon,
}

/// Who said something, once found.
#[derive(Clone, Debug)]
struct Speaker {
    text: String,
    kind: SpeakerKind,
    entity: Option<usize>,
}

impl Speaker {
    fn unknown() -> Speaker {
        Speaker { text: String::new(), kind: SpeakerKind::Unknown, entity: None }
    }
}

impl<'a> Ctx<'a> {
    fn new(
        text: &'a str,
        tokens: &'a [Token],
        sentences: &[Range<usize>],
        entities: &'a [LocalEntity],
        mentions: &'a [Mention],
    ) -> Ctx<'a> {
        let gaz = gazetteer();
        let mut tk = Vec::with_capacity(tokens.len());
        let mut sent_of = Vec::with_capacity(tokens.len());
        let mut sent_first = vec![usize::MAX; sentences.len()];
        let mut m = 0;
        let mut s = 0;
        for (i, t) in tokens.iter().enumerate() {
            let key = word_key(t);
            let punct = if t.kind == TokenKind::Punct { t.normalized.chars().next() } else { None };
            while m < mentions.len() && mentions[m].span.end <= t.span.start {
                m += 1;
            }
            let mention =
                (m < mentions.len() && mentions[m].span.start < t.span.end && t.span.start < mentions[m].span.end)
                    .then_some(m);
            while s + 1 < sentences.len() && sentences[s].end <= t.span.start {
                s += 1;
            }
            if s < sent_first.len() && sent_first[s] == usize::MAX {
                sent_first[s] = i;
            }
            sent_of.push(s);
            tk.push(Tk { key, flags: if punct.is_some() { 0 } else { gaz.word_flags(key) }, punct, mention });
        }
        Ctx { text, tokens, tk, mentions, entities, sent_of, sent_first, lex: lexicon() }
    }

    fn len(&self) -> usize {
        self.tk.len()
    }

    fn is_verb(&self, i: usize) -> bool {
        let t = &self.tk[i];
        t.flags & REPORTING_VERB != 0 && !self.tokens[i].segmentation.article && self.tokens[i].kind == TokenKind::Word
    }

    fn is_title(&self, i: usize) -> bool {
        self.tk.get(i).is_some_and(|t| t.flags & (PERSON_TITLE | (PERSON_TITLE << START_SHIFT)) != 0)
    }

    fn is_that(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        t.kind == TokenKind::Word
            && self.tk[i].mention.is_none()
            && t.segmentation.preposition != Some('ل')
            && THAT.contains(&t.normalized.trim_start_matches(['و', 'ف']))
            // قبل أن, بعد أن, منذ أن: a time clause, not what was said.
            && !(i > 0 && NOT_SPEECH_BEFORE_THAT.contains(&self.tokens[i - 1].normalized.as_str()))
    }

    /// First token of the sentence of token `i`.
    fn sentence_start(&self, i: usize) -> usize {
        let s = self.sent_of[i];
        self.sent_first.get(s).copied().filter(|&f| f != usize::MAX).unwrap_or(0)
    }

    /// The word as written, without its conjunction and preposition.
    fn surface(&self, i: usize) -> String {
        let t = &self.tokens[i];
        display_name(&self.text[name_start(self.text, t, true)..t.span.end])
    }

    /// Display text of tokens `r`, the first word without its clitics (but
    /// with its article).
    fn phrase_text(&self, r: Range<usize>) -> String {
        if r.is_empty() {
            return String::new();
        }
        let first = &self.tokens[r.start];
        let start = name_start(self.text, first, true);
        let mut s = String::new();
        if first.kind == TokenKind::Word
            && first.segmentation.article
            && !first.segmentation.prefix(&first.normalized).ends_with("ال")
        {
            s.push_str("ال");
        }
        s.push_str(&display_name(&self.text[start..self.tokens[r.end - 1].span.end]));
        s
    }

    fn mention_speaker(&self, m: usize) -> Option<Speaker> {
        let mention = &self.mentions[m];
        let kind = match mention.entity_type {
            EntityType::Person => SpeakerKind::Person,
            EntityType::Organization => SpeakerKind::Organization,
            _ => return None,
        };
        let entity = (mention.entity < self.entities.len()).then_some(mention.entity);
        Some(Speaker { text: mention.name.clone(), kind, entity })
    }

    /// The end of a role starting with a title at `i`: title words, words
    /// with the article, nationality adjectives, listed names, باسم.
    fn role_end(&self, i: usize, limit: usize) -> usize {
        let mut j = i;
        while j < limit {
            let t = &self.tk[j];
            let tok = &self.tokens[j];
            if t.punct.is_some() || tok.kind != TokenKind::Word || self.is_that(j) || self.is_verb(j) {
                break;
            }
            let ok = j == i
                || self.is_title(j)
                || tok.segmentation.article
                || t.flags & NATIONALITY != 0
                || t.key == "باسم"
                || tok.normalized == "باسم"
                || t.mention.is_some_and(|m| self.mentions[m].entity_type != EntityType::Person);
            if !ok {
                break;
            }
            j += 1;
        }
        j
    }

    /// The entity given role `role` (its key) in this document, if exactly
    /// one stands out (the most mentioned among equals).
    fn resolve_role(&self, role: &str) -> Option<usize> {
        let key = phrase_key(role);
        if key.is_empty() {
            return None;
        }
        let mut best: Option<(usize, usize)> = None;
        for (e, ent) in self.entities.iter().enumerate() {
            if ent.entity_type != EntityType::Person {
                continue;
            }
            if ent.roles.iter().any(|r| phrase_key(r) == key) && best.is_none_or(|(_, m)| ent.mentions > m) {
                best = Some((e, ent.mentions));
            }
        }
        best.map(|(e, _)| e)
    }

    /// The speaker named by tokens `a..b` (the subject of a verb).
    fn subject(&self, a: usize, b: usize) -> Option<Speaker> {
        let b = b.min(self.len());
        if a >= b {
            return None;
        }
        let mut a = a;
        // Skip an adverb or two (أيضا, كذلك) and commas.
        while a < b
            && (self.tk[a].punct == Some('،')
                || matches!(self.tk[a].key, "ايضا" | "كذلك" | "بدوره" | "بدورها" | "من" | "جهته" | "جهتها"))
        {
            a += 1;
        }
        if a >= b {
            return None;
        }
        if let Some(m) = self.tk[a].mention {
            return self.mention_speaker(m);
        }
        // A subject carries no preposition (لصحيفة is an addressee) and is
        // no adverb of time or place.
        if self.tokens[a].segmentation.preposition.is_some() || NOT_SUBJECTS.contains(&self.tk[a].key) {
            return None;
        }
        let lex = self.lex;
        let key = self.tk[a].key;
        if self.is_title(a) {
            // A title: the person named after it, if any, else the role.
            let end = self.role_end(a, b);
            for k in end..b.min(end + 3) {
                if self.tk[k].punct == Some('،') {
                    continue;
                }
                if let Some(m) = self.tk[k].mention {
                    if self.mentions[m].entity_type == EntityType::Person {
                        return self.mention_speaker(m);
                    }
                }
                break;
            }
            let role = self.phrase_text(a..end);
            if let Some(s) = self.person_within(end, b) {
                // The name further on (رئيسة القسم النسائي بالمركز أمل
                // الحافظي; النائب العام لمدينة ديار بكر، رمضان صولماز).
                return Some(s);
            }
            return Some(match self.resolve_role(&role) {
                Some(e) => Speaker { text: role, kind: SpeakerKind::Person, entity: Some(e) },
                None => Speaker { text: role, kind: SpeakerKind::Description, entity: None },
            });
        }
        if self.tk[a].flags & SPEAKER_GROUP != 0 {
            let mut end = a + 1;
            while end < b && self.tokens[end].kind == TokenKind::Word && !self.is_that(end) {
                let t = &self.tokens[end];
                let adj = t.segmentation.conjunction.is_none()
                    && t.segmentation.preposition.is_none()
                    && t.normalized.chars().count() >= 4
                    && (self.tk[end].key.ends_with('ي')
                        || self.tk[end].key.ends_with("يون")
                        || self.tk[end].key.ends_with("يين")
                        || self.tk[end].key.ends_with("ية")
                        || self.tk[end].flags & NATIONALITY != 0);
                if !adj {
                    break;
                }
                end += 1;
            }
            let text = self.phrase_text(a..end);
            let kind = if lex.singular.contains(key) { SpeakerKind::Description } else { SpeakerKind::Group };
            return Some(Speaker { text, kind, entity: None });
        }
        if lex.media.contains(key) {
            for k in a + 1..b.min(a + 4) {
                if let Some(m) = self.tk[k].mention {
                    return self.mention_speaker(m);
                }
            }
        }
        // A description: up to three words.
        let mut end = a;
        while end < b && end - a < 3 && self.tokens[end].kind == TokenKind::Word && !self.is_that(end) {
            let t = &self.tokens[end];
            if end > a
                && (t.segmentation.preposition.is_some()
                    || t.segmentation.conjunction.is_some()
                    || marsad_text::is_stopword(&t.normalized))
            {
                break;
            }
            end += 1;
        }
        if end == a || marsad_text::is_stopword(&self.tokens[a].normalized) {
            return None;
        }
        if let Some(s) = self.person_within(a, b) {
            // مدير المركز الإعلامي بنادي الشباب نايف المطيري أن …
            return Some(s);
        }
        if let Some(s) = self.organization_by_head(a) {
            // وقالت الوزارة في بيان: the ministry named before.
            return Some(s);
        }
        if end == a + 1 {
            if let Some(s) = self.person_by_family_name(a) {
                // وأضاف الفهداوي أن: the family name of someone named before.
                return Some(s);
            }
        }
        Some(Speaker { text: self.phrase_text(a..end), kind: SpeakerKind::Description, entity: None })
    }

    /// The first person named in tokens `a..b` that is not the object of a
    /// preposition (لنظيره فلان is the addressee): the subject of a verb of
    /// saying whose role or description came first.
    fn person_within(&self, a: usize, b: usize) -> Option<Speaker> {
        for k in a..b.min(self.len()) {
            if self.is_that(k) || (k > a && self.is_verb(k)) {
                break;
            }
            if let Some(m) = self.tk[k].mention {
                let first_token = self.tokens[k].span.start <= self.mentions[m].span.start;
                if self.mentions[m].entity_type == EntityType::Person
                    && first_token
                    && self.tokens[k].segmentation.preposition.is_none()
                {
                    return self.mention_speaker(m);
                }
            }
        }
        None
    }

    /// A lone word that is the last name of exactly one person of the
    /// document (الفهداوي → رافع الفهداوي, داود → علي داود).
    fn person_by_family_name(&self, a: usize) -> Option<Speaker> {
        let key = self.tk[a].key;
        if key.chars().count() < 3 {
            return None;
        }
        let mut found = None;
        for (e, ent) in self.entities.iter().enumerate() {
            if ent.entity_type != EntityType::Person {
                continue;
            }
            let name_key = phrase_key(&ent.name);
            let mut words = name_key.split(' ');
            let last = words.next_back();
            if words.next().is_none() || last != Some(key) {
                continue;
            }
            if found.is_some() {
                return None;
            }
            found = Some(e);
        }
        let e = found?;
        Some(Speaker { text: self.entities[e].name.clone(), kind: SpeakerKind::Person, entity: Some(e) })
    }

    /// A definite organisation head standing for an organisation the text
    /// named before (الوزارة → وزارة الحج; الشركة → شركة الطيران …): the
    /// most recent organisation mention whose name starts with that head.
    fn organization_by_head(&self, a: usize) -> Option<Speaker> {
        let t = &self.tokens[a];
        if !t.segmentation.article || self.tk[a].flags & ORG_HEAD == 0 {
            return None;
        }
        let head = self.tk[a].key;
        let before = t.span.start;
        self.mentions
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, m)| m.span.end <= before && m.entity_type == EntityType::Organization)
            .find(|(_, m)| phrase_key(&m.name).split(' ').next() == Some(head))
            .and_then(|(i, _)| self.mention_speaker(i))
    }

    /// The subject written before verb `v`: `وكان مصدر … قد أكد`, or
    /// `المسؤولين الأمنيين، الذين كشفوا`.
    fn subject_before(&self, v: usize) -> Option<Speaker> {
        let start = self.sentence_start(v);
        if v == 0 || v <= start {
            return None;
        }
        let prev = self.tk[v - 1].key;
        // وكانت وزارة الدفاع أعلنت أن: the subject between كان and the verb.
        if prev != "قد" {
            let lo = v.saturating_sub(8).max(start);
            for k in (lo..v - 1).rev() {
                if self.tk[k].punct.is_some() || self.is_verb(k) {
                    break;
                }
                if matches!(self.tokens[k].normalized.trim_start_matches(['و', 'ف']), "كان" | "كانت" | "كانوا")
                {
                    return self.subject(k + 1, v);
                }
            }
        }
        if prev == "قد" {
            let lo = v.saturating_sub(12).max(start);
            for k in (lo..v - 1).rev() {
                if matches!(self.tokens[k].normalized.trim_start_matches(['و', 'ف']), "كان" | "كانت" | "كانوا")
                {
                    return self.subject(k + 1, v - 1);
                }
            }
            return None;
        }
        if matches!(prev, "الذي" | "التي" | "الذين") {
            let mut k = v - 1;
            while k > start && self.tk[k - 1].punct == Some('،') {
                k -= 1;
            }
            // Walk back over adjectives to the head noun.
            let end = k;
            let lo = end.saturating_sub(4).max(start);
            let mut j = end;
            while j > lo && self.tokens[j - 1].kind == TokenKind::Word {
                j -= 1;
                if let Some(m) = self.tk[j].mention {
                    return self.mention_speaker(m);
                }
                if self.tk[j].flags & SPEAKER_GROUP != 0 || self.is_title(j) {
                    return self.subject(j, end);
                }
            }
        }
        None
    }

    /// For a participle or a subject-less verb: the nearest name or role
    /// earlier in the sentence.
    fn subject_back(&self, v: usize) -> Option<Speaker> {
        let start = self.sentence_start(v);
        let mut k = v;
        while k > start {
            k -= 1;
            if let Some(m) = self.tk[k].mention {
                if let Some(s) = self.mention_speaker(m) {
                    return Some(s);
                }
                continue;
            }
            if self.is_title(k) && (k == start || !self.is_title(k - 1)) {
                let end = self.role_end(k, v);
                let role = self.phrase_text(k..end);
                if let Some(e) = self.resolve_role(&role) {
                    return Some(Speaker { text: role, kind: SpeakerKind::Person, entity: Some(e) });
                }
            }
        }
        None
    }
}

/// A direct quote candidate: its inner span and the tokens of its marks.
#[derive(Clone, Debug)]
struct Marks {
    inner: Range<usize>,
    /// Token index of the opening mark.
    open: usize,
    /// Token index of the closing mark.
    close: usize,
}

/// Finds the quotations of a document and attributes them.
pub fn extract(
    text: &str,
    tokens: &[Token],
    sentences: &[Range<usize>],
    entities: &[LocalEntity],
    mentions: &[Mention],
) -> Vec<Quote> {
    let cx = Ctx::new(text, tokens, sentences, entities, mentions);
    let marks = quote_marks(text, tokens);
    // Direct quotes.
    let mut out: Vec<(Quote, usize)> = Vec::new(); // (quote, token of verb or opening mark)
    let mut last: Option<(Speaker, usize, usize)> = None; // speaker, paragraph-closing token, sentence
    let mut direct_spans: Vec<(Range<usize>, usize, usize)> = Vec::new();
    for m in &marks {
        if !is_quote(&cx, m) {
            continue;
        }
        let (speaker, verb, continuation) = attribute_direct(&cx, m, last.as_ref());
        // A few words in quotation marks that nobody is said to say are a
        // name, a title or a scare quote, not a quotation.
        let words = (m.open + 1..m.close).filter(|&k| cx.tokens[k].kind == TokenKind::Word).count();
        if speaker.kind == SpeakerKind::Unknown && verb.is_none() && words < 8 {
            continue;
        }
        let sentence = sentence_of(sentences, m.inner.start);
        last = (speaker.kind != SpeakerKind::Unknown).then(|| (speaker.clone(), m.close, sentence)).or(last);
        direct_spans.push((m.inner.clone(), m.open, m.close));
        out.push((
            Quote {
                span: m.inner.clone(),
                text: text[m.inner.clone()].to_owned(),
                direct: true,
                speaker_text: speaker.text,
                speaker_kind: speaker.kind,
                speaker: speaker.entity,
                verb,
                continuation,
                sentence,
            },
            m.open,
        ));
    }
    // Reported quotes.
    let reported = reported_quotes(&cx, &direct_spans, &out);
    // A short direct quote inside a reported clause is part of it.
    out.retain(|(q, _)| !reported.iter().any(|(r, _)| r.span.start <= q.span.start && q.span.end <= r.span.end));
    out.extend(reported);
    out.sort_by_key(|(q, _)| (q.span.start, q.span.end));
    out.dedup_by(|a, b| a.0.span == b.0.span);
    out.into_iter().map(|(q, _)| q).collect()
}

fn sentence_of(sentences: &[Range<usize>], at: usize) -> usize {
    let i = sentences.partition_point(|s| s.end <= at);
    i.min(sentences.len().saturating_sub(1))
}

/// Pairs of quotation marks within a paragraph.
fn quote_marks(text: &str, tokens: &[Token]) -> Vec<Marks> {
    let mut out = Vec::new();
    // (char, byte offset, token index) of quote marks, per paragraph.
    let mut open: Option<(char, usize, usize)> = None;
    let mut depth = 0usize;
    for (ti, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Punct {
            continue;
        }
        let Some(c) = text[t.span.clone()].chars().next() else { continue };
        // A paragraph break between the opener and here closes nothing.
        if let Some((_, at, _)) = open {
            if text[at..t.span.start].contains('\n') {
                open = None;
                depth = 0;
            }
        }
        match (open, c) {
            (None, '«' | '“' | '"' | '„') => {
                open = Some((c, t.span.end, ti));
                depth = 1;
            }
            (Some(('«', _, _)), '«') => depth += 1,
            (Some((o, start, oi)), _) if closes(o, c) => {
                if o == '«' && depth > 1 {
                    depth -= 1;
                    continue;
                }
                let inner = trim(text, start..t.span.start);
                if !inner.is_empty() {
                    out.push(Marks { inner, open: oi, close: ti });
                }
                open = None;
                depth = 0;
            }
            _ => {}
        }
    }
    out
}

fn closes(open: char, c: char) -> bool {
    matches!((open, c), ('«', '»') | ('“', '”') | ('"', '"') | ('„', '“' | '”'))
}

/// `r` without surrounding whitespace.
fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    r.start + lead..r.start + lead + t.len()
}

/// Whether quoted words are a quotation (not a name or a scare word).
fn is_quote(cx: &Ctx<'_>, m: &Marks) -> bool {
    let words = (m.open + 1..m.close).filter(|&k| cx.tokens[k].kind != TokenKind::Punct).count();
    if words == 0 {
        return false;
    }
    if m.open > 0 && cx.lex.media.contains(cx.tk[m.open - 1].key) {
        return false;
    }
    // A title, a name or a charge in quotation marks: بعنوان «…»,
    // مهرجان «…», بتهمة «…».
    if m.open > 0 && titled().contains(cx.tk[m.open - 1].key) {
        return false;
    }
    // The whole span is one name (سي إن إن, غارديان).
    if let Some(mi) = cx.tk[m.open + 1].mention {
        let ms = &cx.mentions[mi].span;
        if ms.start <= m.inner.start && m.inner.end <= ms.end + 1 && words <= 4 {
            return false;
        }
    }
    if words >= 3 {
        return true;
    }
    // One or two words: only with a reporting verb earlier in the sentence.
    let start = cx.sentence_start(m.open);
    (start..m.open).rev().take(16).any(|k| cx.is_verb(k))
}

/// Nouns that introduce a title, a name or a charge in quotation marks.
const TITLED: &[&str] = &[
    "عنوان",
    "بعنوان",
    "تهمة",
    "بتهمة",
    "تهم",
    "شعار",
    "مهرجان",
    "ملتقى",
    "برنامج",
    "حملة",
    "مسابقة",
    "وسم",
    "هاشتاق",
    "هاشتاغ",
    "كتاب",
    "فيلم",
    "مسلسل",
    "رواية",
    "قصيدة",
    "مبادرة",
    "مشروع",
    "جائزة",
    "معرض",
    "مؤتمر",
    "منتدى",
    "تطبيق",
    "نظام",
    "عملية",
    "مصطلح",
    "لقب",
    "اسم",
    "تحت",
];

fn titled() -> &'static FxHashSet<String> {
    static SET: OnceLock<FxHashSet<String>> = OnceLock::new();
    SET.get_or_init(|| TITLED.iter().map(|w| phrase_key(w)).collect())
}

/// Speaker of a direct quote: `(speaker, verb, continuation)`.
fn attribute_direct(
    cx: &Ctx<'_>,
    m: &Marks,
    last: Option<&(Speaker, usize, usize)>,
) -> (Speaker, Option<String>, bool) {
    let start = cx.sentence_start(m.open);
    let lo = match last {
        Some((_, close, _)) if *close >= start && *close < m.open => *close + 1,
        _ => start,
    };
    // 1. The nearest reporting verb before the quote.
    let verb = (lo..m.open).rev().find(|&k| cx.is_verb(k));
    if let Some(v) = verb {
        let verb_text = Some(cx.surface(v));
        let limit = (v + 1..m.open).find(|&k| cx.is_that(k) || cx.tk[k].punct == Some(':')).unwrap_or(m.open);
        let participle = cx.lex.participles.contains(cx.tk[v].key);
        if !participle {
            if let Some(s) = cx.subject_before(v).or_else(|| cx.subject(v + 1, limit.min(v + 14))) {
                return (s, verb_text, false);
            }
        }
        let continuing = participle || cx.lex.continuing.contains(cx.tk[v].key);
        if continuing {
            // The previous quote of this sentence, else the previous speaker.
            if let Some((s, close, _)) = last {
                if *close >= start || !participle {
                    return (s.clone(), verb_text, true);
                }
            }
            if let Some(s) = cx.subject_back(v) {
                return (s, verb_text, false);
            }
            if let Some((s, _, _)) = last {
                return (s.clone(), verb_text, true);
            }
        }
        if let Some(s) = cx.subject_back(v) {
            return (s, verb_text, false);
        }
        return (Speaker::unknown(), verb_text, false);
    }
    // 2. بحسب X before the quote.
    if let Some(a) = (lo..m.open).find(|&k| cx.lex.according.contains(cx.tk[k].key)) {
        let b = if cx.tk.get(a + 1).is_some_and(|t| t.key == "ل" || t.punct.is_some()) { a + 2 } else { a + 1 };
        if let Some(s) = cx.subject(b, m.open) {
            return (s, None, false);
        }
    }
    // 3. After the quote: "…"، قال بوتين / بحسب الوكالة.
    let mut k = m.close + 1;
    while k < cx.len() && matches!(cx.tk[k].punct, Some('،' | ',' | '-')) {
        k += 1;
    }
    if k < cx.len() && cx.sent_of[k] == cx.sent_of[m.close] {
        if cx.is_verb(k) {
            if let Some(s) = cx.subject(k + 1, k + 10) {
                return (s, Some(cx.surface(k)), false);
            }
        } else if cx.lex.according.contains(cx.tk[k].key) {
            if let Some(s) = cx.subject(k + 1, k + 8) {
                return (s, None, false);
            }
        }
    }
    // 4. Right after another quote of the same paragraph.
    if let Some((s, close, _)) = last {
        let between = &cx.text[cx.tokens[*close].span.end..cx.tokens[m.open].span.start];
        if !between.contains('\n') && between.chars().all(|c| c.is_whitespace() || matches!(c, '.' | '،' | ',' | '؛'))
        {
            return (s.clone(), None, true);
        }
    }
    (Speaker::unknown(), None, false)
}

/// Reported speech: a verb, its subject, إن/أن and the clause after.
fn reported_quotes(
    cx: &Ctx<'_>,
    direct: &[(Range<usize>, usize, usize)],
    directs: &[(Quote, usize)],
) -> Vec<(Quote, usize)> {
    let mut out: Vec<(Quote, usize)> = Vec::new();
    let mut in_direct = vec![false; cx.len()];
    for (_, o, c) in direct {
        for x in &mut in_direct[*o..=*c] {
            *x = true;
        }
    }
    let mut last_speaker: Option<(Speaker, usize)> = None;
    let mut di = 0;
    let mut covered_until = 0; // byte offset: verbs inside an emitted clause are skipped
    let mut v = 0;
    while v < cx.len() {
        // Keep the previous speaker up to date with the direct quotes passed.
        while di < directs.len() && directs[di].1 < v {
            let q = &directs[di].0;
            if q.speaker_kind != SpeakerKind::Unknown {
                last_speaker = Some((
                    Speaker { text: q.speaker_text.clone(), kind: q.speaker_kind, entity: q.speaker },
                    directs[di].1,
                ));
            }
            di += 1;
        }
        if !cx.is_verb(v) || in_direct[v] || cx.tokens[v].span.start < covered_until {
            v += 1;
            continue;
        }
        let sent = cx.sent_of[v];
        // The particle: within 30 tokens, in the same sentence, outside
        // direct quotes, before any other verb.
        let p = (v + 1..(v + 30).min(cx.len()))
            .take_while(|&k| cx.sent_of[k] == sent && !in_direct[k] && !(k > v + 1 && cx.is_verb(k)))
            .find(|&k| cx.is_that(k));
        let Some(p) = p else {
            v += 1;
            continue;
        };
        // The clause: after the particle to the end of the sentence.
        let c0 = p + 1;
        if c0 >= cx.len()
            || cx.sent_of[c0] != sent
            || in_direct[c0]
            || cx.tk[c0].punct.is_some_and(|c| matches!(c, '"' | '“' | '«'))
        {
            v = p + 1;
            continue;
        }
        let mut c1 = c0;
        while c1 < cx.len() && cx.sent_of[c1] == sent {
            c1 += 1;
        }
        while c1 > c0 && cx.tk[c1 - 1].punct.is_some_and(|c| !matches!(c, '"' | '”' | '»' | ')')) {
            c1 -= 1;
        }
        if c1 <= c0 {
            v = p + 1;
            continue;
        }
        let span = cx.tokens[c0].span.start..cx.tokens[c1 - 1].span.end;
        let participle = cx.lex.participles.contains(cx.tk[v].key);
        let verb_text = Some(cx.surface(v));
        let mut continuation = false;
        let speaker = if !participle { cx.subject_before(v).or_else(|| cx.subject(v + 1, p)) } else { None }
            .or_else(|| {
                let continuing = participle || cx.lex.continuing.contains(cx.tk[v].key);
                if !continuing {
                    return None;
                }
                let prev = last_speaker.as_ref().filter(|(_, at)| !participle || cx.sent_of[*at] == sent);
                if let Some((s, _)) = prev {
                    continuation = true;
                    return Some(s.clone());
                }
                if let Some(s) = cx.subject_back(v) {
                    return Some(s);
                }
                let (s, _) = last_speaker.as_ref()?;
                continuation = true;
                Some(s.clone())
            })
            .unwrap_or_else(Speaker::unknown);
        if speaker.kind == SpeakerKind::Unknown {
            // "التقارير التي تشير إلى أن", "ذلك يشير إلى أن": not speech.
            v = p + 1;
            continue;
        }
        last_speaker = Some((speaker.clone(), v));
        covered_until = span.end;
        out.push((
            Quote {
                text: cx.text[span.clone()].to_owned(),
                sentence: sent,
                span,
                direct: false,
                speaker_text: speaker.text,
                speaker_kind: speaker.kind,
                speaker: speaker.entity,
                verb: verb_text,
                continuation,
            },
            v,
        ));
        v = c1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<LocalEntity>, Vec<Quote>) {
        let sentences = marsad_text::split_sentences(text);
        let tokens = marsad_text::tokenize(text);
        let (es, ms) = crate::mention::extract(text, &tokens, &sentences, &[]);
        let qs = extract(text, &tokens, &sentences, &es, &ms);
        (es, qs)
    }

    #[test]
    fn direct_quote_with_name_before() {
        let (es, qs) = run("وقال بوتين: \"لم نرفضها أبدا في أي وقت\". وأضاف \"نحن مستعدون للحوار\".");
        assert_eq!(qs.len(), 2, "{qs:?}");
        assert_eq!(qs[0].text, "لم نرفضها أبدا في أي وقت");
        assert_eq!(qs[0].speaker_text, "بوتين");
        assert_eq!(es[qs[0].speaker.unwrap()].name, "بوتين");
        assert!(qs[1].continuation);
        assert_eq!(qs[1].speaker, qs[0].speaker);
    }

    #[test]
    fn direct_quote_with_name_after() {
        let (_, qs) = run("«سنواصل العمل مع شركائنا في المنطقة»، قال بوتين للصحفيين.");
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0].speaker_text, "بوتين");
    }

    #[test]
    fn reported_speech_and_groups() {
        let (_, qs) = run("ويقول محللون إن روسيا تشعر بالقلق. وصرح مسؤولون أمريكيون لصحيفة محلية بأن الاتفاق قريب.");
        assert_eq!(qs.len(), 2, "{qs:?}");
        assert_eq!(qs[0].speaker_kind, SpeakerKind::Group);
        assert_eq!(qs[0].speaker_text, "محللون");
        assert_eq!(qs[0].text, "روسيا تشعر بالقلق");
        assert_eq!(qs[1].speaker_text, "مسؤولون أمريكيون");
        assert!(qs.iter().all(|q| q.speaker.is_none()));
    }

    #[test]
    fn verb_then_direct_quote_is_one_quote() {
        let (_, qs) = run("وأشار بوتين إلى أن \"مصالح البلدين تتقارب\".");
        assert_eq!(qs.len(), 1, "{qs:?}");
        assert!(qs[0].direct);
    }

    #[test]
    fn role_resolves_to_person() {
        let (es, qs) = run(
            "التقى الرئيس الروسي فلاديمير بوتين نظيره. كما أن الرئيس الروسي، وفي حديثه أمس، علق قائلا: \"لم نرفض المقترحات\".",
        );
        assert_eq!(qs.len(), 1);
        assert_eq!(es[qs[0].speaker.unwrap()].name, "فلاديمير بوتين");
    }

    #[test]
    fn speakers_behind_roles_heads_and_family_names() {
        let text = "وقال مدير الإدارة العامة للمرور بالمنطقة سامي فهد الغامدي، إن الطريق مغلق. \
                    وأقامت وزارة الصحة ورشة عمل. وقالت الوزارة في بيان إن الورشة ناجحة. \
                    وأضاف الغامدي أن الحركة ستعود غدا. وكانت شركة النقل العام أعلنت أن الرحلات متوقفة.";
        let (es, qs) = run(text);
        let speaker = |q: &Quote| q.speaker.map(|e| es[e].name.as_str());
        let of =
            |needle: &str| qs.iter().find(|q| q.text.contains(needle)).unwrap_or_else(|| panic!("{needle}: {qs:?}"));
        assert_eq!(speaker(of("الطريق مغلق")), Some("سامي فهد الغامدي"));
        assert_eq!(speaker(of("الورشة ناجحة")), Some("وزارة الصحة"));
        assert_eq!(speaker(of("الحركة ستعود")), Some("سامي فهد الغامدي"));
        assert_eq!(speaker(of("الرحلات متوقفة")), Some("شركة النقل العام"));
    }

    #[test]
    fn titles_and_charges_in_quotation_marks_are_not_quotes() {
        let (_, qs) = run(
            "افتتح المحافظ مهرجان «صيف المدينة» ووجهت إليه تهمة «الإخلال بالنظام». وصدر كتاب بعنوان «أيام في البحر».",
        );
        assert!(qs.is_empty(), "{qs:?}");
    }

    #[test]
    fn scare_quotes_and_names_are_not_quotes() {
        let (_, qs) = run("غداة قمة \"فارقة\" نشرت صحيفة \"نيويورك تايمز\" تقريرا.");
        assert!(qs.is_empty(), "{qs:?}");
    }

    #[test]
    fn unbalanced_marks_do_not_panic() {
        for s in ["«", "\"", "“ قال", "قال \"إن", "» « \" “ ”", "وقال بوتين: «نعم «لا» ربما"]
        {
            let _ = run(s);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        #[test]
        fn never_panics_and_spans_are_exact(s in r#"[ابتثجحخدذرسشصضطظعغفقكلمنهويىةءأإآ ًٌٍَُِّْـ«»“”"'.،,:؛!؟?()\-\nA-Za-z0-9٠-٩ ]{0,120}"#) {
            let (es, qs) = run(&s);
            let sentences = marsad_text::split_sentences(&s);
            let tokens = marsad_text::tokenize(&s);
            let (_, ms) = crate::mention::extract(&s, &tokens, &sentences, &[]);
            for m in &ms {
                proptest::prop_assert!(s.is_char_boundary(m.span.start) && s.is_char_boundary(m.span.end));
                proptest::prop_assert!(m.entity < es.len().max(1) || es.is_empty());
            }
            let mut spans = Vec::new();
            for q in &qs {
                proptest::prop_assert!(s.is_char_boundary(q.span.start) && s.is_char_boundary(q.span.end));
                proptest::prop_assert_eq!(&s[q.span.clone()], q.text.as_str());
                proptest::prop_assert!(q.speaker.is_none_or(|e| e < es.len()));
                spans.push(q.span.clone());
            }
            let n = spans.len();
            spans.sort_by_key(|r| (r.start, r.end));
            spans.dedup();
            proptest::prop_assert_eq!(n, spans.len());
        }

        #[test]
        fn never_panics_on_any_unicode(s in "\\PC{0,80}") {
            let _ = run(&s);
        }
    }
}
