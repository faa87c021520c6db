//! `report.html`: one self-contained page per study — inline CSS, every plot
//! as inline SVG, no script, no network — holding the scenario's name and
//! description, the text summary, every plot, a table of every metric with
//! its interval and the command that reproduces the study.

use super::ScenarioInfo;
use super::markup::{Html, html};
use super::page::{Figure, Page, Plain, Section, preformatted, scroll_table};
use super::plots::{PlotKind, thousands};
use crate::output::text::moments;
use crate::output::uncertainty::{InputSummary, Uncertainty};
use crate::output::{Summary, summary_csv, text};

/// One sentence under each plot, for a reader who has not seen the model.
fn caption(kind: PlotKind, summary: &Summary) -> String {
    let unit = &summary.round_label;
    match kind {
        PlotKind::Outcomes if !summary.comprehensive_issues => {
            "How the talks ended in the simulated futures: a complete deal (every issue \
             ratified: no issue is comprehensive), a partial deal (some issue ratified) or none; \
             and whether the channel had concluded, was still active, suspended, or broken."
                .into()
        }
        PlotKind::Outcomes => "How the talks ended in the simulated futures: a comprehensive deal \
             (every comprehensive issue ratified), a partial deal (some issue ratified) or none; \
             and whether the channel had concluded, was still active, suspended, or broken."
            .into(),
        PlotKind::Survival => format!(
            "S(t): the share of runs in which the channel is not broken after {unit} t. The \
             shaded band is its 95 % interval; the last point is the headline, P(channel \
             continued)."
        ),
        PlotKind::FirstAgreement => format!(
            "The {unit} in which the parties first agreed on any issue (before ratification), as \
             a share of all runs; the grey bar is the share of runs with no agreement at all."
        ),
        PlotKind::Causes => format!(
            "When and why the channel broke: for each shock that can end the talks and each \
             spoiler that can strike, the share of all runs it has broken by the end of each \
             {unit} (its cumulative incidence), stacked with the most frequent at the bottom. \
             The top edge is the share broken so far, 1 − S(t); dashed lines mark scheduled \
             events."
        ),
        PlotKind::States => format!(
            "How the runs stand at the end of each {unit}: the channel active, suspended (by a \
             shock, a walkout or a spoiler), concluded (every concluding issue ratified) or \
             broken. The shares add up to 100 %; broken and concluded runs stay so."
        ),
        PlotKind::Update => format!(
            "The forecast before the news (grey: every run tried, unconditioned) and given it \
             (blue: only the runs consistent with every observation, with its 95 % band). The \
             shaded {unit}s are observed; the solid line is now, the last observed {unit}. \
             Before it, the blue curve follows what was observed; after it, the gap between \
             the curves is what the news changed."
        ),
        PlotKind::Inputs if super::plots::inputs::unmoved(summary) => {
            "What the news taught about the judged inputs: nothing. Each input's posterior (the \
             worlds weighted by how likely each made the observations) lies where its prior \
             does, so the observations tell no world from another."
                .into()
        }
        PlotKind::Inputs => "What the news taught about the judged inputs: for each input the \
             news moved most, its prior (grey: the mean and 90 % range of the worlds drawn) and \
             its posterior (blue: the same worlds weighted by how likely each made the \
             observations). Each row is scaled to its prior's 90 % range, so 0 and 1 are the \
             prior's 5th and 95th percentiles; the labels give the means in the input's own \
             units."
            .into(),
        PlotKind::Fan => "Two kinds of uncertainty. The dark line is the forecast: the share of \
             all runs, over every drawn world, in which the channel is not broken after each \
             round. The bands show what the judged inputs leave open: each world draws every \
             distribution in the scenario once, and the bands hold the middle half and nine in \
             ten of the worlds' own survival curves, the 50 % and 90 % bands (with each world's \
             chance taken out). A wide fan means the answer rests on judgements more than on \
             chance."
            .into(),
        PlotKind::Issues => "For each issue, a bar as long as the share of runs in which it was \
             agreed at the table: its green part ratified by both parties' domestic ratifiers, \
             its vermillion part rejected by one of them (what ratification lost), its purple \
             part still awaiting ratification at the horizon."
            .into(),
    }
}

