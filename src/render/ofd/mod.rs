//! OFD (GB/T 33190-2016), China's fixed-layout format: the pages of [`crate::render::paged`],
//! the same ones the PDF writer draws, written as an OFD package. Nothing here decides where
//! anything goes; every glyph sits where the PDF puts it.
//!
//! The package: `OFD.xml` (metadata, the document's root), `Doc_0/Document.xml` (A4 page area,
//! the page list), `Doc_0/PublicRes.xml` with the embedded font subsets under `Doc_0/Res/`
//! ([`font`]), an empty `Doc_0/DocumentRes.xml`, and `Doc_0/Pages/Page_N/Content.xml` per page:
//! text as `TextObject`s whose `DeltaX` gives every glyph's position (so it stays selectable and
//! searchable), table rules as stroked `PathObject`s. Zipped with fixed order and dates
//! ([`crate::render::zip`]), so the same report gives the same bytes.

pub mod font;
pub mod xml;

use crate::diag::{Diagnostic, Rule};
use crate::render::embed;
use crate::render::paged::fonts::LoadedFont;
use crate::render::paged::{Face, Fonts, PagedDocument, Run};
use crate::render::zip::{self, Part};
use crate::spec::style;
use std::collections::{BTreeMap, BTreeSet};

/// Writes a laid-out document (from [`crate::render::paged::layout()`]) as OFD bytes. `fonts` is
/// shared: load it once per process.
pub fn render(doc: &PagedDocument, fonts: &Fonts) -> Result<Vec<u8>, Diagnostic> {
    write(doc, fonts)
}

/// Points (the paged layout's unit) to millimetres (OFD's).
fn mm(pt: f32) -> f64 {
    f64::from(pt) * 25.4 / 72.0
}

/// Rounded to 1/1000 pt as the PDF writer rounds, so both documents place glyphs alike.
fn round(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

fn err(msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Rule::Render, format!("OFD：{}", msg.into()))
}

