//! The documentation's examples run as written.
//!
//! Every command in README.md and docs/*.md that starts with `backchannel `
//! or `cargo run --release` is run against the debug binary, each in its own
//! temporary directory as working directory (so whatever it writes under
//! `output/` stays there), with `scenarios/` linked in so relative scenario
//! paths resolve, the flagship scenario on its standard input (for
//! `validate /dev/stdin`) and every observations file of the docs beside it.
//! Commands are taken from ```sh blocks, from `$ ` prompt lines in other
//! blocks and from inline code spans; a `\` at the end of a line continues
//! the command, a `#` starts a comment. Each document is its own test (a
//! long one, several: every K-th command), so they run in parallel and a
//! failure names its document.
//!
//! So that each test stays short on a test build, studies are made
//! smaller, and only that:
//! - the bare command, which runs the flagship, is run as `run`;
//! - `run`, `compare` and `indicators` get `--runs 2000`,
//!   `sweep` `--runs 500`, `sensitivity` `--runs 200`, `discover`
//!   `--runs 20000` (100 a world; its default is 500), `backtest` `--runs
//!   300` a case (replacing the docs' `--runs N`, or added); a command with `--precision` keeps its own
//!   stopping rule and no `--runs` is added;
//! - `sensitivity` gets `--samples 8` in place of the docs' `--samples N`;
//! - `calibrate` (but `calibrate --schema`) gets `--worlds 40
//!   --runs-per-world 10 --min-ess 1 --max-generations 1` (one small
//!   generation);
//! - these commands also get `--no-plots`, except those in docs/REPORT.md,
//!   which is about the plots and the page.
//!
//! Every ```toml block with `[[observed]]` is an observations file: it is
//! written to the file its first line names (`# news.toml`) or to
//! `observed-K.toml`, and also run on its own with
//! `run --given FILE --runs 2000 --no-plots`.
//!
//! A command that cannot run here is listed in `NOT_RUN` with its reason;
//! the test fails if a listed command is no longer in the docs, so the list
//! stays honest.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// Commands of the docs that are not run, each with why: (file, command as
/// written, reason).
const NOT_RUN: &[(&str, &str, &str)] = &[
    // A cluster job: one of 64 shards of a billion runs.
    (
        "docs/SCALING.md",
        "backchannel run muscat-2026 --runs 1000000000 --shard 3/64 --out shards/shard-3",
        "needs a cluster (shard 3 of 64)",
    ),
    // Merges the 64 shards the cluster wrote.
    (
        "docs/SCALING.md",
        "backchannel merge shards/shard-* --out results/muscat-2026",
        "needs the 64 shards of a cluster run",
    ),
    // Merges the two shards the commands before it wrote (each command of
    // the docs runs in a directory of its own).
    (
        "docs/SCALING.md",
        "backchannel merge sobol.shards/shard-0 sobol.shards/shard-1 --out sobol",
        "needs the shards the commands before it wrote",
    ),
    (
        "docs/SCALING.md",
        "backchannel merge cmp.shards/shard-0 cmp.shards/shard-1 --out cmp",
        "needs the shards the commands before it wrote",
    ),
    (
        "docs/SCALING.md",
        "backchannel merge disc.shards/shard-0 disc.shards/shard-1 --out disc",
        "needs the shards the commands before it wrote",
    ),
    (
        "docs/SCALING.md",
        "backchannel merge bt.shards/shard-0 bt.shards/shard-1 --out bt",
        "needs the shards the commands before it wrote",
    ),
    (
        "docs/SCALING.md",
        "backchannel calibrate calibrations/icb-mediation.toml --generation-dir icb.generations --step --out results/icb",
        "folds the shards the commands before it wrote",
    ),
    // Syntax, not examples: placeholders in capitals or `...`.
    (
        "README.md",
        "cargo run --release -- <command>",
        "a placeholder",
    ),
    ("docs/TUTORIAL.md", "backchannel ...", "a placeholder"),
    (
        "docs/TUTORIAL.md",
        "cargo run --release -- ...",
        "a placeholder",
    ),
    ("docs/TUTORIAL.md", "backchannel init NAME", "a placeholder"),
    (
        "docs/CALIBRATION.md",
        "backchannel calibrate FILE",
        "a placeholder",
    ),
    ("docs/SCENARIO.md", "backchannel init NAME", "a placeholder"),
    (
        "docs/SCENARIO.md",
        "backchannel run --given FILE",
        "a placeholder",
    ),
    // Names the command in prose; it takes the files to check.
    (
        "docs/SCENARIO.md",
        "backchannel validate",
        "names the command, without its files",
    ),
    (
        "docs/OUTPUTS.md",
        "backchannel backtest DIR",
        "a placeholder",
    ),
    (
        "docs/BACKTEST.md",
        "backchannel backtest DIR",
        "a placeholder",
    ),
];

