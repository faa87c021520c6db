//! `summary.csv`: one metric a row, `metric,p,lo,hi`, metrics named by their
//! dotted path in `summary.json` (`deal.partial`, `survival.3`).

use super::Summary;
use crate::engine::metrics::{CHANNEL_CONTINUED, ESCALATION};
use crate::stats::Proportion;

/// Every proportion of the summary as `(metric, p, lo, hi)`, in JSON order.
pub fn rows(summary: &Summary) -> Vec<(String, f64, f64, f64)> {
    let mut rows = Vec::new();
    let mut push = |metric: String, p: &Proportion| rows.push((metric, p.p, p.lo, p.hi));
    push(CHANNEL_CONTINUED.into(), &summary.channel_continued);
    push(ESCALATION.into(), &summary.escalation);
    for (group, map) in [
        ("deal", &summary.deal),
        ("channel", &summary.channel),
        ("causes", &summary.causes),
    ] {
        for (key, p) in &map.0 {
            push(format!("{group}.{key}"), p);
        }
    }
    for (id, outcome) in &summary.issues.0 {
        push(format!("issues.{id}.agreed"), &outcome.agreed);
        push(format!("issues.{id}.ratified"), &outcome.ratified);
        push(format!("issues.{id}.rejected"), &outcome.rejected);
    }
    for point in &summary.survival {
        rows.push((
            format!("survival.{}", point.round),
            point.p,
            point.lo,
            point.hi,
        ));
    }
    rows
}

/// The CSV text.
pub fn to_csv(summary: &Summary) -> Vec<u8> {
    super::csv_bytes(
        &["metric", "p", "lo", "hi"],
        rows(summary)
            .into_iter()
            .map(|(metric, p, lo, hi)| vec![metric, p.to_string(), lo.to_string(), hi.to_string()]),
    )
}
