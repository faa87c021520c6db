//! The checks every study applies to the sizes it is asked for, with the
//! command line's names for them.

use super::backtest::MAX_RUNS_PER_CASE;
use super::calibrate::{
    MAX_GENERATION_WORLDS, MAX_GENERATIONS, MAX_RUNS_PER_WORLD, MIN_WORLDS as MIN_GENERATION_WORLDS,
};
use super::discover::MIN_DISCOVER_WORLDS;
use super::sensitivity::MAX_SAMPLES;
use crate::engine::worlds::{DEFAULT_WORLDS, MAX_WORLDS};
use crate::error::{Diagnostic, Error, Result, setting, setting_value};
use crate::experiment::vary::MAX_STEPS;
use crate::scenario::validate::MAX_RUNS;

/// The most threads a study may run on.
pub const MAX_THREADS: u64 = 1024;

/// The fewest worlds a study may draw: a spread across worlds needs two.
pub const MIN_WORLDS: u64 = 2;

/// The largest seed, 2^63 − 1: the largest integer a scenario's `seed`
/// (TOML), and so `summary.json` read back, can hold.
pub const MAX_SEED: u64 = i64::MAX as u64;

/// The range of one whole-number setting of one study.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SettingLimit {
    /// The study, named as its command (`run`, `calibrate`).
    pub study: &'static str,
    /// The setting, named as its builder's setter (`runs_per_world`).
    pub setting: &'static str,
    /// The least value it takes.
    pub lowest: u64,
    /// The most value it takes.
    pub highest: u64,
}

const fn limit(
    study: &'static str,
    setting: &'static str,
    lowest: u64,
    highest: u64,
) -> SettingLimit {
    SettingLimit {
        study,
        setting,
        lowest,
        highest,
    }
}

/// Every whole-number setting of each study and its range. The checks
/// below use the same constants; the Python package checks its arguments
/// against this table, so that a limit is stated once. `min_ess` is also
/// at most the worlds of a generation.
pub const SETTING_LIMITS: &[SettingLimit] = &[
    limit("run", "runs", 1, MAX_RUNS),
    limit("run", "seed", 0, MAX_SEED),
    limit("run", "threads", 1, MAX_THREADS),
    limit("run", "worlds", MIN_WORLDS, MAX_WORLDS),
    limit("compare", "runs", 1, MAX_RUNS),
    limit("compare", "seed", 0, MAX_SEED),
    limit("compare", "threads", 1, MAX_THREADS),
    limit("compare", "worlds", MIN_WORLDS, MAX_WORLDS),
    limit("sweep", "runs", 1, MAX_RUNS),
    limit("sweep", "seed", 0, MAX_SEED),
    limit("sweep", "threads", 1, MAX_THREADS),
    limit("sweep", "steps", 2, MAX_STEPS as u64),
    limit("sensitivity", "runs", 1, MAX_RUNS),
    limit("sensitivity", "seed", 0, MAX_SEED),
    limit("sensitivity", "threads", 1, MAX_THREADS),
    limit("sensitivity", "samples", 2, MAX_SAMPLES),
    limit("backtest", "runs", 1, MAX_RUNS_PER_CASE),
    limit("backtest", "seed", 0, MAX_SEED),
    limit("backtest", "threads", 1, MAX_THREADS),
    limit("backtest", "worlds", MIN_WORLDS, MAX_WORLDS),
    limit("calibrate", "seed", 0, MAX_SEED),
    limit("calibrate", "threads", 1, MAX_THREADS),
    limit(
        "calibrate",
        "worlds",
        MIN_GENERATION_WORLDS,
        MAX_GENERATION_WORLDS,
    ),
    limit("calibrate", "runs_per_world", 1, MAX_RUNS_PER_WORLD),
    limit("calibrate", "min_ess", 1, MAX_GENERATION_WORLDS),
    limit("calibrate", "max_generations", 1, MAX_GENERATIONS),
    limit("trace", "run", 0, MAX_RUNS - 1),
    limit("trace", "seed", 0, MAX_SEED),
    limit("trace", "threads", 1, MAX_THREADS),
    limit("trace", "worlds", MIN_WORLDS, MAX_WORLDS),
    limit("discover", "runs", 1, MAX_RUNS),
    limit("discover", "seed", 0, MAX_SEED),
    limit("discover", "threads", 1, MAX_THREADS),
    limit("discover", "worlds", MIN_DISCOVER_WORLDS, MAX_WORLDS),
];

