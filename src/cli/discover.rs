//! `backchannel discover SCENARIO --outcome KEY`: scenario discovery over
//! the judged inputs. The study draws many worlds, estimates the outcome's
//! probability in each, and PRIM finds the box of input ranges where the
//! outcome is likely (docs/MODEL.md, "Scenario discovery").

use std::time::{Instant, SystemTime};

use super::DiscoverArgs;
use super::common::{
    check_count, finish, input_files, progress_bar, run_counting, scenario_spec, write_charts,
};
use crate::engine::{Labels, StudyOptions, Worlds};
use crate::error::{Diagnostic, Error, Result};
use crate::output::discover::{Discovery, Input, OutcomePhrase, write_discovery};
use crate::output::manifest::Manifest;
use crate::output::names::Names;
use crate::output::study_key::StudyKey;
use crate::output::uncertainty::worlds_csv;
use crate::report::plots::discover::discovery_charts;
use crate::scenario::load;
use crate::scenario::validate::MAX_RUNS;
use crate::stats::prim::{PrimOptions, discover};

/// Worlds `discover` draws unless told otherwise: PRIM peels 5 % of the
/// points a step down to 5 % of them, so a few hundred worlds leave it
/// only a handful of steps; a thousand give it room.
pub const DEFAULT_DISCOVER_WORLDS: u64 = 1000;
/// Runs per world unless `--runs` says otherwise: a world's estimate of a
/// probability near 0.5 then has a standard error of about 0.02, below the
/// spread across worlds PRIM is looking for (a world of 100 runs has 0.05,
/// and PRIM peels noise).
pub const DEFAULT_RUNS_PER_WORLD: u64 = 500;

/// The outcomes `--outcome` names: (what the user writes, the headline key,
/// what happens in a run, what such runs are called).
const OUTCOMES: [(&str, &str, &str, &str); 10] = [
    ("broken", "channel.broken", "the channel breaks", "breaks"),
    (
        "continued",
        "channel_continued",
        "the channel continues",
        "continuations",
    ),
    (
        "escalation",
        "escalation",
        "the talks end in escalation",
        "escalations",
    ),
    (
        "deal.partial",
        "deal.partial",
        "a partial deal is ratified",
        "partial deals",
    ),
    (
        "deal.comprehensive",
        "deal.comprehensive",
        "every issue is ratified",
        "complete deals",
    ),
    (
        "deal.none",
        "deal.none",
        "no deal is ratified",
        "runs without a deal",
    ),
    (
        "channel.active",
        "channel.active",
        "the channel is active at the end",
        "active channels",
    ),
    (
        "channel.suspended",
        "channel.suspended",
        "the channel ends suspended",
        "suspensions",
    ),
    (
        "channel.concluded",
        "channel.concluded",
        "the talks conclude",
        "conclusions",
    ),
    (
        "channel.broken",
        "channel.broken",
        "the channel breaks",
        "breaks",
    ),
];

