//! The core: YAML reading, every rule with a failing and a passing case, bad inputs, the
//! `check` command's output and exit codes.

use crate::common;

use common::{example, root, xxgk};
use xxgk::diag::{Location, Rule, Severity};
use xxgk::input::{yaml, Parsed};
use xxgk::validate;

fn checked(text: &str) -> Parsed {
    let mut p = yaml::read_str(text);
    validate::check(&mut p, &Default::default());
    p
}

/// Replaces exactly one occurrence of `from` in the demo report.
fn demo_with(from: &str, to: &str) -> String {
    let t = example("demo-2023.yaml");
    assert_eq!(t.matches(from).count(), 1, "{from}");
    t.replacen(from, to, 1)
}

fn rules(p: &Parsed) -> Vec<(Rule, Option<String>)> {
    p.diagnostics
        .iter()
        .map(|d| (d.rule, d.place.map(|p| p.path())))
        .collect()
}

fn only(p: &Parsed, rule: Rule) -> &xxgk::diag::Diagnostic {
    let found: Vec<_> = p.diagnostics.iter().filter(|d| d.rule == rule).collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {rule:?}, got {:#?}",
        p.diagnostics
    );
    found[0]
}

#[test]
fn examples_pass_without_diagnostics() {
    for name in ["langfang-2021.yaml", "demo-2023.yaml"] {
        let p = checked(&example(name));
        assert!(p.complete);
        assert!(p.diagnostics.is_empty(), "{name}: {:#?}", p.diagnostics);
    }
}

#[test]
fn example_numbers_are_read() {
    let p = checked(&example("langfang-2021.yaml"));
    let r = &p.report;
    assert_eq!(r.body, "廊坊市人民政府办公室");
    assert_eq!(r.year, 2021);
    assert_eq!(
        r.table2.documents[0]
            .iter()
            .map(|c| c.value)
            .collect::<Vec<_>>(),
        [3, 0, 8]
    );
    assert_eq!(
        r.table2.documents[1]
            .iter()
            .map(|c| c.value)
            .collect::<Vec<_>>(),
        [22, 11, 48]
    );
    assert_eq!(
        r.table3.cells[0]
            .iter()
            .map(|c| c.value)
            .collect::<Vec<_>>(),
        [99, 1, 0, 0, 0, 0, 100]
    );
    // 本机关不掌握相关政府信息 is row 13 of table 三 (index 12).
    assert_eq!(r.table3.cells[12][6].value, 98);
    assert_eq!(
        r.table4.cells[0]
            .iter()
            .map(|c| c.value)
            .collect::<Vec<_>>(),
        [2, 0, 0, 0, 2]
    );
    assert_eq!(r.overview.subsections.len(), 5);
    assert_eq!(r.overview.subsections[4].title, "政策解读");
    // Zeros as the seed publishes them: given 0s print, cells left empty (`~`) stay blank.
    assert_eq!(r.show_zero, None);
    assert!(!r.table3.cells[0][6].blank && r.table3.cells[0][2].blank);
    assert!(!r.table3.cells[1][6].blank && r.table3.cells[1][0].blank);
    assert_eq!(r.problems.intro.paragraphs().len(), 2);
    let d = xxgk::input::yaml::read_str(&example("demo-2023.yaml")).report;
    assert_eq!(d.table2.fee.value.to_string(), "12.50");
    assert_eq!(
        d.table2.documents[1][2].note.as_deref(),
        Some("其中修订2件")
    );
    assert_eq!(d.table2.documents[1][2].value, 15);
}

