//! The property elements of paragraphs, runs and styles (`w:pPr`, `w:rPr`, `w:rFonts`) in
//! schema order: a paragraph's or run's written against its style's, so that only what differs
//! is stated; a style's written whole.

use super::model::{LineSpacingType, ParaProps, RunFonts, RunProps};
use super::xml::Xml;
use crate::spec::style;

/// 首行缩进二字 at 三号, in twips: the indent that is also stated in characters.
const BODY_INDENT: i32 = (style::INDENT_CHARS * style::BODY_PT * 20.0) as i32;

/// Writes a start tag the first time something goes inside it.
struct Lazy {
    name: &'static str,
    open: bool,
}

impl Lazy {
    fn new(name: &'static str) -> Self {
        Lazy { name, open: false }
    }
    fn open(&mut self, x: &mut Xml) {
        if !self.open {
            x.start(self.name);
            self.open = true;
        }
    }
    fn close(self, x: &mut Xml) {
        if self.open {
            x.end(self.name);
        }
    }
}

/// `w:pPr` with the properties of `props` that differ from `base` (the style's look, or
/// nothing when writing a style itself), the outline level of a style, and the paragraph
/// mark's run properties where they differ from the style's (`mark`: the mark's and the
/// style's).
pub fn write_ppr(
    x: &mut Xml,
    style: Option<&str>,
    props: &ParaProps,
    base: &ParaProps,
    outline: Option<u8>,
    mark: Option<(&RunProps, &RunProps)>,
) {
    let mut ppr = Lazy::new("w:pPr");
    // A style itself always has its pPr (the tests and Word's own files do).
    if mark.is_none() {
        ppr.open(x);
    }
    if let Some(id) = style {
        ppr.open(x);
        x.val("w:pStyle", id);
    }
    // Off by default: keepNext, widowControl (when no level states it); on: snapToGrid.
    let flag = |x: &mut Xml, ppr: &mut Lazy, name: &str, v: Option<bool>, b: Option<bool>, d| {
        if let Some(v) = v {
            if v != b.unwrap_or(d) {
                ppr.open(x);
                match (name, v) {
                    ("w:keepNext", true) => x.empty(name),
                    (_, v) => x.val(name, if v { "1" } else { "0" }),
                }
            }
        }
    };
    flag(
        x,
        &mut ppr,
        "w:keepNext",
        props.keep_next,
        base.keep_next,
        false,
    );
    flag(
        x,
        &mut ppr,
        "w:widowControl",
        props.widow_control,
        base.widow_control,
        false,
    );
    flag(
        x,
        &mut ppr,
        "w:snapToGrid",
        props.snap_to_grid,
        base.snap_to_grid,
        true,
    );
    if let Some(s) = props.spacing.filter(|s| Some(*s) != base.spacing) {
        ppr.open(x);
        x.start("w:spacing")
            .attr("w:before", s.before)
            .attr("w:after", s.after)
            .attr("w:line", s.line)
            .attr(
                "w:lineRule",
                match s.rule {
                    LineSpacingType::Auto => "auto",
                    LineSpacingType::Exact => "exact",
                },
            )
            .end_empty();
    }
    if let Some(i) = props.indent.filter(|i| Some(*i) != base.indent) {
        ppr.open(x);
        x.start("w:ind")
            .attr("w:left", i.left)
            .attr("w:right", i.right)
            .attr("w:firstLine", i.first_line);
        // Two characters as well as twips for the body's indent: Word keeps it at two
        // characters when the clerk changes the size. A style's `*Chars` wins over a
        // paragraph's twips in Word, so a paragraph of such a style with another indent
        // says 0 characters.
        if i.first_line == BODY_INDENT && i.first_line > 0 {
            x.attr("w:firstLineChars", 200);
        } else if base.indent.is_some_and(|b| b.first_line == BODY_INDENT) {
            x.attr("w:firstLineChars", 0);
        }
        x.end_empty();
    }
    if let Some(a) = props.align.filter(|a| Some(*a) != base.align) {
        ppr.open(x);
        x.val("w:jc", a.as_str());
    }
    if let Some(l) = outline {
        ppr.open(x);
        x.val("w:outlineLvl", usize::from(l));
    }
    if let Some((m, base)) = mark {
        rpr_in(x, m, base, Extra::default(), Some(&mut ppr));
    }
    ppr.close(x);
}

/// What a few `w:rPr` carry besides fonts, tracking and size.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extra {
    /// `w:b` and `w:bCs` off.
    pub bold_off: bool,
    /// `w:lang`: the text is Chinese (zh-CN), Latin text en-US.
    pub lang: bool,
}

/// `w:rPr` with the properties of `props` that differ from `base`, in schema order.
pub fn write_rpr(x: &mut Xml, props: &RunProps, base: &RunProps, extra: Extra) {
    rpr_in(x, props, base, extra, None);
}

/// [`write_rpr`] inside `outer`, which is opened only if the `w:rPr` is written.
fn rpr_in(x: &mut Xml, props: &RunProps, base: &RunProps, extra: Extra, outer: Option<&mut Lazy>) {
    let mut rpr = Lazy::new("w:rPr");
    let mut outer = outer;
    let mut open = |x: &mut Xml, rpr: &mut Lazy| {
        if let Some(o) = outer.as_deref_mut() {
            o.open(x);
        }
        rpr.open(x);
    };
    if let Some(f) = props.fonts.filter(|f| Some(*f) != base.fonts) {
        open(x, &mut rpr);
        write_fonts(x, &f);
    }
    if extra.bold_off {
        open(x, &mut rpr);
        x.val("w:b", "0");
        x.val("w:bCs", "0");
    }
    if let Some(s) = props.spacing.filter(|s| Some(*s) != base.spacing) {
        open(x, &mut rpr);
        x.val("w:spacing", s);
    }
    if let Some(s) = props.size.filter(|s| Some(*s) != base.size) {
        open(x, &mut rpr);
        x.val("w:sz", s);
        x.val("w:szCs", s);
    }
    if extra.lang {
        open(x, &mut rpr);
        x.start("w:lang")
            .attr("w:val", "en-US")
            .attr("w:eastAsia", "zh-CN")
            .attr("w:bidi", "ar-SA")
            .end_empty();
    }
    rpr.close(x);
}

/// `w:rFonts`.
pub fn write_fonts(x: &mut Xml, f: &RunFonts) {
    x.start("w:rFonts")
        .attr("w:ascii", f.ascii)
        .attr("w:hAnsi", f.hi_ansi)
        .attr("w:cs", f.cs)
        .attr("w:eastAsia", f.east_asia);
    if f.east_asia_hint {
        x.attr("w:hint", "eastAsia");
    }
    x.end_empty();
}
