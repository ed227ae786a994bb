//! The paragraph styles of the Word file, so that a clerk who edits it before sign-off works in
//! the 公文 format: Word's navigation pane lists the six sections, and a paragraph typed after
//! pressing Enter is 仿宋_GB2312 三号 on the 28 × 22 grid.
//!
//! Every paragraph of `document.xml` names one of these styles ([`layout`](super::layout) picks
//! it), and keeps its direct formatting too, so the output looks exactly as before; each style
//! states the same properties, so that what the clerk adds matches what is there.
//!
//! | id | name | used for |
//! | --- | --- | --- |
//! | [`TITLE`] | 公文标题 | the title lines (方正小标宋简体 二号, centred) |
//! | [`TITLE_DATE`] | 发布日期 | the date under the title (仿宋_GB2312 三号, centred) |
//! | [`HEADING1`] | 一级标题 | `一、总体情况` … the six sections (黑体 三号, outline level 1) |
//! | [`HEADING2`] | 二级标题 | a subsection heading that stands alone (楷体_GB2312 三号, outline level 2) |
//! | [`BODY`] | 公文正文 | body text, run-in subsection headings, blank lines |
//! | [`TABLE_TEXT`] | 表格文字 | every paragraph in a table cell (宋体 五号, single spacing) |
//! | [`SIGNATURE`] | 落款 | the body's name and the date at the end |
//!
//! **Run-in headings.** `（一）主动公开。` is set in 楷体 at the start of the paragraph that holds
//! the subsection's first text, as these reports are printed. Word puts a whole paragraph in the
//! navigation pane when its style has an outline level, so such a paragraph stays [`BODY`]: its
//! heading is a 楷体 run, and the pane lists the six sections only. [`HEADING2`] (outline level
//! 2, `w:outlineLvl` 1) is applied where a subsection has a heading but no text, so the
//! paragraph holds the heading alone, and is there for the clerk who adds a separate
//! subheading.
//!
//! The ids are ASCII (Word and LibreOffice refer to styles by id) and avoid the ids of Word's
//! built-in styles; the names are Chinese. The body style is not named 正文 because that is
//! the name Chinese Word and WPS show for the built-in `Normal` style, which stays as it is
//! (the footers use it).

use super::patch::{Doc, Element, Node, PatchError};
use crate::spec::style::Face;

/// 公文标题.
pub const TITLE: &str = "GwTitle";
/// 发布日期.
pub const TITLE_DATE: &str = "GwTitleDate";
/// 一级标题 (outline level 1).
pub const HEADING1: &str = "GwHeading1";
/// 二级标题 (outline level 2).
pub const HEADING2: &str = "GwHeading2";
/// 公文正文.
pub const BODY: &str = "GwBody";
/// 表格文字.
pub const TABLE_TEXT: &str = "GwTableText";
/// 落款.
pub const SIGNATURE: &str = "GwSignature";

/// The numbers of the layout the styles state (twips, half-points, twentieths of a point), as
/// the layout sets them on its paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measures {
    /// Exact line pitch of the title (off the grid).
    pub title_pitch: i32,
    /// Exact line spacing of the 22-line grid.
    pub line_pitch: i32,
    /// First-line indent of body text and headings (two characters).
    pub body_indent: i32,
    /// Character tracking of 三号 text (28 characters a line).
    pub body_tracking: i32,
    pub title_size: usize,
    pub body_size: usize,
    /// The largest table size; tables that need smaller text set it on their paragraphs.
    pub table_size: usize,
    /// Single line spacing of table text (240ths of a line).
    pub table_line: i32,
    /// Right indent of the 落款 (two characters, GB/T 9704 右空二字).
    pub signature_right: i32,
}

