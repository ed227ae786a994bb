//! The package's theme part (`word/theme/theme1.xml`). Word does not need one to open a file,
//! but ECMA-376's strict reading of a WordprocessingML package expects the main part to have
//! one (a strict validator reports "a required relationship type theme is missing", and Word may
//! offer to repair the file). This is the smallest valid DrawingML theme: black on white, plain
//! fills and lines, and the house faces as the theme fonts, so that text set "by the theme"
//! comes out in the faces the document names.

use super::layout::{FANGSONG, LATIN, TITLE_FACE};
use crate::render::xml_escape;

/// Where the part goes, its relationship from the main part and its content type.
pub const PART: &str = "word/theme/theme1.xml";
pub const TARGET: &str = "theme/theme1.xml";
pub const REL_ID: &str = "rIdTheme1";
pub const REL_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme";
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.theme+xml";

/// The theme XML: colours, fonts (the title face for headings, 仿宋 for the body, Times New
/// Roman for Latin text) and the three fills, lines and effects the schema requires.
pub fn theme_xml() -> String {
    let font = |ea: &str| {
        format!(
            r#"<a:latin typeface="{latin}"/><a:ea typeface="{ea}"/><a:cs typeface="{latin}"/><a:font script="Hans" typeface="{ea}"/>"#,
            latin = xml_escape(LATIN),
            ea = xml_escape(ea)
        )
    };
    let colour =
        |name: &str, rgb: &str| format!(r#"<a:{name}><a:srgbClr val="{rgb}"/></a:{name}>"#);
    let colours: String = [
        ("dk1", "000000"),
        ("lt1", "FFFFFF"),
        ("dk2", "000000"),
        ("lt2", "FFFFFF"),
        ("accent1", "000000"),
        ("accent2", "000000"),
        ("accent3", "000000"),
        ("accent4", "000000"),
        ("accent5", "000000"),
        ("accent6", "000000"),
        ("hlink", "0000FF"),
        ("folHlink", "800080"),
    ]
    .iter()
    .map(|(n, c)| colour(n, c))
    .collect();
    let fill = r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#;
    let line = format!(r#"<a:ln w="6350">{fill}</a:ln>"#);
    let effect = "<a:effectStyle><a:effectLst/></a:effectStyle>";
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="xxgk">"#,
            "<a:themeElements>",
            r#"<a:clrScheme name="xxgk">{colours}</a:clrScheme>"#,
            r#"<a:fontScheme name="xxgk"><a:majorFont>{major}</a:majorFont><a:minorFont>{minor}</a:minorFont></a:fontScheme>"#,
            r#"<a:fmtScheme name="xxgk">"#,
            "<a:fillStyleLst>{fill}{fill}{fill}</a:fillStyleLst>",
            "<a:lnStyleLst>{line}{line}{line}</a:lnStyleLst>",
            "<a:effectStyleLst>{effect}{effect}{effect}</a:effectStyleLst>",
            "<a:bgFillStyleLst>{fill}{fill}{fill}</a:bgFillStyleLst>",
            "</a:fmtScheme>",
            "</a:themeElements>",
            "<a:objectDefaults/><a:extraClrSchemeLst/>",
            "</a:theme>"
        ),
        colours = colours,
        major = font(TITLE_FACE),
        minor = font(FANGSONG),
        fill = fill,
        line = line,
        effect = effect,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_parses_and_names_the_house_faces() {
        let x = theme_xml();
        assert!(x.contains(&format!(r#"<a:ea typeface="{FANGSONG}"/>"#)));
        assert!(x.contains(&format!(r#"<a:latin typeface="{LATIN}"/>"#)));
        assert_eq!(x.matches("<a:effectStyle>").count(), 3);
    }
}
