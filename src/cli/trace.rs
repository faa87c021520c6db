//! `backchannel trace SCENARIO --run K`: replay one run alone and show,
//! round by round, what happened — as text, or as JSON Lines with `--json`
//! whose last line is the run's outcome with the fields and spelling of its
//! `runs.csv` row. The replay draws exactly the numbers run K draws in any
//! study with the same seed.

use std::io::Write;

use serde_json::{Map, Value, json};

use super::TraceArgs;
use super::common::{check_count, scenario_spec};
use crate::engine::Worlds;
use crate::engine::conditioning::{Checker, MIN_TRIED, too_rare};
use crate::engine::streams::StudyStreams;
use crate::engine::worlds::{DEFAULT_WORLDS, MAX_WORLDS};
use crate::engine::{Cell, RunRecord, run_one};
use crate::error::{Diagnostic, Error, Result};
use crate::model::{Event, IssueStatus, Model, Observer, RunState, simulate};
use crate::output::text::printable;
use crate::scenario::keys::WORLD_COLUMN;
use crate::scenario::load;
use crate::scenario::observations::{Observation, load_observations};
use crate::scenario::validate::MAX_RUNS;
use crate::stats::Drawn;

pub fn run(args: TraceArgs) -> Result<()> {
    let spec = scenario_spec(&args.scenario);
    let loaded = load(&spec, &args.set)?;
    check_count("--run", args.run, 0, MAX_RUNS - 1)?;
    let seed = args.seed.unwrap_or(loaded.scenario.scenario.seed);
    let worlds_count = args.worlds.unwrap_or(DEFAULT_WORLDS);
    check_count("--worlds", worlds_count, 2, MAX_WORLDS)?;
    let worlds = Worlds::draw(&loaded, seed, worlds_count)?;
    let run = match &args.given {
        Some(path) => {
            let given = load_observations(path, &loaded.scenario)?.items;
            let index = nth_consistent(&worlds, &given, seed, args.run)?;
            if !args.json {
                println!(
                    "Run {index} is run {} of those consistent with {path}.",
                    args.run
                );
            }
            index
        }
        None => args.run,
    };
    let (world, model) = (worlds.world_of(run), worlds.model_of(run));
    let mut tracer = Tracer {
        model,
        json: args.json,
        lines: Vec::new(),
        headed: 0,
    };
    if !args.json {
        println!("{} — run {run}, seed {seed}", loaded.scenario.scenario.name);
    }
    if !args.json && worlds.is_uncertain() {
        println!("{}", world_line(&worlds, world));
    }
    let state = run_one(model, seed, run, &mut tracer);
    let record = RunRecord::new(model, run, world, &state);
    let mut out = std::io::stdout().lock();
    let mut emit = |line: String| {
        // Names come from the scenario: no control character reaches the terminal.
        writeln!(out, "{}", printable(&line))
            .map_err(|e| Error::failure(format!("cannot write the trace: {e}")))
    };
    for line in tracer.lines {
        emit(line)?;
    }
    if args.json {
        emit(outcome_json(model, &record, &worlds).to_string())?;
    } else {
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
        emit(format!(
            "\nOutcome: deal {}, channel {}{cause}, escalation {}, {first}; issues: {}",
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
        ))?;
    }
    Ok(())
}

/// The index of the `k`-th run (from 0) consistent with `given`.
fn nth_consistent(worlds: &Worlds, given: &[Observation], seed: u64, k: u64) -> Result<u64> {
    let mut streams = StudyStreams::new(seed, &worlds.shape().streams.ids);
    let mut state = RunState::new(worlds.shape());
    let mut checker = Checker::new(worlds.shape(), given);
    let mut found = 0;
    for run in 0..MAX_RUNS {
        streams.start_run(run);
        checker.reset();
        simulate(worlds.model_of(run), &mut streams, &mut state, &mut checker);
        checker.finish(&state);
        if checker.all_hold() {
            if found == k {
                return Ok(run);
            }
            found += 1;
        }
        let tried = run + 1;
        if tried >= MIN_TRIED && too_rare(found, tried) {
            return Err(Error::input(
                Diagnostic::new(format!("only {found} of {tried} runs are consistent with the observations"))
                    .key("--given")
                    .help("`run --given` with the same file names the observation the model did not expect"),
            ));
        }
    }
    Err(Error::input(
        Diagnostic::new("no consistent run found").key("--given"),
    ))
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

/// Writes each event and each round's state as it happens.
struct Tracer<'a> {
    model: &'a Model,
    json: bool,
    lines: Vec<String>,
    /// The last round whose heading was written (text only).
    headed: u32,
}

impl Tracer<'_> {
    /// Write "Round t" once, before the round's first line.
    fn heading(&mut self, round: u32) {
        if !self.json && round > self.headed {
            self.lines.push(format!("Round {round}"));
            self.headed = round;
        }
    }

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
                let verb = if fired {
                    format!("happens: threshold {:+}", e.threshold_shift)
                } else {
                    "does not happen".into()
                };
                (
                    "domestic_event",
                    json!({"party": self.party(party), "event": name, "fired": fired}),
                    format!("{}: {name} {verb}", self.party(party)),
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
}

impl Observer for Tracer<'_> {
    fn event(&mut self, round: u32, event: Event) {
        self.heading(round);
        let (kind, mut fields, sentence) = self.describe(&event);
        if self.json {
            if let Value::Object(map) = &mut fields {
                map.insert("round".into(), json!(round));
                map.insert("type".into(), json!(kind));
            }
            self.lines.push(fields.to_string());
        } else {
            self.lines.push(format!("  {sentence}"));
        }
    }

    fn round_end(&mut self, state: &RunState) {
        self.heading(state.round);
        let m = self.model;
        if self.json {
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
            self.lines.push(
                json!({"round": state.round, "type": "state", "channel": state.channel.as_str(), "threshold": per_party(&state.threshold), "trust": per_party(&state.trust), "progress": state.progress, "issues": issues})
                    .to_string(),
            );
            return;
        }
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
        let summary = format!(
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
        );
        self.lines.push(summary);
    }
}
