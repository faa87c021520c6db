//! The front door: everything the command line does, as library calls.
//!
//! A study is built from a [`Scenario`] with a builder, run, and returns
//! results that the exporters and the report take:
//!
//! ```no_run
//! use backchannel::{Scenario, Study};
//!
//! let scenario = Scenario::load("muscat-2026")?.with_values(&["format.mode=direct"])?;
//! let forecast = Study::new(&scenario).runs(20_000).seed(7).run()?;
//! println!("{}", forecast.summary.to_json());
//! # Ok::<(), backchannel::Error>(())
//! ```
//!
//! Every builder takes the same [`Control`]: a progress callback and a
//! cancel flag, so a caller can show progress and stop a long study (the
//! command line passes the flag its signal handlers raise).

pub(crate) mod checks;
pub(crate) mod control;
mod run;
mod scenario;

pub use crate::stats::Distribution;
pub use control::Control;
pub use run::Study;
pub use scenario::{Observations, Scenario};
