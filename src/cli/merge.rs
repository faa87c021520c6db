//! `backchannel merge DIR... --out DIR`: add up the shards of a study
//! ([`Merge`] reads and checks them) and publish it exactly as a single
//! `run` would (same summary.json, byte for byte, plots and report);
//! `--partial` merges what is there.

use std::time::Instant;

use super::MergeArgs;
use super::common::{print_notes, results_line, stop};
use crate::console::{out, outln};
use backchannel::Merge;
use backchannel::OutputOptions;
use backchannel::error::Result;

pub fn run(args: MergeArgs) -> Result<()> {
    let started = Instant::now();
    let mut merged = Merge::new(args.dirs.as_slice())
        .partial(args.partial)
        .run()?;
    let options = OutputOptions {
        out: args.out.clone(),
        replace: args.replace,
        plots: !args.no_plots,
    };
    let out = merged
        .output(&args.dirs, &options, stop())?
        .timed_from(started);
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
