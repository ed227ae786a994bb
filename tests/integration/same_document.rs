//! The Word file and the PDF are one document: the decisions of the house style
//! (`spec::style`) show at the same place in the PDF and in LibreOffice's layout of the Word file.

use crate::common;
use crate::common::seed;

use common::{example, libreoffice_pdf, pdf_words, BoxedWord};
use xxgk::render::{self, Format};

const MM: f64 = 72.0 / 25.4;

/// The lines of a page, top to bottom: words that share their top (pdftotext may cut a line
/// into several words).
fn lines<'a>(words: impl IntoIterator<Item = &'a BoxedWord>) -> Vec<(f64, Vec<&'a BoxedWord>)> {
    let mut lines: Vec<(f64, Vec<&BoxedWord>)> = vec![];
    for w in words {
        match lines.iter_mut().find(|(y, _)| (y - w.y_min).abs() < 2.0) {
            Some((_, ws)) => ws.push(w),
            None => lines.push((w.y_min, vec![w])),
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    lines
}

fn joined(ws: &[&BoxedWord]) -> String {
    ws.iter().map(|w| w.text.as_str()).collect()
}

/// The last line on any page whose words join to `text`: its left and right edges.
fn line_edges(pages: &[Vec<BoxedWord>], text: &str) -> (f64, f64) {
    let mut found = None;
    for page in pages {
        for (_, ws) in lines(page) {
            if joined(&ws) == text {
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
    let fonts = common::fonts();
    let pdf = render::render(&report, Format::Pdf, Some(fonts)).unwrap();
    let pdf_path = dir.path().join("seed.pdf");
    std::fs::write(&pdf_path, pdf).unwrap();
    let docx = render::render(&report, Format::Docx, Some(fonts)).unwrap();
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

/// Where the page number's dashes stand on page `page` of a PDF: millimetres from the page's top
/// edge to the middle of the dash line, read from pixels (pdftoppm), so that it holds for the
/// PDF and for LibreOffice's layout of the Word file alike.
fn folio_dash_mm(pdf: &std::path::Path, page: usize) -> f64 {
    let dpi = 300.0;
    let out = std::process::Command::new(common::tool("pdftoppm"))
        .args([
            "-gray",
            "-r",
            "300",
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
        ])
        .arg(pdf)
        .output()
        .unwrap();
    assert!(out.status.success());
    // A binary PGM: "P5\n<w> <h>\n255\n" then one byte per pixel.
    let data = out.stdout;
    let mut fields = vec![];
    let mut at = 0;
    while fields.len() < 4 {
        while data[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !data[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..at]).to_string());
    }
    at += 1;
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let px = &data[at..at + w * h];
    let row_of = |mm: f64| (mm / 25.4 * dpi) as usize;
    // Below the block (262 mm) and above the page's foot.
    let (from, to) = (row_of(262.5), row_of(285.0).min(h));
    let dark: Vec<usize> = (from..to)
        .map(|r| px[r * w..(r + 1) * w].iter().filter(|&&p| p < 128).count())
        .collect();
    let most = *dark.iter().max().unwrap();
    assert!(most > 0, "no page number found on page {page}");
    // The dash rows are the widest dark rows; their middle is the dash line.
    let rows: Vec<usize> = (0..dark.len())
        .filter(|&i| dark[i] * 10 >= most * 8)
        .collect();
    let mid = (rows[0] + rows[rows.len() - 1]) as f64 / 2.0 + from as f64;
    mid / dpi * 25.4
}

#[test]
fn page_number_dashes_stand_7_mm_under_the_block_in_word_and_pdf() {
    let report = xxgk::input::yaml::read_str(&example("demo-2023.yaml")).report;
    let dir = tempfile::tempdir().unwrap();
    let fonts = common::fonts();
    let pdf_path = dir.path().join("demo.pdf");
    std::fs::write(
        &pdf_path,
        render::render(&report, Format::Pdf, Some(fonts)).unwrap(),
    )
    .unwrap();
    let docx = render::render(&report, Format::Docx, Some(fonts)).unwrap();
    let word_path = libreoffice_pdf(&docx, "demo-word", dir.path());
    // GB/T 9704 §7.5: 一字线上距版心下边缘 7 mm; the block ends 37 + 225 mm from the top.
    let want = 37.0 + 225.0 + 7.0;
    for (name, path) in [("PDF", &pdf_path), ("Word", &word_path)] {
        for page in [1, 2] {
            let got = folio_dash_mm(path, page);
            assert!(
                (got - want).abs() <= 0.8,
                "{name} page {page}: dashes at {got:.1} mm from the top, want {want} mm"
            );
        }
    }
}

#[test]
fn a_long_title_breaks_into_the_same_balanced_lines_in_word_pdf_and_html() {
    let mut report = xxgk::input::yaml::read_str(&example("demo-2023.yaml")).report;
    report.body = "某某自治区某某市某某县人民政府办公室信息公开工作领导小组办公室".into();
    let want = vec![
        "某某自治区某某市某某县人民政府办公室".to_string(),
        "信息公开工作领导小组办公室".to_string(),
        "2023年政府信息公开工作年度报告".to_string(),
    ];
    assert_eq!(report.printed_title_lines(), want);
    // PDF: one line of 二号 runs per title line.
    let fonts = common::fonts();
    let pages = xxgk::render::paged::layout(&xxgk::render::document::Document::of(&report), fonts)
        .map(|d| d.pages)
        .unwrap();
    let mut lines: Vec<(i64, String)> = vec![];
    for r in pages[0].runs.iter().filter(|r| r.size == 22.0) {
        let y = (r.y * 10.0) as i64;
        match lines.iter_mut().find(|(ly, _)| *ly == y) {
            Some((_, t)) => t.push_str(&r.text),
            None => lines.push((y, r.text.clone())),
        }
    }
    let pdf: Vec<String> = lines.into_iter().map(|(_, t)| t).collect();
    assert_eq!(pdf, want);
    // Word: one title paragraph per line.
    let docx = render::render(&report, Format::Docx, Some(fonts)).unwrap();
    let xml = common::zip_texts(&docx)
        .remove("word/document.xml")
        .unwrap();
    let word: Vec<String> = xml
        .split("<w:p ")
        .skip(1)
        .filter(|p| p.contains("w:val=\"GwTitle\""))
        .map(|p| {
            let p = p.split("</w:p>").next().unwrap_or("");
            p.split("<w:t")
                .skip(1)
                .filter(|t| t.starts_with('>') || t.starts_with(" xml:space"))
                .filter_map(|t| {
                    t.split_once('>')
                        .map(|(_, rest)| rest.split("</w:t>").next().unwrap_or(""))
                })
                .collect::<String>()
        })
        .collect();
    assert_eq!(word, want);
    // HTML: the h1 holds the same lines.
    let html = String::from_utf8(render::render(&report, Format::Html, None).unwrap()).unwrap();
    for line in &want {
        assert!(html.contains(line.as_str()), "{line}");
    }
}

/// The characters of each page (any order, no whitespace, no page number): equal when every
/// page holds the same lines, whatever order a PDF's text comes out in.
fn page_characters(pdf: &std::path::Path, pages: usize) -> Vec<Vec<char>> {
    (1..=pages)
        .map(|p| {
            let mut c: Vec<char> =
                common::without_folios(&common::squash(&common::pdf_text(pdf, Some(p))))
                    .chars()
                    .collect();
            c.sort_unstable();
            c
        })
        .collect()
}

/// Page and top (pt) of the first line of `pages` whose words join to `text`.
fn line_top(pages: &[Vec<BoxedWord>], text: &str) -> Option<(usize, f64)> {
    pages.iter().enumerate().find_map(|(p, page)| {
        lines(page)
            .into_iter()
            .find(|(_, ws)| joined(ws) == text)
            .map(|(y, _)| (p + 1, y))
    })
}

/// The Word file (as LibreOffice lays it out) and the PDF are the same document page for page:
/// as many pages, each page holding the same text, and the title lines, the six headings, the
/// tables' first rows and the 落款 on the same page within 3 pt of the same height. Checked on
/// both examples and on a report with a 32-character body name (a three-line title, a long
/// 落款).
#[test]
fn word_and_pdf_are_the_same_document_page_for_page() {
    let fonts = common::fonts();
    let tmp = tempfile::tempdir().unwrap();
    // SAME_DOC_OUT=dir keeps both PDFs of each report for a look.
    let dir = std::env::var_os("SAME_DOC_OUT").map_or(tmp.path().to_path_buf(), |d| d.into());
    std::fs::create_dir_all(&dir).unwrap();
    let dir = dir.as_path();
    let langfang = xxgk::input::yaml::read_str(&example("langfang-2021.yaml")).report;
    let demo = xxgk::input::yaml::read_str(&example("demo-2023.yaml")).report;
    let mut long = demo.clone();
    long.body = "某某自治区某某市某某县人民政府办公室信息公开工作领导小组办公室".into();
    if let Some(s) = &mut long.signature {
        s.body = long.body.clone();
    }
    for (name, report) in [("langfang", langfang), ("demo", demo), ("long-name", long)] {
        let pdf_path = dir.join(format!("{name}.pdf"));
        std::fs::write(
            &pdf_path,
            render::render(&report, Format::Pdf, Some(fonts)).unwrap(),
        )
        .unwrap();
        let docx = render::render(&report, Format::Docx, Some(fonts)).unwrap();
        let word_path = libreoffice_pdf(&docx, &format!("{name}-word"), dir);
        let (pdf_pages, word_pages) = (pdf_words(&pdf_path), pdf_words(&word_path));
        assert_eq!(
            pdf_pages.len(),
            word_pages.len(),
            "{name}: {} pages in the PDF, {} in Word",
            pdf_pages.len(),
            word_pages.len()
        );
        let n = pdf_pages.len();
        let (pc, wc) = (
            page_characters(&pdf_path, n),
            page_characters(&word_path, n),
        );
        for p in 0..n {
            assert!(
                pc[p] == wc[p],
                "{name}: page {} holds different text ({} characters in the PDF, {} in Word)",
                p + 1,
                pc[p].len(),
                wc[p].len()
            );
        }
        let mut anchors: Vec<String> = report.printed_title_lines();
        anchors.extend(xxgk::spec::format::SECTIONS.iter().map(|s| s.heading()));
        // The tables' first rows: table 二's first block title, table 四's two groups.
        anchors.push(xxgk::spec::format::T2_BLOCKS[0].title.to_string());
        anchors.push(format!(
            "{}{}",
            xxgk::spec::format::T4_REVIEW,
            xxgk::spec::format::T4_LITIGATION
        ));
        if let Some(sig) = &report.signature {
            // A name longer than a line wraps (on the same lines, as the page text shows).
            if sig.body.chars().count() < 28 - 2 {
                anchors.push(sig.body.clone());
            }
            anchors.extend(sig.date.map(|d| d.chinese()));
        }
        for a in &anchors {
            let p = line_top(&pdf_pages, a).unwrap_or_else(|| panic!("{name}: {a} not in the PDF"));
            let w = line_top(&word_pages, a).unwrap_or_else(|| panic!("{name}: {a} not in Word"));
            assert!(
                p.0 == w.0 && (p.1 - w.1).abs() <= 3.0,
                "{name}: “{a}” on page {} at {:.1} pt in the PDF, page {} at {:.1} pt in Word",
                p.0,
                p.1,
                w.0,
                w.1
            );
        }
    }
}

/// A 21-page report dense with numbers (thousands in every cell of table 三, long sections):
/// as many pages, and each section heading on the same page. (Its last pages do not hold quite
/// the same lines: LibreOffice never lets a closing quotation mark hang past the margin, as
/// Word and the PDF do, and spaces digits a little differently, so a line of a long paragraph
/// can end a character earlier; measured: pages 1–18 of 21 identical.)
#[test]
fn a_long_report_keeps_its_sections_on_the_same_pages_in_word_and_pdf() {
    let fonts = common::fonts();
    let dir = tempfile::tempdir().unwrap();
    let report = seed::large_report();
    let pdf_path = dir.path().join("large.pdf");
    std::fs::write(
        &pdf_path,
        render::render(&report, Format::Pdf, Some(fonts)).unwrap(),
    )
    .unwrap();
    let docx = render::render(&report, Format::Docx, Some(fonts)).unwrap();
    let word_path = libreoffice_pdf(&docx, "large-word", dir.path());
    let (pdf_pages, word_pages) = (pdf_words(&pdf_path), pdf_words(&word_path));
    assert_eq!(pdf_pages.len(), word_pages.len(), "pages");
    for h in xxgk::spec::format::SECTIONS.iter().map(|s| s.heading()) {
        let p = line_top(&pdf_pages, &h).expect("in the PDF");
        let w = line_top(&word_pages, &h).expect("in Word");
        assert_eq!(
            p.0, w.0,
            "“{h}” on page {} in the PDF, {} in Word",
            p.0, w.0
        );
    }
}

/// Table labels break between words, never inside one (`三、/本年度/办理/结果`, not
/// `三、本/年度办/理结果`): every line of every label cell as the pages set it, at every size a
/// table may take, and the same lines in LibreOffice's layout of the Word file.
#[test]
fn table_labels_break_between_words_in_the_pdf_and_in_word() {
    let fonts = common::fonts();
    let demo = xxgk::input::yaml::read_str(&example("demo-2023.yaml")).report;
    for report in [demo.clone(), seed::large_report()] {
        // The cells' lines as the pages set them, judged by the words above.
        let placed =
            xxgk::render::paged::layout(&xxgk::render::document::Document::of(&report), fonts)
                .map(|d| d.tables)
                .unwrap();
        for (grid, table) in xxgk::spec::format::tables().iter().zip(&placed) {
            for (cell, lines) in grid.cells.iter().zip(&table.cell_lines) {
                if !matches!(cell.content, xxgk::spec::format::Content::Text(_)) {
                    continue;
                }
                let text: String = lines.concat();
                // A word longer than the cell's longest line cannot stay whole (自然人 in a
                // two-character column).
                let widest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
                let mut at = 0;
                for l in &lines[..lines.len().saturating_sub(1)] {
                    at += l.chars().count();
                    for w in WORDS.iter().filter(|w| w.chars().count() <= widest) {
                        let n = w.chars().count();
                        // Every place the word starts in the cell's text, in characters.
                        let chars: Vec<char> = text.chars().collect();
                        let word: Vec<char> = w.chars().collect();
                        for start in 0..chars.len().saturating_sub(n - 1) {
                            if chars[start..start + n] == word[..] {
                                assert!(
                                    !(start < at && at < start + n),
                                    "{}: {lines:?} breaks inside “{w}”",
                                    grid.name()
                                );
                            }
                        }
                    }
                }
            }
        }
        // pdftotext's reading of the PDF: table 三's first column, one word a line.
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("labels.pdf");
        std::fs::write(
            &pdf,
            render::render(&report, Format::Pdf, Some(fonts)).unwrap(),
        )
        .unwrap();
        let first = first_column_lines(&pdf);
        assert!(first.contains("三、/本年度/办理/结果"), "PDF: {first}");
    }
    // LibreOffice's layout of the Word file: the first column of table 三 reads 三、 / 本年度 /
    // 办理 / 结果, one word a line.
    let dir = tempfile::tempdir().unwrap();
    let docx = render::render(&demo, Format::Docx, Some(fonts)).unwrap();
    let first = first_column_lines(&libreoffice_pdf(&docx, "labels", dir.path()));
    assert!(
        first.contains("三、/本年度/办理/结果"),
        "first column of table 三 in Word: {first}"
    );
}

/// Words of the official labels as a reader sees them, written here by hand (not the layout's
/// own list): a line of a label cell never ends inside one.
const WORDS: &[&str] = &[
    "本年度",
    "办理",
    "结果",
    "新收",
    "政府信息",
    "予以公开",
    "不予公开",
    "国家秘密",
    "本机关",
    "不掌握",
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "自然人",
    "其他组织",
    "申请人",
    "现行有效",
    "制发",
    "废止",
    "处理决定",
];

/// The text lines of the first column of every table (the 40 pt from the text block's left
/// edge), joined with `/`, as pdftotext places the words.
fn first_column_lines(pdf: &std::path::Path) -> String {
    let left = 28.0 * MM;
    let column: Vec<String> = pdf_words(pdf)
        .iter()
        .flat_map(|page| {
            lines(
                page.iter()
                    .filter(|w| w.x_min >= left && w.x_max <= left + 40.0),
            )
            .into_iter()
            .map(|(_, ws)| joined(&ws))
        })
        .collect();
    column.join("/")
}

/// Section 六 and the 落款 move no more than the rules ask: the 落款 never stands alone on a
/// page (the last lines of the text come with it), a heading keeps two lines of its text, and
/// when only the 落款 must move, the heading stays behind with as much of its text as fits.
/// Checked for section 六 from one sentence to many, so that every position of the page end
/// is met.
#[test]
fn section_six_and_the_signature_move_no_more_than_the_rules_ask() {
    let fonts = common::fonts();
    let base = xxgk::input::yaml::read_str(&example("langfang-2021.yaml")).report;
    let sentence = "市政府办公室依据《政府信息公开信息处理费管理办法》，未收取信息处理费。";
    let heading = xxgk::spec::format::SECTIONS[5].heading();
    let body = base.signature.clone().unwrap().body;
    for n in 1..=14 {
        let mut r = base.clone();
        r.other.intro = xxgk::model::Text(sentence.repeat(n));
        let pages = xxgk::render::paged::layout(&xxgk::render::document::Document::of(&r), fonts)
            .map(|d| d.pages)
            .unwrap();
        // Text lines of each page (size 16, by baseline), in order.
        let lines: Vec<Vec<String>> = pages
            .iter()
            .map(|p| {
                let mut ls: Vec<(i64, String)> = vec![];
                for run in p.runs.iter().filter(|run| run.size == 16.0) {
                    let y = (run.y * 10.0).round() as i64;
                    match ls.iter_mut().find(|(ly, _)| *ly == y) {
                        Some((_, t)) => t.push_str(&run.text),
                        None => ls.push((y, run.text.clone())),
                    }
                }
                ls.sort();
                ls.into_iter().map(|(_, t)| t).collect()
            })
            .collect();
        let page_of = |t: &str| lines.iter().position(|p| p.iter().any(|l| l == t)).unwrap();
        let (hp, sp) = (page_of(&heading), page_of(&body));
        let heading_at = lines[hp].iter().position(|l| *l == heading).unwrap();
        let sig_at = lines[sp].iter().position(|l| *l == body).unwrap();
        assert!(
            sig_at >= 1,
            "n={n}: the 落款 stands alone on page {}",
            sp + 1
        );
        let below_heading = lines[hp].len() - heading_at - 1;
        assert!(
            below_heading >= 2,
            "n={n}: heading 六 with {below_heading} lines under it on page {}",
            hp + 1
        );
        // Empty lines at the foot of the page before the 落款's: a page ends early only to
        // carry the fewest lines the rules allow.
        if sp > 0 {
            let (top, block, pitch) = (37.0 * MM, 225.0 * MM, 28.95);
            let last = pages[sp - 1]
                .runs
                .iter()
                .filter(|run| run.size == 16.0)
                .map(|run| run.y as f64)
                .fold(0.0, f64::max);
            let free = ((top + block - last) / pitch).floor() as usize;
            if free >= 2 {
                let carried = if hp == sp {
                    sig_at - heading_at - 1
                } else {
                    sig_at
                };
                assert!(
                    carried <= 3,
                    "n={n}: page {} ends {free} lines early, yet {carried} lines of text stand above the 落款",
                    sp
                );
            }
        }
    }
}

/// One cell padding (the house style's 1.2 mm): a left-aligned label of a table starts the same
/// distance from the text block's left edge in the PDF, in LibreOffice's layout of the Word
/// file and in the web page's CSS.
#[test]
fn table_cells_have_the_same_padding_in_word_pdf_and_html() {
    let parsed = xxgk::input::yaml::read_bytes(example("langfang-2021.yaml").as_bytes());
    let report = parsed.report;
    let dir = tempfile::tempdir().unwrap();
    let fonts = common::fonts();
    let pdf_path = dir.path().join("pad.pdf");
    std::fs::write(
        &pdf_path,
        render::render(&report, Format::Pdf, Some(fonts)).unwrap(),
    )
    .unwrap();
    let docx = render::render(&report, Format::Docx, Some(fonts)).unwrap();
    let word_path = libreoffice_pdf(&docx, "pad-word", dir.path());
    let left_of = |pdf: &std::path::Path, text: &str| -> f64 {
        pdf_words(pdf)
            .iter()
            .flatten()
            .find(|w| w.text == text)
            .unwrap_or_else(|| panic!("{text} not in {}", pdf.display()))
            .x_min
    };
    // GB/T 9704's 订口 28 mm: the left edge of the text block and of every table.
    let block_left = 28.0 * MM;
    for label in ["行政许可", "行政处罚"] {
        let pdf = (left_of(&pdf_path, label) - block_left) / MM;
        let word = (left_of(&word_path, label) - block_left) / MM;
        assert!(
            (pdf - 1.2).abs() < 0.05,
            "{label}: {pdf:.2} mm in from the PDF's rule"
        );
        assert!(
            (word - 1.2).abs() < 0.1,
            "{label}: {word:.2} mm in from Word's rule (PDF {pdf:.2} mm)"
        );
    }
    let html = String::from_utf8(render::render(&report, Format::Html, None).unwrap()).unwrap();
    assert!(
        html.contains("padding:1mm 1.2mm;"),
        "table 二 cells in the page"
    );
    assert!(
        html.contains("padding:0.5mm 1.2mm;"),
        "table 三 cells in the page"
    );
}
