//! The Excel workbook: round trip through our own reader, determinism, layout, and how it looks
//! in LibreOffice Calc.

use crate::common;

use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;
use xxgk::diag::{Location, Rule};
use xxgk::input::excel::read_bytes;
use xxgk::model::{Amount, Count, Date, Decimal, Report, Section, Signature, Subsection, Text};
use xxgk::render::xlsx::{cell_text, render, template, template_filled, TemplateFill};
use xxgk::spec::format::{self, T3Role, ValueRef};

/// assert_eq on reports, printing only the differing lines.
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

fn assert_same(got: &Report, want: &Report, what: &str) {
    if got != want {
        let (g, w) = (format!("{got:#?}"), format!("{want:#?}"));
        let diff: Vec<String> = g
            .lines()
            .zip(w.lines())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .take(10)
            .map(|(i, (a, b))| format!("line {i}: got {a} / want {b}"))
            .collect();
        panic!("{what}: reports differ:\n{}", diff.join("\n"));
    }
}

fn c(v: u64) -> Count {
    Count::new(v)
}

/// A report with the seed's numbers (廊坊2021), notes, texts with blank-line paragraphs.
fn sample() -> Report {
    let mut r = Report {
        body: "廊坊市人民政府办公室".into(),
        year: 2021,
        title: None,
        published: Date::parse("2022-01-27"),
        preface: Text("依据《中华人民共和国政府信息公开条例》（以下简称《条例》）等规定编制本报告。\n\n所列数据统计期限为2021年1月1日至2021年12月31日。".into()),
        overview: Section {
            intro: Text("2021年，市政府办公室坚持以习近平新时代中国特色社会主义思想为指导，紧扣“十四五”开好局起好步。".into()),
            subsections: vec![
                Subsection {
                    title: "主动公开".into(),
                    body: Text("坚持把政府信息主动公开作为推进依法行政、建设法治政府的重要手段。\n\n全年主动公开政府信息2000余条。".into()),
                },
                Subsection { title: "依申请公开".into(), body: Text("全年受理政府信息公开申请100件。".into()) },
                Subsection { title: "政务新媒体".into(), body: Text("加强政务新媒体运行监管。".into()) },
            ],
        },
        problems: Section {
            intro: Text("2022年，市政府办公室将紧紧围绕服务经济社会发展大局。一是完善沟通协调机制。二是落实平台建设规范。".into()),
            subsections: vec![],
        },
        other: Section { intro: Text("本年度未收取信息处理费。".into()), subsections: vec![] },
        signature: Some(Signature { body: "廊坊市人民政府办公室".into(), date: Date::parse("2022-01-27") }),
        show_zero: Some(true),
        ..Report::default()
    };
    r.table2.documents = [
        [c(3), c(0), c(8)],
        [
            Count::with_note(22, Some("其中修订16件".into())),
            c(11),
            Count::with_note(48, Some("含自然失效2件".into())),
        ],
    ];
    r.table2.decisions = [c(0), c(5), c(1)];
    r.table2.fee = Amount {
        value: Decimal::parse("7730.28").unwrap(),
        note: None,
        blank: false,
    };
    let t3 = &mut r.table3.cells;
    let new = format::t3_row_index(T3Role::New);
    t3[new][0] = c(99);
    t3[new][1] = c(1);
    t3[2][0] = c(1); // 予以公开
    t3[12][0] = c(97); // 本机关不掌握相关政府信息
    t3[12][1] = c(1);
    t3[16][0] = c(1); // 重复申请
    r.table4.cells[0][0] = c(2);
    r.table4.cells[1][0] = c(2);
    r.compute_totals();
    r
}

#[test]
fn round_trip_keeps_every_value_note_and_text() {
    let report = sample();
    let bytes = render(&report).unwrap();
    let parsed = read_bytes(&bytes);
    assert!(parsed.complete);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert!(parsed.unreadable.is_empty(), "{:?}", parsed.unreadable);
    assert_same(&parsed.report, &report, "round trip");
}

