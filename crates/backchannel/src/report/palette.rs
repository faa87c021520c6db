//! One colour-blind-safe palette for every plot, and one table of what each
//! colour means ([`Meaning`]): a chart takes its colours from it and
//! nowhere else, and no two meanings share a colour. The outcomes take the
//! Okabe–Ito colours (Okabe & Ito 2008, "Color Universal Design"): green is
//! the full deal (a comprehensive deal, a concluded channel and a ratified
//! issue), blue the channel open (active, or not broken), vermillion failure
//! (a broken channel, a rejected issue), and every cause of a break a shade
//! of that vermillion, darkest for the most frequent; grey is "nothing
//! happened". The scenarios of a comparison take ink for the baseline and
//! then hues of Paul Tol's colour-blind-safe "muted" scheme (Tol 2021, "Colour
//! Schemes", SRON/EPS/TN/09-002) that no outcome uses; two measures of one
//! thing (at low and at high, first order and total, if it happens and if
//! not, prior and posterior, observed and predicted, peeling and pasting) are
//! a dark and a light purple, in that order.

use plotters::style::RGBColor;

/// Okabe–Ito colours by their published names.
pub mod okabe_ito {
    use plotters::style::RGBColor;
    pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
}

/// A neutral grey for "none".
pub const GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);
/// Text, axes and interval whiskers.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text (subtitles, notes).
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Light grid lines.
pub const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);

/// A light grey: a prior range behind what the data made of it.
pub const PRIOR: RGBColor = RGBColor(0xDB, 0xDB, 0xDB);
/// A dark grey: a bar's spread across the judged inputs.
pub const SPREAD: RGBColor = RGBColor(80, 80, 80);

/// Causes of a break shown by name before the rest are summed as "other
/// causes".
pub const NAMED_CAUSES: usize = 4;

/// Every meaning a colour carries in a chart, each with its one colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// An outcome of a run.
    Outcome(Outcome),
    /// The cause of a break of rank `k` by frequency, from 0, up to
    /// [`NAMED_CAUSES`]; `NAMED_CAUSES` itself: the other causes summed.
    Cause(usize),
    /// Scenario `k` of a comparison, from 0 (the baseline); the colours
    /// repeat after [`SCENARIO_COLOURS`] (the legend names each).
    Scenario(usize),
    /// The first of two measures of one thing side by side, dark.
    FirstMeasure,
    /// The second of them, light.
    SecondMeasure,
}

/// The scenarios' colours: ink for the baseline, then Tol's muted wine,
/// olive, teal and sand.
const SCENARIO_COLOURS: [RGBColor; 5] = [
    INK,
    RGBColor(0x88, 0x22, 0x55),
    RGBColor(0x99, 0x99, 0x33),
    RGBColor(0x44, 0xAA, 0x99),
    RGBColor(0xDD, 0xCC, 0x77),
];

impl Meaning {
    /// The one colour of this meaning.
    pub fn colour(self) -> RGBColor {
        match self {
            Meaning::Outcome(outcome) => outcome.colour(),
            // Vermillion on white at falling strength by rank, every one
            // lighter than the broken channel they make up.
            Meaning::Cause(k) => {
                on_white(okabe_ito::VERMILLION, 0.85 - 0.16 * k.min(NAMED_CAUSES) as f64)
            }
            Meaning::Scenario(k) => SCENARIO_COLOURS[k % SCENARIO_COLOURS.len()],
            Meaning::FirstMeasure => RGBColor(0x54, 0x27, 0x88),
            Meaning::SecondMeasure => RGBColor(0xB2, 0xAB, 0xD2),
        }
    }

    /// Every meaning a chart can give a colour, the outcomes that are one
    /// meaning under several names listed once each.
    #[cfg(test)]
    fn all() -> Vec<Meaning> {
        use Outcome::*;
        let mut all: Vec<Meaning> = [Comprehensive, Partial, None, Active, Suspended, Broken, Agreed]
            .into_iter()
            .map(Meaning::Outcome)
            .collect();
        all.extend((0..=NAMED_CAUSES).map(Meaning::Cause));
        all.extend((0..SCENARIO_COLOURS.len()).map(Meaning::Scenario));
        all.extend([Meaning::FirstMeasure, Meaning::SecondMeasure]);
        all
    }
}

/// `colour` at opacity `alpha` over white: a tint of it, and how a band of
/// it looks (for its legend swatch).
pub fn on_white(colour: RGBColor, alpha: f64) -> RGBColor {
    let mix = |c: u8| (255.0 - alpha * (255.0 - f64::from(c))).round() as u8;
    RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
}

/// Every outcome a plot shows, each with its fixed colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Deal levels.
    Comprehensive,
    Partial,
    None,
    /// Channel states at the end of a run.
    Concluded,
    Active,
    Suspended,
    Broken,
    /// Per-issue outcomes.
    Agreed,
    Ratified,
    Rejected,
    /// The channel not broken (the survival curve).
    Continued,
}

