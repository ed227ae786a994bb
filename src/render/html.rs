//! HTML for the government website (政府信息公开专栏): one self-contained HTML5 page.
//!
//! Made for how the page is used: a clerk opens it, selects all and pastes it into the site's
//! editor (UEditor, KindEditor, TinyMCE), which drops `<style>` blocks and classes. So the report
//! itself carries **inline styles only** — borders, merged cells, widths, alignment and faces
//! survive the paste — and the `<style>` block holds nothing the body needs on screen: the
//! Latin face for digits, the print stylesheet (A4 pages close to the PDF) and the page numbers.
//!
//! Accessible (GB/T 37668, WCAG 2.1 AA): headings `h1`–`h3` in order, each table with a
//! `<caption>` (the section heading), `<th>` for every header cell and `id`/`headers` on every
//! cell, so that a screen reader reads “一、本年新收政府信息公开申请数量，申请人情况，自然人” for a cell of
//! table 三; the tables scroll sideways in their own box on a phone.
//!
//! Every table comes from the grids of [`crate::spec::format`] (spans, labels, roles) and every
//! face and size from [`crate::spec::style`]. No clock, no map iteration: the same report gives
//! the same bytes.

use crate::render::document::{Block, Document};
use crate::render::paged::PagedDocument;
use crate::spec::format::{self, Align, CellRole, Slot, TableGrid, TableId};
use crate::spec::style::{self, Face};
use std::fmt::Write;

/// Escapes text for element content and attribute values. Characters that HTML forbids in a
/// document (C0/C1 controls other than tab, line feed and carriage return; noncharacters)
/// become U+FFFD, so that no input can make the page invalid.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn forbidden(c: char) -> bool {
    let u = c as u32;
    u < 0x20
        || (0x7F..=0x9F).contains(&u)
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
}

/// Percent-encodes a relative path for an `href` (`/` kept; letters of any script kept, as
/// URLs in HTML5 allow; space, `#`, `?`, `%` and the like encoded).
pub fn href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || "-._~/".contains(c) || (!c.is_ascii() && !forbidden(c)) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

// --- Faces and sizes --------------------------------------------------------------------------

/// The `@font-face` name that sets digits and Latin letters in Times New Roman (the official
/// Latin face) where the machine has it; defined in the page's `<style>` with `local()` sources
/// only. Pasted without the `<style>`, the name is unknown and the stack goes on to the Chinese
/// face.
const LATIN_FACE: &str = "xxgk-latin";

/// The CSS font stack of a face: the official name first, then the names the same face has on
/// Windows, macOS and Linux. Inline styles name only installed faces: the Latin face of the
/// page's `<style>` ([`LATIN_FACE`]) is put before them there ([`latin_rules`]), so a page
/// pasted without its `<style>` names no face it does not define.
pub fn font_stack(face: Face) -> String {
    cjk_stack(face).to_string()
}

/// The stack with the page's Latin face first (digits and Latin letters in Times New Roman).
fn latin_stack(face: Face) -> String {
    format!("'{LATIN_FACE}',{}", cjk_stack(face))
}

/// `<style>` rules that put the Latin face before each element's own stack: for every element
/// whose inline style sets a face, the same stack with the Latin face first.
fn latin_rules() -> String {
    let mut s = String::new();
    for face in [Face::Fang, Face::Hei, Face::Kai, Face::Song, Face::Title] {
        let _ = writeln!(
            s,
            "[style*=\"font-family:{}\"]{{font-family:{}!important}}",
            cjk_stack(face).replace('"', "\\\""),
            latin_stack(face)
        );
    }
    s
}

