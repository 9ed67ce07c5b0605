//! The closed vocabularies of events and relations: what kinds of events
//! the extractor reports and how it says two entities relate.
//!
//! Each is an enum, not a string, so a misspelt key cannot travel from a
//! lexicon to the store to the web UI unnoticed: the trigger lexicon is
//! parsed through [`EventType::from_key`] and a line with an unknown type
//! fails the build's tests (`every_trigger_line_has_a_known_type`), and
//! the Arabic labels the UI shows come from [`EventType::label`] and
//! [`RelationKind::label`] through the API (`/api/vocabulary`), not from a
//! copy in JavaScript. Keys serialize as the stable English words they
//! always were (`summit`, `nuclear_test`, `quoted_about`), so stored
//! analyses and API answers keep their shape.

use serde::{Deserialize, Serialize};

use crate::EntityType;

impl EntityType {
    /// The Arabic label of the type (شخص، منظمة، مكان، أخرى).
    pub fn label(self) -> &'static str {
        match self {
            EntityType::Person => "شخص",
            EntityType::Organization => "منظمة",
            EntityType::Place => "مكان",
            EntityType::Misc => "أخرى",
        }
    }

    /// The Arabic plural, for headings (أشخاص، منظمات، أماكن، أخرى).
    pub fn plural_label(self) -> &'static str {
        match self {
            EntityType::Person => "أشخاص",
            EntityType::Organization => "منظمات",
            EntityType::Place => "أماكن",
            EntityType::Misc => "أخرى",
        }
    }
}

/// What kind of event a sentence reports. See
/// `data/lexicon/event-triggers-ar.txt` for the words behind each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// قمة: a summit of leaders.
    Summit,
    /// زيارة: a visit.
    Visit,
    /// لقاء: a meeting.
    Meeting,
    /// محادثات: talks.
    Talks,
    /// اتفاق: an agreement signed or reached.
    Agreement,
    /// عقوبات: sanctions.
    Sanctions,
    /// قرار (numbered): a resolution.
    Resolution,
    /// تجربة نووية: a nuclear test.
    NuclearTest,
    /// تجربة صاروخية: a missile test.
    MissileTest,
    /// غزو: an invasion.
    Invasion,
    /// حرب: a war.
    War,
    /// انتخاب: an election.
    Election,
    /// هجوم: an attack.
    Attack,
    /// اعتراف: a recognition.
    Recognition,
    /// بيان: a statement.
    Statement,
    /// مناورات: a military exercise.
    Exercise,
    /// عملية عسكرية: a military operation.
    Military,
    /// ضبط: an arrest or seizure.
    Arrest,
    /// إجراء قضائي: a court ruling or legal step.
    Legal,
    /// حادث: an accident.
    Accident,
    /// كارثة: a disaster.
    Disaster,
    /// حدث صحي: a health event (an outbreak, cases).
    Health,
    /// احتجاج: a protest.
    Protest,
    /// تعيين: an appointment.
    Appointment,
    /// قرار: a decision.
    Decision,
    /// تدشين: a launch or inauguration.
    Launch,
    /// فعالية: a conference, forum or exhibition.
    Conference,
    /// صفقة: a business deal.
    Business,
    /// مباراة: a match.
    Sports,
    /// وفاة: a death.
    Death,
}

impl EventType {
    /// Every type, in the order the UI lists them.
    pub const ALL: [EventType; 30] = [
        EventType::Summit,
        EventType::Visit,
        EventType::Meeting,
        EventType::Talks,
        EventType::Agreement,
        EventType::Sanctions,
        EventType::Resolution,
        EventType::NuclearTest,
        EventType::MissileTest,
        EventType::Invasion,
        EventType::War,
        EventType::Election,
        EventType::Attack,
        EventType::Recognition,
        EventType::Statement,
        EventType::Exercise,
        EventType::Military,
        EventType::Arrest,
        EventType::Legal,
        EventType::Accident,
        EventType::Disaster,
        EventType::Health,
        EventType::Protest,
        EventType::Appointment,
        EventType::Decision,
        EventType::Launch,
        EventType::Conference,
        EventType::Business,
        EventType::Sports,
        EventType::Death,
    ];

