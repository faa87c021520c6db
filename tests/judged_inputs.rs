//! Judged inputs with known answers (docs/MODEL.md, "Judged inputs and
//! worlds"): a break shock whose hazard h is uniform on [a, b] over a track
//! where no deal is possible, so a world's survival is (1 - h)^t exactly.

use std::sync::atomic::AtomicBool;

use backchannel::engine::conditioning::run_conditioned;
use backchannel::engine::{Labels, StudyOptions, Tally, Worlds, run_study};
use backchannel::output::Summary;
use backchannel::output::summary::StudyId;
use backchannel::output::uncertainty::{self, Moments};
use backchannel::scenario::observations::parse_observations;
use backchannel::scenario::{LoadedScenario, load};
use backchannel::stats::spread::weighted_quantile;

const LOW: f64 = 0.05;
const HIGH: f64 = 0.25;
const HORIZON: i32 = 12;
const WORLDS: u64 = 200;
const RUNS: u64 = WORLDS * 400;
const SEED: u64 = 5;

fn constant_hazard(sets: &[&str]) -> LoadedScenario {
    let mut all = vec![format!("shocks.break.hazard={{uniform=[{LOW},{HIGH}]}}")];
    all.extend(sets.iter().map(|s| s.to_string()));
    load(
        &format!(
            "{}/scenarios/validation/constant-hazard.toml",
            env!("CARGO_MANIFEST_DIR")
        ),
        &all,
    )
    .unwrap()
}

fn summarise(
    loaded: &LoadedScenario,
    worlds: &Worlds,
    tally: &Tally,
    tried: Option<&[u64]>,
) -> Summary {
    let labels = Labels::of(worlds.shape());
    let mut summary = Summary::new(&labels, &StudyId::new(loaded, SEED), tally);
    uncertainty::add_to(&mut summary, worlds, tally, tried).expect("the hazard is judged");
    summary
}

/// Each world's hazard, as drawn.
fn hazards(worlds: &Worlds) -> Vec<f64> {
    worlds.values.iter().map(|v| v[0].as_number(&[])).collect()
}

/// E[(1 - h)^T] for h uniform on [LOW, HIGH].
fn mixture_survival(t: i32) -> f64 {
    let n = f64::from(t + 1);
    ((1.0 - LOW).powf(n) - (1.0 - HIGH).powf(n)) / (n * (HIGH - LOW))
}

#[test]
fn the_mixture_and_its_spread_match_the_closed_forms() {
    let loaded = constant_hazard(&[]);
    let worlds = Worlds::draw(&loaded, SEED, WORLDS).unwrap();
    let options = StudyOptions::new(SEED, RUNS, 2);
    let tally = run_study(&worlds, &options, &AtomicBool::new(false), |_, _| {
        Ok::<(), ()>(())
    })
    .unwrap();
    let summary = summarise(&loaded, &worlds, &tally, None);

    // The mixture: within its (clustered) 99.9 % interval of E[(1 - h)^T].
    let continued = summary.channel_continued;
    let exact = mixture_survival(HORIZON);
    let half_999 = (continued.hi - continued.lo) / 2.0 * 3.29 / 1.96;
    assert!(
        (continued.p - exact).abs() <= half_999,
        "{continued:?} vs {exact}"
    );

    // The spread: the percentiles of the worlds' exact survival (1 - h)^T,
    // recovered from 400 noisy runs per world.
    let exact_by_world: Vec<(f64, f64)> = hazards(&worlds)
        .iter()
        .map(|h| ((1.0 - h).powi(HORIZON), 1.0))
        .collect();
    let spread = summary
        .uncertainty
        .as_ref()
        .unwrap()
        .headline
        .get("channel_continued")
        .unwrap();
    for (q, got) in [(0.05, spread.p05), (0.5, spread.p50), (0.95, spread.p95)] {
        let want = weighted_quantile(&exact_by_world, q);
        assert!((got - want).abs() < 0.02, "p{q}: {got} vs {want}");
    }
    // And the percentiles of (1 - h)^T for h's own quantiles, with the
    // draw's sampling error of 200 worlds.
    let h95 = LOW + 0.95 * (HIGH - LOW);
    assert!(
        (spread.p05 - (1.0 - h95).powi(HORIZON)).abs() < 0.03,
        "{spread:?}"
    );

    // Var(E[Y | h]) / Var(Y): the share from the judged input.
    let mean_sq = exact_by_world.iter().map(|(s, _)| s * s).sum::<f64>() / WORLDS as f64;
    let mean = exact_by_world.iter().map(|(s, _)| s).sum::<f64>() / WORLDS as f64;
    let share = (mean_sq - mean * mean) / (mean * (1.0 - mean));
    assert!(
        (spread.share_from_inputs - share).abs() < 0.02,
        "{spread:?} vs {share}"
    );

    // Runs cluster in worlds: the interval is wider than Wilson's.
    let plain = backchannel::stats::wilson(continued.count, RUNS, backchannel::stats::Z95);
    assert!(continued.hi - continued.lo > plain.hi - plain.lo);
}

