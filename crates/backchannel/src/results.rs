//! What the studies return, every type by name: `summary.json` and
//! `manifest.json` (a [`Study`](crate::Study)'s [`Summary`] and
//! [`Manifest`]), `comparison.json` ([`ComparisonReport`], in
//! [`ComparisonResults`](crate::ComparisonResults)), `sweep.csv`
//! ([`SweepTable`], in [`SweepResults`](crate::SweepResults)),
//! `sensitivity.json` ([`SensitivityReport`], in
//! [`SensitivityResults`](crate::SensitivityResults)), `indicators.json`
//! ([`IndicatorsReport`], in [`IndicatorsResults`](crate::IndicatorsResults))
//! `discover.json` ([`DiscoveryReport`], in
//! [`DiscoveryResults`](crate::DiscoveryResults)) and `calibration.json`
//! ([`CalibrationReport`], in
//! [`CalibrationResults`](crate::CalibrationResults)). docs/OUTPUTS.md
//! documents every field as the files write it; probabilities are
//! fractions (0.29 is 29 %), rounds count from 1 (0 is the start).
//!
//! A sweep and a one-at-a-time sensitivity analysis of the flagship, read
//! field by field:
//!
//! ```rust
//! use backchannel::results::{OatRow, SweepTable};
//! use backchannel::{Method, Scenario, Sensitivity, Sweep};
//!
//! let scenario = Scenario::load("muscat-2026")?;
//! let swept = Sweep::new(&scenario)
//!     .vary("format.leak_hazard=0.0..0.2:3")
//!     .runs(200)
//!     .worlds(10)
//!     .seed(7)
//!     .run()?;
//! let table: &SweepTable = &swept.table;
//! assert_eq!(table.keys, ["format.leak_hazard"]);
//! assert_eq!(table.points, [[0.0], [0.1], [0.2]]);
//! for (point, continued) in table.points.iter().zip(table.column("channel_continued").unwrap()) {
//!     assert!(continued.lo <= continued.p && continued.p <= continued.hi);
//!     println!("leak hazard {}: P(channel continued) {:.2}", point[0], continued.p);
//! }
//!
//! let ranked = Sensitivity::new(&scenario)
//!     .vary("format.leak_hazard=0.0..0.2")
//!     .method(Method::Oat)
//!     .runs(200)
//!     .worlds(10)
//!     .seed(7)
//!     .run()?;
//! let report = &ranked.report;
//! assert_eq!((report.method, report.runs_per_point, report.design_points), ("oat", 200, 3));
//! let swing: &OatRow = report
//!     .oat
//!     .iter()
//!     .find(|row| row.output == "channel_continued")
//!     .unwrap();
//! assert_eq!(swing.swing, swing.at_hi.p - swing.at_lo.p);
//! assert_eq!(ranked.manifest.runs, 200);
//! # Ok::<(), backchannel::Error>(())
//! ```

pub use crate::engine::conditioning::Conditioning;
pub use crate::engine::precision::PrecisionRecord;
pub use crate::engine::shard::Shard;
pub use crate::output::backtest::{
    BacktestReport, BootstrapSettings, CaseResult, Forecast, Hurt, OutcomeScores,
};
pub use crate::output::calibration::{
    CalibratedInput, CalibratedTarget, Calibration as CalibrationReport,
    Generation as CalibrationGeneration, Marginal, PairPanel, Pairs,
};
pub use crate::output::comparison::{
    ComparedScenario, Comparison as ComparisonReport, Difference, MetricRow,
};
pub use crate::output::discover::{
    BoxLimit, Case, Chosen, ChosenBy, Discovery as DiscoveryReport, Input, Judgement,
    OutcomePhrase, Step,
};
pub use crate::output::indicators::{
    Indicator, Indicators as IndicatorsReport, OutcomeNow, OutcomeShift,
};
pub use crate::output::manifest::{Manifest, ManifestScenario};
pub use crate::output::sensitivity::{
    Index as SobolIndex, InteractionRow, OatRow, Parameter, Sensitivity as SensitivityReport,
    SobolRow,
};
pub use crate::output::study_key::{StudyKey, Variation};
pub use crate::output::summary::{
    ChannelPoint, FirstAgreement, Headline, IssueOutcome, Ordered, PartialMerge, Prior, ScenarioId,
    SpoilerActivity, Summary, SurvivalPoint,
};
pub use crate::output::sweep::SweepTable;
pub use crate::output::uncertainty::{InputSummary, Moments, Uncertainty};
pub use crate::stats::scoring::{Interval, ReliabilityBin};
pub use crate::stats::spread::Spread;
pub use crate::stats::{Estimate, Proportion, WorldSum};
