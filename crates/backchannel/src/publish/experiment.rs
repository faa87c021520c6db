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
use crate::report::charts::ChartFiles;

/// Builds the charts of an experiment (only when plots are written).
pub type MakeCharts<'a> = Box<dyn FnOnce() -> Vec<Box<dyn ChartFiles>> + 'a>;

/// Builds the page of an experiment from its charts as written
/// (`(stem, svg)` each).
pub type MakePage<'a> = Box<dyn FnOnce(&[(String, String)]) -> String + 'a>;

/// What an experiment writes, in the order its manifest lists it.
pub struct ExperimentFiles<'a> {
    /// Each table's file name and bytes, written as they are.
    pub tables: Vec<(&'static str, Vec<u8>)>,
    /// The charts, rendered into `plots/` as SVG and PNG.
    pub charts: MakeCharts<'a>,
    /// The page's file name and how to build it, if the experiment has one.
    pub page: Option<(&'static str, MakePage<'a>)>,
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
    for (name, bytes) in tables {
        out.write(name, &bytes)?;
        written.push(name.to_string());
    }
    if plots {
        let start = Instant::now();
        let svgs = write_charts(&out, charts(), &mut written)?;
        manifest.plot_seconds = start.elapsed().as_secs_f64();
        if let Some((name, make)) = page {
            out.write(name, make(&svgs).as_bytes())?;
            written.push(name.into());
        }
    }
    commit(out, written, &mut manifest, started)
}

/// Render `charts` into `out/plots/` as SVG and PNG, adding their paths to
/// `written`; each chart's `(stem, svg)`, for the page.
pub(crate) fn write_charts(
    out: &OutputDir<'_>,
    charts: Vec<Box<dyn ChartFiles>>,
    written: &mut Vec<String>,
) -> Result<Vec<(String, String)>> {
    let mut svgs = Vec::new();
    for chart in &charts {
        let (svg, png) = chart.render().map_err(Error::failure)?;
        let stem = chart.stem();
        out.write(&format!("plots/{stem}.svg"), svg.as_bytes())?;
        out.write(&format!("plots/{stem}.png"), &png)?;
        written.extend([format!("plots/{stem}.svg"), format!("plots/{stem}.png")]);
        svgs.push((stem, svg));
    }
    Ok(svgs)
}
