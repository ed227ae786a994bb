//! Fonts: which file draws each face, parsed lazily and shared by every render of the process.
//!
//! The official faces of GB/T 9704 (仿宋_GB2312, 黑体, 楷体_GB2312, 宋体, 方正小标宋简体) are
//! proprietary; when a machine has them we use them, found by their family names (or the file
//! names Windows gives them). Everything else is drawn by the free faces compiled into the
//! executable: Fandol Song/Bold/Hei/Kai/Fang, Liberation Serif for digits and Latin letters, and
//! Noto Serif CJK SC for the characters the Fandol fonts lack (names such as 堃 喆 旻).
//!
//! Nothing is copied: the built-in faces are `include_bytes!` data, read where they lie (the OS
//! pages in only what a lookup touches), machine fonts are memory-mapped once per process, and
//! [`ttf_parser::Face`] parses both without copying.

use crate::diag::{Diagnostic, Rule};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

pub use crate::spec::style::Face;

// --- Built-in faces ----------------------------------------------------------------------------

/// A face compiled into the executable.
pub struct Builtin {
    /// The file in the source tree's `fonts/` it was taken from.
    pub file: &'static str,
    pub data: &'static [u8],
    /// Which entry of [`LICENCES`] covers it.
    pub licence: &'static str,
}

macro_rules! builtin {
    ($file:literal, $licence:literal) => {
        Builtin {
            file: $file,
            data: include_bytes!(concat!("../../../fonts/", $file)),
            licence: $licence,
        }
    };
}

/// The built-in face of each role, in the order of [`Face::ALL`].
static BUILTIN: [Builtin; 7] = [
    builtin!("FandolFang-Regular.otf", "Fandol"),
    builtin!("FandolHei-Regular.otf", "Fandol"),
    builtin!("FandolKai-Regular.otf", "Fandol"),
    builtin!("FandolSong-Regular.otf", "Fandol"),
    builtin!("FandolSong-Bold.otf", "Fandol"),
    // Metric-compatible with Times New Roman (same advances), so digits set as in Word.
    builtin!("LiberationSerif-Regular.ttf", "Liberation"),
    // Noto Serif CJK SC, only the characters the five Fandol faces do not all have (see
    // fonts/README.md for how it was cut from the Debian TTC).
    builtin!("NotoSerifCJKsc-Regular-fallback.otf", "Noto"),
];

/// Licences of the built-in faces: (name, text). Shipped inside the binary with the fonts.
pub const LICENCES: [(&str, &str); 3] = [
    ("Fandol", include_str!("../../../fonts/LICENSE-Fandol.txt")),
    (
        "Liberation",
        include_str!("../../../fonts/LICENSE-OFL-Liberation.txt"),
    ),
    ("Noto", include_str!("../../../fonts/LICENSE-OFL-Noto.txt")),
];

/// The built-in face of a role.
pub fn builtin(face: Face) -> &'static Builtin {
    &BUILTIN[slot(face)]
}

/// The slot of a face in [`Fonts`].
fn slot(face: Face) -> usize {
    face as usize
}

// --- Official faces ---------------------------------------------------------------------------

/// Family (or full) names of the official face of a role, best first.
fn official_names(face: Face) -> &'static [&'static str] {
    match face {
        Face::Fang => &["仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"],
        Face::Hei => &["黑体", "SimHei"],
        Face::Kai => &["楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"],
        Face::Song => &["宋体", "SimSun"],
        Face::Title => &[
            "方正小标宋简体",
            "FZXiaoBiaoSong-B05S",
            "方正小标宋_GBK",
            "FZXiaoBiaoSong-B05",
        ],
        Face::Latin => &["Times New Roman"],
        // The built-in Noto cut comes first (output does not depend on the machine); a full
        // Noto Serif CJK SC on the machine only adds what the cut leaves out (CJK Ext. A …).
        Face::Fallback => &["Noto Serif CJK SC"],
    }
}

