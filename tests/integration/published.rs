//! Published reports as input (issue 22): every document xxgk writes reads back as the same
//! report (the YAML `convert` writes is compared with the YAML of the report it was made from);
//! documents made by hand or by other programs are read by the official labels, every cell,
//! the 机关, the 年度 and the sections' text compared with what was written into them.

use crate::common::{self, keep_dir, package, run, xxgk};
use std::path::Path;
use xxgk::model::Report;
use xxgk::render::{self, Format};

const EXAMPLES: [&str; 2] = ["langfang-2021.yaml", "demo-2023.yaml"];

fn yaml_of(r: &Report) -> String {
    render::yaml::render(r)
}

/// What a document without our data can give back: the page prints one date (docs/FORMAT.md),
/// the 落款's when there is one, so a 发布日期 beside it is not on the page to be read.
fn as_printed(r: &Report) -> Report {
    let mut r = r.clone();
    if r.signature.as_ref().is_some_and(|s| s.date.is_some()) {
        r.published = None;
    }
    r
}

/// Reads a file as input: the report, and the ids of the rules it was reported under.
fn read(path: &Path) -> (Report, Vec<String>) {
    let p = xxgk::input::read_path(path).unwrap();
    let ids = p
        .diagnostics
        .iter()
        .map(|d| d.rule.id().to_string())
        .collect();
    assert!(
        p.complete && !xxgk::diag::has_errors(&p.diagnostics),
        "{} reads cleanly: {:#?}",
        path.display(),
        p.diagnostics
    );
    (p.report, ids)
}

#[test]
fn every_example_in_every_format_reads_back_as_the_same_report() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "round-trip");
    let formats = [
        Format::Pdf,
        Format::Docx,
        Format::Html,
        Format::Ofd,
        Format::Xlsx,
    ];
    for name in EXAMPLES {
        let report = common::example_report(name);
        let docs = render::render_all(&report, &formats, Some(common::fonts())).unwrap();
        for (f, bytes) in docs {
            let path = dir.join(format!(
                "{}.{}",
                name.trim_end_matches(".yaml"),
                f.extension()
            ));
            std::fs::write(&path, &bytes).unwrap();
            let (back, rules) = read(&path);
            assert_eq!(yaml_of(&back), yaml_of(&report), "{name} as {f:?}");
            // Our own documents are not foreign: no IMPORT note.
            assert!(
                !rules.contains(&"IMPORT".to_string()),
                "{name} {f:?}: {rules:?}"
            );
            // And through the command line, as a clerk converts last year's PDF.
            let out = dir.join(format!("{name}.{}.yaml", f.extension()));
            let (code, _, err) = xxgk(
                &["convert", path.to_str().unwrap(), out.to_str().unwrap()],
                &dir,
            );
            assert_eq!(code, 0, "{err}");
            assert_eq!(
                std::fs::read_to_string(&out).unwrap(),
                render::yaml::render(&report)
            );
        }
    }
}

#[test]
fn the_data_is_where_each_format_keeps_attached_data() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "where");
    let report = common::example_report("langfang-2021.yaml");
    let docs = render::render_all(
        &report,
        &[Format::Pdf, Format::Docx, Format::Ofd, Format::Html],
        Some(common::fonts()),
    )
    .unwrap();
    let yaml = render::yaml::render(&report);
    for (f, bytes) in docs {
        let path = dir.join(format!("r.{}", f.extension()));
        std::fs::write(&path, &bytes).unwrap();
        match f {
            Format::Pdf => {
                // qpdf, not our reader, finds the embedded file.
                let (ok, out, _) = run("qpdf", &["--list-attachments", path.to_str().unwrap()]);
                assert!(ok && out.contains("xxgk-report.yaml"), "{out}");
                let (ok, out, _) = run(
                    "qpdf",
                    &["--show-attachment=xxgk-report.yaml", path.to_str().unwrap()],
                );
                assert!(ok);
                assert_eq!(out, yaml);
            }
            Format::Docx => {
                let parts = common::zip_texts(&bytes);
                let item = &parts["customXml/item1.xml"];
                let doc = common::xml::Doc::parse(item);
                let text: String = doc
                    .root
                    .children
                    .iter()
                    .map(|n| match n {
                        common::xml::Node::Text(t) => t.clone(),
                        _ => String::new(),
                    })
                    .collect();
                assert_eq!(text, yaml);
                assert!(parts["word/_rels/document.xml.rels"].contains("../customXml/item1.xml"));
                assert!(parts["[Content_Types].xml"].contains("/customXml/itemProps1.xml"));
            }
            Format::Ofd => {
                let parts = common::zip_texts(&bytes);
                assert!(parts["Doc_0/Document.xml"]
                    .contains("<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments>"));
                assert!(parts["Doc_0/Attachs/Attachments.xml"].contains("xxgk-report.yaml"));
                assert_eq!(parts["Doc_0/Attachs/xxgk-report.yaml"], yaml);
            }
            Format::Html => {
                let page = String::from_utf8(bytes).unwrap();
                let html = scraper::Html::parse_document(&page);
                let sel = scraper::Selector::parse("head script#xxgk-data").unwrap();
                let script = html
                    .select(&sel)
                    .next()
                    .expect("the data block in the head");
                assert_eq!(script.attr("type"), Some("application/json"));
                let v: serde_json::Value =
                    serde_json::from_str(&script.text().collect::<String>()).unwrap();
                assert_eq!(v["yaml"], yaml.as_str());
                // Nothing of it in the body a clerk selects and pastes.
                let body = scraper::Selector::parse("body").unwrap();
                let text: String = html.select(&body).next().unwrap().text().collect();
                assert!(!text.contains("xxgk-report"));
            }
            _ => {}
        }
    }
}

#[test]
fn edits_around_the_data_do_not_change_the_report() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "edited");
    let report = common::example_report("langfang-2021.yaml");
    let docs = render::render_all(&report, &[Format::Html, Format::Docx], None).unwrap();
    for (f, bytes) in docs {
        let path = dir.join(format!("r.{}", f.extension()));
        let edited = match f {
            // The visible page, not the data block in the head.
            Format::Html => {
                let page = String::from_utf8(bytes).unwrap();
                let (head, body) = page.split_once("<body").unwrap();
                format!(
                    "{head}<body{}",
                    body.replace("廊坊市人民政府办公室", "别的机关")
                )
                .into_bytes()
            }
            _ => common::edit_zip_part(&bytes, "word/document.xml", |x| {
                x.replace("廊坊市人民政府办公室", "别的机关")
            }),
        };
        std::fs::write(&path, edited).unwrap();
        let (back, _) = read(&path);
        assert_eq!(back.body, "廊坊市人民政府办公室");
        assert_eq!(yaml_of(&back), yaml_of(&report));
    }
}

