//! Face validity (issue 9): with each historical scenario set up as it stood
//! at its start, what actually happened must not be a tail event of the
//! model (probability at least 5 %). Run with `--nocapture` to see the
//! table that docs/VALIDATION.md reports.

use backchannel::engine::streams::StudyStreams;
use backchannel::model::{Channel, IssueStatus, Model, NoObserver, RunState, simulate};
use backchannel::scenario::load;

const RUNS: u64 = 20_000;
/// Below this the historical outcome would be a tail event.
const TAIL: f64 = 0.05;

/// The share of runs of embedded scenario `name` for which `event` holds.
fn probability(name: &str, event: impl Fn(&Model, &RunState) -> bool) -> f64 {
    let loaded = load(name, &[]).unwrap();
    let model = Model::new(&loaded.scenario);
    let mut streams = StudyStreams::new(loaded.scenario.scenario.seed, &model.streams.ids);
    let mut state = RunState::new(&model);
    let mut hits = 0u64;
    for run in 0..RUNS {
        streams.start_run(run);
        simulate(&model, &mut streams, &mut state, &mut NoObserver);
        hits += u64::from(event(&model, &state));
    }
    hits as f64 / RUNS as f64
}

/// Broken by round `by` by one of the named causes.
fn broken_by(state: &RunState, model: &Model, by: u32, causes: &[&str]) -> bool {
    state.broken_round.is_some_and(|t| t <= by)
        && state
            .cause
            .is_some_and(|c| causes.contains(&model.cause_name(c).as_str()))
}

/// Issue `id` was ratified by round `by` (ratification happens at the seal
/// round, `confirm_rounds` after agreement, and is final).
fn ratified_by(state: &RunState, model: &Model, id: &str, by: u32) -> bool {
    let j = model.issues.iter().position(|i| i.id == id).unwrap();
    let issue = state.issues[j];
    issue.status == IssueStatus::Ratified
        && issue
            .agreed_round
            .is_some_and(|t| t + model.confirm_rounds <= by)
}

fn report(scenario: &str, outcomes: &[(&str, f64)]) {
    println!("{scenario}");
    for (what, p) in outcomes {
        println!("  {:>5.1}%  {what}", 100.0 * p);
    }
}

/// 2013: the secret channel reached the interim deal (JPOA) by November,
/// month 9 counting March 2013 as month 1.
#[test]
fn the_2013_channel_reaching_an_interim_deal_is_not_a_tail_event() {
    let name = "backchannel-2013";
    let happened = probability(name, |m, s| ratified_by(s, m, "interim", 9));
    let broken = probability(name, |_, s| s.broken_round.is_some_and(|t| t <= 9));
    let no_agreement = probability(name, |_, s| s.first_agreement_round.is_none_or(|t| t > 9));
    let comprehensive = probability(name, |_, s| s.channel == Channel::Concluded);
    report(
        name,
        &[
            ("interim deal ratified by month 9 (what happened)", happened),
            ("channel broken by month 9", broken),
            ("no agreement at all by month 9", no_agreement),
            ("comprehensive deal within 12 months", comprehensive),
        ],
    );
    assert!(happened >= TAIL, "{happened}");
}

/// 2025: the track was broken by outside strikes in June, month 3.
#[test]
fn the_2025_track_broken_by_an_outside_strike_is_not_a_tail_event() {
    let name = "muscat-2025";
    let outside = ["spoiler:israel", "shock:deadline-strike"];
    let happened = probability(name, |m, s| broken_by(s, m, 3, &outside));
    let other_break = probability(name, |m, s| {
        s.broken_round.is_some_and(|t| t <= 3) && !broken_by(s, m, 3, &outside)
    });
    let talking = probability(name, |_, s| s.broken_round.is_none_or(|t| t > 3));
    let framework = probability(name, |m, s| ratified_by(s, m, "framework", 3));
    report(
        name,
        &[
            (
                "broken by an outside strike by month 3 (what happened)",
                happened,
            ),
            ("broken otherwise by month 3 (snapback)", other_break),
            ("channel still alive after month 3", talking),
            ("framework ratified by month 3", framework),
        ],
    );
    assert!(happened >= TAIL, "{happened}");
}

/// 2026: the track was broken by US and Israeli strikes on 28 February,
/// within the first month.
#[test]
fn the_2026_track_broken_by_outside_strikes_in_a_month_is_not_a_tail_event() {
    let name = "muscat-2026";
    let outside = ["spoiler:israel", "shock:regional-strike"];
    let happened = probability(name, |m, s| broken_by(s, m, 1, &outside));
    let within_two = probability(name, |m, s| broken_by(s, m, 2, &outside));
    let narrow = probability(name, |_, s| {
        s.issues
            .iter()
            .take(3)
            .any(|i| i.status == IssueStatus::Ratified)
    });
    let alive = probability(name, |_, s| s.channel != Channel::Broken);
    report(
        name,
        &[
            (
                "broken by an outside strike in month 1 (what happened)",
                happened,
            ),
            ("broken by an outside strike within 2 months", within_two),
            ("a narrow deal ratified within 12 months", narrow),
            ("channel alive after 12 months", alive),
        ],
    );
    assert!(happened >= TAIL, "{happened}");
}
