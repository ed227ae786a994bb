//! Stress inputs for the typesetting of the pages (issue 24): long body names in the 落款,
//! table 三's labels and large numbers, a table at a page foot, the last page, the dates. Every
//! measure is read from the pages as an independent reader sets them: `pdftotext -bbox` of the
//! PDF, and of LibreOffice's layout of the Word file.

use crate::common;

use common::{example, libreoffice_pdf, pdf_words, BoxedWord};
use xxgk::model::Report;
use xxgk::render::{self, Format};

const MM: f64 = 72.0 / 25.4;
/// The text block's left and right edges, from the page's left edge (GB/T 9704: 28 + 156 mm).
const BLOCK_LEFT: f64 = 28.0 * MM;
const BLOCK_RIGHT: f64 = 184.0 * MM;
/// Two characters of the 28-per-line grid.
const TWO: f64 = 2.0 * 156.0 * MM / 28.0;

/// The lines of a page, top to bottom: words that share their top.
fn lines(words: &[BoxedWord]) -> Vec<(f64, Vec<&BoxedWord>)> {
    let mut lines: Vec<(f64, Vec<&BoxedWord>)> = vec![];
    for w in words {
        match lines.iter_mut().find(|(y, _)| (y - w.y_min).abs() < 2.0) {
            Some((_, ws)) => ws.push(w),
            None => lines.push((w.y_min, vec![w])),
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, ws) in &mut lines {
        ws.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
    }
    lines
}

/// A text line as read: its text, top, left and right edges.
#[derive(Debug, Clone)]
struct ReadLine {
    text: String,
    top: f64,
    left: f64,
    right: f64,
}

fn read_lines(page: &[BoxedWord]) -> Vec<ReadLine> {
    lines(page)
        .into_iter()
        .map(|(top, ws)| ReadLine {
            text: ws.iter().map(|w| w.text.as_str()).collect(),
            top,
            left: ws.iter().map(|w| w.x_min).fold(f64::MAX, f64::min),
            right: ws.iter().map(|w| w.x_max).fold(f64::MIN, f64::max),
        })
        .collect()
}

fn pdf_of(report: &Report, dir: &std::path::Path, stem: &str) -> std::path::PathBuf {
    let path = dir.join(format!("{stem}.pdf"));
    let bytes = render::render(report, Format::Pdf, Some(common::fonts())).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

fn word_pdf_of(report: &Report, dir: &std::path::Path, stem: &str) -> std::path::PathBuf {
    let docx = render::render(report, Format::Docx, Some(common::fonts())).unwrap();
    libreoffice_pdf(&docx, &format!("{stem}-word"), dir)
}

/// Long body names of 20 to 40 characters, as 自治州 counties and 领导小组 offices sign.
pub const LONG_NAMES: [&str; 5] = [
    "黔东南苗族侗族自治州从江县人民政府办公室",
    "黔东南苗族侗族自治州从江县人民政府办公室政务公开办",
    "新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县人民政府办公室",
    "某某省某某市某某区人民政府办公室政务公开与政府信息公开工作领导小组办公室",
    "某某省某某自治州某某县人民政府办公室政务公开与政府信息公开工作领导小组办公室",
];

/// Where a reader may break a body's name: after one of these units (written here by hand,
/// not the house style's list).
const NAME_UNITS: [&str; 10] = [
    "人民政府办公室",
    "办公室",
    "自治区",
    "自治州",
    "自治县",
    "领导小组",
    "省",
    "市",
    "区",
    "县",
];

/// The 落款 of a long name: every line of the name inside the block and right-aligned two
/// characters in, broken only after a unit of the name, the date under the last line on the
/// right half of the page — in the PDF and in LibreOffice's layout of the Word file.
fn check_signature(pages: &[Vec<BoxedWord>], name: &str, date: &str, what: &str) {
    let page = pages
        .iter()
        .rev()
        .find(|p| p.iter().any(|w| w.text.contains(&date[..4])))
        .unwrap_or_else(|| panic!("{what}: no date {date}"));
    let ls = read_lines(page);
    let d = ls
        .iter()
        .rposition(|l| l.text == date)
        .unwrap_or_else(|| panic!("{what}: no line “{date}”: {ls:?}"));
    // The name's lines are the lines just above the date that join to the name.
    let mut k = d;
    let mut joined = String::new();
    while k > 0 && joined.chars().count() < name.chars().count() {
        k -= 1;
        joined = format!("{}{joined}", ls[k].text);
    }
    assert_eq!(joined, name, "{what}: the lines above the date: {ls:?}");
    let name_lines = &ls[k..d];
    for l in name_lines {
        assert!(
            l.left >= BLOCK_LEFT - 1.0,
            "{what}: “{}” starts {:.1} mm left of the block",
            l.text,
            (BLOCK_LEFT - l.left) / MM
        );
        assert!(
            (BLOCK_RIGHT - TWO - l.right).abs() <= 1.5 * MM,
            "{what}: “{}” ends {:.1} mm from the block's right edge, not two characters ({:.1} mm)",
            l.text,
            (BLOCK_RIGHT - l.right) / MM,
            TWO / MM
        );
        assert!(
            l.text.chars().count() <= 26,
            "{what}: “{}” is wider than a line less two characters",
            l.text
        );
    }
    // Lines stand on the grid's pitch (28.95 pt), or the tighter one (27.5 pt) that keeps the
    // end of the text with the 落款 (GB/T 9704 §7.3.5.1).
    let pitch = |d: f64| (27.0..=29.5).contains(&d);
    for pair in name_lines.windows(2) {
        assert!(
            NAME_UNITS.iter().any(|u| pair[0].text.ends_with(u)),
            "{what}: “{}” / “{}” breaks inside a word",
            pair[0].text,
            pair[1].text
        );
        assert!(
            pitch(pair[1].top - pair[0].top),
            "{what}: name lines {:.1} pt apart",
            pair[1].top - pair[0].top
        );
    }
    let last = &name_lines[name_lines.len() - 1];
    let date_line = &ls[d];
    assert!(
        pitch(date_line.top - last.top),
        "{what}: the date is not on the line under the name"
    );
    // The date stands under the name, never left of it (a name of 27 characters ran into the
    // margin and took the date with it).
    assert!(
        date_line.left >= last.left - 1.0 && date_line.right <= BLOCK_RIGHT + 1.0,
        "{what}: the date at {:.1}–{:.1} mm is not under “{}” at {:.1} mm",
        date_line.left / MM,
        date_line.right / MM,
        last.text,
        last.left / MM
    );
    // GB/T 9704 §7.3.5.2: the date's first character two characters right of the first of the
    // name's line above it, or, when the date is the longer, the date two characters in.
    let shifted = (date_line.left - last.left - TWO).abs() <= 1.5 * MM;
    let inset = (BLOCK_RIGHT - TWO - date_line.right).abs() <= 1.5 * MM;
    assert!(
        shifted || inset,
        "{what}: date at {:.1}–{:.1} mm under “{}” at {:.1} mm",
        date_line.left / MM,
        date_line.right / MM,
        last.text,
        last.left / MM
    );
}

#[test]
fn long_body_names_break_between_words_and_stay_right_aligned_in_pdf_and_word() {
    let base = xxgk::input::yaml::read_str(&example("langfang-2021.yaml")).report;
    let dir = tempfile::tempdir().unwrap();
    for (i, name) in LONG_NAMES.iter().enumerate() {
        let mut r = base.clone();
        let sig = r.signature.as_mut().unwrap();
        sig.body = name.to_string();
        let date = sig.date.unwrap().chinese();
        let stem = format!("name{i}");
        let pdf = pdf_words(&pdf_of(&r, dir.path(), &stem));
        check_signature(&pdf, name, &date, &format!("PDF, {name}"));
        let word = pdf_words(&word_pdf_of(&r, dir.path(), &stem));
        check_signature(&word, name, &date, &format!("Word, {name}"));
        assert_eq!(
            pdf.len(),
            word.len(),
            "{name}: pages in the PDF and in Word"
        );
    }
}

/// The words of a table's stretch of the document, page by page: from its section heading to
/// the next section heading.
fn table_words(pages: &[Vec<BoxedWord>], from: &str, to: &str) -> Vec<(usize, BoxedWord)> {
    let mut inside = false;
    let mut out = vec![];
    for (p, page) in pages.iter().enumerate() {
        for (_, ws) in lines(page) {
            let text: String = ws.iter().map(|w| w.text.as_str()).collect();
            if text.contains(from) {
                inside = true;
                continue;
            }
            if text.contains(to) {
                inside = false;
            }
            if inside {
                // Page numbers are not the table's.
                if !(text.starts_with('—') && text.ends_with('—')) {
                    out.extend(ws.into_iter().map(|w| (p, w.clone())));
                }
            }
        }
    }
    out
}

const T3_HEADING: &str = "三、收到和处理政府信息公开申请情况";
const T4_HEADING: &str = "四、政府信息公开行政复议、行政诉讼情况";
const T5_HEADING: &str = "五、存在的主要问题及改进情况";

/// No item number of table 三 stands alone on its line (`2.` / `其他法律行政法规禁止公开`): a
/// word that is only a number and a point has a word right after it on its line. `自然人` is one
/// word on one line.
fn check_item_numbers(pages: &[Vec<BoxedWord>], what: &str) {
    let words = table_words(pages, T3_HEADING, T4_HEADING);
    assert!(words.len() > 40, "{what}: table 三 not found");
    for (p, w) in &words {
        let t = w.text.as_str();
        let number = t.len() >= 2
            && t.ends_with('.')
            && t[..t.len() - 1].chars().all(|c| c.is_ascii_digit());
        if number {
            let next = words.iter().any(|(q, v)| {
                q == p
                    && (v.y_min - w.y_min).abs() < 2.0
                    && v.x_min >= w.x_max - 0.5
                    && v.x_min - w.x_max < 8.0
            });
            assert!(
                next,
                "{what}: “{t}” stands alone on its line on page {}",
                p + 1
            );
        }
    }
    let natural = words
        .iter()
        .filter(|(_, w)| w.text.contains("自然人"))
        .count();
    assert!(
        natural >= 1,
        "{what}: “自然人” is broken in table 三's header"
    );
    assert!(
        !words.iter().any(|(_, w)| w.text == "自然"),
        "{what}: “自然/人” in table 三's header"
    );
}

#[test]
fn table_three_item_numbers_stay_with_their_words_in_pdf_and_word() {
    let dir = tempfile::tempdir().unwrap();
    let demo = xxgk::input::yaml::read_str(&example("demo-2023.yaml")).report;
    let seed = crate::common::seed::seed_report();
    for (name, r) in [("demo", demo), ("seed", seed)] {
        check_item_numbers(
            &pdf_words(&pdf_of(&r, dir.path(), name)),
            &format!("PDF {name}"),
        );
        check_item_numbers(
            &pdf_words(&word_pdf_of(&r, dir.path(), name)),
            &format!("Word {name}"),
        );
    }
}

/// A report with large counts: seven digits in table 三 (4 000 000 new applications from
/// people), six in table 四.
fn large_numbers() -> Report {
    let mut r = crate::common::seed::seed_report();
    // Balanced as the checks want: the seed's other results of these columns are 98 and 1.
    r.table3.cells[0][0].value = 4_000_000;
    r.table3.cells[0][1].value = 123_456;
    r.table3.cells[2][0].value = 4_000_000 - 98;
    r.table3.cells[2][1].value = 123_456 - 1;
    for g in 0..3 {
        for c in 0..4 {
            r.table4.cells[g][c].value = 100_000 + (g * 4 + c) as u64 * 11_111;
        }
    }
    r.compute_totals();
    r
}

/// Every number of a table is one word on one line (pdftotext reads `4000000`, never `400000`
/// and `0`), and all numbers of a table are set at one size (the height of their boxes).
fn check_numbers(pages: &[Vec<BoxedWord>], r: &Report, what: &str) {
    for (grid, from, to) in [
        (xxgk::spec::format::table3_grid(), T3_HEADING, T4_HEADING),
        (xxgk::spec::format::table4_grid(), T4_HEADING, T5_HEADING),
    ] {
        let words = table_words(pages, from, to);
        let mut heights = vec![];
        for (_, v) in grid.values() {
            let text = r.cell_text(v);
            if text.is_empty() {
                continue;
            }
            let found: Vec<&BoxedWord> = words
                .iter()
                .map(|(_, w)| w)
                .filter(|w| w.text == text)
                .collect();
            assert!(
                !found.is_empty(),
                "{what}: {} “{text}” is not one word on one line",
                v.path()
            );
            heights.extend(found.iter().map(|w| w.y_max - w.y_min));
        }
        let (lo, hi) = heights
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), h| (a.min(*h), b.max(*h)));
        assert!(
            hi - lo < 0.2,
            "{what}: {}'s numbers are set at sizes from {lo:.2} to {hi:.2} pt high",
            grid.name()
        );
    }
}

