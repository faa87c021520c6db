//! Experiments built on the engine: the questions users ask of several
//! studies at once. [`compare`] pairs scenarios on common random numbers;
//! [`vary`] parses `--vary KEY=LO..HI[:STEPS]`; [`sweep`] runs a grid of
//! parameter values; [`sensitivity`] ranks parameters by global (Sobol) or
//! one-at-a-time influence.
//!
//! Architecture invariant: experiments reuse the engine's streams and seeds
//! (every study of an experiment uses the same seed, so comparisons share
//! common random numbers) and never format output files.

pub mod compare;
pub mod sensitivity;
pub mod vary;
