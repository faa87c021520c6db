//! The pictures of `compare`, `sweep`, `sensitivity` and `indicators` as a
//! user gets them from the real binary: each command writes its charts as
//! PNG and SVG (listed in its manifest), PNGs decode at the documented size
//! and are not blank, SVGs are XML with the expected titles, `compare`
//! writes `comparison.html` with every chart and metric, the same seed gives
//! byte-identical files on 1 and 2 threads, and `--no-plots` writes none.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use backchannel::report::palette::Meaning;
use backchannel::report::plots::png_size;
use support::{backchannel, decode_png, ink_share, svg_texts};

const SEED: &str = "5";

/// Run `args` with the test's seed into `out`; it must succeed.
fn succeeds(args: &[&str], out: &Path, extra: &[&str]) {
    let output = backchannel()
        .args(args)
        .args(["--seed", SEED, "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every file under `dir/plots/`, and `comparison.html` if there is one.
fn pictures(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if let Ok(entries) = fs::read_dir(dir.join("plots")) {
        for entry in entries {
            let path = entry.unwrap().path();
            let name = format!("plots/{}", path.file_name().unwrap().to_string_lossy());
            files.insert(name, fs::read(&path).unwrap());
        }
    }
    for page in ["comparison", "sweep", "sensitivity", "indicators"] {
        let name = format!("{page}.html");
        if let Ok(html) = fs::read(dir.join(&name)) {
            files.insert(name, html);
        }
    }
    files
}

fn manifest_files(dir: &Path) -> Vec<String> {
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect()
}

/// Run the command twice (2 threads, then 1) and once with `--no-plots`,
/// check what every chart command must do, and return the first directory
/// for the command's own checks.
fn check_charts(args: &[&str], titles: &[(&str, &str)]) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let (first, second, batch) = (
        root.path().join("first"),
        root.path().join("second"),
        root.path().join("batch"),
    );
    succeeds(args, &first, &["--threads", "2"]);
    succeeds(args, &second, &["--threads", "1"]);
    succeeds(args, &batch, &["--no-plots"]);

    let listed = manifest_files(&first);
    for (stem, title) in titles {
        for ext in ["png", "svg"] {
            let name = format!("plots/{stem}.{ext}");
            assert!(first.join(&name).is_file(), "{args:?}: {name} missing");
            assert!(listed.contains(&name), "{name} not in {listed:?}");
        }
        let (w, h, pixels) = decode_png(&first.join(format!("plots/{stem}.png")));
        assert_eq!((w, h), png_size());
        let share = ink_share(w, h, &pixels);
        assert!(share > 0.02, "{stem}.png: only {share:.4} non-white");
        let texts = svg_texts(&first.join(format!("plots/{stem}.svg")));
        assert!(
            texts.iter().any(|t| t == title),
            "{stem}: no {title:?} in {texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.contains(&format!("seed {SEED}"))),
            "{stem}: the seed is not stated in {texts:?}"
        );
    }
    let (a, b) = (pictures(&first), pictures(&second));
    // Every chart in two formats, and the command's page.
    assert_eq!(a.len(), 2 * titles.len() + 1, "{:?}", a.keys());
    assert!(
        a.keys().any(|k| k.ends_with(".html") && listed.contains(k)),
        "no page listed in {listed:?}"
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{args:?}: {name} differs between runs");
    }

    assert!(pictures(&batch).is_empty(), "--no-plots wrote pictures");
    assert!(
        manifest_files(&batch)
            .iter()
            .all(|f| !f.starts_with("plots/") && !f.ends_with(".html")),
        "--no-plots lists pictures"
    );
    root
}

#[test]
fn compare_draws_overlays_differences_and_a_page_with_every_metric() {
    let direct = "muscat-2026:format.mode=direct";
    let root = check_charts(
        &["compare", "muscat-2026", direct, "--runs", "2000"],
        &[
            ("survival", "Channel survival by scenario"),
            (
                "survival-difference",
                "Channel survival minus muscat-2026, by round",
            ),
            ("outcomes", "Outcomes by scenario"),
            ("differences", "Paired differences to muscat-2026"),
        ],
    );
    let dir = root.path().join("first");
    let comparison: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("comparison.json")).unwrap()).unwrap();
    let survival = fs::read_to_string(dir.join("plots/survival.svg")).unwrap();
    assert!(survival.contains(direct), "the legend names each scenario");
    // Issue 30: the one time axis of every chart over rounds, months named
    // from the scenario's start and the start labelled.
    let texts = svg_texts(&dir.join("plots/survival.svg"));
    for label in [
        "End of month t (month 1 = Feb 2026)",
        "start",
        "Feb 2026",
        "Mar",
    ] {
        assert!(
            texts.iter().any(|t| t == label),
            "no {label:?} in {texts:?}"
        );
    }
    survival_is_stepped_with_the_baseline_on_top(&survival);

    // The differences chart shows the largest effects whatever the metric,
    // costs as well as gains, by name and with both levels from
    // comparison.json: direct talks lose the comprehensive deals and get
    // sanctions relief rejected more often.
    let rows = svg_texts(&dir.join("plots/differences.svg"));
    let metric = |key: &str| {
        comparison["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == key)
            .unwrap_or_else(|| panic!("no {key} in comparison.json"))
            .clone()
    };
    for (name, key) in [
        ("Channel continued", "channel_continued"),
        ("Comprehensive deal", "deal.comprehensive"),
        ("Sanctions relief rejected", "issues.sanctions.rejected"),
        ("Broken by Israel", "causes.spoiler:israel"),
    ] {
        let m = metric(key);
        let level = |k: usize| format!("{:.1}", 100.0 * m["values"][k]["value"].as_f64().unwrap());
        let row = format!("{name} ({} → {} %)", level(0), level(1));
        assert!(rows.contains(&row), "no row {row:?} in {rows:?}");
    }
    // The x axis's label is whole, and its reading in the subtitle.
    assert!(
        rows.iter()
            .any(|t| t == "Difference to the baseline (percentage points)")
    );
    assert!(
        rows.iter()
            .any(|t| t == "A whisker across the grey line at 0: no detectable difference")
    );
    for chart in ["differences", "outcomes"] {
        let texts = svg_texts(&dir.join(format!("plots/{chart}.svg")));
        assert!(
            !texts
                .iter()
                .any(|t| t.starts_with("issues.") || t.starts_with("deal.") || t.contains('_')),
            "{chart}: a raw metric key in {texts:?}"
        );
    }

    let html = fs::read_to_string(dir.join("comparison.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        !html.contains("<script") && !html.contains("src="),
        "self-contained"
    );
    assert_eq!(html.matches("<svg ").count(), 4, "every chart inline");
    says_clustered_intervals(&html);
    let comparison: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("comparison.json")).unwrap()).unwrap();
    for scenario in comparison["scenarios"].as_array().unwrap() {
        assert!(html.contains(scenario["sha256"].as_str().unwrap()));
    }
    let metrics = comparison["metrics"].as_array().unwrap();
    assert!(metrics.len() > 30);
    // One row per metric, one column per scenario (and one per difference).
    let table = &html[html.find("id=\"metrics\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr><td").count(), metrics.len());
    assert!(table.contains(&format!("<th class=\"num\">{direct}</th>")));
    assert!(table.contains(&format!("<th class=\"num\">{direct} − baseline</th>")));
    assert!(
        html.contains(&format!("--seed {SEED}")),
        "the reproduction command"
    );

    // Issue 30: "In brief" leads with the largest significant difference,
    // both levels shown, its interval rounded so that its sign survives.
    let significant = |m: &&serde_json::Value| {
        m["kind"] == "probability"
            && !m["metric"].as_str().unwrap().starts_with("survival.")
            && m["differences"][1]["excludes_zero"] == true
    };
    let size = |m: &&serde_json::Value| m["differences"][1]["difference"].as_f64().unwrap().abs();
    let largest = metrics
        .iter()
        .filter(significant)
        .max_by(|a, b| size(a).total_cmp(&size(b)))
        .expect("direct talks change something significantly");
    let how_sure = brief(&html, "How sure");
    let level = |k: usize| {
        format!(
            "{:.1} %",
            100.0 * largest["values"][k]["value"].as_f64().unwrap()
        )
    };
    assert!(
        how_sure.contains(&format!("{} → {} in {direct}", level(0), level(1))),
        "{} not leading: {how_sure}",
        largest["metric"]
    );
    let interval = &how_sure[how_sure.find('[').unwrap() + 1..how_sure.find(']').unwrap()];
    let sign = largest["differences"][1]["difference"]
        .as_f64()
        .unwrap()
        .signum();
    for end in interval.split(", ") {
        let end: f64 = end.parse().unwrap();
        assert!(
            end != 0.0 && end.signum() == sign,
            "{interval} in {how_sure}"
        );
    }
}