#[test]
fn news_of_survival_moves_the_hazard_by_its_likelihood() {
    const K: i32 = 8;
    let loaded = constant_hazard(&[]);
    let worlds = Worlds::draw(&loaded, SEED, WORLDS).unwrap();
    let news = format!("[[observed]]\nround = {K}\nchannel = \"active\"\n");
    let observations = parse_observations("news.toml", &news, &loaded.scenario).unwrap();
    let conditioned = run_conditioned(
        &worlds,
        &observations.items,
        SEED,
        RUNS / 2,
        2,
        &AtomicBool::new(false),
        |_| {},
    )
    .unwrap();
    let summary = summarise(
        &loaded,
        &worlds,
        &conditioned.tally,
        Some(&conditioned.tried_by_world),
    );
    let input = &summary.uncertainty.as_ref().unwrap().inputs[0];
    let Some(Moments::Number {
        mean: posterior, ..
    }) = input.posterior
    else {
        panic!("a numeric posterior: {input:?}")
    };
    let Moments::Number { mean: prior, .. } = input.prior else {
        panic!("a numeric prior")
    };
    // The same worlds weighted by their exact likelihood (1 - h)^K.
    let weighted: Vec<(f64, f64)> = hazards(&worlds)
        .iter()
        .map(|&h| (h, (1.0 - h).powi(K)))
        .collect();
    let exact = weighted.iter().map(|(h, w)| h * w).sum::<f64>()
        / weighted.iter().map(|(_, w)| w).sum::<f64>();
    assert!(
        (posterior - exact).abs() < 0.004,
        "posterior mean {posterior} vs {exact}"
    );
    // And the closed form: density proportional to (1 - h)^K on [LOW, HIGH].
    let integral = |f: &dyn Fn(f64) -> f64| -> f64 {
        let n = 2000;
        let step = (HIGH - LOW) / n as f64;
        (0..n)
            .map(|i| f(LOW + (i as f64 + 0.5) * step) * step)
            .sum()
    };
    let closed = integral(&|h| h * (1.0 - h).powi(K)) / integral(&|h| (1.0 - h).powi(K));
    assert!(
        (posterior - closed).abs() < 0.012,
        "posterior mean {posterior} vs {closed}"
    );
    assert!(
        posterior < prior - 0.01,
        "survival news lowers the hazard: {prior} -> {posterior}"
    );
    assert_eq!(
        summary.uncertainty.as_ref().unwrap().moved_most,
        ["shocks.break.hazard"]
    );
}

#[test]
fn a_scenario_without_distributions_is_one_world_with_todays_counts() {
    let loaded = load("muscat-2026", &["spoilers.israel.capability=0.6".into()]).unwrap();
    let fixed = Worlds::fixed(backchannel::model::Model::new(&loaded.scenario));
    let options = StudyOptions::new(SEED, 3_000, 2);
    let cancel = AtomicBool::new(false);
    let plain = load("minimal", &[]).unwrap();
    let drawn = Worlds::draw(&plain, SEED, WORLDS).unwrap();
    assert_eq!(drawn.count(), 1, "no distribution, no worlds");
    let tally = run_study(&fixed, &options, &cancel, |_, _| Ok::<(), ()>(())).unwrap();
    assert!(tally.worlds.is_empty());
    let mut summary = Summary::new(
        &Labels::of(fixed.shape()),
        &StudyId::new(&loaded, SEED),
        &tally,
    );
    let before = summary.to_json();
    assert!(uncertainty::add_to(&mut summary, &fixed, &tally, None).is_none());
    assert_eq!(summary.to_json(), before, "nothing added, nothing widened");
    assert!(!before.contains("uncertainty"));
}

