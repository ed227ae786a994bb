//! Excel workbook in the official layout (rust_xlsxwriter); also the blank fill-in template.

use crate::diag::RenderError;
use crate::model::Report;

/// The workbook of a report.
pub fn render(_report: &Report) -> Result<Vec<u8>, RenderError> {
    Err(RenderError::new("Excel 输出尚未实现"))
}

/// The blank fill-in workbook (`xxgk template --xlsx`).
pub fn template() -> Result<Vec<u8>, RenderError> {
    Err(RenderError::new("Excel 模板尚未实现"))
}

/// Adds the sheets 表二, 表三, 表四 of `report` in the official layout to a workbook (the batch
/// summary uses it with the summed report).
pub fn add_tables(
    _wb: &mut rust_xlsxwriter::Workbook,
    _report: &Report,
) -> Result<(), RenderError> {
    Err(RenderError::new("Excel 输出尚未实现"))
}
