//! Post-processing of the XML parts docx-rs writes. Everything the crate gets wrong or cannot
//! express is fixed here, in one place, on a small element tree:
//!
//! 1. **Schema order.** docx-rs writes children in its own order (`<w:rPr/>` first in `w:pPr`,
//!    `w:sz` before `w:rFonts`, `w:footerReference` after `w:docGrid`, `w:tcBorders` before
//!    `w:gridSpan`, `w:tblCellMar` before `w:tblLayout`, `w:zoom` after `w:defaultTabStop`, the
//!    style's `w:rPr` before its `w:pPr`…). LibreOffice does not care; Word validates the sequence
//!    and asks to repair. [`reorder`] sorts the children of every container below by the XSD
//!    sequence (ECMA-376 transitional), keeping the order of equal ranks.
//! 2. **Repeated table headers.** docx-rs has no `w:tblHeader`; [`Plan::header_rows`] says how
//!    many leading rows of each table (document order) get one.
//! 3. **First-line indent in characters.** docx-rs drops `w:firstLineChars`; [`Plan::first_line_chars`]
//!    maps a `w:firstLine` twips value to the character count Word should keep when the font changes.
//! 4. **Stray markup.** `w:type` on `w:gridCol` is not in the schema; docx-rs also writes an
//!    empty `<w:rPr/>` into every `w:pPr`, including those of styles, document defaults and
//!    numbering levels (CT_PPrGeneral), where `w:rPr` is not allowed at all. Both are removed.
//! 5. **Deterministic ids.** `w14:paraId` comes from a thread-local counter that only docx-rs's
//!    `json()` resets, so a second render in the same thread numbers differently. They are
//!    renumbered from 1 across all parts.
//! 6. **Styles.** The `Normal` style is marked as the default paragraph style (docx-rs omits
//!    `w:default="1"`), and the default run properties get `w:lang` (zh-CN), so Word applies
//!    Chinese line-breaking and punctuation rules to text the clerk types. The 公文 paragraph
//!    styles themselves come from [`super::styles`]; the fixes above (order, `firstLineChars`)
//!    apply to them as to the document.
//!
//! The parts docx-rs writes for nothing (empty comments, numbering, the commentsExtended part
//! whose `wps` namespace URI docx-rs cuts short) are not patched but left out of the package
//! (`super::package_parts`).
//!
//! `tests/integration/docx.rs` checks the result with an independent OOXML schema validator, not with the
//! tables here.
//!
//! In three parts: `tree`, the small element tree the fixes work on (a parser for exactly
//! what an XML writer produces); `order`, the schema's child order and the sort (fix 1);
//! `fixes`, the other fixes. `patch_part` applies them to one part.

mod fixes;
mod order;
mod tree;

pub use order::reorder;
pub use tree::{Doc, Element, Node, Str};

use fixes::{
    add_first_line_chars, fix_styles, mark_header_rows, renumber_para_ids, strip_misplaced_rpr,
    strip_stray_attributes,
};
use std::fmt;

/// What the layout asks the patch to do beyond fixing the order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// For each `w:tbl` of document.xml in document order: how many leading rows repeat.
    pub header_rows: Vec<usize>,
    /// `w:firstLine` twips → `w:firstLineChars` (hundredths of a character).
    pub first_line_chars: Vec<(i64, i64)>,
    /// The body size in half-points, which the `Normal` style must state.
    pub body_size: usize,
}