fn cjk_stack(face: Face) -> &'static str {
    match face {
        Face::Fang => "'仿宋_GB2312','FangSong_GB2312','仿宋','FangSong','STFangsong',serif",
        Face::Hei => "'黑体','SimHei','STHeiti','Noto Sans CJK SC',sans-serif",
        Face::Kai => "'楷体_GB2312','KaiTi_GB2312','楷体','KaiTi','STKaiti',serif",
        Face::Song | Face::Latin | Face::Fallback => {
            "'宋体','SimSun','Songti SC','Noto Serif CJK SC',serif"
        }
        Face::Title => {
            "'方正小标宋简体','FZXiaoBiaoSong-B05S','宋体','SimSun','Noto Serif CJK SC',serif"
        }
    }
}

/// A length with two decimals at most and no trailing zeros: `16`, `10.5`, `28.99`.
fn num(v: f32) -> String {
    let s = format!("{v:.2}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn pt(v: f32) -> String {
    format!("{}pt", num(v))
}

/// Line pitch of the body: 22 lines in the 225 mm block.
fn pitch() -> String {
    pt(style::LINE_PITCH_PT)
}

/// Every styled element states its colour, face, size and line height itself, so that a
/// site's stylesheet (`p{color:#333;font-size:14px}`) does not restyle the pasted report.
fn body_font() -> String {
    format!(
        "color:#000;font-family:{};font-size:{};line-height:{}",
        font_stack(Face::Fang),
        pt(style::BODY_PT),
        pitch()
    )
}

/// A body paragraph: 仿宋 三号, first line indented two characters, justified.
fn body_p_style() -> String {
    format!(
        "margin:0;text-indent:2em;text-align:justify;overflow-wrap:break-word;{}",
        body_font()
    )
}

// --- The page ---------------------------------------------------------------------------------

/// The `<style>` block: nothing the body needs on screen (it has its inline styles), only what a
/// browser adds: the Latin face, the print stylesheet and page numbers.
fn head_style() -> String {
    let folio_font = format!("{} {}", pt(style::FOLIO_PT), font_stack(Face::Song));
    let inset = num(style::FOLIO_INSET_CHARS);
    format!(
        "@font-face{{font-family:'{LATIN_FACE}';src:local('Times New Roman'),local('TimesNewRomanPSMT'),local('Liberation Serif'),local('LiberationSerif');unicode-range:U+0020-007E}}\n{latin}\
@page{{size:A4;margin:{top}mm {right}mm {bottom}mm {left}mm}}\n\
@page :right{{@bottom-right{{content:'\\2014  ' counter(page) ' \\2014';font:{folio_font};vertical-align:top;padding-top:{below}mm;padding-right:{inset}em}}}}\n\
@page :left{{@bottom-left{{content:'\\2014  ' counter(page) ' \\2014';font:{folio_font};vertical-align:top;padding-top:{below}mm;padding-left:{inset}em}}}}\n\
@media print{{\
body{{margin:0}}\
main{{max-width:none!important;margin:0!important;padding:0!important}}\
div[role=region]{{overflow:visible!important}}\
table{{min-width:0!important}}\
thead{{display:table-header-group}}\
tr{{break-inside:avoid}}\
tbody tr:last-child{{break-before:avoid}}\
p[aria-hidden]{{display:none}}\
main>p,main>div,main h2,main h3{{letter-spacing:{track}pt}}\
h1,h2,h3{{break-after:avoid}}\
a{{color:#000!important;text-decoration:none!important}}\
}}\n",
        top = num(style::MARGIN_TOP_MM),
        right = num(style::MARGIN_RIGHT_MM),
        bottom = num(style::MARGIN_BOTTOM_MM),
        left = num(style::MARGIN_LEFT_MM),
        below = num(style::FOLIO_BELOW_BLOCK_MM),
        latin = latin_rules(),
        // 28 characters a line, as the pages set them (the grid's 15.79 pt pitch).
        track = num(style::CHAR_PITCH_PT - style::BODY_PT),
    )
}

/// A whole page around `body` (the content of `<main>`): head, style, landmarks.
pub fn page(title: &str, date: Option<&str>, max_width: &str, body: &str) -> String {
    page_printed(title, date, max_width, body, "")
}

/// [`page`] with `print`: print rules of this document (inside `@media print`).
fn page_printed(
    title: &str,
    date: Option<&str>,
    max_width: &str,
    body: &str,
    print: &str,
) -> String {
    let mut s = String::with_capacity(body.len() + 2048);
    s.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(s, "<title>{}</title>", escape(title));
    s.push_str("<meta name=\"generator\" content=\"xxgk\">\n");
    if let Some(d) = date {
        let _ = writeln!(s, "<meta name=\"dcterms.date\" content=\"{}\">", escape(d));
    }
    let _ = write!(s, "<style>\n{}", head_style());
    if !print.is_empty() {
        let _ = writeln!(s, "@media print{{{print}}}");
    }
    s.push_str("</style>\n</head>\n");
    s.push_str("<body style=\"margin:0;background:#fff;color:#000\">\n");
    let _ = writeln!(
        s,
        "<main style=\"box-sizing:content-box;max-width:{max_width};margin:0 auto;padding:2em 1em;background:#fff;color:#000\">"
    );
    s.push_str(body);
    s.push_str("</main>\n</body>\n</html>\n");
    s
}

/// The document as an HTML page.
pub fn render(doc: &Document) -> Vec<u8> {
    render_with(doc, None)
}

/// The print rules that make the printed page follow the PDF's pages: each table at the size
/// the pages set it, and the tighter pitch after a table where the pages took it (GB/T 9704
/// §7.3.5.1); without the pages' layout, table 三 at 小五 (their usual size for it).
fn print_rules(paged: Option<&PagedDocument>) -> String {
    let keys = [TableId::T2, TableId::T3, TableId::T4].map(table_key);
    let Some(p) = paged else {
        return format!(
            "div[aria-labelledby=t3-caption] :is(th,td){{font-size:{}pt!important}}",
            num(style::TABLE_PT[1])
        );
    };
    let mut s = String::new();
    for (key, t) in keys.iter().zip(&p.tables) {
        let region = format!("div[aria-labelledby={key}-caption]");
        let _ = write!(
            s,
            "{region} :is(th,td){{font-size:{}pt!important}}",
            num(t.size)
        );
        if t.tight_after {
            let _ = write!(
                s,
                "{region}~*,{region}~* *{{line-height:{}pt!important}}",
                num(style::TIGHT_PITCH_PT)
            );
        }
    }
    s
}

/// The document as an HTML page, printed as `paged` (the PDF's layout) sets its pages, when
/// given.
pub fn render_with(doc: &Document, paged: Option<&PagedDocument>) -> Vec<u8> {
    let mut b = String::with_capacity(64 * 1024);
    let mut blocks = doc.blocks.iter().peekable();
    while let Some(block) = blocks.next() {
        match block {
            Block::Title { lines, date, .. } => title(&mut b, lines, date.as_deref()),
            Block::Paragraph { text, .. } => {
                let _ = writeln!(b, "<p style=\"{}\">{}</p>", body_p_style(), escape(text));
            }
            Block::RunIn { head, text, .. } => run_in(&mut b, head, text.as_deref()),
            Block::Heading { text, .. } => {
                let heading = escape(text);
                // A table's heading is its caption.
                if let Some(Block::Table { grid, cells }) = blocks.peek() {
                    blocks.next();
                    table(&mut b, grid, cells, &heading);
                } else {
                    let _ = writeln!(b, "<h2 style=\"{}\">{heading}</h2>", h2_style());
                }
            }
            Block::Table { grid, cells } => table(&mut b, grid, cells, ""),
            Block::Signature { body, date } => signature(&mut b, body, date.as_deref()),
        }
    }
    let block = format!("{}mm", num(style::BLOCK_W_MM));
    let page = page_printed(
        &doc.info.title,
        Some(&doc.info.date.to_string()),
        &block,
        &b,
        &print_rules(paged),
    );
    // The report's data in the head, where a paste does not take it (see `embed`).
    let data = crate::render::embed::html_block(&doc.info.data);
    page.replacen("</head>\n", &format!("{data}</head>\n"), 1)
        .into_bytes()
}

fn h2_style() -> String {
    format!(
        "margin:0;text-indent:2em;color:#000;font-family:{};font-size:{};font-weight:normal;line-height:{}",
        font_stack(Face::Hei),
        pt(style::BODY_PT),
        pitch()
    )
}

/// A title line that may wrap (a phone) only between its words: `keep-all` on the heading
/// keeps the characters together, `<wbr>` marks where a line may break — after each unit of the
/// body's name ([`style::name_break_points`]), before `政府信息公开`, `工作` and `年度报告` (never
/// `年/度报告`).
fn title_words(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut at = style::name_break_points(line);
    let text: String = chars.iter().collect();
    for word in ["政府信息公开", "工作年度报告", "年度报告"] {
        if let Some(b) = text.find(word) {
            at.push(text[..b].chars().count());
        }
    }
    words_with_breaks(&chars, &at)
}

/// `chars` escaped, with `<wbr>` at each position of `at` (character indices) inside the text.
fn words_with_breaks(chars: &[char], at: &[usize]) -> String {
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && at.contains(&i) {
            out.push_str("<wbr>");
        }
        out.push_str(&escape(&c.to_string()));
    }
    out
}

