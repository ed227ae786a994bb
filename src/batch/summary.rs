//! The summary workbook `汇总.xlsx`: the city-wide tables 二, 三, 四 in the official layout (sums of
//! every valid report), and a sheet `各单位` with one row per input: 机关, 年度, key figures, status.

use super::{Entry, Outcome};
use crate::diag::{Diagnostic, Rule};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

pub const BODIES_SHEET: &str = "各单位";

/// Column headers and widths of the per-body sheet.
pub(super) const BODY_COLUMNS: [(&str, f64); 11] = [
    ("序号", 6.0),
    ("文件", 28.0),
    ("机关", 30.0),
    ("年度", 7.0),
    ("本年新收", 10.0),
    ("予以公开", 10.0),
    ("结转下年度", 11.0),
    ("行政复议总计", 12.0),
    ("行政诉讼总计", 12.0),
    ("状态", 10.0),
    ("问题", 60.0),
];

fn xerr(e: XlsxError) -> Diagnostic {
    Diagnostic::error(Rule::Render, format!("生成汇总表失败：{e}"))
}

pub fn workbook(o: &Outcome) -> Result<Vec<u8>, Diagnostic> {
    let mut totals = o.totals.clone();
    totals.body = format!("汇总（{} 个单位）", o.summed);
    let mut wb = Workbook::new();
    // A fixed date: the same inputs give the same bytes.
    let d = totals.stamp_date();
    let created = ExcelDateTime::from_ymd(d.year, d.month, d.day).map_err(xerr)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{}年政府信息公开工作年度报告汇总", totals.year))
            .set_creation_datetime(&created),
    );
    crate::render::xlsx::add_tables(&mut wb, &totals)?;
    bodies_sheet(&mut wb, &o.entries).map_err(xerr)?;
    // The same bytes on every platform (see `made_on_unix`).
    wb.save_to_buffer()
        .map(crate::render::zip::made_on_unix)
        .map_err(xerr)
}

fn bodies_sheet(wb: &mut Workbook, entries: &[Entry]) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(BODIES_SHEET)?;
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_charset(134)
        .set_font_size(10)
        .set_border(FormatBorder::Thin);
    let head = base
        .clone()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(0xF2F2F2);
    let bad = base.clone().set_font_color(0xC00000);
    for (c, (name, width)) in BODY_COLUMNS.iter().enumerate() {
        ws.write_with_format(0, c as u16, *name, &head)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (i, e) in entries.iter().enumerate() {
        let r = i as u32 + 1;
        let f = if e.status.is_good() { &base } else { &bad };
        ws.write_with_format(r, 0, r, &base)?;
        ws.write_with_format(r, 1, &e.file, &base)?;
        match &e.body {
            Some((body, year)) => {
                ws.write_with_format(r, 2, body, &base)?;
                ws.write_with_format(r, 3, *year, &base)?;
            }
            None => {
                ws.write_blank(r, 2, &base)?;
                ws.write_blank(r, 3, &base)?;
            }
        }
        match &e.figures {
            Some(fg) => {
                for (k, v) in [
                    fg.new,
                    fg.disclosed,
                    fg.carried_out,
                    fg.review_total,
                    fg.litigation_total,
                ]
                .iter()
                .enumerate()
                {
                    ws.write_with_format(r, 4 + k as u16, *v as f64, &base)?;
                }
            }
            None => {
                for k in 0..5 {
                    ws.write_blank(r, 4 + k, &base)?;
                }
            }
        }
        let status = if e.summed {
            e.status.chinese().to_string()
        } else {
            format!("{}（未计入汇总）", e.status.chinese())
        };
        let f = if e.summed { f } else { &bad };
        ws.write_with_format(r, 9, status, f)?;
        ws.write_with_format(r, 10, e.first_problem(), &base)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, entries.len() as u32, BODY_COLUMNS.len() as u16 - 1)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}
