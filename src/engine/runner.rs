//! Running a study: run indices are cut into fixed chunks, chunks are run on
//! a rayon pool in ordered batches, and each batch's integer tallies are
//! merged. Between batches the caller sees progress and, with records on,
//! the batch's runs in index order.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::record::RunRecord;
use super::streams::StudyStreams;
use super::tally::Tally;
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

struct ChunkResult {
    tally: Tally,
    records: Vec<RunRecord>,
}

/// Run the study. `on_batch(runs_done, records)` is called after each batch,
/// in order; `cancel` is checked between batches.
pub fn run_study<E>(
    model: &Model,
    options: &StudyOptions,
    cancel: &AtomicBool,
    mut on_batch: impl FnMut(u64, &[RunRecord]) -> Result<(), E>,
) -> Result<Tally, Stopped<E>> {
    let prototype = StudyStreams::new(options.seed, &model.streams.ids);
    let mut total = Tally::new(model);
    let mut records = Vec::new();
    map_batches(
        options.first_run..options.first_run + options.runs,
        options.threads,
        cancel,
        |range| run_chunk(model, &prototype, range, options.keep_records),
        |results: Vec<ChunkResult>| {
            records.clear();
            for result in results {
                total.merge(&result.tally);
                records.extend(result.records);
            }
            on_batch(total.runs, &records)
        },
    )?;
    Ok(total)
}

/// The parallel skeleton every study shares: cut `runs` into chunks of
/// [`CHUNK_RUNS`], compute `chunk(range)` for a batch of chunks on a pool of
/// `threads`, and hand each batch's results to `batch` in run-index order.
/// Chunks are made as batches start, so memory does not grow with `runs`.
pub fn map_batches<T: Send, E>(
    runs: Range<u64>,
    threads: usize,
    cancel: &AtomicBool,
    chunk: impl Fn(Range<u64>) -> T + Sync,
    mut batch: impl FnMut(Vec<T>) -> Result<(), E>,
) -> Result<(), Stopped<E>> {
    let threads = threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Stopped::Pool(e.to_string()))?;
    let batch_runs = threads as u64 * CHUNKS_PER_THREAD * CHUNK_RUNS;
    let mut start = runs.start;
    while start < runs.end {
        if cancel.load(Ordering::Relaxed) {
            return Err(Stopped::Cancelled);
        }
        let end = start.saturating_add(batch_runs).min(runs.end);
        let chunks: Vec<Range<u64>> = (start..end)
            .step_by(CHUNK_RUNS as usize)
            .map(|s| s..(s + CHUNK_RUNS).min(end))
            .collect();
        let results: Vec<T> = pool.install(|| chunks.into_par_iter().map(&chunk).collect());
        batch(results).map_err(Stopped::Callback)?;
        start = end;
    }
    Ok(())
}

fn run_chunk(
    model: &Model,
    prototype: &StudyStreams,
    runs: Range<u64>,
    keep_records: bool,
) -> ChunkResult {
    let mut streams = prototype.clone();
    let mut state = RunState::new(model);
    let mut tally = Tally::new(model);
    let mut records = Vec::new();
    for run in runs {
        streams.start_run(run);
        simulate(model, &mut streams, &mut state, &mut NoObserver);
        tally.record(&state);
        if keep_records {
            records.push(RunRecord::new(model, run, &state));
        }
    }
    ChunkResult { tally, records }
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
