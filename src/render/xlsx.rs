//! Excel workbook in the official layout (rust_xlsxwriter); also the blank fill-in template.
//!
//! One layout serves as output, as template and as input (`crate::input::excel` reads it back):
//!
//! - sheet `基本信息`: the body's details and the text sections, three columns — key (A), sub-key or
//!   subsection title (B), value or subsection text (C); single values sit in B:C merged. Section
//!   headings (`一、总体情况`) are rows of their own; each subsection is a row `（一）| 标题 | 内容`.
//! - sheets `表二`, `表三`, `表四`: row 1 is the section heading, the official table starts on row 2
//!   in column A, drawn from `format::table2_grid()` etc. with the official merges.
//!
//! Numbers stay numbers. A cell's note (`22（其中修订16件）`) is kept in the cell's number format as a
//! literal (`0"（其中修订16件）"`): the cell displays the official text, the value stays numeric for
//! the totals' formulas, and the reader takes the note back from the format (calamine does not read
//! comments). The fee is written as a number whose format has exactly as many decimals as written
//! (`0.00` for `7730.20`), so the reader restores the digits from the format; a fee that a double
//! cannot hold exactly is written as text. Totals are `SUM` formulas with their value cached
//! (neither calamine nor LibreOffice recompute on load); a total that disagrees with its parts (a
//! forced render) is written as the plain given number so that the mismatch survives a round trip.
//! Label cells are locked, input cells unlocked, sheets protected without a password; a total
//! written as a plain number is unlocked (it is data, not a formula: the reader tells a clerk
//! who typed over a locked formula apart from it, see `crate::input::excel`).
//!
//! Texts: in a cell, one line break (Alt+Enter) starts a paragraph, so a text's paragraphs are
//! written one per line ([`cell_text`]); the reader turns each break between two lines back into
//! a blank line. The blank template (only it) also has a last sheet `填写说明`, opened first: what
//! to fill, how to write paragraphs, what `xxgk check` checks.

use crate::diag::{Diagnostic, Rule};
use crate::model::{Amount, Count, Report, Section, Text};
use crate::spec::format::{
    self, keys, CellRole, Content, SectionKind, TableGrid, TableId, ValueRef, SECTIONS,
};
use crate::spec::style::{self, Face};
use crate::spec::workbook::{a1, AS_GIVEN, INFO_SHEET, MAX_CELL_CHARS, NO, TABLE_TOP, YES};
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Formula, ProtectionOptions, Workbook, Worksheet, XlsxError,
};
use std::collections::HashMap;

/// Blank subsection rows offered after the written ones (and at least this many in all).
const SPARE_SUBSECTIONS: usize = 2;
const MIN_SUBSECTIONS: usize = 5;
/// Longest note kept in a number format.
const MAX_FORMAT_NOTE: usize = 80;
/// Longest format code Excel accepts (UTF-16 units); a longer one makes the workbook "damaged".
const MAX_FORMAT_CODE: usize = 255;

const SONG: &str = Face::Song.official_name();
const KAI: &str = Face::Kai.official_name();
const HEI: &str = Face::Hei.official_name();
const FANG: &str = Face::Fang.official_name();
/// GB2312 character set, so Excel/WPS pick the Chinese face.
const GB2312: u8 = 134;
const TABLE_PT: f64 = 10.0;

/// The workbook of a report.
pub fn render(report: &Report) -> Result<Vec<u8>, Diagnostic> {
    build(Some(report), report.year, &TemplateFill::default())
}

/// The blank fill-in workbook (`xxgk template --xlsx`): 机关 and 年度 left blank, `year` only
/// dates the file.
pub fn template(year: u16) -> Result<Vec<u8>, Diagnostic> {
    build(None, year, &TemplateFill::default())
}

/// What `xxgk template --xlsx --year … --body …` fills in the blank workbook.
#[derive(Debug, Clone, Copy, Default)]
pub struct TemplateFill<'a> {
    /// The 年度 cell (blank when `None`).
    pub year: Option<u16>,
    /// The 机关 cell (blank when `None`).
    pub body: Option<&'a str>,
}

/// The fill-in workbook with 年度 and 机关 filled where given; `year` dates the file.
pub fn template_filled(year: u16, fill: &TemplateFill) -> Result<Vec<u8>, Diagnostic> {
    build(None, fill.year.unwrap_or(year), fill)
}

/// How a text is written into a cell: one line per paragraph. A text whose paragraphs are
/// separated by one blank line (`甲\n\n乙`) is written `甲\n乙`, and the reader's rule (a break
/// between two lines starts a paragraph) gives back exactly the text; a blank line anywhere else
/// (two in a row, at the ends) stays as written. A text with lines broken inside a paragraph
/// (YAML hand-wrapped lines, joined when printed) is written as its paragraphs, one per line: the
/// same document, though no longer the same characters.
pub fn cell_text(t: &Text) -> String {
    let lines: Vec<&str> = t.0.split('\n').collect();
    let filled = |l: &str| !l.trim().is_empty();
    if lines.windows(2).any(|w| filled(w[0]) && filled(w[1])) {
        return t.paragraphs().join("\n");
    }
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let between = i > 0 && i + 1 < lines.len() && filled(lines[i - 1]) && filled(lines[i + 1]);
        if !(l.is_empty() && between) {
            out.push(l);
        }
    }
    out.join("\n")
}

/// Adds the sheets 表二, 表三, 表四 of `report` in the official layout to a workbook (the batch
/// summary uses it with the summed report).
pub fn add_tables(wb: &mut Workbook, report: &Report) -> Result<(), Diagnostic> {
    for grid in format::tables() {
        table_sheet(wb.add_worksheet(), &grid, Some(report))?;
    }
    Ok(())
}

fn xerr(e: XlsxError) -> Diagnostic {
    Diagnostic::error(Rule::Render, format!("生成 Excel 文件失败：{e}"))
}

