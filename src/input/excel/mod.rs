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
//! metadata and texts, `doubt` the warnings for a foreign document's cells that were not plain
//! figures and labels that matched only closely; this module opens the workbook and ties them
//! together.

mod doubt;
mod formula;
mod labels;
mod meta;
mod sheets;
mod tables;
mod values;

use super::{zipguard, Parsed};
use crate::diag::{Diagnostic, Location, Place, Rule, TextPart};
use crate::spec::format::{self, ValueRef, SECTIONS};
use calamine::SheetVisible;
use calamine::{Reader, Xlsx, XlsxError};
use sheets::{Loader, Sheet};
use std::collections::HashSet;
use std::io::{Cursor, Read};

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
            format!(
                "工作簿的结构部分（工作表清单、共享字符串或样式）已损坏，无法读取：{}",
                crate::input::number::cut_to(&e.to_string(), 160)
            )
        }
        _ => format!(
            "无法读取 Excel 文件（应为 .xlsx 工作簿）：{}",
            crate::input::number::cut_to(&e.to_string(), 160)
        ),
    }
}

fn read_workbook(bytes: &[u8]) -> Parsed {
    // Untrusted bytes never reach calamine: only the checked, stored copy does.
    let safe = match zipguard::repack(bytes) {
        Ok(b) => b,
        Err(msg) => return syntax(msg),
    };
    let recalc = recalc_on_load(&safe);
    let mut wb = match Xlsx::new(Cursor::new(safe)) {
        Ok(wb) => wb,
        Err(e) => return syntax(open_error(&e)),
    };
    let mut loader = Loader {
        recalc,
        ..Loader::default()
    };
    let sheets_meta: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|m| (m.name.clone(), m.visible == SheetVisible::Visible))
        .collect();
    let mut sheets = vec![];
    for (name, visible) in sheets_meta {
        if loader.budget.exhausted {
            break;
        }
        if let Some(sheet) = loader.read_sheet(&mut wb, name, visible) {
            sheets.push(sheet);
        }
    }
    let mut r = ReadState {
        sheets,
        parsed: Parsed {
            complete: true,
            diagnostics: loader.diags,
            ..Parsed::default()
        },
        derived: vec![],
        typed_totals: vec![],
        date1904: wb.has_1904_epoch(),
        lost: loader.lost,
        refused: HashSet::new(),
        foreign: false,
        doubts: vec![],
    };
    r.read_info();
    r.read_t2();
    r.read_t3();
    r.read_t4();
    r.compute_derived();
    r.parsed
}

/// A sheet of text cells made from another kind of document (the tables of a web page, a Word
/// file or a PDF, and their text): read by the same label finder as a workbook's sheets.
pub(crate) struct GridSheet {
    pub name: String,
    /// 0-based (row, column) → the cell's text; blank cells are absent.
    pub cells: std::collections::BTreeMap<(u32, u32), String>,
    /// Merged areas: first and last (row, column), both included.
    pub merges: Vec<((u32, u32), (u32, u32))>,
}

/// Reads a report from [`GridSheet`]s as from a workbook's sheets: 机关, 年度 and the texts from
/// a sheet laid out as our `基本信息`, the tables by their labels. The sheets come from a foreign
/// document, so every value and row label not read exactly carries an IMPORT warning (`doubt`).
pub(crate) fn read_grids(grids: Vec<GridSheet>) -> Parsed {
    let sheets = grids
        .into_iter()
        .map(|g| {
            let cells = g
                .cells
                .into_iter()
                .filter(|(_, t)| !t.trim().is_empty())
                .map(|(k, t)| (k, calamine::Data::String(t)))
                .collect();
            let merges = g
                .merges
                .into_iter()
                .map(|(start, end)| calamine::Dimensions { start, end })
                .collect();
            Sheet::new(
                g.name,
                cells,
                merges,
                HashSet::new(),
                Default::default(),
                Default::default(),
            )
        })
        .collect();
    let mut r = ReadState {
        sheets,
        parsed: Parsed {
            complete: true,
            ..Parsed::default()
        },
        derived: vec![],
        typed_totals: vec![],
        date1904: false,
        lost: vec![],
        refused: HashSet::new(),
        foreign: true,
        doubts: vec![],
    };
    r.read_info();
    r.read_t2();
    r.read_t3();
    r.read_t4();
    r.compute_derived();
    r.emit_doubts();
    r.parsed
}

