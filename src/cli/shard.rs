//! `run --shard I/N`: run one contiguous slice of a study and write its
//! integer counts (`partial.json`) for `merge` (the shard index may come
//! from the cluster, see `parse_shard`).

use std::time::Instant;

use super::StudyFlags;
use super::common::{print_notes, with_progress};
use crate::console::outln;
use backchannel::Study;
use backchannel::error::Result;
use backchannel::results::Shard;

/// Run `shard` of `study` (set up by `run`'s flags) and write its
/// `partial.json` and manifest.
pub fn run_shard(study: Study, shard: Shard, flags: &StudyFlags) -> Result<()> {
    let started = Instant::now();
    let Shard { index, count } = shard;
    let runs = study.max_runs()?;
    let out = study
        .shard_output(index, count, &flags.output_options())?
        .timed_from(started);
    let slice = shard.slice(runs);
    let results = with_progress(slice.end - slice.start, "runs", flags.quiet, |bar| {
        study
            .on_progress(|done| bar.set_position(done))
            .shard(index, count)
    })?;
    let published = out.shard(&results)?;
    print_notes(&published);
    if !flags.quiet {
        if let Some(note) = &published.replaced {
            outln!("{note}");
        }
        outln!(
            "shard {index} of {count}: runs {}..{} of {runs} written to {}/partial.json; merge all shards with `backchannel merge DIR... --out DIR`",
            slice.start,
            slice.end,
            published.path.display()
        );
    }
    Ok(())
}
