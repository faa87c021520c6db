//! The one page layout every command's HTML shares (`report.html`,
//! `comparison.html`, `sweep.html`, `sensitivity.html`,
//! `indicators.html`): inline CSS, no script, nothing fetched. Every page
//! opens with a plain-language summary (the question, the answer, how sure,
//! the main caveat), then its facts and headline, its charts inline, its
//! tables in scroll wrappers, the scenario's documented assumptions with
//! the scenario text itself, and the command that reproduces it.

use super::html::inline_svg;
use super::markup::{Html, html};
use crate::scenario::assumptions::documented;

pub const CSS: &str = r#"
:root { --ink: #222; --muted: #555; --rule: #ddd; --band: #f6f6f4; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 16px/1.5 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1060px; margin: 0 auto; padding: 32px 28px 48px; }
h1 { font-size: 2rem; margin: 0 0 6px; overflow-wrap: anywhere; }
h2 { font-size: 1.35rem; margin: 40px 0 12px; padding-bottom: 6px;
  border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 0 0 8px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .8rem;
  color: var(--muted); margin: 0 0 4px; }
.description { font-size: 1.05rem; color: var(--ink); margin: 0 0 16px; max-width: 60em; }
.plain { margin: 16px 0 20px; padding: 14px 20px; border: 1px solid var(--rule);
  border-radius: 4px; }
.plain dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
.plain dt { font-weight: bold; }
.plain dd { margin: 0; }
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
/* Nothing in a <pre> is hidden at any width: a line too long for the
   column wraps (at spaces, or anywhere in a long word) rather than
   scrolling out of sight; a text summary's wrapped line hangs under its
   start, so its columns still read. */
pre { background: var(--band); padding: 14px 16px; white-space: pre-wrap;
  overflow-wrap: anywhere; font: 14px/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
pre.text .line { display: block; padding-left: 4ch; text-indent: -4ch; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .92em;
  overflow-wrap: anywhere; }
/* A command breaks between words and at its <wbr> (after / = ,), never
   inside a word. */
code.command { overflow-wrap: normal; }
figure { margin: 0 0 36px; break-inside: avoid; }
/* Charts keep legible text on a phone: below 860 px (where their smallest
   text, 10.5 of 1000 units, would fall under 9 px) they scroll sideways
   inside their frame, with a shadow at the edge that has more and a line
   saying so, instead of shrinking their text to a few pixels. */
.chart { overflow-x: auto; border: 1px solid var(--rule);
  background: linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) right / 40px 100% no-repeat local,
    radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.25), rgba(0,0,0,0)) right / 14px 100% no-repeat scroll; }
.chart svg { display: block; width: 100%; min-width: 860px; height: auto; }
.scroll-cue { display: none; color: var(--muted); font-size: .9rem; margin: 0 0 4px; }
@media (max-width: 920px) { .scroll-cue { display: block; } }
figcaption { color: var(--muted); font-size: .95rem; margin-top: 8px; }
.scroll { overflow-x: auto; margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; font-size: .95rem;
  font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--rule);
  vertical-align: top; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
td:not(.num), th { overflow-wrap: anywhere; }
tbody tr:nth-child(even) { background: #fafafa; }
td.metric { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88rem;
  overflow-wrap: anywhere; }
details summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 48px; color: var(--muted); font-size: .85rem; }
@media (max-width: 600px) {
  main { padding: 18px 12px 32px; }
  h1 { font-size: 1.5rem; }
  .plain dl, dl.facts { grid-template-columns: 1fr; }
  nav ol { columns: 1; }
  .headline .value { font-size: 1.6rem; }
  /* Tables become cards: one box a row, each cell under its column's name,
     so no number column is ever off-screen. */
  .scroll table, .scroll tbody, .scroll tr, .scroll td { display: block; width: 100%; }
  .scroll thead { display: none; }
  .scroll tr { border: 1px solid var(--rule); border-radius: 4px; margin: 0 0 8px; padding: 4px 8px; }
  .scroll td { border: 0; padding: 2px 0; }
  .scroll td.num { text-align: left; white-space: normal; }
  .scroll td[data-label]::before { content: attr(data-label) ": "; color: var(--muted);
    font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
}
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; }
  .chart svg { min-width: 0; } }
