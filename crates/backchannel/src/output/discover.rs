//! `discover.json` and `discover.csv`: the result of scenario discovery,
//! the PRIM trajectory of boxes over the judged inputs (see
//! [`crate::stats::prim`]), the box chosen for a density threshold, and the
//! plain sentence that says what it means.

use std::fmt::Write;
use std::str::FromStr;

use serde::Serialize;

use crate::stats::prim::{Assessment, Limit, QUASI_P_LEVEL, REFITS, Restriction, Trajectory};
use crate::stats::significant;

/// `discover.json`'s `schema`.
pub const SCHEMA: &str = "backchannel.discover.v1";

/// An input PRIM searched over: its key, how the sentence names it, and
/// its prior range (the range the plots and unrestricted sides show).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Input {
    /// The judged input's key, e.g. `spoilers.israel.capability`.
    pub key: String,
    /// How the sentence names the input, e.g. "Israel's capability".
    #[serde(skip)]
    pub name: String,
    /// The low end of its prior range, in the key's own unit (an
    /// enumerated input's options by position, from 0).
    pub lo: f64,
    /// The high end of its prior range.
    pub hi: f64,
    /// A category input's options, in the order of their indices (empty
    /// for a number input): PRIM keeps a set of them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// How the sentence names the outcome: what happens in a run
/// ("the channel breaks") and what the runs where it happens are called
/// ("breaks").
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OutcomePhrase {
    /// What happens in a run, e.g. "the channel breaks".
    pub happens: String,
    /// What the runs where it happens are called, e.g. "breaks".
    pub events: String,
    /// What the runs where it does not happen are called, e.g. "runs
    /// without a break".
    pub non_events: String,
}

/// A binary case definition (`--case p>=0.35`): a world is a case when its
/// probability of the outcome (the share of its runs where it happened) is
/// at least (or at most) `p`; PRIM then looks for the worlds that are cases
/// rather than for the runs with the outcome (docs/MODEL.md, "Scenario
/// discovery").
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Case {
    /// `">="` (a world is a case when its probability is at least `p`) or
    /// `"<="` (at most `p`).
    pub op: &'static str,
    /// The probability that divides the worlds, in [0, 1].
    pub p: f64,
}

impl Case {
    /// Whether a world where the outcome happened in `count` of `runs`
    /// runs is a case (its probability as `worlds.csv` writes it,
    /// `count / runs`, compared with `p`).
    pub fn holds(&self, count: u64, runs: u64) -> bool {
        let probability = count as f64 / runs as f64;
        if self.op == ">=" {
            probability >= self.p
        } else {
            probability <= self.p
        }
    }

    /// "in at least 35 % of their runs".
    pub(crate) fn words(&self) -> String {
        let bound = if self.op == ">=" { "at least" } else { "at most" };
        format!("in {bound} {} % of their runs", significant(100.0 * self.p, 3))
    }
}

impl FromStr for Case {
    type Err = String;

    /// `p>=0.35` or `p<=0.2` (spaces allowed around the parts).
    fn from_str(written: &str) -> Result<Case, String> {
        let expected = || {
            format!(
                "expected p>=P or p<=P with P a probability in [0, 1] (e.g. p>=0.35), found {written:?}"
            )
        };
        let rest = written.trim().strip_prefix('p').ok_or_else(expected)?.trim_start();
        let (op, number) = if let Some(n) = rest.strip_prefix(">=") {
            (">=", n)
        } else if let Some(n) = rest.strip_prefix("<=") {
            ("<=", n)
        } else {
            return Err(expected());
        };
        let p: f64 = number.trim().parse().map_err(|_| expected())?;
        if !(0.0..=1.0).contains(&p) {
            return Err(expected());
        }
        Ok(Case { op, p })
    }
}

/// How the chosen box was chosen (`box.chosen_by` in `discover.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChosenBy {
    /// By the rule, for the threshold asked.
    Threshold,
    /// By the rule, for the supported threshold: no box reaches the one
    /// asked.
    SupportedThreshold,
    /// The step the user asked for (`--step`).
    Step,
}

/// What PRIM searched for and which box is reported: the study's side of
/// a [`Discovery`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Search {
    /// Boxes where the outcome is unlikely (density at most the threshold):
    /// PRIM ran on the complement.
    pub below: bool,
    /// The binary case definition, if any.
    pub case: Option<Case>,
    /// The density asked for, in the outcome's terms.
    pub threshold: f64,
    /// The threshold the data supports, in PRIM's terms.
    pub supported: f64,
    /// The step reported and why.
    pub index: usize,
    pub by: ChosenBy,
}

/// PRIM's second box, found by covering (Friedman & Fisher 1999): PRIM
/// again over the worlds outside the first reported box, the box chosen by
/// `search` and judged by `assessment`; its coverage and mass, which that
/// trajectory counts over the outside worlds, are scaled by
/// `coverage_share` (the outside's share of what PRIM looks for) and
/// `mass_share` (its share of the worlds) to be shares of all the worlds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Covering<'a> {
    pub trajectory: &'a Trajectory,
    pub search: Search,
    pub assessment: &'a Assessment,
    pub coverage_share: f64,
    pub mass_share: f64,
}