/// The polylines of an SVG in the order drawn: stroke colour and points.
fn polylines(svg: &str) -> Vec<(String, Vec<(f64, f64)>)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .map(|n| {
            let points = n
                .attribute("points")
                .unwrap_or("")
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            (n.attribute("stroke").unwrap_or("").to_string(), points)
        })
        .collect()
}

/// A comparison's survival chart draws S(t) as a staircase (round t over
/// (t − 1, t], as every chart over rounds), and its baseline last, dashed,
/// so the other scenario's line shows through it rather than hiding it.
fn survival_is_stepped_with_the_baseline_on_top(svg: &str) {
    let hex = |k: usize| {
        let c = Meaning::Scenario(k).colour();
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    };
    let lines = polylines(svg);
    let of = |k: usize| -> Vec<usize> {
        (0..lines.len())
            .filter(|&i| lines[i].0.eq_ignore_ascii_case(&hex(k)))
            .collect()
    };
    let (baseline, other) = (of(0), of(1));
    let curve = other
        .iter()
        .map(|&i| &lines[i].1)
        .max_by_key(|points| points.len())
        .unwrap();
    assert!(curve.len() > 20, "{curve:?}");
    assert!(
        curve
            .windows(2)
            .all(|w| w[0].0 == w[1].0 || w[0].1 == w[1].1),
        "not a staircase: {curve:?}"
    );
    let dashes: Vec<usize> = baseline
        .into_iter()
        .filter(|&i| i > *other.last().unwrap())
        .collect();
    assert!(
        dashes.len() > 20,
        "the baseline is not drawn last in dashes: {} segments after the other line",
        dashes.len()
    );
}

