//! PDF output: checked with the tools a reader has (qpdf, pdffonts, pdftotext), not by trusting
//! our own writer. Set `PDF_OUT=dir` to keep the rendered files for a look.

use crate::common;
use crate::common::seed;

use common::{fonts, keep_dir, root, squash, without_folios};
use seed::{large_report, seed_report};
use std::path::{Path, PathBuf};
use xxgk::diag::Rule;
use xxgk::model::{Report, Subsection, Text};
use xxgk::render::paged::{self, Fonts};
use xxgk::render::{document::Document, render, Format};
use xxgk::spec::format::{self, Content};

/// An external tool's success and its output (standard error after standard output).
fn tool(name: &str, args: &[&str]) -> (bool, String) {
    let (ok, out, err) = common::run(name, args);
    (ok, out + &err)
}

/// Writes the PDF to a temp dir (or `$PDF_OUT`) and returns its path.
fn save(name: &str, bytes: &[u8]) -> PathBuf {
    let p = keep_dir("PDF_OUT", "").join(format!("{name}.pdf"));
    std::fs::write(&p, bytes).unwrap();
    p
}

fn pages(path: &Path) -> usize {
    let (ok, out) = tool("qpdf", &["--show-npages", path.to_str().unwrap()]);
    assert!(ok, "{out}");
    out.trim().parse().unwrap()
}

/// Every label of the three tables, in reading order.
fn labels(grid: &format::TableGrid) -> Vec<&'static str> {
    grid.cells
        .iter()
        .filter_map(|c| {
            if let Content::Text(t) = c.content {
                Some(t)
            } else {
                None
            }
        })
        .collect()
}

fn check_fonts(path: &Path) -> String {
    let (ok, out) = tool("pdffonts", &[path.to_str().unwrap()]);
    assert!(ok, "pdffonts failed: {out}");
    let rows: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "no fonts: {out}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        // name … emb sub uni object ID
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "font not embedded as a subset with ToUnicode: {row}"
        );
        assert!(
            cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+',
            "subset tag missing: {row}"
        );
    }
    out
}

#[test]
fn seed_report_is_a_clean_pdf_with_every_label_and_number() {
    let r = seed_report();
    let bytes = render(&r, Format::Pdf, Some(fonts())).unwrap();
    let path = save("seed", &bytes);
    let (ok, out) = tool("qpdf", &["--check", path.to_str().unwrap()]);
    assert!(
        ok && out.contains("No syntax or stream encoding errors"),
        "qpdf --check: {out}"
    );
    let fonts_out = check_fonts(&path);
    for name in [
        "FandolFang",
        "FandolHei",
        "FandolKai",
        "FandolSong-Regular",
        "FandolSong-Bold",
    ] {
        assert!(fonts_out.contains(name), "{name} missing:\n{fonts_out}");
    }
    assert!(
        !fonts_out.contains("Noto"),
        "no fallback needed for the seed:\n{fonts_out}"
    );

    let all = without_folios(&squash(&common::pdf_text(&path, None)));
    // Title, headings, texts, in order.
    let mut expect: Vec<String> = r.title_lines();
    for def in format::SECTIONS.iter() {
        expect.push(def.heading());
        if let format::SectionKind::Text(which) = def.kind {
            let sec = r.text_section(which);
            expect.extend(sec.intro.paragraphs());
            for (j, s) in sec.subsections.iter().enumerate() {
                expect.push(s.heading(j));
                expect.extend(s.body.paragraphs());
            }
        }
    }
    expect.push("2022年1月27日".into());
    let mut at = 0;
    for e in &expect {
        let e = squash(e);
        let found = all[at..]
            .find(&e)
            .unwrap_or_else(|| panic!("not found in order: {e}\nafter: {}", &all[at..]));
        at += found + e.len();
    }
    // Every label of the grids, in reading order, and the numbers.
    for grid in format::tables() {
        let mut at = 0;
        for l in labels(&grid) {
            let l = squash(l);
            let found = all[at..]
                .find(&l)
                .unwrap_or_else(|| panic!("{}: label {l} not found in order", grid.name()));
            at += found + l.len();
        }
    }
    // Rows read across: label then its numbers, as the seed's published page prints them
    // (cells left empty are blank, given zeros print: 规章 3 0 8, 上年结转 only its 总计 0).
    for (label, nums) in [
        ("一、本年新收政府信息公开申请数量", "991100"),
        ("二、上年结转政府信息公开申请数量0三、", "0三、"),
        ("1.本机关不掌握相关政府信息", "97198"),
        ("2.重复申请", "11"),
        ("（七）总计", "991100"),
        ("规章", "308"),
        ("行政规范性文件", "221148"),
    ] {
        let label = label.strip_suffix(nums).unwrap_or(label);
        let l = all.find(label).unwrap_or_else(|| panic!("{label}"));
        let after: String = all[l + label.len()..].chars().take(20).collect();
        assert!(after.starts_with(nums), "{label}: {after}");
    }
    // Page numbers with em dashes.
    let n = pages(&path);
    assert!(n >= 3, "{n} pages");
    for p in 1..=n {
        assert!(
            squash(&common::pdf_text(&path, Some(p))).contains(&format!("—{p}—")),
            "page number on page {p}"
        );
    }
}

