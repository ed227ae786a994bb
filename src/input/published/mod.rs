//! Published reports as input: PDF, Word, web pages (or the text pasted from one) and OFD.
//!
//! A document xxgk wrote carries the report's data (`crate::render::embed`): when it is there it
//! *is* the report, read as the YAML it is, whatever was edited around it. Any other document is
//! read by the official format: its paragraphs and tables become a [`Flow`] (the text in order,
//! each table as a grid of cells with its merges), the six sections are cut at their headings,
//! 机关 and 年度 come from the title, and the tables are found by their official labels by the
//! same finder that reads other offices' workbooks (`input::excel`). Every such report carries an
//! IMPORT warning that says where the data came from, and one for each value read with doubt.

mod docx;
mod flat;
mod html;
mod ofd;
mod pdf;
mod positioned;
mod sections;

use super::excel::{self, GridSheet};
use super::{yaml, Parsed};
use crate::diag::{CellRef, Diagnostic, Location, Rule};
use crate::spec::format::TableId;
use crate::spec::place::Place;
use std::collections::BTreeMap;

/// The kinds of published document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    Pdf,
    Docx,
    /// A saved web page.
    Html,
    /// The text of a web page, pasted into a text file.
    Text,
    Ofd,
}

impl Published {
    /// How the document is named in messages.
    pub fn chinese(&self) -> &'static str {
        match self {
            Published::Pdf => "PDF",
            Published::Docx => "Word 文档",
            Published::Html => "网页",
            Published::Text => "网页文字",
            Published::Ofd => "OFD",
        }
    }
}

/// One cell of a foreign table, with its spans.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    pub text: String,
    pub rowspan: u32,
    pub colspan: u32,
    /// What is doubtful about the cell (a figure placed by nearness on a page without rules):
    /// said as an IMPORT warning at the cell's place.
    pub doubt: Option<String>,
}

/// What a document holds, in reading order.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    Para(String),
    /// Rows of cells; a cell covered by a span above or to the left is not listed (HTML's model).
    Table(Vec<Vec<Cell>>),
}

/// A document as text and tables.
#[derive(Debug, Clone, Default)]
pub(crate) struct Flow {
    pub blocks: Vec<Block>,
    /// Values read with doubt (IMPORT warnings), found while the flow was made.
    pub doubts: Vec<Diagnostic>,
    /// The program that made the document, as the document says (PDF `/Producer`, Word's
    /// `Application`, a page's `generator`, OFD's `Creator`).
    pub producer: Option<String>,
    /// Where a saved web page says it was saved from (its address).
    pub address: Option<String>,
}

/// A producer's name as the document gives it, made safe for one line of a message or comment:
/// control characters dropped, at most 80 characters.
pub(crate) fn producer_name(raw: &str) -> Option<String> {
    let name: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let name: String = name.chars().take(80).collect();
    (!name.is_empty()).then_some(name)
}

/// The most cells all tables of a document may have, and the most rows or columns one may span:
/// a report's three tables have about 300 cells.
const MAX_CELLS: usize = 100_000;
const MAX_SPAN: u32 = 1_000;
const MAX_COLSPAN: u32 = 64;
/// The most text a document's flow may hold (characters): far above the report budget.
pub(crate) const MAX_TEXT_CHARS: usize = 4_000_000;

/// Reads a published document.
pub fn read_bytes(kind: Published, bytes: &[u8]) -> Parsed {
    // Foreign documents are parsed by hand-written code: a panic in it must not end a batch.
    match std::panic::catch_unwind(|| read(kind, bytes)) {
        Ok(p) => p,
        Err(_) => syntax(format!("无法读取该{}：文件已损坏", kind.chinese())),
    }
}

fn read(kind: Published, bytes: &[u8]) -> Parsed {
    let flow = match kind {
        Published::Pdf => pdf::read(bytes),
        Published::Docx => docx::read(bytes),
        Published::Html => html::read(bytes),
        Published::Text => html::read_text(bytes),
        Published::Ofd => ofd::read(bytes),
    };
    match flow {
        Ok(Source::Embedded(yaml)) => embedded(&yaml),
        Ok(Source::Flow(flow)) => from_flow(kind, flow),
        Err(msg) => syntax(msg),
    }
}

