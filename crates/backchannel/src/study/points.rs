//! The evaluator of every design (a sampler's points, see
//! [`super::sampling`]): checking every point before running any (so a
//! bad value stops the command with nothing run or written), and running
//! each point as a study on the same seed (common random numbers across
//! points), or the points as the worlds of one study. And what sweeps and
//! sensitivity analyses share besides: parsing `--vary` and the sizes a
//! design may have.
//!
//! A design may have up to [`MAX_POINTS`] points, so nothing here holds
//! every point's scenario or model at once: the check makes each point and
//! drops it, and the run makes, compiles and runs the points a group at a
//! time, keeping only each point's headline. Points are made on every
//! thread, as they are run: each is the scenario's parsed tree with the
//! point's typed values set at keys found once for the whole design
//! ([`crate::scenario::LoadedScenario::assigned`]), never its text parsed
//! again.

use std::ops::Range;
use std::sync::atomic::Ordering;
use std::time::Instant;

use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};

use super::control::{Control, stopped};
use super::sampling::Sampler;
use super::scenario::Scenario;
use crate::engine::runner::Stopped;
use crate::engine::{Labels, StudyOptions, Tally, Worlds, run_studies};
use crate::error::{Diagnostic, Error, Result};
use crate::experiment::vary::{Vary, is_integer_key};
use crate::output::Summary;
use crate::output::summary::{Headline, StudyId};
use crate::output::uncertainty::Uncertainty;
use crate::scenario::LoadedScenario;
use crate::scenario::overrides::{Slot, find_slot, set_argument, value_at};
use crate::scenario::validate::MAX_RUNS;
use crate::stats::Proportion;

/// The most points a sweep or sensitivity design may have (a 1000 × 1000
/// sweep): beyond that a command would run for days.
pub(crate) const MAX_POINTS: u64 = 1_000_000;

/// Points loaded (or checked), compiled and run together: enough to keep
/// every thread busy when each point is a single chunk of runs, few enough
/// that their scenarios and models take little memory.
const POINTS_PER_GROUP: usize = 256;
/// Compiled models held at once when every point draws worlds (a model
/// of the flagship takes a few kilobytes).
const MODELS_PER_GROUP: usize = 4096;

/// The most problems the check of a design reports.
const MAX_PROBLEMS: usize = 32;

/// Every point's headline metrics (see [`Summary::headline`]): all a sweep
/// or sensitivity analysis reads of a point. The names, the same at every
/// point, are kept once.
#[derive(Default)]
pub(crate) struct Headlines {
    /// Named as in `summary.csv`.
    pub(crate) metrics: Vec<String>,
    /// `rows[i][m]`: metric `m` at point `i`.
    pub(crate) rows: Vec<Vec<Proportion>>,
}

impl Headlines {
    /// Metric `name` at every point, in order.
    pub(crate) fn column(&self, name: &str) -> Vec<Proportion> {
        let m = self
            .metrics
            .iter()
            .position(|n| n == name)
            .expect("every output is a headline metric");
        self.rows.iter().map(|row| row[m]).collect()
    }

    pub(crate) fn push(&mut self, headline: Vec<Headline>) {
        let (names, values): (Vec<String>, Vec<Proportion>) =
            headline.into_iter().map(|h| (h.metric, h.value)).unzip();
        if self.metrics.is_empty() {
            self.metrics = names;
        }
        self.rows.push(values);
    }
}

/// One point of a design, counted: its scenario, its worlds and the
/// tally of the runs it ran.
pub(crate) struct CountedPoint {
    /// The point's index in its design.
    pub(crate) index: usize,
    pub(crate) loaded: LoadedScenario,
    pub(crate) worlds: Worlds,
    pub(crate) tally: Tally,
}

/// The headline metrics of one point, `loaded` with its `worlds`, from its
/// runs' `tally` on `seed`.
pub(crate) fn headline_of(
    loaded: &LoadedScenario,
    worlds: &Worlds,
    seed: u64,
    tally: &Tally,
) -> Vec<Headline> {
    let labels = Labels::of(worlds.shape());
    let mut summary = Summary::new(&labels, &StudyId::new(loaded, seed), tally);
    Uncertainty::widen_intervals(&mut summary, tally);
    summary.headline()
}

