//! The pages of the experiments: `comparison.html`, `sweep.html`,
//! `sensitivity.html`, `indicators.html` and `discover.html`, each a [`Page`] built from the
//! command's result struct, its charts (already rendered) and the
//! scenario's text. Like every file of the report they are pure functions
//! of their input.

use super::charts::WrittenChart;
use super::experiments::{number, obvious, rough_note};
use super::markup::{Html, html};
use super::page::{Figure, Page, Plain, Section, preformatted, scroll_table};
use super::plots::thousands;
use super::plots::discover::DiscoveryStudy;
use crate::output::comparison::{Comparison, Difference, Estimate, MetricRow};
use crate::output::discover::{ChosenBy, Discovery};
use crate::output::indicators::Indicators;
use crate::output::names::Names;
use crate::output::sensitivity::{OUTPUTS, Sensitivity, SobolRow};
use crate::output::sweep::SweepTable;
use crate::stats::prim::REFITS;
use crate::stats::{Proportion, significant};

/// What every experiment page shares: the scenario, the charts as written
/// under `plots/` (`(stem, svg)`), and the command that reproduces it.
pub struct PageInput<'a> {
    /// The scenario's display name (with its `--set` changes).
    pub scenario: &'a str,
    /// The scenario's names of its outcomes, issues, parties and events.
    pub names: Names,
    pub description: &'a str,
    /// The scenario's text after every `--set`.
    pub source: &'a str,
    pub sha256: &'a str,
    pub charts: &'a [WrittenChart],
    pub command: String,
}

impl PageInput<'_> {
    fn page(&self, kind: &str, title: String, plain: Plain, sections: Vec<Section>) -> Page {
        Page {
            kind: kind.into(),
            title,
            description: self.description.into(),
            plain,
            facts: vec![(
                "Scenario sha256".into(),
                html!("<code>{}</code>", Html::text(self.sha256)),
            )],
            header_html: Html::new(),
            figures: figures(self.charts, &self.names),
            sections,
            scenario_text: self.source.into(),
            command: self.command.clone(),
            command_notes: vec![html!(
                "Scenario sha256: <code>{}</code>",
                Html::text(self.sha256)
            )],
            worlds: None,
        }
    }
}

/// A SHA-256 shown by its first 12 hex digits, the whole in its tooltip
/// (`title`), so a table of scenarios is not mostly hashes.
fn short_hash(sha256: &str) -> Html {
    let short: String = sha256.chars().take(12).collect();
    html!(
        "<code title=\"{}\">{}…</code>",
        Html::text(sha256),
        Html::text(&short)
    )
}

/// A table of cells already made HTML, in a scroll wrapper.
fn markup_table(head: &[&str], rows: &[Vec<Html>]) -> Html {
    let mut out = Html::markup("<div class=\"scroll\"><table>\n<thead><tr>");
    for h in head {
        write!(out, "<th>{}</th>", Html::text(h));
    }
    writeln!(out, "</tr></thead>\n<tbody>");
    for row in rows {
        out.push_markup("<tr>");
        for cell in row {
            write!(out, "<td>{cell}</td>");
        }
        writeln!(out, "</tr>");
    }
    out.push_markup("</tbody>\n</table></div>");
    out
}

/// Each chart with its heading and how to read it.
fn figures(charts: &[WrittenChart], names: &Names) -> Vec<Figure> {
    charts
        .iter()
        .map(|WrittenChart { stem, svg }| {
            let (heading, caption) = chart_text(stem, names);
            Figure {
                stem: stem.clone(),
                title: heading.clone(),
                heading,
                svg: svg.clone(),
                caption,
            }
        })
        .collect()
}

/// A chart's heading and a sentence saying how to read it.
fn chart_text(stem: &str, names: &Names) -> (String, String) {
    // The Sobol' and one-at-a-time charts of outputs other than the headline
    // are named after their output: `sobol-deal-partial` is deal.partial's
    // (no headline key holds a hyphen).
    if let Some(output) = stem.strip_prefix("sobol-") {
        let name = names.probability(&output.replace('-', "."));
        return (
            format!("Sobol' indices of {name}"),
            format!(
                "As above, for {name}: the share of its variance over the parameters' ranges \
                 that each explains alone (first order) and with its interactions (total)."
            ),
        );
    }
    if let Some(output) = stem.strip_prefix("tornado-") {
        let name = names.probability(&output.replace('-', "."));
        return (
            format!("One at a time: {name}"),
            format!(
                "As above, for {name}: its value with each parameter at the low and the high \
                 end of its range and every other as written."
            ),
        );
    }
    let (heading, caption) = fixed_chart_text(stem);
    (heading.into(), caption.into())
}