/// What a reader found in a document.
pub(crate) enum Source {
    /// The report's data xxgk embedded (YAML).
    Embedded(Vec<u8>),
    /// The document's text and tables.
    Flow(Flow),
}

pub(crate) fn syntax(message: String) -> Parsed {
    Parsed {
        diagnostics: vec![Diagnostic::error(Rule::Syntax, message)],
        complete: false,
        ..Parsed::default()
    }
}

/// The embedded data, read as the YAML file it is. Its places stay (a cell path is a cell path);
/// its lines and columns are those of the embedded file, not of the document, so they are left out.
fn embedded(yaml: &[u8]) -> Parsed {
    let mut p = yaml::read_bytes(yaml);
    p.source_text = None;
    p.locations.clear();
    for d in &mut p.diagnostics {
        d.location = Location::Unknown;
    }
    p
}

/// The sheet of the document's text, laid out as our workbook's 基本信息.
const INFO: &str = "基本信息";
/// The sheet all the document's tables are stacked on (one blank row between two).
const TABLES: &str = "表格";

/// Reads a report from a document's flow: sections and title → an info sheet, tables → one
/// stacked sheet, both read by the workbook reader; places are then given back in the
/// document's terms (`表格2!D7`: the second table, row 7, column D).
fn from_flow(kind: Published, flow: Flow) -> Parsed {
    let Flow {
        blocks,
        doubts,
        producer,
        address,
    } = flow;
    let text = sections::cut(&blocks);
    let old_t2 = old_table2(&text.table_text, &blocks);
    let tables: Vec<Vec<Vec<Cell>>> = blocks
        .into_iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Para(_) => None,
        })
        .collect();
    let mut tables = continued(tables);
    let mut doubts = doubts;
    // Tables flattened into text (a pasted page): rebuilt in the official layout.
    let mut rebuilt = vec![];
    if !has_tables(&tables) {
        let (grids, d) = flat::tables(&text.table_text);
        doubts.extend(d);
        rebuilt = grids;
    }
    let unrelated = || {
        syntax(format!(
            "这份{}不像政府信息公开工作年度报告：没有找到“一、总体情况”等六个部分的标题，也没有找到表二、表三、表四的标签",
            kind.chinese()
        ))
    };
    let headings = text.headings;
    if headings == 0 && !has_tables(&tables) && rebuilt.is_empty() {
        return unrelated();
    }
    let mut sheets = vec![text.sheet];
    let mut spans = vec![];
    if !rebuilt.is_empty() {
        sheets.extend(rebuilt);
    } else {
        let (sheet, s) = stack(&mut tables, &mut doubts);
        sheets.push(sheet);
        spans = s;
    }
    let mut parsed = excel::read_grids(sheets);
    // Tables, but none of the official ones, and none of the six headings: another kind of
    // document (a manual with tables), not a report with every table missing.
    let missing = |t: TableId| {
        parsed
            .diagnostics
            .iter()
            .any(|d| d.rule == Rule::Schema && d.place == Some(Place::Table(t)))
    };
    if headings == 0
        && [TableId::T2, TableId::T3, TableId::T4]
            .into_iter()
            .all(missing)
    {
        return unrelated();
    }
    let none_found = [TableId::T2, TableId::T3, TableId::T4]
        .into_iter()
        .all(missing);
    // A report whose text is there but none of its tables: sites often post the tables as
    // pictures, which no text reader can read.
    if none_found {
        for d in parsed
            .diagnostics
            .iter_mut()
            .filter(|d| d.rule == Rule::Schema && matches!(d.place, Some(Place::Table(_))))
        {
            d.hints.push(format!(
                "这份{}有报告的文字，三张表却一张也没有读到：原文中的表格如果是图片（截图），其中的数读不出来，请按原件录入",
                kind.chinese()
            ));
        }
    }
    let relocate = |l: &mut Location| {
        if let Location::Sheet { sheet, cell } = l {
            if sheet == INFO {
                *l = Location::Unknown;
            } else if sheet == TABLES {
                if let Some((n, first)) = spans
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(_, &first)| first <= cell.row)
                    .map(|(i, &f)| (i + 1, f))
                {
                    *l = Location::Sheet {
                        sheet: format!("{TABLES}{n}"),
                        cell: CellRef::new(cell.row - first, cell.col),
                    };
                }
            }
        }
    };
    for d in &mut parsed.diagnostics {
        relocate(&mut d.location);
    }
    for l in parsed.locations.values_mut() {
        relocate(l);
    }
    for mut d in doubts {
        relocate(&mut d.location);
        parsed.diagnostics.push(d);
    }
    if let Some(seen) = old_t2 {
        // Its figures mean other things than the current columns': one message instead of
        // every row and column the current format misses.
        parsed
            .diagnostics
            .retain(|d| !d.place.as_ref().is_some_and(in_table2));
        parsed.diagnostics.push(
            Diagnostic::error(
                Rule::Schema,
                format!(
                    "表二是 2019 年的旧格式（有“{}”等列）：现行格式（国办公开办函〔2021〕30号）的表二是本年制发件数、本年废止件数、现行有效件数和本年处理决定数量、本年收费金额，旧表的数不能对应到这些列，表二没有读取",
                    seen.iter().take(3).copied().collect::<Vec<_>>().join("”“")
                ),
            )
            .with_place(Place::Table(TableId::T2))
            .at(parsed
                .locations
                .get(&Place::Table(TableId::T2))
                .cloned()
                .unwrap_or(Location::Unknown))
            .with_hint("请按现行格式填写表二（xxgk template 生成的模板），其余部分已照常读取和核对"),
        );
    }
    let mut origin = origin(kind, producer.as_deref());
    if let Some(a) = &address {
        origin.push_str(&format!("，网页记载的地址为 {a}"));
        if let Some(host) = host_of(a).filter(|h| !is_government_host(h)) {
            parsed.diagnostics.push(
                Diagnostic::warning(
                    Rule::Import,
                    format!(
                        "网页记载的地址 {a} 不在政府网站的域名（.gov.cn）下（网站：{host}）：可能是别的网站转载的副本，数字和文字以政府网站发布的原文为准"
                    ),
                )
                .with_hint("请到发布机关的政府网站（.gov.cn）上找到原文核对"),
            );
        }
    }
    parsed.diagnostics.push(Diagnostic::warning(
        Rule::Import,
        format!(
            "{origin}（不是 xxgk 生成的文件，或其中没有 xxgk 嵌入的数据）：表格按官方格式的标签查找，机关、年度取自标题，各部分按标题切分；请与原件核对"
        ),
    ));
    parsed.origin = Some(format!(
        "{origin}，按官方格式的标签读出（文件中没有 xxgk 嵌入的数据），请与原件核对"
    ));
    parsed
}