/// Whether the workbook asks for every formula to be recalculated when it is opened
/// (`<calcPr fullCalcOnLoad="1"/>`): then the results it holds were never calculated.
fn recalc_on_load(bytes: &[u8]) -> bool {
    let Ok(mut z) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let Ok(part) = z.by_name("xl/workbook.xml") else {
        return false;
    };
    let mut xml = String::new();
    // zipguard has bounded every part already; the workbook part is a few kilobytes.
    if part.take(4 << 20).read_to_string(&mut xml).is_err() {
        return false;
    }
    xml.split("<calcPr")
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
        .any(|attrs| {
            attrs.contains("fullCalcOnLoad=\"1\"") || attrs.contains("fullCalcOnLoad=\"true\"")
        })
}

/// Whether a sheet's name carries a year other than the report's (`2022年表三` in a 2023 report):
/// last year's table kept in the workbook. Unknown year (0): no.
fn names_other_year(name: &str, year: u16) -> bool {
    if year == 0 {
        return false;
    }
    let digits: Vec<char> = crate::input::suggest::fold_width(name).chars().collect();
    digits.windows(4).enumerate().any(|(i, w)| {
        let bounded = (i == 0 || !digits[i - 1].is_ascii_digit())
            && digits.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        let text: String = w.iter().collect();
        bounded
            && w.iter().all(|c| c.is_ascii_digit())
            && text
                .parse::<u16>()
                .is_ok_and(|y| (1990..2100).contains(&y) && y != year)
    })
}

struct ReadState {
    pub(super) sheets: Vec<Sheet>,
    pub(super) parsed: Parsed,
    /// Totals that were formulas or blank: recomputed at the end.
    pub(super) derived: Vec<ValueRef>,
    /// Totals our template writes as formulas that hold a number: (value, sheet, row, column).
    pub(super) typed_totals: Vec<(ValueRef, usize, u32, u32)>,
    /// The workbook counts dates from 1904 (`<workbookPr date1904="1"/>`, old Mac Excel).
    pub(super) date1904: bool,
    /// Sheets that could not be read at all.
    pub(super) lost: Vec<String>,
    /// Formula cells already reported as having no known value: (sheet, row, column).
    pub(super) refused: HashSet<(usize, u32, u32)>,
    /// The sheets were made from a foreign document (`read_grids`), not read from a workbook:
    /// a value whose cell is not a plain figure, or a label matched only tolerantly, is read
    /// with a warning (`doubt`).
    pub(super) foreign: bool,
    /// Values read with doubt, reported at the end (`doubt`).
    pub(super) doubts: Vec<doubt::CellDoubt>,
}