fn build(report: Option<&Report>, year: u16, fill: &TemplateFill) -> Result<Vec<u8>, Diagnostic> {
    let mut wb = Workbook::new();
    // Level 1: the parts are XML that deflates well at any level, and the default level was a
    // third of a workbook's time (benches/README.md).
    wb.set_zip_compression_level(1);
    // The house style's stamp date keeps the bytes identical for identical input.
    let d = match report {
        Some(r) => r.stamp_date(),
        None => style::stamp_date(None, None, year),
    };
    let created = ExcelDateTime::from_ymd(d.year, d.month, d.day).map_err(xerr)?;
    // Marked as ours; Excel and WPS fill in `lastModifiedBy` when they save it, so a marked
    // workbook with it still empty is one nobody has edited (`render` may replace only that).
    let mut props = DocProperties::new()
        .set_creation_datetime(&created)
        .set_custom_property(MADE_BY, "xxgk");
    if let Some(r) = report {
        props = props.set_title(r.title_text()).set_company(&r.body);
    } else {
        props = props.set_title("政府信息公开工作年度报告（填报模板）");
        if let Some(b) = fill.body {
            props = props.set_company(b);
        }
    }
    wb.set_properties(&props);

    info_sheet(wb.add_worksheet(), report, fill)?;
    for grid in format::tables() {
        table_sheet(wb.add_worksheet(), &grid, report)?;
    }
    if report.is_none() {
        instructions_sheet(wb.add_worksheet())?;
    }
    // The same bytes on every platform (see `made_on_unix`).
    wb.save_to_buffer()
        .map(crate::render::zip::made_on_unix)
        .map_err(xerr)
}

// ---------------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------------

fn base(font: &str, size: f64) -> Format {
    Format::new()
        .set_font_name(font)
        .set_font_charset(GB2312)
        .set_font_size(size)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

fn label_format(role: CellRole) -> Format {
    match role {
        CellRole::Note => base(KAI, TABLE_PT)
            .set_align(FormatAlign::Left)
            .set_align(FormatAlign::Top),
        CellRole::Label => base(SONG, TABLE_PT).set_align(FormatAlign::Left),
        CellRole::Header | CellRole::Value => base(SONG, TABLE_PT).set_align(FormatAlign::Center),
    }
}

fn heading_format() -> Format {
    Format::new()
        .set_font_name(HEI)
        .set_font_charset(GB2312)
        .set_font_size(12)
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter)
}

/// Format of a number cell: input cells unlocked, totals locked and lightly shaded.
fn value_format(num_format: &str, total: bool) -> Format {
    let f = base(SONG, TABLE_PT)
        .set_align(FormatAlign::Center)
        .set_num_format(num_format);
    if total {
        f.set_background_color(0xF2F2F2)
    } else {
        f.set_unlocked()
    }
}

/// Quotes text as a number-format literal; a `"` inside becomes an escaped `\"`.
fn quote_literal(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\\\"\""))
}

/// The number format of a value cell: `decimals` places, the note as a literal after the number
/// (`0"（其中修订16件）"`), and a zero shown blank unless the cell prints zeros
/// ([`Report::prints_zero`]).
pub(crate) fn number_format(decimals: usize, note: Option<&str>, show_zero: bool) -> String {
    let num = if decimals == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(decimals))
    };
    let lit = match note {
        Some(n) if !n.trim().is_empty() => quote_literal(&format!("（{n}）")),
        _ => String::new(),
    };
    let pos = format!("{num}{lit}");
    if show_zero {
        pos
    } else {
        format!("{pos};-{pos};{lit};@")
    }
}

