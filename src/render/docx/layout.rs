//! The official page layout (GB/T 9704-2012 as offices apply it to annual reports): which
//! paragraphs, runs and tables the document has and how each looks ([`super::model`]). Every
//! number of the layout is a named constant here; [`super::document`] writes the XML.

use super::model::{
    AlignmentType, Block, Body, FieldCharType, LineSpacing, LineSpacingType, Paragraph, Run,
    RunFonts, SpecialIndentType, Table, TableCell, TableRow, VMergeType,
};
use super::styles;
use crate::render::document::{Block as DocBlock, Document};
use crate::render::paged::PlacedTable;
use crate::spec::format::{Align, CellRole, Content, Slot, TableGrid, TableId};
use crate::spec::style::{self, Face};

// --- Page: the house style's (`spec::style`) in twips (1 mm = 56.69 twips) --------------------

/// Millimetres to twips, rounded.
const fn twips(mm: f32) -> i32 {
    (mm * style::PT_PER_MM * 20.0 + 0.5) as i32
}

pub const PAGE_WIDTH: u32 = twips(style::PAGE_W_MM) as u32;
pub const PAGE_HEIGHT: u32 = twips(style::PAGE_H_MM) as u32;
/// 天头 37 mm.
pub const MARGIN_TOP: i32 = twips(style::MARGIN_TOP_MM);
/// 版心 width, 156 mm.
pub const TEXT_WIDTH: usize = twips(style::BLOCK_W_MM) as usize;
/// 26 mm.
pub const MARGIN_RIGHT: i32 = twips(style::MARGIN_RIGHT_MM);
/// 订口 28 mm: what the page leaves after the block and the right margin (1588, so that the
/// text width is exactly 156 mm).
pub const MARGIN_LEFT: i32 = PAGE_WIDTH as i32 - TEXT_WIDTH as i32 - MARGIN_RIGHT;
/// 35 mm: what the page leaves under the 225 mm block.
pub const MARGIN_BOTTOM: i32 = PAGE_HEIGHT as i32 - MARGIN_TOP - twips(style::BLOCK_H_MM);
/// 22 lines in the 225 mm 版心 (12756 twips): 579 twips (28.95 pt), the whole twips Word's grid
/// dialog sets for 22 lines.
pub const LINE_PITCH: i32 = (style::LINE_PITCH_PT * 20.0 + 0.5) as i32;
/// The title's own pitch ([`style::TITLE_PITCH_PT`]), in twips.
pub const TITLE_PITCH: i32 = (style::TITLE_PITCH_PT * 20.0 + 0.5) as i32;
/// Characters per line of GB/T 9704 (每行排28个字，并撑满版心).
pub const CHARS_PER_LINE: usize = style::CHARS_PER_LINE;

/// Tracking of body text in twentieths of a point (`w:spacing` in `w:rPr`). 28 三号 characters
/// need a pitch of 156 mm / 28 = 15.79 pt, a little under their 16 pt: −0.25 pt gives 28 per
/// line in Word, WPS and LibreOffice alike. (A `linesAndChars` grid with a negative charSpace does
/// the same in Word, but LibreOffice puts each character on two grid cells then.)
pub fn body_tracking() -> i32 {
    let pitch_twentieths = TEXT_WIDTH as f64 / CHARS_PER_LINE as f64;
    let natural = SIZE_BODY as f64 * 10.0;
    // Round away from zero so that 28 characters never overflow the line.
    (pitch_twentieths - natural).floor() as i32
}
/// Footer distance from the page edge: puts the page number's dashes about 7 mm below the 版心
/// (GB/T 9704 §7.5: 一字线上距版心下边缘7mm).
pub const FOOTER_DISTANCE: i32 = 1417;
pub const HEADER_DISTANCE: i32 = 851;

// --- Fonts: the official names, which offices have installed ------------------------------------

