//! Doubt about a foreign document's cells (a published PDF, Word file, web page or OFD read by
//! its labels; never a workbook). A value is certain when its cell says a plain figure: ASCII
//! digits, and for the fee one decimal point. Any other text that still gives a number —
//! thousands separators, full-width digits, a unit (`12件`, `0.5万元`), a note in brackets,
//! spaces inside the digits, `12.0` — is read, and the cell gets an IMPORT warning saying what
//! was seen and what was taken. When more than [`FOLD_AT`] cells of one table share the same
//! cause (a site that writes every figure with `件`), they get one warning for the table
//! instead, naming the first cell and how many share it. A row label matched only tolerantly
//! (a typo, or a longer label cut) is named too.
//!
//! Workbooks are the clerk's own input and keep their stricter grammar (`12件` stays an error):
//! only [`super::read_grids`] reads with doubt.

use super::values::{check_count, count_from_text, fee_from_text, split_note};
use super::ReadState;
use crate::diag::{Diagnostic, Location, Place, Rule};
use crate::input::number::{count_text, cut};
use crate::input::suggest::fold_width;
use crate::model::{Amount, Count, Decimal};
use crate::spec::format::{
    TableId, ValueRef, T2_AMOUNT_ROW, T2_COUNT_ROWS, T2_TRIPLE_LABELS, T2_TRIPLE_ROWS,
    T3_CATEGORIES, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS,
};

/// More cells of one table than this with the same cause get one warning for the table.
pub(super) const FOLD_AT: usize = 10;

/// Units a published table writes after a count.
const COUNT_UNITS: [&str; 7] = ["件", "个", "次", "项", "条", "份", "人"];

/// Units a published table writes after the fee, which is in 万元 already.
const FEE_UNITS: [&str; 2] = ["万元", "万"];

/// A value read from a cell whose text was not a plain figure.
#[derive(Debug, Clone)]
pub(super) struct CellDoubt {
    pub value: ValueRef,
    pub location: Location,
    /// The cell's text.
    pub seen: String,
    /// The value taken, as the report writes it.
    pub taken: String,
    pub note: Option<String>,
    /// What made the text more than a plain figure, joined with `、`.
    pub causes: String,
}

fn plain_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn plain_fee(s: &str) -> bool {
    match s.split_once('.') {
        Some((a, b)) => plain_digits(a) && plain_digits(b),
        None => plain_digits(s),
    }
}

/// The number part of a cell's text made plain, and what had to be undone: full-width digits,
/// thousands separators, a unit (one of `units`), spaces inside the digits.
fn unwrap_number(num: &str, units: &[&str]) -> (String, Vec<String>) {
    let mut causes = vec![];
    if num.chars().any(|c| ('０'..='９').contains(&c)) {
        causes.push("全角数字".to_string());
    }
    let folded = fold_width(num);
    let mut n = folded.trim().to_string();
    if n.contains(',') {
        causes.push("千位分隔符".to_string());
        n = n.replace(',', "");
    }
    if let Some(u) = units.iter().find(|u| n.len() > u.len() && n.ends_with(**u)) {
        causes.push(format!("单位“{u}”"));
        n = n[..n.len() - u.len()].trim_end().to_string();
    }
    if n.contains(char::is_whitespace) {
        let joined: String = n.split_whitespace().collect();
        if plain_fee(&joined) {
            causes.push("数字中间有空格".to_string());
            n = joined;
        }
    }
    (n, causes)
}

/// A count cell of a foreign document: the count and, when the text was not a plain figure, why
/// (empty when certain). Text that gives no number is refused as [`count_from_text`] refuses it.
pub(super) fn count_of(t: &str) -> Result<(Option<Count>, Vec<String>), (String, String)> {
    if plain_digits(t.trim()) {
        return count_from_text(t).map(|c| (c, vec![]));
    }
    let (num, note) = split_note(t);
    let (n, mut causes) = unwrap_number(&num, &COUNT_UNITS);
    if note.is_some() {
        causes.push("括号中的说明".to_string());
    }
    if n.contains('.') {
        causes.push("小数点".to_string());
    }
    if causes.is_empty() {
        causes.push("不是单纯的数字".to_string());
    }
    match count_text(&n) {
        Ok(Some(v)) if !n.is_empty() => check_count(v as f64, &cut(t.trim()))
            .map(|v| (Some(Count::with_note(v, note)), causes))
            .map_err(|m| (m, "检查是否多打了数字".to_string())),
        // Not a number even so: refused in the workbook's words.
        _ => count_from_text(t).map(|c| (c, vec!["不是单纯的数字".to_string()])),
    }
}

