//! Running to a precision (docs/MODEL.md, "Run to a precision"), written
//! once for every study that offers it: without a target a study runs the
//! size asked; with one it runs through the doubling checkpoints of
//! `engine::precision` until the target is met or the maximum is reached.

use super::checks::check_count;
use crate::engine::precision;
use crate::error::Result;
use crate::scenario::validate::MAX_RUNS;

/// The most runs a study may take: `runs` if set, else under a precision
/// target the default maximum, else the scenario's own `runs`. Checked.
pub(crate) fn max_runs(
    runs: Option<u64>,
    precision: Option<f64>,
    scenario_runs: u64,
) -> Result<u64> {
    let runs = match (runs, precision) {
        (Some(runs), _) => runs,
        (None, Some(_)) => precision::DEFAULT_MAX_RUNS,
        (None, None) => scenario_runs,
    };
    check_count("runs", runs, 1, MAX_RUNS)?;
    Ok(runs)
}

/// Advance `state` checkpoint by checkpoint: `advance(state, runs)` brings
/// it to `runs` runs, and under a `precision` target `met(state, eps)` says
/// whether it may stop there (and may note why in `state`). The checkpoints reached, in order.
pub(crate) fn by_checkpoints<S>(
    state: &mut S,
    max_runs: u64,
    precision: Option<f64>,
    mut advance: impl FnMut(&mut S, u64) -> Result<()>,
    mut met: impl FnMut(&mut S, f64) -> bool,
) -> Result<Vec<u64>> {
    // Without a precision target there is one checkpoint: the size asked.
    let checkpoints = match precision {
        Some(_) => precision::checkpoints(max_runs),
        None => vec![max_runs],
    };
    let mut checked_at = Vec::new();
    for checkpoint in checkpoints {
        advance(state, checkpoint)?;
        checked_at.push(checkpoint);
        if precision.is_some_and(|eps| met(state, eps)) {
            break;
        }
    }
    Ok(checked_at)
}
