//! The model's closed forms, each on its scenario in
//! `scenarios/validation/`: exact where the model is deterministic, inside
//! the 99.9 % interval around the closed form where it is random.

use std::sync::atomic::AtomicBool;

use backchannel::engine::{Labels, RunRecord, StudyOptions, Tally, Worlds, run_study};
use backchannel::model::Model;
use backchannel::output::Summary;
use backchannel::output::summary::StudyId;
use backchannel::scenario::load;
use backchannel::scenario::validate::{ValidScenario as Scenario, validated};
use statrs::distribution::{ContinuousCDF, Normal};

const RUNS: u64 = 40_000;

fn scenario(name: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load(
        &format!(
            "{}/scenarios/validation/{name}.toml",
            env!("CARGO_MANIFEST_DIR")
        ),
        &sets,
    )
    .unwrap()
    .scenario
}

/// A study of `runs` runs; its summary, and its records when asked.
fn study(scenario: &Scenario, runs: u64, keep_records: bool) -> (Summary, Vec<RunRecord>) {
    let model = Model::new(scenario);
    let options = StudyOptions {
        seed: 7,
        first_run: 0,
        runs,
        threads: 2,
        keep_records,
    };
    let mut records = Vec::new();
    let tally: Tally = run_study(
        &Worlds::fixed(model.clone()),
        &options,
        &AtomicBool::new(false),
        |_, batch| {
            records.extend_from_slice(batch);
            Ok::<(), ()>(())
        },
    )
    .unwrap();
    let id = StudyId {
        name: scenario.scenario.name.clone(),
        sha256: String::new(),
        overrides: Vec::new(),
        seed: 7,
        round_label: "round".into(),
    };
    (Summary::new(&Labels::of(&model), &id, &tally), records)
}

/// |p_hat - p| within the 99.9 % normal interval of `n` runs.
fn assert_within_999(what: &str, p_hat: f64, p: f64, n: u64) {
    let bound = 3.29 * (p * (1.0 - p) / n as f64).sqrt();
    assert!(
        (p_hat - p).abs() <= bound.max(1e-12),
        "{what}: {p_hat} vs closed form {p} (bound {bound})"
    );
}

/// Faratin crossing: both parties k=0, e=1, T=10, r=0, no noise, direct,
/// confirm_rounds=0: first agreement in round 5 in every run.
#[test]
fn faratin_crossing_agrees_in_round_five_in_every_run() {
    let (summary, _) = study(&scenario("faratin-crossing", &[]), 2_000, false);
    let first = &summary.first_agreement_round;
    assert_eq!(first.runs, 2_000);
    assert_eq!(first.mean, Some(5.0));
    assert_eq!(first.histogram[4], [5, 2_000]);
    assert_eq!(summary.deal.get("comprehensive").unwrap().count, 2_000);
}

/// The first round with p_A(t) + p_B(t) <= 1, from Faratin's formula.
fn first_crossing(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64), horizon: u32) -> Option<u32> {
    let demand = |(k, e, deadline, r): (f64, f64, f64, f64), t: f64| {
        let f = k + (1.0 - k) * (t / deadline).min(1.0).powf(1.0 / e);
        r + (1.0 - r) * (1.0 - f)
    };
    (1..=horizon).find(|&t| demand(a, f64::from(t)) + demand(b, f64::from(t)) <= 1.0)
}

