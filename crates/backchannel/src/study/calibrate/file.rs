//! Calibration files (docs/CALIBRATION.md): the targets a calibration
//! holds the judged inputs to, each a scenario, an outcome and an
//! observation, and the sampler's settings. Read with the care given to
//! scenarios: bounded, every problem located and reported at once.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use schemars::JsonSchema;
use serde::Deserialize;
use toml_edit::Document;

use super::outcome::Outcome;
use super::{MAX_GENERATION_WORLDS, MAX_GENERATIONS, MAX_RUNS_PER_WORLD, MIN_WORLDS};
use crate::error::{Diagnostic, Error, Result, SourceText};
use crate::scenario::load::{hex_sha256, serde_diagnostic, syntax_diagnostic};
use crate::scenario::locate::span_of;
use crate::scenario::problem::KeyPath;
use crate::scenario::read::read_text;

/// Calibration files are written by hand: anything larger is a mistake.
pub const MAX_CALIBRATION_BYTES: u64 = 1024 * 1024;
/// The most targets a file may list: each is a study per generation.
pub const MAX_TARGETS: usize = 64;
/// The most trials a target may observe: its predictive interval is
/// computed exactly, over every count from 0 to the trials.
pub const MAX_TRIALS: u64 = 1_000_000;

/// A calibration file, read and checked (its scenarios are loaded by the
/// builder, which reports their problems).
#[derive(Debug, Clone)]
pub struct CalibrationFile {
    /// The path as given, or the origin of a text.
    pub path: String,
    /// Hex SHA-256 of the file's text.
    pub sha256: String,
    /// `[calibration]`: the sampler's settings as written (unset: defaults).
    pub settings: Settings,
    /// `[[targets]]`, in order.
    pub targets: Vec<TargetSpec>,
    /// The text, for locating problems found after reading it.
    pub(super) source: SourceText,
}

/// The sampler's settings a file may fix (docs/CALIBRATION.md).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The seed of every random stream.
    pub seed: Option<u64>,
    /// Worlds in each generation of the sampler.
    #[schemars(range(min = 20, max = 10_000))]
    pub worlds: Option<u64>,
    /// Runs of each target's scenario in each world.
    #[schemars(range(min = 1, max = 1_000_000))]
    pub runs_per_world: Option<u64>,
    /// The effective sample size the sampler stops at.
    #[schemars(range(min = 1, max = 10_000))]
    pub min_ess: Option<u64>,
    /// The most generations the sampler takes.
    #[schemars(range(min = 1, max = 50))]
    pub max_generations: Option<u64>,
}

/// One target: a scenario, an outcome of its runs, and how often the
/// outcome was observed.
#[derive(Debug, Clone)]
pub struct TargetSpec {
    /// How results name it.
    pub name: String,
    /// The scenario: a path (relative to the calibration file's folder,
    /// resolved here) or an embedded name.
    pub scenario: String,
    /// `KEY=VALUE` values set on the scenario (a value may be a
    /// distribution: a judged input of this target only, unless another
    /// target sets the same key to the same distribution).
    pub set: Vec<String>,
    /// Judged keys this target knows under another name, `KEY = "NAME"`:
    /// targets that rename a key to the same name share that unknown, and
    /// share none with targets that keep the key's own name.
    pub rename: BTreeMap<String, String>,
    /// What happens in a run that counts.
    pub outcome: Outcome,
    /// Trials in which it was observed.
    pub observed: u64,
    /// Trials observed.
    pub trials: u64,
    /// Where the target's `scenario` is written in the file.
    pub(super) span: Option<Range<usize>>,
}

/// A calibration file as written.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// The sampler's settings.
    #[serde(default)]
    calibration: Settings,
    /// The observations the judged inputs are held to.
    #[serde(default)]
    #[schemars(length(min = 1, max = 64))]
    targets: Vec<RawTarget>,
}