#[test]
fn round_trip_fee_digits_zero_display_and_title() {
    for fee in [
        "7730.28",
        "59237.2449",
        "0",
        "7730.20",
        "96171.6",
        "123456789012345678901234.5",
    ] {
        let mut report = sample();
        report.table2.fee = Amount {
            value: Decimal::parse(fee).unwrap(),
            note: Some("暂估".into()),
            blank: false,
        };
        report.show_zero = Some(false);
        report.title = Some(vec![
            "廊坊市人民政府办公室".into(),
            "2021年政府信息公开工作年度报告".into(),
        ]);
        report.table3.cells[3][2] = Count::with_note(0, Some("含\"撤回\"1件".into()));
        report.compute_totals();
        // Whitespace at the ends and inside is kept exactly (YAML `|` leaves a final newline).
        report.other.intro = Text("  第一段。\n\n\n第二段 <b>&amp;</b>\n".into());
        let parsed = read_bytes(&render(&report).unwrap());
        assert!(
            parsed.diagnostics.is_empty(),
            "{fee}: {:?}",
            parsed.diagnostics
        );
        assert_eq!(parsed.report.table2.fee.value.to_string(), fee);
        assert_same(&parsed.report, &report, fee);
    }
}

#[test]
fn round_trip_of_an_inconsistent_total_keeps_the_given_number() {
    let mut report = sample();
    let new = format::t3_row_index(T3Role::New);
    report.table3.cells[new][6].value = 101; // parts say 100
    report.table4.cells[1][4].value = 9; // parts say 2
    let parsed = read_bytes(&render(&report).unwrap());
    assert_same(&parsed.report, &report, "round trip");
}

#[test]
fn rendering_is_deterministic() {
    let report = sample();
    assert_eq!(render(&report).unwrap(), render(&report).unwrap());
    assert_eq!(template(2024).unwrap(), template(2024).unwrap());
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes.to_vec())).unwrap()
}

#[test]
fn layout_sheets_merges_formulas() {
    let bytes = render(&sample()).unwrap();
    let mut wb = open(&bytes);
    assert_eq!(wb.sheet_names(), vec!["基本信息", "表二", "表三", "表四"]);

    // 表三: the section title on row 1, the corner note over A2:C4, data from row 5.
    let t3 = wb.worksheet_range("表三").unwrap();
    assert_eq!(
        t3.get_value((0, 0)),
        Some(&Data::String("三、收到和处理政府信息公开申请情况".into()))
    );
    // The corner note in two printed lines (a line break after its comma).
    assert_eq!(
        t3.get_value((1, 0))
            .map(|v| v.to_string().replace('\n', "")),
        Some(format::T3_CORNER_NOTE.to_string())
    );
    assert_eq!(
        t3.get_value((4, 0)),
        Some(&Data::String(format::T3_ROWS[0].label.into()))
    );
    assert_eq!(t3.get_value((4, 3)), Some(&Data::Float(99.0)));
    // Totals are formulas with their cached value.
    assert_eq!(t3.get_value((4, 9)), Some(&Data::Float(100.0)));
    let f = wb.worksheet_formula("表三").unwrap();
    let (fr, fc) = f.start().unwrap();
    let formula_at = |r: u32, c: u32| f.get_value((r - fr, c - fc)).cloned().unwrap_or_default();
    let _ = formula_at;
    let formulas: Vec<(u32, u32, String)> = f
        .used_cells()
        .filter(|(_, _, s)| !s.is_empty())
        .map(|(r, c, s)| (fr + r as u32, fc + c as u32, s.clone()))
        .collect();
    assert!(
        formulas.contains(&(4, 9, "SUM(D5:I5)".into())),
        "{formulas:?}"
    );
    // （七）总计 row = row 3 + 23 + 1 (title) → Excel row 28; its 自然人 sums rows 7..27.
    assert!(
        formulas.contains(&(27, 3, "SUM(D7:D27)".into())),
        "{formulas:?}"
    );
    assert_eq!(formulas.len(), 25 + 6);

    let merges = wb.merge_cells_by_sheet_name("表三").unwrap();
    let has = |r0: u32, c0: u32, r1: u32, c1: u32| {
        merges
            .iter()
            .any(|m| m.start == (r0, c0) && m.end == (r1, c1))
    };
    assert!(has(1, 0, 3, 2), "corner note 3x3");
    assert!(has(6, 0, 27, 0), "三、本年度办理结果 over 22 rows");
    assert!(has(8, 1, 15, 1), "（三）不予公开 over 8 rows");
    assert!(has(1, 3, 1, 9), "申请人情况 over 7 columns");

    let merges = wb.merge_cells_by_sheet_name("表四").unwrap();
    assert!(
        merges.iter().any(|m| m.start == (1, 5) && m.end == (1, 14)),
        "行政诉讼 over 10 columns"
    );

    // 表二: the note is in the number format, the value stays a number.
    let t2 = wb.worksheet_range("表二").unwrap();
    assert_eq!(t2.get_value((4, 1)), Some(&Data::Float(22.0)));
    let styles = wb.worksheet_style("表二").unwrap();
    let code = styles
        .get((4, 1))
        .unwrap()
        .number_format
        .as_ref()
        .unwrap()
        .format_code
        .clone();
    assert_eq!(code, "0\"（其中修订16件）\"");
    assert!(
        !styles
            .get((4, 1))
            .unwrap()
            .protection
            .as_ref()
            .unwrap()
            .locked,
        "input cell unlocked"
    );
    assert!(
        styles
            .get((4, 0))
            .unwrap()
            .protection
            .as_ref()
            .is_none_or(|p| p.locked),
        "label cell locked"
    );
    let fee = styles
        .get((14, 1))
        .unwrap()
        .number_format
        .as_ref()
        .unwrap()
        .format_code
        .clone();
    assert_eq!(fee, "0.00");
}

