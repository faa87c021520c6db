//! What sweeps and sensitivity analyses share: parsing `--vary`, checking every
//! point of a design before running any (so a bad value stops the command
//! with nothing run or written), and running each point as a study on the
//! same seed (common random numbers across points).
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
use super::scenario::Scenario;
use crate::engine::Labels;
use crate::engine::Worlds;
use crate::engine::runner::Stopped;
use crate::engine::{StudyOptions, run_studies};
use crate::error::{Diagnostic, Error, Result};
use crate::experiment::sensitivity::Factor;
use crate::experiment::vary::{Vary, is_integer_key};
use crate::output::Summary;
use crate::output::summary::StudyId;
use crate::output::uncertainty::Uncertainty;
use crate::scenario::LoadedScenario;
use crate::scenario::overrides::{Slot, find_slot, set_argument, value_at};
use crate::scenario::validate::MAX_RUNS;
use crate::stats::Drawn;
use crate::stats::Proportion;

/// The most points a sweep or sensitivity design may have (a 1000 × 1000
/// sweep): beyond that a command would run for days.
pub(crate) const MAX_POINTS: u64 = 1_000_000;

/// Points loaded (or checked), compiled and run together: enough to keep
/// every thread busy when each point is a single chunk of runs, few enough
/// that their scenarios and models take little memory.
pub(super) const POINTS_PER_GROUP: usize = 256;
/// Compiled models held at once when every point draws worlds (a model
/// of the flagship takes a few kilobytes).
pub(super) const MODELS_PER_GROUP: usize = 4096;

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

    pub(super) fn push(&mut self, headline: Vec<(String, Proportion)>) {
        let (names, values): (Vec<String>, Vec<Proportion>) = headline.into_iter().unzip();
        if self.metrics.is_empty() {
            self.metrics = names;
        }
        self.rows.push(values);
    }
}

/// A design over a typed parameter space: the keys it sets and, for
/// point `i`, their values (set after the command's own `--set`s). Points
/// are made on demand so a large design is never held at once.
pub(crate) struct Design<F: Fn(usize) -> Vec<Drawn>> {
    pub(crate) points: usize,
    /// The `--set` keys each point gives a value, in the order of its
    /// values.
    pub(crate) keys: Vec<String>,
    pub(crate) values: F,
    /// Worlds each point draws when its scenario has judged inputs.
    pub(crate) worlds: u64,
}

/// The design whose point `i` sets each varied key to its value in
/// `rows[i]`.
pub(crate) fn design_of<'a>(
    varies: &'a [Vary],
    rows: &'a [Vec<f64>],
    worlds: u64,
) -> Design<impl Fn(usize) -> Vec<Drawn> + Sync + 'a> {
    Design {
        worlds,
        points: rows.len(),
        keys: varies.iter().map(|v| v.key.clone()).collect(),
        values: move |i: usize| {
            varies
                .iter()
                .zip(&rows[i])
                .map(|(v, &x)| v.value(x))
                .collect()
        },
    }
}

/// The design whose point `i` puts each factor at its coordinate in
/// `unit[i]` (a point of the unit cube, see
/// [`crate::experiment::sensitivity::Factor`]).
pub(crate) fn design_of_factors<'a, F: Factor + Sync>(
    factors: &'a [F],
    unit: &'a [Vec<f64>],
    worlds: u64,
) -> Design<impl Fn(usize) -> Vec<Drawn> + Sync + 'a> {
    Design {
        worlds,
        points: unit.len(),
        keys: factors.iter().map(|f| f.key().to_string()).collect(),
        values: move |i: usize| {
            factors
                .iter()
                .zip(&unit[i])
                .map(|(f, &u)| f.value_at(u))
                .collect()
        },
    }
}

