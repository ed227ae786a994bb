//! Reading workbooks laid out the way other offices lay them out: built here with
//! rust_xlsxwriter, read with `xxgk::input::excel::read_bytes`.

use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};
use xxgk::diag::{Location, Rule, Severity};
use xxgk::input::excel::read_bytes;
use xxgk::input::Parsed;
use xxgk::model::{Count, Decimal, Report};
use xxgk::spec::format::{self, T3Role, T3_CATEGORIES, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS};

/// A report whose table cells all differ, with consistent totals.
/// A sheet location as the user reads it: (`表三`, `D7`).
fn sheet_cell(l: &Location) -> Option<(String, String)> {
    match l {
        Location::Sheet { sheet, cell } => Some((sheet.clone(), cell.to_string())),
        _ => None,
    }
}

fn sheet_at(sheet: &str, cell: &str) -> Option<(String, String)> {
    Some((sheet.to_string(), cell.to_string()))
}

/// Where the place with this `docs/INPUT.md` path was found.
fn located<'a>(p: &'a Parsed, path: &str) -> Option<&'a Location> {
    p.locations
        .iter()
        .find(|(place, _)| place.path() == path)
        .map(|(_, l)| l)
}

fn expected() -> Report {
    let mut r = Report::default();
    for (i, row) in r.table3.cells.iter_mut().enumerate() {
        for (k, cell) in row.iter_mut().take(6).enumerate() {
            *cell = Count::new(((i * 7 + k * 3) % 5) as u64);
        }
    }
    // Balance the table: 新收 carries everything, nothing carried in or out.
    r.compute_totals();
    let total = format::t3_row_index(T3Role::ResultsTotal);
    let new = format::t3_row_index(T3Role::New);
    for k in 0..6 {
        r.table3.cells[new][k].value = r.table3.cells[total][k].value;
        r.table3.cells[1][k].value = 0;
        r.table3.cells[24][k].value = 0;
    }
    r.compute_totals();
    for g in 0..3 {
        for c in 0..4 {
            r.table4.cells[g][c] = Count::new((g * 4 + c) as u64 % 3 + 1);
        }
    }
    r.table2.documents = [
        [Count::new(3), Count::new(0), Count::new(8)],
        [Count::new(22), Count::new(11), Count::new(48)],
    ];
    r.table2.decisions = [Count::new(4), Count::new(5), Count::new(6)];
    r.table2.fee.value = Decimal::parse("96171.6").unwrap();
    r.compute_totals();
    r
}

/// How a test workbook writes its numbers.
#[derive(Clone, Copy, PartialEq)]
enum Numbers {
    /// Plain numbers, zero as 0.
    Plain,
    /// Numbers stored as text ("12"), zero cells left blank.
    TextBlankZero,
    /// Whole floats, totals as SUM formulas without cached values (rust_xlsxwriter caches 0).
    FormulaTotals,
}

#[derive(Clone, Copy)]
struct Style {
    /// `(三)` instead of `（三）`, `1、` instead of `1.`.
    half_width: bool,
    /// Category cells merged over their rows (else written on the first row only).
    merge_categories: bool,
    numbers: Numbers,
}

fn label(s: &str, st: Style) -> String {
    if !st.half_width {
        return s.to_string();
    }
    let s = s.replace('（', "(").replace('）', ")").replace('：', ":");
    // `1.` → `1、`
    match s.split_once('.') {
        Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
            format!("{n}、{rest}")
        }
        _ => s,
    }
}

fn col_name(c: u16) -> String {
    rust_xlsxwriter::utility::column_number_to_name(c)
}

fn put(ws: &mut Worksheet, r: u32, c: u16, v: u64, st: Style) {
    match st.numbers {
        Numbers::TextBlankZero if v == 0 => {}
        Numbers::TextBlankZero => {
            ws.write_string(r, c, v.to_string()).unwrap();
        }
        _ => {
            ws.write_number(r, c, v as f64).unwrap();
        }
    }
}