/// In general, the first agreement is the first round with p_A + p_B <= 1.
#[test]
fn first_agreement_is_the_first_crossing_for_any_tactics() {
    let cases = [
        ((0.0, 1.0, 10.0, 0.0), (0.0, 1.0, 10.0, 0.0)),
        ((0.0, 0.5, 12.0, 0.2), (0.0, 2.0, 6.0, 0.3)),
        ((0.2, 0.2, 8.0, 0.1), (0.1, 1.0, 9.0, 0.1)),
        ((0.0, 3.0, 20.0, 0.4), (0.0, 0.8, 15.0, 0.35)),
        ((0.3, 1.0, 4.0, 0.45), (0.0, 1.0, 4.0, 0.45)),
    ];
    for (a, b) in cases {
        let sets = [
            format!("parties.a.initial_concession={:?}", a.0),
            format!("parties.a.concession={:?}", a.1),
            format!("parties.a.deadline={}", a.2 as u32),
            format!("parties.a.issues.split.reservation={:?}", a.3),
            format!("parties.b.initial_concession={:?}", b.0),
            format!("parties.b.concession={:?}", b.1),
            format!("parties.b.deadline={}", b.2 as u32),
            format!("parties.b.issues.split.reservation={:?}", b.3),
            "scenario.horizon=24".to_string(),
        ];
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        let (summary, _) = study(&scenario("faratin-crossing", &sets), 200, false);
        let expected = first_crossing(a, b, 24);
        let first = &summary.first_agreement_round;
        match expected {
            Some(t) => assert_eq!(
                (first.runs, first.mean),
                (200, Some(f64::from(t))),
                "{a:?} {b:?}"
            ),
            None => assert_eq!(first.runs, 0, "{a:?} {b:?}"),
        }
    }
}

/// Constant hazard: one break shock of hazard h, no possible deal:
/// S(t) = (1 - h)^t at every round.
#[test]
fn constant_hazard_survival_is_geometric() {
    let (summary, _) = study(&scenario("constant-hazard", &[]), RUNS, false);
    for point in &summary.survival {
        assert_within_999(
            &format!("S({})", point.round),
            point.p,
            0.9f64.powi(point.round as i32),
            RUNS,
        );
    }
    let broken = summary.channel.get("broken").unwrap().count;
    assert_eq!(
        summary.causes.get("shock:break").unwrap().count,
        broken,
        "every break is the shock's"
    );
}

/// Spoiler hazard: sensitivity 0, strike only: per-round break probability
/// capability * (base + max) / 2.
#[test]
fn spoiler_hazard_is_capability_times_mean_hazard() {
    let (summary, _) = study(&scenario("spoiler-hazard", &[]), RUNS, false);
    let per_round = 0.5 * (0.1 + 0.3) / 2.0;
    for point in &summary.survival {
        assert_within_999(
            &format!("S({})", point.round),
            point.p,
            (1.0f64 - per_round).powi(point.round as i32),
            RUNS,
        );
    }
    let activations = summary.spoilers.get("striker").unwrap().activations_mean;
    assert!(activations > 0.0);
}

/// Ratification: a deterministic agreement with shares (0.5, 0.5) is
/// ratified with probability Phi((s_A - theta_A v)/noise_A) Phi((s_B -
/// theta_B v)/noise_B).
#[test]
fn ratification_probability_is_the_product_of_normal_cdfs() {
    let (summary, _) = study(&scenario("ratification", &[]), RUNS, false);
    let phi = |x: f64| Normal::standard().cdf(x);
    let expected = phi((0.5 - 0.6) / 0.2) * phi((0.5 - 0.4) / 0.1);
    let ratified = summary.issues.get("split").unwrap().ratified.p;
    assert_within_999("P(ratified)", ratified, expected, RUNS);
    assert_eq!(
        summary.issues.get("split").unwrap().agreed.count,
        RUNS,
        "the agreement itself is certain"
    );
}

/// Common random numbers: removing a spoiler with zero hazards changes no
/// run; every record is identical.
#[test]
fn a_zero_hazard_spoiler_changes_no_run() {
    let with_idle = scenario("common-random-numbers", &[]);
    let mut without = (*with_idle).clone();
    without.spoilers.retain(|s| s.id != "idle");
    let without = validated(without).unwrap();
    let (summary_with, records_with) = study(&with_idle, 5_000, true);
    let (summary_without, records_without) = study(&without, 5_000, true);
    assert_eq!(records_with.len(), 5_000);
    assert_eq!(records_with, records_without);
    assert_eq!(summary_with.channel, summary_without.channel);
    assert_eq!(summary_with.deal, summary_without.deal);
    assert_eq!(summary_with.survival, summary_without.survival);
    assert!(
        summary_with.channel.get("broken").unwrap().count > 0,
        "the scenario is random, not trivially equal"
    );
}

