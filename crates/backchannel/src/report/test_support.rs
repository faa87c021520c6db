//! A small hand-made summary and scenario info for the report's unit tests
//! (the report reads nothing else, so it needs no model to be tested).

use super::ScenarioInfo;
use crate::output::Summary;
use crate::output::names::Names;
use crate::output::summary::{
    Cause,
    ChannelPoint, FirstAgreement, IssueOutcome, Ordered, SCHEMA, ScenarioId, SpoilerActivity,
    SurvivalPoint,
};
use crate::scenario::calendar::{Calendar, YearMonth};
use crate::stats::{Proportion, Z95, wilson};

const RUNS: u64 = 5000;

fn p(count: u64) -> Proportion {
    wilson(count, RUNS, Z95)
}

fn ordered<V>(pairs: Vec<(&str, V)>) -> Ordered<V> {
    Ordered(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

pub fn summary() -> Summary {
    let horizon = 12u32;
    let alive_after = survival_counts(horizon);
    let alive = alive_after[horizon as usize];
    let survival = (0..=horizon)
        .map(|round| point(round, alive_after[round as usize]))
        .collect();
    let broken: Vec<u64> = survival_counts(horizon).iter().map(|a| RUNS - a).collect();
    let strike = |t: usize| broken[t] * 700 / broken[horizon as usize];
    let cumulative = |count: &dyn Fn(usize) -> u64| -> Vec<SurvivalPoint> {
        (0..=horizon as usize)
            .map(|t| point(t as u32, count(t)))
            .collect()
    };
    let breaks_by_round = ordered(vec![
        ("shock:regional-strike", cumulative(&strike)),
        ("spoiler:israel", cumulative(&|t| broken[t] - strike(t))),
        ("spoiler:idle", cumulative(&|_| 0)),
    ]);
    let channel_by_round = (0..=horizon)
        .map(|t| {
            let share = |c: u64| c as f64 / RUNS as f64;
            let concluded = 250 * u64::from(t) / u64::from(horizon);
            let suspended = if t == 0 { 0 } else { 300 };
            let gone = broken[t as usize];
            ChannelPoint {
                round: t,
                active: share(RUNS - gone - concluded - suspended),
                suspended: share(suspended),
                broken: share(gone),
                concluded: share(concluded),
            }
        })
        .collect();
    let histogram: Vec<[u64; 2]> = (1..=u64::from(horizon))
        .map(|round| [round, if round <= 6 { 600 - 80 * round } else { 40 }])
        .collect();
    let agreed: u64 = histogram.iter().map(|[_, c]| c).sum();
    Summary {
        schema: SCHEMA,
        scenario: ScenarioId {
            name: "demo-talks".into(),
            sha256: "ab".repeat(32),
            overrides: Vec::new(),
        },
        comprehensive_issues: true,
        cause_order: vec![Cause::Shock(0), Cause::Spoiler(0), Cause::Spoiler(1)],
        seed: 7,
        runs: RUNS,
        partial: None,
        horizon,
        round_label: "month".into(),
        channel_continued: p(alive),
        escalation: p(400),
        deal: ordered(vec![
            ("comprehensive", p(250)),
            ("partial", p(2600)),
            ("none", p(2150)),
        ]),
        channel: ordered(vec![
            ("concluded", p(250)),
            ("active", p(alive - 250 - 300)),
            ("suspended", p(300)),
            ("broken", p(RUNS - alive)),
        ]),
        causes: ordered(vec![
            ("shock:regional-strike", p(700)),
            ("spoiler:israel", p(RUNS - alive - 700)),
            ("spoiler:idle", p(0)),
        ]),
        survival,
        channel_by_round,
        breaks_by_round,
        first_agreement_round: FirstAgreement {
            runs: agreed,
            mean: Some(3.4),
            by_round: histogram.iter().map(|&[_, count]| p(count)).collect(),
            histogram,
            never: p(RUNS - agreed),
        },
        issues: ordered(vec![
            (
                "detainees",
                IssueOutcome {
                    agreed: p(3900),
                    ratified: p(3100),
                    rejected: p(800),
                },
            ),
            (
                "nuclear",
                IssueOutcome {
                    agreed: p(900),
                    ratified: p(250),
                    rejected: p(650),
                },
            ),
        ]),
        spoilers: ordered(vec![(
            "israel",
            SpoilerActivity {
                activations_mean: 1.25,
                successes_mean: 0.5,
            },
        )]),
        walkouts_mean: 0.3,
        leaks_mean: 0.8,
        conditioning: None,
        prior: None,
        uncertainty: None,
    }
}

/// Runs unbroken after each round: a twelfth of the rest breaks each round.
fn survival_counts(horizon: u32) -> Vec<u64> {
    let mut alive = RUNS;
    (0..=horizon)
        .map(|round| {
            if round > 0 {
                alive -= alive / 12;
            }
            alive
        })
        .collect()
}

fn point(round: u32, count: u64) -> SurvivalPoint {
    let w = p(count);
    SurvivalPoint {
        round,
        p: w.p,
        lo: w.lo,
        hi: w.hi,
    }
}

pub fn info() -> ScenarioInfo {
    ScenarioInfo {
        description: "Talks about <b>détente</b> & \"trust\"".into(),
        spec: "scenarios/demo.toml".into(),
        overrides: Vec::new(),
        names: Names::from_pairs(
            &[
                ("detainees", "Prisoner-exchange framework"),
                ("nuclear", "Nuclear limits & <verification>"),
            ],
            &[(
                "regional-strike",
                "Regional strike or war not aimed at the talks",
            )],
            &[("israel", "Israel"), ("idle", "Idle")],
        ),
        given: None,
        calendar: Some(Calendar {
            start: YearMonth {
                year: 2026,
                month: 2,
            },
            months_per_round: 1,
        }),
        scheduled: vec![(10, "Midterm elections".into())],
        source:
            "[scenario]\nname = \"demo\"\nhorizon = 12 # a year of monthly rounds (judgement)\n"
                .into(),
    }
}
