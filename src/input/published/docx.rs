//! Word documents (.docx). Ours carry the report in a custom XML part (root element in the
//! namespace `crate::spec::embed::DOCX_NS`; Word may renumber the part when it saves, so every
//! `customXml/item*.xml` is looked at). Anyone else's: `word/document.xml` read with quick-xml —
//! paragraphs (`w:p`, their `w:t` runs, `w:tab`, `w:br`) and tables (`w:tbl`; `w:gridSpan` and
//! `w:vMerge` turned into column and row spans). The package passes the same zip guard as a
//! workbook (sizes, ratio, CRC) before anything is inflated.

use super::{Block, Cell, Flow, Source, MAX_TEXT_CHARS};
use crate::input::zipguard;
use crate::spec::embed::DOCX_NS;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::{Cursor, Read};

/// One part of a checked package (already bounded by the zip guard).
pub(crate) fn part(z: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> Option<Vec<u8>> {
    let f = z.by_name(name).ok()?;
    let mut out = vec![];
    f.take(zipguard::MAX_PART_BYTES)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

pub(crate) fn open(bytes: &[u8], what: &str) -> Result<zip::ZipArchive<Cursor<Vec<u8>>>, String> {
    let safe = zipguard::repack(bytes).map_err(|e| {
        if !bytes.starts_with(b"PK") {
            // The guard's words for a file that is no zip at all speak of workbooks.
            return format!(
                "无法读取该{what}：{what}是 zip 压缩包，这个文件不是（可能已损坏，或只是改了扩展名）"
            );
        }
        // The guard speaks of workbooks; the file is a Word document or an OFD.
        format!("无法读取该{what}：{}", e.replace("工作簿", "文件"))
    })?;
    zip::ZipArchive::new(Cursor::new(safe)).map_err(|e| format!("无法读取该{what}：{e}"))
}

pub(crate) fn read(bytes: &[u8]) -> Result<Source, String> {
    let mut z = open(bytes, "Word 文档")?;
    let names: Vec<String> = (0..z.len())
        .filter_map(|i| {
            z.name_for_index(i)
                .and_then(|n| n.ok())
                .map(|n| n.to_string())
        })
        .collect();
    for name in names
        .iter()
        .filter(|n| n.starts_with("customXml/item") && !n.contains("Props") && n.ends_with(".xml"))
    {
        if let Some(x) = part(&mut z, name) {
            if let Some(yaml) = embedded(&x) {
                return Ok(Source::Embedded(yaml));
            }
        }
    }
    let doc = part(&mut z, "word/document.xml").ok_or_else(|| {
        "无法读取该 Word 文档：缺少 word/document.xml（不是 Word 文档，或已损坏）".to_string()
    })?;
    let mut flow = flow(&doc)?;
    flow.producer = part(&mut z, "docProps/app.xml").and_then(|x| application(&x));
    Ok(Source::Flow(flow))
}

/// The program named in the package's `docProps/app.xml` (`<Application>`, with its
/// `<AppVersion>`).
fn application(xml: &[u8]) -> Option<String> {
    let xml = String::from_utf8_lossy(xml);
    let text = |name: &str| {
        let open = format!("<{name}>");
        let start = xml.find(&open)? + open.len();
        let end = xml[start..].find('<')? + start;
        Some(xml[start..end].trim().to_string())
    };
    let app = text("Application").filter(|a| !a.is_empty())?;
    let name = match text("AppVersion").filter(|v| !v.is_empty()) {
        Some(v) => format!("{app} {v}"),
        None => app,
    };
    super::producer_name(&name)
}

/// The text of our custom XML part's root element, if the part is ours.
fn embedded(xml: &[u8]) -> Option<Vec<u8>> {
    let xml = String::from_utf8_lossy(xml);
    let mut r = Reader::from_str(&xml);
    let mut ours = false;
    let mut text = String::new();
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if !ours => {
                ours = e
                    .attributes()
                    .flatten()
                    .any(|a| a.key.as_ref() == "xmlns" && a.value.as_ref() == DOCX_NS);
                if !ours {
                    return None;
                }
            }
            Event::Text(t) if ours => text.push_str(&t.xml10_content()),
            Event::GeneralRef(g) if ours => text.extend(entity(&g)),
            Event::CData(t) if ours => text.push_str(&t),
            Event::Eof => break,
            _ => {}
        }
    }
    ours.then(|| text.into_bytes())
}

