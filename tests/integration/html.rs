//! HTML output: read back with an HTML5 parser (html5ever via scraper), compared with the format
//! grids and with the PDF's text, and opened in headless Chromium with the axe-core rules.
//!
//! Set `HTML_OUT=dir` to keep the pages, screenshots and printed PDFs for a look.

use crate::common;

use common::{example_report, fonts, keep_dir, root, squash, without_folios, xxgk};
use scraper::{ElementRef, Html, Selector};
use std::path::{Path, PathBuf};
use std::process::Command;
use xxgk::model::{Count, Report, Signature, Subsection, Text};
use xxgk::render::{document::Document, html, render, Format};
use xxgk::spec::format::{self, CellRole, Content, SectionKind, TableGrid, ValueRef};

const EXAMPLES: [&str; 2] = ["langfang-2021.yaml", "demo-2023.yaml"];

fn page_of(r: &Report) -> String {
    String::from_utf8(html::render(&Document::of(r))).expect("UTF-8")
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn parse(page: &str) -> Html {
    let doc = Html::parse_document(page);
    assert!(
        doc.errors.is_empty(),
        "HTML5 parse errors: {:?}",
        doc.errors
    );
    doc
}

/// The text of an element as read: without what is hidden from readers (`aria-hidden`: the
/// scroll hint a phone shows).
fn text(e: ElementRef) -> String {
    e.descendants()
        .filter_map(|n| n.value().as_text().map(|t| (n, t)))
        .filter(|(n, _)| {
            !n.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|el| el.attr("aria-hidden") == Some("true"))
            })
        })
        .map(|(_, t)| t.to_string())
        .collect()
}

/// A report with every kind of content: subsections, notes, a fee, a signature.
fn full_report() -> Report {
    let mut r = example_report("demo-2023.yaml");
    r.problems.subsections = vec![
        Subsection {
            title: "整改".into(),
            body: Text("第一段。\n\n第二段。".into()),
        },
        Subsection {
            title: "下一步".into(),
            body: Text::default(),
        },
    ];
    r
}

#[test]
fn page_is_one_self_contained_valid_html5_document() {
    for name in EXAMPLES {
        let r = example_report(name);
        let page = page_of(&r);
        assert!(
            page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"),
            "{name}"
        );
        let doc = parse(&page);
        let charset = doc.select(&sel("head meta[charset]")).next().unwrap();
        assert_eq!(charset.value().attr("charset"), Some("utf-8"));
        let title = text(doc.select(&sel("head title")).next().unwrap());
        assert_eq!(title, r.title_text());
        let viewport = doc.select(&sel("meta[name=viewport]")).next().unwrap();
        assert!(!viewport
            .value()
            .attr("content")
            .unwrap()
            .contains("user-scalable"));
        // Nothing from outside, no scripts, no classes (editors drop them), no Word clutter.
        // The one `<script>` is the report's data in the head: JSON, which no browser runs.
        let scripts: Vec<_> = doc.select(&sel("script")).collect();
        assert_eq!(scripts.len(), 1, "{name}");
        assert_eq!(scripts[0].value().attr("type"), Some("application/json"));
        assert_eq!(scripts[0].value().attr("id"), Some("xxgk-data"));
        assert!(doc.select(&sel("body script")).next().is_none(), "{name}");
        for bad in [
            "script:not(#xxgk-data)",
            "link",
            "img",
            "iframe",
            "object",
            "embed",
            "[src]",
            "[class]",
        ] {
            assert!(doc.select(&sel(bad)).next().is_none(), "{name}: {bad}");
        }
        let lower = page.to_ascii_lowercase();
        for bad in ["url(", "@import", "http:", "https:", "mso-", "javascript:"] {
            assert!(!lower.contains(bad), "{name}: {bad}");
        }
        // Every element of the report carries its look inline: every cell has its border.
        for cell in doc.select(&sel("main td, main th")) {
            let st = cell.value().attr("style").unwrap_or_default();
            assert!(st.contains("border:1px solid #000"), "{name}: {st}");
        }
        for e in doc.select(&sel("main h1, main h2, main h3, main p, main table")) {
            let st = e.value().attr("style").unwrap_or_default();
            assert!(
                st.contains("font-family:") || e.value().name() == "p",
                "{name}: {st}"
            );
        }
        // Small enough for a site editor's paste: the text, its inline styles and the data
        // block (about 10 KB of the 103 KB of langfang).
        assert!(page.len() < 128 * 1024, "{name}: {} bytes", page.len());
    }
}