/// Whether a note can be the literal of a number format: short enough, and with no character a
/// format cannot carry. A format is an XML attribute, where a control character is not
/// well-formed and a line break or tab reads back as a space, and Excel refuses such a format;
/// a note that cannot be one is written in the text form (`15（…）`), where every character is
/// kept (the cell text escapes them). The whole format, which repeats the note when zeros print
/// blank, must stay within Excel's limit.
fn note_fits_format(note: &Option<String>, decimals: usize, show_zero: bool) -> bool {
    note.as_ref().is_none_or(|n| {
        n.chars().count() <= MAX_FORMAT_NOTE
            && !n
                .chars()
                .any(|c| c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
            && number_format(decimals, Some(n), show_zero)
                .encode_utf16()
                .count()
                <= MAX_FORMAT_CODE
    })
}

// ---------------------------------------------------------------------------------------------
// Sizes
// ---------------------------------------------------------------------------------------------

/// Pixels of a column `width` units wide (Excel: 7 px per unit of the default font, plus 5).
fn column_px(width: f64) -> f64 {
    7.0 * width + 5.0
}

/// Pixels of a character at `pt` points: CJK full width, Latin about half.
fn char_px(c: char, pt: f64) -> f64 {
    let em = pt * 4.0 / 3.0;
    if c.is_ascii() {
        em * 0.55
    } else {
        em
    }
}

/// Lines a text needs in a cell `width` units wide: greedy wrapping by character, as Excel and
/// LibreOffice wrap CJK text; each paragraph starts a line.
fn lines_needed(s: &str, width: f64, pt: f64) -> usize {
    let usable = (column_px(width) - 6.0).max(1.0);
    s.split('\n')
        .map(|l| {
            let (mut lines, mut acc) = (1, 0.0);
            for c in l.chars() {
                let w = char_px(c, pt);
                if acc + w > usable && acc > 0.0 {
                    lines += 1;
                    acc = 0.0;
                }
                acc += w;
            }
            lines
        })
        .sum()
}

/// A text broken into lines where a reader expects, for a cell `width` units wide: each line a
/// little shorter than the cell holds (so that Excel and LibreOffice, whose fonts differ a
/// little, never wrap it again), never starting with closing punctuation (`。`, `）`) nor
/// ending with opening punctuation — which LibreOffice's own wrapping of a cell allows.
fn hard_wrap(s: &str, width: f64, pt: f64) -> String {
    use crate::render::paged::text::{no_end, no_start};
    let usable = (column_px(width) - 6.0).max(1.0) * 0.92;
    let mut out: Vec<String> = vec![];
    for para in s.split('\n') {
        let chars: Vec<char> = para.chars().collect();
        let mut start = 0;
        while start < chars.len() {
            let mut end = start;
            let mut acc = 0.0;
            while end < chars.len() && (acc + char_px(chars[end], pt) <= usable || end == start) {
                acc += char_px(chars[end], pt);
                end += 1;
            }
            // Pull characters down until the next line starts and this one ends legally;
            // keep runs of digits and Latin letters whole.
            let bad = |e: usize| {
                e < chars.len()
                    && (no_start(chars[e])
                        || no_end(chars[e - 1])
                        || (chars[e].is_ascii_alphanumeric()
                            && chars[e - 1].is_ascii_alphanumeric()))
            };
            let mut e = end;
            while e > start + 1 && bad(e) {
                e -= 1;
            }
            if bad(e) {
                e = end;
            }
            out.push(chars[start..e].iter().collect());
            start = e;
        }
        if chars.is_empty() {
            out.push(String::new());
        }
    }
    out.join("\n")
}

/// A one-column header too long for its cell, broken after whole groups of characters
/// (`社会公益` / `组织`) rather than where the wrap happens to fall (`社会公益组` / `织`).
fn break_header(s: &str, width: f64, pt: f64) -> String {
    let per_line = ((column_px(width) - 6.0) / char_px('中', pt))
        .floor()
        .max(1.0) as usize;
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= per_line || lines_needed(s, width, pt) == 1 {
        return s.to_string();
    }
    chars
        .chunks(per_line)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn line_height(pt: f64) -> f64 {
    pt * 1.35 + 1.0
}

/// Excel's tallest row.
const MAX_ROW_PT: f64 = 409.0;

/// Printable width and height of an A4 page inside [`page_setup`]'s margins, in points.
const PRINT_W_PT: f64 = (8.27 - 1.2) * 72.0;
const PRINT_H_PT: f64 = (11.69 - 1.6) * 72.0;
/// The smallest printed size of text: what a sheet may be scaled down to.
const MIN_PRINT_PT: f64 = 9.0;

fn page_setup(ws: &mut Worksheet) {
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.6, 0.6, 0.8, 0.8, 0.3, 0.3);
    ws.set_footer("&C第 &P 页，共 &N 页");
}

fn protect(ws: &mut Worksheet) {
    // No password: the protection keeps labels and formulas from being overwritten by accident.
    let opts = ProtectionOptions {
        select_locked_cells: true,
        select_unlocked_cells: true,
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    ws.protect_with_options(&opts);
}

// ---------------------------------------------------------------------------------------------
// 基本信息
// ---------------------------------------------------------------------------------------------

const INFO_WIDTHS: [f64; 3] = [12.0, 22.0, 72.0];
const INFO_PT: f64 = 11.0;

struct InfoWriter<'a> {
    ws: &'a mut Worksheet,
    row: u32,
    key: Format,
    value: Format,
    heading: Format,
    /// Least height of a text row: taller in the blank template, to show there is room.
    text_min: f64,
    /// Height of the rows written so far, in points.
    total: f64,
    /// Each section heading's row and the height of the rows above it.
    headings: Vec<(u32, f64)>,
}

impl InfoWriter<'_> {
    /// Sets the height of the current row and counts it (for the print setup).
    fn set_height(&mut self, h: f64) -> Result<(), Diagnostic> {
        self.total += h;
        self.ws.set_row_height(self.row, h).map_err(xerr)?;
        Ok(())
    }

    fn check_len(&self, s: &str) -> Result<(), Diagnostic> {
        if s.chars().count() > MAX_CELL_CHARS {
            return Err(Diagnostic::error(
                Rule::Render,
                format!(
                "{INFO_SHEET}第{}行的文字超过 Excel 单元格上限（{MAX_CELL_CHARS} 字），无法写入",
                self.row + 1
            ),
            ));
        }
        Ok(())
    }

    fn height(&mut self, texts: &[(&str, f64)], tall: bool) -> Result<(), Diagnostic> {
        let min = if tall { self.text_min } else { 20.0 };
        let lines = texts
            .iter()
            .map(|(t, w)| lines_needed(t, *w, INFO_PT))
            .max()
            .unwrap_or(1);
        let h = (lines as f64 * line_height(INFO_PT) + 4.0).clamp(min, MAX_ROW_PT);
        self.set_height(h)?;
        Ok(())
    }

    /// `key | value` with the value in B:C.
    fn pair(&mut self, key: &str, value: &str, tall: bool) -> Result<(), Diagnostic> {
        self.check_len(value)?;
        self.ws
            .write_string_with_format(self.row, 0, key, &self.key)
            .map_err(xerr)?;
        self.ws
            .merge_range(self.row, 1, self.row, 2, value, &self.value)
            .map_err(xerr)?;
        self.height(&[(value, INFO_WIDTHS[1] + INFO_WIDTHS[2])], tall)?;
        self.row += 1;
        Ok(())
    }

    fn number(&mut self, key: &str, value: Option<f64>) -> Result<(), Diagnostic> {
        self.ws
            .write_string_with_format(self.row, 0, key, &self.key)
            .map_err(xerr)?;
        self.ws
            .merge_range(self.row, 1, self.row, 2, "", &self.value)
            .map_err(xerr)?;
        if let Some(v) = value {
            self.ws
                .write_number_with_format(self.row, 1, v, &self.value)
                .map_err(xerr)?;
        }
        self.set_height(20.0)?;
        self.row += 1;
        Ok(())
    }

    fn heading(&mut self, text: &str) -> Result<(), Diagnostic> {
        self.headings.push((self.row, self.total));
        self.ws
            .merge_range(self.row, 0, self.row, 2, text, &self.heading)
            .map_err(xerr)?;
        self.set_height(26.0)?;
        self.row += 1;
        Ok(())
    }

    fn section(
        &mut self,
        def: &format::SectionDef,
        section: Option<&Section>,
    ) -> Result<(), Diagnostic> {
        self.heading(&def.heading())?;
        let intro = section.map(|s| cell_text(&s.intro)).unwrap_or_default();
        self.pair(keys::SECTION_INTRO, &intro, true)?;
        let header = self.key.clone().set_align(FormatAlign::Center);
        for (c, t) in [
            keys::SECTION_SUBSECTIONS,
            keys::SUBSECTION_TITLE,
            keys::SUBSECTION_BODY,
        ]
        .iter()
        .enumerate()
        {
            self.ws
                .write_string_with_format(self.row, c as u16, *t, &header)
                .map_err(xerr)?;
        }
        self.set_height(20.0)?;
        self.row += 1;
        let subs = section.map(|s| s.subsections.as_slice()).unwrap_or(&[]);
        let n = (subs.len() + SPARE_SUBSECTIONS).max(MIN_SUBSECTIONS);
        for i in 0..n {
            let numeral = format::chinese_numeral(i + 1);
            let (title, body) = subs
                .get(i)
                .map(|s| (s.title.as_str(), cell_text(&s.body)))
                .unwrap_or(("", String::new()));
            let body = body.as_str();
            self.check_len(body)?;
            self.ws
                .write_string_with_format(self.row, 0, format!("（{numeral}）"), &header)
                .map_err(xerr)?;
            self.ws
                .write_string_with_format(self.row, 1, title, &self.value)
                .map_err(xerr)?;
            self.ws
                .write_string_with_format(self.row, 2, body, &self.value)
                .map_err(xerr)?;
            self.height(&[(title, INFO_WIDTHS[1]), (body, INFO_WIDTHS[2])], true)?;
            self.row += 1;
        }
        Ok(())
    }
}

