//! A small XML writer for the package parts: elements are written in the order they are
//! opened (each part's writer follows the schema's sequence itself), text and attribute values
//! are escaped, and characters XML 1.0 does not allow are dropped, so no input can make a part
//! unreadable.

use std::fmt::Write as _;

/// The XML declaration every part starts with.
pub const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// An XML part being written.
pub struct Xml {
    out: String,
    /// A start tag is open (`<name a="1"`), waiting for `>` or `/>`.
    open: bool,
}

/// An attribute value: text (escaped) or a number.
pub trait Value {
    fn write_to(&self, out: &mut String);
}

impl Value for &str {
    fn write_to(&self, out: &mut String) {
        escape(self, out, true);
    }
}

impl Value for String {
    fn write_to(&self, out: &mut String) {
        escape(self, out, true);
    }
}

macro_rules! number_value {
    ($($t:ty),*) => {$(
        impl Value for $t {
            fn write_to(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
number_value!(i32, i64, u32, u64, usize);

impl Xml {
    /// A part of about `capacity` bytes, its declaration written.
    pub fn new(capacity: usize) -> Self {
        let mut out = String::with_capacity(capacity);
        out.push_str(DECLARATION);
        Xml { out, open: false }
    }

    fn close_start(&mut self) {
        if self.open {
            self.out.push('>');
            self.open = false;
        }
    }

    /// Opens `<name`; attributes follow with [`Xml::attr`].
    pub fn start(&mut self, name: &str) -> &mut Self {
        self.close_start();
        self.out.push('<');
        self.out.push_str(name);
        self.open = true;
        self
    }

    pub fn attr(&mut self, name: &str, value: impl Value) -> &mut Self {
        debug_assert!(self.open, "attribute {name} outside a start tag");
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        value.write_to(&mut self.out);
        self.out.push('"');
        self
    }

    /// Ends the open start tag as an empty element (`/>`).
    pub fn end_empty(&mut self) {
        debug_assert!(self.open);
        self.out.push_str("/>");
        self.open = false;
    }

    /// `<name/>`.
    pub fn empty(&mut self, name: &str) {
        self.start(name).end_empty();
    }

    /// `<name w:val="value"/>`, the commonest element of WordprocessingML.
    pub fn val(&mut self, name: &str, value: impl Value) {
        self.start(name).attr("w:val", value).end_empty();
    }

    /// `</name>`.
    pub fn end(&mut self, name: &str) {
        self.close_start();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Escaped character data.
    pub fn text(&mut self, text: &str) {
        self.close_start();
        escape(text, &mut self.out, false);
    }

    pub fn finish(mut self) -> String {
        self.close_start();
        self.out
    }
}

/// Escapes `&`, `<`, `>` (and `"` in attributes), drops what XML 1.0 forbids (control
/// characters other than tab, line feed and carriage return; U+FFFE, U+FFFF).
fn escape(s: &str, out: &mut String, attribute: bool) {
    let mut from = 0;
    for (i, c) in s.char_indices() {
        let rep = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' if attribute => "&quot;",
            '\t' | '\n' | '\r' => continue,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => "",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(rep);
        from = i + c.len_utf8();
    }
    out.push_str(&s[from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_nests() {
        let mut x = Xml::new(0);
        x.start("a").attr("v", "x\"<&>").attr("n", -5);
        x.start("b").attr("k", 7usize).end_empty();
        x.text("t <&> \u{7}u\"");
        x.empty("c");
        x.val("w:sz", 32usize);
        x.end("a");
        assert_eq!(
            x.finish(),
            format!(
                r#"{DECLARATION}<a v="x&quot;&lt;&amp;&gt;" n="-5"><b k="7"/>t &lt;&amp;&gt; u"<c/><w:sz w:val="32"/></a>"#
            )
        );
    }
}
