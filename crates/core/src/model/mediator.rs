//! The mediator's levers, by style (Beardsley et al. 2006): a facilitator
//! damps walkouts, contains crises ([`super::crisis`]) and informs
//! ([`super::information`]); a formulator bridges gaps and offers focal
//! points ([`super::formulation`]); a manipulator uses leverage, at a cost
//! in durability ([`super::manipulation`]); and the channel it keeps is
//! secret until revealed ([`super::secrecy`]). Each lever is scaled by the
//! mediator's credibility (Kydd 2003) and by its style's weight. Only in
//! indirect talks: with `mode = "direct"` there is no one in the middle.

use crate::scenario::{Mediator, Mode};

/// What the mediator does to the round step, precomputed. With no mediator
/// (or direct talks) every field is [`MediatorEffect::NONE`]'s: no effect.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MediatorEffect {
    /// Multiplies walkout probabilities: `(1 - c w_fac facilitation_strength)
    /// (1 - c w_man leverage)`.
    pub walkout_damping: f64,
    /// `c w_fac crisis_management`: the probability a breaking shock is
    /// contained.
    pub containment: f64,
    /// `c w_fac information`: the share of misperception removed.
    pub information: f64,
    /// `c w_for bridge`: a gap up to this is bridged.
    pub bridgeable_gap: f64,
    /// `1 + c w_for focal_point`: how fast concession time runs.
    pub time_factor: f64,
    /// `c w_man leverage`: how far every reservation is lowered.
    pub leverage: f64,
    /// `c w_man durability_cost`: the relapse hazard per round after a
    /// ratified agreement.
    pub relapse_hazard: f64,
    /// `secrecy (1 - exposure)`: the share of the domestic hurdle an
    /// unrevealed channel spares.
    pub secrecy_shield: f64,
    /// `revelation_boost (1 - exposure)`: outside spoilers' activation is
    /// multiplied by `1 + this` once the channel is revealed (what was
    /// hidden provokes them).
    pub revelation_boost: f64,
}

impl MediatorEffect {
    /// No mediator: every lever off.
    pub const NONE: MediatorEffect = MediatorEffect {
        walkout_damping: 1.0,
        containment: 0.0,
        information: 0.0,
        bridgeable_gap: 0.0,
        time_factor: 1.0,
        leverage: 0.0,
        relapse_hazard: 0.0,
        secrecy_shield: 0.0,
        revelation_boost: 0.0,
    };

    /// The effect of `mediator` in talks of `mode` whose exposure is
    /// `exposure`.
    pub fn new(mode: Mode, exposure: f64, mediator: Option<&Mediator>) -> MediatorEffect {
        let (Mode::Indirect, Some(m)) = (mode, mediator) else {
            return MediatorEffect::NONE;
        };
        let w = m.style.weights();
        let c = m.credibility;
        let (facilitation, formulation, manipulation) =
            (c * w.facilitation, c * w.formulation, c * w.manipulation);
        MediatorEffect {
            walkout_damping: (1.0 - facilitation * m.facilitation_strength)
                * (1.0 - manipulation * m.leverage),
            containment: facilitation * m.crisis_management,
            information: facilitation * m.information,
            bridgeable_gap: formulation * m.bridge,
            time_factor: 1.0 + formulation * m.focal_point,
            leverage: manipulation * m.leverage,
            relapse_hazard: manipulation * m.durability_cost,
            secrecy_shield: m.secrecy * (1.0 - exposure),
            revelation_boost: m.revelation_boost * (1.0 - exposure),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{MediatorStyle, Style, StyleWeights};

    fn mediator(style: Style) -> Mediator {
        let text = "name = \"Oman\"\ncredibility = 0.8\n";
        let mut m: Mediator = toml::from_str(text).unwrap();
        m.style = style;
        m
    }

    #[test]
    fn a_facilitator_damps_walkouts_contains_crises_and_informs() {
        let m = mediator(Style::One(MediatorStyle::Facilitation));
        let e = MediatorEffect::new(Mode::Indirect, 0.35, Some(&m));
        assert!((e.walkout_damping - 0.6).abs() < 1e-12);
        assert!((e.containment - 0.8 * 0.42).abs() < 1e-12);
        assert!((e.information - 0.8 * 0.3).abs() < 1e-12);
        assert_eq!(
            (e.bridgeable_gap, e.time_factor, e.leverage),
            (0.0, 1.0, 0.0)
        );
    }

    #[test]
    fn a_formulator_bridges_and_speeds_concession() {
        let m = mediator(Style::One(MediatorStyle::Formulation));
        let e = MediatorEffect::new(Mode::Indirect, 0.35, Some(&m));
        assert_eq!((e.walkout_damping, e.containment), (1.0, 0.0));
        assert!((e.bridgeable_gap - 0.08).abs() < 1e-12);
        assert!((e.time_factor - 1.2).abs() < 1e-12);
    }

    #[test]
    fn a_manipulator_levers_and_pays_in_durability() {
        let m = mediator(Style::One(MediatorStyle::Manipulation));
        let e = MediatorEffect::new(Mode::Indirect, 0.35, Some(&m));
        assert!((e.leverage - 0.8 * 0.39).abs() < 1e-12);
        assert!((e.walkout_damping - (1.0 - 0.8 * 0.39)).abs() < 1e-12);
        assert!((e.relapse_hazard - 0.8 * 0.066).abs() < 1e-12);
    }

    #[test]
    fn mixed_styles_add_their_levers_and_secrecy_needs_no_style() {
        let weights = StyleWeights {
            facilitation: 1.0,
            formulation: 0.5,
            manipulation: 0.0,
        };
        let e = MediatorEffect::new(Mode::Indirect, 0.35, Some(&mediator(Style::Mixed(weights))));
        assert!((e.walkout_damping - 0.6).abs() < 1e-12);
        assert!((e.bridgeable_gap - 0.04).abs() < 1e-12);
        assert!((e.secrecy_shield - 0.5 * 0.65).abs() < 1e-12);
        assert!((e.revelation_boost - 0.5 * 0.65).abs() < 1e-12);
    }

    #[test]
    fn direct_talks_have_no_mediator() {
        let m = mediator(Style::One(MediatorStyle::Formulation));
        assert_eq!(
            MediatorEffect::new(Mode::Direct, 1.0, Some(&m)),
            MediatorEffect::NONE
        );
    }
}
