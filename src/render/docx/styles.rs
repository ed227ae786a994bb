//! The paragraph styles of the Word file, so that a clerk who edits it before sign-off works in
//! the 公文 format: Word's navigation pane lists the six sections, and a paragraph typed after
//! pressing Enter is 仿宋_GB2312 三号 on the 28 × 22 grid.
//!
//! Every paragraph of `document.xml` names one of these styles ([`layout`](super::layout) picks
//! it) and the styles carry the formatting: a paragraph or run states a property only where it
//! differs from its style ([`super::document`]: a 楷体 run-in heading, smaller table text, the
//! 落款's indent, the space after a table), so a clerk who changes 公文正文 in Word or WPS
//! changes every body paragraph.
//!
//! The two heading styles are based on Word's built-in `heading 1` and `heading 2` (标题 1,
//! 标题 2), which this file defines with the same outline levels: tools that know only the
//! built-in headings (LibreOffice's HTML export writes `<h1>`) see the six sections.
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

use super::model::RunFonts;
use super::model::{AlignmentType, Indent, LineSpacing, LineSpacingType, ParaProps, RunProps};
use super::props::{write_fonts, write_ppr, write_rpr, Extra};
use super::xml::Xml;
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
    /// The style it is based on: `Normal`, or Word's built-in heading of the same level, so
    /// that tools which know only the built-in headings (LibreOffice's HTML export, outline
    /// views) see the six sections as headings.
    based_on: &'static str,
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
    jc: AlignmentType,
    outline: Option<u8>,
}

fn defs(m: &Measures) -> Vec<Def> {
    let body = Def {
        id: BODY,
        name: "公文正文",
        based_on: NORMAL,
        next: BODY,
        face: Face::Fang,
        size: m.body_size,
        tracking: true,
        keep_next: false,
        on_grid: true,
        own_pitch: None,
        indent: (0, 0, m.body_indent),
        jc: AlignmentType::Both,
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
            jc: AlignmentType::Center,
            ..body
        },
        Def {
            id: TITLE_DATE,
            name: "发布日期",
            keep_next: true,
            indent: (0, 0, 0),
            jc: AlignmentType::Center,
            ..body
        },
        Def {
            id: HEADING1,
            name: "一级标题",
            based_on: BUILTIN_HEADING1,
            face: Face::Hei,
            keep_next: true,
            outline: Some(0),
            ..body
        },
        Def {
            id: HEADING2,
            name: "二级标题",
            based_on: BUILTIN_HEADING2,
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
            jc: AlignmentType::Center,
            ..body
        },
        Def {
            id: SIGNATURE,
            name: "落款",
            next: SIGNATURE,
            indent: (0, m.signature_right, 0),
            jc: AlignmentType::Right,
            ..body
        },
    ]
}

/// Word's default paragraph style.
pub const NORMAL: &str = "Normal";
/// Word's built-in `heading 1` and `heading 2` (标题 1, 标题 2), which the two 公文 heading
/// styles are based on.
pub const BUILTIN_HEADING1: &str = "Heading1";
pub const BUILTIN_HEADING2: &str = "Heading2";

/// A style as the document writer compares paragraphs with it: every property it states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub para: ParaProps,
    pub run: RunProps,
    pub outline: Option<u8>,
}

fn look(d: &Def, m: &Measures) -> Look {
    let (left, right, first_line) = d.indent;
    let spacing = if d.on_grid {
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(d.own_pitch.unwrap_or(m.line_pitch))
    } else {
        LineSpacing::new()
            .line_rule(LineSpacingType::Auto)
            .line(m.table_line)
    };
    Look {
        para: ParaProps {
            keep_next: Some(d.keep_next),
            widow_control: d.on_grid.then_some(true),
            snap_to_grid: (!d.on_grid || d.own_pitch.is_some()).then_some(false),
            spacing: Some(spacing),
            indent: Some(Indent {
                left,
                right,
                first_line,
            }),
            align: Some(d.jc),
        },
        run: RunProps {
            fonts: Some(RunFonts::of(d.face.official_name())),
            spacing: d.tracking.then_some(m.body_tracking),
            size: Some(d.size),
        },
        outline: d.outline,
    }
}

/// The look of each 公文 style by id, for the document writer.
pub struct Sheet {
    looks: Vec<(&'static str, Look)>,
    /// `Normal`: the document defaults (仿宋 三号), nothing of the paragraph.
    normal: Look,
}

impl Sheet {
    pub fn new(m: &Measures) -> Self {
        Sheet {
            looks: defs(m).iter().map(|d| (d.id, look(d, m))).collect(),
            normal: Look {
                para: ParaProps::default(),
                run: RunProps {
                    fonts: Some(RunFonts::of(Face::Fang.official_name())),
                    spacing: None,
                    size: Some(m.body_size),
                },
                outline: None,
            },
        }
    }

