//! Publishing a finished study: every output file of guide §5 written into
//! an [`OutputDir`] and renamed into place. `run`, and later `merge`, end
//! here, so a study's files are the same whichever way it was computed.

use std::path::PathBuf;
use std::time::Instant;

use super::manifest::Manifest;
use super::{OutputDir, Summary, summary_csv};
use crate::error::Result;

/// What a study produced, ready to be written.
pub struct StudyResults {
    pub summary: Summary,
    /// Filled in by [`publish`]: `files` and `wall_seconds`.
    pub manifest: Manifest,
}

/// Write `summary.json`, `summary.csv` and `manifest.json` (plus whatever
/// the study already wrote into `out`, such as `runs.csv`), then move the
/// directory into place. `started` is when the command started.
pub fn publish(
    out: OutputDir,
    results: &mut StudyResults,
    already_written: &[&str],
    started: Instant,
) -> Result<PathBuf> {
    let mut files: Vec<String> = already_written.iter().map(|f| f.to_string()).collect();
    out.write("summary.json", results.summary.to_json().as_bytes())?;
    files.push("summary.json".into());
    out.write("summary.csv", &summary_csv::to_csv(&results.summary))?;
    files.push("summary.csv".into());
    files.push("manifest.json".into());
    results.manifest.files = files;
    results.manifest.wall_seconds = started.elapsed().as_secs_f64();
    out.write("manifest.json", results.manifest.to_json().as_bytes())?;
    out.commit()
}
