//! What the tests that drive the binary share: running it, refusing bad
//! input, reading its JSON, and checking the pictures it draws.
//!
//! Each test crate that says `mod support;` compiles its own copy and uses
//! only some of it, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The binary under test.
pub fn backchannel() -> Command {
    Command::new(env!("CARGO_BIN_EXE_backchannel"))
}

/// Commands that write an output directory (and take `--out`).
const WRITERS: [&str; 8] = [
    "backtest",
    "run",
    "calibrate",
    "compare",
    "sweep",
    "sensitivity",
    "indicators",
    "merge",
];

/// Run `args` in `scratch` expecting bad input: exit status 2, no panic,
/// nothing written (not `scratch/out`, no temporary sibling). The message.
pub fn refused(scratch: &Path, args: &[&str]) -> String {
    let out = scratch.join("out");
    let mut command = backchannel();
    command.current_dir(scratch).args(args);
    if WRITERS.contains(&args[0]) {
        command.arg("--out").arg(&out);
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(2), "{args:?}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}\n{stderr}");
    assert!(!out.exists(), "{args:?} wrote output");
    let leftovers: Vec<_> = fs::read_dir(scratch)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{args:?} left temporary files");
    stderr
}

/// A two-party, one-issue scenario over 6 rounds: parties `x` and `y` each
/// hold out for `reservation` of issue `a` (above 0.5 no deal is possible),
/// then `extra` TOML (shocks, spoilers).
pub fn two_party_scenario(name: &str, reservation: f64, extra: &str) -> String {
    format!(
        r#"[scenario]
name = "{name}"
horizon = 6

[[issues]]
id = "a"

[[parties]]
id = "x"
[parties.issues.a]
reservation = {reservation}

[[parties]]
id = "y"
[parties.issues.a]
reservation = {reservation}
{extra}"#
    )
}

/// A JSON file the binary wrote.
pub fn json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// Write `text` to `dir/name`; its path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

/// Whether `estimate` from `n` runs is within the 99.9 % normal interval
/// of the true probability `p`.
pub fn within_999(estimate: f64, p: f64, n: f64) -> bool {
    (estimate - p).abs() <= 3.29 * (p * (1.0 - p) / n).sqrt()
}

/// Width, height and RGB pixels of an 8-bit RGB PNG.
pub fn decode_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb, "{}", path.display());
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

/// The share of pixels that are not white.
pub fn ink_share(width: u32, height: u32, pixels: &[u8]) -> f64 {
    let ink = pixels
        .chunks_exact(3)
        .filter(|p| *p != [255, 255, 255])
        .count();
    ink as f64 / (width * height) as f64
}

/// Every `<text>` of an SVG file, trimmed; panics if it is not XML or not
/// an SVG.
pub fn svg_texts(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} is not XML: {e}", path.display()));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect()
}

/// Every file under `dir` but `manifest.json` (timings, hosts, commands),
/// by relative path, with its bytes: what one machine and a merge of
/// shards must write alike.
pub fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.file_name().unwrap() != "manifest.json" {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                found.push((name, fs::read(&path).unwrap()));
            }
        }
    }
    found.sort();
    found
}

/// `study` (a command and its arguments) written into `out`, with `extra`
/// arguments, quietly.
pub fn write_study<S: AsRef<std::ffi::OsStr>>(study: &[S], out: &Path, extra: &[&str]) {
    backchannel()
        .args(study)
        .args(extra)
        .args(["-q", "--out"])
        .arg(out)
        .assert()
        .success();
}

/// The `n` shards of `study` under `dir`, named by `tag`.
pub fn shards<S: AsRef<std::ffi::OsStr>>(
    study: &[S],
    dir: &Path,
    tag: &str,
    n: u64,
) -> Vec<PathBuf> {
    (0..n)
        .map(|i| {
            let out = dir.join(format!("{tag}-{i}-of-{n}"));
            write_study(study, &out, &["--shard", &format!("{i}/{n}")]);
            out
        })
        .collect()
}

/// `merge` of the shards in `dirs`, with `extra` arguments.
pub fn merge(dirs: &[PathBuf], extra: &[&str]) -> std::process::Output {
    backchannel()
        .arg("merge")
        .args(dirs)
        .args(extra)
        .output()
        .unwrap()
}
