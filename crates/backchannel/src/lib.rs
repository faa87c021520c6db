//! backchannel forecasts mediated diplomatic talks by Monte Carlo
//! simulation: a scenario file describes the talks, and a study runs it
//! many times, seeded and reproducible, to give the distribution of
//! outcomes.
//!
//! ```
//! use backchannel::{Comparison, Scenario, Study};
//!
//! // The embedded flagship scenario, run 2 000 times from seed 7.
//! let scenario = Scenario::load("muscat-2026")?;
//! let forecast = Study::new(&scenario).runs(2_000).seed(7).run()?;
//! let continued = forecast.summary.channel_continued; // with its 95 % interval
//! assert!(continued.lo <= continued.p && continued.p <= continued.hi);
//!
//! // The same talks held directly, paired run by run on the same seed.
//! let direct = scenario.with_values(&["format.mode=direct"])?;
//! let compared = Comparison::new(&[&scenario, &direct]).runs(2_000).seed(7).run()?;
//! assert_eq!(compared.comparison.scenarios.len(), 2);
//! # Ok::<(), backchannel::Error>(())
//! ```
//!
//! The front door is [`Scenario`] and the study builders ([`Study`] for a
//! forecast, or one shard of it; [`Comparison`], [`Sweep`] and
//! [`Sensitivity`] for studies of several scenarios or points; [`Merge`]
//! for shards; [`Trace`] to replay
//! one run; [`Indicators`] for what to watch; [`Discovery`] for where an
//! outcome is likely among the judged inputs; [`Calibration`] to hold the
//! judged inputs to observed frequencies); a forecast's results are
//! written with [`Study::write_to`] or read as they are (`summary.json`'s fields are
//! in [`results`]); any study's files are published as the command line
//! publishes them through its builder's `output` ([`Output`],
//! [`OutputOptions`]). See
//! `ARCHITECTURE.md`
//! for the map of the workspace; in short, this crate builds every study
//! on `backchannel-core` (the scenario, the model, the engine and the
//! statistics), and dependencies point one way:
//!
//! `publish` → `study` → `experiment` → `engine` → `model` → `scenario`;
//! `stats` and `error` are leaves; `output` turns engine results into the
//! bytes of files; `report` draws plots and pages from `output`'s results
//! and the scenario's metadata; `publish` names and writes every file a
//! study publishes ([`Output`], made by each builder's `output`).
//!
//! The library prints nothing and reads no process global: a caller
//! passes a progress callback and a cancel flag to every builder
//! (`on_progress`, `cancel_on`), and, if it may stop the process without
//! waiting, a [`WriteWatch`] (`cancel_and_watch`). The command line, its
//! progress bars and its signal handling are the `backchannel` binary's.
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

internal!(experiment, output, report);

/// The core crate's modules, reached as this crate's own (`crate::engine`):
/// private, public and hidden only with the `internals` feature, like the
/// modules above.
macro_rules! core_modules {
    ($($module:ident),* $(,)?) => {$(
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        pub use backchannel_core::$module;
        #[cfg(not(feature = "internals"))]
        use backchannel_core::$module;
    )*};
}

core_modules!(engine, model, scenario, stats);
pub use backchannel_core::error;
mod publish;
pub mod results;
pub mod text;

mod study;
pub mod validation;

pub use backchannel_core::scenario::overrides::{SetEntry, SetValue};
pub use error::{Diagnostic, Error, Result};
pub use output::stopping::{Stop, WriteWatch};
pub use publish::{
    ExperimentFiles, ExperimentPage, ExperimentTable, Output, OutputOptions, Published,
    SHOWN as INDICATORS_SHOWN,
};
pub use study::CalibratedScenario;
/// How [`Discovery`] lays out its worlds.
pub use study::Sampling;
pub use study::SettingLimit;
pub use study::WorldsAndRuns;
pub use study::checks::{checked_worlds, threads_or_every_core};
pub use study::{
    BACKTEST_RUNS, DEFAULT_RUNS_PER_POINT, DEFAULT_SAMPLES, MAX_SEED, MAX_THREADS, MIN_WORLDS,
    SETTING_LIMITS, parse_shard,
};
pub use study::{
    Backtest, BacktestResults, Calibration, CalibrationFile, CalibrationOutcome,
    CalibrationResults, CalibrationSettings, Comparison, ComparisonResults, Consistent, Discovery,
    DiscoveryResults, Distribution, Drawn, Indicators, IndicatorsResults, JudgedInput, Merge,
    MergeResults, Method, Observations, RunTrace, Scenario, Sensitivity, SensitivityResults,
    ShardResults, Study, StudyResults, Sweep, SweepResults, TargetSpec, Trace, TraceLine,
    calibration_schema,
};
pub use study::{
    BacktestMergeResults, DiscoverMergeResults, IndicatorsMergeResults, SlicedShardResults,
};
pub use study::{CalibrationShardResults, FoldedGeneration, GenerationState};
pub use study::{CompareMergeResults, CompareShardResults};
pub use study::{DesignMergeResults, DesignShardResults, MergedDesign, array_spec};
