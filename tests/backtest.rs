//! The back-test (docs/BACKTEST.md): its bootstrap against a closed form on
//! a toy case set, its scores against their definitions, determinism across
//! thread counts, and bad input refused with nothing written.

use std::fs;
use std::path::Path;

mod support;

use backchannel::stats::scoring::{bootstrap, resamples};
use serde_json::Value;
use support::{backchannel, json, refused, two_party_scenario, write};

/// A case: a small scenario with judged inputs and a `[record]`.
fn case(name: &str, record: &str) -> String {
    let extra = format!(
        r#"
[[shocks]]
id = "war"
hazard = {{ uniform = [0.05, 0.15] }}
effect = "escalate"

[record]
{record}
"#
    );
    two_party_scenario(name, 0.45, &extra)
}

fn toy_cases(dir: &Path) {
    let records = [
        (
            "a",
            "agreement = { happened = true, month = 6 }\nescalation = { happened = false, month = 6 }",
        ),
        (
            "b",
            "agreement = { happened = false, month = 3 }\nchannel_alive = { happened = true, month = 6 }",
        ),
        (
            "c",
            "agreement = { happened = true, month = 4 }\nescalation = { happened = true, month = 5 }",
        ),
    ];
    for (name, record) in records {
        write(dir, &format!("{name}.toml"), &case(name, record));
    }
}

