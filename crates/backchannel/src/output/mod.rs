//! Output files, one exporter per file (plain functions; `pretty_json` and
//! `csv_bytes` below are the part they share):
//! [`summary`] builds the `summary.json` contract from a tally,
//! [`summary_csv`] flattens it, [`runs_csv`] streams per-run rows,
//! [`manifest`] records how the study was run, [`writer`] puts files into
//! a temporary directory and renames it into place, and [`tree`] reads
//! what an output folder holds without ever blocking on it.
//!
//! Architecture invariant: output reads engine results (a tally and the
//! [`crate::engine::Labels`] that name its counts) and never names the model
//! (`tests/architecture.rs` checks it). `summary.json` is a pure function
//! of (scenario, seed, runs); everything about the machine goes to the
//! manifest.

pub mod backtest;
pub mod calibration;
pub mod comparison;
pub mod discover;
pub mod indicators;
pub mod manifest;
pub mod names;
pub mod partial;
pub mod runs_csv;
pub mod sensitivity;
pub mod stopping;
pub mod study_key;
pub mod summary;
pub mod summary_csv;
pub mod sweep;
pub mod text;
pub mod tree;
pub mod uncertainty;
pub mod words;
pub mod writer;

/// The metrics results hold, typed until a file names them, for the
/// pages and charts (which read `output` only).
pub use crate::engine::metrics::{HEADLINE, Metric};
pub use summary::Summary;
pub use writer::OutputDir;

/// A table as CSV text: `header`, then `rows` in order. Every CSV file but
/// the streamed `runs.csv` is written here; writing to memory cannot fail.
pub fn csv_bytes<S: AsRef<[u8]>>(header: &[S], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).expect("writing to memory");
    for row in rows {
        writer.write_record(&row).expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// `value` as pretty-printed JSON ending in a newline: every JSON file we
/// write. Our output types always serialise (no maps with non-string keys,
/// no failing `Serialize` impls).
pub fn pretty_json(value: &impl serde::Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("output types always serialise");
    text.push('\n');
    text
}
