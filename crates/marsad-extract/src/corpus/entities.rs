//! Entity resolution across documents.
//!
//! CONTRACT (filled in by the entities/quotes helper).

use serde::{Deserialize, Serialize};

use crate::{EntityType, LocalEntity};

/// One document's entities, as input to [`resolve_entities`].
#[derive(Clone, Copy, Debug)]
pub struct DocEntities<'a> {
    pub doc: &'a str,
    pub entities: &'a [LocalEntity],
}

/// An entity of the corpus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlobalEntity {
    /// Stable id (see [`entity_id`]).
    pub id: String,
    /// Canonical name: the fullest, most frequent form.
    pub name: String,
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

/// The matching key of a name: normalized, with internal long vowels
/// dropped, so ترمب and ترامب share it.
pub fn name_key(name: &str) -> String {
    crate::gazetteer::phrase_key(name)
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

/// Merges the documents' entities into corpus entities.
pub fn resolve_entities(_docs: &[DocEntities<'_>]) -> Resolution {
    Resolution::default()
}
