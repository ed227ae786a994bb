//! Text placed on pages (PDF, OFD) back into paragraphs and tables: runs grouped into lines by
//! their baselines, a line's runs into cells where a gap wider than a character separates them;
//! lines of two or more cells in a row make a table, whose columns are the cells' left edges
//! clustered across its lines; other lines make paragraphs, a new one where a line starts
//! indented or the line before stopped short of the right margin.

use super::{Block, Cell};

/// A run of text: where it starts and ends on the page (points, y up), its size.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub x: f32,
    pub end: f32,
    pub y: f32,
    pub size: f32,
    pub text: String,
}

/// The most runs read from one document (a report has a few thousand).
pub(crate) const MAX_RUNS: usize = 200_000;

struct Line {
    y: f32,
    size: f32,
    /// (left, right, text) of each cell, left to right.
    cells: Vec<(f32, f32, String)>,
    /// The same text in pieces that touch (a cell's words a space apart are two pieces): the
    /// labels of a header set close together are told apart by these.
    pieces: Vec<(f32, f32, String)>,
}

/// The characters a page shows, from what some producers' ToUnicode maps say. Browsers' PDFs
/// give the first code point the font maps to a glyph: radicals (⼈ for 人, ⺠ for 民), the
/// canonical twins of CJK brackets (U+2329 for 〈), and traditional forms a simplified font draws
/// with the same glyph (戶 for 户). The Kangxi radicals fold to ideographs by NFKC; the
/// supplement's simplified radicals that stand for whole characters by this table (each checked
/// against its Unicode name); the rest by NFC and the list of shared glyphs.
pub(crate) fn unradical(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    const SUPPLEMENT: [(char, char); 33] = [
        ('\u{2E9C}', '日'),
        ('\u{2E9D}', '月'),
        ('\u{2E9F}', '母'),
        ('\u{2EA0}', '民'),
        ('\u{2EA9}', '王'),
        ('\u{2EBC}', '月'),
        ('\u{2EC4}', '西'),
        ('\u{2EC5}', '见'),
        ('\u{2EC6}', '角'),
        ('\u{2EC9}', '贝'),
        ('\u{2ECB}', '车'),
        ('\u{2ED3}', '长'),
        ('\u{2ED4}', '门'),
        ('\u{2ED7}', '雨'),
        ('\u{2ED8}', '青'),
        ('\u{2ED9}', '韦'),
        ('\u{2EDA}', '页'),
        ('\u{2EDB}', '风'),
        ('\u{2EDC}', '飞'),
        ('\u{2EDD}', '食'),
        ('\u{2EE2}', '马'),
        ('\u{2EE3}', '骨'),
        ('\u{2EE4}', '鬼'),
        ('\u{2EE5}', '鱼'),
        ('\u{2EE6}', '鸟'),
        ('\u{2EE7}', '卤'),
        ('\u{2EE8}', '麦'),
        ('\u{2EE9}', '黄'),
        ('\u{2EEA}', '黾'),
        ('\u{2EEC}', '齐'),
        ('\u{2EEE}', '齿'),
        ('\u{2EF0}', '龙'),
        ('\u{2EF3}', '龟'),
    ];
    let mut out = String::with_capacity(text.len());
    for c in text.nfc() {
        match c {
            // ⼾ (KANGXI RADICAL DOOR) is 戶 by NFKC, which a simplified text means as 户.
            '\u{2F00}'..='\u{2FDF}' => {
                out.extend(
                    c.to_string()
                        .nfkc()
                        .map(|x| if x == '戶' { '户' } else { x }),
                )
            }
            '\u{2E80}'..='\u{2EFF}' => out.push(
                SUPPLEMENT
                    .iter()
                    .find(|(r, _)| *r == c)
                    .map_or(c, |(_, i)| *i),
            ),
            // 户 and 戶 are one glyph in simplified fonts (GB 18030's 户 is drawn for both).
            '戶' => out.push('户'),
            c => out.push(c),
        }
    }
    out
}

