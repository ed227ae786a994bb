//! Renderers: the typed report to documents. The report becomes one [`document::Document`]
//! (its blocks in print order and its info) and every writer takes that: [`paged`] lays it out
//! as fixed pages with an outline for the fixed-layout writers ([`pdf`], [`ofd`], which never
//! see the report), [`docx`] and [`html`] walk its blocks. Every table comes from the grids of
//! [`crate::spec::format`] and every measure from [`crate::spec::style`], so the outputs cannot
//! drift apart. [`xlsx`] writes the data workbook (cells, not a document); [`zip`] packs the
//! zip-based packages (.docx, .ofd) with fixed bytes.

pub mod document;
pub mod docx;
pub mod embed;
pub mod html;
pub mod ofd;
pub mod paged;
pub mod pdf;
pub mod xlsx;
pub mod yaml;
pub(crate) mod zip;

use crate::diag::{Diagnostic, Rule};
use crate::model::Report;
use document::Document;
use paged::{Fonts, PagedDocument};

/// The output formats: the one list every command, the batch and the docs take them from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Docx,
    Pdf,
    Xlsx,
    Html,
    Ofd,
}

impl Format {
    /// Every format, in the order outputs are written and listed.
    pub const ALL: [Format; 5] = [
        Format::Docx,
        Format::Pdf,
        Format::Xlsx,
        Format::Html,
        Format::Ofd,
    ];

    pub fn extension(&self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
            Format::Ofd => "ofd",
        }
    }

    /// What a reader calls the file: `Word`, `PDF`, `Excel`, `网页` (link texts, listings).
    pub fn label(&self) -> &'static str {
        match self {
            Format::Docx => "Word",
            Format::Pdf => "PDF",
            Format::Xlsx => "Excel",
            Format::Html => "网页",
            Format::Ofd => "OFD",
        }
    }

    /// The format of an output file name, by its extension.
    pub fn of_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1;
        Format::ALL.into_iter().find(|f| f.extension() == ext)
    }

    /// Names accepted by `--to` besides the extension.
    fn aliases(&self) -> &'static [&'static str] {
        match self {
            Format::Docx => &["word"],
            Format::Pdf => &[],
            Format::Xlsx => &["excel"],
            Format::Html => &["htm", "web"],
            Format::Ofd => &[],
        }
    }

    /// Whether the format is laid out on fixed pages (and so needs the fonts).
    pub fn is_paged(&self) -> bool {
        matches!(self, Format::Pdf | Format::Ofd)
    }

    /// Whether rendering uses the fonts: the paged formats, Word, which sets its tables as the
    /// pages do so that its page breaks are theirs, and the web page, whose print rules follow
    /// the pages (table sizes, the tighter last page).
    pub fn uses_fonts(&self) -> bool {
        self.is_paged() || matches!(self, Format::Docx | Format::Html)
    }

    pub fn parse(s: &str) -> Option<Format> {
        let s = s.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.extension() == s || f.aliases().contains(&s.as_str()))
    }

    /// `docx、pdf、xlsx、html、ofd`, for messages.
    pub fn list() -> String {
        let names: Vec<&str> = Format::ALL.iter().map(Format::extension).collect();
        names.join("、")
    }

    /// Parses a `--to` list (`docx,pdf`, full-width commas too) into formats in a fixed order.
    pub fn parse_list(s: &str) -> Result<Vec<Format>, String> {
        let mut out = vec![];
        for part in s.split([',', '，']).filter(|p| !p.trim().is_empty()) {
            match Format::parse(part) {
                Some(f) if !out.contains(&f) => out.push(f),
                Some(_) => {}
                None => {
                    return Err(format!(
                        "不认识的输出格式“{}”：可用 {}",
                        part.trim(),
                        Format::list()
                    ))
                }
            }
        }
        if out.is_empty() {
            return Err(format!("--to 至少要指定一种格式：{}", Format::list()));
        }
        out.sort();
        Ok(out)
    }
}

/// Escapes text for an XML element or a double-quoted attribute (the .docx and .ofd parts).
/// Characters XML 1.0 cannot carry (C0 controls other than tab, newline and carriage return,
/// U+FFFE, U+FFFF) are dropped: a stray one from a pasted source would make the file unreadable.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Renders one format. `fonts` is needed by the paged formats and used by Word (loaded once by
/// the caller; see [`Format::uses_fonts`]).
pub fn render(
    report: &Report,
    format: Format,
    fonts: Option<&Fonts>,
) -> Result<Vec<u8>, Diagnostic> {
    if format == Format::Xlsx {
        return xlsx::render(report);
    }
    let doc = Document::of(report);
    let paged = match fonts {
        // The web page is written without the pages when they cannot be laid out.
        Some(f) if format == Format::Html => paged::layout(&doc, f).ok(),
        Some(f) if format.uses_fonts() => Some(paged::layout(&doc, f)?),
        _ => None,
    };
    write(
        &doc,
        paged.as_ref(),
        format,
        fonts,
        pdf::Standard::default(),
    )
}

