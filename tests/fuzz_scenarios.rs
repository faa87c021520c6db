//! A bounded fuzz of everything that parses user input (issue 7): random
//! strings and random mutations of every shipped scenario, corpus file and
//! `tests/fuzz-corpus/` input go through the scenario loader, the `--set`
//! parser and the observations parser. Each must give a value or a clean
//! error that renders, never a panic. Runs a few thousand cases in seconds;
//! raise `PROPTEST_CASES` for a longer hunt, and add interesting inputs it
//! finds to `tests/fuzz-corpus/`.

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use backchannel::error::Error;
use backchannel::scenario::load::load_text;
use backchannel::scenario::observations::parse_observations;
use backchannel::scenario::overrides::Override;
use proptest::prelude::*;

/// Every seed input: shipped scenarios, the bad-input corpus, the fuzz
/// corpus; read once, not once per case.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(read_seeds)
}

fn read_seeds() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    for dir in [
        "scenarios",
        "scenarios/validation",
        "tests/bad-scenarios",
        "tests/fuzz-corpus",
    ] {
        for entry in fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                texts.push(String::from_utf8_lossy(&fs::read(path).unwrap()).to_string());
            }
        }
    }
    assert!(texts.len() > 60);
    texts
}

/// Load `text` as a scenario, with `sets` applied; any error must render.
fn survives(text: &str, sets: &[String]) {
    let overrides: Vec<Override> = sets
        .iter()
        .filter_map(|s| Override::parse(s).ok())
        .collect();
    match load_text("fuzz", "fuzz.toml", text, &overrides) {
        Ok(loaded) => {
            // A valid scenario must also compile and run a few runs.
            let model = backchannel::model::Model::new(&loaded.scenario);
            let mut streams =
                backchannel::engine::streams::StudyStreams::new(1, &model.streams.ids);
            let mut state = backchannel::model::RunState::new(&model);
            for run in 0..3 {
                streams.start_run(run);
                backchannel::model::simulate(
                    &model,
                    &mut streams,
                    &mut state,
                    &mut backchannel::model::NoObserver,
                );
            }
        }
        Err(error @ Error::Input(_)) => assert!(!error.to_string().is_empty()),
        Err(other) => panic!("a scenario text gave a non-input error: {other}"),
    }
}

/// One random edit of `text`: insert, delete, duplicate or replace.
fn mutate(text: &str, op: u8, at: usize, len: usize, insert: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = if chars.is_empty() {
        0
    } else {
        at % chars.len()
    };
    let end = (at + len).min(chars.len());
    let (head, tail): (String, String) =
        (chars[..at].iter().collect(), chars[at..].iter().collect());
    let rest: String = chars[end..].iter().collect();
    match op % 4 {
        0 => format!("{head}{insert}{tail}"),
        1 => format!("{head}{rest}"),
        2 => format!("{head}{}{tail}", chars[at..end].iter().collect::<String>()),
        _ => format!("{head}{insert}{rest}"),
    }
}

/// Fragments a scenario file is likely to be broken with.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[".to_string()),
        Just("]]".to_string()),
        Just("\"".to_string()),
        Just("\n[[parties]]\nid = \"x\"\n".to_string()),
        Just(" = ".to_string()),
        Just("nan".to_string()),
        Just("-inf".to_string()),
        Just("1e308".to_string()),
        Just("99999999999999999999".to_string()),
        Just("\u{0}".to_string()),
        Just("é".to_string()),
        Just("{a = [1, {b = 2}]}".to_string()),
        "[a-z_.]{1,12}",
        "-?[0-9]{1,6}(\\.[0-9]{1,4})?",
        any::<String>(),
    ]
}

/// Keys of the flagship scenario a distribution may be written on (and
/// one it may not).
fn judged_key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "format.mode".to_string(),
        "format.leak_hazard".to_string(),
        "mediator.credibility".to_string(),
        "mediator.style".to_string(),
        "trust.concession_boost".to_string(),
        "parties.iran.concession".to_string(),
        "scenario.horizon".to_string(),
    ])
}

/// Numbers at the edges: tiny, huge, negative, zero, subnormal.
fn extreme_number() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop::sample::select(vec![
            0.0,
            1e-320,
            1e-20,
            0.5,
            1.0,
            2.0,
            1e4,
            1e10,
            1e300,
            f64::MAX,
            -1.0,
            -1e308
        ]),
        -10.0f64..10.0,
        any::<f64>().prop_filter("finite", |x| x.is_finite()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_strings_never_panic(text in any::<String>()) {
        survives(&text, &[]);
    }

    #[test]
    fn mutated_inputs_never_panic(seed in any::<prop::sample::Index>(), edits in prop::collection::vec((any::<u8>(), any::<usize>(), 0usize..40, fragment()), 1..4)) {
        let mut text = seed.get(seeds()).clone();
        for (op, at, len, insert) in edits {
            text = mutate(&text, op, at, len, &insert);
        }
        survives(&text, &[]);
    }

    #[test]
    fn random_set_arguments_never_panic(key in "[a-z_.]{0,30}", value in fragment()) {
        survives(backchannel::scenario::embedded::get("muscat-2026").unwrap(), &[format!("{key}={value}")]);
    }

    #[test]
    fn random_distributions_never_panic_or_hang(key in judged_key(), kind in 0u8..5, params in prop::collection::vec(extreme_number(), 0..4)) {
        let numbers: Vec<String> = params.iter().map(|x| format!("{x:?}")).collect();
        let list = numbers.join(", ");
        let distribution = match kind {
            0 => format!("{{ beta = [{list}] }}"),
            1 => format!("{{ normal = [{list}] }}"),
            2 => format!("{{ uniform = [{list}] }}"),
            3 => format!("{{ triangular = [{list}] }}"),
            _ => format!("{{ one_of = [\"indirect\", \"direct\"], weights = [{list}] }}"),
        };
        let text = backchannel::scenario::embedded::get("muscat-2026").unwrap();
        let overrides = vec![Override::parse(&format!("{key}={distribution}")).unwrap()];
        match load_text("fuzz", "fuzz.toml", text, &overrides) {
            Ok(loaded) => {
                // Every accepted distribution draws finite values at once.
                for input in &loaded.judged {
                    for u in [0.0, 1e-9, 0.5, 1.0 - 1e-9, 1.0] {
                        let drawn = input.distribution.quantile(u).as_number(input.distribution.options());
                        prop_assert!(drawn.is_finite(), "{distribution}: {drawn} at {u}");
                    }
                }
            }
            Err(error) => {
                prop_assert!(matches!(error, Error::Input(_)));
                prop_assert!(!error.to_string().is_empty());
            }
        }
    }

    #[test]
    fn random_observations_never_panic(edits in prop::collection::vec((any::<u8>(), any::<usize>(), 0usize..20, fragment()), 0..4)) {
        let mut text = "[[observed]]\nround = 2\nchannel = \"active\"\n[[observed]]\nround = 3\nevent = \"shock:naval-incident\"\nhappened = true\n".to_string();
        for (op, at, len, insert) in edits {
            text = mutate(&text, op, at, len, &insert);
        }
        let scenario = backchannel::scenario::load("muscat-2026", &[]).unwrap().scenario;
        if let Err(error) = parse_observations("obs.toml", &text, &scenario) {
            prop_assert!(matches!(error, Error::Input(_)));
            prop_assert!(!error.to_string().is_empty());
        }
    }
}
