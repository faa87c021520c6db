//! Calibration where the answer is known (docs/VALIDATION.md,
//! "Calibration"): a constant hazard `h` with a uniform prior, whose
//! survival to round `T` is `(1 - h)^T`, observed as `k` of `n` channels
//! surviving. The posterior is proportional to
//! `(1 - h)^{Tk} (1 - (1 - h)^T)^{n - k}`; the sampler's own target, with
//! each world's probability known from `m` runs, is that likelihood
//! integrated over the runs (docs/MODEL.md, "Calibration"), which tends
//! to it as `m` grows. Both are computed here by quadrature.

use std::path::Path;

mod support;

use backchannel::results::CalibrationReport;
use backchannel::{Calibration, CalibrationFile, Error};
use statrs::function::gamma::ln_gamma;
use support::{backchannel, json, refused, write};

const HAZARD: &str = "shocks.break.hazard";

fn scenario() -> String {
    format!(
        "{}/scenarios/validation/constant-hazard.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A target on the constant-hazard scenario with horizon `horizon`, the
/// hazard judged `prior`, observing `k` of `n` channels continuing.
fn target(name: &str, horizon: u32, prior: &str, k: u64, n: u64) -> String {
    format!(
        "[[targets]]\nname = \"{name}\"\nscenario = \"{}\"\nset = [\"scenario.horizon={horizon}\", \"{HAZARD}={prior}\"]\noutcome = \"channel_continued\"\nobserved = {k}\ntrials = {n}\n",
        scenario()
    )
}

fn calibrate(text: &str, threads: usize) -> Result<CalibrationReport, Error> {
    let file = CalibrationFile::parse("test.toml", text, Path::new("."))?;
    Ok(Calibration::new(&file).threads(threads).run()?.calibration)
}

fn ln_choose(n: f64, k: f64) -> f64 {
    ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0)
}

fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// The likelihood of `k` of `n` at survival `s`: binomial when `m` is
/// `None`, else integrated over `r` of `m` runs (the sampler's target).
fn likelihood(s: f64, k: u64, n: u64, m: Option<u64>) -> f64 {
    let (kf, nf) = (k as f64, n as f64);
    let Some(m) = m else {
        return (kf * s.ln() + (nf - kf) * (1.0 - s).ln()).exp();
    };
    let mf = m as f64;
    (0..=m)
        .map(|r| {
            let rf = r as f64;
            let runs = ln_choose(mf, rf) + rf * s.ln() + (mf - rf) * (1.0 - s).ln();
            let observation = ln_choose(nf, kf) + ln_beta(kf + rf + 1.0, nf - kf + mf - rf + 1.0)
                - ln_beta(rf + 1.0, mf - rf + 1.0);
            (runs + observation).exp()
        })
        .sum()
}

/// Mean, sd, 5th and 95th percentiles of a posterior on `[0, 1]` with
/// unnormalised density `f`, by the midpoint rule.
fn quadrature(f: impl Fn(f64) -> f64) -> [f64; 4] {
    const POINTS: usize = 4000;
    let h: Vec<f64> = (0..POINTS)
        .map(|i| (i as f64 + 0.5) / POINTS as f64)
        .collect();
    let w: Vec<f64> = h.iter().map(|&h| f(h)).collect();
    let total: f64 = w.iter().sum();
    let mean = h.iter().zip(&w).map(|(h, w)| h * w).sum::<f64>() / total;
    let var = h
        .iter()
        .zip(&w)
        .map(|(h, w)| (h - mean).powi(2) * w)
        .sum::<f64>()
        / total;
    let quantile = |q: f64| {
        let mut c = 0.0;
        for (h, w) in h.iter().zip(&w) {
            c += w / total;
            if c >= q {
                return *h;
            }
        }
        1.0
    };
    [mean, var.sqrt(), quantile(0.05), quantile(0.95)]
}

/// The posterior's mean within 4 Monte Carlo standard errors (sd over the
/// square root of the effective sample) of `exact`, its percentiles within
/// 6 (a percentile's error is larger than the mean's).
fn assert_matches(report: &CalibrationReport, exact: [f64; 4]) {
    let post = report.inputs[0].posterior;
    let se = exact[1] / report.ess.sqrt();
    let checks = [
        ("mean", post.mean, exact[0], 4.0 * se),
        ("5th percentile", post.p5, exact[2], 6.0 * se),
        ("95th percentile", post.p95, exact[3], 6.0 * se),
    ];
    for (what, got, want, tolerance) in checks {
        assert!(
            (got - want).abs() <= tolerance,
            "{what}: {got} vs {want} (tolerance {tolerance}, ESS {})",
            report.ess
        );
    }
    assert!(
        (post.sd - exact[1]).abs() <= 0.15 * exact[1],
        "sd {} vs {}",
        post.sd,
        exact[1]
    );
}

#[test]
fn a_constant_hazard_gets_the_closed_form_posterior() {
    let (t, k, n, m) = (12, 6, 20, 400);
    let text = format!(
        "[calibration]\nseed = 5\nworlds = 800\nruns_per_world = {m}\n\n{}",
        target("survival", t, "{uniform=[0.0, 1.0]}", k, n)
    );
    let report = calibrate(&text, 2).unwrap();
    assert!(report.reached_min_ess, "ESS {}", report.ess);
    let survival = |h: f64| (1.0 - h).powi(t as i32);
    let exact = quadrature(|h| likelihood(survival(h), k, n, Some(m)));
    assert_matches(&report, exact);
    // The closed form, (1-h)^{Tk} (1-(1-h)^T)^{n-k}, is the limit
    // of many runs per world: within a tenth of a posterior sd at m = 400.
    let closed = quadrature(|h| likelihood(survival(h), k, n, None));
    let mean = report.inputs[0].posterior.mean;
    let se = closed[1] / report.ess.sqrt();
    assert!(
        (mean - closed[0]).abs() <= 4.0 * se + 0.1 * closed[1],
        "{mean} vs the closed form's {}",
        closed[0]
    );
    // Its predictive interval holds the observation it was fitted to.
    let target = &report.targets[0];
    assert!(!target.outside, "{target:?}");
    assert!(target.predicted_rate90[0] <= 0.3 && 0.3 <= target.predicted_rate90[1]);
}

#[test]
fn two_targets_sharing_the_hazard_multiply_their_likelihoods() {
    let m = 300;
    let prior = "{uniform=[0.0, 0.5]}";
    let text = format!(
        "[calibration]\nseed = 9\nworlds = 800\nruns_per_world = {m}\n\n{}\n{}",
        target("a year", 12, prior, 9, 30),
        target("half a year", 6, prior, 14, 25)
    );
    let report = calibrate(&text, 2).unwrap();
    assert_eq!(
        report.inputs.len(),
        1,
        "one key in two targets is one unknown"
    );
    assert_eq!(report.inputs[0].targets, ["a year", "half a year"]);
    let exact = quadrature(|u| {
        let h = 0.5 * u;
        likelihood((1.0 - h).powi(12), 9, 30, Some(m))
            * likelihood((1.0 - h).powi(6), 14, 25, Some(m))
    });
    let scaled = [
        0.5 * exact[0],
        0.5 * exact[1],
        0.5 * exact[2],
        0.5 * exact[3],
    ];
    assert_matches(&report, scaled);
}

#[test]
fn renamed_inputs_are_separate_unknowns() {
    let text = format!(
        "[calibration]\nworlds = 100\nruns_per_world = 20\nmax_generations = 1\nmin_ess = 1\n\n{}rename = {{ \"{HAZARD}\" = \"b.hazard\" }}\n\n{}",
        target("a", 12, "{uniform=[0.0, 0.5]}", 3, 10),
        target("b", 12, "{uniform=[0.0, 0.5]}", 3, 10),
    );
    let report = calibrate(&text, 1).unwrap();
    let names: Vec<&str> = report.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["b.hazard", HAZARD]);
}

