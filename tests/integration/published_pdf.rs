//! PDFs (and an OFD) whose pages are drawn the ways other programs draw them, made from our own
//! documents (their data taken out); the PDFs with lopdf: every page's content inside a form XObject (what PDF editors and
//! "print to PDF" drivers write), every page drawn turned a quarter and shown upright by
//! `/Rotate`, and an OCR layer (invisible text over a picture of the page). Each reads back
//! cell for cell; poppler (pdftotext) confirms each file shows the report's text as a reader
//! sees it.

use crate::common::{self, keep_dir, run};
use lopdf::{dictionary, Document, Object, Stream};
use std::path::{Path, PathBuf};
use xxgk::model::Report;
use xxgk::render::{self, Format};

/// Our PDF of `report`, without the data it carries (so only its text can be read).
fn foreign_pdf(report: &Report) -> Document {
    let docs = render::render_all(report, &[Format::Pdf], Some(common::fonts())).unwrap();
    let mut doc = Document::load_mem(&docs[0].1).unwrap();
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let cat = doc.get_object_mut(root).unwrap().as_dict_mut().unwrap();
    cat.remove(b"Names");
    cat.remove(b"AF");
    doc
}

fn save(doc: &mut Document, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    doc.save(&path).unwrap();
    let (ok, out, err) = run("qpdf", &["--check", path.to_str().unwrap()]);
    assert!(ok, "{name}: {out}{err}");
    path
}

/// What a report read from the labels gives back (the page prints one date: the 落款's).
fn as_printed(r: &Report) -> String {
    let mut r = r.clone();
    if r.signature.as_ref().is_some_and(|s| s.date.is_some()) {
        r.published = None;
    }
    render::yaml::render(&r)
}

/// Reads `path` and compares it with `report`; returns the IMPORT messages.
fn reads_as(path: &Path, report: &Report) -> Vec<String> {
    let p = xxgk::input::read_path(path).unwrap();
    assert!(
        p.complete && !xxgk::diag::has_errors(&p.diagnostics),
        "{}: {:#?}",
        path.display(),
        p.diagnostics
    );
    assert_eq!(
        render::yaml::render(&p.report),
        as_printed(report),
        "{}",
        path.display()
    );
    // Poppler shows the same pages: the table labels and the body are there to be read.
    let (_, text, _) = run("pdftotext", &[path.to_str().unwrap(), "-"]);
    let text: String = text.split_whitespace().collect();
    assert!(
        text.contains(&report.body) && text.contains("本年新收政府信息公开申请数量"),
        "{}",
        path.display()
    );
    p.diagnostics
        .iter()
        .filter(|d| d.rule.id() == "IMPORT")
        .map(|d| d.message.clone())
        .collect()
}

fn pages(doc: &Document) -> Vec<lopdf::ObjectId> {
    doc.get_pages().into_values().collect()
}

#[test]
fn pages_drawn_inside_forms_read_cell_for_cell() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "forms");
    for name in ["langfang-2021.yaml", "demo-2023.yaml"] {
        let report = common::example_report(name);
        let mut doc = foreign_pdf(&report);
        for id in pages(&doc) {
            let content = doc.get_page_content(id);
            let page = doc.get_dictionary(id).unwrap();
            let bbox = page.get(b"MediaBox").unwrap().clone();
            let res = page.get(b"Resources").unwrap().clone();
            // The form within a form: two levels, the inner one moved and moved back.
            let inner = doc.add_object(Stream::new(
                dictionary! {
                    "Type" => "XObject", "Subtype" => "Form", "BBox" => bbox.clone(),
                    "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), (-10).into(), 5.into()],
                    "Resources" => res.clone(),
                },
                content,
            ));
            let outer = doc.add_object(Stream::new(
                dictionary! {
                    "Type" => "XObject", "Subtype" => "Form", "BBox" => bbox,
                    "Resources" => dictionary! { "XObject" => dictionary! { "Fi" => inner } },
                },
                b"q 1 0 0 1 10 -5 cm /Fi Do Q".to_vec(),
            ));
            doc.change_page_content(id, b"q /Fo Do Q".to_vec()).unwrap();
            let page = doc.get_object_mut(id).unwrap().as_dict_mut().unwrap();
            page.set(
                "Resources",
                dictionary! { "XObject" => dictionary! { "Fo" => outer } },
            );
        }
        let path = save(&mut doc, &dir, &name.replace(".yaml", "-forms.pdf"));
        reads_as(&path, &report);
    }
}

