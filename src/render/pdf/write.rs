//! Pages → PDF bytes with printpdf. Each font is cut down to the glyphs the document uses
//! before printpdf sees it (the `subsetter` crate, as Typst does: CFF stays CFF, CID-keyed), with
//! a small `cmap` of its own so that printpdf writes the subset's glyph ids and a ToUnicode map
//! without ever touching the whole font. Streams are deflated here at a measured level; metadata
//! and the document id are fixed so the same report always gives the same bytes.

use crate::diag::{Diagnostic, Rule};
use crate::model::Report;
use crate::render::paged::fonts::LoadedFont;
use crate::render::paged::layout::{Page, Run, PAGE_H};
use crate::render::paged::{Face, Fonts};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, Rgb, TextItem,
};
use std::collections::BTreeMap;

/// One concrete font of a document: a face and the position of the font in the face's chain
/// (0 = the official font when the machine has it, else the built-in face).
type Key = (Face, usize);

/// Deflate level of every stream. Measured on the seed report (benches/README.md): the font
/// programs are most of the bytes and CFF barely compresses past level 6, which costs a third
/// of the time of level 9.
const DEFLATE_LEVEL: u32 = 6;

/// The resource name of a font.
fn font_id((face, i): Key) -> FontId {
    let tag = ["FA", "HE", "KA", "SO", "TI", "LA", "NO"][face as usize];
    FontId(format!("{tag}{i}"))
}

fn pt(x: f32, y_from_top: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(PAGE_H - y_from_top),
    }
}

/// A piece of a run drawn by one font, or white space no font has a glyph for.
enum Piece {
    Text(Key, String),
    /// The advance of a space without a glyph, in text space units (thousandths of an em).
    Skip(f32),
}

/// Splits a run by the font that draws each character (the face's official font may lack a
/// character its built-in stand-in has), and records the glyphs each font must keep.
fn pieces(fonts: &Fonts, r: &Run, used: &mut BTreeMap<Key, BTreeMap<char, u16>>) -> Vec<Piece> {
    let mut out: Vec<Piece> = vec![];
    for ch in r.text.chars() {
        match fonts.pick(r.face, ch) {
            Some((i, gid)) => {
                let key = (r.face, i);
                used.entry(key).or_default().insert(ch, gid);
                match out.last_mut() {
                    Some(Piece::Text(k, s)) if *k == key => s.push(ch),
                    _ => out.push(Piece::Text(key, ch.to_string())),
                }
            }
            None => {
                // Only white space reaches here (layout rejects any other character no font
                // has): move on by its width and the letter spacing, as layout did.
                let adv = if ch == ' ' { r.size / 2.0 } else { r.size };
                out.push(Piece::Skip(-(adv + r.tc) * 1000.0 / r.size));
            }
        }
    }
    out
}

pub fn write(report: &Report, fonts: &Fonts, pages: &[Page]) -> Result<Vec<u8>, Diagnostic> {
    let mut doc = PdfDocument::new(&report.title_text());
    let mut used: BTreeMap<Key, BTreeMap<char, u16>> = BTreeMap::new();
    let split: Vec<Vec<Vec<Piece>>> = pages
        .iter()
        .map(|p| p.runs.iter().map(|r| pieces(fonts, r, &mut used)).collect())
        .collect();
    for (key, chars) in &used {
        let font = &fonts.chain(key.0)[key.1];
        let parsed = subset(font, chars)?;
        doc.resources
            .fonts
            .map
            .insert(font_id(*key), printpdf::font::PdfFont::new(parsed));
    }
    let mut out_pages = Vec::with_capacity(pages.len());
    for (p, split) in pages.iter().zip(&split) {
        let mut ops = Vec::with_capacity(p.runs.len() * 6 + p.rules.len() + 4);
        if !p.rules.is_empty() {
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetOutlineColor {
                col: Color::Rgb(Rgb {
                    r: 0.0,
                    g: 0.0,
                    b: 0.0,
                    icc_profile: None,
                }),
            });
            let mut width = f32::NAN;
            for r in &p.rules {
                if r.width != width {
                    width = r.width;
                    ops.push(Op::SetOutlineThickness { pt: Pt(width) });
                }
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: pt(r.x1, r.y1),
                                bezier: false,
                            },
                            LinePoint {
                                p: pt(r.x2, r.y2),
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
            ops.push(Op::RestoreGraphicsState);
        }
        for (r, pieces) in p.runs.iter().zip(split) {
            // A run of spaces no font has draws nothing.
            let Some(first) = pieces.iter().find_map(|p| match p {
                Piece::Text(k, _) => Some(*k),
                Piece::Skip(_) => None,
            }) else {
                continue;
            };
            ops.push(Op::StartTextSection);
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(font_id(first)),
                size: Pt(r.size),
            });
            ops.push(Op::SetCharacterSpacing {
                multiplier: round(r.tc),
            });
            ops.push(Op::SetTextCursor {
                pos: pt(round(r.x), round(r.y)),
            });
            // Within one text object a change of font continues where the last glyph ended.
            let mut font = first;
            let mut items: Vec<TextItem> = vec![];
            for piece in pieces {
                match piece {
                    Piece::Text(key, s) => {
                        if font != *key {
                            if !items.is_empty() {
                                ops.push(Op::ShowText {
                                    items: std::mem::take(&mut items),
                                });
                            }
                            font = *key;
                            ops.push(Op::SetFont {
                                font: PdfFontHandle::External(font_id(font)),
                                size: Pt(r.size),
                            });
                        }
                        items.push(TextItem::Text(s.clone()));
                    }
                    Piece::Skip(d) => items.push(TextItem::Offset(round(*d))),
                }
            }
            if !items.is_empty() {
                ops.push(Op::ShowText { items });
            }
            ops.push(Op::EndTextSection);
        }
        out_pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    doc.with_pages(out_pages);

    let info = &mut doc.metadata.info;
    info.document_title = report.title_text();
    info.author = report.body.clone();
    info.creator = "xxgk".to_string();
    info.producer = format!("xxgk {}", env!("CARGO_PKG_VERSION"));
    info.subject = crate::spec::format::FORMAT_SOURCE.to_string();
    // Fixed dates: the publication date when given, else 1 January after the report's year.
    let stamp = fixed_date(report);
    info.creation_date = stamp;
    info.modification_date = stamp;
    info.metadata_date = stamp;

    let mut warnings = vec![];
    // The fonts are subsets already: printpdf embeds them as they are. Streams are compressed
    // below, at our level.
    let opts = PdfSaveOptions {
        subset_fonts: false,
        optimize: false,
        ..Default::default()
    };
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    compress(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| Diagnostic::error(Rule::Render, format!("PDF：无法写出：{e}")))?;
    fix_document_id(&mut bytes);
    Ok(bytes)
}

