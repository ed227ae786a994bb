//! OFD output (GB/T 33190-2016): the package is checked here, and then read by an independent
//! reader, `sofd` (the `sofd-cli` crate; `.ci/install-tools.sh` installs it): its audit, its
//! text, and its picture of every page beside `pdftoppm`'s picture of the PDF's page.
//! Set `OFD_OUT=dir` to keep the files and page pictures for a look.

use crate::common;

use common::{example_report, fonts, keep_dir, root, run, xxgk, zip_parts};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use xxgk::model::{Report, Text};
use xxgk::render::document::Document;
use xxgk::render::paged::{self, Face};
use xxgk::render::{render, Format};

fn part<'a>(parts: &'a [(String, Vec<u8>)], name: &str) -> &'a str {
    let b = &parts
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .1;
    std::str::from_utf8(b).unwrap()
}

#[test]
fn the_package_has_its_parts_metadata_and_fixed_bytes() {
    let r = example_report("langfang-2021.yaml");
    let a = render(&r, Format::Ofd, Some(fonts())).unwrap();
    let b = render(&r, Format::Ofd, Some(fonts())).unwrap();
    assert!(a == b, "two renders differ");
    let c = std::thread::scope(|s| {
        s.spawn(|| render(&r, Format::Ofd, Some(fonts())).unwrap())
            .join()
            .unwrap()
    });
    assert!(a == c, "a render in another thread differs");

    let pages = paged::layout(&Document::of(&r), fonts())
        .map(|d| d.pages)
        .unwrap();
    let p = zip_parts(&a);
    let names: Vec<&str> = p.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        &names[..4],
        [
            "OFD.xml",
            "Doc_0/Document.xml",
            "Doc_0/PublicRes.xml",
            "Doc_0/DocumentRes.xml"
        ]
    );
    let contents: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| n.ends_with("/Content.xml"))
        .collect();
    assert_eq!(contents.len(), pages.len());
    for (i, n) in contents.iter().enumerate() {
        assert_eq!(*n, format!("Doc_0/Pages/Page_{i}/Content.xml"));
    }

    let entry = part(&p, "OFD.xml");
    let d = r.stamp_date();
    for want in [
        format!("<ofd:Title>{}</ofd:Title>", r.title_text()),
        format!("<ofd:Author>{}</ofd:Author>", r.body),
        format!(
            "<ofd:CreationDate>{:04}-{:02}-{:02}</ofd:CreationDate>",
            d.year, d.month, d.day
        ),
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>".to_string(),
    ] {
        assert!(entry.contains(&want), "OFD.xml lacks {want}:\n{entry}");
    }
    let doc = part(&p, "Doc_0/Document.xml");
    assert!(
        doc.contains("<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"),
        "A4: {doc}"
    );

    // Every face the pages use is embedded as a font file of its own flavour, subset.
    let res = part(&p, "Doc_0/PublicRes.xml");
    let faces: std::collections::BTreeSet<_> = pages
        .iter()
        .flat_map(|pg| pg.runs.iter().map(|r| r.face))
        .collect();
    assert_eq!(res.matches("<ofd:Font ").count(), faces.len(), "{res}");
    for (name, bytes) in p.iter().filter(|(n, _)| n.starts_with("Doc_0/Res/")) {
        let otf = name.ends_with(".otf") && bytes.starts_with(b"OTTO");
        let ttf = name.ends_with(".ttf") && bytes.starts_with(&[0, 1, 0, 0]);
        assert!(otf || ttf, "{name} is not a single OpenType font");
        assert!(
            bytes.len() < 300 * 1024,
            "{name}: {} bytes, not a subset",
            bytes.len()
        );
        assert!(
            res.contains(name.trim_start_matches("Doc_0/Res/")),
            "{name} not declared"
        );
    }

    // One text object per drawn run, one path object per rule.
    for (page, n) in pages.iter().zip(&contents) {
        let xml = part(&p, n);
        let drawn = page
            .runs
            .iter()
            .filter(|r| !r.text.trim().is_empty())
            .count();
        assert_eq!(xml.matches("<ofd:TextObject ").count(), drawn, "{n}");
        assert_eq!(
            xml.matches("<ofd:PathObject ").count(),
            page.rules.len(),
            "{n}"
        );
    }

    // The zip's dates are the stamp date, not the clock's.
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&a)).unwrap();
    let t = z.by_index(0).unwrap().last_modified().unwrap();
    assert_eq!((t.year(), t.month(), t.day()), (d.year, d.month, d.day));
}