fn backchannel() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("backchannel").unwrap()
}

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn validation(name: &str) -> String {
    format!(
        "{}/scenarios/validation/{name}.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// `discover` of broken channels on the constant-hazard scenario over one
/// round, its hazard judged uniform on [0, 1] (the input that decides the
/// outcome), with `settings`, into `out`.
fn discover_the_deciding_hazard(out: &std::path::Path, settings: &[&str]) {
    backchannel()
        .args([
            "discover",
            &validation("constant-hazard"),
            "--outcome",
            "broken",
        ])
        .args([
            "--set",
            "scenario.horizon=1",
            "--set",
            "shocks.break.hazard={uniform=[0,1]}",
        ])
        .args(settings)
        .args(["-q", "--no-plots", "--out"])
        .arg(out)
        .assert()
        .success();
}

/// PRIM's known box: over one round P(broken | h) = h with h uniform on
/// [0, 1], so the region of density 0.8 is h >= 0.6, holding
/// (1 - 0.36) / 1 = 64 % of all breaks.
#[test]
fn discover_finds_the_known_box() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("d");
    discover_the_deciding_hazard(&out, &["--worlds", "400", "--runs", "200000"]);
    let found = json(&out.join("discover.json"));
    let chosen = &found["box"];
    let limit = &chosen["limits"][0];
    assert_eq!(limit["key"], "shocks.break.hazard");
    let lo = limit["lo"].as_f64().unwrap();
    assert!((0.55..0.66).contains(&lo), "{chosen}");
    let coverage = chosen["coverage"].as_f64().unwrap();
    assert!((0.56..0.72).contains(&coverage), "{chosen}");
    assert!(chosen["density"].as_f64().unwrap() >= 0.8, "{chosen}");
    assert!(out.join("worlds.csv").is_file());
    // Covering: PRIM again over the worlds outside the box (h below about
    // 0.6) restricts the hazard again, to its highest values there.
    let second = &found["second_box"];
    assert_eq!(
        second["limits"][0]["key"], "shocks.break.hazard",
        "{second}"
    );
    assert_eq!(second["limits"][0]["side"], "above", "{second}");
    assert!(second["limits"][0]["lo"].as_f64().unwrap() < lo, "{second}");
    let (mass, first_mass) = (
        second["mass"].as_f64().unwrap(),
        chosen["mass"].as_f64().unwrap(),
    );
    assert!(mass > 0.0 && mass + first_mass <= 1.0 + 1e-12, "{second}");
    let both = coverage + second["coverage"].as_f64().unwrap();
    assert!(both <= 1.0 + 1e-12, "{second}");
}

/// The discovery, its judged restrictions (quasi-p-values, seeded
/// half-sample refits) included, is the same on one thread and two; the
/// hazard that decides the outcome passes both tests.
#[test]
fn discover_is_the_same_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        let out = dir.path().join(threads);
        discover_the_deciding_hazard(
            &out,
            &["--worlds", "200", "--runs", "20000", "--threads", threads],
        );
        let read = |name: &str| std::fs::read(out.join(name)).unwrap();
        (read("discover.json"), read("discover.csv"))
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    let found: serde_json::Value = serde_json::from_slice(&one.0).unwrap();
    let hazard = &found["box"]["limits"][0];
    assert_eq!(hazard["key"], "shocks.break.hazard");
    let judged = &hazard["significance"];
    assert!(judged["quasi_p_lo"].as_f64().unwrap() < 0.05, "{judged}");
    assert_eq!(judged["refit_share"], 1.0, "{judged}");
    assert_eq!(judged["dropped"], false);
}

/// `discover --paste`: the peeled boxes are those without it, each later
/// step names the peeled step it widens and is denser, and the files are
/// the same on one thread and two. At 20 runs a world, the worlds' noise
/// leaves a peeled box worth widening (one, with these seeds).
#[test]
fn discover_pastes_every_peeled_box_the_same_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut settings = vec!["--worlds", "200", "--runs", "4000"];
        settings.extend(extra);
        discover_the_deciding_hazard(&out, &settings);
        let read = |name: &str| std::fs::read(out.join(name)).unwrap();
        (read("discover.json"), read("discover.csv"))
    };
    let pasted = run("one", &["--paste", "--threads", "1"]);
    assert_eq!(pasted, run("two", &["--paste", "--threads", "2"]));
    let found: serde_json::Value = serde_json::from_slice(&pasted.0).unwrap();
    let peeled: serde_json::Value = serde_json::from_slice(&run("peeled", &[]).0).unwrap();
    let steps = found["trajectory"].as_array().unwrap();
    let count = found["peeled"].as_u64().unwrap() as usize;
    // The same boxes; only `frontier` can differ, as a pasted box can beat
    // a peeled one.
    let without_frontier = |steps: &[serde_json::Value]| -> Vec<serde_json::Value> {
        let mut steps = steps.to_vec();
        for step in &mut steps {
            step.as_object_mut().unwrap().remove("frontier");
        }
        steps
    };
    assert_eq!(
        without_frontier(&steps[..count]),
        without_frontier(peeled["trajectory"].as_array().unwrap())
    );
    for step in &steps[..count] {
        assert!(step["pasted_from"].is_null(), "{step}");
    }
    assert!(steps.len() > count, "a box is pasted");
    for step in &steps[count..] {
        let from = step["pasted_from"].as_u64().unwrap() as usize;
        assert!(from > 0 && from < count, "{step}");
        assert!(step["density"].as_f64() > steps[from]["density"].as_f64());
    }
    let csv = String::from_utf8(pasted.1).unwrap();
    assert!(csv.starts_with("step,pasted,pasted_from,"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + steps.len());
}

