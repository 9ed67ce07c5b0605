//! Entity resolution across documents.
//!
//! Each document groups its own mentions ([`crate::mention`]); this pass
//! merges the documents' entities into corpus entities, so ترمب in one
//! outlet and دونالد ترامب in another are one man.
//!
//! # The key
//!
//! Names are compared by [`name_key`]: normalized, clitics and the article
//! stripped, initials dropped, and each word reduced to a consonant
//! skeleton — long vowels ا و ي dropped *inside* the word, its first and
//! last letters kept. Transliterated names vary mostly in their long vowels
//! (ترمب / ترامب, بيسكوف / بيسكوڤ aside), while the last letter carries
//! gender and identity (زيلينسكي / زيلينسكا) and a short word is mostly its
//! vowels (أون / إيل), so those stay apart.
//!
//! # What merges
//!
//! * Entities of the same type whose keys are equal.
//! * A person known in a document only by a family name (ترامب) joins the
//!   one corpus full name with that family name. When several full names
//!   share it (كيم), it joins the clearly dominant one — in at least twice
//!   as many documents and with twice the mentions of the next — or stays
//!   on its own: a wrong merge between two people is worse than a missed
//!   one.
//!
//! # Determinism
//!
//! Every decision reads totals over the whole input and breaks ties by
//! string order, so the same documents in any order give the same entities,
//! ids and order. The id is a hash of the canonical name's key
//! ([`entity_id`]).
//!
//! # Cost
//!
//! Keys are computed once per distinct name string; everything else is hash
//! maps and one sort. 300k local entities take a fraction of a second.

use marsad_text::TokenKind;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::gazetteer::word_key;
use crate::mention::{family_word, skeleton_into};
use crate::{EntityType, LocalEntity};

/// One document's entities, as input to [`resolve_entities`].
#[derive(Clone, Copy, Debug)]
pub struct DocEntities<'a> {
    /// The document's id.
    pub doc: &'a str,
    /// Its entities, from [`crate::DocumentAnalysis::entities`].
    pub entities: &'a [LocalEntity],
}

/// An entity of the corpus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlobalEntity {
    /// Stable id (see [`entity_id`]).
    pub id: String,
    /// Canonical name: the fullest, most frequent form.
    pub name: String,
    /// The entity's type.
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    /// All name forms seen, canonical first.
    pub variants: Vec<String>,
    /// Roles/titles seen, most frequent first.
    pub roles: Vec<String>,
    /// Documents it appears in, sorted.
    pub docs: Vec<String>,
    /// Total mentions.
    pub mentions: usize,
}

/// The output of [`resolve_entities`].
#[derive(Clone, Debug, Default)]
pub struct Resolution {
    /// Corpus entities, sorted by documents then mentions, descending.
    pub entities: Vec<GlobalEntity>,
    /// `assignment[d][l]` is the index in `entities` of local entity `l` of
    /// input document `d`.
    pub assignment: Vec<Vec<usize>>,
}

/// The matching key of a name: normalized, clitics and article stripped,
/// initials and punctuation dropped, each word reduced to its consonant
/// skeleton (internal long vowels dropped, first and last letters kept), so
/// ترمب and ترامب share it while زيلينسكي and زيلينسكا do not.
pub fn name_key(name: &str) -> String {
    let mut key = String::new();
    for w in key_words(name) {
        if !key.is_empty() {
            key.push(' ');
        }
        skeleton_into(&w, &mut key);
    }
    key
}

/// The word keys of a name (bases, lowercased Latin), initials dropped.
fn key_words(name: &str) -> Vec<String> {
    let tokens = marsad_text::tokenize(name);
    let words = tokens.iter().filter(|t| t.kind != TokenKind::Punct).count();
    let kept: Vec<&marsad_text::Token> = tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Punct)
        .filter(|t| words == 1 || !(t.kind == TokenKind::Word && t.normalized.chars().count() == 1))
        .collect();
    let mut out: Vec<String> = Vec::with_capacity(kept.len());
    let mut i = 0;
    while i < kept.len() {
        // A compound given name is one word however it is spaced:
        // عبد العزيز = عبدالعزيز, أبو الغيط = أبوالغيط.
        let w = kept[i].normalized.as_str();
        if kept.len() > 1 && matches!(w, "عبد" | "ابو") {
            if let Some(next) = kept.get(i + 1).filter(|t| t.kind == TokenKind::Word) {
                out.push(format!("{w}{}", next.normalized));
                i += 2;
                continue;
            }
        }
        out.push(key_word(kept[i]));
        i += 1;
    }
    out
}

