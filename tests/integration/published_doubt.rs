//! Honest about doubt (issue 22): every value read from a foreign document is either certain —
//! its cell says a plain figure — or comes with an IMPORT warning at its cell that names the
//! table, row and column and what was seen; a row label matched only tolerantly is named too.
//! Pages written by hand the way government sites write them, with a few cells written the way
//! real pages write them (`1,234`, `１２`, `12件`, `0.5万元`, a note in brackets).

use crate::common::keep_dir;
use crate::published::{expected_government, government_page};
use xxgk::diag::{CellRef, Diagnostic, Location, Severity};
use xxgk::model::Report;
use xxgk::spec::format::ValueRef;
use xxgk::spec::place::Place;

/// Reads a page (written to a file) through the one input path; it must read without errors.
fn read(name: &str, page: &str) -> (Report, Vec<Diagnostic>) {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "doubt");
    let path = dir.join(name);
    std::fs::write(&path, page).unwrap();
    let p = xxgk::input::read_path(&path).unwrap();
    assert!(
        p.complete && !xxgk::diag::has_errors(&p.diagnostics),
        "{name} reads cleanly: {:#?}",
        p.diagnostics
    );
    (p.report, p.diagnostics)
}

/// The IMPORT warnings about one value or row (not the note on where the report came from).
fn doubts(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    diags
        .iter()
        .filter(|d| d.rule.id() == "IMPORT" && d.place.is_some())
        .collect()
}

fn at(sheet: &str, a1: &str) -> Location {
    let col = u32::from(a1.as_bytes()[0] - b'A');
    let row: u32 = a1[1..].parse().unwrap();
    Location::Sheet {
        sheet: sheet.into(),
        cell: CellRef::new(row - 1, col),
    }
}

fn yaml(r: &Report) -> String {
    xxgk::render::yaml::render(r)
}

fn all_values() -> Vec<ValueRef> {
    xxgk::spec::format::tables()
        .iter()
        .flat_map(|g| g.values().map(|(_, v)| v).collect::<Vec<_>>())
        .collect()
}

#[test]
fn a_clean_page_has_only_its_one_tolerant_label_in_doubt() {
    // The page prints “2.其他法律行政止公开” (characters dropped, as a real site printed it);
    // every figure is plain.
    let (report, diags) = read("clean.html", &government_page());
    let mut report = report;
    report.published = None;
    assert_eq!(yaml(&report), yaml(&expected_government()));
    let d = doubts(&diags);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].severity, Severity::Warning);
    assert_eq!(d[0].place, Some(Place::T3Row(5)));
    // Table 三 is the page's second table; the item label is in column C, row 9.
    assert_eq!(d[0].location, at("表格2", "C9"));
    assert!(
        d[0].message.contains("“2.其他法律行政止公开”")
            && d[0].message.contains("“2.其他法律行政法规禁止公开”")
            && d[0].message.contains("按后者读取"),
        "{}",
        d[0].message
    );
}

/// [`government_page`] with six cells written the way real pages write them.
fn doubtful_page() -> String {
    government_page()
        .replace(
            "<td>行政许可</td><td colspan=\"3\">1234</td>",
            "<td>行政许可</td><td colspan=\"3\">1,234</td>",
        )
        .replace(
            "<td>行政事业性收费</td><td colspan=\"3\">12.50</td>",
            "<td>行政事业性收费</td><td colspan=\"3\">12.50万元</td>",
        )
        .replace(
            "一、本年新收政府信息公开申请数量</td><td>20</td>",
            "一、本年新收政府信息公开申请数量</td><td>２０</td>",
        )
        .replace(
            "（一）予以公开</td><td>12</td>",
            "（一）予以公开</td><td>12件</td>",
        )
        .replace(
            "四、结转下年度继续办理</td><td>1</td>",
            "四、结转下年度继续办理</td><td>1 （其中1件为跨年度申请）</td>",
        )
        .replace(
            "<tr><td>2</td><td>1</td><td>0</td><td>0</td><td>3</td>",
            "<tr><td>2</td><td>1</td><td>0</td><td>0</td><td>3 件</td>",
        )
}