/// Writes laid-out pages as an OFD package.
pub fn write(doc: &PagedDocument, fonts: &Fonts) -> Result<Vec<u8>, Diagnostic> {
    let pages = &doc.pages;
    // The characters each font draws, for the subsets: a face's chain may draw a character
    // with a later font (a rare character the built-in fallback lacks, taken from the
    // machine's Noto), which must be embedded too, as the PDF embeds it.
    let mut used: BTreeMap<Key, BTreeSet<char>> = BTreeMap::new();
    for r in pages.iter().flat_map(|p| &p.runs) {
        for (key, piece) in pieces(fonts, r) {
            used.entry(key).or_default().extend(piece.text.chars());
        }
    }

    let mut next_id: u32 = 0;
    let mut new_id = || {
        next_id += 1;
        next_id
    };

    let mut font_ids: BTreeMap<Key, (u32, &LoadedFont)> = BTreeMap::new();
    // Glyph ids in the embedded subsets of the characters outside the BMP.
    let mut astral_glyphs: BTreeMap<(Key, char), u16> = BTreeMap::new();
    let mut font_res = vec![];
    let mut font_files: Vec<Part> = vec![];
    for (key, chars) in &used {
        let font = fonts
            .chain(key.0)
            .get(key.1)
            .ok_or_else(|| err(format!("缺少字体 {}", key.0.official_name())))?;
        let program = font::font_program(font, chars)
            .map_err(|e| err(format!("字体 {} 无法嵌入：{e}", font.name())))?;
        if chars.iter().any(|c| u32::from(*c) > 0xFFFF) {
            let parsed = ttf_parser::Face::parse(&program.bytes, 0)
                .map_err(|e| err(format!("字体 {} 的子集无法解析：{e}", font.name())))?;
            for &c in chars.iter().filter(|c| u32::from(**c) > 0xFFFF) {
                if let Some(g) = parsed.glyph_index(c) {
                    astral_glyphs.insert((*key, c), g.0);
                }
            }
        }
        let id = new_id();
        let file = format!("Font_{id}.{}", program.ext);
        font_res.push(xml::FontRes {
            id,
            name: font.name(),
            family: font.name(),
            file: file.clone(),
        });
        font_files.push((format!("Doc_0/Res/{file}"), program.bytes));
        font_ids.insert(*key, (id, font));
    }

    let mut page_list = vec![];
    let mut contents: Vec<Part> = vec![];
    for (n, page) in pages.iter().enumerate() {
        let page_id = new_id();
        let mut c = xml::Content::new(new_id());
        for r in &page.rules {
            c.line(
                new_id(),
                mm(r.x1),
                mm(r.y1),
                mm(r.x2),
                mm(r.y2),
                mm(r.width),
            );
        }
        for r in &page.runs {
            for (key, piece) in pieces(fonts, r) {
                let Some(&(font_id, font)) = font_ids.get(&key) else {
                    return Err(err(format!("缺少字体 {}", r.face.official_name())));
                };
                let mut chars = piece.text.chars();
                let astral = match (chars.next(), chars.next()) {
                    (Some(ch), None) => astral_glyphs.get(&(key, ch)).map(|g| (ch, *g)),
                    _ => None,
                };
                if let (Some((ch, glyph)), Some(t)) = (astral, placed_text(font, &piece)) {
                    c.text_glyph(
                        new_id(),
                        t.boundary,
                        font_id,
                        mm(piece.size),
                        t.x,
                        t.y,
                        ch,
                        glyph,
                    );
                } else if let Some(t) = placed_text(font, &piece) {
                    c.text(
                        new_id(),
                        t.boundary,
                        font_id,
                        mm(piece.size),
                        t.x,
                        t.y,
                        &t.delta_x,
                        &t.text,
                    );
                }
            }
        }
        let loc = format!("Pages/Page_{n}/Content.xml");
        contents.push((format!("Doc_0/{loc}"), c.finish().into_bytes()));
        page_list.push((page_id, loc));
    }
    let max_id = next_id;
    // The outline: each section heading, as the PDF's bookmarks.
    let outline: Vec<(String, u32, f64)> = doc
        .outline
        .iter()
        .filter_map(|m| {
            page_list
                .get(m.page)
                .map(|(id, _)| (m.title.clone(), *id, mm(m.top().max(0.0))))
        })
        .collect();

    let stamp = doc.info.date;
    let date = format!("{:04}-{:02}-{:02}", stamp.year, stamp.month, stamp.day);
    let document = xml::document_xml(
        max_id,
        f64::from(style::PAGE_W_MM),
        f64::from(style::PAGE_H_MM),
        &page_list,
        &outline,
    );
    // The report's data as an attachment (after the outline, as the schema orders them).
    let document = document.replacen(
        "</ofd:Document>",
        "<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments></ofd:Document>",
        1,
    );
    let mut doc_parts: Vec<Part> = vec![
        ("Doc_0/Document.xml".into(), document.into_bytes()),
        (
            "Doc_0/PublicRes.xml".into(),
            xml::public_res_xml(&font_res).into_bytes(),
        ),
        (
            "Doc_0/DocumentRes.xml".into(),
            xml::document_res_xml().into_bytes(),
        ),
    ];
    doc_parts.extend(font_files);
    doc_parts.extend(contents);
    doc_parts.push((
        embed::OFD_ATTACHMENTS.into(),
        embed::ofd_attachments_xml(&doc.info.data, &date).into_bytes(),
    ));
    doc_parts.push((embed::OFD_FILE.into(), doc.info.data.clone().into_bytes()));

    // The document id: a hash of everything else, so identical input gives identical bytes.
    let mut h = Fnv::new();
    for (name, bytes) in &doc_parts {
        h.write(name.as_bytes());
        h.write(bytes);
    }
    let doc_id = h.hex();
    let version = env!("CARGO_PKG_VERSION");
    let info = xml::DocInfo {
        doc_id: &doc_id,
        title: &doc.info.title,
        author: &doc.info.author,
        subject: doc.info.subject,
        date: &date,
        creator: "xxgk",
        creator_version: version,
    };
    let mut parts: Vec<Part> = vec![(
        "OFD.xml".into(),
        xml::ofd_xml(&info, "Doc_0/Document.xml").into_bytes(),
    )];
    parts.extend(doc_parts);
    zip::pack(&parts, (stamp.year, stamp.month, stamp.day))
        .map_err(|e| err(format!("打包失败：{e}")))
}

