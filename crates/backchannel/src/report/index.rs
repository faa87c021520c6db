//! `index.html`: one page linking every study page in a folder of results
//! (`output/` by default), with each study's name, command, date and
//! answer, so several studies read as one set.
//!
//! The index sits in the parent of the study directories and is rebuilt
//! from what is there after every command that writes results: each
//! directory whose `manifest.json` is backchannel's and lists a page
//! (`report.html`, `comparison.html`, …) is one row, read from the meta
//! tags [`super::page::Page`] writes into every page's head. It is written
//! only once the folder holds two such pages (a single study needs no
//! index), and only over an `index.html` backchannel wrote itself, known by
//! its generator tag ([`GENERATOR`]): any other `index.html` is left alone
//! with a note. Like every output, it depends only on the files it reads.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::markup::{Html, html};
use super::page::CSS;
use crate::output::stopping::Stop;
use crate::output::tree;

/// The index's file name, in the parent of the study directories.
pub const FILE: &str = "index.html";

/// The generator tag that marks an `index.html` as backchannel's own.
pub const GENERATOR: &str = "<meta name=\"generator\" content=\"backchannel index\">";

/// How much of a page or manifest is read: the meta tags sit at the top of
/// a page, and a manifest larger than this is not one of ours.
const READ_LIMIT: u64 = 1 << 20;

/// One study as the index lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The study's directory name (the link goes to `dir/page`).
    pub dir: String,
    /// The page's file name, e.g. `report.html`.
    pub page: String,
    /// What kind of page: "report", "comparison", "sweep", …
    pub kind: String,
    pub title: String,
    /// The page's answer in plain language.
    pub answer: String,
    /// The command that reproduces the study.
    pub command: String,
    /// When the study started, from its manifest (seconds since 1970, UTC).
    pub started_at_unix: u64,
}

/// Rebuild the index in the folder holding `study` (a study directory
/// just written). Returns a note for the user when the index was not
/// written because something else is in its place, or cannot be written.
pub fn update(study: &Path, stop: Stop) -> Option<String> {
    let folder = match study.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let path = folder.join(FILE);
    let ours = match existing(&path) {
        Existing::Nothing => false,
        Existing::Ours => true,
        Existing::Foreign => {
            return Some(format!(
                "note: not updating {}: backchannel did not write it",
                path.display()
            ));
        }
    };
    let entries = entries(&folder);
    if entries.len() < 2 && !ours {
        return None;
    }
    tree::replace_file(&path, render(&entries).as_bytes(), stop)
        .err()
        .map(|e| {
            format!(
                "note: cannot write the index of the studies, {}: {e}",
                path.display()
            )
        })
}

enum Existing {
    Nothing,
    Ours,
    Foreign,
}

/// What is at the index's place: nothing, an index of ours, or anything
/// else (another file, a link, a directory), which is never replaced.
fn existing(path: &Path) -> Existing {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Existing::Nothing,
        Ok(m) if m.is_file() && read_start(path).is_some_and(|t| t.contains(GENERATOR)) => {
            Existing::Ours
        }
        _ => Existing::Foreign,
    }
}

/// The first [`READ_LIMIT`] bytes of a regular file, as text; `None` for
/// anything else (a FIFO, a link, a device: never waited on).
fn read_start(path: &Path) -> Option<String> {
    let file = tree::open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(READ_LIMIT).read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Every study page in `folder`, newest first (then by name).
pub fn entries(folder: &Path) -> Vec<Entry> {
    let Ok(read) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = read
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    let mut found: Vec<Entry> = dirs.iter().filter_map(|d| entry(d)).collect();
    found.sort_by(|a, b| {
        b.started_at_unix
            .cmp(&a.started_at_unix)
            .then_with(|| a.dir.cmp(&b.dir))
    });
    found
}

/// The study in `dir`, if its manifest is ours and lists a page that
/// carries the meta tags of [`super::page::Page`].
fn entry(dir: &Path) -> Option<Entry> {
    let manifest: serde_json::Value =
        serde_json::from_str(&read_start(&dir.join("manifest.json"))?).ok()?;
    if !manifest["schema"]
        .as_str()?
        .starts_with(crate::output::manifest::SCHEMA_FAMILY)
    {
        return None;
    }
    let page = manifest["files"]
        .as_array()?
        .iter()
        .filter_map(|f| f.as_str())
        .find(|f| f.ends_with(".html") && !f.contains('/'))?
        .to_string();
    let head = read_start(&dir.join(&page))?;
    let meta = |name: &str| meta_content(&head, name);
    Some(Entry {
        dir: dir.file_name()?.to_string_lossy().into_owned(),
        kind: meta("backchannel-kind")?,
        title: meta("backchannel-title")?,
        answer: meta("description")?,
        command: meta("backchannel-command")?,
        started_at_unix: manifest["started_at_unix"].as_u64().unwrap_or(0),
        page,
    })
}

/// The content of `<meta name="NAME" content="…">` in `html`, unescaped.
fn meta_content(html: &str, name: &str) -> Option<String> {
    let open = format!("<meta name=\"{name}\" content=\"");
    let start = html.find(&open)? + open.len();
    let end = start + html[start..].find('"')?;
    Some(unescape(&html[start..end]))
}

/// The inverse of [`Html::text`].
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// `seconds` since 1970 as "2026-02-06 14:03 UTC".
pub fn utc_date(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let minutes = (seconds % 86_400) / 60;
    // Days to a civil date (H. Hinnant, "chrono-Compatible Low-Level Date
    // Algorithms", days_from_civil's inverse).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        minutes / 60,
        minutes % 60
    )
}

