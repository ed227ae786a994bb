//! Word output: unzip what `render::docx::render` wrote and check it against the format and the
//! report; convert it with LibreOffice and read the PDF back.

use crate::common;

use common::seed::seed_report as seed;
use common::BoxedWord as Word;
use common::{example_report as example, squash, zip_texts as unzip};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;
use std::process::Command;
use xxgk::model::{Amount, Count, Date, Decimal, Report, Section, Signature, Subsection, Text};
// The parts are read with the tests' own XML reader, not the writer's element tree.
use crate::common::xml::{Doc, Element, Node};

fn parse_doc(xml: &str) -> Doc {
    Doc::parse(xml)
}

// --- What the format asks, in Word's units ---------------------------------------------------
// Written out here from the standards (docs/FORMAT.md), not taken from the writer's constants,
// so that a wrong constant in the writer fails these tests instead of moving them along.

/// 三号 16 pt = 32 half-points; the title's 二号 22 pt = 44; table text 五号 10.5 pt = 21.
const SIZE_BODY: usize = 32;
const SIZE_TITLE: usize = 44;
const SIZE_TABLE: usize = 21;
/// 28 characters on the 156 mm line (8844 twips): each 16 pt character (320 twips) set 5
/// twips closer, 28 × 315 = 8820.
const TRACKING: i32 = -5;
/// 22 lines on the 225 mm block: 28.95 pt = 579 twips, exact; the title's own pitch 35 pt.
const LINE_PITCH: usize = 579;
const TITLE_PITCH: usize = 700;
/// The official face names (国办公开办函〔2021〕30号, GB/T 9704).
const FANGSONG: &str = "仿宋_GB2312";
const HEITI: &str = "黑体";
const KAITI: &str = "楷体_GB2312";
const SONGTI: &str = "宋体";
const TITLE_FACE: &str = "方正小标宋简体";
const LATIN: &str = "Times New Roman";
/// The paragraph style ids: part of the file's contract (a clerk's macros and the other tests
/// find paragraphs by them).
const STYLE_TITLE: &str = "GwTitle";
const STYLE_TITLE_DATE: &str = "GwTitleDate";
const STYLE_HEADING1: &str = "GwHeading1";
const STYLE_HEADING2: &str = "GwHeading2";
const STYLE_BODY: &str = "GwBody";
const STYLE_TABLE_TEXT: &str = "GwTableText";
const STYLE_SIGNATURE: &str = "GwSignature";

/// The Word file as `xxgk render` makes it: with the fonts, so its tables are set as the
/// PDF's pages set them.
fn render(r: &Report) -> Result<Vec<u8>, String> {
    xxgk::render::render(r, xxgk::render::Format::Docx, Some(common::fonts()))
        .map_err(|d| d.message)
}
use xxgk::spec::format::{self, Content};

// --- Reports ---------------------------------------------------------------------------------

fn count(v: u64) -> Count {
    Count::new(v)
}

fn sub(title: &str, body: &str) -> Subsection {
    Subsection {
        title: title.into(),
        body: Text(body.into()),
    }
}

/// A big city's report: thousands of applications, five subsections with several paragraphs in
/// every text section, notes in cells, zeros shown.
fn large() -> Report {
    let mut r = seed();
    r.body = "某某省某某市人民政府办公厅（市政务服务管理办公室）".into();
    r.show_zero = Some(true);
    r.title = None;
    let para = |i: usize, topic: &str| {
        format!(
            "围绕{topic}，本年度共组织专题培训{n}场次、覆盖{m}人次，编制工作指引{k}份。坚持以公开为常态、不公开为例外，\
             落实“五公开”要求，全面梳理本机关政府信息目录，完成第{i}轮清单动态调整，\
             及时回应社会关切，持续提升政府透明度和公信力（数据截至2025年12月31日，含ABC系统统计口径）。",
            n = 10 + i,
            m = 1200 + 37 * i,
            k = 3 + i
        )
    };
    let topics = [
        "主动公开情况",
        "依申请公开情况",
        "政府信息管理情况",
        "政府信息公开平台建设情况",
        "监督保障情况",
    ];
    let section = |offset: usize| Section {
        intro: Text(format!(
            "{}\n\n{}",
            para(offset, "总体部署"),
            para(offset + 1, "年度要点")
        )),
        subsections: topics
            .iter()
            .enumerate()
            .map(|(i, t)| {
                sub(
                    t,
                    &format!("{}\n\n{}\n\n{}", para(i, t), para(i + 5, t), para(i + 9, t)),
                )
            })
            .collect(),
    };
    r.overview = section(0);
    r.problems = section(20);
    r.other = section(40);
    r.table2.documents = [
        [count(12), count(3), count(245)],
        [
            Count::with_note(1022, Some("其中修订16件".into())),
            count(311),
            count(4480),
        ],
    ];
    r.table2.decisions = [count(123_456), count(98_765), count(4321)];
    r.table2.fee = Amount {
        value: Decimal::parse("59237.2449").unwrap(),
        note: None,
        blank: false,
    };
    for row in 0..format::T3_ROWS.len() {
        for col in 0..format::T3_TOTAL_COL {
            r.table3.cells[row][col] = count(((row * 7919 + col * 104_729) % 4000) as u64 + 1);
        }
    }
    r.table3.cells[3][2] = Count::with_note(15, Some("含转办3件".into()));
    for g in 0..3 {
        for c in 0..4 {
            r.table4.cells[g][c] = count((g * 97 + c * 31) as u64 + 5);
        }
    }
    r.compute_totals();
    r.signature = Some(Signature {
        body: r.body.clone(),
        date: Date::parse("2026-01-20"),
    });
    r
}

// --- Reading the package ---------------------------------------------------------------------

fn part(parts: &BTreeMap<String, String>, name: &str) -> Doc {
    parse_doc(parts.get(name).unwrap_or_else(|| panic!("{name} missing")))
}

/// document.xml as Word reads it: each paragraph's and run's properties with those of its
/// style (and the document defaults) filled in, see [`applied`].
fn document(r: &Report) -> Doc {
    let parts = unzip(&render(r).unwrap());
    applied(
        &part(&parts, "word/document.xml"),
        &part(&parts, "word/styles.xml"),
    )
}

// --- Styles as Word applies them --------------------------------------------------------------
// The paragraphs state only what differs from their style (issue 24 item 10), so most tests
// read the document with the styles applied, by these few rules of ECMA-376 §17.7.2 written
// here (not taken from the writer): a paragraph's properties are its style's, following
// `w:basedOn`, overridden by its own; a run's are the document defaults, then its paragraph
// style's run properties, then its own; attributes of one element (`w:ind`, `w:spacing`,
// `w:rFonts`) are inherited one by one.

/// `over`'s children merged into `base` by element name, attribute by attribute.
fn merge_props(base: &mut Element, over: &Element) {
    for c in over.elements() {
        let found = base.children.iter_mut().find_map(|n| match n {
            Node::Element(e) if e.name == c.name => Some(e),
            _ => None,
        });
        match found {
            Some(e) if !c.attrs.is_empty() => {
                for (k, v) in &c.attrs {
                    match e.attrs.iter_mut().find(|(n, _)| n == k) {
                        Some(a) => a.1 = v.clone(),
                        None => e.attrs.push((k.clone(), v.clone())),
                    }
                }
                e.children = c.children.clone();
            }
            Some(e) => *e = c.clone(),
            None => base.children.push(Node::Element(c.clone())),
        }
    }
}

/// The styles from the root of `id`'s `w:basedOn` chain down to `id`.
fn style_chain<'a>(sheet: &'a Doc, id: &str) -> Vec<&'a Element> {
    let mut chain = vec![];
    let mut at = Some(id.to_string());
    while let Some(id) = at {
        let Some(s) = sheet
            .root
            .elements()
            .find(|e| e.name == "w:style" && e.attr("w:styleId") == Some(id.as_str()))
        else {
            break;
        };
        chain.push(s);
        at = attr(s, &["w:basedOn"], "w:val").map(str::to_string);
        assert!(chain.len() < 10, "w:basedOn loops at {id}");
    }
    chain.reverse();
    chain
}

/// The document with every paragraph's `w:pPr` (and its mark's `w:rPr`) and every run's
/// `w:rPr` as Word applies them.
fn applied(doc: &Doc, sheet: &Doc) -> Doc {
    let defaults = path(&sheet.root, &["w:docDefaults", "w:rPrDefault", "w:rPr"])
        .cloned()
        .unwrap_or_else(|| Element {
            name: "w:rPr".into(),
            attrs: vec![],
            children: vec![],
        });
    fn walk(e: &mut Element, sheet: &Doc, defaults: &Element) {
        if e.name != "w:p" {
            for c in e.children.iter_mut() {
                if let Node::Element(c) = c {
                    walk(c, sheet, defaults);
                }
            }
            return;
        }
        let style = attr(e, &["w:pPr", "w:pStyle"], "w:val").unwrap_or("Normal");
        let chain = style_chain(sheet, style);
        let empty = |name: &str| Element {
            name: name.into(),
            attrs: vec![],
            children: vec![],
        };
        let mut ppr = empty("w:pPr");
        let mut rpr = defaults.clone();
        for s in &chain {
            if let Some(x) = s.child("w:pPr") {
                merge_props(&mut ppr, x);
            }
            if let Some(x) = s.child("w:rPr") {
                merge_props(&mut rpr, x);
            }
        }
        let own = e.child("w:pPr").cloned().unwrap_or_else(|| empty("w:pPr"));
        let mut mark = rpr.clone();
        if let Some(m) = own.child("w:rPr") {
            merge_props(&mut mark, m);
        }
        let mut own_props = own.clone();
        own_props
            .children
            .retain(|n| !matches!(n, Node::Element(x) if x.name == "w:rPr"));
        merge_props(&mut ppr, &own_props);
        ppr.children.push(Node::Element(mark));
        let mut children = vec![Node::Element(ppr)];
        for c in &e.children {
            match c {
                Node::Element(r) if r.name == "w:r" => {
                    let mut run = r.clone();
                    let mut props = rpr.clone();
                    if let Some(x) = r.child("w:rPr") {
                        merge_props(&mut props, x);
                    }
                    run.children
                        .retain(|n| !matches!(n, Node::Element(x) if x.name == "w:rPr"));
                    run.children.insert(0, Node::Element(props));
                    children.push(Node::Element(run));
                }
                Node::Element(x) if x.name == "w:pPr" => {}
                other => children.push(other.clone()),
            }
        }
        e.children = children;
    }
    let mut out = doc.clone();
    walk(&mut out.root, sheet, &defaults);
    out
}

