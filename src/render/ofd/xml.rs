//! The XML of the OFD parts (GB/T 33190-2016 §7): the entry file, the document, the resource
//! files and one content file per page. Text is escaped here and nowhere else; lengths are
//! millimetres written with at most four decimals.

/// The OFD namespace.
pub const NS: &str = "http://www.ofdspec.org/2016";

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// Escapes text for XML (shared with the Word writer).
pub(crate) use crate::render::xml_escape as esc;

/// A length in millimetres: four decimals at most, no trailing zeros, no `-0`.
pub fn num(v: f64) -> String {
    let r = (v * 10_000.0).round() / 10_000.0;
    if r == 0.0 {
        return "0".to_string();
    }
    let s = format!("{r:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// `x y w h`.
pub fn rect(x: f64, y: f64, w: f64, h: f64) -> String {
    format!("{} {} {} {}", num(x), num(y), num(w), num(h))
}

/// A `DeltaX` list, with runs of three or more equal values written as `g count value`.
pub fn deltas(values: &[f64]) -> String {
    let items: Vec<String> = values.iter().map(|v| num(*v)).collect();
    let mut out: Vec<String> = vec![];
    let mut i = 0;
    while i < items.len() {
        let mut j = i + 1;
        while j < items.len() && items[j] == items[i] {
            j += 1;
        }
        let n = j - i;
        if n >= 3 {
            out.push(format!("g {n} {}", items[i]));
        } else {
            out.extend(items[i..j].iter().cloned());
        }
        i = j;
    }
    out.join(" ")
}

/// Document metadata (`DocInfo`).
pub struct DocInfo<'a> {
    pub doc_id: &'a str,
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    /// `YYYY-MM-DD`.
    pub date: &'a str,
    pub creator: &'a str,
    pub creator_version: &'a str,
}

/// `OFD.xml`: the entry file, with the metadata and the one document's root.
pub fn ofd_xml(info: &DocInfo, doc_root: &str) -> String {
    format!(
        concat!(
            "{head}<ofd:OFD xmlns:ofd=\"{ns}\" Version=\"1.0\" DocType=\"OFD\">",
            "<ofd:DocBody><ofd:DocInfo>",
            "<ofd:DocID>{id}</ofd:DocID>",
            "<ofd:Title>{title}</ofd:Title>",
            "<ofd:Author>{author}</ofd:Author>",
            "<ofd:Subject>{subject}</ofd:Subject>",
            "<ofd:CreationDate>{date}</ofd:CreationDate>",
            "<ofd:ModDate>{date}</ofd:ModDate>",
            "<ofd:Creator>{creator}</ofd:Creator>",
            "<ofd:CreatorVersion>{version}</ofd:CreatorVersion>",
            "</ofd:DocInfo>",
            "<ofd:DocRoot>{root}</ofd:DocRoot>",
            "</ofd:DocBody></ofd:OFD>"
        ),
        head = HEAD,
        ns = NS,
        id = esc(info.doc_id),
        title = esc(info.title),
        author = esc(info.author),
        subject = esc(info.subject),
        date = esc(info.date),
        creator = esc(info.creator),
        version = esc(info.creator_version),
        root = esc(doc_root),
    )
}

/// `Document.xml`: the common data (page size, resources), the page list and the outline.
/// `pages` are (page id, content path relative to the document); `outline` (title, page id,
/// top in mm) goes to the six section headings, as the PDF's bookmarks do.
pub fn document_xml(
    max_id: u32,
    page_w: f64,
    page_h: f64,
    pages: &[(u32, String)],
    outline: &[(String, u32, f64)],
) -> String {
    let mut s = format!(
        concat!(
            "{head}<ofd:Document xmlns:ofd=\"{ns}\">",
            "<ofd:CommonData>",
            "<ofd:MaxUnitID>{max}</ofd:MaxUnitID>",
            "<ofd:PageArea><ofd:PhysicalBox>{bx}</ofd:PhysicalBox></ofd:PageArea>",
            "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>",
            "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>",
            "</ofd:CommonData><ofd:Pages>"
        ),
        head = HEAD,
        ns = NS,
        max = max_id,
        bx = rect(0.0, 0.0, page_w, page_h),
    );
    for (id, loc) in pages {
        s.push_str(&format!("<ofd:Page ID=\"{id}\" BaseLoc=\"{}\"/>", esc(loc)));
    }
    s.push_str("</ofd:Pages>");
    if !outline.is_empty() {
        s.push_str("<ofd:Outlines>");
        for (title, page, top) in outline {
            s.push_str(&format!(
                concat!(
                    "<ofd:OutlineElem Title=\"{}\"><ofd:Actions><ofd:Action Event=\"CLICK\">",
                    "<ofd:Goto><ofd:Dest Type=\"XYZ\" PageID=\"{}\" Left=\"0\" Top=\"{}\"/>",
                    "</ofd:Goto></ofd:Action></ofd:Actions></ofd:OutlineElem>"
                ),
                esc(title),
                page,
                num(*top)
            ));
        }
        s.push_str("</ofd:Outlines>");
    }
    s.push_str("</ofd:Document>");
    s
}

/// One embedded font of `PublicRes.xml`.
pub struct FontRes {
    pub id: u32,
    pub name: String,
    pub family: String,
    /// The file, relative to the resource directory.
    pub file: String,
}

/// `PublicRes.xml`: the fonts, their files under `Res/`.
pub fn public_res_xml(fonts: &[FontRes]) -> String {
    let mut s = format!("{HEAD}<ofd:Res xmlns:ofd=\"{NS}\" BaseLoc=\"Res\"><ofd:Fonts>");
    for f in fonts {
        s.push_str(&format!(
            "<ofd:Font ID=\"{}\" FontName=\"{}\" FamilyName=\"{}\"><ofd:FontFile>{}</ofd:FontFile></ofd:Font>",
            f.id,
            esc(&f.name),
            esc(&f.family),
            esc(&f.file)
        ));
    }
    s.push_str("</ofd:Fonts></ofd:Res>");
    s
}

/// `DocumentRes.xml`: the document's own resources. The report draws no images, so it is empty
/// (readers and GB/T 33476 expect the file all the same).
pub fn document_res_xml() -> String {
    format!("{HEAD}<ofd:Res xmlns:ofd=\"{NS}\" BaseLoc=\"Res\"/>")
}

/// A page's content being written: one body layer of text and path objects.
pub struct Content {
    body: String,
}

impl Content {
    pub fn new(layer_id: u32) -> Content {
        Content {
            body: format!(
                "{HEAD}<ofd:Page xmlns:ofd=\"{NS}\"><ofd:Content><ofd:Layer ID=\"{layer_id}\" Type=\"Body\">"
            ),
        }
    }

    /// A text object: `boundary` in page millimetres, the first glyph's origin (`x`, baseline
    /// `y`) relative to it, and the advance to each following glyph.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        id: u32,
        boundary: [f64; 4],
        font: u32,
        size: f64,
        x: f64,
        y: f64,
        delta_x: &[f64],
        text: &str,
    ) {
        let [bx, by, bw, bh] = boundary;
        let dx = if delta_x.is_empty() {
            String::new()
        } else {
            format!(" DeltaX=\"{}\"", deltas(delta_x))
        };
        self.body.push_str(&format!(
            concat!(
                "<ofd:TextObject ID=\"{id}\" Boundary=\"{b}\" Font=\"{font}\" Size=\"{size}\">",
                "<ofd:FillColor Value=\"0 0 0\"/>",
                "<ofd:TextCode X=\"{x}\" Y=\"{y}\"{dx}>{text}</ofd:TextCode>",
                "</ofd:TextObject>"
            ),
            id = id,
            b = rect(bx, by, bw, bh),
            font = font,
            size = num(size),
            x = num(x),
            y = num(y),
            dx = dx,
            text = esc(text),
        ));
    }

    /// One character outside the Basic Multilingual Plane (𠮷 U+20BB7) as a text object that
    /// also names its glyph, `glyph` of the embedded subset, by a `CGTransform`: a reader that
    /// looks characters up by 16-bit code (sofd does) still draws it.
    #[allow(clippy::too_many_arguments)]
    pub fn text_glyph(
        &mut self,
        id: u32,
        boundary: [f64; 4],
        font: u32,
        size: f64,
        x: f64,
        y: f64,
        ch: char,
        glyph: u16,
    ) {
        let [bx, by, bw, bh] = boundary;
        self.body.push_str(&format!(
            concat!(
                "<ofd:TextObject ID=\"{id}\" Boundary=\"{b}\" Font=\"{font}\" Size=\"{size}\">",
                "<ofd:FillColor Value=\"0 0 0\"/>",
                "<ofd:CGTransform CodePosition=\"0\" CodeCount=\"1\" GlyphCount=\"1\">",
                "<ofd:Glyphs>{glyph}</ofd:Glyphs></ofd:CGTransform>",
                "<ofd:TextCode X=\"{x}\" Y=\"{y}\">{text}</ofd:TextCode>",
                "</ofd:TextObject>"
            ),
            id = id,
            b = rect(bx, by, bw, bh),
            font = font,
            size = num(size),
            glyph = glyph,
            x = num(x),
            y = num(y),
            text = esc(&ch.to_string()),
        ));
    }

    /// A stroked straight line from (`x1`, `y1`) to (`x2`, `y2`), page millimetres.
    #[allow(clippy::too_many_arguments)]
    pub fn line(&mut self, id: u32, x1: f64, y1: f64, x2: f64, y2: f64, width: f64) {
        // The boundary holds the whole stroke (readers clip to it), the path is relative to it.
        let pad = width.max(0.01);
        let (left, top) = (x1.min(x2) - pad, y1.min(y2) - pad);
        let (w, h) = ((x1 - x2).abs() + 2.0 * pad, (y1 - y2).abs() + 2.0 * pad);
        self.body.push_str(&format!(
            concat!(
                "<ofd:PathObject ID=\"{id}\" Boundary=\"{b}\" LineWidth=\"{lw}\" Stroke=\"true\" Fill=\"false\">",
                "<ofd:StrokeColor Value=\"0 0 0\"/>",
                "<ofd:AbbreviatedData>M {ax} {ay} L {bx} {by}</ofd:AbbreviatedData>",
                "</ofd:PathObject>"
            ),
            id = id,
            b = rect(left, top, w, h),
            lw = num(width),
            ax = num(x1 - left),
            ay = num(y1 - top),
            bx = num(x2 - left),
            by = num(y2 - top),
        ));
    }

    pub fn finish(mut self) -> String {
        self.body.push_str("</ofd:Layer></ofd:Content></ofd:Page>");
        self.body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(esc("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(esc("x\u{1}y"), "xy");
        assert_eq!(esc("政府"), "政府");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(-0.00001), "0");
        assert_eq!(num(210.0), "210");
        assert_eq!(num(5.57083), "5.5708");
        assert_eq!(num(-1.5), "-1.5");
    }

    #[test]
    fn repeated_deltas_are_grouped() {
        assert_eq!(deltas(&[1.0, 1.0, 1.0, 2.0, 2.0]), "g 3 1 2 2");
        assert_eq!(deltas(&[1.5]), "1.5");
        assert_eq!(deltas(&[]), "");
    }
}