/// The headline's tornado ranks its rows by how far the farther end moves
/// the output from the scenario as written, as sensitivity.json gives it
/// (issue 30: a parameter with both ends on one side ranks by the farther).
fn tornado_ranks_by_the_farther_end(dir: &Path) {
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("sensitivity.json")).unwrap()).unwrap();
    let p = |row: &serde_json::Value, end: &str| row[end]["p"].as_f64().unwrap();
    let mut rows: Vec<(String, f64)> = json["oat"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["output"] == "channel_continued")
        .map(|r| {
            let base = p(r, "at_base");
            let deviation = (p(r, "at_lo") - base)
                .abs()
                .max((p(r, "at_hi") - base).abs());
            (r["parameter"].as_str().unwrap().to_string(), deviation)
        })
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    let svg = fs::read_to_string(dir.join("plots/tornado.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let height_of = |start: &str| -> f64 {
        doc.descendants()
            .find(|n| {
                n.has_tag_name("text") && n.text().is_some_and(|t| t.trim().starts_with(start))
            })
            .and_then(|n| n.attribute("y"))
            .unwrap_or_else(|| panic!("no row {start:?}"))
            .parse()
            .unwrap()
    };
    let words = |key: &str| match key {
        "trust.gain_per_agreement" => "Trust gain per agreement (",
        "mediator.credibility" => "The mediator's credibility (",
        other => panic!("unexpected parameter {other}"),
    };
    let heights: Vec<f64> = rows.iter().map(|(key, _)| height_of(words(key))).collect();
    assert!(
        heights.windows(2).all(|w| w[0] < w[1]),
        "rows not ranked by the farther end: {rows:?} drawn at {heights:?}"
    );
}

