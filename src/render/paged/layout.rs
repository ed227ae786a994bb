//! A small layout engine for GB/T 9704 pages: a text block of 22 lines × 28 characters,
//! paragraphs on a fixed grid, titles, headings kept with what follows, tables with spans that
//! continue across pages, page numbers. It knows nothing about reports (see `report.rs`).

use super::fonts::{codepoint, Face, Fonts};
use super::text::{break_lines_trailing, break_lines_with, BreakOpts, Line};
use crate::diag::{self, Diagnostic, Place};
use crate::spec::format::{Align, TableGrid, TableId};
use crate::spec::style;

// The house style's page (`spec::style`) in points, the unit of this layout.

/// Points per millimetre.
pub const MM: f32 = style::PT_PER_MM;
pub const PAGE_W: f32 = style::PAGE_W_MM * MM;
pub const PAGE_H: f32 = style::PAGE_H_MM * MM;
/// The text block (版心), from the page's left and top edges.
pub const LEFT: f32 = style::MARGIN_LEFT_MM * MM;
pub const TOP: f32 = style::MARGIN_TOP_MM * MM;
pub const BLOCK_W: f32 = style::BLOCK_W_MM * MM;
pub const BLOCK_H: f32 = style::BLOCK_H_MM * MM;
/// 22 lines per page and 28 characters per line, filling the block.
pub const LINES: usize = style::LINES_PER_PAGE;
pub const CHARS: usize = style::CHARS_PER_LINE;
pub const PITCH: f32 = style::LINE_PITCH_PT;
pub const CELL: f32 = style::CHAR_PITCH_PT;
pub const BODY_SIZE: f32 = style::BODY_PT;
/// Where the baseline sits in an em box: CJK glyphs occupy the em from 0.88 above to 0.12
/// below it.
const ASCENT: f32 = 0.88;
const EPS: f32 = 0.01;
/// Room a table row must leave at the foot of a page: Word rounds row heights and rules to
/// twips and eighths of a point, so a table that fits the pages' block to a fraction of a
/// point may not fit Word's, and would move what follows to another page there.
pub const TABLE_SLACK: f32 = 1.5;

/// A piece of text drawn in one font at one spacing: `x` and `y` (baseline) from the page's top
/// left corner, in points.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub x: f32,
    pub y: f32,
    pub face: Face,
    pub size: f32,
    /// Extra space after each glyph (PDF `Tc`).
    pub tc: f32,
    pub text: String,
    /// What in the document the text is (the PDF's structure tree is built from these).
    pub mark: Mark,
}

/// Where a run's text belongs in the document: a part of one of its blocks, a cell of one of
/// its tables, or nothing of its content (page numbers, a table header repeated on a new page),
/// which a reader of the text skips.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    #[default]
    Artifact,
    /// Part `part` of block `block` (the index in [`crate::render::document::Document::blocks`]):
    /// the title's lines are part 0 and its date part 1, the 落款's name 0 and its date 1.
    Block { block: u32, part: u8 },
    /// Cell `cell` (of [`TableGrid::cells`]) of the table that is block `block`.
    Cell { block: u32, cell: u32 },
}

/// A straight line (table borders), from the page's top left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub width: f32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub runs: Vec<Run>,
    pub rules: Vec<Rule>,
}

/// Text of one style within a paragraph.
#[derive(Debug, Clone)]
pub struct Span {
    pub text: String,
    pub face: Face,
    pub size: f32,
}

impl Span {
    pub fn new(text: impl Into<String>, face: Face, size: f32) -> Span {
        Span {
            text: text.into(),
            face,
            size,
        }
    }
}

/// A character with the font that draws it and its natural advance.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    ch: char,
    face: Face,
    size: f32,
    adv: f32,
}

