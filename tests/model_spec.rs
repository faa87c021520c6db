//! The readings of docs/MODEL.md a reimplementation from the docs alone
//! needed settled (issue 33), one test per reading, each named after what
//! it pins. The model runs on small purpose-built scenarios with scripted
//! draws (every draw of a stream in a round is a uniform the test chooses),
//! and each test asserts exact event sequences or values, so any change of
//! the behaviour the docs now state fails here.

mod support;

use std::fs;

use backchannel::engine::Cell;
use backchannel::model::{
    Channel, Deal, Event, IssueStatus, Model, Observer, Randomness, RunState, simulate,
};
use backchannel::scenario::load::load_text;
use backchannel::scenario::{ShockEffect, SpoilerAction};
use backchannel::stats::spread::{WorldCount, spread, weighted_quantile};
use serde_json::Value;
use support::{backchannel, write};

/// Scripted randomness: every draw of the stream named `name` (as
/// `shock:pause`, `walkout:x`, `leak:`) in round `t` is the uniform
/// `draw(name, t)`, whatever its slot.
struct Script<F> {
    names: Vec<String>,
    draw: F,
}

impl<F: Fn(&str, u32) -> f64> Randomness for Script<F> {
    fn bits(&mut self, stream: usize, round: u32, _slot: u32) -> u64 {
        let u = (self.draw)(&self.names[stream], round);
        ((u * (1u64 << 53) as f64) as u64) << 11
    }
}

/// Everything a run showed: its events in order and, at each round's end,
/// the channel and the progress.
#[derive(Default)]
struct Log {
    events: Vec<(u32, Event)>,
    channel: Vec<Channel>,
    progress: Vec<f64>,
}

impl Log {
    /// The events `keep` selects, with their rounds.
    fn only(&self, keep: impl Fn(&Event) -> bool) -> Vec<(u32, Event)> {
        self.events
            .iter()
            .filter(|(_, e)| keep(e))
            .cloned()
            .collect()
    }

    /// The rounds with offers on some issue.
    fn offer_rounds(&self) -> Vec<u32> {
        let mut rounds: Vec<u32> = self
            .only(|e| matches!(e, Event::Offers { .. }))
            .iter()
            .map(|(t, _)| *t)
            .collect();
        rounds.dedup();
        rounds
    }
}

impl Observer for Log {
    fn event(&mut self, round: u32, event: Event) {
        self.events.push((round, event));
    }
    fn round_end(&mut self, state: &RunState) {
        self.channel.push(state.channel);
        self.progress.push(state.progress);
    }
}

/// A scenario over `horizon` rounds: `top` (format, mediator, spoilers,
/// shocks), issue `a` (or the issues `top` declares), then parties `x` and
/// `y` with their own keys and issue tables.
fn text(horizon: u32, top: &str, x: &str, y: &str) -> String {
    format!(
        "[scenario]\nname = \"spec\"\nhorizon = {horizon}\n{top}\n\
         [[parties]]\nid = \"x\"\n{x}\n[[parties]]\nid = \"y\"\n{y}\n"
    )
}

/// Issue `a` and each party's reservation on it, for [`text`].
const ISSUE_A: &str = "[[issues]]\nid = \"a\"\n";

fn reservation(r: f64) -> String {
    format!("[parties.issues.a]\nreservation = {r:?}\n")
}

fn model(text: &str) -> Model {
    let loaded =
        load_text("spec", "spec.toml", text, &[]).unwrap_or_else(|e| panic!("{e}\n{text}"));
    Model::new(&loaded.scenario)
}

/// One whole run of `model` with draws `draw(stream name, round)`.
fn run(model: &Model, draw: impl Fn(&str, u32) -> f64) -> (RunState, Log) {
    let names = model.streams.ids.iter().map(|id| id.to_string()).collect();
    let mut script = Script { names, draw };
    let mut state = RunState::new(model);
    let mut log = Log::default();
    simulate(model, &mut script, &mut state, &mut log);
    (state, log)
}

