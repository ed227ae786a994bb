//! `xxgk batch` over a folder of mixed inputs: outputs for exactly the good ones, the JSON
//! record, the summary's sums, and a failing write that leaves nothing behind.

use crate::common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::{example, root, xxgk};
use std::path::{Path, PathBuf};

fn demo() -> String {
    example("demo-2023.yaml")
}

/// A folder with good and bad inputs of every kind.
fn mixed_inputs(dir: &Path) {
    let write = |rel: &str, bytes: &[u8]| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    };
    write(
        "市政府办公室.yaml",
        std::fs::read(root().join("examples/langfang-2021.yaml"))
            .unwrap()
            .as_slice(),
    );
    write("部门/市场监管局.yaml", demo().as_bytes());
    let other = demo()
        .replace("青山县市场监督管理局", "青山县统计局")
        .replace("行政事业性收费: 12.50", "行政事业性收费: 0.7");
    write("部门/统计局.yml", other.as_bytes());
    // An Excel report of a third body.
    let third =
        xxgk::input::yaml::read_str(&demo().replace("青山县市场监督管理局", "青山县教育局")).report;
    write(
        "部门/教育局.xlsx",
        &xxgk::render::xlsx::render(&third).unwrap(),
    );
    // Broken ones.
    write("坏/语法错误.yaml", "机关: 某局\n年度：2023\n".as_bytes());
    write(
        "坏/勾稽错误.yaml",
        demo()
            .replace("行政复议: [2, 1, 0, 0, 3]", "行政复议: [2, 0, 0, 9, 0]")
            .as_bytes(),
    );
    write(
        "坏/不是表格.xlsx",
        b"PK\x03\x04 this is not really a workbook",
    );
    // Valid data, but a character no font has: the PDF cannot be made, so nothing is written.
    write(
        "坏/缺字.yaml",
        demo()
            .replace("青山县市场监督管理局", "青山县\u{E000}局")
            .as_bytes(),
    );
    write("说明.txt", "不是报告".as_bytes());
    write("~$锁文件.xlsx", b"lock");
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        Data::String(s) => s.parse().unwrap_or(f64::NAN),
        Data::Empty => 0.0,
        other => panic!("not a number: {other:?}"),
    }
}

/// Finds the row whose cells contain `label` and returns that row.
fn row_with(range: &calamine::Range<Data>, label: &str) -> Vec<Data> {
    range
        .rows()
        .find(|r| {
            r.iter()
                .any(|c| c.to_string().replace(['\n', ' '], "") == label)
        })
        .unwrap_or_else(|| panic!("row {label} not found"))
        .to_vec()
}