/// Where each key of `design` is in `base`'s text, found once for every
/// point; `None` if `--set` would refuse one (every point is then loaded
/// as text, which says why).
pub(super) fn slots_of<F: Fn(usize) -> Vec<Drawn>>(
    base: &Scenario,
    design: &Design<F>,
) -> Option<Vec<Slot>> {
    let text = &base.loaded.source.text;
    design.keys.iter().map(|key| find_slot(text, key)).collect()
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

/// Load the scenario once per point of `design` and drop it; the problems
/// of every point are reported together, once each: a misspelt key is one
/// problem, not one per point. Values out of range differ from point to
/// point, so at most [`MAX_PROBLEMS`] are kept (a design may have a million
/// bad points). The cancel flag stops the check between groups.
pub(crate) fn check_points<F: Fn(usize) -> Vec<Drawn> + Sync>(
    base: &Scenario,
    design: &Design<F>,
    threads: usize,
    control: &Control,
) -> Result<()> {
    let pool = pool(threads)?;
    let slots = slots_of(base, design);
    let mut problems: Vec<Diagnostic> = Vec::new();
    for group in groups(design.points, POINTS_PER_GROUP) {
        stop_if_cancelled(control)?;
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

/// Check the points of `design` unless [`check_points`] already has
/// (`checked`), then run them with `options`: every point's headlines, in
/// order, and the seconds the runs took.
pub(crate) fn check_and_run<F: Fn(usize) -> Vec<Drawn> + Sync>(
    base: &Scenario,
    design: &Design<F>,
    checked: bool,
    options: &StudyOptions,
    control: &Control,
) -> Result<(Headlines, f64)> {
    if !checked {
        check_points(base, design, options.threads, control)?;
    }
    let start = Instant::now();
    let headlines = run_points(base, design, options, control)?;
    Ok((headlines, start.elapsed().as_secs_f64()))
}

/// Run `options.runs` runs of every point of `design` (checked by
/// [`check_points`]) with `options.seed`; their headlines, in order.
fn run_points<F: Fn(usize) -> Vec<Drawn> + Sync>(
    base: &Scenario,
    design: &Design<F>,
    options: &StudyOptions,
    control: &Control,
) -> Result<Headlines> {
    let total = design.points;
    let (seed, runs) = (options.seed, options.runs);
    let pool = pool(options.threads)?;
    let mut headlines = Headlines {
        metrics: Vec::new(),
        rows: Vec::with_capacity(total),
    };
    let slots = slots_of(base, design);
    let first = point(base, design, slots.as_deref(), 0)?;
    let per_group = if first.judged.is_empty() {
        POINTS_PER_GROUP
    } else {
        (MODELS_PER_GROUP / design.worlds as usize).clamp(1, POINTS_PER_GROUP)
    };
    for group in groups(total, per_group) {
        stop_if_cancelled(control)?;
        let runs_before = group.start as u64 * runs;
        let loaded = load_group(&pool, base, design, slots.as_deref(), group)
            .into_iter()
            .collect::<Result<Vec<_>>>()?;
        let studies: Vec<Worlds> = pool.install(|| {
            loaded
                .par_iter()
                .map(|l| Worlds::draw(l, seed, design.worlds))
                .collect::<Result<_>>()
        })?;
        let tallies = run_studies(&studies, options, control.cancel_flag(), |done| {
            control.progress(runs_before + done);
            Ok::<(), std::convert::Infallible>(())
        })
        .map_err(stopped)?;
        for ((loaded, worlds), tally) in loaded.iter().zip(&studies).zip(&tallies) {
            headlines.push(headline_of(loaded, worlds, seed, tally));
        }
    }
    Ok(headlines)
}

/// The headline metrics of one point, `loaded` with its `worlds`, from its
/// runs' `tally`.
pub(super) fn headline_of(
    loaded: &LoadedScenario,
    worlds: &Worlds,
    seed: u64,
    tally: &crate::engine::Tally,
) -> Vec<(String, Proportion)> {
    let labels = Labels::of(worlds.shape());
    let mut summary = Summary::new(&labels, &StudyId::new(loaded, seed), tally);
    Uncertainty::widen_intervals(&mut summary, tally);
    summary.headline()
}

/// The points `0..points` cut into groups of `size`.
pub(super) fn groups(points: usize, size: usize) -> impl Iterator<Item = Range<usize>> {
    (0..points)
        .step_by(size)
        .map(move |first| first..(first + size).min(points))
}

/// Make the points `group` of `design` on `pool`, in the points' order.
pub(super) fn load_group<F: Fn(usize) -> Vec<Drawn> + Sync>(
    pool: &ThreadPool,
    base: &Scenario,
    design: &Design<F>,
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

pub(super) fn pool(threads: usize) -> Result<ThreadPool> {
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
pub(super) fn point<F: Fn(usize) -> Vec<Drawn>>(
    base: &Scenario,
    design: &Design<F>,
    slots: Option<&[Slot]>,
    i: usize,
) -> Result<LoadedScenario> {
    let values = (design.values)(i);
    if let Some(point) = slots.and_then(|slots| base.loaded.assigned(slots, &values)) {
        return Ok(point);
    }
    let arguments: Vec<String> = design
        .keys
        .iter()
        .zip(&values)
        .map(|(key, value)| set_argument(key, value))
        .collect();
    Ok(base.with_values(&arguments)?.loaded)
}

pub(super) fn stop_if_cancelled(control: &Control) -> Result<()> {
    if control.cancel_flag().load(Ordering::Relaxed) {
        return Err(stopped(Stopped::<std::convert::Infallible>::Cancelled));
    }
    Ok(())
}
