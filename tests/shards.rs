//! Shards, merge, trace and interruption (issue 6), through the binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

mod support;

use serde_json::{Value, json};
use support::{backchannel, json, refused, write};

const RUNS: &str = "10001";

/// Shard `i` of `n` of the flagship (10 001 runs, seed 5) into `dir`.
fn shard(dir: &Path, i: u64, n: u64) -> PathBuf {
    changed_shard(dir, i, n, &[])
}

/// Shard `i` of `n` of the flagship changed with `--set` arguments `set`.
fn changed_shard(dir: &Path, i: u64, n: u64, set: &[&str]) -> PathBuf {
    let out = dir.join(format!("shard-{i}-of-{n}"));
    backchannel()
        .args([
            "run",
            "muscat-2026",
            "--runs",
            RUNS,
            "--seed",
            "5",
            "-q",
            "--shard",
            &format!("{i}/{n}"),
            "--out",
        ])
        .arg(&out)
        .args(set)
        .assert()
        .success();
    out
}

fn merge(dirs: &[PathBuf], out: &Path, extra: &[&str]) -> std::process::Output {
    backchannel()
        .arg("merge")
        .args(dirs)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn single(dir: &Path, extra: &[&str]) -> PathBuf {
    let out = dir.join("single");
    backchannel()
        .args([
            "run",
            "muscat-2026",
            "--runs",
            RUNS,
            "--seed",
            "5",
            "-q",
            "--out",
        ])
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    out
}

/// The merged summary is byte-identical to a single run's, for N = 1, 2, 3
/// and 7 shards of a run count none of them divides.
#[test]
fn merged_shards_equal_a_single_run_for_any_n() {
    let dir = tempfile::tempdir().unwrap();
    let whole = fs::read(single(dir.path(), &["--no-plots"]).join("summary.json")).unwrap();
    for n in [1u64, 2, 3, 7] {
        let shards: Vec<PathBuf> = (0..n).map(|i| shard(dir.path(), i, n)).collect();
        let out = dir.path().join(format!("merged-{n}"));
        let output = merge(&shards, &out, &["--no-plots", "-q"]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            fs::read(out.join("summary.json")).unwrap(),
            whole,
            "N = {n}"
        );
        // The counts by round and cause merge exactly too.
        let summary: serde_json::Value = serde_json::from_slice(&whole).unwrap();
        assert!(
            summary["breaks_by_round"]
                .as_object()
                .is_some_and(|c| !c.is_empty())
        );
        let partial: serde_json::Value =
            serde_json::from_slice(&fs::read(shards[0].join("partial.json")).unwrap()).unwrap();
        assert_eq!(partial["schema"], "backchannel.partial.v1");
        assert_eq!(partial["runs"], 10001);
        assert!(
            !shards[0].join("summary.json").exists(),
            "a shard writes counts, not probabilities"
        );
    }
}

/// The merge publishes plots and the report like a run, byte for byte.
#[test]
fn a_merge_writes_the_same_plots_and_report_as_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let run = single(dir.path(), &[]);
    let shards: Vec<PathBuf> = (0..2).map(|i| shard(dir.path(), i, 2)).collect();
    let out = dir.path().join("merged");
    assert!(merge(&shards, &out, &["-q"]).status.success());
    for file in ["plots/survival.svg", "plots/outcomes.png"] {
        assert_eq!(
            fs::read(out.join(file)).unwrap(),
            fs::read(run.join(file)).unwrap(),
            "{file}"
        );
    }
    assert!(out.join("report.html").is_file());
}

/// A study of a scenario changed with `--set` keeps the change on record
/// through shards and merge: the same summary as a single run, which names
/// the change, and a reproduction command that repeats it.
#[test]
fn a_changed_scenario_merges_with_its_changes_on_record() {
    let dir = tempfile::tempdir().unwrap();
    let set = ["--set", "spoilers.israel.capability=0.3"];
    let whole = single(dir.path(), &set);
    let shards: Vec<PathBuf> = (0..2)
        .map(|i| changed_shard(dir.path(), i, 2, &set))
        .collect();
    let out = dir.path().join("merged");
    assert!(merge(&shards, &out, &["-q"]).status.success());
    let summary = fs::read(out.join("summary.json")).unwrap();
    assert_eq!(summary, fs::read(whole.join("summary.json")).unwrap());
    let summary: serde_json::Value = serde_json::from_slice(&summary).unwrap();
    assert_eq!(
        summary["scenario"]["overrides"],
        serde_json::json!(["spoilers.israel.capability=0.3"])
    );
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        report.contains("--runs 10001 --set spoilers.israel.capability=0.3"),
        "the merged report's reproduction command must repeat the --set"
    );
    assert!(report.contains("<h1>muscat-2026 with spoilers.israel.capability=0.3</h1>"));
    let chart = fs::read_to_string(out.join("plots/survival.svg")).unwrap();
    assert!(
        chart.contains("muscat-2026 with spoilers.israel.capability=0.3: Channel survival"),
        "the chart's title must name the change"
    );
}

