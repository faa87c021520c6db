//! backchannel forecasts mediated diplomatic talks by Monte Carlo
//! simulation. See `ARCHITECTURE.md` for the map of the crate; in short,
//! dependencies point one way:
//!
//! `cli` → `experiment` → `engine` → `model` → `scenario`; `stats`,
//! `error` and `interrupt` are leaves every layer may use; `output` writes
//! engine results into files; `report` draws plots and `report.html` from
//! `output`'s summary and the scenario's metadata, and publishes a study's
//! files (`report::publish`).

pub mod cli;
pub mod engine;
pub mod error;
pub mod experiment;
pub mod interrupt;
pub mod model;
pub mod output;
pub mod report;
pub mod scenario;
pub mod stats;
pub mod study;

pub use error::{Diagnostic, Error, Result};
pub use report::publish::{StudyResults, publish};
pub use study::{Control, Observations, Scenario, Study};