#[test]
fn xml_has_protection_validation_print_setup_and_fonts() {
    let bytes = template(2024).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let wbxml = read("xl/workbook.xml");
    assert!(
        wbxml.contains("表三!$2:$4"),
        "repeat header rows of 表三: {wbxml}"
    );
    assert!(wbxml.contains("表四!$2:$4"));
    let sheet3 = read("xl/worksheets/sheet3.xml");
    assert!(sheet3.contains("<sheetProtection"), "protected");
    assert!(!sheet3.contains("password"), "no password");
    assert!(sheet3.contains("paperSize=\"9\""));
    assert!(sheet3.contains("fitToHeight=\"0\""));
    assert!(sheet3.contains("horizontalCentered=\"1\""));
    assert!(sheet3.contains("type=\"whole\""));
    assert!(sheet3.contains("请输入大于或等于0的整数"));
    let sheet2 = read("xl/worksheets/sheet2.xml");
    assert!(sheet2.contains("type=\"decimal\""), "fee validation");
    let styles = read("xl/styles.xml");
    for font in ["宋体", "楷体_GB2312", "黑体"] {
        assert!(
            styles.contains(&format!(
                "<name val=\"{font}\"/><family val=\"2\"/><charset val=\"134\"/>"
            )),
            "{font}"
        );
    }
    let core = read("docProps/core.xml");
    // The house style's one stamp date: for a blank 2024 template, 1 January 2025.
    assert!(core.contains("2025-01-01"), "fixed creation date: {core}");
}

#[test]
fn blank_template_reads_as_zeros_with_schema_errors_for_body_and_year() {
    let parsed = read_bytes(&template(2024).unwrap());
    assert!(parsed.complete);
    let rules: Vec<Rule> = parsed.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(
        rules,
        vec![Rule::Schema, Rule::Schema],
        "{:?}",
        parsed.diagnostics
    );
    assert!(parsed
        .diagnostics
        .iter()
        .any(|d| d.message.contains("机关")));
    assert!(parsed
        .diagnostics
        .iter()
        .any(|d| d.message.contains("年度")));
    assert_eq!(parsed.report.table3, Report::default().table3);
    assert!(parsed.unreadable.is_empty());
    // Every cell path has its sheet and cell.
    for grid in format::tables() {
        for (_, v) in grid.values() {
            assert!(
                matches!(
                    parsed.locations.get(&v.into()),
                    Some(Location::Sheet { .. })
                ),
                "{}",
                v.path()
            );
        }
    }
    let first = ValueRef::T3 { row: 0, col: 0 };
    assert_eq!(
        parsed.locations.get(&first.into()).and_then(sheet_cell),
        sheet_at("表三", "D5")
    );
}

