//! `manifest.json`: how a study was run (versions, threads, command line,
//! host, timings). Everything that may differ between two runs of the same
//! study lives here, never in `summary.json`.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::study_key::StudyKey;
use crate::engine::precision::PrecisionRecord;

pub const SCHEMA: &str = "backchannel.manifest.v1";
/// What every version of the manifest's schema starts with: how an output
/// directory is recognised as backchannel's own.
pub const SCHEMA_FAMILY: &str = "backchannel.manifest.";

/// A scenario as `manifest.json` records it.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ManifestScenario {
    /// As named on the command line (a path or an embedded name).
    pub spec: String,
    /// `[scenario] name`.
    pub name: String,
    /// SHA-256 of the scenario text actually run (after `--set`).
    pub sha256: String,
    /// The `--set` arguments, in order.
    pub overrides: Vec<String>,
}

/// How a study was run: `manifest.json` (docs/OUTPUTS.md).
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Manifest {
    /// The manifest's format and version.
    pub schema: &'static str,
    /// The scenario studied (the first, in a comparison).
    pub scenario: ManifestScenario,
    /// What the study is: whether a later command may replace these
    /// results (see `StudyKey`). Set when the directory is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub study: Option<StudyKey>,
    /// The seed of every random stream.
    pub seed: u64,
    /// Runs simulated.
    pub runs: u64,
    /// Worker threads (results do not depend on them).
    pub threads: usize,
    /// This crate's version.
    pub backchannel_version: &'static str,
    /// The compiler that built it.
    pub rustc_version: &'static str,
    /// The target triple it was built for.
    pub target: &'static str,
    /// The machine's name.
    pub host: String,
    /// The process's arguments, as given.
    pub command_line: Vec<String>,
    /// Seconds since the Unix epoch when the study started.
    pub started_at_unix: u64,
    /// Simulation only, in seconds.
    pub simulate_seconds: f64,
    /// Runs simulated per second of `simulate_seconds`.
    pub runs_per_second: f64,
    /// Drawing and writing `plots/` and `report.html`, in seconds (0 with
    /// `--no-plots`).
    pub plot_seconds: f64,
    /// From start-up to the last file written, in seconds.
    pub wall_seconds: f64,
    /// Files in the output directory.
    pub files: Vec<String>,
    /// The other scenarios of a comparison (the first is `scenario`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub compared: Vec<ManifestScenario>,
    /// `merge` only: the shard directories merged.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<String>,
    /// `merge --partial` only, when shards were missing: what was left out
    /// (as in `summary.json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial: Option<super::summary::PartialMerge>,
    /// Where a study run to a precision stopped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionRecord>,
}

impl Manifest {
    /// A manifest for a study that started at `started_at`, with this
    /// build's versions and this machine's name; timings and files are
    /// filled in as they come.
    pub(crate) fn start(
        scenario: ManifestScenario,
        seed: u64,
        runs: u64,
        threads: usize,
        started_at: SystemTime,
    ) -> Manifest {
        Manifest {
            schema: SCHEMA,
            scenario,
            study: None,
            seed,
            runs,
            threads,
            backchannel_version: env!("CARGO_PKG_VERSION"),
            rustc_version: RUSTC_VERSION,
            target: TARGET,
            host: host_name(),
            command_line: std::env::args().collect(),
            started_at_unix: started_at
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            simulate_seconds: 0.0,
            runs_per_second: 0.0,
            plot_seconds: 0.0,
            wall_seconds: 0.0,
            files: Vec::new(),
            compared: Vec::new(),
            merged_from: Vec::new(),
            partial: None,
            precision: None,
        }
    }

    /// Record the simulation time of `runs` runs.
    pub(crate) fn simulated(&mut self, runs: u64, seconds: f64) {
        self.runs = runs;
        self.simulate_seconds = seconds;
        self.runs_per_second = runs as f64 / seconds.max(1e-9);
    }

    /// `manifest.json`'s text.
    pub fn to_json(&self) -> String {
        super::pretty_json(self)
    }
}

/// The rustc that built this binary (recorded by `build.rs`).
pub const RUSTC_VERSION: &str = env!("BACKCHANNEL_RUSTC_VERSION");
/// The target triple this binary was built for.
pub const TARGET: &str = env!("BACKCHANNEL_TARGET");

/// This machine's host name, or "unknown".
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

impl From<&crate::scenario::LoadedScenario> for ManifestScenario {
    fn from(loaded: &crate::scenario::LoadedScenario) -> ManifestScenario {
        ManifestScenario {
            spec: loaded.spec.clone(),
            name: loaded.scenario.scenario.name.clone(),
            sha256: loaded.sha256.clone(),
            overrides: loaded.overrides.clone(),
        }
    }
}
