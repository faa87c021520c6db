//! `report.html`: one self-contained page per study — inline CSS, every plot
//! as inline SVG, no script, no network — holding the scenario's name and
//! description, the text summary, every plot, a table of every metric with
//! its interval and the command that reproduces the study.

use std::fmt::Write;

use super::ScenarioInfo;
use super::plots::{PlotKind, thousands};
use crate::output::{Summary, summary_csv, text};

pub const CSS: &str = r#"
:root { --ink: #222; --muted: #555; --rule: #ddd; --band: #f6f6f4; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 16px/1.5 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1060px; margin: 0 auto; padding: 32px 28px 48px; }
h1 { font-size: 2rem; margin: 0 0 6px; }
h2 { font-size: 1.35rem; margin: 40px 0 12px; padding-bottom: 6px;
  border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 0 0 8px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .8rem;
  color: var(--muted); margin: 0 0 4px; }
.description { font-size: 1.05rem; color: var(--ink); margin: 0 0 16px; max-width: 60em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px;
  margin: 0; font-size: .95rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.headline { margin: 24px 0 0; padding: 16px 20px; background: var(--band);
  border-left: 6px solid #0072B2; }
.conditional { margin: 16px 0 0; padding: 12px 20px; border-left: 6px solid #E69F00; background: #fff6e0; }
.headline .value { font-size: 2rem; font-weight: bold; }
.headline .interval { color: var(--muted); }
nav ol { margin: 8px 0 0; padding-left: 1.4em; columns: 2; }
pre { background: var(--band); padding: 14px 16px; overflow-x: auto;
  font: 14px/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .92em;
  overflow-wrap: anywhere; }
figure { margin: 0 0 36px; break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--rule); }
/* The plots were laid out with DejaVu Sans's metrics; use it where installed. */
figure svg text { font-family: "DejaVu Sans", "Bitstream Vera Sans", Verdana, sans-serif; }
figcaption { color: var(--muted); font-size: .95rem; margin-top: 8px; }
table { border-collapse: collapse; width: 100%; font-size: .95rem;
  font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--rule); }
td.num, th.num { text-align: right; }
tbody tr:nth-child(even) { background: #fafafa; }
td.metric { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88rem; }
footer { margin-top: 48px; color: var(--muted); font-size: .85rem; }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } }
"#;

/// Escape text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

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
        PlotKind::Causes => "What broke the channel, as a share of all runs: each shock that can \
             end the talks and each spoiler that can strike, most frequent first. The bars add \
             up to P(broken)."
            .into(),
        PlotKind::Issues => "For each issue: agreed at the table, then ratified by both parties' \
             domestic ratifiers or rejected by one of them. Agreed issues still awaiting \
             ratification at the horizon are neither."
            .into(),
    }
}

