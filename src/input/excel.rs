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

use super::{zipguard, Parsed};
use crate::diag::{CellRef, Diagnostic, Key, Location, Place, Rule, TextPart};
use crate::model::{Amount, Count, Date, Decimal, Report, Section, Signature, Subsection, Text};
use crate::spec::format::{
    self, keys, TableId, ValueRef, SECTIONS, T2_AMOUNT_ROW, T2_COUNT_ROWS, T2_TRIPLE_KEYS,
    T2_TRIPLE_LABELS, T2_TRIPLE_ROWS, T3_CATEGORIES, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS,
};
use crate::spec::workbook::{
    a1, AS_GIVEN, BODY_LABELS, INFO_SHEET, NO, TABLE_TOP, YEAR_LABELS, YES,
};
use calamine::{Data, DataRef, Dimensions, Reader, Xlsx, XlsxError};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;
use std::rc::Rc;

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

/// What all sheets read so far have used.
#[derive(Default)]
struct Budget {
    cells: usize,
    text_bytes: usize,
    /// A workbook-wide limit was reached: no further sheet is read.
    exhausted: bool,
}

fn sheet_loc(sheet: &str, (r, c): (u32, u32)) -> Location {
    Location::Sheet {
        sheet: sheet.to_string(),
        cell: CellRef::new(r, c),
    }
}

/// Streams one sheet into a sparse [`Sheet`]: never through calamine's `Range`, which allocates
/// the whole rectangle from A1 to the farthest cell (one cell at XFD1048576 is 17 billion cells).
/// Cells beyond [`MAX_ROWS`] × [`MAX_COLS`] are dropped with one warning.
fn read_sheet(
    wb: &mut Xlsx<Cursor<Vec<u8>>>,
    name: String,
    budget: &mut Budget,
    formats: &mut Option<Styles>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Sheet> {
    let corrupt = |e: &XlsxError, at: Option<(u32, u32)>| {
        let msg = format!("工作表“{name}”的内容已损坏，无法完整读取（{e}）");
        let d = Diagnostic::error(Rule::Syntax, msg);
        match at {
            Some(p) => d.at(sheet_loc(&name, p)),
            None => d.at(sheet_loc(&name, (0, 0))),
        }
    };
    let mut cells = BTreeMap::new();
    let mut fset = HashSet::new();
    let mut outside: Option<(u32, u32)> = None;
    {
        let mut reader = match wb.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A chart sheet, a dialog sheet: no cells.
            Err(XlsxError::NotAWorksheet(_)) => return None,
            Err(e) => {
                diags.push(corrupt(&e, None));
                return None;
            }
        };
        if formats.is_none() {
            *formats = Some(Rc::new(
                reader
                    .styles()
                    .iter()
                    .map(|s| StyleInfo {
                        format: s.number_format.as_ref().map(|n| n.format_code.clone()),
                        // Cells are locked unless their style says otherwise (OOXML).
                        locked: s.protection.as_ref().is_none_or(|p| p.locked),
                    })
                    .collect(),
            ));
        }
        let mut count = 0usize;
        let mut last = None;
        loop {
            let rec = match reader.next_cell_with_formula_metadata() {
                Ok(Some(rec)) => rec,
                Ok(None) => break,
                Err(e) => {
                    diags.push(corrupt(&e, last));
                    break;
                }
            };
            let pos = rec.pos;
            last = Some(pos);
            count += 1;
            budget.cells += 1;
            if count > MAX_SHEET_CELLS {
                diags.push(
                    Diagnostic::error(
                        Rule::Syntax,
                        format!(
                            "工作表“{name}”的单元格超过 {MAX_SHEET_CELLS} 个，不像正常的报告工作表，已停止读取该表"
                        ),
                    )
                    .at(sheet_loc(&name, pos)),
                );
                break;
            }
            if budget.cells > MAX_WORKBOOK_CELLS {
                diags.push(
                    Diagnostic::error(
                        Rule::Syntax,
                        format!(
                            "工作簿的单元格合计超过 {MAX_WORKBOOK_CELLS} 个，不像正常的报告工作簿，已停止读取"
                        ),
                    )
                    .at(sheet_loc(&name, pos)),
                );
                budget.exhausted = true;
                break;
            }
            if pos.0 >= MAX_ROWS || pos.1 >= MAX_COLS {
                outside.get_or_insert(pos);
                continue;
            }
            let is_formula = match &rec.formula {
                None => false,
                Some(calamine::XlsxFormulaMetadata::Normal { formula }) => {
                    !formula.trim().is_empty()
                }
                Some(_) => true,
            };
            if is_formula {
                fset.insert(pos);
            }
            let value = match rec.value {
                DataRef::Empty => continue,
                v => Data::from(v),
            };
            if let Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) = &value {
                budget.text_bytes += s.len();
                if budget.text_bytes > MAX_TEXT_BYTES {
                    diags.push(
                        Diagnostic::error(
                            Rule::Syntax,
                            format!(
                                "工作簿中的文字合计超过 {} MB，不像正常的报告工作簿，已停止读取",
                                MAX_TEXT_BYTES / (1024 * 1024)
                            ),
                        )
                        .at(sheet_loc(&name, pos)),
                    );
                    budget.exhausted = true;
                    break;
                }
            }
            cells.insert(pos, value);
        }
    }
    // Number formats (notes such as `0"（其中修订16件）"`, the fee's decimals), by style id.
    let mut styled = HashMap::new();
    if let Ok(mut reader) = wb.worksheet_cells_reader(&name) {
        let mut count = 0usize;
        while let Ok(Some((r, c, id))) = reader.next_style_id() {
            count += 1;
            if count > MAX_SHEET_CELLS {
                break;
            }
            if r < MAX_ROWS && c < MAX_COLS {
                styled.insert((r, c), id);
            }
        }
    }
    if let Some((r, c)) = outside {
        diags.push(
            Diagnostic::warning(
                Rule::Syntax,
                format!(
                    "工作表“{name}”在前 {MAX_ROWS} 行、前 {MAX_COLS} 列以外有单元格（第一个是 {name}!{}），报告的表格不会在那里，这些单元格已忽略",
                    a1(r, c.min(u32::from(u16::MAX)) as u16)
                ),
            )
            .at(sheet_loc(&name, (r, c))),
        );
    }
    let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
    let formats = formats.clone().unwrap_or_default();
    Some(Sheet::new(name, cells, merges, fset, styled, formats))
}

// ---------------------------------------------------------------------------------------------
// Normalising labels
// ---------------------------------------------------------------------------------------------

/// Full-width ASCII and the ideographic space to their half-width forms.
fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "一二三四五六七八九十".contains(c)
}

/// Drops a numbering prefix: `一、`, `(三)`, `1.`, `1、`, `十一、` (on width-folded text).
fn strip_numbering(s: &str) -> &str {
    let s = s.trim_start();
    if let Some(rest) = s.strip_prefix('(') {
        if let Some(end) = rest.find(')') {
            let inner = &rest[..end];
            if !inner.is_empty() && inner.chars().all(is_numeral) {
                return rest[end + 1..].trim_start_matches(['、', '.', ' ']);
            }
        }
        return s;
    }
    let n: usize = s
        .chars()
        .take_while(|c| is_numeral(*c))
        .map(char::len_utf8)
        .sum();
    if n > 0 {
        let rest = &s[n..];
        if let Some(r) = rest.strip_prefix(['、', '.', ',']) {
            return r;
        }
    }
    s
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || "、，。；：“”‘’《》〈〉【】〔〕—…·".contains(c)
}

/// The comparable form of a label.
pub(crate) fn normalize(s: &str) -> String {
    let folded = fold_width(s);
    strip_numbering(folded.trim())
        .chars()
        .filter(|c| !c.is_whitespace() && !is_punct(*c))
        .collect()
}

/// Edit distance between two short strings, counted in characters.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// How well a normalised cell text matches an official label: 3 exact, 2 the key (label without
/// remark), 1 starts with the key (a long label cut or reworded at its end), 0 no.
fn match_score(cell: &str, label: &str, key: &str) -> u8 {
    let (l, k) = (normalize(label), normalize(key));
    if cell == l {
        3
    } else if cell == k {
        2
    } else if k.chars().count() >= 4 && cell.starts_with(&k) {
        1
    } else {
        0
    }
}

