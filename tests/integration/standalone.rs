//! The executable alone, copied to a folder with no source tree and no `fonts/` in reach,
//! renders every format with its built-in fonts; official fonts in `--font-dir` still win.

use crate::common::{self, squash};
use std::path::{Path, PathBuf};
use std::process::Command;

fn example() -> PathBuf {
    common::example_path("langfang-2021.yaml")
}

/// A scratch folder with `bin/xxgk` (a copy of the built binary), an empty `home/` and a
/// `work/` folder to run in.
struct Scratch {
    _dir: tempfile::TempDir,
    bin: PathBuf,
    home: PathBuf,
    work: PathBuf,
}

fn scratch() -> Scratch {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin").join("xxgk");
    std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_xxgk"), &bin).unwrap();
    let home = dir.path().join("home");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    Scratch {
        bin,
        home,
        work,
        _dir: dir,
    }
}

impl Scratch {
    fn run(&self, args: &[&str]) -> (bool, String) {
        let out = Command::new(&self.bin)
            .args(args)
            .current_dir(&self.work)
            .env("HOME", &self.home)
            .env_remove("XXGK_FONT_DIR")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    }
}

fn tool(name: &str, args: &[&str]) -> String {
    let (ok, out, err) = common::run(name, args);
    assert!(ok, "{name} {args:?}: {err}");
    out
}

/// `pdffonts` rows: (name, emb, sub, uni).
fn fonts_of(pdf: &Path) -> Vec<(String, String, String, String)> {
    tool("pdffonts", &[pdf.to_str().unwrap()])
        .lines()
        .skip(2)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let n = f.len();
            (
                f[0].to_string(),
                f[n - 5].to_string(),
                f[n - 4].to_string(),
                f[n - 3].to_string(),
            )
        })
        .collect()
}

#[test]
fn the_binary_alone_renders_all_three_formats_with_built_in_fonts() {
    let s = scratch();
    // Rare name characters outside the Fandol repertoire, in body text.
    let yaml = std::fs::read_to_string(example()).unwrap().replace(
        "2021年，市政府办公室坚持",
        "2021年，堃喆旻镕赟市政府办公室坚持",
    );
    std::fs::write(s.work.join("report.yaml"), yaml).unwrap();
    let (ok, out) = s.run(&["render", "report.yaml"]);
    assert!(ok, "{out}");
    for ext in ["docx", "pdf", "xlsx"] {
        let f = s.work.join(format!("report.{ext}"));
        assert!(
            f.metadata().map(|m| m.len() > 1000).unwrap_or(false),
            "{ext}: {out}"
        );
    }
    let pdf = s.work.join("report.pdf");
    let fonts = fonts_of(&pdf);
    assert!(fonts.len() >= 6, "{fonts:?}");
    for (name, emb, sub, uni) in &fonts {
        assert_eq!(
            (emb, sub, uni),
            (&"yes".into(), &"yes".into(), &"yes".into()),
            "{name}"
        );
        let (tag, base) = name.split_once('+').expect("subset tag");
        assert!(
            tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
            "{name}"
        );
        assert!(
            !base.contains('/') && !base.contains('<'),
            "a real font name: {name}"
        );
    }
    assert!(
        fonts.iter().any(|f| f.0.ends_with("+FandolFang-Regular")),
        "{fonts:?}"
    );
    assert!(
        fonts.iter().any(|f| f.0.contains("+NotoSerifCJK")),
        "{fonts:?}"
    );
    let text = squash(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]));
    assert!(text.contains("廊坊市人民政府办公室2021年政府信息公开工作年度报告"));
    assert!(
        text.contains("2021年，堃喆旻镕赟市政府办公室坚持以习近平新时代中国特色社会主义思想为指导")
    );
    // `xxgk fonts` tells where each face came from.
    let (ok, listing) = s.run(&["fonts"]);
    assert!(ok, "{listing}");
    assert!(
        listing.contains("仿宋_GB2312：FandolFang-Regular — 内置"),
        "{listing}"
    );
    let (ok, licences) = s.run(&["fonts", "--licences"]);
    assert!(ok && licences.contains("SIL Open Font License") && licences.contains("GNU"));
}

#[test]
fn an_official_font_in_the_font_dir_draws_its_face() {
    let s = scratch();
    // FandolHei under the file name of the official FangSong stands in for 仿宋_GB2312.
    let dir = s.work.join("fonts");
    std::fs::create_dir_all(&dir).unwrap();
    let src = common::root().join("fonts/FandolHei-Regular.otf");
    std::fs::copy(src, dir.join("仿宋_GB2312.ttf")).unwrap();
    std::fs::copy(example(), s.work.join("report.yaml")).unwrap();
    let (ok, out) = s.run(&[
        "render",
        "report.yaml",
        "--to",
        "pdf",
        "--font-dir",
        "fonts",
    ]);
    assert!(ok, "{out}");
    let fonts = fonts_of(&s.work.join("report.pdf"));
    assert!(
        !fonts.iter().any(|f| f.0.contains("FandolFang")),
        "the official file replaces the built-in FangSong: {fonts:?}"
    );
    assert!(
        fonts
            .iter()
            .filter(|f| f.0.ends_with("+FandolHei-Regular"))
            .count()
            >= 2,
        "{fonts:?}"
    );
    let (ok, listing) = s.run(&["fonts", "--font-dir", "fonts"]);
    assert!(ok, "{listing}");
    assert!(
        listing.contains("仿宋_GB2312：FandolHei-Regular — fonts/仿宋_GB2312.ttf"),
        "{listing}"
    );
}
