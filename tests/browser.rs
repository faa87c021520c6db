//! Every kind of page, rendered in real headless Chromium (Debian's
//! `chromium` and `chromium-driver`, driven over WebDriver by the small
//! synchronous client in `browser/webdriver.rs`) at 1280 and
//! 420 pixels wide: the document never scrolls sideways, every inline chart
//! is drawn, every PNG and SVG a page links to loads and decodes, the plain
//! summary's answer and the reproduction command are there, every chart's
//! embedded font loads, and nothing is asked of any other address than the
//! page's own folder; every chart's right edge is in its frame, or the frame
//! scrolls to it under a visible cue, with no chart text under 9 px, and no
//! number of a table is out of sight, and no text summary is cut at its
//! frame's edge. The `index.html` of the folder they are written to
//! links every page and fits both widths too. Each width is its own test,
//! with its own pages and browser, so the two run in parallel.
//!
//! Both tests need those two packages, so a bare `cargo test` reports them
//! as ignored; `.ci/run` installs the packages and runs them with
//! `cargo test -- --include-ignored`, where a browser that cannot be started
//! fails the test, never skips it. `BACKCHANNEL_SCREENSHOTS=DIR` keeps a
//! screenshot of each page at each width in DIR (docs/img/ holds some).

mod support;
#[path = "browser/webdriver.rs"]
mod webdriver;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use support::{backchannel, write};
use webdriver::Session;

/// A desktop window's width and a phone's, in CSS pixels.
const DESKTOP: u32 = 1280;
const PHONE: u32 = 420;

/// What a page must hold: its file and the command its reproduction
/// section must start with.
struct PageCase {
    file: PathBuf,
    command: &'static str,
}

/// Run every command that writes a page, small, into `dir`.
fn make_pages(dir: &Path) -> Vec<PageCase> {
    let given = write(
        dir,
        "observed.toml",
        "[[observed]]\nround = 3\nchannel = \"active\"\n",
    );
    let given = given.to_str().unwrap();
    let out = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let cases: [(&str, Vec<String>, &str, &'static str); 10] = [
        (
            "run",
            vec![
                "run".into(),
                "muscat-2026".into(),
                "--runs".into(),
                "2000".into(),
            ],
            "report.html",
            "backchannel run",
        ),
        (
            "given",
            vec![
                "run".into(),
                "muscat-2026".into(),
                "--runs".into(),
                "2000".into(),
                "--given".into(),
                given.into(),
            ],
            "report.html",
            "backchannel run",
        ),
        (
            "compare",
            vec![
                "compare".into(),
                "muscat-2026".into(),
                "muscat-2026-direct".into(),
                "--runs".into(),
                "2000".into(),
            ],
            "comparison.html",
            "backchannel compare",
        ),
        (
            "sweep",
            vec![
                "sweep".into(),
                "muscat-2026".into(),
                "--vary".into(),
                "format.leak_hazard=0.05..0.3:3".into(),
                "--runs".into(),
                "500".into(),
            ],
            "sweep.html",
            "backchannel sweep",
        ),
        (
            "sensitivity",
            vec![
                "sensitivity".into(),
                "muscat-2026".into(),
                "--method".into(),
                "oat".into(),
                "--vary".into(),
                "format.leak_hazard=0.05..0.3".into(),
                "--vary".into(),
                "mediator.credibility=0.6..0.95".into(),
                "--runs".into(),
                "500".into(),
            ],
            "sensitivity.html",
            "backchannel sensitivity",
        ),
        (
            "indicators",
            vec![
                "indicators".into(),
                "muscat-2026".into(),
                "--at".into(),
                "3".into(),
                "--runs".into(),
                "2000".into(),
            ],
            "indicators.html",
            "backchannel indicators",
        ),
        (
            "sobol",
            vec![
                "sensitivity".into(),
                "muscat-2026".into(),
                "--samples".into(),
                "8".into(),
                "--runs".into(),
                "200".into(),
            ],
            "sensitivity.html",
            "backchannel sensitivity",
        ),
        (
            "discover",
            vec![
                "discover".into(),
                "muscat-2026".into(),
                "--outcome".into(),
                "broken".into(),
                "--worlds".into(),
                "100".into(),
                "--runs".into(),
                "10000".into(),
            ],
            "discover.html",
            "backchannel discover",
        ),
        (
            "backtest",
            vec![
                "backtest".into(),
                "scenarios/backtest".into(),
                "--runs".into(),
                "1000".into(),
            ],
            "backtest.html",
            "backchannel backtest",
        ),
        (
            "calibrate",
            vec![
                "calibrate".into(),
                "calibrations/icb-mediation.toml".into(),
                "--worlds".into(),
                "40".into(),
                "--runs-per-world".into(),
                "20".into(),
                "--max-generations".into(),
                "2".into(),
                "--min-ess".into(),
                "20".into(),
            ],
            "calibration.html",
            "backchannel calibrate",
        ),
    ];
    cases
        .into_iter()
        .map(|(name, mut args, file, command)| {
            args.extend(["--out".into(), out(name), "--quiet".into()]);
            backchannel().args(&args).assert().success();
            PageCase {
                file: dir.join(name).join(file),
                command,
            }
        })
        .collect()
}

/// chromedriver on a free local port, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect(
            "chromedriver must be installed for this test (Debian: apt-get install chromium \
             chromium-driver; .ci/run does it)",
        );
    Driver { child, port }
}

