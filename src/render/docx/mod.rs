//! Word output in the official layout: docx-rs builds the document ([`layout`]), a small
//! post-processing step fixes what docx-rs writes wrongly or cannot write ([`patch`]), and the
//! package is zipped with fixed timestamps ([`crate::render::zip`]), so the same report gives the same bytes.

pub mod layout;
pub mod patch;
pub mod styles;
pub mod theme;

use crate::diag::{Diagnostic, Rule};
use crate::render::document::{DocInfo, Document};
use crate::render::paged;
use crate::render::{xml_escape, zip};
use docx_rs::XMLDocx;

/// Renders the document as a .docx file. With `placed` (the tables of the document laid out by
/// [`paged::layout()`]), its tables are set as the PDF sets them (see [`layout::build`]);
/// without, by Word's own measure.
pub fn render(
    doc: &Document,
    placed: Option<&[paged::PlacedTable]>,
) -> Result<Vec<u8>, Diagnostic> {
    let built = layout::build(doc, placed);
    let mut xml = built.docx.build();
    xml.styles = styles::add_to(&xml.styles, &measures())
        .map_err(|e| Diagnostic::error(Rule::Render, format!("Word 文档生成失败：{e}")))?;
    let parts = package_parts(xml, &doc.info)
        .map_err(|e| Diagnostic::error(Rule::Render, format!("Word 文档生成失败：{e}")))?;
    let mut para_ids = 1;
    let mut out = Vec::with_capacity(parts.len());
    for (name, bytes) in parts {
        let bytes = if name.starts_with("word/")
            && name.ends_with(".xml")
            && name != "word/fontTable.xml"
            && name != theme::PART
        {
            patch::patch_part(&name, &bytes, &built.plan, &mut para_ids)
                .map_err(|e| Diagnostic::error(Rule::Render, format!("Word 文档生成失败：{e}")))?
        } else {
            bytes
        };
        out.push((name, bytes));
    }
    crate::render::embed::docx_parts(&mut out, &doc.info.data);
    let d = doc.info.date;
    zip::pack(&out, (d.year, d.month, d.day))
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

/// The parts of the package in a fixed order. docx-rs's core properties (creator "unknown") and
/// font table (no Chinese fonts) are replaced; empty relationship parts are left out.
///
/// docx-rs also writes parts this document has no use for: an empty `comments.xml` and
/// `numbering.xml` that nothing refers to, an empty `commentsExtended.xml` (with a truncated
/// namespace URI) that the document's relationships name, and empty custom properties. They are
/// left out, and so are their content-type overrides and relationships ([`drop_dangling`]).
fn package_parts(xml: XMLDocx, info: &DocInfo) -> Result<Vec<zip::Part>, patch::PatchError> {
    let content_types = String::from_utf8_lossy(&xml.content_type).into_owned();
    // docx-rs writes no theme: the part, its content type and its relationship are added here.
    let with_theme = |xml: &[u8], end: &str, add: String| -> Result<Vec<u8>, patch::PatchError> {
        let text =
            std::str::from_utf8(xml).map_err(|_| patch::PatchError(format!("{end} 不是 UTF-8")))?;
        let at = text
            .rfind(end)
            .ok_or_else(|| patch::PatchError(format!("缺少 {end}")))?;
        Ok(format!("{}{add}{}", &text[..at], &text[at..]).into_bytes())
    };
    let types = with_theme(
        &xml.content_type,
        "</Types>",
        format!(
            r#"<Override PartName="/{}" ContentType="{}"/>"#,
            theme::PART,
            theme::CONTENT_TYPE
        ),
    )?;
    let document_rels = with_theme(
        &xml.document_rels,
        "</Relationships>",
        format!(
            r#"<Relationship Id="{}" Type="{}" Target="{}"/>"#,
            theme::REL_ID,
            theme::REL_TYPE,
            theme::TARGET
        ),
    )?;
    let mut parts: Vec<zip::Part> = vec![
        ("[Content_Types].xml".into(), types),
        ("_rels/.rels".into(), xml.rels),
        ("docProps/core.xml".into(), core_xml(info).into_bytes()),
        // The application that wrote the file: Word, WPS and LibreOffice put their own name
        // here when they save it, so a file still naming xxgk is one nobody has edited
        // (`render` may replace it; an edited one it keeps).
        ("docProps/app.xml".into(), APP_XML.as_bytes().to_vec()),
        ("word/document.xml".into(), xml.document),
        ("word/_rels/document.xml.rels".into(), document_rels),
        ("word/styles.xml".into(), xml.styles),
        ("word/settings.xml".into(), xml.settings),
        ("word/fontTable.xml".into(), font_table_xml().into_bytes()),
        (theme::PART.into(), theme::theme_xml().into_bytes()),
    ];
    if content_types.contains("/word/footnotes.xml") {
        parts.push(("word/footnotes.xml".into(), xml.footnotes));
    }
    let has_rels = |r: &[u8]| String::from_utf8_lossy(r).contains("<Relationship ");
    for (i, h) in xml.headers.into_iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), h));
        if let Some(r) = xml.header_rels.get(i).filter(|r| has_rels(r)) {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), r.clone()));
        }
    }
    for (i, f) in xml.footers.into_iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), f));
        if let Some(r) = xml.footer_rels.get(i).filter(|r| has_rels(r)) {
            parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), r.clone()));
        }
    }
    drop_dangling(&mut parts)?;
    Ok(parts)
}

