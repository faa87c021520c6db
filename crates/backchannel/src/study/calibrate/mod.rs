//! Calibration: the judged inputs of scenarios held to observed frequencies
//! (docs/CALIBRATION.md; the method in docs/MODEL.md, "Calibration").
//!
//! A calibration file lists targets, each a scenario, an outcome and
//! `observed` successes in `trials`. The judged inputs are the prior; a
//! key named by several targets is one unknown. The sampler proposes
//! worlds (points of the prior's quantile cube), each target's scenario is
//! run `runs_per_world` times in every world on the shared runner, and
//! each world is weighted by the beta-binomial likelihood of every
//! target's observation given its runs. Generations of population Monte
//! Carlo follow until the weights' effective sample size is large enough.
//!
//! Only integer counts come from the thread pool, and everything computed
//! from them is computed on one thread in the worlds' order, so results
//! are byte-identical on any number of threads. A generation's worlds are
//! compiled and run a group at a time, so memory does not grow with them,
//! and the generations are pooled into a priority sample of fixed size
//! (`reservoir.rs`), so it does not grow with the generations either.

mod cluster;
mod file;
mod outcome;
mod reservoir;
mod sampler;

use std::collections::BTreeMap;
use std::time::{Instant, SystemTime};

pub use cluster::{CalibrationShardResults, FoldedGeneration, GenerationState};
pub(crate) use cluster::{folded_path, shard_path};
pub use file::{CalibrationFile, Settings, TargetSpec, json_schema};
pub use outcome::Outcome;
use reservoir::{Pool, Posterior};
use sampler::{
    Points, Proposal, effective_size, log_beta_binomial, log_saturated, normalised, prior_points,
};

use super::checks::{check_count, threads_or_every_core};
use super::control::{Shared, option_setter, shared_setters};
use super::key::Identity;
use super::points::Evaluator;
use super::scenario::Scenario;
use crate::engine::Worlds;
use crate::error::{Diagnostic, Error, Result};
use crate::output::calibration::{
    CalibratedInput, CalibratedTarget, Calibration as Report, Generation, Marginal, PairPanel,
    Pairs, SCHEMA,
};
use crate::output::manifest::Manifest;
use crate::output::study_key::StudyKey;
use crate::scenario::judged::replace_inputs;
use crate::stats::spread::weighted_quantile;
use crate::stats::{Distribution, Drawn, Z95, significant, wilson};

/// Worlds in each generation unless told otherwise: enough for a
/// posterior of a few inputs to keep an effective sample of 500.
pub const DEFAULT_GENERATION_WORLDS: u64 = 1000;
/// Runs of each target in each world unless told otherwise: a world's
/// probability near 0.5 is then known to ±0.05, finer than the binomial
/// noise of the few hundred trials historical records hold.
pub const DEFAULT_RUNS_PER_WORLD: u64 = 100;
/// The effective sample size the sampler stops at unless told otherwise
/// (or half the worlds of a generation, if that is less).
pub const DEFAULT_MIN_ESS: u64 = 500;
/// The most generations unless told otherwise.
pub const DEFAULT_MAX_GENERATIONS: u64 = 8;
/// The fewest worlds a generation may have.
pub(crate) const MIN_WORLDS: u64 = 20;
/// The most worlds a generation may have: the proposal's density costs
/// the square of the worlds.
pub(crate) const MAX_GENERATION_WORLDS: u64 = 10_000;
/// The most runs per world and target.
pub(crate) const MAX_RUNS_PER_WORLD: u64 = 1_000_000;
/// The most generations.
pub(crate) const MAX_GENERATIONS: u64 = 50;
/// Worlds compiled and run at once, per target.
const GROUP_WORLDS: usize = 256;
/// A target the prior cannot produce: no world of the first generation
/// comes within this deviance of the observed rate (the 1e-6 upper
/// quantile of chi-squared with one degree of freedom).
const UNREACHABLE_DEVIANCE: f64 = 23.93;
/// Points of the midpoint rule for a prior's mean and spread.
const PRIOR_POINTS: usize = 2000;
/// The most inputs the pairs plot shows (three pairs).
const PAIRS_INPUTS: usize = 3;
/// Cells of the pairs plot along each input: tenths of its prior.
const PAIRS_CELLS: usize = 10;

