//! The font inside every SVG: the glyphs of DejaVu Sans (regular and bold)
//! that the chart's text uses, as a TrueType subset in an `@font-face`
//! data URI, so that an SVG renders with the font it was laid out in on
//! any machine, not only where DejaVu Sans is installed.
//!
//! A whole face is about 700 KB; the subset keeps only `.notdef`, the
//! glyphs of the characters drawn (and the parts of composite glyphs),
//! with the tables a browser needs to draw them as the whole font does
//! (`cmap`, `glyf`, `loca`, `hmtx`, `hhea`, `maxp`, `head`, `post`, `name`,
//! `OS/2`). What only changes how a glyph snaps to a screen's pixel grid is
//! left out: the hinting tables (`cvt `, `fpgm`, `prep`, `gasp`) and each
//! glyph's hinting instructions, which together made up about a third of a
//! subset (browsers on Linux and macOS ignore them; shapes, advances and
//! so the layout are the same). The font's licence, 4.8 KB of text that
//! its `name` table holds in both faces, is written once per SVG as text in
//! its `<metadata>`, beside the subsets it licenses. A flagship chart's SVG
//! is about a third of what it was with the whole tables (docs/REPORT.md).
//! The subset of a chart is a pure function of its text, and its family
//! name carries a hash of it, so that charts inlined together in one page
//! never take each other's glyphs.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use base64::Engine;
use sha2::{Digest, Sha256};
use ttf_parser::{Face, Tag};

use super::font::{BOLD, REGULAR};

/// The `name` record of the licence (its full text; record 14 is its
/// address, which the subset keeps).
const LICENCE: u16 = 13;

/// `svg` (as plotters writes it) with its text's glyphs embedded: a
/// `<style>` of `@font-face` rules after the root's first child, and every
/// `font-family` attribute equal to `family` asking for the embedded face
/// first, then `family` itself.
pub fn embed(svg: &str, family: &str) -> String {
    let (regular, bold) = characters(svg);
    if regular.is_empty() && bold.is_empty() {
        return svg.to_string();
    }
    let name = family_name(&regular, &bold);
    let mut style = String::from("<style>");
    for (chars, font, weight) in [(&regular, REGULAR, "normal"), (&bold, BOLD, "bold")] {
        if chars.is_empty() {
            continue;
        }
        if let Some(bytes) = subset(font, chars) {
            style.push_str(&format!(
                "@font-face{{font-family:\"{name}\";font-weight:{weight};\
                 src:url(data:font/ttf;base64,{})}}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            ));
        }
    }
    style.push_str("</style>");
    if let Some(licence) = licence(REGULAR) {
        style.push_str(&format!("\n<metadata>{}</metadata>", xml_escape(&licence)));
    }
    let svg = svg.replace(
        &format!("font-family=\"{family}\""),
        &format!("font-family=\"'{name}', {family}\""),
    );
    match svg
        .find("<svg")
        .and_then(|start| svg[start..].find('>').map(|end| start + end + 1))
    {
        Some(end) => format!("{}\n{style}{}", &svg[..end], &svg[end..]),
        None => svg,
    }
}

/// The licence text of `font` (both faces of DejaVu Sans carry the same).
fn licence(font: &[u8]) -> Option<String> {
    let face = Face::parse(font, 0).ok()?;
    face.names()
        .into_iter()
        .find(|n| n.name_id == LICENCE && n.is_unicode())
        .and_then(|n| n.to_string())
}

/// `text` as XML character data.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The characters of the SVG's regular and its bold text.
fn characters(svg: &str) -> (BTreeSet<char>, BTreeSet<char>) {
    let (mut regular, mut bold) = (BTreeSet::new(), BTreeSet::new());
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let Some(open_end) = rest[start..].find('>').map(|e| start + e) else {
            break;
        };
        let Some(close) = rest[open_end..].find("</text>").map(|e| open_end + e) else {
            break;
        };
        let target = if rest[start..open_end].contains("font-weight=\"bold\"") {
            &mut bold
        } else {
            &mut regular
        };
        target.extend(unescape(rest[open_end + 1..close].trim()).chars());
        rest = &rest[close..];
    }
    (regular, bold)
}

/// Text content with XML's entities and character references decoded.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let Some(end) = rest[at..].find(';').map(|e| at + e) else {
            break;
        };
        let entity = &rest[at + 1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&rest[at..=end]),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A family name unique to these glyphs: charts inlined in one page each