pub const FANGSONG: &str = Face::Fang.official_name();
pub const HEITI: &str = Face::Hei.official_name();
pub const KAITI: &str = Face::Kai.official_name();
pub const SONGTI: &str = Face::Song.official_name();
pub const TITLE_FACE: &str = Face::Title.official_name();
/// Digits and Latin letters.
pub const LATIN: &str = Face::Latin.official_name();

// --- Sizes: the house style's in half-points ------------------------------------------------------

const fn half_points(pt: f32) -> usize {
    (pt * 2.0 + 0.5) as usize
}

/// 二号.
pub const SIZE_TITLE: usize = half_points(style::TITLE_PT);
/// 三号.
pub const SIZE_BODY: usize = half_points(style::BODY_PT);
/// 四号.
pub const SIZE_PAGE_NUMBER: usize = half_points(style::FOLIO_PT);
/// 五号, 小五, 六号: table text steps down until the digits fit.
pub const TABLE_SIZES: [usize; 3] = [
    half_points(style::TABLE_PT[0]),
    half_points(style::TABLE_PT[1]),
    half_points(style::TABLE_PT[2]),
];

/// 首行缩进二字 at 三号: 2 × 16 pt.
pub const BODY_INDENT: i32 = (style::INDENT_CHARS * style::BODY_PT * 20.0) as i32;
/// One 四号 character: 单页码居右空一字，双页码居左空一字.
pub const PAGE_NUMBER_INDENT: i32 = (style::FOLIO_INSET_CHARS * style::FOLIO_PT * 20.0) as i32;
/// Left and right cell padding: the house style's, as the pages have it.
pub const CELL_MARGIN: usize = twips(style::CELL_PAD_X_MM) as usize;
/// Single line spacing for table cells (240ths of a line).
const SINGLE: i32 = 240;
/// Thin single borders: ½ pt (eighths of a point).
const BORDER_SIZE: usize = 4;

/// Lays the document out, block by block (title, date, preface, the six sections with the
/// tables of [`crate::spec::format`], 落款); A4 with the GB/T 9704 margins, a 22-line grid and page numbers.
///
/// `placed`: the tables as the paged layout (PDF, OFD) sets them, when the fonts are at hand:
/// Word then uses the same text size, row heights and space after each table, so that its
/// pages break where the PDF's do.
pub fn build(doc: &Document, placed: Option<&[PlacedTable]>) -> Body {
    let mut blocks: Vec<Block> = vec![];
    let mut tables_placed = placed.unwrap_or_default().iter();
    // Space above the paragraph after a table (twips), as the pages have it.
    let mut gap_after_table = None;
    // The tighter pitch of the body after a table, when the pages set it so.
    let mut tight: Option<i32> = None;
    for block in &doc.blocks {
        match block {
            DocBlock::Title { lines, date, .. } => {
                for line in lines {
                    blocks.push(Block::P(Box::new(title_line(line))));
                }
                // What follows the title starts on the body's grid again (the house style's
                // title block).
                let gap =
                    (style::title_gap(lines.len(), LINE_PITCH as f32 / 20.0) * 20.0).round() as i32;
                if let Some(d) = date {
                    let date = centered(d, FANGSONG, SIZE_BODY)
                        .keep_next(true)
                        .style(styles::TITLE_DATE)
                        .line_spacing(exact_lines().before(gap.max(0) as u32));
                    blocks.push(Block::P(Box::new(date)));
                    // 标题下空一行.
                    blocks.push(Block::P(Box::new(empty_line())));
                } else {
                    blocks.push(Block::P(Box::new(
                        empty_line().line_spacing(exact_lines().before(gap.max(0) as u32)),
                    )));
                }
            }
            DocBlock::Paragraph { text, .. } => {
                blocks.push(Block::P(Box::new(at_pitch(body(text), tight))))
            }
            DocBlock::RunIn { head, text, .. } => blocks.push(Block::P(Box::new(at_pitch(
                run_in(head, text.as_deref()),
                tight,
            )))),
            DocBlock::Heading { text, .. } => {
                let mut h = at_pitch(heading(text), tight);
                if let Some(gap) = gap_after_table.take() {
                    h = h.line_spacing(exact_lines_at(tight.unwrap_or(LINE_PITCH)).before(gap));
                }
                blocks.push(Block::P(Box::new(h)));
            }
            DocBlock::Table { grid, cells } => {
                let placed = tables_placed.next();
                // After this table the pages set the body tighter (GB/T 9704 §7.3.5.1), so
                // that the last page is not a stub: so does Word.
                if placed.is_some_and(|p| p.tight_after) {
                    tight = Some(TIGHT_PITCH);
                }
                // Word and LibreOffice set a table's last rule below its last row (half a point
                // lower than the pages draw it): the space after it is that much less.
                gap_after_table = placed.map(|p| {
                    let rule = if p.gap_after > 0.0 {
                        BORDER_SIZE as f32 / 8.0
                    } else {
                        0.0
                    };
                    ((p.gap_after - rule) * 20.0).round().max(0.0) as u32
                });
                blocks.push(Block::T(Box::new(table(grid, cells, placed))));
            }
            DocBlock::Signature { body, date } => {
                // The 落款 never stands alone on the last page: the last paragraph comes with
                // it.
                if let Some(Block::P(last)) = blocks.last_mut() {
                    **last = last.as_ref().clone().keep_next(true);
                }
                blocks.extend(
                    signature(body, date.as_deref())
                        .into_iter()
                        .map(|p| Block::P(Box::new(at_pitch(p, tight)))),
                );
            }
        }
    }
    Body {
        blocks,
        footer_odd: page_number_footer(true),
        footer_even: page_number_footer(false),
    }
}

