//! `backchannel merge DIR... --out DIR`: add up the shards of a study
//! ([`Merge`] reads and checks them) and publish it exactly as a single
//! `run` would (same summary.json, byte for byte, plots and report);
//! `--partial` merges what is there.

use std::time::Instant;

use super::MergeArgs;
use super::common::{print_notes, results_line, stop};
use crate::console::{out, outln};
use backchannel::error::Result;
use backchannel::output::text;
use backchannel::report::publish::publish;
use backchannel::study::Merge;

pub fn run(args: MergeArgs) -> Result<()> {
    let started = Instant::now();
    let mut merged = Merge::new(args.dirs.as_slice())
        .partial(args.partial)
        .run()?;
    let identity = merged.identity(&args.dirs);
    let out = identity.output_dir(args.out.as_deref(), args.replace, stop())?;
    let results = &mut merged.study;
    results.plots = !args.no_plots;
    let committed = publish(out, results, &[], started)?;
    print_notes(&committed);
    if !args.quiet {
        out!("{}", text::render(&results.summary));
        let runs = merged.runs;
        match &merged.missing {
            Some(note) => outln!(
                "\n  PARTIAL MERGE: {} of {runs} runs from {} shards; missing {note}",
                results.summary.runs,
                merged.shards
            ),
            None => outln!("\n  Merged {} shards: all {runs} runs", merged.shards),
        }
        outln!("{}", results_line(&committed));
    }
    Ok(())
}