/// declare their own subset, and a shared name would let the last
/// declaration win for every chart.
fn family_name(regular: &BTreeSet<char>, bold: &BTreeSet<char>) -> String {
    let mut hash = Sha256::new();
    for set in [regular, bold] {
        hash.update(set.iter().collect::<String>().as_bytes());
        hash.update([0]);
    }
    let digest = hash.finalize();
    let hex: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
    format!("DejaVu Sans {hex}")
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

fn put_u16(data: &mut [u8], at: usize, value: u16) {
    data[at..at + 2].copy_from_slice(&value.to_be_bytes());
}

/// The glyphs of a font by glyph id: each one's bytes in `glyf`.
struct Glyphs<'a> {
    glyf: &'a [u8],
    loca: &'a [u8],
    long: bool,
}

impl Glyphs<'_> {
    fn data(&self, id: u16) -> Option<&[u8]> {
        let i = usize::from(id);
        let (start, end) = if self.long {
            (u32_at(self.loca, 4 * i)?, u32_at(self.loca, 4 * i + 4)?)
        } else {
            (
                u32::from(u16_at(self.loca, 2 * i)?) * 2,
                u32::from(u16_at(self.loca, 2 * i + 2)?) * 2,
            )
        };
        self.glyf.get(start as usize..end as usize)
    }
}

/// The flags of a glyph's component that say its instructions follow the
/// last component.
const WE_HAVE_INSTRUCTIONS: u16 = 0x0100;

/// Where a composite glyph's components start (the offset of each one's
/// flags in the glyph's bytes; empty for a simple glyph), and where the
/// last one ends.
fn components(glyph: &[u8]) -> (Vec<usize>, usize) {
    const WORDS: u16 = 0x0001;
    const SCALE: u16 = 0x0008;
    const MORE: u16 = 0x0020;
    const XY_SCALE: u16 = 0x0040;
    const TWO_BY_TWO: u16 = 0x0080;
    let mut starts = Vec::new();
    if glyph.len() < 10 || u16_at(glyph, 0).is_none_or(|n| (n as i16) >= 0) {
        return (starts, glyph.len());
    }
    let mut at = 10;
    while let Some(flags) = u16_at(glyph, at) {
        starts.push(at);
        at += 4 + if flags & WORDS != 0 { 4 } else { 2 };
        at += if flags & SCALE != 0 {
            2
        } else if flags & XY_SCALE != 0 {
            4
        } else if flags & TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE == 0 {
            break;
        }
    }
    (starts, at.min(glyph.len()))
}

/// Where a composite glyph names its components: the offset of each
/// component's glyph index in the glyph's bytes (empty for a simple glyph).
fn component_offsets(glyph: &[u8]) -> Vec<usize> {
    components(glyph).0.into_iter().map(|at| at + 2).collect()
}

/// `glyph` without its hinting instructions: a simple glyph's set to none
/// (the outline follows unchanged), a composite glyph's cut after its last
/// component and that component's flag cleared.
fn without_instructions(glyph: &[u8]) -> Option<Vec<u8>> {
    let Some(contours) = u16_at(glyph, 0).filter(|_| glyph.len() >= 10) else {
        return Some(glyph.to_vec());
    };
    if (contours as i16) >= 0 {
        let at = 10 + 2 * usize::from(contours);
        let skip = usize::from(u16_at(glyph, at)?);
        let mut out = glyph.get(..at)?.to_vec();
        out.extend([0, 0]);
        out.extend(glyph.get(at + 2 + skip..)?);
        return Some(out);
    }
    let (starts, end) = components(glyph);
    let mut out = glyph.get(..end)?.to_vec();
    let last = *starts.last()?;
    let flags = u16_at(&out, last)? & !WE_HAVE_INSTRUCTIONS;
    put_u16(&mut out, last, flags);
    Some(out)
}