fn key_word(t: &marsad_text::Token) -> String {
    match t.kind {
        // Names arrive without clitics (the mention layer strips them),
        // so only the article is dropped: segmenting would split
        // transliterations that start with a clitic letter (كرملين is
        // not ك + رملين, كيربي not ك + يربي).
        TokenKind::Word => {
            let w = t.normalized.as_str();
            match w.strip_prefix("ال") {
                Some(rest) if rest.chars().count() >= 2 => rest.to_owned(),
                _ => w.to_owned(),
            }
        }
        _ => word_key(t).to_lowercase(),
    }
}

/// The names listed as one place or organisation in
/// `data/gazetteer/aliases-ar.txt` (السعودية = المملكة العربية السعودية):
/// key of each name → key of the line's first name.
fn listed_aliases() -> &'static FxHashMap<String, String> {
    static ALIASES: std::sync::OnceLock<FxHashMap<String, String>> = std::sync::OnceLock::new();
    ALIASES.get_or_init(|| {
        let mut map = FxHashMap::default();
        for line in include_str!("../../../../data/gazetteer/aliases-ar.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut names = line.split(" = ").map(name_key).filter(|k| !k.is_empty());
            let Some(usual) = names.next() else { continue };
            for k in names {
                if k != usual {
                    map.insert(k, usual.clone());
                }
            }
        }
        map
    })
}

/// Links inside an Arabic nasab, as skeleton words: بن, بنت, ابن, آل.
const NASAB: &[&str] = &["بن", "بنت", "ابن", "ال"];

/// The shorter chains a person key is a longer chain of, for
/// [`nasab_full`]: محمد بن سلمان for محمد بن سلمان بن عبدالعزيز. Empty for a
/// key without a nasab.
pub fn nasab_prefixes(key: &str) -> Vec<String> {
    let words: Vec<&str> = key.split(' ').collect();
    if words.len() < 3 || !words.iter().any(|w| NASAB.contains(w)) || !NASAB.contains(&words[1]) {
        return Vec::new();
    }
    (3..words.len()).filter(|&k| !NASAB.contains(&words[k - 1])).map(|k| words[..k].join(" ")).collect()
}

/// Whether a key can be a shorter chain of a longer nasab (see
/// [`nasab_prefixes`]): three words or more, a link second (محمد بن
/// سلمان), not a link last. Only such keys have a [`nasab_full`] to look
/// for.
pub fn is_nasab_prefix(key: &str) -> bool {
    let words: Vec<&str> = key.split(' ').collect();
    words.len() >= 3 && NASAB.contains(&words[1]) && !words.last().is_some_and(|w| NASAB.contains(w))
}

/// The full chain a shorter one stands for, given every longer chain it
/// begins (see [`nasab_prefixes`]) with its weight (documents): a shorter
/// chain that begins a longer one names the same man (محمد بن سلمان =
/// محمد بن سلمان بن عبدالعزيز = … آل سعود) when the longer chains are one
/// line (each a prefix of the longest). Two different lines (محمد بن سلمان
/// بن عبدالعزيز and محمد بن سلمان بن خالد) leave it alone. Any order.
pub fn nasab_full<'a>(longer: &[(&'a str, usize)]) -> Option<&'a str> {
    let mut longer: Vec<(&'a str, usize)> = longer.to_vec();
    longer.sort_unstable();
    longer.dedup_by(|a, b| a.0 == b.0);
    // The line is the most attested longer chain; chains along it (its
    // prefixes) agree, others disagree. A stray reading (سلمان بن عبدالعزيز
    // شبل, one document) must not veto the line a thousand documents
    // follow, so the line needs nine tenths of the weight.
    let line = longer.iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.len().cmp(&a.0.len())).then(b.0.cmp(a.0)))?.0;
    let along = |k: &str| line == k || line.starts_with(&format!("{k} ")) || k.starts_with(&format!("{line} "));
    let total: usize = longer.iter().map(|k| k.1).sum();
    let agreeing: usize = longer.iter().filter(|k| along(k.0)).map(|k| k.1).sum();
    // The longest chain along the line names him fully.
    (agreeing * 10 >= total * 9)
        .then(|| longer.iter().filter(|k| along(k.0)).max_by_key(|k| k.0.len()).map_or(line, |k| k.0))
}

