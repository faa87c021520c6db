//! backchannel forecasts mediated diplomatic talks by Monte Carlo
//! simulation. See `ARCHITECTURE.md` for the map of the crate; in short,
//! dependencies point one way:
//!
//! `cli` → `engine` → `model` → `scenario`, with `stats` a leaf every layer
//! may use `output` reading engine results and `report` (plots,
//! `report.html`) reading only `output`'s summary and scenario metadata.

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
