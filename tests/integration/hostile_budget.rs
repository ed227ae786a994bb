//! Inputs far larger inside than outside — YAML aliases that repeat one long text everywhere, a
//! workbook whose cells share one long string — end quickly, in bounded memory, with an error
//! that says why, in `check`, `render` (forced too), drag-and-drop and `batch` alike.

use crate::common::example;
use std::path::Path;
use std::process::Command;

/// Runs xxgk under GNU time: exit code, stderr, peak memory (KiB) and seconds.
pub(crate) fn timed(args: &[&str], dir: &Path) -> (i32, String, u64, f64) {
    let report = dir.join(".time");
    let time = Path::new("/usr/bin/time");
    assert!(
        time.exists(),
        "GNU time is not installed: run `bash .ci/install-tools.sh`"
    );
    let out = Command::new(time)
        .arg("-f")
        .arg("%M %e")
        .arg("-o")
        .arg(&report)
        .arg(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let t = std::fs::read_to_string(&report).unwrap();
    // GNU time puts "Command exited with non-zero status N" before its line.
    let last = t.lines().last().unwrap_or_default().to_string();
    let mut f = last.split_whitespace();
    let kb = f.next().and_then(|x| x.parse().ok()).unwrap_or(u64::MAX);
    let secs = f.next().and_then(|x| x.parse().ok()).unwrap_or(f64::MAX);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        kb,
        secs,
    )
}

/// The generous bounds of the issue: any input of ≤ 1 MB ends in ≤ 10 s under 1 GiB.
pub(crate) fn assert_bounded(what: &str, kb: u64, secs: f64) {
    assert!(kb < 1024 * 1024, "{what}: peak memory {kb} KiB");
    assert!(secs < 10.0, "{what}: {secs} s");
}

/// The demo report with one long text, given once as a YAML anchor and repeated by alias in
/// every subsection of every text section (the file stays under 100 KB).
fn alias_bomb() -> String {
    let long = "公开".repeat(15_000);
    let mut y = example("demo-2023.yaml");
    let subsections: String = (0..40)
        .map(|i| {
            if i == 0 {
                format!("    - 标题: 第{i}项\n      内容: &t \"{long}\"\n")
            } else {
                format!("    - 标题: 第{i}项\n      内容: *t\n")
            }
        })
        .collect();
    let at = y.find("其他需要报告的事项:").expect("demo has section 六");
    let line_end = y[at..].find('\n').map_or(y.len(), |n| at + n + 1);
    y.replace_range(
        at..line_end,
        &format!("其他需要报告的事项:\n  分项:\n{subsections}"),
    );
    y
}

#[test]
fn a_report_too_large_inside_is_refused_quickly_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let yaml = alias_bomb();
    assert!(yaml.len() < 200_000, "{}", yaml.len());
    std::fs::create_dir(d.join("in")).unwrap();
    std::fs::write(d.join("in/a.yaml"), &yaml).unwrap();
    let (code, err, kb, secs) = timed(&["check", "in/a.yaml"], d);
    let _ = err;
    assert_bounded("check", kb, secs);
    assert_eq!(code, 1);
    let (_, out, _) = crate::common::xxgk(&["check", "in/a.yaml"], d);
    assert!(
        out.contains("报告的文字共") && out.contains("超过上限"),
        "{out}"
    );
    for args in [
        &["render", "in/a.yaml", "-o", "r"][..],
        &["render", "--force", "in/a.yaml", "-o", "r"][..],
        &["in/a.yaml"][..],
        &["batch", "--force", "in", "-o", "b"][..],
    ] {
        let (code, err, kb, secs) = timed(args, d);
        assert_bounded(&args.join(" "), kb, secs);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(!d.join("r").join("a.pdf").exists(), "{args:?}");
        assert!(!d.join("in").join("a.pdf").exists(), "{args:?}");
    }
    let json = std::fs::read_to_string(d.join("b/校验结果.json")).unwrap();
    assert!(json.contains("超过上限"), "{json}");
    assert!(!d.join("b/a.pdf").exists());
}

#[test]
fn a_cell_note_longer_than_a_cell_can_print_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let long = "其中修订".repeat(100);
    let yaml = example("demo-2023.yaml").replacen(
        "行政许可: 856",
        &format!("行政许可: {{数: 856, 注: {long}}}"),
        1,
    );
    std::fs::write(d.join("a.yaml"), yaml).unwrap();
    let (code, out, err) = crate::common::xxgk(&["check", "a.yaml"], d);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("表二/行政许可") && out.contains("超过上限 200 字"),
        "{out}"
    );
    let (code, _, kb, secs) = timed(&["render", "--force", "a.yaml", "-o", "r"], d);
    assert_bounded("render --force", kb, secs);
    assert_eq!(code, 1);
    assert!(!d.join("r/a.pdf").exists());
}
