//! Print-ready PDF: the pages of [`crate::render::paged`] written with printpdf. Nothing here
//! decides where anything goes (that is the paged layer's job, shared with every fixed-layout
//! format), and nothing reads the report: the laid-out document carries its info and outline.

mod cff;
pub mod meta;
mod write;

use crate::diag::Diagnostic;
use crate::render::paged::{Fonts, PagedDocument};

/// Writes a laid-out document (from [`crate::render::paged::layout()`]) as PDF bytes. `fonts` is
/// shared: load it once per process.
pub fn render(doc: &PagedDocument, fonts: &Fonts) -> Result<Vec<u8>, Diagnostic> {
    write::write(doc, fonts)
}
