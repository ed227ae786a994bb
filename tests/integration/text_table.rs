//! Rule TEXT-TABLE: figures the text repeats against the tables. Phrasings taken from published
//! reports, each against the demo report's tables (consistent and not), sentences whose figures
//! are about other things, the location, unreadable cells, Excel, and the exit code.

use crate::common;

use common::{example, xxgk};
use xxgk::diag::{Diagnostic, Location, Place, Rule, Severity, TextPart};
use xxgk::input::{excel, yaml, Parsed};
use xxgk::spec::format::{TextSection, ValueRef};
use xxgk::validate;

/// The sentence of the demo report that the cases replace (总体情况/分项/1/内容).
const DEMO_SENTENCE: &str = "全年收到政府信息公开申请52件，上年结转3件，均在法定期限内答复。";
const TEXT_PATH: &str = "总体情况/分项/1/内容";

/// The text of [`TEXT_PATH`], and the cell the warnings name.
fn text_place() -> Place {
    let place = Place::text(TextSection::Overview, TextPart::SubsectionBody(1));
    assert_eq!(place.path(), TEXT_PATH);
    place
}

fn new_total() -> ValueRef {
    let v = ValueRef::T3 { row: 0, col: 6 };
    assert_eq!(v.path(), "表三/本年新收/总计");
    v
}

// The demo report's tables: 本年新收 52 (自然人 40, 法人或其他组织 10+1+0+1+0 = 12), 上年结转 3,
// 予以公开 28, 部分公开 6, 不予公开 2, 无法提供 10, 不予处理 3, 其他处理 2, 总计 51,
// 结转下年度 4; 行政复议 3, 行政诉讼 2 + 0; 规章 [0, 0, 0], 行政规范性文件 [3, 1, 15].

fn checked(text: &str) -> Parsed {
    let mut p = yaml::read_str(text);
    validate::check(&mut p, &Default::default());
    p
}

fn demo_saying(sentence: &str) -> String {
    let t = example("demo-2023.yaml");
    assert_eq!(t.matches(DEMO_SENTENCE).count(), 1);
    t.replacen(DEMO_SENTENCE, sentence, 1)
}

fn text_table(p: &Parsed) -> Vec<&Diagnostic> {
    p.diagnostics
        .iter()
        .filter(|d| d.rule == Rule::TextTable)
        .collect()
}

/// The cells the rule contradicts when the demo report says `sentence`; the report must read
/// without any other diagnostic.
fn cells_for(sentence: &str) -> Vec<String> {
    let p = checked(&demo_saying(sentence));
    let others: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.rule != Rule::TextTable)
        .collect();
    assert!(others.is_empty(), "{sentence}: {others:#?}");
    text_table(&p)
        .iter()
        .map(|d| {
            assert_eq!(d.severity, Severity::Warning);
            d.place.map(|p| p.path()).unwrap_or_default()
        })
        .collect()
}

fn assert_cells(sentence: &str, expected: &[&str]) {
    assert_eq!(cells_for(sentence), expected, "{sentence}");
}

#[test]
fn the_examples_stay_silent() {
    for name in ["langfang-2021.yaml", "demo-2023.yaml"] {
        let p = checked(&example(name));
        assert!(text_table(&p).is_empty(), "{name}: {:#?}", p.diagnostics);
    }
}