/// A font file name (compared case-insensitively) and the face index inside it (TTC).
type FileName = (&'static str, u32);

/// File names of the official fonts, as Windows and font packs install them (a fast path: no
/// need to read the file's names).
fn official_files(face: Face) -> &'static [FileName] {
    match face {
        Face::Fang => &[
            ("仿宋_GB2312.ttf", 0),
            ("FangSong_GB2312.ttf", 0),
            ("simfang.ttf", 0),
        ],
        Face::Hei => &[("黑体.ttf", 0), ("simhei.ttf", 0)],
        Face::Kai => &[
            ("楷体_GB2312.ttf", 0),
            ("KaiTi_GB2312.ttf", 0),
            ("simkai.ttf", 0),
        ],
        Face::Song => &[("宋体.ttc", 0), ("simsun.ttc", 0), ("simsun.ttf", 0)],
        Face::Title => &[
            ("方正小标宋简体.ttf", 0),
            ("FZXBSJW.TTF", 0),
            ("FZXBSJW--GB1-0.ttf", 0),
        ],
        Face::Latin => &[
            ("times.ttf", 0),
            ("Times New Roman.ttf", 0),
            ("TimesNewRoman.ttf", 0),
            ("Times_New_Roman.ttf", 0),
        ],
        Face::Fallback => &[],
    }
}

/// A character the face must have to be taken for the role (guards against a symbol font or a
/// broken file that happens to carry the name).
fn probe(face: Face) -> char {
    match face {
        Face::Latin => '0',
        // The built-in Noto cut has only what the Fandol faces lack.
        Face::Fallback => '堃',
        _ => '国',
    }
}

/// One place to look.
#[derive(Debug, Clone)]
pub struct SearchStep {
    pub dir: PathBuf,
    /// Look in subdirectories too (system font trees).
    pub recursive: bool,
}

/// The font lookup order, in one place (documented in the README). Each step is searched for
/// the official faces, by file name and by family name:
///
/// 1. `font_dir` (the `--font-dir` option);
/// 2. `$XXGK_FONT_DIR`;
/// 3. the system font folders: /usr/share/fonts, /usr/local/share/fonts, ~/.fonts,
///    ~/.local/share/fonts; on Windows %WINDIR%\Fonts and the per-user
///    %LOCALAPPDATA%\Microsoft\Windows\Fonts; on macOS /Library/Fonts and ~/Library/Fonts.
///
/// Per face, the first step that has a usable file wins; a face found nowhere is drawn by the
/// built-in free face.
pub fn lookup_plan(font_dir: Option<&Path>) -> Vec<SearchStep> {
    let step = |dir: PathBuf, recursive| SearchStep { dir, recursive };
    let mut plan = vec![];
    if let Some(d) = font_dir {
        plan.push(step(d.to_path_buf(), false));
    }
    if let Some(d) = std::env::var_os("XXGK_FONT_DIR").filter(|d| !d.is_empty()) {
        plan.push(step(PathBuf::from(d), false));
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    if cfg!(windows) {
        let windir = std::env::var_os("WINDIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(r"C:\Windows"));
        plan.push(step(windir.join("Fonts"), true));
        if let Some(local) = std::env::var_os("LOCALAPPDATA").filter(|d| !d.is_empty()) {
            plan.push(step(
                PathBuf::from(local).join(r"Microsoft\Windows\Fonts"),
                true,
            ));
        }
    } else if cfg!(target_os = "macos") {
        plan.push(step("/Library/Fonts".into(), true));
        if let Some(h) = &home {
            plan.push(step(h.join("Library/Fonts"), true));
        }
    } else {
        plan.push(step("/usr/share/fonts".into(), true));
        plan.push(step("/usr/local/share/fonts".into(), true));
        if let Some(h) = &home {
            plan.push(step(h.join(".fonts"), true));
            plan.push(step(h.join(".local/share/fonts"), true));
        }
    }
    plan
}

fn is_font_file(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["ttf", "otf", "ttc", "otc"].contains(&e.to_ascii_lowercase().as_str()))
}

/// Font files of a directory (recursively up to a small depth for system trees), sorted so the
/// lookup does not depend on the directory's order. Only regular files (or links to them) are
/// listed: opening a FIFO or a device named like a font would block or read forever, so such a
/// name goes to `odd`, to be reported, and is never opened.
fn list_files(
    dir: &Path,
    recursive: bool,
    depth: usize,
    out: &mut Vec<PathBuf>,
    odd: &mut Vec<PathBuf>,
) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        // `metadata` follows links (a link to a font is a font) and never opens the file.
        let Ok(meta) = std::fs::metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            if recursive && depth < 5 {
                list_files(&p, recursive, depth + 1, out, odd);
            }
        } else if is_font_file(&p) {
            if meta.is_file() {
                out.push(p);
            } else {
                odd.push(p);
            }
        }
    }
}

