//! Secrecy of the channel (Kurizaki 2007; Wanis-St. John 2006): while an
//! indirect channel stays secret, leaders can concede without paying the
//! full domestic price: every ratification hurdle is multiplied by
//! `1 - secrecy * (1 - exposure)`. The first leak reveals it for the rest
//! of the run: the hurdle is whole again (on top of the audience costs a
//! leak always adds), and the spoilers it excluded (`position =
//! "outside"`) act more often: their activation probability is multiplied
//! by `1 + revelation_boost * (1 - exposure)`: the more was hidden, the
//! more its revelation provokes (a spoiler that never acts stays idle).

use super::observer::{Event, Observer};
use super::{Model, RunState, SpoilerModel};

/// What multiplies every ratification hurdle now.
#[inline]
pub fn hurdle_factor(model: &Model, state: &RunState) -> f64 {
    if state.revealed {
        1.0
    } else {
        1.0 - model.mediator.secrecy_shield
    }
}

/// A leak in round `t` reveals the channel (once).
pub fn reveal(model: &Model, state: &mut RunState, observer: &mut impl Observer, t: u32) {
    if state.revealed {
        return;
    }
    state.revealed = true;
    let m = &model.mediator;
    if m.secrecy_shield > 0.0 || m.revelation_boost > 0.0 {
        observer.event(t, Event::Revealed);
    }
}

/// What multiplies `spoiler`'s activation probability now.
#[inline]
pub fn spoiler_boost(model: &Model, state: &RunState, spoiler: &SpoilerModel) -> f64 {
    if state.revealed && spoiler.excluded {
        1.0 + model.mediator.revelation_boost
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::observer::NoObserver;
    use crate::model::test_support::model_from;

    const SECRET: &str = "[format]\nmode = \"indirect\"\nexposure = 0.2\n[mediator]\nsecrecy = 0.5\nrevelation_boost = 0.5\n[[spoilers]]\nid = \"out\"\n[[spoilers]]\nid = \"in\"\nposition = \"inside\"\n";

    #[test]
    fn a_secret_channel_lowers_the_hurdle_until_revealed() {
        let model = model_from(SECRET, "");
        let mut state = RunState::new(&model);
        assert!((hurdle_factor(&model, &state) - 0.6).abs() < 1e-12);
        assert_eq!(spoiler_boost(&model, &state, &model.spoilers[0]), 1.0);
        reveal(&model, &mut state, &mut NoObserver, 2);
        assert_eq!(hurdle_factor(&model, &state), 1.0);
        assert!((spoiler_boost(&model, &state, &model.spoilers[0]) - 1.4).abs() < 1e-12);
        assert_eq!(spoiler_boost(&model, &state, &model.spoilers[1]), 1.0);
    }
}
