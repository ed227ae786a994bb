//! Hostile characters and fonts against the writers: every character that a file format cannot
//! carry is escaped or refused, `check` and `render` agree on every character, a broken or
//! non-regular font file never stops (or hangs) a command, and nothing reaches the terminal raw.
//! The inputs are built here; every written file is judged by an independent reader (Python's
//! XML and YAML parsers, qpdf, calamine), never by the code that wrote it.

use crate::common::{example, root};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `xxgk` in `dir` with extra environment, under `timeout` so that a hang fails the test
/// (exit 124) instead of blocking it: exit code, standard output, standard error.
fn run_env(args: &[&str], dir: &Path, env: &[(&str, &Path)]) -> (i32, String, String) {
    let mut cmd = Command::new("timeout");
    cmd.arg("120")
        .arg(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// `xxgk` with HOME in `dir` (no font of the tester's home is looked at).
fn run(args: &[&str], dir: &Path) -> (i32, String, String) {
    run_env(args, dir, &[("HOME", dir)])
}

/// A YAML double-quoted scalar for `s` that any YAML reader reads back exactly: everything but
/// printable ASCII as an escape.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// The demo report with `x` inside every kind of text a document prints: 机关 (title and
/// signature), an explicit title line, a subsection title and text, a count's note and the
/// fee's note.
fn report_with(x: &str) -> String {
    let mut y = example("demo-2023.yaml");
    let mut swap = |from: &str, to: String| {
        assert!(y.contains(from), "{from}");
        y = y.replacen(from, &to, 1);
    };
    swap(
        "机关: 青山县市场监督管理局\n年度: 2023\n",
        format!(
            "机关: {}\n年度: 2023\n标题: [{}, 2023年政府信息公开工作年度报告]\n",
            q(&format!("青山县{x}市场监督管理局")),
            q(&format!("青山县{x}市场监督管理局"))
        ),
    );
    swap(
        "标题: 主动公开",
        format!("标题: {}", q(&format!("主动{x}公开"))),
    );
    swap(
        "内容: 开展规范性文件清理，废止1件，修订2件。",
        format!(
            "内容: {}",
            q(&format!("开展规范性文件清理{x}，废止1件，修订2件。"))
        ),
    );
    swap(
        "注: 其中修订2件",
        format!("注: {}", q(&format!("其中{x}修订2件"))),
    );
    swap(
        "行政事业性收费: 12.50",
        format!(
            "行政事业性收费: {{数: 12.50, 注: {}}}",
            q(&format!("含{x}退费"))
        ),
    );
    swap(
        "  机关: 青山县市场监督管理局",
        format!("  机关: {}", q(&format!("青山县{x}市场监督管理局"))),
    );
    y
}

/// Every XML part of a zip package (.docx, .xlsx, .ofd) parses with Python's XML parser; the
/// failures, one line each.
fn bad_xml_parts(package: &Path) -> Vec<String> {
    let script = r#"
import sys, zipfile, xml.dom.minidom
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    data = z.read(n)
    if n.endswith(('.xml', '.rels')) or data.lstrip().startswith(b'<?xml'):
        try:
            xml.dom.minidom.parseString(data)
        except Exception as e:
            print(n, e)
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(package)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| format!("{}: {l}", package.display()))
        .collect()
}

/// What is wrong with a written file, judged by a reader that is not ours: XML parts (Python),
/// the PDF (qpdf --check), the workbook (calamine reads every sheet), the page (no character
/// HTML forbids), YAML (PyYAML loads it).
fn defects(path: &Path) -> Vec<String> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let mut out = vec![];
    match ext {
        "docx" | "ofd" => out.extend(bad_xml_parts(path)),
        "xlsx" => {
            out.extend(bad_xml_parts(path));
            use calamine::Reader;
            match calamine::open_workbook::<calamine::Xlsx<_>, _>(path) {
                Ok(mut wb) => {
                    for name in wb.sheet_names() {
                        if let Err(e) = wb.worksheet_range(&name) {
                            out.push(format!("{}: {name}: {e}", path.display()));
                        }
                    }
                }
                Err(e) => out.push(format!("{}: {e}", path.display())),
            }
        }
        "pdf" => {
            // The XMP packet (stored uncompressed, as PDF/A asks) is XML of its own.
            let script = r#"
import re, sys, xml.dom.minidom
d = open(sys.argv[1], 'rb').read()
m = re.search(rb'<\?xpacket begin.*?<\?xpacket end[^>]*>', d, re.S)
if not m:
    print('no XMP packet')
else:
    try:
        xml.dom.minidom.parseString(m.group(0))
    except Exception as e:
        print('XMP:', e)
"#;
            let o = Command::new("python3")
                .args(["-c", script])
                .arg(path)
                .output()
                .unwrap();
            let said = String::from_utf8_lossy(&o.stdout);
            if !o.status.success() || !said.trim().is_empty() {
                out.push(format!("{}: {said}", path.display()));
            }
            let o = Command::new("qpdf")
                .arg("--check")
                .arg(path)
                .output()
                .unwrap();
            if !o.status.success() {
                out.push(format!(
                    "{}: qpdf: {}",
                    path.display(),
                    String::from_utf8_lossy(&o.stdout)
                ));
            }
        }
        "html" => {
            let text = std::fs::read_to_string(path).unwrap();
            if let Some(c) = text.chars().find(|&c| {
                (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
                    || matches!(c, '\u{FFFE}' | '\u{FFFF}')
            }) {
                out.push(format!("{}: raw U+{:04X}", path.display(), c as u32));
            }
        }
        "yaml" => {
            let o = Command::new("python3")
                .args([
                    "-c",
                    "import sys, yaml; yaml.safe_load(open(sys.argv[1], encoding='utf-8'))",
                ])
                .arg(path)
                .output()
                .unwrap();
            if !o.status.success() {
                out.push(format!(
                    "{}: PyYAML: {}",
                    path.display(),
                    String::from_utf8_lossy(&o.stderr)
                ));
            }
        }
        _ => out.push(format!("{}: unexpected output", path.display())),
    }
    out
}

/// The files of a folder.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// Characters a format may not carry raw: C0 and C1 controls, DEL, the YAML line breaks, the
/// XML non-characters, a BOM inside text, and the characters with a meaning in XML, YAML and
/// Excel number formats.
const HOSTILE: &[&str] = &[
    "\u{1}",
    "\u{8}",
    "\u{b}",
    "\u{1b}[2J",
    "\u{7f}",
    "\u{85}",
    "\u{9b}",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\u{2028}",
    "\u{2029}",
    "\u{FEFF}",
    "\u{FFFE}",
    "\u{FFFF}",
    "\"",
    "\\",
    "'",
    "&",
    "<",
    "]]>",
    "#",
    ": ",
    "@",
    "_x0001_",
    "%",
    "{",
    "[",
];

#[test]
fn every_writer_escapes_or_refuses_what_its_format_cannot_carry() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // One report with every hostile character in every text (the fonts have none of U+FFFE and
    // U+FFFF, so that report goes to the formats that need no fonts).
    let all: String = HOSTILE
        .iter()
        .filter(|x| !x.contains(['\u{FFFE}', '\u{FFFF}']))
        .copied()
        .collect();
    let odd: String = HOSTILE.concat();
    for (stem, x, to) in [
        ("all", all.as_str(), "docx,pdf,xlsx,html,ofd"),
        ("odd", odd.as_str(), "xlsx,html"),
    ] {
        std::fs::write(d.join(format!("{stem}.yaml")), report_with(x)).unwrap();
        let out = d.join(format!("out-{stem}"));
        let (code, _, err) = run(
            &[
                "render",
                &format!("{stem}.yaml"),
                "--force",
                "--to",
                to,
                "-o",
                out.to_str().unwrap(),
            ],
            d,
        );
        assert!(code == 0 || code == 1, "{stem}: exit {code}: {err}");
        let written = files(&out);
        assert_eq!(written.len(), to.split(',').count(), "{stem}: {err}");
        let bad: Vec<String> = written.iter().flat_map(|p| defects(p)).collect();
        assert!(bad.is_empty(), "{stem}: {bad:#?}");
        // LibreOffice opens the Word file and the workbook (it fails on a part it cannot read).
        if stem == "all" {
            let lo = d.join("lo");
            std::fs::create_dir_all(&lo).unwrap();
            for ext in ["docx", "xlsx"] {
                let file = out.join(format!("{stem}.{ext}"));
                let pdf = crate::common::libreoffice(&file, "pdf", &lo);
                let text = crate::common::squash(&crate::common::pdf_text(&pdf, None));
                assert!(
                    text.contains("市场监督管理局"),
                    "LibreOffice read the {ext}: {text}"
                );
                std::fs::remove_file(pdf).unwrap();
            }
        }
    }
    // Each character alone, through `convert` both ways: each file written is well-formed, and
    // `check` gives it the verdict it gives the input (a writer never makes a report wrong).
    for (i, x) in HOSTILE.iter().enumerate() {
        let yaml = d.join(format!("c{i}.yaml"));
        std::fs::write(&yaml, report_with(x)).unwrap();
        let (want, _, _) = run(&["check", yaml.to_str().unwrap()], d);
        for target in [
            format!("c{i}.xlsx"),
            format!("c{i}.back.yaml"),
            format!("c{i}.yaml2.yaml"),
        ] {
            let from = match target.as_str() {
                t if t.ends_with(".back.yaml") => format!("c{i}.xlsx"),
                _ => format!("c{i}.yaml"),
            };
            let (code, _, err) = run(&["convert", &from, &target], d);
            assert_eq!(code, 0, "{x:?}: convert {from} {target}: {err}");
            let bad = defects(&d.join(&target));
            assert!(bad.is_empty(), "{x:?}: {bad:#?}");
            let (got, out, _) = run(&["check", &target], d);
            assert_eq!(got, want, "{x:?}: check {target} says {out}");
        }
    }
}

