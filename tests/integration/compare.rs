//! The assessor's checks (Y-DATE, Y-SIMILAR, Y-JUMP, SECTION-EMPTY on 五, T4-EXPLAIN, FEE-TEXT,
//! BATCH-SIMILAR), `batch --previous` and `xxgk compare`, on pairs made from the real report of
//! `examples/langfang-2021.yaml` (廊坊市人民政府办公室, as published) and the demo report: the
//! same body's next year as a copy with the year changed, with figures edited, with text
//! rewritten; and another body. Each check is shown to fire where it should (`fires_…`) and to
//! stay silent where it should not (`silent_…`).
//!
//! Thresholds, measured here and in the comments of `src/validate/assess.rs`:
//! - Y-SIMILAR warns above 50 % of this year's character trigrams found in last year's section
//!   (the assessment rules' “重复率大于50%”). A copy with the year changed scores 100 %; section
//!   一 of the demo body against 廊坊's (two bodies, same genre) scores about a third (asserted
//!   below ≤ 40 %); on nine real published sections 一 of different bodies (not kept in the
//!   repository) the largest was 30 % (with bigrams 46 %, which is why trigrams are used).
//! - Y-JUMP: doubled or halved and the larger at least 10 件 (3 → 7 is noise).
//! - BATCH-SIMILAR: estimated Jaccard ≥ 0.8 of the trigram sets, sections of at least 100
//!   characters: a copy under another name scores ≈ 1.0, the two examples ≈ 0.1.

use crate::common::{self, example, example_path, xxgk};
use std::path::Path;
use xxgk::diag::{Diagnostic, Rule};
use xxgk::input::Kind;
use xxgk::job::{self, Input};

/// Reads and checks YAML text through the job pipeline, with last year's report if given.
fn check(yaml: &str, previous: Option<&str>) -> Vec<Diagnostic> {
    let prev = previous.map(|p| {
        let parsed = job::read(Input::Bytes {
            kind: Kind::Yaml,
            bytes: p.as_bytes(),
        })
        .expect("previous reads");
        assert!(
            parsed.complete && !xxgk::diag::has_errors(&parsed.diagnostics),
            "previous: {:?}",
            parsed.diagnostics
        );
        parsed.report
    });
    let opts = job::Options {
        previous: prev.as_ref(),
        ..job::Options::default()
    };
    let o = job::run(
        Input::Bytes {
            kind: Kind::Yaml,
            bytes: yaml.as_bytes(),
        },
        &opts,
    );
    assert!(o.report.is_some(), "{:?}", o.diagnostics);
    o.diagnostics
}

fn of(ds: &[Diagnostic], rule: Rule) -> Vec<&Diagnostic> {
    ds.iter().filter(|d| d.rule == rule).collect()
}

fn replace(text: &str, pairs: &[(&str, &str)]) -> String {
    let mut t = text.to_string();
    for (a, b) in pairs {
        assert!(t.contains(a), "fixture has “{a}”");
        t = t.replace(a, b);
    }
    t
}

/// 廊坊 2021 as published.
fn langfang() -> String {
    example("langfang-2021.yaml")
}

/// 廊坊's next year as a clerk would make it by copying last year's file: the year and the
/// dates changed, the figures and the text as they were.
fn langfang_2022_copy() -> String {
    replace(
        &langfang(),
        &[
            ("2022-01-27", "2023-01-20"),
            ("2022年，市政府办公室将", "2023年，市政府办公室将"),
            ("2021", "2022"),
        ],
    )
}

// --- Y-DATE ----------------------------------------------------------------------------------

#[test]
fn silent_y_date_for_a_department_on_time() {
    // 廊坊市人民政府办公室 is an office of the government: due 1月31日; published 1月27日.
    assert!(of(&check(&langfang(), None), Rule::YDate).is_empty());
}

