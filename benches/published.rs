//! What reading a published report costs: the two real WPS-exported PDFs
//! (tests/published/real), our own PDF, Word file, page and OFD of the 廊坊 example with their
//! embedded data taken out (read by the labels, as anyone else's) and with it (read as the
//! data), and the scraped page text. Each read 20 times; the median and the slowest, and the
//! peak resident memory of the process at the end. Run: `cargo bench --bench published`;
//! figures in benches/README.md. Not a test: nothing here asserts a time.

use std::path::Path;
use std::time::Instant;
use xxgk::input::published::{read_bytes, Published};
use xxgk::render::{self, Format};

#[path = "../tests/support/package.rs"]
mod package;

/// Our document without the data it carries: the zip part or the PDF's attachment removed.
fn without_data(format: Format, bytes: &[u8]) -> Vec<u8> {
    match format {
        Format::Pdf => {
            let mut doc = lopdf::Document::load_mem(bytes).expect("our PDF");
            let root = doc
                .trailer
                .get(b"Root")
                .and_then(lopdf::Object::as_reference)
                .expect("catalog");
            if let Ok(lopdf::Object::Dictionary(cat)) = doc.get_object_mut(root) {
                cat.remove(b"Names");
                cat.remove(b"AF");
            }
            let mut out = vec![];
            doc.save_to(&mut out).expect("save");
            out
        }
        Format::Html => {
            package::page_without_data(std::str::from_utf8(bytes).expect("utf-8")).into_bytes()
        }
        _ => package::package_without_data(bytes),
    }
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = xxgk::input::read_path(&root.join("examples/langfang-2021.yaml"))
        .expect("example")
        .report;
    let fonts = xxgk::render::paged::Fonts::load(None).expect("fonts");
    let docs = render::render_all(
        &report,
        &[Format::Pdf, Format::Docx, Format::Html, Format::Ofd],
        Some(&fonts),
    )
    .expect("render");
    let mut cases: Vec<(String, Published, Vec<u8>)> = vec![];
    for name in ["hongze-2023.pdf", "hongze-2024.pdf"] {
        let bytes = std::fs::read(root.join("tests/published/real").join(name)).expect("real");
        cases.push((format!("real WPS {name}"), Published::Pdf, bytes));
    }
    for (format, bytes) in &docs {
        let kind = match format {
            Format::Pdf => Published::Pdf,
            Format::Docx => Published::Docx,
            Format::Html => Published::Html,
            _ => Published::Ofd,
        };
        cases.push((
            format!("ours {format:?}, by the labels"),
            kind,
            without_data(*format, bytes),
        ));
        cases.push((format!("ours {format:?}, its data"), kind, bytes.clone()));
    }
    let page = std::fs::read(root.join("tests/published/langfang-2021-page.txt")).expect("page");
    cases.push(("scraped page text".into(), Published::Text, page));
    for (name, kind, bytes) in &cases {
        let mut times = vec![];
        for _ in 0..20 {
            let t = Instant::now();
            let p = read_bytes(*kind, bytes);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            assert!(p.complete, "{name}");
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{name:<36} {:>7} KiB  median {:>6.1} ms  max {:>6.1} ms",
            bytes.len() / 1024,
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
    println!("peak RSS {:.1} MiB", peak_rss_kib() as f64 / 1024.0);
}
