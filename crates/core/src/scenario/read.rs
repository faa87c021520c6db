//! Reading a file the user named (a scenario, a `--given` observations
//! file, a shard's `partial.json`), bounded in size and in waiting.
//!
//! A size on file metadata is not enough: `/dev/zero`, a pipe or a FIFO
//! report no size, so at most `limit + 1` bytes are read whatever the file
//! says. Pipes are welcome (`validate /dev/stdin`, `run <(generate)`), but
//! a FIFO nobody writes to would block forever: it is opened without
//! blocking, and given up on after [`PIPE_PATIENCE`] with nothing to read.

use std::fs::{File, OpenOptions};
use std::io::{self, ErrorKind, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::fs::OFlags;
use rustix::io::Errno;

use crate::error::{Diagnostic, Error, Result};

/// How long a pipe, FIFO or device may keep us waiting for its next bytes.
pub const PIPE_PATIENCE: Duration = Duration::from_secs(5);

/// The text of `path`, which the user gave as `what` ("a scenario file"):
/// at most `limit` bytes of UTF-8, or an input error (exit status 2) naming
/// the file.
pub fn read_text(path: &Path, what: &str, limit: u64) -> Result<String> {
    read_text_waiting(path, what, limit, PIPE_PATIENCE)
}

/// [`read_text`], waiting at most `patience` for a pipe's next bytes (tests
/// wait less than [`PIPE_PATIENCE`]).
fn read_text_waiting(path: &Path, what: &str, limit: u64, patience: Duration) -> Result<String> {
    let shown = path.display().to_string();
    let located = |message: String| Diagnostic::new(message).origin(shown.clone());
    let fail = |message: String| Error::input(located(message));
    let cannot = |e: io::Error| fail(format!("cannot read {shown}: {e}"));
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(cannot)?;
    let metadata = file.metadata().map_err(cannot)?;
    if metadata.is_dir() {
        return Err(fail(format!("{shown} is a directory, not {what}")));
    }
    let mut bytes = Vec::new();
    let read = if metadata.is_file() {
        // Regular files never block; only their size needs a bound.
        (&file).take(limit + 1).read_to_end(&mut bytes).map(drop)
    } else {
        read_patiently(&file, limit + 1, patience, &mut bytes)
    };
    match read {
        Err(e) if e.kind() == ErrorKind::TimedOut => {
            return Err(Error::input(
                located(format!(
                    "nothing to read from {shown} after {} s",
                    patience.as_secs_f64()
                ))
                .help("a FIFO needs a writer: start the program that writes to it first"),
            ));
        }
        Err(e) => return Err(cannot(e)),
        Ok(()) if bytes.len() as u64 > limit => {
            return Err(fail(format!(
                "{shown} is larger than {limit} bytes: {what} may be at most {limit} bytes"
            )));
        }
        Ok(()) => {}
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        fail(format!(
            "{shown} is not valid UTF-8 (line {line}, byte {offset})"
        ))
    })
}

/// Read a non-blocking pipe, FIFO or device until its end or `limit`
/// bytes, waiting at most `patience` for each next piece; a `TimedOut`
/// error when it stays silent that long.
fn read_patiently(
    file: &File,
    limit: u64,
    patience: Duration,
    bytes: &mut Vec<u8>,
) -> io::Result<()> {
    let patience = Timespec::try_from(patience).expect("a few seconds fit a timespec");
    let mut chunk = vec![0; 64 * 1024];
    while (bytes.len() as u64) < limit {
        // Linux reports a FIFO readable once a writer has written or left,
        // not before one ever opened it: this waits for the writer.
        match poll(&mut [PollFd::new(file, PollFlags::IN)], Some(&patience)) {
            Ok(0) => return Err(ErrorKind::TimedOut.into()),
            // A signal: wait on (a stopping one ends the command shortly);
            // reading now would take a FIFO with no writer yet for empty.
            Err(Errno::INTR) => continue,
            Ok(_) => {}
            Err(e) => return Err(e.into()),
        }
        let wanted = chunk.len().min((limit - bytes.len() as u64) as usize);
        match (&*file).read(&mut chunk[..wanted]) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A FIFO nobody writes to is given up on after the patience, not
    /// waited on forever (the wait is only a guard against a hang); the
    /// message names the file and the wait. The binary waits
    /// [`PIPE_PATIENCE`]; this waits a fraction of a second.
    #[test]
    fn a_fifo_without_a_writer_is_refused() {
        let scratch = tempfile::tempdir().unwrap();
        let fifo = scratch.path().join("silent.toml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let patience = Duration::from_millis(250);
        let error = read_text_waiting(&fifo, "a scenario file", 100, patience).unwrap_err();
        assert!(matches!(error, Error::Input(_)), "{error}");
        let text = error.to_string();
        assert!(text.contains("nothing to read from"), "{text}");
        assert!(text.contains("silent.toml after 0.25 s"), "{text}");
        assert!(text.contains("a FIFO needs a writer"), "{text}");
    }

    /// The binary's wait reads as whole seconds.
    #[test]
    fn the_patience_is_stated_in_seconds() {
        assert_eq!(format!("{} s", PIPE_PATIENCE.as_secs_f64()), "5 s");
    }
}
