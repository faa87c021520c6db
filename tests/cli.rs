//! The binary as a user meets it: commands that work, and every kind of bad
//! input getting a located message, exit status 2 and no output written.

use std::fs;
use std::path::{Path, PathBuf};

mod support;

use support::{backchannel, refused, two_party_scenario};
use tempfile::TempDir;

/// A valid scenario in which a deal is possible.
fn good() -> String {
    two_party_scenario("tiny", 0.2, "")
}

/// A scratch directory holding `scenario.toml` with `text`.
fn scenario(text: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scenario.toml");
    fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn validate_accepts_a_good_file_and_the_embedded_flagship() {
    let (_dir, path) = scenario(&good());
    let assert = backchannel()
        .arg("validate")
        .arg(&path)
        .arg("muscat-2026")
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stdout.contains("ok") && stdout.contains("tiny") && stdout.contains("muscat-2026"),
        "{stdout}"
    );
}

#[test]
fn scenarios_lists_the_flagship_with_a_description() {
    let assert = backchannel().arg("scenarios").assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.starts_with("muscat-2026"), "{stdout}");
    assert!(stdout.contains("Muscat"), "{stdout}");
}

#[test]
fn run_writes_the_contracted_files() {
    let (dir, path) = scenario(&good());
    let out = dir.path().join("results");
    backchannel()
        .args([
            "run",
            path.to_str().unwrap(),
            "--runs",
            "500",
            "--save-runs",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    for file in ["summary.json", "summary.csv", "manifest.json", "runs.csv"] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["schema"], "backchannel.summary.v1");
    assert_eq!(summary["runs"], 500);
    for key in [
        "scenario",
        "seed",
        "horizon",
        "channel_continued",
        "escalation",
        "deal",
        "channel",
        "causes",
        "survival",
        "first_agreement_round",
        "issues",
        "spoilers",
        "walkouts_mean",
    ] {
        assert!(summary.get(key).is_some(), "summary.json lacks {key}");
    }
    let runs = fs::read_to_string(out.join("runs.csv")).unwrap();
    let mut lines = runs.lines();
    assert_eq!(
        lines.next(),
        Some(
            "run,deal,channel,cause,escalation,contained,revealed,relapse,first_agreement_round,a"
        )
    );
    assert_eq!(lines.count(), 500);
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    for key in [
        "seed",
        "runs",
        "threads",
        "scenario",
        "backchannel_version",
        "rustc_version",
        "command_line",
        "wall_seconds",
    ] {
        assert!(manifest.get(key).is_some(), "manifest.json lacks {key}");
    }
}

#[test]
fn the_default_run_prints_the_headline_with_an_interval() {
    let dir = tempfile::tempdir().unwrap();
    let assert = backchannel()
        .current_dir(dir.path())
        .args(["run", "--runs", "2000"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stdout.contains("P(channel continued)") && stdout.contains('['),
        "{stdout}"
    );
    assert!(dir.path().join("output/muscat-2026/summary.json").is_file());
}

#[test]
fn malformed_toml_is_located() {
    let (dir, path) = scenario("[scenario\nname = \"x\"\n");
    let message = refused(dir.path(), &["run", path.to_str().unwrap()]);
    assert!(message.contains("scenario.toml:1:"), "{message}");
    assert!(message.contains("invalid TOML"), "{message}");
}

#[test]
fn unknown_keys_suggest_the_right_one() {
    let (dir, path) =
        scenario(&good().replace("horizon = 6", "horizon = 6\nroundlabel = \"week\""));
    let message = refused(dir.path(), &["run", path.to_str().unwrap()]);
    assert!(message.contains("unknown field `roundlabel`"), "{message}");
    assert!(message.contains("did you mean `round_label`?"), "{message}");
    assert!(message.contains("scenario.toml:4:1"), "{message}");
}

#[test]
fn wrong_types_name_the_key() {
    let (dir, path) = scenario(&good().replace("horizon = 6", "horizon = \"six\""));
    let message = refused(dir.path(), &["run", path.to_str().unwrap()]);
    assert!(message.contains("scenario.horizon"), "{message}");
    assert!(message.contains("scenario.toml:3:11"), "{message}");
}

#[test]
fn every_range_problem_is_reported_in_one_pass() {
    let text = good()
        .replace("horizon = 6", "horizon = 0")
        .replace("reservation = 0.2", "reservation = 1.2");
    let (dir, path) = scenario(&text);
    let message = refused(dir.path(), &["validate", path.to_str().unwrap()]);
    assert!(
        message.contains("`scenario.horizon`: expected a number of rounds from 1 to 1000, found 0"),
        "{message}"
    );
    assert!(
        message.contains("`parties.x.issues.a.reservation`"),
        "{message}"
    );
    assert!(
        message.contains("`parties.y.issues.a.reservation`"),
        "{message}"
    );
    assert!(message.contains("3 problems"), "{message}");
}

#[test]
fn cross_references_are_checked() {
    let text = good().replace("horizon = 6", "horizon = 6\n[format]\nmode = \"indirect\"")
        + "[[spoilers]]\nid = \"s\"\ntargets = [\"z\"]\n[[spoilers]]\nid = \"s\"\n";
    let (dir, path) = scenario(&text);
    let message = refused(dir.path(), &["validate", path.to_str().unwrap()]);
    assert!(
        message.contains("indirect talks need a [mediator] table"),
        "{message}"
    );
    assert!(message.contains("\"z\" is not a party"), "{message}");
    assert!(message.contains("duplicate id \"s\""), "{message}");
}

#[test]
fn a_missing_per_issue_table_is_named() {
    let text = good().replacen("[parties.issues.a]\nreservation = 0.2\n", "", 1);
    let (dir, path) = scenario(&text);
    let message = refused(dir.path(), &["validate", path.to_str().unwrap()]);
    assert!(message.contains("no table for issue \"a\""), "{message}");
}

#[test]
fn missing_files_and_directories_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let message = refused(dir.path(), &["run", "no-such-file.toml"]);
    assert!(
        message.contains("no scenario file or embedded scenario named \"no-such-file.toml\""),
        "{message}"
    );
    let message = refused(dir.path(), &["run", "muscat-2062"]);
    assert!(
        message.contains("did you mean the embedded scenario \"muscat-2026\"?"),
        "{message}"
    );
    let message = refused(dir.path(), &["run", dir.path().to_str().unwrap()]);
    assert!(message.contains("is a directory"), "{message}");
}

#[test]
fn bad_set_arguments_point_at_the_argument() {
    let dir = tempfile::tempdir().unwrap();
    let message = refused(
        dir.path(),
        &["run", "--set", "spoilers.isreal.capability=0.3"],
    );
    assert!(message.contains("--set"), "{message}");
    assert!(
        message.contains("did you mean `spoilers.israel`?"),
        "{message}"
    );
    let message = refused(
        dir.path(),
        &["run", "--set", "spoilers.israel.capability=1.5"],
    );
    assert!(
        message
            .contains("`spoilers.israel.capability`: expected a probability in [0, 1], found 1.5"),
        "{message}"
    );
    let message = refused(dir.path(), &["run", "--set", "format.mode"]);
    assert!(message.contains("expected KEY=VALUE"), "{message}");
}

#[test]
fn a_set_override_changes_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("direct");
    backchannel()
        .args([
            "run",
            "--runs",
            "300",
            "-q",
            "--set",
            "format.mode=direct",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("format.mode=direct"), "{manifest}");
}

#[test]
fn bad_counts_and_outputs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let message = refused(dir.path(), &["run", "--runs", "0"]);
    assert!(
        message.contains("`--runs`: expected a number from 1"),
        "{message}"
    );
    let message = refused(dir.path(), &["run", "--threads", "0"]);
    assert!(message.contains("`--threads`"), "{message}");
    refused(dir.path(), &["run", "--runs", "many"]);
    let file = dir.path().join("taken");
    fs::write(&file, "").unwrap();
    let output = backchannel()
        .args(["run", "--runs", "10", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a directory"));
}

#[test]
fn init_writes_a_template_that_validates_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    backchannel()
        .current_dir(dir.path())
        .args(["init", "doha-2027"])
        .assert()
        .success();
    let path = dir.path().join("doha-2027.toml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("name = \"doha-2027\""), "{text}");
    backchannel().arg("validate").arg(&path).assert().success();
    let again = backchannel()
        .current_dir(dir.path())
        .args(["init", "doha-2027"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        text,
        "the file is untouched"
    );
    let bad = backchannel()
        .current_dir(dir.path())
        .args(["init", "Doha 2027"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn schema_prints_a_json_schema_of_the_format() {
    let assert = backchannel().arg("schema").assert().success();
    let schema: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(
        schema["$defs"]["Party"]["properties"]["walkout_hazard"]["anyOf"][0]["maximum"],
        1.0
    );
    assert_eq!(
        schema["$defs"]["Party"]["properties"]["walkout_hazard"]["anyOf"][1]["$ref"],
        "#/$defs/Distribution",
        "a number may be a judged input"
    );
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn every_shipped_scenario_validates_and_is_listed() {
    let listed = backchannel().arg("scenarios").output().unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout).to_string();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let entries = fs::read_dir(&root)
        .unwrap()
        .chain(fs::read_dir(root.join("validation")).unwrap());
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            backchannel().arg("validate").arg(&path).assert().success();
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            assert!(
                listed.lines().any(|l| l.starts_with(&stem)),
                "{stem} is not embedded"
            );
        }
    }
}

/// Issue 9: every value a shipped scenario sets says why (a source, a
/// judgement with its range, or the closed form it serves). Names,
/// descriptions and ids need no reason.
#[test]
fn every_value_in_a_shipped_scenario_carries_its_reason() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let files = fs::read_dir(&root)
        .unwrap()
        .chain(fs::read_dir(root.join("validation")).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"));
    let mut bare = Vec::new();
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let Some((key, _)) = line.split_once('=') else {
                continue;
            };
            let key = key.trim();
            let is_value = !line.starts_with([' ', '#', '['])
                && !["id", "name", "description", "round_label"].contains(&key);
            if is_value && !line.contains('#') {
                bare.push(format!("{}:{}: {line}", path.display(), n + 1));
            }
        }
    }
    assert!(
        bare.is_empty(),
        "values without a reason:\n{}",
        bare.join("\n")
    );
}

