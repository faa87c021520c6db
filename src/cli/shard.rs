//! `--shard I/N`: run one slice of a study (`run`, `indicators`,
//! `discover`: its runs; `compare`: its paired run indices in every
//! scenario; `sweep`, `sensitivity`: its design's point-runs; `backtest`:
//! its case-runs) and write its integer counts
//! (`partial.json`) for `merge` (the shard index may come from the
//! cluster, see `parse_shard`). A shard whose complete results are
//! already in its directory is skipped, so an array can be rerun whole.

use std::time::Instant;

use indicatif::ProgressBar;

use super::StudyFlags;
use super::common::{print_notes, with_progress};
use crate::console::outln;
use backchannel::error::Result;
use backchannel::results::Shard;
use backchannel::{
    CompareShardResults, DesignShardResults, Output, Published, SlicedShardResults, Study,
};

/// Run `shard` of `study` (set up by `run`'s flags) and write its
/// `partial.json` and manifest, and with `save_runs` its `runs.csv`.
pub fn run_shard(
    mut study: Study,
    shard: Shard,
    save_runs: bool,
    flags: &StudyFlags,
) -> Result<()> {
    let started = Instant::now();
    let Shard { index, count } = shard;
    let runs = study.max_runs()?;
    let mut out = study
        .shard_output(index, count, &flags.output_options())?
        .timed_from(started);
    let has_runs_csv = out.path().join("runs.csv").is_file();
    if study.shard_done(out.path(), index, count)? && (has_runs_csv || !save_runs) {
        return skipped(&out, shard, flags);
    }
    if save_runs {
        study = study.runs_csv(out.runs_csv()?);
    }
    let slice = shard.slice(runs);
    let results = with_progress(slice.end - slice.start, "runs", flags.quiet, |bar| {
        study
            .on_progress(|done| bar.set_position(done))
            .shard(index, count)
    })?;
    let published = out.shard(&results)?;
    let done = format!("runs {}..{} of {runs}", slice.start, slice.end);
    say_written(&published, shard, &done, flags);
    Ok(())
}

/// A shard of a design study (`sweep`, `sensitivity`), of `point_runs`
/// point-runs in all: unless `done` (its complete results are in `out`
/// already), `run` it with a progress bar and publish its `partial.json`.
pub fn run_design_shard(
    out: Output,
    shard: Shard,
    point_runs: u64,
    done: bool,
    flags: &StudyFlags,
    run: impl FnOnce(&ProgressBar) -> Result<DesignShardResults>,
) -> Result<()> {
    if done {
        return skipped(&out, shard, flags);
    }
    let slice = shard.slice(point_runs);
    let results = with_progress(slice.end - slice.start, "runs", flags.quiet, run)?;
    let published = out.design_shard(&results)?;
    let points = results.points();
    let done = format!(
        "point-runs {}..{} of {point_runs} (points {}..{})",
        slice.start, slice.end, points.start, points.end
    );
    say_written(&published, shard, &done, flags);
    Ok(())
}

/// A shard of a comparison of `runs` paired runs: unless `done` (its
/// complete results are in `out` already), `run` it with a progress bar
/// and publish its `partial.json`.
pub fn run_compare_shard(
    out: Output,
    shard: Shard,
    runs: u64,
    done: bool,
    flags: &StudyFlags,
    run: impl FnOnce(&ProgressBar) -> Result<CompareShardResults>,
) -> Result<()> {
    if done {
        return skipped(&out, shard, flags);
    }
    let slice = shard.slice(runs);
    let results = with_progress(slice.end - slice.start, "paired runs", flags.quiet, run)?;
    let published = out.compare_shard(&results)?;
    let done = format!("paired runs {}..{} of {runs}", slice.start, slice.end);
    say_written(&published, shard, &done, flags);
    Ok(())
}

/// A shard of `indicators`, `discover` or `backtest`, whose work is
/// `total` units (`unit`: runs, case-runs): unless `done` (its complete
/// results are in `out` already), `run` it with a progress bar and
/// publish its `partial.json`.
pub fn run_sliced_shard(
    out: Output,
    shard: Shard,
    (total, unit): (u64, &str),
    done: bool,
    flags: &StudyFlags,
    run: impl FnOnce(&ProgressBar) -> Result<SlicedShardResults>,
) -> Result<()> {
    if done {
        return skipped(&out, shard, flags);
    }
    let slice = shard.slice(total);
    let results = with_progress(slice.end - slice.start, unit, flags.quiet, run)?;
    let published = out.sliced_shard(&results)?;
    let done = format!("{unit} {}..{} of {total}", slice.start, slice.end);
    say_written(&published, shard, &done, flags);
    Ok(())
}

/// Say what a shard `published`: its notes, and (unless quiet) the
/// directory it replaced, the work it did (`done`) and what comes next.
fn say_written(published: &Published, shard: Shard, done: &str, flags: &StudyFlags) {
    print_notes(published);
    if flags.quiet {
        return;
    }
    if let Some(note) = &published.replaced {
        outln!("{note}");
    }
    outln!(
        "shard {} of {}: {done} written to {}/partial.json; merge all shards with `backchannel merge DIR... --out DIR`",
        shard.index,
        shard.count,
        published.path.display()
    );
}

/// Say that `shard` is complete in `out` already, and leave it as it is.
fn skipped(out: &Output, shard: Shard, flags: &StudyFlags) -> Result<()> {
    if !flags.quiet {
        outln!(
            "shard {} of {} is complete in {} already: skipped (remove that directory to run it again)",
            shard.index,
            shard.count,
            out.path().display()
        );
    }
    Ok(())
}
