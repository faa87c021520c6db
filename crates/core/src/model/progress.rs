//! Progress (step 11): how far the talks have come, which is what spoilers
//! react to. The mean over issues of 1 (pending or ratified), 0 (rejected)
//! or, for an open issue, the share of its first gap closed since.

use super::{IssueStatus, RunState};

/// Recompute `state.progress` after a round with offers.
pub fn update(state: &mut RunState) {
    if state.issues.is_empty() {
        return;
    }
    let total: f64 = state
        .issues
        .iter()
        .map(|issue| match issue.status {
            IssueStatus::Pending | IssueStatus::Ratified => 1.0,
            IssueStatus::Rejected => 0.0,
            IssueStatus::Open => match issue.first_gap {
                Some(first) if first > 0.0 => (1.0 - issue.last_gap / first).clamp(0.0, 1.0),
                Some(_) => 1.0,
                None => 0.0,
            },
        })
        .sum();
    state.progress = total / state.issues.len() as f64;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_support::model_from;

    #[test]
    fn averages_closed_gaps_and_outcomes() {
        let model = model_from("[[issues]]\nid = \"b\"\n[[issues]]\nid = \"c\"\n", "");
        let mut state = RunState::new(&model);
        state.issues[0].first_gap = Some(0.4);
        state.issues[0].last_gap = 0.1;
        state.issues[1].status = IssueStatus::Ratified;
        state.issues[2].status = IssueStatus::Rejected;
        update(&mut state);
        assert!((state.progress - (0.75 + 1.0 + 0.0) / 3.0).abs() < 1e-12);
        state.issues[0].last_gap = 0.9;
        update(&mut state);
        assert!(
            (state.progress - 1.0 / 3.0).abs() < 1e-12,
            "a widening gap counts as 0"
        );
    }
}