/// Resolves every character to a font; a character no font has is an error at `place`, the
/// place of the text in the report (a table value, a text section, a key), which the caller can
/// locate in the input. Text that is not the report's (page numbers) has no place.
fn shape(fonts: &Fonts, spans: &[Span], place: Option<Place>) -> Result<Vec<Glyph>, Diagnostic> {
    let mut out = vec![];
    for s in spans {
        for ch in s.text.chars() {
            // Control characters and tabs carry nothing printable; a tab is a space in print. A
            // LINE or PARAGRAPH SEPARATOR in a one-line text (机关, a title, a note) is a line
            // break there, and goes as a line break does.
            let ch = if ch == '\t' { ' ' } else { ch };
            if ch.is_control() || matches!(ch, '\u{2028}' | '\u{2029}') {
                continue;
            }
            let r = fonts.resolve(s.face, ch, s.size).ok_or_else(|| {
                let files: Vec<&str> = fonts
                    .files()
                    .iter()
                    .map(|(_, p)| p.file_name().and_then(|n| n.to_str()).unwrap_or("?"))
                    .collect();
                let d = Diagnostic::error(
                    diag::Rule::Render,
                    format!(
                        "字符“{ch}”（{}）不在任何可用字体中，无法排版",
                        codepoint(ch)
                    ),
                );
                Diagnostic { place, ..d }.with_hint(format!(
                    "请改用常用字，或用 --font-dir 提供含此字的字体（已查字体：{}）",
                    files.join("、")
                ))
            })?;
            out.push(Glyph {
                ch,
                face: r.face,
                size: s.size,
                adv: r.advance,
            });
        }
    }
    Ok(out)
}

/// The house style's space between Chinese characters and Latin letters or digits (中西文间距):
/// a quarter of the size, what Word and LibreOffice put there by default — so that a line of
/// the PDF holds what the same line holds in the Word file. Not next to punctuation.
fn space_latin_in_chinese(gs: &mut [Glyph], size: f32) -> Vec<f32> {
    let mut gaps = vec![0.0; gs.len()];
    let hanzi = |c: char| matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3ffff}');
    let latin = |c: char| c.is_ascii_alphanumeric();
    for i in 0..gs.len().saturating_sub(1) {
        let (a, b) = (gs[i].ch, gs[i + 1].ch);
        if (hanzi(a) && latin(b)) || (latin(a) && hanzi(b)) {
            gaps[i] = size * style::LATIN_GAP_EM;
            gs[i].adv += gaps[i];
        }
    }
    gaps
}

/// Places glyphs `gs` starting at `x` with `tc` after each; consecutive glyphs of one font form
/// one run.
fn emit(page: &mut Page, gs: &[Glyph], x: f32, y: f32, tc: f32, mark: Mark) {
    let mut x = x;
    let mut cur: Option<Run> = None;
    for g in gs {
        match &mut cur {
            Some(r) if r.face == g.face && r.size == g.size => r.text.push(g.ch),
            _ => {
                if let Some(r) = cur.take() {
                    page.runs.push(r);
                }
                cur = Some(Run {
                    x,
                    y,
                    face: g.face,
                    size: g.size,
                    tc,
                    text: g.ch.to_string(),
                    mark,
                });
            }
        }
        x += g.adv + tc;
    }
    if let Some(r) = cur {
        // Trailing spaces draw nothing.
        if !r.text.trim().is_empty() {
            page.runs.push(r);
        }
    }
}

fn width(gs: &[Glyph], tc: f32) -> f32 {
    gs.iter().map(|g| g.adv + tc).sum()
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParaAlign {
    /// Full justification except the last line; first line indented by `indent`.
    Justify {
        indent: f32,
    },
    Center,
    Right {
        right_indent: f32,
    },
}

/// Lays paragraphs, headings and tables onto pages, top to bottom.
pub struct Flow<'f> {
    fonts: &'f Fonts,
    pub pages: Vec<Page>,
    /// Cursor below the top of the text block, in points.
    pub y: f32,
    /// Page and top of each text line placed since the last table (to carry lines over),
    /// whether it must stay with the line after it (a heading), and which paragraph it is of.
    placed: Vec<(usize, f32, bool, usize)>,
    /// Paragraphs placed so far (numbers the lines of `placed`).
    paras: usize,
    /// The tables as placed, in order: what a flowing format (Word) needs to set its tables
    /// like these pages.
    pub tables: Vec<PlacedTable>,
    /// The headings placed with [`Flow::place_marked`], where they landed (moved with them
    /// when lines are carried to the next page).
    pub outline: Vec<OutlineItem>,
    /// What the text placed now is in the document (set by the caller before each block;
    /// a table marks its cells within the block).
    pub mark: Mark,
}

