//! A sensitivity analysis: which parameters move the headline outcomes,
//! globally (Sobol' indices from a Saltelli design) or one at a time (a
//! tornado around the scenario's own values). Every design point is a
//! study on the same seed.

use std::cell::Cell;
use std::path::Path;
use std::time::SystemTime;

use super::checks::{WorldsUse, check_count, threads_or_every_core, worlds_for_runs};
use super::control::{Shared, shared_setters};
use super::design_shard::{DesignShard, DesignShardResults, merged_headlines, merged_manifest};
use super::merge::Found;
use super::points::{Design, Evaluator, Headlines, check_design_size, number_at, parse_varies};
use super::sampling::{Cube, OneAtATime, Sampler};
use super::scenario::Scenario;
use crate::error::{Diagnostic, Error, Result, setting, setting_value};
use crate::experiment::sensitivity::sobol_indices;
use crate::experiment::vary::Vary;
use crate::output::manifest::Manifest;
use crate::output::partial::{DesignPartial, DesignStudy};
use crate::output::sensitivity::{self, InteractionRow, OUTPUTS, OatRow, Parameter, SobolRow};
use crate::scenario::validate::MAX_RUNS;

/// Bootstrap resamples for the intervals of Sobol' indices.
const BOOTSTRAP: usize = 1000;

/// Runs per design point unless told otherwise.
pub const DEFAULT_RUNS_PER_POINT: u64 = 2000;

/// Base samples of the Saltelli design unless told otherwise.
pub const DEFAULT_SAMPLES: usize = 128;
/// The most base samples of the Saltelli design.
pub const MAX_SAMPLES: u64 = 100_000;

/// How a sensitivity analysis explores the parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// Sobol' first-order and total indices from a Saltelli design
    Sobol,
    /// One at a time: each parameter at its low and high value, others at the scenario's
    Oat,
}

impl Method {
    /// The method's name in results (`sobol`, `oat`).
    pub fn name(self) -> &'static str {
        match self {
            Method::Sobol => "sobol",
            Method::Oat => "oat",
        }
    }
}

/// A sensitivity analysis of one scenario, built step by step and then
/// [`run`](Sensitivity::run):
///
/// ```no_run
/// # use backchannel::{Method, Scenario, Sensitivity};
/// let scenario = Scenario::load("muscat-2026")?;
/// let ranked = Sensitivity::new(&scenario)
///     .vary("parties.us.domestic.threshold=0.2..0.8")
///     .vary("format.leak_hazard=0.0..0.2")
///     .method(Method::Oat)
///     .run()?;
/// print!("{}", ranked.report.render_text());
/// # Ok::<(), backchannel::Error>(())
/// ```
///
/// Without any [`vary`](Sensitivity::vary), the parameters are the
/// scenario's judged inputs, each over its distribution (Sobol' only):
/// each point fixes them all, so it is one world and
/// [`worlds`](Sensitivity::worlds) is refused. Unset values: Sobol', 2 000
/// runs per point, 128 base samples, the scenario's seed, every core, 200
/// worlds of the judged inputs left uncertain.
#[derive(Debug)]
pub struct Sensitivity<'a> {
    pub(crate) scenario: &'a Scenario,
    pub(crate) varies: Vec<String>,
    pub(crate) method: Method,
    runs: u64,
    samples: usize,
    pub(super) shared: Shared<'a>,
    /// Whether [`Sensitivity::check`] has checked every point already.
    checked: Cell<bool>,
}

/// What a sensitivity analysis produced, ready to be written.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SensitivityResults {
    /// `sensitivity.json` and `sensitivity.csv`.
    pub report: sensitivity::Sensitivity,
    /// `manifest.json`, to be completed with the files written.
    pub manifest: Manifest,
}

/// The analysis's design, checked: its parameters and its sampler's
/// points.
struct Plan {
    varies: Vec<Vary>,
    /// The scenario's own value of each varied key (one at a time only).
    bases: Option<Vec<f64>>,
    /// The number of points of the design.
    points: usize,
    threads: usize,
    worlds: u64,
    seed: u64,
}

