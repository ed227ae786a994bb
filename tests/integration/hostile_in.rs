//! Inputs read right, round 2: workbooks whose sheets, formulas, dates, merges or damage could be
//! misread, numbers that are not numbers a clerk writes, UTF-16 text, values too long to quote.
//! Each hostile input is built here from `examples/demo-2023.yaml` (its workbook by
//! `render::xlsx`, then edited part by part), and the commands are run on it: the exit code, a
//! Chinese message with its place, nothing written when the report is refused (every file in the
//! folder hashed before and after), and what is written read back by an independent reader.

use crate::common::{self, edit_zip_part, example, snapshot, xxgk};
use serde_json::Value;
use std::path::Path;
use xxgk::model::Report;

fn demo() -> Report {
    common::example_report("demo-2023.yaml")
}

fn demo_xlsx() -> Vec<u8> {
    xxgk::render::xlsx::render(&demo()).unwrap()
}

/// `check --format json` on one file: the exit code and the file's diagnostics.
fn check(dir: &Path, file: &str) -> (i32, Vec<Value>) {
    let (code, out, err) = xxgk(&["check", file, "--format", "json"], dir);
    let json: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    let diags = json["files"][0]["diagnostics"].as_array().unwrap().clone();
    (code, diags)
}

/// The diagnostics whose message contains `text`.
fn with<'a>(diags: &'a [Value], text: &str) -> Vec<&'a Value> {
    diags
        .iter()
        .filter(|d| d["message"].as_str().unwrap_or("").contains(text))
        .collect()
}

/// `render` on a refused report: exit 1, the message in Chinese, and not one file written or
/// changed in the folder.
fn render_refused(dir: &Path, file: &str, says: &str) {
    let before = snapshot(dir);
    let (code, out, err) = xxgk(&["render", file, "-o", "."], dir);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains(says) || out.contains(says), "{out}{err}");
    assert_eq!(
        snapshot(dir),
        before,
        "render of a refused report wrote nothing"
    );
    // Dropped onto the program: the same.
    let (code, out, err) = xxgk(&[file], dir);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        snapshot(dir),
        before,
        "drag-and-drop of a refused report wrote nothing"
    );
}

/// The shared-string index of `text` in a workbook.
fn shared_index(xlsx: &[u8], text: &str) -> usize {
    let sst = &common::zip_texts(xlsx)["xl/sharedStrings.xml"];
    sst.split("<si>")
        .skip(1)
        .position(|si| si.contains(&format!(">{text}<")))
        .unwrap_or_else(|| panic!("{text} not shared"))
}

/// The row (1-based) of the cell in column A of `part` that holds the shared string `text`.
fn row_of(xlsx: &[u8], part: &str, text: &str) -> u32 {
    let idx = shared_index(xlsx, text);
    let xml = &common::zip_texts(xlsx)[part];
    let needle = format!("t=\"s\"><v>{idx}</v>");
    let at = xml.find(&needle).expect("label cell");
    let head = &xml[..at];
    let cell = &head[head.rfind("<c r=\"A").expect("in column A") + 7..];
    cell[..cell.find('"').unwrap()].parse().unwrap()
}

/// `xml` with the cell `r` (such as `D5`) replaced by `cell` (its whole element).
fn replace_cell(xml: &str, r: &str, cell: &str) -> String {
    let start = xml
        .find(&format!("<c r=\"{r}\""))
        .unwrap_or_else(|| panic!("no cell {r}"));
    let rest = &xml[start..];
    let open_end = rest.find('>').unwrap();
    let end = if rest[..open_end].ends_with('/') {
        open_end + 1
    } else {
        rest.find("</c>").unwrap() + 4
    };
    format!("{}{cell}{}", &xml[..start], &xml[start + end..])
}

/// The style attribute of cell `r` (kept when a cell is replaced, so its number format stays).
fn style_of(xml: &str, r: &str) -> String {
    let start = xml.find(&format!("<c r=\"{r}\"")).unwrap();
    let open = &xml[start..start + xml[start..].find('>').unwrap()];
    open.split("s=\"")
        .nth(1)
        .map(|s| format!(" s=\"{}\"", &s[..s.find('"').unwrap()]))
        .unwrap_or_default()
}