#[test]
fn t4_group_total_zero_while_parts_sum_to_eleven() {
    let p = checked(&demo_with(
        "行政复议: [2, 1, 0, 0, 3]",
        "行政复议: [2, 0, 0, 9, 0]",
    ));
    let d = only(&p, Rule::T4Group);
    assert_eq!(
        d.place.map(|p| p.path()).as_deref(),
        Some("表四/行政复议/总计")
    );
    assert_eq!(d.severity, Severity::Error);
    assert!(
        d.message.contains("总计为 0") && d.message.contains("之和为 11"),
        "{}",
        d.message
    );
    let line = example("demo-2023.yaml")
        .lines()
        .position(|l| l.contains("行政复议: [2, 1"))
        .unwrap()
        + 1;
    assert_eq!(d.location, Location::Yaml { line, column: 22 });
}

#[test]
fn t4_group_passes_when_total_is_left_out() {
    let p = checked(&demo_with(
        "行政复议: [2, 1, 0, 0, 3]",
        "行政复议: [2, 1, 0, 0]",
    ));
    assert!(p.diagnostics.is_empty(), "{:#?}", p.diagnostics);
    assert_eq!(p.report.table4.cells[0][4].value, 3);
}

#[test]
fn t3_row_total_must_match_its_columns() {
    let p = checked(&demo_with(
        "予以公开: [20, 6, 1, 0, 1, 0, 28]",
        "予以公开: [20, 6, 1, 0, 1, 0, 29]",
    ));
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.rule == Rule::T3Row)
        .unwrap();
    assert_eq!(
        d.place.map(|p| p.path()).as_deref(),
        Some("表三/予以公开/总计")
    );
    assert!(d.message.contains("29") && d.message.contains("28"));
    // Six numbers: the total is computed and the row passes.
    let p = checked(&demo_with(
        "予以公开: [20, 6, 1, 0, 1, 0, 28]",
        "予以公开: [20, 6, 1, 0, 1, 0]",
    ));
    assert!(p.diagnostics.is_empty(), "{:#?}", p.diagnostics);
}

#[test]
fn t3_results_total_must_match_the_result_rows() {
    let p = checked(&demo_with(
        "总计: [40, 9, 1, 0, 1, 0, 51]",
        "总计: [41, 9, 1, 0, 1, 0, 52]",
    ));
    let found = rules(&p);
    assert!(
        found.contains(&(Rule::T3Results, Some("表三/总计/自然人".into()))),
        "{found:?}"
    );
    assert!(
        found.contains(&(Rule::T3Results, Some("表三/总计/总计".into()))),
        "{found:?}"
    );
    // Leaving （七）总计 out computes it from the result rows.
    let p = checked(&demo_with("  总计: [40, 9, 1, 0, 1, 0, 51]\n", ""));
    assert!(p.diagnostics.is_empty(), "{:#?}", p.diagnostics);
}

#[test]
fn t3_balance_per_column() {
    let text = demo_with(
        "结转下年度继续办理: [3, 1, 0, 0, 0, 0, 4]",
        "结转下年度继续办理: [3, 0, 0, 0, 0, 0, 3]",
    );
    let p = checked(&text);
    let found = rules(&p);
    assert_eq!(
        found,
        vec![
            (
                Rule::T3Balance,
                Some("表三/结转下年度继续办理/商业企业".into())
            ),
            (Rule::T3Balance, Some("表三/结转下年度继续办理/总计".into())),
        ]
    );
    let d = &p.diagnostics[0];
    assert!(
        d.message.contains("本年新收 10 + 上年结转 0 = 10"),
        "{}",
        d.message
    );
    assert!(
        d.message
            .contains("（七）总计 9 + 结转下年度继续办理 0 = 9"),
        "{}",
        d.message
    );
}