/// One test per document, or per part of a long one (a part takes every
/// `parts`-th command, so each runs once), so that they run in parallel and
/// a failure names its document; the list of documents is written once,
/// here.
macro_rules! per_document {
    ($($test:ident: $file:literal, part $part:literal of $parts:literal;)*) => {
        const PARTS: &[(&str, usize, usize)] = &[$(($file, $part, $parts)),*];
        $(
            #[test]
            fn $test() {
                runs_as_written($file, $part, $parts);
            }
        )*
    };
}

per_document! {
    readme_runs_as_written: "README.md", part 1 of 1;
    scenario_md_runs_as_written: "docs/SCENARIO.md", part 1 of 1;
    tutorial_md_part_1_runs_as_written: "docs/TUTORIAL.md", part 1 of 4;
    tutorial_md_part_2_runs_as_written: "docs/TUTORIAL.md", part 2 of 4;
    tutorial_md_part_3_runs_as_written: "docs/TUTORIAL.md", part 3 of 4;
    tutorial_md_part_4_runs_as_written: "docs/TUTORIAL.md", part 4 of 4;
    outputs_md_runs_as_written: "docs/OUTPUTS.md", part 1 of 1;
    report_md_runs_as_written: "docs/REPORT.md", part 1 of 1;
    reliability_md_runs_as_written: "docs/RELIABILITY.md", part 1 of 1;
    performance_md_runs_as_written: "docs/PERFORMANCE.md", part 1 of 1;
    validation_md_runs_as_written: "docs/VALIDATION.md", part 1 of 1;
    scaling_md_runs_as_written: "docs/SCALING.md", part 1 of 1;
    model_md_runs_as_written: "docs/MODEL.md", part 1 of 1;
    backtest_md_runs_as_written: "docs/BACKTEST.md", part 1 of 1;
    calibration_md_runs_as_written: "docs/CALIBRATION.md", part 1 of 1;
}

/// Every document with examples, once each.
fn docs() -> Vec<&'static str> {
    let mut docs: Vec<&str> = PARTS.iter().map(|(file, _, _)| *file).collect();
    docs.dedup();
    docs
}

