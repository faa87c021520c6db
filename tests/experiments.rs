//! Experiments through the binary: paired comparison on common random
//! numbers, and studies run to a precision.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn backchannel() -> Command {
    Command::new(env!("CARGO_BIN_EXE_backchannel"))
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// Every paired difference in `comparison.json`, as (metric, scenario, value).
fn differences(comparison: &Value) -> Vec<(String, usize, f64, f64, f64)> {
    let mut out = Vec::new();
    for row in comparison["metrics"].as_array().unwrap() {
        for (k, d) in row["differences"].as_array().unwrap().iter().enumerate() {
            if !d.is_null() {
                let f = |key: &str| d[key].as_f64().unwrap();
                out.push((
                    row["metric"].as_str().unwrap().to_string(),
                    k,
                    f("difference"),
                    f("lo"),
                    f("hi"),
                ));
            }
        }
    }
    out
}

/// Guide §7: `compare A A` reports every difference as exactly 0.
#[test]
fn comparing_a_scenario_with_itself_gives_exact_zeros() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("same");
    backchannel()
        .args([
            "compare",
            "muscat-2026",
            "muscat-2026",
            "--runs",
            "4000",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let diffs = differences(&json(&out.join("comparison.json")));
    assert!(diffs.len() > 30);
    for (metric, _, d, lo, hi) in diffs {
        assert_eq!((d, lo, hi), (0.0, 0.0, 0.0), "{metric}");
    }
    assert!(out.join("comparison.csv").is_file() && out.join("manifest.json").is_file());
}

/// Guide §7: a spoiler with zero hazard changes no run, so every paired
/// difference is exactly 0 (common random numbers by stream keying).
#[test]
fn a_zero_hazard_spoiler_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let flagship = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/muscat-2026.toml"),
    )
    .unwrap();
    let with_ghost = flagship
        + "\n[[spoilers]]\nid = \"ghost\"\nkind = \"total\"\nbase_hazard = 0.0\nmax_hazard = 0.0\n";
    let file = dir.path().join("ghost.toml");
    fs::write(&file, with_ghost).unwrap();
    let out = dir.path().join("ghost");
    backchannel()
        .args(["compare", "muscat-2026"])
        .arg(&file)
        .args(["--runs", "4000", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let comparison = json(&out.join("comparison.json"));
    for (metric, _, d, lo, hi) in differences(&comparison) {
        assert_eq!((d, lo, hi), (0.0, 0.0, 0.0), "{metric}");
    }
    let ghost = comparison["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == "causes.spoiler:ghost");
    assert!(
        ghost.is_some(),
        "the union of metrics includes the new spoiler's cause"
    );
}

/// A real change gives differences whose intervals are paired: narrower
/// than the two scenarios' own intervals, and excluding 0 here.
#[test]
fn a_real_change_is_detected_with_a_paired_interval() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("direct");
    backchannel()
        .args([
            "compare",
            "muscat-2026",
            "muscat-2026:spoilers.israel.capability=0.3",
            "--runs",
            "10000",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let comparison = json(&out.join("comparison.json"));
    let row = comparison["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == "causes.spoiler:israel")
        .unwrap();
    let d = &row["differences"][1];
    assert_eq!(d["excludes_zero"], true, "{d}");
    assert!(
        d["difference"].as_f64().unwrap() < 0.0,
        "halving Israel's capability means fewer Israeli strikes"
    );
    let paired = d["hi"].as_f64().unwrap() - d["lo"].as_f64().unwrap();
    let own = row["values"][1]["hi"].as_f64().unwrap() - row["values"][1]["lo"].as_f64().unwrap();
    assert!(paired < own, "paired {paired} vs own {own}");
}

/// `--precision` stops at a doubling checkpoint, records it, and gives the
/// same summary as a fixed study of that many runs.
#[test]
fn a_precision_study_equals_the_fixed_study_it_stopped_at() {
    let dir = tempfile::tempdir().unwrap();
    let adaptive = dir.path().join("adaptive");
    backchannel()
        .args(["run", "--precision", "0.006", "-q", "--out"])
        .arg(&adaptive)
        .assert()
        .success();
    let manifest = json(&adaptive.join("manifest.json"));
    let precision = &manifest["precision"];
    assert_eq!(precision["reached"], true);
    let runs = precision["runs"].as_u64().unwrap();
    assert!([10_000, 20_000, 40_000, 80_000].contains(&runs), "{runs}");
    assert!(precision["achieved_half_width"].as_f64().unwrap() <= 0.006);
    let fixed = dir.path().join("fixed");
    backchannel()
        .args(["run", "--runs", &runs.to_string(), "-q", "--out"])
        .arg(&fixed)
        .assert()
        .success();
    assert_eq!(
        fs::read(adaptive.join("summary.json")).unwrap(),
        fs::read(fixed.join("summary.json")).unwrap()
    );
}

#[test]
fn compare_refuses_bad_variants_and_precision() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec![
            "compare",
            "muscat-2026",
            "muscat-2026:spoilers.israel.capability=2",
        ],
        vec!["compare", "muscat-2026", "muscat-2026:nonsense"],
        vec!["compare", "muscat-2026", "muscat-2026", "--precision", "0"],
        vec!["compare", "muscat-2026"],
    ] {
        let output = backchannel()
            .current_dir(dir.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!dir.path().join("output").exists(), "{args:?} wrote output");
    }
}
