//! Pages → PDF bytes with printpdf. printpdf lays out the document (pages, content streams,
//! metadata); the fonts it would parse, clone, subset and measure slowly are written here
//! instead: each font is cut down to the glyphs the document uses with the `subsetter` crate
//! (what Typst uses: CFF stays CFF, CID-keyed, glyph ids renumbered from 1), the content streams
//! show those glyph ids directly, and the font dictionaries (widths, ToUnicode, descriptor) come
//! from the zero-copy [`LoadedFont`]. Streams are deflated here at a measured level; metadata and
//! the document id are fixed so the same report always gives the same bytes.

use super::Standard;
use crate::diag::{Diagnostic, Rule};
use crate::render::paged::fonts::{LoadedFont, Program};
use crate::render::paged::layout::{Run, PAGE_H};
use crate::render::paged::{Face, Fonts, Mark, PagedDocument};
use crate::spec::date::Date;
use lopdf::{Dictionary, Object, ObjectId, Stream};
use printpdf::{
    Color, DictItem, FontId, Line, LinePoint, Mm, Op, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rgb,
};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One concrete font of a document: a face and the position of the font in the face's chain
/// (0 = the official font when the machine has it, else the built-in face).
type Key = (Face, usize);

/// Deflate level of every stream, by measurement (`cargo bench --bench deflate`, figures in
/// benches/README.md): libdeflate at level 1 packs the seed report's 450 KB of streams in half
/// the time zlib-rs took at its level 2 (2.9 against 5.9 ms) and into fewer bytes (313 against
/// 315 KB); its higher levels save at most 1.5 % more below level 10 and cost up to twice the
/// time.
const DEFLATE_LEVEL: i32 = 1;

/// The resource name of a font.
fn font_id((face, i): Key) -> String {
    let tag = ["FA", "HE", "KA", "SO", "TI", "LA", "NO"][face as usize];
    format!("{tag}{i}")
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
                let adv = crate::render::paged::fonts::blank_advance(ch, r.size).unwrap_or(r.size);
                out.push(Piece::Skip(-(adv + r.tc) * 1000.0 / r.size));
            }
        }
    }
    out
}

/// A font cut down for one document.
struct Subset<'f> {
    font: &'f LoadedFont,
    /// Character → glyph id in the subset (= CID: the subset's CFF is CID-keyed with the
    /// identity charset, a TrueType subset is addressed by glyph id).
    codes: BTreeMap<char, u16>,
    /// Subset glyph id → original glyph id.
    old: Vec<u16>,
    /// The font program, deflated: the subset's bare `CFF ` table, or the whole TrueType
    /// subset. Shared with the font's cache of programs (see [`ProgramCache`]).
    ///
    /// [`ProgramCache`]: crate::render::paged::fonts::ProgramCache
    program: Arc<Program>,
    cff: bool,
    /// `TAG+PostScriptName`, the tag computed from the glyph set.
    name: String,
}

/// Cuts `font` down to the glyphs of `chars`, renumbered from 1 in the order of the characters,
/// and deflates the program (`z`: the thread's compressor, made when first needed). A glyph
/// sequence the font was already cut to in this process takes the program from its cache.
#[allow(clippy::result_large_err)] // as `write`
fn subset<'f>(
    font: &'f LoadedFont,
    chars: &BTreeMap<char, u16>,
    z: &mut Option<Deflater>,
) -> Result<Subset<'f>, Diagnostic> {
    let fail = |what: String| {
        Diagnostic::error(
            Rule::Render,
            format!("PDF：无法嵌入字体 {}：{what}", font.name()),
        )
    };
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut codes = BTreeMap::new();
    for (&ch, &gid) in chars {
        codes.insert(ch, remapper.remap(gid));
    }
    let old: Vec<u16> = remapper.remapped_gids().collect();
    let cff = font.table(b"CFF ").is_some();
    // The program depends on nothing but the font and the glyph sequence `old` (the remapper
    // holds no more): the key of the cache.
    let program = match font.programs.get(&old) {
        Some(p) => p,
        None => {
            // A CFF font without subroutines (the built-in faces) is cut by copying its
            // charstrings; anything else goes through `subsetter`.
            let quick = font
                .table(b"CFF ")
                .and_then(|t| super::cff::subset(t, &old));
            let sfnt;
            let raw = match &quick {
                Some(program) => program,
                None => {
                    sfnt = subsetter::subset(font.data(), font.index, &remapper)
                        .map_err(|e| fail(e.to_string()))?;
                    if cff {
                        sfnt_table(&sfnt, b"CFF ")
                            .ok_or_else(|| fail("子集字体缺少 CFF 表".into()))?
                    } else {
                        &sfnt
                    }
                }
            };
            let z = z.get_or_insert_with(deflater);
            let packed = deflate(z, raw).ok_or_else(|| fail("无法压缩".into()))?;
            let p = Arc::new(Program {
                packed,
                raw_len: raw.len(),
            });
            font.programs.put(old.clone(), Arc::clone(&p));
            p
        }
    };
    let name = format!(
        "{}+{}",
        subset_tag(&font.name(), chars),
        font.name().replace(' ', "")
    );
    Ok(Subset {
        font,
        codes,
        old,
        program,
        cff,
        name,
    })
}