/// The demo workbook with cell `r` of 表三 (sheet3) replaced by `inner` (the cell's attributes
/// beyond its place and style, then its content).
fn t3_cell(xlsx: &[u8], r: &str, inner: &str) -> Vec<u8> {
    edit_zip_part(xlsx, "xl/worksheets/sheet3.xml", |x| {
        let s = style_of(x, r);
        replace_cell(x, r, &format!("<c r=\"{r}\"{s}{inner}</c>"))
    })
}

/// A report read back from YAML written by `convert`, with serde_yaml (not our reader).
fn converted(dir: &Path, file: &str) -> serde_yaml::Value {
    let (code, out, err) = xxgk(&["convert", file, "back.yaml"], dir);
    assert_eq!(code, 0, "{out}{err}");
    let text = std::fs::read_to_string(dir.join("back.yaml")).unwrap();
    std::fs::remove_file(dir.join("back.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn t3_new_row(y: &serde_yaml::Value) -> Vec<u64> {
    y["申请情况"]["本年新收"]
        .as_sequence()
        .unwrap_or_else(|| panic!("{y:?}"))
        .iter()
        .map(|v| v.as_u64().unwrap_or(0))
        .collect()
}

// ---- 1. the sheet read is the visible one named as the table ----

/// A workbook whose tables are in sheets named `prefix` + 表二 …, with `body`'s numbers.
fn with_decoys(decoys: &[(&str, bool)], decoy_first: bool) -> Vec<u8> {
    use rust_xlsxwriter::Workbook;
    let real = demo();
    let mut wrong = demo();
    // The decoy's figures differ everywhere a test looks.
    wrong.table3.cells[0][0].value = 999;
    wrong.body = "错误的机关".to_string();
    let mut wb = Workbook::new();
    let add = |wb: &mut Workbook, report: &Report, prefix: &str, hidden: bool| {
        let before = wb.worksheets().len();
        {
            let info = wb.add_worksheet();
            info.set_name(format!("{prefix}基本信息")).unwrap();
            info.write(0, 0, "机关").unwrap();
            info.write(0, 1, report.body.as_str()).unwrap();
            info.write(1, 0, "年度").unwrap();
            info.write(1, 1, report.year).unwrap();
            info.write(2, 0, "一、总体情况").unwrap();
            info.write(3, 0, "概述").unwrap();
            info.write(3, 1, report.overview.intro.0.as_str()).unwrap();
        }
        xxgk::render::xlsx::add_tables(wb, report).unwrap();
        for ws in wb.worksheets_mut()[before..].iter_mut() {
            let name = format!("{prefix}{}", ws.name());
            if !prefix.is_empty() && !ws.name().starts_with(prefix) {
                ws.set_name(name).unwrap();
            }
            if hidden {
                ws.set_hidden(true);
            }
        }
    };
    if !decoy_first {
        add(&mut wb, &real, "", false);
    }
    for (prefix, hidden) in decoys {
        add(&mut wb, &wrong, prefix, *hidden);
    }
    if decoy_first {
        add(&mut wb, &real, "", false);
    }
    // The first sheet must be visible: Excel refuses a workbook whose active sheet is hidden.
    wb.worksheets_mut()
        .iter_mut()
        .find(|w| w.name() == "基本信息")
        .unwrap()
        .set_active(true);
    wb.save_to_buffer().unwrap()
}

#[test]
fn the_visible_sheet_named_as_the_table_is_read_not_a_hidden_or_earlier_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: [(&str, Vec<u8>, &str); 4] = [
        // Neither named as the table: last year's (2022年表三) loses to the one after it.
        (
            "years.xlsx",
            edit_zip_part(
                &with_decoys(&[("2022年", false)], true),
                "xl/workbook.xml",
                |x| x.replace("name=\"表三\"", "name=\"申请表\""),
            ),
            "2022年表三",
        ),
        // An earlier visible 2022年表三 (and 2022年基本信息).
        (
            "earlier.xlsx",
            with_decoys(&[("2022年", false)], true),
            "2022年表三",
        ),
        // Hidden copies named 表三 (2) …, before the real ones.
        ("hidden.xlsx", with_decoys(&[("旧", true)], true), "旧表三"),
        // Very hidden: the workbook's state attribute says so.
        (
            "very.xlsx",
            edit_zip_part(
                &with_decoys(&[("旧", true)], true),
                "xl/workbook.xml",
                |x| x.replace("state=\"hidden\"", "state=\"veryHidden\""),
            ),
            "旧表三",
        ),
    ];
    for (name, bytes, decoy) in cases {
        std::fs::write(d.join(name), bytes).unwrap();
        let (code, diags) = check(d, name);
        assert_eq!(code, 0, "{name}: {diags:?}");
        // Which sheet was used, and why, is said.
        let said = with(&diags, decoy);
        assert!(
            said.iter().any(|w| {
                let m = w["message"].as_str().unwrap();
                (m.contains("读取的是“表三”") || m.contains("读取的是“申请表”"))
                    && w["severity"] == "warning"
            }),
            "{name}: {diags:?}"
        );
        // The published figures are the visible table's (convert, read by serde_yaml).
        let y = converted(d, name);
        assert_eq!(t3_new_row(&y)[0], 40, "{name}");
        assert_eq!(y["机关"].as_str(), Some("青山县市场监督管理局"), "{name}");
    }
}

#[test]
fn a_table_only_in_a_hidden_sheet_is_read_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bytes = edit_zip_part(&demo_xlsx(), "xl/workbook.xml", |x| {
        x.replace("name=\"表三\"", "name=\"表三\" state=\"hidden\"")
    });
    std::fs::write(d.join("h.xlsx"), bytes).unwrap();
    let (code, diags) = check(d, "h.xlsx");
    assert_eq!(code, 0, "{diags:?}");
    let w = with(&diags, "隐藏的工作表“表三”");
    assert_eq!(w.len(), 1, "{diags:?}");
    assert_eq!(w[0]["sheet"], "表三");
}

