//! The mediation validation (docs/VALIDATION.md, "Mediation"): on the
//! generic crisis of `scenarios/validation/mediation-crisis.toml`, the model
//! reproduces the direction and the approximate relative sizes of the
//! published effects of mediation (Wilkenfeld et al. 2003) and of its
//! styles (Beardsley et al. 2006). Every variant runs on the same seed, so
//! the comparisons are paired on common random numbers.

use std::sync::atomic::AtomicBool;

use backchannel::engine::{RunRecord, StudyOptions, Worlds, run_study};
use backchannel::model::Model;
use backchannel::scenario::load;

const RUNS: u64 = 20_000;

/// The three outcomes of the published studies, as shares of runs.
#[derive(Debug)]
struct Outcomes {
    /// The crisis ends in a formal agreement: the comprehensive settlement
    /// is ratified.
    formal_agreement: f64,
    /// The crisis abates: it never escalates.
    abatement: f64,
    /// Lasting tension reduction: at the horizon the channel is alive, and
    /// there was no escalation and no relapse.
    tension_reduction: f64,
}

fn outcomes(set: &str) -> Outcomes {
    let path = format!(
        "{}/scenarios/validation/mediation-crisis.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let scenario = load(&path, &[set.to_string()]).unwrap().scenario;
    let model = Model::new(&scenario);
    let options = StudyOptions {
        seed: 2006,
        first_run: 0,
        runs: RUNS,
        threads: 2,
        keep_records: true,
    };
    let mut records: Vec<RunRecord> = Vec::new();
    run_study(
        &Worlds::fixed(model),
        &options,
        &AtomicBool::new(false),
        |_, batch| {
            records.extend_from_slice(batch);
            Ok::<(), ()>(())
        },
    )
    .unwrap();
    let share = |f: &dyn Fn(&RunRecord) -> bool| {
        records.iter().filter(|r| f(r)).count() as f64 / records.len() as f64
    };
    Outcomes {
        formal_agreement: share(&|r| r.deal == "comprehensive"),
        abatement: share(&|r| !r.escalation),
        tension_reduction: share(&|r| r.channel != "broken" && !r.escalation && !r.relapse),
    }
}

fn assert_band(what: &str, ratio: f64, (lo, hi): (f64, f64)) {
    assert!(
        (lo..=hi).contains(&ratio),
        "{what}: ratio {ratio:.3} outside the band [{lo}, {hi}]"
    );
}

/// The bands of docs/VALIDATION.md, "Mediation".
const MEDIATED_AGREEMENT: (f64, f64) = (1.1, 3.0);
const MEDIATED_ABATEMENT: (f64, f64) = (1.0, 2.0);
const MANIPULATION_AGREEMENT: (f64, f64) = (1.05, 2.5);
const FACILITATION_TENSION: (f64, f64) = (1.05, 2.5);

#[test]
fn mediation_and_its_styles_order_the_outcomes_as_published() {
    let none = outcomes("format.mode=direct");
    let facilitation = outcomes("mediator.style=facilitation");
    let formulation = outcomes("mediator.style=formulation");
    let manipulation = outcomes("mediator.style=manipulation");
    let styles = [
        ("facilitation", &facilitation),
        ("formulation", &formulation),
        ("manipulation", &manipulation),
    ];
    // Wilkenfeld et al. (2003): mediated crises end in agreement and abate
    // more often than unmediated ones.
    for (name, style) in styles {
        assert_band(
            &format!("{name}: formal agreement vs none"),
            style.formal_agreement / none.formal_agreement,
            MEDIATED_AGREEMENT,
        );
        assert!(
            style.abatement > none.abatement,
            "{name}: {style:?} vs {none:?}"
        );
        assert_band(
            &format!("{name}: abatement vs none"),
            style.abatement / none.abatement,
            MEDIATED_ABATEMENT,
        );
    }
    // Beardsley et al. (2006): manipulation is the strongest for formal
    // agreement, facilitation for lasting tension reduction.
    for (name, style) in &styles[..2] {
        assert!(
            manipulation.formal_agreement > style.formal_agreement,
            "formal agreement: manipulation {manipulation:?} vs {name} {style:?}"
        );
    }
    for (name, style) in &styles[1..] {
        assert!(
            facilitation.tension_reduction > style.tension_reduction,
            "tension reduction: facilitation {facilitation:?} vs {name} {style:?}"
        );
    }
    assert!(facilitation.tension_reduction > none.tension_reduction);
    assert_band(
        "formal agreement, manipulation vs facilitation",
        manipulation.formal_agreement / facilitation.formal_agreement,
        MANIPULATION_AGREEMENT,
    );
    assert_band(
        "tension reduction, facilitation vs manipulation",
        facilitation.tension_reduction / manipulation.tension_reduction,
        FACILITATION_TENSION,
    );
    for (name, o) in [("none", &none)].into_iter().chain(styles) {
        eprintln!(
            "{name:>13}: formal agreement {:.3}, abatement {:.3}, tension reduction {:.3}",
            o.formal_agreement, o.abatement, o.tension_reduction
        );
    }
}
