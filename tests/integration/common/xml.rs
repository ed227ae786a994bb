//! An XML element tree read with quick-xml, for the tests that look inside the packages xxgk
//! writes. It is the tests' own reader, independent of the element tree the Word writer builds
//! (`render::docx::xml`): the Word output is judged by a parser that did not make
//! it. Text and attribute values are unescaped.

use quick_xml::events::Event;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    /// Character data, unescaped.
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// The qualified name as written (`w:p`).
    pub name: String,
    /// Attribute names as written, values unescaped.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// A parsed XML part: its root element.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub root: Element,
}

/// The five predefined entities and character references (`&#8212;`, `&#x2014;`).
fn entity(name: &str) -> char {
    match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let n = name
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("entity &{name};"));
            let code = match n.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16),
                None => n.parse(),
            };
            code.ok()
                .and_then(char::from_u32)
                .unwrap_or_else(|| panic!("character reference &{name};"))
        }
    }
}

/// An attribute value with its references resolved.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').expect("a reference ends with ;") + i;
        out.push(entity(&rest[i + 1..end]));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn escape(s: &str, quote: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quote => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

impl Doc {
    /// Parses a part; a part that is not well-formed XML fails the test.
    pub fn parse(xml: &str) -> Doc {
        let mut reader = quick_xml::Reader::from_str(xml);
        // Every end tag must match its start tag.
        reader.config_mut().check_end_names = true;
        let mut stack: Vec<Element> = vec![];
        let mut root = None;
        let element = |e: &quick_xml::events::BytesStart| Element {
            name: e.name().as_ref().to_string(),
            attrs: e
                .attributes()
                .map(|a| {
                    let a = a.expect("a well-formed attribute");
                    (a.key.as_ref().to_string(), unescape(&a.value))
                })
                .collect(),
            children: vec![],
        };
        let push = |stack: &mut Vec<Element>, root: &mut Option<Element>, node: Node| {
            match (stack.last_mut(), node) {
                (Some(parent), node) => parent.children.push(node),
                (None, Node::Element(e)) => {
                    assert!(root.is_none(), "one root element");
                    *root = Some(e);
                }
                // Whitespace around the root element.
                (None, Node::Text(t)) => assert!(t.trim().is_empty(), "text outside the root"),
            }
        };
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => stack.push(element(&e)),
                Event::Empty(e) => push(&mut stack, &mut root, Node::Element(element(&e))),
                Event::End(_) => {
                    let done = stack.pop().expect("an end tag closes an element");
                    push(&mut stack, &mut root, Node::Element(done));
                }
                Event::Text(t) => push(
                    &mut stack,
                    &mut root,
                    Node::Text(t.xml10_content().into_owned()),
                ),
                Event::CData(t) => push(&mut stack, &mut root, Node::Text(String::from(&*t))),
                Event::GeneralRef(r) => {
                    let c = entity(&r);
                    // References continue the text before them.
                    match stack.last_mut().and_then(|p| p.children.last_mut()) {
                        Some(Node::Text(t)) => t.push(c),
                        _ => push(&mut stack, &mut root, Node::Text(c.to_string())),
                    }
                }
                Event::Eof => break,
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            }
        }
        assert!(stack.is_empty(), "unclosed elements");
        Doc {
            root: root.expect("a root element"),
        }
    }

    /// The part written back, with an XML declaration.
    pub fn to_xml(&self) -> String {
        let mut out =
            String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
        self.root.write(&mut out);
        out
    }
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// All descendants named `name`, in document order.
    pub fn descendants(&self, name: &str) -> Vec<&Element> {
        let mut out = vec![];
        for c in self.elements() {
            if c.name == name {
                out.push(c);
            }
            out.extend(c.descendants(name));
        }
        out
    }

    /// The character data of all descendants except field instructions (`w:instrText`): for a
    /// `w:p`, the text a reader sees.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.children {
            match c {
                Node::Element(e) if e.name != "w:instrText" => out.push_str(&e.text()),
                Node::Element(_) => {}
                Node::Text(t) => out.push_str(t),
            }
        }
        out
    }

    /// The character data of all descendants, field instructions included.
    pub fn all_text(&self) -> String {
        self.children
            .iter()
            .map(|c| match c {
                Node::Element(e) => e.all_text(),
                Node::Text(t) => t.clone(),
            })
            .collect()
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (n, v) in &self.attrs {
            out.push_str(&format!(" {n}=\"{}\"", escape(v, true)));
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for c in &self.children {
            match c {
                Node::Element(e) => e.write(out),
                Node::Text(t) => out.push_str(&escape(t, false)),
            }
        }
        out.push_str(&format!("</{}>", self.name));
    }
}