fn spoiler_moves(log: &Log) -> Vec<(u32, usize)> {
    log.only(|e| matches!(e, Event::Spoiler { .. }))
        .into_iter()
        .map(|(t, e)| match e {
            Event::Spoiler {
                spoiler,
                action: SpoilerAction::Pressure,
                success: true,
            } => (t, spoiler),
            other => panic!("unexpected {other:?}"),
        })
        .collect()
}

/// Reading 1. Spoilers that act with probability 0.4 (base = max hazard,
/// a draw of 0.5 never activates them), with a leak in every round from
/// round 1: once revealed, an outside spoiler's activation is
/// 0.4 (1 + 1.0 (1 - 0.5)) = 0.6 and it acts in every later round; an
/// inside one never gets the boost; an unstated position is outside. In
/// direct talks nobody is boosted, though the leaks still happen.
#[test]
fn the_revelation_boost_reaches_every_outside_spoiler_and_no_inside_one() {
    let spoiler = |id: &str, position: &str| {
        format!(
            "[[spoilers]]\nid = \"{id}\"\n{position}actions = [\"pressure\"]\npressure = 0.0\nbase_hazard = 0.4\nmax_hazard = 0.4\n"
        )
    };
    let top = |mode: &str| {
        format!(
            "[format]\nmode = \"{mode}\"\nexposure = 0.5\nleak_hazard = 1.0\n\
             [mediator]\ncredibility = 0.0\nsecrecy = 0.0\nrevelation_boost = 1.0\n{}{}{}{ISSUE_A}",
            spoiler("out", "position = \"outside\"\n"),
            spoiler("in", "position = \"inside\"\n"),
            spoiler("unstated", ""),
        )
    };
    let no_deal = reservation(0.7);
    let draws = |spoiler_draw: f64| {
        move |name: &str, _t: u32| {
            if name.starts_with("spoiler:") {
                spoiler_draw
            } else {
                0.1
            }
        }
    };

    let indirect = model(&text(3, &top("indirect"), &no_deal, &no_deal));
    let (_, log) = run(&indirect, draws(0.5));
    assert_eq!(
        log.only(|e| matches!(e, Event::Leak { .. } | Event::Revealed))[..2],
        [(1, Event::Leak { forced: false }), (1, Event::Revealed)]
    );
    assert_eq!(spoiler_moves(&log), [(2, 0), (2, 2), (3, 0), (3, 2)]);
    // The boosted activation is 0.6: a draw just above it activates no one.
    assert!(spoiler_moves(&run(&indirect, draws(0.61)).1).is_empty());
    assert_eq!(spoiler_moves(&run(&indirect, draws(0.59)).1).len(), 4);

    let direct = model(&text(3, &top("direct"), &no_deal, &no_deal));
    let (state, log) = run(&direct, draws(0.5));
    assert_eq!((state.leaks, state.revealed), (3, true));
    assert!(spoiler_moves(&log).is_empty(), "{:?}", log.events);
}

/// A manipulator whose deals always relapse (credibility 1, durability
/// cost 1) and who has no leverage at all; `issues` and each party's
/// tables follow.
fn manipulator(extra: &str) -> String {
    format!(
        "[format]\nmode = \"indirect\"\n[mediator]\ncredibility = 1.0\nstyle = \"manipulation\"\n\
         leverage = 0.0\ndurability_cost = 1.0\n{extra}"
    )
}

/// A narrow issue `n` both parties can settle (agreed in round 3, sealed
/// and ratified in round 4) and a comprehensive issue `c` on which both
/// hold out for `c_reservation`.
fn narrow_and_comprehensive(top: &str, c_reservation: f64) -> String {
    let party = format!(
        "[parties.issues.n]\nreservation = 0.0\n[parties.issues.c]\nreservation = {c_reservation:?}\n"
    );
    let top = format!(
        "{top}[[issues]]\nid = \"n\"\nscope = \"narrow\"\n[[issues]]\nid = \"c\"\nscope = \"comprehensive\"\n"
    );
    text(6, &top, &party, &party)
}