/// A design: a sampler's points, each a study of `runs` runs on the
/// study's seed (common random numbers across points) over `worlds`
/// worlds of the judged inputs the points leave uncertain.
pub(crate) struct Design<'s> {
    pub(crate) sampler: &'s dyn Sampler,
    /// Runs of each point.
    pub(crate) runs: u64,
    /// Worlds each point draws when its scenario has judged inputs.
    pub(crate) worlds: u64,
}

/// Where each key of `design` is in `base`'s text, found once for every
/// point; `None` if `--set` would refuse one (every point is then loaded
/// as text, which says why).
pub(crate) fn slots_of(base: &Scenario, design: &Design) -> Option<Vec<Slot>> {
    let text = &base.loaded.source.text;
    let keys = design.sampler.keys();
    keys.iter().map(|key| find_slot(text, key)).collect()
}

/// The number `scenario` writes at `key`, if it writes one there.
pub(crate) fn number_at(scenario: &Scenario, key: &str) -> Option<f64> {
    value_at(&scenario.loaded.scenario, key)
        .and_then(|x| x.as_float().or_else(|| x.as_integer().map(|i| i as f64)))
}

/// Parse every `--vary`, reporting all malformed ones at once.
pub(crate) fn parse_varies(args: &[String], with_steps: bool) -> Result<Vec<Vary>> {
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
                Diagnostic::new(format!("`{}` is varied twice", v.key)).setting("vary"),
            ));
        }
    }
    Ok(varies)
}

/// Refuse up front a design of `points` points of `runs` runs each with
/// more than [`MAX_POINTS`] points or more than `MAX_RUNS` runs in all.
/// `shrink` says which arguments make the design smaller.
pub(crate) fn check_design_size(points: u64, runs: u64, shrink: &str) -> Result<()> {
    let total = points.saturating_mul(runs);
    let problem = if points > MAX_POINTS {
        format!("the design has {points} points; at most {MAX_POINTS} are allowed")
    } else if total > MAX_RUNS {
        format!(
            "the design has {points} points of {runs} runs: {total} runs in all; at most {MAX_RUNS} are allowed"
        )
    } else {
        return Ok(());
    };
    Err(Error::input(
        Diagnostic::new(problem)
            .setting("vary")
            .help(format!("make the design smaller: {shrink}")),
    ))
}

/// The evaluator: it checks every point of a design before running any,
/// and runs points on this machine's threads, as EMA Workbench's
/// `evaluators.py` runs whatever a sampler made. It runs a design's
/// points each as a study ([`Evaluator::run_points`], a sweep, a
/// sensitivity design), or a sampler's points as the worlds of one study
/// ([`Evaluator::run_worlds`], scenario discovery), both through
/// [`Evaluator::run_studies`], which a calibration's generations use too.
/// `run_points` takes a range of the design's points, so an evaluator
/// that runs one slice of a design elsewhere (a shard) is the same calls
/// on a slice.
pub(crate) struct Evaluator<'c> {
    seed: u64,
    threads: usize,
    control: &'c Control<'c>,
}

