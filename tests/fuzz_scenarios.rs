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

/// The steps (`validate::charge`) that loading and checking one byte of a
/// scenario may take. Each byte is parsed once, then at most twice more
/// for each of the two corners of the judged inputs (parsed and
/// deserialised: 2 + 2 × 2); each table is deserialised again for each of
/// its type problems, at most 32 times (the loader's cap a table: 2 × 32);
/// and each problem shown walks the document once to find its key, for at
/// most 100 problems a file (2 × 100, a node being at least one byte). Add
/// the stand-ins and copies of the text (a few passes more): 300.
const STEPS_PER_BYTE: u64 = 300;

/// Steps that do not grow with the input (the checks of a scenario's fixed
/// tables).
const FIXED_STEPS: u64 = 10_000;

/// `base` with `n` entries of one kind appended: issues, spoilers with
/// twenty unknown keys each (type problems), shocks with a distribution
/// each (judged inputs, so both corners are checked), unknown keys,
/// issues of the wrong type, shocks out of range, or parties' tables for
/// issues nobody declared (cross-reference problems).
fn grown(base: &str, kind: u8, n: usize) -> String {
    let mut text = base.to_string();
    for i in 0..n {
        let entry = match kind % 7 {
            0 => format!("\n[[issues]]\nid = \"g{i}\"\nweight = 1.0\n"),
            1 => {
                let junk: String = (0..20).map(|k| format!("junk{k} = {k}\n")).collect();
                format!("\n[[spoilers]]\nid = \"s{i}\"\n{junk}")
            }
            2 => format!(
                "\n[[shocks]]\nid = \"k{i}\"\nhazard = {{ uniform = [0.0, 0.1] }}\neffect = \"break\"\n"
            ),
            3 => format!("\njunk{i} = {i}\n"),
            4 => format!("\n[[issues]]\nid = \"g{i}\"\nweight = \"heavy\"\n"),
            5 => format!("\n[[shocks]]\nid = \"k{i}\"\nhazard = 5.0\neffect = \"break\"\n"),
            _ => format!("\n[parties.a.issues.x{i}]\nreservation = 0.2\n"),
        };
        text.push_str(&entry);
    }
    text
}

/// The steps `validate::charge` counted while loading `text`, and whether
/// they are within [`STEPS_PER_BYTE`] per byte.
fn steps_to_load(text: &str) -> (u64, bool) {
    backchannel::scenario::validate::take_steps();
    let _ = load_text("fuzz", "fuzz.toml", text, &[]);
    let steps = backchannel::scenario::validate::take_steps();
    (
        steps,
        steps <= STEPS_PER_BYTE * text.len() as u64 + FIXED_STEPS,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Validation finishes within a number of steps linear in its input,
    /// whatever the input (issue 33): a bound on work, not on time, so it
    /// holds on any machine and under any load. The steps are those the
    /// loader charges (`validate::charge`) for each part of its work that
    /// grows with the input. Each case mutates a shipped or broken
    /// scenario, then grows it by `n` and by `4 n` entries of one kind
    /// (valid ones; type, range and cross-reference problems; judged
    /// inputs; unknown keys), and checks two things: every load stays
    /// within [`STEPS_PER_BYTE`] per byte, a constant that comes from the
    /// loader's caps, not from measurement (the inputs tried take at most
    /// about 15); and four times the entries take at most five times the
    /// extra steps, which a cost quadratic in any entry count would break
    /// (it would take sixteen). `n` starts at 200 entries, past the 100
    /// problems a file has located, below which locating each problem in
    /// a growing document is quadratic by design, up to its cap. Inputs stay
    /// well below the 4 MiB cap (at most 12 000 entries, about 1 MB) so
    /// that the test takes seconds. What it cannot see is work in a loop
    /// that charges nothing, or inside a library call the charge does not
    /// cover (each distribution's quantile is bounded by the bounds on its
    /// parameters, docs/SCENARIO.md).
    #[test]
    fn validation_takes_steps_linear_in_its_input(
        seed in any::<prop::sample::Index>(),
        kind in any::<u8>(),
        n in 200usize..1500,
        edits in prop::collection::vec((any::<u8>(), any::<usize>(), 0usize..40, fragment()), 0..3),
    ) {
        let mut base = seed.get(seeds()).clone();
        for (op, at, len, insert) in edits {
            base = mutate(&base, op, at, len, &insert);
        }
        // Twenty unknown keys a spoiler cost the most per entry: fewer.
        let n = if kind % 7 == 1 { n / 4 } else { n };
        let (none, _) = steps_to_load(&base);
        let mut grew = Vec::new();
        for entries in [n, 4 * n] {
            let text = grown(&base, kind, entries);
            let (steps, bounded) = steps_to_load(&text);
            prop_assert!(
                bounded,
                "{steps} steps for {} bytes (kind {}, {entries} entries): more than {STEPS_PER_BYTE} a byte",
                text.len(),
                kind % 7
            );
            grew.push(steps.saturating_sub(none));
        }
        prop_assert!(
            grew[1] <= 5 * grew[0] + FIXED_STEPS,
            "{} extra steps for {n} entries of kind {}, {} for {}: not linear",
            grew[0],
            kind % 7,
            grew[1],
            4 * n
        );
    }
}
