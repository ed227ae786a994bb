//! A fast cut of CID-keyed CFF fonts without subroutines, such as the built-in Fandol faces.
//!
//! `subsetter` decompiles every charstring it keeps (inlining subroutines) and compiles it
//! again: half of a PDF's instructions went there. A font with no subroutine at all has nothing
//! to inline, so its charstrings are copied as they are and only the tables around them are
//! written anew (CID-keyed, identity charset: CID = glyph id in the subset, as `subsetter`
//! writes it). Any other CFF (subroutines, name-keyed, several font dicts) returns `None` and
//! goes to `subsetter`.
//!
//! Structures and operators: Adobe Technical Note #5176 (The Compact Font Format
//! Specification).

/// An INDEX: the byte ranges of its items within `data`, and where the INDEX ends.
fn index(data: &[u8], at: usize) -> Option<(Vec<std::ops::Range<usize>>, usize)> {
    let count = u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?) as usize;
    if count == 0 {
        return Some((vec![], at + 2));
    }
    let size = *data.get(at + 2)? as usize;
    if !(1..=4).contains(&size) {
        return None;
    }
    let offsets = at + 3;
    let read = |i: usize| -> Option<usize> {
        let b = data.get(offsets + i * size..offsets + (i + 1) * size)?;
        Some(b.iter().fold(0usize, |v, &x| (v << 8) | x as usize))
    };
    // Offsets count from the byte before the data.
    let base = offsets + (count + 1) * size - 1;
    let mut items = Vec::with_capacity(count);
    let mut start = read(0)?;
    for i in 1..=count {
        let end = read(i)?;
        if end < start || start == 0 || base + end > data.len() {
            return None;
        }
        items.push(base + start..base + end);
        start = end;
    }
    Some((items, base + start))
}

/// A DICT operator: one byte, or 12 and a second byte.
type Op = u16;
const ESC: Op = 12 << 8;

/// The entries of a DICT: operator, raw operand bytes, the integer operands (reals as `None`).
struct Entry<'a> {
    op: Op,
    raw: &'a [u8],
    ints: Vec<Option<i32>>,
}

fn dict(data: &[u8]) -> Option<Vec<Entry<'_>>> {
    let mut out = vec![];
    let (mut i, mut start) = (0, 0);
    let mut ints = vec![];
    while i < data.len() {
        let b = data[i];
        match b {
            0..=21 => {
                let op = if b == 12 {
                    i += 1;
                    ESC | *data.get(i)? as Op
                } else {
                    b as Op
                };
                out.push(Entry {
                    op,
                    raw: &data[start..if b == 12 { i - 1 } else { i }],
                    ints: std::mem::take(&mut ints),
                });
                i += 1;
                start = i;
            }
            28 => {
                let v = i16::from_be_bytes(data.get(i + 1..i + 3)?.try_into().ok()?);
                ints.push(Some(v as i32));
                i += 3;
            }
            29 => {
                let v = i32::from_be_bytes(data.get(i + 1..i + 5)?.try_into().ok()?);
                ints.push(Some(v));
                i += 5;
            }
            30 => {
                // A real: nibbles up to and including the one that ends it (0xf).
                i += 1;
                loop {
                    let x = *data.get(i)?;
                    i += 1;
                    if x & 0x0f == 0x0f || x >> 4 == 0x0f {
                        break;
                    }
                }
                ints.push(None);
            }
            32..=246 => {
                ints.push(Some(b as i32 - 139));
                i += 1;
            }
            247..=250 => {
                ints.push(Some(
                    (b as i32 - 247) * 256 + *data.get(i + 1)? as i32 + 108,
                ));
                i += 2;
            }
            251..=254 => {
                ints.push(Some(
                    -(b as i32 - 251) * 256 - *data.get(i + 1)? as i32 - 108,
                ));
                i += 2;
            }
            _ => return None,
        }
    }
    Some(out)
}

fn get<'a>(d: &'a [Entry<'a>], op: Op) -> Option<&'a Entry<'a>> {
    d.iter().find(|e| e.op == op)
}

/// An offset or size operand (never negative).
fn int(e: &Entry, i: usize) -> Option<usize> {
    usize::try_from((*e.ints.get(i)?)?).ok()
}

