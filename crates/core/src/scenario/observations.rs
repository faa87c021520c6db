//! Observations files (`--given OBS.toml`): facts about a talks track by
//! round, to condition a forecast on what has actually happened. Each entry
//! says what was true at the end of its round:
//!
//! ```toml
//! [[observed]]
//! round = 3
//! channel = "active"              # active | suspended | broken | concluded
//! [[observed]]
//! round = 2
//! issue = "detainees"
//! status = "agreed"               # open | agreed | ratified | rejected
//! [[observed]]
//! round = 2
//! event = "shock:naval-incident"  # or "spoiler:<id>", "leak", "walkout:<party>"
//! happened = true                 # by the end of the round
//! ```
//!
//! Validated with the same care as scenarios: unknown keys with "did you
//! mean", ids checked against the scenario, rounds within its horizon, every
//! problem located and reported at once.

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml_edit::Document;

use super::keys::{KeyKind, LEAK};
use super::load::{MAX_FILE_BYTES, check_part, hex_sha256, located, syntax_diagnostic};
use super::locate::span_of;
use super::problem::{KeyPath, did_you_mean};
use super::read::read_text;
use super::types::Scenario;
use crate::error::{Diagnostic, Error, Result, SourceText};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ObservedChannel {
    Active,
    Suspended,
    Broken,
    Concluded,
}

/// An issue's observed status. `agreed` means an agreement was reached by
/// then, whatever became of it; `open`, that none was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ObservedStatus {
    Open,
    Agreed,
    Ratified,
    Rejected,
}

/// Something that may have happened by a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObservedEvent {
    Shock(usize),
    /// The spoiler made a move (activated), successful or not.
    Spoiler(usize),
    Leak,
    Walkout(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    Channel(ObservedChannel),
    Issue {
        issue: usize,
        status: ObservedStatus,
    },
    Event {
        event: ObservedEvent,
        happened: bool,
    },
}

/// One fact at the end of one round, with the words to show it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub round: u32,
    pub fact: Fact,
    /// e.g. `round 2: shock:naval-incident happened`.
    pub text: String,
}

/// A loaded observations file.
#[derive(Debug, Clone)]
pub struct Observations {
    pub path: String,
    pub sha256: String,
    /// The file's text, as read.
    pub text: String,
    pub items: Vec<Observation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    /// Any whole number, so that a round out of range (even negative) is a
    /// range problem of its entry and hides no other entry's.
    round: i64,
    channel: Option<ObservedChannel>,
    issue: Option<String>,
    status: Option<ObservedStatus>,
    event: Option<String>,
    happened: Option<bool>,
}

/// Read and check `path` against `scenario`.
pub fn load_observations(path: &str, scenario: &Scenario) -> Result<Observations> {
    let text = read_text(
        std::path::Path::new(path),
        "an observations file",
        MAX_FILE_BYTES,
    )?;
    parse_observations(path, &text, scenario)
}

