//! One forecast: a scenario run to a fixed size, or doubling until a
//! precision is met, optionally given observations (docs/MODEL.md,
//! "Conditioning on observations" and "Run to a precision").

use std::io::Write;

use std::time::{Instant, SystemTime};

use super::checkpoints::{by_checkpoints, max_runs};
use super::checks::{WorldsUse, check_precision, threads_or_every_core, worlds_for_runs};
use super::control::{Shared, option_setter, shared_setters, stopped};
use super::scenario::{Observations, Scenario};
use crate::engine::conditioning::{
    ConditionStop, Conditioned, Conditioning, MIN_ACCEPTANCE, run_conditioned,
};
use crate::engine::metrics::HEADLINE;
use crate::engine::precision::PrecisionRecord;
use crate::engine::runner::Stopped;
use crate::engine::{Labels, StudyOptions, Tally, Worlds, run_study};
use crate::error::{Diagnostic, Error, Result, setting};
use crate::model::Model;
use crate::output::manifest::Manifest;
use crate::output::runs_csv::{self, RunsCsv};
use crate::output::summary::{Prior, StudyId};
use crate::output::{Summary, uncertainty};
use crate::report::{GivenFile, ScenarioInfo};
use crate::scenario::observations::Observation;
use crate::stats::spread::{clustered, spread};
use crate::stats::{Z95, wilson};

/// A forecast of one scenario, built step by step and then [`run`]:
///
/// ```no_run
/// # use backchannel::{Scenario, Study, Observations};
/// let scenario = Scenario::load("muscat-2026")?;
/// let news = Observations::load("news.toml", &scenario)?;
/// let forecast = Study::new(&scenario).runs(100_000).given(&news).run()?;
/// # Ok::<(), backchannel::Error>(())
/// ```
///
/// Unset values come from the scenario (`[scenario] runs`, `seed`), every
/// core, and 200 worlds of the judged inputs. The same scenario, seed,
/// runs and worlds give byte-identical results on any number of threads.
///
/// [`run`]: Study::run
pub struct Study<'a> {
    pub(super) scenario: &'a Scenario,
    runs: Option<u64>,
    pub(super) given: Option<&'a Observations>,
    pub(super) precision: Option<f64>,
    pub(super) runs_csv: Option<Box<dyn Write + Send + 'a>>,
    pub(super) shared: Shared<'a>,
}

/// The `runs.csv` writer is shown only as present or not: a `dyn Write`
/// has no `Debug`.
impl std::fmt::Debug for Study<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Study")
            .field("scenario", &self.scenario)
            .field("runs", &self.runs)
            .field("given", &self.given)
            .field("precision", &self.precision)
            .field("runs_csv", &self.runs_csv.is_some())
            .field("shared", &self.shared)
            .finish()
    }
}

