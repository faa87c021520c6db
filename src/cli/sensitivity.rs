//! `backchannel sensitivity SCENARIO --vary KEY=LO..HI ... [--method sobol|oat]`:
//! which parameters move the headline outcomes, globally (Sobol' indices
//! from a Saltelli design) or one at a time (a tornado around the
//! scenario's own values). Every design point is a study on the same seed.

use std::time::{Instant, SystemTime};

use super::common::{
    check_count, command_line, finish, input_files, page_input, progress_bar, scenario_spec,
    write_charts, write_page,
};
use super::points::{
    Design, check_design_size, check_points, design_of, design_of_factors, design_study,
    parse_varies, run_points,
};
use super::{Method, SensitivityArgs};
use crate::error::{Diagnostic, Error, Result};
use crate::experiment::sensitivity::{saltelli_design, sobol_indices};
use crate::experiment::vary::Vary;
use crate::output::manifest::Manifest;
use crate::output::names::Names;
use crate::output::sensitivity::{
    InteractionRow, OUTPUTS, OatRow, Parameter, Sensitivity, SobolRow,
};
use crate::report::experiment_pages::sensitivity_page;
use crate::report::experiments::sensitivity_charts;
use crate::report::shell_word;
use crate::scenario::load;
use crate::scenario::overrides::value_at;
use crate::scenario::validate::MAX_RUNS;
use crate::stats::Proportion;

/// Bootstrap resamples for the intervals of Sobol' indices.
const BOOTSTRAP: usize = 1000;

pub fn run(args: SensitivityArgs) -> Result<()> {
    let started = Instant::now();
    let started_at = SystemTime::now();
    let spec = scenario_spec(&args.scenario);
    let base = load(&spec, &args.set)?;
    let varies = parse_varies(&args.vary, false)?;
    // Without --vary, the factors are the scenario's own judged inputs,
    // each over its distribution.
    let judged = varies.is_empty();
    if judged && (base.judged.is_empty() || args.method == Method::Oat) {
        return Err(Error::input(
            Diagnostic::new(if base.judged.is_empty() {
                "expected at least one --vary KEY=LO..HI: the scenario has no judged inputs"
            } else {
                "one-at-a-time sensitivity needs --vary KEY=LO..HI for each parameter"
            })
            .key("--vary")
            .help("write a distribution in the scenario (docs/SCENARIO.md, \"Judged inputs\") to rank it with --method sobol, or name ranges with --vary"),
        ));
    }
    check_count("--runs", args.runs, 1, MAX_RUNS)?;
    check_count("--samples", args.samples as u64, 2, 100_000)?;
    let threads = args.study.threads()?;
    let meta = &base.scenario.scenario;
    let seed = args.study.seed.unwrap_or(meta.seed);
    let k = if judged {
        base.judged.len()
    } else {
        varies.len()
    };
    let n = args.samples;
    let points = match args.method {
        Method::Sobol => n as u64 * (k as u64 + 2),
        Method::Oat => 1 + 2 * k as u64,
    };
    check_design_size(
        points,
        args.runs,
        "fewer --samples or --vary, or fewer --runs",
    )?;

    // The design: points of the unit cube, each coordinate mapped to a
    // value by its factor (Sobol'), or base/lo/hi values (OAT).
    let bases = match args.method {
        Method::Oat => Some(base_values(&base.scenario, &varies)?),
        Method::Sobol => None,
    };
    let rows: Vec<Vec<f64>> = match &bases {
        None => saltelli_design(n, k, seed),
        Some(bases) => oat_rows(&varies, bases),
    };
    let design: Design<Box<dyn Fn(usize) -> Vec<String> + Sync + '_>> = match &bases {
        None if judged => boxed(design_of_factors(&base.judged, &rows)),
        None => boxed(design_of_factors(&varies, &rows)),
        Some(_) => boxed(design_of(&varies, &rows)),
    };
    check_points(&spec, &args.set, &design, threads)?;
    let method_name = match args.method {
        Method::Sobol => "sobol",
        Method::Oat => "oat",
    };
    let study = design_study(
        &format!("sensitivity --method {method_name}"),
        &spec,
        &args.vary,
        &args.set,
        seed,
        meta.seed,
    );
    let out = args.study.output(
        &format!("sensitivity-{}-{method_name}", meta.name),
        &study,
        &input_files([spec.as_str()], None),
    )?;

    let progress = progress_bar(args.runs * points, "runs", args.study.quiet);
    let simulate_start = Instant::now();
    let headlines = run_points(
        &spec, &args.set, &design, seed, args.runs, threads, &progress,
    )?;
    let simulate_seconds = simulate_start.elapsed().as_secs_f64();
    progress.finish_and_clear();

    let parameters: Vec<Parameter> = if judged {
        base.judged.iter().map(Parameter::judged).collect()
    } else {
        varies
            .iter()
            .enumerate()
            .map(|(i, v)| Parameter {
                key: v.key.clone(),
                lo: v.lo,
                hi: v.hi,
                base: bases.as_ref().map(|b| b[i]),
                distribution: None,
            })
            .collect()
    };
    let mut report = Sensitivity {
        schema: crate::output::sensitivity::SCHEMA,
        method: method_name,
        seed,
        runs_per_point: args.runs,
        design_points: design.points,
        parameters,
        sobol: Vec::new(),
        interactions: Vec::new(),
        oat: Vec::new(),
        notes: Vec::new(),
    };
    for output in OUTPUTS {
        let values: Vec<Proportion> = headlines.column(output);
        match args.method {
            Method::Sobol => {
                let y: Vec<f64> = values.iter().map(|p| p.p).collect();
                let estimates = sobol_indices(&y, n, k, BOOTSTRAP, seed);
                for (parameter, indices) in report.parameters.iter().zip(estimates.indices) {
                    report.sobol.push(SobolRow {
                        output: output.into(),
                        parameter: parameter.key.clone(),
                        first_order: indices.first_order,
                        total: indices.total,
                    });
                }
                report.interactions.push(InteractionRow {
                    output: output.into(),
                    share: estimates.interactions,
                });
            }
            Method::Oat => {
                for (i, v) in varies.iter().enumerate() {
                    let (at_lo, at_hi) = (values[1 + 2 * i], values[2 + 2 * i]);
                    report.oat.push(OatRow {
                        output: output.into(),
                        parameter: v.key.clone(),
                        at_base: values[0],
                        at_lo,
                        at_hi,
                        swing: at_hi.p - at_lo.p,
                    });
                }
            }
        }
    }
    report.notes.extend(report.clipping_note());
    out.write("sensitivity.json", report.to_json().as_bytes())?;
    out.write("sensitivity.csv", &report.to_csv())?;
    let mut files = vec![
        "sensitivity.json".to_string(),
        "sensitivity.csv".to_string(),
    ];
    let charts = write_charts(&out, args.study.no_plots, || {
        sensitivity_charts(&report, &base.display_name(), &Names::of(&base.scenario))
    })?;
    files.extend(charts.files);
    let display = base.display_name();
    write_page(
        &out,
        args.study.no_plots,
        "sensitivity.html",
        &mut files,
        || {
            let mut extra = Vec::new();
            for vary in &args.vary {
                extra.extend(["--vary".to_string(), shell_word(vary)]);
            }
            extra.extend([
                "--method".to_string(),
                method_name.to_string(),
                "--runs".into(),
                args.runs.to_string(),
            ]);
            let command = command_line("sensitivity", &spec, &extra, seed, &args.set);
            sensitivity_page(&report, &page_input(&base, &display, &charts.svgs, command))
        },
    )?;
    let mut manifest = Manifest::start((&base).into(), seed, args.runs, threads, started_at);
    manifest.simulated(args.runs * points, simulate_seconds);
    manifest.runs = args.runs;
    manifest.plot_seconds = charts.seconds;
    let text = (!args.study.quiet).then(|| report.render_text());
    finish(out, files, manifest, started, text)
}

