//! Human-facing names of metric keys: `deal.comprehensive` is "comprehensive
//! deal" (or "complete deal" when the scenario has no comprehensive issue),
//! `issues.nuclear.rejected` is "Nuclear limits rejected" with the
//! scenario's name for the issue, `walkout:us` "walkout by United States".
//! The keys themselves stay as they are in every machine-readable file.

use crate::scenario::keys::KeyKind;
use crate::scenario::observations::{Fact, ObservedEvent};
use crate::scenario::types::{Scenario, Scope};

/// The names a scenario gives its ids, and whether it has a comprehensive
/// issue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    /// Whether some issue has scope comprehensive (otherwise the deal level
    /// `comprehensive` is called "complete").
    pub comprehensive_issues: bool,
    issues: Vec<(String, String)>,
    parties: Vec<(String, String)>,
    shocks: Vec<(String, String)>,
    spoilers: Vec<(String, String)>,
}

fn pairs<'a>(
    items: impl Iterator<Item = (&'a String, &'a Option<String>)>,
) -> Vec<(String, String)> {
    items
        .map(|(id, name)| (id.clone(), name.clone().unwrap_or_else(|| id.clone())))
        .collect()
}

/// The name of `id`, if the scenario has it.
fn lookup_known<'a>(pairs: &'a [(String, String)], id: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == id).map(|(_, v)| v.as_str())
}

/// The name of `id`, or the id itself when the scenario has none.
fn lookup<'a>(pairs: &'a [(String, String)], id: &'a str) -> &'a str {
    lookup_known(pairs, id).unwrap_or(id)
}

impl Names {
    pub fn of(s: &Scenario) -> Names {
        Names {
            comprehensive_issues: s.issues.iter().any(|i| i.scope == Scope::Comprehensive),
            issues: pairs(s.issues.iter().map(|i| (&i.id, &i.name))),
            parties: pairs(s.parties.iter().map(|p| (&p.id, &p.name))),
            shocks: pairs(s.shocks.iter().map(|x| (&x.id, &x.name))),
            spoilers: pairs(s.spoilers.iter().map(|x| (&x.id, &x.name))),
        }
    }

    /// The scenario's name of issue `id` (the id when it has none, or is
    /// unknown).
    pub fn issue<'a>(&'a self, id: &'a str) -> &'a str {
        lookup(&self.issues, id)
    }

    /// A cause of a break (`shock:<id>`, `spoiler:<id>`) with what it is:
    /// "Israel (spoiler)"; the key itself when unknown.
    pub fn cause(&self, key: &str) -> String {
        let named = match KeyKind::parse(key) {
            Some((kind @ KeyKind::Shock, id)) => Some((kind, lookup_known(&self.shocks, id))),
            Some((kind @ KeyKind::Spoiler, id)) => Some((kind, lookup_known(&self.spoilers, id))),
            _ => None,
        };
        match named {
            Some((kind, Some(name))) => format!("{name} ({})", kind.prefix()),
            _ => key.to_string(),
        }
    }