fn body(doc: &Doc) -> &Element {
    doc.root.child("w:body").unwrap()
}

/// Top-level paragraphs of the body with their text.
fn paragraphs(doc: &Doc) -> Vec<(&Element, String)> {
    body(doc)
        .elements()
        .filter(|e| e.name == "w:p")
        .map(|p| (p, p.text()))
        .collect()
}

fn paragraph<'a>(doc: &'a Doc, starts: &str) -> &'a Element {
    paragraphs(doc)
        .into_iter()
        .find(|(_, t)| t.starts_with(starts))
        .unwrap_or_else(|| panic!("no paragraph {starts}"))
        .0
}

fn path<'a>(e: &'a Element, names: &[&str]) -> Option<&'a Element> {
    names.iter().try_fold(e, |e, n| e.child(n))
}

fn attr<'a>(e: &'a Element, names: &[&str], a: &str) -> Option<&'a str> {
    path(e, names).and_then(|x| x.attr(a))
}

fn tables(doc: &Doc) -> Vec<&Element> {
    body(doc).elements().filter(|e| e.name == "w:tbl").collect()
}

/// A cell read back: (first grid column, gridSpan, vMerge, the `w:tc`).
type Tc<'a> = (usize, usize, Option<String>, &'a Element);

/// A table read back as a grid of rows of cells.
fn grid_of(tbl: &Element) -> Vec<Vec<Tc<'_>>> {
    tbl.elements()
        .filter(|e| e.name == "w:tr")
        .map(|tr| {
            let mut col = 0;
            tr.elements()
                .filter(|e| e.name == "w:tc")
                .map(|tc| {
                    let span = attr(tc, &["w:tcPr", "w:gridSpan"], "w:val")
                        .map_or(1, |v| v.parse().unwrap());
                    let vmerge = path(tc, &["w:tcPr", "w:vMerge"])
                        .map(|v| v.attr("w:val").unwrap_or("continue").to_string());
                    let out = (col, span, vmerge, tc);
                    col += span;
                    out
                })
                .collect()
        })
        .collect()
}

fn cell_at<'a>(g: &'a [Vec<Tc<'a>>], row: usize, col: usize) -> &'a Tc<'a> {
    g[row]
        .iter()
        .find(|c| c.0 == col)
        .unwrap_or_else(|| panic!("no cell starts at ({row},{col})"))
}

fn find_label<'a>(g: &'a [Vec<Tc<'a>>], label: &str) -> (usize, &'a Tc<'a>) {
    for (r, row) in g.iter().enumerate() {
        if let Some(c) = row.iter().find(|c| c.3.text() == label) {
            return (r, c);
        }
    }
    panic!("label {label} not found")
}

fn run_fonts(p: &Element, nth: usize) -> &Element {
    let r = p.elements().filter(|e| e.name == "w:r").nth(nth).unwrap();
    path(r, &["w:rPr", "w:rFonts"]).unwrap()
}

fn run_size(p: &Element, nth: usize) -> &str {
    let r = p.elements().filter(|e| e.name == "w:r").nth(nth).unwrap();
    attr(r, &["w:rPr", "w:sz"], "w:val").unwrap()
}

/// Whether any run of `p` is bold (`w:b` on, as Word reads its value).
fn bold(p: &Element) -> bool {
    p.descendants("w:b")
        .iter()
        .any(|b| !matches!(b.attr("w:val"), Some("0" | "false" | "off")))
}

// --- Package, page, fonts --------------------------------------------------------------------