impl<'c> Evaluator<'c> {
    /// Points run with `seed` on `threads`, reporting to `control`.
    pub(crate) fn local(seed: u64, threads: usize, control: &'c Control<'c>) -> Evaluator<'c> {
        Evaluator {
            seed,
            threads,
            control,
        }
    }

    /// The seed every point runs on.
    pub(crate) fn seed(&self) -> u64 {
        self.seed
    }

    /// The threads points run on.
    pub(crate) fn threads(&self) -> usize {
        self.threads
    }

    /// Load the scenario once per point of `design` and drop it; the
    /// problems of every point are reported together, once each: a
    /// misspelt key is one problem, not one per point. Values out of range
    /// differ from point to point, so at most [`MAX_PROBLEMS`] are kept (a
    /// design may have a million bad points). The cancel flag stops the
    /// check between groups.
    pub(crate) fn check(&self, base: &Scenario, design: &Design) -> Result<()> {
        self.check_points(base, design, 0..design.sampler.len())
    }

    /// [`Evaluator::check`] of the points `points` of `design` only (a
    /// shard checks the points it runs).
    pub(crate) fn check_points(
        &self,
        base: &Scenario,
        design: &Design,
        points: Range<usize>,
    ) -> Result<()> {
        let pool = pool(self.threads)?;
        let slots = slots_of(base, design);
        let mut problems: Vec<Diagnostic> = Vec::new();
        for group in groups(points, POINTS_PER_GROUP) {
            self.stop_if_cancelled()?;
            for loaded in load_group(&pool, base, design, slots.as_deref(), group) {
                match loaded {
                    Ok(_) => {}
                    Err(Error::Input(diagnostics)) => {
                        for d in diagnostics {
                            if !problems.iter().any(|p| p.title() == d.title()) {
                                problems.push(d);
                            }
                        }
                        if problems.len() >= MAX_PROBLEMS {
                            problems.truncate(MAX_PROBLEMS);
                            problems.push(
                                Diagnostic::new(format!(
                                    "stopped checking the design after {MAX_PROBLEMS} problems"
                                ))
                                .setting("vary")
                                .help("fix these, or narrow the ranges, and run again"),
                            );
                            return Err(Error::Input(problems));
                        }
                    }
                    Err(other) => return Err(other),
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Input(problems))
        }
    }

    /// Check the points of `design` unless [`Evaluator::check`] already
    /// has (`checked`), then run every one: their headlines, in order, and
    /// the seconds the runs took.
    pub(crate) fn check_and_run(
        &self,
        base: &Scenario,
        design: &Design,
        checked: bool,
    ) -> Result<(Headlines, f64)> {
        if !checked {
            self.check(base, design)?;
        }
        let start = Instant::now();
        let headlines = self.run_points(base, design, 0..design.sampler.len())?;
        Ok((headlines, start.elapsed().as_secs_f64()))
    }

    /// Run `design.runs` runs of each of the points `points` of `design`
    /// (checked by [`Evaluator::check`]); their headlines, in order.
    /// Progress counts runs from the first of `points`.
    pub(crate) fn run_points(
        &self,
        base: &Scenario,
        design: &Design,
        points: Range<usize>,
    ) -> Result<Headlines> {
        let mut headlines = Headlines {
            metrics: Vec::new(),
            rows: Vec::with_capacity(points.len()),
        };
        self.count_points(base, design, points, 0..design.runs, 0, |point| {
            headlines.push(headline_of(
                &point.loaded,
                &point.worlds,
                self.seed,
                &point.tally,
            ));
            Ok(())
        })?;
        Ok(headlines)
    }

    /// Run the runs `runs` (of `design.runs`) of each of the points
    /// `points` of `design` (checked by [`Evaluator::check`]), a group of
    /// points at a time, and hand each point's counts to `each`, in order.
    /// Progress counts runs from `runs_before`.
    pub(crate) fn count_points(
        &self,
        base: &Scenario,
        design: &Design,
        points: Range<usize>,
        runs: Range<u64>,
        runs_before: u64,
        mut each: impl FnMut(CountedPoint) -> Result<()>,
    ) -> Result<()> {
        if points.is_empty() {
            return Ok(());
        }
        let pool = pool(self.threads)?;
        let slots = slots_of(base, design);
        let first = point(base, design, slots.as_deref(), points.start)?;
        let per_group = if first.judged.is_empty() {
            POINTS_PER_GROUP
        } else {
            (MODELS_PER_GROUP / design.worlds as usize).clamp(1, POINTS_PER_GROUP)
        };
        let runs_per_point = runs.end - runs.start;
        for group in groups(points.clone(), per_group) {
            self.stop_if_cancelled()?;
            let before = runs_before + (group.start - points.start) as u64 * runs_per_point;
            let loaded = load_group(&pool, base, design, slots.as_deref(), group.clone())
                .into_iter()
                .collect::<Result<Vec<_>>>()?;
            let studies: Vec<Worlds> = pool.install(|| {
                loaded
                    .par_iter()
                    .map(|l| Worlds::draw(l, self.seed, design.worlds))
                    .collect::<Result<_>>()
            })?;
            let tallies = self.run_range(&studies, runs.clone(), before)?;
            for (((index, loaded), worlds), tally) in group.zip(loaded).zip(studies).zip(tallies) {
                each(CountedPoint {
                    index,
                    loaded,
                    worlds,
                    tally,
                })?;
            }
        }
        Ok(())
    }

    /// The points of `sampler` (values of `loaded`'s judged inputs, in
    /// their order) as the worlds of one study of `runs` runs, run `i` in
    /// world `i mod W`: every world is made and checked before any runs.
    pub(crate) fn run_worlds(
        &self,
        loaded: &LoadedScenario,
        sampler: &dyn Sampler,
        runs: u64,
    ) -> Result<(Worlds, Tally)> {
        debug_assert!(
            sampler
                .keys()
                .iter()
                .eq(loaded.judged.iter().map(|input| &input.key)),
            "a world sets the judged inputs"
        );
        let values = (0..sampler.len()).map(|w| sampler.point(w)).collect();
        let worlds = Worlds::at(loaded, values)?;
        let tally = self
            .run_studies(std::slice::from_ref(&worlds), runs, 0)?
            .pop()
            .expect("one tally per study");
        Ok((worlds, tally))
    }

    /// Run `runs` runs of each of `studies` on one pool with the same seed
    /// and run indices: their tallies, in order. Progress counts from
    /// `runs_before`.
    pub(crate) fn run_studies(
        &self,
        studies: &[Worlds],
        runs: u64,
        runs_before: u64,
    ) -> Result<Vec<Tally>> {
        self.run_range(studies, 0..runs, runs_before)
    }

    /// [`Evaluator::run_studies`] of the runs `runs` only (the first runs of
    /// a point a shard does not count are another shard's).
    pub(crate) fn run_range(
        &self,
        studies: &[Worlds],
        runs: Range<u64>,
        runs_before: u64,
    ) -> Result<Vec<Tally>> {
        let options = StudyOptions {
            first_run: runs.start,
            ..StudyOptions::new(self.seed, runs.end - runs.start, self.threads)
        };
        run_studies(studies, &options, self.control.cancel_flag(), |done| {
            self.control.progress(runs_before + done);
            Ok::<(), std::convert::Infallible>(())
        })
        .map_err(stopped)
    }

    fn stop_if_cancelled(&self) -> Result<()> {
        if self.control.cancel_flag().load(Ordering::Relaxed) {
            return Err(stopped(Stopped::<std::convert::Infallible>::Cancelled));
        }
        Ok(())
    }
}

