//! `indicators`, `discover` and `backtest` across machines (issue 31): a
//! study's runs (over its worlds), or a back-test's case-runs, split by
//! `--shard I/N`, merged into exactly the files one machine writes; mixed,
//! edited and incomplete shards refused by name; `merge --missing`; a
//! rerun skipping complete shards.

use std::fs;
use std::path::{Path, PathBuf};

mod support;

use serde_json::json;
use support::{backchannel, files, json, merge, refused, shards, write_study};

/// The flagship's indicators at round 3 over 1 001 runs (five for each of
/// its 200 worlds, and one more): shards of unequal size.
const INDICATORS: [&str; 7] = [
    "indicators",
    "muscat-2026",
    "--at",
    "3",
    "--runs",
    "1001",
    "--threads=2",
];

/// Scenario discovery over 30 worlds of the flagship's judged inputs,
/// 3 001 runs in all.
const DISCOVER: [&str; 9] = [
    "discover",
    "muscat-2026",
    "--outcome",
    "broken",
    "--worlds",
    "30",
    "--runs",
    "3001",
    "--threads=2",
];

/// The same on a Latin hypercube, looking for the worlds that are cases,
/// with pasting and a seed of its own.
const DISCOVER_CASES: [&str; 15] = [
    "discover",
    "muscat-2026",
    "--outcome",
    "deal.partial",
    "--sampling",
    "latin",
    "--case",
    "p>=0.3",
    "--paste",
    "--worlds",
    "25",
    "--runs",
    "2500",
    "--seed",
    "5",
];