/// The page. `plots` are the rendered SVGs, in display order.
pub fn render(summary: &Summary, info: &ScenarioInfo, plots: &[(PlotKind, &str)]) -> String {
    let s = summary;
    let facts = vec![
        ("Runs".to_string(), Html::text(&thousands(s.runs))),
        ("Seed".into(), html!("{}", s.seed)),
        (
            "Horizon".into(),
            html!("{} {}s", s.horizon, Html::text(&s.round_label)),
        ),
        (
            "Scenario".into(),
            html!("<code>{}</code>", Html::text(&info.spec)),
        ),
        (
            "Scenario sha256".into(),
            html!("<code>{}</code>", Html::text(&s.scenario.sha256)),
        ),
    ];
    let c = &s.channel_continued;
    // With news, the headline shows the update: the prior, then the
    // conditional forecast with its interval.
    let before = s.prior.as_ref().map_or(Html::new(), |prior| {
        html!(
            "<span class=\"prior\" title=\"before the news\">{:.1}</span> → ",
            100.0 * prior.channel_continued.p
        )
    });
    let mut header_html = html!(
        "<div class=\"headline\" id=\"headline\">P(channel continued) \
         <span class=\"value\">{before}{:.1}%</span> \
         <span class=\"interval\">95 % interval {:.1}–{:.1}%</span></div>\n",
        100.0 * c.p,
        100.0 * c.lo,
        100.0 * c.hi
    );
    if let Some(prior) = &s.prior {
        writeln!(
            header_html,
            "<div class=\"headline-spread\">{:.1}% before the news (all {} runs tried), \
             {:.1}% given it</div>",
            100.0 * prior.channel_continued.p,
            Html::text(&thousands(prior.runs)),
            100.0 * c.p
        );
    }
    if let Some(spread) = s
        .uncertainty
        .as_ref()
        .and_then(|u| u.headline.get("channel_continued"))
    {
        writeln!(
            header_html,
            "<div class=\"headline-spread\">from {:.0}% to {:.0}% across the judged inputs' \
             ranges (5th to 95th percentile of the worlds)</div>",
            100.0 * spread.p05,
            100.0 * spread.p95
        );
    }
    conditional(&mut header_html, s, info);
    if let Some(partial) = &s.partial {
        writeln!(
            header_html,
            "<div class=\"conditional\" id=\"partial-merge\"><strong>Partial merge.</strong> \
             Only {} of the study's {} runs are counted; missing {}.</div>",
            s.runs,
            partial.study_runs,
            Html::text(&partial.missing)
        );
    }
    let mut notes = vec![html!(
        "Scenario sha256: <code>{}</code>",
        Html::text(&s.scenario.sha256)
    )];
    if let Some(conditioning) = &s.conditioning {
        notes.push(html!(
            "Observations sha256: <code>{}</code> (the file's text is shown under the \
             headline; the command needs a file with exactly that text)",
            Html::text(&conditioning.observations_sha256)
        ));
    }
    Page {
        kind: "report".into(),
        title: s.scenario.display(),
        description: info.description.clone(),
        plain: plain(s),
        facts,
        header_html,
        figures: plots
            .iter()
            .map(|(kind, svg)| Figure {
                stem: kind.stem().into(),
                heading: kind.heading().into(),
                title: kind.title(s),
                svg: (*svg).to_string(),
                caption: caption(*kind, s),
            })
            .collect(),
        sections: [
            Some(Section {
                id: "summary".into(),
                heading: "Summary".into(),
                html: preformatted(&text::render(s)),
            }),
            s.uncertainty.as_ref().map(|u| Section {
                id: "judged".into(),
                heading: "Judged inputs".into(),
                html: judged_inputs(u),
            }),
            Some(Section {
                id: "metrics".into(),
                heading: "Every metric".into(),
                html: metrics(s),
            }),
        ]
        .into_iter()
        .flatten()
        .collect(),
        scenario_text: info.source.clone(),
        command: info.reproduce(s),
        command_notes: notes,
        worlds: s.uncertainty.as_ref().map(|u| u.worlds),
    }
    .render()
}