#[test]
fn batch_renders_good_inputs_reports_bad_ones_and_sums() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    mixed_inputs(&input);
    let (code, _, err) = xxgk(
        &[
            "batch",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-j",
            "2",
        ],
        tmp.path(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("语法错误.yaml"), "{err}");
    assert!(err.contains("共 8 份报告"), "{err}");

    // Outputs for exactly the good ones, sub-folders mirrored.
    let good = [
        "市政府办公室",
        "部门/市场监管局",
        "部门/统计局",
        "部门/教育局",
    ];
    for g in good {
        for ext in ["docx", "pdf", "xlsx"] {
            let p = out.join(format!("{g}.{ext}"));
            assert!(p.is_file(), "{} missing", p.display());
            assert!(std::fs::metadata(&p).unwrap().len() > 1000);
        }
    }
    for bad in ["坏/语法错误", "坏/勾稽错误", "坏/不是表格", "坏/缺字"] {
        for ext in ["docx", "pdf", "xlsx"] {
            assert!(
                !out.join(format!("{bad}.{ext}")).exists(),
                "{bad}.{ext} written"
            );
        }
    }
    let leftovers: Vec<_> = walk(&out)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The JSON record.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("校验结果.json")).unwrap()).unwrap();
    let files = json["files"].as_array().unwrap();
    let names: Vec<&str> = files.iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 8, "{names:?}");
    let by_name = |n: &str| files.iter().find(|f| f["file"] == n).unwrap();
    assert_eq!(by_name("部门/市场监管局.yaml")["ok"], true);
    assert_eq!(
        by_name("部门/市场监管局.yaml")["outputs"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let syntax = by_name("坏/语法错误.yaml");
    assert_eq!(syntax["ok"], false);
    assert_eq!(syntax["diagnostics"][0]["rule"], "SYNTAX");
    assert_eq!(syntax["diagnostics"][0]["line"], 2);
    assert_eq!(syntax["outputs"], serde_json::json!([]));
    assert_eq!(
        by_name("坏/勾稽错误.yaml")["diagnostics"][0]["rule"],
        "T4-GROUP"
    );
    assert_eq!(
        by_name("坏/不是表格.xlsx")["diagnostics"][0]["rule"],
        "SYNTAX"
    );
    let font = by_name("坏/缺字.yaml");
    assert_eq!(font["ok"], false);
    // Found by the check of characters (rule TEXT), before anything is rendered.
    assert_eq!(font["diagnostics"][0]["rule"], "TEXT");
    let msg = font["diagnostics"][0]["message"].as_str().unwrap();
    assert!(msg.contains("U+E000"), "{msg}");
    // The summary sums one year, the one most reports have (2023): the 2021 report is left
    // out, with a warning that names it.
    let warnings = json["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| {
            let w = w.as_str().unwrap();
            w.contains("只汇总 2023 年度") && w.contains("廊坊")
        }),
        "{warnings:?}"
    );

    // The summary: sums of the three valid 2023 reports.
    let reports: Vec<xxgk::model::Report> = [demo(), demo(), demo()]
        .iter()
        .map(|t| xxgk::input::yaml::read_str(t).report)
        .collect();
    let mut wb: Xlsx<_> = open_workbook(out.join("汇总.xlsx")).unwrap();
    let t3 = wb.worksheet_range("表三").unwrap();
    let new_row = row_with(&t3, "一、本年新收政府信息公开申请数量");
    let expected_new: u64 = reports.iter().map(|r| r.table3.cells[0][6].value).sum();
    assert_eq!(number(new_row.last().unwrap()) as u64, expected_new);
    assert_eq!(expected_new, 3 * 52);
    let t4 = wb.worksheet_range("表四").unwrap();
    let values: Vec<f64> = t4.rows().next_back().unwrap().iter().map(number).collect();
    assert_eq!(values[4] as u64, 3 * 3, "行政复议 总计");
    let t2 = wb.worksheet_range("表二").unwrap();
    let fee = row_with(&t2, "行政事业性收费");
    // 12.50 + 0.7 + 12.50, summed exactly.
    assert!((number(&fee[1]) - 25.7).abs() < 1e-9, "{fee:?}");
    let bodies = wb.worksheet_range("各单位").unwrap();
    let text: Vec<String> = bodies
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    let all = text.join("\n");
    for b in [
        "廊坊市人民政府办公室",
        "青山县统计局",
        "青山县教育局",
        "坏/勾稽错误.yaml",
        "坏/语法错误.yaml",
    ] {
        assert!(all.contains(b), "{b} not in\n{all}");
    }
    let invalid = text.iter().find(|l| l.contains("勾稽错误")).unwrap();
    assert!(invalid.contains("数据有误"), "{invalid}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn a_failing_write_leaves_nothing_and_the_rest_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(input.join("a")).unwrap();
    std::fs::write(input.join("a/one.yaml"), demo()).unwrap();
    std::fs::write(
        input.join("a/two.yaml"),
        demo().replace("青山县市场监督管理局", "青山县民政局"),
    )
    .unwrap();
    // A folder where two.pdf should go: the rename onto it fails.
    std::fs::create_dir_all(out.join("a/two.pdf/blocker")).unwrap();
    let (code, _, err) = xxgk(
        &[
            "batch",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--to",
            "docx,pdf",
        ],
        tmp.path(),
    );
    assert_eq!(code, 2, "{err}");
    assert!(out.join("a/one.docx").is_file() && out.join("a/one.pdf").is_file());
    assert!(
        !out.join("a/two.docx").exists(),
        "no half of a failed report"
    );
    let leftovers: Vec<_> = walk(&out)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("校验结果.json")).unwrap()).unwrap();
    let two = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "a/two.yaml")
        .unwrap()
        .clone();
    assert_eq!(two["ok"], false);
    assert_eq!(two["diagnostics"][0]["rule"], "IO");
    assert!(out.join("汇总.xlsx").is_file());
}

