//! The three tables: rows as lists or mappings, counts, the fee, and the errors at their cells.

use super::index::join;
use super::{is_blank, scalar_text, untag, Node, Reader};
use crate::diag::{Diagnostic, Place, Rule};
use crate::input::{number, suggest};
use crate::model::{Amount, Count, Decimal, Report};
use crate::spec::format::{
    self, keys, T3Role, TableId, ValueRef, T2_COUNT_ROWS, T2_TRIPLE_KEYS, T2_TRIPLE_ROWS,
    T3_CATEGORIES, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS,
};
use serde_yaml::Value;

impl Reader {
    /// The note of a cell written as `{数: …, 注: …}` (after checking its keys).
    fn cell_note(&mut self, n: Node, map: &serde_yaml::Mapping) -> Option<String> {
        self.check_keys(
            map,
            n.path,
            &[keys::CELL_NUMBER, keys::CELL_NOTE],
            "带注释的单元格",
        );
        Self::get(map, keys::CELL_NOTE)
            .map(|v| scalar_text(untag(v)))
            .filter(|s| !s.trim().is_empty())
    }

    /// Reads one count; on error records it and marks the cell unreadable.
    pub(super) fn count(&mut self, n: Node, value: ValueRef) -> Count {
        let cell = &value.path();
        let at = self.loc(n.path);
        self.parsed.locations.insert(value.into(), at);
        match untag(n.v) {
            Value::Mapping(map) => {
                let note = self.cell_note(n, map);
                // A note gives the cell a value to print it after (`0（…）`).
                let blank =
                    note.is_none() && Self::get(map, keys::CELL_NUMBER).is_none_or(is_blank);
                let value = match Self::get(map, keys::CELL_NUMBER) {
                    Some(v) => self.number(
                        Node {
                            v,
                            path: &join(n.path, keys::CELL_NUMBER),
                        },
                        value,
                    ),
                    None => {
                        self.schema(n.path, format!("单元格 {cell} 写了“注”但缺少“数”"));
                        self.parsed.unreadable.insert(value);
                        0
                    }
                };
                Count { value, note, blank }
            }
            // Left empty (`~`, `""`): 0 that prints blank.
            v if is_blank(v) => Count::BLANK,
            _ => Count::new(self.number(n, value)),
        }
    }

    pub(super) fn number(&mut self, n: Node, value: ValueRef) -> u64 {
        let cell = &value.path();
        let raw = self.ix.raw(n.path).map(str::to_string);
        let result: Result<u64, (String, Option<String>)> = match untag(n.v) {
            Value::Null => Ok(0),
            // The number as typed decides, not as YAML resolved it: `-0`, `0x10`, `1e3` and
            // `+5` are all numbers to YAML, none is a count as a clerk writes one.
            Value::Number(num) => {
                let shown = raw.clone().unwrap_or_else(|| num.to_string());
                match number::count_text(&shown) {
                    Ok(v) => Ok(v.unwrap_or(0)),
                    Err((msg, hint)) => Err((msg, Some(hint))),
                }
            }
            Value::String(s) => {
                match number::count_text(s) {
                    Ok(v) => Ok(v.unwrap_or(0)),
                    Err((msg, hint)) => {
                        let digits: String = suggest::fold_width(s.trim())
                            .chars()
                            .take_while(|c| c.is_ascii_digit())
                            .take(number::QUOTE_CHARS)
                            .collect();
                        // A number with words after it: the words belong in the cell's note.
                        let hint = if hint.contains("注释") && !digits.is_empty() {
                            format!("只填阿拉伯数字，如 {digits}；说明文字可写成 `{{数: {digits}, 注: …}}`")
                        } else {
                            hint
                        };
                        Err((msg, Some(hint)))
                    }
                }
            }
            Value::Bool(b) => Err((
                format!("“{b}”不是数字"),
                Some("只填阿拉伯数字；没有就填 0 或留空".to_string()),
            )),
            Value::Sequence(_) | Value::Mapping(_) => {
                Err(("这里应为一个数字，而不是列表或映射".to_string(), None))
            }
            Value::Tagged(_) => Err(("这里应为一个数字".to_string(), None)),
        };
        match result {
            Ok(v) if v > format::MAX_COUNT => {
                let shown = number::cut(&raw.unwrap_or_else(|| v.to_string()));
                self.value_error(
                    n.path,
                    value,
                    format!(
                        "{cell} 的值“{shown}”太大，不是合理的件数（最大 {}）",
                        format::MAX_COUNT
                    ),
                    Some("检查是否多打了数字".to_string()),
                );
                0
            }
            Ok(v) => v,
            Err((msg, hint)) => {
                self.value_error(n.path, value, format!("{cell} 的值{msg}"), hint);
                0
            }
        }
    }

