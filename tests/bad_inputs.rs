//! The bad-input corpus (issue 7): every file in `tests/bad-scenarios/`
//! states in its header what is wrong and the message it must produce
//! (`# expect: ...` lines). Each must give exit status 2, every expected
//! message, the file's name, no panic and no output. Command-line mistakes
//! are in the table below; add a case with one line.

use std::fs;
use std::path::{Path, PathBuf};

mod support;

use support::{backchannel, refused};

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-scenarios");
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_file_gets_its_message_and_exit_status_2() {
    let files = corpus();
    assert!(files.len() >= 40, "the corpus has {} files", files.len());
    let scratch = tempfile::tempdir().unwrap();
    for file in files {
        let header = String::from_utf8_lossy(&fs::read(&file).unwrap()).to_string();
        let expected: Vec<&str> = header
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .collect();
        assert!(
            !expected.is_empty(),
            "{} states no expected message",
            file.display()
        );
        let path = file.to_str().unwrap();
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        for command in [&["validate", path][..], &["run", path][..]] {
            let stderr = refused(scratch.path(), command);
            assert!(
                stderr.contains(&name),
                "{name}: the message names the file\n{stderr}"
            );
            for e in &expected {
                assert!(stderr.contains(e), "{name}: expected {e:?} in\n{stderr}");
            }
        }
    }
}

/// Problems that have a place are shown at file:line:column with a caret.
#[test]
fn located_problems_show_line_column_and_caret() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-scenarios");
    for (file, place) in [
        (
            "probability-above-one.toml",
            "probability-above-one.toml:13:18",
        ),
        ("unknown-party-key.toml", "unknown-party-key.toml:13:1"),
        (
            "wrong-type-horizon-string.toml",
            "wrong-type-horizon-string.toml:6:11",
        ),
        (
            "malformed-unclosed-header.toml",
            "malformed-unclosed-header.toml:3:10",
        ),
    ] {
        let stderr = refused(
            scratch.path(),
            &["validate", dir.join(file).to_str().unwrap()],
        );
        assert!(
            stderr.contains(place),
            "{file}: expected {place} in\n{stderr}"
        );
        assert!(
            stderr.contains('^'),
            "{file}: a caret under the problem\n{stderr}"
        );
    }
}

/// Files too large for a hand-written scenario, directories, and (when not
/// running as root, who may read anything) unreadable files.
#[test]
fn unusable_files_are_refused() {
    let scratch = tempfile::tempdir().unwrap();
    let huge = scratch.path().join("huge.toml");
    fs::write(&huge, "# ".repeat(3 * 1024 * 1024)).unwrap();
    let stderr = refused(scratch.path(), &["validate", huge.to_str().unwrap()]);
    assert!(
        stderr.contains("a scenario file may be at most"),
        "{stderr}"
    );
    fs::remove_file(&huge).unwrap();
    let dir = scratch.path().join("a-directory");
    fs::create_dir(&dir).unwrap();
    assert!(
        refused(scratch.path(), &["validate", dir.to_str().unwrap()]).contains("is a directory")
    );
    fs::remove_dir(&dir).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = scratch.path().join("locked.toml");
        fs::write(&locked, "[scenario]\n").unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(&locked).is_err() {
            assert!(
                refused(scratch.path(), &["validate", locked.to_str().unwrap()])
                    .contains("cannot read")
            );
        }
        fs::remove_file(&locked).unwrap();
    }
}

/// A generated file with a thousand entries of 33 unknown keys each (it
/// took minutes when every problem was located and shown): the first
/// problems are shown, the rest counted. The timeout only guards against a
/// hang.
#[test]
fn thousands_of_problems_are_counted_not_all_shown() {
    let scratch = tempfile::tempdir().unwrap();
    let entries: String = (0..1000)
        .map(|i| {
            let junk: String = (0..33).map(|k| format!("junk{k} = 1\n")).collect();
            format!("\n[[spoilers]]\nid = \"s{i}\"\n{junk}")
        })
        .collect();
    let text = support::two_party_scenario("hostile", 0.2, &entries);
    let file = support::write(scratch.path(), "hostile.toml", &text);
    let output = backchannel()
        .args(["validate", file.to_str().unwrap()])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("31900 more problems not shown (32000 in all)"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("unknown field `junk").count(), 2 * 100);
    assert!(
        stderr.contains("error: 32000 problems; nothing was run or written"),
        "{stderr}"
    );
}

/// A rejected 120 KB `--set` value (issue 33) is shown once: cut to fit
/// on its source line, while the title and the label under the caret give
/// only its length. The same for a value of the wrong type and for a key
/// nobody knows.
#[test]
fn a_long_set_value_is_shown_once() {
    let scratch = tempfile::tempdir().unwrap();
    let long = "x".repeat(120_000);
    for set in [
        format!("format.mode={long}"),
        format!("format.leak_hazard=\"{long}\""),
        format!("format.{long}=1"),
    ] {
        let stderr = refused(scratch.path(), &["run", "minimal", "--set", &set]);
        assert!(stderr.len() < 1024, "{} bytes:\n{stderr}", stderr.len());
        let showing: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains("xxxxxxxxxx"))
            .collect();
        assert_eq!(showing.len(), 1, "{stderr}");
        assert!(showing[0].starts_with("1 | "), "{stderr}");
        assert!(stderr.contains(" (1200"), "the length is given:\n{stderr}");
        assert!(stderr.contains("--set:1:"), "{stderr}");
    }
}

