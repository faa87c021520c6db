//! Replay one run alone and say, round by round, what happened: each
//! event and each round's state as a sentence and as a JSON object, and the
//! run's outcome with the fields and spelling of its `runs.csv` row. The
//! replay draws exactly the numbers run K draws in any study with the same
//! seed; given observations, it replays the K-th run consistent with them,
//! found by the same conditional study `Study::given` runs.

use serde_json::{Map, Value, json};

use super::checks::{check_count, checked_worlds, threads_or_every_core};
use super::control::{Shared, option_setter, shared_setters, stopped};
use super::run::too_rare;
use super::scenario::{Observations, Scenario};
use crate::engine::conditioning::{ConditionStop, run_conditioned};
use crate::engine::runner::Stopped;
use crate::engine::{Cell, RunRecord, Worlds, run_one};
use crate::error::Result;
use crate::model::{Event, IssueStatus, Model, Observer, RunState};
use crate::scenario::keys::WORLD_COLUMN;
use crate::scenario::validate::MAX_RUNS;
use crate::stats::Drawn;

/// The replay of one run, built step by step and then [`run`]:
///
/// ```no_run
/// # use backchannel::{Scenario, Trace};
/// let scenario = Scenario::load("muscat-2026")?;
/// let trace = Trace::new(&scenario, 42).seed(7).run()?;
/// for line in trace.text_lines() {
///     println!("{line}");
/// }
/// # Ok::<(), backchannel::Error>(())
/// ```
///
/// Unset values come from the scenario (`[scenario] seed`) and 200 worlds
/// of the judged inputs, as in [`Study`](crate::Study): the run replayed is
/// the run of that index in a study with the same settings.
///
/// [`run`]: Trace::run
#[derive(Debug)]
pub struct Trace<'a> {
    scenario: &'a Scenario,
    run: u64,
    given: Option<&'a Observations>,
    shared: Shared<'a>,
}

impl<'a> Trace<'a> {
    shared_setters!('a);

    /// The replay of run `run` (from 0, as in `runs.csv`) of `scenario`;
    /// with [`Trace::given`], of the `run`-th run consistent with the
    /// observations.
    pub fn new(scenario: &'a Scenario, run: u64) -> Trace<'a> {
        Trace {
            scenario,
            run,
            given: None,
            shared: Shared::default(),
        }
    }

    option_setter! {
        /// Replay the `run`-th run (from 0) consistent with `observations`.
        /// `None`: the `run`-th run itself.
        given(observations: &'a Observations)
    }

    /// Replay the run.
    pub fn run(self) -> Result<RunTrace> {
        let loaded = &self.scenario.loaded;
        check_count("run", self.run, 0, MAX_RUNS - 1)?;
        let seed = self.shared.seed.unwrap_or(loaded.scenario.scenario.seed);
        let worlds = Worlds::draw(loaded, seed, checked_worlds(self.shared.worlds)?)?;
        let run = match self.given {
            Some(given) => self.nth_consistent(&worlds, given, seed)?,
            None => self.run,
        };
        let (world, model) = (worlds.world_of(run), worlds.model_of(run));
        let mut tracer = Tracer {
            model,
            lines: Vec::new(),
        };
        let state = run_one(model, seed, run, &mut tracer);
        let record = RunRecord::new(model, run, world, &state);
        Ok(RunTrace {
            scenario: loaded.scenario.scenario.name.clone(),
            run,
            seed,
            consistent: self.given.map(|given| Consistent {
                rank: self.run,
                observations: given.observations.path.clone(),
            }),
            world: worlds.is_uncertain().then(|| world_line(&worlds, world)),
            lines: tracer.lines,
            outcome: outcome_json(model, &record, &worlds),
            outcome_text: outcome_text(model, &record),
        })
    }

    /// The index of the `self.run`-th run (from 0) consistent with `given`:
    /// a conditional study of `self.run + 1` runs examines runs from index 0
    /// in order and stops at that run, so it tried exactly its index + 1.
    fn nth_consistent(&self, worlds: &Worlds, given: &Observations, seed: u64) -> Result<u64> {
        let items = &given.observations.items;
        let control = &self.shared.control;
        let conditioned = run_conditioned(
            worlds,
            items,
            seed,
            self.run + 1,
            threads_or_every_core(self.shared.threads)?,
            control.cancel_flag(),
            |found| control.progress(found),
        )
        .map_err(|stop| match stop {
            Stopped::Callback(ConditionStop::TooRare(counts)) => too_rare(&counts, items),
            other => stopped(other),
        })?;
        Ok(conditioned.tried - 1)
    }
}

/// One run, replayed: what [`Trace::run`] returns.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RunTrace {
    /// The scenario's name.
    pub scenario: String,
    /// The index of the run replayed.
    pub run: u64,
    /// The seed of the study it belongs to.
    pub seed: u64,
    /// With observations: which of the runs consistent with them this is.
    pub consistent: Option<Consistent>,
    /// With judged inputs: the run's world and its values
    /// (`World 17 of 200: spoilers.israel.capability = 0.71, ...`).
    pub world: Option<String>,
    /// Every event and every round's end, in order.
    pub lines: Vec<TraceLine>,
    /// The run's outcome: exactly the columns of its `runs.csv` row, then
    /// (with judged inputs) its world and the world's values.
    pub outcome: Value,
    /// The outcome in words.
    pub outcome_text: String,
}

/// Which consistent run a replay given observations is.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Consistent {
    /// Its rank among the runs consistent with the observations (from 0).
    pub rank: u64,
    /// Where the observations came from (a path, or the origin they were
    /// parsed under).
    pub observations: String,
}

/// An event, or the state at a round's end, in both forms.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TraceLine {
    /// The round it belongs to.
    pub round: u32,
    /// As JSON: `type` (`shock`, `offers`, ..., `state`), `round` and the
    /// event's fields (docs/OUTPUTS.md, "trace").
    pub json: Value,
    /// As an indented sentence.
    pub text: String,
}