/// Where a heading stands on the pages: what the PDF's bookmarks and the OFD outline point at.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineItem {
    pub title: String,
    /// Index of the page.
    pub page: usize,
    /// Baseline of the heading's first line and its text size: the top of the line is
    /// [`OutlineItem::top`].
    y: f32,
    size: f32,
}

impl OutlineItem {
    /// The top of the heading's first line, in points from the top of the page.
    pub fn top(&self) -> f32 {
        self.y - self.size
    }
}

/// A table as the pages set it: its text size, the height of each grid row, and the space
/// between its bottom and what follows (back onto the line grid).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedTable {
    pub size: f32,
    /// The size of each cell's text (of [`TableGrid::cells`]): a number too wide for its
    /// column is set smaller.
    pub cell_sizes: Vec<f32>,
    /// The lines each cell's text is broken into (words kept whole): Word breaks its labels at
    /// the same places.
    pub cell_lines: Vec<Vec<String>>,
    pub row_heights: Vec<f32>,
    pub gap_after: f32,
    /// Whether the body after this table is set at the tighter pitch
    /// ([`style::TIGHT_PITCH_PT`], GB/T 9704 §7.3.5.1) so that the last page is not a stub.
    pub tight_after: bool,
}

/// A paragraph broken into lines, ready to place.
pub struct SetPara {
    lines: Vec<(Vec<Glyph>, f32, f32)>,
    pitch: f32,
    size: f32,
}

impl SetPara {
    pub fn height(&self) -> f32 {
        self.lines.len() as f32 * self.pitch
    }
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }
    /// Width of the widest line as set (for lines placed relative to each other).
    pub fn width(&self) -> f32 {
        self.lines
            .iter()
            .map(|(l, _, tc)| width(trim_end(l), *tc) - tc)
            .fold(0.0, f32::max)
    }
}