// ---- 2. formulas without a result ----

#[test]
fn a_formula_without_a_result_is_worked_out_or_refused_never_read_as_zero() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = demo_xlsx();
    // Constant arithmetic without a result: worked out (40).
    std::fs::write(d.join("arith.xlsx"), t3_cell(&base, "D5", "><f>30+2*5</f>")).unwrap();
    let (code, diags) = check(d, "arith.xlsx");
    assert_eq!(code, 0, "{diags:?}");
    assert_eq!(t3_new_row(&converted(d, "arith.xlsx"))[0], 40);
    // A function or a reference without a result: refused at its cell.
    let cases = [
        ("nocache.xlsx", "><f>SUM(K1:K3)</f>"),
        // As scripts write it: a placeholder result 0 and fullCalcOnLoad (our workbook has it).
        ("zero.xlsx", "><f>SUM(K1:K3)</f><v>0</v>"),
        // A cell of a shared formula, without a text of its own.
        ("shared.xlsx", "><f t=\"shared\" si=\"0\"/>"),
    ];
    for (name, inner) in cases {
        std::fs::write(d.join(name), t3_cell(&base, "D5", inner)).unwrap();
        let (code, diags) = check(d, name);
        assert_eq!(code, 1, "{name}: {diags:?}");
        let e = with(&diags, "没有保存它的计算结果");
        assert_eq!(e.len(), 1, "{name}: {diags:?}");
        assert_eq!(
            (e[0]["sheet"].as_str(), e[0]["ref"].as_str()),
            (Some("表三"), Some("D5"))
        );
        assert!(e[0]["message"].as_str().unwrap().contains("表三!D5"));
        let hints = e[0]["hints"].to_string() + &e[0].to_string();
        assert!(hints.contains("Excel 或 WPS"), "{}", e[0]);
        // Not reported again as an imbalance of the value read as 0.
        assert!(with(&diags, "本年新收 0").is_empty(), "{diags:?}");
        render_refused(d, name, "没有保存它的计算结果");
    }
    // A text (机关) given by a formula without a result.
    let row = row_of(&base, "xl/worksheets/sheet1.xml", "机关");
    let bytes = edit_zip_part(&base, "xl/worksheets/sheet1.xml", |x| {
        let r = format!("B{row}");
        let s = style_of(x, &r);
        replace_cell(
            x,
            &r,
            &format!("<c r=\"{r}\"{s} t=\"str\"><f>\"青山县\"&amp;\"局\"</f></c>"),
        )
    });
    std::fs::write(d.join("text.xlsx"), bytes).unwrap();
    let (code, diags) = check(d, "text.xlsx");
    assert_eq!(code, 1, "{diags:?}");
    assert_eq!(with(&diags, "没有保存它的计算结果").len(), 1, "{diags:?}");
    // A formula whose result Excel saved is read as that result.
    let saved = edit_zip_part(
        &t3_cell(&base, "D5", "><f>SUM(K1:K3)</f><v>40</v>"),
        "xl/workbook.xml",
        |x| x.replace(" fullCalcOnLoad=\"1\"", ""),
    );
    std::fs::write(d.join("saved.xlsx"), saved).unwrap();
    let (code, diags) = check(d, "saved.xlsx");
    assert_eq!(code, 0, "{diags:?}");
    // A result other than the placeholder 0 was computed by someone, even in a workbook that asks
    // to recompute: kept.
    std::fs::write(
        d.join("kept.xlsx"),
        t3_cell(&base, "D5", "><f>SUM(K1:K3)</f><v>40</v>"),
    )
    .unwrap();
    let (code, diags) = check(d, "kept.xlsx");
    assert_eq!(code, 0, "{diags:?}");
    assert_eq!(t3_new_row(&converted(d, "kept.xlsx"))[0], 40);
}

