//! The package's small parts: content types, relationships, document properties, settings and
//! the font table. Their content is fixed but for the title, body and date.

use super::layout;
use super::theme;
use super::xml::DECLARATION;
use crate::render::document::DocInfo;
use crate::render::embed;
use crate::render::xml_escape;

/// The footers' part names, odd then even pages (targets of
/// [`super::document::FOOTER_ODD_ID`] and [`super::document::FOOTER_EVEN_ID`]).
pub const FOOTERS: [&str; 2] = ["word/footer1.xml", "word/footer2.xml"];

/// `[Content_Types].xml`: every part of the package, nothing else; with `data`, the custom XML
/// part's properties that carry the report (`render::embed`).
pub fn content_types(data: bool) -> String {
    let mut out = String::from(DECLARATION);
    out.push_str(r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#);
    out.push_str(r#"<Default ContentType="application/vnd.openxmlformats-package.relationships+xml" Extension="rels"/><Default ContentType="application/xml" Extension="xml"/>"#);
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let overrides = [
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml".to_string(),
        ),
        (
            "/docProps/core.xml",
            "application/vnd.openxmlformats-package.core-properties+xml".to_string(),
        ),
        ("/word/document.xml", format!("{wml}.document.main+xml")),
        ("/word/fontTable.xml", format!("{wml}.fontTable+xml")),
        ("/word/footer1.xml", format!("{wml}.footer+xml")),
        ("/word/footer2.xml", format!("{wml}.footer+xml")),
        ("/word/settings.xml", format!("{wml}.settings+xml")),
        ("/word/styles.xml", format!("{wml}.styles+xml")),
        ("/word/theme/theme1.xml", theme::CONTENT_TYPE.to_string()),
    ];
    for (part, kind) in overrides {
        out.push_str(&format!(
            r#"<Override PartName="{part}" ContentType="{kind}"/>"#
        ));
    }
    if data {
        out.push_str(&format!(
            r#"<Override PartName="/{}" ContentType="application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/>"#,
            embed::DOCX_PROPS
        ));
    }
    out.push_str("</Types>");
    out
}

const RELS_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// `_rels/.rels`: the document and its properties.
pub fn package_rels() -> String {
    format!(
        concat!(
            "{decl}",
            r#"<Relationships xmlns="{ns}">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
            r#"<Relationship Id="rId2" Type="{office}/extended-properties" Target="docProps/app.xml"/>"#,
            r#"<Relationship Id="rId3" Type="{office}/officeDocument" Target="word/document.xml"/>"#,
            "</Relationships>"
        ),
        decl = DECLARATION,
        ns = RELS_NS,
        office = OFFICE_REL
    )
}

/// `word/_rels/document.xml.rels`: styles, fonts, settings, the two footers, the theme; with
/// `data`, the custom XML part that carries the report.
pub fn document_rels(data: bool) -> String {
    let mut out = format!(r#"{DECLARATION}<Relationships xmlns="{RELS_NS}">"#);
    let rels = [
        ("rId1", "styles", "styles.xml"),
        ("rId2", "fontTable", "fontTable.xml"),
        ("rId3", "settings", "settings.xml"),
        (super::document::FOOTER_ODD_ID, "footer", "footer1.xml"),
        (super::document::FOOTER_EVEN_ID, "footer", "footer2.xml"),
    ];
    for (id, kind, target) in rels {
        out.push_str(&format!(
            r#"<Relationship Id="{id}" Type="{OFFICE_REL}/{kind}" Target="{target}"/>"#
        ));
    }
    out.push_str(&format!(
        r#"<Relationship Id="{}" Type="{}" Target="{}"/>"#,
        theme::REL_ID,
        theme::REL_TYPE,
        theme::TARGET
    ));
    if data {
        out.push_str(&format!(
            r#"<Relationship Id="{}" Type="{OFFICE_REL}/customXml" Target="../{}"/>"#,
            embed::DOCX_REL_ID,
            embed::DOCX_ITEM
        ));
    }
    out.push_str("</Relationships>");
    out
}

/// `word/settings.xml`: odd and even footers, Word 2013+ compatibility, the East Asian layout
/// options Chinese Word sets.
pub const SETTINGS_XML: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">"#,
    r#"<w:zoom w:percent="100"/><w:defaultTabStop w:val="840"/><w:evenAndOddHeaders/>"#,
    r#"<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:useFELayout/>"#,
    r#"<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>"#,
    r#"<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
    r#"<w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
    r#"<w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
    r#"<w:compatSetting w:name="differentiateMultirowTableHeaders" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
    r#"<w:compatSetting w:name="useWord2013TrackBottomHyphenation" w:uri="http://schemas.microsoft.com/office/word" w:val="0"/>"#,
    "</w:compat></w:settings>"
);

/// Title = the report title, author = the body; no user or machine names.
pub fn core_xml(info: &DocInfo) -> String {
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
pub fn font_table_xml() -> String {
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
pub const APP_XML: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#,
    r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
    "<Application>xxgk</Application></Properties>"
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::document::Document;

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
    }
}