#[test]
fn same_input_same_bytes() {
    let r = seed_report();
    let a = render(&r, Format::Pdf, Some(fonts())).unwrap();
    let b = render(&r, Format::Pdf, Some(fonts())).unwrap();
    assert!(a == b, "two renders differ");
    // Also across threads sharing one Fonts.
    let c = std::thread::scope(|s| {
        s.spawn(|| render(&r, Format::Pdf, Some(fonts())).unwrap())
            .join()
            .unwrap()
    });
    assert!(a == c, "render in another thread differs");
    let s = String::from_utf8_lossy(&a);
    assert!(s.contains("D:20220127000000"), "fixed creation date");
}

#[test]
fn rare_name_characters_fall_back_to_noto() {
    let mut r = seed_report();
    let para = "参加座谈的有张堃、李喆、王旻、刘镕、陈赟等同志。";
    r.other.intro = Text(para.into());
    let bytes = render(&r, Format::Pdf, Some(fonts())).unwrap();
    let path = save("fallback", &bytes);
    let fonts_out = check_fonts(&path);
    assert!(
        fonts_out.contains("NotoSerifCJK"),
        "Noto subset listed:\n{fonts_out}"
    );
    assert!(
        squash(&common::pdf_text(&path, None)).contains(para),
        "pdftotext returns the names"
    );
}

#[test]
fn a_character_in_no_font_is_an_error_that_says_where() {
    let mut r = seed_report();
    r.problems.subsections = vec![Subsection {
        title: "整改".into(),
        body: Text("第一段。\n\n第二段有\u{E000}字。".into()),
    }];
    let e = render(&r, Format::Pdf, Some(fonts())).unwrap_err();
    assert_eq!(e.rule, Rule::Render);
    assert!(e.message.contains("U+E000"), "{e}");
    // The diagnostic carries the source path of the text, which a reader can locate.
    assert_eq!(
        e.place.map(|p| p.path()).as_deref(),
        Some("存在问题及改进情况/分项/0"),
        "{e:?}"
    );
    // In a table cell (a note on a count).
    let mut r = seed_report();
    r.table2.documents[0][0].note = Some("注\u{2FFFD}".into());
    let e = render(&r, Format::Pdf, Some(fonts())).unwrap_err();
    assert!(e.message.contains("U+2FFFD"), "{e}");
    assert_eq!(
        e.place.map(|p| p.path()).as_deref(),
        Some("表二/规章/本年制发"),
        "{e:?}"
    );
}

