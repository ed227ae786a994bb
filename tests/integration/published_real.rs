//! Real published reports the project did not make: two years of one district government's
//! report, exported by WPS (tests/published/real/README.md). The expected figures were read off
//! the rendered pages by eye; pdftotext confirms the pages print them.

use crate::common::{self, run, xxgk};
use std::path::{Path, PathBuf};
use xxgk::model::Report;
use xxgk::spec::format::ValueRef;

fn real(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/published/real")
        .join(name)
}

/// Every figure of 表二, 表三 and 表四, in the order the YAML lists them.
struct Printed {
    t2: [u64; 11],
    fee: &'static str,
    t3: [[u64; 7]; 25],
    t4: [[u64; 5]; 3],
}

const HONGZE_2023: Printed = Printed {
    // 规章 ×3, 行政规范性文件 ×3, 行政许可, 行政处罚, 行政强制 — and 5 unused slots zero.
    t2: [0, 0, 0, 0, 5, 5, 550, 4119, 195, 0, 0],
    fee: "7730.28",
    t3: [
        [21, 0, 0, 0, 0, 0, 21],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [4, 0, 0, 0, 0, 0, 4],
        [1, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [1, 0, 0, 0, 0, 0, 1],
        [1, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0],
        [10, 0, 0, 0, 0, 0, 10],
        [3, 0, 0, 0, 0, 0, 3],
        [0, 0, 0, 0, 0, 0, 0],
        [1, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [21, 0, 0, 0, 0, 0, 21],
        [0, 0, 0, 0, 0, 0, 0],
    ],
    // As printed: both 总计 are 0, though their parts are not.
    t4: [[10, 1, 0, 0, 0], [0, 0, 0, 0, 0], [5, 0, 0, 0, 0]],
};

const HONGZE_2024: Printed = Printed {
    t2: [0, 0, 0, 3, 0, 8, 9487, 2776, 84, 0, 0],
    fee: "7545",
    t3: [
        [95, 0, 0, 0, 0, 0, 95],
        [0, 0, 0, 0, 0, 0, 0],
        [50, 0, 0, 0, 0, 0, 50],
        [9, 0, 0, 0, 0, 0, 9],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [1, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [1, 0, 0, 0, 0, 0, 1],
        [1, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0],
        [31, 0, 0, 0, 0, 0, 31],
        [1, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0],
        [1, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
        [95, 0, 0, 0, 0, 0, 95],
        [0, 0, 0, 0, 0, 0, 0],
    ],
    t4: [[1, 1, 0, 0, 2], [1, 0, 0, 0, 1], [2, 0, 1, 0, 3]],
};

/// 表二's counts, its fee as printed, 表三's rows, 表四's groups.
type Figures = (Vec<u64>, String, Vec<Vec<u64>>, Vec<Vec<u64>>);

fn figures(r: &mut Report) -> Figures {
    let mut t2 = vec![];
    for row in 0..2 {
        for col in 0..3 {
            t2.push(
                r.cell_mut_count(ValueRef::T2Document { row, col })
                    .unwrap()
                    .value,
            );
        }
    }
    for row in 0..3 {
        t2.push(
            r.cell_mut_count(ValueRef::T2Decision { row })
                .unwrap()
                .value,
        );
    }
    t2.extend([0, 0]);
    let fee = r.cell_text(ValueRef::T2Fee);
    let t3 = (0..25)
        .map(|row| {
            (0..7)
                .map(|col| r.cell_mut_count(ValueRef::T3 { row, col }).unwrap().value)
                .collect()
        })
        .collect();
    let t4 = (0..3)
        .map(|group| {
            (0..5)
                .map(|col| r.cell_mut_count(ValueRef::T4 { group, col }).unwrap().value)
                .collect()
        })
        .collect();
    (t2, fee, t3, t4)
}

fn assert_printed(pdf: &Path, want: &Printed) {
    let p = xxgk::input::read_path(pdf).unwrap();
    assert!(
        p.complete && !xxgk::diag::has_errors(&p.diagnostics),
        "{:#?}",
        p.diagnostics
    );
    let mut r = p.report;
    let (t2, fee, t3, t4) = figures(&mut r);
    assert_eq!(t2, want.t2, "表二");
    assert_eq!(fee, want.fee, "表二/行政事业性收费");
    for (i, row) in want.t3.iter().enumerate() {
        assert_eq!(t3[i], row, "表三 row {i}");
    }
    for (i, g) in want.t4.iter().enumerate() {
        assert_eq!(t4[i], g, "表四 group {i}");
    }
    // The page prints them: every 表三 row's figures stand on the line of its label.
    let (_, text, _) = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let line = |label: &str| -> Vec<u64> {
        let l = text
            .lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("{label} in {text}"));
        l.split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect()
    };
    assert_eq!(line("本年新收政府信息公开申请数量"), want.t3[0].to_vec());
    assert_eq!(line("属于四类过程性信息"), want.t3[9].to_vec());
}

#[test]
fn a_wps_pdf_reads_figure_for_figure_across_its_page_breaks() {
    // 2023: 表三 is cut after “2.没有现成信息需要另行制作”, its last row left open (no rule
    // under it) and “（四）无法提供” going on over the break.
    let pdf = real("hongze-2023.pdf");
    assert_printed(&pdf, &HONGZE_2023);
    assert_printed(&real("hongze-2024.pdf"), &HONGZE_2024);
    let p = xxgk::input::read_path(&pdf).unwrap();
    assert_eq!(p.report.body, "洪泽区人民政府");
    assert_eq!(p.report.year, 2023);
    // The program WPS names in UTF-16LE behind its byte-order mark.
    assert!(
        p.diagnostics
            .iter()
            .any(|d| d.message.contains("生成程序：WPS 文字(Jisupdf Editor)")),
        "{:#?}",
        p.diagnostics
    );
    // The six sections, cut at their headings: 六's one sentence whole.
    assert_eq!(
        p.report.other.intro.0.trim(),
        "2023年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费0元。"
    );
}

#[test]
fn check_finds_the_totals_a_real_report_printed_wrong() {
    // The 2023 report prints 0 as the 总计 of 行政复议 (10 + 1) and of 复议后起诉 (5).
    let dir = common::keep_dir("XXGK_KEEP_REAL", "check");
    let pdf = real("hongze-2023.pdf");
    let (code, out, err) = xxgk(&["check", pdf.to_str().unwrap(), "--format", "json"], &dir);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<(String, String)> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["cell"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("T4-GROUP".to_string(), "表四/行政复议/总计".to_string()),
            ("T4-GROUP".to_string(), "表四/复议后起诉/总计".to_string()),
        ],
        "{out}"
    );
}

#[test]
fn last_years_real_pdf_serves_as_previous() {
    let dir = common::keep_dir("XXGK_KEEP_REAL", "previous");
    let (this, last) = (real("hongze-2024.pdf"), real("hongze-2023.pdf"));
    let (code, out, err) = xxgk(
        &[
            "check",
            this.to_str().unwrap(),
            "--previous",
            last.to_str().unwrap(),
            "--format",
            "json",
        ],
        &dir,
    );
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<&str> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    // 淮安市洪泽区人民政府 (2024) and 洪泽区人民政府 (2023) are one body; 上年结转 (0) follows
    // on from 结转下年度 (0); 95 new requests after 21 is a jump the text does not explain.
    assert!(!rules.contains(&"Y-PREVIOUS"), "{out}");
    assert!(!rules.contains(&"Y-CARRY"), "{out}");
    assert!(rules.contains(&"Y-JUMP"), "{out}");
}

#[test]
fn a_page_whose_table_two_is_the_2019_format_gets_one_message() {
    // Real sites still publish 表二 in the 2019 columns (本年新制作数量 …, 上一年项目数量 …,
    // 政府集中采购) years later; the scraped 廊坊 page with its 表二 so written.
    let dir = common::keep_dir("XXGK_KEEP_REAL", "old-t2");
    let page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/published/langfang-2021-page.txt"),
    )
    .unwrap();
    let (a, b) = (
        page.find("第二十条第(一)项").unwrap(),
        page.find("三、收到和处理政府信息公开申请情况").unwrap(),
    );
    let old = "第二十条第(一)项 |\n信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n规章 | 0 | 0 | 0 |\n规范性文件 | 2 | 2 | 48 |\n第二十条第(五)项 |\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n行政许可 | 3 | 0 | 120 |\n其他对外管理服务事项 | 0 | 0 | 0 |\n第二十条第(八)项 |\n信息内容 | 上一年项目数量 | 本年增/减 |\n行政事业性收费 | 0 | 0 |\n第二十条第(九)项 |\n信息内容 | 采购项目数量 | 采购总金额 |\n政府集中采购 | 3 | 12.5 |\n\n";
    let path = dir.join("old-table-two.txt");
    std::fs::write(&path, format!("{}{old}{}", &page[..a], &page[b..])).unwrap();
    let (code, out, err) = xxgk(&["check", path.to_str().unwrap(), "--format", "json"], &dir);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<&serde_json::Value> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{out}");
    assert_eq!(errors[0]["cell"], "表二", "{out}");
    let m = errors[0]["message"].as_str().unwrap();
    assert!(
        m.contains("2019 年的旧格式") && m.contains("本年新制作数量"),
        "{m}"
    );
    // 表三 and 表四 are read and checked as usual: the page's 表三 row 一 is there.
    let p = xxgk::input::read_path(&path).unwrap();
    let mut r = p.report.clone();
    assert_eq!(
        r.cell_mut_count(ValueRef::T3 { row: 0, col: 0 })
            .unwrap()
            .value,
        99
    );
    // convert still writes the YAML, the clerk to finish 表二 there: the message stands under
    // 表二's heading and a doubtful row carries its own; exit 1 says it is not done.
    let yaml = dir.join("old-table-two.yaml");
    let (code, _, err) = xxgk(
        &["convert", path.to_str().unwrap(), yaml.to_str().unwrap()],
        &dir,
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("核对"), "{err}");
    let text = std::fs::read_to_string(&yaml).unwrap();
    let heading = text.find("（表二）").unwrap();
    let note = text.find("# 核对：表二是 2019 年的旧格式").unwrap();
    assert!(
        note > heading && note < text.find("（表三）").unwrap(),
        "{text}"
    );
    // The notes are comments: the YAML reads as the report the page gave.
    let back = xxgk::input::read_path(&yaml).unwrap();
    assert_eq!(
        xxgk::render::yaml::render(&back.report),
        xxgk::render::yaml::render(&p.report)
    );
}

#[test]
fn a_page_whose_tables_are_pictures_says_so() {
    // The 廊坊 page as a site that posts its three tables as pictures gives it: the text, and
    // where the tables stood, only their headings.
    let dir = common::keep_dir("XXGK_KEEP_REAL", "pictures");
    let page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/published/langfang-2021-page.txt"),
    )
    .unwrap();
    let at = |s: &str| page.find(s).unwrap();
    let text = format!(
        "{}[图片]\n三、收到和处理政府信息公开申请情况\n[图片]\n四、政府信息公开行政复议、行政诉讼情况\n[图片]\n{}",
        &page[..at("第二十条第(一)项")],
        &page[at("五、存在的主要问题")..]
    );
    let path = dir.join("pictures.txt");
    std::fs::write(&path, text).unwrap();
    let (code, out, _) = xxgk(&["check", path.to_str().unwrap()], &dir);
    assert_eq!(code, 1, "{out}");
    for t in ["没有找到表二", "没有找到表三", "没有找到表四"] {
        assert!(out.contains(t), "{out}");
    }
    assert!(
        out.contains("文档中没有") && !out.contains("工作簿"),
        "{out}"
    );
    assert_eq!(out.matches("表格如果是图片").count(), 3, "{out}");
}