// ---- 3. the 1904 date system ----

#[test]
fn dates_honour_the_1904_date_system() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = demo_xlsx();
    let info = "xl/worksheets/sheet1.xml";
    let published = row_of(&base, info, "发布日期");
    // 落款's 日期 row: the row after 落款 (A merged over two rows, B the sub-key).
    let signature = row_of(&base, info, "落款") + 1;
    // Serial days of 2024-01-26: 45317 in the 1900 system, 43855 in the 1904 one.
    let edit = |date1904: bool, serial: u32| {
        let b = edit_zip_part(&base, info, |x| {
            let x = replace_cell(
                x,
                &format!("B{published}"),
                &format!("<c r=\"B{published}\"><v>{serial}</v></c>"),
            );
            replace_cell(
                &x,
                &format!("C{signature}"),
                &format!("<c r=\"C{signature}\"><v>{serial}</v></c>"),
            )
        });
        if date1904 {
            edit_zip_part(&b, "xl/workbook.xml", |x| {
                x.replace("<workbookPr ", "<workbookPr date1904=\"1\" ")
            })
        } else {
            b
        }
    };
    for (name, bytes) in [
        ("d1904.xlsx", edit(true, 43855)),
        ("d1900.xlsx", edit(false, 45317)),
    ] {
        std::fs::write(d.join(name), bytes).unwrap();
        let (code, diags) = check(d, name);
        assert_eq!(code, 0, "{name}: {diags:?}");
        let y = converted(d, name);
        let date = |v: &serde_yaml::Value| match v {
            serde_yaml::Value::String(s) => s.clone(),
            other => format!("{other:?}"),
        };
        assert_eq!(date(&y["发布日期"]), "2024-01-26", "{name}");
        assert_eq!(date(&y["落款"]["日期"]), "2024-01-26", "{name}");
    }
}

// ---- 4. the damage is listed before what it causes ----

#[test]
fn a_damaged_sheet_is_listed_first_and_its_missing_rows_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 表三 cut off after its sixth row: the XML ends in the middle of a row.
    let bytes = edit_zip_part(&demo_xlsx(), "xl/worksheets/sheet3.xml", |x| {
        let at = x.find("<row r=\"7\"").unwrap();
        format!("{}<row r=\"7\"><c r=\"A7\" t=\"s\"><v>6", &x[..at])
    });
    std::fs::write(d.join("cut.xlsx"), bytes).unwrap();
    let (code, diags) = check(d, "cut.xlsx");
    assert_eq!(code, 1, "{diags:?}");
    assert_eq!(
        diags[0]["rule"], "SYNTAX",
        "the cause comes first: {diags:#?}"
    );
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("工作表“表三”的内容已损坏"));
    assert!(
        with(&diags, "表三缺少").is_empty(),
        "no row-by-row follow-ons: {diags:#?}"
    );
    let follow = with(&diags, "没有读到");
    assert_eq!(follow.len(), 1, "{diags:#?}");
    assert!(follow[0]["message"]
        .as_str()
        .unwrap()
        .contains("见前面的错误"));
    render_refused(d, "cut.xlsx", "已损坏");
    // The human output lists it first too.
    let (_, out, err) = xxgk(&["check", "cut.xlsx"], d);
    let all = out + &err;
    let first = all.lines().find(|l| l.starts_with("错误")).unwrap();
    assert!(first.contains("已损坏"), "{all}");

    // A sheet that cannot be opened at all: its table's absence points back at it.
    let bytes = edit_zip_part(&demo_xlsx(), "xl/worksheets/sheet3.xml", |_| {
        "<worksheet".into()
    });
    std::fs::write(d.join("gone.xlsx"), bytes).unwrap();
    let (code, diags) = check(d, "gone.xlsx");
    assert_eq!(code, 1, "{diags:?}");
    assert_eq!(diags[0]["rule"], "SYNTAX", "{diags:#?}");
    assert!(with(&diags, "表三缺少").is_empty(), "{diags:#?}");
}

