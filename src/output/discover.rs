//! `discover.json` and `discover.csv`: the result of scenario discovery,
//! the PRIM trajectory of boxes over the judged inputs (see
//! [`crate::stats::prim`]), the box chosen for a density threshold, and the
//! plain sentence that says what it means.

use std::fmt::Write;

use serde::Serialize;

use crate::stats::prim::{Limit, PrimBox, Restriction, Trajectory};
use crate::stats::significant;

/// `discover.json`'s `schema`.
pub const SCHEMA: &str = "backchannel.discover.v1";

/// An input PRIM searched over: its key, how the sentence names it, and
/// its prior range (the range the plots and unrestricted sides show).
#[derive(Debug, Clone, PartialEq, Serialize)]
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
pub struct OutcomePhrase {
    /// What happens in a run, e.g. "the channel breaks".
    pub happens: String,
    /// What the runs where it happens are called, e.g. "breaks".
    pub events: String,
}

/// One restricted input of a box: the box keeps `lo <= value <= hi`. An
/// unrestricted side shows the input's prior bound.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoxLimit {
    /// The input's key.
    pub key: String,
    /// The box's low end, in the key's own unit.
    pub lo: f64,
    /// The box's high end.
    pub hi: f64,
    /// "above" (only `lo` restricts), "below" (only `hi`) or "between".
    pub side: &'static str,
}

/// One box of the trajectory.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
pub struct Chosen {
    /// Its index in the trajectory, from 0.
    pub step: usize,
    /// Whether its density reaches the threshold (false: no box does, and
    /// the densest was taken).
    pub meets_threshold: bool,
    /// The box itself (its fields written beside `step` in `discover.json`).
    #[serde(flatten)]
    pub step_box: Step,
}

/// What `discover` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
}

impl Discovery {
    /// The result of PRIM's `trajectory` over `inputs` (in the order of the
    /// points' columns) for `outcome`, choosing the box for `threshold` by
    /// [`Trajectory::choose`].
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
            step_box: steps[choice.index].clone(),
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
            for (input, limit) in self.inputs.iter().zip(limits) {
                let (lo, hi) = shown(input, *limit);
                row.extend([lo.to_string(), hi.to_string()]);
            }
            row
        });
        super::csv_bytes(&header, rows)
    }
}

/// A box limit as reported: a side the box does not restrict shows the
/// prior bound, not the extreme point PRIM started from.
fn shown(input: &Input, limit: Limit) -> (f64, f64) {
    (limit.lo.max(input.lo), limit.hi.min(input.hi))
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
            let (lo, hi) = match side {
                "above" => (b.limits[i].lo, input.hi),
                "below" => (input.lo, b.limits[i].hi),
                _ => (b.limits[i].lo, b.limits[i].hi),
            };
            Some(BoxLimit {
                key: input.key.clone(),
                lo,
                hi,
                side,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::prim::{PrimOptions, discover};

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

    /// y = x1 (1 - x2) on a grid: high capability and low credibility.
    fn two_sided() -> Discovery {
        let side: Vec<f64> = (0..40).map(|i| (i as f64 + 0.5) / 40.0).collect();
        let x: Vec<Vec<f64>> = side
            .iter()
            .flat_map(|&a| side.iter().map(move |&b| vec![a, b]))
            .collect();
        let y: Vec<f64> = x.iter().map(|p| p[0] * (1.0 - p[1])).collect();
        let t = discover(&x, &y, None, &PrimOptions::default()).unwrap();
        Discovery::new("broken", &phrase(), 0.6, inputs(), &t)
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
        let y: Vec<f64> = side.iter().map(|a| a / 2.0).collect();
        let t = discover(&x, &y, None, &PrimOptions::default()).unwrap();
        d = Discovery::new(&d.outcome, &phrase(), 0.99, d.inputs.clone(), &t);
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
        assert_eq!(lines.iter().filter(|l| l.contains(",true,")).count(), 1);
    }
}
