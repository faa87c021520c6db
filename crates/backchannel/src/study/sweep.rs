//! A sweep: the headline outcomes over a line (one key) or a grid (two
//! keys) of values, every point a study on the same seed.

use std::cell::Cell;
use std::time::SystemTime;

use super::checkpoints::max_runs;
use super::checks::{WorldsUse, threads_or_every_core, worlds_for_runs};
use super::control::{Shared, shared_setters};
use super::points::{Design, Evaluator, check_design_size, number_at, parse_varies};
use super::sampling::{Grid, Sampler};
use super::scenario::Scenario;
use crate::error::{Diagnostic, Error, Result, setting};
use crate::experiment::vary::Vary;
use crate::output::manifest::Manifest;
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
        let own_values = plan
            .varies
            .iter()
            .map(|v| number_at(self.scenario, &v.key))
            .collect();
        let table = SweepTable::new(
            plan.varies.iter().map(|v| v.key.clone()).collect(),
            (0..grid.len()).map(|i| grid.coordinates(i)).collect(),
            headlines.metrics,
            headlines.rows,
        );
        Ok(SweepResults {
            table,
            own_values,
            manifest,
        })
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
