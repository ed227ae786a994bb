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