impl Search {
    /// The search for runs with the outcome at `threshold`, the box chosen
    /// by the rule (the supported threshold taken as the threshold): what
    /// the tests of the outputs need.
    #[cfg(test)]
    pub(crate) fn by_rule(trajectory: &Trajectory, threshold: f64) -> Search {
        Search {
            below: false,
            case: None,
            threshold,
            supported: threshold,
            index: trajectory.choose(threshold).index,
            by: ChosenBy::Threshold,
        }
    }

    /// A density in PRIM's terms (of its target) in the outcome's.
    fn density(&self, d: f64) -> f64 {
        if self.below { 1.0 - d } else { d }
    }
}

/// One restricted input of a box: the box keeps `lo <= value <= hi`. An
/// unrestricted side shows the input's prior bound.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BoxLimit {
    /// The input's key.
    pub key: String,
    /// The box's low end, in the key's own unit.
    pub lo: f64,
    /// The box's high end.
    pub hi: f64,
    /// "above" (only `lo` restricts), "below" (only `hi`), "between", or
    /// "in" for a category input, which keeps the `options` listed.
    pub side: &'static str,
    /// The options a category input's box keeps (`lo` and `hi` are then
    /// the first and last of their indices).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// How much the restriction matters: in the chosen box only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub significance: Option<Judgement>,
}

/// How one restriction of the chosen box fares (docs/MODEL.md, "Scenario
/// discovery"): its quasi-p-values, its share of the half-sample refits,
/// and whether it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Judgement {
    /// The quasi-p-value of the low side's restriction (null: that side is
    /// not restricted).
    pub quasi_p_lo: Option<f64>,
    /// The same for the high side.
    pub quasi_p_hi: Option<f64>,
    /// The share of the half-sample refits that restrict the input.
    pub refit_share: f64,
    /// Whether it passes either test (quasi-p at most 0.05, or restricted
    /// in at least half the refits).
    pub matters: bool,
    /// Whether it was left out of the reported box (it fails both, and
    /// `--keep-all` was not given); the box's statistics are without it.
    pub dropped: bool,
}

impl Judgement {
    /// The smaller of the two sides' quasi-p-values.
    pub fn quasi_p(&self) -> f64 {
        self.quasi_p_lo
            .into_iter()
            .chain(self.quasi_p_hi)
            .fold(1.0, f64::min)
    }
}

/// One box of the trajectory.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Step {
    /// The box's share of what PRIM looks for: the worlds' outcome
    /// probabilities summed inside the box over their sum in all worlds
    /// (with a case definition, the share of the cases; with `below`, of
    /// the runs, or worlds, without the outcome), a fraction.
    pub coverage: f64,
    /// The mean outcome probability of the worlds in the box (with a case
    /// definition, the share of its worlds that are cases), a fraction.
    pub density: f64,
    /// The box's share of the worlds (a fraction).
    pub mass: f64,
    /// How many inputs the box restricts (before any is dropped).
    pub restricted: usize,
    /// Whether the box is on the trajectory's coverage–density frontier
    /// (no other box has at least its coverage and density with no more
    /// restricted inputs, and more or fewer of one): only these are chosen.
    pub frontier: bool,
    /// For a pasted box (`--paste`), the step of the peeled box it widens;
    /// null for a peeled box.
    pub pasted_from: Option<usize>,
    /// The restricted inputs only, in the inputs' order.
    pub limits: Vec<BoxLimit>,
}

/// The chosen box: its step in the trajectory and whether it reaches the
/// threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Chosen {
    /// Its index in the trajectory, from 0.
    pub step: usize,
    /// Whether its density (the step's, before any restriction is dropped)
    /// reaches the threshold asked for.
    pub meets_threshold: bool,
    /// `threshold` (the rule, for the threshold asked), `supported_threshold`
    /// (no box reaches it: the rule, for the threshold the data supports)
    /// or `step` (the step asked for).
    pub chosen_by: ChosenBy,
    /// The lower end of the 95 % interval of the box's `density`: Wilson's
    /// over its worlds with a case definition (each world one case or
    /// not), else the interval for its runs clustered in its worlds
    /// (docs/OUTPUTS.md, "Intervals"). It is the noise of the box's runs
    /// and worlds as drawn, not of PRIM's choice of the box, which the
    /// quasi-p-values and refits judge.
    pub density_lo: f64,
    /// The upper end of that interval.
    pub density_hi: f64,
    /// The box itself (its fields written beside `step` in `discover.json`):
    /// every restriction PRIM made, each with its significance, and the
    /// statistics of the box without the dropped ones.
    #[serde(flatten)]
    pub step_box: Step,
}