/// Opens a font file only if it is a regular file: checked before the open (which would block
/// on a FIFO) and again on the open file (in case the name changed in between).
fn open_regular(path: &Path) -> Option<std::fs::File> {
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let f = std::fs::File::open(path).ok()?;
    f.metadata().ok()?.is_file().then_some(f)
}

/// Why the face `index` of font data cannot be used, if it cannot: every table of its
/// directory must lie inside the data (a truncated copy, a download cut short, fails here),
/// and the tables every writer needs must be there. The parser alone would accept such a file
/// (it reads tables lazily) and the PDF or OFD writer would fail on it later.
fn damage(data: &[u8], index: u32) -> Option<String> {
    let truncated = || Some(format!("文件不完整（只有 {} 字节）", data.len()));
    let Some(tag) = data.get(..4) else {
        return truncated();
    };
    let offset = if tag == b"ttcf" {
        let Some(n) = be32(data, 8) else {
            return truncated();
        };
        if index >= n {
            return Some(format!("字体集合中没有第 {} 个字体", index + 1));
        }
        match be32(data, 12 + 4 * index as usize) {
            Some(o) => o as usize,
            None => return truncated(),
        }
    } else {
        0
    };
    let Some(n) = be16(data, offset + 4) else {
        return truncated();
    };
    let mut tags = vec![];
    for i in 0..n as usize {
        let rec = offset + 12 + 16 * i;
        let (Some(tag), Some(at), Some(len)) = (
            data.get(rec..rec + 4),
            be32(data, rec + 8),
            be32(data, rec + 12),
        ) else {
            return truncated();
        };
        if at as u64 + len as u64 > data.len() as u64 {
            return truncated();
        }
        tags.push(tag);
    }
    let has = |t: &[u8]| tags.contains(&t);
    let missing: Vec<&str> = ["cmap", "head", "hhea", "hmtx", "maxp"]
        .into_iter()
        .filter(|t| !has(t.as_bytes()))
        .collect();
    if !missing.is_empty() {
        return Some(format!("缺少 {} 表", missing.join("、")));
    }
    if !(has(b"CFF ") || has(b"CFF2") || (has(b"glyf") && has(b"loca"))) {
        return Some("没有字形数据（glyf 或 CFF 表）".into());
    }
    None
}

// --- Reading names without reading fonts -------------------------------------------------------

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn read_at(f: &mut std::fs::File, at: u64, len: usize) -> Option<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    f.seek(SeekFrom::Start(at)).ok()?;
    let mut buf = vec![0; len];
    f.read_exact(&mut buf).ok()?;
    Some(buf)
}

