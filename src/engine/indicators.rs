//! Leading indicators: for every fact observable at a round, how likely it
//! is and how much knowing it would move the headline outcomes. One pass
//! over the runs counts, for each observable, the runs where it holds and
//! where it holds together with each outcome — integers, so results are
//! identical for any thread count.

use std::convert::Infallible;
use std::sync::atomic::AtomicBool;

use super::conditioning::Checker;
use super::runner::{Stopped, map_batches};
use super::streams::StudyStreams;
use crate::model::{Channel, Deal, Model, RunState, simulate};
use crate::scenario::observations::Observation;

/// The outcomes whose movement is measured.
pub const OUTCOMES: [&str; 4] = [
    "channel_continued",
    "deal.partial",
    "deal.comprehensive",
    "escalation",
];

fn outcomes(state: &RunState) -> [bool; 4] {
    [
        state.channel != Channel::Broken,
        state.deal() == Deal::Partial,
        state.deal() == Deal::Comprehensive,
        state.escalation,
    ]
}

/// Counts over runs for a list of observables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorCounts {
    pub runs: u64,
    /// Runs with each outcome.
    pub outcome: [u64; 4],
    /// Runs where each observable holds.
    pub holds: Vec<u64>,
    /// Runs where each observable holds and each outcome happens.
    pub joint: Vec<[u64; 4]>,
}

impl IndicatorCounts {
    fn new(observables: usize) -> IndicatorCounts {
        IndicatorCounts {
            runs: 0,
            outcome: [0; 4],
            holds: vec![0; observables],
            joint: vec![[0; 4]; observables],
        }
    }

    fn merge(&mut self, other: &IndicatorCounts) {
        self.runs += other.runs;
        for y in 0..4 {
            self.outcome[y] += other.outcome[y];
        }
        for i in 0..self.holds.len() {
            self.holds[i] += other.holds[i];
            for y in 0..4 {
                self.joint[i][y] += other.joint[i][y];
            }
        }
    }
}

/// Count `observables` over runs `0..runs` of `model`.
pub fn count_indicators(
    model: &Model,
    observables: &[Observation],
    seed: u64,
    runs: u64,
    threads: usize,
    cancel: &AtomicBool,
    mut on_batch: impl FnMut(u64),
) -> Result<IndicatorCounts, Stopped<Infallible>> {
    let prototype = StudyStreams::new(seed, &model.streams.ids);
    let mut total = IndicatorCounts::new(observables.len());
    map_batches(
        0..runs,
        threads,
        cancel,
        |range| {
            let mut streams = prototype.clone();
            let mut state = RunState::new(model);
            let mut checker = Checker::new(model, observables);
            let mut counts = IndicatorCounts::new(observables.len());
            for run in range {
                streams.start_run(run);
                checker.reset();
                simulate(model, &mut streams, &mut state, &mut checker);
                checker.finish(&state);
                let y = outcomes(&state);
                counts.runs += 1;
                for (k, &happened) in y.iter().enumerate() {
                    counts.outcome[k] += u64::from(happened);
                }
                for (i, &held) in checker.holds.iter().enumerate() {
                    if held {
                        counts.holds[i] += 1;
                        for (k, &happened) in y.iter().enumerate() {
                            counts.joint[i][k] += u64::from(happened);
                        }
                    }
                }
            }
            counts
        },
        |results: Vec<IndicatorCounts>| {
            for r in &results {
                total.merge(r);
            }
            on_batch(total.runs);
            Ok(())
        },
    )?;
    Ok(total)
}
