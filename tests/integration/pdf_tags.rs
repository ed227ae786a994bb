//! The PDF for screen readers and archives, read back by tools other than the writer:
//! `pdfinfo -struct-text` (poppler) for the outline of tags, lopdf's parser for the content
//! streams, the parent tree and the marked-content ids, `pdfua` (PyPI) for the machine-checkable
//! part of PDF/UA-1, Apache PDFBox Preflight (Debian) for PDF/A-1b, qpdf for the file's syntax.
//! Set `PDF_OUT=dir` to keep the files.

use crate::common::seed::{large_report, seed_report};
use crate::common::{self, example_report, fonts, golden, keep_dir};
use lopdf::{Dictionary, Document as Pdf, Object, ObjectId};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use xxgk::model::{Report, Text};
use xxgk::render::document::Document;
use xxgk::render::paged;
use xxgk::render::pdf::Standard;
use xxgk::render::{self, Format};

fn pdf(r: &Report, standard: Standard) -> Vec<u8> {
    let docs = render::render_all_with(r, &[Format::Pdf], Some(fonts()), false, standard)
        .map_err(|(_, d)| d.message)
        .unwrap();
    docs.into_iter().next().unwrap().1
}

fn save(name: &str, bytes: &[u8]) -> PathBuf {
    let p = keep_dir("PDF_OUT", "tags").join(format!("{name}.pdf"));
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The reports the structure is checked on: both examples, a long report whose paragraphs and
/// table 三 cross pages, and one whose table 三 starts at a page foot (its header repeated).
fn reports() -> Vec<(&'static str, Report)> {
    vec![
        ("langfang-2021", example_report("langfang-2021.yaml")),
        ("demo-2023", example_report("demo-2023.yaml")),
        ("large", large_report()),
        ("split", split_report()),
        // No text sections, no signature, rare characters from the fallback font in the title.
        (
            "bare",
            Report {
                body: "某县人民政府办公室（张堃、李喆、王旻、刘镕、陈赟）".into(),
                ..Default::default()
            },
        ),
    ]
}

/// The seed with a preface long enough that table 三 starts near a page foot and continues on
/// the next page under its repeated header.
fn split_report() -> Report {
    let p = "本报告所列数据的统计期限为2021年1月1日至2021年12月31日，本报告电子版可在本机关门户网站下载。";
    (0..40)
        .map(|extra| {
            let mut r = seed_report();
            r.preface = Text(format!("{}\n\n{}", r.preface.0, vec![p; extra].join("")));
            r
        })
        .find(|r| {
            let pages = paged::layout(&Document::of(r), fonts()).unwrap().pages;
            let header = xxgk::spec::format::T3_APPLICANTS;
            pages
                .iter()
                .filter(|pg| pg.runs.iter().any(|run| run.text.contains(header)))
                .count()
                >= 2
        })
        .expect("some preface length splits table 三")
}

// --- The outline of tags (golden) ----------------------------------------------------------

/// `pdfinfo -struct-text`, with the text of each element joined (a paragraph that crosses a
/// page is two strings) and long texts cut to their start and length, so that the golden file
/// shows the tags and the table attributes and does not change when a line breaks elsewhere.
fn struct_outline(path: &Path) -> String {
    let (ok, out, err) = common::run("pdfinfo", &["-struct-text", path.to_str().unwrap()]);
    assert!(ok, "pdfinfo -struct-text failed: {err}");
    let mut lines: Vec<String> = vec![];
    let mut text: Option<(String, String)> = None;
    let flush = |lines: &mut Vec<String>, text: &mut Option<(String, String)>| {
        if let Some((indent, t)) = text.take() {
            let n = t.chars().count();
            let shown = if n > 24 {
                format!("{}…（{n}字）", t.chars().take(16).collect::<String>())
            } else {
                t
            };
            lines.push(format!("{indent}\"{shown}\""));
        }
    };
    for l in out.lines() {
        let trimmed = l.trim_start();
        if let Some(t) = trimmed.strip_prefix('"') {
            let indent = &l[..l.len() - trimmed.len()];
            let t = t.strip_suffix('"').unwrap_or(t);
            match &mut text {
                Some((i, s)) if i == indent => s.push_str(t),
                _ => {
                    flush(&mut lines, &mut text);
                    text = Some((indent.to_string(), t.to_string()));
                }
            }
        } else {
            flush(&mut lines, &mut text);
            lines.push(l.to_string());
        }
    }
    flush(&mut lines, &mut text);
    lines.join("\n") + "\n"
}

#[test]
fn the_examples_have_the_expected_outline_of_tags() {
    for name in ["langfang-2021", "demo-2023"] {
        let r = example_report(&format!("{name}.yaml"));
        let path = save(name, &pdf(&r, Standard::Pdf17));
        let outline = struct_outline(&path);
        golden(&format!("{name}.pdf-tags.txt"), &outline);
        // The archive's file has the same tree.
        let a = save(&format!("{name}-a1b"), &pdf(&r, Standard::A1b));
        assert_eq!(struct_outline(&a), outline, "{name}: PDF/A-1b tags differ");
    }
}

/// The elements of `pdfinfo -struct-text`: the header cells' text by id, and each data cell's
/// headers and text.
struct Cells {
    th: BTreeMap<String, String>,
    td: Vec<(Vec<String>, String)>,
}

fn cells(outline: &str) -> Cells {
    let mut th = BTreeMap::new();
    let mut td: Vec<(Vec<String>, String)> = vec![];
    // The element the attribute and text lines below belong to: a header cell's id, or the
    // last data cell (an empty cell has no text line).
    enum Cur {
        Th(String),
        Td,
        Other,
    }
    let mut cur = Cur::Other;
    for l in outline.lines() {
        let t = l.trim();
        if let Some(rest) = t.strip_prefix("TH <") {
            cur = Cur::Th(rest.trim_end_matches(">:").to_string());
        } else if t.starts_with("TD") {
            td.push((vec![], String::new()));
            cur = Cur::Td;
        } else if let Some(h) = t.strip_prefix("/Headers [") {
            if let (Cur::Td, Some(last)) = (&cur, td.last_mut()) {
                last.0 = h
                    .trim_end_matches(']')
                    .split_whitespace()
                    .map(|s| s.trim_matches(['(', ')']).to_string())
                    .collect();
            }
        } else if let Some(s) = t.strip_prefix('"') {
            let s = s.trim_end_matches('"').to_string();
            match &cur {
                Cur::Th(id) => {
                    th.insert(id.clone(), s);
                }
                Cur::Td => {
                    if let Some(last) = td.last_mut() {
                        last.1 = s;
                    }
                }
                Cur::Other => {}
            }
        } else if !t.starts_with('/') {
            cur = Cur::Other;
        }
    }
    Cells { th, td }
}

#[test]
fn a_number_is_read_with_its_block_row_and_column() {
    let path = save("seed-cells", &pdf(&seed_report(), Standard::Pdf17));
    let c = cells(&struct_outline(&path));
    let read = |td: &(Vec<String>, String)| -> Vec<String> {
        td.0.iter()
            .map(|id| c.th.get(id).cloned().unwrap_or_else(|| format!("?{id}")))
            .collect()
    };
    // The seed's published table 二: 规章, 本年制发件数 = 3.
    let rules: Vec<Vec<String>> =
        c.td.iter()
            .filter(|td| read(td).contains(&"规章".to_string()))
            .map(|td| {
                let mut v = read(td);
                v.push(td.1.clone());
                v
            })
            .collect();
    assert_eq!(
        rules[0],
        ["第二十条第（一）项", "规章", "本年制发件数", "3"],
        "{rules:?}"
    );
    // Every number of table 三 is read with a row label and a column header; every header id
    // named is a header cell's.
    for td in &c.td {
        for id in &td.0 {
            assert!(c.th.contains_key(id), "{id} names no TH ({td:?})");
        }
    }
    let t3: Vec<&(Vec<String>, String)> =
        c.td.iter()
            .filter(|td| td.0.iter().any(|id| id.starts_with("t3-")))
            .collect();
    assert!(t3.len() >= 150, "table 三 has {} data cells", t3.len());
    for td in &t3 {
        assert!(
            td.0.len() >= 2,
            "a cell of table 三 with one header: {td:?}"
        );
        assert!(
            td.1.chars().all(|ch| ch.is_ascii_digit()),
            "not a number: {td:?}"
        );
    }
}

// --- Marked content against the tree (lopdf) ----------------------------------------------

/// What a page's content stream marks.
#[derive(Default, Debug)]
struct PageMarks {
    /// The MCIDs, in content order.
    mcids: Vec<i64>,
    /// Text and path operators outside any tagged or artifact sequence.
    loose: Vec<String>,
    /// Text operators inside artifacts.
    artifact_text: usize,
}

fn dict<'a>(pdf: &'a Pdf, o: &'a Object) -> &'a Dictionary {
    match o {
        Object::Reference(id) => pdf.get_dictionary(*id).unwrap(),
        Object::Dictionary(d) => d,
        other => panic!("not a dictionary: {other:?}"),
    }
}

fn page_marks(pdf: &Pdf, page: ObjectId) -> PageMarks {
    let content = pdf.get_and_decode_page_content(page).unwrap();
    let mut m = PageMarks::default();
    // The open sequences: Some(true) an MCID, Some(false) an artifact, None another tag.
    let mut open: Vec<Option<bool>> = vec![];
    for op in &content.operations {
        match op.operator.as_str() {
            "BDC" | "BMC" => {
                let tag = op.operands[0].as_name().unwrap();
                let mcid = match op.operands.get(1) {
                    Some(Object::Dictionary(d)) => d.get(b"MCID").ok().map(|n| n.as_i64().unwrap()),
                    _ => None,
                };
                if let Some(n) = mcid {
                    assert!(!open.contains(&Some(true)), "MCID {n} nested in another");
                    m.mcids.push(n);
                    open.push(Some(true));
                } else if tag == b"Artifact" {
                    open.push(Some(false));
                } else {
                    open.push(None);
                }
            }
            "EMC" => {
                open.pop().expect("EMC without a sequence");
            }
            "Tj" | "TJ" | "'" | "\"" | "S" | "s" | "f" | "F" | "f*" | "B" | "b" | "re" | "Do"
            | "sh" => {
                if open.contains(&Some(true)) {
                } else if open.contains(&Some(false)) {
                    if matches!(op.operator.as_str(), "Tj" | "TJ") {
                        m.artifact_text += 1;
                    }
                } else {
                    m.loose.push(op.operator.clone());
                }
            }
            _ => {}
        }
    }
    assert!(open.is_empty(), "sequences left open: {open:?}");
    m
}

/// Walks the structure tree from `elem`: every element's /P is its parent, and each content
/// item it holds is recorded as (page, MCID) → element.
fn walk(
    pdf: &Pdf,
    elem: ObjectId,
    parent: ObjectId,
    items: &mut Vec<((ObjectId, i64), ObjectId)>,
    roles: &mut Vec<(ObjectId, String)>,
) {
    let d = pdf.get_dictionary(elem).unwrap();
    assert_eq!(
        d.get(b"P").unwrap().as_reference().unwrap(),
        parent,
        "parent of {elem:?}"
    );
    let s = String::from_utf8(d.get(b"S").unwrap().as_name().unwrap().to_vec()).unwrap();
    roles.push((elem, s));
    let pg = d.get(b"Pg").ok().map(|p| p.as_reference().unwrap());
    let kids = match d.get(b"K") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(k) => vec![k.clone()],
        Err(_) => vec![],
    };
    for k in kids {
        match k {
            Object::Integer(n) => {
                items.push(((pg.expect("an MCID without /Pg"), n), elem));
            }
            Object::Reference(r) => walk(pdf, r, elem, items, roles),
            Object::Dictionary(mcr) => {
                assert_eq!(mcr.get(b"Type").unwrap().as_name().unwrap(), b"MCR");
                let page = mcr.get(b"Pg").unwrap().as_reference().unwrap();
                let n = mcr.get(b"MCID").unwrap().as_i64().unwrap();
                items.push(((page, n), elem));
            }
            other => panic!("unexpected kid {other:?}"),
        }
    }
}