#[test]
fn cells_that_are_not_plain_figures_are_read_and_each_is_named() {
    let page = doubtful_page();
    let (mut report, diags) = read("doubtful.html", &page);
    report.published = None;
    // The values are taken right; the bracket is the cell's note.
    let carried = ValueRef::T3 { row: 24, col: 0 };
    let note = report.cell_mut_count(carried).unwrap();
    assert_eq!(note.note.as_deref(), Some("其中1件为跨年度申请"));
    note.note = None;
    assert_eq!(yaml(&report), yaml(&expected_government()));
    let new = ValueRef::T3 { row: 0, col: 0 };
    let granted = ValueRef::T3 { row: 2, col: 0 };
    let review = ValueRef::T4 { group: 0, col: 4 };
    let want: Vec<(Place, Location, &str)> = vec![
        (
            ValueRef::T2Decision { row: 0 }.into(),
            at("表格1", "B7"),
            "表二“行政许可”行读到“1,234”（千位分隔符），按 1234 读取",
        ),
        (
            ValueRef::T2Fee.into(),
            at("表格1", "B14"),
            "表二“行政事业性收费”行读到“12.50万元”（单位“万元”），按 12.50 读取",
        ),
        (
            new.into(),
            at("表格2", "D4"),
            "表三“本年新收”行“自然人”列读到“２０”（全角数字），按 20 读取",
        ),
        (
            granted.into(),
            at("表格2", "D6"),
            "表三“予以公开”行“自然人”列读到“12件”（单位“件”），按 12 读取",
        ),
        (Place::T3Row(5), at("表格2", "C9"), "“2.其他法律行政止公开”"),
        (
            carried.into(),
            at("表格2", "D28"),
            "表三“结转下年度继续办理”行“自然人”列读到“1（其中1件为跨年度申请）”（括号中的说明），按 1 读取，括号中的“其中1件为跨年度申请”作为注释",
        ),
        (
            review.into(),
            at("表格3", "E4"),
            "表四“行政复议”的“总计”列读到“3件”（单位“件”），按 3 读取",
        ),
    ];
    let mut got: Vec<&Diagnostic> = doubts(&diags);
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for (place, loc, text) in want {
        let i = got
            .iter()
            .position(|d| d.place == Some(place))
            .unwrap_or_else(|| panic!("no warning at {place:?}: {got:#?}"));
        let d = got.remove(i);
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(d.location, loc, "{}", d.message);
        assert!(d.message.contains(text), "{} / {text}", d.message);
    }
    // Every other value is certain: no warning names it.
    for v in all_values() {
        let named = diags
            .iter()
            .filter(|d| d.place == Some(Place::from(v)))
            .count();
        assert!(named <= 1, "{v:?}");
    }
}

#[test]
fn a_table_written_with_units_throughout_gets_one_warning_for_the_cause() {
    // Every cell of table 三 that holds a figure is written with 件: one warning for the table
    // (naming the first cell and how many), not forty.
    let page = government_page();
    let (head, rest) = page.split_once("申请人情况").unwrap();
    let (t3, tail) = rest.split_once("</table>").unwrap();
    let mut out = String::new();
    let mut n = 0;
    let mut s = t3;
    while let Some(i) = s.find("<td>") {
        out.push_str(&s[..i + 4]);
        s = &s[i + 4..];
        let end = s.find("</td>").unwrap();
        let cell = &s[..end];
        if !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(cell);
            out.push('件');
            n += 1;
        } else {
            out.push_str(cell);
        }
        s = &s[end..];
    }
    out.push_str(s);
    assert!(n > 40, "{n}");
    let page = format!("{head}申请人情况{out}</table>{tail}");
    let (mut report, diags) = read("units.html", &page);
    report.published = None;
    assert_eq!(yaml(&report), yaml(&expected_government()));
    let d = doubts(&diags);
    let folded: Vec<_> = d
        .iter()
        .filter(|d| d.place == Some(Place::Table(xxgk::spec::format::TableId::T3)))
        .collect();
    assert_eq!(folded.len(), 1, "{d:#?}");
    assert!(
        folded[0]
            .message
            .contains(&format!("表三有 {n} 格的数字不是单纯的数字（单位“件”）")),
        "{}",
        folded[0].message
    );
    assert_eq!(folded[0].location, at("表格2", "D4"));
    // Besides it, only the tolerant label.
    assert_eq!(d.len(), 2, "{d:#?}");
}

/// The tables of the three flattened pages in `tests/published/flat-*.txt` (the same figures,
/// flattened the three ways real pages' text comes: bars around each row with the cells a span
/// covers as `||`; a bar after each cell with 商业企业 wrapped over two lines; one cell per line).
const FLAT_TABLES: &str = r#"机关: 某局
年度: 2023
主动公开:
  规章: [0, 0, 0]
  行政规范性文件: [3, 0, 101]
  行政许可: 1234
  行政处罚: 56
  行政强制: 0
  行政事业性收费: 0
申请情况:
  本年新收: [8, 1, 0, 0, 0, 0, 9]
  上年结转: [1, ~, ~, ~, ~, ~, 1]
  予以公开: [4, 1, 0, 0, 0, 0, 5]
  部分公开: [1, 0, 0, 0, 0, 0, 1]
  不予公开:
    其他法律行政法规禁止公开: [1, ~, ~, ~, ~, ~, 1]
  无法提供:
    本机关不掌握相关政府信息: [2, ~, ~, ~, ~, ~, 2]
  总计: [8, 1, 0, 0, 0, 0, 9]
  结转下年度继续办理: [1, 0, 0, 0, 0, 0, 1]