#[test]
fn a_saved_page_records_its_address_and_a_copy_off_government_sites_is_named() {
    // A browser's "save page" writes where the page came from; a report copied onto a site
    // outside .gov.cn (real copies exist) is read as what it is.
    let dir = common::keep_dir("XXGK_KEEP_REAL", "address");
    let report = common::example_report("demo-2023.yaml");
    let docs = xxgk::render::render_all(&report, &[xxgk::render::Format::Html], None).unwrap();
    let bare = common::package::page_without_data(&String::from_utf8(docs[0].1.clone()).unwrap());
    let saved = |url: &str| {
        format!(
            "<!DOCTYPE html>\n<!-- saved from url=({:04}){url} -->\n{}",
            url.len(),
            bare.trim_start_matches("<!DOCTYPE html>")
        )
    };
    for (name, url, copy) in [
        (
            "gov.html",
            "https://www.qingshan.gov.cn/zwgk/ndbg/2024/t1.html",
            false,
        ),
        (
            "copy.html",
            "https://example-mirror.com/jxx/xxgknbgs/fadd881c.shtml",
            true,
        ),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, saved(url)).unwrap();
        let p = xxgk::input::read_path(&path).unwrap();
        assert!(
            !xxgk::diag::has_errors(&p.diagnostics),
            "{:#?}",
            p.diagnostics
        );
        let said: Vec<&str> = p.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(said.iter().any(|m| m.contains(url)), "{said:#?}");
        assert_eq!(
            said.iter().any(|m| m.contains("可能是别的网站转载的副本")),
            copy,
            "{said:#?}"
        );
        // convert writes the address atop the YAML it makes.
        let yaml = dir.join(name.replace(".html", ".yaml"));
        let (code, _, err) = xxgk(
            &["convert", path.to_str().unwrap(), yaml.to_str().unwrap()],
            &dir,
        );
        assert_eq!(code, 0, "{err}");
        let head = std::fs::read_to_string(&yaml).unwrap();
        assert!(head.lines().next().unwrap().contains(url), "{head}");
    }
}