/// Checks one file's marked content against its structure tree and parent tree; returns the
/// structure types in tree order.
fn check_tree(name: &str, bytes: &[u8]) -> Vec<String> {
    let pdf = Pdf::load_mem(bytes).unwrap();
    let cat = pdf.catalog().unwrap();
    assert_eq!(
        cat.get(b"Lang").unwrap().as_str().unwrap(),
        b"zh-CN",
        "{name}"
    );
    let mark_info = dict(&pdf, cat.get(b"MarkInfo").unwrap());
    assert!(mark_info.get(b"Marked").unwrap().as_bool().unwrap());
    let prefs = dict(&pdf, cat.get(b"ViewerPreferences").unwrap());
    assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    let root_id = cat.get(b"StructTreeRoot").unwrap().as_reference().unwrap();
    let st = pdf.get_dictionary(root_id).unwrap();
    let top = st.get(b"K").unwrap().as_reference().unwrap();
    let mut items = vec![];
    let mut roles = vec![];
    walk(&pdf, top, root_id, &mut items, &mut roles);
    assert_eq!(roles[0].1, "Document");
    let by_item: BTreeMap<(ObjectId, i64), Vec<ObjectId>> =
        items.iter().fold(BTreeMap::new(), |mut m, &(k, e)| {
            m.entry(k).or_default().push(e);
            m
        });
    let parent_tree = dict(&pdf, st.get(b"ParentTree").unwrap());
    let nums = parent_tree.get(b"Nums").unwrap().as_array().unwrap();
    let parents: BTreeMap<i64, &Vec<Object>> = nums
        .chunks(2)
        .map(|kv| {
            let arr = match &kv[1] {
                Object::Reference(r) => pdf.get_object(*r).unwrap().as_array().unwrap(),
                o => o.as_array().unwrap(),
            };
            (kv[0].as_i64().unwrap(), arr)
        })
        .collect();
    let mut in_content = BTreeSet::new();
    let mut keys = BTreeSet::new();
    for (no, page) in pdf.get_pages() {
        let pd = pdf.get_dictionary(page).unwrap();
        let key = pd
            .get(b"StructParents")
            .unwrap_or_else(|_| panic!("{name}: page {no} has no /StructParents"))
            .as_i64()
            .unwrap();
        assert!(keys.insert(key), "{name}: /StructParents {key} twice");
        assert_eq!(pd.get(b"Tabs").unwrap().as_name().unwrap(), b"S");
        let m = page_marks(&pdf, page);
        assert!(
            m.loose.is_empty(),
            "{name}: page {no} draws outside any tag or artifact: {:?}",
            m.loose
        );
        assert!(
            m.artifact_text >= 1,
            "{name}: page {no}'s number is not an artifact"
        );
        let arr = parents
            .get(&key)
            .unwrap_or_else(|| panic!("{name}: no parent tree entry {key}"));
        assert_eq!(arr.len(), m.mcids.len(), "{name}: page {no}'s parent array");
        for (k, &n) in m.mcids.iter().enumerate() {
            assert_eq!(n, k as i64, "{name}: page {no}: MCIDs are 0, 1, 2, …");
            assert!(
                in_content.insert((page, n)),
                "{name}: MCID {n} twice on page {no}"
            );
            let holders = by_item
                .get(&(page, n))
                .unwrap_or_else(|| panic!("{name}: page {no} MCID {n} is in no element"));
            assert_eq!(
                holders.len(),
                1,
                "{name}: page {no} MCID {n} is referenced {} times",
                holders.len()
            );
            assert_eq!(
                arr[n as usize].as_reference().unwrap(),
                holders[0],
                "{name}: the parent tree names another element for page {no} MCID {n}"
            );
        }
    }
    // Nothing in the tree that no page marks.
    let tree_items: BTreeSet<(ObjectId, i64)> = by_item.keys().copied().collect();
    assert_eq!(tree_items, in_content, "{name}: tree and pages disagree");
    assert_eq!(
        st.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap(),
        keys.len() as i64
    );
    // Every /Headers id is in the /IDTree, as a header cell.
    let id_tree = dict(&pdf, st.get(b"IDTree").unwrap());
    let names = id_tree.get(b"Names").unwrap().as_array().unwrap();
    let ids: BTreeMap<Vec<u8>, ObjectId> = names
        .chunks(2)
        .map(|kv| {
            (
                kv[0].as_str().unwrap().to_vec(),
                kv[1].as_reference().unwrap(),
            )
        })
        .collect();
    for (elem, role) in &roles {
        let d = pdf.get_dictionary(*elem).unwrap();
        if role == "TH" {
            let id = d.get(b"ID").unwrap().as_str().unwrap();
            assert_eq!(ids.get(id), Some(elem), "{name}: /IDTree lacks a TH");
        }
        if let Ok(a) = d.get(b"A") {
            if let Ok(h) = dict(&pdf, a).get(b"Headers") {
                for id in h.as_array().unwrap() {
                    let id = id.as_str().unwrap();
                    let th = ids
                        .get(id)
                        .unwrap_or_else(|| panic!("{name}: no TH {id:?}"));
                    let s = pdf.get_dictionary(*th).unwrap().get(b"S").unwrap();
                    assert_eq!(s.as_name().unwrap(), b"TH");
                }
            }
        }
    }
    roles.into_iter().map(|(_, r)| r).collect()
}