#[test]
fn the_fonts_are_subsets_of_the_faces_the_pdf_embeds() {
    let r = example_report("langfang-2021.yaml");
    let dir = keep_dir("OFD_OUT", "fonts");
    let pdf_path = dir.join("langfang-2021.pdf");
    std::fs::write(&pdf_path, render(&r, Format::Pdf, Some(fonts())).unwrap()).unwrap();
    // The PDF's fonts by PostScript name, without the subset tag (`XXGKAB+FandolFang-Regular`).
    let out = Command::new(common::tool("pdffonts"))
        .arg(&pdf_path)
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    let mut in_pdf: Vec<String> = listing
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .map(|n| n.split_once('+').map_or(n, |(_, name)| name).to_string())
        .collect();
    in_pdf.sort();
    in_pdf.dedup();
    let p = zip_parts(&render(&r, Format::Ofd, Some(fonts())).unwrap());
    let mut in_ofd = vec![];
    for (name, font) in p.iter().filter(|(n, _)| n.starts_with("Doc_0/Res/")) {
        let face = ttf_parser::Face::parse(font, 0).unwrap_or_else(|e| panic!("{name}: {e}"));
        // A subset: a few hundred glyphs of the tens of thousands in a Fandol face.
        assert!(
            face.number_of_glyphs() < 2000,
            "{name}: {} glyphs",
            face.number_of_glyphs()
        );
        let ps = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .and_then(|n| {
                n.to_string()
                    .or_else(|| Some(String::from_utf8_lossy(n.name).into_owned()))
            })
            .unwrap_or_default();
        in_ofd.push(ps);
    }
    in_ofd.sort();
    in_ofd.dedup();
    assert_eq!(
        in_ofd.len(),
        6,
        "five Fandol faces and Liberation Serif: {in_ofd:?}"
    );
    assert_eq!(in_ofd, in_pdf, "the same faces as the PDF");
}