/// A document's parts are 1 to `parts`, each once, so every command runs.
#[test]
fn every_part_of_every_document_is_a_test() {
    for file in docs() {
        let mut parts: Vec<(usize, usize)> = PARTS
            .iter()
            .filter(|(f, _, _)| *f == file)
            .map(|(_, part, parts)| (*part, *parts))
            .collect();
        parts.sort();
        let count = parts.len();
        let expected: Vec<(usize, usize)> = (1..=count).map(|part| (part, count)).collect();
        assert_eq!(parts, expected, "the parts of {file}");
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A command found in the docs: where, and its text as written.
#[derive(Debug, Clone)]
struct DocCommand {
    file: String,
    line: usize,
    text: String,
}

/// An observations file found in the docs.
#[derive(Debug, Clone)]
struct DocObservations {
    file: String,
    line: usize,
    name: String,
    text: String,
}

fn strip_comment(line: &str) -> &str {
    match line.find(" #") {
        Some(i) => &line[..i],
        None => line,
    }
    .trim_end()
}

fn is_command(text: &str) -> bool {
    text.starts_with("backchannel ")
        || text == "backchannel"
        || text == "cargo run --release"
        || text.starts_with("cargo run --release -- ")
}

/// Commands and observations files of one markdown file.
fn extract(file: &str, source: &str) -> (Vec<DocCommand>, Vec<DocObservations>) {
    let mut commands = Vec::new();
    let mut observations = Vec::new();
    let lines: Vec<&str> = source.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(lang) = line.strip_prefix("```") {
            let lang = lang.trim();
            let start = i + 1;
            let mut end = start;
            while end < lines.len() && !lines[end].starts_with("```") {
                end += 1;
            }
            let body = &lines[start..end.min(lines.len())];
            let shell = matches!(lang, "sh" | "bash" | "shell" | "console");
            let mut k = 0;
            while k < body.len() {
                let raw = body[k];
                let candidate = if shell {
                    Some(raw.trim_start_matches("$ "))
                } else {
                    raw.strip_prefix("$ ")
                };
                let Some(first) = candidate else {
                    k += 1;
                    continue;
                };
                let mut text = strip_comment(first).to_string();
                let line_no = start + k + 1;
                while text.ends_with('\\') && k + 1 < body.len() {
                    text.pop();
                    k += 1;
                    text.push(' ');
                    text.push_str(strip_comment(body[k].trim()));
                }
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if is_command(&text) {
                    commands.push(DocCommand {
                        file: file.to_string(),
                        line: line_no,
                        text,
                    });
                }
                k += 1;
            }
            if lang == "toml" && body.iter().any(|l| l.trim() == "[[observed]]") {
                let name = body
                    .first()
                    .and_then(|l| l.strip_prefix("# "))
                    .filter(|n| n.ends_with(".toml") && !n.contains(' '))
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("observed-{}.toml", start));
                observations.push(DocObservations {
                    file: file.to_string(),
                    line: start,
                    name,
                    text: body.join("\n") + "\n",
                });
            }
            i = end + 1;
            continue;
        }
        // Inline code spans.
        let mut rest = line;
        while let Some(open) = rest.find('`') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('`') else { break };
            let span = &after[..close];
            if is_command(span) {
                commands.push(DocCommand {
                    file: file.to_string(),
                    line: i + 1,
                    text: span.to_string(),
                });
            }
            rest = &after[close + 1..];
        }
        i += 1;
    }
    (commands, observations)
}

fn all_examples() -> (Vec<DocCommand>, Vec<DocObservations>) {
    let mut commands = Vec::new();
    let mut observations = Vec::new();
    for file in docs() {
        let source = std::fs::read_to_string(root().join(file))
            .unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
        let (c, o) = extract(file, &source);
        commands.extend(c);
        observations.extend(o);
    }
    (commands, observations)
}

/// The arguments to run for a documented command (see the module's notes).
fn arguments(command: &DocCommand) -> Vec<String> {
    let text = command.text.as_str();
    let rest = text
        .strip_prefix("cargo run --release --")
        .or_else(|| text.strip_prefix("cargo run --release"))
        .or_else(|| text.strip_prefix("backchannel"))
        .expect("a command");
    let mut args: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
    if args.first().is_none_or(|a| a.starts_with('-')) {
        // The bare command runs the flagship, as `run` does, and takes no
        // options of its own.
        args.insert(0, "run".into());
    }
    let subcommand = args.first().cloned();
    let (study, runs) = match subcommand.as_deref() {
        Some("run" | "compare" | "indicators") => (true, "2000"),
        Some("sweep") => (true, "500"),
        Some("sensitivity") => (true, "200"),
        Some("discover") => (true, "20000"),
        Some("backtest") => (true, "300"),
        _ => (false, ""),
    };
    if subcommand.as_deref() == Some("calibrate") && !args.iter().any(|a| a == "--schema") {
        for (flag, value) in [
            ("--worlds", "40"),
            ("--runs-per-world", "10"),
            ("--min-ess", "1"),
            ("--max-generations", "1"),
        ] {
            args.extend([flag.to_string(), value.to_string()]);
        }
    }
    if study {
        let precision = args.iter().any(|a| a == "--precision");
        if let Some(i) = args.iter().position(|a| a == "--runs") {
            args[i + 1] = runs.to_string();
        } else if !precision {
            args.push("--runs".into());
            args.push(runs.into());
        }
        if let Some(i) = args.iter().position(|a| a == "--samples") {
            args[i + 1] = "8".to_string();
        } else if subcommand.as_deref() == Some("sensitivity") {
            args.push("--samples".into());
            args.push("8".into());
        }
        if command.file != "docs/REPORT.md" && !args.iter().any(|a| a == "--no-plots") {
            args.push("--no-plots".into());
        }
    }
    args
}