impl<'f> Flow<'f> {
    pub fn new(fonts: &'f Fonts) -> Flow<'f> {
        Flow {
            fonts,
            pages: vec![Page::default()],
            y: 0.0,
            placed: vec![],
            paras: 0,
            tables: vec![],
            outline: vec![],
            mark: Mark::Artifact,
        }
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Page::default());
        }
        let n = self.pages.len();
        &mut self.pages[n - 1]
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = 0.0;
    }

    /// Starts a new page unless `h` points still fit on this one.
    pub fn ensure(&mut self, h: f32) {
        if self.y > EPS && self.y + h > BLOCK_H + EPS {
            self.new_page();
        }
    }

    pub fn remaining(&self) -> f32 {
        BLOCK_H - self.y
    }

    /// Moves the cursor down to the next line of the 22-line grid.
    pub fn snap(&mut self) {
        let k = (self.y / PITCH - EPS).ceil().max(0.0);
        self.y = k * PITCH;
        if self.y > BLOCK_H - EPS {
            self.new_page();
        }
    }

    pub fn skip(&mut self, h: f32) {
        self.y += h;
        if self.y > BLOCK_H - EPS {
            self.new_page();
        }
    }

    /// Breaks a paragraph into lines. `grid`: set full-width characters on the 28-per-line grid
    /// (body text); otherwise natural advances.
    pub fn set(
        &self,
        spans: &[Span],
        align: ParaAlign,
        pitch: f32,
        grid: bool,
        place: Place,
    ) -> Result<SetPara, Diagnostic> {
        let mut gs = shape(self.fonts, spans, Some(place))?;
        let size = spans.iter().map(|s| s.size).fold(0.0, f32::max);
        let gaps = if grid {
            space_latin_in_chinese(&mut gs, size)
        } else {
            vec![]
        };
        // Tracking that turns a 16 pt em into the 15.79 pt grid cell; applied to every glyph so
        // that Latin text keeps its proportions relative to the hanzi.
        let track = if grid { CELL - size } else { 0.0 };
        let chars: Vec<char> = gs.iter().map(|g| g.ch).collect();
        let widths: Vec<f32> = gs.iter().map(|g| g.adv + track).collect();
        let (indent, hang) = match align {
            ParaAlign::Justify { indent } => (indent, true),
            _ => (0.0, false),
        };
        let broken = break_lines_trailing(
            &chars,
            &widths,
            &gaps,
            BreakOpts {
                width: BLOCK_W,
                first_indent: indent,
                hang,
            },
        );
        let mut lines = vec![];
        let n = broken.len();
        for (k, l) in broken.iter().enumerate() {
            let mut line = gs[l.start..l.end].to_vec();
            // No line ends with the space between Chinese and Latin text.
            if let (Some(g), Some(&gap)) = (line.last_mut(), gaps.get(l.end - 1)) {
                g.adv -= gap;
            }
            let first = k == 0;
            let last = k + 1 == n;
            let (x, tc) = match align {
                ParaAlign::Justify { indent } => {
                    let x0 = if first { indent } else { 0.0 };
                    let set_w = if l.hang {
                        &line[..line.len() - 1]
                    } else {
                        &line[..]
                    };
                    let natural = width(set_w, track);
                    let gaps = set_w.len().saturating_sub(1).max(1) as f32;
                    let extra = if last && !l.hang {
                        0.0
                    } else {
                        ((BLOCK_W - x0) - natural) / gaps
                    };
                    // A last line that overflows would be squeezed; a short one is left ragged.
                    let extra = if last && !l.hang {
                        extra.min(0.0)
                    } else {
                        extra
                    };
                    (x0, track + extra)
                }
                ParaAlign::Center => {
                    let trimmed = trim_end(&line);
                    ((BLOCK_W - width(trimmed, track) + track) / 2.0, track)
                }
                ParaAlign::Right { right_indent } => {
                    let trimmed = trim_end(&line);
                    (
                        BLOCK_W - right_indent - width(trimmed, track) + track,
                        track,
                    )
                }
            };
            lines.push((line, x, tc));
        }
        Ok(SetPara { lines, pitch, size })
    }

    /// Places a set paragraph line by line, breaking pages between lines. `keep_lines`: lines
    /// that must stay together with the first (a heading and the start of what follows).
    pub fn place(&mut self, p: &SetPara) {
        self.place_lines(p, false);
    }

    /// Places a heading: its lines stay with what follows when lines are carried over.
    pub fn place_heading(&mut self, p: &SetPara) {
        self.place_lines(p, true);
    }

    /// Places a heading (kept with what follows when `keep_next`) and notes in the outline
    /// where its first line lands.
    pub fn place_marked(&mut self, p: &SetPara, keep_next: bool, title: &str) {
        self.place_lines_marked(p, keep_next, Some(title));
    }

    fn place_lines(&mut self, p: &SetPara, keep_next: bool) {
        self.place_lines_marked(p, keep_next, None);
    }

    fn place_lines_marked(&mut self, p: &SetPara, keep_next: bool, title: Option<&str>) {
        self.paras += 1;
        for (k, (line, x, tc)) in p.lines.iter().enumerate() {
            self.ensure(p.pitch);
            let y = TOP + self.y + (p.pitch - p.size) / 2.0 + ASCENT * p.size;
            let mark = self.mark;
            let page = self.page();
            emit(page, line, LEFT + x, y, *tc, mark);
            if let (0, Some(title)) = (k, title) {
                self.outline.push(OutlineItem {
                    title: title.to_string(),
                    page: self.pages.len() - 1,
                    y,
                    size: p.size,
                });
            }
            self.placed
                .push((self.pages.len() - 1, self.y, keep_next, self.paras));
            self.y += p.pitch;
        }
    }

    /// Moves the last `n` text lines to a new page, so that what follows (the signature) does
    /// not stand alone on a page. Does nothing unless at least two lines stay behind on this
    /// page and nothing but text lines follows them.
    pub fn carry_last_lines(&mut self, n: usize) {
        let page = self.pages.len() - 1;
        let k = self.placed.len();
        let mut n = n;
        // Carry more until what stays behind keeps the rules: no heading just above the
        // carried lines, no paragraph with one line left behind, and the last heading that
        // stays with two lines of its text under it.
        while k > n {
            let stays = &self.placed[..k - n];
            let (last, first_moved) = (stays[stays.len() - 1], self.placed[k - n]);
            if last.2 {
                n += 1;
                continue;
            }
            if last.3 == first_moved.3 {
                let behind = stays
                    .iter()
                    .rev()
                    .take_while(|l| l.3 == last.3 && l.0 == page)
                    .count();
                if behind < 2 {
                    n += behind;
                    continue;
                }
            }
            if let Some(h) = stays.iter().rposition(|l| l.2 && l.0 == page) {
                let under = stays.len() - h - 1;
                if under < 2 {
                    n = k - h;
                    continue;
                }
            }
            break;
        }
        if k < n + 2 || self.placed[k - n - 2].0 != page {
            return;
        }
        let from = self.placed[k - n].1;
        let moved: Vec<Run> = {
            let p = &mut self.pages[page];
            let keep: Vec<Run> = p
                .runs
                .iter()
                .filter(|r| r.y < TOP + from)
                .cloned()
                .collect();
            let moved = p
                .runs
                .iter()
                .filter(|r| r.y >= TOP + from)
                .cloned()
                .collect();
            if p.rules.iter().any(|r| r.y1.max(r.y2) > TOP + from) {
                return;
            }
            p.runs = keep;
            moved
        };
        let used = self.y - from;
        // Headings carried over are marked where they land.
        for m in self
            .outline
            .iter_mut()
            .filter(|m| m.page == page && m.y >= TOP + from)
        {
            m.page = page + 1;
            m.y -= from;
        }
        self.new_page();
        let p = self.page();
        p.runs = moved
            .into_iter()
            .map(|mut r| {
                r.y -= from;
                r
            })
            .collect();
        self.y = used;
        self.placed.clear();
    }

    /// A paragraph with orphan and widow control: a page never ends with its first line alone
    /// nor begins with its last line alone.
    pub fn paragraph(&mut self, p: &SetPara) {
        let n = p.line_count();
        let fit = ((self.remaining() + EPS) / p.pitch).floor() as usize;
        if n > fit && self.y > EPS {
            // Lines that would stay on this page.
            let stay = if fit < 2 || n < 4 {
                0
            } else if n - fit < 2 {
                n - 2
            } else {
                fit
            };
            if stay == 0 {
                self.new_page();
            } else if stay < fit {
                let lines = &p.lines[..stay];
                let head = SetPara {
                    lines: lines.to_vec(),
                    pitch: p.pitch,
                    size: p.size,
                };
                self.place(&head);
                self.new_page();
                let tail = SetPara {
                    lines: p.lines[stay..].to_vec(),
                    pitch: p.pitch,
                    size: p.size,
                };
                self.place(&tail);
                return;
            }
        }
        self.place(p);
    }

    /// Draws text at an absolute place (page numbers, an artifact): `x` from the page's left
    /// edge, `y` the baseline from the top, on page `page`.
    pub fn text_at(
        &mut self,
        page: usize,
        spans: &[Span],
        x: f32,
        y: f32,
        right_aligned: bool,
    ) -> Result<(), Diagnostic> {
        let gs = shape(self.fonts, spans, None)?;
        let w = width(&gs, 0.0);
        let x = if right_aligned { x - w } else { x };
        if let Some(p) = self.pages.get_mut(page) {
            emit(p, &gs, x, y, 0.0, Mark::Artifact);
        }
        Ok(())
    }

    /// Sets a table's cells at a style, to measure it and then place it (each size a table
    /// is tried at is set once).
    pub fn measure_table(
        &self,
        grid: &TableGrid,
        style: &TableStyle,
        text: &dyn Fn(usize) -> String,
    ) -> Result<MeasuredTable, Diagnostic> {
        Ok(MeasuredTable(TableLayout::new(
            self.fonts, grid, style, text,
        )?))
    }

    /// Places a measured table.
    pub fn table(&mut self, grid: &TableGrid, t: MeasuredTable) {
        let t = t.0;
        t.place(self, grid);
        self.placed.clear();
        self.tables.push(PlacedTable {
            size: t.style.size,
            cell_sizes: t.cells.iter().map(|c| c.size).collect(),
            cell_lines: t
                .cells
                .iter()
                .map(|c| {
                    c.lines
                        .iter()
                        .map(|(gs, _)| gs.iter().map(|g| g.ch).collect::<String>())
                        .collect()
                })
                .collect(),
            row_heights: t.row_h,
            gap_after: 0.0,
            tight_after: false,
        });
    }
}