fn lines(mut runs: Vec<Run>) -> Vec<Line> {
    runs.retain(|r| {
        !r.text.trim().is_empty() && r.size > 0.0 && r.x.is_finite() && r.y.is_finite()
    });
    // Top to bottom, then left to right.
    runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut out: Vec<Line> = vec![];
    let mut group: Vec<Run> = vec![];
    let flush = |group: &mut Vec<Run>, out: &mut Vec<Line>| {
        if group.is_empty() {
            return;
        }
        group.sort_by(|a, b| a.x.total_cmp(&b.x));
        let size = group.iter().map(|r| r.size).fold(0.0, f32::max);
        let y = group[0].y;
        let mut cells: Vec<(f32, f32, String)> = vec![];
        let mut pieces: Vec<(f32, f32, String)> = vec![];
        for r in group.iter() {
            match pieces.last_mut() {
                Some(p) if r.x - p.1 < 0.3 * size => {
                    p.2.push_str(&r.text);
                    p.1 = p.1.max(r.end);
                }
                _ => pieces.push((r.x, r.end, r.text.clone())),
            }
        }
        for r in group.drain(..) {
            match cells.last_mut() {
                // Touching or a space apart: the same cell.
                Some(c) if r.x - c.1 < 1.2 * size => {
                    let ascii_both =
                        c.2.chars()
                            .last()
                            .is_some_and(|x| x.is_ascii_alphanumeric())
                            && r.text.starts_with(|x: char| x.is_ascii_alphanumeric());
                    if r.x - c.1 > 0.2 * size && ascii_both {
                        c.2.push(' ');
                    }
                    c.2.push_str(&r.text);
                    c.1 = c.1.max(r.end);
                }
                _ => cells.push((r.x, r.end, r.text)),
            }
        }
        out.push(Line {
            y,
            size,
            cells,
            pieces,
        });
    };
    for r in runs {
        if let Some(first) = group.first() {
            if (first.y - r.y).abs() > 0.35 * first.size.max(r.size) {
                flush(&mut group, &mut out);
            }
        }
        group.push(r);
    }
    flush(&mut group, &mut out);
    out
}