// ---- 5. the Excel template filled only by --body/--year ----

#[test]
fn an_excel_template_with_only_body_and_year_is_unfilled_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("in");
    std::fs::create_dir(&input).unwrap();
    let (code, _, err) = xxgk(
        &[
            "template",
            "--xlsx",
            "-o",
            "in/t.xlsx",
            "--year",
            "2024",
            "--body",
            "青山县某局",
        ],
        d,
    );
    assert_eq!(code, 0, "{err}");
    std::fs::write(input.join("real.yaml"), example("demo-2023.yaml")).unwrap();
    let (code, diags) = check(&input, "t.xlsx");
    assert_eq!(code, 0, "a warning, not an error: {diags:?}");
    let w = with(&diags, "空白模板");
    assert_eq!(w.len(), 1, "{diags:?}");
    assert_eq!(w[0]["rule"], "PLACEHOLDER");
    render_refused(&input, "t.xlsx", "未填写完的模板");
    let before = snapshot(&input);
    let (code, _, err) = xxgk(&["batch", "in", "-o", "out", "--to", "xlsx"], d);
    assert_eq!(code, 1, "{err}");
    assert_eq!(snapshot(&input), before);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out/校验结果.json")).unwrap())
            .unwrap();
    let status = |f: &str| {
        json["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["file"] == f)
            .unwrap_or_else(|| panic!("{json}"))["status"]
            .clone()
    };
    assert_eq!(status("t.xlsx"), "未填写", "{json}");
    assert_eq!(status("real.yaml"), "通过", "{json}");
}

// ---- 6 and 7. numbers read strictly, with the hint a clerk needs ----

/// The demo YAML with 本年新收's first number written as `v`.
fn yaml_with(v: &str) -> String {
    let text = example("demo-2023.yaml");
    assert!(text.contains("本年新收: [40,"));
    text.replace("本年新收: [40,", &format!("本年新收: [{v},"))
}

#[test]
fn counts_in_yaml_are_digits_only_and_refusals_say_what_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let line = example("demo-2023.yaml")
        .lines()
        .position(|l| l.contains("本年新收: [40,"))
        .unwrap()
        + 1;
    let cases = [
        ("-0", "负号", "0"),
        ("0x10", "十六进制", "十进制"),
        ("0o17", "八进制", "十进制"),
        ("1e3", "科学计数法", "1000"),
        ("1.5e2", "科学计数法", "1000"),
        ("+5", "正号", "去掉"),
        ("\"-0\"", "负号", "0"),
        ("无", "不是数字", "没有就填 0 或留空"),
        ("/", "不是数字", "没有就填 0 或留空"),
        ("—", "不是数字", "没有就填 0 或留空"),
        ("\"N/A\"", "不是数字", "没有就填 0 或留空"),
        ("12件", "单位", "去掉单位"),
        ("1.5万元", "单位", "不是金额"),
        ("1.5", "不是整数", "整数"),
    ];
    for (i, (v, says, hint)) in cases.iter().enumerate() {
        let name = format!("n{i}.yaml");
        std::fs::write(d.join(&name), yaml_with(v)).unwrap();
        let (code, diags) = check(d, &name);
        assert_eq!(code, 1, "{v}: {diags:?}");
        let e = with(&diags, says);
        assert_eq!(e.len(), 1, "{v}: {diags:#?}");
        assert_eq!(e[0]["line"], line, "{v}");
        assert_eq!(e[0]["column"], 10, "{v}");
        assert!(e[0].to_string().contains(hint), "{v}: {}", e[0]);
        // One problem, said once: no imbalance of a value read as something else.
        assert_eq!(diags.len(), 1, "{v}: {diags:#?}");
    }
    render_refused(d, "n0.yaml", "负号");
    // The fee: units and words get their hints too.
    let fee = example("demo-2023.yaml");
    assert!(fee.contains("行政事业性收费: 12.50"));
    for (v, hint) in [
        ("1.5万元", "只填 1.5"),
        ("无", "没有就填 0 或留空"),
        ("-0", "不带符号"),
    ] {
        let text = fee.replace("行政事业性收费: 12.50", &format!("行政事业性收费: {v}"));
        std::fs::write(d.join("fee.yaml"), text).unwrap();
        let (code, diags) = check(d, "fee.yaml");
        assert_eq!(code, 1, "{v}: {diags:?}");
        assert!(
            diags.iter().any(|e| e.to_string().contains(hint)),
            "{v}: {diags:#?}"
        );
    }
    // The year too is read as typed.
    for v in ["0x7E7", "2.023e3", "+2023"] {
        let text = example("demo-2023.yaml").replace("年度: 2023", &format!("年度: {v}"));
        std::fs::write(d.join("year.yaml"), text).unwrap();
        let (code, diags) = check(d, "year.yaml");
        assert_eq!(code, 1, "{v}: {diags:?}");
        assert_eq!(with(&diags, "阿拉伯数字").len(), 1, "{v}: {diags:?}");
    }
    // Plain digits, full-width digits and a whole 12.0 are fine.
    for v in ["40", "\"４０\"", "40.0"] {
        std::fs::write(d.join("ok.yaml"), yaml_with(v)).unwrap();
        let (code, diags) = check(d, "ok.yaml");
        assert_eq!(code, 0, "{v}: {diags:?}");
    }
}