#[test]
fn all_problems_of_a_file_are_reported_at_once() {
    let text = demo_with("行政许可: 856", "行政许可: 856件")
        .replace("行政复议: [2, 1, 0, 0, 3]", "行政复议: [2, 0, 0, 9, 0]")
        .replace(
            "予以公开: [20, 6, 1, 0, 1, 0, 28]",
            "予以公开: [20, 6, 1, 0, 1, 0, 29]",
        )
        .replace(
            "机关: 青山县市场监督管理局\n年度",
            "机关: 青山县市场监督管理局\n机构: x\n年度",
        );
    let p = checked(&text);
    let found: Vec<Rule> = p.diagnostics.iter().map(|d| d.rule).collect();
    for r in [Rule::Value, Rule::T4Group, Rule::T3Row, Rule::Schema] {
        assert!(found.contains(&r), "{r:?} missing from {found:?}");
    }
    // Sorted by position in the file.
    let lines: Vec<usize> = p
        .diagnostics
        .iter()
        .filter_map(|d| match d.location {
            Location::Yaml { line, .. } => Some(line),
            _ => None,
        })
        .collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
}

#[test]
fn a_bad_cell_is_not_reported_again_as_an_imbalance() {
    let p = checked(&demo_with(
        "本年新收: [40, 10, 1, 0, 1, 0, 52]",
        "本年新收: [40, 十, 1, 0, 1, 0, 52]",
    ));
    assert_eq!(
        rules(&p),
        vec![(Rule::Value, Some("表三/本年新收/商业企业".into()))]
    );
}

#[test]
fn cross_year_warnings() {
    let prev = yaml::read_str(&example("demo-2023.yaml")).report;
    let next = demo_with("年度: 2023", "年度: 2024");
    // Carried in 3 (自然人) but last year carried 3 out: fine. Change it to break Y-CARRY.
    let mut p = yaml::read_str(&next.replace(
        "上年结转: [3, 0, 0, 0, 0, 0, 3]",
        "上年结转: [3, 1, 0, 0, 0, 0, 4]",
    ));
    validate::check(
        &mut p,
        &validate::Checks {
            previous: Some(&prev),
            ..Default::default()
        },
    );
    let carry: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.rule == Rule::YCarry)
        .collect();
    assert!(carry.iter().all(|d| d.severity == Severity::Warning));
    // 商业企业 is now 1 = last year's 1; 自然人 3 = 3; 总计 4 = 4: no carry warning. The
    // balance, though, now fails (an error), which is right.
    assert!(carry.is_empty(), "{carry:#?}");
    let mut p = yaml::read_str(&next.replace(
        "上年结转: [3, 0, 0, 0, 0, 0, 3]",
        "上年结转: [2, 0, 0, 0, 0, 0, 2]",
    ));
    validate::check(
        &mut p,
        &validate::Checks {
            previous: Some(&prev),
            ..Default::default()
        },
    );
    let carry: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.rule == Rule::YCarry)
        .map(|d| d.place.map(|p| p.path()).unwrap())
        .collect();
    assert_eq!(
        carry,
        [
            "表三/上年结转/自然人",
            "表三/上年结转/商业企业",
            "表三/上年结转/总计"
        ]
    );
    // Y-INFORCE: last year 15 in force, +3 −1 must give 17; the demo says 15.
    let w = p
        .diagnostics
        .iter()
        .find(|d| d.rule == Rule::YInforce)
        .unwrap();
    assert_eq!(
        w.place.map(|p| p.path()).as_deref(),
        Some("表二/行政规范性文件/现行有效")
    );
    assert!(w.message.contains("= 17"), "{}", w.message);
    assert_eq!(w.severity, Severity::Warning);
    // A consistent next year: no Y-* warning at all.
    let good = next
        .replace(
            "上年结转: [3, 0, 0, 0, 0, 0, 3]",
            "上年结转: [3, 1, 0, 0, 0, 0, 4]",
        )
        .replace(
            "本年新收: [40, 10, 1, 0, 1, 0, 52]",
            "本年新收: [40, 9, 1, 0, 1, 0, 51]",
        )
        .replace("{数: 15, 注: 其中修订2件}", "17")
        // The text repeats the figures (rule TEXT-TABLE would notice otherwise).
        .replace(
            "全年收到政府信息公开申请52件，上年结转3件",
            "全年收到政府信息公开申请51件，上年结转4件",
        );
    let mut p = yaml::read_str(&good);
    validate::check(
        &mut p,
        &validate::Checks {
            previous: Some(&prev),
            ..Default::default()
        },
    );
    // The figures agree; the text is last year's copied (the assessor's checks say so, see
    // tests/integration/compare.rs), nothing else.
    let rules: Vec<Rule> = p.diagnostics.iter().map(|d| d.rule).collect();
    assert!(
        rules
            .iter()
            .all(|r| matches!(r, Rule::YSimilar | Rule::SectionEmpty)),
        "{:#?}",
        p.diagnostics
    );
}

