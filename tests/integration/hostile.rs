//! Hostile and broken input (YAML, files that are not files, names that collide): every case
//! ends with a located Chinese message and exit 1 or 2, quickly, and nothing is lost or
//! overwritten unseen.

use crate::common;

use common::{example, root, xxgk};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn ten_thousand_nested_brackets_are_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "机关: x\n年度: 2021\n前言: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    write(dir.path(), "deep.yaml", &text);
    let started = std::time::Instant::now();
    let (code, out, err) = xxgk(&["check", "deep.yaml"], dir.path());
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("错误[SYNTAX]") && out.contains("嵌套层数超过"),
        "{out}"
    );
    assert!(out.contains("deep.yaml:3:"), "located at its line: {out}");
    assert!(started.elapsed().as_secs() < 10);
    // Deep indentation is nesting too.
    let mut text = String::from("机关: x\n");
    for i in 0..200 {
        text.push_str(&format!("{}k{i}:\n", " ".repeat(2 * i)));
    }
    write(dir.path(), "indent.yaml", &text);
    let (code, out, _) = xxgk(&["check", "indent.yaml"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("嵌套层数超过"), "{out}");
}

#[test]
fn the_examples_are_not_too_deep() {
    for name in ["langfang-2021.yaml", "demo-2023.yaml"] {
        let p = xxgk::input::yaml::read_str(&example(name));
        assert!(p.complete, "{name}: {:?}", p.diagnostics);
    }
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("x.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("z.yaml")).unwrap();
    for name in ["x.yaml", "z.yaml"] {
        let (code, _, err) = xxgk(&["check", name], dir.path());
        assert_eq!(code, 2, "{name}: {err}");
        assert!(err.contains("不是普通文件"), "{name}: {err}");
    }
    // In a batch, they are two failed inputs beside a good report, which is rendered.
    std::fs::copy(
        root().join("examples/demo-2023.yaml"),
        dir.path().join("good.yaml"),
    )
    .unwrap();
    let (code, _, err) = xxgk(&["batch", ".", "-o", "out", "--to", "xlsx"], dir.path());
    assert_eq!(code, 2, "{err}");
    let out = dir.path().join("out");
    assert!(out.join("good.xlsx").exists(), "{err}");
    assert!(out.join("汇总.xlsx").exists() && out.join("校验结果.json").exists());
    let json = std::fs::read_to_string(out.join("校验结果.json")).unwrap();
    assert!(json.contains("x.yaml") && json.contains("z.yaml"), "{json}");
}

#[test]
fn a_file_over_the_size_limit_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!("机关: x\n前言: {}\n", "字".repeat(400_000));
    write(dir.path(), "big.yaml", &big);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["check", "big.yaml"])
        .current_dir(dir.path())
        .env("XXGK_MAX_INPUT_MB", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("文件超过 1 MB"), "{err}");
}

