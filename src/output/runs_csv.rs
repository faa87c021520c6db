//! `runs.csv` (`--save-runs`): one row per run in run-index order, written
//! as batches finish so memory stays bounded by a batch.

use std::io::Write;

use crate::engine::{Labels, RunRecord};

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
}

impl<W: Write> RunsCsv<W> {
    /// Start the file with its header: `run,deal,channel,cause,escalation,
    /// contained,revealed,relapse,first_agreement_round`, then one column
    /// per issue id.
    pub fn new(labels: &Labels, out: W) -> csv::Result<RunsCsv<W>> {
        let mut writer = csv::Writer::from_writer(out);
        let mut header: Vec<&str> = vec![
            "run",
            "deal",
            "channel",
            "cause",
            "escalation",
            "contained",
            "revealed",
            "relapse",
            "first_agreement_round",
        ];
        header.extend(labels.issues.iter().map(String::as_str));
        writer.write_record(&header)?;
        Ok(RunsCsv { writer })
    }

    pub fn write(&mut self, records: &[RunRecord]) -> csv::Result<()> {
        for r in records {
            let mut row = vec![
                r.run.to_string(),
                r.deal.to_string(),
                r.channel.to_string(),
                r.cause.clone(),
                r.escalation.to_string(),
                r.contained.to_string(),
                r.revealed.to_string(),
                r.relapse.to_string(),
                r.first_agreement_round
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            ];
            row.extend(r.issues.iter().map(|s| s.to_string()));
            self.writer.write_record(&row)?;
        }
        Ok(())
    }

    pub fn finish(self) -> Result<W, String> {
        self.writer.into_inner().map_err(|e| e.to_string())
    }
}
