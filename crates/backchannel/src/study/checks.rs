//! The checks every study applies to the sizes it is asked for, with the
//! command line's names for them.

use crate::engine::worlds::{DEFAULT_WORLDS, MAX_WORLDS};
use crate::error::{Diagnostic, Error, Result};

/// `threads`, or every core; checked.
pub fn threads_or_every_core(threads: Option<usize>) -> Result<usize> {
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    check_count("--threads", threads as u64, 1, 1024)?;
    Ok(threads)
}

/// `worlds`, or the default; checked.
pub fn checked_worlds(worlds: Option<u64>) -> Result<u64> {
    let worlds = worlds.unwrap_or(DEFAULT_WORLDS);
    check_count("--worlds", worlds, 2, MAX_WORLDS)?;
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
        Some(_) => format!("--worlds {count}"),
        None => format!("the {count} worlds drawn by default (--worlds)"),
    };
    let message = if runs < count {
        format!("{runs} runs leave some of {named} without a run")
    } else {
        format!(
            "{runs} runs give each of {named} one run: a world's chance variation \
             could not be told from the judged inputs'"
        )
    };
    let mut help = format!("give --runs {} or more (two runs a world)", 2 * count);
    if runs >= 4 {
        help += &format!(", or --worlds {} or fewer", runs / 2);
    }
    Err(Error::input(
        Diagnostic::new(message).key("--runs").help(help),
    ))
}

/// A count must lie in `[lo, hi]`.
pub(crate) fn check_count(flag: &str, value: u64, lo: u64, hi: u64) -> Result<()> {
    if value < lo || value > hi {
        return Err(Error::input(
            Diagnostic::new(format!(
                "expected a number from {lo} to {hi}, found {value}"
            ))
            .key(flag),
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
            .key("--precision")
            .help("e.g. --precision 0.005 for ±0.5 percentage points"),
        ));
    }
    Ok(())
}