const CHARSET: Op = 15;
const CHARSTRINGS: Op = 17;
const PRIVATE: Op = 18;
const SUBRS: Op = 19;
const ROS: Op = ESC | 30;
const CID_COUNT: Op = ESC | 34;
const FD_ARRAY: Op = ESC | 36;
const FD_SELECT: Op = ESC | 37;

/// Top DICT operators that are copied: plain numbers that describe the font (the rest refer to
/// strings or to tables that are written anew, or identify the original font).
const TOP_KEPT: [Op; 12] = [
    5,        // FontBBox
    ESC | 1,  // isFixedPitch
    ESC | 2,  // ItalicAngle
    ESC | 3,  // UnderlinePosition
    ESC | 4,  // UnderlineThickness
    ESC | 5,  // PaintType
    ESC | 6,  // CharstringType
    ESC | 7,  // FontMatrix
    ESC | 8,  // StrokeWidth
    ESC | 31, // CIDFontVersion
    ESC | 32, // CIDFontRevision
    ESC | 33, // CIDFontType
];

/// Font DICT (FDArray) operators that are copied.
const FD_KEPT: [Op; 2] = [ESC | 7 /* FontMatrix */, ESC | 5 /* PaintType */];

fn push_op(out: &mut Vec<u8>, op: Op) {
    if op & ESC == ESC {
        out.push(12);
        out.push(op as u8);
    } else {
        out.push(op as u8);
    }
}

/// An integer operand in its five-byte form: a DICT's size then does not depend on the
/// offsets it holds.
fn push_i32(out: &mut Vec<u8>, v: usize) {
    out.push(29);
    out.extend_from_slice(&(v as i32).to_be_bytes());
}

/// The offset size of an INDEX whose last offset is `last`.
fn off_size(last: usize) -> usize {
    match last {
        0..=0xff => 1,
        0x100..=0xffff => 2,
        0x1_0000..=0xff_ffff => 3,
        _ => 4,
    }
}

fn push_index(out: &mut Vec<u8>, items: &[&[u8]]) {
    out.extend_from_slice(&(items.len() as u16).to_be_bytes());
    if items.is_empty() {
        return;
    }
    let size = off_size(items.iter().map(|i| i.len()).sum::<usize>() + 1);
    out.push(size as u8);
    let mut offset = 1usize;
    out.extend_from_slice(&offset.to_be_bytes()[8 - size..]);
    for i in items {
        offset += i.len();
        out.extend_from_slice(&offset.to_be_bytes()[8 - size..]);
    }
    for i in items {
        out.extend_from_slice(i);
    }
}

/// The bytes an INDEX of `items` takes.
fn index_len(items: &[&[u8]]) -> usize {
    if items.is_empty() {
        return 2;
    }
    let data: usize = items.iter().map(|i| i.len()).sum();
    3 + (items.len() + 1) * off_size(data + 1) + data
}