/// Issue 19, item 2: `muscat-2026-direct` is the flagship with one key
/// changed, `format.mode`, besides its name and description.
#[test]
fn the_direct_scenario_is_the_flagship_with_only_the_mode_changed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let read = |name: &str| -> toml::Table {
        fs::read_to_string(root.join(name))
            .unwrap()
            .parse()
            .unwrap()
    };
    let mut flagship = read("muscat-2026.toml");
    let mut direct = read("muscat-2026-direct.toml");
    let mode = |t: &toml::Table| t["format"]["mode"].as_str().unwrap().to_string();
    assert_eq!(mode(&flagship), "indirect");
    assert_eq!(mode(&direct), "direct");
    for table in [&mut flagship, &mut direct] {
        let meta = table["scenario"].as_table_mut().unwrap();
        meta.remove("name").unwrap();
        meta.remove("description").unwrap();
        table["format"].as_table_mut().unwrap().remove("mode");
    }
    assert_eq!(flagship, direct, "the files differ beyond format.mode");
}

/// Issue 19, item 2: the mode-dependent values follow `format.mode`, so
/// `--set format.mode=direct` on the flagship gives exactly the results of
/// `muscat-2026-direct`, which differ from the flagship's.
#[test]
fn switching_the_mode_switches_the_values_it_implies() {
    let scratch = tempfile::tempdir().unwrap();
    let run = |dir: &str, args: &[&str]| -> serde_json::Value {
        let out = scratch.path().join(dir);
        backchannel()
            .args(["run", "--runs", "3000", "--no-plots", "-q", "--out"])
            .arg(&out)
            .args(args)
            .assert()
            .success();
        let mut summary = support::json(&out.join("summary.json"));
        summary.as_object_mut().unwrap().remove("scenario");
        summary
    };
    let flagship = run("flagship", &["muscat-2026"]);
    let set = run("set", &["muscat-2026", "--set", "format.mode=direct"]);
    let direct = run("direct", &["muscat-2026-direct"]);
    assert_eq!(set, direct);
    assert_ne!(set["deal"], flagship["deal"]);
}

