//! Word output in the official layout (docx-rs, with a small XML post-processing step).

use crate::diag::RenderError;
use crate::model::Report;

pub fn render(_report: &Report) -> Result<Vec<u8>, RenderError> {
    Err(RenderError::new("Word 输出尚未实现"))
}