/// `command`, escaped, with a break opportunity after each `/`, `=` and
/// `,`: the index's narrow column wraps a long path or `--vary` there, and
/// between words, never inside a word.
fn breakable(command: &str) -> Html {
    let mut out = Html::new();
    for piece in command.split_inclusive(['/', '=', ',']) {
        write!(out, "{}", Html::text(piece));
        if piece.ends_with(['/', '=', ',']) {
            out.push_markup("<wbr>");
        }
    }
    out
}

/// The index page of `entries`.
pub fn render(entries: &[Entry]) -> String {
    let mut out = html!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         {GENERATOR}\n<title>Studies — backchannel</title>\n<style>{CSS}</style>\n\
         </head>\n<body>\n<main>\n<header>\n<p class=\"kicker\">backchannel index</p>\n\
         <h1>Studies in this folder</h1>\n<p class=\"description\">Every study whose page is \
         in a folder beside this one, newest first: what it asked, its answer, and the command \
         that reproduces it. backchannel rewrites this page after each command that writes \
         results here.</p>\n</header>\n"
    );
    writeln!(
        out,
        "<section id=\"studies\">\n<div class=\"scroll\"><table>\n<thead><tr><th>Study</th>\
         <th>Answer</th><th>Command</th><th>Date</th></tr></thead>\n<tbody>"
    );
    for e in entries {
        let href = format!("{}/{}", percent_encode(&e.dir), percent_encode(&e.page));
        writeln!(
            out,
            "<tr><td><a href=\"{}\">{}</a><br><span class=\"kicker\">{}</span> {}</td>\
             <td>{}</td><td><code class=\"command\">{}</code></td><td class=\"num\">{}</td></tr>",
            Html::text(&href),
            Html::text(&e.dir),
            Html::text(&e.kind),
            Html::text(&e.title),
            Html::text(&e.answer),
            breakable(&e.command),
            Html::text(&utc_date(e.started_at_unix))
        );
    }
    writeln!(
        out,
        "</tbody>\n</table></div>\n</section>\n<footer>Made by backchannel {}.</footer>\n\
         </main>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    out.into_string()
}

/// A path segment as a URL: bytes other than unreserved characters are
/// percent-encoded (a directory may be named anything).
fn percent_encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_dates() {
        assert_eq!(utc_date(0), "1970-01-01 00:00 UTC");
        // 2026-02-06 14:03:59 UTC.
        assert_eq!(utc_date(1_770_386_639), "2026-02-06 14:03 UTC");
        // A leap day.
        assert_eq!(utc_date(951_782_400), "2000-02-29 00:00 UTC");
    }

    #[test]
    fn meta_tags_read_back_what_was_escaped() {
        let html = format!(
            "<meta name=\"description\" content=\"{}\">",
            Html::text("31 % <\"a\" & 'b'>")
        );
        assert_eq!(
            meta_content(&html, "description").as_deref(),
            Some("31 % <\"a\" & 'b'>")
        );
        assert_eq!(meta_content(&html, "backchannel-kind"), None);
    }

    #[test]
    fn links_encode_any_directory_name() {
        assert_eq!(percent_encode("my study #1"), "my%20study%20%231");
        assert_eq!(percent_encode("muscat-2026"), "muscat-2026");
    }

    #[test]
    fn the_index_is_marked_as_ours_and_escapes_what_it_shows() {
        let html = render(&[Entry {
            dir: "a<b".into(),
            page: "report.html".into(),
            kind: "report".into(),
            title: "demo".into(),
            answer: "The channel survives in 31.4 % of runs.".into(),
            command: "backchannel run 'x y'".into(),
            started_at_unix: 0,
        }]);
        assert!(html.contains(GENERATOR));
        assert!(html.contains("href=\"a%3Cb/report.html\">a&lt;b</a>"));
        assert!(html.contains("backchannel run &#39;x y&#39;"));
        assert!(html.contains("1970-01-01 00:00 UTC"));
        assert!(!html.contains("<script"));
    }
}
