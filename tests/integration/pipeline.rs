//! One road for a report, whichever front end takes it: `render`, a file dropped onto the
//! program and a batch worker give the same diagnostics and the same bytes, a render failure
//! keeps its place in a batch, and what a worker hands back is summed whatever the 机关 holds.

use crate::common;

use common::{example, xxgk};
use serde_json::Value;
use std::path::Path;

/// The `diagnostics` array of the one file in a `check --format json` or `校验结果.json`.
fn diagnostics(json: &str) -> Value {
    let v: Value = serde_json::from_str(json).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{json}");
    files[0]["diagnostics"].clone()
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn render_drop_and_batch_give_the_same_diagnostics_and_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A warning (the text says 99 applications, the table 52), so there is something to compare.
    let text = example("demo-2023.yaml").replace(
        "全年收到政府信息公开申请52件",
        "全年收到政府信息公开申请99件",
    );
    for sub in ["r", "drop", "in"] {
        std::fs::create_dir_all(d.join(sub)).unwrap();
        std::fs::write(d.join(sub).join("a.yaml"), &text).unwrap();
    }
    let (code, _, err) = xxgk(
        &["render", "r/a.yaml", "-o", "r/out", "--to", "docx,pdf,xlsx"],
        d,
    );
    assert_eq!(code, 0, "{err}");
    // Dropped onto the program: documents beside the file, the default formats.
    let (code, _, err) = xxgk(&["drop/a.yaml"], d);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = xxgk(
        &["batch", "in", "-o", "b", "--to", "docx,pdf,xlsx", "-j", "1"],
        d,
    );
    assert_eq!(code, 0, "{err}");
    for ext in ["docx", "pdf", "xlsx"] {
        let rendered = read(&d.join(format!("r/out/a.{ext}")));
        assert!(rendered.len() > 1000, "{ext}");
        assert!(
            rendered == read(&d.join(format!("drop/a.{ext}"))),
            "{ext}: drop differs from render"
        );
        assert!(
            rendered == read(&d.join(format!("b/a.{ext}"))),
            "{ext}: batch differs from render"
        );
    }
    let (_, checked, _) = xxgk(&["check", "r/a.yaml", "--format", "json"], d);
    let batch = std::fs::read_to_string(d.join("b/校验结果.json")).unwrap();
    let from_check = diagnostics(&checked);
    assert_eq!(from_check[0]["rule"], "TEXT-TABLE", "{checked}");
    assert_eq!(from_check, diagnostics(&batch), "{batch}");
    // The batch says what became of it, and that it was summed.
    let v: Value = serde_json::from_str(&batch).unwrap();
    assert_eq!(v["files"][0]["status"], "有警告", "{batch}");
    assert_eq!(v["files"][0]["ok"], true, "{batch}");
}

#[test]
fn a_render_failure_keeps_its_place_in_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // U+E000 (private use) is in no font: rule TEXT says so, and a forced render fails on it.
    let text = example("demo-2023.yaml").replace(
        "全年收到政府信息公开申请52件",
        "全年收到政府信息公开申请52件\u{E000}",
    );
    std::fs::create_dir_all(d.join("in")).unwrap();
    std::fs::write(d.join("in/a.yaml"), &text).unwrap();
    let (code, _, err) = xxgk(&["render", "--force", "in/a.yaml", "-o", "r"], d);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("错误[RENDER]"), "{err}");
    assert!(!d.join("r").join("a.pdf").exists());
    let (code, _, err) = xxgk(&["batch", "--force", "in", "-o", "b", "-j", "1"], d);
    assert_eq!(code, 1, "{err}");
    let batch = std::fs::read_to_string(d.join("b/校验结果.json")).unwrap();
    let v: Value = serde_json::from_str(&batch).unwrap();
    let file = &v["files"][0];
    assert_eq!(file["status"], "无法生成", "{batch}");
    assert_eq!(file["ok"], false, "{batch}");
    let render = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "RENDER")
        .unwrap_or_else(|| panic!("{batch}"));
    // Its place in the report and in the file, as render prints them.
    let cell = render["cell"].as_str().unwrap_or_else(|| panic!("{batch}"));
    assert!(cell.starts_with("总体情况/分项/1"), "{batch}");
    let line = render["line"].as_u64().unwrap_or_else(|| panic!("{batch}"));
    let (_, _, rendered) = xxgk(&["render", "--force", "in/a.yaml", "-o", "r"], d);
    assert!(
        rendered.contains(&format!("in/a.yaml:{line}:")),
        "render puts it at line {line}: {rendered}"
    );
    assert!(!render["hints"].as_array().unwrap().is_empty(), "{batch}");
}

#[test]
fn a_body_name_with_a_line_break_is_summed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("in")).unwrap();
    // Alt+Enter in the 机关 cell, as YAML writes it.
    let text = example("demo-2023.yaml");
    let body = text
        .lines()
        .find_map(|l| l.strip_prefix("机关: "))
        .unwrap()
        .to_string();
    let broken = text.replacen(&format!("机关: {body}"), "机关: \"某县\\n交通运输局\"", 1);
    std::fs::write(d.join("in/a.yaml"), broken).unwrap();
    std::fs::write(d.join("in/b.yaml"), &text).unwrap();
    let (code, _, err) = xxgk(&["batch", "in", "-o", "b", "--to", "xlsx", "-j", "2"], d);
    assert_eq!(code, 0, "{err}");
    let batch = std::fs::read_to_string(d.join("b/校验结果.json")).unwrap();
    let v: Value = serde_json::from_str(&batch).unwrap();
    for f in v["files"].as_array().unwrap() {
        assert_eq!(f["ok"], true, "{batch}");
    }
    assert!(err.contains("已汇总 2 份"), "{err}");
    // The sums hold both reports: 本年新收 总计 twice the one report's (read with calamine).
    use calamine::{open_workbook, DataType, Reader, Xlsx};
    let one = {
        let (code, _, err) = xxgk(&["render", "in/b.yaml", "-o", "one", "--to", "xlsx"], d);
        assert_eq!(code, 0, "{err}");
        let mut wb: Xlsx<_> = open_workbook(d.join("one/b.xlsx")).unwrap();
        wb.worksheet_range("表三").unwrap()
    };
    let mut wb: Xlsx<_> = open_workbook(d.join("b/汇总.xlsx")).unwrap();
    let sum = wb.worksheet_range("表三").unwrap();
    let mut compared = 0;
    for (r, row) in one.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let Some(n) = cell.as_f64() {
                let s = sum.get((r, c)).and_then(|x| x.as_f64());
                assert_eq!(s, Some(2.0 * n), "表三 row {r} col {c}");
                compared += 1;
            }
        }
    }
    assert!(compared > 20, "{compared} numbers compared");
}