/// Whether a line starts as headings and items are numbered: `一、`, `（一）`, `1.`, `1、`.
fn starts_item(line: &str) -> bool {
    const NUMERALS: &str = "一二三四五六七八九十";
    let t = line.trim_start();
    let numeral_then = |rest: &str, end: char| {
        let n = rest.chars().take_while(|c| NUMERALS.contains(*c)).count();
        n > 0 && rest.chars().nth(n) == Some(end)
    };
    if let Some(rest) = t.strip_prefix(['（', '(']) {
        return numeral_then(rest, '）') || numeral_then(rest, ')');
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 3 {
        return matches!(t.chars().nth(digits), Some('.' | '．' | '、'));
    }
    numeral_then(t, '、')
}

/// A page number as reports print them: `— 1 —`, `-1-`, `第1页`, `第 1 页，共 6 页`, `1`.
pub(crate) fn is_folio(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let core = t.trim_matches(|c: char| matches!(c, '—' | '-' | '－' | '–'));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if digits(core) {
        return true;
    }
    core.strip_prefix('第').is_some_and(|r| {
        let r = r.split(['，', ',']).next().unwrap_or(r);
        r.strip_suffix('页').is_some_and(digits)
    })
}

/// The blocks of one page's runs.
fn blocks(runs: Vec<Run>, guessed: &mut Vec<String>) -> Vec<Block> {
    let lines = lines(runs);
    let left = lines
        .iter()
        .filter_map(|l| l.cells.first().map(|c| c.0))
        .fold(f32::INFINITY, f32::min);
    let right = lines
        .iter()
        .filter_map(|l| l.cells.last().map(|c| c.1))
        .fold(f32::NEG_INFINITY, f32::max);
    let mut out = vec![];
    let mut para = String::new();
    let mut para_open = false;
    let mut table: Vec<&Line> = vec![];
    let mut end_table = |table: &mut Vec<&Line>, out: &mut Vec<Block>| {
        if !table.is_empty() {
            let g = grid(table);
            // What the reader will see first of the table, to find it on the page.
            let first = g
                .iter()
                .flatten()
                .map(|c| c.text.trim())
                .find(|t| !t.is_empty())
                .unwrap_or_default();
            guessed.push(first.chars().take(20).collect());
            out.push(Block::Table(g));
            table.clear();
        }
    };
    for (i, l) in lines.iter().enumerate() {
        // A line of one cell between lines of several (a label wrapped in its cell, a value
        // alone on its row) belongs to the table.
        let close = |m: &Line| (m.y - l.y).abs() < 3.0 * l.size.max(m.size);
        let more_below = lines[i + 1..]
            .iter()
            .take(3)
            .take_while(|m| close(m))
            .any(|m| m.cells.len() >= 2);
        let in_table = l.cells.len() >= 2 || (!table.is_empty() && more_below);
        if in_table {
            if para_open {
                out.push(Block::Para(std::mem::take(&mut para)));
                para_open = false;
            }
            table.push(l);
            continue;
        }
        end_table(&mut table, &mut out);
        let text = &l.cells[0].2;
        if is_folio(text) {
            continue;
        }
        let x = l.cells[0].0;
        // A line set to the right (the 落款's name and date) is a paragraph of its own.
        if x > left + 0.4 * (right - left) && l.cells[0].1 > right - 2.0 * l.size {
            if para_open {
                out.push(Block::Para(std::mem::take(&mut para)));
                para_open = false;
            }
            out.push(Block::Para(text.clone()));
            continue;
        }
        let indented = x > left + 1.2 * l.size;
        // A numbered heading or item after a finished sentence starts anew, even where no
        // line of the page reaches the margin to tell a short line by.
        let item = para.ends_with(['。', '！', '？', '；', '：']) && starts_item(text);
        if para_open && (indented || item) {
            out.push(Block::Para(std::mem::take(&mut para)));
        }
        para.push_str(text);
        para_open = true;
        // A line that stops short of the margin ends its paragraph.
        if l.cells[0].1 < right - 2.0 * l.size {
            out.push(Block::Para(std::mem::take(&mut para)));
            para_open = false;
        }
    }
    end_table(&mut table, &mut out);
    if para_open {
        out.push(Block::Para(para));
    }
    out
}

/// A figure as tables print it: digits (a fee may have a decimal point).
fn is_figure(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// The value columns of a table read without rules, from its header: the x-ranges of the
/// header's innermost labels (a label above several others is a group, not a column), a label
/// broken over lines (商业 / 企业) one column. Figures sit under their column's label, centred or
/// not, so a figure belongs to the column whose range holds its middle.
fn header_spans(lines: &[&Line], size: f32) -> Option<Header> {
    let first_data = lines
        .iter()
        .position(|l| l.cells.iter().skip(1).any(|c| is_figure(&c.2)))?;
    let value_left = lines[first_data..]
        .iter()
        .flat_map(|l| l.cells.iter().skip(1).filter(|c| is_figure(&c.2)))
        .map(|c| c.0)
        .fold(f32::INFINITY, f32::min);
    // Header labels over the figures (the row labels' own header is to their left).
    let frags: Vec<(f32, f32)> = lines[..first_data]
        .iter()
        .flat_map(|l| l.pieces.iter())
        .filter(|c| (c.0 + c.1) / 2.0 >= value_left - size)
        .map(|c| (c.0, c.1))
        .collect();
    // A header has some tens of labels; a page of scattered words is not read as one.
    if frags.len() > MAX_HEADER_PIECES {
        return None;
    }
    let mid = |f: &(f32, f32)| (f.0 + f.1) / 2.0;
    let is_inner = |f: &(f32, f32)| {
        // A group label spans the middles of two labels that do not overlap each other.
        // Two of them are apart when one ends before another starts.
        let (mut first_end, mut last_start) = (f32::INFINITY, f32::NEG_INFINITY);
        for g in frags
            .iter()
            .filter(|g| *g != f && mid(g) > f.0 && mid(g) < f.1 && (g.1 - g.0) < (f.1 - f.0))
        {
            first_end = first_end.min(g.1);
            last_start = last_start.max(g.0);
        }
        first_end >= last_start
    };
    let inner: Vec<(f32, f32)> = frags.iter().filter(|f| is_inner(f)).copied().collect();
    let groups: Vec<(f32, f32)> = frags.iter().filter(|f| !is_inner(f)).copied().collect();
    let mut spans: Vec<(f32, f32)> = vec![];
    let mut sorted = inner;
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    for f in sorted {
        match spans.last_mut() {
            Some(s) if f.0 < s.1 - 0.2 * size => s.1 = s.1.max(f.1),
            _ => spans.push(f),
        }
    }
    (spans.len() >= 2).then_some(Header {
        left: value_left - size,
        spans,
        groups,
        first_data,
    })
}

/// The most pieces of text a table's header may have for its columns to be read from it.
const MAX_HEADER_PIECES: usize = 400;

/// What `header_spans` finds.
struct Header {
    /// Where the value columns begin.
    left: f32,
    /// Each value column's x-range.
    spans: Vec<(f32, f32)>,
    /// The header's group labels (above several columns).
    groups: Vec<(f32, f32)>,
    /// The first line with figures.
    first_data: usize,
}

/// A table's lines as rows of cells on shared columns: the row labels' columns from their left
/// edges, clustered; the value columns from the header's labels (`header_spans`) when there are
/// figures under a header, else from the left edges too.
fn grid(lines: &[&Line]) -> Vec<Vec<Cell>> {
    let size = lines.iter().map(|l| l.size).fold(0.0, f32::max).max(1.0);
    let spans = header_spans(lines, size);
    let in_values =
        |c: &(f32, f32, String)| spans.as_ref().is_some_and(|h| (c.0 + c.1) / 2.0 >= h.left);
    let mut cols: Vec<f32> = lines
        .iter()
        .flat_map(|l| l.cells.iter().filter(|c| !in_values(c)).map(|c| c.0))
        .collect();
    cols.sort_by(f32::total_cmp);
    let mut edges: Vec<f32> = vec![];
    for x in cols {
        if edges.last().is_none_or(|e| x - e > 1.5 * size) {
            edges.push(x);
        }
    }
    let col_of = |c: &(f32, f32, String)| {
        if let Some(spans) = spans.as_ref().filter(|_| in_values(c)).map(|h| &h.spans) {
            let m = (c.0 + c.1) / 2.0;
            let k = spans
                .iter()
                .position(|s| m >= s.0 && m <= s.1)
                .unwrap_or_else(|| {
                    // Nearest column by middles.
                    let d = |s: &(f32, f32)| ((s.0 + s.1) / 2.0 - m).abs();
                    (0..spans.len())
                        .min_by(|&a, &b| d(&spans[a]).total_cmp(&d(&spans[b])))
                        .unwrap_or(0)
                });
            return edges.len().max(1) + k;
        }
        edges
            .iter()
            .rposition(|e| c.0 + 1.5 * size >= *e)
            .unwrap_or(0)
    };
    // A header's labels: a column's pieces (商业 / 企业) joined on the header's last line, a
    // group label on its own line over its first column.
    let mut header_rows: Vec<Vec<(f32, f32, String)>> = vec![];
    if let Some(h) = &spans {
        let mut leaf: Vec<String> = vec![String::new(); h.spans.len()];
        for (i, l) in lines[..h.first_data].iter().enumerate() {
            let mut row: Vec<(f32, f32, String)> =
                l.cells.iter().filter(|c| !in_values(c)).cloned().collect();
            for p in l.pieces.iter().filter(|p| in_values(p)) {
                let m = (p.0 + p.1) / 2.0;
                if h.groups.iter().any(|g| g.0 == p.0 && g.1 == p.1) {
                    // Placed at its first column's middle.
                    if let Some(s) = h.spans.iter().find(|s| s.1 > p.0) {
                        let x = (s.0 + s.1) / 2.0;
                        row.push((x, x, p.2.clone()));
                    }
                } else if let Some(k) = h.spans.iter().position(|s| m >= s.0 && m <= s.1) {
                    leaf[k].push_str(&p.2);
                }
            }
            if i + 1 == h.first_data {
                for (k, t) in leaf.iter().enumerate() {
                    let x = (h.spans[k].0 + h.spans[k].1) / 2.0;
                    row.push((x, x, t.clone()));
                }
            }
            row.sort_by(|a, b| a.0.total_cmp(&b.0));
            header_rows.push(row);
        }
    }
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut row: Vec<Cell> = vec![];
            let mut next = 0usize;
            let cells = header_rows.get(i).unwrap_or(&l.cells);
            for c in cells {
                let k = col_of(c).max(next);
                // Blank cells up to this one's column.
                while next < k {
                    row.push(Cell {
                        text: String::new(),
                        rowspan: 1,
                        colspan: 1,
                    });
                    next += 1;
                }
                row.push(Cell {
                    text: c.2.clone(),
                    rowspan: 1,
                    colspan: 1,
                });
                next += 1;
            }
            row
        })
        .collect()
}

