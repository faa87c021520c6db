//! The layering ARCHITECTURE.md states, checked.
//!
//! Between crates the compiler keeps it: a crate can only name what its
//! manifest depends on, so the first test checks the manifests (the core
//! depends on no other crate of the workspace and on nothing that draws,
//! parses a command line or handles signals; the library on the core and
//! on no command-line crate). Within a crate, every `crate::<module>` a
//! file names (outside comments, grouped imports `crate::{a, b}` included)
//! must be a module its layer may depend on.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What each module of the core crate (`crates/core/src`) may name
/// besides itself.
const CORE: [(&str, &[&str]); 5] = [
    ("error", &[]),
    ("stats", &[]),
    ("scenario", &["error", "stats"]),
    ("model", &["scenario", "stats", "error"]),
    ("engine", &["model", "scenario", "stats", "error"]),
];

/// What each module of the library (`crates/backchannel/src`) may name
/// besides itself; the core's modules are named there as `crate::engine`,
/// `crate::scenario`, ...
const LIBRARY: [(&str, &[&str]); 8] = [
    (
        "experiment",
        &["engine", "model", "scenario", "stats", "error"],
    ),
    // Output writes results into files: it reads what the engine and the
    // experiments produce and the scenario's text, never the model.
    (
        "output",
        &["engine", "experiment", "scenario", "stats", "error"],
    ),
    // Report draws from output's results and the scenario's metadata only.
    ("report", &["output", "scenario", "stats", "error"]),
    // Validation data read as it is: the bounded reader and its errors.
    ("validation", &["scenario", "error"]),
    // The front door runs studies and hands back what output and report
    // make of them.
    (
        "study",
        &[
            "engine",
            "experiment",
            "model",
            "output",
            "report",
            "scenario",
            "stats",
            "error",
            "validation",
        ],
    ),
    // The types of every study's results, named for library users.
    ("results", &["engine", "output", "stats"]),
    // Publishing names every file: it writes what the studies return
    // with output's exporters and report's plots and pages; `study`
    // never names it.
    (
        "publish",
        &["study", "output", "report", "scenario", "error"],
    ),
    // The words pages, summaries and the command line share.
    ("text", &["output", "report"]),
];

/// What each module of the binary (`src/`) may name besides itself: the
/// command line prints through `console` and stops through `interrupt`.
const BINARY: [(&str, &[&str]); 3] = [
    ("console", &[]),
    ("interrupt", &["console"]),
    ("cli", &["console", "interrupt"]),
];

/// Crates each workspace crate must not depend on, and why.
const FORBIDDEN: [(&str, &[&str]); 2] = [
    (
        "backchannel-core",
        &[
            "backchannel",
            "clap",
            "indicatif",
            "signal-hook",
            "plotters",
            "png",
            "csv",
        ],
    ),
    ("backchannel", &["clap", "indicatif", "signal-hook"]),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file under a crate's `src/` belongs to.
fn module_of(relative: &Path) -> String {
    let first = relative.components().next().unwrap();
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// The identifier at the start of `text`.
fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Every module `text` names as `crate::<module>` or inside
/// `crate::{...}`, outside line comments.
fn named_modules(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut named = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth < 0
                })
                .map_or(group.len(), |(i, _)| i);
            let mut depth = 0;
            let mut start_of_item = true;
            for (i, c) in group[..end].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start_of_item = true,
                    c if c.is_whitespace() => {}
                    _ if start_of_item && depth == 0 => {
                        start_of_item = false;
                        named.insert(identifier(&group[i..]));
                    }
                    _ => {}
                }
            }
        } else {
            let module = identifier(rest);
            if !module.is_empty() {
                named.insert(module);
            }
        }
    }
    // `self`, and the items the crate's root re-exports (`crate::Error`),
    // are not modules.
    named.retain(|name| name != "self" && name.starts_with(|c: char| c.is_ascii_lowercase()));
    named
}

/// The imports of `src` (a crate's source folder) that break `allowed`;
/// a file at the top (`lib.rs`, `main.rs`) wires the crate and may name
/// anything.
fn breaks(src: &Path, allowed: &[(&str, &[&str])]) -> BTreeSet<(String, String)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut breaks = BTreeSet::new();
    for file in &files {
        let relative = file.strip_prefix(src).unwrap();
        let module = module_of(relative);
        if ["lib", "main"].contains(&module.as_str()) {
            continue;
        }
        let Some((_, may_name)) = allowed.iter().find(|(m, _)| *m == module) else {
            panic!(
                "{module} ({}) has no layer: state its layer in tests/architecture.rs and in ARCHITECTURE.md",
                file.display()
            );
        };
        for named in named_modules(&fs::read_to_string(file).unwrap()) {
            if named != module && !may_name.contains(&named.as_str()) {
                breaks.insert((file.display().to_string(), named));
            }
        }
    }
    breaks
}

#[test]
fn every_module_names_only_what_its_layer_may() {
    for (src, allowed) in [
        ("crates/core/src", &CORE[..]),
        ("crates/backchannel/src", &LIBRARY[..]),
        ("src", &BINARY[..]),
    ] {
        let found = breaks(&root().join(src), allowed);
        assert!(
            found.is_empty(),
            "imports that break the layering of ARCHITECTURE.md in {src}: {found:?}"
        );
    }
}

#[test]
fn every_crate_depends_only_on_what_its_layer_may() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--offline", "--format-version", "1"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    for (crate_name, forbidden) in FORBIDDEN {
        let package = packages
            .iter()
            .find(|p| p["name"] == crate_name)
            .unwrap_or_else(|| panic!("no package {crate_name} in the workspace"));
        let normal: Vec<&str> = package["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"].is_null())
            .filter_map(|d| d["name"].as_str())
            .collect();
        for name in forbidden {
            assert!(
                !normal.contains(name),
                "{crate_name} depends on {name}, which ARCHITECTURE.md keeps out of it"
            );
        }
    }
}

#[test]
fn the_scan_sees_imports_and_paths_but_not_comments() {
    let text = "use crate::model::Model;\n// crate::report is only mentioned\nlet x = crate::stats::wilson(1, 2, 3.0); // crate::cli\n";
    let named: Vec<String> = named_modules(text).into_iter().collect();
    assert_eq!(named, ["model", "stats"]);
}

#[test]
fn the_scan_sees_every_module_of_a_grouped_import() {
    let text = "use crate::{\n    engine::{Tally, run_study},\n    model, // crate::report\n    self,\n};\n";
    let named: Vec<String> = named_modules(text).into_iter().collect();
    assert_eq!(named, ["engine", "model"]);
}