#[test]
fn fires_y_date_for_a_late_department_and_disagreeing_dates() {
    let late = replace(
        &langfang(),
        &[("发布日期: 2022-01-27", "发布日期: 2022-02-15")],
    );
    let ds = check(&late, None);
    let ds = of(&ds, Rule::YDate);
    assert_eq!(ds.len(), 2, "{ds:?}");
    assert!(ds[0].message.contains("2022年2月15日") && ds[0].message.contains("2022年1月31日"));
    assert_eq!(ds[0].place.map(|p| p.path()), Some("发布日期".to_string()));
    assert!(ds[1].message.contains("不一致"), "{}", ds[1].message);
}

#[test]
fn y_date_gives_a_government_until_march_stated_or_inferred() {
    // Stated: the same office's report declared a government's is due 3月31日.
    let stated = replace(
        &langfang(),
        &[
            (
                "发布日期: 2022-01-27",
                "本级政府: true\n发布日期: 2022-03-20",
            ),
            ("日期: 2022-01-27", "日期: 2022-03-20"),
        ],
    );
    assert!(of(&check(&stated, None), Rule::YDate).is_empty());
    // Inferred from 机关: 廊坊市人民政府 is the government itself.
    let gov = replace(
        &langfang(),
        &[
            ("机关: 廊坊市人民政府办公室", "机关: 廊坊市人民政府"),
            ("发布日期: 2022-01-27", "发布日期: 2022-03-31"),
            ("日期: 2022-01-27", "日期: 2022-03-31"),
        ],
    );
    assert!(of(&check(&gov, None), Rule::YDate).is_empty());
    let late = gov.replace("2022-03-31", "2022-04-02");
    let ds = check(&late, None);
    let ds = of(&ds, Rule::YDate);
    assert_eq!(ds.len(), 2, "published and signed late: {ds:?}");
    assert!(ds[0].message.contains("2022年3月31日"), "{}", ds[0].message);
    // A value that is not a boolean is a VALUE error at the key.
    let bad = replace(&langfang(), &[("发布日期:", "本级政府: 是的\n发布日期:")]);
    let ds = check(&bad, None);
    assert!(
        ds.iter()
            .any(|d| d.rule == Rule::Value && d.message.contains("本级政府")),
        "{ds:?}"
    );
}

#[test]
fn the_stated_level_survives_excel_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = replace(&langfang(), &[("发布日期:", "本级政府: true\n发布日期:")]);
    std::fs::write(dir.path().join("a.yaml"), &yaml).unwrap();
    let (code, _, err) = xxgk(&["convert", "a.yaml", "a.xlsx"], dir.path());
    assert_eq!(code, 0, "{err}");
    // The workbook holds it in a row of its own, read back by calamine.
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(dir.path().join("a.xlsx")).unwrap();
    let info = wb.worksheet_range("基本信息").unwrap();
    let row = info
        .rows()
        .find(|r| r.first().map(|c| c.to_string()) == Some("本级政府".into()))
        .expect("a 本级政府 row");
    assert_eq!(row[1].to_string(), "是");
    let (code, _, err) = xxgk(&["convert", "a.xlsx", "b.yaml"], dir.path());
    assert_eq!(code, 0, "{err}");
    let back = std::fs::read_to_string(dir.path().join("b.yaml")).unwrap();
    assert!(back.contains("本级政府: true"), "{back}");
    // Not stated: no row, the template's rows as they were.
    let (code, _, _) = xxgk(
        &[
            "convert",
            example_path("langfang-2021.yaml").to_str().unwrap(),
            "c.xlsx",
        ],
        dir.path(),
    );
    assert_eq!(code, 0);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(dir.path().join("c.xlsx")).unwrap();
    let info = wb.worksheet_range("基本信息").unwrap();
    assert!(!info.rows().any(|r| r.iter().any(|c| *c == "本级政府")));
}

// --- Y-SIMILAR -------------------------------------------------------------------------------

#[test]
fn fires_y_similar_on_a_copy_with_the_year_changed() {
    let ds = check(&langfang_2022_copy(), Some(&langfang()));
    let sim = of(&ds, Rule::YSimilar);
    // Sections 一 and 五 are long enough to compare; 六 (one sentence) is not.
    let places: Vec<String> = sim
        .iter()
        .filter_map(|d| d.place.map(|p| p.path()))
        .collect();
    assert_eq!(places, ["总体情况", "存在问题及改进情况"], "{sim:?}");
    assert!(sim[0].message.contains("100%"), "{}", sim[0].message);
}

