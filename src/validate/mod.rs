//! The consistency rules (勾稽关系) of `docs/INPUT.md`, run on a typed report.
//!
//! Readers already reported what they could not read; a rule that involves such a cell is
//! skipped, so one typo is reported once, not again as an imbalance.

use crate::diag::{Diagnostic, Key, Place, Rule};
use crate::input::{InputError, Parsed};
use crate::model::Report;
use crate::spec::format::{
    self, T3Role, ValueRef, T3_COLUMNS, T3_ROWS, T3_TOTAL_COL, T4_COLUMNS, T4_GROUPS, T4_TOTAL_COL,
};
use crate::spec::workbook::MAX_CELL_CHARS;
use std::path::Path;

pub mod assess;
pub mod budget;
pub mod similar;
mod text_table;

/// Reads a report file and runs every rule on it. `Err` is a file that cannot be read at all.
pub fn read_and_check(path: &Path, checks: &Checks) -> Result<Parsed, InputError> {
    let mut parsed = crate::input::read_path(path)?;
    check(&mut parsed, checks);
    Ok(parsed)
}

/// What the rules are run with besides the report itself.
#[derive(Default, Clone, Copy)]
pub struct Checks<'a> {
    /// The same body's report of the year before (rules Y-CARRY, Y-INFORCE, Y-PREVIOUS).
    pub previous: Option<&'a Report>,
    /// Whether the fonts the documents will be set in can draw a character: with it, rule TEXT
    /// finds every character `render` would refuse, at its place.
    pub can_draw: Option<&'a (dyn Fn(char) -> bool + Sync)>,
}

/// Runs every rule on `parsed`, appends the diagnostics to it and sorts them by position.
pub fn check(parsed: &mut Parsed, checks: &Checks) {
    if parsed.complete && !budget::within(&parsed.report) {
        // Far more text than a report: that is the one thing to say, and reading all of it
        // character by character would take as long as laying it out.
        let found = budget::check(parsed);
        parsed.diagnostics.extend(found);
    } else if parsed.complete {
        let mut found = text_rules(parsed, checks.can_draw);
        found.extend(rules(parsed));
        let template = placeholders(parsed);
        // A template still being filled in is told that once, not what its empty text lacks.
        let filled = template.is_empty();
        found.extend(template);
        found.extend(empty_sections(parsed));
        found.extend(text_table::check(parsed));
        if filled {
            found.extend(assess::alone(parsed));
        }
        if let Some(prev) = checks.previous {
            found.extend(cross_year(parsed, prev));
            if filled {
                found.extend(assess::with_previous(parsed, prev));
            }
        }
        parsed.diagnostics.extend(found);
    }
    crate::diag::sort(&mut parsed.diagnostics);
    // A file or sheet that could not be read is the cause of what follows from it (rows not
    // found, values unknown): the cause is listed first, whatever its place.
    parsed
        .diagnostics
        .sort_by_key(|d| !(d.rule == Rule::Syntax && d.severity == crate::diag::Severity::Error));
}

