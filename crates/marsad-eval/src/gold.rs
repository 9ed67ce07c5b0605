//! The gold set on disk, and the annotation types every side of a comparison
//! shares.
//!
//! A gold directory (`data/gold/news/`) holds:
//!
//! - `articles.tsv`: `id  file  index  source  split` — which SaudiNewsNet
//!   article each gold id is (the `index`-th object of the day file `file`);
//! - `annotations/ID.json`: an [`ArticleAnnotations`] per annotated article;
//! - `story-articles.tsv`: the story sample, `id  file  index  source  split
//!   story` (the last column is the story key).
//!
//! Spans are UTF-8 byte ranges into the article's *body* (one paragraph a
//! line, as Marsad's JSON reader makes it of `content`), so they do not move
//! when cleaning changes what it keeps. The files hold names, labels and at
//! most a few cue words, never article text.
//!
//! The same [`Annotations`] type carries the gold, a second annotator's
//! marks (agreement) and what Marsad found (converted by
//! [`crate::system`]), so one scorer compares any two.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::EvalError;

/// Which half of the gold set an article belongs to. Tune on `dev`, report
/// `test`, never the other way round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    /// The half rules and thresholds may be tuned on.
    Dev,
    /// The held-out half the reported figures come from.
    Test,
}

impl Split {
    /// The name used in the TSV files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Split::Dev => "dev",
            Split::Test => "test",
        }
    }
}

impl FromStr for Split {
    type Err = String;
    fn from_str(s: &str) -> Result<Split, String> {
        match s {
            "dev" => Ok(Split::Dev),
            "test" => Ok(Split::Test),
            other => Err(format!("unknown split {other:?} (dev or test)")),
        }
    }
}

/// Which part of the gold set to score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitChoice {
    /// One half only.
    Only(Split),
    /// Both halves together.
    All,
}

impl SplitChoice {
    /// Whether an article of `split` is scored under this choice.
    pub fn admits(self, split: Split) -> bool {
        match self {
            SplitChoice::Only(s) => s == split,
            SplitChoice::All => true,
        }
    }

    /// The command-line spelling (`dev`, `test`, `all`), as in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SplitChoice::Only(s) => s.as_str(),
            SplitChoice::All => "all",
        }
    }
}

impl FromStr for SplitChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<SplitChoice, String> {
        match s {
            "all" => Ok(SplitChoice::All),
            other => other.parse().map(SplitChoice::Only),
        }
    }
}

/// Where one gold article comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleRef {
    /// Gold id (`g001`, `s001`); also the document id Marsad gets in the
    /// evaluation store.
    pub id: String,
    /// SaudiNewsNet day file (`2015-07-24.json`).
    pub file: String,
    /// 0-based position in that file's array.
    pub index: usize,
    /// The outlet, as SaudiNewsNet's `source` field names it.
    pub source: String,
    /// Which half of the gold set the article is in.
    pub split: Split,
}

/// The three entity types the gold set marks (MISC is not annotated).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MentionType {
    /// A person (`PERS`).
    #[serde(rename = "PERS")]
    Person,
    /// An organisation, company, party or team (`ORG`).
    #[serde(rename = "ORG")]
    Organization,
    /// A place: country, city, region (`LOC`).
    #[serde(rename = "LOC")]
    Place,
}

impl MentionType {
    /// Every type, in the order reports list them.
    pub const ALL: [MentionType; 3] = [MentionType::Person, MentionType::Organization, MentionType::Place];

    /// The label used in the annotation files (`PERS`, `ORG`, `LOC`).
    pub fn as_str(self) -> &'static str {
        match self {
            MentionType::Person => "PERS",
            MentionType::Organization => "ORG",
            MentionType::Place => "LOC",
        }
    }
}

/// One entity mention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityMark {
    /// Byte range in the body.
    pub span: [usize; 2],
    /// The name as written at `span`.
    pub text: String,
    /// The entity type of the mention.
    #[serde(rename = "type")]
    pub mention_type: MentionType,
    /// What it refers to: the canonical name (gold), or the corpus entity id
    /// (Marsad).
    pub entity: String,
}

