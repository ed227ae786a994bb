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
}

fn lines(mut runs: Vec<Run>) -> Vec<Line> {
    runs.retain(|r| !r.text.trim().is_empty() && r.size > 0.0 && r.x.is_finite() && r.y.is_finite());
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
        for r in group.drain(..) {
            match cells.last_mut() {
                // Touching or a space apart: the same cell.
                Some(c) if r.x - c.1 < 0.6 * size => {
                    if r.x - c.1 > 0.2 * size && c.2.is_ascii() {
                        c.2.push(' ');
                    }
                    c.2.push_str(&r.text);
                    c.1 = c.1.max(r.end);
                }
                _ => cells.push((r.x, r.end, r.text)),
            }
        }
        out.push(Line { y, size, cells });
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

/// The blocks of one page's runs.
pub(crate) fn blocks(runs: Vec<Run>) -> Vec<Block> {
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
    let end_table = |table: &mut Vec<&Line>, out: &mut Vec<Block>| {
        if !table.is_empty() {
            out.push(Block::Table(grid(table)));
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
        let x = l.cells[0].0;
        let indented = x > left + 1.2 * l.size;
        if para_open && indented {
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

/// A table's lines as rows of cells on shared columns (the cells' left edges, clustered).
fn grid(lines: &[&Line]) -> Vec<Vec<Cell>> {
    let size = lines.iter().map(|l| l.size).fold(0.0, f32::max).max(1.0);
    let mut cols: Vec<f32> = lines
        .iter()
        .flat_map(|l| l.cells.iter().map(|c| c.0))
        .collect();
    cols.sort_by(f32::total_cmp);
    let mut edges: Vec<f32> = vec![];
    for x in cols {
        if edges.last().is_none_or(|e| x - e > 1.5 * size) {
            edges.push(x);
        }
    }
    let col_of = |x: f32| {
        edges
            .iter()
            .rposition(|e| x + 1.5 * size >= *e)
            .unwrap_or(0)
    };
    lines
        .iter()
        .map(|l| {
            let mut row: Vec<Cell> = vec![];
            let mut next = 0usize;
            for c in &l.cells {
                let k = col_of(c.0).max(next);
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
