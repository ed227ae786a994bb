//! Web pages: a saved page (html5ever through scraper), or the text pasted from one.
//!
//! A page xxgk wrote carries the report in `<script type="application/json" id="xxgk-data">`.
//! Any other page is walked in document order: every `<table>` becomes a grid (rowspan and
//! colspan kept, so the table reader expands them), block elements and `<br>` end paragraphs;
//! scripts, styles and forms are not the report. Tables inside tables are read as text.

use super::{Block, Cell, Flow, Source, MAX_TEXT_CHARS};
use crate::spec::embed::HTML_ID;
use ego_tree::iter::Edge;
use scraper::{Html, Node, Selector};

/// Decodes a page: UTF-8 (a BOM allowed), UTF-16 by its BOM, else GB18030 (GBK pages saved
/// from government sites) when the page says so or is not UTF-8.
fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

pub(crate) fn read(bytes: &[u8]) -> Result<Source, String> {
    let text = decode(bytes);
    // A file named .html that is only text (a copy of the page): read as text.
    if !text.contains('<') {
        return Ok(Source::Flow(text_flow(&text)));
    }
    // The HTML5 tree builder looks through its stack of open elements at each tag: a page
    // nested a hundred thousand levels deep would take hours. A report's page nests some tens.
    if nesting(&text) > MAX_NESTING {
        return Err(format!(
            "无法读取该网页：元素嵌套超过 {MAX_NESTING} 层，不像一份年度报告"
        ));
    }
    let doc = Html::parse_document(&text);
    if let Ok(sel) = Selector::parse(&format!("script#{HTML_ID}")) {
        if let Some(s) = doc.select(&sel).next() {
            let json: String = s.text().collect();
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&json) {
                if let Some(y) = v.get("yaml").and_then(|y| y.as_str()) {
                    return Ok(Source::Embedded(y.as_bytes().to_vec()));
                }
            }
        }
    }
    let mut flow = walk(&doc);
    if let Ok(sel) =
        Selector::parse("meta[name=generator], meta[name=Generator], meta[name=GENERATOR]")
    {
        flow.producer = doc
            .select(&sel)
            .find_map(|m| m.value().attr("content"))
            .and_then(super::producer_name);
    }
    flow.address = address(&text, &doc);
    Ok(Source::Flow(flow))
}

/// Where a saved page came from, as it says: the browser's `<!-- saved from url=(0042)… -->`,
/// else its canonical link, `og:url` or `<base href>`. Only web addresses count.
fn address(text: &str, doc: &Html) -> Option<String> {
    let saved = text
        .find("saved from url=(")
        .and_then(|i| {
            let rest = &text[i + "saved from url=(".len()..];
            let rest = &rest[rest.find(')')? + 1..];
            Some(rest[..rest.find("-->").unwrap_or(rest.len())].trim())
        })
        .map(str::to_string);
    let attr = |sel: &str, name: &str| -> Option<String> {
        let s = Selector::parse(sel).ok()?;
        doc.select(&s)
            .find_map(|e| e.value().attr(name))
            .map(|v| v.trim().to_string())
    };
    saved
        .or_else(|| attr("link[rel=canonical]", "href"))
        .or_else(|| attr("meta[property=\"og:url\"]", "content"))
        .or_else(|| attr("base[href]", "href"))
        .filter(|a| a.starts_with("http://") || a.starts_with("https://"))
        .map(|a| {
            a.chars()
                .filter(|c| !c.is_control() && !c.is_whitespace())
                .take(200)
                .collect()
        })
}

/// The deepest nesting of elements a page may have.
const MAX_NESTING: usize = 2_000;

/// How deep a page's elements nest, counted from its tags (void elements and `<p>`, `<li>`,
/// `<td>`, `<tr>`, which pages often leave open, not counted).
fn nesting(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(k) = b[i..].iter().position(|&c| c == b'<') {
        i += k + 1;
        let close = b.get(i) == Some(&b'/');
        let start = if close { i + 1 } else { i };
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |e| start + e);
        let name = text[start..end].to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let open_ok = matches!(
            name.as_str(),
            "area"
                | "base"
                | "br"
                | "col"
                | "embed"
                | "hr"
                | "img"
                | "input"
                | "link"
                | "meta"
                | "source"
                | "track"
                | "wbr"
                | "p"
                | "li"
                | "td"
                | "th"
                | "tr"
                | "option"
        );
        if open_ok {
            continue;
        }
        if close {
            depth = depth.saturating_sub(1);
        } else if !text[end..].trim_start().starts_with("/>") {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

pub(crate) fn read_text(bytes: &[u8]) -> Result<Source, String> {
    Ok(Source::Flow(text_flow(&decode(bytes))))
}

/// Pasted text: one paragraph per line, blank lines kept (a flattened table's blank cells).
fn text_flow(text: &str) -> Flow {
    let mut budget = MAX_TEXT_CHARS;
    let blocks = text
        .replace("\r\n", "\n")
        .split('\n')
        .take_while(|l| {
            budget = budget.saturating_sub(l.chars().count() + 1);
            budget > 0
        })
        .map(|l| Block::Para(l.to_string()))
        .collect();
    Flow {
        blocks,
        ..Flow::default()
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "blockquote"
            | "caption"
            | "dt"
            | "dd"
            | "center"
            | "pre"
            | "body"
            | "title"
    )
}

fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "noscript" | "template" | "head" | "select" | "button" | "iframe"
    )
}