#[test]
fn an_observation_the_prior_cannot_produce_names_its_target() {
    let text = format!(
        "[calibration]\nworlds = 50\nruns_per_world = 50\n\n{}",
        target("long survival", 12, "{uniform=[0.5, 0.9]}", 18, 20)
    );
    let message = calibrate(&text, 2).err().unwrap().to_string();
    assert!(
        message.contains("target `long survival`: observed 18 of 20")
            && message.contains("no world of the prior can produce"),
        "{message}"
    );
}

#[test]
fn results_do_not_depend_on_the_threads() {
    let text = format!(
        "[calibration]\nseed = 3\nworlds = 60\nruns_per_world = 30\nmin_ess = 50\nmax_generations = 3\n\n{}",
        target("survival", 12, "{uniform=[0.0, 1.0]}", 6, 20)
    );
    let one = calibrate(&text, 1).unwrap();
    let two = calibrate(&text, 2).unwrap();
    assert_eq!(one.to_json(), two.to_json());
}

#[test]
fn the_calibrated_scenario_runs_with_the_posterior() {
    let text = format!(
        "[calibration]\nseed = 3\nworlds = 100\nruns_per_world = 50\nmin_ess = 50\n\n{}",
        target("survival", 12, "{uniform=[0.0, 1.0]}", 6, 20)
    );
    let file = CalibrationFile::parse("test.toml", &text, Path::new(".")).unwrap();
    let results = Calibration::new(&file).threads(2).run().unwrap();
    assert_eq!(results.scenarios.len(), 1);
    let backchannel::CalibratedScenario {
        path: name,
        text: calibrated,
        ..
    } = &results.scenarios[0];
    assert_eq!(name, "calibrated/survival.toml");
    let scenario = backchannel::Scenario::from_toml(calibrated, name).unwrap();
    let input = scenario.judged_inputs()[0];
    assert_eq!(input.key, HAZARD);
    let post = results.calibration.inputs[0].posterior;
    let mean = input.distribution.mean().unwrap();
    assert!(
        (mean - post.mean).abs() < 0.1 * post.sd + 1e-3,
        "{mean} vs {}",
        post.mean
    );
}