#[test]
fn every_marked_content_id_is_referenced_once_and_nothing_is_drawn_untagged() {
    for (name, r) in reports() {
        for standard in Standard::ALL {
            let bytes = pdf(&r, standard);
            save(&format!("{name}-{}", standard.name()), &bytes);
            let roles = check_tree(name, &bytes);
            let count = |s: &str| roles.iter().filter(|r| *r == s).count();
            assert_eq!(count("H1"), 1, "{name}: the title");
            assert_eq!(count("H2"), 6, "{name}: the six section headings");
            assert_eq!(count("Table"), 3, "{name}: tables 二, 三, 四");
            if name != "bare" {
                assert!(count("P") >= 3, "{name}: paragraphs");
            }
            assert!(count("TD") > 150 && count("TH") > 60, "{name}: cells");
        }
    }
}

#[test]
fn a_header_repeated_on_the_next_page_is_read_once() {
    let path = save("split-header", &pdf(&split_report(), Standard::Pdf17));
    // The pages show table 三's column header twice …
    let shown = common::squash(&common::pdf_text(&path, None))
        .matches(xxgk::spec::format::T3_LEGAL_PERSONS)
        .count();
    assert_eq!(shown, 2, "the split report repeats table 三's header");
    // … the tree holds it once.
    let c = cells(&struct_outline(&path));
    let read =
        c.th.values()
            .filter(|t| common::squash(t) == xxgk::spec::format::T3_LEGAL_PERSONS)
            .count();
    assert_eq!(read, 1);
}