/// A table set at one style, not yet placed.
pub struct MeasuredTable(TableLayout);

impl MeasuredTable {
    /// The height it needs before it can start: its header rows and first unbreakable group
    /// of body rows.
    pub fn lead(&self, grid: &TableGrid) -> f32 {
        let first_group = self.0.group_end(grid, grid.header_rows);
        self.0.row_h[..first_group].iter().sum()
    }

    /// Its total height (to choose a size that fits one page).
    pub fn height(&self) -> f32 {
        self.0.row_h.iter().sum()
    }
}

fn trim_end(line: &[Glyph]) -> &[Glyph] {
    let mut n = line.len();
    while n > 0 && line[n - 1].ch == ' ' {
        n -= 1;
    }
    &line[..n]
}

/// Fonts and sizes of a table.
#[derive(Debug, Clone)]
pub struct TableStyle {
    pub size: f32,
    /// Smallest size a number may shrink to before it breaks (a wide number in a narrow column).
    pub min_value_size: f32,
    pub pad_x: f32,
    pub pad_y: f32,
    /// Line height as a multiple of the size.
    pub leading: f32,
    pub border: f32,
    /// Smallest row height.
    pub min_row: f32,
    /// Where a cell's text is, for error messages: cell index → description.
    pub table: TableId,
}