/// Bad calibration input: exit status 2, a message naming the file and the
/// place, nothing written.
#[test]
fn bad_calibration_files_are_refused_with_their_place() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    let good = target("t", 12, "{uniform=[0.0, 1.0]}", 6, 20);
    let cases = [
        (
            "over.toml",
            good.replace("observed = 6", "observed = 21"),
            "more successes than trials",
            Some(":6:"),
        ),
        (
            "negative.toml",
            good.replace("trials = 20", "trials = -3"),
            "expected a count from 0",
            Some(":7:"),
        ),
        (
            "outcome.toml",
            good.replace("\"channel_continued\"", "\"deal.comprehensiv\""),
            "did you mean `deal.comprehensive`?",
            Some(":5:"),
        ),
        (
            "plain.toml",
            good.replace(&format!(", \"{HAZARD}={{uniform=[0.0, 1.0]}}\""), ""),
            "has no judged inputs",
            Some(":3:"),
        ),
        (
            "unreachable.toml",
            format!(
                "[calibration]\nworlds = 40\nruns_per_world = 20\n{}",
                target("t", 12, "{uniform=[0.5, 0.9]}", 19, 20)
            ),
            "no world of the prior can produce",
            Some(":6:"),
        ),
        (
            "unknown-key.toml",
            format!("[calibration]\nworld = 40\n{good}"),
            "world",
            Some(":2:"),
        ),
    ];
    for (name, text, expected, place) in cases {
        write(dir, name, &text);
        let stderr = refused(dir, &["calibrate", name]);
        assert!(
            stderr.contains(expected),
            "{name}: expected {expected:?} in\n{stderr}"
        );
        assert!(
            stderr.contains(name),
            "{name}: the message names the file\n{stderr}"
        );
        if let Some(place) = place {
            assert!(
                stderr.contains(&format!("{name}{place}")),
                "{name}: located at {place}\n{stderr}"
            );
        }
    }
    std::fs::create_dir(dir.join("folder.toml")).unwrap();
    let stderr = refused(dir, &["calibrate", "folder.toml"]);
    assert!(stderr.contains("is a directory"), "{stderr}");
    let stderr = refused(dir, &["calibrate", "/dev/zero"]);
    assert!(stderr.contains("larger than"), "{stderr}");
}

#[test]
fn the_command_writes_the_calibration_and_a_scenario_run_takes() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    let text = format!(
        "[calibration]\nseed = 3\nworlds = 100\nruns_per_world = 50\nmin_ess = 50\n\n{}",
        target("survival", 12, "{uniform=[0.0, 1.0]}", 6, 20)
    );
    write(dir, "cal.toml", &text);
    let out = dir.join("out");
    backchannel()
        .current_dir(dir)
        .args([
            "calibrate",
            "cal.toml",
            "--threads",
            "2",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let report = json(&out.join("calibration.json"));
    assert_eq!(report["schema"], "backchannel.calibration.v1");
    assert_eq!(
        report["calibrated_scenarios"][0],
        "calibrated/survival.toml"
    );
    let manifest = json(&out.join("manifest.json"));
    let files: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "calibration.json",
            "calibrated/survival.toml",
            "plots/inputs.svg",
            "plots/inputs.png",
            "plots/targets.svg",
            "plots/targets.png",
            "calibration.html",
            "manifest.json"
        ]
    );
    let page = std::fs::read_to_string(out.join("calibration.html")).unwrap();
    assert!(page.contains("What the data did to each judged input"));
    backchannel()
        .current_dir(dir)
        .args([
            "run",
            "out/calibrated/survival.toml",
            "--runs",
            "2000",
            "--quiet",
            "--no-plots",
            "--out",
            "run",
        ])
        .assert()
        .success();
    assert!(dir.join("run/summary.json").is_file());
}