fn owned(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

/// A back-test of three of the repository's cases copied into `dir`, 200
/// runs each over 20 worlds.
fn backtest(dir: &Path) -> Vec<String> {
    let cases = dir.join("cases");
    fs::create_dir_all(&cases).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/backtest");
    let mut files: Vec<PathBuf> = fs::read_dir(&source)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for file in &files[..3] {
        fs::copy(file, cases.join(file.file_name().unwrap())).unwrap();
    }
    owned(&[
        "backtest",
        cases.to_str().unwrap(),
        "--runs",
        "200",
        "--worlds",
        "20",
    ])
}

/// `study` in `n` shards for each `n`, merged, writes the very files one
/// machine writes (tables, charts, page), byte for byte; `table` is one
/// it must hold.
fn assert_merges_exactly(study: &[String], dir: &Path, table: &str, counts: &[u64]) {
    let one = dir.join("one");
    write_study(study, &one, &[]);
    let whole = files(&one);
    assert!(whole.iter().any(|(name, _)| name == table), "{whole:?}");
    assert!(whole.iter().any(|(name, _)| name.ends_with(".svg")));
    for &n in counts {
        let parts = shards(study, dir, "shard", n);
        let out = dir.join(format!("merged-{n}"));
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
        for part in &parts {
            fs::remove_dir_all(part).unwrap();
        }
    }
}

#[test]
fn sharded_indicators_merge_into_the_indicators() {
    let dir = tempfile::tempdir().unwrap();
    assert_merges_exactly(
        &owned(&INDICATORS),
        dir.path(),
        "indicators.json",
        &[1, 3, 7],
    );
}

#[test]
fn a_sharded_discovery_merges_into_the_discovery() {
    let dir = tempfile::tempdir().unwrap();
    assert_merges_exactly(&owned(&DISCOVER), dir.path(), "discover.json", &[2, 5]);
    let dir = tempfile::tempdir().unwrap();
    assert_merges_exactly(&owned(&DISCOVER_CASES), dir.path(), "worlds.csv", &[3]);
}

#[test]
fn a_sharded_backtest_merges_into_the_backtest() {
    let dir = tempfile::tempdir().unwrap();
    let study = backtest(dir.path());
    // 600 case-runs: 4 shards cut the cases in the middle; 3 do not.
    assert_merges_exactly(&study, dir.path(), "backtest.json", &[3, 4]);
}

/// What each shard writes: the study, its seed and settings, its slice
/// and the integer counts of that slice.
#[test]
fn each_shard_names_its_study_and_counts_its_slice() {
    let dir = tempfile::tempdir().unwrap();
    let parts = shards(&owned(&INDICATORS), dir.path(), "i", 2);
    let partial = json(&parts[1].join("partial.json"));
    assert_eq!(partial["schema"], "backchannel.indicators-partial.v1");
    assert_eq!(partial["scenario"]["spec"], "muscat-2026");
    assert_eq!(
        (&partial["at"], &partial["runs"]),
        (&json!(3), &json!(1001))
    );
    assert_eq!(partial["slice"], json!({"start": 500, "end": 1001}));
    assert_eq!(partial["counts"]["runs"], 501);
    assert!(!parts[1].join("indicators.json").exists());

    let parts = shards(&owned(&DISCOVER_CASES), dir.path(), "d", 2);
    let partial = json(&parts[0].join("partial.json"));
    assert_eq!(partial["schema"], "backchannel.discover-partial.v1");
    let study = &partial["study"];
    assert_eq!(
        (&study["outcome"], &study["case"], &study["sampling"]),
        (&json!("deal.partial"), &json!("p>=0.3"), &json!("latin"))
    );
    assert_eq!(
        (&study["worlds"], &study["runs"]),
        (&json!(25), &json!(2500))
    );
    assert_eq!(partial["seed"], 5);
    assert_eq!(partial["tally"]["runs"], 1250);
    // Runs 0..1250 in world `i mod 25`: 50 in each.
    assert_eq!(partial["tally"]["worlds"].as_array().unwrap().len(), 25);
    assert_eq!(partial["tally"]["worlds"][7]["runs"], 50);

    let study = backtest(dir.path());
    let parts = shards(&study, dir.path(), "b", 4);
    let partial = json(&parts[1].join("partial.json"));
    assert_eq!(partial["schema"], "backchannel.backtest-partial.v1");
    assert_eq!(partial["cases"].as_array().unwrap().len(), 3);
    assert_eq!(partial["study"]["runs_per_case"], 200);
    // Shard 1 of 4 of 600 case-runs: 150..300, the end of case 0 and the
    // start of case 1.
    assert_eq!(partial["slice"], json!({"start": 150, "end": 300}));
    let counts = partial["counts"].as_array().unwrap();
    assert_eq!(
        counts
            .iter()
            .map(|c| (c["case"].clone(), c["first_run"].clone()))
            .collect::<Vec<_>>(),
        [(json!(0), json!(150)), (json!(1), json!(0))]
    );
    assert_eq!(counts[0]["counts"]["runs"].as_array().unwrap().len(), 20);
    assert!(!parts[1].join("backtest.json").exists());
}

#[test]
fn merge_refuses_shards_of_different_studies_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let indicators = owned(&INDICATORS);
    let base = shards(&indicators, dir.path(), "base", 2);
    let mut other = indicators.clone();
    other[3] = "4".into();
    let other_round = shards(&other, dir.path(), "at", 2);
    let reseeded = shards(
        &[&indicators[..], &owned(&["--seed", "9"])].concat(),
        dir.path(),
        "seed",
        2,
    );
    for (other, field) in [(&other_round, "round 3 vs 4"), (&reseeded, "seed ")] {
        let output = merge(&[base[0].clone(), other[1].clone()], &["--out", "x"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("shards of different studies"), "{stderr}");
        assert!(stderr.contains(field), "{field}: {stderr}");
    }
    let discover = owned(&DISCOVER);
    let found = shards(&discover, dir.path(), "d", 2);
    let stricter = shards(
        &[&discover[..], &owned(&["--threshold", "0.9"])].concat(),
        dir.path(),
        "t",
        2,
    );
    let output = merge(&[found[0].clone(), stricter[1].clone()], &["--out", "x"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("search (--outcome"), "{stderr}");
    let study = backtest(dir.path());
    let cases = shards(&study, dir.path(), "b", 2);
    let mut longer = study.clone();
    longer[3] = "300".into();
    let longer = shards(&longer, dir.path(), "l", 2);
    let output = merge(&[cases[0].clone(), longer[1].clone()], &["--out", "x"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("shards of different back-tests"),
        "{stderr}"
    );
    assert!(stderr.contains("runs per case 200 vs 300"), "{stderr}");
    for (first, second) in [(&base[0], &found[1]), (&found[0], &cases[1])] {
        let output = merge(&[first.clone(), second.clone()], &["--out", "x"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("unlike the first shard named"), "{stderr}");
    }
    assert!(!Path::new("x").exists());
}

#[test]
fn merge_refuses_edited_shards() {
    let dir = tempfile::tempdir().unwrap();
    type Edit = fn(&mut serde_json::Value);
    let indicators = shards(&owned(&INDICATORS), dir.path(), "i", 2);
    let discover = shards(&owned(&DISCOVER), dir.path(), "d", 2);
    let backtests = shards(&backtest(dir.path()), dir.path(), "b", 2);
    let cases: [(&[PathBuf], &str, Edit, &str); 8] = [
        (
            &indicators,
            "run count",
            |p| p["counts"]["runs"] = json!(500),
            "counts.runs is 500, expected the 501 runs of slice 500..1001",
        ),
        (
            &indicators,
            "a joint count",
            |p| p["counts"]["joint"][0][0] = json!(100_000),
            "counts.joint[0][0] is 100000",
        ),
        (
            &indicators,
            "a world dropped",
            |p| {
                p["counts"]["by_world"].as_array_mut().unwrap().pop();
            },
            "counts has 199 worlds' counts, but the study has 200 worlds",
        ),
        (
            &indicators,
            "a world's runs",
            |p| {
                let runs = p["counts"]["by_world"][0]["runs"].as_u64().unwrap();
                p["counts"]["by_world"][0]["runs"] = json!(runs + 1);
            },
            "the totals are not the sums of their worlds' counts",
        ),
        (
            &discover,
            "a world's runs",
            |p| p["tally"]["worlds"][3]["runs"] = json!(5),
            "tally.worlds",
        ),
        (
            &discover,
            "the scenario",
            |p| p["scenario"]["text"] = json!("[scenario]\nname = \"x\"\n"),
            "scenario.text does not match scenario.sha256",
        ),
        (
            &backtests,
            "a case's runs",
            |p| p["counts"][0]["counts"]["runs"][2] = json!(1),
            "does not count the runs of the slice",
        ),
        (
            &backtests,
            "a case's hits",
            |p| p["counts"][0]["counts"]["hits"][0][0] = json!(1000),
            "happened in more runs of world 0 than it has",
        ),
    ];
    for (parts, what, edit, expected) in cases {
        let file = parts[1].join("partial.json");
        let intact = fs::read(&file).unwrap();
        let mut edited = json(&file);
        edit(&mut edited);
        fs::write(&file, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
        let output = merge(parts, &["--out", dir.path().join("m").to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{what}: {stderr}");
        assert!(stderr.contains(expected), "{what}: {stderr}");
        assert!(!dir.path().join("m").exists(), "{what}");
        fs::write(&file, intact).unwrap();
    }
}

/// An incomplete study is refused (also with `--partial`, which merges
/// only `run`), `merge --missing` names the shards to rerun, and a rerun
/// of the array skips the complete ones.
#[test]
fn missing_shards_are_named_and_rerun_alone() {
    let dir = tempfile::tempdir().unwrap();
    let study = backtest(dir.path());
    let parts = shards(&study, dir.path(), "b", 5);
    let present = [parts[0].clone(), parts[3].clone()];
    let output = merge(&present, &["--missing"]);
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout), "1-2,4\n");
    let output = merge(&present, &["--out", "m"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("missing case-runs") && stderr.contains("shards 1/5, 2/5, 4/5"),
        "{stderr}"
    );
    let output = merge(&present, &["--out", "m", "--partial"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("scores every case"), "{stderr}");
    for (study, tag) in [
        (owned(&INDICATORS), "i"),
        (owned(&DISCOVER), "d"),
        (study, "b"),
    ] {
        let parts = shards(&study, dir.path(), tag, 3);
        let output = backchannel()
            .args(&study)
            .args(["--shard", "2/3", "--out"])
            .arg(&parts[2])
            .output()
            .unwrap();
        assert!(output.status.success());
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("skipped"),
            "{tag}"
        );
    }
}

/// A shard of `indicators` cannot be conditioned on observations, and
/// says why; more shards than runs are refused; nothing is written.
#[test]
fn a_shard_refuses_what_it_cannot_split_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("news.toml"),
        "[[observed]]\nround = 1\nchannel = \"active\"\n",
    )
    .unwrap();
    let args = [
        "indicators",
        "--at",
        "2",
        "--runs",
        "1000",
        "--given",
        "news.toml",
        "--shard",
        "0/2",
    ];
    let stderr = refused(dir.path(), &args);
    assert!(
        stderr.contains("cannot know where its share starts"),
        "{stderr}"
    );
    let args = [&DISCOVER[..], &["--shard", "0/3002"]].concat();
    let stderr = refused(dir.path(), &args);
    assert!(stderr.contains("would leave some shards empty"), "{stderr}");
}