impl RunTrace {
    /// The replay as text: the heading lines, each round's heading and
    /// sentences, then a blank line and the outcome.
    pub fn text_lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(c) = &self.consistent {
            out.push(format!(
                "Run {} is run {} of those consistent with {}.",
                self.run, c.rank, c.observations
            ));
        }
        out.push(format!(
            "{} — run {}, seed {}",
            self.scenario, self.run, self.seed
        ));
        out.extend(self.world.clone());
        let mut headed = 0;
        for line in &self.lines {
            if line.round > headed {
                out.push(format!("Round {}", line.round));
                headed = line.round;
            }
            out.push(line.text.clone());
        }
        // A blank line of its own: the command line escapes control
        // characters within a line, so a newline there would show as `\n`.
        out.extend([String::new(), self.outcome_text.clone()]);
        out
    }

    /// The replay as JSON Lines: one object per event and per round's end,
    /// the outcome last.
    pub fn json_lines(&self) -> Vec<String> {
        self.lines
            .iter()
            .map(|line| &line.json)
            .chain([&self.outcome])
            .map(Value::to_string)
            .collect()
    }
}

/// "World 17 of 200: spoilers.israel.capability = 0.71, ...": where a
/// run of a scenario with judged inputs took place.
fn world_line(worlds: &Worlds, world: usize) -> String {
    let values: Vec<String> = worlds
        .inputs
        .iter()
        .zip(&worlds.values[world])
        .map(|(input, value)| format!("{} = {value}", input.key))
        .collect();
    format!("World {world} of {}: {}", worlds.count(), values.join(", "))
}