#[test]
fn pages_drawn_turned_and_shown_upright_read_cell_for_cell() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "turned");
    let report = common::example_report("langfang-2021.yaml");
    for (rotate, turn) in [
        // Drawn a quarter turn anticlockwise, shown a quarter turn clockwise.
        (90, "0 1 -1 0 {h} 0 cm"),
        (180, "-1 0 0 -1 {w} {h} cm"),
        (270, "0 -1 1 0 0 {w} cm"),
    ] {
        let mut doc = foreign_pdf(&report);
        for id in pages(&doc) {
            let content = doc.get_page_content(id);
            let page = doc.get_dictionary(id).unwrap();
            let b: Vec<f32> = page
                .get(b"MediaBox")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_float().unwrap())
                .collect();
            let (w, h) = (b[2] - b[0], b[3] - b[1]);
            let cm = turn
                .replace("{w}", &w.to_string())
                .replace("{h}", &h.to_string());
            let mut turned = format!("q {cm}\n").into_bytes();
            turned.extend(content);
            turned.extend(b"\nQ");
            doc.change_page_content(id, turned).unwrap();
            let page = doc.get_object_mut(id).unwrap().as_dict_mut().unwrap();
            let media: Vec<Object> = if rotate == 180 {
                vec![0.into(), 0.into(), w.into(), h.into()]
            } else {
                vec![0.into(), 0.into(), h.into(), w.into()]
            };
            // The page's boxes turn with it (printpdf writes a CropBox and a TrimBox too).
            for b in ["MediaBox", "CropBox", "TrimBox"] {
                page.set(b, media.clone());
            }
            page.set("Rotate", rotate);
        }
        let path = save(&mut doc, &dir, &format!("turned-{rotate}.pdf"));
        // Poppler, honouring /Rotate, shows the page upright: its first line is the title.
        let (_, text, _) = run("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        assert!(first.contains(&report.body), "{rotate}: {first}");
        reads_as(&path, &report);
    }
}

#[test]
fn an_ocr_layer_reads_with_a_warning_on_every_page() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "ocr");
    let report = common::example_report("demo-2023.yaml");
    let mut doc = foreign_pdf(&report);
    // A picture of the page (a grey pixel, stretched) with the text over it drawn invisible.
    let image = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![200u8],
    ));
    let ids = pages(&doc);
    for &id in &ids {
        let content = doc.get_page_content(id);
        let mut layered = b"q 595 0 0 842 0 0 cm /Scan Do Q\n3 Tr\n".to_vec();
        layered.extend(content);
        doc.change_page_content(id, layered).unwrap();
        doc.add_xobject(id, "Scan", image).unwrap();
    }
    let path = save(&mut doc, &dir, "ocr.pdf");
    let import = reads_as(&path, &report);
    let ocr: Vec<&String> = import.iter().filter(|m| m.contains("OCR")).collect();
    assert_eq!(ocr.len(), ids.len(), "{import:#?}");
    for (k, m) in ocr.iter().enumerate() {
        assert!(m.starts_with(&format!("第 {} 页", k + 1)), "{m}");
    }
    // Poppler draws no text on the page: the layer is invisible (its pixels are the picture's).
    let (ok, _, err) = run(
        "pdftoppm",
        &[
            "-r",
            "10",
            "-f",
            "1",
            "-l",
            "1",
            "-gray",
            path.to_str().unwrap(),
            dir.join("ocr-page").to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    let pgm = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "pgm"))
        .unwrap();
    let bytes = std::fs::read(pgm).unwrap();
    let pixels = &bytes[bytes.len() - 50..];
    assert!(pixels.iter().all(|&p| p == 200), "{pixels:?}");
}

