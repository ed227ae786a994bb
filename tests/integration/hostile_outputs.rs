//! Outputs that must never overwrite another report's or the user's files, whatever the names:
//! every file in the folder is hashed before and after, and each written file is checked.

use crate::common::{example, snapshot, xxgk};
use std::path::Path;
use std::process::{Command, Stdio};

/// A report of its own body, so that each output can be told apart by its content.
fn report(body: &str) -> String {
    example("demo-2023.yaml").replace("青山县市场监督管理局", body)
}

#[test]
fn batch_fallback_names_never_take_another_reports_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("in");
    std::fs::create_dir(&input).unwrap();
    // a.yaml and a.yml share a stem, so they fall back to a_yaml and a_yml — which are two
    // other inputs' own names; 汇总.yaml's name is reserved, and 汇总_yaml.yaml is beside it.
    let names = [
        "a.yaml",
        "a.yml",
        "a_yaml.yaml",
        "a_yml.yaml",
        "汇总.yaml",
        "汇总_yaml.yaml",
    ];
    for (i, n) in names.iter().enumerate() {
        std::fs::write(input.join(n), report(&format!("青山县第{}局", i + 1))).unwrap();
    }
    let before = snapshot(&input);
    let (code, _, err) = xxgk(&["batch", "in", "-o", "out", "--to", "pdf", "-j", "2"], d);
    assert_eq!(code, 0, "{err}");
    assert_eq!(snapshot(&input), before, "inputs untouched");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out/校验结果.json")).unwrap())
            .unwrap();
    let mut outputs = vec![];
    for f in json["files"].as_array().unwrap() {
        let out = f["outputs"].as_array().unwrap();
        assert_eq!(out.len(), 1, "{f}");
        outputs.push(out[0].as_str().unwrap().to_string());
    }
    let unique: std::collections::BTreeSet<_> = outputs.iter().map(|o| o.to_lowercase()).collect();
    assert_eq!(unique.len(), names.len(), "{outputs:?}");
    // Each PDF holds its own report's body (pdftotext, an independent reader).
    for (f, out) in json["files"].as_array().unwrap().iter().zip(&outputs) {
        let i = names
            .iter()
            .position(|n| f["file"] == *n)
            .unwrap_or_else(|| panic!("{f}"));
        let text = crate::common::pdf_text(&d.join("out").join(out), None);
        assert!(
            crate::common::squash(&text).contains(&format!("青山县第{}局", i + 1)),
            "{out} is not {}'s",
            names[i]
        );
    }
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_keep_their_bytes() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("in");
    std::fs::create_dir(&input).unwrap();
    // 报告 and 年报 in GBK, as unzip leaves names from a zip made on Chinese Windows: both
    // are invalid UTF-8 and would both print as ����.
    let gbk = [&b"\xb1\xa8\xb8\xe6"[..], &b"\xc4\xea\xb1\xa8"[..]];
    for (i, name) in gbk.iter().enumerate() {
        let mut file = name.to_vec();
        file.extend_from_slice(b".yaml");
        std::fs::write(
            input.join(OsStr::from_bytes(&file)),
            report(&format!("青山县第{}局", i + 1)),
        )
        .unwrap();
    }
    let (code, _, err) = xxgk(&["batch", "in", "-o", "out", "--to", "xlsx"], d);
    assert_eq!(code, 0, "{err}");
    for name in gbk {
        let mut file = name.to_vec();
        file.extend_from_slice(b".xlsx");
        assert!(
            d.join("out").join(OsStr::from_bytes(&file)).is_file(),
            "{err}"
        );
    }
    // render too: the output keeps the input's own name.
    let mut file = gbk[0].to_vec();
    file.extend_from_slice(b".yaml");
    let path = Path::new("in").join(OsStr::from_bytes(&file));
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .arg("render")
        .arg(&path)
        .args(["-o", "r", "--to", "xlsx"])
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let mut xlsx = gbk[0].to_vec();
    xlsx.extend_from_slice(b".xlsx");
    assert!(d.join("r").join(OsStr::from_bytes(&xlsx)).is_file());
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_or_a_device_is_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A link to the user's file: the file gets the template, the link stays a link.
    std::fs::write(d.join("mine.yaml"), "old").unwrap();
    std::os::unix::fs::symlink(d.join("mine.yaml"), d.join("link.yaml")).unwrap();
    let (code, _, err) = xxgk(&["template", "--yaml", "-o", "link.yaml"], d);
    assert_eq!(code, 0, "{err}");
    let link = d.join("link.yaml").symlink_metadata().unwrap();
    assert!(link.file_type().is_symlink());
    let text = std::fs::read_to_string(d.join("mine.yaml")).unwrap();
    assert!(text.contains("机关"), "{text}");
    // /dev/stdout through a pipe: the template arrives on stdout; the device is not replaced.
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["template", "--yaml", "-o", "/dev/stdout"])
        .current_dir(d)
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("机关"));
    // The system's link is still a link (the run as root replaced it before).
    let link = Path::new("/dev/stdout").symlink_metadata().unwrap();
    assert!(link.file_type().is_symlink());
}