/// A cell's text set into lines.
struct CellText {
    lines: Vec<(Vec<Glyph>, f32)>,
    size: f32,
    height: f32,
}

struct TableLayout {
    col_x: Vec<f32>,
    row_h: Vec<f32>,
    cells: Vec<CellText>,
    style: TableStyle,
}

impl TableLayout {
    fn new(
        fonts: &Fonts,
        grid: &TableGrid,
        style: &TableStyle,
        text: &dyn Fn(usize) -> String,
    ) -> Result<TableLayout, Diagnostic> {
        // The house style's widths for these numbers and words at this size (one size for
        // the whole table); a table too full for the size keeps the proportions and lets a
        // number shrink below (the caller tries the sizes down first).
        let texts: Vec<String> = (0..grid.cells.len()).map(text).collect();
        let fitted = style::table_column_widths(grid, &texts, style.size, BLOCK_W);
        let widths = fitted.clone().unwrap_or_else(|| {
            let weights = style::column_weights(grid.id);
            let total: f32 = weights.iter().sum();
            weights.iter().map(|w| w / total * BLOCK_W).collect()
        });
        let mut col_x = vec![0.0];
        let mut acc = 0.0;
        for w in &widths {
            acc += w;
            col_x.push(acc);
        }
        let mut cells = vec![];
        for (i, c) in grid.cells.iter().enumerate() {
            let s = text(i);
            let avail = col_x[c.col + c.colspan] - col_x[c.col] - 2.0 * style.pad_x;
            let face = match c.role {
                crate::spec::format::CellRole::Note => Face::Kai,
                _ => Face::Song,
            };
            // Where the clerk can find it: the cell path of `docs/INPUT.md` (`表二/规章/本年制发`).
            let place = match c.content {
                crate::spec::format::Content::Value(v) => Place::Value(v),
                crate::spec::format::Content::Text(_) => Place::Table(style.table),
            };
            let is_value = matches!(c.content, crate::spec::format::Content::Value(_));
            let mut size = style.size;
            let cell = loop {
                let gs = shape(fonts, &[Span::new(s.clone(), face, size)], Some(place))?;
                let chars: Vec<char> = gs.iter().map(|g| g.ch).collect();
                let widths: Vec<f32> = gs.iter().map(|g| g.adv).collect();
                let opts = |width| BreakOpts {
                    width,
                    first_indent: 0.0,
                    hang: false,
                };
                // Labels break between words (`三、本年度/办理/结果`).
                let mut glue = if is_value {
                    vec![]
                } else {
                    crate::spec::style::word_glue(&chars)
                };
                // An item number (`2.`) stays with the first word after it: never alone on a
                // line (`2.` / `其他法律行政法规禁止公开`).
                let prefix = crate::spec::style::numbering_prefix(&chars);
                let item_number = !is_value && prefix > 0 && chars[0].is_ascii_digit();
                if item_number && prefix < chars.len() {
                    glue[prefix - 1] = true;
                }
                let split_word = |lines: &[Line]| {
                    lines
                        .iter()
                        .any(|l| l.end > 0 && glue.get(l.end - 1).copied().unwrap_or(false))
                };
                let brk = |w| break_lines_with(&chars, &widths, &[], &glue, opts(w));
                let mut broken = brk(avail);
                // Text that wraps is balanced: the narrowest width that needs no more lines
                // (`商业/企业`, not `商业企/业`) and keeps its words whole.
                if !is_value && broken.len() > 1 {
                    let mut w = avail - size / 2.0;
                    while w >= size {
                        let b = brk(w);
                        if b.len() > broken.len() || (split_word(&b) && !split_word(&broken)) {
                            break;
                        }
                        broken = b;
                        w -= size / 2.0;
                    }
                }
                // A numbered label that wraps breaks after its number when the rest then fits
                // on one line (`（三）` / `不予公开`, not `（三）不予公` / `开`).
                if !is_value && !item_number && broken.len() > 1 {
                    let k = crate::spec::style::numbering_prefix(&chars);
                    let rest: f32 = widths[k.min(widths.len())..].iter().sum();
                    if k > 0 && k < chars.len() && rest <= avail + 0.01 {
                        broken = vec![
                            Line {
                                start: 0,
                                end: k,
                                hang: false,
                            },
                            Line {
                                start: k,
                                end: chars.len(),
                                hang: false,
                            },
                        ];
                    }
                }
                // A number that does not fit on one line shrinks first: a split number is hard
                // to read.
                if is_value && broken.len() > 1 && size > style.min_value_size && !s.contains('（')
                {
                    size = (size - 0.5).max(style.min_value_size);
                    continue;
                }
                let lines: Vec<(Vec<Glyph>, f32)> = broken
                    .iter()
                    .map(|l| {
                        let line = gs[l.start..l.end].to_vec();
                        let w = width(trim_end(&line), 0.0);
                        (line, w)
                    })
                    .collect();
                let height = lines.len().max(1) as f32 * size * style.leading + 2.0 * style.pad_y;
                break CellText {
                    lines,
                    size,
                    height,
                };
            };
            cells.push(cell);
        }
        // Row heights: single-row cells first, then spanning cells grow the rows they span
        // (their last rows first: labels read better centred in tall groups).
        let mut row_h = vec![style.min_row; grid.rows];
        for (c, t) in grid.cells.iter().zip(&cells) {
            if c.rowspan == 1 {
                row_h[c.row] = row_h[c.row].max(t.height);
            }
        }
        let mut spanning: Vec<usize> = (0..grid.cells.len())
            .filter(|&i| grid.cells[i].rowspan > 1)
            .collect();
        spanning.sort_by_key(|&i| grid.cells[i].rowspan);
        for i in spanning {
            let c = &grid.cells[i];
            let have: f32 = row_h[c.row..c.row + c.rowspan].iter().sum();
            let need = cells[i].height;
            if need > have {
                let add = (need - have) / c.rowspan as f32;
                for h in &mut row_h[c.row..c.row + c.rowspan] {
                    *h += add;
                }
            }
        }
        Ok(TableLayout {
            col_x,
            row_h,
            cells,
            style: style.clone(),
        })
    }

