//! The core of backchannel: a scenario read and checked
//! ([`scenario`]), compiled into the model of one run ([`model`]), run
//! many times on seeded streams and counted in integer tallies
//! ([`engine`]), with the statistics the studies report ([`stats`]).
//!
//! This crate writes no file and knows nothing of a command line, plots or
//! progress bars; the `backchannel` crate builds every study, its results
//! and their files on it. Its API serves the workspace's crates and makes
//! no stability promise: a library user takes the `backchannel` crate's
//! front door. `ARCHITECTURE.md` is the map.

pub mod engine;
pub mod error;
pub mod model;
pub mod scenario;
pub mod stats;

pub use error::{Diagnostic, Error, Result};