impl ReadState {
    /// What the labels were looked for in, for messages: a workbook, or a published document.
    fn source_noun(&self) -> &'static str {
        if self.foreign {
            "文档"
        } else {
            "工作簿"
        }
    }

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

    /// Why something may be missing because a sheet could not be read: sheet `s` read only in
    /// part, or (without `s`) any sheet lost or read in part. The cause itself is a SYNTAX error
    /// listed first; this only points back at it.
    fn damage_note(&self, s: Option<usize>) -> Option<String> {
        let cut = crate::input::number::cut;
        let part = |s: usize| {
            let sheet = &self.sheets[s];
            sheet.damaged.map(|(r, c)| {
                format!(
                    "工作表“{}”在 {} 之后已损坏，没有读完",
                    cut(&sheet.name),
                    crate::spec::workbook::a1(r, c.min(u32::from(u16::MAX)) as u16)
                )
            })
        };
        match s {
            Some(s) => part(s),
            None => {
                let mut notes: Vec<String> = self
                    .lost
                    .iter()
                    .map(|n| format!("工作表“{}”已损坏，无法读取", cut(n)))
                    .collect();
                notes.extend((0..self.sheets.len()).filter_map(part));
                (!notes.is_empty()).then(|| notes.join("；"))
            }
        }
    }

    /// The sheets in the order they are searched: the visible ones first, each in workbook order.
    fn sheet_order(&self) -> Vec<usize> {
        let (mut shown, hidden): (Vec<usize>, Vec<usize>) =
            (0..self.sheets.len()).partition(|&s| self.sheets[s].visible);
        shown.extend(hidden);
        shown
    }

    /// The sheet `what` (a table, the 基本信息) is read from, among the sheets that hold it with
    /// a score (how much of it each holds): a visible sheet before a hidden one, then the sheet
    /// named exactly `own`, then the higher score, then the first in the workbook — never a
    /// hidden copy or an old year's sheet that comes first. When several sheets hold it, or the
    /// one used is hidden, a warning says which was used and why.
    fn choose_sheet(&mut self, what: &str, own: &str, found: &[(usize, usize)]) -> Option<usize> {
        let year = self.parsed.report.year;
        let key = |&(s, score): &(usize, usize)| {
            let sheet = &self.sheets[s];
            (
                sheet.visible,
                sheet.name.trim() == own,
                !names_other_year(&sheet.name, year),
                score,
                std::cmp::Reverse(s),
            )
        };
        let mut ranked: Vec<(usize, usize)> = found.to_vec();
        ranked.sort_by_key(|c| std::cmp::Reverse(key(c)));
        ranked.dedup_by_key(|c| c.0);
        let &(chosen, _) = ranked.first()?;
        let name = |s: usize| {
            let sheet = &self.sheets[s];
            let hidden = if sheet.visible { "" } else { "（隐藏）" };
            format!("“{}”{hidden}", crate::input::number::cut(&sheet.name))
        };
        let msg = match ranked.get(1) {
            Some(second) => {
                let (a, b) = (key(&ranked[0]), key(second));
                let why = if a.0 != b.0 {
                    "它是可见的工作表，别的是隐藏的".to_string()
                } else if a.1 != b.1 {
                    format!("它的名称正是“{own}”")
                } else if a.2 != b.2 {
                    format!("别的工作表名称中的年份不是 {year} 年")
                } else if a.3 != b.3 {
                    format!("它含有的{what}内容最全")
                } else {
                    "它在工作簿中排在最前".to_string()
                };
                let all: Vec<String> = ranked.iter().map(|c| name(c.0)).collect();
                format!(
                    "工作簿中有 {} 个工作表含有{what}：{}；读取的是{}，因为{why}，其余的已忽略",
                    ranked.len(),
                    all.join("、"),
                    name(chosen)
                )
            }
            None if !self.sheets[chosen].visible => format!(
                "{what}取自隐藏的工作表“{}”：在 Excel 或 WPS 中看不到这张表",
                crate::input::number::cut(&self.sheets[chosen].name)
            ),
            None => return Some(chosen),
        };
        let loc = self.sheets[chosen].location(0, 0);
        self.parsed.diagnostics.push(
            Diagnostic::warning(Rule::Schema, msg)
                .at(loc)
                .with_hint("请确认读取的是要公开的数字；不用的工作表请删除，或移出这个工作簿"),
        );
        Some(chosen)
    }

    /// When the cell (or the top-left cell of its merged range) is a formula whose value is
    /// unknown, reports it once (VALUE, at the cell) and returns true: its value is never taken
    /// as blank or 0.
    fn refuse_uncached(&mut self, s: usize, r: u32, c: u32, place: Option<Place>) -> bool {
        let (r, c) = self.sheets[s]
            .anchor
            .get(&(r, c))
            .map(|m| m.start)
            .unwrap_or((r, c));
        let Some(f) = self.sheets[s].uncached.get(&(r, c)) else {
            return false;
        };
        if !self.refused.insert((s, r, c)) {
            return true;
        }
        let name = &self.sheets[s].name;
        let at = crate::spec::workbook::a1(r, c.min(u32::from(u16::MAX)) as u16);
        let formula = if f.is_empty() {
            String::new()
        } else {
            format!(
                "“={}”",
                crate::input::number::cut(f.trim_start_matches('='))
            )
        };
        let msg = format!(
            "{name}!{at} 是公式{formula}，但工作簿中没有保存它的计算结果（用程序生成或转换的工作簿常这样），无法得知它的值"
        );
        let loc = self.sheets[s].location(r, c);
        let mut d = Diagnostic::error(Rule::Value, msg)
            .at(loc)
            .with_hint("请用 Excel 或 WPS 打开该工作簿，保存后再试（保存时会算出公式的结果）；或把公式改为直接填写数字");
        d.place = place;
        self.parsed.diagnostics.push(d);
        true
    }
}