#[test]
fn phrasings_that_agree_with_the_tables_pass() {
    for s in [
        "本年度共收到政府信息公开申请52件。",
        "全年受理依申请公开52件，其中自然人申请40件，法人或其他组织申请12件。",
        "全年共收到政府信息公开申请52件，上年结转3件，均在法定期限内答复。",
        "2023年，本局新收政府信息公开申请52件，其中自然人提出申请40件、法人或其他组织提出申请12件。",
        "上年结转3件。",
        "从办理结果看，予以公开28件，部分公开6件，不予公开2件，无法提供10件，不予处理3件，其他处理2件。",
        "本年度办结51件，结转下年度继续办理4件。",
        "共办结政府信息公开申请51件，结转下一年度办理的4件。",
        "发生政府信息公开行政复议案件3件，行政诉讼案件2件。",
        "因政府信息公开被申请行政复议3起，被提起行政诉讼2起。",
        "因政府信息公开被申请行政复议三件，被提起行政诉讼两件。",
        "制发行政规范性文件3件，现行有效规范性文件15件。",
        "全年共收到政府信息公开申请52件（其中自然人40件，商业企业10件，科研机构1件，法律服务机构1件）。",
        "全年共收到政府信息公开申请５２件。",
        "2023年共受理政府信息公开申请52件，较2022年增加12件。",
        // 55 = 52 new + 3 carried over: the sentence says so, the figure is not 本年新收.
        "共受理政府信息公开申请55件（含上年结转3件）。",
        "共受理政府信息公开申请55件，其中上年结转3件。",
        "全年办结政府信息公开申请51件，其中予以公开28件，部分公开6件，无法提供10件。",
        "本年度办结51件。其中，予以公开28件，不予处理3件。",
        "从申请主体看，自然人申请40件，法人或其他组织申请12件。",
        "上年度转结3件。",
        "共完成政府信息依申请公开答复51件，包括上年结转信息公开申请3件。其中，予以公开答复28件，占54.9%；部分公开6件，占11.8%；不予公开2件；无法提供的10件；不予处理的3件；其他处理2件。",
    ] {
        assert_cells(s, &[]);
    }
}

#[test]
fn phrasings_that_contradict_the_tables_warn_at_the_named_cell() {
    let cases: &[(&str, &[&str])] = &[
        ("本年度共收到政府信息公开申请56件。", &["表三/本年新收/总计"]),
        ("全年新收政府信息公开申请1,295件。", &["表三/本年新收/总计"]),
        ("全年新收政府信息公开申请1，295件。", &["表三/本年新收/总计"]),
        (
            "全年受理依申请公开101件，其中自然人申请95件，法人或其他组织申请6件。",
            &["表三/本年新收/总计", "表三/本年新收/自然人", "表三/本年新收"],
        ),
        (
            "全年受理依申请公开52件，其中自然人申请41件，法人或其他组织申请11件。",
            &["表三/本年新收/自然人", "表三/本年新收"],
        ),
        ("上年结转2件。", &["表三/上年结转/总计"]),
        ("予以公开32件。", &["表三/予以公开/总计"]),
        ("部分公开5件。", &["表三/部分公开/总计"]),
        ("不予公开1件。", &["表三/不予公开"]),
        ("无法提供14件。", &["表三/无法提供"]),
        ("不予处理1件。", &["表三/不予处理"]),
        ("其他处理3件。", &["表三/其他处理"]),
        ("已办结53件。", &["表三/总计/总计"]),
        ("结转下年度继续办理3件。", &["表三/结转下年度继续办理/总计"]),
        (
            "发生政府信息公开行政复议案件2件，行政诉讼案件1件。",
            &["表四/行政复议/总计", "表四"],
        ),
        (
            "因政府信息公开被申请行政复议四件。",
            &["表四/行政复议/总计"],
        ),
        ("制发规章3件。", &["表二/规章/本年制发"]),
        ("制发行政规范性文件22件。", &["表二/行政规范性文件/本年制发"]),
        ("现行有效规范性文件48件。", &["表二/行政规范性文件/现行有效"]),
        ("现行有效规章8件。", &["表二/规章/现行有效"]),
        (
            "全年办结51件，其中予以公开27件，部分公开6件。",
            &["表三/予以公开/总计"],
        ),
        (
            "全年共收到政府信息公开申请52件。从申请主体看，自然人申请39件，法人或其他组织申请13件。",
            &["表三/本年新收/自然人", "表三/本年新收"],
        ),
        ("被诉案件3起，均涉及政府信息公开。", &["表四"]),
        ("上年度转结2件。", &["表三/上年结转/总计"]),
        (
            "共完成政府信息依申请公开答复51件，包括上年结转信息公开申请3件。其中，予以公开答复28件；部分公开6件；不予公开3件；无法提供的10件。",
            &["表三/不予公开"],
        ),
        (
            "全年共收到政府信息公开申请1,295件，其中自然人申请1259件、法人或其他组织申请36件，结转下年度继续办理293件，发生行政复议案件55件，行政诉讼案件34件。",
            &[
                "表三/本年新收/总计",
                "表三/本年新收/自然人",
                "表三/本年新收",
                "表三/结转下年度继续办理/总计",
                "表四/行政复议/总计",
                "表四",
            ],
        ),
    ];
    for (s, expected) in cases {
        assert_cells(s, expected);
    }
}