#[test]
fn value_errors() {
    let cases = [
        ("行政强制: 7", "行政强制: -1", "表二/行政强制", "负数"),
        ("行政强制: 7", "行政强制: 1.5", "表二/行政强制", "不是整数"),
        ("行政强制: 7", "行政强制: 七件", "表二/行政强制", "不是数字"),
        (
            "行政强制: 7",
            "行政强制: 99999999999999999999",
            "表二/行政强制",
            "太大",
        ),
        (
            "行政强制: 7",
            "行政强制: 100000000",
            "表二/行政强制",
            "太大",
        ),
        ("行政强制: 7", "行政强制: [1]", "表二/行政强制", "列表"),
        (
            "行政事业性收费: 12.50",
            "行政事业性收费: -3",
            "表二/行政事业性收费",
            "金额",
        ),
        (
            "行政事业性收费: 12.50",
            "行政事业性收费: 12万",
            "表二/行政事业性收费",
            "金额",
        ),
    ];
    for (from, to, cell, word) in cases {
        let p = checked(&demo_with(from, to));
        let d = only(&p, Rule::Value);
        assert_eq!(d.place.map(|p| p.path()).as_deref(), Some(cell), "{to}");
        assert!(d.message.contains(word), "{to}: {}", d.message);
        assert!(matches!(d.location, Location::Yaml { .. }), "{to}");
    }
    // Digits as a string and whole floats are accepted.
    for ok in [
        "行政强制: \"7\"",
        "行政强制: 7.0",
        "行政强制: {数: 7, 注: 含查封3件}",
    ] {
        let p = checked(&demo_with("行政强制: 7", ok));
        assert!(p.diagnostics.is_empty(), "{ok}: {:#?}", p.diagnostics);
        assert_eq!(p.report.table2.decisions[2].value, 7);
    }
}

#[test]
fn year_written_in_chinese_gets_a_hint() {
    let p = checked(&demo_with("年度: 2023", "年度: 二〇二三"));
    let d = only(&p, Rule::Value);
    assert_eq!(
        d.hints.first().map(String::as_str),
        Some("写作 `年度: 2023`")
    );
    let p = checked(&demo_with("年度: 2023", "年度: 1999"));
    assert!(only(&p, Rule::Value).message.contains("超出范围"));
}

