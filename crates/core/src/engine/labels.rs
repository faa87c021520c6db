//! What the output needs to name a study's counts, taken from the compiled
//! model once: the ids of issues and spoilers in the order of the tally's
//! vectors, every possible cause of a break by its output name, and the
//! deal levels and channel states. Output files are written from these and
//! a [`Tally`], never from the model itself.

use super::Tally;
use super::metrics::Metric;
use super::tally::WorldTally;
/// The cause of a break, as [`Labels::cause_order`] lists them: what the
/// output keeps to find a cause's counts in a tally, by world too.
pub use crate::model::Cause;
use crate::model::{Channel, Deal, Model};
use crate::stats::spread::WorldCount;

/// The names of a study's counts.
#[derive(Debug, Clone)]
pub struct Labels {
    pub horizon: u32,
    /// Issue ids, in the order of the tally's per-issue counts.
    pub issues: Vec<String>,
    /// Whether some issue is comprehensive (else the concluding deal is
    /// every issue ratified).
    pub comprehensive_issues: bool,
    /// Spoiler ids, in the order of the tally's per-spoiler counts.
    pub spoilers: Vec<String>,
    /// Every possible cause of a break (`shock:<id>`, `spoiler:<id>`).
    causes: Vec<(String, Cause)>,
}

impl Labels {
    pub fn of(model: &Model) -> Labels {
        Labels {
            horizon: model.horizon,
            issues: model.issues.iter().map(|i| i.id.clone()).collect(),
            comprehensive_issues: model.issues.iter().any(|i| i.comprehensive),
            spoilers: model.spoilers.iter().map(|s| s.id.clone()).collect(),
            causes: model
                .possible_causes()
                .into_iter()
                .map(|cause| (model.cause_name(cause), cause))
                .collect(),
        }
    }

    /// Each possible cause's name and the runs it broke.
    pub fn causes<'a>(&'a self, tally: &'a Tally) -> impl Iterator<Item = (&'a str, u64)> {
        self.causes
            .iter()
            .map(|(name, cause)| (name.as_str(), tally.cause_count(*cause)))
    }

    /// Every possible cause, in the order of [`Labels::causes`].
    pub fn cause_order(&self) -> Vec<Cause> {
        self.causes.iter().map(|(_, cause)| *cause).collect()
    }

    /// Each cause's name and its breaks by round (`[0]` unused).
    pub fn causes_by_round<'a>(
        &'a self,
        tally: &'a Tally,
    ) -> impl Iterator<Item = (&'a str, &'a [u64])> {
        self.causes
            .iter()
            .map(|(name, cause)| (name.as_str(), tally.cause_by_round(*cause)))
    }

    /// The longest cause name (for size estimates).
    pub fn longest_cause(&self) -> usize {
        self.causes
            .iter()
            .map(|(name, _)| name.len())
            .max()
            .unwrap_or(0)
    }

    /// Each deal level's name and count.
    pub fn deals(tally: &Tally) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        Deal::ALL.iter().map(|d| d.as_str()).zip(tally.deal)
    }

    /// Each headline probability's counts by world, by metric
    /// ([`Metric::name`] is how `summary.csv` keys them:
    /// `channel_continued`, `escalation`, `deal.<level>`,
    /// `channel.<state>`); empty lists when no input is judged.
    pub fn headline_by_world(tally: &Tally) -> Vec<(Metric, Vec<WorldCount>)> {
        let by = |count: &dyn Fn(&WorldTally) -> u64| -> Vec<WorldCount> {
            tally
                .worlds
                .iter()
                .map(|w| WorldCount {
                    count: count(w),
                    runs: w.runs,
                })
                .collect()
        };
        let broken = Channel::ALL
            .iter()
            .position(|&c| c == Channel::Broken)
            .expect("every state is listed");
        let mut rows = vec![
            (
                Metric::ChannelContinued,
                by(&|w| w.runs - w.channel[broken]),
            ),
            (Metric::Escalation, by(&|w| w.escalation)),
        ];
        for (i, &deal) in Deal::ALL.iter().enumerate() {
            rows.push((Metric::Deal(deal), by(&|w| w.deal[i])));
        }
        for (i, &channel) in Channel::ALL.iter().enumerate() {
            rows.push((Metric::Channel(channel), by(&|w| w.channel[i])));
        }
        rows
    }

    /// Each final channel state's name and count.
    pub fn channels(tally: &Tally) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        Channel::ALL.iter().map(|c| c.as_str()).zip(tally.channel)
    }
}
