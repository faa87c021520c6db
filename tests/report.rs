//! The plots and `report.html` as a user gets them from the real binary:
//! every file is there, PNGs decode at the documented size and are not
//! blank, SVGs are well-formed XML with the expected titles, the report
//! holds every plot and every metric, and everything is byte-identical for
//! the same seed. `--no-plots` writes none of it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

mod support;

use backchannel::report::palette::{Meaning, Outcome};
use backchannel::report::plots::{MAX_LABEL_CHARS, PlotKind, png_size};
use support::{decode_png, ink_share, svg_texts};

const RUNS: &str = "5000";
const SEED: &str = "11";

struct Study {
    _root: tempfile::TempDir,
    /// Two runs of the same study into two directories.
    first: PathBuf,
    second: PathBuf,
}

fn run(out: &Path, extra: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_backchannel"))
        .args(["run", "--runs", RUNS, "--seed", SEED, "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .status()
        .expect("the binary runs");
    assert!(status.success(), "{status}");
}

/// The flagship at 5 000 runs, run twice (shared by the tests below).
fn study() -> &'static Study {
    static STUDY: OnceLock<Study> = OnceLock::new();
    STUDY.get_or_init(|| {
        let root = tempfile::tempdir().unwrap();
        let (first, second) = (root.path().join("first"), root.path().join("second"));
        run(&first, &[]);
        run(&second, &["--threads", "1"]);
        Study {
            _root: root,
            first,
            second,
        }
    })
}

fn plot_path(dir: &Path, kind: PlotKind, ext: &str) -> PathBuf {
    dir.join("plots").join(format!("{}.{ext}", kind.stem()))
}

fn has_colour(pixels: &[u8], outcome: Outcome) -> bool {
    let c = outcome.colour();
    pixels.chunks_exact(3).any(|p| p == [c.0, c.1, c.2])
}

/// The flagship's plots: every kind, and the fan chart of its judged
/// inputs.
fn kinds() -> Vec<PlotKind> {
    let mut kinds = PlotKind::ALL.to_vec();
    kinds.insert(2, PlotKind::Fan);
    kinds
}

#[test]
fn every_plot_is_written_as_png_and_svg_and_listed_in_the_manifest() {
    let dir = &study().first;
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let files: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for kind in kinds() {
        for ext in ["png", "svg"] {
            let path = plot_path(dir, kind, ext);
            assert!(path.is_file(), "{} missing", path.display());
            let listed = format!("plots/{}.{ext}", kind.stem());
            assert!(
                files.contains(&listed.as_str()),
                "{listed} not in {files:?}"
            );
        }
    }
    assert!(dir.join("report.html").is_file());
    assert!(files.contains(&"report.html"));
    let plot_seconds = manifest["plot_seconds"].as_f64().unwrap();
    assert!(plot_seconds > 0.0, "{plot_seconds}");
}

#[test]
fn pngs_decode_at_the_documented_size_and_are_not_blank() {
    let dir = &study().first;
    for kind in kinds() {
        let path = plot_path(dir, kind, "png");
        let (w, h, pixels) = decode_png(&path);
        assert_eq!((w, h), png_size(), "{}", path.display());
        assert_eq!((w, h), (2000, 1240));
        let share = ink_share(w, h, &pixels);
        assert!(
            share > 0.02,
            "{}: only {share:.4} non-white",
            path.display()
        );
    }
}

#[test]
fn the_same_outcome_has_the_same_colour_in_every_plot() {
    let dir = &study().first;
    let pixels = |kind| decode_png(&plot_path(dir, kind, "png")).2;
    let outcomes = pixels(PlotKind::Outcomes);
    for outcome in [
        Outcome::Partial,
        Outcome::None,
        Outcome::Active,
        Outcome::Suspended,
        Outcome::Broken,
    ] {
        assert!(has_colour(&outcomes, outcome), "outcomes lacks {outcome:?}");
    }
    // Every cause of a break is a tint of the broken channel's vermillion
    // (the most frequent the darkest), and a rejected issue is that colour.
    let cause = Meaning::Cause(0).colour();
    let causes = pixels(PlotKind::Causes);
    assert!(
        causes
            .chunks_exact(3)
            .any(|p| p == [cause.0, cause.1, cause.2])
    );
    assert!(
        !has_colour(&causes, Outcome::Active),
        "a cause in the blue of active"
    );
    let issues = pixels(PlotKind::Issues);
    for outcome in [Outcome::Agreed, Outcome::Ratified, Outcome::Rejected] {
        assert!(has_colour(&issues, outcome), "issues lacks {outcome:?}");
    }
    assert!(has_colour(&pixels(PlotKind::Survival), Outcome::Continued));
    let first = pixels(PlotKind::FirstAgreement);
    assert!(has_colour(&first, Outcome::Agreed) && has_colour(&first, Outcome::None));
}

#[test]
fn svgs_are_xml_with_titles_that_name_scenario_runs_and_seed() {
    let dir = &study().first;
    for kind in kinds() {
        let path = plot_path(dir, kind, "svg");
        let texts = svg_texts(&path);
        let title = format!("muscat-2026: {}", kind.heading());
        assert!(
            texts.contains(&title),
            "{}: no title in {texts:?}",
            path.display()
        );
        assert!(
            texts.iter().any(|t| t.starts_with("5,000 runs · seed 11")),
            "{}: no runs and seed in {texts:?}",
            path.display()
        );
    }
    let survival = fs::read_to_string(plot_path(dir, PlotKind::Survival, "svg")).unwrap();
    assert!(
        survival.contains("End of month t (month 1 = Feb 2026)"),
        "x axis names the round label and the flagship's start"
    );
    // Rounds are labelled with their months, and the midterms are marked.
    let texts = svg_texts(&plot_path(dir, PlotKind::Survival, "svg"));
    assert!(texts.iter().any(|t| t == "Feb 2026"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "Jan 2027"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "Mar"), "{texts:?}");
    assert!(
        texts.iter().any(|t| t == "US midterm elections (Nov 2026)"),
        "{texts:?}"
    );
    let states = fs::read_to_string(plot_path(dir, PlotKind::States, "svg")).unwrap();
    for state in ["active", "suspended", "concluded", "broken"] {
        assert!(states.contains(&format!("{state} (")), "states: {state}");
    }
    let causes = fs::read_to_string(plot_path(dir, PlotKind::Causes, "svg")).unwrap();
    assert!(causes.contains("Runs broken by the end of the round (%)"));
    assert!(
        causes.contains("by the end)"),
        "each cause's share by the end"
    );
    assert!(survival.contains("P(channel continued) = "));
    let first = fs::read_to_string(plot_path(dir, PlotKind::FirstAgreement, "svg")).unwrap();
    assert!(
        first.contains("; never in "),
        "the share that never agreed is stated"
    );
}

/// The faces an SVG embeds: each `@font-face`'s weight and font bytes.
fn embedded_faces(svg: &str) -> Vec<(String, Vec<u8>)> {
    use base64::Engine;
    svg.split("@font-face{")
        .skip(1)
        .map(|rule| {
            let weight = rule.split("font-weight:").nth(1).unwrap();
            let weight = weight[..weight.find(';').unwrap()].to_string();
            let data = rule.split("base64,").nth(1).unwrap();
            let data = &data[..data.find(')').unwrap()];
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .unwrap();
            (weight, bytes)
        })
        .collect()
}

#[test]
fn svgs_embed_the_glyphs_of_their_text_and_open_with_their_title() {
    let dir = &study().first;
    for kind in kinds() {
        let path = plot_path(dir, kind, "svg");
        let svg = fs::read_to_string(&path).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let first = doc.root_element().first_element_child().unwrap();
        assert_eq!(first.tag_name().name(), "title", "{}", path.display());
        assert!(
            first
                .text()
                .unwrap()
                .starts_with(&format!("muscat-2026: {}", kind.heading())),
            "{}",
            path.display()
        );
        let faces = embedded_faces(&svg);
        let weights: Vec<&str> = faces.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(weights, ["normal", "bold"], "{}", path.display());
        for (weight, bytes) in &faces {
            // No hinting and no licence text in the face (docs/REPORT.md,
            // "Fonts"): a chart's subset is under 7 KB.
            assert!(
                bytes.len() < 12_000,
                "{}: {} bytes",
                path.display(),
                bytes.len()
            );
            let face = ttf_parser::Face::parse(bytes, 0).unwrap();
            // Every character of that weight's text has its glyph.
            for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
                let bold = node.attribute("font-weight") == Some("bold");
                if bold != (weight == "bold") {
                    continue;
                }
                for c in node.text().unwrap_or("").trim().chars() {
                    assert!(
                        face.glyph_index(c).is_some(),
                        "{}: no glyph for {c:?} in the {weight} face",
                        path.display()
                    );
                }
                let family = node.attribute("font-family").unwrap();
                assert!(family.starts_with("'DejaVu Sans "), "{family}");
            }
        }
        assert!(
            svg.len() < 50_000,
            "{}: {} bytes",
            path.display(),
            svg.len()
        );
    }
}

