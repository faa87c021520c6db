//! One run, round by round, in the order of docs/MODEL.md, "One round `t`". Each step is a call
//! into its mechanism's module; this file only fixes the order and the
//! rules that tie the steps together (when talks happen, sealing,
//! conclusion).

use super::observer::{Event, Observer};
use super::streams::Randomness;
use super::{Channel, IssueStatus, Model, RunState};
use super::{domestic, leak, manipulation, offers, progress, shocks, spoilers, trust, walkout};

/// Play one whole run into `state` (which is reset first).
pub fn simulate(
    model: &Model,
    rng: &mut impl Randomness,
    state: &mut RunState,
    observer: &mut impl Observer,
) {
    state.reset(model);
    for t in 1..=model.horizon {
        play_round(model, rng, state, observer, t);
        if state.channel == Channel::Suspended {
            state.suspended_rounds.push(t);
        }
        observer.round_end(state);
        if state.channel.is_final() {
            break;
        }
    }
}

/// Round `t`. Nothing happens once the channel is broken or concluded.
pub fn play_round(
    model: &Model,
    rng: &mut impl Randomness,
    state: &mut RunState,
    observer: &mut impl Observer,
    t: u32,
) {
    state.round = t;
    domestic::scheduled_events(model, rng, state, observer, t);
    domestic::drift(model, rng, state, t);
    shocks::strike(model, rng, state, observer, t);
    if state.channel.is_final() {
        return;
    }
    manipulation::relapse(model, rng, state, observer, t);
    let forced_leak = spoilers::act(model, rng, state, observer, t);
    if state.channel.is_final() {
        return;
    }
    leak::maybe_leak(model, rng, state, observer, t, forced_leak);
    if resume_talks(state, t) && !walkout::any_walks_out(model, rng, state, observer, t) {
        offers::exchange(model, rng, state, observer, t);
        seal(model, rng, state, observer, t);
        progress::update(state);
    } else {
        seal(model, rng, state, observer, t);
    }
    conclude_if_done(model, state);
}

/// Step 6: reactivate a suspended channel once `t` is past every
/// suspension, and say whether talks take place this round (the channel is
/// active).
pub fn resume_talks(state: &mut RunState, t: u32) -> bool {
    if t <= state.suspended_through {
        return false;
    }
    if state.channel == Channel::Suspended {
        state.channel = Channel::Active;
    }
    state.channel == Channel::Active
}

/// Step 9: every pending issue whose seal round has come goes to both
/// parties' ratifiers. Both yes: ratified and trust rises; otherwise rejected
/// for the rest of the run and trust falls.
pub fn seal(
    model: &Model,
    rng: &mut impl Randomness,
    state: &mut RunState,
    observer: &mut impl Observer,
    t: u32,
) {
    for j in 0..model.issues.len() {
        let issue = state.issues[j];
        if issue.status != IssueStatus::Pending || issue.seal_round > t {
            continue;
        }
        // Both parties vote (each from its own stream), so one's vote never
        // depends on whether the other's was drawn.
        let mut ratified = true;
        for i in 0..model.parties.len() {
            ratified &= domestic::ratifies(model, rng, state, observer, t, i, j);
        }
        if ratified {
            state.issues[j].status = IssueStatus::Ratified;
            trust::shift_all(state, model.trust.gain_per_agreement);
        } else {
            state.issues[j].status = IssueStatus::Rejected;
            trust::shift_all(state, -model.trust.loss_per_rejection);
        }
        observer.event(t, Event::Sealed { issue: j, ratified });
    }
}

/// Step 10: the track concludes when every concluding issue is ratified.
fn conclude_if_done(model: &Model, state: &mut RunState) {
    let done = model
        .concluding_issues
        .iter()
        .all(|&j| state.issues[j].status == IssueStatus::Ratified);
    if done {
        state.channel = Channel::Concluded;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::observer::{EventLog, NoObserver};
    use crate::model::test_support::{Fixed, model_with};
    use crate::model::{Cause, Deal};

    fn faratin(top: &str) -> Model {
        let party = "deadline = 10\n";
        model_with(top, party, party)
    }

    #[test]
    fn linear_concession_agrees_in_round_five_and_concludes() {
        let model = faratin("[scenario]\nname = \"t\"\nhorizon = 12\n");
        let mut state = RunState::new(&model);
        simulate(&model, &mut Fixed(0.5), &mut state, &mut NoObserver);
        assert_eq!(state.first_agreement_round, Some(5));
        assert_eq!(
            (state.channel, state.deal(), state.round),
            (Channel::Concluded, Deal::Comprehensive, 5)
        );
    }

    #[test]
    fn confirmation_delays_sealing() {
        let model = faratin("[format]\nconfirm_rounds = 2\n");
        let mut state = RunState::new(&model);
        let mut log = EventLog::default();
        simulate(&model, &mut Fixed(0.5), &mut state, &mut log);
        assert!(
            log.0.contains(&(
                7,
                Event::Sealed {
                    issue: 0,
                    ratified: true
                }
            )),
            "{:?}",
            log.0
        );
        assert_eq!(state.round, 7);
    }

    #[test]
    fn a_suspension_stops_talks_until_it_ends() {
        let model =
            faratin("[[shocks]]\nid = \"s\"\nhazard = 1.0\neffect = \"suspend\"\nduration = 2\n");
        let mut state = RunState::new(&model);
        play_round(&model, &mut Fixed(0.5), &mut state, &mut NoObserver, 1);
        assert_eq!(
            (state.channel, state.suspended_through),
            (Channel::Suspended, 2)
        );
        assert!(!resume_talks(&mut state, 2));
        assert!(resume_talks(&mut state, 3));
        assert_eq!(state.channel, Channel::Active);
    }

    #[test]
    fn a_break_ends_the_run_before_talks() {
        let model = faratin("[[shocks]]\nid = \"s\"\nhazard = 1.0\neffect = \"break\"\n");
        let mut state = RunState::new(&model);
        simulate(&model, &mut Fixed(0.5), &mut state, &mut NoObserver);
        assert_eq!(
            (state.channel, state.cause, state.broken_round),
            (Channel::Broken, Some(Cause::Shock(0)), Some(1))
        );
        assert_eq!(state.first_agreement_round, None);
    }

    #[test]
    fn a_rejected_agreement_stays_rejected() {
        let model = model_with(
            "",
            "deadline = 10\n[parties.domestic]\nthreshold = 0.9\n",
            "deadline = 10\n",
        );
        let mut state = RunState::new(&model);
        simulate(&model, &mut Fixed(0.5), &mut state, &mut NoObserver);
        assert_eq!(state.issues[0].status, IssueStatus::Rejected);
        assert_eq!(
            (state.channel, state.deal(), state.round),
            (Channel::Active, Deal::None, 12)
        );
    }
}
