//! Scenario discovery over the judged inputs: draw many worlds, estimate
//! an outcome's probability in each, and let PRIM find the box of input
//! ranges where the outcome is likely (docs/MODEL.md, "Scenario
//! discovery").

use std::time::{Instant, SystemTime};

use super::checks::{check_count, threads_or_every_core};
use super::control::{Shared, option_setter, shared_setters};
use super::points::Evaluator;
use super::sampling::{Cube, Prior, Sampler};
use super::scenario::Scenario;
use crate::engine::metrics::CHANNEL_CONTINUED;
use crate::engine::worlds::MAX_WORLDS;
use crate::engine::{Labels, Tally, Worlds};
use crate::error::{Diagnostic, Error, Result, setting};
use crate::output::discover::{self, Case, ChosenBy, Covering, Input, OutcomePhrase, Search};
use crate::output::manifest::Manifest;
use crate::output::names::Names;
use crate::output::partial::DiscoverStudy;
use crate::output::text::printable;
use crate::output::uncertainty::worlds_csv;
use crate::scenario::validate::MAX_RUNS;
use crate::stats::prim::{
    AssessOptions, Assessment, PrimOptions, Share, Trajectory, assess, discover_with_categories,
    supported_threshold,
};
use crate::stats::significant;

/// Worlds drawn unless told otherwise: PRIM peels 5 % of the points a step
/// down to 5 % of them, so a few hundred worlds leave it only a handful of
/// steps; a thousand give it room.
pub const DEFAULT_DISCOVER_WORLDS: u64 = 1000;
/// Runs per world unless the runs are set: a world's estimate of a
/// probability near 0.5 then has a standard error of about 0.02, below the
/// spread across worlds PRIM is looking for (a world of 100 runs has 0.05,
/// and PRIM peels noise).
pub const DEFAULT_RUNS_PER_WORLD: u64 = 500;
/// The density the chosen box should reach unless told otherwise: four
/// runs in five with the outcome is a box an analyst can call "likely"
/// (PRIM's users commonly ask 0.8; lower it to trade density for coverage).
pub const DEFAULT_THRESHOLD: f64 = 0.8;
/// The fewest worlds PRIM is given: it peels 5 % of them a step.
pub(crate) const MIN_DISCOVER_WORLDS: u64 = 20;

/// The outcomes discovery looks for: (what the user writes, the headline
/// key, what happens in a run, what such runs are called, what the other
/// runs are called).
const OUTCOMES: [(&str, &str, &str, &str, &str); 10] = [
    (
        "broken",
        "channel.broken",
        "the channel breaks",
        "breaks",
        "runs where the channel holds",
    ),
    (
        "continued",
        CHANNEL_CONTINUED,
        "the channel continues",
        "continuations",
        "breaks",
    ),
    (
        "escalation",
        "escalation",
        "the talks end in escalation",
        "escalations",
        "runs without escalation",
    ),
    (
        "deal.partial",
        "deal.partial",
        "a partial deal is ratified",
        "partial deals",
        "runs without a partial deal",
    ),
    (
        "deal.comprehensive",
        "deal.comprehensive",
        "every issue is ratified",
        "complete deals",
        "runs without a complete deal",
    ),
    (
        "deal.none",
        "deal.none",
        "no deal is ratified",
        "runs without a deal",
        "runs with a deal",
    ),
    (
        "channel.active",
        "channel.active",
        "the channel is active at the end",
        "active channels",
        "runs where the channel is not active",
    ),
    (
        "channel.suspended",
        "channel.suspended",
        "the channel ends suspended",
        "suspensions",
        "runs that do not end suspended",
    ),
    (
        "channel.concluded",
        "channel.concluded",
        "the talks conclude",
        "conclusions",
        "runs where the talks do not conclude",
    ),
    (
        "channel.broken",
        "channel.broken",
        "the channel breaks",
        "breaks",
        "runs where the channel holds",
    ),
];

/// How scenario discovery lays out its worlds over the judged inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Sampling {
    /// Independent draws from the judged inputs' distributions, as every
    /// study draws its worlds (the default)
    #[default]
    MonteCarlo,
    /// A Latin hypercube over the distributions (McKay, Beckman & Conover
    /// 1979): each of W equal-probability strata of every input holds
    /// exactly one world, as EMA Workbench samples for scenario discovery
    Latin,
}