#[test]
fn a_form_that_draws_itself_ends() {
    // Each level draws the same form 2,000 times, nine levels deep if nothing stopped it.
    let report = common::example_report("demo-2023.yaml");
    let mut doc = foreign_pdf(&report);
    let id = doc.new_object_id();
    let content = b"/Me Do ".repeat(2_000);
    doc.objects.insert(
        id,
        Object::Stream(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "Me" => id } },
            },
            content,
        )),
    );
    let first = pages(&doc)[0];
    let mut page = doc.get_page_content(first);
    page.extend(b"\n/Me Do");
    doc.change_page_content(first, page).unwrap();
    doc.add_xobject(first, "Me", id).unwrap();
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "form-bomb");
    let path = save(&mut doc, &dir, "bomb.pdf");
    // It ends, with the page's own text read (the operators' budget is the page's).
    let p = xxgk::input::read_path(&path).unwrap();
    assert!(
        p.report.body == report.body || !p.complete,
        "{:#?}",
        p.diagnostics
    );
}

#[test]
fn text_whose_fonts_do_not_say_their_characters_gets_a_clear_message() {
    // The fonts' ToUnicode maps taken away: the glyphs are drawn, but which characters they
    // are is nowhere in the file (poppler reads nothing either).
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "no-tounicode");
    let mut doc = foreign_pdf(&common::example_report("demo-2023.yaml"));
    for (_, o) in doc.objects.iter_mut() {
        if let Object::Dictionary(d) = o {
            if d.get(b"Type").and_then(Object::as_name).ok() == Some(b"Font") {
                d.remove(b"ToUnicode");
            }
        }
    }
    let path = save(&mut doc, &dir, "no-tounicode.pdf");
    let (_, text, _) = run("pdftotext", &[path.to_str().unwrap(), "-"]);
    assert!(!text.contains("本年新收"), "{text}");
    let (code, out, err) = common::xxgk(&["check", path.to_str().unwrap()], &dir);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("文字无法解码") && out.contains("ToUnicode"),
        "{out}"
    );
}

#[test]
fn a_government_page_printed_by_a_browser_and_by_libreoffice_reads_cell_for_cell() {
    // The hand-written government page (every cell boxed on its own, as `border="1"` with
    // cell spacing draws it) printed to PDF: its 表三 and 表四 are cut by page breaks, 表四
    // through a cell that spans two rows; the page's first section has no line reaching the
    // margin.
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "gov-printed");
    let html = dir.join("gov.html");
    std::fs::write(&html, crate::published::government_page()).unwrap();
    let browser = crate::published::chromium_pdf(&html, &dir);
    let office = common::libreoffice(&html, "pdf:writer_web_pdf_Export", &dir.join("lo"));
    let want = crate::published::expected_government();
    for pdf in [browser, office] {
        // Poppler sees 表三 begin on one page and go on on the next.
        let (_, pages, _) = run("pdfinfo", &[pdf.to_str().unwrap()]);
        assert!(!pages.contains("Pages:           1\n"), "{pages}");
        let p = xxgk::input::read_path(&pdf).unwrap();
        assert!(
            p.complete && !xxgk::diag::has_errors(&p.diagnostics),
            "{}: {:#?}",
            pdf.display(),
            p.diagnostics
        );
        let mut got = p.report;
        got.published = None;
        assert_eq!(
            render::yaml::render(&got),
            render::yaml::render(&want),
            "{}",
            pdf.display()
        );
    }
}

/// Halves a number written in an OFD attribute.
fn half(v: &str) -> String {
    let v: f64 = v.parse().unwrap();
    format!("{:.4}", v / 2.0)
}

