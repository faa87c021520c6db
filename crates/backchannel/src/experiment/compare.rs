//! Paired comparison of scenarios under common random numbers: every
//! scenario plays run `i` with the same seed, so differences between them
//! come from the scenarios, not from luck. For each metric the engine keeps
//! integer sums of the per-run values and of the per-run differences to the
//! first scenario (and their squares); intervals of differences come from
//! those paired sums. Integer sums make `compare A A` exactly 0 and results
//! identical for any thread count.

use std::convert::Infallible;
use std::sync::atomic::AtomicBool;

use std::ops::Range;

use crate::engine::Worlds;
use crate::engine::conditioning::{Checker, accept_in_order, report_or_stop_if_rare};
use crate::engine::metrics::{BoundMetrics, Metric, metrics_of};
use crate::engine::runner::{Stopped, map_batches};
use crate::engine::streams::StudyStreams;
use crate::model::{Model, NoObserver, RunState, simulate};
use crate::scenario::observations::Observation;

/// Integer sums over runs, per scenario and metric. As a shard of a
/// comparison writes them (`partial.json`), the metrics are left out: the
/// scenarios name them again.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PairedTally {
    pub runs: u64,
    #[serde(skip)]
    pub metrics: Vec<Metric>,
    /// `sum[k][m]`: sum over runs of scenario `k`'s value of metric `m`.
    pub sum: Vec<Vec<i64>>,
    pub sum_squares: Vec<Vec<u64>>,
    /// `diff[k][m]`: sum over runs of (scenario k - scenario 0); row 0 is 0.
    pub diff: Vec<Vec<i64>>,
    pub diff_squares: Vec<Vec<u64>>,
    /// With judged inputs: the sums by world (run `i` in world `i mod W`),
    /// for intervals that count the worlds' spread; empty otherwise.
    pub worlds: Vec<WorldSums>,
}

/// One world's runs and its sums of values and of differences, indexed
/// like [`PairedTally::sum`] and [`PairedTally::diff`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WorldSums {
    pub runs: u64,
    pub sum: Vec<Vec<i64>>,
    pub diff: Vec<Vec<i64>>,
}

impl PairedTally {
    fn new(metrics: Vec<Metric>, scenarios: usize, worlds: usize) -> PairedTally {
        let zeros = vec![vec![0; metrics.len()]; scenarios];
        let zeros_u = vec![vec![0; metrics.len()]; scenarios];
        let by_world = WorldSums {
            runs: 0,
            sum: zeros.clone(),
            diff: zeros.clone(),
        };
        PairedTally {
            runs: 0,
            metrics,
            sum: zeros.clone(),
            sum_squares: zeros_u.clone(),
            diff: zeros,
            diff_squares: zeros_u,
            worlds: vec![by_world; worlds],
        }
    }

    /// Add `other`'s sums (same scenarios and metrics).
    pub fn merge(&mut self, other: &PairedTally) {
        self.runs += other.runs;
        for k in 0..self.sum.len() {
            for m in 0..self.metrics.len() {
                self.sum[k][m] += other.sum[k][m];
                self.sum_squares[k][m] += other.sum_squares[k][m];
                self.diff[k][m] += other.diff[k][m];
                self.diff_squares[k][m] += other.diff_squares[k][m];
            }
        }
        for (mine, theirs) in self.worlds.iter_mut().zip(&other.worlds) {
            mine.runs += theirs.runs;
            for k in 0..mine.sum.len() {
                for m in 0..mine.sum[k].len() {
                    mine.sum[k][m] += theirs.sum[k][m];
                    mine.diff[k][m] += theirs.diff[k][m];
                }
            }
        }
    }

    /// These sums plus `other`'s (same scenarios, metrics and worlds),
    /// or `None` if a sum would overflow (sums read from a file).
    pub fn checked_sum(&self, other: &PairedTally) -> Option<PairedTally> {
        fn add<T: Copy>(a: &[Vec<T>], b: &[Vec<T>], f: fn(T, T) -> Option<T>) -> Option<Vec<Vec<T>>> {
            a.iter()
                .zip(b)
                .map(|(x, y)| x.iter().zip(y).map(|(&x, &y)| f(x, y)).collect())
                .collect()
        }
        let worlds = self
            .worlds
            .iter()
            .zip(&other.worlds)
            .map(|(a, b)| {
                Some(WorldSums {
                    runs: a.runs.checked_add(b.runs)?,
                    sum: add(&a.sum, &b.sum, i64::checked_add)?,
                    diff: add(&a.diff, &b.diff, i64::checked_add)?,
                })
            })
            .collect::<Option<_>>()?;
        Some(PairedTally {
            runs: self.runs.checked_add(other.runs)?,
            metrics: self.metrics.clone(),
            sum: add(&self.sum, &other.sum, i64::checked_add)?,
            sum_squares: add(&self.sum_squares, &other.sum_squares, u64::checked_add)?,
            diff: add(&self.diff, &other.diff, i64::checked_add)?,
            diff_squares: add(&self.diff_squares, &other.diff_squares, u64::checked_add)?,
            worlds,
        })
    }