/// A typo of a label: few edits relative to its length (`其他法律行政止公开`).
fn fuzzy_close(cell: &str, label: &str) -> Option<usize> {
    let l = normalize(label);
    let n = l.chars().count();
    if n < 5 {
        return None;
    }
    let d = distance(cell, &l);
    (d <= (n / 4).max(1)).then_some(d)
}

// ---------------------------------------------------------------------------------------------
// Sheets
// ---------------------------------------------------------------------------------------------

/// What the reader uses of a cell style.
struct StyleInfo {
    /// Number format code (notes such as `0"（其中修订16件）"`, the fee's decimals).
    format: Option<String>,
    locked: bool,
}

/// The workbook's styles, by style id.
type Styles = Rc<Vec<StyleInfo>>;

struct Sheet {
    name: String,
    /// The non-empty cells inside [`MAX_ROWS`] × [`MAX_COLS`], in reading order.
    cells: BTreeMap<(u32, u32), Data>,
    /// Covered position → merge anchor (anchors included).
    anchor: HashMap<(u32, u32), Dimensions>,
    formulas: HashSet<(u32, u32)>,
    /// Style id of each styled cell.
    styled: HashMap<(u32, u32), usize>,
    /// Number format and protection of each style id.
    formats: Styles,
    /// Every text cell, normalised: (row, col, text).
    texts: Vec<(u32, u32, String)>,
    end: (u32, u32),
}

impl Sheet {
    fn new(
        name: String,
        cells: BTreeMap<(u32, u32), Data>,
        merges: Vec<Dimensions>,
        formulas: HashSet<(u32, u32)>,
        styled: HashMap<(u32, u32), usize>,
        formats: Styles,
    ) -> Sheet {
        let mut anchor = HashMap::new();
        for m in &merges {
            // A corrupt merge list could be huge; official tables merge at most a few hundred
            // cells, inside the kept area.
            if m.len() > 10_000 || m.start.0 >= MAX_ROWS || m.start.1 >= MAX_COLS {
                continue;
            }
            if anchor.len() > MAX_SHEET_CELLS {
                break;
            }
            for r in m.start.0..=m.end.0.min(MAX_ROWS - 1) {
                for c in m.start.1..=m.end.1.min(MAX_COLS - 1) {
                    anchor.insert((r, c), *m);
                }
            }
        }
        let mut texts = vec![];
        let mut end = (0, 0);
        for (&(r, c), v) in &cells {
            end = (end.0.max(r), end.1.max(c));
            if let Data::String(s) = v {
                let n = normalize(s);
                if !n.is_empty() {
                    texts.push((r, c, n));
                }
            }
        }
        Sheet {
            name,
            cells,
            anchor,
            formulas,
            styled,
            formats,
            texts,
            end,
        }
    }

    fn raw(&self, r: u32, c: u32) -> &Data {
        static EMPTY: Data = Data::Empty;
        self.cells.get(&(r, c)).unwrap_or(&EMPTY)
    }

    /// The value shown at a position: a merged area shows its anchor's value.
    fn shown(&self, r: u32, c: u32) -> &Data {
        match self.anchor.get(&(r, c)) {
            Some(m) => self.raw(m.start.0, m.start.1),
            None => self.raw(r, c),
        }
    }

    fn norm(&self, r: u32, c: u32) -> String {
        match self.shown(r, c) {
            Data::String(s) => normalize(s),
            _ => String::new(),
        }
    }

    /// Last column of the merged area at a position (the position itself if not merged).
    fn last_col(&self, r: u32, c: u32) -> u32 {
        self.anchor.get(&(r, c)).map(|m| m.end.1).unwrap_or(c)
    }

    fn last_row(&self, r: u32, c: u32) -> u32 {
        self.anchor.get(&(r, c)).map(|m| m.end.0).unwrap_or(r)
    }

    fn num_format(&self, r: u32, c: u32) -> Option<&str> {
        let id = self.styled.get(&(r, c))?;
        self.formats.get(*id)?.format.as_deref()
    }

    /// Whether the cell is locked (protected from editing when the sheet is protected).
    fn locked(&self, r: u32, c: u32) -> bool {
        self.styled
            .get(&(r, c))
            .and_then(|id| self.formats.get(*id))
            .is_none_or(|s| s.locked)
    }

    fn location(&self, r: u32, c: u32) -> Location {
        sheet_loc(&self.name, (r, c))
    }

    /// Cells whose normalised text satisfies `f`, in reading order.
    fn find(&self, f: impl Fn(&str) -> bool) -> Vec<(u32, u32)> {
        let mut v: Vec<(u32, u32)> = self
            .texts
            .iter()
            .filter(|(_, _, t)| f(t))
            .map(|(r, c, _)| (*r, *c))
            .collect();
        v.sort();
        v
    }
}

// ---------------------------------------------------------------------------------------------
// Cell values
// ---------------------------------------------------------------------------------------------

/// What a number format says: decimals shown (None for General/text) and its literal text.
fn parse_num_format(code: &str) -> (Option<usize>, String) {
    let mut lit = String::new();
    let mut decimals: Option<usize> = None;
    let mut after_point = false;
    let mut chars = code.chars();
    let mut in_quote = false;
    let mut bracket = false;
    while let Some(c) = chars.next() {
        if in_quote {
            if c == '"' {
                in_quote = false;
            } else {
                lit.push(c);
            }
            continue;
        }
        if bracket {
            bracket = c != ']';
            continue;
        }
        match c {
            '"' => in_quote = true,
            '\\' => lit.extend(chars.next()),
            '_' | '*' => {
                chars.next();
            }
            '[' => bracket = true,
            ';' => break,
            '.' => {
                after_point = true;
                decimals = Some(decimals.unwrap_or(0));
            }
            '0' | '#' | '?' => {
                let d = decimals.get_or_insert(0);
                if after_point {
                    *d += 1;
                }
            }
            _ => {}
        }
    }
    (decimals, lit)
}

/// A note written as `（…）` or `(…)`: its inside.
fn bracketed(s: &str) -> Option<String> {
    let t = s.trim();
    let inner = t.strip_prefix(['（', '('])?;
    let inner = inner.strip_suffix(['）', ')'])?;
    Some(inner.to_string())
}

/// Splits `22（其中修订16件）` into the number text and the note.
fn split_note(s: &str) -> (String, Option<String>) {
    let t = s.trim();
    match t.find(['（', '(']) {
        Some(i) if i > 0 => match bracketed(&t[i..]) {
            Some(n) => (t[..i].trim().to_string(), Some(n)),
            None => (t.to_string(), None),
        },
        _ => (t.to_string(), None),
    }
}

const COUNT_RULE: &str = "应为大于或等于 0 的整数";

fn check_count(f: f64, shown: &str) -> Result<u64, String> {
    if !f.is_finite() {
        return Err(format!("“{shown}”不是有效的数量：{COUNT_RULE}"));
    }
    if f < 0.0 {
        return Err(format!("{shown} 是负数：{COUNT_RULE}"));
    }
    if f.fract() != 0.0 {
        return Err(format!("{shown} 不是整数：{COUNT_RULE}"));
    }
    if f > format::MAX_COUNT as f64 {
        return Err(format!(
            "{shown} 超过上限 {}：请检查是否多输了数字",
            format::MAX_COUNT
        ));
    }
    Ok(f as u64)
}

fn count_from_text(s: &str) -> Result<Option<Count>, String> {
    let (num, note) = split_note(s);
    let n = fold_width(&num).replace(',', "");
    let n = n.trim();
    if n.is_empty() && note.is_none() {
        return Ok(None);
    }
    let ok = !n.is_empty()
        && n.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    match n.parse::<f64>() {
        Ok(f) if ok => Ok(Some(Count::with_note(check_count(f, s.trim())?, note))),
        _ => Err(format!("“{}”不是有效的数量：{COUNT_RULE}", s.trim())),
    }
}

