//! How a long study reports progress and learns that it should stop.

use std::sync::atomic::AtomicBool;

use crate::engine::runner::Stopped;
use crate::error::Error;

/// Never raised: the cancel flag of a study nobody can stop.
static NEVER: AtomicBool = AtomicBool::new(false);

/// A progress callback and a cancel flag, shared by every study builder.
///
/// The callback receives the number of runs done so far (over every point
/// of a multi-point study); the flag is checked between runs, and a study
/// whose flag is raised stops with [`Error::Interrupted`].
pub struct Control<'a> {
    progress: Box<dyn Fn(u64) + Sync + 'a>,
    cancel: &'a AtomicBool,
}

impl Default for Control<'_> {
    fn default() -> Self {
        Control {
            progress: Box::new(|_| {}),
            cancel: &NEVER,
        }
    }
}

impl<'a> Control<'a> {
    /// Call `progress(runs_done)` as the study advances.
    pub fn on_progress(&mut self, progress: impl Fn(u64) + Sync + 'a) {
        self.progress = Box::new(progress);
    }

    /// Stop the study, between runs, once `cancel` is raised.
    pub fn cancel_on(&mut self, cancel: &'a AtomicBool) {
        self.cancel = cancel;
    }

    pub(crate) fn progress(&self, done: u64) {
        (self.progress)(done);
    }

    pub(crate) fn cancel_flag(&self) -> &'a AtomicBool {
        self.cancel
    }
}

/// The error for a study the engine stopped: interrupted by the cancel
/// flag (named after the signal that raised it, if one did), or a failure.
pub(crate) fn stopped<E: std::fmt::Display>(stopped: Stopped<E>) -> Error {
    match stopped {
        Stopped::Cancelled => {
            Error::Interrupted(crate::interrupt::requested().unwrap_or(signal_hook::consts::SIGINT))
        }
        Stopped::Callback(e) => Error::failure(format!("cannot write results: {e}")),
        Stopped::Pool(e) => Error::failure(format!("cannot start worker threads: {e}")),
    }
}

/// What every study builder is told besides its own settings, through the
/// setters of `shared_setters!`.
#[derive(Default)]
pub(crate) struct Shared<'a> {
    pub(crate) seed: Option<u64>,
    pub(crate) threads: Option<usize>,
    pub(crate) worlds: Option<u64>,
    pub(crate) control: Control<'a>,
}

/// The setters every study builder shares, for a builder whose field
/// `shared` is a [`Shared`]; `$a` is the builder's lifetime.
macro_rules! shared_setters {
    ($a:lifetime) => {
        /// The seed of every random stream (default: the scenario's).
        pub fn seed(mut self, seed: u64) -> Self {
            self.shared.seed = Some(seed);
            self
        }

        /// Worker threads (default: every core; results do not depend on
        /// them).
        pub fn threads(mut self, threads: usize) -> Self {
            self.shared.threads = Some(threads);
            self
        }

        /// Worlds drawn from the judged inputs (ignored without any).
        pub fn worlds(mut self, worlds: u64) -> Self {
            self.shared.worlds = Some(worlds);
            self
        }

        /// Call `progress(runs_done)` as the study advances.
        pub fn on_progress(mut self, progress: impl Fn(u64) + Sync + $a) -> Self {
            self.shared.control.on_progress(progress);
            self
        }

        /// Stop between runs once `cancel` is raised
        /// ([`Error::Interrupted`](crate::Error::Interrupted)).
        pub fn cancel_on(mut self, cancel: &$a std::sync::atomic::AtomicBool) -> Self {
            self.shared.control.cancel_on(cancel);
            self
        }
    };
}
pub(crate) use shared_setters;