impl<'a> Study<'a> {
    shared_setters!('a);

    /// A study of `scenario` with every setting at its default.
    pub fn new(scenario: &'a Scenario) -> Study<'a> {
        Study {
            scenario,
            runs: None,
            given: None,
            precision: None,
            runs_csv: None,
            shared: Shared::default(),
        }
    }

    option_setter! {
        /// The number of runs (with [`Study::precision`], the most to run).
        /// `None`: the scenario's.
        runs(runs: u64)
    }

    option_setter! {
        /// Keep only the runs consistent with `observations`: the forecast
        /// updated with the news. `None`: every run.
        given(observations: &'a Observations)
    }

    option_setter! {
        /// Double the runs until the 95 % interval of P(channel continued) is
        /// at most `half_width` wide on each side (or the maximum is reached).
        /// `None`: no target, the runs set.
        precision(half_width: f64)
    }

    /// Write every run's row of `runs.csv` (docs/OUTPUTS.md) to `out`.
    pub fn runs_csv(mut self, out: impl Write + Send + 'a) -> Self {
        self.runs_csv = Some(Box::new(out));
        self
    }

    /// The most runs this study may take: the runs set, the scenario's, or
    /// under a precision target the default maximum. Checked.
    pub fn max_runs(&self) -> Result<u64> {
        max_runs(self.runs, self.precision, self.scenario.default_runs())
    }

    /// Run the study: its summary, manifest and per-world table, ready to be
    /// read, or written as [`Study::write_to`] writes them.
    pub fn run(mut self) -> Result<StudyResults> {
        let started_at = SystemTime::now();
        let loaded = &self.scenario.loaded;
        if let Some(eps) = self.precision {
            check_precision(eps)?;
            if self.given.is_some() {
                // Conditioned runs stop at a count of consistent runs: there
                // is no doubling to stop at a precision.
                return Err(Error::input(
                    Diagnostic::new("a precision target cannot be combined with observations")
                        .setting("precision")
                        .help("drop the precision and set the runs kept under the observations"),
                ));
            }
        }
        let max_runs = self.max_runs()?;
        let threads = threads_or_every_core(self.shared.threads)?;
        let seed = self.shared.seed.unwrap_or(loaded.scenario.scenario.seed);
        let count = worlds_for_runs(
            self.shared.worlds,
            max_runs,
            !loaded.judged.is_empty(),
            WorldsUse::Spread,
        )?;
        let worlds = Worlds::draw(loaded, seed, count)?;
        if self.runs_csv.is_some() {
            check_runs_csv_size(worlds.shape(), max_runs)?;
        }
        let mut runs_csv = match self.runs_csv.take() {
            Some(out) => Some(
                RunsCsv::new(&Labels::of(worlds.shape()), &worlds, out)
                    .map_err(|e| Error::failed("cannot write runs.csv", e))?,
            ),
            None => None,
        };
        let simulate_start = Instant::now();
        let done = match self.given {
            Some(given) => self.conditioned(&worlds, given, seed, max_runs, threads)?,
            None => self.to_precision(&worlds, seed, max_runs, threads, &mut runs_csv)?,
        };
        if let Some(csv) = runs_csv {
            csv.finish()
                .map_err(|e| Error::failed("cannot write runs.csv", e))?;
        }
        let simulate_seconds = simulate_start.elapsed().as_secs_f64();
        Ok(self.results(
            &worlds,
            done,
            seed,
            threads,
            max_runs,
            started_at,
            simulate_seconds,
        ))
    }

    /// Under observations: run from index 0 until `max_runs` runs are
    /// consistent with them.
    fn conditioned(
        &self,
        worlds: &Worlds,
        given: &Observations,
        seed: u64,
        max_runs: u64,
        threads: usize,
    ) -> Result<Simulated> {
        let observations = &given.observations;
        let control = &self.shared.control;
        let conditioned = run_conditioned(
            worlds,
            &observations.items,
            seed,
            max_runs,
            threads,
            control.cancel_flag(),
            |done| control.progress(done),
        )
        .map_err(|stop| match stop {
            Stopped::Callback(ConditionStop::TooRare(counts)) => {
                too_rare(&counts, &observations.items)
            }
            other => stopped(other),
        })?;
        let now = observations.items.iter().map(|o| o.round).max();
        Ok(Simulated {
            conditioning: Some(conditioned.conditioning(&observations.items, &observations.sha256)),
            prior: Some(Prior::new(&conditioned.prior, now.unwrap_or(0))),
            tried_by_world: Some(conditioned.tried_by_world),
            tally: conditioned.tally,
            checked_at: Vec::new(),
            worlds_needed: None,
        })
    }

    /// Without observations: run to `max_runs`, or under a precision target
    /// through doubling checkpoints until the target is met.
    fn to_precision<W: Write>(
        &self,
        worlds: &Worlds,
        seed: u64,
        max_runs: u64,
        threads: usize,
        runs_csv: &mut Option<RunsCsv<W>>,
    ) -> Result<Simulated> {
        let mut done = Simulated {
            tally: Tally::for_worlds(worlds),
            checked_at: Vec::new(),
            worlds_needed: None,
            conditioning: None,
            prior: None,
            tried_by_world: None,
        };
        let advance = |done: &mut Simulated, checkpoint: u64| -> Result<()> {
            let tally = &mut done.tally;
            let options = StudyOptions {
                seed,
                first_run: tally.runs,
                runs: checkpoint - tally.runs,
                threads,
                keep_records: runs_csv.is_some(),
            };
            let done_before = tally.runs;
            let part = run_study(
                worlds,
                &options,
                self.shared.control.cancel_flag(),
                |done, records| {
                    self.shared.control.progress(done_before + done);
                    match runs_csv.as_mut() {
                        Some(csv) => csv.write(records),
                        None => Ok(()),
                    }
                },
            )
            .map_err(stopped)?;
            tally.merge(&part);
            Ok(())
        };
        let met = |done: &mut Simulated, eps: f64| {
            done.worlds_needed = worlds_needed_for(&done.tally, eps);
            headline_half_width(&done.tally) <= eps || done.worlds_needed.is_some()
        };
        done.checked_at = by_checkpoints(&mut done, max_runs, self.precision, advance, met)?;
        Ok(done)
    }

    #[allow(clippy::too_many_arguments)]
    fn results(
        &self,
        worlds: &Worlds,
        done: Simulated,
        seed: u64,
        threads: usize,
        max_runs: u64,
        started_at: SystemTime,
        simulate_seconds: f64,
    ) -> StudyResults {
        let loaded = &self.scenario.loaded;
        let tally = &done.tally;
        let mut manifest = Manifest::start(loaded.into(), seed, tally.runs, threads, started_at);
        manifest.simulated(tally.runs, simulate_seconds);
        manifest.precision = self.precision.map(|eps| PrecisionRecord {
            metric: HEADLINE.into(),
            target_half_width: eps,
            achieved_half_width: headline_half_width(tally),
            reached: headline_half_width(tally) <= eps,
            runs: tally.runs,
            max_runs,
            checked_at: done.checked_at.clone(),
            worlds_needed: done.worlds_needed,
        });
        let mut summary = Summary::new(
            &Labels::of(worlds.shape()),
            &StudyId::new(loaded, seed),
            tally,
        );
        summary.conditioning = done.conditioning;
        summary.prior = done.prior;
        let worlds_csv =
            uncertainty::add_to(&mut summary, worlds, tally, done.tried_by_world.as_deref());
        let mut scenario = ScenarioInfo::new(loaded);
        scenario.given = self.given.map(|given| GivenFile {
            path: given.observations.path.clone(),
            text: given.observations.text.clone(),
        });
        StudyResults {
            summary,
            manifest,
            scenario,
            worlds_csv,
            notes: Vec::new(),
        }
    }
}

/// What the simulation produced, before it is summarised.
struct Simulated {
    tally: Tally,
    checked_at: Vec<u64>,
    worlds_needed: Option<u64>,
    conditioning: Option<Conditioning>,
    prior: Option<Prior>,
    tried_by_world: Option<Vec<u64>>,
}

/// The error for observations the model did not expect: it names the least
/// likely one, which is itself news.
pub(super) fn too_rare(counts: &Conditioned, observations: &[Observation]) -> Error {
    let (least, share) = counts.least_likely(observations);
    Error::input(
        Diagnostic::new(format!(
            "only {} of {} runs ({:.3}%) are consistent with the observations, below the {}% needed",
            counts.tally.runs,
            counts.tried,
            100.0 * counts.tally.runs as f64 / counts.tried.max(1) as f64,
            100.0 * MIN_ACCEPTANCE
        ))
        .setting("given")
        .help(if share >= MIN_ACCEPTANCE {
            format!(
                "each observation alone holds in at least {:.3}% of runs (the least likely: \"{}\"): it is their combination \
                 the model did not produce — check the observations against docs/SCENARIO.md (a suspending shock, for one, \
                 leaves the channel suspended in its round)",
                100.0 * share,
                least.text
            )
        } else {
            format!(
                "the least likely observation is \"{}\", true in {:.3}% of runs: the model did not expect it; check it, or the scenario",
                least.text,
                100.0 * share
            )
        }),
    )
}

/// Refuse up front a `runs.csv` too large to be useful, stating its size.
pub(super) fn check_runs_csv_size(model: &Model, runs: u64) -> Result<()> {
    let bytes = runs_csv::estimated_bytes(&Labels::of(model), runs);
    if bytes > runs_csv::MAX_BYTES {
        return Err(Error::input(
            Diagnostic::new(format!(
                "runs.csv for {runs} runs would take about {:.0} GB, over the {} GB limit",
                bytes as f64 / 1e9,
                runs_csv::MAX_BYTES / (1024 * 1024 * 1024)
            ))
            .setting("runs_csv")
            .help(format!(
                "drop {} (summaries need no per-run rows), use fewer runs, or replay single runs with `backchannel trace`",
                setting("runs_csv")
            )),
        ));
    }
    Ok(())
}

/// With judged inputs: when the spread of P(channel continued) across the
/// worlds alone, `1.96 sqrt(τ² / W)`, is above `eps`, the worlds that would
/// bring it to `eps` (docs/MODEL.md, "Judged inputs and worlds").
fn worlds_needed_for(tally: &Tally, eps: f64) -> Option<u64> {
    let by_world = Labels::headline_by_world(tally);
    let (_, continued) = by_world.first()?;
    let worlds = continued.iter().filter(|w| w.runs > 0).count() as f64;
    let spread = spread(continued, &vec![1.0; continued.len()]);
    let p = tally.continued() as f64 / tally.runs.max(1) as f64;
    let between = spread.share_from_inputs * p * (1.0 - p);
    let floor = Z95 * (between / worlds).sqrt();
    (floor > eps).then(|| (worlds * (floor / eps).powi(2)).ceil() as u64)
}

/// Half-width of the 95 % interval of P(channel continued) (for runs
/// clustered in worlds when inputs are judged).
fn headline_half_width(tally: &Tally) -> f64 {
    let p = if tally.worlds.is_empty() {
        wilson(tally.continued(), tally.runs, Z95)
    } else {
        let by_world = Labels::headline_by_world(tally);
        clustered(&by_world[0].1, Z95)
    };
    (p.hi - p.lo) / 2.0
}

/// What a study produced, ready to be written.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StudyResults {
    /// `summary.json`.
    pub summary: Summary,
    /// Its `files`, `plot_seconds` and `wall_seconds` are filled in when
    /// the files are written ([`Study::write_to`](crate::Study::write_to)).
    pub manifest: Manifest,
    /// What the plots and `report.html` show besides the summary.
    pub(crate) scenario: crate::report::ScenarioInfo,
    /// `worlds.csv`, for a study with judged inputs.
    pub worlds_csv: Option<String>,
    /// What writing the files noted for the user, filled in by
    /// [`Study::write_to`](crate::Study::write_to): previous results kept
    /// aside, the folder's index of studies not updated.
    pub notes: Vec<String>,
}

impl StudyResults {
    /// The one-screen summary the command line prints after a run.
    pub fn text(&self) -> String {
        crate::output::text::render(&self.summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_and_observations_are_refused_together() {
        let scenario = Scenario::load("minimal").unwrap();
        let news = Observations::from_toml(
            "[[observed]]\nround = 1\nchannel = \"active\"\n",
            "news",
            &scenario,
        )
        .unwrap();
        let refused = Study::new(&scenario)
            .runs(10)
            .precision(0.01)
            .given(&news)
            .run();
        let Err(Error::Input(diagnostics)) = refused else {
            panic!("expected an input error");
        };
        assert!(diagnostics[0].title().starts_with("`precision`:"));
    }
}