/// The plain-language opening of a study's page.
fn plain(s: &Summary) -> Plain {
    let c = &s.channel_continued;
    let question = format!(
        "Will the talks' channel still be open (not broken) after {} {}s?",
        s.horizon, s.round_label
    );
    let given = if s.conditioning.is_some() {
        ", counting only the futures consistent with the observations"
    } else {
        ""
    };
    let judged = s.uncertainty.as_ref().and_then(|u| {
        let spread = u.headline.get("channel_continued")?;
        Some(format!(
            "Across the judged inputs' ranges ({} worlds), the chance runs from {:.0} % to {:.0} % \
             (5th to 95th percentile of the worlds); the inputs explain {:.0} % of the run-to-run \
             variance, chance the rest.",
            u.worlds,
            100.0 * spread.p05,
            100.0 * spread.p95,
            100.0 * spread.share_from_inputs
        ))
    });
    Plain {
        question,
        answer: format!(
            "In {:.1} % of {} simulated futures{given}, it is.",
            100.0 * c.p,
            thousands(s.runs)
        ),
        how_sure: format!(
            "With {} runs the estimate is within {:.1}–{:.1} % (95 % interval).",
            thousands(s.runs),
            100.0 * c.lo,
            100.0 * c.hi
        ),
        judged,
    }
}

/// The notice of a conditional forecast: what was observed, and the
/// observations file embedded.
fn conditional(out: &mut Html, s: &Summary, info: &ScenarioInfo) {
    let Some(conditioning) = &s.conditioning else {
        return;
    };
    writeln!(
        out,
        "<div class=\"conditional\" id=\"conditional\"><strong>Conditional forecast.</strong> \
         Only runs consistent with every observation below are counted ({} of {} runs tried, \
         acceptance {:.2} %):<ul>",
        conditioning.accepted,
        conditioning.tried,
        100.0 * conditioning.acceptance
    );
    for o in &conditioning.observations {
        writeln!(out, "<li>{}</li>", Html::text(o));
    }
    writeln!(out, "</ul>");
    if let Some(given) = &info.given {
        writeln!(
            out,
            "<p>The observations file, <code>{}</code> (sha256 <code>{}</code>):</p>\n\
             <pre class=\"observations\">{}</pre>",
            Html::text(&given.path),
            Html::text(&conditioning.observations_sha256),
            Html::text(given.text.trim_end())
        );
    }
    writeln!(out, "</div>");
}

/// A plot's SVG ready to sit inside HTML: no XML prolog, labelled for screen
/// readers.
pub fn inline_svg(svg: &str, title: &str) -> Html {
    let body = match svg.find("<svg") {
        Some(start) => &svg[start..],
        None => svg,
    };
    let labelled = body.replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{}\"", Html::text(title)),
        1,
    );
    Html::markup(labelled.trim_end())
}

/// The table of every proportion (the rows of `summary.csv`, so the two
/// never disagree), then the means, which have no interval.
/// Every judged input: its distribution and what the worlds drew (and,
/// with news, the posterior), the inputs the news moved most first.
fn judged_inputs(u: &Uncertainty) -> Html {
    let mut order: Vec<&InputSummary> = u
        .moved_most
        .iter()
        .filter_map(|key| u.inputs.iter().find(|i| &i.key == key))
        .collect();
    order.extend(u.inputs.iter().filter(|i| !u.moved_most.contains(&i.key)));
    let posterior = order.iter().any(|i| i.posterior.is_some());
    let mut head = vec![
        "key",
        "distribution",
        "prior: mean [5 %, 95 %] over the worlds",
    ];
    if posterior {
        head.push("posterior, given the news");
    }
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|input| {
            // The table escapes every cell itself.
            let mut row = vec![
                input.key.clone(),
                input.distribution.clone(),
                moments(&input.prior),
            ];
            if posterior {
                row.push(input.posterior.as_ref().map_or(String::new(), moments));
            }
            row
        })
        .collect();
    html!(
        "<p>Each of the {} worlds drew every input once; the probabilities above are over all \
         worlds, and their spread across worlds is in <code>summary.json</code> \
         (<code>uncertainty</code>) and <code>worlds.csv</code>.{}</p>\n{}",
        u.worlds,
        if posterior {
            " With news, each world counts by how well it explains the observations: the \
             inputs the news moved most come first."
        } else {
            ""
        },
        scroll_table(&head, &rows, 2)
    )
}