/// Aliases among person keys with a nasab (see [`nasab_full`]).
fn nasab_aliases<'a>(keys: impl Iterator<Item = &'a str>, weight: impl Fn(&str) -> usize) -> FxHashMap<String, String> {
    let mut supers: FxHashMap<String, Vec<&'a str>> = FxHashMap::default();
    for key in keys {
        for prefix in nasab_prefixes(key) {
            supers.entry(prefix).or_default().push(key);
        }
    }
    let mut alias = FxHashMap::default();
    for (prefix, longer) in supers {
        let weighted: Vec<(&str, usize)> = longer.iter().map(|k| (*k, weight(k))).collect();
        if let Some(full) = nasab_full(&weighted) {
            alias.insert(prefix, full.to_owned());
        }
    }
    alias
}

/// The usual name's key of a place or organisation listed with others in
/// `data/gazetteer/aliases-ar.txt`, by any of its keys.
pub fn listed_alias(key: &str) -> Option<&'static str> {
    listed_aliases().get(key).map(String::as_str)
}

/// The full name a person known only by a family name stands for, among
/// the corpus full names with that family name, each with its documents
/// and mentions: the only one, or a clearly dominant one (at least twice
/// the documents and twice the mentions of the next); else none, since a
/// wrong merge between two people is worse than a missed one. Any order.
pub fn lone_name_target<'a>(fulls: &[(&'a str, usize, usize)]) -> Option<&'a str> {
    match fulls {
        [] => None,
        [only] => Some(only.0),
        _ => {
            let mut ranked: Vec<(usize, usize, &'a str)> = fulls.iter().map(|&(k, d, m)| (d, m, k)).collect();
            ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
            let (d0, m0, k0) = ranked[0];
            let (d1, m1, _) = ranked[1];
            (d0 >= 2 * d1.max(1) && m0 >= 2 * m1.max(1)).then_some(k0)
        }
    }
}

/// The cluster a name joins: its key, or for a lone family name the full
/// name it stands for ([`lone_name_target`]), then the full chain of a
/// shorter nasab ([`nasab_full`]) or a listed alias's usual name
/// ([`listed_alias`]). The two corpus questions are asked through the
/// closures, so the same rule serves a whole-corpus pass and a store that
/// answers from its indexes.
pub fn cluster_key(
    entity_type: EntityType,
    info: &NameInfo,
    lone_target: impl FnOnce(&str) -> Option<String>,
    nasab_alias: impl FnOnce(&str) -> Option<String>,
) -> String {
    let mut key = info.key.clone();
    // A one-word name whose key is empty (nothing left once folded) has no
    // family name to stand for.
    if entity_type == EntityType::Person && info.words == 1 && !key.is_empty() {
        if let Some(t) = lone_target(&key) {
            key = t;
        }
    }
    if entity_type == EntityType::Person {
        if let Some(full) = nasab_alias(&key) {
            key = full;
        }
    } else if let Some(usual) = listed_alias(&key) {
        key = usual.to_owned();
    }
    key
}

/// Stable id of an entity: a type letter and a hash of its canonical name's
/// key (`P-…`, `O-…`, `L-…`, `M-…`).
pub fn entity_id(entity_type: EntityType, canonical: &str) -> String {
    let key = name_key(canonical);
    // FNV-1a, 64 bit: stable across builds and platforms.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in key.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    let letter = match entity_type {
        EntityType::Person => 'P',
        EntityType::Organization => 'O',
        EntityType::Place => 'L',
        EntityType::Misc => 'M',
    };
    format!("{letter}-{:08x}", (h >> 32) as u32 ^ h as u32)
}

/// What resolution reads of one (type, name), computed once per distinct
/// name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameInfo {
    /// The matching key ([`name_key`]).
    pub key: String,
    /// Number of words in the key.
    pub words: usize,
    /// Skeleton of the family name (persons with two words or more, when
    /// one is found).
    pub family: Option<String>,
}

/// The [`NameInfo`] of a name of a type.
pub fn name_info(ty: EntityType, name: &str) -> NameInfo {
    let words = key_words(name);
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut key = String::new();
    for w in &refs {
        if !key.is_empty() {
            key.push(' ');
        }
        skeleton_into(w, &mut key);
    }
    // No family name (none found, or nothing left once folded): `None`,
    // so that such names are never the candidates of an empty one.
    let family = (ty == EntityType::Person && refs.len() >= 2)
        .then(|| {
            let mut f = String::new();
            if let Some(w) = family_word(&refs) {
                skeleton_into(w, &mut f);
            }
            f
        })
        .filter(|f| !f.is_empty());
    NameInfo { key, words: refs.len(), family }
}

