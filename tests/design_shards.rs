//! Sweeps, sensitivity analyses and comparisons across machines (issue
//! 31): a design's point-runs, or a comparison's paired run indices, split
//! by `--shard I/N`, merged into exactly the files one machine writes; mixed, edited and incomplete shards refused by name;
//! `merge --missing`; a rerun skipping complete shards; `--shard` refused
//! where a study does not shard.

use std::fs;
use std::path::{Path, PathBuf};

mod support;

use serde_json::json;
use support::{backchannel, files, json, merge, refused, shards, write_study};

/// A two-key sweep of the flagship: 3 × 2 points of 400 runs (two runs
/// for each of the 200 worlds of its judged inputs).
const SWEEP: [&str; 9] = [
    "sweep",
    "muscat-2026",
    "--vary",
    "format.leak_hazard=0.0..0.2:3",
    "--vary",
    "parties.us.domestic.threshold=0.3..0.7:2",
    "--runs",
    "400",
    "--threads=2",
];

/// A Sobol' analysis of the flagship's judged inputs: 4 base samples, 60
/// runs a point.
const SOBOL: [&str; 8] = [
    "sensitivity",
    "muscat-2026",
    "--samples",
    "4",
    "--runs",
    "60",
    "--seed",
    "11",
];

/// A one-at-a-time analysis over two ranges, 200 runs a point.
const OAT: [&str; 9] = [
    "sensitivity",
    "muscat-2026",
    "--method",
    "oat",
    "--vary",
    "format.leak_hazard=0.0..0.2",
    "--vary",
    "parties.us.domestic.threshold=0.2..0.8",
    "--runs=200",
];

/// Two variants of the flagship compared on 600 paired runs (three for
/// each of the 200 worlds of its judged inputs).
const COMPARE_TWO: [&str; 7] = [
    "compare",
    "muscat-2026",
    "muscat-2026:format.mode=direct",
    "--runs",
    "600",
    "--seed",
    "7",
];

/// Four variants compared on 401 paired runs: shards of unequal size.
const COMPARE_FOUR: [&str; 7] = [
    "compare",
    "muscat-2026",
    "muscat-2026:format.mode=direct",
    "muscat-2026:format.leak_hazard=0.2",
    "muscat-2026:parties.us.domestic.threshold=0.7",
    "--runs=401",
    "--threads=2",
];

/// `study` in `n` shards for each `n`, merged, writes the very files one
/// machine writes (tables, charts, page), byte for byte; the first is
/// what it must hold.
fn assert_merges_exactly(study: &[&str], table: &str, counts: &[u64]) {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one");
    write_study(study, &one, &[]);
    let whole = files(&one);
    assert!(whole.iter().any(|(name, _)| name == table), "{whole:?}");
    assert!(whole.iter().any(|(name, _)| name.ends_with(".svg")));
    for &n in counts {
        let parts = shards(study, dir.path(), "shard", n);
        let out = dir.path().join(format!("merged-{n}"));
        let output = merge(&parts, &["-q", "--out", out.to_str().unwrap()]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let merged = files(&out);
        let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&merged), names(&whole), "N = {n}");
        for ((name, a), (_, b)) in merged.iter().zip(&whole) {
            assert!(a == b, "{name} differs for N = {n}");
        }
        let manifest = json(&out.join("manifest.json"));
        assert_eq!(
            manifest["merged_from"].as_array().unwrap().len(),
            n as usize
        );
    }
}

#[test]
fn a_sharded_sweep_merges_into_the_sweep() {
    // 2 400 point-runs: 7 shards cut points in the middle; 6 do not.
    assert_merges_exactly(&SWEEP, "sweep.csv", &[1, 6, 7]);
}

#[test]
fn a_sharded_sobol_analysis_merges_into_the_analysis() {
    assert_merges_exactly(&SOBOL, "sensitivity.json", &[5]);
}

#[test]
fn a_sharded_one_at_a_time_analysis_merges_into_the_analysis() {
    assert_merges_exactly(&OAT, "sensitivity.csv", &[3]);
}

