//! Leading indicators: for every fact observable at a round, how likely it
//! is and how much knowing it would move the headline outcomes. One pass
//! over the runs counts, for each observable, the runs where it holds and
//! where it holds together with each outcome — integers, so results are
//! identical for any thread count.

use std::convert::Infallible;
use std::ops::Range;
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use super::conditioning::{Checker, accept_in_order, report_or_stop_if_rare};
use super::metrics::{CHANNEL_CONTINUED, ESCALATION};
use super::runner::{Stopped, map_batches};
use super::streams::StudyStreams;
use super::worlds::Worlds;
use crate::model::{Channel, Deal, RunState, simulate};
use crate::scenario::observations::Observation;

/// The outcomes whose movement is measured.
pub const OUTCOMES: [&str; 4] = [
    CHANNEL_CONTINUED,
    "deal.partial",
    "deal.comprehensive",
    ESCALATION,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorCounts {
    pub runs: u64,
    /// Runs with each outcome.
    pub outcome: [u64; 4],
    /// Runs where each observable holds.
    pub holds: Vec<u64>,
    /// Runs where each observable holds and each outcome happens.
    pub joint: Vec<[u64; 4]>,
    /// The same counts in each world of judged inputs, for the intervals
    /// of runs clustered in worlds (docs/OUTPUTS.md, "Intervals"); empty
    /// without judged inputs.
    pub by_world: Vec<IndicatorCounts>,
}

impl IndicatorCounts {
    /// No run yet of `observables` observables, in `worlds`' worlds.
    pub fn new(observables: usize, worlds: &Worlds) -> IndicatorCounts {
        let mut counts = IndicatorCounts::without_worlds(observables);
        if worlds.is_uncertain() {
            counts.by_world = vec![counts.clone(); worlds.count()];
        }
        counts
    }

    /// No run yet of `observables` observables, counted without worlds.
    pub fn without_worlds(observables: usize) -> IndicatorCounts {
        IndicatorCounts {
            runs: 0,
            outcome: [0; 4],
            holds: vec![0; observables],
            joint: vec![[0; 4]; observables],
            by_world: Vec::new(),
        }
    }

    /// Count one run with outcomes `y` in which each observable `held` or
    /// not.
    fn add(&mut self, y: [bool; 4], held: &[bool]) {
        self.runs += 1;
        for (k, &happened) in y.iter().enumerate() {
            self.outcome[k] += u64::from(happened);
        }
        for (i, _) in held.iter().enumerate().filter(|(_, h)| **h) {
            self.holds[i] += 1;
            for (k, &happened) in y.iter().enumerate() {
                self.joint[i][k] += u64::from(happened);
            }
        }
    }

    /// Add each world's counts to the totals, which hold none yet.
    fn add_up_worlds(&mut self) {
        let worlds = std::mem::take(&mut self.by_world);
        for world in &worlds {
            self.merge(world);
        }
        self.by_world = worlds;
    }

    /// Add `other`'s counts (of the same observables, in the same worlds)
    /// to these.
    pub fn merge(&mut self, other: &IndicatorCounts) {
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
        for (mine, theirs) in self.by_world.iter_mut().zip(&other.by_world) {
            mine.merge(theirs);
        }
    }
}

/// Counts over the runs of `range` consistent with the first `given` of
/// `checks` (the observations so far); the rest are the observables. Also
/// returns which runs were consistent.
fn count_chunk(
    worlds: &Worlds,
    checks: &[Observation],
    given: usize,
    prototype: &StudyStreams,
    range: Range<u64>,
) -> (IndicatorCounts, Vec<u64>) {
    let mut streams = prototype.clone();
    let mut state = RunState::new(worlds.shape());
    let mut checker = Checker::new(worlds.shape(), checks);
    let mut counts = IndicatorCounts::new(checks.len() - given, worlds);
    let mut kept = Vec::new();
    for run in range {
        streams.start_run(run);
        checker.reset();
        simulate(worlds.model_of(run), &mut streams, &mut state, &mut checker);
        checker.finish(&state);
        if !checker.holds[..given].iter().all(|&h| h) {
            continue;
        }
        kept.push(run);
        // With worlds, a run is counted in its world only, and the totals
        // are the worlds' sums: one count a run either way.
        let (y, held) = (outcomes(&state), &checker.holds[given..]);
        match counts.by_world.get_mut(worlds.world_of(run)) {
            Some(world) => world.add(y, held),
            None => counts.add(y, held),
        }
    }
    counts.add_up_worlds();
    (counts, kept)
}

/// Count `observables` over `runs` runs of `model`: runs `0..runs`, or,
/// with observations `given`, the first `runs` runs consistent with them.
/// With `given`, returns also the runs tried; stops with
/// `Err(Callback((kept, tried)))` when acceptance is too low.
#[allow(clippy::too_many_arguments)]
pub fn count_indicators(
    worlds: &Worlds,
    observables: &[Observation],
    given: &[Observation],
    seed: u64,
    runs: u64,
    threads: usize,
    cancel: &AtomicBool,
    on_batch: impl FnMut(u64),
) -> Result<(IndicatorCounts, u64), Stopped<(u64, u64)>> {
    let prototype = StudyStreams::new(seed, &worlds.shape().streams.ids);
    let checks: Vec<Observation> = given.iter().chain(observables).cloned().collect();
    let chunk = |range| count_chunk(worlds, &checks, given.len(), &prototype, range);
    if given.is_empty() {
        let total = count_indicators_of(
            worlds,
            observables,
            seed,
            0..runs,
            threads,
            cancel,
            on_batch,
        )
        .map_err(|stop| match stop {
            Stopped::Cancelled => Stopped::Cancelled,
            Stopped::Pool(e) => Stopped::Pool(e),
            Stopped::Callback(never) => match never {},
        })?;
        return Ok((total, runs));
    }
    let mut total = IndicatorCounts::new(observables.len(), worlds);
    let tried = accept_in_order(
        runs,
        threads,
        cancel,
        chunk,
        |part: IndicatorCounts| total.merge(&part),
        report_or_stop_if_rare(on_batch, |kept, tried| (kept, tried)),
    )?;
    Ok((total, tried))
}

/// Count `observables` over the runs `runs` of `worlds` (every run, no
/// observations): a slice of a study's runs counts the same runs the
/// whole study does, so the slices' counts add up to the study's.
pub fn count_indicators_of(
    worlds: &Worlds,
    observables: &[Observation],
    seed: u64,
    runs: Range<u64>,
    threads: usize,
    cancel: &AtomicBool,
    mut on_batch: impl FnMut(u64),
) -> Result<IndicatorCounts, Stopped<Infallible>> {
    let prototype = StudyStreams::new(seed, &worlds.shape().streams.ids);
    let mut total = IndicatorCounts::new(observables.len(), worlds);
    map_batches(
        runs,
        threads,
        cancel,
        |range| count_chunk(worlds, observables, 0, &prototype, range).0,
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