fn backtest(dir: &Path, out: &Path, threads: &str) -> Value {
    backchannel()
        .args([
            "backtest",
            dir.to_str().unwrap(),
            "--runs",
            "3000",
            "--worlds",
            "10",
        ])
        .args([
            "--threads",
            threads,
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    json(&out.join("backtest.json"))
}

/// The bootstrap distribution of a mean over `n` cases has mean `x̄` and
/// variance `σ²/n` with `σ²` the cases' variance (divisor n): the resamples
/// must reproduce it. With two cases {0, 1}, the resampled mean is 0, ½
/// or 1 with probabilities ¼, ½, ¼, so the 95 % interval is exactly [0, 1].
#[test]
fn the_bootstrap_matches_its_closed_form() {
    let values = [0.1, 0.4, 0.35, 0.9, 0.0, 0.25, 0.6, 0.05];
    let n = values.len();
    let draws = resamples(n, 20_000, 7);
    let means: Vec<f64> = draws
        .iter()
        .map(|d| d.iter().map(|&i| values[i]).sum::<f64>() / n as f64)
        .collect();
    let mean = values.iter().sum::<f64>() / n as f64;
    let sigma2 = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
    let boot_mean = means.iter().sum::<f64>() / means.len() as f64;
    let boot_var = means.iter().map(|m| (m - boot_mean).powi(2)).sum::<f64>() / means.len() as f64;
    assert!((boot_mean - mean).abs() < 0.005, "{boot_mean} vs {mean}");
    let expected = sigma2 / n as f64;
    assert!(
        (boot_var / expected - 1.0).abs() < 0.05,
        "bootstrap variance {boot_var} vs closed form {expected}"
    );
    // The interval of the mean brackets it and is about ±1.96 sd wide.
    let stat = |idx: &[usize]| Some(idx.iter().map(|&i| values[i]).sum::<f64>() / idx.len() as f64);
    let interval = bootstrap(n, &draws, stat).unwrap();
    assert_eq!(interval.value, mean);
    let half = 1.959_964 * expected.sqrt();
    assert!((interval.hi - interval.lo) / (2.0 * half) - 1.0 < 0.15);

    let two = [0.0, 1.0];
    let draws = resamples(2, 4_000, 11);
    let interval = bootstrap(2, &draws, |idx| {
        Some(idx.iter().map(|&i| two[i]).sum::<f64>() / 2.0)
    })
    .unwrap();
    assert_eq!((interval.value, interval.lo, interval.hi), (0.5, 0.0, 1.0));
}

/// Every forecast's Brier and log scores follow their definitions, the
/// base rate is the share of the *other* cases, and the overall mean is
/// the mean of every scored forecast.
#[test]
fn scores_follow_their_definitions() {
    let scratch = tempfile::tempdir().unwrap();
    let cases = scratch.path().join("cases");
    fs::create_dir(&cases).unwrap();
    toy_cases(&cases);
    let report = backtest(&cases, &scratch.path().join("out"), "2");
    assert_eq!(report["schema"], "backchannel.backtest.v1");
    let mut briers = Vec::new();
    let mut agreements = Vec::new();
    for case in report["cases"].as_array().unwrap() {
        for f in case["forecasts"].as_array().unwrap() {
            let p = f["p"].as_f64().unwrap();
            let y = f["happened"].as_bool().unwrap();
            let yf = if y { 1.0 } else { 0.0 };
            assert!((f["brier"].as_f64().unwrap() - (p - yf).powi(2)).abs() < 1e-12);
            let kept = p.clamp(0.5 / 3000.0, 1.0 - 0.5 / 3000.0);
            let log = if y { -kept.ln() } else { -(1.0 - kept).ln() };
            assert!((f["log"].as_f64().unwrap() - log).abs() < 1e-12);
            assert!(f["p05"].as_f64().unwrap() <= f["p95"].as_f64().unwrap());
            briers.push(f["brier"].as_f64().unwrap());
            if f["outcome"] == "agreement" {
                agreements.push((y, f["base_rate"].as_f64().unwrap()));
            }
        }
    }
    // Agreement happened in a and c, not b: each case's base rate is the others'.
    let expected = [0.5, 1.0, 0.5];
    for ((_, rate), want) in agreements.iter().zip(expected) {
        assert_eq!(*rate, want);
    }
    let overall = report["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["outcome"] == "overall")
        .unwrap();
    let mean = briers.iter().sum::<f64>() / briers.len() as f64;
    assert!((overall["brier"]["value"].as_f64().unwrap() - mean).abs() < 1e-12);
    assert_eq!(overall["forecasts"].as_u64().unwrap(), briers.len() as u64);
    let csv = fs::read_to_string(scratch.path().join("out/backtest.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + briers.len());
}

#[test]
fn backtest_is_byte_identical_across_thread_counts() {
    let scratch = tempfile::tempdir().unwrap();
    let cases = scratch.path().join("cases");
    fs::create_dir(&cases).unwrap();
    toy_cases(&cases);
    backtest(&cases, &scratch.path().join("one"), "1");
    backtest(&cases, &scratch.path().join("two"), "2");
    for file in ["backtest.json", "backtest.csv"] {
        assert_eq!(
            fs::read(scratch.path().join("one").join(file)).unwrap(),
            fs::read(scratch.path().join("two").join(file)).unwrap(),
            "{file}"
        );
    }
}

/// Bad input: a located message, exit status 2, nothing written, and no
/// case run (the good cases beside a bad one are not run either).
#[test]
fn bad_cases_are_refused_with_nothing_written() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = |name: &str| {
        let path = scratch.path().join(name);
        fs::create_dir(&path).unwrap();
        path
    };
    let check = |path: &Path, expected: &[&str]| {
        let stderr = refused(scratch.path(), &["backtest", path.to_str().unwrap()]);
        for e in expected {
            assert!(stderr.contains(e), "expected {e:?} in\n{stderr}");
        }
    };

    let empty = dir("empty");
    check(&empty, &["no scenario files (*.toml)", "empty"]);

    let no_record = dir("no-record");
    toy_cases(&no_record);
    write(&no_record, "z.toml", &two_party_scenario("z", 0.45, ""));
    check(&no_record, &["needs a [record] table", "z.toml"]);

    let unknown = dir("unknown");
    write(
        &unknown,
        "u.toml",
        &case("u", "agreed = { happened = true, month = 3 }"),
    );
    check(
        &unknown,
        &["agreed", "did you mean `agreement`?", "u.toml:"],
    );

    let late = dir("late");
    write(
        &late,
        "l.toml",
        &case("l", "ratified = { happened = true, month = 9 }"),
    );
    check(
        &late,
        &[
            "record.ratified.month",
            "from 1 to 6, found 9",
            "l.toml:",
            "raise",
        ],
    );

    check(
        &scratch.path().join("missing"),
        &["cannot read the directory of cases"],
    );
}

/// A case file runs unchanged: `run` ignores `[record]`.
#[test]
fn run_ignores_the_record() {
    let scratch = tempfile::tempdir().unwrap();
    let with = write(
        scratch.path(),
        "with.toml",
        &case("same", "agreement = { happened = true, month = 6 }"),
    );
    let text = fs::read_to_string(&with).unwrap();
    let without = write(
        scratch.path(),
        "without.toml",
        text.split("[record]").next().unwrap(),
    );
    for (file, out) in [(&with, "o1"), (&without, "o2")] {
        backchannel()
            .args([
                "run",
                file.to_str().unwrap(),
                "--runs",
                "500",
                "--quiet",
                "--no-plots",
            ])
            .args(["--out", scratch.path().join(out).to_str().unwrap()])
            .assert()
            .success();
    }
    let a = json(&scratch.path().join("o1/summary.json"));
    let b = json(&scratch.path().join("o2/summary.json"));
    assert_eq!(a["channel_continued"], b["channel_continued"]);
    assert_eq!(a["deal"], b["deal"]);
}

/// The reliability diagram draws every forecast as a point of its own: one
/// marker per forecast of `backtest.json`, in its order, at its probability
/// on the x axis and near 100 % if it happened, near 0 % if not, both read
/// through the pixels of the diagonal from (0, 0) to (100, 100).
#[test]
fn the_reliability_diagram_has_a_point_per_forecast_where_it_belongs() {
    use backchannel::report::backtest::forecast_height;

    let scratch = tempfile::tempdir().unwrap();
    let cases = scratch.path().join("cases");
    fs::create_dir(&cases).unwrap();
    toy_cases(&cases);
    let out = scratch.path().join("out");
    let report = backtest(&cases, &out, "2");
    let forecasts: Vec<(f64, bool)> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["forecasts"].as_array().unwrap().iter())
        .map(|f| (f["p"].as_f64().unwrap(), f["happened"].as_bool().unwrap()))
        .collect();
    assert_eq!(forecasts.len(), 6);
    let svg = fs::read_to_string(out.join("plots/reliability.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let number = |n: &roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
    let diagonal: Vec<(f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some("#999999"))
        .map(|n| {
            n.attribute("points")
                .unwrap()
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect::<Vec<(f64, f64)>>()
        })
        .find(|ends| ends.len() == 2 && ends[0].1 != ends[1].1)
        .expect("the diagonal of perfect calibration");
    let ((x0, y0), (x100, y100)) = (diagonal[0], diagonal[1]);
    // The forecasts' points: the markers of their colour (the light purple
    // of a second measure) inside the plot, below the legend's.
    let points: Vec<(f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle") && n.attribute("fill") == Some("#B2ABD2"))
        .map(|n| (number(&n, "cx"), number(&n, "cy")))
        .filter(|&(_, cy)| cy >= y100 && cy <= y0)
        .collect();
    assert_eq!(points.len(), forecasts.len(), "{points:?}");
    for (k, (&(p, happened), &(cx, cy))) in forecasts.iter().zip(&points).enumerate() {
        let x = x0 + (x100 - x0) * p;
        let y = y0 + (y100 - y0) * forecast_height(k, happened) / 100.0;
        assert!(
            (cx - x).abs() <= 1.0 && (cy - y).abs() <= 1.0,
            "forecast {k} (p {p}, happened {happened}) drawn at ({cx}, {cy}), expected ({x:.1}, {y:.1})"
        );
        let top_half = cy < (y0 + y100) / 2.0;
        assert_eq!(top_half, happened, "forecast {k}");
    }
}

/// docs/VALIDATION.md quotes the back-test of `scenarios/backtest` (its
/// text summary, every forecast and the reliability diagram): recompute it
/// and compare. With `UPDATE_VALIDATION=1` the page and the diagram are
/// rewritten instead (after a change to the model, its defaults or the
/// protocol).
#[test]
#[ignore = "340 000 runs: cargo test --release --test backtest -- --ignored"]
fn validation_md_quotes_the_backtest() {
    use backchannel::Backtest;
    use backchannel::report::backtest::backtest_charts;

    let results = Backtest::new("scenarios/backtest").run().unwrap();
    let report = &results.report;
    let summary = format!("```text\n{}```\n", report.render_text());
    let page_path = Path::new("docs/VALIDATION.md");
    let page = fs::read_to_string(page_path).unwrap();
    let page = replace_between(&page, "backtest summary", &summary);
    let page = replace_between(&page, "backtest cases", &cases_table(report));
    let (svg, _) = backtest_charts(report)[0].render().unwrap();
    let svg_path = Path::new("docs/img/backtest-reliability.svg");
    if std::env::var_os("UPDATE_VALIDATION").is_some() {
        fs::write(page_path, &page).unwrap();
        fs::write(svg_path, &svg).unwrap();
        return;
    }
    let current = fs::read_to_string(page_path).unwrap();
    assert!(
        current == page,
        "docs/VALIDATION.md does not quote the current back-test; rerun with \
         UPDATE_VALIDATION=1 and rewrite its paragraphs to match:\n{summary}"
    );
    assert_eq!(
        fs::read_to_string(svg_path).unwrap(),
        svg,
        "{}",
        svg_path.display()
    );
}

/// `text` between `<!-- NAME: begin -->` and `<!-- NAME: end -->`.
fn replace_between(page: &str, name: &str, text: &str) -> String {
    let begin = format!("<!-- {name}: begin -->\n");
    let end = format!("<!-- {name}: end -->");
    let start = page.find(&begin).expect("the begin marker") + begin.len();
    let stop = page.find(&end).expect("the end marker");
    format!("{}{}{}", &page[..start], text, &page[stop..])
}

/// Every forecast as a Markdown table: percent, the 5–95 % spread across
/// worlds, what happened in bold.
fn cases_table(report: &backchannel::results::BacktestReport) -> String {
    const OUTCOMES: [&str; 4] = ["agreement", "channel_alive", "ratified", "escalation"];
    let mut table = format!(
        "| case | start | style | {} |\n|---|---|---|---|---|---|---|\n",
        OUTCOMES.join(" | ")
    );
    for case in &report.cases {
        let cell = |outcome: &str| {
            case.forecasts
                .iter()
                .find(|f| f.outcome == outcome)
                .map_or("—".to_string(), |f| {
                    format!(
                        "{:.0} ({:.0}–{:.0}) **{}**",
                        100.0 * f.p,
                        100.0 * f.p05,
                        100.0 * f.p95,
                        if f.happened { "yes" } else { "no" }
                    )
                })
        };
        let cells: Vec<String> = OUTCOMES.iter().map(|o| cell(o)).collect();
        table.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            case.name.trim_start_matches("case-"),
            case.start.as_deref().unwrap_or(""),
            case.style.as_deref().unwrap_or(""),
            cells.join(" | ")
        ));
    }
    table
}

/// SIGINT and SIGTERM stop a back-test within moments: its exit status,
/// "interrupted", and no temporary directory or results left.
#[test]
fn a_signal_stops_a_backtest_and_leaves_nothing() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let scratch = tempfile::tempdir().unwrap();
    let cases = scratch.path().join("cases");
    fs::create_dir(&cases).unwrap();
    toy_cases(&cases);
    let hidden = |dir: &Path| {
        fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().starts_with('.'))
    };
    for (signal, status) in [("INT", 130), ("TERM", 143)] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_backchannel"))
            .current_dir(scratch.path())
            .args([
                "backtest",
                "cases",
                "--runs",
                "1000000000",
                "--out",
                "out",
                "-q",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !hidden(scratch.path()) {
            assert!(
                Instant::now() < deadline,
                "the back-test never started writing"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        let code = loop {
            if let Some(done) = child.try_wait().unwrap() {
                break done.code();
            }
            assert!(Instant::now() < deadline, "SIG{signal}: did not stop");
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut text = String::new();
        use std::io::Read;
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(code, Some(status), "SIG{signal}: {text}");
        assert!(
            text.contains(&format!("interrupted by SIG{signal}")),
            "{text}"
        );
        assert!(!hidden(scratch.path()), "SIG{signal} left a temporary");
        assert!(!scratch.path().join("out").exists());
    }
}