/// A table of a single-face sfnt.
fn sfnt_table<'a>(sfnt: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
    let be32 = |at: usize| -> Option<usize> {
        Some(u32::from_be_bytes(sfnt.get(at..at + 4)?.try_into().ok()?) as usize)
    };
    let n = u16::from_be_bytes(sfnt.get(4..6)?.try_into().ok()?) as usize;
    (0..n).find_map(|i| {
        let rec = 12 + 16 * i;
        (sfnt.get(rec..rec + 4)? == tag)
            .then(|| sfnt.get(be32(rec + 8)?..be32(rec + 8)? + be32(rec + 12)?))
            .flatten()
    })
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

/// The text of a piece as the subset's glyph ids (two bytes each, Identity-H).
fn encode(sub: &Subset, text: &str) -> Vec<u8> {
    text.chars()
        .flat_map(|c| sub.codes.get(&c).copied().unwrap_or(0).to_be_bytes())
        .collect()
}

// `Diagnostic` is large for a `Result` everywhere in the crate; the closures below are no
// different from the functions that return it.
#[allow(clippy::result_large_err)]
pub fn write(
    paged: &PagedDocument,
    fonts: &Fonts,
    standard: Standard,
) -> Result<Vec<u8>, Diagnostic> {
    let (pages, meta) = (&paged.pages, &paged.info);
    let mut doc = PdfDocument::new(&meta.title);
    let mut used: BTreeMap<Key, BTreeMap<char, u16>> = BTreeMap::new();
    let split: Vec<Vec<Vec<Piece>>> = pages
        .iter()
        .map(|p| p.runs.iter().map(|r| pieces(fonts, r, &mut used)).collect())
        .collect();
    // Two threads (one more costs a malloc arena and more than it saves): the body face is
    // most of the work, the other faces run beside it. Largest first, to the emptier hand.
    let mut jobs: Vec<(&Key, &BTreeMap<char, u16>)> = used.iter().collect();
    jobs.sort_by_key(|(k, c)| (std::cmp::Reverse(c.len()), **k));
    let (mut mine, mut theirs, mut lm, mut lt) = (vec![], vec![], 0, 0);
    for (k, c) in jobs {
        if lm <= lt {
            lm += c.len();
            mine.push((*k, c));
        } else {
            lt += c.len();
            theirs.push((*k, c));
        }
    }
    let cut = |jobs: Vec<(Key, &BTreeMap<char, u16>)>| {
        let mut z = None;
        jobs.into_iter()
            .map(|(k, c)| Ok((k, subset(&fonts.chain(k.0)[k.1], c, &mut z)?)))
            .collect::<Result<Vec<(Key, Subset)>, Diagnostic>>()
    };
    let (a, b) = std::thread::scope(|s| {
        let other = s.spawn(|| cut(theirs));
        let a = cut(mine);
        (
            a,
            other
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        )
    });
    let subsets: BTreeMap<Key, Subset> = a?.into_iter().chain(b?).collect();
    let mut out_pages = Vec::with_capacity(pages.len());
    // Per page, the mark of each marked-content id (MCID = index): the structure tree's leaves.
    let mut marked: Vec<Vec<Mark>> = Vec::with_capacity(pages.len());
    for (p, split) in pages.iter().zip(&split) {
        let mut ops = Vec::with_capacity(p.runs.len() * 6 + p.rules.len() + 8);
        let mut mcids: Vec<Mark> = vec![];
        if !p.rules.is_empty() {
            // Table borders are drawn, not read.
            ops.push(Op::BeginMarkedContent {
                tag: "Artifact".into(),
            });
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
            ops.push(Op::EndMarkedContent);
        }
        // The runs of one mark in a row (a paragraph's lines on this page, a cell's text) are one
        // marked-content sequence.
        let mut open: Option<Mark> = None;
        for (r, pieces) in p.runs.iter().zip(split) {
            // A run of spaces no font has draws nothing.
            let Some(first) = pieces.iter().find_map(|p| match p {
                Piece::Text(k, _) => Some(*k),
                Piece::Skip(_) => None,
            }) else {
                continue;
            };
            if open != Some(r.mark) {
                if open.is_some() {
                    ops.push(Op::EndMarkedContent);
                }
                open = Some(r.mark);
                ops.push(begin_marked(paged, r.mark, &mut mcids));
            }
            let set_font = |key: Key| Op::SetFont {
                font: PdfFontHandle::External(FontId(font_id(key))),
                size: Pt(r.size),
            };
            ops.push(Op::StartTextSection);
            ops.push(set_font(first));
            ops.push(Op::SetCharacterSpacing {
                multiplier: round(r.tc),
            });
            ops.push(Op::SetTextCursor {
                pos: pt(round(r.x), round(r.y)),
            });
            // Within one text object a change of font continues where the last glyph ended.
            let mut font = first;
            let mut items: Vec<DictItem> = vec![];
            for piece in pieces {
                match piece {
                    Piece::Text(key, s) => {
                        if font != *key {
                            show(&mut ops, std::mem::take(&mut items));
                            font = *key;
                            ops.push(set_font(font));
                        }
                        items.push(DictItem::String {
                            data: encode(&subsets[key], s),
                            literal: false,
                        });
                    }
                    Piece::Skip(d) => items.push(DictItem::Real(round(*d))),
                }
            }
            show(&mut ops, items);
            ops.push(Op::EndTextSection);
        }
        if open.is_some() {
            ops.push(Op::EndMarkedContent);
        }
        marked.push(mcids);
        out_pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    doc.with_pages(out_pages);

    let info = &mut doc.metadata.info;
    info.document_title = meta.title.clone();
    info.author = meta.author.clone();
    info.creator = "xxgk".to_string();
    info.producer = format!("xxgk {}", env!("CARGO_PKG_VERSION"));
    info.subject = meta.subject.to_string();
    // Fixed dates: the publication date when given, else 1 January after the report's year.
    let stamp = fixed_date(meta.date);
    info.creation_date = stamp;
    info.modification_date = stamp;
    info.metadata_date = stamp;

    let mut warnings = vec![];
    // printpdf knows no font of ours (it draws what `show` writes as is: `secure: false` lets
    // those operators through); the fonts are added to its object tree below, and the streams
    // compressed at our level.
    let opts = PdfSaveOptions {
        subset_fonts: false,
        optimize: false,
        secure: false,
        ..Default::default()
    };
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    let font_dict = font_dict_id(&lo)
        .ok_or_else(|| Diagnostic::error(Rule::Render, "PDF：页面没有字体资源".to_string()))?;
    for (key, sub) in &subsets {
        let id = add_font(&mut lo, sub, standard);
        if let Ok(Object::Dictionary(d)) = lo.get_object_mut(font_dict) {
            d.set(font_id(*key), Object::Reference(id));
        }
    }
    // PDF/A-1 forbids embedded files: there the data rides in the XMP metadata (`meta::xmp`;
    // a comparison carries none).
    if standard.allows_attachments() && !paged.info.data.is_empty() {
        embed_data(&mut lo, &paged.info.data);
    }
    let page_ids: Vec<ObjectId> = lo.get_pages().into_values().collect();
    super::tags::add(&mut lo, paged, &marked, &page_ids);
    compress(&mut lo);
    // After compressing: the XMP packet stays readable as plain text, as archives expect.
    super::meta::finish(&mut lo, paged, standard);
    let mut bytes = Vec::with_capacity(512 * 1024);
    lo.save_to(&mut bytes)
        .map_err(|e| Diagnostic::error(Rule::Render, format!("PDF：无法写出：{e}")))?;
    fix_document_id(&mut bytes);
    Ok(bytes)
}

/// Embeds the report's data as the file `xxgk-report.yaml` (see [`crate::render::embed`]): named in
/// the catalog's `/EmbeddedFiles` tree and listed in its `/AF` as the document's `/Data`, so
/// reading the PDF back gives exactly the report. No dates: the bytes stay fixed.
fn embed_data(doc: &mut lopdf::Document, data: &str) {
    use crate::render::embed::{FILE_NAME, MEDIA_TYPE};
    let Ok(root) = doc.trailer.get(b"Root").and_then(Object::as_reference) else {
        return;
    };
    let mut params = Dictionary::new();
    params.set("Size", Object::Integer(data.len() as i64));
    let file = doc.add_object(Stream::new(
        Dictionary::from_iter([
            ("Type", Object::Name(b"EmbeddedFile".to_vec())),
            ("Subtype", Object::Name(MEDIA_TYPE.as_bytes().to_vec())),
            ("Params", Object::Dictionary(params)),
        ]),
        data.as_bytes().to_vec(),
    ));
    let ef = Dictionary::from_iter([
        ("F", Object::Reference(file)),
        ("UF", Object::Reference(file)),
    ]);
    let spec = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Filespec".to_vec())),
        ("F", Object::string_literal(FILE_NAME)),
        ("UF", Object::string_literal(FILE_NAME)),
        ("Desc", Object::string_literal("xxgk report data (YAML)")),
        ("AFRelationship", Object::Name(b"Data".to_vec())),
        ("EF", Object::Dictionary(ef)),
    ]));
    let tree = Dictionary::from_iter([(
        "Names",
        Object::Array(vec![
            Object::string_literal(FILE_NAME),
            Object::Reference(spec),
        ]),
    )]);
    if let Ok(Object::Dictionary(cat)) = doc.get_object_mut(root) {
        let mut names = match cat.get(b"Names") {
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        names.set("EmbeddedFiles", Object::Dictionary(tree));
        cat.set("Names", Object::Dictionary(names));
        cat.set("AF", Object::Array(vec![Object::Reference(spec)]));
    }
}

