//! Print-ready PDF: the pages of [`crate::render::paged`] written with printpdf. Nothing here
//! decides where anything goes (that is the paged layer's job, shared with every fixed-layout
//! format), and nothing reads the report: the laid-out document carries its info and outline.

mod cff;
pub mod meta;
mod tags;
mod write;

use crate::diag::Diagnostic;
use crate::render::paged::{Fonts, PagedDocument};
use serde::{Deserialize, Serialize};

/// Writes a laid-out document (from [`crate::render::paged::layout()`]) as PDF bytes to
/// `standard`. `fonts` is shared: load it once per process.
pub fn render(
    doc: &PagedDocument,
    fonts: &Fonts,
    standard: Standard,
) -> Result<Vec<u8>, Diagnostic> {
    write::write(doc, fonts, standard)
}

/// Which PDF is written (`--pdf-standard`, the names Typst uses). Both are tagged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Standard {
    /// PDF 1.7, tagged for screen readers (ISO 32000-1).
    #[default]
    #[serde(rename = "1.7")]
    Pdf17,
    /// PDF/A-1b for archives (ISO 19005-1, level B): PDF 1.4, an sRGB output intent, the
    /// glyph sets of the fonts (CIDSet), XMP with the PDF/A identification; nothing embedded
    /// but fonts and the colour profile.
    #[serde(rename = "a-1b")]
    A1b,
}

impl Standard {
    pub const ALL: [Standard; 2] = [Standard::Pdf17, Standard::A1b];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Standard::Pdf17 => "1.7",
            Standard::A1b => "a-1b",
        }
    }

    pub fn parse(s: &str) -> Option<Standard> {
        let s = s.trim().to_ascii_lowercase();
        Standard::ALL.into_iter().find(|v| v.name() == s)
    }

    /// Whether files other than fonts and the colour profile may be embedded (the report's
    /// data, for instance): PDF/A-1 forbids them.
    pub fn allows_attachments(self) -> bool {
        self != Standard::A1b
    }
}
