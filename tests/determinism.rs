//! Determinism is a feature: the same scenario, seed and runs give
//! byte-identical results on any thread count; a run replayed alone is the
//! same run as in a batch; a different seed gives a different study.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use assert_cmd::Command;
use backchannel::engine::worlds::DEFAULT_WORLDS;
use backchannel::engine::{RunRecord, StudyOptions, Worlds, run_one, run_studies, run_study};
use backchannel::model::NoObserver;
use backchannel::scenario::load;

/// Runs per study: five chunks of the engine's 2 048 runs, the last one
/// partial, so two threads share and interleave chunks; byte-identity
/// needs no more.
const RUNS: &str = "10000";

/// `run` of the flagship into `dir/name`; the output directory.
fn run(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    Command::new(env!("CARGO_BIN_EXE_backchannel"))
        .args([
            "run",
            "muscat-2026",
            "--runs",
            RUNS,
            "--no-plots",
            "-q",
            "--out",
        ])
        .arg(&out)
        .args(args)
        .assert()
        .success();
    out
}

#[test]
fn one_and_two_threads_give_byte_identical_results() {
    let dir = tempfile::tempdir().unwrap();
    let one = run(dir.path(), "one", &["--threads", "1", "--save-runs"]);
    let two = run(dir.path(), "two", &["--threads", "2", "--save-runs"]);
    for file in ["summary.json", "summary.csv", "runs.csv"] {
        assert_eq!(
            fs::read(one.join(file)).unwrap(),
            fs::read(two.join(file)).unwrap(),
            "{file}"
        );
    }
    // The counts by round (states, breaks by cause) are part of what is
    // compared, and not empty.
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(one.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["channel_by_round"].as_array().unwrap().len(), 13);
    let by_cause = summary["breaks_by_round"].as_object().unwrap();
    assert!(
        by_cause
            .values()
            .any(|rounds| rounds[12]["p"].as_f64() > Some(0.0))
    );
}

#[test]
fn the_same_seed_repeats_and_another_seed_differs() {
    let dir = tempfile::tempdir().unwrap();
    let a = fs::read(run(dir.path(), "a", &[]).join("summary.json")).unwrap();
    let b = fs::read(run(dir.path(), "b", &[]).join("summary.json")).unwrap();
    let c = fs::read(run(dir.path(), "c", &["--seed", "1"]).join("summary.json")).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

/// Replaying run k alone gives row k of a batch, for many k.
#[test]
fn a_replayed_run_is_the_batch_run() {
    let loaded = load("muscat-2026", &[]).unwrap();
    let seed = 11;
    let worlds = Worlds::draw(&loaded, seed, DEFAULT_WORLDS).unwrap();
    let options = StudyOptions {
        seed,
        first_run: 0,
        runs: 5_000,
        threads: 2,
        keep_records: true,
    };
    let mut records: Vec<RunRecord> = Vec::new();
    run_study(&worlds, &options, &AtomicBool::new(false), |_, batch| {
        records.extend_from_slice(batch);
        Ok::<(), ()>(())
    })
    .unwrap();
    assert_eq!(records.len(), 5_000);
    for k in (0..5_000u64).step_by(97) {
        let model = worlds.model_of(k);
        let state = run_one(model, seed, k, &mut NoObserver);
        assert_eq!(
            RunRecord::new(model, k, worlds.world_of(k), &state),
            records[k as usize],
            "run {k}"
        );
    }
}

/// A slice of runs starting elsewhere is the same runs: the basis of shards.
#[test]
fn many_studies_sharing_one_pool_equal_each_study_alone() {
    let points: Vec<Worlds> = ["muscat-2026", "muscat-2025", "minimal"]
        .iter()
        .map(|name| Worlds::draw(&load(name, &[]).unwrap(), 11, DEFAULT_WORLDS).unwrap())
        .collect();
    let cancel = AtomicBool::new(false);
    let options = |threads| StudyOptions::new(11, 5_000, threads);
    let alone: Vec<_> = points
        .iter()
        .map(|model| run_study(model, &options(1), &cancel, |_, _| Ok::<(), ()>(())).unwrap())
        .collect();
    for threads in [1, 2, 3] {
        let mut reported = Vec::new();
        let together = run_studies(&points, &options(threads), &cancel, |done| {
            reported.push(done);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(together, alone, "{threads} threads");
        assert_eq!(reported.last(), Some(&15_000), "progress counts every run");
        assert!(reported.windows(2).all(|w| w[0] < w[1]));
    }
}

#[test]
fn any_split_of_the_runs_merges_to_the_whole() {
    let loaded = load("muscat-2026", &[]).unwrap();
    let worlds = Worlds::draw(&loaded, 3, DEFAULT_WORLDS).unwrap();
    let cancel = AtomicBool::new(false);
    let study = |first_run, runs, threads| {
        let options = StudyOptions {
            seed: 3,
            first_run,
            runs,
            threads,
            keep_records: false,
        };
        run_study(&worlds, &options, &cancel, |_, _| Ok::<(), ()>(())).unwrap()
    };
    let whole = study(0, 10_001, 2);
    for split in [1, 2_048, 5_000, 9_999] {
        let mut merged = study(0, split, 1);
        merged.merge(&study(split, 10_001 - split, 2));
        assert_eq!(merged, whole, "split at {split}");
    }
}