fn connect(driver: &Driver) -> Session {
    // Any request that leaves the machine goes to a proxy that does not
    // exist and fails; the page's resource list must not name one either.
    let caps = json!({
        "goog:chromeOptions": {
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--proxy-server=http://127.0.0.1:9",
                "--allow-file-access-from-files"
            ]
        }
    });
    // The driver takes a moment to listen: try for ten seconds.
    let mut last = String::new();
    for _ in 0..50 {
        match Session::start(driver.port, caps.clone()) {
            Ok(session) => return session,
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("cannot start headless Chromium through chromedriver: {last}");
}

/// Measures the page as laid out and loads every linked picture.
const PROBE: &str = r#"
const done = arguments[arguments.length - 1];
const d = document.documentElement;
const svgs = [...document.querySelectorAll('.chart svg')].map(s => {
  const r = s.getBoundingClientRect();
  return { w: r.width, h: r.height, shapes: s.querySelectorAll('path, rect, polyline, polygon, circle, line, text').length };
});
const links = [...document.querySelectorAll('a[href^="plots/"]')].map(a => a.href);
const load = h => new Promise(r => {
  const i = new Image();
  i.onload = () => r({ href: h, width: i.naturalWidth });
  i.onerror = () => r({ href: h, width: 0 });
  i.src = h;
});
Promise.all(links.map(load)).then(pictures => document.fonts.ready.then(() => done({
  scrollWidth: d.scrollWidth,
  clientWidth: d.clientWidth,
  svgs,
  pictures,
  answer: (document.querySelector('#answer') || {}).textContent || '',
  command: (document.querySelector('#reproduce pre') || {}).textContent || '',
  resources: performance.getEntriesByType('resource').map(e => e.name),
  smallestText: Math.min(...[...document.querySelectorAll('p, td, th, dd, li, pre')]
    .map(e => parseFloat(getComputedStyle(e).fontSize))),
  fonts: [...document.fonts].map(f => f.family + ': ' + f.status),
  studies: [...document.querySelectorAll('#studies a')].map(a => a.getAttribute('href')),
  charts: [...document.querySelectorAll('.chart')].map(frame => {
    const s = frame.querySelector('svg');
    const r = s.getBoundingClientRect(), f = frame.getBoundingClientRect();
    const scale = r.width / s.viewBox.baseVal.width;
    const sizes = [...s.querySelectorAll('text')]
      .map(t => parseFloat(getComputedStyle(t).fontSize)).filter(x => x > 0);
    const cue = frame.parentElement.querySelector('.scroll-cue');
    return {
      fits: r.right <= f.right + 0.5,
      scrolls: frame.scrollWidth > frame.clientWidth && getComputedStyle(frame).overflowX === 'auto',
      cue: !!cue && getComputedStyle(cue).display !== 'none',
      smallest: Math.min(...sizes) * scale,
    };
  }),
  hiddenText: [...document.querySelectorAll('pre')]
    .filter(p => p.offsetParent !== null && !p.closest('details:not([open])'))
    .filter(p => p.scrollWidth > p.clientWidth + 0.5)
    .map(p => p.textContent.slice(0, 60)),
  brokenCommands: [...document.querySelectorAll('code.command')]
    .filter(c => getComputedStyle(c).overflowWrap !== 'normal').length,
  hiddenNumbers: [...document.querySelectorAll('td.num, th.num')]
    .filter(c => c.offsetParent !== null)
    .filter(c => {
      const r = c.getBoundingClientRect();
      const box = (c.closest('.scroll') || d).getBoundingClientRect();
      return r.right > Math.min(box.right, d.clientWidth) + 0.5 || r.left < -0.5;
    })
    .map(c => c.textContent),
})));
"#;

fn check_page(client: &Session, case: &PageCase, width: u32, shots: Option<&Path>) {
    let what = format!("{} at {width} px", case.file.display());
    client.set_window_size(width, 900).expect("window size");
    let url = format!("file://{}", case.file.display());
    client.goto(&url).expect("page loads");
    let found: Value = client.execute_async(PROBE).expect("probe runs");
    let n = |k: &str| found[k].as_f64().unwrap_or(f64::NAN);
    assert!(
        n("scrollWidth") <= n("clientWidth"),
        "{what}: the document is {} px wide in a {} px window",
        n("scrollWidth"),
        n("clientWidth")
    );
    let svgs = found["svgs"].as_array().unwrap();
    assert!(!svgs.is_empty(), "{what}: no chart");
    for svg in svgs {
        assert!(
            svg["w"].as_f64().unwrap() > 0.0
                && svg["h"].as_f64().unwrap() > 0.0
                && svg["shapes"].as_u64().unwrap() > 20,
            "{what}: a chart is not drawn: {svg}"
        );
    }
    // Every chart's right edge is in its frame, or the frame scrolls to it
    // and says so; its smallest text is legible.
    for chart in found["charts"].as_array().unwrap() {
        let yes = |k: &str| chart[k].as_bool().unwrap();
        assert!(
            yes("fits") || (yes("scrolls") && yes("cue")),
            "{what}: a chart's right edge is hidden with no cue: {chart}"
        );
        assert!(
            chart["smallest"].as_f64().unwrap() >= 9.0,
            "{what}: chart text of {} px",
            chart["smallest"]
        );
    }
    // No number of a table is out of sight, and no text of a text
    // summary (or any other <pre> in sight) is cut at the frame's edge.
    let hidden = found["hiddenNumbers"].as_array().unwrap();
    assert!(hidden.is_empty(), "{what}: numbers off-screen: {hidden:?}");
    let cut = found["hiddenText"].as_array().unwrap();
    assert!(cut.is_empty(), "{what}: text cut at its frame: {cut:?}");
    let pictures = found["pictures"].as_array().unwrap();
    assert_eq!(pictures.len(), 2 * svgs.len(), "{what}: {pictures:?}");
    for picture in pictures {
        assert!(
            picture["width"].as_u64().unwrap() > 0,
            "{what}: a linked picture does not load: {picture}"
        );
    }
    let answer = found["answer"].as_str().unwrap();
    assert!(answer.len() > 10, "{what}: no answer in the summary");
    let command = found["command"].as_str().unwrap();
    assert!(
        command.starts_with(case.command),
        "{what}: reproduction command {command:?}"
    );
    for resource in found["resources"].as_array().unwrap() {
        let resource = resource.as_str().unwrap();
        assert!(
            resource.starts_with("file://"),
            "{what}: asked for {resource}"
        );
    }
    assert!(
        n("smallestText") >= 12.0,
        "{what}: text of {} px",
        n("smallestText")
    );
    // Every chart's embedded font decodes (a font the browser rejects
    // would be "error", and the text drawn in a fallback).
    let fonts: Vec<&str> = found["fonts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        fonts.len() >= svgs.len() && fonts.iter().all(|f| f.ends_with(": loaded")),
        "{what}: fonts {fonts:?}"
    );
    screenshot(client, &case.file, width, shots);
}

/// Keep a screenshot of the page shown, if `shots` names a folder.
fn screenshot(client: &Session, file: &Path, width: u32, shots: Option<&Path>) {
    if let Some(dir) = shots {
        let png = client.screenshot().expect("screenshot");
        // A study's page by its directory; the folder's index as "index".
        let stem = if file.ends_with("index.html") {
            "index"
        } else {
            file.parent()
                .and_then(|d| d.file_name())
                .and_then(|n| n.to_str())
                .unwrap()
        };
        std::fs::write(dir.join(format!("page-{stem}-{width}.png")), png).unwrap();
    }
}

/// The index of the folder: it fits the window, links every page (each
/// link to a file that is there), and asks for nothing else.
fn check_index(
    client: &Session,
    folder: &Path,
    pages: &[PageCase],
    width: u32,
    shots: Option<&Path>,
) {
    let file = folder.join("index.html");
    let what = format!("{} at {width} px", file.display());
    client.set_window_size(width, 900).expect("window size");
    client
        .goto(&format!("file://{}", file.display()))
        .expect("index loads");
    let found: Value = client.execute_async(PROBE).expect("probe runs");
    let n = |k: &str| found[k].as_f64().unwrap_or(f64::NAN);
    assert!(n("scrollWidth") <= n("clientWidth"), "{what}: overflows");
    // Every date in sight, every command unbroken inside its words.
    let hidden = found["hiddenNumbers"].as_array().unwrap();
    assert!(hidden.is_empty(), "{what}: off-screen: {hidden:?}");
    assert_eq!(
        found["brokenCommands"], 0,
        "{what}: a command breaks mid-word"
    );
    let mut studies: Vec<PathBuf> = found["studies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| folder.join(h.as_str().unwrap()))
        .collect();
    studies.sort();
    let mut expected: Vec<PathBuf> = pages.iter().map(|p| p.file.clone()).collect();
    expected.sort();
    assert_eq!(studies, expected, "{what}");
    for resource in found["resources"].as_array().unwrap() {
        assert!(
            resource.as_str().unwrap().starts_with("file://"),
            "{what}: {resource}"
        );
    }
    assert!(
        n("smallestText") >= 12.0,
        "{what}: text of {} px",
        n("smallestText")
    );
    screenshot(client, &file, width, shots);
}

#[test]
#[ignore = "needs chromium and chromium-driver: run .ci/run or cargo test -- --ignored"]
fn every_page_renders_in_chromium_at_desktop_width() {
    every_page_renders_at(DESKTOP);
}

#[test]
#[ignore = "needs chromium and chromium-driver: run .ci/run or cargo test -- --ignored"]
fn every_page_renders_in_chromium_at_phone_width() {
    every_page_renders_at(PHONE);
}

/// Every kind of page, and the index, checked `width` pixels wide.
fn every_page_renders_at(width: u32) {
    let scratch = tempfile::tempdir().unwrap();
    let pages = make_pages(scratch.path());
    let shots = std::env::var_os("BACKCHANNEL_SCREENSHOTS").map(PathBuf::from);
    let driver = start_driver();
    let client = connect(&driver);
    for case in &pages {
        check_page(&client, case, width, shots.as_deref());
    }
    check_index(&client, scratch.path(), &pages, width, shots.as_deref());
    client.close().expect("browser closes");
}
