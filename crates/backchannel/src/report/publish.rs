//! Publishing a finished study: every output file of docs/OUTPUTS.md (the
//! exporters of `output` and the plots and page of this module) written into
//! an [`OutputDir`] and renamed into place. `run` and `merge` end here, so a
//! study's files are the same whichever way it was computed.

use std::time::Instant;

use super::ScenarioInfo;
use crate::error::{Error, Result};
use crate::output::manifest::Manifest;
use crate::output::writer::Committed;
use crate::output::{OutputDir, Summary, summary_csv};

/// What a study produced, ready to be written.
#[derive(Debug, Clone)]
pub struct StudyResults {
    /// `summary.json`.
    pub summary: Summary,
    /// Its `files`, `plot_seconds` and `wall_seconds` are filled in when
    /// the files are written ([`Study::write_to`](crate::Study::write_to)).
    pub manifest: Manifest,
    /// What the plots and `report.html` show besides the summary.
    pub(crate) scenario: ScenarioInfo,
    /// Whether to write `plots/` and `report.html` (off with `--no-plots`).
    pub plots: bool,
    /// `worlds.csv`, for a study with judged inputs.
    pub worlds_csv: Option<String>,
    /// What writing the files noted for the user, filled in by
    /// [`Study::write_to`](crate::Study::write_to): previous results kept
    /// aside, the folder's index of studies not updated.
    pub notes: Vec<String>,
}

/// Write `summary.json`, `summary.csv`, the plots and `report.html` (unless
/// `plots` is off) and `manifest.json` (plus whatever the study already
/// wrote into `out`, such as `runs.csv`), then move the directory into
/// place. `started` is when the command started.
pub fn publish(
    out: OutputDir<'_>,
    results: &mut StudyResults,
    already_written: &[&str],
    started: Instant,
) -> Result<Committed> {
    let mut files: Vec<String> = already_written.iter().map(|f| f.to_string()).collect();
    out.write("summary.json", results.summary.to_json().as_bytes())?;
    files.push("summary.json".into());
    out.write("summary.csv", &summary_csv::to_csv(&results.summary))?;
    files.push("summary.csv".into());
    if let Some(text) = &results.worlds_csv {
        out.write("worlds.csv", text.as_bytes())?;
        files.push("worlds.csv".into());
    }
    if results.plots {
        let plot_start = Instant::now();
        for file in super::render(&results.summary, &results.scenario).map_err(Error::failure)? {
            out.write(&file.path, &file.bytes)?;
            files.push(file.path);
        }
        results.manifest.plot_seconds = plot_start.elapsed().as_secs_f64();
    }
    commit(out, files, &mut results.manifest, started)
}

/// How every command that writes results ends: `manifest.json` (listing
/// `files`, which are already written, and itself), the directory moved
/// into place in one rename, and the folder's index of studies updated.
pub fn commit(
    out: OutputDir<'_>,
    mut files: Vec<String>,
    manifest: &mut Manifest,
    started: Instant,
) -> Result<Committed> {
    files.push("manifest.json".into());
    manifest.files = files;
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    out.write_manifest(manifest)?;
    let stop = out.stop();
    let mut committed = out.commit()?;
    committed
        .notes
        .extend(super::index::update(&committed.path, stop));
    Ok(committed)
}
