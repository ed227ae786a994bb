//! Bounds on a report's text as a whole. Each text is bounded where it is read, but a report can
//! still be huge in sum: YAML aliases repeat one long text in every section and every cell note,
//! a workbook's rows share one long string. Laid out, such a report takes gigabytes and minutes;
//! a real one is a few thousand characters. So the whole is bounded before anything is laid out,
//! in `check` as in `render` (the job's gate refuses it even with `--force`).

use crate::diag::{Diagnostic, Place, Rule};
use crate::input::Parsed;
use crate::model::Report;

/// The most characters a report may have in all its texts together (title, preface, the three
/// text sections, the 落款 and every cell note). The longest real reports seen hold about
/// 30,000; this leaves room for six times that and lays out in well under a second.
pub const MAX_REPORT_CHARS: usize = 200_000;

/// The longest note a table cell may carry (`22（其中修订16件）`): a note is printed inside the
/// cell, and a cell taller than a page cannot be printed.
pub const MAX_NOTE_CHARS: usize = 200;

/// The number of characters in every text of the report.
pub fn total_chars(r: &Report) -> usize {
    r.text_places()
        .iter()
        .filter_map(|p| r.text(p))
        .map(|t| t.chars().count())
        .sum()
}

/// Whether the report can be laid out at all (the job's gate asks this even under `--force`).
pub fn within(r: &Report) -> bool {
    total_chars(r) <= MAX_REPORT_CHARS && notes_too_long(r).next().is_none()
}

fn notes_too_long(r: &Report) -> impl Iterator<Item = (Place, usize)> + '_ {
    r.text_places().into_iter().filter_map(|p| {
        let Place::Value(_) = p else { return None };
        let n = r.text(&p)?.chars().count();
        (n > MAX_NOTE_CHARS).then_some((p, n))
    })
}

/// Rule TEXT for the report as a whole: its total text, and each cell note's length.
pub fn check(p: &Parsed) -> Vec<Diagnostic> {
    let r = &p.report;
    let mut out = vec![];
    let total = total_chars(r);
    if total > MAX_REPORT_CHARS {
        out.push(
            Diagnostic::error(
                Rule::Text,
                format!(
                    "报告的文字共 {total} 个字，超过上限 {MAX_REPORT_CHARS} 字（展开重复引用后计算），不像一份年度报告，不生成文件"
                ),
            )
            .with_hint("检查是否把同一段文字重复填进了许多地方（YAML 的 & 和 * 引用、Excel 中复制的长文字）"),
        );
    }
    for (place, n) in notes_too_long(r) {
        out.push(
            p.at_place(
                Diagnostic::error(
                    Rule::Text,
                    format!(
                    "“{}”的说明有 {n} 个字，超过上限 {MAX_NOTE_CHARS} 字：说明印在表格的单元格里",
                    place.path()
                ),
                )
                .with_hint("说明只写一句（如“其中修订16件”），较长的说明写在正文中"),
                place,
            ),
        );
    }
    out
}