fn merge(ws: &mut Worksheet, r0: u32, c0: u16, r1: u32, c1: u16, text: &str) {
    ws.merge_range(r0, c0, r1, c1, text, &Format::new())
        .unwrap();
}

/// Table 三 at (top, left) in the official shape; returns the row after it.
fn write_t3(ws: &mut Worksheet, top: u32, left: u16, rep: &Report, st: Style) -> u32 {
    merge(
        ws,
        top,
        left,
        top + 2,
        left + 2,
        &label(format::T3_CORNER_NOTE, st),
    );
    merge(ws, top, left + 3, top, left + 9, format::T3_APPLICANTS);
    merge(ws, top + 1, left + 3, top + 2, left + 3, T3_COLUMNS[0]);
    merge(
        ws,
        top + 1,
        left + 4,
        top + 1,
        left + 8,
        format::T3_LEGAL_PERSONS,
    );
    merge(ws, top + 1, left + 9, top + 2, left + 9, T3_COLUMNS[6]);
    // Narrow columns: labels broken over lines as offices do.
    for (i, h) in [
        "商业\n企业",
        "科研\n机构",
        "社会公益\n组织",
        "法律服务\n机构",
        "其他",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(top + 2, left + 4 + i as u16, *h).unwrap();
    }
    let first = top + 3;
    let results: Vec<usize> = (0..25)
        .filter(|&i| matches!(T3_ROWS[i].role, T3Role::Result | T3Role::ResultsTotal))
        .collect();
    let mut seen = [false; 4];
    for (i, row) in T3_ROWS.iter().enumerate() {
        let r = first + i as u32;
        match (row.role, row.category) {
            (T3Role::New | T3Role::CarriedIn | T3Role::CarriedOut, _) => {
                merge(ws, r, left, r, left + 2, &label(row.label, st))
            }
            (_, None) => {
                if i == results[0] {
                    let n = results.len() as u32;
                    merge(ws, r, left, r + n - 1, left, format::T3_RESULTS_GROUP);
                }
                merge(ws, r, left + 1, r, left + 2, &label(row.label, st));
            }
            (_, Some(c)) => {
                if !seen[c] {
                    seen[c] = true;
                    let n = T3_ROWS.iter().filter(|x| x.category == Some(c)).count() as u32;
                    let text = label(T3_CATEGORIES[c].label, st);
                    if st.merge_categories {
                        merge(ws, r, left + 1, r + n - 1, left + 1, &text);
                    } else {
                        ws.write_string(r, left + 1, text).unwrap();
                    }
                }
                ws.write_string(r, left + 2, label(row.label, st)).unwrap();
            }
        }
        for k in 0..7 {
            let c = left + 3 + k as u16;
            let is_total = k == 6 || row.role == T3Role::ResultsTotal;
            if st.numbers == Numbers::FormulaTotals && is_total {
                let f = if k == 6 {
                    format!(
                        "=SUM({}{}:{}{})",
                        col_name(left + 3),
                        r + 1,
                        col_name(left + 8),
                        r + 1
                    )
                } else {
                    let (a, b) = (
                        first + results[0] as u32,
                        first + results[results.len() - 2] as u32,
                    );
                    format!("=SUM({}{}:{}{})", col_name(c), a + 1, col_name(c), b + 1)
                };
                ws.write_formula(r, c, Formula::new(f)).unwrap();
            } else {
                put(ws, r, c, rep.table3.cells[i][k].value, st);
            }
        }
    }
    first + 25
}