/// The heading and caption of every chart whose stem is fixed.
fn fixed_chart_text(stem: &str) -> (&'static str, &'static str) {
    match stem {
        "survival" => (
            "Channel survival by scenario",
            "S(t), the share of runs whose channel is not broken after round t, for each \
             scenario, with 95 % bands. The scenarios share their random numbers, so a gap \
             between curves is the change, not different luck.",
        ),
        "survival-difference" => (
            "Survival difference by round",
            "Each scenario's S(t) minus the baseline's, round by round, in percentage points, \
             with the 95 % interval of the paired difference: where the curves above overlap, \
             this shows when the scenarios part.",
        ),
        "outcomes" => (
            "Outcomes by scenario",
            "How the talks ended in each scenario, as a share of runs with 95 % intervals.",
        ),
        "differences" => (
            "Paired differences",
            "Each scenario minus the baseline, run by run, in percentage points: \
             P(channel continued) first, then the largest other effects, costs as well as \
             gains. A whisker across the grey line at 0 means no detectable difference.",
        ),
        "sweep" => (
            "Headline outcomes against the varied key",
            "Each point is a full study at that value of the key, on one seed; bands are 95 % \
             intervals. The grey line marks the scenario's own value.",
        ),
        "heatmap" => (
            "P(channel continued) over the grid",
            "Each cell is a full study at that pair of values; the number in the cell is \
             P(channel continued) in percent. Each cell's interval is in sweep.csv.",
        ),
        "sobol" => (
            "Sobol' indices",
            "The share of the variance of P(channel continued) over the parameters' ranges \
             that each explains alone (first order) and with its interactions (total), with \
             bootstrap intervals. Total minus first order is the share through interactions.",
        ),
        "tornado" => (
            "One at a time",
            "P(channel continued) with each parameter at the low and the high end of its \
             range and every other as written; the grey line is the scenario as written.",
        ),
        "tradeoff" => (
            "Density against coverage",
            "Each box of PRIM's trajectory at its coverage (the share of what is looked for \
             inside it) and density (how likely the outcome is inside it), coloured by how many \
             inputs it restricts; the grey line is the threshold, the ringed box the one \
             reported, with its density's 95 % interval.",
        ),
        "box" => (
            "The chosen box's ranges",
            "Each input the chosen box restricts, its range in the box (dark) within its judged \
             range (light), with the restriction's quasi-p-value and share of half-sample \
             refits; grey: dropped as noise.",
        ),
        "indicators" => (
            "What to watch",
            "For each observable event: P(channel continued) if it happens and if not, ranked \
             by how far knowing it moves the forecast on average. An association across \
             simulated futures, not a cause.",
        ),
        _ => ("Chart", ""),
    }
}

fn pct(p: &Proportion) -> String {
    format!("{:.1} %", 100.0 * p.p)
}

