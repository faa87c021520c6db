//! A sweep: the headline outcomes over a line (one key) or a grid (two
//! keys) of values, every point a study on the same seed.

use std::cell::Cell;
use std::path::Path;
use std::time::SystemTime;

use super::checkpoints::max_runs;
use super::checks::{WorldsUse, threads_or_every_core, worlds_for_runs};
use super::control::{Shared, shared_setters};
use super::design_shard::{DesignShard, DesignShardResults, merged_headlines, merged_manifest};
use super::merge::Found;
use super::points::{Design, Evaluator, Headlines, check_design_size, number_at, parse_varies};
use super::sampling::{Grid, Sampler};
use super::scenario::Scenario;
use crate::error::{Diagnostic, Error, Result, setting};
use crate::experiment::vary::Vary;
use crate::output::manifest::Manifest;
use crate::output::partial::{DesignPartial, DesignStudy};
use crate::output::sweep::SweepTable;

/// A sweep of one scenario over one or two keys, built step by step and
/// then [`run`](Sweep::run):
///
/// ```no_run
/// # use backchannel::{Scenario, Sweep};
/// let scenario = Scenario::load("muscat-2026")?;
/// let swept = Sweep::new(&scenario)
///     .vary("parties.us.domestic.threshold=0.2..0.8:7")
///     .runs(2_000)
///     .run()?;
/// print!("{}", swept.table.render_text());
/// # Ok::<(), backchannel::Error>(())
/// ```
///
/// Unset values come from the scenario (`[scenario] runs`, `seed`), every
/// core, and 200 worlds of the judged inputs at each point.
#[derive(Debug)]
pub struct Sweep<'a> {
    pub(crate) scenario: &'a Scenario,
    pub(crate) varies: Vec<String>,
    runs: Option<u64>,
    pub(super) shared: Shared<'a>,
    /// Whether [`Sweep::check`] has checked every point already.
    checked: Cell<bool>,
}

/// What a sweep produced, ready to be written.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SweepResults {
    /// `sweep.csv`: every point's headline outcomes.
    pub table: SweepTable,
    /// The scenario's own value of each varied key, where it writes a
    /// number (charts mark it; otherwise the mode's default applies).
    pub own_values: Vec<Option<f64>>,
    /// `manifest.json`, to be completed with the files written.
    pub manifest: Manifest,
}

/// The sweep's keys and sizes, checked.
struct Plan {
    varies: Vec<Vary>,
    runs: u64,
    threads: usize,
    worlds: u64,
}

impl Plan {
    /// The points of `grid` (over this plan's keys), each a study of
    /// this plan's runs and worlds.
    fn design<'s>(&self, grid: &'s Grid) -> Design<'s> {
        Design {
            sampler: grid,
            runs: self.runs,
            worlds: self.worlds,
        }
    }
}

