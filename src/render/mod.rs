//! Renderers: the typed report to documents. Every table comes from the grids of
//! [`crate::format`], so the three outputs cannot drift apart.

pub mod docx;
pub mod pdf;
pub mod xlsx;
pub mod yaml;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Docx,
    Pdf,
    Xlsx,
}

impl Format {
    pub fn extension(&self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "docx" | "word" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            "xlsx" | "excel" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// Renders one format. `fonts` is needed for PDF only (loaded once by the caller).
pub fn render(
    report: &crate::model::Report,
    format: Format,
    fonts: Option<&pdf::Fonts>,
) -> Result<Vec<u8>, crate::diag::RenderError> {
    match format {
        Format::Docx => docx::render(report),
        Format::Pdf => match fonts {
            Some(f) => pdf::render(report, f),
            None => Err(crate::diag::RenderError::new("生成 PDF 需要先加载字体")),
        },
        Format::Xlsx => xlsx::render(report),
    }
}