/// The template and a report opened in LibreOffice Calc: one A4 page wide, labels legible.
#[test]
fn libreoffice_renders_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("report.xlsx");
    std::fs::write(&xlsx, render(&sample()).unwrap()).unwrap();
    let pdf = common::libreoffice(&xlsx, "pdf", dir.path());
    let pdf = pdf.to_str().unwrap();
    let (_, info, _) = common::run("pdfinfo", &[pdf]);
    assert!(
        info.contains("595.") && info.contains("841."),
        "A4 pages: {info}"
    );
    // One page per sheet but table 三: each table fits one page wide and (here) one page
    // high; table 三, printed across the page at its size (not shrunk below 9 pt), takes two,
    // its header rows on both.
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.trim_end().ends_with(" 5")),
        "{info}"
    );
    let text = common::squash(&common::run("pdftotext", &[pdf, "-"]).1);
    for label in [
        "本年新收政府信息公开申请数量",
        "其他法律行政法规禁止公开",
        "未经复议直接起诉",
        "22（其中修订16件）",
        "7730.28",
    ] {
        assert!(text.contains(label), "{label} missing from the PDF");
    }
}

/// The example reports: YAML → workbook → the same report; the validator finds nothing, and a
/// broken total is reported at its sheet and cell.
#[test]
fn examples_round_trip_and_validate_with_sheet_locations() {
    for name in ["langfang-2021.yaml", "demo-2023.yaml"] {
        let yaml = xxgk::input::read_path(&common::example_path(name)).unwrap();
        assert!(
            yaml.diagnostics.iter().all(|d| !d.is_error()),
            "{name}: {:?}",
            yaml.diagnostics
        );
        let mut parsed = read_bytes(&render(&yaml.report).unwrap());
        // Cells left empty come back empty and given zeros as 0 (`assert_same` compares both).
        assert_same(&parsed.report, &yaml.report, name);
        xxgk::validate::check(&mut parsed, &Default::default());
        assert!(
            parsed.diagnostics.iter().all(|d| !d.is_error()),
            "{name}: {:?}",
            parsed.diagnostics
        );
    }
    let mut report = sample();
    let new = format::t3_row_index(T3Role::New);
    report.table3.cells[new][6].value = 101;
    let mut parsed = read_bytes(&render(&report).unwrap());
    xxgk::validate::check(&mut parsed, &Default::default());
    let d = parsed
        .diagnostics
        .iter()
        .find(|d| d.rule == Rule::T3Row)
        .expect("T3-ROW");
    assert_eq!(sheet_cell(&d.location), sheet_at("表三", "J5"));
}

/// Texts that repeat table labels (a subsection titled 行政复议) do not mislead the table search.
#[test]
fn texts_that_look_like_labels_do_not_move_the_tables() {
    let mut report = sample();
    for title in [
        "行政复议",
        "规章",
        "一、本年新收政府信息公开申请数量",
        "其他",
    ] {
        report.overview.subsections.push(Subsection {
            title: title.into(),
            body: Text(title.into()),
        });
    }
    report.problems.intro = Text("行政许可".into());
    let parsed = read_bytes(&render(&report).unwrap());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert_same(&parsed.report, &report, "label-like texts");
}

/// A workbook opened and saved again in LibreOffice Calc (as a clerk would after filling it in)
/// reads back as the same report: notes in number formats, fee digits and texts survive.
#[test]
fn libreoffice_resave_keeps_the_report() {
    let mut report = sample();
    report.table2.fee = Amount {
        value: Decimal::parse("7730.20").unwrap(),
        note: None,
        blank: false,
    };
    report.show_zero = Some(false);
    let dir = tempfile::tempdir().unwrap();
    // The workbook of `r` as LibreOffice saves it again (recalculating every formula), read back.
    let resave = |r: &Report| {
        let src = dir.path().join("in.xlsx");
        std::fs::write(&src, render(r).unwrap()).unwrap();
        let outdir = dir.path().join("out");
        let resaved = common::libreoffice(&src, "xlsx:Calc MS Excel 2007 XML", &outdir);
        read_bytes(&std::fs::read(resaved).unwrap())
    };
    let parsed = resave(&report);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert_same(&parsed.report, &report, "LibreOffice re-save");

    // The seed, zeros as published (empty cells and given zeros side by side, totals that
    // are `IF(COUNT(…)=0,"",SUM(…))`), through LibreOffice's recalculation and back.
    let seed = xxgk::input::yaml::read_str(&common::example("langfang-2021.yaml")).report;
    let parsed = resave(&seed);
    assert_same(&parsed.report, &seed, "LibreOffice re-save of the seed");
    let carried = format::t3_row_index(T3Role::CarriedIn);
    let cell = |col| parsed.report.cell_text(ValueRef::T3 { row: carried, col });
    assert_eq!((cell(0), cell(6)), (String::new(), "0".to_string()));
}