/// Issue 19: counts agree with their nouns ("1 issue, 1 shock").
#[test]
fn validate_counts_in_the_singular_when_there_is_one() {
    let shock = "[[shocks]]\nid = \"s\"\nhazard = 0.1\neffect = \"break\"\n";
    let (_dir, path) = scenario(&two_party_scenario("one-each", 0.2, shock));
    let assert = backchannel().arg("validate").arg(&path).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stdout.contains("one-each (1 issue, 0 spoilers, 1 shock, 6 rounds)"),
        "{stdout}"
    );
}

/// Issue 19: a message with nothing to point at has no empty snippet line.
#[test]
fn unlocated_errors_carry_no_lone_gutter() {
    let scratch = tempfile::tempdir().unwrap();
    let stderr = refused(scratch.path(), &["run", "no-such-file.toml"]);
    assert!(stderr.contains("no-such-file.toml"), "{stderr}");
    assert!(!stderr.lines().any(|l| l.trim() == "|"), "{stderr}");
}

/// The mediator's style is set by name or by weight, on the command line
/// as in a file; a bad style or weight is refused with its key.
#[test]
fn the_mediators_style_takes_names_and_weights() {
    let dir = tempfile::tempdir().unwrap();
    for set in [
        "mediator.style=manipulation",
        "mediator.style.formulation=0.8",
        "mediator.leverage=0.2",
    ] {
        backchannel()
            .args([
                "run",
                "--runs",
                "400",
                "-q",
                "--no-plots",
                "--set",
                set,
                "--out",
            ])
            .arg(dir.path().join(set.replace(['.', '='], "-")))
            .assert()
            .success();
    }
    let sweep = dir.path().join("sweep");
    backchannel()
        .args([
            "sweep",
            "--vary",
            "mediator.style.manipulation=0..1:3",
            "--runs",
            "400",
        ])
        .args(["-q", "--no-plots", "--out"])
        .arg(&sweep)
        .assert()
        .success();
    let message = refused(dir.path(), &["run", "--set", "mediator.style=mediate"]);
    assert!(
        message.contains("`mediator.style`: expected \"facilitation\""),
        "{message}"
    );
    let message = refused(
        dir.path(),
        &["run", "--set", "mediator.style.manipulation=1.5"],
    );
    assert!(message.contains("mediator.style.manipulation"), "{message}");
}

