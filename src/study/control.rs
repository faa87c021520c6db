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