/// One concrete font: a face and the position of the font in the face's chain, as the PDF
/// writer keys its fonts.
type Key = (Face, usize);

/// A run split by the font of the face's chain that draws each character, each piece a run of
/// its own starting where its first character stands (white space no font has goes with the
/// piece before it).
fn pieces(fonts: &Fonts, r: &Run) -> Vec<(Key, Run)> {
    let mut out: Vec<(Key, Run)> = vec![];
    let mut x = r.x;
    for ch in r.text.chars() {
        let picked = fonts.pick(r.face, ch);
        let key = match (picked, out.last()) {
            (Some((i, _)), _) => (r.face, i),
            (None, Some((k, _))) => *k,
            (None, None) => (r.face, 0),
        };
        let adv = match picked {
            Some((i, g)) => fonts.chain(r.face)[i].advance(g, r.size),
            None => crate::render::paged::fonts::blank_advance(ch, r.size).unwrap_or(r.size / 2.0),
        };
        // A character outside the BMP stands alone: it is drawn by its glyph id.
        let astral = |c: char| u32::from(c) > 0xFFFF;
        match out.last_mut() {
            Some((k, run))
                if *k == key && !astral(ch) && !run.text.chars().last().is_some_and(astral) =>
            {
                run.text.push(ch)
            }
            _ => out.push((
                key,
                Run {
                    x,
                    text: ch.to_string(),
                    ..r.clone()
                },
            )),
        }
        x += adv + r.tc;
    }
    out
}

/// A run as an OFD text object, millimetres.
struct PlacedText {
    /// `x y w h` on the page.
    boundary: [f64; 4],
    /// The first glyph's origin, relative to the boundary.
    x: f64,
    y: f64,
    delta_x: Vec<f64>,
    text: String,
}

/// Where each glyph of a run goes: from the run's origin, each glyph's advance in its font plus
/// the run's extra spacing (PDF `Tc`). Spaces at either end draw nothing and are left out (XML
/// readers may drop them), the first drawn glyph keeping its place. `None` for a blank run.
fn placed_text(font: &LoadedFont, r: &Run) -> Option<PlacedText> {
    let (x0, y0, tc) = (round(r.x), round(r.y), round(r.tc));
    let glyphs: Vec<(char, f32)> = r
        .text
        .chars()
        .map(|ch| (ch, advance(font, ch, r.size) + tc))
        .collect();
    let first = glyphs.iter().position(|(c, _)| !c.is_whitespace())?;
    let last = glyphs.iter().rposition(|(c, _)| !c.is_whitespace())?;
    let lead: f32 = glyphs[..first].iter().map(|(_, a)| a).sum();
    let drawn = &glyphs[first..=last];
    let width: f32 = drawn.iter().map(|(_, a)| a).sum();
    let x = x0 + lead;
    // A box around the glyphs with room above, below and at the sides: readers clip to it.
    let (left, top) = (x - r.size * 0.5, y0 - r.size * 1.2);
    let (w, h) = (width + r.size, r.size * 1.6);
    Some(PlacedText {
        boundary: [mm(left), mm(top), mm(w), mm(h)],
        x: mm(x - left),
        y: mm(y0 - top),
        delta_x: drawn[..drawn.len() - 1]
            .iter()
            .map(|(_, a)| mm(*a))
            .collect(),
        text: drawn.iter().map(|(c, _)| c).collect(),
    })
}

/// A character's advance at `size`, as the PDF reader takes it from the embedded font; a space
/// the font lacks is as wide as the layout made it (see `Fonts::resolve`).
fn advance(font: &LoadedFont, ch: char, size: f32) -> f32 {
    match font.glyph(ch) {
        Some(g) => font.advance(g, size),
        None => crate::render::paged::fonts::blank_advance(ch, size).unwrap_or(size / 2.0),
    }
}

/// 128-bit FNV-1a.
struct Fnv(u128);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0x6c62272e07bb014262b821756295c58d)
    }

    fn write(&mut self, data: &[u8]) {
        for &b in data {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(0x0000000001000000000000000000013B);
        }
    }

    fn hex(&self) -> String {
        format!("{:032x}", self.0)
    }
}
