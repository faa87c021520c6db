//! The experiment builders of the front door (`Comparison`, `Sweep`,
//! `Sensitivity`) against what they must equal: a scenario compared with
//! itself differs by exactly nothing, a sweep's point is the study of the
//! scenario at that value, and one-at-a-time sensitivity is the same
//! studies at each parameter's ends.

use std::sync::atomic::AtomicBool;

use backchannel::{Comparison, Error, Method, Scenario, Sensitivity, Study, Sweep};

const RUNS: u64 = 400;
const SEED: u64 = 11;

fn leaky() -> Scenario {
    Scenario::load("minimal")
        .unwrap()
        .with_values(&["format.leak_hazard=0.2"])
        .unwrap()
}

/// P(channel continued) of one study of `scenario`.
fn continued(scenario: &Scenario) -> f64 {
    let results = Study::new(scenario)
        .runs(RUNS)
        .seed(SEED)
        .threads(2)
        .run()
        .unwrap();
    headline(&results.summary.headline(), "channel_continued")
}

fn headline(values: &[backchannel::results::Headline], name: &str) -> f64 {
    values.iter().find(|h| h.metric == name).unwrap().value.p
}

#[test]
fn a_scenario_compared_with_itself_differs_by_nothing() {
    let scenario = leaky();
    let compared = Comparison::new(&[&scenario, &scenario])
        .runs(RUNS)
        .seed(SEED)
        .threads(2)
        .run()
        .unwrap();
    let table = &compared.comparison;
    assert_eq!(table.runs, RUNS);
    for row in &table.metrics {
        let d = row.differences[1].expect("a difference to the baseline");
        assert_eq!(
            (d.difference, d.excludes_zero),
            (0.0, false),
            "{}",
            row.metric
        );
    }
    // Common random numbers: each side is the study of the scenario alone.
    let alone = continued(&scenario);
    let row = table.row("channel_continued").unwrap();
    assert_eq!(row.values[0].value, alone);
}

#[test]
fn a_precision_met_at_the_first_checkpoint_stops_there() {
    let scenario = leaky();
    let compared = Comparison::new(&[&scenario, &scenario])
        .precision(0.01)
        .runs(40_000)
        .threads(2)
        .run()
        .unwrap();
    let record = compared.manifest.precision.expect("a precision record");
    // Identical scenarios: the difference's interval has no width at all.
    assert_eq!(record.checked_at, vec![10_000]);
    assert!(record.reached && record.achieved_half_width == 0.0);
    assert_eq!(compared.comparison.runs, 10_000);
}

#[test]
fn a_sweep_point_is_the_study_at_that_value() {
    let scenario = leaky();
    let swept = Sweep::new(&scenario)
        .vary("format.leak_hazard=0.0..0.4:3")
        .runs(RUNS)
        .seed(SEED)
        .threads(2)
        .run()
        .unwrap();
    let table = &swept.table;
    assert_eq!(table.points, vec![vec![0.0], vec![0.2], vec![0.4]]);
    assert_eq!(swept.own_values, vec![Some(0.2)]);
    let m = table
        .metrics
        .iter()
        .position(|n| n == "channel_continued")
        .unwrap();
    for (point, row) in table.points.iter().zip(&table.rows) {
        let at = scenario
            .with_values(&[format!("format.leak_hazard={}", point[0])])
            .unwrap();
        assert_eq!(row[m].p, continued(&at), "at {point:?}");
    }
}

#[test]
fn one_at_a_time_is_the_studies_at_each_end() {
    let scenario = leaky();
    let ranked = Sensitivity::new(&scenario)
        .vary("format.leak_hazard=0.1..0.3")
        .method(Method::Oat)
        .runs(RUNS)
        .seed(SEED)
        .threads(2)
        .run()
        .unwrap();
    let report = &ranked.report;
    assert_eq!((report.method, report.design_points), ("oat", 3));
    let row = report
        .oat
        .iter()
        .find(|r| r.output == "channel_continued")
        .unwrap();
    let at = |x: f64| {
        continued(
            &scenario
                .with_values(&[format!("format.leak_hazard={x}")])
                .unwrap(),
        )
    };
    assert_eq!(row.at_base.p, continued(&scenario));
    assert_eq!((row.at_lo.p, row.at_hi.p), (at(0.1), at(0.3)));
    assert_eq!(row.swing, row.at_hi.p - row.at_lo.p);
}

#[test]
fn a_raised_cancel_flag_stops_a_sweep() {
    let scenario = leaky();
    let cancel = AtomicBool::new(true);
    let stopped = Sweep::new(&scenario)
        .vary("format.leak_hazard=0.0..0.4:3")
        .runs(RUNS)
        .cancel_on(&cancel)
        .run();
    assert!(matches!(stopped, Err(Error::Interrupted)));
}

/// The library names the setting (`vary`), never the command line's flag.
#[test]
fn bad_designs_are_input_errors_with_the_setting_named() {
    let scenario = leaky();
    let alone = Comparison::new(&[&scenario]).runs(RUNS).run();
    let three = ["a", "b", "c"].map(|table| format!("{table}.x=0..1:2"));
    let mut sweep = Sweep::new(&scenario).runs(RUNS);
    for vary in three {
        sweep = sweep.vary(vary);
    }
    let no_parameters = Sensitivity::new(&scenario).method(Method::Sobol).run();
    for (result, key) in [
        (alone.map(|_| ()), "compare"),
        (sweep.check().map(|_| ()), "`vary`"),
        (no_parameters.map(|_| ()), "`vary`"),
    ] {
        match result {
            Err(Error::Input(problems)) => {
                assert!(problems[0].title().contains(key), "{key}")
            }
            _ => panic!("expected an input error naming {key}"),
        }
    }
}