#[test]
fn a_title_without_the_body_takes_it_from_the_signature_not_the_breadcrumb() {
    // The 廊坊 page with its title cut to “2021年政府信息公开工作年度报告” and a 落款 at the
    // end: the line above the title is the site's section name, not a body.
    let dir = common::keep_dir("XXGK_KEEP_REAL", "no-body-title");
    let page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/published/langfang-2021-page.txt"),
    )
    .unwrap();
    let page = page
        .replace(
            "廊坊市人民政府办公室2021年政府信息公开工作年度报告",
            "2021年政府信息公开工作年度报告",
        )
        .replace(
            "未收取信息处理费。\n",
            "未收取信息处理费。\n\n廊坊市人民政府办公室\n\n2022年1月27日\n",
        );
    let path = dir.join("page.txt");
    std::fs::write(&path, page).unwrap();
    let p = xxgk::input::read_path(&path).unwrap();
    assert_eq!(
        p.report.body, "廊坊市人民政府办公室",
        "{:#?}",
        p.diagnostics
    );
    assert_eq!(p.report.year, 2021);
}

#[test]
fn batch_pairs_last_years_real_report_though_its_title_leaves_out_the_city() {
    // 2024 names 淮安市洪泽区人民政府, 2023 洪泽区人民政府: one body, paired by batch too.
    let tmp = tempfile::tempdir().unwrap();
    let (this, last) = (tmp.path().join("this"), tmp.path().join("last"));
    std::fs::create_dir_all(&this).unwrap();
    std::fs::create_dir_all(&last).unwrap();
    std::fs::copy(real("hongze-2024.pdf"), this.join("hongze-2024.pdf")).unwrap();
    std::fs::copy(real("hongze-2023.pdf"), last.join("hongze-2023.pdf")).unwrap();
    let out = tmp.path().join("out");
    let (code, _, err) = xxgk(
        &[
            "batch",
            this.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--previous",
            last.to_str().unwrap(),
            "--to",
            "xlsx",
        ],
        tmp.path(),
    );
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("校验结果.json")).unwrap()).unwrap();
    let rules: Vec<&str> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"Y-JUMP"), "{json}");
    assert!(!rules.contains(&"Y-PREVIOUS"), "{json}");
}

