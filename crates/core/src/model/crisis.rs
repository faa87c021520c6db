//! Crisis management (facilitation; Wilkenfeld et al. 2003, Beardsley et al.
//! 2006): a credible facilitator keeps a shock that would break the channel
//! from ending it. With probability `containment = credibility *
//! facilitation weight * crisis_management` the channel is suspended for the
//! shock's duration instead, and the crisis does not escalate.

use super::domestic::happens;
use super::observer::{Event, Observer};
use super::streams::{Randomness, uniform};
use super::{Model, RunState};

/// Whether the mediator contains breaking shock `k` in round `t`; if so the
/// channel is suspended through `t + duration - 1`. Draws from shock `k`'s
/// containment stream only when containment is possible.
pub fn contains(
    model: &Model,
    rng: &mut impl Randomness,
    state: &mut RunState,
    observer: &mut impl Observer,
    t: u32,
    k: usize,
) -> bool {
    let stream = model.streams.containment[k];
    if !happens(model.mediator.containment, || uniform(rng, stream, t, 0)) {
        return false;
    }
    state.suspend_through(t + model.shocks[k].duration - 1);
    state.contained += 1;
    observer.event(t, Event::Contained { shock: k });
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::observer::{EventLog, NoObserver};
    use crate::model::test_support::{Fixed, model_from};
    use crate::model::{Channel, shocks};

    const FACILITATOR: &str = "[format]\nmode = \"indirect\"\n[mediator]\ncredibility = 0.8\ncrisis_management = 0.5\n[[shocks]]\nid = \"war\"\nhazard = 0.5\neffect = \"escalate\"\nduration = 2\n";

    #[test]
    fn a_contained_shock_suspends_instead_of_breaking() {
        let model = model_from(FACILITATOR, "");
        assert!((model.mediator.containment - 0.4).abs() < 1e-12);
        let mut state = RunState::new(&model);
        let mut log = EventLog::default();
        // 0.3 < 0.5: the shock hits; 0.3 < 0.4: it is contained.
        shocks::strike(&model, &mut Fixed(0.3), &mut state, &mut log, 3);
        assert_eq!(
            (state.channel, state.suspended_through, state.escalation),
            (Channel::Suspended, 4, false)
        );
        assert_eq!(state.contained, 1);
        assert!(log.0.contains(&(3, Event::Contained { shock: 0 })));
    }

    #[test]
    fn an_uncontained_shock_still_breaks() {
        let model = model_from(FACILITATOR, "");
        let mut state = RunState::new(&model);
        // 0.45 < 0.5 hits; 0.45 >= 0.4 escapes the mediator.
        shocks::strike(&model, &mut Fixed(0.45), &mut state, &mut NoObserver, 3);
        assert_eq!((state.channel, state.escalation), (Channel::Broken, true));
    }
}
