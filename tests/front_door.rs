//! The front door's builders for trace, shards and merge, driven as a
//! library user drives them, against what the engine gives directly.

use backchannel::engine::Worlds;
use backchannel::engine::conditioning::Checker;
use backchannel::engine::streams::StudyStreams;
use backchannel::engine::worlds::DEFAULT_WORLDS;
use backchannel::model::{RunState, simulate};
use backchannel::{Merge, Observations, Scenario, Study, Trace};

/// The index of the `k`-th run (from 0) consistent with `observations`,
/// found the plain way: one run after another from index 0.
fn nth_consistent_one_by_one(scenario: &Scenario, observations: &str, seed: u64, k: u64) -> u64 {
    let loaded = backchannel::scenario::load("muscat-2026", &[]).unwrap();
    assert_eq!(loaded.scenario.scenario.name, scenario.name());
    let given = backchannel::scenario::observations::parse_observations(
        "obs.toml",
        observations,
        &loaded.scenario,
    )
    .unwrap();
    let worlds = Worlds::draw(&loaded, seed, DEFAULT_WORLDS).unwrap();
    let mut streams = StudyStreams::new(seed, &worlds.shape().streams.ids);
    let mut state = RunState::new(worlds.shape());
    let mut checker = Checker::new(worlds.shape(), &given.items);
    let mut found = 0;
    for run in 0.. {
        streams.start_run(run);
        checker.reset();
        simulate(worlds.model_of(run), &mut streams, &mut state, &mut checker);
        checker.finish(&state);
        if checker.all_hold() {
            if found == k {
                return run;
            }
            found += 1;
        }
    }
    unreachable!()
}

/// A trace given observations replays the K-th consistent run, on any
/// number of threads: the engine's conditional study finds the same run as
/// examining runs one by one.
#[test]
fn a_trace_given_observations_replays_the_kth_consistent_run() {
    let scenario = Scenario::load("muscat-2026").unwrap();
    let text = "[[observed]]\nround = 3\nchannel = \"suspended\"\n";
    let observations = Observations::from_toml(text, "obs.toml", &scenario).unwrap();
    for k in [0, 1, 7, 40] {
        let expected = nth_consistent_one_by_one(&scenario, text, 11, k);
        for threads in [1, 2] {
            let trace = Trace::new(&scenario, k)
                .seed(11)
                .threads(threads)
                .given(&observations)
                .run()
                .unwrap();
            assert_eq!(trace.run, expected, "k = {k}, {threads} threads");
            let consistent = trace.consistent.as_ref().unwrap();
            assert_eq!(consistent.rank, k);
            // The replay shows the channel suspended at the end of round 3.
            let state = trace
                .lines
                .iter()
                .find(|l| l.round == 3 && l.json["type"] == "state")
                .unwrap();
            assert_eq!(state.json["channel"], "suspended");
        }
    }
}

/// Both forms of a trace hold the same lines: one JSON object per line of
/// text that is not a round's heading, the outcome last.
#[test]
fn a_traces_text_and_json_line_up() {
    let scenario = Scenario::load("muscat-2026").unwrap();
    let trace = Trace::new(&scenario, 5).seed(3).run().unwrap();
    let json = trace.json_lines();
    let text = trace.text_lines();
    assert_eq!(json.len(), trace.lines.len() + 1);
    let rounds = trace.lines.last().unwrap().round as usize;
    // The heading, the world (with judged inputs), each round's heading,
    // each line, a blank line and the outcome.
    let world = usize::from(trace.world.is_some());
    assert_eq!(text.len(), 1 + world + rounds + trace.lines.len() + 2);
    assert_eq!(text[text.len() - 2], "");
    let outcome: serde_json::Value = serde_json::from_str(json.last().unwrap()).unwrap();
    assert_eq!(outcome, trace.outcome);
    assert_eq!(outcome["run"], 5);
    assert_eq!(text.last().unwrap(), &trace.outcome_text);
}

/// Shards run and merged through the library give exactly the study's
/// summary, byte for byte.
#[test]
fn shards_merged_are_the_study() {
    let scenario = Scenario::load("muscat-2026").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut dirs = Vec::new();
    for index in 0..3 {
        let shard = Study::new(&scenario)
            .runs(3001)
            .seed(5)
            .threads(2)
            .shard(index, 3)
            .unwrap();
        assert_eq!(shard.study_runs(), 3001);
        let path = dir.path().join(format!("shard-{index}"));
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("partial.json"), shard.to_json()).unwrap();
        dirs.push(path.display().to_string());
    }
    let merged = Merge::new(&dirs).run().unwrap();
    assert_eq!(
        (merged.shards, merged.runs, merged.missing),
        (3, 3001, None)
    );
    let study = Study::new(&scenario).runs(3001).seed(5).run().unwrap();
    assert_eq!(merged.study.summary.to_json(), study.summary.to_json());
    let partial = Merge::new(&dirs[..2]).partial(true).run().unwrap();
    assert_eq!(partial.study.summary.runs, 2000);
    assert!(partial.missing.unwrap().contains("2000..3001"));
}

