//! One road for a report: read → check → gate → lay out → write. `render`, a file dropped onto
//! the program, each batch worker (and any later front end) call [`run`] and, to put the
//! documents on disk, [`write`]: each decision — what is read, which rules run, whether a report
//! may be rendered, where a render failure points, what the outcome is called — is made here once.

use crate::diag::{self, Diagnostic, Rule};
use crate::input::{self, Kind, Parsed};
use crate::model::Report;
use crate::output::{io_message, write_all_atomic_with, Durability};
use crate::render::{self, paged::Fonts, Documents, Format};
use serde::{Deserialize, Serialize};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// Where a report comes from.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A file, its reader chosen by the extension.
    Path(&'a Path),
    /// Bytes already in memory (an upload), of a known kind.
    Bytes { kind: Kind, bytes: &'a [u8] },
}

/// What a job is asked to do besides reading and checking.
#[derive(Clone, Copy, Default)]
pub struct Options<'a> {
    /// The documents to make; none: read and check only.
    pub formats: &'a [Format],
    /// Render a report with data errors, or still a template, too.
    pub force: bool,
    /// The same body's report of the year before (the cross-year rules).
    pub previous: Option<&'a Report>,
    /// The fonts the documents are set in. With them, rule TEXT finds every character the
    /// documents could not set; the paged formats and Word need them.
    pub fonts: Option<&'a Fonts>,
    /// Render one report's formats on one thread (a batch worker: its parallelism is the other
    /// workers); otherwise the paged formats get a thread of their own.
    pub one_thread: bool,
    /// Which PDF to write (`--pdf-standard`).
    pub pdf_standard: render::pdf::Standard,
}

/// How one report ended: the one list `render`, `batch`, `校验结果.json` and the summary use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No problem at all.
    Passed,
    /// Only warnings.
    Warnings,
    /// Data errors: rendered only when forced.
    Invalid,
    /// Still the blank template (placeholders left in): not a report yet, never summed.
    Unfilled,
    /// Could not be rendered (a character no font has, a value no format can hold).
    RenderFailed,
    /// Could not be read or written: the file, the folder or the fonts, not the data.
    Io,
    /// The program failed on it (a batch worker that ended abnormally or took too long).
    Crashed,
}

impl Status {
    pub fn chinese(&self) -> &'static str {
        match self {
            Status::Passed => "通过",
            Status::Warnings => "有警告",
            Status::Invalid => "数据有误",
            Status::Unfilled => "未填写",
            Status::RenderFailed => "无法生成",
            Status::Io => "读写失败",
            Status::Crashed => "处理异常",
        }
    }

    /// A report whose data may be used (summed, submitted): passed, perhaps with warnings.
    pub fn is_good(&self) -> bool {
        matches!(self, Status::Passed | Status::Warnings)
    }

    /// The exit code of `docs/CLI.md`: 0 good, 2 a file or folder could not be read or written,
    /// 1 anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Status::Passed | Status::Warnings => 0,
            Status::Io => 2,
            _ => 1,
        }
    }
}

/// What became of one report.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: Status,
    /// Every problem, sorted by place; a render failure is among them at its place.
    pub diagnostics: Vec<Diagnostic>,
    /// The report, when the file could be read as one (even with data errors).
    pub report: Option<Report>,
    /// The source text of a YAML file, for snippets in human output.
    pub source_text: Option<String>,
    /// The documents made, in the order asked for (none unless the gate opened and every format
    /// rendered).
    pub documents: Documents,
    /// The files written by [`write`].
    pub written: Vec<PathBuf>,
    /// The format that could not be rendered (status [`Status::RenderFailed`]).
    pub failed: Option<Format>,
}

impl Outcome {
    /// An input that ended before it was read (status IO or CRASH): its one diagnostic.
    pub fn failed(status: Status, d: Diagnostic) -> Outcome {
        Outcome {
            status,
            diagnostics: vec![d],
            report: None,
            source_text: None,
            documents: vec![],
            written: vec![],
            failed: None,
        }
    }

    /// Whether documents were asked for but the gate kept them back (errors, a template).
    pub fn held_back(&self) -> bool {
        self.documents.is_empty() && matches!(self.status, Status::Invalid | Status::Unfilled)
    }
}

