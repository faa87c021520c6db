//! The one-screen text summary printed at the end of a run, and
//! [`printable`], which every line printed to a terminal passes user text
//! through.

use std::borrow::Cow;
use std::fmt::Write;

use super::Summary;
use crate::stats::Proportion;

/// `text` safe to print on a terminal: every control character (escape
/// sequences, carriage returns, bells, newlines inside a label) is shown as
/// its Rust escape, e.g. `\u{1b}`. Labels and overrides are free text from
/// scenario files and the command line; printed raw, they could recolour,
/// overwrite or clear what the user reads.
/// `n word`, with an `s` unless `n` is 1: "1 issue", "2 shocks".
pub fn plural(n: impl Into<u64>, word: &str) -> String {
    match n.into() {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    }
}

pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

fn interval(p: &Proportion) -> String {
    format!(
        "{:>6.1}%  [{:.1}, {:.1}]",
        100.0 * p.p,
        100.0 * p.lo,
        100.0 * p.hi
    )
}

/// How many break causes to list.
const TOP_CAUSES: usize = 5;

pub fn render(summary: &Summary) -> String {
    let mut out = String::new();
    let s = summary;
    let _ = writeln!(
        out,
        "{} — {}, seed {}, horizon {}",
        printable(&s.scenario.display()),
        plural(s.runs, "run"),
        s.seed,
        plural(s.horizon, &printable(&s.round_label))
    );
    if let Some(c) = &s.conditioning {
        let _ = writeln!(
            out,
            "CONDITIONAL FORECAST: only runs consistent with {} observation{} ({} of {} runs tried, acceptance {:.2}%):",
            c.observations.len(),
            if c.observations.len() == 1 { "" } else { "s" },
            c.accepted,
            c.tried,
            100.0 * c.acceptance
        );
        for o in &c.observations {
            let _ = writeln!(out, "  - {}", printable(o));
        }
    }
    let _ = writeln!(
        out,
        "(probabilities with 95% Wilson intervals, in percent)\n"
    );
    let _ = writeln!(
        out,
        "  P(channel continued)   {}",
        interval(&s.channel_continued)
    );
    let _ = writeln!(out, "  P(escalation)          {}", interval(&s.escalation));
    let _ = writeln!(out, "\n  Deal");
    for (name, p) in &s.deal.0 {
        let _ = writeln!(out, "    {:<20} {}", s.deal_label(name), interval(p));
    }
    if !s.comprehensive_issues {
        let _ = writeln!(
            out,
            "    (no issue is comprehensive: complete means every issue ratified)"
        );
    }
    let _ = writeln!(out, "\n  Channel at the end");
    for (name, p) in &s.channel.0 {
        let _ = writeln!(out, "    {name:<20} {}", interval(p));
    }
    let mut causes: Vec<_> = s.causes.0.iter().filter(|(_, p)| p.count > 0).collect();
    causes.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(&b.0)));
    if !causes.is_empty() {
        let _ = writeln!(out, "\n  Why the channel broke (share of all runs)");
        for (name, p) in causes.iter().take(TOP_CAUSES) {
            let _ = writeln!(out, "    {name:<28} {}", interval(p));
        }
    }
    let first = &s.first_agreement_round;
    let share = if s.runs == 0 {
        0.0
    } else {
        100.0 * first.runs as f64 / s.runs as f64
    };
    match first.mean {
        Some(mean) => {
            let _ = writeln!(
                out,
                "\n  First agreement in {share:.1}% of runs, on average in {} {mean:.1}",
                printable(&s.round_label)
            );
        }
        None => {
            let _ = writeln!(out, "\n  No run reached any agreement");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn printable_shows_control_characters_as_escapes_and_keeps_the_rest() {
        assert_eq!(
            printable("\u{1b}[31mred\u{7}\rback\n\tDél…"),
            r"\u{1b}[31mred\u{7}\rback\n\tDél…"
        );
        assert!(matches!(
            printable("month — Dél…"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