/// Reading 2. "A deal reached with leverage" is any ratified issue while
/// the mediator's relapse hazard `c w_man durability_cost` is above 0,
/// whatever its leverage (0 here): the narrow issue is ratified in round
/// 4 and the deal relapses in round 5 although a shock suspends that
/// round (the relapse is drawn before talks, in every round the channel
/// is neither broken nor concluded). A facilitator never relapses.
#[test]
fn a_ratified_issue_relapses_under_a_manipulator_even_without_leverage_and_in_suspended_rounds() {
    let pause = "[[shocks]]\nid = \"pause\"\nhazard = 0.5\neffect = \"suspend\"\n";
    let draws = |name: &str, t: u32| {
        if name == "shock:pause" && t == 5 {
            0.1
        } else {
            0.9
        }
    };
    let m = model(&narrow_and_comprehensive(&manipulator(pause), 0.7));
    assert_eq!((m.mediator.leverage, m.mediator.relapse_hazard), (0.0, 1.0));
    let (state, log) = run(&m, draws);
    assert!(log.events.contains(&(
        4,
        Event::Sealed {
            issue: 0,
            ratified: true
        }
    )));
    let round_5: Vec<Event> = log
        .events
        .iter()
        .filter(|(t, _)| *t == 5)
        .map(|(_, e)| e.clone())
        .collect();
    assert_eq!(
        round_5,
        [
            Event::Shock {
                shock: 0,
                effect: ShockEffect::Suspend
            },
            Event::Relapse
        ]
    );
    assert_eq!(log.channel[4], Channel::Suspended);
    assert_eq!(
        (state.relapsed, state.deal(), state.channel, state.round),
        (true, Deal::Partial, Channel::Active, 6)
    );

    let facilitator = manipulator(pause).replace("\"manipulation\"", "\"facilitation\"");
    let m = model(&narrow_and_comprehensive(&facilitator, 0.7));
    assert_eq!(m.mediator.relapse_hazard, 0.0);
    let (state, log) = run(&m, draws);
    assert!(!state.relapsed && !log.events.contains(&(5, Event::Relapse)));
}

/// Reading 3. The relapse check comes before talks, and a run ends in
/// the round its track concludes: a single issue ratified in round 4
/// concludes the track that round and can never relapse, even at a hazard
/// of 1. A narrow issue ratified before the comprehensive one does
/// relapse (round 5), and the run still concludes (round 6) with its
/// relapse.
#[test]
fn only_an_issue_ratified_before_the_track_concludes_can_relapse() {
    let single = text(
        6,
        &format!("{}{ISSUE_A}", manipulator("")),
        &reservation(0.0),
        &reservation(0.0),
    );
    let (state, log) = run(&model(&single), |_, _| 0.5);
    assert_eq!(
        (state.channel, state.round, state.relapsed),
        (Channel::Concluded, 4, false)
    );
    assert!(!log.events.iter().any(|(_, e)| *e == Event::Relapse));

    let (state, log) = run(
        &model(&narrow_and_comprehensive(&manipulator(""), 0.3)),
        |_, _| 0.5,
    );
    assert_eq!(log.only(|e| *e == Event::Relapse), [(5, Event::Relapse)]);
    assert_eq!(
        (state.channel, state.deal(), state.round, state.relapsed),
        (Channel::Concluded, Deal::Comprehensive, 6, true)
    );
}