#[test]
fn merge_refuses_shards_that_do_not_make_one_study() {
    let dir = tempfile::tempdir().unwrap();
    let shards: Vec<PathBuf> = (0..4).map(|i| shard(dir.path(), i, 4)).collect();
    let out = dir.path().join("refused");
    let refused = |dirs: &[PathBuf], expected: &str| {
        let output = merge(dirs, &out, &["--no-plots"]);
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(expected),
            "expected {expected:?} in {stderr}"
        );
        assert!(!out.exists());
    };
    // Missing shards are named, as runs and as shard numbers.
    refused(
        &[shards[0].clone(), shards[3].clone()],
        "missing runs 2500..7500 (shards 1/4, 2/4",
    );
    // The same shard named twice, and a copy of it elsewhere: each path
    // named once.
    let all_and = |extra: PathBuf| {
        let mut dirs = shards.clone();
        dirs.insert(1, extra);
        dirs
    };
    refused(
        &all_and(shards[0].clone()),
        &format!("{} is named twice", shards[0].display()),
    );
    let copy = dir.path().join("elsewhere/copy");
    fs::create_dir_all(&copy).unwrap();
    for file in ["partial.json", "manifest.json"] {
        fs::copy(shards[0].join(file), copy.join(file)).unwrap();
    }
    refused(
        &all_and(copy.clone()),
        &format!(
            "{} and {} are the same shard (0/4, runs 0..2500)",
            shards[0].display(),
            copy.display()
        ),
    );
    // Another seed, another scenario, another total.
    let other = |name: &str, args: &[&str]| {
        let out = dir.path().join(name);
        backchannel()
            .args(["run", "--shard", "1/4", "-q", "--out"])
            .arg(&out)
            .args(args)
            .assert()
            .success();
        out
    };
    let seed = other("seed", &["muscat-2026", "--runs", RUNS, "--seed", "6"]);
    refused(&[shards[0].clone(), seed], "seed 5 vs 6");
    let scenario = other(
        "scenario",
        &["muscat-2026-direct", "--runs", RUNS, "--seed", "5"],
    );
    refused(
        &[shards[0].clone(), scenario],
        "different studies: scenario",
    );
    let total = other("total", &["muscat-2026", "--runs", "20000", "--seed", "5"]);
    refused(&[shards[0].clone(), total], "runs 10001 vs 20000");
    refused(&[dir.path().join("nowhere")], "cannot read");
}

/// A change to a partial.json.
type Edit = fn(&mut Value);

/// Add `by` to the count at `pointer`.
fn add(partial: &mut Value, pointer: &str, by: u64) {
    let count = partial.pointer_mut(pointer).unwrap();
    *count = json!(count.as_u64().unwrap() + by);
}