// --- PDF/UA (pdfua) ------------------------------------------------------------------------

#[test]
fn pdfua_finds_no_fault() {
    for (name, r) in reports() {
        let path = save(&format!("{name}-ua"), &pdf(&r, Standard::Pdf17));
        let (_, out, err) = common::run(
            "python3",
            &[
                "-m",
                "pdfua",
                "check",
                "--format",
                "json",
                path.to_str().unwrap(),
            ],
        );
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("pdfua: {e}: {out}{err}"));
        assert_eq!(v["summary"]["errors"], 0, "{name}: {out}");
        assert_eq!(v["summary"]["rules_skipped"], 0, "{name}: {out}");
        // The one finding left is by choice: the file does not claim PDF/UA-1 (pdfuaid) while
        // no validator here checks all of it (README: standards).
        let findings: Vec<&str> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap())
            .filter(|id| *id != "UA-28-004")
            .collect();
        assert!(findings.is_empty(), "{name}: {findings:?}\n{out}");
    }
}

// --- PDF/A-1b (PDFBox Preflight) -----------------------------------------------------------

/// The jars of Debian's PDFBox Preflight and what it needs on Java 11 and later.
fn preflight_classpath() -> String {
    let jars = [
        "preflight.jar",
        "pdfbox2.jar",
        "fontbox2.jar",
        "xmpbox.jar",
        "commons-logging.jar",
        "javax.activation.jar",
        "jaxb-api.jar",
    ];
    let dir = Path::new("/usr/share/java");
    let paths: Vec<String> = jars
        .iter()
        .map(|j| {
            let p = dir.join(j);
            assert!(
                p.exists(),
                "{} is missing: run `bash .ci/install-tools.sh` (libpdfbox2-java, libactivation-java, libjaxb-api-java, a JRE)",
                p.display()
            );
            p.display().to_string()
        })
        .collect();
    paths.join(":")
}

