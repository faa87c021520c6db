//! Why the channel broke: every possible cause of a break (each breaking
//! shock, each spoiler that can strike) ranked by how often it broke the
//! channel, as a share of all runs with its 95 % whisker.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    Area, Axis, DrawResult, Header, Mark, PlotInput, PlotKind, Theme, fit, percent, percent_axis,
    tick_label, ticks, whisker, widest, with_interval,
};
use crate::report::palette::{INK, MUTED, Outcome};

pub fn draw<DB: DrawingBackend>(area: &Area<DB>, input: PlotInput<'_>) -> DrawResult<DB> {
    let s = input.summary;
    let broken = s.channel.get("broken").copied();
    let colour = Outcome::Broken.colour();
    let mut header = Header::new(PlotKind::Causes, s);
    if let Some(broken) = broken {
        header = header.line(format!(
            "Channel broken in {} of runs; each bar: the share of all runs broken by that cause",
            with_interval(&broken)
        ));
    }
    if !s.causes.0.is_empty() {
        header = header
            .legend("Broken by this cause", Mark::Square(colour))
            .legend("95 % interval", Mark::Whisker);
    }
    let body = header.draw(area)?;
    let t = Theme::of(&body);

    // Most frequent first; ties in file order (the summary's order).
    let mut causes: Vec<(usize, &String, _)> = s
        .causes
        .0
        .iter()
        .enumerate()
        .map(|(i, (key, p))| (i, key, *p))
        .collect();
    causes.sort_by(|a, b| b.2.count.cmp(&a.2.count).then(a.0.cmp(&b.0)));
    if causes.is_empty() {
        let style = t
            .font(18.0)
            .color(&MUTED)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let (w, h) = body.dim_in_pixel();
        body.draw_text(
            "No shock or spoiler in this scenario can break the channel",
            &style,
            (w as i32 / 2, h as i32 / 2),
        )?;
        return Ok(());
    }

    let label_font = t.font(15.0);
    let (w, _) = body.dim_in_pixel();
    let max_label = (w as f64 * 0.42) as u32;
    let mut labels = Vec::new();
    for (_, key, _) in &causes {
        labels.push(fit(
            &body,
            &input.info.names.cause(key),
            &label_font,
            max_label,
        )?);
    }
    let label_area = widest(&body, &labels, &label_font)? as i32 + t.px(16.0);

    let n = causes.len();
    let max = causes.iter().map(|c| 100.0 * c.2.hi).fold(0.0, f64::max);
    // Room on the right for the printed value.
    let (top, step) = percent_axis(max * 1.3);
    let rank_y = |rank: usize| (n - 1 - rank) as f64;
    let y_range = Axis::new(-0.6..n as f64 - 0.4, (0..n).map(|i| i as f64).collect());
    let x_range = Axis::new(0.0..top, ticks(top, step));
    let mut chart = t
        .frame(&body, label_area)
        .build_cartesian_2d(x_range, y_range)?;
    let y_formatter = |y: &f64| {
        let row = y.round();
        if row >= 0.0 && (row as usize) < n {
            labels[n - 1 - row as usize].clone()
        } else {
            String::new()
        }
    };
    let x_formatter = |x: &f64| tick_label(*x, step);
    t.mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .y_label_style(label_font.color(&INK))
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .x_desc("Share of all runs in which this cause broke the channel (%)")
        .draw()?;

    // Bars no thicker than 44 SVG pixels, however few causes there are.
    let (_, plot_h) = chart.plotting_area().dim_in_pixel();
    let row_px = plot_h as f64 / (n as f64 + 0.2);
    let half = (0.3_f64).min(t.s * 22.0 / row_px);
    chart.draw_series(causes.iter().enumerate().map(|(rank, (_, _, p))| {
        let y = rank_y(rank);
        Rectangle::new([(0.0, y - half), (100.0 * p.p, y + half)], colour.filled())
    }))?;
    let ink = t.stroke(INK, 1.5);
    for (rank, (_, _, p)) in causes.iter().enumerate() {
        chart.draw_series(whisker(
            rank_y(rank),
            100.0 * p.lo,
            100.0 * p.hi,
            half * 0.45,
            true,
            ink,
        ))?;
    }
    let style = t
        .bold(14.0)
        .color(&INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let gap = t.px(7.0);
    chart.draw_series(causes.iter().enumerate().map(|(rank, (_, _, p))| {
        EmptyElement::at((100.0 * p.hi, rank_y(rank)))
            + Text::new(percent(p.p), (gap, 0), style.clone())
    }))?;
    Ok(())
}