#[test]
fn text_is_escaped() {
    let mut r = example_report("demo-2023.yaml");
    r.other.intro = Text("依据<条例>第A&B条“公开”及'说明'。".into());
    let p = zip_parts(&render(&r, Format::Ofd, Some(fonts())).unwrap());
    let all: String = p
        .iter()
        .filter(|(n, _)| n.ends_with("Content.xml"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(all.contains("&lt;"), "< escaped");
    assert!(all.contains("&amp;"), "& escaped");
    assert!(all.contains("&apos;"), "' escaped");
    assert!(!all.contains("<条例>"));
}

#[test]
fn render_and_batch_write_ofd() {
    let dir = tempfile::tempdir().unwrap();
    let ex = root().join("examples/langfang-2021.yaml");
    let (code, _, err) = xxgk(
        &["render", ex.to_str().unwrap(), "-o", "a", "--to", "ofd,pdf"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("a"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    names.sort();
    assert_eq!(names, ["langfang-2021.ofd", "langfang-2021.pdf"]);
    let bytes = std::fs::read(dir.path().join("a/langfang-2021.ofd")).unwrap();
    assert!(
        bytes
            == render(
                &example_report("langfang-2021.yaml"),
                Format::Ofd,
                Some(fonts())
            )
            .unwrap()
    );

    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(
        root().join("examples/demo-2023.yaml"),
        input.join("demo.yaml"),
    )
    .unwrap();
    let (code, _, err) = xxgk(&["batch", "in", "-o", "out", "--to", "ofd"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("out/demo.ofd").is_file(), "{err}");
    assert!(!dir.path().join("out/demo.pdf").exists());
}

// --- The independent reader -------------------------------------------------------------------

/// The two examples rendered to OFD and PDF in `dir`.
fn both(dir: &Path, name: &str) -> (Report, PathBuf, PathBuf) {
    let r = example_report(&format!("{name}.yaml"));
    let o = dir.join(format!("{name}.ofd"));
    let p = dir.join(format!("{name}.pdf"));
    std::fs::write(&o, render(&r, Format::Ofd, Some(fonts())).unwrap()).unwrap();
    std::fs::write(&p, render(&r, Format::Pdf, Some(fonts())).unwrap()).unwrap();
    (r, o, p)
}

const EXAMPLES: [&str; 2] = ["langfang-2021", "demo-2023"];

#[test]
fn sofd_reads_the_package_without_a_finding() {
    let dir = keep_dir("OFD_OUT", "audit");
    for name in EXAMPLES {
        let (r, o, _) = both(&dir, name);
        let path = o.to_str().unwrap();
        let pages = paged::layout(&Document::of(&r), fonts())
            .map(|d| d.pages)
            .unwrap()
            .len();

        let (ok, out, err) = run("sofd", &["--locale", "en-US", "info", path]);
        assert!(ok && err.trim().is_empty(), "{name}: info: {out}{err}");
        assert!(
            out.contains(&format!("{pages}")),
            "{name}: page count: {out}"
        );
        assert!(
            out.contains("210") && out.contains("297"),
            "{name}: A4: {out}"
        );

        // No structural finding (ARCH-001…008: entry, references, files the resources name)
        // and no error. Two archival-profile warnings remain, by choice: the package declares
        // DocType "OFD", not "OFD-A" (GB/T 42133 archival conformance is not claimed), and it is
        // not signed (a signature needs the body's key, which xxgk does not have).
        let (ok, out, err) = run("sofd", &["--locale", "en-US", "audit", path]);
        assert!(ok && err.trim().is_empty(), "{name}: audit: {out}{err}");
        std::fs::write(dir.join(format!("{name}.audit.txt")), &out).unwrap();
        let codes: Vec<&str> = out
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert_eq!(codes, ["ARCH-101", "ARCH-006"], "{name}: audit: {out}");
        assert!(!out.contains("[error]"), "{name}: audit: {out}");
    }
}

#[test]
fn sofd_finds_the_report_text() {
    let dir = keep_dir("OFD_OUT", "text");
    let (r, o, _) = both(&dir, "langfang-2021");
    let path = o.to_str().unwrap();
    let pages = paged::layout(&Document::of(&r), fonts())
        .map(|d| d.pages)
        .unwrap();
    // Whole runs as they were drawn, since sofd searches run by run: every run of four
    // characters or more (every line of the paragraphs, headings, table labels) and the title's.
    // (A needle inside a longer run of Chinese makes sofd-cli 0.6.1 panic as it cuts the hit's
    // snippet at a byte that is not a character boundary: sofd's bug, not the document's.)
    let texts: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.runs.iter().map(|r| r.text.trim()))
        .collect();
    let mut needles: Vec<(usize, String)> = vec![];
    for (n, page) in pages.iter().enumerate() {
        for run in &page.runs {
            let t = run.text.trim();
            if (t.chars().count() >= 4 || run.face == Face::Title)
                && !needles.iter().any(|(m, u)| *m == n && u == t)
                && sofd_can_search(t, &texts)
            {
                needles.push((n, t.to_string()));
            }
        }
    }
    assert!(needles.len() > 100, "{} runs", needles.len());
    for (page, needle) in &needles {
        let (ok, out, err) = run("sofd", &["--locale", "en-US", "search", path, needle]);
        assert!(ok, "search {needle}: {out}{err}");
        assert!(
            out.lines()
                .any(|l| l.contains(needle.as_str()) && l.contains(&format!("{page}"))),
            "sofd does not find “{needle}” on page {page}: {out}{err}"
        );
    }
    eprintln!("sofd found all {} runs searched", needles.len());
}

/// Whether `sofd search` can look for `needle` without panicking: sofd-cli 0.6.1 cuts a snippet
/// from 8 bytes before to 8 bytes after every hit in every run, and a cut inside a character
/// kills it.
fn sofd_can_search(needle: &str, runs: &[&str]) -> bool {
    runs.iter().all(|run| {
        run.match_indices(needle).all(|(start, _)| {
            let end = start + needle.len();
            run.is_char_boundary(start.saturating_sub(8))
                && run.is_char_boundary((end + 8).min(run.len()))
        })
    })
}

/// A page picture as 8-bit grey: width, height, pixels (white 255).
pub(crate) struct Grey {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

/// A PNG (any colour type) flattened on white to grey.
pub(crate) fn read_png(path: &Path) -> Grey {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let ch = info.color_type.samples();
    let px = buf[..w * h * ch]
        .chunks(ch)
        .map(|p| {
            let (lum, a) = match p.len() {
                1 => (p[0] as u32, 255),
                2 => (p[0] as u32, p[1] as u32),
                3 => ((p[0] as u32 + p[1] as u32 + p[2] as u32) / 3, 255),
                _ => ((p[0] as u32 + p[1] as u32 + p[2] as u32) / 3, p[3] as u32),
            };
            ((lum * a + 255 * (255 - a)) / 255) as u8
        })
        .collect();
    Grey { w, h, px }
}

/// A binary PGM (`pdftoppm -gray`).
fn read_pgm(path: &Path) -> Grey {
    let b = std::fs::read(path).unwrap();
    let mut fields = vec![];
    let mut i = 0;
    while fields.len() < 4 {
        while b[i].is_ascii_whitespace() {
            i += 1;
        }
        let s = i;
        while !b[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&b[s..i]).into_owned());
    }
    assert_eq!(fields[0], "P5", "{}", path.display());
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let px = b[i + 1..i + 1 + w * h].to_vec();
    Grey { w, h, px }
}

/// How two pictures of one page differ, `b` read `shift` pixels away: the share of ink (pixels
/// darker than 128 in either) with no ink near it in the other picture (nothing darker than 160
/// in the 3 × 3 pixels around), and the mean absolute difference of all pixels in grey levels.
/// The two rasterizers put a glyph's edge up to half a pixel apart and shade edges differently;
/// ink one pixel off still has ink near it, a glyph or rule two pixels off or missing has none.
fn difference(a: &Grey, b: &Grey, shift: (isize, isize)) -> (f64, f64) {
    assert!(
        a.w.abs_diff(b.w) <= 1 && a.h.abs_diff(b.h) <= 1,
        "sizes {}×{} and {}×{}",
        a.w,
        a.h,
        b.w,
        b.h
    );
    let (w, h) = (a.w.min(b.w) as isize, a.h.min(b.h) as isize);
    let at = |g: &Grey, x: isize, y: isize| -> u8 {
        if x < 0 || y < 0 || x >= w || y >= h {
            255
        } else {
            g.px[y as usize * g.w + x as usize]
        }
    };
    let near = |g: &Grey, x: isize, y: isize| -> u8 {
        let mut m = 255;
        for dy in -1..=1 {
            for dx in -1..=1 {
                m = m.min(at(g, x + dx, y + dy));
            }
        }
        m
    };
    let (mut ink, mut stray, mut sum) = (0u64, 0u64, 0u64);
    for y in 0..h {
        for x in 0..w {
            let (bx, by) = (x + shift.0, y + shift.1);
            let (p, q) = (at(a, x, y), at(b, bx, by));
            sum += u64::from(p.abs_diff(q));
            if p < 128 || q < 128 {
                ink += 1;
                if (p < 128 && near(b, bx, by) >= 160) || (q < 128 && near(a, x, y) >= 160) {
                    stray += 1;
                }
            }
        }
    }
    (
        stray as f64 / ink.max(1) as f64,
        sum as f64 / (w * h) as f64,
    )
}

/// The resolution of the comparison: 100 dpi, an A4 page of 827 × 1170 pixels.
const DPI: &str = "100";
/// The most stray ink a page may have, and the most mean difference in grey levels. Measured
/// on both examples with the bundled fonts (10 pages, sofd-cli 0.6.1, poppler's pdftoppm):
/// stray ink 0.0000–0.0043 (thin horizontal strokes such as 一 二 三, which the two rasterizers
/// shade on different rows), mean difference 0.68–6.26 (sofd draws everything about half a
/// pixel up and left of pdftoppm, at 100 and at 300 dpi alike, so a rasterizer convention and
/// not a position). The same pages two pixels (0.5 mm) out of place give stray ink 0.22–0.32,
/// checked below so that the limit has teeth.
const MAX_STRAY: f64 = 0.01;
const MAX_MEAN: f64 = 8.0;

#[test]
fn sofd_pages_match_the_pdf_pages() {
    let pdftoppm = "pdftoppm";
    let dir = keep_dir("OFD_OUT", "pages");
    let mut report = vec![];
    for name in EXAMPLES {
        let (r, o, p) = both(&dir, name);
        let pages = paged::layout(&Document::of(&r), fonts())
            .map(|d| d.pages)
            .unwrap()
            .len();
        let prefix = dir.join(format!("{name}-pdf"));
        let (ok, out, err) = run(
            pdftoppm,
            &[
                "-r",
                DPI,
                "-gray",
                p.to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        assert!(ok, "pdftoppm: {out}{err}");
        let mut pgms: BTreeMap<usize, PathBuf> = BTreeMap::new();
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            let f = path.file_name().unwrap().to_string_lossy().into_owned();
            if let Some(n) = f
                .strip_prefix(&format!("{name}-pdf-"))
                .and_then(|s| s.strip_suffix(".pgm"))
            {
                pgms.insert(n.parse().unwrap(), path.clone());
            }
        }
        assert_eq!(pgms.len(), pages, "{name}: pdftoppm pages");
        for (i, pgm) in pgms.values().enumerate() {
            let png = dir.join(format!("{name}-ofd-{}.png", i + 1));
            let (ok, out, err) = run(
                "sofd",
                &[
                    "--locale",
                    "en-US",
                    "render",
                    o.to_str().unwrap(),
                    "-p",
                    &i.to_string(),
                    "--dpi",
                    DPI,
                    "-o",
                    png.to_str().unwrap(),
                ],
            );
            // sofd warns (and fails) when a face or a glyph is missing.
            assert!(ok && err.trim().is_empty(), "{name} page {i}: {out}{err}");
            let (ofd_page, pdf_page) = (read_png(&png), read_pgm(pgm));
            let (stray, mean) = difference(&ofd_page, &pdf_page, (0, 0));
            let (moved, _) = difference(&ofd_page, &pdf_page, (2, 0));
            report.push(format!(
                "{name} p{}: stray ink {stray:.5}, mean {mean:.3}; 2 px off: stray {moved:.4}",
                i + 1
            ));
            eprintln!("{}", report[report.len() - 1]);
            assert!(
                stray <= MAX_STRAY && mean <= MAX_MEAN,
                "{name} page {}: stray ink {stray:.5}, mean difference {mean:.3} (at most {MAX_STRAY}, {MAX_MEAN}); pictures in {}",
                i + 1,
                dir.display()
            );
            assert!(
                moved > 5.0 * MAX_STRAY,
                "{name} page {}: two pixels off gives only {moved:.4}: the measure is blind",
                i + 1
            );
        }
    }
    std::fs::write(dir.join("difference.txt"), report.join("\n")).unwrap();
}

#[test]
fn names_set_in_the_fallback_face_draw_in_sofd_as_in_the_pdf() {
    let mut r = example_report("demo-2023.yaml");
    r.overview.intro = Text("参加座谈的有张堃、李喆、王旻、刘镕、陈赟等同志。".into());
    let o = sofd_page_matches_pdf(&r, 1, "fallback");
    let res = zip_parts(&std::fs::read(&o).unwrap());
    assert!(part(&res, "Doc_0/PublicRes.xml").contains("NotoSerifCJK"));
}

/// Characters outside the fonts' basic blocks — 䶮 (U+4DAE, CJK Extension A) and 𠮷 (U+20BB7,
/// outside the BMP) — which the built-in fallback lacks and the machine's Noto Serif CJK draws:
/// the OFD embeds that font too and sofd draws them where the PDF has them (they went blank).
#[test]
fn characters_beyond_the_basic_blocks_draw_in_sofd_as_in_the_pdf() {
    let mut r = example_report("langfang-2021.yaml");
    r.overview.intro = Text("龑䶮与𠮷野家等字。".into());
    // The fonts as a clerk's machine has them (the built-in faces and the system's): the
    // tests' usual set reads the fonts/ folder, whose Noto cut stops the search.
    let machine = paged::Fonts::load(None).unwrap();
    if "䶮𠮷".chars().any(|c| !paged::can_draw(&machine, c)) {
        panic!("no font draws 䶮 and 𠮷: install Noto Serif CJK (fonts-noto-cjk, .ci/install-tools.sh)");
    }
    let o = sofd_page_matches_pdf_with(&r, 1, "rare", &machine);
    // Every character of the text is in the cmap of an embedded font (read from the font
    // files with fc-query, not with the writer's own parser).
    let dir = keep_dir("OFD_OUT", "rare");
    let mut covered = BTreeMap::new();
    for (name, bytes) in zip_parts(&std::fs::read(&o).unwrap()) {
        if !name.starts_with("Doc_0/Res/Font_") {
            continue;
        }
        let path = dir.join(name.rsplit('/').next().unwrap());
        std::fs::write(&path, bytes).unwrap();
        let (ok, out, err) = run(
            "fc-query",
            &["--format", "%{charset}", path.to_str().unwrap()],
        );
        assert!(ok, "{err}");
        covered.insert(name, out);
    }
    let has = |c: char| {
        covered.values().any(|set| {
            set.split_whitespace().any(|range| {
                let mut ends = range
                    .split('-')
                    .map(|h| u32::from_str_radix(h, 16).unwrap());
                let a = ends.next().unwrap();
                let b = ends.next().unwrap_or(a);
                (a..=b).contains(&u32::from(c))
            })
        })
    };
    for c in "䶮𠮷龑".chars() {
        assert!(has(c), "no embedded font of the OFD maps {c}: {covered:?}");
    }
}

/// A long name in the 落款 broken in two lines: sofd draws the page as pdftoppm draws the PDF's.
#[test]
fn a_long_signature_draws_in_sofd_as_in_the_pdf() {
    let mut r = example_report("langfang-2021.yaml");
    r.signature.as_mut().unwrap().body =
        "某某省某某自治州某某县人民政府办公室政务公开与政府信息公开工作领导小组办公室".into();
    let pages = paged::layout(&Document::of(&r), fonts())
        .unwrap()
        .pages
        .len();
    sofd_page_matches_pdf(&r, pages, "long-signature");
}

/// Writes the OFD and the PDF of `r` and compares sofd's picture of page `page` (1-based)
/// with pdftoppm's: no warning from sofd (a missing glyph), no stray ink. The OFD's path.
fn sofd_page_matches_pdf(r: &Report, page: usize, name: &str) -> PathBuf {
    sofd_page_matches_pdf_with(r, page, name, fonts())
}

fn sofd_page_matches_pdf_with(
    r: &Report,
    page: usize,
    name: &str,
    fonts: &paged::Fonts,
) -> PathBuf {
    let pdftoppm = "pdftoppm";
    let dir = keep_dir("OFD_OUT", name);
    let o = dir.join(format!("{name}.ofd"));
    let p = dir.join(format!("{name}.pdf"));
    std::fs::write(&o, render(r, Format::Ofd, Some(fonts)).unwrap()).unwrap();
    std::fs::write(&p, render(r, Format::Pdf, Some(fonts)).unwrap()).unwrap();
    let png = dir.join(format!("{name}-ofd-{page}.png"));
    let (ok, out, err) = run(
        "sofd",
        &[
            "--locale",
            "en-US",
            "render",
            o.to_str().unwrap(),
            "-p",
            &(page - 1).to_string(),
            "--dpi",
            DPI,
            "-o",
            png.to_str().unwrap(),
        ],
    );
    assert!(ok && err.trim().is_empty(), "{out}{err}");
    let prefix = dir.join(format!("{name}-pdf"));
    let (ok, out, err) = run(
        pdftoppm,
        &[
            "-r",
            DPI,
            "-gray",
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
            "-singlefile",
            p.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    assert!(ok, "{out}{err}");
    let (stray, mean) = difference(
        &read_png(&png),
        &read_pgm(&dir.join(format!("{name}-pdf.pgm"))),
        (0, 0),
    );
    assert!(
        stray <= MAX_STRAY && mean <= MAX_MEAN,
        "stray ink {stray:.5}, mean {mean:.3}; pictures in {}",
        dir.display()
    );
    o
}

/// The outline goes to the six section headings, as the PDF's bookmarks do: each
/// `OutlineElem` names a heading and points at the page where `sofd search` finds it.
#[test]
fn the_outline_goes_to_the_section_headings() {
    let dir = keep_dir("OFD_OUT", "outline");
    let (_, o, _) = both(&dir, "langfang-2021");
    let bytes = std::fs::read(&o).unwrap();
    let all = zip_parts(&bytes);
    let doc = part(&all, "Doc_0/Document.xml");
    let attr = |tag: &str, name: &str| -> String {
        let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        tag[at..at + tag[at..].find('"').unwrap()].to_string()
    };
    // Page ids in document order.
    let page_ids: Vec<String> = doc
        .split("<ofd:Page ")
        .skip(1)
        .map(|t| attr(&format!(" {t}"), "ID"))
        .collect();
    let outline = &doc[doc.find("<ofd:Outlines>").expect("an outline")..];
    let elems: Vec<(String, String)> = outline
        .split("<ofd:OutlineElem ")
        .skip(1)
        .map(|e| {
            let e = format!(" {e}");
            let dest = &e[e.find("<ofd:Dest ").unwrap()..];
            (attr(&e, "Title"), attr(dest, "PageID"))
        })
        .collect();
    let headings: Vec<String> = xxgk::spec::format::SECTIONS
        .iter()
        .map(|s| s.heading())
        .collect();
    assert_eq!(
        elems.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(),
        headings
    );
    for (title, id) in &elems {
        let page = page_ids
            .iter()
            .position(|p| p == id)
            .expect("a page of the document");
        let (ok, out, err) = run(
            "sofd",
            &["--locale", "en-US", "search", o.to_str().unwrap(), title],
        );
        assert!(ok, "{out}{err}");
        assert!(
            out.lines()
                .any(|l| l.starts_with(&format!("page {page}:")) && l.contains(title.as_str())),
            "“{title}” is not on page {page}: {out}"
        );
    }
}