fn info_sheet(
    ws: &mut Worksheet,
    report: Option<&Report>,
    fill: &TemplateFill,
) -> Result<(), Diagnostic> {
    ws.set_name(INFO_SHEET).map_err(xerr)?;
    for (c, w) in INFO_WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    let key = base(SONG, INFO_PT).set_align(FormatAlign::Left);
    let value = base(FANG, INFO_PT)
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::Top)
        .set_unlocked();
    let mut w = InfoWriter {
        ws,
        row: 0,
        key,
        value,
        heading: heading_format(),
        text_min: if report.is_some() { 20.0 } else { 48.0 },
        total: 0.0,
        headings: vec![],
    };

    let body = report.map(|r| r.body.as_str()).or(fill.body).unwrap_or("");
    w.pair(keys::BODY, body, false)?;
    let year_row = w.row;
    let year = report.map(|r| r.year).or(fill.year);
    w.number(keys::YEAR, year.map(f64::from))?;
    let title = report
        .and_then(|r| r.title.as_ref())
        .map(|t| t.join("\n"))
        .unwrap_or_default();
    let title_row = w.row;
    w.pair(keys::TITLE, &title, false)?;
    let published = report
        .and_then(|r| r.published)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let published_row = w.row;
    w.pair(keys::PUBLISHED, &published, false)?;
    let zero_row = w.row;
    w.pair(
        keys::SHOW_ZERO,
        match report.and_then(|r| r.show_zero) {
            Some(true) => YES,
            Some(false) => NO,
            None => AS_GIVEN,
        },
        false,
    )?;
    let preface = report.map(|r| cell_text(&r.preface)).unwrap_or_default();
    w.pair(keys::PREFACE, &preface, true)?;

    for def in SECTIONS.iter() {
        if let SectionKind::Text(which) = def.kind {
            w.section(def, report.map(|r| r.text_section(which)))?;
        }
    }

    // 落款: A merged over two rows, B the sub-key, C the value.
    let sig = report.and_then(|r| r.signature.as_ref());
    let r0 = w.row;
    w.ws.merge_range(r0, 0, r0 + 1, 0, keys::SIGNATURE, &w.key)
        .map_err(xerr)?;
    let sig_body = sig.map(|s| s.body.as_str()).unwrap_or("");
    let sig_date = sig
        .and_then(|s| s.date)
        .map(|d| d.to_string())
        .unwrap_or_default();
    for (i, (k, v)) in [
        (keys::SIGNATURE_BODY, sig_body),
        (keys::SIGNATURE_DATE, sig_date.as_str()),
    ]
    .iter()
    .enumerate()
    {
        let r = r0 + i as u32;
        w.ws.write_string_with_format(r, 1, *k, &w.key)
            .map_err(xerr)?;
        w.ws.write_string_with_format(r, 2, *v, &w.value)
            .map_err(xerr)?;
        w.ws.set_row_height(r, 20).map_err(xerr)?;
        w.total += 20.0;
    }
    // 本级政府 only when the report states it (rule Y-DATE infers it otherwise): the template's
    // rows stay as they were.
    if let Some(g) = report.and_then(|r| r.government) {
        w.row = r0 + 2;
        w.pair(keys::GOVERNMENT, if g { YES } else { NO }, false)?;
    }

    let (total, headings) = (w.total, std::mem::take(&mut w.headings));
    let ws = w.ws;
    let year_dv = DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(
            i32::from(*format::YEARS.start()),
            i32::from(*format::YEARS.end()),
        ))
        .set_error_title("年度")
        .map_err(xerr)?
        .set_error_message(format!(
            "请输入{}至{}之间的年份",
            format::YEARS.start(),
            format::YEARS.end()
        ))
        .map_err(xerr)?;
    ws.add_data_validation(year_row, 1, year_row, 2, &year_dv)
        .map_err(xerr)?;
    let hint = |title: &str, msg: &str| -> Result<DataValidation, Diagnostic> {
        DataValidation::new()
            .allow_any_value()
            .set_input_title(title)
            .map_err(xerr)?
            .set_input_message(msg)
            .map_err(xerr)
    };
    let title_dv = hint(
        keys::TITLE,
        "可留空：默认两行，第一行为机关名称，第二行为“YYYY年政府信息公开工作年度报告”。自定义时每行一个标题行（Alt+Enter 换行）。",
    )?;
    ws.add_data_validation(title_row, 1, title_row, 2, &title_dv)
        .map_err(xerr)?;
    let date_dv = hint(
        keys::PUBLISHED,
        "可留空。格式：YYYY-MM-DD，例如 2022-01-27。",
    )?;
    ws.add_data_validation(published_row, 1, published_row, 2, &date_dv)
        .map_err(xerr)?;
    let sig_date_dv = hint(
        keys::SIGNATURE_DATE,
        "可留空。格式：YYYY-MM-DD，例如 2022-01-27。",
    )?;
    ws.add_data_validation(r0 + 1, 2, r0 + 1, 2, &sig_date_dv)
        .map_err(xerr)?;
    let zero_dv = DataValidation::new()
        .allow_list_strings(&[AS_GIVEN, YES, NO])
        .map_err(xerr)?;
    ws.add_data_validation(zero_row, 1, zero_row, 2, &zero_dv)
        .map_err(xerr)?;
    page_setup(ws);
    // A sheet that a little shrinking puts on one page (its text still ≥ 9 pt) prints on one:
    // not a second page holding two rows.
    let width_pt: f64 = INFO_WIDTHS.iter().map(|w| column_px(*w) * 0.75).sum();
    let scale = (PRINT_W_PT / width_pt)
        .min(PRINT_H_PT / total.max(1.0))
        .min(1.0);
    if INFO_PT * scale >= MIN_PRINT_PT {
        ws.set_print_fit_to_pages(1, 1);
    } else {
        // Else pages break before a section heading whose section would not fit the rest of a
        // page already half full: a page does not start with the last rows of a section.
        let page = PRINT_H_PT / (PRINT_W_PT / width_pt).min(1.0);
        let mut tops: Vec<f64> = headings.iter().map(|h| h.1).collect();
        tops.push(total);
        let (mut start, mut breaks) = (0.0, vec![]);
        for (k, &(row, top)) in headings.iter().enumerate() {
            while top - start > page {
                start += page;
            }
            let end = tops[k + 1];
            // Only where the page is at least half full already.
            if end - start > page && top - start >= page / 2.0 && end - top <= page {
                breaks.push(row);
                start = top;
            }
        }
        if !breaks.is_empty() {
            ws.set_page_breaks(&breaks).map_err(xerr)?;
        }
    }
    protect(ws);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 填写说明