/// "Outcome: deal ..., channel ...": the run's outcome in words.
fn outcome_text(model: &Model, record: &RunRecord) -> String {
    let cause = if record.cause.is_empty() {
        String::new()
    } else {
        format!(", broken by {}", record.cause)
    };
    let first = record
        .first_agreement_round
        .map_or("no agreement".to_string(), |t| {
            format!("first agreement in round {t}")
        });
    format!(
        "Outcome: deal {}, channel {}{cause}, escalation {}, {first}; issues: {}",
        record.deal,
        record.channel,
        record.escalation,
        model
            .issues
            .iter()
            .zip(&record.issues)
            .map(|(i, s)| format!("{} {s}", i.id))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The outcome line: exactly the columns of the run's `runs.csv` row.
/// With judged inputs, the run's world and its values follow, as in
/// `runs.csv`.
fn outcome_json(model: &Model, record: &RunRecord, worlds: &Worlds) -> Value {
    let mut object = Map::new();
    for (column, cell) in record.fixed_columns() {
        let value = match cell {
            Cell::Count(n) => json!(n),
            Cell::Text(text) => json!(text),
            Cell::Flag(flag) => json!(flag),
            Cell::Round(round) => json!(round),
        };
        object.insert(column.into(), value);
    }
    for (issue, status) in model.issues.iter().zip(&record.issues) {
        object.insert(issue.id.clone(), json!(status));
    }
    if worlds.is_uncertain() {
        object.insert(WORLD_COLUMN.into(), json!(record.world));
        for (input, value) in worlds.inputs.iter().zip(&worlds.values[record.world]) {
            let value = match value {
                Drawn::Number(x) => json!(x),
                Drawn::Integer(i) => json!(i),
                Drawn::Text(t) => json!(t),
            };
            object.insert(input.key.clone(), value);
        }
    }
    Value::Object(object)
}

/// A domestic event in words. An event's name is any noun phrase
/// ("US midterm elections", "Presidential election (Rouhani)"), so the
/// verb agrees with "event", never with the name; the threshold's shift is
/// rounded to three decimals like every other figure of the trace.
fn domestic_event_sentence(
    party: &str,
    name: &str,
    index: usize,
    fired: bool,
    threshold_shift: f64,
) -> String {
    let event = if name.is_empty() {
        format!("domestic event {index}")
    } else {
        format!("domestic event “{name}”")
    };
    if fired {
        format!("{party}: {event} happens, moving the threshold by {threshold_shift:+.3}")
    } else {
        format!("{party}: {event} does not happen")
    }
}

/// Records each event and each round's state as it happens.
struct Tracer<'a> {
    model: &'a Model,
    lines: Vec<TraceLine>,
}

impl Tracer<'_> {
    fn party(&self, i: usize) -> &str {
        &self.model.parties[i].id
    }

    fn issue(&self, j: usize) -> &str {
        &self.model.issues[j].id
    }

    /// The event as (type, JSON fields, sentence).
    fn describe(&self, event: &Event) -> (&'static str, Value, String) {
        let m = self.model;
        match *event {
            Event::Domestic {
                party,
                event,
                fired,
            } => {
                let e = &m.parties[party].events[event];
                let name = if e.name.is_empty() {
                    format!("event {event}")
                } else {
                    e.name.clone()
                };
                (
                    "domestic_event",
                    json!({"party": self.party(party), "event": name, "fired": fired}),
                    domestic_event_sentence(
                        self.party(party),
                        &e.name,
                        event,
                        fired,
                        e.threshold_shift,
                    ),
                )
            }
            Event::Shock { shock, effect } => {
                let effect = format!("{effect:?}").to_lowercase();
                (
                    "shock",
                    json!({"shock": m.shocks[shock].id, "effect": effect}),
                    format!("shock {} hits: {effect}", m.shocks[shock].id),
                )
            }
            Event::Spoiler {
                spoiler,
                action,
                success,
            } => (
                "spoiler",
                json!({"spoiler": m.spoilers[spoiler].id, "action": action.as_str(), "success": success}),
                format!(
                    "spoiler {} acts: {} ({})",
                    m.spoilers[spoiler].id,
                    action.as_str(),
                    if success { "succeeds" } else { "fails" }
                ),
            ),
            Event::Leak { forced } => (
                "leak",
                json!({"forced": forced}),
                format!(
                    "a leak{}: every threshold rises by its audience cost",
                    if forced { " (by a spoiler)" } else { "" }
                ),
            ),
            Event::Walkout { party, through } => (
                "walkout",
                json!({"party": self.party(party), "suspended_through": through}),
                format!(
                    "{} walks out: talks suspended through round {through}",
                    self.party(party)
                ),
            ),
            Event::Offers {
                issue,
                demands,
                gap,
            } => (
                "offers",
                json!({"issue": self.issue(issue), "demands": {self.party(0): demands[0], self.party(1): demands[1]}, "gap": gap}),
                format!(
                    "{}: {} demands {:.3}, {} demands {:.3}, gap {:+.3}",
                    self.issue(issue),
                    self.party(0),
                    demands[0],
                    self.party(1),
                    demands[1],
                    gap
                ),
            ),
            Event::Agreement {
                issue,
                shares,
                seal_round,
            } => (
                "agreement",
                json!({"issue": self.issue(issue), "shares": {self.party(0): shares[0], self.party(1): shares[1]}, "seal_round": seal_round}),
                format!(
                    "{} AGREED: shares {:.3} / {:.3}, sealed in round {seal_round}",
                    self.issue(issue),
                    shares[0],
                    shares[1]
                ),
            ),
            Event::Vote {
                issue,
                party,
                share,
                noise,
                hurdle,
                yes,
            } => (
                "vote",
                json!({"issue": self.issue(issue), "party": self.party(party), "share": share, "noise": noise, "hurdle": hurdle, "yes": yes}),
                format!(
                    "{} ratifiers on {}: share {:.3} + noise {:+.3} vs hurdle {:.3} → {}",
                    self.party(party),
                    self.issue(issue),
                    share,
                    noise,
                    hurdle,
                    if yes { "yes" } else { "no" }
                ),
            ),
            Event::Sealed { issue, ratified } => (
                "sealed",
                json!({"issue": self.issue(issue), "ratified": ratified}),
                format!(
                    "{} {}",
                    self.issue(issue),
                    if ratified { "RATIFIED" } else { "REJECTED" }
                ),
            ),
            Event::Contained { shock } => (
                "contained",
                json!({"shock": m.shocks[shock].id}),
                format!(
                    "the mediator kept the channel after {}: suspended, not broken",
                    m.shocks[shock].id
                ),
            ),
            Event::Revealed => (
                "revealed",
                json!({}),
                "the leak reveals the channel: hurdles whole again, outside spoilers provoked"
                    .into(),
            ),
            Event::Relapse => (
                "relapse",
                json!({}),
                "the deal reached with leverage relapses into crisis".into(),
            ),
        }
    }

    /// The state at a round's end as JSON.
    fn state_json(&self, state: &RunState) -> Value {
        let m = self.model;
        let issues: Map<String, Value> = m
            .issues
            .iter()
            .zip(&state.issues)
            .map(|(i, s)| (i.id.clone(), json!(s.status.as_str())))
            .collect();
        let per_party = |values: &[f64]| -> Map<String, Value> {
            m.parties
                .iter()
                .zip(values)
                .map(|(p, v)| (p.id.clone(), json!(v)))
                .collect()
        };
        json!({"round": state.round, "type": "state", "channel": state.channel.as_str(), "threshold": per_party(&state.threshold), "trust": per_party(&state.trust), "progress": state.progress, "issues": issues})
    }

    /// The state at a round's end as a sentence.
    fn state_text(&self, state: &RunState) -> String {
        let m = self.model;
        let per_party = |values: &[f64]| {
            m.parties
                .iter()
                .zip(values)
                .map(|(p, v)| format!("{} {v:.3}", p.id))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let open: Vec<&str> = m
            .issues
            .iter()
            .zip(&state.issues)
            .filter(|(_, s)| s.status != IssueStatus::Open)
            .map(|(i, _)| i.id.as_str())
            .collect();
        format!(
            "  → channel {} · thresholds {} · trust {} · progress {:.2}{}",
            state.channel.as_str(),
            per_party(&state.threshold),
            per_party(&state.trust),
            state.progress,
            if open.is_empty() {
                String::new()
            } else {
                format!(" · settled: {}", open.join(", "))
            }
        )
    }
}

impl Observer for Tracer<'_> {
    fn event(&mut self, round: u32, event: Event) {
        let (kind, mut json, sentence) = self.describe(&event);
        if let Value::Object(map) = &mut json {
            map.insert("round".into(), json!(round));
            map.insert("type".into(), json!(kind));
        }
        self.lines.push(TraceLine {
            round,
            json,
            text: format!("  {sentence}"),
        });
    }

    fn round_end(&mut self, state: &RunState) {
        self.lines.push(TraceLine {
            round: state.round,
            json: self.state_json(state),
            text: self.state_text(state),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::domestic_event_sentence;

    /// The sentence reads right whatever the name's number, and the shift
    /// is rounded for reading (the JSON line keeps the event's fields).
    #[test]
    fn a_domestic_event_reads_as_a_sentence_with_a_rounded_shift() {
        assert_eq!(
            domestic_event_sentence("us", "US midterm elections", 0, true, 0.15188840553841226),
            "us: domestic event “US midterm elections” happens, moving the threshold by +0.152"
        );
        assert_eq!(
            domestic_event_sentence("iran", "Presidential election (Rouhani)", 1, false, -0.2),
            "iran: domestic event “Presidential election (Rouhani)” does not happen"
        );
        assert_eq!(
            domestic_event_sentence("us", "", 2, true, -0.05),
            "us: domestic event 2 happens, moving the threshold by -0.050"
        );
    }
}