/// The names a face answers to ([`norm`]alised): its full names, and its family names when its
/// style is the regular one. Reads only the table directory and the `name` table of each face.
fn face_names(path: &Path) -> Vec<(u32, Vec<String>)> {
    let Some(mut f) = open_regular(path) else {
        return vec![];
    };
    let Some(head) = read_at(&mut f, 0, 12) else {
        return vec![];
    };
    let offsets: Vec<u32> = if &head[..4] == b"ttcf" {
        let n = be32(&head, 8).unwrap_or(0).min(64) as usize;
        let Some(dir) = read_at(&mut f, 12, 4 * n) else {
            return vec![];
        };
        (0..n).filter_map(|i| be32(&dir, 4 * i)).collect()
    } else {
        vec![0]
    };
    let mut out = vec![];
    for (index, off) in offsets.into_iter().enumerate() {
        let Some(h) = read_at(&mut f, off as u64, 12) else {
            continue;
        };
        let n = be16(&h, 4).unwrap_or(0) as usize;
        let Some(records) = read_at(&mut f, off as u64 + 12, 16 * n) else {
            continue;
        };
        let Some((at, len)) = (0..n).find_map(|i| {
            let r = &records[16 * i..16 * i + 16];
            (&r[..4] == b"name").then(|| (be32(r, 8), be32(r, 12)))
        }) else {
            continue;
        };
        let (Some(at), Some(len)) = (at, len) else {
            continue;
        };
        let Some(data) = read_at(&mut f, at as u64, (len as usize).min(1 << 20)) else {
            continue;
        };
        out.push((index as u32, names_of(&data)));
    }
    out
}

fn names_of(name_table: &[u8]) -> Vec<String> {
    let Some(table) = ttf_parser::name::Table::parse(name_table) else {
        return vec![];
    };
    let mut full = vec![];
    let mut family = vec![];
    let mut regular = false;
    for n in table.names {
        let Some(s) = n.to_string() else { continue };
        match n.name_id {
            ttf_parser::name_id::FULL_NAME => full.push(s),
            ttf_parser::name_id::FAMILY | ttf_parser::name_id::TYPOGRAPHIC_FAMILY => family.push(s),
            ttf_parser::name_id::SUBFAMILY | ttf_parser::name_id::TYPOGRAPHIC_SUBFAMILY => {
                let l = s.to_lowercase();
                regular |= ["regular", "normal", "book", "roman", "常规", "標準", "标准"]
                    .contains(&l.as_str());
            }
            _ => {}
        }
    }
    if regular {
        full.extend(family);
    }
    full.iter().map(|n| norm(n)).collect()
}

/// The advance of a white-space character that no font maps (U+2003, U+205F …): it is only
/// white, so it takes an ideographic space's width (U+3000) or half an em. The layout, the PDF
/// and the OFD writers all take this one width. `None` for any other character.
pub fn blank_advance(ch: char, size: f32) -> Option<f32> {
    match ch {
        '\u{3000}' => Some(size),
        c if c.is_whitespace() => Some(size / 2.0),
        _ => None,
    }
}

/// A name as compared: without white space, lower case.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

// --- Font data ---------------------------------------------------------------------------------

/// Machine font files, memory-mapped once per process (a batch or a test that loads fonts many
/// times maps each file once).
fn mapped(path: &Path) -> Option<&'static [u8]> {
    static MAPS: OnceLock<Mutex<HashMap<PathBuf, &'static [u8]>>> = OnceLock::new();
    let mut maps = MAPS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(d) = maps.get(path) {
        return Some(d);
    }
    let file = open_regular(path)?;
    // SAFETY: a read-only private mapping, leaked so it lives as long as the `'static` slice.
    // The one hazard is outside the program: another process rewriting or truncating the font
    // file while we run may change what we read, or end the process with SIGBUS. Every program
    // that maps fonts (fontconfig, browsers) accepts this; a font file being replaced under a
    // short-lived report run is not a case worth a full copy of every official font.
    let map = unsafe { mmapio::MmapOptions::new().map(&file) }.ok()?;
    let data: &'static [u8] = Box::leak(Box::new(map));
    maps.insert(path.to_path_buf(), data);
    Some(data)
}

