//! What each study's results write (docs/OUTPUTS.md), with the command
//! that reproduces it: an experiment's tables, charts and page, for
//! [`Output::experiment`](super::Output::experiment); a calibration's
//! files; and each builder's `write_to`, which runs the study and
//! publishes its folder as the command line's `--out DIR` does.

use std::path::Path;
use std::time::Instant;

use super::OutputOptions;
use super::experiment::{ExperimentFiles, ExperimentPage, ExperimentTable, write_charts};
use super::study::commit;
use crate::error::Result;
use crate::output::OutputDir;
use crate::output::names::Names;
use crate::output::partial::DiscoverStudy;
use crate::output::words::worlds_words;
use crate::output::writer::Committed;
use crate::report::backtest::{backtest_charts, backtest_page};
use crate::report::calibration::{calibration_charts, calibration_page};
use crate::report::charts::WrittenChart;
use crate::report::experiment_pages::{
    PageInput, comparison_page, discover_page, indicators_page, sensitivity_page, sweep_page,
};
use crate::report::experiments::{
    comparison_charts, indicators_chart, sensitivity_charts, sweep_charts,
};
use crate::report::keys::VariedKey;
use crate::report::plots::discover::{DiscoveryStudy, discovery_charts};
use crate::report::shell_word;
use crate::study::{
    Backtest, BacktestResults, Calibration, CalibrationResults, Comparison, ComparisonResults,
    Discovery, DiscoveryResults, IndicatorsResults, Method, Observations, Sampling, Scenario,
    Sensitivity, SensitivityResults, Sweep, SweepResults,
};

/// How many indicators the chart shows.
const CHARTED: usize = 12;

/// How many indicators the text list and the page show.
pub const SHOWN: usize = 10;

/// The command that reproduces a study of `scenario`: `backchannel
/// COMMAND SCENARIO`, then `extra`, the seed and each value set on the
/// scenario (`--set`), as shell words.
pub(crate) fn reproduction(
    command: &str,
    scenario: &Scenario,
    extra: &[String],
    seed: u64,
) -> String {
    let loaded = &scenario.loaded;
    let mut words = vec![
        "backchannel".to_string(),
        command.into(),
        shell_word(&loaded.spec),
    ];
    words.extend(extra.iter().cloned());
    words.extend(["--seed".into(), seed.to_string()]);
    for set in &loaded.overrides {
        words.extend(["--set".into(), shell_word(set)]);
    }
    words.join(" ")
}

/// `--vary KEY=...` for each of `varies`, as shell words.
fn vary_words(varies: &[String]) -> Vec<String> {
    varies
        .iter()
        .flat_map(|vary| ["--vary".to_string(), shell_word(vary)])
        .collect()
}

impl Comparison<'_> {
    /// Run the comparison and write its files into `dir`, as `backchannel
    /// compare --out DIR` does (docs/OUTPUTS.md): `comparison.json`,
    /// `comparison.csv`, the charts, `comparison.html` and `manifest.json`,
    /// built beside `dir` and renamed into place only when complete. `dir`
    /// must be new or hold this same comparison's earlier results; anything
    /// else is refused and left as it was.
    pub fn write_to(self, dir: impl AsRef<Path>) -> Result<ComparisonResults> {
        let out = self.output(&OutputOptions::in_dir(dir.as_ref()))?;
        let (scenarios, given) = (self.scenarios.clone(), self.given);
        let results = self.run()?;
        out.experiment(results.files(&scenarios, given))?;
        Ok(results)
    }
}

