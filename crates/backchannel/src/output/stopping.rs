//! What a process that may be stopped at any moment is told of the files
//! being written, so that stopping it never leaves half a result.
//!
//! Every result is written into a temporary directory (or file) and renamed
//! into place when complete ([`OutputDir`](super::OutputDir)). A study
//! whose cancel flag is raised winds down on its own and publishes nothing.
//! A caller that may also stop the process *without* waiting (the command
//! line, on a second signal or after its grace period) gives the library a
//! [`WriteWatch`]: it is told what is being written, so it can remove it,
//! and holds such a stop off while results move into place, so a rename is
//! never cut in two. Nothing here is global: the caller passes both.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Told what the library writes, by a caller that may stop the process
/// without waiting (see the module's documentation).
pub trait WriteWatch: Sync {
    /// `temp` (a directory or a file) is being written; `None`: nothing is
    /// any more (it was published, or removed).
    fn writing(&self, temp: Option<&Path>);

    /// Run `critical`, a rename into place that must not be cut in two,
    /// with forced stops held off. It returns where complete results now
    /// are, if it published any: a stop after that no longer loses them.
    fn hold(&self, critical: &mut dyn FnMut() -> Option<PathBuf>);
}

/// The watch of a caller that never stops the process without waiting.
struct Unwatched;

impl WriteWatch for Unwatched {
    fn writing(&self, _: Option<&Path>) {}

    fn hold(&self, critical: &mut dyn FnMut() -> Option<PathBuf>) {
        critical();
    }
}

/// Never raised: the cancel flag of work nobody can stop.
static NEVER: AtomicBool = AtomicBool::new(false);

/// How writing results learns that it must stop: the study's cancel flag
/// (nothing is published once it is raised) and the caller's watch.
#[derive(Clone, Copy)]
pub struct Stop<'a> {
    cancel: &'a AtomicBool,
    watch: &'a dyn WriteWatch,
}

impl std::fmt::Debug for Stop<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stop")
            .field("requested", &self.requested())
            .finish_non_exhaustive()
    }
}

impl Default for Stop<'_> {
    fn default() -> Self {
        Stop {
            cancel: &NEVER,
            watch: &Unwatched,
        }
    }
}

impl<'a> Stop<'a> {
    /// Stop once `cancel` is raised; tell `watch` what is written.
    pub fn new(cancel: &'a AtomicBool, watch: Option<&'a dyn WriteWatch>) -> Stop<'a> {
        Stop {
            cancel,
            watch: watch.unwrap_or(&Unwatched),
        }
    }

    /// Whether the cancel flag is raised.
    pub fn requested(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// The cancel flag itself, for the engine, which checks it between runs.
    pub fn cancel_flag(&self) -> &'a AtomicBool {
        self.cancel
    }

    pub(crate) fn writing(&self, temp: Option<&Path>) {
        self.watch.writing(temp);
    }

    /// Run `publish` with forced stops held off, unless a stop was already
    /// requested (`None`: nothing was done). Afterwards nothing is being
    /// written; on success, the results are at `target`.
    pub(crate) fn publish<T, E>(
        &self,
        target: &Path,
        publish: impl FnOnce() -> Result<T, E>,
    ) -> Option<Result<T, E>> {
        let mut publish = Some(publish);
        let mut outcome = None;
        self.watch.hold(&mut || {
            if self.requested() {
                return None;
            }
            let result = publish.take()?();
            let published = result.is_ok().then(|| target.to_path_buf());
            outcome = Some(result);
            published
        });
        if outcome.is_some() {
            self.watch.writing(None);
        }
        outcome
    }

    /// Run `finish` (a rename that must not be cut in two) with forced
    /// stops held off, whether or not a stop was requested; afterwards
    /// nothing is being written.
    pub(crate) fn finish<T>(&self, finish: impl FnOnce() -> T) -> T {
        let mut finish = Some(finish);
        let mut outcome = None;
        self.watch.hold(&mut || {
            outcome = finish.take().map(|f| f());
            None
        });
        self.watch.writing(None);
        match (outcome, finish.take()) {
            (Some(outcome), _) => outcome,
            // A watch that did not run what it was to hold: run it now.
            (None, Some(finish)) => finish(),
            (None, None) => unreachable!("`finish` ran, so its outcome is kept"),
        }
    }
}