#[test]
fn page_size_margins_grid_and_footers() {
    let parts = unzip(&render(&seed()).unwrap());
    let doc = part(&parts, "word/document.xml");
    let sect = body(&doc).child("w:sectPr").unwrap();
    let pg = sect.child("w:pgSz").unwrap();
    assert_eq!(
        (pg.attr("w:w"), pg.attr("w:h")),
        (Some("11906"), Some("16838"))
    );
    let m = sect.child("w:pgMar").unwrap();
    let margins: Vec<i64> = ["w:top", "w:bottom", "w:left", "w:right"]
        .iter()
        .map(|a| m.attr(a).unwrap().parse().unwrap())
        .collect();
    // 37, 35, 28, 26 mm within half a millimetre; text width exactly 156 mm = 8844 twips.
    for (twips, mm) in margins.iter().zip([37.0, 35.0, 28.0, 26.0]) {
        assert!(
            (*twips as f64 / 56.6929 - mm).abs() < 0.5,
            "{twips} twips vs {mm} mm"
        );
    }
    assert_eq!(11906 - margins[2] - margins[3], 8844);
    let grid = sect.child("w:docGrid").unwrap();
    assert_eq!(
        (grid.attr("w:type"), grid.attr("w:linePitch")),
        (Some("lines"), Some("579"))
    );
    // 22 lines fit the 版心.
    assert!(22 * 579 <= 16838 - margins[0] - margins[1]);
    // References come first in w:sectPr (schema order), one default and one even footer.
    let kinds: Vec<_> = sect
        .elements()
        .take(2)
        .map(|e| (e.name.as_ref(), e.attr("w:type").unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("w:footerReference", "default"),
            ("w:footerReference", "even")
        ]
    );
    assert!(part(&parts, "word/settings.xml")
        .root
        .child("w:evenAndOddHeaders")
        .is_some());

    // Page numbers: — PAGE — in 四号宋体, odd right with one character, even left with one.
    let rels = parts["word/_rels/document.xml.rels"].clone();
    for (kind, jc, side) in [("default", "right", "w:right"), ("even", "left", "w:left")] {
        let id = sect
            .elements()
            .find(|e| e.attr("w:type") == Some(kind))
            .unwrap()
            .attr("r:id")
            .unwrap();
        let target = rels
            .split("<Relationship ")
            .find(|r| r.contains(&format!("Id=\"{id}\"")))
            .unwrap();
        let file = target
            .split("Target=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let footer = part(&parts, &format!("word/{file}"));
        let p = footer.root.child("w:p").unwrap();
        assert_eq!(attr(p, &["w:pPr", "w:jc"], "w:val"), Some(jc), "{kind}");
        assert_eq!(
            attr(p, &["w:pPr", "w:ind"], side),
            Some("280"),
            "{kind}: one 四号 character"
        );
        assert_eq!(p.text(), "\u{2014} 1 \u{2014}");
        let instr: Vec<_> = footer
            .root
            .descendants("w:instrText")
            .iter()
            .map(|e| e.all_text())
            .collect();
        assert_eq!(instr, ["PAGE"]);
        let fonts = run_fonts(p, 0);
        assert_eq!(fonts.attr("w:eastAsia"), Some("宋体"));
        assert_eq!(fonts.attr("w:ascii"), Some("宋体"));
        assert_eq!(run_size(p, 0), "28");
    }
}

#[test]
fn title_body_headings_and_run_in_subsections() {
    let r = seed();
    let doc = document(&r);
    let ps = paragraphs(&doc);
    // The date under the title: the seed's 落款 without its date, so that the publication date
    // stands there (one date per report).
    let mut undated = seed();
    undated.signature.as_mut().unwrap().date = None;
    let undated_doc = document(&undated);
    let tps = paragraphs(&undated_doc);
    // Title: two lines, 二号方正小标宋简体, centred, not bold; then the date, then one empty line.
    assert_eq!(
        r.title_lines(),
        ["廊坊市人民政府办公室", "2021年政府信息公开工作年度报告"]
    );
    for (i, line) in r.title_lines().iter().enumerate() {
        let (p, t) = &ps[i];
        assert_eq!(t, line);
        assert_eq!(attr(p, &["w:pPr", "w:jc"], "w:val"), Some("center"));
        assert_eq!(run_fonts(p, 0).attr("w:eastAsia"), Some("方正小标宋简体"));
        assert_eq!(run_size(p, 0), "44");
        assert!(!bold(p), "title is not bold");
    }
    assert_eq!(tps[2].1, "2022年1月27日");
    assert_eq!(attr(tps[2].0, &["w:pPr", "w:jc"], "w:val"), Some("center"));
    assert_eq!(
        run_fonts(tps[2].0, 0).attr("w:eastAsia"),
        Some("仿宋_GB2312")
    );
    // With the 落款's date, none under the title: the empty line, then the preface.
    assert_eq!(ps[2].1, "");
    assert!(ps[3].1.starts_with("依据《"), "{}", ps[3].1);
    assert!(run_size(tps[2].0, 0).parse::<u32>().unwrap() <= 32);
    assert_eq!(tps[3].1, "");
    assert!(
        tps[4]
            .1
            .starts_with("依据《中华人民共和国政府信息公开条例》"),
        "preface follows"
    );

    // Body: 三号仿宋_GB2312, TNR digits, justified, 2-character indent, exact 28.95 pt.
    let p = paragraph(&doc, "2021年，市政府办公室坚持");
    let f = run_fonts(p, 0);
    assert_eq!(
        (f.attr("w:eastAsia"), f.attr("w:ascii"), f.attr("w:hAnsi")),
        (
            Some("仿宋_GB2312"),
            Some("Times New Roman"),
            Some("Times New Roman")
        )
    );
    assert_eq!(run_size(p, 0), "32");
    assert_eq!(attr(p, &["w:pPr", "w:jc"], "w:val"), Some("both"));
    assert_eq!(attr(p, &["w:pPr", "w:ind"], "w:firstLine"), Some("640"));
    assert_eq!(
        attr(p, &["w:pPr", "w:ind"], "w:firstLineChars"),
        Some("200")
    );
    assert_eq!(attr(p, &["w:pPr", "w:spacing"], "w:line"), Some("579"));
    assert_eq!(
        attr(p, &["w:pPr", "w:spacing"], "w:lineRule"),
        Some("exact")
    );

    // Six headings in order, 三号黑体, indented, not bold.
    let headings: Vec<String> = format::SECTIONS.iter().map(|s| s.heading()).collect();
    let found: Vec<&String> = ps
        .iter()
        .map(|(_, t)| t)
        .filter(|t| headings.contains(t))
        .collect();
    assert_eq!(found, headings.iter().collect::<Vec<_>>());
    for h in &headings {
        let p = paragraph(&doc, h);
        assert_eq!(run_fonts(p, 0).attr("w:eastAsia"), Some("黑体"), "{h}");
        assert_eq!(run_size(p, 0), "32");
        assert_eq!(attr(p, &["w:pPr", "w:ind"], "w:firstLine"), Some("640"));
        assert!(!bold(p), "{h} is not bold");
        assert!(
            path(p, &["w:pPr", "w:keepNext"]).is_some(),
            "{h} kept with what follows"
        );
    }

    // Run-in subsections: 楷体 heading and 仿宋 text in one paragraph.
    for (i, s) in r.overview.subsections.iter().enumerate() {
        let head = s.heading(i);
        let p = paragraph(&doc, &head);
        let runs: Vec<&Element> = p.elements().filter(|e| e.name == "w:r").collect();
        assert_eq!(runs.len(), 2, "{head}");
        assert_eq!(runs[0].text(), head);
        assert_eq!(run_fonts(p, 0).attr("w:eastAsia"), Some("楷体_GB2312"));
        assert_eq!(run_fonts(p, 1).attr("w:eastAsia"), Some("仿宋_GB2312"));
        assert_eq!(runs[1].text(), s.body.paragraphs()[0]);
    }
    assert!(ps.iter().any(|(_, t)| t == "（一）主动公开。坚持把政府信息主动公开作为推进依法行政、建设法治政府的重要手段。按照公开是常态、不公开是例外的原则，对政府全体会议和常务会议讨论决定的重要事项、政府及其部门制定的涉及公共利益、公众关切、需要社会广泛知晓的政策文件，除依法需要保密外，全部及时主动准确向社会公开，提升政府信息对人民群众生产、生活和经济社会活动的服务作用。市政府门户网站全年更新各类政府信息10704条，累计通过政府信息公开专栏主动公开政策性文件、政策解读、工作动态等各类信息3066条，编制《廊坊市人民政府公报》4期，“廊坊政务”新浪微博发文2900余条，微信公众号发送文章360余次、2500余篇。"));

    // 落款 at the end: right-aligned body, then the date.
    let n = ps.len();
    assert_eq!(
        (ps[n - 2].1.as_str(), ps[n - 1].1.as_str()),
        ("廊坊市人民政府办公室", "2022年1月27日")
    );
    for (p, _) in &ps[n - 2..] {
        assert_eq!(attr(p, &["w:pPr", "w:jc"], "w:val"), Some("right"));
    }
    let right = |i: usize| {
        attr(ps[i].0, &["w:pPr", "w:ind"], "w:right")
            .unwrap()
            .parse::<i32>()
            .unwrap()
    };
    // Two characters of the body as set: 16 pt tracked to the 28-per-line grid (315 twips).
    let two = 2 * (320 + TRACKING);
    assert_eq!(right(n - 2), two, "署名右空二字");
    // The two lines as set, worked out by hand: 廊坊市人民政府办公室 is ten characters of 315
    // twips; 2022年1月27日 is seven Times New Roman digits of half an em (160 twips), three
    // characters of 320 and five changes of script of a fifth of an em (64, the gap Word and
    // LibreOffice put between Chinese and digits), less 5 twips of tracking for each of its ten
    // characters: 1120 + 960 + 320 − 50.
    let (name_w, date_w) = (3150, 2350);
    // Left edges measured from the right margin: the date starts two characters further right.
    assert!(
        ((two + name_w) - (right(n - 1) + date_w) - two).abs() <= 1,
        "日期首字比署名首字右移二字"
    );
}

#[test]
fn paragraphs_in_a_subsection_after_the_first_are_plain_body() {
    let mut r = seed();
    r.problems.subsections = vec![
        sub("改进措施", "第一段。\n\n第二段。\n\n第三段。"),
        sub("空分项", ""),
    ];
    let doc = document(&r);
    let ps = paragraphs(&doc);
    let i = ps
        .iter()
        .position(|(_, t)| t == "（一）改进措施。第一段。")
        .unwrap();
    assert_eq!(
        (
            ps[i + 1].1.as_str(),
            ps[i + 2].1.as_str(),
            ps[i + 3].1.as_str()
        ),
        ("第二段。", "第三段。", "（二）空分项。")
    );
    assert_eq!(
        run_fonts(ps[i + 1].0, 0).attr("w:eastAsia"),
        Some("仿宋_GB2312")
    );
    assert_eq!(
        attr(ps[i + 1].0, &["w:pPr", "w:ind"], "w:firstLine"),
        Some("640")
    );
}

#[test]
fn styles_default_to_fangsong_sanhao() {
    let parts = unzip(&render(&seed()).unwrap());
    let styles = part(&parts, "word/styles.xml");
    let rpr = path(&styles.root, &["w:docDefaults", "w:rPrDefault", "w:rPr"]).unwrap();
    let f = rpr.child("w:rFonts").unwrap();
    assert_eq!(
        (f.attr("w:eastAsia"), f.attr("w:ascii")),
        (Some("仿宋_GB2312"), Some("Times New Roman"))
    );
    assert_eq!(attr(rpr, &["w:sz"], "w:val"), Some("32"));
    assert_eq!(attr(rpr, &["w:lang"], "w:eastAsia"), Some("zh-CN"));
    let normal = styles
        .root
        .elements()
        .find(|e| e.attr("w:styleId") == Some("Normal"))
        .unwrap();
    assert_eq!(normal.attr("w:default"), Some("1"));
    // Every official face is declared in the font table with the GB2312 charset.
    let fonts = part(&parts, "word/fontTable.xml");
    for name in [
        "仿宋_GB2312",
        "黑体",
        "楷体_GB2312",
        "宋体",
        "方正小标宋简体",
    ] {
        let f = fonts
            .root
            .elements()
            .find(|e| e.attr("w:name") == Some(name))
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(attr(f, &["w:charset"], "w:val"), Some("86"));
    }
}

#[test]
fn document_properties_name_the_body_only() {
    let r = seed();
    let parts = unzip(&render(&r).unwrap());
    let core = part(&parts, "docProps/core.xml");
    let get = |n: &str| core.root.child(n).map(|e| e.text()).unwrap_or_default();
    assert_eq!(
        get("dc:title"),
        "廊坊市人民政府办公室2021年政府信息公开工作年度报告"
    );
    assert_eq!(get("dc:creator"), "廊坊市人民政府办公室");
    assert!(["", "廊坊市人民政府办公室"].contains(&get("cp:lastModifiedBy").as_str()));
    assert_eq!(get("dcterms:created"), "2022-01-27T00:00:00Z");
    assert_eq!(get("dcterms:modified"), "2022-01-27T00:00:00Z");
    let all: String = parts.values().cloned().collect();
    assert!(
        !all.contains("unknown"),
        "docx-rs's placeholder author is gone"
    );
}

// --- Tables ----------------------------------------------------------------------------------

#[test]
fn tables_have_the_official_grids_and_merges() {
    let r = seed();
    let doc = document(&r);
    let tbls = tables(&doc);
    assert_eq!(tbls.len(), 3);
    let cols: Vec<usize> = tbls
        .iter()
        .map(|t| t.child("w:tblGrid").unwrap().elements().count())
        .collect();
    assert_eq!(cols, [4, 10, 15]);
    for t in &tbls {
        let w: usize = t
            .child("w:tblGrid")
            .unwrap()
            .elements()
            .map(|c| c.attr("w:w").unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(w, 8844, "columns fill the 156 mm text width");
        assert_eq!(
            attr(t, &["w:tblPr", "w:tblLayout"], "w:type"),
            Some("fixed")
        );
        for side in [
            "w:top",
            "w:left",
            "w:bottom",
            "w:right",
            "w:insideH",
            "w:insideV",
        ] {
            assert_eq!(
                attr(t, &["w:tblPr", "w:tblBorders", side], "w:val"),
                Some("single"),
                "{side}"
            );
        }
        for tr in t.elements().filter(|e| e.name == "w:tr") {
            assert!(
                path(tr, &["w:trPr", "w:cantSplit"]).is_some(),
                "rows do not split"
            );
            for tc in tr.elements().filter(|e| e.name == "w:tc") {
                assert_eq!(attr(tc, &["w:tcPr", "w:vAlign"], "w:val"), Some("center"));
                // Every rule comes from the table's borders (cells set none of their own).
                assert!(path(tc, &["w:tcPr", "w:tcBorders"]).is_none());
                for p in tc.elements().filter(|e| e.name == "w:p") {
                    assert_eq!(
                        attr(p, &["w:pPr", "w:spacing"], "w:lineRule"),
                        Some("auto"),
                        "single spacing"
                    );
                    assert_eq!(attr(p, &["w:pPr", "w:spacing"], "w:line"), Some("240"));
                    assert_eq!(attr(p, &["w:pPr", "w:ind"], "w:firstLine"), Some("0"));
                }
            }
        }
    }
    // Column widths follow the weights: table 三 label block ≈ 51 %.
    let t3_widths: Vec<usize> = tbls[1]
        .child("w:tblGrid")
        .unwrap()
        .elements()
        .map(|c| c.attr("w:w").unwrap().parse().unwrap())
        .collect();
    // They fill the 8844 twips of the line exactly, the label block (the first three) just
    // over half; the 自然人 column wide enough for its word at 小五 (3 × 9 pt + 2 × 1.2 mm of
    // padding = 676 twips), the six other count columns alike.
    assert_eq!(t3_widths.iter().sum::<usize>(), 8844);
    let block: usize = t3_widths[..3].iter().sum();
    assert!(block * 2 > 8844 && block * 10 < 8844 * 6, "{t3_widths:?}");
    assert!(t3_widths[3] >= 676, "{t3_widths:?}");
    let others = &t3_widths[4..];
    assert!(
        others.iter().max().unwrap() - others.iter().min().unwrap() <= 1,
        "{t3_widths:?}"
    );

    // Table 二: block titles span all four columns.
    let g2 = grid_of(tbls[0]);
    for title in [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ] {
        let (_, c) = find_label(&g2, title);
        assert_eq!((c.0, c.1), (0, 4), "{title}");
    }
    assert_eq!(find_label(&g2, "本年处理决定数量").1 .1, 3);

    // Table 三: 三、本年度办理结果 restarts and continues over 22 rows; （三）不予公开 over 8.
    let g3 = grid_of(tbls[1]);
    assert_eq!(g3.len(), 28);
    let (r0, c) = find_label(&g3, "三、本年度办理结果");
    assert_eq!((r0, c.0, c.2.as_deref()), (5, 0, Some("restart")));
    let cont = (r0 + 1..g3.len())
        .take_while(|&r| cell_at(&g3, r, 0).2.as_deref() == Some("continue"))
        .count();
    assert_eq!(cont, 21);
    assert_ne!(
        cell_at(&g3, r0 + 22, 0).2.as_deref(),
        Some("continue"),
        "四、结转 is its own row"
    );
    let (r1, c) = find_label(&g3, "（三）不予公开");
    assert_eq!((c.0, c.2.as_deref()), (1, Some("restart")));
    let cont = (r1 + 1..g3.len())
        .take_while(|&r| cell_at(&g3, r, 1).2.as_deref() == Some("continue"))
        .count();
    assert_eq!(cont, 7, "（三）不予公开 covers 8 rows");
    let (_, c) = find_label(&g3, format::T3_CORNER_NOTE);
    assert_eq!((c.0, c.1, c.2.as_deref()), (0, 3, Some("restart")));
    assert_eq!(
        run_fonts(c.3.child("w:p").unwrap(), 0).attr("w:eastAsia"),
        Some("楷体_GB2312"),
        "勾稽 note in 楷体"
    );
    assert_eq!(find_label(&g3, "申请人情况").1 .1, 7);
    assert_eq!(find_label(&g3, "法人或其他组织").1 .1, 5);
    assert_eq!(find_label(&g3, "一、本年新收政府信息公开申请数量").1 .1, 3);

    // Table 四: 行政复议 spans 5, 行政诉讼 10; the first 结果维持 restarts a vertical merge.
    let g4 = grid_of(tbls[2]);
    assert_eq!(
        (
            find_label(&g4, "行政复议").1 .1,
            find_label(&g4, "行政诉讼").1 .1
        ),
        (5, 10)
    );
    let keep = cell_at(&g4, 1, 0);
    assert_eq!(
        (keep.3.text().as_str(), keep.2.as_deref()),
        ("结果维持", Some("restart"))
    );
    assert_eq!(cell_at(&g4, 2, 0).2.as_deref(), Some("continue"));
    assert_eq!(find_label(&g4, "未经复议直接起诉").1 .1, 5);

    // Repeated headers: the 3 header rows of 三 and 四, nothing in 二.
    for (t, n) in tbls.iter().zip([0, 3, 3]) {
        let marked: Vec<bool> = t
            .elements()
            .filter(|e| e.name == "w:tr")
            .map(|tr| path(tr, &["w:trPr", "w:tblHeader"]).is_some())
            .collect();
        assert!(
            marked[..n].iter().all(|m| *m) && marked[n..].iter().all(|m| !*m),
            "{marked:?}"
        );
    }
}

/// Every value cell of every grid, read back at its grid position, shows `cell_text`.
fn assert_cells(r: &Report) {
    let doc = document(r);
    let tbls = tables(&doc);
    for (tbl, grid) in tbls.iter().zip(format::tables()) {
        let g = grid_of(tbl);
        for cell in &grid.cells {
            let (_, span, _, tc) = cell_at(&g, cell.row, cell.col);
            assert_eq!(
                *span,
                cell.colspan,
                "{} ({},{})",
                grid.name(),
                cell.row,
                cell.col
            );
            let want = match cell.content {
                Content::Text(t) => t.to_string(),
                Content::Value(v) => r.cell_text(v),
            };
            assert_eq!(
                tc.text(),
                want,
                "{} ({},{})",
                grid.name(),
                cell.row,
                cell.col
            );
            let jc = attr(tc.child("w:p").unwrap(), &["w:pPr", "w:jc"], "w:val").unwrap();
            let want_jc = match cell.align {
                format::Align::Left => "left",
                format::Align::Center => "center",
            };
            assert_eq!(jc, want_jc, "{} {:?}", grid.name(), cell.content);
        }
    }
}

#[test]
fn every_label_and_number_is_in_its_cell() {
    assert_cells(&seed());
    assert_cells(&large());
    // Zeros as the data gives them: the seed's 二、上年结转 row is left empty but its 总计 is a
    // given 0, as the published page prints it; 显示零值 true / false overrides both ways.
    let shown = |show_zero| {
        let mut r = seed();
        r.show_zero = show_zero;
        let doc = document(&r);
        let g3 = grid_of(tables(&doc)[1]);
        (cell_at(&g3, 4, 3).3.text(), cell_at(&g3, 4, 9).3.text())
    };
    assert_eq!(shown(None), (String::new(), "0".to_string()));
    assert_eq!(shown(Some(true)), ("0".to_string(), "0".to_string()));
    assert_eq!(shown(Some(false)), (String::new(), String::new()));
}

#[test]
fn every_label_and_number_is_in_document_xml() {
    let r = large();
    let xml = &unzip(&render(&r).unwrap())["word/document.xml"];
    let text: String = parse_doc(xml).root.text();
    for grid in format::tables() {
        for cell in &grid.cells {
            match cell.content {
                Content::Text(t) => assert!(text.contains(t), "{t}"),
                Content::Value(v) => assert!(text.contains(&r.cell_text(v)), "{}", v.path()),
            }
        }
    }
    for s in format::SECTIONS {
        assert!(text.contains(&s.heading()));
    }
    assert!(text.contains("59237.2449"));
    assert!(text.contains("1022（其中修订16件）"));
}

#[test]
fn table_three_fits_five_digits_and_table_text_is_small() {
    let doc = document(&seed());
    let tbls = tables(&doc);
    let size = |t: &Element| {
        let sizes: Vec<&str> = t
            .descendants("w:r")
            .iter()
            .map(|r| attr(r, &["w:rPr", "w:sz"], "w:val").unwrap())
            .collect();
        assert!(sizes.windows(2).all(|w| w[0] == w[1]), "one size per table");
        sizes[0].parse::<usize>().unwrap()
    };
    assert_eq!(size(tbls[0]), 21, "表二 五号");
    assert_eq!(size(tbls[2]), 21, "表四 五号");
    let s3 = size(tbls[1]);
    assert!([18, 15].contains(&s3), "表三 steps down to fit 12345: {s3}");
    // Data column width minus padding holds five Times New Roman digits (½ em each).
    let data_col: usize = tbls[1]
        .child("w:tblGrid")
        .unwrap()
        .elements()
        .nth(3)
        .unwrap()
        .attr("w:w")
        .unwrap()
        .parse()
        .unwrap();
    let pad = attr(tbls[1], &["w:tblPr", "w:tblCellMar", "w:left"], "w:w")
        .unwrap()
        .parse::<usize>()
        .unwrap()
        + attr(tbls[1], &["w:tblPr", "w:tblCellMar", "w:right"], "w:w")
            .unwrap()
            .parse::<usize>()
            .unwrap();
    assert!(
        5 * s3 * 5 <= data_col - pad,
        "5 digits at {s3} half-points in {data_col} − {pad} twips"
    );
    // Labels in 宋体, digits in Times New Roman.
    let g3 = grid_of(tbls[1]);
    let f = run_fonts(find_label(&g3, "自然人").1 .3.child("w:p").unwrap(), 0);
    assert_eq!(
        (f.attr("w:eastAsia"), f.attr("w:ascii")),
        (Some("宋体"), Some("Times New Roman"))
    );
}

// --- Schema validity (an independent oracle) and determinism ------------------------------

/// The OOXML validator the schema test runs: `openxml-audit` from PyPI, a pure-Python port of
/// the Open XML SDK's schema and semantic checks (ECMA-376 schemas, Office 2019 extensions).
/// `.ci/install-tools.sh` installs it for `python3`.
const VALIDATOR: &str = "openxml_audit";

fn validator_missing() -> Option<String> {
    let probe = Command::new("python3")
        .args(["-c", &format!("import {VALIDATOR}")])
        .output();
    match probe {
        Ok(out) if out.status.success() => None,
        Ok(out) => Some(String::from_utf8_lossy(&out.stderr).trim().to_string()),
        Err(e) => Some(format!("python3: {e}")),
    }
}

/// Every .docx in `dir` → its findings (`severity part path: description`), by file name.
/// Runs the validator once for the whole directory. `--policy permissive` turns the schema
/// errors into warnings (so the canary's findings are listed, not fatal), and every finding of
/// either severity counts; `--policy strict` also applies the package rules Word applies (the
/// main part must have its styles, settings, font table and theme) and fails on any error.
fn validate_docx_dir(dir: &Path, policy: &str) -> BTreeMap<String, Vec<String>> {
    if let Some(why) = validator_missing() {
        panic!(
            "the OOXML validator `python3 -m {VALIDATOR}` (PyPI openxml-audit) is not installed: \
             run `.ci/install-tools.sh` (CI does). python3 said: {why}"
        );
    }
    let out = Command::new("python3")
        .args([
            "-m",
            VALIDATOR,
            "--validator",
            "ooxml",
            "--format",
            "office2019",
        ])
        .args(["--policy", policy, "--max-errors", "0", "--output", "json"])
        .arg("--recursive")
        .arg(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{VALIDATOR} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{VALIDATOR} printed no JSON ({e}):\n{stdout}"));
    let mut found = BTreeMap::new();
    for file in json.as_array().expect("one entry per file") {
        let name = Path::new(file["file"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let findings: Vec<String> = file["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {} {}: {} [{}]",
                    e["severity"].as_str().unwrap_or("?"),
                    e["part_uri"].as_str().unwrap_or("?"),
                    e["path"].as_str().unwrap_or(""),
                    e["description"].as_str().unwrap_or("?"),
                    e["node"].as_str().unwrap_or(""),
                )
            })
            .collect();
        let counted =
            file["error_count"].as_u64().unwrap() + file["warning_count"].as_u64().unwrap();
        assert_eq!(
            counted as usize,
            findings.len(),
            "{name}: counts and list differ"
        );
        found.insert(name, findings);
    }
    found
}

#[test]
fn every_part_is_valid_against_the_ooxml_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let mut rendered = vec![];
    for name in ["langfang-2021.yaml", "demo-2023.yaml"] {
        rendered.push((
            name.replace(".yaml", ".docx"),
            render(&example(name)).unwrap(),
        ));
    }
    rendered.push(("seed.docx".into(), render(&seed()).unwrap()));
    rendered.push(("large.docx".into(), render(&large()).unwrap()));
    // A canary the validator must reject, so a validator that checks nothing cannot pass:
    // w:jc before w:keepNext in a w:pPr is out of the schema's sequence.
    let canary = common::edit_zip_part(&rendered[0].1, "word/document.xml", |x| {
        assert!(x.contains("<w:pPr>"));
        x.replacen("<w:pPr>", r#"<w:pPr><w:jc w:val="left"/><w:keepNext/>"#, 1)
    });
    for (name, bytes) in &rendered {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    std::fs::write(dir.path().join("canary.docx"), &canary).unwrap();

    // Strict first, without the canary: the package as Word reads it (a missing theme part is
    // an error here, not under the permissive policy).
    let strict = tempfile::tempdir().unwrap();
    for (name, bytes) in &rendered {
        std::fs::write(strict.path().join(name), bytes).unwrap();
    }
    let strict = validate_docx_dir(strict.path(), "strict");
    assert_eq!(strict.len(), rendered.len(), "{:?}", strict.keys());
    for (name, findings) in &strict {
        assert!(findings.is_empty(), "{name}, strict: {findings:#?}");
    }

    let mut found = validate_docx_dir(dir.path(), "permissive");
    let canary = found.remove("canary.docx").expect("canary.docx validated");
    assert!(
        canary.iter().any(|f| f.contains("/word/document.xml")),
        "the validator let a misordered w:pPr through: {canary:?}"
    );
    let mut report = String::new();
    for (name, _) in &rendered {
        let findings = found
            .remove(name)
            .unwrap_or_else(|| panic!("{name} was not validated"));
        for f in &findings {
            report.push_str(&format!("{name}: {f}\n"));
        }
    }
    assert!(found.is_empty(), "unexpected files: {:?}", found.keys());
    assert!(report.is_empty(), "OOXML schema findings:\n{report}");
}

#[test]
fn paragraph_ids_are_unique() {
    let parts = unzip(&render(&large()).unwrap());
    let mut ids = vec![];
    for (_, xml) in parts.iter().filter(|(n, _)| n.starts_with("word/")) {
        for piece in xml.split("w14:paraId=\"").skip(1) {
            ids.push(piece[..8].to_string());
        }
    }
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
    assert!(n > 100);
}

#[test]
fn same_report_same_bytes_in_one_process() {
    let a = render(&seed()).unwrap();
    let _ = render(&large()).unwrap();
    let b = render(&seed()).unwrap();
    assert!(a == b, "second render differs from the first");
    // Entries are dated from the report, not the clock.
    let mut z = zip::ZipArchive::new(Cursor::new(a)).unwrap();
    let t = z.by_index(0).unwrap().last_modified().unwrap();
    assert_eq!(
        (t.year(), t.month(), t.day(), t.hour(), t.minute()),
        (2022, 1, 27, 0, 0)
    );
    // A different thread (fresh thread-local counters) gives the same bytes too.
    let c = std::thread::spawn(|| render(&seed()).unwrap())
        .join()
        .unwrap();
    assert!(b == c);
}

/// Helper for the cross-process test: writes the seed to `XXGK_DOCX_WRITE` when set.
#[test]
fn write_seed_when_asked() {
    if let Ok(p) = std::env::var("XXGK_DOCX_WRITE") {
        std::fs::write(p, render(&seed()).unwrap()).unwrap();
    }
}

#[test]
fn same_report_same_bytes_across_processes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed.docx");
    // The child's report is captured, not passed through: its `test result:` line would
    // otherwise be counted as a second run by .ci/run's closing count.
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "docx::write_seed_when_asked",
            "--test-threads",
            "1",
        ])
        .env("XXGK_DOCX_WRITE", &out)
        .output()
        .unwrap();
    assert!(
        child.status.success(),
        "{}{}",
        String::from_utf8_lossy(&child.stdout),
        String::from_utf8_lossy(&child.stderr)
    );
    assert!(
        String::from_utf8_lossy(&child.stdout).contains("1 passed"),
        "the child ran the writer: {}",
        String::from_utf8_lossy(&child.stdout)
    );
    let other = std::fs::read(&out).unwrap();
    assert!(
        other == render(&seed()).unwrap(),
        "another process rendered different bytes"
    );
}

// --- LibreOffice -----------------------------------------------------------------------------

/// Writes the rendered files for a person to look at when XXGK_DOCX_PREVIEW_DIR is set.
#[test]
fn write_previews_when_asked() {
    if let Ok(dir) = std::env::var("XXGK_DOCX_PREVIEW_DIR") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join("seed.docx"), render(&seed()).unwrap()).unwrap();
        std::fs::write(
            Path::new(&dir).join("large.docx"),
            render(&large()).unwrap(),
        )
        .unwrap();
        std::fs::write(
            Path::new(&dir).join("demo.docx"),
            render(&example("demo-2023.yaml")).unwrap(),
        )
        .unwrap();
    }
}

