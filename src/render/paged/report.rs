//! The report → pages: title, preface, the six sections with their tables, the signature and
//! page numbers, in the order and styles of GB/T 9704 and 国办公开办函〔2021〕30号.

use super::fonts::{Face, Fonts};
use super::layout::{
    Flow, Page, ParaAlign, PlacedTable, Span, TableStyle, BLOCK_H, BLOCK_W, BODY_SIZE, CELL, LEFT,
    MM, PITCH, TOP,
};
use crate::diag::{Diagnostic, Key, Place, TextPart};
use crate::model::{Report, Section};
use crate::spec::format::{self, Content, SectionKind, TableGrid, TableId, TextSection};
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
        pad_x: 1.2 * MM,
        pad_y: if table == TableId::T3 {
            0.5 * MM
        } else {
            1.0 * MM
        },
        leading: 1.25,
        border: 0.5,
        // Tables 二 and 四 have few rows and room to breathe; table 三's 28 rows are set as
        // tight as their text allows, so that it fits on one page as in the Word output.
        min_row: if table == TableId::T3 { 0.0 } else { 7.0 * MM },
        table,
    }
}

/// The text of each cell of a grid, by cell index.
fn cell_texts(report: &Report, grid: &TableGrid) -> Vec<String> {
    grid.cells
        .iter()
        .map(|c| match c.content {
            Content::Text(t) => t.to_string(),
            Content::Value(v) => report.cell_text(v),
        })
        .collect()
}

/// Lays the whole report out.
pub fn layout(report: &Report, fonts: &Fonts) -> Result<Vec<Page>, Diagnostic> {
    Ok(laid_out(report, fonts)?.0)
}

