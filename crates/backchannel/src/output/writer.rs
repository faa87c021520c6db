//! Writing an output directory without ever losing a file.
//!
//! Every file goes into a hidden temporary sibling
//! (`.NAME.partial-HOST-PID-RANDOM`, unique across hosts and containers),
//! which is renamed into place only when complete: a failed or interrupted
//! command leaves the previous results untouched and nothing half-written.
//! What is at the target already decides whether it may be replaced:
//!
//! - nothing, or an empty directory: the results go there;
//! - backchannel's own results, recognised by their `manifest.json`, with
//!   nothing in the directory that the manifest does not list: replaced if
//!   they are of the same study ([`StudyKey`]), or of another study with
//!   `--replace`; the old files are then removed one by one, by name;
//! - anything else (a file, a symbolic link, a directory holding files
//!   backchannel did not write, the current directory, a directory holding
//!   one of the command's inputs): refused, as bad input, before any run.
//!
//! A process removes only the temporary directory it created. While it
//! writes, it holds a lock on the marker file inside (`flock`, released by
//! the kernel however the process ends), so a temporary directory whose
//! marker nobody holds belongs to a process that died (SIGKILL, an evicted
//! pod, power loss) and is removed by the next command writing to the same
//! place, whatever PIDs its container or host gives. Nothing in an output
//! folder is read with a blocking open (see [`super::tree`]).

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use rustix::fs::{FlockOperation, flock};

use serde::Deserialize;

use super::manifest;
use super::stopping::Stop;
use super::study_key::StudyKey;
use super::tree;
use crate::error::{Diagnostic, Error, Note, Result, setting, setting_value};

/// Marks a temporary directory as ours while it is being written; its
/// writer holds a lock on it and writes [`marker_line`] into it once locked.
const MARKER: &str = ".backchannel-writing";
/// The part of the target's name kept in a temporary sibling's name, so
/// that a long name still leaves room for the suffix.
const NAME_BYTES_IN_TEMP: usize = 100;
/// A manifest larger than this is not one of ours.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;
/// How many unexpected entries a refusal names.
const NAMED_ENTRIES: usize = 4;

/// Where a study's files go and what they may replace.
pub struct Destination<'a> {
    pub path: &'a Path,
    pub study: &'a StudyKey,
    /// `--replace`: the results of a different study may be replaced.
    pub replace: bool,
    /// Files the command reads (scenarios, observations, shards); the output
    /// directory must not hold any of them.
    pub inputs: &'a [PathBuf],
}

/// An output directory being written.
#[derive(Debug)]
pub struct OutputDir<'a> {
    target: PathBuf,
    temp: PathBuf,
    study: StudyKey,
    replace: bool,
    committed: bool,
    stop: Stop<'a>,
    /// The marker file, locked while this process writes `temp`.
    _marker: File,
}

/// Where the results went and what they replaced.
#[derive(Debug)]
pub struct Committed {
    /// The directory the results are in.
    pub path: PathBuf,
    /// The results it held before, when there were any.
    pub replaced: Option<Previous>,
    /// What the caller should tell the user besides: previous results kept
    /// aside, an index of the folder's studies that could not be updated.
    pub notes: Vec<String>,
}

impl Committed {
    /// One line for the screen about what was replaced, if anything was.
    pub fn replaced_note(&self) -> Option<Note> {
        let previous = self.replaced.as_ref()?;
        let runs = previous
            .runs
            .map(|r| format!(" ({r} runs)"))
            .unwrap_or_default();
        let asked = setting("replace");
        Some(Note::new(match &previous.study {
            Some(_) if !previous.other_study => {
                format!("Replaced the previous results of this study{runs}.")
            }
            Some(study) => format!(
                "Replaced, as {asked} asked, the results of {}{runs}.",
                study.describe()
            ),
            None if previous.files.is_empty() => return None,
            None => format!("Replaced, as {asked} asked, results of an unknown study{runs}."),
        }))
    }
}

