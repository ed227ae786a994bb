//! OFD (GB/T 33190). Ours carry the report as an attachment (`Attachments.xml` named by the
//! document, the file `xxgk-report.yaml`). Anyone else's: each page's `TextObject`s — their
//! `TextCode` runs with `X`, `Y` and `DeltaX` (millimetres, y down) through the object's `CTM`
//! (when it has one), its `Boundary` and `Size` — become positioned runs, grouped as a PDF's
//! are; `PathObject`s give the rules the same way. The package passes the zip guard.

use super::docx::{entity, open, part};
use super::positioned::{self, Run, Seg, MAX_RUNS};
use super::{Block, Flow, Source};
use crate::diag::Diagnostic;
use crate::spec::embed::FILE_NAME;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Millimetres to points, and y turned up (the page height is unknown here; any constant keeps
/// the order).
fn pt(mm: f32) -> f32 {
    mm * 72.0 / 25.4
}

fn attr(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .map(|a| a.value.to_string())
}

/// The text of the first element named `name` (local name) in `xml`.
fn element_text(xml: &str, name: &str) -> Option<String> {
    let mut r = Reader::from_str(xml);
    let mut inside = false;
    let mut out = String::new();
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == name => inside = true,
            Event::End(e) if inside && e.local_name().as_ref() == name => return Some(out),
            Event::Text(t) if inside => out.push_str(&t.xml10_content()),
            Event::GeneralRef(g) if inside => out.extend(entity(&g)),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// A path inside the package, relative to the folder of `base` (or absolute from the root).
fn resolve(base: &str, loc: &str) -> String {
    let loc = loc.trim();
    if let Some(abs) = loc.strip_prefix('/') {
        return abs.to_string();
    }
    let dir = base.rsplit_once('/').map_or("", |(d, _)| d);
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in loc.split('/') {
        match p {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn text_part(z: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> Option<String> {
    part(z, name).map(|b| String::from_utf8_lossy(&b).into_owned())
}

pub(crate) fn read(bytes: &[u8]) -> Result<Source, String> {
    let mut z = open(bytes, "OFD")?;
    let ofd = text_part(&mut z, "OFD.xml")
        .ok_or_else(|| "无法读取该 OFD：缺少 OFD.xml（不是 OFD 文件，或已损坏）".to_string())?;
    let root = element_text(&ofd, "DocRoot")
        .map(|r| resolve("OFD.xml", &r))
        .ok_or_else(|| "无法读取该 OFD：OFD.xml 中没有 DocRoot".to_string())?;
    let document =
        text_part(&mut z, &root).ok_or_else(|| format!("无法读取该 OFD：缺少 {root}"))?;
    if let Some(list) = element_text(&document, "Attachments") {
        let list_path = resolve(&root, &list);
        if let Some(xml) = text_part(&mut z, &list_path) {
            if let Some(file) = attachment(&xml) {
                if let Some(y) = part(&mut z, &resolve(&list_path, &file)) {
                    return Ok(Source::Embedded(y));
                }
            }
        }
    }
    // The pages, in order.
    let mut pages = vec![];
    let mut r = Reader::from_str(&document);
    while let Ok(ev) = r.read_event() {
        match ev {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Page" => {
                if let Some(loc) = attr(&e, "BaseLoc") {
                    pages.push(resolve(&root, &loc));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if pages.len() > 200 {
            break;
        }
    }
    let mut blocks: Vec<Block> = vec![];
    let mut doubts: Vec<Diagnostic> = vec![];
    let mut page_no = 0usize;
    // The column rules of the table the page before ended in (it may go on).
    let mut goes_on: Option<Vec<f32>> = None;
    let mut total = 0usize;
    let mut any_text = false;
    for p in pages {
        let Some(xml) = text_part(&mut z, &p) else {
            continue;
        };
        let (runs, segs) = page_runs(&xml);
        total += runs.len();
        if total > MAX_RUNS {
            return Err("无法读取该 OFD：文字过多，不像一份年度报告".into());
        }
        any_text |= !runs.is_empty();
        let page = positioned::page_blocks(runs, &segs);
        page_no += 1;
        doubts.extend(positioned::unruled(page_no, &page.guessed));
        let last_cols = page.last_cols.clone();
        positioned::append_page(&mut blocks, page, goes_on.as_deref());
        goes_on = last_cols;
    }
    if !any_text {
        return Err("这个 OFD 没有文字（可能是扫描件或图片）：无法读出其中的文字和数字，请按原件录入，或先用 OCR 软件转换".into());
    }
    let producer = element_text(&ofd, "Creator").and_then(|c| {
        let v = element_text(&ofd, "CreatorVersion").unwrap_or_default();
        super::producer_name(&format!("{c} {v}"))
    });
    Ok(Source::Flow(Flow {
        blocks,
        doubts,
        producer,
        ..Flow::default()
    }))
}

/// The file of the attachment named `xxgk-report.yaml`.
fn attachment(xml: &str) -> Option<String> {
    let mut r = Reader::from_str(xml);
    let mut ours = false;
    let mut inside = false;
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "Attachment" => {
                ours = attr(&e, "Name").as_deref() == Some(FILE_NAME);
            }
            Event::Start(e) if ours && e.local_name().as_ref() == "FileLoc" => inside = true,
            Event::Text(t) if inside => return Some(t.xml10_content().trim().to_string()),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// A page's text objects as runs, and its straight paths as rules.
fn page_runs(xml: &str) -> (Vec<Run>, Vec<Seg>) {
    let mut r = Reader::from_str(xml);
    let mut runs = vec![];
    let mut segs = vec![];
    let mut path_origin: Option<(f32, f32)> = None;
    let mut path_ctm = [1.0f32, 0.0, 0.0, 1.0, 0.0, 0.0];
    // The current text object: its boundary's origin, its transform (`CTM`, object space to
    // the boundary's) and size; the current code's position.
    let (mut bx, mut by, mut size) = (0.0f32, 0.0f32, 0.0f32);
    let mut ctm = [1.0f32, 0.0, 0.0, 1.0, 0.0, 0.0];
    let mut code: Option<(f32, f32, Vec<f32>)> = None;
    let mut text = String::new();
    let num = |s: Option<String>| s.and_then(|v| v.trim().parse::<f32>().ok());
    while let Ok(ev) = r.read_event() {
        match ev {
            Event::Start(e) if e.local_name().as_ref() == "TextObject" => {
                let b: Vec<f32> = attr(&e, "Boundary")
                    .unwrap_or_default()
                    .split_whitespace()
                    .filter_map(|v| v.parse().ok())
                    .collect();
                bx = b.first().copied().unwrap_or(0.0);
                by = b.get(1).copied().unwrap_or(0.0);
                ctm = matrix(attr(&e, "CTM"));
                size = num(attr(&e, "Size")).unwrap_or(3.5);
            }
            Event::Start(e) if e.local_name().as_ref() == "PathObject" => {
                let b: Vec<f32> = attr(&e, "Boundary")
                    .unwrap_or_default()
                    .split_whitespace()
                    .filter_map(|v| v.parse().ok())
                    .collect();
                path_origin = Some((
                    b.first().copied().unwrap_or(0.0),
                    b.get(1).copied().unwrap_or(0.0),
                ));
                path_ctm = matrix(attr(&e, "CTM"));
            }
            Event::Text(t) if path_origin.is_some() && code.is_none() => {
                if let Some((ox, oy)) = path_origin {
                    if segs.len() < 100_000 {
                        path_segments(&t.xml10_content(), ox, oy, &path_ctm, &mut segs);
                    }
                }
            }
            Event::End(e) if e.local_name().as_ref() == "PathObject" => path_origin = None,
            Event::Start(e) if e.local_name().as_ref() == "TextCode" => {
                let deltas = deltas(&attr(&e, "DeltaX").unwrap_or_default());
                code = Some((
                    num(attr(&e, "X")).unwrap_or(0.0),
                    num(attr(&e, "Y")).unwrap_or(0.0),
                    deltas,
                ));
                text.clear();
            }
            Event::Text(t) if code.is_some() => text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) if code.is_some() => text.extend(entity(&g)),
            Event::End(e) if e.local_name().as_ref() == "TextCode" => {
                if let Some((x, y, d)) = code.take() {
                    // Positions in object space, placed through the CTM on the boundary.
                    let place = |px: f32| {
                        let m = &ctm;
                        (
                            bx + m[0] * px + m[2] * y + m[4],
                            by + m[1] * px + m[3] * y + m[5],
                        )
                    };
                    let scale = (ctm[2] * ctm[2] + ctm[3] * ctm[3]).sqrt();
                    let glyph = size
                        * if scale.is_finite() && scale > 0.0 {
                            scale
                        } else {
                            1.0
                        };
                    let mut push = |from: f32, to: f32, cur: &str| {
                        let (a, b) = (place(from), place(to));
                        runs.push(run(a.0.min(b.0), a.0.max(b.0), a.1, glyph, cur));
                    };
                    // Split where a gap is wider than a character (a code spanning cells).
                    let mut cx = x;
                    let mut start = cx;
                    let mut cur = String::new();
                    for (i, ch) in text.chars().enumerate() {
                        cur.push(ch);
                        let step = d.get(i).copied().unwrap_or(size);
                        if step > size * 1.6 {
                            push(start, cx + size, &cur);
                            cur.clear();
                            start = cx + step;
                        }
                        cx += step;
                    }
                    if !cur.is_empty() {
                        push(start, cx, &cur);
                    }
                }
                if runs.len() > MAX_RUNS {
                    break;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (runs, segs)
}

/// The straight lines of an `AbbreviatedData` path (`M x y L x y …`, relative to the object's
/// boundary), as page rules in points.
fn path_segments(data: &str, ox: f32, oy: f32, m: &[f32; 6], out: &mut Vec<Seg>) {
    let t: Vec<&str> = data.split_whitespace().collect();
    let (mut at, mut i) = ((0.0f32, 0.0f32), 0);
    let num = |k: usize| t.get(k).and_then(|v| v.parse::<f32>().ok());
    while i < t.len() {
        match t[i] {
            "M" | "L" => {
                let (Some(x), Some(y)) = (num(i + 1), num(i + 2)) else {
                    return;
                };
                let (x, y) = (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]);
                let to = (pt(ox + x), -pt(oy + y));
                if t[i] == "L" {
                    out.push(Seg {
                        x1: at.0,
                        y1: at.1,
                        x2: to.0,
                        y2: to.1,
                    });
                }
                at = to;
                i += 3;
            }
            _ => i += 1,
        }
    }
}

fn run(x: f32, end: f32, y: f32, size: f32, text: &str) -> Run {
    Run {
        x: pt(x),
        end: pt(end),
        // OFD's y grows downwards.
        y: -pt(y),
        size: pt(size),
        text: text.to_string(),
    }
}

/// A `CTM` attribute (`a b c d e f`), the identity when absent or not six finite numbers.
fn matrix(attr: Option<String>) -> [f32; 6] {
    let n: Vec<f32> = attr
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .filter(|v: &f32| v.is_finite())
        .collect();
    match n[..] {
        [a, b, c, d, e, f] => [a, b, c, d, e, f],
        _ => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
    }
}

/// `DeltaX`: numbers, and `g n d` for n copies of d.
fn deltas(s: &str) -> Vec<f32> {
    let mut out = vec![];
    let mut it = s.split_whitespace();
    while let Some(t) = it.next() {
        if t == "g" {
            let n: usize = it
                .next()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
                .min(100_000);
            let d: f32 = it.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
            out.extend(std::iter::repeat_n(d, n));
        } else if let Ok(v) = t.parse() {
            out.push(v);
        }
        if out.len() > 1_000_000 {
            break;
        }
    }
    out
}