fn data_error(d: &Data) -> String {
    match d {
        Data::Error(e) => format!("单元格是错误值 {e}：{COUNT_RULE}"),
        Data::Bool(b) => format!(
            "“{}”不是有效的数量：{COUNT_RULE}",
            if *b { "TRUE" } else { "FALSE" }
        ),
        other => format!("“{other}”不是有效的数量：{COUNT_RULE}"),
    }
}

/// Shortest text of a double (Rust prints the shortest form that reads back the same).
fn float_text(f: f64) -> String {
    format!("{f}")
}

/// A double rounded to 12 significant digits: the noise of binary arithmetic
/// (`0.1 + 0.2 = 0.30000000000000004`, a fee summed by a formula) is gone, while a fee in 万元
/// keeps every digit it can have (up to 99,999,999.9999).
fn round_significant(f: f64) -> f64 {
    if !f.is_finite() || f == 0.0 {
        return f;
    }
    format!("{f:.11e}").parse().unwrap_or(f)
}

/// The fee's digits: as many decimals as the number format shows, when that is exact; else the
/// shortest text of the value rounded to 12 significant digits.
fn fee_text(f: f64, decimals: Option<usize>) -> String {
    let f = round_significant(f);
    if let Some(d) = decimals {
        let t = format!("{f:.d$}");
        if t.parse::<f64>().ok() == Some(f) {
            return t;
        }
    }
    float_text(f)
}

// ---------------------------------------------------------------------------------------------
// The reader
// ---------------------------------------------------------------------------------------------

struct ReadState {
    sheets: Vec<Sheet>,
    parsed: Parsed,
    /// Totals that were formulas or blank: recomputed at the end.
    derived: Vec<ValueRef>,
    /// Totals our template writes as formulas that hold a number: (value, sheet, row, column).
    typed_totals: Vec<(ValueRef, usize, u32, u32)>,
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

    /// Reads a count cell into the report; returns whether the cell was blank.
    fn read_count(&mut self, s: usize, r: u32, c: u32, v: ValueRef) -> bool {
        self.locate(v, s, r, c);
        let sheet = &self.sheets[s];
        let d = sheet.raw(r, c).clone();
        let fmt_note = sheet
            .num_format(r, c)
            .and_then(|f| bracketed(&parse_num_format(f).1));
        let result = match &d {
            Data::Empty => Ok(None),
            Data::Float(f) => {
                check_count(*f, &float_text(*f)).map(|n| Some(Count::with_note(n, fmt_note)))
            }
            Data::Int(i) => {
                check_count(*i as f64, &i.to_string()).map(|n| Some(Count::with_note(n, fmt_note)))
            }
            Data::DateTime(dt) => {
                let f = dt.as_f64();
                check_count(f, &float_text(f)).map(|n| Some(Count::with_note(n, fmt_note)))
            }
            Data::String(t) => count_from_text(t),
            other => Err(data_error(other)),
        };
        match result {
            Ok(Some(count)) => {
                if let Some(slot) = self.parsed.report.cell_mut_count(v) {
                    *slot = count;
                }
                false
            }
            Ok(None) => true,
            Err(msg) => {
                let loc = self.sheets[s].location(r, c);
                self.error(Rule::Value, msg, loc, Some(v.into()));
                self.unreadable(v);
                false
            }
        }
    }

    /// Reads a total: a formula or a blank is recomputed from its parts.
    fn read_total(&mut self, s: usize, r: u32, c: u32, v: ValueRef) {
        if self.sheets[s].formulas.contains(&(r, c)) {
            // The cached result is not read at all (it may be 0 or an error value): only the
            // note in the number format is kept.
            self.locate(v, s, r, c);
            let note = self.sheets[s]
                .num_format(r, c)
                .and_then(|f| bracketed(&parse_num_format(f).1));
            if let Some(slot) = self.parsed.report.cell_mut_count(v) {
                slot.note = note;
            }
            self.derived.push(v);
        } else if self.read_count(s, r, c, v) {
            self.derived.push(v);
        } else if self.template_formula(s, r, c, v) && !self.parsed.unreadable.contains(&v) {
            self.typed_totals.push((v, s, r, c));
        }
    }

    /// Whether a total's cell is one our template writes as a formula: on the table's sheet of
    /// our layout, at the template's cell, locked (our writer unlocks a total it writes as a
    /// number, the given total of a forced render).
    fn template_formula(&self, s: usize, r: u32, c: u32, v: ValueRef) -> bool {
        let sheet = &self.sheets[s];
        sheet.locked(r, c)
            && template_cell(v)
                .is_some_and(|(name, tr, tc)| sheet.name == name && (tr, tc) == (r, c))
    }

    /// Whether a value is unknown: unreadable itself, or a total with an unknown part.
    fn unknown(&self, v: ValueRef) -> bool {
        self.parsed.unreadable.contains(&v) || v.parts().into_iter().any(|p| self.unknown(p))
    }

    fn read_value(&mut self, s: usize, r: u32, c: u32, v: ValueRef) {
        if v.is_total() {
            self.read_total(s, r, c, v);
        } else {
            self.read_count(s, r, c, v);
        }
    }

    fn read_fee(&mut self, s: usize, r: u32, c: u32) {
        let v = ValueRef::T2Fee;
        self.locate(v, s, r, c);
        let sheet = &self.sheets[s];
        let (decimals, lit) = sheet
            .num_format(r, c)
            .map(parse_num_format)
            .unwrap_or((None, String::new()));
        let fmt_note = bracketed(&lit);
        let rule = "应为大于或等于 0 的金额（单位：万元）";
        let result = match sheet.raw(r, c) {
            Data::Empty => Ok(Amount::default()),
            Data::Float(f) if *f >= 0.0 && f.is_finite() => Decimal::parse(&fee_text(*f, decimals))
                .map(|value| Amount {
                    value,
                    note: fmt_note,
                    blank: false,
                })
                .ok_or_else(|| format!("{f} 不是有效的金额：{rule}")),
            Data::Int(i) if *i >= 0 => Ok(Amount {
                value: Decimal::parse(&i.to_string()).unwrap_or_default(),
                note: fmt_note,
                blank: false,
            }),
            Data::Float(f) => Err(format!("{f} 不是有效的金额：{rule}")),
            Data::Int(i) => Err(format!("{i} 不是有效的金额：{rule}")),
            Data::String(t) => {
                let (num, note) = split_note(t);
                let n = fold_width(&num).replace(',', "");
                if n.trim().is_empty() && note.is_none() {
                    Ok(Amount::default())
                } else {
                    Decimal::parse(&n)
                        .map(|value| Amount {
                            value,
                            note,
                            blank: false,
                        })
                        .ok_or_else(|| format!("“{}”不是有效的金额：{rule}", t.trim()))
                }
            }
            other => Err(format!("“{other}”不是有效的金额：{rule}")),
        };
        match result {
            Ok(a) => self.parsed.report.table2.fee = a,
            Err(msg) => {
                let loc = self.sheets[s].location(r, c);
                self.error(Rule::Value, msg, loc, Some(v.into()));
                self.unreadable(v);
            }
        }
    }

    /// The first cell (in sheet order) whose text satisfies `is_label` and whose surroundings
    /// satisfy `confirm`; else the first that satisfies `is_label` alone.
    fn first_with(
        &self,
        is_label: impl Fn(&str) -> bool,
        confirm: impl Fn(&Sheet, u32, u32) -> bool,
    ) -> Option<(usize, u32, u32)> {
        let all: Vec<(usize, u32, u32)> = (0..self.sheets.len())
            .flat_map(|s| {
                self.sheets[s]
                    .find(&is_label)
                    .into_iter()
                    .map(move |(r, c)| (s, r, c))
            })
            .collect();
        all.iter()
            .copied()
            .find(|&(s, r, c)| confirm(&self.sheets[s], r, c))
            .or(all.first().copied())
    }