#[test]
fn table_continued_on_the_next_page_repeats_its_header() {
    let mut r = seed_report();
    // A preface long enough that table 三 starts low on a page.
    let mut best = None;
    for extra in 0..40 {
        let mut rr = r.clone();
        let p = "本报告所列数据的统计期限为2021年1月1日至2021年12月31日，本报告电子版可在本机关门户网站下载。";
        rr.preface = Text(format!("{}\n\n{}", rr.preface.0, vec![p; extra].join("")));
        let pages = paged::layout(&Document::of(&rr), fonts())
            .map(|d| d.pages)
            .unwrap();
        // The page where table 三's header starts and whether the table continues.
        let header = format::T3_APPLICANTS;
        let on: Vec<usize> = (0..pages.len())
            .filter(|&k| pages[k].runs.iter().any(|run| run.text.contains(header)))
            .collect();
        if on.len() >= 2 {
            best = Some(rr);
            break;
        }
    }
    r = best.expect("some preface length splits table 三");
    let bytes = render(&r, Format::Pdf, Some(fonts())).unwrap();
    let path = save("split", &bytes);
    let n = pages(&path);
    let with_header: Vec<usize> = (1..=n)
        .filter(|&p| squash(&common::pdf_text(&path, Some(p))).contains(format::T3_APPLICANTS))
        .collect();
    assert_eq!(with_header.len(), 2, "header on two pages: {with_header:?}");
    for &p in &with_header {
        let t = squash(&common::pdf_text(&path, Some(p)));
        for l in ["自然人", format::T3_LEGAL_PERSONS, "总计"] {
            assert!(t.contains(l), "page {p} lacks {l}");
        }
    }
    // Every row label still appears once, across the two pages.
    let both = squash(
        &(common::pdf_text(&path, Some(with_header[0]))
            + &common::pdf_text(&path, Some(with_header[1]))),
    );
    for row in format::T3_ROWS.iter() {
        assert!(both.contains(&squash(row.label)), "{}", row.label);
    }
}

/// Lines per page and characters per line, measured on the layout.
#[test]
fn body_text_keeps_the_22_by_28_grid() {
    let r = large_report();
    let pages = paged::layout(&Document::of(&r), fonts())
        .map(|d| d.pages)
        .unwrap();
    let bytes = render(&r, Format::Pdf, Some(fonts())).unwrap();
    let path = save("large", &bytes);
    let (ok, out) = tool("qpdf", &["--check", path.to_str().unwrap()]);
    assert!(ok, "{out}");
    check_fonts(&path);
    // GB/T 9704's numbers, written out here rather than taken from the engine: the block starts
    // 28 mm from the left and 37 mm from the top and is 156 mm wide; 22 lines of 28.95 pt, 28
    // characters of 156 mm / 28 each.
    const MM: f32 = 72.0 / 25.4;
    const LEFT: f32 = 28.0 * MM;
    const TOP: f32 = 37.0 * MM;
    const BLOCK_W: f32 = 156.0 * MM;
    const PITCH: f32 = 28.95;
    const CELL: f32 = 156.0 * MM / 28.0;
    let mut full_pages = 0;
    for page in &pages {
        // Body lines: runs in 16 pt; their baselines sit on the grid.
        let mut ys: Vec<f32> = page
            .runs
            .iter()
            .filter(|r| r.size == 16.0)
            .map(|r| r.y)
            .collect();
        ys.sort_by(f32::total_cmp);
        ys.dedup_by(|a, b| (*a - *b).abs() < 0.1);
        for y in &ys {
            let k = (y - TOP) / PITCH;
            assert!(
                (k - k.floor() - 0.69).abs() < 0.05,
                "baseline {y} off the grid ({k})"
            );
        }
        if ys.len() == 22 {
            full_pages += 1;
        }
        assert!(ys.len() <= 22, "{} lines on a page", ys.len());
    }
    assert!(
        full_pages >= 3,
        "pages of pure text hold 22 lines ({full_pages})"
    );
    // A line of 28 hanzi fills the block: the grid cell times 28 is the block width, and a
    // justified line of plain hanzi uses exactly the grid spacing.
    assert!((CELL * 28.0 - BLOCK_W).abs() < 0.01);
    let mut plain = 0;
    for page in &pages {
        for run in page
            .runs
            .iter()
            .filter(|r| r.size == 16.0 && (r.x - LEFT).abs() < 0.01)
        {
            let n = run.text.chars().count();
            if n == 28 && run.text.chars().all(|c| !c.is_ascii()) {
                assert!(
                    (run.tc - (CELL - 16.0)).abs() < 0.01,
                    "plain line set off-grid: {} tc {}",
                    run.text,
                    run.tc
                );
                plain += 1;
            }
        }
    }
    assert!(plain > 10, "plain 28-character lines found: {plain}");
    // GB/T 9704: the signature never stands alone on a page.
    let last = pages.last().unwrap();
    assert!(last
        .runs
        .iter()
        .any(|r| r.text.contains("廊坊市人民政府办公室")));
    assert!(
        last.runs
            .iter()
            .any(|r| (r.x - LEFT).abs() < 0.01 && r.size == 16.0),
        "text above the signature"
    );
}