/// The results a directory held before.
#[derive(Debug)]
pub struct Previous {
    /// Their study, as their `manifest.json` records it (none when it
    /// records none).
    pub study: Option<StudyKey>,
    /// Their runs, as their `manifest.json` records them.
    pub runs: Option<u64>,
    /// Whether they were of another study than the one replacing them.
    pub other_study: bool,
    files: Vec<String>,
}

/// The fields of an existing `manifest.json` that tell whose it is.
#[derive(Deserialize)]
struct ExistingManifest {
    schema: String,
    files: Vec<String>,
    #[serde(default)]
    study: Option<StudyKey>,
    #[serde(default)]
    runs: Option<u64>,
}

impl<'a> OutputDir<'a> {
    /// Prepare to write `destination` under `stop` (the study's cancel flag
    /// and its caller's watch), refusing as bad input (before any work is
    /// done) a target that must not be replaced.
    pub fn create(destination: &Destination, stop: Stop<'a>) -> Result<OutputDir<'a>> {
        let resolved = resolve_dots(destination.path);
        let target = resolved.as_path();
        let name = target.file_name().ok_or_else(|| {
            refuse(
                target,
                "does not name a directory",
                &format!("name a directory, e.g. {}", setting_value("out", "output/study")),
            )
        })?;
        check_not_an_input(target, destination.inputs)?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| {
            refuse(
                target,
                &format!("cannot be created: {e}"),
                "choose a directory you can write in",
            )
        })?;
        let short = short_name(&name.to_string_lossy());
        remove_stale_temporaries(&parent, &short);
        check_target(target, destination.study, destination.replace)?;
        let temp = parent.join(tree::temp_name(&short));
        let marker = create_temporary(&temp).map_err(|e| {
            Error::input(
                Diagnostic::new(format!("cannot write in {}: {e}", parent.display()))
                    .setting("out")
                    .help("choose a directory you can write in"),
            )
        })?;
        stop.writing(Some(&temp));
        Ok(OutputDir {
            target: target.to_path_buf(),
            stop,
            temp,
            study: destination.study.clone(),
            replace: destination.replace,
            committed: false,
            _marker: marker,
        })
    }

    /// The cancel flag and watch this directory is written under.
    pub fn stop(&self) -> Stop<'a> {
        self.stop
    }

    /// The directory the files will be renamed to.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Where files are being written now.
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Write `bytes` to `relative` (subdirectories are created).
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.temp.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io_failure(dir, e))?;
        }
        fs::write(&path, bytes).map_err(|e| io_failure(&path, e))
    }

    /// Write `manifest.json`, recording which study these results are of.
    pub fn write_manifest(&self, manifest: &mut manifest::Manifest) -> Result<()> {
        manifest.study = Some(self.study.clone());
        self.write("manifest.json", manifest.to_json().as_bytes())
    }

    /// Move the finished directory into place, replacing what may be
    /// replaced (checked again: something may have appeared meanwhile).
    /// Nothing is published once a stop was requested.
    pub fn commit(mut self) -> Result<Committed> {
        let committed = self
            .stop
            .publish(&self.target, || self.move_into_place())
            .ok_or(Error::Interrupted)??;
        self.committed = true;
        Ok(committed)
    }

    fn move_into_place(&self) -> Result<Committed> {
        let previous = check_target(&self.target, &self.study, self.replace)?;
        fs::remove_file(self.temp.join(MARKER)).map_err(|e| io_failure(&self.temp, e))?;
        let Some(previous) = previous else {
            fs::rename(&self.temp, &self.target).map_err(|e| io_failure(&self.target, e))?;
            return Ok(Committed {
                path: self.target.clone(),
                replaced: None,
                notes: Vec::new(),
            });
        };
        let old = self.temp.with_file_name(
            self.temp
                .file_name()
                .map(|n| n.to_string_lossy().replace(".partial-", ".old-"))
                .unwrap_or_default(),
        );
        fs::rename(&self.target, &old).map_err(|e| io_failure(&self.target, e))?;
        if let Err(e) = fs::rename(&self.temp, &self.target) {
            let _ = fs::rename(&old, &self.target);
            return Err(io_failure(&self.target, e));
        }
        let mut notes = Vec::new();
        if !remove_listed(&old, &previous.files) {
            notes.push(format!(
                "warning: kept the previous results in {}: something not written by backchannel appeared there",
                old.display()
            ));
        }
        Ok(Committed {
            path: self.target.clone(),
            replaced: Some(previous),
            notes,
        })
    }
}