#[test]
fn a_line_break_in_the_body_reads_back_from_every_yaml_the_writer_makes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Line breaks of every kind (Alt+Enter in a cell is `\n`), and what YAML would misread.
    for (i, x) in [
        "\n", "\r\n", "\r", "\u{2028}", "\u{2029}", "\u{85}", " # ", ": ", "\n- ", "\n# x\n",
    ]
    .iter()
    .enumerate()
    {
        let body = format!("青山县{x}市场监督管理局");
        let mut y = example("demo-2023.yaml");
        y = y.replace("机关: 青山县市场监督管理局", &format!("机关: {}", q(&body)));
        std::fs::write(d.join(format!("b{i}.yaml")), &y).unwrap();
        // YAML → Excel (the body lands in a cell, as Alt+Enter leaves it) → YAML → YAML.
        for (from, to) in [
            (format!("b{i}.yaml"), format!("b{i}.xlsx")),
            (format!("b{i}.xlsx"), format!("b{i}.1.yaml")),
            (format!("b{i}.1.yaml"), format!("b{i}.2.yaml")),
        ] {
            let (code, _, err) = run(&["convert", &from, &to], d);
            assert_eq!(code, 0, "{x:?}: convert {from} {to}: {err}");
            assert!(defects(&d.join(&to)).is_empty(), "{x:?}: {to}");
        }
        for f in [format!("b{i}.1.yaml"), format!("b{i}.2.yaml")] {
            let parsed = xxgk::input::read_path(&d.join(&f)).unwrap();
            assert!(parsed.complete, "{x:?}: {f}: {:?}", parsed.diagnostics);
            // The body comes back whole (the Excel cell keeps its line break as `\n`).
            assert_eq!(
                parsed.report.body.replace("\r\n", "\n").replace('\r', "\n"),
                body.replace("\r\n", "\n").replace('\r', "\n"),
                "{x:?}: {f}"
            );
            let (code, out, err) = run(&["check", &f], d);
            assert_ne!(code, 2, "{x:?}: {f}: {out}{err}");
        }
    }
}