/// Where a font came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Compiled into the executable (the file name in the source tree's `fonts/`).
    Builtin(&'static str),
    /// A file on this machine.
    File(PathBuf),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Builtin(file) => write!(f, "内置 {file}"),
            Source::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// Vertical metrics and bounding box of a font, in font units.
pub struct Metrics {
    pub ascent: i16,
    pub descent: i16,
    pub cap_height: i16,
    /// x min, y min, x max, y max.
    pub bbox: (i16, i16, i16, i16),
}

/// A parsed font: a zero-copy view of bytes that live as long as the process.
pub struct LoadedFont {
    pub face: Face,
    pub source: Source,
    /// The file (for built-in faces `<内置>/<file>`), for messages.
    pub path: PathBuf,
    /// Face index inside a collection.
    pub index: u32,
    data: &'static [u8],
    parsed: ttf_parser::Face<'static>,
    name: String,
    /// Units per em, as f32 for the metrics below.
    upem: f32,
    /// Font programs already cut from this font (see [`ProgramCache`]).
    pub programs: ProgramCache,
}

/// Font programs a writer cut from one font, by the exact glyph ids they keep (in order):
/// the reports of a batch worker share the glyphs of their fixed texts (table labels, digits,
/// headings), and cutting a font is the costliest part of a PDF. What is stored is a pure
/// function of its key, so a report's bytes are the same whether it was rendered alone or
/// after others.
///
/// A program is kept only when its glyph ids come a second time: the body face's glyphs
/// differ from report to report, and keeping each of those cuts (~100 KB) would only cost
/// memory. Bounded: when full, the cache starts again empty.
#[derive(Default)]
pub struct ProgramCache {
    map: std::sync::Mutex<ProgramMap>,
}

#[derive(Default)]
struct ProgramMap {
    /// Bytes held by `programs`.
    bytes: usize,
    programs: std::collections::HashMap<Vec<u16>, std::sync::Arc<Program>>,
    /// Hashes of the glyph ids cut once and not kept.
    seen: std::collections::HashSet<u64>,
}

/// A cut font program, deflated, and its length before.
pub struct Program {
    pub packed: Vec<u8>,
    pub raw_len: usize,
}

impl ProgramCache {
    /// Bytes kept at most per font.
    const LIMIT: usize = 2 << 20;
    /// Glyph sets remembered at most as seen once (8 bytes each).
    const SEEN: usize = 4096;

    pub fn get(&self, gids: &[u16]) -> Option<std::sync::Arc<Program>> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.programs.get(gids).cloned()
    }

    pub fn put(&self, gids: Vec<u16>, program: std::sync::Arc<Program>) {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(&gids);
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.seen.len() >= Self::SEEN {
            map.seen.clear();
        }
        if map.seen.insert(hash) {
            return;
        }
        let size = program.packed.len() + gids.len() * 2;
        if size > Self::LIMIT {
            return;
        }
        if map.bytes + size > Self::LIMIT {
            map.programs.clear();
            map.bytes = 0;
        }
        map.bytes += size;
        map.programs.insert(gids, program);
    }
}