impl Drop for OutputDir<'_> {
    /// Remove the temporary directory this process created, unless it was
    /// published (an `OutputDir` exists only once its directory is made).
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
            self.stop.writing(None);
        }
    }
}

/// What `target` holds now, if `study` may replace it; `None` when there
/// is nothing there.
fn check_target(target: &Path, study: &StudyKey, replace: bool) -> Result<Option<Previous>> {
    let Some(mut previous) = inspect(target)? else {
        return Ok(None);
    };
    let empty = previous.study.is_none() && previous.files.is_empty();
    previous.other_study = !empty && previous.study.as_ref() != Some(study);
    if previous.other_study && !replace {
        let whose = match &previous.study {
            Some(other) => format!("the results of {}", other.describe()),
            None => "results of an unknown study (written by an older backchannel)".into(),
        };
        return Err(refuse(
            target,
            &format!(
                "holds {whose}, not of this study ({}); not replacing them",
                study.describe()
            ),
            &format!(
                "choose another {}, or pass {} to replace those results",
                setting("out"),
                setting("replace")
            ),
        ));
    }
    Ok(Some(previous))
}

/// Refuse an output directory that is, or holds, the current directory or
/// one of the command's inputs: replacing it would lose them.
fn check_not_an_input(target: &Path, inputs: &[PathBuf]) -> Result<()> {
    let Some(target_full) = full_path(target) else {
        return Ok(());
    };
    if let Ok(cwd) = std::env::current_dir()
        && cwd.starts_with(&target_full)
    {
        return Err(refuse(
            target,
            "is, or holds, the current directory",
            &format!(
                "name a new directory for the results, e.g. {}",
                setting_value("out", "output/study")
            ),
        ));
    }
    for input in inputs {
        if let Ok(input_full) = fs::canonicalize(input)
            && input_full.starts_with(&target_full)
        {
            return Err(refuse(
                target,
                &format!("holds {}, which this command reads", input.display()),
                "write the results to a directory of their own",
            ));
        }
    }
    Ok(())
}

/// `.`, `..` and paths ending in them name the directory they resolve to.
fn resolve_dots(path: &Path) -> PathBuf {
    match path.file_name() {
        Some(_) => path.to_path_buf(),
        None => fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// The full path `target` has or would have (its parent resolved), if its
/// parent exists.
fn full_path(target: &Path) -> Option<PathBuf> {
    if let Ok(full) = fs::canonicalize(target) {
        return Some(full);
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(parent).ok()?.join(target.file_name()?))
}

/// What is at `target`: nothing (`None`), an empty directory, or
/// backchannel's own results and nothing else; anything else is refused.
fn inspect(target: &Path) -> Result<Option<Previous>> {
    let metadata = match fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(refuse(
                target,
                &format!("cannot be read: {e}"),
                &format!("choose another {}", setting("out")),
            ));
        }
    };
    if metadata.file_type().is_symlink() {
        return Err(refuse(
            target,
            "is a symbolic link",
            "name the directory itself, or a new one",
        ));
    }
    if !metadata.is_dir() {
        return Err(refuse(
            target,
            "exists and is not a directory",
            &format!("choose another {}", setting("out")),
        ));
    }
    let manifest = read_manifest(target);
    let listed: HashSet<&str> = manifest
        .iter()
        .flat_map(|m| m.files.iter().map(String::as_str))
        .collect();
    let (unexpected, more) = unlisted_entries(target, &listed);
    if !unexpected.is_empty() {
        let shown = unexpected.join(", ") + if more { ", …" } else { "" };
        let why = if manifest.is_some() {
            format!("holds entries that are not the files its manifest.json lists ({shown})")
        } else {
            format!("holds files backchannel did not write ({shown})")
        };
        return Err(refuse(
            target,
            &format!("{why}; replacing it would delete them"),
            &format!(
                "choose another {} (a new directory), or move those files out",
                setting("out")
            ),
        ));
    }
    Ok(Some(match manifest {
        Some(m) => Previous {
            study: m.study,
            runs: m.runs,
            other_study: false,
            files: m.files,
        },
        None => Previous {
            study: None,
            runs: None,
            other_study: false,
            files: Vec::new(),
        },
    }))
}