#[test]
fn figures_about_other_things_are_never_judged() {
    for s in [
        "全年主动公开政府信息3.2万条。",
        "召开新闻发布会36场。",
        "办理人大代表建议和政协提案86件。",
        "组织政务公开培训12次。",
        "收到的政府信息公开申请较上年增长12%。",
        "收到政府信息公开申请同比增加12件。",
        "2022年收到政府信息公开申请80件。",
        "与上年相比，予以公开的申请多了9件。",
        "全市各级行政机关共收到政府信息公开申请1295件，其中予以公开900件。",
        "办理政府信息公开申请60件。",
        "依法答复政府信息公开申请55件。",
        "受理群众来信来访120件。",
        "接听政务服务热线咨询电话1200余件。",
        "开展规范性文件清理，废止1件，修订2件。",
        "审查规范性文件22件。",
        "2024年计划制发规范性文件10件。",
        "发布政策解读18篇，政务新媒体账号390多个，按时办结率100%。",
        "自然人申请占比97.2%。",
        "行政复议结果维持1件。",
        "全年办理行政复议案件120件。",
        "办结第1件申请用时3天。",
        "收到政府信息公开申请和行政复议申请分别为60件和5件。",
        "处理申请60件，其中自然人申请50件。",
        "重复申请不予处理1件。",
        "本机关不掌握相关政府信息无法提供9件。",
        "上年结转3件，其中予以公开2件。",
        "在本年新收的52件申请中，予以公开20件。",
        "收到政府信息公开申请52件，其中予以公开20件。",
        "以县政府名义印发规范性文件2件。",
        "收到省政府办公厅转办的政府信息公开申请5件。",
        "全年共收到政府信息公开申请52件，比上年的43件增加9件。",
        "全年共收到政府信息公开申请52件（2022年为43件）。",
        "共需办理政府信息公开申请55件。",
        "十四五期间，一是统一件件有回音。",
        "全区各职能部门、镇街共完成政府信息依申请公开答复1453件，包括上年结转信息公开申请30件。其中，予以公开答复966件，占66.48%；部分公开67，占4.61%；不予公开81件，占5.57%；无法提供的182件，占12.53%。",
        "全市共收到政府信息公开申请34290件，申请数量较2022年上升29.3%；答复政府信息公开申请34430件（含上年度转结），均在法定期限内予以答复。予以公开及部分公开10538件，占30.61%。",
        "主动公开市政府规章13件（含新制定5件，修改4件，废止4件），主动公开市政府和市政府办公厅行政规范性文件42件，人事任免文件106件，其他文件113件。",
        "通过网上申请平台收到政府信息公开申请40件。",
        "收到涉及征地拆迁的政府信息公开申请20件。",
        "上半年共收到政府信息公开申请30件。",
        "12月收到政府信息公开申请5件。",
        "在20个工作日内办结50件。",
        "收到申请人补正材料5件。",
        "行政复议机关作为共同被告的行政诉讼案件4件，均涉及政府信息公开。",
    ] {
        assert_cells(s, &[]);
    }
}

