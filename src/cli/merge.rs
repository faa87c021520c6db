//! `backchannel merge DIR... --out DIR`: add up the shards of a study
//! ([`Merge`] reads and checks them) and publish it exactly as one machine
//! would (`run`: the same summary.json, byte for byte, plots and report;
//! `compare`, `sweep`, `sensitivity`, `indicators`, `discover`,
//! `backtest`: the same tables, charts and page); `--partial`
//! merges what is there of a `run`; `--missing` lists the shards to rerun.

use std::time::Instant;

use super::MergeArgs;
use super::common::{output_columns, print_notes, results_line, stop};
use crate::console::{errln, out, outln};
use backchannel::Merge;
use backchannel::error::Result;
use backchannel::{ExperimentFiles, INDICATORS_SHOWN, Output, OutputOptions};

pub fn run(args: MergeArgs) -> Result<()> {
    let started = Instant::now();
    let merge = Merge::new(args.dirs.as_slice()).partial(args.partial);
    if args.missing {
        let spec = merge.missing_array()?;
        if spec.is_empty() {
            errln!("no shard is missing");
        }
        outln!("{spec}");
        return Ok(());
    }
    let options = OutputOptions {
        out: args.out.clone(),
        replace: args.replace,
        plots: !args.no_plots,
    };
    if merge.is_compare() {
        let merged = merge.compare()?;
        let out = merged
            .output(&args.dirs, &options, stop())?
            .timed_from(started);
        let compared = merged.compared();
        let published = out.experiment(merged.results.files(&compared, None))?;
        print_notes(&published);
        if !args.quiet {
            out!(
                "{}",
                merged
                    .results
                    .comparison
                    .render_text_within(output_columns())
            );
            outln!(
                "\n  Merged {} shards of a comparison: all {} paired runs",
                merged.shards,
                merged.results.comparison.runs
            );
            outln!("{}", results_line(&published));
        }
        return Ok(());
    }
    if merge.is_indicators() {
        let merged = merge.indicators()?;
        let text = merged.results.text(INDICATORS_SHOWN);
        let out = merged.output(&args.dirs, &options, stop())?;
        return publish(
            out,
            merged.files(),
            &args,
            started,
            text,
            merged.shards,
            "indicators",
        );
    }
    if merge.is_discover() {
        let merged = merge.discover()?;
        let text = merged.results.text().to_string();
        let out = merged.output(&args.dirs, &options, stop())?;
        return publish(
            out,
            merged.files(),
            &args,
            started,
            text,
            merged.shards,
            "discover",
        );
    }
    if merge.is_backtest() {
        let merged = merge.backtest()?;
        let text = merged.results.report.render_text();
        let out = merged.output(&args.dirs, &options, stop())?;
        return publish(
            out,
            merged.files(),
            &args,
            started,
            text,
            merged.shards,
            "backtest",
        );
    }
    if merge.is_design() {
        let merged = merge.design()?;
        let out = merged
            .output(&args.dirs, &options, stop())?
            .timed_from(started);
        let published = out.experiment(merged.files())?;
        print_notes(&published);
        if !args.quiet {
            out!("{}", merged.text());
            outln!(
                "\n  Merged {} shards of a {}: every point's runs",
                merged.shards,
                merged.command()
            );
            outln!("{}", results_line(&published));
        }
        return Ok(());
    }
    let mut merged = merge.run()?;
    let mut out = merged
        .output(&args.dirs, &options, stop())?
        .timed_from(started);
    // Shards run with --save-runs: their rows, as one machine writes them.
    if merged.has_runs_csv() {
        merged.write_runs_csv(out.runs_csv()?)?;
    }
    let results = &mut merged.study;
    let published = out.study(results)?;
    print_notes(&published);
    if !args.quiet {
        out!("{}", results.text());
        let runs = merged.runs;
        match &merged.missing {
            Some(note) => outln!(
                "\n  PARTIAL MERGE: {} of {runs} runs from {} shards; missing {note}",
                results.summary.runs,
                merged.shards
            ),
            None => outln!("\n  Merged {} shards: all {runs} runs", merged.shards),
        }
        outln!("{}", results_line(&published));
    }
    Ok(())
}

/// Publish the `files` of a merged study of `command` into `out`, then
/// print its `text` and how many `shards` made it.
fn publish(
    out: Output,
    files: ExperimentFiles,
    args: &MergeArgs,
    started: Instant,
    text: String,
    shards: usize,
    command: &str,
) -> Result<()> {
    let published = out.timed_from(started).experiment(files)?;
    print_notes(&published);
    if !args.quiet {
        out!("{text}");
        outln!("\n  Merged {shards} shards of `{command}`: all its work");
        outln!("{}", results_line(&published));
    }
    Ok(())
}