#[test]
fn what_check_passes_render_renders_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let odd = [
        "\u{2028}",
        "\u{2029}",
        "\u{85}",
        "\t",
        "\u{3000}",
        "e\u{301}",
        "\u{1F600}",
        "𠮷",
        "\u{E000}",
        "\u{A0}",
        "\u{2003}",
        "\u{205F}",
        "\u{1680}",
        "\u{200B}",
        "\u{FEFF}",
        "\u{AD}",
        "\u{FE0F}",
        "\u{20DD}",
    ];
    for (i, x) in odd.iter().enumerate() {
        let name = format!("o{i}.yaml");
        std::fs::write(d.join(&name), report_with(x)).unwrap();
        let (code, out, _) = run(&["check", &name], d);
        if code != 0 {
            // Refused: with a Chinese message that names the place.
            assert_eq!(code, 1, "{x:?}: {out}");
            assert!(
                out.contains("机关") || out.contains("内容："),
                "{x:?}: {out}"
            );
            continue;
        }
        let o = format!("out{i}");
        let (code, _, err) = run(
            &["render", &name, "--to", "docx,pdf,xlsx,html,ofd", "-o", &o],
            d,
        );
        assert_eq!(code, 0, "{x:?}: check passed, render failed: {err}");
        let written = files(&d.join(&o));
        assert_eq!(written.len(), 5, "{x:?}");
        let bad: Vec<String> = written.iter().flat_map(|p| defects(p)).collect();
        assert!(bad.is_empty(), "{x:?}: {bad:#?}");
    }
}