impl LoadedFont {
    fn new(face: Face, source: Source, data: &'static [u8], index: u32) -> Option<LoadedFont> {
        let parsed = ttf_parser::Face::parse(data, index).ok()?;
        // The PostScript name is ASCII; Mac-platform records are not decoded by ttf-parser.
        let name = parsed
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| {
                n.to_string().or_else(|| {
                    n.name
                        .is_ascii()
                        .then(|| String::from_utf8_lossy(n.name).into_owned())
                })
            })
            .unwrap_or_default();
        let path = match &source {
            Source::Builtin(file) => Path::new("<内置>").join(file),
            Source::File(p) => p.clone(),
        };
        let upem = parsed.units_per_em().max(1) as f32;
        let font = LoadedFont {
            face,
            source,
            path,
            index,
            data,
            parsed,
            name,
            upem,
            programs: ProgramCache::default(),
        };
        font.glyph(probe(face)).is_some().then_some(font)
    }

    /// Glyph id of a character, if the font has one (never .notdef).
    pub fn glyph(&self, ch: char) -> Option<u16> {
        self.parsed.glyph_index(ch).map(|g| g.0).filter(|&g| g != 0)
    }

    /// Advance of a glyph at `size` points.
    pub fn advance(&self, gid: u16, size: f32) -> f32 {
        self.parsed
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .unwrap_or(0) as f32
            * size
            / self.upem
    }

    /// The PostScript name (what the PDF calls the font).
    pub fn name(&self) -> String {
        if self.name.is_empty() {
            self.path.display().to_string()
        } else {
            self.name.clone()
        }
    }

    /// The font's bytes (a whole collection for a TTC; see [`LoadedFont::index`]).
    pub fn data(&self) -> &'static [u8] {
        self.data
    }

    /// A table of the font's face, as it lies in the font data.
    pub fn table(&self, tag: &[u8; 4]) -> Option<&'static [u8]> {
        self.parsed
            .raw_face()
            .table(ttf_parser::Tag::from_bytes(tag))
    }

    /// Units per em.
    pub fn units_per_em(&self) -> f32 {
        self.upem
    }

    /// Vertical metrics and bounding box in font units, for a PDF font descriptor.
    pub fn metrics(&self) -> Metrics {
        let b = self.parsed.global_bounding_box();
        Metrics {
            ascent: self.parsed.ascender(),
            descent: self.parsed.descender(),
            cap_height: self
                .parsed
                .capital_height()
                .unwrap_or_else(|| self.parsed.ascender()),
            bbox: (b.x_min, b.y_min, b.x_max, b.y_max),
        }
    }

    /// Whether the font is one of the built-in faces.
    pub fn is_builtin(&self) -> bool {
        matches!(self.source, Source::Builtin(_))
    }
}

/// The fonts of the official faces and the fallback, found once and shared by every render
/// (also across threads).
pub struct Fonts {
    /// Indexed by `Face as usize`: the fonts that draw a face, tried in order (the official
    /// font when the machine has it, then the built-in face).
    chains: Vec<Vec<LoadedFont>>,
    /// Files that looked like an official font and were passed over, with why.
    skipped: Vec<(PathBuf, String)>,
}

/// Renders in parallel share one `&Fonts`.
const _: fn() = || {
    fn check<T: Send + Sync>() {}
    check::<Fonts>();
};

/// The result of resolving a character: which face draws it and how wide it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved {
    pub face: Face,
    pub advance: f32,
}

impl Fonts {
    /// The built-in faces only: no file is looked at.
    pub fn builtin() -> Fonts {
        let chains = Face::ALL
            .iter()
            .map(|&face| {
                let b = builtin(face);
                LoadedFont::new(face, Source::Builtin(b.file), b.data, 0)
                    .into_iter()
                    .collect()
            })
            .collect();
        Fonts {
            chains,
            skipped: vec![],
        }
    }

    /// Looks the official faces up in the order of [`lookup_plan`]; the built-in faces draw
    /// the rest. Fails only when `font_dir` is given and is not a directory.
    pub fn load(font_dir: Option<&Path>) -> Result<Fonts, Diagnostic> {
        if let Some(d) = font_dir {
            if !d.is_dir() {
                return Err(Diagnostic::error(
                    Rule::Io,
                    format!("字体目录不存在：{}", d.display()),
                ));
            }
        }
        let mut fonts = Fonts::builtin();
        let mut wanted: Vec<Face> = Face::ALL
            .into_iter()
            .filter(|f| !official_names(*f).is_empty() || !official_files(*f).is_empty())
            .collect();
        for step in lookup_plan(font_dir) {
            if wanted.is_empty() {
                break;
            }
            let (mut files, mut odd) = (vec![], vec![]);
            list_files(&step.dir, step.recursive, 0, &mut files, &mut odd);
            for p in odd {
                let official = Face::ALL.iter().any(|&f| named_official(f, &p));
                if official {
                    fonts.skip(p, "不是普通文件（管道、设备等），未打开".into());
                }
            }
            if files.is_empty() {
                continue;
            }
            // Names are read only when a file name did not already settle every face.
            let mut names: Option<Vec<(PathBuf, u32, Vec<String>)>> = None;
            wanted.retain(|&face| {
                let found = find_official(face, &files, &mut names, &mut fonts.skipped);
                match found {
                    Some(font) => {
                        let chain = &mut fonts.chains[slot(face)];
                        if face == Face::Fallback {
                            chain.push(font);
                        } else {
                            chain.insert(0, font);
                        }
                        false
                    }
                    None => true,
                }
            });
        }
        Ok(fonts)
    }

