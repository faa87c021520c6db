//! The mediator's two levers (Beardsley et al. 2006): a facilitator damps
//! walkouts, a formulator bridges a small remaining gap. Only in indirect
//! talks: with `mode = "direct"` there is no one in the middle.

use crate::scenario::{Mediator, MediatorStyle, Mode};

/// What the mediator does to the round step, precomputed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MediatorEffect {
    /// Multiplies walkout probabilities: `1 - credibility *
    /// facilitation_strength` with a facilitator, else 1.
    pub walkout_damping: f64,
    /// With a formulator, a gap up to `bridge * credibility` is bridged.
    pub bridgeable_gap: Option<f64>,
}

impl MediatorEffect {
    pub fn new(mode: Mode, mediator: Option<&Mediator>) -> MediatorEffect {
        let none = MediatorEffect {
            walkout_damping: 1.0,
            bridgeable_gap: None,
        };
        match (mode, mediator) {
            (Mode::Indirect, Some(m)) => match m.style {
                MediatorStyle::Facilitation => MediatorEffect {
                    walkout_damping: 1.0 - m.credibility * m.facilitation_strength,
                    bridgeable_gap: None,
                },
                MediatorStyle::Formulation => MediatorEffect {
                    walkout_damping: 1.0,
                    bridgeable_gap: Some(m.bridge * m.credibility),
                },
            },
            _ => none,
        }
    }

    /// Whether offers with gap `gap` make an agreement.
    pub fn agrees(&self, gap: f64) -> bool {
        gap <= 0.0 || self.bridgeable_gap.is_some_and(|bridge| gap <= bridge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mediator(style: MediatorStyle) -> Mediator {
        Mediator {
            name: "Oman".into(),
            credibility: 0.8,
            style,
            facilitation_strength: 0.5,
            bridge: 0.1,
        }
    }

    #[test]
    fn a_facilitator_damps_walkouts_only() {
        let m = mediator(MediatorStyle::Facilitation);
        let effect = MediatorEffect::new(Mode::Indirect, Some(&m));
        assert!((effect.walkout_damping - 0.6).abs() < 1e-12);
        assert!(effect.agrees(0.0) && !effect.agrees(0.01));
    }

    #[test]
    fn a_formulator_bridges_small_gaps() {
        let m = mediator(MediatorStyle::Formulation);
        let effect = MediatorEffect::new(Mode::Indirect, Some(&m));
        assert_eq!(effect.walkout_damping, 1.0);
        assert!(effect.agrees(0.08) && !effect.agrees(0.081));
    }

    #[test]
    fn direct_talks_have_no_mediator() {
        let m = mediator(MediatorStyle::Formulation);
        let effect = MediatorEffect::new(Mode::Direct, Some(&m));
        assert_eq!(
            effect,
            MediatorEffect {
                walkout_damping: 1.0,
                bridgeable_gap: None
            }
        );
    }
}
