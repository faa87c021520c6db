//! backchannel forecasts mediated diplomatic talks by Monte Carlo
//! simulation: a scenario file describes the talks, and a study runs it
//! many times, seeded and reproducible, to give the distribution of
//! outcomes.
//!
//! The front door is [`Scenario`] and the study builders ([`Study`] for a
//! forecast, or one shard of it; [`Comparison`], [`Sweep`] and
//! [`Sensitivity`] for studies of several scenarios or points; [`Merge`]
//! for shards; [`Trace`] to replay
//! one run; [`Indicators`] for what to watch; [`Discovery`] for where an
//! outcome is likely among the judged inputs; [`Calibration`] to hold the
//! judged inputs to observed frequencies); a forecast's results are
//! written with [`Study::write_to`] or read as they are (`summary.json`'s fields are
//! in [`results`]), the others' hold their files' contents. See
//! `ARCHITECTURE.md`
//! for the map of the crate; in short, dependencies point one way:
//!
//! `cli` → `study` → `experiment` → `engine` → `model` → `scenario`;
//! `stats`, `error` and `interrupt` are leaves every layer may use;
//! `output` writes engine results into files; `report` draws plots and
//! `report.html` from `output`'s summary and the scenario's metadata, and
//! publishes a study's files (`report::publish`).
#![cfg_attr(not(feature = "internals"), warn(missing_docs))]

/// Declare modules behind the front door: private to the crate, public
/// (and hidden from the documentation) only with the `internals` feature,
/// which this project's own tests and benchmarks turn on.
macro_rules! internal {
    ($($module:ident),* $(,)?) => {$(
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        pub mod $module;
        #[cfg(not(feature = "internals"))]
        mod $module;
    )*};
}

internal!(
    cli, console, engine, experiment, interrupt, model, output, report, scenario, stats,
);
pub mod error;
pub mod results;
mod study;
pub mod validation;

pub use error::{Diagnostic, Error, Result};
pub use report::publish::StudyResults;
pub use study::{
    Backtest, BacktestResults, Calibration, CalibrationFile, CalibrationOutcome,
    CalibrationResults, CalibrationSettings, Comparison, ComparisonResults, Consistent, Control,
    Discovery, DiscoveryResults, Distribution, Drawn, Indicators, IndicatorsResults, MAX_SEED,
    MAX_THREADS, MIN_WORLDS, Merge, MergeResults, Method, Observations, RunTrace, SETTING_LIMITS,
    Scenario, Sensitivity, SensitivityResults, ShardResults, Study, Sweep, SweepResults,
    TargetSpec, Trace, TraceLine, calibration_schema,
};

/// Run the command line on this process's arguments and give the exit
/// status: 0 success, 2 bad input or usage, 1 any other failure. The
/// `backchannel` binary is this function.
pub fn command_line() -> i32 {
    cli::main()
}