fn office_skipped() -> bool {
    if std::env::var("XXGK_SKIP_OFFICE").as_deref() == Ok("1") {
        eprintln!("XXGK_SKIP_OFFICE=1: LibreOffice conversion test skipped");
        return true;
    }
    false
}

struct Pdf {
    /// `pdftotext -raw`: content order, so the lines of a wrapped cell stay together.
    raw: String,
    /// Words with their boxes, per page (`pdftotext -bbox`).
    words: Vec<Vec<Word>>,
    pages: usize,
}

/// Converts a .docx with LibreOffice headless and reads the PDF back.
fn convert(docx: &[u8], stem: &str) -> Pdf {
    let dir = tempfile::tempdir().unwrap();
    let pdf = common::libreoffice_convert(docx, stem, "pdf", dir.path());
    let words = common::pdf_words(&pdf);
    Pdf {
        raw: common::pdf_text(&pdf, None),
        pages: words.len(),
        words,
    }
}

fn assert_pdf_has_everything(r: &Report, pdf: &Pdf) {
    let flat = squash(&pdf.raw);
    let mut labels: Vec<String> = format::SECTIONS.iter().map(|s| s.heading()).collect();
    for grid in format::tables() {
        for cell in &grid.cells {
            if let Content::Text(t) = cell.content {
                labels.push(t.to_string());
            }
        }
    }
    for l in &labels {
        assert!(flat.contains(&squash(l)), "label {l} missing from the PDF");
    }
    for line in r.title_lines() {
        assert!(flat.contains(&squash(&line)), "{line}");
    }
    // Numbers: every value cell's text appears as a whole token (with its note, if any).
    let tokens: Vec<&str> = pdf.raw.split_whitespace().collect();
    for grid in format::tables() {
        for (_, v) in grid.values() {
            let t = r.cell_text(v);
            if t.is_empty() {
                continue;
            }
            let found = if t.chars().all(|c| c.is_ascii_digit() || c == '.') {
                tokens.contains(&t.as_str())
            } else {
                flat.contains(&squash(&t))
            };
            assert!(found, "{} = {t} missing from the PDF", v.path());
        }
    }
}