/// [`Outcome::failed`].
pub fn failed(status: Status, d: Diagnostic) -> Outcome {
    Outcome::failed(status, d)
}

/// Reads an input into a [`Parsed`] (no rules run yet). `Err` is an input that cannot be read
/// at all: an I/O error (rule IO, exit 2).
pub fn read(input: Input) -> Result<Parsed, Diagnostic> {
    match input {
        Input::Path(p) => {
            input::read_path(p).map_err(|e| Diagnostic::error(Rule::Io, e.to_string()))
        }
        Input::Bytes { kind, bytes } => Ok(input::read_bytes(kind, bytes)),
    }
}

/// Reads, checks, gates and renders one report (nothing is written: see [`write`]).
pub fn run(input: Input, opts: &Options) -> Outcome {
    let parsed = match read(input) {
        Ok(p) => p,
        Err(d) => return Outcome::failed(Status::Io, d),
    };
    run_parsed(parsed, opts)
}

/// [`run`] on a report already read.
pub fn run_parsed(mut parsed: Parsed, opts: &Options) -> Outcome {
    let draw = opts.fonts.map(|f| move |c| render::paged::can_draw(f, c));
    let checks = crate::validate::Checks {
        previous: opts.previous,
        can_draw: draw.as_ref().map(|d| d as &(dyn Fn(char) -> bool + Sync)),
    };
    crate::validate::check(&mut parsed, &checks);
    let status = verdict(&parsed);
    let mut outcome = Outcome {
        status,
        diagnostics: std::mem::take(&mut parsed.diagnostics),
        report: None,
        source_text: parsed.source_text.take(),
        documents: vec![],
        written: vec![],
        failed: None,
    };
    if !parsed.complete {
        return outcome;
    }
    let open = match status {
        Status::Passed | Status::Warnings => true,
        // Forced past errors, but never past a report too large to lay out.
        Status::Invalid | Status::Unfilled => {
            opts.force && crate::validate::budget::within(&parsed.report)
        }
        _ => false,
    };
    if open && !opts.formats.is_empty() {
        // Every format is rendered before anything is written: a report that fails in one format
        // gets no file at all.
        let threads = !opts.one_thread;
        match render::render_all_with(
            &parsed.report,
            opts.formats,
            opts.fonts,
            threads,
            opts.pdf_standard,
        ) {
            Ok(docs) => outcome.documents = docs,
            Err((format, d)) => {
                // A problem in the report's text (a character no font has) points at its place.
                let d = match d.place {
                    Some(place) => {
                        let at = parsed.locate(place);
                        d.at(at)
                    }
                    None => d,
                };
                outcome.status = Status::RenderFailed;
                outcome.failed = Some(format);
                outcome.diagnostics.push(d);
            }
        }
    }
    outcome.report = Some(parsed.report);
    outcome
}

/// The status a checked report has before anything is rendered.
fn verdict(parsed: &Parsed) -> Status {
    if !parsed.complete || diag::has_errors(&parsed.diagnostics) {
        Status::Invalid
    } else if parsed
        .diagnostics
        .iter()
        .any(|d| d.rule == Rule::Placeholder)
    {
        // The blank template (or one not finished): its text and zeros are not a body's report.
        Status::Unfilled
    } else if parsed.diagnostics.is_empty() {
        Status::Passed
    } else {
        Status::Warnings
    }
}

/// The folder and file stem of a report's documents (`{dir}/{stem}.{ext}`), as the operating
/// system names them (a stem need not be UTF-8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputBase {
    #[serde(with = "crate::output::os_bytes")]
    pub dir: PathBuf,
    #[serde(with = "crate::output::os_bytes")]
    pub stem: OsString,
}

impl OutputBase {
    /// The file of one format.
    pub fn file(&self, f: Format) -> PathBuf {
        let mut name = self.stem.clone();
        name.push(".");
        name.push(f.extension());
        self.dir.join(name)
    }
}

