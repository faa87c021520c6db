//! Writing an output directory atomically: every file goes into a hidden
//! temporary sibling, which is renamed into place only when complete. A
//! failed or interrupted run leaves the previous results untouched and no
//! half-written directory (the temporary one is removed on drop).

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};

/// An output directory being written.
pub struct OutputDir {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

impl OutputDir {
    /// Prepare to write `target`. Refuses, as bad input, a target that is a
    /// file or a parent that cannot be created or written.
    pub fn create(target: &Path) -> Result<OutputDir> {
        let bad = |message: String| Error::input(Diagnostic::new(message).key("--out"));
        if target.exists() && !target.is_dir() {
            return Err(bad(format!(
                "{} exists and is not a directory",
                target.display()
            )));
        }
        let name = target
            .file_name()
            .ok_or_else(|| bad(format!("{} does not name a directory", target.display())))?
            .to_string_lossy()
            .to_string();
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)
            .map_err(|e| bad(format!("cannot create {}: {e}", parent.display())))?;
        let temp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if temp.exists() {
            fs::remove_dir_all(&temp)
                .map_err(|e| bad(format!("cannot clear {}: {e}", temp.display())))?;
        }
        fs::create_dir(&temp)
            .map_err(|e| bad(format!("cannot write in {}: {e}", parent.display())))?;
        Ok(OutputDir {
            target: target.to_path_buf(),
            temp,
            committed: false,
        })
    }

    /// Where files are being written now.
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Where the directory will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Write `bytes` to `relative` (subdirectories are created).
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.temp.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io_failure(dir, e))?;
        }
        fs::write(&path, bytes).map_err(|e| io_failure(&path, e))
    }

    /// Move the finished directory into place, replacing what was there.
    pub fn commit(mut self) -> Result<PathBuf> {
        let old = self.temp.with_file_name(format!(
            "{}.old",
            self.temp
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        ));
        let had_previous = self.target.exists();
        if had_previous {
            fs::rename(&self.target, &old).map_err(|e| io_failure(&self.target, e))?;
        }
        if let Err(e) = fs::rename(&self.temp, &self.target) {
            if had_previous {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(io_failure(&self.target, e));
        }
        self.committed = true;
        if had_previous {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(self.target.clone())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

fn io_failure(path: &Path, error: std::io::Error) -> Error {
    Error::failure(format!("cannot write {}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_appears_until_commit_and_old_results_are_replaced() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out").join("study");
        let dir = OutputDir::create(&target).unwrap();
        dir.write("a.txt", b"one").unwrap();
        assert!(!target.exists());
        dir.commit().unwrap();
        assert_eq!(fs::read(target.join("a.txt")).unwrap(), b"one");
        let dir = OutputDir::create(&target).unwrap();
        dir.write("b.txt", b"two").unwrap();
        dir.commit().unwrap();
        assert!(!target.join("a.txt").exists());
        assert_eq!(
            fs::read_dir(root.path().join("out")).unwrap().count(),
            1,
            "no temporary left"
        );
    }

    #[test]
    fn an_abandoned_directory_leaves_nothing() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("study");
        {
            let dir = OutputDir::create(&target).unwrap();
            dir.write("plots/a.svg", b"x").unwrap();
        }
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_file_in_the_way_is_bad_input() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("taken");
        fs::write(&target, b"").unwrap();
        assert!(matches!(OutputDir::create(&target), Err(Error::Input(_))));
    }
}
