//! Print-ready PDF: the pages of [`crate::render::paged`] written with printpdf. Nothing here
//! decides where anything goes; that is the paged layer's job, shared with every fixed-layout
//! format.

mod cff;
pub mod meta;
mod write;

use crate::diag::Diagnostic;
use crate::model::Report;
use crate::render::paged::{self, Fonts};

/// Renders a report to PDF bytes. `fonts` is shared: load it once per process.
pub fn render(report: &Report, fonts: &Fonts) -> Result<Vec<u8>, Diagnostic> {
    let pages = paged::layout(report, fonts)?;
    write::write(report, fonts, &pages)
}

/// Writes pages already laid out (by [`paged::laid_out`]) as PDF bytes.
pub fn render_pages(
    report: &Report,
    fonts: &Fonts,
    pages: &[paged::Page],
) -> Result<Vec<u8>, Diagnostic> {
    write::write(report, fonts, pages)
}
