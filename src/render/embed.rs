//! The report's data inside every document xxgk writes, in the way each format provides for
//! attached data: so a published PDF, Word file, web page or OFD reads back as exactly the report
//! it was made from (`crate::input::published`), whatever was edited around it.
//!
//! The data is the report as YAML (`crate::render::yaml`, the form of docs/INPUT.md), the same
//! bytes in every format:
//! - PDF: an embedded file `xxgk-report.yaml` (the name tree `/EmbeddedFiles` and the catalog's
//!   `/AF`, relationship `/Data`); see `pdf::write::embed_data`. PDF/A-1 forbids embedded
//!   files: there the data is an XMP property its extension schema declares (`pdf::meta`).
//! - Word: a custom XML part `customXml/item1.xml` (with its properties part), related to the
//!   main document; Word and WPS keep custom XML parts when they save.
//! - OFD: an attachment (GB/T 33190 §7.9, `Doc_0/Attachs/Attachments.xml`), not shown.
//! - HTML: a `<script type="application/json" id="xxgk-data">` block in the head: browsers do
//!   not run it (it is data, so no content security policy is involved), select-all-and-paste
//!   does not copy it, and its JSON escapes `<`, `>` and `&` so no text can end the block.

use crate::render::xml_escape;

pub use crate::spec::embed::{DOCX_NS, FILE_NAME, HTML_ID, MEDIA_TYPE};
/// The Word parts (fixed names: there is one report per document).
pub const DOCX_ITEM: &str = "customXml/item1.xml";
pub const DOCX_PROPS: &str = "customXml/itemProps1.xml";
pub const DOCX_ITEM_RELS: &str = "customXml/_rels/item1.xml.rels";
/// The document's relationship to the custom XML part.
pub const DOCX_REL_ID: &str = "rIdXxgkData";
/// The OFD attachment list and file, relative to the package root.
pub const OFD_ATTACHMENTS: &str = "Doc_0/Attachs/Attachments.xml";
pub const OFD_FILE: &str = "Doc_0/Attachs/xxgk-report.yaml";

/// The web page's data block: JSON `{"format":"xxgk-report","version":1,"yaml":"…"}` with every
/// `<`, `>`, `&` and line separator escaped, so nothing in the report can close the element.
pub fn html_block(yaml: &str) -> String {
    let mut json = String::with_capacity(yaml.len() + 64);
    json.push_str("{\"format\":\"xxgk-report\",\"version\":1,\"yaml\":\"");
    for c in yaml.chars() {
        match c {
            '"' => json.push_str("\\\""),
            '\\' => json.push_str("\\\\"),
            '\n' => json.push_str("\\n"),
            '\r' => json.push_str("\\r"),
            '\t' => json.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                json.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32)) => {
                json.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => json.push(c),
        }
    }
    json.push_str("\"}");
    format!("<script type=\"application/json\" id=\"{HTML_ID}\">{json}</script>\n")
}

/// The Word parts that carry the report: the custom XML part, its relationships and its
/// properties (`docx::package` declares them in the content types and the document's
/// relationships).
pub fn docx_parts(yaml: &str) -> Vec<(String, Vec<u8>)> {
    let item = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<report xmlns=\"{DOCX_NS}\" format=\"yaml\">{}</report>",
        xml_escape(yaml)
    );
    let props = format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n",
            "<ds:datastoreItem ds:itemID=\"{{6F1C3D2A-0E4B-4C55-9A1D-7845584B4701}}\" ",
            "xmlns:ds=\"http://schemas.openxmlformats.org/officeDocument/2006/customXml\">",
            "<ds:schemaRefs><ds:schemaRef ds:uri=\"{ns}\"/></ds:schemaRefs></ds:datastoreItem>"
        ),
        ns = DOCX_NS
    );
    let rels = concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps\" Target=\"itemProps1.xml\"/>",
        "</Relationships>"
    );
    vec![
        (DOCX_ITEM.into(), item.into_bytes()),
        (DOCX_ITEM_RELS.into(), rels.as_bytes().to_vec()),
        (DOCX_PROPS.into(), props.into_bytes()),
    ]
}

/// The OFD attachment list (GB/T 33190 §7.9): one attachment, not shown, its file beside it.
pub fn ofd_attachments_xml(yaml: &str, date: &str) -> String {
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<ofd:Attachments xmlns:ofd=\"http://www.ofdspec.org/2016\">",
            "<ofd:Attachment ID=\"1\" Name=\"{name}\" Format=\"yaml\" CreationDate=\"{date}\" ",
            "Size=\"{size}\" Visible=\"false\" Usage=\"none\">",
            "<ofd:FileLoc>{file}</ofd:FileLoc></ofd:Attachment></ofd:Attachments>"
        ),
        name = FILE_NAME,
        date = xml_escape(date),
        // Kilobytes, as the standard counts an attachment's size.
        size = format_args!("{:.3}", yaml.len() as f64 / 1024.0),
        file = FILE_NAME,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_html_block_cannot_be_closed_by_the_text() {
        let b = html_block("机关: \"</script><!-- &\"\n");
        assert_eq!(b.matches("</script>").count(), 1);
        assert!(!b.contains("<!--"));
        let json = b
            .trim_end()
            .trim_end_matches("</script>")
            .split_once('>')
            .unwrap()
            .1;
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["yaml"], "机关: \"</script><!-- &\"\n");
    }
}