#[test]
fn inputs_sharing_a_name_are_all_rendered_apart() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("in");
    std::fs::create_dir(&d).unwrap();
    let demo = example("demo-2023.yaml");
    write(&d, "a.yaml", &demo.replace("机关: ", "机关: 甲"));
    write(&d, "a.yml", &demo.replace("机关: ", "机关: 乙"));
    write(&d, "汇总.yaml", &demo.replace("机关: ", "机关: 丙"));
    let (code, _, err) = xxgk(&["convert", "in/a.yml", "in/a.xlsx"], dir.path());
    assert_eq!(code, 0, "{err}");
    std::fs::remove_file(d.join("a.yml")).unwrap();
    write(&d, "a.yml", &demo.replace("机关: ", "机关: 丁"));
    let (code, _, err) = xxgk(
        &["batch", "in", "-o", "out", "--to", "xlsx,docx"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("out");
    for stem in ["a_yaml", "a_yml", "a_xlsx", "汇总_yaml"] {
        assert!(out.join(format!("{stem}.xlsx")).exists(), "{stem}: {err}");
        assert!(out.join(format!("{stem}.docx")).exists(), "{stem}");
    }
    // The summary is the batch's own, not a report's workbook.
    let summary = std::fs::read(out.join("汇总.xlsx")).unwrap();
    assert!(
        summary
            .windows("各单位".len())
            .any(|w| w == "各单位".as_bytes())
            || summary.len() > 1000
    );
    let json = std::fs::read_to_string(out.join("校验结果.json")).unwrap();
    assert!(
        json.contains("a_yml.xlsx") && json.contains("a_xlsx.xlsx"),
        "{json}"
    );
}

#[test]
fn outputs_never_replace_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = xxgk(
        &[
            "convert",
            root().join("examples/demo-2023.yaml").to_str().unwrap(),
            "report.xlsx",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(dir.path().join("report.xlsx")).unwrap();
    let (code, _, err) = xxgk(&["render", "report.xlsx", "--to", "xlsx,docx"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("report.xlsx")).unwrap(),
        before
    );
    // One name for all of a report's files.
    assert!(dir.path().join("report_xlsx.xlsx").exists(), "{err}");
    assert!(dir.path().join("report_xlsx.docx").exists());
    // A batch into the folder it reads would read its own outputs next time.
    let (code, _, err) = xxgk(&["batch", ".", "-o", "."], dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("输出目录不能与输入目录相同"), "{err}");
    // convert onto itself would drop the clerk's comments.
    std::fs::copy(
        root().join("examples/demo-2023.yaml"),
        dir.path().join("d.yaml"),
    )
    .unwrap();
    let (code, _, err) = xxgk(&["convert", "d.yaml", "d.yaml"], dir.path());
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("d.yaml")).unwrap(),
        example("demo-2023.yaml")
    );
}

/// The demo with `extra` appended to the text of 其他需要报告的事项.
fn demo_with_text(extra: &str) -> String {
    example("demo-2023.yaml").replacen(
        "其他需要报告的事项: 2023年，",
        &format!("其他需要报告的事项: 2023年，{extra}"),
        1,
    )
}