/// The fee's cell of a foreign document, as [`count_of`]: `0.5万元` is 0.5 (万元).
pub(super) fn fee_of(
    t: &str,
    plain: impl Fn(&str) -> Result<Amount, (String, Option<String>)>,
) -> Result<(Amount, Vec<String>), (String, Option<String>)> {
    if plain_fee(t.trim()) {
        return plain(t).map(|a| (a, vec![]));
    }
    let (num, note) = split_note(t);
    let (n, mut causes) = unwrap_number(&num, &FEE_UNITS);
    if note.is_some() {
        causes.push("括号中的说明".to_string());
    }
    if causes.is_empty() {
        causes.push("不是单纯的数字".to_string());
    }
    match Decimal::parse(&n).filter(|_| plain_fee(&n)) {
        Some(value) => Ok((
            Amount {
                value,
                note,
                blank: false,
            },
            causes,
        )),
        None => plain(t).map(|a| (a, vec!["不是单纯的数字".to_string()])),
    }
}

/// Which table a value is in.
fn table_of(v: ValueRef) -> TableId {
    match v {
        ValueRef::T2Document { .. } | ValueRef::T2Decision { .. } | ValueRef::T2Fee => TableId::T2,
        ValueRef::T3 { .. } => TableId::T3,
        ValueRef::T4 { .. } => TableId::T4,
    }
}

/// A value's cell in words: `表三“本年新收”行“自然人”列`.
pub(super) fn cell_name(v: ValueRef) -> String {
    match v {
        ValueRef::T2Document { row, col } => format!(
            "表二“{}”行“{}”列",
            T2_TRIPLE_ROWS[row], T2_TRIPLE_LABELS[col]
        ),
        ValueRef::T2Decision { row } => format!("表二“{}”行", T2_COUNT_ROWS[row]),
        ValueRef::T2Fee => format!("表二“{T2_AMOUNT_ROW}”行"),
        ValueRef::T3 { row, col } => {
            let r = &T3_ROWS[row];
            let cat = r
                .category
                .map(|c| format!("“{}”下", T3_CATEGORIES[c].key))
                .unwrap_or_default();
            format!("表三{cat}“{}”行“{}”列", r.key, T3_COLUMNS[col])
        }
        ValueRef::T4 { group, col } => {
            format!("表四“{}”的“{}”列", T4_GROUPS[group], T4_COLUMNS[col])
        }
    }
}

impl CellDoubt {
    fn read_as(&self) -> String {
        let note = self
            .note
            .as_ref()
            .map(|n| format!("，括号中的“{}”作为注释", cut(n)))
            .unwrap_or_default();
        format!("按 {} 读取{note}", self.taken)
    }
}

impl ReadState {
    /// A count cell's text read from a foreign document ([`count_of`]), noting the doubt.
    pub(super) fn foreign_count(
        &mut self,
        s: usize,
        r: u32,
        c: u32,
        v: ValueRef,
        t: &str,
    ) -> Result<Option<Count>, (String, Option<String>)> {
        let (count, causes) = count_of(t).map_err(|(m, h)| (m, Some(h)))?;
        if let (Some(n), false) = (&count, causes.is_empty()) {
            let loc = self.sheets[s].location(r, c);
            let (taken, note) = (n.value.to_string(), n.note.clone());
            self.doubt(v, loc, t, taken, note, causes);
        }
        Ok(count)
    }

    /// The fee's cell read from a foreign document ([`fee_of`]), noting the doubt.
    pub(super) fn foreign_fee(
        &mut self,
        s: usize,
        r: u32,
        c: u32,
        t: &str,
    ) -> Result<Amount, (String, Option<String>)> {
        let (a, causes) = fee_of(t, fee_from_text)?;
        if !causes.is_empty() {
            let loc = self.sheets[s].location(r, c);
            let (taken, note) = (a.value.to_string(), a.note.clone());
            self.doubt(ValueRef::T2Fee, loc, t, taken, note, causes);
        }
        Ok(a)
    }

    /// A row label of table 三 (normalised `label`, in row `r` left of column `data_min`) that
    /// matched row `i` only tolerantly: one warning at the label's cell.
    pub(super) fn label_doubt(&mut self, s: usize, r: u32, data_min: u32, label: &str, i: usize) {
        let sheet = &self.sheets[s];
        let Some(c) = (0..data_min).find(|&c| sheet.norm(r, c) == label) else {
            return;
        };
        let (r0, c0) = sheet.anchor.get(&(r, c)).map(|m| m.start).unwrap_or((r, c));
        let seen = match sheet.raw(r0, c0) {
            calamine::Data::String(t) => t.split_whitespace().collect::<Vec<_>>().join(" "),
            _ => return,
        };
        let loc = sheet.location(r0, c0);
        let official = T3_ROWS[i].label;
        let msg = format!(
            "表三的行标签“{}”与官方标签“{official}”不完全一致，按后者读取；请与原件核对这一行",
            cut(&seen)
        );
        self.parsed.diagnostics.push(
            Diagnostic::warning(Rule::Import, msg)
                .at(loc)
                .with_place(Place::T3Row(i)),
        );
    }

