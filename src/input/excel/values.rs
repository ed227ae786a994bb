//! The cell value grammar: counts, fees, notes in number formats or in text, dates, the
//! paragraphs of a text cell; and reading a value cell into the report.

use super::labels::fold_width;
use super::ReadState;
use crate::diag::{Diagnostic, Rule};
use crate::input::number::{count_text, cut, refusal, NumberKind};
use crate::model::{Amount, Count, Date, Decimal};
use crate::spec::format::{self, ValueRef};
use crate::spec::workbook::TABLE_TOP;
use calamine::Data;

/// What a number format says: decimals shown (None for General/text) and its literal text.
pub(super) fn parse_num_format(code: &str) -> (Option<usize>, String) {
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
pub(super) fn bracketed(s: &str) -> Option<String> {
    let t = s.trim();
    let inner = t.strip_prefix(['（', '('])?;
    let inner = inner.strip_suffix(['）', ')'])?;
    Some(inner.to_string())
}

/// Splits `22（其中修订16件）` into the number text and the note.
pub(super) fn split_note(s: &str) -> (String, Option<String>) {
    let t = s.trim();
    match t.find(['（', '(']) {
        Some(i) if i > 0 => match bracketed(&t[i..]) {
            Some(n) => (t[..i].trim().to_string(), Some(n)),
            None => (t.to_string(), None),
        },
        _ => (t.to_string(), None),
    }
}

pub(super) const COUNT_RULE: &str = "应为大于或等于 0 的整数";

pub(super) fn check_count(f: f64, shown: &str) -> Result<u64, String> {
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

pub(super) fn count_from_text(s: &str) -> Result<Option<Count>, (String, String)> {
    let (num, note) = split_note(s);
    // Thousands separators are how a count is shown, not a different number.
    let n = fold_width(&num).replace(',', "");
    if n.trim().is_empty() && note.is_none() {
        return Ok(None);
    }
    if n.trim().is_empty() {
        return Err(refusal(s, NumberKind::Count));
    }
    match count_text(&n) {
        Ok(Some(v)) => check_count(v as f64, &cut(s.trim()))
            .map(|v| Some(Count::with_note(v, note)))
            .map_err(|m| (m, "检查是否多打了数字".to_string())),
        Ok(None) => Ok(None),
        Err((_, hint)) => Err((refusal(s, NumberKind::Count).0, hint)),
    }
}

pub(super) fn data_error(d: &Data) -> String {
    match d {
        Data::Error(e) => format!("单元格是错误值 {e}：{COUNT_RULE}"),
        Data::Bool(b) => format!(
            "“{}”不是有效的数量：{COUNT_RULE}",
            if *b { "TRUE" } else { "FALSE" }
        ),
        other => format!("“{}”不是有效的数量：{COUNT_RULE}", cut(&other.to_string())),
    }
}

/// Shortest text of a double (Rust prints the shortest form that reads back the same).
pub(super) fn float_text(f: f64) -> String {
    format!("{f}")
}

/// A double rounded to 12 significant digits: the noise of binary arithmetic
/// (`0.1 + 0.2 = 0.30000000000000004`, a fee summed by a formula) is gone, while a fee in 万元
/// keeps every digit it can have (up to 99,999,999.9999).
pub(super) fn round_significant(f: f64) -> f64 {
    if !f.is_finite() || f == 0.0 {
        return f;
    }
    format!("{f:.11e}").parse().unwrap_or(f)
}

/// The fee's digits: as many decimals as the number format shows, when that is exact; else the
/// shortest text of the value rounded to 12 significant digits.
pub(super) fn fee_text(f: f64, decimals: Option<usize>) -> String {
    let f = round_significant(f);
    if let Some(d) = decimals {
        let t = format!("{f:.d$}");
        if t.parse::<f64>().ok() == Some(f) {
            return t;
        }
    }
    float_text(f)
}

/// The fee written as text: `0.5`, `1,234.5`, a note in brackets; blank is no fee given.
pub(super) fn fee_from_text(t: &str) -> Result<Amount, (String, Option<String>)> {
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
            .ok_or_else(|| {
                let (why, hint) = refusal(t, NumberKind::Amount);
                (format!("不是有效的金额：{why}"), Some(hint))
            })
    }
}

/// Where our template writes a value: its sheet, row and column.
pub(super) fn template_cell(v: ValueRef) -> Option<(&'static str, u32, u32)> {
    format::tables().into_iter().find_map(|grid| {
        grid.values()
            .find(|(_, w)| *w == v)
            .map(|(cell, _)| (grid.name(), TABLE_TOP + cell.row as u32, cell.col as u32))
    })
}

/// A text cell's paragraphs in the model's form: in a cell one line break (Alt+Enter) starts a
/// paragraph, while the model joins lines broken inside a paragraph (YAML folds them). Each
/// break between two lines with text becomes a blank line; other breaks stay as they are.
pub(super) fn paragraph_breaks(s: &str) -> String {
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

/// A date from an Excel serial day number: in the 1900 date system, or in the 1904 one (old Mac
/// Excel, `<workbookPr date1904="1"/>`), whose day 0 is 1904-01-01 — 1,462 days later.
pub(super) fn serial_date(f: f64, date1904: bool) -> Option<Date> {
    let f = if date1904 { f + 1462.0 } else { f };
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

impl ReadState {
    /// Reads a count cell into the report; returns whether the cell was blank.
    pub(super) fn read_count(&mut self, s: usize, r: u32, c: u32, v: ValueRef) -> bool {
        self.locate(v, s, r, c);
        if self.refuse_uncached(s, r, c, Some(v.into())) {
            self.unreadable(v);
            return false;
        }
        let sheet = &self.sheets[s];
        let d = sheet.raw(r, c).clone();
        let fmt_note = sheet
            .num_format(r, c)
            .and_then(|f| bracketed(&parse_num_format(f).1));
        let plain = |m: String| (m, None);
        let result: Result<Option<Count>, (String, Option<String>)> = match &d {
            Data::Empty => Ok(None),
            Data::Float(f) => check_count(*f, &float_text(*f))
                .map(|n| Some(Count::with_note(n, fmt_note)))
                .map_err(plain),
            Data::Int(i) => check_count(*i as f64, &i.to_string())
                .map(|n| Some(Count::with_note(n, fmt_note)))
                .map_err(plain),
            Data::DateTime(dt) => {
                let f = dt.as_f64();
                check_count(f, &float_text(f))
                    .map(|n| Some(Count::with_note(n, fmt_note)))
                    .map_err(plain)
            }
            // A foreign document's cell (`doubt`): read with a warning when not a plain figure.
            Data::String(t) if self.foreign => self.foreign_count(s, r, c, v, t),
            Data::String(t) => count_from_text(t).map_err(|(m, h)| (m, Some(h))),
            other => Err(plain(data_error(other))),
        };
        match result {
            Ok(Some(count)) => {
                if let Some(slot) = self.parsed.report.cell_mut_count(v) {
                    *slot = count;
                }
                false
            }
            Ok(None) => true,
            Err((msg, hint)) => {
                self.refuse_value(s, r, c, v, msg, hint);
                false
            }
        }
    }

    /// Reads a total: a formula or a blank is recomputed from its parts.
    /// A value cell that cannot be read: a VALUE error at the cell (with the clerk's hint, when
    /// there is one), and the value counts as unknown.
    fn refuse_value(
        &mut self,
        s: usize,
        r: u32,
        c: u32,
        v: ValueRef,
        msg: String,
        hint: Option<String>,
    ) {
        let loc = self.sheets[s].location(r, c);
        let mut d = Diagnostic::error(Rule::Value, msg).at(loc).with_place(v);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.parsed.diagnostics.push(d);
        self.unreadable(v);
    }

    pub(super) fn read_total(&mut self, s: usize, r: u32, c: u32, v: ValueRef) {
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
    pub(super) fn template_formula(&self, s: usize, r: u32, c: u32, v: ValueRef) -> bool {
        let sheet = &self.sheets[s];
        sheet.locked(r, c)
            && template_cell(v)
                .is_some_and(|(name, tr, tc)| sheet.name == name && (tr, tc) == (r, c))
    }

    /// Whether a value is unknown: unreadable itself, or a total with an unknown part.
    pub(super) fn unknown(&self, v: ValueRef) -> bool {
        self.parsed.unreadable.contains(&v) || v.parts().into_iter().any(|p| self.unknown(p))
    }

    pub(super) fn read_value(&mut self, s: usize, r: u32, c: u32, v: ValueRef) {
        if v.is_total() {
            self.read_total(s, r, c, v);
        } else {
            self.read_count(s, r, c, v);
        }
    }

    pub(super) fn read_fee(&mut self, s: usize, r: u32, c: u32) {
        let v = ValueRef::T2Fee;
        self.locate(v, s, r, c);
        if self.refuse_uncached(s, r, c, Some(v.into())) {
            self.unreadable(v);
            return;
        }
        let sheet = &self.sheets[s];
        let (decimals, lit) = sheet
            .num_format(r, c)
            .map(parse_num_format)
            .unwrap_or((None, String::new()));
        let fmt_note = bracketed(&lit);
        let rule = "应为大于或等于 0 的金额（单位：万元）";
        let plain = |m: String| (m, None);
        let raw = sheet.raw(r, c).clone();
        let result: Result<Amount, (String, Option<String>)> = match &raw {
            Data::Empty => Ok(Amount::default()),
            Data::Float(f) if *f >= 0.0 && f.is_finite() => Decimal::parse(&fee_text(*f, decimals))
                .map(|value| Amount {
                    value,
                    note: fmt_note,
                    blank: false,
                })
                .ok_or_else(|| plain(format!("{f} 不是有效的金额：{rule}"))),
            Data::Int(i) if *i >= 0 => Ok(Amount {
                value: Decimal::parse(&i.to_string()).unwrap_or_default(),
                note: fmt_note,
                blank: false,
            }),
            Data::Float(f) => Err(plain(format!("{f} 不是有效的金额：{rule}"))),
            Data::Int(i) => Err(plain(format!("{i} 不是有效的金额：{rule}"))),
            Data::String(t) if self.foreign => self.foreign_fee(s, r, c, t),
            Data::String(t) => fee_from_text(t),
            other => Err(plain(format!(
                "“{}”不是有效的金额：{rule}",
                cut(&other.to_string())
            ))),
        };
        match result {
            Ok(a) => self.parsed.report.table2.fee = a,
            Err((msg, hint)) => self.refuse_value(s, r, c, v, msg, hint),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Text;

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
        assert!(count_from_text("-0").is_err());
        assert!(count_from_text("0x10").is_err());
        assert!(count_from_text("1e3").is_err());
        assert_eq!(count_from_text("1,000").unwrap().unwrap().value, 1000);
    }

    #[test]
    fn serial_dates() {
        assert_eq!(
            serial_date(44588.0, false),
            Some(Date {
                year: 2022,
                month: 1,
                day: 27
            })
        );
        // The same day in the 1904 date system.
        assert_eq!(
            serial_date(43126.0, true),
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
}