/// The column and row labels only the 2019 format's 表二 has.
const OLD_TABLE2: [&str; 8] = [
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "其他对外管理服务事项",
    "采购项目数量",
    "政府集中采购",
];

/// The 2019 format's 表二 labels the document shows, when it shows two or more of them.
fn old_table2(table_text: &str, blocks: &[Block]) -> Option<Vec<&'static str>> {
    let mut hay: String = table_text.chars().filter(|c| !c.is_whitespace()).collect();
    for b in blocks {
        if let Block::Table(t) = b {
            for c in t.iter().flatten() {
                hay.extend(c.text.chars().filter(|c| !c.is_whitespace()));
            }
        }
        if hay.len() > MAX_TEXT_CHARS {
            break;
        }
    }
    let hay = hay.replace('／', "/");
    let seen: Vec<&str> = OLD_TABLE2.into_iter().filter(|l| hay.contains(l)).collect();
    (seen.len() >= 2).then_some(seen)
}

/// Whether a place is in 表二.
fn in_table2(p: &Place) -> bool {
    use crate::spec::format::ValueRef;
    matches!(
        p,
        Place::TableSection(TableId::T2)
            | Place::Table(TableId::T2)
            | Place::T2Row(_)
            | Place::Value(
                ValueRef::T2Document { .. } | ValueRef::T2Decision { .. } | ValueRef::T2Fee
            )
    )
}