/// The page. `plots` are the rendered SVGs, in display order.
pub fn render(summary: &Summary, info: &ScenarioInfo, plots: &[(PlotKind, &str)]) -> String {
    let s = summary;
    let name = escape(&s.scenario.display());
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"backchannel {version}\">\n\
         <title>{name} — backchannel report</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        version = env!("CARGO_PKG_VERSION"),
    );

    // Who and what.
    let _ = writeln!(out, "<header>\n<p class=\"kicker\">backchannel report</p>");
    let _ = writeln!(out, "<h1>{name}</h1>");
    if !info.description.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"description\">{}</p>",
            escape(&info.description)
        );
    }
    let _ = writeln!(out, "<dl class=\"facts\">");
    let facts = [
        ("Runs", thousands(s.runs)),
        ("Seed", s.seed.to_string()),
        (
            "Horizon",
            format!("{} {}s", s.horizon, escape(&s.round_label)),
        ),
        ("Scenario", format!("<code>{}</code>", escape(&info.spec))),
        (
            "Scenario sha256",
            format!("<code>{}</code>", escape(&s.scenario.sha256)),
        ),
    ];
    for (term, value) in facts {
        let _ = writeln!(out, "<dt>{term}</dt><dd>{value}</dd>");
    }
    let _ = writeln!(out, "</dl>");
    let c = &s.channel_continued;
    let _ = writeln!(
        out,
        "<div class=\"headline\" id=\"headline\">P(channel continued) \
         <span class=\"value\">{:.1}%</span> \
         <span class=\"interval\">95 % interval {:.1}–{:.1}%</span></div>\n</header>",
        100.0 * c.p,
        100.0 * c.lo,
        100.0 * c.hi
    );
    if let Some(conditioning) = &s.conditioning {
        let _ = writeln!(
            out,
            "<div class=\"conditional\" id=\"conditional\"><strong>Conditional forecast.</strong> Only runs consistent with \
             every observation below are counted ({} of {} runs tried, acceptance {:.2} %):<ul>",
            conditioning.accepted,
            conditioning.tried,
            100.0 * conditioning.acceptance
        );
        for o in &conditioning.observations {
            let _ = writeln!(out, "<li>{}</li>", escape(o));
        }
        let _ = writeln!(out, "</ul>");
        if let Some(given) = &info.given {
            let _ = writeln!(
                out,
                "<p>The observations file, <code>{}</code> (sha256 <code>{}</code>):</p>\n\
                 <pre class=\"observations\">{}</pre>",
                escape(&given.path),
                escape(&conditioning.observations_sha256),
                escape(given.text.trim_end())
            );
        }
        let _ = writeln!(out, "</div>");
    }

    // Contents.
    let _ = writeln!(out, "<nav>\n<h2>Contents</h2>\n<ol>");
    let _ = writeln!(out, "<li><a href=\"#summary\">Summary</a></li>");
    for (kind, _) in plots {
        let _ = writeln!(
            out,
            "<li><a href=\"#plot-{}\">{}</a></li>",
            kind.stem(),
            kind.heading()
        );
    }
    let _ = writeln!(
        out,
        "<li><a href=\"#metrics\">Every metric</a></li>\n\
         <li><a href=\"#reproduce\">Reproduce</a></li>\n</ol>\n</nav>"
    );

    // The text summary, as `run` prints it.
    let _ = writeln!(
        out,
        "<section id=\"summary\">\n<h2>Summary</h2>\n<pre>{}</pre>\n</section>",
        escape(text::render(s).trim_end())
    );

    // Plots.
    let _ = writeln!(out, "<section id=\"plots\">\n<h2>Plots</h2>");
    for (kind, svg) in plots {
        let stem = kind.stem();
        let _ = writeln!(
            out,
            "<figure id=\"plot-{stem}\">\n<h3>{}</h3>\n{}\n<figcaption>{} \
             Files: <a href=\"plots/{stem}.png\">PNG</a> · <a href=\"plots/{stem}.svg\">SVG</a>.\
             </figcaption>\n</figure>",
            kind.heading(),
            inline_svg(svg, &kind.title(s)),
            escape(&caption(*kind, s)),
        );
    }
    let _ = writeln!(out, "</section>");

    metrics(&mut out, s);

    // Reproduction.
    let _ = writeln!(
        out,
        "<section id=\"reproduce\">\n<h2>Reproduce</h2>\n\
         <p>This command recomputes the study; with the same scenario text (sha256 below) it \
         gives byte-identical <code>summary.json</code>, plots and report on any machine and \
         any number of threads.</p>\n<pre><code>{}</code></pre>\n\
         <p>Scenario sha256: <code>{}</code></p>",
        escape(&info.reproduce(s)),
        escape(&s.scenario.sha256)
    );
    if let Some(conditioning) = &s.conditioning {
        let _ = writeln!(
            out,
            "<p>Observations sha256: <code>{}</code> (the file's text is shown under the \
             headline; the command needs a file with exactly that text)</p>",
            escape(&conditioning.observations_sha256)
        );
    }
    let _ = writeln!(out, "</section>");
    let _ = writeln!(
        out,
        "<footer>Made by backchannel {} from <code>summary.json</code> \
         (schema <code>{}</code>). Probabilities carry 95 % Wilson score intervals.</footer>",
        env!("CARGO_PKG_VERSION"),
        escape(s.schema)
    );
    let _ = writeln!(out, "</main>\n</body>\n</html>");
    out
}

/// A plot's SVG ready to sit inside HTML: no XML prolog, labelled for screen
/// readers.
pub fn inline_svg(svg: &str, title: &str) -> String {
    let body = match svg.find("<svg") {
        Some(start) => &svg[start..],
        None => svg,
    };
    body.replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{}\"", escape(title)),
        1,
    )
    .trim_end()
    .to_string()
}

/// The table of every proportion (the rows of `summary.csv`, so the two
/// never disagree), then the means, which have no interval.
fn metrics(out: &mut String, s: &Summary) {
    let _ = writeln!(
        out,
        "<section id=\"metrics\">\n<h2>Every metric</h2>\n\
         <p>Every probability in <code>summary.json</code>, named by its path there, in \
         percent of all runs with its 95 % Wilson interval.</p>\n<table>\n<thead><tr>\
         <th>Metric</th><th class=\"num\">Estimate</th><th class=\"num\">95 % interval</th>\
         </tr></thead>\n<tbody>"
    );
    if !s.comprehensive_issues {
        let _ = writeln!(
            out,
            "<p>No issue of this scenario is comprehensive: <code>deal.comprehensive</code> \
             is the complete deal, every issue ratified.</p>"
        );
    }
    for (metric, p, lo, hi) in summary_csv::rows(s) {
        let _ = writeln!(
            out,
            "<tr><td class=\"metric\">{}</td><td class=\"num\">{:.2}%</td>\
             <td class=\"num\">{:.2} – {:.2}%</td></tr>",
            escape(&metric),
            100.0 * p,
            100.0 * lo,
            100.0 * hi
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");

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
    let _ = writeln!(
        out,
        "<h3 style=\"margin-top:24px\">Counts and means per run</h3>\n<table>\n<thead><tr>\
         <th>Metric</th><th class=\"num\">Value</th></tr></thead>\n<tbody>"
    );
    for (metric, value) in means {
        let _ = writeln!(
            out,
            "<tr><td class=\"metric\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&metric),
            escape(&value)
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</section>");
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
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
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
                    escape(&kind.title(&summary)),
                    kind.stem()
                )),
                "{kind:?}"
            );
            assert!(page.contains(&format!("id=\"plot-{}\"", kind.stem())));
        }
        for (metric, ..) in summary_csv::rows(&summary) {
            assert!(page.contains(&format!(">{}<", escape(&metric))), "{metric}");
        }
        assert!(page.contains(&escape(&info.reproduce(&summary))));
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
