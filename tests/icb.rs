//! The ICB data in `data/icb/` (Brecher et al., ICB Data Codebook v15):
//! every count, rate and Wilson interval its README states is recomputed
//! from the CSV, so the README, the mediation validation and the data
//! cannot drift apart.

use std::path::Path;

use backchannel::stats::{Z95, wilson};
use backchannel::validation::icb::{Group, GroupCounts, counts_by_group, read_crises};

fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/icb")
        .join(name)
}

/// `k = p % [lo, hi]` or `k = p %` as the README writes a rate.
fn rate(k: u64, n: u64, interval: bool) -> String {
    let p = wilson(k, n, Z95);
    let mut text = format!("{k} = {:.1} %", 100.0 * k as f64 / n as f64);
    if interval {
        text.push_str(&format!(" [{:.1}, {:.1}]", 100.0 * p.lo, 100.0 * p.hi));
    }
    text
}

/// The README's table row for `label`: its cells after the label.
fn row<'a>(readme: &'a str, label: &str) -> Vec<&'a str> {
    let line = readme
        .lines()
        .find(|l| l.starts_with(&format!("| {label}")))
        .unwrap_or_else(|| panic!("the README has a row for {label}"));
    line.split('|')
        .skip(2)
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

#[test]
fn the_readme_rates_are_the_csv_rates() {
    let crises = read_crises(&data("icb1v15-1918-2001.csv")).unwrap();
    assert_eq!(crises.len(), 436);
    assert!(crises.iter().all(|c| (1918..=2001).contains(&c.year)));
    let readme = std::fs::read_to_string(data("README.md")).unwrap();
    let counts = counts_by_group(&crises);
    let labels = [
        (Group::None, "not mediated"),
        (Group::Facilitation, "facilitation highest"),
        (Group::Formulation, "formulation highest"),
        (Group::Manipulation, "manipulation highest"),
        (Group::StyleUnknown, "mediated, style unknown"),
    ];
    let check =
        |c: &GroupCounts, label: &str, agreement_interval: bool, recurrence_interval: bool| {
            let cells = row(&readme, label);
            assert_eq!(cells[0], c.crises.to_string(), "{label}: crises");
            assert_eq!(
                cells[1],
                rate(c.formal_agreement, c.crises, agreement_interval),
                "{label}"
            );
            assert_eq!(
                cells[2],
                rate(c.no_recurrence, c.crises, recurrence_interval),
                "{label}"
            );
        };
    for ((group, label), c) in labels.iter().zip(&counts) {
        assert_eq!(c.group, *group);
        let interval = *group != Group::StyleUnknown;
        // The README gives the no-recurrence interval for manipulation only.
        check(c, label, interval, false);
    }
    let mediated = counts[1..].iter().fold(
        GroupCounts {
            group: Group::StyleUnknown,
            crises: 0,
            formal_agreement: 0,
            no_recurrence: 0,
        },
        |a, c| GroupCounts {
            crises: a.crises + c.crises,
            formal_agreement: a.formal_agreement + c.formal_agreement,
            no_recurrence: a.no_recurrence + c.no_recurrence,
            ..a
        },
    );
    check(&mediated, "all mediated", true, false);
    let missing = crises.iter().filter(|c| c.group().is_none()).count();
    assert_eq!(missing, 4, "4 crises with `mediate` missing are left out");
}

#[test]
fn a_file_that_is_not_the_icb_file_is_refused_by_name() {
    let scratch = tempfile::tempdir().unwrap();
    let path = scratch.path().join("other.csv");
    std::fs::write(&path, "a,b\n1,2\n").unwrap();
    let message = read_crises(&path).unwrap_err().to_string();
    assert!(message.contains("no `crisno` column"), "{message}");
    std::fs::write(
        &path,
        std::fs::read_to_string(data("icb1v15-1918-2001.csv"))
            .unwrap()
            .replacen(",1918,5,", ",abc,5,", 1),
    )
    .unwrap();
    let message = read_crises(&path).unwrap_err().to_string();
    assert!(message.contains("line 2, column `yrtrig`"), "{message}");
}