/// Issue 34, item 6: a 9-way `compare` fits 80 columns when its output is
/// not a terminal (or `$COLUMNS`), each metric's figures wrapped under its
/// name; a terminal wide enough keeps one line per metric.
#[test]
fn a_nine_way_comparison_fits_the_width() {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = vec!["compare".into(), "muscat-2026".into()];
    args.extend((1..9).map(|k| format!("muscat-2026:format.leak_hazard=0.{k}")));
    args.extend(["--runs", "400", "--no-plots"].map(String::from));
    // The printed table, without the closing line that names the folder.
    let table = |columns: Option<&str>, out: &str| {
        let mut command = backchannel();
        command
            .current_dir(dir.path())
            .args(&args)
            .args(["--out", out]);
        match columns {
            Some(c) => command.env("COLUMNS", c),
            None => command.env_remove("COLUMNS"),
        };
        let output = command.output().unwrap();
        assert!(output.status.success(), "{output:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        let end = stdout.find("\n  Results in").expect("the results line");
        stdout[..end].to_string()
    };
    let piped = table(None, "a");
    let rows: Vec<&str> = piped.lines().collect();
    for line in &rows {
        assert!(
            line.chars().count() <= 80,
            "{} columns: {line:?}",
            line.chars().count()
        );
    }
    // Every scenario's figures are there, labelled, under each metric.
    let channel = rows
        .iter()
        .position(|l| l.trim() == "P(channel continued)")
        .unwrap();
    let figures = rows[channel + 1..]
        .iter()
        .take_while(|l| l.starts_with("    ["))
        .flat_map(|l| l.split_whitespace())
        .filter(|w| {
            w.starts_with('[') && w.ends_with(']') && w[1..w.len() - 1].parse::<u8>().is_ok()
        })
        .count();
    assert_eq!(figures, 9, "{piped}");
    assert_eq!(table(Some("80"), "b"), piped);
    let wide = table(Some("400"), "c");
    let line = wide
        .lines()
        .find(|l| l.trim_start().starts_with("P(channel continued)"))
        .unwrap();
    assert!(line.chars().count() > 200, "one line a metric: {wide}");
}