/// The XML could not be read (a docx-rs change the patch does not understand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchError(pub String);

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Applies every fix that concerns `path` (a part name inside the package) and returns the new
/// XML. `para_ids` carries the paraId counter across parts.
pub(crate) fn patch_part(
    path: &str,
    xml: &[u8],
    plan: &Plan,
    para_ids: &mut u32,
) -> Result<Vec<u8>, PatchError> {
    let text = std::str::from_utf8(xml).map_err(|_| PatchError(format!("{path} 不是 UTF-8")))?;
    let mut doc = Doc::parse(text).map_err(|e| PatchError(format!("{path}: {}", e.0)))?;
    let root = &mut doc.root;
    if path == "word/document.xml" {
        mark_header_rows(root, &plan.header_rows);
    }
    if path == "word/styles.xml" {
        fix_styles(root, plan.body_size);
    }
    add_first_line_chars(root, &plan.first_line_chars);
    strip_stray_attributes(root);
    strip_misplaced_rpr(root);
    renumber_para_ids(root, para_ids);
    reorder(root);
    // The fixes add a little (tblHeader, firstLineChars); an eighth more is room enough.
    Ok(doc.to_xml_sized(xml.len() + xml.len() / 8).into_bytes())
}

#[cfg(test)]
mod tests {
    use super::tree::DECLARATION;
    use super::*;

    fn names<'a>(e: &'a Element<'a>) -> Vec<&'a str> {
        e.elements().map(|c| c.name.as_ref()).collect()
    }