// --- Paragraph kinds ---------------------------------------------------------------------------

/// The fonts of text in `east_asia` ([`RunFonts::of`]).
pub fn fonts(east_asia: &'static str) -> RunFonts {
    RunFonts::of(east_asia)
}

fn run(text: &str, face: &'static str, size: usize) -> Run {
    let r = Run::new()
        .add_text(xml_text(text))
        .fonts(fonts(face))
        .size(size);
    if size == SIZE_BODY {
        r.character_spacing(body_tracking())
    } else {
        r
    }
}

/// Text as XML 1.0 allows it: control characters (a stray one from a pasted source would make
/// Word refuse the file) are dropped, tabs become spaces.
pub fn xml_text(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => None,
            c => Some(c),
        })
        .collect()
}

fn exact_lines() -> LineSpacing {
    exact_lines_at(LINE_PITCH)
}

fn exact_lines_at(pitch: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(pitch)
        .before(0)
        .after(0)
}

/// The tighter pitch of GB/T 9704 §7.3.5.1 ([`style::TIGHT_PITCH_PT`]), in twips.
const TIGHT_PITCH: i32 = (style::TIGHT_PITCH_PT * 20.0 + 0.5) as i32;

/// A grid paragraph set at `pitch` (twips) instead of the grid's, when given.
fn at_pitch(p: Paragraph, pitch: Option<i32>) -> Paragraph {
    match pitch {
        // Off the document grid, which would put each line back on the grid's pitch.
        Some(t) => p.line_spacing(exact_lines_at(t)).snap_to_grid(false),
        None => p,
    }
}

/// A paragraph on the 22-line grid, its mark formatted like its text (so typing in it, or after
/// it, continues in the same face). Widow and orphan control is on, the house style's rule that
/// the pages follow too (`Flow::paragraph`): a page never ends with a paragraph's first line
/// alone nor begins with its last line alone.
fn grid_paragraph(face: &'static str, size: usize) -> Paragraph {
    Paragraph::new()
        .line_spacing(exact_lines())
        .widow_control(true)
        .fonts(fonts(face))
        .size(size)
}

/// Body text: 三号仿宋, justified, first line indented two characters.
fn body_paragraph() -> Paragraph {
    grid_paragraph(FANGSONG, SIZE_BODY)
        .style(styles::BODY)
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(BODY_INDENT)),
            None,
            None,
        )
}