/// A table label that wraps only between the words of the official labels
/// ([`style::LABEL_WORDS`], as the pages break them): `word-break:keep-all` on the cell and a
/// `<wbr>` between words; an item number stays with its first word (`2.其他`).
fn label_words(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let glue = style::word_glue(&chars);
    let prefix = style::numbering_prefix(&chars);
    let item = prefix > 0 && chars[0].is_ascii_digit();
    let at: Vec<usize> = (1..chars.len())
        .filter(|&i| !glue[i - 1])
        .filter(|&i| !(item && i == prefix))
        .filter(|&i| {
            let (a, b) = (chars[i - 1], chars[i]);
            // Only between two characters of words: punctuation breaks by the browser's rules.
            use crate::render::paged::text::{no_end, no_start};
            let latin = a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric();
            !(no_start(b) || no_end(a) || latin)
        })
        .collect();
    words_with_breaks(&chars, &at)
}

/// The title in 二号 方正小标宋简体, centred, its lines kept; the date under it; one blank line.
fn title(b: &mut String, lines: &[String], date: Option<&str>) {
    let lines: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
    // The title's lines on the PDF's 35 pt pitch (1.6 × 22 pt); one body line under the title
    // block.
    let gap = pitch();
    let h1_after = match date {
        Some(_) => "0".to_string(),
        None => gap.clone(),
    };
    let _ = writeln!(
        b,
        "<h1 style=\"margin:0 0 {h1_after};text-align:center;color:#000;font-family:{};font-size:{};font-weight:bold;line-height:1.6;word-break:keep-all;overflow-wrap:anywhere\">{}</h1>",
        font_stack(Face::Title),
        pt(style::TITLE_PT),
        lines
            .iter()
            .map(|l| title_words(l))
            .collect::<Vec<_>>()
            .join("<br>")
    );
    if let Some(d) = date {
        let _ = writeln!(
            b,
            "<p style=\"margin:0 0 {gap};text-align:center;{}\">{}</p>",
            body_font(),
            escape(d)
        );
    }
}