    /// Files that looked like an official font (by name) and were not used, each with why (a
    /// truncated copy, not a regular file …): the front ends show them as warnings, and the
    /// built-in face draws instead.
    pub fn skipped(&self) -> &[(PathBuf, String)] {
        &self.skipped
    }

    /// The warnings of [`Fonts::skipped`], one line each, naming the file.
    pub fn warnings(&self) -> Vec<String> {
        self.skipped
            .iter()
            .map(|(p, why)| {
                format!(
                    "字体文件 {} 无法使用：{why}；已跳过，改用其他字体",
                    p.display()
                )
            })
            .collect()
    }

    fn skip(&mut self, path: PathBuf, why: String) {
        if !self.skipped.iter().any(|(p, _)| *p == path) {
            self.skipped.push((path, why));
        }
    }

    /// The font that draws a face first (the official one when found).
    pub fn get(&self, face: Face) -> Option<&LoadedFont> {
        self.chains.get(slot(face)).and_then(|c| c.first())
    }

    /// The fonts of a face, tried in order.
    pub fn chain(&self, face: Face) -> &[LoadedFont] {
        self.chains.get(slot(face)).map_or(&[], Vec::as_slice)
    }

    /// Which font of `face`'s chain draws `ch`: (position in the chain, glyph id).
    pub fn pick(&self, face: Face, ch: char) -> Option<(usize, u16)> {
        self.chain(face)
            .iter()
            .enumerate()
            .find_map(|(i, f)| f.glyph(ch).map(|g| (i, g)))
    }

    /// Which face draws `ch` when the text is set in `face` at `size`: digits and Latin letters
    /// in the face's Latin face ([`Face::latin`]) when present, else the face, else the
    /// fallback, else any other face that has it (so that a character the check of characters
    /// passed, [`super::can_draw`], is drawn in every face); white space no font maps is drawn
    /// as blank ([`blank_advance`]). `None` when no font has the character.
    pub fn resolve(&self, face: Face, ch: char, size: f32) -> Option<Resolved> {
        let latin = ch.is_ascii_graphic() || ch == ' ';
        let first: &[Face] = if latin {
            &[face.latin(), face, Face::Fallback]
        } else {
            &[face, Face::Fallback]
        };
        for f in first.iter().copied().chain(Face::ALL) {
            if let Some((i, g)) = self.pick(f, ch) {
                return Some(Resolved {
                    face: f,
                    advance: self.chain(f)[i].advance(g, size),
                });
            }
        }
        blank_advance(ch, size).map(|advance| Resolved { face, advance })
    }

    /// The first font of each face: (face, file). Built-in faces read `<内置>/<file>`.
    pub fn files(&self) -> Vec<(Face, &Path)> {
        Face::ALL
            .iter()
            .filter_map(|&f| self.get(f).map(|l| (f, l.path.as_path())))
            .collect()
    }

    /// A listing for `xxgk fonts`: each face, the font that draws it and where it came from.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        for face in Face::ALL {
            for (i, f) in self.chain(face).iter().enumerate() {
                let role = if i == 0 {
                    format!("{}：", face.official_name())
                } else {
                    format!(
                        "{}  缺字时：",
                        " ".repeat(face.official_name().chars().count())
                    )
                };
                let licence = match &f.source {
                    Source::Builtin(_) => {
                        format!("（许可：{}）", builtin(face).licence)
                    }
                    Source::File(_) => String::new(),
                };
                s.push_str(&format!("{role}{} — {}{licence}\n", f.name(), f.source));
            }
        }
        s
    }
}

