//! Printing to stdout and stderr, where the reader may be gone.
//!
//! `backchannel run … | head -1` closes the pipe after one line; the rest
//! of the text has nowhere to go. That is not a failure of the command (its
//! results are written): the text is dropped quietly and the command ends
//! as it would have. Any other error writing stdout (a full disk under
//! `> file`) is kept, and the command line reports it once it ends.
//! Writing to stderr can only be attempted: there is nowhere to report its
//! failure. Every line the binary prints goes through [`outln!`], [`out!`]
//! or [`errln!`]; `print!` and friends would panic on a closed pipe.

use std::fmt;
use std::io::{self, ErrorKind, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once stdout could not be written: nothing more is tried.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);

/// The first error writing stdout other than a closed pipe.
static STDOUT_ERROR: Mutex<Option<String>> = Mutex::new(None);

/// Write `args` to stdout, dropping them once the reader is gone.
pub fn print_out(args: fmt::Arguments) {
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        STDOUT_GONE.store(true, Ordering::Relaxed);
        if e.kind() != ErrorKind::BrokenPipe {
            let mut first = STDOUT_ERROR.lock().unwrap_or_else(|p| p.into_inner());
            first.get_or_insert_with(|| e.to_string());
        }
    }
}

/// Write `args` to stderr, if it can be written.
pub fn print_err(args: fmt::Arguments) {
    let _ = io::stderr().lock().write_fmt(args);
}

/// Whether stdout still takes text (false once its reader is gone).
pub fn stdout_open() -> bool {
    !STDOUT_GONE.load(Ordering::Relaxed)
}

/// The error that stopped stdout, unless it was only a closed pipe.
pub fn stdout_error() -> Option<String> {
    STDOUT_ERROR
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
}

/// `print!` that neither panics nor fails on a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => { $crate::console::print_out(format_args!($($arg)*)) };
}

/// `println!` that neither panics nor fails on a closed pipe.
macro_rules! outln {
    () => { $crate::console::print_out(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::console::print_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` that never panics.
macro_rules! errln {
    () => { $crate::console::print_err(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::console::print_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, out, outln};
