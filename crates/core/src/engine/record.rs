//! One run's outcome as a row: what `--save-runs` writes to `runs.csv` and
//! `trace --json` prints last (docs/OUTPUTS.md).

use std::fmt;

use crate::model::{Model, RunState};
use crate::scenario::keys::RUN_COLUMNS;

/// The outcome of run `run`, with names spelled as in the outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    pub run: u64,
    /// The world the run took place in (0 when no input is judged).
    pub world: usize,
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
    pub fn new(model: &Model, run: u64, world: usize, state: &RunState) -> RunRecord {
        RunRecord {
            run,
            world,
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

    /// The fixed columns of the row, named as in [`RUN_COLUMNS`] and in
    /// their order; the issues' statuses follow them.
    pub fn fixed_columns(&self) -> [(&'static str, Cell<'_>); 9] {
        let [
            run,
            deal,
            channel,
            cause,
            escalation,
            contained,
            revealed,
            relapse,
            first_agreement_round,
        ] = RUN_COLUMNS;
        [
            (run, Cell::Count(self.run)),
            (deal, Cell::Text(self.deal)),
            (channel, Cell::Text(self.channel)),
            (cause, Cell::Text(&self.cause)),
            (escalation, Cell::Flag(self.escalation)),
            (contained, Cell::Count(u64::from(self.contained))),
            (revealed, Cell::Flag(self.revealed)),
            (relapse, Cell::Flag(self.relapse)),
            (
                first_agreement_round,
                Cell::Round(self.first_agreement_round),
            ),
        ]
    }
}

/// One value of a row, typed so that `runs.csv` writes it as text and
/// `trace --json` as a JSON number, string, boolean or null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'a> {
    Count(u64),
    Text(&'a str),
    Flag(bool),
    /// A round, or none (an empty CSV field).
    Round(Option<u32>),
}

impl fmt::Display for Cell<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Cell::Count(n) => write!(f, "{n}"),
            Cell::Text(text) => f.write_str(text),
            Cell::Flag(flag) => write!(f, "{flag}"),
            Cell::Round(round) => round.map_or(Ok(()), |t| write!(f, "{t}")),
        }
    }
}
