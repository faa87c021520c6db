//! Stopping on SIGINT, SIGTERM and SIGHUP (Ctrl-C, `kill`, `scancel`, a job
//! time limit, Kubernetes, a closed terminal).
//!
//! The first signal raises [`STOP`], the cancel flag every study is given:
//! the engine checks it between runs and the library checks it before it
//! publishes anything, so the command winds down on its own and exits with
//! `128 + signal`. Whatever phase it is in (a long plot, a slow file
//! system, a validation), it gets [`GRACE`] to do so; after that, or at
//! once on a second signal, the process removes the output directory it was
//! writing (which the library tells [`WATCH`] of) and exits. Either way the
//! previous results stay untouched and no temporary directory is left
//! behind.
//!
//! Once the results are published (renamed into place), the command's work
//! is done: a signal then no longer makes it fail. What is left (the
//! folder's index, the text on screen) goes on; if it does not end within
//! [`GRACE`], or a second signal comes, the process exits with status 0,
//! saying where the complete results are.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use backchannel::WriteWatch;

use crate::console::errln;

/// Raised by the first signal; the cancel flag every study is run with.
pub static STOP: AtomicBool = AtomicBool::new(false);

/// The first signal received, 0 before any (set by the thread that handles
/// signals).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// The latest signal, set inside the signal handler itself: seen at once,
/// even by a thread whose system call the signal just interrupted, before
/// the handling thread has woken up.
static PENDING: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// How long a command has to stop on its own before it is stopped.
pub const GRACE: Duration = Duration::from_millis(1500);

/// What a forced stop must know. Held locked while a directory is
/// published, so a forced stop never cuts a publication in two.
static WRITING: Mutex<Registry> = Mutex::new(Registry {
    temp: None,
    published: None,
});

struct Registry {
    /// The temporary directory (or file) being written, removed by a
    /// forced stop.
    temp: Option<PathBuf>,
    /// Where this command's results were published, once they were.
    published: Option<PathBuf>,
}

/// The signal that asked the command to stop, if one did.
pub fn requested() -> Option<i32> {
    let pending = || PENDING.get().map_or(0, |p| p.load(Ordering::SeqCst) as i32);
    match SIGNAL.load(Ordering::SeqCst) {
        0 => Some(pending()).filter(|&signal| signal != 0),
        signal => Some(signal),
    }
}

/// Where this command published its results, once it has: a signal after
/// that no longer makes the command fail.
pub fn published() -> Option<PathBuf> {
    lock().published.clone()
}

/// The conventional exit status of a process stopped by `signal`.
pub fn exit_status(signal: i32) -> i32 {
    128 + signal
}

/// The usual name of a signal this module handles.
pub fn signal_name(signal: i32) -> &'static str {
    match signal {
        signal_hook::consts::SIGINT => "SIGINT",
        signal_hook::consts::SIGTERM => "SIGTERM",
        signal_hook::consts::SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}

/// Handle SIGINT, SIGTERM and SIGHUP from now on (once, at start-up).
pub fn install() -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let pending = PENDING.get_or_init(|| Arc::new(AtomicUsize::new(0)));
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        signal_hook::flag::register_usize(signal, Arc::clone(pending), signal as usize)?;
    }
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if SIGNAL
                    .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
                {
                    STOP.store(true, Ordering::SeqCst);
                    match published() {
                        None => errln!("\n{}: stopping…", signal_name(signal)),
                        Some(path) => errln!(
                            "\n{}: the results are already complete in {}/; finishing",
                            signal_name(signal),
                            path.display()
                        ),
                    }
                    std::thread::spawn(move || {
                        std::thread::sleep(GRACE);
                        force_stop(signal);
                    });
                } else {
                    force_stop(signal);
                }
            }
        })?;
    Ok(())
}

/// Remove the directory being written and exit: the command did not stop
/// within [`GRACE`], or a second signal came. After publication, with
/// status 0: the results are complete.
fn force_stop(signal: i32) -> ! {
    let first = requested().unwrap_or(signal);
    let registry = lock();
    if let Some(temp) = registry.temp.as_ref() {
        // A directory, or the index's temporary file.
        if std::fs::remove_dir_all(temp).is_err() {
            let _ = std::fs::remove_file(temp);
        }
    }
    match registry.published.as_ref() {
        Some(path) => {
            errln!(
                "stopped by {} without waiting, after the results were complete in {}/ \
                 (the index of the studies beside them may be out of date)",
                signal_name(first),
                path.display()
            );
            std::process::exit(0)
        }
        None => {
            errln!(
                "interrupted by {} (stopped without waiting); no results were written",
                signal_name(first)
            );
            std::process::exit(exit_status(first))
        }
    }
}

/// What the library writes, kept for a forced stop: the watch every study
/// is given with [`STOP`].
pub static WATCH: Watch = Watch;

/// The [`WriteWatch`] over this module's registry.
pub struct Watch;

impl WriteWatch for Watch {
    /// One temporary directory or file at a time: a command writes one
    /// directory, then, once it is published, the folder's index.
    fn writing(&self, temp: Option<&Path>) {
        lock().temp = temp.map(Path::to_path_buf);
    }

    /// Forced stops wait for the lock; once results are published the
    /// temporary directory is no longer this module's to remove, and a
    /// signal no longer makes the command fail.
    fn hold(&self, critical: &mut dyn FnMut() -> Option<PathBuf>) {
        let mut registry = lock();
        if let Some(published) = critical() {
            registry.temp = None;
            registry.published = Some(published);
        }
    }
}

fn lock() -> std::sync::MutexGuard<'static, Registry> {
    WRITING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