impl<'a> Sensitivity<'a> {
    /// A Sobol' analysis of `scenario` with every setting at its default.
    pub fn new(scenario: &'a Scenario) -> Sensitivity<'a> {
        Sensitivity {
            scenario,
            varies: Vec::new(),
            method: Method::Sobol,
            runs: DEFAULT_RUNS_PER_POINT,
            samples: DEFAULT_SAMPLES,
            shared: Shared::default(),
            checked: Cell::new(false),
        }
    }

    shared_setters!('a);

    /// A parameter and its range, `KEY=LO..HI`.
    pub fn vary(mut self, vary: impl Into<String>) -> Self {
        self.varies.push(vary.into());
        self.checked.set(false);
        self
    }

    /// Sobol' indices or one at a time.
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self.checked.set(false);
        self
    }

    /// Runs per design point.
    pub fn runs(mut self, runs: u64) -> Self {
        self.runs = runs;
        self
    }

    /// Base samples N of the Saltelli design (N × (parameters + 2) points).
    pub fn samples(mut self, samples: usize) -> Self {
        self.samples = samples;
        self.checked.set(false);
        self
    }

    /// Check every setting and every point of the design (each point's
    /// scenario loaded and dropped), so bad input is refused before anything
    /// runs; the runs the analysis will take in all.
    /// [`Sensitivity::run`] does not check the points again.
    pub fn check(&self) -> Result<u64> {
        let plan = self.plan()?;
        let sampler = self.sampler(&plan);
        self.evaluator(&plan)
            .check(self.scenario, &self.design(&plan, sampler.as_ref()))?;
        self.checked.set(true);
        Ok(self.runs * plan.points as u64)
    }

    /// Run the analysis.
    pub fn run(self) -> Result<SensitivityResults> {
        let started_at = SystemTime::now();
        let plan = self.plan()?;
        let sampler = self.sampler(&plan);
        let (headlines, simulate_seconds) = self.evaluator(&plan).check_and_run(
            self.scenario,
            &self.design(&plan, sampler.as_ref()),
            self.checked.get(),
        )?;
        let report = self.report(&plan, &headlines);
        let points = plan.points as u64;
        let base = &self.scenario.loaded;
        let mut manifest =
            Manifest::start(base.into(), plan.seed, self.runs, plan.threads, started_at);
        manifest.simulated(self.runs * points, simulate_seconds);
        manifest.runs = self.runs;
        Ok(SensitivityResults { report, manifest })
    }

    /// Run only shard `index` of `count` (from 0) of the design's
    /// point-runs, for [`Merge`](super::Merge) to add up with the others
    /// into exactly this analysis (see `design_shard`).
    pub fn shard(self, index: u64, count: u64) -> Result<DesignShardResults> {
        let started_at = SystemTime::now();
        let plan = self.plan()?;
        let sampler = self.sampler(&plan);
        self.sharded(&plan).run(
            &self.design(&plan, sampler.as_ref()),
            index,
            count,
            started_at,
        )
    }

    /// The design's point-runs in all (points × runs per point): what
    /// `--shard I/N` splits.
    pub fn point_runs(&self) -> Result<u64> {
        Ok(self.sharded(&self.plan()?).study.point_runs())
    }

    /// Whether `dir` holds shard `index` of `count` of this analysis,
    /// complete (so a rerun of the array may skip it).
    pub fn shard_done(&self, dir: &Path, index: u64, count: u64) -> Result<bool> {
        Ok(self.sharded(&self.plan()?).done_in(dir, index, count))
    }

    /// The analysis of `plan`, to be sharded.
    fn sharded(&self, plan: &Plan) -> DesignShard<'_> {
        DesignShard {
            scenario: self.scenario,
            evaluator: self.evaluator(plan),
            study: DesignStudy {
                command: "sensitivity".into(),
                varies: self.varies.clone(),
                method: Some(self.method.name().into()),
                samples: (self.method == Method::Sobol).then_some(self.samples as u64),
                worlds: self.shared.worlds,
                points: plan.points as u64,
                runs_per_point: self.runs,
            },
        }
    }