#[test]
fn schema_errors() {
    // Unknown key with a suggestion.
    let p = checked(&demo_with(
        "复议后起诉: [0, 0, 0, 0, 0]",
        "复议后起述: [0, 0, 0, 0, 0]",
    ));
    let d = only(&p, Rule::Schema);
    assert_eq!(
        d.hints.first().map(String::as_str),
        Some("您是不是要写“复议后起诉”？")
    );
    // A row of the wrong length.
    let p = checked(&demo_with(
        "予以公开: [20, 6, 1, 0, 1, 0, 28]",
        "予以公开: [20, 6, 1, 0, 1]",
    ));
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.rule == Rule::Schema)
        .unwrap();
    assert!(d.message.contains("实际有 5 个"), "{}", d.message);
    assert!(
        p.diagnostics.iter().all(|d| d.rule == Rule::Schema),
        "no imbalance for an unreadable row: {:#?}",
        p.diagnostics
    );
    // A missing table: one error, no rule run on its cells.
    let t = example("demo-2023.yaml");
    let start = t.find("复议诉讼:").unwrap();
    let end = t.find("存在问题及改进情况:").unwrap();
    let p = checked(&format!("{}{}", &t[..start], &t[end..]));
    assert_eq!(rules(&p), vec![(Rule::Schema, None)]);
    assert!(p.diagnostics[0].message.contains("复议诉讼"));
    // A list where a mapping belongs.
    let p = checked(
        &demo_with("申请情况:\n", "申请情况:\n  - 1\n").replace("  本年新收", "  x本年新收"),
    );
    assert!(p
        .diagnostics
        .iter()
        .any(|d| d.rule == Rule::Syntax || d.rule == Rule::Schema));
    let p = checked("- 机关: x\n- 年度: 2021\n");
    let d = only(&p, Rule::Schema);
    assert!(d.message.contains("列表"));
    // A misplaced key says where it belongs.
    let p = checked(&demo_with("  其他处理:\n", "  其他处理:\n").replace(
        "  不予处理:\n    信访举报投诉类申请",
        "  信访举报投诉类申请",
    ));
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.rule == Rule::Schema)
        .unwrap();
    assert_eq!(
        d.hints.first().map(String::as_str),
        Some("“信访举报投诉类申请”应写在“申请情况”的“不予处理”下")
    );
}

#[test]
fn every_hint_is_kept() {
    // An unknown key written with a full-width colon: both the "did you mean" and the colon
    // hint are given, in that order.
    let p = checked(&demo_with("  行政许可: ", "  行政许可：: "));
    let d = only(&p, Rule::Schema);
    assert_eq!(d.hints.len(), 2, "{d:#?}");
    assert!(d.hints[0].contains("您是不是要写“行政许可”"), "{d:#?}");
    assert!(d.hints[1].contains("全角冒号"), "{d:#?}");
}

#[test]
fn syntax_errors_are_located() {
    let p = checked(&demo_with("年度: 2023", "年度：2023"));
    let d = only(&p, Rule::Syntax);
    assert!(d.hints.iter().any(|h| h.contains("全角冒号")), "{d:#?}");
    assert_eq!(d.location, Location::Yaml { line: 4, column: 3 });
    let p = checked(&demo_with("行政许可: 856", "行政许可: [856"));
    let d = only(&p, Rule::Syntax);
    assert!(matches!(d.location, Location::Yaml { .. }));
    let p = checked("机关: x\n\t年度: 2021\n");
    assert_eq!(only(&p, Rule::Syntax).rule, Rule::Syntax);
    assert!(!p.complete);
}

#[test]
fn empty_and_binary_files() {
    let p = checked("");
    assert!(only(&p, Rule::Schema).message.contains("空"));
    let p = checked("   \n# 只有注释\n");
    assert!(only(&p, Rule::Schema).message.contains("空"));
    let mut garbage = vec![0xff, 0xfe, 0x00, 0x01];
    garbage.extend((0..255u8).rev());
    let mut p = yaml::read_bytes(&garbage);
    validate::check(&mut p, &Default::default());
    assert!(only(&p, Rule::Syntax).message.contains("UTF-8"));
    let p = checked("机关: x\u{0}\n");
    assert_eq!(only(&p, Rule::Syntax).rule, Rule::Syntax);
}

#[test]
fn yaml_writer_round_trips() {
    for name in ["langfang-2021.yaml", "demo-2023.yaml"] {
        let r = yaml::read_str(&example(name)).report;
        let text = xxgk::render::yaml::render(&r);
        let back = checked(&text);
        assert!(
            back.diagnostics.is_empty(),
            "{name}: {:#?}\n{text}",
            back.diagnostics
        );
        assert_eq!(back.report, r, "{name}");
    }
    // Awkward strings survive quoting.
    let mut r = yaml::read_str(&example("demo-2023.yaml")).report;
    r.body = "2023".into();
    r.other.intro = xxgk::model::Text("  前导空格: 值 # 非注释\n\n第二段\t制表".into());
    r.table4.cells[0][0].note = Some("甲, 乙 [丙]: 丁".into());
    let back = yaml::read_str(&xxgk::render::yaml::render(&r)).report;
    assert_eq!(back, r);
}