#[test]
fn headings_are_h1_to_h3_in_order() {
    let r = full_report();
    let doc = parse(&page_of(&r));
    let got: Vec<(u8, String)> = doc
        .select(&sel("h1, h2, h3, h4, h5, h6"))
        .map(|h| (h.value().name().as_bytes()[1] - b'0', text(h)))
        .collect();
    let mut want = vec![(1u8, r.title_lines().concat())];
    for def in format::SECTIONS.iter() {
        want.push((2, def.heading()));
        if let SectionKind::Text(which) = def.kind {
            for (j, s) in r.text_section(which).subsections.iter().enumerate() {
                want.push((3, s.heading(j)));
            }
        }
    }
    assert_eq!(got, want);
    assert_eq!(doc.select(&sel("h1")).count(), 1);
    // A subsection's text runs on after its heading, as in the PDF.
    let h3 = doc.select(&sel("h3")).next().unwrap();
    let block = ElementRef::wrap(h3.parent().unwrap()).unwrap();
    assert_eq!(block.value().name(), "div");
    assert!(text(block).starts_with("（一）主动公开。全年主动公开政府信息"));
    assert_eq!(doc.select(&sel("main")).count(), 1, "one main landmark");
}

#[test]
fn a_report_without_texts_or_signature_still_has_its_outline() {
    let r = Report {
        body: "某县人民政府办公室".into(),
        ..Default::default()
    };
    let doc = parse(&page_of(&r));
    let h: Vec<String> = doc.select(&sel("h1, h2, h3")).map(text).collect();
    let mut want = vec!["某县人民政府办公室2021年政府信息公开工作年度报告".to_string()];
    want.extend(format::SECTIONS.iter().map(|s| s.heading()));
    assert_eq!(h, want);
    assert_eq!(doc.select(&sel("table")).count(), 3);
}

/// The DOM table read as a grid: (row, col, rowspan, colspan, tag, element) per cell, by the
/// HTML table model.
fn dom_grid(table: ElementRef) -> Vec<(usize, usize, usize, usize, ElementRef)> {
    let mut taken: Vec<Vec<bool>> = vec![];
    let mut out = vec![];
    for (r, tr) in table.select(&sel("tr")).enumerate() {
        let mut c = 0;
        for cell in tr.child_elements() {
            let span = |a: &str| {
                cell.value()
                    .attr(a)
                    .map_or(1, |v| v.parse::<usize>().unwrap())
            };
            let (rs, cs) = (span("rowspan"), span("colspan"));
            while taken.get(r).is_some_and(|row| row.get(c) == Some(&true)) {
                c += 1;
            }
            for rr in r..r + rs {
                if taken.len() <= rr {
                    taken.resize(rr + 1, vec![]);
                }
                if taken[rr].len() < c + cs {
                    taken[rr].resize(c + cs, false);
                }
                taken[rr][c..c + cs].fill(true);
            }
            out.push((r, c, rs, cs, cell));
            c += cs;
        }
    }
    out
}

