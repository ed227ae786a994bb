//! The fixed-page layout engine: a [`Document`] becomes A4 pages of positioned glyph runs and rules,
//! by the house style of [`crate::spec::style`]. It knows nothing of any file format; the PDF
//! writer (and any other fixed-layout writer) only draws what it produces.
//!
//! `fonts` finds and parses the fonts once; `text` breaks lines by the Chinese rules; `layout`
//! places paragraphs and tables on pages; `blocks` walks the document's blocks into that
//! layout, noting where each heading lands (the outline).

mod blocks;
pub mod fonts;
pub mod layout;
pub mod text;

use crate::diag::Diagnostic;
use crate::render::document::{DocInfo, Document};
use crate::spec::format::TableGrid;

pub use fonts::{lookup_plan, Face, Fonts};
pub use layout::{Mark, OutlineItem, Page, PlacedTable, Rule, Run};

/// Whether the fonts can draw `c` in some face (the fallback included): what the check of
/// characters (rule TEXT) asks before anything is laid out.
pub fn can_draw(fonts: &Fonts, c: char) -> bool {
    fonts
        .resolve(Face::Fang, c, crate::spec::style::BODY_PT)
        .is_some()
}

/// A document laid out: its pages, its info, and where each of its headings landed.
#[derive(Debug, Clone)]
pub struct PagedDocument {
    pub pages: Vec<Page>,
    pub info: DocInfo,
    /// The section headings, in order, on the page and at the height each landed on.
    pub outline: Vec<OutlineItem>,
    /// How the pages set the document's tables (sizes, row heights, the space after each), in
    /// order: Word sets its tables the same way, so its pages break where these do.
    pub tables: Vec<PlacedTable>,
    /// What each block of the document is, by its index (what a run's [`Mark`] points at): the
    /// PDF's structure tree is built from these and the marks.
    pub blocks: Vec<BlockKind>,
}

/// The kind of one block of the document, as the structure tree of a PDF names it.
#[derive(Debug, Clone)]
pub enum BlockKind {
    Title,
    Heading,
    /// A body paragraph, or a run-in heading with its text.
    Paragraph,
    Table(TableGrid),
    /// The 落款: its name (part 0) and date (part 1).
    Signature,
}

/// Lays a document out as pages. `fonts` is shared: load it once per process.
pub fn layout(doc: &Document, fonts: &Fonts) -> Result<PagedDocument, Diagnostic> {
    blocks::layout(doc, fonts)
}