impl<'a> Sweep<'a> {
    /// A sweep of `scenario` (with no key varied yet).
    pub fn new(scenario: &'a Scenario) -> Sweep<'a> {
        Sweep {
            scenario,
            varies: Vec::new(),
            runs: None,
            shared: Shared::default(),
            checked: Cell::new(false),
        }
    }

    shared_setters!('a);

    /// Vary a key over `KEY=LO..HI:STEPS` (once for a line, twice for a
    /// grid).
    pub fn vary(mut self, vary: impl Into<String>) -> Self {
        self.varies.push(vary.into());
        self.checked.set(false);
        self
    }

    /// Runs per point.
    pub fn runs(mut self, runs: u64) -> Self {
        self.runs = Some(runs);
        self
    }

    /// Check every setting and every point of the design (each point's
    /// scenario loaded and dropped), so bad input is refused before anything
    /// runs; the runs the sweep will take in all. [`Sweep::run`] does not
    /// check the points again.
    pub fn check(&self) -> Result<u64> {
        let plan = self.plan()?;
        let grid = Grid::new(&plan.varies);
        self.evaluator(&plan)
            .check(self.scenario, &plan.design(&grid))?;
        self.checked.set(true);
        Ok(plan.runs * grid.len() as u64)
    }

    /// Run the sweep.
    pub fn run(self) -> Result<SweepResults> {
        let started_at = SystemTime::now();
        let plan = self.plan()?;
        let seed = self.study_seed();
        let grid = Grid::new(&plan.varies);
        let (headlines, simulate_seconds) = self.evaluator(&plan).check_and_run(
            self.scenario,
            &plan.design(&grid),
            self.checked.get(),
        )?;
        let points = grid.len() as u64;
        let base = &self.scenario.loaded;
        let mut manifest = Manifest::start(base.into(), seed, plan.runs, plan.threads, started_at);
        manifest.simulated(plan.runs * points, simulate_seconds);
        manifest.runs = plan.runs;
        Ok(self.results(&plan, &grid, headlines, manifest))
    }

    /// Run only shard `index` of `count` (from 0) of the sweep's
    /// point-runs, for [`Merge`](super::Merge) to add up with the others
    /// into exactly this sweep (see `design_shard`).
    pub fn shard(self, index: u64, count: u64) -> Result<DesignShardResults> {
        let started_at = SystemTime::now();
        let plan = self.plan()?;
        let grid = Grid::new(&plan.varies);
        self.sharded(&plan, &grid)
            .run(&plan.design(&grid), index, count, started_at)
    }

    /// The sweep's point-runs in all (points × runs per point): what
    /// `--shard I/N` splits.
    pub fn point_runs(&self) -> Result<u64> {
        let plan = self.plan()?;
        Ok(self
            .sharded(&plan, &Grid::new(&plan.varies))
            .study
            .point_runs())
    }

    /// Whether `dir` holds shard `index` of `count` of this sweep,
    /// complete (so a rerun of the array may skip it).
    pub fn shard_done(&self, dir: &Path, index: u64, count: u64) -> Result<bool> {
        let plan = self.plan()?;
        Ok(self
            .sharded(&plan, &Grid::new(&plan.varies))
            .done_in(dir, index, count))
    }

    /// The sweep of `plan` over `grid`, to be sharded.
    fn sharded(&self, plan: &Plan, grid: &Grid) -> DesignShard<'_> {
        DesignShard {
            scenario: self.scenario,
            evaluator: self.evaluator(plan),
            study: DesignStudy {
                command: "sweep".into(),
                varies: self.varies.clone(),
                method: None,
                samples: None,
                worlds: self.shared.worlds,
                points: grid.len() as u64,
                runs_per_point: plan.runs,
            },
        }
    }

    /// The sweep from the counts of its shards `found` (checked to be of
    /// one sweep and to cover it exactly once).
    pub(super) fn merge(
        self,
        found: &[Found<DesignPartial>],
        started_at: SystemTime,
    ) -> Result<SweepResults> {
        let plan = self.plan()?;
        let seed = self.study_seed();
        let grid = Grid::new(&plan.varies);
        let headlines = merged_headlines(self.scenario, &plan.design(&grid), seed, found)?;
        let manifest = merged_manifest(self.scenario, seed, plan.runs, found, started_at);
        Ok(self.results(&plan, &grid, headlines, manifest))
    }

    /// The sweep's results from every point's `headlines`.
    fn results(
        &self,
        plan: &Plan,
        grid: &Grid,
        headlines: Headlines,
        manifest: Manifest,
    ) -> SweepResults {
        let own_values = plan
            .varies
            .iter()
            .map(|v| number_at(self.scenario, &v.key))
            .collect();
        let mut table = SweepTable::new(
            plan.varies.iter().map(|v| v.key.clone()).collect(),
            (0..grid.len()).map(|i| grid.coordinates(i)).collect(),
            headlines.metrics,
            headlines.rows,
        );
        table.worlds = headlines.worlds;
        SweepResults {
            table,
            own_values,
            manifest,
        }
    }

    fn study_seed(&self) -> u64 {
        self.shared.seed.unwrap_or(self.scenario.default_seed())
    }

    /// The evaluator of this sweep's points.
    fn evaluator(&self, plan: &Plan) -> Evaluator<'_> {
        Evaluator::local(self.study_seed(), plan.threads, &self.shared.control)
    }

    /// Parse and check the keys varied and the sizes.
    fn plan(&self) -> Result<Plan> {
        let varies = parse_varies(&self.varies, true)?;
        if !(1..=2).contains(&varies.len()) {
            return Err(Error::input(
                Diagnostic::new(format!(
                    "expected one or two {}, found {}",
                    setting("vary"),
                    varies.len()
                ))
                .setting("vary"),
            ));
        }
        let runs = max_runs(self.runs, None, self.scenario.default_runs())?;
        let threads = threads_or_every_core(self.shared.threads)?;
        check_design_size(
            Grid::new(&varies).len() as u64,
            runs,
            &format!("fewer steps, or fewer {}", setting("runs")),
        )?;
        Ok(Plan {
            varies,
            runs,
            threads,
            worlds: worlds_for_runs(
                self.shared.worlds,
                runs,
                !self.scenario.loaded.judged.is_empty(),
                WorldsUse::Mixture,
            )?,
        })
    }
}
