//! The talks model: one run of a talks track, round by round, in the order
//! of docs/MODEL.md. Each mechanism lives in its own file and can be tested alone:
//! [`domestic`] (events, drift, ratification), [`shocks`], [`spoilers`],
//! [`leak`], [`walkout`], [`offers`] (Faratin concessions and agreement),
//! [`mediator`] and its mechanisms ([`crisis`], [`information`],
//! [`formulation`], [`manipulation`], [`secrecy`]), [`trust`] and
//! [`progress`]; [`round`] puts them in order.
//!
//! Architecture invariant: the model does no I/O, reads no clock and spawns
//! no thread. A run is a pure function of the compiled [`Model`] and the
//! draws of its [`Randomness`], which the engine keys by (seed, run index,
//! mechanism, entity) — that is what makes replay, shards and common random
//! numbers possible.

pub mod crisis;
pub mod domestic;
pub mod formulation;
pub mod information;
pub mod leak;
pub mod manipulation;
pub mod mediator;
pub mod observer;
pub mod offers;
pub mod progress;
pub mod round;
pub mod secrecy;
pub mod shocks;
pub mod spoilers;
pub mod state;
pub mod trust;
pub mod walkout;

mod compile;
mod streams;

pub use compile::{Model, PartyModel, SpoilerModel};
pub use observer::{Event, NoObserver, Observer};
pub use round::simulate;
pub use state::{Cause, Channel, Deal, IssueStatus, RunState};
pub use streams::{Randomness, StreamId};
// The benchmarks draw from the model's streams directly.
pub use streams::Mechanism;

#[cfg(test)]
pub(crate) mod test_support;