/// Table 二 as four stacked small tables (web-page style); returns the row after it.
fn write_t2(ws: &mut Worksheet, top: u32, left: u16, rep: &Report, st: Style) -> u32 {
    let mut r = top;
    let mut triple = 0;
    let mut count = 0;
    for block in format::T2_BLOCKS.iter() {
        merge(ws, r, left, r, left + 3, &label(block.title, st));
        r += 1;
        ws.write_string(r, left, format::T2_FIRST_HEADER).unwrap();
        if block.header.len() == 3 {
            for (i, h) in block.header.iter().enumerate() {
                ws.write_string(r, left + 1 + i as u16, *h).unwrap();
            }
        } else {
            merge(ws, r, left + 1, r, left + 3, &label(block.header[0], st));
        }
        r += 1;
        for row in block.rows {
            // The 2019 format's label.
            let text = if *row == "行政规范性文件" {
                "规范性文件"
            } else {
                row
            };
            ws.write_string(r, left, text).unwrap();
            match block.kind {
                format::T2Kind::Triple => {
                    for c in 0..3 {
                        put(
                            ws,
                            r,
                            left + 1 + c as u16,
                            rep.table2.documents[triple][c].value,
                            st,
                        );
                    }
                    triple += 1;
                }
                format::T2Kind::Count => {
                    ws.merge_range(r, left + 1, r, left + 3, "", &Format::new())
                        .unwrap();
                    put(ws, r, left + 1, rep.table2.decisions[count].value, st);
                    count += 1;
                }
                format::T2Kind::Amount => {
                    ws.write_string(r, left + 1, rep.table2.fee.value.to_string())
                        .unwrap();
                }
            }
            r += 1;
        }
    }
    r
}

/// Table 四 in the official shape; returns the row after it.
fn write_t4(ws: &mut Worksheet, top: u32, left: u16, rep: &Report, st: Style) -> u32 {
    merge(ws, top, left, top, left + 4, T4_GROUPS[0]);
    merge(ws, top, left + 5, top, left + 14, format::T4_LITIGATION);
    for (i, l) in T4_COLUMNS.iter().enumerate() {
        merge(ws, top + 1, left + i as u16, top + 2, left + i as u16, l);
    }
    merge(ws, top + 1, left + 5, top + 1, left + 9, T4_GROUPS[1]);
    merge(ws, top + 1, left + 10, top + 1, left + 14, T4_GROUPS[2]);
    for g in 1..3u16 {
        for (i, l) in T4_COLUMNS.iter().enumerate() {
            ws.write_string(top + 2, left + g * 5 + i as u16, *l)
                .unwrap();
        }
    }
    for g in 0..3u16 {
        for k in 0..5u16 {
            let c = left + g * 5 + k;
            if st.numbers == Numbers::FormulaTotals && k == 4 {
                let f = format!(
                    "=SUM({}{}:{}{})",
                    col_name(c - 4),
                    top + 4,
                    col_name(c - 1),
                    top + 4
                );
                ws.write_formula(top + 3, c, Formula::new(f)).unwrap();
            } else {
                put(
                    ws,
                    top + 3,
                    c,
                    rep.table4.cells[g as usize][k as usize].value,
                    st,
                );
            }
        }
    }
    top + 4
}

fn errors(p: &Parsed) -> Vec<String> {
    p.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {:?} {}", d.rule.id(), d.location, d.message))
        .collect()
}

/// The tables' values and notes, not whether a zero was typed or left empty (the office
/// workbooks here are built from reports with no empty cells).
fn values_only(r: &Report) -> Report {
    let mut r = r.clone();
    for c in r.counts_mut() {
        c.blank = false;
    }
    r.table2.fee.blank = false;
    r
}

fn assert_tables(p: &Parsed, want: &Report) {
    let (got, want) = (values_only(&p.report), values_only(want));
    let (p, want) = (&got, &want);
    assert_eq!(p.table2, want.table2);
    for (i, row) in want.table3.cells.iter().enumerate() {
        assert_eq!(
            p.table3.cells[i], *row,
            "表三 row {} {}",
            i, T3_ROWS[i].label
        );
    }
    assert_eq!(p.table4, want.table4);
}