/// The text of the page's "In brief" entry `term`.
/// The flagship has judged inputs: a page over it names, in its footer,
/// the intervals its points carry, clustered in the worlds, not Wilson's.
fn says_clustered_intervals(html: &str) {
    let footer = &html[html.find("<footer>").unwrap()..];
    assert!(
        footer.contains("95 % intervals for runs clustered in 200 worlds of the judged inputs")
            && !footer.contains("Wilson"),
        "{footer}"
    );
}

fn brief<'a>(html: &'a str, term: &str) -> &'a str {
    let entry = &html[html.find(&format!("<dt>{term}</dt>")).unwrap()..];
    &entry[..entry.find("</dd>").unwrap()]
}

#[test]
fn sweep_draws_the_headline_against_one_key_and_a_heat_map_for_two() {
    let one = check_charts(
        &[
            "sweep",
            "muscat-2026",
            "--vary",
            "trust.gain_per_agreement=0.05..0.3:4",
            "--runs",
            "1000",
        ],
        &[(
            "sweep",
            "muscat-2026: headline outcomes against trust.gain_per_agreement",
        )],
    );
    says_clustered_intervals(&fs::read_to_string(one.path().join("first/sweep.html")).unwrap());
    let legend = svg_texts(&one.path().join("first/plots/sweep.svg"));
    // P(escalation) is 100 - P(channel continued) here: not drawn twice.
    assert!(!legend.iter().any(|t| t == "P(escalation)"), "{legend:?}");
    // The scenario's own value of the key (0.15) is marked.
    assert!(
        legend.iter().any(|t| t == "the scenario: 0.15"),
        "{legend:?}"
    );
    // The input in words with its unit, and its judged range (the
    // flagship's triangular [0.1, 0.15, 0.2]) shaded, the sweep leaving it.
    for text in [
        "Trust gain per agreement (trust per ratified issue)",
        "judged range 0.1 to 0.2",
    ] {
        assert!(
            legend.iter().any(|t| t == text),
            "no {text:?} in {legend:?}"
        );
    }
    for name in ["P(channel continued)", "P(partial deal)"] {
        assert!(
            legend.iter().any(|t| t == name),
            "no {name:?} in {legend:?}"
        );
    }
    let root = check_charts(
        &[
            "sweep",
            "muscat-2026",
            "--vary",
            "trust.gain_per_agreement=0.05..0.3:3",
            "--vary",
            "format.leak_hazard=0..0.3:2",
            "--runs",
            "500",
        ],
        &[(
            "heatmap",
            "muscat-2026: P(channel continued) over the grid, in %",
        )],
    );
    // Issue 30: each axis names its input in words with its unit, and the
    // scenario as written (0.15, 0.15) is ringed.
    let texts = svg_texts(&root.path().join("first/plots/heatmap.svg"));
    for axis in [
        "Trust gain per agreement (trust per ratified issue)",
        "Leak hazard (probability per month)",
        "the scenario as written",
    ] {
        assert!(texts.iter().any(|t| t == axis), "no {axis:?} in {texts:?}");
    }
}

/// A title too long for the chart (here: a scenario changed with `--set`)
/// wraps onto a second line instead of running off the edge, and names the
/// change.
#[test]
fn a_long_title_wraps_and_names_the_scenario_changes() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("sweep");
    succeeds(
        &[
            "sweep",
            "muscat-2026",
            "--set",
            "format.mode=direct",
            "--vary",
            "spoilers.israel.capability=0.2..0.8:2",
            "--runs",
            "300",
        ],
        &out,
        &[],
    );
    let texts = svg_texts(&out.join("plots/sweep.svg"));
    let title = "muscat-2026 with format.mode=direct: headline outcomes against \
                 spoilers.israel.capability";
    let first = texts
        .iter()
        .position(|t| t.starts_with("muscat-2026 with format.mode=direct:"))
        .unwrap_or_else(|| panic!("no title in {texts:?}"));
    assert_ne!(texts[first], title, "the title was not wrapped");
    assert_eq!(format!("{} {}", texts[first], texts[first + 1]), title);
}