#[test]
fn libreoffice_renders_the_seed() {
    if office_skipped() {
        return;
    }
    let r = seed();
    let pdf = convert(&render(&r).unwrap(), "seed");
    assert_pdf_has_everything(&r, &pdf);
    assert!((3..=8).contains(&pdf.pages), "{} pages", pdf.pages);
    // Points: A4 is 595.3 pt wide; margins 28 mm (79.4) left and 26 mm (73.7) right; one 四号
    // character is 14 pt; the 版心 ends 37 + 225 mm = 742.7 pt from the top.
    let (left, right, bottom) = (79.4, 595.3 - 73.7, 742.7);
    for (i, page) in pdf.words.iter().enumerate() {
        let n = i + 1;
        // Page numbers — n — under the 版心: odd pages one character in from the right, even
        // pages one character in from the left (单页码居右空一字，双页码居左空一字).
        let foot: Vec<&Word> = page.iter().filter(|w| w.y_min > bottom).collect();
        let text: String = foot.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(text, format!("—{n}—"), "page {n}");
        if n % 2 == 1 {
            let end = foot.last().unwrap().x_max;
            assert!(
                (end - (right - 14.0)).abs() < 1.5,
                "odd page {n} ends at {end}"
            );
        } else {
            let start = foot[0].x_min;
            assert!(
                (start - (left + 14.0)).abs() < 1.5,
                "even page {n} starts at {start}"
            );
        }
    }
    // Page 2 is all body text: 22 lines on the 28.95 pt grid.
    let mut tops: Vec<f64> = pdf.words[1]
        .iter()
        // Chinese words only: the Latin face's box has another ascent.
        .filter(|w| w.y_min < bottom && !w.text.is_ascii())
        .map(|w| w.y_min)
        .collect();
    tops.sort_by(f64::total_cmp);
    tops.dedup_by(|a, b| (*a - *b).abs() < 1.0);
    // (21 when orphan control leaves the last line of the page to the next paragraph.)
    assert!((21..=22).contains(&tops.len()), "lines on page 2: {tops:?}");
    // LibreOffice shifts a line holding Latin text by up to 1.5 pt; the pitch is exact overall.
    let last = tops.len() - 1;
    let pitch = (tops[last] - tops[0]) / last as f64;
    assert!((pitch - 28.95).abs() < 0.05, "line pitch {pitch}");
    assert!(
        tops.windows(2).all(|w| (w[1] - w[0] - 28.95).abs() < 2.5),
        "{tops:?}"
    );
    assert!(squash(&pdf.raw).contains("（一）主动公开。坚持把政府信息主动公开"));
}