#[test]
fn counts_in_excel_text_cells_are_read_strictly_numbers_stay_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = demo_xlsx();
    let text = |v: &str| format!(" t=\"inlineStr\"><is><t>{v}</t></is>");
    let cases = [
        ("-0", "负号"),
        ("0x10", "十六进制"),
        ("1e3", "科学计数法"),
        ("无", "没有就填 0 或留空"),
        ("/", "没有就填 0 或留空"),
        ("—", "没有就填 0 或留空"),
        ("12件", "去掉单位"),
    ];
    for (i, (v, says)) in cases.iter().enumerate() {
        let name = format!("x{i}.xlsx");
        std::fs::write(d.join(&name), t3_cell(&base, "D5", &text(v))).unwrap();
        let (code, diags) = check(d, &name);
        assert_eq!(code, 1, "{v}: {diags:?}");
        let e: Vec<&Value> = diags
            .iter()
            .filter(|e| e.to_string().contains(says))
            .collect();
        assert_eq!(e.len(), 1, "{v}: {diags:#?}");
        assert_eq!(
            (e[0]["sheet"].as_str(), e[0]["ref"].as_str()),
            (Some("表三"), Some("D5"))
        );
    }
    // A numeric cell of 1000 is a number like any other (the sums then disagree, as they would).
    std::fs::write(d.join("num.xlsx"), t3_cell(&base, "D5", "><v>1000</v>")).unwrap();
    let (_, diags) = check(d, "num.xlsx");
    assert!(with(&diags, "不是数字").is_empty() && with(&diags, "科学计数法").is_empty());
    assert!(!with(&diags, "1000").is_empty(), "{diags:?}");
    // Text 40 and 1,000 are numbers.
    std::fs::write(d.join("t40.xlsx"), t3_cell(&base, "D5", &text("40"))).unwrap();
    assert_eq!(check(d, "t40.xlsx").0, 0);
}

// ---- 8. a value hidden under a merged range ----

#[test]
fn a_value_under_a_merged_range_is_ignored_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = demo_xlsx();
    // D5:E5 merged: E5's 10 is hidden under D5's 40 in Excel, and ignored here too.
    let bytes = edit_zip_part(&base, "xl/worksheets/sheet3.xml", |x| {
        let at = x.find("<mergeCells count=\"").unwrap() + 19;
        let n: usize = x[at..at + x[at..].find('"').unwrap()].parse().unwrap();
        let x = x.replacen("<mergeCell ", "<mergeCell ref=\"D5:E5\"/><mergeCell ", 1);
        x.replacen(
            &format!("<mergeCells count=\"{n}\""),
            &format!("<mergeCells count=\"{}\"", n + 1),
            1,
        )
    });
    assert!(common::zip_texts(&bytes)["xl/worksheets/sheet3.xml"].contains("D5:E5"));
    std::fs::write(d.join("m.xlsx"), bytes).unwrap();
    let (_, diags) = check(d, "m.xlsx");
    let w = with(&diags, "被合并区域 D5:E5 遮住");
    assert_eq!(w.len(), 1, "{diags:#?}");
    assert_eq!(w[0]["severity"], "warning");
    assert_eq!(
        (w[0]["sheet"].as_str(), w[0]["ref"].as_str()),
        (Some("表三"), Some("E5"))
    );
    assert!(w[0]["message"].as_str().unwrap().contains("表三!E5"));
    // The hidden 10 is not among the figures: the cell is blank, as Excel shows it.
    let p = xxgk::input::read_bytes(
        xxgk::input::Kind::Excel,
        &std::fs::read(d.join("m.xlsx")).unwrap(),
    );
    let cell = &p.report.table3.cells[0][1];
    assert!(cell.blank && cell.value == 0, "{cell:?}");
    assert_eq!(p.report.table3.cells[0][0].value, 40);
}