/// A scenario read from a pipe is welcome, and bounded like a file.
#[test]
fn scenarios_can_come_through_a_pipe() {
    let text = support::two_party_scenario("piped", 0.2, "");
    let output = backchannel()
        .args(["validate", "/dev/stdin"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("ok  /dev/stdin: piped"));
}

/// A symbolic link loop is a file that cannot be read, not an unknown
/// embedded scenario.
#[test]
fn a_symlink_loop_says_why_it_cannot_be_read() {
    let scratch = tempfile::tempdir().unwrap();
    let (one, two) = (scratch.path().join("one"), scratch.path().join("two"));
    std::os::unix::fs::symlink(&two, &one).unwrap();
    std::os::unix::fs::symlink(&one, &two).unwrap();
    let stderr = refused(scratch.path(), &["validate", one.to_str().unwrap()]).to_lowercase();
    assert!(
        stderr.contains("cannot read") && stderr.contains("too many levels of symbolic links"),
        "{stderr}"
    );
}

/// Command-line mistakes, one line each: arguments and a message fragment.
#[test]
fn bad_command_lines_are_refused() {
    let scratch = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["run", "--runs", "0"],
            "`--runs`: expected a number from 1",
        ),
        (&["run", "--runs", "18446744073709551616"], "--runs"),
        (
            &["run", "--seed", "9223372036854775808"],
            "invalid value '9223372036854775808' for '--seed <SEED>'",
        ),
        (
            &["trace", "--run", "0", "--seed", "18446744073709551615"],
            "is not in 0..=9223372036854775807",
        ),
        (
            &["run", "--runs", "10", "--worlds", "200"],
            "10 runs leave some of --worlds 200 without a run",
        ),
        (&["run", "--threads", "0"], "`--threads`"),
        (&["run", "--set", "format.mode"], "expected KEY=VALUE"),
        (
            &[
                "run",
                "--set",
                &format!("{}=1", vec!["a"; 20_000].join(".")),
            ],
            "--set:1:1",
        ),
        (
            &["run", "--set", "spoilers.nobody.capability=0.1"],
            "no entry of `spoilers` has id `nobody`",
        ),
        (
            &["run", "--set", "scenario.horizon=abc"],
            "`scenario.horizon`",
        ),
        (&["run", "--precision", "2"], "`--precision`"),
        (&["run", "--shard", "3/2"], "`--shard`"),
        (
            &["run", "minimal", "--runs", "3", "--shard", "0/4"],
            "would leave some shards empty",
        ),
        (
            &["run", "--runs", "20000000000", "--save-runs"],
            "would take about",
        ),
        (
            &["sweep", "--vary", "spoilers.israel.capability=0..1"],
            "no ':STEPS'",
        ),
        (
            &["sweep", "--vary", "spoilers.israel.capability=1..0:3"],
            "expected LO below HI",
        ),
        (
            &["sweep", "--vary", "scenario.horizon=1.5..3:2"],
            "takes whole numbers",
        ),
        (
            &["sensitivity", "--vary", "spoilers.israel.capability=0..1:3"],
            "steps are not used here",
        ),
        (
            &[
                "sensitivity",
                "--vary",
                "spoilers.israel.capability=0..2",
                "--runs",
                "400",
            ],
            "expected a probability in [0, 1]",
        ),
        (&["indicators", "--at", "99"], "`--at`"),
        (
            &["compare", "muscat-2026", "nonexistent-scenario"],
            "no scenario file or embedded scenario",
        ),
        (
            &["compare", "muscat-2026", "muscat-2025", "--runs", "10"],
            "are not comparable",
        ),
        (&["merge", "no-such-dir"], "cannot read"),
        (
            &["init", &"a".repeat(300)],
            "expected a name of at most 64 characters, found 300",
        ),
        (
            &["validate", "/dev/zero"],
            "/dev/zero is larger than 4194304 bytes",
        ),
        (
            &["run", "--runs", "10", "--given", "/dev/zero"],
            "an observations file may be at most 4194304 bytes",
        ),
        (&["merge", "/dev/zero"], "/dev/zero is larger than"),
        (
            &["trace", "--run", "1", "--given", "missing.toml"],
            "cannot read",
        ),
    ];
    for (args, message) in cases {
        let stderr = refused(scratch.path(), args);
        assert!(
            stderr.contains(message),
            "{args:?}: expected {message:?} in\n{stderr}"
        );
    }
    // An output path that is a file.
    let file = scratch.path().join("taken");
    fs::write(&file, "").unwrap();
    let output = backchannel()
        .args(["run", "--runs", "10", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a directory"));

    // An output path in a directory nobody may write in.
    let locked = unwritable_dir(scratch.path()).expect("an unwritable directory");
    let output = backchannel()
        .args(["run", "--runs", "10", "--out"])
        .arg(locked.join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write in"), "{stderr}");
    assert!(!locked.join("out").exists());
}

/// A directory this process cannot create entries in: a read-only one, or,
/// when running as root (which ignores permissions), sysfs's `/sys/kernel`,
/// which refuses new entries even to root.
fn unwritable_dir(scratch: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let locked = scratch.join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    let probe = locked.join("probe");
    if fs::create_dir(&probe).is_err() {
        return Some(locked);
    }
    fs::remove_dir(&probe).unwrap();
    let sys = PathBuf::from("/sys/kernel");
    (sys.is_dir() && fs::create_dir(sys.join("probe")).is_err()).then_some(sys)
}