/// An OFD content part with every text object drawn at half size and scaled back by its `CTM`
/// (as converters that work in another unit write it): the page looks the same.
fn scaled_by_ctm(xml: &str) -> String {
    let attr_re = |tag: &str, s: &str, f: &dyn Fn(&str, &str) -> String| -> String {
        let mut out = String::new();
        let mut rest = s;
        let open = format!("<ofd:{tag} ");
        while let Some(i) = rest.find(&open) {
            let end = rest[i..].find('>').unwrap() + i;
            out.push_str(&rest[..i]);
            let mut t = rest[i..end].to_string();
            for name in ["Size", "X", "Y", "DeltaX"] {
                let key = format!(" {name}=\"");
                if let Some(a) = t.find(&key) {
                    let v0 = a + key.len();
                    let v1 = t[v0..].find('"').unwrap() + v0;
                    let v = f(name, &t[v0..v1]);
                    t.replace_range(v0..v1, &v);
                }
            }
            if tag == "TextObject" {
                t.push_str(" CTM=\"2 0 0 2 0 0\"");
            }
            out.push_str(&t);
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    };
    let halve = |name: &str, v: &str| -> String {
        if name == "DeltaX" {
            let t: Vec<&str> = v.split_whitespace().collect();
            let mut out = vec![];
            let mut i = 0;
            while i < t.len() {
                if t[i] == "g" {
                    out.extend(["g".to_string(), t[i + 1].to_string(), half(t[i + 2])]);
                    i += 3;
                } else {
                    out.push(half(t[i]));
                    i += 1;
                }
            }
            out.join(" ")
        } else {
            half(v)
        }
    };
    let xml = attr_re("TextObject", xml, &|n, v| {
        if n == "Size" {
            half(v)
        } else {
            v.to_string()
        }
    });
    attr_re("TextCode", &xml, &|n, v| {
        if n == "Size" {
            v.to_string()
        } else {
            halve(n, v)
        }
    })
}

#[test]
fn an_ofd_whose_text_is_scaled_by_its_transform_reads_cell_for_cell() {
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "ofd-ctm");
    let report = common::example_report("demo-2023.yaml");
    let docs = render::render_all(&report, &[Format::Ofd], Some(common::fonts())).unwrap();
    let mut scaled = 0;
    let ofd = common::package::repack(&docs[0].1, |n, b| {
        let b = common::package::without_data_part(n, b)?;
        if !n.ends_with("Content.xml") {
            return Some(b);
        }
        scaled += 1;
        Some(scaled_by_ctm(&String::from_utf8(b).unwrap()).into_bytes())
    });
    assert!(scaled > 0, "the pages' content was there to scale");
    let path = dir.join("scaled.ofd");
    std::fs::write(&path, ofd).unwrap();
    // sofd draws the scaled page where the original stands: the first text line of page 1 has
    // ink in the same rows of pixels in both.
    let original = dir.join("original.ofd");
    std::fs::write(&original, &docs[0].1).unwrap();
    let ink_rows = |ofd: &Path, png: &str| -> Vec<usize> {
        let png = dir.join(png);
        let (ok, out, err) = run(
            "sofd",
            &[
                "--locale",
                "en-US",
                "render",
                ofd.to_str().unwrap(),
                "-p",
                "0",
                "--dpi",
                "30",
                "-o",
                png.to_str().unwrap(),
            ],
        );
        assert!(ok, "{out}{err}");
        let g = crate::ofd::read_png(&png);
        (0..g.h)
            .filter(|&y| g.px[y * g.w..(y + 1) * g.w].iter().any(|&p| p < 128))
            .collect()
    };
    assert_eq!(ink_rows(&original, "a.png"), ink_rows(&path, "b.png"));
    let p = xxgk::input::read_path(&path).unwrap();
    assert!(
        p.complete && !xxgk::diag::has_errors(&p.diagnostics),
        "{:#?}",
        p.diagnostics
    );
    assert_eq!(render::yaml::render(&p.report), as_printed(&report));
}

#[test]
fn two_hundred_pages_each_a_ruled_table_of_blank_rows_end_quickly() {
    // Every page ends and starts with a table, so each would be joined to the one before: a
    // file made to make that cost the square of its rows reads in bounded time.
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = vec![];
    let mut grid = String::from("0.5 w\n");
    for r in 0..=300 {
        let y = 800.0 - r as f32 * 2.5;
        grid.push_str(&format!("50 {y} m 550 {y} l S\n"));
    }
    for c in 0..=10 {
        let x = 50 + c * 50;
        grid.push_str(&format!("{x} 800 m {x} 50 l S\n"));
    }
    for _ in 0..200 {
        let content = doc.add_object(Stream::new(dictionary! {}, grid.clone().into_bytes()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(Object::Reference(page));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Count" => 200, "Kids" => kids }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let dir = keep_dir("XXGK_KEEP_PUBLISHED", "blank-grids");
    let path = save(&mut doc, &dir, "grids.pdf");
    let t = std::time::Instant::now();
    let (code, out, err) = common::xxgk(&["check", path.to_str().unwrap()], &dir);
    // No text at all: the scan message, and no hang (the time is printed, not asserted).
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("没有文字层"), "{out}");
    eprintln!("200 pages of 300-row grids: {:?}", t.elapsed());
}