#[test]
fn a_site_editors_header_rows_and_a_heading_worded_its_own_way_read_cell_for_cell() {
    // Site editors write the headers without rowspan: 自然人 and 总计 over an empty cell, 表四's
    // 结果维持…总计 of 行政复议 in the second row with empty cells under them (where the 行政诉讼
    // groups have their second row), and sites word 五's heading their own way.
    let dir = common::keep_dir("XXGK_KEEP_REAL", "editor-headers");
    let page = crate::published::government_page()
        .replace(
            "<tr><td rowspan=\"2\">自然人</td><td colspan=\"5\">法人或其他组织</td><td rowspan=\"2\">总计</td></tr>\
<tr><td>商业<br>企业</td>",
            "<tr><td>自然人</td><td colspan=\"5\">法人或其他组织</td><td>总计</td></tr>\
<tr><td></td><td>商业<br>企业</td>",
        )
        .replace(
            "<td>其他</td></tr>",
            "<td>其他</td><td></td></tr>",
        )
        .replace(
            "<tr><td colspan=\"5\" rowspan=\"2\">行政复议</td><td colspan=\"10\">行政诉讼</td></tr>\
<tr><td colspan=\"5\">未经复议直接起诉</td><td colspan=\"5\">复议后起诉</td></tr>\
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>",
            "<tr><td colspan=\"5\">行政复议</td><td colspan=\"10\">行政诉讼</td></tr>\
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>\
<td colspan=\"5\">未经复议直接起诉</td><td colspan=\"5\">复议后起诉</td></tr>\
<tr><td></td><td></td><td></td><td></td><td></td>",
        )
        .replace("五、存在的主要问题及改进情况", "五、存在问题及改进情况");
    assert!(page.contains("<td></td><td>商业") && page.contains("<tr><td></td><td></td>"));
    let path = dir.join("page.html");
    std::fs::write(&path, page).unwrap();
    let p = xxgk::input::read_path(&path).unwrap();
    assert!(
        p.complete && !xxgk::diag::has_errors(&p.diagnostics),
        "{:#?}",
        p.diagnostics
    );
    let mut got = p.report;
    got.published = None;
    assert_eq!(
        xxgk::render::yaml::render(&got),
        xxgk::render::yaml::render(&crate::published::expected_government())
    );
}

