//! The front door: everything the command line does, as library calls.
//!
//! A study is built from a [`Scenario`] with a builder, run, and returns
//! results that the exporters and the report take:
//!
//! ```no_run
//! use backchannel::{Scenario, Study};
//!
//! let scenario = Scenario::load("muscat-2026")?.with_values(&["format.mode=direct"])?;
//! let forecast = Study::new(&scenario).runs(20_000).seed(7).run()?;
//! println!("{}", forecast.summary.to_json());
//! # Ok::<(), backchannel::Error>(())
//! ```
//!
//! Every builder takes the same [`Control`]: a progress callback and a
//! cancel flag, so a caller can show progress and stop a long study (the
//! command line passes the flag its signal handlers raise).

mod backtest;
mod calibrate;
mod checkpoints;
pub mod checks;
mod compare;
pub(crate) mod control;
mod discover;
mod files;
mod icb;
mod indicators;
mod key;
mod merge;
mod points;
mod run;
mod scenario;
mod sensitivity;
mod shard;
mod sweep;
mod trace;

pub use crate::stats::{Distribution, Drawn};
pub use backtest::{Backtest, BacktestResults, DEFAULT_RUNS as BACKTEST_RUNS};
pub use calibrate::{
    Calibration, CalibrationFile, CalibrationResults, Outcome as CalibrationOutcome,
    Settings as CalibrationSettings, TargetSpec, json_schema as calibration_schema,
};
pub use compare::{Comparison, ComparisonResults};
pub use control::Control;
pub use discover::{Discovery, DiscoveryResults};
// What only this project's command line takes from here (`internals`).
#[cfg(feature = "internals")]
pub use files::SHOWN;
pub use indicators::{Indicators, IndicatorsResults};
#[cfg(feature = "internals")]
pub use key::Identity;
pub use merge::{Merge, MergeResults};
pub use run::Study;
pub use scenario::{JudgedInput, Observations, Scenario};
pub use sensitivity::{
    DEFAULT_RUNS_PER_POINT, DEFAULT_SAMPLES, Method, Sensitivity, SensitivityResults,
};
pub use shard::ShardResults;
pub use shard::parse_shard;
pub use sweep::{Sweep, SweepResults};
pub use trace::{Consistent, RunTrace, Trace, TraceLine};
