//! The two pictures of scenario discovery, from a [`Discovery`] only:
//!
//! Both name the outcome with the discovery's [`OutcomePhrase`].
//!
//! - `tradeoff`: PRIM's trajectory as density against coverage (each box a
//!   point, from the whole range at the bottom right to the smallest box
//!   at the top left, coloured by the number of inputs it restricts, as
//!   EMA Workbench's `show_tradeoff`; hollow when off the frontier; a
//!   pasted box a square joined to the peeled box it widens), the
//!   threshold (and the supported threshold when the box was chosen for
//!   it), and the reported box ringed;
//! - `box`: each input the chosen box restricts, as its range within the
//!   input's prior range (both drawn on a 0–100 % scale of the prior
//!   range, since inputs have different units; the values are printed),
//!   with its quasi-p-value and share of refits; a restriction dropped as
//!   noise is drawn in grey.

use crate::report::plots::{row_label, thousands};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Area, Axis, DrawResult, Drawable, Header, Mark, Theme, axis_desc, fit, widest};
#[cfg(doc)]
use crate::output::discover::OutcomePhrase;
use crate::output::discover::{ChosenBy, Discovery, Input, Step};
use crate::report::charts::{ChartFiles, viridis};
use crate::report::palette::{GREY, INK, MUTED, Meaning, PRIOR};
use crate::stats::significant;

/// How a discovery was run, for the line under its charts' titles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DiscoveryStudy {
    /// The runs over every world.
    pub runs: u64,
    /// The worlds searched.
    pub worlds: u64,
    /// The study's seed.
    pub seed: u64,
}

impl DiscoveryStudy {
    /// "500,000 runs in 1,000 worlds · seed 5 · whisker: the box's density,
    /// 95 % interval for runs clustered in worlds": the line every chart
    /// has, with the interval rule of the discovery `d` (docs/OUTPUTS.md,
    /// "Intervals").
    fn line(&self, d: &Discovery) -> String {
        let rule = if d.case.is_some() || self.runs == self.worlds {
            "Wilson's over the worlds"
        } else {
            "for runs clustered in worlds"
        };
        format!(
            "{} runs in {} worlds · seed {} · whisker: the box's density, 95 % interval {rule}",
            thousands(self.runs),
            thousands(self.worlds),
            self.seed
        )
    }
}

/// Both charts of a discovery of the scenario named `scenario`, run as
/// `study` says.
pub fn discovery_charts(
    d: &Discovery,
    scenario: &str,
    study: DiscoveryStudy,
) -> Vec<Box<dyn ChartFiles>> {
    vec![
        Box::new(TradeOff {
            discovery: d.clone(),
            scenario: scenario.to_string(),
            study,
        }),
        Box::new(BoxRanges {
            discovery: d.clone(),
            scenario: scenario.to_string(),
            study,
        }),
    ]
}

/// The subtitle both charts share: the reported box in numbers, and why it
/// was chosen.
fn chosen_line(d: &Discovery) -> String {
    let b = &d.chosen.step_box;
    let why = match d.chosen.chosen_by {
        ChosenBy::Threshold => format!("threshold {:.0} %", 100.0 * d.threshold),
        ChosenBy::SupportedThreshold => format!(
            "no box reaches {:.0} %: chosen for the supported {:.0} %",
            100.0 * d.threshold,
            100.0 * d.supported_threshold
        ),
        ChosenBy::Step => "the step asked for".to_string(),
    };
    format!(
        "Box of step {}: density {:.0} % (95 % interval {:.0} to {:.0} %), coverage {:.0} %, \
         {:.0} % of the worlds · {why}",
        d.chosen.step,
        100.0 * b.density,
        100.0 * d.chosen.density_lo,
        100.0 * d.chosen.density_hi,
        100.0 * b.coverage,
        100.0 * b.mass,
    )
}

/// The numbers of restricted inputs the legend names: every one when there
/// are at most eight, else six spread evenly from the fewest to the most.
fn legend_counts(counts: &[usize]) -> Vec<usize> {
    let (lo, hi) = (
        counts.iter().copied().min().unwrap_or(0),
        counts.iter().copied().max().unwrap_or(0),
    );
    let mut shown: Vec<usize> = if hi - lo < 8 {
        (lo..=hi).filter(|r| counts.contains(r)).collect()
    } else {
        (0..6).map(|k| lo + (k * (hi - lo) + 2) / 5).collect()
    };
    shown.dedup();
    shown
}