#[test]
fn pngs_declare_300_dpi() {
    let dir = &study().first;
    for kind in kinds() {
        let path = plot_path(dir, kind, "png");
        let reader = png::Decoder::new(fs::File::open(&path).unwrap())
            .read_info()
            .unwrap();
        let dims = reader.info().pixel_dims.expect("a pHYs chunk");
        assert_eq!(
            (dims.xppu, dims.yppu),
            (11_811, 11_811),
            "{}",
            path.display()
        );
        assert_eq!(dims.unit, png::Unit::Meter);
    }
}

#[test]
fn the_report_holds_every_plot_metric_and_the_reproduction_command() {
    let dir = &study().first;
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<h1>muscat-2026</h1>"));
    assert!(
        html.contains("Indirect US–Iran talks in Muscat"),
        "description"
    );
    assert!(html.contains("P(channel continued)"), "text summary");
    assert_eq!(html.matches("<svg ").count(), kinds().len());
    for kind in kinds() {
        let svg = fs::read_to_string(plot_path(dir, kind, "svg")).unwrap();
        // The inline copy is the file's drawing, element for element.
        let body = svg.trim_end().split_once('\n').unwrap().1;
        assert!(html.contains(body), "{kind:?} is not inlined");
    }
    let csv = fs::read_to_string(dir.join("summary.csv")).unwrap();
    let metrics: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert!(metrics.len() > 30);
    for metric in metrics {
        assert!(
            html.contains(&format!("class=\"metric\">{metric}</td>")),
            "{metric} missing"
        );
    }
    assert!(html.contains("backchannel run muscat-2026 --seed 11 --runs 5000"));
    let sha = summary["scenario"]["sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
    assert!(html.contains(sha));
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src="));
}

fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir.join("plots")).unwrap() {
        let path = entry.unwrap().path();
        let name = format!("plots/{}", path.file_name().unwrap().to_string_lossy());
        files.insert(name, fs::read(&path).unwrap());
    }
    files.insert(
        "report.html".into(),
        fs::read(dir.join("report.html")).unwrap(),
    );
    files
}