/// A subsection: its heading run in (楷体 `h3`) at the start of the first paragraph of its
/// text.
fn run_in(b: &mut String, head: &str, text: Option<&str>) {
    let h3 = format!(
        "display:inline;margin:0;color:#000;font-family:{};font-size:{};font-weight:normal;line-height:{}",
        font_stack(Face::Kai),
        pt(style::BODY_PT),
        pitch()
    );
    let first = text.map(escape).unwrap_or_default();
    let _ = writeln!(
        b,
        "<div style=\"{}\"><h3 style=\"{h3}\">{}</h3>{first}</div>",
        body_p_style(),
        escape(head)
    );
}

/// The 落款: the body's name and the date on the right, placed by the house style's one rule
/// (GB/T 9704 §7.3.5.2), in characters.
fn signature(b: &mut String, body: &str, date: Option<&str>) {
    // Widths in characters of the body size: digits and Latin letters are half a character.
    let width = |s: &str| -> f32 {
        s.chars()
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .sum()
    };
    // A long name in lines broken between its units, as the pages break it.
    let names = style::signature_lines(body);
    let widths: Vec<f32> = names.iter().map(|n| width(n)).collect();
    let place = style::signature_block(
        &widths,
        date.map_or(0.0, width),
        1.0,
        style::CHARS_PER_LINE as f32,
    );
    let body_right = if date.is_some() {
        place.body_right
    } else {
        2.0
    };
    let em = |v: f32| format!("{}em", num(v));
    // Printed, the 落款 never stands alone on a page: the text before it comes with it.
    let _ = writeln!(
        b,
        "<div style=\"margin:{} 0 0;break-before:avoid;break-inside:avoid;{}\">",
        pitch(),
        body_font()
    );
    for name in &names {
        let _ = writeln!(
            b,
            "<p style=\"margin:0 {} 0 0;text-align:right;{}\">{}</p>",
            em(body_right),
            body_font(),
            escape(name)
        );
    }
    if let Some(d) = date {
        let _ = writeln!(
            b,
            "<p style=\"margin:0 {} 0 0;text-align:right;{}\">{}</p>",
            em(place.date_right),
            body_font(),
            escape(d)
        );
    }
    b.push_str("</div>\n");
}