    /// The analysis from the counts of its shards `found` (checked to be of
    /// one analysis and to cover it exactly once).
    pub(super) fn merge(
        self,
        found: &[Found<DesignPartial>],
        started_at: SystemTime,
    ) -> Result<SensitivityResults> {
        let plan = self.plan()?;
        let sampler = self.sampler(&plan);
        let design = self.design(&plan, sampler.as_ref());
        let headlines = merged_headlines(self.scenario, &design, plan.seed, found)?;
        let report = self.report(&plan, &headlines);
        let manifest = merged_manifest(self.scenario, plan.seed, self.runs, found, started_at);
        Ok(SensitivityResults { report, manifest })
    }

    /// Whether the parameters are the scenario's judged inputs (no `vary`).
    fn judged(&self) -> bool {
        self.varies.is_empty()
    }

    /// Parse and check the parameters and the sizes, and lay out the design.
    fn plan(&self) -> Result<Plan> {
        let loaded = &self.scenario.loaded;
        let varies = parse_varies(&self.varies, false)?;
        if self.judged() && (loaded.judged.is_empty() || self.method == Method::Oat) {
            return Err(Error::input(
                Diagnostic::new(if loaded.judged.is_empty() {
                    format!(
                        "expected at least one {}: the scenario has no judged inputs",
                        setting_value("vary", "KEY=LO..HI")
                    )
                } else {
                    format!(
                        "one-at-a-time sensitivity needs {} for each parameter",
                        setting_value("vary", "KEY=LO..HI")
                    )
                })
                .setting("vary")
                .help(format!(
                    "write a distribution in the scenario (docs/SCENARIO.md, \"Judged inputs\") to rank it with {}, or name ranges with {}",
                    setting_value("method", "sobol"),
                    setting("vary")
                )),
            ));
        }
        if self.judged() && self.shared.worlds.is_some() {
            return Err(worlds_over_judged_inputs());
        }
        check_count("runs", self.runs, 1, MAX_RUNS)?;
        check_count("samples", self.samples as u64, 2, MAX_SAMPLES)?;
        let threads = threads_or_every_core(self.shared.threads)?;
        let seed = self.shared.seed.unwrap_or(self.scenario.default_seed());
        let (n, k) = (self.samples, self.parameter_count(&varies));
        let points = match self.method {
            Method::Sobol => n as u64 * (k as u64 + 2),
            Method::Oat => 1 + 2 * k as u64,
        };
        check_design_size(
            points,
            self.runs,
            &format!(
                "fewer {} or {}, or fewer {}",
                setting("samples"),
                setting("vary"),
                setting("runs")
            ),
        )?;
        let bases = match self.method {
            Method::Oat => Some(base_values(self.scenario, &varies)?),
            Method::Sobol => None,
        };
        Ok(Plan {
            varies,
            bases,
            points: points as usize,
            threads,
            // Over judged inputs each point fixes them all: one world.
            worlds: worlds_for_runs(
                self.shared.worlds,
                self.runs,
                !self.judged() && !self.scenario.loaded.judged.is_empty(),
                WorldsUse::Mixture,
            )?,
            seed,
        })
    }

    fn parameter_count(&self, varies: &[Vary]) -> usize {
        if self.judged() {
            self.scenario.loaded.judged.len()
        } else {
            varies.len()
        }
    }

    /// The sampler of `plan`'s points: the Saltelli design over the
    /// judged inputs or the varied ranges (Sobol'), or one at a time.
    fn sampler<'p>(&'p self, plan: &'p Plan) -> Box<dyn Sampler + 'p> {
        let judged = &self.scenario.loaded.judged;
        match &plan.bases {
            None if self.judged() => Box::new(Cube::saltelli(judged, self.samples, plan.seed)),
            None => Box::new(Cube::saltelli(&plan.varies, self.samples, plan.seed)),
            Some(bases) => Box::new(OneAtATime::new(&plan.varies, bases)),
        }
    }