/// Opens the marked-content sequence of `mark`: an artifact (a page number), or content of
/// the structure tree with the next marked-content id of the page (recorded in `mcids`).
fn begin_marked(paged: &PagedDocument, mark: Mark, mcids: &mut Vec<Mark>) -> Op {
    if mark == Mark::Artifact {
        return Op::BeginMarkedContentWithProperties {
            tag: "Artifact".into(),
            properties: DictItem::Dict {
                map: BTreeMap::from([("Type".into(), DictItem::Name(b"Pagination".to_vec()))]),
            },
        };
    }
    let mcid = mcids.len() as i64;
    mcids.push(mark);
    Op::BeginMarkedContentWithProperties {
        tag: super::tags::role(paged, mark).into(),
        properties: DictItem::Dict {
            map: BTreeMap::from([("MCID".into(), DictItem::Int(mcid))]),
        },
    }
}

/// Shows glyph strings (and offsets for glyphless spaces): one `Tj`, or a `TJ` array.
fn show(ops: &mut Vec<Op>, mut items: Vec<DictItem>) {
    match items.len() {
        0 => {}
        1 if matches!(items[0], DictItem::String { .. }) => ops.push(Op::Unknown {
            key: "Tj".into(),
            value: items,
        }),
        _ => ops.push(Op::Unknown {
            key: "TJ".into(),
            value: vec![DictItem::Array(std::mem::take(&mut items))],
        }),
    }
}