/// What `discover` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Discovery {
    /// `"backchannel.discover.v1"`.
    pub schema: &'static str,
    /// The outcome's key, e.g. `broken` or `deal.partial`.
    pub outcome: String,
    /// `"above"`: boxes where the outcome is likely (density at least the
    /// threshold); `"below"`: where it is unlikely (at most).
    pub direction: &'static str,
    /// The binary case definition, or null: PRIM looks for runs with the
    /// outcome (each world's probability).
    pub case: Option<Case>,
    /// The density the chosen box should reach (at most, `below`).
    pub threshold: f64,
    /// The threshold the data supports: the density, rounded to the
    /// hundredth toward the base rate, of the densest box on the frontier
    /// whose every restriction has a quasi-p-value of at most 0.05.
    pub supported_threshold: f64,
    /// Every input searched, with its prior range.
    pub inputs: Vec<Input>,
    /// The peeled boxes from the whole range inwards, then the pasted ones
    /// (each with the step it widens).
    pub trajectory: Vec<Step>,
    /// How many steps come from peeling; the rest are pasted.
    pub peeled: usize,
    /// The box chosen for the threshold (`box` in `discover.json`).
    #[serde(rename = "box")]
    pub chosen: Chosen,
    /// The second box, by covering: PRIM over the worlds outside `box`,
    /// chosen and judged by the same rules, its `coverage` and `mass`
    /// shares of all the worlds and its `step` in that second trajectory
    /// (null when nothing is left outside to find).
    pub second_box: Option<Chosen>,
    /// The plain sentence (also the first line of the text summary).
    pub sentence: String,
    /// How the sentence and the charts name the outcome.
    #[serde(skip)]
    pub phrase: OutcomePhrase,
    #[serde(skip)]
    limits: Vec<Vec<Limit>>,
    /// The first box's limits (the data's extremes): a side at its bound is
    /// not restricted.
    #[serde(skip)]
    bounds: Vec<Limit>,
}

impl Discovery {
    /// The result of PRIM's `trajectory` over `inputs` (in the order of the
    /// points' columns) for `outcome`, choosing the box for `threshold` by
    /// [`Trajectory::choose`], its restrictions judged by `assessment`.
    ///
    /// # Panics
    /// When `inputs` and the trajectory do not have the same number of
    /// inputs, or the trajectory is empty: the caller built them together.
    pub(crate) fn new(
        outcome: &str,
        phrase: &OutcomePhrase,
        search: &Search,
        inputs: Vec<Input>,
        trajectory: &Trajectory,
        assessment: &Assessment,
        covering: Option<Covering<'_>>,
    ) -> Discovery {
        assert_eq!(
            inputs.len(),
            trajectory.bounds.len(),
            "one input per column"
        );
        assert!(!trajectory.boxes.is_empty(), "PRIM returns the first box");
        let steps: Vec<Step> = (0..trajectory.boxes.len())
            .map(|i| step(&inputs, trajectory, i, search))
            .collect();
        let chosen = reported(&inputs, trajectory, search, assessment);
        let second_box = covering.map(|c| {
            let mut second = reported(&inputs, c.trajectory, &c.search, c.assessment);
            second.step_box.coverage *= c.coverage_share;
            second.step_box.mass *= c.mass_share;
            second
        });
        let mut discovery = Discovery {
            schema: SCHEMA,
            outcome: outcome.to_string(),
            direction: if search.below { "below" } else { "above" },
            case: search.case,
            threshold: search.threshold,
            supported_threshold: (100.0 * search.density(search.supported)).round() / 100.0,
            inputs,
            trajectory: steps,
            peeled: trajectory.peeled,
            chosen,
            second_box,
            sentence: String::new(),
            phrase: phrase.clone(),
            limits: trajectory.boxes.iter().map(|b| b.limits.clone()).collect(),
            bounds: trajectory.bounds.clone(),
        };
        discovery.sentence = discovery.describe();
        discovery
    }

    /// "when X is above 0.7 and Y below 0.6, the channel breaks in 85 % of
    /// runs; that region holds 60 % of all breaks", with a second sentence
    /// when no box reaches the threshold.
    fn describe(&self) -> String {
        let b = &self.chosen.step_box;
        let mut text = self.reading(b);
        let names = |dropped: bool| -> Vec<&str> {
            b.limits
                .iter()
                .filter(|l| l.significance.is_some_and(|s| !s.matters && s.dropped == dropped))
                .map(|l| self.name(&l.key))
                .collect()
        };
        let (dropped, kept) = (names(true), names(false));
        if !dropped.is_empty() {
            let _ = write!(
                text,
                " Left out as noise (quasi-p above 0.05 and restricted in under half of {REFITS} half-sample refits): {}.",
                dropped.join(", ")
            );
        }
        if !kept.is_empty() {
            let _ = write!(
                text,
                " Kept though they pass neither test: {}.",
                kept.join(", ")
            );
        }
        let (at_least, asked) = (
            if self.direction == "below" { "at most" } else { "at least" },
            100.0 * self.threshold,
        );
        match self.chosen.chosen_by {
            ChosenBy::Threshold => {}
            ChosenBy::SupportedThreshold => {
                let _ = write!(
                    text,
                    " No box has a density of {at_least} {asked:.0} %: this one is chosen for {:.0} %, the threshold the data supports (the densest box whose every restriction has a quasi-p-value of at most {QUASI_P_LEVEL}).",
                    100.0 * self.supported_threshold
                );
            }
            ChosenBy::Step => {
                let _ = write!(
                    text,
                    " This is step {} of the trajectory, as asked; its density is {}{at_least} {asked:.0} %.",
                    self.chosen.step,
                    if self.chosen.meets_threshold { "" } else { "not " }
                );
            }
        }
        if let Some(second) = &self.second_box {
            let _ = write!(
                text,
                " Outside that region, PRIM's second box: {}",
                self.reading(&second.step_box)
            );
        }
        let mut chars = text.chars();
        chars
            .next()
            .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
    }