/// The host of a web address (`https://www.example.gov.cn:8080/a` → `www.example.gov.cn`).
fn host_of(address: &str) -> Option<String> {
    let rest = address.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = if host.starts_with('[') {
        host
    } else {
        host.split(':').next()?
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Whether a host is a government site's: under `gov.cn` (every level of government
/// publishes there).
fn is_government_host(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    host == "gov.cn" || host.ends_with(".gov.cn")
}

/// Where a report read by the labels came from: the kind of document and, when it says, the
/// program that made it.
fn origin(kind: Published, producer: Option<&str>) -> String {
    match producer {
        Some(p) => format!(
            "报告读自{}（文件记载的生成程序：{p}）的文字和表格",
            kind.chinese()
        ),
        None => format!("报告读自{}的文字和表格", kind.chinese()),
    }
}

/// Tables a page break cut, with their header rows repeated on the next page (as Word and
/// LibreOffice print them): the repeated rows dropped, the rest appended to the table before.
fn continued(tables: Vec<Vec<Vec<Cell>>>) -> Vec<Vec<Vec<Cell>>> {
    // A row's texts without its blank cells: a page whose rows were guessed from the text's
    // positions may set the same header over a different number of label columns.
    let texts = |row: &Vec<Cell>| -> Vec<String> {
        row.iter()
            .map(|c| crate::input::suggest::normalize(&c.text))
            .filter(|t| !t.is_empty())
            .collect()
    };
    let mut out: Vec<Vec<Vec<Cell>>> = vec![];
    for t in tables {
        if let Some(prev) = out.last_mut() {
            let same = t
                .iter()
                .zip(prev.iter())
                .take_while(|(a, b)| texts(a) == texts(b) && texts(a).iter().any(|x| !x.is_empty()))
                .count();
            // A header repeated as the page sets it (wrapped at other places): leading rows of
            // nothing but pieces of one official table's header labels, under that table's.
            let (_, repeated) = repeated_header(prev, &t);
            let no_figures = prev.iter().flatten().all(|c| {
                let t = c.text.trim();
                t.is_empty() || !t.chars().all(|x| x.is_ascii_digit() || x == '.')
            });
            if repeated > 0 && no_figures && repeated < t.len() {
                // The page before ended with the header alone: the repeat, with its rows, is
                // the table (a header cut off without figures is read less surely).
                *prev = t;
                continue;
            }
            let same = same.max(repeated);
            if same > 0 && same < t.len() && prev.len() + t.len() <= MAX_JOINED_ROWS {
                // A page may draw the label columns apart where the other did not: the value
                // columns, on the right, are lined up by widening the first column.
                let mut t = t;
                let (wp, wt) = (width(prev), width(&t));
                if wp < wt {
                    widen(prev, wt - wp);
                } else if wt < wp {
                    widen(&mut t, wp - wt);
                }
                prev.extend(t.into_iter().skip(same));
                continue;
            }
        }
        out.push(t);
    }
    out
}

/// A table cut by a page break, joined to its part on the next page. Header rows the next page
/// repeats are dropped. A cell the break cut in two (a row label spanning rows on both pages)
/// is one cell again: the next part's blank cell under it extends it downwards.
pub(crate) fn join_across_page(prev: &mut Vec<Vec<Cell>>, next: Vec<Vec<Cell>>) {
    let texts = |row: &Vec<Cell>| -> Vec<String> {
        row.iter()
            .map(|c| crate::input::suggest::normalize(&c.text))
            .collect()
    };
    let same = next
        .iter()
        .zip(prev.iter())
        .take_while(|(a, b)| texts(a) == texts(b) && texts(a).iter().any(|x| !x.is_empty()))
        .count();
    let mut next: Vec<Vec<Cell>> = next.into_iter().skip(same).collect();
    // A report's table has some tens of rows: parts that add up to more are not one table
    // (and joining them page after page would cost the square of their rows).
    if prev.len() + next.len() > MAX_JOINED_ROWS {
        return;
    }
    // A row the break cut in two leaves a part without text on one page: dropped, so the
    // cells around it meet (the part with the text stays).
    let mut keep = prev.len();
    while keep > 1 && blank_row(prev.get(keep - 1)) {
        keep -= 1;
    }
    if keep < prev.len() {
        prev.truncate(keep);
        let last = keep as u32;
        for (r, row) in prev.iter_mut().enumerate() {
            for cell in row.iter_mut() {
                let end = r as u32 + cell.rowspan.clamp(1, MAX_SPAN);
                if end > last {
                    cell.rowspan = (last - r as u32).max(1);
                }
            }
        }
    }
    let lead = next
        .iter()
        .take(next.len().saturating_sub(1))
        .take_while(|r| blank_row(Some(*r)))
        .count();
    next.drain(..lead);
    if next.is_empty() || prev.is_empty() {
        prev.extend(next);
        return;
    }
    let (wp, wn) = (width(prev), width(&next));
    if wp < wn {
        widen(prev, wn - wp);
    } else if wn < wp {
        widen(&mut next, wp - wn);
    }
    // The cells of the previous part that reach its last row, by their column range.
    let last = prev.len() as u32 - 1;
    let mut reaching: Vec<(u32, u32, usize, usize)> = vec![];
    for (r, (row, cols)) in prev.iter().zip(columns(prev)).enumerate() {
        for (i, (cell, c)) in row.iter().zip(cols).enumerate() {
            if r as u32 + cell.rowspan.clamp(1, MAX_SPAN) > last {
                reaching.push((c, c + cell.colspan.clamp(1, MAX_COLSPAN), r, i));
            }
        }
    }
    let first_cols = columns(&next).into_iter().next().unwrap_or_default();
    let mut drop = vec![];
    for (i, (cell, c)) in next[0].iter().zip(first_cols).enumerate() {
        let end = c + cell.colspan.clamp(1, MAX_COLSPAN);
        if !cell.text.trim().is_empty() {
            // Cells are cut only left of the first one the next page fills.
            break;
        }
        if let Some(&(_, _, r, k)) = reaching
            .iter()
            .find(|&&(a, b, r, k)| a == c && b == end && !prev[r][k].text.trim().is_empty())
        {
            let grow = cell.rowspan.clamp(1, MAX_SPAN);
            let above = &mut prev[r][k];
            above.rowspan = (above.rowspan.clamp(1, MAX_SPAN) + grow).min(MAX_SPAN);
            drop.push(i);
        }
    }
    for i in drop.into_iter().rev() {
        next[0].remove(i);
    }
    prev.extend(next);
}

/// The most rows two parts of a table cut by a page break may have together to be joined.
const MAX_JOINED_ROWS: usize = 1_000;

/// A row of cells without text, none reaching into the rows below.
fn blank_row(row: Option<&Vec<Cell>>) -> bool {
    row.is_some_and(|r| {
        r.iter()
            .all(|c| c.text.trim().is_empty() && c.rowspan.clamp(1, MAX_SPAN) == 1)
    })
}

/// A table drawn on columns `from` (its rules' positions) set on the finer columns `to`, which
/// hold every one of `from`: each cell spans the columns between its own rules.
pub(crate) fn regrid(t: &mut [Vec<Cell>], from: &[f32], to: &[f32]) {
    let nearest = |x: f32| {
        (0..to.len())
            .min_by(|&a, &b| (to[a] - x).abs().total_cmp(&(to[b] - x).abs()))
            .unwrap_or(0)
    };
    let cols = columns(t);
    for (row, cols) in t.iter_mut().zip(cols) {
        for (cell, c) in row.iter_mut().zip(cols) {
            let (c, cs) = (c as usize, cell.colspan.clamp(1, MAX_COLSPAN) as usize);
            let (Some(&x0), Some(&x1)) = (from.get(c), from.get(c + cs)) else {
                continue;
            };
            cell.colspan = (nearest(x1).saturating_sub(nearest(x0))).max(1) as u32;
        }
    }
}

/// How many of `t`'s first rows repeat `prev`'s header in other words (wrapped at other
/// places): rows of nothing but pieces of one official table's header labels, under a table
/// whose first rows are that table's header too. Also how many rows `prev`'s header has.
fn repeated_header(prev: &[Vec<Cell>], t: &[Vec<Cell>]) -> (usize, usize) {
    // The leading rows made of header pieces, and the tables they can all belong to.
    let header = |rows: &[Vec<Cell>]| -> (usize, u8) {
        let (mut k, mut mask) = (0, 0b111u8);
        for row in rows.iter().take(12) {
            let texts: Vec<&Cell> = row.iter().filter(|c| !c.text.trim().is_empty()).collect();
            let m = texts
                .iter()
                .fold(0b111u8, |m, c| m & positioned::header_tables(&c.text));
            if texts.is_empty() || m & mask == 0 {
                break;
            }
            mask &= m;
            k += 1;
        }
        (k, mask)
    };
    let (kp, mp) = header(prev);
    let (kt, mt) = header(t);
    if kp > 0 && kt > 0 && mp & mt != 0 {
        (kp, kt)
    } else {
        (kp, 0)
    }
}

/// The first column of each cell (spans from rows above taken into account).
fn columns(t: &[Vec<Cell>]) -> Vec<Vec<u32>> {
    let mut taken: std::collections::HashSet<(u32, u32)> = Default::default();
    let n = t.len() as u32;
    let mut out = vec![];
    for (r, row) in t.iter().enumerate() {
        let r = r as u32;
        let mut c = 0u32;
        let mut cols = vec![];
        for cell in row {
            while taken.contains(&(r, c)) {
                c += 1;
            }
            cols.push(c);
            let rs = cell.rowspan.clamp(1, MAX_SPAN).min(n - r);
            let cs = cell.colspan.clamp(1, MAX_COLSPAN);
            for dr in 0..rs {
                for dc in 0..cs {
                    taken.insert((r + dr, c + dc));
                }
            }
            c += cs;
        }
        out.push(cols);
    }
    out
}

fn width(t: &[Vec<Cell>]) -> u32 {
    columns(t)
        .iter()
        .zip(t)
        .flat_map(|(cols, row)| {
            cols.iter()
                .zip(row)
                .map(|(c, cell)| c + cell.colspan.clamp(1, MAX_COLSPAN))
        })
        .max()
        .unwrap_or(0)
}

fn widen(t: &mut [Vec<Cell>], by: u32) {
    let cols = columns(t);
    for (row, cols) in t.iter_mut().zip(cols) {
        for (cell, c) in row.iter_mut().zip(cols) {
            if c == 0 {
                cell.colspan = cell.colspan.clamp(1, MAX_COLSPAN) + by;
            }
        }
    }
}

/// “/” (不适用) and a dash, however typed, are how published tables leave a cell blank.
pub(crate) fn is_blank_mark(text: &str) -> bool {
    let t = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
    t.is_empty()
        || t == "／"
        || t == "/"
        || (t.chars().count() <= 2 && t.chars().all(|c| "-－—–―─".contains(c)))
}

fn has_tables(tables: &[Vec<Vec<Cell>>]) -> bool {
    tables.iter().any(|t| !t.is_empty())
}

/// Expands the tables' spans into one grid, tables one under another with a blank row between.
/// Returns the sheet and the first row of each table; the cells' doubts go to `doubts`, at
/// their cells.
fn stack(tables: &mut [Vec<Vec<Cell>>], doubts: &mut Vec<Diagnostic>) -> (GridSheet, Vec<u32>) {
    let mut cells: BTreeMap<(u32, u32), String> = BTreeMap::new();
    let mut merges = vec![];
    let mut firsts = vec![];
    let mut top: u32 = 0;
    let mut count = 0usize;
    for t in tables.iter_mut() {
        if t.is_empty() {
            continue;
        }
        firsts.push(top);
        // Positions taken by a span from a row above.
        let mut taken: std::collections::HashSet<(u32, u32)> = Default::default();
        let mut rows = 0u32;
        let n_rows = t.len() as u32;
        for (r, row) in t.iter_mut().enumerate() {
            let r = r as u32;
            let mut c: u32 = 0;
            for cell in row.iter_mut() {
                while taken.contains(&(r, c)) {
                    c += 1;
                }
                count += 1;
                if count > MAX_CELLS {
                    break;
                }
                // A span reaches no farther than the table (a hostile `rowspan="65534"`).
                let rs = cell.rowspan.clamp(1, MAX_SPAN).min(n_rows - r);
                let cs = cell.colspan.clamp(1, MAX_COLSPAN);
                if rs > 1 || cs > 1 {
                    merges.push(((top + r, c), (top + r + rs - 1, c + cs - 1)));
                    for dr in 0..rs {
                        for dc in 0..cs {
                            taken.insert((r + dr, c + dc));
                        }
                    }
                }
                if let Some(d) = cell.doubt.take() {
                    doubts.push(Diagnostic::warning(Rule::Import, d).at(Location::Sheet {
                        sheet: TABLES.into(),
                        cell: CellRef::new(top + r, c),
                    }));
                }
                let text = std::mem::take(&mut cell.text);
                if !is_blank_mark(&text) {
                    cells.insert((top + r, c), text);
                }
                rows = rows.max(r + rs);
                c += cs;
            }
        }
        top += rows + 1;
    }
    (
        GridSheet {
            name: TABLES.into(),
            cells,
            merges,
        },
        firsts,
    )
}
