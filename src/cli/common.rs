//! What every study command shares: checking counts, threads, the progress
//! bar, the cancel flag and turning an engine stop into an error.

use std::sync::atomic::AtomicBool;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::runner::Stopped;
use crate::error::{Diagnostic, Error, Result};

/// Raised to stop a study between batches.
pub static CANCEL: AtomicBool = AtomicBool::new(false);

pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A command-line count must lie in `[lo, hi]`.
pub fn check_count(flag: &str, value: u64, lo: u64, hi: u64) -> Result<()> {
    if value < lo || value > hi {
        return Err(Error::input(
            Diagnostic::new(format!(
                "expected a number from {lo} to {hi}, found {value}"
            ))
            .key(flag),
        ));
    }
    Ok(())
}

/// `--precision` must be a half-width in (0, 0.5].
pub fn check_precision(eps: f64) -> Result<()> {
    if !(eps > 0.0 && eps <= 0.5) {
        return Err(Error::input(
            Diagnostic::new(format!(
                "expected a 95% interval half-width in (0, 0.5], found {eps}"
            ))
            .key("--precision")
            .help("e.g. --precision 0.005 for ±0.5 percentage points"),
        ));
    }
    Ok(())
}

/// A progress bar on stderr, hidden with `--quiet` or when stderr is not a
/// terminal. `unit` names what is counted ("runs", "points").
pub fn progress_bar(total: u64, unit: &str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let template = format!(
        "{{spinner}} [{{elapsed_precise}}] {{wide_bar}} {{human_pos}}/{{human_len}} {unit} ({{per_sec}}, {{eta}} left)"
    );
    bar.set_style(ProgressStyle::with_template(&template).expect("a valid template"));
    bar
}

/// The error for a study the engine stopped.
pub fn stopped<E: std::fmt::Display>(stopped: Stopped<E>) -> Error {
    match stopped {
        Stopped::Cancelled => Error::failure("interrupted; no results were written"),
        Stopped::Callback(e) => Error::failure(format!("cannot write results: {e}")),
        Stopped::Pool(e) => Error::failure(format!("cannot start worker threads: {e}")),
    }
}

/// What [`write_charts`] wrote (nothing with `--no-plots`).
#[derive(Default)]
pub struct WrittenCharts {
    /// Paths relative to the output directory, for the manifest.
    pub files: Vec<String>,
    /// `(stem, svg)` of each chart, for an HTML page.
    pub svgs: Vec<(String, String)>,
    pub seconds: f64,
}

/// Render the charts `make` builds into `out/plots/` as SVG and PNG,
/// unless `no_plots`.
pub fn write_charts(
    out: &crate::output::OutputDir,
    no_plots: bool,
    make: impl FnOnce() -> Vec<Box<dyn crate::report::charts::ChartFiles>>,
) -> Result<WrittenCharts> {
    if no_plots {
        return Ok(WrittenCharts::default());
    }
    let start = std::time::Instant::now();
    let charts = make();
    let mut files = Vec::new();
    let mut svgs = Vec::new();
    for chart in &charts {
        let (svg, png) = chart.render().map_err(Error::failure)?;
        let stem = chart.stem();
        out.write(&format!("plots/{stem}.svg"), svg.as_bytes())?;
        out.write(&format!("plots/{stem}.png"), &png)?;
        files.extend([format!("plots/{stem}.svg"), format!("plots/{stem}.png")]);
        svgs.push((stem, svg));
    }
    Ok(WrittenCharts {
        files,
        svgs,
        seconds: start.elapsed().as_secs_f64(),
    })
}