#[test]
fn large_numbers_never_break_and_a_table_has_one_size_in_pdf_and_word() {
    let dir = tempfile::tempdir().unwrap();
    let r = large_numbers();
    check_numbers(&pdf_words(&pdf_of(&r, dir.path(), "large")), &r, "PDF");
    check_numbers(
        &pdf_words(&word_pdf_of(&r, dir.path(), "large")),
        &r,
        "Word",
    );
}

/// The page on which a table starts, and whether its first page holds its whole first group:
/// for table 三 the rows up to `8.属于行政查询事项`, the last of （三）不予公开.
fn t3_opening(pages: &[Vec<BoxedWord>]) -> (usize, bool) {
    let words = table_words(pages, T3_HEADING, T4_HEADING);
    let first = words
        .iter()
        .find(|(_, w)| w.text.contains("申请人情况"))
        .map(|(p, _)| *p)
        .expect("table 三's header");
    let group = words
        .iter()
        .any(|(p, w)| *p == first && w.text.contains("8.属于行政查询事项"));
    (first, group)
}

/// Table 三 never opens as a stub of its header and a row or two at a page foot: wherever the
/// text before it ends (section 一 from one to many sentences), the page it starts on holds
/// its header through the whole of （三）不予公开; the Word file starts it on the same page.
#[test]
fn a_table_at_a_page_foot_starts_with_a_whole_group_or_on_the_next_page() {
    let dir = tempfile::tempdir().unwrap();
    let base = crate::common::seed::seed_report();
    let sentence = "市政府办公室全年更新各类政府信息，及时准确向社会公开。";
    let mut moved = vec![];
    for n in 0..24 {
        let mut r = base.clone();
        r.overview.intro = xxgk::model::Text(sentence.repeat(n * 3));
        let pdf = pdf_words(&pdf_of(&r, dir.path(), &format!("foot{n}")));
        let (page, whole) = t3_opening(&pdf);
        assert!(
            whole,
            "n={n}: table 三 opens on page {} without the whole of （三）",
            page + 1
        );
        moved.push((n, r, page));
    }
    // Word starts the table on the same page, for the reports whose table 三 moved to a new
    // page and their neighbours (LibreOffice is slow: a few of them).
    let mut checked = 0;
    for k in 1..moved.len() {
        if moved[k].2 != moved[k - 1].2 && checked < 3 {
            for (n, r, page) in [&moved[k - 1], &moved[k]] {
                let word = pdf_words(&word_pdf_of(r, dir.path(), &format!("foot{n}")));
                let (w, whole) = t3_opening(&word);
                assert!(
                    whole,
                    "Word, n={n}: table 三 opens without the whole of （三）"
                );
                assert_eq!(w, *page, "n={n}: table 三 starts on another page in Word");
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no report moved table 三 to a new page");
}

/// Writes the stress reports as YAML into `$PAGES_OUT` (to look at them with `xxgk render`).
#[test]
#[ignore]
fn write_stress_reports() {
    let Some(dir) = std::env::var_os("PAGES_OUT") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = |r: &Report| xxgk::render::yaml::render(r);
    std::fs::write(dir.join("large-numbers.yaml"), yaml(&large_numbers())).unwrap();
    std::fs::write(
        dir.join("large.yaml"),
        yaml(&crate::common::seed::large_report()),
    )
    .unwrap();
}

/// The seed's last page is not a stub: at the grid's pitch section 六 and the 落款 would stand
/// alone on a sixth page, one line short of page 5; the body after table 四 is set at 27.5 pt
/// (GB/T 9704 §7.3.5.1 调整行距) and the report ends on page 5, in the PDF and in Word, its
/// lines where the PDF has them.
#[test]
fn the_seed_ends_on_page_five_with_section_five_six_and_the_signature() {
    let dir = tempfile::tempdir().unwrap();
    let seed = crate::common::seed::seed_report();
    let pdf = pdf_words(&pdf_of(&seed, dir.path(), "seed"));
    let word = pdf_words(&word_pdf_of(&seed, dir.path(), "seed"));
    for (what, pages) in [("PDF", &pdf), ("Word", &word)] {
        assert_eq!(pages.len(), 5, "{what}: pages");
        let last: Vec<String> = read_lines(&pages[4]).into_iter().map(|l| l.text).collect();
        for want in [T5_HEADING, "六、其他需要报告的事项", "廊坊市人民政府办公室"]
        {
            assert!(
                last.iter().any(|l| l == want),
                "{what}: “{want}” is not on page 5: {last:?}"
            );
        }
        // The body lines after table 四 stand 27.5 pt apart (not the grid's 28.95).
        let tops: Vec<f64> = read_lines(&pages[4])
            .iter()
            .skip_while(|l| l.text != T5_HEADING)
            .take(8)
            .map(|l| l.top)
            .collect();
        for d in tops.windows(2).map(|w| w[1] - w[0]) {
            assert!(
                (d - 27.5).abs() < 0.6,
                "{what}: lines {d:.2} pt apart: {tops:?}"
            );
        }
    }
    // Page for page: every line of page 5 within 2 pt of the PDF's in LibreOffice's layout.
    let (p, w) = (read_lines(&pdf[4]), read_lines(&word[4]));
    for l in p.iter().filter(|l| l.text.chars().count() > 3) {
        let m = w.iter().find(|m| m.text == l.text);
        let m = m.unwrap_or_else(|| panic!("“{}” is not on page 5 of the Word file", l.text));
        assert!(
            (m.top - l.top).abs() < 2.5,
            "“{}” at {:.1} pt in the PDF, {:.1} in Word",
            l.text,
            l.top,
            m.top
        );
    }
}

/// One date: the seed gives both a publication date and a 落款 date (the same day); the
/// document prints it once, in the 落款, in the PDF, in Word and in the web page. A 落款
/// without a date leaves the publication date under the title.
#[test]
fn a_report_prints_one_date() {
    let dir = tempfile::tempdir().unwrap();
    let seed = crate::common::seed::seed_report();
    let date = seed.published.unwrap().chinese();
    assert_eq!(
        Some(date.clone()),
        seed.signature.as_ref().unwrap().date.map(|d| d.chinese())
    );
    let count = |pages: &[Vec<BoxedWord>]| -> (usize, Option<usize>) {
        let mut n = 0;
        let mut first = None;
        for (p, page) in pages.iter().enumerate() {
            for l in read_lines(page) {
                if l.text == date {
                    n += 1;
                    first.get_or_insert(p);
                }
            }
        }
        (n, first)
    };
    let pdf = pdf_words(&pdf_of(&seed, dir.path(), "seed"));
    let word = pdf_words(&word_pdf_of(&seed, dir.path(), "seed"));
    assert_eq!(count(&pdf).0, 1, "PDF prints the date once");
    assert_eq!(count(&word).0, 1, "Word prints the date once");
    let html =
        String::from_utf8(render::render(&seed, Format::Html, Some(common::fonts())).unwrap())
            .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let body = scraper::Selector::parse("body").unwrap();
    let text: String = doc.select(&body).flat_map(|b| b.text()).collect();
    assert_eq!(
        text.matches(date.as_str()).count(),
        1,
        "the web page prints the date once"
    );
    // Without a 落款 date, the publication date stands under the title, on page 1.
    let mut r = seed.clone();
    r.signature.as_mut().unwrap().date = None;
    let pdf = pdf_words(&pdf_of(&r, dir.path(), "undated"));
    assert_eq!(count(&pdf), (1, Some(0)), "PDF: the date under the title");
    let word = pdf_words(&word_pdf_of(&r, dir.path(), "undated"));
    assert_eq!(count(&word), (1, Some(0)), "Word: the date under the title");
}

/// The workbook as LibreOffice prints it (its own layout of the sheets, the official names
/// mapped to the bundled faces): tables 三 and 四 across the page and at least 9 pt (the
/// height of their words' boxes, which is a little over the size), no printed line that starts
/// with closing punctuation (the 勾稽 note's `）`, `。` in 填写说明), and 基本信息's second
/// page, if any, starting at a section heading rather than with the last rows of one.
#[test]
fn the_workbook_prints_readable_tables_and_no_stray_punctuation() {
    let dir = tempfile::tempdir().unwrap();
    let seed = crate::common::seed::seed_report();
    let xlsx = dir.path().join("seed.xlsx");
    std::fs::write(&xlsx, render::render(&seed, Format::Xlsx, None).unwrap()).unwrap();
    let template = dir.path().join("template.xlsx");
    let (code, _, err) = common::xxgk(
        &[
            "template",
            "--xlsx",
            "-o",
            "template.xlsx",
            "--year",
            "2025",
            "--body",
            "某某市某某局",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    for path in [&xlsx, &template] {
        let pdf = common::libreoffice(path, "pdf", dir.path());
        let pages = pdf_words(&pdf);
        // The clerk's own texts in 基本信息 wrap as Calc wraps them (they are data the reader
        // reads back): the seed's lines are judged from its tables on; the template's all.
        let from = if path == &xlsx {
            pages
                .iter()
                .position(|p| {
                    read_lines(p)
                        .iter()
                        .any(|l| l.text.contains("二、主动公开政府信息情况"))
                })
                .unwrap()
                + 1
        } else {
            1
        };
        let (_, text, _) = common::run(
            "pdftotext",
            &[
                "-layout",
                "-f",
                &from.to_string(),
                pdf.to_str().unwrap(),
                "-",
            ],
        );
        for (k, line) in text.lines().enumerate() {
            let first = line.trim_start().chars().next();
            assert!(
                !matches!(first, Some('）' | '。' | '，' | '、' | '；' | '：')),
                "{}: printed line {k} starts with {first:?}: “{line}”",
                path.display()
            );
        }
        if path != &xlsx {
            continue;
        }
        let info = common::run("pdfinfo", &["-l", "99", pdf.to_str().unwrap()]).1;
        for (p, page) in pages.iter().enumerate() {
            let lines = read_lines(page);
            let Some(first) = lines.first() else { continue };
            let table = [T3_HEADING, T4_HEADING].into_iter().find(|h| {
                lines.iter().any(|l| l.text.contains(h)) || first.text.starts_with("三、本年")
            });
            if let Some(h) = table {
                let size_line = info
                    .lines()
                    .find(|l| l.starts_with(&format!("Page {:>4} size", p + 1)))
                    .unwrap_or("");
                assert!(
                    size_line.contains("841.89 x 595"),
                    "page {} ({h}) is not across the page: {size_line}",
                    p + 1
                );
                let smallest = page
                    .iter()
                    .filter(|w| !w.text.is_ascii())
                    .map(|w| w.y_max - w.y_min)
                    .fold(f64::MAX, f64::min);
                assert!(
                    smallest >= 9.0,
                    "page {} ({h}) prints text {smallest:.1} pt high",
                    p + 1
                );
            }
        }
        // 基本信息: the pages before table 二's; a second one starts with a section heading.
        let t2 = pages
            .iter()
            .position(|p| {
                read_lines(p)
                    .iter()
                    .any(|l| l.text.contains("二、主动公开政府信息情况"))
            })
            .unwrap();
        for page in &pages[1..t2] {
            let first = read_lines(page)[0].text.clone();
            assert!(
                ["一、", "五、", "六、"]
                    .iter()
                    .any(|h| first.starts_with(h)),
                "基本信息 continues on a page starting “{first}”"
            );
        }
    }
}
