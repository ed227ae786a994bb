//! Reading reports from Excel workbooks (calamine).
//!
//! Tables are found by their labels, never by fixed coordinates: our own workbook
//! (`crate::render::xlsx`) is one layout among many. Labels are compared after normalising
//! full/half width, spaces, line breaks, punctuation and the numbering prefix (`一、`, `（三）`,
//! `1.`, `1、`), so `商业\n企业`, `(三)不予公开` and `1、属于国家秘密` all match. Table 三's repeated item
//! labels are told apart by their category (`（三）不予公开` …, usually a cell merged over the
//! category's rows; an unmerged, blank category cell continues the one above).
//!
//! Values: numbers, numbers stored as text (`"12"`), whole floats, blanks (= 0). A note is read
//! from the cell's number format literal (`0"（其中修订16件）"`, what our writer produces) or from a
//! text cell `22（其中修订16件）`. The fee's digits come from the number format's decimals. A total
//! cell holding a formula or left blank is "not given": it is recomputed from its parts (a cached
//! formula result is never trusted — it is 0 in many files). A plain number in a total is given and
//! left for the validator to check — except in a total our template writes as a formula (its sheet,
//! its cell, locked): there a number that differs from the sum of the parts was typed over the
//! formula, and is reported as such (VALUE, “表三!J28 的总计公式被改成了数字 99”); the total then
//! takes the formula's value, so the sum rules do not report the same cell again.
//!
//! Texts (前言, 概述, 分项内容): in a cell, one line break (Alt+Enter) starts a paragraph, so each
//! break between two lines with text becomes a blank line, the model's paragraph break.
//!
//! Hostile files: calamine only ever sees the copy `zipguard` re-packs after checking the zip
//! (sizes, ratio, CRC; old `.xls`, encrypted and truncated files are named as such), and sheets
//! are streamed cell by cell into a sparse map — never through calamine's `Range`, whose
//! rectangle one cell at XFD1048576 makes 17 billion cells wide. Only cells inside
//! [`MAX_ROWS`] × [`MAX_COLS`] are kept; [`MAX_SHEET_CELLS`], [`MAX_WORKBOOK_CELLS`] and
//! [`MAX_TEXT_BYTES`] bound the rest. Every refusal is a SYNTAX error naming the part or sheet.
//!
//! By job: `sheets` loads the hostile workbook, `labels` compares cell texts with labels,
//! `values` is the cell value grammar, `tables` finds and reads the three tables, `meta` the
//! metadata and texts; this module opens the workbook and ties them together.

mod labels;
mod meta;
mod sheets;
mod tables;
mod values;

use super::{zipguard, Parsed};
use crate::diag::{Diagnostic, Location, Place, Rule, TextPart};
use crate::spec::format::{self, ValueRef, SECTIONS};
use calamine::{Reader, Xlsx, XlsxError};
use sheets::{read_sheet, Budget, Sheet, Styles};
use std::io::Cursor;

pub use zipguard::{MAX_PARTS, MAX_PART_BYTES, MAX_RATIO, MAX_TOTAL_BYTES, RATIO_FROM_BYTES};

/// Only cells in the first 10,000 rows are kept: a report's tables fill about 100.
pub const MAX_ROWS: u32 = 10_000;

/// Only cells in the first 256 columns (A–IV) are kept: a report's tables fill about 10.
pub const MAX_COLS: u32 = 256;

/// The most cells one sheet may hold (200,000): beyond, the sheet is not read further.
pub const MAX_SHEET_CELLS: usize = 200_000;

/// The most cells all sheets together may hold (1,000,000): beyond, no further sheet is read.
pub const MAX_WORKBOOK_CELLS: usize = 1_000_000;

/// The most text (64 MiB) the kept cells may hold together: a shared string is copied into
/// every cell that refers to it.
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// Reads a workbook: our own layout and the tables as other offices lay them out.
pub fn read_bytes(bytes: &[u8]) -> Parsed {
    // calamine parses untrusted XML; a panic inside it must not end the program.
    match std::panic::catch_unwind(|| read_workbook(bytes)) {
        Ok(p) => p,
        Err(_) => syntax("无法读取该 Excel 文件：文件已损坏".to_string()),
    }
}