/// One sheet with a title and all three tables stacked, title rows in between.
#[test]
fn one_sheet_with_all_tables_stacked() {
    let want = expected();
    let st = Style {
        half_width: true,
        merge_categories: true,
        numbers: Numbers::Plain,
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("年报数据").unwrap();
    ws.write_string(0, 0, "廊坊市统计局2023年政府信息公开工作年度报告")
        .unwrap();
    ws.write_string(2, 0, "二、主动公开政府信息情况").unwrap();
    let r = write_t2(ws, 3, 0, &want, st);
    ws.write_string(r + 1, 0, "三、收到和处理政府信息公开申请情况")
        .unwrap();
    let r = write_t3(ws, r + 2, 0, &want, st);
    ws.write_string(r + 1, 0, "四、政府信息公开行政复议、行政诉讼情况")
        .unwrap();
    write_t4(ws, r + 2, 0, &want, st);
    let p = read_bytes(&wb.save_to_buffer().unwrap());
    assert!(p.complete);
    assert_eq!(errors(&p), Vec::<String>::new());
    assert_tables(&p, &want);
    // 机关 and 年度 from the title row, with a warning saying so.
    assert_eq!(
        (p.report.body.as_str(), p.report.year),
        ("廊坊市统计局", 2023)
    );
    assert!(p
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Warning && d.message.contains("取自标题")));
    assert!(p.unreadable.is_empty());
}

/// One sheet per table with other names; tables at column C row 5; numbers as text and blank
/// zeros; half-width brackets; categories written once without merging.
#[test]
fn sheet_per_table_offset_text_numbers_blank_cells() {
    let want = expected();
    let st = Style {
        half_width: true,
        merge_categories: false,
        numbers: Numbers::TextBlankZero,
    };
    let mut wb = Workbook::new();
    write_t2(
        wb.add_worksheet().set_name("主动公开").unwrap(),
        4,
        2,
        &want,
        st,
    );
    write_t3(
        wb.add_worksheet().set_name("Sheet2").unwrap(),
        4,
        2,
        &want,
        st,
    );
    write_t4(
        wb.add_worksheet().set_name("复议诉讼").unwrap(),
        4,
        2,
        &want,
        st,
    );
    let p = read_bytes(&wb.save_to_buffer().unwrap());
    assert_tables(&p, &want);
    // Only 机关/年度 are missing (no 基本信息 sheet, no title).
    let errs = errors(&p);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(errs.iter().all(|e| e.starts_with("SCHEMA")));
    // Locations: sheet and cell of every value, from the table's real position.
    assert_eq!(
        located(&p, "表三/本年新收/自然人").and_then(sheet_cell),
        sheet_at("Sheet2", "F8")
    );
    assert_eq!(
        located(&p, "表三/无法提供/本机关不掌握相关政府信息").and_then(sheet_cell),
        sheet_at("Sheet2", "E20")
    );
    assert_eq!(
        located(&p, "表二/行政事业性收费").and_then(sheet_cell),
        sheet_at("主动公开", "D18")
    );
}

/// Totals as formulas whose cached value is 0: recomputed, never trusted.
#[test]
fn formula_totals_without_cached_values_are_recomputed() {
    let want = expected();
    let st = Style {
        half_width: false,
        merge_categories: true,
        numbers: Numbers::FormulaTotals,
    };
    let mut wb = Workbook::new();
    write_t2(wb.add_worksheet(), 0, 0, &want, st);
    write_t3(wb.add_worksheet(), 1, 0, &want, st);
    write_t4(wb.add_worksheet(), 1, 0, &want, st);
    let bytes = wb.save_to_buffer().unwrap();
    // The trap is real: calamine reads the totals as 0.
    let mut x: calamine::Xlsx<_> =
        calamine::Reader::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let range = calamine::Reader::worksheet_range(&mut x, "Sheet2").unwrap();
    assert_eq!(range.get_value((4, 9)), Some(&calamine::Data::Float(0.0)));
    let p = read_bytes(&bytes);
    assert_tables(&p, &want);
    let new = format::t3_row_index(T3Role::New);
    assert_ne!(p.report.table3.cells[new][6].value, 0);
}