/// Deflates every stream that allows it, when that makes it smaller.
fn compress(doc: &mut lopdf::Document) {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut enc = flate2::write::ZlibEncoder::new(
            Vec::with_capacity(stream.content.len() / 2),
            flate2::Compression::new(DEFLATE_LEVEL),
        );
        let Ok(packed) = enc.write_all(&stream.content).and_then(|()| enc.finish()) else {
            continue;
        };
        if packed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
}

/// The subset of `font` with the glyphs of `chars`, as printpdf's font: glyph ids renumbered
/// from 1 in the order of the characters, a `cmap` mapping the characters to them (for the
/// text encoding and ToUnicode), the original `OS/2` (metrics of the font descriptor), and
/// `TAG+PostScriptName` as its name, the tag computed from the glyph set.
fn subset(
    font: &LoadedFont,
    chars: &BTreeMap<char, u16>,
) -> Result<printpdf::ParsedFont, Diagnostic> {
    let fail = |what: String| {
        Diagnostic::error(
            Rule::Render,
            format!("PDF：无法嵌入字体 {}：{what}", font.name()),
        )
    };
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut cmap: Vec<(u32, u16)> = Vec::with_capacity(chars.len());
    for (&ch, &gid) in chars {
        cmap.push((ch as u32, remapper.remap(gid)));
    }
    let program =
        subsetter::subset(font.data(), font.index, &remapper).map_err(|e| fail(e.to_string()))?;
    let mut extra: Vec<([u8; 4], Vec<u8>)> = vec![(*b"cmap", cmap_table(&cmap))];
    if let Some(os2) = font.table(b"OS/2") {
        extra.push((*b"OS/2", os2.to_vec()));
    }
    let sfnt = add_tables(&program, extra).ok_or_else(|| fail("子集字体格式错误".into()))?;
    let mut warnings = vec![];
    let mut parsed = printpdf::ParsedFont::from_bytes(&sfnt, 0, &mut warnings)
        .ok_or_else(|| fail("printpdf 无法读取子集字体".into()))?;
    let mut tagged = font.name().replace(' ', "");
    tagged.insert_str(0, &format!("{}+", subset_tag(&font.name(), chars)));
    parsed.font_name = Some(tagged);
    Ok(parsed)
}

/// Six capital letters from the font and its glyph set (ISO 32000-1, 9.6.4): the same subset
/// always gets the same tag, different subsets almost surely different ones.
fn subset_tag(name: &str, chars: &BTreeMap<char, u16>) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    let mut eat = |b: u8| {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    };
    name.bytes().for_each(&mut eat);
    for (&c, &g) in chars {
        (c as u32).to_be_bytes().into_iter().for_each(&mut eat);
        g.to_be_bytes().into_iter().for_each(&mut eat);
    }
    (0..6)
        .map(|i| (b'A' + ((h >> (i * 10)) % 26) as u8) as char)
        .collect()
}

