//! The font programs an OFD embeds. One function, [`font_program`], answers "the bytes of face
//! F's font, subset to these characters", so the source of the fonts can change (fonts built
//! into the binary, another subsetter) without touching the writer.
//!
//! The subset is allsorts' (PDF profile) over the glyphs the pages use, which keeps the font's flavour (CFF-flavoured OpenType for the Fandol faces,
//! TrueType for Liberation and a single face out of the Noto collection) and writes a Unicode
//! `cmap` for the kept glyphs, so an OFD reader maps each `TextCode` character to its glyph.
//!
//! That `cmap` is the contract: the writer names characters, not glyphs. A subsetter that drops
//! it (the `subsetter` crate does, PDF fonts being addressed by CID) would need the writer to add
//! `CGTransform`s; until then [`font_program`] refuses a program whose `cmap` misses a character.

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
    // allsorts keeps a Unicode cmap in the subset (the PDF's `subsetter` drops it, PDF text
    // being addressed by glyph id). Glyph 0 (.notdef) must come first.
    let ids: Vec<u16> = std::iter::once(0)
        .chain(glyphs.keys().copied().filter(|g| *g != 0))
        .collect();
    let bytes = {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::subset::{subset, CmapTarget, SubsetProfile};
        let fail = |e: String| format!("字体 {} 无法取子集：{e}", font.name());
        let scope = ReadScope::new(font.data());
        let file = scope
            .read::<FontData<'_>>()
            .map_err(|e| fail(e.to_string()))?;
        let provider = file
            .table_provider(font.index as usize)
            .map_err(|e| fail(e.to_string()))?;
        subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
            .map_err(|e| fail(e.to_string()))?
    };
    let ext = flavour(&bytes)?;
    let parsed =
        ttf_parser::Face::parse(&bytes, 0).map_err(|e| format!("子集字体无法解析：{e}"))?;
    if let Some(ch) = chars
        .iter()
        .find(|&&ch| font.glyph(ch).is_some() && parsed.glyph_index(ch).is_none_or(|g| g.0 == 0))
    {
        return Err(format!(
            "子集字体的 cmap 缺少“{ch}”（U+{:04X}），OFD 阅读器将无法显示",
            *ch as u32
        ));
    }
    Ok(FontProgram { bytes, ext })
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
    use crate::render::paged::{Face, Fonts};

    #[test]
    fn a_subset_maps_its_characters_and_is_small() {
        let fonts = Fonts::load(Some(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"),
        ))
        .unwrap();
        let chars: BTreeSet<char> = "政府信息公开2021".chars().collect();
        for face in [Face::Fang, Face::Latin, Face::Fallback] {
            let font = fonts.get(face).unwrap();
            let p = font_program(font, &chars).unwrap();
            assert!(p.bytes.len() < 100_000, "{face:?}: {} bytes", p.bytes.len());
            let parsed = ttf_parser::Face::parse(&p.bytes, 0).unwrap();
            for ch in chars.iter().filter(|&&c| font.glyph(c).is_some()) {
                assert!(parsed.glyph_index(*ch).is_some(), "{face:?} {ch}");
            }
        }
    }

    #[test]
    fn flavours() {
        assert_eq!(flavour(b"OTTO....").unwrap(), "otf");
        assert_eq!(flavour(&[0, 1, 0, 0, 9]).unwrap(), "ttf");
        assert!(flavour(b"ttcf").is_err());
        assert!(flavour(b"").is_err());
    }
}
