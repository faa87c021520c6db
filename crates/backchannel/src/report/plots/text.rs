//! Text from scenario files on a chart: cut to a bounded length, wrapped
//! or shortened with an ellipsis to fit the room it has.

use std::borrow::Cow;

use plotters::prelude::*;

use super::theme::{AXIS_FONT, Theme};
use super::{Area, DrawResult};

/// The most characters of any text a chart draws (about two lines of a
/// chart's width). Names and labels come from scenario files and may be of
/// any length, and measuring text costs time in its length (fitting a label
/// measures it once per length tried): cutting every text drawn to this
/// keeps a chart's cost bounded whatever the scenario says. `report.html`
/// shows names in full.
pub const MAX_LABEL_CHARS: usize = 200;

/// `text` cut to at most `max_chars` characters, the last an ellipsis.
pub(super) fn shorten(text: &str, max_chars: usize) -> Cow<'_, str> {
    if text.chars().nth(max_chars).is_none() {
        return Cow::Borrowed(text);
    }
    let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    Cow::Owned(kept + "…")
}

/// A name or label as a chart measures and draws it: see
/// [`MAX_LABEL_CHARS`].
fn label(text: &str) -> Cow<'_, str> {
    shorten(text, MAX_LABEL_CHARS)
}

/// An axis description that may hold user text (a round label, a `--vary`
/// key), shortened to fit along the x axis of `area`, or the y axis when
/// `vertical`.
pub fn axis_desc<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    vertical: bool,
) -> DrawResult<DB, String> {
    let t = Theme::of(area);
    let (width, height) = area.dim_in_pixel();
    let along = if vertical { height } else { width };
    fit(
        area,
        text,
        &t.font(AXIS_FONT),
        along.saturating_sub(t.upx(60.0)),
    )
}

/// An x axis description beside `beside` pixels of row labels (a chart
/// whose y axis names its rows): shortened to the plot's own width, under
/// which it is centred, so that it never runs off the right edge.
pub fn x_desc_beside<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    beside: u32,
) -> DrawResult<DB, String> {
    let t = Theme::of(area);
    let room = area.dim_in_pixel().0.saturating_sub(beside + t.upx(60.0));
    fit(area, text, &t.font(AXIS_FONT), room)
}

/// `text` (cut to [`MAX_LABEL_CHARS`]) broken at spaces into lines of at
/// most `max_width` pixels (a word wider than that on its own is shortened
/// with an ellipsis), so long titles, scenario names and `--set` lists stay
/// on the chart.
pub fn wrap<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    font: &FontDesc<'_>,
    max_width: u32,
) -> DrawResult<DB, Vec<String>> {
    let text = label(text);
    let style = &TextStyle::from(font.clone());
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || area.estimate_text_size(&candidate, style)?.0 <= max_width {
            current = candidate;
        } else {
            lines.push(fit(area, &current, font, max_width)?);
            current = word.to_string();
        }
    }
    lines.push(fit(area, &current, font, max_width)?);
    Ok(lines)
}

/// Shorten `text` (cut to [`MAX_LABEL_CHARS`]) with an ellipsis until it
/// fits in `max_width` pixels.
pub fn fit<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    font: &FontDesc<'_>,
    max_width: u32,
) -> DrawResult<DB, String> {
    let text = &*label(text);
    let font = &TextStyle::from(font.clone());
    if area.estimate_text_size(text, font)?.0 <= max_width {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    for keep in (1..chars.len()).rev() {
        let candidate: String = chars[..keep]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
        if area.estimate_text_size(&candidate, font)?.0 <= max_width {
            return Ok(candidate);
        }
    }
    Ok("…".into())
}

/// The widest of `labels` in pixels.
pub fn widest<DB: DrawingBackend>(
    area: &Area<DB>,
    labels: &[String],
    font: &FontDesc<'_>,
) -> DrawResult<DB, u32> {
    let font = &TextStyle::from(font.clone());
    let mut widest = 0;
    for label in labels {
        widest = widest.max(area.estimate_text_size(label, font)?.0);
    }
    Ok(widest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_characters_not_bytes_and_ends_with_an_ellipsis() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "ab…");
        assert_eq!(shorten("éééé", 3), "éé…");
        let long = "w".repeat(30_000);
        assert_eq!(label(&long).chars().count(), MAX_LABEL_CHARS);
    }
}
