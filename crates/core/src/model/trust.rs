//! Trust between the parties: moved by agreements, rejections, incidents
//! and trust shocks, always kept in [0, 1]. Trust speeds concession and
//! relaxes reservations (see [`super::offers`]) and damps walkouts.

use super::RunState;

/// Add `delta` to every party's trust, clamped to [0, 1].
pub fn shift_all(state: &mut RunState, delta: f64) {
    for trust in &mut state.trust {
        *trust = (*trust + delta).clamp(0.0, 1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::two_party_model;

    #[test]
    fn stays_in_the_unit_interval() {
        let model = two_party_model();
        let mut state = RunState::new(&model);
        shift_all(&mut state, 2.0);
        assert_eq!(state.trust, vec![1.0, 1.0]);
        shift_all(&mut state, -0.25);
        assert_eq!(state.trust, vec![0.75, 0.75]);
        shift_all(&mut state, -5.0);
        assert_eq!(state.trust, vec![0.0, 0.0]);
    }
}