#[test]
fn silent_y_similar_for_rewritten_text_and_for_another_body() {
    // 廊坊 2022 whose 一 is the demo body's own words (about a third of trigrams shared).
    let demo = example("demo-2023.yaml");
    let demo_overview = demo
        .split("总体情况:")
        .nth(1)
        .and_then(|s| s.split("\n\n").next())
        .unwrap()
        .to_string();
    let copy = langfang_2022_copy();
    let start = copy.find("总体情况:").unwrap();
    let end = start + copy[start..].find("\n\n").unwrap();
    let rewritten = format!(
        "{}总体情况:{}{}",
        &copy[..start],
        demo_overview,
        &copy[end..]
    );
    let ds = check(&rewritten, Some(&langfang()));
    let places: Vec<String> = of(&ds, Rule::YSimilar)
        .iter()
        .filter_map(|d| d.place.map(|p| p.path()))
        .collect();
    assert_eq!(places, ["存在问题及改进情况"], "only 五 is still a copy");
    // The measure itself: two bodies of the same genre stay well under the threshold.
    let a = xxgk::validate::similar::normalize(&demo_overview);
    let lf = example_report_text("langfang-2021.yaml");
    let b = xxgk::validate::similar::normalize(&lf);
    let r = xxgk::validate::similar::containment(&a, &b);
    assert!(r < 0.4, "demo 一 in 廊坊 一: {r}");
    // Without a previous report the rule never runs.
    assert!(of(&check(&langfang_2022_copy(), None), Rule::YSimilar).is_empty());
}

fn example_report_text(name: &str) -> String {
    let r = common::example_report(name);
    xxgk::validate::assess::section_text(&r, xxgk::spec::format::TextSection::Overview)
}

// --- Y-JUMP ----------------------------------------------------------------------------------

/// The copy with 本年新收 doubled to 200 (kept balanced through 本机关不掌握), the figure in the
/// text updated, no word on why.
fn doubled_new() -> String {
    replace(
        &langfang_2022_copy(),
        &[
            (
                "全年受理政府信息公开申请100件",
                "全年受理政府信息公开申请200件",
            ),
            (
                "本年新收: [99, 1, ~, ~, ~, ~, 100]",
                "本年新收: [199, 1, ~, ~, ~, ~, 200]",
            ),
            (
                "本机关不掌握相关政府信息: [97, 1, ~, ~, ~, ~, 98]",
                "本机关不掌握相关政府信息: [197, 1, ~, ~, ~, ~, 198]",
            ),
            (
                "总计: [99, 1, ~, ~, ~, ~, 100]",
                "总计: [199, 1, ~, ~, ~, ~, 200]",
            ),
        ],
    )
}

#[test]
fn fires_y_jump_when_applications_double_without_a_word() {
    let ds = check(&doubled_new(), Some(&langfang()));
    let jump = of(&ds, Rule::YJump);
    assert_eq!(jump.len(), 1, "{jump:?}");
    assert!(jump[0].message.contains("100 件") && jump[0].message.contains("200 件"));
    assert_eq!(
        jump[0].place.map(|p| p.path()),
        Some("表三/本年新收/总计".to_string())
    );
}

#[test]
fn silent_y_jump_when_explained_or_small() {
    let explained = replace(
        &doubled_new(),
        &[(
            "其他需要报告的事项: ",
            "其他需要报告的事项: 本年度政府信息公开申请较上年增加一倍，主要原因是征收拆迁类申请集中。",
        )],
    );
    assert!(of(&check(&explained, Some(&langfang())), Rule::YJump).is_empty());
    // 2 → 4 行政复议 doubles, but below 10 件 it is not a jump.
    let small = replace(
        &langfang_2022_copy(),
        &[("行政复议: [2, 0, 0, 0, 2]", "行政复议: [4, 0, 0, 0, 4]")],
    );
    assert!(of(&check(&small, Some(&langfang())), Rule::YJump).is_empty());
}