/// A TrueType font of `font`'s glyphs for `chars` (those it has), or
/// `None` if `font` is not a TrueType font this can read.
pub fn subset(font: &[u8], chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let face = Face::parse(font, 0).ok()?;
    let raw = face.raw_face();
    let table = |tag: &[u8; 4]| raw.table(Tag::from_bytes(tag));
    let head = table(b"head")?;
    let glyphs = Glyphs {
        glyf: table(b"glyf")?,
        loca: table(b"loca")?,
        long: u16_at(head, 50)? == 1,
    };
    // New glyph ids: .notdef, each character's glyph, then the parts of
    // composite glyphs, each once.
    let mut old_ids: Vec<u16> = vec![0];
    let mut new_id: HashMap<u16, u16> = HashMap::from([(0, 0)]);
    let mut add = |id: u16, old_ids: &mut Vec<u16>| -> u16 {
        *new_id.entry(id).or_insert_with(|| {
            old_ids.push(id);
            (old_ids.len() - 1) as u16
        })
    };
    let mut cmap: BTreeMap<u16, u16> = BTreeMap::new();
    for &c in chars {
        if let (Some(glyph), Ok(code)) = (face.glyph_index(c), u16::try_from(u32::from(c))) {
            cmap.insert(code, add(glyph.0, &mut old_ids));
        }
    }
    let mut i = 0;
    while i < old_ids.len() {
        let data = glyphs.data(old_ids[i])?;
        for at in component_offsets(data) {
            add(u16_at(data, at)?, &mut old_ids);
        }
        i += 1;
    }
    let new_id: HashMap<u16, u16> = old_ids
        .iter()
        .enumerate()
        .map(|(n, &o)| (o, n as u16))
        .collect();
    let (glyf, loca) = glyf_and_loca(&glyphs, &old_ids, &new_id)?;
    let count = old_ids.len() as u16;
    let mut tables: Vec<([u8; 4], Vec<u8>)> = vec![
        (*b"cmap", cmap_table(&cmap)),
        (*b"glyf", glyf),
        (*b"loca", loca),
        (*b"hmtx", hmtx_table(&face, &old_ids)?),
        (*b"hhea", patched(table(b"hhea")?, 34, count)?),
        (*b"maxp", patched(table(b"maxp")?, 4, count)?),
        (*b"head", {
            let mut head = patched(head, 50, 1)?;
            head[8..12].fill(0);
            head
        }),
        (*b"post", post_table(table(b"post")?)?),
        (*b"name", name_table(table(b"name")?)?),
    ];
    if let Some(os2) = table(b"OS/2") {
        tables.push((*b"OS/2", os2.to_vec()));
    }
    Some(font_file(tables))
}

/// `table` with the u16 at `at` set to `value`.
fn patched(table: &[u8], at: usize, value: u16) -> Option<Vec<u8>> {
    let mut copy = table.to_vec();
    copy.get(at..at + 2)?;
    put_u16(&mut copy, at, value);
    Some(copy)
}

/// The kept glyphs, each padded to four bytes, with composite glyphs
/// naming their parts by their new ids, and their long offsets.
fn glyf_and_loca(
    glyphs: &Glyphs,
    old_ids: &[u16],
    new_id: &HashMap<u16, u16>,
) -> Option<(Vec<u8>, Vec<u8>)> {
    let (mut glyf, mut loca) = (Vec::new(), Vec::new());
    for &old in old_ids {
        loca.extend((glyf.len() as u32).to_be_bytes());
        let mut data = without_instructions(glyphs.data(old)?)?;
        for at in component_offsets(&data) {
            let part = new_id.get(&u16_at(&data, at)?)?;
            put_u16(&mut data, at, *part);
        }
        glyf.extend(&data);
        glyf.resize(glyf.len().next_multiple_of(4), 0);
    }
    loca.extend((glyf.len() as u32).to_be_bytes());
    Some((glyf, loca))
}

/// Every kept glyph's advance and left side bearing.
fn hmtx_table(face: &Face, old_ids: &[u16]) -> Option<Vec<u8>> {
    let mut hmtx = Vec::new();
    for &old in old_ids {
        let id = ttf_parser::GlyphId(old);
        hmtx.extend(face.glyph_hor_advance(id)?.to_be_bytes());
        hmtx.extend(face.glyph_hor_side_bearing(id).unwrap_or(0).to_be_bytes());
    }
    Some(hmtx)
}