/// Reading 4. A relapse shows in `runs.csv` (`--save-runs`), in `trace`
/// (its `relapse` event and the outcome's `relapse` column) and nowhere
/// else: not in `summary.json`, `summary.csv`, `manifest.json`, the plots,
/// `report.html` or the text summary.
#[test]
fn a_relapse_shows_in_runs_csv_and_trace_only() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(
        dir.path(),
        "spec.toml",
        &narrow_and_comprehensive(&manipulator(""), 0.7),
    );
    let out = dir.path().join("out");
    let output = backchannel()
        .arg("run")
        .arg(&scenario)
        .args(["--runs", "3", "--save-runs", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let runs = fs::read_to_string(out.join("runs.csv")).unwrap();
    let lines: Vec<&str> = runs.lines().collect();
    assert_eq!(
        lines,
        [
            "run,deal,channel,cause,escalation,contained,revealed,relapse,first_agreement_round,n,c",
            "0,partial,active,,false,0,false,true,3,ratified,open",
            "1,partial,active,,false,0,false,true,3,ratified,open",
            "2,partial,active,,false,0,false,true,3,ratified,open",
        ]
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.to_lowercase().contains("relapse"), "{stdout}");
    let plots = out.join("plots");
    let files: Vec<_> = [&out, &plots]
        .iter()
        .flat_map(|dir| fs::read_dir(dir).unwrap())
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && path.file_name().unwrap() != "runs.csv")
        .collect();
    assert!(files.iter().any(|path| path.ends_with("report.html")));
    for path in files {
        let bytes = fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("relapse"), "{}", path.display());
    }

    let trace = backchannel()
        .arg("trace")
        .arg(&scenario)
        .args(["--run", "0", "--json"])
        .output()
        .unwrap();
    assert!(trace.status.success(), "{trace:?}");
    let lines: Vec<Value> = String::from_utf8_lossy(&trace.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let relapses: Vec<&Value> = lines.iter().filter(|l| l["type"] == "relapse").collect();
    assert_eq!(
        relapses,
        [&serde_json::json!({"type": "relapse", "round": 5})]
    );
    assert_eq!(lines.last().unwrap()["relapse"], Value::Bool(true));
    let text = backchannel()
        .arg("trace")
        .arg(&scenario)
        .args(["--run", "0"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&text.stdout)
            .contains("the deal reached with leverage relapses into crisis")
    );
    // The same flag is the record's `relapse` column.
    let m = model(&narrow_and_comprehensive(&manipulator(""), 0.7));
    let (state, _) = run(&m, |_, _| 0.5);
    let record = backchannel::engine::RunRecord::new(&m, 0, 0, &state);
    let relapse = record
        .fixed_columns()
        .into_iter()
        .find(|(column, _)| *column == "relapse")
        .map(|(_, cell)| cell);
    assert!(matches!(relapse, Some(Cell::Flag(true))));
}

/// Reading 5. A breaking shock the mediator contains suspends the channel
/// through `t + duration - 1` with the shock's own `duration` (the key a
/// `suspend` shock uses; default 1, the shock's round only), without
/// escalation.
#[test]
fn a_contained_shock_suspends_for_the_shock_s_duration() {
    let top = |duration: &str| {
        format!(
            "[format]\nmode = \"indirect\"\n[mediator]\ncredibility = 1.0\ncrisis_management = 1.0\n\
             [[shocks]]\nid = \"war\"\nhazard = 0.5\neffect = \"escalate\"\n{duration}{ISSUE_A}"
        )
    };
    let draws = |name: &str, t: u32| {
        if name == "shock:war" && t == 2 {
            0.1
        } else {
            0.9
        }
    };
    let m = model(&text(
        8,
        &top("duration = 3\n"),
        &reservation(0.0),
        &reservation(0.0),
    ));
    assert_eq!(m.mediator.containment, 1.0);
    let (state, log) = run(&m, draws);
    assert_eq!(
        log.only(|e| matches!(e, Event::Shock { .. } | Event::Contained { .. })),
        [
            (
                2,
                Event::Shock {
                    shock: 0,
                    effect: ShockEffect::Escalate
                }
            ),
            (2, Event::Contained { shock: 0 })
        ]
    );
    assert_eq!(state.suspended_rounds, [2, 3, 4]);
    assert_eq!(log.offer_rounds(), [1, 5]);
    assert_eq!(
        (state.contained, state.escalation, state.broken_round),
        (1, false, None)
    );

    let m = model(&text(8, &top(""), &reservation(0.0), &reservation(0.0)));
    let (state, log) = run(&m, draws);
    assert_eq!(state.suspended_rounds, [2]);
    assert_eq!(log.offer_rounds(), [1, 3, 4]);
}