/// An edited or damaged partial.json is refused before anything is written:
/// exit status 2 and a message naming the file and the field.
#[test]
fn merge_refuses_an_edited_or_damaged_partial() {
    let dir = tempfile::tempdir().unwrap();
    let shards: Vec<PathBuf> = (0..2).map(|i| shard(dir.path(), i, 2)).collect();
    let intact = json(&shards[1].join("partial.json"));
    // Shard 1 of 2 covers runs 5000..10001.
    let cases: [(&str, Edit, &str); 21] = [
        (
            "count-above-runs",
            |p| p["tally"]["first_agreement"][1] = json!(5002),
            "tally.first_agreement sums to",
        ),
        (
            "channel-sum",
            |p| add(p, "/tally/channel/1", 203),
            "tally.channel sums to",
        ),
        (
            "deal-sum",
            |p| add(p, "/tally/deal/2", 1),
            "tally.deal sums to",
        ),
        // The intact shard has walkouts too: adding would pass 2^64.
        (
            "overflow",
            |p| p["tally"]["walkouts"] = json!(u64::MAX),
            "tally.walkouts is 18446744073709551615",
        ),
        (
            "broken-in-round",
            |p| add(p, "/tally/broken_in_round/3", 1),
            "tally.broken_in_round sums to",
        ),
        (
            "escalation",
            |p| p["tally"]["escalation"] = json!(0),
            "tally.escalation is 0",
        ),
        (
            "spoiler-successes",
            |p| {
                p["tally"]["spoiler_successes"][0] =
                    json!(p["tally"]["spoiler_activations"][0].as_u64().unwrap() + 1)
            },
            "tally.spoiler_successes[0]",
        ),
        (
            "shape",
            |p| {
                p["tally"]["issue_agreed"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!(0))
            },
            "tally.issue_agreed has",
        ),
        (
            "zero-run-shard",
            |p| {
                p["shard"] = json!({"index": 0, "count": 20000});
                p["slice"] = json!({"start": 0, "end": 0});
            },
            "slice 0..0 holds no runs",
        ),
        ("zero-run-study", |p| p["runs"] = json!(0), "runs is 0"),
        (
            "slice",
            |p| p["slice"]["start"] = json!(5001),
            "slice is 5001..10001, but shard 1/2 of 10001 runs covers 5000..10001",
        ),
        (
            "index",
            |p| p["shard"]["index"] = json!(2),
            "shard.index is 2",
        ),
        (
            "count",
            |p| p["shard"]["count"] = json!(0),
            "shard.count is 0",
        ),
        (
            "tally-runs",
            |p| p["tally"]["runs"] = json!(5002),
            "tally.runs is 5002, expected the 5001 runs of slice 5000..10001",
        ),
        // Counts by world (shard 1 of 2 puts 26 runs in world 0 and 25 in
        // world 1 of the 200): each world's escalation stays within its
        // breaks, even when the sum over worlds is kept.
        (
            "world-escalation",
            |p| {
                add(p, "/tally/worlds/0/escalation", 10);
                p["tally"]["worlds"][1]["escalation"] =
                    json!(p["tally"]["worlds"][1]["escalation"].as_u64().unwrap() - 10);
            },
            "tally.worlds[0].escalation is",
        ),
        // A run moved between worlds, every sum kept.
        (
            "world-runs",
            |p| {
                for (world, by) in [(0, 1i64), (1, -1)] {
                    for field in ["runs", "deal/1", "channel/1", "calm"] {
                        let at = format!("/tally/worlds/{world}/{field}");
                        let count = p.pointer_mut(&at).unwrap();
                        *count = json!(count.as_i64().unwrap() + by);
                    }
                }
            },
            "tally.worlds[0].runs is 27, expected 26: runs 5000..10001 with 200 worlds",
        ),
        // A world's count edited, its world's sum kept.
        (
            "world-channel",
            |p| {
                add(p, "/tally/worlds/0/channel/1", 1);
                let broken = p.pointer_mut("/tally/worlds/0/channel/3").unwrap();
                *broken = json!(broken.as_u64().unwrap() - 1);
            },
            "tally.worlds[0].broken_in_round sums to",
        ),
        // More calm runs in a world than runs whose channel did not break.
        (
            "world-calm",
            |p| {
                let runs = p.pointer("/tally/worlds/0/runs").unwrap().as_u64().unwrap();
                *p.pointer_mut("/tally/worlds/0/calm").unwrap() = json!(runs);
            },
            "tally.worlds[0].calm is",
        ),
        // The totals edited with their sum kept.
        (
            "channel-moved",
            |p| {
                add(p, "/tally/channel/1", 1);
                let suspended = p.pointer_mut("/tally/channel/2").unwrap();
                *suspended = json!(suspended.as_u64().unwrap() - 1);
            },
            "tally.channel[2] (suspended) is",
        ),
        (
            "deal-moved",
            |p| {
                add(p, "/tally/deal/2", 1);
                let partial = p.pointer_mut("/tally/deal/1").unwrap();
                *partial = json!(partial.as_u64().unwrap() - 1);
            },
            "tally.worlds[..].deal[1] sums to",
        ),
        (
            "scenario-text",
            |p| {
                p["scenario"]["text"] = json!(p["scenario"]["text"].as_str().unwrap().replacen(
                    "hazard = 0.05",
                    "hazard = 0.5",
                    1
                ))
            },
            "scenario.text does not match scenario.sha256",
        ),
    ];
    for (name, edit, field) in cases {
        let scratch = dir.path().join(name);
        fs::create_dir(&scratch).unwrap();
        let mut partial = intact.clone();
        edit(&mut partial);
        let edited = write(&scratch, "partial.json", &partial.to_string());
        let stderr = refused(
            &scratch,
            &[
                "merge",
                shards[0].to_str().unwrap(),
                edited.to_str().unwrap(),
                "--no-plots",
            ],
        );
        let expected = format!("{}: {field}", edited.display());
        assert!(
            stderr.contains(&expected),
            "{name}: expected {expected:?} in {stderr}"
        );
    }
}