    /// Notes a value read from a cell that was not a plain figure (reported by [`Self::emit_doubts`]).
    pub(super) fn doubt(
        &mut self,
        value: ValueRef,
        location: Location,
        seen: &str,
        taken: String,
        note: Option<String>,
        causes: Vec<String>,
    ) {
        self.doubts.push(CellDoubt {
            value,
            location,
            seen: seen.trim().to_string(),
            taken,
            note,
            causes: causes.join("、"),
        });
    }

    /// The doubts noted while reading: one IMPORT warning per cell, or one per table and cause
    /// when more than [`FOLD_AT`] cells share it.
    pub(super) fn emit_doubts(&mut self) {
        let doubts = std::mem::take(&mut self.doubts);
        let key = |d: &CellDoubt| (table_of(d.value), d.causes.clone());
        let mut groups: Vec<((TableId, String), Vec<CellDoubt>)> = vec![];
        for d in doubts {
            let k = key(&d);
            match groups.iter_mut().find(|(g, _)| *g == k) {
                Some((_, v)) => v.push(d),
                None => groups.push((k, vec![d])),
            }
        }
        let hint = "这是从别人的文档中读出的数字，原文不是单纯的数字；请与原件核对，必要时转换为 YAML 后改正";
        for ((table, causes), cells) in groups {
            if cells.len() > FOLD_AT {
                let first = &cells[0];
                let msg = format!(
                    "{}有 {} 格的数字不是单纯的数字（{causes}），都已按其中的数字读取，如{}读到“{}”，{}；请与原件核对",
                    table.name(),
                    cells.len(),
                    cell_name(first.value),
                    cut(&first.seen),
                    first.read_as()
                );
                self.parsed.diagnostics.push(
                    Diagnostic::warning(Rule::Import, msg)
                        .at(first.location.clone())
                        .with_place(Place::Table(table))
                        .with_hint(hint),
                );
                continue;
            }
            for d in cells {
                let msg = format!(
                    "{}读到“{}”（{causes}），{}；请与原件核对",
                    cell_name(d.value),
                    cut(&d.seen),
                    d.read_as()
                );
                self.parsed.diagnostics.push(
                    Diagnostic::warning(Rule::Import, msg)
                        .at(d.location)
                        .with_place(d.value)
                        .with_hint(hint),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(t: &str) -> (Option<u64>, String) {
        let (c, causes) = count_of(t).unwrap();
        (c.map(|c| c.value), causes.join("、"))
    }

    #[test]
    fn plain_figures_are_certain() {
        assert_eq!(count("12"), (Some(12), String::new()));
        assert_eq!(count(" 0 "), (Some(0), String::new()));
        assert_eq!(count("007"), (Some(7), String::new()));
    }

    #[test]
    fn other_writings_are_read_with_their_cause() {
        assert_eq!(count("1,234"), (Some(1234), "千位分隔符".into()));
        assert_eq!(count("１２"), (Some(12), "全角数字".into()));
        assert_eq!(count("12件"), (Some(12), "单位“件”".into()));
        assert_eq!(
            count("1,234件"),
            (Some(1234), "千位分隔符、单位“件”".into())
        );
        assert_eq!(count("1 234"), (Some(1234), "数字中间有空格".into()));
        assert_eq!(count("12.0"), (Some(12), "小数点".into()));
        let (c, causes) = count_of("12 （其中3件为补正）").unwrap();
        let c = c.unwrap();
        assert_eq!(c.value, 12);
        assert_eq!(c.note.as_deref(), Some("其中3件为补正"));
        assert_eq!(causes, ["括号中的说明"]);
    }

    #[test]
    fn text_that_is_no_number_is_still_refused() {
        for bad in ["无", "1.5", "-3", "12万", "十二", "1 2件 3", "12元"] {
            assert!(count_of(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fees() {
        let plain = |t: &str| {
            Decimal::parse(t.trim())
                .map(|value| Amount {
                    value,
                    note: None,
                    blank: false,
                })
                .ok_or_else(|| ("bad".to_string(), None))
        };
        let fee = |t: &str| {
            fee_of(t, plain)
                .map(|(a, c)| (a.value.to_string(), c.join("、")))
                .map_err(|e| e.0)
        };
        assert_eq!(fee("0.50"), Ok(("0.50".into(), String::new())));
        assert_eq!(fee("3"), Ok(("3".into(), String::new())));
        assert_eq!(fee("0.5万元"), Ok(("0.5".into(), "单位“万元”".into())));
        assert_eq!(fee("0.5万"), Ok(("0.5".into(), "单位“万”".into())));
        assert_eq!(fee("1,234.5"), Ok(("1234.5".into(), "千位分隔符".into())));
        assert!(fee("500元").is_err());
        assert!(fee("无").is_err());
    }
}
