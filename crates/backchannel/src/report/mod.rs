//! Plots and the self-contained HTML report of a study: `plots/*.svg`,
//! `plots/*.png` and `report.html` (docs/REPORT.md), for readers who will never
//! see the code.
//!
//! - [`plots`]: one file per plot, each drawing into a plotters
//!   `DrawingArea`, so one function renders both the SVG and the PNG;
//! - [`palette`]: the one colour-blind-safe palette, a fixed colour per
//!   outcome;
//! - [`font`]: the embedded DejaVu Sans (no system fonts are read);
//! - [`svg_font`]: the glyphs an SVG uses, embedded in it;
//! - [`html`]: `report.html`, with every plot inlined;
//! - [`index`]: `index.html`, linking every study page in a folder.
//!
//! Architecture invariant: the report reads only a [`Summary`] and the
//! scenario's metadata ([`ScenarioInfo`]: description, display names, how it
//! was named on the command line), never the model or the engine. Every
//! file it produces is a pure function of that input — no clock, no host, no
//! randomness, no file system — so plots and report are byte-identical for
//! the same scenario, seed and runs. [`render`] returns bytes; [`publish`]
//! writes them, with every other file of a study, into an output directory.

pub mod backtest;
pub mod calibration;
pub mod charts;
pub mod experiment_pages;
pub mod experiments;
pub mod font;
pub mod html;
pub mod index;
pub mod keys;
pub mod markup;
pub mod page;
pub mod palette;
pub mod plots;
pub mod svg_font;

use rayon::prelude::*;

use crate::output::Summary;
use crate::output::words::worlds_words;
use crate::output::names::Names;
use crate::scenario::LoadedScenario;
use crate::scenario::calendar::Calendar;
use crate::scenario::types::Scenario;
use plots::{PlotInput, PlotKind};

/// What the report needs to know about the scenario beyond the summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScenarioInfo {
    /// `scenario.description`.
    pub description: String,
    /// How the scenario was named on the command line: a path or an
    /// embedded scenario's name.
    pub spec: String,
    /// The `--set` arguments, in order.
    pub overrides: Vec<String>,
    /// The scenario's names of its issues, parties, shocks and spoilers.
    pub names: Names,
    /// The observations file of a `--given` study.
    pub given: Option<GivenFile>,
    /// The scenario's text after every `--set`, embedded in the page with
    /// its documented values (see [`crate::scenario::assumptions`]).
    pub source: String,
    /// When the rounds fall, if the scenario says (`scenario.start`).
    pub calendar: Option<Calendar>,
    /// The scheduled events (domestic events such as elections): their
    /// round and name, in round order, to mark on charts over time.
    pub scheduled: Vec<(u32, String)>,
}

/// An observations file as the report shows it: the path it was named by
/// (for the reproduction command) and its text (embedded and hashed).
#[derive(Debug, Clone, PartialEq)]
pub struct GivenFile {
    pub path: String,
    pub text: String,
}

impl ScenarioInfo {
    pub fn new(loaded: &LoadedScenario) -> ScenarioInfo {
        let s = &loaded.scenario;
        ScenarioInfo {
            description: s.scenario.description.clone(),
            spec: loaded.spec.clone(),
            overrides: loaded.overrides.clone(),
            names: Names::of(s),
            given: None,
            source: loaded.source.text.to_string(),
            calendar: s.scenario.calendar(),
            scheduled: scheduled_events(s),
        }
    }

    /// The command that reproduces the study, shell-quoted.
    pub fn reproduce(&self, summary: &Summary) -> String {
        let mut words = vec![
            "backchannel".to_string(),
            "run".into(),
            shell_word(&self.spec),
            "--seed".into(),
            summary.seed.to_string(),
            "--runs".into(),
            summary.runs.to_string(),
        ];
        words.extend(worlds_words(summary.uncertainty.as_ref().map(|u| u.worlds)));
        for set in &self.overrides {
            words.push("--set".into());
            words.push(shell_word(set));
        }
        if let Some(given) = &self.given {
            words.push("--given".into());
            words.push(shell_word(&given.path));
        }
        words.join(" ")
    }
}

