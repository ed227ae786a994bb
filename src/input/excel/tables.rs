//! Finding the three tables by their labels, and reading their rows and columns.

use super::labels::{fuzzy_close, match_score, normalize};
use super::sheets::Sheet;
use super::ReadState;
use crate::diag::{Diagnostic, Location, Place, Rule};
use crate::spec::format::{
    self, TableId, ValueRef, SECTIONS, T2_AMOUNT_ROW, T2_COUNT_ROWS, T2_TRIPLE_KEYS,
    T2_TRIPLE_LABELS, T2_TRIPLE_ROWS, T3_CATEGORIES, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS,
};
use crate::spec::workbook::a1;
use calamine::Data;

/// A row that names only a category (no item) yet holds numbers, before any of the category's
/// items: the category written as one row. Returns the category's last item.
pub(super) fn single_category_row(
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

impl ReadState {
    /// Where table `what` starts: the first cell whose text satisfies `is_label` and whose
    /// surroundings satisfy `confirm`, on the sheet [`ReadState::choose_sheet`] picks among the
    /// sheets that hold such a cell; else (no cell confirmed) the first cell that satisfies
    /// `is_label` alone, visible sheets first.
    pub(super) fn find_table(
        &mut self,
        what: &str,
        own: &str,
        is_label: impl Fn(&str) -> bool,
        confirm: impl Fn(&Sheet, u32, u32) -> bool,
    ) -> Option<(usize, u32, u32)> {
        let mut confirmed: Vec<(usize, u32, u32)> = vec![];
        let mut first: Option<(usize, u32, u32)> = None;
        for s in self.sheet_order() {
            let sheet = &self.sheets[s];
            let cells = sheet.find(&is_label);
            if let Some(&(r, c)) = cells.first() {
                first.get_or_insert((s, r, c));
            }
            if let Some((r, c)) = cells.into_iter().find(|&(r, c)| confirm(sheet, r, c)) {
                confirmed.push((s, r, c));
            }
        }
        if confirmed.is_empty() {
            if let Some((s, _, _)) = first {
                self.choose_sheet(what, own, &[(s, 0)]);
            }
            return first;
        }
        let found: Vec<(usize, usize)> = confirmed.iter().map(|&(s, _, _)| (s, 1)).collect();
        let s = self.choose_sheet(what, own, &found)?;
        confirmed.into_iter().find(|c| c.0 == s)
    }

    pub(super) fn missing_table(&mut self, table: TableId, label: &str, values: Vec<ValueRef>) {
        let mut msg = format!(
            "没有找到{}（{}）：{}中没有行标签“{label}”",
            table.name(),
            table.section().title,
            self.source_noun()
        );
        if let Some(note) = self.damage_note(None) {
            msg = format!("{msg}；{note}，{}可能在其中（见前面的错误）", table.name());
        }
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

    /// The rows (or groups) of a table not found on sheet `s`, which stopped being readable part
    /// way: one error that points back at the damage (listed first), not one per row — they are
    /// missing because of it. Returns false when the sheet is whole (each row is reported).
    pub(super) fn missing_after_damage(
        &mut self,
        table: TableId,
        s: usize,
        missing: &[String],
        values: Vec<ValueRef>,
    ) -> bool {
        let (Some(note), Some(at)) = (self.damage_note(Some(s)), self.sheets[s].damaged) else {
            return false;
        };
        if missing.is_empty() {
            return true;
        }
        let loc = self.sheets[s].location(at.0, at.1);
        let first = crate::input::number::cut(&missing[0]);
        // 表四's parts are groups of columns, the others' rows.
        let unit = if table == TableId::T4 { "组" } else { "行" };
        self.error(
            Rule::Schema,
            format!(
                "{}有 {} {unit}没有读到（从“{first}”起）：{note}（见前面的错误）",
                table.name(),
                missing.len()
            ),
            loc,
            Some(Place::Table(table)),
        );
        for v in values {
            self.unreadable(v);
        }
        true
    }

    pub(super) fn read_t2(&mut self) {
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
        // How many of the labels each sheet holds. A sheet with half of them or more holds the
        // table; among those the sheet is chosen (visible, named 表二 …); with none, the sheet
        // that holds most of the labels.
        let counts: Vec<(usize, usize)> = (0..self.sheets.len())
            .map(|s| {
                let n = labels
                    .iter()
                    .filter(|(_, alts)| {
                        !self.sheets[s]
                            .find(|t| alts.iter().any(|a| a == t))
                            .is_empty()
                    })
                    .count();
                (s, n)
            })
            .filter(|&(_, n)| n > 0)
            .collect();
        let strong: Vec<(usize, usize)> = counts
            .iter()
            .copied()
            .filter(|&(_, n)| n * 2 >= labels.len())
            .collect();
        let found = if strong.is_empty() {
            let order = self.sheet_order();
            counts
                .iter()
                .copied()
                .max_by_key(|&(s, n)| {
                    let rank = order.iter().position(|&x| x == s).unwrap_or(usize::MAX);
                    (n, std::cmp::Reverse(rank))
                })
                .into_iter()
                .collect()
        } else {
            strong
        };
        let own = TableId::T2.name();
        let chosen = self.choose_sheet(own, own, &found);
        let Some(s) = chosen else {
            let all = format::table2_grid().values().map(|(_, v)| v).collect();
            self.missing_table(TableId::T2, T2_TRIPLE_ROWS[0], all);
            return;
        };
        let mut table_loc = None;
        let (mut lost_rows, mut lost_values) = (vec![], vec![]);
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
                if self.sheets[s].damaged.is_some() {
                    lost_rows.push(label.to_string());
                    lost_values.extend(values);
                    continue;
                }
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
                let cols = match self.t2_triple_columns(s, r, c) {
                    Some(cols) => cols,
                    None => {
                        // No header above: the three cells right of the label, in order. In a
                        // foreign document that is a guess, and said.
                        if self.foreign {
                            let loc = self.sheets[s].location(r, c);
                            self.parsed.diagnostics.push(
                                Diagnostic::warning(
                                    Rule::Import,
                                    format!(
                                        "表二“{label}”一行上方没有找到表头“{}”，按标签右边的三格依次读取；请与原件核对这一行",
                                        T2_TRIPLE_LABELS.join("”“")
                                    ),
                                )
                                .at(loc)
                                .with_place(row),
                            );
                        }
                        [next, next + 1, next + 2]
                    }
                };
                for (k, v) in values.into_iter().enumerate() {
                    self.read_count(s, r, cols[k], v);
                }
            } else if i < 5 {
                self.read_count(s, r, next, values[0]);
            } else {
                self.read_fee(s, r, next);
            }
        }
        self.missing_after_damage(TableId::T2, s, &lost_rows, lost_values);
        if let Some(l) = table_loc {
            self.parsed.locations.insert(Place::Table(TableId::T2), l);
        }
    }

    /// Columns of 本年制发件数 / 本年废止件数 / 现行有效件数 in the header above a triple row.
    pub(super) fn t2_triple_columns(&self, s: usize, r: u32, c: u32) -> Option<[u32; 3]> {
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

    pub(super) fn read_t3(&mut self) {
        let first = &T3_ROWS[0];
        // Prefer a label with the 自然人 header above it (a text could repeat the label).
        let head = normalize(T3_COLUMNS[0]);
        let own = TableId::T3.name();
        let start = self.find_table(
            own,
            own,
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
                Some((i, tolerant)) => {
                    if let (Some(l), true) = (tolerant, self.foreign) {
                        self.label_doubt(s, r, data_min, &l, i);
                    }
                    i
                }
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
                            let msg = format!(
                                "表三第{}行的标签“{}”无法识别",
                                r + 1,
                                crate::input::number::cut(&shown.join("／"))
                            );
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
        let missing: Vec<usize> = (0..T3_ROWS.len()).filter(|&i| !seen[i]).collect();
        let labels: Vec<String> = missing
            .iter()
            .map(|&i| T3_ROWS[i].label.to_string())
            .collect();
        let values: Vec<ValueRef> = missing
            .iter()
            .flat_map(|&row| (0..T3_COLUMNS.len()).map(move |col| ValueRef::T3 { row, col }))
            .collect();
        if self.missing_after_damage(TableId::T3, s, &labels, values) {
            return;
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

    /// Which row of table 三 a row's labels name, given the category context, and the label
    /// (normalised) when it matched only tolerantly: neither the official label nor its key
    /// (the label without its remark), but a label cut or reworded at its end, or a typo.
    pub(super) fn t3_classify(
        &self,
        labels: &[String],
        category: &mut Option<usize>,
        seen: &[bool; 25],
    ) -> Option<(usize, Option<String>)> {
        let tolerant = |l: &str, score: u8| (score < 2).then(|| l.to_string());
        // Rows outside the categories: 一、二、（一）（二）（七）四.
        for l in labels {
            let best = T3_ROWS
                .iter()
                .enumerate()
                .filter(|(_, r)| r.category.is_none())
                .map(|(i, r)| (match_score(l, r.label, r.key), i))
                .filter(|(s, _)| *s > 0)
                .max();
            if let Some((score, i)) = best {
                *category = None;
                return Some((i, tolerant(l, score)));
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
            if let Some((score, i)) = best {
                return Some((i, tolerant(item, score)));
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
                [(_, i)] => return Some((*i, Some(item.to_string()))),
                [(d0, i), (d1, _), ..] if d0 < d1 => return Some((*i, Some(item.to_string()))),
                _ => {}
            }
        }
        None
    }

    pub(super) fn read_t4(&mut self) {
        let all: Vec<ValueRef> = format::table4_grid().values().map(|(_, v)| v).collect();
        let g0 = normalize(T4_GROUPS[0]);
        // Prefer the header with its neighbour 未经复议直接起诉 (a text could say 行政复议 alone).
        let g1 = normalize(T4_GROUPS[1]);
        let own = TableId::T4.name();
        let start = self.find_table(
            own,
            own,
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
                "没有找到表四（{}）：{}中没有表头“{}”",
                SECTIONS[3].title,
                self.source_noun(),
                T4_GROUPS[0]
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
        let (mut lost_rows, mut lost_values) = (vec![], vec![]);
        // Each group's columns, found first: the figures stand in one row under the whole
        // header, below its deepest label (a page may give 行政复议's labels no rowspan and an
        // empty row under them, where the 行政诉讼 groups have their second header row).
        let mut found_groups: Vec<(usize, u32, u32, T4Columns)> = vec![];
        let mut data_row = 0u32;
        for (g, group) in T4_GROUPS.iter().enumerate() {
            let gl = normalize(group);
            let sheet = &self.sheets[s];
            let found = sheet
                .find(|t| t == gl)
                .into_iter()
                .find(|&(r, _)| r >= r0 && r <= r0 + 3);
            let Some((gr, gc)) = found else {
                if self.sheets[s].damaged.is_some() {
                    lost_rows.push(group.to_string());
                    lost_values
                        .extend((0..T4_COLUMNS.len()).map(|col| ValueRef::T4 { group: g, col }));
                    continue;
                }
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
            data_row = data_row.max(gr + 1);
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
            found_groups.push((g, gr, gc, cols));
        }
        for (g, gr, gc, cols) in found_groups {
            let group = T4_GROUPS[g];
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
        self.missing_after_damage(TableId::T4, s, &lost_rows, lost_values);
    }

    /// Totals given as formulas or left blank: computed from their parts with the model's rules.
    pub(super) fn compute_derived(&mut self) {
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
}

/// Where each of 表四's five column labels of a group stands (row, column), if found.
type T4Columns = [Option<(u32, u32)>; 5];