fn body(text: &str) -> Paragraph {
    body_paragraph().add_run(run(text, FANGSONG, SIZE_BODY))
}

/// `一、总体情况`: 三号黑体, indented like the body, not bold, kept with what follows.
fn heading(text: &str) -> Paragraph {
    grid_paragraph(HEITI, SIZE_BODY)
        .style(styles::HEADING1)
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(BODY_INDENT)),
            None,
            None,
        )
        .keep_next(true)
        .add_run(run(text, HEITI, SIZE_BODY))
}

/// `（一）主动公开。` in 三号楷体 with the first paragraph of its text on the same line: a body
/// paragraph (a heading style would put the text in the navigation pane), or 二级标题 when the
/// subsection has no text (see [`styles`]).
fn run_in(head: &str, text: Option<&str>) -> Paragraph {
    let p = body_paragraph().add_run(run(head, KAITI, SIZE_BODY));
    match text {
        Some(t) => p.add_run(run(t, FANGSONG, SIZE_BODY)),
        None => p.style(styles::HEADING2),
    }
}

fn title_line(text: &str) -> Paragraph {
    centered(text, TITLE_FACE, SIZE_TITLE)
        .keep_next(true)
        .style(styles::TITLE)
        // Off the grid, or the grid's row (28.95 pt) would override the title's own pitch.
        .snap_to_grid(false)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(TITLE_PITCH)
                .before(0)
                .after(0),
        )
}

fn centered(text: &str, face: &'static str, size: usize) -> Paragraph {
    grid_paragraph(face, size)
        .align(AlignmentType::Center)
        .indent(
            Some(0),
            Some(SpecialIndentType::FirstLine(0)),
            Some(0),
            None,
        )
        .add_run(run(text, face, size))
}

fn empty_line() -> Paragraph {
    grid_paragraph(FANGSONG, SIZE_BODY).style(styles::BODY)
}

/// Width of `text` in twips at `size` half-points: Chinese characters one em, ASCII half an em
/// (exact for Times New Roman digits), plus the gap Word and LibreOffice put between Chinese and
/// Latin text (自动调整中文与西文、数字的间距, about a fifth of an em) at each change of script.
pub fn text_width(text: &str, size: usize) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let glyphs: usize = chars
        .iter()
        .map(|c| if c.is_ascii() { size * 5 } else { size * 10 })
        .sum();
    let changes = chars
        .windows(2)
        .filter(|w| w[0].is_ascii() != w[1].is_ascii())
        .count();
    glyphs + changes * size * 2
}

/// 落款 by the house style's one rule ([`style::signature`], GB/T 9704 §7.3.5.2), with the
/// widths the body text is set at (tracked to the 28-character grid).
fn signature(body_name: &str, date: Option<&str>) -> Vec<Paragraph> {
    // The blank line, the body and the date stay on one page.
    let mut out = vec![empty_line().keep_next(date.is_some() || !body_name.is_empty())];
    let (name_right, date_right) = signature_indents(body_name, date.unwrap_or(""));
    // A long name in lines broken between its units, as the pages break it.
    let names = style::signature_lines(body_name);
    let n = names.len();
    for (k, name) in names.iter().enumerate() {
        out.push(right_aligned(name, name_right).keep_next(k + 1 < n || date.is_some()));
    }
    if let Some(date) = date {
        out.push(right_aligned(date, date_right));
    }
    out
}

/// Right indents (twips) of the body's lines and the date line.
pub fn signature_indents(body_name: &str, date: &str) -> (i32, i32) {
    // Body text carries the grid tracking on every character.
    let set_width = |t: &str| {
        text_width(t, SIZE_BODY) as f32 + t.chars().count() as f32 * body_tracking() as f32
    };
    let char_w = (SIZE_BODY as i32 * 10 + body_tracking()) as f32;
    let names: Vec<f32> = style::signature_lines(body_name)
        .iter()
        .map(|l| set_width(l))
        .collect();
    let at = style::signature_block(&names, set_width(date), char_w, TEXT_WIDTH as f32);
    (at.body_right.round() as i32, at.date_right.round() as i32)
}