#[test]
fn fonts_are_found_in_a_given_directory_and_missing_ones_are_named() {
    let dir = tempfile::tempdir().unwrap();
    // An empty --font-dir still finds the bundled fonts later in the lookup.
    let f = Fonts::load(Some(dir.path())).unwrap();
    assert!(f
        .files()
        .iter()
        .any(|(_, p)| p.ends_with("FandolFang-Regular.otf")));
    let e = Fonts::load(Some(&dir.path().join("nope"))).err().unwrap();
    assert!(e.message.contains("nope"), "{e}");
    // The plan starts with the given directory.
    let plan = paged::lookup_plan(Some(dir.path()));
    assert_eq!(plan[0].dir, dir.path());
}

#[test]
fn report_without_texts_or_signature_still_renders() {
    let r = Report {
        body: "某县人民政府办公室".into(),
        ..Default::default()
    };
    let bytes = render(&r, Format::Pdf, Some(fonts())).unwrap();
    let path = save("empty", &bytes);
    let t = squash(&common::pdf_text(&path, None));
    assert!(t.contains("某县人民政府办公室2021年政府信息公开工作年度报告"));
    assert!(t.contains("六、其他需要报告的事项"));
}

#[test]
fn example_files_render() {
    let dir = root().join("examples");
    for name in ["langfang-2021.yaml", "demo-2023.yaml"] {
        let parsed = xxgk::input::read_path(&dir.join(name)).unwrap();
        let r = &parsed.report;
        let bytes = render(r, Format::Pdf, Some(fonts())).unwrap();
        assert!(bytes.len() < 400 * 1024, "{name}: {} bytes", bytes.len());
        let path = save(name.trim_end_matches(".yaml"), &bytes);
        let (ok, out) = tool("qpdf", &["--check", path.to_str().unwrap()]);
        assert!(ok, "{name}: {out}");
        check_fonts(&path);
        let all = without_folios(&squash(&common::pdf_text(&path, None)));
        for line in r.title_lines() {
            assert!(all.contains(&squash(&line)), "{name}: title {line}");
        }
        for def in format::SECTIONS.iter() {
            if let format::SectionKind::Text(which) = def.kind {
                let sec = r.text_section(which);
                for p in sec.intro.paragraphs() {
                    assert!(all.contains(&squash(&p)), "{name}: {p}");
                }
            }
        }
        // Every value of table 三 appears after its row label.
        for (row, def) in format::T3_ROWS.iter().enumerate() {
            let label = squash(def.label);
            let at = all
                .find(&label)
                .unwrap_or_else(|| panic!("{name}: {label}"));
            let nums: String = (0..7)
                .map(|c| r.cell_text(format::ValueRef::T3 { row, col: c }))
                .collect();
            assert!(
                all[at + label.len()..].starts_with(&squash(&nums)),
                "{name}: row {label} reads {}",
                &all[at..(at + label.len() + 30).min(all.len())]
            );
        }
    }
}

