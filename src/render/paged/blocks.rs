//! The document → pages: its blocks (title, preface, the six sections with their tables, the
//! signature) and page numbers, in the styles of GB/T 9704 and 国办公开办函〔2021〕30号.

use super::fonts::{Face, Fonts};
use super::layout::Mark;
use super::layout::{
    Flow, ParaAlign, SetPara, Span, TableStyle, BLOCK_H, BLOCK_W, BODY_SIZE, CELL, LEFT, MM, PITCH,
    TABLE_SLACK, TOP,
};
use super::{BlockKind, PagedDocument};
use crate::diag::Diagnostic;
use crate::render::document::{Block, Document};
use crate::spec::format::{TableGrid, TableId};
use crate::spec::place::{Key, Place};
use crate::spec::style;

/// 二号 title on a 35 pt pitch.
const TITLE_SIZE: f32 = style::TITLE_PT;
const TITLE_PITCH: f32 = style::TITLE_PITCH_PT;
const FOLIO_SIZE: f32 = style::FOLIO_PT;
/// How far above the baseline an em dash's middle stands, in ems (Fandol and SimSun alike).
pub const FOLIO_DASH_RISE: f32 = 0.3;
/// Table 三 may step down from 五号 to fit on one page.
const TABLE_SIZES: [f32; 3] = style::TABLE_PT;

fn body_align() -> ParaAlign {
    ParaAlign::Justify { indent: 2.0 * CELL }
}

fn table_style(table: TableId, size: f32) -> TableStyle {
    TableStyle {
        size,
        min_value_size: 7.0,
        pad_x: style::CELL_PAD_X_MM * MM,
        pad_y: style::cell_pad_y_mm(table) * MM,
        leading: style::TABLE_LEADING,
        border: 0.5,
        // Tables 二 and 四 have few rows and room to breathe; table 三's 28 rows are set as
        // tight as their text allows, so that it fits on one page as in the Word output.
        min_row: if table == TableId::T3 { 0.0 } else { 7.0 * MM },
        table,
    }
}

/// Lays the document out: its blocks in order, then the page numbers.
pub fn layout(doc: &Document, fonts: &Fonts) -> Result<PagedDocument, Diagnostic> {
    let loose = layout_with(doc, fonts, None)?;
    // GB/T 9704 §7.3.5.1 allows adjusting the spacing so that the end of the text and the
    // 落款 share a page: when the last page holds only a few lines (section 六 and the 落款),
    // the tables of the page before are followed by less space (a quarter line instead of the
    // rest of a grid line), and the tighter arrangement is taken when it saves the page.
    let n = loose.pages.len();
    if n >= 2 && text_lines(&loose.pages[n - 1]) <= STUB_LINES {
        let tight = layout_with(doc, fonts, Some(n - 2))?;
        if tight.pages.len() < n {
            return Ok(tight);
        }
    }
    Ok(loose)
}

/// A last page with this many lines of body text or fewer is a stub worth saving.
const STUB_LINES: usize = 8;

/// The lines of body text on a page (runs at the body size, by baseline).
fn text_lines(page: &super::Page) -> usize {
    let mut ys: Vec<i64> = page
        .runs
        .iter()
        .filter(|r| r.size == BODY_SIZE)
        .map(|r| (r.y * 10.0).round() as i64)
        .collect();
    ys.sort_unstable();
    ys.dedup();
    ys.len()
}