#[test]
fn template_is_accepted_once_filled() {
    let t = xxgk::render::yaml::template(2025);
    for label in [
        "自然人",
        "本年新收",
        "结果维持",
        "第二十条第（八）项",
        "属于三类内部事务信息",
        "3.危及“三安全一稳定”",
    ] {
        assert!(t.contains(label), "{label}");
    }
    // The blank template passes, with a warning for each placeholder left in.
    let p = checked(&t);
    assert!(
        !xxgk::diag::has_errors(&p.diagnostics),
        "{:#?}",
        p.diagnostics
    );
    assert_eq!(p.diagnostics.len(), 4, "{:#?}", p.diagnostics);
    assert!(p
        .diagnostics
        .iter()
        .all(|d| d.rule == Rule::Placeholder && d.severity == Severity::Warning));
    assert_eq!(
        p.diagnostics[0].location,
        Location::Yaml { line: 4, column: 1 }
    );
    let t = t
        .replace("某某市某某局", "青山县统计局")
        .replace("（文字描述", "（已填写");
    let filled = t
        .replacen(
            "本年新收: [0, 0, 0, 0, 0, 0, 0]",
            "本年新收: [5, 1, 0, 0, 0, 0, 6]",
            1,
        )
        .replacen(
            "予以公开: [0, 0, 0, 0, 0, 0, 0]",
            "予以公开: [5, 1, 0, 0, 0, 0]",
            1,
        )
        .replacen(
            "  总计: [0, 0, 0, 0, 0, 0, 0]",
            "  总计: [5, 1, 0, 0, 0, 0, 6]",
            1,
        );
    let p = checked(&filled);
    assert!(p.diagnostics.is_empty(), "{:#?}", p.diagnostics);
    assert_eq!(p.report.year, 2025);
}

// ----- the binary -----

#[test]
fn check_command_exit_codes_and_human_output() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = xxgk(&["check", "examples/langfang-2021.yaml"], &root());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("通过"));
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        demo_with("行政复议: [2, 1, 0, 0, 3]", "行政复议: [2, 0, 0, 9, 0]"),
    )
    .unwrap();
    let (code, out, _) = xxgk(&["check", bad.to_str().unwrap()], &root());
    assert_eq!(code, 1);
    assert!(out.contains("错误[T4-GROUP]"), "{out}");
    assert!(out.contains(&format!("{}:", bad.display())), "{out}");
    assert!(out.contains("  行政复议: [2, 0, 0, 9, 0]"), "{out}");
    assert!(out.contains("= 单元格：表四/行政复议/总计"), "{out}");
    let (code, _, err) = xxgk(&["check", "no-such-file.yaml"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("不存在"), "{err}");
    let (code, _, _) = xxgk(&["check", "report.txt"], dir.path());
    assert_eq!(code, 2);
    let (code, _, _) = xxgk(&["check"], dir.path());
    assert_eq!(code, 2);
    let (code, _, _) = xxgk(&["frobnicate"], dir.path());
    assert_eq!(code, 2);
}