fn right_aligned(text: &str, right: i32) -> Paragraph {
    grid_paragraph(FANGSONG, SIZE_BODY)
        .style(styles::SIGNATURE)
        .align(AlignmentType::Right)
        .indent(
            Some(0),
            Some(SpecialIndentType::FirstLine(0)),
            Some(right),
            None,
        )
        .add_run(run(text, FANGSONG, SIZE_BODY))
}

/// `— 1 —` in 四号宋体: odd pages on the right, even pages on the left, one character in.
fn page_number_footer(odd: bool) -> Paragraph {
    let f = || fonts(SONGTI).ascii(SONGTI).hi_ansi(SONGTI);
    let r = |run: Run| run.fonts(f()).size(SIZE_PAGE_NUMBER);
    let p = Paragraph::new()
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(SINGLE)
                .before(0)
                .after(0),
        )
        .snap_to_grid(false)
        .fonts(f())
        .size(SIZE_PAGE_NUMBER);
    let p = if odd {
        p.align(AlignmentType::Right).indent(
            Some(0),
            Some(SpecialIndentType::FirstLine(0)),
            Some(PAGE_NUMBER_INDENT),
            None,
        )
    } else {
        p.align(AlignmentType::Left).indent(
            Some(PAGE_NUMBER_INDENT),
            Some(SpecialIndentType::FirstLine(0)),
            Some(0),
            None,
        )
    };
    p.add_run(r(Run::new().add_text("\u{2014} ")))
        .add_run(r(Run::new().add_field_char(FieldCharType::Begin)))
        .add_run(r(Run::new().add_instr_text("PAGE")))
        .add_run(r(Run::new().add_field_char(FieldCharType::Separate)))
        .add_run(r(Run::new().add_text("1")))
        .add_run(r(Run::new().add_field_char(FieldCharType::End)))
        .add_run(r(Run::new().add_text(" \u{2014}")))
}

// --- Tables ----------------------------------------------------------------------------------

/// Integer column widths proportional to `weights`, summing exactly to `total` (largest
/// remainder, ties to the left).
pub fn column_widths(weights: &[f32], total: usize) -> Vec<usize> {
    let sum: f64 = weights.iter().map(|w| f64::from(*w)).sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![total / weights.len().max(1); weights.len()];
    }
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| f64::from(*w) / sum * total as f64)
        .collect();
    let mut out: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut rest = total.saturating_sub(out.iter().sum());
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for i in order.into_iter().cycle() {
        if rest == 0 {
            break;
        }
        out[i] += 1;
        rest -= 1;
    }
    out
}

/// Fewest digits every number column must hold without breaking. The bar for table 三 is
/// "12345" in each of its 7 data columns; the other tables hold 4 (and more when the data has
/// them).
pub fn min_digits(grid: &TableGrid) -> usize {
    if grid.id == TableId::T3 {
        5
    } else {
        4
    }
}

/// The largest of [`TABLE_SIZES`] at which the house style's columns
/// ([`style::table_column_widths`]) hold every number of the table (and [`min_digits`]
/// digits) and every word of its labels on one line; the smallest size if none does. (With the
/// fonts at hand Word takes the size the pages chose.)
pub fn table_font_size(grid: &TableGrid, cells: &[String], _widths: &[usize]) -> usize {
    let digits = "0".repeat(min_digits(grid));
    let texts: Vec<String> = grid
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let t = cells.get(i).cloned().unwrap_or_default();
            match c.content {
                Content::Value(_) if t.chars().count() < digits.len() => digits.clone(),
                _ => t,
            }
        })
        .collect();
    TABLE_SIZES
        .iter()
        .copied()
        .find(|&s| {
            style::table_column_widths(grid, &texts, s as f32 / 2.0, TEXT_WIDTH as f32 / 20.0)
                .is_some()
        })
        .unwrap_or(TABLE_SIZES[TABLE_SIZES.len() - 1])
}