// --- SECTION-EMPTY on 五 -------------------------------------------------------------------

#[test]
fn fires_section_empty_when_five_ignores_last_year() {
    let ds = check(&langfang_2022_copy(), Some(&langfang()));
    let e = of(&ds, Rule::SectionEmpty);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].message.contains("上年度（2021年）"),
        "{}",
        e[0].message
    );
}

#[test]
fn silent_section_empty_when_five_speaks_of_last_year() {
    let said = replace(
        &langfang_2022_copy(),
        &[(
            "  一是信息公开机制",
            "  针对上年度报告提出的问题，已逐项整改。一是信息公开机制",
        )],
    );
    assert!(of(&check(&said, Some(&langfang())), Rule::SectionEmpty).is_empty());
    // Without a previous report 五 is not asked about last year.
    assert!(of(&check(&langfang_2022_copy(), None), Rule::SectionEmpty).is_empty());
}

// --- T4-EXPLAIN ------------------------------------------------------------------------------

#[test]
fn fires_t4_explain_for_a_correction_five_does_not_mention() {
    let corrected = replace(
        &langfang(),
        &[("行政复议: [2, 0, 0, 0, 2]", "行政复议: [1, 1, 0, 0, 2]")],
    );
    let ds = check(&corrected, None);
    let t = of(&ds, Rule::T4Explain);
    assert_eq!(t.len(), 1, "{t:?}");
    assert_eq!(
        t[0].place.map(|p| p.path()),
        Some("表四/行政复议/结果纠正".to_string())
    );
}

#[test]
fn silent_t4_explain_when_five_addresses_it_or_nothing_was_corrected() {
    assert!(of(&check(&langfang(), None), Rule::T4Explain).is_empty());
    let addressed = replace(
        &langfang(),
        &[
            ("行政复议: [2, 0, 0, 0, 2]", "行政复议: [1, 1, 0, 0, 2]"),
            (
                "  一是信息公开机制",
                "  一件复议案件被纠错，答复说理不足。一是信息公开机制",
            ),
        ],
    );
    assert!(of(&check(&addressed, None), Rule::T4Explain).is_empty());
    // The demo report's 五 says so too (“答复被纠正”).
    assert!(of(&check(&example("demo-2023.yaml"), None), Rule::T4Explain).is_empty());
}

// --- FEE-TEXT --------------------------------------------------------------------------------

#[test]
fn fires_fee_text_when_six_is_silent_or_contradicts_table_three() {
    let silent = replace(
        &langfang(),
        &[(
            "2021年，市政府办公室依据《政府信息公开信息处理费管理办法》，未收取信息处理费。",
            "本年度无其他需要报告的事项。",
        )],
    );
    let ds = check(&silent, None);
    assert_eq!(of(&ds, Rule::FeeText).len(), 1, "{ds:?}");
    // “不收取” while a fee notice went unpaid (balanced through 本机关不掌握).
    let contradicts = replace(
        &langfang(),
        &[
            ("未收取信息处理费。", "不收取信息处理费。"),
            (
                "本机关不掌握相关政府信息: [97, 1, ~, ~, ~, ~, 98]",
                "本机关不掌握相关政府信息: [96, 1, ~, ~, ~, ~, 97]\n  其他处理:\n    申请人逾期未按收费通知要求缴纳费用: [1, ~, ~, ~, ~, ~, 1]",
            ),
        ],
    );
    let ds = check(&contradicts, None);
    let f = of(&ds, Rule::FeeText);
    assert_eq!(f.len(), 1, "{ds:?}");
    assert!(f[0].message.contains("1 件"), "{}", f[0].message);
}

#[test]
fn silent_fee_text_when_six_accounts_for_it_or_is_empty() {
    assert!(of(&check(&langfang(), None), Rule::FeeText).is_empty());
    // An empty 六 is SECTION-EMPTY's to say, once.
    let empty = replace(
        &langfang(),
        &[(
            "2021年，市政府办公室依据《政府信息公开信息处理费管理办法》，未收取信息处理费。",
            "无",
        )],
    );
    let ds = check(&empty, None);
    assert!(of(&ds, Rule::FeeText).is_empty());
    assert_eq!(of(&ds, Rule::SectionEmpty).len(), 1);
}