/// A format 4 `cmap` (Unicode BMP, platform 3 encoding 1): one segment per
/// character, and the closing segment.
fn cmap_table(map: &BTreeMap<u16, u16>) -> Vec<u8> {
    let mut segments: Vec<(u16, u16)> = map.iter().map(|(&c, &g)| (c, g)).collect();
    segments.push((0xFFFF, 0));
    let n = segments.len() as u16;
    let power = 1u16 << (15 - n.leading_zeros().min(15));
    let mut sub: Vec<u8> = Vec::new();
    for value in [
        4,
        16 + 8 * n,
        0,
        2 * n,
        2 * power,
        power.trailing_zeros() as u16,
        2 * n - 2 * power,
    ] {
        sub.extend(value.to_be_bytes());
    }
    segments
        .iter()
        .for_each(|(c, _)| sub.extend(c.to_be_bytes()));
    sub.extend([0, 0]);
    segments
        .iter()
        .for_each(|(c, _)| sub.extend(c.to_be_bytes()));
    for (c, g) in &segments {
        let delta = if *c == 0xFFFF { 1 } else { g.wrapping_sub(*c) };
        sub.extend(delta.to_be_bytes());
    }
    segments.iter().for_each(|_| sub.extend([0, 0]));
    let mut cmap = vec![0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12];
    cmap.extend(sub);
    cmap
}

