//! Font lookup, loading (once per process) and per-character fallback.
//!
//! The official faces of GB/T 9704 (仿宋_GB2312, 黑体, 楷体_GB2312, 宋体, 方正小标宋简体) are
//! proprietary; when a machine has them we use them, otherwise the free Fandol fonts bundled with
//! xxgk stand in. Noto Serif CJK SC backs every face up character by character (names such as 堃
//! 喆 旻 are outside the Fandol repertoire).

use crate::diag::{Diagnostic, Rule};
use printpdf::ParsedFont;
use std::path::{Path, PathBuf};

pub use crate::spec::style::Face;

/// Faces a report cannot be set without; Latin and the fallback are optional (the CJK face
/// draws digits, and a character the face lacks is only an error if nothing else has it).
fn required(face: Face) -> bool {
    !matches!(face, Face::Latin | Face::Fallback)
}

/// The slot of a face in [`Fonts`].
fn slot(face: Face) -> usize {
    face as usize
}

/// A font file name (compared case-insensitively) and the face index inside it (TTC).
type FileName = (&'static str, usize);

/// File names of the official (system) fonts, as Windows and font packs install them.
fn official_files(face: Face) -> &'static [FileName] {
    match face {
        Face::Fang => &[
            ("simfang.ttf", 0),
            ("FangSong_GB2312.ttf", 0),
            ("仿宋_GB2312.ttf", 0),
            ("仿宋_GB2312.TTF", 0),
        ],
        Face::Hei => &[("simhei.ttf", 0), ("黑体.ttf", 0)],
        Face::Kai => &[
            ("simkai.ttf", 0),
            ("KaiTi_GB2312.ttf", 0),
            ("楷体_GB2312.ttf", 0),
        ],
        Face::Song => &[("simsun.ttc", 0), ("simsun.ttf", 0), ("宋体.ttc", 0)],
        Face::Title => &[
            ("FZXBSJW.TTF", 0),
            ("方正小标宋简体.ttf", 0),
            ("FZXBSJW--GB1-0.ttf", 0),
        ],
        Face::Latin => &[
            ("times.ttf", 0),
            ("Times New Roman.ttf", 0),
            ("TimesNewRoman.ttf", 0),
            ("Times_New_Roman.ttf", 0),
        ],
        Face::Fallback => &[
            ("NotoSerifCJK-Regular.ttc", 2),
            ("NotoSerifCJKsc-Regular.otf", 0),
        ],
    }
}

/// File names of the free fonts bundled with xxgk (`fonts/` of the source tree).
fn bundled_files(face: Face) -> &'static [FileName] {
    match face {
        Face::Fang => &[("FandolFang-Regular.otf", 0)],
        Face::Hei => &[("FandolHei-Regular.otf", 0)],
        Face::Kai => &[("FandolKai-Regular.otf", 0)],
        Face::Song => &[("FandolSong-Regular.otf", 0)],
        Face::Title => &[("FandolSong-Bold.otf", 0)],
        // Metric-compatible with Times New Roman (same advances), so digits set as in Word.
        Face::Latin => &[("LiberationSerif-Regular.ttf", 0)],
        Face::Fallback => &[("NotoSerifCJK-Regular.ttc", 2)],
    }
}

/// One place to look, and which names to accept there.
#[derive(Debug, Clone)]
pub struct SearchStep {
    pub dir: PathBuf,
    /// Look in subdirectories too (system font trees).
    pub recursive: bool,
    pub official: bool,
    pub bundled: bool,
}