/// Crisis management: a shock of hazard h that would break the channel, a
/// facilitator who contains it with probability p, and no run that
/// concludes (issue `hard` has no zone of agreement):
/// S(t) = (1 - h (1 - p))^t, and every break is the shock's escalation.
#[test]
fn a_contained_shock_breaks_at_the_uncontained_rate() {
    let sets = ["shocks.war.hazard=0.2", "mediator.style.facilitation=1.0"];
    let (summary, _) = study(&scenario("mediator-levers", &sets), RUNS, false);
    for point in &summary.survival {
        let closed = (1.0 - 0.2 * 0.5f64).powi(point.round as i32);
        assert_within_999(&format!("S({})", point.round), point.p, closed, RUNS);
    }
    let broken = summary.channel.get("broken").unwrap().count;
    assert_eq!(summary.escalation.count, broken);
}

/// Focal points: the crossing of faratin-crossing (round 5 at linear
/// concession to round 10) comes when `t * 1.25 >= 5`, in round 4, in
/// every run; a formulator with weight 0.5 (factor 1.125) needs round 5.
#[test]
fn a_focal_point_brings_the_crossing_forward() {
    for (weight, round) in [("1.0", 4.0), ("0.5", 5.0)] {
        let set = format!("mediator.style.formulation={weight}");
        let (summary, _) = study(&scenario("mediator-levers", &[&set]), 500, false);
        assert_eq!(summary.first_agreement_round.mean, Some(round), "{set}");
    }
}

/// Durability cost: with manipulation at full weight (leverage 0 changes
/// nothing else) `split` is ratified in round 5 of every run and the deal
/// relapses with hazard 0.1 in each of rounds 6..=12:
/// P(relapse) = 1 - 0.9^7.
#[test]
fn a_leveraged_deal_relapses_geometrically() {
    let sets = ["mediator.style.manipulation=1.0"];
    let (summary, records) = study(&scenario("mediator-levers", &sets), RUNS, true);
    assert_eq!(summary.deal.get("partial").unwrap().count, RUNS);
    let relapses = records.iter().filter(|r| r.relapse).count();
    let closed = 1.0 - 0.9f64.powi(7);
    assert_within_999("P(relapse)", relapses as f64 / RUNS as f64, closed, RUNS);
}

/// Secrecy: shares 0.5 against a threshold of 0.6 are rejected in the
/// open; a secret channel (secrecy 0.5, exposure 0.2) lowers the hurdle to
/// 0.6 * (1 - 0.5 * 0.8) = 0.36 and they are ratified in round 5, unless a
/// leak (probability leak_hazard * exposure = 0.2 a round, before the
/// vote) has revealed it: P(ratified) = 0.8^5.
#[test]
fn a_secret_channel_lowers_the_hurdle_until_revealed() {
    let threshold = [
        "parties.a.domestic.threshold=0.6",
        "parties.b.domestic.threshold=0.6",
    ];
    let ratified = |extra: &[&str], runs: u64| {
        let sets: Vec<&str> = threshold.iter().chain(extra).copied().collect();
        let (summary, _) = study(&scenario("mediator-levers", &sets), runs, false);
        summary.deal.get("partial").unwrap().count
    };
    assert_eq!(ratified(&[], 500), 0);
    assert_eq!(ratified(&["mediator.secrecy=0.5"], 500), 500);
    let leaky = ["mediator.secrecy=0.5", "format.leak_hazard=1.0"];
    let p_hat = ratified(&leaky, RUNS) as f64 / RUNS as f64;
    assert_within_999("P(ratified before a leak)", p_hat, 0.8f64.powi(5), RUNS);
}