/// A fresh working directory with `scenarios/`, `calibrations/` and the
/// docs' observations files in it.
fn workdir(observations: &[DocObservations]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root().join("scenarios"), dir.path().join("scenarios"))
        .expect("link scenarios/");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root().join("calibrations"), dir.path().join("calibrations"))
        .expect("link calibrations/");
    for o in observations {
        std::fs::write(dir.path().join(&o.name), &o.text).expect("write observations");
    }
    dir
}

fn run(dir: &Path, args: &[String]) -> std::process::Output {
    backchannel(dir, args).output().expect("run the binary")
}

/// The binary with `args`, run in `dir` with the flagship on its input.
fn backchannel(dir: &Path, args: &[String]) -> Command {
    let stdin = std::fs::File::open(root().join("scenarios/muscat-2026.toml")).expect("flagship");
    let mut command = Command::new(env!("CARGO_BIN_EXE_backchannel"));
    command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::from(stdin));
    command
}

#[test]
fn extraction_finds_commands_continued_lines_and_observations() {
    let md = "Try `backchannel scenarios`.\n\n```sh\nbackchannel sweep \\\n    --vary a=1..2:2 \\\n    --runs 9   # note\ncargo test\n```\n\n```text\n$ cargo run --release\nmuscat\n```\n\n```toml\n# news.toml\n[[observed]]\nround = 1\nchannel = \"active\"\n```\n";
    let (commands, observations) = extract("x.md", md);
    let texts: Vec<&str> = commands.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "backchannel scenarios",
            "backchannel sweep --vary a=1..2:2 --runs 9",
            "cargo run --release",
        ]
    );
    assert_eq!(commands[1].line, 4);
    assert_eq!(observations.len(), 1);
    assert_eq!(observations[0].name, "news.toml");
    assert_eq!(
        arguments(&commands[1]),
        ["sweep", "--vary", "a=1..2:2", "--runs", "500", "--no-plots"]
    );
    assert_eq!(
        arguments(&commands[2]),
        ["run", "--runs", "2000", "--no-plots"]
    );
    let precision = DocCommand {
        file: "x.md".into(),
        line: 1,
        text: "backchannel run --precision 0.004".into(),
    };
    assert_eq!(
        arguments(&precision),
        ["run", "--precision", "0.004", "--no-plots"]
    );
}

/// The docs hold their examples (the tutorial's walk-through at least, and
/// SCENARIO.md's observations file), and the list of commands not run
/// stays honest.
#[test]
fn the_docs_hold_their_examples_and_not_run_lists_only_what_they_hold() {
    let (commands, observations) = all_examples();
    for (file, text, reason) in NOT_RUN {
        assert!(
            commands.iter().any(|c| c.file == *file && c.text == *text),
            "NOT_RUN lists `{text}` in {file} ({reason}), which the docs no longer hold: remove it"
        );
    }
    assert!(
        to_run(&commands)
            .filter(|c| c.file == "docs/TUTORIAL.md")
            .count()
            >= 8,
        "the tutorial's commands were not found: {commands:#?}"
    );
    assert!(
        observations.iter().any(|o| o.file == "docs/SCENARIO.md"),
        "the observations example of SCENARIO.md was not found"
    );
}

/// The commands of the docs that are run: all but those of `NOT_RUN`.
fn to_run(commands: &[DocCommand]) -> impl Iterator<Item = &DocCommand> {
    commands
        .iter()
        .filter(|c| !NOT_RUN.iter().any(|(f, t, _)| c.file == *f && c.text == *t))
}

