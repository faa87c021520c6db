//! Counting dated outcomes by world: how many runs of each world had an
//! agreement by round m, were not broken at m, and so on. The back-test
//! (docs/BACKTEST.md) reads its forecasts from these counts; the tally of a
//! study keeps only the headline counts by world.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use super::runner::{Stopped, map_batches};
use super::streams::StudyStreams;
use super::worlds::Worlds;
use crate::model::{IssueStatus, NoObserver, RunState, simulate};

/// An outcome of one run, judged at the end of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// The first agreement (on any issue) came by this round.
    AgreementBy(u32),
    /// An issue was ratified by this round.
    RatifiedBy(u32),
    /// The channel was not broken at the end of this round.
    AliveAt(u32),
    /// The run ended in escalation by this round.
    EscalationBy(u32),
}

impl Probe {
    /// Whether the finished run `state` shows this outcome.
    pub fn holds(self, state: &RunState) -> bool {
        let by = |round: Option<u32>, m: u32| round.is_some_and(|r| r <= m);
        match self {
            Probe::AgreementBy(m) => by(state.first_agreement_round, m),
            Probe::RatifiedBy(m) => state
                .issues
                .iter()
                .any(|i| i.status == IssueStatus::Ratified && i.seal_round <= m),
            Probe::AliveAt(m) => !by(state.broken_round, m),
            Probe::EscalationBy(m) => state.escalation && by(state.broken_round, m),
        }
    }
}

/// Integer counts: runs per world, and runs showing each probe per world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeCounts {
    /// Runs in each world.
    pub runs: Vec<u64>,
    /// `hits[k][w]`: runs of world `w` in which probe `k` held.
    pub hits: Vec<Vec<u64>>,
}

impl ProbeCounts {
    /// No runs counted yet, of `probes` probes in `worlds` worlds.
    pub fn new(probes: usize, worlds: usize) -> ProbeCounts {
        ProbeCounts {
            runs: vec![0; worlds],
            hits: vec![vec![0; worlds]; probes],
        }
    }

    /// Add `other`'s counts (of the same probes and worlds) to these.
    pub fn merge(&mut self, other: &ProbeCounts) {
        add(&mut self.runs, &other.runs);
        for (mine, theirs) in self.hits.iter_mut().zip(&other.hits) {
            add(mine, theirs);
        }
    }

    /// Runs over every world.
    pub fn total_runs(&self) -> u64 {
        self.runs.iter().sum()
    }

    /// Runs over every world in which probe `k` held.
    pub fn total_hits(&self, k: usize) -> u64 {
        self.hits[k].iter().sum()
    }
}

fn add(into: &mut [u64], from: &[u64]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}

/// Run the runs `runs` (a study's `0..R`, or a slice of them) with `seed`, each in its world, and count `probes`
/// by world. Integer counts merged in run-index order: the same for any
/// number of threads. `on_batch(runs_done)` after each batch.
pub fn count_probes(
    worlds: &Worlds,
    probes: &[Probe],
    seed: u64,
    runs: Range<u64>,
    threads: usize,
    cancel: &AtomicBool,
    mut on_batch: impl FnMut(u64),
) -> Result<ProbeCounts, Stopped<std::convert::Infallible>> {
    let prototype = StudyStreams::new(seed, &worlds.shape().streams.ids);
    let mut total = ProbeCounts::new(probes.len(), worlds.count());
    map_batches(
        runs,
        threads,
        cancel,
        |range| {
            let mut streams = prototype.clone();
            let mut state = RunState::new(worlds.shape());
            let mut counts = ProbeCounts::new(probes.len(), worlds.count());
            for run in range {
                if cancel.load(Ordering::Relaxed) {
                    break;
                }
                let world = worlds.world_of(run);
                streams.start_run(run);
                simulate(
                    worlds.model_of(run),
                    &mut streams,
                    &mut state,
                    &mut NoObserver,
                );
                counts.runs[world] += 1;
                for (k, probe) in probes.iter().enumerate() {
                    counts.hits[k][world] += u64::from(probe.holds(&state));
                }
            }
            counts
        },
        |batch| {
            for counts in batch {
                total.merge(&counts);
            }
            on_batch(total.total_runs());
            Ok(())
        },
    )?;
    Ok(total)
}
