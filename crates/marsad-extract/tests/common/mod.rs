//! Reading the seed articles and running the per-document steps this
//! crate's entity and quote tests check.
#![allow(dead_code)]

use marsad_extract::corpus::{resolve_entities, DocEntities, Resolution};
use marsad_extract::{mention, ner, quote, LocalEntity, Mention, Quote};

pub const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds");

pub struct Doc {
    pub id: String,
    pub text: String,
    pub entities: Vec<LocalEntity>,
    pub mentions: Vec<Mention>,
    pub quotes: Vec<Quote>,
}

impl Doc {
    pub fn analyze(id: &str, text: String) -> Doc {
        let sentences = marsad_text::split_sentences(&text);
        let tokens = marsad_text::tokenize(&text);
        let tagged = ner::Tagger::default_model().tag(&text, &tokens);
        let (entities, mentions) = mention::extract(&text, &tokens, &sentences, &tagged);
        let quotes = quote::extract(&text, &tokens, &sentences, &entities, &mentions);
        Doc { id: id.to_owned(), text, entities, mentions, quotes }
    }

    pub fn person(&self, name: &str) -> Option<&LocalEntity> {
        self.entities.iter().find(|e| e.entity_type == marsad_extract::EntityType::Person && e.name == name)
    }

    /// The quote whose text contains `needle`.
    pub fn quote(&self, needle: &str) -> &Quote {
        self.quotes
            .iter()
            .find(|q| q.text.contains(needle))
            .unwrap_or_else(|| panic!("{}: no quote with {needle:?}; quotes: {:#?}", self.id, self.quotes))
    }

    /// Name of the entity a quote is attributed to.
    pub fn speaker_name(&self, q: &Quote) -> Option<&str> {
        q.speaker.map(|e| self.entities[e].name.as_str())
    }
}

/// The five seed articles, analyzed, in file order; `None` (with a message)
/// when the seed folder is absent.
pub fn seeds() -> Option<Vec<Doc>> {
    let Ok(dir) = std::fs::read_dir(SEEDS) else {
        eprintln!("skipping: seed articles not found at {SEEDS}");
        return None;
    };
    let mut paths: Vec<_> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "txt")
                && p.file_stem().is_some_and(|s| s.to_string_lossy().starts_with('0'))
        })
        .collect();
    paths.sort();
    Some(
        paths
            .iter()
            .map(|p| {
                let id = p.file_stem().unwrap().to_string_lossy().into_owned();
                Doc::analyze(&id, std::fs::read_to_string(p).expect("seed readable"))
            })
            .collect(),
    )
}

pub fn doc<'a>(docs: &'a [Doc], prefix: &str) -> &'a Doc {
    docs.iter().find(|d| d.id.starts_with(prefix)).expect("seed present")
}

pub fn resolve(docs: &[Doc]) -> Resolution {
    let input: Vec<DocEntities<'_>> = docs.iter().map(|d| DocEntities { doc: &d.id, entities: &d.entities }).collect();
    resolve_entities(&input)
}
