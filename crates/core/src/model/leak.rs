//! Leaks (step 5; Fearon 1994, Kurizaki 2007): exposure turns secret
//! concessions into public ones, and each party's ratifiers harden by its
//! audience cost. At most one leak a round.

use super::domestic::happens;
use super::observer::{Event, Observer};
use super::streams::{Randomness, uniform};
use super::{Model, RunState, secrecy};

/// A leak happens with probability `leak_hazard * exposure`, or when a
/// spoiler forced one: every `theta_i += audience_cost_i`.
pub fn maybe_leak(
    model: &Model,
    rng: &mut impl Randomness,
    state: &mut RunState,
    observer: &mut impl Observer,
    t: u32,
    forced: bool,
) {
    let leaked = forced
        || happens(model.leak_probability, || {
            uniform(rng, model.streams.leak, t, 0)
        });
    if !leaked {
        return;
    }
    state.leaks += 1;
    for (i, party) in model.parties.iter().enumerate() {
        state.threshold[i] += party.audience_cost;
    }
    observer.event(t, Event::Leak { forced });
    secrecy::reveal(model, state, observer, t);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::observer::NoObserver;
    use crate::model::test_support::{Fixed, model_with};

    #[test]
    fn a_leak_raises_every_threshold_by_its_audience_cost() {
        let cost = "audience_cost = 0.1\n";
        let model = model_with("[format]\nleak_hazard = 0.5\nexposure = 0.5\n", cost, cost);
        assert_eq!(model.leak_probability, 0.25);
        let mut state = RunState::new(&model);
        maybe_leak(
            &model,
            &mut Fixed(0.3),
            &mut state,
            &mut NoObserver,
            1,
            false,
        );
        assert_eq!(state.leaks, 0, "0.3 is above 0.25");
        maybe_leak(
            &model,
            &mut Fixed(0.2),
            &mut state,
            &mut NoObserver,
            1,
            false,
        );
        assert_eq!(state.threshold, vec![0.1, 0.1]);
        maybe_leak(
            &model,
            &mut Fixed(0.9),
            &mut state,
            &mut NoObserver,
            2,
            true,
        );
        assert_eq!(state.leaks, 2, "a forced leak needs no draw");
    }
}