#[test]
fn plots_and_report_are_byte_identical_for_the_same_seed() {
    let study = study();
    let (first, second) = (files_under(&study.first), files_under(&study.second));
    assert_eq!(first.len(), 2 * kinds().len() + 1);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &first {
        assert!(bytes == &second[name], "{name} differs between two runs");
    }
}

#[test]
fn no_plots_writes_no_plots_and_no_report() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("batch");
    run(&out, &["--no-plots"]);
    assert!(out.join("summary.json").is_file());
    assert!(!out.join("plots").exists());
    assert!(!out.join("report.html").exists());
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["plot_seconds"].as_f64(), Some(0.0));
    let files = manifest["files"].as_array().unwrap();
    assert!(
        files
            .iter()
            .all(|f| !f.as_str().unwrap().starts_with("plots/") && f != "report.html"),
        "{files:?}"
    );
}

/// A scenario whose description, round label and issue name are the TOML
/// string `label` (quotes and escapes included).
fn labelled_scenario(dir: &Path, label: &str) -> PathBuf {
    let text = support::two_party_scenario("labels", 0.3, "")
        .replace(
            "horizon = 6",
            &format!("horizon = 6\ndescription = {label}\nround_label = {label}"),
        )
        .replace("id = \"a\"\n", &format!("id = \"a\"\nname = {label}\n"));
    support::write(dir, "labels.toml", &text)
}