pub fn run(args: DiscoverArgs) -> Result<()> {
    let started = Instant::now();
    let started_at = SystemTime::now();
    let (key, phrase) = outcome(&args.outcome)?;
    if !(0.0..=1.0).contains(&args.threshold) {
        return Err(Error::input(
            Diagnostic::new(format!(
                "expected a share in [0, 1], found {}",
                args.threshold
            ))
            .key("--threshold"),
        ));
    }
    let spec = scenario_spec(&args.scenario);
    let loaded = load(&spec, &args.set)?;
    if loaded.judged.is_empty() {
        return Err(Error::input(
            Diagnostic::new(format!("{spec} has no judged inputs: there is nothing to discover over"))
                .help("write the uncertain values as distributions (docs/SCENARIO.md, \"Judged inputs\"), or use sweep and sensitivity with --vary"),
        ));
    }
    let meta = &loaded.scenario.scenario;
    let world_count = args.study.worlds.unwrap_or(DEFAULT_DISCOVER_WORLDS);
    check_count(
        "--worlds",
        world_count,
        20,
        crate::engine::worlds::MAX_WORLDS,
    )?;
    let runs = args
        .runs
        .unwrap_or(world_count.saturating_mul(DEFAULT_RUNS_PER_WORLD));
    check_count("--runs", runs, world_count, MAX_RUNS)?;
    let threads = args.study.threads()?;
    let seed = args.study.seed.unwrap_or(meta.seed);
    let worlds = Worlds::draw(&loaded, seed, world_count)?;
    let study = StudyKey::new(&format!("discover --outcome {}", args.outcome), &[&spec])
        .with_sets(&args.set)
        .with_seed(seed, meta.seed)
        .with(
            "threshold",
            args.threshold.to_string(),
            args.threshold.to_string(),
        )
        .with_worlds(args.study.worlds, true);
    let out = args.study.output(
        &format!("discover-{}-{}", meta.name, args.outcome),
        &study,
        &input_files([spec.as_str()], None),
    )?;

    let progress = progress_bar(runs, "runs", args.study.quiet);
    let simulate_start = Instant::now();
    let options = StudyOptions::new(seed, runs, threads);
    let tally = run_counting(&worlds, &options, &progress)?;
    let simulate_seconds = simulate_start.elapsed().as_secs_f64();
    progress.finish_and_clear();

    let by_world = Labels::headline_by_world(&tally);
    let counts = &by_world
        .iter()
        .find(|(k, _)| k == key)
        .expect("every outcome is a headline")
        .1;
    let (x, y): (Vec<Vec<f64>>, Vec<f64>) = counts
        .iter()
        .zip(&worlds.values)
        .filter(|(c, _)| c.runs > 0)
        .map(|(c, values)| {
            let point = worlds
                .inputs
                .iter()
                .zip(values)
                .map(|(input, v)| v.as_number(input.distribution.options()))
                .collect();
            (point, c.count as f64 / c.runs as f64)
        })
        .unzip();
    let prim = PrimOptions {
        paste: args.paste,
        ..PrimOptions::default()
    };
    let trajectory = discover(&x, &y, None, &prim)
        .map_err(|e| Error::input(Diagnostic::new(format!("cannot search the worlds: {e}"))))?;
    let names = Names::of(&loaded.scenario);
    let inputs: Vec<Input> = worlds
        .inputs
        .iter()
        .map(|input| {
            let options = input.distribution.options();
            let (lo, hi) = input.distribution.support();
            Input {
                key: input.key.clone(),
                name: names.input(&input.key),
                lo: lo.as_number(options),
                hi: hi.as_number(options),
            }
        })
        .collect();
    let discovery = Discovery::new(&args.outcome, &phrase, args.threshold, inputs, &trajectory);

    let mut files = write_discovery(&out, &discovery)?;
    out.write("worlds.csv", worlds_csv(&worlds, &tally, None).as_bytes())?;
    files.push("worlds.csv".into());
    let charts = write_charts(&out, args.study.no_plots, || {
        discovery_charts(&discovery, &loaded.display_name())
    })?;
    files.extend(charts.files);
    let mut manifest = Manifest::start((&loaded).into(), seed, runs, threads, started_at);
    manifest.simulated(runs, simulate_seconds);
    manifest.plot_seconds = charts.seconds;
    let text = (!args.study.quiet).then(|| render_text(&discovery, &worlds, runs));
    finish(out, files, manifest, started, text)
}

/// The headline key and phrase of `--outcome`, or a diagnostic listing the
/// outcomes.
fn outcome(written: &str) -> Result<(&'static str, OutcomePhrase)> {
    OUTCOMES
        .iter()
        .find(|(name, ..)| *name == written)
        .map(|&(_, key, happens, events)| {
            (
                key,
                OutcomePhrase {
                    happens: happens.into(),
                    events: events.into(),
                },
            )
        })
        .ok_or_else(|| {
            let names: Vec<&str> = OUTCOMES.iter().map(|(name, ..)| *name).collect();
            Error::input(
                Diagnostic::new(format!("unknown outcome {written:?}"))
                    .key("--outcome")
                    .help(format!("outcomes: {}", names.join(", "))),
            )
        })
}

/// The one-screen summary: the sentence, then the chosen box.
fn render_text(d: &Discovery, worlds: &Worlds, runs: u64) -> String {
    let mut text = format!(
        "Scenario discovery over {} judged inputs: {} worlds of about {} runs each\n\n  {}\n",
        worlds.inputs.len(),
        worlds.count(),
        runs / worlds.count() as u64,
        crate::output::text::printable(&d.sentence)
    );
    let b = &d.chosen.step_box;
    text.push_str(&format!(
        "\n  Chosen box (step {} of {}): density {:.0}%, coverage {:.0}%, {:.0}% of the worlds\n",
        d.chosen.step,
        d.trajectory.len() - 1,
        100.0 * b.density,
        100.0 * b.coverage,
        100.0 * b.mass
    ));
    for limit in &b.limits {
        text.push_str(&format!(
            "    {:<40} {} to {}\n",
            crate::output::text::printable(&limit.key),
            crate::output::discover::short(limit.lo),
            crate::output::discover::short(limit.hi)
        ));
    }
    if !d.chosen.meets_threshold {
        text.push_str(&format!(
            "  No box reaches the threshold {:.0}%: this is the densest; lower --threshold to trade density for coverage\n",
            100.0 * d.threshold
        ));
    }
    text
}