impl Sampling {
    /// The sampling's name in results and on the command line
    /// (`monte-carlo`, `latin`).
    pub fn name(self) -> &'static str {
        match self {
            Sampling::MonteCarlo => "monte-carlo",
            Sampling::Latin => "latin",
        }
    }
}

/// Scenario discovery for one outcome, built step by step and then
/// [`run`]:
///
/// ```no_run
/// # use backchannel::{Scenario, Discovery};
/// let scenario = Scenario::load("uncertain.toml")?;
/// let found = Discovery::new(&scenario, "broken").threshold(0.6).run()?;
/// print!("{}", found.text());
/// # Ok::<(), backchannel::Error>(())
/// ```
///
/// The scenario must have judged inputs. Unset values: 1 000 worlds of 500
/// runs each, the scenario's seed, every core, a density threshold of 0.8
/// and no pasting.
///
/// [`run`]: Discovery::run
#[derive(Debug)]
pub struct Discovery<'a> {
    pub(crate) scenario: &'a Scenario,
    pub(super) outcome: String,
    pub(super) threshold: f64,
    pub(super) below: bool,
    pub(super) case: Option<Case>,
    pub(super) step: Option<usize>,
    pub(super) paste: bool,
    pub(super) keep_all: bool,
    pub(super) sampling: Sampling,
    pub(super) runs: Option<u64>,
    pub(super) shared: Shared<'a>,
}

/// How many worlds a discovery draws and how many runs it makes over
/// them ([`Discovery::worlds_and_runs`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorldsAndRuns {
    /// The worlds of the judged inputs searched.
    pub worlds: u64,
    /// The runs over every world.
    pub runs: u64,
}

