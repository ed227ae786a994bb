//! The command line in Chinese: clap's own words (用法, 选项, 显示帮助), an example after each
//! command's help, usage errors; a report file given instead of a command (a file dropped onto
//! the program); `template --body`.

use crate::common;

use common::{root, xxgk};

const COMMANDS: [&str; 7] = [
    "check", "render", "template", "convert", "batch", "compare", "help",
];

fn assert_chinese_help(text: &str, what: &str) {
    for said in ["用法：", "选项：", "显示帮助", "示例：\n  xxgk "] {
        assert!(text.contains(said), "{what}: no {said:?} in\n{text}");
    }
    for english in [
        "Usage",
        "Options",
        "Arguments",
        "Commands",
        "Print help",
        "Print version",
        "[default",
        "[possible values",
    ] {
        assert!(!text.contains(english), "{what}: {english:?} in\n{text}");
    }
}

#[test]
fn help_is_in_chinese_and_ends_with_examples() {
    let dir = tempfile::tempdir().unwrap();
    for args in [vec!["--help"], vec!["-h"], vec!["help"]] {
        let (code, out, _) = xxgk(&args, dir.path());
        assert_eq!(code, 0, "{args:?}");
        assert_chinese_help(&out, &format!("{args:?}"));
        assert!(out.contains("命令：") && out.contains("显示版本"), "{out}");
        for c in COMMANDS {
            assert!(out.contains(&format!("\n  {c} ")), "{c} listed:\n{out}");
        }
        assert!(!out.contains("__batch-worker"), "{out}");
    }
    for c in COMMANDS {
        for args in [vec![c, "--help"], vec![c, "-h"], vec!["help", c]] {
            let (code, out, err) = xxgk(&args, dir.path());
            assert_eq!(code, 0, "{args:?}: {err}");
            assert_chinese_help(&out, &format!("{args:?}"));
            assert!(out.contains(&format!("用法：xxgk {c}")), "{args:?}:\n{out}");
            let examples = out.split("示例：").nth(1).unwrap_or_default();
            assert!(
                examples.contains(&format!("xxgk {c} ")),
                "{args:?}: the examples use the command:\n{out}"
            );
        }
    }
    let (_, out, _) = xxgk(&["template", "--help"], dir.path());
    assert!(
        out.contains("--body <NAME>") && out.contains("--year <YEAR>"),
        "{out}"
    );
}

#[test]
fn usage_errors_are_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &[&str]); 7] = [
        (
            &["chek", "a.yaml"],
            &[
                "没有“chek”这个命令",
                "是不是要用 check",
                "查看帮助：xxgk --help",
            ],
        ),
        (
            &["check"],
            &[
                "缺少必需的参数",
                "用法：xxgk check",
                "查看帮助：xxgk check --help",
            ],
        ),
        (&["check", "--bogus", "a.yaml"], &["不认识的参数“--bogus”"]),
        (
            &["check", "--format", "xml", "a.yaml"],
            &["的值“xml”无效", "human、json", "用法：xxgk check"],
        ),
        (
            &["template", "--yaml", "--xlsx", "-o", "t"],
            &["不能与", "同时使用"],
        ),
        (
            &["batch", "d", "-o", "o", "--timeout", "soon"],
            &["的值“soon”无效", "xxgk batch --help"],
        ),
        (
            &["a.doc"],
            &["没有“a.doc”这个命令", ".xlsx、.yaml 或 .yml", ".pdf、.docx"],
        ),
    ];
    for (args, said) in cases {
        let (code, out, err) = xxgk(args, dir.path());
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(err.starts_with("错误："), "{args:?}: {err}");
        for s in said {
            assert!(err.contains(s), "{args:?}: no {s:?} in\n{err}");
        }
        for english in ["error:", "Usage", "For more information"] {
            assert!(!err.contains(english), "{args:?}: {english:?} in\n{err}");
        }
    }
    let (code, _, err) = xxgk(&["help", "nope"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("没有“nope”这个命令"), "{err}");
}

