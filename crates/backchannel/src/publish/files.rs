//! What each experiment's results write (docs/OUTPUTS.md): its tables,
//! its charts and its page, for [`Output::experiment`](super::Output::experiment);
//! and a calibration's files.

use std::time::Instant;

use super::experiment::{ExperimentFiles, write_charts};
use super::study::commit;
use crate::error::Result;
use crate::output::OutputDir;
use crate::output::names::Names;
use crate::output::writer::Committed;
use crate::report::backtest::{backtest_charts, backtest_page};
use crate::report::calibration::{calibration_charts, calibration_page};
use crate::report::experiment_pages::{
    PageInput, comparison_page, indicators_page, sensitivity_page, sweep_page,
};
use crate::report::experiments::{
    comparison_charts, indicators_chart, sensitivity_charts, sweep_charts,
};
use crate::report::plots::discover::discovery_charts;
use crate::study::{
    BacktestResults, CalibrationResults, ComparisonResults, DiscoveryResults, IndicatorsResults,
    Scenario, SensitivityResults, SweepResults,
};

/// How many indicators the chart shows.
const CHARTED: usize = 12;

/// How many indicators the text list and the page show.
pub const SHOWN: usize = 10;

impl ComparisonResults {
    /// `comparison.json`, `comparison.csv`, the charts and
    /// `comparison.html` of a comparison of `scenarios` (the baseline
    /// first), whose page says it is reproduced by `command`.
    pub fn files<'a>(&'a self, scenarios: &'a [Scenario], command: String) -> ExperimentFiles<'a> {
        let comparison = &self.comparison;
        ExperimentFiles {
            tables: vec![
                ("comparison.json", comparison.to_json().into_bytes()),
                ("comparison.csv", comparison.to_csv()),
            ],
            charts: Box::new(|| comparison_charts(comparison)),
            page: Some((
                "comparison.html",
                Box::new(move |charts| {
                    let descriptions: Vec<String> = scenarios
                        .iter()
                        .map(|s| s.loaded.scenario.scenario.description.clone())
                        .collect();
                    with_page_input(&scenarios[0], charts, command, |input| {
                        comparison_page(comparison, &descriptions, input)
                    })
                }),
            )),
            manifest: self.manifest.clone(),
        }
    }
}

impl SweepResults {
    /// `sweep.csv`, the charts and `sweep.html` of a sweep of `scenario`.
    pub fn files<'a>(&'a self, scenario: &'a Scenario, command: String) -> ExperimentFiles<'a> {
        let (table, runs, seed) = (&self.table, self.manifest.runs, self.manifest.seed);
        ExperimentFiles {
            tables: vec![("sweep.csv", table.to_csv())],
            charts: Box::new(move || {
                sweep_charts(
                    table,
                    &scenario.display_name(),
                    runs,
                    seed,
                    &self.own_values,
                )
            }),
            page: Some((
                "sweep.html",
                Box::new(move |charts| {
                    with_page_input(scenario, charts, command, |input| {
                        sweep_page(table, runs, seed, input)
                    })
                }),
            )),
            manifest: self.manifest.clone(),
        }
    }
}

impl SensitivityResults {
    /// `sensitivity.json`, `sensitivity.csv`, the charts and
    /// `sensitivity.html` of an analysis of `scenario`.
    pub fn files<'a>(&'a self, scenario: &'a Scenario, command: String) -> ExperimentFiles<'a> {
        let report = &self.report;
        ExperimentFiles {
            tables: vec![
                ("sensitivity.json", report.to_json().into_bytes()),
                ("sensitivity.csv", report.to_csv()),
            ],
            charts: Box::new(move || {
                let names = Names::of(&scenario.loaded.scenario);
                sensitivity_charts(report, &scenario.display_name(), &names)
            }),
            page: Some((
                "sensitivity.html",
                Box::new(move |charts| {
                    with_page_input(scenario, charts, command, |input| {
                        sensitivity_page(report, input)
                    })
                }),
            )),
            manifest: self.manifest.clone(),
        }
    }
}

