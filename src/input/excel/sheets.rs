//! Loading worksheets from an untrusted workbook: streamed cell by cell into a sparse map,
//! within the limits of [`super::MAX_ROWS`] and its siblings, with the styles the reader needs.

use super::formula;
use super::labels::normalize;
use super::{MAX_COLS, MAX_ROWS, MAX_SHEET_CELLS, MAX_TEXT_BYTES, MAX_WORKBOOK_CELLS};
use crate::diag::{CellRef, Diagnostic, Location, Rule};
use crate::input::number::cut;
use crate::spec::workbook::a1;
use calamine::{Data, DataRef, Dimensions, Xlsx, XlsxError};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;
use std::rc::Rc;

/// What all sheets read so far have used.
#[derive(Default)]
pub(super) struct Budget {
    pub(super) cells: usize,
    pub(super) text_bytes: usize,
    /// A workbook-wide limit was reached: no further sheet is read.
    pub(super) exhausted: bool,
}

pub(super) fn sheet_loc(sheet: &str, (r, c): (u32, u32)) -> Location {
    Location::Sheet {
        // Excel allows 31 characters; a hostile workbook's name is cut like any quoted value.
        sheet: cut(sheet),
        cell: CellRef::new(r, c),
    }
}

/// What loading the sheets carries from one sheet to the next.
#[derive(Default)]
pub(super) struct Loader {
    pub(super) budget: Budget,
    pub(super) formats: Option<Styles>,
    pub(super) diags: Vec<Diagnostic>,
    /// Sheets that could not be read at all (their tables are missing because of it).
    pub(super) lost: Vec<String>,
    /// The workbook asks to recalculate every formula when opened (`fullCalcOnLoad`, as scripts
    /// write it): a result of 0 or "" it holds is a placeholder, not a computed value.
    pub(super) recalc: bool,
}

