//! Input readers: YAML (`yaml`) and Excel (`excel`). Each turns a file into a [`Parsed`]: the typed
//! report, the diagnostics found while reading, and where every cell came from.

pub mod excel;
pub mod suggest;
pub mod yaml;
mod yaml_index;

use crate::diag::{Diagnostic, Location};
use crate::model::Report;
use crate::spec::format::ValueRef;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// The kinds of input file, taken from the extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Yaml,
    Excel,
}

impl Kind {
    pub fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "yaml" | "yml" => Some(Kind::Yaml),
            "xlsx" => Some(Kind::Excel),
            _ => None,
        }
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
    /// Where each cell path (and each key) sits in the source.
    pub locations: HashMap<String, Location>,
    /// The source text of a YAML file, for snippets in human output.
    pub source_text: Option<String>,
    /// False when the file could not be read as a report at all (syntax error, not a mapping):
    /// then `report` is empty and no rule is checked.
    pub complete: bool,
}

impl Parsed {
    /// The location of a table value in the source.
    pub fn locate_value(&self, value: ValueRef) -> Location {
        self.locate(&value.path())
    }

    /// The location of a cell or key path, or of its nearest ancestor that has one.
    pub fn locate(&self, path: &str) -> Location {
        let mut p = path;
        loop {
            if let Some(l) = self.locations.get(p) {
                return l.clone();
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return Location::Unknown,
            }
        }
    }
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
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::UnknownKind(p) => {
                write!(f, "{p}：无法识别的文件类型（应为 .yaml、.yml 或 .xlsx）")
            }
            InputError::Io { path, error } => write!(
                f,
                "{path}：无法读取文件：{}",
                crate::output::io_message(error)
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// Reads a report from a file, choosing the reader by extension.
pub fn read_path(path: &Path) -> Result<Parsed, InputError> {
    let kind = Kind::of(path).ok_or_else(|| InputError::UnknownKind(path.display().to_string()))?;
    let bytes = std::fs::read(path).map_err(|error| InputError::Io {
        path: path.display().to_string(),
        error,
    })?;
    Ok(match kind {
        Kind::Yaml => yaml::read_bytes(&bytes),
        Kind::Excel => excel::read_bytes(&bytes),
    })
}
