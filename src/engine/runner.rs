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
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.max(1))
        .build()
        .map_err(|e| Stopped::Pool(e.to_string()))?;
    let prototype = StudyStreams::new(options.seed, &model.streams.ids);
    let end = options.first_run + options.runs;
    let chunks: Vec<Range<u64>> = (options.first_run..end)
        .step_by(CHUNK_RUNS as usize)
        .map(|start| start..(start + CHUNK_RUNS).min(end))
        .collect();
    let batch_len = (options.threads.max(1) as u64 * CHUNKS_PER_THREAD) as usize;
    let mut total = Tally::new(model);
    let mut records = Vec::new();
    for batch in chunks.chunks(batch_len) {
        if cancel.load(Ordering::Relaxed) {
            return Err(Stopped::Cancelled);
        }
        let results: Vec<ChunkResult> = pool.install(|| {
            batch
                .par_iter()
                .map(|range| run_chunk(model, &prototype, range.clone(), options.keep_records))
                .collect()
        });
        records.clear();
        for result in results {
            total.merge(&result.tally);
            records.extend(result.records);
        }
        on_batch(total.runs, &records).map_err(Stopped::Callback)?;
    }
    Ok(total)
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