impl Loader {
    /// Streams one sheet into a sparse [`Sheet`]: never through calamine's `Range`, which
    /// allocates the whole rectangle from A1 to the farthest cell (one cell at XFD1048576 is 17
    /// billion cells). Cells beyond [`MAX_ROWS`] × [`MAX_COLS`] are dropped with one warning.
    pub(super) fn read_sheet(
        &mut self,
        wb: &mut Xlsx<Cursor<Vec<u8>>>,
        name: String,
        visible: bool,
    ) -> Option<Sheet> {
        let corrupt = |e: &XlsxError, at: Option<(u32, u32)>| {
            let msg = format!(
                "工作表“{}”的内容已损坏，无法完整读取（{}）",
                cut(&name),
                crate::input::number::cut_to(&e.to_string(), 160)
            );
            let d = Diagnostic::error(Rule::Syntax, msg);
            match at {
                Some(p) => d.at(sheet_loc(&name, p)),
                None => d.at(sheet_loc(&name, (0, 0))),
            }
        };
        // A hostile workbook's sheet name can be of any length: messages quote it cut.
        let shown = cut(&name);
        let budget = &mut self.budget;
        let diags = &mut self.diags;
        let mut cells = BTreeMap::new();
        let mut fset = HashSet::new();
        let mut uncached = HashMap::new();
        let mut damaged = None;
        let mut outside: Option<(u32, u32)> = None;
        {
            let mut reader = match wb.worksheet_cells_reader(&name) {
                Ok(r) => r,
                // A chart sheet, a dialog sheet: no cells.
                Err(XlsxError::NotAWorksheet(_)) => return None,
                Err(e) => {
                    diags.push(corrupt(&e, None));
                    self.lost.push(name);
                    return None;
                }
            };
            if self.formats.is_none() {
                self.formats = Some(Rc::new(
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
                        damaged = Some(last.unwrap_or((0, 0)));
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
                                "工作表“{shown}”的单元格超过 {MAX_SHEET_CELLS} 个，不像正常的报告工作表，已停止读取该表"
                            ),
                        )
                        .at(sheet_loc(&name, pos)),
                    );
                    damaged = Some(pos);
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
                    damaged = Some(pos);
                    break;
                }
                if pos.0 >= MAX_ROWS || pos.1 >= MAX_COLS {
                    outside.get_or_insert(pos);
                    continue;
                }
                // The formula's text, when the cell has one (a cell of a shared formula other
                // than its first has none of its own: "").
                let formula = match &rec.formula {
                    None => None,
                    Some(calamine::XlsxFormulaMetadata::Normal { formula }) => {
                        (!formula.trim().is_empty()).then(|| formula.clone())
                    }
                    Some(calamine::XlsxFormulaMetadata::Shared { formula, .. }) => {
                        Some(formula.clone())
                    }
                    Some(_) => Some(String::new()),
                };
                if let Some(f) = formula {
                    fset.insert(pos);
                    // No result saved, or the placeholder result (0, "") of a workbook that
                    // says to recompute everything when opened — as scripts write formulas
                    // (any other result was computed by someone, and is kept): the value is
                    // the formula's own when it is constant arithmetic, else unknown.
                    let placeholder = match &rec.value {
                        DataRef::Empty => true,
                        DataRef::Float(f) => self.recalc && *f == 0.0,
                        DataRef::Int(i) => self.recalc && *i == 0,
                        DataRef::DateTime(d) => self.recalc && d.as_f64() == 0.0,
                        DataRef::String(t) => self.recalc && t.is_empty(),
                        DataRef::SharedString(t) => self.recalc && t.is_empty(),
                        _ => false,
                    };
                    if placeholder {
                        match formula::eval(&f) {
                            Some(v) => {
                                cells.insert(pos, Data::Float(v));
                            }
                            None => {
                                uncached.insert(pos, f);
                            }
                        }
                        continue;
                    }
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
                        damaged = Some(pos);
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
                        "工作表“{shown}”在前 {MAX_ROWS} 行、前 {MAX_COLS} 列以外有单元格（第一个是 {shown}!{}），报告的表格不会在那里，这些单元格已忽略",
                        a1(r, c.min(u32::from(u16::MAX)) as u16)
                    ),
                )
                .at(sheet_loc(&name, (r, c))),
            );
        }
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        let formats = self.formats.clone().unwrap_or_default();
        let mut sheet = Sheet::new(name, cells, merges, fset, styled, formats);
        sheet.visible = visible;
        sheet.damaged = damaged;
        sheet.uncached = uncached;
        sheet.hide_covered(diags);
        Some(sheet)
    }
}

/// What the reader uses of a cell style.
pub(super) struct StyleInfo {
    /// Number format code (notes such as `0"（其中修订16件）"`, the fee's decimals).
    pub(super) format: Option<String>,
    pub(super) locked: bool,
}

/// The workbook's styles, by style id.
pub(super) type Styles = Rc<Vec<StyleInfo>>;

pub(super) struct Sheet {
    pub(super) name: String,
    /// The non-empty cells inside [`MAX_ROWS`] × [`MAX_COLS`], in reading order.
    pub(super) cells: BTreeMap<(u32, u32), Data>,
    /// Covered position → merge anchor (anchors included).
    pub(super) anchor: HashMap<(u32, u32), Dimensions>,
    pub(super) formulas: HashSet<(u32, u32)>,
    /// Style id of each styled cell.
    pub(super) styled: HashMap<(u32, u32), usize>,
    /// Number format and protection of each style id.
    pub(super) formats: Styles,
    /// Every text cell, normalised: (row, col, text).
    pub(super) texts: Vec<(u32, u32, String)>,
    pub(super) end: (u32, u32),
    /// Shown in Excel (not hidden or very hidden).
    pub(super) visible: bool,
    /// Where reading stopped, when the sheet could be read only in part.
    pub(super) damaged: Option<(u32, u32)>,
    /// Formula cells whose value is unknown (no trustworthy result saved, not constant
    /// arithmetic), with their formula text ("" for a cell of a shared formula).
    pub(super) uncached: HashMap<(u32, u32), String>,
}