// --- Exit codes ----------------------------------------------------------------------------

#[test]
fn the_new_warnings_keep_exit_zero_except_under_strict() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("2021.yaml"), langfang()).unwrap();
    std::fs::write(dir.path().join("2022.yaml"), langfang_2022_copy()).unwrap();
    let (code, out, _) = xxgk(
        &["check", "2022.yaml", "--previous", "2021.yaml"],
        dir.path(),
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("警告[Y-SIMILAR]"), "{out}");
    let (code, _, _) = xxgk(
        &["check", "2022.yaml", "--previous", "2021.yaml", "--strict"],
        dir.path(),
    );
    assert_eq!(code, 1);
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    let (code, _, err) = xxgk(
        &[
            "render",
            "2022.yaml",
            "-o",
            "out",
            "--to",
            "html",
            "--previous",
            "2021.yaml",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("警告[Y-SIMILAR]"),
        "render runs them too: {err}"
    );
    assert!(dir.path().join("out/2022.html").exists());
}

// --- Batch -----------------------------------------------------------------------------------

#[test]
fn batch_pairs_last_year_by_body_and_marks_copies_between_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let (inp, prev) = (dir.path().join("in"), dir.path().join("prev"));
    std::fs::create_dir_all(&inp).unwrap();
    std::fs::create_dir_all(&prev).unwrap();
    std::fs::write(prev.join("廊坊.yaml"), langfang()).unwrap();
    std::fs::write(inp.join("廊坊.yaml"), langfang_2022_copy()).unwrap();
    // Another body that copied 廊坊's whole report under its own name.
    let other = langfang_2022_copy().replace("廊坊市人民政府办公室", "某某市统计局");
    std::fs::write(inp.join("统计局.yaml"), other).unwrap();
    // A third body with its own words (the demo, moved to 2022).
    let demo = example("demo-2023.yaml").replace("年度: 2023", "年度: 2022");
    std::fs::write(inp.join("青山.yaml"), demo).unwrap();
    let (code, _, err) = xxgk(
        &[
            "batch",
            "in",
            "-o",
            "out",
            "--to",
            "html",
            "--previous",
            "prev",
            "-j",
            "2",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/校验结果.json")).unwrap(),
    )
    .unwrap();
    let rules = |file: &str| -> Vec<String> {
        json["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == file)
            .unwrap()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let lf = rules("廊坊.yaml");
    assert!(
        lf.contains(&"Y-SIMILAR".to_string()),
        "paired by 机关: {lf:?}"
    );
    assert!(lf.contains(&"BATCH-SIMILAR".to_string()), "{lf:?}");
    let stats = rules("统计局.yaml");
    assert!(stats.contains(&"BATCH-SIMILAR".to_string()), "{stats:?}");
    // No previous report of that body: said, and no year-over-year rule ran.
    assert!(stats.contains(&"Y-PREVIOUS".to_string()), "{stats:?}");
    assert!(!stats.contains(&"Y-SIMILAR".to_string()), "{stats:?}");
    let qs = rules("青山.yaml");
    assert!(
        !qs.contains(&"BATCH-SIMILAR".to_string()),
        "own words: {qs:?}"
    );
    // The summary's 问题 column says it, read back with calamine.
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook(dir.path().join("out/汇总.xlsx")).unwrap();
    let sheet = wb.worksheet_range("各单位").unwrap();
    let problem_col = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .position(|c| *c == "问题")
        .unwrap();
    let stats_row = sheet
        .rows()
        .find(|r| r.iter().any(|c| *c == "统计局.yaml"))
        .unwrap();
    assert!(
        stats_row[problem_col].to_string().contains("BATCH-SIMILAR"),
        "{:?}",
        stats_row[problem_col]
    );
}

// --- xxgk compare --------------------------------------------------------------------------

/// A pair in a folder: 廊坊 2021 and its 2022 with 本年新收 doubled.
fn pair(dir: &Path) {
    std::fs::write(dir.join("2021.yaml"), langfang()).unwrap();
    std::fs::write(dir.join("2022.yaml"), doubled_new()).unwrap();
}

#[test]
fn compare_json_carries_every_cell_of_both_years() {
    let dir = tempfile::tempdir().unwrap();
    pair(dir.path());
    let (code, out, err) = xxgk(
        &["compare", "2021.yaml", "2022.yaml", "--format", "json"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    // Only JSON on standard output: no files.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["version"], 1);
    let cells: Vec<&serde_json::Value> = j["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["cells"].as_array().unwrap())
        .collect();
    // Every value cell of the official tables: 10 of 表二, 25 × 7 of 表三, 3 × 5 of 表四.
    assert_eq!(cells.len(), 10 + 175 + 15);
    let paths: std::collections::BTreeSet<&str> =
        cells.iter().map(|c| c["cell"].as_str().unwrap()).collect();
    assert_eq!(paths.len(), cells.len(), "each cell once");
    let cell = |p: &str| *cells.iter().find(|c| c["cell"] == p).unwrap();
    // The two values as the two files write them.
    let new = cell("表三/本年新收/总计");
    assert_eq!(
        (new["last"].as_str(), new["this"].as_str()),
        (Some("100"), Some("200"))
    );
    assert_eq!(new["change"], "+100");
    assert_eq!(new["percent"], 100.0);
    assert_eq!(new["large"], true);
    let rules = cell("表二/行政规范性文件/现行有效");
    assert_eq!(
        (rules["last"].as_str(), rules["this"].as_str()),
        (Some("48"), Some("48"))
    );
    assert_eq!(rules["large"], false);
    let zero = cell("表三/予以公开/商业企业");
    assert!(zero["percent"].is_null());
    // The summary: Y-JUMP and Y-SIMILAR among what is marked first.
    let summary: Vec<&str> = j["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        summary.contains(&"Y-JUMP") && summary.contains(&"Y-SIMILAR"),
        "{summary:?}"
    );
    assert!(
        summary.iter().position(|r| *r == "Y-SIMILAR")
            < summary.iter().position(|r| *r == "Y-JUMP"),
        "copying before jumps: {summary:?}"
    );
    // Continuity with both values; the sentences of each section.
    let carry: Vec<&serde_json::Value> = j["continuity"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["rule"] == "Y-CARRY")
        .collect();
    assert_eq!(carry.len(), 7);
    let s1 = &j["sections"][0];
    assert_eq!(s1["similarity"], 1.0);
    assert_eq!(s1["new"], 0);
    assert!(s1["kept"].as_u64().unwrap() + s1["changed"].as_u64().unwrap() > 5);
}

#[test]
fn compare_sentences_are_new_gone_kept_and_changed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("2021.yaml"), langfang()).unwrap();
    let edited = replace(
        &langfang_2022_copy(),
        &[
            (
                "一是信息公开机制还需进一步完善，提升信息公开数据报送准确率的保障措施有待深化。",
                "一是依申请公开答复的说理还不够充分。",
            ),
            (
                "二是政府信息公开平台还需进一步规范",
                "二是政务公开平台还需进一步规范",
            ),
        ],
    );
    std::fs::write(dir.path().join("2022.yaml"), edited).unwrap();
    let (code, out, err) = xxgk(
        &["compare", "2021.yaml", "2022.yaml", "--format", "json"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let five = &j["sections"][1];
    let kinds = |k: &str| -> Vec<String> {
        five["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["kind"] == k)
            .map(|s| s["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(kinds("new"), ["一是依申请公开答复的说理还不够充分。"]);
    assert_eq!(
        kinds("gone"),
        ["一是信息公开机制还需进一步完善，提升信息公开数据报送准确率的保障措施有待深化。"]
    );
    assert!(
        kinds("changed")
            .iter()
            .any(|s| s.starts_with("二是政务公开平台")),
        "{five}"
    );
    assert!(kinds("kept")
        .iter()
        .any(|s| s.starts_with("三是提升政府信息公开申请办理质量")));
    assert!(five["similarity"].as_f64().unwrap() < 1.0);
}

#[test]
fn compare_writes_html_and_pdf_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    pair(dir.path());
    let (code, out, err) = xxgk(
        &["compare", "2021.yaml", "2022.yaml", "-o", "a"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("评估要点") && out.contains("Y-JUMP"), "{out}");
    let (code, _, err) = xxgk(
        &["compare", "2021.yaml", "2022.yaml", "-o", "b"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    for f in ["2022_对比.html", "2022_对比.pdf"] {
        let a = std::fs::read(dir.path().join("a").join(f)).unwrap();
        let b = std::fs::read(dir.path().join("b").join(f)).unwrap();
        assert!(a == b, "{f}: same input, same bytes");
    }
    // The HTML, parsed by scraper: a table per official table with a row per cell.
    let page = std::fs::read_to_string(dir.path().join("a/2022_对比.html")).unwrap();
    let doc = scraper::Html::parse_document(&page);
    let tables = scraper::Selector::parse("table").unwrap();
    let rows = scraper::Selector::parse("tbody tr").unwrap();
    let counts: Vec<usize> = doc
        .select(&tables)
        .map(|t| t.select(&rows).count())
        .collect();
    assert_eq!(counts, [10, 175, 15, 11], "表二, 表三, 表四, continuity");
    let big = scraper::Selector::parse("tbody tr").unwrap();
    let marked: Vec<String> = doc
        .select(&big)
        .filter(|r| r.text().any(|t| t == "大幅变化"))
        .map(|r| r.text().next().unwrap_or_default().to_string())
        .collect();
    assert!(
        marked.contains(&"本年新收 · 总计".to_string()),
        "{marked:?}"
    );
    // The PDF, read by pdftotext: title, the summary, the tables' cells and the sentences.
    let pdf = dir.path().join("a/2022_对比.pdf");
    let text = common::squash(&common::pdf_text(&pdf, None));
    for want in [
        "廊坊市人民政府办公室",
        "2021年与2022年年度报告对比",
        "评估要点",
        "Y-JUMP",
        "本年新收·总计（大幅变化）",
        "跨年度核对",
        "【相同】",
    ] {
        assert!(text.contains(&common::squash(want)), "PDF lacks {want}");
    }
    // Output beside a file of the user's is refused, nothing written.
    std::fs::create_dir_all(dir.path().join("c")).unwrap();
    std::fs::write(dir.path().join("c/2022_对比.html"), "mine").unwrap();
    let (code, _, err) = xxgk(
        &["compare", "2021.yaml", "2022.yaml", "-o", "c"],
        dir.path(),
    );
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("c/2022_对比.html")).unwrap(),
        "mine"
    );
    assert!(!dir.path().join("c/2022_对比.pdf").exists());
}

#[test]
fn compare_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    pair(dir.path());
    let (code, _, _) = xxgk(
        &[
            "compare",
            "2021.yaml",
            "2022.yaml",
            "--format",
            "json",
            "--strict",
        ],
        dir.path(),
    );
    assert_eq!(code, 1, "warnings under --strict");
    let (code, _, err) = xxgk(
        &["compare", "2021.yaml", "none.yaml", "--format", "json"],
        dir.path(),
    );
    assert_eq!(code, 2, "{err}");
    std::fs::write(dir.path().join("bad.yaml"), "机关: [").unwrap();
    let (code, _, err) = xxgk(
        &["compare", "2021.yaml", "bad.yaml", "--format", "json"],
        dir.path(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("未对比"), "{err}");
    let (code, _, err) = xxgk(
        &["compare", "2021.yaml", "2022.yaml", "--to", "docx"],
        dir.path(),
    );
    assert_eq!(code, 2, "{err}");
}

#[test]
fn compare_page_passes_axe_core_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    pair(dir.path());
    let out = common::keep_dir("HTML_OUT", "browser-compare");
    let (code, _, err) = xxgk(
        &[
            "compare",
            "2021.yaml",
            "2022.yaml",
            "-o",
            out.to_str().unwrap(),
            "--to",
            "html",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    crate::html::check_in_browser("compare", &out.join("2022_对比.html"), &out);
}
