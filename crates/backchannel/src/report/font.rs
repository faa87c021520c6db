//! The one font every plot uses, compiled into the binary so rendering
//! never reads the system's font stack (a bare machine has none).

use std::sync::Once;

use plotters::style::{FontStyle, register_font};

/// The family name plots ask for; [`register`] binds it to DejaVu Sans.
pub const FAMILY: &str = "sans-serif";

pub(super) static REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
pub(super) static BOLD: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");

static REGISTER: Once = Once::new();

/// Register DejaVu Sans (regular and bold) as [`FAMILY`]. Idempotent and
/// cheap after the first call; every renderer calls it first, because
/// plotters panics when it draws text with no font registered.
pub fn register() {
    REGISTER.call_once(|| {
        // Both files are fixed at compile time and are valid TrueType fonts
        // (the unit test below parses them), so failure here is a build bug.
        if register_font(FAMILY, FontStyle::Normal, REGULAR).is_err()
            || register_font(FAMILY, FontStyle::Bold, BOLD).is_err()
        {
            panic!("the embedded DejaVu Sans font does not parse");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_fonts_register_and_measure_text() {
        register();
        register();
        use plotters::style::{FontDesc, IntoFont};
        let font: FontDesc = (FAMILY, 20.0).into_font();
        let (w, h) = font.box_size("Survival").expect("the font lays out text");
        assert!(w > 40 && h > 10, "{w}x{h}");
        // Asked for by name (FontDesc::style would keep the regular glyphs),
        // the bold face is really the bold file: its glyphs are wider.
        let bold: FontDesc = (FAMILY, 20.0, FontStyle::Bold).into_font();
        let (bold_w, _) = bold
            .box_size("Survival")
            .expect("the bold font lays out text");
        assert!(bold_w > w, "bold {bold_w} vs regular {w}");
    }
}