"#;

/// What the intervals on every page do and do not cover, said once in the
/// plain summary of every page.
pub const CAVEAT: &str = "The intervals cover simulation noise only: they say how \
    precisely these runs estimate what the scenario implies, not how sure anyone can be of \
    the scenario's judged inputs. Change an input with --set, or study it with sweep and \
    sensitivity, to see how much the answer rests on it.";

/// The caveat of a study with judged inputs: the intervals then count the
/// worlds' spread too, and what the inputs leave open is stated beside.
pub const CAVEAT_JUDGED: &str = "Two kinds of uncertainty: the interval says how precisely \
    these runs estimate the forecast over the judged inputs' ranges (chance, and which worlds \
    were drawn); the spread across the judged ranges says how much the answer depends on what \
    we don't know. Both rest on the ranges the scenario states: widen or narrow them with --set.";

/// The page's opening, in plain language for a reader who has not seen
/// the model.
#[derive(Debug, Clone, Default)]
pub struct Plain {
    /// What was asked.
    pub question: String,
    /// The answer, in one or two sentences.
    pub answer: String,
    /// How precise the answer is (simulation noise).
    pub how_sure: String,
    /// How sure across the judged inputs, when the study varies them; the
    /// page says [`CAVEAT`], or [`CAVEAT_JUDGED`] when this is set.
    pub judged: Option<String>,
}

/// A chart on a page: its SVG inlined, the files it was written to, and a
/// sentence saying how to read it.
#[derive(Debug, Clone)]
pub struct Figure {
    pub stem: String,
    pub heading: String,
    /// The chart's own title, which labels it for screen readers.
    pub title: String,
    pub svg: String,
    pub caption: String,
}

/// A section of a page: its anchor, heading and body.
#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub heading: String,
    pub html: Html,
}

/// Everything a page holds: text fields are escaped by [`Page::render`],
/// the others are [`Html`].
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// "report", "comparison", "sweep", …: the line above the title.
    pub kind: String,
    pub title: String,
    pub description: String,
    pub plain: Plain,
    /// `(term, html)` facts under the title.
    pub facts: Vec<(String, Html)>,
    /// HTML after the facts: the headline, a conditional notice.
    pub header_html: Html,
    pub figures: Vec<Figure>,
    /// Sections after the figures (summaries, tables).
    pub sections: Vec<Section>,
    /// The scenario's text after every `--set`, for the assumptions table
    /// and to embed (empty: no such section).
    pub scenario_text: String,
    /// The reproduction command, and HTML notes under it (hashes).
    pub command: String,
    pub command_notes: Vec<Html>,
    /// The worlds of judged inputs the page's runs are clustered in, whose
    /// intervals account for them (`None`: runs independent, Wilson
    /// intervals).
    pub worlds: Option<u64>,
}

impl Page {
    pub fn render(&self) -> String {
        let mut out = Html::new();
        self.head(&mut out);
        self.header(&mut out);
        self.contents(&mut out);
        let sections: Vec<&Section> = self.sections.iter().collect();
        // A page leads with its figures unless it has none; its first
        // section (the text summary) comes before them either way.
        if let Some((first, rest)) = sections.split_first() {
            section(&mut out, first);
            self.figures_html(&mut out);
            for s in rest {
                section(&mut out, s);
            }
        } else {
            self.figures_html(&mut out);
        }
        self.assumptions(&mut out);
        self.reproduce(&mut out);
        let intervals = match self.worlds {
            Some(worlds) => format!(
                "95 % intervals for runs clustered in {worlds} worlds of the judged inputs"
            ),
            None => "95 % Wilson score intervals".into(),
        };
        writeln!(
            out,
            "<footer>Made by backchannel {}. Probabilities carry {intervals} \
             (docs/OUTPUTS.md, \"Intervals\").</footer>\n</main>\n</body>\n</html>",
            env!("CARGO_PKG_VERSION")
        );
        label_cells(&out.into_string())
    }