/// Removes the content-type overrides and relationships that name a part the package does not
/// hold, so `[Content_Types].xml` and the `.rels` parts describe exactly what is there.
fn drop_dangling(parts: &mut [zip::Part]) -> Result<(), patch::PatchError> {
    let names: Vec<String> = parts.iter().map(|(n, _)| n.clone()).collect();
    for (name, bytes) in parts.iter_mut() {
        // A relationship part's targets are relative to the folder of its source part.
        let base = if name == "[Content_Types].xml" {
            None
        } else if let Some(rels) = name.strip_suffix(".rels") {
            let dir = rels.rsplit_once('/').map_or("", |(d, _)| d);
            Some(dir.strip_suffix("_rels").unwrap_or(dir).to_string())
        } else {
            continue;
        };
        let text = std::str::from_utf8(bytes)
            .map_err(|_| patch::PatchError(format!("{name} 不是 UTF-8")))?;
        let mut doc =
            patch::Doc::parse(text).map_err(|e| patch::PatchError(format!("{name}: {}", e.0)))?;
        let exists = |e: &patch::Element| match (&base, e.name.as_ref()) {
            (None, "Override") => e
                .attr("PartName")
                .is_none_or(|p| names.iter().any(|n| *n == p.trim_start_matches('/'))),
            (Some(base), "Relationship") if e.attr("TargetMode") != Some("External") => e
                .attr("Target")
                .is_none_or(|t| names.iter().any(|n| *n == format!("{base}{t}"))),
            _ => true,
        };
        let before = doc.root.children.len();
        doc.root
            .children
            .retain(|c| !matches!(c, patch::Node::Element(e) if !exists(e)));
        if doc.root.children.len() != before {
            *bytes = doc.to_xml().into_bytes();
        }
    }
    Ok(())
}

/// Title = the report title, author = the body; no user or machine names.
fn core_xml(info: &DocInfo) -> String {
    let stamp = format!("{}T00:00:00Z", info.date);
    let body = xml_escape(&info.author);
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title><dc:creator>{body}</dc:creator><cp:lastModifiedBy>{body}</cp:lastModifiedBy>",
            "<cp:revision>1</cp:revision>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>"#,
            "</cp:coreProperties>"
        ),
        title = xml_escape(&info.title),
        body = body,
        stamp = stamp
    )
}

/// The fonts the document names, with GB2312 charset and the Windows name Word can fall back to
/// (Windows 10 has 仿宋/楷体 but not the _GB2312 variants).
fn font_table_xml() -> String {
    let fonts: [(&str, Option<&str>, &str, &str); 6] = [
        (layout::LATIN, None, "00", "roman"),
        (layout::FANGSONG, Some("仿宋"), "86", "modern"),
        (layout::HEITI, Some("SimHei"), "86", "modern"),
        (layout::KAITI, Some("楷体"), "86", "modern"),
        (layout::SONGTI, Some("SimSun"), "86", "auto"),
        (layout::TITLE_FACE, Some("宋体"), "86", "auto"),
    ];
    let mut out = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
        r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
    ));
    for (name, alt, charset, family) in fonts {
        out.push_str(&format!(r#"<w:font w:name="{name}">"#));
        if let Some(a) = alt {
            out.push_str(&format!(r#"<w:altName w:val="{a}"/>"#));
        }
        out.push_str(&format!(
            r#"<w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>"#
        ));
    }
    out.push_str("</w:fonts>");
    out
}

/// `docProps/app.xml`: the writing application.
const APP_XML: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#,
    r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
    "<Application>xxgk</Application></Properties>"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_properties_name_the_body_and_no_clock() {
        let mut r = crate::model::Report {
            body: "A&B局".into(),
            year: 2021,
            ..crate::model::Report::default()
        };
        let x = core_xml(&Document::of(&r).info);
        assert!(x.contains("<dc:creator>A&amp;B局</dc:creator>"), "{x}");
        assert!(x.contains("<cp:lastModifiedBy>A&amp;B局</cp:lastModifiedBy>"));
        assert!(x.contains("<dc:title>A&amp;B局2021年政府信息公开工作年度报告</dc:title>"));
        assert!(x.contains(">2022-01-01T00:00:00Z</dcterms:created>"));
        r.published = crate::model::Date::parse("2022-01-27");
        assert!(
            core_xml(&Document::of(&r).info).contains(">2022-01-27T00:00:00Z</dcterms:modified>")
        );
        patch::Doc::parse(&x).unwrap();
        patch::Doc::parse(&font_table_xml()).unwrap();
    }
}