/// PDFBox Preflight's verdict on a file: whether it is valid PDF/A-1b, and what it said.
fn preflight(path: &Path) -> (bool, String) {
    let cp = preflight_classpath();
    let (ok, out, err) = common::run(
        "java",
        &[
            "-cp",
            &cp,
            "org.apache.pdfbox.preflight.Validator_A1b",
            path.to_str().unwrap(),
        ],
    );
    let said = out + &err;
    (ok && said.contains("is a valid PDF/A-1b file"), said)
}

#[test]
fn pdf_a_1b_passes_the_validator() {
    // One Java start for several files would be quicker; one per file keeps each verdict plain.
    for (name, r) in reports() {
        let bytes = pdf(&r, Standard::A1b);
        let path = save(&format!("{name}-a1b"), &bytes);
        let (ok, said) = preflight(&path);
        assert!(ok, "{name}: PDFBox Preflight: {said}");
        assert!(bytes.starts_with(b"%PDF-1.4\n"), "{name}: PDF 1.4");
        let text = String::from_utf8_lossy(&bytes);
        for absent in [
            "/ObjStm",
            "/XRefStm",
            "/EmbeddedFiles",
            "/SMask",
            "/Transparency",
        ] {
            assert!(!text.contains(absent), "{name}: {absent}");
        }
        let (ok, out, err) = common::run("qpdf", &["--check", path.to_str().unwrap()]);
        assert!(ok, "{name}: qpdf --check: {out}{err}");
        // The data rides in the XMP under its declared extension schema (which Preflight has
        // just accepted), and reads back as the same report.
        let p = xxgk::input::read_path(&path).unwrap();
        assert!(
            !p.diagnostics.iter().any(|d| d.rule.id() == "IMPORT"),
            "{name}: read as our data, not by the labels: {:#?}",
            p.diagnostics
        );
        assert_eq!(
            xxgk::render::yaml::render(&p.report),
            xxgk::render::yaml::render(&r),
            "{name}"
        );
    }
}