/// `post` version 3: the metrics of the original, no glyph names.
fn post_table(post: &[u8]) -> Option<Vec<u8>> {
    let mut table = post.get(..32)?.to_vec();
    table[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
    Some(table)
}

/// The `name` table's Windows records (names, copyright, the licence's
/// address) but the licence's text, which the SVG holds once, and the
/// Macintosh copies left out.
fn name_table(name: &[u8]) -> Option<Vec<u8>> {
    let count = usize::from(u16_at(name, 2)?);
    let strings = usize::from(u16_at(name, 4)?);
    let mut records: Vec<u8> = Vec::new();
    let mut text: Vec<u8> = Vec::new();
    for r in 0..count {
        let at = 6 + 12 * r;
        if u16_at(name, at)? != 3 || u16_at(name, at + 6)? == LICENCE {
            continue;
        }
        let (len, offset) = (u16_at(name, at + 8)?, u16_at(name, at + 10)?);
        let start = strings + usize::from(offset);
        records.extend(name.get(at..at + 8)?);
        records.extend(len.to_be_bytes());
        records.extend((text.len() as u16).to_be_bytes());
        text.extend(name.get(start..start + usize::from(len))?);
    }
    let kept = (records.len() / 12) as u16;
    let mut table = vec![0, 0];
    table.extend(kept.to_be_bytes());
    table.extend((6 + 12 * kept).to_be_bytes());
    table.extend(records);
    table.extend(text);
    Some(table)
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// A TrueType file of `tables`: the directory sorted by tag, each table
/// padded to four bytes, checksums and `head`'s checksum adjustment set.
fn font_file(mut tables: Vec<([u8; 4], Vec<u8>)>) -> Vec<u8> {
    tables.sort_by_key(|a| a.0);
    let n = tables.len() as u16;
    let power = 1u16 << (15 - n.leading_zeros().min(15));
    let mut file: Vec<u8> = 0x0001_0000u32.to_be_bytes().to_vec();
    for value in [
        n,
        16 * power,
        power.trailing_zeros() as u16,
        16 * n - 16 * power,
    ] {
        file.extend(value.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &tables {
        file.extend(tag);
        file.extend(checksum(data).to_be_bytes());
        file.extend((offset as u32).to_be_bytes());
        file.extend((data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        file.extend(data);
        file.resize(file.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&file));
        file[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> BTreeSet<char> {
        text.chars().collect()
    }

    #[test]
    fn a_subset_draws_each_character_as_the_whole_font_does() {
        let chars = set("Survival 0.5 % ±×…·é Å");
        let bytes = subset(REGULAR, &chars).expect("a subset");
        assert!(bytes.len() < 40_000, "{} bytes", bytes.len());
        let (whole, part) = (
            Face::parse(REGULAR, 0).unwrap(),
            Face::parse(&bytes, 0).unwrap(),
        );
        for c in chars {
            let (a, b) = (whole.glyph_index(c).unwrap(), part.glyph_index(c).unwrap());
            assert_eq!(whole.glyph_hor_advance(a), part.glyph_hor_advance(b), "{c}");
            assert_eq!(
                whole.glyph_bounding_box(a),
                part.glyph_bounding_box(b),
                "{c}"
            );
        }
        assert_eq!(part.glyph_index('Q'), None);
        assert_eq!(checksum(&bytes), 0xB1B0_AFBA, "head's checksum adjustment");
    }

    #[test]
    fn a_subset_keeps_no_hinting_and_no_licence_text() {
        let bytes = subset(BOLD, &set("Survival é")).unwrap();
        let face = Face::parse(&bytes, 0).unwrap();
        let raw = face.raw_face();
        for tag in [b"cvt ", b"fpgm", b"prep", b"gasp", b"hdmx"] {
            assert!(raw.table(Tag::from_bytes(tag)).is_none(), "{tag:?}");
        }
        let glyphs = Glyphs {
            glyf: raw.table(Tag::from_bytes(b"glyf")).unwrap(),
            loca: raw.table(Tag::from_bytes(b"loca")).unwrap(),
            long: true,
        };
        for id in 0..face.number_of_glyphs() {
            let data = glyphs.data(id).unwrap();
            assert_eq!(without_instructions(data).unwrap(), data, "glyph {id}");
        }
        let names: Vec<u16> = face.names().into_iter().map(|n| n.name_id).collect();
        assert!(!names.contains(&LICENCE) && names.contains(&14), "{names:?}");
        // The text the SVG carries instead is the same in both faces.
        assert_eq!(licence(REGULAR), licence(BOLD));
        assert!(licence(REGULAR).unwrap().contains("Bitstream Vera"));
    }

    #[test]
    fn instructions_are_cut_from_simple_and_composite_glyphs() {
        // A simple glyph of one contour: end points, 3 bytes of
        // instructions, then its outline.
        let mut simple = vec![0, 1, 0, 0, 0, 0, 0, 9, 0, 9, 0, 2];
        simple.extend([0, 3, 0xAA, 0xBB, 0xCC, 1, 1, 1]);
        let mut cut = simple[..12].to_vec();
        cut.extend([0, 0, 1, 1, 1]);
        assert_eq!(without_instructions(&simple).unwrap(), cut);
        // A composite of two components (byte offsets), the last with
        // instructions.
        let mut composite = vec![0xFF, 0xFF, 0, 0, 0, 0, 0, 9, 0, 9];
        composite.extend([0, 0x20, 0, 5, 1, 2]);
        composite.extend([0x01, 0x00, 0, 6, 3, 4, 0, 2, 0xAA, 0xBB]);
        let cut = without_instructions(&composite).unwrap();
        assert_eq!(cut.len(), composite.len() - 4);
        assert_eq!(&cut[16..18], &[0, 0], "the flag is cleared");
        assert_eq!(component_offsets(&cut), [12, 18]);
    }

    #[test]
    fn composite_glyphs_keep_their_parts() {
        // é is drawn in DejaVu Sans as e plus an acute accent: both parts
        // come along, though neither character was asked for.
        let bytes = subset(REGULAR, &set("é")).unwrap();
        let face = Face::parse(&bytes, 0).unwrap();
        assert_eq!(face.number_of_glyphs(), 4, ".notdef, é and its two parts");
        let mut sink = Outline(0);
        face.outline_glyph(face.glyph_index('é').unwrap(), &mut sink)
            .expect("an outline");
        assert!(sink.0 > 10);
    }

    struct Outline(usize);
    impl ttf_parser::OutlineBuilder for Outline {
        fn move_to(&mut self, _: f32, _: f32) {
            self.0 += 1;
        }
        fn line_to(&mut self, _: f32, _: f32) {
            self.0 += 1;
        }
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {
            self.0 += 1;
        }
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {
            self.0 += 1;
        }
        fn close(&mut self) {}
    }

    #[test]
    fn the_text_of_an_svg_is_read_by_weight_with_entities_decoded() {
        let svg = "<svg><text font-weight=\"bold\">\nA&amp;B\n</text>\
                   <text x=\"1\">\nc&apos;d &#215;\n</text></svg>";
        let (regular, bold) = characters(svg);
        assert_eq!(bold, set("A&B"));
        assert_eq!(regular, set("c'd ×"));
    }

    #[test]
    fn an_embedded_svg_names_its_own_family_first() {
        let svg = "<svg width=\"1\">\n<text font-family=\"sans\">\nab\n</text></svg>";
        let out = embed(svg, "sans");
        let name = family_name(&set("ab"), &BTreeSet::new());
        assert!(out.contains(&format!("font-family=\"'{name}', sans\"")));
        assert!(out.contains("@font-face{font-family:\"DejaVu Sans "));
        assert!(out.contains("src:url(data:font/ttf;base64,"));
        assert_eq!(out.matches("<metadata>Fonts are (c) Bitstream").count(), 1);
        assert_eq!(embed(svg, "sans"), out, "a pure function of the text");
    }
}
