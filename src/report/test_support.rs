//! A small hand-made summary and scenario info for the report's unit tests
//! (the report reads nothing else, so it needs no model to be tested).

use super::ScenarioInfo;
use crate::output::Summary;
use crate::output::names::Names;
use crate::output::summary::{
    FirstAgreement, IssueOutcome, Ordered, SCHEMA, ScenarioId, SpoilerActivity, SurvivalPoint,
};
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
    let mut alive = RUNS;
    let survival = (0..=horizon)
        .map(|round| {
            if round > 0 {
                alive -= alive / 12;
            }
            let w = p(alive);
            SurvivalPoint {
                round,
                p: w.p,
                lo: w.lo,
                hi: w.hi,
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
        seed: 7,
        runs: RUNS,
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
        first_agreement_round: FirstAgreement {
            runs: agreed,
            mean: Some(3.4),
            histogram,
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
        uncertainty: None,
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
        source:
            "[scenario]\nname = \"demo\"\nhorizon = 12 # a year of monthly rounds (judgement)\n"
                .into(),
    }
}