/// `xxgk 填报.xlsx`: the file is checked and rendered next to itself with the default formats;
/// an output that would replace the input gets another name.
#[test]
fn a_report_file_given_alone_is_checked_and_rendered_beside_itself() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let sub = dir.path().join("单位");
    std::fs::create_dir(&sub).unwrap();
    let yaml = sub.join("报告.yaml");
    std::fs::copy(root().join("examples/demo-2023.yaml"), &yaml).unwrap();
    let (code, _, err) = xxgk(&[yaml.to_str().unwrap()], elsewhere.path());
    assert_eq!(code, 0, "{err}");
    for ext in ["docx", "pdf", "xlsx"] {
        assert!(
            sub.join(format!("报告.{ext}")).is_file(),
            "报告.{ext}: {err}"
        );
    }
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);

    // The workbook just written, given alone: 填报.xlsx stays as it was, the outputs are named
    // apart (`render` beside the input does the same).
    let xlsx = sub.join("填报.xlsx");
    std::fs::rename(sub.join("报告.xlsx"), &xlsx).unwrap();
    let before = std::fs::read(&xlsx).unwrap();
    let (code, _, err) = xxgk(&["填报.xlsx"], &sub);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(&xlsx).unwrap(), before, "input untouched");
    for name in ["填报_xlsx.docx", "填报_xlsx.pdf", "填报_xlsx.xlsx"] {
        assert!(sub.join(name).is_file(), "{name}: {err}");
    }

    let (code, _, err) = xxgk(&["没有这个文件.xlsx"], &sub);
    assert_eq!(code, 2);
    assert!(err.contains("找不到文件 没有这个文件.xlsx"), "{err}");

    // A report with errors: listed, nothing written.
    let bad = sub.join("有错.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap().replacen(
        "行政复议: [2, 1, 0, 0, 3]",
        "行政复议: [2, 1, 0, 0, 9]",
        1,
    );
    std::fs::write(&bad, text).unwrap();
    let (code, _, err) = xxgk(&["有错.yaml"], &sub);
    assert_eq!(code, 1);
    assert!(
        err.contains("T4-GROUP") && err.contains("未生成文件"),
        "{err}"
    );
    assert!(!sub.join("有错.pdf").exists());
}

#[test]
fn template_body_and_year_for_yaml_and_excel() {
    let dir = tempfile::tempdir().unwrap();
    for body in ["某某县某某局", "A: B局 #1"] {
        let (code, _, err) = xxgk(
            &[
                "template", "--yaml", "-o", "t.yaml", "--year", "2025", "--body", body,
            ],
            dir.path(),
        );
        assert_eq!(code, 0, "{err}");
        let parsed = xxgk::input::read_path(&dir.path().join("t.yaml")).unwrap();
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        assert_eq!(parsed.report.body, body);
        assert_eq!(parsed.report.year, 2025);
        let text = std::fs::read_to_string(dir.path().join("t.yaml")).unwrap();
        assert!(
            !text.contains(xxgk::render::yaml::PLACEHOLDER_BODY),
            "{text}"
        );
    }
    let (code, _, err) = xxgk(
        &[
            "template",
            "--xlsx",
            "-o",
            "t.xlsx",
            "--year",
            "2025",
            "--body",
            "某某县某某局",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let parsed = xxgk::input::read_path(&dir.path().join("t.xlsx")).unwrap();
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.report.body, "某某县某某局");
    assert_eq!(parsed.report.year, 2025);

    for bad in ["", "  ", "甲\n乙"] {
        let (code, _, err) = xxgk(
            &["template", "--xlsx", "-o", "u.xlsx", "--body", bad],
            dir.path(),
        );
        assert_eq!(code, 2, "{bad:?}");
        assert!(err.contains("--body"), "{err}");
        assert!(!dir.path().join("u.xlsx").exists());
    }
}
