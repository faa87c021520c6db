//! What `sweep` and `sensitivity` share on the command line: a progress
//! bar that says which point is running.

use indicatif::ProgressBar;

use super::common::progress_bar;

/// A progress bar over `total_runs` runs of points of `runs_per_point`
/// runs each, whose message names the point running ("point 3 of 12").
pub fn point_progress(total_runs: u64, runs_per_point: u64, quiet: bool) -> ProgressBar {
    let bar = progress_bar(total_runs, "runs", quiet);
    bar.set_message(point_message(0, total_runs, runs_per_point));
    bar
}

/// Follow `done` runs on a bar made by [`point_progress`].
pub fn show_points(bar: &ProgressBar, done: u64, runs_per_point: u64) {
    let total = bar.length().unwrap_or(done);
    bar.set_message(point_message(done, total, runs_per_point));
    bar.set_position(done);
}

fn point_message(done: u64, total_runs: u64, runs_per_point: u64) -> String {
    let points = total_runs / runs_per_point.max(1);
    let current = (done / runs_per_point.max(1) + 1).min(points);
    format!("point {current} of {points}")
}
