//! `partial.json`: what a shard writes — its integer counts, its slice, and
//! everything `merge` needs to check shards belong together and to rebuild
//! the study's summary without the scenario file (its full text is kept).

use serde::{Deserialize, Serialize};

use crate::engine::Tally;
use crate::engine::shard::Shard;

pub const SCHEMA: &str = "backchannel.partial.v1";

#[derive(Debug, Clone, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Slice {
    pub start: u64,
    pub end: u64,
}

/// A shard's partial result.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