/// Who a quotation is attributed to: the extractor's own classes, which
/// the gold files use too (`person`, `organization`, `group`,
/// `description`, `unknown`).
pub use marsad_extract::SpeakerKind as SpeakerClass;

/// One quotation or reported statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteMark {
    /// Byte range of the quoted words in the body.
    pub span: [usize; 2],
    /// Quoted verbatim (in quotation marks) rather than reported speech.
    pub direct: bool,
    /// The speaker's entity (canonical name, or Marsad's corpus id) for a
    /// person or organisation; the describing words otherwise.
    pub speaker: String,
    /// What kind of speaker `speaker` is.
    pub speaker_kind: SpeakerClass,
    /// Whether the article names the speaker somewhere (gold only).
    #[serde(default)]
    pub named: bool,
    /// The reporting verb, at most three words.
    #[serde(default)]
    pub cue: String,
    /// Number of words quoted (system side; 0 when not counted).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub words: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The closed set of event types of the gold set (GUIDELINES.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventClass {
    /// Meetings, talks, summits, receptions.
    Meeting,
    /// A visit by a person or delegation.
    Visit,
    /// Signing a deal, treaty, memorandum or contract.
    Agreement,
    /// An attack, bombing, air strike, shelling, armed clash or killing.
    Attack,
    /// A military operation, deployment, exercise, missile test or interception.
    Military,
    /// An arrest, detention, seizure or raid by security forces.
    Arrest,
    /// A trial, verdict, sentence or lawsuit.
    Legal,
    /// A traffic accident, fire, collapse or drowning.
    Accident,
    /// A flood, earthquake, storm or other natural disaster.
    Disaster,
    /// An outbreak, or cases or deaths from disease.
    Health,
    /// A demonstration, strike or sit-in.
    Protest,
    /// A vote, voter registration or results.
    Election,
    /// An appointment, dismissal, resignation or promotion.
    Appointment,
    /// A government decision, decree, law, ban, resolution, sanctions or approval.
    Decision,
    /// The inauguration, opening or launch of a project, product, service or campaign.
    Launch,
    /// A conference, forum, exhibition, ceremony, graduation or festival.
    Conference,
    /// An acquisition, contract award, listing or financial results.
    Business,
    /// A match, tournament round, or transfer or signing of a player or coach.
    Sports,
    /// A death not by attack or accident.
    Death,
    /// Any other event.
    Other,
}

/// Whether an event happened, is planned, or is denied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    /// Past or ongoing.
    Happened,
    /// Planned, announced or expected (سيزور، من المقرر).
    Planned,
    /// Reported as not happening (لن، نفى أن); gold only, so that a system
    /// reporting it as an event is counted wrong.
    Denied,
}

/// One event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMark {
    /// Byte range of the trigger (gold) or of the evidence sentence (Marsad).
    pub span: [usize; 2],
    /// The trigger word (verb or noun) as written.
    #[serde(default)]
    pub trigger: String,
    /// The event's type.
    #[serde(rename = "type")]
    pub event_type: EventClass,
    /// Whether it happened, is planned, or is denied.
    pub status: EventStatus,
    /// ISO date at its granularity, `None` when the article does not say.
    pub date: Option<String>,
    /// How precise `date` is (`day`, `month`, `year`, …), when known.
    #[serde(default)]
    pub granularity: Option<String>,
    /// Who did it: canonical entity names (gold) or corpus entity ids
    /// (Marsad).
    #[serde(default)]
    pub actors: Vec<String>,
    /// Where it happened, in the same terms as `actors`.
    #[serde(default)]
    pub place: Option<String>,
}

/// Everything marked in one article.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotations {
    /// Entity mentions, in no required order.
    #[serde(default)]
    pub entities: Vec<EntityMark>,
    /// Quotations and reported statements.
    #[serde(default)]
    pub quotes: Vec<QuoteMark>,
    /// Events, one per occurrence per sentence.
    #[serde(default)]
    pub events: Vec<EventMark>,
}

