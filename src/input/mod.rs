//! Input readers: YAML (`yaml`) and Excel (`excel`). Each turns a file into a [`Parsed`]: the typed
//! report, the diagnostics found while reading, and where every cell came from.

pub mod excel;
pub mod number;
pub mod published;
pub mod suggest;
pub mod yaml;
mod zipguard;

use crate::diag::{Diagnostic, Location, Place};
use crate::model::Report;
use crate::spec::format::ValueRef;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// The kinds of input file, taken from the extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Yaml,
    Excel,
    /// A published report: PDF, Word, web page (or its text), OFD.
    Published(published::Published),
}

impl Kind {
    pub fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "yaml" | "yml" => Some(Kind::Yaml),
            "xlsx" => Some(Kind::Excel),
            "pdf" => Some(Kind::Published(published::Published::Pdf)),
            "docx" => Some(Kind::Published(published::Published::Docx)),
            "html" | "htm" => Some(Kind::Published(published::Published::Html)),
            "txt" => Some(Kind::Published(published::Published::Text)),
            "ofd" => Some(Kind::Published(published::Published::Ofd)),
            _ => None,
        }
    }

    /// Whether reports are written in this kind by `convert` (YAML and Excel: the data forms).
    pub fn is_data(&self) -> bool {
        matches!(self, Kind::Yaml | Kind::Excel)
    }
}

/// What a reader made of one file.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The report; cells that could not be read are 0 and listed in `unreadable`.
    pub report: Report,
    /// Problems found while reading (SYNTAX, SCHEMA, VALUE).
    pub diagnostics: Vec<Diagnostic>,
    /// Values that are unknown (unreadable, or their table is missing): rules that involve
    /// them are skipped rather than reported twice.
    pub unreadable: BTreeSet<ValueRef>,
    /// Where each place (a value, a row, a text, a key) sits in the source.
    pub locations: HashMap<Place, Location>,
    /// The source text of a YAML file, for snippets in human output.
    pub source_text: Option<String>,
    /// Where the data came from, when it was read from a published document by its labels
    /// (the kind of document, the program that made it): `convert` records it in the YAML.
    pub origin: Option<String>,
    /// False when the file could not be read as a report at all (syntax error, not a mapping):
    /// then `report` is empty and no rule is checked.
    pub complete: bool,
}

impl Parsed {
    /// The location of a place in the source, or of its nearest enclosing place that has one.
    pub fn locate(&self, place: impl Into<Place>) -> Location {
        let mut at = Some(place.into());
        while let Some(p) = at {
            if let Some(l) = self.locations.get(&p) {
                return l.clone();
            }
            at = p.parent();
        }
        Location::Unknown
    }

    /// Points a diagnostic at a place: the place it is about, and where that is in the source.
    pub fn at_place(&self, d: Diagnostic, place: impl Into<Place>) -> Diagnostic {
        let place = place.into();
        d.at(self.locate(place)).with_place(place)
    }
}

/// The largest input file read by default (YAML or workbook): a real report is a few tens of
/// kilobytes. `XXGK_MAX_INPUT_MB` raises or lowers it.
pub const MAX_INPUT_BYTES: u64 = 10 * 1024 * 1024;

/// The input size limit in force: [`MAX_INPUT_BYTES`] unless `XXGK_MAX_INPUT_MB` says otherwise.
pub fn max_input_bytes() -> u64 {
    std::env::var("XXGK_MAX_INPUT_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|mb| *mb > 0)
        .map(|mb| mb.saturating_mul(1024 * 1024))
        .unwrap_or(MAX_INPUT_BYTES)
}

/// A file that cannot be read at all (exit code 2), as opposed to a file with bad content.
#[derive(Debug)]
pub enum InputError {
    /// The extension is not `.yaml`, `.yml` or `.xlsx`.
    UnknownKind(String),
    Io {
        path: String,
        error: std::io::Error,
    },
    /// Not a regular file (a folder, a FIFO, a device such as /dev/zero).
    NotAFile(String),
    /// Larger than the input limit.
    TooLarge {
        path: String,
        limit: u64,
    },
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::UnknownKind(p) => {
                write!(f, "{p}：无法识别的文件类型（应为 .yaml、.yml、.xlsx，或已发布的 .pdf、.docx、.html、.htm、.txt、.ofd）")
            }
            InputError::Io { path, error } => write!(
                f,
                "{path}：无法读取文件：{}",
                crate::output::io_message(error)
            ),
            InputError::NotAFile(p) => write!(
                f,
                "{p}：不是普通文件（可能是目录、管道或设备），不读取"
            ),
            InputError::TooLarge { path, limit } => write!(
                f,
                "{path}：文件超过 {} MB，不像一份年度报告，不读取（可用环境变量 XXGK_MAX_INPUT_MB 调整上限）",
                limit / (1024 * 1024)
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// Reads a whole input file: regular files only (never a FIFO that blocks or a device that never
/// ends), and never more than the input limit, even if the file grows while it is read.
pub fn read_file(path: &Path) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    let shown = || path.display().to_string();
    let io = |error| InputError::Io {
        path: shown(),
        error,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(InputError::NotAFile(shown()));
    }
    let limit = max_input_bytes();
    if meta.len() > limit {
        return Err(InputError::TooLarge {
            path: shown(),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path: shown(),
            limit,
        });
    }
    Ok(bytes)
}

/// Reads a report from a file, choosing the reader by extension.
pub fn read_path(path: &Path) -> Result<Parsed, InputError> {
    let kind = Kind::of(path).ok_or_else(|| InputError::UnknownKind(path.display().to_string()))?;
    let bytes = read_file(path)?;
    Ok(read_bytes(kind, &bytes))
}

/// Reads a report from bytes of a known kind (an upload, a file already read).
pub fn read_bytes(kind: Kind, bytes: &[u8]) -> Parsed {
    match kind {
        Kind::Yaml => yaml::read_bytes(bytes),
        Kind::Excel => excel::read_bytes(bytes),
        Kind::Published(p) => published::read_bytes(p, bytes),
    }
}