#[test]
fn a_closed_stdout_is_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text =
        example("demo-2023.yaml").replace("行政复议: [2, 1, 0, 0, 3]", "行政复议: [2, 1, 0, 0, 0]");
    std::fs::write(d.join("a.yaml"), text).unwrap();
    // Standard output closed before anything is written (as `| head -0` leaves it).
    let mut child = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["check", "a.yaml", "a.yaml", "a.yaml"])
        .current_dir(d)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
}

#[test]
fn render_and_drop_never_replace_the_users_own_files_beside_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("报告.yaml"), report("青山县第1局")).unwrap();
    // The clerk's own workbook (the one this YAML was made from): ours once, saved since in
    // Excel, which names its editor in lastModifiedBy.
    let (code, _, err) = xxgk(&["render", "报告.yaml", "-o", "made", "--to", "xlsx"], d);
    assert_eq!(code, 0, "{err}");
    let ours = std::fs::read(d.join("made/报告.xlsx")).unwrap();
    let edited = crate::common::edit_zip_part(&ours, "docProps/core.xml", |xml| {
        xml.replace(
            "<cp:lastModifiedBy></cp:lastModifiedBy>",
            "<cp:lastModifiedBy>张三</cp:lastModifiedBy>",
        )
    });
    assert!(edited != ours, "the edit took");
    std::fs::write(d.join("报告.xlsx"), &edited).unwrap();
    // And a Word file the clerk wrote by hand.
    std::fs::write(d.join("报告.docx"), b"PK not ours").unwrap();
    let before = snapshot(d);
    let (code, _, err) = xxgk(&["报告.yaml"], d);
    assert_eq!(code, 0, "{err}");
    let after = snapshot(d);
    for (p, h) in &before {
        assert_eq!(after.get(p), Some(h), "{} changed: {err}", p.display());
    }
    for ext in ["docx", "pdf", "xlsx"] {
        assert!(d.join(format!("报告_yaml.{ext}")).is_file(), "{err}");
    }
    assert!(err.contains("报告_yaml"), "{err}");
    // Run again: its own earlier files are replaced, no third name.
    let (code, _, err) = xxgk(&["报告.yaml"], d);
    assert_eq!(code, 0, "{err}");
    assert!(!d.join("报告_yaml_2.pdf").exists(), "{err}");
    // A file render itself made, untouched, is replaced as before.
    let (code, _, err) = xxgk(&["render", "报告.yaml", "-o", "made", "--to", "xlsx"], d);
    assert_eq!(code, 0, "{err}");
    assert!(!d.join("made/报告_yaml.xlsx").exists(), "{err}");
}

#[test]
fn a_very_long_value_is_never_echoed_whole() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let long = "很".repeat(40_000);
    let text = example("demo-2023.yaml").replacen("前言: ", &format!("前言: {long}"), 1);
    std::fs::write(d.join("a.yaml"), text).unwrap();
    let (code, out, err) = xxgk(&["check", "a.yaml"], d);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("32,767") || out.contains("32767"), "{out}");
    // The message, the snippet and the hints together stay short; the caret still shows.
    assert!(
        out.chars().count() < 2_000,
        "{} characters",
        out.chars().count()
    );
    assert!(out.contains('…') && out.contains('^'), "{out}");
}