    /// How the trade-off chart's axes read: coverage is the percentage of
    /// ("all breaks") inside the box, density the percentage of ("the box's
    /// runs where the channel breaks").
    pub(crate) fn axis_words(&self) -> (String, String) {
        let p = &self.phrase;
        let runs = format!("the box's runs where {}", p.happens);
        let worlds = "the box's worlds that are cases".to_string();
        match (self.case, self.direction == "below") {
            (None, false) => (format!("all {}", p.events), runs),
            (None, true) => (format!("all {}", p.non_events), runs),
            (Some(_), false) => ("all cases".into(), worlds),
            (Some(_), true) => ("the other worlds".into(), worlds),
        }
    }

    /// "when X is above 0.7 and Y below 0.6, the channel breaks in 85 % of
    /// runs; that region holds 60 % of all breaks." for box `b`, without
    /// its dropped restrictions.
    fn reading(&self, b: &Step) -> String {
        let phrase = &self.phrase;
        let conditions: Vec<String> = b
            .limits
            .iter()
            .filter(|l| !l.significance.is_some_and(|s| s.dropped))
            .map(|l| {
                let name = self.name(&l.key);
                match l.side {
                    "above" => format!("{name} is above {}", significant(l.lo, 3)),
                    "below" => format!("{name} is below {}", significant(l.hi, 3)),
                    "in" => match l.options.as_slice() {
                        [one] => format!("{name} is {one}"),
                        options => format!("{name} is in {{{}}}", options.join(", ")),
                    },
                    _ => format!(
                        "{name} is between {} and {}",
                        significant(l.lo, 3),
                        significant(l.hi, 3)
                    ),
                }
            })
            .collect();
        let region = match conditions.as_slice() {
            [] => "over the whole judged ranges".to_string(),
            [one] => format!("when {one}"),
            [first @ .., last] => format!("when {} and {last}", first.join(", ")),
        };
        let (density, coverage) = (100.0 * b.density, 100.0 * b.coverage);
        let only = if self.direction == "below" { "only " } else { "" };
        match (self.case, self.direction == "below") {
            (None, below) => format!(
                "{region}, {} in {only}{density:.0} % of runs; that region holds {coverage:.0} % of all {}.",
                phrase.happens,
                if below { &phrase.non_events } else { &phrase.events }
            ),
            (Some(case), below) => format!(
                "{region}, {only}{density:.0} % of the worlds are cases ({} {}); that region holds {coverage:.0} % of {}.",
                phrase.happens,
                case.words(),
                if below { "the other worlds" } else { "all cases" }
            ),
        }
    }

    fn name<'a>(&'a self, key: &'a str) -> &'a str {
        self.inputs
            .iter()
            .find(|i| i.key == key)
            .map_or(key, |i| i.name.as_str())
    }

    /// `discover.json`.
    pub fn to_json(&self) -> String {
        super::pretty_json(self)
    }

    /// One row per step:
    /// `step,pasted,pasted_from,chosen,coverage,density,mass,restricted,frontier`, then
    /// `KEY.lo,KEY.hi` for every input (its prior bound where the box does
    /// not restrict it).
    pub fn to_csv(&self) -> Vec<u8> {
        let mut header: Vec<String> = [
            "step",
            "pasted",
            "pasted_from",
            "chosen",
            "coverage",
            "density",
            "mass",
            "restricted",
            "frontier",
        ]
            .map(String::from)
            .to_vec();
        for input in &self.inputs {
            if input.options.is_empty() {
                header.extend([format!("{}.lo", input.key), format!("{}.hi", input.key)]);
            } else {
                header.push(format!("{}.in", input.key));
            }
        }
        let rows = self.trajectory.iter().zip(&self.limits).enumerate().map(|(i, (s, limits))| {
            let mut row = vec![
                i.to_string(),
                (i >= self.peeled).to_string(),
                s.pasted_from.map(|from| from.to_string()).unwrap_or_default(),
                (i == self.chosen.step).to_string(),
                s.coverage.to_string(),
                s.density.to_string(),
                s.mass.to_string(),
                s.restricted.to_string(),
                s.frontier.to_string(),
            ];
            for ((input, bound), limit) in self.inputs.iter().zip(&self.bounds).zip(limits) {
                if input.options.is_empty() {
                    let (lo, hi) = shown(input, *bound, *limit);
                    row.extend([lo.to_string(), hi.to_string()]);
                } else {
                    row.push(kept_names(input, limit).join("|"));
                }
            }
            row
        });
        super::csv_bytes(&header, rows)
    }
}

