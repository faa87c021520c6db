//! One run's outcome as a row: what `--save-runs` writes to `runs.csv` and
//! `trace --json` prints last (docs/OUTPUTS.md).

use crate::model::{Model, RunState};

/// The outcome of run `run`, with names spelled as in the outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    pub run: u64,
    pub deal: &'static str,
    pub channel: &'static str,
    /// `shock:<id>` / `spoiler:<id>`, empty when not broken.
    pub cause: String,
    pub escalation: bool,
    /// Breaking shocks the mediator contained.
    pub contained: u32,
    /// Whether a leak revealed the channel.
    pub revealed: bool,
    /// Whether a deal reached with leverage relapsed into crisis.
    pub relapse: bool,
    pub first_agreement_round: Option<u32>,
    /// Final status of every issue, in scenario order.
    pub issues: Vec<&'static str>,
}

impl RunRecord {
    pub fn new(model: &Model, run: u64, state: &RunState) -> RunRecord {
        RunRecord {
            run,
            deal: state.deal().as_str(),
            channel: state.channel.as_str(),
            cause: state.cause.map(|c| model.cause_name(c)).unwrap_or_default(),
            escalation: state.escalation,
            contained: state.contained,
            revealed: state.revealed,
            relapse: state.relapsed,
            first_agreement_round: state.first_agreement_round,
            issues: state.issues.iter().map(|i| i.status.as_str()).collect(),
        }
    }
}
