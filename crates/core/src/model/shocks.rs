//! Exogenous shocks (step 3): each, in file order, hits with probability
//! `hazard` and breaks, escalates, suspends or moves trust. A facilitating
//! mediator may contain a shock that would break the channel ([`crisis`]).

use super::domestic::happens;
use super::observer::{Event, Observer};
use super::streams::{Randomness, uniform};
use super::{Cause, Model, RunState, crisis, trust};
use crate::scenario::ShockEffect;

/// Apply the shocks of round `t`; stops at the first that breaks the channel.
pub fn strike(
    model: &Model,
    rng: &mut impl Randomness,
    state: &mut RunState,
    observer: &mut impl Observer,
    t: u32,
) {
    for (k, shock) in model.shocks.iter().enumerate() {
        let stream = model.streams.shocks[k];
        if !happens(shock.hazard, || uniform(rng, stream, t, 0)) {
            continue;
        }
        observer.event(
            t,
            Event::Shock {
                shock: k,
                effect: shock.effect,
            },
        );
        let breaks = shock.effect.breaks();
        if breaks && crisis::contains(model, rng, state, observer, t, k) {
            continue;
        }
        match shock.effect {
            ShockEffect::Break => state.break_channel(t, Cause::Shock(k), false),
            ShockEffect::Escalate => state.break_channel(t, Cause::Shock(k), true),
            ShockEffect::Suspend => state.suspend_through(t + shock.duration - 1),
            ShockEffect::Trust => trust::shift_all(state, shock.trust_delta),
        }
        if state.channel.is_final() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Channel;
    use crate::model::observer::NoObserver;
    use crate::model::test_support::{Fixed, model_from};

    fn shock(effect: &str) -> String {
        format!(
            "[[shocks]]\nid = \"s\"\nhazard = 0.5\neffect = \"{effect}\"\nduration = 3\ntrust_delta = -0.2\n"
        )
    }

    fn after(effect: &str, draw: f64) -> RunState {
        let model = model_from(&shock(effect), "");
        let mut state = RunState::new(&model);
        strike(&model, &mut Fixed(draw), &mut state, &mut NoObserver, 2);
        state
    }

    #[test]
    fn each_effect_does_what_it_says() {
        let broken = after("break", 0.1);
        assert_eq!(
            (broken.channel, broken.escalation, broken.cause),
            (Channel::Broken, false, Some(Cause::Shock(0)))
        );
        assert_eq!(broken.broken_round, Some(2));
        assert!(after("escalate", 0.1).escalation);
        let suspended = after("suspend", 0.1);
        assert_eq!(
            (suspended.channel, suspended.suspended_through),
            (Channel::Suspended, 4)
        );
        assert_eq!(after("trust", 0.1).trust, vec![0.3, 0.3]);
    }

    #[test]
    fn nothing_happens_when_the_draw_misses() {
        let state = after("break", 0.5);
        assert_eq!(state.channel, Channel::Active);
    }
}