/// The font resource dictionary printpdf shares between all pages.
fn font_dict_id(doc: &lopdf::Document) -> Option<ObjectId> {
    let (_, page) = doc.get_pages().into_iter().next()?;
    let page = doc.get_dictionary(page).ok()?;
    let res = match page.get(b"Resources").ok()? {
        Object::Reference(r) => doc.get_dictionary(*r).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    res.get(b"Font").ok()?.as_reference().ok()
}

/// Font units → PDF glyph space (thousandths of an em).
fn scale(font: &LoadedFont, v: impl Into<f32>) -> i64 {
    (v.into() * 1000.0 / font.units_per_em()).round() as i64
}

/// Adds a Type 0 font with its CID font, descriptor, font program and ToUnicode map (and for
/// PDF/A-1 the CIDSet: which CIDs the subset has).
fn add_font(doc: &mut lopdf::Document, sub: &Subset, standard: Standard) -> ObjectId {
    let f = sub.font;
    let name = || Object::Name(sub.name.clone().into_bytes());
    let m = f.metrics();
    let program = {
        let mut d = Dictionary::new();
        if sub.cff {
            d.set("Subtype", Object::Name(b"CIDFontType0C".to_vec()));
        } else {
            d.set("Length1", sub.program.raw_len as i64);
        }
        // Deflated already (and so left alone by `compress`).
        d.set("Filter", "FlateDecode");
        doc.add_object(Stream::new(d, sub.program.packed.clone()))
    };
    let mut descriptor = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", name()),
        // Symbolic: the glyphs are addressed by CID, outside any standard character set.
        ("Flags", 4.into()),
        (
            "FontBBox",
            Object::Array(
                [m.bbox.0, m.bbox.1, m.bbox.2, m.bbox.3]
                    .into_iter()
                    .map(|v| scale(f, v).into())
                    .collect(),
            ),
        ),
        ("ItalicAngle", 0.into()),
        ("Ascent", scale(f, m.ascent).into()),
        ("Descent", scale(f, m.descent).into()),
        ("CapHeight", scale(f, m.cap_height).into()),
        ("StemV", 80.into()),
        (
            if sub.cff { "FontFile3" } else { "FontFile2" },
            Object::Reference(program),
        ),
    ]);
    if standard == Standard::A1b {
        // CIDs 0..n (the subset's glyphs, renumbered from 0), one bit each, high bit first.
        let n = sub.old.len();
        let mut bits = vec![0u8; n.div_ceil(8)];
        for cid in 0..n {
            bits[cid / 8] |= 0x80 >> (cid % 8);
        }
        let set = doc.add_object(Stream::new(Dictionary::new(), bits));
        descriptor.set("CIDSet", Object::Reference(set));
    }
    let descriptor = doc.add_object(descriptor);
    // Glyph ids run 0..n in the subset: one /W entry with every width, in pieces of 4,096 (an
    // array of PDF/A-1 holds at most 8,191 elements; a report's fonts have some hundreds).
    let widths: Vec<Object> = sub
        .old
        .iter()
        .map(|&g| scale(f, f.advance(g, f.units_per_em())).into())
        .collect();
    let widths: Vec<Object> = widths
        .chunks(4096)
        .enumerate()
        .flat_map(|(k, w)| [Object::Integer(k as i64 * 4096), Object::Array(w.to_vec())])
        .collect();
    let mut cid = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        (
            "Subtype",
            Object::Name(if sub.cff {
                b"CIDFontType0".to_vec()
            } else {
                b"CIDFontType2".to_vec()
            }),
        ),
        ("BaseFont", name()),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Registry", Object::string_literal("Adobe")),
                ("Ordering", Object::string_literal("Identity")),
                ("Supplement", 0.into()),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor)),
        ("W", Object::Array(widths)),
    ]);
    if !sub.cff {
        cid.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
    }
    let cid = doc.add_object(cid);
    let to_unicode = doc.add_object(Stream::new(Dictionary::new(), to_unicode(sub)));
    doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", name()),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Reference(cid)]),
        ),
        ("ToUnicode", Object::Reference(to_unicode)),
    ]))
}

