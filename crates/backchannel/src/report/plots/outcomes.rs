//! Outcome distribution: how the talks ended (deal level) and where the
//! channel stood at the end (channel state), as bars with 95 % whiskers and
//! the probability printed on each bar.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Area, Axis, DrawResult, Header, Mark, PlotInput, PlotKind, Theme, percent, whisker};
use crate::output::Summary;
use crate::output::summary::Ordered;
use crate::report::palette::{INK, SPREAD, colour_of};
use crate::stats::Proportion;
use crate::stats::spread::Spread;

/// Display label of a `deal.*` or `channel.*` key; `comprehensive_issues`
/// says whether the scenario has a comprehensive issue (when not, the deal
/// that concludes the track is every issue ratified: "Complete").
pub fn label(key: &str, comprehensive_issues: bool) -> String {
    match key {
        "comprehensive" if comprehensive_issues => "Comprehensive".into(),
        "comprehensive" => "Complete".into(),
        "partial" => "Partial".into(),
        "none" => "None".into(),
        "concluded" => "Concluded".into(),
        "active" => "Active".into(),
        "suspended" => "Suspended".into(),
        "broken" => "Broken".into(),
        other => other.into(),
    }
}

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, input: PlotInput<'_>) -> DrawResult<DB> {
    let s = input.summary;
    let mut header = Header::new(PlotKind::Outcomes, s)
        .line(format!(
            "Share of runs by the deal reached and by the channel's state after {} {}s",
            s.horizon, s.round_label
        ))
        .legend("95 % interval", Mark::Whisker);
    if s.uncertainty.is_some() {
        header = header.legend(
            "5–95 % across the judged inputs (beside each bar)",
            Mark::Square(SPREAD),
        );
    }
    let body = header.draw(area)?;
    let t = Theme::of(&body);
    let (w, _) = body.dim_in_pixel();
    // Split so that both panels' bars are equally wide: the left panel also
    // holds the y-axis title.
    let (left_axis, right_axis) = (t.px(78.0), t.px(52.0));
    let (margin_left, margin_right) = (t.px(24.0), t.px(28.0));
    let (n_deal, n_channel) = (s.deal.0.len().max(1), s.channel.0.len().max(1));
    let bars_width = w as i32 - left_axis - right_axis - 2 * (margin_left + margin_right);
    let unit = f64::from(bars_width) / (n_deal + n_channel) as f64;
    let split = left_axis + margin_left + margin_right + (unit * n_deal as f64).round() as i32;
    let (left, right) = body.split_horizontally(split);
    let margins = (margin_left, margin_right);
    let deal_caption = if s.comprehensive_issues {
        "Deal reached"
    } else {
        "Deal reached (complete: every issue ratified)"
    };
    panel(
        &left,
        t,
        deal_caption,
        &s.deal,
        &spreads(s, "deal", &s.deal),
        (left_axis, margins, s.comprehensive_issues),
        true,
    )?;
    let caption = "Channel at the end";
    panel(
        &right,
        t,
        caption,
        &s.channel,
        &spreads(s, "channel", &s.channel),
        (right_axis, margins, s.comprehensive_issues),
        false,
    )?;
    Ok(())
}


/// Each bar's spread across the judged inputs, when the study has them:
/// `uncertainty.headline` keys them `deal.<level>` and `channel.<state>`.
fn spreads(s: &Summary, prefix: &str, bars: &Ordered<Proportion>) -> Vec<Option<Spread>> {
    bars.0
        .iter()
        .map(|(key, _)| {
            s.uncertainty
                .as_ref()
                .and_then(|u| u.headline.get(&format!("{prefix}.{key}")).copied())
        })
        .collect()
}

fn panel<DB: DrawingBackend>(
    area: &Area<DB>,
    t: Theme,
    caption: &str,
    bars: &Ordered<Proportion>,
    spreads: &[Option<Spread>],
    (y_axis, (margin_left, margin_right), comprehensive_issues): (i32, (i32, i32), bool),
    y_title: bool,
) -> DrawResult<DB> {
    let n = bars.0.len();
    let x_range = Axis::new(-0.5..n as f64 - 0.5, (0..n).map(|i| i as f64).collect());
    // Parts of a whole: the axis ends at 100 %, not past it.
    let y_range = Axis::new(0.0..100.0, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    let mut chart = ChartBuilder::on(area)
        .margin_left(margin_left)
        .margin_right(margin_right)
        .margin_bottom(t.px(14.0))
        .caption(caption, t.bold(17.0).color(&INK))
        .x_label_area_size(t.px(40.0))
        .y_label_area_size(y_axis)
        .build_cartesian_2d(x_range, y_range)?;
    let labels: Vec<String> = bars
        .0
        .iter()
        .map(|(k, _)| label(k, comprehensive_issues))
        .collect();
    let x_formatter = |x: &f64| {
        let i = x.round();
        if i >= 0.0 && (i as usize) < labels.len() {
            labels[i as usize].clone()
        } else {
            String::new()
        }
    };
    let y_formatter = |y: &f64| format!("{y:.0}");
    let mut mesh = chart.configure_mesh();
    t.mesh(&mut mesh)
        .disable_x_mesh()
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter);
    if y_title {
        mesh.y_desc("Share of runs (%)");
    }
    mesh.draw()?;

    let half = 0.3;
    // A share above zero is never drawn thinner than 2 pixels, so a 0.2 %
    // bar still shows (its number is printed above it).
    let (_, plot_h) = chart.plotting_area().dim_in_pixel();
    let least = 100.0 * f64::from(t.upx(2.0)) / f64::from(plot_h.max(1));
    chart.draw_series(bars.0.iter().enumerate().map(|(i, (key, p))| {
        let x = i as f64;
        let top = if p.p > 0.0 {
            (100.0 * p.p).max(least)
        } else {
            0.0
        };
        Rectangle::new([(x - half, 0.0), (x + half, top)], colour_of(key).filled())
    }))?;
    let ink = t.stroke(INK, 1.5);
    for (i, (_, p)) in bars.0.iter().enumerate() {
        chart.draw_series(whisker(
            i as f64,
            100.0 * p.lo,
            100.0 * p.hi,
            0.08,
            false,
            ink,
        ))?;
    }
    // The spread across the judged inputs: a narrow grey bar beside the
    // whisker, from the 5th to the 95th percentile of the worlds.
    chart.draw_series(spreads.iter().enumerate().filter_map(|(i, spread)| {
        let spread = spread.as_ref()?;
        let x = i as f64 + half + 0.02;
        Some(Rectangle::new(
            [(x, 100.0 * spread.p05), (x + 0.07, 100.0 * spread.p95)],
            SPREAD.filled(),
        ))
    }))?;
    let value_style = t
        .bold(14.0)
        .color(&INK)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    let gap = t.px(5.0);
    // Above the whisker; inside the bar, under the whisker, when that would
    // leave the axis (bars near 100 %).
    let inside = value_style.pos(Pos::new(HPos::Center, VPos::Top));
    chart.draw_series(bars.0.iter().enumerate().map(|(i, (_, p))| {
        if p.hi > 0.9 {
            EmptyElement::at((i as f64, 100.0 * p.lo))
                + Text::new(percent(p.p), (0, gap), inside.clone())
        } else {
            EmptyElement::at((i as f64, 100.0 * p.hi))
                + Text::new(percent(p.p), (0, -gap), value_style.clone())
        }
    }))?;
    Ok(())
}