impl ComparisonResults {
    /// `comparison.json`, `comparison.csv`, the charts and
    /// `comparison.html` of a comparison of `scenarios` (the baseline
    /// first) given `given`, whose page gives the command that reproduces it.
    pub fn files<'a>(
        &'a self,
        scenarios: &'a [&'a Scenario],
        given: Option<&Observations>,
    ) -> ExperimentFiles<'a> {
        let mut words: Vec<String> = vec!["backchannel".into(), "compare".into()];
        words.extend(scenarios.iter().map(|s| shell_word(&s.loaded.spec)));
        words.extend(["--seed".into(), self.manifest.seed.to_string()]);
        words.extend(["--runs".into(), self.comparison.runs.to_string()]);
        words.extend(worlds_words(self.comparison.worlds));
        if let Some(given) = given {
            words.extend(["--given".into(), shell_word(&given.observations.path)]);
        }
        let command = words.join(" ");
        let comparison = &self.comparison;
        ExperimentFiles {
            tables: vec![
                ExperimentTable::new("comparison.json", comparison.to_json().into_bytes()),
                ExperimentTable::new("comparison.csv", comparison.to_csv()),
            ],
            charts: Box::new(move || {
                comparison_charts(comparison, scenarios[0].loaded.scenario.scenario.calendar())
            }),
            page: Some(ExperimentPage::new(
                "comparison.html",
                Box::new(move |charts| {
                    let descriptions: Vec<String> = scenarios
                        .iter()
                        .map(|s| s.loaded.scenario.scenario.description.clone())
                        .collect();
                    with_page_input(scenarios[0], charts, command, |input| {
                        comparison_page(comparison, &descriptions, input)
                    })
                }),
            )),
            manifest: self.manifest.clone(),
        }
    }
}

impl Sweep<'_> {
    /// Run the sweep and write its files into `dir`, as `backchannel sweep
    /// --out DIR` does (docs/OUTPUTS.md): `sweep.csv`, the charts,
    /// `sweep.html` and `manifest.json`, built beside `dir` and renamed into
    /// place only when complete. `dir` must be new or hold this same
    /// sweep's earlier results; anything else is refused and left as it was.
    pub fn write_to(self, dir: impl AsRef<Path>) -> Result<SweepResults> {
        let out = self.output(&OutputOptions::in_dir(dir.as_ref()))?;
        let (scenario, varies) = (self.scenario, self.varies.clone());
        let results = self.run()?;
        out.experiment(results.files(scenario, &varies))?;
        Ok(results)
    }
}