fn collapse(s: &str) -> String {
    // Spaces between Chinese characters are the page's line breaks, not the text's.
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                let prev = out.chars().last().unwrap_or(' ');
                if prev.is_ascii() && c.is_ascii() {
                    out.push(' ');
                }
            }
            space = false;
            out.push(if c == '\u{a0}' { ' ' } else { c });
        }
    }
    out.trim().to_string()
}

/// The page's paragraphs and tables in document order (iteratively: a page nested a hundred
/// thousand levels deep does not exhaust the stack).
fn walk(doc: &Html) -> Flow {
    let mut blocks: Vec<Block> = vec![];
    let mut para = String::new();
    let mut skip = 0usize;
    // The table being read: its rows, the current row, the current cell's text and spans.
    let mut tables: Vec<(Vec<Vec<Cell>>, Option<Cell>)> = vec![];
    let mut chars = 0usize;
    // How many tables the walk is inside: only the outermost is a grid.
    let mut depth = 0usize;
    let flush = |para: &mut String, blocks: &mut Vec<Block>| {
        let t = collapse(para);
        if !t.is_empty() {
            blocks.push(Block::Para(t));
        }
        para.clear();
    };
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if skip > 0 || is_skipped(name) {
                        skip += 1;
                        continue;
                    }
                    // Only the outermost table is a grid; a table inside a cell is its text.
                    let in_cell = tables.last().is_some_and(|t| t.1.is_some());
                    match name {
                        "table" => {
                            depth += 1;
                            if depth == 1 {
                                flush(&mut para, &mut blocks);
                                tables.push((vec![], None));
                            }
                        }
                        "tr" if depth == 1 && !in_cell => {
                            if let Some(t) = tables.last_mut() {
                                t.0.push(vec![]);
                            }
                        }
                        "td" | "th" if depth == 1 && !in_cell => {
                            let span = |a: &str| {
                                e.attr(a)
                                    .and_then(|v| v.trim().parse::<u32>().ok())
                                    .unwrap_or(1)
                                    .max(1)
                            };
                            if let Some(t) = tables.last_mut() {
                                if t.0.is_empty() {
                                    t.0.push(vec![]);
                                }
                                t.1 = Some(Cell {
                                    text: String::new(),
                                    rowspan: span("rowspan"),
                                    colspan: span("colspan"),
                                    doubt: None,
                                });
                            }
                        }
                        "br" => {
                            if let Some(c) = tables.last_mut().and_then(|t| t.1.as_mut()) {
                                c.text.push('\n');
                            } else {
                                flush(&mut para, &mut blocks);
                            }
                        }
                        n if is_block(n) => {
                            if let Some(c) = tables.last_mut().and_then(|t| t.1.as_mut()) {
                                c.text.push('\n');
                            } else if tables.is_empty() {
                                flush(&mut para, &mut blocks);
                            }
                        }
                        _ => {}
                    }
                }
                Node::Text(t) => {
                    if skip > 0 {
                        continue;
                    }
                    chars += t.len();
                    if chars > MAX_TEXT_CHARS * 4 {
                        continue;
                    }
                    match tables.last_mut() {
                        Some((_, Some(c))) => c.text.push_str(t),
                        Some((_, None)) => {}
                        None => para.push_str(t),
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Node::Element(e) = node.value() else {
                    continue;
                };
                let name = e.name();
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match name {
                    "td" | "th" if depth == 1 => {
                        if let Some(t) = tables.last_mut() {
                            if let Some(mut c) = t.1.take() {
                                c.text = c
                                    .text
                                    .split('\n')
                                    .map(collapse)
                                    .filter(|l| !l.is_empty())
                                    .collect::<Vec<_>>()
                                    .join("\n");
                                if let Some(row) = t.0.last_mut() {
                                    row.push(c);
                                }
                            }
                        }
                    }
                    "table" => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            if let Some((rows, _)) = tables.pop() {
                                blocks.push(Block::Table(rows));
                            }
                        }
                    }
                    n if is_block(n) && tables.is_empty() => flush(&mut para, &mut blocks),
                    _ => {}
                }
            }
        }
    }
    flush(&mut para, &mut blocks);
    if let Some((rows, _)) = tables.pop() {
        blocks.push(Block::Table(rows));
    }
    Flow {
        blocks,
        ..Flow::default()
    }
}
