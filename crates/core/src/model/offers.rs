//! Offers and agreement (step 8): each party's demand on each open issue
//! follows Faratin, Sierra & Jennings' (1998) time-dependent tactic, sped up
//! and widened by trust; the issue is agreed when the demands fit in the
//! whole (or a formulating mediator bridges the rest). The mediator's
//! information, focal points and leverage act here (docs/MODEL.md).

use super::observer::{Event, Observer};
use super::streams::{Randomness, normal_pair};
use super::{IssueStatus, Model, PartyModel, RunState, formulation, information, manipulation};

/// Faratin's concession function
/// `f(t) = k + (1 - k) * min(1, t / T)^(1 / e)`: the share of the distance
/// from the best demand to the reservation conceded by round `t`.
#[inline]
pub fn concession(k: f64, e: f64, t: f64, deadline: f64) -> f64 {
    k + (1.0 - k) * (t / deadline).min(1.0).powf(1.0 / e)
}

/// Trust-adjusted concession exponent
/// `e' = max(0.05, e * (1 + boost * (trust - initial_trust)))`.
#[inline]
pub fn effective_exponent(party: &PartyModel, boost: f64, trust: f64) -> f64 {
    (party.concession * (1.0 + boost * (trust - party.initial_trust))).max(0.05)
}

/// Trust-relaxed reservation `r' = clamp(r - relief * (trust - initial), 0, 1)`.
#[inline]
pub fn effective_reservation(reservation: f64, relief: f64, trust: f64, initial_trust: f64) -> f64 {
    (reservation - relief * (trust - initial_trust)).clamp(0.0, 1.0)
}

/// The demand `p = clamp(r' + (1 - r')(1 - f) + noise, r', 1)`.
#[inline]
pub fn demand(reservation: f64, conceded: f64, noise: f64) -> f64 {
    (reservation + (1.0 - reservation) * (1.0 - conceded) + noise).clamp(reservation, 1.0)
}

/// Exchange offers on every open issue in round `t`; agreed issues become
/// pending with seal round `t + confirm_rounds`.
pub fn exchange(
    model: &Model,
    rng: &mut impl Randomness,
    state: &mut RunState,
    observer: &mut impl Observer,
    t: u32,
) {
    let conceded = concessions(model, state, t);
    for j in 0..model.issues.len() {
        if state.issues[j].status != IssueStatus::Open {
            continue;
        }
        let noises = offer_noises(model, rng, t, j);
        let reservations = reservations(model, state, j);
        let mut demands = [0.0; 2];
        for i in 0..2 {
            let (own, other) = (reservations[i], reservations[1 - i]);
            let p = demand(own, conceded[i], noises[i]);
            demands[i] = information::informed_demand(p, own, other, model.mediator.information);
        }
        let gap = demands[0] + demands[1] - 1.0;
        observer.event(
            t,
            Event::Offers {
                issue: j,
                demands,
                gap,
            },
        );
        let issue = &mut state.issues[j];
        issue.first_gap.get_or_insert(gap);
        issue.last_gap = gap;
        if formulation::agrees(gap, model.mediator.bridgeable_gap) {
            issue.status = IssueStatus::Pending;
            issue.agreed_round = Some(t);
            issue.seal_round = t + model.confirm_rounds;
            // The surplus, or the bridged gap, is split evenly.
            issue.shares = [demands[0] - gap / 2.0, demands[1] - gap / 2.0];
            state.first_agreement_round.get_or_insert(t);
            observer.event(
                t,
                Event::Agreement {
                    issue: j,
                    shares: issue.shares,
                    seal_round: issue.seal_round,
                },
            );
        }
    }
}

/// Both parties' conceded share in round `t`. A party whose trust has not
/// moved has the one compiled into [`Model::initial_concessions`]: the
/// same value, computed once.
#[inline]
fn concessions(model: &Model, state: &RunState, t: u32) -> [f64; 2] {
    let initial = model.initial_concessions.get(t as usize);
    let now = |i: usize| {
        let (party, trust) = (&model.parties[i], state.trust[i]);
        match initial {
            Some(initial) if trust == party.initial_trust => initial[i],
            _ => conceded(model, party, trust, t),
        }
    };
    [now(0), now(1)]
}

/// `party`'s conceded share in round `t` at trust `trust`: Faratin's curve
/// with the trust-adjusted exponent, read at the focal-point time.
#[inline]
pub fn conceded(model: &Model, party: &PartyModel, trust: f64, t: u32) -> f64 {
    let e = effective_exponent(party, model.trust.concession_boost, trust);
    let time = formulation::focal_time(t, model.mediator.time_factor);
    concession(party.initial_concession, e, time, party.deadline)
}