/// Lays the document out; the tables that end on page `tight` (0-based) are followed by a
/// quarter line only, off the line grid.
fn layout_with(
    doc: &Document,
    fonts: &Fonts,
    tight: Option<usize>,
) -> Result<PagedDocument, Diagnostic> {
    let mut f = Flow::new(fonts);
    // The pitch of body lines: the grid's, or after the first table that ends on page
    // `tight`, the tighter one (`PlacedTable::tight_after`, for Word to follow).
    let pitch = std::cell::Cell::new(PITCH);
    let body = |f: &Flow, text: &str, place: Place| {
        f.set(
            &[Span::new(text, Face::Fang, BODY_SIZE)],
            body_align(),
            pitch.get(),
            true,
            place,
        )
    };
    // A paragraph of body text, or a run-in heading (楷体) with its text (仿宋) on one line.
    let text_block = |f: &Flow, block: &Block| match block {
        Block::Paragraph { text, place } => body(f, text, *place).map(Some),
        Block::RunIn { head, text, place } => {
            let mut spans = vec![Span::new(head.as_str(), Face::Kai, BODY_SIZE)];
            if let Some(t) = text {
                spans.push(Span::new(t.as_str(), Face::Fang, BODY_SIZE));
            }
            f.set(&spans, body_align(), pitch.get(), true, *place)
                .map(Some)
        }
        _ => Ok(None),
    };
    // Each block's text is marked with the block's index (the PDF's tags).
    let at = |i: usize, part: u8| Mark::Block {
        block: i as u32,
        part,
    };
    let mut blocks = doc.blocks.iter().enumerate().peekable();
    while let Some((i, block)) = blocks.next() {
        f.mark = at(i, 0);
        match block {
            Block::Title { lines, date, place } => {
                for line in lines {
                    let spans = [Span::new(line.as_str(), Face::Title, TITLE_SIZE)];
                    let p = f.set(&spans, ParaAlign::Center, TITLE_PITCH, false, *place)?;
                    f.place(&p);
                }
                f.snap();
                if let Some(d) = date {
                    f.mark = at(i, 1);
                    let p = f.set(
                        // As in the Word output: the date in 仿宋, centred under the title.
                        &[Span::new(d.as_str(), Face::Fang, BODY_SIZE)],
                        ParaAlign::Center,
                        PITCH,
                        true,
                        Place::Key(Key::Published),
                    )?;
                    f.place(&p);
                }
                // One blank line under the title; the body keeps to the 22-line grid.
                f.skip(PITCH);
            }
            Block::Paragraph { .. } | Block::RunIn { .. } => {
                if let Some(p) = text_block(&f, block)? {
                    f.paragraph(&p);
                }
            }
            Block::Heading { text, place } => {
                let h = f.set(
                    &[Span::new(text.as_str(), Face::Hei, BODY_SIZE)],
                    body_align(),
                    pitch.get(),
                    true,
                    *place,
                )?;
                if let Some((_, Block::Table { grid, cells })) = blocks.peek() {
                    blocks.next();
                    if table(&mut f, Some((&h, text)), (i, i + 1), grid, cells, tight)? {
                        pitch.set(style::TIGHT_PITCH_PT);
                    }
                    continue;
                }
                let first = match blocks.peek() {
                    Some((_, b)) => text_block(&f, b)?,
                    None => None,
                };
                // Keep the heading with the first two lines of what follows.
                // (A paragraph of up to three lines is never split, see `Flow::paragraph`.)
                let lead = first.as_ref().map_or(0, |p| {
                    let n = p.line_count();
                    if n < 4 {
                        n
                    } else {
                        2
                    }
                }) as f32
                    * pitch.get();
                f.ensure(h.height() + lead);
                f.place_marked(&h, true, text);
                if let Some(p) = first {
                    blocks.next();
                    f.mark = at(i + 1, 0);
                    f.paragraph(&p);
                }
            }
            Block::Table { grid, cells } => {
                if table(&mut f, None, (i, i), grid, cells, tight)? {
                    pitch.set(style::TIGHT_PITCH_PT);
                }
            }
            Block::Signature { body, date } => {
                signature(&mut f, i, body, date.as_deref(), pitch.get())?
            }
        }
    }

    // Drop a trailing empty page (a table or paragraph that ended exactly at the bottom).
    while f.pages.len() > 1
        && f.pages
            .last()
            .is_some_and(|p| p.runs.is_empty() && p.rules.is_empty())
    {
        f.pages.pop();
    }
    f.mark = Mark::Artifact;
    // Page numbers: 一字线 on both sides, 7 mm under the block; odd pages right, even pages
    // left, one character in.
    for k in 0..f.pages.len() {
        let n = k + 1;
        let spans = [Span::new(format!("— {n} —"), Face::Song, FOLIO_SIZE)];
        // GB/T 9704 measures to the dash line (一字线上距版心下边缘7mm); the dash of a CJK
        // face stands about 0.3 em above the baseline.
        let y = TOP + BLOCK_H + style::FOLIO_BELOW_BLOCK_MM * MM + FOLIO_DASH_RISE * FOLIO_SIZE;
        if n % 2 == 1 {
            f.text_at(k, &spans, LEFT + BLOCK_W - CELL, y, true)?;
        } else {
            f.text_at(k, &spans, LEFT + CELL, y, false)?;
        }
    }
    Ok(PagedDocument {
        pages: f.pages,
        info: doc.info.clone(),
        outline: f.outline,
        tables: f.tables,
        blocks: doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Title { .. } => BlockKind::Title,
                Block::Heading { .. } => BlockKind::Heading,
                Block::Paragraph { .. } | Block::RunIn { .. } => BlockKind::Paragraph,
                Block::Table { grid, .. } => BlockKind::Table(grid.clone()),
                Block::Signature { .. } => BlockKind::Signature,
            })
            .collect(),
    })
}

