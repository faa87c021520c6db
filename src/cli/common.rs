//! What every study command shares: loading the scenario and `--given`,
//! checking `--threads` and `--worlds` up front, the output directory, the
//! progress bar and the end of an experiment command.

use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use super::StudyFlags;
use crate::console::{errln, out, outln};
use crate::interrupt::{STOP, WATCH};
use backchannel::error::Result;
use backchannel::text::thousands;
use backchannel::{ExperimentFiles, Output, OutputOptions, Published, Stop};
use backchannel::{Observations, Scenario};
use backchannel::{checked_worlds, threads_or_every_core};
use backchannel_core::scenario::embedded::FLAGSHIP;

impl StudyFlags {
    /// `--threads`, or every core; checked.
    pub fn threads(&self) -> Result<usize> {
        threads_or_every_core(self.threads)
    }

    /// `--worlds`, or the default; checked.
    pub fn worlds(&self) -> Result<u64> {
        checked_worlds(self.worlds)
    }

    /// Where the study's files go: `--out` (or the study's default folder
    /// under `output/`), `--replace`, `--no-plots`.
    pub fn output_options(&self) -> OutputOptions {
        OutputOptions {
            out: self.out.clone(),
            replace: self.replace,
            plots: !self.no_plots,
        }
    }
}

/// How the command's files learn of a signal: the flag it raises, and the
/// watch a forced stop reads (see `interrupt`).
pub fn stop() -> Stop<'static> {
    Stop::new(&STOP, Some(&WATCH))
}

/// What publishing noted (previous results kept aside, an index of the
/// studies not updated), on stderr, even under `--quiet`.
pub fn print_notes(published: &Published) {
    for note in &published.notes {
        errln!("{note}");
    }
}

/// "Results in DIR/", after a line on what they replaced, if anything.
pub fn results_line(published: &Published) -> String {
    let mut text = String::new();
    if let Some(note) = &published.replaced {
        text.push_str(&format!("  {note}\n"));
    }
    text.push_str(&format!("  Results in {}/", published.path.display()));
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
    let spec = scenario.clone().unwrap_or_else(|| FLAGSHIP.to_string());
    let scenario = Scenario::load(&spec)?.with_values(sets)?;
    let given = given
        .map(|path| Observations::load(path, &scenario))
        .transpose()?;
    Ok((spec, scenario, given))
}

/// Print what is valid in `scenario` but will not do what its author most
/// likely meant (deals that cannot seal, reservations that cannot both be
/// met), each with its fix, on standard error.
pub fn print_warnings(scenario: &backchannel_core::scenario::types::Scenario) {
    for warning in backchannel_core::scenario::validate::warnings(scenario) {
        errln!("warning: `{}`: {}", warning.path, warning.message);
        if let Some(help) = warning.help {
            errln!("help: {help}");
        }
    }
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

/// What a text table printed on standard output is fitted to: `$COLUMNS`
/// when it is a positive whole number (the user's own choice, for a pipe
/// too), else the terminal's width when standard output is a terminal,
/// else 80 columns, the classic terminal's width.
pub fn output_columns() -> usize {
    const PIPE_COLUMNS: usize = 80;
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    from_env
        .or_else(|| {
            rustix::termios::tcgetwinsize(std::io::stdout())
                .ok()
                .map(|size| usize::from(size.ws_col))
                .filter(|&c| c > 0)
        })
        .unwrap_or(PIPE_COLUMNS)
}

/// How every experiment command ends: `files` published, then the text
/// `render` makes and where the results are, unless `--quiet`.
pub fn finish(
    out: Output<'_>,
    files: ExperimentFiles,
    flags: &StudyFlags,
    started: Instant,
    render: impl FnOnce() -> String,
) -> Result<()> {
    let published = out.timed_from(started).experiment(files)?;
    print_notes(&published);
    if !flags.quiet {
        out!("{}", render());
        outln!("\n{}", results_line(&published));
    }
    Ok(())
}
