//! A batch that cannot lie: the summary sums one year, an untouched template is 未填写 and
//! never summed, `--strict` makes warnings count.

use crate::common;

use common::{example, xxgk};
use std::path::Path;
use xxgk::spec::format::{T3Role, T3_TOTAL_COL};

/// 本年新收 (总计) of the summary workbook's table 三.
fn summed_new(out: &Path) -> u64 {
    let bytes = std::fs::read(out.join("汇总.xlsx")).unwrap();
    let parsed = xxgk::input::excel::read_bytes(&bytes);
    parsed.report.table3.value(T3Role::New, T3_TOTAL_COL)
}

fn twenty_good(dir: &Path) -> u64 {
    let demo = example("demo-2023.yaml");
    for i in 0..20 {
        let text = demo.replace("青山县市场监督管理局", &format!("青山县第{i}局"));
        std::fs::write(dir.join(format!("r{i:02}.yaml")), text).unwrap();
    }
    let one = xxgk::input::yaml::read_str(&demo)
        .report
        .table3
        .value(T3Role::New, T3_TOTAL_COL);
    20 * one
}

#[test]
fn the_summary_sums_one_year_and_never_a_template() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let want = twenty_good(&input);
    // One report of another year: excluded, with a warning; exit 0, 1 under --strict.
    let other = example("demo-2023.yaml")
        .replace("青山县市场监督管理局", "青山县另一局")
        .replace("年度: 2023", "年度: 2022");
    std::fs::write(input.join("other.yaml"), other).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["batch", "in", "-o", "out", "--to", "xlsx"];
        args.extend_from_slice(extra);
        xxgk(&args, dir.path())
    };
    let (code, _, err) = run(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("只汇总 2023 年度") && err.contains("other.yaml"),
        "{err}"
    );
    assert_eq!(summed_new(&dir.path().join("out")), want);
    let (code, _, err) = run(&["--strict"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(summed_new(&dir.path().join("out")), want);
    // --year picks the other year: only that one report is summed.
    let (_, _, err) = run(&["--year", "2022"]);
    assert!(err.contains("已汇总 1 份"), "{err}");
    // An untouched template is 未填写: not 通过, never summed, exit 1.
    let (code, _, err) = xxgk(
        &["template", "--yaml", "-o", "in/模板.yaml", "--year", "2023"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("未填写"), "{err}");
    assert!(!dir.path().join("out/模板.xlsx").exists());
    assert_eq!(summed_new(&dir.path().join("out")), want);
    let json = std::fs::read_to_string(dir.path().join("out/校验结果.json")).unwrap();
    assert!(json.contains("PLACEHOLDER"), "{json}");
}

#[test]
fn warnings_that_put_figures_in_doubt_reach_the_summary_sheet() {
    use calamine::{open_workbook, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    // The text says 99 applications, the table 52: a TEXT-TABLE warning, still summed.
    let text = example("demo-2023.yaml").replace(
        "全年收到政府信息公开申请52件",
        "全年收到政府信息公开申请99件",
    );
    std::fs::write(input.join("a.yaml"), text).unwrap();
    let (code, _, err) = xxgk(&["batch", "in", "-o", "out", "--to", "xlsx"], dir.path());
    assert_eq!(code, 0, "{err}");
    let json = std::fs::read_to_string(dir.path().join("out/校验结果.json")).unwrap();
    assert!(json.contains("TEXT-TABLE"), "{json}");
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("out/汇总.xlsx")).unwrap();
    let sheet = wb.worksheet_range("各单位").unwrap();
    let row: Vec<String> = sheet
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        row.iter()
            .any(|c| c.contains("TEXT-TABLE") && c.contains("99")),
        "{row:?}"
    );
    // Summed, and its status says there is something to read.
    assert!(row.iter().any(|c| c == "有警告"), "{row:?}");
}

#[test]
fn strict_check_and_render_count_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = xxgk(&["template", "--yaml", "-o", "t.yaml"], dir.path());
    assert_eq!(code, 0, "{err}");
    // The blank template has placeholder warnings only.
    let (code, out, _) = xxgk(&["check", "t.yaml"], dir.path());
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = xxgk(&["check", "--strict", "t.yaml"], dir.path());
    assert_eq!(code, 1, "{out}");
    let (code, _, err) = xxgk(
        &["render", "--strict", "t.yaml", "--to", "xlsx"],
        dir.path(),
    );
    assert_eq!(code, 1, "{err}");
}