/// The CFF table `cff` cut down to the glyphs `old` (new glyph id → old glyph id, `old[0]` the
/// .notdef), or `None` when the font is not one this cut handles.
pub fn subset(cff: &[u8], old: &[u16]) -> Option<Vec<u8>> {
    // Header: major version 1, header size, offset size.
    if *cff.first()? != 1 {
        return None;
    }
    let header = *cff.get(2)? as usize;
    let (names, at) = index(cff, header)?;
    let (tops, at) = index(cff, at)?;
    let (_strings, at) = index(cff, at)?;
    let (gsubrs, _) = index(cff, at)?;
    if !gsubrs.is_empty() || tops.len() != 1 {
        return None;
    }
    let top = dict(&cff[tops[0].clone()])?;
    // CID-keyed, one font dict, no local subroutines.
    get(&top, ROS)?;
    let (fds, _) = index(cff, int(get(&top, FD_ARRAY)?, 0)?)?;
    if fds.len() != 1 {
        return None;
    }
    let fd = dict(&cff[fds[0].clone()])?;
    let private = get(&fd, PRIVATE)?;
    let (size, offset) = (int(private, 0)?, int(private, 1)?);
    let private = cff.get(offset..offset + size)?;
    if get(&dict(private)?, SUBRS).is_some() {
        return None;
    }
    let (glyphs, _) = index(cff, int(get(&top, CHARSTRINGS)?, 0)?)?;
    let charstrings: Vec<&[u8]> = old
        .iter()
        .map(|&g| glyphs.get(g as usize).map(|r| &cff[r.clone()]))
        .collect::<Option<_>>()?;
    let n = charstrings.len();
    if n == 0 || n > u16::MAX as usize {
        return None;
    }

    // Top DICT: ROS (Adobe, Identity, 0: custom strings 391 and 392), CIDCount, the copied
    // numbers, then the offsets, each in five bytes.
    let mut top_dict = vec![];
    push_i32(&mut top_dict, 391);
    push_i32(&mut top_dict, 392);
    push_i32(&mut top_dict, 0);
    push_op(&mut top_dict, ROS);
    push_i32(&mut top_dict, n);
    push_op(&mut top_dict, CID_COUNT);
    for op in TOP_KEPT {
        if let Some(e) = get(&top, op) {
            top_dict.extend_from_slice(e.raw);
            push_op(&mut top_dict, op);
        }
    }
    let mut offset_at = [0; 4];
    for (k, op) in [CHARSET, FD_SELECT, CHARSTRINGS, FD_ARRAY]
        .into_iter()
        .enumerate()
    {
        offset_at[k] = top_dict.len() + 1;
        push_i32(&mut top_dict, 0);
        push_op(&mut top_dict, op);
    }
    let name: &[u8] = names.first().map_or(b"Font", |r| &cff[r.clone()]);
    let strings: [&[u8]; 2] = [b"Adobe", b"Identity"];

    // Charset format 2: glyphs 1.. are CIDs 1.. (one range).
    let mut charset = vec![2];
    if n > 1 {
        charset.extend_from_slice(&1u16.to_be_bytes());
        charset.extend_from_slice(&((n - 2) as u16).to_be_bytes());
    }
    // FDSelect format 3: every glyph in font dict 0.
    let mut fd_select = vec![3, 0, 1, 0, 0, 0];
    fd_select.extend_from_slice(&(n as u16).to_be_bytes());
    // Font DICT: the copied numbers and Private (size, offset).
    let mut font_dict = vec![];
    for op in FD_KEPT {
        if let Some(e) = get(&fd, op) {
            font_dict.extend_from_slice(e.raw);
            push_op(&mut font_dict, op);
        }
    }
    let private_at = font_dict.len();
    push_i32(&mut font_dict, private.len());
    push_i32(&mut font_dict, 0);
    push_op(&mut font_dict, PRIVATE);

    // Where everything lands: header, Name, Top DICT, String and Global Subr INDEXes, charset,
    // FDSelect, CharStrings, FDArray, Private DICT.
    let start_charset =
        4 + index_len(&[name]) + index_len(&[&top_dict]) + index_len(&strings) + index_len(&[]);
    let start_fd_select = start_charset + charset.len();
    let start_charstrings = start_fd_select + fd_select.len();
    let start_fd_array = start_charstrings + index_len(&charstrings);
    let start_private = start_fd_array + index_len(&[&font_dict]);
    let starts = [
        start_charset,
        start_fd_select,
        start_charstrings,
        start_fd_array,
    ];
    for (at, v) in offset_at.into_iter().zip(starts) {
        top_dict[at..at + 4].copy_from_slice(&(v as i32).to_be_bytes());
    }
    let at = private_at + 5 + 1;
    font_dict[at..at + 4].copy_from_slice(&(start_private as i32).to_be_bytes());

    let mut out = Vec::with_capacity(start_private + private.len());
    out.extend_from_slice(&[1, 0, 4, 4]);
    push_index(&mut out, &[name]);
    push_index(&mut out, &[&top_dict]);
    push_index(&mut out, &strings);
    push_index(&mut out, &[]);
    debug_assert_eq!(out.len(), start_charset);
    out.extend_from_slice(&charset);
    out.extend_from_slice(&fd_select);
    push_index(&mut out, &charstrings);
    debug_assert_eq!(out.len(), start_fd_array);
    push_index(&mut out, &[&font_dict]);
    debug_assert_eq!(out.len(), start_private);
    out.extend_from_slice(private);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::paged::fonts::builtin;
    use crate::render::paged::Face;

    /// A glyph's outline as text.
    #[derive(Default)]
    struct Path(Vec<String>);

    impl ttf_parser::OutlineBuilder for Path {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("M{x} {y}"));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("L{x} {y}"));
        }
        fn quad_to(&mut self, a: f32, b: f32, x: f32, y: f32) {
            self.0.push(format!("Q{a} {b} {x} {y}"));
        }
        fn curve_to(&mut self, a: f32, b: f32, c: f32, d: f32, x: f32, y: f32) {
            self.0.push(format!("C{a} {b} {c} {d} {x} {y}"));
        }
        fn close(&mut self) {
            self.0.push("Z".into());
        }
    }

    fn outline(t: &ttf_parser::cff::Table, g: u16) -> Vec<String> {
        let mut p = Path::default();
        let _ = t.outline(ttf_parser::GlyphId(g), &mut p);
        p.0
    }

    #[test]
    fn the_cut_of_a_built_in_face_draws_the_same_glyphs() {
        for face in [Face::Fang, Face::Hei, Face::Kai, Face::Song, Face::Title] {
            let data = builtin(face).data;
            let f = ttf_parser::Face::parse(data, 0).unwrap();
            let table = f
                .raw_face()
                .table(ttf_parser::Tag::from_bytes(b"CFF "))
                .unwrap();
            let mut old = vec![0u16];
            for ch in "二〇二一年政府信息公开工作年度报告，。（一）12AZ".chars()
            {
                let g = f.glyph_index(ch).unwrap().0;
                if !old.contains(&g) {
                    old.push(g);
                }
            }
            let cut = subset(table, &old).expect("a built-in face takes the quick cut");
            let original = ttf_parser::cff::Table::parse(table).unwrap();
            let new = ttf_parser::cff::Table::parse(&cut).expect("the cut parses");
            assert_eq!(new.number_of_glyphs() as usize, old.len());
            for (i, &g) in old.iter().enumerate() {
                let i = i as u16;
                assert_eq!(new.glyph_cid(ttf_parser::GlyphId(i)), Some(i), "{face:?}");
                let drawn = outline(&new, i);
                assert!(i == 0 || !drawn.is_empty(), "{face:?} glyph {g}");
                assert_eq!(drawn, outline(&original, g), "{face:?} glyph {g}");
            }
        }
    }

    #[test]
    fn a_font_with_subroutines_is_left_to_subsetter() {
        let data = builtin(Face::Fallback).data;
        let f = ttf_parser::Face::parse(data, 0).unwrap();
        let table = f
            .raw_face()
            .table(ttf_parser::Tag::from_bytes(b"CFF "))
            .unwrap();
        assert!(subset(table, &[0, 1, 2]).is_none());
    }

    #[test]
    fn index_round_trip() {
        let items: Vec<&[u8]> = vec![b"a", b"", b"xyz"];
        let mut v = vec![];
        push_index(&mut v, &items);
        assert_eq!(v.len(), index_len(&items));
        let (read, end) = index(&v, 0).unwrap();
        assert_eq!(end, v.len());
        let back: Vec<&[u8]> = read.into_iter().map(|r| &v[r]).collect();
        assert_eq!(back, items);
        let mut e = vec![];
        push_index(&mut e, &[]);
        assert_eq!(e, [0, 0]);
        assert_eq!(index_len(&[]), 2);
    }

    #[test]
    fn dict_reads_operands_and_escaped_operators() {
        // 100 -200 FontBBox-like op 5, then 12 7 with a real, then a five-byte integer.
        let d = [239, 251, 0x5c, 5, 30, 0x1f, 12, 7, 29, 0, 1, 0, 0, 17];
        let e = dict(&d).unwrap();
        assert_eq!(e[0].op, 5);
        assert_eq!(e[0].ints, vec![Some(100), Some(-200)]);
        assert_eq!(e[1].op, ESC | 7);
        assert_eq!(e[1].ints, vec![None]);
        assert_eq!(e[2].op, 17);
        assert_eq!(e[2].ints, vec![Some(65536)]);
    }
}