// ---------------------------------------------------------------------------------------------

/// Name of the blank template's instructions sheet. It comes last, so that the reader, which
/// looks for tables in sheet order and for `基本信息` by name, never reads it as data; it is the
/// active sheet, so Excel opens the template on it.
pub const INSTRUCTIONS_SHEET: &str = "填写说明";

/// The custom document property that marks a workbook xxgk wrote.
pub const MADE_BY: &str = "生成工具";

/// Stands in [`INSTRUCTIONS`] for the list of checks, one paragraph per rule, written from the
/// rules' own metadata (`Rule::info`) so that the sheet cannot drift from what is checked.
const RULES_HERE: &str = "";

/// One paragraph per rule that judges the report: `T3-ROW（错误）：表三每一行：…`.
fn instruction_rule_lines() -> Vec<String> {
    Rule::ALL
        .iter()
        .filter(|r| r.judges_the_report())
        .map(|r| format!("{}（{}）：{}", r.id(), r.severity_words(), r.description()))
        .collect()
}

/// The instructions: headings and their paragraphs. No paragraph starts with a table's label
/// (the reader finds tables by their labels, in every sheet).
const INSTRUCTIONS: &[(&str, &[&str])] = &[
    (
        "一、填哪些单元格",
        &[
            "只在白色单元格中填写；灰色底色的“总计”由公式自动计算，标签和总计都已锁定，不要改动。",
            "“基本信息”工作表：机关（报告机关的全称）和年度必填；标题、发布日期可留空（标题默认为机关名称加“××××年政府信息公开工作年度报告”，日期写成 2026-01-20 的样子）；“显示零值”留空或选“按数据”时，表格中留空的格子印成空白、填了 0 的印 0；选“是”则一律印 0，选“否”则一律空白。",
            "前言、各部分的“概述”和“分项”写在 C 列（前言和概述为 B:C 合并的单元格）。分项的 B 列只写标题，如“主动公开”，编号（一）（二）和句末的句号由程序加上；用不到的分项行留空即可。最后的“落款”可留空。",
            "“表二”“表三”“表四”工作表：按官方表格的行和列填阿拉伯数字，件数为整数，没有就填 0 或留空；表二的“行政事业性收费”金额单位为万元，可带小数，按所填位数印出。",
        ],
    ),
    (
        "二、文字怎样分段",
        &[
            "在单元格中按 Alt+Enter（WPS 表格相同）换行，换一行就是另起一段；段落之间不必空行，段首也不必空两格，生成 Word 和 PDF 时自动首行缩进两字。",
            "从 Word 等处复制多段文字时，先双击单元格（或点上方的编辑栏）再粘贴，否则各段会被分到下面的几个单元格中。",
        ],
    ),
    (
        "三、程序检查什么",
        &[
            "每条问题都写明规则编号；错误改正后才能生成，警告请核实。检查的规则如下（跨年度的 Y- 规则只在运行 xxgk check 填报.xlsx --previous 上年报告 时核对）：",
            RULES_HERE,
            "总计由公式自动计算：如果在总计单元格里输入了数字，检查时会指出这个单元格，请撤销改动或删除该数字。",
        ],
    ),
    (
        "四、检查和生成",
        &[
            "填好后保存，在命令行中运行 xxgk check 填报.xlsx：列出全部问题，每条都写明工作表和单元格（如 表三!J28）以及怎样改。",
            "没有错误后运行 xxgk render 填报.xlsx，生成 Word、PDF 和 Excel；也可以直接把本文件拖到 xxgk 程序上，检查后在本文件所在的文件夹中生成。",
            "查看全部命令和选项：xxgk --help；每个命令的说明：xxgk check --help 等。",
        ],
    ),
];

