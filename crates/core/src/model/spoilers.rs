//! Spoilers (step 4; Stedman 1997, Kydd & Walter 2002): actors who act more
//! often as the talks progress, with a hazard that rises along a logistic
//! curve from `base_hazard` to `max_hazard` around `trigger`.

use super::observer::{Event, Observer};
use super::streams::{Randomness, uniform};
use super::{Cause, Model, RunState, SpoilerModel, secrecy, trust};
use crate::scenario::SpoilerAction;

/// `logistic(z) = 1 / (1 + exp(-z))`
#[inline]
pub fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Activation probability at the current `progress`:
/// `base + (max - base) * logistic(sensitivity * (progress - trigger))`.
#[inline]
pub fn activation_probability(spoiler: &SpoilerModel, progress: f64) -> f64 {
    spoiler.base_hazard
        + (spoiler.max_hazard - spoiler.base_hazard)
            * logistic(spoiler.sensitivity * (progress - spoiler.trigger))
}

/// The spoilers' moves in round `t`. Returns whether one of them forced a
/// leak; stops at a strike, which breaks the channel.
///
/// Draw slots of a spoiler's stream: 0 activation, 1 action, 2 success.
pub fn act(
    model: &Model,
    rng: &mut impl Randomness,
    state: &mut RunState,
    observer: &mut impl Observer,
    t: u32,
) -> bool {
    let mut forced_leak = false;
    for (k, spoiler) in model.spoilers.iter().enumerate() {
        let stream = model.streams.spoilers[k];
        let a = (activation_probability(spoiler, state.progress)
            * secrecy::spoiler_boost(model, state, spoiler))
        .min(1.0);
        if !(a > 0.0 && uniform(rng, stream, t, 0) < a) {
            continue;
        }
        state.spoiler_activations[k] += 1;
        let n = spoiler.actions.len();
        let pick = if n == 1 {
            0
        } else {
            ((uniform(rng, stream, t, 1) * n as f64) as usize).min(n - 1)
        };
        let action = spoiler.actions[pick];
        let success = super::domestic::happens(spoiler.capability, || uniform(rng, stream, t, 2));
        observer.event(
            t,
            Event::Spoiler {
                spoiler: k,
                action,
                success,
            },
        );
        if !success {
            continue;
        }
        state.spoiler_successes[k] += 1;
        match action {
            SpoilerAction::Pressure => {
                for &target in &spoiler.targets {
                    state.threshold[target] += spoiler.pressure;
                }
            }
            SpoilerAction::Leak => forced_leak = true,
            SpoilerAction::Incident => {
                trust::shift_all(state, -model.trust.loss_per_incident);
                state.suspend_through(t);
            }
            SpoilerAction::Strike => {
                state.break_channel(t, Cause::Spoiler(k), true);
                return forced_leak;
            }
        }
    }
    forced_leak
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Channel;
    use crate::model::observer::NoObserver;
    use crate::model::test_support::{Fixed, model_from};

    fn spoiler(extra: &str) -> String {
        format!(
            "[trust]\nloss_per_incident = 0.2\n[[spoilers]]\nid = \"sp\"\ntargets = [\"x\"]\ncapability = 0.5\npressure = 0.1\nbase_hazard = 0.2\nmax_hazard = 0.6\ntrigger = 0.5\nsensitivity = 8.0\n{extra}"
        )
    }

    #[test]
    fn the_hazard_follows_the_logistic_curve() {
        let model = model_from(&spoiler(""), "");
        let s = &model.spoilers[0];
        assert!((activation_probability(s, 0.5) - 0.4).abs() < 1e-12);
        assert!((activation_probability(s, 0.0) - (0.2 + 0.4 * logistic(-4.0))).abs() < 1e-12);
        assert!(activation_probability(s, 1.0) > 0.59);
    }

    fn after(actions: &str, draw: f64) -> (RunState, bool) {
        let model = model_from(&spoiler(&format!("actions = {actions}\n")), "");
        let mut state = RunState::new(&model);
        let leak = act(&model, &mut Fixed(draw), &mut state, &mut NoObserver, 3);
        (state, leak)
    }

    #[test]
    fn each_action_does_what_it_says() {
        // progress 0 gives a ~ 0.207; a draw of 0.1 activates and succeeds.
        let (state, _) = after("[\"pressure\"]", 0.1);
        assert_eq!(state.threshold, vec![0.1, 0.0]);
        assert_eq!(
            (state.spoiler_activations[0], state.spoiler_successes[0]),
            (1, 1)
        );
        assert!(after("[\"leak\"]", 0.1).1);
        let (state, _) = after("[\"incident\"]", 0.1);
        assert_eq!(
            (state.channel, state.suspended_through),
            (Channel::Suspended, 3)
        );
        assert_eq!(state.trust, vec![0.3, 0.3]);
        let (state, _) = after("[\"strike\"]", 0.1);
        assert_eq!(
            (state.channel, state.escalation, state.cause),
            (Channel::Broken, true, Some(Cause::Spoiler(0)))
        );
    }

    #[test]
    fn an_inactive_spoiler_does_nothing() {
        let (state, leak) = after("[\"strike\"]", 0.3);
        assert_eq!(
            (state.channel, leak, state.spoiler_activations[0]),
            (Channel::Active, false, 0)
        );
    }
}