/// The font lookup order, in one place (documented in the README):
///
/// 1. `font_dir` (the `--font-dir` option): official or bundled file names;
/// 2. `$XXGK_FONT_DIR`: official or bundled file names;
/// 3. the system's official fonts (simfang.ttf, simhei.ttf, simkai.ttf, simsun.ttc, FZXBSJW.TTF,
///    times.ttf …) under /usr/share/fonts, /usr/local/share/fonts, ~/.fonts,
///    ~/.local/share/fonts, C:\Windows\Fonts, /Library/Fonts;
/// 4. the bundled Fandol and Noto fonts next to the binary: `<exe dir>/fonts`,
///    `<exe dir>/../share/xxgk/fonts`;
/// 5. the source tree's `fonts/` (`CARGO_MANIFEST_DIR` at compile time), for `cargo run`.
///
/// Per face, the first step that has a usable file wins.
pub fn lookup_plan(font_dir: Option<&Path>) -> Vec<SearchStep> {
    let step = |dir: PathBuf, recursive, official, bundled| SearchStep {
        dir,
        recursive,
        official,
        bundled,
    };
    let mut plan = vec![];
    if let Some(d) = font_dir {
        plan.push(step(d.to_path_buf(), false, true, true));
    }
    if let Some(d) = std::env::var_os("XXGK_FONT_DIR").filter(|d| !d.is_empty()) {
        plan.push(step(PathBuf::from(d), false, true, true));
    }
    let mut system: Vec<PathBuf> = vec!["/usr/share/fonts".into(), "/usr/local/share/fonts".into()];
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let home = PathBuf::from(home);
        system.push(home.join(".fonts"));
        system.push(home.join(".local/share/fonts"));
    }
    let windir = std::env::var_os("WINDIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(r"C:\Windows"));
    system.push(windir.join("Fonts"));
    system.push("/Library/Fonts".into());
    for d in system {
        plan.push(step(d, true, true, false));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        plan.push(step(exe_dir.join("fonts"), false, false, true));
        plan.push(step(
            exe_dir.join("../share/xxgk/fonts"),
            false,
            false,
            true,
        ));
    }
    plan.push(step(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"),
        false,
        false,
        true,
    ));
    plan
}

/// Files of a directory (recursively up to a small depth for system trees), sorted so the
/// lookup does not depend on the directory's order.
fn list_files(dir: &Path, recursive: bool, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if recursive && depth < 5 {
                list_files(&p, recursive, depth + 1, out);
            }
        } else {
            out.push(p);
        }
    }
}

/// A loaded font.
pub struct LoadedFont {
    pub face: Face,
    pub path: PathBuf,
    pub index: usize,
    pub parsed: ParsedFont,
    /// Units per em, as f32 for the metrics below.
    upem: f32,
}

impl LoadedFont {
    /// Glyph id of a character, if the font has one (never .notdef).
    pub fn glyph(&self, ch: char) -> Option<u16> {
        self.parsed
            .lookup_glyph_index(ch as u32)
            .filter(|&g| g != 0)
    }

    /// Advance of a glyph at `size` points.
    pub fn advance(&self, gid: u16, size: f32) -> f32 {
        self.parsed.get_horizontal_advance(gid) as f32 * size / self.upem
    }

    /// The PostScript name (for messages and tests).
    pub fn name(&self) -> String {
        self.parsed
            .font_name
            .clone()
            .unwrap_or_else(|| self.path.display().to_string())
    }
}

/// The fonts of the official faces and the fallback, parsed once and shared by every render
/// (also across threads).
pub struct Fonts {
    /// Indexed by `Face as usize`; `None` for an optional face that was not found.
    slots: Vec<Option<LoadedFont>>,
}

/// Renders in parallel share one `&Fonts`.
const _: fn() = || {
    fn check<T: Send + Sync>() {}
    check::<Fonts>();
};

/// The result of resolving a character: which font draws it and how wide it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved {
    pub face: Face,
    pub advance: f32,
}