#[test]
fn a_2019_table_two_set_as_a_table_gets_the_same_one_message() {
    // The same old 表二 as a site's table markup (a real 2019 report's column shapes: 本年新
    // 公开数量 spanning two columns, 采购总金额 with its unit), in the government page.
    let dir = common::keep_dir("XXGK_KEEP_REAL", "old-t2-table");
    let page = crate::published::government_page();
    let start = page.find("<table border=\"1\">").unwrap();
    let end = page[start..].find("</table>").unwrap() + start + "</table>".len();
    let old = concat!(
        "<table border=\"1\"><tr><td colspan=\"5\">第二十条第（一）项</td></tr>",
        "<tr><td>信息内容</td><td>本年新<br />制作数量</td><td colspan=\"2\">本年新<br />公开数量</td><td>对外公开总数量</td></tr>",
        "<tr><td>规章</td><td>13</td><td colspan=\"2\">13</td><td>524</td></tr>",
        "<tr><td>规范性文件</td><td>60</td><td colspan=\"2\">60</td><td>368</td></tr>",
        "<tr><td colspan=\"5\">第二十条第（五）项</td></tr>",
        "<tr><td>信息内容</td><td>上一年项目数量</td><td colspan=\"2\">本年增/减</td><td>处理决定数量</td></tr>",
        "<tr><td>行政许可</td><td colspan=\"2\">0</td><td>0</td><td>0</td></tr>",
        "<tr><td colspan=\"5\">第二十条第（九）项</td></tr>",
        "<tr><td>信息内容</td><td colspan=\"2\">采购项目数量</td><td colspan=\"2\">采购总金额</td></tr>",
        "<tr><td>政府集中采购</td><td colspan=\"2\">6</td><td colspan=\"2\">251000元</td></tr></table>"
    );
    assert!(
        page[start..end].contains("本年制发件数"),
        "the page's 表二 is replaced"
    );
    let path = dir.join("old.html");
    std::fs::write(&path, format!("{}{old}{}", &page[..start], &page[end..])).unwrap();
    let p = xxgk::input::read_path(&path).unwrap();
    let errors: Vec<&xxgk::diag::Diagnostic> =
        p.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].message.contains("2019 年的旧格式"), "{errors:#?}");
    // Nothing else is said of 表二 (no doubt about 251000元, no missing rows).
    assert!(
        !p.diagnostics
            .iter()
            .any(|d| d.message.starts_with("表二") && !d.is_error()),
        "{:#?}",
        p.diagnostics
    );
}
