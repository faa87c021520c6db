//! A calibration across machines (issue 31): each generation's worlds
//! split by `calibrate --generation-dir DIR --shard I/N`, folded by
//! `--step`, until the stopping rule holds; the files written are one
//! machine's, byte for byte, whatever the shards; shards of another
//! calibration or generation, and missing shards, refused by name;
//! `--missing`; a rerun skipping complete shards.

use std::fs;
use std::path::Path;
use std::process::Output;

mod support;

use support::{backchannel, files, refused, write};

/// Two targets sharing a hazard on the constant-hazard scenario: 300
/// worlds a generation (two groups of worlds), 20 runs a world; the
/// stopping rule holds after three generations.
fn calibration(seed: u64) -> String {
    let scenario = format!(
        "{}/scenarios/validation/constant-hazard.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let target = |name: &str, horizon: u32, observed: u64| {
        format!(
            "[[targets]]\nname = \"{name}\"\nscenario = \"{scenario}\"\nset = [\"scenario.horizon={horizon}\", \"shocks.break.hazard={{ uniform = [0.0, 0.3] }}\"]\noutcome = \"channel_continued\"\nobserved = {observed}\ntrials = 100\n"
        )
    };
    format!(
        "[calibration]\nworlds = 300\nruns_per_world = 20\nmin_ess = 250\nmax_generations = 4\nseed = {seed}\n\n{}\n{}",
        target("survival", 10, 40),
        target("short", 4, 70)
    )
}

/// `calibrate cal.toml ARGS` in `dir`.
fn calibrate(dir: &Path, args: &[&str]) -> Output {
    backchannel()
        .current_dir(dir)
        .args(["calibrate", "cal.toml", "--threads", "1"])
        .args(args)
        .output()
        .unwrap()
}

/// `calibrate cal.toml ARGS` in `dir`, which must succeed: its stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let output = calibrate(dir, args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).to_string()
}

/// The driver loop a cluster runs: while `--next` names a generation, its
/// shards (`shards(g)` of them), then `--step` into `out`. The number of
/// generations run.
fn drive(dir: &Path, generations: &str, out: &str, shards: impl Fn(u64) -> u64) -> u64 {
    let mut run = 0;
    loop {
        let next = ok(dir, &["--generation-dir", generations, "--next"]);
        if next.trim() == "done" {
            return run;
        }
        let generation: u64 = next.trim().parse().unwrap();
        assert_eq!(generation, run);
        let n = shards(generation);
        for i in 0..n {
            let shard = format!("{i}/{n}");
            ok(
                dir,
                &[
                    "--generation-dir",
                    generations,
                    "--shard",
                    &shard,
                    "--quiet",
                ],
            );
        }
        ok(
            dir,
            &["--generation-dir", generations, "--step", "--out", out],
        );
        run += 1;
    }
}

#[test]
fn a_calibration_sharded_by_generation_writes_one_machines_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "cal.toml", &calibration(11));
    ok(dir.path(), &["--out", "one", "--quiet"]);
    let one = files(&dir.path().join("one"));
    assert!(one.iter().any(|(name, _)| name == "calibration.json"));
    assert!(
        one.iter()
            .any(|(name, _)| name == "calibrated/survival.toml")
    );
    // Three shards every generation; then a different split each
    // generation, 40 shards cutting groups of worlds and targets apart.
    for (generations, out, split) in [
        ("g3", "three", [3, 3, 3, 3]),
        ("gmixed", "mixed", [1, 7, 40, 1]),
    ] {
        let run = drive(dir.path(), generations, out, |g| split[g as usize]);
        assert_eq!(run, 3, "three generations, as on one machine");
        assert!(
            files(&dir.path().join(out)) == one,
            "{out}: the files differ from one machine's"
        );
    }
    // Once complete, another step writes the files again and no shard runs.
    ok(
        dir.path(),
        &[
            "--generation-dir",
            "g3",
            "--step",
            "--out",
            "again",
            "--quiet",
        ],
    );
    assert!(files(&dir.path().join("again")) == one);
    let stderr = refused(
        dir.path(),
        &[
            "calibrate",
            "cal.toml",
            "--generation-dir",
            "g3",
            "--shard",
            "0/3",
        ],
    );
    assert!(stderr.contains("is complete"), "{stderr}");
}

#[test]
fn missing_shards_are_named_and_a_rerun_skips_complete_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "cal.toml", &calibration(11));
    let shard = |i: u64| {
        ok(
            dir.path(),
            &["--generation-dir", "g", "--shard", &format!("{i}/5")],
        )
    };
    assert!(shard(1).contains("written"));
    assert!(shard(3).contains("written"));
    assert!(shard(3).contains("skipped"), "a complete shard is skipped");
    assert_eq!(
        ok(dir.path(), &["--generation-dir", "g", "--missing"]).trim(),
        "0,2,4"
    );
    let stderr = refused(
        dir.path(),
        &["calibrate", "cal.toml", "--generation-dir", "g", "--step"],
    );
    assert!(
        stderr.contains("generation 0") && stderr.contains("missing shards 0,2,4 of 5"),
        "{stderr}"
    );
    for i in [0, 2, 4] {
        shard(i);
    }
    let stepped = ok(dir.path(), &["--generation-dir", "g", "--step"]);
    assert!(stepped.contains("next: generation 1"), "{stepped}");
    assert_eq!(
        ok(dir.path(), &["--generation-dir", "g", "--next"]).trim(),
        "1"
    );
    // Generation 1 counts its own shards.
    ok(dir.path(), &["--generation-dir", "g", "--shard", "0/2"]);
    assert_eq!(
        ok(dir.path(), &["--generation-dir", "g", "--missing"]).trim(),
        "1"
    );
}