/// Appends a page's blocks, joining a paragraph the page break cut (the last one unfinished,
/// the next page starting with text).
/// A table the page before ended in (`Page::last_cols`, its column rules `before`) goes on in the
/// page's first table (`page.first_cols`): both are first set on every column rule either has,
/// so their cells line up by where they stand, then joined.
pub(crate) fn append_page(blocks: &mut Vec<Block>, page: Page, before: Option<&[f32]>) {
    let first_cols = page.first_cols;
    let mut page = page.blocks.into_iter();
    if let Some(before) = before {
        if let (Some(Block::Table(last)), Some(Block::Table(_))) =
            (blocks.last_mut(), page.as_slice().first())
        {
            if let Some(Block::Table(mut next)) = page.next() {
                if let Some(after) = first_cols.as_deref() {
                    if let Some(all) = shared_columns(before, after) {
                        super::regrid(last, before, &all);
                        super::regrid(&mut next, after, &all);
                    }
                }
                super::join_across_page(last, next);
            }
        }
    }
    if let (Some(Block::Para(last)), Some(Block::Para(first))) =
        (blocks.last_mut(), page.as_slice().first())
    {
        if !last.ends_with(['。', '！', '？', '；', '：', '”']) {
            last.push_str(first);
            page.next();
        }
    }
    blocks.extend(page);
}

