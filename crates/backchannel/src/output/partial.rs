//! `partial.json`: what a shard writes — its integer counts, its slice, and
//! everything `merge` needs to check shards belong together and to rebuild
//! the study's summary without the scenario file (its full text is kept).

use serde::{Deserialize, Serialize};

use crate::engine::Tally;
use crate::engine::indicators::IndicatorCounts;
use crate::engine::outcomes::ProbeCounts;
use crate::engine::shard::Shard;
use crate::experiment::compare::PairedTally;
use crate::scenario::LoadedScenario;

pub const SCHEMA: &str = "backchannel.partial.v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialScenario {
    pub name: String,
    pub sha256: String,
    /// The scenario text as run (after `--set`).
    pub text: String,
    /// How the scenario was named on the command line (a path or an
    /// embedded name), so the merged report's reproduction command works.
    #[serde(default)]
    pub spec: Option<String>,
    /// The `--set` changes already applied to `text`, for the summary and
    /// the reproduction command.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slice {
    pub start: u64,
    pub end: u64,
}

/// A shard's partial result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    pub schema: String,
    pub scenario: PartialScenario,
    pub seed: u64,
    /// Runs of the whole study.
    pub runs: u64,
    pub shard: Shard,
    pub slice: Slice,
    pub tally: Tally,
}

impl Partial {
    pub fn to_json(&self) -> String {
        super::pretty_json(self)
    }
}

/// The schema of a shard of a design study (`sweep`, `sensitivity`).
pub const DESIGN_SCHEMA: &str = "backchannel.design-partial.v1";

/// What a design study is: everything that fixes its points and their runs,
/// so `merge` can lay the design out again and refuse shards of another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignStudy {
    /// `sweep` or `sensitivity`.
    pub command: String,
    /// The `--vary` arguments, as given.
    pub varies: Vec<String>,
    /// `sobol` or `oat` (sensitivity only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Base samples of the Saltelli design (Sobol' only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<u64>,
    /// `--worlds`, when set (otherwise the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worlds: Option<u64>,
    /// The design's points.
    pub points: u64,
    /// Runs at each point.
    pub runs_per_point: u64,
}

impl DesignStudy {
    /// The design's point-runs in all.
    pub fn point_runs(&self) -> u64 {
        self.points.saturating_mul(self.runs_per_point)
    }
}

/// The counts of runs `first_run .. first_run + tally.runs` at one point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointTally {
    pub point: u64,
    pub first_run: u64,
    pub tally: Tally,
}

/// A shard of a design study: a slice of its point-runs (point `p`'s run
/// `r` is number `p × runs_per_point + r`), counted point by point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignPartial {
    pub schema: String,
    pub study: DesignStudy,
    pub scenario: PartialScenario,
    pub seed: u64,
    pub shard: Shard,
    pub slice: Slice,
    /// The points the slice touches, in order.
    pub points: Vec<PointTally>,
}

impl DesignPartial {
    pub fn to_json(&self) -> String {
        super::pretty_json(self)
    }
}

/// The schema of a shard of a comparison (`compare`).
pub const COMPARE_SCHEMA: &str = "backchannel.compare-partial.v1";

/// A shard of a comparison: a slice of its run indices, which every
/// scenario runs (common random numbers), counted as the paired sums of
/// every scenario and of its differences to the first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparePartial {
    pub schema: String,
    /// The scenarios compared, the baseline first.
    pub scenarios: Vec<PartialScenario>,
    pub seed: u64,
    /// Paired runs of the whole comparison.
    pub runs: u64,
    /// Worlds drawn from the judged inputs of each scenario.
    pub worlds: u64,
    pub shard: Shard,
    pub slice: Slice,
    pub tally: PairedTally,
}

impl ComparePartial {
    pub fn to_json(&self) -> String {
        super::pretty_json(self)
    }
}

