//! Print-ready PDF (printpdf) with the bundled CJK fonts and our own layout engine.

use crate::diag::RenderError;
use crate::model::Report;
use std::path::Path;

/// The fonts of the four official faces and the fallback, parsed once and shared.
pub struct Fonts {}

impl Fonts {
    /// Looks fonts up: `font_dir` first, then the system's official fonts, then the bundled ones.
    pub fn load(_font_dir: Option<&Path>) -> Result<Fonts, RenderError> {
        Err(RenderError::new("PDF 输出尚未实现"))
    }
}

pub fn render(_report: &Report, _fonts: &Fonts) -> Result<Vec<u8>, RenderError> {
    Err(RenderError::new("PDF 输出尚未实现"))
}
