//! Running a study: run indices are cut into fixed chunks, chunks are run on
//! a rayon pool in ordered batches, and each batch's integer tallies are
//! merged. Between batches the caller sees progress and, with records on,
//! the batch's runs in index order.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::counter::Counter;
use super::record::RunRecord;
use super::streams::StudyStreams;
use super::tally::Tally;
use super::worlds::Worlds;
use crate::model::{Model, NoObserver, Observer, RunState, simulate};

/// Runs per chunk: large enough to amortise setup, small enough to balance.
const CHUNK_RUNS: u64 = 2048;
/// Chunks per thread in one batch: how often progress is reported.
const CHUNKS_PER_THREAD: u64 = 8;

/// What to run.
#[derive(Debug, Clone)]
pub struct StudyOptions {
    pub seed: u64,
    /// Run indices `first_run .. first_run + runs`.
    pub first_run: u64,
    pub runs: u64,
    pub threads: usize,
    /// Hand every run's record to the batch callback (`--save-runs`).
    pub keep_records: bool,
}

impl StudyOptions {
    /// Runs `0..runs` of a study with `seed` on `threads`, keeping no
    /// per-run records.
    pub fn new(seed: u64, runs: u64, threads: usize) -> StudyOptions {
        StudyOptions {
            seed,
            first_run: 0,
            runs,
            threads,
            keep_records: false,
        }
    }
}

/// Why a study stopped early.
#[derive(Debug)]
pub enum Stopped<E> {
    /// The cancel flag was raised (Ctrl-C).
    Cancelled,
    /// The batch callback failed (e.g. writing `runs.csv`).
    Callback(E),
    /// The thread pool could not be built.
    Pool(String),
}

/// What runs of a study count: their counts and, with records on, each
/// run's record in run order.
struct ChunkResult {
    counted: Counter,
    records: Vec<RunRecord>,
}

impl ChunkResult {
    fn empty(worlds: &Worlds) -> ChunkResult {
        ChunkResult {
            counted: Counter::new(worlds),
            records: Vec::new(),
        }
    }

    /// These runs followed by `later`'s.
    fn then(mut self, later: ChunkResult) -> ChunkResult {
        self.counted.merge(&later.counted);
        self.records.extend(later.records);
        self
    }
}

/// Run the study, each run in its world. `on_batch(runs_done, records)` is
/// called after each batch, in order; `cancel` is checked between runs.
pub fn run_study<E>(
    worlds: &Worlds,
    options: &StudyOptions,
    cancel: &AtomicBool,
    mut on_batch: impl FnMut(u64, &[RunRecord]) -> Result<(), E>,
) -> Result<Tally, Stopped<E>> {
    let prototype = StudyStreams::new(options.seed, &worlds.shape().streams.ids);
    let mut total = Counter::new(worlds);
    // Each thread counts its chunks of a batch into one counter (a fold),
    // and the few counters are added in run order: a tally per chunk, each
    // added on this thread while the pool waited, cost the flagship and its
    // 200 worlds about 5 % of its speed (docs/PERFORMANCE.md).
    for_each_batch(
        chunks(options.first_run..options.first_run + options.runs),
        options.threads,
        cancel,
        |pool, batch| {
            pool.install(|| {
                batch
                    .into_par_iter()
                    .fold(
                        || ChunkResult::empty(worlds),
                        |counted, range| {
                            run_chunk(
                                worlds,
                                &prototype,
                                range,
                                options.keep_records,
                                cancel,
                                counted,
                            )
                        },
                    )
                    // No identity: a batch is never empty, and one would be
                    // one more counter of zeros to make and add per thread.
                    .reduce_with(ChunkResult::then)
                    .unwrap_or_else(|| ChunkResult::empty(worlds))
            })
        },
        |counted: ChunkResult| {
            total.merge(&counted.counted);
            on_batch(total.runs(), &counted.records)
        },
    )?;
    Ok(total.into_tally())
}

/// Run `runs` runs of each of `studies` with the same seed and run indices
/// (common random numbers): their tallies, in the studies' order. The
/// chunks of every study share one pool, so a design of many small studies
/// (a sweep, a Sobol' design) keeps every thread busy even when one study
/// is a single chunk. `on_batch(runs_done)` counts runs over all studies;
/// the studies' chunks are taken in order, so the first `runs_done / runs`
/// studies are finished.
pub fn run_studies<E>(
    studies: &[Worlds],
    options: &StudyOptions,
    cancel: &AtomicBool,
    mut on_batch: impl FnMut(u64) -> Result<(), E>,
) -> Result<Vec<Tally>, Stopped<E>> {
    let prototypes: Vec<StudyStreams> = studies
        .iter()
        .map(|worlds| StudyStreams::new(options.seed, &worlds.shape().streams.ids))
        .collect();
    let mut totals: Vec<Counter> = studies.iter().map(Counter::new).collect();
    let runs = options.first_run..options.first_run + options.runs;
    let work = (0..studies.len()).flat_map(|m| chunks(runs.clone()).map(move |r| (m, r)));
    map_work_batches(
        work,
        options.threads,
        cancel,
        |(m, range)| {
            (
                m,
                run_chunk(
                    &studies[m],
                    &prototypes[m],
                    range,
                    false,
                    cancel,
                    ChunkResult::empty(&studies[m]),
                )
                .counted,
            )
        },
        |results| {
            for (m, counted) in results {
                totals[m].merge(&counted);
            }
            on_batch(totals.iter().map(Counter::runs).sum())
        },
    )?;
    Ok(totals.into_iter().map(Counter::into_tally).collect())
}