/// A web page written by hand the way government sites write the report: tables with rowspan
/// and colspan (a category cell over its rows, the header in two rows), "/" for blank cells,
/// the title in a `<div>`, sections in `<p>`, the 落款 at the end.
pub(crate) fn government_page() -> String {
    let t3_row = |label: &str, v: [&str; 7]| {
        format!(
            "<td colspan=\"2\">{label}</td>{}",
            v.iter()
                .map(|x| format!("<td>{x}</td>"))
                .collect::<String>()
        )
    };
    let mut t3 = String::from(concat!(
        "<table border=\"1\"><tbody>",
        "<tr><td rowspan=\"3\" colspan=\"3\">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>",
        "<td colspan=\"7\">申请人情况</td></tr>",
        "<tr><td rowspan=\"2\">自然人</td><td colspan=\"5\">法人或其他组织</td><td rowspan=\"2\">总计</td></tr>",
        "<tr><td>商业<br>企业</td><td>科研<br>机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>",
    ));
    t3.push_str(&format!(
        "<tr><td colspan=\"3\">一、本年新收政府信息公开申请数量</td>{}</tr>",
        ["20", "3", "1", "0", "0", "1", "25"]
            .iter()
            .map(|x| format!("<td>{x}</td>"))
            .collect::<String>()
    ));
    t3.push_str("<tr><td colspan=\"3\">二、上年结转政府信息公开申请数量</td><td>2</td><td>/</td><td>/</td><td>/</td><td>/</td><td>/</td><td>2</td></tr>");
    t3.push_str(&format!(
        "<tr><td rowspan=\"22\">三、本年度办理结果</td>{}</tr>",
        t3_row("（一）予以公开", ["12", "2", "1", "0", "0", "0", "15"])
    ));
    t3.push_str(&format!(
        "<tr>{}</tr>",
        t3_row(
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            ["3", "0", "0", "0", "0", "0", "3"]
        )
    ));
    let cats: [(&str, &[&str]); 4] = [
        (
            "（三）不予公开",
            &[
                "1.属于国家秘密",
                "2.其他法律行政止公开", // as printed on a real site: characters dropped
                "3.危及“三安全一稳定”",
                "4.保护第三方合法权益",
                "5.属于三类内部事务信息",
                "6.属于四类过程性信息",
                "7.属于行政执法案卷",
                "8.属于行政查询事项",
            ],
        ),
        (
            "（四）无法提供",
            &[
                "1.本机关不掌握相关政府信息",
                "2.没有现成信息需要另行制作",
                "3.补正后申请内容仍不明确",
            ],
        ),
        (
            "（五）不予处理",
            &[
                "1.信访举报投诉类申请",
                "2.重复申请",
                "3.要求提供公开出版物",
                "4.无正当理由大量反复申请",
                "5.要求行政机关确认或重新出具已获取信息",
            ],
        ),
        (
            "（六）其他处理",
            &[
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "3.其他",
            ],
        ),
    ];
    for (cat, items) in cats {
        for (i, item) in items.iter().enumerate() {
            let v = match *item {
                "2.其他法律行政止公开" => ["1", "0", "0", "0", "0", "0", "1"],
                "1.本机关不掌握相关政府信息" => ["5", "1", "0", "0", "0", "0", "6"],
                _ => ["", "", "", "", "", "", ""],
            };
            let cells: String = v.iter().map(|x| format!("<td>{x}</td>")).collect();
            if i == 0 {
                t3.push_str(&format!(
                    "<tr><td rowspan=\"{}\">{cat}</td><td>{item}</td>{cells}</tr>",
                    items.len()
                ));
            } else {
                t3.push_str(&format!("<tr><td>{item}</td>{cells}</tr>"));
            }
        }
    }
    t3.push_str(&format!(
        "<tr>{}</tr>",
        t3_row("（七）总计", ["21", "3", "1", "0", "0", "0", "25"])
    ));
    t3.push_str("<tr><td colspan=\"3\">四、结转下年度继续办理</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>2</td></tr></tbody></table>");
    let t2 = concat!(
        "<table border=\"1\">",
        "<tr><td colspan=\"4\">第二十条第（一）项</td></tr>",
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>",
        "<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>",
        "<tr><td>行政规范性文件</td><td>4</td><td>1</td><td>30</td></tr>",
        "<tr><td colspan=\"4\">第二十条第（五）项</td></tr>",
        "<tr><td>信息内容</td><td colspan=\"3\">本年处理决定数量</td></tr>",
        "<tr><td>行政许可</td><td colspan=\"3\">1234</td></tr>",
        "<tr><td colspan=\"4\">第二十条第（六）项</td></tr>",
        "<tr><td>信息内容</td><td colspan=\"3\">本年处理决定数量</td></tr>",
        "<tr><td>行政处罚</td><td colspan=\"3\">56</td></tr>",
        "<tr><td>行政强制</td><td colspan=\"3\">7</td></tr>",
        "<tr><td colspan=\"4\">第二十条第（八）项</td></tr>",
        "<tr><td>信息内容</td><td colspan=\"3\">本年收费金额（单位：万元）</td></tr>",
        "<tr><td>行政事业性收费</td><td colspan=\"3\">12.50</td></tr>",
        "</table>"
    );
    let t4 = concat!(
        "<table border=\"1\">",
        "<tr><td colspan=\"5\" rowspan=\"2\">行政复议</td><td colspan=\"10\">行政诉讼</td></tr>",
        "<tr><td colspan=\"5\">未经复议直接起诉</td><td colspan=\"5\">复议后起诉</td></tr>",
        "<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>",
        "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>",
        "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>",
        "<tr><td>2</td><td>1</td><td>0</td><td>0</td><td>3</td><td>1</td><td>0</td><td>0</td><td>1</td><td>2</td>",
        "<td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr></table>"
    );
    format!(
        concat!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>某县</title>",
            "<script>var x = '一、总体情况';</script></head><body>",
            "<div class=\"nav\">首页 &gt; 政务公开</div>",
            "<div class=\"title\">某县交通运输局2023年政府信息公开工作年度报告</div>",
            "<div class=\"date\">发布时间：2024-01-20</div>",
            "<p>本报告依据《中华人民共和国政府信息公开条例》编制。</p>",
            "<p><strong>一、总体情况</strong></p>",
            "<p>2023年，我局认真落实政务公开工作要求。</p>",
            "<p>（一）主动公开。全年主动公开信息120条。</p>",
            "<p>（二）依申请公开。全年收到申请25件。</p>",
            "<p><strong>二、主动公开政府信息情况</strong></p>{t2}",
            "<p><strong>三、收到和处理政府信息公开申请情况</strong></p>{t3}",
            "<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>{t4}",
            "<p><strong>五、存在的主要问题及改进情况</strong></p>",
            "<p>公开内容还不够全面。</p><p>下一步将加强培训。</p>",
            "<p><strong>六、其他需要报告的事项</strong></p>",
            "<p>本年度未收取信息处理费。</p>",
            "<p style=\"text-align:right\">某县交通运输局</p>",
            "<p style=\"text-align:right\">2024年1月20日</p>",
            "<div class=\"footer\">浏览次数：</div></body></html>"
        ),
        t2 = t2,
        t3 = t3,
        t4 = t4
    )
}