fn check_table(name: &str, r: &Report, table: ElementRef, grid: &TableGrid) {
    let section = grid.id.section();
    let caption = table.select(&sel("caption")).next().unwrap();
    assert_eq!(text(caption), section.heading(), "{name}: caption");
    let dom = dom_grid(table);
    assert_eq!(
        dom.len(),
        grid.cells.len(),
        "{name} {}: cell count",
        grid.name()
    );
    assert_eq!(
        table.select(&sel("tr")).count(),
        grid.rows,
        "{name} {}",
        grid.name()
    );
    assert_eq!(table.select(&sel("thead tr")).count(), grid.header_rows);
    let cols: usize = table.select(&sel("colgroup col")).count();
    assert_eq!(cols, grid.columns());
    for c in &grid.cells {
        let &(_, _, rs, cs, e) = dom
            .iter()
            .find(|d| d.0 == c.row && d.1 == c.col)
            .unwrap_or_else(|| panic!("{name} {}: no cell at {:?}", grid.name(), c));
        let at = format!("{name} {} ({},{})", grid.name(), c.row, c.col);
        assert_eq!((rs, cs), (c.rowspan, c.colspan), "{at}: spans");
        let want_tag = if c.role == CellRole::Value {
            "td"
        } else {
            "th"
        };
        assert_eq!(e.value().name(), want_tag, "{at}");
        let got = text(e);
        match c.content {
            Content::Text(t) => assert_eq!(got, t, "{at}"),
            Content::Value(v) => {
                // Every number in its cell, as the report prints it.
                assert_eq!(got, r.cell_text(v), "{at} {}", v.path());
                let zero_blank = !r.prints_zero(v) && r.cell_text(v).is_empty();
                if !zero_blank {
                    let number = match r.cell(v) {
                        xxgk::model::CellValue::Count(n) => n.value.to_string(),
                        xxgk::model::CellValue::Amount(a) => a.value.to_string(),
                    };
                    assert!(got.starts_with(&number), "{at}: {got} lacks {number}");
                }
                // Its headers are header cells of the same table.
                let ids = e.value().attr("headers").expect("headers on every td");
                for id in ids.split_whitespace() {
                    let h = table
                        .select(&sel(&format!("th[id=\"{id}\"]")))
                        .next()
                        .unwrap_or_else(|| panic!("{at}: header {id} not in table"));
                    assert_ne!(text(h), "");
                }
            }
        }
        if c.role == CellRole::Header {
            assert_eq!(e.value().attr("scope"), Some("col"), "{at}");
        }
    }
}

/// What a screen reader reads with a cell: the texts of its `headers`.
fn header_texts(doc: &Html, cell: ElementRef) -> Vec<String> {
    cell.value()
        .attr("headers")
        .unwrap_or_default()
        .split_whitespace()
        .map(|id| text(doc.select(&sel(&format!("[id=\"{id}\"]"))).next().unwrap()))
        .collect()
}

#[test]
fn tables_have_the_official_merged_cells_and_every_number() {
    let mut reports: Vec<(String, Report)> = EXAMPLES
        .iter()
        .map(|n| (n.to_string(), example_report(n)))
        .collect();
    // Distinct numbers everywhere, a note and a fee with decimals.
    let mut distinct = example_report("demo-2023.yaml");
    for (k, g) in format::tables().iter().enumerate() {
        for (_, v) in g.values() {
            if let Some(c) = distinct.cell_mut_count(v) {
                *c = Count::new(1000 * k as u64 + c.value + 1);
            }
        }
    }
    distinct.table3.cells[0][0].note = Some("含网上申请30件".into());
    reports.push(("distinct".into(), distinct));
    for (name, r) in &reports {
        let doc = parse(&page_of(r));
        let tables: Vec<ElementRef> = doc.select(&sel("table")).collect();
        assert_eq!(tables.len(), 3, "{name}");
        for (table, grid) in tables.into_iter().zip(format::tables()) {
            check_table(name, r, table, &grid);
        }
    }
    // A cell of table 三 is announced with its row and its columns.
    let r = &reports[1].1;
    let doc = parse(&page_of(r));
    let t3 = doc.select(&sel("table")).nth(1).unwrap();
    let dom = dom_grid(t3);
    let grid = format::table3_grid();
    let cell = |v: ValueRef| {
        let g = grid
            .cells
            .iter()
            .find(|c| c.content == Content::Value(v))
            .unwrap();
        dom.iter().find(|d| d.0 == g.row && d.1 == g.col).unwrap().4
    };
    assert_eq!(
        header_texts(&doc, cell(ValueRef::T3 { row: 0, col: 0 })),
        ["一、本年新收政府信息公开申请数量", "申请人情况", "自然人"]
    );
    assert_eq!(
        header_texts(&doc, cell(ValueRef::T3 { row: 12, col: 6 })),
        [
            "三、本年度办理结果",
            "（四）无法提供",
            "1.本机关不掌握相关政府信息",
            "申请人情况",
            "总计"
        ]
    );
    let t4 = doc.select(&sel("table")).nth(2).unwrap();
    let last = t4.select(&sel("td")).last().unwrap();
    assert_eq!(header_texts(&doc, last), ["行政诉讼", "复议后起诉", "总计"]);
    // Unique ids in the page.
    let ids: Vec<&str> = doc
        .select(&sel("[id]"))
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate ids");
}

