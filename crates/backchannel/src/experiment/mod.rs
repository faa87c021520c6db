//! Experiments built on the engine: the questions users ask of several
//! studies at once. [`compare`] pairs scenarios on common random numbers;
//! [`vary`] parses `--vary KEY=LO..HI[:STEPS]` into the values of a sweep's
//! line or grid; [`sensitivity`] builds the Saltelli design and estimates
//! Sobol' indices (and one-at-a-time swings). The command line runs the
//! points of a design a group at a time (`cli/points.rs`).
//!
//! Architecture invariant: experiments reuse the engine's streams and seeds
//! (every study of an experiment uses the same seed, so comparisons share
//! common random numbers) and never format output files.

pub mod compare;
pub mod sensitivity;
pub mod vary;
