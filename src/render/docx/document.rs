//! `word/document.xml` and the footers, written from the layout's [`Body`] in schema order
//! (ECMA-376 Part 1, the sequences of `CT_PPr`, `CT_RPr`, `CT_TblPr`, `CT_TcPr`, `CT_SectPr`).
//!
//! A paragraph names its style and states only what differs from it: the layout gives each
//! paragraph its whole look, and each property equal to the style's is left out, so that a
//! clerk who changes a style in Word or WPS changes every paragraph of it.

use super::layout::{
    FOOTER_DISTANCE, HEADER_DISTANCE, LINE_PITCH, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT,
    MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH,
};
use super::model::{Block, Body, FieldCharType, Paragraph, Run, RunChild, Table, VMergeType};
use super::props::{write_ppr, write_rpr, Extra};
use super::styles::{Look, Sheet};
use super::xml::Xml;

/// The relationship ids of the two footers (`word/_rels/document.xml.rels`).
pub const FOOTER_ODD_ID: &str = "rIdFooter1";
pub const FOOTER_EVEN_ID: &str = "rIdFooter2";

/// The namespaces of the main part and the footers (those Word declares; `w14` for the
/// paragraph ids).
const NAMESPACES: &[(&str, &str)] = &[
    ("xmlns:o", "urn:schemas-microsoft-com:office:office"),
    (
        "xmlns:r",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    ),
    ("xmlns:v", "urn:schemas-microsoft-com:vml"),
    (
        "xmlns:w",
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    ),
    ("xmlns:w10", "urn:schemas-microsoft-com:office:word"),
    (
        "xmlns:wp",
        "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    ),
    (
        "xmlns:wps",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    ),
    (
        "xmlns:wpg",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    ),
    (
        "xmlns:mc",
        "http://schemas.openxmlformats.org/markup-compatibility/2006",
    ),
    (
        "xmlns:wp14",
        "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
    ),
    (
        "xmlns:w14",
        "http://schemas.microsoft.com/office/word/2010/wordml",
    ),
    (
        "xmlns:w15",
        "http://schemas.microsoft.com/office/word/2012/wordml",
    ),
    ("mc:Ignorable", "w14 wp14"),
];

/// Numbers the paragraphs (`w14:paraId`) from 1 across the parts, in the order written.
pub struct ParaIds(u32);

impl Default for ParaIds {
    fn default() -> Self {
        ParaIds(1)
    }
}

impl ParaIds {
    fn next(&mut self) -> String {
        let id = format!("{:08X}", self.0);
        self.0 += 1;
        id
    }
}

fn root(x: &mut Xml, name: &str) {
    x.start(name);
    for (k, v) in NAMESPACES {
        x.attr(k, *v);
    }
}

/// `word/document.xml`.
pub fn document_xml(body: &Body, sheet: &Sheet, ids: &mut ParaIds) -> String {
    // About 400 bytes a paragraph: a report's part is 60–120 KB.
    let mut x = Xml::new(128 * 1024);
    root(&mut x, "w:document");
    x.start("w:body");
    for b in &body.blocks {
        match b {
            Block::P(p) => paragraph(&mut x, p, sheet, ids),
            Block::T(t) => table(&mut x, t, sheet, ids),
        }
    }
    section(&mut x);
    x.end("w:body");
    x.end("w:document");
    x.finish()
}

/// A footer part holding one paragraph.
pub fn footer_xml(p: &Paragraph, sheet: &Sheet, ids: &mut ParaIds) -> String {
    let mut x = Xml::new(4 * 1024);
    root(&mut x, "w:ftr");
    paragraph(&mut x, p, sheet, ids);
    x.end("w:ftr");
    x.finish()
}

/// The one section: A4, the GB/T 9704 margins, odd and even footers, the 22-line grid.
fn section(x: &mut Xml) {
    x.start("w:sectPr");
    for (kind, id) in [("default", FOOTER_ODD_ID), ("even", FOOTER_EVEN_ID)] {
        x.start("w:footerReference")
            .attr("w:type", kind)
            .attr("r:id", id)
            .end_empty();
    }
    x.start("w:pgSz")
        .attr("w:w", PAGE_WIDTH)
        .attr("w:h", PAGE_HEIGHT)
        .end_empty();
    x.start("w:pgMar")
        .attr("w:top", MARGIN_TOP)
        .attr("w:right", MARGIN_RIGHT)
        .attr("w:bottom", MARGIN_BOTTOM)
        .attr("w:left", MARGIN_LEFT)
        .attr("w:header", HEADER_DISTANCE)
        .attr("w:footer", FOOTER_DISTANCE)
        .attr("w:gutter", 0)
        .end_empty();
    x.start("w:cols")
        .attr("w:space", 425)
        .attr("w:num", 1)
        .end_empty();
    x.start("w:docGrid")
        .attr("w:type", "lines")
        .attr("w:linePitch", LINE_PITCH)
        .end_empty();
    x.end("w:sectPr");
}

fn paragraph(x: &mut Xml, p: &Paragraph, sheet: &Sheet, ids: &mut ParaIds) {
    let look = sheet.look(p.style);
    x.start("w:p").attr("w14:paraId", ids.next());
    write_ppr(
        x,
        p.style,
        &p.props,
        &look.para,
        None,
        Some((&p.mark, &look.run)),
    );
    for r in &p.runs {
        run(x, r, look);
    }
    x.end("w:p");
}

fn run(x: &mut Xml, r: &Run, look: &Look) {
    x.start("w:r");
    write_rpr(x, &r.props, &look.run, Extra::default());
    for c in &r.children {
        match c {
            RunChild::Text(t) => {
                x.start("w:t").attr("xml:space", "preserve");
                x.text(t);
                x.end("w:t");
            }
            RunChild::Break => x.empty("w:br"),
            RunChild::FieldChar(kind) => x
                .start("w:fldChar")
                .attr(
                    "w:fldCharType",
                    match kind {
                        FieldCharType::Begin => "begin",
                        FieldCharType::Separate => "separate",
                        FieldCharType::End => "end",
                    },
                )
                .end_empty(),
            RunChild::InstrText(t) => {
                x.start("w:instrText");
                x.text(t);
                x.end("w:instrText");
            }
        }
    }
    x.end("w:r");
}

fn table(x: &mut Xml, t: &Table, sheet: &Sheet, ids: &mut ParaIds) {
    x.start("w:tbl");
    x.start("w:tblPr");
    x.start("w:tblW")
        .attr("w:w", t.width)
        .attr("w:type", "dxa")
        .end_empty();
    x.val("w:jc", "center");
    // Every rule comes from the table (inside lines too): none per cell.
    x.start("w:tblBorders");
    for side in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        x.start(side)
            .attr("w:val", "single")
            .attr("w:sz", t.border)
            .attr("w:space", 0)
            .attr("w:color", "000000")
            .end_empty();
    }
    x.end("w:tblBorders");
    x.start("w:tblLayout").attr("w:type", "fixed").end_empty();
    x.start("w:tblCellMar");
    for (side, w) in [
        ("w:top", 0),
        ("w:left", t.cell_margin),
        ("w:bottom", 0),
        ("w:right", t.cell_margin),
    ] {
        x.start(side)
            .attr("w:w", w)
            .attr("w:type", "dxa")
            .end_empty();
    }
    x.end("w:tblCellMar");
    x.end("w:tblPr");
    x.start("w:tblGrid");
    for w in &t.grid {
        x.start("w:gridCol").attr("w:w", *w).end_empty();
    }
    x.end("w:tblGrid");
    for row in &t.rows {
        x.start("w:tr");
        if row.cant_split || row.header || row.min_height.is_some() {
            x.start("w:trPr");
            if row.cant_split {
                x.empty("w:cantSplit");
            }
            if let Some(h) = row.min_height {
                x.start("w:trHeight")
                    .attr("w:val", h)
                    .attr("w:hRule", "atLeast")
                    .end_empty();
            }
            if row.header {
                x.empty("w:tblHeader");
            }
            x.end("w:trPr");
        }
        for c in &row.cells {
            x.start("w:tc");
            x.start("w:tcPr");
            x.start("w:tcW")
                .attr("w:w", c.width)
                .attr("w:type", "dxa")
                .end_empty();
            if c.grid_span > 1 {
                x.val("w:gridSpan", c.grid_span);
            }
            match c.vertical_merge {
                Some(VMergeType::Restart) => x.val("w:vMerge", "restart"),
                Some(VMergeType::Continue) => x.val("w:vMerge", "continue"),
                None => {}
            }
            if c.v_center {
                x.val("w:vAlign", "center");
            }
            x.end("w:tcPr");
            for p in &c.paragraphs {
                paragraph(x, p, sheet, ids);
            }
            // A cell must end with a paragraph.
            if c.paragraphs.is_empty() {
                x.empty("w:p");
            }
            x.end("w:tc");
        }
        x.end("w:tr");
    }
    x.end("w:tbl");
}