// --- Tables -----------------------------------------------------------------------------------

/// A table's smallest width before it scrolls sideways in its box (a phone): enough for its
/// number columns to hold a few digits and its labels a few characters.
fn min_width_em(id: TableId) -> u32 {
    match id {
        TableId::T2 => 24,
        TableId::T3 => 40,
        TableId::T4 => 38,
    }
}

/// `t3-r0c3`: the id of the cell anchored at (row, col).
fn cell_id(grid: &TableGrid, row: usize, col: usize) -> String {
    format!("{}-r{row}c{col}", table_key(grid.id))
}

fn table_key(id: TableId) -> &'static str {
    match id {
        TableId::T2 => "t2",
        TableId::T3 => "t3",
        TableId::T4 => "t4",
    }
}

/// Whether a cell is a block title across the whole table (table 二's `第二十条第（一）项`).
fn is_block_title(grid: &TableGrid, c: &format::GridCell) -> bool {
    c.role == CellRole::Label && c.col == 0 && c.colspan == grid.columns()
}

/// The header cells of cell `i`, in the order a screen reader should read them: block titles,
/// row labels left of it (outer first), column headers above it (outer first).
pub fn headers_of(grid: &TableGrid, slots: &[Vec<Slot>], i: usize) -> Vec<usize> {
    let Some(cell) = grid.cells.get(i) else {
        return vec![];
    };
    let anchor_of = |r: usize, c: usize| -> Option<usize> {
        match slots.get(r)?.get(c)? {
            Slot::Anchor(k) => Some(*k),
            Slot::Covered { cell, .. } => Some(*cell),
            Slot::Empty => None,
        }
    };
    let mut titles = vec![];
    let mut rows = vec![];
    let mut cols = vec![];
    if cell.role == CellRole::Note || is_block_title(grid, cell) {
        return vec![];
    }
    // Row labels to the left, on the cell's first row.
    if cell.role != CellRole::Header {
        for c in 0..cell.col {
            if let Some(k) = anchor_of(cell.row, c) {
                if grid.cells[k].role == CellRole::Label && !rows.contains(&k) {
                    rows.push(k);
                }
            }
        }
    }
    // Column headers above: walk up each column of the cell, past value rows and row labels,
    // collecting headers; a block title ends the walk (it heads the rows below it).
    for c in cell.col..cell.col + cell.colspan {
        let mut seen_header = false;
        for r in (0..cell.row).rev() {
            let Some(k) = anchor_of(r, c) else { break };
            let above = &grid.cells[k];
            if is_block_title(grid, above) {
                if !titles.contains(&k) {
                    titles.push(k);
                }
                break;
            }
            match above.role {
                CellRole::Header => {
                    seen_header = true;
                    if !cols.contains(&k) {
                        cols.push(k);
                    }
                }
                _ if seen_header => break,
                _ => {}
            }
        }
    }
    // Outer headers first: higher rows first, then left to right.
    cols.sort_by_key(|&k| (grid.cells[k].row, grid.cells[k].col));
    titles.extend(rows);
    titles.extend(cols);
    titles
}