/// A plain number in a total is given: kept as written for the validator to check.
#[test]
fn a_plain_total_is_kept_as_given() {
    let mut want = expected();
    want.table3.cells[0][6].value += 5;
    want.table4.cells[2][4].value = 99;
    let st = Style {
        half_width: false,
        merge_categories: true,
        numbers: Numbers::Plain,
    };
    let mut wb = Workbook::new();
    write_t2(wb.add_worksheet(), 0, 0, &want, st);
    write_t3(wb.add_worksheet(), 0, 0, &want, st);
    write_t4(wb.add_worksheet(), 0, 0, &want, st);
    let p = read_bytes(&wb.save_to_buffer().unwrap());
    assert_tables(&p, &want);
}

/// Typos and 2019 leftovers in labels are matched, but only within their category.
#[test]
fn label_variants_and_typos() {
    let want = expected();
    let st = Style {
        half_width: false,
        merge_categories: true,
        numbers: Numbers::Plain,
    };
    let mut wb = Workbook::new();
    write_t2(wb.add_worksheet(), 0, 0, &want, st);
    let ws = wb.add_worksheet();
    write_t3(ws, 0, 0, &want, st);
    // 洪泽's typo, and a label with its remark left off.
    ws.write_string(3 + 5, 2, "2.其他法律行政止公开").unwrap();
    ws.write_string(3 + 3, 1, "（二）部分公开").unwrap();
    ws.write_string(3 + 20, 2, "1、申请人无正当理由逾期不补正")
        .unwrap();
    write_t4(wb.add_worksheet(), 0, 0, &want, st);
    let p = read_bytes(&wb.save_to_buffer().unwrap());
    assert_tables(&p, &want);
    assert_eq!(errors(&p).len(), 2, "{:?}", errors(&p)); // 机关, 年度
}

#[test]
fn missing_table_three_is_a_schema_error_naming_it() {
    let want = expected();
    let st = Style {
        half_width: false,
        merge_categories: true,
        numbers: Numbers::Plain,
    };
    let mut wb = Workbook::new();
    write_t2(wb.add_worksheet(), 0, 0, &want, st);
    write_t4(wb.add_worksheet(), 0, 0, &want, st);
    let p = read_bytes(&wb.save_to_buffer().unwrap());
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.rule == Rule::Schema && d.message.contains("表三"))
        .expect("a SCHEMA error about 表三");
    assert!(d.message.contains(T3_ROWS[0].label), "{}", d.message);
    // Its cells are unknown, so the validator skips rules on them; the other tables are read.
    assert!(p
        .unreadable
        .iter()
        .any(|v| v.path() == "表三/本年新收/自然人"));
    assert_eq!(p.unreadable.len(), 25 * 7);
    assert_eq!(values_only(&p.report).table4, values_only(&want).table4);
}