#[test]
fn check_json_shape() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        demo_with("行政复议: [2, 1, 0, 0, 3]", "行政复议: [2, 0, 0, 9, 0]"),
    )
    .unwrap();
    let ex = root().join("examples/demo-2023.yaml");
    let (code, out, _) = xxgk(
        &[
            "check",
            "--format",
            "json",
            bad.to_str().unwrap(),
            ex.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], 1, "format version");
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["ok"], false);
    assert_eq!(files[1]["ok"], true);
    // The per-file summary.
    assert_eq!(
        (&files[0]["errors"], &files[0]["warnings"]),
        (&1.into(), &0.into())
    );
    assert_eq!(
        (&files[1]["errors"], &files[1]["warnings"]),
        (&0.into(), &0.into())
    );
    assert_eq!(files[1]["diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(files[0]["outputs"], serde_json::json!([]));
    let d = &files[0]["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["rule"], "T4-GROUP");
    assert_eq!(d["cell"], "表四/行政复议/总计");
    assert_eq!(
        d["message"],
        "表四“行政复议”的总计为 0，而结果维持、结果纠正、其他结果、尚未审结之和为 11"
    );
    assert!(d["line"].as_u64().unwrap() > 40);
    assert_eq!(d["column"], 22);
    assert!(d["sheet"].is_null() && d["ref"].is_null());
    for key in [
        "severity", "rule", "message", "cell", "line", "column", "sheet", "ref",
    ] {
        assert!(d.get(key).is_some(), "{key}");
    }
}

#[test]
fn check_with_previous_reports_warnings_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let next = dir.path().join("next.yaml");
    std::fs::write(&next, demo_with("年度: 2023", "年度: 2024")).unwrap();
    let prev = root().join("examples/demo-2023.yaml");
    let (code, out, _) = xxgk(
        &[
            "check",
            next.to_str().unwrap(),
            "--previous",
            prev.to_str().unwrap(),
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<&str> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"Y-INFORCE"), "{rules:?}");
    assert_eq!(v["files"][0]["ok"], true);
}

#[test]
fn template_command_writes_a_checkable_file() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = xxgk(
        &["template", "--yaml", "-o", "t.yaml", "--year", "2024"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = xxgk(&["check", "t.yaml"], dir.path());
    assert_eq!(code, 0, "{out}");
    let (code, _, _) = xxgk(&["template", "-o", "t.yaml"], dir.path());
    assert_eq!(code, 2, "needs --yaml or --xlsx");
}

#[test]
fn convert_yaml_to_yaml_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let ex = root().join("examples/langfang-2021.yaml");
    let (code, _, err) = xxgk(&["convert", ex.to_str().unwrap(), "copy.yml"], dir.path());
    assert_eq!(code, 0, "{err}");
    let a = yaml::read_str(&example("langfang-2021.yaml")).report;
    let b = yaml::read_str(&std::fs::read_to_string(dir.path().join("copy.yml")).unwrap()).report;
    assert_eq!(a, b);
}

#[test]
fn convert_both_ways_through_excel_and_check_names_sheet_cells() {
    let dir = tempfile::tempdir().unwrap();
    let ex = root().join("examples/demo-2023.yaml");
    let (code, _, err) = xxgk(&["convert", ex.to_str().unwrap(), "demo.xlsx"], dir.path());
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = xxgk(&["convert", "demo.xlsx", "back.yaml"], dir.path());
    assert_eq!(code, 0, "{err}");
    let a = yaml::read_str(&example("demo-2023.yaml")).report;
    let b = yaml::read_str(&std::fs::read_to_string(dir.path().join("back.yaml")).unwrap()).report;
    assert_eq!(a, b);
    let (code, out, _) = xxgk(&["check", "demo.xlsx"], dir.path());
    assert_eq!(code, 0, "{out}");

    // A broken total in the workbook is reported at its sheet and cell.
    let mut broken = a.clone();
    broken.table4.cells[0][4].value = 0;
    std::fs::write(
        dir.path().join("broken.xlsx"),
        xxgk::render::xlsx::render(&broken).unwrap(),
    )
    .unwrap();
    let (code, out, _) = xxgk(&["check", "--format", "json", "broken.xlsx"], dir.path());
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(d["rule"], "T4-GROUP");
    assert_eq!(d["cell"], "表四/行政复议/总计");
    assert_eq!(d["sheet"], "表四");
    assert!(d["ref"].as_str().unwrap().ends_with('5'), "{d}");
    assert!(d["line"].is_null());
    let (code, out, _) = xxgk(&["check", "broken.xlsx"], dir.path());
    assert_eq!(code, 1);
    assert!(out.contains("--> broken.xlsx 表四!"), "{out}");
}

/// Thousands of damaged copies of a real report (bytes dropped, duplicated, replaced, lines
/// swapped): the reader and the rules report them, never panic.
#[test]
fn damaged_files_never_panic() {
    let base = example("demo-2023.yaml").into_bytes();
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n.max(1)
    };
    let specials: &[&[u8]] = &[
        b":",
        b"\xef\xbc\x9a",
        b"[",
        b"]",
        b"{",
        b"-",
        b"\t",
        b"\n",
        b"  ",
        b"#",
        b"\"",
        b"99999999999999999999",
        b"-1",
        b"1.5",
        b"~",
        b"&a",
        b"*a",
        b"!!str ",
    ];
    for _ in 0..3000 {
        let mut b = base.clone();
        for _ in 0..1 + next(4) {
            let at = next(b.len());
            match next(4) {
                0 => {
                    let len = next(20).min(b.len() - at);
                    b.drain(at..at + len);
                }
                1 => {
                    let s = specials[next(specials.len())];
                    b.splice(at..at, s.iter().copied());
                }
                2 => b[at] = next(256) as u8,
                _ => {
                    let from = next(b.len());
                    let len = next(40).min(b.len() - from);
                    let piece: Vec<u8> = b[from..from + len].to_vec();
                    b.splice(at..at, piece);
                }
            }
        }
        let mut p = yaml::read_bytes(&b);
        validate::check(&mut p, &Default::default());
        for d in &p.diagnostics {
            assert!(!d.message.is_empty());
        }
        let _ = xxgk::cli::print::human(
            "x.yaml",
            p.source_text.as_deref(),
            p.diagnostics
                .first()
                .unwrap_or(&xxgk::diag::Diagnostic::error(Rule::Syntax, "-")),
        );
    }
}

