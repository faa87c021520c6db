//! `runs.csv` (`--save-runs`): one row per run in run-index order, written
//! as batches finish so memory stays bounded by a batch.

use std::io::{self, Write};

use crate::engine::{Labels, RunRecord, Worlds};
use crate::scenario::keys::{RUN_COLUMNS, WORLD_COLUMN};
use crate::stats::Drawn;

/// The largest `runs.csv` a run will start to write. Past this a CSV is the
/// wrong tool: summaries, shards or `trace` answer the question.
pub const MAX_BYTES: u64 = 100 * 1024 * 1024 * 1024;

/// An upper estimate of the size of `runs.csv` for `runs` runs of a study
/// named by `labels`: the widest possible row times the number of runs.
pub fn estimated_bytes(labels: &Labels, runs: u64) -> u64 {
    let index = runs.max(1).to_string().len() as u64;
    let cause = labels.longest_cause() as u64;
    // deal, channel, escalation, contained, revealed, relapse, first
    // agreement round, separators.
    let fixed = "comprehensive,suspended,,false,1000,false,false,1000,".len() as u64;
    let issues = labels.issues.len() as u64 * ",ratified".len() as u64;
    runs.saturating_mul(index + fixed + cause + issues + 1)
}

/// Streams rows into any writer.
pub struct RunsCsv<W: Write> {
    writer: csv::Writer<W>,
    /// With judged inputs: each world's values, as the trailing columns of
    /// its runs' rows (empty otherwise).
    world_values: Vec<Vec<String>>,
}

impl<W: Write> RunsCsv<W> {
    /// Start the file with its header: the fixed [`RUN_COLUMNS`], then one
    /// column per issue id; with judged inputs, then `world` and one column
    /// per input key.
    pub fn new(labels: &Labels, worlds: &Worlds, out: W) -> io::Result<RunsCsv<W>> {
        let mut writer = csv::Writer::from_writer(out);
        let mut header: Vec<&str> = RUN_COLUMNS.to_vec();
        header.extend(labels.issues.iter().map(String::as_str));
        let mut world_values = Vec::new();
        if worlds.is_uncertain() {
            header.push(WORLD_COLUMN);
            header.extend(worlds.inputs.iter().map(|i| i.key.as_str()));
            world_values = worlds
                .values
                .iter()
                .map(|values| values.iter().map(Drawn::to_field).collect())
                .collect();
        }
        writer.write_record(&header).map_err(io_error)?;
        Ok(RunsCsv {
            writer,
            world_values,
        })
    }

    pub fn write(&mut self, records: &[RunRecord]) -> io::Result<()> {
        for r in records {
            let fixed = r.fixed_columns().map(|(_, cell)| cell.to_string());
            let issues = r.issues.iter().map(|s| s.to_string());
            let world = self
                .world_values
                .get(r.world)
                .map(|values| std::iter::once(r.world.to_string()).chain(values.iter().cloned()));
            self.writer.write_record(
                fixed
                    .into_iter()
                    .chain(issues)
                    .chain(world.into_iter().flatten()),
            )
            .map_err(io_error)?;
        }
        Ok(())
    }

    pub fn finish(self) -> io::Result<W> {
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

/// A CSV writer's error as the I/O error it is (writing records can fail
/// only in writing), so that a failure keeps it as its source.
fn io_error(error: csv::Error) -> io::Error {
    if !error.is_io_error() {
        return io::Error::other(error);
    }
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        kind => io::Error::other(format!("{kind:?}")),
    }
}
