//! Domestic politics (Putnam 1988's level II): each party's ratification
//! threshold `theta_i` moves with scheduled events (elections) and drift, and
//! decides whether an agreement is ratified.

use super::observer::{Event, Observer};
use super::streams::{Randomness, normal, uniform};
use super::{Model, RunState, secrecy};

/// Step 1: events scheduled for round `t` fire with their probability:
/// `theta_i += threshold_shift`.
pub fn scheduled_events(
    model: &Model,
    rng: &mut impl Randomness,
    state: &mut RunState,
    observer: &mut impl Observer,
    t: u32,
) {
    for (i, party) in model.parties.iter().enumerate() {
        for (e, event) in party.events.iter().enumerate() {
            if event.round != t {
                continue;
            }
            let stream = model.streams.domestic_events[i][e];
            let fired = happens(event.probability, || uniform(rng, stream, t, 0));
            if fired {
                state.threshold[i] += event.threshold_shift;
            }
            observer.event(
                t,
                Event::Domestic {
                    party: i,
                    event: e,
                    fired,
                },
            );
        }
    }
}

/// Step 2: `theta_i += Normal(0, drift_i)`.
pub fn drift(model: &Model, rng: &mut impl Randomness, state: &mut RunState, t: u32) {
    for (i, party) in model.parties.iter().enumerate() {
        if party.drift > 0.0 {
            state.threshold[i] += party.drift * normal(rng, model.streams.drift[i], t, 0);
        }
    }
}

/// Whether an event of probability `p` happens, drawing only when the
/// answer is not already certain (the stream's positions do not move, so
/// skipping a draw changes no other draw).
#[inline]
pub fn happens(p: f64, draw: impl FnOnce() -> f64) -> bool {
    if p <= 0.0 {
        false
    } else if p >= 1.0 {
        true
    } else {
        draw() < p
    }
}

/// Party `i`'s vote on issue `j` in round `t`: yes iff
/// `s_ij + leverage + Normal(0, noise_i) >= theta_i * visibility_j * secrecy factor`.
pub fn ratifies(
    model: &Model,
    rng: &mut impl Randomness,
    state: &RunState,
    observer: &mut impl Observer,
    t: u32,
    i: usize,
    j: usize,
) -> bool {
    let party = &model.parties[i];
    // A manipulator's side payment comes with the share: the ratifiers
    // weigh both (docs/MODEL.md, "The mediator").
    let share = state.issues[j].shares[i] + model.mediator.leverage;
    let noise = if party.ratification_noise > 0.0 {
        party.ratification_noise * normal(rng, model.streams.ratification[i][j], t, 0)
    } else {
        0.0
    };
    let hurdle =
        state.threshold[i] * model.issues[j].visibility * secrecy::hurdle_factor(model, state);
    let yes = share + noise >= hurdle;
    observer.event(
        t,
        Event::Vote {
            issue: j,
            party: i,
            share,
            noise,
            hurdle,
            yes,
        },
    );
    yes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::observer::NoObserver;
    use crate::model::test_support::{Fixed, model_from};

    const EVENT: &str = r#"
        [[parties.domestic.events]]
        round = 2
        probability = 0.5
        threshold_shift = 0.1
    "#;

    #[test]
    fn an_event_fires_only_in_its_round_and_with_its_probability() {
        let model = model_from("", EVENT);
        let mut state = RunState::new(&model);
        scheduled_events(&model, &mut Fixed(0.2), &mut state, &mut NoObserver, 1);
        assert_eq!(state.threshold[0], 0.0);
        scheduled_events(&model, &mut Fixed(0.7), &mut state, &mut NoObserver, 2);
        assert_eq!(state.threshold[0], 0.0, "draw 0.7 is above p = 0.5");
        scheduled_events(&model, &mut Fixed(0.2), &mut state, &mut NoObserver, 2);
        assert_eq!(state.threshold[0], 0.1);
        assert_eq!(state.threshold[1], 0.0, "the other party has no event");
    }

    #[test]
    fn drift_moves_the_threshold_by_a_scaled_normal() {
        let model = model_from("", "[parties.domestic]\ndrift = 0.1\n");
        let mut state = RunState::new(&model);
        // A uniform of 0.975 is the normal quantile 1.96.
        drift(&model, &mut Fixed(0.975), &mut state, 1);
        assert!(
            (state.threshold[0] - 0.196).abs() < 1e-3,
            "{:?}",
            state.threshold
        );
    }

    #[test]
    fn ratification_compares_share_and_hurdle() {
        let model = model_from("", "[parties.domestic]\nthreshold = 0.5\n");
        let mut state = RunState::new(&model);
        state.issues[0].shares = [0.5, 0.4];
        // Visibility 1: party 0 (0.5 >= 0.5) yes; party 1 has threshold 0.
        assert!(ratifies(
            &model,
            &mut Fixed(0.5),
            &state,
            &mut NoObserver,
            1,
            0,
            0
        ));
        state.issues[0].shares = [0.49, 0.51];
        assert!(!ratifies(
            &model,
            &mut Fixed(0.5),
            &state,
            &mut NoObserver,
            1,
            0,
            0
        ));
    }

    #[test]
    fn certain_events_draw_nothing() {
        assert!(happens(1.0, || unreachable!()));
        assert!(!happens(0.0, || unreachable!()));
        assert!(happens(0.5, || 0.49));
        assert!(!happens(0.5, || 0.5));
    }
}