    #[test]
    fn parses_and_writes_back() {
        let x = r#"<?xml version="1.0"?><a:r x="1" y='q"t'><b/><c z="&amp;">t &lt; u</c> <d></d></a:r>"#;
        let d = Doc::parse(x).unwrap();
        assert_eq!(names(&d.root), ["b", "c", "d"]);
        assert_eq!(d.root.attr("y"), Some("q&quot;t"));
        assert_eq!(
            d.to_xml(),
            format!(
                r#"{DECLARATION}<a:r x="1" y="q&quot;t"><b/><c z="&amp;">t &lt; u</c> <d/></a:r>"#
            )
        );
        // A `>` inside an attribute value does not end the tag.
        let d = Doc::parse(r#"<a v="x>y"><b/></a>"#).unwrap();
        assert_eq!(d.root.attr("v"), Some("x>y"));
        for bad in ["<a>", "<a></b>", "<a/><", "text", "<a><!-- c --></a>"] {
            assert!(Doc::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reorders_docx_rs_output() {
        // Exactly what docx-rs 0.4.22 writes for a body paragraph, a cell and a section.
        let x = r#"<w:body><w:p w14:paraId="00000007"><w:pPr><w:rPr /><w:jc w:val="both" /><w:ind w:left="0" w:right="0" w:firstLine="640" /><w:spacing w:line="579" w:lineRule="exact" /><w:keepNext /></w:pPr><w:r><w:rPr><w:sz w:val="32" /><w:szCs w:val="32" /><w:rFonts w:ascii="Times New Roman" /></w:rPr><w:t xml:space="preserve">一 2</w:t></w:r></w:p><w:tbl><w:tblPr><w:tblW w:w="100" w:type="dxa" /><w:jc w:val="left" /><w:tblBorders><w:top w:val="single" /><w:left w:val="single" /></w:tblBorders><w:tblCellMar><w:top w:w="0" w:type="dxa" /></w:tblCellMar><w:tblLayout w:type="fixed" /></w:tblPr><w:tblGrid><w:gridCol w:w="50" w:type="dxa" /></w:tblGrid><w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc><w:tcPr><w:tcW w:w="100" w:type="dxa" /><w:tcBorders><w:top w:val="single" /></w:tcBorders><w:gridSpan w:val="2" /><w:vMerge w:val="restart" /><w:vAlign w:val="center" /></w:tcPr><w:p w14:paraId="00000008"><w:pPr><w:rPr /></w:pPr></w:p></w:tc></w:tr><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl><w:sectPr><w:pgSz w:w="11906" w:h="16838" /><w:pgMar w:top="2098" /><w:cols w:space="425" w:num="1" /><w:docGrid w:type="lines" w:linePitch="579" /><w:footerReference w:type="default" r:id="rIdFooter1" /><w:footerReference w:type="even" r:id="rIdFooter2" /></w:sectPr></w:body>"#;
        let mut d = Doc::parse(x).unwrap();
        let plan = Plan {
            header_rows: vec![2],
            first_line_chars: vec![(640, 200)],
            body_size: 32,
        };
        mark_header_rows(&mut d.root, &plan.header_rows);
        add_first_line_chars(&mut d.root, &plan.first_line_chars);
        strip_stray_attributes(&mut d.root);
        let mut n = 1;
        renumber_para_ids(&mut d.root, &mut n);
        assert!(reorder(&mut d.root).is_empty());
        let p = d.root.child("w:p").unwrap();
        assert_eq!(p.attr("w14:paraId"), Some("00000001"));
        let ppr = p.child("w:pPr").unwrap();
        assert_eq!(
            names(ppr),
            ["w:keepNext", "w:spacing", "w:ind", "w:jc", "w:rPr"]
        );
        let mut stripped = d.clone();
        strip_misplaced_rpr(&mut stripped.root);
        let p2 = stripped.root.child("w:p").unwrap().child("w:pPr").unwrap();
        assert_eq!(
            names(p2),
            ["w:keepNext", "w:spacing", "w:ind", "w:jc"],
            "empty mark rPr"
        );
        assert_eq!(
            ppr.child("w:ind").unwrap().attr("w:firstLineChars"),
            Some("200")
        );
        let rpr = p.child("w:r").unwrap().child("w:rPr").unwrap();
        assert_eq!(names(rpr), ["w:rFonts", "w:sz", "w:szCs"]);
        let tbl = d.root.child("w:tbl").unwrap();
        assert_eq!(
            names(tbl.child("w:tblPr").unwrap()),
            [
                "w:tblW",
                "w:jc",
                "w:tblBorders",
                "w:tblLayout",
                "w:tblCellMar"
            ]
        );
        assert_eq!(
            tbl.child("w:tblGrid")
                .unwrap()
                .child("w:gridCol")
                .unwrap()
                .attr("w:type"),
            None
        );
        let rows: Vec<&Element> = tbl.elements().filter(|e| e.name == "w:tr").collect();
        assert_eq!(
            names(rows[0].child("w:trPr").unwrap()),
            ["w:cantSplit", "w:tblHeader"]
        );
        assert_eq!(names(rows[1]), ["w:trPr", "w:tc"], "trPr created first");
        let tcpr = rows[0].child("w:tc").unwrap().child("w:tcPr").unwrap();
        assert_eq!(
            names(tcpr),
            ["w:tcW", "w:gridSpan", "w:vMerge", "w:tcBorders", "w:vAlign"]
        );
        let sect = d.root.child("w:sectPr").unwrap();
        assert_eq!(
            names(sect),
            [
                "w:footerReference",
                "w:footerReference",
                "w:pgSz",
                "w:pgMar",
                "w:cols",
                "w:docGrid"
            ]
        );
        assert_eq!(
            sect.elements().next().unwrap().attr("w:type"),
            Some("default"),
            "stable among equals"
        );
    }

    #[test]
    fn unknown_children_are_reported() {
        let mut d = Doc::parse("<w:pPr><w:bogus/><w:jc/></w:pPr>").unwrap();
        assert_eq!(reorder(&mut d.root), ["w:pPr/w:bogus"]);
        assert_eq!(names(&d.root), ["w:jc", "w:bogus"]);
    }

    #[test]
    fn styles_get_default_and_language() {
        let x = r#"<w:styles><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="32" /></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr /><w:pPr><w:rPr /></w:pPr><w:qFormat /></w:style></w:styles>"#;
        let mut d = Doc::parse(x).unwrap();
        fix_styles(&mut d.root, 32);
        reorder(&mut d.root);
        let out = d.to_xml();
        assert!(out.contains(r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr>"#), "{out}");
        strip_misplaced_rpr(&mut d.root);
        let out = d.to_xml();
        assert!(
            out.contains(r#"<w:qFormat/><w:pPr/><w:rPr><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>"#),
            "no rPr in a style's pPr; Normal states the body size: {out}"
        );
        assert!(
            out.contains(
                r#"<w:sz w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>"#
            ),
            "{out}"
        );
    }
}