/// A truncated copy of a bundled face: what a download cut short or a full disk leaves.
fn truncated(len: usize) -> Vec<u8> {
    let data = std::fs::read(root().join("fonts/FandolFang-Regular.otf")).unwrap();
    data[..len.min(data.len() - 1)].to_vec()
}

#[test]
fn a_broken_font_is_skipped_with_a_warning_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("r.yaml"), example("demo-2023.yaml")).unwrap();
    let full = std::fs::metadata(root().join("fonts/FandolFang-Regular.otf"))
        .unwrap()
        .len() as usize;
    let names = [
        "simfang.ttf",
        "仿宋_GB2312.ttf",
        "simsun.ttc",
        "方正小标宋简体.ttf",
        "times.ttf",
    ];
    for (n, len) in names.iter().zip([0, 12, 4096, full / 2, full - 1]) {
        // In --font-dir, and in ~/.fonts (HOME is the test's folder).
        for in_home in [false, true] {
            let fonts = if in_home {
                d.join(".fonts")
            } else {
                d.join("fd")
            };
            let _ = std::fs::remove_dir_all(&fonts);
            std::fs::create_dir_all(&fonts).unwrap();
            std::fs::write(fonts.join(n), truncated(len)).unwrap();
            let mut args_dir = vec![];
            if !in_home {
                args_dir = vec!["--font-dir", "fd"];
            }
            let out = d.join("out");
            let _ = std::fs::remove_dir_all(&out);
            for cmd in [
                vec!["render", "r.yaml", "--to", "pdf,ofd,docx", "-o", "out"],
                vec!["check", "r.yaml"],
                vec!["fonts"],
            ] {
                let args: Vec<&str> = cmd.iter().chain(&args_dir).copied().collect();
                let (code, _, err) = run(&args, d);
                assert_eq!(
                    code, 0,
                    "{n} ({len} bytes, home {in_home}): {args:?}: {err}"
                );
                assert!(
                    err.contains("警告") && err.contains(n) && err.contains("已跳过"),
                    "{n}: {args:?}: the warning names the file: {err}"
                );
            }
            let bad: Vec<String> = files(&out).iter().flat_map(|p| defects(p)).collect();
            assert!(bad.is_empty(), "{bad:#?}");
            assert_eq!(files(&out).len(), 3);
        }
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_font_hangs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("r.yaml"), example("demo-2023.yaml")).unwrap();
    for fonts in [d.join("fd"), d.join(".fonts")] {
        std::fs::create_dir_all(&fonts).unwrap();
        for n in ["simfang.ttf", "方正小标宋简体.ttf"] {
            let ok = Command::new("mkfifo").arg(fonts.join(n)).status().unwrap();
            assert!(ok.success());
        }
    }
    for cmd in [
        vec![
            "render",
            "r.yaml",
            "--to",
            "docx",
            "-o",
            "a",
            "--font-dir",
            "fd",
        ],
        vec![
            "render",
            "r.yaml",
            "--to",
            "pdf,ofd",
            "-o",
            "b",
            "--font-dir",
            "fd",
        ],
        vec!["check", "r.yaml", "--font-dir", "fd"],
        vec!["fonts", "--font-dir", "fd"],
        vec!["batch", ".", "-o", "c", "--to", "pdf", "--font-dir", "fd"],
    ] {
        let started = std::time::Instant::now();
        let (code, _, err) = run(&cmd, d);
        assert_ne!(code, 124, "{cmd:?} hung");
        assert_eq!(code, 0, "{cmd:?}: {err}");
        assert!(started.elapsed().as_secs() < 60, "{cmd:?}");
        if cmd[0] != "batch" {
            assert!(
                err.contains("simfang.ttf") && err.contains("不是普通文件"),
                "{cmd:?}: {err}"
            );
        }
    }
    for f in files(&d.join("b")) {
        assert!(defects(&f).is_empty(), "{}", f.display());
    }
}