/// A calibration, built step by step and then [`run`](Calibration::run):
///
/// ```no_run
/// # use backchannel::{Calibration, CalibrationFile};
/// let file = CalibrationFile::load("calibration.toml")?;
/// let fitted = Calibration::new(&file).threads(2).run()?;
/// print!("{}", fitted.text());
/// # Ok::<(), backchannel::Error>(())
/// ```
///
/// Unset values: the file's `[calibration]` settings, else 1 000 worlds a
/// generation, 100 runs per world and target, an effective sample of 500,
/// at most 8 generations, the file's seed or the first target's
/// scenario's, and every core. [`worlds`](Calibration::worlds) sets the
/// worlds per generation.
#[derive(Debug)]
pub struct Calibration<'a> {
    file: &'a CalibrationFile,
    runs_per_world: Option<u64>,
    min_ess: Option<u64>,
    max_generations: Option<u64>,
    shared: Shared<'a>,
}

/// What a calibration produced, ready to be written.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CalibrationResults {
    /// `calibration.json`.
    pub calibration: Report,
    /// Each calibrated scenario file.
    pub scenarios: Vec<CalibratedScenario>,
    /// `manifest.json`, to be completed with the files written.
    pub manifest: Manifest,
    text: String,
}

/// A calibrated scenario file: a target's scenario with its judged inputs
/// carrying the posterior.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CalibratedScenario {
    /// Its path in the results (`calibrated/NAME.toml`).
    pub path: String,
    /// Its text.
    pub text: String,
}

impl CalibrationResults {
    /// The one-screen summary.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl Plan<'_> {
    /// The runs of one generation: every target in every world.
    fn generation_runs(&self) -> u64 {
        self.worlds * self.runs_per_world * self.targets.len() as u64
    }
}

/// One target with its scenario loaded.
struct Target<'f> {
    spec: &'f TargetSpec,
    scenario: Scenario,
    /// The unknown each of its judged inputs is, in the scenario's order.
    unknown_of: Vec<usize>,
}

/// One unknown: a judged input shared by the targets that name it.
struct Unknown {
    name: String,
    key: String,
    distribution: Distribution,
    targets: Vec<usize>,
}

/// A calibration checked and ready to run.
struct Plan<'f> {
    targets: Vec<Target<'f>>,
    unknowns: Vec<Unknown>,
    seed: u64,
    threads: usize,
    worlds: u64,
    runs_per_world: u64,
    min_ess: u64,
    max_generations: u64,
}

/// Where the sampler stopped: done, or at a generation whose counts are
/// not known yet.
enum Sampling {
    Done(Sampled),
    Pending {
        /// The generation to run next.
        generation: u64,
        /// Its worlds.
        points: Points,
    },
}

/// What the sampler found: the posterior and its effective sample size,
/// the first generation's counts (the prior predictive), every
/// generation's size and the runs taken.
struct Sampled {
    posterior: Posterior,
    /// The pooled generations' effective size: the sum of theirs.
    ess: f64,
    /// `prior_counts[t][i]`: as [`Posterior::counts`], in generation 0.
    prior_counts: Vec<Vec<u64>>,
    generations: Vec<Generation>,
    runs: u64,
}