/// What [`government_page`] says, as our YAML.
const GOVERNMENT_YAML: &str = r#"机关: 某县交通运输局
年度: 2023
前言: 本报告依据《中华人民共和国政府信息公开条例》编制。
总体情况:
  概述: 2023年，我局认真落实政务公开工作要求。
  分项:
    - 标题: 主动公开
      内容: 全年主动公开信息120条。
    - 标题: 依申请公开
      内容: 全年收到申请25件。
主动公开:
  规章: [0, 0, 0]
  行政规范性文件: [4, 1, 30]
  行政许可: 1234
  行政处罚: 56
  行政强制: 7
  行政事业性收费: 12.50
申请情况:
  本年新收: [20, 3, 1, 0, 0, 1, 25]
  上年结转: [2, ~, ~, ~, ~, ~, 2]
  予以公开: [12, 2, 1, 0, 0, 0, 15]
  部分公开: [3, 0, 0, 0, 0, 0, 3]
  不予公开:
    其他法律行政法规禁止公开: [1, 0, 0, 0, 0, 0, 1]
  无法提供:
    本机关不掌握相关政府信息: [5, 1, 0, 0, 0, 0, 6]
  总计: [21, 3, 1, 0, 0, 0, 25]
  结转下年度继续办理: [1, 0, 0, 0, 0, 1, 2]
复议诉讼:
  行政复议: [2, 1, 0, 0, 3]
  未经复议直接起诉: [1, 0, 0, 1, 2]
  复议后起诉: [0, 0, 0, 0, 0]
存在问题及改进情况: |-
  公开内容还不够全面。

  下一步将加强培训。
其他需要报告的事项: 本年度未收取信息处理费。
落款:
  机关: 某县交通运输局
  日期: 2024-01-20
"#;

pub(crate) fn expected_government() -> Report {
    let p = xxgk::input::yaml::read_str(GOVERNMENT_YAML);
    assert!(
        !xxgk::diag::has_errors(&p.diagnostics),
        "{:?}",
        p.diagnostics
    );
    p.report
}

#[test]
fn a_government_site_page_reads_cell_for_cell() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "gov-html");
    let path = dir.join("某县交通运输局2023年报.html");
    std::fs::write(&path, government_page()).unwrap();
    let (report, rules) = read(&path);
    // The date of the page is not the report's publication date we wrote: leave it out.
    let mut report = report;
    report.published = None;
    assert_eq!(yaml_of(&report), yaml_of(&expected_government()));
    assert!(rules.contains(&"IMPORT".to_string()), "{rules:?}");
}

#[test]
fn a_page_in_gbk_reads_too() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "gbk");
    let page = government_page().replace("charset=\"utf-8\"", "charset=\"gbk\"");
    let (gbk, _, _) = encoding_rs::GBK.encode(&page);
    let path = dir.join("gbk.htm");
    std::fs::write(&path, &gbk).unwrap();
    let (mut report, _) = read(&path);
    report.published = None;
    assert_eq!(yaml_of(&report), yaml_of(&expected_government()));
}

#[test]
fn flattened_tables_read_with_bars_or_one_cell_per_line() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "flat");
    // The page's text as a copy gives it: one row per line, `|` between cells, "/" and empty
    // fields for blank cells.
    let mut text = String::from("某县交通运输局2023年政府信息公开工作年度报告\n一、总体情况\n2023年，我局认真落实政务公开工作要求。\n二、主动公开政府信息情况\n信息内容|本年制发件数|本年废止件数|现行有效件数\n规章|0|0|0\n行政规范性文件|4|1|30\n信息内容|本年处理决定数量\n行政许可|1234\n行政处罚|56\n行政强制|7\n信息内容|本年收费金额（单位：万元）\n行政事业性收费|12.50\n三、收到和处理政府信息公开申请情况\n");
    text.push_str("自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他|总计\n");
    let row = |label: &str, v: &str| format!("{label}|{v}\n");
    text.push_str(&row("一、本年新收政府信息公开申请数量", "20|3|1|0|0|1|25"));
    text.push_str(&row("二、上年结转政府信息公开申请数量", "2|/|/|/|/|/|2"));
    text.push_str(&row("三、本年度办理结果|（一）予以公开", "12|2|1|0|0|0|15"));
    text.push_str(&row(
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "3|0|0|0|0|0|3",
    ));
    text.push_str(&row("（三）不予公开|1.属于国家秘密", "||||||"));
    text.push_str(&row("2.其他法律行政法规禁止公开", "1|0|0|0|0|0|1"));
    for l in [
        "3.危及“三安全一稳定”",
        "4.保护第三方合法权益",
        "5.属于三类内部事务信息",
        "6.属于四类过程性信息",
        "7.属于行政执法案卷",
        "8.属于行政查询事项",
    ] {
        text.push_str(&row(l, "||||||"));
    }
    // One cell per line in this part of the table.
    text.push_str("（四）无法提供 1.本机关不掌握相关政府信息\n5\n1\n0\n0\n0\n0\n6\n");
    for l in [
        "2.没有现成信息需要另行制作",
        "3.补正后申请内容仍不明确",
        "（五）不予处理 1.信访举报投诉类申请",
        "2.重复申请",
        "3.要求提供公开出版物",
        "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
    ] {
        text.push_str(&row(l, "||||||"));
    }
    text.push_str(&row("（七）总计", "21|3|1|0|0|0|25"));
    text.push_str(&row("四、结转下年度继续办理", "1|0|0|0|0|1|2"));
    text.push_str("四、政府信息公开行政复议、行政诉讼情况\n行政复议|行政诉讼\n结果维持|结果纠正|其他结果|尚未审结|总计|未经复议直接起诉|复议后起诉\n结果维持|结果纠正|其他结果|尚未审结|总计|结果维持|结果纠正|其他结果|尚未审结|总计\n2|1|0|0|3|1|0|0|1|2|0|0|0|0|0\n五、存在的主要问题及改进情况\n公开内容还不够全面。\n六、其他需要报告的事项\n本年度未收取信息处理费。\n");
    let path = dir.join("flat.txt");
    std::fs::write(&path, &text).unwrap();
    let (report, _) = read(&path);
    let want = expected_government();
    for v in xxgk::spec::format::tables()
        .iter()
        .flat_map(|g| g.values().map(|(_, v)| v).collect::<Vec<_>>())
    {
        // Blank and 0 differ in the page ("/" and an empty field are blank).
        assert_eq!(report.cell_text(v), want.cell_text(v), "{}", v.path());
    }
    assert_eq!(report.body, "某县交通运输局");
    assert_eq!(report.year, 2023);
    assert_eq!(report.other.intro.0, "本年度未收取信息处理费。");
}

