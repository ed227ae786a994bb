//! A minimal element tree: parses exactly what an XML writer produces (tags, attributes in
//! quotes, escaped text, a declaration; no DTDs or CDATA, docx-rs writes none) and writes it
//! back.

use super::PatchError;
use std::borrow::Cow;

/// Text of the tree: borrowed from the part's XML where it is read (names, attributes and
/// character data of a 250 KB document.xml would otherwise be tens of thousands of
/// allocations), owned where a fix writes it.
pub type Str<'a> = Cow<'a, str>;

#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Element(Element<'a>),
    /// Escaped character data, kept as written.
    Text(Str<'a>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element<'a> {
    pub name: Str<'a>,
    /// Attribute names and values; values stay escaped as written.
    pub attrs: Vec<(Str<'a>, Str<'a>)>,
    pub children: Vec<Node<'a>>,
}

impl<'a> Element<'a> {
    pub fn new(name: &str) -> Element<'a> {
        Element {
            name: Cow::Owned(name.to_string()),
            attrs: vec![],
            children: vec![],
        }
    }

    /// The element with all its text owned, free of the XML it was read from.
    pub fn into_owned(self) -> Element<'static> {
        Element {
            name: Cow::Owned(self.name.into_owned()),
            attrs: self
                .attrs
                .into_iter()
                .map(|(n, v)| (Cow::Owned(n.into_owned()), Cow::Owned(v.into_owned())))
                .collect(),
            children: self
                .children
                .into_iter()
                .map(|c| match c {
                    Node::Element(e) => Node::Element(e.into_owned()),
                    Node::Text(t) => Node::Text(Cow::Owned(t.into_owned())),
                })
                .collect(),
        }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }

    pub fn set_attr(&mut self, name: &str, value: &str) {
        match self.attrs.iter_mut().find(|(n, _)| n == name) {
            Some(a) => a.1 = Cow::Owned(value.to_string()),
            None => self
                .attrs
                .push((Cow::Owned(name.to_string()), Cow::Owned(value.to_string()))),
        }
    }

    pub fn remove_attr(&mut self, name: &str) {
        self.attrs.retain(|(n, _)| n != name);
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element<'a>> {
        self.children.iter().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element<'a>> {
        self.children.iter_mut().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.elements().find(|e| e.name == name)
    }

    /// All descendants named `name`, in document order.
    pub fn descendants(&self, name: &str) -> Vec<&Element<'a>> {
        let mut out = vec![];
        for c in self.elements() {
            if c.name == name {
                out.push(c);
            }
            out.extend(c.descendants(name));
        }
        out
    }

    /// The character data of all descendants, unescaped (for `w:p`: its text).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.children {
            match c {
                Node::Element(e) if e.name != "w:instrText" => out.push_str(&e.text()),
                Node::Element(_) => {}
                Node::Text(t) => out.push_str(&unescape(t)),
            }
        }
        out
    }

    /// Pre-order walk, mutable.
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(&mut Element<'a>)) {
        f(self);
        for c in self.elements_mut() {
            c.walk_mut(f);
        }
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (n, v) in &self.attrs {
            out.push(' ');
            out.push_str(n);
            out.push_str("=\"");
            out.push_str(v);
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for c in &self.children {
            match c {
                Node::Element(e) => e.write(out),
                Node::Text(t) => out.push_str(t),
            }
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

/// A parsed XML part: its root element (the declaration is rewritten on output).
#[derive(Debug, Clone, PartialEq)]
pub struct Doc<'a> {
    pub root: Element<'a>,
}

pub(super) const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

impl<'a> Doc<'a> {
    pub fn parse(xml: &'a str) -> Result<Doc<'a>, PatchError> {
        let err = |m: &str, at: usize| PatchError(format!("XML 无法解析（{m}，位置 {at}）"));
        let b = xml.as_bytes();
        let mut stack: Vec<Element<'a>> = vec![];
        let mut root: Option<Element<'a>> = None;
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'<' {
                let end = xml[i..].find('<').map_or(b.len(), |k| i + k);
                let text = &xml[i..end];
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::Text(Cow::Borrowed(text))),
                    None if text.trim().is_empty() => {}
                    None => return Err(err("根元素外有文本", i)),
                }
                i = end;
                continue;
            }
            if xml[i..].starts_with("<?") {
                i = xml[i..]
                    .find("?>")
                    .map(|k| i + k + 2)
                    .ok_or_else(|| err("声明未结束", i))?;
                continue;
            }
            if xml[i..].starts_with("<!") {
                return Err(err("不支持注释或 DTD", i));
            }
            // Find the tag's end, skipping quoted attribute values.
            let mut j = i + 1;
            let mut quote: Option<u8> = None;
            while j < b.len() {
                match (quote, b[j]) {
                    (None, b'"' | b'\'') => quote = Some(b[j]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            if j >= b.len() {
                return Err(err("标签未结束", i));
            }
            let tag = &xml[i + 1..j];
            i = j + 1;
            if let Some(name) = tag.strip_prefix('/') {
                let e = stack.pop().ok_or_else(|| err("多余的结束标签", i))?;
                if e.name != name.trim() {
                    return Err(err("结束标签不匹配", i));
                }
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::Element(e)),
                    None => root = Some(e),
                }
                continue;
            }
            let (tag, empty) = match tag.strip_suffix('/') {
                Some(t) => (t, true),
                None => (tag, false),
            };
            let e = parse_start_tag(tag).ok_or_else(|| err("标签格式错误", i))?;
            if empty {
                match stack.last_mut() {
                    Some(top) => top.children.push(Node::Element(e)),
                    None => root = Some(e),
                }
            } else {
                stack.push(e);
            }
        }
        if !stack.is_empty() {
            return Err(err("元素未结束", b.len()));
        }
        root.map(|root| Doc { root })
            .ok_or_else(|| err("没有根元素", 0))
    }

    /// The part with all its text owned, free of the XML it was read from.
    pub fn into_owned(self) -> Doc<'static> {
        Doc {
            root: self.root.into_owned(),
        }
    }

    pub fn to_xml(&self) -> String {
        self.to_xml_sized(0)
    }

    /// [`Doc::to_xml`] into a string made `capacity` bytes large at once (the size of the XML
    /// it was read from, say): a 250 KB document.xml otherwise grows by doubling, copied a
    /// dozen times over.
    pub fn to_xml_sized(&self, capacity: usize) -> String {
        let mut out = String::with_capacity(capacity.max(DECLARATION.len()));
        out.push_str(DECLARATION);
        self.root.write(&mut out);
        out
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn parse_start_tag(tag: &str) -> Option<Element<'_>> {
    let tag = tag.trim();
    let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
    let mut e = Element {
        name: Cow::Borrowed(&tag[..name_end]),
        attrs: vec![],
        children: vec![],
    };
    if e.name.is_empty() {
        return None;
    }
    let mut rest = tag[name_end..].trim_start();
    while !rest.is_empty() {
        let eq = rest.find('=')?;
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let q = after.chars().next()?;
        if q != '"' && q != '\'' {
            return None;
        }
        let close = after[1..].find(q)? + 1;
        let value = &after[1..close];
        // Values are re-quoted with `"`; a literal `"` inside `'…'` must be escaped then.
        let value = if value.contains('"') {
            Cow::Owned(value.replace('"', "&quot;"))
        } else {
            Cow::Borrowed(value)
        };
        e.attrs.push((Cow::Borrowed(name), value));
        rest = after[close + 1..].trim_start();
    }
    Some(e)
}