/// One target as written (docs/CALIBRATION.md, "[[targets]]").
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    /// How results name the target; unique in the file.
    name: String,
    /// A scenario file (relative to the calibration file) or an embedded name.
    scenario: String,
    /// `KEY=VALUE` values set on the scenario; a value may be a distribution.
    #[serde(default)]
    set: Vec<String>,
    /// Judged keys this target knows under another name: `{ "KEY" = "NAME" }`.
    #[serde(default)]
    rename: BTreeMap<String, String>,
    /// What a run counts as (docs/CALIBRATION.md, "Outcomes").
    outcome: String,
    /// Trials in which the outcome happened.
    #[schemars(range(min = 0, max = 1_000_000))]
    observed: i64,
    /// Trials observed.
    #[schemars(range(min = 1, max = 1_000_000))]
    trials: i64,
}

/// The calibration file format as a JSON Schema (draft 2020-12), ending in
/// a newline: `docs/calibration.schema.json`.
pub fn json_schema() -> String {
    let mut schema = schemars::schema_for!(RawFile);
    schema.insert("title".into(), "backchannel calibration".into());
    schema.insert(
        "description".into(),
        "Targets that hold the judged inputs of scenarios to observed frequencies (docs/CALIBRATION.md).".into(),
    );
    let mut schema = schema.to_value();
    let outcomes: Vec<&str> = super::outcome::OUTCOMES.iter().map(|o| o.key).collect();
    if let Some(outcome) = schema.pointer_mut("/$defs/RawTarget/properties/outcome") {
        outcome["enum"] = outcomes.into();
    }
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema always serialises");
    text.push('\n');
    text
}

impl CalibrationFile {
    /// Read and check the calibration file at `path`.
    pub fn load(path: &str) -> Result<CalibrationFile> {
        let text = read_text(Path::new(path), "a calibration file", MAX_CALIBRATION_BYTES)?;
        let folder = Path::new(path).parent().unwrap_or(Path::new(""));
        CalibrationFile::parse(path, &text, folder)
    }

    /// Check the calibration text `text`, named `origin` in messages;
    /// scenario paths are relative to `folder`.
    pub fn parse(origin: &str, text: &str, folder: &Path) -> Result<CalibrationFile> {
        let source = SourceText {
            origin: origin.to_string(),
            text: text.into(),
        };
        let doc = Document::parse(text.to_string())
            .map_err(|e| Error::input(syntax_diagnostic(&e, &source)))?;
        let raw: RawFile = toml::from_str(text)
            .map_err(|e| Error::input(serde_diagnostic(&e, &doc, &source, &[])))?;
        let located = |path: &KeyPath, d: Diagnostic| match span_of(&doc, path) {
            Some(span) => d.at(&source, span),
            None => d.origin(origin),
        };
        let mut problems = Vec::new();
        if raw.targets.is_empty() || raw.targets.len() > MAX_TARGETS {
            problems.push(
                Diagnostic::new(format!(
                    "expected 1 to {MAX_TARGETS} [[targets]], found {}",
                    raw.targets.len()
                ))
                .origin(origin)
                .help("each target is a scenario, an outcome and an observation; see docs/CALIBRATION.md"),
            );
        }
        problems.extend(
            settings_problems(&raw.calibration)
                .into_iter()
                .map(|(key, d)| located(&KeyPath::default().child("calibration").child(key), d)),
        );
        let mut targets = Vec::new();
        for (index, target) in raw.targets.into_iter().enumerate() {
            let at = KeyPath::default().child("targets").element(index, None);
            match check_target(target, folder) {
                Ok(mut spec) => {
                    spec.span = span_of(&doc, &at.child("scenario"));
                    if targets.iter().any(|t: &TargetSpec| t.name == spec.name) {
                        problems.push(located(
                            &at.child("name"),
                            Diagnostic::new(format!("target name {:?} is used twice", spec.name))
                                .key(format!("targets[{index}].name")),
                        ));
                    }
                    targets.push(spec);
                }
                Err(found) => problems.extend(found.into_iter().map(|(key, d)| {
                    located(&at.child(key), d.key(format!("targets[{index}].{key}")))
                })),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Input(problems));
        }
        Ok(CalibrationFile {
            path: origin.to_string(),
            sha256: hex_sha256(text.as_bytes()),
            settings: raw.calibration,
            targets,
            source,
        })
    }
}