/// Both parties' reservations on issue `j` now. A party whose trust has
/// not moved (most rounds of most runs) has the one compiled into
/// [`Model::initial_reservations`]: the same value, computed once.
#[inline]
fn reservations(model: &Model, state: &RunState, j: usize) -> [f64; 2] {
    let initial = model.initial_reservations[j];
    let now = |i: usize| {
        let (party, trust) = (&model.parties[i], state.trust[i]);
        if trust == party.initial_trust {
            initial[i]
        } else {
            reservation(model, party, j, trust)
        }
    };
    [now(0), now(1)]
}

/// `party`'s reservation on issue `j` at trust `trust`: relaxed by trust,
/// then lowered by the mediator's leverage.
#[inline]
pub fn reservation(model: &Model, party: &PartyModel, j: usize, trust: f64) -> f64 {
    let r = effective_reservation(
        party.reservation[j],
        model.trust.reservation_relief,
        trust,
        party.initial_trust,
    );
    manipulation::leveraged_reservation(r, model.mediator.leverage)
}

/// Both parties' offer noises on issue `j` in round `t`,
/// `offer_noise_i * Normal(0, 1)` scaled by what the mediator's information
/// leaves of it, or 0 for a party without noise.
fn offer_noises(model: &Model, rng: &mut impl Randomness, t: u32, j: usize) -> [f64; 2] {
    let parties = &model.parties;
    let noisy = |i: usize| parties[i].offer_noise > 0.0;
    let z = normal_pair(
        rng,
        [0, 1].map(|i| noisy(i).then_some(model.streams.offers[i][j])),
        t,
        0,
    );
    [0, 1].map(|i| {
        if noisy(i) {
            parties[i].offer_noise * information::noise_scale(model.mediator.information) * z[i]
        } else {
            0.0
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::observer::NoObserver;
    use crate::model::test_support::{Fixed, model_with};

    #[test]
    fn faratin_check_values() {
        // Faratin, Sierra & Jennings (1998): k = 0, t/T = 0.5.
        assert!((concession(0.0, 1.0, 5.0, 10.0) - 0.5).abs() < 1e-12);
        assert!((concession(0.0, 0.2, 5.0, 10.0) - 0.03125).abs() < 1e-12);
        // Concession exponent 2 at t/T = 0.5: 0.5^(1/2) = 0.70711.
        assert!((concession(0.0, 2.0, 5.0, 10.0) - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-12);
        assert_eq!(concession(0.3, 1.0, 0.0, 10.0), 0.3);
        assert_eq!(
            concession(0.0, 0.5, 20.0, 10.0),
            1.0,
            "past the deadline all is conceded"
        );
    }

    #[test]
    fn demands_stay_between_reservation_and_one() {
        assert_eq!(demand(0.2, 0.0, 0.0), 1.0);
        assert_eq!(demand(0.2, 1.0, 0.0), 0.2);
        assert_eq!(demand(0.2, 1.0, -0.5), 0.2);
        assert_eq!(demand(0.2, 0.0, 0.5), 1.0);
    }

    #[test]
    fn trust_speeds_concession_and_relaxes_reservations() {
        let model = model_with(
            "[trust]\nconcession_boost = 1.0\n",
            "initial_trust = 0.2\n",
            "",
        );
        let party = &model.parties[0];
        assert!((effective_exponent(party, 1.0, 0.7) - 1.5).abs() < 1e-12);
        assert_eq!(effective_exponent(party, 1.0, -50.0), 0.05);
        assert!((effective_reservation(0.4, 0.5, 0.6, 0.2) - 0.2).abs() < 1e-12);
        assert_eq!(effective_reservation(0.1, 0.5, 1.0, 0.0), 0.0);
    }

    #[test]
    fn crossing_demands_make_a_pending_agreement_with_split_surplus() {
        let model = model_with(
            "[scenario]\nname = \"t\"\n",
            "deadline = 10\n",
            "deadline = 10\n",
        );
        let mut state = RunState::new(&model);
        exchange(&model, &mut Fixed(0.5), &mut state, &mut NoObserver, 4);
        assert_eq!(state.issues[0].status, IssueStatus::Open);
        assert!((state.issues[0].first_gap.unwrap() - 0.2).abs() < 1e-12);
        exchange(&model, &mut Fixed(0.5), &mut state, &mut NoObserver, 6);
        let issue = state.issues[0];
        assert_eq!(
            (issue.status, issue.agreed_round, issue.seal_round),
            (IssueStatus::Pending, Some(6), 6)
        );
        assert!((issue.shares[0] - 0.5).abs() < 1e-12 && (issue.shares[1] - 0.5).abs() < 1e-12);
        assert_eq!(state.first_agreement_round, Some(6));
    }
}