复议诉讼:
  行政复议: [1, 0, 0, 0, 1]
  未经复议直接起诉: [0, 0, 0, 0, 0]
  复议后起诉: [0, 0, 0, 0, 0]
"#;

/// Reads a flattened page and checks every table cell, the 机关, the 年度 and exactly the
/// warnings `want` (place, the rebuilt table's cell, a part of the message).
fn flat_page(file: &str, body: &str, edits: &[(&str, &str)], want: &[(Place, &str, &str)]) {
    let path = crate::common::root().join("tests/published").join(file);
    let p = xxgk::input::read_path(&path).unwrap();
    assert!(
        p.complete && !xxgk::diag::has_errors(&p.diagnostics),
        "{file}: {:#?}",
        p.diagnostics
    );
    let mut yaml = FLAT_TABLES.to_string();
    for (a, b) in edits {
        assert!(yaml.contains(a), "{a}");
        yaml = yaml.replace(a, b);
    }
    let expected = xxgk::input::yaml::read_str(&yaml);
    // Only the tables are given (the texts are missing): no value may be in error.
    assert!(
        !expected
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error && d.rule.id() != "SCHEMA"),
        "{:#?}",
        expected.diagnostics
    );
    for v in all_values() {
        assert_eq!(
            p.report.cell_text(v),
            expected.report.cell_text(v),
            "{file} {}",
            v.path()
        );
    }
    assert_eq!(p.report.body, body);
    assert_eq!(p.report.year, 2023);
    let mut got = doubts(&p.diagnostics);
    assert_eq!(got.len(), want.len(), "{file}: {got:#?}");
    for (place, cell, text) in want {
        let i = got
            .iter()
            .position(|d| d.place.as_ref() == Some(place))
            .unwrap_or_else(|| panic!("{file}: no warning at {place:?}: {got:#?}"));
        let d = got.remove(i);
        let (sheet, a1) = cell.split_once('!').unwrap();
        assert_eq!(d.location, at(sheet, a1), "{file}: {}", d.message);
        assert!(d.message.contains(text), "{file}: {} / {text}", d.message);
    }
}

#[test]
fn a_page_flattened_with_bars_around_each_row_reads_exactly() {
    flat_page(
        "flat-bars-around.txt",
        "某市交通运输局",
        &[],
        &[
            (
                ValueRef::T2Decision { row: 0 }.into(),
                "表二!B7",
                "表二“行政许可”行读到“1,234”（千位分隔符），按 1234 读取",
            ),
            (
                ValueRef::T3 { row: 0, col: 0 }.into(),
                "表三!D4",
                "表三“本年新收”行“自然人”列读到“８”（全角数字），按 8 读取",
            ),
            (
                Place::T3Row(5),
                "表三!C9",
                "表三的行标签“2.其他法律行政止公开”与官方标签“2.其他法律行政法规禁止公开”不完全一致，按后者读取",
            ),
        ],
    );
}

#[test]
fn a_page_flattened_with_a_bar_after_each_cell_reads_exactly() {
    flat_page(
        "flat-bars-after.txt",
        "某县自然资源局",
        &[
            ("予以公开: [4,", "予以公开: [{数: 4, 注: 含1件部分答复},"),
            ("行政事业性收费: 0", "行政事业性收费: 0.5"),
        ],
        &[
            (
                ValueRef::T2Decision { row: 1 }.into(),
                "表二!B10",
                "表二“行政处罚”行读到“56件”（单位“件”），按 56 读取",
            ),
            (
                ValueRef::T2Fee.into(),
                "表二!B14",
                "表二“行政事业性收费”行读到“0.5万元”（单位“万元”），按 0.5 读取",
            ),
            (
                ValueRef::T3 { row: 2, col: 0 }.into(),
                "表三!D6",
                "读到“4（含1件部分答复）”（括号中的说明），按 4 读取，括号中的“含1件部分答复”作为注释",
            ),
        ],
    );
}

#[test]
fn a_page_flattened_one_cell_per_line_reads_exactly() {
    // “4.无正当理由大量反复 申请” (a space where the label wrapped) is the label itself: no warning.
    flat_page(
        "flat-cell-per-line.txt",
        "某区统计局",
        &[],
        &[
            (
                ValueRef::T3 { row: 24, col: 6 }.into(),
                "表三!J28",
                "表三“结转下年度继续办理”行“总计”列读到“1 件”（单位“件”），按 1 读取",
            ),
            (
                ValueRef::T4 { group: 0, col: 4 }.into(),
                "表四!E4",
                "表四“行政复议”的“总计”列读到“1件”（单位“件”），按 1 读取",
            ),
        ],
    );
}