/// `sweep.html`.
pub fn sweep_page(table: &SweepTable, runs: u64, seed: u64, input: &PageInput<'_>) -> String {
    let keys = table.keys.join(" and ");
    let column: Vec<&Proportion> = table
        .column("channel_continued")
        .map(|c| c.collect())
        .unwrap_or_default();
    let at = |i: usize| {
        table
            .keys
            .iter()
            .zip(&table.points[i])
            .map(|(k, &v)| format!("{k} = {}", number(v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let by_value = |better: bool| {
        (0..column.len()).reduce(|a, b| {
            let (pa, pb) = (column[a].p, column[b].p);
            if (pb > pa) == better && pb != pa {
                b
            } else {
                a
            }
        })
    };
    let answer = match (by_value(false), by_value(true)) {
        (Some(lo), Some(hi)) if column[lo].p == column[hi].p => format!(
            "P(channel continued) is {} at every point: over this range, {keys} does not \
             move it in these runs.",
            pct(column[lo])
        ),
        (Some(lo), Some(hi)) => format!(
            "P(channel continued) ranges from {} (at {}) to {} (at {}).",
            pct(column[lo]),
            at(lo),
            pct(column[hi]),
            at(hi)
        ),
        _ => "No point was computed.".into(),
    };
    let widest = column
        .iter()
        .map(|p| 100.0 * (p.hi - p.lo) / 2.0)
        .fold(0.0, f64::max);
    let plain = Plain {
        question: format!("How does the forecast change as {keys} changes?"),
        answer,
        how_sure: format!(
            "{} runs per point, every point on seed {seed} (common random numbers); each \
             point's 95 % interval is at most ±{widest:.1} points.",
            thousands(runs)
        ),
        judged: None,
    };
    let mut head: Vec<&str> = table.keys.iter().map(String::as_str).collect();
    let names: Vec<String> = table
        .metrics
        .iter()
        .map(|m| format!("{} (%)", Names::default().probability(m)))
        .collect();
    head.extend(names.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = table
        .points
        .iter()
        .zip(&table.rows)
        .map(|(point, values)| {
            point
                .iter()
                .map(|&v| number(v))
                .chain(values.iter().map(|p| format!("{:.1}", 100.0 * p.p)))
                .collect()
        })
        .collect();
    let sections = vec![
        Section {
            id: "summary".into(),
            heading: "Summary".into(),
            html: preformatted(&table.render_text()),
        },
        Section {
            id: "table".into(),
            heading: "Every point".into(),
            html: html!(
                "<p>Probabilities in percent; intervals in <code>sweep.csv</code>.</p>{}",
                scroll_table(&head, &rows, 0)
            ),
        },
    ];
    let mut page = input.page(
        "sweep",
        format!("{}: sweep of {keys}", input.scenario),
        plain,
        sections,
    );
    page.worlds = table.worlds;
    page.render()
}

/// `sensitivity.html`.
pub fn sensitivity_page(s: &Sensitivity, input: &PageInput<'_>) -> String {
    let headline = "channel_continued";
    // Each output's rows together, in the order of the outputs (the headline
    // first), each output's rows by how much the parameter matters.
    let rank = |o: &str| OUTPUTS.iter().position(|x| *x == o);
    let (answer, head, rows): (String, Vec<&str>, Vec<Vec<String>>) = if s.sobol.is_empty() {
        let mut oat: Vec<_> = s.oat.iter().collect();
        oat.sort_by(|a, b| {
            rank(&a.output)
                .cmp(&rank(&b.output))
                .then(b.largest_deviation().total_cmp(&a.largest_deviation()))
        });
        let answer = oat.iter().find(|r| r.output == headline).map_or(String::new(), |r| {
            format!(
                "{} moves it most: {} at its low value, {} at its high (as written: {}).",
                r.parameter,
                pct(&r.at_lo),
                pct(&r.at_hi),
                pct(&r.at_base)
            )
        });
        let rows = oat
            .iter()
            .map(|r| {
                vec![
                    input.names.probability(&r.output),
                    r.parameter.clone(),
                    format!("{:.1}", 100.0 * r.at_lo.p),
                    format!("{:.1}", 100.0 * r.at_hi.p),
                    format!("{:+.1}", 100.0 * r.swing),
                ]
            })
            .collect();
        (
            answer,
            vec![
                "Output",
                "Parameter",
                "At low (%)",
                "At high (%)",
                "Swing (points)",
            ],
            rows,
        )
    } else {
        let mut sobol: Vec<_> = s.sobol.iter().filter(|r| r.output == headline).collect();
        sobol.sort_by(|a, b| b.total.value.total_cmp(&a.total.value));
        let total = |r: &&SobolRow| {
            format!(
                "total index {:.2} [{:.2}, {:.2}]",
                r.total.value, r.total.lo, r.total.hi
            )
        };
        let answer = match sobol.as_slice() {
            [first, second, ..] if first.total.lo <= second.total.hi => format!(
                "{} and {} explain the most of its variance, among the top two with \
                 intervals that overlap: {}; {}.",
                first.parameter,
                second.parameter,
                total(first),
                total(second)
            ),
            [first, ..] => format!(
                "{} explains the most of its variance: {}.",
                first.parameter,
                total(first)
            ),
            [] => String::new(),
        };
        let mut all: Vec<_> = s.sobol.iter().collect();
        all.sort_by(|a, b| {
            rank(&a.output)
                .cmp(&rank(&b.output))
                .then(b.total.value.total_cmp(&a.total.value))
        });
        let rows = all
            .iter()
            .map(|r| {
                vec![
                    input.names.probability(&r.output),
                    r.parameter.clone(),
                    format!(
                        "{:.2} [{:.2}, {:.2}]",
                        r.first_order.value, r.first_order.lo, r.first_order.hi
                    ),
                    format!(
                        "{:.2} [{:.2}, {:.2}]",
                        r.total.value, r.total.lo, r.total.hi
                    ),
                ]
            })
            .collect();
        (
            answer,
            vec!["Output", "Parameter", "First order", "Total"],
            rows,
        )
    };
    let ranges: Vec<String> = s
        .parameters
        .iter()
        .map(|p| format!("{} from {} to {}", p.key, p.lo, p.hi))
        .collect();
    let plain = Plain {
        question: format!(
            "Which of the varied inputs moves P(channel continued) most, over {}?",
            ranges.join("; ")
        ),
        answer,
        how_sure: format!(
            "{} design points of {} runs each on seed {}; intervals are 95 % ({}).{}",
            s.design_points,
            thousands(s.runs_per_point),
            s.seed,
            if !s.sobol.is_empty() {
                "bootstrap over the design".to_string()
            } else if let Some(worlds) = s.worlds {
                format!("for runs clustered in {worlds} worlds of the judged inputs")
            } else {
                "Wilson".to_string()
            },
            rough_note(&s.sobol.iter().collect::<Vec<_>>())
                .map_or(String::new(), |note| format!(" {note}."))
        ),
        judged: None,
    };
    let sections = vec![
        Section {
            id: "summary".into(),
            heading: "Summary".into(),
            html: preformatted(&s.render_text()),
        },
        Section {
            id: "table".into(),
            heading: if s.sobol.is_empty() {
                "One at a time, by output and parameter".into()
            } else {
                "Sobol' indices by output and parameter".into()
            },
            html: scroll_table(&head, &rows, 2),
        },
    ];
    let mut page = input.page(
        "sensitivity",
        format!("{}: sensitivity ({})", input.scenario, s.method),
        plain,
        sections,
    );
    page.worlds = s.worlds;
    page.render()
}

/// `indicators.html`.
pub fn indicators_page(ind: &Indicators, shown: usize, input: &PageInput<'_>) -> String {
    let now = &ind.baseline[0].probability;
    // The headline names the top indicator that warns of the outcome, not
    // one that restates it (the channel broken by then); the chart lists
    // those last.
    let top = ind
        .informative()
        .find(|i| !obvious(i))
        .or_else(|| ind.informative().next());
    let answer = top.map_or(
        "Nothing observable by then varies across the runs.".to_string(),
        |i| {
            format!(
                "Watch for: {}. If it happens, P(channel continued) is {}; if not, {} \
                 (now {}).",
                i.label,
                pct(&i.outcomes[0].given),
                pct(&i.outcomes[0].absent),
                pct(now)
            )
        },
    );
    let plain = Plain {
        question: format!(
            "What could be seen by {} {} that would change the forecast most?",
            ind.round_label, ind.round
        ),
        answer,
        how_sure: format!(
            "{} runs on seed {}; 95 % intervals ({}) are in indicators.csv. These are \
             associations across simulated futures, not causes.",
            thousands(ind.runs),
            ind.seed,
            ind.worlds.map_or("Wilson's".to_string(), |worlds| format!(
                "for runs clustered in {worlds} worlds of the judged inputs"
            ))
        ),
        judged: None,
    };
    let rows: Vec<Vec<String>> = ind
        .informative()
        .take(shown)
        .map(|i| {
            vec![
                i.label.clone(),
                format!("{:.1}", 100.0 * i.probability.p),
                format!("{:.1}", 100.0 * i.outcomes[0].given.p),
                format!("{:.1}", 100.0 * i.outcomes[0].absent.p),
                format!("{:.1}", 100.0 * i.expected_change),
            ]
        })
        .collect();
    let sections = vec![
        Section {
            id: "summary".into(),
            heading: "Summary".into(),
            html: preformatted(&ind.render_text(shown)),
        },
        Section {
            id: "table".into(),
            heading: "Indicators".into(),
            html: scroll_table(
                &[
                    "Observable",
                    "Happens (%)",
                    "P(continued) if it happens (%)",
                    "If not (%)",
                    "Expected change (points)",
                ],
                &rows,
                1,
            ),
        },
    ];
    let mut page = input.page(
        "indicators",
        format!(
            "{}: what to watch by {} {}",
            input.scenario, ind.round_label, ind.round
        ),
        plain,
        sections,
    );
    page.worlds = ind.worlds;
    if let Some(c) = &ind.conditioning {
        page.command_notes.push(html!(
            "Observations sha256: <code>{}</code>",
            Html::text(&c.observations_sha256)
        ));
    }
    page.render()
}

/// `discover.html`: the question in words, the box PRIM chose with its
/// density's interval and each restriction in a table, the charts, and
/// the command; `text` is the text summary the command prints.
pub fn discover_page(
    d: &Discovery,
    text: &str,
    study: DiscoveryStudy,
    input: &PageInput<'_>,
) -> String {
    let (happens, t) = (&d.phrase.happens, 100.0 * d.threshold);
    let below = d.direction == "below";
    let question = match d.case {
        None if below => format!(
            "Which ranges of the judged inputs make it unlikely that {happens} (in at most \
             {t:.0} % of runs)?"
        ),
        None => format!(
            "Which ranges of the judged inputs make it likely that {happens} (in at least \
             {t:.0} % of runs)?"
        ),
        Some(case) => format!(
            "Which ranges of the judged inputs hold the worlds where {happens} {} ({} {t:.0} \
             % of a box's worlds)?",
            case.words(),
            if below { "at most" } else { "at least" }
        ),
    };
    let b = &d.chosen.step_box;
    // Each world one case or not, or one run a world: independent worlds.
    let clustered = d.case.is_none() && study.runs > study.worlds;
    let rule = if clustered {
        format!("for runs clustered in {} worlds", thousands(study.worlds))
    } else {
        "Wilson's over the worlds".to_string()
    };
    let how_sure = format!(
        "{} worlds of about {} runs each on seed {}. The box's density, {:.0} %, has the 95 % \
         interval {:.0} to {:.0} % ({rule}): the noise of these runs and worlds, not of PRIM's \
         choice of the box, which each restriction's quasi-p-value and share of {REFITS} \
         half-sample refits judge (a restriction that passes neither test is dropped).",
        thousands(study.worlds),
        thousands(study.runs / study.worlds.max(1)),
        study.seed,
        100.0 * b.density,
        100.0 * d.chosen.density_lo,
        100.0 * d.chosen.density_hi,
    );
    let plain = Plain {
        question,
        answer: d.sentence.clone(),
        how_sure,
        judged: Some(
            "The box is a region of the judged ranges the scenario states, searched over \
             worlds drawn from them."
                .into(),
        ),
    };
    let sections = vec![
        Section {
            id: "summary".into(),
            heading: "Summary".into(),
            html: preformatted(text),
        },
        Section {
            id: "box".into(),
            heading: "The chosen box".into(),
            html: box_table(d),
        },
    ];
    let mut page = input.page(
        "discover",
        format!("{}: where {happens}", input.scenario),
        plain,
        sections,
    );
    page.worlds = clustered.then_some(study.worlds);
    page.render()
}

/// The chosen box in numbers, then each input it restricts: its range in
/// the box and its prior range, and how its restriction fares.
fn box_table(d: &Discovery) -> Html {
    let b = &d.chosen.step_box;
    let rows: Vec<Vec<String>> = b
        .limits
        .iter()
        .map(|limit| {
            let input = d.inputs.iter().find(|i| i.key == limit.key);
            let name = input.map_or(limit.key.clone(), |i| {
                if i.name.is_empty() {
                    i.key.clone()
                } else {
                    format!("{} ({})", i.name, i.key)
                }
            });
            let (range, prior) = match input {
                Some(i) if !i.options.is_empty() => (
                    format!("in {{{}}}", limit.options.join(", ")),
                    format!("{{{}}}", i.options.join(", ")),
                ),
                _ => (
                    format!(
                        "{} to {}",
                        significant(limit.lo, 3),
                        significant(limit.hi, 3)
                    ),
                    input.map_or(String::new(), |i| {
                        format!("{} to {}", significant(i.lo, 3), significant(i.hi, 3))
                    }),
                ),
            };
            let (verdict, quasi_p, refits) = limit.significance.map_or(
                (String::new(), String::new(), String::new()),
                |s| {
                    let verdict = match (s.matters, s.dropped) {
                        (true, _) => "kept: passes a test",
                        (false, true) => "dropped: passes neither test",
                        (false, false) => "kept: passes neither test",
                    };
                    (
                        verdict.to_string(),
                        significant(s.quasi_p(), 2).to_string(),
                        format!("{:.0}", 100.0 * s.refit_share),
                    )
                },
            );
            vec![name, range, prior, verdict, quasi_p, refits]
        })
        .collect();
    let why = match d.chosen.chosen_by {
        ChosenBy::Threshold => format!("for the threshold of {:.0} %", 100.0 * d.threshold),
        ChosenBy::SupportedThreshold => format!(
            "for the threshold the data supports, {:.0} % (none reaches {:.0} %)",
            100.0 * d.supported_threshold,
            100.0 * d.threshold
        ),
        ChosenBy::Step => "as asked".into(),
    };
    let summary = html!(
        "<p>Step {} of PRIM's trajectory, chosen {}: density {:.1} % (95 % interval {:.1} to \
         {:.1} %), coverage {:.1} %, {:.1} % of the worlds. Each restriction's quasi-p-value \
         and the share of {REFITS} half-sample refits that restrict the same input; the \
         trajectory is in <code>discover.csv</code>.</p>",
        d.chosen.step,
        Html::text(&why),
        100.0 * b.density,
        100.0 * d.chosen.density_lo,
        100.0 * d.chosen.density_hi,
        100.0 * b.coverage,
        100.0 * b.mass
    );
    if rows.is_empty() {
        return html!(
            "{summary}<p>The box restricts no input: the whole prior ranges.</p>"
        );
    }
    html!(
        "{summary}{}",
        scroll_table(
            &[
                "Input",
                "In the box",
                "Prior range",
                "Restriction",
                "Quasi-p",
                "Refits (%)",
            ],
            &rows,
            4,
        )
    )
}

/// `comparison.html`: one column per scenario in the wide table of every
/// metric, with units, the scenarios' descriptions and each chart's caption.
pub fn comparison_page(c: &Comparison, descriptions: &[String], input: &PageInput<'_>) -> String {
    let labels: Vec<&str> = c.scenarios.iter().map(|s| s.label.as_str()).collect();
    let headline = c.row("channel_continued");
    let answer = headline.map_or(String::new(), |row| {
        labels
            .iter()
            .zip(&row.values)
            .map(|(l, v)| format!("{l}: {:.1} %", 100.0 * v.value))
            .collect::<Vec<_>>()
            .join("; ")
    });
    let how_sure = match largest_significant(c) {
        Some((row, k, d)) => format!(
            "Paired over {} runs per scenario on seed {}, the largest significant difference \
             to the baseline: {} {} % → {} % in {}, {} points.",
            thousands(c.runs),
            c.seed,
            input.names.probability(&row.metric),
            percent_of(&row.values[0]),
            percent_of(&row.values[k]),
            labels[k],
            signed_points(d)
        ),
        None => format!(
            "Paired over {} runs per scenario on seed {}: no difference to the baseline is \
             significant at 5 %.",
            thousands(c.runs),
            c.seed
        ),
    };
    let plain = Plain {
        question: format!(
            "How does P(channel continued) differ between {}?",
            labels.join(" and ")
        ),
        answer: format!("P(channel continued) — {answer}."),
        how_sure,
        judged: None,
    };
    let scenario_rows: Vec<Vec<Html>> = c
        .scenarios
        .iter()
        .enumerate()
        .map(|(k, s)| {
            vec![
                Html::text(&format!("[{k}]{}", if k == 0 { " baseline" } else { "" })),
                Html::text(&s.label),
                Html::text(&descriptions.get(k).cloned().unwrap_or_default()),
                short_hash(&s.sha256),
            ]
        })
        .collect();
    let sections = vec![
        Section {
            id: "summary".into(),
            heading: "Summary".into(),
            html: preformatted(&c.render_text()),
        },
        Section {
            id: "scenarios".into(),
            heading: "Scenarios".into(),
            html: markup_table(&["", "Scenario", "Description", "sha256"], &scenario_rows),
        },
        Section {
            id: "metrics".into(),
            heading: "Every metric".into(),
            html: wide_table(c, &labels),
        },
    ];
    let mut page = input.page("comparison", labels.join(" vs "), plain, sections);
    page.worlds = c.worlds;
    // Each scenario's description is in the scenarios table; the baseline's
    // alone under the title would describe only half of the page.
    page.description = String::new();
    page.facts = vec![
        (
            "Runs".into(),
            Html::text(&format!(
                "{} per scenario, paired (common random numbers)",
                thousands(c.runs)
            )),
        ),
        ("Seed".into(), html!("{}", c.seed)),
    ];
    page.command_notes.clear();
    if let Some(cond) = &c.conditioning {
        page.header_html = html!(
            "<div class=\"conditional\"><strong>Conditional comparison.</strong> Only run \
             indices consistent with every observation in every scenario ({} of {} tried): {}</div>",
            cond.accepted,
            cond.tried,
            Html::text(&cond.observations.join("; "))
        );
        page.command_notes.push(html!(
            "Observations sha256: <code>{}</code>",
            Html::text(&cond.observations_sha256)
        ));
    }
    page.render()
}

/// Every metric, one row each: its name and unit, each scenario's value
/// and interval, and each other scenario's paired difference (marked * when
/// its interval excludes 0).
fn wide_table(c: &Comparison, labels: &[&str]) -> Html {
    let mut head: Vec<String> = vec!["Metric".into(), "Unit".into()];
    head.extend(labels.iter().map(|l| l.to_string()));
    head.extend(labels.iter().skip(1).map(|l| format!("{l} − baseline")));
    let head_refs: Vec<&str> = head.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = c
        .metrics
        .iter()
        .map(|row| {
            let probability = row.kind == "probability";
            let (scale, unit, digits) = if probability {
                (100.0, "%".to_string(), 1)
            } else {
                (1.0, unit_of(&row.metric, &c.scenarios[0].round_label), 2)
            };
            let cell = |e: &Estimate| {
                format!(
                    "{:.digits$} [{:.digits$}, {:.digits$}]",
                    scale * e.value,
                    scale * e.lo,
                    scale * e.hi
                )
            };
            let mut cells = vec![c.names.label(&row.metric), unit];
            cells.extend(row.values.iter().map(cell));
            cells.extend(row.differences.iter().skip(1).map(|d| {
                d.map_or(String::new(), |d| {
                    format!(
                        "{:+.digits$} [{:+.digits$}, {:+.digits$}]{}",
                        scale * d.difference,
                        scale * d.lo,
                        scale * d.hi,
                        if d.excludes_zero { "*" } else { "" }
                    )
                })
            }));
            cells
        })
        .collect();
    html!(
        "<p>Each value with its 95 % interval; differences are paired, run by run, in \
         percentage points for probabilities. * marks a difference whose interval excludes \
         0.</p>{}",
        scroll_table(&head_refs, &rows, 2)
    )
}

/// The unit of a mean: rounds for the first agreement, events per run for
/// the rest.
fn unit_of(metric: &str, round_label: &str) -> String {
    if metric.contains("round") {
        format!("{round_label}s")
    } else {
        "per run".into()
    }
}

/// The largest paired difference to the baseline, in points, among the
/// probabilities whose difference is significant (the survival curve's
/// rounds left out: its end is `channel_continued`): the row, the
/// scenario's index and the difference.
fn largest_significant(c: &Comparison) -> Option<(&MetricRow, usize, Difference)> {
    c.metrics
        .iter()
        .filter(|row| row.kind == "probability" && !row.metric.starts_with("survival."))
        .flat_map(|row| {
            row.differences
                .iter()
                .enumerate()
                .filter_map(move |(k, d)| d.filter(|d| d.excludes_zero).map(|d| (row, k, d)))
        })
        .max_by(|a, b| a.2.difference.abs().total_cmp(&b.2.difference.abs()))
}

/// A probability in percent to one decimal.
fn percent_of(e: &Estimate) -> String {
    format!("{:.1}", 100.0 * e.value)
}

/// A paired difference in points with its interval, signed, rounded to as
/// few decimals (1 to 4) as keep its message: an interval that excludes 0
/// prints no end as 0 or with the other sign ([−0.77, −0.01] is
/// "[−0.77, −0.01]", not "[−0.8, −0.0]").
fn signed_points(d: Difference) -> String {
    let (value, lo, hi) = (100.0 * d.difference, 100.0 * d.lo, 100.0 * d.hi);
    let keeps_sign = |decimals: usize| {
        let shown = |v: f64| format!("{v:.decimals$}").parse::<f64>().unwrap_or(0.0);
        let excludes_zero = lo > 0.0 || hi < 0.0;
        !excludes_zero || (shown(lo) != 0.0 && shown(hi) != 0.0)
    };
    let decimals = (1..=4).find(|&d| keeps_sign(d)).unwrap_or(4);
    format!("{value:+.decimals$} [{lo:+.decimals$}, {hi:+.decimals$}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The comparison's scenarios table shows a hash by its start; the
    /// whole is the tooltip.
    #[test]
    fn a_hash_is_shortened_with_the_whole_in_its_tooltip() {
        let full = "0123456789abcdef".repeat(4);
        assert_eq!(
            short_hash(&full).to_string(),
            format!("<code title=\"{full}\">0123456789ab…</code>")
        );
    }

    #[test]
    fn every_chart_stem_has_a_heading_and_a_caption() {
        for stem in [
            "survival",
            "survival-difference",
            "outcomes",
            "differences",
            "sweep",
            "heatmap",
            "sobol",
            "sobol-deal-partial",
            "tornado",
            "tornado-deal-comprehensive",
            "indicators",
            "tradeoff",
            "box",
        ] {
            let (heading, caption) = chart_text(stem, &Names::default());
            assert_ne!(heading, "Chart", "{stem}");
            assert!(caption.len() > 40, "{stem}");
        }
    }

    #[test]
    fn a_sweep_page_says_where_the_forecast_is_lowest_and_highest() {
        let p = |x: f64| Proportion {
            count: 0,
            p: x,
            lo: x - 0.01,
            hi: x + 0.01,
        };
        let table = SweepTable::new(
            vec!["format.leak_hazard".into()],
            vec![vec![0.1], vec![0.2], vec![0.3]],
            vec!["channel_continued".into()],
            vec![vec![p(0.5)], vec![p(0.4)], vec![p(0.3)]],
        );
        let input = PageInput {
            scenario: "demo",
            names: Names::default(),
            description: "d",
            source: "horizon = 12 # judgement\n",
            sha256: "ab",
            charts: &[],
            command: "backchannel sweep demo --vary format.leak_hazard=0.1..0.3:3".into(),
        };
        let html = sweep_page(&table, 100, 7, &input);
        assert!(html.contains(
            "ranges from 30.0 % (at format.leak_hazard = 0.3) to 50.0 % (at format.leak_hazard = 0.1)"
        ));
        assert!(html.contains("±1.0 points"));
        assert!(html.contains("backchannel sweep demo --vary format.leak_hazard=0.1..0.3:3"));
    }

    #[test]
    fn a_difference_that_excludes_zero_keeps_its_sign_when_rounded() {
        let d = |difference, lo, hi| Difference {
            difference,
            lo,
            hi,
            excludes_zero: true,
        };
        assert_eq!(
            signed_points(d(-0.0039, -0.0077, -0.0001)),
            "-0.39 [-0.77, -0.01]"
        );
        assert_eq!(signed_points(d(-0.03, -0.034, -0.026)), "-3.0 [-3.4, -2.6]");
        assert_eq!(
            signed_points(d(0.0004, 0.00001, 0.0008)),
            "+0.040 [+0.001, +0.080]"
        );
        // An interval across 0 is rounded as usual.
        assert_eq!(signed_points(d(0.001, -0.0004, 0.0024)), "+0.1 [-0.0, +0.2]");
    }
}