/// One point at the scenario's own values, then each parameter at its low
/// and its high end with the others at theirs.
fn oat_rows(varies: &[Vary], bases: &[f64]) -> Vec<Vec<f64>> {
    let mut rows = vec![bases.to_vec()];
    for (i, v) in varies.iter().enumerate() {
        for end in [v.lo, v.hi] {
            let mut row = bases.to_vec();
            row[i] = end;
            rows.push(row);
        }
    }
    rows
}

/// A design whose points are made by a boxed function, so the Sobol' and
/// one-at-a-time designs are one type.
fn boxed<'a, F: Fn(usize) -> Vec<String> + Sync + 'a>(
    design: Design<F>,
) -> Design<Box<dyn Fn(usize) -> Vec<String> + Sync + 'a>> {
    Design {
        points: design.points,
        sets: Box::new(design.sets),
        worlds: design.worlds,
    }
}

/// The scenario's own value of each varied key, for one-at-a-time designs.
fn base_values(scenario: &crate::scenario::Scenario, varies: &[Vary]) -> Result<Vec<f64>> {
    varies
        .iter()
        .map(|v| {
            value_at(scenario, &v.key)
                .and_then(|value| {
                    value
                        .as_float()
                        .or_else(|| value.as_integer().map(|i| i as f64))
                })
                .ok_or_else(|| {
                    Error::input(
                        Diagnostic::new(format!(
                            "`{}` has no numeric value in the scenario to vary around",
                            v.key
                        ))
                        .key("--vary")
                        .help("write the key in the scenario file, or use --method sobol"),
                    )
                })
        })
        .collect()
}
