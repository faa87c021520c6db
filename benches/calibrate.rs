//! The calibration's speed target (issue 27): six judged inputs over four
//! targets to an effective sample of at least 500 worlds, on two threads.
//! The targets are four of `calibrations/icb-mediation.toml`'s (formal
//! agreement without a mediator and under each style, the crisis's three
//! inputs shared, each style's lever its own): the reference crisis of the
//! mediation validation, at the command's defaults (1 000 worlds a
//! generation, 100 runs per world and target, ESS 500, at most 8
//! generations). Each iteration is the whole calibration; the bench checks
//! that the effective sample was reached.
//!
//! `cargo bench --bench calibrate`

use std::path::Path;
use std::time::Duration;

use backchannel::{Calibration, CalibrationFile};
use criterion::{Criterion, criterion_group, criterion_main};

const CRISIS: [&str; 3] = [
    "shocks.clash.hazard={ uniform = [0.0, 0.15] }",
    "shocks.collapse.hazard={ uniform = [0.0, 0.1] }",
    "parties.b.issues.settlement.reservation={ uniform = [0.3, 0.7] }",
];

/// The calibration file: one target per group, its ICB counts
/// (data/icb/README.md).
fn file() -> String {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios/validation/mediation-crisis.toml")
        .display()
        .to_string();
    let targets = [
        ("none", "format.mode=direct", None, 34, 299),
        (
            "facilitation",
            "mediator.style=facilitation",
            Some("mediator.crisis_management={ uniform = [0.0, 1.0] }"),
            1,
            14,
        ),
        (
            "formulation",
            "mediator.style=formulation",
            Some("mediator.bridge={ uniform = [0.0, 0.5] }"),
            22,
            56,
        ),
        (
            "manipulation",
            "mediator.style=manipulation",
            Some("mediator.leverage={ uniform = [0.0, 0.5] }"),
            30,
            45,
        ),
    ];
    let mut text = String::from("[calibration]\nseed = 2006\n");
    for (name, style, lever, observed, trials) in targets {
        let sets: Vec<String> = [style]
            .into_iter()
            .chain(CRISIS)
            .chain(lever)
            .map(|s| format!("{s:?}"))
            .collect();
        text.push_str(&format!(
            "\n[[targets]]\nname = \"{name}\"\nscenario = {scenario:?}\nset = [{}]\noutcome = \"deal.comprehensive\"\nobserved = {observed}\ntrials = {trials}\n",
            sets.join(", ")
        ));
    }
    text
}

fn calibrate(c: &mut Criterion) {
    let file =
        CalibrationFile::parse("bench.toml", &file(), Path::new(".")).expect("the file reads");
    let mut group = c.benchmark_group("calibrate");
    // A whole calibration takes seconds: ten samples.
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(60));
    group.bench_function("6 inputs, 4 targets, ESS 500, 2 threads", |b| {
        b.iter(|| {
            let results = Calibration::new(&file).threads(2).run().expect("it runs");
            let report = &results.calibration;
            assert_eq!((report.inputs.len(), report.targets.len()), (6, 4));
            assert!(report.reached_min_ess, "ESS {}", report.ess);
            report.ess
        })
    });
    group.finish();
}

criterion_group!(benches, calibrate);
criterion_main!(benches);