/// Invisible characters that carry nothing in print (zero-width space and joiners, word joiner,
/// byte-order mark, soft hyphen): removed, with a warning.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Bidirectional controls: they can make text display in another order than it is stored.
fn bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Rule TEXT: every character of every printed text can be set, and every text fits every
/// output. Invisible characters are removed from the report (a warning); control and bidi
/// characters, characters no font has and texts over Excel's cell limit are errors.
pub fn text_rules(
    p: &mut Parsed,
    can_draw: Option<&(dyn Fn(char) -> bool + Sync)>,
) -> Vec<Diagnostic> {
    let mut found = vec![];
    let mut texts: Vec<(Place, Vec<Diagnostic>)> = vec![];
    for place in p.report.text_places() {
        let Some(text) = p.report.text_mut(&place) else {
            continue;
        };
        let path = place.path();
        let mut ds = vec![];
        if text.chars().any(invisible) {
            let n = text.chars().filter(|c| invisible(*c)).count();
            text.retain(|c| !invisible(c));
            ds.push(Diagnostic::warning(
                Rule::Text,
                format!("“{path}”中有 {n} 个看不见的字符（零宽空格、零宽连接符、BOM 等），已删除"),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for c in text.chars() {
            if !seen.insert(c) {
                continue;
            }
            let cp = format!("U+{:04X}", c as u32);
            if bidi_control(c) {
                ds.push(
                    Diagnostic::error(
                        Rule::Text,
                        format!("“{path}”中有双向文字控制符（{cp}），会使文字的显示顺序与内容不符"),
                    )
                    .with_hint("删除这个看不见的字符（常见于从网页复制的文字）"),
                );
            } else if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
                ds.push(
                    Diagnostic::error(Rule::Text, format!("“{path}”中有控制字符（{cp}）"))
                        .with_hint("删除这个看不见的字符"),
                );
            } else if !c.is_whitespace() && can_draw.is_some_and(|draw| !draw(c)) {
                ds.push(
                    Diagnostic::error(
                        Rule::Text,
                        format!("“{path}”中的字符“{c}”（{cp}）不在任何可用字体中，无法排版"),
                    )
                    .with_hint("请改用常用字，或用 --font-dir 提供含此字的字体"),
                );
            }
        }
        let len = text.chars().count();
        if len > MAX_CELL_CHARS {
            ds.push(
                Diagnostic::error(
                    Rule::Text,
                    format!(
                        "“{path}”有 {len} 个字，超过 Excel 单元格的上限（{MAX_CELL_CHARS} 字）"
                    ),
                )
                .with_hint("分成几段写入不同的分项"),
            );
        }
        if !ds.is_empty() {
            texts.push((place, ds));
        }
    }
    for (place, ds) in texts {
        found.extend(ds.into_iter().map(|d| p.at_place(d, place)));
    }
    found
}

fn readable(p: &Parsed, cells: &[ValueRef]) -> bool {
    cells.iter().all(|c| !p.unreadable.contains(c))
}

/// Places a diagnostic at the value it is about.
fn at(p: &Parsed, d: Diagnostic, cell: ValueRef) -> Diagnostic {
    p.at_place(d, cell)
}

/// The error rules: T3-ROW, T3-RESULTS, T3-BALANCE, T4-GROUP.
pub fn rules(p: &Parsed) -> Vec<Diagnostic> {
    let r = &p.report;
    let t3 = &r.table3;
    let mut out = vec![];
    let applicant_cols = T3_COLUMNS[..T3_TOTAL_COL].join("、");

    // T3-ROW: each row's 总计 is the sum of its six applicant columns.
    for (i, _) in T3_ROWS.iter().enumerate() {
        let cells: Vec<ValueRef> = (0..T3_COLUMNS.len())
            .map(|col| ValueRef::T3 { row: i, col })
            .collect();
        if !readable(p, &cells) {
            continue;
        }
        let (total, sum) = (t3.cells[i][T3_TOTAL_COL].value, t3.row_sum(i));
        if total != sum {
            let d = Diagnostic::error(
                Rule::T3Row,
                format!(
                    "表三{}行的总计为 {total}，而{applicant_cols}之和为 {sum}",
                    format::t3_row_name(i)
                ),
            )
            .with_hint(format!(
                "总计应为 {sum}；也可以不填总计（每行只写前 6 个数），由程序计算"
            ));
            out.push(at(p, d, cells[T3_TOTAL_COL]));
        }
    }

    let results: Vec<usize> = (0..T3_ROWS.len())
        .filter(|&i| T3_ROWS[i].role == T3Role::Result)
        .collect();
    let total_row = format::t3_row_index(T3Role::ResultsTotal);
    let new = format::t3_row_index(T3Role::New);
    let carried_in = format::t3_row_index(T3Role::CarriedIn);
    let carried_out = format::t3_row_index(T3Role::CarriedOut);
    for (c, col) in T3_COLUMNS.iter().enumerate() {
        // T3-RESULTS: （七）总计 is the sum of the result rows （一）…（六）.
        let at_row = |row: usize| ValueRef::T3 { row, col: c };
        let mut cells: Vec<ValueRef> = results.iter().map(|&i| at_row(i)).collect();
        cells.push(at_row(total_row));
        if readable(p, &cells) {
            let (total, sum) = (t3.cells[total_row][c].value, t3.results_sum(c));
            if total != sum {
                let d = Diagnostic::error(
                    Rule::T3Results,
                    format!("表三“（七）总计”的“{col}”列为 {total}，而（一）至（六）各项办理结果之和为 {sum}"),
                )
                .with_hint(format!("（七）总计应为 {sum}，或检查各项办理结果是否漏填、多填"));
                out.push(at(p, d, at_row(total_row)));
            }
        }
        // T3-BALANCE: 本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理 (printed in the table).
        let cells: Vec<ValueRef> = [new, carried_in, total_row, carried_out]
            .iter()
            .map(|&i| at_row(i))
            .collect();
        if readable(p, &cells) {
            let v = |i: usize| t3.cells[i][c].value;
            let (lhs, rhs) = (v(new) + v(carried_in), v(total_row) + v(carried_out));
            if lhs != rhs {
                let d = Diagnostic::error(
                    Rule::T3Balance,
                    format!(
                        "表三“{col}”列收办不平衡：本年新收 {} + 上年结转 {} = {lhs}，而（七）总计 {} + 结转下年度继续办理 {} = {rhs}",
                        v(new),
                        v(carried_in),
                        v(total_row),
                        v(carried_out)
                    ),
                )
                .with_hint("按表三注明的勾稽关系，第一项加第二项之和应等于第三项加第四项之和");
                out.push(at(p, d, at_row(carried_out)));
            }
        }
    }

    // T4-GROUP: each group's 总计 is the sum of its four results.
    let parts = T4_COLUMNS[..T4_TOTAL_COL].join("、");
    for (g, group) in T4_GROUPS.iter().enumerate() {
        let cells: Vec<ValueRef> = (0..T4_COLUMNS.len())
            .map(|col| ValueRef::T4 { group: g, col })
            .collect();
        if !readable(p, &cells) {
            continue;
        }
        let (total, sum) = (r.table4.cells[g][T4_TOTAL_COL].value, r.table4.group_sum(g));
        if total != sum {
            let d = Diagnostic::error(
                Rule::T4Group,
                format!("表四“{group}”的总计为 {total}，而{parts}之和为 {sum}"),
            )
            .with_hint(format!(
                "总计应为 {sum}；也可以只写前 4 个数，由程序计算总计"
            ));
            out.push(at(p, d, cells[T4_TOTAL_COL]));
        }
    }
    out
}

/// The cross-year warnings: Y-CARRY, Y-INFORCE, and a note when the previous report does not
/// look like last year's report of the same body.
pub fn cross_year(p: &Parsed, prev: &Report) -> Vec<Diagnostic> {
    let r = &p.report;
    let mut out = vec![];
    if prev.year + 1 != r.year {
        out.push(
            Diagnostic::warning(
                Rule::YPrevious,
                format!(
                    "上年报告的年度为 {}，而本报告为 {}，应为相邻两年",
                    prev.year, r.year
                ),
            )
            .at(p.locate(Key::Year)),
        );
    }
    if !prev.body.is_empty() && !crate::model::same_body(&prev.body, &r.body) {
        out.push(
            Diagnostic::warning(
                Rule::YPrevious,
                format!(
                    "上年报告的机关为“{}”，而本报告为“{}”",
                    crate::input::number::cut(&prev.body),
                    crate::input::number::cut(&r.body)
                ),
            )
            .at(p.locate(Key::Body)),
        );
    }
    let carried_in = format::t3_row_index(T3Role::CarriedIn);
    let carried_out = format::t3_row_index(T3Role::CarriedOut);
    for (c, col) in T3_COLUMNS.iter().enumerate() {
        let cell = ValueRef::T3 {
            row: carried_in,
            col: c,
        };
        if p.unreadable.contains(&cell) {
            continue;
        }
        let (now, before) = (
            r.table3.cells[carried_in][c].value,
            prev.table3.cells[carried_out][c].value,
        );
        if now != before {
            let d = Diagnostic::warning(
                Rule::YCarry,
                format!(
                    "表三“上年结转”的“{col}”列为 {now}，而上年报告“结转下年度继续办理”为 {before}"
                ),
            );
            out.push(at(p, d, cell));
        }
    }
    for (row, key) in format::T2_TRIPLE_ROWS.iter().enumerate() {
        let cells: Vec<ValueRef> = (0..3)
            .map(|col| ValueRef::T2Document { row, col })
            .collect();
        if !readable(p, &cells) {
            continue;
        }
        let d = &r.table2.documents[row];
        let expected =
            prev.table2.documents[row][2].value as i128 + d[0].value as i128 - d[1].value as i128;
        if d[2].value as i128 != expected {
            let w = Diagnostic::warning(
                Rule::YInforce,
                format!(
                    "表二“{key}”现行有效件数为 {}，而上年现行有效 {} + 本年制发 {} − 本年废止 {} = {expected}",
                    d[2].value,
                    prev.table2.documents[row][2].value,
                    d[0].value,
                    d[1].value
                ),
            )
            .with_hint("如有文件自然失效或修订，可在单元格中注明，如 `{数: 55, 注: 含自然失效29件}`");
            out.push(at(p, w, cells[2]));
        }
    }
    out
}

/// Whether nothing but 机关 and 年度 was filled: no preface, no text in any section, not one
/// number or note in any table.
fn untouched(r: &Report) -> bool {
    let texts_empty = r.preface.0.trim().is_empty()
        && format::SECTIONS.iter().all(|sec| match sec.kind {
            format::SectionKind::Text(which) => {
                let s = r.text_section(which);
                s.intro.0.trim().is_empty()
                    && s.subsections
                        .iter()
                        .all(|x| x.title.trim().is_empty() && x.body.0.trim().is_empty())
            }
            format::SectionKind::Table(_) => true,
        });
    texts_empty
        && format::tables().into_iter().all(|grid| {
            grid.values().all(|(_, v)| match r.cell(v) {
                crate::model::CellValue::Count(c) => c.blank && c.note.is_none(),
                crate::model::CellValue::Amount(a) => a.blank && a.note.is_none(),
            })
        })
}

/// Rule SECTION-EMPTY: sections 一, 五 and 六 are the report's own words (what was done, what
/// went wrong, what else there is to say); one left empty, or saying only “无”, is the first
/// thing an assessor marks down.
pub fn empty_sections(p: &Parsed) -> Vec<Diagnostic> {
    let r = &p.report;
    let mut out = vec![];
    for sec in format::SECTIONS.iter() {
        let format::SectionKind::Text(which) = sec.kind else {
            continue;
        };
        let s = r.text_section(which);
        let words: String = std::iter::once(&s.intro)
            .chain(s.subsections.iter().map(|x| &x.body))
            .flat_map(|t| t.paragraphs())
            .collect::<String>()
            .chars()
            .filter(|c| !c.is_whitespace() && !"。.，,；;！!".contains(*c))
            .collect();
        let titles = s.subsections.iter().any(|x| !x.title.trim().is_empty());
        if (words.is_empty() && !titles) || matches!(words.as_str(), "无" | "没有" | "暂无") {
            let said = if words.is_empty() {
                "没有文字".to_string()
            } else {
                format!("只写了“{words}”")
            };
            out.push(p.at_place(
                Diagnostic::warning(Rule::SectionEmpty, format!("“{}”{said}", sec.heading()))
                    .with_hint("写明本机关本年度的实际情况；确实没有可写的，也应说明情况（如“本年度无其他需要报告的事项。”）"),
                crate::diag::Place::Text {
                    section: which,
                    part: None,
                },
            ));
        }
    }
    out
}

/// Warnings for template placeholders left in: the sample body name, `（文字描述）`, and a
/// report that is still the blank template (nothing filled but 机关 and 年度).
pub fn placeholders(p: &Parsed) -> Vec<Diagnostic> {
    use crate::spec::template::{PLACEHOLDER_BODY, PLACEHOLDER_TEXT};
    let r = &p.report;
    let mut out = vec![];
    if r.body == PLACEHOLDER_BODY {
        out.push(
            Diagnostic::warning(
                Rule::Placeholder,
                format!("“机关”仍是模板中的示例“{PLACEHOLDER_BODY}”"),
            )
            .at(p.locate(Key::Body))
            .with_hint("改为本机关的全称"),
        );
    }
    if untouched(r) && out.is_empty() {
        // The Excel template has no placeholder text: its blank cells are the placeholders. A
        // report with no text and not one number filled (only 机关 and 年度, as
        // `template --xlsx --body --year` writes them) is still the template.
        out.push(
            Diagnostic::warning(
                Rule::Placeholder,
                "报告还是空白模板：除机关、年度外，文字和表格都没有填写",
            )
            .at(p.locate(Key::Body))
            .with_hint("填写总体情况等文字和各表的数字（没有的填 0）后再生成"),
        );
    }
    for sec in format::SECTIONS.iter() {
        let format::SectionKind::Text(which) = sec.kind else {
            continue;
        };
        let s = r.text_section(which);
        let texts = std::iter::once(&s.intro).chain(s.subsections.iter().map(|x| &x.body));
        if texts.into_iter().any(|t| t.0.contains(PLACEHOLDER_TEXT)) {
            out.push(
                Diagnostic::warning(
                    Rule::Placeholder,
                    format!(
                        "“{}”中还有模板的占位文字“{PLACEHOLDER_TEXT}）”",
                        sec.heading()
                    ),
                )
                .at(p.locate(Place::Text {
                    section: which,
                    part: None,
                }))
                .with_hint("填写本机关的实际情况"),
            );
        }
    }
    out
}
