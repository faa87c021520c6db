//! Manipulation (leverage; Beardsley et al. 2006): side payments and
//! pressure lower what each party holds out for by `leverage` (credibility
//! times manipulation weight times `mediator.leverage`) and raise the cost
//! of walking out (walkouts damped by `1 - leverage`, in
//! [`super::mediator`]); the side payment comes with the deal, so the
//! ratifiers weigh the share plus the leverage
//! ([`super::domestic::ratifies`]). The cost (Beardsley 2011, *The
//! Mediation Dilemma*): agreements reached with such artificial incentives
//! are less durable. Once an issue is ratified, each later round the deal
//! relapses into crisis with probability `relapse_hazard` (credibility
//! times manipulation weight times `durability_cost`), at most once a run:
//! the run's tension is not reduced.

use super::domestic::happens;
use super::observer::{Event, Observer};
use super::streams::{Randomness, uniform};
use super::{IssueStatus, Model, RunState};

/// `max(0, r - leverage)`: the reservation a manipulator's leverage leaves.
#[inline]
pub fn leveraged_reservation(reservation: f64, leverage: f64) -> f64 {
    (reservation - leverage).max(0.0)
}

/// Step 3b: a deal ratified in an earlier round relapses with the relapse
/// hazard (drawn only while a relapse is possible).
pub fn relapse(
    model: &Model,
    rng: &mut impl Randomness,
    state: &mut RunState,
    observer: &mut impl Observer,
    t: u32,
) {
    let hazard = model.mediator.relapse_hazard;
    if state.relapsed || hazard <= 0.0 {
        return;
    }
    if !state
        .issues
        .iter()
        .any(|i| i.status == IssueStatus::Ratified)
    {
        return;
    }
    if happens(hazard, || uniform(rng, model.streams.relapse, t, 0)) {
        state.relapsed = true;
        observer.event(t, Event::Relapse);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::observer::NoObserver;
    use crate::model::test_support::{Fixed, model_from};

    #[test]
    fn leverage_lowers_reservations_to_zero_at_most() {
        assert!((leveraged_reservation(0.5, 0.08) - 0.42).abs() < 1e-12);
        assert_eq!(leveraged_reservation(0.05, 0.08), 0.0);
    }

    #[test]
    fn only_a_ratified_deal_can_relapse() {
        let top = "[format]\nmode = \"indirect\"\n[mediator]\ncredibility = 1.0\nstyle = \"manipulation\"\ndurability_cost = 0.2\n";
        let model = model_from(top, "");
        assert!((model.mediator.relapse_hazard - 0.2).abs() < 1e-12);
        let mut state = RunState::new(&model);
        relapse(&model, &mut Fixed(0.1), &mut state, &mut NoObserver, 2);
        assert!(!state.relapsed, "nothing ratified yet");
        state.issues[0].status = IssueStatus::Ratified;
        relapse(&model, &mut Fixed(0.25), &mut state, &mut NoObserver, 3);
        assert!(!state.relapsed, "0.25 is above the hazard");
        relapse(&model, &mut Fixed(0.1), &mut state, &mut NoObserver, 4);
        assert!(state.relapsed);
    }
}