/// PRIM's coverage/density trade-off, as EMA Workbench's `show_tradeoff`
/// draws it: every box of the trajectory at its coverage and density,
/// coloured by how many inputs it restricts.
pub struct TradeOff {
    pub discovery: Discovery,
    pub scenario: String,
    pub study: DiscoveryStudy,
}

impl TradeOff {
    /// The colour of a box restricting `r` inputs: viridis from the fewest
    /// restricted inputs of the trajectory to the most.
    fn colour(&self, r: usize) -> RGBColor {
        let counts = self.discovery.trajectory.iter().map(|s| s.restricted);
        let (lo, hi) = (counts.clone().min().unwrap_or(0), counts.max().unwrap_or(0));
        viridis(if hi > lo {
            (r - lo) as f64 / (hi - lo) as f64
        } else {
            0.0
        })
    }
}

impl Drawable for TradeOff {
    fn name(&self) -> String {
        "tradeoff".into()
    }

    fn title(&self) -> String {
        format!("{}: where {}", self.scenario, self.discovery.phrase.happens)
    }

    fn draw_into<DB: DrawingBackend>(&self, area: &Area<DB>) -> DrawResult<DB> {
        let d = &self.discovery;
        let counts: Vec<usize> = d.trajectory.iter().map(|s| s.restricted).collect();
        let mut legend: Vec<(String, Mark)> = legend_counts(&counts)
            .into_iter()
            .map(|r| {
                let inputs = if r == 1 { "input" } else { "inputs" };
                (format!("{r} {inputs} restricted"), Mark::Dot(self.colour(r)))
            })
            .collect();
        if d.trajectory.iter().any(|s| !s.frontier) {
            legend.push(("off the frontier (hollow)".into(), Mark::Dot(GREY)));
        }
        if d.trajectory.iter().any(|s| s.pasted_from.is_some()) {
            legend.push(("pasted (square, from its peeled box)".into(), Mark::Square(GREY)));
        }
        legend.push(("the density threshold".into(), Mark::Line(GREY)));
        if d.chosen.chosen_by == ChosenBy::SupportedThreshold {
            legend.push(("the supported threshold (dashed)".into(), Mark::Line(MUTED)));
        }
        legend.push((
            "the reported box (ringed), its density's 95 % interval".into(),
            Mark::Dot(INK),
        ));
        let header = Header {
            title: self.title(),
            lines: vec![self.study.line(d), chosen_line(d)],
            legend,
        };
        let body = header.draw(area)?;
        let t = Theme::of(&body);
        let ticks: Vec<f64> = (0..=5).map(|i| f64::from(i) * 20.0).collect();
        let mut chart = t.frame(&body, t.px(78.0)).build_cartesian_2d(
            Axis::new(0.0..100.0, ticks.clone()),
            Axis::new(0.0..100.0, ticks),
        )?;
        let fmt = |v: &f64| format!("{v:.0}");
        let (coverage_of, density_of) = d.axis_words();
        t.mesh(&mut chart.configure_mesh())
            .x_label_formatter(&fmt)
            .y_label_formatter(&fmt)
            .x_desc(axis_desc(
                &body,
                &format!("Coverage: % of {coverage_of} inside the box"),
                false,
            )?)
            .y_desc(axis_desc(
                &body,
                &format!("Density: % of {density_of}"),
                true,
            )?)
            .draw()?;
        let level = |v: f64, style| PathElement::new(vec![(0.0, 100.0 * v), (100.0, 100.0 * v)], style);
        chart.draw_series(std::iter::once(level(d.threshold, t.stroke(GREY, 2.0))))?;
        if d.chosen.chosen_by == ChosenBy::SupportedThreshold {
            let y = 100.0 * d.supported_threshold;
            chart.draw_series(
                (0..25).map(|k| f64::from(k) * 4.0).map(|x| {
                    PathElement::new(vec![(x, y), (x + 2.0, y)], t.stroke(MUTED, 2.0))
                }),
            )?;
        }
        let xy = |s: &Step| (100.0 * s.coverage, 100.0 * s.density);
        let peeled = d.trajectory.iter().filter(|s| s.pasted_from.is_none());
        chart.draw_series(LineSeries::new(peeled.map(xy), t.stroke(PRIOR, 1.5)))?;
        chart.draw_series(d.trajectory.iter().filter_map(|s| {
            let from = &d.trajectory[s.pasted_from?];
            Some(PathElement::new(vec![xy(from), xy(s)], t.stroke(PRIOR, 1.5)))
        }))?;
        let style = |s: &Step| {
            let colour = self.colour(s.restricted);
            if s.frontier {
                colour.filled()
            } else {
                t.stroke(colour, 1.5)
            }
        };
        let (pasted, peeled): (Vec<&Step>, Vec<&Step>) =
            d.trajectory.iter().partition(|s| s.pasted_from.is_some());
        chart.draw_series(
            peeled
                .into_iter()
                .map(|s| Circle::new(xy(s), t.upx(4.0), style(s))),
        )?;
        let r = t.upx(4.0) as i32;
        chart.draw_series(pasted.into_iter().map(|s| {
            EmptyElement::at(xy(s)) + Rectangle::new([(-r, -r), (r, r)], style(s))
        }))?;
        let at = xy(&d.trajectory[d.chosen.step]);
        // The reported box's density (without its dropped restrictions)
        // with its 95 % interval, a whisker with caps at its coverage.
        let (x, reported) = (100.0 * d.chosen.step_box.coverage, &d.chosen);
        let (lo, hi) = (100.0 * reported.density_lo, 100.0 * reported.density_hi);
        let cap = t.upx(7.0) as i32;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x, lo), (x, hi)],
            t.stroke(INK, 2.0),
        )))?;
        chart.draw_series([lo, hi].map(|y| {
            EmptyElement::at((x, y)) + PathElement::new(vec![(-cap, 0), (cap, 0)], t.stroke(INK, 2.0))
        }))?;
        let anchor = if at.0 > 50.0 { HPos::Right } else { HPos::Left };
        let dx = if at.0 > 50.0 { -t.px(12.0) } else { t.px(12.0) };
        chart.draw_series(std::iter::once(
            EmptyElement::at(at)
                + Circle::new((0, 0), t.upx(9.0), t.stroke(INK, 2.5))
                + Text::new(
                    format!("step {}", d.chosen.step),
                    (dx, t.px(12.0)),
                    t.bold(15.0).color(&INK).pos(Pos::new(anchor, VPos::Top)),
                ),
        ))?;
        Ok(())
    }
}