    /// Rows `r..end` that must stay on one page: by the format's one rule
    /// ([`style::rows_kept_with_next`]), which Word follows too.
    fn group_end(&self, grid: &TableGrid, r: usize) -> usize {
        let keep = style::rows_kept_with_next(grid);
        let mut e = r;
        while e < grid.rows {
            e += 1;
            if !keep[e - 1] {
                break;
            }
        }
        e.max(r + 1).min(grid.rows)
    }

    fn place(&self, flow: &mut Flow, grid: &TableGrid) {
        let header: f32 = self.row_h[..grid.header_rows].iter().sum();
        // Fragments: (page, top y, rows in this fragment) — header rows repeat on each page.
        let mut r = grid.header_rows;
        let mut frag_rows: Vec<usize> = (0..grid.header_rows).collect();
        let first_group = self.group_end(grid, r);
        flow.ensure(
            TABLE_SLACK
                + header
                + self.row_h[r.min(grid.rows - 1)..first_group]
                    .iter()
                    .sum::<f32>(),
        );
        let mut top = flow.y;
        let mut y = flow.y + header;
        // Cells whose text is drawn: a header repeated on a new page, or a label drawn again
        // beside its continued rows, is marked as an artifact.
        let mut drawn = vec![false; grid.cells.len()];
        while r < grid.rows {
            let e = self.group_end(grid, r);
            let h: f32 = self.row_h[r..e].iter().sum();
            if y + h > BLOCK_H - TABLE_SLACK && frag_rows.len() > grid.header_rows {
                self.draw_fragment(flow, grid, &frag_rows, top, &mut drawn);
                flow.new_page();
                frag_rows = (0..grid.header_rows).collect();
                top = 0.0;
                y = header;
            }
            frag_rows.extend(r..e);
            y += h;
            r = e;
        }
        self.draw_fragment(flow, grid, &frag_rows, top, &mut drawn);
        flow.y = y;
    }

