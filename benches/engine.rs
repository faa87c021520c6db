//! Engine benchmarks: one run of the flagship, a whole study of it, and
//! drawing its worlds.
//! `cargo bench --bench engine`; criterion's reports land in target/criterion.

use std::hint::black_box;
use std::sync::atomic::AtomicBool;

use backchannel::engine::streams::StudyStreams;
use backchannel::engine::worlds::DEFAULT_WORLDS;
use backchannel::engine::{Labels, StudyOptions, Tally, Worlds, run_studies, run_study};
use backchannel::model::round::play_round;
use backchannel::model::{Model, NoObserver, RunState, simulate};
use backchannel::output::Summary;
use backchannel::output::summary::StudyId;
use backchannel::report::{ScenarioInfo, render};
use backchannel::scenario::load;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn flagship() -> (Model, u64) {
    let loaded = load("muscat-2026", &[]).expect("the flagship loads");
    (Model::new(&loaded.scenario), loaded.scenario.scenario.seed)
}

/// One run of the flagship on one core, streams and state reused as the
/// engine reuses them within a chunk.
fn one_run(c: &mut Criterion) {
    let (model, seed) = flagship();
    let mut streams = StudyStreams::new(seed, &model.streams.ids);
    let mut state = RunState::new(&model);
    let mut run = 0u64;
    let mut group = c.benchmark_group("flagship");
    group.throughput(Throughput::Elements(1));
    group.bench_function("one_run", |b| {
        b.iter(|| {
            run += 1;
            streams.start_run(run);
            simulate(&model, &mut streams, &mut state, &mut NoObserver);
            black_box(state.channel)
        })
    });
    group.finish();
}

/// One round of the flagship (round 3, from a fresh run state), the model's
/// innermost step.
fn round_step(c: &mut Criterion) {
    let (model, seed) = flagship();
    let mut streams = StudyStreams::new(seed, &model.streams.ids);
    let mut state = RunState::new(&model);
    let mut run = 0u64;
    c.bench_function("flagship/round_step", |b| {
        b.iter(|| {
            run += 1;
            streams.start_run(run);
            state.reset(&model);
            play_round(&model, &mut streams, &mut state, &mut NoObserver, 3);
            black_box(state.progress)
        })
    });
}

/// Recording a finished run into a tally, and merging two tallies: the
/// reduction every chunk and every shard merge does.
fn aggregation(c: &mut Criterion) {
    let (model, seed) = flagship();
    let mut streams = StudyStreams::new(seed, &model.streams.ids);
    let mut state = RunState::new(&model);
    streams.start_run(7);
    simulate(&model, &mut streams, &mut state, &mut NoObserver);
    let mut tally = Tally::new(&model);
    c.bench_function("aggregation/record_run", |b| {
        b.iter(|| tally.record(black_box(&state)))
    });
    let other = tally.clone();
    let mut total = Tally::new(&model);
    c.bench_function("aggregation/merge_tallies", |b| {
        b.iter(|| total.merge(black_box(&other)))
    });
}

/// A 100 000-run study of the flagship on one and on two threads: with its
/// judged inputs at their medians (one world), and drawn in the default
/// 200 worlds, so the two groups' ratio is what judged inputs cost.
fn study(c: &mut Criterion) {
    let loaded = load("muscat-2026", &[]).expect("the flagship loads");
    let seed = loaded.scenario.scenario.seed;
    let fixed = Worlds::fixed(Model::new(&loaded.scenario));
    let judged = Worlds::draw(&loaded, seed, DEFAULT_WORLDS).expect("the worlds are valid");
    let cancel = AtomicBool::new(false);
    for (name, worlds) in [("flagship_100k", &fixed), ("flagship_judged_100k", &judged)] {
        on_one_and_two_threads(c, name, seed, 100_000, 100_000, |options| {
            run_study(worlds, options, &cancel, |_, _| Ok::<(), ()>(()))
                .map(|t| t.runs)
                .ok()
        });
    }
}

/// Drawing the flagship's default 200 worlds (23 judged inputs): what every
/// study of it, and every point of a sweep or sensitivity, does first.
fn draw_worlds(c: &mut Criterion) {
    let loaded = load("muscat-2026", &[]).expect("the flagship loads");
    let seed = loaded.scenario.scenario.seed;
    let mut group = c.benchmark_group("worlds");
    group.sample_size(10);
    group.throughput(Throughput::Elements(DEFAULT_WORLDS));
    group.bench_function("draw_200", |b| {
        b.iter(|| Worlds::draw(black_box(&loaded), seed, DEFAULT_WORLDS).map(|w| w.count()))
    });
    group.finish();
}

/// A design of 64 flagship variants of 2 000 runs each (the default runs
/// per point of `sweep` and `sensitivity`), on one and on two threads: the
/// points' chunks share one pool, so the second thread helps even though
/// each point is a single chunk.
fn design(c: &mut Criterion) {
    let (_, seed) = flagship();
    let models: Vec<Worlds> = (0..64)
        .map(|i| {
            let capability = format!("spoilers.israel.capability={}", 0.3 + 0.005 * f64::from(i));
            let loaded = load("muscat-2026", &[capability]).expect("the variant loads");
            Worlds::fixed(Model::new(&loaded.scenario))
        })
        .collect();
    let cancel = AtomicBool::new(false);
    on_one_and_two_threads(c, "design_64x2000", seed, 2_000, 64 * 2_000, |options| {
        run_studies(&models, options, &cancel, |_| Ok::<(), ()>(())).ok()
    });
}

/// Benchmark group `name`: `study` of `runs` runs from run 0 on one and on
/// two threads, `elements` runs in all per iteration.
fn on_one_and_two_threads<T>(
    c: &mut Criterion,
    name: &str,
    seed: u64,
    runs: u64,
    elements: u64,
    study: impl Fn(&StudyOptions) -> T,
) {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.throughput(Throughput::Elements(elements));
    for threads in [1, 2] {
        let options = StudyOptions::new(seed, runs, threads);
        group.bench_function(format!("threads_{threads}"), |b| b.iter(|| study(&options)));
    }
    group.finish();
}

/// Every plot (PNG and SVG) and the HTML report of a 100 000-run flagship
/// study.
fn plots_and_report(c: &mut Criterion) {
    let loaded = load("muscat-2026", &[]).expect("the flagship loads");
    let (model, seed) = flagship();
    let cancel = AtomicBool::new(false);
    let options = StudyOptions::new(seed, 100_000, 2);
    let worlds = Worlds::fixed(model.clone());
    let tally =
        run_study(&worlds, &options, &cancel, |_, _| Ok::<(), ()>(())).expect("the study runs");
    let study = StudyId::new(&loaded, seed);
    let summary = Summary::new(&Labels::of(&model), &study, &tally);
    let info = ScenarioInfo::new(&loaded);
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.bench_function("flagship_plots_and_html", |b| {
        b.iter(|| render(black_box(&summary), &info).map(|files| files.len()))
    });
    group.finish();
}

criterion_group!(
    benches,
    round_step,
    one_run,
    aggregation,
    study,
    draw_worlds,
    design,
    plots_and_report
);
criterion_main!(benches);
