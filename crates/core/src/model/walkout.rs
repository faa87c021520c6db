//! Walkouts (step 7): in a talks round, party `i` leaves with probability
//! `walkout_hazard_i * (1 - trust_i) * damping` and suspends the channel for
//! `walkout_rounds_i` rounds. The mediator supplies the damping: a
//! facilitator's, and a manipulator's leverage (docs/MODEL.md).

use super::domestic::happens;
use super::observer::{Event, Observer};
use super::streams::{Randomness, uniform};
use super::{Model, RunState};

/// Whether any party walked out of round `t`.
pub fn any_walks_out(
    model: &Model,
    rng: &mut impl Randomness,
    state: &mut RunState,
    observer: &mut impl Observer,
    t: u32,
) -> bool {
    let mut walked = false;
    for (i, party) in model.parties.iter().enumerate() {
        let p = party.walkout_hazard * (1.0 - state.trust[i]) * model.mediator.walkout_damping;
        if happens(p, || uniform(rng, model.streams.walkout[i], t, 0)) {
            let through = t + party.walkout_rounds - 1;
            state.suspend_through(through);
            state.walkouts += 1;
            walked = true;
            observer.event(t, Event::Walkout { party: i, through });
        }
    }
    walked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Channel;
    use crate::model::observer::NoObserver;
    use crate::model::test_support::{Fixed, model_with};

    #[test]
    fn trust_and_a_facilitator_damp_walkouts() {
        let top = "[format]\nmode = \"indirect\"\n[mediator]\ncredibility = 0.5\nfacilitation_strength = 0.5\n";
        let party = "walkout_hazard = 0.8\nwalkout_rounds = 2\ninitial_trust = 0.5\n";
        let model = model_with(top, party, "");
        // p = 0.8 * 0.5 * 0.75 = 0.3
        let mut state = RunState::new(&model);
        assert!(!any_walks_out(
            &model,
            &mut Fixed(0.31),
            &mut state,
            &mut NoObserver,
            4
        ));
        assert!(any_walks_out(
            &model,
            &mut Fixed(0.29),
            &mut state,
            &mut NoObserver,
            4
        ));
        assert_eq!(
            (state.channel, state.suspended_through, state.walkouts),
            (Channel::Suspended, 5, 1)
        );
    }
}