/// One annotation file: the article's reference and its marks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleAnnotations {
    /// Gold id, as in [`ArticleRef::id`]; must match the file name.
    pub id: String,
    /// SaudiNewsNet day file, as in [`ArticleRef::file`].
    pub file: String,
    /// Position in that file, as in [`ArticleRef::index`].
    pub index: usize,
    /// The outlet, as in [`ArticleRef::source`].
    pub source: String,
    /// The half of the gold set, as in [`ArticleRef::split`].
    pub split: Split,
    /// The marks, stored at the top level of the JSON object.
    #[serde(flatten)]
    pub marks: Annotations,
}

/// A gold directory, loaded.
#[derive(Clone, Debug, Default)]
pub struct GoldSet {
    /// The directory it was loaded from.
    pub dir: PathBuf,
    /// Every article of `articles.tsv`, annotated or not.
    pub articles: Vec<ArticleRef>,
    /// The annotations present, by gold id.
    pub annotations: BTreeMap<String, Annotations>,
    /// The story sample with each article's story key.
    pub stories: Vec<(ArticleRef, String)>,
}

impl GoldSet {
    /// Loads `dir` (see the module docs). A missing `story-articles.tsv` or
    /// annotation file is not an error (the set is built in stages); a
    /// malformed one is, naming the file and line.
    pub fn load(dir: &Path) -> Result<GoldSet, EvalError> {
        let articles = read_table(&dir.join("articles.tsv"), 5)?.into_iter().map(|(r, _)| r).collect::<Vec<_>>();
        let mut annotations = BTreeMap::new();
        for article in &articles {
            let path = dir.join("annotations").join(format!("{}.json", article.id));
            if let Some(marks) = read_annotations(&path, &article.id)? {
                annotations.insert(article.id.clone(), marks);
            }
        }
        let story_path = dir.join("story-articles.tsv");
        let stories = if story_path.exists() {
            read_table(&story_path, 6)?.into_iter().filter_map(|(r, story)| story.map(|s| (r, s))).collect()
        } else {
            Vec::new()
        };
        Ok(GoldSet { dir: dir.to_path_buf(), articles, annotations, stories })
    }

    /// The annotated articles of `split`, with their marks, in id order.
    pub fn annotated(&self, split: SplitChoice) -> Vec<(&ArticleRef, &Annotations)> {
        self.articles
            .iter()
            .filter(|a| split.admits(a.split))
            .filter_map(|a| self.annotations.get(&a.id).map(|m| (a, m)))
            .collect()
    }

    /// The story articles of `split` with their story keys.
    pub fn story_articles(&self, split: SplitChoice) -> Vec<(&ArticleRef, &str)> {
        self.stories.iter().filter(|(a, _)| split.admits(a.split)).map(|(a, s)| (a, s.as_str())).collect()
    }
}

/// Reads the annotation file of `id` at `path`; `None` if there is none.
pub fn read_annotations(path: &Path, id: &str) -> Result<Option<Annotations>, EvalError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(EvalError::io(path, e)),
    };
    let file: ArticleAnnotations = serde_json::from_str(&text).map_err(|e| EvalError::Malformed {
        path: path.to_path_buf(),
        line: e.line(),
        reason: e.to_string(),
    })?;
    if file.id != id {
        return Err(EvalError::Malformed {
            path: path.to_path_buf(),
            line: 1,
            reason: format!("id {:?} does not match the file name ({id})", file.id),
        });
    }
    Ok(Some(file.marks))
}

/// Reads a gold TSV: `columns` tab-separated fields a line (the sixth, when
/// asked for, is returned apart), `#` lines are comments.
fn read_table(path: &Path, columns: usize) -> Result<Vec<(ArticleRef, Option<String>)>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::io(path, e))?;
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let bad = |reason: String| EvalError::Malformed { path: path.to_path_buf(), line: n + 1, reason };
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 5 || fields.len() > columns {
            return Err(bad(format!("{} fields, expected {columns}", fields.len())));
        }
        let index = fields[2].parse().map_err(|_| bad(format!("index {:?} is not a number", fields[2])))?;
        let split = fields[4].parse().map_err(bad)?;
        rows.push((
            ArticleRef {
                id: fields[0].to_string(),
                file: fields[1].to_string(),
                index,
                source: fields[3].to_string(),
                split,
            },
            fields.get(5).map(|s| s.to_string()).filter(|s| !s.is_empty()),
        ));
    }
    Ok(rows)
}

impl fmt::Display for MentionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