#[test]
fn the_validator_can_fail() {
    // The default PDF 1.7 is not PDF/A-1b (no output intent, no CIDSet): the check above is not
    // one that passes anything.
    let path = save("seed-not-a1b", &pdf(&seed_report(), Standard::Pdf17));
    let (ok, said) = preflight(&path);
    assert!(!ok, "{said}");
    assert!(said.contains("CIDSet"), "{said}");
}

#[test]
fn the_validator_checks_the_data_schema_is_declared() {
    // The same file with the extension schema blanked out (same length, offsets kept): the
    // report's property is then undeclared, which PDF/A-1 forbids, and Preflight says so.
    let bytes = pdf(&example_report("langfang-2021.yaml"), Standard::A1b);
    let find = |from: usize, what: &[u8]| {
        bytes[from..]
            .windows(what.len())
            .position(|w| w == what)
            .map(|i| i + from)
            .unwrap()
    };
    let ext = find(0, b"<pdfaExtension:schemas>");
    let open = bytes[..ext]
        .windows(16)
        .rposition(|w| w == b"<rdf:Description")
        .unwrap();
    let close = find(ext, b"</rdf:Description>") + b"</rdf:Description>".len();
    let mut blanked = bytes.clone();
    blanked[open..close].fill(b' ');
    let path = save("langfang-undeclared-a1b", &blanked);
    let (ok, said) = preflight(&path);
    assert!(!ok, "{said}");
    assert!(said.contains("urn:xxgk:xmp:report:1/"), "{said}");
}

