//! The comparison as a [`Document`] of the report's blocks, so that the one layout engine
//! ([`crate::render::paged`]) sets its pages and the PDF writer draws them. Its tables are grids
//! of the house's table 四 (fifteen equal columns), spanned into the comparison's columns: the
//! engine needs no new kind of block.

use super::Comparison;
use crate::render::document::{Block, DocInfo, Document, LANG};
use crate::spec::date::Date;
use crate::spec::format::{Align, CellRole, Content, GridCell, TableGrid, TableId};
use crate::spec::place::{Key, Place};

/// Column spans over the fifteen grid columns: the label, then the value columns.
fn spans(values: usize) -> Vec<usize> {
    // 15 = label + 2 per value column (up to five value columns).
    let label = 15 - 2 * values;
    std::iter::once(label)
        .chain(std::iter::repeat_n(2, values))
        .collect()
}

/// A grid of `rows` (the first is the header) with one label column and `values` value columns.
fn grid(rows: &[Vec<String>], values: usize) -> (TableGrid, Vec<String>) {
    let spans = spans(values);
    let mut cells = vec![];
    let mut texts = vec![];
    for (r, row) in rows.iter().enumerate() {
        let mut col = 0;
        for (k, text) in row.iter().enumerate() {
            let span = spans.get(k).copied().unwrap_or(2);
            let role = if r == 0 {
                CellRole::Header
            } else if k == 0 {
                CellRole::Label
            } else {
                CellRole::Value
            };
            cells.push(GridCell {
                row: r,
                col,
                rowspan: 1,
                colspan: span,
                content: Content::Text(""),
                role,
                align: if k == 0 && r > 0 {
                    Align::Left
                } else {
                    Align::Center
                },
            });
            texts.push(text.clone());
            col += span;
        }
    }
    (
        TableGrid {
            id: TableId::T4,
            cols: 15,
            rows: rows.len(),
            header_rows: 1,
            cells,
        },
        texts,
    )
}

fn para(blocks: &mut Vec<Block>, text: String) {
    blocks.push(Block::Paragraph {
        text,
        place: Place::Key(Key::Body),
    });
}

fn heading(blocks: &mut Vec<Block>, text: &str) {
    blocks.push(Block::Heading {
        text: text.to_string(),
        place: Place::Key(Key::Body),
    });
}

/// The comparison's blocks, in the order of the web page.
pub fn document(c: &Comparison, date: Date) -> Document {
    let mut blocks = vec![Block::Title {
        lines: vec![
            c.this.body.clone(),
            format!("{}年与{}年年度报告对比", c.last.year, c.this.year),
        ],
        date: None,
        place: Place::Key(Key::Body),
    }];
    for (name, s) in [("上年", &c.last), ("本年", &c.this)] {
        para(
            &mut blocks,
            format!(
                "{name}：{}（{}，{}年度；检查结果：{}，{} 个错误、{} 个警告）",
                s.file, s.body, s.year, s.status, s.errors, s.warnings
            ),
        );
    }
    heading(&mut blocks, "一、评估要点");
    if c.summary.is_empty() {
        para(&mut blocks, "没有发现评估中常见的扣分问题。".into());
    }
    for (i, f) in c.summary.iter().enumerate() {
        let cell = f
            .cell
            .as_ref()
            .map(|p| format!("（{p}）"))
            .unwrap_or_default();
        para(
            &mut blocks,
            format!(
                "{}. {}[{}]：{}{cell}",
                i + 1,
                f.severity.chinese(),
                f.rule.id(),
                f.message
            ),
        );
    }
    para(
        &mut blocks,
        format!(
            "表格中大幅变化（翻倍或减半，且不少于 10）的数字：{} 处。",
            c.large_changes
        ),
    );
    for s in &c.sections {
        para(&mut blocks, Comparison::section_line(s));
    }
    for (k, t) in c.tables.iter().enumerate() {
        let n = ["二", "三", "四"].get(k).copied().unwrap_or("");
        heading(
            &mut blocks,
            &format!("{n}、表格数字：{}（{}）", t.table, t.heading),
        );
        let mut rows = vec![["单元格", "上年", "本年", "增减", "增减率"]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()];
        for cell in &t.cells {
            let mark = if cell.large { "（大幅变化）" } else { "" };
            rows.push(vec![
                format!("{}{mark}", cell.label),
                cell.last.clone(),
                cell.this.clone(),
                cell.change.clone(),
                Comparison::percent_text(cell.percent),
            ]);
        }
        let (grid, cells) = grid(&rows, 4);
        blocks.push(Block::Table { grid, cells });
    }
    heading(&mut blocks, "五、跨年度核对");
    let mut rows = vec![["核对内容", "应为", "本年", "结果"]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()];
    for k in &c.continuity {
        rows.push(vec![
            format!("{}（{}）", k.what, k.rule),
            k.expected.clone(),
            k.this.clone(),
            if k.ok { "一致" } else { "不一致" }.to_string(),
        ]);
    }
    let (grid, cells) = grid(&rows, 3);
    blocks.push(Block::Table { grid, cells });
    heading(&mut blocks, "六、文字部分逐句对比");
    for s in &c.sections {
        blocks.push(Block::RunIn {
            head: format!("{}。", s.heading),
            text: Some(Comparison::section_counts(s)),
            place: Place::Key(Key::Body),
        });
        for x in &s.sentences {
            let text = match &x.last {
                Some(l) => format!("{}（上年：{l}）", x.text),
                None => x.text.clone(),
            };
            blocks.push(Block::RunIn {
                head: format!("【{}】", x.kind.chinese()),
                text: Some(text),
                place: Place::Key(Key::Body),
            });
        }
    }
    Document {
        info: DocInfo {
            title: c.title(),
            author: c.this.body.clone(),
            subject: crate::spec::format::FORMAT_SOURCE,
            date,
            lang: LANG,
            // A comparison is no report: nothing to read back from it.
            data: String::new(),
        },
        blocks,
    }
}