#[test]
fn official_file_names_in_the_font_dir_win() {
    // A copy of FandolFang under the official file name stands in for 仿宋_GB2312.
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("fonts/FandolFang-Regular.otf");
    std::fs::copy(&src, dir.path().join("SIMFANG.TTF")).unwrap();
    let f = Fonts::load(Some(dir.path())).unwrap();
    let files = f.files();
    let fang = files
        .iter()
        .find(|(face, _)| *face == paged::Face::Fang)
        .unwrap();
    assert_eq!(
        fang.1,
        dir.path().join("SIMFANG.TTF"),
        "case-insensitive official name in --font-dir"
    );
    let hei = files
        .iter()
        .find(|(face, _)| *face == paged::Face::Hei)
        .unwrap();
    assert!(
        hei.1.ends_with("FandolHei-Regular.otf"),
        "others still bundled: {:?}",
        hei.1
    );
}

#[test]
fn page_numbers_sit_outside_one_character_in() {
    use paged::layout::{BLOCK_H, BLOCK_W, CELL, LEFT, MM, TOP};
    let pages = paged::layout(&Document::of(&seed_report()), fonts())
        .map(|d| d.pages)
        .unwrap();
    assert!(pages.len() >= 2);
    for (k, page) in pages.iter().enumerate() {
        let n = k + 1;
        let folio: Vec<_> = page.runs.iter().filter(|r| r.size == 14.0).collect();
        let text: String = folio.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, format!("— {n} —"), "page {n}");
        for r in &folio {
            // The baseline sits under the dash line, which is 7 mm under the block (the
            // pixels are checked in tests/same_document.rs).
            assert!(r.y > TOP + BLOCK_H + 7.0 * MM && r.y < TOP + BLOCK_H + 9.0 * MM);
        }
        let left = folio.iter().map(|r| r.x).fold(f32::MAX, f32::min);
        if n % 2 == 0 {
            assert!(
                (left - (LEFT + CELL)).abs() < 0.01,
                "even page {n}: left, one character in"
            );
        } else {
            assert!(left > LEFT + BLOCK_W / 2.0, "odd page {n}: right");
        }
    }
}

#[test]
fn no_page_ends_with_a_section_heading() {
    let dir = root().join("examples");
    for name in ["langfang-2021.yaml", "demo-2023.yaml"] {
        let r = xxgk::input::read_path(&dir.join(name)).unwrap().report;
        let path = save(
            &format!("headings-{name}"),
            &render(&r, Format::Pdf, Some(fonts())).unwrap(),
        );
        for page in 1..=pages(&path) {
            let text = common::pdf_text(&path, Some(page));
            let last = text
                .lines()
                .map(str::trim)
                .rfind(|l| !l.is_empty() && !squash(l).starts_with('—'))
                .unwrap_or_default()
                .to_string();
            for s in format::SECTIONS.iter() {
                assert_ne!(
                    squash(&last),
                    squash(&s.heading()),
                    "{name}: page {page} ends with a heading"
                );
            }
        }
    }
}