#[test]
fn libreoffice_renders_a_large_report() {
    if office_skipped() {
        return;
    }
    let r = large();
    let pdf = convert(&render(&r).unwrap(), "large");
    assert_pdf_has_everything(&r, &pdf);
    assert!((8..=30).contains(&pdf.pages), "{} pages", pdf.pages);
}

// --- The example files -----------------------------------------------------------------------

#[test]
fn example_files_render_every_cell() {
    for name in ["langfang-2021.yaml", "demo-2023.yaml"] {
        let r = example(name);
        assert_cells(&r);
        assert!(render(&r).unwrap() == render(&r).unwrap(), "{name}");
    }
    // The YAML seed and the Rust seed of these tests hold the same numbers.
    let (a, b) = (example("langfang-2021.yaml"), seed());
    for grid in format::tables() {
        for (_, v) in grid.values() {
            assert_eq!(a.cell_text(v), b.cell_text(v), "{}", v.path());
        }
    }
}

#[test]
fn libreoffice_renders_the_example_file() {
    if office_skipped() {
        return;
    }
    let r = example("langfang-2021.yaml");
    let pdf = convert(&render(&r).unwrap(), "langfang-2021");
    assert_pdf_has_everything(&r, &pdf);
    assert!((3..=8).contains(&pdf.pages), "{} pages", pdf.pages);
}

#[test]
fn markup_and_control_characters_in_text_are_safe() {
    let mut r = seed();
    r.body = "A&B<局>".into();
    r.other.intro = Text("含\u{7}控制字符与\t制表符、<标签>和&符号。".into());
    let parts = unzip(&render(&r).unwrap());
    let xml = &parts["word/document.xml"];
    assert!(!xml.contains('\u{7}') && !xml.contains('\t'));
    let doc = parse_doc(xml);
    let ps = paragraphs(&doc);
    assert!(ps
        .iter()
        .any(|(_, t)| t == "含控制字符与 制表符、<标签>和&符号。"));
    assert_eq!(ps[0].1, "A&B<局>");
    let core = part(&parts, "docProps/core.xml");
    assert_eq!(core.root.child("dc:creator").unwrap().text(), "A&B<局>");
}

#[test]
fn libreoffice_repeats_the_header_rows_of_tables_three_and_four() {
    if office_skipped() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let odt = common::libreoffice_convert(&render(&seed()).unwrap(), "seed", "odt", dir.path());
    let content = unzip(&std::fs::read(odt).unwrap())["content.xml"].clone();
    let headers: Vec<&str> = content
        .split("<table:table-header-rows>")
        .skip(1)
        .map(|s| &s[..s.find("</table:table-header-rows>").unwrap()])
        .collect();
    assert_eq!(
        headers.len(),
        2,
        "tables 三 and 四 repeat their headers, 二 does not"
    );
    for h in headers {
        assert_eq!(h.matches("<table:table-row").count(), 3);
    }
}

#[test]
fn package_parts_and_relationships_are_consistent() {
    let bytes = render(&seed()).unwrap();
    let mut z = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    let names: Vec<String> = (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    assert_eq!(names[0], "[Content_Types].xml", "content types first");
    let parts = unzip(&bytes);
    let types = part(&parts, "[Content_Types].xml");
    for o in types.root.elements().filter(|e| e.name == "Override") {
        let name = o.attr("PartName").unwrap().trim_start_matches('/');
        assert!(parts.contains_key(name), "override for missing part {name}");
    }
    for (rels, base) in [
        ("_rels/.rels", ""),
        ("word/_rels/document.xml.rels", "word/"),
    ] {
        let doc = part(&parts, rels);
        for r in doc.root.elements() {
            let target = resolve(&format!("{base}{}", r.attr("Target").unwrap()));
            assert!(parts.contains_key(&target), "{rels}: {target} missing");
        }
    }
}

// --- Styles: Word that edits well ------------------------------------------------------------

/// The reports the style tests look at: the seed, the large report, both example files.
fn styled_reports() -> Vec<(&'static str, Report)> {
    vec![
        ("seed", seed()),
        ("large", large()),
        ("langfang-2021", example("langfang-2021.yaml")),
        ("demo-2023", example("demo-2023.yaml")),
    ]
}

/// The paragraph styles of styles.xml by id.
fn paragraph_styles(styles_xml: &Doc) -> BTreeMap<String, &Element> {
    styles_xml
        .root
        .elements()
        .filter(|e| e.name == "w:style" && e.attr("w:type") == Some("paragraph"))
        .map(|e| (e.attr("w:styleId").unwrap().to_string(), e))
        .collect()
}

/// A paragraph property as the style states it, following `w:basedOn`.
fn style_value<'a>(
    all: &BTreeMap<String, &'a Element>,
    id: &str,
    names: &[&str],
    a: &str,
) -> Option<&'a str> {
    let mut at = all.get(id).copied();
    while let Some(s) = at {
        if let Some(v) = attr(s, names, a) {
            return Some(v);
        }
        at = attr(s, &["w:basedOn"], "w:val").and_then(|b| all.get(b).copied());
    }
    None
}

/// Whether style `id` makes its text bold, following `w:basedOn` (the nearest `w:b` wins).
fn bold_style(all: &BTreeMap<String, &Element>, id: &str) -> bool {
    style_value(all, id, &["w:rPr", "w:b"], "w:val")
        .map(|v| !matches!(v, "0" | "false" | "off"))
        .or_else(|| style_has(all, id, &["w:rPr", "w:b"]).then_some(true))
        .unwrap_or(false)
}

fn style_has(all: &BTreeMap<String, &Element>, id: &str, names: &[&str]) -> bool {
    let mut at = all.get(id).copied();
    while let Some(s) = at {
        if path(s, names).is_some() {
            return true;
        }
        at = attr(s, &["w:basedOn"], "w:val").and_then(|b| all.get(b).copied());
    }
    false
}

fn p_style(p: &Element) -> Option<&str> {
    attr(p, &["w:pPr", "w:pStyle"], "w:val")
}

/// Every `w:p` of the document, tables included, and whether it is in a table.
fn all_paragraphs(doc: &Doc) -> Vec<(&Element, bool)> {
    let in_tables: Vec<*const Element> = body(doc)
        .descendants("w:tbl")
        .iter()
        .flat_map(|t| t.descendants("w:p"))
        .map(|p| p as *const Element)
        .collect();
    body(doc)
        .descendants("w:p")
        .into_iter()
        .map(|p| (p, in_tables.contains(&(p as *const Element))))
        .collect()
}

/// The outline level Word gives a paragraph (its own, else its style's), counted from 0.
fn outline_level(all: &BTreeMap<String, &Element>, p: &Element) -> Option<String> {
    attr(p, &["w:pPr", "w:outlineLvl"], "w:val")
        .or_else(|| {
            p_style(p).and_then(|id| style_value(all, id, &["w:pPr", "w:outlineLvl"], "w:val"))
        })
        .map(str::to_string)
}

#[test]
fn every_paragraph_has_a_style_that_styles_xml_defines() {
    for (name, r) in styled_reports() {
        let parts = unzip(&render(&r).unwrap());
        let doc = part(&parts, "word/document.xml");
        let sheet = part(&parts, "word/styles.xml");
        let all = paragraph_styles(&sheet);
        let ps = all_paragraphs(&doc);
        assert!(ps.len() > 100, "{name}");
        for (p, in_table) in ps {
            let id = p_style(p).unwrap_or_else(|| panic!("{name}: no pStyle on “{}”", p.text()));
            assert!(all.contains_key(id), "{name}: style {id} not in styles.xml");
            assert_eq!(
                id == STYLE_TABLE_TEXT,
                in_table,
                "{name}: “{}” is {id}",
                p.text()
            );
        }
        // The title, the date and the 落款 have theirs.
        let top = paragraphs(&doc);
        assert_eq!(p_style(top[0].0), Some(STYLE_TITLE), "{name}");
        // The date under the title is printed only when the 落款 has none (one date).
        let signed = r.signature.as_ref().is_some_and(|s| s.date.is_some());
        if r.published.is_some() && !signed {
            let date = top
                .iter()
                .find(|(_, t)| *t == r.published.unwrap().chinese());
            assert_eq!(p_style(date.unwrap().0), Some(STYLE_TITLE_DATE), "{name}");
        }
        if let Some(sig) = &r.signature {
            let signed = top.iter().rev().find(|(_, t)| *t == sig.body).unwrap();
            assert_eq!(p_style(signed.0), Some(STYLE_SIGNATURE), "{name}");
        }
    }
}

#[test]
fn the_navigation_pane_lists_the_six_sections() {
    let sections: Vec<String> = format::SECTIONS.iter().map(|s| s.heading()).collect();
    assert_eq!(sections.len(), 6);
    for (name, r) in styled_reports() {
        let parts = unzip(&render(&r).unwrap());
        let doc = part(&parts, "word/document.xml");
        let sheet = part(&parts, "word/styles.xml");
        let all = paragraph_styles(&sheet);
        let outline: Vec<(String, String)> = all_paragraphs(&doc)
            .into_iter()
            .filter_map(|(p, _)| outline_level(&all, p).map(|l| (l, p.text())))
            .collect();
        let six: Vec<(String, String)> = sections
            .iter()
            .map(|s| ("0".to_string(), s.clone()))
            .collect();
        // Run-in subsection headings stay in body paragraphs: only the six are listed.
        assert_eq!(outline, six, "{name}");
        for s in &sections {
            assert_eq!(p_style(paragraph(&doc, s)), Some(STYLE_HEADING1), "{name}");
        }
        let run_in = paragraphs(&doc)
            .into_iter()
            .find(|(_, t)| t.starts_with("（一）"))
            .unwrap();
        assert_eq!(p_style(run_in.0), Some(STYLE_BODY), "{name}");
    }
    // A subsection with a heading and no text: the heading stands alone, as 二级标题.
    let mut r = seed();
    r.overview.subsections[1].body = Text(String::new());
    let parts = unzip(&render(&r).unwrap());
    let doc = part(&parts, "word/document.xml");
    let sheet = part(&parts, "word/styles.xml");
    let all = paragraph_styles(&sheet);
    let alone = paragraph(&doc, "（二）依申请公开");
    assert_eq!(alone.text(), "（二）依申请公开。");
    assert_eq!(p_style(alone), Some(STYLE_HEADING2));
    assert_eq!(outline_level(&all, alone).as_deref(), Some("1"));
    let flat = applied(&doc, &sheet);
    assert_eq!(
        run_fonts(paragraph(&flat, "（二）依申请公开"), 0).attr("w:eastAsia"),
        Some("楷体_GB2312")
    );
}