impl IndicatorsResults {
    /// `indicators.json`, `indicators.csv`, the chart and `indicators.html`
    /// of the indicators of `scenario`.
    pub fn files<'a>(&'a self, scenario: &'a Scenario, command: String) -> ExperimentFiles<'a> {
        let indicators = &self.indicators;
        ExperimentFiles {
            tables: vec![
                ("indicators.json", self.to_json().into_bytes()),
                ("indicators.csv", self.to_csv()),
            ],
            charts: Box::new(|| indicators_chart(indicators, CHARTED)),
            page: Some((
                "indicators.html",
                Box::new(move |charts| {
                    with_page_input(scenario, charts, command, |input| {
                        indicators_page(indicators, SHOWN, input)
                    })
                }),
            )),
            manifest: self.manifest.clone(),
        }
    }
}

impl DiscoveryResults {
    /// `discover.json`, `discover.csv`, `worlds.csv` and the charts of a
    /// discovery over `scenario`'s judged inputs (no page).
    pub fn files<'a>(&'a self, scenario: &'a Scenario) -> ExperimentFiles<'a> {
        let discovery = &self.discovery;
        ExperimentFiles {
            tables: vec![
                ("discover.json", self.to_json().into_bytes()),
                ("discover.csv", self.to_csv()),
                ("worlds.csv", self.worlds_csv.clone().into_bytes()),
            ],
            charts: Box::new(move || discovery_charts(discovery, &scenario.display_name())),
            page: None,
            manifest: self.manifest.clone(),
        }
    }
}

impl BacktestResults {
    /// `backtest.json`, `backtest.csv`, the reliability diagram and
    /// `backtest.html`, whose page says it is reproduced by `command`
    /// (docs/OUTPUTS.md, `backtest`).
    pub fn files(&self, command: String) -> ExperimentFiles<'_> {
        let report = &self.report;
        ExperimentFiles {
            tables: vec![
                ("backtest.json", report.to_json().into_bytes()),
                ("backtest.csv", report.to_csv()),
            ],
            charts: Box::new(|| backtest_charts(report)),
            page: Some((
                "backtest.html",
                Box::new(move |charts| backtest_page(report, charts, command)),
            )),
            manifest: self.manifest.clone(),
        }
    }
}

/// Write a calibration's files into `out` and commit them:
/// `calibration.json`, the calibrated scenario files, and, with `plots`,
/// its charts and `calibration.html` (reproduced by `command`).
pub(super) fn publish_calibration(
    out: OutputDir<'_>,
    results: &CalibrationResults,
    command: String,
    plots: bool,
    started: Instant,
) -> Result<Committed> {
    let calibration = &results.calibration;
    let mut written = vec!["calibration.json".to_string()];
    out.write("calibration.json", calibration.to_json().as_bytes())?;
    for (name, text) in &results.scenarios {
        out.write(name, text.as_bytes())?;
        written.push(name.clone());
    }
    let mut manifest = results.manifest.clone();
    if plots {
        let start = Instant::now();
        let charts = write_charts(&out, calibration_charts(calibration), &mut written)?;
        out.write(
            "calibration.html",
            calibration_page(calibration, &charts, command).as_bytes(),
        )?;
        written.push("calibration.html".into());
        manifest.plot_seconds = start.elapsed().as_secs_f64();
    }
    commit(out, written, &mut manifest, started)
}

/// Call `page` with what every experiment page shares: `scenario` as
/// loaded, the `charts` as written and the reproduction `command`.
fn with_page_input<T>(
    scenario: &Scenario,
    charts: &[(String, String)],
    command: String,
    page: impl FnOnce(&PageInput<'_>) -> T,
) -> T {
    let loaded = &scenario.loaded;
    let display = loaded.display_name();
    page(&PageInput {
        scenario: &display,
        names: Names::of(&loaded.scenario),
        description: &loaded.scenario.scenario.description,
        source: &loaded.source.text,
        sha256: &loaded.sha256,
        charts,
        command,
    })
}