/// Reading 6. Each party draws its walkout from its own stream in every
/// talks round, whether or not the other walked out: both leave in round
/// 2, the walkout count is 2 and the suspension runs to the later end
/// (round 2 + 3 - 1).
#[test]
fn both_parties_can_walk_out_in_one_round() {
    let x = format!(
        "walkout_hazard = 0.8\nwalkout_rounds = 1\n{}",
        reservation(0.0)
    );
    let y = format!(
        "walkout_hazard = 0.8\nwalkout_rounds = 3\n{}",
        reservation(0.0)
    );
    let m = model(&text(8, ISSUE_A, &x, &y));
    // p = 0.8 (1 - 0.5) = 0.4 for each.
    let (state, log) = run(&m, |name, t| {
        if name.starts_with("walkout:") && t == 2 {
            0.39
        } else {
            0.41
        }
    });
    assert_eq!(
        log.only(|e| matches!(e, Event::Walkout { .. })),
        [
            (
                2,
                Event::Walkout {
                    party: 0,
                    through: 2
                }
            ),
            (
                2,
                Event::Walkout {
                    party: 1,
                    through: 4
                }
            )
        ]
    );
    assert_eq!(state.walkouts, 2);
    assert_eq!(state.suspended_rounds, [2, 3, 4]);
    assert_eq!(log.offer_rounds(), [1, 5]);
}

/// Reading 7. Progress is recomputed at the end of every talks round
/// (active, after sealing), offers or not, and only then. The issue is
/// agreed in round 3 and rejected at its seal in round 4: if round 4 is a
/// talks round with nothing left open, progress falls to 0 that round; if
/// a shock suspends round 4, it stays 1 until the next talks round.
#[test]
fn progress_is_recomputed_in_every_talks_round_and_only_then() {
    let top = |shock: &str| format!("[format]\nconfirm_rounds = 1\n{shock}{ISSUE_A}");
    let x = format!("[parties.domestic]\nthreshold = 0.9\n{}", reservation(0.0));
    let y = reservation(0.0);
    let pause = "[[shocks]]\nid = \"pause\"\nhazard = 0.5\neffect = \"suspend\"\n";
    let draws = |name: &str, t: u32| {
        if name == "shock:pause" && t == 4 {
            0.1
        } else {
            0.9
        }
    };
    // Gaps 2/3, 1/3 and 0 in rounds 1 to 3 (linear concession to round 6).
    let second = {
        let gap = |t: f64| 2.0 * (1.0 - t / 6.0) - 1.0;
        1.0 - gap(2.0) / gap(1.0)
    };

    let (state, log) = run(&model(&text(6, &top(""), &x, &y)), draws);
    assert_eq!(state.issues[0].status, IssueStatus::Rejected);
    assert_eq!(log.offer_rounds(), [1, 2, 3]);
    assert_eq!(log.progress, [0.0, second, 1.0, 0.0, 0.0, 0.0]);

    let (_, log) = run(&model(&text(6, &top(pause), &x, &y)), draws);
    assert_eq!(
        log.only(|e| matches!(e, Event::Sealed { .. })),
        [(
            4,
            Event::Sealed {
                issue: 0,
                ratified: false
            }
        )]
    );
    assert_eq!(log.channel[3], Channel::Suspended);
    assert_eq!(log.progress, [0.0, second, 1.0, 1.0, 0.0, 0.0]);
}

/// Reading 8. Spoilers act (step 4) before the leak (step 5): a leak in
/// round 2 boosts an outside spoiler from round 3 on.
#[test]
fn a_leak_boosts_spoilers_from_the_next_round() {
    let top = format!(
        "[format]\nmode = \"indirect\"\nexposure = 0.5\nleak_hazard = 1.0\n\
         [mediator]\ncredibility = 0.0\nrevelation_boost = 1.0\n\
         [[spoilers]]\nid = \"out\"\nactions = [\"pressure\"]\npressure = 0.0\nbase_hazard = 0.4\nmax_hazard = 0.4\n{ISSUE_A}"
    );
    let no_deal = reservation(0.7);
    let (_, log) = run(
        &model(&text(4, &top, &no_deal, &no_deal)),
        |name, t| match name {
            "leak:" if t == 2 => 0.1,
            "leak:" => 0.9,
            _ => 0.5,
        },
    );
    assert_eq!(
        log.only(|e| matches!(
            e,
            Event::Leak { .. } | Event::Revealed | Event::Spoiler { .. }
        )),
        [
            (2, Event::Leak { forced: false }),
            (2, Event::Revealed),
            (
                3,
                Event::Spoiler {
                    spoiler: 0,
                    action: SpoilerAction::Pressure,
                    success: true
                }
            ),
            (
                4,
                Event::Spoiler {
                    spoiler: 0,
                    action: SpoilerAction::Pressure,
                    success: true
                }
            ),
        ]
    );
}