/// `--partial` merges what is there and says how much it covers.
#[test]
fn a_partial_merge_covers_what_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let shards: Vec<PathBuf> = (0..3).map(|i| shard(dir.path(), i, 3)).collect();
    let out = dir.path().join("partial");
    let output = merge(
        &[shards[0].clone(), shards[2].clone()],
        &out,
        &["--partial"],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(
        stdout.contains("PARTIAL MERGE: 6667 of 10001 runs from 2 shards"),
        "{stdout}"
    );
    // Marked partial in the text, summary.json, the manifest and the page.
    assert!(
        stdout.contains("PARTIAL MERGE: 6667 of the study's 10001 runs; missing runs 3333..6667"),
        "{stdout}"
    );
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["runs"], 6667);
    assert_eq!(summary["partial"]["study_runs"], 10001);
    let missing = summary["partial"]["missing"].as_str().unwrap();
    assert!(
        missing.starts_with("runs 3333..6667 (shards 1/3"),
        "{missing}"
    );
    assert_eq!(
        json(&out.join("manifest.json"))["partial"],
        summary["partial"]
    );
    let page = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("Partial merge."), "the page is marked");
    // `--missing` names the shard to rerun, as a SLURM array spec.
    let listed = backchannel()
        .args(["merge", "--missing"])
        .args([&shards[0], &shards[2]])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&listed.stdout), "1\n");
    // A whole merge carries no mark.
    let whole = dir.path().join("whole");
    assert!(
        merge(&shards, &whole, &["--no-plots", "-q"])
            .status
            .success()
    );
    assert!(json(&whole.join("summary.json")).get("partial").is_none());
}

/// Shards run with `--save-runs` write their rows; the merge puts them
/// together as one machine writes `runs.csv`, and refuses a damaged one.
#[test]
fn shards_with_save_runs_merge_into_the_runs_csv() {
    let dir = tempfile::tempdir().unwrap();
    let whole = single(dir.path(), &["--no-plots", "--save-runs"]);
    let shards: Vec<PathBuf> = (0..3)
        .map(|i| changed_shard(dir.path(), i, 3, &["--save-runs"]))
        .collect();
    let out = dir.path().join("merged");
    assert!(merge(&shards, &out, &["--no-plots", "-q"]).status.success());
    for file in ["runs.csv", "summary.json"] {
        assert!(
            fs::read(out.join(file)).unwrap() == fs::read(whole.join(file)).unwrap(),
            "{file}"
        );
    }
    let rows = fs::read_to_string(shards[1].join("runs.csv")).unwrap();
    let dropped: String = rows
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 5)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    fs::write(shards[1].join("runs.csv"), dropped).unwrap();
    let output = merge(&shards, &dir.path().join("damaged"), &["--no-plots"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("runs.csv: row 5 is of run"), "{stderr}");
    assert!(!dir.path().join("damaged").exists());
}

#[test]
fn bad_shard_arguments_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for shard in ["4/4", "1/0", "one/4", "auto/4"] {
        let output = backchannel()
            .current_dir(dir.path())
            .env_remove("SLURM_ARRAY_TASK_ID")
            .env_remove("JOB_COMPLETION_INDEX")
            .args(["run", "--runs", "100", "--shard", shard])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{shard}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("--shard"),
            "{shard}"
        );
    }
    let out = dir.path().join("slurm");
    backchannel()
        .env("SLURM_ARRAY_TASK_ID", "2")
        .args(["run", "--runs", "400", "--shard", "auto/4", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let partial: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("partial.json")).unwrap()).unwrap();
    assert_eq!(
        (
            partial["slice"]["start"].as_u64(),
            partial["slice"]["end"].as_u64()
        ),
        (Some(200), Some(300))
    );
}

/// `trace --json` ends with the run's outcome: row K of runs.csv, field by
/// field, for many K.
#[test]
fn a_trace_ends_with_the_runs_csv_row() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("batch");
    backchannel()
        .args([
            "run",
            "--runs",
            "5000",
            "--seed",
            "9",
            "--save-runs",
            "--no-plots",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let csv = fs::read_to_string(out.join("runs.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    for k in (0..5000).step_by(101) {
        let output = backchannel()
            .args(["trace", "--run", &k.to_string(), "--seed", "9", "--json"])
            .output()
            .unwrap();
        assert!(output.status.success());
        let stdout = String::from_utf8(output.stdout).unwrap();
        let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
        let fields: Vec<&String> = last.as_object().unwrap().keys().collect();
        assert_eq!(fields, header, "the same fields in the same order");
        for (column, cell) in header.iter().zip(&rows[k]) {
            let value = match &last[*column] {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            assert_eq!(&value, cell, "run {k}, column {column}");
        }
    }
    let text = backchannel()
        .args(["trace", "--run", "3"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Round 1") && text.contains("demands") && text.contains("Outcome:"),
        "{text}"
    );
}

/// Ctrl-C stops the workers, leaves no output and no temporary directory,
/// exits non-zero; a rerun starts cleanly.
#[test]
fn an_interrupted_run_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("interrupted");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_backchannel"))
        .args(["run", "--runs", "1000000000", "--no-plots", "--out"])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    backchannel()
        .args(["run", "--runs", "1000", "--no-plots", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
}