/// Every column rule of two parts of one table, when they share their outer edges (one
/// boundary where the two put rules within [`CLUSTER`] of each other).
fn shared_columns(a: &[f32], b: &[f32]) -> Option<Vec<f32>> {
    let (a0, a1, b0, b1) = (a.first()?, a.last()?, b.first()?, b.last()?);
    if (a0 - b0).abs() > CLUSTER || (a1 - b1).abs() > CLUSTER {
        return None;
    }
    Some(distinct(a.iter().chain(b).copied().collect()))
}

/// A straight line drawn on the page (a table's rule), in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seg {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
}

/// How close two rules must be to count as one (points).
const TOL: f32 = 1.5;
/// How far column rules must run past the outer row rule to make an open row (points): more
/// than a line's cap or join, less than a row of text.
const OPEN_ROW: f32 = 4.0;
/// The most rules a page may have for tables to be built from them.
const MAX_SEGS: usize = 20_000;

struct Ruled {
    /// Distinct y of the horizontal rules (top first) and x of the vertical ones.
    ys: Vec<f32>,
    xs: Vec<f32>,
    /// Anchor slot, rowspan, colspan of each cell.
    cells: Vec<(usize, usize, usize, usize)>,
    /// Slot → cell.
    slot: Vec<Vec<usize>>,
}

/// Rule positions closer than this are one boundary, named by the first: tables drawn with
/// cell spacing (`<table border="1" cellspacing="2">`, common on government sites) give every
/// cell its own box, so two parallel rules a few pixels apart stand between two cells. No
/// column or row of text is this narrow.
const CLUSTER: f32 = 4.0;

