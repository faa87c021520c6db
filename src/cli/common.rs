//! What every study command shares: checking counts, threads, the output
//! directory, the progress bar and turning an engine stop into an error.

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use super::StudyFlags;
use crate::error::{Error, Result};
use crate::output::study_key::StudyKey;
use crate::output::writer::{Committed, Destination, OutputDir};
use crate::report::plots::thousands;
use crate::scenario::embedded::FLAGSHIP;
use crate::study::{Observations, Scenario};
use crate::study::checks::{checked_worlds, threads_or_every_core};

/// The scenario a command names, or the flagship when it names none.
pub fn scenario_spec(scenario: &Option<String>) -> String {
    scenario.clone().unwrap_or_else(|| FLAGSHIP.to_string())
}

impl StudyFlags {
    /// `--threads`, or every core; checked.
    pub fn threads(&self) -> Result<usize> {
        threads_or_every_core(self.threads)
    }

    /// `--worlds`, or the default; checked.
    pub fn worlds(&self) -> Result<u64> {
        checked_worlds(self.worlds)
    }

    /// The output directory of `study`: `--out`, or `output/` and the
    /// study's default name after `base`; refused if it holds anything
    /// this study may not replace (see [`OutputDir`]).
    pub fn output(&self, base: &str, study: &StudyKey, inputs: &[PathBuf]) -> Result<OutputDir> {
        output_dir(self.out.as_deref(), base, study, self.replace, inputs)
    }
}

/// The output directory `out`, or `output/` and `study`'s default name
/// after `base`.
pub fn output_dir(
    out: Option<&Path>,
    base: &str,
    study: &StudyKey,
    replace: bool,
    inputs: &[PathBuf],
) -> Result<OutputDir> {
    let path = out.map_or_else(
        || Path::new("output").join(study.dir_name(base)),
        Path::to_path_buf,
    );
    OutputDir::create(&Destination {
        path: &path,
        study,
        replace,
        inputs,
    })
}

/// The files among scenario `specs` and an observations file: what an
/// output directory must not hold.
pub fn input_files<'a>(
    specs: impl IntoIterator<Item = &'a str>,
    given: Option<&'a str>,
) -> Vec<PathBuf> {
    specs
        .into_iter()
        .chain(given)
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect()
}

/// "Results in DIR/", after a line on what they replaced, if anything.
pub fn results_line(committed: &Committed) -> String {
    let mut text = String::new();
    if let Some(note) = committed.replaced_note() {
        text.push_str(&format!("  {note}\n"));
    }
    text.push_str(&format!("  Results in {}/", committed.path.display()));
    text
}

/// A progress bar on stderr, hidden with `--quiet` or when stderr is not a
/// terminal. `unit` names what is counted ("runs"); the message, after the
/// rate and time left, says where a multi-point study is ("point 3 of 12").
pub fn progress_bar(total: u64, unit: &str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let template = format!(
        "{{spinner}} [{{elapsed_precise}}] {{wide_bar}} {{human_pos}}/{{human_len}} {unit} ({{rate}}/s, {{eta}} left) {{msg}}"
    );
    // indicatif's `{per_sec}` prints four decimals; a whole number reads better.
    let style = ProgressStyle::with_template(&template)
        .expect("a valid template")
        .with_key(
            "rate",
            |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", thousands(state.per_sec().round() as u64));
            },
        );
    bar.set_style(style);
    bar
}

/// The scenario a command names (the flagship when it names none) with
/// its `--set` values, and the observations of `--given`: what a study
/// command loads first.
pub fn load_inputs(
    scenario: &Option<String>,
    sets: &[String],
    given: Option<&str>,
) -> Result<(String, Scenario, Option<Observations>)> {
    let spec = scenario_spec(scenario);
    let scenario = Scenario::load(&spec)?.with_values(sets)?;
    let given = given
        .map(|path| Observations::load(path, &scenario))
        .transpose()?;
    Ok((spec, scenario, given))
}