/// The two keys both sensitivity tests vary.
const SENSITIVITY_VARIES: [&str; 4] = [
    "--vary",
    "trust.gain_per_agreement=0.05..0.3",
    "--vary",
    "mediator.credibility=0.5..1",
];

#[test]
fn sensitivity_draws_a_tornado() {
    let oat: Vec<&str> = [
        "sensitivity",
        "muscat-2026",
        "--method",
        "oat",
        "--runs",
        "1000",
    ]
    .into_iter()
    .chain(SENSITIVITY_VARIES)
    .collect();
    // One tornado per headline output, named and chosen as the Sobol'
    // charts below: P(escalation) is left out, being 100 - P(channel
    // continued) here.
    let root = check_charts(
        &oat,
        &[
            (
                "tornado",
                "muscat-2026: one at a time, P(channel continued)",
            ),
            (
                "tornado-deal-partial",
                "muscat-2026: one at a time, P(partial deal)",
            ),
            (
                "tornado-deal-comprehensive",
                "muscat-2026: one at a time, P(comprehensive deal)",
            ),
        ],
    );
    for stem in ["tornado", "tornado-deal-partial"] {
        let texts = svg_texts(&root.path().join(format!("first/plots/{stem}.svg")));
        // Each parameter with the range it was varied over.
        assert!(
            texts
                .iter()
                .any(|t| t == "Trust gain per agreement (0.05 to 0.3)"),
            "{stem}: {texts:?}"
        );
    }
    tornado_ranks_by_the_farther_end(&root.path().join("first"));
    let texts = svg_texts(&root.path().join("first/plots/tornado-deal-partial.svg"));
    assert!(
        texts
            .iter()
            .any(|t| t == "P(partial deal) (%) with the parameter at its low and high value"),
        "the axis names its output in words: {texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.contains("deal.partial")),
        "{texts:?}"
    );
    let html = fs::read_to_string(root.path().join("first/sensitivity.html")).unwrap();
    let (partial, tornado) = (
        html.find("plots/tornado-deal-partial.svg").unwrap(),
        html.find("plots/tornado.svg").unwrap(),
    );
    assert!(tornado < partial, "the headline's tornado comes first");
    assert!(
        html.contains(">P(partial deal)</td>"),
        "every output's table"
    );
    says_clustered_intervals(&html);
    assert!(
        brief(&html, "How sure").contains("for runs clustered in 200 worlds"),
        "{}",
        brief(&html, "How sure")
    );
}