/// The pairs plot: the inputs with the largest posterior contraction, at
/// most three, each pair of them a grid of tenths of their priors holding
/// the posterior's weight, drawn with titles, units and the cells' shares.
/// Here the hazard decides survival and the other three inputs change
/// nothing (no deal can be made, no leak matters), so the hazard leads.
#[test]
fn the_pairs_plot_shows_the_inputs_the_data_moved_most() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    let text = format!(
        "[calibration]\nseed = 4\nworlds = 300\nruns_per_world = 50\nmin_ess = 100\n\n{}",
        target("survival", 12, "{uniform=[0.0, 0.5]}", 6, 20)
    )
    .replace(
        "\"]\noutcome",
        "\", \"parties.a.issues.unbridgeable.reservation={uniform=[0.6, 0.7]}\", \
         \"parties.b.issues.unbridgeable.reservation={uniform=[0.6, 0.7]}\", \
         \"format.leak_hazard={uniform=[0.0, 0.2]}\"]\noutcome",
    );
    write(dir, "cal.toml", &text);
    let out = dir.join("out");
    backchannel()
        .current_dir(dir)
        .args(["calibrate", "cal.toml", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let report = json(&out.join("calibration.json"));
    let inputs = report["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 4);
    let mut by_contraction: Vec<(&str, f64)> = inputs
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap(),
                i["contraction"].as_f64().unwrap(),
            )
        })
        .collect();
    by_contraction.sort_by(|a, b| b.1.total_cmp(&a.1));
    let expected: Vec<&str> = by_contraction.iter().take(3).map(|(n, _)| *n).collect();
    let pairs = &report["pairs"];
    let chosen: Vec<&str> = pairs["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(chosen, expected);
    assert_eq!(chosen[0], HAZARD);
    let panels = pairs["panels"].as_array().unwrap();
    let names = |p: &serde_json::Value| {
        (
            p["x"].as_str().unwrap().to_string(),
            p["y"].as_str().unwrap().to_string(),
        )
    };
    let pair = |a: usize, b: usize| (chosen[a].to_string(), chosen[b].to_string());
    assert_eq!(
        panels.iter().map(names).collect::<Vec<_>>(),
        [pair(0, 1), pair(0, 2), pair(1, 2)]
    );
    let posterior_mean = inputs.iter().find(|i| i["name"] == HAZARD).unwrap()["posterior"]["mean"]
        .as_f64()
        .unwrap();
    for (k, panel) in panels.iter().enumerate() {
        let grid: Vec<Vec<f64>> = panel["weight"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                c.as_array()
                    .unwrap()
                    .iter()
                    .map(|w| w.as_f64().unwrap())
                    .collect()
            })
            .collect();
        assert_eq!(grid.len(), 10);
        assert!(grid.iter().all(|c| c.len() == 10));
        let total: f64 = grid.iter().flatten().sum();
        assert!((total - 1.0).abs() < 1e-9, "weights sum to {total}");
        let centres: Vec<f64> = panel["x_centres"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_f64().unwrap())
            .collect();
        if k < 2 {
            // The hazard across: its tenths of [0, 0.5] are 0.05 wide, and
            // the grid's mean is the posterior's within half a tenth.
            assert!((centres[0] - 0.025).abs() < 1e-12 && (centres[9] - 0.475).abs() < 1e-12);
            let mean: f64 = grid
                .iter()
                .zip(&centres)
                .map(|(c, x)| x * c.iter().sum::<f64>())
                .sum();
            assert!(
                (mean - posterior_mean).abs() <= 0.025,
                "{mean} vs {posterior_mean}"
            );
        }
        // The chart: its title names the pair, its axes carry units, and
        // its cells print the shares of the grid.
        let svg = std::fs::read_to_string(out.join(format!("plots/pairs-{}.svg", k + 1))).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let texts: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text().map(|t| t.trim().to_string()))
            .collect();
        let (x, y) = names(panel);
        // A long title wraps: its lines joined by spaces.
        let all = texts.join(" ");
        assert!(
            all.contains(&format!("Posterior of {x} and {y}")),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.starts_with(&x) && t.ends_with(')')),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.starts_with(&y) && t.ends_with(')')),
            "{texts:?}"
        );
        if x == HAZARD {
            assert!(texts.contains(&format!("{HAZARD} (probability per round)")));
        }
        let mut cells: Vec<String> = grid
            .iter()
            .flatten()
            .map(|w| format!("{:.1}", 100.0 * w))
            .collect();
        let mut drawn: Vec<String> = texts
            .iter()
            .filter(|t| t.contains('.') && t.parse::<f64>().is_ok())
            .filter(|t| t.split('.').nth(1).is_some_and(|d| d.len() == 1))
            .cloned()
            .collect();
        cells.sort();
        drawn.sort();
        assert!(
            cells.iter().all(|c| drawn.contains(c)) && drawn.len() >= cells.len(),
            "{cells:?} vs {drawn:?}"
        );
    }
    let page = std::fs::read_to_string(out.join("calibration.html")).unwrap();
    assert!(page.contains(&format!("Pairs: {} and {}", chosen[0], chosen[1])));
}
