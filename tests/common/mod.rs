//! Helpers shared by the integration tests that run the `xxgk` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The project root (examples, fonts).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of a file in `examples/`.
pub fn example(name: &str) -> String {
    std::fs::read_to_string(root().join("examples").join(name)).unwrap()
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
    let input = dir.join(format!("{stem}.docx"));
    std::fs::write(&input, docx).unwrap();
    let out = Command::new(tool("soffice"))
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("lo-profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(&input)
        .env("HOME", dir)
        .env("FONTCONFIG_FILE", fonts_conf(dir))
        .output()
        .unwrap();
    let result = dir.join(format!("{stem}.pdf"));
    assert!(
        result.exists(),
        "LibreOffice did not convert {stem}.docx: {}",
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
                        text: w[start..end].to_string(),
                    })
                })
                .collect()
        })
        .collect()
}