#[test]
fn shards_of_another_calibration_or_generation_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "cal.toml", &calibration(11));
    ok(d, &["--generation-dir", "g", "--shard", "0/2"]);
    // Another seed, into this calibration's generation.
    ok(
        d,
        &[
            "--generation-dir",
            "g",
            "--shard",
            "1/2",
            "--seed",
            "5",
            "--replace",
        ],
    );
    let stderr = refused(
        d,
        &["calibrate", "cal.toml", "--generation-dir", "g", "--step"],
    );
    assert!(
        stderr.contains(
            "shard-1/partial.json: a shard of a different calibration: seed 5, expected 11"
        ),
        "{stderr}"
    );
    ok(d, &["--generation-dir", "g", "--shard", "1/2", "--replace"]);
    ok(d, &["--generation-dir", "g", "--step"]);
    // Generation 0's shard put among generation 1's.
    let moved = d.join("g/generation-1/shard-0");
    fs::create_dir_all(&moved).unwrap();
    fs::copy(
        d.join("g/generation-0/shard-0/partial.json"),
        moved.join("partial.json"),
    )
    .unwrap();
    let stderr = refused(
        d,
        &["calibrate", "cal.toml", "--generation-dir", "g", "--step"],
    );
    assert!(
        stderr.contains("a shard of generation 0, expected generation 1"),
        "{stderr}"
    );
    // An edited file is another calibration: its folded generations are
    // refused, naming what changed.
    write(
        d,
        "cal.toml",
        &calibration(11).replace("min_ess = 250", "min_ess = 200"),
    );
    let stderr = refused(
        d,
        &["calibrate", "cal.toml", "--generation-dir", "g", "--next"],
    );
    assert!(
        stderr.contains("a generation of a different calibration")
            && stderr.contains("the file's sha256")
            && stderr.contains("min_ess 250, expected 200"),
        "{stderr}"
    );
    // Edited counts are refused.
    write(d, "cal.toml", &calibration(11));
    let counts = d.join("g/generation-0/folded/counts.json");
    let mut edited = support::json(&counts);
    edited["counts"][0].as_array_mut().unwrap().push(21.into());
    let edited = serde_json::to_string(&edited).unwrap();
    fs::write(&counts, edited).unwrap();
    let stderr = refused(
        d,
        &["calibrate", "cal.toml", "--generation-dir", "g", "--next"],
    );
    assert!(
        stderr.contains("counts.json: counts is not 2 targets of 300 worlds"),
        "{stderr}"
    );
}

#[test]
fn a_shard_without_a_generation_directory_is_refused_with_what_to_add() {
    let dir = tempfile::tempdir().unwrap();
    for flag in ["--shard=0/2", "--step", "--next", "--missing"] {
        let stderr = refused(dir.path(), &["calibrate", "c.toml", flag]);
        assert!(
            stderr.contains("add --generation-dir DIR"),
            "{flag}: {stderr}"
        );
    }
    write(dir.path(), "cal.toml", &calibration(11));
    let stderr = refused(
        dir.path(),
        &["calibrate", "cal.toml", "--generation-dir", "g"],
    );
    assert!(
        stderr.contains("needs one of --shard I/N, --step"),
        "{stderr}"
    );
}

/// examples/cluster/calibrate-parallel.sh's plain loop (NO_GNU_PARALLEL=1)
/// into paths with spaces, the seed given after `--`: every generation in
/// 4 shards, folded, until the calibration writes one machine's files. Its
/// GNU parallel branch runs the same commands; the SLURM driver is tested
/// on a real SLURM by examples/cluster/test-slurm.sh.
#[test]
fn the_example_script_drives_the_generations_to_one_machines_files() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "cal.toml",
        &calibration(11).replace("seed = 11\n", ""),
    );
    ok(dir.path(), &["--seed", "11", "--out", "one", "--quiet"]);
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/cluster/calibrate-parallel.sh"
    );
    let output = std::process::Command::new("bash")
        .current_dir(dir.path())
        .args([
            script,
            "cal.toml",
            "4",
            "my generations",
            "my results",
            "--",
            "--seed",
            "11",
        ])
        .env("BACKCHANNEL", env!("CARGO_BIN_EXE_backchannel"))
        .env("NO_GNU_PARALLEL", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.matches("in 4 shards").count(), 3, "{stdout}");
    assert!(files(&dir.path().join("my results")) == files(&dir.path().join("one")));
}
