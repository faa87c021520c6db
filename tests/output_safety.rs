//! A user's files are never lost: `--out` never removes or overwrites what
//! backchannel did not write, one study's results never silently replace
//! another's, and SIGINT, SIGTERM and SIGHUP stop a command promptly,
//! leaving the previous results and no temporary directory.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::{backchannel, json};

/// `minimal` quickly into `out`, from `cwd`, with `extra` arguments.
fn quick_run(cwd: &Path, out: Option<&Path>, extra: &[&str]) -> std::process::Output {
    let mut command = backchannel();
    command
        .current_dir(cwd)
        .args(["run", "minimal", "--no-plots"])
        .args(extra);
    if !extra.contains(&"--runs") {
        command.args(["--runs", "10"]);
    }
    if let Some(out) = out {
        command.arg("--out").arg(out);
    }
    command.output().unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

/// Hidden entries (temporary directories) left in `dir`.
fn hidden_entries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn out_never_deletes_a_users_directory() {
    let root = tempfile::tempdir().unwrap();
    let keep = root.path().join("x/keep");
    fs::create_dir_all(&keep).unwrap();
    fs::write(keep.join("thesis.txt"), "precious").unwrap();
    let output = quick_run(root.path(), Some(&keep), &["-q"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("thesis.txt"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("--out"), "{}", stderr(&output));
    assert_eq!(
        fs::read_to_string(keep.join("thesis.txt")).unwrap(),
        "precious"
    );
    assert_eq!(fs::read_dir(&keep).unwrap().count(), 1);
    assert!(hidden_entries(keep.parent().unwrap()).is_empty());
}

#[test]
fn out_never_holds_the_scenario_or_the_current_directory() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("study");
    fs::create_dir(&folder).unwrap();
    let scenario = folder.join("s.toml");
    fs::write(&scenario, support::two_party_scenario("s", 0.3, "")).unwrap();
    let output = backchannel()
        .current_dir(root.path())
        .args([
            "run",
            "study/s.toml",
            "--runs",
            "10",
            "--no-plots",
            "--out",
            "study",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("s.toml"), "{}", stderr(&output));
    assert!(scenario.exists());

    // Even an empty current directory is not replaced.
    let empty = root.path().join("empty");
    fs::create_dir(&empty).unwrap();
    for out in [".", "../empty"] {
        let output = quick_run(&empty, Some(Path::new(out)), &["-q"]);
        assert_eq!(output.status.code(), Some(2), "{out}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("current directory"),
            "{}",
            stderr(&output)
        );
    }
    assert!(empty.is_dir());
}

#[test]
fn merge_never_writes_over_its_shards() {
    let root = tempfile::tempdir().unwrap();
    for i in 0..2 {
        let status = backchannel()
            .current_dir(root.path())
            .args(["run", "minimal", "--runs", "20", "-q", "--shard"])
            .arg(format!("{i}/2"))
            .arg("--out")
            .arg(format!("shards/s{i}"))
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", stderr(&status));
    }
    let merge = |extra: &[&str]| {
        backchannel()
            .current_dir(root.path())
            .args(["merge", "shards/s0", "shards/s1", "--no-plots", "-q"])
            .args(extra)
            .output()
            .unwrap()
    };
    for out in ["shards", "shards/s0"] {
        let output = merge(&["--replace", "--out", out]);
        assert_eq!(output.status.code(), Some(2), "{out}: {}", stderr(&output));
        assert!(stderr(&output).contains("reads"), "{}", stderr(&output));
    }
    for i in 0..2 {
        let partial = format!("shards/s{i}/partial.json");
        assert!(root.path().join(partial).exists());
    }
    let output = merge(&["--out", "merged"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn variations_of_a_study_get_their_own_default_directories() {
    let root = tempfile::tempdir().unwrap();
    let news = root.path().join("news.toml");
    fs::write(&news, "[[observed]]\nround = 1\nchannel = \"active\"\n").unwrap();
    let variations: [&[&str]; 5] = [
        &[],
        &["--set", "parties.a.concession=2"],
        &["--given", "news.toml"],
        &["--precision", "0.2"],
        &["--seed", "7"],
    ];
    for extra in variations {
        let output = quick_run(root.path(), None, extra);
        assert!(output.status.success(), "{extra:?}: {}", stderr(&output));
        assert!(
            stdout(&output).contains("Results in output/minimal"),
            "{}",
            stdout(&output)
        );
    }
    let mut dirs: Vec<String> = fs::read_dir(root.path().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    dirs.sort();
    assert_eq!(
        dirs,
        [
            "minimal",
            "minimal-given-news",
            "minimal-precision-0.2",
            "minimal-seed-7",
            "minimal-set-parties.a.concession=2",
        ]
    );
    let summary = json(&root.path().join("output/minimal-seed-7/summary.json"));
    assert_eq!(summary["seed"], 7);
}

#[test]
fn another_study_is_replaced_only_with_replace_and_it_is_said() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("results");
    let first = quick_run(root.path(), Some(&out), &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(!stdout(&first).contains("Replaced"));

    // The same study again (more runs): replaced, and said so.
    let again = quick_run(root.path(), Some(&out), &["--runs", "30"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("Replaced the previous results of this study (10 runs)"),
        "{}",
        stdout(&again)
    );

    // Another study: refused, the results untouched.
    let before = fs::read(out.join("summary.json")).unwrap();
    let other = quick_run(root.path(), Some(&out), &["--seed", "9"]);
    assert_eq!(other.status.code(), Some(2), "{}", stderr(&other));
    assert!(stderr(&other).contains("--replace"), "{}", stderr(&other));
    assert!(stderr(&other).contains("different") || stderr(&other).contains("not of this study"));
    assert_eq!(fs::read(out.join("summary.json")).unwrap(), before);

    let replaced = quick_run(root.path(), Some(&out), &["--seed", "9", "--replace"]);
    assert!(replaced.status.success(), "{}", stderr(&replaced));
    assert!(
        stdout(&replaced).contains("as --replace asked"),
        "{}",
        stdout(&replaced)
    );
    assert_eq!(json(&out.join("summary.json"))["seed"], 9);
    assert!(hidden_entries(root.path()).is_empty());
}

#[test]
fn sweeps_of_different_keys_keep_their_own_results() {
    let root = tempfile::tempdir().unwrap();
    for vary in [
        "parties.a.concession=0.5..2:2",
        "parties.b.concession=0.5..2:2",
    ] {
        let output = backchannel()
            .current_dir(root.path())
            .args([
                "sweep",
                "minimal",
                "--runs",
                "10",
                "--no-plots",
                "-q",
                "--vary",
                vary,
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{vary}: {}", stderr(&output));
    }
    assert_eq!(fs::read_dir(root.path().join("output")).unwrap().count(), 2);
}

/// Start a long run into `out` and wait until it is writing (its temporary
/// directory exists).
fn start_long_run(root: &Path, out: &Path) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_backchannel"))
        .current_dir(root)
        .args(["run", "minimal", "--runs", "1000000000", "--threads", "2"])
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while hidden_entries(root).is_empty() {
        assert!(Instant::now() < deadline, "the run never started writing");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

fn send(child: &Child, signal: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Wait for `child`, failing if it takes more than `limit` (a hang guard,
/// far above the 1.5 s a command has to stop).
fn wait_within(mut child: Child, limit: Duration) -> (Option<i32>, String) {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut text = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            return (status.code(), text);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn every_stopping_signal_stops_a_run_and_keeps_the_previous_results() {
    let root = tempfile::tempdir().unwrap();
    let out: PathBuf = root.path().join("results");
    let first = quick_run(root.path(), Some(&out), &["-q"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = fs::read(out.join("summary.json")).unwrap();
    for (signal, status) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let child = start_long_run(root.path(), &out);
        send(&child, signal);
        let (code, text) = wait_within(child, Duration::from_secs(20));
        assert_eq!(code, Some(status), "SIG{signal}: {text}");
        assert!(
            text.contains(&format!("interrupted by SIG{signal}")),
            "{text}"
        );
        assert!(
            hidden_entries(root.path()).is_empty(),
            "SIG{signal} left a temporary"
        );
        assert_eq!(fs::read(out.join("summary.json")).unwrap(), before);
    }
}

#[test]
fn a_second_signal_stops_at_once() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("results");
    let child = start_long_run(root.path(), &out);
    send(&child, "INT");
    send(&child, "INT");
    let (code, _) = wait_within(child, Duration::from_secs(20));
    assert_eq!(code, Some(130));
    assert!(!out.exists());
    assert!(hidden_entries(root.path()).is_empty());
}

#[test]
fn a_killed_runs_temporary_directory_is_removed_by_the_next_run() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("results");
    let mut child = start_long_run(root.path(), &out);
    send(&child, "KILL");
    child.wait().unwrap();
    assert_eq!(hidden_entries(root.path()).len(), 1, "SIGKILL leaves it");
    let next = quick_run(root.path(), Some(&out), &["-q"]);
    assert!(next.status.success(), "{}", stderr(&next));
    assert!(hidden_entries(root.path()).is_empty());
}

/// Start `args` in `root` and give it `settle` to get going.
fn start(root: &Path, args: &[&str], settle: Duration) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_backchannel"))
        .current_dir(root)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(settle);
    child
}

#[test]
fn signals_stop_commands_that_write_nothing_and_phases_without_runs() {
    let root = tempfile::tempdir().unwrap();
    let fifo = root.path().join("fifo.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo");
    // `validate` waiting on a FIFO with no writer.
    let child = start(
        root.path(),
        &["validate", "fifo.toml"],
        Duration::from_millis(500),
    );
    send(&child, "INT");
    let (code, text) = wait_within(child, Duration::from_secs(20));
    assert_eq!(code, Some(130), "{text}");
    assert!(text.contains("interrupted by SIGINT"), "{text}");
    // A sweep of a million points, stopped while it checks and builds them.
    let child = start(
        root.path(),
        &[
            "sweep",
            "minimal",
            "--runs",
            "1",
            "-q",
            "--no-plots",
            "--vary",
            "parties.a.concession=0.5..2:1000",
            "--vary",
            "parties.b.concession=0.5..2:1000",
        ],
        Duration::from_millis(1500),
    );
    send(&child, "TERM");
    let (code, text) = wait_within(child, Duration::from_secs(20));
    assert_eq!(code, Some(143), "{text}");
    assert!(
        !root.path().join("output").exists()
            || hidden_entries(&root.path().join("output")).is_empty()
    );
}

/// `minimal` with its page, quickly, into `dir`.
fn run_with_page(dir: &Path) -> std::process::Output {
    backchannel()
        .args(["run", "minimal", "--runs", "10", "-q", "--out"])
        .arg(dir)
        .output()
        .unwrap()
}

#[test]
fn an_index_links_the_studies_of_a_folder_once_it_holds_two() {
    let root = tempfile::tempdir().unwrap();
    let index = root.path().join("index.html");
    assert!(run_with_page(&root.path().join("first")).status.success());
    assert!(!index.exists(), "one study needs no index");
    let output = run_with_page(&root.path().join("second"));
    assert!(output.status.success(), "{}", stderr(&output));
    let html = fs::read_to_string(&index).unwrap();
    assert!(html.contains("<meta name=\"generator\" content=\"backchannel index\">"));
    for study in ["first", "second"] {
        assert!(
            html.contains(&format!("href=\"{study}/report.html\"")),
            "{html}"
        );
    }
    assert!(html.contains("backchannel run minimal --seed"), "{html}");
    assert!(html.contains(" UTC</td>"), "the date: {html}");
    // Rebuilt from the folder: a study removed is no longer listed.
    fs::remove_dir_all(root.path().join("first")).unwrap();
    assert!(run_with_page(&root.path().join("third")).status.success());
    let html = fs::read_to_string(&index).unwrap();
    assert!(!html.contains("first/report.html") && html.contains("third/report.html"));
    assert!(
        hidden_entries(root.path()).is_empty(),
        "{:?}",
        hidden_entries(root.path())
    );
}

#[test]
fn an_index_html_backchannel_did_not_write_is_left_alone() {
    let root = tempfile::tempdir().unwrap();
    let index = root.path().join("index.html");
    fs::write(&index, "<html>my own page</html>").unwrap();
    assert!(run_with_page(&root.path().join("first")).status.success());
    let output = run_with_page(&root.path().join("second"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("backchannel did not write it"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        fs::read_to_string(&index).unwrap(),
        "<html>my own page</html>"
    );
    // Nor a link in its place, nor a directory.
    fs::remove_file(&index).unwrap();
    fs::create_dir(&index).unwrap();
    assert!(run_with_page(&root.path().join("third")).status.success());
    assert!(index.is_dir());
}
