//! What a run costs, comparable across versions: the engine's inner loop
//! (start a run, play it, count it: what each worker does for every run of
//! a chunk) on one thread, for a fixed block of runs of a scenario at fixed
//! values. It uses only the calls every version since the keyed streams
//! has (`Model::new`, `StudyStreams`, `simulate`, `Tally::record`), so the
//! same file benches an older commit against this one:
//! docs/PERFORMANCE.md, "What the mediator's mechanisms cost".
//!
//! `cargo bench --bench cost`

use std::hint::black_box;
use std::time::Duration;

use backchannel::engine::Tally;
use backchannel::engine::streams::StudyStreams;
use backchannel::model::{Model, NoObserver, RunState, simulate};
use backchannel::scenario::load;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Runs `0..RUNS` per iteration (tens of milliseconds of the flagship):
/// enough to sample its mix of run lengths, and the same runs every
/// iteration and in every version.
const RUNS: u64 = 10_000;

/// Runs `0..RUNS` of `model` with `seed`, each counted in one tally, as a
/// worker's chunk does: the runs that reached an outcome, so nothing is
/// optimised away.
fn runs(model: &Model, seed: u64) -> u64 {
    let mut streams = StudyStreams::new(seed, &model.streams.ids);
    let mut state = RunState::new(model);
    let mut tally = Tally::new(model);
    for run in 0..RUNS {
        streams.start_run(run);
        simulate(model, &mut streams, &mut state, &mut NoObserver);
        tally.record(&state);
    }
    tally.runs
}

/// The embedded flagship (its judged inputs at their medians) and the
/// embedded `minimal` scenario, which draws nothing from distributions and
/// has no mediator.
fn cost(c: &mut Criterion) {
    let mut group = c.benchmark_group("cost");
    group.throughput(Throughput::Elements(RUNS));
    // Twenty samples of at least ten seconds in all: the flagship's block
    // of runs takes tens of milliseconds.
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    for name in ["muscat-2026", "minimal"] {
        let loaded = load(name, &[]).expect("an embedded scenario loads");
        let model = Model::new(&loaded.scenario);
        let seed = loaded.scenario.scenario.seed;
        group.bench_function(name, |b| b.iter(|| black_box(runs(&model, seed))));
    }
    group.finish();
}

criterion_group!(benches, cost);
criterion_main!(benches);