/// Issue 15: charts measure text, and fitting a label measured it once per
/// length tried, so a 30 KB label took minutes to draw. Every text a chart
/// draws is now cut to a bounded length with an ellipsis; the report keeps
/// the full names.
#[test]
fn thirty_kilobyte_labels_render_shortened_with_an_ellipsis() {
    let root = tempfile::tempdir().unwrap();
    let label = "l".repeat(30_000);
    let file = labelled_scenario(root.path(), &format!("{label:?}"));
    let out = root.path().join("out");
    support::backchannel()
        .arg("run")
        .arg(&file)
        .args(["--runs", "100", "-q", "--out"])
        .arg(&out)
        // Only a guard against a hang: the render takes well under a second.
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    let texts = |kind| svg_texts(&plot_path(&out, kind, "svg"));
    let shortened = |text: &String| {
        text.ends_with('…')
            && text.chars().count() <= MAX_LABEL_CHARS
            && text.contains(&"l".repeat(20))
    };
    let survival = texts(PlotKind::Survival);
    let axis = survival
        .iter()
        .find(|t| t.starts_with("End of lll"))
        .unwrap_or_else(|| panic!("no round axis: {survival:?}"));
    assert!(shortened(axis), "{axis}");
    let issues = texts(PlotKind::Issues);
    let row = issues
        .iter()
        .find(|t| t.starts_with("lll"))
        .unwrap_or_else(|| panic!("no issue row: {issues:?}"));
    assert!(shortened(row), "{row}");
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains(&label));
}

