//! Writes a report as YAML in the form of `docs/INPUT.md`, with Chinese comments naming every row and
//! column: used by `xxgk convert` (Excel → YAML) and, blank, by `xxgk template --yaml`.

use crate::model::{Count, Report, Section, Text};
use crate::spec::format::ValueRef;
use crate::spec::format::{
    self, keys, T2Kind, T3Role, TableId, SECTIONS, T2_BLOCKS, T3_CATEGORIES, T3_COLUMNS, T3_ROWS,
    T4_COLUMNS, T4_GROUPS,
};
use crate::spec::place::Place;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The report as YAML; reading it back gives the same report.
pub fn render(report: &Report) -> String {
    render_annotated(report, &[])
}

/// The report as YAML with notes (`# 核对：…`) after the line of each cell named and under the
/// heading of each table named: what a clerk must check of a report read from a published
/// document. The notes are comments, so reading the YAML back gives the same report.
pub fn render_annotated(report: &Report, notes: &[(Place, String)]) -> String {
    let mut by_cell: BTreeMap<ValueRef, Vec<String>> = BTreeMap::new();
    let mut by_table: BTreeMap<TableId, Vec<String>> = BTreeMap::new();
    for (p, n) in notes {
        // One line: a note must not end its comment early.
        let n: String = n
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        match p {
            Place::Value(v) => by_cell.entry(*v).or_default().push(n),
            Place::Table(t) => by_table.entry(*t).or_default().push(n),
            _ => {}
        }
    }
    Writer {
        out: String::new(),
        blank: false,
        notes: by_cell,
        table_notes: by_table,
    }
    .report(report)
}

/// The placeholder body name of the blank template (the validator warns if it is left in).
pub use crate::spec::template::PLACEHOLDER_BODY;
/// The placeholder text of the blank template's sections (the validator warns if it is left in).
pub use crate::spec::template::PLACEHOLDER_TEXT;

