//! Publishing an experiment (`compare`, `sweep`, `sensitivity`,
//! `indicators`, `discover`): its tables, then its charts and page unless
//! plots are off, then the manifest and the rename into place by
//! [`commit`], the end every command shares.

use std::time::Instant;

use super::study::commit;
use crate::error::{Error, Result};
use crate::output::OutputDir;
use crate::output::manifest::Manifest;
use crate::output::writer::Committed;
use crate::report::charts::{ChartFiles, WrittenChart};

/// Builds the charts of an experiment (only when plots are written).
pub type MakeCharts<'a> = Box<dyn FnOnce() -> Vec<Box<dyn ChartFiles>> + 'a>;

/// Builds the page of an experiment from its charts as written.
pub type MakePage<'a> = Box<dyn FnOnce(&[WrittenChart]) -> String + 'a>;

/// A table an experiment writes as it is.
#[non_exhaustive]
pub struct ExperimentTable {
    /// Its file name (`comparison.csv`).
    pub name: &'static str,
    /// Its contents.
    pub bytes: Vec<u8>,
}

impl ExperimentTable {
    /// The table `name` holding `bytes`.
    pub fn new(name: &'static str, bytes: impl Into<Vec<u8>>) -> ExperimentTable {
        ExperimentTable {
            name,
            bytes: bytes.into(),
        }
    }
}

impl std::fmt::Debug for ExperimentTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExperimentTable")
            .field("name", &self.name)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// An experiment's page: its file name and how to build it from the
/// charts as written.
#[non_exhaustive]
pub struct ExperimentPage<'a> {
    /// Its file name (`comparison.html`).
    pub name: &'static str,
    /// Builds it.
    pub make: MakePage<'a>,
}

impl<'a> ExperimentPage<'a> {
    /// The page `name`, built by `make`.
    pub fn new(name: &'static str, make: MakePage<'a>) -> ExperimentPage<'a> {
        ExperimentPage { name, make }
    }
}

impl std::fmt::Debug for ExperimentPage<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExperimentPage")
            .field("name", &self.name)
            .finish()
    }
}

/// What an experiment writes, in the order its manifest lists it.
pub struct ExperimentFiles<'a> {
    /// Each table's file name and bytes, written as they are.
    pub tables: Vec<ExperimentTable>,
    /// The charts, rendered into `plots/` as SVG and PNG.
    pub charts: MakeCharts<'a>,
    /// The page's file name and how to build it, if the experiment has one.
    pub page: Option<ExperimentPage<'a>>,
    /// `manifest.json`, completed with the files and the time taken.
    pub manifest: Manifest,
}

/// Write `files` into `out` (no charts and no page without `plots`: a page
/// without its charts would only look broken) and commit them; `started`
/// is when the command started.
pub(crate) fn publish_experiment(
    out: OutputDir,
    files: ExperimentFiles<'_>,
    plots: bool,
    started: Instant,
) -> Result<Committed> {
    let ExperimentFiles {
        tables,
        charts,
        page,
        mut manifest,
    } = files;
    let mut written = Vec::new();
    for ExperimentTable { name, bytes } in tables {
        out.write(name, &bytes)?;
        written.push(name.to_string());
    }
    if plots {
        let start = Instant::now();
        let svgs = write_charts(&out, charts(), &mut written)?;
        manifest.plot_seconds = start.elapsed().as_secs_f64();
        if let Some(ExperimentPage { name, make }) = page {
            out.write(name, make(&svgs).as_bytes())?;
            written.push(name.into());
        }
    }
    commit(out, written, &mut manifest, started)
}

/// Render `charts` into `out/plots/` as SVG and PNG, adding their paths to
/// `written`; each chart as written, for the page.
pub(crate) fn write_charts(
    out: &OutputDir<'_>,
    charts: Vec<Box<dyn ChartFiles>>,
    written: &mut Vec<String>,
) -> Result<Vec<WrittenChart>> {
    let mut svgs = Vec::new();
    for chart in &charts {
        let (svg, png) = chart.render().map_err(Error::failure)?;
        let stem = chart.stem();
        out.write(&format!("plots/{stem}.svg"), svg.as_bytes())?;
        out.write(&format!("plots/{stem}.png"), &png)?;
        written.extend([format!("plots/{stem}.svg"), format!("plots/{stem}.png")]);
        svgs.push(WrittenChart { stem, svg });
    }
    Ok(svgs)
}