    /// Draws the rows `rows` (ascending; header rows first) at `top`. A cell spanning rows that
    /// are not all here is drawn over the part that is, with its text repeated when it fits.
    fn draw_fragment(
        &self,
        flow: &mut Flow,
        grid: &TableGrid,
        rows: &[usize],
        top: f32,
        drawn: &mut [bool],
    ) {
        let mut row_y = vec![None; grid.rows];
        let mut y = top;
        for &r in rows {
            row_y[r] = Some(y);
            y += self.row_h[r];
        }
        let style = &self.style;
        let block = match flow.mark {
            Mark::Block { block, .. } | Mark::Cell { block, .. } => Some(block),
            Mark::Artifact => None,
        };
        let page = flow.page();
        for (i, (c, t)) in grid.cells.iter().zip(&self.cells).enumerate() {
            let present: Vec<usize> = (c.row..c.row + c.rowspan)
                .filter(|&r| row_y[r].is_some())
                .collect();
            let (Some(&a), Some(&b)) = (present.first(), present.last()) else {
                continue;
            };
            let (Some(y0), Some(yb)) = (row_y[a], row_y[b]) else {
                continue;
            };
            let y1 = yb + self.row_h[b];
            let x0 = LEFT + self.col_x[c.col];
            let x1 = LEFT + self.col_x[c.col + c.colspan];
            let (ty0, ty1) = (TOP + y0, TOP + y1);
            for (p, q) in [
                ((x0, ty0), (x1, ty0)),
                ((x0, ty1), (x1, ty1)),
                ((x0, ty0), (x0, ty1)),
                ((x1, ty0), (x1, ty1)),
            ] {
                page.rules.push(Rule {
                    x1: p.0,
                    y1: p.1,
                    x2: q.0,
                    y2: q.1,
                    width: style.border,
                });
            }
            let lh = t.size * style.leading;
            let text_h = t.lines.len() as f32 * lh;
            let complete = present.len() == c.rowspan;
            let first_piece = row_y[c.row].is_some();
            let fits = text_h + 2.0 * style.pad_y <= ty1 - ty0 + EPS;
            // A label whose rows break across pages stands at the top of its first piece when
            // it fits there (where Word puts it), else in the bigger piece.
            if !(complete || first_piece && fits) {
                let whole: f32 = self.row_h[c.row..c.row + c.rowspan].iter().sum();
                let first_fits = {
                    let end = (c.row..c.row + c.rowspan)
                        .take_while(|&r| row_y[r].is_some() == first_piece)
                        .map(|r| self.row_h[r])
                        .sum::<f32>();
                    text_h + 2.0 * style.pad_y <= end + EPS
                };
                if first_fits || (ty1 - ty0) * 2.0 < whole {
                    continue;
                }
            }
            let mut by = if !complete && first_piece && fits {
                ty0 + style.pad_y
            } else {
                ty0 + ((ty1 - ty0) - text_h) / 2.0
            };
            let mark = match (block, drawn.get(i)) {
                (Some(block), Some(false)) if !t.lines.is_empty() => Mark::Cell {
                    block,
                    cell: i as u32,
                },
                _ => Mark::Artifact,
            };
            if let Some(d) = drawn.get_mut(i) {
                *d |= !t.lines.is_empty();
            }
            for (line, w) in &t.lines {
                let x = match c.align {
                    Align::Left => x0 + style.pad_x,
                    Align::Center => x0 + ((x1 - x0) - w) / 2.0,
                };
                emit(
                    page,
                    line,
                    x,
                    by + (lh - t.size) / 2.0 + ASCENT * t.size,
                    0.0,
                    mark,
                );
                by += lh;
            }
        }
    }
}