/// The column widths in twips of a table set at `size` half-points: the house style's for its
/// numbers and words ([`style::table_column_widths`], as the pages have them), else its
/// proportions.
pub fn table_widths(grid: &TableGrid, texts: &[String], size: usize) -> Vec<usize> {
    match style::table_column_widths(grid, texts, size as f32 / 2.0, TEXT_WIDTH as f32 / 20.0) {
        Some(w) => column_widths(&w, TEXT_WIDTH),
        None => column_widths(style::column_weights(grid.id), TEXT_WIDTH),
    }
}

/// A cell paragraph: single spacing off the grid, no indent.
/// A numbered label too wide for its cell breaks after its number when the rest then fits on
/// one line (`（三）` / `不予公开`): a line break that Word keeps, as the PDF breaks it.
fn wrap_after_number(text: &str, room: usize, size: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let k = style::numbering_prefix(&chars);
    let rest: String = chars[k..].iter().collect();
    // An item number (`2.`) never stands alone on a line.
    let item_number = chars.first().is_some_and(|c| c.is_ascii_digit());
    if k > 0 && !item_number && text_width(text, size) > room && text_width(&rest, size) <= room {
        let head: String = chars[..k].iter().collect();
        format!("{head}\n{rest}")
    } else {
        text.to_string()
    }
}

fn cell_paragraph(text: &str, face: &'static str, size: usize, align: Align) -> Paragraph {
    let p = Paragraph::new()
        .style(styles::TABLE_TEXT)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(SINGLE)
                .before(0)
                .after(0),
        )
        .snap_to_grid(false)
        .indent(
            Some(0),
            Some(SpecialIndentType::FirstLine(0)),
            Some(0),
            None,
        )
        .align(match align {
            Align::Left => AlignmentType::Left,
            Align::Center => AlignmentType::Center,
        })
        .fonts(fonts(face))
        .size(size);
    // A `\n` in a label is a line break within the cell.
    let mut p = p;
    for (i, part) in text.split('\n').enumerate() {
        if i > 0 {
            p = p.add_run(Run::new().add_break().fonts(fonts(face)).size(size));
        }
        if !part.is_empty() {
            p = p.add_run(run(part, face, size));
        }
    }
    p
}