impl<'a> Calibration<'a> {
    /// A calibration of `file` with every setting at its default.
    pub fn new(file: &'a CalibrationFile) -> Calibration<'a> {
        Calibration {
            file,
            runs_per_world: None,
            min_ess: None,
            max_generations: None,
            shared: Shared::default(),
        }
    }

    shared_setters!('a);

    option_setter! {
        /// Runs of each target's scenario in each world (`None`: the
        /// file's, else 100).
        runs_per_world(runs_per_world: u64)
    }

    option_setter! {
        /// The effective sample size to reach (`None`: the file's, else 500
        /// or half the worlds, whichever is less).
        min_ess(min_ess: u64)
    }

    option_setter! {
        /// The most generations (`None`: the file's, else 8).
        max_generations(max_generations: u64)
    }

    /// Check the settings and load every target's scenario; the most runs
    /// the calibration may take.
    pub fn check(&self) -> Result<u64> {
        let plan = self.plan()?;
        Ok(plan.worlds * plan.runs_per_world * plan.targets.len() as u64 * plan.max_generations)
    }

    /// Run the calibration.
    pub fn run(self) -> Result<CalibrationResults> {
        let started_at = SystemTime::now();
        let plan = self.plan()?;
        let simulate_start = Instant::now();
        let sampled = match self.sample(&plan, |_, points, runs_before| {
            self.simulate(&plan, points, runs_before).map(Some)
        })? {
            Sampling::Done(sampled) => sampled,
            Sampling::Pending { .. } => unreachable!("every generation is simulated here"),
        };
        let simulate_seconds = simulate_start.elapsed().as_secs_f64();
        let mut manifest = Manifest::start(
            (&plan.targets[0].scenario.loaded).into(),
            plan.seed,
            sampled.runs,
            plan.threads,
            started_at,
        );
        manifest.simulated(sampled.runs, simulate_seconds);
        self.results(&plan, sampled, manifest)
    }

    /// The calibration's report, calibrated scenarios and text from what
    /// the sampler found, with its `manifest`.
    fn results(
        &self,
        plan: &Plan,
        sampled: Sampled,
        manifest: Manifest,
    ) -> Result<CalibrationResults> {
        let Sampled {
            posterior,
            ess,
            prior_counts,
            generations,
            runs: _,
        } = sampled;
        let inputs: Vec<CalibratedInput> = plan
            .unknowns
            .iter()
            .enumerate()
            .map(|(j, u)| input_summary(plan, j, u, &posterior))
            .collect();
        let targets: Vec<CalibratedTarget> = plan
            .targets
            .iter()
            .enumerate()
            .map(|(t, target)| target_summary(plan, t, target, &posterior, &prior_counts[t]))
            .collect();
        let pairs = pairs(plan, &inputs, &posterior);
        let scenarios = calibrated_scenarios(plan, &inputs, self.file)?;
        let mut calibration = Report {
            schema: SCHEMA,
            file: self.file.path.clone(),
            sha256: self.file.sha256.clone(),
            seed: plan.seed,
            method: "population Monte Carlo (adaptive importance sampling) with beta-binomial likelihoods",
            worlds_per_generation: plan.worlds,
            runs_per_world: plan.runs_per_world,
            min_ess: plan.min_ess,
            generations,
            ess,
            reached_min_ess: ess >= plan.min_ess as f64,
            inputs,
            targets,
            pairs,
            calibrated_scenarios: scenarios.iter().map(|s| s.path.clone()).collect(),
            notes: Vec::new(),
        };
        calibration.notes = notes(&calibration);
        Ok(CalibrationResults {
            text: calibration.render_text(),
            calibration,
            scenarios,
            manifest,
        })
    }

    /// Settings, targets and unknowns, checked.
    fn plan(&self) -> Result<Plan<'a>> {
        let settings = &self.file.settings;
        let worlds = self
            .shared
            .worlds
            .or(settings.worlds)
            .unwrap_or(DEFAULT_GENERATION_WORLDS);
        check_count("worlds", worlds, MIN_WORLDS, MAX_GENERATION_WORLDS)?;
        let runs_per_world = self
            .runs_per_world
            .or(settings.runs_per_world)
            .unwrap_or(DEFAULT_RUNS_PER_WORLD);
        check_count("runs_per_world", runs_per_world, 1, MAX_RUNS_PER_WORLD)?;
        let min_ess = self
            .min_ess
            .or(settings.min_ess)
            .unwrap_or(DEFAULT_MIN_ESS.min(worlds / 2));
        check_count("min_ess", min_ess, 1, worlds)?;
        let max_generations = self
            .max_generations
            .or(settings.max_generations)
            .unwrap_or(DEFAULT_MAX_GENERATIONS);
        check_count("max_generations", max_generations, 1, MAX_GENERATIONS)?;
        let threads = threads_or_every_core(self.shared.threads)?;
        let (targets, unknowns) = self.targets()?;
        let seed = self
            .shared
            .seed
            .or(settings.seed)
            .unwrap_or_else(|| targets[0].scenario.default_seed());
        Ok(Plan {
            targets,
            unknowns,
            seed,
            threads,
            worlds,
            runs_per_world,
            min_ess,
            max_generations,
        })
    }

    /// Every target's scenario loaded, and the unknowns their judged
    /// inputs make.
    fn targets(&self) -> Result<(Vec<Target<'a>>, Vec<Unknown>)> {
        let mut targets = Vec::new();
        let mut unknowns: Vec<Unknown> = Vec::new();
        for (t, spec) in self.file.targets.iter().enumerate() {
            let scenario = Scenario::load(&spec.scenario)
                .and_then(|s| s.with_values(&spec.set))
                .map_err(|e| self.in_target(t, e))?;
            let judged = &scenario.loaded.judged;
            if judged.is_empty() {
                return Err(self.file.error(
                    t,
                    format!(
                        "target `{}`: {} has no judged inputs, so there is nothing to calibrate",
                        spec.name, spec.scenario
                    ),
                    "write the uncertain values as distributions in the scenario, or in the target's `set` (`KEY={ uniform = [LO, HI] }`); see docs/SCENARIO.md, \"Judged inputs\"",
                ));
            }
            if let Some(key) = spec
                .rename
                .keys()
                .find(|k| !judged.iter().any(|i| &i.key == *k))
            {
                return Err(self.file.error(
                    t,
                    format!(
                        "target `{}` renames `{key}`, which is not a judged input of its scenario",
                        spec.name
                    ),
                    format!(
                        "its judged inputs: {}",
                        judged
                            .iter()
                            .map(|i| i.key.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            let mut unknown_of = Vec::new();
            for input in judged {
                let name = spec.rename.get(&input.key).unwrap_or(&input.key);
                let index = match unknowns.iter().position(|u| &u.name == name) {
                    Some(j) if unknowns[j].distribution != input.distribution => {
                        let first = &self.file.targets[unknowns[j].targets[0]].name;
                        return Err(self.file.error(
                            t,
                            format!(
                                "`{name}` has the prior {} in target `{first}` but {} in target `{}`",
                                unknowns[j].distribution.describe(),
                                input.distribution.describe(),
                                spec.name
                            ),
                            "an input shared by targets is one unknown with one prior: give it the same distribution, or `rename` it in one target to make it a separate unknown",
                        ));
                    }
                    Some(j) => j,
                    None => {
                        unknowns.push(Unknown {
                            name: name.clone(),
                            key: input.key.clone(),
                            distribution: input.distribution.clone(),
                            targets: Vec::new(),
                        });
                        unknowns.len() - 1
                    }
                };
                unknowns[index].targets.push(t);
                unknown_of.push(index);
            }
            targets.push(Target {
                spec,
                scenario,
                unknown_of,
            });
        }
        Ok((targets, unknowns))
    }

    /// `error` from loading target `t`'s scenario, preceded by a line
    /// naming the target.
    fn in_target(&self, t: usize, error: Error) -> Error {
        match error {
            Error::Input(mut diagnostics) => {
                let name = &self.file.targets[t].name;
                let head = self.file.error(
                    t,
                    format!("target `{name}`: its scenario cannot be loaded"),
                    "the problems follow",
                );
                if let Error::Input(mut first) = head {
                    first.append(&mut diagnostics);
                    return Error::Input(first);
                }
                Error::Input(diagnostics)
            }
            other => other,
        }
    }

    /// The sampler: generations of worlds until the effective sample size
    /// reaches `min_ess` or the generations run out. `counts_of(generation,
    /// points, runs_before)` gives each generation's counts
    /// (`counts[t][i]`, as [`Calibration::simulate`]), or `None` when they
    /// are not known yet (a generation run on a cluster, not yet folded):
    /// the sampler then stops there, with the worlds that generation must
    /// run.
    fn sample(
        &self,
        plan: &Plan,
        mut counts_of: impl FnMut(u64, &Points, u64) -> Result<Option<Vec<Vec<u64>>>>,
    ) -> Result<Sampling> {
        let n = plan.worlds as usize;
        let d = plan.unknowns.len();
        let mut points = prior_points(plan.seed, n, d);
        let mut generations = Vec::new();
        let mut prior_counts = Vec::new();
        let mut pooled = Pool::new(plan.seed, d, plan.targets.len());
        let mut runs = 0;
        let mut previous: Option<(Points, Vec<f64>)> = None;
        for generation in 0..plan.max_generations {
            let Some(counts) = counts_of(generation, &points, runs)? else {
                return Ok(Sampling::Pending { generation, points });
            };
            runs += plan.generation_runs();
            if generation == 0 {
                self.check_reachable(plan, &counts)?;
                prior_counts = counts.clone();
            }
            let proposal = previous.as_ref().map(|(p, w)| Proposal::new(p, w));
            let log_weights: Vec<f64> = (0..n)
                .map(|i| {
                    let log_likelihood: f64 = plan
                        .targets
                        .iter()
                        .zip(&counts)
                        .map(|(t, c)| {
                            log_beta_binomial(
                                t.spec.observed,
                                t.spec.trials,
                                c[i],
                                plan.runs_per_world,
                            )
                        })
                        .sum();
                    let proposed = proposal.as_ref().map_or(1.0, |q| q.density(&points[i]));
                    log_likelihood - proposed.ln()
                })
                .collect();
            let weights = normalised(&log_weights);
            let ess = effective_size(&weights);
            generations.push(Generation {
                generation,
                worlds: plan.worlds,
                ess,
            });
            pooled.add(generation, &points, &weights, &counts, ess);
            let last = generation + 1 == plan.max_generations;
            if pooled.ess >= plan.min_ess as f64 || last {
                return Ok(Sampling::Done(Sampled {
                    ess: pooled.ess,
                    posterior: pooled.posterior(),
                    prior_counts,
                    generations,
                    runs,
                }));
            }
            let next = Proposal::new(&points, &weights).draw(plan.seed, generation + 1, n);
            previous = Some((std::mem::replace(&mut points, next), weights));
        }
        unreachable!("the last generation returns")
    }

    /// Run every target in every world of `points`, a group of worlds at a
    /// time: `counts[t][i]`, runs of target `t` in world `i` with its
    /// outcome. Progress counts from `runs_before`.
    fn simulate(&self, plan: &Plan, points: &Points, runs_before: u64) -> Result<Vec<Vec<u64>>> {
        let evaluator = Evaluator::local(plan.seed, plan.threads, &self.shared.control);
        let mut counts = vec![Vec::with_capacity(points.len()); plan.targets.len()];
        for (g, group) in points.chunks(GROUP_WORLDS).enumerate() {
            let studies = plan
                .targets
                .iter()
                .map(|t| Worlds::at(&t.scenario.loaded, t.values(group)))
                .collect::<Result<Vec<Worlds>>>()?;
            let runs = plan.runs_per_world * group.len() as u64;
            let done_before = runs_before
                + (g * GROUP_WORLDS) as u64 * plan.runs_per_world * plan.targets.len() as u64;
            let tallies = evaluator.run_studies(&studies, runs, done_before)?;
            for ((target, tally), counts) in plan.targets.iter().zip(&tallies).zip(&mut counts) {
                counts.extend(tally.worlds.iter().map(|w| target.spec.outcome.count(w)));
            }
        }
        Ok(counts)
    }

    /// Refuse a target whose observation no world drawn from the prior
    /// comes near (see [`UNREACHABLE_DEVIANCE`]).
    fn check_reachable(&self, plan: &Plan, counts: &[Vec<u64>]) -> Result<()> {
        let m = plan.runs_per_world;
        for (t, (target, counts)) in plan.targets.iter().zip(counts).enumerate() {
            let (k, n) = (target.spec.observed, target.spec.trials);
            let best = counts
                .iter()
                .map(|&r| log_beta_binomial(k, n, r, m))
                .fold(f64::NEG_INFINITY, f64::max);
            if 2.0 * (log_saturated(k, n) - best) <= UNREACHABLE_DEVIANCE {
                continue;
            }
            let lo = counts.iter().min().copied().unwrap_or(0);
            let hi = counts.iter().max().copied().unwrap_or(0);
            return Err(self.file.error(
                t,
                format!(
                    "target `{}`: observed {k} of {n} ({:.1}%), which no world of the prior can produce: in {} worlds drawn from it, `{}` happens in {:.1}% to {:.1}% of {m} runs",
                    target.spec.name,
                    100.0 * k as f64 / n as f64,
                    counts.len(),
                    target.spec.outcome.key,
                    100.0 * lo as f64 / m as f64,
                    100.0 * hi as f64 / m as f64,
                ),
                "widen the judged inputs' distributions so the outcome can happen as often as observed, or check the target's outcome and scenario",
            ));
        }
        Ok(())
    }
}

impl Target<'_> {
    /// The values of this target's judged inputs in each world of `points`.
    fn values(&self, points: &[Vec<f64>]) -> Vec<Vec<Drawn>> {
        points
            .iter()
            .map(|p| {
                self.scenario
                    .loaded
                    .judged
                    .iter()
                    .zip(&self.unknown_of)
                    .map(|(input, &j)| input.distribution.quantile(p[j]))
                    .collect()
            })
            .collect()
    }
}

impl CalibrationFile {
    /// An input error about target `t`, located at the target in the file.
    fn error(&self, t: usize, message: String, help: impl Into<String>) -> Error {
        let d = Diagnostic::new(message)
            .key(format!("targets[{t}]"))
            .help(help);
        Error::input(match self.targets[t].span.clone() {
            Some(span) => d.at(&self.source, span),
            None => d.origin(&self.path),
        })
    }
}

/// A number as its distribution's options count it (options by position).
fn number(distribution: &Distribution, u: f64) -> f64 {
    distribution.quantile(u).as_number(distribution.options())
}

/// The prior's mean, spread and percentiles, by the midpoint rule over its
/// quantile function.
fn prior_spread(distribution: &Distribution) -> Marginal {
    let values: Vec<(f64, f64)> = (0..PRIOR_POINTS)
        .map(|i| {
            (
                number(distribution, (i as f64 + 0.5) / PRIOR_POINTS as f64),
                1.0,
            )
        })
        .collect();
    Marginal {
        p5: number(distribution, 0.05),
        p50: number(distribution, 0.5),
        p95: number(distribution, 0.95),
        ..weighted_spread(&values)
    }
}

/// The mean, standard deviation, median and 5th and 95th percentiles of
/// weighted values.
fn weighted_spread(values: &[(f64, f64)]) -> Marginal {
    let total: f64 = values.iter().map(|(_, w)| w).sum();
    let mean = values.iter().map(|(v, w)| v * w).sum::<f64>() / total;
    let var = values
        .iter()
        .map(|(v, w)| w * (v - mean).powi(2))
        .sum::<f64>()
        / total;
    Marginal {
        mean,
        sd: var.sqrt(),
        p5: weighted_quantile(values, 0.05),
        p50: weighted_quantile(values, 0.5),
        p95: weighted_quantile(values, 0.95),
    }
}

fn input_summary(
    plan: &Plan,
    j: usize,
    unknown: &Unknown,
    posterior: &Posterior,
) -> CalibratedInput {
    let d = &unknown.distribution;
    let values: Vec<(f64, f64)> = posterior
        .points
        .iter()
        .zip(&posterior.weights)
        .map(|(p, &w)| (number(d, p[j]), w))
        .collect();
    let prior = prior_spread(d);
    let post = weighted_spread(&values);
    let contraction = if prior.sd > 0.0 {
        1.0 - (post.sd / prior.sd).powi(2)
    } else {
        0.0
    };
    CalibratedInput {
        name: unknown.name.clone(),
        key: unknown.key.clone(),
        targets: unknown
            .targets
            .iter()
            .map(|&t| plan.targets[t].spec.name.clone())
            .collect(),
        prior_distribution: d.describe(),
        prior,
        posterior: post,
        contraction,
        calibrated: calibrated_distribution(d, &post, &values),
    }
}

/// The pairs plot's data: the numeric inputs with the largest posterior
/// contraction, at most [`PAIRS_INPUTS`] (the first in the file's order
/// on a tie), and the posterior's weight over each pair of them, on a grid
/// of tenths of each one's prior. An option has no order to plot, so
/// `one_of` inputs are left out; fewer than two inputs give no pairs.
fn pairs(plan: &Plan, inputs: &[CalibratedInput], posterior: &Posterior) -> Pairs {
    let mut chosen: Vec<usize> = (0..inputs.len())
        .filter(|&j| !matches!(plan.unknowns[j].distribution, Distribution::OneOf { .. }))
        .collect();
    chosen.sort_by(|&a, &b| inputs[b].contraction.total_cmp(&inputs[a].contraction));
    chosen.truncate(PAIRS_INPUTS);
    if chosen.len() < 2 {
        chosen.clear();
    }
    let centres = |j: usize| -> Vec<f64> {
        (0..PAIRS_CELLS)
            .map(|c| {
                number(
                    &plan.unknowns[j].distribution,
                    (c as f64 + 0.5) / PAIRS_CELLS as f64,
                )
            })
            .collect()
    };
    // A world's cell along input j: the tenth of the prior its quantile
    // lies in (the sampler works on the prior's quantiles).
    let cell = |u: f64| ((u * PAIRS_CELLS as f64) as usize).min(PAIRS_CELLS - 1);
    let mut panels = Vec::new();
    for (a, &x) in chosen.iter().enumerate() {
        for &y in &chosen[a + 1..] {
            let mut weight = vec![vec![0.0; PAIRS_CELLS]; PAIRS_CELLS];
            for (point, w) in posterior.points.iter().zip(&posterior.weights) {
                weight[cell(point[x])][cell(point[y])] += w;
            }
            panels.push(PairPanel {
                x: inputs[x].name.clone(),
                y: inputs[y].name.clone(),
                x_centres: centres(x),
                y_centres: centres(y),
                weight,
            });
        }
    }
    Pairs {
        rule: "the numeric inputs with the largest posterior contraction (1 - Var_post/Var_prior), at most three",
        inputs: chosen.iter().map(|&j| inputs[j].name.clone()).collect(),
        panels,
    }
}

/// The posterior as a distribution a scenario can hold (TOML): a number's
/// as a normal of the posterior's mean and standard deviation (truncated
/// to the key's range when run), an option's as its posterior weights;
/// whole numbers keep their prior.
fn calibrated_distribution(prior: &Distribution, post: &Marginal, values: &[(f64, f64)]) -> String {
    let r = |x: f64| format!("{:?}", significant(x, 4));
    match prior {
        Distribution::OneOf { options, .. } => {
            let weights: Vec<String> = (0..options.len())
                .map(|o| {
                    let w: f64 = values
                        .iter()
                        .filter(|(v, _)| *v as usize == o)
                        .map(|(_, w)| w)
                        .sum();
                    r(w)
                })
                .collect();
            let quoted: Vec<String> = options.iter().map(|o| format!("{o:?}")).collect();
            format!(
                "{{ one_of = [{}], weights = [{}] }}",
                quoted.join(", "),
                weights.join(", ")
            )
        }
        Distribution::Integers { lo, hi } => format!("{{ uniform = [{lo}, {hi}] }}"),
        _ => format!(
            "{{ normal = [{}, {}] }}",
            r(post.mean),
            r(post.sd.max(1e-9))
        ),
    }
}

fn target_summary(
    plan: &Plan,
    t: usize,
    target: &Target,
    posterior: &Posterior,
    prior_counts: &[u64],
) -> CalibratedTarget {
    let spec = target.spec;
    let m = plan.runs_per_world;
    let probability = |r: u64| (r + 1) as f64 / (m + 2) as f64;
    let prior: Vec<(f64, f64)> = prior_counts
        .iter()
        .map(|&r| (probability(r), 1.0))
        .collect();
    let post: Vec<(f64, f64)> = posterior.counts[t]
        .iter()
        .zip(&posterior.weights)
        .map(|(&r, &w)| (probability(r), w))
        .collect();
    let (lo, hi) = predictive_interval(spec.trials, m, &posterior.counts[t], &posterior.weights);
    let observed = spec.observed;
    let interval = wilson(observed, spec.trials, Z95);
    let n = spec.trials as f64;
    CalibratedTarget {
        name: spec.name.clone(),
        scenario: spec.scenario.clone(),
        set: spec.set.clone(),
        outcome: spec.outcome.key.into(),
        outcome_words: spec.outcome.words.into(),
        observed,
        trials: spec.trials,
        observed_rate: observed as f64 / n,
        observed_wilson95: [interval.lo, interval.hi],
        prior_probability: weighted_spread(&prior),
        posterior_probability: weighted_spread(&post),
        predicted_rate90: [lo as f64 / n, hi as f64 / n],
        outside: observed < lo || observed > hi,
    }
}

/// The central 90 % interval of the posterior predictive count in `n`
/// trials: a mixture over worlds of beta-binomials, each world's
/// probability known from `r` of `m` runs. Exact, on every count.
fn predictive_interval(n: u64, m: u64, counts: &[u64], weights: &[f64]) -> (u64, u64) {
    let top = weights.iter().copied().fold(0.0, f64::max);
    let mut pmf = vec![0.0; n as usize + 1];
    for (&r, &w) in counts.iter().zip(weights) {
        // Worlds below 1e-12 of the heaviest add nothing visible.
        if w < 1e-12 * top {
            continue;
        }
        let (alpha, beta) = ((r + 1) as f64, (m - r + 1) as f64);
        let mut log_p = log_beta_binomial(0, n, r, m);
        for (k, slot) in pmf.iter_mut().enumerate() {
            *slot += w * log_p.exp();
            let k = k as f64;
            let nf = n as f64;
            log_p += ((nf - k) * (k + alpha)).ln() - ((k + 1.0) * (nf - k - 1.0 + beta)).ln();
        }
    }
    let total: f64 = pmf.iter().sum();
    let mut cumulative = 0.0;
    let (mut lo, mut hi) = (None, n);
    for (k, p) in pmf.iter().enumerate() {
        cumulative += p / total;
        if lo.is_none() && cumulative >= 0.05 {
            lo = Some(k as u64);
        }
        if cumulative >= 0.95 {
            hi = k as u64;
            break;
        }
    }
    (lo.unwrap_or(0), hi)
}

/// Each target's calibrated scenario: its scenario's text (after its
/// values) with every judged input's distribution replaced by the
/// posterior's, under `calibrated/`; targets with the same text share a
/// file.
fn calibrated_scenarios(
    plan: &Plan,
    inputs: &[CalibratedInput],
    file: &CalibrationFile,
) -> Result<Vec<CalibratedScenario>> {
    let mut files: Vec<CalibratedScenario> = Vec::new();
    let mut names = BTreeMap::new();
    for target in &plan.targets {
        let loaded = &target.scenario.loaded;
        let texts: Vec<String> = target
            .unknown_of
            .iter()
            .map(|&j| inputs[j].calibrated.clone())
            .collect();
        let body = replace_inputs(&loaded.source.text, &loaded.judged, &texts);
        if files.iter().any(|file| file.text.ends_with(&body)) {
            continue;
        }
        let header = format!(
            "# Calibrated by `backchannel calibrate {}` (seed {}): target `{}`.\n\
             # Each judged input carries its posterior marginal (docs/CALIBRATION.md,\n\
             # \"The calibrated scenarios\"); correlations between inputs are not kept.\n",
            file.path, plan.seed, target.spec.name
        );
        let text = format!("{header}{body}");
        Scenario::from_toml(&text, "calibrated scenario").map_err(|e| {
            Error::failure(format!(
                "the calibrated scenario of target `{}` does not load: {e}",
                target.spec.name
            ))
        })?;
        let stem = slug(&target.spec.name);
        let count = names.entry(stem.clone()).or_insert(0);
        *count += 1;
        let path = if *count == 1 {
            format!("calibrated/{stem}.toml")
        } else {
            format!("calibrated/{stem}-{count}.toml")
        };
        files.push(CalibratedScenario { path, text });
    }
    Ok(files)
}

/// A file name's stem from a target's name.
fn slug(name: &str) -> String {
    let mut slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while slug.contains("--") {
        slug = slug.replace("--", "-");
    }
    let slug = slug.trim_matches('-').chars().take(80).collect::<String>();
    if slug.is_empty() {
        "target".into()
    } else {
        slug
    }
}

/// What a reader must be told: an effective sample below the one asked,
/// and targets outside their predictive interval.
fn notes(report: &Report) -> Vec<String> {
    let mut notes = Vec::new();
    if !report.reached_min_ess {
        notes.push(format!(
            "the effective sample size is {:.0}, below the {} asked: the posterior rests on few worlds; raise `worlds` or `max_generations`",
            report.ess, report.min_ess
        ));
    }
    let outside: Vec<&str> = report
        .targets
        .iter()
        .filter(|t| t.outside)
        .map(|t| t.name.as_str())
        .collect();
    if !outside.is_empty() {
        notes.push(format!(
            "observed outside the 90% predictive interval: {} (the calibrated model does not reproduce these)",
            outside.join(", ")
        ));
    }
    notes
}

impl Calibration<'_> {
    /// `calibrate FILE` with its seed and sizes, reading the file and every
    /// target's scenario file.
    pub(crate) fn identity(&self) -> Result<Identity> {
        let plan = self.plan()?;
        let default_seed = self
            .file
            .settings
            .seed
            .unwrap_or_else(|| plan.targets[0].scenario.default_seed());
        let mut key = StudyKey::new("calibrate", &[&self.file.path])
            .with_seed(plan.seed, default_seed)
            .with_worlds(self.shared.worlds, true);
        for (flag, value) in [
            ("runs-per-world", self.runs_per_world),
            ("min-ess", self.min_ess),
            ("max-generations", self.max_generations),
        ] {
            if let Some(v) = value {
                key = key.with(flag, v.to_string(), v.to_string());
            }
        }
        let stem = std::path::Path::new(&self.file.path)
            .file_stem()
            .map_or_else(|| "calibration".into(), |s| s.to_string_lossy().to_string());
        let inputs = std::iter::once(self.file.path.as_str())
            .chain(plan.targets.iter().map(|t| t.spec.scenario.as_str()))
            .map(std::path::PathBuf::from)
            .filter(|p| p.is_file())
            .collect();
        Ok(Identity {
            key,
            base: format!("calibrate-{stem}"),
            inputs,
        })
    }
}