/// The pages and the tables as placed on them.
pub fn laid_out(
    report: &Report,
    fonts: &Fonts,
) -> Result<(Vec<Page>, Vec<PlacedTable>), Diagnostic> {
    let mut f = Flow::new(fonts);
    // Each paragraph is set with the source path of its text, so that a character no font has
    // is reported where the clerk wrote it.
    let title_path = if report.title.is_some() {
        Place::Key(Key::Title)
    } else {
        Place::Key(Key::Body)
    };
    for line in report.printed_title_lines() {
        let spans = [Span::new(line, Face::Title, TITLE_SIZE)];
        let p = f.set(&spans, ParaAlign::Center, TITLE_PITCH, false, title_path)?;
        f.place(&p);
    }
    f.snap();
    if let Some(d) = report.published {
        let p = f.set(
            // As in the Word output: the date in 仿宋, centred under the title.
            &[Span::new(d.chinese(), Face::Fang, BODY_SIZE)],
            ParaAlign::Center,
            PITCH,
            true,
            Place::Key(Key::Published),
        )?;
        f.place(&p);
    }
    // One blank line under the title; the body keeps to the 22-line grid.
    f.skip(PITCH);

    for para in report.preface.paragraphs() {
        let p = f.set(
            &[Span::new(para.as_str(), Face::Fang, BODY_SIZE)],
            body_align(),
            PITCH,
            true,
            Place::Key(Key::Preface),
        )?;
        f.paragraph(&p);
    }

    for def in format::SECTIONS.iter() {
        let heading = def.heading();
        let h = f.set(
            &[Span::new(heading.as_str(), Face::Hei, BODY_SIZE)],
            body_align(),
            PITCH,
            true,
            match def.kind {
                SectionKind::Text(section) => Place::Text {
                    section,
                    part: None,
                },
                SectionKind::Table(t) => Place::TableSection(t),
            },
        )?;
        match def.kind {
            SectionKind::Text(which) => {
                let sec = report.text_section(which);
                let paras = section_paragraphs(&f, sec, which)?;
                // Keep the heading with the first two lines of what follows.
                // (A paragraph of up to three lines is never split, see `Flow::paragraph`.)
                let lead = paras.first().map_or(0, |p| {
                    let n = p.line_count();
                    if n < 4 {
                        n
                    } else {
                        2
                    }
                }) as f32
                    * PITCH;
                f.ensure(h.height() + lead);
                f.place_heading(&h);
                for p in &paras {
                    f.paragraph(p);
                }
            }
            SectionKind::Table(t) => {
                let grid = t.grid();
                let texts = cell_texts(report, &grid);
                let text = |i: usize| texts.get(i).cloned().unwrap_or_default();
                // The largest size at which the table (with its heading) fits in the rest of
                // this page; a table that must continue on the next page is set at the largest
                // size that would fit a page, but not below 9 pt (table 三 is the tall one).
                let mut fits_here = None;
                let mut fits_page = None;
                let mut measured = vec![];
                for &size in &TABLE_SIZES {
                    let t = f.measure_table(&grid, &table_style(grid.id, size), &text)?;
                    let need = t.height() + h.height();
                    if fits_here.is_none() && need <= f.remaining() {
                        fits_here = Some(size);
                    }
                    if fits_page.is_none() && need <= BLOCK_H {
                        fits_page = Some(size);
                    }
                    measured.push((size, t));
                    // Sizes go down: the first that fits here is the one.
                    if fits_here.is_some() {
                        break;
                    }
                }
                let size = fits_here
                    .unwrap_or_else(|| fits_page.unwrap_or(TABLE_SIZES[0]).max(TABLE_SIZES[1]));
                let t = match measured.into_iter().find(|(s, _)| *s == size) {
                    Some((_, t)) => t,
                    None => f.measure_table(&grid, &table_style(grid.id, size), &text)?,
                };
                f.ensure(h.height() + t.lead(&grid));
                f.place(&h);
                f.table(&grid, t);
                let (page, end) = (f.pages.len(), f.y);
                f.skip(PITCH * 0.25);
                f.snap();
                // A new page needs no space above what follows.
                let gap = if f.pages.len() == page {
                    f.y - end
                } else {
                    0.0
                };
                if let Some(t) = f.tables.last_mut() {
                    t.gap_after = gap;
                }
            }
        }
    }

    if let Some(sig) = &report.signature {
        let body = sig.body.trim();
        let date = sig.date.map(|d| d.chinese());
        let sig_body = Place::Key(Key::SignatureBody);
        let sig_date = Place::Key(Key::SignatureDate);
        let line = |text: &str, right_indent: f32, path: Place| {
            f.set(
                &[Span::new(text, Face::Fang, BODY_SIZE)],
                ParaAlign::Right { right_indent },
                PITCH,
                true,
                path,
            )
        };
        // Set once to measure, then placed by the house style's one 落款 rule.
        let body_w = line(body, 0.0, sig_body)?.width();
        let date_w = match &date {
            Some(d) => line(d, 0.0, sig_date)?.width(),
            None => 0.0,
        };
        let at = style::signature(body_w, date_w, CELL, BLOCK_W);
        let mut lines = vec![];
        if !body.is_empty() {
            lines.push(line(body, at.body_right, sig_body)?);
        }
        if let Some(d) = &date {
            lines.push(line(d, at.date_right, sig_date)?);
        }
        let h: f32 = lines.iter().map(|p| p.height()).sum();
        // GB/T 9704: no page may hold the signature without text above it.
        if f.remaining() < PITCH + h {
            f.carry_last_lines(2);
        }
        f.skip(PITCH);
        f.ensure(h);
        for p in &lines {
            f.place(p);
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
    Ok((f.pages, f.tables))
}

/// The intro paragraphs and the subsections (run-in heading in 楷体, then the text in 仿宋 on
/// the same line) of a text section.
fn section_paragraphs(
    f: &Flow,
    sec: &Section,
    which: TextSection,
) -> Result<Vec<super::layout::SetPara>, Diagnostic> {
    let mut out = vec![];
    let intro = Place::text(which, TextPart::Intro);
    for para in sec.intro.paragraphs() {
        out.push(f.set(
            &[Span::new(para.as_str(), Face::Fang, BODY_SIZE)],
            body_align(),
            PITCH,
            true,
            intro,
        )?);
    }
    for (j, sub) in sec.subsections.iter().enumerate() {
        let run_in = sub.heading(j);
        let paras = sub.body.paragraphs();
        let path = Place::text(which, TextPart::Subsection(j));
        let mut first = vec![Span::new(run_in.as_str(), Face::Kai, BODY_SIZE)];
        if let Some(p) = paras.first() {
            first.push(Span::new(p.as_str(), Face::Fang, BODY_SIZE));
        }
        out.push(f.set(&first, body_align(), PITCH, true, path)?);
        for para in paras.iter().skip(1) {
            out.push(f.set(
                &[Span::new(para.as_str(), Face::Fang, BODY_SIZE)],
                body_align(),
                PITCH,
                true,
                path,
            )?);
        }
    }
    Ok(out)
}
