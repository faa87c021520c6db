//! Property tests of the model (issue 7) over randomly generated valid
//! scenarios: probabilities and trust stay in range, outcomes are
//! consistent, counts add up, a higher break hazard never helps any run,
//! and a study is the merge of any split of its runs.

use std::sync::atomic::AtomicBool;

use backchannel::engine::streams::StudyStreams;
use backchannel::engine::{Labels, StudyOptions, Tally, Worlds, run_study};
use backchannel::model::{Channel, Model, Observer, RunState, simulate};
use backchannel::output::Summary;
use backchannel::output::summary::StudyId;
use backchannel::scenario::LoadedScenario;
use backchannel::scenario::load::load_text;
use proptest::prelude::*;

/// A random valid scenario, as TOML text.
fn scenario_text() -> impl Strategy<Value = String> {
    let party = || {
        (
            0.05f64..5.0,
            0.0f64..0.5,
            1u32..20,
            0.0f64..0.2,
            0.0f64..0.5,
            0.0f64..1.0,
            -0.2f64..0.3,
            0.0f64..0.8,
            0.0f64..0.3,
            0.0f64..0.05,
        )
    };
    let issue = || (any::<bool>(), 0.0f64..1.0, 0.0f64..0.7, 0.0f64..0.7);
    let spoiler = (
        0usize..4,
        0.0f64..1.0,
        0.0f64..0.4,
        0.0f64..0.4,
        0.0f64..20.0,
        -0.1f64..0.2,
        0.0f64..1.0,
    );
    let shock = (0usize..4, 0.0f64..0.3, 1u32..4, -0.3f64..0.3);
    (
        1u32..24,
        any::<bool>(),
        0.0f64..0.4,
        (0.0f64..1.0, any::<bool>(), 0.0f64..0.3),
        (0.0f64..0.3, 0.0f64..0.3, 0.0f64..0.3, 0.0f64..2.0, 0.0f64..0.5),
        prop::collection::vec(issue(), 1..4),
        (party(), party()),
        prop::collection::vec(spoiler, 0..3),
        prop::collection::vec(shock, 0..3),
    )
        .prop_map(|(horizon, indirect, leak, mediator, trust, issues, parties, spoilers, shocks)| {
            let mut t = format!("[scenario]\nname = \"prop\"\nhorizon = {horizon}\n");
            t += &format!("[format]\nmode = \"{}\"\nleak_hazard = {leak:?}\n", if indirect { "indirect" } else { "direct" });
            t += &format!(
                "[mediator]\ncredibility = {:?}\nstyle = \"{}\"\nbridge = {:?}\n",
                mediator.0,
                if mediator.1 { "facilitation" } else { "formulation" },
                mediator.2
            );
            t += &format!(
                "[trust]\ngain_per_agreement = {:?}\nloss_per_incident = {:?}\nloss_per_rejection = {:?}\nconcession_boost = {:?}\nreservation_relief = {:?}\n",
                trust.0, trust.1, trust.2, trust.3, trust.4
            );
            for (j, (comprehensive, visibility, _, _)) in issues.iter().enumerate() {
                t += &format!(
                    "[[issues]]\nid = \"i{j}\"\nscope = \"{}\"\nvisibility = {visibility:?}\n",
                    if *comprehensive { "comprehensive" } else { "narrow" }
                );
            }
            for (p, party) in [parties.0, parties.1].iter().enumerate() {
                let (e, k, deadline, noise, walkout, trust0, cost, theta, rnoise, drift) = *party;
                t += &format!(
                    "[[parties]]\nid = \"p{p}\"\nconcession = {e:?}\ninitial_concession = {k:?}\ndeadline = {deadline}\noffer_noise = {noise:?}\nwalkout_hazard = {walkout:?}\ninitial_trust = {trust0:?}\naudience_cost = {cost:?}\n[parties.domestic]\nthreshold = {theta:?}\nnoise = {rnoise:?}\ndrift = {drift:?}\n"
                );
                for (j, (_, _, ra, rb)) in issues.iter().enumerate() {
                    t += &format!("[parties.issues.i{j}]\nreservation = {:?}\n", if p == 0 { ra } else { rb });
                }
            }
            let kinds = ["limited", "greedy", "total", "total"];
            for (s, (kind, capability, base, max, sensitivity, pressure, trigger)) in spoilers.iter().enumerate() {
                t += &format!(
                    "[[spoilers]]\nid = \"s{s}\"\nkind = \"{}\"\ncapability = {capability:?}\nbase_hazard = {base:?}\nmax_hazard = {max:?}\nsensitivity = {sensitivity:?}\npressure = {pressure:?}\ntrigger = {trigger:?}\n",
                    kinds[*kind]
                );
            }
            let effects = ["suspend", "break", "escalate", "trust"];
            for (k, (effect, hazard, duration, delta)) in shocks.iter().enumerate() {
                t += &format!(
                    "[[shocks]]\nid = \"k{k}\"\neffect = \"{}\"\nhazard = {hazard:?}\nduration = {}\ntrust_delta = {delta:?}\n",
                    effects[*effect],
                    duration.min(&horizon)
                );
            }
            t
        })
}

fn load(text: &str) -> LoadedScenario {
    load_text("prop", "prop.toml", text, &[])
        .unwrap_or_else(|e| panic!("generated scenarios are valid: {e}\n{text}"))
}