impl SweepResults {
    /// `sweep.csv`, the charts and `sweep.html` of a sweep of `scenario`
    /// over `varies`.
    pub fn files<'a>(&'a self, scenario: &'a Scenario, varies: &[String]) -> ExperimentFiles<'a> {
        let (table, runs, seed) = (&self.table, self.manifest.runs, self.manifest.seed);
        let mut extra = vary_words(varies);
        extra.extend(["--runs".to_string(), runs.to_string()]);
        extra.extend(worlds_words(table.worlds));
        let command = reproduction("sweep", scenario, &extra, seed);
        ExperimentFiles {
            tables: vec![ExperimentTable::new("sweep.csv", table.to_csv())],
            charts: Box::new(move || {
                let keys: Vec<VariedKey> = table
                    .keys
                    .iter()
                    .zip(&self.own_values)
                    .map(|(key, own)| VariedKey::of(&scenario.loaded, key, *own))
                    .collect();
                sweep_charts(table, &scenario.display_name(), runs, seed, &keys)
            }),
            page: Some(ExperimentPage::new(
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

impl Sensitivity<'_> {
    /// Run the analysis and write its files into `dir`, as `backchannel
    /// sensitivity --out DIR` does (docs/OUTPUTS.md): `sensitivity.json`,
    /// `sensitivity.csv`, the charts, `sensitivity.html` and
    /// `manifest.json`, built beside `dir` and renamed into place only when
    /// complete. `dir` must be new or hold this same analysis's earlier
    /// results; anything else is refused and left as it was.
    pub fn write_to(self, dir: impl AsRef<Path>) -> Result<SensitivityResults> {
        let out = self.output(&OutputOptions::in_dir(dir.as_ref()))?;
        let (scenario, varies, method) = (self.scenario, self.varies.clone(), self.method);
        let results = self.run()?;
        out.experiment(results.files(scenario, &varies, method))?;
        Ok(results)
    }
}

impl SensitivityResults {
    /// `sensitivity.json`, `sensitivity.csv`, the charts and
    /// `sensitivity.html` of an analysis of `scenario` over `varies` by
    /// `method`.
    pub fn files<'a>(
        &'a self,
        scenario: &'a Scenario,
        varies: &[String],
        method: Method,
    ) -> ExperimentFiles<'a> {
        let mut extra = vary_words(varies);
        extra.extend(["--method", method.name(), "--runs"].map(String::from));
        extra.push(self.manifest.runs.to_string());
        extra.extend(worlds_words(self.report.worlds));
        let command = reproduction("sensitivity", scenario, &extra, self.manifest.seed);
        let report = &self.report;
        ExperimentFiles {
            tables: vec![
                ExperimentTable::new("sensitivity.json", report.to_json().into_bytes()),
                ExperimentTable::new("sensitivity.csv", report.to_csv()),
            ],
            charts: Box::new(move || {
                let names = Names::of(&scenario.loaded.scenario);
                sensitivity_charts(report, &scenario.display_name(), &names)
            }),
            page: Some(ExperimentPage::new(
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
    /// of the indicators of `scenario` given `given`, whose page gives the
    /// command that reproduces it.
    pub fn files<'a>(
        &'a self,
        scenario: &'a Scenario,
        given: Option<&Observations>,
    ) -> ExperimentFiles<'a> {
        let indicators = &self.indicators;
        let mut extra = vec!["--at".to_string(), indicators.round.to_string()];
        if let Some(given) = given {
            extra.extend(["--given".into(), shell_word(&given.observations.path)]);
        }
        extra.extend(["--runs".into(), indicators.runs.to_string()]);
        extra.extend(worlds_words(indicators.worlds));
        let command = reproduction("indicators", scenario, &extra, self.manifest.seed);
        ExperimentFiles {
            tables: vec![
                ExperimentTable::new("indicators.json", self.to_json().into_bytes()),
                ExperimentTable::new("indicators.csv", self.to_csv()),
            ],
            charts: Box::new(|| indicators_chart(indicators, CHARTED)),
            page: Some(ExperimentPage::new(
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

impl Discovery<'_> {
    /// Run the discovery and write its files into `dir`, as `backchannel
    /// discover --out DIR` does (docs/OUTPUTS.md): `discover.json`,
    /// `discover.csv`, `worlds.csv`, the charts, `discover.html` and
    /// `manifest.json`, built beside `dir` and renamed into place only when
    /// complete. `dir` must
    /// be new or hold this same discovery's earlier results; anything else
    /// is refused and left as it was.
    pub fn write_to(self, dir: impl AsRef<Path>) -> Result<DiscoveryResults> {
        let out = self.output(&OutputOptions::in_dir(dir.as_ref()))?;
        let scenario = self.scenario;
        let results = self.run()?;
        out.experiment(results.files(scenario))?;
        Ok(results)
    }
}

/// The command line's arguments after the scenario that ask for the
/// discovery `settings` again (the seed and `--set` aside), as shell words.
fn discover_words(settings: &DiscoverStudy) -> Vec<String> {
    let mut words = vec!["--outcome".to_string(), shell_word(&settings.outcome)];
    if settings.below {
        words.push("--below".into());
    }
    if let Some(case) = &settings.case {
        words.extend(["--case".into(), shell_word(case)]);
    }
    words.extend(["--threshold".into(), settings.threshold.to_string()]);
    if let Some(step) = settings.step {
        words.extend(["--step".into(), step.to_string()]);
    }
    if settings.paste {
        words.push("--paste".into());
    }
    if settings.keep_all {
        words.push("--keep-all".into());
    }
    if settings.sampling != Sampling::MonteCarlo.name() {
        words.extend(["--sampling".into(), shell_word(&settings.sampling)]);
    }
    words.extend([
        "--worlds".into(),
        settings.worlds.to_string(),
        "--runs".into(),
        settings.runs.to_string(),
    ]);
    words
}

impl DiscoveryResults {
    /// `discover.json`, `discover.csv`, `worlds.csv`, the charts and
    /// `discover.html` of a discovery over `scenario`'s judged inputs,
    /// whose page gives the command that reproduces it.
    pub fn files<'a>(&'a self, scenario: &'a Scenario) -> ExperimentFiles<'a> {
        let discovery = &self.discovery;
        let study = DiscoveryStudy {
            runs: self.manifest.runs,
            worlds: self.worlds,
            seed: self.manifest.seed,
        };
        let arguments = discover_words(&self.settings);
        let command = reproduction("discover", scenario, &arguments, self.manifest.seed);
        ExperimentFiles {
            tables: vec![
                ExperimentTable::new("discover.json", self.to_json().into_bytes()),
                ExperimentTable::new("discover.csv", self.to_csv()),
                ExperimentTable::new("worlds.csv", self.worlds_csv.clone().into_bytes()),
            ],
            charts: Box::new(move || discovery_charts(discovery, &scenario.display_name(), study)),
            page: Some(ExperimentPage::new(
                "discover.html",
                Box::new(move |charts| {
                    with_page_input(scenario, charts, command, |input| {
                        discover_page(discovery, self.text(), study, input)
                    })
                }),
            )),
            manifest: self.manifest.clone(),
        }
    }
}

impl Backtest<'_> {
    /// Run every case, score it and write the files into `dir`, as
    /// `backchannel backtest --out DIR` does (docs/OUTPUTS.md):
    /// `backtest.json`, `backtest.csv`, the reliability diagram,
    /// `backtest.html` and `manifest.json`, built beside `dir` and renamed
    /// into place only when complete. `dir` must be new or hold this same
    /// back-test's earlier results; anything else is refused and left as it
    /// was.
    pub fn write_to(self, dir: impl AsRef<Path>) -> Result<BacktestResults> {
        let out = self.output(&OutputOptions::in_dir(dir.as_ref()))?;
        let command = self.command();
        let results = self.run()?;
        out.experiment(results.files(command))?;
        Ok(results)
    }
}

impl Calibration<'_> {
    /// Run the calibration and write its files into `dir`, as `backchannel
    /// calibrate --out DIR` does (docs/OUTPUTS.md): `calibration.json`, the
    /// calibrated scenarios, the charts, `calibration.html` and
    /// `manifest.json`, built beside `dir` and renamed into place only when
    /// complete. `dir` must be new or hold this same calibration's earlier
    /// results; anything else is refused and left as it was.
    pub fn write_to(self, dir: impl AsRef<Path>) -> Result<CalibrationResults> {
        let out = self.output(&OutputOptions::in_dir(dir.as_ref()))?;
        let results = self.run()?;
        out.calibration(&results)?;
        Ok(results)
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
                ExperimentTable::new("backtest.json", report.to_json().into_bytes()),
                ExperimentTable::new("backtest.csv", report.to_csv()),
            ],
            charts: Box::new(|| backtest_charts(report)),
            page: Some(ExperimentPage::new(
                "backtest.html",
                Box::new(move |charts| backtest_page(report, charts, command)),
            )),
            manifest: self.manifest.clone(),
        }
    }
}

/// Write a calibration's files into `out` and commit them:
/// `calibration.json`, the calibrated scenario files, and, with `plots`,
/// its charts and `calibration.html`, whose page gives the command that
/// reproduces it.
pub(super) fn publish_calibration(
    out: OutputDir<'_>,
    results: &CalibrationResults,
    plots: bool,
    started: Instant,
) -> Result<Committed> {
    let calibration = &results.calibration;
    let mut written = vec!["calibration.json".to_string()];
    out.write("calibration.json", calibration.to_json().as_bytes())?;
    for scenario in &results.scenarios {
        out.write(&scenario.path, scenario.text.as_bytes())?;
        written.push(scenario.path.clone());
    }
    let mut manifest = results.manifest.clone();
    if plots {
        let start = Instant::now();
        let charts = write_charts(&out, calibration_charts(calibration), &mut written)?;
        let command = format!(
            "backchannel calibrate {} --seed {}",
            shell_word(&calibration.file),
            calibration.seed
        );
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
    charts: &[WrittenChart],
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