/// The ToUnicode CMap: each glyph of the subset → its character.
fn to_unicode(sub: &Subset) -> Vec<u8> {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let pairs: Vec<(u16, char)> = sub.codes.iter().map(|(&c, &g)| (g, c)).collect();
    for chunk in pairs.chunks(100) {
        s.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (g, c) in chunk {
            let mut utf16 = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut utf16)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            s.push_str(&format!("<{g:04X}> <{hex}>\n"));
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s.into_bytes()
}

/// Deflates every stream that allows it, when that makes it smaller: the streams are shared
/// between two threads, largest first to whichever has less to do.
fn compress(doc: &mut lopdf::Document) {
    let mut streams: Vec<&mut Stream> = doc
        .objects
        .values_mut()
        .filter_map(|o| match o {
            Object::Stream(s) if s.allows_compression && s.dict.get(b"Filter").is_err() => Some(s),
            _ => None,
        })
        .collect();
    streams.sort_by_key(|s| std::cmp::Reverse(s.content.len()));
    let (mut a, mut b): (Vec<&mut Stream>, Vec<&mut Stream>) = (vec![], vec![]);
    let (mut la, mut lb) = (0, 0);
    for s in streams {
        if la <= lb {
            la += s.content.len();
            a.push(s);
        } else {
            lb += s.content.len();
            b.push(s);
        }
    }
    std::thread::scope(|sc| {
        sc.spawn(move || deflate_all(b));
        deflate_all(a);
    });
}

/// One compressor for all the streams of a thread.
fn deflate_all(streams: Vec<&mut Stream>) {
    let mut z = deflater();
    for stream in streams {
        let n = stream.content.len();
        match deflate(&mut z, &stream.content) {
            Some(packed) if packed.len() + 19 < n => {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(packed);
            }
            _ => {}
        }
    }
}

/// `data` deflated (zlib format) with the compressor `z`: the bytes do not depend on what `z`
/// compressed before.
fn deflate(z: &mut Deflater, data: &[u8]) -> Option<Vec<u8>> {
    let mut packed = vec![0; z.zlib_compress_bound(data.len())];
    let n = z.zlib_compress(data, &mut packed).ok()?;
    packed.truncate(n);
    Some(packed)
}

/// One compressor per thread: a fresh one per stream would take (and the kernel zero) its
/// few hundred kilobytes of tables each time.
type Deflater = libdeflater::Compressor;

fn deflater() -> Deflater {
    let level = libdeflater::CompressionLvl::new(DEFLATE_LEVEL).unwrap_or_default();
    libdeflater::Compressor::new(level)
}

/// Coordinates to 1/1000 pt: enough for print, and shorter content streams.
fn round(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

fn fixed_date(stamp: Date) -> printpdf::OffsetDateTime {
    let (y, m, d) = (i32::from(stamp.year), stamp.month, stamp.day);
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
    let digest = digest_hex(&bytes[..at]);
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

/// A 128-bit digest as 32 hex digits: two 64-bit lanes over the bytes eight at a time (read
/// little-endian, so every platform gives the same digest), each word mixed by multiplication,
/// then avalanched. Not cryptographic: it only has to differ between documents. (FNV-1a, byte by
/// byte with 128-bit products, was a fiftieth of a report's time.)
fn digest_hex(data: &[u8]) -> String {
    const P1: u64 = 0x9E37_79B9_7F4A_7C15;
    const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    let mix = |h: u64, w: u64, p: u64| (h ^ w).wrapping_mul(p).rotate_left(29);
    let (mut a, mut b) = (0x6c62_272e_07bb_0142_u64, 0x62b8_2175_6295_c58d_u64);
    let mut words = data.chunks_exact(8);
    for w in words.by_ref() {
        let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        a = mix(a, w, P1);
        b = mix(b, w.rotate_left(32), P2);
    }
    let mut tail = [0u8; 8];
    let rest = words.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    let w = u64::from_le_bytes(tail) ^ (data.len() as u64);
    a = mix(a, w, P1);
    b = mix(b, w.rotate_left(32), P2);
    let fin = |mut h: u64| {
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    };
    let (x, y) = (fin(a ^ b.rotate_left(17)), fin(b ^ a.rotate_left(41)));
    format!("{x:016x}{y:016x}")
}