    pub(super) fn value_error(
        &mut self,
        path: &str,
        value: ValueRef,
        msg: String,
        hint: Option<String>,
    ) {
        let mut d = Diagnostic::error(Rule::Value, msg)
            .with_value(value)
            .at(self.loc(path));
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.push(d);
        self.parsed.unreadable.insert(value);
    }

    /// Reads a row of `cols` columns, as a list (the last, a 总计, optional) or as a mapping;
    /// `value(c)` is the table value of column `c`, `row` the row's place.
    /// Returns the counts and whether the total was given.
    pub(super) fn row(
        &mut self,
        n: Node,
        cols: &[&str],
        row: Place,
        value: impl Fn(usize) -> ValueRef,
    ) -> (Vec<Count>, bool) {
        let cell_prefix = &row.path();
        let mut out = vec![Count::default(); cols.len()];
        let mut total_given = false;
        match untag(n.v) {
            Value::Sequence(items) => {
                if items.len() == cols.len() || items.len() + 1 == cols.len() {
                    total_given = items.len() == cols.len();
                    for (i, it) in items.iter().enumerate() {
                        let p = join(n.path, &i.to_string());
                        out[i] = self.count(Node { v: it, path: &p }, value(i));
                    }
                } else {
                    let d = Diagnostic::error(
                        Rule::Schema,
                        format!(
                            "{cell_prefix} 应有 {} 个数（{}），或 {} 个数（不含总计），实际有 {} 个",
                            cols.len(),
                            cols.join("、"),
                            cols.len() - 1,
                            items.len()
                        ),
                    )
                    .with_place(row)
                    .at(self.loc(n.path));
                    self.push(d);
                    for c in 0..cols.len() {
                        self.parsed.unreadable.insert(value(c));
                    }
                }
            }
            Value::Mapping(map) => {
                self.check_keys(map, n.path, cols, &format!("{cell_prefix} "));
                for (c, col) in cols.iter().enumerate() {
                    let p = join(n.path, col);
                    if let Some(v) = Self::get(map, col) {
                        out[c] = self.count(Node { v, path: &p }, value(c));
                        if c == cols.len() - 1 {
                            total_given = true;
                        }
                    } else {
                        let at = self.loc(n.path);
                        self.parsed.locations.insert(value(c).into(), at);
                    }
                }
            }
            Value::Null => {
                let at = self.loc(n.path);
                for c in 0..cols.len() {
                    self.parsed.locations.insert(value(c).into(), at.clone());
                }
            }
            other => {
                let d = Diagnostic::error(
                    Rule::Schema,
                    format!(
                        "{cell_prefix} 应为 {} 个数的列表，如 [{}]，而不是“{}”",
                        cols.len(),
                        vec!["0"; cols.len()].join(", "),
                        number::cut(&scalar_text(other))
                    ),
                )
                .with_place(row)
                .at(self.loc(n.path));
                self.push(d);
                for c in 0..cols.len() {
                    self.parsed.unreadable.insert(value(c));
                }
            }
        }
        (out, total_given)
    }

