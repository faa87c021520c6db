//! Forecasts conditioned on observations (`--given`) and leading indicators
//! (`indicators`), through the binary.

use std::fs;
use std::path::PathBuf;

use serde_json::Value;
use tempfile::TempDir;

mod support;

use support::{backchannel, json, two_party_scenario, within_999, write};

/// One `break` shock of hazard 0.1 and no possible deal, horizon 6; a
/// `trust` shock that changes nothing that matters.
fn hazard() -> String {
    two_party_scenario(
        "hazard",
        0.6,
        r#"[[shocks]]
id = "decisive"
hazard = 0.1
effect = "break"
[[shocks]]
id = "mood"
hazard = 0.3
effect = "trust"
trust_delta = -0.1
"#,
    )
}

/// The hazard scenario, written into a new directory, and `runs` runs of it
/// given that the channel was active at round 2: the directory (removed when
/// dropped), the scenario's path and the conditional summary.
fn given_active_at_round_2(runs: u64) -> (TempDir, PathBuf, Value) {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "hazard.toml", &hazard());
    let obs = write(
        dir.path(),
        "obs.toml",
        "[[observed]]\nround = 2\nchannel = \"active\"\n",
    );
    let out = dir.path().join("given");
    backchannel()
        .arg("run")
        .arg(&scenario)
        .arg("--given")
        .arg(&obs)
        .args(["--runs", &runs.to_string(), "-q", "--no-plots", "--out"])
        .arg(&out)
        .assert()
        .success();
    let summary = json(&out.join("summary.json"));
    (dir, scenario, summary)
}

/// Issue 10: observing the channel active at round r keeps (1-h)^r of the
/// runs, and the conditional survival to the horizon is (1-h)^(T-r).
#[test]
fn conditioning_on_survival_matches_the_closed_form() {
    let (_dir, _, summary) = given_active_at_round_2(20_000);
    let c = &summary["conditioning"];
    assert_eq!(c["accepted"], 20000);
    let tried = c["tried"].as_f64().unwrap();
    assert!(
        within_999(c["acceptance"].as_f64().unwrap(), 0.9f64.powi(2), tried),
        "{c}"
    );
    assert_eq!(c["observations"][0], "round 2: channel active");
    let survival = summary["channel_continued"]["p"].as_f64().unwrap();
    assert!(within_999(survival, 0.9f64.powi(4), 20000.0), "{survival}");
    assert_eq!(
        summary["survival"][2]["p"], 1.0,
        "every accepted run was alive after round 2"
    );
}

/// Conditioning on something every run satisfies changes no probability.
#[test]
fn a_certain_observation_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "hazard.toml", &hazard());
    let obs = write(
        dir.path(),
        "obs.toml",
        "[[observed]]\nround = 3\nissue = \"a\"\nstatus = \"open\"\n",
    );
    let plain = dir.path().join("plain");
    let given = dir.path().join("given");
    backchannel()
        .arg("run")
        .arg(&scenario)
        .args(["--runs", "5000", "-q", "--out"])
        .arg(&plain)
        .assert()
        .success();
    backchannel()
        .arg("run")
        .arg(&scenario)
        .arg("--given")
        .arg(&obs)
        .args(["--runs", "5000", "-q", "--out"])
        .arg(&given)
        .assert()
        .success();
    let mut conditional = json(&given.join("summary.json"));
    let conditioning = conditional
        .as_object_mut()
        .unwrap()
        .remove("conditioning")
        .unwrap();
    let prior = conditional
        .as_object_mut()
        .unwrap()
        .remove("prior")
        .unwrap();
    assert_eq!(
        (
            conditioning["tried"].as_u64(),
            conditioning["acceptance"].as_f64()
        ),
        (Some(5000), Some(1.0))
    );
    let plain = json(&plain.join("summary.json"));
    assert_eq!(conditional, plain);
    // Every run was kept, so the forecast before the news is the same.
    assert_eq!(prior["runs"], 5000);
    assert_eq!(prior["observed_through"], 3);
    assert_eq!(prior["channel_continued"], plain["channel_continued"]);
    assert_eq!(prior["survival"], plain["survival"]);
}

/// The forecast before the news is the unconditioned study of exactly the
/// runs tried: the same counts as `run` with `--runs` = tried.
#[test]
fn the_prior_is_the_unconditioned_study_of_the_runs_tried() {
    let (dir, scenario, conditional) = given_active_at_round_2(3000);
    let tried = conditional["conditioning"]["tried"].as_u64().unwrap();
    assert!(tried > 3000, "some runs were rejected: {tried}");
    let plain = dir.path().join("plain");
    backchannel()
        .arg("run")
        .arg(&scenario)
        .args(["--runs", &tried.to_string(), "-q", "--no-plots", "--out"])
        .arg(&plain)
        .assert()
        .success();
    let plain = json(&plain.join("summary.json"));
    let prior = &conditional["prior"];
    assert_eq!(prior["runs"].as_u64(), Some(tried));
    assert_eq!(prior["channel_continued"], plain["channel_continued"]);
    assert_eq!(prior["survival"], plain["survival"]);
    assert_eq!(prior["observed_through"], 2);
    // The news (alive after round 2) raises the chance of lasting.
    let (before, after) = (
        prior["channel_continued"]["p"].as_f64().unwrap(),
        conditional["channel_continued"]["p"].as_f64().unwrap(),
    );
    assert!(after > before, "{before} -> {after}");
}