/// Every command and observations file of `file` in part `part` of
/// `parts` (every `parts`-th, from the `part`-th) runs as written, in a
/// working directory that holds every document's observations files.
fn runs_as_written(file: &str, part: usize, parts: usize) {
    let (commands, observations) = all_examples();
    let mut jobs: Vec<(String, Vec<String>)> = to_run(&commands)
        .filter(|c| c.file == file)
        .map(|c| (format!("{}:{}: `{}`", c.file, c.line, c.text), arguments(c)))
        .collect();
    for o in observations.iter().filter(|o| o.file == file) {
        jobs.push((
            format!("{}:{}: observations `{}`", o.file, o.line, o.name),
            ["run", "--given", &o.name, "--runs", "2000", "--no-plots"]
                .map(String::from)
                .to_vec(),
        ));
    }
    let jobs: Vec<(String, Vec<String>)> = jobs.into_iter().skip(part - 1).step_by(parts).collect();

    let queue = Mutex::new(jobs);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let Some((what, args)) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let dir = workdir(&observations);
                    let output = run(dir.path(), &args);
                    if !output.status.success() {
                        failures.lock().unwrap().push(format!(
                            "{what} (run as `backchannel {}`): {}\n{}",
                            args.join(" "),
                            output.status,
                            String::from_utf8_lossy(&output.stderr)
                        ));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "doc examples of {file} that do not run:\n{}",
        failures.join("\n")
    );
}

/// The `text` block that follows the ```sh block holding `command` in
/// `source`, as shown.
fn shown_output(source: &str, command: &str) -> String {
    let at = source
        .find(&format!("```sh\n{command}"))
        .unwrap_or_else(|| panic!("`{command}` is not in the tutorial"));
    let rest = &source[at..];
    let start = rest.find("```text\n").expect("an output block") + "```text\n".len();
    let end = rest[start..].find("```\n").expect("the block ends");
    rest[start..start + end].to_string()
}