    /// The stable English key (`summit`, `nuclear_test`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Summit => "summit",
            EventType::Visit => "visit",
            EventType::Meeting => "meeting",
            EventType::Talks => "talks",
            EventType::Agreement => "agreement",
            EventType::Sanctions => "sanctions",
            EventType::Resolution => "resolution",
            EventType::NuclearTest => "nuclear_test",
            EventType::MissileTest => "missile_test",
            EventType::Invasion => "invasion",
            EventType::War => "war",
            EventType::Election => "election",
            EventType::Attack => "attack",
            EventType::Recognition => "recognition",
            EventType::Statement => "statement",
            EventType::Exercise => "exercise",
            EventType::Military => "military",
            EventType::Arrest => "arrest",
            EventType::Legal => "legal",
            EventType::Accident => "accident",
            EventType::Disaster => "disaster",
            EventType::Health => "health",
            EventType::Protest => "protest",
            EventType::Appointment => "appointment",
            EventType::Decision => "decision",
            EventType::Launch => "launch",
            EventType::Conference => "conference",
            EventType::Business => "business",
            EventType::Sports => "sports",
            EventType::Death => "death",
        }
    }

    /// The type of a key, or `None` for a key no type has.
    pub fn from_key(key: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == key)
    }

    /// The Arabic noun naming the type, for titles and the UI.
    pub fn label(self) -> &'static str {
        match self {
            EventType::Summit => "قمة",
            EventType::Visit => "زيارة",
            EventType::Meeting => "لقاء",
            EventType::Talks => "محادثات",
            EventType::Agreement => "اتفاق",
            EventType::Sanctions => "عقوبات",
            EventType::Resolution => "قرار",
            EventType::NuclearTest => "تجربة نووية",
            EventType::MissileTest => "تجربة صاروخية",
            EventType::Invasion => "غزو",
            EventType::War => "حرب",
            EventType::Election => "انتخاب",
            EventType::Attack => "هجوم",
            EventType::Recognition => "اعتراف",
            EventType::Statement => "بيان",
            EventType::Exercise => "مناورات",
            EventType::Military => "عملية عسكرية",
            EventType::Arrest => "ضبط",
            EventType::Legal => "إجراء قضائي",
            EventType::Accident => "حادث",
            EventType::Disaster => "كارثة",
            EventType::Health => "حدث صحي",
            EventType::Protest => "احتجاج",
            EventType::Appointment => "تعيين",
            EventType::Decision => "قرار",
            EventType::Launch => "تدشين",
            EventType::Conference => "فعالية",
            EventType::Business => "صفقة",
            EventType::Sports => "مباراة",
            EventType::Death => "وفاة",
        }
    }

    /// The family of the type: summit, meeting, talks and visit are one
    /// occasion told in different words (`encounter`); every other type is
    /// its own family. Timeline entries merge within a family.
    pub fn family(self) -> &'static str {
        match self {
            EventType::Summit | EventType::Meeting | EventType::Talks | EventType::Visit => "encounter",
            other => other.as_str(),
        }
    }

    /// Which of two types a merged event shows: the more specific occasion
    /// first (summit, visit, talks, meeting), every other type after.
    pub fn rank(self) -> u8 {
        match self {
            EventType::Summit => 0,
            EventType::Visit => 1,
            EventType::Talks => 2,
            EventType::Meeting => 3,
            _ => 4,
        }
    }
}

/// Types order by their keys, as they did when they were strings: the
/// timeline's order (and the store's `ORDER BY type`) depends on it.
impl Ord for EventType {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for EventType {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// `event_type == "summit"`: a key compares equal to its type.
impl PartialEq<&str> for EventType {
    fn eq(&self, key: &&str) -> bool {
        self.as_str() == *key
    }
}

impl std::str::FromStr for EventType {
    type Err = String;

    fn from_str(s: &str) -> Result<EventType, String> {
        EventType::from_key(s).ok_or_else(|| format!("unknown event type {s:?}"))
    }
}

/// How the text says two entities relate (an edge kind of the actor graph).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// Two persons met (an encounter event, or a meeting verb).
    Met,
    /// A person visited a place.
    Visited,
    /// A speaker was quoted about someone or something.
    QuotedAbout,
    /// One party supplies another (weapons, goods).
    Supplies,
}

impl RelationKind {
    /// Every kind.
    pub const ALL: [RelationKind; 4] =
        [RelationKind::Met, RelationKind::Visited, RelationKind::QuotedAbout, RelationKind::Supplies];

    /// The stable English key (`met`, `quoted_about`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Met => "met",
            RelationKind::Visited => "visited",
            RelationKind::QuotedAbout => "quoted_about",
            RelationKind::Supplies => "supplies",
        }
    }

    /// The kind of a key, or `None`.
    pub fn from_key(key: &str) -> Option<RelationKind> {
        RelationKind::ALL.into_iter().find(|k| k.as_str() == key)
    }

    /// The Arabic label, for the UI.
    pub fn label(self) -> &'static str {
        match self {
            RelationKind::Met => "التقيا",
            RelationKind::Visited => "زيارة",
            RelationKind::QuotedAbout => "تصريح بشأن",
            RelationKind::Supplies => "إمداد",
        }
    }
}

/// Kinds order by their keys, as the graph lists them.
impl Ord for RelationKind {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for RelationKind {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for RelationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// `kind == "met"`: a key compares equal to its kind.
impl PartialEq<&str> for RelationKind {
    fn eq(&self, key: &&str) -> bool {
        self.as_str() == *key
    }
}

impl std::str::FromStr for RelationKind {
    type Err = String;

    fn from_str(s: &str) -> Result<RelationKind, String> {
        RelationKind::from_key(s).ok_or_else(|| format!("unknown relation kind {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::{EventType, RelationKind};

    #[test]
    fn keys_round_trip_and_serialize_as_keys() {
        for t in EventType::ALL {
            assert_eq!(EventType::from_key(t.as_str()), Some(t));
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{}\"", t.as_str()));
            assert!(!t.label().is_empty());
        }
        for k in RelationKind::ALL {
            assert_eq!(k.as_str().parse::<RelationKind>(), Ok(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.as_str()));
        }
        assert!("supplies".parse::<EventType>().is_err());
        assert_eq!(EventType::Visit.family(), EventType::Summit.family());
        assert_eq!(EventType::Arrest.family(), "arrest");
        assert!(EventType::Attack < EventType::Agreement.max(EventType::Business));
        assert!(EventType::Accident < EventType::Summit && RelationKind::Met < RelationKind::Supplies);
    }
}