/// Checks invariants at the end of every round.
struct Invariants;

impl Observer for Invariants {
    fn event(&mut self, _: u32, _: backchannel::model::Event) {}
    fn round_end(&mut self, state: &RunState) {
        assert!(
            state.trust.iter().all(|t| (0.0..=1.0).contains(t)),
            "trust {:?}",
            state.trust
        );
        assert!(
            (0.0..=1.0).contains(&state.progress),
            "progress {}",
            state.progress
        );
        assert!(state.threshold.iter().all(|t| t.is_finite()));
    }
}

fn tally(model: &Model, first_run: u64, runs: u64) -> Tally {
    let options = StudyOptions {
        seed: 99,
        first_run,
        runs,
        threads: 2,
        keep_records: false,
    };
    run_study(
        &Worlds::fixed(model.clone()),
        &options,
        &AtomicBool::new(false),
        |_, _| Ok::<(), ()>(()),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Trust and progress stay in [0, 1]; a run ends in one consistent state.
    #[test]
    fn runs_keep_their_invariants(text in scenario_text()) {
        let model = Model::new(&load(&text).scenario);
        let mut streams = StudyStreams::new(5, &model.streams.ids);
        let mut state = RunState::new(&model);
        for run in 0..200 {
            streams.start_run(run);
            simulate(&model, &mut streams, &mut state, &mut Invariants);
            match state.channel {
                Channel::Broken => prop_assert!(state.cause.is_some() && state.broken_round.is_some()),
                _ => prop_assert!(state.cause.is_none() && state.broken_round.is_none()),
            }
            if state.channel == Channel::Concluded {
                prop_assert!(model.concluding_issues.iter().all(|&j| state.issues[j].status == backchannel::model::IssueStatus::Ratified));
            }
        }
    }

    /// Every probability is in [0, 1] inside its interval; counts add up and
    /// keep every identity `merge` checks.
    #[test]
    fn summaries_are_proper_distributions(text in scenario_text()) {
        let model = Model::new(&load(&text).scenario);
        let t = tally(&model, 0, 300);
        prop_assert_eq!(t.deal.iter().sum::<u64>(), 300);
        prop_assert_eq!(t.channel.iter().sum::<u64>(), 300);
        let broken = 300 - t.continued();
        prop_assert_eq!(t.broken_by_shock.iter().sum::<u64>() + t.broken_by_spoiler.iter().sum::<u64>(), broken);
        prop_assert_eq!(t.broken_in_round.iter().sum::<u64>(), broken);
        prop_assert_eq!(t.inconsistencies(&model), vec![], "merge would refuse a real tally");
        let id = StudyId { name: "prop".into(), sha256: String::new(), overrides: Vec::new(), seed: 99, round_label: "round".into() };
        let summary = Summary::new(&Labels::of(&model), &id, &t);
        for (metric, p, lo, hi) in backchannel::output::summary_csv::rows(&summary) {
            prop_assert!((0.0..=1.0).contains(&p) && lo <= p && p <= hi && (0.0..=1.0).contains(&lo) && hi <= 1.0, "{} {} [{}, {}]", metric, p, lo, hi);
        }
        let survival: Vec<f64> = summary.survival.iter().map(|s| s.p).collect();
        prop_assert!(survival.windows(2).all(|w| w[1] <= w[0]), "survival never rises");
    }

    /// With common random numbers, raising a break shock's hazard never lets
    /// any run survive longer, when no mediator contains breaks (a contained
    /// break is a suspension, which can change a run either way).
    #[test]
    fn a_higher_break_hazard_never_helps_a_run(text in scenario_text(), low in 0.0f64..0.3, extra in 0.0f64..0.3) {
        let text = text.replace("[mediator]\n", "[mediator]\ncrisis_management = 0.0\n");
        let with = |h: f64| Model::new(&load(&format!("{text}[[shocks]]\nid = \"extra-break\"\neffect = \"break\"\nhazard = {h:?}\n")).scenario);
        let (a, b) = (with(low), with(low + extra));
        let mut sa = StudyStreams::new(3, &a.streams.ids);
        let mut sb = StudyStreams::new(3, &b.streams.ids);
        let (mut ra, mut rb) = (RunState::new(&a), RunState::new(&b));
        for run in 0..200 {
            sa.start_run(run);
            sb.start_run(run);
            simulate(&a, &mut sa, &mut ra, &mut Invariants);
            simulate(&b, &mut sb, &mut rb, &mut Invariants);
            let end = |s: &RunState| s.broken_round.unwrap_or(u32::MAX);
            prop_assert!(end(&rb) <= end(&ra), "run {}: broken at {:?} with the higher hazard, {:?} with the lower", run, rb.broken_round, ra.broken_round);
        }
    }

    /// A study's counts are the merge of any split of its runs.
    #[test]
    fn a_study_is_the_merge_of_any_split(text in scenario_text(), split in 0u64..=500) {
        let model = Model::new(&load(&text).scenario);
        let whole = tally(&model, 0, 500);
        let mut parts = tally(&model, 0, split);
        parts.merge(&tally(&model, split, 500 - split));
        prop_assert_eq!(parts, whole);
    }
}