// ---- 9. UTF-16 ----

fn utf16(text: &str, big: bool, bom: bool) -> Vec<u8> {
    let mut out = vec![];
    if bom {
        out.extend(if big { [0xFE, 0xFF] } else { [0xFF, 0xFE] });
    }
    for u in text.encode_utf16() {
        out.extend(if big {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_yaml_is_read_and_said_to_be_utf16() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = example("demo-2023.yaml");
    for (i, (big, bom)) in [(false, true), (true, true), (false, false), (true, false)]
        .into_iter()
        .enumerate()
    {
        let name = format!("u{i}.yaml");
        std::fs::write(d.join(&name), utf16(&text, big, bom)).unwrap();
        let (code, diags) = check(d, &name);
        assert_eq!(code, 0, "{name}: {diags:?}");
        let w = with(&diags, "UTF-16");
        assert_eq!(w.len(), 1, "{name}: {diags:?}");
        assert!(with(&diags, "GBK").is_empty());
    }
    // Rendered like the UTF-8 file: the same workbook content (read back by calamine's
    // independent reading in `convert`, compared as YAML values).
    let (code, _, err) = xxgk(&["render", "u0.yaml", "-o", "out", "--to", "xlsx,pdf"], d);
    assert_eq!(code, 0, "{err}");
    let y = converted(d, "out/u0.xlsx");
    assert_eq!(t3_new_row(&y)[0], 40);
    let pdf = common::pdf_text(&d.join("out/u0.pdf"), None);
    assert!(common::squash(&pdf).contains("青山县市场监督管理局"));
    // An error in a UTF-16 file points at its line in the text.
    std::fs::write(d.join("bad.yaml"), utf16(&yaml_with("无"), false, true)).unwrap();
    let (code, diags) = check(d, "bad.yaml");
    assert_eq!(code, 1);
    assert!(
        with(&diags, "“无”")
            .iter()
            .any(|e| e["line"].as_u64().unwrap() > 1),
        "{diags:?}"
    );
}

// ---- 10. long values are quoted cut ----

#[test]
fn a_long_value_is_never_echoed_whole() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let long = "无".repeat(32_767);
    // The YAML library refuses a key over 1,024 bytes itself (a syntax error that does not
    // quote it); a key just under is quoted cut.
    let longer_key = "键".repeat(300);
    let yamls = [
        yaml_with(&long),
        example("demo-2023.yaml").replace("年度: 2023", &format!("年度: {long}")),
        example("demo-2023.yaml").replace("发布日期: 2024-01-26", &format!("发布日期: {long}")),
        format!("{}\n{longer_key}: 1\n", example("demo-2023.yaml")),
        // Digits the hints would repeat: a number with a unit, a number too large.
        yaml_with(&format!("{}件", "1".repeat(32_000))),
        yaml_with(&"9".repeat(32_000)),
    ];
    for (i, y) in yamls.iter().enumerate() {
        let name = format!("l{i}.yaml");
        std::fs::write(d.join(&name), y).unwrap();
        let (code, out, err) = xxgk(&["check", &name], d);
        assert_eq!(code, 1, "{name}");
        // The message (not the source snippet, which shows the line) quotes at most 40 + "…".
        let message_lines: Vec<&str> = err
            .lines()
            .chain(out.lines())
            .filter(|l| l.starts_with("错误") || l.contains("提示"))
            .collect();
        assert!(!message_lines.is_empty(), "{err}");
        for l in &message_lines {
            assert!(
                l.chars().count() < 300,
                "{name}: a line of {} characters",
                l.chars().count()
            );
        }
        assert!(
            message_lines.iter().any(|l| l.contains('…')),
            "{name}: {message_lines:?}"
        );
        let (_, diags) = check(d, &name);
        for e in &diags {
            assert!(
                e["message"].as_str().unwrap().chars().count() < 300,
                "{name}"
            );
        }
    }
    // Excel: a 32,767-character text in a count cell, in 年度 and in 发布日期.
    let base = demo_xlsx();
    let t = format!(" t=\"inlineStr\"><is><t>{long}</t></is>");
    std::fs::write(d.join("l.xlsx"), t3_cell(&base, "D5", &t)).unwrap();
    let year = row_of(&base, "xl/worksheets/sheet1.xml", "年度");
    let y = edit_zip_part(&base, "xl/worksheets/sheet1.xml", |x| {
        replace_cell(x, &format!("B{year}"), &format!("<c r=\"B{year}\"{t}</c>"))
    });
    std::fs::write(d.join("y.xlsx"), y).unwrap();
    for name in ["l.xlsx", "y.xlsx"] {
        let (code, diags) = check(d, name);
        assert_eq!(code, 1, "{name}");
        assert!(!diags.is_empty());
        for e in &diags {
            let m = e["message"].as_str().unwrap();
            assert!(
                m.chars().count() < 300,
                "{name}: {} characters",
                m.chars().count()
            );
        }
        assert!(diags
            .iter()
            .any(|e| e["message"].as_str().unwrap().contains('…')));
    }
}

// ---- all of them at once, in batch ----

/// Every XML part of a zip package (.docx, .xlsx) parses as well-formed XML.
fn well_formed_package(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    for (name, text) in common::zip_texts(&bytes) {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            common::xml::Doc::parse(&text);
        }
    }
}

#[test]
fn batch_reads_each_hostile_input_right_and_writes_only_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("in");
    std::fs::create_dir(&input).unwrap();
    let base = demo_xlsx();
    let files: Vec<(&str, Vec<u8>, &str)> = vec![
        ("decoys.xlsx", with_decoys(&[("旧", true)], true), "有警告"),
        (
            "utf16.yaml",
            utf16(&example("demo-2023.yaml"), false, true),
            "有警告",
        ),
        ("arith.xlsx", t3_cell(&base, "D5", "><f>30+2*5</f>"), "通过"),
        (
            "nocache.xlsx",
            t3_cell(&base, "D5", "><f>SUM(K1:K3)</f>"),
            "数据有误",
        ),
        ("hex.yaml", yaml_with("0x10").into_bytes(), "数据有误"),
        (
            "none.xlsx",
            t3_cell(&base, "D5", " t=\"inlineStr\"><is><t>无</t></is>"),
            "数据有误",
        ),
    ];
    for (name, bytes, _) in &files {
        std::fs::write(input.join(name), bytes).unwrap();
    }
    let before = snapshot(&input);
    let (_, _, err) = xxgk(&["batch", "in", "-o", "out", "--to", "docx,xlsx,pdf"], d);
    assert_eq!(snapshot(&input), before, "inputs untouched");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out/校验结果.json")).unwrap())
            .unwrap_or_else(|e| panic!("{e}: {err}"));
    for (name, _, want) in &files {
        let f = json["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["file"] == *name)
            .unwrap_or_else(|| panic!("{name}: {json}"));
        assert_eq!(f["status"], *want, "{name}: {f}");
        let outputs = f["outputs"].as_array().unwrap();
        if *want == "数据有误" {
            assert!(outputs.is_empty(), "{name}: {f}");
            continue;
        }
        assert_eq!(outputs.len(), 3, "{name}: {f}");
        for o in outputs {
            let path = d.join("out").join(o.as_str().unwrap());
            if path.extension().is_some_and(|e| e == "pdf") {
                let text = common::squash(&common::pdf_text(&path, None));
                assert!(text.contains("青山县市场监督管理局"), "{name}");
            } else {
                well_formed_package(&path);
            }
        }
        // The workbook written holds the figures read (40, not a decoy's 999 or a 0).
        let xlsx = outputs
            .iter()
            .map(|o| d.join("out").join(o.as_str().unwrap()))
            .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
            .unwrap();
        let y = converted(d, xlsx.to_str().unwrap());
        assert_eq!(t3_new_row(&y)[0], 40, "{name}");
    }
}