#[test]
fn the_same_body_and_year_twice_is_summed_neither_time() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("x.yaml"), demo()).unwrap();
    // Two versions: 现行有效 15 in one, 16 in the other.
    let other = demo().replace("现行有效: {数: 15", "现行有效: {数: 16");
    assert_ne!(other, demo());
    std::fs::write(input.join("y.yaml"), other).unwrap();
    let out = tmp.path().join("out");
    let (code, _, err) = xxgk(
        &[
            "batch",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--to",
            "docx",
        ],
        tmp.path(),
    );
    // Both documents are written, but the summary cannot know which copy is right.
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("出现了 2 份") && err.contains("都未计入汇总"),
        "{err}"
    );
    assert!(out.join("x.docx").exists() && out.join("y.docx").exists());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("校验结果.json")).unwrap()).unwrap();
    assert!(
        json["errors"][0]
            .as_str()
            .unwrap()
            .contains("x.yaml、y.yaml"),
        "{json}"
    );
    assert!(err.contains("已汇总 0 份"), "{err}");
    let (code, _, _) = xxgk(
        &[
            "batch",
            tmp.path().join("none").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert_eq!(code, 2);
}

/// A batch worker keeps the font programs it cut (see `fonts::ProgramCache`) and renders the
/// formats of a report side by side: a report's files must still be, byte for byte, the files
/// `xxgk render` makes of it alone.
#[test]
fn a_report_in_a_batch_has_the_bytes_it_has_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let langfang = std::fs::read_to_string(root().join("examples/langfang-2021.yaml")).unwrap();
    // Same glyphs in the tables and headings, different ones in the body text and names.
    let inputs = [
        ("a.yaml", demo()),
        ("b.yaml", langfang.clone()),
        (
            "c.yaml",
            demo().replace("青山县市场监督管理局", "青山县第七局"),
        ),
        ("d.yaml", demo()),
    ];
    // d repeats a whole (the summary then sums neither: exit code 1).
    for (name, text) in &inputs {
        std::fs::write(input.join(name), text).unwrap();
    }
    let out = tmp.path().join("out");
    // One worker: every report after the first meets a warm cache.
    let (code, _, err) = xxgk(
        &[
            "batch",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-j",
            "1",
        ],
        tmp.path(),
    );
    assert!(code <= 1, "{err}");
    for (name, _) in &inputs {
        let stem = name.trim_end_matches(".yaml");
        let alone = tmp.path().join(format!("alone-{stem}"));
        let (code, _, err) = xxgk(
            &[
                "render",
                input.join(name).to_str().unwrap(),
                "-o",
                alone.to_str().unwrap(),
            ],
            tmp.path(),
        );
        assert_eq!(code, 0, "{err}");
        for ext in ["docx", "pdf", "xlsx"] {
            let file = format!("{stem}.{ext}");
            let a = std::fs::read(out.join(&file)).unwrap();
            let b = std::fs::read(alone.join(&file)).unwrap();
            assert!(a == b, "{file}: batch and alone differ");
        }
    }
}

#[test]
fn the_same_report_in_two_files_is_summed_once() {
    // Its PDF and its Word file (an assessor downloads both), and a copy of its YAML: the
    // same tables, so the summary counts them once and says so.
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let report = crate::common::example_report("demo-2023.yaml");
    let docs = xxgk::render::render_all(
        &report,
        &[xxgk::render::Format::Pdf, xxgk::render::Format::Docx],
        Some(crate::common::fonts()),
    )
    .unwrap();
    for (f, bytes) in docs {
        std::fs::write(input.join(format!("青山县.{}", f.extension())), bytes).unwrap();
    }
    std::fs::write(input.join("副本.yaml"), demo()).unwrap();
    let out = tmp.path().join("out");
    let (code, _, err) = xxgk(
        &[
            "batch",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--to",
            "xlsx",
        ],
        tmp.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("出现了 3 份") && err.contains("表格完全相同"),
        "{err}"
    );
    assert!(err.contains("已汇总 1 份"), "{err}");
    // The summary holds one report's figures: 本年新收 自然人 40, not 120.
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out.join("汇总.xlsx")).unwrap();
    use calamine::Reader;
    let found = wb.worksheets().into_iter().any(|(_, range)| {
        range.rows().any(|row| {
            let texts: Vec<String> = row.iter().map(|c| c.to_string()).collect();
            texts.first().is_some_and(|t| t.contains("本年新收"))
                && texts.iter().any(|t| t == "40")
                && !texts.iter().any(|t| t == "120")
        })
    });
    assert!(found, "汇总.xlsx has 本年新收 40 once");
}
