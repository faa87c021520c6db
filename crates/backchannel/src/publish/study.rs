//! Publishing a finished forecast: every output file of docs/OUTPUTS.md
//! (the exporters of `output`, the plots and page of `report`) written into
//! an [`OutputDir`] and renamed into place. `run` and `merge` end here, so a
//! study's files are the same whichever way it was computed; every other
//! study ends in [`commit`].

use std::time::Instant;

use crate::error::{Error, Result};
use crate::output::manifest::Manifest;
use crate::output::writer::Committed;
use crate::output::{OutputDir, summary_csv};
use crate::report::{index, render};
use crate::study::StudyResults;

/// Write `summary.json`, `summary.csv`, the plots and `report.html` (unless
/// `plots` is off) and `manifest.json` (plus whatever the study already
/// wrote into `out`, such as `runs.csv`), then move the directory into
/// place. `started` is when the command started.
pub(super) fn publish(
    out: OutputDir<'_>,
    results: &mut StudyResults,
    already_written: &[&str],
    plots: bool,
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
    if plots {
        let plot_start = Instant::now();
        for file in render(&results.summary, &results.scenario).map_err(Error::failure)? {
            out.write(&file.path, &file.bytes)?;
            files.push(file.path);
        }
        results.manifest.plot_seconds = plot_start.elapsed().as_secs_f64();
    }
    commit(out, files, &mut results.manifest, started)
}

/// How every command that writes results with a page ends: `files`
/// committed ([`commit_files`]), then the folder's index of studies
/// updated.
pub(super) fn commit(
    out: OutputDir<'_>,
    files: Vec<String>,
    manifest: &mut Manifest,
    started: Instant,
) -> Result<Committed> {
    let stop = out.stop();
    let mut committed = commit_files(out, files, manifest, started)?;
    committed.notes.extend(index::update(&committed.path, stop));
    Ok(committed)
}

/// `manifest.json` (listing `files`, which are already written, and
/// itself) written, and the directory moved into place in one rename.
pub(super) fn commit_files(
    out: OutputDir<'_>,
    mut files: Vec<String>,
    manifest: &mut Manifest,
    started: Instant,
) -> Result<Committed> {
    files.push("manifest.json".into());
    manifest.files = files;
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    out.write_manifest(manifest)?;
    out.commit()
}