/// The known boxes of the other questions over the same hazard, P(broken |
/// h) = h with h uniform on [0, 1]. `--case p>=0.5`: the cases are the worlds
/// with h >= 0.5: every box h >= a with a <= 0.5 holds them all, and of
/// those that reach 80 % cases (a >= 0.375), the frontier keeps the densest,
/// h >= 0.5 (less the worlds near 0.5 that are cases by chance of their
/// runs).
/// `--below --threshold 0.2`: the box where the break's mean probability is
/// at most 0.2 is h <= 0.4, holding (0.4 - 0.4² / 2) / 0.5 = 64 % of the
/// runs where the channel holds. `--step 2` reports that step, as asked.
/// Each is the same on one thread and two.
#[test]
fn discover_finds_the_known_boxes_of_cases_and_below() {
    let dir = tempfile::tempdir().unwrap();
    let found = |name: &str, settings: &[&str]| {
        let read = |threads: &str| {
            let out = dir.path().join(format!("{name}-{threads}"));
            let mut all = vec!["--worlds", "400", "--runs", "200000", "--threads", threads];
            all.extend(settings);
            discover_the_deciding_hazard(&out, &all);
            std::fs::read(out.join("discover.json")).unwrap()
        };
        let one = read("1");
        assert_eq!(one, read("2"), "{name}");
        serde_json::from_slice::<serde_json::Value>(&one).unwrap()
    };
    let cases = found("case", &["--case", "p>=0.5"]);
    let chosen = &cases["box"];
    assert_eq!(cases["case"]["op"], ">=");
    assert_eq!(chosen["limits"][0]["key"], "shocks.break.hazard");
    let lo = chosen["limits"][0]["lo"].as_f64().unwrap();
    assert!((0.42..0.55).contains(&lo), "{chosen}");
    assert!(chosen["coverage"].as_f64().unwrap() > 0.95, "{chosen}");
    assert!(chosen["density"].as_f64().unwrap() >= 0.9, "{chosen}");
    assert!(
        cases["sentence"]
            .as_str()
            .unwrap()
            .contains("of the worlds are cases")
    );

    let below = found("below", &["--below", "--threshold", "0.2"]);
    let chosen = &below["box"];
    assert_eq!(below["direction"], "below");
    assert_eq!(chosen["limits"][0]["side"], "below");
    let hi = chosen["limits"][0]["hi"].as_f64().unwrap();
    assert!((0.35..0.45).contains(&hi), "{chosen}");
    assert!(chosen["density"].as_f64().unwrap() <= 0.2, "{chosen}");
    // 400 worlds drawn at random: the share below 0.4 alone has a standard
    // error of 0.025.
    let coverage = chosen["coverage"].as_f64().unwrap();
    assert!((0.52..0.76).contains(&coverage), "{chosen}");
    assert_eq!(chosen["chosen_by"], "threshold");

    let step = found("step", &["--step", "2"]);
    assert_eq!(step["box"]["step"], 2);
    assert_eq!(step["box"]["chosen_by"], "step");
}