/// An annotated blank report for a given year: explicit zeros in every cell, placeholders for
/// texts.
pub fn template(year: u16) -> String {
    let mut r = Report {
        body: PLACEHOLDER_BODY.to_string(),
        year,
        ..Report::default()
    };
    // Explicit zeros: the clerk overwrites what is not 0 and leaves the rest, which prints 0.
    for c in r.counts_mut() {
        *c = Count::new(0);
    }
    r.table2.fee.blank = false;
    r.preface = Text(format!(
        "本报告依据《中华人民共和国政府信息公开条例》编制。报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    ));
    r.overview.intro = Text(format!("{PLACEHOLDER_TEXT}）"));
    for t in [
        "主动公开",
        "依申请公开",
        "政府信息管理",
        "政府信息公开平台建设",
        "监督保障",
    ] {
        r.overview.subsections.push(crate::model::Subsection {
            title: t.into(),
            body: Text(format!("{PLACEHOLDER_TEXT}）")),
        });
    }
    r.problems.intro = Text(format!("{PLACEHOLDER_TEXT}）"));
    r.other.intro = Text(format!(
        "{PLACEHOLDER_TEXT}，收取信息处理费情况在此处报告。）"
    ));
    Writer {
        out: String::new(),
        blank: true,
        notes: BTreeMap::new(),
        table_notes: BTreeMap::new(),
    }
    .report(&r)
}

struct Writer {
    out: String,
    blank: bool,
    /// Notes to write after the lines of these cells, and under these tables' headings
    /// (`render_annotated`).
    notes: BTreeMap<ValueRef, Vec<String>>,
    table_notes: BTreeMap<TableId, Vec<String>>,
}

/// Quotes a scalar when YAML would read it as something else.
/// Characters YAML 1.1 (the YAML library) reads as line breaks: NEL, LINE SEPARATOR and
/// PARAGRAPH SEPARATOR. Written raw they would split a line; they are escaped instead.
fn yaml_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Characters that may not stand raw in a plain scalar, a block or a comment: controls, the
/// line breaks above, and what the YAML library refuses as not printable (a BOM inside the
/// stream, U+FFFE, U+FFFF). A quoted scalar carries each as an escape.
fn unsafe_raw(c: char) -> bool {
    c.is_control() || yaml_break(c) || matches!(c, '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}')
}

/// A comment of one line whatever `s` holds (a 机关 with a line break, pasted from a workbook
/// cell with Alt+Enter): every character that could end the line or that YAML refuses is
/// shown as its code point, so that the file reads back.
fn comment(s: &str) -> String {
    let mut out = String::from("# ");
    for c in s.chars() {
        if unsafe_raw(c) {
            let _ = write!(out, "<U+{:04X}>", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

fn scalar(s: &str, flow: bool) -> String {
    let specials = if flow {
        ":#,[]{}&*!|>'\"%@`"
    } else {
        ":#&*!|>'\"%@`[]{},"
    };
    let plain = !s.is_empty()
        && s.trim() == s
        && !s.contains(['\n', '\t', '\r'])
        && !s.starts_with(|c: char| specials.contains(c) || c == '-' || c == '?' || c == '~')
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !(flow && s.contains([',', '[', ']', '{', '}']))
        && s.parse::<f64>().is_err()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off"
        )
        && !s.chars().any(unsafe_raw);
    if plain {
        s.to_string()
    } else {
        let mut q = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                '\n' => q.push_str("\\n"),
                '\t' => q.push_str("\\t"),
                '\r' => q.push_str("\\r"),
                c if unsafe_raw(c) => {
                    let _ = write!(q, "\\u{:04X}", c as u32);
                }
                c => q.push(c),
            }
        }
        q.push('"');
        q
    }
}

fn count(c: &Count) -> String {
    // A cell left empty stays empty (`~`): it prints blank where a 0 prints `0`.
    let value = if c.blank && c.value == 0 {
        "~".to_string()
    } else {
        c.value.to_string()
    };
    match &c.note {
        Some(n) => format!(
            "{{{}: {value}, {}: {}}}",
            keys::CELL_NUMBER,
            keys::CELL_NOTE,
            scalar(n, true)
        ),
        None => value,
    }
}

impl Writer {
    fn line(&mut self, indent: usize, s: &str) {
        let _ = writeln!(self.out, "{:indent$}{s}", "");
    }

    /// The notes of a table, a comment line each, under its heading.
    fn table_notes(&mut self, t: TableId) {
        for n in self.table_notes.get(&t).cloned().unwrap_or_default() {
            self.line(0, &format!("# 核对：{n}"));
        }
    }

    /// The comment that ends the line of these cells: their notes, if any.
    fn notes_of(&self, cells: impl IntoIterator<Item = ValueRef>) -> String {
        let notes: Vec<&str> = cells
            .into_iter()
            .filter_map(|v| self.notes.get(&v))
            .flatten()
            .map(String::as_str)
            .collect();
        if notes.is_empty() {
            String::new()
        } else {
            format!("   # 核对：{}", notes.join("；"))
        }
    }

    /// A text value: a literal block when that reads back exactly, else a quoted string.
    fn text(&mut self, indent: usize, key: &str, t: &Text) {
        let s = &t.0;
        let block_ok = !s.is_empty()
            && !s.contains(['\t', '\r'])
            && !s.chars().any(|c| c != '\n' && unsafe_raw(c))
            && s.lines().all(|l| l.trim_end() == l && !l.starts_with(' '))
            && !s.starts_with('\n')
            && !s.ends_with('\n');
        if block_ok {
            self.line(indent, &format!("{key}: |-"));
            for l in s.split('\n') {
                if l.is_empty() {
                    self.out.push('\n');
                } else {
                    self.line(indent + 2, l);
                }
            }
        } else {
            self.line(indent, &format!("{key}: {}", scalar(s, false)));
        }
    }

    fn section(&mut self, key: &str, heading: &str, s: &Section) {
        self.line(0, &format!("# {heading}"));
        if s.subsections.is_empty() && !self.blank {
            self.text(0, key, &s.intro);
            return;
        }
        self.line(0, &format!("{key}:"));
        if !s.intro.is_empty() {
            self.text(2, keys::SECTION_INTRO, &s.intro);
        }
        if !s.subsections.is_empty() {
            self.line(
                2,
                &format!(
                    "{}:{}",
                    keys::SECTION_SUBSECTIONS,
                    if self.blank {
                        "   # 各分项自动编号为（一）（二）……"
                    } else {
                        ""
                    }
                ),
            );
            for sub in &s.subsections {
                self.line(
                    4,
                    &format!(
                        "- {}: {}",
                        keys::SUBSECTION_TITLE,
                        scalar(&sub.title, false)
                    ),
                );
                self.text(6, keys::SUBSECTION_BODY, &sub.body);
            }
        }
    }

    fn report(mut self, r: &Report) -> String {
        if self.blank {
            self.line(
                0,
                "# 政府信息公开工作年度报告 — 数据文件模板（格式：国办公开办函〔2021〕30号）",
            );
            self.line(0, "# 填写说明：表格中的数字只填阿拉伯数字，没有就填 0；“总计”可以不填（每行少写最后一个数），由程序计算。");
            self.line(0, "# 文字中的段落之间空一行。填好后运行 `xxgk check 本文件` 检查，`xxgk render 本文件` 生成 Word、PDF、Excel。");
        } else {
            self.line(0, &comment(&r.title_text()));
        }
        self.line(0, &format!("{}: {}", keys::BODY, scalar(&r.body, false)));
        self.line(0, &format!("{}: {}", keys::YEAR, r.year));
        if let Some(lines) = &r.title {
            self.line(0, &format!("{}:", keys::TITLE));
            for l in lines {
                self.line(2, &format!("- {}", scalar(l, false)));
            }
        } else if self.blank {
            self.line(
                0,
                &format!(
                    "# {}: [第一行, 第二行]   # 可选；默认为“机关”+“{}”",
                    keys::TITLE,
                    format::title_tail(r.year)
                ),
            );
        }
        match r.published {
            Some(d) => self.line(0, &format!("{}: {d}", keys::PUBLISHED)),
            None if self.blank => self.line(
                0,
                &format!(
                    "# {}: {}-01-20   # 可选，显示在标题下",
                    keys::PUBLISHED,
                    r.year + 1
                ),
            ),
            None => {}
        }
        if let Some(g) = r.government {
            self.line(0, &format!("{}: {g}", keys::GOVERNMENT));
        }
        match r.show_zero {
            Some(b) => self.line(0, &format!("{}: {b}", keys::SHOW_ZERO)),
            None if self.blank => self.line(
                0,
                &format!(
                    "# {}: false   # 不写：留空（~）的格子印空白、写 0 的印 0；false：一律空白；true：一律印 0",
                    keys::SHOW_ZERO
                ),
            ),
            None => {}
        }
        if !r.preface.is_empty() {
            self.out.push('\n');
            self.text(0, keys::PREFACE, &r.preface);
        }
        for sec in SECTIONS.iter() {
            self.out.push('\n');
            match sec.kind {
                format::SectionKind::Text(which) => {
                    self.section(sec.key, &sec.heading(), r.text_section(which))
                }
                format::SectionKind::Table(TableId::T2) => self.table2(r, &sec.heading()),
                format::SectionKind::Table(TableId::T3) => self.table3(r, &sec.heading()),
                format::SectionKind::Table(TableId::T4) => self.table4(r, &sec.heading()),
            }
        }
        if let Some(sig) = &r.signature {
            self.out.push('\n');
            self.line(0, &format!("{}:", keys::SIGNATURE));
            self.line(
                2,
                &format!("{}: {}", keys::SIGNATURE_BODY, scalar(&sig.body, false)),
            );
            if let Some(d) = sig.date {
                self.line(2, &format!("{}: {d}", keys::SIGNATURE_DATE));
            }
        } else if self.blank {
            self.out.push('\n');
            self.line(
                0,
                &format!(
                    "# 可选的落款（文末右对齐）：\n# {}:\n#   {}: {PLACEHOLDER_BODY}\n#   {}: {}-01-20",
                    keys::SIGNATURE,
                    keys::SIGNATURE_BODY,
                    keys::SIGNATURE_DATE,
                    r.year + 1
                ),
            );
        }
        self.out
    }

    fn table2(&mut self, r: &Report, heading: &str) {
        self.line(0, &format!("# {heading}（表二）"));
        self.table_notes(TableId::T2);
        self.line(0, &format!("{}:", SECTIONS[1].key));
        let (mut triple, mut single) = (0, 0);
        for block in T2_BLOCKS.iter() {
            self.line(
                2,
                &format!("# {}：{}", block.title, block.header.join("、")),
            );
            for key in block.rows {
                match block.kind {
                    T2Kind::Triple => {
                        let d = &r.table2.documents[triple];
                        let notes = self
                            .notes_of((0..3).map(|col| ValueRef::T2Document { row: triple, col }));
                        triple += 1;
                        self.line(
                            2,
                            &format!(
                                "{key}: [{}, {}, {}]{notes}",
                                count(&d[0]),
                                count(&d[1]),
                                count(&d[2])
                            ),
                        );
                    }
                    T2Kind::Count => {
                        let notes = self.notes_of([ValueRef::T2Decision { row: single }]);
                        self.line(
                            2,
                            &format!("{key}: {}{notes}", count(&r.table2.decisions[single])),
                        );
                        single += 1;
                    }
                    T2Kind::Amount => {
                        let fee = &r.table2.fee;
                        let value = if fee.blank && fee.value.is_zero() {
                            "~".to_string()
                        } else {
                            fee.value.to_string()
                        };
                        let v = match &fee.note {
                            Some(n) => format!(
                                "{{{}: {value}, {}: {}}}",
                                keys::CELL_NUMBER,
                                keys::CELL_NOTE,
                                scalar(n, true)
                            ),
                            None => value,
                        };
                        let notes = if self.blank {
                            "   # 万元，可有小数，按所填位数原样输出".to_string()
                        } else {
                            self.notes_of([ValueRef::T2Fee])
                        };
                        self.line(2, &format!("{key}: {v}{notes}"));
                    }
                }
            }
        }
    }

    fn table3(&mut self, r: &Report, heading: &str) {
        self.line(0, &format!("# {heading}（表三）"));
        self.table_notes(TableId::T3);
        self.line(
            0,
            &format!("# 每行 7 个数：[{}]；总计可省略", T3_COLUMNS.join(", ")),
        );
        self.line(0, &format!("{}:", SECTIONS[2].key));
        let mut open_category = None;
        for (i, row) in T3_ROWS.iter().enumerate() {
            let cells = &r.table3.cells[i];
            let zero = cells.iter().all(|c| c.blank && c.note.is_none());
            let notes = self.notes_of((0..7).map(|col| ValueRef::T3 { row: i, col }));
            // Rows left empty are left out of a converted report (omitted = empty), but the
            // template lists every row so clerks see them all (and a row with notes is shown).
            if zero && !self.blank && row.role == T3Role::Result && notes.is_empty() {
                continue;
            }
            let values = format!(
                "[{}]",
                cells.iter().map(count).collect::<Vec<_>>().join(", ")
            );
            match row.category {
                Some(c) => {
                    if open_category != Some(c) {
                        open_category = Some(c);
                        self.line(
                            2,
                            &format!(
                                "{}:{}",
                                T3_CATEGORIES[c].key,
                                if self.blank {
                                    format!("   # {}", T3_CATEGORIES[c].label)
                                } else {
                                    String::new()
                                }
                            ),
                        );
                    }
                    let comment = if self.blank {
                        format!("   # {}", row.label)
                    } else {
                        notes.clone()
                    };
                    self.line(4, &format!("{}: {values}{comment}", row.key));
                }
                None => {
                    open_category = None;
                    let comment = if self.blank {
                        format!("   # {}", row.label)
                    } else {
                        notes.clone()
                    };
                    self.line(2, &format!("{}: {values}{comment}", row.key));
                }
            }
        }
    }

    fn table4(&mut self, r: &Report, heading: &str) {
        self.line(0, &format!("# {heading}（表四）"));
        self.table_notes(TableId::T4);
        self.line(
            0,
            &format!("# 每组 5 个数：[{}]；总计可省略", T4_COLUMNS.join(", ")),
        );
        self.line(0, &format!("{}:", SECTIONS[3].key));
        for (g, key) in T4_GROUPS.iter().enumerate() {
            let values = r.table4.cells[g]
                .iter()
                .map(count)
                .collect::<Vec<_>>()
                .join(", ");
            let comment = match (self.blank, g) {
                (true, 0) => format!("   # {}", format::T4_REVIEW),
                (true, _) => format!("   # {}：{key}", format::T4_LITIGATION),
                _ => self.notes_of((0..5).map(|col| ValueRef::T4 { group: g, col })),
            };
            self.line(2, &format!("{key}: [{values}]{comment}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_separators_survive_a_round_trip() {
        let mut r = Report {
            body: "局".into(),
            ..Report::default()
        };
        r.other.intro = Text("甲\u{2028}乙\u{2029}丙\u{85}丁".into());
        let text = render(&r);
        let back = crate::input::yaml::read_str(&text);
        assert!(back.complete, "{text}\n{:?}", back.diagnostics);
        assert_eq!(back.report.other.intro, r.other.intro, "{text}");
    }

    #[test]
    fn scalars_quote_what_yaml_would_misread() {
        assert_eq!(
            scalar("廊坊市人民政府办公室", false),
            "廊坊市人民政府办公室"
        );
        assert_eq!(scalar("2021", false), "\"2021\"");
        assert_eq!(scalar("a: b", false), "\"a: b\"");
        assert_eq!(scalar("含自然失效29件", true), "含自然失效29件");
        assert_eq!(scalar("甲,乙", true), "\"甲,乙\"");
        assert_eq!(scalar("true", false), "\"true\"");
    }
}