    fn missing_table(&mut self, table: TableId, label: &str, values: Vec<ValueRef>) {
        let msg = format!(
            "没有找到{}（{}）：工作簿中没有行标签“{label}”",
            table.name(),
            table.section().title
        );
        self.error(
            Rule::Schema,
            msg,
            Location::Unknown,
            Some(Place::Table(table)),
        );
        for v in values {
            self.unreadable(v);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Table 二
    // -----------------------------------------------------------------------------------------

    fn read_t2(&mut self) {
        // Row labels with accepted variants (the 2019 format said 规范性文件).
        let mut labels: Vec<(&str, Vec<String>)> = vec![];
        for l in T2_TRIPLE_ROWS
            .iter()
            .chain(T2_COUNT_ROWS.iter())
            .chain([T2_AMOUNT_ROW].iter())
        {
            let mut alts = vec![normalize(l)];
            if *l == T2_TRIPLE_ROWS[1] {
                alts.push(normalize("规范性文件"));
            }
            labels.push((l, alts));
        }
        // The sheet that holds most of the labels.
        let best = (0..self.sheets.len())
            .map(|s| {
                let n = labels
                    .iter()
                    .filter(|(_, alts)| {
                        !self.sheets[s]
                            .find(|t| alts.iter().any(|a| a == t))
                            .is_empty()
                    })
                    .count();
                (n, std::cmp::Reverse(s))
            })
            .max();
        let Some((_, std::cmp::Reverse(s))) = best.filter(|b| b.0 > 0) else {
            let all = format::table2_grid().values().map(|(_, v)| v).collect();
            self.missing_table(TableId::T2, T2_TRIPLE_ROWS[0], all);
            return;
        };
        let mut table_loc = None;
        for (i, (label, alts)) in labels.iter().enumerate() {
            let found = self.sheets[s]
                .find(|t| alts.iter().any(|a| a == t))
                .first()
                .copied();
            let (row, values): (Place, Vec<ValueRef>) = if i < 2 {
                let values = (0..3)
                    .map(|col| ValueRef::T2Document { row: i, col })
                    .collect();
                (Place::T2Row(i), values)
            } else if i < 5 {
                let v = ValueRef::T2Decision { row: i - 2 };
                (v.into(), vec![v])
            } else {
                (ValueRef::T2Fee.into(), vec![ValueRef::T2Fee])
            };
            let Some((r, c)) = found else {
                let loc = table_loc.clone().unwrap_or(Location::Unknown);
                self.error(
                    Rule::Schema,
                    format!("表二缺少行“{label}”：没有找到这一行标签"),
                    loc,
                    Some(row),
                );
                for v in values {
                    self.unreadable(v);
                }
                continue;
            };
            if table_loc.is_none() {
                table_loc = Some(self.sheets[s].location(r, c));
            }
            self.locate(row, s, r, c);
            let next = self.sheets[s].last_col(r, c) + 1;
            if i < 2 {
                let cols = self
                    .t2_triple_columns(s, r, c)
                    .unwrap_or([next, next + 1, next + 2]);
                for (k, v) in values.into_iter().enumerate() {
                    self.read_count(s, r, cols[k], v);
                }
            } else if i < 5 {
                self.read_count(s, r, next, values[0]);
            } else {
                self.read_fee(s, r, next);
            }
        }
        if let Some(l) = table_loc {
            self.parsed.locations.insert(Place::Table(TableId::T2), l);
        }
    }

    /// Columns of 本年制发件数 / 本年废止件数 / 现行有效件数 in the header above a triple row.
    fn t2_triple_columns(&self, s: usize, r: u32, c: u32) -> Option<[u32; 3]> {
        let sheet = &self.sheets[s];
        for hr in (r.saturating_sub(4)..r).rev() {
            let mut cols = [None; 3];
            for (k, col) in cols.iter_mut().enumerate() {
                let (l, key) = (normalize(T2_TRIPLE_LABELS[k]), normalize(T2_TRIPLE_KEYS[k]));
                *col = (c + 1..=sheet.end.1).find(|&x| {
                    let t = sheet.norm(hr, x);
                    t == l || t == key
                });
            }
            if let [Some(a), Some(b), Some(d)] = cols {
                return Some([a, b, d]);
            }
        }
        None
    }

    // -----------------------------------------------------------------------------------------
    // Table 三
    // -----------------------------------------------------------------------------------------

    fn read_t3(&mut self) {
        let first = &T3_ROWS[0];
        // Prefer a label with the 自然人 header above it (a text could repeat the label).
        let head = normalize(T3_COLUMNS[0]);
        let start = self.first_with(
            |t| match_score(t, first.label, first.key) > 0,
            |sheet, r, _| {
                sheet
                    .texts
                    .iter()
                    .any(|(hr, _, t)| *hr < r && *hr + 6 >= r && *t == head)
            },
        );
        let all: Vec<ValueRef> = format::table3_grid().values().map(|(_, v)| v).collect();
        let Some((s, r0, c0)) = start else {
            self.missing_table(TableId::T3, first.label, all);
            return;
        };
        let table_loc = self.sheets[s].location(r0, c0);
        self.parsed
            .locations
            .insert(Place::Table(TableId::T3), table_loc.clone());

        // Data columns: their headers in the rows just above the first data row.
        let mut cols: [Option<u32>; 7] = [None; 7];
        for (k, label) in T3_COLUMNS.iter().enumerate() {
            let l = normalize(label);
            let sheet = &self.sheets[s];
            cols[k] = (r0.saturating_sub(6)..r0).rev().find_map(|hr| {
                (c0 + 1..=sheet.end.1)
                    .find(|&x| sheet.norm(hr, x) == l && sheet.shown(hr, x) == sheet.raw(hr, x))
            });
        }
        for (k, col) in cols.iter().enumerate() {
            if col.is_none() {
                self.error(
                    Rule::Schema,
                    format!("表三缺少列“{}”：在表头中没有找到这一列标签", T3_COLUMNS[k]),
                    table_loc.clone(),
                    Some(Place::Table(TableId::T3)),
                );
                for row in 0..T3_ROWS.len() {
                    self.unreadable(ValueRef::T3 { row, col: k });
                }
            }
        }
        let Some(data_min) = cols.iter().flatten().min().copied() else {
            return;
        };

        let mut seen = [false; 25];
        let mut category: Option<usize> = None;
        let mut blank_run = 0;
        let last_row = self.sheets[s].end.0;
        for r in r0..=last_row.min(r0 + 60) {
            // The row's label texts left of the data, and where the innermost one starts.
            let (labels, label_col) = {
                let sheet = &self.sheets[s];
                let mut v: Vec<String> = vec![];
                let mut at = 0;
                for c in 0..data_min {
                    let t = sheet.norm(r, c);
                    if !t.is_empty() && v.last() != Some(&t) {
                        v.push(t);
                        at = sheet.anchor.get(&(r, c)).map(|m| m.start.1).unwrap_or(c);
                    }
                }
                (v, at)
            };
            if labels.is_empty() {
                blank_run += 1;
                if blank_run >= 3 {
                    break;
                }
                continue;
            }
            blank_run = 0;
            let i = match self.t3_classify(&labels, &mut category, &seen) {
                Some(i) => i,
                None => {
                    let has_numbers = cols
                        .iter()
                        .flatten()
                        .any(|&c| !matches!(self.sheets[s].raw(r, c), Data::Empty));
                    let loc = self.sheets[s].location(r, label_col);
                    let shown: Vec<String> = (0..data_min)
                        .filter_map(|c| match self.sheets[s].shown(r, c) {
                            Data::String(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
                            _ => None,
                        })
                        .collect();
                    match single_category_row(&labels, category, &seen, has_numbers) {
                        Some(i) => {
                            // The 2019 format's one-row （六）其他处理 (still used by some
                            // offices): its number goes to the category's last item, 其他.
                            let c = category.unwrap_or(0);
                            self.warn(
                                Rule::Schema,
                                format!(
                                    "表三“{}”只有一行（2019年格式），已计入“{}”；请按现行格式分项填写",
                                    T3_CATEGORIES[c].label, T3_ROWS[i].label
                                ),
                                loc,
                            );
                            for j in (0..T3_ROWS.len()).filter(|&j| T3_ROWS[j].category == Some(c))
                            {
                                seen[j] = true;
                                self.locate(Place::T3Row(j), s, r, label_col);
                            }
                            i
                        }
                        None => {
                            let msg =
                                format!("表三第{}行的标签“{}”无法识别", r + 1, shown.join("／"));
                            if has_numbers && !seen[T3_ROWS.len() - 1] {
                                self.error(Rule::Schema, msg, loc, None);
                            }
                            if seen[T3_ROWS.len() - 1] {
                                break;
                            }
                            continue;
                        }
                    }
                }
            };
            seen[i] = true;
            self.locate(Place::T3Row(i), s, r, label_col);
            for (k, col) in cols.iter().enumerate() {
                if let Some(c) = col {
                    self.read_value(s, r, *c, ValueRef::T3 { row: i, col: k });
                }
            }
            if i == T3_ROWS.len() - 1 {
                break;
            }
        }
        for (i, row) in T3_ROWS.iter().enumerate() {
            if !seen[i] {
                let cat = row
                    .category
                    .map(|c| format!("“{}”下的", T3_CATEGORIES[c].label))
                    .unwrap_or_default();
                self.error(
                    Rule::Schema,
                    format!("表三缺少{cat}行“{}”：没有找到这一行标签", row.label),
                    table_loc.clone(),
                    Some(Place::T3Row(i)),
                );
                for k in 0..T3_COLUMNS.len() {
                    self.unreadable(ValueRef::T3 { row: i, col: k });
                }
            }
        }
    }

    /// Which row of table 三 a row's labels name, given the category context.
    fn t3_classify(
        &self,
        labels: &[String],
        category: &mut Option<usize>,
        seen: &[bool; 25],
    ) -> Option<usize> {
        // Rows outside the categories: 一、二、（一）（二）（七）四.
        for l in labels {
            let best = T3_ROWS
                .iter()
                .enumerate()
                .filter(|(_, r)| r.category.is_none())
                .map(|(i, r)| (match_score(l, r.label, r.key), i))
                .filter(|(s, _)| *s > 0)
                .max();
            if let Some((_, i)) = best {
                *category = None;
                return Some(i);
            }
        }
        let mut items = vec![];
        for l in labels {
            match T3_CATEGORIES
                .iter()
                .position(|c| match_score(l, c.label, c.key) > 0)
            {
                Some(c) => *category = Some(c),
                None if l == &normalize(format::T3_RESULTS_GROUP) => {}
                None => items.push(l.as_str()),
            }
        }
        let c = (*category)?;
        let candidates: Vec<usize> = (0..T3_ROWS.len())
            .filter(|&i| T3_ROWS[i].category == Some(c))
            .collect();
        for item in &items {
            let best = candidates
                .iter()
                .map(|&i| (match_score(item, T3_ROWS[i].label, T3_ROWS[i].key), i))
                .filter(|(s, _)| *s > 0)
                .max();
            if let Some((_, i)) = best {
                return Some(i);
            }
        }
        // Typos: the one closest label of the category not taken yet, if it is clearly closest.
        for item in &items {
            let mut close: Vec<(usize, usize)> = candidates
                .iter()
                .filter(|&&i| !seen[i])
                .filter_map(|&i| {
                    fuzzy_close(item, T3_ROWS[i].label)
                        .or_else(|| fuzzy_close(item, T3_ROWS[i].key))
                        .map(|d| (d, i))
                })
                .collect();
            close.sort();
            match close.as_slice() {
                [(_, i)] => return Some(*i),
                [(d0, i), (d1, _), ..] if d0 < d1 => return Some(*i),
                _ => {}
            }
        }
        None
    }

    // -----------------------------------------------------------------------------------------
    // Table 四
    // -----------------------------------------------------------------------------------------

    fn read_t4(&mut self) {
        let all: Vec<ValueRef> = format::table4_grid().values().map(|(_, v)| v).collect();
        let g0 = normalize(T4_GROUPS[0]);
        // Prefer the header with its neighbour 未经复议直接起诉 (a text could say 行政复议 alone).
        let g1 = normalize(T4_GROUPS[1]);
        let start = self.first_with(
            |t| t == g0,
            |sheet, r, _| {
                sheet
                    .texts
                    .iter()
                    .any(|(hr, _, t)| *hr >= r && *hr <= r + 3 && *t == g1)
            },
        );
        let Some((s, r0, c0)) = start else {
            let msg = format!(
                "没有找到表四（{}）：工作簿中没有表头“{}”",
                SECTIONS[3].title, T4_GROUPS[0]
            );
            self.error(
                Rule::Schema,
                msg,
                Location::Unknown,
                Some(Place::Table(TableId::T4)),
            );
            for v in all {
                self.unreadable(v);
            }
            return;
        };
        let table_loc = self.sheets[s].location(r0, c0);
        self.parsed
            .locations
            .insert(Place::Table(TableId::T4), table_loc.clone());
        for (g, group) in T4_GROUPS.iter().enumerate() {
            let gl = normalize(group);
            let sheet = &self.sheets[s];
            let found = sheet
                .find(|t| t == gl)
                .into_iter()
                .find(|&(r, _)| r >= r0 && r <= r0 + 3);
            let Some((gr, gc)) = found else {
                self.error(
                    Rule::Schema,
                    format!("表四缺少“{group}”：在表头中没有找到这一组标签"),
                    table_loc.clone(),
                    Some(Place::T4Group(g)),
                );
                for col in 0..T4_COLUMNS.len() {
                    self.unreadable(ValueRef::T4 { group: g, col });
                }
                continue;
            };
            let span_end = if sheet.last_col(gr, gc) > gc {
                sheet.last_col(gr, gc)
            } else {
                gc + 4
            };
            let mut cols = [None; 5];
            let mut data_row = gr + 1;
            for (k, label) in T4_COLUMNS.iter().enumerate() {
                let l = normalize(label);
                cols[k] = (gr + 1..=gr + 3).find_map(|hr| {
                    (gc..=span_end)
                        .find(|&x| sheet.norm(hr, x) == l && sheet.shown(hr, x) == sheet.raw(hr, x))
                        .map(|x| (hr, x))
                });
                if let Some((hr, x)) = cols[k] {
                    data_row = data_row.max(sheet.last_row(hr, x) + 1);
                }
            }
            self.locate(Place::T4Group(g), s, gr, gc);
            for (k, col) in cols.iter().enumerate() {
                let v = ValueRef::T4 { group: g, col: k };
                match col {
                    Some((_, x)) => self.read_value(s, data_row, *x, v),
                    None => {
                        self.error(
                            Rule::Schema,
                            format!("表四“{group}”缺少列“{}”：没有找到这一列标签", T4_COLUMNS[k]),
                            self.sheets[s].location(gr, gc),
                            Some(v.into()),
                        );
                        self.unreadable(v);
                    }
                }
            }
        }
    }

    /// Totals given as formulas or left blank: computed from their parts with the model's rules.
    fn compute_derived(&mut self) {
        if self.derived.is_empty() && self.typed_totals.is_empty() {
            return;
        }
        let mut full = self.parsed.report.clone();
        full.compute_totals();
        let total = |v: ValueRef| match full.cell(v) {
            crate::model::CellValue::Count(c) => Some((c.value, c.blank)),
            crate::model::CellValue::Amount(_) => None,
        };
        let sum = |v: ValueRef| total(v).map(|(value, _)| value);
        for v in std::mem::take(&mut self.derived) {
            let Some((value, blank)) = total(v) else {
                continue;
            };
            // A total of an unreadable part is unknown too.
            let parts_unknown = v.parts().iter().any(|p| self.parsed.unreadable.contains(p));
            if parts_unknown {
                self.parsed.unreadable.insert(v);
            }
            if let Some(c) = self.parsed.report.cell_mut_count(v) {
                c.value = value;
                c.blank = blank;
            }
        }
        // A number typed over a total's formula: said as such, and the formula's value kept.
        for (v, s, r, c) in std::mem::take(&mut self.typed_totals) {
            let Some(want) = sum(v) else { continue };
            if self.unknown(v) {
                continue;
            }
            let Some(given) = self.parsed.report.cell_mut_count(v).map(|c| c.value) else {
                continue;
            };
            if given == want {
                continue;
            }
            let at = a1(r, c.min(u32::from(u16::MAX)) as u16);
            let name = self.sheets[s].name.clone();
            let loc = self.sheets[s].location(r, c);
            self.parsed.diagnostics.push(
                Diagnostic::error(
                    Rule::Value,
                    format!(
                        "{name}!{at} 的总计公式被改成了数字 {given}（按各项计算应为 {want}）：总计由公式自动计算，请撤销改动或删除该数字"
                    ),
                )
                .at(loc)
                .with_value(v)
                .with_hint(format!(
                    "如果 {given} 才是对的，请检查各项数字是否漏填、多填；总计会随之自动改变"
                )),
            );
            if let Some(cell) = self.parsed.report.cell_mut_count(v) {
                cell.value = want;
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // 基本信息
    // -----------------------------------------------------------------------------------------

    fn read_info(&mut self) {
        let body_key = normalize(keys::BODY);
        let year_key = normalize(keys::YEAR);
        let info = self
            .sheets
            .iter()
            .position(|s| s.name == INFO_SHEET)
            .or_else(|| {
                self.sheets.iter().position(|s| {
                    let has = |k: &str| s.texts.iter().any(|(_, c, t)| *c == 0 && t == k);
                    has(&body_key) && has(&year_key)
                })
            });
        let Some(s) = info else {
            self.info_from_labels();
            return;
        };
        let mut section: Option<usize> = None;
        let mut in_signature = false;
        let mut found_body = false;
        let mut found_year = false;
        let mut sig_body: Option<String> = None;
        let mut sig_date: Option<Date> = None;
        let mut sig_seen = false;
        let headings: Vec<String> = SECTIONS.iter().map(|d| normalize(&d.heading())).collect();
        let end = self.sheets[s].end.0;
        for r in 0..=end {
            let a = self.sheets[s].norm(r, 0);
            let b_norm = self.sheets[s].norm(r, 1);
            if a.is_empty() && !in_signature && !is_numbering(&self.text_at(s, r, 0)) {
                continue;
            }
            if let Some(i) = headings.iter().position(|h| *h == a) {
                section = Some(i);
                in_signature = false;
                self.locate(section_place(i), s, r, 0);
                continue;
            }
            if a == normalize(keys::SIGNATURE) {
                in_signature = true;
                sig_seen = true;
                section = None;
                self.locate(Key::Signature, s, r, 0);
            }
            if in_signature {
                let value = self.text_at(s, r, 2);
                if b_norm == normalize(keys::SIGNATURE_BODY) {
                    self.locate(Key::SignatureBody, s, r, 2);
                    sig_body = Some(value);
                } else if b_norm == normalize(keys::SIGNATURE_DATE) {
                    self.locate(Key::SignatureDate, s, r, 2);
                    sig_date = self.read_date(s, r, 2, Key::SignatureDate);
                } else if !a.is_empty() {
                    in_signature = false;
                }
                if in_signature {
                    continue;
                }
            }
            if let Some(i) = section {
                if a == normalize(keys::SECTION_INTRO) {
                    let (vc, text) = self.value_at(s, r);
                    let sec = section_mut(&mut self.parsed.report, i);
                    sec.intro = Text(paragraph_breaks(&text));
                    self.locate_text(i, TextPart::Intro, s, r, vc);
                } else if a == normalize(keys::SECTION_SUBSECTIONS) {
                    self.locate_text(i, TextPart::Subsections, s, r, 0);
                } else if is_numbering(&self.text_at(s, r, 0)) {
                    let title = self.text_at(s, r, 1);
                    let body = self.text_at(s, r, 2);
                    if !title.trim().is_empty() || !body.trim().is_empty() {
                        let sec = section_mut(&mut self.parsed.report, i);
                        let n = sec.subsections.len();
                        sec.subsections.push(Subsection {
                            title,
                            body: Text(paragraph_breaks(&body)),
                        });
                        self.locate_text(i, TextPart::Subsection(n), s, r, 1);
                        self.locate_text(i, TextPart::SubsectionTitle(n), s, r, 1);
                        self.locate_text(i, TextPart::SubsectionBody(n), s, r, 2);
                    }
                }
                continue;
            }
            let (vc, text) = self.value_at(s, r);
            if a == body_key {
                found_body = true;
                self.locate(Key::Body, s, r, vc);
                self.parsed.report.body = text.trim().to_string();
                if self.parsed.report.body.is_empty() {
                    let loc = self.sheets[s].location(r, vc);
                    self.error(
                        Rule::Schema,
                        format!("缺少“{}”：请填写报告机关的名称", keys::BODY),
                        loc,
                        None,
                    );
                }
            } else if a == year_key {
                found_year = true;
                self.locate(Key::Year, s, r, vc);
                self.read_year(s, r, vc);
            } else if a == normalize(keys::TITLE) {
                self.locate(Key::Title, s, r, vc);
                let lines: Vec<String> = text
                    .lines()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect();
                self.parsed.report.title = if lines.is_empty() { None } else { Some(lines) };
            } else if a == normalize(keys::PUBLISHED) {
                self.locate(Key::Published, s, r, vc);
                self.parsed.report.published = self.read_date(s, r, vc, Key::Published);
            } else if a == normalize(keys::SHOW_ZERO) {
                self.locate(Key::ShowZero, s, r, vc);
                self.read_show_zero(s, r, vc);
            } else if a == normalize(keys::PREFACE) {
                self.locate(Key::Preface, s, r, vc);
                self.parsed.report.preface = Text(paragraph_breaks(&text));
            }
        }
        if sig_seen
            && (sig_body.as_deref().is_some_and(|b| !b.trim().is_empty()) || sig_date.is_some())
        {
            self.parsed.report.signature = Some(Signature {
                body: sig_body.unwrap_or_default().trim().to_string(),
                date: sig_date,
            });
        }
        let loc = self.sheets[s].location(0, 0);
        if !found_body {
            self.error(
                Rule::Schema,
                format!("{INFO_SHEET}中缺少“{}”一行", keys::BODY),
                loc.clone(),
                None,
            );
        }
        if !found_year {
            self.error(
                Rule::Schema,
                format!("{INFO_SHEET}中缺少“{}”一行", keys::YEAR),
                loc,
                None,
            );
        }
    }

    /// Text of a cell, exactly as stored (numbers in their shortest form).
    fn text_at(&self, s: usize, r: u32, c: u32) -> String {
        match self.sheets[s].shown(r, c) {
            Data::String(t) => t.clone(),
            Data::Float(f) => float_text(*f),
            Data::Int(i) => i.to_string(),
            Data::Empty => String::new(),
            other => other.to_string(),
        }
    }

    /// The value after a key in column A: the first filled cell of B, C (B:C merged in our layout).
    fn value_at(&self, s: usize, r: u32) -> (u32, String) {
        let next = self.sheets[s].last_col(r, 0) + 1;
        for c in next..next + 2 {
            let t = self.text_at(s, r, c);
            if !t.is_empty() {
                return (c, t);
            }
            if self.sheets[s].last_col(r, c) > c {
                return (c, t);
            }
        }
        (next, String::new())
    }

    fn read_year(&mut self, s: usize, r: u32, c: u32) {
        let loc = self.sheets[s].location(r, c);
        let text = match self.sheets[s].shown(r, c) {
            Data::Float(f) => float_text(*f),
            Data::Int(i) => i.to_string(),
            Data::String(t) => fold_width(t).trim().trim_end_matches('年').to_string(),
            Data::Empty => {
                self.error(
                    Rule::Schema,
                    format!("缺少“{}”：请填写报告所属的年份", keys::YEAR),
                    loc,
                    None,
                );
                return;
            }
            other => other.to_string(),
        };
        match text.parse::<u16>() {
            Ok(y) if format::YEARS.contains(&y) => self.parsed.report.year = y,
            _ => self.error(
                Rule::Value,
                format!(
                    "“{text}”不是有效的年度：应为 {} 至 {} 之间的年份",
                    format::YEARS.start(),
                    format::YEARS.end()
                ),
                loc,
                Some(Key::Year.into()),
            ),
        }
    }

    fn read_date(&mut self, s: usize, r: u32, c: u32, key: Key) -> Option<Date> {
        let loc = self.sheets[s].location(r, c);
        let text = match self.sheets[s].shown(r, c) {
            Data::Empty => return None,
            Data::String(t) if t.trim().is_empty() => return None,
            Data::String(t) => fold_width(t),
            Data::DateTime(dt) => return serial_date(dt.as_f64()),
            Data::Float(f) => return serial_date(*f),
            other => other.to_string(),
        };
        let d = Date::parse(&text);
        if d.is_none() {
            self.error(
                Rule::Value,
                format!(
                    "“{}”不是有效的日期：应写作 YYYY-MM-DD，例如 2022-01-27",
                    text.trim()
                ),
                loc,
                Some(key.into()),
            );
        }
        d
    }

    fn read_show_zero(&mut self, s: usize, r: u32, c: u32) {
        let v = match self.sheets[s].shown(r, c) {
            Data::Bool(b) => Some(Some(*b)),
            // Left empty: zeros print as the cells say (an empty cell blank, a 0 as 0).
            Data::Empty => Some(None),
            Data::String(t) => match fold_width(t).trim().to_ascii_lowercase().as_str() {
                "" => Some(None),
                t if t == AS_GIVEN => Some(None),
                t if t == YES || t == "true" || t == "y" || t == "yes" => Some(Some(true)),
                t if t == NO || t == "false" || t == "n" || t == "no" => Some(Some(false)),
                _ => None,
            },
            _ => None,
        };
        match v {
            Some(b) => self.parsed.report.show_zero = b,
            None => {
                let loc = self.sheets[s].location(r, c);
                let shown = self.text_at(s, r, c);
                self.error(
                    Rule::Value,
                    format!(
                        "“{shown}”不是有效的“{}”：应为“{YES}”“{NO}”或“{AS_GIVEN}”（留空同“{AS_GIVEN}”）",
                        keys::SHOW_ZERO
                    ),
                    loc,
                    Some(Key::ShowZero.into()),
                );
            }
        }
    }

    /// Without our 基本信息 sheet: 机关 and 年度 from a title such as
    /// `XX局2023年政府信息公开工作年度报告`, else a SCHEMA error for each.
    /// 机关 and 年度 in an office's own workbook: a label (`填报单位`, `报告年度` …, see
    /// [`BODY_LABELS`]) with its value to the right or below, `标签：值` in one cell, or else the
    /// title (`XX2024年政府信息公开工作年度报告`). When they are missing, the message says where
    /// it looked and how to add them.
    fn info_from_labels(&mut self) {
        let body = self.labelled(&BODY_LABELS, |t| {
            let t = t.trim();
            let unit = ["万元", "元", "件", "个", "人", "次"].contains(&t);
            (!t.is_empty() && !unit && t.chars().count() <= 64 && t.parse::<f64>().is_err())
                .then(|| t.to_string())
        });
        let year = self.labelled(&YEAR_LABELS, |t| year_of(t).map(|y| y.to_string()));
        if let Some((s, r, c, b)) = &body {
            self.locate(Key::Body, *s, *r, *c);
            self.parsed.report.body = b.clone();
        }
        if let Some((s, r, c, y)) = &year {
            self.locate(Key::Year, *s, *r, *c);
            match y.parse::<u16>() {
                Ok(y) if format::YEARS.contains(&y) => self.parsed.report.year = y,
                _ => {
                    let loc = self.sheets[*s].location(*r, *c);
                    self.error(
                        Rule::Value,
                        format!(
                            "“{y}”不是有效的年度：应为 {} 至 {} 之间的年份",
                            format::YEARS.start(),
                            format::YEARS.end()
                        ),
                        loc,
                        Some(Key::Year.into()),
                    );
                }
            }
        }
        if body.is_none() || year.is_none() {
            self.info_from_title(body.is_none(), year.is_none());
        }
    }

    /// The first value given under one of `labels`: right of the label (the next filled cell
    /// within three columns), below it, or after a colon in the label's own cell. `accept`
    /// turns the text into a value or refuses it.
    fn labelled(
        &self,
        labels: &[&str],
        accept: impl Fn(&str) -> Option<String>,
    ) -> Option<(usize, u32, u32, String)> {
        let wanted: Vec<String> = labels.iter().map(|l| normalize(l)).collect();
        for (s, sheet) in self.sheets.iter().enumerate() {
            for (r, c, t) in &sheet.texts {
                let (r, c) = (*r, *c);
                if wanted.contains(t) {
                    let next = sheet.last_col(r, c) + 1;
                    let right =
                        (next..next + 3).find(|&x| !self.text_at(s, r, x).trim().is_empty());
                    let below = sheet.last_row(r, c) + 1;
                    for (vr, vc) in right.map(|x| (r, x)).into_iter().chain([(below, c)]) {
                        // The next label of a header row is not this label's value.
                        if is_label(&sheet.norm(vr, vc)) {
                            continue;
                        }
                        if let Some(v) = accept(&self.text_at(s, vr, vc)) {
                            return Some((s, vr, vc, v));
                        }
                    }
                    continue;
                }
                // `单位名称：某某局` in one cell.
                let raw = fold_width(&self.text_at(s, r, c));
                if let Some((label, value)) = raw.split_once([':', '：']) {
                    if wanted.contains(&normalize(label)) {
                        if let Some(v) = accept(value) {
                            return Some((s, r, c, v));
                        }
                    }
                }
            }
        }
        None
    }

    fn info_from_title(&mut self, want_body: bool, want_year: bool) {
        let tail = "年政府信息公开工作年度报告";
        let mut found = None;
        'outer: for (s, sheet) in self.sheets.iter().enumerate() {
            for (&(r, c), v) in &sheet.cells {
                if let Data::String(t) = v {
                    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                    if let Some(i) = t.find(tail) {
                        let head = &t[..i];
                        let digits: String = head
                            .chars()
                            .rev()
                            .take_while(|c| c.is_ascii_digit())
                            .collect();
                        let body = &head[..head.len() - digits.len()];
                        // A title without the body (`2024年…报告统计表`) still gives the year.
                        if digits.len() == 4 && (!want_body || !body.is_empty()) {
                            let year: String = digits.chars().rev().collect();
                            let body = body.to_string();
                            found = Some((s, r, c, body, year));
                            break 'outer;
                        }
                    }
                }
            }
        }
        match found {
            Some((s, r, c, body, year)) => {
                if want_body {
                    self.locate(Key::Body, s, r, c);
                    self.parsed.report.body = body.clone();
                }
                if !want_year {
                    return;
                }
                self.locate(Key::Year, s, r, c);
                match year.parse::<u16>() {
                    Ok(y) if format::YEARS.contains(&y) => self.parsed.report.year = y,
                    _ => {
                        let loc = self.sheets[s].location(r, c);
                        self.error(
                            Rule::Value,
                            format!("标题中的年度“{year}”无效"),
                            loc,
                            Some(Key::Year.into()),
                        );
                    }
                }
                let loc = self.sheets[s].location(r, c);
                self.warn(
                    Rule::Schema,
                    format!(
                        "工作簿中没有“{INFO_SHEET}”工作表：{}取自标题“{body}{year}{tail}”",
                        if want_body {
                            "机关和年度"
                        } else {
                            "年度"
                        }
                    ),
                    loc,
                );
            }
            _ => {
                let sheets: Vec<&str> = self.sheets.iter().map(|s| s.name.as_str()).collect();
                let wanted = [
                    (want_body, Key::Body, &BODY_LABELS[..], "机关全称"),
                    (want_year, Key::Year, &YEAR_LABELS[..], "2024"),
                ];
                for (want, key, labels, example) in wanted {
                    if !want {
                        continue;
                    }
                    let k = key.path();
                    let d = Diagnostic::error(
                        Rule::Schema,
                        format!(
                            "缺少“{k}”：在工作表 {} 中找过“{}”等标签（标签右侧或下方的单元格，或“标签：值”），也找过形如“XX2024{tail}”的标题，都没有",
                            sheets.join("、"),
                            labels[..4].join("”“")
                        ),
                    )
                    .with_place(key)
                    .with_hint(format!(
                        "在任一工作表中加一行：A 列写“{}”，B 列写“{example}”；或加一个“{INFO_SHEET}”工作表（`xxgk template --xlsx` 生成的模板中有）",
                        labels[if key == Key::Body { 4 } else { 1 }]
                    ));
                    self.parsed.diagnostics.push(d);
                }
            }
        }
    }
}

/// Whether a normalised cell text is one of the 机关 or 年度 labels.
/// Where our template writes a value: its sheet, row and column.
fn template_cell(v: ValueRef) -> Option<(&'static str, u32, u32)> {
    format::tables().into_iter().find_map(|grid| {
        grid.values()
            .find(|(_, w)| *w == v)
            .map(|(cell, _)| (grid.name(), TABLE_TOP + cell.row as u32, cell.col as u32))
    })
}

/// A text cell's paragraphs in the model's form: in a cell one line break (Alt+Enter) starts a
/// paragraph, while the model joins lines broken inside a paragraph (YAML folds them). Each
/// break between two lines with text becomes a blank line; other breaks stay as they are.
fn paragraph_breaks(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<&str> = None;
    for line in s.split('\n') {
        if let Some(p) = prev {
            out.push('\n');
            if !p.trim().is_empty() && !line.trim().is_empty() {
                out.push('\n');
            }
        }
        out.push_str(line);
        prev = Some(line);
    }
    out
}

fn is_label(norm: &str) -> bool {
    BODY_LABELS
        .iter()
        .chain(YEAR_LABELS.iter())
        .any(|l| normalize(l) == norm)
}

/// A year as offices write it: `2024`, `2024年`, `2024年度`, `２０２４`, 2024.0.
fn year_of(text: &str) -> Option<u16> {
    let t = fold_width(text);
    let t = t.trim();
    let t = t
        .strip_suffix("年度")
        .or_else(|| t.strip_suffix('年'))
        .unwrap_or(t)
        .trim();
    let t = t.strip_suffix(".0").unwrap_or(t);
    (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

/// A row that names only a category (no item) yet holds numbers, before any of the category's
/// items: the category written as one row. Returns the category's last item.
fn single_category_row(
    labels: &[String],
    category: Option<usize>,
    seen: &[bool; 25],
    has_numbers: bool,
) -> Option<usize> {
    let c = category?;
    let is_heading = |l: &String| {
        *l == normalize(format::T3_RESULTS_GROUP)
            || match_score(l, T3_CATEGORIES[c].label, T3_CATEGORIES[c].key) > 0
    };
    let items: Vec<usize> = (0..T3_ROWS.len())
        .filter(|&i| T3_ROWS[i].category == Some(c))
        .collect();
    let named_here = labels
        .iter()
        .any(|l| match_score(l, T3_CATEGORIES[c].label, T3_CATEGORIES[c].key) > 0);
    if has_numbers && named_here && labels.iter().all(is_heading) && items.iter().all(|&i| !seen[i])
    {
        items.last().copied()
    } else {
        None
    }
}

/// The place of section `i` of [`SECTIONS`] (its heading row).
fn section_place(i: usize) -> Place {
    match SECTIONS[i].kind {
        format::SectionKind::Text(section) => Place::Text {
            section,
            part: None,
        },
        format::SectionKind::Table(t) => Place::TableSection(t),
    }
}

fn section_mut(r: &mut Report, i: usize) -> &mut Section {
    match i {
        0 => &mut r.overview,
        4 => &mut r.problems,
        _ => &mut r.other,
    }
}

/// `（一）`, `(3)`: a subsection number cell.
fn is_numbering(s: &str) -> bool {
    let f = fold_width(s);
    let t = f.trim();
    t.strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .is_some_and(|x| !x.is_empty() && x.chars().all(is_numeral))
}

/// A date from an Excel serial day number (1900 date system).
fn serial_date(f: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&f) {
        return None;
    }
    // Days since 1970-01-01; serial 25569 is 1970-01-01 (Excel's fictitious 1900-02-29 lies before).
    let days = f.floor() as i64 - 25_569;
    // Civil-from-days (H. Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    Some(Date { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising() {
        assert_eq!(normalize("（三）不予公开"), "不予公开");
        assert_eq!(normalize("(三)不予公开"), "不予公开");
        assert_eq!(normalize("1、属于国家秘密"), "属于国家秘密");
        assert_eq!(normalize("3.危及“三安全一稳定”"), "危及三安全一稳定");
        assert_eq!(normalize("商业\n企业"), "商业企业");
        assert_eq!(
            normalize("一、本年新收政府信息公开申请数量"),
            "本年新收政府信息公开申请数量"
        );
        assert_eq!(normalize("其他"), "其他");
        assert_eq!(normalize(" 三、本年度办理结果"), "本年度办理结果");
    }

    #[test]
    fn number_formats_and_notes() {
        assert_eq!(parse_num_format("0.00"), (Some(2), String::new()));
        assert_eq!(parse_num_format("General"), (None, String::new()));
        assert_eq!(
            parse_num_format("0\"（其中修订16件）\";-0;\"\";@"),
            (Some(0), "（其中修订16件）".to_string())
        );
        assert_eq!(
            parse_num_format("0\"（a\"\\\"\"b）\""),
            (Some(0), "（a\"b）".to_string())
        );
        assert_eq!(
            parse_num_format("#,##0.0000_);(#,##0.0000)"),
            (Some(4), String::new())
        );
        assert_eq!(
            split_note("22（其中修订16件）"),
            ("22".into(), Some("其中修订16件".into()))
        );
        assert_eq!(
            split_note("22 (含自然失效29件)"),
            ("22".into(), Some("含自然失效29件".into()))
        );
        assert_eq!(fee_text(7730.2, Some(2)), "7730.20");
        assert_eq!(fee_text(7730.28, Some(0)), "7730.28");
        assert_eq!(fee_text(59237.2449, None), "59237.2449");
        assert_eq!(fee_text(0.1 + 0.2, None), "0.3");
        assert_eq!(fee_text(0.1 + 0.2, Some(2)), "0.30");
        assert_eq!(fee_text(0.7 + 0.1, Some(0)), "0.8");
        assert_eq!(fee_text(12345678.1234, None), "12345678.1234");
        assert_eq!(fee_text(1e-7, None), "0.0000001");
    }

    #[test]
    fn counts_from_text() {
        assert_eq!(count_from_text("12").unwrap().unwrap().value, 12);
        assert_eq!(count_from_text("１２").unwrap().unwrap().value, 12);
        assert!(count_from_text("12件").is_err());
        assert!(count_from_text("-1").is_err());
        assert!(count_from_text("1.5").is_err());
        assert!(count_from_text("  ").unwrap().is_none());
    }

    #[test]
    fn serial_dates() {
        assert_eq!(
            serial_date(44588.0),
            Some(Date {
                year: 2022,
                month: 1,
                day: 27
            })
        );
    }

    #[test]
    fn a_line_break_in_a_cell_starts_a_paragraph() {
        assert_eq!(paragraph_breaks("甲\n乙"), "甲\n\n乙");
        assert_eq!(paragraph_breaks("甲\r\n乙"), "甲\r\n\n乙");
        assert_eq!(paragraph_breaks("甲\n\n乙"), "甲\n\n乙");
        assert_eq!(paragraph_breaks("甲\n \n乙\n"), "甲\n \n乙\n");
        assert_eq!(paragraph_breaks("\n甲"), "\n甲");
        assert_eq!(paragraph_breaks(""), "");
        assert_eq!(
            Text(paragraph_breaks("一\n二\n三")).paragraphs(),
            vec!["一", "二", "三"]
        );
    }

    #[test]
    fn typos() {
        assert!(fuzzy_close(
            &normalize("2.其他法律行政止公开"),
            "2.其他法律行政法规禁止公开"
        )
        .is_some());
        assert!(fuzzy_close(&normalize("重复"), "2.重复申请").is_none());
    }
}