/// Whether a rule at `at` belongs to the boundary named `head` (see [`CLUSTER`]).
fn on_boundary(at: f32, head: f32) -> bool {
    at - head >= -TOL && at - head <= CLUSTER
}

fn distinct(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = vec![];
    for x in v {
        if out.last().is_none_or(|l| x - l > CLUSTER) {
            out.push(x);
        }
    }
    out
}

/// Collinear rules (position, from, to) that touch or overlap, joined into one. Pieces of one
/// rule lie within half a tolerance of each other across it. Sorting makes this O(n log n).
fn joined(mut rules: Vec<(f32, f32, f32)>) -> Vec<(f32, f32, f32)> {
    rules.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(f32, f32, f32)> = vec![];
    let mut i = 0;
    while i < rules.len() {
        let line = rules[i].0;
        let n = rules[i..]
            .iter()
            .take_while(|r| r.0 - line <= TOL / 2.0)
            .count();
        let group = &mut rules[i..i + n];
        group.sort_by(|a, b| a.1.total_cmp(&b.1));
        let first = out.len();
        for r in group.iter() {
            match out[first..].last_mut() {
                Some(o) if r.1 <= o.2 + TOL => o.2 = o.2.max(r.2),
                _ => out.push(*r),
            }
        }
        i += n;
    }
    out
}

fn find(p: &mut [usize], mut i: usize) -> usize {
    while p[i] != i {
        p[i] = p[p[i]];
        i = p[i];
    }
    i
}