#[test]
fn a_2019_single_row_other_handling_is_explained_once() {
    let p = checked(&demo_with(
        "  其他处理:\n    其他: [2, 0, 0, 0, 0, 0, 2]",
        "  其他处理: [2, 0, 0, 0, 0, 0, 2]",
    ));
    let d = only(&p, Rule::Schema);
    assert!(d.hints.iter().any(|h| h.contains("2019")), "{d:#?}");
    assert_eq!(
        p.diagnostics.len(),
        1,
        "no imbalance reported for the unknown rows: {:#?}",
        p.diagnostics
    );
}

/// SECTION-EMPTY fires on a section with no text or only “无”, at the section's line, and stays
/// silent on a section that says there is nothing to report in a sentence.
#[test]
fn an_empty_section_is_named_and_a_stated_nothing_is_not() {
    let six = "其他需要报告的事项: 2023年，本局未收取信息处理费。";
    for (text, fires) in [
        ("其他需要报告的事项: ~", true),
        ("其他需要报告的事项: 无", true),
        ("其他需要报告的事项: 无。", true),
        ("其他需要报告的事项: \"  \"", true),
        ("其他需要报告的事项: 本年度无其他需要报告的事项。", false),
    ] {
        let yaml = demo_with(six, text);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), &yaml).unwrap();
        let (code, out, _) = xxgk(&["check", "a.yaml", "--format", "json"], dir.path());
        assert_eq!(code, 0, "a warning, not an error: {out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let hits: Vec<&serde_json::Value> = v["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "SECTION-EMPTY")
            .collect();
        assert_eq!(hits.len(), usize::from(fires), "{text}: {out}");
        if fires {
            assert_eq!(hits[0]["severity"], "warning");
            assert_eq!(hits[0]["cell"], "其他需要报告的事项", "{out}");
            assert!(hits[0]["line"].as_u64().is_some(), "{out}");
            assert!(
                hits[0]["message"].as_str().unwrap().contains("六、"),
                "{out}"
            );
        }
    }
}