impl<'a> Discovery<'a> {
    shared_setters!('a);

    /// Discovery of where `outcome` is likely in `scenario`: `broken`,
    /// `continued`, `escalation`, `deal.partial`, `deal.comprehensive`,
    /// `deal.none`, or `channel.` and a final state (`active`,
    /// `suspended`, `concluded`, `broken`).
    pub fn new(scenario: &'a Scenario, outcome: &str) -> Discovery<'a> {
        Discovery {
            scenario,
            outcome: outcome.to_string(),
            threshold: DEFAULT_THRESHOLD,
            below: false,
            case: None,
            step: None,
            paste: false,
            keep_all: false,
            sampling: Sampling::MonteCarlo,
            runs: None,
            shared: Shared::default(),
        }
    }

    /// The box chosen is the one of highest coverage among those on the
    /// coverage–density frontier whose density (the outcome's share of the
    /// runs in it) is at least `threshold` (docs/MODEL.md, "The chosen
    /// box"); when none is, the box is chosen for the threshold the data
    /// supports, and the results say so.
    pub fn threshold(mut self, threshold: f64) -> Self {
        self.threshold = threshold;
        self
    }

    /// Look for where the outcome is unlikely: boxes whose density is at
    /// most the threshold (PRIM on the runs without the outcome).
    pub fn below(mut self, below: bool) -> Self {
        self.below = below;
        self
    }

    /// Look for the worlds that are cases by `case` (a world whose
    /// probability of the outcome is at least, or at most, a value)
    /// instead of the runs with the outcome: each world counts 1 or 0.
    pub fn case(mut self, case: Option<Case>) -> Self {
        self.case = case;
        self
    }

    /// Report step `step` of PRIM's trajectory (from 0, as
    /// `discover.csv` numbers them) instead of the box the rule chooses.
    /// `None`: the rule's.
    pub fn step(mut self, step: Option<usize>) -> Self {
        self.step = step;
        self
    }

    /// After peeling, paste each peeled box (widen it while that raises
    /// its density) and add the pasted boxes to the trajectory, each a
    /// candidate for the chosen box (docs/MODEL.md, "Scenario discovery").
    pub fn paste(mut self, paste: bool) -> Self {
        self.paste = paste;
        self
    }

    /// Keep in the reported box the restrictions that pass neither test
    /// of significance (docs/MODEL.md, "Scenario discovery"), marked, and
    /// report its statistics with them; by default they are dropped.
    pub fn keep_all(mut self, keep_all: bool) -> Self {
        self.keep_all = keep_all;
        self
    }

    /// How the worlds are laid out over the judged inputs: independent
    /// draws (the default) or a Latin hypercube, whose strata spread the
    /// worlds evenly over each input's distribution.
    pub fn sampling(mut self, sampling: Sampling) -> Self {
        self.sampling = sampling;
        self
    }

    option_setter! {
        /// The number of runs over every world (at least one per world).
        /// `None`: the default.
        runs(runs: u64)
    }

    /// The worlds and runs this study takes, after checking the outcome,
    /// the threshold and that the scenario has judged inputs.
    pub fn worlds_and_runs(&self) -> Result<WorldsAndRuns> {
        outcome(&self.outcome)?;
        if !(0.0..=1.0).contains(&self.threshold) {
            return Err(Error::input(
                Diagnostic::new(format!(
                    "expected a share in [0, 1], found {}",
                    self.threshold
                ))
                .setting("threshold"),
            ));
        }
        if self.scenario.judged_keys().is_empty() {
            return Err(Error::input(
                Diagnostic::new(format!("{} has no judged inputs: there is nothing to discover over", self.scenario.loaded.spec))
                    .help(format!(
                        "write the uncertain values as distributions (docs/SCENARIO.md, \"Judged inputs\"), or use sweep and sensitivity with {}",
                        setting("vary")
                    )),
            ));
        }
        let worlds = self.shared.worlds.unwrap_or(DEFAULT_DISCOVER_WORLDS);
        check_count("worlds", worlds, MIN_DISCOVER_WORLDS, MAX_WORLDS)?;
        let runs = self
            .runs
            .unwrap_or(worlds.saturating_mul(DEFAULT_RUNS_PER_WORLD));
        check_count("runs", runs, worlds, MAX_RUNS)?;
        Ok(WorldsAndRuns { worlds, runs })
    }

    /// Run the study and search its worlds.
    pub fn run(self) -> Result<DiscoveryResults> {
        let started_at = SystemTime::now();
        let WorldsAndRuns { runs, .. } = self.worlds_and_runs()?;
        let threads = threads_or_every_core(self.shared.threads)?;
        let (seed, worlds) = self.seed_and_worlds()?;
        let simulate_start = Instant::now();
        let evaluator = Evaluator::local(seed, threads, &self.shared.control);
        let tally = evaluator.run_range(std::slice::from_ref(&worlds), 0..runs, 0)?;
        let tally = tally.into_iter().next().expect("one tally per study");
        let loaded = &self.scenario.loaded;
        let mut manifest = Manifest::start(loaded.into(), seed, runs, threads, started_at);
        manifest.simulated(runs, simulate_start.elapsed().as_secs_f64());
        self.results(&worlds, &tally, runs, manifest)
    }

    /// The study's seed and its worlds: the sampler's points, as the
    /// worlds of one study (run `i` in world `i mod W`), every one made
    /// and checked.
    pub(super) fn seed_and_worlds(&self) -> Result<(u64, Worlds)> {
        let WorldsAndRuns { worlds, .. } = self.worlds_and_runs()?;
        let loaded = &self.scenario.loaded;
        let seed = self.shared.seed.unwrap_or(loaded.scenario.scenario.seed);
        let (inputs, count) = (&loaded.judged, worlds as usize);
        let sampler: Box<dyn Sampler> = match self.sampling {
            Sampling::MonteCarlo => Box::new(Prior::new(inputs, seed, count)),
            Sampling::Latin => Box::new(Cube::latin_hypercube(inputs, count, seed)),
        };
        Ok((seed, Evaluator::worlds_of(loaded, sampler.as_ref())?))
    }

    /// The search over `worlds` from the `tally` of their `runs`: the
    /// boxes PRIM found and the tables, with `manifest`.
    pub(super) fn results(
        &self,
        worlds: &Worlds,
        tally: &Tally,
        runs: u64,
        manifest: Manifest,
    ) -> Result<DiscoveryResults> {
        let (key, phrase) = outcome(&self.outcome)?;
        let loaded = &self.scenario.loaded;
        let searched = self.search(worlds, tally, key, manifest.seed)?;
        let names = Names::of(&loaded.scenario);
        let inputs = worlds.inputs.iter().map(|input| {
            let options = input.distribution.options();
            let (lo, hi) = input.distribution.support();
            Input {
                key: input.key.clone(),
                name: names.input(&input.key),
                lo: lo.as_number(options),
                hi: hi.as_number(options),
                options: options.to_vec(),
            }
        });
        let first = &searched.first;
        let covering = searched.second.as_ref().map(|(found, shares)| Covering {
            trajectory: &found.trajectory,
            search: found.search,
            assessment: &found.assessment,
            coverage_share: shares.0,
            mass_share: shares.1,
        });
        let discovery = discover::Discovery::new(
            &self.outcome,
            &phrase,
            &first.search,
            inputs.collect(),
            &first.trajectory,
            &first.assessment,
            covering,
        );
        Ok(DiscoveryResults {
            text: render_text(&discovery, worlds, runs, self.sampling),
            worlds_csv: worlds_csv(worlds, tally, None),
            discovery,
            manifest,
            worlds: worlds.count() as u64,
            settings: self.study()?,
        })
    }

    /// PRIM over the worlds that ran: each world's input values, and the
    /// share of its runs in which the outcome `key` happened (1 or 0 of 1
    /// with a case definition; the share without it, `below`); then the
    /// box chosen and its restrictions judged (half-samples seeded by
    /// `seed`), and the second box, by covering, over the worlds outside it.
    fn search(&self, worlds: &Worlds, tally: &Tally, key: &str, seed: u64) -> Result<Searched> {
        let by_world = Labels::headline_by_world(tally);
        let counts = &by_world
            .iter()
            .find(|(metric, _)| metric.name() == key)
            .expect("every outcome is a headline")
            .1;
        let (x, y): (Vec<Vec<f64>>, Vec<Share>) = counts
            .iter()
            .zip(&worlds.values)
            .filter(|(c, _)| c.runs > 0)
            .map(|(c, values)| {
                let point = worlds
                    .inputs
                    .iter()
                    .zip(values)
                    .map(|(input, v)| v.as_number(input.distribution.options()))
                    .collect();
                (point, self.target(c.count, c.runs))
            })
            .unzip();
        let categories: Vec<bool> = worlds
            .inputs
            .iter()
            .map(|input| !input.distribution.options().is_empty())
            .collect();
        let first = self.find(&x, &y, &categories, self.step, seed)?;
        let reported = &first.assessment.reported;
        let (outside_x, outside_y): (Vec<Vec<f64>>, Vec<Share>) = x
            .iter()
            .zip(&y)
            .filter(|(point, _)| !reported.holds(point))
            .map(|(point, share)| (point.clone(), *share))
            .unzip();
        let share = |y: &[Share]| -> f64 { y.iter().map(|s| s.count as f64 / s.of as f64).sum() };
        let second = if share(&outside_y) > 0.0 {
            let found = self.find(&outside_x, &outside_y, &categories, None, seed)?;
            let shares = (
                share(&outside_y) / share(&y),
                outside_y.len() as f64 / y.len() as f64,
            );
            Some((found, shares))
        } else {
            None
        };
        Ok(Searched { first, second })
    }

    /// PRIM over the points `x` with outcomes `y`, the box reported (step
    /// `step`, or the rule's) and its restrictions judged.
    fn find(
        &self,
        x: &[Vec<f64>],
        y: &[Share],
        categories: &[bool],
        step: Option<usize>,
        seed: u64,
    ) -> Result<Found> {
        let prim = PrimOptions {
            paste: self.paste,
            ..PrimOptions::default()
        };
        let cannot = |e| Error::input(Diagnostic::new(format!("cannot search the worlds: {e}")));
        let trajectory = discover_with_categories(x, y, categories, &prim).map_err(cannot)?;
        let supported = supported_threshold(x, y, &trajectory, &prim).map_err(cannot)?;
        let (index, by, refit_threshold) = self.choose(&trajectory, supported, step)?;
        let rule = AssessOptions {
            threshold: refit_threshold,
            seed,
            drop: !self.keep_all,
        };
        let assessment = assess(x, y, &trajectory, index, &prim, &rule).map_err(cannot)?;
        let search = Search {
            below: self.below,
            case: self.case,
            threshold: self.threshold,
            supported,
            index,
            by,
        };
        Ok(Found {
            trajectory,
            search,
            assessment,
        })
    }

    /// A world's outcome as PRIM sees it: the `count` of its `runs` with
    /// the outcome, or 1 of 1 when it is a case by the case definition
    /// (else 0), turned into the rest when looking `below`.
    fn target(&self, count: u64, runs: u64) -> Share {
        let share = match self.case {
            Some(case) => Share {
                count: u64::from(case.holds(count, runs)),
                of: 1,
            },
            None => Share { count, of: runs },
        };
        if self.below {
            Share {
                count: share.of - share.count,
                of: share.of,
            }
        } else {
            share
        }
    }

    /// The step to report, why, and the threshold (in PRIM's terms) the
    /// half-sample refits choose their boxes for: the step asked, for its
    /// own density; else the rule's box for the threshold asked; else, when
    /// no box reaches it, for the threshold the data `supported`.
    fn choose(
        &self,
        trajectory: &Trajectory,
        supported: f64,
        step: Option<usize>,
    ) -> Result<(usize, ChosenBy, f64)> {
        if let Some(step) = step {
            let Some(b) = trajectory.boxes.get(step) else {
                return Err(Error::input(
                    Diagnostic::new(format!(
                        "there is no step {step}: PRIM's trajectory has steps 0 to {}",
                        trajectory.boxes.len() - 1
                    ))
                    .setting("step")
                    .help("choose a step from the trajectory (discover.csv lists them)"),
                ));
            };
            return Ok((step, ChosenBy::Step, b.density));
        }
        let threshold = if self.below {
            1.0 - self.threshold
        } else {
            self.threshold
        };
        let choice = trajectory.choose(threshold);
        if choice.meets_threshold {
            return Ok((choice.index, ChosenBy::Threshold, threshold));
        }
        let index = trajectory.choose(supported).index;
        Ok((index, ChosenBy::SupportedThreshold, supported))
    }
}

/// PRIM's run over some worlds: its trajectory, the box reported and its
/// judgement.
struct Found {
    trajectory: Trajectory,
    search: Search,
    assessment: Assessment,
}

/// The first box's search, and the second's by covering with the shares
/// of what PRIM looks for and of the worlds outside the first box.
struct Searched {
    first: Found,
    second: Option<(Found, (f64, f64))>,
}

/// What [`Discovery::run`] returns: the boxes PRIM found (the contents of
/// `discover.json` and `discover.csv`, docs/OUTPUTS.md), the per-world
/// table and the manifest of the study.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DiscoveryResults {
    /// The inputs searched, PRIM's trajectory and the box chosen.
    pub discovery: discover::Discovery,
    /// `worlds.csv`: each world's input values and headline counts.
    pub worlds_csv: String,
    /// How the study was run (`manifest.json`).
    pub manifest: Manifest,
    text: String,
    /// The worlds searched.
    pub(crate) worlds: u64,
    /// The study's settings, from which its page's command asks for it
    /// again.
    pub(crate) settings: DiscoverStudy,
}

impl DiscoveryResults {
    /// `discover.json`: the trajectory of boxes and the box chosen.
    pub fn to_json(&self) -> String {
        self.discovery.to_json()
    }