#[test]
fn styles_carry_the_official_faces_and_sizes() {
    let parts = unzip(&render(&seed()).unwrap());
    let sheet = part(&parts, "word/styles.xml");
    let all = paragraph_styles(&sheet);
    let body = SIZE_BODY.to_string();
    let tracking = TRACKING.to_string();
    let pitch = LINE_PITCH.to_string();
    // id, name, East Asian face, size, tracked, next, outline level, keepNext, jc
    let want = [
        (
            STYLE_TITLE,
            "公文标题",
            TITLE_FACE,
            SIZE_TITLE.to_string(),
            false,
            STYLE_BODY,
            None,
            true,
            "center",
        ),
        (
            STYLE_TITLE_DATE,
            "发布日期",
            FANGSONG,
            body.clone(),
            true,
            STYLE_BODY,
            None,
            true,
            "center",
        ),
        (
            STYLE_HEADING1,
            "一级标题",
            HEITI,
            body.clone(),
            true,
            STYLE_BODY,
            Some("0"),
            true,
            "both",
        ),
        (
            STYLE_HEADING2,
            "二级标题",
            KAITI,
            body.clone(),
            true,
            STYLE_BODY,
            Some("1"),
            true,
            "both",
        ),
        (
            STYLE_BODY,
            "公文正文",
            FANGSONG,
            body.clone(),
            true,
            STYLE_BODY,
            None,
            false,
            "both",
        ),
        (
            STYLE_TABLE_TEXT,
            "表格文字",
            SONGTI,
            SIZE_TABLE.to_string(),
            false,
            STYLE_TABLE_TEXT,
            None,
            false,
            "center",
        ),
        (
            STYLE_SIGNATURE,
            "落款",
            FANGSONG,
            body.clone(),
            true,
            STYLE_SIGNATURE,
            None,
            false,
            "right",
        ),
    ];
    for (id, name, face, size, tracked, next, level, keep, jc) in want {
        let s = all.get(id).unwrap_or_else(|| panic!("{id} missing"));
        assert!(id.is_ascii());
        assert_eq!(s.attr("w:customStyle"), Some("1"), "{id}");
        assert_eq!(attr(s, &["w:name"], "w:val"), Some(name), "{id}");
        // The two heading styles are based on Word's built-in headings (so that LibreOffice's
        // HTML export and outline views see headings), the others on Normal.
        let base = match id {
            STYLE_HEADING1 => "Heading1",
            STYLE_HEADING2 => "Heading2",
            _ => "Normal",
        };
        assert_eq!(attr(s, &["w:basedOn"], "w:val"), Some(base), "{id}");
        assert!(!bold_style(&all, id), "{id} is not bold");
        assert_eq!(attr(s, &["w:next"], "w:val"), Some(next), "{id}");
        assert!(s.child("w:qFormat").is_some(), "{id} in the style gallery");
        let f = path(s, &["w:rPr", "w:rFonts"]).unwrap();
        assert_eq!(f.attr("w:eastAsia"), Some(face), "{id}");
        // Digits in Times New Roman, but in the title its own bold face (the house style's
        // `Face::latin`).
        let latin = if id == STYLE_TITLE { TITLE_FACE } else { LATIN };
        for a in ["w:ascii", "w:hAnsi", "w:cs"] {
            assert_eq!(f.attr(a), Some(latin), "{id} {a}");
        }
        assert_eq!(f.attr("w:hint"), Some("eastAsia"), "{id}");
        assert_eq!(
            attr(s, &["w:rPr", "w:sz"], "w:val"),
            Some(size.as_str()),
            "{id}"
        );
        assert_eq!(
            attr(s, &["w:rPr", "w:szCs"], "w:val"),
            Some(size.as_str()),
            "{id}"
        );
        assert_eq!(
            attr(s, &["w:rPr", "w:spacing"], "w:val"),
            tracked.then_some(tracking.as_str()),
            "{id}: 28 characters a line"
        );
        assert_eq!(attr(s, &["w:pPr", "w:outlineLvl"], "w:val"), level, "{id}");
        assert_eq!(path(s, &["w:pPr", "w:keepNext"]).is_some(), keep, "{id}");
        assert_eq!(attr(s, &["w:pPr", "w:jc"], "w:val"), Some(jc), "{id}");
        let ind = path(s, &["w:pPr", "w:ind"]).unwrap();
        if id == STYLE_TABLE_TEXT {
            assert_eq!(attr(s, &["w:pPr", "w:spacing"], "w:lineRule"), Some("auto"));
            assert_eq!(attr(s, &["w:pPr", "w:snapToGrid"], "w:val"), Some("0"));
        } else {
            // The 22-line grid; the title has a pitch of its own, off the grid.
            let want = if id == STYLE_TITLE {
                assert_eq!(attr(s, &["w:pPr", "w:snapToGrid"], "w:val"), Some("0"));
                TITLE_PITCH.to_string()
            } else {
                pitch.clone()
            };
            assert_eq!(
                attr(s, &["w:pPr", "w:spacing"], "w:line"),
                Some(want.as_str()),
                "{id}"
            );
            assert_eq!(
                attr(s, &["w:pPr", "w:spacing"], "w:lineRule"),
                Some("exact"),
                "{id}"
            );
            // Widow and orphan control on (the pages' rule too).
            assert_eq!(
                attr(s, &["w:pPr", "w:widowControl"], "w:val"),
                Some("1"),
                "{id}"
            );
        }
        if [STYLE_HEADING1, STYLE_HEADING2, STYLE_BODY].contains(&id) {
            assert_eq!(ind.attr("w:firstLine"), Some("640"), "{id}");
            assert_eq!(ind.attr("w:firstLineChars"), Some("200"), "{id}");
        } else {
            assert_eq!(ind.attr("w:firstLine"), Some("0"), "{id}");
            assert_eq!(
                ind.attr("w:firstLineChars"),
                None,
                "{id}: chars would win over twips"
            );
        }
    }
    // Word's built-in headings, by their built-in names, with the outline levels the
    // 公文 headings have.
    for (id, name, level) in [
        ("Heading1", "heading 1", "0"),
        ("Heading2", "heading 2", "1"),
    ] {
        let s = all.get(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(attr(s, &["w:name"], "w:val"), Some(name));
        assert_eq!(attr(s, &["w:pPr", "w:outlineLvl"], "w:val"), Some(level));
        assert_eq!(s.attr("w:customStyle"), None);
    }
    // Normal stays the default, unchanged: the footers use it.
    assert_eq!(all["Normal"].attr("w:default"), Some("1"));
    assert!(all["Normal"]
        .child("w:pPr")
        .is_none_or(|p| p.children.is_empty()));
}

/// Whether `direct` (a child of a paragraph's or run's properties) says nothing its style does
/// not: the style's element of that name has each of its attributes with the same value.
fn redundant(direct: &Element, style: &Element) -> bool {
    style.elements().any(|s| {
        s.name == direct.name
            && direct
                .attrs
                .iter()
                .all(|(k, v)| s.attr(k) == Some(v.as_str()))
            && (!direct.attrs.is_empty() || s.attrs.is_empty())
    })
}

#[test]
fn paragraphs_state_only_what_differs_from_their_style() {
    // Issue 24 item 10: the styles carry the formatting, so a clerk who changes 公文正文 sees
    // every body paragraph change. A paragraph or run states a property only where it differs
    // from its style: no direct property repeats the style's value.
    for (name, r) in styled_reports() {
        let parts = unzip(&render(&r).unwrap());
        let doc = part(&parts, "word/document.xml");
        let sheet = part(&parts, "word/styles.xml");
        // The styles' own properties, read off one empty paragraph of each style.
        let flat = applied(&doc, &sheet);
        let (raw, flat) = (all_paragraphs(&doc), all_paragraphs(&flat));
        assert_eq!(raw.len(), flat.len());
        let mut direct_fonts = 0;
        for ((p, _), (f, _)) in raw.iter().zip(&flat) {
            let id = p_style(p).unwrap();
            let text = p.text();
            let bare = Element {
                name: "w:p".into(),
                attrs: vec![],
                children: vec![Node::Element(Element {
                    name: "w:pPr".into(),
                    attrs: vec![],
                    children: p
                        .child("w:pPr")
                        .and_then(|x| x.child("w:pStyle"))
                        .map(|s| Node::Element(s.clone()))
                        .into_iter()
                        .collect(),
                })],
            };
            let styled = applied(
                &Doc {
                    root: Element {
                        name: "w:body".into(),
                        attrs: vec![],
                        children: vec![Node::Element(bare)],
                    },
                },
                &sheet,
            );
            let style_ppr = path(&styled.root, &["w:p", "w:pPr"]).unwrap().clone();
            let style_rpr = style_ppr.child("w:rPr").unwrap().clone();
            if let Some(ppr) = p.child("w:pPr") {
                for c in ppr.elements() {
                    match c.name.as_str() {
                        "w:pStyle" => {}
                        "w:rPr" => {
                            for m in c.elements() {
                                if m.name == "w:rFonts" {
                                    direct_fonts += 1;
                                }
                                assert!(
                                    !redundant(m, &style_rpr),
                                    "{name}: “{text}” ({id}) mark repeats {}",
                                    m.name
                                );
                            }
                        }
                        _ => assert!(
                            !redundant(c, &style_ppr),
                            "{name}: “{text}” ({id}) repeats {} {:?}",
                            c.name,
                            c.attrs
                        ),
                    }
                }
            }
            for r in p.elements().filter(|e| e.name == "w:r") {
                for c in r
                    .child("w:rPr")
                    .map(|x| x.elements().collect())
                    .unwrap_or(vec![])
                {
                    assert!(
                        !redundant(c, &style_rpr),
                        "{name}: a run of “{text}” ({id}) repeats {} {:?}",
                        c.name,
                        c.attrs
                    );
                    if c.name == "w:rFonts" {
                        direct_fonts += 1;
                    }
                }
            }
            // What the paragraph looks like with its style applied: table text in 宋体 or, for
            // the notes, 楷体; everything else in the face its style names.
            let face = attr(f, &["w:pPr", "w:rPr", "w:rFonts"], "w:eastAsia");
            if id == STYLE_TABLE_TEXT {
                assert!([Some(SONGTI), Some(KAITI)].contains(&face), "{text}");
            }
        }
        // The seed had 558 `w:rFonts` in document.xml, one for every run and paragraph mark;
        // now only the runs (and marks) in another face than their paragraph's style have one:
        // the 楷体 run-in subsection headings and the 楷体 notes in the tables.
        let xml = &parts["word/document.xml"];
        let fonts: Vec<&str> = xml
            .split("<w:rFonts ")
            .skip(1)
            .map(|s| &s[..s.find("/>").unwrap()])
            .collect();
        assert_eq!(
            fonts.len(),
            direct_fonts,
            "{name}: rFonts outside paragraphs"
        );
        assert!(
            fonts
                .iter()
                .all(|f| f.contains(&format!(r#"w:eastAsia="{KAITI}""#))),
            "{name}: {fonts:?}"
        );
        let run_ins = paragraphs(&applied(&doc, &sheet))
            .iter()
            .filter(|(p, _)| {
                p_style(p) == Some(STYLE_BODY)
                    && p.elements().filter(|e| e.name == "w:r").count() == 2
            })
            .count();
        assert!(
            fonts.len() >= run_ins && fonts.len() <= run_ins + 6,
            "{name}: {} rFonts for {run_ins} run-in headings",
            fonts.len()
        );
        eprintln!("{name}: {} w:rFonts in document.xml", fonts.len());
    }
}

/// `part` names of a package's relationship targets, resolved from their source parts.
fn relationship_targets(parts: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = vec![];
    for (name, xml) in parts.iter().filter(|(n, _)| n.ends_with(".rels")) {
        let dir = name.trim_end_matches(".rels");
        let dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
        let base = dir.strip_suffix("_rels").unwrap_or(dir);
        for r in parse_doc(xml).root.elements() {
            assert_ne!(r.attr("TargetMode"), Some("External"));
            out.push(resolve(&format!("{base}{}", r.attr("Target").unwrap())));
        }
    }
    out
}

/// A part name with `..` segments resolved (`word/../customXml/item1.xml` is
/// `customXml/item1.xml`, as OPC resolves a relationship's target).
fn resolve(name: &str) -> String {
    let mut out: Vec<&str> = vec![];
    for seg in name.split('/') {
        match seg {
            ".." => {
                out.pop();
            }
            "." | "" => {}
            s => out.push(s),
        }
    }
    out.join("/")
}

#[test]
fn no_part_is_left_unreferenced() {
    for (name, r) in styled_reports() {
        let bytes = render(&r).unwrap();
        let parts = unzip(&bytes);
        let targets = relationship_targets(&parts);
        for t in &targets {
            assert!(parts.contains_key(t), "{name}: relationship to missing {t}");
        }
        let types = part(&parts, "[Content_Types].xml");
        let overrides: Vec<String> = types
            .root
            .elements()
            .filter(|e| e.name == "Override")
            .map(|e| {
                e.attr("PartName")
                    .unwrap()
                    .trim_start_matches('/')
                    .to_string()
            })
            .collect();
        let defaults: Vec<&str> = types
            .root
            .elements()
            .filter(|e| e.name == "Default")
            .map(|e| e.attr("Extension").unwrap())
            .collect();
        for o in &overrides {
            assert!(
                parts.contains_key(o),
                "{name}: content type for missing {o}"
            );
        }
        for p in parts.keys() {
            if p == "[Content_Types].xml" {
                continue;
            }
            let ext = p.rsplit('.').next().unwrap();
            assert!(
                overrides.contains(p) || defaults.contains(&ext),
                "{name}: {p} has no content type"
            );
            if !p.ends_with(".rels") {
                assert!(targets.contains(p), "{name}: nothing refers to {p}");
            }
            // docx-rs's truncated `wps` namespace URI (it wrote it into commentsExtended.xml).
            assert!(
                !parts[p].contains(r#""http://schemas.microsoft.com/office/word/2010""#),
                "{name}: {p} has a truncated namespace URI"
            );
        }
        for leftover in [
            "word/comments.xml",
            "word/commentsExtended.xml",
            "word/commentsIds.xml",
            "word/numbering.xml",
            "docProps/custom.xml",
        ] {
            assert!(!parts.contains_key(leftover), "{name}: {leftover}");
        }
        // Word's own parts are all there and referenced.
        for needed in [
            "word/document.xml",
            "word/styles.xml",
            "word/settings.xml",
            "word/fontTable.xml",
            "docProps/core.xml",
            "docProps/app.xml",
        ] {
            assert!(targets.iter().any(|t| t == needed), "{name}: {needed}");
        }
    }
}

/// `docx` with the size of style `id` in styles.xml set to `half_points`, as a clerk would
/// change it in Word's style dialog.
fn with_style_size(docx: &[u8], id: &str, half_points: usize) -> Vec<u8> {
    common::edit_zip_part(docx, "word/styles.xml", |x| {
        let mut d = parse_doc(x);
        let style = d
            .root
            .children
            .iter_mut()
            .find_map(|n| match n {
                Node::Element(e) if e.attr("w:styleId") == Some(id) => Some(e),
                _ => None,
            })
            .unwrap_or_else(|| panic!("style {id}"));
        let rpr = style
            .children
            .iter_mut()
            .find_map(|n| match n {
                Node::Element(e) if e.name == "w:rPr" => Some(e),
                _ => None,
            })
            .expect("the style has run properties");
        let mut changed = 0;
        for n in rpr.children.iter_mut() {
            if let Node::Element(e) = n {
                if e.name == "w:sz" || e.name == "w:szCs" {
                    e.attrs = vec![("w:val".into(), half_points.to_string())];
                    changed += 1;
                }
            }
        }
        assert_eq!(changed, 2, "{id} states its size");
        d.to_xml()
    })
}

/// Character pitch (points) of the first word on the pages that starts with `start`.
fn pitch_of(pdf: &Pdf, start: &str) -> f64 {
    let w = pdf
        .words
        .iter()
        .flatten()
        .find(|w| w.text.starts_with(start) && w.text.chars().count() >= 4)
        .unwrap_or_else(|| panic!("no word {start}"));
    (w.x_max - w.x_min) / w.text.chars().count() as f64
}

#[test]
fn libreoffice_follows_a_changed_body_style() {
    // The oracle is LibreOffice's layout: with the formatting in the styles, changing
    // 公文正文 from 三号 (16 pt) to 20 pt in styles.xml alone sets every body paragraph larger,
    // and leaves the headings (一级标题) as they were.
    if office_skipped() {
        return;
    }
    let r = example("langfang-2021.yaml");
    let docx = render(&r).unwrap();
    let (a, b) = (
        convert(&docx, "as-made"),
        convert(&with_style_size(&docx, STYLE_BODY, 40), "body-20pt"),
    );
    let body = "依据《中华人民共和国";
    let (before, after) = (pitch_of(&a, body), pitch_of(&b, body));
    // 16 pt and 20 pt less the 0.25 pt of grid tracking the style keeps.
    assert!((before - 15.75).abs() < 0.3, "body pitch as made: {before}");
    // (Justified lines spread the larger characters a little: 22 of 20 pt do not fill the
    // 156 mm line.)
    assert!(
        (19.5..22.5).contains(&after) && after / before > 1.2,
        "body pitch at 20 pt: {after}"
    );
    let heading = "一、总体情况";
    let (h0, h1) = (pitch_of(&a, heading), pitch_of(&b, heading));
    assert!((h0 - h1).abs() < 0.05, "heading {h0} → {h1}");
}

#[test]
fn libreoffice_html_export_sees_the_six_headings() {
    // Other tools know the built-in heading styles only: LibreOffice's HTML export writes a
    // paragraph as <h1> when its style is (or is based on) Heading 1.
    if office_skipped() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let headings = |r: &Report, stem: &str, sel: &str| -> Vec<String> {
        let html = common::libreoffice_convert(&render(r).unwrap(), stem, "html", dir.path());
        let html = std::fs::read_to_string(html).unwrap();
        let page = scraper::Html::parse_document(&html);
        page.select(&scraper::Selector::parse(sel).unwrap())
            .map(|e| squash(&e.text().collect::<String>()))
            .collect()
    };
    let six: Vec<String> = format::SECTIONS.iter().map(|s| s.heading()).collect();
    let r = example("langfang-2021.yaml");
    assert_eq!(headings(&r, "langfang", "h1"), six);
    // Run-in subsection headings are part of their paragraph, not headings.
    assert!(headings(&r, "langfang", "h2, h3, h4, h5, h6").is_empty());
    // A subsection heading that stands alone (二级标题) is a second-level heading.
    let mut r = seed();
    r.overview.subsections[1].body = Text(String::new());
    assert_eq!(headings(&r, "alone", "h1"), six);
    assert_eq!(headings(&r, "alone", "h2"), ["（二）依申请公开。"]);
}

#[test]
fn numbered_labels_of_table_three_break_after_their_number() {
    let parts = unzip(&render(&seed()).unwrap());
    let xml = parts.get("word/document.xml").unwrap();
    for word in ["不予公开", "无法提供", "不予处理", "其他处理"] {
        // The cell's paragraph: the number, a line break, then the words whole.
        let at = xml
            .find(&format!(">{word}</w:t>"))
            .unwrap_or_else(|| panic!("{word} whole"));
        let start = xml[..at].rfind("<w:p ").unwrap();
        let para = &xml[start..at];
        assert!(para.contains("<w:br"), "{word}: no line break before it");
        assert!(para.contains("）</w:t>"), "{word}: the number comes first");
    }
}