/// `threads`, or every core; checked.
pub fn threads_or_every_core(threads: Option<usize>) -> Result<usize> {
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    check_count("threads", threads as u64, 1, MAX_THREADS)?;
    Ok(threads)
}

/// `worlds`, or the default; checked.
pub fn checked_worlds(worlds: Option<u64>) -> Result<u64> {
    let worlds = worlds.unwrap_or(DEFAULT_WORLDS);
    check_count("worlds", worlds, MIN_WORLDS, MAX_WORLDS)?;
    Ok(worlds)
}

/// What a study reports about its worlds, which sets the fewest runs it
/// needs (run `i` is in world `i mod W`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WorldsUse {
    /// Only the mixture over worlds: every world needs a run.
    Mixture,
    /// Also the spread across worlds and the share of the variance from the
    /// inputs (`summary.json`'s `uncertainty`, `worlds.csv`): some world
    /// needs two runs, since with one run a world's chance variation cannot
    /// be told from the inputs' and the share would read 100 %
    /// (docs/MODEL.md, "Judged inputs and worlds").
    Spread,
}

/// The worlds a study of `runs` runs of a scenario draws: `worlds`, or the
/// default, checked, and, when the scenario has judged inputs (`judged`),
/// refused if the runs are too few for `used`.
pub(crate) fn worlds_for_runs(
    worlds: Option<u64>,
    runs: u64,
    judged: bool,
    used: WorldsUse,
) -> Result<u64> {
    let count = checked_worlds(worlds)?;
    let fewest = match used {
        WorldsUse::Mixture => count,
        WorldsUse::Spread => count + 1,
    };
    if !judged || runs >= fewest {
        return Ok(count);
    }
    let named = match worlds {
        Some(_) => setting_value("worlds", count),
        None => format!(
            "the {count} worlds drawn by default ({})",
            setting("worlds")
        ),
    };
    let message = if runs < count {
        format!("{runs} runs leave some of {named} without a run")
    } else {
        format!(
            "{runs} runs give each of {named} one run: a world's chance variation \
             could not be told from the judged inputs'"
        )
    };
    let mut help = format!(
        "give {} or more (two runs a world)",
        setting_value("runs", 2 * count)
    );
    if runs >= 4 {
        help += &format!(", or {} or fewer", setting_value("worlds", runs / 2));
    }
    Err(Error::input(
        Diagnostic::new(message).setting("runs").help(help),
    ))
}

/// A count must lie in `[lo, hi]`.
pub(crate) fn check_count(setting: &str, value: u64, lo: u64, hi: u64) -> Result<()> {
    if value < lo || value > hi {
        return Err(Error::input(
            Diagnostic::new(format!(
                "expected a number from {lo} to {hi}, found {value}"
            ))
            .setting(setting),
        ));
    }
    Ok(())
}

/// A precision target must be a half-width in (0, 0.5].
pub(crate) fn check_precision(eps: f64) -> Result<()> {
    if !(eps > 0.0 && eps <= 0.5) {
        return Err(Error::input(
            Diagnostic::new(format!(
                "expected a 95% interval half-width in (0, 0.5], found {eps}"
            ))
            .setting("precision")
            .help(format!(
                "e.g. {} for ±0.5 percentage points",
                setting_value("precision", 0.005)
            )),
        ));
    }
    Ok(())
}