#[test]
fn escape_sequences_reach_the_terminal_escaped_and_json_exact() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let hostile = "\u{1b}[2J\u{1b}]0;title\u{7}\r\u{1b}[8m\u{9b}31m\u{202e}";
    let mut y = example("demo-2023.yaml");
    y = y.replace(
        "机关: 青山县市场监督管理局",
        &format!("机关: {}", q(&format!("青山县{hostile}局"))),
    );
    y = y.replace(
        "行政许可: 856",
        &format!("行政许可: {}", q(&format!("8{hostile}56"))),
    );
    let name = "报\u{1b}[31m告\u{7}.yaml";
    std::fs::write(d.join(name), &y).unwrap();
    // The same values in a workbook's cells (the sheet path of a message).
    let (code, _, err) = run(&["convert", name, "x.xlsx"], d);
    assert_ne!(
        code, 0,
        "a value that is not a number stops the conversion: {err}"
    );
    let clean = |s: &str| !s.contains(['\u{1b}', '\u{7}', '\r', '\u{9b}', '\u{202e}']);
    for cmd in [
        vec!["check", name],
        vec!["render", name, "-o", "out", "--to", "html"],
        vec!["render", name, "-o", "out", "--to", "html", "--force"],
        vec![name],
        vec!["batch", ".", "-o", "b", "--to", "html"],
    ] {
        let (code, out, err) = run(&cmd, d);
        assert!(code == 1, "{cmd:?}: exit {code}");
        assert!(
            clean(&out) && clean(&err),
            "{cmd:?}: raw escape: {out:?} {err:?}"
        );
        if cmd[0] == "check" {
            assert!(out.contains("\\u{1b}[2J"), "{out}");
            assert!(out.contains("报\\u{1b}[31m告\\u{7}.yaml"), "{out}");
        }
    }
    let (code, out, _) = run(&["check", "--format", "json", name], d);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let file = &json["files"][0];
    assert_eq!(file["file"], name, "the JSON keeps the exact file name");
    let messages: Vec<&str> = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains(&format!("8{hostile}56"))),
        "the JSON keeps the exact value: {messages:?}"
    );
}

#[test]
fn a_note_never_makes_a_number_format_excel_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Notes up to the longest kept in a format, plain and full of quotes, with zeros printed
    // blank (the format then repeats the note three times) and on the fee (decimals too).
    for (i, note) in [
        "修".repeat(80),
        "\"".repeat(80),
        "修\"".repeat(40),
        "a\\\"".repeat(26),
    ]
    .iter()
    .enumerate()
    {
        let y = example("demo-2023.yaml")
            .replace("年度: 2023\n", "年度: 2023\n显示零值: false\n")
            .replace("注: 其中修订2件", &format!("注: {}", q(note)))
            .replace(
                "行政事业性收费: 12.50",
                &format!("行政事业性收费: {{数: 12.5000, 注: {}}}", q(note)),
            );
        std::fs::write(d.join(format!("n{i}.yaml")), y).unwrap();
        let (code, _, err) = run(
            &["convert", &format!("n{i}.yaml"), &format!("n{i}.xlsx")],
            d,
        );
        assert_eq!(code, 0, "{err}");
        let styles =
            crate::common::zip_texts(&std::fs::read(d.join(format!("n{i}.xlsx"))).unwrap())
                ["xl/styles.xml"]
                .clone();
        let doc = crate::common::xml::Doc::parse(&styles);
        for f in doc.root.descendants("numFmt") {
            let code = f.attr("formatCode").unwrap_or_default();
            assert!(
                code.encode_utf16().count() <= 255,
                "{} units: {code}",
                code.encode_utf16().count()
            );
        }
        // The note comes back whole, in the format or in the cell's text.
        let (code, _, err) = run(
            &["convert", &format!("n{i}.xlsx"), &format!("n{i}.back.yaml")],
            d,
        );
        assert_eq!(code, 0, "{err}");
        let back = xxgk::input::read_path(&d.join(format!("n{i}.back.yaml")))
            .unwrap()
            .report;
        assert_eq!(back.table2.fee.note.as_deref(), Some(note.as_str()));
    }
}