/// Every domestic event of `scenario`, by round (parties in file order
/// within a round), named by its name or else by its party's.
fn scheduled_events(scenario: &Scenario) -> Vec<(u32, String)> {
    let mut events: Vec<(u32, String)> = scenario
        .parties
        .iter()
        .flat_map(|party| {
            party.domestic.events.iter().map(move |event| {
                let name = if event.name.is_empty() {
                    format!(
                        "{} domestic event",
                        party.name.as_deref().unwrap_or(&party.id)
                    )
                } else {
                    event.name.clone()
                };
                (event.round, name)
            })
        })
        .collect();
    events.sort_by_key(|(round, _)| *round);
    events
}

/// `word` as one POSIX shell word: unchanged when it is plainly safe,
/// otherwise single-quoted.
pub fn shell_word(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,+@%".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// One file of the report, relative to the output directory.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Every plot as `plots/<stem>.svg` and `plots/<stem>.png`, then
/// `report.html`. Plots render in parallel; the result does not depend on
/// it.
pub fn render(summary: &Summary, info: &ScenarioInfo) -> Result<Vec<ReportFile>, String> {
    let input = PlotInput { summary, info };
    let rendered: Vec<(PlotKind, String, Vec<u8>)> = PlotKind::of(summary)
        .par_iter()
        .map(|&kind| {
            let (svg, png) = rayon::join(
                || plots::render_svg(kind, input),
                || plots::render_png(kind, input),
            );
            Ok((kind, svg?, png?))
        })
        .collect::<Result<_, String>>()?;
    let html = html::render(
        summary,
        info,
        &rendered
            .iter()
            .map(|(kind, svg, _)| (*kind, svg.as_str()))
            .collect::<Vec<_>>(),
    );
    let mut files = Vec::new();
    for (kind, svg, png) in rendered {
        files.push(ReportFile {
            path: format!("plots/{}.svg", kind.stem()),
            bytes: svg.into_bytes(),
        });
        files.push(ReportFile {
            path: format!("plots/{}.png", kind.stem()),
            bytes: png,
        });
    }
    files.push(ReportFile {
        path: "report.html".into(),
        bytes: html.into_bytes(),
    });
    Ok(files)
}

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("scenarios/a.toml"), "scenarios/a.toml");
        assert_eq!(shell_word("format.mode=direct"), "format.mode=direct");
        assert_eq!(shell_word("my file.toml"), "'my file.toml'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn the_reproduction_command_names_file_seed_runs_and_sets() {
        let summary = test_support::summary();
        let mut info = test_support::info();
        info.overrides = vec!["format.mode=direct".into(), "spoilers.x.name=a b".into()];
        assert_eq!(
            info.reproduce(&summary),
            "backchannel run scenarios/demo.toml --seed 7 --runs 5000 \
             --set format.mode=direct --set 'spoilers.x.name=a b'"
        );
    }

    #[test]
    fn names_fall_back_to_ids() {
        let info = test_support::info();
        assert_eq!(
            info.names.issue("nuclear"),
            "Nuclear limits & <verification>"
        );
        assert_eq!(info.names.issue("unknown"), "unknown");
        assert_eq!(info.names.cause("spoiler:israel"), "Israel (spoiler)");
        assert_eq!(
            info.names.cause("shock:regional-strike"),
            "Regional strike or war not aimed at the talks (shock)"
        );
        assert_eq!(info.names.cause("shock:zzz"), "shock:zzz");
    }

    #[test]
    fn render_makes_every_plot_in_both_formats_and_the_report() {
        let files = render(&test_support::summary(), &test_support::info()).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        for kind in PlotKind::ALL {
            assert!(paths.contains(&format!("plots/{}.svg", kind.stem()).as_str()));
            assert!(paths.contains(&format!("plots/{}.png", kind.stem()).as_str()));
        }
        assert_eq!(paths.last(), Some(&"report.html"));
        assert_eq!(files.len(), 2 * PlotKind::ALL.len() + 1);
    }

    #[test]
    fn render_is_a_pure_function_of_its_input() {
        let (summary, info) = (test_support::summary(), test_support::info());
        assert_eq!(render(&summary, &info), render(&summary, &info));
    }
}