/// The values of the column `key` of `worlds.csv` in `out`.
fn world_values(out: &std::path::Path, key: &str) -> Vec<f64> {
    let text = std::fs::read_to_string(out.join("worlds.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = header.iter().position(|c| *c == key).unwrap();
    lines
        .map(|line| line.split(',').nth(column).unwrap().parse().unwrap())
        .collect()
}

/// Which of `n` equal strata of [0, 1) each of `values` falls in, sorted.
fn strata(values: &[f64], n: usize) -> Vec<usize> {
    let mut strata: Vec<usize> = values.iter().map(|v| (v * n as f64) as usize).collect();
    strata.sort_unstable();
    strata
}

/// `discover --sampling latin`: each of the 400 strata of the hazard
/// (uniform on [0, 1], so a world's value is its coordinate) holds exactly
/// one world, where independent draws leave some empty; PRIM finds the
/// same known box as from independent draws; and the files are the same
/// on one thread and two.
#[test]
fn discover_over_a_latin_hypercube_finds_the_known_box() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, settings: &[&str]| {
        let out = dir.path().join(name);
        discover_the_deciding_hazard(&out, settings);
        out
    };
    let latin = ["--sampling", "latin", "--worlds", "400", "--runs", "200000"];
    let one = run("one", &[&latin[..], &["--threads", "1"]].concat());
    let chosen = &json(&one.join("discover.json"))["box"];
    let limit = &chosen["limits"][0];
    assert_eq!(limit["key"], "shocks.break.hazard");
    let lo = limit["lo"].as_f64().unwrap();
    assert!((0.55..0.66).contains(&lo), "{chosen}");
    let coverage = chosen["coverage"].as_f64().unwrap();
    assert!((0.56..0.72).contains(&coverage), "{chosen}");
    assert!(chosen["density"].as_f64().unwrap() >= 0.8, "{chosen}");

    let hazard = world_values(&one, "shocks.break.hazard");
    assert_eq!(strata(&hazard, 400), (0..400).collect::<Vec<_>>());
    let drawn = run("drawn", &["--worlds", "400", "--runs", "400"]);
    let independent = strata(&world_values(&drawn, "shocks.break.hazard"), 400);
    assert_ne!(independent, (0..400).collect::<Vec<_>>());

    let two = run("two", &[&latin[..], &["--threads", "2"]].concat());
    for file in ["discover.json", "discover.csv", "worlds.csv"] {
        let read = |out: &std::path::Path| std::fs::read(out.join(file)).unwrap();
        assert_eq!(read(&one), read(&two), "{file}");
    }
}

/// With no --vary, sensitivity ranks the scenario's own distributions: the
/// hazard decides survival, an issue's visibility (no deal is possible)
/// nothing.
#[test]
fn sensitivity_ranks_the_judged_inputs_without_vary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    backchannel()
        .args(["sensitivity", &validation("constant-hazard")])
        .args(["--set", "shocks.break.hazard={uniform=[0.05,0.25]}"])
        .args([
            "--set",
            "issues.unbridgeable.visibility={triangular=[0.1,0.5,0.9]}",
        ])
        .args([
            "--samples",
            "32",
            "--runs",
            "400",
            "-q",
            "--no-plots",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let found = json(&out.join("sensitivity.json"));
    let row = |key: &str| {
        found["sobol"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["output"] == "channel_continued" && r["parameter"] == key)
            .unwrap()
            .clone()
    };
    let hazard = row("shocks.break.hazard")["total"]["value"]
        .as_f64()
        .unwrap();
    let visibility = row("issues.unbridgeable.visibility")["total"]["value"]
        .as_f64()
        .unwrap();
    assert!(hazard > 0.8, "{hazard}");
    assert!(visibility < 0.05, "{visibility}");
    let hazard_parameter = found["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "shocks.break.hazard")
        .unwrap();
    assert_eq!(hazard_parameter["distribution"], "uniform [0.05, 0.25]");
}

/// More runs cannot narrow the spread across a fixed set of worlds: a
/// precision below it stops at the first checkpoint and says how many
/// worlds would reach it.
#[test]
fn a_precision_below_the_worlds_spread_stops_and_names_the_worlds_needed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p");
    let output = backchannel()
        .args(["run", "--precision", "0.002", "--no-plots", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("NOT reachable with these worlds"), "{text}");
    let precision = &json(&out.join("manifest.json"))["precision"];
    assert_eq!(precision["runs"], 10_000);
    assert!(
        precision["worlds_needed"].as_u64().unwrap() > 200,
        "{precision}"
    );
}

/// A distribution that leaves its key's range is refused where it is
/// written, with exit status 2.
#[test]
fn a_distribution_outside_its_range_is_located() {
    let output = backchannel()
        .args(["validate", "/dev/stdin"])
        .write_stdin(
            std::fs::read_to_string(validation("constant-hazard"))
                .unwrap()
                .replace("hazard = 0.1", "hazard = { uniform = [0.5, 1.5] }"),
        )
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("outside this key's range [0, 1]"), "{text}");
    assert!(text.contains("/dev/stdin:"), "located: {text}");
}

/// `compare` over judged inputs pairs runs within worlds and counts the
/// worlds' spread: the judged hazard against its mean fixed differs by
/// Jensen's gap, E[(1 - h)^T] - (1 - E[h])^T, inside the interval.
#[test]
fn compare_over_worlds_contains_the_jensen_gap() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c");
    let base = validation("constant-hazard");
    backchannel()
        .args([
            "compare",
            &format!("{base}:shocks.break.hazard={{uniform=[{LOW},{HIGH}]}}"),
            &format!("{base}:shocks.break.hazard=0.15"),
        ])
        .args(["--runs", "40000", "-q", "--no-plots", "--out"])
        .arg(&out)
        .assert()
        .success();
    let found = json(&out.join("comparison.json"));
    let row = found["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == "channel_continued")
        .unwrap()
        .clone();
    let d = &row["differences"][1];
    let gap = 0.85f64.powi(HORIZON) - mixture_survival(HORIZON);
    let (lo, hi) = (d["lo"].as_f64().unwrap(), d["hi"].as_f64().unwrap());
    assert!(lo <= gap && gap <= hi, "{gap} outside [{lo}, {hi}]");
    assert!(hi < 0.0, "the gap is detected: {d}");
}

/// One row of a CSV file without quoted fields, by column name.
fn csv_rows(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|line| {
            header
                .iter()
                .zip(line.split(','))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The issue's rule, checked from the runs themselves: on a page with
/// worlds every interval is for runs clustered in the worlds. The flagship
/// run by the binary with `--save-runs`; each probability of `summary.csv`
/// and of the first-agreement chart recounted world by world from
/// `runs.csv` and given the clustered interval must be the one published.
/// Survival and the causes by round (whose rounds `runs.csv` does not
/// keep) must be at least as wide as the Wilson interval and wider for most
/// rounds. The page's footer says which intervals it carries.
#[test]
fn every_interval_of_a_study_with_worlds_is_clustered_in_them() {
    use backchannel::stats::spread::{WorldCount, clustered};
    use backchannel::stats::{Z95, wilson};

    const STUDY_WORLDS: usize = 25;
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_backchannel"))
        .args(["run", "--runs", "6000", "--seed", "3", "--worlds", "25"])
        .args(["--save-runs", "--quiet", "--out"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let runs = csv_rows(&read("runs.csv"));
    let summary: serde_json::Value = serde_json::from_str(&read("summary.json")).unwrap();
    let in_world = |test: &dyn Fn(&std::collections::BTreeMap<String, String>) -> bool| {
        let mut counts = vec![WorldCount { count: 0, runs: 0 }; STUDY_WORLDS];
        for run in &runs {
            let w: usize = run["world"].parse().unwrap();
            counts[w].runs += 1;
            counts[w].count += u64::from(test(run));
        }
        clustered(&counts, Z95)
    };
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    let mut checked = 0;
    for row in csv_rows(&read("summary.csv")) {
        let metric = row["metric"].as_str();
        let parts: Vec<&str> = metric.split('.').collect();
        let expected = match parts[..] {
            ["channel_continued"] => in_world(&|r| r["channel"] != "broken"),
            ["escalation"] => in_world(&|r| r["escalation"] == "true"),
            ["deal", level] => in_world(&|r| r["deal"] == level),
            ["channel", state] => in_world(&|r| r["channel"] == state),
            ["causes", cause] => in_world(&|r| r["cause"] == cause),
            ["issues", id, "agreed"] => in_world(&|r| r[id] != "open"),
            ["issues", id, status] => in_world(&|r| r[id] == status),
            ["survival", round] => {
                let t: u64 = round.parse().unwrap();
                let p: f64 = row["p"].parse().unwrap();
                let plain = wilson((p * 6000.0).round() as u64, 6000, Z95);
                let (lo, hi): (f64, f64) = (row["lo"].parse().unwrap(), row["hi"].parse().unwrap());
                assert!(lo <= plain.lo + 1e-12 && hi >= plain.hi - 1e-12, "{metric}");
                assert!(
                    t == 0 || hi - lo > plain.hi - plain.lo,
                    "{metric} is not widened"
                );
                continue;
            }
            _ => panic!("a metric this test does not know: {metric}"),
        };
        for (field, value) in [("p", expected.p), ("lo", expected.lo), ("hi", expected.hi)] {
            let published: f64 = row[field].parse().unwrap();
            assert!(
                close(published, value),
                "{metric}.{field}: {published} vs {value}"
            );
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} metrics recounted");
    // The first-agreement chart's bars.
    let first = &summary["first_agreement_round"];
    for (t, share) in first["by_round"].as_array().unwrap().iter().enumerate() {
        let round = (t + 1).to_string();
        let expected = in_world(&|r| r["first_agreement_round"] == round);
        assert!(
            close(share["lo"].as_f64().unwrap(), expected.lo),
            "round {round}"
        );
        assert!(
            close(share["hi"].as_f64().unwrap(), expected.hi),
            "round {round}"
        );
    }
    let never = in_world(&|r| r["first_agreement_round"].is_empty());
    assert!(close(first["never"]["hi"].as_f64().unwrap(), never.hi));
    // The causes by round end at the cause's clustered interval.
    for (cause, points) in summary["breaks_by_round"].as_object().unwrap() {
        let end = points.as_array().unwrap().last().unwrap();
        let expected = in_world(&|r| &r["cause"] == cause);
        assert!(close(end["lo"].as_f64().unwrap(), expected.lo), "{cause}");
    }
    let page = read("report.html");
    assert!(
        page.contains("95 % intervals for runs clustered in 25 worlds of the judged inputs"),
        "the footer names the intervals"
    );
    assert!(
        !page.contains("Wilson"),
        "no Wilson interval is claimed on the page"
    );
}

/// `indicators` over judged inputs follows the same rule: every
/// probability it publishes (the baseline, each observable's chance, each
/// outcome given it and given its absence) has the interval for runs
/// clustered in the worlds. At the horizon the channel's state is
/// observable, so the flagship's indicators at month 12 are recounted world
/// by world from `runs.csv` of `run` on the same seed, runs and worlds (the
/// same runs), and the page says which intervals it carries.
#[test]
fn every_interval_of_indicators_with_worlds_is_clustered_in_them() {
    use backchannel::stats::spread::{WorldCount, clustered};

    const STUDY_WORLDS: usize = 25;
    let dir = tempfile::tempdir().unwrap();
    let study = ["--runs", "6000", "--seed", "3", "--worlds", "25", "--quiet"];
    backchannel()
        .args(["run", "--save-runs"])
        .args(study)
        .arg("--out")
        .arg(dir.path().join("run"))
        .assert()
        .success();
    backchannel()
        .args(["indicators", "--at", "12"])
        .args(study)
        .arg("--out")
        .arg(dir.path().join("indicators"))
        .assert()
        .success();
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let runs = csv_rows(&read("run/runs.csv"));
    type Run = std::collections::BTreeMap<String, String>;
    // The share of the runs passing `among` in which `test` holds,
    // clustered in the worlds.
    let in_world = |test: &dyn Fn(&Run) -> bool, among: &dyn Fn(&Run) -> bool| {
        let mut counts = vec![WorldCount { count: 0, runs: 0 }; STUDY_WORLDS];
        for run in runs.iter().filter(|r| among(r)) {
            let w: usize = run["world"].parse().unwrap();
            counts[w].runs += 1;
            counts[w].count += u64::from(test(run));
        }
        clustered(&counts, backchannel::stats::Z95)
    };
    let outcome = |name: &str| -> Box<dyn Fn(&Run) -> bool> {
        match name {
            "channel_continued" => Box::new(|r: &Run| r["channel"] != "broken"),
            "escalation" => Box::new(|r: &Run| r["escalation"] == "true"),
            "deal.partial" => Box::new(|r: &Run| r["deal"] == "partial"),
            "deal.comprehensive" => Box::new(|r: &Run| r["deal"] == "comprehensive"),
            other => panic!("an outcome this test does not know: {other}"),
        }
    };
    let same = |published: &serde_json::Value, expected: backchannel::stats::Proportion| {
        for (field, value) in [("p", expected.p), ("lo", expected.lo), ("hi", expected.hi)] {
            let found = published[field].as_f64().unwrap();
            assert!(
                (found - value).abs() < 1e-12,
                "{field}: {found} vs {value} in {published}"
            );
        }
    };
    let found = json(&dir.path().join("indicators/indicators.json"));
    let every = |_: &Run| true;
    for entry in found["baseline"].as_array().unwrap() {
        same(
            &entry[1],
            in_world(&outcome(entry[0].as_str().unwrap()), &every),
        );
    }
    let mut checked = 0;
    for indicator in found["indicators"].as_array().unwrap() {
        let observable = indicator["observable"].as_str().unwrap();
        let Some(state) = observable.strip_prefix("round 12: channel ") else {
            continue;
        };
        let holds = |r: &Run| r["channel"] == state;
        let absent = |r: &Run| r["channel"] != state;
        same(&indicator["probability"], in_world(&holds, &every));
        for shift in indicator["outcomes"].as_array().unwrap() {
            let test = outcome(shift["outcome"].as_str().unwrap());
            same(&shift["given"], in_world(&test, &holds));
            same(&shift["absent"], in_world(&test, &absent));
            checked += 1;
        }
    }
    assert_eq!(checked, 16, "four channel states, four outcomes each");
    let page = read("indicators/indicators.html");
    assert!(
        page.contains("95 % intervals for runs clustered in 25 worlds of the judged inputs"),
        "the footer names the intervals"
    );
    assert!(!page.contains("Wilson"), "no Wilson interval is claimed");
}

/// `discover` writes `discover.html` as every experiment writes its page
/// (the question, the chosen box and its density's interval in a table,
/// the charts, the interval rule in the footer, the command), the folder's
/// index lists it, and its command, run again, makes the same discovery.
/// The density's interval is the one for runs clustered in the box's
/// worlds, recounted here from `worlds.csv`.
#[test]
fn discover_writes_a_page_the_index_lists_and_its_command_reproduces() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("d");
    backchannel()
        .args([
            "discover",
            &validation("constant-hazard"),
            "--outcome",
            "broken",
        ])
        .args(["--set", "scenario.horizon=1"])
        .args(["--set", "shocks.break.hazard={uniform=[0,1]}"])
        .args(["--worlds", "200", "--runs", "20000", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let read = |path: std::path::PathBuf| std::fs::read_to_string(path).unwrap();
    let html = read(out.join("discover.html"));
    let found = json(&out.join("discover.json"));
    let chosen = &found["box"];
    let number = |v: &serde_json::Value| v.as_f64().unwrap();
    let (density, lo, hi) = (
        number(&chosen["density"]),
        number(&chosen["density_lo"]),
        number(&chosen["density_hi"]),
    );
    assert!(lo < density && density < hi, "{chosen}");
    for says in [
        "Which ranges of the judged inputs make it likely that the channel breaks (in at \
         least 80 % of runs)?",
        "<h2>The chosen box</h2>",
        "(shocks.break.hazard)</td>",
        "href=\"plots/tradeoff.svg\"",
        "href=\"plots/box.svg\"",
        &format!(
            "density {:.1} % (95 % interval {:.1} to {:.1} %)",
            100.0 * density,
            100.0 * lo,
            100.0 * hi
        ),
        "Probabilities carry 95 % intervals for runs clustered in 200 worlds of the judged \
         inputs",
    ] {
        assert!(html.contains(says), "no {says:?} in discover.html");
    }

    // The box's worlds, their runs and breaks, from worlds.csv.
    let lo_limit = number(&chosen["limits"][0]["lo"]);
    let hi_limit = number(&chosen["limits"][0]["hi"]);
    let csv = read(out.join("worlds.csv"));
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (runs_at, hazard_at, broken_at) = (
        column("runs"),
        column("shocks.break.hazard"),
        column("channel.broken"),
    );
    let shares: Vec<(f64, f64)> = lines
        .map(|line| {
            line.split(',')
                .map(|v| v.parse::<f64>().unwrap())
                .collect::<Vec<_>>()
        })
        .filter(|row| (lo_limit..=hi_limit).contains(&row[hazard_at]))
        .map(|row| (row[broken_at], row[runs_at]))
        .collect();
    let k = shares.len() as f64;
    let mean = shares.iter().map(|(p, _)| p).sum::<f64>() / k;
    assert!((mean - density).abs() < 1e-9, "{mean} {density}");
    // The mean of the worlds' shares has the variance of their spread over
    // k; Wilson's interval at the effective runs that variance implies.
    let variance = shares.iter().map(|(p, _)| (p - mean).powi(2)).sum::<f64>() / (k - 1.0) / k;
    let runs: f64 = shares.iter().map(|(_, n)| n).sum();
    let n = (mean * (1.0 - mean) / variance).min(runs);
    let z = 1.959_963_984_540_054_f64;
    let centre = (mean + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (mean * (1.0 - mean) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    assert!((centre - half - lo).abs() < 1e-9, "{} {lo}", centre - half);
    assert!((centre + half - hi).abs() < 1e-9, "{} {hi}", centre + half);
    assert!(
        n < runs,
        "the worlds differ, so the runs are not independent"
    );

    // The folder's index lists the discovery beside another study.
    backchannel()
        .args(["run", "minimal", "--runs", "10", "-q", "--out"])
        .arg(root.path().join("r"))
        .assert()
        .success();
    let index = read(root.path().join("index.html"));
    assert!(index.contains("href=\"d/discover.html\""), "{index}");
    assert!(index.contains("href=\"r/report.html\""), "{index}");

    // The page's command, run again, makes the same discovery.
    assert_page_command_reproduces(&out, "discover.html", "discover.json");
}

/// The command `page` in `out` gives, run through `sh` with the binary on
/// its `PATH`, writes the very `table` it wrote. The command.
fn assert_page_command_reproduces(out: &std::path::Path, page: &str, table: &str) -> String {
    let html = std::fs::read_to_string(out.join(page)).unwrap();
    let start = html.find("<pre class=\"command\"><code>").unwrap() + 27;
    let command = html[start..start + html[start..].find("</code>").unwrap()]
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&gt;", ">")
        .replace("&lt;", "<")
        .replace("&amp;", "&");
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_backchannel"));
    let again = tempfile::tempdir().unwrap();
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} -q --no-plots --out \"$1\""))
        .arg("sh")
        .arg(again.path().join("again"))
        .env("PATH", path)
        .status()
        .unwrap();
    assert!(status.success(), "{command}");
    assert_eq!(
        std::fs::read(out.join(table)).unwrap(),
        std::fs::read(again.path().join("again").join(table)).unwrap(),
        "{command}"
    );
    command
}

/// A sweep over the flagship's mediator credibility, two points of 50 runs.
const CREDIBILITY_SWEEP: [&str; 6] = [
    "sweep",
    "muscat-2026",
    "--vary",
    "mediator.credibility=0.3..0.9:2",
    "--no-plots",
    "-q",
];

/// `sweep`, `sensitivity`, `indicators`, `run` and `compare` over 25
/// worlds of the flagship's judged inputs: their runs are clustered in 25
/// worlds, and the command each page gives names them and makes the same
/// table again.
#[test]
fn pages_over_other_worlds_give_commands_that_reproduce_them() {
    let root = tempfile::tempdir().unwrap();
    let worlds = ["--runs", "50", "--worlds", "25", "-q"];
    let studies: [(&[&str], &str, &str, &str); 5] = [
        (
            &CREDIBILITY_SWEEP[..4],
            "sweep.html",
            "sweep.csv",
            "backchannel sweep ",
        ),
        (
            &[
                "sensitivity",
                "muscat-2026",
                "--method",
                "oat",
                "--vary",
                "mediator.credibility=0.3..0.9",
            ],
            "sensitivity.html",
            "sensitivity.csv",
            "backchannel sensitivity ",
        ),
        (
            &["indicators", "muscat-2026", "--at", "12"],
            "indicators.html",
            "indicators.json",
            "backchannel indicators ",
        ),
        (
            &["run", "muscat-2026"],
            "report.html",
            "summary.json",
            "backchannel run ",
        ),
        (
            &["compare", "muscat-2026", "muscat-2026:format.mode=direct"],
            "comparison.html",
            "comparison.json",
            "backchannel compare ",
        ),
    ];
    for (i, (study, page, table, starts)) in studies.into_iter().enumerate() {
        let out = root.path().join(i.to_string());
        backchannel()
            .args(study)
            .args(worlds)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(
            html.contains("clustered in 25 worlds of the judged inputs"),
            "{page}: {html}"
        );
        let command = assert_page_command_reproduces(&out, page, table);
        assert!(command.starts_with(starts), "{command}");
        assert!(format!("{command} ").contains(" --worlds 25 "), "{command}");
    }
}

/// `--worlds` makes a sweep another study, in another default directory,
/// whose results another sweep replaces only with `--replace`; the default
/// number given is the default study. A Sobol' analysis of the judged
/// inputs themselves, each point one world, refuses `--worlds`.
#[test]
fn other_worlds_make_a_sweep_another_study() {
    let root = tempfile::tempdir().unwrap();
    let sweep = |extra: &[&str]| {
        backchannel()
            .current_dir(root.path())
            .args(CREDIBILITY_SWEEP)
            .args(extra)
            .output()
            .unwrap()
    };
    for extra in [
        &["--runs", "50", "--worlds", "25"][..],
        &["--runs", "400"],
        &["--runs", "400", "--worlds", "200"],
    ] {
        let output = sweep(extra);
        assert!(output.status.success(), "{extra:?}");
    }
    let mut dirs: Vec<String> = std::fs::read_dir(root.path().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    dirs.sort();
    let name = "sweep-muscat-2026-vary-mediator.credibility=0.3..0.9_2";
    assert_eq!(dirs, [name.to_string(), format!("{name}-worlds-25")]);

    let other = root.path().join("output").join(name);
    let before = std::fs::read(other.join("sweep.csv")).unwrap();
    let refused = sweep(&[
        "--runs",
        "50",
        "--worlds",
        "25",
        "--out",
        other.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--replace"), "{stderr}");
    assert_eq!(std::fs::read(other.join("sweep.csv")).unwrap(), before);

    let sobol = backchannel()
        .current_dir(root.path())
        .args([
            "sensitivity",
            "muscat-2026",
            "--samples",
            "4",
            "--runs",
            "50",
        ])
        .args(["--worlds", "25", "-q"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&sobol.stderr);
    assert_eq!(sobol.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "`--worlds`: a Sobol' analysis over the judged inputs fixes every \
                         judged input at each design point: each point is one world"
        ),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(root.path().join("output"))
            .unwrap()
            .count(),
        2
    );
}