/// The tables the rules draw: groups of crossing rules, their rows and columns, and the cells
/// where a rule between two slots is missing (merged cells).
fn ruled_tables(segs: &[Seg]) -> Vec<Ruled> {
    let mut h: Vec<(f32, f32, f32)> = vec![];
    let mut v: Vec<(f32, f32, f32)> = vec![];
    for s in segs.iter().take(MAX_SEGS) {
        if (s.y1 - s.y2).abs() < 1.0 && (s.x1 - s.x2).abs() > 2.0 {
            h.push((s.y1, s.x1.min(s.x2), s.x1.max(s.x2)));
        } else if (s.x1 - s.x2).abs() < 1.0 && (s.y1 - s.y2).abs() > 2.0 {
            v.push((s.x1, s.y1.min(s.y2), s.y1.max(s.y2)));
        }
    }
    // A rule drawn in pieces (browsers draw each cell's border, split at every column even
    // inside a spanning cell) is one rule: a piece that crosses no other rule still counts.
    let h = joined(h);
    let v = joined(v);
    // Rules that cross or touch belong to one table.
    let n = h.len() + v.len();
    let mut p: Vec<usize> = (0..n).collect();
    for (i, a) in h.iter().enumerate() {
        for (j, b) in v.iter().enumerate() {
            if b.0 >= a.1 - TOL && b.0 <= a.2 + TOL && a.0 >= b.1 - TOL && a.0 <= b.2 + TOL {
                let (x, y) = (find(&mut p, i), find(&mut p, h.len() + j));
                p[x] = y;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<usize>, Vec<usize>)> =
        Default::default();
    for i in 0..h.len() {
        let r = find(&mut p, i);
        groups.entry(r).or_default().0.push(i);
    }
    for j in 0..v.len() {
        let r = find(&mut p, h.len() + j);
        groups.entry(r).or_default().1.push(j);
    }
    let mut out = vec![];
    for (_, (hi, vi)) in groups {
        let mut ys = distinct(hi.iter().map(|&i| h[i].0).collect());
        ys.reverse();
        let xs = distinct(vi.iter().map(|&j| v[j].0).collect());
        // A table cut by a page break may leave its last row open: the column rules run on
        // below the last row rule to the page's foot (WPS, Word). That row is closed where
        // the column rules end, and the table continues on the next page.
        if let (Some(&last), Some(low)) =
            (ys.last(), vi.iter().map(|&j| v[j].1).min_by(f32::total_cmp))
        {
            if low < last - OPEN_ROW {
                ys.push(low);
            }
        }
        if let (Some(&first), Some(high)) = (
            ys.first(),
            vi.iter().map(|&j| v[j].2).max_by(f32::total_cmp),
        ) {
            if high > first + OPEN_ROW {
                ys.insert(0, high);
            }
        }
        if ys.len() < 2 || xs.len() < 2 || ys.len() > 400 || xs.len() > 100 {
            continue;
        }
        let (rows, cols) = (ys.len() - 1, xs.len() - 1);
        // One box around everything is a frame, not a table.
        if rows * cols < 2 {
            continue;
        }
        let has_v = |x: f32, y: f32| {
            vi.iter()
                .any(|&j| on_boundary(v[j].0, x) && y >= v[j].1 - TOL && y <= v[j].2 + TOL)
        };
        let has_h = |y: f32, x: f32| {
            hi.iter()
                .any(|&i| on_boundary(h[i].0, y) && x >= h[i].1 - TOL && x <= h[i].2 + TOL)
        };
        let mut q: Vec<usize> = (0..rows * cols).collect();
        for r in 0..rows {
            let ym = (ys[r] + ys[r + 1]) / 2.0;
            for c in 0..cols {
                let xm = (xs[c] + xs[c + 1]) / 2.0;
                if c + 1 < cols && !has_v(xs[c + 1], ym) {
                    let (a, b) = (find(&mut q, r * cols + c), find(&mut q, r * cols + c + 1));
                    q[a] = b;
                }
                if r + 1 < rows && !has_h(ys[r + 1], xm) {
                    let (a, b) = (find(&mut q, r * cols + c), find(&mut q, (r + 1) * cols + c));
                    q[a] = b;
                }
            }
        }
        let mut index: std::collections::HashMap<usize, usize> = Default::default();
        let mut cells: Vec<(usize, usize, usize, usize)> = vec![];
        let mut slot = vec![vec![0usize; cols]; rows];
        for (r, slots) in slot.iter_mut().enumerate() {
            for (c, s) in slots.iter_mut().enumerate() {
                let root = find(&mut q, r * cols + c);
                let k = *index.entry(root).or_insert_with(|| {
                    cells.push((r, c, r, c));
                    cells.len() - 1
                });
                let e = &mut cells[k];
                e.2 = e.2.max(r);
                e.3 = e.3.max(c);
                *s = k;
            }
        }
        let cells = cells
            .into_iter()
            .map(|(r, c, r2, c2)| (r, c, r2 - r + 1, c2 - c + 1))
            .collect();
        out.push(Ruled {
            ys,
            xs,
            cells,
            slot,
        });
    }
    out
}

/// What one page holds.
pub(crate) struct Page {
    pub blocks: Vec<Block>,
    /// The first text of each table guessed from the text's columns (no rules drawn).
    pub guessed: Vec<String>,
    /// The column rules' positions of the page's first block and of its last, when each is a
    /// table drawn with rules (nothing after the last but the page number). A table the page
    /// ends in goes on in a table the next page starts with: two tables of a report always
    /// have a heading between them. The two parts are joined by these positions.
    pub first_cols: Option<Vec<f32>>,
    pub last_cols: Option<Vec<f32>>,
}

/// The blocks of one page: tables drawn with rules read cell by cell, the text around them as
/// paragraphs (and, where no rules are drawn, tables guessed from the text's columns).
pub(crate) fn page_blocks(mut runs: Vec<Run>, segs: &[Seg]) -> Page {
    let mut guessed = vec![];
    for r in &mut runs {
        if !r.text.is_ascii() {
            r.text = unradical(&r.text);
        }
    }
    let mut tables = ruled_tables(segs);
    tables.sort_by(|a, b| b.ys[0].total_cmp(&a.ys[0]));
    let mut texts: Vec<Vec<Vec<Run>>> =
        tables.iter().map(|t| vec![vec![]; t.cells.len()]).collect();
    let mut free = vec![];
    for r in runs {
        let (xm, ym) = ((r.x + r.end) / 2.0, r.y + 0.3 * r.size);
        let hit = tables.iter().enumerate().find_map(|(k, t)| {
            let c = t.xs.windows(2).position(|w| xm >= w[0] && xm <= w[1])?;
            let row = t.ys.windows(2).position(|w| ym <= w[0] && ym >= w[1])?;
            Some((k, t.slot[row][c]))
        });
        match hit {
            Some((k, cell)) => texts[k][cell].push(r),
            None => free.push(r),
        }
    }
    let mut out = vec![];
    // Where the first table drawn with rules stands among the page's blocks.
    let mut first_at: Option<usize> = None;
    for (k, t) in tables.iter().enumerate() {
        let top = t.ys[0];
        let (above, rest): (Vec<Run>, Vec<Run>) = free.into_iter().partition(|r| r.y > top);
        free = rest;
        out.extend(blocks(above, &mut guessed));
        let rows = t.ys.len() - 1;
        let mut grid: Vec<Vec<Cell>> = vec![vec![]; rows];
        let mut order: Vec<usize> = (0..t.cells.len()).collect();
        order.sort_by_key(|&i| (t.cells[i].0, t.cells[i].1));
        for i in order {
            let (r, _, rs, cs) = t.cells[i];
            let mut runs = std::mem::take(&mut texts[k][i]);
            runs.sort_by(|a, b| {
                if (a.y - b.y).abs() > 0.35 * a.size.max(b.size) {
                    b.y.total_cmp(&a.y)
                } else {
                    a.x.total_cmp(&b.x)
                }
            });
            let mut text = String::new();
            let mut end: Option<(f32, f32)> = None;
            for r in runs {
                // A space between two words apart on one line, none between glyphs that touch.
                let apart = end
                    .is_none_or(|(e, y)| (r.y - y).abs() > 0.35 * r.size || r.x - e > 0.2 * r.size);
                if apart
                    && text
                        .chars()
                        .last()
                        .is_some_and(|c| c.is_ascii_alphanumeric())
                    && r.text.starts_with(|c: char| c.is_ascii_alphanumeric())
                {
                    text.push(' ');
                }
                text.push_str(r.text.trim());
                end = Some((r.end, r.y));
            }
            grid[r].push(Cell {
                text,
                rowspan: rs as u32,
                colspan: cs as u32,
            });
        }
        first_at.get_or_insert(out.len());
        out.push(Block::Table(grid));
    }
    // The page starts with its first table drawn with rules when no text stood above it.
    let first_cols = (first_at == Some(0))
        .then(|| tables.first().map(|t| t.xs.clone()))
        .flatten();
    let tail = blocks(free, &mut guessed);
    // A table the page ends in (its last row left open, or closed by a browser that draws
    // every cell's border) goes on in a table the next page starts with: two tables of a
    // report always have a heading between them.
    let last_cols = tables
        .last()
        .filter(|_| tail.is_empty())
        .map(|t| t.xs.clone());
    out.extend(tail);
    Page {
        blocks: out,
        guessed,
        first_cols,
        last_cols,
    }
}

/// The IMPORT warning for a page whose tables were guessed from the text's positions, naming
/// where each table starts so the reader can find it.
pub(crate) fn unruled(page_no: usize, guessed: &[String]) -> Option<crate::diag::Diagnostic> {
    if guessed.is_empty() {
        return None;
    }
    let starts: Vec<String> = guessed.iter().map(|t| format!("“{t}”")).collect();
    Some(crate::diag::Diagnostic::warning(
        crate::diag::Rule::Import,
        format!(
            "第 {page_no} 页有 {} 个表格没有画出表格线（{}从{}开始）：单元格是按文字的位置推断的，合并单元格可能没有认出，请核对各数所在的行和列",
            guessed.len(),
            if guessed.len() > 1 { "分别" } else { "" },
            starts.join("、")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::starts_item;

    #[test]
    fn numbered_lines() {
        for t in [
            "一、总体情况",
            "（二）依申请公开",
            "(三)其他",
            "1.属于国家秘密",
            "12、重复申请",
        ] {
            assert!(starts_item(t), "{t}");
        }
        for t in ["2023年，我局", "一是加强", "（本列数据的勾稽关系", "100%"] {
            assert!(!starts_item(t), "{t}");
        }
    }
}