/// The points `points` cut into groups of `size`.
fn groups(points: Range<usize>, size: usize) -> impl Iterator<Item = Range<usize>> {
    let end = points.end;
    points
        .step_by(size)
        .map(move |first| first..(first + size).min(end))
}

/// Make the points `group` of `design` on `pool`, in the points' order.
fn load_group(
    pool: &ThreadPool,
    base: &Scenario,
    design: &Design,
    slots: Option<&[Slot]>,
    group: Range<usize>,
) -> Vec<Result<LoadedScenario>> {
    pool.install(|| {
        group
            .into_par_iter()
            .map(|i| point(base, design, slots, i))
            .collect()
    })
}

fn pool(threads: usize) -> Result<ThreadPool> {
    ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| stopped(Stopped::<std::convert::Infallible>::Pool(e.to_string())))
}

/// Point `i` of `design`: `base` with the point's values set in its parsed
/// tree at `slots` (no text parsed again). A point that route refuses is
/// loaded as the text `--set` would make, which reports each problem at
/// its place (file, line, column, key) exactly as for a value written
/// there.
pub(crate) fn point(
    base: &Scenario,
    design: &Design,
    slots: Option<&[Slot]>,
    i: usize,
) -> Result<LoadedScenario> {
    let values = design.sampler.point(i);
    if let Some(point) = slots.and_then(|slots| base.loaded.assigned(slots, &values)) {
        return Ok(point);
    }
    let arguments: Vec<String> = design
        .sampler
        .keys()
        .iter()
        .zip(&values)
        .map(|(key, value)| set_argument(key, value))
        .collect();
    Ok(base.with_values(&arguments)?.loaded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::sampling::Grid;

    /// A design run in two slices gives the rows the whole gives: what an
    /// evaluator of one shard of a design relies on.
    #[test]
    fn a_design_runs_the_same_whole_or_in_slices() {
        let base = Scenario::load("muscat-2026").unwrap();
        let varies = parse_varies(&["format.leak_hazard=0..0.2:5".into()], true).unwrap();
        let grid = Grid::new(&varies);
        let design = Design {
            sampler: &grid,
            runs: 200,
            worlds: 1,
        };
        let control = Control::default();
        let evaluator = Evaluator::local(7, 2, &control);
        evaluator.check(&base, &design).unwrap();
        let whole = evaluator.run_points(&base, &design, 0..5).unwrap();
        let mut rows = evaluator.run_points(&base, &design, 0..2).unwrap().rows;
        rows.extend(evaluator.run_points(&base, &design, 2..5).unwrap().rows);
        assert_eq!(whole.rows.len(), 5);
        assert_eq!(whole.rows, rows);
        assert!(
            evaluator
                .run_points(&base, &design, 3..3)
                .unwrap()
                .rows
                .is_empty()
        );
    }
}