/// A box's limits on an input as reported: a side the box does not
/// restrict (`limit` at the data's extreme `bound`) shows the prior bound,
/// not the extreme point PRIM started from.
fn shown(input: &Input, bound: Limit, limit: Limit) -> (f64, f64) {
    (
        if limit.lo > bound.lo { limit.lo } else { input.lo },
        if limit.hi < bound.hi { limit.hi } else { input.hi },
    )
}

/// The names of the options a category input's `limit` keeps.
fn kept_names(input: &Input, limit: &Limit) -> Vec<String> {
    limit
        .kept_options()
        .map(|c| input.options.get(c).cloned().unwrap_or_else(|| c.to_string()))
        .collect()
}

/// The box `search` chose from `trajectory`, judged by `assessment`.
fn reported(inputs: &[Input], trajectory: &Trajectory, search: &Search, assessment: &Assessment) -> Chosen {
    let threshold = search.density(search.threshold);
    let (lo, hi) = (
        search.density(assessment.density.lo),
        search.density(assessment.density.hi),
    );
    Chosen {
        step: search.index,
        meets_threshold: trajectory.boxes[search.index].density >= threshold,
        chosen_by: search.by,
        density_lo: lo.min(hi),
        density_hi: lo.max(hi),
        step_box: judged(inputs, trajectory, search, assessment),
    }
}

/// Step `index` of `trajectory` as reported.
fn step(inputs: &[Input], trajectory: &Trajectory, index: usize, search: &Search) -> Step {
    let b = &trajectory.boxes[index];
    let limits = inputs
        .iter()
        .enumerate()
        .filter_map(|(i, input)| {
            let side = match trajectory.restriction(b, i)? {
                Restriction::Above => "above",
                Restriction::Below => "below",
                Restriction::Between => "between",
                Restriction::Among => "in",
            };
            let (lo, hi) = shown(input, trajectory.bounds[i], b.limits[i]);
            Some(BoxLimit {
                key: input.key.clone(),
                lo,
                hi,
                side,
                options: kept_names(input, &b.limits[i]),
                significance: None,
            })
        })
        .collect();
    Step {
        coverage: b.coverage,
        density: search.density(b.density),
        mass: b.mass,
        restricted: trajectory.restricted(b),
        frontier: trajectory.on_frontier(index),
        pasted_from: trajectory.pasted_step(index),
        limits,
    }
}

/// The chosen box, step `search.index` of `trajectory`: every restriction
/// PRIM made with its judgement, and the statistics of the box
/// `assessment` reports (without the dropped restrictions).
fn judged(inputs: &[Input], trajectory: &Trajectory, search: &Search, assessment: &Assessment) -> Step {
    let mut found = step(inputs, trajectory, search.index, search);
    for limit in &mut found.limits {
        let i = inputs.iter().position(|input| input.key == limit.key);
        let Some((i, Some(s))) = i.map(|i| (i, assessment.inputs[i])) else {
            continue;
        };
        limit.significance = Some(Judgement {
            quasi_p_lo: s.quasi_p_lo,
            quasi_p_hi: s.quasi_p_hi,
            refit_share: s.refit_share,
            matters: s.matters(),
            dropped: trajectory.restriction(&assessment.reported, i).is_none(),
        });
    }
    let reported = &assessment.reported;
    Step {
        coverage: reported.coverage,
        density: search.density(reported.density),
        mass: reported.mass,
        limits: found.limits,
        ..found
    }
}