/// Reading 9. Agreement is `gap <= max(0, bridgeable_gap)` on the gap
/// computed in double precision, with no tolerance. Party x has conceded
/// fully in round 1 (demand 0.1) and y demands 0.2 + 0.8 (1 - 1/8), which
/// is 0.9 exactly but 0.9000000000000001 in binary: the gap is 2^-52, not
/// 0, so the issue is agreed in round 2, not round 1.
#[test]
fn agreement_compares_the_gap_with_no_tolerance() {
    let x = format!("deadline = 1\n{}", reservation(0.1));
    let y = format!("deadline = 8\n{}", reservation(0.2));
    let (_, log) = run(&model(&text(8, ISSUE_A, &x, &y)), |_, _| 0.5);
    let offers = log.only(|e| matches!(e, Event::Offers { .. } | Event::Agreement { .. }));
    assert_eq!(
        offers[0],
        (
            1,
            Event::Offers {
                issue: 0,
                demands: [0.1, 0.2 + (1.0 - 0.2) * (1.0 - 1.0 / 8.0)],
                gap: f64::EPSILON
            }
        )
    );
    assert!(matches!(offers[1], (2, Event::Offers { .. })));
    assert!(matches!(offers[2], (2, Event::Agreement { .. })));
}

fn votes(log: &Log) -> Vec<(u32, usize, f64)> {
    log.only(|e| matches!(e, Event::Vote { .. }))
        .into_iter()
        .map(|(t, e)| match e {
            Event::Vote { party, hurdle, .. } => (t, party, hurdle),
            _ => unreachable!(),
        })
        .collect()
}

/// Reading 10. The secrecy factor has no party index: both parties'
/// hurdles are `theta_i visibility_j (1 - secrecy (1 - exposure))` with the
/// talks' one exposure. A leak in the round of the vote (step 5, before
/// sealing) makes it 1 for both, on top of each party's own audience cost.
#[test]
fn the_secrecy_factor_is_the_same_for_both_parties() {
    let top = |leak: f64| {
        format!(
            "[format]\nmode = \"indirect\"\nexposure = 0.2\nleak_hazard = {leak:?}\n\
             [mediator]\ncredibility = 0.0\nsecrecy = 0.5\n[[issues]]\nid = \"a\"\nvisibility = 0.5\n"
        )
    };
    let x = format!(
        "audience_cost = 0.1\n[parties.domestic]\nthreshold = 0.5\n{}",
        reservation(0.0)
    );
    let y = format!("[parties.domestic]\nthreshold = 0.25\n{}", reservation(0.0));
    let factor = 1.0 - 0.5 * (1.0 - 0.2);
    // Agreed in round 3, sealed in round 4 (one round trip).
    let (_, log) = run(&model(&text(6, &top(0.0), &x, &y)), |_, _| 0.5);
    assert_eq!(
        votes(&log),
        [(4, 0, 0.5 * 0.5 * factor), (4, 1, 0.25 * 0.5 * factor)]
    );

    let (_, log) = run(&model(&text(6, &top(1.0), &x, &y)), |name, t| {
        if name == "leak:" && t == 4 { 0.1 } else { 0.9 }
    });
    assert_eq!(votes(&log), [(4, 0, (0.5 + 0.1) * 0.5), (4, 1, 0.25 * 0.5)]);
}