/// The accepted runs depend only on the seed: any thread count, same bytes.
#[test]
fn conditional_forecasts_are_identical_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let obs = write(
        dir.path(),
        "obs.toml",
        "[[observed]]\nround = 1\nchannel = \"active\"\n[[observed]]\nround = 2\nevent = \"leak\"\nhappened = true\n",
    );
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("t{threads}"));
        backchannel()
            .args(["run", "--given"])
            .arg(&obs)
            .args(["--runs", "3000", "--threads", threads, "-q", "--out"])
            .arg(&out)
            .assert()
            .success();
        outputs.push(fs::read(out.join("summary.json")).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
}

/// An observation the model cannot produce stops with a message naming it,
/// exit status 2 and nothing written.
#[test]
fn an_impossible_observation_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "hazard.toml", &hazard());
    let obs = write(
        dir.path(),
        "obs.toml",
        "[[observed]]\nround = 1\nchannel = \"active\"\n[[observed]]\nround = 2\nissue = \"a\"\nstatus = \"ratified\"\n",
    );
    let out = dir.path().join("never");
    let output = backchannel()
        .arg("run")
        .arg(&scenario)
        .arg("--given")
        .arg(&obs)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("least likely observation is \"round 2: a ratified\""),
        "{stderr}"
    );
    assert!(!out.exists());
}

/// Bad observation files are refused like bad scenarios.
#[test]
fn bad_observation_files_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let obs = write(
        dir.path(),
        "obs.toml",
        "[[observed]]\nround = 2\nevent = \"spoiler:isreal\"\nhappened = true\n",
    );
    let output = backchannel()
        .args(["run", "--given"])
        .arg(&obs)
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("obs.toml:3:9") && stderr.contains("did you mean \"spoiler:israel\"?"),
        "{stderr}"
    );
}

/// Issue 33: every problem of an observations file in one pass, each
/// located: a key nobody knows at the top and in an entry, values of the
/// wrong type, names that are not states or statuses, rounds out of the
/// horizon (beside a wrong type in the same entry) and an unknown event.
#[test]
fn every_problem_of_an_observations_file_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let obs = write(
        dir.path(),
        "obs.toml",
        "colour = \"red\"\n\
         [[observed]]\nround = -1\nchannel = \"active\"\n\
         [[observed]]\nround = 13\nchannel = \"bogus\"\n\
         [[observed]]\nround = \"two\"\nissue = \"detainees\"\nstatus = \"agreed\"\n\
         [[observed]]\nround = 2\nevent = \"leak\"\nhappened = \"yes\"\n\
         [[observed]]\nround = 3\nissue = \"detainees\"\nstatus = \"signed\"\nmood = 1\n\
         [[observed]]\nround = 0\nevent = \"spoiler:isreal\"\nhappened = true\n",
    );
    let output = backchannel()
        .args(["run", "muscat-2026", "--given"])
        .arg(&obs)
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for (at, message) in [
        (
            "obs.toml:1:1",
            "unknown field `colour`, expected `observed`",
        ),
        ("obs.toml:3:9", "found -1"),
        ("obs.toml:6:9", "found 13"),
        ("obs.toml:7:11", "unknown variant `bogus`"),
        ("obs.toml:9:9", "invalid type: string \"two\""),
        (
            "obs.toml:15:12",
            "invalid type: string \"yes\", expected a boolean",
        ),
        ("obs.toml:19:10", "unknown variant `signed`"),
        ("obs.toml:20:1", "unknown field `mood`"),
        ("obs.toml:22:9", "found 0"),
        (
            "obs.toml:23:9",
            "\"spoiler:isreal\" is not an event of this scenario",
        ),
    ] {
        assert!(stderr.contains(at), "{at} missing:\n{stderr}");
        assert!(stderr.contains(message), "{message} missing:\n{stderr}");
    }
    assert!(
        stderr.contains("error: 10 problems; nothing was run or written"),
        "{stderr}"
    );
}