fn syntax(message: String) -> Parsed {
    Parsed {
        diagnostics: vec![Diagnostic::error(Rule::Syntax, message)],
        complete: false,
        ..Parsed::default()
    }
}

/// What calamine's error when opening the workbook means.
fn open_error(e: &XlsxError) -> String {
    match e {
        XlsxError::Password => {
            "该工作簿设置了打开密码（已加密），无法读取：请取消密码后另存为 .xlsx".to_string()
        }
        XlsxError::FileNotFound(part) => format!(
            "zip 压缩包中没有 {part}：这不是 Excel 工作簿，或文件已损坏；请在 Excel 中另存为 .xlsx"
        ),
        XlsxError::Xml(_) | XlsxError::XmlAttr(_) | XlsxError::XmlEof(_) => {
            format!("工作簿的结构部分（工作表清单、共享字符串或样式）已损坏，无法读取：{e}")
        }
        _ => format!("无法读取 Excel 文件（应为 .xlsx 工作簿）：{e}"),
    }
}

fn read_workbook(bytes: &[u8]) -> Parsed {
    // Untrusted bytes never reach calamine: only the checked, stored copy does.
    let safe = match zipguard::repack(bytes) {
        Ok(b) => b,
        Err(msg) => return syntax(msg),
    };
    let mut wb = match Xlsx::new(Cursor::new(safe)) {
        Ok(wb) => wb,
        Err(e) => return syntax(open_error(&e)),
    };
    let mut diagnostics = vec![];
    let mut budget = Budget::default();
    let mut sheets = vec![];
    let mut formats: Option<Styles> = None;
    for name in wb.sheet_names() {
        if budget.exhausted {
            break;
        }
        if let Some(sheet) = read_sheet(&mut wb, name, &mut budget, &mut formats, &mut diagnostics)
        {
            sheets.push(sheet);
        }
    }
    let mut r = ReadState {
        sheets,
        parsed: Parsed {
            complete: true,
            diagnostics,
            ..Parsed::default()
        },
        derived: vec![],
        typed_totals: vec![],
    };
    r.read_info();
    r.read_t2();
    r.read_t3();
    r.read_t4();
    r.compute_derived();
    r.parsed
}

struct ReadState {
    pub(super) sheets: Vec<Sheet>,
    pub(super) parsed: Parsed,
    /// Totals that were formulas or blank: recomputed at the end.
    pub(super) derived: Vec<ValueRef>,
    /// Totals our template writes as formulas that hold a number: (value, sheet, row, column).
    pub(super) typed_totals: Vec<(ValueRef, usize, u32, u32)>,
}

impl ReadState {
    fn error(&mut self, rule: Rule, msg: String, loc: Location, place: Option<Place>) {
        let d = Diagnostic::error(rule, msg).at(loc);
        self.parsed.diagnostics.push(Diagnostic { place, ..d });
    }

    fn warn(&mut self, rule: Rule, msg: String, loc: Location) {
        self.parsed
            .diagnostics
            .push(Diagnostic::warning(rule, msg).at(loc));
    }

    fn locate(&mut self, place: impl Into<Place>, s: usize, r: u32, c: u32) {
        let loc = self.sheets[s].location(r, c);
        self.parsed.locations.insert(place.into(), loc);
    }

    /// Locates a part of section `i` when it is a text section (a table section's heading may
    /// be followed by text rows in a hand-made sheet: they are read, but have no place).
    fn locate_text(&mut self, i: usize, part: TextPart, s: usize, r: u32, c: u32) {
        if let format::SectionKind::Text(section) = SECTIONS[i].kind {
            self.locate(Place::text(section, part), s, r, c);
        }
    }

    fn unreadable(&mut self, v: ValueRef) {
        self.parsed.unreadable.insert(v);
    }
}
