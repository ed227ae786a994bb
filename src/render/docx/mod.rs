//! Word output in the official layout. [`layout`] decides every paragraph, run and table
//! ([`model`]); [`document`] and [`styles`] write them as WordprocessingML in schema order with
//! a small escaping writer ([`xml`]), a paragraph stating only what differs from its style;
//! [`package`] and [`theme`] hold the other parts; the package is zipped with fixed timestamps
//! ([`crate::render::zip`]), so the same report gives the same bytes.

pub mod document;
pub mod layout;
pub mod model;
pub mod package;
pub mod props;
pub mod styles;
pub mod theme;
pub mod xml;

use crate::diag::{Diagnostic, Rule};
use crate::render::document::Document;
use crate::render::paged;
use crate::render::zip;

/// Renders the document as a .docx file. With `placed` (the tables of the document laid out by
/// [`paged::layout()`]), its tables are set as the PDF sets them (see [`layout::build`]);
/// without, by Word's own measure.
pub fn render(
    doc: &Document,
    placed: Option<&[paged::PlacedTable]>,
) -> Result<Vec<u8>, Diagnostic> {
    let body = layout::build(doc, placed);
    let m = measures();
    let sheet = styles::Sheet::new(&m);
    let mut ids = document::ParaIds::default();
    let main = document::document_xml(&body, &sheet, &mut ids);
    let odd = document::footer_xml(&body.footer_odd, &sheet, &mut ids);
    let even = document::footer_xml(&body.footer_even, &sheet, &mut ids);
    let data = !doc.info.data.is_empty();
    let mut parts: Vec<zip::Part> = vec![
        (
            "[Content_Types].xml".into(),
            package::content_types(data).into_bytes(),
        ),
        ("_rels/.rels".into(), package::package_rels().into_bytes()),
        (
            "docProps/core.xml".into(),
            package::core_xml(&doc.info).into_bytes(),
        ),
        // The application that wrote the file: Word, WPS and LibreOffice put their own name
        // here when they save it, so a file still naming xxgk is one nobody has edited
        // (`render` may replace it; an edited one it keeps).
        (
            "docProps/app.xml".into(),
            package::APP_XML.as_bytes().to_vec(),
        ),
        ("word/document.xml".into(), main.into_bytes()),
        (
            "word/_rels/document.xml.rels".into(),
            package::document_rels(data).into_bytes(),
        ),
        (
            "word/styles.xml".into(),
            styles::styles_xml(&m).into_bytes(),
        ),
        (
            "word/settings.xml".into(),
            package::SETTINGS_XML.as_bytes().to_vec(),
        ),
        (
            "word/fontTable.xml".into(),
            package::font_table_xml().into_bytes(),
        ),
        (theme::PART.into(), theme::theme_xml().into_bytes()),
        (package::FOOTERS[0].into(), odd.into_bytes()),
        (package::FOOTERS[1].into(), even.into_bytes()),
    ];
    if data {
        parts.extend(crate::render::embed::docx_parts(&doc.info.data));
    }
    let d = doc.info.date;
    zip::pack(&parts, (d.year, d.month, d.day))
        .map_err(|e| Diagnostic::error(Rule::Render, format!("Word 文档打包失败：{e}")))
}

/// The numbers the layout sets on its paragraphs, for the styles to state.
fn measures() -> styles::Measures {
    styles::Measures {
        title_pitch: layout::TITLE_PITCH,
        line_pitch: layout::LINE_PITCH,
        body_indent: layout::BODY_INDENT,
        body_tracking: layout::body_tracking(),
        title_size: layout::SIZE_TITLE,
        body_size: layout::SIZE_BODY,
        table_size: layout::TABLE_SIZES[0],
        table_line: 240,
        // Two characters of the body text as it is set (tracked to the grid).
        signature_right: 2 * (layout::SIZE_BODY as i32 * 10 + layout::body_tracking()),
    }
}