    /// The look of style `id` (`None`: `Normal`).
    pub fn look(&self, id: Option<&str>) -> &Look {
        id.and_then(|id| self.looks.iter().find(|(s, _)| *s == id))
            .map_or(&self.normal, |(_, l)| l)
    }
}

/// `word/styles.xml`: the document defaults (仿宋_GB2312 三号 with Times New Roman, Chinese
/// language), `Normal`, Word's two built-in heading styles, and the seven 公文 styles in the
/// order the style gallery should list them.
pub fn styles_xml(m: &Measures) -> String {
    let mut x = Xml::new(8 * 1024);
    x.start("w:styles")
        .attr(
            "xmlns:mc",
            "http://schemas.openxmlformats.org/markup-compatibility/2006",
        )
        .attr(
            "xmlns:r",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        )
        .attr(
            "xmlns:w",
            "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        )
        .attr(
            "xmlns:w14",
            "http://schemas.microsoft.com/office/word/2010/wordml",
        )
        .attr(
            "xmlns:w15",
            "http://schemas.microsoft.com/office/word/2012/wordml",
        )
        .attr("mc:Ignorable", "w14 w15");
    let sheet = Sheet::new(m);
    let none = RunProps::default();
    x.start("w:docDefaults");
    x.start("w:rPrDefault");
    // The language makes Word apply Chinese line breaking and punctuation rules to the text
    // the clerk types.
    write_rpr(
        &mut x,
        &sheet.normal.run,
        &none,
        Extra {
            lang: true,
            ..Extra::default()
        },
    );
    x.end("w:rPrDefault");
    x.start("w:pPrDefault");
    x.empty("w:pPr");
    x.end("w:pPrDefault");
    x.end("w:docDefaults");

    // Normal states the body size itself: LibreOffice takes a document grid's base size from
    // this style alone (not from docDefaults) and assumes 12 pt without it.
    x.start("w:style")
        .attr("w:type", "paragraph")
        .attr("w:default", "1")
        .attr("w:styleId", NORMAL);
    x.val("w:name", "Normal");
    x.empty("w:qFormat");
    x.empty("w:pPr");
    write_rpr(
        &mut x,
        &RunProps {
            size: Some(m.body_size),
            ..RunProps::default()
        },
        &none,
        Extra::default(),
    );
    x.end("w:style");

    // The built-in headings, stated so that a clerk who applies 标题 1 / 标题 2 gets the
    // 公文 faces (not bold), and so that what the 公文 headings inherit is known.
    for (id, name, face, level) in [
        (BUILTIN_HEADING1, "heading 1", Face::Hei, 0u8),
        (BUILTIN_HEADING2, "heading 2", Face::Kai, 1),
    ] {
        x.start("w:style")
            .attr("w:type", "paragraph")
            .attr("w:styleId", id);
        x.val("w:name", name);
        x.val("w:basedOn", NORMAL);
        x.val("w:next", NORMAL);
        x.val("w:uiPriority", 9usize);
        x.empty("w:qFormat");
        x.start("w:pPr");
        x.empty("w:keepNext");
        x.val("w:outlineLvl", usize::from(level));
        x.end("w:pPr");
        x.start("w:rPr");
        write_fonts(&mut x, &RunFonts::of(face.official_name()));
        x.val("w:b", "0");
        x.val("w:bCs", "0");
        x.val("w:sz", m.body_size);
        x.val("w:szCs", m.body_size);
        x.end("w:rPr");
        x.end("w:style");
    }

    for d in defs(m) {
        let l = look(&d, m);
        x.start("w:style")
            .attr("w:type", "paragraph")
            .attr("w:customStyle", "1")
            .attr("w:styleId", d.id);
        x.val("w:name", d.name);
        x.val("w:basedOn", d.based_on);
        x.val("w:next", d.next);
        x.empty("w:qFormat");
        write_ppr(
            &mut x,
            None,
            &l.para,
            &ParaProps::default(),
            l.outline,
            None,
        );
        // Bold off in the headings, whatever an application's own built-in heading says.
        let extra = Extra {
            bold_off: d.based_on != NORMAL,
            ..Extra::default()
        };
        write_rpr(&mut x, &l.run, &none, extra);
        x.end("w:style");
    }
    x.end("w:styles");
    x.finish()
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

    #[test]
    fn styles_in_gallery_order_headings_on_the_built_in_ones() {
        let x = styles_xml(&measures());
        let ids: Vec<&str> = x
            .split("w:styleId=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert_eq!(
            ids,
            [
                NORMAL,
                BUILTIN_HEADING1,
                BUILTIN_HEADING2,
                TITLE,
                TITLE_DATE,
                HEADING1,
                HEADING2,
                BODY,
                TABLE_TEXT,
                SIGNATURE
            ]
        );
        let style = |id: &str| {
            let at = x.find(&format!("w:styleId=\"{id}\"")).unwrap();
            &x[at..at + x[at..].find("</w:style>").unwrap()]
        };
        assert!(style(HEADING1).contains(r#"<w:basedOn w:val="Heading1"/>"#));
        assert!(style(HEADING1).contains(r#"<w:outlineLvl w:val="0"/>"#));
        assert!(style(HEADING2).contains(r#"<w:outlineLvl w:val="1"/>"#));
        assert!(style(BUILTIN_HEADING1).contains(r#"<w:name w:val="heading 1"/>"#));
        assert!(style(BODY).contains(r#"w:firstLine="640" w:firstLineChars="200""#));
        assert!(!style(TITLE).contains("firstLineChars"));
        assert!(style(BODY).contains(r#"<w:basedOn w:val="Normal"/>"#));
    }
}
