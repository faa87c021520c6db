//! The mediation validation (docs/VALIDATION.md, "Mediation"): the
//! reference crisis of `scenarios/validation/mediation-crisis.toml` and the
//! mediator's levers, calibrated to the International Crisis Behavior
//! crises of 1918–2001 (`data/icb/`) by `calibrations/icb-mediation.toml`,
//! predict every group's observed rate of formal agreement and of no
//! recurrence within their 90 % posterior predictive intervals.
//!
//! The calibration's result is committed beside its file: the
//! `calibration.json` and `calibrated/` that `backchannel calibrate
//! calibrations/icb-mediation.toml` writes under `output/`, copied into
//! `calibrations/icb-mediation/` (without the manifest, which records the
//! machine); the ignored test reruns it and checks that it reproduces.

use std::path::{Path, PathBuf};

use backchannel::validation::icb::{Group, counts_by_group, read_crises};
use backchannel::{Calibration, CalibrationFile};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn committed() -> Value {
    let text =
        std::fs::read_to_string(repo("calibrations/icb-mediation/calibration.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_icb_rate_lies_in_the_calibrated_predictive_interval() {
    let report = committed();
    let file = std::fs::read(repo("calibrations/icb-mediation.toml")).unwrap();
    let sha: String = Sha256::digest(&file)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        report["sha256"], sha,
        "the committed result is of the committed file"
    );
    let crises = read_crises(&repo("data/icb/icb1v15-1918-2001.csv")).unwrap();
    let groups = counts_by_group(&crises);
    let targets = report["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 8);
    for counts in groups.iter().filter(|c| c.group != Group::StyleUnknown) {
        for (outcome, observed) in [
            ("formal agreement", counts.formal_agreement),
            ("no recurrence", counts.no_recurrence),
        ] {
            let name = format!("{}: {outcome}", counts.group.name());
            let target = targets
                .iter()
                .find(|t| t["name"] == name.as_str())
                .unwrap_or_else(|| panic!("a target {name}"));
            assert_eq!(target["observed"], observed, "{name}: the ICB count");
            assert_eq!(target["trials"], counts.crises, "{name}: the ICB crises");
            let rate = observed as f64 / counts.crises as f64;
            let interval = &target["predicted_rate90"];
            let (lo, hi) = (interval[0].as_f64().unwrap(), interval[1].as_f64().unwrap());
            assert!(
                lo <= rate && rate <= hi && target["outside"] == false,
                "{name}: observed {rate:.3} outside the predictive interval [{lo:.3}, {hi:.3}]"
            );
        }
    }
}

#[test]
#[ignore = "needs a minute of both cores (the whole calibration; 18 s in a release build): run .ci/run or cargo test --release --test mediation -- --ignored"]
fn the_calibration_reproduces_from_its_file() {
    let path = repo("calibrations/icb-mediation.toml");
    let file = CalibrationFile::load(path.to_str().unwrap()).unwrap();
    let results = Calibration::new(&file).threads(2).run().unwrap();
    let mut fresh: Value = serde_json::from_str(&results.calibration.to_json()).unwrap();
    // The file is named as given: the committed result names it relative
    // to the repository, as the documented command does.
    fresh["file"] = committed()["file"].clone();
    for (target, committed) in fresh["targets"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(committed()["targets"].as_array().unwrap())
    {
        target["scenario"] = committed["scenario"].clone();
    }
    assert_eq!(fresh, committed());
}
