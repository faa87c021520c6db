//! How close the engine runs to the cost of its own random numbers.
//!
//! The floor is measured on the flagship's real access pattern: every draw
//! (stream, round, slot) the model makes in runs 0..RUNS is recorded, then
//! replayed through the same `StudyStreams` without the model. The bench
//! reports both per-run times and prints their ratio (issue 8's target: the
//! model at most 3 × its floor). A TIPS.md-style bare loop (15 streams seeded
//! per run, 24 draws a round for 12 rounds) is measured alongside.
//!
//! `cargo bench --bench floor`

use std::hint::black_box;
use std::time::{Duration, Instant};

use backchannel::engine::streams::{StudyStreams, stream_key};
use backchannel::model::{Mechanism, Model, NoObserver, Randomness, RunState, StreamId, simulate};
use backchannel::scenario::load;
use criterion::{Criterion, Throughput};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const RUNS: u64 = 20_000;

/// Passes draws through and writes down where each came from.
struct Recording<'a> {
    inner: &'a mut StudyStreams,
    log: &'a mut Vec<(usize, u32, u32)>,
}

impl Randomness for Recording<'_> {
    fn bits(&mut self, stream: usize, round: u32, slot: u32) -> u64 {
        self.log.push((stream, round, slot));
        self.inner.bits(stream, round, slot)
    }
}

fn flagship() -> (Model, u64) {
    let loaded = load("muscat-2026", &[]).expect("the flagship loads");
    (Model::new(&loaded.scenario), loaded.scenario.scenario.seed)
}

/// The draws of each run, in the order the model made them.
fn record(model: &Model, seed: u64) -> Vec<Vec<(usize, u32, u32)>> {
    let mut streams = StudyStreams::new(seed, &model.streams.ids);
    let mut state = RunState::new(model);
    (0..RUNS)
        .map(|run| {
            let mut log = Vec::new();
            streams.start_run(run);
            let mut recording = Recording {
                inner: &mut streams,
                log: &mut log,
            };
            simulate(model, &mut recording, &mut state, &mut NoObserver);
            log
        })
        .collect()
}

fn model_runs(model: &Model, streams: &mut StudyStreams, state: &mut RunState) {
    for run in 0..RUNS {
        streams.start_run(run);
        simulate(model, streams, state, &mut NoObserver);
        black_box(state.channel);
    }
}

fn replay(streams: &mut StudyStreams, draws: &[Vec<(usize, u32, u32)>]) {
    for (run, log) in draws.iter().enumerate() {
        streams.start_run(run as u64);
        for &(stream, round, slot) in log {
            black_box(streams.bits(stream, round, slot));
        }
    }
}

/// TIPS.md's bare loop on plain ChaCha8: 15 streams seeded per run, 24
/// `f64` drawn per round (round-robin over the streams) for 12 rounds.
fn bare_loop(keys: &[[u8; 32]]) {
    let mut rngs: Vec<ChaCha8Rng> = keys.iter().map(|k| ChaCha8Rng::from_seed(*k)).collect();
    for run in 0..RUNS {
        for (rng, key) in rngs.iter_mut().zip(keys) {
            *rng = ChaCha8Rng::from_seed(*key);
            rng.set_stream(run);
        }
        for _round in 1..=12 {
            for draw in 0..24usize {
                black_box(rngs[draw % keys.len()].random::<f64>());
            }
        }
    }
}

/// Best of `repeats` timings of `f`, per run.
fn best_per_run(repeats: usize, mut f: impl FnMut()) -> Duration {
    (0..repeats)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .expect("at least one repeat")
        / RUNS as u32
}

fn main() {
    let (model, seed) = flagship();
    let draws = record(&model, seed);
    let total_draws: usize = draws.iter().map(Vec::len).sum();
    let mut streams = StudyStreams::new(seed, &model.streams.ids);
    let bare_keys: Vec<[u8; 32]> = (0..15)
        .map(|i| {
            let id = StreamId {
                mechanism: Mechanism::Shock,
                entity: format!("bare-{i}"),
            };
            stream_key(seed, &id)
        })
        .collect();
    let mut state = RunState::new(&model);

    let mut criterion = Criterion::default().configure_from_args().sample_size(10);
    let mut group = criterion.benchmark_group("floor");
    group.throughput(Throughput::Elements(RUNS));
    group.bench_function("model_runs", |b| {
        b.iter(|| model_runs(&model, &mut streams, &mut state))
    });
    group.bench_function("replay_same_draws", |b| {
        b.iter(|| replay(&mut streams, &draws))
    });
    group.bench_function("bare_loop_15x24x12", |b| b.iter(|| bare_loop(&bare_keys)));
    group.finish();

    let model_time = best_per_run(5, || model_runs(&model, &mut streams, &mut state));
    let floor_time = best_per_run(5, || replay(&mut streams, &draws));
    let bare_time = best_per_run(5, || bare_loop(&bare_keys));
    println!("\nflagship, one thread, best of 5 over {RUNS} runs:");
    println!(
        "  draws per run (mean)        {:>8.1}",
        total_draws as f64 / RUNS as f64
    );
    println!("  model run                   {model_time:>8.2?}");
    println!("  floor: same draws replayed  {floor_time:>8.2?}");
    println!("  bare loop (15 x 24 x 12)    {bare_time:>8.2?}");
    println!(
        "  ratio model / floor         {:>8.2}   (target <= 3)",
        model_time.as_secs_f64() / floor_time.as_secs_f64()
    );
}
