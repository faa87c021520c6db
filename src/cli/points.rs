//! What `sweep` and `sensitivity` share: parsing `--vary`, loading every
//! point of a design before running any (so a bad value stops the command
//! with nothing run or written), and running each point as a study on the
//! same seed (common random numbers across points).

use indicatif::ProgressBar;

use super::common::{CANCEL, stopped};
use crate::engine::{StudyOptions, run_studies};
use crate::error::{Diagnostic, Error, Result};
use crate::experiment::vary::{Vary, is_integer_key};
use crate::model::Model;
use crate::output::Summary;
use crate::output::summary::StudyId;
use crate::scenario::{LoadedScenario, load};

/// Parse every `--vary`, reporting all malformed ones at once.
pub fn parse_varies(args: &[String], with_steps: bool) -> Result<Vec<Vary>> {
    let (ok, bad): (Vec<_>, Vec<_>) = args
        .iter()
        .map(|a| Vary::parse(a, with_steps, is_integer_key))
        .partition(|r| r.is_ok());
    if !bad.is_empty() {
        return Err(Error::Input(
            bad.into_iter().filter_map(|r| r.err()).collect(),
        ));
    }
    let varies: Vec<Vary> = ok.into_iter().filter_map(|r| r.ok()).collect();
    for (i, v) in varies.iter().enumerate() {
        if varies[..i].iter().any(|w| w.key == v.key) {
            return Err(Error::input(
                Diagnostic::new(format!("`{}` is varied twice", v.key)).key("--vary"),
            ));
        }
    }
    Ok(varies)
}

/// Load the scenario once per point (each point a list of `--set`
/// arguments after `base_sets`); every problem of every point is reported
/// together, once each: a misspelt key is one problem, not one per point.
pub fn load_points(
    spec: &str,
    base_sets: &[String],
    points: &[Vec<String>],
) -> Result<Vec<LoadedScenario>> {
    let mut loaded = Vec::with_capacity(points.len());
    let mut problems: Vec<Diagnostic> = Vec::new();
    for point in points {
        let sets: Vec<String> = base_sets.iter().chain(point).cloned().collect();
        match load(spec, &sets) {
            Ok(l) => loaded.push(l),
            Err(Error::Input(diagnostics)) => {
                for d in diagnostics {
                    if !problems.iter().any(|p| p.title() == d.title()) {
                        problems.push(d);
                    }
                }
            }
            Err(other) => return Err(other),
        }
    }
    if problems.is_empty() {
        Ok(loaded)
    } else {
        Err(Error::Input(problems))
    }
}

/// Run `runs` runs of every point with `seed`; their summaries, in order.
pub fn run_points(
    points: &[LoadedScenario],
    seed: u64,
    runs: u64,
    threads: usize,
    progress: &ProgressBar,
) -> Result<Vec<Summary>> {
    let models: Vec<Model> = points.iter().map(|p| Model::new(&p.scenario)).collect();
    let options = StudyOptions::new(seed, runs, threads);
    progress.set_message(format!("point 1 of {}", points.len()));
    let tallies = run_studies(&models, &options, &CANCEL, |done| {
        let current = (done / runs + 1).min(points.len() as u64);
        progress.set_message(format!("point {current} of {}", points.len()));
        progress.set_position(done);
        Ok::<(), std::convert::Infallible>(())
    })
    .map_err(stopped)?;
    Ok(points
        .iter()
        .zip(&models)
        .zip(&tallies)
        .map(|((loaded, model), tally)| Summary::new(model, &StudyId::new(loaded, seed), tally))
        .collect())
}