/// The parallel skeleton every study shares: cut `runs` into chunks of
/// `CHUNK_RUNS` (2 048), compute `chunk(range)` for a batch of chunks on a pool of
/// `threads`, and hand each batch's results to `batch` in run-index order.
/// Chunks are made as batches start, so memory does not grow with `runs`.
pub fn map_batches<T: Send, E>(
    runs: Range<u64>,
    threads: usize,
    cancel: &AtomicBool,
    chunk: impl Fn(Range<u64>) -> T + Sync,
    batch: impl FnMut(Vec<T>) -> Result<(), E>,
) -> Result<(), Stopped<E>> {
    map_work_batches(chunks(runs), threads, cancel, chunk, batch)
}

/// `runs` cut into consecutive chunks of at most [`CHUNK_RUNS`].
fn chunks(runs: Range<u64>) -> impl Iterator<Item = Range<u64>> + Clone {
    let end = runs.end;
    runs.step_by(CHUNK_RUNS as usize)
        .map(move |start| start..(start + CHUNK_RUNS).min(end))
}

/// Compute `work(item)` for every item on a pool of `threads`, handing
/// each batch's results to `batch` in the items' order (see
/// [`for_each_batch`]).
fn map_work_batches<W: Send, T: Send, E>(
    items: impl Iterator<Item = W>,
    threads: usize,
    cancel: &AtomicBool,
    work: impl Fn(W) -> T + Sync,
    batch: impl FnMut(Vec<T>) -> Result<(), E>,
) -> Result<(), Stopped<E>> {
    for_each_batch(
        items,
        threads,
        cancel,
        |pool, next| pool.install(|| next.into_par_iter().map(&work).collect()),
        batch,
    )
}

/// The loop under every study: take the items a batch of
/// [`CHUNKS_PER_THREAD`] per thread at a time, `compute` each batch on a
/// pool of `threads` and hand what it gives to `batch`, in order; `cancel`
/// is checked before and after every batch, so a batch cut short is never
/// handed on.
fn for_each_batch<W, R, E>(
    items: impl Iterator<Item = W>,
    threads: usize,
    cancel: &AtomicBool,
    mut compute: impl FnMut(&rayon::ThreadPool, Vec<W>) -> R,
    mut batch: impl FnMut(R) -> Result<(), E>,
) -> Result<(), Stopped<E>> {
    let threads = threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Stopped::Pool(e.to_string()))?;
    let per_batch = threads * CHUNKS_PER_THREAD as usize;
    let mut items = items.peekable();
    while items.peek().is_some() {
        if cancel.load(Ordering::Relaxed) {
            return Err(Stopped::Cancelled);
        }
        let next: Vec<W> = items.by_ref().take(per_batch).collect();
        let computed = compute(&pool, next);
        if cancel.load(Ordering::Relaxed) {
            return Err(Stopped::Cancelled);
        }
        batch(computed).map_err(Stopped::Callback)?;
    }
    Ok(())
}

/// Run the runs `runs`, counted into `counted`.
fn run_chunk(
    worlds: &Worlds,
    prototype: &StudyStreams,
    runs: Range<u64>,
    keep_records: bool,
    cancel: &AtomicBool,
    mut counted: ChunkResult,
) -> ChunkResult {
    let mut streams = prototype.clone();
    // Worlds share one shape, so one state serves runs in any of them.
    let mut state = RunState::new(worlds.shape());
    for run in runs {
        // A run can be slow (long horizons, many issues): stop between runs,
        // not only between batches. The batch is then discarded.
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let (world, model) = (worlds.world_of(run), worlds.model_of(run));
        streams.start_run(run);
        simulate(model, &mut streams, &mut state, &mut NoObserver);
        counted.counted.record_in(world, &state);
        if keep_records {
            counted
                .records
                .push(RunRecord::new(model, run, world, &state));
        }
    }
    counted
}

/// Replay run `run` alone, watched by `observer`: the same draws as in any
/// batch with the same seed.
pub fn run_one(model: &Model, seed: u64, run: u64, observer: &mut impl Observer) -> RunState {
    let mut streams = StudyStreams::new(seed, &model.streams.ids);
    streams.start_run(run);
    let mut state = RunState::new(model);
    simulate(model, &mut streams, &mut state, observer);
    state
}
