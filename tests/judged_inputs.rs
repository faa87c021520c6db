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
