//! The Word file and the PDF are one document: the decisions of the house style
//! (`spec::style`) show at the same place in the PDF and in LibreOffice's layout of the Word file.

mod common;

use common::{example, libreoffice_pdf, pdf_words, BoxedWord};
use xxgk::render::{self, paged::Fonts, Format};

const MM: f64 = 72.0 / 25.4;

/// The last line on any page whose words join to `text`: its left and right edges.
fn line_edges(pages: &[Vec<BoxedWord>], text: &str) -> (f64, f64) {
    let mut found = None;
    for page in pages {
        // Words of one line share their top; pdftotext may cut a line into several words.
        let mut lines: Vec<(f64, Vec<&BoxedWord>)> = vec![];
        for w in page {
            match lines.iter_mut().find(|(y, _)| (y - w.y_min).abs() < 2.0) {
                Some((_, ws)) => ws.push(w),
                None => lines.push((w.y_min, vec![w])),
            }
        }
        for (_, ws) in lines {
            let joined: String = ws.iter().map(|w| w.text.as_str()).collect();
            if joined == text {
                let left = ws.iter().map(|w| w.x_min).fold(f64::MAX, f64::min);
                let right = ws.iter().map(|w| w.x_max).fold(f64::MIN, f64::max);
                found = Some((left, right));
            }
        }
    }
    found.unwrap_or_else(|| panic!("no line “{text}” found"))
}

#[test]
fn signature_stands_at_the_same_place_in_word_and_pdf() {
    let parsed = xxgk::input::yaml::read_bytes(example("langfang-2021.yaml").as_bytes());
    let report = parsed.report;
    let sig = report.signature.clone().expect("the seed is signed");
    let (body, date) = (sig.body, sig.date.expect("dated").chinese());

    let dir = tempfile::tempdir().unwrap();
    let fonts = Fonts::load(None).unwrap();
    let pdf = render::render(&report, Format::Pdf, Some(&fonts)).unwrap();
    let pdf_path = dir.path().join("seed.pdf");
    std::fs::write(&pdf_path, pdf).unwrap();
    let docx = render::render(&report, Format::Docx, None).unwrap();
    let word_path = libreoffice_pdf(&docx, "seed-word", dir.path());

    let (pdf_pages, word_pages) = (pdf_words(&pdf_path), pdf_words(&word_path));
    // GB/T 9704 §7.3.5.2 places the body by its right end (右空二字) and the date by its first
    // character (首字比署名首字右移二字): those edges stand within 1 mm in both documents. (The
    // date's right end differs: Word and LibreOffice put a gap between digits and Chinese
    // characters that the PDF does not.)
    let (pl, pr) = line_edges(&pdf_pages, &body);
    let (wl, wr) = line_edges(&word_pages, &body);
    assert!(
        (pl - wl).abs() <= MM && (pr - wr).abs() <= MM,
        "“{body}”: PDF {:.1}–{:.1} mm, Word {:.1}–{:.1} mm from the page's left edge",
        pl / MM,
        pr / MM,
        wl / MM,
        wr / MM
    );
    let (pl, _) = line_edges(&pdf_pages, &date);
    let (wl, _) = line_edges(&word_pages, &date);
    assert!(
        (pl - wl).abs() <= MM,
        "“{date}” starts at {:.1} mm in the PDF, {:.1} mm in Word",
        pl / MM,
        wl / MM
    );
    // And both follow GB/T 9704 §7.3.5.2: the body ends two characters (2 × 15.79 pt) inside the
    // block's right edge (28 + 156 mm from the page's left edge).
    let (_, pr) = line_edges(&pdf_pages, &body);
    let block_right = 184.0 * MM;
    let two = 2.0 * 156.0 * MM / 28.0;
    assert!(
        (block_right - two - pr).abs() <= 1.0,
        "body ends at {:.1} mm",
        pr / MM
    );
    // The date's first character two characters right of the body's first.
    let (bl, _) = line_edges(&pdf_pages, &body);
    let (dl, _) = line_edges(&pdf_pages, &date);
    assert!(
        (dl - bl - two).abs() <= 1.0,
        "date starts {:.1} pt right of the body",
        dl - bl
    );
}
