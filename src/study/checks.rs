//! The checks every study applies to the sizes it is asked for, with the
//! command line's names for them.

use crate::engine::worlds::{DEFAULT_WORLDS, MAX_WORLDS};
use crate::error::{Diagnostic, Error, Result};

/// `threads`, or every core; checked.
pub(crate) fn threads_or_every_core(threads: Option<usize>) -> Result<usize> {
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    check_count("--threads", threads as u64, 1, 1024)?;
    Ok(threads)
}

/// `worlds`, or the default; checked.
pub(crate) fn checked_worlds(worlds: Option<u64>) -> Result<u64> {
    let worlds = worlds.unwrap_or(DEFAULT_WORLDS);
    check_count("--worlds", worlds, 2, MAX_WORLDS)?;
    Ok(worlds)
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