/// Issue 10: with one decisive shock, `indicators` ranks it first among
/// the events (tied only with the broken channel it causes).
#[test]
fn indicators_rank_a_decisive_shock_first() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "hazard.toml", &hazard());
    let out = dir.path().join("ind");
    let assert = backchannel()
        .arg("indicators")
        .arg(&scenario)
        .args(["--at", "2", "--runs", "20000", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(text.contains("What to watch by round 2"), "{text}");
    let report = json(&out.join("indicators.json"));
    let ranked = report["indicators"].as_array().unwrap();
    let top = ranked[0]["expected_change"].as_f64().unwrap();
    let decisive = ranked
        .iter()
        .find(|i| i["observable"] == "round 2: shock:decisive happened")
        .unwrap();
    assert_eq!(decisive["expected_change"].as_f64().unwrap(), top);
    let first_event = ranked
        .iter()
        .find(|i| i["observable"].as_str().unwrap().contains("happened"))
        .unwrap();
    assert_eq!(
        first_event["observable"],
        "round 2: shock:decisive happened"
    );
    let mood = ranked
        .iter()
        .find(|i| i["observable"] == "round 2: shock:mood happened")
        .unwrap();
    // The mood shock matters only through selection (it cannot happen in a
    // round after the channel broke), so it moves the forecast far less.
    assert!(
        mood["expected_change"].as_f64().unwrap() < top / 2.0,
        "{mood}"
    );
    assert!(out.join("indicators.csv").is_file());
}

/// `compare --given` pairs only run indices consistent in every scenario;
/// comparing a scenario with itself still differs by exactly 0.
#[test]
fn a_conditional_comparison_keeps_pairs_and_exact_zeros() {
    let dir = tempfile::tempdir().unwrap();
    let obs = write(
        dir.path(),
        "obs.toml",
        "[[observed]]\nround = 1\nchannel = \"active\"\n",
    );
    let out = dir.path().join("cmp");
    backchannel()
        .args(["compare", "muscat-2026", "muscat-2026", "--given"])
        .arg(&obs)
        .args(["--runs", "2000", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let comparison = json(&out.join("comparison.json"));
    assert_eq!(comparison["runs"], 2000);
    assert_eq!(comparison["conditioning"]["accepted"], 2000);
    for row in comparison["metrics"].as_array().unwrap() {
        assert_eq!(
            row["differences"][1]["difference"], 0.0,
            "{}",
            row["metric"]
        );
    }
    let survival1 = comparison["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == "survival.1")
        .unwrap();
    assert_eq!(
        survival1["values"][0]["value"], 1.0,
        "only runs alive after round 1 were kept"
    );
}

/// `indicators --given`: what to watch next among the runs consistent with
/// what is known; the baseline is the conditional forecast.
#[test]
fn indicators_can_start_from_what_is_known() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "hazard.toml", &hazard());
    let obs = write(
        dir.path(),
        "obs.toml",
        "[[observed]]\nround = 2\nchannel = \"active\"\n",
    );
    let out = dir.path().join("ind");
    backchannel()
        .arg("indicators")
        .arg(&scenario)
        .args(["--at", "4", "--runs", "20000", "-q", "--given"])
        .arg(&obs)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let report = json(&out.join("indicators.json"));
    assert_eq!(report["conditioning"]["accepted"], 20000);
    let baseline = report["baseline"][0][1]["p"].as_f64().unwrap();
    assert!(within_999(baseline, 0.9f64.powi(4), 20000.0), "{baseline}");
}

/// Issue 19, item 1: the page of a `--given` study names the observations
/// file in its reproduction command, embeds the file's text (escaped) and
/// its sha256, which `summary.json` records too; the command, run as
/// written, reproduces `summary.json`.
#[test]
fn a_conditional_report_embeds_hashes_and_reproduces_its_observations() {
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "hazard.toml", &hazard());
    let text = "# seen <in the news> & confirmed\n[[observed]]\nround = 2\nchannel = \"active\"\n";
    write(dir.path(), "obs.toml", text);
    let sha256: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    backchannel()
        .current_dir(dir.path())
        .args(["run", "hazard.toml", "--given", "obs.toml", "--set"])
        .args([
            "shocks.mood.hazard=0.2",
            "--runs",
            "3000",
            "-q",
            "--out",
            "page",
        ])
        .assert()
        .success();
    let summary = json(&dir.path().join("page/summary.json"));
    assert_eq!(
        summary["conditioning"]["observations_sha256"],
        sha256.as_str()
    );
    let page = fs::read_to_string(dir.path().join("page/report.html")).unwrap();
    assert!(
        page.contains("# seen &lt;in the news&gt; &amp; confirmed"),
        "text embedded, escaped"
    );
    assert!(page.contains("round 2: channel active"));
    assert!(page.contains(&sha256), "sha256 on the page");
    let start = page.find("<section id=\"reproduce\">").unwrap();
    let command = &page[start..];
    let opening = "<pre class=\"command\"><code>";
    let command = &command[command.find(opening).unwrap() + opening.len()..];
    let command = &command[..command.find("</code>").unwrap()];
    assert!(command.contains("--given obs.toml"), "{command}");
    assert!(
        command.contains("--set shocks.mood.hazard=0.2"),
        "{command}"
    );
    let words: Vec<&str> = command.split(' ').collect();
    assert_eq!(words[0], "backchannel");
    backchannel()
        .current_dir(dir.path())
        .args(&words[1..])
        .args(["-q", "--no-plots", "--out", "again"])
        .assert()
        .success();
    assert_eq!(
        fs::read(dir.path().join("again/summary.json")).unwrap(),
        fs::read(dir.path().join("page/summary.json")).unwrap()
    );
}