#[test]
fn digits_and_latin_letters_are_set_in_the_times_face() {
    let bytes = render(&seed::seed_report(), Format::Pdf, Some(fonts())).unwrap();
    let path = save("latin", &bytes);
    let (ok, out) = tool("pdffonts", &[path.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(
        out.contains("LiberationSerif"),
        "bundled Times New Roman stand-in not embedded:\n{out}"
    );
    let resolved = fonts()
        .resolve(xxgk::render::paged::Face::Fang, '7', 16.0)
        .unwrap();
    assert_eq!(resolved.face, xxgk::render::paged::Face::Latin);
    // Times New Roman's digits are half an em: 8 pt at 16 pt.
    assert!(
        (resolved.advance - 8.0).abs() < 0.01,
        "{}",
        resolved.advance
    );
    let han = fonts()
        .resolve(xxgk::render::paged::Face::Fang, '廊', 16.0)
        .unwrap();
    assert_eq!(han.face, xxgk::render::paged::Face::Fang);
    // The title's digits are bold, in the title's own face, not a regular Times beside it.
    let title = fonts()
        .resolve(xxgk::render::paged::Face::Title, '2', 22.0)
        .unwrap();
    assert_eq!(title.face, xxgk::render::paged::Face::Title);
    let page1 = paged::layout(&Document::of(&seed::seed_report()), fonts())
        .map(|d| d.pages)
        .unwrap();
    let year = page1[0]
        .runs
        .iter()
        .find(|r| r.text.contains("2021") && r.size == 22.0)
        .expect("the title's year");
    assert_eq!(year.face, xxgk::render::paged::Face::Title);
}

#[test]
fn a_long_body_name_keeps_the_date_of_the_signature_on_one_line() {
    let mut r = seed_report();
    let long = "某某省某某市某某区人民政府办公室政务公开与政府信息公开工作领导小组办公室";
    assert!(long.chars().count() > 28);
    r.signature = Some(xxgk::model::Signature {
        body: long.into(),
        date: xxgk::model::Date::parse("2022-01-27"),
    });
    let pages = paged::layout(&Document::of(&r), fonts())
        .map(|d| d.pages)
        .unwrap();
    let last = pages.last().unwrap();
    // The date's runs (digits and 年月日 in different faces) share one baseline.
    let date: Vec<_> = last
        .runs
        .iter()
        .filter(|run| {
            run.size == 16.0
                && "2022年1月27日".contains(run.text.trim())
                && !run.text.trim().is_empty()
        })
        .collect();
    let text: String = date.iter().map(|r| r.text.as_str()).collect();
    assert!(text.contains("2022") && text.contains("27"), "{text}");
    let y = date[0].y;
    assert!(
        date.iter().all(|r| (r.y - y).abs() < 0.01),
        "the date on one line: {date:?}"
    );
}

#[test]
fn numbered_labels_of_table_three_keep_their_words_whole() {
    for name in ["langfang-2021.yaml", "demo-2023.yaml"] {
        let r = xxgk::input::yaml::read_str(&common::example(name)).report;
        let pages = paged::layout(&Document::of(&r), fonts())
            .map(|d| d.pages)
            .unwrap();
        let runs: Vec<&str> = pages
            .iter()
            .flat_map(|p| p.runs.iter().map(|r| r.text.as_str()))
            .collect();
        for word in [
            "不予公开",
            "无法提供",
            "不予处理",
            "其他处理",
            "予以公开",
            "部分公开",
        ] {
            assert!(
                runs.iter().any(|t| t.contains(word)),
                "{name}: “{word}” is broken across lines: {:?}",
                runs.iter()
                    .filter(|t| t.contains(&word[..3]))
                    .collect::<Vec<_>>()
            );
        }
    }
}

/// Navigation and metadata, read back with qpdf and poppler: a bookmark per section at the
/// page that shows its heading, the document language, XMP that says what the info dictionary
/// says, and no empty PDF/X claim.
#[test]
fn bookmarks_language_and_xmp() {
    let report = seed_report();
    let path = save(
        "navigation",
        &render(&report, Format::Pdf, Some(fonts())).unwrap(),
    );
    let p = path.to_str().unwrap();

    let (ok, json) = tool("qpdf", &["--json", "--json-key=outlines", p]);
    assert!(ok, "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let outlines = v["outlines"].as_array().expect("outlines");
    let headings: Vec<String> = format::SECTIONS.iter().map(|s| s.heading()).collect();
    let titles: Vec<&str> = outlines
        .iter()
        .filter_map(|o| o["title"].as_str())
        .collect();
    assert_eq!(titles, headings);
    for o in outlines {
        let title = o["title"].as_str().unwrap();
        let page = o["destpageposfrom1"].as_u64().expect("a page") as usize;
        let text = squash(&common::pdf_text(&path, Some(page)));
        assert!(
            text.contains(title),
            "bookmark {title} → page {page}, not there"
        );
        // Not on the page before: the bookmark goes to where the heading is, not near it.
        if page > 1 {
            let before = squash(&common::pdf_text(&path, Some(page - 1)));
            assert!(
                !before.contains(title),
                "{title} already on page {}",
                page - 1
            );
        }
    }

    let (ok, json) = tool("qpdf", &["--json", "--json-key=qpdf", p]);
    assert!(ok);
    assert!(json.contains("\"/Lang\": \"u:zh-CN\""), "no /Lang zh-CN");
    assert!(json.contains("\"/PageMode\": \"/UseOutlines\""));

    let (ok, info) = tool("pdfinfo", &[p]);
    assert!(ok, "{info}");
    assert!(info.contains("Metadata Stream: yes"), "{info}");
    assert!(!info.contains("PDF/X"), "claims PDF/X:\n{info}");
    assert!(!info.contains("Keywords:"), "empty Keywords:\n{info}");
    let field = |k: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(k).map(|v| v.trim().to_string()))
            .unwrap_or_else(|| panic!("{k} missing:\n{info}"))
    };
    let (ok, xmp) = tool("pdfinfo", &["-meta", p]);
    assert!(ok);
    for (key, tag) in [
        ("Title:", "dc:title"),
        ("Author:", "dc:creator"),
        ("Subject:", "dc:description"),
        ("Producer:", "pdf:Producer"),
    ] {
        let want = field(key);
        let at = xmp
            .find(&format!("<{tag}>"))
            .unwrap_or_else(|| panic!("{tag}"));
        let end = xmp[at..].find(&format!("</{tag}>")).unwrap() + at;
        assert!(xmp[at..end].contains(&want), "{tag} ≠ {key} {want}:\n{xmp}");
    }
    assert!(xmp.contains("<xmp:CreateDate>2022-01-27T00:00:00Z</xmp:CreateDate>"));
    assert!(field("CreationDate:").contains("2022"));
    assert!(xmp.contains("<rdf:li>zh-CN</rdf:li>"));
}

/// The outline (PDF bookmarks, OFD outline) is taken from the document's headings where the
/// pages put them. Checked against the laid-out runs themselves: on the page of each outline
/// item a run reads its heading and its line starts at the item's top. Section 五 grows line by
/// line so that, for some length, section 六 (heading and a three-line paragraph) is carried to
/// the next page with the 落款 (GB/T 9704: the signature never stands alone) — the heading
/// must be found where it landed, not where it was first placed.
#[test]
fn the_outline_points_at_each_heading_where_it_landed() {
    let mut carried = false;
    for k in 0..24 {
        let mut r = seed_report();
        r.problems.intro = Text(vec!["一行文字。"; k].join("\n\n"));
        r.other.intro = Text("其他事项".repeat(20));
        r.other.subsections.clear();
        let doc = Document::of(&r);
        let laid = paged::layout(&doc, fonts()).unwrap();
        let titles: Vec<&str> = laid.outline.iter().map(|o| o.title.as_str()).collect();
        assert_eq!(titles, doc.headings().collect::<Vec<_>>(), "k = {k}");
        for o in &laid.outline {
            let page = &laid.pages[o.page];
            let run = page
                .runs
                .iter()
                .find(|run| run.text.trim() == o.title)
                .unwrap_or_else(|| panic!("k = {k}: {} not on page {}", o.title, o.page + 1));
            assert!(
                (run.y - run.size - o.top()).abs() < 0.01,
                "k = {k}: {} at {} on its page, outline says {}",
                o.title,
                run.y - run.size,
                o.top()
            );
        }
        // Section 六's heading opens its page: carried there with its text and the 落款.
        let last = laid.outline.last().unwrap();
        let first_run = laid.pages[last.page]
            .runs
            .iter()
            .min_by(|a, b| a.y.total_cmp(&b.y))
            .unwrap();
        carried |= first_run.text.trim() == last.title && last.page > 0;
    }
    assert!(carried, "no length carried section 六 to a new page");
}