#[test]
fn a_missing_row_is_a_schema_error_naming_the_label() {
    let want = expected();
    let st = Style {
        half_width: false,
        merge_categories: true,
        numbers: Numbers::Plain,
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("表三").unwrap();
    write_t3(ws, 0, 0, &want, st);
    ws.write_string(3 + 13, 2, "2.随便写的").unwrap(); // 没有现成信息需要另行制作
    let p = read_bytes(&wb.save_to_buffer().unwrap());
    let errs = errors(&p);
    assert!(
        errs.iter().any(|e| e.contains("没有现成信息需要另行制作")),
        "{errs:?}"
    );
    assert!(errs.iter().any(|e| e.contains("随便写的")), "{errs:?}");
    assert!(p
        .unreadable
        .iter()
        .any(|v| v.path() == "表三/无法提供/没有现成信息需要另行制作/自然人"));
}

/// Text, negative, fractional and oversized counts: VALUE errors at the cell.
#[test]
fn bad_count_cells_are_value_errors_at_their_cell() {
    let want = expected();
    let st = Style {
        half_width: false,
        merge_categories: true,
        numbers: Numbers::Plain,
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("表三").unwrap();
    ws.write_string(0, 0, "三、收到和处理政府信息公开申请情况")
        .unwrap();
    write_t3(ws, 1, 0, &want, st);
    ws.write_string(6, 3, "12件").unwrap(); // D7 = 予以公开 / 自然人
    ws.write_number(6, 4, -1.0).unwrap(); // E7
    ws.write_number(6, 5, 1.5).unwrap(); // F7
    ws.write_number(6, 6, 100_000_000.0).unwrap(); // G7
    let p = read_bytes(&wb.save_to_buffer().unwrap());
    let values: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.rule == Rule::Value)
        .collect();
    let at = |cell: &str| {
        values
            .iter()
            .find(|d| sheet_cell(&d.location) == sheet_at("表三", cell))
            .unwrap_or_else(|| panic!("no VALUE error at {cell}: {values:?}"))
    };
    assert_eq!(
        at("D7").place.map(|p| p.path()).as_deref(),
        Some("表三/予以公开/自然人")
    );
    assert!(at("D7").message.contains("12件"));
    assert!(at("E7").message.contains("负数"));
    assert!(at("F7").message.contains("不是整数"));
    assert!(at("G7").message.contains("上限"));
    assert_eq!(values.len(), 4);
    assert!(p
        .unreadable
        .iter()
        .any(|v| v.path() == "表三/予以公开/自然人"));
    // The row's total depends on an unreadable cell only if it was derived; here it is given.
    assert!(!p
        .unreadable
        .iter()
        .any(|v| v.path() == "表三/予以公开/总计"));
}

#[test]
fn not_an_xlsx_file_is_a_syntax_error() {
    let mut seed = 0x2545_f491_u32;
    let junk: Vec<u8> = (0..4096)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as u8
        })
        .collect();
    let mut truncated = xxgk::render::xlsx::template(2024).unwrap();
    truncated.truncate(truncated.len() / 2);
    for bytes in [junk, truncated, b"PK\x03\x04".to_vec(), vec![]] {
        let p = read_bytes(&bytes);
        assert!(!p.complete);
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.diagnostics[0].rule, Rule::Syntax);
    }
}