#[test]
fn sensitivity_draws_the_sobol_indices() {
    let sobol: Vec<&str> = [
        "sensitivity",
        "muscat-2026",
        "--method",
        "sobol",
        "--samples",
        "16",
        "--runs",
        "200",
    ]
    .into_iter()
    .chain(SENSITIVITY_VARIES)
    .collect();
    // One chart per headline output; P(escalation) is left out, being
    // 100 - P(channel continued) here (every break escalates).
    let root = check_charts(
        &sobol,
        &[
            (
                "sobol",
                "muscat-2026: Sobol' indices of P(channel continued)",
            ),
            (
                "sobol-deal-partial",
                "muscat-2026: Sobol' indices of P(partial deal)",
            ),
            (
                "sobol-deal-comprehensive",
                "muscat-2026: Sobol' indices of P(comprehensive deal)",
            ),
        ],
    );
    let html = fs::read_to_string(root.path().join("first/sensitivity.html")).unwrap();
    assert!(html.contains("<th>Output</th>"), "every output's indices");
    assert!(html.contains(">P(partial deal)</td>"));
    let texts = svg_texts(&root.path().join("first/plots/sobol.svg"));
    assert!(
        texts
            .iter()
            .any(|t| t.ends_with("· output P(channel continued)")),
        "the output is named as everywhere else: {texts:?}"
    );
    assert!(!texts.iter().any(|t| t.contains("channel_continued")));
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Interactions (1 - sum of first order)")),
        "{texts:?}"
    );
    // And so does the text summary.
    let output = backchannel()
        .args(&sobol)
        .args(["--seed", SEED, "--no-plots", "--out"])
        .arg(root.path().join("text"))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("Sensitivity of P(channel continued) — "),
        "{text}"
    );
    // The chart and the page warn that the indices are rough exactly when
    // the text does.
    assert_eq!(
        texts
            .iter()
            .any(|t| t.starts_with("ROUGH: intervals up to")),
        text.contains("these indices are rough"),
        "{texts:?}\n{text}"
    );
    let how_sure = brief(&html, "How sure");
    assert_eq!(
        how_sure.contains("ROUGH: intervals up to"),
        text.contains("these indices are rough"),
        "{how_sure}"
    );
    // Issue 30: the answer crowns one input only when its interval clears
    // the second's; otherwise it names the top two.
    let json: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(root.path().join("first/sensitivity.json")).unwrap(),
    )
    .unwrap();
    let mut rows: Vec<&serde_json::Value> = json["sobol"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["output"] == "channel_continued")
        .collect();
    let total = |r: &serde_json::Value, end: &str| r["total"][end].as_f64().unwrap();
    rows.sort_by(|a, b| total(b, "value").total_cmp(&total(a, "value")));
    let answer = brief(&html, "Answer");
    let overlap = total(rows[0], "lo") <= total(rows[1], "hi");
    assert_eq!(answer.contains("among the top two"), overlap, "{answer}");
    assert!(
        answer.contains(rows[0]["parameter"].as_str().unwrap()),
        "{answer}"
    );
}

#[test]
fn indicators_draws_what_to_watch() {
    let root = check_charts(
        &["indicators", "muscat-2026", "--at", "2", "--runs", "2000"],
        &[("indicators", "muscat-2026: what to watch by month 2")],
    );
    let texts = svg_texts(&root.path().join("first/plots/indicators.svg"));
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Regional strike or war not aimed at")),
        "each signal is a row, in words: {texts:?}"
    );
    assert!(
        !texts
            .iter()
            .any(|t| t.contains("shock:") || t.contains("spoiler:")),
        "no raw event key: {texts:?}"
    );
    // A long name gives way, never its share and expected change.
    let rows: Vec<&String> = texts
        .iter()
        .filter(|t| t.contains('…') || t.contains(" happened ("))
        .collect();
    assert!(rows.len() > 3, "{texts:?}");
    for row in rows {
        assert!(row.ends_with(" pts)") && row.contains("%, ±"), "{row:?}");
    }
    // Issue 30: the page's answer names the top indicator that does not
    // restate the outcome (certain if it happens or if not, as the channel
    // broken by then is), as indicators.json ranks them.
    let dir = root.path().join("first");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("indicators.json")).unwrap()).unwrap();
    let runs = json["runs"].as_u64().unwrap();
    let certain = |p: &serde_json::Value| {
        let (value, lo, hi) = (
            p["p"].as_f64().unwrap(),
            p["lo"].as_f64().unwrap(),
            p["hi"].as_f64().unwrap(),
        );
        hi - lo < 1.0 && (value == 0.0 || value == 1.0)
    };
    let ranked: Vec<&serde_json::Value> = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| (1..runs).contains(&i["probability"]["count"].as_u64().unwrap()))
        .collect();
    let restates = |i: &serde_json::Value| {
        certain(&i["outcomes"][0]["given"]) || certain(&i["outcomes"][0]["absent"])
    };
    assert!(
        restates(ranked[0]),
        "this case needs a restating top indicator"
    );
    let top = ranked.iter().find(|i| !restates(i)).unwrap();
    let page = fs::read_to_string(dir.join("indicators.html")).unwrap();
    let answer = brief(&page, "Answer");
    assert!(
        answer.contains(&format!("Watch for: {}.", top["label"].as_str().unwrap())),
        "{answer}"
    );
}