impl Outcome {
    #[cfg(test)]
    pub const ALL: [Outcome; 11] = [
        Outcome::Comprehensive,
        Outcome::Partial,
        Outcome::None,
        Outcome::Concluded,
        Outcome::Active,
        Outcome::Suspended,
        Outcome::Broken,
        Outcome::Agreed,
        Outcome::Ratified,
        Outcome::Rejected,
        Outcome::Continued,
    ];

    /// The fixed colour of this outcome.
    pub const fn colour(self) -> RGBColor {
        use okabe_ito::*;
        match self {
            // Concluded ⇔ a comprehensive deal; ratified is the issue-level
            // version of the same success.
            Outcome::Comprehensive | Outcome::Concluded | Outcome::Ratified => BLUISH_GREEN,
            Outcome::Partial => SKY_BLUE,
            Outcome::None => GREY,
            Outcome::Active | Outcome::Continued => BLUE,
            Outcome::Suspended => ORANGE,
            Outcome::Broken | Outcome::Rejected => VERMILLION,
            Outcome::Agreed => REDDISH_PURPLE,
        }
    }

    /// The outcome named by a `summary.json` key (`deal.*`, `channel.*` and
    /// the per-issue keys), if any.
    pub fn from_key(key: &str) -> Option<Outcome> {
        Some(match key {
            "comprehensive" => Outcome::Comprehensive,
            "partial" => Outcome::Partial,
            "none" => Outcome::None,
            "concluded" => Outcome::Concluded,
            "active" => Outcome::Active,
            "suspended" => Outcome::Suspended,
            "broken" => Outcome::Broken,
            "agreed" => Outcome::Agreed,
            "ratified" => Outcome::Ratified,
            "rejected" => Outcome::Rejected,
            "continued" => Outcome::Continued,
            _ => return None,
        })
    }

    /// `#RRGGBB`, as the page's CSS writes the colour (the tests compare).
    #[cfg(test)]
    pub fn hex(self) -> String {
        let RGBColor(r, g, b) = self.colour();
        format!("#{r:02X}{g:02X}{b:02X}")
    }
}

/// The colour of a `summary.json` outcome key; grey for an unknown key.
pub fn colour_of(key: &str) -> RGBColor {
    Outcome::from_key(key).map_or(GREY, Outcome::colour)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_shown_together_never_share_a_colour() {
        use Outcome::*;
        // Groups that appear in one plot.
        for group in [
            &[Comprehensive, Partial, None][..],
            &[Concluded, Active, Suspended, Broken],
            &[Agreed, Ratified, Rejected],
        ] {
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    assert_ne!(a.colour(), b.colour(), "{a:?} and {b:?}");
                }
            }
        }
    }

    /// The palette table: no colour means two things, and none is the
    /// grey of "nothing happened" or the ink of text and whiskers unless it
    /// is the baseline's.
    #[test]
    fn no_colour_means_two_things() {
        let all = Meaning::all();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a.colour(), b.colour(), "{a:?} and {b:?}");
            }
            let neutral = [GREY, MUTED, GRID, PRIOR, SPREAD];
            assert!(
                *a == Meaning::Outcome(Outcome::None) || !neutral.contains(&a.colour()),
                "{a:?}"
            );
        }
        // The outcomes that share a colour are one meaning each: the full
        // deal, the channel open, failure.
        use Outcome::*;
        for same in [
            &[Comprehensive, Concluded, Ratified][..],
            &[Active, Continued],
            &[Broken, Rejected],
        ] {
            assert!(same.iter().all(|o| o.colour() == same[0].colour()));
        }
    }

    /// Categorical colours come from this table alone: no other file of the
    /// report names an Okabe–Ito colour or makes a colour of its own, but
    /// for the continuous viridis scale of the heat map.
    #[test]
    fn charts_take_their_colours_from_the_table() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/report");
        let mut files = vec![std::path::PathBuf::from(dir)];
        let mut checked = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.ends_with("palette.rs") || path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            for (n, line) in code.lines().enumerate() {
                let viridis = path.ends_with("charts.rs") && line.trim_start().starts_with("RGBColor(");
                assert!(
                    !line.contains("okabe_ito::") && (viridis || !line.contains("RGBColor(")),
                    "{}:{}: {line}",
                    path.display(),
                    n + 1
                );
            }
            checked += 1;
        }
        assert!(checked > 20);
    }

    #[test]
    fn every_summary_key_maps_to_its_outcome() {
        for outcome in Outcome::ALL {
            let key = format!("{outcome:?}").to_lowercase();
            assert_eq!(Outcome::from_key(&key), Some(outcome));
            assert_eq!(colour_of(&key), outcome.colour());
        }
        assert_eq!(colour_of("unheard-of"), GREY);
        assert_eq!(Outcome::Broken.hex(), "#D55E00");
    }
}