const INSTRUCTIONS_WIDTH: f64 = 80.0;

fn instructions_sheet(ws: &mut Worksheet) -> Result<(), Diagnostic> {
    ws.set_name(INSTRUCTIONS_SHEET).map_err(xerr)?;
    ws.set_column_width(0, INSTRUCTIONS_WIDTH).map_err(xerr)?;
    let title = Format::new()
        .set_font_name(HEI)
        .set_font_charset(GB2312)
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let text = Format::new()
        .set_font_name(SONG)
        .set_font_charset(GB2312)
        .set_font_size(INFO_PT)
        .set_text_wrap()
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter);
    let mut row = 0;
    ws.write_string_with_format(row, 0, "政府信息公开工作年度报告填报模板 填写说明", &title)
        .map_err(xerr)?;
    ws.set_row_height(row, 32).map_err(xerr)?;
    row += 1;
    for (heading, paragraphs) in INSTRUCTIONS {
        row += 1;
        ws.write_string_with_format(row, 0, *heading, &heading_format())
            .map_err(xerr)?;
        ws.set_row_height(row, 24).map_err(xerr)?;
        row += 1;
        let rules = instruction_rule_lines();
        let expanded = paragraphs.iter().flat_map(|p| {
            if *p == RULES_HERE {
                rules.clone()
            } else {
                vec![(*p).to_string()]
            }
        });
        for p in expanded {
            let p = hard_wrap(&p, INSTRUCTIONS_WIDTH, INFO_PT);
            ws.write_string_with_format(row, 0, &p, &text)
                .map_err(xerr)?;
            let lines = lines_needed(&p, INSTRUCTIONS_WIDTH, INFO_PT);
            ws.set_row_height(row, lines as f64 * line_height(INFO_PT) + 6.0)
                .map_err(xerr)?;
            row += 1;
        }
    }
    page_setup(ws);
    protect(ws);
    ws.set_active(true);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

/// Total width of each table in column units; split by the grid's weights.
fn table_width(grid: &TableGrid) -> f64 {
    match grid.id {
        TableId::T2 => 84.0,
        // Fifteen columns of 8 units: 结果维持 on one line.
        _ => 120.0,
    }
}

fn column_widths(grid: &TableGrid) -> Vec<f64> {
    if grid.id == TableId::T3 && grid.columns() == 10 {
        // Data columns four characters wide (社会公益/组织 breaks where a reader expects), the
        // category column wide enough for （三）不予公开 on one line.
        let mut w = vec![5.5, 13.5, 27.0];
        w.extend([8.5; 7]);
        return w;
    }
    let sum: f32 = style::column_weights(grid.id).iter().sum();
    let total = table_width(grid);
    style::column_weights(grid.id)
        .iter()
        .map(|w| (total * f64::from(*w) / f64::from(sum) * 10.0).round() / 10.0)
        .collect()
}

fn section_heading(grid: &TableGrid) -> String {
    SECTIONS
        .iter()
        .find(|s| s.kind == SectionKind::Table(grid.id))
        .map(|s| s.heading())
        .unwrap_or_default()
}

fn table_sheet(
    ws: &mut Worksheet,
    grid: &TableGrid,
    report: Option<&Report>,
) -> Result<(), Diagnostic> {
    ws.set_name(grid.name()).map_err(xerr)?;
    let widths = column_widths(grid);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    let last_col = (grid.columns() - 1) as u16;
    ws.merge_range(0, 0, 0, last_col, &section_heading(grid), &heading_format())
        .map_err(xerr)?;
    ws.set_row_height(0, 28).map_err(xerr)?;

    // Where each value sits, for the totals' formulas.
    let pos: HashMap<ValueRef, (u32, u16)> = grid
        .values()
        .map(|(c, v)| (v, (TABLE_TOP + c.row as u32, c.col as u16)))
        .collect();

    let mut heights = vec![20.0f64; grid.rows];
    for cell in &grid.cells {
        let (r0, c0) = (TABLE_TOP + cell.row as u32, cell.col as u16);
        let (r1, c1) = (r0 + cell.rowspan as u32 - 1, c0 + cell.colspan as u16 - 1);
        match cell.content {
            Content::Text(t) => {
                let f = label_format(cell.role);
                let shown = if cell.role == CellRole::Header && cell.colspan == 1 {
                    break_header(t, widths[cell.col], TABLE_PT)
                } else if cell.role == CellRole::Note {
                    // The corner note in lines that never leave its closing bracket alone.
                    let width: f64 = widths[cell.col..cell.col + cell.colspan].iter().sum();
                    hard_wrap(t, width, TABLE_PT)
                } else {
                    t.to_string()
                };
                let t = shown.as_str();
                if r1 > r0 || c1 > c0 {
                    ws.merge_range(r0, c0, r1, c1, t, &f).map_err(xerr)?;
                } else {
                    ws.write_string_with_format(r0, c0, t, &f).map_err(xerr)?;
                }
                if cell.rowspan == 1 {
                    let width: f64 = widths[cell.col..cell.col + cell.colspan].iter().sum();
                    let h = lines_needed(t, width, TABLE_PT) as f64 * line_height(TABLE_PT) + 6.0;
                    heights[cell.row] = heights[cell.row].max(h);
                }
            }
            Content::Value(v) => write_value(ws, (r0, c0, r1, c1), v, report, &pos)?,
        }
    }
    // Cells spanning rows: grow their rows evenly when the text does not fit.
    for cell in grid.cells.iter().filter(|c| c.rowspan > 1) {
        if let Content::Text(t) = cell.content {
            let width: f64 = widths[cell.col..cell.col + cell.colspan].iter().sum();
            let need = lines_needed(t, width, TABLE_PT) as f64 * line_height(TABLE_PT) + 6.0;
            let have: f64 = heights[cell.row..cell.row + cell.rowspan].iter().sum();
            if need > have {
                let extra = (need - have) / cell.rowspan as f64;
                for h in &mut heights[cell.row..cell.row + cell.rowspan] {
                    *h += extra;
                }
            }
        }
    }
    for (r, h) in heights.iter().enumerate() {
        ws.set_row_height(TABLE_TOP + r as u32, (h * 4.0).round() / 4.0)
            .map_err(xerr)?;
    }
    // Robustness: a grid position no cell covers still gets its border.
    let blank = label_format(CellRole::Value);
    for (r, row) in grid.slots().iter().enumerate() {
        for (c, s) in row.iter().enumerate() {
            if *s == format::Slot::Empty {
                ws.write_blank(TABLE_TOP + r as u32, c as u16, &blank)
                    .map_err(xerr)?;
            }
        }
    }

    validations(ws, grid)?;
    page_setup(ws);
    // A table wider than a portrait page is printed across the page (tables 三 and 四), so
    // that it prints at its size and not shrunk to 6 pt: fit to the width, as many pages tall
    // as it needs, its header rows on each.
    let width_pt: f64 = widths.iter().map(|w| column_px(*w) * 0.75).sum();
    if width_pt > PRINT_W_PT {
        ws.set_landscape();
    }
    if grid.header_rows > 0 {
        ws.set_repeat_rows(TABLE_TOP, TABLE_TOP + grid.header_rows as u32 - 1)
            .map_err(xerr)?;
    }
    protect(ws);
    Ok(())
}