#[test]
fn the_scraped_langfang_page_reads_as_the_published_report() {
    // A real page's text (廊坊市人民政府办公室 2021, as copied from the site): table 二 and 四 have
    // lost their cell separators (`规章308`), table 三 has a line per blank cell.
    let path = common::root().join("tests/published/langfang-2021-page.txt");
    let (report, _) = read(&path);
    let p = xxgk::input::read_path(&path).unwrap();
    let want = common::example_report("langfang-2021.yaml");
    for v in xxgk::spec::format::tables()
        .iter()
        .flat_map(|g| g.values().map(|(_, v)| v).collect::<Vec<_>>())
    {
        assert_eq!(report.cell_text(v), want.cell_text(v), "{}", v.path());
    }
    assert_eq!(report.body, want.body);
    assert_eq!(report.year, want.year);
    assert_eq!(report.published, want.published);
    assert_eq!(report.overview.subsections.len(), 5);
    assert_eq!(report.overview.subsections[0].title, "主动公开");
    // Digits run together are never certain: each such row carries an IMPORT warning naming it.
    let doubts: Vec<&str> = p
        .diagnostics
        .iter()
        .filter(|d| d.rule.id() == "IMPORT")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        doubts
            .iter()
            .any(|m| m.contains("规章") && m.contains("308")),
        "{doubts:?}"
    );
    assert!(doubts
        .iter()
        .any(|m| m.contains("行政规范性文件") && m.contains("221148")));
    assert!(doubts.iter().any(|m| m.starts_with("表四")));
}

#[test]
fn a_python_docx_document_reads_cell_for_cell() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "python-docx");
    let html = dir.join("page.html");
    std::fs::write(&html, government_page()).unwrap();
    let out = dir.join("python.docx");
    // python-docx builds the document from the page's paragraphs and tables, merging cells as
    // the page spans them: another program's Word file, not ours.
    let script = r#"
import sys, html.parser, docx
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.items=[]; s.buf=None; s.table=None; s.cell=None; s.skip=0
    def handle_starttag(s, t, a):
        a=dict(a)
        if t in ('script','style','title'): s.skip+=1
        if t=='table': s.table=[]
        elif t=='tr' and s.table is not None: s.table.append([])
        elif t=='td' and s.table is not None:
            s.cell=[ '', int(a.get('rowspan',1)), int(a.get('colspan',1)) ]
        elif t=='br' and s.cell is not None: s.cell[0]+='\n'
        elif t in ('p','div') and s.table is None: s.buf=''
    def handle_endtag(s, t):
        if t in ('script','style','title'): s.skip-=1
        if t=='td' and s.cell is not None: s.table[-1].append(s.cell); s.cell=None
        elif t=='table': s.items.append(('t', s.table)); s.table=None
        elif t in ('p','div') and s.buf is not None:
            if s.buf.strip(): s.items.append(('p', s.buf.strip()))
            s.buf=None
    def handle_data(s, d):
        if s.skip: return
        if s.cell is not None: s.cell[0]+=d
        elif s.buf is not None: s.buf+=d
p=P(); p.feed(open(sys.argv[1], encoding='utf-8').read())
d=docx.Document()
for kind, it in p.items:
    if kind=='p': d.add_paragraph(it); continue
    taken=set(); grid=[]
    for r, row in enumerate(it):
        c=0; out=[]
        for text, rs, cs in row:
            while (r,c) in taken: c+=1
            out.append((c, text, rs, cs))
            for i in range(rs):
                for j in range(cs): taken.add((r+i, c+j))
            c+=cs
        grid.append(out)
    ncols=max(c+cs for row in grid for c,_,_,cs in row)
    t=d.add_table(rows=len(grid), cols=ncols)
    for r, row in enumerate(grid):
        for c, text, rs, cs in row:
            cell=t.cell(r, c)
            if rs>1 or cs>1: cell=cell.merge(t.cell(r+rs-1, c+cs-1))
            cell.text=text
d.save(sys.argv[2])
"#;
    let py = dir.join("make.py");
    std::fs::write(&py, script).unwrap();
    let (ok, _, err) = run(
        "python3",
        &[
            py.to_str().unwrap(),
            html.to_str().unwrap(),
            out.to_str().unwrap(),
        ],
    );
    assert!(ok, "python-docx (pip install python-docx): {err}");
    let (mut report, rules) = read(&out);
    report.published = None;
    assert_eq!(yaml_of(&report), yaml_of(&expected_government()));
    assert!(rules.contains(&"IMPORT".to_string()));
}

#[test]
fn a_word_file_without_our_data_reads_by_its_tables() {
    // Our Word file with the custom XML part taken out, as a copy through another program
    // that drops it would be: read from its paragraphs and merged cells.
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "bare-docx");
    for name in EXAMPLES {
        let report = common::example_report(name);
        let docs = render::render_all(&report, &[Format::Docx, Format::Html], None).unwrap();
        for (f, bytes) in docs {
            let bare = match f {
                Format::Docx => package::package_without_data(&bytes),
                _ => package::page_without_data(&String::from_utf8(bytes).unwrap()).into_bytes(),
            };
            let path = dir.join(format!("{name}.{}", f.extension()));
            std::fs::write(&path, bare).unwrap();
            let (back, rules) = read(&path);
            assert_eq!(
                yaml_of(&back),
                yaml_of(&as_printed(&report)),
                "{name} {f:?}"
            );
            assert!(rules.contains(&"IMPORT".to_string()));
        }
    }
}