/// The speed part of the last line (`(412515 runs/s on 2 threads)`), which
/// depends on the machine, masked.
fn without_speed(text: &str) -> String {
    text.lines()
        .map(|line| match line.find(" runs/s on ") {
            Some(i) => format!("{}…)", &line[..line[..i].rfind('(').unwrap_or(i) + 1]),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The tutorial shows real outputs, in full: the two cheapest studies it
/// shows (the forecast itself and the sweep) are rerun exactly as written,
/// with `--no-plots`, which changes no line of the text.
#[test]
fn the_tutorials_outputs_are_those_of_its_commands() {
    let tutorial = std::fs::read_to_string(root().join("docs/TUTORIAL.md")).unwrap();
    for (command, args) in [
        ("backchannel run ", vec!["run", "--no-plots"]),
        (
            "backchannel sweep --vary spoilers.israel.capability=0.2..0.8:4 --runs 20000",
            vec![
                "sweep",
                "--vary",
                "spoilers.israel.capability=0.2..0.8:4",
                "--runs",
                "20000",
                "--no-plots",
            ],
        ),
    ] {
        let shown = shown_output(&tutorial, command);
        let dir = workdir(&[]);
        let args: Vec<String> = args.into_iter().map(String::from).collect();
        let output = run(dir.path(), &args);
        assert!(output.status.success(), "{command}");
        let real = String::from_utf8(output.stdout).unwrap();
        assert_eq!(
            without_speed(&shown),
            without_speed(&real),
            "the tutorial's output of `{command}` is not what it prints"
        );
    }
}

/// TUTORIAL shows its comparison "as a terminal at least N columns wide
/// shows it": the widest line it shows is N characters, and the block is
/// what `compare` prints when `$COLUMNS` is N.
#[test]
fn the_tutorials_comparison_is_as_wide_as_it_says() {
    let tutorial = std::fs::read_to_string(root().join("docs/TUTORIAL.md")).unwrap();
    let stated: usize = figure_after(&tutorial, "As a terminal at least", &['c'])
        .parse()
        .unwrap();
    let command = "backchannel compare muscat-2026 muscat-2026-direct";
    let shown = shown_output(&tutorial, command);
    let widest = shown.lines().map(|l| l.chars().count()).max().unwrap();
    assert_eq!(
        widest, stated,
        "TUTORIAL says {stated} columns; its widest line is {widest}"
    );
    let dir = workdir(&[]);
    let args = ["compare", "muscat-2026", "muscat-2026-direct", "--no-plots"].map(String::from);
    let output = backchannel(dir.path(), &args)
        .env("COLUMNS", stated.to_string())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(shown, String::from_utf8(output.stdout).unwrap());
}

/// The shape TUTORIAL's sensitivity outputs state, which does not depend
/// on the runs: the design points in the title (448 for Sobol' with 64
/// samples of five parameters, 11 one at a time) and the folder the
/// results go to. Each command is rerun as written but with 200 runs a
/// point, and its first and last lines compared with the runs masked.
#[test]
fn the_tutorials_sensitivity_designs_have_the_points_they_state() {
    let tutorial = std::fs::read_to_string(root().join("docs/TUTORIAL.md")).unwrap();
    let (commands, _) = extract("docs/TUTORIAL.md", &tutorial);
    let studies: Vec<&DocCommand> = commands
        .iter()
        .filter(|c| c.text.starts_with("backchannel sensitivity") && c.text.contains("--vary"))
        .collect();
    assert_eq!(studies.len(), 2, "the tutorial's two sensitivity studies");
    let masked = |line: &str, runs: &str| line.replace(&format!("× {runs} runs"), "× RUNS runs");
    for study in studies {
        let after: String = tutorial
            .lines()
            .skip(study.line - 2)
            .map(|l| format!("{l}\n"))
            .collect();
        let shown = shown_output(&after, "backchannel sensitivity");
        // As written (not `arguments`, which makes the docs' studies
        // smaller), with 200 runs a point.
        let mut args: Vec<String> = study
            .text
            .split_whitespace()
            .skip(1)
            .map(String::from)
            .collect();
        let at = args.iter().position(|a| a == "--runs").unwrap();
        let runs = std::mem::replace(&mut args[at + 1], "200".to_string());
        args.push("--no-plots".into());
        let dir = workdir(&[]);
        let output = run(dir.path(), &args);
        assert!(output.status.success(), "{output:?}");
        let printed = String::from_utf8(output.stdout).unwrap();
        let first = |text: &str| text.lines().next().unwrap_or("").to_string();
        let last = |text: &str| text.lines().last().unwrap_or("").to_string();
        assert_eq!(
            masked(&first(&shown), &runs),
            masked(&first(&printed), "200")
        );
        assert_eq!(last(&shown), last(&printed));
    }
}

/// README's performance figures are measurements on one machine, which no
/// test can repeat: README quotes them from docs/PERFORMANCE.md, naming
/// the command of each, and this test checks that the two give the same
/// numbers (README to one decimal of PERFORMANCE.md's figure) and that
/// each command README names is the one PERFORMANCE.md ran.
#[test]
fn the_readmes_performance_figures_are_performance_mds() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let performance = std::fs::read_to_string(root().join("docs/PERFORMANCE.md")).unwrap();
    let section = &readme[readme.find("## Performance").unwrap()..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let row = |target: &str| -> &str {
        performance
            .lines()
            .find(|l| l.starts_with(&format!("| {target}")))
            .unwrap_or_else(|| panic!("PERFORMANCE.md has no row {target:?}"))
    };
    let bold = |line: &str| -> String { figure_after(line, "**", &['*']).to_string() };
    for (readme_before, target, command) in [
        (
            "two threads run the flagship",
            "2 threads ≥ 1.8 × 1 thread",
            "cargo bench --bench engine -- flagship_100k",
        ),
        (
            "a run costs",
            "time per run ≤ 3 ×",
            "cargo bench --bench floor",
        ),
    ] {
        let quoted: f64 = figure_after(section, readme_before, &['×'])
            .parse()
            .unwrap();
        let line = row(target);
        let measured: f64 = bold(line).trim_end_matches(" ×").trim().parse().unwrap();
        assert_eq!(
            format!("{measured:.1}"),
            format!("{quoted:.1}"),
            "README says {quoted} ×, PERFORMANCE.md measured {measured} ×"
        );
        assert!(
            line.contains(command),
            "PERFORMANCE.md's row has no `{command}`: {line}"
        );
        assert!(
            section.contains(command),
            "README does not name `{command}`"
        );
    }
    // Memory: README says 10 000 000 runs take the memory of 100 000.
    assert!(
        section.contains("10 000 000 runs take the memory of 100 000"),
        "{section}"
    );
    let line = row("peak memory of 10 000 000 runs");
    let measured = bold(line);
    let (many, few) = measured.split_once(" vs ").unwrap();
    assert_eq!(many, few, "PERFORMANCE.md measured {many} against {few}");
    let command = "/usr/bin/time -f %M backchannel run --runs N --no-plots -q";
    assert!(
        line.contains(command) && section.contains(command),
        "{line}"
    );
}

/// The text after `before` in `text`, up to the first of `ends`.
fn figure_after<'a>(text: &'a str, before: &str, ends: &[char]) -> &'a str {
    let at = text
        .find(before)
        .unwrap_or_else(|| panic!("no {before:?} in:\n{text}"))
        + before.len();
    let rest = &text[at..];
    rest[..rest.find(ends).unwrap_or(rest.len())].trim()
}

/// SCENARIO.md's observations example states how often its facts hold
/// together and when the first agreement comes: the acceptance that
/// `run --given` prints (the test runs 10 000 accepted runs, about 340 000
/// tried, which fixes the whole percent the docs give) and the month that
/// `run` prints, as written.
#[test]
fn the_observations_example_states_what_the_commands_print() {
    let source = std::fs::read_to_string(root().join("docs/SCENARIO.md")).unwrap();
    let (_, observations) = extract("docs/SCENARIO.md", &source);
    let example = &observations[0];
    let stated_share = figure_after(&source, "these three facts hold together in about", &['%']);
    let stated_month = figure_after(&source, "the first, on average, in month", &[',', ')']);
    let dir = workdir(std::slice::from_ref(example));
    let printed = run(
        dir.path(),
        &[
            "run",
            "--given",
            &example.name,
            "--runs",
            "10000",
            "--no-plots",
        ]
        .map(String::from),
    );
    assert!(printed.status.success(), "{printed:?}");
    let printed = String::from_utf8(printed.stdout).unwrap();
    let acceptance: f64 = figure_after(&printed, "acceptance", &['%'])
        .parse()
        .unwrap();
    assert_eq!(
        format!("{acceptance:.0}"),
        stated_share,
        "SCENARIO.md says about {stated_share} %, `run --given` prints {acceptance} %"
    );
    let plain = run(dir.path(), &["run", "--no-plots"].map(String::from));
    assert!(plain.status.success(), "{plain:?}");
    let plain = String::from_utf8(plain.stdout).unwrap();
    let month = figure_after(&plain, "on average in month", &['\n']);
    assert_eq!(month, stated_month, "`run` prints month {month}");
}

/// README's list of what a run writes names every file and folder the
/// flagship's run writes (with its plots and `--save-runs`), and nothing it
/// does not write.
#[test]
fn the_readme_lists_every_file_a_run_writes() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let at = readme.find("The output directory holds").expect("the list");
    let paragraph = &readme[at..at + readme[at..].find("\n\n").unwrap()];
    let named: std::collections::BTreeSet<String> = paragraph
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|code| !code.starts_with("--"))
        .map(|code| code.trim_end_matches('/').to_string())
        .collect();
    let dir = workdir(&[]);
    let output = run(
        dir.path(),
        &[
            "run",
            "--runs",
            "2000",
            "--save-runs",
            "--out",
            "out",
            "--quiet",
        ]
        .map(String::from),
    );
    assert!(output.status.success(), "{output:?}");
    let written: std::collections::BTreeSet<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(
        named, written,
        "README names {named:?}, a run writes {written:?}"
    );
}

/// README's dependency line for another project's `Cargo.toml` resolves:
/// a new crate beside a copy of this repository, with that line, names
/// this crate (`cargo metadata`, offline: the dependencies are those this
/// build already has).
#[test]
fn the_readme_dependency_line_resolves() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let at = readme
        .find("```toml\n[dependencies]\n")
        .expect("the dependency block");
    let block = &readme[at + "```toml\n".len()..];
    let block = &block[..block.find("```").unwrap()];
    let scratch = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root(), scratch.path().join("backchannel")).unwrap();
    let project = scratch.path().join("forecasts");
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(project.join("src/main.rs"), "fn main() {}\n").unwrap();
    std::fs::write(
        project.join("Cargo.toml"),
        format!(
            "[package]\nname = \"forecasts\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [workspace]\n\n{block}"
        ),
    )
    .unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--offline", "--format-version", "1"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let names: Vec<&str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(names.contains(&"backchannel"), "{names:?}");
}