/// Issue 15: control characters in a label (a terminal escape that
/// recolours the screen, a bell, a carriage return that overwrites the
/// line) reach the terminal only as visible escapes.
#[test]
fn the_text_summary_prints_no_control_characters_from_labels() {
    let root = tempfile::tempdir().unwrap();
    // ESC, BEL and CR as TOML escapes: the file holds them, printably.
    let file = labelled_scenario(root.path(), r#""\u001b[31mred\u0007\rback""#);
    let output = support::backchannel()
        .arg("run")
        .arg(&file)
        .args(["--runs", "100", "--no-plots", "--out"])
        .arg(root.path().join("out"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains(r"\u{1b}[31mred\u{7}\rback"), "{stdout}");
    let no_controls = |text: &str| {
        let controls: Vec<char> = text
            .chars()
            .filter(|&c| c.is_control() && c != '\n')
            .collect();
        assert!(controls.is_empty(), "{controls:?} in {text:?}");
    };
    no_controls(&stdout);
    // The trace names a domestic event when it fires.
    let event = r#"
[[parties.domestic.events]]
name = "\u001b[31mvote\u0007"
round = 1
threshold_shift = 0.1
"#;
    let text = fs::read_to_string(&file).unwrap().replace(
        "[parties.issues.a]",
        &format!("{event}\n[parties.issues.a]"),
    );
    let file = support::write(root.path(), "event.toml", &text);
    let trace = support::backchannel()
        .arg("trace")
        .arg(&file)
        .args(["--run", "0"])
        .output()
        .unwrap();
    assert!(trace.status.success(), "{trace:?}");
    let trace = String::from_utf8(trace.stdout).unwrap();
    assert!(trace.contains(r"\u{1b}[31mvote\u{7}"), "{trace}");
    no_controls(&trace);
}

/// Issue 19, item 5: a scenario whose issues are all narrow never reports a
/// "comprehensive" deal: the level is called complete (every issue
/// ratified) in the text summary, the outcomes chart and the page, while
/// summary.json keeps its key.
#[test]
fn a_narrow_only_scenario_reports_a_complete_deal_not_a_comprehensive_one() {
    let dir = tempfile::tempdir().unwrap();
    let text = support::two_party_scenario("narrow-only", 0.2, "")
        .replace("id = \"a\"\n", "id = \"a\"\nscope = \"narrow\"\n");
    let path = support::write(dir.path(), "narrow.toml", &text);
    let out = dir.path().join("out");
    let assert = support::backchannel()
        .arg("run")
        .arg(&path)
        .args(["--runs", "500", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    let summary = support::json(&out.join("summary.json"));
    assert_eq!(summary["deal"]["comprehensive"]["p"], 1.0, "{summary}");
    assert!(stdout.contains("complete "), "{stdout}");
    assert!(
        stdout.contains("complete means every issue ratified"),
        "{stdout}"
    );
    assert!(
        !stdout
            .lines()
            .any(|l| l.trim_start().starts_with("comprehensive")),
        "{stdout}"
    );
    let svg = std::fs::read_to_string(out.join("plots/outcomes.svg")).unwrap();
    assert!(svg.contains("Complete") && !svg.contains("Comprehensive"));
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("a complete deal (every issue ratified"));
    assert!(!page.contains("Comprehensive") && !page.contains("comprehensive deal"));
}

/// A forecast updated with news shows the update: the headline reads
/// "prior → conditional", survival before and after the news is drawn with
/// the observed rounds and "now", and the judged inputs the news moved get
/// their prior and posterior drawn.
#[test]
fn a_forecast_with_news_draws_the_update_and_the_inputs_it_moved() {
    let root = tempfile::tempdir().unwrap();
    let observed = root.path().join("observed.toml");
    fs::write(&observed, "[[observed]]\nround = 3\nchannel = \"active\"\n").unwrap();
    let out = root.path().join("given");
    run(&out, &["--given", observed.to_str().unwrap()]);
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let prior = summary["prior"]["channel_continued"]["p"].as_f64().unwrap();
    let given = summary["channel_continued"]["p"].as_f64().unwrap();
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    let arrow = format!("{:.1}</span> → {:.1}%", 100.0 * prior, 100.0 * given);
    assert!(html.contains(&arrow), "headline lacks {arrow}");
    let update = svg_texts(&plot_path(&out, PlotKind::Update, "svg"));
    let line = format!(
        "P(channel continued): {:.1}% before the news → {:.1}% given it",
        100.0 * prior,
        100.0 * given
    );
    assert!(update.contains(&line), "{update:?}");
    assert!(
        update.iter().any(|t| t == "now: end of month 3"),
        "{update:?}"
    );
    assert!(
        update.iter().any(|t| t == "observed: months 1–3"),
        "{update:?}"
    );
    let inputs = svg_texts(&plot_path(&out, PlotKind::Inputs, "svg"));
    let moved = summary["uncertainty"]["moved_most"][0].as_str().unwrap();
    // In words, as every chart names an input (issue 30): its field's
    // words in a row, its key nowhere.
    let field = moved.rsplit('.').next().unwrap().replace('_', " ");
    assert!(
        inputs
            .iter()
            .any(|t| t.contains(&field) && t.contains(" → "))
            && !inputs.iter().any(|t| t.contains(moved)),
        "the most moved input, {moved}, is drawn by name: {inputs:?}"
    );
    for kind in [PlotKind::Update, PlotKind::Inputs] {
        assert!(
            html.contains(&format!("id=\"plot-{}\"", kind.stem())),
            "{kind:?}"
        );
    }
}

/// Issue 30: month t is drawn over (t − 1, t], so the right edge of every
/// chart over time shows the value at the horizon, and news of month 2 is
/// drawn in month 2 (before the "now" line at its end), not a month later.
/// What the charts are handed to draw is compared with summary.json.
#[test]
fn charts_over_time_draw_each_month_up_to_its_end() {
    use backchannel::report::plots::{causes, drawn_at, states, step_points};
    use backchannel::report::{ScenarioInfo, plots::PlotInput};
    use backchannel::{Observations, Scenario, Study};

    let root = tempfile::tempdir().unwrap();
    let news = root.path().join("news.toml");
    fs::write(
        &news,
        "[[observed]]\nround = 1\nchannel = \"active\"\n\n\
         [[observed]]\nround = 2\nevent = \"shock:naval-incident\"\nhappened = true\n",
    )
    .unwrap();
    let scenario = Scenario::load("muscat-2026").unwrap();
    let news = Observations::load(news.to_str().unwrap(), &scenario).unwrap();
    let forecast = Study::new(&scenario)
        .runs(2000)
        .seed(11)
        .given(&news)
        .run()
        .unwrap();
    let s = &forecast.summary;
    let json: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
    let horizon = json["horizon"].as_u64().unwrap();
    let end = horizon as f64;
    let percent = |v: &serde_json::Value| 100.0 * v.as_f64().unwrap();
    let close = |drawn: Option<f64>, want: f64, what: &str| {
        let drawn = drawn.unwrap_or_else(|| panic!("{what}: nothing drawn"));
        assert!(
            (drawn - want).abs() < 1e-9,
            "{what}: drawn {drawn}, summary {want}"
        );
    };

    // Survival: 100 % through month 1 (observed active), S(2) over month 2,
    // and the headline at the right edge.
    let survival = step_points(&s.survival, |p| p.p);
    close(drawn_at(&survival, 1.0), 100.0, "S over month 1");
    close(
        drawn_at(&survival, 1.5),
        percent(&json["survival"][2]["p"]),
        "S over month 2",
    );
    close(
        drawn_at(&survival, end),
        percent(&json["channel_continued"]["p"]),
        "S at the right edge",
    );

    // States: each layer's thickness over month 2 and at the right edge.
    let names = ["active", "suspended", "concluded", "broken"];
    let layers = states::drawn(s);
    assert_eq!(layers.len(), names.len());
    for (name, (_, layer)) in names.iter().zip(&layers) {
        let thickness = |x: f64| Some(drawn_at(&layer.top, x)? - drawn_at(&layer.bottom, x)?);
        let month_2 = percent(&json["channel_by_round"][2][name]);
        close(thickness(2.0), month_2, &format!("{name} over month 2"));
        close(thickness(1.5), month_2, &format!("{name} over month 2"));
        let last = percent(&json["channel_by_round"][horizon as usize][name]);
        close(thickness(end), last, &format!("{name} at the right edge"));
    }
    let suspended = percent(&json["channel_by_round"][2]["suspended"]);
    assert!(
        suspended > 0.0,
        "the naval incident suspends the talks in month 2"
    );

    // Causes: the stack tops at the share broken by the horizon.
    let info = ScenarioInfo::default();
    let causes = causes::layers(PlotInput {
        summary: s,
        info: &info,
    });
    let top = causes::drawn(&causes, s.horizon);
    close(
        drawn_at(&top.last().unwrap().top, end),
        percent(&json["channel"]["broken"]["p"]),
        "causes at the right edge",
    );
}

/// Issue 30: each chart's study line names the marks it draws its 95 %
/// intervals with (whiskers, a band, brackets), and a chart that draws none
/// claims none; the fan's legend names the bands it draws, 50 % and 90 % of
/// the worlds, not 95 % intervals.
#[test]
fn each_chart_names_the_intervals_it_draws_and_no_others() {
    let dir = &study().first;
    for kind in kinds() {
        let texts = svg_texts(&plot_path(dir, kind, "svg"));
        let line = texts
            .iter()
            .find(|t| t.contains(" runs · seed "))
            .unwrap_or_else(|| panic!("{kind:?}: no study line in {texts:?}"));
        match kind.interval_marks() {
            Some(marks) => assert!(
                line.contains(&format!("· {marks}: 95 % intervals over "))
                    && line.ends_with(" worlds"),
                "{kind:?}: {line}"
            ),
            None => assert!(!line.contains("95 %"), "{kind:?}: {line}"),
        }
        let whiskers = texts.iter().any(|t| t == "95 % interval");
        assert_eq!(
            whiskers,
            kind.interval_marks() == Some("whiskers"),
            "{kind:?}: {texts:?}"
        );
    }
    let fan = svg_texts(&plot_path(dir, PlotKind::Fan, "svg"));
    for band in ["50 % band: ", "90 % band: "] {
        assert!(fan.iter().any(|t| t.starts_with(band)), "{fan:?}");
    }
    assert!(!fan.iter().any(|t| t.contains("95 % interval")), "{fan:?}");
}