/// How a paragraph style reads.
struct Def {
    id: &'static str,
    name: &'static str,
    next: &'static str,
    face: Face,
    size: usize,
    tracking: bool,
    /// `keepNext`, `widowControl` on, exact grid spacing (else single spacing off the grid).
    keep_next: bool,
    on_grid: bool,
    /// An exact line pitch of its own, off the grid (the title's), instead of the grid's.
    own_pitch: Option<i32>,
    /// (left, right, firstLine) twips.
    indent: (i32, i32, i32),
    jc: &'static str,
    outline: Option<u8>,
}

fn defs(m: &Measures) -> Vec<Def> {
    let body = Def {
        id: BODY,
        name: "公文正文",
        next: BODY,
        face: Face::Fang,
        size: m.body_size,
        tracking: true,
        keep_next: false,
        on_grid: true,
        own_pitch: None,
        indent: (0, 0, m.body_indent),
        jc: "both",
        outline: None,
    };
    vec![
        Def {
            id: TITLE,
            name: "公文标题",
            face: Face::Title,
            size: m.title_size,
            tracking: false,
            keep_next: true,
            own_pitch: Some(m.title_pitch),
            indent: (0, 0, 0),
            jc: "center",
            ..body
        },
        Def {
            id: TITLE_DATE,
            name: "发布日期",
            keep_next: true,
            indent: (0, 0, 0),
            jc: "center",
            ..body
        },
        Def {
            id: HEADING1,
            name: "一级标题",
            face: Face::Hei,
            keep_next: true,
            outline: Some(0),
            ..body
        },
        Def {
            id: HEADING2,
            name: "二级标题",
            face: Face::Kai,
            keep_next: true,
            outline: Some(1),
            ..body
        },
        Def { ..body },
        Def {
            id: TABLE_TEXT,
            name: "表格文字",
            next: TABLE_TEXT,
            face: Face::Song,
            size: m.table_size,
            tracking: false,
            on_grid: false,
            indent: (0, 0, 0),
            jc: "center",
            ..body
        },
        Def {
            id: SIGNATURE,
            name: "落款",
            next: SIGNATURE,
            indent: (0, m.signature_right, 0),
            jc: "right",
            ..body
        },
    ]
}

/// The fonts of [`layout::fonts`](super::layout::fonts): the official East Asian face, its
/// Latin face for digits and Latin letters, the `eastAsia` hint.
fn run_fonts(face: Face) -> String {
    let latin = face.latin().official_name();
    format!(
        r#"<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:cs="{latin}" w:eastAsia="{}" w:hint="eastAsia"/>"#,
        face.official_name()
    )
}