/// The sweep and the one-at-a-time analysis over 25 worlds of the
/// flagship's judged inputs, two runs a world: their shards merge into
/// the same files (whose commands name `--worlds 25`), and the merge is
/// the same study, so it may replace the one machine's results.
#[test]
fn sharded_designs_over_other_worlds_merge_into_the_same_study() {
    let worlds = ["--worlds", "25"];
    let sweep = [&SWEEP[..6], &["--runs", "50"], &worlds[..]].concat();
    let oat = [&OAT[..8], &["--runs=50"], &worlds[..]].concat();
    for (study, table, page) in [
        (&sweep, "sweep.csv", "sweep.html"),
        (&oat, "sensitivity.csv", "sensitivity.html"),
    ] {
        assert_merges_exactly(study, table, &[3]);
        let dir = tempfile::tempdir().unwrap();
        let one = dir.path().join("one");
        write_study(study, &one, &[]);
        let html = fs::read_to_string(one.join(page)).unwrap();
        assert!(html.contains("--runs 50 --worlds 25 --seed"), "{html}");
        assert!(html.contains("clustered in 25 worlds"), "{html}");
        let parts = shards(study, dir.path(), "shard", 2);
        let output = merge(&parts, &["-q", "--out", one.to_str().unwrap()]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn a_sharded_comparison_merges_into_the_comparison() {
    assert_merges_exactly(&COMPARE_TWO, "comparison.json", &[3]);
    assert_merges_exactly(&COMPARE_FOUR, "comparison.csv", &[2]);
}

/// What a comparison's shard writes: every scenario, the seed, runs and
/// worlds, and the paired sums of its slice.
#[test]
fn a_comparison_shard_names_its_scenarios_and_sums_its_slice() {
    let dir = tempfile::tempdir().unwrap();
    let parts = shards(&COMPARE_FOUR, dir.path(), "c", 2);
    let partial = json(&parts[1].join("partial.json"));
    assert_eq!(partial["schema"], "backchannel.compare-partial.v1");
    let scenarios = partial["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 4);
    assert_eq!(scenarios[1]["spec"], "muscat-2026:format.mode=direct");
    assert_eq!(
        (&partial["runs"], &partial["worlds"]),
        (&json!(401), &json!(200))
    );
    assert_eq!(partial["slice"], json!({"start": 200, "end": 401}));
    let tally = &partial["tally"];
    assert_eq!(tally["runs"], 201);
    assert_eq!(tally["sum"].as_array().unwrap().len(), 4);
    assert_eq!(tally["worlds"].as_array().unwrap().len(), 200);
    // Runs 200..401 in world `i mod 200`: world 0 holds runs 200 and 400.
    assert_eq!(tally["worlds"][0]["runs"], 2);
    assert_eq!(tally["worlds"][1]["runs"], 1);
    assert!(!parts[1].join("comparison.json").exists());
}

#[test]
fn merge_refuses_shards_of_different_comparisons_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let base = shards(&COMPARE_TWO, dir.path(), "base", 2);
    let mut other = COMPARE_TWO;
    other[6] = "8";
    let reseeded = shards(&other, dir.path(), "seed", 2);
    let mut other = COMPARE_TWO;
    other[4] = "602";
    let more_runs = shards(&other, dir.path(), "runs", 2);
    let fewer_worlds = shards(
        &[&COMPARE_TWO[..], &["--worlds", "100"]].concat(),
        dir.path(),
        "worlds",
        2,
    );
    let mut other = COMPARE_TWO;
    other[2] = "muscat-2026:format.leak_hazard=0.2";
    let other_scenario = shards(&other, dir.path(), "scenario", 2);
    for (other, field) in [
        (&reseeded, "seed 7 vs 8"),
        (&more_runs, "runs 600 vs 602"),
        (&fewer_worlds, "worlds 200 vs 100"),
        (&other_scenario, "scenarios muscat-2026"),
    ] {
        let output = merge(&[base[0].clone(), other[1].clone()], &["--out", "x"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("shards of different comparisons"),
            "{stderr}"
        );
        assert!(stderr.contains(field), "{field}: {stderr}");
    }
    let sweep = shards(&SWEEP, dir.path(), "sweep", 2);
    for (first, second) in [(&base[0], &sweep[1]), (&sweep[0], &base[1])] {
        let output = merge(&[first.clone(), second.clone()], &["--out", "x"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("unlike the first shard named"), "{stderr}");
    }
    assert!(!Path::new("x").exists());
}

#[test]
fn merge_refuses_edited_comparison_shards() {
    let dir = tempfile::tempdir().unwrap();
    let parts = shards(&COMPARE_TWO, dir.path(), "c", 2);
    let intact = json(&parts[1].join("partial.json"));
    type Edit = fn(&mut serde_json::Value);
    let cases: [(&str, Edit, &str); 4] = [
        (
            "run count",
            |p| p["tally"]["runs"] = json!(299),
            "tally.runs is 299, expected the 300 runs of slice 300..600",
        ),
        (
            "a world's runs",
            |p| p["tally"]["worlds"][3]["runs"] = json!(5),
            "tally.worlds[3].runs is 5",
        ),
        (
            "a table's shape",
            |p| p["tally"]["diff"][1] = json!([1, 2]),
            "tally.diff is not 2 scenarios of",
        ),
        (
            "a scenario",
            |p| p["scenarios"][1]["text"] = json!("[scenario]\nname = \"x\"\n"),
            "scenarios[1].text does not match scenarios[1].sha256",
        ),
    ];
    for (what, edit, expected) in cases {
        let mut edited = intact.clone();
        edit(&mut edited);
        fs::write(
            parts[1].join("partial.json"),
            serde_json::to_string_pretty(&edited).unwrap(),
        )
        .unwrap();
        let output = merge(&parts, &["--out", dir.path().join("m").to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{what}: {stderr}");
        assert!(stderr.contains(expected), "{what}: {stderr}");
        assert!(!dir.path().join("m").exists(), "{what}");
    }
}

/// An incomplete comparison is refused, `merge --missing` names the
/// shards to rerun, and a rerun of the array skips the complete ones.
#[test]
fn missing_comparison_shards_are_named_and_rerun_alone() {
    let dir = tempfile::tempdir().unwrap();
    let parts = shards(&COMPARE_TWO, dir.path(), "c", 5);
    let present = [parts[0].clone(), parts[3].clone()];
    let output = merge(&present, &["--missing"]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "1-2,4
"
    );
    let output = merge(&present, &["--out", "m"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("shards 1/5, 2/5, 4/5"), "{stderr}");
    let output = merge(&present, &["--out", "m", "--partial"]);
    assert_eq!(output.status.code(), Some(2));
    let output = backchannel()
        .args(COMPARE_TWO)
        .args(["--shard", "3/5", "--out"])
        .arg(&parts[3])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("skipped"));
}

/// What a shard writes: the study, its seed, design and counts, point by
/// point.
#[test]
fn a_design_shard_names_its_study_and_counts_its_points() {
    let dir = tempfile::tempdir().unwrap();
    let parts = shards(&SWEEP, dir.path(), "s", 7);
    let partial = json(&parts[1].join("partial.json"));
    assert_eq!(partial["schema"], "backchannel.design-partial.v1");
    assert_eq!(partial["study"]["command"], "sweep");
    assert_eq!(partial["study"]["points"], 6);
    assert_eq!(partial["study"]["runs_per_point"], 400);
    assert_eq!(partial["study"]["varies"].as_array().unwrap().len(), 2);
    // Shard 1 of 7 of 2 400 point-runs: 342..685, the end of point 0 and
    // the start of point 1.
    assert_eq!(partial["slice"], json!({"start": 342, "end": 685}));
    let points = partial["points"].as_array().unwrap();
    assert_eq!(points.len(), 2);
    assert_eq!(
        (&points[0]["point"], &points[0]["first_run"]),
        (&json!(0), &json!(342))
    );
    assert_eq!(points[0]["tally"]["runs"], 58);
    assert_eq!(points[1]["tally"]["runs"], 285);
    assert!(!parts[1].join("sweep.csv").exists());
}

#[test]
fn merge_refuses_design_shards_of_different_studies_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let base = shards(&SWEEP, dir.path(), "base", 2);
    let reseeded = shards(
        &[&SWEEP[..], &["--seed", "9"]].concat(),
        dir.path(),
        "seed",
        2,
    );
    let mut other_runs = SWEEP;
    other_runs[7] = "401";
    let more_runs = shards(&other_runs, dir.path(), "runs", 2);
    let mut other_vary = SWEEP;
    other_vary[3] = "format.leak_hazard=0.0..0.3:3";
    let revaried = shards(&other_vary, dir.path(), "vary", 2);
    let oat = shards(&OAT, dir.path(), "oat", 2);
    let run = dir.path().join("run-1");
    backchannel()
        .args(["run", "--runs", "400", "--shard", "1/2", "-q", "--out"])
        .arg(&run)
        .assert()
        .success();
    for (first, second) in [(&base[0], &run), (&run, &base[1])] {
        let output = merge(&[first.clone(), second.clone()], &["--out", "x"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("unlike the first shard named"), "{stderr}");
    }
    for (other, field) in [
        (&reseeded, "seed "),
        (&more_runs, "runs per point 400 vs 401"),
        (&revaried, "design (--vary"),
        (&oat, "command sweep vs sensitivity"),
    ] {
        let output = merge(&[base[0].clone(), other[1].clone()], &["--out", "x"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("shards of different studies"), "{stderr}");
        assert!(stderr.contains(field), "{field}: {stderr}");
    }
}

#[test]
fn merge_refuses_edited_design_shards() {
    let dir = tempfile::tempdir().unwrap();
    let parts = shards(&SWEEP, dir.path(), "s", 2);
    let intact = json(&parts[1].join("partial.json"));
    type Edit = fn(&mut serde_json::Value);
    let cases: [(&str, Edit, &str); 5] = [
        (
            "points",
            |p| p["study"]["points"] = json!(7),
            "slice is 1200..2400, but shard 1/2 of 2800 point-runs covers 1400..2800",
        ),
        (
            "run count",
            |p| p["points"][0]["tally"]["runs"] = json!(1),
            "does not count the runs of the slice",
        ),
        (
            "a count",
            |p| p["points"][1]["tally"]["deal"][0] = json!(100_000),
            "points[",
        ),
        (
            "the slice",
            |p| p["slice"]["start"] = json!(1199),
            "slice is 1199..2400",
        ),
        (
            "the scenario",
            |p| p["scenario"]["text"] = json!("[scenario]\nname = \"x\"\n"),
            "scenario.text does not match scenario.sha256",
        ),
    ];
    for (what, edit, expected) in cases {
        let mut edited = intact.clone();
        edit(&mut edited);
        fs::write(
            parts[1].join("partial.json"),
            serde_json::to_string_pretty(&edited).unwrap(),
        )
        .unwrap();
        let output = merge(&parts, &["--out", dir.path().join("m").to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{what}: {stderr}");
        assert!(stderr.contains(expected), "{what}: {stderr}");
        assert!(!dir.path().join("m").exists(), "{what}");
    }
}

/// An incomplete design is refused (a design needs all its points), and
/// `merge --missing` names exactly the shards to rerun, as an array spec.
#[test]
fn missing_design_shards_are_named_as_an_array_spec() {
    let dir = tempfile::tempdir().unwrap();
    let parts = shards(&SWEEP, dir.path(), "s", 10);
    let present: Vec<PathBuf> = parts
        .iter()
        .enumerate()
        .filter(|(i, _)| ![3, 7, 8, 9].contains(i))
        .map(|(_, p)| p.clone())
        .collect();
    let output = merge(&present, &["--missing"]);
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout), "3,7-9\n");
    let output = merge(&parts, &["--missing"]);
    assert_eq!(String::from_utf8_lossy(&output.stdout), "\n");
    let output = merge(&present, &["--out", "m"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("shards 3/10, 7/10, 8/10, 9/10"), "{stderr}");
    let output = merge(&present, &["--out", "m", "--partial"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("merges only shards of `run`"), "{stderr}");
}

/// Rerunning a whole array skips the shards already complete (their files
/// are left as they are) and runs the others.
#[test]
fn a_rerun_skips_complete_shards() {
    let dir = tempfile::tempdir().unwrap();
    let parts = shards(&SWEEP, dir.path(), "s", 3);
    let before = fs::metadata(parts[0].join("partial.json"))
        .unwrap()
        .modified()
        .unwrap();
    let output = backchannel()
        .args(SWEEP)
        .args(["--shard", "0/3", "--out"])
        .arg(&parts[0])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("skipped"));
    let after = fs::metadata(parts[0].join("partial.json"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
    // Another study in the same place is not "complete": it is refused as
    // results of another study, not skipped.
    let output = backchannel()
        .args(SWEEP)
        .args(["--seed", "3", "--shard", "0/3", "--out"])
        .arg(&parts[0])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    // `run` shards skip the same way.
    let run = dir.path().join("run-0");
    for expected in ["written", "skipped"] {
        let output = backchannel()
            .args(["run", "--runs", "300", "--shard", "0/2", "--out"])
            .arg(&run)
            .output()
            .unwrap();
        assert!(output.status.success());
        assert!(
            String::from_utf8_lossy(&output.stdout).contains(expected),
            "{expected}"
        );
    }
}

#[test]
fn calibrate_shards_only_in_a_generation_directory() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["calibrate", "c.toml", "--shard", "0/2"];
    let stderr = refused(dir.path(), &args);
    assert!(
        stderr.contains("one generation at a time") && stderr.contains("--generation-dir"),
        "{stderr}"
    );
}

/// `run --shard` and `compare --shard` refuse a precision target and
/// observations, saying why,
/// and writes nothing.
#[test]
fn a_shard_refuses_precision_and_observations_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("news.toml"),
        "[[observed]]\nround = 1\nchannel = \"active\"\n",
    )
    .unwrap();
    for (flags, reason) in [
        (
            ["--precision", "0.01"],
            "must know its slice before it starts",
        ),
        (
            ["--given", "news.toml"],
            "cannot know where its share starts",
        ),
    ] {
        for study in [
            &["run"][..],
            &["compare", "muscat-2026", "muscat-2026:format.mode=direct"],
        ] {
            let args = [study, &["--runs", "1000", "--shard", "0/2"], &flags].concat();
            let stderr = refused(dir.path(), &args);
            assert!(stderr.contains(reason), "{args:?}: {stderr}");
        }
    }
}
