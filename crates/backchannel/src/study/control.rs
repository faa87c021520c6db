//! How a long study reports progress and learns that it should stop.

use std::sync::atomic::AtomicBool;

use crate::engine::runner::Stopped;
use crate::engine::{StudyOptions, Tally, Worlds, run_study};
use crate::error::{Error, Result};
use crate::output::stopping::{Stop, WriteWatch};

/// A progress callback, a cancel flag and a watch over what is written,
/// shared by every study builder.
///
/// The callback receives the number of runs done so far (over every point
/// of a multi-point study); the flag is checked between runs, and a study
/// whose flag is raised stops with [`Error::Interrupted`] and publishes
/// nothing; the watch (see [`WriteWatch`]) is told what is being written.
pub struct Control<'a> {
    progress: Box<dyn Fn(u64) + Sync + 'a>,
    stop: Stop<'a>,
}

impl Default for Control<'_> {
    fn default() -> Self {
        Control {
            progress: Box::new(|_| {}),
            stop: Stop::default(),
        }
    }
}

impl std::fmt::Debug for Control<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("stop", &self.stop)
            .finish_non_exhaustive()
    }
}

impl<'a> Control<'a> {
    /// Call `progress(runs_done)` as the study advances.
    pub fn on_progress(&mut self, progress: impl Fn(u64) + Sync + 'a) {
        self.progress = Box::new(progress);
    }

    /// Stop the study, between runs, once `cancel` is raised, and tell
    /// `watch` what is written (see [`WriteWatch`]).
    pub fn cancel_on(&mut self, cancel: &'a AtomicBool, watch: Option<&'a dyn WriteWatch>) {
        self.stop = Stop::new(cancel, watch);
    }

    pub(crate) fn progress(&self, done: u64) {
        (self.progress)(done);
    }

    pub(crate) fn cancel_flag(&self) -> &'a AtomicBool {
        self.stop.cancel_flag()
    }

    /// How the study's files learn that they must not be published.
    pub(crate) fn stop(&self) -> Stop<'a> {
        self.stop
    }

    /// Run `options`' runs over `worlds`, reporting progress and checking
    /// the cancel flag, and keep no per-run records: the plain study.
    pub(crate) fn count_runs(&self, worlds: &Worlds, options: &StudyOptions) -> Result<Tally> {
        run_study(worlds, options, self.cancel_flag(), |done, _| {
            self.progress(done);
            Ok::<(), std::convert::Infallible>(())
        })
        .map_err(stopped)
    }
}

/// The error for a study the engine stopped: interrupted by the cancel
/// flag, or a failure.
pub(crate) fn stopped<E: std::error::Error + Send + Sync + 'static>(stopped: Stopped<E>) -> Error {
    match stopped {
        Stopped::Cancelled => Error::Interrupted,
        Stopped::Callback(e) => Error::failed("cannot write results", e),
        Stopped::Pool(e) => Error::failure(format!("cannot start worker threads: {e}")),
    }
}

/// What every study builder is told besides its own settings, through the
/// setters of `shared_setters!`.
#[derive(Debug, Default)]
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
        /// The seed of every random stream (`None`: the scenario's).
        pub fn seed(mut self, seed: impl Into<Option<u64>>) -> Self {
            self.shared.seed = seed.into();
            self
        }

        /// Worker threads (`None`: every core; results do not depend on
        /// them).
        pub fn threads(mut self, threads: impl Into<Option<usize>>) -> Self {
            self.shared.threads = threads.into();
            self
        }

        /// Worlds drawn from the judged inputs (ignored without any;
        /// `None`: the default).
        pub fn worlds(mut self, worlds: impl Into<Option<u64>>) -> Self {
            self.shared.worlds = worlds.into();
            self
        }

        /// The cancel flag and watch this study's files are written under
        /// (`publish`; every builder writes files but `Trace`).
        #[allow(dead_code)]
        pub(crate) fn stop(&self) -> crate::output::stopping::Stop<$a> {
            self.shared.control.stop()
        }

        /// Call `progress(runs_done)` as the study advances.
        pub fn on_progress(mut self, progress: impl Fn(u64) + Sync + $a) -> Self {
            self.shared.control.on_progress(progress);
            self
        }

        /// Stop between runs once `cancel` is raised
        /// ([`Error::Interrupted`](crate::Error::Interrupted)), publishing
        /// nothing.
        pub fn cancel_on(mut self, cancel: &$a std::sync::atomic::AtomicBool) -> Self {
            self.shared.control.cancel_on(cancel, None);
            self
        }

        /// As [`cancel_on`](Self::cancel_on), and tell `watch` what is
        /// being written, for a caller that may stop the process without
        /// waiting (see [`WriteWatch`](crate::WriteWatch)).
        pub fn cancel_and_watch(
            mut self,
            cancel: &$a std::sync::atomic::AtomicBool,
            watch: &$a dyn crate::WriteWatch,
        ) -> Self {
            self.shared.control.cancel_on(cancel, Some(watch));
            self
        }
    };
}
pub(crate) use shared_setters;

/// A builder's setter of an optional value: `$name($param)` stores
/// `$param.into()` in the field `$name`, so callers pass a value or
/// `None` (the default). Each builder documents what the value means for
/// its study.
macro_rules! option_setter {
    ($(#[$doc:meta])* $name:ident($param:ident: $ty:ty)) => {
        $(#[$doc])*
        pub fn $name(mut self, $param: impl Into<Option<$ty>>) -> Self {
            self.$name = $param.into();
            self
        }
    };
}
pub(crate) use option_setter;