impl Sheet {
    pub(super) fn new(
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
            visible: true,
            damaged: None,
            uncached: HashMap::new(),
        }
    }

    /// Drops the contents of cells covered by a merged range (not its top-left cell): Excel and
    /// WPS show only the top-left cell's content, so only it counts. One warning per sheet
    /// names the first such cell and how many there are.
    fn hide_covered(&mut self, diags: &mut Vec<Diagnostic>) {
        let covered: Vec<((u32, u32), Dimensions)> = self
            .anchor
            .iter()
            .filter(|(pos, m)| **pos != m.start)
            .filter(|(pos, _)| self.cells.contains_key(pos) || self.uncached.contains_key(pos))
            .map(|(pos, m)| (*pos, *m))
            .collect();
        let Some(&(first, m)) = covered.iter().min_by_key(|(pos, _)| *pos) else {
            return;
        };
        let shown = match self.cells.get(&first) {
            Some(Data::String(t)) => t.clone(),
            Some(Data::Float(f)) => format!("{f}"),
            Some(Data::Int(i)) => i.to_string(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        let hidden: HashSet<(u32, u32)> = covered.iter().map(|(p, _)| *p).collect();
        for pos in &hidden {
            self.cells.remove(pos);
            self.uncached.remove(pos);
        }
        self.texts.retain(|(r, c, _)| !hidden.contains(&(*r, *c)));
        let at = |p: (u32, u32)| a1(p.0, p.1.min(u32::from(u16::MAX)) as u16);
        let name = &cut(&self.name);
        let more = if covered.len() > 1 {
            format!("（本表共有 {} 个这样的单元格）", covered.len())
        } else {
            String::new()
        };
        diags.push(
            Diagnostic::warning(
                Rule::Schema,
                format!(
                    "{name}!{} 被合并区域 {}:{} 遮住，却有内容“{}”：合并区域只有左上角 {name}!{} 的内容有效，被遮住的内容已忽略{more}",
                    at(first),
                    at(m.start),
                    at(m.end),
                    cut(&shown),
                    at(m.start)
                ),
            )
            .at(sheet_loc(name, first))
            .with_hint("如果被遮住的内容才是对的，请取消合并后把它填在左上角的单元格中"),
        );
    }

    pub(super) fn raw(&self, r: u32, c: u32) -> &Data {
        static EMPTY: Data = Data::Empty;
        self.cells.get(&(r, c)).unwrap_or(&EMPTY)
    }

    /// The value shown at a position: a merged area shows its anchor's value.
    pub(super) fn shown(&self, r: u32, c: u32) -> &Data {
        match self.anchor.get(&(r, c)) {
            Some(m) => self.raw(m.start.0, m.start.1),
            None => self.raw(r, c),
        }
    }

    pub(super) fn norm(&self, r: u32, c: u32) -> String {
        match self.shown(r, c) {
            Data::String(s) => normalize(s),
            _ => String::new(),
        }
    }

    /// Last column of the merged area at a position (the position itself if not merged).
    pub(super) fn last_col(&self, r: u32, c: u32) -> u32 {
        self.anchor.get(&(r, c)).map(|m| m.end.1).unwrap_or(c)
    }

    pub(super) fn last_row(&self, r: u32, c: u32) -> u32 {
        self.anchor.get(&(r, c)).map(|m| m.end.0).unwrap_or(r)
    }

    pub(super) fn num_format(&self, r: u32, c: u32) -> Option<&str> {
        let id = self.styled.get(&(r, c))?;
        self.formats.get(*id)?.format.as_deref()
    }

    /// Whether the cell is locked (protected from editing when the sheet is protected).
    pub(super) fn locked(&self, r: u32, c: u32) -> bool {
        self.styled
            .get(&(r, c))
            .and_then(|id| self.formats.get(*id))
            .is_none_or(|s| s.locked)
    }

    pub(super) fn location(&self, r: u32, c: u32) -> Location {
        sheet_loc(&self.name, (r, c))
    }

    /// Cells whose normalised text satisfies `f`, in reading order.
    pub(super) fn find(&self, f: impl Fn(&str) -> bool) -> Vec<(u32, u32)> {
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