#[test]
fn both_standards_are_deterministic_and_clean() {
    let r = seed_report();
    for standard in Standard::ALL {
        let a = pdf(&r, standard);
        let b = pdf(&r, standard);
        assert!(a == b, "{}: two renders differ", standard.name());
        let path = save(&format!("seed-twice-{}", standard.name()), &a);
        let (ok, out, err) = common::run("qpdf", &["--check", path.to_str().unwrap()]);
        assert!(ok, "qpdf --check: {out}{err}");
    }
}

#[test]
fn the_archive_file_has_the_same_pages() {
    // Same text at the same places: only the file's conformance differs.
    let r = seed_report();
    let a = save("seed-pages-17", &pdf(&r, Standard::Pdf17));
    let b = save("seed-pages-a1b", &pdf(&r, Standard::A1b));
    let bbox = |p: &Path| {
        let (ok, out, err) = common::run("pdftotext", &["-bbox", p.to_str().unwrap(), "-"]);
        assert!(ok, "{err}");
        // The <head> holds the title and meta; the pages follow.
        out[out.find("<doc>").unwrap()..].to_string()
    };
    assert_eq!(bbox(&a), bbox(&b));
}

#[test]
fn render_and_batch_take_the_standard() {
    let dir = keep_dir("PDF_OUT", "tags-cli");
    let input = common::example_path("langfang-2021.yaml");
    let input = input.to_str().unwrap();
    let (code, _, err) = common::xxgk(
        &[
            "render",
            input,
            "--to",
            "pdf",
            "--pdf-standard",
            "a-1b",
            "-o",
            "one",
        ],
        &dir,
    );
    assert_eq!(code, 0, "{err}");
    let (ok, said) = preflight(&dir.join("one/langfang-2021.pdf"));
    assert!(ok, "{said}");
    let (code, _, err) = common::xxgk(
        &[
            "render",
            input,
            "--to",
            "pdf",
            "--pdf-standard",
            "a-2b",
            "-o",
            "bad",
        ],
        &dir,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("a-2b") && err.contains("a-1b"), "{err}");
    assert!(!dir.join("bad/langfang-2021.pdf").exists());
    // A batch hands the standard to its workers.
    let src = dir.join("in");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::copy(input, src.join("langfang-2021.yaml")).unwrap();
    let (code, _, err) = common::xxgk(
        &[
            "batch",
            "in",
            "-o",
            "many",
            "--to",
            "pdf",
            "--pdf-standard",
            "a-1b",
            "-j",
            "1",
        ],
        &dir,
    );
    assert_eq!(code, 0, "{err}");
    let made: Vec<PathBuf> = walk_files(&dir.join("many"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert!(!made.is_empty(), "batch wrote no PDF: {err}");
    for p in made {
        let bytes = std::fs::read(&p).unwrap();
        assert!(bytes.starts_with(b"%PDF-1.4"), "{}", p.display());
        assert!(String::from_utf8_lossy(&bytes).contains("<pdfaid:part>1</pdfaid:part>"));
    }
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}