fn metrics(s: &Summary) -> Html {
    let mut html = Html::new();
    let out = &mut html;
    let interval = match &s.uncertainty {
        Some(u) => html!(
            "its 95 % interval for runs clustered in {} worlds (docs/MODEL.md, \"Judged inputs and \
             worlds\"); the spread of the headline probabilities across the judged inputs is in \
             <code>uncertainty</code>",
            u.worlds
        ),
        None => Html::markup("its 95 % Wilson interval"),
    };
    writeln!(
        out,
        "<p>Every probability in <code>summary.json</code>, named by its path there, in \
         percent of all runs with {interval}.</p>"
    );
    if !s.comprehensive_issues {
        writeln!(
            out,
            "<p>No issue of this scenario is comprehensive: <code>deal.comprehensive</code> \
             is the complete deal, every issue ratified.</p>"
        );
    }
    writeln!(
        out,
        "<div class=\"scroll\"><table>\n<thead><tr>\
         <th>Metric</th><th class=\"num\">Estimate</th><th class=\"num\">95 % interval</th>\
         </tr></thead>\n<tbody>"
    );
    for (metric, p, lo, hi) in summary_csv::rows(s) {
        writeln!(
            out,
            "<tr><td class=\"metric\">{}</td><td class=\"num\">{:.2}%</td>\
             <td class=\"num\">{:.2} – {:.2}%</td></tr>",
            Html::text(&metric),
            100.0 * p,
            100.0 * lo,
            100.0 * hi
        );
    }
    writeln!(out, "</tbody>\n</table></div>");

    let mut means: Vec<(String, String)> = Vec::new();
    let first = &s.first_agreement_round;
    means.push(("first_agreement_round.runs".into(), thousands(first.runs)));
    means.push((
        "first_agreement_round.mean".into(),
        first.mean.map_or("none agreed".into(), |m| {
            format!("{m:.2} {}", s.round_label)
        }),
    ));
    for (id, activity) in &s.spoilers.0 {
        means.push((
            format!("spoilers.{id}.activations_mean"),
            format!("{:.3}", activity.activations_mean),
        ));
        means.push((
            format!("spoilers.{id}.successes_mean"),
            format!("{:.3}", activity.successes_mean),
        ));
    }
    means.push(("walkouts_mean".into(), format!("{:.3}", s.walkouts_mean)));
    means.push(("leaks_mean".into(), format!("{:.3}", s.leaks_mean)));
    writeln!(
        out,
        "<h3 style=\"margin-top:24px\">Counts and means per run</h3>\n<div class=\"scroll\"><table>\n<thead><tr>\
         <th>Metric</th><th class=\"num\">Value</th></tr></thead>\n<tbody>"
    );
    for (metric, value) in means {
        writeln!(
            out,
            "<tr><td class=\"metric\">{}</td><td class=\"num\">{}</td></tr>",
            Html::text(&metric),
            Html::text(&value)
        );
    }
    writeln!(out, "</tbody>\n</table></div>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support;

    fn page() -> String {
        let (summary, info) = (test_support::summary(), test_support::info());
        let svgs: Vec<(PlotKind, String)> = PlotKind::ALL
            .iter()
            .map(|&k| (k, format!("<svg id=\"{}\"></svg>\n", k.stem())))
            .collect();
        let plots: Vec<(PlotKind, &str)> = svgs.iter().map(|(k, s)| (*k, s.as_str())).collect();
        render(&summary, &info, &plots)
    }

    #[test]
    fn escapes_everything_taken_from_the_scenario() {
        let page = page();
        assert!(!page.contains("<b>détente</b>"), "raw markup leaked");
        assert!(page.contains("Talks about &lt;b&gt;détente&lt;/b&gt; &amp; &quot;trust&quot;"));
    }

    #[test]
    fn holds_every_plot_metric_and_the_reproduction_command() {
        let (summary, info) = (test_support::summary(), test_support::info());
        let page = page();
        for kind in PlotKind::ALL {
            assert!(
                page.contains(&format!(
                    "<svg role=\"img\" aria-label=\"{}\" id=\"{}\">",
                    Html::text(&kind.title(&summary)),
                    kind.stem()
                )),
                "{kind:?}"
            );
            assert!(page.contains(&format!("id=\"plot-{}\"", kind.stem())));
        }
        for (metric, ..) in summary_csv::rows(&summary) {
            assert!(page.contains(&format!(">{}<", Html::text(&metric))), "{metric}");
        }
        assert!(page.contains(&Html::text(&info.reproduce(&summary)).to_string()));
        assert!(page.contains(&summary.scenario.sha256));
        assert!(page.contains("spoilers.israel.activations_mean"));
    }

    #[test]
    fn needs_no_script_and_no_network() {
        let page = page();
        assert!(!page.contains("<script"));
        assert!(!page.contains("src=") && !page.contains("href=\"http"));
        assert!(!page.contains("<link") && !page.contains("@import"));
    }
}