/// Compares the page's text with the PDF's, character by character, where the PDF may repeat a
/// table's header rows and its tall row labels on the page where the table goes on (layout, not
/// text).
fn same_text_apart_from_layout(name: &str, page: &str, pdf: &str, repeats: &[String]) {
    let (h, p): (Vec<char>, Vec<char>) = (page.chars().collect(), pdf.chars().collect());
    let (mut i, mut j) = (0, 0);
    let starts = |v: &[char], at: usize, s: &str| {
        let s: Vec<char> = s.chars().collect();
        v.len() >= at + s.len() && v[at..at + s.len()] == s[..]
    };
    while i < h.len() || j < p.len() {
        if let Some(s) = repeats
            .iter()
            .find(|s| starts(&p, j, s) && !starts(&h, i, s))
        {
            j += s.chars().count();
            continue;
        }
        if i < h.len() && j < p.len() && h[i] == p[j] {
            i += 1;
            j += 1;
            continue;
        }
        let ctx = |v: &[char], k: usize| -> String {
            v[k.saturating_sub(30)..(k + 50).min(v.len())]
                .iter()
                .collect()
        };
        panic!(
            "{name}: the page's text and the PDF's differ\n page: …{}\n  pdf: …{}",
            ctx(&h, i),
            ctx(&p, j)
        );
    }
}

#[test]
fn text_equals_the_pdf_text_apart_from_layout() {
    let fonts = fonts();
    let dir = keep_dir("HTML_OUT", "pdf-text");
    let mut reports: Vec<(String, Report)> = EXAMPLES
        .iter()
        .map(|n| (n.trim_end_matches(".yaml").to_string(), example_report(n)))
        .collect();
    reports.push(("full".into(), full_report()));
    for (name, r) in &reports {
        let pdf_path = dir.join(format!("{name}.pdf"));
        std::fs::write(&pdf_path, render(r, Format::Pdf, Some(fonts)).unwrap()).unwrap();
        let pdf_text = without_folios(&squash(&common::pdf_text(&pdf_path, None)));
        let page = page_of(r);
        let doc = parse(&page);
        let main = doc.select(&sel("main")).next().unwrap();
        let page_text = squash(&text(main));
        // What a continued table repeats: its header rows, and labels that span rows.
        let mut repeats = vec![];
        for (table, grid) in doc.select(&sel("table")).zip(format::tables()) {
            if let Some(head) = table.select(&sel("thead")).next() {
                repeats.push(squash(&text(head)));
            }
            for c in grid.cells.iter().filter(|c| c.rowspan > 1) {
                if let Content::Text(t) = c.content {
                    if c.row >= grid.header_rows {
                        repeats.push(squash(t));
                    }
                }
            }
        }
        same_text_apart_from_layout(name, &page_text, &pdf_text, &repeats);
    }
}

#[test]
fn same_input_same_bytes() {
    let r = full_report();
    let a = html::render(&Document::of(&r));
    let b = std::thread::scope(|s| s.spawn(|| html::render(&Document::of(&r))).join().unwrap());
    assert!(a == b, "two renders differ");
    // Through the command, twice.
    let dir = tempfile::tempdir().unwrap();
    let input = root().join("examples/demo-2023.yaml");
    let input = input.to_str().unwrap();
    for out in ["a", "b"] {
        let (code, _, err) = xxgk(&["render", input, "-o", out, "--to", "html"], dir.path());
        assert_eq!(code, 0, "{err}");
        let names: Vec<String> = std::fs::read_dir(dir.path().join(out))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["demo-2023.html"], "only the page is written");
    }
    let a = std::fs::read(dir.path().join("a/demo-2023.html")).unwrap();
    let b = std::fs::read(dir.path().join("b/demo-2023.html")).unwrap();
    assert!(a == b);
    // The command renders with the fonts (the page's print rules follow the PDF's pages).
    let report = example_report("demo-2023.yaml");
    assert!(a == render(&report, Format::Html, Some(fonts())).unwrap());
}