fn table(grid: &TableGrid, texts: &[String], placed: Option<&PlacedTable>) -> Table {
    let size = match placed {
        Some(p) => half_points(p.size),
        None => table_font_size(grid, texts, &[]),
    };
    let widths = table_widths(grid, texts, size);
    // At least 1.6 lines of table text per row, so the numbers do not touch the rules; or the
    // height the pages give the row.
    let min_height = |r: usize| match placed.and_then(|p| p.row_heights.get(r)) {
        // Rounded down: a row a fraction of a twip taller than the pages' could push what
        // follows a full page to the next.
        Some(h) => (h * 20.0).floor(),
        None => (size * 10 * 16 / 10) as f32,
    };
    let slots = grid.slots();
    // Rows kept with the next by the format's one rule (Word and LibreOffice apply `keepNext`
    // on a row's paragraphs to the row), as the pages keep them.
    let keep = style::rows_kept_with_next(grid);
    let mut rows = vec![];
    for (r, row_slots) in slots.iter().enumerate() {
        let mut cells = vec![];
        for slot in row_slots {
            let (cell, anchor, index) = match *slot {
                Slot::Anchor(i) => (&grid.cells[i], true, i),
                // The first column of a vertical span continues the merge; other covered
                // positions belong to a gridSpan.
                Slot::Covered {
                    cell: i,
                    first_col: true,
                } if grid.cells[i].row != r => (&grid.cells[i], false, i),
                Slot::Covered { .. } | Slot::Empty => continue,
            };
            let width: usize = widths[cell.col..cell.col + cell.colspan].iter().sum();
            // The size the pages set this cell at (a wide number smaller), else the table's.
            let size = placed
                .and_then(|p| p.cell_sizes.get(index))
                .map_or(size, |&s| half_points(s));
            let (text, face) = match (anchor, cell.content) {
                (false, _) => (String::new(), SONGTI),
                (true, Content::Text(t)) => (
                    // The pages' own line breaks (words kept whole), else our estimate.
                    match placed.and_then(|p| p.cell_lines.get(index)) {
                        Some(lines) if lines.len() > 1 => lines
                            .iter()
                            .map(|l| l.trim_end())
                            .collect::<Vec<_>>()
                            .join("\n"),
                        _ => wrap_after_number(t, width.saturating_sub(2 * CELL_MARGIN), size),
                    },
                    if cell.role == CellRole::Note {
                        KAITI
                    } else {
                        SONGTI
                    },
                ),
                (true, Content::Value(_)) => {
                    (texts.get(index).cloned().unwrap_or_default(), SONGTI)
                }
            };
            let mut tc = TableCell::new(width)
                .vertical_center()
                // Borders come from the table (`w:tblBorders`, inside lines too): none per cell.
                .add_paragraph(cell_paragraph(&text, face, size, cell.align).keep_next(keep[r]));
            if cell.colspan > 1 {
                tc = tc.grid_span(cell.colspan);
            }
            if cell.rowspan > 1 {
                tc = tc.vertical_merge(if anchor {
                    VMergeType::Restart
                } else {
                    VMergeType::Continue
                });
            }
            cells.push(tc);
        }
        rows.push(
            TableRow::new(cells)
                .cant_split()
                .header(r < grid.header_rows)
                .min_height(min_height(r) as u32),
        );
    }
    Table {
        grid: widths,
        width: TEXT_WIDTH,
        border: BORDER_SIZE,
        cell_margin: CELL_MARGIN,
        rows,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn body_tracking_sets_28_characters_per_line() {
        let pitch = (SIZE_BODY as i32 * 10 + body_tracking()) as usize;
        assert_eq!(body_tracking(), -5);
        assert!(CHARS_PER_LINE * pitch <= TEXT_WIDTH, "28 fit");
        assert!((CHARS_PER_LINE + 1) * pitch > TEXT_WIDTH, "29 do not");
    }

    use super::*;
    use crate::spec::format;

    #[test]
    fn widths_sum_to_the_text_width() {
        let r = crate::model::Report::default();
        for g in format::tables() {
            let w = table_widths(&g, &texts(&r, &g), 18);
            assert_eq!(w.iter().sum::<usize>(), TEXT_WIDTH, "{}", g.name());
            assert_eq!(w.len(), g.columns());
        }
        assert_eq!(column_widths(&[1.0, 1.0, 1.0], 10), [4, 3, 3]);
        let t3 = column_widths(&style::T3_COLUMN_WEIGHTS, TEXT_WIDTH);
        // Six count columns equal within one twip, 自然人's wider.
        assert!(t3[4..].iter().all(|&w| (609..=611).contains(&w)), "{t3:?}");
        assert!(t3[3] > t3[4], "{t3:?}");
    }

    #[test]
    fn one_size_per_table_and_columns_that_hold_its_numbers() {
        let mut r = crate::model::Report::default();
        let g3 = format::table3_grid();
        let g4 = format::table4_grid();
        assert_eq!(table_font_size(&g3, &texts(&r, &g3), &[]), 21);
        assert_eq!(table_font_size(&g4, &texts(&r, &g4), &[]), 21);
        // A five-digit total in table 四: still 五号, its column wider than the others.
        r.table4.cells[0][4].value = 12345;
        assert_eq!(table_font_size(&g4, &texts(&r, &g4), &[]), 21);
        let w = table_widths(&g4, &texts(&r, &g4), 21);
        // 5 digits at 10.5 pt = 26.25 pt = 525 twips, and 2 × 68 twips of padding.
        assert!(w[4] >= 525 + 136, "{w:?}");
        assert!(w[4] > w[0], "{w:?}");
        // Six digits in every cell of table 四 fit no column at 五号 or 小五.
        for g in 0..3 {
            for c in 0..5 {
                r.table4.cells[g][c].value = 123_456;
            }
        }
        assert!(table_font_size(&g4, &texts(&r, &g4), &[]) < 18);
        // Seven digits in table 三: the column is widened from the label column.
        r.table3.cells[0][6].value = 1_234_567;
        let size = table_font_size(&g3, &texts(&r, &g3), &[]);
        let w = table_widths(&g3, &texts(&r, &g3), size);
        assert!(w[9] as f32 >= 7.0 * size as f32 * 5.0 + 136.0, "{w:?}");
        let g2 = format::table2_grid();
        assert_eq!(table_font_size(&g2, &texts(&r, &g2), &[]), 21);
    }

    /// The texts of a table's cells as the document holds them.
    fn texts(r: &crate::model::Report, g: &TableGrid) -> Vec<String> {
        Document::of(r)
            .blocks
            .into_iter()
            .find_map(|b| match b {
                DocBlock::Table { grid, cells } if grid.id == g.id => Some(cells),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn control_characters_never_reach_the_xml() {
        assert_eq!(xml_text("a\u{7}b\tc\u{ffff}d\n"), "ab cd");
        assert_eq!(xml_text("《条例》<&>"), "《条例》<&>");
    }

    #[test]
    fn tables_break_only_where_expected() {
        let t2 = format::table2_grid();
        let k = style::rows_kept_with_next(&t2);
        // Rows 0..3 are block （一）: title, header, 规章, 行政规范性文件; row 4 starts （五）.
        assert_eq!(&k[..5], [true, true, true, false, true]);
        assert_eq!(
            k.iter().filter(|x| !**x).count(),
            4,
            "one break point after each block"
        );
        assert!(style::rows_kept_with_next(&format::table4_grid())[..3]
            .iter()
            .all(|x| *x));
        let t3 = format::table3_grid();
        let k = style::rows_kept_with_next(&t3);
        assert!(
            k[..4].iter().all(|x| *x),
            "header and first data row together"
        );
        let refuse = t3
            .cells
            .iter()
            .find(|c| c.content == Content::Text("（三）不予公开"))
            .unwrap();
        assert!(k[refuse.row..refuse.row + 7].iter().all(|x| *x));
        assert!(!k[refuse.row + 7], "may break after the group");
        assert!(!k[t3.rows - 1]);
    }

    #[test]
    fn signature_widths_follow_word() {
        let date_w = text_width("2022年1月27日", SIZE_BODY) as i32;
        assert_eq!(
            date_w,
            7 * 160 + 3 * 320 + 5 * 64,
            "digits, hanzi, 5 changes of script"
        );
        // Body (10 characters) longer than the date: body two grid characters from the margin.
        let two = 2 * (SIZE_BODY as i32 * 10 + body_tracking());
        let (n, _) = signature_indents("廊坊市人民政府办公室", "2022年1月27日");
        assert_eq!(n, two);
        // Short body: the date keeps two characters.
        let (_, d) = signature_indents("市商务局", "2022年1月27日");
        assert_eq!(d, two);
        // A body name longer than a line: the date still fits on one line.
        let long = "某某省某某市某某区人民政府办公室政务公开与政府信息公开工作领导小组办公室";
        let date = "2022年1月27日";
        let (_, d) = signature_indents(long, date);
        let date_w = text_width(date, SIZE_BODY) as i32 + 11 * body_tracking();
        assert!(d + date_w <= TEXT_WIDTH as i32, "date indent {d}");
        assert_eq!(signature("市商务局", Some("2022年1月27日")).len(), 3);
        assert_eq!(signature("市商务局", None).len(), 2);
        // A name longer than a line: two lines, each its own right-aligned paragraph.
        assert_eq!(signature(long, Some(date)).len(), 4);
    }
}