impl Fonts {
    /// Looks fonts up in the order of [`lookup_plan`] and parses them.
    pub fn load(font_dir: Option<&Path>) -> Result<Fonts, Diagnostic> {
        if let Some(d) = font_dir {
            if !d.is_dir() {
                return Err(Diagnostic::error(
                    Rule::Io,
                    format!("字体目录不存在：{}", d.display()),
                ));
            }
        }
        let plan = lookup_plan(font_dir);
        let listings: Vec<Vec<PathBuf>> = plan
            .iter()
            .map(|s| {
                let mut v = vec![];
                list_files(&s.dir, s.recursive, 0, &mut v);
                v
            })
            .collect();
        let mut slots = Vec::with_capacity(Face::ALL.len());
        let mut missing = vec![];
        for face in Face::ALL {
            match find_and_parse(face, &plan, &listings)? {
                Some(f) => slots.push(Some(f)),
                None => {
                    if required(face) {
                        missing.push(face.official_name());
                    }
                    slots.push(None);
                }
            }
        }
        if !missing.is_empty() {
            let dirs: Vec<String> = plan.iter().map(|s| s.dir.display().to_string()).collect();
            return Err(Diagnostic::error(Rule::Io, format!(
                "找不到字体：{}。已查找：{}。请用 --font-dir 指定含 Fandol 字体（FandolFang-Regular.otf 等）或官方字体的目录",
                missing.join("、"),
                dirs.join("；")
            )));
        }
        Ok(Fonts { slots })
    }

    pub fn get(&self, face: Face) -> Option<&LoadedFont> {
        self.slots.get(slot(face)).and_then(Option::as_ref)
    }

    /// Which font draws `ch` when the text is set in `face` at `size`: digits and Latin letters
    /// in Times New Roman when present, else the face, else the fallback. `None` when no font has
    /// the character.
    pub fn resolve(&self, face: Face, ch: char, size: f32) -> Option<Resolved> {
        let latin = ch.is_ascii_graphic() || ch == ' ';
        let order: [Face; 3] = if latin {
            [Face::Latin, face, Face::Fallback]
        } else {
            [face, Face::Fallback, Face::Fallback]
        };
        for f in order {
            if let Some(font) = self.get(f) {
                if let Some(g) = font.glyph(ch) {
                    return Some(Resolved {
                        face: f,
                        advance: font.advance(g, size),
                    });
                }
            }
        }
        // A space that no font maps still takes half an em: it is only white.
        if ch == ' ' || ch == '\u{3000}' {
            let w = if ch == ' ' { size / 2.0 } else { size };
            return Some(Resolved { face, advance: w });
        }
        None
    }

    /// The files in use, for `xxgk fonts`-style listings and the report: (face, path).
    pub fn files(&self) -> Vec<(Face, &Path)> {
        self.slots
            .iter()
            .flatten()
            .map(|f| (f.face, f.path.as_path()))
            .collect()
    }
}

fn find_and_parse(
    face: Face,
    plan: &[SearchStep],
    listings: &[Vec<PathBuf>],
) -> Result<Option<LoadedFont>, Diagnostic> {
    for (step, files) in plan.iter().zip(listings) {
        let mut names: Vec<FileName> = vec![];
        if step.official {
            names.extend_from_slice(official_files(face));
        }
        if step.bundled {
            names.extend_from_slice(bundled_files(face));
        }
        for (name, index) in names {
            let want = name.to_lowercase();
            let hit = files.iter().find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.to_lowercase() == want)
            });
            if let Some(path) = hit {
                if let Some(font) = parse(face, path, index)? {
                    return Ok(Some(font));
                }
            }
        }
    }
    Ok(None)
}

fn parse(face: Face, path: &Path, index: usize) -> Result<Option<LoadedFont>, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(Rule::Io, format!("无法读取字体 {}：{e}", path.display()))
    })?;
    let mut warnings = vec![];
    // A file that does not parse is skipped (a broken copy should not hide a good one later in
    // the lookup order).
    let Some(parsed) = ParsedFont::from_bytes(&bytes, index, &mut warnings) else {
        return Ok(None);
    };
    let upem = parsed.font_metrics.units_per_em.max(1) as f32;
    Ok(Some(LoadedFont {
        face,
        path: path.to_path_buf(),
        index,
        parsed,
        upem,
    }))
}

/// `U+5803`.
pub fn codepoint(ch: char) -> String {
    format!("U+{:04X}", ch as u32)
}
