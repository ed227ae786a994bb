//! Print-ready PDF (printpdf) with the bundled CJK fonts and our own layout engine.
//!
//! `fonts` finds and parses the fonts once; `text` breaks lines by the Chinese rules; `layout`
//! places paragraphs and tables on GB/T 9704 pages; `report` turns a report into that layout;
//! `write` makes the PDF.

pub mod fonts;
pub mod layout;
mod report;
pub mod text;
mod write;

use crate::diag::RenderError;
use crate::model::Report;

pub use fonts::{lookup_plan, Face, Fonts};

/// Renders a report to PDF bytes. `fonts` is shared: load it once per process.
pub fn render(report: &Report, fonts: &Fonts) -> Result<Vec<u8>, RenderError> {
    let pages = report::layout(report, fonts)?;
    write::write(report, fonts, &pages)
}

/// The pages as laid out (for tests and tools that check the layout itself).
pub fn layout(report: &Report, fonts: &Fonts) -> Result<Vec<layout::Page>, RenderError> {
    report::layout(report, fonts)
}