/// Our own template, filled in another program: numbers typed as text, a note typed in the cell.
#[test]
fn notes_typed_as_text_are_read() {
    let want = expected();
    let st = Style {
        half_width: false,
        merge_categories: true,
        numbers: Numbers::Plain,
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_t2(ws, 0, 0, &want, st);
    ws.write_string(3, 1, "22（其中修订16件）").unwrap(); // 行政规范性文件 / 本年制发
    ws.write_string(13, 1, "7730.20（暂估）").unwrap();
    let p = read_bytes(&wb.save_to_buffer().unwrap());
    assert_eq!(
        p.report.table2.documents[1][0],
        Count::with_note(22, Some("其中修订16件".into()))
    );
    assert_eq!(p.report.table2.fee.value.to_string(), "7730.20");
    assert_eq!(p.report.table2.fee.note.as_deref(), Some("暂估"));
}

/// Damaged copies of a real workbook: never a panic, always either a report or a SYNTAX error.
#[test]
fn damaged_workbooks_never_panic() {
    let good = xxgk::render::xlsx::render(&expected()).unwrap();
    let mut seed = 0x9e37_79b9_u32;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    for _ in 0..150 {
        let mut bytes = good.clone();
        for _ in 0..(next() % 4 + 1) {
            let i = next() as usize % bytes.len();
            bytes[i] ^= (next() % 255 + 1) as u8;
        }
        let p = read_bytes(&bytes);
        assert!(p.complete || p.diagnostics.iter().any(|d| d.rule == Rule::Syntax));
    }
}

/// A total formula whose cached value is an error (#REF!) is recomputed, not reported.
#[test]
fn a_total_formula_with_an_error_value_is_recomputed() {
    let want = expected();
    let st = Style {
        half_width: false,
        merge_categories: true,
        numbers: Numbers::Plain,
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_t4(ws, 0, 0, &want, st);
    ws.write_formula(3, 4, Formula::new("=SUM(A4:D4)").set_result("#REF!"))
        .unwrap();
    ws.write_formula(3, 9, Formula::new("=SUM(F4:I4)").set_result("0"))
        .unwrap();
    let p = read_bytes(&wb.save_to_buffer().unwrap());
    assert!(
        p.diagnostics.iter().all(|d| d.rule != Rule::Value),
        "{:?}",
        p.diagnostics
    );
    assert_eq!(values_only(&p.report).table4, values_only(&want).table4);
}

/// The 2019 format's one-row （六）其他处理: read into “3.其他” with a warning.
#[test]
fn one_row_other_handling_goes_to_other_with_a_warning() {
    let mut want = expected();
    let st = Style {
        half_width: false,
        merge_categories: false,
        numbers: Numbers::Plain,
    };
    let merged: [u64; 7] =
        std::array::from_fn(|k| (20..23).map(|i| want.table3.cells[i][k].value).sum());
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let first = 3;
    write_t3(ws, 0, 0, &want, st);
    // Row 20 becomes the single （六） row; rows 21 and 22 are emptied.
    ws.clear_cell(first + 20, 2);
    for k in 0..7u16 {
        ws.write_number(first + 20, 3 + k, merged[k as usize] as f64)
            .unwrap();
    }
    for r in [first + 21, first + 22] {
        for c in 2..10 {
            ws.clear_cell(r, c);
        }
    }
    let p = read_bytes(&wb.save_to_buffer().unwrap());
    for (k, m) in merged.iter().enumerate() {
        want.table3.cells[20][k].value = 0;
        want.table3.cells[21][k].value = 0;
        want.table3.cells[22][k].value = *m;
    }
    let t3_errors: Vec<String> = errors(&p)
        .into_iter()
        .filter(|e| e.contains("表三"))
        .collect();
    assert!(t3_errors.is_empty(), "{t3_errors:?}");
    assert!(p
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Warning && d.message.contains("2019")));
    assert_eq!(values_only(&p.report).table3, values_only(&want).table3);
}

/// A workbook of the tables (one sheet each, the office's sheet names) with a header written
/// by `head` on the first sheet, above table 二.
fn with_header(head: impl Fn(&mut Worksheet)) -> Parsed {
    let want = expected();
    let st = Style {
        half_width: false,
        merge_categories: true,
        numbers: Numbers::Plain,
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("主动公开").unwrap();
    head(ws);
    write_t2(ws, 6, 0, &want, st);
    let ws = wb.add_worksheet().set_name("依申请").unwrap();
    write_t3(ws, 1, 0, &want, st);
    let ws = wb.add_worksheet().set_name("复议诉讼").unwrap();
    write_t4(ws, 1, 0, &want, st);
    let p = read_bytes(&wb.save_to_buffer().unwrap());
    assert_tables(&p, &want);
    p
}

/// Writes a header above the tables.
type Header<'a> = Box<dyn Fn(&mut Worksheet) + 'a>;

#[test]
fn body_and_year_however_an_office_labels_them() {
    let body = "青山县人民政府办公室";
    // (label cells, how they are laid out)
    let layouts: Vec<(&str, Header<'_>)> = vec![
        (
            "填报单位 | 报告年度 side by side",
            Box::new(|ws| {
                ws.write_string(0, 0, "填报单位").unwrap();
                ws.write_string(0, 1, body).unwrap();
                ws.write_string(1, 0, "报告年度").unwrap();
                ws.write_number(1, 1, 2024.0).unwrap();
            }),
        ),
        (
            "单位名称：… in one cell, 年份 with 2024年",
            Box::new(|ws| {
                ws.write_string(0, 0, format!("单位名称：{body}")).unwrap();
                ws.write_string(1, 0, "年份:2024年").unwrap();
            }),
        ),
        (
            "labels above their values",
            Box::new(|ws| {
                ws.write_string(0, 2, "报送单位").unwrap();
                ws.write_string(0, 4, "年度").unwrap();
                ws.write_string(1, 2, body).unwrap();
                ws.write_string(1, 4, "2024年度").unwrap();
            }),
        ),
        (
            "a merged label, the value two columns on",
            Box::new(|ws| {
                ws.merge_range(0, 0, 0, 1, "填报机关", &Format::new())
                    .unwrap();
                ws.write_string(0, 3, body).unwrap();
                ws.write_string(2, 0, "统计年度").unwrap();
                ws.write_string(2, 1, "２０２４").unwrap();
            }),
        ),
        (
            "only a title",
            Box::new(|ws| {
                ws.write_string(0, 0, format!("{body}2024年政府信息公开工作年度报告"))
                    .unwrap();
            }),
        ),
        (
            "the body labelled, the year only in the title",
            Box::new(|ws| {
                ws.write_string(0, 0, "2024年政府信息公开工作年度报告统计表")
                    .unwrap();
                ws.write_string(1, 0, format!("{body}2024年政府信息公开工作年度报告"))
                    .unwrap();
                ws.write_string(2, 0, "单位").unwrap();
                ws.write_string(2, 1, body).unwrap();
            }),
        ),
    ];
    for (name, head) in layouts {
        let p = with_header(head);
        assert_eq!(errors(&p), Vec::<String>::new(), "{name}");
        assert_eq!(
            (p.report.body.as_str(), p.report.year),
            (body, 2024),
            "{name}"
        );
    }
}

#[test]
fn a_workbook_without_body_and_year_says_where_it_looked() {
    let p = with_header(|ws| {
        ws.write_string(0, 0, "单位：万元").unwrap();
    });
    let e = errors(&p);
    assert_eq!(e.len(), 2, "{e:?}");
    let body = p
        .diagnostics
        .iter()
        .find(|d| d.place.map(|p| p.path()).as_deref() == Some("机关"))
        .unwrap();
    assert!(
        body.message.contains("主动公开、依申请、复议诉讼"),
        "{}",
        body.message
    );
    assert!(
        body.message.contains("填报单位") || body.message.contains("机关名称"),
        "{}",
        body.message
    );
    assert!(body.hints[0].contains("A 列写"), "{:?}", body.hints);
}

#[test]
fn a_foreign_workbook_with_its_own_labels_converts_and_renders() {
    let dir = tempfile::tempdir().unwrap();
    let want = expected();
    let st = Style {
        half_width: true,
        merge_categories: false,
        numbers: Numbers::TextBlankZero,
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Sheet1").unwrap();
    ws.write_string(0, 0, "填报单位").unwrap();
    ws.write_string(0, 1, "青山县民政局").unwrap();
    ws.write_string(1, 0, "报告年度").unwrap();
    ws.write_string(1, 1, "2024").unwrap();
    let r = write_t2(ws, 3, 0, &want, st);
    let r = write_t3(ws, r + 1, 0, &want, st);
    write_t4(ws, r + 1, 0, &want, st);
    wb.save(dir.path().join("民政局.xlsx")).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = run(&["convert", "民政局.xlsx", "民政局.yaml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = std::fs::read_to_string(dir.path().join("民政局.yaml")).unwrap();
    assert!(
        yaml.contains("机关: 青山县民政局") && yaml.contains("年度: 2024"),
        "{yaml}"
    );
    let out = run(&["render", "民政局.xlsx", "-o", "out", "--to", "docx,pdf"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("错误"), "{err}");
    assert!(dir.path().join("out/民政局.pdf").exists());
}
