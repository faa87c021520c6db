//! What a study returns: the types of `summary.json` and `manifest.json`
//! (docs/OUTPUTS.md documents every field).

pub use crate::engine::conditioning::Conditioning;
pub use crate::engine::precision::PrecisionRecord;
pub use crate::output::manifest::{Manifest, ManifestScenario};
pub use crate::output::summary::{
    ChannelPoint, FirstAgreement, IssueOutcome, Ordered, Prior, ScenarioId, SpoilerActivity,
    Summary, SurvivalPoint,
};
pub use crate::output::uncertainty::Uncertainty;
pub use crate::stats::Proportion;