/// A sheet's XML with the formula of cell `at` replaced by the plain number `n`, style kept: what
/// a clerk who types over a total leaves.
fn typed_over(xml: &str, at: &str, n: u64) -> String {
    let start = xml.find(&format!("<c r=\"{at}\"")).expect("cell");
    let open_end = start + xml[start..].find('>').unwrap() + 1;
    let end = start + xml[start..].find("</c>").unwrap() + "</c>".len();
    assert!(xml[open_end..end].contains("<f>"), "{at} is a formula");
    format!("{}<v>{n}</v></c>{}", &xml[..open_end], &xml[end..])
}

fn sheet_text(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> String {
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The blank template ends with 填写说明 (opened first), which says what to fill, how to write
/// paragraphs, what is checked and how; the reader does not read it as data. Rendered workbooks
/// are documents and have no such sheet.
#[test]
fn template_has_an_instructions_sheet_the_reader_ignores() {
    let bytes = template(2025).unwrap();
    let mut wb = open(&bytes);
    assert_eq!(
        wb.sheet_names(),
        vec!["基本信息", "表二", "表三", "表四", "填写说明"]
    );
    // Paragraphs are broken into printed lines: read across the breaks.
    let text = sheet_text(&mut wb, "填写说明").replace('\n', "");
    for said in [
        "白色单元格",
        "Alt+Enter",
        "另起一段",
        "第一项加第二项之和等于第三项加第四项之和",
        "六类申请人之和",
        "（一）至（六）各项办理结果之和",
        "结果维持、结果纠正、其他结果、尚未审结之和",
        "xxgk check 填报.xlsx",
        "xxgk render 填报.xlsx",
    ] {
        assert!(text.contains(said), "填写说明 lacks {said}:\n{text}");
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.clone())).unwrap();
    let mut wbxml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut wbxml)
        .unwrap();
    assert!(
        wbxml.contains("activeTab=\"4\""),
        "opens on 填写说明: {wbxml}"
    );

    // Filled in, the template reads without a word about the instructions.
    let fill = TemplateFill {
        year: Some(2025),
        body: Some("某某县某某局"),
    };
    let parsed = read_bytes(&template_filled(2024, &fill).unwrap());
    assert!(parsed.complete);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.report.table3, Report::default().table3);

    let rendered = render(&sample()).unwrap();
    assert!(!open(&rendered)
        .sheet_names()
        .contains(&"填写说明".to_string()));
}

/// `template --xlsx --year 2025 --body …` fills 年度 and 机关; without them both stay blank.
#[test]
fn template_year_and_body_fill_their_cells() {
    let fill = TemplateFill {
        year: Some(2025),
        body: Some("某某市某某局"),
    };
    let bytes = template_filled(2030, &fill).unwrap();
    let range = open(&bytes).worksheet_range("基本信息").unwrap();
    assert_eq!(
        range.get_value((0, 1)),
        Some(&Data::String("某某市某某局".into()))
    );
    assert_eq!(range.get_value((1, 1)), Some(&Data::Float(2025.0)));
    let parsed = read_bytes(&bytes);
    assert_eq!(parsed.report.body, "某某市某某局");
    assert_eq!(parsed.report.year, 2025);

    let blank = template_filled(2025, &TemplateFill::default()).unwrap();
    assert_eq!(blank, template(2025).unwrap());
    let range = open(&blank).worksheet_range("基本信息").unwrap();
    assert!(matches!(range.get_value((1, 1)), None | Some(Data::Empty)));
}