/// A cluster being built.
#[derive(Default)]
struct Cluster<'a> {
    ty: Option<EntityType>,
    /// Names (LocalEntity.name) with (docs, mentions, words).
    names: FxHashMap<&'a str, (usize, usize, usize)>,
    variants: FxHashMap<&'a str, usize>,
    roles: FxHashMap<&'a str, usize>,
    docs: Vec<&'a str>,
    mentions: usize,
}

/// What a cluster of local entities adds up to, from which its corpus
/// entity's names are drawn ([`cluster_names`]).
#[derive(Clone, Debug)]
pub struct ClusterTotals<'a> {
    /// The cluster's type.
    pub entity_type: EntityType,
    /// Each distinct name: (name, local entities, mentions, key words).
    pub names: Vec<(&'a str, usize, usize, usize)>,
    /// Each variant the local entities list: (variant, local entities).
    pub variants: Vec<(&'a str, usize)>,
    /// Each role: (role, local entities).
    pub roles: Vec<(&'a str, usize)>,
}

/// The canonical name, the variants (canonical first, then the most
/// frequent) and the roles (most frequent first) of a cluster. A person
/// is named by the fullest name the press gives; a place or organisation
/// by the form most documents use (السعودية, not المملكة العربية السعودية;
/// بريطانيا, not a typo's البريطانيا), with the article on a tie. Variants
/// that differ only by the article are one name: organisations and places
/// keep the form with it. Any order of the input.
pub fn cluster_names(totals: &ClusterTotals<'_>) -> (String, Vec<String>, Vec<String>) {
    let ty = totals.entity_type;
    let mut variants: FxHashMap<&str, usize> = totals.variants.iter().copied().collect();
    for (n, ..) in &totals.names {
        variants.entry(n).or_default();
    }
    if ty != EntityType::Person {
        for (n, ..) in totals.names.iter().filter(|(n, ..)| n.starts_with("ال")) {
            variants.remove(&n[n.char_indices().nth(2).map_or(0, |(i, _)| i)..]);
        }
    }
    let article = |n: &str| n.starts_with("ال");
    let canonical = totals
        .names
        .iter()
        .max_by(|&&(a, al, am, aw), &&(b, bl, bm, bw)| {
            if ty == EntityType::Person {
                (aw, al, am, std::cmp::Reverse(a)).cmp(&(bw, bl, bm, std::cmp::Reverse(b)))
            } else {
                (al, am, article(a), aw, std::cmp::Reverse(a)).cmp(&(bl, bm, article(b), bw, std::cmp::Reverse(b)))
            }
        })
        .map(|n| n.0)
        .unwrap_or_default();
    let mut variants: Vec<(&str, usize)> = variants.into_iter().collect();
    variants
        .sort_unstable_by(|a, b| (a.0 != canonical).cmp(&(b.0 != canonical)).then(b.1.cmp(&a.1)).then(a.0.cmp(b.0)));
    let mut roles: Vec<(&str, usize)> = totals.roles.to_vec();
    roles.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    (
        canonical.to_owned(),
        variants.into_iter().map(|(v, _)| v.to_owned()).collect(),
        roles.into_iter().map(|(r, _)| r.to_owned()).collect(),
    )
}

/// Merges the documents' entities into corpus entities.
pub fn resolve_entities(docs: &[DocEntities<'_>]) -> Resolution {
    // Keys, once per distinct (type, name).
    let mut infos: FxHashMap<(EntityType, &str), NameInfo> = FxHashMap::default();
    for d in docs {
        for e in d.entities {
            infos.entry((e.entity_type, e.name.as_str())).or_insert_with(|| name_info(e.entity_type, &e.name));
        }
    }
    // Totals per (type, key), to choose among full names sharing a family name.
    let mut key_docs: FxHashMap<(EntityType, &str), (Vec<&str>, usize)> = FxHashMap::default();
    for d in docs {
        for e in d.entities {
            let info = &infos[&(e.entity_type, e.name.as_str())];
            let entry = key_docs.entry((e.entity_type, info.key.as_str())).or_default();
            entry.0.push(d.doc);
            entry.1 += e.mentions;
        }
    }
    for (docs, _) in key_docs.values_mut() {
        docs.sort_unstable();
        docs.dedup();
    }
    // Family name → full-name keys (persons, two words or more).
    let mut by_family: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
    for ((ty, _), info) in &infos {
        if *ty != EntityType::Person {
            continue;
        }
        if let Some(f) = &info.family {
            let v = by_family.entry(f.as_str()).or_default();
            if !v.contains(&info.key.as_str()) {
                v.push(info.key.as_str());
            }
        }
    }
    // A lone family name's target: the unique, or clearly dominant, full name.
    let target_of_single = |key: &str| -> Option<String> {
        let fulls: Vec<(&str, usize, usize)> = by_family
            .get(key)?
            .iter()
            .map(|k| {
                let (d, m) = &key_docs[&(EntityType::Person, *k)];
                (*k, d.len(), *m)
            })
            .collect();
        lone_name_target(&fulls).map(str::to_owned)
    };
    let aliases = nasab_aliases(
        infos.iter().filter(|((ty, _), _)| *ty == EntityType::Person).map(|(_, info)| info.key.as_str()),
        |k| key_docs.get(&(EntityType::Person, k)).map_or(0, |(d, _)| d.len()),
    );
    // Cluster key of every distinct (type, name), then of every local entity.
    let cluster_keys: FxHashMap<(EntityType, &str), String> = infos
        .iter()
        .map(|(&(ty, name), info)| {
            ((ty, name), cluster_key(ty, info, |k| target_of_single(k), |k| aliases.get(k).cloned()))
        })
        .collect();
    let mut clusters: FxHashMap<(EntityType, &str), Cluster<'_>> = FxHashMap::default();
    let mut assignment_keys: Vec<Vec<(EntityType, &str)>> = Vec::with_capacity(docs.len());
    for d in docs {
        let mut row = Vec::with_capacity(d.entities.len());
        for e in d.entities {
            let info = &infos[&(e.entity_type, e.name.as_str())];
            let ck = (e.entity_type, cluster_keys[&(e.entity_type, e.name.as_str())].as_str());
            let c = clusters.entry(ck).or_default();
            c.ty = Some(e.entity_type);
            let n = c.names.entry(e.name.as_str()).or_insert((0, 0, info.words));
            n.0 += 1;
            n.1 += e.mentions;
            for v in &e.variants {
                *c.variants.entry(v.as_str()).or_default() += 1;
            }
            for r in &e.roles {
                *c.roles.entry(r.as_str()).or_default() += 1;
            }
            c.docs.push(d.doc);
            c.mentions += e.mentions;
            row.push(ck);
        }
        assignment_keys.push(row);
    }
    // Build and sort.
    let mut built: Vec<((EntityType, &str), GlobalEntity)> = Vec::with_capacity(clusters.len());
    for (ck, mut c) in clusters {
        let ty = c.ty.unwrap_or(EntityType::Misc);
        let totals = ClusterTotals {
            entity_type: ty,
            names: c.names.iter().map(|(n, &(l, m, w))| (*n, l, m, w)).collect(),
            variants: c.variants.iter().map(|(v, n)| (*v, *n)).collect(),
            roles: c.roles.iter().map(|(r, n)| (*r, *n)).collect(),
        };
        let (canonical, variants, roles) = cluster_names(&totals);
        c.docs.sort_unstable();
        c.docs.dedup();
        built.push((
            ck,
            GlobalEntity {
                id: entity_id(ty, &canonical),
                name: canonical,
                entity_type: ty,
                variants,
                roles,
                docs: c.docs.iter().map(|d| (*d).to_owned()).collect(),
                mentions: c.mentions,
            },
        ));
    }
    built.sort_unstable_by(|a, b| {
        b.1.docs
            .len()
            .cmp(&a.1.docs.len())
            .then(b.1.mentions.cmp(&a.1.mentions))
            .then(a.1.id.cmp(&b.1.id))
            .then(a.0.cmp(&b.0))
    });
    let index: FxHashMap<(EntityType, &str), usize> = built.iter().enumerate().map(|(i, (k, _))| (*k, i)).collect();
    let assignment = assignment_keys.iter().map(|row| row.iter().map(|k| index[k]).collect()).collect();
    Resolution { entities: built.into_iter().map(|(_, e)| e).collect(), assignment }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(name: &str, mentions: usize) -> LocalEntity {
        LocalEntity {
            name: name.into(),
            entity_type: EntityType::Person,
            variants: vec![name.into()],
            roles: vec![],
            mentions,
        }
    }

    #[test]
    fn arabic_given_names_are_not_reduced_to_a_skeleton() {
        assert_ne!(name_key("سعد الحريري"), name_key("سعيد الحريري"));
        assert_ne!(name_key("محمد بن سلمان"), name_key("محمد بن سليمان"));
        assert_eq!(name_key("دونالد ترمب"), name_key("دونالد ترامب"));
    }

    #[test]
    fn listed_aliases_merge_places() {
        let place = |name: &str| LocalEntity {
            name: name.into(),
            entity_type: EntityType::Place,
            variants: vec![name.into()],
            roles: vec![],
            mentions: 1,
        };
        let docs = [vec![place("السعودية")], vec![place("المملكة العربية السعودية")], vec![place("الناتو")]];
        let input: Vec<DocEntities> =
            docs.iter().enumerate().map(|(i, e)| DocEntities { doc: ["a", "b", "c"][i], entities: e }).collect();
        let r = resolve_entities(&input);
        assert_eq!(r.assignment[0][0], r.assignment[1][0]);
        assert_eq!(r.entities[r.assignment[0][0]].name, "المملكة العربية السعودية");
        assert_ne!(r.assignment[2][0], r.assignment[0][0]);
    }

    #[test]
    fn nasab_chains_merge_along_one_line_only() {
        let docs = [
            vec![local("سلمان بن عبدالعزيز آل سعود", 2)],
            vec![local("سلمان بن عبد العزيز", 1)],
            vec![local("محمد بن سلمان", 1), local("محمد بن سلمان بن عبدالعزيز", 1)],
            vec![local("خالد بن فيصل بن عبدالعزيز", 1), local("خالد بن فيصل بن تركي", 1), local("خالد بن فيصل", 1)],
        ];
        let input: Vec<DocEntities> =
            docs.iter().enumerate().map(|(i, e)| DocEntities { doc: ["a", "b", "c", "d"][i], entities: e }).collect();
        let r = resolve_entities(&input);
        let names: Vec<&str> = r.entities.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(r.assignment[0][0], r.assignment[1][0], "{names:?}");
        assert_eq!(r.entities[r.assignment[0][0]].name, "سلمان بن عبدالعزيز آل سعود");
        assert_eq!(r.assignment[2][0], r.assignment[2][1]);
        assert_ne!(r.assignment[2][0], r.assignment[0][0], "the son is not the father");
        // Two lines: the short form stays apart from both.
        assert_ne!(r.assignment[3][0], r.assignment[3][1]);
        assert_ne!(r.assignment[3][2], r.assignment[3][0]);
        assert_ne!(r.assignment[3][2], r.assignment[3][1]);
    }

    #[test]
    fn name_key_merges_vowel_spellings_only() {
        assert_eq!(name_key("دونالد ترمب"), name_key("دونالد ترامب"));
        assert_eq!(name_key("رجب طيب أردوغان"), name_key("رجب طيب إردوغان"));
        assert_ne!(name_key("فولوديمير زيلينسكي"), name_key("أولينا زيلينسكا"));
        assert_ne!(name_key("كيم جونغ أون"), name_key("كيم جونغ إيل"));
        assert_eq!(name_key("سكوت أ. سنايدر"), name_key("سكوت سنايدر"));
    }

    #[test]
    fn a_surname_joins_the_unique_full_name_and_ambiguity_merges_nothing() {
        let a = [local("دونالد ترمب", 3)];
        let b = [local("ترامب", 2)];
        let c = [local("كيم جونغ أون", 2), local("كيم جونغ إيل", 2)];
        let d = [local("كيم", 1)];
        let docs = [
            DocEntities { doc: "a", entities: &a },
            DocEntities { doc: "b", entities: &b },
            DocEntities { doc: "c", entities: &c },
            DocEntities { doc: "d", entities: &d },
        ];
        let r = resolve_entities(&docs);
        assert_eq!(r.assignment[0][0], r.assignment[1][0]);
        assert_eq!(r.entities[r.assignment[0][0]].name, "دونالد ترمب");
        // كيم alone: two full Kims, neither dominant.
        let kim = &r.entities[r.assignment[3][0]];
        assert_eq!(kim.name, "كيم");
        assert_ne!(r.assignment[2][0], r.assignment[2][1]);
        // Same input, other order: same entities.
        let rev: Vec<_> = docs.iter().rev().copied().collect();
        assert_eq!(resolve_entities(&rev).entities, r.entities);
    }
}
