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
//! Every builder takes the same controls (`on_progress`, `cancel_on`,
//! `cancel_and_watch`, held in a `Control`): a progress callback and a
//! cancel flag, so a caller can show progress and stop a long study (the
//! command line passes the flag its signal handlers raise).

mod backtest;
mod backtest_shard;
mod calibrate;
mod checkpoints;
pub mod checks;
mod compare;
mod compare_shard;
pub(crate) mod control;
mod design_shard;
mod discover;
mod icb;
mod indicators;
mod key;
mod merge;
mod points;
mod run;
mod sampling;
mod scenario;
mod sensitivity;
mod shard;
mod sweep;
mod trace;
mod worlds_shard;

pub use crate::stats::{Distribution, Drawn};
pub use backtest::{Backtest, BacktestResults, DEFAULT_RUNS as BACKTEST_RUNS};
pub use backtest_shard::BacktestMergeResults;
pub use calibrate::CalibratedScenario;
pub use calibrate::{
    Calibration, CalibrationFile, CalibrationResults, Outcome as CalibrationOutcome,
    Settings as CalibrationSettings, TargetSpec, json_schema as calibration_schema,
};
pub use calibrate::{CalibrationShardResults, FoldedGeneration, GenerationState};
pub(crate) use calibrate::{folded_path, shard_path};
pub use checks::SettingLimit;
pub use checks::{MAX_SEED, MAX_THREADS, MIN_WORLDS, SETTING_LIMITS};
pub use compare::{Comparison, ComparisonResults};

pub use compare_shard::{CompareMergeResults, CompareShardResults};
pub use design_shard::{DesignMergeResults, DesignShardResults, MergedDesign};
pub use discover::{Discovery, DiscoveryResults, Sampling, WorldsAndRuns};
pub use indicators::{Indicators, IndicatorsResults};
pub(crate) use key::Identity;
pub use merge::{Merge, MergeResults, array_spec};
pub use run::{Study, StudyResults};
pub use scenario::{JudgedInput, Observations, Scenario};
pub use sensitivity::{
    DEFAULT_RUNS_PER_POINT, DEFAULT_SAMPLES, Method, Sensitivity, SensitivityResults,
};
pub use shard::ShardResults;
pub use shard::parse_shard;
pub use sweep::{Sweep, SweepResults};
pub use trace::{Consistent, RunTrace, Trace, TraceLine};
pub use worlds_shard::{DiscoverMergeResults, IndicatorsMergeResults, SlicedShardResults};