/// The official font of `face` among `files`, by file name first, then by family name.
fn find_official(
    face: Face,
    files: &[PathBuf],
    names: &mut Option<Vec<(PathBuf, u32, Vec<String>)>>,
    skipped: &mut Vec<(PathBuf, String)>,
) -> Option<LoadedFont> {
    let mut try_open = |path: &Path, index: u32| -> Option<LoadedFont> {
        let why = match mapped(path) {
            None => "无法读取".to_string(),
            Some(data) => match damage(data, index) {
                Some(why) => why,
                None => {
                    match LoadedFont::new(face, Source::File(path.to_path_buf()), data, index) {
                        Some(font) => return Some(font),
                        None => format!("无法解析，或缺少“{}”字", probe(face)),
                    }
                }
            },
        };
        if !skipped.iter().any(|(p, _)| p == path) {
            skipped.push((path.to_path_buf(), why));
        }
        None
    };
    for (name, index) in official_files(face) {
        let name = norm(name);
        let hit = files.iter().find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| norm(n) == name)
        });
        if let Some(font) = hit.and_then(|p| try_open(p, *index)) {
            return Some(font);
        }
    }
    if official_names(face).is_empty() {
        return None;
    }
    let names = names.get_or_insert_with(|| {
        files
            .iter()
            .flat_map(|p| {
                face_names(p)
                    .into_iter()
                    .map(move |(i, n)| (p.clone(), i, n))
            })
            .collect()
    });
    for wanted in official_names(face) {
        let wanted = norm(wanted);
        for (path, index, ns) in names.iter() {
            if ns.contains(&wanted) {
                if let Some(font) = try_open(path, *index) {
                    return Some(font);
                }
            }
        }
    }
    None
}

/// Whether the file name of `path` is one of the official file names of `face`.
fn named_official(face: Face, path: &Path) -> bool {
    let Some(n) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    official_files(face)
        .iter()
        .any(|(name, _)| norm(name) == norm(n))
}

/// `U+5803`.
pub fn codepoint(ch: char) -> String {
    format!("U+{:04X}", ch as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_from_the_name_table_of_each_face() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("whatever.otf");
        std::fs::write(&p, builtin(Face::Kai).data).unwrap();
        let names = face_names(&p);
        assert_eq!(names.len(), 1);
        assert_eq!(names[0].0, 0);
        assert!(names[0].1.contains(&norm("FandolKai")), "{:?}", names[0].1);
        // Not an official face: a file found under another name is not taken for one.
        let files = vec![p];
        let mut cache = None;
        let mut skipped = vec![];
        assert!(find_official(Face::Kai, &files, &mut cache, &mut skipped).is_none());
        assert!(cache.is_some(), "names were read once");
        assert!(
            skipped.is_empty(),
            "a font of another name is not a broken one"
        );
    }

    #[test]
    fn damage_finds_a_truncated_copy_at_every_length() {
        let data = builtin(Face::Fang).data;
        assert_eq!(damage(data, 0), None);
        for n in [0, 3, 11, 12, 100, 4096, data.len() / 2, data.len() - 1] {
            assert!(damage(&data[..n], 0).is_some(), "{n} bytes");
        }
        assert!(damage(data, 0).is_none());
    }

    #[test]
    fn names_compare_without_case_or_spaces() {
        assert_eq!(norm("Times New Roman"), norm("timesnewroman"));
        assert_eq!(norm("仿宋_GB2312"), "仿宋_gb2312");
    }

    #[test]
    fn built_in_faces_parse_and_cover_their_probe() {
        let f = Fonts::builtin();
        for face in Face::ALL {
            let font = f.get(face).unwrap_or_else(|| panic!("{face:?}"));
            assert!(font.is_builtin());
            assert!(font.glyph(probe(face)).is_some());
        }
        // The Noto cut has the name characters the Fandol faces lack.
        for ch in "堃喆旻镕赟".chars() {
            assert!(f.get(Face::Fang).unwrap().glyph(ch).is_none());
            assert_eq!(
                f.resolve(Face::Fang, ch, 16.0).unwrap().face,
                Face::Fallback
            );
        }
    }
}
