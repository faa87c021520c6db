//! The one-screen text summary printed at the end of a run, and
//! [`printable`], which every line printed to a terminal passes user text
//! through.

use std::borrow::Cow;
use std::fmt::Write;

use super::Summary;
use super::uncertainty::{InputSummary, Moments, Uncertainty};
use crate::engine::metrics::{CHANNEL_CONTINUED, ESCALATION};
use crate::stats::Proportion;

/// `n word`, with an `s` unless `n` is 1: "1 issue", "2 shocks".
pub fn plural(n: impl Into<u64>, word: &str) -> String {
    match n.into() {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    }
}

/// `text` safe to print on a terminal: every control character (escape
/// sequences, carriage returns, bells, newlines inside a label) is shown as
/// its Rust escape, e.g. `\u{1b}`. Labels and overrides are free text from
/// scenario files and the command line; printed raw, they could recolour,
/// overwrite or clear what the user reads.
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
    if let Some(partial) = &s.partial {
        let _ = writeln!(
            out,
            "PARTIAL MERGE: {} of the study's {} runs; missing {}",
            s.runs,
            partial.study_runs,
            printable(&partial.missing)
        );
    }
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
        if let Some(prior) = &s.prior {
            let _ = writeln!(
                out,
                "  Each probability below: before the news (all {} runs tried) → given it, with its interval",
                prior.runs
            );
        }
    }
    match &s.uncertainty {
        None => {
            let _ = writeln!(
                out,
                "(probabilities with 95% Wilson intervals, in percent)\n"
            );
        }
        Some(u) => {
            let _ = writeln!(
                out,
                "(probabilities in percent with 95% intervals over {} worlds of {} runs each; \"across\" gives the\n \
                 5th to 95th percentile over the judged inputs' ranges: what we don't know, not chance)\n",
                u.worlds, u.runs_per_world
            );
        }
    }
    let spread = |key: &str| -> String {
        let Some(spread) = s.uncertainty.as_ref().and_then(|u| u.headline.get(key)) else {
            return String::new();
        };
        format!(
            "  across {:.0}–{:.0}",
            100.0 * spread.p05,
            100.0 * spread.p95
        )
    };
    // Under news, each headline probability before it, as the page's
    // headline shows it: "30.2 →  31.9%".
    let prior = s.prior.as_ref().map(|p| p.headline()).unwrap_or_default();
    let before = |key: &str| -> String {
        prior
            .iter()
            .find(|h| h.metric == key)
            .map_or(String::new(), |h| format!("{:>5.1} →", 100.0 * h.value.p))
    };
    let _ = writeln!(
        out,
        "  P(channel continued)   {}{}{}",
        before(CHANNEL_CONTINUED),
        interval(&s.channel_continued),
        spread(CHANNEL_CONTINUED)
    );
    let _ = writeln!(
        out,
        "  P(escalation)          {}{}{}",
        before(ESCALATION),
        interval(&s.escalation),
        spread(ESCALATION)
    );
    let _ = writeln!(out, "\n  Deal");
    for (name, p) in &s.deal.0 {
        let _ = writeln!(
            out,
            "    {:<20} {}{}{}",
            s.deal_label(name),
            before(&format!("deal.{name}")),
            interval(p),
            spread(&format!("deal.{name}"))
        );
    }
    if !s.comprehensive_issues {
        let _ = writeln!(
            out,
            "    (no issue is comprehensive: complete means every issue ratified)"
        );
    }
    let _ = writeln!(out, "\n  Channel at the end");
    for (name, p) in &s.channel.0 {
        let _ = writeln!(
            out,
            "    {name:<20} {}{}{}",
            before(&format!("channel.{name}")),
            interval(p),
            spread(&format!("channel.{name}"))
        );
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
    if let Some(u) = &s.uncertainty {
        judged_inputs(&mut out, u);
    }
    out
}

/// How many judged inputs the news moved to list.
const TOP_MOVED: usize = 5;

/// The judged inputs in plain words: how much of the headline's variance
/// they explain, and, under `--given`, which ones the news moved.
fn judged_inputs(out: &mut String, u: &Uncertainty) {
    let share = u
        .headline
        .get(CHANNEL_CONTINUED)
        .map_or(0.0, |s| s.share_from_inputs);
    let _ = writeln!(
        out,
        "\n  Judged inputs: {}; they explain {} of the run-to-run variance of \"channel continued\", chance the rest",
        u.inputs.len(),
        percent(share)
    );
    let moved: Vec<&InputSummary> = u
        .moved_most
        .iter()
        .filter_map(|key| u.inputs.iter().find(|i| &i.key == key))
        .take(TOP_MOVED)
        .collect();
    if moved.is_empty() {
        if u.inputs.len() > TOP_MOVED {
            let _ = writeln!(out, "  (the first {TOP_MOVED}; all are in summary.json)");
        }
        for input in u.inputs.iter().take(TOP_MOVED) {
            let _ = writeln!(
                out,
                "    {:<36} {}",
                printable(&input.key),
                printable(&input.distribution)
            );
        }
        return;
    }
    let _ = writeln!(out, "  What the news moved most (prior → posterior):");
    for input in moved {
        if let Some(posterior) = &input.posterior {
            let _ = writeln!(
                out,
                "    {:<36} {} → {}",
                printable(&input.key),
                moments(&input.prior),
                moments(posterior)
            );
        }
    }
}

/// "0.60 [0.42, 0.78]" (mean and 90 % range), or "direct 25%, indirect 75%".
pub fn moments(m: &Moments) -> String {
    match m {
        Moments::Number { mean, p05, p95 } => format!("{mean:.2} [{p05:.2}, {p95:.2}]"),
        Moments::Shares { shares } => shares
            .0
            .iter()
            .map(|(option, share)| format!("{option} {}", percent(*share)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", 100.0 * share)
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