fn sum_formula(parts: &[(u32, u16)]) -> String {
    format!("=SUM({})", sum_args(parts))
}

/// `SUM`'s arguments: one range when the parts are contiguous, else each cell (`SUM` rather
/// than `+`, which fails on a blank total's "").
fn sum_args(parts: &[(u32, u16)]) -> String {
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    let same_row =
        parts.iter().all(|p| p.0 == first.0) && parts.windows(2).all(|w| w[1].1 == w[0].1 + 1);
    let same_col =
        parts.iter().all(|p| p.1 == first.1) && parts.windows(2).all(|w| w[1].0 == w[0].0 + 1);
    if same_row || same_col {
        format!("{}:{}", a1(first.0, first.1), a1(last.0, last.1))
    } else {
        let refs: Vec<String> = parts.iter().map(|p| a1(p.0, p.1)).collect();
        refs.join(",")
    }
}

/// A total that stays empty while every part is (`COUNT` counts the numbers filled in).
fn blank_or_sum_formula(parts: &[(u32, u16)]) -> String {
    let args = sum_args(parts);
    format!("=IF(COUNT({args})=0,\"\",SUM({args}))")
}

fn write_value(
    ws: &mut Worksheet,
    (r0, c0, r1, c1): (u32, u16, u32, u16),
    v: ValueRef,
    report: Option<&Report>,
    pos: &HashMap<ValueRef, (u32, u16)>,
) -> Result<(), Diagnostic> {
    let show_zero = report.is_none_or(|r| r.prints_zero(v));
    let total = v.is_total();
    let mut fmt = match (v, report) {
        (ValueRef::T2Fee, Some(r)) => fee_format(&r.table2.fee, show_zero),
        (ValueRef::T2Fee, None) => value_format("General", false),
        (_, Some(r)) => {
            let c = count_of(r, v);
            let note = if note_fits_format(&c.note, 0, show_zero) {
                c.note.as_deref()
            } else {
                None
            };
            value_format(&number_format(0, note, show_zero), total)
        }
        (_, None) => value_format(&number_format(0, None, true), total),
    };
    if r1 > r0 || c1 > c0 {
        ws.merge_range(r0, c0, r1, c1, "", &fmt).map_err(xerr)?;
    }
    if v == ValueRef::T2Fee {
        return match report {
            Some(r) => write_fee(ws, (r0, c0), &r.table2.fee, &fmt, show_zero),
            None => ws.write_blank(r0, c0, &fmt).map(|_| ()).map_err(xerr),
        };
    }
    if total {
        let parts = v.parts();
        let refs: Vec<(u32, u16)> = parts.iter().filter_map(|p| pos.get(p).copied()).collect();
        let (value, blank, consistent) = match report {
            Some(r) => {
                let t = count_of(r, v);
                let sum = Count::total_of(parts.iter().map(|p| count_of(r, *p)));
                (
                    t.value,
                    t.blank,
                    t.value == sum.value && t.blank == sum.blank,
                )
            }
            None => (0, true, true),
        };
        let note_ok = report.is_none_or(|r| note_fits_format(&count_of(r, v).note, 0, show_zero));
        if consistent && note_ok && refs.len() == parts.len() && !refs.is_empty() {
            // Zeros as the data says (no 显示零值): the total is blank while every part is, as
            // the documents print it.
            let as_given = report.is_none_or(|r| r.show_zero.is_none());
            let (formula, result) = if as_given {
                let result = if blank {
                    String::new()
                } else {
                    value.to_string()
                };
                (blank_or_sum_formula(&refs), result)
            } else {
                (sum_formula(&refs), value.to_string())
            };
            let formula = Formula::new(formula).set_result(result);
            ws.write_formula_with_format(r0, c0, formula, &fmt)
                .map_err(xerr)?;
            return Ok(());
        }
        // A total given as a number is data: unlocked, so that the reader does not take it
        // for a formula a clerk typed over.
        fmt = fmt.set_unlocked();
    }
    match report {
        Some(r) => {
            let c = count_of(r, v);
            // A cell left empty stays empty, whatever 显示零值 says: the workbook keeps the data.
            if c.blank && c.value == 0 && c.note.is_none() {
                ws.write_blank(r0, c0, &fmt).map_err(xerr)?;
            } else if note_fits_format(&c.note, 0, show_zero) {
                ws.write_number_with_format(r0, c0, c.value as f64, &fmt)
                    .map_err(xerr)?;
            } else {
                // A long note does not fit a number format: the official text form instead.
                let text = format!("{}（{}）", c.value, c.note.as_deref().unwrap_or(""));
                ws.write_string_with_format(r0, c0, text, &fmt)
                    .map_err(xerr)?;
            }
        }
        None => {
            ws.write_blank(r0, c0, &fmt).map_err(xerr)?;
        }
    }
    Ok(())
}