#[test]
fn text_from_the_input_is_escaped() {
    let mut r = full_report();
    r.body = "某局<script>alert(1)</script>&amp;\"'".into();
    r.preface = Text("前言<b>粗</b> & <!-- 注释 --> \u{0}结束".into());
    r.overview.subsections[0].title = "<h2>标题</h2>".into();
    r.table2.documents[0][0].note = Some("</td><td>".into());
    r.signature = Some(Signature {
        body: "<i>落款</i>".into(),
        date: None,
    });
    let page = page_of(&r);
    let doc = parse(&page);
    assert!(doc
        .select(&sel("script:not(#xxgk-data), body script, b, i"))
        .next()
        .is_none());
    assert_eq!(doc.select(&sel("h2")).count(), 6);
    let main = text(doc.select(&sel("main")).next().unwrap());
    assert!(main.contains("某局<script>alert(1)</script>&amp;\"'"));
    assert!(main.contains("前言<b>粗</b> & <!-- 注释 --> \u{FFFD}结束"));
    assert!(main.contains("<i>落款</i>"));
    let title = text(doc.select(&sel("title")).next().unwrap());
    assert!(title.starts_with("某局<script>"));
}

fn copy_example(name: &str, to: &Path) {
    std::fs::copy(root().join("examples").join(name), to.join(name)).unwrap();
}