/// Writes one format of a document (every format but the workbook, which is the report's data).
/// `paged` is the document laid out with `fonts`, for the formats that use them.
fn write(
    doc: &Document,
    paged: Option<&PagedDocument>,
    format: Format,
    fonts: Option<&Fonts>,
    standard: pdf::Standard,
) -> Result<Vec<u8>, Diagnostic> {
    let need = |what: &str| Diagnostic::error(Rule::Render, format!("生成 {what} 需要先加载字体"));
    match (format, paged, fonts) {
        (Format::Docx, p, _) => docx::render(doc, p.map(|p| p.tables.as_slice())),
        (Format::Html, p, _) => Ok(html::render_with(doc, p)),
        (Format::Pdf, Some(p), Some(f)) => pdf::render(p, f, standard),
        (Format::Pdf, _, _) => Err(need("PDF")),
        (Format::Ofd, Some(p), Some(f)) => ofd::render(p, f),
        (Format::Ofd, _, _) => Err(need("OFD")),
        (Format::Xlsx, _, _) => Err(Diagnostic::error(
            Rule::Render,
            "Excel 由报告的数据生成，不经文档",
        )),
    }
}

/// Documents of one report, by format.
pub type Documents = Vec<(Format, Vec<u8>)>;

/// Renders several formats of one report: the paged formats (PDF, OFD: most of the work) on a
/// thread of their own beside the others, so a report in three formats takes about as long as
/// its PDF. The documents come in the order of `formats`; when some fail, the error is that of
/// the first failing format in that order (the same whichever thread finished first).
#[allow(clippy::result_large_err)] // `Diagnostic` is large everywhere in the crate
pub fn render_all(
    report: &Report,
    formats: &[Format],
    fonts: Option<&Fonts>,
) -> Result<Documents, (Format, Diagnostic)> {
    render_all_with(report, formats, fonts, true, pdf::Standard::default())
}

/// [`render_all`], the paged formats on a thread of their own only when `threads` says so: a
/// batch worker already has a core of its own, and a second thread there only competes with the
/// other workers for the cores and for the allocator. The PDF is written to `standard`.
#[allow(clippy::result_large_err)]
pub fn render_all_with(
    report: &Report,
    formats: &[Format],
    fonts: Option<&Fonts>,
    threads: bool,
    standard: pdf::Standard,
) -> Result<Documents, (Format, Diagnostic)> {
    // One document for every writer, and one layout for the PDF, the OFD and Word's tables.
    let doc = Document::of(report);
    let laid = match fonts {
        Some(f) if formats.iter().any(Format::uses_fonts) => Some(paged::layout(&doc, f)),
        _ => None,
    };
    let one = |f: Format| -> Result<Vec<u8>, Diagnostic> {
        match &laid {
            _ if f == Format::Xlsx => xlsx::render(report),
            // The web page needs the pages only for its print rules: it is written without
            // them when they cannot be laid out.
            Some(Err(_)) if f == Format::Html => write(&doc, None, f, fonts, standard),
            Some(Err(d)) if f.uses_fonts() => Err(d.clone()),
            Some(Ok(p)) if f.uses_fonts() => write(&doc, Some(p), f, fonts, standard),
            _ => write(&doc, None, f, fonts, standard),
        }
    };
    let run = |paged: bool| -> Vec<(Format, Result<Vec<u8>, Diagnostic>)> {
        formats
            .iter()
            .filter(|f| f.is_paged() == paged)
            .map(|&f| (f, one(f)))
            .collect()
    };
    let both =
        threads && formats.iter().any(Format::is_paged) && formats.iter().any(|f| !f.is_paged());
    let (paged, other) = if both {
        std::thread::scope(|s| {
            // The main thread's stack size: a report must not fail here that renders alone.
            let spawned = std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(s, || run(true));
            let other = run(false);
            let paged = match spawned {
                Ok(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                Err(_) => run(true),
            };
            (paged, other)
        })
    } else {
        (run(true), run(false))
    };
    let mut done: Vec<(Format, Result<Vec<u8>, Diagnostic>)> =
        paged.into_iter().chain(other).collect();
    done.sort_by_key(|(f, _)| formats.iter().position(|g| g == f));
    done.into_iter()
        .map(|(f, r)| r.map(|bytes| (f, bytes)).map_err(|d| (f, d)))
        .collect()
}