/// Reading 11. Three worlds of 20, 40 and 100 runs with estimates 0.5,
/// 0.75 and 0.9, weighted 1, 1 and 2 (likelihoods under `--given`). The
/// centre is the weighted mean of the worlds' estimates (0.7625, not the
/// pooled 130/160); both variances divide by the total weight; a world's
/// noise is `p (1 - p) / (n - 1)`; the share divides by the centre's
/// Bernoulli variance.
#[test]
fn the_spread_divides_by_the_total_weight_and_shrinks_to_the_weighted_mean_of_worlds() {
    let worlds = [(10, 20), (30, 40), (90, 100)].map(|(count, runs)| WorldCount { count, runs });
    let weights = [1.0, 1.0, 2.0];
    let s = spread(&worlds, &weights);

    let p = [0.5, 0.75, 0.9];
    let centre = 3.05 / 4.0;
    let observed = (0.2625f64.powi(2) + 0.0125f64.powi(2) + 2.0 * 0.1375f64.powi(2)) / 4.0;
    let noise = (0.25 / 19.0 + 0.1875 / 39.0 + 2.0 * 0.09 / 99.0) / 4.0;
    let between = observed - noise;
    let shrink = (between / observed).sqrt();
    let corrected: Vec<(f64, f64)> = p
        .iter()
        .zip(weights)
        .map(|(p, w)| (centre + shrink * (p - centre), w))
        .collect();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    for (got, q) in [
        (s.p05, 0.05),
        (s.p25, 0.25),
        (s.p50, 0.5),
        (s.p75, 0.75),
        (s.p95, 0.95),
    ] {
        assert!(close(got, weighted_quantile(&corrected, q)), "{q}: {s:?}");
    }
    // Type 5 with weights: midpoints at 1/8, 3/8 and 3/4 of the weight.
    assert!(close(s.p05, corrected[0].0) && close(s.p95, corrected[2].0));
    assert!(close(s.p25, (corrected[0].0 + corrected[1].0) / 2.0));
    assert!(close(
        s.share_from_inputs,
        between / (centre * (1.0 - centre))
    ));
    assert!((s.share_from_inputs - 0.120229).abs() < 1e-6, "{s:?}");
    // No world with runs and weight: every field 0.
    let none = spread(&[WorldCount { count: 0, runs: 0 }], &[1.0]);
    assert_eq!(
        (none.p05, none.p95, none.share_from_inputs),
        (0.0, 0.0, 0.0)
    );
}

/// Reading 11, worlds of one run: their estimate is 0 or 1 and their noise
/// cannot be estimated, so they take no part in the spread or the share.
/// With every world at one run every field is 0; beside worlds of several
/// runs, they change nothing.
#[test]
fn the_spread_leaves_out_worlds_of_one_run() {
    let ones = [1, 0, 1, 1].map(|count| WorldCount { count, runs: 1 });
    let s = spread(&ones, &[1.0; 4]);
    assert_eq!(
        (s.p05, s.p50, s.p95, s.share_from_inputs),
        (0.0, 0.0, 0.0, 0.0)
    );
    let larger = [(3, 10), (5, 10), (7, 10)].map(|(count, runs)| WorldCount { count, runs });
    let alone = spread(&larger, &[1.0; 3]);
    let mixed: Vec<WorldCount> = larger.iter().copied().chain(ones).collect();
    let with_ones = spread(&mixed, &[1.0; 7]);
    assert_eq!(
        (
            with_ones.p05,
            with_ones.p50,
            with_ones.p95,
            with_ones.share_from_inputs
        ),
        (alone.p05, alone.p50, alone.p95, alone.share_from_inputs)
    );
}

/// Reading 12. `exposure` scales the leak hazard in either mode and, in
/// indirect talks only, what secrecy spares (`secrecy (1 - exposure)`) and
/// the revelation boost (`revelation_boost (1 - exposure)`).
#[test]
fn exposure_scales_the_leak_hazard_the_secrecy_and_the_revelation_boost() {
    let top = |mode: &str| {
        format!(
            "[format]\nmode = \"{mode}\"\nexposure = 0.2\nleak_hazard = 0.5\n\
             [mediator]\nsecrecy = 0.5\nrevelation_boost = 1.0\n{ISSUE_A}"
        )
    };
    let r = reservation(0.0);
    let indirect = model(&text(6, &top("indirect"), &r, &r)).mediator;
    assert_eq!(
        (indirect.secrecy_shield, indirect.revelation_boost),
        (0.5 * (1.0 - 0.2), 1.0 * (1.0 - 0.2))
    );
    let direct = model(&text(6, &top("direct"), &r, &r));
    assert_eq!(
        (
            direct.mediator.secrecy_shield,
            direct.mediator.revelation_boost
        ),
        (0.0, 0.0)
    );
    for mode in ["indirect", "direct"] {
        assert_eq!(
            model(&text(6, &top(mode), &r, &r)).leak_probability,
            0.5 * 0.2
        );
    }
}
