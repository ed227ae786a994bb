//! Pages → PDF bytes with printpdf: fonts embedded as subsets with ToUnicode, fixed metadata and
//! document id so the same report always gives the same bytes.

use crate::diag::{Diagnostic, Rule};
use crate::model::Report;
use crate::render::paged::layout::{Page, PAGE_H};
use crate::render::paged::{Face, Fonts};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, Rgb, TextItem,
};
use std::collections::BTreeSet;

/// The resource name of a face; its first six letters are the subset tag (`XXGKFA+FandolFang`),
/// fixed so that output does not depend on a random generator.
fn font_id(face: Face) -> FontId {
    let tag = [
        "XXGKFA", "XXGKHE", "XXGKKA", "XXGKSO", "XXGKTI", "XXGKLA", "XXGKNO",
    ][face as usize];
    FontId(tag.to_string())
}

fn pt(x: f32, y_from_top: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(PAGE_H - y_from_top),
    }
}

pub fn write(report: &Report, fonts: &Fonts, pages: &[Page]) -> Result<Vec<u8>, Diagnostic> {
    let mut doc = PdfDocument::new(&report.title_text());
    let used: BTreeSet<Face> = pages
        .iter()
        .flat_map(|p| p.runs.iter().map(|r| r.face))
        .collect();
    for face in &used {
        let font = fonts.get(*face).ok_or_else(|| {
            Diagnostic::error(
                Rule::Render,
                format!("PDF：缺少字体 {}", face.official_name()),
            )
        })?;
        doc.resources.fonts.map.insert(
            font_id(*face),
            printpdf::font::PdfFont::new(font.parsed.clone()),
        );
    }
    let mut out_pages = Vec::with_capacity(pages.len());
    for p in pages {
        let mut ops = Vec::with_capacity(p.runs.len() * 6 + p.rules.len() + 4);
        if !p.rules.is_empty() {
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetOutlineColor {
                col: Color::Rgb(Rgb {
                    r: 0.0,
                    g: 0.0,
                    b: 0.0,
                    icc_profile: None,
                }),
            });
            let mut width = f32::NAN;
            for r in &p.rules {
                if r.width != width {
                    width = r.width;
                    ops.push(Op::SetOutlineThickness { pt: Pt(width) });
                }
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: pt(r.x1, r.y1),
                                bezier: false,
                            },
                            LinePoint {
                                p: pt(r.x2, r.y2),
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
            ops.push(Op::RestoreGraphicsState);
        }
        for r in &p.runs {
            ops.push(Op::StartTextSection);
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(font_id(r.face)),
                size: Pt(r.size),
            });
            ops.push(Op::SetCharacterSpacing {
                multiplier: round(r.tc),
            });
            ops.push(Op::SetTextCursor {
                pos: pt(round(r.x), round(r.y)),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(r.text.clone())],
            });
            ops.push(Op::EndTextSection);
        }
        out_pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    doc.with_pages(out_pages);

    let info = &mut doc.metadata.info;
    info.document_title = report.title_text();
    info.author = report.body.clone();
    info.creator = "xxgk".to_string();
    info.producer = format!("xxgk {}", env!("CARGO_PKG_VERSION"));
    info.subject = crate::spec::format::FORMAT_SOURCE.to_string();
    // Fixed dates: the publication date when given, else 1 January after the report's year.
    let stamp = fixed_date(report);
    info.creation_date = stamp;
    info.modification_date = stamp;
    info.metadata_date = stamp;

    let mut warnings = vec![];
    let opts = PdfSaveOptions {
        subset_fonts: true,
        ..Default::default()
    };
    let mut bytes = doc.save(&opts, &mut warnings);
    fix_document_id(&mut bytes);
    Ok(bytes)
}

/// Coordinates to 1/1000 pt: enough for print, and shorter content streams.
fn round(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

fn fixed_date(report: &Report) -> printpdf::OffsetDateTime {
    let stamp = report.stamp_date();
    let (y, m, d) = (i32::from(stamp.year), stamp.month, stamp.day);
    let month = time::Month::try_from(m).unwrap_or(time::Month::January);
    let date = time::Date::from_calendar_date(y, month, d).unwrap_or_else(|_| {
        time::Date::from_calendar_date(2000, time::Month::January, 1).unwrap_or(time::Date::MIN)
    });
    let ts = date.midnight().assume_utc().unix_timestamp();
    printpdf::OffsetDateTime::from_unix_timestamp(ts)
        .or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0))
        .unwrap_or_else(|_| printpdf::OffsetDateTime::now_utc())
}

/// printpdf writes a random `/ID` (two 32-letter strings). Replace them, in place and at the
/// same length, by a hash of the file so identical input gives identical bytes.
fn fix_document_id(bytes: &mut [u8]) {
    let Some(at) = find_last(bytes, b"/ID") else {
        return;
    };
    let digest = fnv_hex(&bytes[..at]);
    let mut pos = at;
    for _ in 0..2 {
        let Some(open) = bytes[pos..]
            .iter()
            .position(|&b| b == b'(')
            .map(|o| pos + o)
        else {
            return;
        };
        let Some(close) = bytes[open..]
            .iter()
            .position(|&b| b == b')')
            .map(|o| open + o)
        else {
            return;
        };
        if close - open - 1 == digest.len() {
            bytes[open + 1..close].copy_from_slice(digest.as_bytes());
        }
        pos = close + 1;
    }
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// 128-bit FNV-1a as 32 hex digits.
fn fnv_hex(data: &[u8]) -> String {
    let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
    for &b in data {
        h ^= b as u128;
        h = h.wrapping_mul(0x0000000001000000000000000000013B);
    }
    format!("{h:032x}")
}