impl PartialScenario {
    /// `loaded`, as a shard keeps it.
    pub fn of(loaded: &LoadedScenario) -> PartialScenario {
        PartialScenario {
            name: loaded.scenario.scenario.name.clone(),
            sha256: loaded.sha256.clone(),
            text: loaded.source.text.to_string(),
            spec: Some(loaded.spec.clone()),
            overrides: loaded.overrides.clone(),
        }
    }
}

/// The schema of a shard of `indicators`.
pub const INDICATORS_SCHEMA: &str = "backchannel.indicators-partial.v1";

/// A shard of `indicators`: a slice of its run indices (run `i` in world
/// `i mod W`), counted for every observable of the round.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndicatorsPartial {
    pub schema: String,
    pub scenario: PartialScenario,
    /// The round whose observables are counted (`--at`).
    pub at: u32,
    pub seed: u64,
    /// Runs of the whole study.
    pub runs: u64,
    /// `--worlds`, when set (otherwise the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worlds: Option<u64>,
    pub shard: Shard,
    pub slice: Slice,
    pub counts: IndicatorCounts,
}

/// The schema of a shard of `discover`.
pub const DISCOVER_SCHEMA: &str = "backchannel.discover-partial.v1";

/// What a scenario discovery is besides its scenario and seed: everything
/// that fixes its worlds and runs, and the search `merge` runs over them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscoverStudy {
    /// `--outcome`.
    pub outcome: String,
    /// `--threshold`.
    pub threshold: f64,
    /// `--below`.
    pub below: bool,
    /// `--case`, as written (`p>=0.35`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// `--step`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// `--paste`.
    pub paste: bool,
    /// `--keep-all`.
    pub keep_all: bool,
    /// `--sampling` (`monte-carlo`, `latin`).
    pub sampling: String,
    /// The worlds searched.
    pub worlds: u64,
    /// `--worlds`, when set (otherwise the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worlds_set: Option<u64>,
    /// The runs over every world.
    pub runs: u64,
    /// `--runs`, when set (otherwise the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs_set: Option<u64>,
}

/// A shard of `discover`: a slice of the run indices over its worlds (run
/// `i` in world `i mod W`), counted by world.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DiscoverPartial {
    pub schema: String,
    pub study: DiscoverStudy,
    pub scenario: PartialScenario,
    pub seed: u64,
    pub shard: Shard,
    pub slice: Slice,
    pub tally: Tally,
}

/// The schema of a shard of `backtest`.
pub const BACKTEST_SCHEMA: &str = "backchannel.backtest-partial.v1";

/// What a back-test is besides its cases: what fixes their runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestStudy {
    /// The directory of cases, as named.
    pub directory: String,
    /// Runs of each case.
    pub runs_per_case: u64,
    /// `--seed`, when set (otherwise each case's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// `--worlds`, when set (otherwise the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worlds: Option<u64>,
}

/// A case of a back-test as a shard keeps it: its file and its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialCase {
    pub file: String,
    pub sha256: String,
    pub text: String,
}

/// The probes of case `case` counted over its runs `first_run ..
/// first_run + runs`, by world.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseCounts {
    pub case: u64,
    pub first_run: u64,
    pub counts: ProbeCounts,
}

/// A shard of `backtest`: a slice of its case-runs (case `c`'s run `r` is
/// number `c × runs_per_case + r`), counted case by case.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BacktestPartial {
    pub schema: String,
    pub study: BacktestStudy,
    /// Every case of the back-test, in order.
    pub cases: Vec<PartialCase>,
    pub shard: Shard,
    pub slice: Slice,
    /// The cases the slice touches, in order.
    pub counts: Vec<CaseCounts>,
}

macro_rules! partial_json {
    ($($partial:ident),*) => {$(
        impl $partial {
            pub fn to_json(&self) -> String {
                super::pretty_json(self)
            }
        }
    )*};
}

partial_json!(IndicatorsPartial, DiscoverPartial, BacktestPartial);