/// A shard of a study that is not of fixed size, or a shard that cannot
/// be, is bad input.
#[test]
fn impossible_shards_are_refused() {
    let scenario = Scenario::load("muscat-2026").unwrap();
    let refused = |study: Study, index, count| match study.shard(index, count) {
        Err(backchannel::Error::Input(d)) => d[0].title().split(':').next().map(String::from),
        other => panic!("{:?}", other.map(|s| s.to_json())),
    };
    // The library names its setting, `shard`; the command line writes it
    // as `--shard` (tests/shards.rs).
    let shard_key = Some("`shard`".to_string());
    assert_eq!(refused(Study::new(&scenario).runs(10), 3, 3), shard_key);
    assert_eq!(refused(Study::new(&scenario).runs(10), 0, 0), shard_key);
    assert_eq!(refused(Study::new(&scenario).runs(2), 0, 3), shard_key);
    assert_eq!(
        refused(Study::new(&scenario).runs(10).precision(0.01), 0, 2),
        shard_key
    );
    assert!(matches!(
        Merge::new::<&str>(&[]).run(),
        Err(backchannel::Error::Input(_))
    ));
}

/// `Study::write_to` writes the files `run --out DIR` writes, the same
/// summary byte for byte; it replaces its own earlier results and refuses a
/// directory holding a file backchannel did not write, leaving it as it was.
#[test]
fn write_to_writes_what_run_writes_and_never_a_foreign_directory() {
    let root = tempfile::tempdir().unwrap();
    let (library, cli) = (root.path().join("library"), root.path().join("cli"));
    let scenario = Scenario::load("minimal").unwrap();
    let study = || Study::new(&scenario).runs(2_000).seed(11);
    let results = study().write_to(&library).unwrap();
    for name in [
        "summary.json",
        "summary.csv",
        "manifest.json",
        "report.html",
    ] {
        assert!(library.join(name).is_file(), "{name} missing");
    }
    assert!(results.manifest.files.iter().any(|f| f == "report.html"));
    // Again: the same study's results are replaced.
    study().write_to(&library).unwrap();

    let status = std::process::Command::new(env!("CARGO_BIN_EXE_backchannel"))
        .args([
            "run", "minimal", "--runs", "2000", "--seed", "11", "-q", "--out",
        ])
        .arg(&cli)
        .status()
        .unwrap();
    assert!(status.success());
    let read = |dir: &std::path::Path| std::fs::read(dir.join("summary.json")).unwrap();
    assert_eq!(read(&library), read(&cli));

    let foreign = root.path().join("thesis");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("chapter1.txt"), "mine").unwrap();
    let Err(error) = study().write_to(&foreign) else {
        panic!("a directory holding a user's file was written into");
    };
    assert!(matches!(error, backchannel::Error::Input(_)), "{error}");
    let left: Vec<_> = std::fs::read_dir(&foreign).unwrap().collect();
    assert_eq!(left.len(), 1);
    assert_eq!(
        std::fs::read_to_string(foreign.join("chapter1.txt")).unwrap(),
        "mine"
    );
}

/// A writer whose disk is always full.
struct FullDisk;

impl std::io::Write for FullDisk {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "no space left",
        ))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A failure says what could not be done, and keeps the error that made
/// it fail as its source, down to the `io::Error` (issue 29).
#[test]
fn a_failure_keeps_the_io_error_as_its_source() {
    let scenario = Scenario::load("minimal").unwrap();
    let error = Study::new(&scenario)
        .runs(10_000)
        .runs_csv(FullDisk)
        .run()
        .expect_err("runs.csv cannot be written");
    assert!(
        matches!(error, backchannel::Error::Failure { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("cannot write"), "{error}");
    let mut source = std::error::Error::source(&error);
    let mut io = None;
    while let Some(cause) = source {
        io = io.or(cause.downcast_ref::<std::io::Error>());
        source = cause.source();
    }
    let io = io.expect("an io::Error among the sources");
    assert_eq!(io.kind(), std::io::ErrorKind::StorageFull);
}

/// Typed values (`Scenario::with_typed_values`, what Python's
/// `with_values` calls) make the scenario `--set` makes of the arguments
/// that name them: the same text, SHA-256 and summary.json, byte for byte.
#[test]
fn typed_values_publish_what_the_command_lines_set_does() {
    use backchannel::{SetEntry, SetValue};
    let typed = [
        ("format.mode", SetValue::Text("direct".into())),
        ("spoilers.israel.capability", SetValue::Float(0.35)),
        ("scenario.horizon", SetValue::Integer(10)),
        (
            "format.leak_hazard",
            SetValue::Table(vec![SetEntry::new(
                "uniform",
                SetValue::List(vec![SetValue::Float(0.05), SetValue::Float(0.15)]),
            )]),
        ),
    ];
    let scenario = Scenario::load("muscat-2026")
        .unwrap()
        .with_typed_values(&typed)
        .unwrap();
    assert_eq!(
        scenario.values_set(),
        [
            "format.mode=direct",
            "spoilers.israel.capability=0.35",
            "scenario.horizon=10",
            "format.leak_hazard={ uniform = [0.05, 0.15] }",
        ]
    );
    let written = Scenario::load("muscat-2026")
        .unwrap()
        .with_values(scenario.values_set())
        .unwrap();
    assert_eq!(written.toml(), scenario.toml());
    assert_eq!(written.sha256(), scenario.sha256());

    let root = tempfile::tempdir().unwrap();
    let cli = root.path().join("cli");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_backchannel"));
    command.args([
        "run",
        "muscat-2026",
        "--runs",
        "1000",
        "--seed",
        "4",
        "-q",
        "--no-plots",
    ]);
    for set in scenario.values_set() {
        command.args(["--set", set]);
    }
    assert!(command.arg("--out").arg(&cli).status().unwrap().success());
    let results = Study::new(&scenario).runs(1000).seed(4).run().unwrap();
    let summary = std::fs::read_to_string(cli.join("summary.json")).unwrap();
    assert_eq!(results.summary.to_json(), summary);
}