#[test]
fn check_finds_what_render_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("bidi", "\u{202E}反转", "双向文字控制符"),
        ("pua", "\u{E000}", "U+E000"),
        ("emoji", "😀", "U+1F600"),
        ("control", "\\a", "控制字符"),
    ];
    for (name, text, says) in cases {
        let file = format!("{name}.yaml");
        let yaml = if name == "control" {
            // A control character can only come in escaped, in a double-quoted string.
            example("demo-2023.yaml").replacen(
                "其他需要报告的事项: 2023年，本局未收取信息处理费。",
                &format!("其他需要报告的事项: \"响{text}铃\""),
                1,
            )
        } else {
            demo_with_text(text)
        };
        write(dir.path(), &file, &yaml);
        let (code, out, _) = xxgk(&["check", &file], dir.path());
        assert_eq!(code, 1, "{name}: {out}");
        assert!(
            out.contains("错误[TEXT]") && out.contains(says),
            "{name}: {out}"
        );
        assert!(out.contains(&format!("{file}:")), "{name}: located: {out}");
        let (code, _, err) = xxgk(&["render", &file, "-o", name], dir.path());
        assert_eq!(code, 1, "{name}: {err}");
        assert!(!dir.path().join(name).join(format!("{name}.pdf")).exists());
    }
    // Zero-width characters are removed with a warning; the report renders.
    write(
        dir.path(),
        "zw.yaml",
        &demo_with_text("零\u{200B}宽\u{FEFF}"),
    );
    let (code, out, _) = xxgk(&["check", "zw.yaml"], dir.path());
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("警告[TEXT]") && out.contains("看不见的字符"),
        "{out}"
    );
    let (code, _, err) = xxgk(
        &["render", "zw.yaml", "-o", "zw", "--to", "pdf"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    // A text longer than an Excel cell.
    write(
        dir.path(),
        "long.yaml",
        &demo_with_text(&"长".repeat(33_000)),
    );
    let (code, out, _) = xxgk(&["check", "long.yaml"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("超过 Excel 单元格的上限"), "{out}");
}

#[test]
fn a_report_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "r.yaml", &example("demo-2023.yaml"));
    let (code, _, err) = xxgk(&["render", "r.yaml", "-o", "out"], dir.path());
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("out");
    let docx = std::fs::read(out.join("r.docx")).unwrap();
    // A stale temporary file of a killed run (ours by its mark, a quarter of an hour old), and
    // a user's own hidden file that merely looks alike.
    write(&out, ".r.pdf.4194999.xxgk.tmp", "half");
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(out.join(".r.pdf.4194999.xxgk.tmp"))
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();
    write(&out, ".r.pdf.4194999.tmp", "mine");
    // Now the PDF cannot be made (forced past the check): no format is replaced.
    write(dir.path(), "r.yaml", &demo_with_text("\u{E000}"));
    let (code, _, err) = xxgk(&["render", "r.yaml", "-o", "out", "--force"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        std::fs::read(out.join("r.docx")).unwrap(),
        docx,
        "docx untouched"
    );
    // The next good run into the folder clears the stale file.
    write(dir.path(), "r.yaml", &example("demo-2023.yaml"));
    let (code, _, err) = xxgk(&["render", "r.yaml", "-o", "out"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(!out.join(".r.pdf.4194999.xxgk.tmp").exists());
    assert!(out.join(".r.pdf.4194999.tmp").exists(), "not ours: kept");
}

#[test]
fn a_worker_that_dies_costs_only_its_own_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("in");
    std::fs::create_dir(&d).unwrap();
    let demo = example("demo-2023.yaml");
    write(&d, "a.yaml", &demo.replace("机关: ", "机关: 甲"));
    write(&d, "boom.yaml", &demo.replace("机关: ", "机关: 乙"));
    write(&d, "c.yaml", &demo.replace("机关: ", "机关: 丙"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["batch", "in", "-o", "out", "--to", "xlsx", "-j", "1"])
        .current_dir(dir.path())
        .env("XXGK_WORKER_ABORT_ON", "boom.yaml")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let o = dir.path().join("out");
    assert!(
        o.join("a.xlsx").exists() && o.join("c.xlsx").exists(),
        "{err}"
    );
    assert!(!o.join("boom.xlsx").exists());
    let json = std::fs::read_to_string(o.join("校验结果.json")).unwrap();
    assert!(
        json.contains("\"CRASH\"") && json.contains("信号"),
        "{json}"
    );
    assert!(o.join("汇总.xlsx").exists());
    assert!(err.contains("处理异常"), "{err}");
}

#[test]
fn line_and_paragraph_separators_survive_yaml_and_excel() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = example("demo-2023.yaml").replacen(
        "其他需要报告的事项: 2023年，本局未收取信息处理费。",
        "其他需要报告的事项: \"2023年，\\L本局\\P未收取信息处理费。\"",
        1,
    );
    write(dir.path(), "s.yaml", &yaml);
    for (from, to) in [("s.yaml", "s.xlsx"), ("s.xlsx", "t.yaml")] {
        let (code, _, err) = xxgk(&["convert", from, to], dir.path());
        assert_eq!(code, 0, "{from} → {to}: {err}");
    }
    let a = xxgk::input::yaml::read_str(&yaml).report;
    let b =
        xxgk::input::yaml::read_str(&std::fs::read_to_string(dir.path().join("t.yaml")).unwrap())
            .report;
    assert!(a.other.intro.0.contains('\u{2028}') && a.other.intro.0.contains('\u{2029}'));
    assert_eq!(a.other.intro, b.other.intro);
    // And they print as a line break and a new paragraph.
    assert_eq!(a.other.intro.paragraphs().len(), 2);
    let (code, _, err) = xxgk(&["render", "s.yaml", "-o", "out"], dir.path());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_duplicate_key_is_reported_at_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = example("demo-2023.yaml").replacen(
        "  行政许可: 856\n",
        "  行政许可: 856\n  \"行政许可\": 857\n",
        1,
    );
    let line = yaml.lines().position(|l| l.contains("857")).unwrap() + 1;
    write(dir.path(), "dup.yaml", &yaml);
    let (code, out, _) = xxgk(&["check", "dup.yaml"], dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("同一个键写了两次"), "{out}");
    assert!(out.contains(&format!("dup.yaml:{line}:3")), "{out}");
}
