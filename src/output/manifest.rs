//! `manifest.json`: how a study was run (versions, threads, command line,
//! host, timings). Everything that may differ between two runs of the same
//! study lives here, never in `summary.json`.

use serde::Serialize;

pub const SCHEMA: &str = "backchannel.manifest.v1";

#[derive(Debug, Clone, Serialize)]
pub struct ManifestScenario {
    /// As named on the command line (a path or an embedded name).
    pub spec: String,
    pub name: String,
    /// SHA-256 of the scenario text actually run (after `--set`).
    pub sha256: String,
    /// The `--set` arguments, in order.
    pub overrides: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub schema: &'static str,
    pub scenario: ManifestScenario,
    pub seed: u64,
    pub runs: u64,
    pub threads: usize,
    pub backchannel_version: &'static str,
    pub rustc_version: &'static str,
    pub target: &'static str,
    pub host: String,
    pub command_line: Vec<String>,
    /// Seconds since the Unix epoch when the study started.
    pub started_at_unix: u64,
    /// Simulation only, in seconds.
    pub simulate_seconds: f64,
    pub runs_per_second: f64,
    /// Drawing and writing `plots/` and `report.html`, in seconds (0 with
    /// `--no-plots`).
    pub plot_seconds: f64,
    /// From start-up to the last file written, in seconds.
    pub wall_seconds: f64,
    /// Files in the output directory.
    pub files: Vec<String>,
}

impl Manifest {
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a manifest always serialises");
        text.push('\n');
        text
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