    /// The head, with the page's answer, kind, title and command also as
    /// meta tags, which the index of a folder of studies reads
    /// ([`super::index`]).
    fn head(&self, out: &mut Html) {
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"backchannel {}\">\n\
             <meta name=\"description\" content=\"{}\">\n\
             <meta name=\"backchannel-kind\" content=\"{}\">\n\
             <meta name=\"backchannel-title\" content=\"{}\">\n\
             <meta name=\"backchannel-command\" content=\"{}\">\n\
             <title>{} — backchannel {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
            env!("CARGO_PKG_VERSION"),
            Html::text(&self.plain.answer),
            Html::text(&self.kind),
            Html::text(&self.title),
            Html::text(&self.command),
            Html::text(&self.title),
            Html::text(&self.kind)
        );
    }

    fn header(&self, out: &mut Html) {
        writeln!(
            out,
            "<header>\n<p class=\"kicker\">backchannel {}</p>\n<h1>{}</h1>",
            Html::text(&self.kind),
            Html::text(&self.title)
        );
        if !self.description.is_empty() {
            writeln!(
                out,
                "<p class=\"description\">{}</p>",
                Html::text(&self.description)
            );
        }
        let p = &self.plain;
        writeln!(
            out,
            "<section class=\"plain\" id=\"plain\" aria-label=\"In brief\">\n<dl>\n\
             <dt>Question</dt><dd>{}</dd>\n<dt>Answer</dt><dd id=\"answer\">{}</dd>\n\
             <dt>How sure</dt><dd>{}{}</dd>\n<dt>Caveat</dt><dd>{}</dd>\n</dl>\n</section>",
            Html::text(&p.question),
            Html::text(&p.answer),
            Html::text(&p.how_sure),
            p.judged
                .as_ref()
                .map_or(Html::new(), |j| html!(" {}", Html::text(j))),
            Html::text(if p.judged.is_some() {
                CAVEAT_JUDGED
            } else {
                CAVEAT
            })
        );
        writeln!(out, "<dl class=\"facts\">");
        for (term, value) in &self.facts {
            writeln!(out, "<dt>{}</dt><dd>{value}</dd>", Html::text(term));
        }
        writeln!(out, "</dl>\n{}</header>", self.header_html);
    }

    fn contents(&self, out: &mut Html) {
        writeln!(out, "<nav>\n<h2>Contents</h2>\n<ol>");
        let mut entries: Vec<(String, String)> = Vec::new();
        if let Some(first) = self.sections.first() {
            entries.push((first.id.clone(), first.heading.clone()));
        }
        for f in &self.figures {
            entries.push((format!("plot-{}", f.stem), f.heading.clone()));
        }
        for s in self.sections.iter().skip(1) {
            entries.push((s.id.clone(), s.heading.clone()));
        }
        if !self.scenario_text.is_empty() {
            entries.push(("assumptions".into(), "Assumptions".into()));
        }
        entries.push(("reproduce".into(), "Reproduce".into()));
        for (id, heading) in entries {
            writeln!(
                out,
                "<li><a href=\"#{}\">{}</a></li>",
                Html::text(&id),
                Html::text(&heading)
            );
        }
        writeln!(out, "</ol>\n</nav>");
    }

    fn figures_html(&self, out: &mut Html) {
        if self.figures.is_empty() {
            return;
        }
        writeln!(
            out,
            "<section id=\"plots\">\n<h2>Plots</h2>\n<p>Every chart is drawn inside this \
             page. The PNG and SVG links point to files in the <code>plots/</code> folder \
             next to it: send that folder with the page, or the links break.</p>"
        );
        for f in &self.figures {
            let stem = Html::text(&f.stem);
            writeln!(
                out,
                "<figure id=\"plot-{stem}\">\n<h3>{}</h3>\n<p class=\"scroll-cue\">Scroll the \
                 chart sideways for the rest →</p>\n<div class=\"chart\">{}</div>\n\
                 <figcaption>{} Files: <a href=\"plots/{stem}.png\">PNG</a> · \
                 <a href=\"plots/{stem}.svg\">SVG</a>.</figcaption>\n</figure>",
                Html::text(&f.heading),
                inline_svg(&f.svg, &f.title),
                Html::text(&f.caption),
            );
        }
        writeln!(out, "</section>");
    }

    fn assumptions(&self, out: &mut Html) {
        if self.scenario_text.is_empty() {
            return;
        }
        let rows = documented(&self.scenario_text);
        writeln!(
            out,
            "<section id=\"assumptions\">\n<h2>Assumptions</h2>\n<p>The scenario's values \
             that its file gives a reason for, with that reason as written beside them \
             (judgements say so). Every other value is the documented default.</p>"
        );
        if !rows.is_empty() {
            writeln!(
                out,
                "<details class=\"assumptions\">\n<summary>{} documented values</summary>\n\
                 <div class=\"scroll\"><table>\n<thead><tr><th>Key</th><th>Value</th>\
                 <th>Reason</th></tr></thead>\n<tbody>",
                rows.len()
            );
            for a in rows {
                writeln!(
                    out,
                    "<tr><td class=\"metric\">{}</td><td><code>{}</code></td><td>{}</td></tr>",
                    Html::text(&a.key),
                    Html::text(&a.value),
                    Html::text(&a.reason)
                );
            }
            writeln!(out, "</tbody>\n</table></div>\n</details>");
        }
        writeln!(
            out,
            "<details>\n<summary>The scenario file, as run (after every <code>--set</code>)\
             </summary>\n<pre class=\"scenario\">{}</pre>\n</details>\n</section>",
            Html::text(self.scenario_text.trim_end())
        );
    }

    fn reproduce(&self, out: &mut Html) {
        writeln!(
            out,
            "<section id=\"reproduce\">\n<h2>Reproduce</h2>\n<p>This command recomputes \
             these results byte for byte on any machine and any number of threads, given \
             files with the hashes below.</p>\n<pre class=\"command\"><code>{}</code></pre>",
            Html::text(&self.command)
        );
        for note in &self.command_notes {
            writeln!(out, "<p>{note}</p>");
        }
        writeln!(out, "</section>");
    }
}