/// Settings out of range, each with its key.
fn settings_problems(settings: &Settings) -> Vec<(&'static str, Diagnostic)> {
    let mut problems = Vec::new();
    let mut bound = |key: &'static str, value: Option<u64>, lo: u64, hi: u64| {
        if let Some(v) = value.filter(|v| !(lo..=hi).contains(v)) {
            problems.push((
                key,
                Diagnostic::new(format!("expected a number from {lo} to {hi}, found {v}"))
                    .key(format!("calibration.{key}")),
            ));
        }
    };
    bound("worlds", settings.worlds, MIN_WORLDS, MAX_GENERATION_WORLDS);
    bound(
        "runs_per_world",
        settings.runs_per_world,
        1,
        MAX_RUNS_PER_WORLD,
    );
    bound("min_ess", settings.min_ess, 1, MAX_GENERATION_WORLDS);
    bound(
        "max_generations",
        settings.max_generations,
        1,
        MAX_GENERATIONS,
    );
    problems
}

/// A target checked, or its problems, each with the key it is about.
fn check_target(
    raw: RawTarget,
    folder: &Path,
) -> std::result::Result<TargetSpec, Vec<(&'static str, Diagnostic)>> {
    let mut problems = Vec::new();
    let outcome = Outcome::parse(&raw.outcome).map_err(|d| problems.push(("outcome", d)));
    let count = |key: &'static str, value: i64, problems: &mut Vec<_>| -> u64 {
        if value < 0 || value as u64 > MAX_TRIALS {
            problems.push((
                key,
                Diagnostic::new(format!(
                    "expected a count from 0 to {MAX_TRIALS}, found {value}"
                )),
            ));
            return 0;
        }
        value as u64
    };
    let observed = count("observed", raw.observed, &mut problems);
    let trials = count("trials", raw.trials, &mut problems);
    if raw.trials == 0 {
        problems.push((
            "trials",
            Diagnostic::new("expected at least one trial, found 0"),
        ));
    }
    if raw.observed >= 0 && raw.trials >= 0 && observed > trials {
        problems.push((
            "observed",
            Diagnostic::new(format!(
                "observed {observed} successes in {trials} trials: more successes than trials"
            ))
            .help("`observed` counts the trials in which the outcome happened"),
        ));
    }
    if raw.name.trim().is_empty() {
        problems.push(("name", Diagnostic::new("a target needs a name")));
    }
    match (outcome, problems.is_empty()) {
        (Ok(outcome), true) => Ok(TargetSpec {
            name: raw.name,
            scenario: resolve(&raw.scenario, folder),
            set: raw.set,
            rename: raw.rename,
            outcome,
            observed,
            trials,
            span: None,
        }),
        _ => Err(problems),
    }
}

/// A scenario path relative to the calibration file's folder when a file
/// is there; otherwise as written (an embedded name, or a path the loader
/// will report missing).
fn resolve(scenario: &str, folder: &Path) -> String {
    let beside = folder.join(scenario);
    if Path::new(scenario).is_relative() && beside.is_file() {
        beside.to_string_lossy().into_owned()
    } else {
        scenario.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_schema_is_current() {
        let committed = include_str!("../../../../../docs/calibration.schema.json");
        assert!(
            committed == json_schema(),
            "docs/calibration.schema.json is stale: run `cargo run -- calibrate --schema > docs/calibration.schema.json`"
        );
    }
}