    /// The points of `sampler`, each a study of this analysis's runs.
    fn design<'s>(&self, plan: &Plan, sampler: &'s dyn Sampler) -> Design<'s> {
        Design {
            sampler,
            runs: self.runs,
            worlds: plan.worlds,
        }
    }

    /// The evaluator of this analysis's points.
    fn evaluator(&self, plan: &Plan) -> Evaluator<'_> {
        Evaluator::local(plan.seed, plan.threads, &self.shared.control)
    }

    /// `sensitivity.json` from every point's headlines.
    fn report(&self, plan: &Plan, headlines: &Headlines) -> sensitivity::Sensitivity {
        let mut report = sensitivity::Sensitivity {
            schema: sensitivity::SCHEMA,
            method: self.method.name(),
            seed: plan.seed,
            runs_per_point: self.runs,
            design_points: plan.points,
            parameters: self.parameters(plan),
            sobol: Vec::new(),
            interactions: Vec::new(),
            oat: Vec::new(),
            notes: Vec::new(),
            worlds: headlines.worlds,
        };
        let k = report.parameters.len();
        for output in OUTPUTS {
            let values = headlines.column(output);
            match self.method {
                Method::Sobol => {
                    let y: Vec<f64> = values.iter().map(|p| p.p).collect();
                    let estimates = sobol_indices(&y, self.samples, k, BOOTSTRAP, plan.seed);
                    for (parameter, indices) in report.parameters.iter().zip(estimates.indices) {
                        report.sobol.push(SobolRow {
                            output: output.into(),
                            parameter: parameter.key.clone(),
                            first_order: indices.first_order,
                            total: indices.total,
                        });
                    }
                    report.interactions.push(InteractionRow {
                        output: output.into(),
                        share: estimates.interactions,
                    });
                }
                Method::Oat => {
                    for (i, v) in plan.varies.iter().enumerate() {
                        let (at_lo, at_hi) = (values[1 + 2 * i], values[2 + 2 * i]);
                        report.oat.push(OatRow {
                            output: output.into(),
                            parameter: v.key.clone(),
                            at_base: values[0],
                            at_lo,
                            at_hi,
                            swing: at_hi.p - at_lo.p,
                        });
                    }
                }
            }
        }
        report.notes.extend(report.clipping_note());
        report
    }

    /// The parameters as results list them.
    fn parameters(&self, plan: &Plan) -> Vec<Parameter> {
        if self.judged() {
            return self
                .scenario
                .loaded
                .judged
                .iter()
                .map(Parameter::judged)
                .collect();
        }
        plan.varies
            .iter()
            .enumerate()
            .map(|(i, v)| Parameter {
                key: v.key.clone(),
                lo: v.lo,
                hi: v.hi,
                base: plan.bases.as_ref().map(|b| b[i]),
                distribution: None,
            })
            .collect()
    }
}

/// The scenario's own value of each varied key, for one-at-a-time designs.
fn base_values(scenario: &Scenario, varies: &[Vary]) -> Result<Vec<f64>> {
    varies
        .iter()
        .map(|v| {
            number_at(scenario, &v.key).ok_or_else(|| {
                Error::input(
                    Diagnostic::new(format!(
                        "`{}` has no numeric value in the scenario to vary around",
                        v.key
                    ))
                    .setting("vary")
                    .help(format!(
                        "write the key in the scenario file, or use {}",
                        setting_value("method", "sobol")
                    )),
                )
            })
        })
        .collect()
}

/// The refusal of `--worlds` for a Sobol' analysis over the judged inputs:
/// each point fixes every judged input, so each point is one world and
/// worlds would be ignored.
fn worlds_over_judged_inputs() -> Error {
    Error::input(
        Diagnostic::new(
            "a Sobol' analysis over the judged inputs fixes every judged input at each design point: each point is one world, with no worlds to draw",
        )
        .setting("worlds")
        .help(format!(
            "leave out {}, or name ranges with {} to rank them over worlds of the other judged inputs",
            setting("worlds"),
            setting("vary")
        )),
    )
}