/// The chosen box's range of each restricted input within its prior range.
pub struct BoxRanges {
    pub discovery: Discovery,
    pub scenario: String,
    pub study: DiscoveryStudy,
}

/// Where `v` lies in the prior range of `input`, in percent.
fn within(input: &Input, v: f64) -> f64 {
    if input.hi > input.lo {
        (100.0 * (v - input.lo) / (input.hi - input.lo)).clamp(0.0, 100.0)
    } else {
        50.0
    }
}

impl Drawable for BoxRanges {
    fn name(&self) -> String {
        "box".into()
    }

    fn title(&self) -> String {
        format!(
            "{}: the judged ranges where {} most",
            self.scenario, self.discovery.phrase.happens
        )
    }

    fn draw_into<DB: DrawingBackend>(&self, area: &Area<DB>) -> DrawResult<DB> {
        let d = &self.discovery;
        let colour = Meaning::FirstMeasure.colour();
        let limits = &d.chosen.step_box.limits;
        let mut lines = vec![self.study.line(d), chosen_line(d)];
        if limits.is_empty() {
            lines.push("The chosen box restricts no input: the whole prior ranges.".into());
        }
        let header = Header {
            title: self.title(),
            lines,
            legend: vec![
                ("the input's prior range".into(), Mark::Square(PRIOR)),
                ("the chosen box's range".into(), Mark::Square(colour)),
                ("a range dropped as noise".into(), Mark::Square(GREY)),
            ],
        };
        let body = header.draw(area)?;
        let t = Theme::of(&body);
        let inputs: Vec<&Input> = limits
            .iter()
            .filter_map(|l| d.inputs.iter().find(|i| i.key == l.key))
            .collect();
        let label_font = t.font(14.0);
        let labels: Vec<String> = inputs
            .iter()
            .map(|i| {
                let name = if i.name.is_empty() { &i.key } else { &i.name };
                fit(&body, name, &label_font, t.upx(330.0))
            })
            .collect::<Result<_, _>>()?;
        let n = labels.len().max(1);
        let label_width = widest(&body, &labels, &label_font)?;
        let ticks: Vec<f64> = (0..=5).map(|i| f64::from(i) * 20.0).collect();
        let mut chart = t
            .frame(&body, label_width as i32 + t.px(18.0))
            .build_cartesian_2d(
                Axis::new(0.0..100.0, ticks),
                Axis::new(-0.5..n as f64 - 0.5, (0..n).map(|i| i as f64).collect()),
            )?;
        let x_fmt = |x: &f64| format!("{x:.0}");
        let y_fmt = |y: &f64| row_label(&labels, *y);
        t.mesh(&mut chart.configure_mesh())
            .y_label_style(label_font.color(&INK))
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .x_desc(axis_desc(
                &body,
                "Position within the input's prior range (%, 0 = its low end)",
                false,
            )?)
            .draw()?;
        for (row, (input, limit)) in inputs.iter().zip(limits).enumerate() {
            let y = (n - 1 - row) as f64;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y - 0.3), (100.0, y + 0.3)],
                PRIOR.filled(),
            )))?;
            let (a, b) = (within(input, limit.lo), within(input, limit.hi));
            let dropped = limit.significance.is_some_and(|s| s.dropped);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(a, y - 0.18), (b, y + 0.18)],
                if dropped { GREY.filled() } else { colour.filled() },
            )))?;
            let judged = limit.significance.map_or(String::new(), |s| {
                format!(
                    " · quasi-p {}, {:.0} % of refits{}",
                    significant(s.quasi_p(), 2),
                    100.0 * s.refit_share,
                    if dropped { ", dropped" } else { "" }
                )
            });
            let text = if input.options.is_empty() {
                format!(
                    "{} to {} (prior {} to {}){judged}",
                    significant(limit.lo, 3),
                    significant(limit.hi, 3),
                    significant(input.lo, 3),
                    significant(input.hi, 3)
                )
            } else {
                format!(
                    "in {{{}}} (of {{{}}}){judged}",
                    limit.options.join(", "),
                    input.options.join(", ")
                )
            };
            chart.draw_series(std::iter::once(Text::new(
                text,
                ((a + b) / 2.0, y + 0.2),
                t.value().pos(Pos::new(HPos::Center, VPos::Bottom)),
            )))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::discover::OutcomePhrase as Phrase;
    use crate::report::plots::{png_of, svg_of};
    use crate::stats::prim::{AssessOptions, PrimOptions, Share, assess, discover};

    /// y = x1 on a grid of (x1, x2): a box that restricts the first input.
    fn discovery() -> Discovery {
        let side: Vec<f64> = (0..30).map(|i| (i as f64 + 0.5) / 30.0).collect();
        let x: Vec<Vec<f64>> = side
            .iter()
            .flat_map(|&a| side.iter().map(move |&b| vec![a, b]))
            .collect();
        // p[0] is (2i + 1) / 60 for the i-th value of the side.
        let y: Vec<Share> = x
            .iter()
            .map(|p| Share {
                count: (p[0] * 60.0).round() as u64,
                of: 60,
            })
            .collect();
        discovery_of(&x, &y, &PrimOptions::default())
    }

    /// A discovery with pasting where peeling cuts too far: the outcome is
    /// certain for 0.03 <= x1 < 0.05, absent below, 1 - x1 above.
    fn pasted_discovery() -> Discovery {
        let (x, y) = crate::output::discover::overshot_by_peeling();
        let o = PrimOptions {
            paste: true,
            ..PrimOptions::default()
        };
        discovery_of(&x, &y, &o)
    }

    /// The discovery of the points `x` with outcomes `y`, chosen for 0.8.
    fn discovery_of(x: &[Vec<f64>], y: &[Share], o: &PrimOptions) -> Discovery {
        let t = discover(x, y, o).unwrap();
        let rule = AssessOptions {
            threshold: 0.8,
            seed: 1,
            drop: true,
        };
        let a = assess(x, y, &t, t.choose(0.8).index, o, &rule).unwrap();
        let inputs = ["shocks.s.hazard", "mediator.credibility"]
            .map(|key| Input {
                key: key.into(),
                name: format!("the {key}"),
                lo: 0.0,
                hi: 1.0,
                options: Vec::new(),
            })
            .to_vec();
        let phrase = Phrase {
            happens: "the channel breaks".into(),
            events: "breaks".into(),
            non_events: "runs where the channel holds".into(),
        };
        let search = crate::output::discover::Search::by_rule(&t, 0.8);
        Discovery::new("broken", &phrase, &search, inputs, &t, &a, None)
    }

    /// 900 worlds of 60 runs, as the discoveries below count them.
    const STUDY: DiscoveryStudy = DiscoveryStudy {
        runs: 54_000,
        worlds: 900,
        seed: 1,
    };

    fn texts(svg: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text().map(|t| t.trim().to_string()))
            .collect()
    }

    #[test]
    fn the_trade_off_names_its_axes_and_rings_the_chosen_box() {
        let d = discovery();
        let chart = TradeOff {
            discovery: d.clone(),
            scenario: "minimal".into(),
            study: STUDY,
        };
        let all = texts(&svg_of(&chart).unwrap()).join(" | ");
        assert!(all.contains("minimal: where the channel breaks"), "{all}");
        assert!(
            all.contains("Coverage: % of all breaks inside the box"),
            "{all}"
        );
        assert!(
            all.contains("Density: % of the box's runs where the channel breaks"),
            "{all}"
        );
        assert!(all.contains(&format!("step {}", d.chosen.step)), "{all}");
        // The line every chart has, and the reported box's density with
        // its interval as the discovery holds them.
        assert!(
            all.contains("54,000 runs in 900 worlds · seed 1 · whisker: the box's density, 95 % interval for runs clustered in worlds"),
            "{all}"
        );
        let c = &d.chosen;
        assert!(c.density_lo < c.step_box.density && c.step_box.density < c.density_hi, "{c:?}");
        assert!(
            all.contains(&format!(
                "density {:.0} % (95 % interval {:.0} to {:.0} %)",
                100.0 * c.step_box.density,
                100.0 * c.density_lo,
                100.0 * c.density_hi
            )),
            "{all}"
        );
        assert!(
            all.contains("the reported box (ringed), its density's 95 % interval"),
            "{all}"
        );
        let restricted: Vec<usize> = d.trajectory.iter().map(|s| s.restricted).collect();
        let most = restricted.iter().max().unwrap();
        assert!(all.contains(&format!("{most} input")), "{all}");
        assert!(all.contains("0 inputs restricted"), "{all}");
        assert!(!all.contains("pasted"), "nothing is pasted: {all}");
        assert!(!png_of(&chart).unwrap().is_empty());
    }

    #[test]
    fn pasted_boxes_are_named_in_the_legend() {
        let d = pasted_discovery();
        assert!(d.trajectory.iter().any(|s| s.pasted_from.is_some()));
        let chart = TradeOff {
            discovery: d,
            scenario: "minimal".into(),
            study: STUDY,
        };
        let all = texts(&svg_of(&chart).unwrap()).join(" | ");
        assert!(all.contains("pasted (square, from its peeled box)"), "{all}");
        assert!(!png_of(&chart).unwrap().is_empty());
    }

    #[test]
    fn the_legend_names_every_count_up_to_eight_else_six_spread() {
        assert_eq!(legend_counts(&[0, 1, 1, 3, 7]), [0, 1, 3, 7]);
        assert_eq!(legend_counts(&[0, 18]), [0, 4, 7, 11, 14, 18]);
        assert_eq!(legend_counts(&[2, 2]), [2]);
    }

    #[test]
    fn the_box_plot_shows_each_restricted_input_against_its_prior() {
        let d = discovery();
        let chart = BoxRanges {
            discovery: d.clone(),
            scenario: "minimal".into(),
            study: STUDY,
        };
        let all = texts(&svg_of(&chart).unwrap()).join(" | ");
        assert!(all.contains("the channel breaks most"), "{all}");
        assert!(all.contains("the shocks.s.hazard"), "{all}");
        assert!(!all.contains("the mediator.credibility"), "{all}");
        let lo = d.chosen.step_box.limits[0].lo;
        assert!(
            all.contains(&format!("{} to 1 (prior 0 to 1)", significant(lo, 3))),
            "{all}"
        );
        assert!(
            all.contains("Position within the input's prior range"),
            "{all}"
        );
        let stems: Vec<String> = discovery_charts(&d, "minimal", STUDY)
            .iter()
            .map(|c| c.stem())
            .collect();
        assert_eq!(stems, ["tradeoff", "box"]);
    }
}
