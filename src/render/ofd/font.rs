//! The font programs an OFD embeds. One function, [`font_program`], answers "the bytes of face
//! F's font, subset to these characters", so the source of the fonts can change (fonts built
//! into the binary, another subsetter) without touching the writer.
//!
//! Today the subset is the one the PDF embeds: printpdf's subsetter (allsorts, PDF profile) over
//! the same glyphs, which keeps the font's flavour (CFF-flavoured OpenType for the Fandol faces,
//! TrueType for Liberation and a single face out of the Noto collection) and writes a Unicode
//! `cmap` for the kept glyphs, so an OFD reader maps each `TextCode` character to its glyph.

use crate::render::paged::fonts::LoadedFont;
use std::collections::{BTreeMap, BTreeSet};

/// A font file to embed: its bytes and the file extension that names its flavour.
pub struct FontProgram {
    pub bytes: Vec<u8>,
    pub ext: &'static str,
}

/// The font program of `font` subset to `chars` (characters the font lacks are left out).
pub fn font_program(font: &LoadedFont, chars: &BTreeSet<char>) -> Result<FontProgram, String> {
    let mut glyphs: BTreeMap<u16, String> = BTreeMap::new();
    for &ch in chars {
        if let Some(gid) = font.glyph(ch) {
            glyphs.entry(gid).or_insert_with(|| ch.to_string());
        }
    }
    let subset = printpdf::font::subset_font(&font.parsed, &glyphs)?;
    let ext = flavour(&subset.bytes)?;
    Ok(FontProgram {
        bytes: subset.bytes,
        ext,
    })
}

/// `otf` for CFF outlines, `ttf` for TrueType ones; anything else (a collection, a bare CFF)
/// is not a single OpenType font and is refused.
fn flavour(bytes: &[u8]) -> Result<&'static str, String> {
    match bytes.get(..4) {
        Some(b"OTTO") => Ok("otf"),
        Some([0, 1, 0, 0]) | Some(b"true") => Ok("ttf"),
        _ => Err("子集字体不是单个 OpenType/TrueType 字体".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavours() {
        assert_eq!(flavour(b"OTTO....").unwrap(), "otf");
        assert_eq!(flavour(&[0, 1, 0, 0, 9]).unwrap(), "ttf");
        assert!(flavour(b"ttcf").is_err());
        assert!(flavour(b"").is_err());
    }
}
