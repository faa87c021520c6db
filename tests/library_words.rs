//! Issue 29: the library and the core name a study's settings, never the
//! command line's flags. A text that names a setting marks it
//! (`backchannel::error::setting`, `setting_value`), and whoever shows the
//! text writes it in its own words: `--runs 200` on the command line,
//! `runs=200` in Python. This test fails when a string literal of the
//! library's or the core's code (outside their unit tests) spells a flag,
//! `--` and a letter, in a file not listed below with its reason.

use std::path::{Path, PathBuf};

/// Files whose literals may spell flags, each with its reason.
const ALLOWED: &[(&str, &str)] = &[
    // The command line that reproduces a study is an output of its own
    // (`manifest.json`'s `command`, the page's "Reproduce"), and a study's
    // identity names the command (docs/OUTPUTS.md): both are the command
    // line by design.
    ("crates/backchannel/src/publish/files.rs", "commands"),
    ("crates/backchannel/src/report/mod.rs", "a command"),
    ("crates/backchannel/src/study/backtest.rs", "a command"),
    ("crates/backchannel/src/study/key.rs", "identities"),
    ("crates/backchannel/src/output/study_key.rs", "identities"),
    // The command that reruns a missing shard is written into a partial
    // merge's summary.json (`partial.missing`), a file, in the command
    // line's words like every command a result file shows.
    ("crates/backchannel/src/study/merge.rs", "a shard's command"),
    (
        "crates/backchannel/src/study/design_shard.rs",
        "a shard's command",
    ),
    // The one place the settings a text marks are spelled as the command
    // line's flags, for result files, pages and the command line itself.
    (
        "crates/backchannel/src/output/words.rs",
        "the command line's words",
    ),
    // The page's style sheet has custom properties (`--ink`).
    ("crates/backchannel/src/report/page.rs", "CSS; page texts"),
];

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// Whether `line` has a string literal spelling a flag: `--` then a
/// lowercase letter inside double quotes. `inside` says whether the line
/// starts inside a literal, and is left as it ends.
fn spells_a_flag(line: &str, inside: &mut bool) -> bool {
    let code = line.trim_start();
    if !*inside && code.starts_with("//") {
        return false;
    }
    let code = code.replace("'\"'", "");
    let bytes = code.as_bytes();
    let mut found = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' if i == 0 || bytes[i - 1] != b'\\' => *inside = !*inside,
            b'-' if *inside
                && bytes.get(i + 1) == Some(&b'-')
                && bytes.get(i + 2).is_some_and(u8::is_ascii_lowercase)
                && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() && bytes[i - 1] != b'-') =>
            {
                found = true;
            }
            _ => {}
        }
    }
    found
}

#[test]
fn library_texts_name_settings_not_flags() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["crates/core/src", "crates/backchannel/src"] {
        sources(&root.join(dir), &mut files);
    }
    files.sort();
    let mut found = Vec::new();
    for file in &files {
        let relative = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if ALLOWED.iter().any(|(allowed, _)| *allowed == relative) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests spell flags to check what the command line prints.
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
        let mut inside = false;
        for (n, line) in code.lines().enumerate() {
            if spells_a_flag(line, &mut inside) {
                found.push(format!("{relative}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "library texts spelling a flag; mark the setting with \
         backchannel::error::setting or setting_value instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_sees_a_flag_and_nothing_else() {
    let flag = |line: &str| spells_a_flag(line, &mut false);
    assert!(flag(r#"    .help("e.g. --set format.mode=direct")"#));
    assert!(flag(r#"words.push("--given".into());"#));
    assert!(!flag("    // e.g. --set format.mode=direct"));
    assert!(!flag(r#"let x = a--b; "plain text""#));
    assert!(!flag(r#""a range 1--2 or ---- rule""#));
    assert!(!flag(r#"if c == '"' { x-- } "#));
    // A literal over two lines.
    let mut inside = false;
    assert!(!spells_a_flag(r#"format!("wide: with"#, &mut inside));
    assert!(spells_a_flag(
        r#"    --samples {n} these indices", n)"#,
        &mut inside
    ));
    assert!(!inside);
    // Allowed files exist, so the list does not outlive them.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (file, _) in ALLOWED {
        assert!(root.join(file).is_file(), "{file}");
    }
}
