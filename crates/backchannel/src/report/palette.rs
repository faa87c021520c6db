//! One colour-blind-safe palette for every plot: the Okabe–Ito colours
//! (Okabe & Ito 2008, "Color Universal Design"), plus a neutral grey. Each
//! outcome has one fixed colour, so the same outcome looks the same in every
//! plot and across scenarios. Colours carry meaning: green is the full deal
//! (a comprehensive deal, a concluded channel and a ratified issue), vermillion
//! is failure (a broken channel, a rejected issue, and every cause of a
//! break), grey is "nothing happened".

use plotters::style::RGBColor;

/// Okabe–Ito colours by their published names.
pub mod okabe_ito {
    use plotters::style::RGBColor;
    pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
    pub const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);
}

/// A neutral grey for "none".
pub const GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);
/// Text, axes and interval whiskers.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text (subtitles, notes).
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Light grid lines.
pub const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);

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
