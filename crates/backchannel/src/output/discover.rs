//! `discover.json` and `discover.csv`: the result of scenario discovery,
//! the PRIM trajectory of boxes over the judged inputs (see
//! [`crate::stats::prim`]), the box chosen for a density threshold, and the
//! plain sentence that says what it means.

use std::fmt::Write;

use serde::Serialize;

use crate::stats::prim::{Assessment, Limit, PrimBox, REFITS, Restriction, Trajectory};
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
    /// "above" (only `lo` restricts), "below" (only `hi`) or "between".
    pub side: &'static str,
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
    /// The box's share of the outcome: the worlds' outcome probabilities
    /// summed inside the box over their sum in all worlds (a fraction).
    pub coverage: f64,
    /// The mean outcome probability of the worlds in the box (a fraction).
    pub density: f64,
    /// The box's share of the worlds (a fraction).
    pub mass: f64,
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
    /// Whether its density reaches the threshold (false: no box does, and
    /// the densest was taken).
    pub meets_threshold: bool,
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
    /// The density the chosen box should reach.
    pub threshold: f64,
    /// Every input searched, with its prior range.
    pub inputs: Vec<Input>,
    /// Boxes from the whole range inwards (pasted boxes last).
    pub trajectory: Vec<Step>,
    /// How many steps come from peeling; the rest are pasted.
    pub peeled: usize,
    /// The box chosen for the threshold (`box` in `discover.json`).
    #[serde(rename = "box")]
    pub chosen: Chosen,
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
        threshold: f64,
        inputs: Vec<Input>,
        trajectory: &Trajectory,
        assessment: &Assessment,
    ) -> Discovery {
        assert_eq!(
            inputs.len(),
            trajectory.bounds.len(),
            "one input per column"
        );
        assert!(!trajectory.boxes.is_empty(), "PRIM returns the first box");
        let steps: Vec<Step> = trajectory
            .boxes
            .iter()
            .map(|b| step(&inputs, trajectory, b))
            .collect();
        let choice = trajectory.choose(threshold);
        let chosen = Chosen {
            step: choice.index,
            meets_threshold: choice.meets_threshold,
            step_box: judged(&inputs, trajectory, choice.index, assessment),
        };
        let mut discovery = Discovery {
            schema: SCHEMA,
            outcome: outcome.to_string(),
            threshold,
            inputs,
            trajectory: steps,
            peeled: trajectory.peeled,
            chosen,
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
        let (b, phrase) = (&self.chosen.step_box, &self.phrase);
        let conditions: Vec<String> = b
            .limits
            .iter()
            .filter(|l| !l.significance.is_some_and(|s| s.dropped))
            .map(|l| {
                let name = self.name(&l.key);
                match l.side {
                    "above" => format!("{name} is above {}", significant(l.lo, 3)),
                    "below" => format!("{name} is below {}", significant(l.hi, 3)),
                    _ => format!("{name} is between {} and {}", significant(l.lo, 3), significant(l.hi, 3)),
                }
            })
            .collect();
        let region = match conditions.as_slice() {
            [] => "over the whole judged ranges".to_string(),
            [one] => format!("when {one}"),
            [first @ .., last] => format!("when {} and {last}", first.join(", ")),
        };
        let mut text = format!(
            "{region}, {} in {:.0} % of runs; that region holds {:.0} % of all {}.",
            phrase.happens,
            100.0 * b.density,
            100.0 * b.coverage,
            phrase.events
        );
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
        if !self.chosen.meets_threshold {
            let _ = write!(
                text,
                " No region of at least {:.0} % of the runs reaches {:.0} %: this is the densest found.",
                100.0 * self.trajectory.last().map_or(0.0, |s| s.mass),
                100.0 * self.threshold
            );
        }
        let mut chars = text.chars();
        chars
            .next()
            .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
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

    /// One row per step: `step,pasted,chosen,coverage,density,mass`, then
    /// `KEY.lo,KEY.hi` for every input (its prior bound where the box does
    /// not restrict it).
    pub fn to_csv(&self) -> Vec<u8> {
        let mut header: Vec<String> = ["step", "pasted", "chosen", "coverage", "density", "mass"]
            .map(String::from)
            .to_vec();
        for input in &self.inputs {
            header.extend([format!("{}.lo", input.key), format!("{}.hi", input.key)]);
        }
        let rows = self.trajectory.iter().zip(&self.limits).enumerate().map(|(i, (s, limits))| {
            let mut row = vec![
                i.to_string(),
                (i >= self.peeled).to_string(),
                (i == self.chosen.step).to_string(),
                s.coverage.to_string(),
                s.density.to_string(),
                s.mass.to_string(),
            ];
            for ((input, bound), limit) in self.inputs.iter().zip(&self.bounds).zip(limits) {
                let (lo, hi) = shown(input, *bound, *limit);
                row.extend([lo.to_string(), hi.to_string()]);
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

fn step(inputs: &[Input], trajectory: &Trajectory, b: &PrimBox) -> Step {
    let limits = inputs
        .iter()
        .enumerate()
        .filter_map(|(i, input)| {
            let side = match trajectory.restriction(b, i)? {
                Restriction::Above => "above",
                Restriction::Below => "below",
                Restriction::Between => "between",
            };
            let (lo, hi) = shown(input, trajectory.bounds[i], b.limits[i]);
            Some(BoxLimit {
                key: input.key.clone(),
                lo,
                hi,
                side,
                significance: None,
            })
        })
        .collect();
    Step {
        coverage: b.coverage,
        density: b.density,
        mass: b.mass,
        limits,
    }
}

/// The chosen box, step `index` of `trajectory`: every restriction PRIM
/// made with its judgement, and the statistics of the box `assessment`
/// reports (without the dropped restrictions).
fn judged(inputs: &[Input], trajectory: &Trajectory, index: usize, assessment: &Assessment) -> Step {
    let mut found = step(inputs, trajectory, &trajectory.boxes[index]);
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
        density: reported.density,
        mass: reported.mass,
        limits: found.limits,
    }
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
        Discovery::new("broken", &phrase(), 0.6, inputs(), &t, &judge(&x, &y, &t, 0.6))
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

    #[test]
    fn an_unreachable_threshold_takes_the_densest_box_and_says_so() {
        let mut d = two_sided();
        let side: Vec<f64> = (0..40).map(|i| (i as f64 + 0.5) / 40.0).collect();
        let x: Vec<Vec<f64>> = side.iter().map(|&a| vec![a, 0.5]).collect();
        // a / 2 is (2i + 1) / 160.
        let y: Vec<Share> = side
            .iter()
            .map(|a| Share {
                count: (a * 80.0).round() as u64,
                of: 160,
            })
            .collect();
        let t = discover(&x, &y, &PrimOptions::default()).unwrap();
        let a = judge(&x, &y, &t, 0.99);
        d = Discovery::new(&d.outcome, &phrase(), 0.99, d.inputs.clone(), &t, &a);
        assert!(!d.chosen.meets_threshold);
        assert_eq!(d.chosen.step, d.trajectory.len() - 1);
        assert!(
            d.sentence
                .contains("reaches 99 %: this is the densest found"),
            "{}",
            d.sentence
        );
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
        assert!(lines[1].starts_with("0,false,false,1,"), "{}", lines[1]);
        // The first box restricts nothing: every side shows the prior
        // bounds (0 and 1), not the grid's extreme points.
        assert!(lines[1].ends_with(",0,1,0,1"), "{}", lines[1]);
        assert_eq!(lines.iter().filter(|l| l.contains(",true,")).count(), 1);
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
        let d = Discovery::new("broken", &phrase(), 0.6, d.inputs.clone(), &t, &a);
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