/// The three tables of a document as they print, each cell in `marks` (table, index of the
/// grid's cell, message) marked with its message in it: the web server's answer to an upload.
pub fn marked_tables(doc: &Document, marks: &[(TableId, usize, String)]) -> String {
    let mut b = String::with_capacity(64 * 1024);
    let mut blocks = doc.blocks.iter().peekable();
    while let Some(block) = blocks.next() {
        if let Block::Heading { text, .. } = block {
            if let Some(Block::Table { grid, cells }) = blocks.peek() {
                blocks.next();
                let mine: Vec<(usize, &str)> = marks
                    .iter()
                    .filter(|(t, _, _)| *t == grid.id)
                    .map(|(_, i, m)| (*i, m.as_str()))
                    .collect();
                table_marked(&mut b, grid, cells, &escape(text), &mine);
            }
        }
    }
    b
}

/// One of the three tables, in a box that scrolls sideways when the screen is narrow; its
/// caption is the section heading.
fn table(b: &mut String, grid: &TableGrid, texts: &[String], heading: &str) {
    table_marked(b, grid, texts, heading, &[]);
}

/// [`table`] with some cells (by index into the grid) marked and their messages in them.
fn table_marked(
    b: &mut String,
    grid: &TableGrid,
    texts: &[String],
    heading: &str,
    marks: &[(usize, &str)],
) {
    let key = table_key(grid.id);
    let total: f32 = style::column_weights(grid.id)
        .iter()
        .sum::<f32>()
        .max(f32::MIN_POSITIVE);
    let widths: Vec<String> = style::column_weights(grid.id)
        .iter()
        .map(|w| format!("{:.2}%", w / total * 100.0))
        .collect();
    let slots = grid.slots();
    let table_pt = style::TABLE_PT[0];
    let pad_y = format!("{}mm", num(style::cell_pad_y_mm(grid.id)));
    let pad_x = format!("{}mm", num(style::CELL_PAD_X_MM));
    let _ = writeln!(
        b,
        "<div role=\"region\" aria-labelledby=\"{key}-caption\" tabindex=\"0\" style=\"overflow-x:auto;margin:0 0 {}\">",
        pt(style::LINE_PITCH_PT / 4.0)
    );
    // On a screen narrower than the table (a phone) a line says that it scrolls sideways: its
    // size is 0 wherever the table fits (inline, so that it works pasted into a site too).
    let min_px = min_width_em(grid.id) as f32 * table_pt * 4.0 / 3.0;
    let hint = format!(
        "<p aria-hidden=\"true\" style=\"position:sticky;left:0;margin:0;text-indent:0;text-align:left;color:#000;font-family:{};font-size:clamp(0px,calc(({}px - 100vw) * 100),{});line-height:1.5;overflow:hidden\">表格较宽，可左右滑动查看 →</p>",
        font_stack(Face::Song),
        num(min_px),
        pt(table_pt)
    );
    let _ = writeln!(
        b,
        "<table style=\"width:100%;min-width:{}em;border-collapse:collapse;border:1px solid #000;font-family:{};font-size:{};line-height:1.25;color:#000;background:#fff\">",
        min_width_em(grid.id),
        font_stack(Face::Song),
        pt(table_pt)
    );
    let _ = writeln!(
        b,
        "<caption id=\"{key}-caption\" style=\"caption-side:top;text-align:left\"><h2 style=\"{};position:sticky;left:0;max-width:calc(100vw - 3em)\">{heading}</h2>{hint}</caption>",
        h2_style()
    );
    b.push_str("<colgroup>");
    for w in &widths {
        let _ = write!(b, "<col style=\"width:{w}\">");
    }
    b.push_str("</colgroup>\n");
    // One width per column on its first single-column cell, for editors that drop <colgroup>.
    let mut width_on: Vec<Option<usize>> = vec![None; grid.columns()];
    for (i, c) in grid.cells.iter().enumerate() {
        if c.colspan == 1 {
            if let Some(slot) = width_on.get_mut(c.col) {
                if slot.is_none() {
                    *slot = Some(i);
                }
            }
        }
    }
    let mut open: Option<&str> = None;
    // Printed, rows break across pages where the pages break them (the house style's one
    // rule): a table opens with its first whole group, a group stays together.
    let keep = style::rows_kept_with_next(grid);
    for r in 0..grid.rows {
        // Header rows in <thead> (repeated on every printed page); in table 二 each block title
        // opens its own <tbody>, the group its title heads.
        let cells: Vec<usize> = (0..grid.cells.len())
            .filter(|&i| grid.cells[i].row == r)
            .collect();
        let starts_block = cells.len() == 1 && is_block_title(grid, &grid.cells[cells[0]]);
        let want = if r < grid.header_rows {
            "thead"
        } else {
            "tbody"
        };
        if open != Some(want) || (want == "tbody" && starts_block) {
            if let Some(o) = open {
                let _ = writeln!(b, "</{o}>");
            }
            let _ = writeln!(b, "<{want}>");
            open = Some(want);
        }
        if keep.get(r).copied().unwrap_or(false) {
            b.push_str("<tr style=\"break-after:avoid\">");
        } else {
            b.push_str("<tr>");
        }
        for &i in &cells {
            let c = &grid.cells[i];
            let header = c.role != CellRole::Value;
            let tag = if header { "th" } else { "td" };
            let _ = write!(b, "<{tag}");
            if header {
                let _ = write!(b, " id=\"{}\"", cell_id(grid, c.row, c.col));
                let scope = match c.role {
                    CellRole::Header => Some("col"),
                    CellRole::Label if is_block_title(grid, c) => Some("rowgroup"),
                    CellRole::Label => Some("row"),
                    _ => None,
                };
                if let Some(s) = scope {
                    let _ = write!(b, " scope=\"{s}\"");
                }
            }
            if c.rowspan > 1 {
                let _ = write!(b, " rowspan=\"{}\"", c.rowspan);
            }
            if c.colspan > 1 {
                let _ = write!(b, " colspan=\"{}\"", c.colspan);
            }
            let hs = headers_of(grid, &slots, i);
            if !hs.is_empty() {
                let ids: Vec<String> = hs
                    .iter()
                    .map(|&k| cell_id(grid, grid.cells[k].row, grid.cells[k].col))
                    .collect();
                let _ = write!(b, " headers=\"{}\"", ids.join(" "));
            }
            let align = match c.align {
                Align::Left => "left",
                Align::Center => "center",
            };
            // Face, size and colour on every cell: a site's `td{font-size:14px;color:#333}`
            // does not restyle the table.
            let face = if c.role == CellRole::Note {
                Face::Kai
            } else {
                Face::Song
            };
            let mut st = format!(
                "border:1px solid #000;padding:{pad_y} {pad_x};text-align:{align};vertical-align:middle;font-weight:normal;color:#000;font-family:{};font-size:{}",
                font_stack(face),
                pt(table_pt)
            );
            if header {
                st.push_str(";word-break:keep-all");
            }
            if c.role == CellRole::Note {
                b.push_str(" data-note=\"\"");
            }
            if width_on.get(c.col) == Some(&Some(i)) {
                let _ = write!(st, ";width:{}", widths[c.col]);
            }
            let raw = texts.get(i).map_or("", String::as_str);
            let text = if header {
                label_words(raw)
            } else {
                escape(raw)
            };
            let marked: Vec<&str> = marks
                .iter()
                .filter(|(k, _)| *k == i)
                .map(|(_, m)| *m)
                .collect();
            if marked.is_empty() {
                let _ = write!(b, " style=\"{st}\">{text}</{tag}>");
            } else {
                let _ = write!(
                    b,
                    " style=\"{st};background:#fdecea;outline:3px solid #b00020;outline-offset:-3px\" data-marked=\"1\">{text}"
                );
                for m in marked {
                    let _ = write!(
                        b,
                        "<span style=\"display:block;margin-top:0.3em;color:#8b0000;font-size:9pt;text-align:left\">{}</span>",
                        escape(m)
                    );
                }
                let _ = write!(b, "</{tag}>");
            }
        }
        b.push_str("</tr>\n");
    }
    if let Some(o) = open {
        let _ = writeln!(b, "</{o}>");
    }
    b.push_str("</table>\n</div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::format::Content;

    #[test]
    fn escapes_markup_and_forbidden_characters() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(
            escape("a\u{0}b\u{7}c\u{85}d\u{FFFF}e\u{FDD0}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}"
        );
        assert_eq!(escape("数字 12.5（注）"), "数字 12.5（注）");
    }

    #[test]
    fn hrefs_keep_chinese_and_encode_the_rest() {
        assert_eq!(href("各区/廊坊 2021#1.pdf"), "各区/廊坊%202021%231.pdf");
        assert_eq!(href("a%b?.html"), "a%25b%3F.html");
    }

    #[test]
    fn a_cell_of_table_3_is_read_with_its_row_and_column() {
        let g = format::table3_grid();
        let slots = g.slots();
        let i = g
            .cells
            .iter()
            .position(|c| c.content == Content::Value(format::ValueRef::T3 { row: 0, col: 0 }))
            .unwrap();
        let names: Vec<&str> = headers_of(&g, &slots, i)
            .iter()
            .map(|&k| match g.cells[k].content {
                Content::Text(t) => t,
                Content::Value(_) => "",
            })
            .collect();
        assert_eq!(
            names,
            [
                "一、本年新收政府信息公开申请数量",
                format::T3_APPLICANTS,
                "自然人"
            ]
        );
        // A cell of 不予公开 under 法人或其他组织.
        let i = g
            .cells
            .iter()
            .position(|c| c.content == Content::Value(format::ValueRef::T3 { row: 4, col: 1 }))
            .unwrap();
        let names: Vec<&str> = headers_of(&g, &slots, i)
            .iter()
            .map(|&k| match g.cells[k].content {
                Content::Text(t) => t,
                Content::Value(_) => "",
            })
            .collect();
        assert_eq!(
            names,
            [
                format::T3_RESULTS_GROUP,
                "（三）不予公开",
                "1.属于国家秘密",
                format::T3_APPLICANTS,
                format::T3_LEGAL_PERSONS,
                "商业企业"
            ]
        );
    }

    #[test]
    fn a_cell_of_table_2_is_read_with_its_block() {
        let g = format::table2_grid();
        let slots = g.slots();
        let i = g
            .cells
            .iter()
            .position(|c| c.content == Content::Value(format::ValueRef::T2Decision { row: 2 }))
            .unwrap();
        let names: Vec<&str> = headers_of(&g, &slots, i)
            .iter()
            .map(|&k| match g.cells[k].content {
                Content::Text(t) => t,
                Content::Value(_) => "",
            })
            .collect();
        assert_eq!(
            names,
            ["第二十条第（六）项", "行政强制", "本年处理决定数量"]
        );
    }
}
