//! What the plot tests share: decoding a PNG the binary wrote, measuring
//! how much of it is drawn on, and reading the text of an SVG.

use std::fs;
use std::path::Path;

/// Width, height and RGB pixels of an 8-bit RGB PNG.
pub fn decode_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb, "{}", path.display());
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

/// The share of pixels that are not white.
pub fn ink_share(width: u32, height: u32, pixels: &[u8]) -> f64 {
    let ink = pixels
        .chunks_exact(3)
        .filter(|p| *p != [255, 255, 255])
        .count();
    ink as f64 / (width * height) as f64
}

/// Every `<text>` of an SVG file, trimmed; panics if it is not XML or not
/// an SVG.
pub fn svg_texts(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} is not XML: {e}", path.display()));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect()
}
