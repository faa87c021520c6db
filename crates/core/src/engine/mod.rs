//! The engine: runs a study of many runs in parallel and reduces them to
//! integer counts.
//!
//! - [`streams`]: the random streams, keyed by (seed, run index, mechanism,
//!   entity) with SHA-256 and positioned by round (docs/MODEL.md, "Randomness"); [`chacha`]
//!   computes their ChaCha8 blocks one at a time.
//! - [`tally`]: the integer counts a study reduces to; merging is exact and
//!   order-free, so results are byte-identical for any thread count.
//!   `counter` holds them while the runs are counted, each world's counts
//!   laid out flat.
//! - [`runner`]: chunks of run indices on a rayon pool, in ordered batches
//!   (progress, optional per-run records, cancellation between batches).
//!
//! Architecture invariant: the engine never formats output or reads the
//! command line; it takes a compiled [`crate::model::Model`] and a
//! [`StudyOptions`] and returns a [`tally::Tally`].

pub mod chacha;
pub mod conditioning;
pub(crate) mod count_fields;
mod counter;
pub mod indicators;
pub mod labels;
pub mod metrics;
pub mod outcomes;
pub mod precision;
pub mod record;
pub mod runner;
pub mod shard;
pub mod streams;
pub mod tally;
pub mod worlds;

pub use labels::Labels;
pub use record::{Cell, RunRecord};
pub use runner::{StudyOptions, run_one, run_studies, run_study};
pub use tally::Tally;
pub use worlds::Worlds;
