//! Scenario files: their schema and defaults ([`types`]), range and
//! cross-reference checks ([`validate`]), `--set` overrides ([`overrides`]),
//! loading with located diagnostics ([`load()`]) and the scenarios compiled into
//! the binary ([`embedded`]).
//!
//! This module knows nothing of the model or of runs: it produces a
//! [`Scenario`] that is known to be valid, or diagnostics.

pub mod assumptions;
pub mod calendar;
pub mod embedded;
pub mod judged;
pub mod keys;
pub mod load;
pub mod locate;
pub mod observations;
pub mod overrides;
pub mod problem;
pub mod read;
pub mod schema;
pub mod types;
pub mod validate;

pub use load::{LoadedScenario, load};
pub use types::*;