    /// Names given directly, for tests of what uses them.
    #[cfg(test)]
    pub(crate) fn from_pairs(
        issues: &[(&str, &str)],
        shocks: &[(&str, &str)],
        spoilers: &[(&str, &str)],
    ) -> Names {
        let owned = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(id, name)| (id.to_string(), name.to_string()))
                .collect()
        };
        Names {
            comprehensive_issues: true,
            issues: owned(issues),
            parties: Vec::new(),
            shocks: owned(shocks),
            spoilers: owned(spoilers),
        }
    }

    /// An event name as in observations and indicators (`shock:<id>`,
    /// `spoiler:<id>`, `leak`, `walkout:<party>`), in words.
    pub fn event(&self, key: &str) -> String {
        match KeyKind::parse(key) {
            Some((KeyKind::Shock, id)) => lookup(&self.shocks, id).to_string(),
            Some((KeyKind::Spoiler, id)) => lookup(&self.spoilers, id).to_string(),
            Some((KeyKind::Walkout, id)) => format!("walkout by {}", lookup(&self.parties, id)),
            None => key.to_string(),
        }
    }

    /// An observable fact in words, without its round: "Channel broken",
    /// "Detainee framework agreed", "Regional strike happened", "A walkout
    /// by United States happened".
    pub fn observation(&self, fact: &Fact) -> String {
        capitalised(&self.observation_phrase(fact))
    }

    fn observation_phrase(&self, fact: &Fact) -> String {
        let by_index = |pairs: &[(String, String)], i: usize| {
            pairs
                .get(i)
                .map_or_else(String::new, |(_, name)| name.clone())
        };
        match fact {
            Fact::Channel(channel) => format!("channel {}", format!("{channel:?}").to_lowercase()),
            Fact::Issue { issue, status } => format!(
                "{} {}",
                by_index(&self.issues, *issue),
                format!("{status:?}").to_lowercase()
            ),
            Fact::Event { event, happened } => {
                let what = match event {
                    ObservedEvent::Shock(i) => by_index(&self.shocks, *i),
                    ObservedEvent::Spoiler(i) => {
                        format!("a move by {}", by_index(&self.spoilers, *i))
                    }
                    ObservedEvent::Leak => "a leak".into(),
                    ObservedEvent::Walkout(i) => {
                        format!("a walkout by {}", by_index(&self.parties, *i))
                    }
                };
                let verb = if *happened {
                    "happened"
                } else {
                    "did not happen"
                };
                format!("{what} {verb}")
            }
        }
    }

    /// The name of a metric key, as a phrase that reads after "P(": lower
    /// case except for the scenario's own names.
    pub fn phrase(&self, key: &str) -> String {
        match key {
            "channel_continued" => return "channel continued".into(),
            "escalation" => return "escalation".into(),
            "deal.comprehensive" if self.comprehensive_issues => {
                return "comprehensive deal".into();
            }
            "deal.comprehensive" => return "complete deal".into(),
            "deal.partial" => return "partial deal".into(),
            "deal.none" => return "no deal".into(),
            "walkouts_mean" => return "walkouts (mean)".into(),
            "leaks_mean" => return "leaks (mean)".into(),
            _ => {}
        }
        if let Some(state) = key.strip_prefix("channel.") {
            return format!("channel {state} at the end");
        }
        if let Some(cause) = key.strip_prefix("causes.") {
            return format!("broken by {}", self.event(cause));
        }
        if let Some(t) = key.strip_prefix("survival.") {
            return format!("channel not broken by round {t}");
        }
        if let Some(rest) = key.strip_prefix("issues.")
            && let Some((id, status)) = rest.rsplit_once('.')
        {
            return format!("{} {status}", lookup(&self.issues, id));
        }
        if key.contains(':') {
            return self.event(key);
        }
        key.to_string()
    }

    /// A judged input's key in words: `spoilers.israel.capability` is
    /// "Israel's capability", `shocks.naval-incident.hazard` "the hazard of
    /// Serious naval incident", `mediator.credibility` "the mediator's
    /// credibility"; an unknown shape is the key itself.
    pub fn input(&self, key: &str) -> String {
        let parts: Vec<&str> = key.split('.').collect();
        let rest = |from: usize| parts[from..].join(" ").replace('_', " ");
        let owner = match parts.as_slice() {
            ["spoilers", id, _, ..] => lookup_known(&self.spoilers, id),
            ["parties", id, _, ..] => lookup_known(&self.parties, id),
            ["issues", id, _, ..] => lookup_known(&self.issues, id),
            ["shocks", id, _, ..] => {
                return match lookup_known(&self.shocks, id) {
                    Some(name) => format!("the {} of {name}", rest(2)),
                    None => key.to_string(),
                };
            }
            ["mediator", _, ..] => return format!("the mediator's {}", rest(1)),
            _ => None,
        };
        match owner {
            Some(name) if name.ends_with('s') => format!("{name}' {}", rest(2)),
            Some(name) => format!("{name}'s {}", rest(2)),
            None => key.to_string(),
        }
    }

    /// The name of a metric key as a label: its phrase, capitalised.
    pub fn label(&self, key: &str) -> String {
        capitalised(&self.phrase(key))
    }

    /// `P(phrase)`, for a probability metric.
    pub fn probability(&self, key: &str) -> String {
        format!("P({})", self.phrase(key))
    }
}

fn capitalised(phrase: &str) -> String {
    let mut chars = phrase.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagship() -> Names {
        let loaded = crate::scenario::load::load("muscat-2026", &[]).expect("flagship");
        Names::of(&loaded.scenario)
    }

    #[test]
    fn metric_keys_read_as_words_with_the_scenarios_names() {
        let n = flagship();
        assert_eq!(n.label("deal.comprehensive"), "Comprehensive deal");
        assert_eq!(
            n.label("issues.nuclear.rejected"),
            "Nuclear limits rejected"
        );
        assert_eq!(n.label("walkout:us"), "Walkout by United States");
        assert_eq!(n.probability("channel_continued"), "P(channel continued)");
        assert_eq!(n.probability("deal.none"), "P(no deal)");
        assert_eq!(n.label("causes.spoiler:israel"), "Broken by Israel");
        assert_eq!(n.label("channel.broken"), "Channel broken at the end");
        assert_eq!(n.label("walkouts_mean"), "Walkouts (mean)");
    }

    #[test]
    fn observable_facts_read_as_words_with_the_scenarios_names() {
        use crate::scenario::observations::{ObservedChannel, ObservedStatus};
        let n = flagship();
        let loaded = crate::scenario::load::load("muscat-2026", &[]).expect("flagship");
        let us = loaded
            .scenario
            .parties
            .iter()
            .position(|p| p.id == "us")
            .unwrap();
        let nuclear = loaded
            .scenario
            .issues
            .iter()
            .position(|i| i.id == "nuclear")
            .unwrap();
        assert_eq!(
            n.observation(&Fact::Channel(ObservedChannel::Broken)),
            "Channel broken"
        );
        assert_eq!(
            n.observation(&Fact::Issue {
                issue: nuclear,
                status: ObservedStatus::Rejected
            }),
            "Nuclear limits rejected"
        );
        assert_eq!(
            n.observation(&Fact::Event {
                event: ObservedEvent::Walkout(us),
                happened: false
            }),
            "A walkout by United States did not happen"
        );
    }

    #[test]
    fn without_a_comprehensive_issue_the_concluding_deal_is_complete() {
        let mut n = flagship();
        n.comprehensive_issues = false;
        assert_eq!(n.label("deal.comprehensive"), "Complete deal");
    }

    #[test]
    fn unknown_ids_and_keys_are_shown_as_they_are() {
        let n = Names::default();
        assert_eq!(n.label("issues.x.agreed"), "X agreed");
        assert_eq!(n.phrase("walkout:us"), "walkout by us");
        assert_eq!(n.phrase("something_else"), "something_else");
    }
}