#[test]
fn a_label_cut_at_its_end_is_named_and_the_short_form_is_not() {
    // “（二）部分公开” is the label without its remark (its key): certain. A label cut at its end
    // is read as the official one it starts like, and named.
    let page = government_page()
        .replace(
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "（二）部分公开",
        )
        .replace(
            "二、上年结转政府信息公开申请数量",
            "二、上年结转政府信息公开申请",
        );
    let (mut report, diags) = read("labels.html", &page);
    report.published = None;
    assert_eq!(yaml(&report), yaml(&expected_government()));
    let d = doubts(&diags);
    assert_eq!(d.len(), 2, "{d:#?}");
    let cut = d
        .iter()
        .find(|d| d.place == Some(Place::T3Row(1)))
        .unwrap_or_else(|| panic!("{d:#?}"));
    assert_eq!(cut.location, at("表格2", "A5"));
    assert!(
        cut.message.contains(
            "表三的行标签“二、上年结转政府信息公开申请”与官方标签“二、上年结转政府信息公开申请数量”不完全一致"
        ),
        "{}",
        cut.message
    );
    // The other is the typo the page always had.
    assert!(d.iter().any(|d| d.place == Some(Place::T3Row(5))));
}

#[test]
fn a_workbook_keeps_its_own_rules() {
    // The same cells in the clerk's own workbook: `1,234` read as before with no IMPORT warning,
    // `12件` still a VALUE error (the workbook is the clerk's to correct).
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("表二").unwrap();
    for (r, (label, value)) in [("行政许可", "1,234"), ("行政处罚", "12件")]
        .into_iter()
        .enumerate()
    {
        ws.write_string(r as u32, 0, label).unwrap();
        ws.write_string(r as u32, 1, value).unwrap();
    }
    let p = xxgk::input::excel::read_bytes(&wb.save_to_buffer().unwrap());
    assert_eq!(p.report.table2.decisions[0].value, 1234);
    assert!(
        !p.diagnostics.iter().any(|d| d.rule.id() == "IMPORT"),
        "{:#?}",
        p.diagnostics
    );
    assert!(p.diagnostics.iter().any(|d| d.rule.id() == "VALUE"
        && d.place == Some(ValueRef::T2Decision { row: 1 }.into())
        && d.message.contains("12件")));
}

#[test]
fn libreoffices_word_file_of_the_page_names_the_same_cells() {
    // The page opened by LibreOffice and saved as a Word file (its own tables, merges and
    // producer): the same six cells and the label are named, the values taken the same.
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "doubt-docx");
    let html = dir.join("doubtful.html");
    std::fs::write(&html, doubtful_page()).unwrap();
    let docx = crate::common::libreoffice(&html, "docx:MS Word 2007 XML", &dir);
    let p = xxgk::input::read_path(&docx).unwrap();
    assert!(
        p.complete && !xxgk::diag::has_errors(&p.diagnostics),
        "{:#?}",
        p.diagnostics
    );
    let (html_report, html_diags) = read("doubtful.html", &doubtful_page());
    for v in all_values() {
        assert_eq!(
            p.report.cell_text(v),
            html_report.cell_text(v),
            "{}",
            v.path()
        );
    }
    let places = |d: &[Diagnostic]| {
        let mut v: Vec<String> = doubts(d)
            .iter()
            .filter(|d| d.message.contains("读到") || d.message.contains("行标签"))
            .map(|d| format!("{:?}", d.place))
            .collect();
        v.sort();
        v
    };
    assert_eq!(places(&p.diagnostics), places(&html_diags));
    assert_eq!(places(&html_diags).len(), 7);
    assert!(p
        .diagnostics
        .iter()
        .any(|d| d.message.contains("生成程序：LibreOffice")));
}

#[test]
fn table_two_without_its_header_is_read_by_position_and_said() {
    // The header 本年制发件数 / 本年废止件数 / 现行有效件数 left out: the three cells right of
    // 规章 and 行政规范性文件 are read in order, and each row says so.
    let page = government_page().replace(
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>",
        "",
    );
    let (mut report, diags) = read("no-header.html", &page);
    report.published = None;
    assert_eq!(yaml(&report), yaml(&expected_government()));
    let guessed: Vec<_> = doubts(&diags)
        .into_iter()
        .filter(|d| d.message.contains("没有找到表头"))
        .collect();
    assert_eq!(guessed.len(), 2, "{guessed:#?}");
    assert_eq!(guessed[0].place, Some(Place::T2Row(0)));
    assert_eq!(guessed[0].location, at("表格1", "A2"));
    assert_eq!(guessed[1].place, Some(Place::T2Row(1)));
}