enum Kind {
    Empty,
    Other,
}

#[derive(Clone, Copy, PartialEq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

/// A cell as Word writes it: its grid column, span, vertical merge and text.
struct WCell {
    col: u32,
    span: u32,
    vmerge: VMerge,
    text: String,
}

fn attr(e: &quick_xml::events::BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .map(|a| a.value.to_string())
}

/// A predefined entity or character reference (`amp`, `#8212`, `#x2014`).
pub(crate) fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

/// The document's paragraphs and tables, in order. Tables inside table cells are read as the
/// cell's text; depth is counted, not recursed, so nesting cannot exhaust the stack.
fn flow(xml: &[u8]) -> Result<Flow, String> {
    let xml = String::from_utf8_lossy(xml);
    let mut r = Reader::from_str(&xml);
    let mut blocks = vec![];
    let mut para = String::new();
    let mut depth = 0usize;
    let mut rows: Vec<Vec<WCell>> = vec![];
    let mut cell: Option<WCell> = None;
    let mut col = 0u32;
    let mut in_text = false;
    let mut chars = 0usize;
    // Inside `mc:Fallback`: the same drawing (a text box) again for older readers, skipped so
    // its text is read once.
    let mut fallback = 0usize;
    loop {
        let ev = r
            .read_event()
            .map_err(|e| format!("无法读取该 Word 文档：word/document.xml 已损坏（{e}）"))?;
        let ev_kind = if matches!(ev, Event::Empty(_)) {
            Kind::Empty
        } else {
            Kind::Other
        };
        match &ev {
            Event::Start(e) if e.local_name().as_ref() == "Fallback" => {
                fallback += 1;
                continue;
            }
            Event::End(e) if e.local_name().as_ref() == "Fallback" => {
                fallback = fallback.saturating_sub(1);
                continue;
            }
            Event::Eof => {}
            _ if fallback > 0 => continue,
            _ => {}
        }
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev_kind, Kind::Empty);
                match e.local_name().as_ref() {
                    _ if empty && matches!(e.local_name().as_ref(), "tbl" | "tr" | "tc" | "t") => {}
                    "tbl" => {
                        depth += 1;
                        if depth == 1 && !para.trim().is_empty() {
                            blocks.push(Block::Para(std::mem::take(&mut para)));
                        }
                        if depth == 1 {
                            rows.clear();
                        }
                    }
                    "tr" if depth == 1 => {
                        rows.push(vec![]);
                        col = 0;
                    }
                    "tc" if depth == 1 => {
                        cell = Some(WCell {
                            col,
                            span: 1,
                            vmerge: VMerge::None,
                            text: String::new(),
                        });
                    }
                    // Grid columns a row leaves empty before its first cell (Word and WPS
                    // write this when a row was shortened).
                    "gridBefore" if depth == 1 && cell.is_none() => {
                        let n = attr(&e, "val")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0u32)
                            .min(64);
                        if let Some(row) = rows.last_mut().filter(|r| r.is_empty() && n > 0) {
                            // Held by a blank cell, so the row's cells keep their columns.
                            row.push(WCell {
                                col: 0,
                                span: n,
                                vmerge: VMerge::None,
                                text: String::new(),
                            });
                            col = n;
                        }
                    }
                    // A text box's paragraphs are paragraphs of their own, not part of the
                    // one its anchor sits in.
                    "txbxContent" if depth == 0 && cell.is_none() && !para.trim().is_empty() => {
                        blocks.push(Block::Para(std::mem::take(&mut para)));
                    }
                    "gridSpan" if depth == 1 => {
                        if let Some(c) = cell.as_mut() {
                            c.span = attr(&e, "val")
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1u32)
                                .clamp(1, 64);
                        }
                    }
                    "vMerge" if depth == 1 => {
                        if let Some(c) = cell.as_mut() {
                            c.vmerge = match attr(&e, "val").as_deref() {
                                Some("restart") => VMerge::Restart,
                                _ => VMerge::Continue,
                            };
                        }
                    }
                    "t" => in_text = true,
                    "tab" => push(&mut cell, &mut para, "\t"),
                    "br" | "cr" => push(&mut cell, &mut para, "\n"),
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                let s = t.xml10_content();
                chars += s.len();
                if chars < MAX_TEXT_CHARS * 4 {
                    push(&mut cell, &mut para, &s);
                }
            }
            Event::GeneralRef(g) if in_text => {
                if let Some(c) = entity(&g) {
                    push(&mut cell, &mut para, &c.to_string());
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    if let Some(c) = cell.as_mut() {
                        c.text.push('\n');
                    } else if depth == 0 {
                        blocks.push(Block::Para(std::mem::take(&mut para)));
                    }
                }
                "tc" if depth == 1 => {
                    if let Some(mut c) = cell.take() {
                        c.text = c.text.trim_matches('\n').to_string();
                        col = c.col + c.span;
                        if let Some(row) = rows.last_mut() {
                            row.push(c);
                        }
                    }
                }
                "tbl" => {
                    if depth == 1 {
                        blocks.push(Block::Table(spans(std::mem::take(&mut rows))));
                    }
                    depth = depth.saturating_sub(1);
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !para.trim().is_empty() {
        blocks.push(Block::Para(para));
    }
    Ok(Flow {
        blocks,
        ..Flow::default()
    })
}

fn push(cell: &mut Option<WCell>, para: &mut String, s: &str) {
    match cell {
        Some(c) => c.text.push_str(s),
        None => para.push_str(s),
    }
}

/// Word's rows (vertical merges as a `restart` cell and `continue` cells below it) as rows of
/// cells with row spans, continued cells left out.
fn spans(rows: Vec<Vec<WCell>>) -> Vec<Vec<Cell>> {
    let at = |r: usize, col: u32| -> Option<VMerge> {
        rows.get(r)?.iter().find(|c| c.col == col).map(|c| c.vmerge)
    };
    let mut out = vec![];
    for (i, row) in rows.iter().enumerate() {
        let mut cells = vec![];
        for c in row {
            if c.vmerge == VMerge::Continue {
                continue;
            }
            let mut rowspan = 1;
            if c.vmerge == VMerge::Restart {
                while at(i + rowspan as usize, c.col) == Some(VMerge::Continue) {
                    rowspan += 1;
                }
            }
            cells.push(Cell {
                text: c.text.clone(),
                rowspan,
                colspan: c.span,
                doubt: None,
            });
        }
        out.push(cells);
    }
    // The HTML model lists cells left to right without the covered positions, which the stacker
    // recomputes from the spans; Word's grid columns agree with it.
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn texts(flow: &Flow) -> Vec<String> {
        flow.blocks
            .iter()
            .map(|b| match b {
                Block::Para(p) => p.clone(),
                Block::Table(t) => t
                    .iter()
                    .map(|r| {
                        r.iter()
                            .map(|c| format!("{}/{}", c.text, c.colspan))
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            })
            .collect()
    }

    #[test]
    fn a_row_shortened_at_its_start_keeps_its_cells_columns() {
        let xml = format!(
            r#"<w:document {W}><w:body><w:tbl>
<w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:trPr><w:gridBefore w:val="2"/></w:trPr><w:tc><w:p><w:r><w:t>z</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl></w:body></w:document>"#
        );
        let f = flow(xml.as_bytes()).unwrap();
        assert_eq!(texts(&f), ["a/1|b/1|c/1\n/2|z/1"]);
    }

    #[test]
    fn a_text_box_is_read_once_as_its_own_paragraph() {
        // Word writes a text box twice: the shape, and a VML copy in mc:Fallback.
        let boxed = "<w:txbxContent><w:p><w:r><w:t>框中</w:t></w:r></w:p></w:txbxContent>";
        let xml = format!(
            r#"<w:document {W}><w:body><w:p><w:r><w:t>前文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{boxed}</w:drawing></mc:Choice><mc:Fallback><w:pict>{boxed}</w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>后文</w:t></w:r></w:p></w:body></w:document>"#
        );
        let f = flow(xml.as_bytes()).unwrap();
        assert_eq!(texts(&f), ["前文", "框中", "后文"]);
    }

    #[test]
    fn tracked_changes_read_as_accepted() {
        // A clerk's file with revisions on: what was inserted counts, what was deleted not.
        let xml = format!(
            r#"<w:document {W}><w:body><w:p><w:del w:id="1" w:author="a"><w:r><w:delText>2022年，</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>2023年，</w:t></w:r></w:ins><w:r><w:t>未收费。</w:t></w:r></w:p></w:body></w:document>"#
        );
        let f = flow(xml.as_bytes()).unwrap();
        assert_eq!(texts(&f), ["2023年，未收费。"]);
    }
}