#[test]
fn the_warning_states_both_figures_at_the_text_and_names_the_cell() {
    let p = checked(&demo_saying("本年度共收到政府信息公开申请56件。"));
    let found = text_table(&p);
    assert_eq!(found.len(), 1, "{:#?}", p.diagnostics);
    let d = found[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.place.map(|p| p.path()).as_deref(),
        Some("表三/本年新收/总计")
    );
    assert!(d.message.contains("56"), "{}", d.message);
    assert!(d.message.contains("52"), "{}", d.message);
    assert!(d.message.contains(TEXT_PATH), "{}", d.message);
    assert_eq!(d.location, p.locate(text_place()));
    assert!(
        matches!(d.location, Location::Yaml { .. }),
        "{:?}",
        d.location
    );
    // The location is the text's, not the cell's.
    assert_ne!(d.location, p.locate(new_total()));
}

#[test]
fn every_text_section_is_read() {
    let t = example("demo-2023.yaml")
        .replacen(
            "本报告依据《中华人民共和国政府信息公开条例》",
            "本年度共收到政府信息公开申请53件。本报告依据《中华人民共和国政府信息公开条例》",
            1,
        )
        .replacen(
            "2023年，青山县市场监督管理局认真贯彻落实《条例》",
            "2023年，予以公开29件，青山县市场监督管理局认真贯彻落实《条例》",
            1,
        )
        .replacen(
            "一是主动公开的及时性有待提高",
            "办结53件，一是主动公开的及时性有待提高",
            1,
        )
        .replacen(
            "2023年，本局未收取信息处理费。",
            "2023年，本局未收取信息处理费，行政复议案件1件，均涉及政府信息公开。",
            1,
        );
    let p = checked(&t);
    let mut got: Vec<(String, String)> = text_table(&p)
        .iter()
        .map(|d| {
            let path = d.message.split('”').next().unwrap_or("").replace('“', "");
            (path, d.place.map(|p| p.path()).unwrap_or_default())
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                "其他需要报告的事项/概述".into(),
                "表四/行政复议/总计".into()
            ),
            ("前言".into(), "表三/本年新收/总计".into()),
            ("存在问题及改进情况/概述".into(), "表三/总计/总计".into()),
            ("总体情况/概述".into(), "表三/予以公开/总计".into()),
        ]
        .map(|(a, b): (String, String)| (a, b))
    );
}

#[test]
fn unreadable_cells_are_not_judged() {
    let t = demo_saying("本年度共收到政府信息公开申请56件，予以公开30件。").replacen(
        "本年新收: [40, 10, 1, 0, 1, 0, 52]",
        "本年新收: [40, 10, 1, 0, 1, 0, 五十二]",
        1,
    );
    let p = checked(&t);
    assert!(p.diagnostics.iter().any(|d| d.rule == Rule::Value));
    let cells: Vec<_> = text_table(&p)
        .iter()
        .map(|d| d.place.map(|p| p.path()))
        .collect();
    assert_eq!(cells, [Some("表三/予以公开/总计".to_string())]);
}

#[test]
fn excel_warnings_point_at_the_text_cell() {
    let p = checked(&demo_saying("本年度共收到政府信息公开申请56件。"));
    let bytes = xxgk::render::xlsx::render(&p.report).unwrap();
    let mut x = excel::read_bytes(&bytes);
    validate::check(&mut x, &Default::default());
    let found = text_table(&x);
    assert_eq!(found.len(), 1, "{:#?}", x.diagnostics);
    assert_eq!(
        found[0].place.map(|p| p.path()).as_deref(),
        Some("表三/本年新收/总计")
    );
    assert!(
        matches!(&found[0].location, Location::Sheet { .. }),
        "{:?}",
        found[0].location
    );
    assert_eq!(found[0].location, x.locate(text_place()));
    assert_ne!(found[0].location, x.locate(new_total()));
}

#[test]
fn check_exits_0_and_prints_the_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.yaml");
    std::fs::write(&file, demo_saying("本年度共收到政府信息公开申请56件。")).unwrap();
    let (code, out, err) = xxgk(&["check", "r.yaml"], dir.path());
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("TEXT-TABLE"), "{out}{err}");
    let (code, out, _) = xxgk(&["check", "examples/demo-2023.yaml"], &common::root());
    assert_eq!(code, 0);
    assert!(!out.contains("TEXT-TABLE"), "{out}");
}
