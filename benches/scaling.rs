//! How the cost of a run grows with rounds, issues, spoilers and shocks.
//!
//! Each variant is the flagship enlarged in one dimension by cloning its
//! own entities under new ids (so the extra entities behave like the real
//! ones): horizon 12 → 48, issues 5 → 20, spoilers 4 → 16, shocks 2 → 8.
//! Runs scale by construction (a study is a loop over independent runs);
//! the study rows show it. Prints a table of time per run and the ratio to
//! the flagship. `cargo bench --bench scaling`

use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use backchannel::engine::streams::StudyStreams;
use backchannel::engine::{StudyOptions, Worlds, run_study};
use backchannel::model::{Model, NoObserver, RunState, simulate};
use backchannel::scenario::validate::validated;
use backchannel::scenario::{Scenario, load};

const RUNS: u64 = 20_000;

fn flagship() -> Scenario {
    let loaded = load("muscat-2026", &[]).expect("the flagship loads");
    Scenario::clone(&loaded.scenario)
}

/// The flagship with `times` copies of every issue (ids suffixed `-2`, ...).
fn more_issues(times: usize) -> Scenario {
    let mut s = flagship();
    let originals = s.issues.clone();
    for copy in 2..=times {
        for issue in &originals {
            let mut extra = issue.clone();
            extra.id = format!("{}-{copy}", issue.id);
            for party in &mut s.parties {
                let position = party.issues[&issue.id].clone();
                party.issues.insert(extra.id.clone(), position);
            }
            s.issues.push(extra);
        }
    }
    s
}

fn more_spoilers(times: usize) -> Scenario {
    let mut s = flagship();
    let originals = s.spoilers.clone();
    for copy in 2..=times {
        s.spoilers.extend(originals.iter().map(|sp| {
            let mut extra = sp.clone();
            extra.id = format!("{}-{copy}", sp.id);
            extra
        }));
    }
    s
}

fn more_shocks(times: usize) -> Scenario {
    let mut s = flagship();
    let originals = s.shocks.clone();
    for copy in 2..=times {
        s.shocks.extend(originals.iter().map(|sh| {
            let mut extra = sh.clone();
            extra.id = format!("{}-{copy}", sh.id);
            extra
        }));
    }
    s
}

fn longer(horizon: u32) -> Scenario {
    let mut s = flagship();
    s.scenario.horizon = horizon;
    s
}

fn model(scenario: &Scenario) -> Model {
    let scenario = &validated(scenario.clone()).expect("variants stay valid");
    Model::new(scenario)
}

/// Best of three: time per run of runs 0..RUNS on one thread, and the mean
/// number of rounds a run lasts (runs end early when the channel breaks or
/// the track concludes, so cost follows rounds played, not the horizon).
fn per_run(model: &Model) -> (Duration, f64) {
    let mut streams = StudyStreams::new(1, &model.streams.ids);
    let mut state = RunState::new(model);
    let mut rounds = 0u64;
    let best = (0..3)
        .map(|_| {
            rounds = 0;
            let start = Instant::now();
            for run in 0..RUNS {
                streams.start_run(run);
                simulate(model, &mut streams, &mut state, &mut NoObserver);
                rounds += u64::from(state.round);
            }
            start.elapsed() / RUNS as u32
        })
        .min()
        .expect("three repeats");
    (best, rounds as f64 / RUNS as f64)
}

/// Best of three: a whole study of `runs` on one thread, per run.
fn study_per_run(model: &Model, runs: u64) -> Duration {
    let cancel = AtomicBool::new(false);
    let options = StudyOptions::new(1, runs, 1);
    let worlds = Worlds::fixed(model.clone());
    (0..3)
        .map(|_| {
            let start = Instant::now();
            black_box(run_study(&worlds, &options, &cancel, |_, _| Ok::<(), ()>(())).ok());
            start.elapsed() / runs as u32
        })
        .min()
        .expect("three repeats")
}

fn main() {
    let base = model(&flagship());
    let (base_time, base_rounds) = per_run(&base);
    let base_per_round = base_time.as_secs_f64() / base_rounds;
    let rows = [
        (
            "flagship (12 rounds, 5 issues, 4 spoilers, 2 shocks)",
            (base_time, base_rounds),
        ),
        ("horizon 48 (x4)", per_run(&model(&longer(48)))),
        ("issues 20 (x4)", per_run(&model(&more_issues(4)))),
        ("spoilers 16 (x4)", per_run(&model(&more_spoilers(4)))),
        ("shocks 8 (x4)", per_run(&model(&more_shocks(4)))),
    ];
    println!("\ncost on one thread, best of 3 over {RUNS} runs (seed 1):");
    println!(
        "  {:<54} {:>10} {:>14} {:>11} {:>12}",
        "variant", "per run", "rounds played", "per round", "x flagship"
    );
    for (name, (time, rounds)) in rows {
        let per_round = time.as_secs_f64() / rounds;
        println!(
            "  {name:<54} {time:>10.2?} {rounds:>14.2} {:>9.0}ns {:>12.2}",
            per_round * 1e9,
            per_round / base_per_round
        );
    }
    println!("\nstudies of the flagship on one thread (per run, including aggregation):");
    for runs in [100_000u64, 1_000_000] {
        println!(
            "  {runs:>9} runs: {:>8.2?} per run",
            study_per_run(&base, runs)
        );
    }
}
