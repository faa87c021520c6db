//! Touching what an output folder holds without ever blocking, following a
//! link or colliding with another process.
//!
//! An output folder (`output/`, `--out`'s parent and its other studies) is
//! the user's: anything may appear in it, a FIFO named `manifest.json`, a
//! link in place of a listed file, a file without read permission. Every
//! file backchannel reads there is opened here, without blocking and
//! without following a link, and read only if it is a regular file of at
//! most a given size; anything else reads as "not ours". Temporary names
//! carry the host, the process and a random part, so that two processes
//! never pick the same one, even with the same PID in two containers.

use std::fs::{self, File, FileType, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use rustix::fs::OFlags;

use super::stopping::Stop;

/// The bytes of `path` if it is a regular file (not a link, FIFO, device or
/// directory) of at most `limit` bytes that we may read; `None` otherwise.
/// Never blocks: a FIFO is opened without waiting for a writer and refused.
pub fn read_regular(path: &Path, limit: u64) -> Option<Vec<u8>> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= limit).then_some(bytes)
}

/// `path` opened for reading if it is a regular file, never blocking and
/// never following a link.
pub fn open_regular(path: &Path) -> Option<File> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NONBLOCK | OFlags::NOFOLLOW).bits() as i32)
        .open(path)
        .ok()?;
    file.metadata().ok()?.is_file().then_some(file)
}

/// A name for a temporary sibling of `name`, unique across processes,
/// containers and hosts sharing a file system:
/// `.NAME.partial-HOST-PID-RANDOM`.
pub fn temp_name(name: &str) -> String {
    format!(
        ".{name}.partial-{}-{}-{:016x}",
        host_in_name(),
        std::process::id(),
        rand::random::<u64>()
    )
}

/// This host's name as it goes into a file name: letters, digits, `-` and
/// `.` only, at most 32 bytes.
fn host_in_name() -> String {
    let host: String = super::manifest::host_name()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
        .take(32)
        .collect();
    if host.is_empty() { "host".into() } else { host }
}

/// Write `bytes` into a new file beside `path` (a name no other process
/// uses, created only if nothing is there) and rename it over `path`, so a
/// reader never sees half a file; a forced stop removes the new file.
pub fn replace_file(path: &Path, bytes: &[u8], stop: Stop) -> std::io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = path.with_file_name(temp_name(&name));
    let mut file = File::options().write(true).create_new(true).open(&temp)?;
    stop.writing(Some(&temp));
    file.write_all(bytes)
        .and_then(|()| stop.finish(|| fs::rename(&temp, path)))
        .inspect_err(|_| {
            let _ = fs::remove_file(&temp);
            stop.writing(None);
        })
}

/// What an entry is, in words, for a message about something that is not
/// a regular file where one was expected.
pub fn kind_of(file_type: FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_dir() {
        "a directory"
    } else if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else {
        "a file"
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::time::{Duration, Instant};

    use super::*;

    fn mkfifo(path: &Path) {
        let made = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(made.success(), "mkfifo");
    }

    #[test]
    fn only_regular_files_are_read_and_nothing_blocks() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("manifest.json");
        fs::write(&file, b"{}").unwrap();
        assert_eq!(read_regular(&file, 2).as_deref(), Some(&b"{}"[..]));
        assert_eq!(read_regular(&file, 1), None, "larger than the limit");
        let fifo = root.path().join("fifo");
        mkfifo(&fifo);
        let link = root.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let started = Instant::now();
        for path in [&fifo, &link, &root.path().to_path_buf(), &"/dev/zero".into()] {
            assert_eq!(read_regular(path, 1 << 20), None, "{}", path.display());
        }
        assert!(started.elapsed() < Duration::from_secs(5), "nothing waits");
    }

    #[test]
    fn temporary_names_differ_in_one_process_and_stay_plain() {
        let a = temp_name("study");
        let b = temp_name("study");
        assert_ne!(a, b);
        assert!(a.starts_with(".study.partial-"), "{a}");
        assert!(!a.contains('/'), "{a}");
        assert!(a.contains(&format!("-{}-", std::process::id())), "{a}");
    }
}