#[test]
fn batch_writes_an_index_page_with_links_to_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("县 区")).unwrap();
    copy_example("langfang-2021.yaml", &input);
    copy_example("demo-2023.yaml", &input.join("县 区"));
    std::fs::write(
        input.join("坏.yaml"),
        "机关: 某局\n年度: 2021\n申请情况: [1\n",
    )
    .unwrap();
    let (code, _, err) = xxgk(
        &["batch", "in", "-o", "out", "--to", "html,xlsx", "-j", "2"],
        dir.path(),
    );
    assert_eq!(code, 1, "{err}");
    let out = dir.path().join("out");
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    let doc = parse(&page);
    let rows: Vec<ElementRef> = doc.select(&sel("tbody tr")).collect();
    assert_eq!(rows.len(), 3);
    let all = text(doc.select(&sel("main")).next().unwrap());
    for want in [
        "廊坊市人民政府办公室",
        "青山县市场监督管理局",
        "坏.yaml",
        "通过",
        "数据有误",
    ] {
        assert!(all.contains(want), "{want} in {all}");
    }
    // Every link leads to a file that was written; each good body links its page, Excel file.
    let links: Vec<&str> = doc
        .select(&sel("a[href]"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(links.len(), 2 * 3, "{links:?}");
    for l in &links {
        let path = l.replace("%20", " ");
        assert!(out.join(&path).is_file(), "{l}");
    }
    assert!(links.contains(&"县%20区/demo-2023.html"), "{links:?}");
    // Key figures of the demo: 52 new, 28 disclosed, 4 carried over, 3 reviews, 2 suits.
    let demo = rows.iter().find(|r| text(**r).contains("青山县")).unwrap();
    let cells: Vec<String> = demo.select(&sel("td")).map(text).collect();
    assert_eq!(cells[1..8], ["2023", "通过", "52", "28", "4", "3", "2"]);
    // Without html, no index.
    let (code, _, err) = xxgk(&["batch", "in", "-o", "out2", "--to", "xlsx"], dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(!dir.path().join("out2/index.html").exists());
    // Same inputs, same bytes.
    let (_, _, _) = xxgk(
        &["batch", "in", "-o", "out3", "--to", "html,xlsx", "-j", "1"],
        dir.path(),
    );
    let again = std::fs::read_to_string(dir.path().join("out3/index.html")).unwrap();
    assert!(again == page, "index differs between runs");
}

// --- In a real browser -------------------------------------------------------------------------

const INSTALL: &str = "bash .ci/install-tools.sh";

/// Runs `tests/browser/axe.js` on a page: screenshots at 1280 and 390 px, a printed PDF and the
/// axe-core results.
fn axe(page: &Path, out: &Path) -> serde_json::Value {
    let browser = root().join("tests/browser");
    for need in ["node_modules/puppeteer-core", "node_modules/axe-core"] {
        assert!(
            browser.join(need).is_dir(),
            "tests/browser/{need} is missing: run `{INSTALL}` (npm ci in tests/browser)"
        );
    }
    assert!(
        Path::new("/usr/bin/chromium").exists() || std::env::var_os("CHROMIUM").is_some(),
        "Debian's chromium is missing: run `{INSTALL}`"
    );
    let run = Command::new("node")
        .arg(browser.join("axe.js"))
        .arg(page)
        .arg(out)
        .output()
        .unwrap_or_else(|e| panic!("node is needed for the browser test: run `{INSTALL}` ({e})"));
    assert!(
        run.status.success(),
        "axe.js failed (run `{INSTALL}`): {}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).expect("axe.js prints JSON")
}

fn pdfinfo(path: &Path) -> String {
    common::run("pdfinfo", &[path.to_str().unwrap()]).1
}

pub(crate) fn check_in_browser(name: &str, page_path: &Path, out: &Path) -> serde_json::Value {
    let res = axe(page_path, out);
    let runs = res["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    for run in runs {
        let which = run["name"].as_str().unwrap();
        let violations = run["violations"].as_array().unwrap();
        assert!(
            violations.is_empty(),
            "{name} at {which}: axe-core violations:\n{}",
            serde_json::to_string_pretty(violations).unwrap()
        );
        // Reflow: the page itself never scrolls sideways; tables scroll in their own box.
        assert!(
            run["scrollWidth"].as_u64().unwrap() <= run["width"].as_u64().unwrap(),
            "{name} at {which}: page wider than the screen ({})",
            run["scrollWidth"]
        );
        let shot = PathBuf::from(run["screenshot"].as_str().unwrap());
        assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "{shot:?}");
        eprintln!("{name} at {which}: screenshot {}", shot.display());
    }
    assert_eq!(
        res["requests"].as_array().unwrap().len(),
        0,
        "{name}: the page loaded something: {}",
        res["requests"]
    );
    res
}

#[test]
fn pages_pass_axe_core_in_headless_chromium() {
    for name in EXAMPLES {
        let stem = name.trim_end_matches(".yaml");
        let dir = keep_dir("HTML_OUT", &format!("browser-{stem}"));
        let page_path = dir.join(format!("{stem}.html"));
        std::fs::write(
            &page_path,
            html::render(&Document::of(&example_report(name))),
        )
        .unwrap();
        let res = check_in_browser(stem, &page_path, &dir);
        // The print stylesheet: A4 pages, the text and the page numbers as in the PDF.
        let printed = PathBuf::from(res["pdf"].as_str().unwrap());
        let info = pdfinfo(&printed);
        assert!(
            info.contains("(A4)"),
            "{stem}: printed pages are not A4:\n{info}"
        );
        let t = squash(&common::pdf_text(&printed, None));
        assert!(t.contains("—1—"), "{stem}: page numbers when printed: {t}");
        assert!(t.contains(&squash(format::T3_CORNER_NOTE)), "{stem}");
    }
}

/// What a site's editor keeps of a pasted page: the body's markup with its inline styles, no
/// `<style>` block, no page head; the site's own page puts it in its `<main>`.
fn as_pasted(page: &str) -> String {
    let start = page
        .find("<main")
        .and_then(|i| page[i..].find('>').map(|k| i + k + 1));
    let end = page.rfind("</main>");
    let (Some(start), Some(end)) = (start, end) else {
        panic!("no <main> in the page");
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><title>网站页面</title></head>\n<body><main>\n{}</main></body>\n</html>\n",
        &page[start..end]
    )
}

#[test]
fn pasted_into_a_site_editor_the_body_keeps_its_look_and_passes_axe_core() {
    let r = example_report("demo-2023.yaml");
    let dir = keep_dir("HTML_OUT", "browser-pasted");
    let page_path = dir.join("pasted.html");
    let pasted = as_pasted(&page_of(&r));
    assert!(!pasted.contains("<style") && !pasted.contains("class="));
    std::fs::write(&page_path, &pasted).unwrap();
    check_in_browser("pasted", &page_path, &dir);
}

#[test]
fn batch_index_passes_axe_core_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    for name in EXAMPLES {
        copy_example(name, &input);
    }
    let out = keep_dir("HTML_OUT", "browser-index");
    let (code, _, err) = xxgk(
        &["batch", "in", "-o", out.to_str().unwrap(), "--to", "html"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    check_in_browser("index", &out.join("index.html"), &out);
}

/// The lines Chromium breaks the title and every header cell into, at each width
/// (`tests/browser/lines.js`), and the height of each table's scroll hint.
fn browser_lines(page: &Path, widths: &[&str]) -> serde_json::Value {
    let script = root().join("tests/browser/lines.js");
    let run = Command::new("node")
        .arg(&script)
        .arg(page)
        .args(widths)
        .current_dir(root().join("tests/browser"))
        .output()
        .unwrap_or_else(|e| panic!("node is needed for the browser test: run `{INSTALL}` ({e})"));
    assert!(
        run.status.success(),
        "lines.js failed (run `{INSTALL}`): {}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).expect("lines.js prints JSON")
}

/// Words of the labels and the title as a reader sees them (written here, not the renderer's
/// list): no line on screen ends inside one.
const SCREEN_WORDS: &[&str] = &[
    "本年度",
    "办理",
    "结果",
    "不予",
    "公开",
    "无法",
    "提供",
    "处理",
    "其他",
    "本机关",
    "不掌握",
    "政府信息",
    "国家秘密",
    "商业",
    "企业",
    "科研",
    "机构",
    "社会",
    "公益",
    "组织",
    "法律",
    "服务",
    "自然人",
    "维持",
    "纠正",
    "尚未",
    "审结",
    "年度报告",
    "年度",
    "报告",
    "制发",
    "废止",
    "件数",
];

fn breaks_inside_a_word(lines: &[String]) -> Option<String> {
    let text: String = lines.concat();
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    for l in &lines[..lines.len().saturating_sub(1)] {
        at += l.chars().count();
        for w in SCREEN_WORDS {
            let word: Vec<char> = w.chars().collect();
            let n = word.len();
            for start in 0..chars.len().saturating_sub(n - 1) {
                if chars[start..start + n] == word[..] && start < at && at < start + n {
                    return Some(format!("{lines:?} breaks inside “{w}”"));
                }
            }
        }
        // An item number never ends a line alone.
        if l.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
            .is_empty()
        {
            return Some(format!("{lines:?}: “{l}” alone on a line"));
        }
    }
    None
}

/// On a desktop (1280 px) and a phone (390 px): labels break only between their words
/// (`（三）/不予/公开`, never `不/予公开`), item numbers stay with their words, the title never
/// breaks `年/度报告`; on the phone table 三 says that it scrolls sideways (the hint has a
/// height there and none on the desktop); axe-core finds nothing at either width. Printed by
/// Chromium, the page takes as many pages as the PDF, table 三's last row and the 落款 never
/// alone.
#[test]
fn labels_and_title_break_between_words_and_a_phone_is_told_the_table_scrolls() {
    let dir = keep_dir("HTML_OUT", "browser-words");
    for name in EXAMPLES {
        let stem = name.trim_end_matches(".yaml");
        let mut r = example_report(name);
        // A long body name in the title as well.
        r.title = Some(vec![
            "黔东南苗族侗族自治州从江县人民政府办公室".to_string(),
            xxgk::spec::format::title_tail(r.year),
        ]);
        let page_path = dir.join(format!("{stem}.html"));
        // Rendered as `xxgk render` does: with the fonts, so that its print rules follow the
        // pages of the PDF.
        std::fs::write(&page_path, render(&r, Format::Html, Some(fonts())).unwrap()).unwrap();
        let pdf_path = dir.join(format!("{stem}.pdf"));
        std::fs::write(&pdf_path, render(&r, Format::Pdf, Some(fonts())).unwrap()).unwrap();
        let printed = check_in_browser(stem, &page_path, &dir.join(stem));
        // Printed: table 三's last row never alone under a repeated header, the 落款 never
        // alone on its page (pdftotext's reading of Chromium's PDF).
        let printed = PathBuf::from(printed["pdf"].as_str().unwrap());
        let pages: Vec<String> = (1..=40)
            .map_while(|n| {
                let (ok, out, _) = common::run(
                    "pdftotext",
                    &[
                        "-f",
                        &n.to_string(),
                        "-l",
                        &n.to_string(),
                        printed.to_str().unwrap(),
                        "-",
                    ],
                );
                ok.then(|| squash(&out))
            })
            .collect();
        let pdf_pages = pdfinfo(&pdf_path)
            .lines()
            .find_map(|l| {
                l.strip_prefix("Pages:")
                    .map(|n| n.trim().parse::<usize>().unwrap())
            })
            .unwrap();
        assert_eq!(
            pages.len(),
            pdf_pages,
            "{stem}: printed from Chromium in {} pages, the PDF has {pdf_pages}",
            pages.len()
        );
        let page_with = |t: &str| pages.iter().position(|p| p.contains(t));
        assert_eq!(
            page_with("四、结转下年度继续办理"),
            page_with("（七）总计"),
            "{stem}: table 三's last row printed apart from the row before"
        );
        let sig = r.signature.as_ref().unwrap().body.clone();
        let on = page_with(&sig).unwrap();
        let before = pages[on].split(sig.as_str()).next().unwrap();
        assert!(
            before
                .chars()
                .filter(|c| !c.is_ascii_digit() && *c != '—')
                .count()
                > 10,
            "{stem}: the 落款 printed alone on page {}",
            on + 1
        );
        let res = browser_lines(&page_path, &["1280", "390"]);
        for width in ["1280", "390"] {
            let at = &res[width];
            let lines = |v: &serde_json::Value| -> Vec<String> {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l.as_str().unwrap().to_string())
                    .collect()
            };
            let title = lines(&at["title"]);
            assert!(title.len() >= 2, "{stem} at {width}: title {title:?}");
            if let Some(why) = breaks_inside_a_word(&title) {
                panic!("{stem} at {width}: title {why}");
            }
            for cell in at["cells"].as_array().unwrap() {
                if let Some(why) = breaks_inside_a_word(&lines(cell)) {
                    panic!("{stem} at {width}: {why}");
                }
            }
            let hint = at["hints"]["t3-caption"].as_f64().unwrap();
            if width == "390" {
                assert!(
                    hint >= 10.0,
                    "{stem}: no scroll hint on a phone ({hint} px)"
                );
            } else {
                assert!(hint < 1.0, "{stem}: a scroll hint on a desktop ({hint} px)");
            }
        }
    }
}

/// Pasted into a site whose stylesheet sets its own colour, size and face for headings, text
/// and cells (`h2{color:#c00;font-size:12px}`, `td{color:#333;font-size:12px}` …), the report
/// keeps its own: every heading and cell as computed by Chromium. And the inline styles name
/// no face that only the page's `<style>` defines.
#[test]
fn pasted_under_a_site_stylesheet_headings_and_cells_keep_their_colour_and_size() {
    let r = example_report("langfang-2021.yaml");
    let page = page_of(&r);
    let pasted = as_pasted(&page);
    assert!(
        !pasted.contains("xxgk-latin"),
        "the body names a face only <style> defines"
    );
    let site = pasted.replace(
        "<title>网站页面</title>",
        "<title>网站页面</title><style>body{color:#333;font:12px Arial}h1,h2,h3{color:#c00;font-size:12px;font-family:Arial}p{color:#555;font-size:12px}th,td{color:#333;font-size:12px;font-family:Arial}</style>",
    );
    let dir = keep_dir("HTML_OUT", "browser-site");
    let path = dir.join("site.html");
    std::fs::write(&path, &site).unwrap();
    let script = dir.join("computed.js");
    std::fs::write(
        &script,
        r#"const puppeteer = require(process.argv[3] + '/node_modules/puppeteer-core');
(async () => {
  const b = await puppeteer.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  const p = await b.newPage();
  await p.goto('file://' + process.argv[2]);
  const out = await p.evaluate(() => [...document.querySelectorAll('h1,h2,h3,p:not([aria-hidden]),th,td')].map((e) => {
    const s = getComputedStyle(e);
    return [e.tagName, s.color, s.fontSize, s.fontFamily.split(',')[0]];
  }));
  await b.close();
  process.stdout.write(JSON.stringify(out));
})();"#,
    )
    .unwrap();
    let browser = root().join("tests/browser");
    let run = Command::new("node")
        .arg(&script)
        .arg(&path)
        .arg(&browser)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let computed: Vec<(String, String, String, String)> =
        serde_json::from_slice(&run.stdout).unwrap();
    assert!(computed.len() > 100);
    for (tag, color, size, family) in &computed {
        assert_eq!(color, "rgb(0, 0, 0)", "{tag} takes the site's colour");
        let px: f64 = size.trim_end_matches("px").parse().unwrap();
        assert!(px > 12.5, "{tag} takes the site's size ({size})");
        assert!(!family.contains("Arial"), "{tag} takes the site's face");
    }
}