/// In a cell one line break (Alt+Enter) starts a paragraph: the writer writes paragraphs one per
/// line and the reader reads each line as a paragraph, so texts round-trip exactly.
#[test]
fn alt_enter_starts_a_paragraph() {
    let mut report = sample();
    report.preface = Text("第一段。\n\n第二段。\n\n第三段。".into());
    report.overview.subsections[0].body = Text("甲。\n\n乙。".into());
    let bytes = render(&report).unwrap();
    let range = open(&bytes).worksheet_range("基本信息").unwrap();
    let cells: Vec<String> = range
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    // What a clerk types: one Alt+Enter between paragraphs.
    assert!(
        cells.contains(&"第一段。\n第二段。\n第三段。".to_string()),
        "{cells:?}"
    );
    assert!(cells.contains(&"甲。\n乙。".to_string()), "{cells:?}");
    let parsed = read_bytes(&bytes);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert_same(&parsed.report, &report, "paragraphs");
    assert_eq!(
        parsed.report.preface.paragraphs(),
        vec!["第一段。", "第二段。", "第三段。"]
    );

    // Lines a YAML file breaks inside a paragraph are one paragraph in the cell too.
    let mut wrapped = sample();
    wrapped.preface = Text("同一段的\n两行。\n\n下一段。".into());
    let parsed = read_bytes(&render(&wrapped).unwrap());
    assert_eq!(
        parsed.report.preface.paragraphs(),
        wrapped.preface.paragraphs()
    );
    assert_eq!(
        parsed.report.preface,
        Text("同一段的两行。\n\n下一段。".into())
    );
}

#[test]
fn cell_texts() {
    let t = |s: &str| cell_text(&Text(s.into()));
    assert_eq!(t("甲\n\n乙"), "甲\n乙");
    assert_eq!(t("甲\n\n\n乙\n"), "甲\n\n\n乙\n");
    assert_eq!(t("  甲\n\n乙  "), "  甲\n乙  ");
    assert_eq!(t("甲\n乙\n\n丙"), "甲乙\n丙");
    assert_eq!(t(""), "");
}

/// A number typed over a locked 总计 formula is named as such, at its cell, and the total keeps the
/// formula's value (the sum rules do not report the cell again). A total the writer wrote as a
/// number (a forced render) is data, left to the rules.
#[test]
fn a_number_typed_over_a_total_formula_is_named() {
    let bytes = render(&sample()).unwrap();
    // 表三 is the third sheet; J5 is 本年新收/总计 (100), J28 is （七）总计/总计 (100).
    let typed = common::edit_zip_part(&bytes, "xl/worksheets/sheet3.xml", |x| {
        typed_over(&typed_over(x, "J5", 101), "J28", 100)
    });
    let mut parsed = read_bytes(&typed);
    xxgk::validate::check(&mut parsed, &Default::default());
    let errors: Vec<_> = parsed.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{:#?}", parsed.diagnostics);
    let d = errors[0];
    assert_eq!(d.rule, Rule::Value);
    assert_eq!(
        d.message,
        "表三!J5 的总计公式被改成了数字 101（按各项计算应为 100）：总计由公式自动计算，请撤销改动或删除该数字"
    );
    assert_eq!(sheet_cell(&d.location), sheet_at("表三", "J5"));
    assert_eq!(
        d.place.map(|p| p.path()).as_deref(),
        Some("表三/本年新收/总计")
    );
    let new = format::t3_row_index(T3Role::New);
    assert_eq!(parsed.report.table3.cells[new][6].value, 100);

    // 表四 as well.
    let typed = common::edit_zip_part(&bytes, "xl/worksheets/sheet4.xml", |x| {
        typed_over(x, "E5", 7)
    });
    let parsed = read_bytes(&typed);
    let d = &parsed.diagnostics[0];
    assert!(
        d.message
            .starts_with("表四!E5 的总计公式被改成了数字 7（按各项计算应为 2）"),
        "{:?}",
        parsed.diagnostics
    );
}