/// Writes the outcome's documents beside each other at `target`, all or none (each through a
/// temporary file renamed into place). A failure is recorded in the outcome (status IO). Stale
/// temporary files of a killed run are the caller's to clear, once per folder
/// ([`crate::output::remove_stale_temps`]): a batch writes a thousand reports into one folder.
pub fn write(outcome: &mut Outcome, target: &OutputBase, when: Durability) {
    if outcome.documents.is_empty() {
        return;
    }
    if let Err(e) = std::fs::create_dir_all(&target.dir) {
        outcome.status = Status::Io;
        outcome.diagnostics.push(Diagnostic::error(
            Rule::Io,
            format!("无法创建目录 {}：{}", target.dir.display(), io_message(&e)),
        ));
        return;
    }
    let files: Vec<(PathBuf, Vec<u8>)> = std::mem::take(&mut outcome.documents)
        .into_iter()
        .map(|(f, bytes)| (target.file(f), bytes))
        .collect();
    match write_all_atomic_with(&files, when) {
        Ok(()) => outcome.written = files.into_iter().map(|(p, _)| p).collect(),
        Err(e) => {
            outcome.status = Status::Io;
            outcome.diagnostics.push(Diagnostic::error(
                Rule::Io,
                format!(
                    "无法写入 {}：{}",
                    target.dir.join(&target.stem).display(),
                    io_message(&e)
                ),
            ));
        }
    }
}

/// Whether the file at `path` is a document xxgk wrote in `format` and nobody has edited since:
/// only such a file may be replaced by `render` or a dropped file. A Word file names the
/// application that last saved it; a workbook carries our mark and an empty `lastModifiedBy`
/// until Excel or WPS saves it; PDF, OFD and the web page name xxgk as their creator. Anything
/// else at that name — the clerk's own workbook beside the YAML made from it, a Word file edited
/// after it was made — is the user's.
pub fn made_by_xxgk(path: &Path, format: Format) -> bool {
    /// Enough of any document of ours to find its mark; a larger file is not one of ours.
    const MAX: u64 = 64 << 20;
    let Ok(meta) = path.metadata() else {
        return false;
    };
    if !meta.is_file() || meta.len() > MAX {
        return false;
    }
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let has = |hay: &[u8], needle: &str| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
    match format {
        Format::Pdf => has(&bytes, "<xmp:CreatorTool>xxgk</xmp:CreatorTool>"),
        Format::Html => has(&bytes, "<meta name=\"generator\" content=\"xxgk\">"),
        Format::Docx => zip_part(&bytes, "docProps/app.xml")
            .is_some_and(|app| has(&app, "<Application>xxgk</Application>")),
        Format::Xlsx => {
            let marked = zip_part(&bytes, "docProps/custom.xml")
                .is_some_and(|c| has(&c, crate::render::xlsx::MADE_BY) && has(&c, ">xxgk<"));
            let untouched = zip_part(&bytes, "docProps/core.xml").is_some_and(|c| {
                has(&c, "<cp:lastModifiedBy></cp:lastModifiedBy>")
                    || has(&c, "<cp:lastModifiedBy/>")
                    || !has(&c, "lastModifiedBy")
            });
            marked && untouched
        }
        Format::Ofd => {
            zip_part(&bytes, "OFD.xml").is_some_and(|o| has(&o, "<ofd:Creator>xxgk</ofd:Creator>"))
        }
    }
}

/// One small part of a zip package (at most 1 MB of it), or `None`.
fn zip_part(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut z = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let f = z.by_name(name).ok()?;
    let mut out = vec![];
    f.take(1 << 20).read_to_end(&mut out).ok()?;
    Some(out)
}

/// `target`, or — where one of its files is already there and is not a document xxgk wrote (see
/// [`made_by_xxgk`]) — the first of `{stem}_{ext}`, `{stem}_{ext}_2`, … whose files are all free
/// or ours, `ext` being the input's extension. `None` when no such name is found.
pub fn unclaimed(target: OutputBase, formats: &[Format], input_ext: &OsStr) -> Option<OutputBase> {
    let free = |t: &OutputBase| {
        formats.iter().all(|&f| {
            let p = t.file(f);
            p.symlink_metadata().is_err() || made_by_xxgk(&p, f)
        })
    };
    if free(&target) {
        return Some(target);
    }
    (1..=100usize).find_map(|n| {
        let mut stem = target.stem.clone();
        stem.push("_");
        stem.push(input_ext);
        if n > 1 {
            stem.push(format!("_{n}"));
        }
        let t = OutputBase {
            dir: target.dir.clone(),
            stem,
        };
        free(&t).then_some(t)
    })
}