/// Run `study` with a progress bar of `total` `unit` (hidden with
/// `--quiet`), cleared when it ends.
pub fn with_progress<T>(
    total: u64,
    unit: &str,
    quiet: bool,
    study: impl FnOnce(&ProgressBar) -> Result<T>,
) -> Result<T> {
    let bar = progress_bar(total, unit, quiet);
    let results = study(&bar)?;
    bar.finish_and_clear();
    Ok(results)
}

/// What [`write_charts`] wrote (nothing with `--no-plots`).
#[derive(Default)]
pub struct WrittenCharts {
    /// Paths relative to the output directory, for the manifest.
    pub files: Vec<String>,
    /// `(stem, svg)` of each chart, for an HTML page.
    pub svgs: Vec<(String, String)>,
    pub seconds: f64,
}

/// Render the charts `make` builds into `out/plots/` as SVG and PNG,
/// unless `no_plots`.
pub fn write_charts(
    out: &crate::output::OutputDir,
    no_plots: bool,
    make: impl FnOnce() -> Vec<Box<dyn crate::report::charts::ChartFiles>>,
) -> Result<WrittenCharts> {
    if no_plots {
        return Ok(WrittenCharts::default());
    }
    let start = std::time::Instant::now();
    let charts = make();
    let mut files = Vec::new();
    let mut svgs = Vec::new();
    for chart in &charts {
        let (svg, png) = chart.render().map_err(Error::failure)?;
        let stem = chart.stem();
        out.write(&format!("plots/{stem}.svg"), svg.as_bytes())?;
        out.write(&format!("plots/{stem}.png"), &png)?;
        files.extend([format!("plots/{stem}.svg"), format!("plots/{stem}.png")]);
        svgs.push((stem, svg));
    }
    Ok(WrittenCharts {
        files,
        svgs,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// The page of an experiment, `name`, written next to its results unless
/// `--no-plots` (a page without its charts would only look broken):
/// `make` builds it from what every page shares.
pub fn write_page(
    out: &crate::output::OutputDir,
    no_plots: bool,
    name: &str,
    files: &mut Vec<String>,
    make: impl FnOnce() -> String,
) -> Result<()> {
    if no_plots {
        return Ok(());
    }
    out.write(name, make().as_bytes())?;
    files.push(name.into());
    Ok(())
}

/// What every experiment page shares, from the scenario as loaded.
pub fn page_input<'a>(
    loaded: &'a crate::scenario::LoadedScenario,
    display: &'a str,
    charts: &'a [(String, String)],
    command: String,
) -> crate::report::experiment_pages::PageInput<'a> {
    crate::report::experiment_pages::PageInput {
        scenario: display,
        names: crate::output::names::Names::of(&loaded.scenario),
        description: &loaded.scenario.scenario.description,
        source: &loaded.source.text,
        sha256: &loaded.sha256,
        charts,
        command,
    }
}

/// The words of a reproduction command common to every experiment: the
/// command and its scenario, then `extra`, seed and every `--set`.
pub fn command_line(
    command: &str,
    spec: &str,
    extra: &[String],
    seed: u64,
    sets: &[String],
) -> String {
    use crate::report::shell_word;
    let mut words = vec!["backchannel".to_string(), command.into(), shell_word(spec)];
    words.extend(extra.iter().cloned());
    words.extend(["--seed".into(), seed.to_string()]);
    for set in sets {
        words.extend(["--set".into(), shell_word(set)]);
    }
    words.join(" ")
}

/// How every experiment command ends: the results committed with their
/// manifest ([`commit`](crate::report::publish::commit)), then `text` and
/// where the results are, unless quiet.
pub fn finish(
    out: crate::output::OutputDir,
    files: Vec<String>,
    mut manifest: crate::output::manifest::Manifest,
    started: std::time::Instant,
    text: Option<String>,
) -> Result<()> {
    let committed = crate::report::publish::commit(out, files, &mut manifest, started)?;
    if let Some(text) = text {
        print!("{text}");
        println!("\n{}", results_line(&committed));
    }
    Ok(())
}