/// `dir/manifest.json`, if it is one of ours and lists only plain relative
/// paths (so that removing what it lists never reaches outside `dir`).
fn read_manifest(dir: &Path) -> Option<ExistingManifest> {
    let bytes = tree::read_regular(&dir.join("manifest.json"), MAX_MANIFEST_BYTES)?;
    let manifest: ExistingManifest = serde_json::from_slice(&bytes).ok()?;
    let plain = |f: &String| {
        !f.is_empty()
            && Path::new(f)
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
    };
    let ours = manifest.schema.starts_with(manifest::SCHEMA_FAMILY)
        && manifest.files.iter().all(plain)
        && manifest.files.iter().any(|f| f == "manifest.json");
    ours.then_some(manifest)
}

/// Entries under `dir` that are not listed files, nor directories holding
/// listed files: the first few, and whether there are more. A listed name
/// that is not a regular file (a symbolic link, a FIFO, a directory) is
/// named with what it is. The walk is bounded by the number of listed files.
fn unlisted_entries(dir: &Path, listed: &HashSet<&str>) -> (Vec<String>, bool) {
    let folders: HashSet<String> = listed
        .iter()
        .flat_map(|f| {
            Path::new(f)
                .ancestors()
                .skip(1)
                .filter(|a| !a.as_os_str().is_empty())
                .map(|a| a.to_string_lossy().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let mut unexpected = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let Ok(entries) = fs::read_dir(dir.join(&relative)) else {
            unexpected.push(relative.display().to_string());
            continue;
        };
        for entry in entries.flatten() {
            let path = relative.join(entry.file_name());
            let shown = path.to_string_lossy().to_string();
            let kind = entry.file_type().ok();
            let is_listed = listed.contains(shown.as_str());
            if kind.is_some_and(|k| k.is_dir()) && folders.contains(&shown) {
                pending.push(path);
            } else if !(kind.is_some_and(|k| k.is_file()) && is_listed) {
                if unexpected.len() == NAMED_ENTRIES {
                    return (unexpected, true);
                }
                unexpected.push(match kind {
                    Some(kind) if is_listed => {
                        format!("{shown}, {} where a file is listed", tree::kind_of(kind))
                    }
                    Some(kind) if !kind.is_file() => format!("{shown}, {}", tree::kind_of(kind)),
                    _ => shown,
                });
            }
        }
    }
    (unexpected, false)
}

/// Remove the listed files of a replaced directory, then its folders once
/// empty; `false` if something else is left (then the directory is kept).
fn remove_listed(dir: &Path, files: &[String]) -> bool {
    for file in files {
        let _ = fs::remove_file(dir.join(file));
    }
    let mut folders: Vec<PathBuf> = files
        .iter()
        .flat_map(|f| Path::new(f).ancestors().skip(1).map(Path::to_path_buf))
        .filter(|a| !a.as_os_str().is_empty())
        .collect();
    folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    folders.dedup();
    for folder in folders {
        let _ = fs::remove_dir(dir.join(folder));
    }
    fs::remove_dir(dir).is_ok()
}

/// A name cut to [`NAME_BYTES_IN_TEMP`] bytes on a character boundary.
fn short_name(name: &str) -> String {
    let mut cut = name.len().min(NAME_BYTES_IN_TEMP);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    name[..cut].to_string()
}

/// Make the temporary directory `temp` and its marker, locked, with
/// [`marker_line`] written once the lock is held: the marker as this
/// process holds it while writing. Fails (creating nothing more) if `temp`
/// exists.
fn create_temporary(temp: &Path) -> std::io::Result<File> {
    fs::create_dir(temp)?;
    let marked = (|| {
        let mut marker = File::options()
            .write(true)
            .create_new(true)
            .open(temp.join(MARKER))?;
        flock(&marker, FlockOperation::NonBlockingLockExclusive)?;
        marker.write_all(marker_line().as_bytes())?;
        Ok(marker)
    })();
    if marked.is_err() {
        // Ours: made just now.
        let _ = fs::remove_dir_all(temp);
    }
    marked
}

/// What a writer puts in its marker once it holds the lock: who it is, for
/// a person looking, ending in a newline, which tells a complete marker.
fn marker_line() -> String {
    format!(
        "backchannel {} on {}, process {}\n",
        env!("CARGO_PKG_VERSION"),
        super::manifest::host_name(),
        std::process::id()
    )
}

/// Remove the `.SHORT.partial-*` directories in `parent` whose writer is
/// gone: they carry our marker, complete, and nobody holds its lock. A
/// marker still empty may be a writer between creating and locking it, and
/// is left alone, as is anything without our marker.
fn remove_stale_temporaries(parent: &Path, short: &str) {
    let prefix = format!(".{short}.partial-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let ours = entry.file_name().to_string_lossy().starts_with(&prefix)
            && entry.file_type().is_ok_and(|t| t.is_dir());
        if ours && abandoned(&entry.path()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether the temporary directory `temp` was left by a writer that is
/// gone: its marker is complete and its lock free (taking the lock here
/// keeps a writer from starting on it meanwhile; it is released when the
/// marker is closed, after the removal).
fn abandoned(temp: &Path) -> bool {
    let Some(marker) = tree::open_regular(&temp.join(MARKER)) else {
        return false;
    };
    if flock(&marker, FlockOperation::NonBlockingLockExclusive).is_err() {
        return false;
    }
    let mut line = String::new();
    (&marker)
        .take(1024)
        .read_to_string(&mut line)
        .is_ok_and(|_| line.starts_with("backchannel ") && line.ends_with('\n'))
}

fn refuse(target: &Path, problem: &str, help: &str) -> Error {
    Error::input(
        Diagnostic::new(format!("{} {problem}", target.display()))
            .setting("out")
            .help(help),
    )
}

fn io_failure(path: &Path, error: std::io::Error) -> Error {
    Error::failed(format!("cannot write {}", path.display()), error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(command: &str) -> StudyKey {
        StudyKey::new(command, &["minimal"])
    }

    fn create(target: &Path, study: &StudyKey, replace: bool) -> Result<OutputDir<'static>> {
        OutputDir::create(&Destination {
            path: target,
            study,
            replace,
            inputs: &[],
            },
            Stop::default(),
        )
    }

    /// Write `files` and a manifest listing them, as a study would.
    fn study(target: &Path, study: &StudyKey, files: &[&str]) -> Result<Committed> {
        let dir = create(target, study, false)?;
        for f in files {
            dir.write(f, b"x")?;
        }
        let mut listed: Vec<&str> = files.to_vec();
        listed.push("manifest.json");
        let manifest = serde_json::json!({
            "schema": manifest::SCHEMA, "files": listed, "study": study, "runs": 10
        });
        dir.write("manifest.json", manifest.to_string().as_bytes())?;
        dir.commit()
    }

    #[test]
    fn nothing_appears_until_commit_and_the_same_study_is_replaced() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out").join("study");
        let dir = create(&target, &key("run"), false).unwrap();
        dir.write("a.txt", b"one").unwrap();
        assert!(!target.exists());
        drop(dir);
        let first = study(&target, &key("run"), &["a.txt", "plots/p.svg"]).unwrap();
        assert!(first.replaced.is_none());
        let second = study(&target, &key("run"), &["b.txt"]).unwrap();
        assert!(
            second
                .replaced_note()
                .unwrap()
                .to_string()
                .contains("this study (10 runs)")
        );
        assert!(!target.join("a.txt").exists() && !target.join("plots").exists());
        assert!(target.join("b.txt").exists());
        assert_eq!(
            fs::read_dir(root.path().join("out")).unwrap().count(),
            1,
            "no temporary left"
        );
    }

    #[test]
    fn a_directory_with_other_files_is_never_replaced() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("keep");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("thesis.txt"), b"precious").unwrap();
        let error = study(&target, &key("run"), &["a.txt"]).unwrap_err();
        assert!(error.to_string().contains("thesis.txt"), "{error}");
        assert_eq!(fs::read(target.join("thesis.txt")).unwrap(), b"precious");
        // Not even our own results with a stranger among them.
        let ours = root.path().join("ours");
        study(&ours, &key("run"), &["a.txt"]).unwrap();
        fs::write(ours.join("notes.md"), b"mine").unwrap();
        let error = study(&ours, &key("run"), &["a.txt"]).unwrap_err();
        assert!(error.to_string().contains("notes.md"), "{error}");
        assert!(ours.join("notes.md").exists() && ours.join("a.txt").exists());
        assert_eq!(
            fs::read_dir(root.path()).unwrap().count(),
            2,
            "no temporary left"
        );
    }

    #[test]
    fn another_study_is_replaced_only_when_asked() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("study");
        study(&target, &key("run"), &["a.txt"]).unwrap();
        let other = key("run").with_sets(&["format.mode=direct".into()]);
        let error = study(&target, &other, &["b.txt"]).unwrap_err();
        assert!(error.to_string().contains("`replace`"), "{error}");
        assert!(target.join("a.txt").exists());
        let dir = create(&target, &other, true).unwrap();
        dir.write("manifest.json", b"{}").unwrap();
        let committed = dir.commit().unwrap();
        let note = committed.replaced_note().unwrap();
        let words = crate::output::words::CommandLineWords;
        assert!(note.in_words(&words).contains("as --replace asked"), "{note}");
        assert!(!target.join("a.txt").exists());
    }

    #[test]
    fn a_manifest_reaching_outside_is_not_ours() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("study");
        fs::create_dir(&target).unwrap();
        fs::write(root.path().join("victim"), b"v").unwrap();
        let manifest = serde_json::json!({
            "schema": manifest::SCHEMA, "files": ["../victim", "manifest.json"]
        });
        fs::write(target.join("manifest.json"), manifest.to_string()).unwrap();
        assert!(create(&target, &key("run"), true).is_err());
        assert!(root.path().join("victim").exists());
    }

    #[test]
    fn empty_directories_are_used_and_links_and_files_refused() {
        let root = tempfile::tempdir().unwrap();
        let empty = root.path().join("empty");
        fs::create_dir(&empty).unwrap();
        study(&empty, &key("run"), &["a.txt"]).unwrap();
        assert!(empty.join("a.txt").exists());
        let file = root.path().join("file");
        fs::write(&file, b"").unwrap();
        assert!(matches!(
            create(&file, &key("run"), true),
            Err(Error::Input(_))
        ));
        let link = root.path().join("link");
        std::os::unix::fs::symlink(&empty, &link).unwrap();
        assert!(matches!(
            create(&link, &key("run"), true),
            Err(Error::Input(_))
        ));
    }

    #[test]
    fn inputs_and_the_current_directory_are_protected() {
        let root = tempfile::tempdir().unwrap();
        let scenario = root.path().join("s.toml");
        fs::write(&scenario, b"").unwrap();
        let inputs = [scenario];
        let error = OutputDir::create(&Destination {
            path: root.path(),
            study: &key("run"),
            replace: true,
            inputs: &inputs,
            },
            Stop::default(),
        )
        .err()
        .unwrap();
        assert!(error.to_string().contains("s.toml"), "{error}");
        let cwd = std::env::current_dir().unwrap();
        assert!(create(&cwd, &key("run"), true).is_err());
        assert!(create(cwd.parent().unwrap(), &key("run"), true).is_err());
    }

    #[test]
    fn long_names_are_cut_in_temporary_names() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("x".repeat(250));
        study(&target, &key("run"), &["a.txt"]).unwrap();
        assert!(target.join("a.txt").exists());
    }

    /// A temporary directory as a writer leaves it: our marker, with
    /// `line` written into it.
    fn leftover(parent: &Path, name: &str, line: &str) -> PathBuf {
        let temp = parent.join(name);
        fs::create_dir(&temp).unwrap();
        fs::write(temp.join(MARKER), line).unwrap();
        fs::write(temp.join("summary.json"), b"{}").unwrap();
        temp
    }

    /// A killed writer's directory is removed whatever PID it names (PID 1
    /// is alive in every container, and this test's own PID is alive
    /// here); a live writer's, whose marker is locked, is left alone and
    /// does not stop another writer; so are a marker still being written
    /// and a directory without our marker.
    #[test]
    fn only_directories_of_writers_that_are_gone_are_removed() {
        let root = tempfile::tempdir().unwrap();
        let line = |pid: u32| format!("backchannel 0 on elsewhere, process {pid}\n");
        let killed_pid_1 = leftover(root.path(), ".s.partial-pod-1-00", &line(1));
        let killed_here = leftover(
            root.path(),
            &format!(".s.partial-pod-{}-01", std::process::id()),
            &line(std::process::id()),
        );
        let live = leftover(root.path(), ".s.partial-pod-1-02", &line(1));
        let holder = File::open(live.join(MARKER)).unwrap();
        flock(&holder, FlockOperation::NonBlockingLockExclusive).unwrap();
        let starting = leftover(root.path(), ".s.partial-pod-1-03", "");
        let foreign = root.path().join(".s.partial-pod-1-04");
        fs::create_dir(&foreign).unwrap();
        let other_study = leftover(root.path(), ".t.partial-pod-1-05", &line(1));

        study(&root.path().join("s"), &key("run"), &["a.txt"]).unwrap();
        assert!(root.path().join("s/a.txt").exists(), "not blocked");
        assert!(!killed_pid_1.exists() && !killed_here.exists());
        assert!(live.join("summary.json").exists(), "a live writer's work");
        assert!(starting.exists() && foreign.exists() && other_study.exists());
        drop(holder);
        study(&root.path().join("s"), &key("run"), &["b.txt"]).unwrap();
        assert!(!live.exists(), "removed once its writer is gone");
    }

    /// A process that could not make its temporary directory (it exists)
    /// removes nothing: the directory is another's.
    #[test]
    fn a_failed_creation_removes_nothing() {
        let root = tempfile::tempdir().unwrap();
        let temp = leftover(root.path(), ".s.partial-x", "");
        assert!(create_temporary(&temp).is_err());
        assert!(temp.join("summary.json").exists());
    }

    /// A listed file replaced by a link or a FIFO is called what it is.
    #[test]
    fn a_listed_name_that_is_not_a_file_is_named_as_such() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("study");
        study(&target, &key("run"), &["a.txt", "b.txt"]).unwrap();
        fs::remove_file(target.join("a.txt")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", target.join("a.txt")).unwrap();
        let error = create(&target, &key("run"), false).err().unwrap().to_string();
        assert!(
            error.contains("a.txt, a symbolic link where a file is listed"),
            "{error}"
        );
        assert!(!error.contains("not listed"), "{error}");
    }
}