fn style_xml(d: &Def, m: &Measures) -> String {
    let mut ppr = String::new();
    if d.keep_next {
        ppr.push_str("<w:keepNext/>");
    }
    if d.on_grid {
        ppr.push_str(r#"<w:widowControl w:val="1"/>"#);
        if d.own_pitch.is_some() {
            ppr.push_str(r#"<w:snapToGrid w:val="0"/>"#);
        }
        ppr.push_str(&format!(
            r#"<w:spacing w:before="0" w:after="0" w:line="{}" w:lineRule="exact"/>"#,
            d.own_pitch.unwrap_or(m.line_pitch)
        ));
    } else {
        ppr.push_str(r#"<w:snapToGrid w:val="0"/>"#);
        ppr.push_str(&format!(
            r#"<w:spacing w:before="0" w:after="0" w:line="{}" w:lineRule="auto"/>"#,
            m.table_line
        ));
    }
    let (left, right, first) = d.indent;
    // Characters as well as twips for the two-character indent: Word keeps it at two
    // characters when the clerk changes the size. No `firstLineChars` elsewhere, since Word
    // lets a style's `*Chars` win over a paragraph's twips.
    let chars = if first == m.body_indent && first > 0 {
        r#" w:firstLineChars="200""#
    } else {
        ""
    };
    ppr.push_str(&format!(
        r#"<w:ind w:left="{left}" w:right="{right}" w:firstLine="{first}"{chars}/>"#
    ));
    ppr.push_str(&format!(r#"<w:jc w:val="{}"/>"#, d.jc));
    if let Some(l) = d.outline {
        ppr.push_str(&format!(r#"<w:outlineLvl w:val="{l}"/>"#));
    }
    let mut rpr = run_fonts(d.face);
    if d.tracking {
        rpr.push_str(&format!(r#"<w:spacing w:val="{}"/>"#, m.body_tracking));
    }
    rpr.push_str(&format!(
        r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#,
        d.size
    ));
    format!(
        concat!(
            r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="{id}">"#,
            r#"<w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="{next}"/>"#,
            "<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        ),
        id = d.id,
        name = d.name,
        next = d.next,
        ppr = ppr,
        rpr = rpr
    )
}

/// The style elements, in the order the style gallery should list them.
pub fn definitions(m: &Measures) -> Vec<Element<'static>> {
    defs(m)
        .iter()
        .map(|d| {
            Doc::parse(&style_xml(d, m))
                .expect("the style XML is well-formed")
                .root
                .into_owned()
        })
        .collect()
}

/// docx-rs's `styles.xml` with the 公文 styles appended after its own (`Normal`).
pub fn add_to(styles_xml: &[u8], m: &Measures) -> Result<Vec<u8>, PatchError> {
    let text = std::str::from_utf8(styles_xml)
        .map_err(|_| PatchError("word/styles.xml 不是 UTF-8".into()))?;
    let mut doc = Doc::parse(text).map_err(|e| PatchError(format!("word/styles.xml: {}", e.0)))?;
    for s in definitions(m) {
        doc.root.children.push(Node::Element(s));
    }
    Ok(doc.to_xml().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measures() -> Measures {
        Measures {
            title_pitch: 700,
            line_pitch: 579,
            body_indent: 640,
            body_tracking: -5,
            title_size: 44,
            body_size: 32,
            table_size: 21,
            table_line: 240,
            signature_right: 630,
        }
    }

    fn style<'a>(all: &'a [Element<'static>], id: &str) -> &'a Element<'static> {
        all.iter()
            .find(|s| s.attr("w:styleId") == Some(id))
            .unwrap()
    }

    #[test]
    fn headings_have_outline_levels_and_lead_to_the_body() {
        let all = definitions(&measures());
        let ids: Vec<&str> = all.iter().filter_map(|s| s.attr("w:styleId")).collect();
        assert_eq!(
            ids,
            [TITLE, TITLE_DATE, HEADING1, HEADING2, BODY, TABLE_TEXT, SIGNATURE]
        );
        let lvl = |id: &str| {
            style(&all, id)
                .child("w:pPr")
                .and_then(|p| p.child("w:outlineLvl"))
                .and_then(|o| o.attr("w:val"))
                .map(str::to_string)
        };
        assert_eq!(lvl(HEADING1).as_deref(), Some("0"));
        assert_eq!(lvl(HEADING2).as_deref(), Some("1"));
        assert!([TITLE, TITLE_DATE, BODY, TABLE_TEXT, SIGNATURE]
            .iter()
            .all(|id| lvl(id).is_none()));
        for id in [TITLE, HEADING1, HEADING2] {
            let s = style(&all, id);
            assert_eq!(s.child("w:next").unwrap().attr("w:val"), Some(BODY));
            assert!(s.child("w:pPr").unwrap().child("w:keepNext").is_some());
        }
        let body = style(&all, BODY).child("w:pPr").unwrap();
        assert_eq!(
            body.child("w:ind").unwrap().attr("w:firstLineChars"),
            Some("200")
        );
        let title = style(&all, TITLE).child("w:pPr").unwrap();
        assert_eq!(title.child("w:ind").unwrap().attr("w:firstLineChars"), None);
        let name = |id: &str| style(&all, id).child("w:name").unwrap().attr("w:val");
        assert_eq!(name(HEADING1), Some("一级标题"));
        assert_eq!(name(SIGNATURE), Some("落款"));
    }
}