fn section(out: &mut Html, s: &Section) {
    writeln!(
        out,
        "<section id=\"{}\">\n<h2>{}</h2>\n{}\n</section>",
        Html::text(&s.id),
        Html::text(&s.heading),
        s.html
    );
}

/// A table in a wrapper that scrolls sideways on a narrow screen instead
/// of widening the page.
pub fn scroll_table(head: &[&str], rows: &[Vec<String>], numeric_from: usize) -> Html {
    let mut out = Html::markup("<div class=\"scroll\"><table>\n<thead><tr>");
    for (i, h) in head.iter().enumerate() {
        let class = if i >= numeric_from {
            " class=\"num\""
        } else {
            ""
        };
        write!(out, "<th{class}>{}</th>", Html::text(h));
    }
    writeln!(out, "</tr></thead>\n<tbody>");
    for row in rows {
        out.push_markup("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if i >= numeric_from {
                " class=\"num\""
            } else {
                ""
            };
            write!(out, "<td{class}>{}</td>", Html::text(cell));
        }
        writeln!(out, "</tr>");
    }
    out.push_markup("</tbody>\n</table></div>");
    out
}

/// `html` with each table cell labelled by its column's heading
/// (`data-label`), which a phone shows before the cell when the table
/// becomes cards. The headings are already escaped text.
fn label_cells(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(start) = rest.find("<table") {
        let end = rest[start..].find("</table>").map_or(rest.len(), |e| start + e);
        out.push_str(&rest[..start]);
        out.push_str(&label_table(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// One table (from `<table` up to its end), its cells labelled.
fn label_table(table: &str) -> String {
    let Some((head, body)) = table.split_once("</thead>") else {
        return table.to_string();
    };
    // `<th>` and `<th class=..>`, not `<thead>`.
    let headings: Vec<String> = head
        .split("<th")
        .skip(1)
        .filter(|cell| cell.starts_with(['>', ' ']))
        .map(|cell| {
            let text = cell.split_once('>').map_or("", |(_, t)| t);
            let text = text.split("</th>").next().unwrap_or("");
            strip_tags(text).replace('"', "&quot;")
        })
        .collect();
    let rows: Vec<String> = body
        .split("<tr")
        .enumerate()
        .map(|(i, row)| {
            if i == 0 {
                return row.to_string();
            }
            let mut cells = row.split("<td");
            let mut labelled = cells.next().unwrap_or("").to_string();
            for (k, cell) in cells.enumerate() {
                labelled.push_str("<td");
                if let Some(heading) = headings.get(k).filter(|h| !h.is_empty()) {
                    labelled.push_str(&format!(" data-label=\"{heading}\""));
                }
                labelled.push_str(cell);
            }
            labelled
        })
        .collect();
    format!("{head}</thead>{}", rows.join("<tr"))
}

/// `html` without its tags.
fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// A `<pre>` of text output, escaped, each line its own block (a blank
/// one a space, so it keeps its height), so a line wrapped on a narrow
/// screen hangs under its start.
pub fn preformatted(text: &str) -> Html {
    let mut out = Html::markup("<pre class=\"text\">");
    for line in text.trim_end().lines() {
        let line = if line.is_empty() { " " } else { line };
        write!(out, "<span class=\"line\">{}</span>", Html::text(line));
    }
    out.push_markup("</pre>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Page {
        Page {
            kind: "sweep".into(),
            title: "demo <1>".into(),
            plain: Plain {
                question: "What if?".into(),
                answer: "This.".into(),
                how_sure: "Very.".into(),
                judged: Some("Across judged inputs: 20-40 %.".into()),
            },
            figures: vec![Figure {
                stem: "sweep".into(),
                heading: "Sweep".into(),
                title: "demo: sweep".into(),
                svg: "<svg></svg>".into(),
                caption: "How to read it.".into(),
            }],
            sections: vec![Section {
                id: "summary".into(),
                heading: "Summary".into(),
                html: preformatted("text"),
            }],
            scenario_text: "horizon = 12 # a year (judgement)\n".into(),
            command: "backchannel sweep demo --vary 'a=1..2:3'".into(),
            command_notes: vec![Html::markup("Scenario sha256: <code>ab</code>")],
            ..Page::default()
        }
    }

    #[test]
    fn every_page_opens_with_the_plain_summary_and_ends_with_the_command() {
        let html = page().render();
        let plain = html.find("id=\"plain\"").unwrap();
        assert!(plain < html.find("id=\"plot-sweep\"").unwrap());
        // A study over judged inputs says both kinds of uncertainty.
        assert!(html.contains(&Html::text(CAVEAT_JUDGED).to_string()));
        assert!(!html.contains(&Html::text(CAVEAT).to_string()));
        assert!(html.contains("Across judged inputs: 20-40 %."));
        assert!(html.contains("demo &lt;1&gt;"));
        // Each cell labelled by its column, for a phone's cards.
        assert!(html.contains(
            "<td data-label=\"Key\" class=\"metric\">horizon</td><td data-label=\"Value\"><code>12</code></td><td data-label=\"Reason\">a year (judgement)</td>"
        ));
        assert!(html.contains("<details class=\"assumptions\">"));
        assert!(html.contains("backchannel sweep demo --vary &#39;a=1..2:3&#39;"));
        assert!(html.contains("send that folder with the page"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn tables_scroll_inside_their_wrapper() {
        let t = scroll_table(&["a", "b"], &[vec!["x<".into(), "1".into()]], 1);
        assert!(t.to_string().starts_with("<div class=\"scroll\"><table>"));
        assert!(t.to_string().contains("<td>x&lt;</td><td class=\"num\">1</td>"));
    }
}
