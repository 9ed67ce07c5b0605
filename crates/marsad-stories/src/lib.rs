//! Stories and summaries: which articles tell one story, and that story in a
//! few sentences.
//!
//! Two pure parts, both fed by what ingest already produced (the text layer's
//! stemmed terms, the extraction layer's entities, dates and quotes) and by
//! text-reuse information passed in as plain values, so this crate does not
//! depend on how reuse is detected:
//!
//! * [`stories`]: [`StoryClusterer`] groups documents into stories online, one
//!   document at a time, as a news monitor does: a new article joins the most
//!   similar open story (terms, entities, date) or starts its own. Its state
//!   is plain serde data that a store can save in parts (vocabulary,
//!   placements, one story each) and resume holding only the open stories
//!   and what new documents name, so adding to months of news costs what is
//!   added.
//! * [`summary`]: [`summarize`] picks the salient sentences of any set of
//!   documents (a story, an entity's documents, a hand-picked list), drops
//!   the ones that say the same thing again, and returns them in date order
//!   with their exact source spans.
//!
//! # Why terms come from `marsad_text::analyze`
//!
//! Similarity must see والصين and الصين, بوتين and بُوتين as one word, exactly
//! as search does; reusing the search analyzer (normalization, clitics, stop
//! words, light stemming) gives that for free and keeps "similar" meaning the
//! same thing across Marsad. Stems are poor labels, though, so every term
//! keeps a surface form ([`terms::surface_form`]) for display.
//!
//! # Invariants
//!
//! * **Pure and total.** No I/O, no panics on any input (property-tested).
//! * **Deterministic.** The same documents in the same order give the same
//!   stories, ids and summaries: ties break on insertion order, never on
//!   hash order.
//! * **Spans are exact.** Every [`SummarySentence`] satisfies
//!   `doc_text[start..end] == text`, on character boundaries.

#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod stories;
pub mod summary;
pub mod terms;

pub use stories::{
    story_label, Missing, SavedCore, SavedStory, Story, StoryClusterer, StoryConfig, StoryDoc, StoryId, VocabularyEntry,
};
pub use summary::{summarize, SummaryInput, SummaryOptions, SummarySentence};
pub use terms::WeightedTerm;