    fn record(&mut self, values: &[Vec<i64>], run: u64) {
        self.runs += 1;
        let count = self.worlds.len() as u64;
        let mut world = match count {
            0 => None,
            _ => self.worlds.get_mut((run % count) as usize),
        };
        if let Some(w) = world.as_mut() {
            w.runs += 1;
        }
        for (k, row) in values.iter().enumerate() {
            for (m, &x) in row.iter().enumerate() {
                let d = x - values[0][m];
                self.sum[k][m] += x;
                self.sum_squares[k][m] += x.unsigned_abs().pow(2);
                self.diff[k][m] += d;
                self.diff_squares[k][m] += d.unsigned_abs().pow(2);
                if let Some(w) = world.as_mut() {
                    w.sum[k][m] += x;
                    w.diff[k][m] += d;
                }
            }
        }
    }
}

/// What every pairing needs, bound once per comparison.
struct Pairing<'a> {
    studies: &'a [&'a Worlds],
    metrics: Vec<Metric>,
    bound: Vec<BoundMetrics>,
    prototypes: Vec<StudyStreams>,
    /// With `--given`: each scenario's observations (ids resolved per
    /// scenario); a run index is kept only if every scenario's run is
    /// consistent with them.
    given: Option<&'a [Vec<Observation>]>,
}

impl<'a> Pairing<'a> {
    fn new(
        studies: &'a [&'a Worlds],
        seed: u64,
        given: Option<&'a [Vec<Observation>]>,
    ) -> Pairing<'a> {
        let shapes: Vec<&Model> = studies.iter().map(|w| w.shape()).collect();
        let metrics = metrics_of(&shapes);
        Pairing {
            bound: shapes
                .iter()
                .map(|m| BoundMetrics::new(&metrics, m))
                .collect(),
            prototypes: shapes
                .iter()
                .map(|m| StudyStreams::new(seed, &m.streams.ids))
                .collect(),
            metrics,
            studies,
            given,
        }
    }

    fn empty(&self) -> PairedTally {
        // Runs pair across studies in world `i mod W`: the studies draw as
        // many worlds, or one has none.
        let worlds = self
            .studies
            .iter()
            .filter(|w| w.is_uncertain())
            .map(|w| w.count())
            .max()
            .unwrap_or(0);
        PairedTally::new(self.metrics.clone(), self.studies.len(), worlds)
    }

    /// Pair every run of `range`; the sums over the kept runs, and which.
    fn chunk(&self, range: Range<u64>) -> (PairedTally, Vec<u64>) {
        let studies = self.studies;
        let mut streams = self.prototypes.clone();
        let mut states: Vec<RunState> = studies.iter().map(|w| RunState::new(w.shape())).collect();
        let mut values = vec![vec![0i64; self.metrics.len()]; studies.len()];
        let mut tally = self.empty();
        let mut kept = Vec::new();
        for run in range {
            let mut consistent = true;
            for k in 0..studies.len() {
                let model = studies[k].model_of(run);
                streams[k].start_run(run);
                match self.given {
                    None => simulate(model, &mut streams[k], &mut states[k], &mut NoObserver),
                    Some(given) => {
                        let mut checker = Checker::new(model, &given[k]);
                        simulate(model, &mut streams[k], &mut states[k], &mut checker);
                        checker.finish(&states[k]);
                        consistent &= checker.all_hold();
                    }
                }
                self.bound[k].read(&states[k], &mut values[k]);
            }
            if consistent {
                tally.record(&values, run);
                kept.push(run);
            }
        }
        (tally, kept)
    }
}

/// The sums of no runs of `studies` on `seed`: what runs are added to.
pub fn no_runs(studies: &[&Worlds], seed: u64) -> PairedTally {
    Pairing::new(studies, seed, None).empty()
}

/// Run `runs` (from `first_run`) of every study with `seed`, pairing run
/// `i` of each (in each study's world `i mod W`, so worlds pair too); `on_batch(runs_done)` is called after each batch.
pub fn compare(
    studies: &[&Worlds],
    seed: u64,
    first_run: u64,
    runs: u64,
    threads: usize,
    cancel: &AtomicBool,
    mut on_batch: impl FnMut(u64),
) -> Result<PairedTally, Stopped<Infallible>> {
    let pairing = Pairing::new(studies, seed, None);
    let mut total = pairing.empty();
    map_batches(
        first_run..first_run + runs,
        threads,
        cancel,
        |range| pairing.chunk(range).0,
        |results: Vec<PairedTally>| {
            for result in &results {
                total.merge(result);
            }
            on_batch(total.runs);
            Ok::<(), Infallible>(())
        },
    )?;
    Ok(total)
}

/// Like [`compare`], keeping only run indices at which every scenario is
/// consistent with its observations, examined in index order until `wanted`
/// are kept. Returns the sums and the number of indices tried; stops with
/// `Err(Callback((kept, tried)))` when acceptance is too low.
pub fn compare_given(
    studies: &[&Worlds],
    given: &[Vec<Observation>],
    seed: u64,
    wanted: u64,
    threads: usize,
    cancel: &AtomicBool,
    on_batch: impl FnMut(u64),
) -> Result<(PairedTally, u64), Stopped<(u64, u64)>> {
    let pairing = Pairing::new(studies, seed, Some(given));
    let mut total = pairing.empty();
    let tried = accept_in_order(
        wanted,
        threads,
        cancel,
        |range| pairing.chunk(range),
        |part: PairedTally| total.merge(&part),
        report_or_stop_if_rare(on_batch, |kept, tried| (kept, tried)),
    )?;
    Ok((total, tried))
}