/// Parse and check observations `text` (from `origin`) against `scenario`:
/// every problem of every entry in one pass (a wrong type does not hide a
/// round out of range, nor one entry's problem the next's).
pub fn parse_observations(origin: &str, text: &str, scenario: &Scenario) -> Result<Observations> {
    let source = SourceText {
        origin: origin.to_string(),
        text: text.into(),
    };
    let doc = Document::parse(text.to_string())
        .map_err(|e| Error::input(syntax_diagnostic(&e, &source)))?;
    let mut items = Vec::new();
    let mut problems = unknown_top_level(&doc, &source);
    let entries = observed_entries(&doc);
    for (index, entry) in entries.iter().enumerate() {
        let (type_problems, cleaned) = check_part::<Raw>(entry);
        // An unknown key is taken out and an unknown name stood in for by
        // a known one, which leaves the entry's facts to check; any other
        // type problem takes its key out, and then only the round can be.
        let facts_intact = type_problems.iter().all(|p| {
            p.message.starts_with("unknown field") || p.message.starts_with("unknown variant")
        });
        let spans: Vec<_> = type_problems
            .iter()
            .filter_map(|p| p.span.clone())
            .collect();
        for problem in type_problems {
            problems.push(located(&problem.message, problem.span, &doc, &source, &[]));
        }
        let Some(raw) = cleaned.and_then(|value| Raw::deserialize(value.into_deserializer()).ok())
        else {
            continue;
        };
        let found = if facts_intact {
            check(&raw, scenario).map(Some)
        } else {
            check_round(raw.round, scenario)
                .map(|_| None)
                .map_err(|problem| vec![problem])
        };
        let entry_problems = match found {
            Ok(item) => {
                items.extend(item);
                continue;
            }
            Err(entry_problems) => entry_problems,
        };
        for (key, message, help) in entry_problems {
            let key_path = KeyPath::default()
                .child("observed")
                .element(index, None)
                .child(key);
            let span = span_of(&doc, &key_path);
            if span.as_ref().is_some_and(|span| spans.contains(span)) {
                continue;
            }
            let mut d = Diagnostic::new(message).key(key_path.to_string());
            if let Some(help) = help {
                d = d.help(help);
            }
            problems.push(match span {
                Some(span) => d.at(&source, span),
                None => d.origin(origin),
            });
        }
    }
    if entries.is_empty() {
        problems.push(
            Diagnostic::new("no [[observed]] entries")
                .origin(origin)
                .help("add entries such as:\n[[observed]]\nround = 1\nchannel = \"active\""),
        );
    }
    if problems.is_empty() {
        for (index, message) in contradictions(&items) {
            let key_path = KeyPath::default()
                .child("observed")
                .element(index, None)
                .child("round");
            let d = Diagnostic::new(message)
                .key(key_path.to_string())
                .help("no run can show both: correct or remove one of the two entries");
            problems.push(match span_of(&doc, &key_path) {
                Some(span) => d.at(&source, span),
                None => d.origin(origin),
            });
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    Ok(Observations {
        path: origin.to_string(),
        sha256: hex_sha256(text.as_bytes()),
        text: text.to_string(),
        items,
    })
}

/// A top-level key other than `observed`, each as a problem.
fn unknown_top_level(doc: &Document<String>, source: &SourceText) -> Vec<Diagnostic> {
    let table = doc.as_table();
    table
        .iter()
        .filter(|(key, _)| *key != "observed")
        .map(|(key, item)| {
            let span = table
                .key(key)
                .and_then(|k| k.span())
                .or_else(|| item.span());
            let message = format!("unknown field `{key}`, expected `observed`");
            located(&message, span, doc, source, &[])
        })
        .collect()
}

/// Each `[[observed]]` entry (or each element of `observed = [...]`); any
/// other value of `observed` as one entry, whose type problem is then
/// reported.
fn observed_entries(doc: &Document<String>) -> Vec<toml_edit::Item> {
    match doc.as_table().get("observed") {
        None => Vec::new(),
        Some(toml_edit::Item::ArrayOfTables(array)) => array
            .iter()
            .map(|t| toml_edit::Item::Table(t.clone()))
            .collect(),
        Some(toml_edit::Item::Value(toml_edit::Value::Array(array))) => {
            array.iter().cloned().map(toml_edit::Item::Value).collect()
        }
        Some(other) => vec![other.clone()],
    }
}

type Problem = (&'static str, String, Option<String>);

/// Pairs of facts no run can show together, each as the index of the later
/// entry and a message naming both: a channel in two states at one round,
/// or out of `broken` or `concluded` (where a run stays); an issue open
/// after it was agreed, or both ratified and rejected; an event that did
/// not happen by a round after it had happened. Found by one pass over the
/// facts per subject, so a long file costs time linear in its entries.
pub fn contradictions(items: &[Observation]) -> Vec<(usize, String)> {
    use std::collections::HashMap;
    let mut found = Vec::new();
    let mut clash = |later: usize, earlier: usize, why: &str| {
        found.push((
            later,
            format!(
                "\"{}\" contradicts \"{}\": {why}",
                items[later].text, items[earlier].text
            ),
        ));
    };
    let mut channel_at: HashMap<u32, usize> = HashMap::new();
    let mut final_channel: Option<usize> = None;
    let mut issue_reached: HashMap<usize, usize> = HashMap::new();
    let mut issue_ended: HashMap<(usize, bool), usize> = HashMap::new();
    let mut happened_by: HashMap<ObservedEvent, usize> = HashMap::new();
    // By round, and within a round what has been reached before what has
    // not: each fact is checked against the earliest of the others.
    let not_yet = |fact: &Fact| {
        matches!(
            fact,
            Fact::Issue {
                status: ObservedStatus::Open,
                ..
            } | Fact::Event {
                happened: false,
                ..
            }
        )
    };
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| (items[i].round, not_yet(&items[i].fact)));
    for &i in &order {
        let round = items[i].round;
        match items[i].fact {
            Fact::Channel(state) => {
                if let Some(&j) = channel_at.get(&round)
                    && items[j].fact != items[i].fact
                {
                    clash(i, j, "a channel is in one state at the end of a round");
                }
                channel_at.entry(round).or_insert(i);
                if let Some(j) = final_channel
                    && items[j].round < round
                    && items[j].fact != items[i].fact
                {
                    clash(i, j, "a broken or concluded channel stays so");
                }
                if matches!(state, ObservedChannel::Broken | ObservedChannel::Concluded) {
                    final_channel.get_or_insert(i);
                }
            }
            Fact::Issue { issue, status } => match status {
                ObservedStatus::Open => {
                    if let Some(&j) = issue_reached.get(&issue) {
                        clash(
                            i,
                            j,
                            "`agreed` means an agreement was reached by then, and it stays reached",
                        );
                    }
                }
                reached => {
                    issue_reached.entry(issue).or_insert(i);
                    if reached != ObservedStatus::Agreed {
                        let ratified = reached == ObservedStatus::Ratified;
                        if let Some(&j) = issue_ended.get(&(issue, !ratified)) {
                            clash(i, j, "an issue is ratified or rejected, not both");
                        }
                        issue_ended.entry((issue, ratified)).or_insert(i);
                    }
                }
            },
            Fact::Event { event, happened } => {
                if happened {
                    happened_by.entry(event).or_insert(i);
                } else if let Some(&j) = happened_by.get(&event) {
                    clash(
                        i,
                        j,
                        "what happened by a round has happened by every later one",
                    );
                }
            }
        }
    }
    found.sort();
    found
}

/// `round` as a round of `scenario`: from 1 to its horizon.
fn check_round(round: i64, scenario: &Scenario) -> std::result::Result<u32, Problem> {
    let horizon = scenario.scenario.horizon;
    u32::try_from(round)
        .ok()
        .filter(|round| (1..=horizon).contains(round))
        .ok_or_else(|| {
            (
                "round",
                format!(
                    "expected a round from 1 to {horizon} (the scenario's horizon), found {round}"
                ),
                None,
            )
        })
}

/// An entry as an observation, or every problem it has (its round's and
/// its fact's).
fn check(raw: &Raw, scenario: &Scenario) -> std::result::Result<Observation, Vec<Problem>> {
    match (check_round(raw.round, scenario), check_fact(raw, scenario)) {
        (Ok(round), Ok((fact, words))) => Ok(Observation {
            round,
            fact,
            text: format!("round {round}: {words}"),
        }),
        (round, fact) => Err(round.err().into_iter().chain(fact.err()).collect()),
    }
}

/// The one fact an entry states, and its words (`channel active`).
fn check_fact(raw: &Raw, scenario: &Scenario) -> std::result::Result<(Fact, String), Problem> {
    let kinds = [
        raw.channel.is_some(),
        raw.issue.is_some() || raw.status.is_some(),
        raw.event.is_some() || raw.happened.is_some(),
    ];
    let one_of = "each [[observed]] states one fact: `channel`, or `issue` with `status`, or `event` with `happened`";
    if kinds.iter().filter(|&&k| k).count() != 1 {
        return Err((
            "round",
            "expected exactly one fact in this entry".into(),
            Some(one_of.into()),
        ));
    }
    if let Some(channel) = raw.channel {
        let words = format!("channel {}", format!("{channel:?}").to_lowercase());
        return Ok((Fact::Channel(channel), words));
    }
    if raw.issue.is_some() || raw.status.is_some() {
        let (Some(id), Some(status)) = (&raw.issue, raw.status) else {
            return Err((
                "issue",
                "an issue observation needs both `issue` and `status`".into(),
                Some(one_of.into()),
            ));
        };
        let ids: Vec<&str> = scenario.issues.iter().map(|i| i.id.as_str()).collect();
        let Some(issue) = ids.iter().position(|i| i == id) else {
            let help =
                did_you_mean(id, ids.iter().copied()).map(|c| format!("did you mean {c:?}?"));
            return Err((
                "issue",
                format!(
                    "{id:?} is not an issue of this scenario (issues: {})",
                    ids.join(", ")
                ),
                help,
            ));
        };
        let words = format!("{id} {}", format!("{status:?}").to_lowercase());
        return Ok((Fact::Issue { issue, status }, words));
    }
    let (Some(name), Some(happened)) = (&raw.event, raw.happened) else {
        return Err((
            "event",
            "an event observation needs both `event` and `happened`".into(),
            Some(one_of.into()),
        ));
    };
    let event = parse_event(name, scenario)?;
    let outcome = if happened {
        "happened"
    } else {
        "did not happen"
    };
    Ok((Fact::Event { event, happened }, format!("{name} {outcome}")))
}

/// Every fact one could observe at the end of `round`: each channel state,
/// each issue agreed, ratified or rejected, and each event having happened
/// by then. What `indicators` ranks.
pub fn observables(scenario: &Scenario, round: u32) -> Vec<Observation> {
    let mut out = Vec::new();
    for channel in [
        ObservedChannel::Active,
        ObservedChannel::Suspended,
        ObservedChannel::Broken,
        ObservedChannel::Concluded,
    ] {
        let text = format!(
            "round {round}: channel {}",
            format!("{channel:?}").to_lowercase()
        );
        out.push(Observation {
            round,
            fact: Fact::Channel(channel),
            text,
        });
    }
    for (issue, i) in scenario.issues.iter().enumerate() {
        for status in [
            ObservedStatus::Agreed,
            ObservedStatus::Ratified,
            ObservedStatus::Rejected,
        ] {
            let text = format!(
                "round {round}: {} {}",
                i.id,
                format!("{status:?}").to_lowercase()
            );
            out.push(Observation {
                round,
                fact: Fact::Issue { issue, status },
                text,
            });
        }
    }
    for name in event_names(scenario) {
        let event = parse_event(&name, scenario).expect("names come from the scenario");
        let text = format!("round {round}: {name} happened");
        out.push(Observation {
            round,
            fact: Fact::Event {
                event,
                happened: true,
            },
            text,
        });
    }
    out
}

/// Every event name the scenario allows, for messages and `indicators`.
pub fn event_names(scenario: &Scenario) -> Vec<String> {
    let shocks = scenario.shocks.iter().map(|s| KeyKind::Shock.key(&s.id));
    let spoilers = scenario
        .spoilers
        .iter()
        .map(|s| KeyKind::Spoiler.key(&s.id));
    let walkouts = scenario.parties.iter().map(|p| KeyKind::Walkout.key(&p.id));
    shocks
        .chain(spoilers)
        .chain(std::iter::once(LEAK.to_string()))
        .chain(walkouts)
        .collect()
}

fn parse_event(name: &str, scenario: &Scenario) -> std::result::Result<ObservedEvent, Problem> {
    let position = |ids: Vec<&str>, id: &str| ids.iter().position(|i| *i == id);
    let found = match KeyKind::parse(name) {
        Some((KeyKind::Shock, id)) => {
            position(scenario.shocks.iter().map(|s| s.id.as_str()).collect(), id)
                .map(ObservedEvent::Shock)
        }
        Some((KeyKind::Spoiler, id)) => position(
            scenario.spoilers.iter().map(|s| s.id.as_str()).collect(),
            id,
        )
        .map(ObservedEvent::Spoiler),
        Some((KeyKind::Walkout, id)) => {
            position(scenario.parties.iter().map(|p| p.id.as_str()).collect(), id)
                .map(ObservedEvent::Walkout)
        }
        None if name == LEAK => Some(ObservedEvent::Leak),
        None => None,
    };
    found.ok_or_else(|| {
        let names = event_names(scenario);
        let help = did_you_mean(name, names.iter().map(String::as_str))
            .map(|c| format!("did you mean {c:?}?"))
            .or_else(|| Some(format!("events of this scenario: {}", names.join(", "))));
        (
            "event",
            format!("{name:?} is not an event of this scenario"),
            help,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagship() -> Scenario {
        (*crate::scenario::load("muscat-2026", &[]).unwrap().scenario).clone()
    }

    #[test]
    fn parses_each_kind_of_fact() {
        let text = "[[observed]]\nround = 3\nchannel = \"active\"\n[[observed]]\nround = 2\nissue = \"detainees\"\nstatus = \"agreed\"\n[[observed]]\nround = 2\nevent = \"shock:naval-incident\"\nhappened = true\n";
        let obs = parse_observations("o.toml", text, &flagship()).unwrap();
        assert_eq!(obs.items.len(), 3);
        assert_eq!(obs.items[0].fact, Fact::Channel(ObservedChannel::Active));
        assert_eq!(
            obs.items[1].fact,
            Fact::Issue {
                issue: 0,
                status: ObservedStatus::Agreed
            }
        );
        assert_eq!(
            obs.items[2].fact,
            Fact::Event {
                event: ObservedEvent::Shock(0),
                happened: true
            }
        );
        assert_eq!(obs.items[2].text, "round 2: shock:naval-incident happened");
    }

    #[test]
    fn reports_every_problem_with_its_place() {
        let text = "[[observed]]\nround = 30\nchannel = \"active\"\n[[observed]]\nround = 2\nissue = \"detanees\"\nstatus = \"agreed\"\n[[observed]]\nround = 2\nevent = \"shock:naval\"\nhappened = true\n[[observed]]\nround = 1\nchannel = \"active\"\nevent = \"leak\"\nhappened = true\n";
        let Err(Error::Input(problems)) = parse_observations("o.toml", text, &flagship()) else {
            panic!()
        };
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].message.contains("from 1 to 12"));
        assert_eq!(
            problems[1].help.as_deref(),
            Some("did you mean \"detainees\"?")
        );
        assert_eq!(
            problems[1].line_column().map(|p| (p.line, p.column)),
            Some((6, 9))
        );
        assert!(
            problems[2]
                .help
                .as_deref()
                .unwrap()
                .contains("shock:naval-incident")
        );
        assert!(problems[3].message.contains("exactly one fact"));
    }

    /// The problems of observations `text` on the flagship, each as
    /// "LINE: MESSAGE".
    fn located(text: &str) -> Vec<String> {
        let Err(Error::Input(problems)) = parse_observations("o.toml", text, &flagship()) else {
            panic!("{text} was accepted")
        };
        problems
            .iter()
            .map(|p| format!("{}: {}", p.line_column().unwrap().line, p.message))
            .collect()
    }

    #[test]
    fn every_round_out_of_range_is_reported() {
        let text = "[[observed]]\nround = -1\nchannel = \"active\"\n[[observed]]\nround = 13\nchannel = \"active\"\n[[observed]]\nround = 0\nchannel = \"active\"\n";
        let found = located(text);
        assert_eq!(
            found,
            [
                "2: expected a round from 1 to 12 (the scenario's horizon), found -1",
                "5: expected a round from 1 to 12 (the scenario's horizon), found 13",
                "8: expected a round from 1 to 12 (the scenario's horizon), found 0",
            ]
        );
    }

    #[test]
    fn contradictory_facts_are_found_before_simulating() {
        let text = "[[observed]]\nround = 3\nchannel = \"broken\"\n[[observed]]\nround = 5\nchannel = \"active\"\n\
                    [[observed]]\nround = 2\nissue = \"detainees\"\nstatus = \"agreed\"\n[[observed]]\nround = 4\nissue = \"detainees\"\nstatus = \"open\"\n\
                    [[observed]]\nround = 2\nevent = \"leak\"\nhappened = true\n[[observed]]\nround = 2\nevent = \"leak\"\nhappened = false\n\
                    [[observed]]\nround = 6\nissue = \"nuclear\"\nstatus = \"ratified\"\n[[observed]]\nround = 7\nissue = \"nuclear\"\nstatus = \"rejected\"\n";
        let found = located(text);
        assert_eq!(
            found,
            [
                "5: \"round 5: channel active\" contradicts \"round 3: channel broken\": a broken or concluded channel stays so",
                "12: \"round 4: detainees open\" contradicts \"round 2: detainees agreed\": `agreed` means an agreement was reached by then, and it stays reached",
                "20: \"round 2: leak did not happen\" contradicts \"round 2: leak happened\": what happened by a round has happened by every later one",
                "28: \"round 7: nuclear rejected\" contradicts \"round 6: nuclear ratified\": an issue is ratified or rejected, not both",
            ]
        );
        let consistent = "[[observed]]\nround = 2\nissue = \"detainees\"\nstatus = \"open\"\n[[observed]]\nround = 3\nissue = \"detainees\"\nstatus = \"agreed\"\n[[observed]]\nround = 3\nissue = \"detainees\"\nstatus = \"ratified\"\n[[observed]]\nround = 3\nchannel = \"concluded\"\n[[observed]]\nround = 4\nchannel = \"concluded\"\n";
        assert!(parse_observations("o.toml", consistent, &flagship()).is_ok());
    }

    #[test]
    fn unknown_keys_get_did_you_mean() {
        let text = "[[observed]]\nround = 1\nchanel = \"active\"\n";
        let Err(Error::Input(problems)) = parse_observations("o.toml", text, &flagship()) else {
            panic!()
        };
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `channel`?"));
    }
}