/// Points and outcomes where peeling cuts too far and pasting takes back
/// what it cut: the outcome is certain for 0.03 <= x1 < 0.05, absent
/// below, 1 - x1 above (x2 is constant). Shared by the tests of the
/// discovery's files and of its charts.
#[cfg(test)]
pub(crate) fn overshot_by_peeling() -> (Vec<Vec<f64>>, Vec<crate::stats::prim::Share>) {
    use crate::stats::prim::Share;
    let x: Vec<Vec<f64>> = (0..1000)
        .map(|i| vec![(f64::from(i) + 0.5) / 1000.0, 0.5])
        .collect();
    let y = x
        .iter()
        .map(|p| Share {
            count: match p[0] {
                h if h < 0.03 => 0,
                h if h < 0.05 => 100,
                h => (100.0 * (1.0 - h)).round() as u64,
            },
            of: 100,
        })
        .collect();
    (x, y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::prim::{
        AssessOptions, PrimOptions, Share, Significance, Trajectory, assess, discover,
    };

    fn phrase() -> OutcomePhrase {
        OutcomePhrase {
            happens: "the channel breaks".into(),
            events: "breaks".into(),
            non_events: "runs where the channel holds".into(),
        }
    }

    fn inputs() -> Vec<Input> {
        ["spoilers.israel.capability", "mediator.credibility"]
            .iter()
            .zip(["Israel's capability", "Oman's credibility"])
            .map(|(key, name)| Input {
                key: key.to_string(),
                name: name.into(),
                lo: 0.0,
                hi: 1.0,
                options: Vec::new(),
            })
            .collect()
    }

    /// y = x1 (1 - x2) on a 40 × 40 grid: high capability and low
    /// credibility. The points and their outcomes.
    fn two_sided_grid() -> (Vec<Vec<f64>>, Vec<Share>) {
        let side: Vec<f64> = (0..40).map(|i| (i as f64 + 0.5) / 40.0).collect();
        let x: Vec<Vec<f64>> = side
            .iter()
            .flat_map(|&a| side.iter().map(move |&b| vec![a, b]))
            .collect();
        // p[0] (1 - p[1]) is (2i + 1) (79 - 2j) / 6400 on the grid.
        let y: Vec<Share> = x
            .iter()
            .map(|p| Share {
                count: (p[0] * (1.0 - p[1]) * 6400.0).round() as u64,
                of: 6400,
            })
            .collect();
        (x, y)
    }

    /// The discovery of [`two_sided_grid`].
    fn two_sided() -> Discovery {
        let (x, y) = two_sided_grid();
        let t = discover(&x, &y, &PrimOptions::default()).unwrap();
        let search = Search::by_rule(&t, 0.6);
        Discovery::new("broken", &phrase(), &search, inputs(), &t, &judge(&x, &y, &t, 0.6), None)
    }

    /// The chosen box's restrictions judged, dropping those that fail both.
    fn judge(x: &[Vec<f64>], y: &[Share], t: &Trajectory, threshold: f64) -> Assessment {
        let rule = AssessOptions {
            threshold,
            seed: 1,
            drop: true,
        };
        assess(x, y, t, t.choose(threshold).index, &PrimOptions::default(), &rule).unwrap()
    }

    #[test]
    fn the_sentence_names_each_restricted_input_and_side() {
        let d = two_sided();
        let b = &d.chosen.step_box;
        assert!(d.chosen.meets_threshold);
        assert_eq!(b.limits.len(), 2, "{b:?}");
        let expected = format!(
            "When Israel's capability is above {} and Oman's credibility is below {}, \
             the channel breaks in {:.0} % of runs; that region holds {:.0} % of all breaks.",
            significant(b.limits[0].lo, 3),
            significant(b.limits[1].hi, 3),
            100.0 * b.density,
            100.0 * b.coverage
        );
        assert_eq!(d.sentence, expected);
        assert_eq!((b.limits[0].hi, b.limits[1].lo), (1.0, 0.0), "prior bounds");
    }

    /// No box reaches the threshold: the box reported is the one chosen
    /// for the supported threshold, and the sentence says so; a step asked
    /// for is reported as asked.
    #[test]
    fn an_unreachable_threshold_is_said_and_the_supported_one_used() {
        let (x, y) = two_sided_grid();
        let t = discover(&x, &y, &PrimOptions::default()).unwrap();
        let supported = crate::stats::prim::supported_threshold(&x, &y, &t, &PrimOptions::default()).unwrap();
        assert!(supported > t.boxes[0].density && supported < 0.99, "{supported}");
        let search = Search {
            threshold: 0.99,
            supported,
            index: t.choose(supported).index,
            by: ChosenBy::SupportedThreshold,
            ..Search::by_rule(&t, 0.99)
        };
        assert!(!t.choose(0.99).meets_threshold);
        let d = Discovery::new("broken", &phrase(), &search, inputs(), &t, &judge(&x, &y, &t, supported), None);
        assert!(!d.chosen.meets_threshold);
        assert_eq!(d.chosen.chosen_by, ChosenBy::SupportedThreshold);
        assert_eq!(d.supported_threshold, supported);
        assert!(
            d.sentence.contains(&format!(
                "No box has a density of at least 99 %: this one is chosen for {:.0} %, the threshold the data supports",
                100.0 * supported
            )),
            "{}",
            d.sentence
        );
        let json: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        assert_eq!(json["box"]["chosen_by"], "supported_threshold");
        let step = Search {
            index: 3,
            by: ChosenBy::Step,
            ..search
        };
        let d = Discovery::new("broken", &phrase(), &step, inputs(), &t, &judge(&x, &y, &t, supported), None);
        assert_eq!(d.chosen.step, 3);
        assert!(d.sentence.contains("This is step 3 of the trajectory, as asked; its density is not at least 99 %."), "{}", d.sentence);
    }

    /// With a case definition and `below`, the densities reported are the
    /// outcome's (the cases' share), coverage is of the other worlds, and
    /// the sentence says which.
    #[test]
    fn a_case_definition_below_reads_as_the_cases_share() {
        let case: Case = "p<=0.2".parse().unwrap();
        assert_eq!((case.op, case.p), ("<=", 0.2));
        assert!(case.holds(1, 5) && !case.holds(2, 5));
        for bad in ["p>1", "p>=1.5", "x>=0.2", "p>=", "p=0.3"] {
            assert!(bad.parse::<Case>().is_err(), "{bad}");
        }
        assert_eq!(" p >= 0.35 ".parse::<Case>().unwrap().op, ">=");
        let (x, y) = two_sided_grid();
        // Cases: worlds where the break is at most 20 % likely; PRIM looks
        // for where they are rare (below), on the other worlds.
        let others: Vec<Share> = y
            .iter()
            .map(|s| Share {
                count: u64::from(!case.holds(s.count, s.of)),
                of: 1,
            })
            .collect();
        let t = discover(&x, &others, &PrimOptions::default()).unwrap();
        let search = Search {
            below: true,
            case: Some(case),
            ..Search::by_rule(&t, 0.9)
        };
        let a = judge(&x, &others, &t, 0.9);
        let d = Discovery::new("broken", &phrase(), &search, inputs(), &t, &a, None);
        let chosen = &t.boxes[search.index];
        assert!((d.trajectory[search.index].density - (1.0 - chosen.density)).abs() < 1e-12);
        assert_eq!(d.threshold, 0.9);
        assert!(d.sentence.contains("of the worlds are cases (the channel breaks in at most 20 % of their runs); that region holds"), "{}", d.sentence);
        assert!(d.sentence.contains("% of the other worlds."), "{}", d.sentence);
        let json: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        assert_eq!(json["direction"], "below");
        assert_eq!(json["case"]["op"], "<=");
        assert_eq!(d.axis_words().0, "the other worlds");
    }

    /// A category input's box is a set of its options: named in the
    /// sentence, listed in the JSON (`side` "in", `options`) and in one
    /// `KEY.in` column of the CSV.
    #[test]
    fn a_category_input_reads_as_its_set_of_options() {
        let modes = ["direct", "indirect", "proximity", "shuttle"].map(String::from);
        let x: Vec<Vec<f64>> = (0..400)
            .map(|j| vec![(j % 4) as f64, ((j / 4) as f64 + 0.5) / 100.0])
            .collect();
        let y: Vec<Share> = x
            .iter()
            .map(|p| Share {
                count: if p[0] == 1.0 || p[0] == 3.0 { 9 } else { 1 },
                of: 10,
            })
            .collect();
        let o = PrimOptions::default();
        let t = crate::stats::prim::discover_with_categories(&x, &y, &[true, false], &o).unwrap();
        let mut inputs = inputs();
        inputs[0] = Input {
            key: "format.mode".into(),
            name: "the format".into(),
            lo: 0.0,
            hi: 3.0,
            options: modes.to_vec(),
        };
        let rule = AssessOptions {
            threshold: 0.8,
            seed: 1,
            drop: true,
        };
        let a = assess(&x, &y, &t, t.choose(0.8).index, &o, &rule).unwrap();
        let d = Discovery::new("broken", &phrase(), &Search::by_rule(&t, 0.8), inputs, &t, &a, None);
        assert!(
            d.sentence.starts_with("When the format is in {indirect, shuttle}, the channel breaks in 90 % of runs"),
            "{}",
            d.sentence
        );
        let json: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        let limit = &json["box"]["limits"][0];
        assert_eq!(limit["side"], "in");
        assert_eq!(limit["options"], serde_json::json!(["indirect", "shuttle"]));
        assert_eq!(json["inputs"][0]["options"].as_array().unwrap().len(), 4);
        let csv = String::from_utf8(d.to_csv()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].ends_with(",format.mode.in,mediator.credibility.lo,mediator.credibility.hi"));
        assert!(lines[1].contains(",direct|indirect|proximity|shuttle,"), "{}", lines[1]);
        assert!(lines.last().unwrap().contains(",indirect|shuttle,"), "{csv}");
    }

    /// The second box, by covering, is read after the first, its coverage
    /// and mass scaled to shares of all the worlds; without one,
    /// `second_box` is null.
    #[test]
    fn the_second_box_is_read_after_the_first_as_shares_of_all_worlds() {
        let (x, y) = two_sided_grid();
        let t = discover(&x, &y, &PrimOptions::default()).unwrap();
        let a = judge(&x, &y, &t, 0.6);
        let search = Search::by_rule(&t, 0.6);
        let covering = Covering {
            trajectory: &t,
            search,
            assessment: &a,
            coverage_share: 0.5,
            mass_share: 0.25,
        };
        let d = Discovery::new("broken", &phrase(), &search, inputs(), &t, &a, Some(covering));
        let (first, second) = (&d.chosen.step_box, &d.second_box.as_ref().unwrap().step_box);
        assert_eq!(second.coverage, 0.5 * first.coverage);
        assert_eq!(second.mass, 0.25 * first.mass);
        assert_eq!(second.density, first.density);
        let (_, tail) = d.sentence.split_once(" Outside that region, PRIM's second box: when ").unwrap();
        assert!(tail.contains(&format!("that region holds {:.0} % of all breaks.", 100.0 * second.coverage)), "{}", d.sentence);
        let json: serde_json::Value = serde_json::from_str(&two_sided().to_json()).unwrap();
        assert!(json["second_box"].is_null());
    }

    /// A pasted box carries the step it widens in `discover.json` and
    /// `discover.csv`; a peeled one carries none. The outcome is certain on
    /// 0.03 <= h < 0.05 and none below, so peeling cuts into that strip and
    /// pasting takes it back.
    #[test]
    fn a_pasted_box_names_the_step_it_widens() {
        let (x, y) = overshot_by_peeling();
        let o = PrimOptions {
            paste: true,
            ..PrimOptions::default()
        };
        let t = discover(&x, &y, &o).unwrap();
        let search = Search::by_rule(&t, 0.9);
        let rule = AssessOptions {
            threshold: 0.9,
            seed: 1,
            drop: true,
        };
        let a = assess(&x, &y, &t, search.index, &o, &rule).unwrap();
        let d = Discovery::new("broken", &phrase(), &search, inputs(), &t, &a, None);
        let first_pasted = t.peeled;
        let from = t.pasted_from[0];
        let json: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        assert_eq!(json["trajectory"][first_pasted]["pasted_from"], from);
        assert!(json["trajectory"][first_pasted - 1]["pasted_from"].is_null());
        assert_eq!(json["box"]["pasted_from"], serde_json::json!(t.pasted_step(search.index)));
        let csv = String::from_utf8(d.to_csv()).unwrap();
        let row: Vec<&str> = csv.lines().nth(1 + first_pasted).unwrap().split(',').collect();
        assert_eq!(row[..3], [first_pasted.to_string(), "true".into(), from.to_string()]);
        let row: Vec<&str> = csv.lines().nth(first_pasted).unwrap().split(',').collect();
        assert_eq!(row[1..3], ["false", ""]);
    }

    #[test]
    fn json_and_csv_hold_every_step() {
        let d = two_sided();
        let json: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        assert_eq!(json["outcome"], "broken");
        assert_eq!(json["threshold"], 0.6);
        let trajectory = json["trajectory"].as_array().unwrap();
        assert_eq!(trajectory.len(), d.trajectory.len());
        assert_eq!(trajectory[0]["limits"].as_array().unwrap().len(), 0);
        assert_eq!(json["box"]["step"], d.chosen.step);
        assert_eq!(
            json["box"]["limits"][0]["key"],
            "spoilers.israel.capability"
        );
        let csv = String::from_utf8(d.to_csv()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + d.trajectory.len());
        assert!(lines[0].ends_with("mediator.credibility.lo,mediator.credibility.hi"));
        assert!(lines[1].starts_with("0,false,,false,1,"), "{}", lines[1]);
        assert!(lines[0].starts_with("step,pasted,pasted_from,chosen,coverage,density,mass,restricted,frontier,"));
        assert_eq!(json["trajectory"][0]["restricted"], 0);
        assert_eq!(json["trajectory"][0]["frontier"], true);
        // The first box restricts nothing: every side shows the prior
        // bounds (0 and 1), not the grid's extreme points.
        assert!(lines[1].ends_with(",0,1,0,1"), "{}", lines[1]);
        let chosen = lines.iter().filter(|l| l.split(',').nth(3) == Some("true"));
        assert_eq!(chosen.count(), 1);
    }

    /// A restriction that fails both tests is dropped: marked in the JSON,
    /// left out of the sentence and named after it; the box's statistics
    /// are the reported box's. The trajectory's steps carry no judgement.
    #[test]
    fn a_dropped_restriction_is_marked_and_left_out_of_the_sentence() {
        let d = two_sided();
        let (x, y) = two_sided_grid();
        let t = discover(&x, &y, &PrimOptions::default()).unwrap();
        let mut a = judge(&x, &y, &t, 0.6);
        let noise = Significance {
            quasi_p_lo: None,
            quasi_p_hi: Some(0.4),
            refit_share: 0.3,
        };
        a.inputs[1] = Some(noise);
        a.reported.limits[1] = t.bounds[1];
        a.reported.density = 0.5;
        let d = Discovery::new("broken", &phrase(), &Search::by_rule(&t, 0.6), d.inputs.clone(), &t, &a, None);
        assert!(d.sentence.starts_with("When Israel's capability is above "), "{}", d.sentence);
        assert!(!d.sentence.contains("Oman's credibility is below"), "{}", d.sentence);
        assert!(
            d.sentence.contains("refits): Oman's credibility."),
            "{}",
            d.sentence
        );
        assert!(d.sentence.contains("in 50 % of runs"), "{}", d.sentence);
        let json: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        let credibility = &json["box"]["limits"][1]["significance"];
        assert_eq!(credibility["dropped"], true);
        assert_eq!(credibility["matters"], false);
        assert_eq!(credibility["quasi_p_hi"], 0.4);
        assert!(credibility["quasi_p_lo"].is_null());
        assert_eq!(json["box"]["limits"][0]["significance"]["dropped"], false);
        assert_eq!(json["box"]["density"], 0.5);
        let step = d.chosen.step;
        assert!(json["trajectory"][step]["limits"][0].get("significance").is_none());
    }
}