/// A `cmap` table with one format 12 subtable (Windows, full Unicode) for sorted pairs.
fn cmap_table(pairs: &[(u32, u16)]) -> Vec<u8> {
    let mut groups: Vec<(u32, u32, u32)> = vec![];
    for &(c, g) in pairs {
        match groups.last_mut() {
            Some((start, end, g0)) if c == *end + 1 && g as u32 == *g0 + (c - *start) => *end = c,
            _ => groups.push((c, c, g as u32)),
        }
    }
    let sub_len = 16 + 12 * groups.len() as u32;
    let mut t = Vec::with_capacity(12 + sub_len as usize);
    t.extend_from_slice(&0u16.to_be_bytes()); // version
    t.extend_from_slice(&1u16.to_be_bytes()); // one encoding record
    t.extend_from_slice(&3u16.to_be_bytes()); // Windows
    t.extend_from_slice(&10u16.to_be_bytes()); // Unicode full repertoire
    t.extend_from_slice(&12u32.to_be_bytes()); // offset of the subtable
    t.extend_from_slice(&12u16.to_be_bytes()); // format
    t.extend_from_slice(&0u16.to_be_bytes());
    t.extend_from_slice(&sub_len.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes()); // language
    t.extend_from_slice(&(groups.len() as u32).to_be_bytes());
    for (s, e, g) in groups {
        t.extend_from_slice(&s.to_be_bytes());
        t.extend_from_slice(&e.to_be_bytes());
        t.extend_from_slice(&g.to_be_bytes());
    }
    t
}

/// Rebuilds an sfnt with `extra` tables added (replacing tables of the same tag).
fn add_tables(sfnt: &[u8], extra: Vec<([u8; 4], Vec<u8>)>) -> Option<Vec<u8>> {
    let be16 = |at: usize| -> Option<u16> {
        Some(u16::from_be_bytes(sfnt.get(at..at + 2)?.try_into().ok()?))
    };
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(sfnt.get(at..at + 4)?.try_into().ok()?))
    };
    let n = be16(4)? as usize;
    let mut tables: Vec<([u8; 4], &[u8])> = Vec::with_capacity(n + extra.len());
    for i in 0..n {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = sfnt.get(rec..rec + 4)?.try_into().ok()?;
        if extra.iter().any(|(t, _)| *t == tag) {
            continue;
        }
        let (off, len) = (be32(rec + 8)? as usize, be32(rec + 12)? as usize);
        tables.push((tag, sfnt.get(off..off + len)?));
    }
    for (tag, data) in &extra {
        tables.push((*tag, data.as_slice()));
    }
    tables.sort_by_key(|(tag, _)| *tag);
    let count = tables.len() as u16;
    let selector = 15 - count.leading_zeros() as u16;
    let range = 16u16 << selector;
    let mut out =
        Vec::with_capacity(sfnt.len() + extra.iter().map(|e| e.1.len() + 20).sum::<usize>());
    out.extend_from_slice(&sfnt[..4]);
    for v in [count, range, selector, count * 16 - range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    for (tag, data) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    Some(out)
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// Coordinates to 1/1000 pt: enough for print, and shorter content streams.
fn round(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

fn fixed_date(report: &Report) -> printpdf::OffsetDateTime {
    let (y, m, d) = match (
        report.published,
        report.signature.as_ref().and_then(|s| s.date),
    ) {
        (Some(p), _) | (None, Some(p)) => (p.year as i32, p.month, p.day),
        _ => (report.year as i32 + 1, 1, 1),
    };
    let month = time::Month::try_from(m).unwrap_or(time::Month::January);
    let date = time::Date::from_calendar_date(y, month, d).unwrap_or_else(|_| {
        time::Date::from_calendar_date(2000, time::Month::January, 1).unwrap_or(time::Date::MIN)
    });
    let ts = date.midnight().assume_utc().unix_timestamp();
    printpdf::OffsetDateTime::from_unix_timestamp(ts)
        .or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0))
        .unwrap_or_else(|_| printpdf::OffsetDateTime::now_utc())
}

/// printpdf writes a random `/ID` (two 32-letter strings). Replace them, in place and at the
/// same length, by a hash of the file so identical input gives identical bytes.
fn fix_document_id(bytes: &mut [u8]) {
    let Some(at) = find_last(bytes, b"/ID") else {
        return;
    };
    let digest = fnv_hex(&bytes[..at]);
    let mut pos = at;
    for _ in 0..2 {
        let Some(open) = bytes[pos..]
            .iter()
            .position(|&b| b == b'(')
            .map(|o| pos + o)
        else {
            return;
        };
        let Some(close) = bytes[open..]
            .iter()
            .position(|&b| b == b')')
            .map(|o| open + o)
        else {
            return;
        };
        if close - open - 1 == digest.len() {
            bytes[open + 1..close].copy_from_slice(digest.as_bytes());
        }
        pos = close + 1;
    }
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// 128-bit FNV-1a as 32 hex digits.
fn fnv_hex(data: &[u8]) -> String {
    let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
    for &b in data {
        h ^= b as u128;
        h = h.wrapping_mul(0x0000000001000000000000000000013B);
    }
    format!("{h:032x}")
}
