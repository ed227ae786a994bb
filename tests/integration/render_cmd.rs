//! `xxgk render`: the three outputs, nothing written for invalid input unless forced, a good file
//! never replaced by a failed run, byte-identical output for the same input.

use crate::common;

use common::{root, xxgk};
use std::path::{Path, PathBuf};

fn broken_demo(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join("examples/demo-2023.yaml")).unwrap();
    let p = dir.join("demo.yaml");
    std::fs::write(
        &p,
        text.replace("行政复议: [2, 1, 0, 0, 3]", "行政复议: [2, 1, 0, 0, 0]"),
    )
    .unwrap();
    p
}

#[test]
fn renders_all_three_formats_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let ex = root().join("examples/langfang-2021.yaml");
    let (code, _, err) = xxgk(&["render", ex.to_str().unwrap(), "-o", "a"], dir.path());
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = xxgk(&["render", ex.to_str().unwrap(), "-o", "b"], dir.path());
    assert_eq!(code, 0, "{err}");
    for ext in ["docx", "pdf", "xlsx"] {
        let a = std::fs::read(dir.path().join(format!("a/langfang-2021.{ext}"))).unwrap();
        let b = std::fs::read(dir.path().join(format!("b/langfang-2021.{ext}"))).unwrap();
        assert!(a.len() > 5000, "{ext}");
        assert!(a == b, "{ext} differs between two runs");
    }
    let magic = std::fs::read(dir.path().join("a/langfang-2021.pdf")).unwrap();
    assert!(magic.starts_with(b"%PDF-"));
    // --to picks a subset.
    let (code, _, _) = xxgk(
        &["render", ex.to_str().unwrap(), "-o", "c", "--to", "xlsx"],
        dir.path(),
    );
    assert_eq!(code, 0);
    let names: Vec<String> = std::fs::read_dir(dir.path().join("c"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert_eq!(names, ["langfang-2021.xlsx"]);
    let (code, _, err) = xxgk(&["render", ex.to_str().unwrap(), "--to", "odt"], dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("odt"));
}

#[test]
fn invalid_input_writes_nothing_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let input = broken_demo(dir.path());
    let (code, _, err) = xxgk(
        &["render", input.to_str().unwrap(), "-o", "out"],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("T4-GROUP") && err.contains("--force"), "{err}");
    assert!(!dir.path().join("out/demo.docx").exists());
    assert!(!dir.path().join("out/demo.pdf").exists());
    let (code, _, err) = xxgk(
        &["render", input.to_str().unwrap(), "-o", "out", "--force"],
        dir.path(),
    );
    assert_eq!(code, 1, "errors are still reported: {err}");
    assert!(err.contains("T4-GROUP"));
    for ext in ["docx", "pdf", "xlsx"] {
        assert!(
            dir.path().join(format!("out/demo.{ext}")).is_file(),
            "{ext}"
        );
    }
}

#[test]
fn a_failed_run_never_replaces_a_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = root().join("examples/demo-2023.yaml");
    std::fs::copy(&good, dir.path().join("demo.yaml")).unwrap();
    let (code, _, _) = xxgk(&["render", "demo.yaml", "--to", "pdf"], dir.path());
    assert_eq!(code, 0);
    let before = std::fs::read(dir.path().join("demo.pdf")).unwrap();
    // A character that no font has: the PDF cannot be rendered.
    let text = std::fs::read_to_string(&good)
        .unwrap()
        .replace("青山县市场监督管理局\n年度", "青山县\u{E000}局\n年度");
    std::fs::write(dir.path().join("demo.yaml"), text).unwrap();
    let (code, _, err) = xxgk(&["render", "demo.yaml", "--to", "pdf"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("U+E000"), "{err}");
    assert_eq!(std::fs::read(dir.path().join("demo.pdf")).unwrap(), before);
    let tmp: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .collect();
    assert!(tmp.is_empty());
}

#[test]
fn a_character_no_font_has_is_reported_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("examples/demo-2023.yaml")).unwrap();
    let (line, _) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with("其他需要报告的事项:"))
        .expect("the demo has 其他需要报告的事项");
    let text = text.replacen("其他需要报告的事项: ", "其他需要报告的事项: \u{E000}", 1);
    std::fs::write(dir.path().join("pua.yaml"), text).unwrap();
    let (code, _, err) = xxgk(&["render", "pua.yaml", "--to", "pdf"], dir.path());
    assert_eq!(code, 1, "{err}");
    // Found by the check of characters before rendering (and so by `check` too).
    assert!(
        err.contains("错误[TEXT]") && err.contains("U+E000"),
        "{err}"
    );
    // The diagnostic carries the text's path and is placed at its line in the file.
    assert!(err.contains("内容：其他需要报告的事项"), "{err}");
    assert!(err.contains(&format!("pua.yaml:{}:", line + 1)), "{err}");
    assert!(!dir.path().join("pua.pdf").exists());
}