    pub(super) fn table_map<'a>(
        &mut self,
        n: Node<'a>,
        table: TableId,
    ) -> Option<&'a serde_yaml::Mapping> {
        match untag(n.v) {
            Value::Mapping(m) => Some(m),
            _ => {
                let d = Diagnostic::error(
                    Rule::Schema,
                    format!("“{}”应为各行数据的映射（行名: [数, …]）", n.path),
                )
                .at(self.loc(n.path))
                .with_hint("参考 `xxgk template --yaml` 生成的模板");
                self.push(d);
                self.mark_all_unreadable(table);
                None
            }
        }
    }

    pub(super) fn table2(&mut self, n: Node, report: &mut Report) {
        let Some(map) = self.table_map(n, TableId::T2) else {
            return;
        };
        let mut allowed: Vec<&str> = T2_TRIPLE_ROWS.to_vec();
        allowed.extend(T2_COUNT_ROWS);
        allowed.push(format::T2_AMOUNT_ROW);
        self.check_keys(map, n.path, &allowed, "表二（主动公开）");
        for (r, key) in T2_TRIPLE_ROWS.iter().enumerate() {
            let p = join(n.path, key);
            let prefix = format::t2_cell_path(key, None);
            let Some(v) = Self::get(map, key) else {
                let at = self.loc(n.path);
                for col in 0..3 {
                    let v = ValueRef::T2Document { row: r, col };
                    self.parsed.locations.insert(v.into(), at.clone());
                }
                continue;
            };
            let node = Node { v, path: &p };
            match untag(v) {
                Value::Sequence(items) if items.len() != 3 => {
                    let d = Diagnostic::error(
                        Rule::Schema,
                        format!(
                            "{prefix} 应有 3 个数（{}），实际有 {} 个",
                            format::T2_TRIPLE_LABELS.join("、"),
                            items.len()
                        ),
                    )
                    .with_place(Place::T2Row(r))
                    .at(self.loc(&p));
                    self.push(d);
                    for col in 0..3 {
                        self.parsed
                            .unreadable
                            .insert(ValueRef::T2Document { row: r, col });
                    }
                }
                _ => {
                    // Same shape as a table row with a mandatory last column.
                    let (cells, _) = self.row(node, &T2_TRIPLE_KEYS, Place::T2Row(r), |col| {
                        ValueRef::T2Document { row: r, col }
                    });
                    for (c, cell) in cells.into_iter().enumerate() {
                        report.table2.documents[r][c] = cell;
                    }
                }
            }
        }
        for (r, key) in T2_COUNT_ROWS.iter().enumerate() {
            match Self::get(map, key) {
                Some(v) => {
                    report.table2.decisions[r] = self.count(
                        Node {
                            v,
                            path: &join(n.path, key),
                        },
                        ValueRef::T2Decision { row: r },
                    )
                }
                None => {
                    let at = self.loc(n.path);
                    self.parsed
                        .locations
                        .insert(ValueRef::T2Decision { row: r }.into(), at);
                }
            }
        }
        let key = format::T2_AMOUNT_ROW;
        match Self::get(map, key) {
            Some(v) => {
                report.table2.fee = self.amount(
                    Node {
                        v,
                        path: &join(n.path, key),
                    },
                    ValueRef::T2Fee,
                )
            }
            None => {
                let at = self.loc(n.path);
                self.parsed.locations.insert(ValueRef::T2Fee.into(), at);
            }
        }
    }

    pub(super) fn amount(&mut self, n: Node, value: ValueRef) -> Amount {
        let cell = &value.path();
        let at = self.loc(n.path);
        self.parsed.locations.insert(value.into(), at);
        let (v, note, path) = match untag(n.v) {
            Value::Mapping(map) => {
                let note = self.cell_note(n, map);
                (
                    Self::get(map, keys::CELL_NUMBER),
                    note,
                    join(n.path, keys::CELL_NUMBER),
                )
            }
            _ => (Some(n.v), None, n.path.to_string()),
        };
        if v.is_none_or(is_blank) {
            return Amount {
                note,
                ..Amount::default()
            };
        }
        let text = match v.map(untag) {
            None | Some(Value::Null) => "0".to_string(),
            // The source text keeps the digits as written (`7730.20`); the float would not.
            Some(Value::Number(x)) => self
                .ix
                .raw(&path)
                .map(str::to_string)
                .unwrap_or_else(|| x.to_string()),
            Some(Value::String(s)) => s.trim().to_string(),
            Some(other) => scalar_text(other),
        };
        let text = text.trim_matches(|c| c == '"' || c == '\'').to_string();
        match Decimal::parse(&text) {
            Some(value) => Amount {
                value,
                note,
                blank: false,
            },
            None => {
                let (why, hint) = number::refusal(&text, number::NumberKind::Amount);
                self.value_error(
                    &path,
                    value,
                    format!("{cell} 的值不是有效的金额：{why}"),
                    Some(hint),
                );
                Amount {
                    value: Decimal::default(),
                    note,
                    blank: false,
                }
            }
        }
    }

    pub(super) fn table3(&mut self, n: Node, report: &mut Report) {
        let Some(map) = self.table_map(n, TableId::T3) else {
            return;
        };
        let mut allowed: Vec<&str> = T3_ROWS
            .iter()
            .filter(|r| r.category.is_none())
            .map(|r| r.key)
            .collect();
        allowed.extend(T3_CATEGORIES.iter().map(|c| c.key));
        self.check_keys(map, n.path, &allowed, "表三（申请情况）");
        let mut results_total_given = false;
        for (cat_i, cat) in T3_CATEGORIES.iter().enumerate() {
            let items: Vec<&str> = T3_ROWS
                .iter()
                .filter(|r| r.category == Some(cat_i))
                .map(|r| r.key)
                .collect();
            match Self::get(map, cat.key).map(untag) {
                Some(Value::Mapping(m)) => self.check_keys(
                    m,
                    &join(n.path, cat.key),
                    &items,
                    &format!("“{}”", cat.label),
                ),
                Some(Value::Null) | None => {}
                Some(_) => {
                    let d = Diagnostic::error(
                        Rule::Schema,
                        format!(
                            "“{}”应为各小项的映射，如 `{}: [0, 0, 0, 0, 0, 0, 0]`",
                            cat.key, items[0]
                        ),
                    )
                    .at(self.loc(&join(n.path, cat.key)));
                    // The 2019 trial format had one row for （六）其他处理; 2021 splits it in three.
                    let d = if cat_i == T3_CATEGORIES.len() - 1 {
                        d.with_hint(format!(
                            "2019 年试行格式的“其他处理”只有一行；2021 年格式分为三项，原来的数据可写在 `{}: {{{}: [...]}}`",
                            cat.key,
                            items[items.len() - 1]
                        ))
                    } else {
                        d
                    };
                    self.push(d);
                    // Its rows are unknown: no rule is run on them.
                    for (i, _) in T3_ROWS
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.category == Some(cat_i))
                    {
                        for col in 0..T3_COLUMNS.len() {
                            self.parsed.unreadable.insert(ValueRef::T3 { row: i, col });
                        }
                    }
                }
            }
        }
        for (i, row) in T3_ROWS.iter().enumerate() {
            let (ypath, value) = match row.category {
                None => (join(n.path, row.key), Self::get(map, row.key)),
                Some(c) => {
                    let cp = join(n.path, T3_CATEGORIES[c].key);
                    let v = match Self::get(map, T3_CATEGORIES[c].key).map(untag) {
                        Some(Value::Mapping(m)) => Self::get(m, row.key),
                        _ => None,
                    };
                    (join(&cp, row.key), v)
                }
            };
            let (cells, total_given) = match value {
                Some(v) => self.row(
                    Node { v, path: &ypath },
                    &T3_COLUMNS,
                    Place::T3Row(i),
                    |col| ValueRef::T3 { row: i, col },
                ),
                None => {
                    let at = self.loc(&ypath);
                    for col in 0..T3_COLUMNS.len() {
                        let v = ValueRef::T3 { row: i, col };
                        self.parsed.locations.insert(v.into(), at.clone());
                    }
                    (vec![Count::default(); T3_COLUMNS.len()], false)
                }
            };
            if row.role == T3Role::ResultsTotal && value.is_some() {
                results_total_given = true;
            }
            for (c, cell) in cells.into_iter().enumerate() {
                report.table3.cells[i][c] = cell;
            }
            if !total_given {
                report.table3.compute_row_total(i);
            }
        }
        if !results_total_given {
            report.compute_t3_results_total();
        }
    }

    pub(super) fn table4(&mut self, n: Node, report: &mut Report) {
        let Some(map) = self.table_map(n, TableId::T4) else {
            return;
        };
        self.check_keys(map, n.path, &T4_GROUPS, "表四（复议诉讼）");
        for (g, key) in T4_GROUPS.iter().enumerate() {
            let p = join(n.path, key);
            let (cells, total_given) = match Self::get(map, key) {
                Some(v) => self.row(
                    Node { v, path: &p },
                    &T4_COLUMNS,
                    Place::T4Group(g),
                    |col| ValueRef::T4 { group: g, col },
                ),
                None => {
                    let at = self.loc(n.path);
                    for col in 0..T4_COLUMNS.len() {
                        let v = ValueRef::T4 { group: g, col };
                        self.parsed.locations.insert(v.into(), at.clone());
                    }
                    (vec![Count::default(); T4_COLUMNS.len()], false)
                }
            };
            for (c, cell) in cells.into_iter().enumerate() {
                report.table4.cells[g][c] = cell;
            }
            if !total_given {
                report.table4.compute_total(g);
            }
        }
    }
}
