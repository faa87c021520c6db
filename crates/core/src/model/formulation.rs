//! Formulation (Zartman & Touval 1985; Beardsley et al. 2006): a formulator
//! proposes terms. Its proposal bridges a remaining gap up to
//! `credibility * formulation weight * bridge` (Kydd 2003: credibility
//! gives proposals weight), and it is a focal point (Schelling 1960) that
//! speeds the parties' concession: concession time runs
//! `1 + credibility * formulation weight * focal_point` times as fast.

/// Whether offers with gap `gap` make an agreement when gaps up to
/// `bridgeable` (≥ 0) are bridged.
#[inline]
pub fn agrees(gap: f64, bridgeable: f64) -> bool {
    gap <= bridgeable.max(0.0)
}

/// The time at which the parties' concession is read in round `t`.
#[inline]
pub fn focal_time(t: u32, time_factor: f64) -> f64 {
    f64::from(t) * time_factor
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::offers::concession;

    #[test]
    fn a_formulator_bridges_small_gaps_only() {
        assert!(agrees(0.0, 0.0) && !agrees(0.01, 0.0));
        assert!(agrees(0.08, 0.08) && !agrees(0.081, 0.08));
    }

    #[test]
    fn a_focal_point_brings_concession_forward() {
        // Linear concession to a deadline of 10: round 4 at 1.25x reads as
        // round 5, halfway.
        let t = focal_time(4, 1.25);
        assert!((concession(0.0, 1.0, t, 10.0) - 0.5).abs() < 1e-12);
        assert_eq!(focal_time(4, 1.0), 4.0);
    }
}