#[test]
fn scanned_and_unrelated_documents_get_a_clear_message() {
    use lopdf::dictionary;
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "scanned");
    // A PDF with a page and no text: what a scanner gives.
    let mut doc = lopdf::Document::with_version("1.5");
    let pages = doc.new_object_id();
    let content = doc.add_object(lopdf::Stream::new(
        lopdf::Dictionary::new(),
        b"0 0 100 100 re f".to_vec(),
    ));
    let page = doc.add_object(lopdf::dictionary! {
        "Type" => "Page", "Parent" => pages, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages,
        lopdf::Object::Dictionary(lopdf::dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
        }),
    );
    let cat = doc.add_object(lopdf::dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", cat);
    let path = dir.join("scan.pdf");
    doc.save(&path).unwrap();
    let (code, out, err) = xxgk(&["check", path.to_str().unwrap()], &dir);
    let err = out + &err;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("没有文字层") && err.contains("OCR"), "{err}");
    // A page that is not a report at all.
    let other = dir.join("notice.html");
    std::fs::write(
        &other,
        "<html><body><h1>关于开展春季植树活动的通知</h1><p>各单位：……</p></body></html>",
    )
    .unwrap();
    let (code, out, err) = xxgk(&["check", other.to_str().unwrap()], &dir);
    let err = out + &err;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("不像政府信息公开工作年度报告"), "{err}");
    // A PDF with ruled tables, but none of the official ones (a price list, printed by
    // LibreOffice): the same one message, not a list of every table and section missing.
    let list = dir.join("price-list.html");
    std::fs::write(
        &list,
        "<html><body><h1>办公用品采购价格表</h1><p>以下为本季度采购的办公用品。</p>\
         <table border=\"1\"><tr><th>品名</th><th>单价</th><th>数量</th><th>金额</th></tr>\
         <tr><td>打印纸</td><td>25</td><td>40</td><td>1000</td></tr>\
         <tr><td>签字笔</td><td>2</td><td>300</td><td>600</td></tr>\
         <tr><td>文件夹</td><td>5</td><td>120</td><td>600</td></tr></table></body></html>",
    )
    .unwrap();
    let list_pdf = crate::common::libreoffice(&list, "pdf:writer_web_pdf_Export", &dir);
    let (code, out, err) = xxgk(&["check", list_pdf.to_str().unwrap()], &dir);
    let all = out + &err;
    assert_eq!(code, 1, "{all}");
    assert!(all.contains("不像政府信息公开工作年度报告"), "{all}");
    assert!(
        !all.contains("SCHEMA"),
        "one message, not every table: {all}"
    );
    // Bytes that are no zip, named as a Word document and an OFD: said in their own words.
    for (name, kind) in [("random.docx", "Word 文档"), ("random.ofd", "OFD")] {
        let f = dir.join(name);
        std::fs::write(&f, b"\x00\x01not a zip at all".repeat(50)).unwrap();
        let (code, out, err) = xxgk(&["check", f.to_str().unwrap()], &dir);
        let all = out + &err;
        assert_eq!(code, 1, "{all}");
        assert!(
            all.contains(&format!("{kind}是 zip 压缩包，这个文件不是")) && !all.contains("Excel"),
            "{all}"
        );
    }
    // Not a PDF at all.
    let fake = dir.join("fake.pdf");
    std::fs::write(&fake, "hello").unwrap();
    let (code, out, err) = xxgk(&["check", fake.to_str().unwrap()], &dir);
    let err = out + &err;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("不是 PDF"), "{err}");
}

/// A PDF (or OFD) without our data: qpdf takes the embedded file out (an editor that drops it).
fn without_attachment(pdf: &Path, out: &Path) {
    let (ok, _, err) = run(
        "qpdf",
        &[
            "--remove-attachment=xxgk-report.yaml",
            pdf.to_str().unwrap(),
            out.to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    let (_, list, _) = run("qpdf", &["--list-attachments", out.to_str().unwrap()]);
    assert!(!list.contains("xxgk-report"), "{list}");
}

#[test]
fn pdfs_made_by_libreoffice_and_our_pdf_and_ofd_without_data_read_by_the_labels() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "foreign-paged");
    for name in EXAMPLES {
        let stem = name.trim_end_matches(".yaml");
        let report = common::example_report(name);
        let docs = render::render_all(
            &report,
            &[Format::Docx, Format::Pdf, Format::Ofd],
            Some(common::fonts()),
        )
        .unwrap();
        let mut files = vec![];
        for (f, bytes) in docs {
            match f {
                // Another program's PDF: LibreOffice's own layout of the Word file.
                Format::Docx => files.push(common::libreoffice_pdf(&bytes, stem, &dir)),
                Format::Pdf => {
                    let ours = dir.join(format!("{stem}-ours.pdf"));
                    std::fs::write(&ours, &bytes).unwrap();
                    let bare = dir.join(format!("{stem}-bare.pdf"));
                    without_attachment(&ours, &bare);
                    files.push(bare);
                }
                _ => {
                    let path = dir.join(format!("{stem}-bare.ofd"));
                    std::fs::write(&path, package::package_without_data(&bytes)).unwrap();
                    files.push(path);
                }
            }
        }
        for path in files {
            let (back, rules) = read(&path);
            assert_eq!(
                yaml_of(&back),
                yaml_of(&as_printed(&report)),
                "{}",
                path.display()
            );
            assert!(rules.contains(&"IMPORT".to_string()));
        }
    }
}

#[test]
fn check_finds_wrong_totals_in_a_foreign_pdf_at_their_cells() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "t4-wrong");
    let mut report = common::example_report("langfang-2021.yaml");
    // 表四: 行政复议 printed with 总计 5 (2 + 0 + 0 + 0 is 2), 复议后起诉 with 总计 1 (all 0).
    let t4 = |g: usize| xxgk::spec::format::ValueRef::T4 { group: g, col: 4 };
    report.cell_mut_count(t4(0)).unwrap().value = 5;
    report.cell_mut_count(t4(2)).unwrap().value = 1;
    let docs = render::render_all(&report, &[Format::Docx], None).unwrap();
    let pdf = common::libreoffice_pdf(&docs[0].1, "wrong-t4", &dir);
    let (code, out, err) = xxgk(&["check", pdf.to_str().unwrap(), "--format", "json"], &dir);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let text = v.to_string();
    let groups: Vec<&serde_json::Value> = v
        .pointer("/files/0/diagnostics")
        .or_else(|| v.pointer("/0/diagnostics"))
        .or_else(|| v.pointer("/diagnostics"))
        .and_then(|d| d.as_array())
        .map(|a| a.iter().filter(|d| d["rule"] == "T4-GROUP").collect())
        .unwrap_or_default();
    assert_eq!(groups.len(), 2, "{text}");
    let cells: Vec<String> = groups.iter().map(|d| d.to_string()).collect();
    assert!(
        cells.iter().any(|c| c.contains("表四/行政复议/总计")),
        "{cells:?}"
    );
    assert!(
        cells.iter().any(|c| c.contains("表四/复议后起诉/总计")),
        "{cells:?}"
    );
}

#[test]
fn last_years_published_pdf_serves_as_previous() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "previous");
    let last = common::example_report("langfang-2021.yaml");
    let docs = render::render_all(&last, &[Format::Docx], None).unwrap();
    let last_pdf = common::libreoffice_pdf(&docs[0].1, "langfang-2021", &dir);
    // This year's report: carried in 3 where last year carried nothing over.
    let mut now = last.clone();
    now.year = 2022;
    now.published = None;
    now.signature = None;
    let carried = |col: usize| xxgk::spec::format::ValueRef::T3 { row: 1, col };
    for col in [0, 6] {
        let c = now.cell_mut_count(carried(col)).unwrap();
        c.value = 3;
        c.blank = false;
    }
    let now_path = dir.join("langfang-2022.yaml");
    std::fs::write(&now_path, render::yaml::render(&now)).unwrap();
    let (_, out, err) = xxgk(
        &[
            "check",
            now_path.to_str().unwrap(),
            "--previous",
            last_pdf.to_str().unwrap(),
        ],
        &dir,
    );
    let all = out + &err;
    assert!(all.contains("Y-CARRY"), "{all}");
    assert!(all.contains("表三/上年结转/自然人"), "{all}");
    assert!(!all.contains("Y-PREVIOUS"), "{all}");
}