fn count_of(r: &Report, v: ValueRef) -> &Count {
    match r.cell(v) {
        crate::model::CellValue::Count(c) => c,
        // Only the fee is an amount; callers never ask for it here.
        crate::model::CellValue::Amount(_) => &ZERO,
    }
}

static ZERO: Count = Count::BLANK;

/// Digits after the point of a decimal as written.
fn scale(a: &Amount) -> usize {
    let s = a.value.to_string();
    s.split_once('.').map(|(_, d)| d.len()).unwrap_or(0)
}

/// Whether the double of the fee prints back as the exact digits written.
fn fee_is_exact(a: &Amount) -> bool {
    format!("{:.*}", scale(a), a.value.to_f64()) == a.value.to_string()
}

fn fee_format(a: &Amount, show_zero: bool) -> Format {
    let note = if note_fits_format(&a.note, scale(a), show_zero) {
        a.note.as_deref()
    } else {
        None
    };
    if fee_is_exact(a) {
        value_format(&number_format(scale(a), note, show_zero), false)
    } else {
        value_format("@", false)
    }
}

fn write_fee(
    ws: &mut Worksheet,
    (r, c): (u32, u16),
    a: &Amount,
    fmt: &Format,
    show_zero: bool,
) -> Result<(), Diagnostic> {
    if a.blank && a.value.is_zero() && a.note.is_none() {
        ws.write_blank(r, c, fmt).map_err(xerr)?;
    } else if fee_is_exact(a) && note_fits_format(&a.note, scale(a), show_zero) {
        ws.write_number_with_format(r, c, a.value.to_f64(), fmt)
            .map_err(xerr)?;
    } else {
        let text = match &a.note {
            Some(n) if !n.trim().is_empty() => format!("{}（{n}）", a.value),
            _ => a.value.to_string(),
        };
        ws.write_string_with_format(r, c, text, fmt).map_err(xerr)?;
    }
    Ok(())
}

/// Whole numbers ≥ 0 on count cells, decimals ≥ 0 on the fee; one rule per horizontal run.
fn validations(ws: &mut Worksheet, grid: &TableGrid) -> Result<(), Diagnostic> {
    let count = DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(0, format::MAX_COUNT as i32))
        .set_error_title("数量")
        .map_err(xerr)?
        .set_error_message("请输入大于或等于0的整数（件数）。")
        .map_err(xerr)?;
    let fee = DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_error_title("金额")
        .map_err(xerr)?
        .set_error_message("请输入大于或等于0的金额（单位：万元），可带小数。")
        .map_err(xerr)?;
    let mut inputs: Vec<(u32, u16, bool)> = grid
        .values()
        .filter(|(_, v)| !v.is_total())
        .map(|(c, v)| (TABLE_TOP + c.row as u32, c.col as u16, v == ValueRef::T2Fee))
        .collect();
    inputs.sort();
    let mut i = 0;
    while i < inputs.len() {
        let (r, c, is_fee) = inputs[i];
        let mut j = i + 1;
        while j < inputs.len()
            && inputs[j].0 == r
            && inputs[j].1 == inputs[j - 1].1 + 1
            && inputs[j].2 == is_fee
        {
            j += 1;
        }
        let last = inputs[j - 1].1;
        ws.add_data_validation(r, c, r, last, if is_fee { &fee } else { &count })
            .map_err(xerr)?;
        i = j;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(number_format(0, None, true), "0");
        assert_eq!(number_format(2, None, true), "0.00");
        assert_eq!(
            number_format(0, Some("其中修订16件"), true),
            "0\"（其中修订16件）\""
        );
        assert_eq!(number_format(0, None, false), "0;-0;;@");
        assert_eq!(number_format(0, Some("a\"b"), true), "0\"（a\"\\\"\"b）\"");
    }

    #[test]
    fn header_breaks() {
        assert_eq!(break_header("社会公益组织", 8.5, 10.0), "社会公益\n组织");
        assert_eq!(break_header("商业企业", 8.5, 10.0), "商业企业");
        assert_eq!(lines_needed("商业企业", 8.5, 10.0), 1);
        assert_eq!(lines_needed("结果维持", 8.0, 10.0), 1);
        assert_eq!(lines_needed("第一段\n第二段", 80.0, 10.0), 2);
    }

    #[test]
    fn sums() {
        assert_eq!(sum_formula(&[(4, 3), (4, 4), (4, 5)]), "=SUM(D5:F5)");
        assert_eq!(sum_formula(&[(4, 3), (5, 3)]), "=SUM(D5:D6)");
        assert_eq!(sum_formula(&[(4, 3), (6, 3)]), "=SUM(D5,D7)");
        assert_eq!(
            blank_or_sum_formula(&[(4, 3), (4, 4)]),
            "=IF(COUNT(D5:E5)=0,\"\",SUM(D5:E5))"
        );
    }
}
