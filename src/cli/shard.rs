//! `run --shard I/N`: run one contiguous slice of a study and write its
//! integer counts (`partial.json`) for `merge` (the shard index may come
//! from the cluster, see `parse_shard`).

use std::time::Instant;

use super::StudyFlags;
use super::common::{print_notes, with_progress};
use crate::console::outln;
use backchannel::engine::shard::Shard;
use backchannel::error::Result;
use backchannel::study::Study;

/// Run `shard` of `study` (set up by `run`'s flags) and write its
/// `partial.json` and manifest.
pub fn run_shard(study: Study, shard: Shard, flags: &StudyFlags) -> Result<()> {
    let started = Instant::now();
    let Shard { index, count } = shard;
    let runs = study.max_runs()?;
    let mut identity = study.identity();
    identity.key = identity.key.with(
        "shard",
        format!("{index}/{count}"),
        format!("{index}-of-{count}"),
    );
    let out = flags.output(&identity)?;
    let slice = shard.slice(runs);
    let results = with_progress(slice.end - slice.start, "runs", flags.quiet, |bar| {
        study
            .on_progress(|done| bar.set_position(done))
            .shard(index, count)
    })?;
    out.write("partial.json", results.to_json().as_bytes())?;
    let mut manifest = results.manifest.clone();
    manifest.files = vec!["partial.json".into(), "manifest.json".into()];
    manifest.wall_seconds = started.elapsed().as_secs_f64();
    out.write_manifest(&mut manifest)?;
    let committed = out.commit()?;
    print_notes(&committed);
    if !flags.quiet {
        if let Some(note) = committed.replaced_note() {
            outln!("{note}");
        }
        outln!(
            "shard {index} of {count}: runs {}..{} of {runs} written to {}/partial.json; merge all shards with `backchannel merge DIR... --out DIR`",
            slice.start,
            slice.end,
            committed.path.display()
        );
    }
    Ok(())
}