/// A PDF of one page whose content stream is `content` (compressed when `deflate`), with `extra`
/// objects added by the caller.
fn pdf_with_content(content: Vec<u8>, deflate: bool) -> Vec<u8> {
    use lopdf::dictionary;
    let mut doc = lopdf::Document::with_version("1.5");
    let pages = doc.new_object_id();
    let mut dict = lopdf::Dictionary::new();
    if deflate {
        dict.set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
    }
    let stream = lopdf::Stream::new(dict, content).with_compression(false);
    let content = doc.add_object(stream);
    // A standard font as /F1, so that text shown with it is read.
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
    });
    doc.objects.insert(
        pages,
        lopdf::Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
        }),
    );
    let cat = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", cat);
    let mut out = vec![];
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn hostile_published_documents_end_quickly_in_bounded_memory() {
    use crate::hostile_budget::{assert_bounded, timed};
    use std::io::Write;
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "hostile");
    let mut cases: Vec<(&str, Vec<u8>)> = vec![];
    // A content stream that inflates to 512 MB of zeros (half a megabyte on disk).
    let mut z = flate2::write::ZlibEncoder::new(vec![], flate2::Compression::best());
    let block = vec![b' '; 1 << 20];
    for _ in 0..512 {
        z.write_all(&block).unwrap();
    }
    cases.push(("bomb.pdf", pdf_with_content(z.finish().unwrap(), true)));
    // Text operators nested a hundred thousand arrays deep, and a million empty strings shown.
    let mut deep = b"BT /F1 12 Tf ".to_vec();
    deep.extend(std::iter::repeat_n(b'[', 100_000));
    deep.extend(std::iter::repeat_n(b']', 100_000));
    deep.extend(b" TJ ");
    deep.extend("() Tj ".repeat(1_000_000).as_bytes());
    deep.extend(b"ET");
    cases.push(("deep.pdf", pdf_with_content(deep, false)));
    // Twenty thousand pieces of rules along one line and as many crossing it (a dashed grid):
    // joining the pieces of a rule stays quick.
    let mut dashes = String::new();
    for k in 0..20_000 {
        dashes.push_str(&format!(
            "{} 400 1 0.5 re f {} {} 0.5 1 re f\n",
            k * 3,
            k * 3,
            k % 800
        ));
    }
    cases.push(("dashes.pdf", pdf_with_content(dashes.into_bytes(), false)));
    // A table without rules of two thousand rows of forty figures, under a header of forty
    // labels: its rows and columns are guessed in bounded time.
    let mut grid = String::from("BT /F1 12 Tf\n");
    for j in 0..40 {
        grid.push_str(&format!("1 0 0 1 {} 800 Tm (h{j}) Tj\n", 200 + 30 * j));
    }
    for k in 0..2_000 {
        let y = 10_800 - 5 * k;
        grid.push_str(&format!("1 0 0 1 50 {y} Tm (row{k}) Tj\n"));
        for j in 0..40 {
            grid.push_str(&format!(
                "1 0 0 1 {} {y} Tm ({}) Tj\n",
                200 + 30 * j,
                k % 10
            ));
        }
    }
    grid.push_str("ET");
    cases.push(("unruled.pdf", pdf_with_content(grid.into_bytes(), false)));
    // A cross-reference table that points nowhere.
    let mut broken = pdf_with_content(b"BT ET".to_vec(), false);
    let at = broken.windows(4).rposition(|w| w == b"xref").unwrap();
    broken.truncate(at);
    broken.extend(b"xref\n0 9999999\n0000000000 65535 f \ntrailer\n<< /Root 99 0 R /Size 9999999 >>\nstartxref\n1\n%%EOF");
    cases.push(("broken-xref.pdf", broken));
    // A page nested 200,000 elements deep, with spans that claim the whole world.
    let mut page = String::from("<html><body>一、总体情况");
    page.push_str(&"<div>".repeat(200_000));
    page.push_str(&"<table><tr><td rowspan=\"65534\" colspan=\"65534\">x</td></tr>".repeat(2_000));
    page.push_str("</body></html>");
    cases.push(("deep.html", page.into_bytes()));
    // A Word file whose document part inflates far beyond its size.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(vec![]));
    w.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    let tbl = "<w:tbl><w:tr><w:tc>".repeat(1_000);
    w.write_all(tbl.as_bytes()).unwrap();
    for _ in 0..300 {
        w.write_all(&block).unwrap();
    }
    cases.push(("bomb.docx", w.finish().unwrap().into_inner()));
    // An OFD whose text claims a hundred million glyph steps.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(vec![]));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, body) in [
        ("OFD.xml", "<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>".to_string()),
        ("Doc_0/Document.xml", "<ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"P.xml\"/></ofd:Pages></ofd:Document>".to_string()),
        ("Doc_0/P.xml", format!("<ofd:Page xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:Content><ofd:Layer>{}</ofd:Layer></ofd:Content></ofd:Page>", "<ofd:TextObject Boundary=\"0 0 10 10\" Size=\"3\"><ofd:TextCode X=\"0\" Y=\"0\" DeltaX=\"g 100000000 1\">一二三</ofd:TextCode></ofd:TextObject>".repeat(2_000))),
    ] {
        w.start_file(name, opts).unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    cases.push(("steps.ofd", w.finish().unwrap().into_inner()));
    for (name, bytes) in cases {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let (code, err, kb, secs) = timed(&["check", path.to_str().unwrap()], &dir);
        assert!(code == 1 || code == 2, "{name}: exit {code}\n{err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert_bounded(name, kb, secs);
    }
}

/// Our page with every border taken away (a site's style that draws none).
fn borderless_page(report: &Report) -> String {
    page_without_data(report).replace("border", "x-border")
}

/// Our Word file without our data and with every table rule taken away (`w:val="nil"`).
fn borderless_word(report: &Report) -> Vec<u8> {
    let docx = render::render_all(report, &[Format::Docx], Some(common::fonts())).unwrap();
    package::repack(&docx[0].1, |n, b| {
        let b = package::without_data_part(n, b)?;
        Some(if n == "word/document.xml" {
            let x = String::from_utf8(b).unwrap();
            let mut out = String::new();
            let mut rest = x.as_str();
            while let Some(i) = rest.find("<w:tblBorders>") {
                let j = rest[i..].find("</w:tblBorders>").unwrap() + i;
                out.push_str(&rest[..i]);
                out.push_str(&rest[i..j].replace("w:val=\"single\"", "w:val=\"nil\""));
                rest = &rest[j..];
            }
            out.push_str(rest);
            assert!(!out.contains("w:val=\"single\""), "every rule is gone");
            out.into_bytes()
        } else {
            b
        })
    })
}

/// Our OFD without its attachment (our data) and without its rules: every path object taken
/// out of the pages' content.
fn ofd_without_rules(report: &Report) -> Vec<u8> {
    let docs = render::render_all(report, &[Format::Ofd], Some(common::fonts())).unwrap();
    let mut paths = 0;
    let ofd = package::repack(&docs[0].1, |n, b| {
        let b = package::without_data_part(n, b)?;
        if !n.ends_with("Content.xml") {
            return Some(b);
        }
        let x = String::from_utf8(b).unwrap();
        let mut out = String::new();
        let mut rest = x.as_str();
        while let Some(i) = rest.find("<ofd:PathObject") {
            let end = "</ofd:PathObject>";
            let j = rest[i..].find(end).unwrap() + i + end.len();
            out.push_str(&rest[..i]);
            rest = &rest[j..];
            paths += 1;
        }
        out.push_str(rest);
        Some(out.into_bytes())
    });
    assert!(paths > 0, "the rules were there to take out");
    ofd
}

/// The page with its figures' cells aligned right (their labels' cells stay centred).
fn figures_right(page: &str) -> String {
    let mut out = String::new();
    for (i, cell) in page.split("<td").enumerate() {
        if i > 0 {
            out.push_str("<td");
        }
        let content = cell
            .split_once('>')
            .and_then(|(_, rest)| rest.split_once("</td>"))
            .map(|(c, _)| c);
        let figure = content
            .is_some_and(|c| !c.is_empty() && c.chars().all(|x| x.is_ascii_digit() || x == '.'));
        if figure {
            out.push_str(&cell.replacen("text-align:center", "text-align:right", 1));
        } else {
            out.push_str(cell);
        }
    }
    assert!(
        out.contains("text-align:right"),
        "some figures are aligned right"
    );
    out
}

/// The part of a report's YAML that holds 表二, 表三 and 表四.
fn tables_of(yaml: &str) -> String {
    let start = yaml.find("\n# 二、").expect("表二 in the YAML");
    let end = yaml.find("\n# 五、").expect("section 五 in the YAML");
    yaml[start..end].to_string()
}

/// Asserts the page-by-page warning of a PDF whose tables have no rules: there is one, and
/// each names where its tables start as that page shows them (pdftotext reads the page).
fn assert_guessed_per_page(pdf: &Path, diagnostics: &[xxgk::diag::Diagnostic]) {
    let warnings: Vec<&String> = diagnostics
        .iter()
        .filter(|d| d.rule.id() == "IMPORT" && d.message.contains("没有画出表格线"))
        .map(|d| &d.message)
        .collect();
    assert!(!warnings.is_empty(), "{}: {diagnostics:#?}", pdf.display());
    if pdf.extension().is_some_and(|e| e == "ofd") {
        return;
    }
    for m in warnings {
        let page: String = m["第 ".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let (_, text, _) = run(
            "pdftotext",
            &["-f", &page, "-l", &page, pdf.to_str().unwrap(), "-"],
        );
        let text: String = text.split_whitespace().collect();
        let quoted: Vec<&str> = m
            .split('“')
            .skip(1)
            .filter_map(|q| q.split('”').next())
            .collect();
        assert!(!quoted.is_empty(), "{m}");
        for q in quoted {
            assert!(text.contains(q), "page {page} shows “{q}”: {m}");
        }
    }
}

#[test]
fn tables_without_rules_read_by_their_labels_with_a_warning_per_page() {
    // Tables printed without rules, by several producers: our page with its borders taken
    // away printed by Chromium (also at another font size with top-aligned cells) and set by
    // LibreOffice's web export, our Word file with its table rules taken away set by
    // LibreOffice, our OFD with its path objects taken out. No rules to find the cells by:
    // rows are found by the official row labels, columns by the header labels, and every page
    // says so.
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "no-rules");
    let mut cases = vec![];
    for name in EXAMPLES {
        let stem = name.trim_end_matches(".yaml");
        let report = common::example_report(name);
        let html = dir.join(format!("{stem}.html"));
        std::fs::write(&html, borderless_page(&report)).unwrap();
        let web = dir.join("web");
        std::fs::create_dir_all(&web).unwrap();
        let word = borderless_word(&report);
        let ofd = dir.join(format!("{stem}.ofd"));
        std::fs::write(&ofd, ofd_without_rules(&report)).unwrap();
        // Another font size (labels wrapped at other places), and figures set at the top right
        // of their cells instead of in the middle, under labels still centred.
        let other = dir.join(format!("{stem}-other.html"));
        let size = if name == "langfang-2021.yaml" {
            "font-size:13pt;"
        } else {
            "font-size:8pt;"
        };
        std::fs::write(
            &other,
            figures_right(
                &borderless_page(&report)
                    .replace("font-size:10.5pt;", size)
                    .replace("vertical-align:middle", "vertical-align:top"),
            ),
        )
        .unwrap();
        let mut pdfs = vec![
            chromium_pdf(&html, &dir),
            chromium_pdf(&other, &dir),
            common::libreoffice_pdf(&word, &format!("{stem}-word"), &dir),
            ofd,
        ];
        // LibreOffice 7.4's web import lays the demo's page without borders out without end
        // (it converts in two seconds with them): that producer is tried on the other example.
        if name == "langfang-2021.yaml" {
            pdfs.push(common::libreoffice(
                &html,
                "pdf:writer_web_pdf_Export",
                &web,
            ));
        }
        for pdf in pdfs {
            cases.push((pdf, report.clone()));
        }
    }
    // Every case is read before any is judged, so one run shows every producer's misreadings.
    let mut wrong = vec![];
    for (pdf, report) in &cases {
        let p = xxgk::input::read_path(pdf).unwrap();
        assert_guessed_per_page(pdf, &p.diagnostics);
        // Every cell of 表二/表三/表四 (blank stays blank, 0 stays 0), the 机关 and 年度 from
        // the title, the six sections' text: as written into the page. LibreOffice's web export
        // leaves some text off the page (its first page blank where the title's first line
        // was, a 、 dropped), so where pdftotext does not find the title whole on the page the
        // tables are compared, and the one error allowed is the missing 机关.
        let (mut got, mut want) = (yaml_of(&p.report), yaml_of(&as_printed(report)));
        let title = want
            .lines()
            .next()
            .unwrap()
            .trim_start_matches("# ")
            .to_string();
        let whole = pdf.extension().is_some_and(|e| e == "ofd") || {
            let (_, shown, _) = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
            let shown: String = shown.split_whitespace().collect();
            shown.contains(&title)
        };
        if !whole {
            (got, want) = (tables_of(&got), tables_of(&want));
        }
        let errors: Vec<&xxgk::diag::Diagnostic> = p
            .diagnostics
            .iter()
            .filter(|d| d.severity == xxgk::diag::Severity::Error)
            .filter(|d| whole || !d.message.contains("“机关”"))
            .collect();
        if !p.complete || !errors.is_empty() || got != want {
            let diff: Vec<String> = got
                .lines()
                .zip(want.lines())
                .filter(|(g, w)| g != w)
                .map(|(g, w)| format!("  read {g}\n  want {w}"))
                .collect();
            wrong.push(format!(
                "{}: {errors:#?}\n{}",
                pdf.display(),
                diff.join("\n")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn a_figure_moved_off_its_row_reads_right_or_is_said_at_its_cell() {
    // 表三's 97 (本机关不掌握相关政府信息, 自然人) lifted towards the row above on a page
    // without rules: it is either read on its own row or, placed by nearness between two rows,
    // a warning names it at its cell of the table read (表格N!…).
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "moved-figure");
    let report = common::example_report("langfang-2021.yaml");
    let page = borderless_page(&report);
    let cell = "font-size:10.5pt\">97</td>";
    assert_eq!(page.matches(cell).count(), 1);
    let own = "    本机关不掌握相关政府信息: [97, 1, ~, ~, ~, ~, 98]";
    assert!(yaml_of(&report).contains(own));
    let mut said = 0;
    // Half a row: still on its row. Nine tenths of a row (with Chromium's rows here): as near
    // the row above as its own. (Lifted a whole row it is on the row above, as the page shows.)
    for (k, lift) in ["0.5em", "0.9em"].iter().enumerate() {
        let html = dir.join(format!("lifted-{k}.html"));
        let moved = page.replace(
            cell,
            &format!("font-size:10.5pt;position:relative;top:-{lift}\">97</td>"),
        );
        std::fs::write(&html, moved).unwrap();
        let pdf = chromium_pdf(&html, &dir);
        let p = xxgk::input::read_path(&pdf).unwrap();
        if yaml_of(&p.report).contains(own) {
            continue;
        }
        let warning = p
            .diagnostics
            .iter()
            .find(|d| d.rule.id() == "IMPORT" && d.message.contains("“97”"))
            .unwrap_or_else(|| panic!("97 lifted {lift} moved silently: {:#?}", p.diagnostics));
        assert!(
            matches!(&warning.location, xxgk::diag::Location::Sheet { sheet, .. } if sheet.starts_with("表格")),
            "{warning:#?}"
        );
        said += 1;
    }
    // Lifted nearly a row, it is between two rows: at least that one is said.
    assert!(said > 0, "one of the lifts leaves 97 between two rows");
}

/// Our page without the data block (a copy that lost it), so only its labels can be read.
fn page_without_data(report: &Report) -> String {
    let docs = render::render_all(report, &[Format::Html], Some(common::fonts())).unwrap();
    let page = package::page_without_data(&String::from_utf8(docs[0].1.clone()).unwrap());
    assert!(!page.contains("xxgk-report"), "the data block is gone");
    page
}

/// Headless Chromium's print of a page to PDF (Skia's PDF: every glyph its own font subset,
/// ToUnicode maps that name radicals for ideographs, each cell's borders drawn as thin filled
/// boxes split at every column).
pub(crate) fn chromium_pdf(html: &Path, dir: &Path) -> std::path::PathBuf {
    let pdf = html.with_extension("pdf");
    let (ok, _, err) = run(
        "chromium",
        &[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            &format!("--user-data-dir={}", dir.join("chromium-profile").display()),
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", html.display()),
        ],
    );
    assert!(ok && pdf.exists(), "{err}");
    pdf
}

#[test]
fn a_browsers_print_of_our_page_reads_by_the_labels() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "chromium");
    for name in EXAMPLES {
        let report = common::example_report(name);
        let html = dir.join(name.replace(".yaml", ".html"));
        std::fs::write(&html, page_without_data(&report)).unwrap();
        let pdf = chromium_pdf(&html, &dir);
        let (_, producer, _) = run("pdfinfo", &[pdf.to_str().unwrap()]);
        assert!(producer.contains("Skia"), "{producer}");
        let (back, rules) = read(&pdf);
        // Every cell, the 机关 and 年度 from the title, the six sections' text.
        assert_eq!(
            yaml_of(&back),
            yaml_of(&as_printed(&report)),
            "{}",
            pdf.display()
        );
        assert!(rules.contains(&"IMPORT".to_string()));
    }
}

#[test]
fn convert_records_where_a_foreign_document_came_from() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "origin");
    let report = common::example_report("langfang-2021.yaml");
    let mut cases: Vec<(std::path::PathBuf, String, &str)> = vec![];
    // A browser's PDF: the producer as pdfinfo reads it.
    let html = dir.join("page.html");
    std::fs::write(&html, page_without_data(&report)).unwrap();
    let pdf = chromium_pdf(&html, &dir);
    let (_, info, _) = run("pdfinfo", &[pdf.to_str().unwrap()]);
    let producer = info
        .lines()
        .find_map(|l| l.strip_prefix("Producer:"))
        .unwrap()
        .trim()
        .to_string();
    cases.push((pdf, producer, "PDF"));
    // A page a site's CMS made, naming itself.
    let page = page_without_data(&report).replacen(
        "<head>",
        "<head><meta name=\"generator\" content=\"TRS WCM 7.0\">",
        1,
    );
    let cms = dir.join("cms.html");
    std::fs::write(&cms, page).unwrap();
    cases.push((cms, "TRS WCM 7.0".into(), "网页"));
    // A Word file another program saved: its app.xml names the program.
    let docx = render::render_all(&report, &[Format::Docx], None).unwrap();
    let word_file = package::repack(&docx[0].1, |n, b| {
        let b = package::without_data_part(n, b)?;
        Some(if n == "docProps/app.xml" {
            br#"<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><AppVersion>16.0000</AppVersion></Properties>"#.to_vec()
        } else {
            b
        })
    });
    let word = dir.join("word.docx");
    std::fs::write(&word, word_file).unwrap();
    cases.push((word, "Microsoft Office Word 16.0000".into(), "Word 文档"));
    for (input, program, kind) in cases {
        let out = input.with_extension("yaml");
        let (code, _, err) = xxgk(
            &["convert", input.to_str().unwrap(), out.to_str().unwrap()],
            &dir,
        );
        assert_eq!(code, 0, "{err}");
        let yaml = std::fs::read_to_string(&out).unwrap();
        let first = yaml.lines().next().unwrap();
        assert!(first.starts_with("# 来源："), "{first}");
        for said in [program.as_str(), kind, "标签"] {
            assert!(first.contains(said), "{said} in {first}");
        }
        let warning = err
            .lines()
            .find(|l| l.contains("[IMPORT]") && l.contains("读自"))
            .unwrap_or_else(|| panic!("{err}"));
        assert!(warning.contains(&program), "{warning}");
        // The comment is only a comment: the file reads as the report.
        let (back, _) = read(&out);
        assert_eq!(yaml_of(&back), yaml_of(&as_printed(&report)), "{first}");
    }
}
