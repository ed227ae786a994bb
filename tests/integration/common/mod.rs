//! The one set of helpers of the integration tests: fixtures from `examples/`, the bundled fonts,
//! the `xxgk` binary, external tools, zip packages, PDF text.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use xxgk::model::Report;
use xxgk::render::paged::Fonts;

#[path = "../../support/package.rs"]
pub mod package;
pub mod seed;
pub mod xml;

/// The project root (examples, fonts).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The path of a file in `examples/` (the fixtures of every test).
pub fn example_path(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

/// The text of a file in `examples/`.
pub fn example(name: &str) -> String {
    std::fs::read_to_string(example_path(name)).unwrap()
}

/// A report of `examples/` (YAML or Excel), read whole and without an error.
pub fn example_report(name: &str) -> Report {
    let parsed = xxgk::input::read_path(&example_path(name)).unwrap();
    assert!(
        parsed.complete && !xxgk::diag::has_errors(&parsed.diagnostics),
        "{name} reads cleanly: {:?}",
        parsed.diagnostics
    );
    parsed.report
}

/// The bundled fonts (`fonts/`), loaded once for all the tests of the process.
pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts::load(Some(&root().join("fonts"))).expect("bundled fonts"))
}

/// Where a test keeps the files it writes: `$<var>/<name>` when the variable is set (to look at
/// them afterwards), else a folder of this process under the temporary directory.
pub fn keep_dir(var: &str, name: &str) -> PathBuf {
    let dir = match std::env::var_os(var) {
        Some(d) => PathBuf::from(d),
        None => std::env::temp_dir().join(format!("xxgk-test-{}-{var}", std::process::id())),
    }
    .join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `xxgk` in `dir`: exit code, standard output, standard error.
pub fn xxgk(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The path of an external tool, or a failure that says how to install it.
pub fn tool(name: &str) -> PathBuf {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .unwrap();
    assert!(
        found.status.success(),
        "`{name}` is not installed: run `bash .ci/install-tools.sh` (LibreOffice, poppler-utils, qpdf)"
    );
    PathBuf::from(String::from_utf8(found.stdout).unwrap().trim())
}

/// Runs an external tool (found with [`tool`], so a missing one says how to install it):
/// whether it succeeded, its standard output and its standard error.
pub fn run(name: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(tool(name))
        .args(args)
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap_or_else(|e| panic!("`{name}` did not run: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fontconfig file that maps the official font names to the bundled free faces, as a clerk's
/// machine with the official fonts would set them (Fandol's metrics stand in).
pub fn fonts_conf(dir: &Path) -> PathBuf {
    let fonts = root().join("fonts");
    let mut conf = String::from(concat!(
        r#"<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>"#,
        r#"<include ignore_missing="yes">/etc/fonts/fonts.conf</include>"#
    ));
    conf.push_str(&format!(
        "<dir>{}</dir><cachedir>{}</cachedir>",
        fonts.display(),
        dir.join("fc-cache").display()
    ));
    for (name, family) in [
        ("Times New Roman", "FandolSong"),
        ("仿宋_GB2312", "FandolFang"),
        ("黑体", "FandolHei"),
        ("楷体_GB2312", "FandolKai"),
        ("宋体", "FandolSong"),
        ("方正小标宋简体", "FandolSong"),
    ] {
        conf.push_str(&format!(
            r#"<alias binding="same"><family>{name}</family><prefer><family>{family}</family></prefer></alias>"#
        ));
    }
    conf.push_str("</fontconfig>");
    let path = dir.join("fonts.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

/// LibreOffice's PDF of a .docx (its own layout of the Word file), written in `dir`.
pub fn libreoffice_pdf(docx: &[u8], stem: &str, dir: &Path) -> PathBuf {
    libreoffice_convert(docx, stem, "pdf", dir)
}

/// A .docx converted by LibreOffice headless to `to` (`pdf`, `odt` …), written in `dir`, with the
/// official font names mapped to the bundled faces.
pub fn libreoffice_convert(docx: &[u8], stem: &str, to: &str, dir: &Path) -> PathBuf {
    let input = dir.join(format!("{stem}.docx"));
    std::fs::write(&input, docx).unwrap();
    libreoffice(&input, to, dir)
}

/// The file `input` converted by LibreOffice headless with the filter `to` (`pdf`,
/// `xlsx:Calc MS Excel 2007 XML` …) into `out_dir`, under the same stem: a profile of its own
/// beside the file and the official font names mapped to the bundled faces.
pub fn libreoffice(input: &Path, to: &str, out_dir: &Path) -> PathBuf {
    let work = input.parent().expect("a file in a folder");
    let out = Command::new(tool("soffice"))
        .arg(format!(
            "-env:UserInstallation=file://{}",
            work.join("lo-profile").display()
        ))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(out_dir)
        .arg(input)
        .env("HOME", work)
        .env("FONTCONFIG_FILE", fonts_conf(work))
        .output()
        .unwrap();
    let extension = to.split(':').next().unwrap_or(to);
    let result = out_dir.join(input.with_extension(extension).file_name().unwrap());
    assert!(
        result.exists(),
        "LibreOffice did not convert {} to {to}: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    result
}

/// A word of `pdftotext -bbox`, in points from the page's top left corner.
#[derive(Debug, Clone)]
pub struct BoxedWord {
    pub x_min: f64,
    pub y_min: f64,
    pub x_max: f64,
    pub y_max: f64,
    pub text: String,
}

/// The words of every page of a PDF with their boxes (`pdftotext -bbox`).
pub fn pdf_words(pdf: &Path) -> Vec<Vec<BoxedWord>> {
    let out = Command::new(tool("pdftotext"))
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    let html = String::from_utf8_lossy(&out.stdout);
    let num = |w: &str, key: &str| -> f64 {
        let v = w.split(&format!("{key}=\"")).nth(1).unwrap_or("0\"");
        v[..v.find('"').unwrap_or(0)].parse().unwrap_or(0.0)
    };
    html.split("<page ")
        .skip(1)
        .map(|page| {
            page.split("<word ")
                .skip(1)
                .filter_map(|w| {
                    let start = w.find('>')? + 1;
                    let end = w.find("</word>")?;
                    Some(BoxedWord {
                        x_min: num(w, "xMin"),
                        y_min: num(w, "yMin"),
                        x_max: num(w, "xMax"),
                        y_max: num(w, "yMax"),
                        text: w[start..end].to_string(),
                    })
                })
                .collect()
        })
        .collect()
}

/// The text of a PDF (`pdftotext -raw`, content order), of one page or all.
pub fn pdf_text(path: &Path, page: Option<usize>) -> String {
    let mut cmd = Command::new(tool("pdftotext"));
    cmd.arg("-raw");
    if let Some(n) = page {
        cmd.args(["-f", &n.to_string(), "-l", &n.to_string()]);
    }
    let out = cmd.arg(path).arg("-").output().unwrap();
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text without whitespace, for comparing across line breaks.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text without page numbers (`—3—` once whitespace is gone), which interrupt paragraphs
/// that continue on the next page.
pub fn without_folios(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('—') {
        let after = &rest[i + '—'.len_utf8()..];
        let digits = after.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && after[digits..].starts_with('—') {
            out.push_str(&rest[..i]);
            rest = &after[digits + '—'.len_utf8()..];
        } else {
            out.push_str(&rest[..i + '—'.len_utf8()]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The parts of a zip package (.docx, .xlsx, .ofd), in the order they are stored.
pub fn zip_parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip package");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = vec![];
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().to_string(), b)
        })
        .collect()
}

/// The text parts of a zip package by name (binary ones, such as an .odt thumbnail, left out).
pub fn zip_texts(bytes: &[u8]) -> BTreeMap<String, String> {
    zip_parts(bytes)
        .into_iter()
        .filter_map(|(name, b)| String::from_utf8(b).ok().map(|s| (name, s)))
        .collect()
}

/// `bytes` (a zip package) with the part `part` replaced by `edit(part)`.
pub fn edit_zip_part(bytes: &[u8], part: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, mut b) in zip_parts(bytes) {
        if name == part {
            b = edit(&String::from_utf8(b).unwrap()).into_bytes();
        }
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&b).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Every file under `dir` with a digest of its bytes (std's hasher: enough to see a change), to
/// show that a run changed no file it should not have.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, u64> {
    use std::hash::{Hash, Hasher};
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::fs::read(&p).unwrap().hash(&mut h);
                out.insert(p, h.finish());
            }
        }
    }
    out
}

/// Compares a text output with its committed copy in tests/golden/ (`XXGK_BLESS=1` rewrites it).
pub fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("XXGK_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with XXGK_BLESS=1", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n(XXGK_BLESS=1 regenerates it)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}