/// xorshift64* (as the fuzzer's): deterministic, so a failure replays from its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1) as u64) as usize
    }
}

/// What is wrong with the XML parts of a package written in memory: a character XML 1.0
/// forbids, or a part the tests' own XML reader (quick-xml, not the writers') cannot parse.
fn package_defects(bytes: &[u8]) -> Vec<String> {
    let mut out = vec![];
    for (name, data) in crate::common::zip_parts(bytes) {
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let Ok(text) = String::from_utf8(data) else {
            out.push(format!("{name}: not UTF-8"));
            continue;
        };
        if let Some(c) = text.chars().find(|&c| {
            ((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{FFFE}' | '\u{FFFF}')
        }) {
            out.push(format!("{name}: raw U+{:04X}", c as u32));
            continue;
        }
        if std::panic::catch_unwind(|| crate::common::xml::Doc::parse(&text)).is_err() {
            out.push(format!("{name}: not well-formed"));
        }
    }
    out
}

#[test]
fn random_characters_in_every_text_keep_every_writer_well_formed() {
    use xxgk::render::{self, Format};
    let alphabet: Vec<char> = concat!(
        "\u{0}\u{1}\u{8}\t\n\r\u{b}\u{c}\u{1b}\u{7f}\u{85}\u{9b}\u{a0}\u{ad}\u{2028}\u{2029}",
        "\u{200b}\u{feff}\u{fffe}\u{ffff}\u{e000}\u{3000}\u{301}\"'\\&<>]#:-_x%@{}[] 0青山局𠮷😀"
    )
    .chars()
    .collect();
    // A fixed number of rounds, so that every run (fast machine or slow) tries the same cases;
    // XXGK_FUZZ_ROUNDS tries more.
    let rounds_wanted: usize = std::env::var("XXGK_FUZZ_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150);
    let fonts = crate::common::fonts();
    let base = crate::common::example_report("demo-2023.yaml");
    let mut rng = Rng(0x5eed_2026);
    let mut rounds = 0;
    while rounds < rounds_wanted {
        rounds += 1;
        let mut r = base.clone();
        for place in r.text_places() {
            if rng.below(2) == 0 {
                continue;
            }
            let piece: String = (0..1 + rng.below(6))
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            if let Some(t) = r.text_mut(&place) {
                let at = t
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(rng.below(t.chars().count() + 1));
                t.insert_str(at.unwrap_or(t.len()), &piece);
            }
        }
        let case = format!("round {rounds}: {:?}", r.body);
        // The workbook and the Word file: well-formed, or refused with a Chinese message.
        for format in [Format::Xlsx, Format::Docx] {
            match render::render(&r, format, Some(fonts)) {
                Ok(bytes) => {
                    let bad = package_defects(&bytes);
                    assert!(bad.is_empty(), "{case}: {format:?}: {bad:?}");
                }
                Err(d) => assert!(!d.message.is_ascii(), "{case}: {}", d.message),
            }
        }
        let html = String::from_utf8(render::render(&r, Format::Html, None).unwrap()).unwrap();
        assert!(
            !html
                .chars()
                .any(|c| (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                    || matches!(c, '\u{FFFE}' | '\u{FFFF}')),
            "{case}: html"
        );
        // The YAML reads back, with the same body and notes.
        let yaml = render::yaml::render(&r);
        let back = xxgk::input::yaml::read_str(&yaml);
        assert!(back.complete, "{case}: {:?}\n{yaml}", back.diagnostics);
        for place in r.text_places() {
            if matches!(place, xxgk::spec::place::Place::Key(_)) || place.in_table() {
                // The readers trim white space around a one-line value (U+3000 included).
                assert_eq!(
                    back.report.text(&place).map(|t| t.trim()),
                    r.text(&place).map(|t| t.trim()),
                    "{case}: {place:?}"
                );
            }
        }
    }
}
