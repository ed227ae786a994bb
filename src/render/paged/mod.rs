//! The fixed-page layout engine: a report becomes A4 pages of positioned glyph runs and rules,
//! by the house style of [`crate::spec::style`]. It knows nothing of any file format; the PDF
//! writer (and any other fixed-layout writer) only draws what it produces.
//!
//! `fonts` finds and parses the fonts once; `text` breaks lines by the Chinese rules; `layout`
//! places paragraphs and tables on pages; `report` turns a report into that layout.

pub mod fonts;
pub mod layout;
mod report;
pub mod text;

use crate::diag::Diagnostic;
use crate::model::Report;

pub use fonts::{lookup_plan, Face, Fonts};
pub use layout::{Page, PlacedTable, Rule, Run};

/// Whether the fonts can draw `c` in some face (the fallback included): what the check of
/// characters (rule TEXT) asks before anything is laid out.
pub fn can_draw(fonts: &Fonts, c: char) -> bool {
    fonts
        .resolve(Face::Fang, c, crate::spec::style::BODY_PT)
        .is_some()
}

/// Lays a report out as pages. `fonts` is shared: load it once per process.
pub fn layout(report: &Report, fonts: &Fonts) -> Result<Vec<Page>, Diagnostic> {
    report::layout(report, fonts)
}

/// The pages and how they set the tables, in one pass: for a caller that makes the PDF (or
/// OFD) and the Word file of one report.
pub fn laid_out(
    report: &Report,
    fonts: &Fonts,
) -> Result<(Vec<Page>, Vec<PlacedTable>), Diagnostic> {
    report::laid_out(report, fonts)
}

/// How the pages set the report's tables (sizes, row heights, the space after each), in the
/// order of the sections: Word sets its tables the same way, so its pages break where these do.
pub fn placed_tables(report: &Report, fonts: &Fonts) -> Result<Vec<PlacedTable>, Diagnostic> {
    Ok(report::laid_out(report, fonts)?.1)
}

/// Where each section heading stands: its page and the top of its line, found in the laid-out
/// pages by its text (so a heading carried to the next page is found where it ended up).
pub fn section_marks(pages: &[Page]) -> Vec<(String, usize, f32)> {
    let mut marks = vec![];
    let mut from = (0, 0);
    for def in crate::spec::format::SECTIONS.iter() {
        let heading = def.heading();
        let found = pages.iter().enumerate().skip(from.0).find_map(|(p, page)| {
            let skip = if p == from.0 { from.1 } else { 0 };
            page.runs
                .iter()
                .enumerate()
                .skip(skip)
                .find(|(_, r)| r.text.trim() == heading)
                .map(|(i, r)| (p, i, r.y - r.size))
        });
        if let Some((p, i, top)) = found {
            marks.push((heading, p, top));
            from = (p, i + 1);
        }
    }
    marks
}