/// A table under its heading, at the largest of the house sizes that fits: on the rest of this
/// page; else, for a table that must continue on the next page, the largest that would fit a
/// page, but not below 9 pt (table 三 is the tall one). `(head, at)`: the block indices of the
/// heading and of the table (the marks of their text).
fn table(
    f: &mut Flow,
    heading: Option<(&SetPara, &str)>,
    (head, at): (usize, usize),
    grid: &TableGrid,
    cells: &[String],
    tight: Option<usize>,
) -> Result<bool, Diagnostic> {
    let text = |i: usize| cells.get(i).cloned().unwrap_or_default();
    let h_height = heading.map_or(0.0, |(h, _)| h.height());
    let mut fits_here = None;
    let mut fits_page = None;
    let mut measured = vec![];
    // One size for the whole table: only sizes at which columns can hold every number and
    // word on one line (a number never breaks nor shrinks alone); the smallest when none can.
    let mut sizes: Vec<f32> = TABLE_SIZES
        .iter()
        .copied()
        .filter(|&s| style::table_column_widths(grid, cells, s, BLOCK_W).is_some())
        .collect();
    if sizes.is_empty() {
        sizes.push(TABLE_SIZES[TABLE_SIZES.len() - 1]);
    }
    for &size in &sizes {
        let t = f.measure_table(grid, &table_style(grid.id, size), &text)?;
        let need = t.height() + h_height;
        if fits_here.is_none() && need + TABLE_SLACK <= f.remaining() {
            fits_here = Some(size);
        }
        if fits_page.is_none() && need + TABLE_SLACK <= BLOCK_H {
            fits_page = Some(size);
        }
        measured.push((size, t));
        // Sizes go down: the first that fits here is the one.
        if fits_here.is_some() {
            break;
        }
    }
    let size = fits_here.unwrap_or_else(|| {
        fits_page
            .unwrap_or(sizes[0])
            .max(TABLE_SIZES[1])
            .min(sizes[0])
    });
    let t = match measured.into_iter().find(|(s, _)| *s == size) {
        Some((_, t)) => t,
        None => f.measure_table(grid, &table_style(grid.id, size), &text)?,
    };
    f.ensure(h_height + t.lead(grid) + TABLE_SLACK);
    if let Some((h, title)) = heading {
        f.mark = Mark::Block {
            block: head as u32,
            part: 0,
        };
        f.place_marked(h, false, title);
    }
    f.mark = Mark::Block {
        block: at as u32,
        part: 0,
    };
    f.table(grid, t);
    let (page, end) = (f.pages.len(), f.y);
    let tightened = tight == Some(page - 1);
    f.skip(PITCH * 0.25);
    if !tightened {
        f.snap();
    }
    // A new page needs no space above what follows.
    let gap = if f.pages.len() == page {
        f.y - end
    } else {
        0.0
    };
    if let Some(t) = f.tables.last_mut() {
        t.gap_after = gap;
        t.tight_after = tightened;
    }
    Ok(tightened)
}

/// The 落款, placed by the house style's one rule, never alone on its page.
fn signature(
    f: &mut Flow,
    block: usize,
    body: &str,
    date: Option<&str>,
    pitch: f32,
) -> Result<(), Diagnostic> {
    let sig_body = Place::Key(Key::SignatureBody);
    let sig_date = Place::Key(Key::SignatureDate);
    let line = |f: &Flow, text: &str, right_indent: f32, path: Place| {
        f.set(
            &[Span::new(text, Face::Fang, BODY_SIZE)],
            ParaAlign::Right { right_indent },
            pitch,
            true,
            path,
        )
    };
    // The name in lines broken between its units (a long name), each set once to measure,
    // then placed by the house style's one 落款 rule.
    let names = style::signature_lines(body);
    let mut name_ws = vec![];
    for n in &names {
        name_ws.push(line(f, n, 0.0, sig_body)?.width());
    }
    let date_w = match date {
        Some(d) => line(f, d, 0.0, sig_date)?.width(),
        None => 0.0,
    };
    let at = style::signature_block(&name_ws, date_w, CELL, BLOCK_W);
    let mut lines = vec![];
    for n in &names {
        lines.push((0, line(f, n, at.body_right, sig_body)?));
    }
    if let Some(d) = date {
        lines.push((1, line(f, d, at.date_right, sig_date)?));
    }
    let h: f32 = lines.iter().map(|(_, p)| p.height()).sum();
    // GB/T 9704: no page may hold the signature without text above it.
    if f.remaining() < pitch + h {
        f.carry_last_lines(2);
    }
    f.skip(pitch);
    f.ensure(h);
    for (part, p) in &lines {
        f.mark = Mark::Block {
            block: block as u32,
            part: *part,
        };
        f.place(p);
    }
    Ok(())
}