    /// `discover.csv`: one row per box of the trajectory.
    pub fn to_csv(&self) -> Vec<u8> {
        self.discovery.to_csv()
    }

    /// The one-screen summary: the sentence, then the box chosen.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The headline key and phrase of an outcome, or a diagnostic listing the
/// outcomes.
fn outcome(written: &str) -> Result<(&'static str, OutcomePhrase)> {
    OUTCOMES
        .iter()
        .find(|(name, ..)| *name == written)
        .map(|&(_, key, happens, events, non_events)| {
            (
                key,
                OutcomePhrase {
                    happens: happens.into(),
                    events: events.into(),
                    non_events: non_events.into(),
                },
            )
        })
        .ok_or_else(|| {
            let names: Vec<&str> = OUTCOMES.iter().map(|(name, ..)| *name).collect();
            Error::input(
                Diagnostic::new(format!("unknown outcome {written:?}"))
                    .setting("outcome")
                    .help(format!("outcomes: {}", names.join(", "))),
            )
        })
}

/// The one-screen summary: the sentence, then the chosen box.
fn render_text(d: &discover::Discovery, worlds: &Worlds, runs: u64, sampling: Sampling) -> String {
    let layout = match sampling {
        Sampling::MonteCarlo => "",
        Sampling::Latin => " (a Latin hypercube)",
    };
    let mut text = format!(
        "Scenario discovery over {} judged inputs: {} worlds{layout} of about {} runs each\n\n  {}\n",
        worlds.inputs.len(),
        worlds.count(),
        runs / worlds.count() as u64,
        printable(&d.sentence)
    );
    let b = &d.chosen.step_box;
    let why = match d.chosen.chosen_by {
        ChosenBy::Threshold => format!("for the threshold {:.0}%", 100.0 * d.threshold),
        ChosenBy::SupportedThreshold => format!(
            "for the supported threshold {:.0}%; none reaches {:.0}%",
            100.0 * d.supported_threshold,
            100.0 * d.threshold
        ),
        ChosenBy::Step => "as asked".to_string(),
    };
    text.push_str(&format!(
        "\n  Box of step {} of {} ({why}): density {:.0}% (95% interval {:.0} to {:.0}%), coverage {:.0}%, {:.0}% of the worlds\n",
        d.chosen.step,
        d.trajectory.len() - 1,
        100.0 * b.density,
        100.0 * d.chosen.density_lo,
        100.0 * d.chosen.density_hi,
        100.0 * b.coverage,
        100.0 * b.mass
    ));
    if !b.limits.is_empty() {
        text.push_str(&format!(
            "    {:<40} {:<22} {:>8} {:>7}\n",
            "input", "range", "quasi-p", "refits"
        ));
    }
    for limit in &b.limits {
        let range = if limit.options.is_empty() {
            format!(
                "{} to {}",
                significant(limit.lo, 3),
                significant(limit.hi, 3)
            )
        } else {
            format!("in {{{}}}", limit.options.join(", "))
        };
        let (p, share, mark) = limit
            .significance
            .map_or((String::new(), String::new(), ""), |s| {
                let mark = match (s.matters, s.dropped) {
                    (true, _) => "",
                    (false, true) => "  dropped: passes neither test",
                    (false, false) => "  kept: passes neither test",
                };
                (
                    format!("{:.4}", s.quasi_p()),
                    format!("{:.0}%", 100.0 * s.refit_share),
                    mark,
                )
            });
        text.push_str(&format!(
            "    {:<40} {:<22} {:>8} {:>7}{mark}\n",
            printable(&limit.key),
            range,
            p,
            share
        ));
    }
    if let Some(second) = &d.second_box {
        let b = &second.step_box;
        text.push_str(&format!(
            "\n  Second box (covering: PRIM over the worlds outside the first; step {} of its trajectory): density {:.0}%, coverage {:.0}%, {:.0}% of the worlds\n",
            second.step,
            100.0 * b.density,
            100.0 * b.coverage,
            100.0 * b.mass
        ));
    }
    text.push_str(&tradeoff_table(d));
    text
}

/// The trade-off a user picks a step from: for each number of restricted
/// inputs, the densest box on the frontier that restricts that many, and
/// the reported box.
fn tradeoff_table(d: &discover::Discovery) -> String {
    let densest = |i: usize| {
        let this = &d.trajectory[i];
        !d.trajectory.iter().enumerate().any(|(j, s)| {
            s.frontier
                && s.restricted == this.restricted
                && (s.density > this.density || (s.density == this.density && j < i))
        })
    };
    let mut text = format!(
        "\n  The trade-off (the densest box for each number of restricted inputs; the supported threshold is {:.0}%):\n    {:>4} {:>8} {:>8} {:>6} {:>10}\n",
        100.0 * d.supported_threshold,
        "step",
        "coverage",
        "density",
        "mass",
        "restricted"
    );
    let shown = d
        .trajectory
        .iter()
        .enumerate()
        .filter(|&(i, s)| i == d.chosen.step || (s.frontier && densest(i)));
    for (i, s) in shown {
        let mark = if i == d.chosen.step {
            "  <- reported"
        } else {
            ""
        };
        text.push_str(&format!(
            "    {i:>4} {:>7.0}% {:>7.0}% {:>5.0}% {:>10}{mark}\n",
            100.0 * s.coverage,
            100.0 * s.density,
            100.0 * s.mass,
            s.restricted
        ));
    }
    text
}
